/* test_helper_ifname.c - unit tests: interface names chosen without a scan */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "ifname.h"

static void assert_prefix_then_hex(const char *name, const char *prefix)
{
	size_t n = strlen(prefix), i;

	assert_int_equal(strlen(name), n + IFNAME_RANDOM_DIGITS);
	assert_memory_equal(name, prefix, n);
	for (i = n; name[i]; i++)
		assert_non_null(strchr("0123456789abcdef", name[i]));
}

static void test_name_is_the_prefix_and_8_hex_digits(void **state)
{
	char name[16];

	(void)state;
	assert_int_equal(ifname_random(name, "tap"), 0);
	assert_prefix_then_hex(name, "tap");
}

static void test_longest_prefix_fills_15_bytes_exactly(void **state)
{
	char name[16];

	(void)state;
	memset(name, 'x', sizeof(name));
	assert_int_equal(ifname_random(name, "abcdefg"), 0);
	assert_prefix_then_hex(name, "abcdefg");
	assert_int_equal(name[15], '\0');
}

static void test_prefix_too_long_for_the_digits_is_refused_not_cut(void **state)
{
	char name[16] = "unchanged";

	(void)state;
	assert_int_equal(ifname_random(name, "abcdefgh"), -EINVAL);
	assert_string_equal(name, "unchanged");
}

static void test_prefix_that_cannot_start_a_name_is_refused(void **state)
{
	static const char *const bad[] = { "", "a/b", "a:b", "a b", "a\tb",
					   "\x7f", "\xc3\xa9" };
	char name[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ifname_random(name, bad[i]), -EINVAL);
	assert_int_equal(ifname_random(name, NULL), -EINVAL);
}

/* 32 random bits: 64 names with a repeat happen about once in 2^21 runs. */
static void test_names_differ_from_call_to_call(void **state)
{
	char names[64][16];
	size_t i, j;

	(void)state;
	for (i = 0; i < 64; i++)
		assert_int_equal(ifname_random(names[i], "tap"), 0);
	for (i = 0; i < 64; i++)
		for (j = i + 1; j < 64; j++)
			assert_string_not_equal(names[i], names[j]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_is_the_prefix_and_8_hex_digits),
		cmocka_unit_test(test_longest_prefix_fills_15_bytes_exactly),
		cmocka_unit_test(test_prefix_too_long_for_the_digits_is_refused_not_cut),
		cmocka_unit_test(test_prefix_that_cannot_start_a_name_is_refused),
		cmocka_unit_test(test_names_differ_from_call_to_call),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
