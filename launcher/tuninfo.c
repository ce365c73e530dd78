/* tuninfo.c - what the kernel says about one tun/tap interface, over rtnetlink */
#include <errno.h>
#include <string.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "nl.h"
#include "tuninfo.h"

size_t tuninfo_build_request(void *buf, int ifindex, const char *name)
{
	struct nlmsghdr *nlh;

	/* By name: the whole name or nothing, never a cut one. */
	if (!ifindex && (!name || !name[0] ||
			 strnlen(name, IF_NAMESIZE) >= IF_NAMESIZE))
		return 0;
	if (ifindex < 0)
		return 0;
	nl_build_clear(buf);
	nlh = nl_put_link_msg(buf, RTM_GETLINK, 0, ifindex);
	if (!ifindex)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh->nlmsg_len;
}

static uint8_t get_u8(const struct nlattr *a)
{
	return mnl_attr_get_payload_len(a) >= 1 ? mnl_attr_get_u8(a) : 0;
}

/* IFLA_INFO_DATA of kind "tun": one table, sized for its own level. */
static void parse_tun_data(const struct nlattr *data, struct tuninfo *ti)
{
	const struct nlattr *tb[IFLA_TUN_MAX + 1] = { NULL };

	if (nl_parse_nested(data, tb, IFLA_TUN_MAX))
		return;
	ti->has_tun = true;
	if (tb[IFLA_TUN_TYPE])
		ti->type = get_u8(tb[IFLA_TUN_TYPE]);
	if (tb[IFLA_TUN_PI])
		ti->pi = get_u8(tb[IFLA_TUN_PI]);
	if (tb[IFLA_TUN_VNET_HDR])
		ti->vnet_hdr = get_u8(tb[IFLA_TUN_VNET_HDR]);
	if (tb[IFLA_TUN_PERSIST])
		ti->persist = get_u8(tb[IFLA_TUN_PERSIST]);
	if (tb[IFLA_TUN_MULTI_QUEUE])
		ti->multi_queue = get_u8(tb[IFLA_TUN_MULTI_QUEUE]);
	if (tb[IFLA_TUN_NUM_QUEUES] &&
	    mnl_attr_get_payload_len(tb[IFLA_TUN_NUM_QUEUES]) >= 4) {
		ti->has_num_queues = true;
		ti->num_queues = mnl_attr_get_u32(tb[IFLA_TUN_NUM_QUEUES]);
	}
}

int tuninfo_parse(const struct nlmsghdr *nlh, struct tuninfo *ti)
{
	struct nl_link_msg m;

	memset(ti, 0, sizeof(*ti));
	/* lib/nl.c's reader: the name and the kind whole, or an error. */
	if (nl_link_msg_parse(nlh, &m))
		return -EPROTO;
	ti->ifindex = m.ifi->ifi_index;
	memcpy(ti->name, m.name, sizeof(ti->name));
	memcpy(ti->kind, m.kind, sizeof(ti->kind));
	if (!strcmp(ti->kind, "tun") && m.info[IFLA_INFO_DATA])
		parse_tun_data(m.info[IFLA_INFO_DATA], ti);
	return 0;
}

struct reply {
	struct tuninfo *ti;
	bool got;
};

static int on_link(const struct nlmsghdr *nlh, void *data)
{
	struct reply *r = data;

	if (r->got || tuninfo_parse(nlh, r->ti)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	r->got = true;
	return MNL_CB_OK;
}

int tuninfo_get(int ifindex, const char *name, struct tuninfo *ti)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	struct reply r = { .ti = ti };
	struct nl nl;
	size_t len;
	int ret;

	memset(ti, 0, sizeof(*ti));
	len = tuninfo_build_request(buf, ifindex, name);
	if (!len)
		return -EINVAL;
	ret = nl_open(&nl);
	if (ret)
		return ret;
	/* The one round trip of lib/nl.c: sequence numbers, port id,
	 * EINTR, extended ACK and strict checking as the helper has them. */
	ret = nl_roundtrip(&nl, buf, len, on_link, &r);
	nl_close(&nl);
	if (ret)
		return ret;	/* -ENODEV: no such interface */
	return r.got ? 0 : -EPROTO;
}
