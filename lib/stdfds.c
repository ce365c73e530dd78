/* stdfds.c - fds 0-2 open before a program opens anything else */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "stdfds.h"

int stdfds_open(void)
{
	int fd;

	for (fd = 0; fd <= STDERR_FILENO; fd++) {
		int nul;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* The lowest free number: @fd itself, as 0..fd-1 are open. */
		nul = open("/dev/null", O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (nul < 0)
			return -errno;
		if (nul != fd) {
			int r = dup2(nul, fd) < 0 ? -errno : 0;

			close(nul);
			if (r)
				return r;
		}
		/* Inherited by what we exec (QEMU's stdio): not O_CLOEXEC. */
		if (fcntl(fd, F_SETFD, 0) < 0)
			return -errno;
	}
	return 0;
}
