/* tuninfo.c - what the kernel says about one tun/tap interface, over rtnetlink */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "tuninfo.h"

size_t tuninfo_build_request(void *buf, uint32_t seq, int ifindex,
			     const char *name)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (!ifindex)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh->nlmsg_len;
}

/* Callback state: one array per nesting level, as mnl_attr_parse wants. */
struct attrs {
	const struct nlattr *tb[IFLA_MAX + 1];
};

static int keep_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	/* Each caller's table is sized for its level's maximum; skip the
	 * unknown ones (newer kernels add attributes). */
	if (type > IFLA_MAX)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

static uint8_t get_u8(const struct nlattr *a)
{
	return mnl_attr_get_payload_len(a) >= 1 ? mnl_attr_get_u8(a) : 0;
}

static void parse_tun_data(const struct nlattr *data, struct tuninfo *ti)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL };

	if (mnl_attr_parse_nested(data, keep_attr, tb) < 0)
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
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL };
	const struct nlattr *li[IFLA_MAX + 1] = { NULL };
	const struct ifinfomsg *ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return -EPROTO;
	ifi = mnl_nlmsg_get_payload(nlh);
	memset(ti, 0, sizeof(*ti));
	ti->ifindex = ifi->ifi_index;
	if (mnl_attr_parse(nlh, sizeof(*ifi), keep_attr, tb) < 0)
		return -EPROTO;
	if (tb[IFLA_IFNAME] &&
	    mnl_attr_get_payload_len(tb[IFLA_IFNAME]) <= sizeof(ti->name))
		strncpy(ti->name, mnl_attr_get_str(tb[IFLA_IFNAME]),
			sizeof(ti->name) - 1);
	if (!tb[IFLA_LINKINFO] ||
	    mnl_attr_parse_nested(tb[IFLA_LINKINFO], keep_attr, li) < 0)
		return 0;
	if (li[IFLA_INFO_KIND] &&
	    mnl_attr_get_payload_len(li[IFLA_INFO_KIND]) <= sizeof(ti->kind))
		strncpy(ti->kind, mnl_attr_get_str(li[IFLA_INFO_KIND]),
			sizeof(ti->kind) - 1);
	if (!strcmp(ti->kind, "tun") && li[IFLA_INFO_DATA])
		parse_tun_data(li[IFLA_INFO_DATA], ti);
	return 0;
}

struct reply {
	struct tuninfo *ti;
	int err;
	bool got;
};

static int on_link(const struct nlmsghdr *nlh, void *data)
{
	struct reply *r = data;

	r->err = tuninfo_parse(nlh, r->ti);
	r->got = !r->err;
	return r->err ? MNL_CB_ERROR : MNL_CB_OK;
}

int tuninfo_get(int ifindex, const char *name, struct tuninfo *ti)
{
	char buf[TUNINFO_BUF];
	struct reply r = { .ti = ti };
	struct mnl_socket *sk;
	uint32_t seq = (uint32_t)time(NULL), portid;
	size_t len;
	ssize_t n;
	int ret;

	sk = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!sk)
		return -errno;
	if (mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(sk);
	len = tuninfo_build_request(buf, seq, ifindex, name);
	if (mnl_socket_sendto(sk, buf, len) < 0) {
		ret = -errno;
		goto out;
	}
	/* The reply, then the ACK: read until mnl_cb_run() says stop. */
	do {
		n = mnl_socket_recvfrom(sk, buf, sizeof(buf));
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, on_link, &r);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		ret = r.err ? r.err : -errno;
	else
		ret = r.got ? 0 : -ENODEV;
out:
	mnl_socket_close(sk);
	return ret;
}
