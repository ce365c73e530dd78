/* nl.h - rtnetlink through libmnl: one round trip, bridge lookup, TAP port setup, alternative names */
#ifndef TAPGATE_NL_H
#define TAPGATE_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>

/* Reusable modules here return 0 or -errno. */

/* Room for one received datagram. The kernel sizes dump datagrams after the
 * reader's buffer but never above 32 KiB, so this never truncates a reply.
 * (libmnl >= 1.0.5 calls it MNL_SOCKET_DUMP_SIZE; Debian 12 has 1.0.4.) */
#define NL_RECV_SIZE 32768

/* Room the builders need at @buf. */
#define NL_BUILD_SIZE 4096

/* Longest interface alias the kernel keeps (IFALIASZ - 1). */
#define NL_ALIAS_MAX 255

/* Longest alternative name the kernel takes (ALTIFNAMSIZ - 1). */
#define NL_ALTNAME_MAX 127

/* Name lookups nl_links_by_altname() sends in one batch. */
#define NL_PROBE_BATCH 16

struct nl {
	struct mnl_socket *sk;
	unsigned portid;
	unsigned seq;
	char ext_msg[256];	/* kernel's extended ACK message, or "" */
	char why[320];		/* nl_error()'s text */
};

/**
 * nl_open() - open and bind an rtnetlink socket, with extended ACK and
 *	       strict checking enabled where the kernel has them
 * Return: 0 or -errno.
 */
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

/**
 * nl_roundtrip() - the one place requests go through
 * @nl:		socket
 * @buf:	one or more netlink messages back to back (a batch); each gets
 *		NLM_F_ACK and its own sequence number here
 * @len:	bytes in @buf
 * @cb:		called for each data message of the replies (may be NULL);
 *		returns MNL_CB_OK, or MNL_CB_ERROR with errno set
 * @data:	passed to @cb
 *
 * Sends the batch with one sendto(), then reads until every message is
 * acknowledged (or its dump is done), checking sequence numbers and port id
 * with mnl_cb_run(). The kernel processes every message of a batch even
 * after one fails, so this always reads to the end and keeps the first
 * error. The kernel's extended ACK text for it, if any, is left in
 * @nl->ext_msg.
 * Return: 0, or the first error as -errno (-EINTR: a dump was interrupted
 * by a change to the interface list and is inconsistent).
 */
int nl_roundtrip(struct nl *nl, void *buf, size_t len, mnl_cb_t cb,
		 void *data);

/**
 * nl_roundtrip_each() - nl_roundtrip(), and each request's own outcome
 * @each:	filled with the error of each message of the batch, in order,
 *		as -errno or 0 (acknowledged, or its dump done)
 * @neach:	room in @each; answers past it are not recorded
 *
 * For batches whose messages may fail one by one without the whole
 * failing, such as lookups of names that may not exist.
 * Return: as nl_roundtrip().
 */
int nl_roundtrip_each(struct nl *nl, void *buf, size_t len, mnl_cb_t cb,
		      void *data, int *each, size_t neach);

/**
 * nl_error() - the error line's "why" for @err from the last request on
 *		@nl: strerror(), and the kernel's extended-ACK text in
 *		parentheses when it sent one
 * Return: a string in @nl, valid until the next call.
 */
const char *nl_error(struct nl *nl, int err);

struct nl_link {
	int ifindex;
	unsigned mtu;
	char name[16];		/* IFLA_IFNAME as the kernel reports it */
	char kind[16];		/* IFLA_INFO_KIND, or "" */
};

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
 * Costs one hash lookup in the kernel per name, whatever the number of
 * interfaces. Needs no privilege.
 * Return: 0 or -errno (a name that cannot be expressed is -EINVAL).
 */
int nl_links_by_altname(struct nl *nl, const char *const *names, size_t n,
			struct nl_link *links);

/**
 * nl_put_link_msg() - start a link request at @buf: the header, @type,
 *		       NLM_F_REQUEST | @flags, and an ifinfomsg for @ifindex
 *		       (0: none); for builders outside this file
 *
 * @buf is not cleared: a builder clears its whole buffer first (attribute
 * padding is not written by libmnl).
 */
struct nlmsghdr *nl_put_link_msg(void *buf, uint16_t type, uint16_t flags,
				 int ifindex);

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

/* Pure reply handling, unit-tested with crafted replies. */

struct nl_reply {
	unsigned portid;	/* our port id; replies from others are refused */
	unsigned seq;		/* sequence number of the oldest unfinished request */
	unsigned pending;	/* requests not yet acknowledged or done */
	mnl_cb_t cb;		/* as for nl_roundtrip() */
	void *data;
	int err;		/* first error, as -errno, or 0 */
	char ext_msg[256];	/* extended ACK text for @err, or "" */
	int *each;		/* as for nl_roundtrip_each(), or NULL */
	size_t neach;
	size_t done;		/* requests finished so far */
	int last;		/* error of the message being read */
};

/**
 * nl_reply_feed() - account for one received datagram
 * @r:		state: set portid, seq (of the first request), pending (the
 *		number of requests), cb and data; err and ext_msg to 0 and ""
 * @buf:	the datagram
 * @len:	its length
 *
 * Each message must come from the kernel (port id 0 or ours) and carry the
 * sequence number of the oldest unfinished request (the kernel answers a
 * batch in order); an NLMSG_ERROR or NLMSG_DONE finishes that request.
 * Kernel errors are collected in @r->err (the first one wins) and reading
 * goes on until @r->pending is 0.
 * Return: 0, or -errno when the datagram makes no sense (-EPROTO for a
 * foreign port id or an unexpected sequence number, -EBADMSG for a
 * malformed message): the reply cannot be followed further.
 */
int nl_reply_feed(struct nl_reply *r, const void *buf, size_t len);

/* nl_seq_next() - the sequence number after @seq (0 is skipped: libmnl
 * reads sequence number 0 as "do not check"). */
unsigned nl_seq_next(unsigned seq);

/**
 * nl_link_parse() - read one RTM_NEWLINK message: index, name, MTU, kind
 * Return: 0, -EBADMSG when it is malformed.
 */
int nl_link_parse(const struct nlmsghdr *nlh, struct nl_link *link);

#endif /* TAPGATE_NL_H */
