/* test_helper_seal.c - unit tests: the sealed port's netlink requests (veth pair, tc redirects, link up), read back attribute by attribute */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/veth.h>

#include "seal.h"

static union {
	struct nlmsghdr hdr;
	char buf[NL_BUILD_SIZE];
} b;

/* The attribute of type @type directly in @nest's payload (or, with
 * @nest NULL, in message @nlh after a header of @hdrlen bytes). */
static const struct nlattr *find(const struct nlmsghdr *nlh, size_t hdrlen,
				 const struct nlattr *nest, unsigned type)
{
	const struct nlattr *a;

	if (nest) {
		mnl_attr_for_each_nested(a, nest)
			if (mnl_attr_get_type(a) == type)
				return a;
	} else {
		mnl_attr_for_each(a, nlh, hdrlen)
			if (mnl_attr_get_type(a) == type)
				return a;
	}
	return NULL;
}

static const struct nlattr *must(const struct nlattr *a)
{
	assert_non_null(a);
	return a;
}

/* Every byte that is not the request's own is zero: stale bytes would go
 * to the kernel in padding (see test_helper_nl_bytes.c). */
static void assert_all_written(size_t len)
{
	size_t i;

	for (i = len; i < sizeof(b.buf); i++)
		if (b.buf[i])
			fail_msg("byte %zu after the request is not zero", i);
}

static void test_veth_request_creates_a_pair_with_the_peer_in_our_namespace(void **state)
{
	const struct nlattr *info, *data, *peer, *a;
	const struct ifinfomsg *pifi;
	size_t len;

	memset(b.buf, 0xaa, sizeof(b.buf));
	len = seal_build_veth(b.buf, "tap0123abcd", "veth0", 4242, 1400);
	assert_true(len > 0);
	assert_int_equal(b.hdr.nlmsg_len, len);
	assert_all_written(len);
	assert_int_equal(b.hdr.nlmsg_type, RTM_NEWLINK);
	assert_int_equal(b.hdr.nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL),
			 NLM_F_CREATE | NLM_F_EXCL);
	assert_int_equal(((struct ifinfomsg *)mnl_nlmsg_get_payload(&b.hdr))->ifi_index, 0);
	assert_string_equal(mnl_attr_get_str(must(find(&b.hdr, sizeof(struct ifinfomsg), NULL, IFLA_IFNAME))),
			    "tap0123abcd");
	assert_int_equal(mnl_attr_get_u32(must(find(&b.hdr, sizeof(struct ifinfomsg), NULL, IFLA_MTU))), 1400);
	/* The host-side end stays where the socket is: no namespace attribute. */
	assert_null(find(&b.hdr, sizeof(struct ifinfomsg), NULL, IFLA_NET_NS_PID));
	info = must(find(&b.hdr, sizeof(struct ifinfomsg), NULL, IFLA_LINKINFO));
	assert_string_equal(mnl_attr_get_str(must(find(NULL, 0, info, IFLA_INFO_KIND))), "veth");
	data = must(find(NULL, 0, info, IFLA_INFO_DATA));
	peer = must(find(NULL, 0, data, VETH_INFO_PEER));
	/* VETH_INFO_PEER: a struct ifinfomsg, then the peer's attributes. */
	assert_true(mnl_attr_get_payload_len(peer) > sizeof(*pifi));
	pifi = mnl_attr_get_payload(peer);
	assert_int_equal(pifi->ifi_index, 0);
	assert_int_equal(pifi->ifi_flags, 0);
	{
		const char *p = (const char *)pifi + NLMSG_ALIGN(sizeof(*pifi));
		const char *end = (const char *)peer + peer->nla_len;
		bool name = false, pid = false, mtu = false;

		while (p + sizeof(struct nlattr) <= end) {
			a = (const struct nlattr *)(const void *)p;
			if (mnl_attr_get_type(a) == IFLA_IFNAME) {
				assert_string_equal(mnl_attr_get_str(a), "veth0");
				name = true;
			} else if (mnl_attr_get_type(a) == IFLA_NET_NS_PID) {
				assert_int_equal(mnl_attr_get_u32(a), 4242);
				pid = true;
			} else if (mnl_attr_get_type(a) == IFLA_MTU) {
				assert_int_equal(mnl_attr_get_u32(a), 1400);
				mtu = true;
			}
			p += NLA_ALIGN(a->nla_len);
		}
		assert_true(name && pid && mtu);
	}
}

static void test_veth_request_refuses_what_cannot_be_expressed(void **state)
{
	assert_int_equal(seal_build_veth(b.buf, "0123456789abcdef", "veth0", 1, 1500), 0);
	assert_int_equal(seal_build_veth(b.buf, "", "veth0", 1, 1500), 0);
	assert_int_equal(seal_build_veth(b.buf, "tapx", NULL, 1, 1500), 0);
	assert_int_equal(seal_build_veth(b.buf, "tapx", "veth0", 0, 1500), 0);
	assert_int_equal(seal_build_veth(b.buf, "tapx", "veth0", 1, 0), 0);
}

static void test_redirect_is_an_ingress_qdisc_then_a_u32_mirred_filter(void **state)
{
	const struct nlattr *opts, *acts, *act, *aopts, *a;
	const struct nlmsghdr *q, *f;
	const struct tcmsg *t;
	const struct tc_u32_sel *sel;
	const struct tc_mirred *m;
	size_t len;

	memset(b.buf, 0xaa, sizeof(b.buf));
	len = seal_build_redirect(b.buf, 5, 7);
	assert_true(len > 0);
	assert_all_written(len);

	q = &b.hdr;
	assert_int_equal(q->nlmsg_type, RTM_NEWQDISC);
	assert_int_equal(q->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL), NLM_F_CREATE | NLM_F_EXCL);
	t = mnl_nlmsg_get_payload(q);
	assert_int_equal(t->tcm_ifindex, 5);
	assert_int_equal(t->tcm_parent, TC_H_INGRESS);
	assert_int_equal(t->tcm_handle, 0xffff0000);
	assert_string_equal(mnl_attr_get_str(must(find(q, sizeof(*t), NULL, TCA_KIND))), "ingress");

	f = (const struct nlmsghdr *)(const void *)(b.buf + NLMSG_ALIGN(q->nlmsg_len));
	assert_int_equal(NLMSG_ALIGN(q->nlmsg_len) + f->nlmsg_len, len);
	assert_int_equal(f->nlmsg_type, RTM_NEWTFILTER);
	assert_int_equal(f->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL), NLM_F_CREATE | NLM_F_EXCL);
	t = mnl_nlmsg_get_payload(f);
	assert_int_equal(t->tcm_ifindex, 5);
	assert_int_equal(t->tcm_parent, 0xffff0000);
	assert_int_equal(TC_H_MAJ(t->tcm_info), 1U << 16);		/* pref 1 */
	assert_int_equal(TC_H_MIN(t->tcm_info), htons(ETH_P_ALL));	/* protocol all */
	assert_string_equal(mnl_attr_get_str(must(find(f, sizeof(*t), NULL, TCA_KIND))), "u32");
	opts = must(find(f, sizeof(*t), NULL, TCA_OPTIONS));
	a = must(find(NULL, 0, opts, TCA_U32_SEL));
	assert_int_equal(mnl_attr_get_payload_len(a),
			 sizeof(struct tc_u32_sel) + sizeof(struct tc_u32_key));
	sel = mnl_attr_get_payload(a);
	assert_int_equal(sel->nkeys, 1);
	assert_true(sel->flags & TC_U32_TERMINAL);
	assert_int_equal(sel->keys[0].mask, 0);		/* matches every frame */
	assert_int_equal(sel->keys[0].val, 0);
	assert_int_equal(sel->keys[0].off, 0);
	acts = must(find(NULL, 0, opts, TCA_U32_ACT));
	act = must(find(NULL, 0, acts, 1));
	assert_string_equal(mnl_attr_get_str(must(find(NULL, 0, act, TCA_ACT_KIND))), "mirred");
	aopts = must(find(NULL, 0, act, TCA_ACT_OPTIONS));
	a = must(find(NULL, 0, aopts, TCA_MIRRED_PARMS));
	assert_int_equal(mnl_attr_get_payload_len(a), sizeof(*m));
	m = mnl_attr_get_payload(a);
	assert_int_equal(m->eaction, TCA_EGRESS_REDIR);
	assert_int_equal(m->action, TC_ACT_STOLEN);
	assert_int_equal(m->ifindex, 7);
}

static void test_redirect_refuses_bad_indexes(void **state)
{
	assert_int_equal(seal_build_redirect(b.buf, 0, 7), 0);
	assert_int_equal(seal_build_redirect(b.buf, 5, -1), 0);
	assert_int_equal(seal_build_redirect(b.buf, 5, 5), 0);
}

static void test_up_sets_the_ipv6_mode_in_a_message_before_the_flags(void **state)
{
	const struct nlattr *af, *in6;
	const struct nlmsghdr *m1 = &b.hdr, *m2;
	const struct ifinfomsg *ifi;
	size_t len;

	memset(b.buf, 0xaa, sizeof(b.buf));
	len = seal_build_up(b.buf, 9, 1400, true);
	assert_true(len > 0);
	assert_all_written(len);
	assert_int_equal(m1->nlmsg_type, RTM_NEWLINK);
	ifi = mnl_nlmsg_get_payload(m1);
	assert_int_equal(ifi->ifi_index, 9);
	assert_int_equal(ifi->ifi_change, 0);		/* not up yet */
	assert_int_equal(mnl_attr_get_u32(must(find(m1, sizeof(*ifi), NULL, IFLA_MTU))), 1400);
	af = must(find(m1, sizeof(*ifi), NULL, IFLA_AF_SPEC));
	in6 = must(find(NULL, 0, af, AF_INET6));
	assert_int_equal(mnl_attr_get_u8(must(find(NULL, 0, in6, IFLA_INET6_ADDR_GEN_MODE))),
			 IN6_ADDR_GEN_MODE_NONE);
	m2 = (const struct nlmsghdr *)(const void *)(b.buf + NLMSG_ALIGN(m1->nlmsg_len));
	assert_int_equal(NLMSG_ALIGN(m1->nlmsg_len) + m2->nlmsg_len, len);
	ifi = mnl_nlmsg_get_payload(m2);
	assert_int_equal(ifi->ifi_index, 9);
	assert_int_equal(ifi->ifi_flags, IFF_UP);
	assert_int_equal(ifi->ifi_change, IFF_UP);
	/* And without IPv6: no AF_SPEC at all. */
	assert_true(seal_build_up(b.buf, 9, 1400, false) > 0);
	assert_null(find(m1, sizeof(*ifi), NULL, IFLA_AF_SPEC));
	assert_int_equal(seal_build_up(b.buf, 0, 1400, true), 0);
}

static void test_guard_locks_the_port_then_adds_one_static_sticky_entry(void **state)
{
	static const unsigned char mac[6] = { 0x02, 0, 0, 0, 0, 0xaa };
	const struct nlattr *info, *slave, *a;
	const struct nlmsghdr *m1 = &b.hdr, *m2;
	const struct ifinfomsg *ifi;
	const struct ndmsg *ndm;
	size_t len;

	memset(b.buf, 0xaa, sizeof(b.buf));
	len = seal_build_guard(b.buf, 11, mac);
	assert_true(len > 0);
	assert_all_written(len);

	assert_int_equal(m1->nlmsg_type, RTM_NEWLINK);
	assert_int_equal(m1->nlmsg_flags & NLM_F_CREATE, 0);
	ifi = mnl_nlmsg_get_payload(m1);
	assert_int_equal(ifi->ifi_index, 11);
	assert_int_equal(ifi->ifi_change, 0);		/* the link is left down */
	info = must(find(m1, sizeof(*ifi), NULL, IFLA_LINKINFO));
	assert_string_equal(mnl_attr_get_str(must(find(NULL, 0, info, IFLA_INFO_SLAVE_KIND))), "bridge");
	slave = must(find(NULL, 0, info, IFLA_INFO_SLAVE_DATA));
	assert_int_equal(mnl_attr_get_u8(must(find(NULL, 0, slave, IFLA_BRPORT_LEARNING))), 0);
	assert_int_equal(mnl_attr_get_u8(must(find(NULL, 0, slave, IFLA_BRPORT_LOCKED))), 1);

	m2 = (const struct nlmsghdr *)(const void *)(b.buf + NLMSG_ALIGN(m1->nlmsg_len));
	assert_int_equal(NLMSG_ALIGN(m1->nlmsg_len) + m2->nlmsg_len, len);
	assert_int_equal(m2->nlmsg_type, RTM_NEWNEIGH);
	/* EXCL: a MAC the bridge knows is refused, never moved. */
	assert_int_equal(m2->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL | NLM_F_REPLACE),
			 NLM_F_CREATE | NLM_F_EXCL);
	ndm = mnl_nlmsg_get_payload(m2);
	assert_int_equal(ndm->ndm_family, AF_BRIDGE);
	assert_int_equal(ndm->ndm_ifindex, 11);
	assert_int_equal(ndm->ndm_state, NUD_NOARP);		/* static */
	assert_int_equal(ndm->ndm_flags, NTF_MASTER | NTF_STICKY);
	a = must(find(m2, sizeof(*ndm), NULL, NDA_LLADDR));
	assert_int_equal(mnl_attr_get_payload_len(a), 6);
	assert_memory_equal(mnl_attr_get_payload(a), mac, 6);
	assert_null(find(m2, sizeof(*ndm), NULL, NDA_VLAN));
}

static void test_guard_refuses_group_and_zero_macs(void **state)
{
	static const unsigned char group[6] = { 0x03, 0, 0, 0, 0, 1 };
	static const unsigned char zero[6] = { 0 };
	static const unsigned char ok[6] = { 0x02, 0, 0, 0, 0, 1 };

	assert_int_equal(seal_build_guard(b.buf, 11, group), 0);
	assert_int_equal(seal_build_guard(b.buf, 11, zero), 0);
	assert_int_equal(seal_build_guard(b.buf, 0, ok), 0);
}

static void test_link_up_sets_only_iff_up(void **state)
{
	const struct ifinfomsg *ifi;
	size_t len = seal_build_link_up(b.buf, 11);

	assert_true(len > 0);
	ifi = mnl_nlmsg_get_payload(&b.hdr);
	assert_int_equal(ifi->ifi_index, 11);
	assert_int_equal(ifi->ifi_flags, IFF_UP);
	assert_int_equal(ifi->ifi_change, IFF_UP);
	assert_int_equal(len, NLMSG_LENGTH(sizeof(*ifi)));
	assert_int_equal(seal_build_link_up(b.buf, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_veth_request_creates_a_pair_with_the_peer_in_our_namespace),
		cmocka_unit_test(test_veth_request_refuses_what_cannot_be_expressed),
		cmocka_unit_test(test_redirect_is_an_ingress_qdisc_then_a_u32_mirred_filter),
		cmocka_unit_test(test_redirect_refuses_bad_indexes),
		cmocka_unit_test(test_up_sets_the_ipv6_mode_in_a_message_before_the_flags),
		cmocka_unit_test(test_guard_locks_the_port_then_adds_one_static_sticky_entry),
		cmocka_unit_test(test_guard_refuses_group_and_zero_macs),
		cmocka_unit_test(test_link_up_sets_only_iff_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
