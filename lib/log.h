/* log.h - error reporting for short-lived programs: die(), warnx() */
#ifndef TAPGATE_LOG_H
#define TAPGATE_LOG_H

#include <stdnoreturn.h>

/**
 * log_init() - set the program name that prefixes every message
 * @prog:	name to print, e.g. "tapgate-helper"
 */
void log_init(const char *prog);

/**
 * log_prog() - the program name set by log_init()
 */
const char *log_prog(void);

/**
 * log_set_die_hook() - call @hook with the finished message before dying
 * @hook:	function that gets the message text (without program name or
 *		newline); used by the helper to copy refusals to syslog
 */
void log_set_die_hook(void (*hook)(const char *msg));

/* Print "PROG: MESSAGE" on stderr and exit(1). */
noreturn void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* As die(), with ": strerror(err)" appended; @err is a positive errno. */
noreturn void die_errno(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print "PROG: MESSAGE" on stderr and go on. */
void warnx(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif /* TAPGATE_LOG_H */
