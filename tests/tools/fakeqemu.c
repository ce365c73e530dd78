/* fakeqemu.c - test stand-in for QEMU: reports its argv and inherited fds, then exits, crashes, sleeps or leaks a TAP */

/*
 * Usage: fakeqemu [ARGS...]      (ARGS are reported, never interpreted)
 *
 * What it reports, one key=value per line, to $FAKEQEMU_REPORT (a file,
 * created or truncated, mode 0644) or else to stdout:
 *
 *   pid=P  ppid=P
 *   argc=N
 *   argv0=... argv1=... ...        each argument as given
 *   fds=3 4                        every open fd above 2, in order (none:
 *                                  empty); nothing of fakeqemu's own
 *   fdN=tap NAME flags=0xF vnet_hdr=0|1 multi_queue=0|1
 *                                  a TAP (TUNGETIFF) with its name and flags
 *   fdN=other TARGET               anything else, by its /proc/self/fd link
 *   pdeathsig=N                    PR_GET_PDEATHSIG: the signal this process
 *                                  gets when its parent dies (0: none)
 *   sigblocked=0|1                 whether any signal is blocked
 *   leaker=P                       (FAKEQEMU_LEAK) the grandchild's pid
 *   ready                          the last line: the report is complete
 *   signal=N                       (FAKEQEMU_SLEEP) appended when signal N
 *                                  arrives
 *
 * What it then does, from the environment:
 *
 *   FAKEQEMU_LEAK=1     fork a grandchild that keeps every inherited TAP fd,
 *                       starts its own session, and outlives this process
 *                       (until killed, or FAKEQEMU_LEAK_SECONDS, default
 *                       300, as a bound)
 *   FAKEQEMU_SLEEP=1    wait for SIGTERM, SIGHUP or SIGINT; report it, then
 *                       die of it (so the caller sees 128+N)
 *   FAKEQEMU_PERSIST=1  before reporting "ready", do what any holder of a
 *                       TAP fd may do without privilege, to every TAP:
 *                       TUNSETPERSIST, TUNSETOWNER to FAKEQEMU_OWNER (a
 *                       uid, if set) and SIOCSIFHWADDR to 02:00:00:00:00:01
 *                       (reported persisted=NAME)
 *   FAKEQEMU_CRASH=1    raise(SIGSEGV)
 *   FAKEQEMU_EXIT=N     exit with status N (default 0)
 *
 * And one more role, for the launcher's checks of what a helper sends:
 *
 *   FAKEQEMU_HELPER=pipe   behave as a helper that misbehaves: take the
 *                       socket from an argument --fd=N, send one pipe fd
 *                       over it the way a helper sends a TAP, exit 0
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_tun.h>

#include "fdpass.h"
#include "parse.h"

#define MAX_FDS 1024

static int report_fd = STDOUT_FILENO;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	char line[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(report_fd, line, (size_t)n) < 0)
		_exit(99);
}

/* Every open fd above 2, before fakeqemu opens anything of its own. */
static size_t list_fds(int *fds, size_t max)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t n = 0;

	if (!d) {
		perror("fakeqemu: /proc/self/fd");
		exit(98);
	}
	while ((e = readdir(d)) && n < max) {
		unsigned long fd;

		if (parse_ulong(e->d_name, 3, INT_MAX, &fd) < 0 ||
		    (int)fd == dirfd(d))
			continue;
		fds[n++] = (int)fd;
	}
	closedir(d);
	/* readdir order is not promised: sort (few entries). */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int t = fds[j];

			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	return n;
}

static void report_fd_kind(int fd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) == 0) {
		unsigned flags = (unsigned short)ifr.ifr_flags;

		ifr.ifr_name[IFNAMSIZ - 1] = '\0';
		say("fd%d=tap %s flags=0x%x vnet_hdr=%d multi_queue=%d", fd,
		    ifr.ifr_name, flags, !!(flags & IFF_VNET_HDR),
		    !!(flags & IFF_MULTI_QUEUE));
	} else {
		char path[64], target[PATH_MAX];
		ssize_t k;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		k = readlink(path, target, sizeof(target) - 1);
		target[k < 0 ? 0 : k] = '\0';
		say("fd%d=other %s", fd, target);
	}
}

/* Async-signal-safe: only write(2), signal(2) and raise(3). */
static void on_signal(int sig)
{
	char line[16] = "signal=";
	size_t n = 7;

	if (sig >= 10)
		line[n++] = (char)('0' + sig / 10);
	line[n++] = (char)('0' + sig % 10);
	line[n++] = '\n';
	if (write(report_fd, line, n) < 0) {
		/* Nothing else to do: dying of @sig is the report too. */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The grandchild: holds the TAP fds, nothing else, in its own session. */
static void leak(const int *fds, size_t n)
{
	unsigned long secs = 300;
	const char *s = getenv("FAKEQEMU_LEAK_SECONDS");
	pid_t pid;
	int null;

	if (s && parse_ulong(s, 1, 86400, &secs) < 0) {
		fprintf(stderr, "fakeqemu: bad FAKEQEMU_LEAK_SECONDS\n");
		exit(97);
	}
	pid = fork();
	if (pid < 0) {
		perror("fakeqemu: fork");
		exit(97);
	}
	if (pid > 0) {
		say("leaker=%d", (int)pid);
		return;
	}
	setsid();
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	for (size_t i = 0; i < n; i++) {
		struct ifreq ifr;

		if (ioctl(fds[i], TUNGETIFF, &ifr) < 0)
			close(fds[i]);
	}
	if (report_fd > 2)
		close(report_fd);
	if (null > 2)
		close(null);
	alarm((unsigned)secs);
	for (;;)
		pause();
}

/* FAKEQEMU_PERSIST=1: persist each TAP, give it away, change its MAC. */
static void persist(const int *fds, size_t n)
{
	const char *owner_s = getenv("FAKEQEMU_OWNER");
	unsigned long owner = 0;

	if (owner_s && parse_ulong(owner_s, 0, 0xfffffffeUL, &owner) < 0) {
		fprintf(stderr, "fakeqemu: bad FAKEQEMU_OWNER\n");
		exit(97);
	}
	for (size_t i = 0; i < n; i++) {
		static const unsigned char mac[6] = { 2, 0, 0, 0, 0, 1 };
		struct ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		if (ioctl(fds[i], TUNGETIFF, &ifr) < 0)
			continue;
		if (ioctl(fds[i], TUNSETPERSIST, 1UL) < 0 ||
		    (owner_s && ioctl(fds[i], TUNSETOWNER, owner) < 0)) {
			perror("fakeqemu: TUNSETPERSIST/TUNSETOWNER");
			exit(97);
		}
		ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
		memcpy(ifr.ifr_hwaddr.sa_data, mac, sizeof(mac));
		if (ioctl(fds[i], SIOCSIFHWADDR, &ifr) < 0) {
			perror("fakeqemu: SIOCSIFHWADDR");
			exit(97);
		}
		say("persisted=%s", ifr.ifr_name);
	}
}

/* FAKEQEMU_HELPER=pipe: a helper that sends something other than a TAP. */
static int bad_helper(int argc, char **argv)
{
	unsigned long sock = 0;
	int p[2], i, r;

	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], "--fd=", 5) &&
		    parse_ulong(argv[i] + 5, 0, INT_MAX, &sock) < 0)
			return 95;
	if (!sock || pipe(p) < 0)
		return 95;
	r = fd_send((int)sock, p, 1);
	return r < 0 ? 95 : 0;
}

int main(int argc, char **argv)
{
	int fds[MAX_FDS], pdeath = -1;
	const char *path = getenv("FAKEQEMU_REPORT");
	const char *exit_s = getenv("FAKEQEMU_EXIT");
	unsigned long status = 0;
	sigset_t blocked;
	size_t n, i;
	char list[8192] = "";
	size_t used = 0;

	if (getenv("FAKEQEMU_HELPER"))
		return bad_helper(argc, argv);
	n = list_fds(fds, MAX_FDS);
	if (path) {
		report_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
				 0644);
		if (report_fd < 0) {
			perror(path);
			return 96;
		}
	}
	if (exit_s && parse_ulong(exit_s, 0, 255, &status) < 0) {
		fprintf(stderr, "fakeqemu: bad FAKEQEMU_EXIT '%s'\n", exit_s);
		return 96;
	}

	say("pid=%d", (int)getpid());
	say("ppid=%d", (int)getppid());
	say("argc=%d", argc);
	for (i = 0; i < (size_t)argc; i++)
		say("argv%zu=%s", i, argv[i]);
	for (i = 0; i < n && used < sizeof(list) - 16; i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
					 "%s%d", i ? " " : "", fds[i]);
	say("fds=%s", list);
	for (i = 0; i < n; i++)
		report_fd_kind(fds[i]);
	prctl(PR_GET_PDEATHSIG, &pdeath);
	say("pdeathsig=%d", pdeath);
	sigprocmask(SIG_SETMASK, NULL, &blocked);
	say("sigblocked=%d", !sigisemptyset(&blocked));

	if (getenv("FAKEQEMU_PERSIST"))
		persist(fds, n);
	if (getenv("FAKEQEMU_LEAK"))
		leak(fds, n);
	if (getenv("FAKEQEMU_SLEEP")) {
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
		signal(SIGINT, on_signal);
	}
	say("ready");
	if (getenv("FAKEQEMU_SLEEP"))
		for (;;)
			pause();
	if (getenv("FAKEQEMU_CRASH")) {
		/* No core file: the crash is the point, not its contents. */
		struct rlimit none = { 0, 0 };

		setrlimit(RLIMIT_CORE, &none);
		raise(SIGSEGV);
	}
	return (int)status;
}
