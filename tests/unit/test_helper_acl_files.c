/* test_helper_acl_files.c - ACL files: includes, trust checks, opening (SPEC §4) */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../helper/acl.h"
#include "quote.h"

static const struct acl_principal alice = { .uid = 1001, .gid = 1001 };

/* Every test gets a fresh directory; files in it are ours, so the ACL
 * trusts our euid (root or not). It is made beside this binary, in the
 * build tree, not in /tmp: the ACL trusts no directory that others may
 * write, sticky or not, so every directory from "/" down to the
 * build tree must be owned by root or by us and writable by nobody else.
 * A checkout below such a directory (a clone in /tmp) makes them in our
 * home directory instead, or in /run as root; when neither path is
 * trusted, setup fails and says why. */
struct fixture {
	char dir[PATH_MAX];
};

/* Whether every directory from "/" to @dir (a canonical path) is one the
 * ACL would trust: owned by root or by us, writable by nobody else. */
static bool path_trusted(const char *dir)
{
	char part[PATH_MAX];
	struct stat st;
	size_t i, len = strlen(dir);

	if (len >= sizeof(part))
		return false;
	for (i = 1; i <= len; i++) {
		if (i < len && dir[i] != '/')
			continue;
		memcpy(part, dir, i);
		part[i] = '\0';
		if (lstat(i == 1 && dir[0] == '/' ? "/" : part, &st) ||
		    !S_ISDIR(st.st_mode) ||
		    (st.st_uid != 0 && st.st_uid != geteuid()) ||
		    (st.st_mode & (S_IWGRP | S_IWOTH)))
			return false;
	}
	return lstat("/", &st) == 0 && st.st_uid == 0 &&
	       !(st.st_mode & (S_IWGRP | S_IWOTH));
}

/* Where the fixtures go: beside this binary, else in our home directory
 * (root: /run). */
static bool fixture_base(char *base, size_t size)
{
	char exe[PATH_MAX], *home;
	struct passwd *pw;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		if (path_trusted(exe) && strlen(exe) < size) {
			memcpy(base, exe, strlen(exe) + 1);
			return true;
		}
	}
	/* Root's home is 0700, and some tests read as another uid: root
	 * uses /run (root's, 0755; teardown removes what it made). */
	pw = geteuid() ? getpwuid(geteuid()) : NULL;
	home = realpath(pw ? pw->pw_dir : "/run", NULL);
	if (home && path_trusted(home) && strlen(home) < size) {
		memcpy(base, home, strlen(home) + 1);
		free(home);
		return true;
	}
	free(home);
	fprintf(stderr, "test_helper_acl_files: neither the build tree (%s) "
		"nor %s lies below directories only root "
		"or this user may write, so no fixture can be trusted\n",
		n > 0 ? exe : "?", geteuid() ? "the home directory" : "/run");
	return false;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char base[PATH_MAX];

	if (!fx)
		return -1;
	if (!fixture_base(base, sizeof(base)) ||
	    snprintf(fx->dir, sizeof(fx->dir), "%s/tapgate-acl-XXXXXX",
		     base) >= (int)sizeof(fx->dir) || !mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	/* mkdtemp() makes it 0700; 0755 as a real configuration dir is. */
	chmod(fx->dir, 0755);
	*state = fx;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	int r = nftw(fx->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);

	free(fx);
	return r;
}

/* DIR/NAME, in a static buffer that each call overwrites. */
static const char *at(void **state, const char *name)
{
	static char path[4][PATH_MAX + 256];
	static unsigned next;
	struct fixture *fx = *state;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", fx->dir, name);
	return p;
}

/* Write @text to DIR/NAME with @mode exactly (whatever the umask). */
static void write_mode(void **state, const char *name, const char *text,
		       mode_t mode)
{
	const char *path = at(state, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void write_file(void **state, const char *name, const char *text)
{
	write_mode(state, name, text, 0644);
}

static void make_dir(void **state, const char *name)
{
	assert_int_equal(mkdir(at(state, name), 0755), 0);
}

static struct acl *load(void **state, const char *name)
{
	struct acl *acl = acl_new();

	assert_non_null(acl);
	acl_set_trusted_owner(acl, geteuid());
	acl_load(acl, at(state, name));
	return acl;
}

static struct acl *load_ok(void **state, const char *name)
{
	struct acl *acl = load(state, name);

	if (acl_nerrors(acl))
		fail_msg("unexpected error: %s", acl_error(acl, 0));
	return acl;
}

/* Expect exactly one error: "DIR/" followed by @tail. */
static void expect_error(void **state, const struct acl *acl, const char *tail)
{
	char want[PATH_MAX + 1024];

	snprintf(want, sizeof(want), "%s", at(state, tail));
	assert_int_equal(acl_nerrors(acl), 1);
	assert_string_equal(acl_error(acl, 0), want);
}

/* @path as messages show it (quote_untrusted(): quoted, long ones cut). */
static const char *q(const char *path)
{
	static char out[4][QUOTE_BUF];
	static unsigned next;

	return quote_untrusted(out[next++ % 4], path);
}

/* Expect exactly one error, @head followed by @tail. */
static void expect_error2(const struct acl *acl, const char *head,
			  const char *tail)
{
	char want[PATH_MAX + 1024];

	snprintf(want, sizeof(want), "%s%s", head, tail);
	assert_int_equal(acl_nerrors(acl), 1);
	assert_string_equal(acl_error(acl, 0), want);
}

static void make_dir_mode(void **state, const char *name, mode_t mode)
{
	make_dir(state, name);
	assert_int_equal(chmod(at(state, name), mode), 0);
}

static bool allows(const struct acl *acl, const char *bridge)
{
	struct acl_decision d;

	if (acl_decide(acl, bridge, &alice, &d))
		return false;
	return d.allowed;
}

/* Loading DIR/@file fails with exactly "DIR/@file: directory @dir is @why"
 * (@dir a full path) and allows nothing. */
static void expect_dir_error(void **state, const char *file, const char *dir,
			     const char *why)
{
	char head[PATH_MAX + 600];
	struct acl *acl = load(state, file);

	snprintf(head, sizeof(head), "%s: directory %s is ", at(state, file),
		 q(dir));
	expect_error2(acl, head, why);
	assert_false(allows(acl, "br0"));
	acl_free(acl);
}

/* Loading DIR/tapgate.conf fails with exactly one error at its @line:
 * "include DIR/@inc: directory @dir is @why"; and allows nothing. */
static void expect_include_dir_error(void **state, unsigned line,
				     const char *inc, const char *dir,
				     const char *why)
{
	char head[PATH_MAX + 600];
	struct acl *acl = load(state, "tapgate.conf");

	snprintf(head, sizeof(head), "%s:%u: include %s: directory %s is ",
		 at(state, "tapgate.conf"), line, q(at(state, inc)), q(dir));
	expect_error2(acl, head, why);
	assert_false(allows(acl, "br0"));
	assert_false(allows(acl, "br1"));
	acl_free(acl);
}

/* --- the main file ----------------------------------------------------- */

static void test_main_file_is_loaded(void **state)
{
	struct acl *acl;
	struct acl_decision d;

	write_file(state, "tapgate.conf", "allow br0\n");
	acl = acl_new();
	acl_set_trusted_owner(acl, geteuid());
	assert_int_equal(acl_load(acl, at(state, "tapgate.conf")), 0);
	assert_int_equal(acl_decide(acl, "br0", &alice, &d), 0);
	assert_true(d.allowed);
	assert_string_equal(d.decided_by.file, at(state, "tapgate.conf"));
	assert_int_equal(d.decided_by.line, 1);
	acl_free(acl);
}

static void test_missing_main_file_is_error(void **state)
{
	struct acl *acl = acl_new();

	acl_set_trusted_owner(acl, geteuid());
	assert_int_equal(acl_load(acl, at(state, "nope.conf")), -EINVAL);
	expect_error(state, acl, "nope.conf: cannot open: No such file or directory");
	assert_false(allows(acl, "br0"));
	acl_free(acl);
}

/*
 * Run @fn as a user who cannot read what others cannot: in this process
 * when it is not root; as root (who reads everything), in a child that
 * becomes nobody, reading root-owned files trusted as owned by root, as
 * in production. @fn returns 0 when all is as expected, else a code
 * saying what was not (it must not use cmocka's assertions: in a child
 * they would go on running the other tests there).
 */
static void as_unprivileged(void **state, int (*fn)(void **state, uid_t owner))
{
	struct fixture *fx = *state;
	int status;
	pid_t pid;

	if (geteuid() != 0) {
		assert_int_equal(fn(state, geteuid()), 0);
		return;
	}
	assert_int_equal(chmod(fx->dir, 0755), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(99);
		_exit(fn(state, 0));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static int unreadable_main_file(void **state, uid_t owner)
{
	struct acl *acl = acl_new();
	char want[600];
	int r = 0;

	acl_set_trusted_owner(acl, owner);
	acl_load(acl, at(state, "tapgate.conf"));
	snprintf(want, sizeof(want), "%s: cannot open: Permission denied",
		 at(state, "tapgate.conf"));
	if (acl_nerrors(acl) != 1)
		r = 1;
	else if (strcmp(acl_error(acl, 0), want))
		r = 2;
	acl_free(acl);
	return r;
}

static void test_unreadable_main_file_is_error(void **state)
{
	write_mode(state, "tapgate.conf", "allow br0\n", geteuid() ? 0000 : 0600);
	as_unprivileged(state, unreadable_main_file);
}

/* --- trust ------------------------------------------------------------- */

static void test_group_writable_file_is_error(void **state)
{
	struct acl *acl;

	write_mode(state, "tapgate.conf", "allow br0\n", 0664);
	acl = load(state, "tapgate.conf");
	expect_error(state, acl, "tapgate.conf: writable by group or others");
	assert_false(allows(acl, "br0"));
	acl_free(acl);
}

static void test_world_writable_include_is_error(void **state)
{
	struct acl *acl;

	write_file(state, "tapgate.conf", "allow br0\ninclude other.conf\n");
	write_mode(state, "other.conf", "allow br1\n", 0646);
	acl = load(state, "tapgate.conf");
	expect_error(state, acl, "other.conf: writable by group or others");
	assert_false(allows(acl, "br0"));
	acl_free(acl);
}

static void test_file_not_owned_by_the_trusted_owner_is_error(void **state)
{
	struct acl *acl;
	char want[600];

	write_file(state, "tapgate.conf", "allow br0\n");
	acl = acl_new();
	acl_set_trusted_owner(acl, geteuid() + 1);
	acl_load(acl, at(state, "tapgate.conf"));
	snprintf(want, sizeof(want), "%s: not owned by uid %u",
		 at(state, "tapgate.conf"), (unsigned)geteuid() + 1);
	assert_int_equal(acl_nerrors(acl), 1);
	assert_string_equal(acl_error(acl, 0), want);
	acl_free(acl);
}

static void test_file_not_owned_by_root_is_error(void **state)
{
	struct acl *acl = acl_new();	/* trusts root, the default */

	write_file(state, "tapgate.conf", "allow br0\n");
	if (geteuid() == 0)	/* as root, give the file away */
		assert_int_equal(chown(at(state, "tapgate.conf"), 65534, 65534), 0);
	acl_load(acl, at(state, "tapgate.conf"));
	expect_error(state, acl, "tapgate.conf: not owned by root");
	acl_free(acl);
}

static void test_fifo_does_not_block(void **state)
{
	struct acl *acl;

	/* Nobody writes to it: a blocking open would hang here. */
	assert_int_equal(mkfifo(at(state, "fifo"), 0644), 0);
	acl = load(state, "fifo");
	expect_error(state, acl, "fifo: not a regular file");
	acl_free(acl);

	write_file(state, "tapgate.conf", "include fifo\n");
	acl = load(state, "tapgate.conf");
	expect_error(state, acl, "fifo: not a regular file");
	acl_free(acl);
}

static void test_directory_is_error(void **state)
{
	struct acl *acl;

	make_dir(state, "d");
	acl = load(state, "d");
	expect_error(state, acl, "d: not a regular file");
	acl_free(acl);
}

static void test_device_is_error(void **state)
{
	struct acl *acl = acl_new();

	acl_set_trusted_owner(acl, geteuid());
	acl_load(acl, "/dev/null");
	assert_int_equal(acl_nerrors(acl), 1);
	assert_string_equal(acl_error(acl, 0), "/dev/null: not a regular file");
	acl_free(acl);
}

static void test_symlink_to_a_trusted_file_is_followed(void **state)
{
	struct acl *acl;

	/* /etc/tapgate.conf -> /etc/qemu/bridge.conf is a fair setup; the
	 * checks apply to the file the link leads to. */
	write_file(state, "bridge.conf", "allow br0\n");
	assert_int_equal(symlink("bridge.conf", at(state, "tapgate.conf")), 0);
	acl = load_ok(state, "tapgate.conf");
	assert_true(allows(acl, "br0"));
	acl_free(acl);

	write_mode(state, "bridge.conf", "allow br0\n", 0666);
	acl = load(state, "tapgate.conf");
	expect_error(state, acl, "tapgate.conf: writable by group or others");
	acl_free(acl);
}

/* --- includes ---------------------------------------------------------- */

static void test_include_absolute_path(void **state)
{
	struct acl *acl;
	char text[600];

	write_file(state, "users.conf", "allow br1\n");
	snprintf(text, sizeof(text), "allow br0\ninclude %s\n",
		 at(state, "users.conf"));
	write_file(state, "tapgate.conf", text);
	acl = load_ok(state, "tapgate.conf");
	assert_true(allows(acl, "br0"));
	assert_true(allows(acl, "br1"));
	acl_free(acl);
}

static void test_include_relative_to_including_file(void **state)
{
	struct acl *acl;
	int cwd;

	make_dir(state, "conf");
	make_dir(state, "conf/sub");
	make_dir(state, "elsewhere");
	make_dir(state, "elsewhere/sub");
	write_file(state, "conf/main.conf", "include sub/a.conf\n");
	write_file(state, "conf/sub/a.conf", "allow br0\ninclude b.conf\n");
	write_file(state, "conf/sub/b.conf", "allow br1\n");
	/* Decoys where a working-directory-relative reading would look. */
	write_file(state, "elsewhere/sub/a.conf", "allow evil\n");
	write_file(state, "elsewhere/b.conf", "allow evil\n");

	cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(cwd >= 0);
	assert_int_equal(chdir(at(state, "elsewhere")), 0);
	acl = load_ok(state, "conf/main.conf");
	assert_int_equal(fchdir(cwd), 0);
	close(cwd);

	assert_true(allows(acl, "br0"));
	assert_true(allows(acl, "br1"));
	assert_false(allows(acl, "evil"));
	acl_free(acl);
}

static void test_include_of_a_relative_main_file(void **state)
{
	struct acl *acl = acl_new();
	int cwd;

	/* The main file named relative to the working directory: its
	 * includes are relative to its directory all the same. */
	make_dir(state, "etc");
	write_file(state, "etc/main.conf", "include more.conf\n");
	write_file(state, "etc/more.conf", "allow br7\n");
	cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(cwd >= 0);
	assert_int_equal(chdir(at(state, "")), 0);
	acl_set_trusted_owner(acl, geteuid());
	assert_int_equal(acl_load(acl, "etc/main.conf"), 0);
	assert_int_equal(fchdir(cwd), 0);
	close(cwd);
	assert_true(allows(acl, "br7"));
	acl_free(acl);
}

static void test_include_path_may_contain_spaces(void **state)
{
	struct acl *acl;

	/* QEMU takes the whole rest of the line as the path. */
	write_file(state, "my users.conf", "allow br3\n");
	write_file(state, "tapgate.conf", "include   my users.conf  # lab\n");
	acl = load_ok(state, "tapgate.conf");
	assert_true(allows(acl, "br3"));
	acl_free(acl);
}

static void test_included_rules_keep_their_origin(void **state)
{
	struct acl *acl;
	struct acl_decision d;

	write_file(state, "tapgate.conf", "allow all\ninclude deny.conf\n");
	write_file(state, "deny.conf", "# deny wins across files\n\ndeny br0\n");
	acl = load_ok(state, "tapgate.conf");
	assert_int_equal(acl_decide(acl, "br0", &alice, &d), 0);
	assert_false(d.allowed);
	assert_string_equal(d.decided_by.file, at(state, "deny.conf"));
	assert_int_equal(d.decided_by.line, 3);
	assert_true(allows(acl, "br1"));
	acl_free(acl);
}

static void test_missing_include_is_skipped(void **state)
{
	struct acl *acl;

	write_file(state, "tapgate.conf",
		   "include nobody.conf\ninclude no/such/dir.conf\n"
		   "include tapgate.conf/x\nallow br0\n");
	acl = load_ok(state, "tapgate.conf");
	assert_int_equal(acl_nwarnings(acl), 0);
	assert_true(allows(acl, "br0"));
	acl_free(acl);
}

static int unreadable_include(void **state, uid_t owner)
{
	struct acl *acl = acl_new();
	int r = 0;

	acl_set_trusted_owner(acl, owner);
	if (acl_load(acl, at(state, "tapgate.conf")))
		r = 1;
	else if (!allows(acl, "br0"))
		r = 2;
	else if (allows(acl, "br1"))
		r = 3;
	acl_free(acl);
	return r;
}

static void test_unreadable_include_is_skipped(void **state)
{
	/* QEMU's per-user scheme: bob cannot read alice's file (root:alice
	 * 0640 in production; here root:root 0600 read by nobody, or, as
	 * non-root, our own file with mode 0000). */
	write_file(state, "tapgate.conf", "include alice.conf\nallow br0\n");
	write_mode(state, "alice.conf", "allow br1\n", geteuid() ? 0000 : 0600);
	as_unprivileged(state, unreadable_include);
}

static void test_include_cycle_is_error(void **state)
{
	struct acl *acl;
	char want[600];

	write_file(state, "a.conf", "allow br0\ninclude b.conf\n");
	write_file(state, "b.conf", "\ninclude a.conf\n");
	acl = load(state, "a.conf");
	snprintf(want, sizeof(want), "%s:2: include cycle: '%s' is already being read",
		 at(state, "b.conf"), at(state, "a.conf"));
	assert_int_equal(acl_nerrors(acl), 1);
	assert_string_equal(acl_error(acl, 0), want);
	assert_false(allows(acl, "br0"));
	acl_free(acl);
}

static void test_include_of_itself_is_error(void **state)
{
	struct acl *acl;

	write_file(state, "a.conf", "include ./a.conf\n");
	acl = load(state, "a.conf");
	assert_int_equal(acl_nerrors(acl), 1);
	assert_non_null(strstr(acl_error(acl, 0), "a.conf:1: include cycle: '"));
	acl_free(acl);
}

static void test_include_cycle_through_a_symlink_is_error(void **state)
{
	struct acl *acl;

	/* Another name for the same file is the same file. */
	make_dir(state, "d");
	assert_int_equal(symlink("..", at(state, "d/up")), 0);
	write_file(state, "a.conf", "include d/up/a.conf\n");
	acl = load(state, "a.conf");
	assert_int_equal(acl_nerrors(acl), 1);
	assert_non_null(strstr(acl_error(acl, 0), "include cycle"));
	acl_free(acl);
}

static void test_same_file_included_twice_is_not_a_cycle(void **state)
{
	struct acl *acl;

	write_file(state, "tapgate.conf", "include common.conf\ninclude x.conf\n");
	write_file(state, "x.conf", "include common.conf\n");
	write_file(state, "common.conf", "allow br0\n");
	acl = load_ok(state, "tapgate.conf");
	assert_true(allows(acl, "br0"));
	acl_free(acl);
}

/* f1.conf includes f2.conf ... includes fN.conf, which allows br0. */
static void write_chain(void **state, unsigned n)
{
	char name[32], text[64];
	unsigned i;

	for (i = 1; i < n; i++) {
		snprintf(name, sizeof(name), "f%u.conf", i);
		snprintf(text, sizeof(text), "include f%u.conf\n", i + 1);
		write_file(state, name, text);
	}
	snprintf(name, sizeof(name), "f%u.conf", n);
	write_file(state, name, "allow br0\n");
}

static void test_include_depth_8_is_accepted(void **state)
{
	struct acl *acl;

	write_chain(state, ACL_INCLUDE_DEPTH);
	acl = load_ok(state, "f1.conf");
	assert_true(allows(acl, "br0"));
	acl_free(acl);
}

static void test_include_depth_9_is_error(void **state)
{
	struct acl *acl;

	write_chain(state, ACL_INCLUDE_DEPTH + 1);
	acl = load(state, "f1.conf");
	expect_error(state, acl, "f8.conf:1: include nested deeper than 8 levels");
	assert_false(allows(acl, "br0"));
	acl_free(acl);
}

static void test_error_in_include_fails_whole_acl(void **state)
{
	struct acl *acl;

	write_file(state, "tapgate.conf", "allow br0\ninclude bad.conf\nallow br1\n");
	write_file(state, "bad.conf", "allow br2\n\nalow br3\n");
	acl = load(state, "tapgate.conf");
	expect_error(state, acl, "bad.conf:3: unknown keyword 'alow'");
	assert_false(allows(acl, "br0"));
	assert_false(allows(acl, "br1"));
	acl_free(acl);
}

static void test_include_error_other_than_missing_is_error(void **state)
{
	struct acl *acl;
	char text[64], want[PATH_MAX + 1024];

	/* ELOOP is not "missing": a broken setup must not pass silently. */
	assert_int_equal(symlink("loop.conf", at(state, "loop.conf")), 0);
	snprintf(text, sizeof(text), "include loop.conf\n");
	write_file(state, "tapgate.conf", text);
	acl = load(state, "tapgate.conf");
	snprintf(want, sizeof(want),
		 "%s:1: cannot open include %s: Too many levels of symbolic links",
		 at(state, "tapgate.conf"), q(at(state, "loop.conf")));
	assert_int_equal(acl_nerrors(acl), 1);
	assert_string_equal(acl_error(acl, 0), want);
	acl_free(acl);
}

/* --- the directories on the way (issue 10 §2) --------------------------- */

/*
 * Whoever may write a directory on the way to a file may rename the file
 * away and put a symlink to any other root-owned file ("allow all") in its
 * place; fstat() on the file reached would see nothing wrong.
 */
static void test_writable_directory_on_the_way_to_the_acl_is_error(void **state)
{
	static const mode_t modes[] = { 0777, 0775, 0757 };
	struct acl *acl;
	size_t i;

	make_dir(state, "etc");
	write_file(state, "etc/tapgate.conf", "allow br0\n");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		assert_int_equal(chmod(at(state, "etc"), modes[i]), 0);
		expect_dir_error(state, "etc/tapgate.conf", at(state, "etc"),
				 "writable by group or others");
	}
	/* Control: the same file through a directory only its owner writes. */
	assert_int_equal(chmod(at(state, "etc"), 0755), 0);
	acl = load_ok(state, "etc/tapgate.conf");
	assert_true(allows(acl, "br0"));
	acl_free(acl);
}

static void test_writable_directory_further_up_is_error(void **state)
{
	struct fixture *fx = *state;

	make_dir(state, "a");
	make_dir(state, "a/b");
	write_file(state, "a/b/tapgate.conf", "allow br0\n");
	assert_int_equal(chmod(at(state, "a"), 0777), 0);
	expect_dir_error(state, "a/b/tapgate.conf", at(state, "a"),
			 "writable by group or others");
	assert_int_equal(chmod(at(state, "a"), 0755), 0);
	/* The fixture directory itself, two levels up. */
	assert_int_equal(chmod(fx->dir, 0777), 0);
	expect_dir_error(state, "a/b/tapgate.conf", fx->dir,
			 "writable by group or others");
	assert_int_equal(chmod(fx->dir, 0755), 0);
}

/* /tmp is 1777: anyone may create a name there before root does. */
static void test_sticky_world_writable_directory_is_no_exception(void **state)
{
	struct acl *acl;

	make_dir(state, "tmp");
	write_file(state, "tmp/tapgate.conf", "allow br0\n");
	assert_int_equal(chmod(at(state, "tmp"), 01777), 0);
	expect_dir_error(state, "tmp/tapgate.conf", at(state, "tmp"),
			 "writable by group or others (sticky or not)");

	/* And the real /tmp. */
	acl = acl_new();
	assert_non_null(acl);
	acl_set_trusted_owner(acl, geteuid());
	acl_load(acl, "/tmp/tapgate-no-such.conf");
	expect_error2(acl, "/tmp/tapgate-no-such.conf: directory '/tmp' is ",
		      "writable by group or others (sticky or not)");
	acl_free(acl);
}

static void test_writable_directory_on_the_way_to_an_include_is_error(void **state)
{
	/* The whole ACL fails, not just the include: br1 too. */
	write_file(state, "tapgate.conf", "allow br1\ninclude inc/x.conf\n");
	make_dir_mode(state, "inc", 0777);
	write_file(state, "inc/x.conf", "allow br0\n");
	expect_include_dir_error(state, 2, "inc/x.conf", at(state, "inc"),
				 "writable by group or others");
}

/* Not skipped as missing: whoever may write the directory may create it. */
static void test_missing_include_in_a_writable_directory_is_error(void **state)
{
	write_file(state, "tapgate.conf", "allow br1\ninclude inc/alice.conf\n");
	make_dir_mode(state, "inc", 01777);
	expect_include_dir_error(state, 2, "inc/alice.conf", at(state, "inc"),
				 "writable by group or others (sticky or not)");
}

/* The attack of issue 10: in a writable directory, the ACL replaced by a
 * symlink to another trusted file that says "allow all". */
static void test_symlink_planted_in_a_writable_directory_is_error(void **state)
{
	write_file(state, "allow-all.conf", "allow all\n");
	make_dir_mode(state, "etc", 0777);
	assert_int_equal(symlink("../allow-all.conf",
				 at(state, "etc/tapgate.conf")), 0);
	expect_dir_error(state, "etc/tapgate.conf", at(state, "etc"),
			 "writable by group or others");
	/* The same planted in an include's directory. */
	write_file(state, "tapgate.conf", "include etc/tapgate.conf\n");
	expect_include_dir_error(state, 1, "etc/tapgate.conf", at(state, "etc"),
				 "writable by group or others");
}

/* A symlink to a directory leads the walk there, and that directory is
 * judged like any other. */
static void test_symlink_to_a_writable_directory_is_error(void **state)
{
	struct acl *acl;

	make_dir_mode(state, "w", 0777);
	write_file(state, "w/tapgate.conf", "allow br0\n");
	assert_int_equal(symlink("w", at(state, "conf")), 0);
	expect_dir_error(state, "conf/tapgate.conf", at(state, "w"),
			 "writable by group or others");

	/* Control: the same link to a trusted directory, and an absolute
	 * link, are followed. */
	assert_int_equal(chmod(at(state, "w"), 0755), 0);
	acl = load_ok(state, "conf/tapgate.conf");
	assert_true(allows(acl, "br0"));
	acl_free(acl);
	assert_int_equal(symlink(at(state, "w/tapgate.conf"),
				 at(state, "abs.conf")), 0);
	acl = load_ok(state, "abs.conf");
	assert_true(allows(acl, "br0"));
	acl_free(acl);
}

/* ".." is the directory's real parent, and the walk judges it too. */
static void test_dotdot_goes_through_trusted_directories_only(void **state)
{
	struct acl *acl;

	make_dir(state, "sub");
	write_file(state, "other.conf", "allow br0\n");
	write_file(state, "tapgate.conf", "include sub/../other.conf\n");
	acl = load_ok(state, "tapgate.conf");
	assert_true(allows(acl, "br0"));
	acl_free(acl);
	assert_int_equal(chmod(at(state, "sub"), 0777), 0);
	expect_include_dir_error(state, 1, "sub/../other.conf", at(state, "sub"),
				 "writable by group or others");
}

/* Owners other than root (and the trusted owner) can be set only by root. */
static void test_directory_not_owned_by_root_is_error(void **state)
{
	if (geteuid() != 0)
		skip();		/* chown to another uid needs root */
	make_dir(state, "etc");
	write_file(state, "etc/tapgate.conf", "allow br0\n");
	assert_int_equal(chown(at(state, "etc"), 4001, 0), 0);
	expect_dir_error(state, "etc/tapgate.conf", at(state, "etc"),
			 "not owned by root");
}

static void test_symlink_not_owned_by_root_is_not_followed(void **state)
{
	char head[PATH_MAX + 600];
	struct acl *acl;

	if (geteuid() != 0)
		skip();		/* lchown to another uid needs root */
	write_file(state, "bridge.conf", "allow br0\n");
	assert_int_equal(symlink("bridge.conf", at(state, "tapgate.conf")), 0);
	assert_int_equal(lchown(at(state, "tapgate.conf"), 4001, 4001), 0);
	acl = load(state, "tapgate.conf");
	snprintf(head, sizeof(head), "%s: symlink %s is ",
		 at(state, "tapgate.conf"), q(at(state, "tapgate.conf")));
	expect_error2(acl, head, "not owned by root");
	assert_false(allows(acl, "br0"));
	acl_free(acl);
}

/* QEMU's per-user scheme keeps working through trusted directories: a
 * missing include, and one the caller cannot read, are skipped. */
static void test_missing_include_in_a_trusted_directory_is_skipped(void **state)
{
	struct acl *acl;

	make_dir(state, "qemu");
	write_file(state, "tapgate.conf",
		   "include qemu/alice.conf\ninclude qemu/none/x.conf\nallow br0\n");
	acl = load_ok(state, "tapgate.conf");
	assert_true(allows(acl, "br0"));
	acl_free(acl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_main_file_is_loaded),
		T(test_missing_main_file_is_error),
		T(test_unreadable_main_file_is_error),
		T(test_group_writable_file_is_error),
		T(test_world_writable_include_is_error),
		T(test_file_not_owned_by_the_trusted_owner_is_error),
		T(test_file_not_owned_by_root_is_error),
		T(test_fifo_does_not_block),
		T(test_directory_is_error),
		T(test_device_is_error),
		T(test_symlink_to_a_trusted_file_is_followed),
		T(test_include_absolute_path),
		T(test_include_relative_to_including_file),
		T(test_include_of_a_relative_main_file),
		T(test_include_path_may_contain_spaces),
		T(test_included_rules_keep_their_origin),
		T(test_missing_include_is_skipped),
		T(test_unreadable_include_is_skipped),
		T(test_include_cycle_is_error),
		T(test_include_of_itself_is_error),
		T(test_include_cycle_through_a_symlink_is_error),
		T(test_same_file_included_twice_is_not_a_cycle),
		T(test_include_depth_8_is_accepted),
		T(test_include_depth_9_is_error),
		T(test_error_in_include_fails_whole_acl),
		T(test_include_error_other_than_missing_is_error),
		T(test_writable_directory_on_the_way_to_the_acl_is_error),
		T(test_writable_directory_further_up_is_error),
		T(test_sticky_world_writable_directory_is_no_exception),
		T(test_writable_directory_on_the_way_to_an_include_is_error),
		T(test_missing_include_in_a_writable_directory_is_error),
		T(test_symlink_planted_in_a_writable_directory_is_error),
		T(test_symlink_to_a_writable_directory_is_error),
		T(test_dotdot_goes_through_trusted_directories_only),
		T(test_directory_not_owned_by_root_is_error),
		T(test_symlink_not_owned_by_root_is_not_followed),
		T(test_missing_include_in_a_trusted_directory_is_skipped),
#undef T
	};

	return cmocka_run_group_tests_name("acl files", tests, NULL, NULL);
}
