/* decide.c - step 4 of SPEC §3: the ACL's decision on a request, and the line that refuses it */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "acl.h"
#include "caller.h"
#include "decide.h"
#include "log.h"
#include "ovsport.h"
#include "quote.h"

/* "FILE:LINE" of the allow rule that decided, kept for later messages. */
static char allowed_by[PATH_MAX + 16];

/* Nothing after the decision needs the ACL, so it is freed here. */
void decide(const char *bridge, struct acl_decision *d,
	    struct acl_principal *who)
{
	struct acl *acl = acl_new();
	char why[1200], q[QUOTE_BUF];

	if (!acl)
		die_errno(ENOMEM, "cannot load the ACL");
	acl_set_bridge_probe(acl, ovsport_is_linux_bridge);
	if (acl_load(acl, TAPGATE_ACL_PATH)) {
		/* A failed load has recorded at least one error (out of
		 * memory is one too): acl_error(acl, 0) is never NULL. */
		snprintf(why, sizeof(why),
			 "%s (the ACL is invalid, so no bridge is allowed%s)",
			 acl_error(acl, 0),
			 acl_nerrors(acl) > 1 ?
			 "; tapgate-helper --check lists every error" : "");
	} else {
		acl_decide(acl, bridge, who, d);
		if (d->allowed) {
			snprintf(allowed_by, sizeof(allowed_by), "%s:%u",
				 d->decided_by.file, d->decided_by.line);
			acl_free(acl);
			d->decided_by.file = NULL;
			d->limit_from.file = NULL;
			return;
		}
		if (d->decided_by.file) {
			/* A deny whose user or group could not be resolved
			 * applies to everyone: say so, or the refusal of a
			 * user the rule does not name reads as a bug. */
			const char *unresolved =
				acl_unresolved(acl, &d->decided_by);

			snprintf(why, sizeof(why),
				 "bridge %s is denied for user %s by %s:%u%s%s%s",
				 quote_untrusted(q, bridge), caller_name(),
				 d->decided_by.file, d->decided_by.line,
				 unresolved ? " (" : "",
				 unresolved ? unresolved : "",
				 unresolved ? ": the rule fails closed)" : "");
		} else
			snprintf(why, sizeof(why),
				 "bridge %s is not allowed for user %s by %s",
				 quote_untrusted(q, bridge), caller_name(),
				 TAPGATE_ACL_PATH);
	}
	/* The message names the ACL's own strings: copy it, then free. */
	acl_free(acl);
	die("%s", why);
}

const char *decide_rule_at(void)
{
	return allowed_by;
}

/* Step 4, cont.: --iface-id only as the deciding rule's pattern allows. */
void decide_iface_id(const char *id, const char *bridge,
		     const struct acl_decision *d)
{
	char q[QUOTE_BUF];

	if (!id)
		return;
	if (!d->opts.iface_id[0])
		die("--iface-id=%s is not allowed: the rule at %s that allows "
		    "bridge %s has no iface-id= pattern", id, allowed_by,
		    quote_untrusted(q, bridge));
	if (!acl_iface_id_match(d->opts.iface_id, caller_name(), getuid(), id))
		die("--iface-id=%s does not match iface-id=%s (%s) for user %s",
		    id, d->opts.iface_id, allowed_by, caller_name());
}
