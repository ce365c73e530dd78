/* seal.h - sealed ports: the TAP in a network namespace of its own, joined to the bridge by a veth pair and two tc redirects */
#ifndef TAPGATE_SEAL_H
#define TAPGATE_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "nl.h"

/* Reusable module: functions return 0 or -errno (theory in seal.c). */

/* The sealed-side end of the veth pair, in the sealed namespace. Every
 * sealed namespace is new and empty, so one fixed name does. */
#define SEAL_PEER_NAME "veth0"

struct seal_port {
	char name[16];		/* the bridge-side veth, in the host's namespace */
	int ifindex;		/* its index there */
	int peer_ifindex;	/* SEAL_PEER_NAME's index in the sealed namespace */
	bool made;		/* the pair exists (seal_undo() has work) */
};

/**
 * seal_make_pair() - create the veth pair from the host's namespace: the
 *		      bridge-side end @p->name there, its peer SEAL_PEER_NAME in
 *		      the helper's own (sealed) namespace
 * @host:	netlink socket opened in the host's namespace, before the
 *		helper moved to the sealed one
 * @sealed:	netlink socket opened in the sealed namespace
 * @mtu:	MTU of both ends (the bridge's)
 * @p:		filled in; @p->made tells seal_undo() there is a pair to remove
 *
 * The name is "tap" and random hex digits, chosen without looking at the
 * host's interfaces; a name that is taken (EEXIST) is retried with another.
 * Return: 0 or -errno; @host->ext_msg may say what the kernel disliked.
 */
int seal_make_pair(struct nl *host, struct nl *sealed, unsigned mtu,
		   struct seal_port *p);

/**
 * seal_wire() - in the sealed namespace: the redirects both ways (TAP
 *		 ingress to the veth's egress, veth ingress to the TAP's
 *		 egress), no IPv6 address generation on either end, MTU,
 *		 and both up
 * @sealed:	netlink socket in the sealed namespace
 * @tap_ifindex: the TAP there
 * @p:		from seal_make_pair()
 * @mtu:	the TAP's MTU (the bridge's)
 * Return: 0 or -errno; @sealed->ext_msg may say more.
 */
int seal_wire(struct nl *sealed, int tap_ifindex, const struct seal_port *p,
	      unsigned mtu);

/**
 * seal_undo() - remove the veth pair now (both ends go together), if
 *		 seal_make_pair() made one; for failure paths, so that a
 *		 refusal leaves nothing behind at once rather than when the
 *		 kernel tears the namespace down. Errors are ignored: the
 *		 namespace's end removes the pair anyway.
 */
void seal_undo(struct nl *host, struct seal_port *p);

/* Pure builders, unit-tested: each writes at @buf (room: NL_BUILD_SIZE),
 * returns the length written or 0 when the request cannot be expressed. */

/* RTM_NEWLINK (NLM_F_CREATE|NLM_F_EXCL): a veth @name, MTU @mtu, whose
 * peer @peer (MTU @mtu) goes to the network namespace of process @pid. */
size_t seal_build_veth(void *buf, const char *name, const char *peer,
		       pid_t pid, unsigned mtu);

/* Two messages: RTM_NEWQDISC "ingress" on @from, and RTM_NEWTFILTER u32
 * matching every frame (one key, mask 0) with the action mirred egress
 * redirect to @to (TC_ACT_STOLEN), both NLM_F_CREATE|NLM_F_EXCL. */
size_t seal_build_redirect(void *buf, int from, int to);

/* Two RTM_NEWLINK on @ifindex: MTU @mtu and IFLA_INET6_ADDR_GEN_MODE none
 * (when @no_ipv6_addr); then IFF_UP. */
size_t seal_build_up(void *buf, int ifindex, unsigned mtu, bool no_ipv6_addr);

/* RTM_DELLINK of @ifindex, or of @name when @ifindex is not positive. */
size_t seal_build_del(void *buf, int ifindex, const char *name);

#endif /* TAPGATE_SEAL_H */
