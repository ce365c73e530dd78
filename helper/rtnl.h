/* rtnl.h - the helper's rtnetlink requests: bridge lookup, TAP port setup, alternative names, link deletion */
#ifndef TAPGATE_RTNL_H
#define TAPGATE_RTNL_H

#include <stdbool.h>
#include <stddef.h>

#include "nl.h"

/* Reusable module: functions return 0 or -errno. */

/* Longest interface alias the kernel keeps (IFALIASZ - 1). */
#define NL_ALIAS_MAX 255

/* Longest alternative name the kernel takes (ALTIFNAMSIZ - 1). */
#define NL_ALTNAME_MAX 127

/* Name lookups nl_links_by_altname() sends in one batch. */
#define NL_PROBE_BATCH 16

/**
 * nl_link_by_name() - look an interface up by its exact name (IFLA_IFNAME
 *		       in one RTM_GETLINK request; never an ioctl, which reads
 *		       "br0:1" as "br0")
 *
 * The kernel also finds an interface by one of its alternative names; that
 * is refused here too, so that a name the ACL did not mention cannot reach
 * an interface it did.
 * Return: 0; -ENODEV when no interface has this name; -EXDEV when @name is
 * an alternative name of an interface (then only @link->name is set: the
 * interface's real name, for the message); -EINVAL when @name cannot be an
 * interface name; other -errno.
 */
int nl_link_by_name(struct nl *nl, const char *name, struct nl_link *link);

struct nl_port_config {
	int ifindex;		/* the TAP */
	int master;		/* the bridge's ifindex */
	unsigned mtu;
	unsigned char mac[6];
	const char *alias;	/* IFLA_IFALIAS, at most NL_ALIAS_MAX bytes;
				 * NULL: left alone */
	bool isolated;		/* IFLA_BRPORT_ISOLATED on the new port */
	bool unbridged;		/* no master (an Open vSwitch port, which
				 * ovs-vswitchd attaches): one message with
				 * address, MTU (when not 0), alias and IFF_UP;
				 * master must be 0 */
	bool stay_down;		/* leave the link down: the caller sets more
				 * up before the port may pass a frame */
};

/**
 * nl_port_setup() - enslave, size, address, name and bring up a TAP in one
 *		     round trip (one batch)
 *
 * The link goes up only once it is a port of @c->master with its isolation
 * flag set as asked: a guest never sees a moment on a bridge with the wrong
 * isolation, and a TAP that could not be enslaved never goes up.
 * Return: 0 or -errno (-EINVAL for a config that cannot be expressed, such
 * as an alias over NL_ALIAS_MAX bytes); nl->ext_msg says what the kernel
 * disliked.
 */
int nl_port_setup(struct nl *nl, const struct nl_port_config *c);

/**
 * nl_altname_add() - give interface @ifindex the alternative name @name,
 *		      atomically: one RTM_NEWLINKPROP
 * @nl:		socket (its opener needs CAP_NET_ADMIN over the namespace)
 * @ifindex:	the interface
 * @name:	1 to NL_ALTNAME_MAX bytes
 *
 * Names and altnames share one table per network namespace, so a name
 * that any interface already has (as either) is refused, and of two
 * concurrent requests for one name exactly one succeeds. The name goes
 * away with the interface.
 * Return: 0; -EEXIST when the name is taken; -EINVAL when it cannot be
 * expressed; other -errno (nl->ext_msg says what the kernel disliked).
 */
int nl_altname_add(struct nl *nl, int ifindex, const char *name);

/**
 * nl_links_by_altname() - look up @n names (names or alternative names),
 *			   one RTM_GETLINK each, NL_PROBE_BATCH to a round trip
 * @links:	@n entries: the interface each name belongs to, or ifindex 0
 *		when none has it
 *
 * Costs one lookup in the kernel's name hash per name: no interface list
 * is read, but the hash has a fixed 256 buckets (see limit.c on keeping
 * the lookups of one request in one bucket). Needs no privilege.
 * Return: 0 or -errno (a name that cannot be expressed is -EINVAL).
 */
int nl_links_by_altname(struct nl *nl, const char *const *names, size_t n,
			struct nl_link *links);

/* Pure builders, unit-tested: each writes at @buf (room: NL_BUILD_SIZE)
 * and returns the length written, or 0 when the request cannot be
 * expressed (invalid name, alias too long, index not positive). Sequence
 * numbers and NLM_F_ACK are left to nl_roundtrip(). */

/* One RTM_GETLINK for exactly @name (IFLA_IFNAME), without statistics. */
size_t nl_build_getlink(void *buf, const char *name);

/* A batch of two RTM_NEWLINK messages for the TAP: first master, MTU,
 * address and alias; then the bridge port's isolation flag and IFF_UP
 * (IFF_UP left out with @c->stay_down). */
size_t nl_build_port_setup(void *buf, const struct nl_port_config *c);

/* One RTM_GETLINK for exactly @name as a name or an alternative name
 * (IFLA_ALT_IFNAME, 1 to NL_ALTNAME_MAX bytes), without statistics. */
size_t nl_build_getlink_altname(void *buf, const char *name);

/* One RTM_NEWLINKPROP adding the alternative name @name to @ifindex. */
size_t nl_build_altname_add(void *buf, int ifindex, const char *name);

/* One RTM_DELLINK of @ifindex, or of @name when @ifindex is not positive
 * (@name NULL: by index only). */
size_t nl_build_dellink(void *buf, int ifindex, const char *name);

#endif /* TAPGATE_RTNL_H */
