/* test_helper_acl_nss.c - when the ACL looks user and group names up (NSS), and how often */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../helper/acl.h"

/*
 * This binary defines getpwnam() and getgrnam() itself, so the ACL code
 * linked into it calls these instead of the C library's: a small, fixed
 * user database that counts every lookup.
 */
static unsigned pw_calls, gr_calls;

struct passwd *getpwnam(const char *name)
{
	static struct passwd pw;

	pw_calls++;
	memset(&pw, 0, sizeof(pw));
	if (!strcmp(name, "alice")) {
		pw.pw_uid = 1001;
		return &pw;
	}
	/* An NSS backend that is down (LDAP unreachable, say). */
	errno = strcmp(name, "nss-down") ? 0 : EIO;
	return NULL;
}

struct group *getgrnam(const char *name)
{
	static struct group gr;

	gr_calls++;
	memset(&gr, 0, sizeof(gr));
	if (!strcmp(name, "lab")) {
		gr.gr_gid = 500;
		return &gr;
	}
	/* Some NSS modules say "not found" with ENOENT. */
	errno = strcmp(name, "nss-down") ? ENOENT : EIO;
	return NULL;
}

static int reset(void **state)
{
	pw_calls = gr_calls = 0;
	return 0;
}

static struct acl *parse(const char *text)
{
	struct acl *acl = acl_new();
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	assert_non_null(acl);
	assert_non_null(f);
	acl_parse_stream(acl, f, "t.conf", 1);
	fclose(f);
	return acl;
}

static void test_plain_qemu_acl_looks_up_no_names(void **state)
{
	const struct acl_principal who = { .uid = 1001, .gid = 1001 };
	struct acl *acl = parse("allow br0\ndeny br1\nallow all\ndeny all\n");
	struct acl_decision d;

	assert_int_equal(acl_decide(acl, "br0", &who, &d), 0);
	assert_int_equal(pw_calls + gr_calls, 0);
	acl_free(acl);
}

static void test_numeric_ids_need_no_lookup(void **state)
{
	struct acl *acl = parse("allow br0 user=1001\nlimit 2 group=500\n");

	assert_int_equal(acl_nerrors(acl), 0);
	assert_int_equal(pw_calls + gr_calls, 0);
	acl_free(acl);
}

static void test_each_name_is_looked_up_once(void **state)
{
	const gid_t lab[] = { 500 };
	const struct acl_principal alice = {
		.uid = 1001, .gid = 1001, .groups = lab, .ngroups = 1,
	};
	struct acl *acl = parse("allow br0 user=alice\nallow br1 user=alice\n"
				"deny br2 group=lab\nlimit 3 group=lab\n"
				"allow br3 group=alice\n");
	struct acl_decision d;

	assert_int_equal(acl_nerrors(acl), 0);
	assert_int_equal(pw_calls, 1);
	/* "alice" as a group is another name than "alice" as a user. */
	assert_int_equal(gr_calls, 2);
	assert_int_equal(acl_decide(acl, "br1", &alice, &d), 0);
	assert_true(d.allowed);
	assert_int_equal(d.limit, 3);
	assert_int_equal(acl_decide(acl, "br2", &alice, &d), 0);
	assert_false(d.allowed);
	acl_free(acl);
}

static void test_not_found_is_a_warning_whatever_errno_says(void **state)
{
	struct acl *acl = parse("allow br0 group=nolab\n");

	assert_int_equal(acl_nerrors(acl), 0);
	assert_string_equal(acl_warning(acl, 0),
			    "t.conf:1: unknown group 'nolab'; the rule matches nobody");
	acl_free(acl);
}

static void test_failed_lookup_is_error(void **state)
{
	/* A deny rule that cannot be resolved must not quietly match
	 * nobody because a directory server is down. */
	struct acl *acl = parse("allow all\ndeny all user=nss-down\n");
	struct acl_decision d;
	const struct acl_principal who = { .uid = 7, .gid = 7 };

	assert_int_equal(acl_nerrors(acl), 1);
	assert_string_equal(acl_error(acl, 0),
			    "t.conf:2: cannot look up user 'nss-down': Input/output error");
	assert_int_equal(acl_decide(acl, "br0", &who, &d), -EINVAL);
	assert_false(d.allowed);
	acl_free(acl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_plain_qemu_acl_looks_up_no_names, reset),
		cmocka_unit_test_setup(test_numeric_ids_need_no_lookup, reset),
		cmocka_unit_test_setup(test_each_name_is_looked_up_once, reset),
		cmocka_unit_test_setup(test_not_found_is_a_warning_whatever_errno_says, reset),
		cmocka_unit_test_setup(test_failed_lookup_is_error, reset),
	};

	return cmocka_run_group_tests_name("acl nss", tests, NULL, NULL);
}
