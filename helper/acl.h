/* acl.h - the ACL: tapgate.conf (a strict superset of QEMU's bridge.conf) and its verdicts */
#ifndef TAPGATE_ACL_H
#define TAPGATE_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Longest accepted line, in bytes, without the line end. */
#define ACL_LINE_MAX 4096
/* Deepest include nesting: the main file is level 1. */
#define ACL_INCLUDE_DEPTH 8

struct acl;

/* Where a rule came from, for messages and for --check. */
struct acl_origin {
	const char *file;	/* path as named (owned by the acl) */
	unsigned line;		/* 1-based */
};

/* Who asks: the caller's real ids, as the process carries them. */
struct acl_principal {
	uid_t uid;
	gid_t gid;		/* real gid */
	const gid_t *groups;	/* supplementary groups */
	size_t ngroups;
};

/* Longest iface-id= pattern, in bytes. */
#define ACL_IFACE_PATTERN_MAX 64

/* Options an allow rule sets on the bridge port. */
struct acl_port_opts {
	bool isolated;		/* IFLA_BRPORT_ISOLATED (Linux bridges) */
	unsigned vlan;		/* vlan=N: Port.tag (Open vSwitch); 0: none */
	/* iface-id=PATTERN (Open vSwitch): which --iface-id a request may
	 * name; "" when the rule has none (then no --iface-id). */
	char iface_id[ACL_IFACE_PATTERN_MAX + 1];
	bool sealed;		/* the TAP in a netns of its own, a veth the
				 * bridge port (see seal.c) */
	bool macguard;		/* sealed, and the port locked to --mac */
};

struct acl_decision {
	bool allowed;
	/* Rule that decided: the deny that matched, else the allow; for a
	 * default deny, .file is NULL. */
	struct acl_origin decided_by;
	/* Port options, from the deciding allow rule (the most specific
	 * one that matches); none when denied. */
	struct acl_port_opts opts;
	/* Lowest applicable limit; has_limit false when none applies. */
	bool has_limit;
	unsigned long limit;
	struct acl_origin limit_from;
};

/**
 * acl_new() - an empty ACL (allows nothing), or NULL when out of memory
 */
struct acl *acl_new(void);

/**
 * acl_free() - release @acl and everything it owns; NULL is fine
 */
void acl_free(struct acl *acl);

/**
 * acl_set_trusted_owner() - the uid that ACL files must be owned by (the
 *			     directories and symlinks on the way may be
 *			     root's or this uid's)
 * @acl:	the ACL
 * @uid:	0 in production; unit tests running unprivileged use their uid
 */
void acl_set_trusted_owner(struct acl *acl, uid_t uid);

/**
 * acl_set_bridge_probe() - how the loader tells a Linux bridge: options
 *			    only Open vSwitch has (vlan=) are errors on a
 *			    rule that names one
 * @acl:	the ACL
 * @is_linux_bridge: true when @name is a Linux bridge now; NULL (the
 *		default) checks nothing at load time
 */
void acl_set_bridge_probe(struct acl *acl, bool (*is_linux_bridge)(const char *name));

/**
 * acl_iface_id_match() - does @id fit the iface-id= @pattern for the user
 *			  @user (uid @uid)?
 *
 * In @pattern, %u stands for @user and %U for @uid in decimal; a '*' at the
 * end matches any rest (possibly empty) of iface-id characters; everything
 * else is literal. An empty @pattern matches nothing.
 */
bool acl_iface_id_match(const char *pattern, const char *user, uid_t uid,
			const char *id);

/**
 * acl_load() - open, trust-check and parse @path and its includes, as the
 *		current (already unprivileged) user
 * @acl:	from acl_new()
 * @path:	the main ACL file; it must exist and be readable
 *
 * Each file is reached by a walk from "/" in which every directory and
 * symlink must be owned by root (or the trusted owner) and every directory
 * writable by nobody else; then the file is opened in the last directory
 * and checked with fstat(). A relative @path starts at the working
 * directory's real path, walked the same way.
 *
 * Return: 0 when the whole ACL is valid; -EINVAL when any error was
 * recorded (then acl_decide() allows nothing); -ENOMEM when memory ran out
 * (likewise, and acl_error() says so). Errors and warnings are kept as
 * "FILE:LINE: message" lines (see acl_error()). User and group names are
 * looked up (getpwnam/getgrnam) only when a rule names one.
 */
int acl_load(struct acl *acl, const char *path);

/**
 * acl_parse_stream() - parse one already-opened file's text
 * @acl:	the ACL
 * @f:		stream to read
 * @name:	its path, for messages; relative includes are resolved
 *		against its directory (a @name without '/' means the
 *		working directory)
 * @depth:	include level of this file (1 for the main file)
 *
 * Includes found in @f are loaded through the same checks as acl_load().
 * @f itself is not trust-checked: the caller opened it. For tests and
 * the fuzzer.
 * Return: 0, -EINVAL when an error was recorded, or -ENOMEM.
 */
int acl_parse_stream(struct acl *acl, FILE *f, const char *name,
		     unsigned depth);

/* Number of recorded errors and warnings, and each as "FILE:LINE: message"
 * (or "FILE: message" when no line applies). */
size_t acl_nerrors(const struct acl *acl);
const char *acl_error(const struct acl *acl, size_t i);
size_t acl_nwarnings(const struct acl *acl);
const char *acl_warning(const struct acl *acl, size_t i);

/**
 * acl_decide() - may @who put a TAP on @bridge?
 * @acl:	a loaded ACL; when it has errors, nothing is allowed
 * @bridge:	bridge name; NULL asks about a bridge that no rule names
 *		(what "all" rules and the default give), for --check
 * @who:	the caller
 * @d:		filled with the verdict and why
 *
 * Default deny; a matching deny wins over any allow, whatever the order.
 * Return: 0, or -EINVAL when the ACL has errors or @bridge is not a valid
 * interface name (then @d->allowed is false and @d->decided_by.file NULL).
 */
int acl_decide(const struct acl *acl, const char *bridge,
	       const struct acl_principal *who, struct acl_decision *d);

/**
 * acl_bridge() - the distinct bridge names the ACL mentions, in order of
 *		   first appearance ("all" is not a name); for --check
 * @acl:	the ACL
 * @i:		index
 *
 * Return: the @i-th name, or NULL past the end.
 */
const char *acl_bridge(const struct acl *acl, size_t i);

/* What acl_unsealed_beside() reports: a bridge that one allow rule grants
 * with a port option and another without it. */
struct acl_gap {
	const char *bridge;		/* a name, or NULL for "all" rules alone */
	struct acl_origin with;		/* the first rule that has the option */
	struct acl_origin without;	/* the first that grants it without */
};

/**
 * acl_unsealed_beside() - the bridges that some allow rule seals (or, with
 *			   @guard, guards with macguard) and another allow
 *			   rule grants without it, whoever the rules are for
 * @acl:	a loaded ACL
 * @guard:	look at macguard rather than sealed
 * @cb:		called once per such bridge, in the order the ACL names them;
 *		a gap made of "all" rules alone comes last, bridge NULL
 * @data:	for @cb
 *
 * Such a bridge is only as safe as its weakest port: an unsealed one can
 * still blackhole any MAC on it, an unguarded one send from any MAC. Allow
 * rules that apply to nobody (an unresolvable user or group) are left out.
 * One pass over the rules: O(rules + bridges).
 * Return: the number of calls made, or -ENOMEM.
 */
int acl_unsealed_beside(const struct acl *acl, bool guard,
			void (*cb)(const struct acl_gap *gap, void *data),
			void *data);

/**
 * acl_unresolved() - why the rule at @o failed closed, or NULL
 * @acl:	the ACL
 * @o:		a rule's origin, as acl_decide() or acl_limit() gave it
 *
 * A rule whose user or group name could not be resolved applies by its
 * kind: an allow to nobody, a deny and a limit to everyone. For the
 * messages that name such a rule as the one that decided.
 * Return: "no such group 'lab'" or "cannot look up group 'lab': <error>"
 * (owned by @acl), or NULL when the rule's scope was resolved.
 */
const char *acl_unresolved(const struct acl *acl, const struct acl_origin *o);

/**
 * acl_limit() - the lowest limit that applies to @who, if any
 * @acl:	the ACL
 * @who:	the caller
 * @limit:	set to the limit
 * @from:	set to the rule that set it
 *
 * Return: true when a limit applies (never when the ACL has errors).
 */
bool acl_limit(const struct acl *acl, const struct acl_principal *who,
	       unsigned long *limit, struct acl_origin *from);

#endif /* TAPGATE_ACL_H */
