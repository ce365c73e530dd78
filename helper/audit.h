/* audit.h - one syslog (LOG_AUTHPRIV) line for every grant and refusal */
#ifndef TAPGATE_AUDIT_H
#define TAPGATE_AUDIT_H

#include <sys/types.h>

/* Who asks for what: set as soon as it is known, used by every line. */
void audit_set_caller(uid_t uid, pid_t ppid);
void audit_set_bridge(const char *bridge);
void audit_set_tap(const char *tap);

/* "grant uid=U bridge=B tap=T ..." at LOG_NOTICE. */
void audit_grant(const char *detail);

/* "refuse uid=U bridge=B tap=T: MESSAGE" at LOG_WARNING; die()'s hook. */
void audit_refuse(const char *msg);

#endif /* TAPGATE_AUDIT_H */
