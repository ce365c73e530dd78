/* caller.c - who is calling: ids, groups and name, read from the process */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caller.h"
#include "log.h"

void caller_principal(struct acl_principal *who)
{
	gid_t *groups = NULL;
	int n = getgroups(0, NULL);

	if (n > 0) {
		groups = calloc((size_t)n, sizeof(*groups));
		if (!groups)
			die_errno(ENOMEM, "cannot read the caller's groups");
		n = getgroups(n, groups);
	}
	if (n < 0)
		die_errno(errno, "cannot read the caller's groups");
	who->uid = getuid();
	who->gid = getgid();
	who->groups = groups;
	who->ngroups = (size_t)n;
}

const char *caller_name(void)
{
	static char name[64];
	struct passwd *pw;

	if (name[0])
		return name;
	pw = getpwuid(getuid());
	if (pw && pw->pw_name && strlen(pw->pw_name) < sizeof(name) - 1)
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	else
		snprintf(name, sizeof(name), "uid %u", (unsigned)getuid());
	return name;
}
