/* test_helper_acl.c - the ACL grammar and its verdicts (SPEC §4), one test per rule */
#include <errno.h>
#include <stdlib.h>

#include "acl_test.h"

/* Callers used throughout: numeric ids, so no NSS lookup is involved. */
static const gid_t bob_groups[] = { 100, 2000 };
static const struct acl_principal alice = { .uid = 1001, .gid = 1001 };
static const struct acl_principal bob = {
	.uid = 1002, .gid = 1002, .groups = bob_groups, .ngroups = 2,
};

static bool allows(const struct acl *acl, const char *bridge,
		   const struct acl_principal *who)
{
	struct acl_decision d;

	assert_int_equal(acl_decide(acl, bridge, who, &d), 0);
	return d.allowed;
}

static struct acl_decision decide(const struct acl *acl, const char *bridge,
				  const struct acl_principal *who)
{
	struct acl_decision d;

	assert_int_equal(acl_decide(acl, bridge, who, &d), 0);
	return d;
}

/* May alice use br0? On a broken ACL, acl_decide() says -EINVAL: no. */
static bool allows_or_error(const struct acl *acl)
{
	struct acl_decision d;

	if (acl_decide(acl, "br0", &alice, &d) == -EINVAL)
		return false;
	return d.allowed;
}

/* --- match rules ---------------------------------------------------- */

static void test_default_is_deny(void **state)
{
	struct acl *acl = parse_ok("# nothing allowed here\n\n");
	struct acl_decision d = decide(acl, "br0", &alice);

	assert_false(d.allowed);
	assert_null(d.decided_by.file);
	acl_free(acl);

	acl = acl_new();	/* never loaded: still nothing */
	assert_false(allows(acl, "br0", &alice));
	acl_free(acl);
}

static void test_allow_names_one_bridge(void **state)
{
	struct acl *acl = parse_ok("allow br0\n");
	struct acl_decision d = decide(acl, "br0", &alice);

	assert_true(d.allowed);
	assert_string_equal(d.decided_by.file, "t.conf");
	assert_int_equal(d.decided_by.line, 1);
	assert_false(allows(acl, "br1", &alice));
	assert_false(allows(acl, "br", &alice));
	assert_false(allows(acl, "br00", &alice));
	acl_free(acl);
}

static void test_allow_all_allows_every_bridge(void **state)
{
	struct acl *acl = parse_ok("allow all\n");

	assert_true(allows(acl, "br0", &alice));
	assert_true(allows(acl, "virbr7", &bob));
	acl_free(acl);
}

static void test_deny_wins_over_allow(void **state)
{
	static const char *const texts[] = {
		"deny br0\nallow br0\n",
		"allow br0\ndeny br0\n",
		"allow all\ndeny br0\n",
		"deny br0\nallow all\n",
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct acl *acl = parse_ok(texts[i]);
		struct acl_decision d = decide(acl, "br0", &alice);

		assert_false(d.allowed);
		assert_string_equal(d.decided_by.file, "t.conf");
		assert_int_equal(d.decided_by.line,
				 strncmp(texts[i], "deny", 4) ? 2 : 1);
		acl_free(acl);
	}
}

static void test_deny_all_wins_over_allow(void **state)
{
	struct acl *acl = parse_ok("allow br0\nallow all\ndeny all\n");

	assert_false(allows(acl, "br0", &alice));
	assert_false(allows(acl, "br1", &alice));
	acl_free(acl);
}

static void test_first_matching_deny_decides(void **state)
{
	struct acl *acl = parse_ok("allow all\ndeny br1\ndeny all\ndeny br0\n");

	assert_int_equal(decide(acl, "br0", &alice).decided_by.line, 3);
	assert_int_equal(decide(acl, "br1", &alice).decided_by.line, 2);
	acl_free(acl);
}

/*
 * QEMU's meaning, written out independently: a bridge is allowed when an
 * allow rule names it or is "allow all", and no deny rule names it and
 * there is no "deny all".
 */
struct qemu_rule {
	const char *text;
	bool allow;
	const char *bridge;	/* NULL: all */
};

static const struct qemu_rule qemu_rules[] = {
	{ "allow br0", true, "br0" },
	{ "allow br1", true, "br1" },
	{ "allow all", true, NULL },
	{ "deny br0", false, "br0" },
	{ "deny br1", false, "br1" },
	{ "deny all", false, NULL },
};
#define N_QEMU_RULES (sizeof(qemu_rules) / sizeof(qemu_rules[0]))

static bool qemu_allows(const size_t *pick, size_t n, const char *bridge)
{
	bool allowed = false, denied = false;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct qemu_rule *r = &qemu_rules[pick[i]];
		bool match = !r->bridge || !strcmp(r->bridge, bridge);

		if (match && r->allow)
			allowed = true;
		if (match && !r->allow)
			denied = true;
	}
	return allowed && !denied;
}

/* Every line layout QEMU's parser accepts for "WORD ARG". */
static void qemu_layout(char *out, size_t size, const char *rule, size_t v)
{
	char kw[16], arg[16];

	assert_int_equal(sscanf(rule, "%15s %15s", kw, arg), 2);
	switch (v % 5) {
	case 0: snprintf(out, size, "%s %s\n", kw, arg); break;
	case 1: snprintf(out, size, "  %s\t%s  \n", kw, arg); break;
	case 2: snprintf(out, size, "\t%s \t %s\n", kw, arg); break;
	case 3: snprintf(out, size, "# a comment\n%s %s\n\n", kw, arg); break;
	default: snprintf(out, size, "   # indented comment\n%s  %s\t\n", kw, arg);
	}
}

static void test_every_qemu_acl_form_means_the_same(void **state)
{
	static const char *const bridges[] = { "br0", "br1", "br2" };
	size_t n, pick[3], combo, i, b, checked = 0;

	/* Every sequence of one to three QEMU rules, in varied layouts. */
	for (n = 1; n <= 3; n++) {
		size_t total = 1;

		for (i = 0; i < n; i++)
			total *= N_QEMU_RULES;
		for (combo = 0; combo < total; combo++) {
			char text[512] = "", line[64];
			struct acl *acl;
			size_t c = combo;

			for (i = 0; i < n; i++) {
				pick[i] = c % N_QEMU_RULES;
				c /= N_QEMU_RULES;
				qemu_layout(line, sizeof(line),
					    qemu_rules[pick[i]].text, combo + i);
				strcat(text, line);
			}
			acl = parse_ok(text);
			for (b = 0; b < 3; b++) {
				if (allows(acl, bridges[b], &alice) !=
				    qemu_allows(pick, n, bridges[b]))
					fail_msg("'%s' on %s differs from QEMU",
						 text, bridges[b]);
				checked++;
			}
			acl_free(acl);
		}
	}
	assert_int_equal(checked, 3 * (6 + 36 + 216));
}

/* --- layout ----------------------------------------------------------- */

static void test_any_blanks_between_words_are_accepted(void **state)
{
	struct acl *acl = parse_ok("allow \t  \t br0\n\t\t deny\t\t\tbr1   \n");

	assert_true(allows(acl, "br0", &alice));
	assert_int_equal(decide(acl, "br1", &alice).decided_by.line, 2);
	acl_free(acl);
}

static void test_crlf_is_accepted(void **state)
{
	struct acl *acl = parse_ok("# windows\r\nallow br0\r\n\r\nallow br1 # x\r\n");

	assert_true(allows(acl, "br0", &alice));
	assert_true(allows(acl, "br1", &alice));
	acl_free(acl);
}

static void test_last_line_needs_no_newline(void **state)
{
	struct acl *acl = parse_ok("allow br0\nallow br1");

	assert_true(allows(acl, "br1", &alice));
	acl_free(acl);
}

static void test_trailing_comment_is_accepted(void **state)
{
	struct acl *acl = parse_ok("allow br0 # the lab\n"
				   "allow br1\t#tab before\n"
				   "limit 3 #three\n"
				   "deny br2 user=1001 # not alice\n");
	struct acl_decision d = decide(acl, "br0", &alice);

	assert_true(d.allowed);
	assert_true(allows(acl, "br1", &alice));
	assert_false(allows(acl, "br2", &alice));
	assert_true(d.has_limit);
	assert_int_equal(d.limit, 3);
	acl_free(acl);
}

static void test_hash_inside_a_word_is_part_of_it(void **state)
{
	/* QEMU reads "br#1" as a name as well; only a '#' that starts a
	 * word starts a comment. */
	struct acl *acl = parse_ok("allow br#1\n");

	assert_true(allows(acl, "br#1", &alice));
	assert_false(allows(acl, "br", &alice));
	acl_free(acl);
}

static void test_keywords_are_case_sensitive(void **state)
{
	expect_error("Allow br0\n", "t.conf:1: unknown keyword 'Allow'");
}

static char *line_of(size_t len, const char *end)
{
	/* "allow br0" padded with blanks to exactly @len bytes. */
	char *s = malloc(len + strlen(end) + 1);

	assert_non_null(s);
	memset(s, ' ', len);
	memcpy(s, "allow br0", 9);
	strcpy(s + len, end);
	return s;
}

static void test_line_of_4096_bytes_is_accepted(void **state)
{
	char *s = line_of(ACL_LINE_MAX, "\n");
	struct acl *acl = parse_ok(s);

	assert_true(allows(acl, "br0", &alice));
	acl_free(acl);
	free(s);

	s = line_of(ACL_LINE_MAX, "\r\n");	/* the CR is the line end */
	acl = parse_ok(s);
	acl_free(acl);
	free(s);
}

static void test_line_of_4097_bytes_is_error(void **state)
{
	char *s = line_of(ACL_LINE_MAX + 1, "\nallow br1\nbogus\n");
	struct acl *acl = parse(s);

	assert_int_equal(acl_nerrors(acl), 2);
	assert_string_equal(acl_error(acl, 0),
			    "t.conf:1: line longer than 4096 bytes");
	/* The rest of the long line is not read as another line. */
	assert_string_equal(acl_error(acl, 1),
			    "t.conf:3: unknown keyword 'bogus'");
	acl_free(acl);
	free(s);

	s = line_of(100000, "");	/* without a line end at all */
	expect_error(s, "t.conf:1: line longer than 4096 bytes");
	free(s);
}

static void test_nul_byte_is_error(void **state)
{
	static const char text[] = "allow br0\0 deny all\n# \0\nallow br1\n";
	struct acl *acl = parse_n(text, sizeof(text) - 1);

	assert_int_equal(acl_nerrors(acl), 2);
	assert_string_equal(acl_error(acl, 0), "t.conf:1: NUL byte in line");
	assert_string_equal(acl_error(acl, 1), "t.conf:2: NUL byte in line");
	assert_false(allows_or_error(acl));
	acl_free(acl);
}

/* --- errors ------------------------------------------------------------ */

static void test_unknown_keyword_is_error(void **state)
{
	expect_error("alow br0\n", "t.conf:1: unknown keyword 'alow'");
}

static void test_missing_argument_is_error(void **state)
{
	expect_error("allow\n", "t.conf:1: 'allow' needs a bridge name or 'all'");
	expect_error("deny  # nothing\n",
		     "t.conf:1: 'deny' needs a bridge name or 'all'");
	expect_error("include\t\n", "t.conf:1: 'include' needs a path");
	expect_error("limit\n", "t.conf:1: 'limit' needs a number");
}

static void test_extra_argument_is_error(void **state)
{
	expect_error("allow br0 br1\n", "t.conf:1: extra argument 'br1'");
	expect_error("deny all br1\n", "t.conf:1: extra argument 'br1'");
	expect_error("limit 2 3\n", "t.conf:1: extra argument '3'");
}

static void test_name_of_15_bytes_is_accepted(void **state)
{
	struct acl *acl = parse_ok("allow abcdefghijklmno\n");

	assert_true(allows(acl, "abcdefghijklmno", &alice));
	acl_free(acl);
}

static void test_name_of_16_bytes_is_error(void **state)
{
	/* QEMU truncated it to 15 bytes; it must not mean "abcdefghijklmno". */
	expect_error("allow abcdefghijklmnop\n",
		     "t.conf:1: invalid bridge name 'abcdefghijklmnop': is longer than 15 bytes");
}

static void test_name_with_colon_is_error(void **state)
{
	expect_error("deny br0:1\n",
		     "t.conf:1: invalid bridge name 'br0:1': contains ':'");
}

static void test_dot_names_are_error(void **state)
{
	expect_error("allow ..\n",
		     "t.conf:1: invalid bridge name '..': is '.' or '..'");
	expect_error("allow a/b\n",
		     "t.conf:1: invalid bridge name 'a/b': contains '/'");
}

static void test_control_bytes_are_escaped_in_messages(void **state)
{
	expect_error("allow br\x1b[0m\n",
		     "t.conf:1: invalid bridge name 'br\\x1b[0m': contains a control character");
}

static void test_long_words_are_shortened_in_messages(void **state)
{
	char text[200], msg[300];

	memset(text, 'x', 100);
	memcpy(text, "allow ", 6);
	strcpy(text + 100, "\n");
	snprintf(msg, sizeof(msg),
		 "t.conf:1: invalid bridge name '%.64s'...: is longer than 15 bytes",
		 text + 6);
	expect_error(text, msg);
}

static void test_errors_are_all_collected(void **state)
{
	struct acl *acl = parse("allow br0\nfoo\nallow\n# fine\nallow a:b\n");

	assert_int_equal(acl_nerrors(acl), 3);
	assert_string_equal(acl_error(acl, 0), "t.conf:2: unknown keyword 'foo'");
	assert_string_equal(acl_error(acl, 1),
			    "t.conf:3: 'allow' needs a bridge name or 'all'");
	assert_string_equal(acl_error(acl, 2),
			    "t.conf:5: invalid bridge name 'a:b': contains ':'");
	assert_null(acl_error(acl, 3));
	acl_free(acl);
}

static void test_error_fails_whole_acl(void **state)
{
	struct acl *acl = parse("limit 4\nallow br0\nallow all\nbogus\n");
	struct acl_decision d;
	unsigned long limit;
	struct acl_origin from;

	assert_int_equal(acl_decide(acl, "br0", &alice, &d), -EINVAL);
	assert_false(d.allowed);
	assert_null(d.decided_by.file);
	assert_false(d.has_limit);
	assert_false(acl_limit(acl, &alice, &limit, &from));
	acl_free(acl);
}

static void test_parse_returns_einval_on_error(void **state)
{
	struct acl *acl = acl_new();
	FILE *f = fmemopen((void *)"allow br0\n", 10, "r");

	assert_int_equal(acl_parse_stream(acl, f, "a.conf", 1), 0);
	fclose(f);
	f = fmemopen((void *)"bogus\n", 6, "r");
	assert_int_equal(acl_parse_stream(acl, f, "b.conf", 1), -EINVAL);
	fclose(f);
	assert_string_equal(acl_error(acl, 0), "b.conf:1: unknown keyword 'bogus'");
	acl_free(acl);
}

static void test_decide_refuses_an_invalid_bridge_name(void **state)
{
	struct acl *acl = parse_ok("allow all\n");
	struct acl_decision d;

	assert_int_equal(acl_decide(acl, "br0:1", &alice, &d), -EINVAL);
	assert_false(d.allowed);
	assert_int_equal(acl_decide(acl, "abcdefghijklmnop", &alice, &d),
			 -EINVAL);
	assert_false(d.allowed);
	acl_free(acl);
}

static void test_bridge_named_like_an_option_is_warned(void **state)
{
	/* Valid to QEMU (a bridge called "user=alice"), so not an error. */
	struct acl *acl = parse("deny user=alice\n");

	assert_int_equal(acl_nerrors(acl), 0);
	assert_int_equal(acl_nwarnings(acl), 1);
	assert_string_equal(acl_warning(acl, 0),
			    "t.conf:1: 'user\\x3dalice' is taken as a bridge name; write 'deny all user=alice' to scope the rule");
	assert_string_equal(acl_bridge(acl, 0), "user=alice");
	acl_free(acl);
}

static void test_bridges_are_listed_once_in_order(void **state)
{
	struct acl *acl = parse_ok("allow br1\ndeny all\nallow br0 user=5\n"
				   "deny br1\nlimit 2\nallow br2 isolated\n");

	assert_string_equal(acl_bridge(acl, 0), "br1");
	assert_string_equal(acl_bridge(acl, 1), "br0");
	assert_string_equal(acl_bridge(acl, 2), "br2");
	assert_null(acl_bridge(acl, 3));
	acl_free(acl);
}

/* --- scoped rules --------------------------------------------------- */

static void test_user_rule_matches_only_that_user(void **state)
{
	struct acl *acl = parse_ok("allow br0 user=1001\n");

	assert_true(allows(acl, "br0", &alice));
	assert_false(allows(acl, "br0", &bob));
	acl_free(acl);
}

static void test_group_rule_matches_the_real_gid(void **state)
{
	struct acl *acl = parse_ok("allow br0 group=1001\n");

	assert_true(allows(acl, "br0", &alice));
	assert_false(allows(acl, "br0", &bob));
	acl_free(acl);
}

static void test_group_rule_matches_a_supplementary_gid(void **state)
{
	struct acl *acl = parse_ok("allow br0 group=2000\n");

	assert_true(allows(acl, "br0", &bob));
	assert_false(allows(acl, "br0", &alice));
	acl_free(acl);
}

static void test_user_id_is_not_a_group_id(void **state)
{
	/* alice's uid is 1001; a group rule for gid 1001 must not be
	 * read as a user rule and the other way round. */
	const struct acl_principal carol = { .uid = 1001, .gid = 50 };
	struct acl *acl = parse_ok("allow br0 group=1001\nallow br1 user=50\n");

	assert_false(allows(acl, "br0", &carol));
	assert_false(allows(acl, "br1", &carol));
	acl_free(acl);
}

static void test_scoped_deny_wins_over_allow_all(void **state)
{
	struct acl *acl = parse_ok("allow all\ndeny br0 group=100\n"
				   "deny all user=1001\n");

	assert_false(allows(acl, "br0", &bob));		/* in group 100 */
	assert_true(allows(acl, "br1", &bob));
	assert_false(allows(acl, "br1", &alice));
	assert_int_equal(decide(acl, "br1", &alice).decided_by.line, 3);
	acl_free(acl);
}

static void test_options_may_come_in_any_order(void **state)
{
	struct acl *acl = parse_ok("allow br0 isolated user=1001\n");
	struct acl_decision d = decide(acl, "br0", &alice);

	assert_true(d.allowed);
	assert_true(d.opts.isolated);
	assert_false(allows(acl, "br0", &bob));
	acl_free(acl);
}

static void test_user_name_is_looked_up(void **state)
{
	const struct acl_principal root = { .uid = 0, .gid = 0 };
	struct acl *acl = parse_ok("allow br0 user=root\n");

	assert_true(allows(acl, "br0", &root));
	assert_false(allows(acl, "br0", &alice));
	acl_free(acl);
}

static void test_group_name_is_looked_up(void **state)
{
	const gid_t g0[] = { 0 };
	const struct acl_principal in_root = {
		.uid = 1001, .gid = 1001, .groups = g0, .ngroups = 1,
	};
	struct acl *acl = parse_ok("allow br0 group=root\n");

	assert_true(allows(acl, "br0", &in_root));
	assert_false(allows(acl, "br0", &alice));
	acl_free(acl);
}

static void test_unknown_user_in_allow_allows_nobody(void **state)
{
	struct acl *acl = parse("allow all user=tapgate-no-such-user\n"
				"allow br1\n");
	struct acl_decision d;

	assert_int_equal(acl_nerrors(acl), 0);
	assert_int_equal(acl_nwarnings(acl), 1);
	assert_string_equal(acl_warning(acl, 0),
			    "t.conf:1: no such user 'tapgate-no-such-user'; the allow rule allows nobody");
	assert_false(allows(acl, "br0", &alice));
	assert_int_equal(acl_decide(acl, "br1", &alice, &d), 0);
	assert_true(d.allowed);
	assert_int_equal(d.decided_by.line, 2);
	acl_free(acl);
}

static void test_unknown_group_in_allow_allows_nobody(void **state)
{
	struct acl *acl = parse("allow br0 group=tapgate-no-such-group\n");

	assert_int_equal(acl_nerrors(acl), 0);
	assert_string_equal(acl_warning(acl, 0),
			    "t.conf:1: no such group 'tapgate-no-such-group'; the allow rule allows nobody");
	assert_false(allows(acl, "br0", &alice));
	assert_false(allows(acl, "br0", &bob));
	acl_free(acl);
}

/* A deny whose name cannot be resolved must not quietly stop denying:
 * "deny br0 group=lab" with "lab" unknown here denies br0 to everyone. */
static void test_unknown_name_in_deny_denies_that_bridge_to_everyone(void **state)
{
	struct acl *acl = parse("allow all\n"
				"deny br0 group=tapgate-no-such-group\n");
	struct acl_decision d;

	assert_int_equal(acl_nerrors(acl), 0);
	assert_string_equal(acl_warning(acl, 0),
			    "t.conf:2: no such group 'tapgate-no-such-group'; the deny rule fails closed and denies 'br0' to everyone");
	assert_int_equal(acl_decide(acl, "br0", &alice, &d), 0);
	assert_false(d.allowed);
	assert_int_equal(d.decided_by.line, 2);
	assert_string_equal(acl_unresolved(acl, &d.decided_by),
			    "no such group 'tapgate-no-such-group'");
	assert_false(allows(acl, "br0", &bob));
	/* Only that bridge: the rest of the ACL still applies. */
	assert_true(allows(acl, "br1", &alice));
	assert_int_equal(acl_decide(acl, "br1", &alice, &d), 0);
	assert_null(acl_unresolved(acl, &d.decided_by));
	acl_free(acl);
}

static void test_unknown_name_in_deny_all_denies_every_bridge(void **state)
{
	struct acl *acl = parse("allow br0\ndeny all user=tapgate-no-such-user\n");

	assert_string_equal(acl_warning(acl, 0),
			    "t.conf:2: no such user 'tapgate-no-such-user'; the deny rule fails closed and denies every bridge to everyone");
	assert_false(allows(acl, "br0", &alice));
	assert_false(allows(acl, "br0", &bob));
	acl_free(acl);
}

/* "limit 2 group=lab" with "lab" unknown: everyone gets at most 2, not
 * everyone an unlimited number. */
static void test_unknown_name_in_limit_applies_to_everyone(void **state)
{
	struct acl *acl = parse("allow br0\nlimit 9\n"
				"limit 2 group=tapgate-no-such-group\n");
	struct acl_origin from;
	unsigned long limit;

	assert_string_equal(acl_warning(acl, 0),
			    "t.conf:3: no such group 'tapgate-no-such-group'; the limit fails closed and applies to everyone");
	assert_true(acl_limit(acl, &alice, &limit, &from));
	assert_int_equal(limit, 2);
	assert_int_equal(from.line, 3);
	assert_string_equal(acl_unresolved(acl, &from),
			    "no such group 'tapgate-no-such-group'");
	assert_true(acl_limit(acl, &bob, &limit, &from));
	assert_int_equal(limit, 2);
	/* The allow is untouched. */
	assert_true(allows(acl, "br0", &alice));
	acl_free(acl);
}

static void test_each_unknown_name_is_warned_at_its_line(void **state)
{
	struct acl *acl = parse("allow br0 user=tapgate-nobody\n"
				"allow br1 user=tapgate-nobody\n");

	assert_int_equal(acl_nwarnings(acl), 2);
	assert_string_equal(acl_warning(acl, 1),
			    "t.conf:2: no such user 'tapgate-nobody'; the allow rule allows nobody");
	acl_free(acl);
}

static void test_numeric_ids_are_ids(void **state)
{
	const struct acl_principal top = { .uid = 4294967294U, .gid = 0 };
	struct acl *acl = parse_ok("allow br0 user=4294967294\n"
				   "allow br1 user=0\n");

	assert_true(allows(acl, "br0", &top));
	assert_false(allows(acl, "br1", &top));
	acl_free(acl);
}

static void test_numeric_id_out_of_range_is_error(void **state)
{
	/* (uid_t)-1 means "no id" to the kernel. */
	expect_error("allow br0 user=4294967295\n",
		     "t.conf:1: user id '4294967295' is out of range");
	expect_error("allow br0 group=99999999999999999999\n",
		     "t.conf:1: group id '99999999999999999999' is out of range");
}

static void test_empty_principal_is_error(void **state)
{
	expect_error("allow br0 user=\n",
		     "t.conf:1: 'user=' needs a name or a number");
	expect_error("limit 2 group=\n",
		     "t.conf:1: 'group=' needs a name or a number");
}

static void test_invalid_principal_name_is_error(void **state)
{
	expect_error("allow br0 user=a:b\n",
		     "t.conf:1: invalid user name 'a:b': contains ':'");
	expect_error("allow br0 group=a\x01\n",
		     "t.conf:1: invalid group name 'a\\x01': contains a control character");
}

static void test_two_scopes_is_error(void **state)
{
	expect_error("allow br0 user=1 group=2\n",
		     "t.conf:1: only one user= or group= per rule");
	expect_error("allow br0 user=1 user=1\n",
		     "t.conf:1: only one user= or group= per rule");
}

static void test_unknown_option_is_error(void **state)
{
	expect_error("allow br0 mtu=3\n", "t.conf:1: unknown option 'mtu\\x3d3'");
}

/* --- limits ------------------------------------------------------------ */

static void test_limit_applies_to_everyone(void **state)
{
	struct acl *acl = parse_ok("limit 4\n");
	struct acl_origin from;
	unsigned long n;

	assert_true(acl_limit(acl, &alice, &n, &from));
	assert_int_equal(n, 4);
	assert_string_equal(from.file, "t.conf");
	assert_int_equal(from.line, 1);
	assert_true(acl_limit(acl, &bob, &n, &from));
	acl_free(acl);
}

static void test_no_limit_rule_means_no_limit(void **state)
{
	struct acl *acl = parse_ok("allow br0\nlimit 1 user=1002\n");
	struct acl_decision d = decide(acl, "br0", &alice);
	struct acl_origin from;
	unsigned long n;

	assert_false(acl_limit(acl, &alice, &n, &from));
	assert_false(d.has_limit);
	acl_free(acl);
}

static void test_lowest_limit_wins(void **state)
{
	struct acl *acl = parse_ok("limit 8\nlimit 3 group=100\n"
				   "limit 5 user=1002\nlimit 3\n");
	struct acl_origin from;
	unsigned long n;

	assert_true(acl_limit(acl, &bob, &n, &from));
	assert_int_equal(n, 3);
	assert_int_equal(from.line, 2);		/* the first of equals */
	assert_true(acl_limit(acl, &alice, &n, &from));
	assert_int_equal(n, 3);
	assert_int_equal(from.line, 4);
	acl_free(acl);
}

static void test_limit_of_zero_is_accepted(void **state)
{
	struct acl *acl = parse_ok("limit 0 user=1001\n");
	struct acl_origin from;
	unsigned long n = 99;

	assert_true(acl_limit(acl, &alice, &n, &from));
	assert_int_equal(n, 0);
	acl_free(acl);
}

static void test_decision_carries_the_limit(void **state)
{
	struct acl *acl = parse_ok("allow br0\nlimit 2 user=1001\n");
	struct acl_decision d = decide(acl, "br0", &alice);

	assert_true(d.has_limit);
	assert_int_equal(d.limit, 2);
	assert_int_equal(d.limit_from.line, 2);
	/* Also on a refusal, for --check. */
	d = decide(acl, "br9", &alice);
	assert_false(d.allowed);
	assert_true(d.has_limit);
	acl_free(acl);
}

static void test_bad_limit_number_is_error(void **state)
{
	expect_error("limit -1\n",
		     "t.conf:1: invalid limit '-1': not a decimal number");
	expect_error("limit 2x\n",
		     "t.conf:1: invalid limit '2x': not a decimal number");
	expect_error("limit 0x10\n",
		     "t.conf:1: invalid limit '0x10': not a decimal number");
	expect_error("limit 65536\n",
		     "t.conf:1: limit '65536' is out of range (0 to 65535)");
	expect_error("limit 99999999999999999999999\n",
		     "t.conf:1: limit '99999999999999999999999' is out of range (0 to 65535)");
}

static void test_port_option_on_limit_or_deny_is_error(void **state)
{
	expect_error("limit 2 isolated\n",
		     "t.conf:1: 'isolated' is a port option: only allow rules take it");
	expect_error("deny br0 isolated\n",
		     "t.conf:1: 'isolated' is a port option: only allow rules take it");
}

/* --- port options ------------------------------------------------------ */

static void test_isolated_sets_the_port_option(void **state)
{
	struct acl *acl = parse_ok("allow br0 isolated\nallow br1\n");
	struct acl_decision d = decide(acl, "br0", &alice);

	assert_true(d.opts.isolated);
	assert_int_equal(d.decided_by.line, 1);
	assert_false(decide(acl, "br1", &alice).opts.isolated);
	acl_free(acl);
}

static void test_sealed_sets_the_port_option(void **state)
{
	struct acl *acl = parse_ok("allow br0 sealed\nallow br1 isolated\n");
	struct acl_decision d = decide(acl, "br0", &alice);

	assert_true(d.opts.sealed);
	assert_false(d.opts.macguard);
	assert_false(d.opts.isolated);
	d = decide(acl, "br1", &alice);
	assert_false(d.opts.sealed);
	assert_false(d.opts.macguard);
	acl_free(acl);
}

static void test_macguard_implies_sealed(void **state)
{
	struct acl *acl = parse_ok("allow br0 macguard isolated\n");
	struct acl_decision d = decide(acl, "br0", &alice);

	assert_true(d.opts.macguard);
	assert_true(d.opts.sealed);
	assert_true(d.opts.isolated);
	acl_free(acl);
}

/* acl_unsealed_beside(): collect "BRIDGE WITHLINE WITHOUTLINE;" */
static void gap_cb(const struct acl_gap *g, void *data)
{
	char *out = data;
	size_t len = strlen(out);

	snprintf(out + len, 256 - len, "%s %u %u;", g->bridge ? g->bridge : "all",
		 g->with.line, g->without.line);
}

static const char *gaps(const char *text, bool guard)
{
	static char out[256];
	struct acl *acl = parse_ok(text);

	out[0] = '\0';
	assert_true(acl_unsealed_beside(acl, guard, gap_cb, out) >= 0);
	acl_free(acl);
	return out;
}

static void test_unsealed_rule_beside_a_sealed_one_is_found(void **state)
{
	assert_string_equal(gaps("allow br0 sealed\nallow br0 user=1001\n", false),
			    "br0 1 2;");
	/* Whoever the rules are for, and in any order. */
	assert_string_equal(gaps("allow br0 group=1000\nallow br0 macguard\n", false),
			    "br0 2 1;");
	/* An "all" rule grants every named bridge too. */
	assert_string_equal(gaps("allow all\nallow br0 sealed\nallow br1 sealed\n", false),
			    "br0 2 1;br1 3 1;");
	assert_string_equal(gaps("allow all sealed\nallow br0\n", false), "br0 1 2;");
	assert_string_equal(gaps("allow all sealed\nallow all user=1001\n", false),
			    "all 1 2;");
	/* macguard: a sealed rule is not a guarded one. */
	assert_string_equal(gaps("allow br0 macguard\nallow br0 sealed\n", true),
			    "br0 1 2;");
	assert_string_equal(gaps("allow br0 macguard\nallow br0 sealed\n", false), "");
}

static void test_consistent_or_separate_bridges_have_no_gap(void **state)
{
	assert_string_equal(gaps("allow br0 sealed\nallow br0 user=1001 sealed\n", false), "");
	assert_string_equal(gaps("allow br0 sealed\nallow br1\n", false), "");
	assert_string_equal(gaps("allow br0\nallow br1\nallow all\n", false), "");
	assert_string_equal(gaps("allow br0 sealed\ndeny br0 user=1001\n", false), "");
	assert_string_equal(gaps("allow all sealed\nallow all user=1001 sealed\n", false), "");
}

static void test_sealed_only_on_allow_and_once(void **state)
{
	expect_error("deny br0 sealed\n",
		     "t.conf:1: 'sealed' is a port option: only allow rules take it");
	expect_error("allow br0 sealed sealed\n",
		     "t.conf:1: 'sealed' given twice");
	expect_error("limit 2 macguard\n",
		     "t.conf:1: 'macguard' is a port option: only allow rules take it");
	expect_error("allow br0 macguard macguard\n",
		     "t.conf:1: 'macguard' given twice");
}

static void test_isolated_given_twice_is_error(void **state)
{
	expect_error("allow br0 isolated isolated\n",
		     "t.conf:1: 'isolated' given twice");
}

static void test_most_specific_allow_supplies_options(void **state)
{
	/* user over group over everyone, whatever the order of lines */
	struct acl *acl = parse_ok("allow br0 user=1002\n"
				   "allow br0 group=100 isolated\n"
				   "allow all isolated\n"
				   "allow br0 group=1001\n");
	struct acl_decision d;

	d = decide(acl, "br0", &bob);		/* user rule: not isolated */
	assert_false(d.opts.isolated);
	assert_int_equal(d.decided_by.line, 1);
	d = decide(acl, "br0", &alice);		/* group 1001: not isolated */
	assert_false(d.opts.isolated);
	assert_int_equal(d.decided_by.line, 4);
	d = decide(acl, "br1", &alice);		/* only "allow all" */
	assert_true(d.opts.isolated);
	assert_int_equal(d.decided_by.line, 3);
	acl_free(acl);

	acl = parse_ok("allow br0 user=1002 isolated\nallow br0 group=100\n");
	assert_true(decide(acl, "br0", &bob).opts.isolated);
	acl_free(acl);
}

static void test_later_line_wins_on_tie(void **state)
{
	struct acl *acl = parse_ok("allow br0 isolated\nallow all\n");
	struct acl_decision d = decide(acl, "br0", &alice);

	assert_false(d.opts.isolated);
	assert_int_equal(d.decided_by.line, 2);
	acl_free(acl);

	acl = parse_ok("allow all\nallow br0 isolated\n");
	d = decide(acl, "br0", &alice);
	assert_true(d.opts.isolated);
	assert_int_equal(d.decided_by.line, 2);
	acl_free(acl);
}

static void test_denied_bridge_has_no_options(void **state)
{
	struct acl *acl = parse_ok("allow br0 isolated\ndeny br0\n");
	struct acl_decision d = decide(acl, "br0", &alice);

	assert_false(d.allowed);
	assert_false(d.opts.isolated);
	assert_int_equal(d.decided_by.line, 2);	/* the deny */
	acl_free(acl);
}

/* --- scale ------------------------------------------------------------- */

static void test_100000_rules_load(void **state)
{
	const size_t n = 100000;
	char *text = malloc(n * 40), *p = text;
	struct acl_decision d;
	struct acl *acl;
	size_t i;

	assert_non_null(text);
	for (i = 0; i < n; i++)
		p += sprintf(p, "allow br%zu user=%zu\n", i, 1000 + i % 100);
	acl = parse_n(text, (size_t)(p - text));
	assert_int_equal(acl_nerrors(acl), 0);
	assert_string_equal(acl_bridge(acl, n - 1), "br99999");
	assert_null(acl_bridge(acl, n));
	assert_true(allows(acl, "br99901", &alice));	/* 1000 + 1 */
	assert_false(allows(acl, "br99902", &alice));
	assert_int_equal(acl_decide(acl, "br99901", &alice, &d), 0);
	assert_int_equal(d.decided_by.line, 99902);
	acl_free(acl);
	free(text);
}

/* --- the shipped example and the manual's examples --------------------- */

static void test_installed_example_allows_nothing(void **state)
{
	struct acl_decision d;
	struct acl *acl = acl_new();
	FILE *f = fopen("etc/tapgate.conf", "r");

	if (!f)
		fail_msg("etc/tapgate.conf: run from the top of the source tree");
	assert_int_equal(acl_parse_stream(acl, f, "etc/tapgate.conf", 1), 0);
	fclose(f);
	assert_int_equal(acl_nwarnings(acl), 0);
	assert_null(acl_bridge(acl, 0));
	assert_int_equal(acl_decide(acl, NULL, &alice, &d), 0);
	assert_false(d.allowed);
	acl_free(acl);
}

static void test_installed_example_rules_are_valid(void **state)
{
	char line[512], text[4096] = "";
	FILE *f = fopen("etc/tapgate.conf", "r");
	struct acl *acl;
	size_t rules = 0;

	if (!f)
		fail_msg("etc/tapgate.conf: run from the top of the source tree");
	/* Uncomment every example rule (includes aside: they name files
	 * of this machine). */
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "#allow", 6) || !strncmp(line, "#deny", 5) ||
		    !strncmp(line, "#limit", 6)) {
			strcat(text, line + 1);
			rules++;
		}
	}
	fclose(f);
	assert_true(rules >= 5);
	acl = parse(text);
	assert_int_equal(acl_nerrors(acl), 0);
	acl_free(acl);
}

static void test_manual_lab_example_means_what_it_says(void **state)
{
	/* tapgate.conf(5), EXAMPLES, with ids for names: lab 100,
	 * teachers 200, admin 0, mallory 666. */
	const gid_t lab[] = { 100 }, teacher[] = { 200 }, both[] = { 100, 200 };
	const struct acl_principal student = { 1001, 1001, lab, 1 };
	const struct acl_principal teach = { 1002, 1002, teacher, 1 };
	const struct acl_principal lab_teacher = { 1003, 1003, both, 2 };
	const struct acl_principal admin = { 0, 0, NULL, 0 };
	const struct acl_principal mallory = { 666, 666, both, 2 };
	struct acl *acl = parse_ok(
		"allow br-lab  group=100       isolated\n"
		"limit 2       group=100\n"
		"allow br-lab  group=200\n"
		"limit 8       group=200\n"
		"allow all     user=0\n"
		"deny  all     user=666\n");
	struct acl_decision d;

	d = decide(acl, "br-lab", &student);
	assert_true(d.allowed && d.opts.isolated && d.limit == 2);
	assert_false(allows(acl, "br-wan", &student));
	d = decide(acl, "br-lab", &teach);
	assert_true(d.allowed && !d.opts.isolated && d.limit == 8);
	d = decide(acl, "br-lab", &lab_teacher);
	assert_true(d.allowed && !d.opts.isolated && d.limit == 2);
	d = decide(acl, "br-wan", &admin);
	assert_true(d.allowed && !d.has_limit);
	assert_false(allows(acl, "br-lab", &mallory));
	acl_free(acl);
}

static void test_null_bridge_means_one_no_rule_names(void **state)
{
	struct acl *acl = parse_ok("allow br0\nallow all user=1002\n"
				   "deny all group=2000\n");
	struct acl_decision d;

	assert_int_equal(acl_decide(acl, NULL, &alice, &d), 0);
	assert_false(d.allowed);
	assert_null(d.decided_by.file);
	acl_free(acl);

	acl = parse_ok("allow br0\nallow all user=1001\n");
	assert_int_equal(acl_decide(acl, NULL, &alice, &d), 0);
	assert_true(d.allowed);
	assert_int_equal(d.decided_by.line, 2);
	acl_free(acl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_is_deny),
		cmocka_unit_test(test_allow_names_one_bridge),
		cmocka_unit_test(test_allow_all_allows_every_bridge),
		cmocka_unit_test(test_deny_wins_over_allow),
		cmocka_unit_test(test_deny_all_wins_over_allow),
		cmocka_unit_test(test_first_matching_deny_decides),
		cmocka_unit_test(test_every_qemu_acl_form_means_the_same),
		cmocka_unit_test(test_any_blanks_between_words_are_accepted),
		cmocka_unit_test(test_crlf_is_accepted),
		cmocka_unit_test(test_last_line_needs_no_newline),
		cmocka_unit_test(test_trailing_comment_is_accepted),
		cmocka_unit_test(test_hash_inside_a_word_is_part_of_it),
		cmocka_unit_test(test_keywords_are_case_sensitive),
		cmocka_unit_test(test_line_of_4096_bytes_is_accepted),
		cmocka_unit_test(test_line_of_4097_bytes_is_error),
		cmocka_unit_test(test_nul_byte_is_error),
		cmocka_unit_test(test_unknown_keyword_is_error),
		cmocka_unit_test(test_missing_argument_is_error),
		cmocka_unit_test(test_extra_argument_is_error),
		cmocka_unit_test(test_name_of_15_bytes_is_accepted),
		cmocka_unit_test(test_name_of_16_bytes_is_error),
		cmocka_unit_test(test_name_with_colon_is_error),
		cmocka_unit_test(test_dot_names_are_error),
		cmocka_unit_test(test_control_bytes_are_escaped_in_messages),
		cmocka_unit_test(test_long_words_are_shortened_in_messages),
		cmocka_unit_test(test_errors_are_all_collected),
		cmocka_unit_test(test_error_fails_whole_acl),
		cmocka_unit_test(test_parse_returns_einval_on_error),
		cmocka_unit_test(test_decide_refuses_an_invalid_bridge_name),
		cmocka_unit_test(test_bridge_named_like_an_option_is_warned),
		cmocka_unit_test(test_bridges_are_listed_once_in_order),
		cmocka_unit_test(test_user_rule_matches_only_that_user),
		cmocka_unit_test(test_group_rule_matches_the_real_gid),
		cmocka_unit_test(test_group_rule_matches_a_supplementary_gid),
		cmocka_unit_test(test_user_id_is_not_a_group_id),
		cmocka_unit_test(test_scoped_deny_wins_over_allow_all),
		cmocka_unit_test(test_options_may_come_in_any_order),
		cmocka_unit_test(test_user_name_is_looked_up),
		cmocka_unit_test(test_group_name_is_looked_up),
		cmocka_unit_test(test_unknown_user_in_allow_allows_nobody),
		cmocka_unit_test(test_unknown_group_in_allow_allows_nobody),
		cmocka_unit_test(test_unknown_name_in_deny_denies_that_bridge_to_everyone),
		cmocka_unit_test(test_unknown_name_in_deny_all_denies_every_bridge),
		cmocka_unit_test(test_unknown_name_in_limit_applies_to_everyone),
		cmocka_unit_test(test_each_unknown_name_is_warned_at_its_line),
		cmocka_unit_test(test_numeric_ids_are_ids),
		cmocka_unit_test(test_numeric_id_out_of_range_is_error),
		cmocka_unit_test(test_empty_principal_is_error),
		cmocka_unit_test(test_invalid_principal_name_is_error),
		cmocka_unit_test(test_two_scopes_is_error),
		cmocka_unit_test(test_unknown_option_is_error),
		cmocka_unit_test(test_limit_applies_to_everyone),
		cmocka_unit_test(test_no_limit_rule_means_no_limit),
		cmocka_unit_test(test_lowest_limit_wins),
		cmocka_unit_test(test_limit_of_zero_is_accepted),
		cmocka_unit_test(test_decision_carries_the_limit),
		cmocka_unit_test(test_bad_limit_number_is_error),
		cmocka_unit_test(test_port_option_on_limit_or_deny_is_error),
		cmocka_unit_test(test_isolated_sets_the_port_option),
		cmocka_unit_test(test_isolated_given_twice_is_error),
		cmocka_unit_test(test_sealed_sets_the_port_option),
		cmocka_unit_test(test_macguard_implies_sealed),
		cmocka_unit_test(test_sealed_only_on_allow_and_once),
		cmocka_unit_test(test_unsealed_rule_beside_a_sealed_one_is_found),
		cmocka_unit_test(test_consistent_or_separate_bridges_have_no_gap),
		cmocka_unit_test(test_most_specific_allow_supplies_options),
		cmocka_unit_test(test_later_line_wins_on_tie),
		cmocka_unit_test(test_denied_bridge_has_no_options),
		cmocka_unit_test(test_100000_rules_load),
		cmocka_unit_test(test_installed_example_allows_nothing),
		cmocka_unit_test(test_installed_example_rules_are_valid),
		cmocka_unit_test(test_manual_lab_example_means_what_it_says),
		cmocka_unit_test(test_null_bridge_means_one_no_rule_names),
	};

	return cmocka_run_group_tests_name("acl", tests, NULL, NULL);
}
