/* audit.h - one syslog (LOG_AUTHPRIV) line for every grant and refusal */
#ifndef TAPGATE_AUDIT_H
#define TAPGATE_AUDIT_H

#include <stddef.h>
#include <sys/types.h>

/* Who asks for what: set as soon as it is known, used by every line. */
void audit_set_caller(uid_t uid, pid_t ppid);
void audit_set_bridge(const char *bridge);
void audit_set_tap(const char *tap);

/* "grant uid=U bridge=B tap=T ..." at LOG_NOTICE. */
void audit_grant(const char *detail);

/* "sweep uid=U ... tap=T: DETAIL" at LOG_NOTICE: --sweep deleted T. */
void audit_sweep(const char *detail);

/* "release uid=U ... tap=T: DETAIL" at LOG_NOTICE: --release removed T's
 * Open vSwitch rows, or found none. */
void audit_release(const char *detail);

/* "refuse uid=U bridge=B tap=T: MESSAGE" at LOG_WARNING; die()'s hook. */
void audit_refuse(const char *msg);

/**
 * audit_format() - build one syslog line (the part of emit() without I/O)
 * @line:	result, "<PRI>tapgate-helper[PID]: VERDICT FIELDS[: TEXT]"
 * @len:	room in @line; a longer line is cut
 * @prio:	LOG_NOTICE or LOG_WARNING
 * @verdict:	"grant" or "refuse"
 * @text:	free text after the fields, or NULL
 *
 * The fields come first, each "key=value" with no space in the value: the
 * bridge, which the caller chose, is quote_untrusted() (so "'br0'"); uid,
 * ppid and tap are numbers and a name the helper chose, "-" while unknown.
 * @text goes through quote_text(): no control byte, C1 control, bidi
 * control or invalid UTF-8 reaches the log, and a value the caller gave
 * in it was quoted where the message was made, so nothing in it reads as
 * a field. There is no timestamp: the daemon stamps each line as it
 * arrives (RFC 3164 lets a relay add a missing one; journald, rsyslog and
 * busybox syslogd do), so the helper never reads the timezone file.
 *
 * Return: the length of @line.
 */
int audit_format(char *line, size_t len, int prio, const char *verdict,
		 const char *text);

#endif /* TAPGATE_AUDIT_H */
