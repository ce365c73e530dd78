/* test_helper_acl_nss.c - when the ACL looks user and group names up (NSS), and how often */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>

#include "acl_test.h"

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
			    "t.conf:1: no such group 'nolab'; the allow rule allows nobody");
	acl_free(acl);
}

/* The directory server is down: the deny still denies, to everyone, and
 * the message says that the lookup failed, and how, never "no such". */
static void test_failed_lookup_in_deny_denies_to_everyone(void **state)
{
	struct acl *acl = parse("allow all\ndeny br0 user=nss-down\n");
	const struct acl_principal who = { .uid = 7, .gid = 7 };
	struct acl_decision d;

	assert_int_equal(acl_nerrors(acl), 0);
	assert_string_equal(acl_warning(acl, 0),
			    "t.conf:2: cannot look up user 'nss-down': Input/output error; "
			    "the deny rule fails closed and denies 'br0' to everyone");
	assert_int_equal(acl_decide(acl, "br0", &who, &d), 0);
	assert_false(d.allowed);
	assert_int_equal(d.decided_by.line, 2);
	assert_string_equal(acl_unresolved(acl, &d.decided_by),
			    "cannot look up user 'nss-down': Input/output error");
	assert_int_equal(acl_decide(acl, "br1", &who, &d), 0);
	assert_true(d.allowed);
	acl_free(acl);
}

static void test_failed_lookup_in_limit_applies_to_everyone(void **state)
{
	struct acl *acl = parse("allow all\nlimit 1 group=nss-down\n");
	const struct acl_principal who = { .uid = 7, .gid = 7 };
	struct acl_origin from;
	unsigned long limit;

	assert_int_equal(acl_nerrors(acl), 0);
	assert_string_equal(acl_warning(acl, 0),
			    "t.conf:2: cannot look up group 'nss-down': Input/output error; "
			    "the limit fails closed and applies to everyone");
	assert_true(acl_limit(acl, &who, &limit, &from));
	assert_int_equal(limit, 1);
	assert_int_equal(from.line, 2);
	acl_free(acl);
}

static void test_failed_lookup_in_allow_allows_nobody(void **state)
{
	struct acl *acl = parse("allow br0 group=nss-down\n");
	const gid_t g[] = { 500 };
	const struct acl_principal who = {
		.uid = 1001, .gid = 1001, .groups = g, .ngroups = 1,
	};
	struct acl_decision d;

	assert_int_equal(acl_nerrors(acl), 0);
	assert_string_equal(acl_warning(acl, 0),
			    "t.conf:1: cannot look up group 'nss-down': Input/output error; "
			    "the allow rule allows nobody");
	assert_int_equal(acl_decide(acl, "br0", &who, &d), 0);
	assert_false(d.allowed);
	assert_null(d.decided_by.file);
	acl_free(acl);
}

/* A failed lookup is asked once per ACL, like a found one: a dead
 * server is not asked again at every rule. */
static void test_failed_lookup_is_asked_once(void **state)
{
	struct acl *acl = parse("deny br0 user=nss-down\ndeny br1 user=nss-down\n");

	assert_int_equal(pw_calls, 1);
	assert_int_equal(acl_nwarnings(acl), 2);
	acl_free(acl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_plain_qemu_acl_looks_up_no_names, reset),
		cmocka_unit_test_setup(test_numeric_ids_need_no_lookup, reset),
		cmocka_unit_test_setup(test_each_name_is_looked_up_once, reset),
		cmocka_unit_test_setup(test_not_found_is_a_warning_whatever_errno_says, reset),
		cmocka_unit_test_setup(test_failed_lookup_in_deny_denies_to_everyone, reset),
		cmocka_unit_test_setup(test_failed_lookup_in_limit_applies_to_everyone, reset),
		cmocka_unit_test_setup(test_failed_lookup_in_allow_allows_nobody, reset),
		cmocka_unit_test_setup(test_failed_lookup_is_asked_once, reset),
	};

	return cmocka_run_group_tests_name("acl nss", tests, NULL, NULL);
}
