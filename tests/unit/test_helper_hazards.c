/* test_helper_hazards.c - unit tests: when --check warns that a bridge's MAC follows its ports (helper/hazards.c) */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cmocka.h>

#include "hazards.h"

static void test_mac_set_explicitly_is_no_hazard(void **state)
{
	/* NET_ADDR_SET, as sysfs prints it, with or without its newline. */
	assert_false(hazard_mac_follows_ports("3\n"));
	assert_false(hazard_mac_follows_ports("3"));
}

static void test_any_other_assign_type_is_a_hazard(void **state)
{
	/* NET_ADDR_PERM, _RANDOM (a new bridge), _STOLEN, and what cannot
	 * be read: the warning errs on the side of saying it. */
	assert_true(hazard_mac_follows_ports("0\n"));
	assert_true(hazard_mac_follows_ports("1\n"));
	assert_true(hazard_mac_follows_ports("2\n"));
	assert_true(hazard_mac_follows_ports(""));
	assert_true(hazard_mac_follows_ports("33\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac_set_explicitly_is_no_hazard),
		cmocka_unit_test(test_any_other_assign_type_is_a_hazard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
