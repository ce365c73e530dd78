/* acl_parse.c - the ACL's parser: one line of tapgate.conf into a rule (lexer, keywords, options, principals) */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl_private.h"
#include "array.h"
#include "parse.h"
#include "quote.h"

/* Largest N in "limit N": far above any real host's TAP count, small
 * enough that a stray digit is caught. */
#define ACL_LIMIT_MAX 65535UL
/* Longest user or group name accepted (LOGIN_NAME_MAX on Linux). */
#define PRINCIPAL_NAME_MAX 256

/* A port option an allow rule can carry. To add one: a field in struct
 * acl_port_opts, a setter here, a line in port_opts[], the man page.
 * A name ending in '=' takes a value. A setter returns NULL, or why the
 * value is invalid. */
struct port_opt {
	const char *name;
	const char *(*set)(struct acl_port_opts *opts, const char *value);
};

static const char *set_isolated(struct acl_port_opts *opts, const char *value)
{
	opts->isolated = true;
	return NULL;
}

static const char *set_sealed(struct acl_port_opts *opts, const char *value)
{
	opts->sealed = true;
	return NULL;
}

static const char *set_vlan(struct acl_port_opts *opts, const char *value)
{
	unsigned long n;

	if (parse_ulong(value, 1, 4094, &n))
		return "must be a VLAN id from 1 to 4094";
	opts->vlan = (unsigned)n;
	return NULL;
}

/* Literal iface-id characters, %u, %U, and one '*' only at the end. */
static const char *set_iface_id(struct acl_port_opts *opts, const char *value)
{
	size_t len = strnlen(value, ACL_IFACE_PATTERN_MAX + 1);
	const char *c;

	if (!len)
		return "needs a pattern";
	if (len > ACL_IFACE_PATTERN_MAX)
		return "is longer than 64 bytes";
	for (c = value; *c; c++) {
		if (*c == '%') {
			if (c[1] != 'u' && c[1] != 'U')
				return "has a '%' that is not %u or %U";
			c++;
		} else if (*c == '*') {
			if (c[1])
				return "may have '*' only at its end";
		} else if (!iface_id_char((unsigned char)*c)) {
			return "has a character an iface-id cannot have";
		}
	}
	memcpy(opts->iface_id, value, len + 1);
	return NULL;
}

/* macguard locks a port that only a sealed one makes safe to lock: an
 * unsealed TAP's holder could move the guarded MAC with SIOCSIFHWADDR. */
static const char *set_macguard(struct acl_port_opts *opts, const char *value)
{
	opts->macguard = true;
	opts->sealed = true;
	return NULL;
}

static const struct port_opt port_opts[] = {
	{ "isolated", set_isolated },
	{ "sealed", set_sealed },
	{ "vlan=", set_vlan },
	{ "iface-id=", set_iface_id },
	{ "macguard", set_macguard },
};
#define N_PORT_OPTS (sizeof(port_opts) / sizeof(port_opts[0]))

static bool is_blank(char c)
{
	/* Space and tab separate words; CR, VT and FF are blanks too, as
	 * QEMU trims them (and the CR of a CRLF line end is one). */
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/**
 * next_word() - the next word of a line, NUL-terminated in place
 * @p:		cursor into the line, advanced past the word
 *
 * A '#' that starts a word starts a comment running to the end of the
 * line, so "# x" lines and "allow br0  # x" both work, while a '#' inside
 * a word is part of it (QEMU reads "br#1" as a name too).
 *
 * Return: the word, or NULL at the end of the line or at a comment.
 */
static char *next_word(char **p)
{
	char *s = *p, *w;

	while (is_blank(*s))
		s++;
	if (!*s || *s == '#') {
		*p = s;
		return NULL;
	}
	w = s;
	while (*s && !is_blank(*s))
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return w;
}

/**
 * rest_of_line() - the rest of a line, without a trailing comment and
 *		    without blanks at either end (an include path: QEMU
 *		    takes the whole rest of the line, spaces and all)
 * @p:		cursor into the line, moved to its end
 *
 * Return: the text, or NULL when nothing but blanks or a comment is left.
 */
static char *rest_of_line(char **p)
{
	char *s = *p, *end;

	while (is_blank(*s))
		s++;
	if (!*s || *s == '#') {
		*p = s;
		return NULL;
	}
	for (end = s + 1; *end; end++)
		if (*end == '#' && is_blank(end[-1]))
			break;
	while (is_blank(end[-1]))
		end--;
	*end = '\0';
	*p = end;
	return s;
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/**
 * lookup_name() - resolve a user or group name through NSS
 * @scope:	SCOPE_USER or SCOPE_GROUP
 * @name:	the name
 * @id:		set to the uid or gid when found
 *
 * Return: 0, -ENOENT when there is no such name, or -errno when the
 * lookup itself failed.
 */
static int lookup_name(enum rule_scope scope, const char *name, id_t *id)
{
	errno = 0;
	if (scope == SCOPE_USER) {
		const struct passwd *pw = getpwnam(name);

		if (pw) {
			*id = pw->pw_uid;
			return 0;
		}
	} else {
		const struct group *gr = getgrnam(name);

		if (gr) {
			*id = gr->gr_gid;
			return 0;
		}
	}
	/* getpwnam(3): "not found" may come as 0, ENOENT, ESRCH, EBADF or
	 * EPERM depending on the NSS module; anything else is a failure. */
	if (errno == 0 || errno == ENOENT || errno == ESRCH || errno == EBADF ||
	    errno == EPERM)
		return -ENOENT;
	return -errno;
}

/**
 * principal_name_rule() - check the text after "user=" or "group=": a
 *			   decimal id, or a name NSS could know
 * @acl:	the ACL
 * @at:		the rule's line
 * @what:	"user" or "group", for messages
 * @name:	the text
 * @numeric:	set to whether @name is an id (then @id is set, and there is
 *		nothing to look up)
 * @id:		the id
 *
 * Return: 0, or -EINVAL when an error was recorded.
 */
static int principal_name_rule(struct acl *acl, const struct acl_origin *at,
			       const char *what, const char *name,
			       bool *numeric, id_t *id)
{
	const unsigned char *c;
	char s[QUOTE_BUF];
	unsigned long v;

	*numeric = false;
	if (!*name) {
		err_at(acl, at, "'%s=' needs a name or a number", what);
		return -EINVAL;
	}
	if (all_digits(name)) {
		/* (id_t)-1 is "no id" to the kernel, never a real one. */
		if (parse_ulong(name, 0, (id_t)-2, &v)) {
			err_at(acl, at, "%s id %s is out of range", what,
			       quote_untrusted(s, name));
			return -EINVAL;
		}
		*numeric = true;
		*id = (id_t)v;
		return 0;
	}
	if (strlen(name) > PRINCIPAL_NAME_MAX) {
		err_at(acl, at, "invalid %s name %s: longer than %d bytes",
		       what, quote_untrusted(s, name), PRINCIPAL_NAME_MAX);
		return -EINVAL;
	}
	for (c = (const unsigned char *)name; *c; c++) {
		if (*c < 0x20 || *c == 0x7f || *c == ':') {
			err_at(acl, at, "invalid %s name %s: contains %s",
			       what, quote_untrusted(s, name),
			       *c == ':' ? "':'" : "a control character");
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * lookup_cached() - what @name resolved to, looking it up the first time
 *		     this ACL names it (as a user and as a group, a name is
 *		     two names)
 * @acl:	the ACL
 * @scope:	SCOPE_USER or SCOPE_GROUP
 * @name:	a name that passed principal_name_rule()
 *
 * Return: the result, or NULL when out of memory (acl->oom is set).
 */
static const struct lookup *lookup_cached(struct acl *acl,
					  enum rule_scope scope,
					  const char *name)
{
	const char *what = scope == SCOPE_USER ? "user" : "group";
	struct lookup *l;
	char s[QUOTE_BUF];
	char *key;
	size_t idx;
	bool added;
	int r;

	if (asprintf(&key, "%c:%s", what[0], name) < 0)
		goto oom;
	idx = strtab_add(&acl->names, key, &added);
	free(key);
	if (idx == SIZE_MAX)
		goto oom;
	if (!added) {
		if (idx < acl->nlookup)
			return &acl->lookup[idx];
		goto oom;	/* its lookup[] slot could not be made */
	}
	if (array_grow(&acl->lookup, &acl->caplookup, idx + 1,
		       sizeof(*acl->lookup)))
		goto oom;
	/* Slots an earlier allocation failure skipped: never "found". */
	for (; acl->nlookup < idx; acl->nlookup++)
		acl->lookup[acl->nlookup] =
			(struct lookup){ .err = -ENOMEM, .why = NULL };
	l = &acl->lookup[idx];
	l->why = NULL;
	l->err = lookup_name(scope, name, &l->id);
	acl->nlookup = idx + 1;
	if (!l->err)
		return l;
	/* Never "no such name" for a lookup that failed: an admin who reads
	 * that fixes a typo that is not there. */
	if (l->err == -ENOENT)
		r = asprintf(&l->why, "no such %s %s", what,
			     quote_untrusted(s, name));
	else
		r = asprintf(&l->why, "cannot look up %s %s: %s", what,
			     quote_untrusted(s, name), strerror(-l->err));
	if (r < 0) {
		l->why = NULL;
		goto oom;
	}
	return l;
oom:
	acl->oom = true;
	return NULL;
}

/**
 * set_principal() - scope rule @r to "user=NAME" or "group=NAME"
 * @acl:	the ACL
 * @at:		the rule's line
 * @r:		the rule
 * @scope:	SCOPE_USER or SCOPE_GROUP
 * @name:	the text after '='
 *
 * A number is an id as is (no lookup). A name is looked up once per ACL;
 * one that cannot be resolved, because NSS knows no such name or because
 * the lookup failed, leaves @r->unresolved set (see warn_unresolved()).
 *
 * Return: 0, or -EINVAL when an error was recorded.
 */
static int set_principal(struct acl *acl, const struct acl_origin *at,
			 struct rule *r, enum rule_scope scope, const char *name)
{
	const char *what = scope == SCOPE_USER ? "user" : "group";
	const struct lookup *found;
	bool numeric;

	if (r->scope != SCOPE_EVERYONE) {
		err_at(acl, at, "only one user= or group= per rule");
		return -EINVAL;
	}
	r->scope = scope;
	if (principal_name_rule(acl, at, what, name, &numeric, &r->id))
		return -EINVAL;
	if (numeric)
		return 0;

	found = lookup_cached(acl, scope, name);
	if (!found)
		return -ENOMEM;
	if (found->err)
		r->unresolved = found->why;
	else
		r->id = found->id;
	return 0;
}

/**
 * warn_unresolved() - say what a rule whose name could not be resolved
 *		       does instead: it fails closed, by its kind
 * @acl:	the ACL
 * @r:		the parsed rule
 * @target:	its bridge name as written, or "all"
 */
static void warn_unresolved(struct acl *acl, const struct rule *r,
			    const char *target)
{
	char s[QUOTE_BUF];

	if (!r->unresolved)
		return;
	if (r->kind == RULE_ALLOW)
		warn_at(acl, &r->origin, "%s; the allow rule allows nobody",
			r->unresolved);
	else if (r->kind == RULE_LIMIT)
		warn_at(acl, &r->origin,
			"%s; the limit fails closed and applies to everyone",
			r->unresolved);
	else if (r->all_bridges)
		warn_at(acl, &r->origin,
			"%s; the deny rule fails closed and denies every bridge to everyone",
			r->unresolved);
	else
		warn_at(acl, &r->origin,
			"%s; the deny rule fails closed and denies %s to everyone",
			r->unresolved, quote_untrusted(s, target));
}

/**
 * parse_options() - the words after a rule's argument: user=, group= and,
 *		     on allow rules, port options; each at most once
 * @acl:	the ACL
 * @p:		cursor into the line
 * @at:		the rule's line
 * @r:		the rule being built
 *
 * Return: 0, or -EINVAL when an error was recorded.
 */
static int parse_options(struct acl *acl, char **p,
			 const struct acl_origin *at, struct rule *r)
{
	bool seen[N_PORT_OPTS] = { false };
	char s[QUOTE_BUF];
	char *w;
	size_t i;

	while ((w = next_word(p))) {
		if (!strncmp(w, "user=", 5)) {
			if (set_principal(acl, at, r, SCOPE_USER, w + 5))
				return -EINVAL;
			continue;
		}
		if (!strncmp(w, "group=", 6)) {
			if (set_principal(acl, at, r, SCOPE_GROUP, w + 6))
				return -EINVAL;
			continue;
		}
		for (i = 0; i < N_PORT_OPTS; i++) {
			const char *name = port_opts[i].name;
			size_t len = strlen(name);

			if (name[len - 1] == '=' ? !strncmp(w, name, len)
						 : !strcmp(w, name))
				break;
		}
		if (i < N_PORT_OPTS) {
			const char *name = port_opts[i].name;
			size_t len = strlen(name);
			const char *why;

			if (r->kind != RULE_ALLOW) {
				err_at(acl, at,
				       "%s is a port option: only allow rules take it",
				       quote_untrusted(s, w));
				return -EINVAL;
			}
			if (seen[i]) {
				err_at(acl, at, "'%s' given twice", name);
				return -EINVAL;
			}
			seen[i] = true;
			why = port_opts[i].set(&r->opts, name[len - 1] == '=' ?
					       w + len : NULL);
			if (why) {
				err_at(acl, at, "invalid %.*s %s: it %s",
				       (int)len - 1, name,
				       quote_untrusted(s, w + len), why);
				return -EINVAL;
			}
			continue;
		}
		if (strchr(w, '='))
			err_at(acl, at, "unknown option %s", quote_untrusted(s, w));
		else
			err_at(acl, at, "extra argument %s", quote_untrusted(s, w));
		return -EINVAL;
	}
	return 0;
}

/* "allow|deny BRIDGE|all [user=NAME|group=NAME] [PORT-OPTION...]" */
static void parse_access(struct acl *acl, char **p,
			 const struct acl_origin *at, enum rule_kind kind)
{
	const char *verb = kind == RULE_ALLOW ? "allow" : "deny";
	struct rule r = { .kind = kind, .origin = *at };
	const char *why;
	char s[QUOTE_BUF];
	char *target;
	bool added;

	target = next_word(p);
	if (!target) {
		err_at(acl, at, "'%s' needs a bridge name or 'all'", verb);
		return;
	}
	if (!strcmp(target, "all")) {
		r.all_bridges = true;
	} else if ((why = ifname_problem(target))) {
		err_at(acl, at, "invalid bridge name %s: %s",
		       quote_untrusted(s, target), why);
		return;
	} else if (!strncmp(target, "user=", 5) ||
		   !strncmp(target, "group=", 6)) {
		/* Valid as an interface name, and QEMU reads it as one, so
		 * it stays a bridge name; but it is almost surely a slip. */
		warn_at(acl, at,
			"%s is taken as a bridge name; write '%s all %s' to scope the rule",
			quote_untrusted(s, target), verb, target);
	}
	if (parse_options(acl, p, at, &r))
		return;
	/* The Linux bridge has no VLAN filtering here yet: an admin must
	 * learn that when writing the rule, not when a VM starts. */
	if (r.opts.vlan && !r.all_bridges && acl->is_linux_bridge &&
	    acl->is_linux_bridge(target)) {
		err_at(acl, at, "vlan= is an Open vSwitch option, and %s is a Linux bridge",
		       quote_untrusted(s, target));
		return;
	}
	warn_unresolved(acl, &r, target);
	if (!r.all_bridges) {
		r.bridge = strtab_add(&acl->bridges, target, &added);
		if (r.bridge == SIZE_MAX) {
			acl->oom = true;
			return;
		}
	}
	acl_add_rule(acl, &r);
}

/* "limit N [user=NAME|group=NAME]" */
static void parse_limit(struct acl *acl, char **p,
			const struct acl_origin *at)
{
	struct rule r = { .kind = RULE_LIMIT, .origin = *at };
	char s[QUOTE_BUF];
	char *n;
	int ret;

	n = next_word(p);
	if (!n) {
		err_at(acl, at, "'limit' needs a number");
		return;
	}
	ret = parse_ulong(n, 0, ACL_LIMIT_MAX, &r.limit);
	if (ret == -ERANGE) {
		err_at(acl, at, "limit %s is out of range (0 to %lu)",
		       quote_untrusted(s, n), ACL_LIMIT_MAX);
		return;
	}
	if (ret) {
		err_at(acl, at, "invalid limit %s: not a decimal number",
		       quote_untrusted(s, n));
		return;
	}
	if (parse_options(acl, p, at, &r))
		return;
	warn_unresolved(acl, &r, NULL);
	acl_add_rule(acl, &r);
}

/* "include PATH" */
static void parse_include(struct acl *acl, char **p,
			  const struct acl_origin *at, unsigned depth)
{
	char *path;

	path = rest_of_line(p);
	if (!path) {
		err_at(acl, at, "'include' needs a path");
		return;
	}
	/* Checked before opening, so the verdict does not depend on who
	 * can read the deeper file. */
	if (depth >= ACL_INCLUDE_DEPTH) {
		err_at(acl, at, "include nested deeper than %d levels",
		       ACL_INCLUDE_DEPTH);
		return;
	}
	acl_load_file(acl, path, depth + 1, at);
}

void acl_parse_line(struct acl *acl, char *line, const struct acl_origin *at,
		    unsigned depth)
{
	char s[QUOTE_BUF];
	char *p = line, *kw;

	kw = next_word(&p);
	if (!kw)
		return;		/* blank or comment */
	if (!strcmp(kw, "allow"))
		parse_access(acl, &p, at, RULE_ALLOW);
	else if (!strcmp(kw, "deny"))
		parse_access(acl, &p, at, RULE_DENY);
	else if (!strcmp(kw, "limit"))
		parse_limit(acl, &p, at);
	else if (!strcmp(kw, "include"))
		parse_include(acl, &p, at, depth);
	else
		err_at(acl, at, "unknown keyword %s", quote_untrusted(s, kw));
}

