/* test_helper_sweep.c - unit tests: what --sweep takes for the helper's TAP, and which of them it deletes (helper/sweep.c) */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "sweep.h"

static union {
	char buf[NL_BUILD_SIZE];
	struct nlmsghdr align;
} msg;

/* What a tun dump reply may carry about one interface. */
struct link {
	int ifindex;
	const char *name;
	const char *kind;	/* NULL: no IFLA_LINKINFO */
	const char *alias;	/* NULL: none */
	int persist;		/* -1: attribute absent */
	int carrier;
	int queues;		/* -1: absent (not multiqueue) */
	int disabled;
};

static const struct nlmsghdr *reply(const struct link *l)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	memset(msg.buf, 0, sizeof(msg.buf));
	nlh = mnl_nlmsg_put_header(msg.buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = l->ifindex;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, l->name);
	if (l->alias)
		mnl_attr_put_strz(nlh, IFLA_IFALIAS, l->alias);
	mnl_attr_put_u8(nlh, IFLA_CARRIER, (uint8_t)l->carrier);
	if (l->kind) {
		struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		struct nlattr *data;

		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, l->kind);
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		mnl_attr_put_u32(nlh, IFLA_TUN_OWNER, 4002);
		if (l->persist >= 0)
			mnl_attr_put_u8(nlh, IFLA_TUN_PERSIST, (uint8_t)l->persist);
		if (l->queues >= 0) {
			mnl_attr_put_u32(nlh, IFLA_TUN_NUM_QUEUES, (uint32_t)l->queues);
			mnl_attr_put_u32(nlh, IFLA_TUN_NUM_DISABLED_QUEUES,
					 (uint32_t)l->disabled);
		}
		mnl_attr_nest_end(nlh, data);
		mnl_attr_nest_end(nlh, info);
	}
	return nlh;
}

/* A persisted TAP the helper granted to uid 4001 for caller pid 77, no
 * longer held: what --sweep is for. */
static struct link left(void)
{
	return (struct link){ 7, "tap3", "tun", "tapgate uid=4001 pid=77",
			      1, 0, -1, 0 };
}

static void test_alias_of_the_helper_is_read(void **state)
{
	uid_t uid;
	pid_t pid;

	assert_int_equal(sweep_alias_parse("tapgate uid=4001 pid=77", &uid, &pid), 0);
	assert_int_equal(uid, 4001);
	assert_int_equal(pid, 77);
	assert_int_equal(sweep_alias_parse("tapgate uid=0 pid=1", &uid, &pid), 0);
	assert_int_equal(uid, 0);
}

static void test_any_other_alias_is_not_the_helpers(void **state)
{
	static const char *const bad[] = {
		"", "tapgate", "tapgate uid=4001", "tapgate uid=4001 pid=",
		"tapgate uid=4001 pid=77 ", " tapgate uid=4001 pid=77",
		"tapgate uid=4001 pid=77x", "tapgate uid=4001  pid=77",
		"tapgate uid=+4001 pid=77", "tapgate uid=-1 pid=77",
		"tapgate uid=4294967295 pid=77", "tapgate uid=99999999999 pid=77",
		"tapgate uid=4001 pid=0", "tapgate uid=4001 pid=2147483648",
		"Tapgate uid=4001 pid=77", "tapgate pid=77 uid=4001",
		"tapgate uid=4001 pid=77\n",
	};
	uid_t uid = 5;
	pid_t pid = 5;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (sweep_alias_parse(bad[i], &uid, &pid) != -EINVAL)
			fail_msg("alias '%s' was taken as the helper's", bad[i]);
	}
	assert_int_equal(uid, 5);
	assert_int_equal(pid, 5);
}

static void test_persisted_tap_of_the_helper_is_parsed(void **state)
{
	struct link l = left();
	struct sweep_tap t;

	assert_int_equal(sweep_tap_parse(reply(&l), &t), 1);
	assert_int_equal(t.ifindex, 7);
	assert_string_equal(t.name, "tap3");
	assert_int_equal(t.uid, 4001);
	assert_int_equal(t.pid, 77);
	assert_true(t.persist);
	assert_false(t.attached);
}

static void test_interface_without_the_alias_is_not_ours(void **state)
{
	struct link l = left();
	struct sweep_tap t;

	l.alias = NULL;
	assert_int_equal(sweep_tap_parse(reply(&l), &t), 0);
	l.alias = "tapgate uid=4001 pid=77 (mine)";
	assert_int_equal(sweep_tap_parse(reply(&l), &t), 0);
}

static void test_other_kind_with_the_alias_is_not_ours(void **state)
{
	struct link l = left();
	struct sweep_tap t;

	l.kind = "bridge";
	assert_int_equal(sweep_tap_parse(reply(&l), &t), 0);
	l.kind = NULL;
	assert_int_equal(sweep_tap_parse(reply(&l), &t), 0);
}

static void test_carrier_or_queues_mean_attached(void **state)
{
	struct link l = left();
	struct sweep_tap t;

	l.carrier = 1;
	assert_int_equal(sweep_tap_parse(reply(&l), &t), 1);
	assert_true(t.attached);
	l.carrier = 0;
	l.queues = 0;
	l.disabled = 1;
	assert_int_equal(sweep_tap_parse(reply(&l), &t), 1);
	assert_true(t.attached);
	l.disabled = 0;
	assert_int_equal(sweep_tap_parse(reply(&l), &t), 1);
	assert_false(t.attached);
}

static void test_malformed_message_is_refused(void **state)
{
	struct link l = left();
	struct sweep_tap t;
	struct nlmsghdr *nlh;

	l.ifindex = 0;
	assert_int_equal(sweep_tap_parse(reply(&l), &t), -EBADMSG);
	l = left();
	nlh = (struct nlmsghdr *)reply(&l);
	nlh->nlmsg_type = RTM_DELLINK;
	assert_int_equal(sweep_tap_parse(nlh, &t), -EBADMSG);
}

static void test_sweep_takes_only_persisted_unheld_own_taps(void **state)
{
	struct sweep_tap t = { .ifindex = 7, .uid = 4001, .pid = 77,
			       .persist = true, .attached = false };

	assert_true(sweep_wanted(&t, 4001, 0));
	assert_true(sweep_wanted(&t, 4001, 77));
	assert_false(sweep_wanted(&t, 4001, 78));
	assert_false(sweep_wanted(&t, 4002, 0));
	t.attached = true;
	assert_false(sweep_wanted(&t, 4001, 0));
	assert_false(sweep_wanted(&t, 0, 0));
	t.attached = false;
	t.persist = false;
	assert_false(sweep_wanted(&t, 4001, 0));
	assert_false(sweep_wanted(&t, 0, 0));
}

static void test_root_sweeps_anyones(void **state)
{
	struct sweep_tap t = { .ifindex = 7, .uid = 4001, .pid = 77,
			       .persist = true };

	assert_true(sweep_wanted(&t, 0, 0));
	assert_true(sweep_wanted(&t, 0, 77));
	assert_false(sweep_wanted(&t, 0, 1));
}

static void test_dump_asks_for_tun_devices(void **state)
{
	size_t len = sweep_build_dump(msg.buf);
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)msg.buf;

	assert_true(len > NLMSG_LENGTH(sizeof(struct ifinfomsg)));
	assert_int_equal(nlh->nlmsg_type, RTM_GETLINK);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_non_null(memmem(msg.buf, len, "tun", 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alias_of_the_helper_is_read),
		cmocka_unit_test(test_any_other_alias_is_not_the_helpers),
		cmocka_unit_test(test_persisted_tap_of_the_helper_is_parsed),
		cmocka_unit_test(test_interface_without_the_alias_is_not_ours),
		cmocka_unit_test(test_other_kind_with_the_alias_is_not_ours),
		cmocka_unit_test(test_carrier_or_queues_mean_attached),
		cmocka_unit_test(test_malformed_message_is_refused),
		cmocka_unit_test(test_sweep_takes_only_persisted_unheld_own_taps),
		cmocka_unit_test(test_root_sweeps_anyones),
		cmocka_unit_test(test_dump_asks_for_tun_devices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
