/* getfd.c - test client: QEMU's side of the bridge-helper protocol */

/*
 * Usage: getfd [--sh] [--hold SECONDS] [--expect N] [--persist]
 *              [--owner UID] -- HELPER [ARGS...]
 *
 * Does what QEMU's net_bridge_run_helper() does: makes an AF_UNIX stream
 * socketpair, forks, closes every fd but stdio and its end of the pair in the
 * child, and runs the helper there; the parent receives the fd(s) from one
 * message and reaps the helper. Every "{fd}" in HELPER and ARGS is replaced
 * by the child's socket number, so a test writes the exact argv it means:
 *
 *   getfd -- H --use-vnet --fd={fd} --br=br0       QEMU, -netdev bridge
 *   getfd -- H --br=br0 --fd={fd}                  libvirt
 *   getfd --sh -- "H --br=br0" --use-vnet --fd={fd}
 *       QEMU, -netdev tap,helper="H --br=br0": HELPER and ARGS joined with
 *       single spaces and run as /bin/sh -c STRING, as QEMU does when the
 *       helper string holds a space
 *
 * The helper's stderr is the client's stderr, untouched (getfd itself never
 * writes there after parsing its options), so a test sees exactly what QEMU
 * or libvirt would relay. On stdout, one key=value per line:
 *
 *   pid=P          this process (the helper's caller, as QEMU would be)
 *   helper_pid=C   the child that ran the helper (or /bin/sh)
 *   exit=S | signal=N   how the helper ended
 *   fds=N          how many fds arrived (0 when none)
 *   tap=NAME       interface of the first fd (TUNGETIFF)
 *   tap_mode=tap|tun, no_pi=0|1, vnet_hdr=0|1, multi_queue=0|1
 *   same_tap=0|1   every fd is a queue of that one interface
 *   error=TEXT     what was wrong on the client's side, if anything
 *   end            the last line: everything above is complete
 *
 * Exit status: the helper's when it failed (128+N when killed by signal N);
 * 70 when the helper exited 0 but the fds were missing, not TAPs, or not
 * --expect N of them; 2 for a usage error; else 0.
 *
 * --persist and --owner UID do what any holder of a TAP fd may do without
 * privilege, on the first fd, before "end": TUNSETPERSIST (the TAP then
 * outlives every fd; reported persist=1) and TUNSETOWNER (owner=UID).
 *
 * --hold SECONDS keeps the fds open after "end" until SECONDS pass or
 * SIGTERM, SIGINT or SIGHUP arrives, so a test can inspect the live TAP.
 *
 * --do OPS (comma-separated) does, as the fd holder, before "end", on the
 * first fd, in order; each prints OP=ok or OP=ERRNONAME:
 *   skns          ioctl SIOCGSKNS (a handle on the socket's network
 *                 namespace; the handle is closed at once)
 *   devnetns      ioctl TUNGETDEVNETNS (the same for the device's)
 *   hwaddr=MAC    ioctl SIOCSIFHWADDR on the fd: the TAP's MAC
 *   persist       ioctl TUNSETPERSIST 1
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/if_arp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fdpass.h"
#include "fdtoken.h"
#include "parse.h"

#define EXIT_CLIENT 70	/* EX_SOFTWARE: the helper "succeeded" but... */

struct opts {
	int sh;			/* run through /bin/sh -c, as QEMU does */
	unsigned long hold;	/* seconds to keep the fds; 0: do not */
	unsigned long expect;	/* fds required; 0: any number */
	int persist;		/* TUNSETPERSIST on the first fd */
	long owner;		/* TUNSETOWNER to this uid; -1: do not */
	const char *ops;	/* --do */
	char **cmd;		/* HELPER [ARGS...] */
	int ncmd;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: getfd [--sh] [--hold SECONDS] [--expect N] [--persist] [--owner UID]\n"
		"             [--do OPS] -- HELPER [ARGS...]\n"
		"  every \"" FD_TOKEN "\" in HELPER and ARGS becomes the socket's fd number\n");
	exit(2);
}

static unsigned long number(const char *opt, const char *s, unsigned long max)
{
	unsigned long v;

	if (!s || parse_ulong(s, 0, max, &v) < 0) {
		fprintf(stderr, "getfd: %s needs a number from 0 to %lu\n",
			opt, max);
		exit(2);
	}
	return v;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->owner = -1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "--sh")) {
			o->sh = 1;
		} else if (!strcmp(argv[i], "--hold")) {
			o->hold = number("--hold", argv[++i], 86400);
		} else if (!strcmp(argv[i], "--persist")) {
			o->persist = 1;
		} else if (!strcmp(argv[i], "--owner")) {
			o->owner = (long)number("--owner", argv[++i], 0xfffffffeUL);
		} else if (!strcmp(argv[i], "--do") && i + 1 < argc) {
			o->ops = argv[++i];
		} else if (!strcmp(argv[i], "--expect")) {
			o->expect = number("--expect", argv[++i], QUEUES_MAX);
		} else {
			usage();
		}
	}
	if (i >= argc)
		usage();
	o->cmd = argv + i;
	o->ncmd = argc - i;
}

/* subst_fd() (tests/tools/common/fdtoken.c), or exit 2 out of memory. */
static char *subst_fd_or_exit(const char *s, int fd)
{
	char *out = subst_fd(s, fd);

	if (!out) {
		perror("getfd: malloc");
		exit(2);
	}
	return out;
}

/**
 * build_argv() - the argv the child executes, with the socket number in
 * @o:		options (command and --sh)
 * @fd:		the child's end of the socketpair
 *
 * Return: a NULL-terminated argv; for --sh, { "sh", "-c", STRING }, STRING
 * being the words joined with single spaces and no quoting, as QEMU builds
 * its helper command.
 */
static char **build_argv(const struct opts *o, int fd)
{
	char **av = calloc((size_t)o->ncmd + 4, sizeof(*av));
	size_t len = 1;
	char *line;
	int i;

	if (!av) {
		perror("getfd: calloc");
		exit(2);
	}
	if (!o->sh) {
		for (i = 0; i < o->ncmd; i++)
			av[i] = subst_fd_or_exit(o->cmd[i], fd);
		return av;
	}
	for (i = 0; i < o->ncmd; i++)
		len += strlen(o->cmd[i]) + 1;
	line = calloc(1, len);
	if (!line) {
		perror("getfd: calloc");
		exit(2);
	}
	for (i = 0; i < o->ncmd; i++) {
		/* line was sized for all the words and spaces above. */
		if (i)
			strcat(line, " ");	// NOLINT(clang-analyzer-security.insecureAPI.strcpy)
		strcat(line, o->cmd[i]);	// NOLINT(clang-analyzer-security.insecureAPI.strcpy)
	}
	av[0] = subst_fd_or_exit("sh", fd);
	av[1] = subst_fd_or_exit("-c", fd);
	av[2] = subst_fd_or_exit(line, fd);
	return av;
}

/*
 * The child, as QEMU's: nothing inherited but stdio and the socket (QEMU
 * closes everything else before exec), default signal dispositions.
 */
static void run_child(const struct opts *o, int sock)
{
	char **av = build_argv(o, sock);
	const char *path = o->sh ? "/bin/sh" : av[0];

	if (sock > 3)
		close_range(3, (unsigned int)sock - 1, 0);
	close_range((unsigned int)sock + 1, ~0U, 0);
	execv(path, av);
	fprintf(stderr, "getfd: cannot execute %s: %s\n", path,
		strerror(errno));
	_exit(127);
}

/* The device's tun_flags from /sys/class/net/NAME/tun_flags, or 0. */
static unsigned long sysfs_tun_flags(const char *name)
{
	char path[64];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%.*s/tun_flags",
		 IFNAMSIZ, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	/* Kernel-written sysfs text; a failed conversion reads as 0. */
	if (fscanf(f, "%lx", &v) != 1)	// NOLINT(cert-err34-c)
		v = 0;
	fclose(f);
	return v;
}

/**
 * describe_fds() - print what the received fds are
 * @fds:	received descriptors
 * @n:		how many (at least 1)
 *
 * Return: NULL when every fd is a queue of one TAP/TUN interface, else what
 * is wrong.
 */
static const char *describe_fds(const int *fds, size_t n)
{
	struct ifreq first, ifr;
	int same = 1;
	size_t i;

	memset(&first, 0, sizeof(first));
	if (ioctl(fds[0], TUNGETIFF, &first) < 0)
		return "the first fd is not a TUN/TAP fd (TUNGETIFF failed)";
	printf("tap=%.*s\n", IFNAMSIZ, first.ifr_name);
	printf("tap_mode=%s\n", (first.ifr_flags & IFF_TAP) ? "tap" : "tun");
	/*
	 * Not from TUNGETIFF: it reports the fd's IFF_NOFILTER in the same
	 * bit as IFF_NO_PI (0x1000), set whenever no filter is attached. The
	 * device's own flags are in sysfs.
	 */
	printf("no_pi=%d\n", !!(sysfs_tun_flags(first.ifr_name) & IFF_NO_PI));
	printf("vnet_hdr=%d\n", !!(first.ifr_flags & IFF_VNET_HDR));
	printf("multi_queue=%d\n", !!(first.ifr_flags & IFF_MULTI_QUEUE));
	for (i = 1; i < n; i++) {
		memset(&ifr, 0, sizeof(ifr));
		if (ioctl(fds[i], TUNGETIFF, &ifr) < 0 ||
		    strncmp(ifr.ifr_name, first.ifr_name, IFNAMSIZ))
			same = 0;
	}
	printf("same_tap=%d\n", same);
	return same ? NULL : "the fds are not all queues of one interface";
}

static void report(const char *op, int rc)
{
	printf("%s=%s\n", op, rc < 0 ? strerrorname_np(errno) : "ok");
}

/* --do: what an fd holder may try, each reported. */
static void do_ops(int fd, const char *ops)
{
	char *copy = strdup(ops), *save = NULL, *op;	// NOLINT: freed below

	if (!copy)
		return;
	for (op = strtok_r(copy, ",", &save); op; op = strtok_r(NULL, ",", &save)) {
		struct ifreq ifr;
		unsigned int m[6];
		int r, i, one = 1;

		if (!strcmp(op, "skns")) {
			r = ioctl(fd, SIOCGSKNS);
			report(op, r);
			if (r >= 0)
				close(r);
		} else if (!strcmp(op, "devnetns")) {
			r = ioctl(fd, TUNGETDEVNETNS);
			report(op, r);
			if (r >= 0)
				close(r);
		} else if (!strncmp(op, "hwaddr=", 7) &&
			   sscanf(op + 7, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], // NOLINT(cert-err34-c)
				  &m[3], &m[4], &m[5]) == 6) {
			memset(&ifr, 0, sizeof(ifr));
			ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
			for (i = 0; i < 6; i++)
				ifr.ifr_hwaddr.sa_data[i] = (char)m[i];
			report("hwaddr", ioctl(fd, SIOCSIFHWADDR, &ifr));
		} else if (!strcmp(op, "persist")) {
			report(op, ioctl(fd, TUNSETPERSIST, one));
		} else {
			printf("%s=unknown\n", op);
		}
	}
	free(copy);
}

/* Keep the fds until @seconds pass or a terminating signal arrives. */
static void hold(unsigned long seconds)
{
	struct timespec ts = { .tv_sec = (time_t)seconds };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	while (sigtimedwait(&set, NULL, &ts) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	int fds[QUEUES_MAX];
	const char *problem = NULL;
	struct opts o;
	size_t n = 0, i;
	sigset_t set;
	int sv[2], status, r, rc;
	pid_t pid;

	parse_opts(argc, argv, &o);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* Blocked here so that --hold can wait for them; unblocked in the
	 * child before exec. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		perror("getfd: socketpair");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("getfd: fork");
		return 2;
	}
	if (pid == 0) {
		close(sv[0]);
		run_child(&o, sv[1]);
	}
	sigprocmask(SIG_BLOCK, &set, NULL);
	close(sv[1]);
	printf("pid=%d\nhelper_pid=%d\n", (int)getpid(), (int)pid);

	r = fd_recv(sv[0], fds, QUEUES_MAX, &n);
	close(sv[0]);
	if (r < 0)
		n = 0;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("getfd: waitpid");
			return 2;
		}
	}

	if (WIFSIGNALED(status)) {
		printf("signal=%d\n", WTERMSIG(status));
		rc = 128 + WTERMSIG(status);
	} else {
		printf("exit=%d\n", WEXITSTATUS(status));
		rc = WEXITSTATUS(status);
	}
	printf("fds=%zu\n", n);
	if (n > 0)
		problem = describe_fds(fds, n);
	if (rc == 0 && !problem) {
		if (r < 0)
			problem = r == -EPIPE ?
				"the helper exited 0 without sending an fd" :
				"the helper's message was malformed";
		else if (o.expect && n != o.expect)
			problem = "unexpected number of fds";
	}
	if (rc == 0 && !problem && n > 0 && o.owner >= 0) {
		if (ioctl(fds[0], TUNSETOWNER, (unsigned long)o.owner) < 0)
			problem = "TUNSETOWNER failed";
		else
			printf("owner=%ld\n", o.owner);
	}
	if (rc == 0 && !problem && n > 0 && o.persist) {
		if (ioctl(fds[0], TUNSETPERSIST, 1UL) < 0)
			problem = "TUNSETPERSIST failed";
		else
			printf("persist=1\n");
	}
	if (n > 0 && o.ops)
		do_ops(fds[0], o.ops);
	if (problem) {
		printf("error=%s\n", problem);
		if (rc == 0)
			rc = EXIT_CLIENT;
	}
	printf("end\n");
	fflush(stdout);

	if (rc == 0 && o.hold)
		hold(o.hold);
	for (i = 0; i < n; i++)
		close(fds[i]);
	return rc;
}
