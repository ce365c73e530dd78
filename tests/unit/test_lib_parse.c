/* test_lib_parse.c - unit tests: bounded numbers and interface name rules */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"

static void test_plain_number_is_accepted(void **state)
{
	unsigned long v = 0;

	assert_int_equal(parse_ulong("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_ulong("0", 0, 100, &v), 0);
	assert_int_equal(v, 0);
}

static void test_number_with_junk_is_rejected(void **state)
{
	unsigned long v = 7;

	assert_int_equal(parse_ulong("4x", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_ulong("x4", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_ulong("4 ", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_ulong(" 4", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_ulong("0x10", 0, 100, &v), -EINVAL);
	assert_int_equal(v, 7);
}

static void test_number_with_sign_is_rejected(void **state)
{
	unsigned long v;

	assert_int_equal(parse_ulong("-1", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_ulong("+1", 0, 100, &v), -EINVAL);
}

static void test_empty_number_is_rejected(void **state)
{
	unsigned long v;

	assert_int_equal(parse_ulong("", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_ulong(NULL, 0, 100, &v), -EINVAL);
}

static void test_number_out_of_bounds_is_rejected(void **state)
{
	unsigned long v = 7;

	assert_int_equal(parse_ulong("101", 0, 100, &v), -ERANGE);
	assert_int_equal(parse_ulong("0", 1, 16, &v), -ERANGE);
	assert_int_equal(parse_ulong("17", 1, 16, &v), -ERANGE);
	assert_int_equal(v, 7);
}

static void test_overflowing_number_is_rejected(void **state)
{
	unsigned long v = 7;

	assert_int_equal(parse_ulong("99999999999999999999999", 0, ~0UL, &v),
			 -ERANGE);
	assert_int_equal(parse_ulong("18446744073709551616", 0, ~0UL, &v),
			 -ERANGE);
	assert_int_equal(parse_ulong("18446744073709551615", 0, ~0UL, &v), 0);
	assert_true(v == ~0UL);
	/* Junk after an overflow is still junk. */
	assert_int_equal(parse_ulong("99999999999999999999999x", 0, ~0UL, &v),
			 -EINVAL);
}

static void test_name_of_15_bytes_is_accepted(void **state)
{
	assert_null(ifname_problem("abcdefghijklmno"));
	assert_null(ifname_problem("br0"));
	assert_null(ifname_problem("br-lab.10"));
}

static void test_name_of_16_bytes_is_rejected(void **state)
{
	assert_string_equal(ifname_problem("abcdefghijklmnop"),
			    "is longer than 15 bytes");
}

static void test_empty_name_is_rejected(void **state)
{
	assert_string_equal(ifname_problem(""), "is empty");
}

static void test_dot_names_are_rejected(void **state)
{
	assert_non_null(ifname_problem("."));
	assert_non_null(ifname_problem(".."));
	assert_null(ifname_problem("..."));
}

static void test_name_with_slash_is_rejected(void **state)
{
	assert_string_equal(ifname_problem("br/0"), "contains '/'");
}

static void test_name_with_colon_is_rejected(void **state)
{
	/* The kernel's interface ioctls read "br0:1" as "br0". */
	assert_string_equal(ifname_problem("br0:1"), "contains ':'");
}

static void test_name_with_whitespace_is_rejected(void **state)
{
	assert_string_equal(ifname_problem("br 0"), "contains whitespace");
	assert_string_equal(ifname_problem("br\t0"), "contains whitespace");
	assert_string_equal(ifname_problem("br0\n"), "contains whitespace");
}

static void test_name_with_control_byte_is_rejected(void **state)
{
	assert_string_equal(ifname_problem("br\x01"),
			    "contains a control character");
	assert_string_equal(ifname_problem("br\x7f"),
			    "contains a control character");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_number_is_accepted),
		cmocka_unit_test(test_number_with_junk_is_rejected),
		cmocka_unit_test(test_number_with_sign_is_rejected),
		cmocka_unit_test(test_empty_number_is_rejected),
		cmocka_unit_test(test_number_out_of_bounds_is_rejected),
		cmocka_unit_test(test_overflowing_number_is_rejected),
		cmocka_unit_test(test_name_of_15_bytes_is_accepted),
		cmocka_unit_test(test_name_of_16_bytes_is_rejected),
		cmocka_unit_test(test_empty_name_is_rejected),
		cmocka_unit_test(test_dot_names_are_rejected),
		cmocka_unit_test(test_name_with_slash_is_rejected),
		cmocka_unit_test(test_name_with_colon_is_rejected),
		cmocka_unit_test(test_name_with_whitespace_is_rejected),
		cmocka_unit_test(test_name_with_control_byte_is_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
