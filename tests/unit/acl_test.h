/* acl_test.h - what the ACL grammar's unit tests share: a text parsed as the file "t.conf", and its one error expected */
#ifndef TAPGATE_ACL_TEST_H
#define TAPGATE_ACL_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../helper/acl.h"

/*
 * A test that needs Linux bridges told at load time defines
 * ACL_TEST_PROBE, an acl_set_bridge_probe() function, before it includes
 * this header; without one nothing is checked at load time (acl_new()'s
 * default).
 */
#ifndef ACL_TEST_PROBE
#define ACL_TEST_PROBE NULL
#endif

/* Parse @len bytes of @text as the file "t.conf". */
static inline struct acl *parse_n(const char *text, size_t len)
{
	struct acl *acl = acl_new();
	FILE *f;

	assert_non_null(acl);
	acl_set_bridge_probe(acl, ACL_TEST_PROBE);
	f = fmemopen((void *)text, len, "r");
	assert_non_null(f);
	acl_parse_stream(acl, f, "t.conf", 1);
	fclose(f);
	return acl;
}

static inline struct acl *parse(const char *text)
{
	return parse_n(text, strlen(text));
}

/* Parse @text, expect it to be valid, without warnings. */
static inline struct acl *parse_ok(const char *text)
{
	struct acl *acl = parse(text);

	if (acl_nerrors(acl))
		fail_msg("unexpected error: %s", acl_error(acl, 0));
	assert_int_equal(acl_nwarnings(acl), 0);
	return acl;
}

/* Parse @text, expect exactly one error, @msg. */
static inline void expect_error(const char *text, const char *msg)
{
	struct acl *acl = parse(text);

	assert_int_equal(acl_nerrors(acl), 1);
	assert_string_equal(acl_error(acl, 0), msg);
	acl_free(acl);
}

#endif /* TAPGATE_ACL_TEST_H */
