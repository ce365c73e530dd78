/* nl.c - rtnetlink through libmnl, for both programs: socket, one round trip, reply handling, link messages */

/*
 * Every request goes through nl_roundtrip(): it numbers the messages of a
 * batch, sends them with one sendto(), and reads until the kernel has
 * answered each one. Reading the answers is a pure function,
 * nl_reply_feed(), so the error and extended-ACK paths are unit-tested on
 * crafted replies. The builders only fill buffers, and the parsers only
 * read one message; the public operations are thin shells around them.
 *
 * Kernel behaviour this file relies on (checked on 6.18; all present since
 * 4.20 unless said):
 * - The kernel handles each message of a datagram in order and answers each
 *   in order (netlink_rcv_skb()); it goes on to the next message even when
 *   one fails. So replies carry consecutive sequence numbers, and a failed
 *   message must not be relied upon to stop a later one: see
 *   nl_build_port_setup() for how the batch is made safe anyway.
 * - A dump answers with NLM_F_MULTI parts and one NLMSG_DONE, and no ACK even
 *   when NLM_F_ACK is set (the kernel skips the ACK of a started dump).
 * - NETLINK_EXT_ACK (4.12) adds NLMSGERR_ATTR_MSG to errors, flagged
 *   NLM_F_ACK_TLVS; NETLINK_CAP_ACK (4.3) leaves the request out of the
 *   error (NLM_F_CAPPED); NETLINK_GET_STRICT_CHK (4.20) makes the kernel
 *   refuse GET requests with attributes it would otherwise ignore.
 * - Permission: RTM_NEWLINK needs CAP_NET_ADMIN in the network namespace's
 *   user namespace, both of the socket's opener and of the sender; the
 *   helper holds exactly that capability when it opens and uses the socket.
 *   GET requests need no privilege.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "nl.h"

_Static_assert(sizeof(((struct nl_link *)0)->name) == IFNAMSIZ, "IFNAMSIZ");

unsigned nl_seq_next(unsigned seq)
{
	return seq + 1 ? seq + 1 : 1;
}

int nl_open(struct nl *nl)
{
	/* Each is optional: without it we lose detail, not safety. */
	static const int opts[] = {
		NETLINK_EXT_ACK,	/* the kernel's reason, for the error line */
		NETLINK_CAP_ACK,	/* errors without a copy of the request */
		NETLINK_GET_STRICT_CHK,	/* GET attributes honoured or refused */
	};
	size_t i;
	int err;

	memset(nl, 0, sizeof(*nl));
	nl->sk = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sk)
		return -errno;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		int one = 1;

		/* ENOPROTOOPT: a kernel older than the option. */
		if (mnl_socket_setsockopt(nl->sk, opts[i], &one, sizeof(one)) &&
		    errno != ENOPROTOOPT) {
			err = -errno;
			goto fail;
		}
	}

	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID)) {
		err = -errno;
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	return 0;

fail:
	mnl_socket_close(nl->sk);
	nl->sk = NULL;
	return err;
}

void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

/* Reply handling ------------------------------------------------------- */

static int ext_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl_reply *r = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(r->ext_msg, sizeof(r->ext_msg), "%s",
			 mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/**
 * reply_error() - record a kernel error, the first one only
 * @r:		reply state
 * @nlh:	the NLMSG_ERROR or NLMSG_DONE message that carries it
 * @error:	the error field, negative as the kernel sends it (a few
 *		subsystems send it positive; both are accepted)
 * @tlv_off:	where the extended-ACK attributes start in the payload
 */
static void reply_error(struct nl_reply *r, const struct nlmsghdr *nlh,
			int error, size_t tlv_off)
{
	if (error && !r->last)
		r->last = error < 0 ? error : -error;
	if (!error || r->err)
		return;
	r->err = r->last;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    tlv_off <= mnl_nlmsg_get_payload_len(nlh))
		mnl_attr_parse(nlh, (unsigned)tlv_off, ext_attr_cb, r);
}

/* NLMSG_ERROR: an ACK (error 0) or an error; either finishes its request.
 * Layout: struct nlmsgerr, then the request's payload unless NLM_F_CAPPED,
 * then the extended-ACK attributes when NLM_F_ACK_TLVS. */
static int reply_error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(struct nlmsghdr)) {
			errno = EBADMSG;
			return MNL_CB_ERROR;
		}
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	reply_error(data, nlh, e->error, off);
	return MNL_CB_STOP;
}

/* NLMSG_DONE: the end of a dump; it may carry the dump's error as an int,
 * followed by extended-ACK attributes. */
static int reply_done_cb(const struct nlmsghdr *nlh, void *data)
{
	int error = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(error))
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	reply_error(data, nlh, error, sizeof(error));
	return MNL_CB_STOP;
}

/* Data messages go to the caller's callback until something failed: after
 * that the round trip fails anyway, and we only read on to stay in step.
 * Unless the caller takes each request's outcome: then one request's
 * failure does not make the others' answers moot. */
static int reply_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_reply *r = data;

	if (!r->cb || (r->err && !r->each))
		return MNL_CB_OK;
	if (r->cb(nlh, r->data) == MNL_CB_ERROR) {
		int err = errno > 0 ? -errno : -EINVAL;

		if (!r->err)
			r->err = err;
		if (!r->last)
			r->last = err;
	}
	return MNL_CB_OK;
}

int nl_reply_feed(struct nl_reply *r, const void *buf, size_t len)
{
	/* NLMSG_NOOP, NLMSG_OVERRUN and the reserved control types have no
	 * entry: libmnl then skips them. (Not const: libmnl 1.0.4 takes a
	 * plain pointer, though it only reads.) */
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = reply_error_cb,
		[NLMSG_DONE] = reply_done_cb,
	};
	const struct nlmsghdr *nlh = buf;
	int left;

	if (len > NL_RECV_SIZE)
		return -EMSGSIZE;
	left = (int)len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		int ret;

		if (!r->pending)
			return -EPROTO;	/* an answer to nothing we asked */

		/* One message at a time, so that each is checked against the
		 * sequence number of the request it must answer. */
		ret = mnl_cb_run2(nlh, nlh->nlmsg_len, r->seq, r->portid,
				  reply_data_cb, r, ctl, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR) {
			if (errno == EINTR &&
			    (nlh->nlmsg_flags & NLM_F_DUMP_INTR)) {
				/* libmnl refuses a part of a dump that the
				 * kernel flagged inconsistent, after checking
				 * its port id and sequence number. The dump
				 * goes on to its NLMSG_DONE, which is flagged
				 * too; the caller may ask again. */
				if (!r->err)
					r->err = -EINTR;
				ret = nlh->nlmsg_type == NLMSG_DONE ||
				      nlh->nlmsg_type == NLMSG_ERROR ?
				      MNL_CB_STOP : MNL_CB_OK;
			} else if (errno == ESRCH || errno == EPROTO) {
				return -EPROTO;	/* port id, sequence */
			} else {
				return errno > 0 ? -errno : -EBADMSG;
			}
		}
		if (ret == MNL_CB_STOP) {
			if (r->each && r->done < r->neach)
				r->each[r->done] = r->last;
			r->done++;
			r->last = 0;
			r->pending--;
			r->seq = nl_seq_next(r->seq);
		}
	}
	return left ? -EBADMSG : 0;
}

/* rtnetlink_rcv_msg() dumps when a GET request has any NLM_F_DUMP bit. */
static bool is_dump(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_type >= RTM_BASE &&
	       (nlh->nlmsg_type - RTM_BASE) % 4 == 2 &&
	       (nlh->nlmsg_flags & NLM_F_DUMP);
}

int nl_roundtrip(struct nl *nl, void *buf, size_t len, mnl_cb_t cb,
		 void *data)
{
	return nl_roundtrip_each(nl, buf, len, cb, data, NULL, 0);
}

int nl_roundtrip_each(struct nl *nl, void *buf, size_t len, mnl_cb_t cb,
		      void *data, int *each, size_t neach)
{
	union {
		struct nlmsghdr hdr;
		char buf[NL_RECV_SIZE];
	} rx;
	struct nl_reply r = {
		.portid = nl->portid, .cb = cb, .data = data,
		.each = each, .neach = neach,
	};
	struct nlmsghdr *nlh = buf;
	unsigned seq = nl->seq;
	bool dump = false;
	ssize_t n;
	int left;
	int err;

	nl->ext_msg[0] = '\0';
	/* What is sent is what a builder made: at most NL_BUILD_SIZE. */
	if (!len || len > NL_BUILD_SIZE)
		return -EINVAL;

	for (left = (int)len; mnl_nlmsg_ok(nlh, left);
	     nlh = mnl_nlmsg_next(nlh, &left)) {
		/* A dump's parts are produced as we read them, so the answer
		 * to a message after it would come in the middle of them. */
		if (dump)
			return -EINVAL;
		dump = is_dump(nlh);
		seq = nl_seq_next(seq);
		if (!r.pending)
			r.seq = seq;
		r.pending++;
		nlh->nlmsg_seq = seq;
		nlh->nlmsg_pid = 0;
		nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	}
	/* The kernel silently drops the rest of a datagram after a message
	 * whose length is wrong, and we would wait for its answer forever. */
	if (left)
		return -EINVAL;
	nl->seq = seq;

	do
		n = mnl_socket_sendto(nl->sk, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EMSGSIZE;	/* netlink datagrams go whole or not */

	while (r.pending) {
		n = mnl_socket_recvfrom(nl->sk, rx.buf, sizeof(rx.buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;	/* ENOSPC: truncated datagram */
		}
		err = nl_reply_feed(&r, rx.buf, (size_t)n);
		if (err)
			return err;
	}

	snprintf(nl->ext_msg, sizeof(nl->ext_msg), "%s", r.ext_msg);
	return r.err;
}

int nl_batch_append(void *batch, size_t *len, const void *msg, size_t one)
{
	if (!one || one > NL_BUILD_SIZE || *len > NL_BUILD_SIZE - one)
		return -EINVAL;
	memcpy((char *)batch + *len, msg, one);
	*len += one;
	return 0;
}

const char *nl_error(struct nl *nl, int err)
{
	const char *e = strerror(err < 0 ? -err : err);

	if (nl->ext_msg[0])
		snprintf(nl->why, sizeof(nl->why), "%s (kernel: %s)", e,
			 nl->ext_msg);
	else
		snprintf(nl->why, sizeof(nl->why), "%s", e);
	return nl->why;
}

/* Building ------------------------------------------------------------- */

bool nl_name_fits(const char *name)
{
	size_t n = name ? strnlen(name, IFNAMSIZ) : 0;

	return n > 0 && n < IFNAMSIZ;
}

/*
 * libmnl does not zero the padding after an attribute's payload, so every
 * builder clears its whole buffer first: otherwise bytes of the helper's
 * stack went to the kernel in attribute padding (found by running the
 * helper under valgrind, see SECURITY.md; unit test: test_helper_nl_bytes).
 */
void nl_build_clear(void *buf)
{
	memset(buf, 0, NL_BUILD_SIZE);
}

struct nlmsghdr *nl_put_link_msg(void *buf, uint16_t type, uint16_t flags,
				 int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	/* Zeroed by libmnl: strict checking refuses stray header fields. */
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

/* Parsing -------------------------------------------------------------- */

struct attr_table {
	const struct nlattr **tb;
	unsigned max;
};

/* Attributes newer than our headers are ignored, not errors. */
static int table_cb(const struct nlattr *attr, void *data)
{
	const struct attr_table *t = data;
	unsigned type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    unsigned max)
{
	struct attr_table t = { tb, max };

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	return mnl_attr_parse_nested(nest, table_cb, &t) < 0 ? -EBADMSG : 0;
}

/* Copy a NUL-terminated string attribute that must fit @size with its NUL;
 * never truncated. */
static int copy_str(char *dst, size_t size, const struct nlattr *attr)
{
	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return -EBADMSG;
	if (strlen(mnl_attr_get_str(attr)) >= size)
		return -ENAMETOOLONG;
	strcpy(dst, mnl_attr_get_str(attr));	// NOLINT(clang-analyzer-security.insecureAPI.strcpy): length checked above
	return 0;
}

int nl_link_msg_parse(const struct nlmsghdr *nlh, struct nl_link_msg *m)
{
	struct attr_table t = { m->tb, IFLA_MAX };

	memset(m, 0, sizeof(*m));
	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*m->ifi))
		return -EBADMSG;
	m->ifi = mnl_nlmsg_get_payload(nlh);
	if (m->ifi->ifi_index <= 0)
		return -EBADMSG;
	if (mnl_attr_parse(nlh, sizeof(*m->ifi), table_cb, &t) < 0)
		return -EBADMSG;

	/* The kernel's names are at most IFNAMSIZ - 1 bytes. */
	if (!m->tb[IFLA_IFNAME] ||
	    copy_str(m->name, sizeof(m->name), m->tb[IFLA_IFNAME]))
		return -EBADMSG;

	if (m->tb[IFLA_LINKINFO]) {
		const struct nlattr *kind;

		if (nl_parse_nested(m->tb[IFLA_LINKINFO], m->info, IFLA_INFO_MAX))
			return -EBADMSG;
		kind = m->info[IFLA_INFO_KIND];
		/* A kind too long for us is none we look for ("bridge",
		 * "tun"): leave it "" rather than fail a whole dump. */
		if (kind && copy_str(m->kind, sizeof(m->kind), kind) == -EBADMSG)
			return -EBADMSG;
	}
	return 0;
}

int nl_link_parse(const struct nlmsghdr *nlh, struct nl_link *link)
{
	struct nl_link_msg m;
	int err;

	memset(link, 0, sizeof(*link));
	err = nl_link_msg_parse(nlh, &m);
	if (err)
		return err;
	if (!m.tb[IFLA_MTU] || mnl_attr_validate(m.tb[IFLA_MTU], MNL_TYPE_U32))
		return -EBADMSG;

	link->ifindex = m.ifi->ifi_index;
	link->mtu = mnl_attr_get_u32(m.tb[IFLA_MTU]);
	memcpy(link->name, m.name, sizeof(link->name));
	memcpy(link->kind, m.kind, sizeof(link->kind));
	return 0;
}

