/* nl.c - rtnetlink through libmnl: one round trip, bridge lookup, TAP port setup, alternative names */

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

_Static_assert(NL_ALIAS_MAX == IFALIASZ - 1, "alias limit is the kernel's");
_Static_assert(sizeof(((struct nl_link *)0)->name) == IFNAMSIZ, "IFNAMSIZ");
_Static_assert(NL_ALTNAME_MAX == ALTIFNAMSIZ - 1, "altname limit is the kernel's");
/* A batch of NL_PROBE_BATCH lookups of the longest altnames fits the
 * builders' room: header 16, ifinfomsg 16, name 4 + 128, mask 8. */
_Static_assert(NL_PROBE_BATCH * (16 + 16 + 4 + ALTIFNAMSIZ + 8) <= NL_BUILD_SIZE,
	       "a probe batch fits NL_BUILD_SIZE");

/* Buffers that hold netlink messages must be aligned for nlmsghdr. */
#define NL_ALIGNED __attribute__((aligned(NLMSG_ALIGNTO)))

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

/* Builders ------------------------------------------------------------- */

/*
 * libmnl does not zero the padding after an attribute's payload, so every
 * builder clears its whole buffer first: otherwise bytes of the helper's
 * stack went to the kernel in attribute padding (found by running the
 * helper under valgrind, see SECURITY.md; unit test: test_helper_nl_bytes).
 */
static void clear_build_buf(void *buf)
{
	memset(buf, 0, NL_BUILD_SIZE);
}

static struct nlmsghdr *put_link_msg(void *buf, uint16_t type,
				     uint16_t flags, int ifindex)
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

struct nlmsghdr *nl_put_link_msg(void *buf, uint16_t type, uint16_t flags,
				 int ifindex)
{
	return put_link_msg(buf, type, flags, ifindex);
}

static bool name_fits(const char *name)
{
	size_t n = name ? strnlen(name, IFNAMSIZ) : 0;

	return n > 0 && n < IFNAMSIZ;
}

size_t nl_build_getlink(void *buf, const char *name)
{
	struct nlmsghdr *nlh;

	if (!name_fits(name))
		return 0;
	clear_build_buf(buf);
	/* ifi_index 0: the kernel then looks up IFLA_IFNAME, the whole name
	 * (rtnl_dev_get()); there is no "alias" reading of ':' here. */
	nlh = put_link_msg(buf, RTM_GETLINK, 0, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return nlh->nlmsg_len;
}

/*
 * Two messages, because the kernel applies them in this order:
 *
 * 1. RTM_NEWLINK on the TAP: IFLA_ADDRESS, IFLA_MTU, IFLA_IFALIAS,
 *    IFLA_MASTER. do_setlink() sets the address and MTU before enslaving,
 *    so the bridge never recomputes its own address or MTU from a
 *    half-configured port. The link stays down.
 *
 * 2. RTM_NEWLINK on the TAP: IFLA_LINKINFO { IFLA_INFO_SLAVE_KIND "bridge",
 *    IFLA_INFO_SLAVE_DATA { IFLA_BRPORT_ISOLATED } } and IFF_UP.
 *    rtnl_changelink() applies slave data through the *current* master's
 *    slave_changelink() and only then calls do_setlink(), which sets the
 *    flags. Hence:
 *    - slave data cannot share message 1: before the master is set there is
 *      no master to apply it (the kernel answers EOPNOTSUPP);
 *    - the port is isolated before it goes up, under one rtnl lock hold;
 *    - if message 1 failed (no master), message 2 fails with EOPNOTSUPP
 *      before touching the flags, so a TAP that is not a bridge port never
 *      goes up, even though the kernel runs message 2 after message 1
 *      failed. That is why the flag is sent even when it is 0.
 *    RTM_SETLINK would not do: do_setlink() ignores IFLA_LINKINFO, so the
 *    isolation would be dropped without an error.
 *
 * Neither message has NLM_F_CREATE: a TAP that vanished is ENODEV, never a
 * new device.
 */
size_t nl_build_port_setup(void *buf, const struct nl_port_config *c)
{
	struct nlattr *info, *slave;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	size_t len;

	if (c->ifindex <= 0 || c->master < 0 || (c->master && c->unbridged) ||
	    (!c->master && !c->unbridged))
		return 0;
	if (c->alias && strnlen(c->alias, NL_ALIAS_MAX + 1) > NL_ALIAS_MAX)
		return 0;

	clear_build_buf(buf);
	nlh = put_link_msg(buf, RTM_NEWLINK, 0, c->ifindex);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(c->mac), c->mac);
	if (c->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, c->mtu);
	/* Without the NUL: dev_set_alias() takes the attribute's length as
	 * the alias length and refuses 256, so a 255-byte alias fits only
	 * this way. */
	if (c->alias)
		mnl_attr_put_str(nlh, IFLA_IFALIAS, c->alias);
	if (c->unbridged) {
		/* Open vSwitch adds the port itself (ovs.c): no master, no
		 * bridge port flags; up in the same message. */
		ifi = mnl_nlmsg_get_payload(nlh);
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
		return nlh->nlmsg_len;
	}
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)c->master);
	len = nlh->nlmsg_len;

	nlh = put_link_msg((char *)buf + len, RTM_NEWLINK, 0, c->ifindex);
	ifi = mnl_nlmsg_get_payload(nlh);
	if (!c->stay_down) {
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, "bridge");
	slave = mnl_attr_nest_start(nlh, IFLA_INFO_SLAVE_DATA);
	mnl_attr_put_u8(nlh, IFLA_BRPORT_ISOLATED, c->isolated);
	mnl_attr_nest_end(nlh, slave);
	mnl_attr_nest_end(nlh, info);
	return len + nlh->nlmsg_len;
}

/* An altname: 1 to NL_ALTNAME_MAX bytes (the kernel's own rule for its
 * length; it checks the characters itself, as for any name). */
static bool altname_fits(const char *name)
{
	size_t n = name ? strnlen(name, NL_ALTNAME_MAX + 1) : 0;

	return n > 0 && n <= NL_ALTNAME_MAX;
}

size_t nl_build_getlink_altname(void *buf, const char *name)
{
	struct nlmsghdr *nlh;

	if (!altname_fits(name))
		return 0;
	clear_build_buf(buf);
	/* IFLA_ALT_IFNAME, not IFLA_IFNAME: the kernel looks both up in the
	 * one table of names and altnames (rtnl_dev_get()), but IFLA_IFNAME
	 * is refused over 15 bytes. */
	nlh = put_link_msg(buf, RTM_GETLINK, 0, 0);
	mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return nlh->nlmsg_len;
}

/*
 * RTM_NEWLINKPROP { ifindex, IFLA_PROP_LIST { IFLA_ALT_IFNAME } }: the
 * kernel adds the name under RTNL, after checking that no interface of the
 * network namespace has it as its name or as an altname (EEXIST), so that
 * of two requests for one name exactly one succeeds. Needs CAP_NET_ADMIN
 * over the network namespace (rtnetlink_rcv_msg()), so no user can add or
 * remove one. NLM_F_EXCL is what the kernel does anyway; set, to say so.
 */
size_t nl_build_altname_add(void *buf, int ifindex, const char *name)
{
	struct nlmsghdr *nlh;
	struct nlattr *list;

	if (ifindex <= 0 || !altname_fits(name))
		return 0;
	clear_build_buf(buf);
	nlh = put_link_msg(buf, RTM_NEWLINKPROP, NLM_F_EXCL, ifindex);
	list = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);
	mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, name);
	mnl_attr_nest_end(nlh, list);
	return nlh->nlmsg_len;
}

/* Parsers -------------------------------------------------------------- */

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

static int parse_nested(const struct nlattr *nest, const struct nlattr **tb,
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

/* What both parsers need of an RTM_NEWLINK message. */
struct link_msg {
	const struct ifinfomsg *ifi;
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct nlattr *info[IFLA_INFO_MAX + 1];
	char name[IFNAMSIZ];
	char kind[16];		/* "" when absent or longer than any we use */
};

static int link_msg_parse(const struct nlmsghdr *nlh, struct link_msg *m)
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

		if (parse_nested(m->tb[IFLA_LINKINFO], m->info, IFLA_INFO_MAX))
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
	struct link_msg m;
	int err;

	memset(link, 0, sizeof(*link));
	err = link_msg_parse(nlh, &m);
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

/* Operations ----------------------------------------------------------- */

struct lookup {
	struct nl_link *link;
	bool found;
};

static int lookup_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lookup *l = data;

	if (l->found || nl_link_parse(nlh, l->link)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	l->found = true;
	return MNL_CB_OK;
}

int nl_link_by_name(struct nl *nl, const char *name, struct nl_link *link)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	struct lookup l = { link, false };
	size_t len;
	int err;

	nl->ext_msg[0] = '\0';
	memset(link, 0, sizeof(*link));
	len = nl_build_getlink(buf, name);
	if (!len)
		return -EINVAL;

	err = nl_roundtrip(nl, buf, len, lookup_cb, &l);
	if (err)
		return err;	/* -ENODEV: no such name */
	if (!l.found)
		return -EPROTO;

	/* The kernel's name lookup also matches alternative names
	 * (netdev_name_node_lookup(), 5.5+). The ACL speaks of names, so an
	 * alternative name must not reach the interface it stands for. */
	if (strcmp(link->name, name)) {
		/* Only the real name is left, for the error message. */
		char real[IFNAMSIZ];

		memcpy(real, link->name, sizeof(real));
		memset(link, 0, sizeof(*link));
		memcpy(link->name, real, sizeof(real));
		return -EXDEV;
	}
	return 0;
}

int nl_port_setup(struct nl *nl, const struct nl_port_config *c)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	size_t len;

	nl->ext_msg[0] = '\0';
	len = nl_build_port_setup(buf, c);
	if (!len)
		return -EINVAL;
	return nl_roundtrip(nl, buf, len, NULL, NULL);
}

int nl_altname_add(struct nl *nl, int ifindex, const char *name)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	size_t len;

	nl->ext_msg[0] = '\0';
	len = nl_build_altname_add(buf, ifindex, name);
	if (!len)
		return -EINVAL;
	return nl_roundtrip(nl, buf, len, NULL, NULL);
}

struct probe {
	struct nl_link *links;
	const int *each;	/* filled as the answers come, in order */
	size_t n, next;
	int err;
};

/* A found name answers with its link, then the ACK; a missing one with
 * ENODEV alone. Answers come in request order, so the next link belongs to
 * the first request that has no answer yet. */
static int probe_cb(const struct nlmsghdr *nlh, void *data)
{
	struct probe *p = data;

	if (p->next >= p->n || nl_link_parse(nlh, &p->links[p->next])) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	p->next++;
	return MNL_CB_OK;
}

int nl_links_by_altname(struct nl *nl, const char *const *names, size_t n,
			struct nl_link *links)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED, msg[NL_BUILD_SIZE] NL_ALIGNED;
	int each[NL_PROBE_BATCH];
	struct nl_link got[NL_PROBE_BATCH];
	size_t at, i, len, m, k;
	int err;

	nl->ext_msg[0] = '\0';
	for (at = 0; at < n; at += m) {
		struct probe p = { got, each, 0, 0, 0 };

		m = n - at < NL_PROBE_BATCH ? n - at : NL_PROBE_BATCH;
		/* Each builder clears NL_BUILD_SIZE bytes where it writes,
		 * so each message is built apart and then appended. */
		for (i = 0, len = 0; i < m; i++) {
			size_t one = nl_build_getlink_altname(msg,
							     names[at + i]);

			if (!one || len + one > sizeof(buf))
				return -EINVAL;
			memcpy(buf + len, msg, one);
			len += one;
		}
		p.n = m;
		memset(each, 0, sizeof(each));
		err = nl_roundtrip_each(nl, buf, len, probe_cb, &p, each, m);
		/* ENODEV per name is the answer "free", not a failure. */
		if (err && err != -ENODEV)
			return err;
		for (i = 0, k = 0; i < m; i++) {
			memset(&links[at + i], 0, sizeof(links[at + i]));
			if (each[i] == -ENODEV)
				continue;
			if (each[i])
				return each[i];
			if (k >= p.next)
				return -EPROTO;	/* an ACK without its link */
			links[at + i] = got[k++];
		}
		if (k != p.next)
			return -EPROTO;
	}
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
