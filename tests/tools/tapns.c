/* tapns.c - test tool, run as root: run a command in the network namespace of another process's TAP fd */

/*
 * Usage: tapns PID FD -- CMD [ARGS...]
 *
 * Takes a copy of fd FD of process PID (pidfd_getfd(2), which needs ptrace
 * access: root), asks it for its socket's network namespace (SIOCGSKNS,
 * which needs CAP_NET_ADMIN in that namespace's user namespace: root
 * again, never the fd's holder), enters it, and runs CMD there. So a test
 * can look inside a sealed port's namespace, which has no name and no
 * process in it. Exit status: CMD's, or 2 when a step fails (said on
 * stderr).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/sockios.h>

#include "parse.h"

static int fail(const char *what)
{
	fprintf(stderr, "tapns: %s: %s\n", what, strerror(errno));
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long pid, fd;
	int pidfd, tfd, ns;

	if (argc < 5 || strcmp(argv[3], "--") ||
	    parse_ulong(argv[1], 1, 1UL << 22, &pid) ||
	    parse_ulong(argv[2], 0, 1UL << 20, &fd)) {
		fputs("usage: tapns PID FD -- CMD [ARGS...]\n", stderr);
		return 2;
	}
	pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (pidfd < 0)
		return fail("pidfd_open");
	tfd = (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
	if (tfd < 0)
		return fail("pidfd_getfd");
	ns = ioctl(tfd, SIOCGSKNS);
	if (ns < 0)
		return fail("SIOCGSKNS");
	if (setns(ns, CLONE_NEWNET))
		return fail("setns");
	close(ns);
	close(tfd);
	close(pidfd);
	execvp(argv[4], argv + 4);
	return fail(argv[4]);
}
