/* acl.c - the ACL's model and verdicts: who may use which bridge, and how many TAPs */

/*
 * Theory of operation
 *
 * The ACL is a strict superset of QEMU's bridge.conf: every file that
 * qemu-bridge-helper accepts means the same here, everything else it
 * accepted by accident (over-long names it truncated, junk it glued into a
 * bridge name) is an error. An error anywhere fails the whole ACL, so a typo
 * can never widen or narrow access silently.
 *
 * Three files, one concern each, sharing acl_private.h:
 * - acl_file.c, the file layer, is the only part that touches the system:
 *   files are opened as the (already unprivileged) caller through a walk
 *   from "/" that trusts only root's directories and symlinks, checked
 *   with fstat() on the opened fd, and read line by line with a bounded
 *   reader that sees NUL bytes; it follows includes and finds cycles.
 * - acl_parse.c, the parser, turns one line into a rule. User and group
 *   names are looked up (NSS) only when a rule names one, once per name.
 * - this file, the model: the rules in file order, the messages, and the
 *   verdicts. acl_decide() walks the rules in file order, so "default
 *   deny, deny wins" needs no precedence table.
 *
 * Functions that can fail return 0 or -errno; problems in the files are not
 * failures of the functions but records ("FILE:LINE: message").
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl_private.h"
#include "array.h"
#include "parse.h"

static void msgs_free(struct msgs *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->line[i]);
	free(m->line);
}

void acl_record(struct acl *acl, struct msgs *m, const struct acl_origin *at,
		const char *fmt, ...)
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
	if (array_grow(&m->line, &m->cap, m->n + 1, sizeof(*m->line))) {
		free(line);
		goto oom;
	}
	m->line[m->n++] = line;
	return;
oom:
	acl->oom = true;
}

void acl_add_rule(struct acl *acl, const struct rule *r)
{
	if (array_grow(&acl->rule, &acl->caprule, acl->nrule + 1,
		       sizeof(*acl->rule))) {
		acl->oom = true;
		return;
	}
	acl->rule[acl->nrule++] = *r;
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
	for (i = 0; i < acl->nlookup; i++)
		free(acl->lookup[i].why);
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

void acl_set_bridge_probe(struct acl *acl, bool (*is_linux_bridge)(const char *name))
{
	acl->is_linux_bridge = is_linux_bridge;
}

bool acl_iface_id_match(const char *pattern, const char *user, uid_t uid,
			const char *id)
{
	char num[16];
	const char *p, *part;
	size_t len;

	if (!*pattern)
		return false;
	snprintf(num, sizeof(num), "%u", (unsigned)uid);
	for (p = pattern; *p; p++) {
		if (*p == '*' && !p[1]) {
			/* The rest of the id: iface-id characters only. */
			for (; *id; id++)
				if (!iface_id_char((unsigned char)*id))
					return false;
			return true;
		}
		if (*p == '%' && (p[1] == 'u' || p[1] == 'U')) {
			part = p[1] == 'u' ? user : num;
			len = strlen(part);
			if (strncmp(id, part, len))
				return false;
			id += len;
			p++;
			continue;
		}
		if (*id != *p)
			return false;
		id++;
	}
	return *id == '\0';
}

static bool acl_broken(const struct acl *acl)
{
	return acl->errors.n || acl->oom;
}

int acl_status(const struct acl *acl)
{
	if (acl->oom)
		return -ENOMEM;
	return acl->errors.n ? -EINVAL : 0;
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

int acl_unsealed_beside(const struct acl *acl, bool guard,
			void (*cb)(const struct acl_gap *gap, void *data),
			void *data)
{
	/* Per bridge, and for "all" rules: the first rule with the option,
	 * the first without. */
	struct side { const struct rule *with, *without; } all = { 0 }, *per;
	size_t nb = acl->bridges.n, i;
	int calls = 0;

	per = calloc(nb ? nb : 1, sizeof(*per));
	if (!per)
		return -ENOMEM;
	for (i = 0; i < acl->nrule; i++) {
		const struct rule *r = &acl->rule[i];
		bool has = guard ? r->opts.macguard : r->opts.sealed;
		struct side *s;

		if (r->kind != RULE_ALLOW || r->unresolved)
			continue;
		s = r->all_bridges ? &all : &per[r->bridge];
		if (has && !s->with)
			s->with = r;
		if (!has && !s->without)
			s->without = r;
	}
	for (i = 0; i < nb; i++) {
		const struct rule *with = per[i].with ? per[i].with : all.with;
		const struct rule *without = per[i].without ? per[i].without
							    : all.without;
		struct acl_gap g;

		/* A bridge of its own rules only counts when one of the two
		 * sides is its own: "all" alone is reported once, below. */
		if (!with || !without || (!per[i].with && !per[i].without))
			continue;
		g.bridge = acl->bridges.str[i];
		g.with = with->origin;
		g.without = without->origin;
		cb(&g, data);
		calls++;
	}
	if (all.with && all.without) {
		struct acl_gap g = { NULL, all.with->origin, all.without->origin };

		cb(&g, data);
		calls++;
	}
	free(per);
	return calls;
}

const char *acl_unresolved(const struct acl *acl, const struct acl_origin *o)
{
	size_t i;

	if (!o->file)
		return NULL;
	/* One rule per line, and origins point into acl->file[]. */
	for (i = 0; i < acl->nrule; i++)
		if (acl->rule[i].origin.file == o->file &&
		    acl->rule[i].origin.line == o->line)
			return acl->rule[i].unresolved;
	return NULL;
}

/* Is @who among those @r is for? */
static bool in_scope(const struct rule *r, const struct acl_principal *who)
{
	size_t i;

	/* A name NSS could not resolve (a typo, a directory service that is
	 * down) must not turn a deny or a limit off: they fail closed and
	 * apply to everyone, while an allow allows nobody. */
	if (r->unresolved)
		return r->kind != RULE_ALLOW;
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
	}			/* else default deny: .file stays NULL */
	d->has_limit = acl_limit(acl, who, &d->limit, &d->limit_from);
	return 0;
}
