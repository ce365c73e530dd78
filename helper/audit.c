/* audit.c - one syslog (LOG_AUTHPRIV) line for every grant and refusal */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "audit.h"
#include "quote.h"

#define AUDIT_TAG "tapgate-helper"
#define LOG_SOCKET "/dev/log"

static struct {
	uid_t uid;
	pid_t ppid;
	int known;
	char bridge[64];	/* as the caller gave it (validated) */
	char tap[16];		/* chosen by the helper */
} who;

void audit_set_caller(uid_t uid, pid_t ppid)
{
	who.uid = uid;
	who.ppid = ppid;
	who.known = 1;
}

void audit_set_bridge(const char *bridge)
{
	snprintf(who.bridge, sizeof(who.bridge), "%s", bridge);
}

void audit_set_tap(const char *tap)
{
	snprintf(who.tap, sizeof(who.tap), "%s", tap);
}

/**
 * send_line() - hand one line to the local syslog daemon
 * @line:	the whole message, "<PRI>TAG[PID]: text", NUL-terminated
 * @len:	its length without the NUL
 *
 * What syslog(3) does, minus what the helper does not need: one socket,
 * one connect, one send, close. A datagram socket first (journald, rsyslog,
 * busybox syslogd); a daemon listening on a stream socket answers the
 * connect with EPROTOTYPE, and then the line goes over a stream with its
 * NUL as the frame end, as glibc sends it. The send blocks like syslog(3)'s
 * when the daemon is behind, rather than drop an audit line. No daemon
 * (ENOENT, ECONNREFUSED) is not an error: the line is dropped.
 */
static void send_line(const char *line, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int type = SOCK_DGRAM;

	memcpy(sa.sun_path, LOG_SOCKET, sizeof(LOG_SOCKET));
	for (;;) {
		int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
		int err;

		if (fd < 0)
			return;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			size_t n = type == SOCK_STREAM ? len + 1 : len;

			while (send(fd, line, n, MSG_NOSIGNAL) < 0 &&
			       errno == EINTR)
				;
			close(fd);
			return;
		}
		err = errno;
		close(fd);
		if (err != EPROTOTYPE || type == SOCK_STREAM)
			return;
		type = SOCK_STREAM;
	}
}

int audit_format(char *line, size_t len, int prio, const char *verdict,
		 const char *text)
{
	char br[QUOTE_BUF], safe[1024];
	int n;

	n = snprintf(line, len,
		     "<%d>" AUDIT_TAG "[%d]: %s uid=%u ppid=%d bridge=%s tap=%s%s%s",
		     LOG_AUTHPRIV | prio, (int)getpid(), verdict,
		     (unsigned)who.uid, (int)who.ppid,
		     who.bridge[0] ? quote_untrusted(br, who.bridge) : "-",
		     who.tap[0] ? who.tap : "-", text ? ": " : "",
		     text ? quote_text(safe, sizeof(safe), text) : "");
	if (n < 0)
		return 0;
	return (size_t)n >= len ? (int)len - 1 : n;
}

static void emit(int prio, const char *verdict, const char *text)
{
	char line[1400];
	int n;

	if (!who.known)
		return;
	n = audit_format(line, sizeof(line), prio, verdict, text);
	if (n > 0)
		send_line(line, (size_t)n);
}

void audit_grant(const char *detail)
{
	emit(LOG_NOTICE, "grant", detail);
}

void audit_sweep(const char *detail)
{
	emit(LOG_NOTICE, "sweep", detail);
}

void audit_release(const char *detail)
{
	emit(LOG_NOTICE, "release", detail);
}

void audit_refuse(const char *msg)
{
	emit(LOG_WARNING, "refuse", msg);
}
