/* test_helper_strtab.c - unit tests: the string table behind the ACL's bridge and principal names */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "strtab.h"

static void test_empty_table_finds_nothing(void **state)
{
	struct strtab t = { 0 };

	assert_true(strtab_find(&t, "br0") == SIZE_MAX);
	assert_true(strtab_find(&t, "") == SIZE_MAX);
	strtab_free(&t);
}

static void test_indexes_follow_first_appearance(void **state)
{
	struct strtab t = { 0 };
	bool added;

	assert_int_equal(strtab_add(&t, "br0", &added), 0);
	assert_true(added);
	assert_int_equal(strtab_add(&t, "br1", &added), 1);
	assert_true(added);
	assert_int_equal(strtab_add(&t, "br0", &added), 0);
	assert_false(added);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.str[0], "br0");
	assert_string_equal(t.str[1], "br1");
	assert_int_equal(strtab_find(&t, "br1"), 1);
	strtab_free(&t);
}

static void test_the_table_keeps_its_own_copy(void **state)
{
	struct strtab t = { 0 };
	char name[] = "lab";
	bool added;

	assert_int_equal(strtab_add(&t, name, &added), 0);
	memcpy(name, "xab", sizeof(name));
	assert_true(strtab_find(&t, name) == SIZE_MAX);
	assert_int_equal(strtab_find(&t, "lab"), 0);
	strtab_free(&t);
}

static void test_names_differing_in_one_byte_are_distinct(void **state)
{
	struct strtab t = { 0 };
	bool added;

	assert_int_equal(strtab_add(&t, "u:alice", &added), 0);
	assert_int_equal(strtab_add(&t, "g:alice", &added), 1);
	assert_true(added);
	assert_int_equal(strtab_add(&t, "u:alic", &added), 2);
	assert_true(strtab_find(&t, "u:alicee") == SIZE_MAX);
	strtab_free(&t);
}

/* Past every resize (16 slots, then doubling), every string is still
 * found at its index, and a string never added is not. */
static void test_every_string_survives_growth(void **state)
{
	const size_t n = 5000;
	struct strtab t = { 0 };
	char name[32];
	bool added;
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "br%zu", i);
		assert_int_equal(strtab_add(&t, name, &added), i);
		assert_true(added);
	}
	assert_int_equal(t.n, n);
	assert_true(t.nslot >= 2 * n);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "br%zu", i);
		assert_int_equal(strtab_find(&t, name), i);
		assert_int_equal(strtab_add(&t, name, &added), i);
		assert_false(added);
	}
	assert_true(strtab_find(&t, "br5000") == SIZE_MAX);
	assert_int_equal(t.n, n);
	strtab_free(&t);
}

static void test_freed_table_is_empty_again(void **state)
{
	struct strtab t = { 0 };
	bool added;

	strtab_add(&t, "br0", &added);
	strtab_free(&t);
	assert_int_equal(t.n, 0);
	assert_true(strtab_find(&t, "br0") == SIZE_MAX);
	assert_int_equal(strtab_add(&t, "br1", &added), 0);
	strtab_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_table_finds_nothing),
		cmocka_unit_test(test_indexes_follow_first_appearance),
		cmocka_unit_test(test_the_table_keeps_its_own_copy),
		cmocka_unit_test(test_names_differing_in_one_byte_are_distinct),
		cmocka_unit_test(test_every_string_survives_growth),
		cmocka_unit_test(test_freed_table_is_empty_again),
	};

	return cmocka_run_group_tests_name("strtab", tests, NULL, NULL);
}
