/* test_lib_quote.c - unit tests: the one quoting rule for untrusted bytes (lib/quote.c) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "quote.h"

static const char *q(const char *s)
{
	static char buf[QUOTE_BUF];

	return quote_untrusted(buf, s);
}

static void test_plain_value_is_quoted_as_is(void **state)
{
	assert_string_equal(q("br0"), "'br0'");
	assert_string_equal(q(""), "''");
	assert_string_equal(q("a-b_c.d/e:f"), "'a-b_c.d/e:f'");
}

static void test_fields_in_a_value_cannot_read_as_fields(void **state)
{
	/* Issue 10: this argument read like the fields of a grant line. */
	assert_string_equal(q("x' uid=0 ppid=1 bridge=br0 tap=tap0: grant"),
			    "'x\\x27\\x20uid\\x3d0\\x20ppid\\x3d1\\x20bridge\\x3dbr0"
			    "\\x20tap\\x3dtap0:\\x20grant'");
	assert_string_equal(q("a\"b"), "'a\\x22b'");
}

static void test_backslash_in_a_value_is_doubled(void **state)
{
	/* Else the text "\x41" could not be told from an escaped 'A'. */
	assert_string_equal(q("\\x41"), "'\\\\x41'");
}

static void test_control_bytes_are_escaped(void **state)
{
	assert_string_equal(q("a\nb"), "'a\\x0ab'");
	assert_string_equal(q("\x1b[2J"), "'\\x1b[2J'");
	assert_string_equal(q("\t\r\x7f"), "'\\x09\\x0d\\x7f'");
}

static void test_c1_control_and_bidi_override_are_escaped(void **state)
{
	/* Issue 10: --br=$'br\xc2\x9b2J\xe2\x80\xae' reached syslog raw:
	 * U+009B is CSI (ESC [), U+202E a right-to-left override. */
	assert_string_equal(q("br\xc2\x9b" "2J\xe2\x80\xae"),
			    "'br\\xc2\\x9b2J\\xe2\\x80\\xae'");
	assert_string_equal(q("\xc2\x80"), "'\\xc2\\x80'");
	assert_string_equal(q("\xe2\x81\xa6x\xe2\x81\xa9"),
			    "'\\xe2\\x81\\xa6x\\xe2\\x81\\xa9'");
	assert_string_equal(q("\xe2\x80\x8f"), "'\\xe2\\x80\\x8f'");
	assert_string_equal(q("\xd8\x9c"), "'\\xd8\\x9c'");
	assert_string_equal(q("a\xe2\x80\xa8" "b"), "'a\\xe2\\x80\\xa8b'");
}

static void test_valid_utf8_is_shown_as_is(void **state)
{
	assert_string_equal(q("caf\xc3\xa9"), "'caf\xc3\xa9'");
	assert_string_equal(q("\xe7\xbd\x91"), "'\xe7\xbd\x91'");
	assert_string_equal(q("\xf0\x9f\x90\xa7"), "'\xf0\x9f\x90\xa7'");
	/* U+00A0, the first character after the C1 block. */
	assert_string_equal(q("\xc2\xa0"), "'\xc2\xa0'");
}

static void test_invalid_utf8_is_escaped_byte_by_byte(void **state)
{
	assert_string_equal(q("\xff"), "'\\xff'");
	assert_string_equal(q("\x80"), "'\\x80'");
	/* A cut sequence, then a plain byte. */
	assert_string_equal(q("\xe2\x80x"), "'\\xe2\\x80x'");
	/* Overlong forms of '/' and of NUL. */
	assert_string_equal(q("\xc0\xaf"), "'\\xc0\\xaf'");
	assert_string_equal(q("\xe0\x80\x80"), "'\\xe0\\x80\\x80'");
	/* A surrogate, and beyond U+10FFFF. */
	assert_string_equal(q("\xed\xa0\x80"), "'\\xed\\xa0\\x80'");
	assert_string_equal(q("\xf4\x90\x80\x80"), "'\\xf4\\x90\\x80\\x80'");
	/* A sequence cut by the end of the string. */
	assert_string_equal(q("a\xc3"), "'a\\xc3'");
}

static void test_long_value_is_cut_at_the_bound(void **state)
{
	char in[200], want[QUOTE_BUF];

	memset(in, 'a', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	want[0] = '\'';
	memset(want + 1, 'a', QUOTE_MAX);
	strcpy(want + 1 + QUOTE_MAX, "'...");
	assert_string_equal(q(in), want);

	/* Exactly QUOTE_MAX bytes: whole, no "...". */
	in[QUOTE_MAX] = '\0';
	want[1 + QUOTE_MAX + 1] = '\0';
	assert_string_equal(q(in), want);
}

static void test_long_escaped_value_fits_its_buffer(void **state)
{
	char in[QUOTE_MAX + 2];
	const char *r;

	memset(in, '\x01', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	r = q(in);
	assert_int_equal(strlen(r), 2 + QUOTE_MAX * 4 + 3);
	assert_string_equal(r + strlen(r) - 8, "\\x01'...");
}

static void test_cut_never_splits_a_character(void **state)
{
	char in[QUOTE_MAX + 8];
	const char *r;

	/* 63 bytes, then a 2-byte character: it would end at byte 65. */
	memset(in, 'a', QUOTE_MAX - 1);
	strcpy(in + QUOTE_MAX - 1, "\xc3\xa9");
	r = q(in);
	assert_int_equal(strlen(r), 1 + QUOTE_MAX - 1 + 4);
	assert_string_equal(r + strlen(r) - 6, "aa'...");
}

static void test_text_keeps_spaces_and_quotes_but_not_controls(void **state)
{
	char out[64];

	assert_string_equal(quote_text(out, sizeof(out),
				       "bridge 'br0' is denied: a=b \\"),
			    "bridge 'br0' is denied: a=b \\");
	assert_string_equal(quote_text(out, sizeof(out), "a\nb\xc2\x9b\xe2\x80\xae"),
			    "a\\x0ab\\xc2\\x9b\\xe2\\x80\\xae");
}

static void test_text_too_long_is_cut_with_dots(void **state)
{
	char out[10];

	assert_string_equal(quote_text(out, sizeof(out), "0123456789abc"),
			    "012345...");
	/* An escape is never cut in half. */
	assert_string_equal(quote_text(out, sizeof(out), "01234\x01xyz"),
			    "01234...");
	assert_string_equal(quote_text(out, sizeof(out), "012345678"),
			    "012345678");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_value_is_quoted_as_is),
		cmocka_unit_test(test_fields_in_a_value_cannot_read_as_fields),
		cmocka_unit_test(test_backslash_in_a_value_is_doubled),
		cmocka_unit_test(test_control_bytes_are_escaped),
		cmocka_unit_test(test_c1_control_and_bidi_override_are_escaped),
		cmocka_unit_test(test_valid_utf8_is_shown_as_is),
		cmocka_unit_test(test_invalid_utf8_is_escaped_byte_by_byte),
		cmocka_unit_test(test_long_value_is_cut_at_the_bound),
		cmocka_unit_test(test_long_escaped_value_fits_its_buffer),
		cmocka_unit_test(test_cut_never_splits_a_character),
		cmocka_unit_test(test_text_keeps_spaces_and_quotes_but_not_controls),
		cmocka_unit_test(test_text_too_long_is_cut_with_dots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
