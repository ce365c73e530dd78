/* test_helper_rtnl.c - unit tests: the helper's rtnetlink builders, and lookups against the running kernel */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "rtnl.h"

static union {
	struct nlmsghdr hdr;
	char b[NL_RECV_SIZE];
} buf;

/* Helpers: read messages back --------------------------------------------- */

struct table {
	const struct nlattr *tb[IFLA_MAX + 1];
	unsigned count[IFLA_MAX + 1];
};

static int table_cb(const struct nlattr *attr, void *data)
{
	struct table *t = data;
	unsigned type = mnl_attr_get_type(attr);

	assert_true(type <= IFLA_MAX);
	t->tb[type] = attr;
	t->count[type]++;
	return MNL_CB_OK;
}

static void parse_msg(const struct nlmsghdr *nlh, struct table *t)
{
	memset(t, 0, sizeof(*t));
	assert_true(mnl_attr_parse(nlh, sizeof(struct ifinfomsg), table_cb,
				   t) >= 0);
}

static void parse_nest(const struct nlattr *nest, struct table *t)
{
	memset(t, 0, sizeof(*t));
	assert_non_null(nest);
	assert_true(mnl_attr_parse_nested(nest, table_cb, t) >= 0);
}

static const struct ifinfomsg *ifi_of(const struct nlmsghdr *nlh)
{
	assert_true(mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct ifinfomsg));
	return mnl_nlmsg_get_payload(nlh);
}

/* Split a batch into its messages; returns how many. */
static int split(void *b, size_t len, const struct nlmsghdr *msg[], int max)
{
	const struct nlmsghdr *nlh = b;
	int left = (int)len, n = 0;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		assert_true(n < max);
		msg[n++] = nlh;
	}
	assert_int_equal(left, 0);
	return n;
}

static void default_port(struct nl_port_config *c)
{
	static const unsigned char mac[6] = { 0xfe, 1, 2, 3, 4, 5 };

	memset(c, 0, sizeof(*c));
	c->ifindex = 7;
	c->master = 3;
	c->mtu = 9000;
	memcpy(c->mac, mac, sizeof(mac));
	c->alias = "tapgate uid=1000 pid=42";
}

/* Builders ------------------------------------------------------------------ */

static void test_getlink_request_names_the_exact_interface(void **state)
{
	const char *names[] = { "br0", "br0:1", "fifteen-bytes.." };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t len = nl_build_getlink(buf.b, names[i]);
		const struct ifinfomsg *ifi;
		struct table t;

		assert_int_equal(len, buf.hdr.nlmsg_len);
		assert_int_equal(buf.hdr.nlmsg_type, RTM_GETLINK);
		assert_int_equal(buf.hdr.nlmsg_flags, NLM_F_REQUEST);
		ifi = ifi_of(&buf.hdr);
		assert_int_equal(ifi->ifi_index, 0);	/* by name, not index */
		parse_msg(&buf.hdr, &t);
		assert_non_null(t.tb[IFLA_IFNAME]);
		/* The whole name, NUL-terminated, nothing cut at ':'. */
		assert_int_equal(mnl_attr_get_payload_len(t.tb[IFLA_IFNAME]),
				 strlen(names[i]) + 1);
		assert_string_equal(mnl_attr_get_str(t.tb[IFLA_IFNAME]),
				    names[i]);
	}
}

static void test_getlink_request_skips_statistics(void **state)
{
	struct table t;

	assert_true(nl_build_getlink(buf.b, "br0") > 0);
	parse_msg(&buf.hdr, &t);
	assert_non_null(t.tb[IFLA_EXT_MASK]);
	assert_int_equal(mnl_attr_get_u32(t.tb[IFLA_EXT_MASK]),
			 RTEXT_FILTER_SKIP_STATS);
}

static void test_getlink_refuses_what_cannot_be_a_name(void **state)
{
	assert_int_equal(nl_build_getlink(buf.b, ""), 0);
	assert_int_equal(nl_build_getlink(buf.b, NULL), 0);
	assert_int_equal(nl_build_getlink(buf.b, "sixteen-bytes..."), 0);
}

static void test_port_setup_sets_master_mtu_mac_alias_up(void **state)
{
	const struct nlmsghdr *msg[4];
	const struct ifinfomsg *ifi;
	struct nl_port_config c;
	struct table t;
	size_t len;
	int i;

	default_port(&c);
	len = nl_build_port_setup(buf.b, &c);
	assert_int_equal(split(buf.b, len, msg, 4), 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(msg[i]->nlmsg_type, RTM_NEWLINK);
		assert_int_equal(ifi_of(msg[i])->ifi_index, 7);
	}

	/* Message 1: everything but the flags. */
	parse_msg(msg[0], &t);
	assert_int_equal(mnl_attr_get_u32(t.tb[IFLA_MASTER]), 3);
	assert_int_equal(mnl_attr_get_u32(t.tb[IFLA_MTU]), 9000);
	assert_int_equal(mnl_attr_get_payload_len(t.tb[IFLA_ADDRESS]), 6);
	assert_memory_equal(mnl_attr_get_payload(t.tb[IFLA_ADDRESS]), c.mac, 6);
	/* The alias without its NUL: the kernel counts every byte. */
	assert_int_equal(mnl_attr_get_payload_len(t.tb[IFLA_IFALIAS]),
			 strlen(c.alias));
	assert_memory_equal(mnl_attr_get_payload(t.tb[IFLA_IFALIAS]), c.alias,
			    strlen(c.alias));
	assert_int_equal(ifi_of(msg[0])->ifi_change, 0);
	assert_int_equal(ifi_of(msg[0])->ifi_flags, 0);

	/* Message 2: up. */
	ifi = ifi_of(msg[1]);
	assert_int_equal(ifi->ifi_flags, IFF_UP);
	assert_int_equal(ifi->ifi_change, IFF_UP);
	parse_msg(msg[1], &t);
	assert_null(t.tb[IFLA_MASTER]);
}

static void test_port_setup_isolated_adds_isolation_before_up(void **state)
{
	const struct nlmsghdr *msg[4];
	struct nl_port_config c;
	struct table t, info, slave;
	size_t len;

	default_port(&c);
	c.isolated = true;
	len = nl_build_port_setup(buf.b, &c);
	assert_int_equal(split(buf.b, len, msg, 4), 2);

	/* Not with the master: the kernel applies slave data through the
	 * master the port already has. */
	parse_msg(msg[0], &t);
	assert_non_null(t.tb[IFLA_MASTER]);
	assert_null(t.tb[IFLA_LINKINFO]);

	/* With IFF_UP, which rtnl_changelink() applies after it. */
	assert_int_equal(ifi_of(msg[1])->ifi_change & IFF_UP, IFF_UP);
	parse_msg(msg[1], &t);
	parse_nest(t.tb[IFLA_LINKINFO], &info);
	assert_string_equal(mnl_attr_get_str(info.tb[IFLA_INFO_SLAVE_KIND]),
			    "bridge");
	assert_null(info.tb[IFLA_INFO_KIND]);
	parse_nest(info.tb[IFLA_INFO_SLAVE_DATA], &slave);
	assert_non_null(slave.tb[IFLA_BRPORT_ISOLATED]);
	assert_int_equal(mnl_attr_get_u8(slave.tb[IFLA_BRPORT_ISOLATED]), 1);
}

static void test_port_goes_up_only_as_a_bridge_port(void **state)
{
	const struct nlmsghdr *msg[4];
	struct nl_port_config c;
	struct table t, info, slave;
	size_t len;

	/* Not isolated: the flag is still sent, as 0, so that the message
	 * that brings the link up fails when there is no bridge master. */
	default_port(&c);
	len = nl_build_port_setup(buf.b, &c);
	assert_int_equal(split(buf.b, len, msg, 4), 2);
	parse_msg(msg[1], &t);
	parse_nest(t.tb[IFLA_LINKINFO], &info);
	parse_nest(info.tb[IFLA_INFO_SLAVE_DATA], &slave);
	assert_int_equal(mnl_attr_get_u8(slave.tb[IFLA_BRPORT_ISOLATED]), 0);
}

static void test_port_setup_stay_down_leaves_the_flags_alone(void **state)
{
	const struct nlmsghdr *msg[4];
	struct nl_port_config c;
	size_t len;
	int i;

	default_port(&c);
	c.stay_down = true;
	len = nl_build_port_setup(buf.b, &c);
	assert_int_equal(split(buf.b, len, msg, 4), 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(ifi_of(msg[i])->ifi_change, 0);
		assert_int_equal(ifi_of(msg[i])->ifi_flags, 0);
	}
}

static void test_port_setup_never_creates_a_device(void **state)
{
	const struct nlmsghdr *msg[4];
	struct nl_port_config c;
	int i, n;

	default_port(&c);
	n = split(buf.b, nl_build_port_setup(buf.b, &c), msg, 4);
	for (i = 0; i < n; i++)
		assert_int_equal(msg[i]->nlmsg_flags & (NLM_F_CREATE |
							NLM_F_REPLACE |
							NLM_F_EXCL), 0);
}

static void test_alias_too_long_is_refused(void **state)
{
	char alias[NL_ALIAS_MAX + 2];
	const struct nlmsghdr *msg[4];
	struct nl_port_config c;
	struct table t;
	size_t len;

	default_port(&c);
	memset(alias, 'a', sizeof(alias) - 1);
	alias[sizeof(alias) - 1] = '\0';	/* 256 bytes: IFALIASZ */
	c.alias = alias;
	assert_int_equal(nl_build_port_setup(buf.b, &c), 0);

	alias[NL_ALIAS_MAX] = '\0';		/* 255 bytes fit */
	len = nl_build_port_setup(buf.b, &c);
	assert_true(len > 0);
	split(buf.b, len, msg, 4);
	parse_msg(msg[0], &t);
	assert_int_equal(mnl_attr_get_payload_len(t.tb[IFLA_IFALIAS]),
			 NL_ALIAS_MAX);
}

static void test_port_setup_without_alias_leaves_it_alone(void **state)
{
	const struct nlmsghdr *msg[4] = { NULL };
	struct nl_port_config c;
	struct table t;

	default_port(&c);
	c.alias = NULL;
	assert_int_equal(split(buf.b, nl_build_port_setup(buf.b, &c), msg, 4), 2);
	parse_msg(msg[0], &t);
	assert_null(t.tb[IFLA_IFALIAS]);
	assert_non_null(t.tb[IFLA_MASTER]);
}

static void test_port_setup_refuses_index_not_positive(void **state)
{
	struct nl_port_config c;

	default_port(&c);
	c.ifindex = 0;
	assert_int_equal(nl_build_port_setup(buf.b, &c), 0);
	default_port(&c);
	c.master = -1;
	assert_int_equal(nl_build_port_setup(buf.b, &c), 0);
}

static void test_altname_lookup_names_it_as_an_altname(void **state)
{
	char longest[NL_ALTNAME_MAX + 1];
	const struct ifinfomsg *ifi;
	struct table t;
	size_t len;

	memset(longest, 'a', NL_ALTNAME_MAX);
	longest[NL_ALTNAME_MAX] = '\0';
	len = nl_build_getlink_altname(buf.b, longest);
	assert_int_equal(len, buf.hdr.nlmsg_len);
	assert_int_equal(buf.hdr.nlmsg_type, RTM_GETLINK);
	assert_int_equal(buf.hdr.nlmsg_flags, NLM_F_REQUEST);
	ifi = ifi_of(&buf.hdr);
	assert_int_equal(ifi->ifi_index, 0);
	parse_msg(&buf.hdr, &t);
	/* IFLA_IFNAME would be refused over 15 bytes. */
	assert_null(t.tb[IFLA_IFNAME]);
	assert_string_equal(mnl_attr_get_str(t.tb[IFLA_ALT_IFNAME]), longest);
	assert_int_equal(mnl_attr_get_u32(t.tb[IFLA_EXT_MASK]),
			 RTEXT_FILTER_SKIP_STATS);
}

static void test_altname_of_128_bytes_or_none_is_refused(void **state)
{
	char over[NL_ALTNAME_MAX + 2];

	memset(over, 'a', NL_ALTNAME_MAX + 1);
	over[NL_ALTNAME_MAX + 1] = '\0';
	assert_int_equal(nl_build_getlink_altname(buf.b, over), 0);
	assert_int_equal(nl_build_getlink_altname(buf.b, ""), 0);
	assert_int_equal(nl_build_getlink_altname(buf.b, NULL), 0);
	assert_int_equal(nl_build_altname_add(buf.b, 7, over), 0);
	assert_int_equal(nl_build_altname_add(buf.b, 7, ""), 0);
}

static void test_altname_add_is_one_prop_list_on_the_index(void **state)
{
	const struct ifinfomsg *ifi;
	struct table t, list;
	size_t len = nl_build_altname_add(buf.b, 7, "tapgate.uid4001.slot0");

	assert_int_equal(len, buf.hdr.nlmsg_len);
	assert_int_equal(buf.hdr.nlmsg_type, RTM_NEWLINKPROP);
	/* Never NLM_F_CREATE or NLM_F_REPLACE: a new name, or EEXIST. */
	assert_int_equal(buf.hdr.nlmsg_flags, NLM_F_REQUEST | NLM_F_EXCL);
	ifi = ifi_of(&buf.hdr);
	assert_int_equal(ifi->ifi_index, 7);
	parse_msg(&buf.hdr, &t);
	assert_int_equal(t.count[IFLA_PROP_LIST], 1);
	assert_null(t.tb[IFLA_IFNAME]);
	parse_nest(t.tb[IFLA_PROP_LIST], &list);
	assert_int_equal(list.count[IFLA_ALT_IFNAME], 1);
	assert_string_equal(mnl_attr_get_str(list.tb[IFLA_ALT_IFNAME]),
			    "tapgate.uid4001.slot0");
}

static void test_altname_add_refuses_index_not_positive(void **state)
{
	assert_int_equal(nl_build_altname_add(buf.b, 0, "tapgate.uid1.slot0"), 0);
	assert_int_equal(nl_build_altname_add(buf.b, -3, "tapgate.uid1.slot0"), 0);
}

/* By index alone (what --sweep sends: a name could belong to another
 * interface by now), or by name when there is no index (seal_undo()). */
static void test_delete_is_by_index_or_by_name(void **state)
{
	const struct ifinfomsg *ifi;
	struct table t;

	assert_int_equal(nl_build_dellink(buf.b, 42, NULL),
			 NLMSG_LENGTH(sizeof(struct ifinfomsg)));
	assert_int_equal(buf.hdr.nlmsg_type, RTM_DELLINK);
	assert_int_equal(buf.hdr.nlmsg_flags, NLM_F_REQUEST);
	ifi = ifi_of(&buf.hdr);
	assert_int_equal(ifi->ifi_index, 42);
	assert_true(nl_build_dellink(buf.b, 12, "tapx") > 0);
	assert_int_equal(ifi->ifi_index, 12);
	parse_msg(&buf.hdr, &t);
	assert_null(t.tb[IFLA_IFNAME]);
	assert_true(nl_build_dellink(buf.b, 0, "tap0123abcd") > 0);
	assert_int_equal(buf.hdr.nlmsg_type, RTM_DELLINK);
	assert_int_equal(ifi->ifi_index, 0);
	parse_msg(&buf.hdr, &t);
	assert_string_equal(mnl_attr_get_str(t.tb[IFLA_IFNAME]), "tap0123abcd");
}

static void test_delete_refuses_no_index_and_no_name(void **state)
{
	assert_int_equal(nl_build_dellink(buf.b, 0, NULL), 0);
	assert_int_equal(nl_build_dellink(buf.b, -3, NULL), 0);
	assert_int_equal(nl_build_dellink(buf.b, 0, ""), 0);
	assert_int_equal(nl_build_dellink(buf.b, 0, "sixteen-bytes-xx"), 0);
}

/* Against the running kernel, unprivileged, reading only ------------------- */

static void test_lookup_finds_exactly_the_name_asked(void **state)
{
	struct nl nl;
	struct nl_link l;

	assert_int_equal(nl_open(&nl), 0);
	assert_int_equal(nl_link_by_name(&nl, "lo", &l), 0);
	assert_int_equal(l.ifindex, 1);
	assert_string_equal(l.name, "lo");
	assert_true(l.mtu > 0);
	/* The ioctls' alias reading would find "lo" here. */
	assert_int_equal(nl_link_by_name(&nl, "lo:1", &l), -ENODEV);
	assert_int_equal(nl_link_by_name(&nl, "tapgate-none0", &l), -ENODEV);
	assert_int_equal(nl_link_by_name(&nl, "sixteen-bytes...", &l),
			 -EINVAL);
	nl_close(&nl);
}

static void test_kernel_message_reaches_ext_msg(void **state)
{
	struct nl nl;
	struct nlmsghdr *nlh;
	struct nl_link l;

	assert_int_equal(nl_open(&nl), 0);
	/* Strict checking refuses an attribute a GET does not take. */
	nlh = mnl_nlmsg_put_header(buf.b);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "lo");
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	assert_int_equal(nl_roundtrip(&nl, buf.b, nlh->nlmsg_len, NULL, NULL),
			 -EINVAL);
	assert_string_not_equal(nl.ext_msg, "");
	/* And the socket is still in step. */
	assert_int_equal(nl_link_by_name(&nl, "lo", &l), 0);
	assert_string_equal(nl.ext_msg, "");
	nl_close(&nl);
}

static void test_batch_is_read_to_its_end_after_a_failure(void **state)
{
	struct nl nl;
	struct nl_link l;
	size_t len;

	assert_int_equal(nl_open(&nl), 0);
	len = nl_build_getlink(buf.b, "tapgate-none0");
	len += nl_build_getlink(buf.b + len, "lo");
	assert_int_equal(nl_roundtrip(&nl, buf.b, len, NULL, NULL),
			 -ENODEV);
	assert_int_equal(nl_link_by_name(&nl, "lo", &l), 0);
	nl_close(&nl);
}

static void test_message_after_a_dump_is_refused(void **state)
{
	struct nl nl;
	size_t len;

	assert_int_equal(nl_open(&nl), 0);
	len = nl_build_getlink(buf.b, "lo");
	buf.hdr.nlmsg_flags |= NLM_F_DUMP;
	len += nl_build_getlink(buf.b + len, "lo");
	assert_int_equal(nl_roundtrip(&nl, buf.b, len, NULL, NULL), -EINVAL);
	nl_close(&nl);
}

static void test_altname_lookups_find_names_and_nothing_else(void **state)
{
	const char *names[NL_PROBE_BATCH + 2];
	struct nl_link l[NL_PROBE_BATCH + 2];
	char free_names[NL_PROBE_BATCH + 2][32];
	size_t i;
	struct nl nl;

	/* More than one batch: "lo" first and last, free names between. */
	for (i = 0; i < NL_PROBE_BATCH + 2; i++) {
		snprintf(free_names[i], sizeof(free_names[i]),
			 "tapgate.uid4294967294.slot%zu", i);
		names[i] = free_names[i];
	}
	names[0] = "lo";
	names[NL_PROBE_BATCH + 1] = "lo";
	assert_int_equal(nl_open(&nl), 0);
	assert_int_equal(nl_links_by_altname(&nl, names, NL_PROBE_BATCH + 2,
					     l), 0);
	assert_int_equal(l[0].ifindex, 1);
	assert_string_equal(l[0].name, "lo");
	for (i = 1; i <= NL_PROBE_BATCH; i++)
		assert_int_equal(l[i].ifindex, 0);
	assert_int_equal(l[NL_PROBE_BATCH + 1].ifindex, 1);
	nl_close(&nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_getlink_request_names_the_exact_interface),
		cmocka_unit_test(test_getlink_request_skips_statistics),
		cmocka_unit_test(test_getlink_refuses_what_cannot_be_a_name),
		cmocka_unit_test(test_port_setup_sets_master_mtu_mac_alias_up),
		cmocka_unit_test(test_port_setup_isolated_adds_isolation_before_up),
		cmocka_unit_test(test_port_goes_up_only_as_a_bridge_port),
		cmocka_unit_test(test_port_setup_stay_down_leaves_the_flags_alone),
		cmocka_unit_test(test_port_setup_never_creates_a_device),
		cmocka_unit_test(test_alias_too_long_is_refused),
		cmocka_unit_test(test_port_setup_without_alias_leaves_it_alone),
		cmocka_unit_test(test_port_setup_refuses_index_not_positive),
		cmocka_unit_test(test_altname_lookup_names_it_as_an_altname),
		cmocka_unit_test(test_altname_of_128_bytes_or_none_is_refused),
		cmocka_unit_test(test_altname_add_is_one_prop_list_on_the_index),
		cmocka_unit_test(test_altname_add_refuses_index_not_positive),
		cmocka_unit_test(test_delete_is_by_index_or_by_name),
		cmocka_unit_test(test_delete_refuses_no_index_and_no_name),
		cmocka_unit_test(test_lookup_finds_exactly_the_name_asked),
		cmocka_unit_test(test_kernel_message_reaches_ext_msg),
		cmocka_unit_test(test_batch_is_read_to_its_end_after_a_failure),
		cmocka_unit_test(test_message_after_a_dump_is_refused),
		cmocka_unit_test(test_altname_lookups_find_names_and_nothing_else),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
