/* gettap.c - getting a TAP from the helper, the way libvirt asks qemu-bridge-helper */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdpass.h"
#include "gettap.h"
#include "log.h"
#include "quote.h"
#include "tapcheck.h"

/*
 * Whether @bridge is a Linux bridge in our network namespace, as sysfs
 * says (/sys/class/net/BR/bridge). Anything else got its TAP from Open
 * vSwitch, and is released at the end. A wrong answer costs at most one
 * --release that finds nothing.
 *
 * This is the helper's rule (ovsport_classify() in helper/ovsport.c) from
 * this side: the kernel's interface of that name is a Linux bridge (sysfs
 * has the bridge directory exactly for kind "bridge", and only under an
 * interface's own name, as the helper accepts only that), and that wins
 * over Open vSwitch; the helper granted the TAP, so anything else is the
 * Open vSwitch bridge. The launcher is unprivileged and links no helper
 * code, hence its own test; a change to the one must be made to the other.
 */
static bool is_linux_bridge(const char *bridge)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/class/net/%s/bridge", bridge);
	return access(path, F_OK) == 0;
}

/* The fd number the helper finds its socket at. */
#define HELPER_SOCKFD 3

int helper_argv(const char *helper, const char *bridge, int sockfd,
		unsigned queues, const unsigned char *mac,
		const char *iface_id, char *argv[8], char *buf, size_t buflen)
{
	size_t used = 0;
	int n = 0, k;

	argv[n++] = (char *)helper;
	argv[n++] = (char *)"--use-vnet";

	k = snprintf(buf, buflen, "--br=%s", bridge);
	if (k < 0 || (size_t)k >= buflen)
		return -ENAMETOOLONG;
	argv[n++] = buf;
	used = (size_t)k + 1;

	k = snprintf(buf + used, buflen - used, "--fd=%d", sockfd);
	if (k < 0 || (size_t)k >= buflen - used)
		return -ENAMETOOLONG;
	argv[n++] = buf + used;
	used += (size_t)k + 1;

	if (queues > 1) {
		k = snprintf(buf + used, buflen - used, "--queues=%u", queues);
		if (k < 0 || (size_t)k >= buflen - used)
			return -ENAMETOOLONG;
		argv[n++] = buf + used;
		used += (size_t)k + 1;
	}
	if (mac) {
		char m[MAC_STRLEN];

		k = snprintf(buf + used, buflen - used, "--mac=%s",
			     mac_format(mac, m));
		if (k < 0 || (size_t)k >= buflen - used)
			return -ENAMETOOLONG;
		argv[n++] = buf + used;
		used += (size_t)k + 1;
	}
	if (iface_id) {
		k = snprintf(buf + used, buflen - used, "--iface-id=%s", iface_id);
		if (k < 0 || (size_t)k >= buflen - used)
			return -ENAMETOOLONG;
		argv[n++] = buf + used;
	}
	argv[n] = NULL;
	return n;
}

/*
 * In the child: stderr to the pipe, the socket at HELPER_SOCKFD, every
 * other fd closed (the helper closes strays itself, but QEMU's helper
 * does not, and a TAP fd of an earlier NIC must not reach it).
 */
static noreturn void exec_helper(char **argv, int sock, int errw)
{
	if (dup2(errw, STDERR_FILENO) < 0)
		_exit(127);
	if (sock == HELPER_SOCKFD) {
		if (fcntl(sock, F_SETFD, 0) < 0)
			_exit(127);
	} else if (dup2(sock, HELPER_SOCKFD) < 0) {
		_exit(127);
	}
	if (close_range(HELPER_SOCKFD + 1, ~0U, 0) < 0)
		_exit(127);
	execv(argv[0], argv);
	dprintf(STDERR_FILENO, "%s: cannot run the helper %s: %s\n",
		log_prog(), argv[0], strerror(errno));
	_exit(127);
}

int helper_sweep(const char *helper)
{
	char pid[32];
	char *argv[] = { (char *)helper, (char *)"--sweep", pid, NULL };
	int status, nul;
	pid_t child;

	snprintf(pid, sizeof(pid), "--pid=%d", (int)getpid());
	child = fork();
	if (child < 0) {
		warning("cannot run the helper %s --sweep: %s", helper,
			strerror(errno));
		return -1;
	}
	if (child == 0) {
		nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (nul < 0 || dup2(nul, STDOUT_FILENO) < 0 ||
		    close_range(STDERR_FILENO + 1, ~0U, 0) < 0)
			_exit(127);
		execv(argv[0], argv);
		dprintf(STDERR_FILENO, "%s: cannot run the helper %s: %s\n",
			log_prog(), argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Copy the helper's stderr to ours until it closes; true if it said
 * anything. */
static bool relay(int from)
{
	bool said = false;
	char buf[4096];

	for (;;) {
		ssize_t n = read(from, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return said;
		said = true;
		if (write(STDERR_FILENO, buf, (size_t)n) < 0) {
			/* Our stderr is gone: nothing better to do. */
		}
	}
}

/*
 * The protocol is one message from one sendmsg(). The helper has exited and
 * our copy of its end is closed, so the socket now reads end-of-file unless
 * it sent more (whose fds, if any, fd_recv() closes or hands back to be
 * dropped with the launcher).
 */
static bool nothing_more(int sock)
{
	int extra[QUEUES_MAX];
	size_t k;

	return fd_recv(sock, extra, QUEUES_MAX, &k) == -EPIPE;
}

/*
 * What helper_get_tap() and helper_release() share: run the helper with
 * @argv, the socket's other end at HELPER_SOCKFD and its stderr relayed to
 * ours until it exits (first: it closes when the helper exits, and the fds
 * it sent wait in the socket meanwhile), then reap it.
 * @sock:	set to our end of the socket pair, to read what it sent
 * @said:	whether it wrote anything on stderr
 * @status:	its wait status
 * @what:	on failure, the call that failed
 * Return: 0, or -errno with nothing left open.
 */
static int run_helper(char **argv, int *sock, bool *said, int *status,
		      const char **what)
{
	int sv[2], ep[2], err;
	pid_t pid;

	*sock = -1;
	*said = false;
	*status = 0;
	*what = "socketpair";
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	if (pipe2(ep, O_CLOEXEC) < 0) {
		err = errno;
		*what = "pipe";
		goto close_pair;
	}
	pid = fork();
	if (pid < 0) {
		err = errno;
		*what = "fork";
		close(ep[0]);
		close(ep[1]);
		goto close_pair;
	}
	if (pid == 0)
		exec_helper(argv, sv[1], ep[1]);
	close(sv[1]);
	close(ep[1]);

	*said = relay(ep[0]);
	close(ep[0]);
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR) {
			err = errno;
			*what = "waitpid (helper)";
			close(sv[0]);
			return -err;
		}
	}
	*sock = sv[0];
	return 0;

close_pair:
	close(sv[0]);
	close(sv[1]);
	return -err;
}

void helper_get_tap(const char *helper, unsigned queues, bool pass_mac,
		    struct nic *nic)
{
	char *argv[8], words[192], why[160];
	const char *what;
	int sock, status, r;
	size_t n;
	bool said;

	if (helper_argv(helper, nic->bridge, HELPER_SOCKFD, queues,
			pass_mac ? nic->mac : NULL, nic->iface_id, argv, words,
			sizeof(words)) < 0) {
		char q[QUOTE_BUF];

		die("bridge name %s is too long",
		    quote_untrusted(q, nic->bridge));
	}
	r = run_helper(argv, &sock, &said, &status, &what);
	if (r)
		die_errno(-r, "%s", what);
	if (WIFSIGNALED(status))
		die("the helper %s was killed by signal %d (%s) for bridge %s",
		    helper, WTERMSIG(status), strsignal(WTERMSIG(status)),
		    nic->bridge);
	if (WEXITSTATUS(status) != 0) {
		if (said)
			exit(1);	/* its own message says why */
		die("the helper %s failed (exit status %d) for bridge %s and said nothing",
		    helper, WEXITSTATUS(status), nic->bridge);
	}

	r = fd_recv(sock, nic->fd, QUEUES_MAX, &n);
	if (r == -EPIPE)
		die("the helper %s exited 0 but sent no TAP for bridge %s",
		    helper, nic->bridge);
	if (r == -EPROTO)
		die("the helper %s sent a malformed message for bridge %s (no fds, more than %d, or other control data)",
		    helper, nic->bridge, QUEUES_MAX);
	if (r < 0)
		die_errno(-r, "receiving the TAP from the helper");
	nic->nfds = n;
	if (!nothing_more(sock))
		die("the helper %s sent more than one message for bridge %s",
		    helper, nic->bridge);
	close(sock);

	if (tap_check_fds(nic->fd, n, queues, nic->tap, &nic->ifindex,
			  &nic->sealed, why, sizeof(why)) < 0)
		die("bridge %s: the helper %s %s", nic->bridge, helper, why);
	nic->ovs = !is_linux_bridge(nic->bridge);
}

bool helper_release(const char *helper, const struct nic *nic)
{
	char rel[48], br[32];
	char *argv[] = { (char *)helper, rel, br, NULL };
	const char *what;
	int sock, status, r;
	bool said;

	snprintf(rel, sizeof(rel), "--release=%s", nic->tap);
	snprintf(br, sizeof(br), "--br=%s", nic->bridge);
	/* The helper wants no socket here; fd 3 is a socket pair's end
	 * that nothing is read from. */
	r = run_helper(argv, &sock, &said, &status, &what);
	if (r) {
		warning("cannot release %s on %s: %s: %s", nic->tap,
			nic->bridge, what, strerror(-r));
		return false;
	}
	close(sock);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
