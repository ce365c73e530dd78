/* fdpass.h - passing file descriptors over an AF_UNIX socket (SCM_RIGHTS) */
#ifndef TAPGATE_FDPASS_H
#define TAPGATE_FDPASS_H

#include <stddef.h>

/* The one bound on queues, for both programs: the helper's --queues, the
 * launcher's -q, and so the most fds one message carries. */
#define QUEUES_MAX 16

/**
 * fd_send() - send @n fds in one message: a 1-byte payload and one
 *	       SCM_RIGHTS control message (what QEMU's and libvirt's
 *	       bridge-helper readers expect)
 * @sock:	connected AF_UNIX socket
 * @fds:	descriptors to send
 * @n:		how many, 1 to QUEUES_MAX
 *
 * Return: 0 or -errno (-EINVAL for a bad @n).
 */
int fd_send(int sock, const int *fds, size_t n);

/**
 * fd_recv() - receive one message carrying up to @max fds
 * @sock:	AF_UNIX socket
 * @fds:	where to store the descriptors (received with O_CLOEXEC)
 * @max:	room in @fds, 1 to QUEUES_MAX
 * @n:		set to the number received
 *
 * Return: 0 when a message with at least one fd arrived; -EPIPE when the
 * peer closed without sending; -EPROTO when the message had no fds, was
 * truncated (more fds than @max: all are closed), or carried other control
 * data; other -errno from recvmsg(2).
 */
int fd_recv(int sock, int *fds, size_t max, size_t *n);

/**
 * fd_check_unix_connected() - is @fd a connected AF_UNIX socket?
 * @fd:		descriptor to check
 *
 * Return: 0 when it is; -EBADF when @fd is not open; -ENOTSOCK when it is
 * not a socket; -EAFNOSUPPORT when it is not AF_UNIX; -ENOTCONN when it has
 * no peer (listening or unconnected).
 */
int fd_check_unix_connected(int fd);

#endif /* TAPGATE_FDPASS_H */
