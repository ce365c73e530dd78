/* test_helper_limit.c - unit tests: helper/limit.c's slot names (the format, one hash bucket per user, never truncated) */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <net/if.h>

#include "limit.h"

static const uid_t uids[] = { 0, 7, 4001, 65534, 100000, 4294967294U };
static const unsigned long slots[] = { 0, 1, 9, 10, 99, 4095,
				       LIMIT_SLOTS_MAX - 1 };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_slot_name_is_tapgate_uid_slot(void **state)
{
	char name[LIMIT_SLOT_NAME_SIZE];

	(void)state;
	assert_int_equal(limit_slot_name(name, 4001, 3), 0);
	assert_string_equal(name, "tapgate.uid4001.slot3");
	assert_int_equal(limit_slot_name(name, 0, 0), 0);
	assert_string_equal(name, "tapgate.uid0.slot0");
}

/* The kernel hashes the first IFNAMSIZ bytes of a name: the slots of one
 * user must agree there, so that they share one bucket. */
static void test_slots_of_a_user_share_the_hashed_bytes(void **state)
{
	char first[LIMIT_SLOT_NAME_SIZE], name[LIMIT_SLOT_NAME_SIZE];
	size_t u, k;

	(void)state;
	assert_int_equal(LIMIT_SLOT_HASHED, IFNAMSIZ);
	for (u = 0; u < N(uids); u++) {
		assert_int_equal(limit_slot_name(first, uids[u], 0), 0);
		assert_true(strlen(first) > LIMIT_SLOT_HASHED);
		for (k = 0; k < N(slots); k++) {
			assert_int_equal(limit_slot_name(name, uids[u],
							 slots[k]), 0);
			assert_memory_equal(name, first, LIMIT_SLOT_HASHED);
		}
	}
}

/* Users with short uids differ within the hashed bytes: their slots do not
 * all pile into one bucket. */
static void test_users_with_short_uids_hash_apart(void **state)
{
	char a[LIMIT_SLOT_NAME_SIZE], b[LIMIT_SLOT_NAME_SIZE];

	(void)state;
	assert_int_equal(limit_slot_name(a, 4001, 0), 0);
	assert_int_equal(limit_slot_name(b, 4002, 0), 0);
	assert_memory_not_equal(a, b, LIMIT_SLOT_HASHED);
}

static void test_longest_slot_name_fits_untruncated(void **state)
{
	char name[LIMIT_SLOT_NAME_SIZE];

	(void)state;
	assert_int_equal(limit_slot_name(name, UINT32_MAX,
					 LIMIT_SLOTS_MAX - 1), 0);
	assert_string_equal(name, "tapgate.uid4294967295.slot65534");
}

static void test_slot_at_the_maximum_is_refused(void **state)
{
	char name[LIMIT_SLOT_NAME_SIZE];

	(void)state;
	assert_int_equal(limit_slot_name(name, 4001, LIMIT_SLOTS_MAX), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slot_name_is_tapgate_uid_slot),
		cmocka_unit_test(test_slots_of_a_user_share_the_hashed_bytes),
		cmocka_unit_test(test_users_with_short_uids_hash_apart),
		cmocka_unit_test(test_longest_slot_name_fits_untruncated),
		cmocka_unit_test(test_slot_at_the_maximum_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
