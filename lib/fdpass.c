/* fdpass.c - passing file descriptors over an AF_UNIX socket (SCM_RIGHTS) */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fdpass.h"

int fd_send(int sock, const int *fds, size_t n)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * QUEUES_MAX)];
		struct cmsghdr align;
	} u;
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = CMSG_SPACE(sizeof(int) * n),
	};
	struct cmsghdr *cmsg;
	ssize_t r;

	if (n < 1 || n > QUEUES_MAX)
		return -EINVAL;
	memset(u.buf, 0, sizeof(u.buf));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * n);

	do
		r = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r == 1 ? 0 : -EIO;
}

static void close_cmsg_fds(struct msghdr *msg)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		size_t i, k;
		int fd;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < k; i++) {
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			close(fd);
		}
	}
}

int fd_recv(int sock, int *fds, size_t max, size_t *n)
{
	union {
		/* Room for more than asked, so that extra fds are seen. */
		char buf[CMSG_SPACE(sizeof(int) * (QUEUES_MAX + 1))];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	size_t got = 0;
	int bad = 0;
	ssize_t r;

	if (max < 1 || max > QUEUES_MAX)
		return -EINVAL;
	do
		r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0 && msg.msg_controllen == 0)
		return -EPIPE;
	if (msg.msg_flags & MSG_CTRUNC) {
		close_cmsg_fds(&msg);
		return -EPROTO;
	}
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		size_t k;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
			bad = 1;
			continue;
		}
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (got + k > max) {
			bad = 1;
			continue;
		}
		memcpy(fds + got, CMSG_DATA(c), k * sizeof(int));
		got += k;
	}
	if (bad || got == 0) {
		close_cmsg_fds(&msg);
		return -EPROTO;
	}
	*n = got;
	return 0;
}

int fd_check_unix_connected(int fd)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	int domain;
	socklen_t dlen = sizeof(domain);
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &dlen) < 0)
		return -errno;
	if (domain != AF_UNIX)
		return -EAFNOSUPPORT;
	/*
	 * A listening or unconnected AF_UNIX socket has no peer: sending the
	 * TAP there would fail late, after the TAP was made.
	 */
	if (getpeername(fd, (struct sockaddr *)&peer, &len) < 0)
		return -errno;
	return 0;
}
