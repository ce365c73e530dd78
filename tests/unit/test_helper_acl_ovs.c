/* test_helper_acl_ovs.c - the ACL's Open vSwitch port options: vlan= and iface-id= patterns, one test per rule */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A host whose only Linux bridge is br0: what parse() tells at load time. */
static bool br0_is_linux(const char *name)
{
	return !strcmp(name, "br0");
}
#define ACL_TEST_PROBE br0_is_linux

#include "acl_test.h"

static const struct acl_principal alice = { .uid = 1001, .gid = 1001 };

static struct acl_decision decide_ok(const char *text, const char *bridge)
{
	struct acl *acl = parse(text);
	struct acl_decision d;

	if (acl_nerrors(acl))
		fail_msg("unexpected error: %s", acl_error(acl, 0));
	assert_int_equal(acl_decide(acl, bridge, &alice, &d), 0);
	acl_free(acl);	/* d holds copies, except origins' file names */
	return d;
}

static void test_vlan_from_1_to_4094_sets_the_tag(void **state)
{
	struct acl_decision d = decide_ok("allow br-int vlan=1\nallow br-ex vlan=4094\n",
					  "br-int");

	assert_true(d.allowed);
	assert_int_equal(d.opts.vlan, 1);
	d = decide_ok("allow br-int vlan=1\nallow br-ex vlan=4094\n", "br-ex");
	assert_int_equal(d.opts.vlan, 4094);
}

static void test_vlan_out_of_range_is_an_error(void **state)
{
	expect_error("allow br-int vlan=0\n",
		     "t.conf:1: invalid vlan '0': it must be a VLAN id from 1 to 4094");
	expect_error("allow br-int vlan=4095\n",
		     "t.conf:1: invalid vlan '4095': it must be a VLAN id from 1 to 4094");
	expect_error("allow br-int vlan=\n",
		     "t.conf:1: invalid vlan '': it must be a VLAN id from 1 to 4094");
	expect_error("allow br-int vlan=+5\n",
		     "t.conf:1: invalid vlan '+5': it must be a VLAN id from 1 to 4094");
}

static void test_vlan_on_a_linux_bridge_is_an_error_at_load_time(void **state)
{
	expect_error("allow br-int\nallow br0 vlan=10\n",
		     "t.conf:2: vlan= is an Open vSwitch option, and 'br0' is a Linux bridge");
}

static void test_vlan_on_all_is_left_to_the_request(void **state)
{
	struct acl_decision d = decide_ok("allow all vlan=7\n", "br0");

	/* The helper refuses it on a Linux bridge when a request comes. */
	assert_true(d.allowed);
	assert_int_equal(d.opts.vlan, 7);
}

static void test_vlan_twice_is_an_error(void **state)
{
	expect_error("allow br-int vlan=1 vlan=2\n", "t.conf:1: 'vlan=' given twice");
}

static void test_port_options_on_deny_are_errors(void **state)
{
	expect_error("deny br-int vlan=3\n",
		     "t.conf:1: 'vlan\\x3d3' is a port option: only allow rules take it");
	expect_error("deny br-int iface-id=x\n",
		     "t.conf:1: 'iface-id\\x3dx' is a port option: only allow rules take it");
}

static void test_most_specific_rule_supplies_the_vlan(void **state)
{
	struct acl_decision d = decide_ok("allow br-int user=1001 vlan=20\n"
					  "allow br-int vlan=10\n", "br-int");

	assert_int_equal(d.opts.vlan, 20);
	assert_int_equal(d.decided_by.line, 1);
}

static void test_iface_id_pattern_is_kept(void **state)
{
	struct acl_decision d = decide_ok("allow br-int iface-id=vm-%u-*\n", "br-int");

	assert_string_equal(d.opts.iface_id, "vm-%u-*");
	d = decide_ok("allow br-int\n", "br-int");
	assert_string_equal(d.opts.iface_id, "");
}

static void test_iface_id_pattern_errors(void **state)
{
	expect_error("allow br-int iface-id=\n",
		     "t.conf:1: invalid iface-id '': it needs a pattern");
	expect_error("allow br-int iface-id=a*b\n",
		     "t.conf:1: invalid iface-id 'a*b': it may have '*' only at its end");
	expect_error("allow br-int iface-id=a**\n",
		     "t.conf:1: invalid iface-id 'a**': it may have '*' only at its end");
	expect_error("allow br-int iface-id=%s\n",
		     "t.conf:1: invalid iface-id '%s': it has a '%' that is not %u or %U");
	expect_error("allow br-int iface-id=a%\n",
		     "t.conf:1: invalid iface-id 'a%': it has a '%' that is not %u or %U");
	expect_error("allow br-int iface-id=a/b\n",
		     "t.conf:1: invalid iface-id 'a/b': it has a character an iface-id cannot have");
	expect_error("allow br-int iface-id=a:b\n",
		     "t.conf:1: invalid iface-id 'a:b': it has a character an iface-id cannot have");
	expect_error("allow br-int iface-id="
		     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
		     "t.conf:1: invalid iface-id 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'...: "
		     "it is longer than 64 bytes");
}

static void test_iface_id_literal_matches_only_itself(void **state)
{
	assert_true(acl_iface_id_match("lsp1", "alice", 1001, "lsp1"));
	assert_false(acl_iface_id_match("lsp1", "alice", 1001, "lsp10"));
	assert_false(acl_iface_id_match("lsp1", "alice", 1001, "lsp"));
}

static void test_iface_id_percent_u_is_the_user_name(void **state)
{
	assert_true(acl_iface_id_match("%u-vm", "alice", 1001, "alice-vm"));
	assert_false(acl_iface_id_match("%u-vm", "bob", 1002, "alice-vm"));
}

static void test_iface_id_percent_U_is_the_uid(void **state)
{
	assert_true(acl_iface_id_match("u%U", "alice", 1001, "u1001"));
	assert_false(acl_iface_id_match("u%U", "alice", 1001, "u10011"));
	assert_false(acl_iface_id_match("u%U", "alice", 1002, "u1001"));
}

static void test_iface_id_trailing_star_matches_the_rest(void **state)
{
	assert_true(acl_iface_id_match("%u-*", "alice", 1001, "alice-web1"));
	assert_true(acl_iface_id_match("%u-*", "alice", 1001, "alice-"));
	assert_false(acl_iface_id_match("%u-*", "alice", 1001, "alicex-web"));
	/* "alice" must not reach "alice2"'s ports through the star. */
	assert_false(acl_iface_id_match("%u-*", "alice", 1001, "alice2-web"));
}

static void test_iface_id_star_is_literal_in_the_id(void **state)
{
	/* Only the pattern's last '*' is a wildcard. */
	assert_false(acl_iface_id_match("vm1", "alice", 1001, "*"));
}

static void test_empty_pattern_matches_nothing(void **state)
{
	assert_false(acl_iface_id_match("", "alice", 1001, ""));
	assert_false(acl_iface_id_match("", "alice", 1001, "x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vlan_from_1_to_4094_sets_the_tag),
		cmocka_unit_test(test_vlan_out_of_range_is_an_error),
		cmocka_unit_test(test_vlan_on_a_linux_bridge_is_an_error_at_load_time),
		cmocka_unit_test(test_vlan_on_all_is_left_to_the_request),
		cmocka_unit_test(test_vlan_twice_is_an_error),
		cmocka_unit_test(test_port_options_on_deny_are_errors),
		cmocka_unit_test(test_most_specific_rule_supplies_the_vlan),
		cmocka_unit_test(test_iface_id_pattern_is_kept),
		cmocka_unit_test(test_iface_id_pattern_errors),
		cmocka_unit_test(test_iface_id_literal_matches_only_itself),
		cmocka_unit_test(test_iface_id_percent_u_is_the_user_name),
		cmocka_unit_test(test_iface_id_percent_U_is_the_uid),
		cmocka_unit_test(test_iface_id_trailing_star_matches_the_rest),
		cmocka_unit_test(test_iface_id_star_is_literal_in_the_id),
		cmocka_unit_test(test_empty_pattern_matches_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
