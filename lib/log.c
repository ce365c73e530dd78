/* log.c - error reporting: die(), warning(), and bad_input() for pure parsers */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "quote.h"

static const char *prog = "tapgate";
static void (*die_hook)(const char *msg);

void log_init(const char *name)
{
	prog = name;
}

const char *log_prog(void)
{
	return prog;
}

void log_set_die_hook(void (*hook)(const char *msg))
{
	die_hook = hook;
}

/*
 * Format the whole line first and write it with one write(2), so that a
 * message is never interleaved with another process's output on a shared
 * stderr (QEMU and libvirt read the helper's stderr as one line). The
 * message goes through quote_text(): the values a caller gave were quoted
 * where the message was made, and this catches whatever else reaches it
 * (a name from the kernel, say) before a terminal sees it.
 */
static void vreport(int err, const char *fmt, va_list ap, int fatal)
	__attribute__((format(printf, 2, 0)));

static void vreport(int err, const char *fmt, va_list ap, int fatal)
{
	char msg[1024];
	char safe[1024];
	char line[1200];
	int n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err) {
		size_t len = strlen(msg);

		snprintf(msg + len, sizeof(msg) - len, ": %s", strerror(err));
	}
	if (fatal && die_hook)
		die_hook(msg);
	quote_text(safe, sizeof(safe), msg);
	n = snprintf(line, sizeof(line), "%s: %s\n", prog, safe);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	if (n > 0 && write(STDERR_FILENO, line, n) < 0) {
		/* Nowhere left to report a failure to report. */
	}
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(0, fmt, ap, 1);
	va_end(ap);
	exit(1);
}

void die_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(err, fmt, ap, 1);
	va_end(ap);
	exit(1);
}

void warning(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vreport(0, fmt, ap, 0);
	va_end(ap);
	errno = saved;
}

int bad_input(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}
