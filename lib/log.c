/* log.c - error reporting for short-lived programs: die(), warnx() */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

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
 * stderr (QEMU and libvirt read the helper's stderr as one line).
 */
static void vreport(int err, const char *fmt, va_list ap, int fatal)
	__attribute__((format(printf, 2, 0)));

static void vreport(int err, const char *fmt, va_list ap, int fatal)
{
	char msg[1024];
	char line[1200];
	int n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err) {
		size_t len = strlen(msg);

		snprintf(msg + len, sizeof(msg) - len, ": %s", strerror(err));
	}
	if (fatal && die_hook)
		die_hook(msg);
	n = snprintf(line, sizeof(line), "%s: %s\n", prog, msg);
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

void warnx(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vreport(0, fmt, ap, 0);
	va_end(ap);
	errno = saved;
}
