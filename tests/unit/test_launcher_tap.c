/* test_launcher_tap.c - unit tests: the helper's command line, checking the TAP it sends, finding who holds a TAP */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>

#include "gettap.h"
#include "tapcheck.h"
#include "teardown.h"
#include "nl.h"
#include "tuninfo.h"

/* ---- the helper's command line ---- */

static void test_helper_argv_is_libvirts_for_one_queue(void **state)
{
	char *argv[8], buf[96];

	assert_int_equal(helper_argv("/h", "br0", 3, 1, NULL, NULL, argv, buf, sizeof(buf)),
			 4);
	assert_string_equal(argv[0], "/h");
	assert_string_equal(argv[1], "--use-vnet");
	assert_string_equal(argv[2], "--br=br0");
	assert_string_equal(argv[3], "--fd=3");
	assert_null(argv[4]);
}

static void test_helper_argv_asks_for_queues_only_when_more_than_one(void **state)
{
	char *argv[8], buf[96];

	assert_int_equal(helper_argv("/h", "br0", 3, 4, NULL, NULL, argv, buf, sizeof(buf)),
			 5);
	assert_string_equal(argv[4], "--queues=4");
	assert_null(argv[5]);
}

static void test_helper_argv_never_truncates(void **state)
{
	char *argv[8], buf[16];

	assert_int_equal(helper_argv("/h", "abcdefghijklmno", 3, 1, NULL, NULL, argv, buf,
				     sizeof(buf)), -ENAMETOOLONG);
}

static void test_helper_argv_passes_the_guest_mac_last(void **state)
{
	static const unsigned char mac[6] = { 0x02, 0xab, 0, 0, 0, 0x0f };
	char *argv[8], buf[96];

	assert_int_equal(helper_argv("/h", "br0", 3, 16, mac, NULL, argv, buf,
				     sizeof(buf)), 6);
	assert_string_equal(argv[4], "--queues=16");
	assert_string_equal(argv[5], "--mac=02:ab:00:00:00:0f");
	assert_null(argv[6]);
	assert_int_equal(helper_argv("/h", "br0", 3, 1, mac, NULL, argv, buf,
				     sizeof(buf)), 5);
	assert_string_equal(argv[4], "--mac=02:ab:00:00:00:0f");
	assert_null(argv[5]);
}

static void test_helper_argv_passes_the_iface_id_after_the_mac(void **state)
{
	static const unsigned char mac[6] = { 0x02, 0xab, 0, 0, 0, 0x0f };
	char *argv[8], buf[192];

	assert_int_equal(helper_argv("/h", "br-int", 3, 16, mac, "alice-web",
				     argv, buf, sizeof(buf)), 7);
	assert_string_equal(argv[5], "--mac=02:ab:00:00:00:0f");
	assert_string_equal(argv[6], "--iface-id=alice-web");
	assert_null(argv[7]);
	assert_int_equal(helper_argv("/h", "br-int", 3, 1, NULL, "x", argv, buf,
				     sizeof(buf)), 5);
	assert_string_equal(argv[4], "--iface-id=x");
}

/* ---- what makes a TAP the one asked for ---- */

static struct tuninfo good_tap(void)
{
	struct tuninfo ti = {
		.ifindex = 7, .name = "tap0", .kind = "tun", .has_tun = true,
		.type = IFF_TAP, .vnet_hdr = true,
		.has_num_queues = true, .num_queues = 1,
	};

	return ti;
}

#define IFF_GOOD (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR)

static void test_single_queue_tap_with_vnet_hdr_is_right(void **state)
{
	struct tuninfo ti = good_tap();

	assert_null(tap_problem(IFF_GOOD, &ti, 1, IFF_VNET_HDR));
}

static void test_multiqueue_tap_with_as_many_queues_is_right(void **state)
{
	struct tuninfo ti = good_tap();

	ti.multi_queue = true;
	ti.num_queues = 4;
	assert_null(tap_problem(IFF_GOOD | IFF_MULTI_QUEUE, &ti, 4,
				IFF_VNET_HDR | IFF_MULTI_QUEUE));
}

static void test_tun_device_is_refused(void **state)
{
	struct tuninfo ti = good_tap();

	assert_non_null(tap_problem(IFF_TUN | IFF_NO_PI, &ti, 1, 0));
	ti.type = IFF_TUN;
	assert_non_null(tap_problem(IFF_GOOD, &ti, 1, IFF_VNET_HDR));
}

static void test_other_kind_of_interface_is_refused(void **state)
{
	struct tuninfo ti = good_tap();

	strcpy(ti.kind, "veth");
	assert_non_null(tap_problem(IFF_GOOD, &ti, 1, IFF_VNET_HDR));
}

static void test_tap_with_packet_information_is_refused(void **state)
{
	struct tuninfo ti = good_tap();

	ti.pi = true;
	assert_string_equal(tap_problem(IFF_GOOD, &ti, 1, IFF_VNET_HDR),
			    "carries packet information (IFF_NO_PI is not set)");
}

static void test_missing_vnet_hdr_is_refused_when_the_kernel_offers_it(void **state)
{
	struct tuninfo ti = good_tap();

	ti.vnet_hdr = false;
	assert_string_equal(tap_problem(IFF_TAP | IFF_NO_PI, &ti, 1,
					IFF_TAP | IFF_VNET_HDR),
			    "lacks IFF_VNET_HDR, which the kernel offers");
}

static void test_missing_vnet_hdr_is_tolerated_when_the_kernel_lacks_it(void **state)
{
	struct tuninfo ti = good_tap();

	ti.vnet_hdr = false;
	assert_null(tap_problem(IFF_TAP | IFF_NO_PI, &ti, 1, IFF_TAP));
}

static void test_persistent_tap_is_refused(void **state)
{
	struct tuninfo ti = good_tap();

	ti.persist = true;
	assert_string_equal(tap_problem(IFF_GOOD, &ti, 1, IFF_VNET_HDR),
			    "is persistent (it would outlive QEMU)");
}

static void test_multiqueue_tap_for_one_queue_is_refused(void **state)
{
	struct tuninfo ti = good_tap();

	assert_non_null(tap_problem(IFF_GOOD | IFF_MULTI_QUEUE, &ti, 1,
				    IFF_VNET_HDR));
}

static void test_single_queue_tap_for_several_queues_is_refused(void **state)
{
	struct tuninfo ti = good_tap();

	ti.num_queues = 2;
	assert_non_null(tap_problem(IFF_GOOD, &ti, 2, IFF_VNET_HDR));
}

static void test_tap_with_other_queue_count_is_refused(void **state)
{
	struct tuninfo ti = good_tap();

	ti.num_queues = 3;
	assert_non_null(tap_problem(IFF_GOOD | IFF_MULTI_QUEUE, &ti, 2,
				    IFF_VNET_HDR));
}

static void test_wrong_number_of_fds_is_refused(void **state)
{
	int p[2], ifindex;
	char name[IF_NAMESIZE], why[160];
	bool sealed;
	int fds[2];

	assert_int_equal(pipe(p), 0);
	fds[0] = p[0];
	fds[1] = p[1];
	assert_int_equal(tap_check_fds(fds, 2, 1, name, &ifindex, &sealed, why,
				       sizeof(why)), -EPROTO);
	assert_string_equal(why, "sent 2 fds, but 1 was asked for");
	assert_int_equal(tap_check_fds(fds, 1, 2, name, &ifindex, &sealed, why,
				       sizeof(why)), -EPROTO);
	assert_string_equal(why, "sent 1 fds, but 2 were asked for");
	close(p[0]);
	close(p[1]);
}

static void test_fd_that_is_not_a_tap_is_refused(void **state)
{
	int p[2], ifindex;
	char name[IF_NAMESIZE], why[160];
	bool sealed;

	assert_int_equal(pipe(p), 0);
	assert_int_equal(tap_check_fds(p, 1, 1, name, &ifindex, &sealed, why,
				       sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "sent an fd that is not a TAP (TUNGETIFF"));
	close(p[0]);
	close(p[1]);
}

static void test_sealed_tap_is_judged_by_its_fd_flags(void **state)
{
	unsigned vnet = IFF_VNET_HDR;

	assert_null(sealed_tap_problem(IFF_TAP | IFF_VNET_HDR, 1, vnet));
	assert_null(sealed_tap_problem(IFF_TAP | IFF_VNET_HDR | IFF_MULTI_QUEUE, 4, vnet));
	assert_non_null(sealed_tap_problem(IFF_TUN, 1, 0));
	assert_non_null(sealed_tap_problem(IFF_TAP, 1, vnet));	/* vnet offered, not set */
	assert_string_equal(sealed_tap_problem(IFF_TAP | IFF_PERSIST, 1, 0),
			    "is persistent (it would outlive QEMU)");
	assert_non_null(sealed_tap_problem(IFF_TAP, 2, 0));
	assert_non_null(sealed_tap_problem(IFF_TAP | IFF_MULTI_QUEUE, 1, 0));
}

/* ---- the kernel's description of a TAP, over rtnetlink ---- */

static size_t build_newlink(char *buf, const char *kind, bool pi,
			    uint32_t queues)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *li, *data;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 42;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "tap9");
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u8(nlh, IFLA_TUN_TYPE, IFF_TAP);
	mnl_attr_put_u8(nlh, IFLA_TUN_PI, pi);
	mnl_attr_put_u8(nlh, IFLA_TUN_VNET_HDR, 1);
	mnl_attr_put_u8(nlh, IFLA_TUN_PERSIST, 0);
	mnl_attr_put_u8(nlh, IFLA_TUN_MULTI_QUEUE, queues > 1);
	mnl_attr_put_u32(nlh, IFLA_TUN_NUM_QUEUES, queues);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	return nlh->nlmsg_len;
}

static void test_tuninfo_reads_the_tun_attributes(void **state)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	struct tuninfo ti;

	build_newlink(buf, "tun", false, 2);
	assert_int_equal(tuninfo_parse((struct nlmsghdr *)buf, &ti), 0);
	assert_int_equal(ti.ifindex, 42);
	assert_string_equal(ti.name, "tap9");
	assert_string_equal(ti.kind, "tun");
	assert_true(ti.has_tun);
	assert_int_equal(ti.type, IFF_TAP);
	assert_false(ti.pi);
	assert_true(ti.vnet_hdr);
	assert_false(ti.persist);
	assert_true(ti.multi_queue);
	assert_true(ti.has_num_queues);
	assert_int_equal(ti.num_queues, 2);
}

static void test_tuninfo_reads_packet_information(void **state)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	struct tuninfo ti;

	build_newlink(buf, "tun", true, 1);
	assert_int_equal(tuninfo_parse((struct nlmsghdr *)buf, &ti), 0);
	assert_true(ti.pi);
}

static void test_tuninfo_ignores_data_of_other_kinds(void **state)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	struct tuninfo ti;

	build_newlink(buf, "veth", false, 1);
	assert_int_equal(tuninfo_parse((struct nlmsghdr *)buf, &ti), 0);
	assert_string_equal(ti.kind, "veth");
	assert_false(ti.has_tun);
}

static void test_tuninfo_request_by_name_carries_the_name(void **state)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct ifinfomsg *ifi;
	struct nlattr *a;
	bool named = false;
	size_t len;

	len = tuninfo_build_request(buf, 0, "tap3");
	assert_int_equal(len, nlh->nlmsg_len);
	assert_int_equal(nlh->nlmsg_type, RTM_GETLINK);
	/* NLM_F_ACK and the sequence number are nl_roundtrip()'s. */
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST);
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_index, 0);
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
		if (mnl_attr_get_type(a) == IFLA_IFNAME) {
			assert_string_equal(mnl_attr_get_str(a), "tap3");
			named = true;
		}
	assert_true(named);
}

static void test_tuninfo_request_by_index_carries_no_name(void **state)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct ifinfomsg *ifi;
	struct nlattr *a;

	assert_int_not_equal(tuninfo_build_request(buf, 17, NULL), 0);
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_index, 17);
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
		assert_int_not_equal(mnl_attr_get_type(a), IFLA_IFNAME);
}

static void test_tuninfo_request_never_cuts_a_name(void **state)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;

	assert_int_equal(tuninfo_build_request(buf, 0, "sixteen-bytes..."), 0);
	assert_int_equal(tuninfo_build_request(buf, 0, ""), 0);
	assert_int_equal(tuninfo_build_request(buf, 0, NULL), 0);
	assert_int_equal(tuninfo_build_request(buf, -1, NULL), 0);
	assert_int_not_equal(tuninfo_build_request(buf, 0, "fifteen-bytes.."), 0);
}

static void test_tuninfo_refuses_a_name_over_15_bytes_rather_than_cut_it(void **state)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct tuninfo ti;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 42;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "sixteen-bytes...");
	assert_int_equal(tuninfo_parse(nlh, &ti), -EPROTO);
}

/* ---- who holds a TAP: /proc/PID/fdinfo ---- */

static void test_fdinfo_names_the_tap_on_its_iff_line(void **state)
{
	assert_true(fdinfo_names_tap("pos:\t0\nflags:\t02\nmnt_id:\t15\n"
				     "ino:\t1\niff:\ttap3\n", "tap3"));
	assert_true(fdinfo_names_tap("iff:\ttap3", "tap3"));
}

static void test_fdinfo_of_another_tap_does_not_match(void **state)
{
	assert_false(fdinfo_names_tap("iff:\ttap30\n", "tap3"));
	assert_false(fdinfo_names_tap("iff:\ttap\n", "tap3"));
	assert_false(fdinfo_names_tap("xiff:\ttap3\n", "tap3"));
}

static void test_fdinfo_without_iff_does_not_match(void **state)
{
	assert_false(fdinfo_names_tap("pos:\t0\nflags:\t02\n", "tap3"));
	assert_false(fdinfo_names_tap("", "tap3"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helper_argv_is_libvirts_for_one_queue),
		cmocka_unit_test(test_helper_argv_passes_the_iface_id_after_the_mac),
		cmocka_unit_test(test_helper_argv_asks_for_queues_only_when_more_than_one),
		cmocka_unit_test(test_helper_argv_never_truncates),
		cmocka_unit_test(test_helper_argv_passes_the_guest_mac_last),
		cmocka_unit_test(test_single_queue_tap_with_vnet_hdr_is_right),
		cmocka_unit_test(test_multiqueue_tap_with_as_many_queues_is_right),
		cmocka_unit_test(test_tun_device_is_refused),
		cmocka_unit_test(test_other_kind_of_interface_is_refused),
		cmocka_unit_test(test_tap_with_packet_information_is_refused),
		cmocka_unit_test(test_missing_vnet_hdr_is_refused_when_the_kernel_offers_it),
		cmocka_unit_test(test_missing_vnet_hdr_is_tolerated_when_the_kernel_lacks_it),
		cmocka_unit_test(test_persistent_tap_is_refused),
		cmocka_unit_test(test_multiqueue_tap_for_one_queue_is_refused),
		cmocka_unit_test(test_single_queue_tap_for_several_queues_is_refused),
		cmocka_unit_test(test_tap_with_other_queue_count_is_refused),
		cmocka_unit_test(test_wrong_number_of_fds_is_refused),
		cmocka_unit_test(test_fd_that_is_not_a_tap_is_refused),
		cmocka_unit_test(test_sealed_tap_is_judged_by_its_fd_flags),
		cmocka_unit_test(test_tuninfo_reads_the_tun_attributes),
		cmocka_unit_test(test_tuninfo_reads_packet_information),
		cmocka_unit_test(test_tuninfo_ignores_data_of_other_kinds),
		cmocka_unit_test(test_tuninfo_request_by_name_carries_the_name),
		cmocka_unit_test(test_tuninfo_request_by_index_carries_no_name),
		cmocka_unit_test(test_tuninfo_request_never_cuts_a_name),
		cmocka_unit_test(test_tuninfo_refuses_a_name_over_15_bytes_rather_than_cut_it),
		cmocka_unit_test(test_fdinfo_names_the_tap_on_its_iff_line),
		cmocka_unit_test(test_fdinfo_of_another_tap_does_not_match),
		cmocka_unit_test(test_fdinfo_without_iff_does_not_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
