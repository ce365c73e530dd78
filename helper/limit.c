/* limit.c - per-user TAP limits, held by the kernel as alternative names (slots)
 *
 * Each TAP the helper grants takes one of its user's slots: an alternative
 * interface name "tapgate.uid<uid>.slot<k>" on the TAP itself. Under
 * "limit N" a request tries k = 0, 1, ... N - 1 and keeps the first the
 * kernel lets it add; when all N are taken it is refused. Why this holds:
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
 * - Each try is one lookup in the kernel's name hash: the number of tries
 *   grows with the user's TAPs, never with the host's interfaces.
 *
 * That hash has a fixed 256 buckets, so on a host with 20,000 interfaces a
 * lookup walks a chain of about 80 names, each in a cache line of its own:
 * a lookup that misses (a free slot, which the look above the limit is in
 * the common case) costs ~20 us cold. The kernel hashes only the first
 * LIMIT_SLOT_HASHED bytes of a name, and the format puts k after them
 * ("tapgate.uid4001." then "slot<k>"): every slot of a user is in one
 * bucket, so a request's first lookup brings that chain into the cache and
 * the others walk it warm. Measured at 20,005 interfaces, 16 lookups that
 * miss: 382 us in 16 buckets, 109 us in one (tests/bench/namehash.sh;
 * BENCHMARKS.md, "Scale").
 *
 * What counts is what the helper granted: a TAP that root made for the
 * user by other means holds no slot. A caller without a limit takes a slot
 * too (below LIMIT_SLOTS_MAX), so that a limit set later counts the TAPs
 * granted before it.
 *
 * A limit that is lowered leaves slots in use above it. They count: with
 * its first try (slot 0), in the same round trip, a limited request looks
 * at the LIMIT_GAP slots above the limit, and only if one is in use counts
 * every slot, below the limit and above it up to the first LIMIT_GAP free
 * ones in a row, refusing while more than N are in use. Slots above a run of
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
	int n;

	if (k >= LIMIT_SLOTS_MAX)
		return -EINVAL;
	n = snprintf(buf, LIMIT_SLOT_NAME_SIZE, LIMIT_SLOT_FORMAT,
		     (unsigned)uid, k);
	/* Never truncated: the size holds any uid and any k. */
	return n > 0 && n < LIMIT_SLOT_NAME_SIZE ? 0 : -EINVAL;
}

/* Try slots @first to @limit - 1 in order; the first the kernel adds is
 * ours. */
static int take_from(struct nl *nl, int ifindex, uid_t uid,
		     unsigned long first, unsigned long limit,
		     unsigned long *slot)
{
	char name[LIMIT_SLOT_NAME_SIZE];
	unsigned long k;
	int err;

	if (limit > LIMIT_SLOTS_MAX)
		return -EINVAL;
	for (k = first; k < limit; k++) {
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

int limit_slot_take(struct nl *nl, int ifindex, uid_t uid,
		    unsigned long limit, unsigned long *slot)
{
	return take_from(nl, ifindex, uid, 0, limit, slot);
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(size_t *)data)++;
	return MNL_CB_OK;
}

/**
 * take_first_look_above() - in one round trip, try slot 0 for @ifindex and
 *			     look up the LIMIT_GAP slots from @limit
 * @took:	set when slot 0 is ours
 * @above:	set when one of the slots from @limit is in use
 *
 * The common case of a limited request, one batch instead of two: the
 * kernel answers each message of a batch on its own (nl_roundtrip_each()).
 * Looking above before the slot is taken is as good as after: no request
 * adds a slot at or above the limit in force, so those only go away.
 * Return: 0 or -errno.
 */
static int take_first_look_above(struct nl *nl, int ifindex, uid_t uid,
				 unsigned long limit, bool *took, bool *above)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED, msg[NL_BUILD_SIZE] NL_ALIGNED;
	char name[LIMIT_SLOT_NAME_SIZE];
	int each[1 + LIMIT_GAP];
	size_t len, one, i, n, links = 0, found = 0;
	int err;

	*took = *above = false;
	if (limit < 1 || limit > LIMIT_SLOTS_MAX)
		return -EINVAL;
	n = LIMIT_SLOTS_MAX - limit < LIMIT_GAP ? LIMIT_SLOTS_MAX - limit :
	    LIMIT_GAP;
	limit_slot_name(name, uid, 0);
	len = nl_build_altname_add(buf, ifindex, name);
	if (!len)
		return -EINVAL;
	/* Each builder clears NL_BUILD_SIZE bytes where it writes: the
	 * lookups are built apart and appended. */
	for (i = 0; i < n; i++) {
		limit_slot_name(name, uid, limit + i);
		one = nl_build_getlink_altname(msg, name);
		err = nl_batch_append(buf, &len, msg, one);
		if (err)
			return err;
	}
	memset(each, 0, sizeof(each));
	err = nl_roundtrip_each(nl, buf, len, count_cb, &links, each, 1 + n);
	/* EEXIST (slot 0 taken) and ENODEV (a free slot above) are answers. */
	if (err && err != -EEXIST && err != -ENODEV)
		return err;
	if (each[0] && each[0] != -EEXIST)
		return each[0];
	*took = each[0] == 0;
	for (i = 0; i < n; i++) {
		if (!each[1 + i])
			found++;
		else if (each[1 + i] != -ENODEV)
			return each[1 + i];
	}
	/* Every lookup that found its slot sent the link before its ACK. */
	if (found != links)
		return -EPROTO;
	*above = found > 0;
	return 0;
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
	uid_t uid = getuid();
	struct limit_usage u;
	unsigned long slot;
	bool took = false, above = false;
	int err;

	if (!has_limit) {
		err = limit_slot_take(nl, ifindex, uid, LIMIT_SLOTS_MAX, &slot);
		if (err == -EDQUOT)
			die("all %lu TAP slots of user %s are taken",
			    LIMIT_SLOTS_MAX, caller_name());
		if (err)
			die("cannot take a TAP slot for user %s: %s",
			    caller_name(), nl_error(nl, err));
		return;
	}
	if (limit == 0)
		refuse(nl, uid, limit, ifindex);

	err = take_first_look_above(nl, ifindex, uid, limit, &took, &above);
	if (!err && !took)
		err = take_from(nl, ifindex, uid, 1, limit, &slot);
	if (err == -EDQUOT)
		refuse(nl, uid, limit, ifindex);
	if (err)
		die("cannot take a TAP slot for user %s: %s", caller_name(),
		    nl_error(nl, err));

	/* A lowered limit: slots above it still count. */
	if (!above)
		return;
	err = limit_usage(nl, uid, limit, &u);
	if (err)
		die("cannot count the TAPs of user %s: %s", caller_name(),
		    nl_error(nl, err));
	if (u.n > limit)
		refuse(nl, uid, limit, ifindex);
}
