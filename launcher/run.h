/* run.h - running QEMU as the launcher's child: fds, signals, exit status */
#ifndef TAPGATE_RUN_H
#define TAPGATE_RUN_H

#include <stddef.h>

#include "nic.h"

/* Exit statuses when QEMU could not be started (as env(1) and the shells
 * use them). */
#define RUN_NOT_FOUND 127
#define RUN_CANNOT_EXEC 126

/**
 * run_qemu() - run QEMU and wait for it
 * @argv:	QEMU's command line; argv[0] is searched on PATH
 * @nics:	the NICs; in the child each fd[j] becomes qemu_fd[j] (without
 *		O_CLOEXEC) and every other fd but stdio is closed
 * @nnics:	how many
 *
 * The child asks to be killed with SIGKILL when the launcher dies
 * (PR_SET_PDEATHSIG), then checks that the launcher had not already died
 * before it asked. The launcher closes its own copies of every TAP fd right
 * after fork (they are set to -1), so while QEMU runs only QEMU holds them.
 * SIGTERM and SIGHUP are passed on to QEMU, and SIGINT when another process
 * sent it (a SIGINT from the terminal has already reached QEMU, which is in
 * the same process group).
 *
 * Return: the launcher's exit status: QEMU's own, 128+N when QEMU was
 * killed by signal N, RUN_NOT_FOUND or RUN_CANNOT_EXEC when QEMU could not
 * be started (with a message on stderr).
 */
int run_qemu(char **argv, struct nic *nics, size_t nnics);

#endif /* TAPGATE_RUN_H */
