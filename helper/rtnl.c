/* rtnl.c - the helper's rtnetlink requests: bridge lookup, TAP port setup, alternative names, link deletion */

/*
 * Builders that fill a buffer (unit-tested) and thin operations around
 * them; every request goes through lib/nl.c's nl_roundtrip(), which says
 * what kernel behaviour it relies on. Kernel behaviour these rely on
 * besides: see each builder.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "rtnl.h"

_Static_assert(NL_ALIAS_MAX == IFALIASZ - 1, "alias limit is the kernel's");
_Static_assert(NL_ALTNAME_MAX == ALTIFNAMSIZ - 1, "altname limit is the kernel's");
/* A batch of NL_PROBE_BATCH lookups of the longest altnames fits the
 * builders' room: header 16, ifinfomsg 16, name 4 + 128, mask 8. */
_Static_assert(NL_PROBE_BATCH * (16 + 16 + 4 + ALTIFNAMSIZ + 8) <= NL_BUILD_SIZE,
	       "a probe batch fits NL_BUILD_SIZE");

/* Builders ------------------------------------------------------------- */

/* One RTM_GETLINK for @name given as attribute @type, without
 * statistics. ifi_index 0: the kernel then looks the whole name up
 * (rtnl_dev_get()); there is no "alias" reading of ':' here. */
static size_t build_getlink_by(void *buf, uint16_t type, const char *name)
{
	struct nlmsghdr *nlh;

	nl_build_clear(buf);
	nlh = nl_put_link_msg(buf, RTM_GETLINK, 0, 0);
	mnl_attr_put_strz(nlh, type, name);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return nlh->nlmsg_len;
}

size_t nl_build_getlink(void *buf, const char *name)
{
	return nl_name_fits(name) ? build_getlink_by(buf, IFLA_IFNAME, name) : 0;
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

	nl_build_clear(buf);
	nlh = nl_put_link_msg(buf, RTM_NEWLINK, 0, c->ifindex);
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

	nlh = nl_put_link_msg((char *)buf + len, RTM_NEWLINK, 0, c->ifindex);
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
	/* IFLA_ALT_IFNAME, not IFLA_IFNAME: the kernel looks both up in the
	 * one table of names and altnames (rtnl_dev_get()), but IFLA_IFNAME
	 * is refused over 15 bytes. */
	return altname_fits(name) ?
	       build_getlink_by(buf, IFLA_ALT_IFNAME, name) : 0;
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
	nl_build_clear(buf);
	nlh = nl_put_link_msg(buf, RTM_NEWLINKPROP, NLM_F_EXCL, ifindex);
	list = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);
	mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, name);
	mnl_attr_nest_end(nlh, list);
	return nlh->nlmsg_len;
}

size_t nl_build_dellink(void *buf, int ifindex, const char *name)
{
	struct nlmsghdr *nlh;

	if (ifindex <= 0 && !nl_name_fits(name))
		return 0;
	nl_build_clear(buf);
	nlh = nl_put_link_msg(buf, RTM_DELLINK, 0, ifindex > 0 ? ifindex : 0);
	if (ifindex <= 0)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh->nlmsg_len;
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
	struct nl_link *links;	/* the links found, in the order they came */
	size_t n, next;
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
	struct nl_link got[NL_PROBE_BATCH] = { 0 };
	size_t at, i, len, m, k;
	int err;

	nl->ext_msg[0] = '\0';
	for (at = 0; at < n; at += m) {
		struct probe p = { got, 0, 0 };

		m = n - at;
		if (m > NL_PROBE_BATCH)
			m = NL_PROBE_BATCH;
		/* Each builder clears NL_BUILD_SIZE bytes where it writes,
		 * so each message is built apart and then appended. */
		for (i = 0, len = 0; i < m; i++) {
			size_t one = nl_build_getlink_altname(msg,
							     names[at + i]);

			err = nl_batch_append(buf, &len, msg, one);
			if (err)
				return err;
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
