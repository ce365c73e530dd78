/* qemuargv.h - QEMU's command line: the user's, plus -netdev/-device per NIC; shell quoting */
#ifndef TAPGATE_QEMUARGV_H
#define TAPGATE_QEMUARGV_H

#include <stdbool.h>
#include <stddef.h>

#include "mac.h"

/* One NIC as QEMU is told about it. */
struct qemu_nic {
	const int *fds;		/* fd numbers as QEMU will have them */
	size_t nfds;		/* 1: fd=K; more: a multiqueue TAP, fds=K1:K2:... */
	unsigned char mac[MAC_LEN];
};

/**
 * qemuargv_build() - QEMU's argv: the user's, then for NIC I
 *	-netdev tap,id=tapgateI,fd=K (fds=K1:K2:... for several queues)
 *	-device MODEL,netdev=tapgateI,mac=MAC (unless @no_device)
 *   with ",mq=on" on a multiqueue virtio-net model, and ",vectors=2N+2" too
 *   on virtio-net-pci (N queue pairs, plus one vector for config changes
 *   and one for the control queue: what the virtio-net docs ask for).
 * @user:	QEMU and its arguments, as the user gave them
 * @nuser:	how many (at least 1)
 * @nics:	the NICs, in -b order
 * @nnics:	how many
 * @model:	device model (ignored with @no_device)
 * @no_device:	add only the -netdev options
 *
 * The additions go after the user's arguments, so the user's options (and
 * QEMU's rule that a later option wins) cannot be changed by position.
 * Return: a NULL-terminated array of strings that the caller frees with
 * qemuargv_free(), or NULL when out of memory.
 */
char **qemuargv_build(char *const *user, size_t nuser,
		      const struct qemu_nic *nics, size_t nnics,
		      const char *model, bool no_device);

/* Free what qemuargv_build() returned; NULL is fine. */
void qemuargv_free(char **argv);

/**
 * qemuargv_quote() - @argv as one line a POSIX shell reads back the same:
 *		      words joined by spaces, each single-quoted unless made
 *		      only of characters no shell treats specially
 * Return: a string the caller frees, or NULL when out of memory.
 */
char *qemuargv_quote(char *const *argv);

#endif /* TAPGATE_QEMUARGV_H */
