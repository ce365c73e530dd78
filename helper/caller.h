/* caller.h - who is calling: ids, groups and name, read from the process */
#ifndef TAPGATE_CALLER_H
#define TAPGATE_CALLER_H

#include "acl.h"

/* Fill @who with the process's real uid/gid and supplementary groups
 * (who->groups is allocated: free() it). Dies when they cannot be read. */
void caller_principal(struct acl_principal *who);

/* The real user's name for messages ("uid N" when it has none); looks the
 * name up only when first asked, so a grant needs no NSS lookup. */
const char *caller_name(void);

#endif /* TAPGATE_CALLER_H */
