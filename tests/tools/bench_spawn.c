/* bench_spawn.c - benchmark timing tool: spawn->fd latency, bursts, the kernel's floor */

/*
 * Usage:
 *   bench_spawn series [-n RUNS] [-w WARMUP] [-s SCENARIO] [-u USER]
 *                      [-k BRIDGE] [-x STANDIN] [-R RAW] [-g MS] SPEC...
 *   bench_spawn burst  [-n HELPERS] [-r ROUNDS] [-s SCENARIO] [-u USER] SPEC...
 *   bench_spawn kernel [-n RUNS] [-w WARMUP] [-s SCENARIO] -b BRIDGE
 *
 * SPEC is "NAME|MODE|PROGRAM ARG ARG..." (words split at single spaces, no
 * quoting; every "{fd}" becomes the socket's fd number in the child):
 *   MODE fd    the program is a bridge helper: it must send one TAP fd over
 *              the socket and exit 0. Figures: spawn_to_fd (fork() until
 *              recvmsg() returns the fd), spawn_to_exit (until reaped) and
 *              tap_delete (how long the close of the fd takes afterwards:
 *              the kernel deletes the TAP then).
 *   MODE exit  the program must just exit 0: spawn_to_exit. When what it
 *              runs prints a CLOCK_MONOTONIC stamp in nanoseconds on its
 *              stdout (tests/bench/stamp.c, standing in for QEMU under the
 *              launcher), also spawn_to_start: until that stamp.
 *   MODE qemu  the program is a bridge helper, and then what QEMU does with
 *              the TAP, reduced to nothing: the stand-in given with
 *              -x PATH runs with the TAP as fd 3, our copy closed, and
 *              exits, which deletes the TAP. spawn_to_exit is the helper's
 *              start to the stand-in reaped, spawn_to_start to its stamp:
 *              the launcher's job done by hand, to hold it against.
 *
 * Every child does what QEMU's net_bridge_run_helper() does: it closes
 * every fd but stdio and its end of an AF_UNIX stream socketpair, and
 * execs, with a clean environment under -u. The clock (CLOCK_MONOTONIC)
 * starts right before fork(); argv is built and the socketpair made before
 * that. After the clock stops, the fd is checked to be a TAP (TUNGETIFF)
 * and closed, which deletes the TAP before the next run.
 *
 * -u USER: started as root, become USER (with USER's groups, as at login)
 * before running anything; the children run with PATH, HOME=/, USER and
 * LOGNAME only. The helpers then see an unprivileged caller.
 *
 * series: RUNS rounds (after WARMUP untimed ones); each round runs every
 * SPEC once, in a new random order, so that every subject sees the same
 * machine state, and none always follows the same other (a TAP's deletion
 * leaves the kernel busy for a while: whatever runs next pays for it).
 * -k BRIDGE (root) adds two subjects to every round: the kernel's own work
 * for one TAP on BRIDGE (see "kernel" below), done by a root process forked
 * before -u takes effect, which times it in-process and reports back.
 * -g MS pauses MS milliseconds before every run (default 0: back to
 * back), so that a run does not pay for the previous one's deletion.
 * -R RAW writes every timed run to the file RAW: "NAME T0 T_FD T_EXIT OK",
 * absolute CLOCK_MONOTONIC microseconds.
 *
 * burst: HELPERS children of the first SPEC at once (then of the next SPEC,
 * ROUNDS times alternating): wall time from the first fork() to the last fd
 * received and to the last child reaped, how many failed, and how many
 * TAPs were left once every fd was closed.
 *
 * kernel: the kernel's own work for one TAP, in this process (root), two
 * ways, alternating. Subject "kernel", the minimum: open /dev/net/tun,
 * TUNSETIFF with a random name of its own (IFF_TAP|IFF_NO_PI|IFF_VNET_HDR|
 * IFF_TUN_EXCL: "tap%d" would make the kernel walk every interface), open
 * an rtnetlink socket, one RTM_NEWLINK setting the master and IFF_UP with
 * an ACK, close the socket. Subject "kernel-tapgate": every request
 * tapgate-helper makes, through its own modules (bridge lookup,
 * TUNGETFEATURES, TUNSETOWNER, the ifindex, the limit slot, MAC, MTU,
 * alias, isolation flag). Figure "create" is that;
 * "delete" is closing the TAP fd afterwards, which unregisters the device.
 *
 * Output: one JSON object per line and figure on stdout, with the fields
 * scenario, subject, figure, unit ("us"), n, failures, median, p95, mean,
 * min, max (burst: scenario, subject, figure "burst", helpers, rounds,
 * failures, leaks, wall_fd_median, wall_exit_median, wall_exit_max; all
 * times in microseconds). Children's stderr is ours: failures are visible
 * there. Exit status 0 when nothing failed, 1 when some run failed or a
 * TAP was left, 2 on a usage or setup error.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <net/if.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>

#include "benchstat.h"
#include "fdpass.h"
#include "ifname.h"
#include "limit.h"
#include "rtnl.h"
#include "parse.h"
#include "tap.h"

#define SPECS_MAX 16
#define ARGS_MAX 32
#define BURST_MAX 256

enum mode { MODE_FD, MODE_EXIT, MODE_QEMU, MODE_KERNEL, MODE_KERNEL_TG };

/* The figures, in the order they are printed. */
enum fig { F_TO_FD, F_TO_EXIT, F_TO_START, F_TAP_DELETE, F_CREATE, F_DELETE,
	   F_COUNT };

static const char *const fig_names[F_COUNT] = {
	[F_TO_FD] = "spawn_to_fd",
	[F_TO_EXIT] = "spawn_to_exit",
	[F_TO_START] = "spawn_to_start",
	[F_TAP_DELETE] = "tap_delete",
	[F_CREATE] = "create",
	[F_DELETE] = "delete",
};

struct spec {
	char name[64];
	enum mode mode;
	char *argv[ARGS_MAX + 1];	/* with "{fd}" still in */
	int argc;
	double *v[F_COUNT];		/* samples, microseconds */
	size_t n[F_COUNT];
	size_t failures;
};

struct opts {
	unsigned long runs, warmup, rounds;
	unsigned long gap_ms;	/* -g: pause before every run of a series */
	const char *scenario, *bridge, *user, *standin;
	FILE *raw;		/* -R: every timed run, one line each */
};

/* The children's environment under -u (else ours). */
static char **child_env;

static noreturn void usage(void)
{
	fputs("usage: bench_spawn series [-n RUNS] [-w WARMUP] [-s SCENARIO] [-u USER]\n"
	      "                          [-k BRIDGE] [-x STANDIN] [-R RAW] [-g MS] SPEC...\n"
	      "       bench_spawn burst  [-n HELPERS] [-r ROUNDS] [-s SCENARIO] [-u USER] SPEC...\n"
	      "       bench_spawn kernel [-n RUNS] [-w WARMUP] [-s SCENARIO] -b BRIDGE\n"
	      "  SPEC: \"NAME|MODE|PROGRAM ARGS...\", MODE fd, exit or qemu\n",
	      stderr);
	exit(2);
}

static noreturn void fatal(const char *what)
{
	fprintf(stderr, "bench_spawn: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		fatal("calloc");
	return p;
}

/* Statistics ------------------------------------------------------------- */

static void print_stats(const char *scenario, const char *subject,
			const char *figure, double *v, size_t n,
			size_t failures)
{
	double sum = 0;
	size_t i;

	printf("{\"scenario\":\"%s\",\"subject\":\"%s\",\"figure\":\"%s\","
	       "\"unit\":\"us\",\"n\":%zu,\"failures\":%zu", scenario, subject,
	       figure, n, failures);
	if (n) {
		bench_sort(v, n);
		for (i = 0; i < n; i++)
			sum += v[i];
		printf(",\"median\":%.1f,\"p95\":%.1f,\"mean\":%.1f,"
		       "\"min\":%.1f,\"max\":%.1f",
		       bench_percentile(v, n, 50), bench_percentile(v, n, 95),
		       sum / (double)n, v[0], v[n - 1]);
	}
	printf("}\n");
	fflush(stdout);
}

/* Whether @s's mode has figure @f at all. */
static bool has_fig(const struct spec *s, enum fig f)
{
	switch (s->mode) {
	case MODE_FD:
		return f == F_TO_FD || f == F_TO_EXIT || f == F_TAP_DELETE;
	case MODE_EXIT:
	case MODE_QEMU:
		return f == F_TO_EXIT || (f == F_TO_START && s->n[f]);
	case MODE_KERNEL:
	case MODE_KERNEL_TG:
		return f == F_CREATE || f == F_DELETE;
	}
	return false;
}

static void add(struct spec *s, enum fig f, double v)
{
	s->v[f][s->n[f]++] = v;
}

/* Specs ------------------------------------------------------------------ */

static void parse_spec(const char *text, struct spec *s)
{
	char *copy = strdup(text), *name, *mode, *cmd, *w, *save = NULL;

	if (!copy)
		fatal("strdup");
	memset(s, 0, sizeof(*s));
	/* copy lives as long as the program: s->argv points into it. */
	name = strtok_r(copy, "|", &save);	// NOLINT(clang-analyzer-unix.Malloc)
	mode = strtok_r(NULL, "|", &save);
	cmd = strtok_r(NULL, "", &save);
	if (!name || !mode || !cmd || strlen(name) >= sizeof(s->name))
		usage();
	snprintf(s->name, sizeof(s->name), "%s", name);
	if (!strcmp(mode, "fd"))
		s->mode = MODE_FD;
	else if (!strcmp(mode, "exit"))
		s->mode = MODE_EXIT;
	else if (!strcmp(mode, "qemu"))
		s->mode = MODE_QEMU;
	else
		usage();
	for (w = strtok_r(cmd, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (s->argc == ARGS_MAX)
			usage();
		s->argv[s->argc++] = w;
	}
	if (!s->argc)
		usage();
}

static void kernel_spec(struct spec *s, enum mode mode)
{
	memset(s, 0, sizeof(*s));
	s->mode = mode;
	snprintf(s->name, sizeof(s->name), "%s",
		 mode == MODE_KERNEL ? "kernel" : "kernel-tapgate");
}

static void alloc_samples(struct spec *s, size_t n)
{
	enum fig f;

	for (f = 0; f < F_COUNT; f++)
		s->v[f] = xcalloc(n, sizeof(double));
}

/* @s's argv with "{fd}" replaced by @fd, into @store (ARGS_MAX x 256). */
static void child_argv(const struct spec *s, int fd, char **av,
		       char store[][256])
{
	int i;

	for (i = 0; i < s->argc; i++) {
		const char *in = s->argv[i], *tok = strstr(in, "{fd}");

		if (tok)
			snprintf(store[i], 256, "%.*s%d%s", (int)(tok - in), in,
				 fd, tok + 4);
		else
			snprintf(store[i], 256, "%s", in);
		av[i] = store[i];
	}
	av[s->argc] = NULL;
}

/* Identity --------------------------------------------------------------- */

/*
 * -u: become @user for good, with the groups the group database gives it
 * (as login and the test harness's as_user do), and prepare the clean
 * environment its children get.
 */
static void become(const char *user)
{
	static char env_path[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	static char env_home[] = "HOME=/";
	static char env_user[80], env_logname[80];
	static char *env[] = { env_path, env_home, env_user, env_logname, NULL };
	struct passwd *pw = getpwnam(user);

	if (!pw)
		fatal(user);
	snprintf(env_user, sizeof(env_user), "USER=%s", pw->pw_name);
	snprintf(env_logname, sizeof(env_logname), "LOGNAME=%s", pw->pw_name);
	if (initgroups(pw->pw_name, pw->pw_gid) ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid))
		fatal("cannot become the user");
	child_env = env;
}

static void exec_child(char **av)
{
	if (child_env)
		execve(av[0], av, child_env);
	else
		execv(av[0], av);
	_exit(127);
}

/* Running one child ------------------------------------------------------- */

/* One child in flight. */
struct run {
	pid_t pid;
	int sock;		/* our end; -1 in MODE_EXIT */
	int stamp[2];		/* pipe: the stand-in's stdout */
	int fds[QUEUES_MAX];
	size_t nfds;
	double t0, t_fd, t_exit, t_closing, t_closed, t_start;
	bool got_fd, ok;
};

/*
 * Start @s: socketpair (not for MODE_EXIT), then the clock, fork, and in the
 * child close everything but stdio and the socket and exec, as QEMU does.
 */
static void spawn(const struct spec *s, struct run *r)
{
	char store[ARGS_MAX][256];
	char *av[ARGS_MAX + 1];
	int sv[2] = { -1, -1 };

	memset(r, 0, sizeof(*r));
	r->sock = -1;
	r->stamp[0] = r->stamp[1] = -1;
	if (s->mode != MODE_FD && pipe2(r->stamp, O_CLOEXEC) < 0)
		fatal("pipe2");
	if (s->mode != MODE_EXIT &&
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		fatal("socketpair");
	child_argv(s, sv[1], av, store);

	r->t0 = bench_now_us();
	r->pid = fork();
	if (r->pid < 0)
		fatal("fork");
	if (r->pid == 0) {
		if (s->mode == MODE_EXIT && dup2(r->stamp[1], 1) < 0)
			_exit(127);
		if (sv[1] >= 0) {
			/* Keep the child's end across exec, at its number. */
			fcntl(sv[1], F_SETFD, 0);
			if (sv[1] > 3)
				close_range(3, (unsigned)sv[1] - 1, 0);
			close_range((unsigned)sv[1] + 1, ~0U, 0);
		} else {
			close_range(3, ~0U, 0);
		}
		exec_child(av);
	}
	if (sv[1] >= 0)
		close(sv[1]);
	if (s->mode == MODE_EXIT) {
		close(r->stamp[1]);
		r->stamp[1] = -1;
	}
	r->sock = sv[0];
}

/*
 * When the stand-in for QEMU started, if it said so: tests/bench/stamp
 * prints its CLOCK_MONOTONIC nanoseconds on stdout (a pipe of ours). Read
 * after it was reaped, so the pipe holds all it wrote.
 */
static void read_stamp(struct run *r)
{
	char buf[64];
	ssize_t n;

	if (r->stamp[0] < 0)
		return;
	n = read(r->stamp[0], buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		r->t_start = strtod(buf, NULL) / 1e3;
	}
	close(r->stamp[0]);
	r->stamp[0] = -1;
}

/* Read the fd message (or EOF) from @r's socket. */
static void receive(struct run *r)
{
	int rc = fd_recv(r->sock, r->fds, QUEUES_MAX, &r->nfds);

	r->t_fd = bench_now_us();
	r->got_fd = rc == 0;
	if (rc)
		r->nfds = 0;
}

static void reap(struct run *r)
{
	int status;

	while (waitpid(r->pid, &status, 0) < 0)
		if (errno != EINTR)
			fatal("waitpid");
	r->t_exit = bench_now_us();
	r->ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * MODE_QEMU, after the helper: what QEMU's own process does with the TAP,
 * reduced to nothing: run @standin with the TAP as fd 3 and no other fd of
 * ours, close our copy, reap it. The TAP goes when the stand-in exits.
 */
static void run_standin(const char *standin, struct run *r)
{
	pid_t pid;
	int status;
	size_t i;

	pid = fork();
	if (pid < 0)
		fatal("fork");
	if (pid == 0) {
		char *av[] = { (char *)standin, NULL };

		if (dup2(r->stamp[1], 1) < 0 || dup2(r->fds[0], 3) < 0)
			_exit(127);
		close_range(4, ~0U, 0);
		exec_child(av);
	}
	close(r->stamp[1]);
	r->stamp[1] = -1;
	for (i = 0; i < r->nfds; i++)
		close(r->fds[i]);
	r->nfds = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			fatal("waitpid");
	r->t_exit = bench_now_us();
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		r->ok = false;
}

/* After the clock: the fds must be TAPs; then close them (and the TAP). */
static void finish(const struct spec *s, struct run *r)
{
	size_t i;

	if (r->stamp[1] >= 0)
		close(r->stamp[1]);
	read_stamp(r);
	if (s->mode == MODE_QEMU)
		close(r->sock);
	if (s->mode == MODE_FD) {
		struct ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		if (!r->got_fd || ioctl(r->fds[0], TUNGETIFF, &ifr) < 0)
			r->ok = false;
		r->t_closing = bench_now_us();
		for (i = 0; i < r->nfds; i++)
			close(r->fds[i]);
		r->t_closed = bench_now_us();
		close(r->sock);
	}
}

/* The kernel's floor ------------------------------------------------------- */

/* Enslave @name to @master and bring it up: one RTM_NEWLINK, one ACK. */
static int kernel_enslave_up(const char *name, unsigned master)
{
	char buf[8192] __attribute__((aligned(4)));
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int rc = -1;
	ssize_t n;

	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		return -1;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MASTER, master);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		goto out;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n > 0)
		rc = mnl_cb_run(buf, (size_t)n, 1, 0, NULL, NULL);
	if (rc > 0)
		rc = 0;
out:
	mnl_socket_close(nl);
	return rc;
}

/* The bridge's ifindex, looked up once, before any clock runs. */
static unsigned bridge_index;

/* The minimum: open, TUNSETIFF, one RTM_NEWLINK for master and up. */
static bool kernel_minimum(int *fd)
{
	unsigned master = bridge_index;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ifname_random(ifr.ifr_name, TAP_NAME_PREFIX))
		return false;
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_TUN_EXCL;
	*fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	return master && *fd >= 0 && ioctl(*fd, TUNSETIFF, &ifr) == 0 &&
	       kernel_enslave_up(ifr.ifr_name, master) == 0;
}

/*
 * Everything tapgate-helper asks of the kernel, in this process, through the
 * helper's own modules: its netlink socket, the bridge looked up by name,
 * the TAP opened, created and owned, the port set up (MAC, MTU, alias,
 * master, isolation flag, up), the socket closed. Returns whether it
 * worked; the TAP fd is left in @fd.
 */
static bool kernel_as_tapgate(const char *bridge, int *fd)
{
	struct tap_request req = { .vnet_hdr = true, .owner = getuid() };
	struct nl_port_config c = { .alias = "tapgate uid=0 pid=1" };
	struct tap_result tap;
	unsigned long slot;
	struct nl_link br;
	struct nl nl;
	bool ok = false;

	*fd = -1;
	if (nl_open(&nl))
		return false;
	if (nl_link_by_name(&nl, bridge, &br) == 0 &&
	    tap_open_nodes(fd, 1) == 0 && tap_create(fd, 1, &req, &tap) == 0 &&
	    limit_slot_take(&nl, tap.ifindex, getuid(), LIMIT_SLOTS_MAX,
			    &slot) == 0 &&
	    tap_random_mac(c.mac) == 0) {
		c.ifindex = tap.ifindex;
		c.master = br.ifindex;
		c.mtu = br.mtu;
		ok = nl_port_setup(&nl, &c) == 0;
	}
	nl_close(&nl);
	return ok;
}

struct kernel_result {
	double create, delete;
	int ok;
};

/* One TAP made the way @mode says, timed here, then closed (deleted). */
static struct kernel_result kernel_once(enum mode mode, const char *bridge)
{
	struct kernel_result k = { 0 };
	double t0, t1, t2;
	int fd = -1;

	t0 = bench_now_us();
	k.ok = mode == MODE_KERNEL ? kernel_minimum(&fd)
				   : kernel_as_tapgate(bridge, &fd);
	t1 = bench_now_us();
	if (fd >= 0)
		close(fd);
	t2 = bench_now_us();
	k.create = t1 - t0;
	k.delete = t2 - t1;
	return k;
}

/*
 * The root worker behind series -k: forked before -u, it makes one TAP per
 * request byte (the mode) and answers with a kernel_result.
 */
static int worker_req = -1, worker_ans = -1;

static void start_worker(const char *bridge)
{
	int req[2], ans[2];
	pid_t pid;

	if (pipe2(req, O_CLOEXEC) || pipe2(ans, O_CLOEXEC))
		fatal("pipe2");
	pid = fork();
	if (pid < 0)
		fatal("fork");
	if (pid == 0) {
		unsigned char m;

		close(req[1]);
		close(ans[0]);
		while (read(req[0], &m, 1) == 1) {
			struct kernel_result k = kernel_once((enum mode)m,
							     bridge);

			if (write(ans[1], &k, sizeof(k)) != sizeof(k))
				_exit(1);
		}
		_exit(0);
	}
	close(req[0]);
	close(ans[1]);
	worker_req = req[1];
	worker_ans = ans[0];
}

static struct kernel_result ask_worker(enum mode mode)
{
	struct kernel_result k = { 0 };
	unsigned char m = (unsigned char)mode;

	if (write(worker_req, &m, 1) != 1 ||
	    read(worker_ans, &k, sizeof(k)) != sizeof(k))
		fatal("the kernel worker");
	return k;
}

/* Series ----------------------------------------------------------------- */

static void run_once(const struct opts *o, struct spec *s, bool record)
{
	struct run r;

	if (s->mode == MODE_KERNEL || s->mode == MODE_KERNEL_TG) {
		struct kernel_result k = ask_worker(s->mode);

		if (!record)
			return;
		if (!k.ok) {
			s->failures++;
			return;
		}
		add(s, F_CREATE, k.create);
		add(s, F_DELETE, k.delete);
		return;
	}

	spawn(s, &r);
	if (s->mode != MODE_EXIT)
		receive(&r);
	reap(&r);
	if (s->mode == MODE_QEMU) {
		if (!o->standin)
			usage();
		if (r.got_fd && r.ok)
			run_standin(o->standin, &r);
		else
			r.ok = false;
	}
	finish(s, &r);
	if (!record)
		return;
	if (o->raw)
		fprintf(o->raw, "%s %.1f %.1f %.1f %d\n", s->name, r.t0,
			s->mode == MODE_FD ? r.t_fd : 0.0, r.t_exit, r.ok);
	if (!r.ok) {
		s->failures++;
		return;
	}
	if (s->mode == MODE_FD) {
		add(s, F_TO_FD, r.t_fd - r.t0);
		add(s, F_TAP_DELETE, r.t_closed - r.t_closing);
	}
	add(s, F_TO_EXIT, r.t_exit - r.t0);
	if (r.t_start > 0)
		add(s, F_TO_START, r.t_start - r.t0);
}

/* A fixed-seed xorshift: the same shuffles every run, no state to keep. */
static unsigned shuffle_rand(void)
{
	static unsigned x = 2463534242u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

/* A new order for a round (Fisher-Yates). */
static void shuffle(size_t *order, size_t n)
{
	size_t i, j, t;

	for (i = n - 1; i > 0; i--) {
		j = shuffle_rand() % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

/* -g: let the kernel finish what the previous run left (a TAP's deletion
 * goes on in RCU callbacks and workqueues after close() returns). */
static void pause_ms(unsigned long ms)
{
	struct timespec t = { .tv_sec = (time_t)(ms / 1000),
			      .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (ms && nanosleep(&t, &t) && errno == EINTR)
		;
}

static int cmd_series(const struct opts *o, struct spec *specs, size_t n)
{
	size_t round, k, failures = 0, order[SPECS_MAX];
	enum fig f;

	if (o->bridge) {
		if (n + 2 > SPECS_MAX)
			usage();
		kernel_spec(&specs[n++], MODE_KERNEL);
		kernel_spec(&specs[n++], MODE_KERNEL_TG);
		start_worker(o->bridge);
	}
	if (o->user)
		become(o->user);
	for (k = 0; k < n; k++) {
		alloc_samples(&specs[k], o->runs);
		order[k] = k;
	}
	for (round = 0; round < o->warmup + o->runs; round++) {
		shuffle(order, n);
		for (k = 0; k < n; k++) {
			pause_ms(o->gap_ms);
			run_once(o, &specs[order[k]], round >= o->warmup);
		}
	}

	for (k = 0; k < n; k++) {
		struct spec *s = &specs[k];

		for (f = 0; f < F_COUNT; f++)
			if (has_fig(s, f))
				print_stats(o->scenario, s->name, fig_names[f],
					    s->v[f], s->n[f], s->failures);
		failures += s->failures;
	}
	return failures ? 1 : 0;
}

/* Burst ------------------------------------------------------------------ */

/* TUN/TAP interfaces in this network namespace (sysfs mounted for it). */
static size_t count_taps(void)
{
	DIR *d = opendir("/sys/class/net");
	struct dirent *e;
	size_t n = 0;

	if (!d)
		fatal("/sys/class/net");
	while ((e = readdir(d))) {
		char path[300];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags",
			 e->d_name);
		if (access(path, F_OK) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* TAPs still there after every fd is closed and every child reaped; the
 * kernel deletes a TAP as its last fd closes, so 0 unless one leaked (a
 * persistent TAP, or an fd kept by a grandchild), counted above @before,
 * those there before the burst. Polled for a second, only so that a slow
 * deletion is not counted as a leak. */
static size_t taps_left(size_t before)
{
	size_t n = count_taps();
	int i;

	for (i = 0; n > before && i < 100; i++) {
		usleep(10000);
		n = count_taps();
	}
	return n > before ? n - before : 0;
}

/* @n children of @s at once; the wall times of one burst. */
static size_t burst_once(const struct spec *s, struct run *runs, size_t n,
			 double *wall_fd, double *wall_exit)
{
	struct pollfd pfd[BURST_MAX];
	size_t i, left = 0, failures = 0;
	double t0, last_fd = 0, last_exit = 0;

	t0 = bench_now_us();
	for (i = 0; i < n; i++)
		spawn(s, &runs[i]);
	if (s->mode == MODE_FD) {
		for (i = 0; i < n; i++) {
			pfd[i].fd = runs[i].sock;
			pfd[i].events = POLLIN;
			left++;
		}
		while (left) {
			if (poll(pfd, n, -1) < 0) {
				if (errno == EINTR)
					continue;
				fatal("poll");
			}
			for (i = 0; i < n; i++) {
				if (pfd[i].fd < 0 || !pfd[i].revents)
					continue;
				receive(&runs[i]);
				if (runs[i].t_fd > last_fd)
					last_fd = runs[i].t_fd;
				pfd[i].fd = -1;
				left--;
			}
		}
	}
	for (i = 0; i < n; i++) {
		reap(&runs[i]);
		if (runs[i].t_exit > last_exit)
			last_exit = runs[i].t_exit;
	}
	for (i = 0; i < n; i++) {
		finish(s, &runs[i]);
		if (!runs[i].ok)
			failures++;
	}
	*wall_fd = s->mode == MODE_FD ? last_fd - t0 : 0;
	*wall_exit = last_exit - t0;
	return failures;
}

static int cmd_burst(const struct opts *o, struct spec *specs, size_t n)
{
	struct run *runs = xcalloc(o->runs, sizeof(*runs));
	double *wf[SPECS_MAX], *we[SPECS_MAX];
	size_t leaks[SPECS_MAX] = { 0 };
	size_t round, k, failures = 0, left, before;

	if (o->runs > BURST_MAX)
		usage();
	if (o->user)
		become(o->user);
	for (k = 0; k < n; k++) {
		wf[k] = xcalloc(o->rounds, sizeof(double));
		we[k] = xcalloc(o->rounds, sizeof(double));
	}
	for (round = 0; round < o->rounds; round++)
		for (k = 0; k < n; k++) {
			before = count_taps();
			specs[k].failures += burst_once(&specs[k], runs,
							o->runs, &wf[k][round],
							&we[k][round]);
			left = taps_left(before);
			leaks[k] += left;
			if (left)
				fprintf(stderr, "bench_spawn: %zu TAPs left after "
					"a burst of %s\n", left, specs[k].name);
		}
	for (k = 0; k < n; k++) {
		bench_sort(wf[k], o->rounds);
		bench_sort(we[k], o->rounds);
		printf("{\"scenario\":\"%s\",\"subject\":\"%s\",\"figure\":"
		       "\"burst\",\"unit\":\"us\",\"helpers\":%lu,"
		       "\"rounds\":%lu,\"failures\":%zu,\"leaks\":%zu,"
		       "\"wall_fd_median\":%.1f,\"wall_exit_median\":%.1f,"
		       "\"wall_exit_max\":%.1f}\n", o->scenario, specs[k].name,
		       o->runs, o->rounds, specs[k].failures, leaks[k],
		       bench_percentile(wf[k], o->rounds, 50),
		       bench_percentile(we[k], o->rounds, 50),
		       we[k][o->rounds - 1]);
		failures += specs[k].failures + leaks[k];
	}
	fflush(stdout);
	return failures ? 1 : 0;
}

/* Kernel only ------------------------------------------------------------ */

static int cmd_kernel(const struct opts *o)
{
	struct spec specs[2];
	size_t i, k;
	enum fig f;

	if (!o->bridge)
		usage();
	kernel_spec(&specs[0], MODE_KERNEL);
	kernel_spec(&specs[1], MODE_KERNEL_TG);
	for (k = 0; k < 2; k++)
		alloc_samples(&specs[k], o->runs);
	/* The two alternate, the order swapping every round. */
	for (i = 0; i < 2 * (o->warmup + o->runs); i++) {
		struct spec *s = &specs[(i ^ (i >> 1)) & 1];
		struct kernel_result r = kernel_once(s->mode, o->bridge);

		if (i < 2 * o->warmup)
			continue;
		if (!r.ok) {
			s->failures++;
			continue;
		}
		add(s, F_CREATE, r.create);
		add(s, F_DELETE, r.delete);
	}
	for (k = 0; k < 2; k++)
		for (f = 0; f < F_COUNT; f++)
			if (has_fig(&specs[k], f))
				print_stats(o->scenario, specs[k].name,
					    fig_names[f], specs[k].v[f],
					    specs[k].n[f], specs[k].failures);
	return specs[0].failures || specs[1].failures ? 1 : 0;
}

/* Main ------------------------------------------------------------------ */

static unsigned long number(const char *s, unsigned long min,
			    unsigned long max)
{
	unsigned long v;

	if (!s || parse_ulong(s, min, max, &v) < 0)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	struct opts o = { .runs = 500, .warmup = 20, .rounds = 5,
			  .scenario = "default" };
	struct spec specs[SPECS_MAX];
	const char *cmd;
	size_t n = 0;
	int c;

	if (argc < 2)
		usage();
	cmd = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "n:w:r:s:b:k:u:x:R:g:")) != -1) {
		switch (c) {
		case 'n': o.runs = number(optarg, 1, 1000000); break;
		case 'g': o.gap_ms = number(optarg, 0, 10000); break;
		case 'w': o.warmup = number(optarg, 0, 1000000); break;
		case 'r': o.rounds = number(optarg, 1, 10000); break;
		case 's': o.scenario = optarg; break;
		case 'b':	/* the former name of -k */
		case 'k': o.bridge = optarg; break;
		case 'u': o.user = optarg; break;
		case 'x': o.standin = optarg; break;
		case 'R':
			o.raw = fopen(optarg, "we");
			if (!o.raw)
				fatal(optarg);
			break;
		default: usage();
		}
	}
	for (; optind < argc; optind++) {
		if (n == SPECS_MAX)
			usage();
		parse_spec(argv[optind], &specs[n++]);
	}
	/* The children inherit stdout: nothing of ours may be buffered. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (o.bridge) {
		bridge_index = if_nametoindex(o.bridge);
		if (!bridge_index)
			fatal(o.bridge);
	}

	if (!strcmp(cmd, "series") && n)
		return cmd_series(&o, specs, n);
	if (!strcmp(cmd, "burst") && n && !o.bridge)
		return cmd_burst(&o, specs, n);
	if (!strcmp(cmd, "kernel") && !n && !o.user)
		return cmd_kernel(&o);
	usage();
}
