/* acl.c - the ACL: read tapgate.conf and its includes, decide who may use which bridge */

/*
 * Theory of operation
 *
 * The ACL is a strict superset of QEMU's bridge.conf: every file that
 * qemu-bridge-helper accepts means the same here, everything else it
 * accepted by accident (over-long names it truncated, junk it glued into a
 * bridge name) is an error. An error anywhere fails the whole ACL, so a typo
 * can never widen or narrow access silently.
 *
 * Loading is the only part that touches the system: files are opened as the
 * (already unprivileged) caller, trust-checked with fstat() on the opened fd,
 * and read line by line with a bounded reader that sees NUL bytes. User and
 * group names are looked up (NSS) only when a rule names one, once per name.
 * Everything else is a pure function of the parsed rules: acl_decide() walks
 * them in file order, so "default deny, deny wins" needs no precedence table.
 *
 * Functions that can fail return 0 or -errno; problems in the files are not
 * failures of the functions but records ("FILE:LINE: message").
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acl.h"
#include "parse.h"

/* Largest N in "limit N": far above any real host's TAP count, small
 * enough that a stray digit is caught. */
#define ACL_LIMIT_MAX 65535UL
/* Longest user or group name accepted (LOGIN_NAME_MAX on Linux). */
#define PRINCIPAL_NAME_MAX 256
/* Longest part of a word quoted in a message. */
#define SHOW_MAX 64

enum rule_kind { RULE_ALLOW, RULE_DENY, RULE_LIMIT };

/* Who a rule is for, ordered by specificity: a larger value is more
 * specific, which is how the port options' source is chosen. */
enum rule_scope { SCOPE_EVERYONE, SCOPE_GROUP, SCOPE_USER };

struct rule {
	enum rule_kind kind;
	enum rule_scope scope;
	id_t id;		/* uid or gid, for SCOPE_USER / SCOPE_GROUP */
	bool matches_nobody;	/* names an unknown user or group */
	bool all_bridges;	/* "all" */
	size_t bridge;		/* index into acl->bridges otherwise */
	unsigned long limit;	/* RULE_LIMIT */
	struct acl_port_opts opts; /* RULE_ALLOW */
	struct acl_origin origin;
};

/* Strings kept in order of first appearance, found by hash. */
struct strtab {
	char **str;
	size_t n, cap;
	size_t *slot;		/* index + 1; 0 is an empty slot */
	size_t nslot;		/* a power of two, at least 2 * n */
};

/* What a user or group name resolved to. */
struct lookup {
	int err;		/* 0: found; -ENOENT: unknown; else -errno */
	id_t id;
};

struct msgs {
	char **line;
	size_t n, cap;
};

struct acl {
	uid_t owner;		/* trusted owner of every file */
	struct rule *rule;
	size_t nrule, caprule;
	struct strtab bridges;
	struct strtab names;	/* "u:NAME" / "g:NAME", with lookup[] */
	struct lookup *lookup;
	size_t caplookup;
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

/* A port option an allow rule can carry. To add one: a field in struct
 * acl_port_opts, a setter here, a line in port_opts[], the man page. */
struct port_opt {
	const char *name;
	void (*set)(struct acl_port_opts *opts);
};

static void set_isolated(struct acl_port_opts *opts)
{
	opts->isolated = true;
}

static const struct port_opt port_opts[] = {
	{ "isolated", set_isolated },
};
#define N_PORT_OPTS (sizeof(port_opts) / sizeof(port_opts[0]))

/**
 * grow() - make room for @need elements in a growing array
 * @arr:	address of the array pointer
 * @cap:	its capacity, updated
 * @need:	elements needed
 * @size:	element size
 *
 * Return: 0, or -ENOMEM (the array is unchanged).
 */
static int grow(void *arr, size_t *cap, size_t need, size_t size)
{
	void **p = arr;
	size_t ncap = *cap ? *cap : 8;
	void *n;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			return -ENOMEM;
		ncap *= 2;
	}
	n = realloc(*p, ncap * size);
	if (!n)
		return -ENOMEM;
	*p = n;
	*cap = ncap;
	return 0;
}

static size_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (size_t)h;
}

/**
 * strtab_find() - index of @s in @t, or SIZE_MAX when absent
 */
static size_t strtab_find(const struct strtab *t, const char *s)
{
	size_t i;

	if (!t->nslot)
		return SIZE_MAX;
	for (i = hash(s) & (t->nslot - 1); t->slot[i];
	     i = (i + 1) & (t->nslot - 1))
		if (!strcmp(t->str[t->slot[i] - 1], s))
			return t->slot[i] - 1;
	return SIZE_MAX;
}

static void strtab_place(struct strtab *t, size_t idx)
{
	size_t i = hash(t->str[idx]) & (t->nslot - 1);

	while (t->slot[i])
		i = (i + 1) & (t->nslot - 1);
	t->slot[i] = idx + 1;
}

/**
 * strtab_add() - the index of @s in @t, adding a copy when absent
 * @t:		table
 * @s:		string
 * @added:	set to whether @s was new
 *
 * Return: index, or SIZE_MAX when out of memory.
 */
static size_t strtab_add(struct strtab *t, const char *s, bool *added)
{
	size_t idx = strtab_find(t, s);

	*added = false;
	if (idx != SIZE_MAX)
		return idx;
	if (grow(&t->str, &t->cap, t->n + 1, sizeof(*t->str)))
		return SIZE_MAX;
	if ((t->n + 1) * 2 > t->nslot) {
		size_t nslot = t->nslot ? t->nslot * 2 : 16, i;
		size_t *slot = calloc(nslot, sizeof(*slot));

		if (!slot)
			return SIZE_MAX;
		free(t->slot);
		t->slot = slot;
		t->nslot = nslot;
		for (i = 0; i < t->n; i++)
			strtab_place(t, i);
	}
	t->str[t->n] = strdup(s);
	if (!t->str[t->n])
		return SIZE_MAX;
	strtab_place(t, t->n);
	*added = true;
	return t->n++;
}

static void strtab_free(struct strtab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->str[i]);
	free(t->str);
	free(t->slot);
}

static void msgs_free(struct msgs *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->line[i]);
	free(m->line);
}

/* Quote a word from a file for a message: control bytes as \xNN (a
 * message must not carry terminal escapes), long words shortened. Only
 * the message is shortened; the word itself is judged whole. */
#define SHOW_BUF (SHOW_MAX * 4 + 4)

static const char *show(char out[SHOW_BUF], const char *word)
{
	const unsigned char *p = (const unsigned char *)word;
	char *o = out;
	size_t n;

	for (n = 0; *p && n < SHOW_MAX; p++, n++) {
		if (*p < 0x20 || *p == 0x7f)
			o += snprintf(o, 5, "\\x%02x", *p);
		else
			*o++ = (char)*p;
	}
	if (*p)
		o = stpcpy(o, "...");
	*o = '\0';
	return out;
}

/**
 * record() - keep a message as "FILE:LINE: text", or "FILE: text" when
 *	      @at has no line
 * @acl:	the ACL (out of memory is remembered in acl->oom)
 * @m:		&acl->errors or &acl->warnings
 * @at:		where
 * @fmt:	printf format of the text
 */
__attribute__((format(printf, 4, 5)))
static void record(struct acl *acl, struct msgs *m,
		   const struct acl_origin *at, const char *fmt, ...)
{
	char *text, *line;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (r < 0)
		goto oom;
	if (at->line)
		r = asprintf(&line, "%s:%u: %s", at->file, at->line, text);
	else
		r = asprintf(&line, "%s: %s", at->file, text);
	free(text);
	if (r < 0)
		goto oom;
	if (grow(&m->line, &m->cap, m->n + 1, sizeof(*m->line))) {
		free(line);
		goto oom;
	}
	m->line[m->n++] = line;
	return;
oom:
	acl->oom = true;
}

#define err_at(acl, at, ...) record(acl, &(acl)->errors, at, __VA_ARGS__)
#define warn_at(acl, at, ...) record(acl, &(acl)->warnings, at, __VA_ARGS__)

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
 * set_principal() - scope rule @r to "user=NAME" or "group=NAME"
 * @acl:	the ACL
 * @at:		the rule's line
 * @r:		the rule
 * @scope:	SCOPE_USER or SCOPE_GROUP
 * @name:	the text after '='
 *
 * A number is an id as is (no lookup). A name is looked up once per ACL;
 * an unknown one is a warning and the rule matches nobody.
 *
 * Return: 0, or -EINVAL when an error was recorded.
 */
static int set_principal(struct acl *acl, const struct acl_origin *at,
			 struct rule *r, enum rule_scope scope, const char *name)
{
	const char *what = scope == SCOPE_USER ? "user" : "group";
	const unsigned char *c;
	char s[SHOW_BUF];
	unsigned long v;
	char *key;
	size_t idx;
	bool added;

	if (r->scope != SCOPE_EVERYONE) {
		err_at(acl, at, "only one user= or group= per rule");
		return -EINVAL;
	}
	r->scope = scope;
	if (!*name) {
		err_at(acl, at, "'%s=' needs a name or a number", what);
		return -EINVAL;
	}
	if (all_digits(name)) {
		/* (id_t)-1 is "no id" to the kernel, never a real one. */
		if (parse_ulong(name, 0, (id_t)-2, &v)) {
			err_at(acl, at, "%s id '%s' is out of range", what,
			       show(s, name));
			return -EINVAL;
		}
		r->id = (id_t)v;
		return 0;
	}
	if (strlen(name) > PRINCIPAL_NAME_MAX) {
		err_at(acl, at, "invalid %s name '%s': longer than %d bytes",
		       what, show(s, name), PRINCIPAL_NAME_MAX);
		return -EINVAL;
	}
	for (c = (const unsigned char *)name; *c; c++) {
		if (*c < 0x20 || *c == 0x7f || *c == ':') {
			err_at(acl, at, "invalid %s name '%s': contains %s",
			       what, show(s, name),
			       *c == ':' ? "':'" : "a control character");
			return -EINVAL;
		}
	}

	if (asprintf(&key, "%c:%s", what[0], name) < 0) {
		acl->oom = true;
		return -ENOMEM;
	}
	idx = strtab_add(&acl->names, key, &added);
	free(key);
	if (idx == SIZE_MAX ||
	    grow(&acl->lookup, &acl->caplookup, acl->names.n,
		 sizeof(*acl->lookup))) {
		acl->oom = true;
		return -ENOMEM;
	}
	if (added)
		acl->lookup[idx].err = lookup_name(scope, name,
						   &acl->lookup[idx].id);

	if (acl->lookup[idx].err == -ENOENT) {
		warn_at(acl, at, "unknown %s '%s'; the rule matches nobody",
			what, show(s, name));
		r->matches_nobody = true;
		return 0;
	}
	if (acl->lookup[idx].err) {
		err_at(acl, at, "cannot look up %s '%s': %s", what,
		       show(s, name), strerror(-acl->lookup[idx].err));
		return -EINVAL;
	}
	r->id = acl->lookup[idx].id;
	return 0;
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
	char s[SHOW_BUF];
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
		for (i = 0; i < N_PORT_OPTS; i++)
			if (!strcmp(w, port_opts[i].name))
				break;
		if (i < N_PORT_OPTS) {
			if (r->kind != RULE_ALLOW) {
				err_at(acl, at,
				       "'%s' is a port option: only allow rules take it",
				       w);
				return -EINVAL;
			}
			if (seen[i]) {
				err_at(acl, at, "'%s' given twice", w);
				return -EINVAL;
			}
			seen[i] = true;
			port_opts[i].set(&r->opts);
			continue;
		}
		if (strchr(w, '='))
			err_at(acl, at, "unknown option '%s'", show(s, w));
		else
			err_at(acl, at, "extra argument '%s'", show(s, w));
		return -EINVAL;
	}
	return 0;
}

static void add_rule(struct acl *acl, const struct rule *r)
{
	if (grow(&acl->rule, &acl->caprule, acl->nrule + 1,
		 sizeof(*acl->rule))) {
		acl->oom = true;
		return;
	}
	acl->rule[acl->nrule++] = *r;
}

/* "allow|deny BRIDGE|all [user=NAME|group=NAME] [PORT-OPTION...]" */
static void parse_access(struct acl *acl, char **p,
			 const struct acl_origin *at, enum rule_kind kind)
{
	const char *verb = kind == RULE_ALLOW ? "allow" : "deny";
	struct rule r = { .kind = kind, .origin = *at };
	const char *why;
	char s[SHOW_BUF];
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
		err_at(acl, at, "invalid bridge name '%s': %s",
		       show(s, target), why);
		return;
	} else if (!strncmp(target, "user=", 5) ||
		   !strncmp(target, "group=", 6)) {
		/* Valid as an interface name, and QEMU reads it as one, so
		 * it stays a bridge name; but it is almost surely a slip. */
		warn_at(acl, at,
			"'%s' is taken as a bridge name; write '%s all %s' to scope the rule",
			show(s, target), verb, target);
	}
	if (parse_options(acl, p, at, &r))
		return;
	if (!r.all_bridges) {
		r.bridge = strtab_add(&acl->bridges, target, &added);
		if (r.bridge == SIZE_MAX) {
			acl->oom = true;
			return;
		}
	}
	add_rule(acl, &r);
}

/* "limit N [user=NAME|group=NAME]" */
static void parse_limit(struct acl *acl, char **p,
			const struct acl_origin *at)
{
	struct rule r = { .kind = RULE_LIMIT, .origin = *at };
	char s[SHOW_BUF];
	char *n;
	int ret;

	n = next_word(p);
	if (!n) {
		err_at(acl, at, "'limit' needs a number");
		return;
	}
	ret = parse_ulong(n, 0, ACL_LIMIT_MAX, &r.limit);
	if (ret == -ERANGE) {
		err_at(acl, at, "limit '%s' is out of range (0 to %lu)",
		       show(s, n), ACL_LIMIT_MAX);
		return;
	}
	if (ret) {
		err_at(acl, at, "invalid limit '%s': not a decimal number",
		       show(s, n));
		return;
	}
	if (parse_options(acl, p, at, &r))
		return;
	add_rule(acl, &r);
}

static void load_file(struct acl *acl, const char *path, unsigned depth,
		      const struct acl_origin *from);

/**
 * include_path() - @path as named by an include in @file: absolute, or
 *		    relative to @file's directory (never the working
 *		    directory: the caller chooses that)
 *
 * Return: a new string, or NULL when out of memory.
 */
static char *include_path(const char *file, const char *path)
{
	const char *slash = strrchr(file, '/');
	char *full;

	if (path[0] == '/' || !slash)
		return strdup(path);
	if (asprintf(&full, "%.*s/%s", (int)(slash - file), file, path) < 0)
		return NULL;
	return full;
}

/* "include PATH" */
static void parse_include(struct acl *acl, char **p,
			  const struct acl_origin *at, unsigned depth)
{
	char *path, *full;

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
	full = include_path(at->file, path);
	if (!full) {
		acl->oom = true;
		return;
	}
	load_file(acl, full, depth + 1, at);
	free(full);
}

static void parse_line(struct acl *acl, char *line,
		       const struct acl_origin *at, unsigned depth)
{
	char s[SHOW_BUF];
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
		err_at(acl, at, "unknown keyword '%s'", show(s, kw));
}

/**
 * parse_lines() - read @f line by line and parse each line
 * @acl:	the ACL
 * @f:		the stream
 * @file:	its name, owned by the ACL
 * @depth:	its include level
 *
 * A bounded reader instead of fgets(): fgets() splits long lines into
 * several and hides everything after a NUL byte from strlen(). Here a
 * line longer than ACL_LINE_MAX and a line with a NUL are errors.
 */
static void parse_lines(struct acl *acl, FILE *f, const char *file,
			unsigned depth)
{
	struct acl_origin at = { .file = file, .line = 0 };
	int c, read_err = 0;
	char *buf;

	/* One byte over the limit to hold a CR, one for the NUL. */
	buf = calloc(1, ACL_LINE_MAX + 2);
	if (!buf) {
		acl->oom = true;
		return;
	}
	do {
		bool too_long = false, nul = false;
		size_t len = 0;

		while ((c = getc_unlocked(f)) != EOF && c != '\n') {
			if (len > ACL_LINE_MAX)
				too_long = true;
			else
				buf[len++] = (char)c;
			if (!c)
				nul = true;
		}
		if (c == EOF && ferror(f))
			read_err = errno ? errno : EIO;
		if (c == EOF && !len)
			break;
		at.line++;
		if (!too_long && len && buf[len - 1] == '\r')
			len--;		/* CRLF */
		if (too_long || len > ACL_LINE_MAX) {
			err_at(acl, &at, "line longer than %d bytes",
			       ACL_LINE_MAX);
		} else if (nul) {
			err_at(acl, &at, "NUL byte in line");
		} else {
			buf[len] = '\0';
			parse_line(acl, buf, &at, depth);
		}
	} while (c != EOF);
	free(buf);

	if (read_err) {
		at.line = 0;
		err_at(acl, &at, "read error: %s", strerror(read_err));
	}
}

/**
 * keep_name() - a copy of @name owned by the ACL, for origins
 *
 * Return: the copy, or NULL when out of memory.
 */
static const char *keep_name(struct acl *acl, const char *name)
{
	char *copy;

	if (grow(&acl->file, &acl->capfile, acl->nfile + 1,
		 sizeof(*acl->file)))
		goto oom;
	copy = strdup(name);
	if (!copy)
		goto oom;
	acl->file[acl->nfile++] = copy;
	return copy;
oom:
	acl->oom = true;
	return NULL;
}

/**
 * trust_problem() - why the opened file @st must not be trusted, or NULL
 *
 * Checked on the opened fd, never on a path, so nothing can be swapped in
 * between the check and the read.
 */
static const char *trust_problem(const struct acl *acl, const struct stat *st,
				 char *buf, size_t size)
{
	if (!S_ISREG(st->st_mode))
		return "not a regular file";
	if (st->st_uid != acl->owner) {
		if (!acl->owner)
			return "not owned by root";
		snprintf(buf, size, "not owned by uid %u", (unsigned)acl->owner);
		return buf;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "writable by group or others";
	return NULL;
}

/**
 * load_file() - open, trust-check and parse one file
 * @acl:	the ACL
 * @path:	the file
 * @depth:	its include level (1 for the main file)
 * @from:	the include line that names it, or NULL for the main file
 *
 * Every problem is recorded, except the includes that are skipped.
 */
static void load_file(struct acl *acl, const char *path, unsigned depth,
		      const struct acl_origin *from)
{
	struct acl_origin at = { .file = path, .line = 0 };
	const char *why, *name;
	char ownbuf[48];
	char s[SHOW_BUF];
	struct stat st;
	unsigned i;
	FILE *f;
	int fd, err;

	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer; O_NOCTTY: a terminal must not become ours. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		/* QEMU's per-user scheme: "include /etc/qemu/alice.conf",
		 * mode 0640 root:alice, is for alice alone; everybody else
		 * gets EACCES, and a user without a file gets ENOENT. */
		if (from && (err == ENOENT || err == ENOTDIR || err == EACCES))
			return;
		if (from)
			err_at(acl, from, "cannot open include '%s': %s",
			       show(s, path), strerror(err));
		else
			err_at(acl, &at, "cannot open: %s", strerror(err));
		return;
	}
	if (fstat(fd, &st)) {
		err = errno;
		err_at(acl, &at, "cannot stat: %s", strerror(err));
		close(fd);
		return;
	}
	why = trust_problem(acl, &st, ownbuf, sizeof(ownbuf));
	if (why) {
		err_at(acl, &at, "%s", why);
		close(fd);
		return;
	}
	for (i = 0; i < acl->nopen; i++) {
		if (acl->open[i].dev == st.st_dev &&
		    acl->open[i].ino == st.st_ino) {
			err_at(acl, from ? from : &at,
			       "include cycle: '%s' is already being read",
			       show(s, path));
			close(fd);
			return;
		}
	}
	/* A regular file never blocks; clear the flag all the same so the
	 * reads below mean what they say. */
	if (fcntl(fd, F_SETFL, 0)) {
		err = errno;
		err_at(acl, &at, "cannot read: %s", strerror(err));
		close(fd);
		return;
	}
	name = keep_name(acl, path);
	f = name ? fdopen(fd, "r") : NULL;
	if (!f) {
		acl->oom = true;
		close(fd);
		return;
	}

	acl->open[acl->nopen].dev = st.st_dev;
	acl->open[acl->nopen].ino = st.st_ino;
	acl->nopen++;
	parse_lines(acl, f, name, depth);
	acl->nopen--;
	fclose(f);
}

struct acl *acl_new(void)
{
	return calloc(1, sizeof(struct acl));
}

void acl_free(struct acl *acl)
{
	size_t i;

	if (!acl)
		return;
	free(acl->rule);
	strtab_free(&acl->bridges);
	strtab_free(&acl->names);
	free(acl->lookup);
	for (i = 0; i < acl->nfile; i++)
		free(acl->file[i]);
	free(acl->file);
	msgs_free(&acl->errors);
	msgs_free(&acl->warnings);
	free(acl);
}

void acl_set_trusted_owner(struct acl *acl, uid_t uid)
{
	acl->owner = uid;
}

static bool acl_broken(const struct acl *acl)
{
	return acl->errors.n || acl->oom;
}

static int acl_status(const struct acl *acl)
{
	if (acl->oom)
		return -ENOMEM;
	return acl->errors.n ? -EINVAL : 0;
}

int acl_load(struct acl *acl, const char *path)
{
	load_file(acl, path, 1, NULL);
	return acl_status(acl);
}

int acl_parse_stream(struct acl *acl, FILE *f, const char *name,
		     unsigned depth)
{
	const char *kept = keep_name(acl, name);
	bool pushed = false;
	struct stat st;
	int fd;

	if (!kept)
		return -ENOMEM;
	if (depth < 1)
		depth = 1;
	/* A stream on a file takes part in cycle detection; one on memory
	 * (fmemopen) has no fd and cannot be included anyway. */
	fd = fileno(f);
	if (fd >= 0 && !fstat(fd, &st) && acl->nopen < ACL_INCLUDE_DEPTH) {
		acl->open[acl->nopen].dev = st.st_dev;
		acl->open[acl->nopen].ino = st.st_ino;
		acl->nopen++;
		pushed = true;
	}
	parse_lines(acl, f, kept, depth);
	if (pushed)
		acl->nopen--;
	return acl_status(acl);
}

size_t acl_nerrors(const struct acl *acl)
{
	return acl->errors.n + acl->oom;
}

const char *acl_error(const struct acl *acl, size_t i)
{
	if (i < acl->errors.n)
		return acl->errors.line[i];
	if (i == acl->errors.n && acl->oom)
		return "out of memory while reading the ACL";
	return NULL;
}

size_t acl_nwarnings(const struct acl *acl)
{
	return acl->warnings.n;
}

const char *acl_warning(const struct acl *acl, size_t i)
{
	return i < acl->warnings.n ? acl->warnings.line[i] : NULL;
}

const char *acl_bridge(const struct acl *acl, size_t i)
{
	return i < acl->bridges.n ? acl->bridges.str[i] : NULL;
}

/* Is @who among those @r is for? */
static bool in_scope(const struct rule *r, const struct acl_principal *who)
{
	size_t i;

	if (r->matches_nobody)
		return false;
	switch (r->scope) {
	case SCOPE_EVERYONE:
		return true;
	case SCOPE_USER:
		return who->uid == r->id;
	case SCOPE_GROUP:
		if (who->gid == r->id)
			return true;
		for (i = 0; i < who->ngroups; i++)
			if (who->groups[i] == r->id)
				return true;
		return false;
	}
	return false;
}

bool acl_limit(const struct acl *acl, const struct acl_principal *who,
	       unsigned long *limit, struct acl_origin *from)
{
	const struct rule *best = NULL;
	size_t i;

	if (acl_broken(acl))
		return false;
	for (i = 0; i < acl->nrule; i++) {
		const struct rule *r = &acl->rule[i];

		if (r->kind != RULE_LIMIT || !in_scope(r, who))
			continue;
		if (!best || r->limit < best->limit)
			best = r;	/* the lowest; the first of equals */
	}
	if (!best)
		return false;
	*limit = best->limit;
	*from = best->origin;
	return true;
}

int acl_decide(const struct acl *acl, const char *bridge,
	       const struct acl_principal *who, struct acl_decision *d)
{
	const struct rule *deny = NULL, *allow = NULL;
	size_t b, i;

	memset(d, 0, sizeof(*d));
	if (acl_broken(acl) || (bridge && ifname_problem(bridge)))
		return -EINVAL;

	/* No rule names SIZE_MAX: only "all" rules can match it. */
	b = bridge ? strtab_find(&acl->bridges, bridge) : SIZE_MAX;
	for (i = 0; i < acl->nrule; i++) {
		const struct rule *r = &acl->rule[i];

		if (r->kind == RULE_LIMIT)
			continue;
		if (!r->all_bridges && r->bridge != b)
			continue;
		if (!in_scope(r, who))
			continue;
		if (r->kind == RULE_DENY) {
			if (!deny)
				deny = r;
		} else if (!allow || r->scope >= allow->scope) {
			/* Most specific wins; ">=": the later of equals. */
			allow = r;
		}
	}

	if (deny) {
		d->decided_by = deny->origin;	/* deny wins */
	} else if (allow) {
		d->allowed = true;
		d->decided_by = allow->origin;
		d->opts = allow->opts;
		d->opts_from = allow->origin;
	}			/* else default deny: .file stays NULL */
	d->has_limit = acl_limit(acl, who, &d->limit, &d->limit_from);
	return 0;
}
