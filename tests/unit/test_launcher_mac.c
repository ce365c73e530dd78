/* test_launcher_mac.c - unit tests: random, stable, parsed and formatted guest MACs, and QEMU's -name */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mac.h"
#include "vmmac.h"

/* What vmmac_stable(4001, "web", 0) gave when the scheme was made. */
#define STABLE_4001_WEB_0 "96:60:00:6b:35:ac"

static void test_random_mac_is_locally_administered(void **state)
{
	unsigned char m[MAC_LEN];
	int i;

	for (i = 0; i < 64; i++) {
		assert_int_equal(mac_random(m), 0);
		assert_true(m[0] & 0x02);
	}
}

static void test_random_mac_is_unicast(void **state)
{
	unsigned char m[MAC_LEN];
	int i;

	for (i = 0; i < 64; i++) {
		assert_int_equal(mac_random(m), 0);
		assert_false(m[0] & 0x01);
	}
}

static void test_two_random_macs_differ(void **state)
{
	unsigned char a[MAC_LEN], b[MAC_LEN];

	assert_int_equal(mac_random(a), 0);
	assert_int_equal(mac_random(b), 0);
	/* 46 random bits: equal draws mean the randomness is broken. */
	assert_memory_not_equal(a, b, MAC_LEN);
}

static void test_local_unicast_sets_only_the_two_low_bits_of_byte_0(void **state)
{
	unsigned char m[MAC_LEN] = { 0xff, 1, 2, 3, 4, 5 };
	unsigned char z[MAC_LEN] = { 0x00, 0xff, 0xff, 0xff, 0xff, 0xff };

	mac_make_local_unicast(m);
	assert_int_equal(m[0], 0xfe);
	assert_int_equal(m[5], 5);
	mac_make_local_unicast(z);
	assert_int_equal(z[0], 0x02);
	assert_int_equal(z[1], 0xff);
}

static void test_parse_accepts_either_case(void **state)
{
	static const unsigned char want[MAC_LEN] = { 0x52, 0x54, 0x00, 0xab,
						     0xcd, 0xef };
	unsigned char m[MAC_LEN];

	assert_null(mac_parse("52:54:00:ab:cd:ef", m));
	assert_memory_equal(m, want, MAC_LEN);
	memset(m, 0, sizeof(m));
	assert_null(mac_parse("52:54:00:AB:Cd:eF", m));
	assert_memory_equal(m, want, MAC_LEN);
}

static void test_parse_refuses_other_shapes(void **state)
{
	static const char *const bad[] = {
		"", "52:54:00:ab:cd", "52:54:00:ab:cd:ef:", "52:54:00:ab:cd:ef0",
		"52-54-00-ab-cd-ef", "5:54:00:ab:cd:eff", "52:54:00:ab:cd:eg",
		"52:54:00:ab:cd: f", "52:54:00:ab:cd:+f", "525400abcdef",
		"0x52:54:00:ab:cd", " 52:54:00:ab:cd:e",
	};
	unsigned char m[MAC_LEN] = { 9, 9, 9, 9, 9, 9 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = mac_parse(bad[i], m);

		if (!why || strcmp(why, "is not of the form xx:xx:xx:xx:xx:xx"))
			fail_msg("'%s' was not refused for its shape", bad[i]);
	}
	assert_int_equal(m[0], 9);
	assert_non_null(mac_parse(NULL, m));
}

static void test_parse_refuses_multicast(void **state)
{
	unsigned char m[MAC_LEN];

	assert_string_equal(mac_parse("01:00:5e:00:00:01", m),
			    "is a multicast address");
	assert_string_equal(mac_parse("ff:ff:ff:ff:ff:ff", m),
			    "is a multicast address");
}

static void test_parse_refuses_all_zeros(void **state)
{
	unsigned char m[MAC_LEN];

	assert_string_equal(mac_parse("00:00:00:00:00:00", m), "is all zeros");
}

static void test_format_is_lower_case_and_parses_back(void **state)
{
	static const unsigned char m[MAC_LEN] = { 0x0a, 0xBC, 0, 1, 0xfe, 0xff };
	unsigned char back[MAC_LEN];
	char s[MAC_STRLEN];

	assert_string_equal(mac_format(m, s), "0a:bc:00:01:fe:ff");
	assert_null(mac_parse(s, back));
	assert_memory_equal(back, m, MAC_LEN);
}

static void test_parse_refuses_universally_administered(void **state)
{
	unsigned char m[MAC_LEN];
	const char *why = mac_parse("00:11:22:33:44:55", m);

	assert_non_null(why);
	assert_non_null(strstr(why, "universally administered"));
	assert_non_null(mac_parse("fc:00:00:00:00:01", m));
	assert_null(mac_parse("fe:00:00:00:00:01", m));
}

static void test_stable_mac_is_the_same_for_the_same_inputs(void **state)
{
	unsigned char a[MAC_LEN], b[MAC_LEN];

	vmmac_stable(4001, "web", 0, a);
	vmmac_stable(4001, "web", 0, b);
	assert_memory_equal(a, b, MAC_LEN);
	assert_true(a[0] & 0x02);
	assert_false(a[0] & 0x01);
}

/* The address each input gives is pinned: a change of scheme would move
 * every VM's MAC (and its DHCP lease), so it must be a deliberate one. */
static void test_stable_mac_scheme_is_pinned(void **state)
{
	unsigned char a[MAC_LEN];
	char s[MAC_STRLEN];

	vmmac_stable(4001, "web", 0, a);
	assert_string_equal(mac_format(a, s), STABLE_4001_WEB_0);
}

static void test_stable_mac_differs_by_user_name_and_index(void **state)
{
	unsigned char base[MAC_LEN], m[MAC_LEN];

	vmmac_stable(4001, "web", 0, base);
	vmmac_stable(4002, "web", 0, m);
	assert_memory_not_equal(base, m, MAC_LEN);
	vmmac_stable(4001, "web2", 0, m);
	assert_memory_not_equal(base, m, MAC_LEN);
	vmmac_stable(4001, "web", 1, m);
	assert_memory_not_equal(base, m, MAC_LEN);
	/* The encoding separates its fields: uid 40 + name "01web" is not
	 * uid 4001 + name "web". */
	vmmac_stable(40, "01web", 0, m);
	assert_memory_not_equal(base, m, MAC_LEN);
}

static void test_stable_macs_of_many_names_do_not_collide(void **state)
{
	static unsigned char seen[2000][MAC_LEN];
	char name[16];
	int i, j;

	for (i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "vm%d", i);
		vmmac_stable(4001, name, 0, seen[i]);
		for (j = 0; j < i; j++)
			assert_memory_not_equal(seen[i], seen[j], MAC_LEN);
	}
}

static const char *qname(const char **args, size_t n)
{
	static char buf[64];

	return vmmac_qemu_name((char *const *)args, n, buf, sizeof(buf));
}

#define QN(...) qname((const char *[]){ __VA_ARGS__ }, \
		      sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *))

static void test_qemu_name_forms(void **state)
{
	assert_string_equal(QN("-m", "256", "-name", "foo"), "foo");
	assert_string_equal(QN("--name", "foo"), "foo");
	assert_string_equal(QN("-name", "foo,process=bar"), "foo");
	assert_string_equal(QN("-name", "guest=foo,debug-threads=on"), "foo");
	assert_string_equal(QN("-name", "process=bar,guest=foo"), "foo");
	assert_string_equal(QN("-name", "a,,b"), "a,b");
	assert_string_equal(QN("-name", "a", "-name", "b"), "b");
	assert_string_equal(QN("-name", "a", "-name", "process=x"), "a");
}

static void test_qemu_name_absent_or_empty(void **state)
{
	assert_null(QN("-m", "256"));
	assert_null(QN("-name"));
	assert_null(QN("-name", "process=bar"));
	assert_null(QN("-name", "guest="));
	assert_null(QN("-namex", "foo"));
	/* Longer than the buffer: refused, never truncated. */
	assert_null(QN("-name", "0123456789012345678901234567890123456789"
			       "0123456789012345678901234567890123456789"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_mac_is_locally_administered),
		cmocka_unit_test(test_random_mac_is_unicast),
		cmocka_unit_test(test_two_random_macs_differ),
		cmocka_unit_test(test_local_unicast_sets_only_the_two_low_bits_of_byte_0),
		cmocka_unit_test(test_parse_accepts_either_case),
		cmocka_unit_test(test_parse_refuses_other_shapes),
		cmocka_unit_test(test_parse_refuses_multicast),
		cmocka_unit_test(test_parse_refuses_all_zeros),
		cmocka_unit_test(test_format_is_lower_case_and_parses_back),
		cmocka_unit_test(test_parse_refuses_universally_administered),
		cmocka_unit_test(test_stable_mac_is_the_same_for_the_same_inputs),
		cmocka_unit_test(test_stable_mac_scheme_is_pinned),
		cmocka_unit_test(test_stable_mac_differs_by_user_name_and_index),
		cmocka_unit_test(test_stable_macs_of_many_names_do_not_collide),
		cmocka_unit_test(test_qemu_name_forms),
		cmocka_unit_test(test_qemu_name_absent_or_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
