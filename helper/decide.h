/* decide.h - step 4 of SPEC §3: the ACL's decision on a request, and the line that refuses it */
#ifndef TAPGATE_DECIDE_H
#define TAPGATE_DECIDE_H

#include "acl.h"

/* These steps die with a refusal line on failure (log.h), like main's. */

/**
 * decide() - load the ACL as the caller and decide on @bridge for @who
 * @bridge:	the bridge asked for (--br)
 * @d:		the decision; on return it keeps only values (its origins
 *		pointed into the ACL, which is freed, and are cleared)
 * @who:	the caller (caller_principal())
 *
 * Returns only when the bridge is allowed; decide_rule_at() then names the
 * rule that allowed it. Dies otherwise, saying which rule denied it, or
 * that none allowed it, or that the ACL is invalid.
 */
void decide(const char *bridge, struct acl_decision *d,
	    struct acl_principal *who);

/* "FILE:LINE" of the allow rule that decided, for later messages. */
const char *decide_rule_at(void);

/* Step 4, cont.: --iface-id=@id (or NULL) only as the deciding rule's
 * pattern allows, for the caller. */
void decide_iface_id(const char *id, const char *bridge,
		     const struct acl_decision *d);

#endif /* TAPGATE_DECIDE_H */
