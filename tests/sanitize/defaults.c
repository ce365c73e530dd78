/* defaults.c - sanitizer defaults linked into the programs and test tools of a SANITIZE=1 build only */

/*
 * The runtime asks for these before it reads ASAN_OPTIONS / UBSAN_OPTIONS,
 * which still override them. Never part of a normal build: the Makefile
 * links this file only when SANITIZE=1, and such a build must never be
 * installed setuid (see SECURITY.md).
 *
 * detect_leaks=0: LeakSanitizer stops the world at exit with ptrace, and
 *   for that makes the process dumpable again; it fails when the process
 *   is traced (strace in the privilege audit and the limit tests) or is
 *   short of fds (the RLIMIT_NOFILE tests), and its dumpable window is
 *   exactly what the ptrace attack tests look for. Unit tests do not link
 *   this file and keep leak checking; test_attack_leaks.sh turns it back
 *   on (ASAN_OPTIONS=detect_leaks=1) for every path of the helper.
 * handle_segv=0: a crash stays a death by SIGSEGV, which the tests detect
 *   as such (fakeqemu crashes on purpose).
 * exitcode=86: a sanitizer report never looks like the helper's exit 1.
 */
/* The runtimes' hook names: reserved identifiers, by necessity. */
const char *__asan_default_options(void);	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
const char *__ubsan_default_options(void);	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)

const char *__asan_default_options(void)	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
{
	return "detect_leaks=0:handle_segv=0:exitcode=86";
}

const char *__ubsan_default_options(void)	// NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
{
	return "print_stacktrace=1:halt_on_error=1:exitcode=86";
}
