/* limit.c - per-user TAP limits, held by the kernel as alternative names (slots)
 *
 * Each TAP the helper grants takes one of its user's slots: an alternative
 * interface name "tapgate.<uid>.<k>" on the TAP itself. Under "limit N" a
 * request tries k = 0, 1, ... N - 1 and keeps the first the kernel lets it
 * add; when all N are taken it is refused. Why this holds:
 *
 * - Names and altnames share one table per network namespace, and the
 *   kernel adds an altname under RTNL after checking that table, so of
 *   concurrent requests for one slot exactly one gets it: at most N TAPs
 *   hold slots below N, whatever the interleaving. No lock is taken, so no
 *   request waits for another and nobody can hold one to stall others.
 * - Adding or removing an altname needs CAP_NET_ADMIN over the host's
 *   network namespace: no user can squat a slot or free another's (a user
 *   namespace's CAP_NET_ADMIN is over its own network namespaces only).
 * - A slot lives on its TAP and goes with it when the last fd closes,
 *   however the helper or the VM died: nothing goes stale.
 * - What the fd holder can do to its TAP (TUNSETOWNER, TUNSETPERSIST, its
 *   MAC, its carrier) leaves the altname alone: a re-owned TAP still counts
 *   against the user it was granted to, and a TAP made persistent keeps its
 *   slot until root deletes it.
 * - Each try is one hash lookup in the kernel: the cost grows with the
 *   user's TAPs, never with the host's interfaces.
 *
 * What counts is what the helper granted: a TAP that root made for the
 * user by other means holds no slot. A caller without a limit takes a slot
 * too (below LIMIT_SLOTS_MAX), so that a limit set later counts the TAPs
 * granted before it.
 *
 * A limit that is lowered leaves slots in use above it. They count: after
 * taking its slot, a limited request looks at the LIMIT_GAP slots above
 * the limit (one batch of lookups), and only if one is in use counts every
 * slot, below the limit and above it up to the first LIMIT_GAP free ones in
 * a row, refusing while more than N are in use. Slots above a run of
 * LIMIT_GAP free ones are not seen; they can only be slots of a limit
 * higher than N, so the user never holds more than the highest limit that
 * ever applied.
 */
#include <errno.h>
#include <stdnoreturn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "caller.h"
#include "limit.h"
#include "log.h"

int limit_slot_name(char *buf, uid_t uid, unsigned long k)
{
	if (k >= LIMIT_SLOTS_MAX)
		return -EINVAL;
	snprintf(buf, LIMIT_SLOT_NAME_SIZE, LIMIT_SLOT_PREFIX "%u.%lu",
		 (unsigned)uid, k);
	return 0;
}

int limit_slot_take(struct nl *nl, int ifindex, uid_t uid,
		    unsigned long limit, unsigned long *slot)
{
	char name[LIMIT_SLOT_NAME_SIZE];
	unsigned long k;
	int err;

	if (limit > LIMIT_SLOTS_MAX)
		return -EINVAL;
	for (k = 0; k < limit; k++) {
		err = limit_slot_name(name, uid, k);
		if (!err)
			err = nl_altname_add(nl, ifindex, name);
		if (!err) {
			*slot = k;
			return 0;
		}
		/* EEXIST: the name is taken (a slot of one of the user's
		 * TAPs, or root named something so): try the next. */
		if (err != -EEXIST)
			return err;
	}
	return -EDQUOT;
}

/**
 * probe() - which of the @n slots from @first are in use
 * @links:	@n entries, ifindex 0 for a free slot
 * Return: 0 or -errno.
 */
static int probe(struct nl *nl, uid_t uid, unsigned long first, size_t n,
		 struct nl_link *links)
{
	char names[NL_PROBE_BATCH][LIMIT_SLOT_NAME_SIZE];
	const char *ptr[NL_PROBE_BATCH];
	size_t i;

	if (n > NL_PROBE_BATCH || first + n > LIMIT_SLOTS_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		limit_slot_name(names[i], uid, first + i);
		ptr[i] = names[i];
	}
	return nl_links_by_altname(nl, ptr, n, links);
}

static void note_use(struct limit_usage *u, unsigned long slot,
		     const struct nl_link *l)
{
	if (u->shown < LIMIT_SHOW_MAX) {
		u->use[u->shown].slot = slot;
		u->use[u->shown].ifindex = l->ifindex;
		memcpy(u->use[u->shown].name, l->name, sizeof(l->name));
		u->shown++;
	}
	u->n++;
}

int limit_usage(struct nl *nl, uid_t uid, unsigned long limit,
		struct limit_usage *u)
{
	struct nl_link links[NL_PROBE_BATCH];
	unsigned long k = 0, free_run = 0;
	size_t i, n;
	int err;

	memset(u, 0, sizeof(*u));
	if (limit > LIMIT_SLOTS_MAX)
		return -EINVAL;
	while (k < LIMIT_SLOTS_MAX && (k < limit || free_run < LIMIT_GAP)) {
		n = LIMIT_SLOTS_MAX - k < NL_PROBE_BATCH ?
		    LIMIT_SLOTS_MAX - k : NL_PROBE_BATCH;
		err = probe(nl, uid, k, n, links);
		if (err)
			return err;
		for (i = 0; i < n; i++, k++) {
			if (!links[i].ifindex) {
				if (k >= limit)
					free_run++;
				continue;
			}
			free_run = 0;
			note_use(u, k, &links[i]);
		}
	}
	return 0;
}

/* Whether any of the LIMIT_GAP slots from @limit is in use. */
static int above_in_use(struct nl *nl, uid_t uid, unsigned long limit)
{
	struct nl_link links[LIMIT_GAP];
	size_t i, n;
	int err;

	if (limit >= LIMIT_SLOTS_MAX)
		return 0;
	n = LIMIT_SLOTS_MAX - limit < LIMIT_GAP ? LIMIT_SLOTS_MAX - limit :
	    LIMIT_GAP;
	err = probe(nl, uid, limit, n, links);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (links[i].ifindex)
			return 1;
	return 0;
}

/* Die with the refusal, naming the TAPs that hold the slots (not @self). */
static noreturn void refuse(struct nl *nl, uid_t uid, unsigned long limit,
			    int self)
{
	char in_use[LIMIT_SHOW_MAX * 16 + 8] = "";
	struct limit_usage u;
	size_t i, len = 0;
	int err;

	err = limit_usage(nl, uid, limit, &u);
	if (err)
		die("limit of %lu TAP%s for user %s reached (in use: unknown: %s)",
		    limit, limit == 1 ? "" : "s", caller_name(),
		    nl_error(nl, err));
	for (i = 0; i < u.shown; i++) {
		if (u.use[i].ifindex == self)
			continue;
		len += (size_t)snprintf(in_use + len, sizeof(in_use) - len,
					"%s%s", len ? " " : "", u.use[i].name);
	}
	if (u.n > u.shown)
		snprintf(in_use + len, sizeof(in_use) - len, " ...");
	die("limit of %lu TAP%s for user %s reached (in use: %s)", limit,
	    limit == 1 ? "" : "s", caller_name(), in_use[0] ? in_use : "none");
}

void limit_apply(struct nl *nl, int ifindex, bool has_limit,
		 unsigned long limit)
{
	unsigned long slot, cap = has_limit ? limit : LIMIT_SLOTS_MAX;
	uid_t uid = getuid();
	struct limit_usage u;
	int err;

	err = limit_slot_take(nl, ifindex, uid, cap, &slot);
	if (err == -EDQUOT && has_limit)
		refuse(nl, uid, limit, ifindex);
	if (err == -EDQUOT)
		die("all %lu TAP slots of user %s are taken", cap,
		    caller_name());
	if (err)
		die("cannot take a TAP slot for user %s: %s", caller_name(),
		    nl_error(nl, err));
	if (!has_limit)
		return;

	/* A lowered limit: slots above it still count. */
	err = above_in_use(nl, uid, limit);
	if (err == 0)
		return;
	if (err > 0)
		err = limit_usage(nl, uid, limit, &u);
	if (err < 0)
		die("cannot count the TAPs of user %s: %s", caller_name(),
		    nl_error(nl, err));
	if (u.n > limit)
		refuse(nl, uid, limit, ifindex);
}
