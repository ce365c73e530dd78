/* fuzz_acl.c - libFuzzer target: the ACL parser (acl_parse_stream) and its verdicts */

/*
 * The input is one ACL file's text. It is parsed from memory (fmemopen)
 * under the name FIXTURES/main.conf, so a relative "include x" resolves
 * to FIXTURES/x, where a few fixture files wait: valid rules, a file that
 * includes itself, two that include each other, one with an error, a
 * chain deep enough to pass the include limit (d1.conf ... d9.conf), and
 * sub/up.conf, which includes sub/down.conf by a relative name.
 *
 * The parser follows includes and looks user and group names up. Under a
 * fuzzer that must not reach the machine: an "include /dev/watchdog" or
 * "include /proc/..." would open real files as whoever runs the fuzzer,
 * and NSS lookups would read /etc/passwd at every new name. So the build
 * links this target with -Wl,--wrap=open,--wrap=openat,--wrap=getpwnam,
 * --wrap=getgrnam: while the parser runs, open() and openat() really open
 * only files under FIXTURES (every other path, and any path with "/.." in
 * it, fails with ENOENT, which the parser treats as a missing include);
 * O_PATH opens, which open no device and read nothing, go through, so the
 * file layer's walk from "/" through trusted directories runs as in the
 * helper (FIXTURES must then lie below such directories: make fuzz puts
 * it in the build tree, not in /tmp), and names resolve from a fixed
 * table (alice 4001, bob 4002, group lab 4100; the name "down" fails
 * with EIO, as a directory service that is down would).
 *
 * Properties checked on every input, beyond "no crash, no leak, no UB":
 * - an ACL with errors allows nothing and sets no limit;
 * - every error and warning is one line (no '\n'), since the helper
 *   prints the first error as its one stderr line;
 * - a decision names a rule from a file the ACL read.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acl.h"

/* The names ld --wrap gives: reserved identifiers, by necessity. */
int __real_open(const char *path, int flags, ...);	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
int __wrap_open(const char *path, int flags, ...);	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
int __real_openat(int dirfd, const char *name, int flags, ...);	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
int __wrap_openat(int dirfd, const char *name, int flags, ...);	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
struct passwd *__wrap_getpwnam(const char *name);	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
struct group *__wrap_getgrnam(const char *name);	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fixtures[PATH_MAX];
static size_t fixtures_len;
static int sandboxed;

/* Is @path FIXTURES or below it? */
static int in_fixtures(const char *path)
{
	return !strncmp(path, fixtures, fixtures_len) &&
	       (path[fixtures_len] == '/' || !path[fixtures_len]) &&
	       !strstr(path + fixtures_len, "/..");
}

/* An O_PATH open opens no device and reads nothing: the walk from "/"
 * may take those anywhere. A real open must be under FIXTURES. */
int __wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (sandboxed && !(flags & O_PATH) && !in_fixtures(path)) {
		errno = ENOENT;
		return -1;
	}
	return __real_open(path, flags, mode);
}

int __wrap_openat(int dirfd, const char *name, int flags, ...)
{
	char link[64], dir[sizeof(fixtures) + 256];
	mode_t mode = 0;
	ssize_t n;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (sandboxed && !(flags & O_PATH)) {
		/* The directory the file is opened in, as the kernel
		 * names it; and one plain name in it. */
		snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
		n = readlink(link, dir, sizeof(dir) - 1);
		if (n < 0 || strchr(name, '/') || !strcmp(name, "..")) {
			errno = ENOENT;
			return -1;
		}
		dir[n] = '\0';
		if (!in_fixtures(dir)) {
			errno = ENOENT;
			return -1;
		}
	}
	return __real_openat(dirfd, name, flags, mode);
}

struct passwd *__wrap_getpwnam(const char *name)
{
	static struct passwd pw;

	if (strcmp(name, "alice") && strcmp(name, "bob")) {
		/* "down": a directory service that fails (EIO). */
		errno = strcmp(name, "down") ? 0 : EIO;
		return NULL;
	}
	memset(&pw, 0, sizeof(pw));
	pw.pw_name = (char *)name;
	pw.pw_uid = name[0] == 'a' ? 4001 : 4002;
	pw.pw_gid = pw.pw_uid;
	return &pw;
}

struct group *__wrap_getgrnam(const char *name)
{
	static struct group gr;

	if (strcmp(name, "lab")) {
		errno = strcmp(name, "down") ? 0 : EIO;
		return NULL;
	}
	memset(&gr, 0, sizeof(gr));
	gr.gr_name = (char *)name;
	gr.gr_gid = 4100;
	return &gr;
}

static void put(const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fixtures, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f)) {
		perror(path);
		abort();
	}
	chmod(path, 0644);
}

/* Fixture files in a fresh directory; removed by the shell (make fuzz
 * runs the target with TMPDIR set to its own directory). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	char link[PATH_MAX + 64];
	int i;

	snprintf(fixtures, sizeof(fixtures), "%s/tapgate-fuzz-XXXXXX",
		 tmp && *tmp && strlen(tmp) < sizeof(fixtures) - 32 ?
		 tmp : "/tmp");
	if (!mkdtemp(fixtures)) {
		perror("mkdtemp");
		abort();
	}
	fixtures_len = strlen(fixtures);
	put("a.conf", "allow br0\ndeny br1 user=alice\nlimit 3 group=lab\n");
	put("self.conf", "allow br2\ninclude self.conf\n");
	put("loop1.conf", "include loop2.conf\n");
	put("loop2.conf", "include loop1.conf\n");
	put("bad.conf", "frobnicate\n");
	for (i = 1; i <= 9; i++) {
		char name[16], text[32];

		snprintf(name, sizeof(name), "d%d.conf", i);
		snprintf(text, sizeof(text), "allow br%d\ninclude d%d.conf\n",
			 i, i + 1);
		put(name, text);
	}
	snprintf(link, sizeof(link), "%s/sub", fixtures);
	mkdir(link, 0755);
	/* Relative to the including file's directory: sub/down.conf. */
	put("sub/up.conf", "include down.conf\n");
	put("sub/down.conf", "allow br7 isolated\n");
	return 0;
}

static const struct acl_principal alice = {
	.uid = 4001, .gid = 4001,
	.groups = (const gid_t[]){ 4100 }, .ngroups = 1,
};
static const struct acl_principal carol = { .uid = 4003, .gid = 4003 };

static void check_decision(const struct acl *acl, const char *bridge,
			   const struct acl_principal *who, bool broken)
{
	struct acl_decision d;
	int rc = acl_decide(acl, bridge, who, &d);

	if (broken && (rc != -EINVAL || d.allowed || d.has_limit))
		__builtin_trap();	/* an invalid ACL must allow nothing */
	if (d.allowed && !d.decided_by.file)
		__builtin_trap();	/* every grant names its rule */
	if (!d.allowed && d.opts.isolated)
		__builtin_trap();	/* a refusal sets up no port */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[PATH_MAX + 64];
	struct acl *acl;
	bool broken;
	size_t i;
	FILE *f;

	/* fmemopen() of size 0 fails with EINVAL; an empty file is valid. */
	f = fmemopen((void *)(size ? data : (const uint8_t *)""),
		     size ? size : 1, "r");
	if (!f)
		return 0;
	if (!size)
		fgetc(f);
	acl = acl_new();
	if (!acl)
		abort();
	/* Fixture files are ours, not root's: trust their owner. */
	acl_set_trusted_owner(acl, geteuid());
	snprintf(name, sizeof(name), "%s/main.conf", fixtures);
	sandboxed = 1;
	broken = acl_parse_stream(acl, f, name, 1) != 0;
	sandboxed = 0;
	fclose(f);

	for (i = 0; i < acl_nerrors(acl); i++)
		if (!acl_error(acl, i) || strchr(acl_error(acl, i), '\n'))
			__builtin_trap();
	for (i = 0; i < acl_nwarnings(acl); i++)
		if (!acl_warning(acl, i) || strchr(acl_warning(acl, i), '\n'))
			__builtin_trap();
	if (broken != (acl_nerrors(acl) > 0))
		__builtin_trap();

	check_decision(acl, "br0", &alice, broken);
	check_decision(acl, "br1", &carol, broken);
	check_decision(acl, NULL, &alice, broken);
	for (i = 0; acl_bridge(acl, i) && i < 4; i++)
		check_decision(acl, acl_bridge(acl, i), &alice, broken);
	acl_free(acl);
	return 0;
}
