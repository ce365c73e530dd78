/* test_helper_audit.c - unit tests: the syslog line's fields stay unambiguous (helper/audit.c) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit.h"

static char line[1400];

/* The line after "<PRI>tapgate-helper[PID]: ". */
static const char *body(const char *verdict, const char *text)
{
	char *p;

	audit_format(line, sizeof(line), LOG_WARNING, verdict, text);
	p = strstr(line, "]: ");
	assert_non_null(p);
	return p + 3;
}

static void test_fields_come_first_bridge_quoted(void **state)
{
	audit_set_caller(1000, 42);
	audit_set_bridge("br0");
	audit_set_tap("tap7");
	assert_string_equal(body("grant", "queues=1"),
			    "grant uid=1000 ppid=42 bridge='br0' tap=tap7: queues=1");
	assert_int_equal(strncmp(line, "<", 1), 0);
}

static void test_unknown_fields_are_dashes(void **state)
{
	audit_set_caller(1000, 42);
	audit_set_bridge("");
	audit_set_tap("");
	assert_string_equal(body("refuse", "missing --br=BRIDGE (see --help)"),
			    "refuse uid=1000 ppid=42 bridge=- tap=-: missing --br=BRIDGE (see --help)");
}

static void test_c1_and_bidi_in_the_bridge_field_are_escaped(void **state)
{
	/* Issue 10: --br=$'br\xc2\x9b2J\xe2\x80\xae' reached syslog raw. */
	audit_set_caller(1000, 42);
	audit_set_bridge("br\xc2\x9b" "2J\xe2\x80\xae");
	audit_set_tap("");
	assert_string_equal(body("refuse", NULL),
			    "refuse uid=1000 ppid=42 bridge='br\\xc2\\x9b2J\\xe2\\x80\\xae' tap=-");
}

static void test_bridge_field_cannot_hold_fields(void **state)
{
	/* '=' and quotes are valid in an interface name. */
	audit_set_caller(1000, 42);
	audit_set_bridge("a'=b");
	audit_set_tap("");
	assert_string_equal(body("refuse", NULL),
			    "refuse uid=1000 ppid=42 bridge='a\\x27\\x3db' tap=-");
}

static void test_text_cannot_carry_controls_or_bidi(void **state)
{
	audit_set_caller(1000, 42);
	audit_set_bridge("br0");
	audit_set_tap("");
	assert_string_equal(body("refuse", "a\nrefuse uid=0\xe2\x80\xae"),
			    "refuse uid=1000 ppid=42 bridge='br0' tap=-: a\\x0arefuse uid=0\\xe2\\x80\\xae");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_come_first_bridge_quoted),
		cmocka_unit_test(test_unknown_fields_are_dashes),
		cmocka_unit_test(test_c1_and_bidi_in_the_bridge_field_are_escaped),
		cmocka_unit_test(test_bridge_field_cannot_hold_fields),
		cmocka_unit_test(test_text_cannot_carry_controls_or_bidi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
