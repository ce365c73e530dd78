/* check.c - tapgate-helper --check: the ACL's problems and what the caller may use */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acl.h"
#include "caller.h"
#include "check.h"
#include "hazards.h"
#include "limit.h"
#include "ovs.h"
#include "ovsport.h"
#include "rtnl.h"
#include "quote.h"

static void print_who(FILE *out, const struct acl_principal *who)
{
	char safe[QUOTE_BUF];
	struct group *gr;
	size_t i;

	/* Names from NSS (LDAP, sssd...): through the rule's byte part. */
	fprintf(out, "For user %s (uid %u, gid %u",
		quote_text(safe, sizeof(safe), caller_name()),
		(unsigned)who->uid, (unsigned)who->gid);
	if (who->ngroups)
		fputs(", groups", out);
	for (i = 0; i < who->ngroups; i++) {
		gr = getgrgid(who->groups[i]);
		if (gr)
			fprintf(out, " %s(%u)",
				quote_text(safe, sizeof(safe), gr->gr_name),
				(unsigned)who->groups[i]);
		else
			fprintf(out, " %u", (unsigned)who->groups[i]);
	}
	fputs("):\n", out);
}

static void print_origin(FILE *out, const struct acl_origin *o)
{
	char safe[1024];

	fprintf(out, "%s:%u", quote_text(safe, sizeof(safe), o->file),
		o->line);
}

/* Why the rule at @o applies to everyone although it names a user or
 * group: its name could not be resolved, and it failed closed. */
static void print_unresolved(FILE *out, const struct acl *acl,
			     const struct acl_origin *o)
{
	const char *why = acl_unresolved(acl, o);

	if (why)
		fprintf(out, " (%s: it fails closed and applies to everyone)",
			why);
}

/* What @name is here, by ovsport_classify()'s rule, as --check says it;
 * @nl is NULL when check_report() could not open one (@nl_err says why). */
static const char *bridge_kind(struct nl *nl, int nl_err, struct ovsdb *db,
			       const char *name, char *buf, size_t len)
{
	static struct ovs_bridge ovs;
	struct bridge_class c;
	struct nl_link link;

	if (!nl) {
		snprintf(buf, len, "kind unknown: %s", strerror(-nl_err));
		return buf;
	}
	ovsport_classify(nl, db, name, &link, &ovs, &c);
	switch (c.kind) {
	case BRIDGE_LINUX:
		return "Linux bridge";
	case BRIDGE_OVS:
		return "Open vSwitch bridge";
	case BRIDGE_NONE:
		if (c.link_rc)
			return "no such bridge";
		snprintf(buf, len, "not a bridge: its kind is '%s'",
			 link.kind[0] ? link.kind : "none");
		return buf;
	case BRIDGE_UNKNOWN:
		break;
	}
	if (c.link_rc && c.link_rc != -ENODEV)
		snprintf(buf, len, "kind unknown: %s", strerror(-c.link_rc));
	else if (db->fd < 0)
		snprintf(buf, len, "%s; Open vSwitch not asked: %s",
			 c.link_rc ? "no such interface" : "not a Linux bridge",
			 strerror(-c.ovs_rc));
	else
		snprintf(buf, len, "kind unknown: Open vSwitch did not answer");
	return buf;
}

/* "; port options: isolated vlan=N iface-id=PATTERN", or nothing. */
static void print_opts(FILE *out, const struct acl_port_opts *o)
{
	const char *sep = "; port options: ";

	if (o->isolated) {
		fprintf(out, "%sisolated", sep);
		sep = " ";
	}
	if (o->macguard || o->sealed) {
		fprintf(out, "%s%s", sep, o->macguard ? "macguard (sealed)" : "sealed");
		sep = " ";
	}
	if (o->vlan) {
		fprintf(out, "%svlan=%u", sep, o->vlan);
		sep = " ";
	}
	if (o->iface_id[0])
		fprintf(out, "%siface-id=%s", sep, o->iface_id);
}

static void print_verdict(FILE *out, const struct acl *acl, const char *label,
			  const char *kind, const struct acl_decision *d)
{
	char safe[QUOTE_BUF];

	fprintf(out, "  %-16s ", quote_text(safe, sizeof(safe), label));
	if (d->allowed) {
		fputs("allowed by ", out);
		print_origin(out, &d->decided_by);
		if (kind)
			fprintf(out, " (%s)", kind);
		print_opts(out, &d->opts);
	} else if (d->decided_by.file) {
		fputs("denied by ", out);
		print_origin(out, &d->decided_by);
		if (kind)
			fprintf(out, " (%s)", kind);
		print_unresolved(out, acl, &d->decided_by);
	} else {
		fputs("not allowed (no rule allows it: default deny)", out);
		if (kind)
			fprintf(out, " (%s)", kind);
	}
	fputc('\n', out);
}

/* The caller's limit and slots in use; @nl is check_report()'s socket, or
 * NULL with @nl_err saying why it could not be opened. */
static void print_limit(FILE *out, const struct acl *acl,
			const struct acl_principal *who, struct nl *nl,
			int nl_err)
{
	struct acl_origin from;
	unsigned long limit;
	struct limit_usage u;
	bool limited;
	size_t i;
	int rc;

	limited = acl_limit(acl, who, &limit, &from);
	if (limited) {
		fprintf(out, "  limit            %lu TAP%s (", limit,
			limit == 1 ? "" : "s");
		print_origin(out, &from);
		fputc(')', out);
		print_unresolved(out, acl, &from);
		fputc('\n', out);
	} else {
		fputs("  limit            none\n", out);
	}

	/* The slots of limit.c: one lookup by name per slot, below the
	 * limit and above it up to a run of free ones (no limit: all of them
	 * are above). */
	rc = nl ? limit_usage(nl, who->uid, limited ? limit : 0, &u) : nl_err;
	if (rc) {
		fprintf(out, "  in use           unknown (%s)\n", strerror(-rc));
		return;
	}
	fprintf(out, "  in use           %zu", u.n);
	for (i = 0; i < u.shown; i++)
		fprintf(out, "%s%s in slot %lu", i ? ", " : " (", u.use[i].name,
			u.use[i].slot);
	if (u.n > u.shown)
		fputs(", ...", out);
	if (u.n)
		fputc(')', out);
	if (limited && u.n >= limit)
		fputs(": the limit is reached, a further request is refused",
		      out);
	fputc('\n', out);
}

struct gap_out {
	FILE *out;
	bool guard;
};

/* One warning line for a bridge some rule seals (guards) and another not. */
static void print_gap(const struct acl_gap *g, void *data)
{
	const struct gap_out *o = data;
	char q[QUOTE_BUF];

	fputs("warning: ", o->out);
	print_origin(o->out, &g->without);
	fprintf(o->out, " grants %s without %s, while ", g->bridge ?
		quote_untrusted(q, g->bridge) : "every bridge (allow all)",
		o->guard ? "macguard" : "sealed");
	print_origin(o->out, &g->with);
	fprintf(o->out, " %s it: %s; give every rule that grants %s the "
		"option\n", o->guard ? "guards" : "seals",
		o->guard ? "a port without it can send from any MAC"
			 : "an unsealed port on the same bridge can still "
			   "blackhole any MAC on it, the sealed ports' too",
		g->bridge ? "it" : "a bridge");
}

/* --check, for everyone: bridges only as safe as their weakest port. */
static void warn_gaps(FILE *out, const struct acl *acl)
{
	struct gap_out o = { out, false };

	acl_unsealed_beside(acl, false, print_gap, &o);
	o.guard = true;
	acl_unsealed_beside(acl, true, print_gap, &o);
}

int check_report(const char *path, FILE *out, struct ovsdb *db)
{
	struct acl_principal who;
	struct acl_decision d;
	struct acl *acl = acl_new();
	const char *br;
	char line[1024];
	char kind[160];
	size_t i, nerr;
	struct nl nl;
	int valid, nl_err;

	if (!acl) {
		fprintf(out, "%s: out of memory\n", path);
		return 1;
	}
	acl_set_bridge_probe(acl, ovsport_is_linux_bridge);
	valid = acl_load(acl, path) == 0;
	nerr = acl_nerrors(acl);
	/* The words of the ACL in these lines are quoted already; the file
	 * names (include paths) are not. */
	for (i = 0; i < nerr; i++)
		fprintf(out, "%s\n", quote_text(line, sizeof(line),
						acl_error(acl, i)));
	for (i = 0; i < acl_nwarnings(acl); i++)
		fprintf(out, "%s\n", quote_text(line, sizeof(line),
						acl_warning(acl, i)));
	if (!valid) {
		fprintf(out, "%s: invalid (%zu error%s): no bridge is allowed "
			"to anyone\n", path, nerr, nerr == 1 ? "" : "s");
		acl_free(acl);
		return 1;
	}
	fprintf(out, "%s: valid\n", path);

	caller_principal(&who);
	print_who(out, &who);
	/* One socket for the bridges' kinds and the slots in use. */
	nl_err = nl_open(&nl);
	for (i = 0; (br = acl_bridge(acl, i)); i++) {
		acl_decide(acl, br, &who, &d);
		print_verdict(out, acl, br, bridge_kind(nl_err ? NULL : &nl, nl_err,
							db, br, kind,
							sizeof(kind)),
			      &d);
	}
	/* NULL: a bridge no rule names ("all" rules and the default). */
	acl_decide(acl, NULL, &who, &d);
	print_verdict(out, acl, "any other bridge", NULL, &d);
	print_limit(out, acl, &who, nl_err ? NULL : &nl, nl_err);
	if (!nl_err)
		nl_close(&nl);
	warn_gaps(out, acl);
	hazard_bridge_macs(out, acl, &who);
	if (who.uid == 0)
		hazard_persisted_taps(out);
	acl_free(acl);
	/* LeakSanitizer counts it otherwise: every --check exited 1 under
	 * make check SANITIZE=1. */
	free((void *)who.groups);
	fflush(out);
	return 0;
}
