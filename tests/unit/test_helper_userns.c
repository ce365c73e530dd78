/* test_helper_userns.c - unit tests: only the kernel's exact identity map counts as the initial user namespace */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "userns.h"

static bool is_identity(const char *s)
{
	return userns_map_is_identity(s, strlen(s));
}

static void test_the_kernels_identity_line_is_the_initial_namespace(void **state)
{
	assert_true(is_identity("         0          0 4294967295\n"));
}

static void test_a_namespace_of_ones_own_is_not(void **state)
{
	/* unshare --user --map-root-user as uid 4001 */
	assert_false(is_identity("         0       4001          1\n"));
	/* a full range starting elsewhere, as some containers map */
	assert_false(is_identity("         0     100000      65536\n"));
	/* nothing mapped yet */
	assert_false(is_identity(""));
}

static void test_text_that_only_reads_like_the_identity_is_not(void **state)
{
	/* what a procfs comm of 15 bytes can hold */
	assert_false(is_identity("0 0 4294967295\n"));
	assert_false(is_identity("0 0 4294967295"));
	/* the line without its newline, or with more after it */
	assert_false(is_identity("         0          0 4294967295"));
	assert_false(is_identity("         0          0 4294967295\n\n"));
	assert_false(is_identity("         0          0 4294967295\n"
				 "         0          0 4294967295\n"));
	/* other spacing, a tab, a sign, another base */
	assert_false(is_identity("          0          0 4294967295\n"));
	assert_false(is_identity("\t0\t0\t4294967295\n"));
	assert_false(is_identity("        +0          0 4294967295\n"));
	assert_false(is_identity("         0          0 0xffffffff\n"));
}

static void test_a_nul_inside_is_not_the_identity(void **state)
{
	static const char s[] = "         0          0 4294967295\n";
	char buf[sizeof(s) + 1];

	/* environ and cmdline end their strings with NUL */
	memcpy(buf, s, sizeof(s));
	assert_false(userns_map_is_identity(buf, sizeof(s)));
	buf[5] = '\0';
	assert_false(userns_map_is_identity(buf, sizeof(s) - 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_kernels_identity_line_is_the_initial_namespace),
		cmocka_unit_test(test_a_namespace_of_ones_own_is_not),
		cmocka_unit_test(test_text_that_only_reads_like_the_identity_is_not),
		cmocka_unit_test(test_a_nul_inside_is_not_the_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
