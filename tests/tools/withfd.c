/* withfd.c - test tool: set up a hostile fd table, then execute a program */

/*
 * Usage: withfd [--spray N] [--close-stdio] [KIND:FD...] -- PROGRAM [ARGS...]
 *
 * KIND:FD settings apply in order, then --spray, then --close-stdio.
 *
 * Prepares the file descriptors PROGRAM inherits, then executes it
 * (nothing is printed on success, so PROGRAM's stdout and stderr are its
 * caller's):
 *
 *   KIND:FD       put a descriptor of KIND at number FD (not close-on-exec):
 *                   file      a regular file (/etc/passwd, read-only)
 *                   pipe      the read end of a pipe
 *                   listen    a listening AF_UNIX stream socket
 *                   unbound   an unconnected AF_UNIX stream socket
 *                   inet      an AF_INET UDP socket connected to 127.0.0.1:9
 *                             (connect(2) on UDP sends nothing)
 *                   closed    nothing: FD is closed
 *                   dup=SRC   a copy of descriptor SRC (to move the socket
 *                             given by getfd elsewhere: dup=4:0 closed:4)
 *   --spray N     N more descriptors of mixed kinds (/dev/null, pipe ends,
 *                 sockets, an eventfd, a regular file) at the lowest free
 *                 numbers; the soft RLIMIT_NOFILE is raised to the hard one
 *                 first so they fit
 *   --close-stdio close 0, 1 and 2 last
 *
 * Exit status: PROGRAM's; 125 when the set-up fails, 127 when PROGRAM
 * cannot be executed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "parse.h"

static void fatal(const char *what)
{
	fprintf(stderr, "withfd: %s: %s\n", what, strerror(errno));
	exit(125);
}

static void usage(void)
{
	fputs("usage: withfd [--spray N] [--close-stdio] [KIND:FD...] -- PROGRAM [ARGS...]\n",
	      stderr);
	exit(125);
}

/* Move @fd to @want (when it is not there already), without CLOEXEC. */
static void place(int fd, int want)
{
	if (fd < 0)
		fatal("cannot open a descriptor");
	if (want < 0 || fd == want)
		return;
	if (dup2(fd, want) < 0)
		fatal("dup2");
	close(fd);
}

static int unix_socket(void)
{
	return socket(AF_UNIX, SOCK_STREAM, 0);
}

static int make_listening(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = unix_socket();

	if (s < 0)
		fatal("socket");
	/* Abstract and unnamed (autobind): nothing appears on disk. */
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa_family_t)) < 0 ||
	    listen(s, 1) < 0)
		fatal("listen");
	return s;
}

static int make_inet(void)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(9),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		fatal("inet socket");
	return s;
}

static int make_pipe(int which)
{
	int p[2];

	if (pipe(p) < 0)
		fatal("pipe");
	close(p[!which]);
	return p[which];
}

static void put_kind(const char *spec)
{
	const char *colon = strchr(spec, ':');
	unsigned long fd;
	size_t klen;

	if (!colon || parse_ulong(colon + 1, 0, 1 << 20, &fd))
		usage();
	klen = (size_t)(colon - spec);
	if (!strncmp(spec, "dup=", 4)) {
		unsigned long src;
		char num[16];

		if (klen - 4 >= sizeof(num))
			usage();
		memcpy(num, spec + 4, klen - 4);
		num[klen - 4] = '\0';
		if (parse_ulong(num, 0, 1 << 20, &src) ||
		    dup2((int)src, (int)fd) < 0)
			fatal("dup");
		return;
	}
	if (!strncmp(spec, "closed", klen) && klen == 6) {
		close((int)fd);
		return;
	}
	if (!strncmp(spec, "file", klen) && klen == 4)
		place(open("/etc/passwd", O_RDONLY), (int)fd);
	else if (!strncmp(spec, "pipe", klen) && klen == 4)
		place(make_pipe(0), (int)fd);
	else if (!strncmp(spec, "listen", klen) && klen == 6)
		place(make_listening(), (int)fd);
	else if (!strncmp(spec, "unbound", klen) && klen == 7)
		place(unix_socket(), (int)fd);
	else if (!strncmp(spec, "inet", klen) && klen == 4)
		place(make_inet(), (int)fd);
	else
		usage();
}

static void spray(unsigned long n)
{
	struct rlimit rl;
	unsigned long i;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (i = 0; i < n; i++) {
		int fd;

		switch (i % 6) {
		case 0: fd = open("/dev/null", O_RDWR); break;
		case 1: fd = make_pipe(0); break;
		case 2: fd = make_pipe(1); break;
		case 3: fd = unix_socket(); break;
		case 4: fd = eventfd(0, 0); break;
		default: fd = open("/etc/passwd", O_RDONLY); break;
		}
		if (fd < 0)
			fatal("spray");
	}
}

int main(int argc, char **argv)
{
	unsigned long n = 0;
	int close_stdio = 0, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "--spray") && i + 1 < argc) {
			if (parse_ulong(argv[++i], 0, 1 << 20, &n))
				usage();
		} else if (!strcmp(argv[i], "--close-stdio")) {
			close_stdio = 1;
		} else {
			put_kind(argv[i]);
		}
	}
	if (i >= argc)
		usage();
	spray(n);
	if (close_stdio) {
		close(0);
		close(1);
		close(2);
	}
	execv(argv[i], argv + i);
	if (!close_stdio)
		fprintf(stderr, "withfd: cannot execute %s: %s\n", argv[i],
			strerror(errno));
	return 127;
}
