/* audit.c - one syslog (LOG_AUTHPRIV) line for every grant and refusal */
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "audit.h"

static struct {
	uid_t uid;
	pid_t ppid;
	int known;
	char bridge[64];
	char tap[16];
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

/*
 * The bridge name has been validated before it is recorded here (no
 * control bytes, no spaces), so a line cannot be forged by the caller.
 * No syslog daemon is not an error: syslog(3) then drops the line.
 */
static void emit(int prio, const char *verdict, const char *text)
{
	if (!who.known)
		return;
	openlog("tapgate-helper", LOG_PID, LOG_AUTHPRIV);
	syslog(LOG_AUTHPRIV | prio, "%s uid=%u ppid=%d bridge=%s tap=%s%s%s",
	       verdict, (unsigned)who.uid, (int)who.ppid,
	       who.bridge[0] ? who.bridge : "-", who.tap[0] ? who.tap : "-",
	       text ? ": " : "", text ? text : "");
	closelog();
}

void audit_grant(const char *detail)
{
	emit(LOG_NOTICE, "grant", detail);
}

void audit_refuse(const char *msg)
{
	emit(LOG_WARNING, "refuse", msg);
}
