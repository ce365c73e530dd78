/* nl.h - rtnetlink through libmnl, for both programs: socket, one round trip, reply handling, link messages */
#ifndef TAPGATE_NL_H
#define TAPGATE_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>

/* Reusable module: functions return 0 or -errno. */

/* Room for one received datagram. The kernel sizes dump datagrams after the
 * reader's buffer but never above 32 KiB, so this never truncates a reply.
 * (libmnl >= 1.0.5 calls it MNL_SOCKET_DUMP_SIZE; Debian 12 has 1.0.4.) */
#define NL_RECV_SIZE 32768

/* Room the builders need at @buf, and the most nl_roundtrip() sends. */
#define NL_BUILD_SIZE 4096

/* Buffers that hold netlink messages must be aligned for nlmsghdr. */
#define NL_ALIGNED __attribute__((aligned(NLMSG_ALIGNTO)))

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
 * nl_batch_append() - append one message to a batch for nl_roundtrip()
 * @batch:	the batch: NL_BUILD_SIZE bytes of room
 * @len:	bytes in @batch so far; grows by @one
 * @msg:	the message, built apart: a builder clears NL_BUILD_SIZE bytes
 *		where it writes, so it cannot write after another message
 * @one:	its length as the builder returned it (0: not expressible)
 * Return: 0, -EINVAL when @one is 0 or the batch would not fit.
 */
int nl_batch_append(void *batch, size_t *len, const void *msg, size_t one);

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
 * nl_put_link_msg() - start a link request at @buf: the header, @type,
 *		       NLM_F_REQUEST | @flags, and an ifinfomsg for @ifindex
 *		       (0: none); for the builders
 *
 * @buf is not cleared: a builder clears its whole buffer first (attribute
 * padding is not written by libmnl).
 */
struct nlmsghdr *nl_put_link_msg(void *buf, uint16_t type, uint16_t flags,
				 int ifindex);

/* nl_name_fits() - whether @name (may be NULL) is 1 to IFNAMSIZ - 1 bytes,
 * as every builder that puts an IFLA_IFNAME checks before writing it. */
bool nl_name_fits(const char *name);

/**
 * nl_build_clear() - clear the NL_BUILD_SIZE bytes at @buf, as every
 *		      builder must before it writes: libmnl does not zero the
 *		      padding after an attribute's payload, so bytes of the
 *		      stack went to the kernel in it (found under valgrind;
 *		      unit test: test_helper_nl_bytes)
 */
void nl_build_clear(void *buf);

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

/* What a parser of RTM_NEWLINK messages needs: the header, the attribute
 * tables of the message and of IFLA_LINKINFO, the name and the kind. */
struct nl_link_msg {
	const struct ifinfomsg *ifi;
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct nlattr *info[IFLA_INFO_MAX + 1];
	char name[16];		/* IFLA_IFNAME, never truncated */
	char kind[16];		/* IFLA_INFO_KIND; "" when absent or longer */
};

/**
 * nl_link_msg_parse() - read one RTM_NEWLINK message into @m: a positive
 *			 index, a name of at most 15 bytes (required), the
 *			 attribute tables and the kind
 *
 * Attributes newer than our headers are ignored, not errors.
 * Return: 0, -EBADMSG when it is malformed.
 */
int nl_link_msg_parse(const struct nlmsghdr *nlh, struct nl_link_msg *m);

/**
 * nl_parse_nested() - fill @tb (@max + 1 entries, zeroed by the caller)
 *		       with the attributes nested in @nest; types above @max
 *		       are ignored
 * Return: 0, -EBADMSG when @nest is malformed.
 */
int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    unsigned max);

#endif /* TAPGATE_NL_H */
