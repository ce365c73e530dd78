/* acl_private.h - what the ACL's model (acl.c), parser (acl_parse.c) and file layer (acl_file.c) share */
#ifndef TAPGATE_ACL_PRIVATE_H
#define TAPGATE_ACL_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "acl.h"
#include "strtab.h"

enum rule_kind { RULE_ALLOW, RULE_DENY, RULE_LIMIT };

/* Who a rule is for, ordered by specificity: a larger value is more
 * specific, which is how the port options' source is chosen. */
enum rule_scope { SCOPE_EVERYONE, SCOPE_GROUP, SCOPE_USER };

struct rule {
	enum rule_kind kind;
	enum rule_scope scope;
	id_t id;		/* uid or gid, for SCOPE_USER / SCOPE_GROUP */
	/* Why its user or group name could not be resolved, or NULL (owned
	 * by acl->lookup[]). Such a rule fails closed, by its kind: an
	 * allow applies to nobody, a deny and a limit to everyone. */
	const char *unresolved;
	bool all_bridges;	/* "all" */
	size_t bridge;		/* index into acl->bridges otherwise */
	unsigned long limit;	/* RULE_LIMIT */
	struct acl_port_opts opts; /* RULE_ALLOW */
	struct acl_origin origin;
};

/* What a user or group name resolved to. */
struct lookup {
	int err;		/* 0: found; -ENOENT: unknown; else -errno */
	id_t id;
	/* When err: "no such user 'x'" or "cannot look up user 'x':
	 * <strerror>", for messages and acl_unresolved(). */
	char *why;
};

struct msgs {
	char **line;
	size_t n, cap;
};

struct acl {
	uid_t owner;		/* trusted owner of every file */
	bool (*is_linux_bridge)(const char *name); /* or NULL */
	struct rule *rule;
	size_t nrule, caprule;
	struct strtab bridges;
	struct strtab names;	/* "u:NAME" / "g:NAME", with lookup[] */
	struct lookup *lookup;	/* lookup[i] is names.str[i]'s, i < nlookup */
	size_t nlookup, caplookup;
	char **file;		/* every file read, for origins */
	size_t nfile, capfile;
	struct msgs errors, warnings;
	/* Files being read, outermost first: an include that opens one of
	 * them again is a cycle. Compared by device and inode because one
	 * file has many names (symlinks, "./", "../x/"). */
	struct { dev_t dev; ino_t ino; } open[ACL_INCLUDE_DEPTH];
	unsigned nopen;
	bool oom;		/* an allocation failed: the ACL is unusable */
};

/* --- acl.c: the model -------------------------------------------------- */

/**
 * acl_record() - keep a message as "FILE:LINE: text", or "FILE: text"
 *		  when @at has no line
 * @acl:	the ACL (out of memory is remembered in acl->oom)
 * @m:		&acl->errors or &acl->warnings
 * @at:		where
 * @fmt:	printf format of the text
 */
__attribute__((format(printf, 4, 5)))
void acl_record(struct acl *acl, struct msgs *m, const struct acl_origin *at,
		const char *fmt, ...);

#define err_at(acl, at, ...) acl_record(acl, &(acl)->errors, at, __VA_ARGS__)
#define warn_at(acl, at, ...) acl_record(acl, &(acl)->warnings, at, __VA_ARGS__)

/**
 * acl_add_rule() - append a copy of @r (out of memory sets acl->oom)
 */
void acl_add_rule(struct acl *acl, const struct rule *r);

/**
 * acl_status() - 0, -EINVAL when an error was recorded, or -ENOMEM
 */
int acl_status(const struct acl *acl);

/* --- acl_parse.c: the parser ------------------------------------------- */

/**
 * acl_parse_line() - parse one line (without its line end) into rules
 * @acl:	the ACL
 * @line:	the line, modified in place
 * @at:		where it is
 * @depth:	include level of its file
 */
void acl_parse_line(struct acl *acl, char *line, const struct acl_origin *at,
		    unsigned depth);

/* --- acl_file.c: the file layer ---------------------------------------- */

/**
 * acl_load_file() - open, trust-check and parse one file
 * @acl:	the ACL
 * @name:	the main file's path, or an include's PATH as written (a
 *		relative one is relative to @from's file's directory)
 * @depth:	its include level (1 for the main file)
 * @from:	the include line that names it, or NULL for the main file
 *
 * Every problem is recorded, except the includes that are skipped.
 */
void acl_load_file(struct acl *acl, const char *path, unsigned depth,
		   const struct acl_origin *from);

#endif /* TAPGATE_ACL_PRIVATE_H */
