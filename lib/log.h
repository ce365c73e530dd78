/* log.h - error reporting: die(), warning(), and bad_input() for pure parsers */
#ifndef TAPGATE_LOG_H
#define TAPGATE_LOG_H

#include <stddef.h>
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

/* Print "PROG: MESSAGE" on stderr and exit(1). The message goes through
 * quote_text() first, whatever it holds. */
noreturn void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* As die(), with ": strerror(err)" appended; @err is a positive errno. */
noreturn void die_errno(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print "PROG: MESSAGE" on stderr and go on. (Not warnx: that is
 * glibc's <err.h> function, which this one would shadow.) */
void warning(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/**
 * bad_input() - the error tier of a pure parser: say why, return -EINVAL
 * @err:	buffer for one sentence a user can act on
 * @errlen:	room in @err; the sentence is cut to fit
 * @fmt:	printf format; untrusted values go through quote_untrusted()
 *
 * Return: -EINVAL, so that a parser can "return bad_input(err, errlen, ...)".
 */
int bad_input(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* TAPGATE_LOG_H */
