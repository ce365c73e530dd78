/* hostile.c - test tool: a hostile caller of the helper (blocks, stops, kills, ptraces it) */

/*
 * Usage:
 *   hostile block [--ptrace] [--nonblock] [--hangup] -- HELPER [ARGS...]
 *   hostile kill  RUNS MAXUSEC [SEED] -- HELPER [ARGS...]
 *   hostile stop  RUNS MAXUSEC [SEED] -- HELPER [ARGS...]
 *   hostile cycle RUNS -- HELPER [ARGS...]
 *
 * Each run is what QEMU does (see getfd.c): an AF_UNIX stream socketpair,
 * a child that keeps only stdio and its end and executes HELPER with every
 * "{fd}" in the arguments replaced by that end's number, then one message
 * with the fd(s). The child reports a failed exec over a close-on-exec
 * pipe, so the parent knows when HELPER itself runs. On stdout, key=value
 * lines; the last is "end".
 *
 * block: before the helper starts, fill its end's send buffer (write to it
 * until EAGAIN), so that the helper's final sendmsg(2), which happens after
 * it dropped every privilege, blocks. Prints helper_pid= and "ready", then
 * waits for SIGUSR1 (at most 60 s): meanwhile root can look at
 * /proc/PID/status and /proc/PID/fd of a helper that holds the configured
 * TAP. On SIGUSR1: with --ptrace, first attack the blocked helper (below);
 * then read the filler, receive the fds, reap the helper and print fds=,
 * tap=, exit= or signal=. With --ptrace, hostile SIGSTOPs the helper,
 * attacks it, and SIGCONTs it. --nonblock leaves the helper's end O_NONBLOCK, so
 * its sendmsg fails with EAGAIN instead of blocking. --hangup closes our
 * end before the helper starts (no filling, no waiting for SIGUSR1): the
 * caller has hung up by the time the TAP would be sent.
 *
 * The attacks (--ptrace, and stop): as the caller, which is the helper's
 * parent (so Yama's ptrace_scope=1 would allow it), try to
 *   attack_attach   ptrace(PTRACE_ATTACH)
 *   attack_seize    ptrace(PTRACE_SEIZE)
 *   attack_mem      open and read /proc/PID/mem
 *   attack_vm       process_vm_readv() of the helper's stack
 *   attack_fd       open /proc/PID/fd/N for N = 0..15 (steal the TAP)
 *   attack_getfd    pidfd_getfd() of fds 0..15
 * and print each as "ok" (the attack worked: a security failure) or the
 * errno name. Run against a process that is not privileged (e.g.
 * /bin/sleep) every attack must print ok, which shows the attacks work.
 *
 * kill: RUNS times, SIGKILL the helper MAXUSEC * rand() microseconds after
 * it starts; receive and close whatever fds it sent. Prints runs=,
 * killed= (died of the SIGKILL), exited0=, exited1=, other= (any other
 * ending: a defect), fds_received=, seed=.
 *
 * stop: RUNS times, SIGSTOP the helper after a random delay; when it did
 * stop, read its /proc/PID/status (world-readable) to see which privilege
 * stage it is in (stage_root: euid 0; stage_caps: some capability
 * effective; stage_none: neither), run the attacks, then SIGCONT it and
 * let it finish. Prints stopped=, stage_root=, stage_caps=, stage_none=,
 * attacks_ok= (attacks that worked: must be 0), finished_ok= (runs whose
 * helper then exited 0 and sent a TAP), other=, seed=.
 *
 * cycle: RUNS create/destroy cycles: receive the TAP, check it is one
 * (TUNGETIFF), close it, reap the helper with wait4(). Prints ok=,
 * failed=, first_error=, rss_first_kb= (largest max RSS of the first tenth
 * of the runs), rss_last_kb= (of the last tenth), rss_max_kb=,
 * own_fds_before=, own_fds_after= (this process's open fds).
 *
 * Exit status: 0 when it could do what was asked (the verdicts are the
 * test's), 2 on usage errors or when a socket or fork fails.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fdpass.h"
#include "fdtoken.h"
#include "parse.h"


static char **cmd;	/* HELPER [ARGS...] */
static int ncmd;

static void fail_exit(const char *what)
{
	fprintf(stderr, "hostile: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void usage(void)
{
	fputs("usage: hostile block [--ptrace] [--nonblock] [--hangup] -- HELPER [ARGS...]\n"
	      "       hostile kill|stop RUNS MAXUSEC [SEED] -- HELPER [ARGS...]\n"
	      "       hostile cycle RUNS -- HELPER [ARGS...]\n", stderr);
	exit(2);
}

static unsigned long number(const char *s, unsigned long max)
{
	unsigned long v;

	if (!s || parse_ulong(s, 0, max, &v))
		usage();
	return v;
}

/**
 * spawn() - fork and execute the helper on @sock, as QEMU does
 * @sock:	the helper's end of the socketpair
 * @other:	our end, closed in the child
 *
 * Return: the child's pid, once the helper runs (its exec succeeded);
 * exits when the exec failed.
 */
static pid_t spawn(int sock, int other)
{
	int sync[2], err = 0, i;
	char **av;
	pid_t pid;

	if (pipe2(sync, O_CLOEXEC) < 0)
		fail_exit("pipe");
	pid = fork();
	if (pid < 0)
		fail_exit("fork");
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(other);
		close(sync[0]);
		av = calloc((size_t)ncmd + 1, sizeof(*av));
		if (!av)
			_exit(127);
		for (i = 0; i < ncmd; i++)
			if (!(av[i] = subst_fd(cmd[i], sock)))
				_exit(127);
		/* Only stdio, the socket and the sync pipe cross exec. */
		for (i = 3; i < 1024; i++)
			if (i != sock && i != sync[1])
				close(i);
		execv(av[0], av);
		err = errno;
		if (write(sync[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	close(sync[1]);
	if (read(sync[0], &err, sizeof(err)) == (ssize_t)sizeof(err)) {
		errno = err;
		fail_exit("cannot execute the helper");
	}
	close(sync[0]);
	return pid;
}

static void new_pair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		fail_exit("socketpair");
	/* The child's end must survive exec. */
	if (fcntl(sv[1], F_SETFD, 0) < 0)
		fail_exit("fcntl");
}

static const char *errname(int err)
{
	switch (err) {
	case 0: return "ok";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ESRCH: return "ESRCH";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case ENOSYS: return "ENOSYS";
	default: return strerror(err);
	}
}

/* Undo a successful attach (wait for its stop first), so the run can go on. */
static void detach(pid_t pid)
{
	int st;

	waitpid(pid, &st, __WALL);
	ptrace(PTRACE_DETACH, pid, 0, 0);
}

/**
 * attack() - try to reach into the helper @pid; print each attempt
 *
 * Return: how many attacks worked.
 */
static int attack(pid_t pid)
{
	char path[64], buf[64];
	int ok = 0, err, fd, pidfd, n;
	struct iovec local = { buf, sizeof(buf) }, remote;
	long addr;

	err = ptrace(PTRACE_ATTACH, pid, 0, 0) ? errno : 0;
	printf("attack_attach=%s\n", errname(err));
	if (!err) {
		ok++;
		detach(pid);
	}
	err = ptrace(PTRACE_SEIZE, pid, 0, 0) ? errno : 0;
	printf("attack_seize=%s\n", errname(err));
	if (!err) {
		ok++;
		/* PTRACE_DETACH needs a ptrace-stop. */
		ptrace(PTRACE_INTERRUPT, pid, 0, 0);
		detach(pid);
	}

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY);
	err = fd < 0 ? errno : 0;
	if (fd >= 0) {
		/* Reading is what matters; the address is any mapped one:
		 * the helper's stack, near where ours is (same layout). */
		addr = (long)&local & ~4095L;
		if (pread(fd, buf, 1, addr) < 0 && errno != EIO)
			err = errno;
		close(fd);
	}
	printf("attack_mem=%s\n", errname(err));
	ok += !err;

	remote.iov_base = (void *)((long)&remote & ~4095L);
	remote.iov_len = 1;
	local.iov_len = 1;
	err = process_vm_readv(pid, &local, 1, &remote, 1, 0) < 0 ? errno : 0;
	/* EFAULT means access was granted but the address is not mapped. */
	if (err == EFAULT)
		err = 0;
	printf("attack_vm=%s\n", errname(err));
	ok += !err;

	err = ENOENT;
	for (n = 0; n < 16; n++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, n);
		fd = open(path, O_RDONLY | O_NONBLOCK);
		if (fd >= 0) {
			close(fd);
			err = 0;
			break;
		}
		if (errno != ENOENT && errno != ENXIO)
			err = errno;
	}
	printf("attack_fd=%s\n", errname(err));
	ok += !err;

	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		err = errno;
	} else {
		err = EBADF;
		for (n = 0; n < 16; n++) {
			fd = (int)syscall(SYS_pidfd_getfd, pidfd, n, 0);
			if (fd >= 0) {
				close(fd);
				err = 0;
				break;
			}
			if (errno != EBADF)
				err = errno;
		}
		close(pidfd);
	}
	printf("attack_getfd=%s\n", errname(err));
	ok += !err;
	return ok;
}

/* Receive the helper's fds (if any), close them; return how many. */
static size_t take_fds(int sock, char *tap)
{
	int fds[QUEUES_MAX];
	struct ifreq ifr;
	size_t n = 0, i;

	if (tap)
		tap[0] = '\0';
	if (fd_recv(sock, fds, QUEUES_MAX, &n) < 0)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	if (tap && ioctl(fds[0], TUNGETIFF, &ifr) == 0)
		snprintf(tap, IFNAMSIZ, "%s", ifr.ifr_name);
	for (i = 0; i < n; i++)
		close(fds[i]);
	return n;
}

static void print_end(int status)
{
	if (WIFSIGNALED(status))
		printf("signal=%d\n", WTERMSIG(status));
	else
		printf("exit=%d\n", WEXITSTATUS(status));
}

static int cmd_block(int do_ptrace, int nonblock, int hangup)
{
	char chunk[4096], tap[IFNAMSIZ];
	struct timespec limit = { .tv_sec = 60 };
	size_t filled = 0, n;
	ssize_t r;
	sigset_t set;
	int sv[2], status, fl;
	pid_t pid;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	new_pair(sv);
	if (hangup) {
		/* Before the helper starts, so that it cannot win a race:
		 * its end still has a peer to getpeername(2), a dead one. */
		close(sv[0]);
		pid = spawn(sv[1], -1);
		close(sv[1]);
		printf("helper_pid=%d\n", (int)pid);
		if (waitpid(pid, &status, 0) < 0)
			fail_exit("waitpid");
		print_end(status);
		printf("end\n");
		return 0;
	}
	/* Fill what the helper's end may have in flight: its sendmsg then
	 * waits for us to read. The flag is on the open file, which the
	 * helper shares, so it is cleared again unless --nonblock. */
	memset(chunk, 'x', sizeof(chunk));
	fl = fcntl(sv[1], F_GETFL);
	if (fl < 0 || fcntl(sv[1], F_SETFL, fl | O_NONBLOCK) < 0)
		fail_exit("fcntl");
	for (n = sizeof(chunk); n; n /= 2)
		while ((r = write(sv[1], chunk, n)) > 0)
			filled += (size_t)r;
	if (errno != EAGAIN)
		fail_exit("filling the socket");
	if (!nonblock && fcntl(sv[1], F_SETFL, fl) < 0)
		fail_exit("fcntl");

	pid = spawn(sv[1], sv[0]);
	close(sv[1]);
	printf("filled=%zu\nhelper_pid=%d\nready\n", filled, (int)pid);
	fflush(stdout);

	if (sigtimedwait(&set, NULL, &limit) < 0)
		printf("error=no SIGUSR1 within 60 s\n");
	if (do_ptrace) {
		/* Stopped first, as a debugger would have it. */
		kill(pid, SIGSTOP);
		if (waitpid(pid, &status, WUNTRACED) < 0 || !WIFSTOPPED(status))
			printf("error=the helper did not stop\n");
		printf("attacks_ok=%d\n", attack(pid));
		kill(pid, SIGCONT);
	}

	while (filled) {
		r = read(sv[0], chunk, filled < sizeof(chunk) ? filled :
			 sizeof(chunk));
		if (r <= 0)
			break;
		filled -= (size_t)r;
	}
	printf("fds=%zu\n", take_fds(sv[0], tap));
	if (tap[0])
		printf("tap=%s\n", tap);
	close(sv[0]);
	if (waitpid(pid, &status, 0) < 0)
		fail_exit("waitpid");
	print_end(status);
	printf("end\n");
	return 0;
}

static unsigned long pick(unsigned *seed, unsigned long max)
{
	return max ? (unsigned long)rand_r(seed) % (max + 1) : 0;
}

static void sleep_us(unsigned long us)
{
	struct timespec ts = { .tv_sec = (time_t)(us / 1000000),
			       .tv_nsec = (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int cmd_kill(unsigned long runs, unsigned long maxus, unsigned seed)
{
	unsigned long i, killed = 0, ok = 0, refused = 0, other = 0, fds = 0;
	unsigned s = seed;
	int sv[2], status;
	pid_t pid;

	for (i = 0; i < runs; i++) {
		new_pair(sv);
		pid = spawn(sv[1], sv[0]);
		close(sv[1]);
		sleep_us(pick(&s, maxus));
		kill(pid, SIGKILL);
		fds += take_fds(sv[0], NULL);
		close(sv[0]);
		if (waitpid(pid, &status, 0) < 0)
			fail_exit("waitpid");
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			killed++;
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			ok++;
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
			refused++;
		else
			other++;
	}
	printf("runs=%lu\nkilled=%lu\nexited0=%lu\nexited1=%lu\nother=%lu\n"
	       "fds_received=%lu\nseed=%u\nend\n", runs, killed, ok, refused,
	       other, fds, seed);
	return 0;
}

/* Which privilege stage a stopped helper is in, from its status file. */
static const char *stage_of(pid_t pid)
{
	char path[64], line[256], *p;
	unsigned long long capeff = 0;
	unsigned long euid = 1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return "unknown";
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Uid:", 4)) {
			/* "Uid: real effective saved fs" */
			strtoul(line + 4, &p, 10);
			euid = strtoul(p, NULL, 10);
		} else if (!strncmp(line, "CapEff:", 7)) {
			capeff = strtoull(line + 7, NULL, 16);
		}
	}
	fclose(f);
	if (euid == 0)
		return "root";
	return capeff ? "caps" : "none";
}

static int cmd_stop(unsigned long runs, unsigned long maxus, unsigned seed)
{
	unsigned long i, stopped = 0, root = 0, caps = 0, none = 0, bad = 0,
		      finished = 0, other = 0;
	unsigned s = seed;
	int sv[2], status;
	const char *stage;
	pid_t pid;

	for (i = 0; i < runs; i++) {
		new_pair(sv);
		pid = spawn(sv[1], sv[0]);
		close(sv[1]);
		sleep_us(pick(&s, maxus));
		kill(pid, SIGSTOP);
		if (waitpid(pid, &status, WUNTRACED) < 0)
			fail_exit("waitpid");
		if (WIFSTOPPED(status)) {
			stopped++;
			stage = stage_of(pid);
			root += !strcmp(stage, "root");
			caps += !strcmp(stage, "caps");
			none += !strcmp(stage, "none");
			/* Attack output only when something worked. */
			fflush(stdout);
			{
				int saved = dup(1), nul = open("/dev/null", O_WRONLY);
				int worked;

				dup2(nul, 1);
				worked = attack(pid);
				fflush(stdout);
				dup2(saved, 1);
				close(saved);
				close(nul);
				if (worked) {
					printf("attack_worked_in_stage=%s\n", stage);
					attack(pid);
				}
				bad += (unsigned long)worked;
			}
			kill(pid, SIGCONT);
			if (waitpid(pid, &status, 0) < 0)
				fail_exit("waitpid");
		}
		if (take_fds(sv[0], NULL) > 0 && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0)
			finished++;
		else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			other++;
		close(sv[0]);
	}
	printf("runs=%lu\nstopped=%lu\nstage_root=%lu\nstage_caps=%lu\n"
	       "stage_none=%lu\nattacks_ok=%lu\nfinished_ok=%lu\nother=%lu\n"
	       "seed=%u\nend\n", runs, stopped, root, caps, none, bad,
	       finished, other, seed);
	return 0;
}

static int count_own_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the DIR's own fd */
}

static int cmd_cycle(unsigned long runs)
{
	unsigned long i, ok = 0, failed = 0;
	long rss_first = 0, rss_last = 0, rss_max = 0;
	unsigned long tenth = runs / 10 ? runs / 10 : 1;
	int fds_before = count_own_fds(), sv[2], status;
	char tap[IFNAMSIZ], first_error[128] = "";
	struct rusage ru;
	size_t n;
	pid_t pid;

	for (i = 0; i < runs; i++) {
		new_pair(sv);
		pid = spawn(sv[1], sv[0]);
		close(sv[1]);
		n = take_fds(sv[0], tap);
		close(sv[0]);
		if (wait4(pid, &status, 0, &ru) < 0)
			fail_exit("wait4");
		if (n && tap[0] && WIFEXITED(status) && !WEXITSTATUS(status)) {
			ok++;
		} else {
			if (!failed++)
				snprintf(first_error, sizeof(first_error),
					 "run %lu: fds=%zu status=0x%x", i, n,
					 (unsigned)status);
		}
		if (i < tenth && ru.ru_maxrss > rss_first)
			rss_first = ru.ru_maxrss;
		if (i >= runs - tenth && ru.ru_maxrss > rss_last)
			rss_last = ru.ru_maxrss;
		if (ru.ru_maxrss > rss_max)
			rss_max = ru.ru_maxrss;
	}
	printf("ok=%lu\nfailed=%lu\n", ok, failed);
	if (failed)
		printf("first_error=%s\n", first_error);
	printf("rss_first_kb=%ld\nrss_last_kb=%ld\nrss_max_kb=%ld\n"
	       "own_fds_before=%d\nown_fds_after=%d\nend\n", rss_first,
	       rss_last, rss_max, fds_before, count_own_fds());
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long runs = 0, maxus = 0;
	int i, do_ptrace = 0, nonblock = 0, hangup = 0;
	unsigned seed;
	const char *what;

	if (argc < 2)
		usage();
	what = argv[1];
	seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--ptrace"))
			do_ptrace = 1;
		else if (!strcmp(argv[i], "--nonblock"))
			nonblock = 1;
		else if (!strcmp(argv[i], "--hangup"))
			hangup = 1;
		else if (!runs && strcmp(what, "block"))
			runs = number(argv[i], 10000000);
		else if (!maxus && (!strcmp(what, "kill") || !strcmp(what, "stop")))
			maxus = number(argv[i], 10000000);
		else if (!strcmp(what, "kill") || !strcmp(what, "stop"))
			seed = (unsigned)number(argv[i], ~0U);
		else
			usage();
	}
	if (i + 1 >= argc)
		usage();
	cmd = argv + i + 1;
	ncmd = argc - i - 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);

	if (!strcmp(what, "block"))
		return cmd_block(do_ptrace, nonblock, hangup);
	if (!strcmp(what, "kill") && runs)
		return cmd_kill(runs, maxus, seed);
	if (!strcmp(what, "stop") && runs)
		return cmd_stop(runs, maxus, seed);
	if (!strcmp(what, "cycle") && runs)
		return cmd_cycle(runs);
	usage();
}
