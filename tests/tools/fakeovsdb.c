/* fakeovsdb.c - test tool: a hostile OVSDB server on a unix socket, one misbehaviour per run */

/*
 * Usage: fakeovsdb PATH MODE
 *
 * Listens on the unix socket PATH (mode 0700, as root's is), prints
 * "ready", and answers each connection's first request the MODE way:
 *   garbage   "}{", which is not JSON
 *   huge      a JSON string that never ends, 2 MiB of it, then waits
 *   deep      a reply nested 100 levels deep
 *   error     {"id":ID,"result":null,"error":"boom"}
 *   silent    nothing: reads and keeps the connection open
 *   close     closes the connection at once
 *   wrongid   a well-formed reply to another id, then nothing
 * It serves connections one after the other, until killed. Exit status: 1 on a set-up error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static void send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* The request's "id" value, as text ("0" when not found). */
static void request_id(const char *req, char *id, size_t len)
{
	const char *p = strstr(req, "\"id\":");
	size_t n = 0;

	snprintf(id, len, "0");
	if (!p)
		return;
	for (p += 5; n + 1 < len && *p >= '0' && *p <= '9'; p++)
		id[n++] = *p;
	if (n)
		id[n] = '\0';
}

static void serve(int c, const char *mode)
{
	char req[65536], id[32], out[512];
	ssize_t n = read(c, req, sizeof(req) - 1);
	size_t i;

	if (n <= 0)
		return;
	req[n] = '\0';
	request_id(req, id, sizeof(id));
	if (!strcmp(mode, "garbage")) {
		send_all(c, "}{", 2);
	} else if (!strcmp(mode, "huge")) {
		static char chunk[65536];

		memset(chunk, 'a', sizeof(chunk));
		send_all(c, "{\"id\":", 6);
		send_all(c, id, strlen(id));
		send_all(c, ",\"result\":\"", 11);
		for (i = 0; i < 32; i++)
			send_all(c, chunk, sizeof(chunk));
	} else if (!strcmp(mode, "deep")) {
		int k = snprintf(out, sizeof(out), "{\"id\":%s,\"error\":null,\"result\":", id);

		send_all(c, out, (size_t)k);
		for (i = 0; i < 100; i++)
			send_all(c, "[", 1);
		for (i = 0; i < 100; i++)
			send_all(c, "]", 1);
		send_all(c, "}", 1);
	} else if (!strcmp(mode, "error")) {
		int k = snprintf(out, sizeof(out),
				 "{\"id\":%s,\"result\":null,\"error\":\"boom\"}", id);

		send_all(c, out, (size_t)k);
	} else if (!strcmp(mode, "wrongid")) {
		send_all(c, "{\"id\":999999,\"result\":[],\"error\":null}", 39);
	} else if (!strcmp(mode, "close")) {
		return;
	}
	/* silent, and after the others: keep the connection open. */
	while (read(c, req, sizeof(req)) > 0)
		;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s;

	if (argc != 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: fakeovsdb PATH MODE\n");
		return 2;
	}
	memcpy(sa.sun_path, argv[1], strlen(argv[1]) + 1);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	umask(077);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) || listen(s, 8)) {
		fprintf(stderr, "fakeovsdb: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	/* One client at a time: each request of a test is one helper. */
	for (;;) {
		int c = accept(s, NULL, NULL);

		if (c < 0)
			continue;
		serve(c, argv[2]);
		close(c);
	}
}
