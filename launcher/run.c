/* run.c - running QEMU as the launcher's child: fds, signals, exit status */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "quote.h"
#include "run.h"

/* Tell the launcher why exec failed, then go. */
static noreturn void child_fail(int ew, int err)
{
	if (write(ew, &err, sizeof(err)) < 0) {
		/* The launcher then sees exit status 127 without a reason. */
	}
	_exit(RUN_NOT_FOUND);
}

/*
 * In the child. The order matters: first copy every TAP fd (and the error
 * pipe) above all the target numbers, so that no dup2() below clobbers a
 * source; then mark every fd from 3 up close-on-exec; then dup2() each copy
 * to its target, which leaves the target without O_CLOEXEC. At exec, the
 * targets and stdio are all that QEMU inherits.
 */
static noreturn void exec_qemu(char **argv, struct nic *nics, size_t nnics,
			       pid_t parent, const sigset_t *oldmask, int ew)
{
	int top = 3, hi[OPTS_NICS_MAX][QUEUES_MAX];
	size_t i, j;

	/* Killed with the launcher. Checking getppid() after asking closes
	 * the race where the launcher died before the request took effect. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		child_fail(ew, errno);
	if (getppid() != parent)
		_exit(RUN_NOT_FOUND);
	if (sigprocmask(SIG_SETMASK, oldmask, NULL) < 0)
		child_fail(ew, errno);

	for (i = 0; i < nnics; i++)
		for (j = 0; j < nics[i].nfds; j++)
			if (nics[i].qemu_fd[j] >= top)
				top = nics[i].qemu_fd[j] + 1;
	ew = fcntl(ew, F_DUPFD_CLOEXEC, top);
	if (ew < 0)
		_exit(RUN_NOT_FOUND);
	for (i = 0; i < nnics; i++)
		for (j = 0; j < nics[i].nfds; j++) {
			hi[i][j] = fcntl(nics[i].fd[j], F_DUPFD_CLOEXEC, top);
			if (hi[i][j] < 0)
				child_fail(ew, errno);
		}
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		child_fail(ew, errno);
	for (i = 0; i < nnics; i++)
		for (j = 0; j < nics[i].nfds; j++)
			if (dup2(hi[i][j], nics[i].qemu_fd[j]) < 0)
				child_fail(ew, errno);

	execvp(argv[0], argv);
	child_fail(ew, errno);
}

/* Closing the launcher's copies is what lets the TAP vanish with QEMU. */
static void close_taps(struct nic *nics, size_t nnics)
{
	size_t i, j;

	for (i = 0; i < nnics; i++)
		for (j = 0; j < nics[i].nfds; j++)
			if (nics[i].fd[j] >= 0) {
				close(nics[i].fd[j]);
				nics[i].fd[j] = -1;
			}
}

static int exit_status(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int run_qemu(char **argv, struct nic *nics, size_t nnics)
{
	sigset_t set, oldmask;
	pid_t parent = getpid(), pid;
	int ep[2], err, status;
	ssize_t n;

	/* Blocked before fork, so that none is lost before the loop below
	 * waits for it; the child restores the old mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, &oldmask) < 0)
		die_errno(errno, "sigprocmask");
	if (pipe2(ep, O_CLOEXEC) < 0)
		die_errno(errno, "pipe");

	pid = fork();
	if (pid < 0)
		die_errno(errno, "fork");
	if (pid == 0)
		exec_qemu(argv, nics, nnics, parent, &oldmask, ep[1]);
	close_taps(nics, nnics);
	close(ep[1]);

	/* EOF: exec worked (the pipe was close-on-exec). */
	do
		n = read(ep[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(ep[0]);
	if (n == sizeof(err)) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		char q[QUOTE_BUF];

		warning("cannot run QEMU %s: %s", quote_untrusted(q, argv[0]),
			strerror(err));
		return err == ENOENT ? RUN_NOT_FOUND : RUN_CANNOT_EXEC;
	}

	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);

		if (sig < 0) {
			if (errno == EINTR)
				continue;
			die_errno(errno, "sigwaitinfo");
		}
		if (sig == SIGCHLD) {
			pid_t w = waitpid(pid, &status, WNOHANG);

			if (w == pid)
				return exit_status(status);
			continue;
		}
		/* The terminal sends its SIGINT to the whole foreground
		 * process group, QEMU included: do not send it twice. */
		if (sig == SIGINT && si.si_code == SI_KERNEL)
			continue;
		if (kill(pid, sig) < 0 && errno != ESRCH)
			warning("passing signal %d on to QEMU: %s", sig,
			      strerror(errno));
	}
}
