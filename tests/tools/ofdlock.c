/* ofdlock.c - test tool: hold an open-file-description write lock on a file
 *
 * Usage: ofdlock PATH START LEN
 *
 * Opens PATH read-write, takes an F_OFD_SETLK write lock on LEN bytes from
 * START (LEN 0: to the end), prints "locked" and waits until killed; exit
 * status 1 with a message when the open or the lock fails. Used to show
 * that another user's locks on /dev/net/tun (which the helper once used
 * for its limit) refuse and delay nothing (test_policy_limits.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "parse.h"

int main(int argc, char **argv)
{
	unsigned long start, len;
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd;

	log_init("ofdlock");
	if (argc != 4 || parse_ulong(argv[2], 0, 1UL << 40, &start) ||
	    parse_ulong(argv[3], 0, 1UL << 40, &len))
		die("usage: ofdlock PATH START LEN");
	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die_errno(errno, "cannot open %s", argv[1]);
	l.l_start = (off_t)start;
	l.l_len = (off_t)len;
	if (fcntl(fd, F_OFD_SETLK, &l))
		die_errno(errno, "cannot lock %s", argv[1]);
	puts("locked");
	fflush(stdout);
	for (;;)
		pause();
}
