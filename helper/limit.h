/* limit.h - per-user TAP limits, held by the kernel as alternative names (slots) */
#ifndef TAPGATE_LIMIT_H
#define TAPGATE_LIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "rtnl.h"

/* Reusable parts return 0 or -errno; limit_apply() is a step of the helper
 * and dies with the refusal. */

/* "tapgate.uid<uid>.slot<k>": 11 + 10 + 5 + 5 bytes at most, far below
 * NL_ALTNAME_MAX, for any uid and any slot below LIMIT_SLOTS_MAX. The
 * number k starts after byte LIMIT_SLOT_HASHED (see limit.c: one bucket
 * of the kernel's name hash for all the slots of a user). */
#define LIMIT_SLOT_FORMAT "tapgate.uid%u.slot%lu"
#define LIMIT_SLOT_NAME_SIZE 40
/* The bytes of a name the kernel hashes: IFNAMSIZ (dev_name_hash()). */
#define LIMIT_SLOT_HASHED 16

/* Slots above a limit are looked at up to the first LIMIT_GAP free ones in
 * a row (see limit.c: a limit that was lowered). One probe batch. */
#define LIMIT_GAP NL_PROBE_BATCH

/* Slot numbers are below this: the highest "limit N" (ACL_LIMIT_MAX) and
 * the slots of a caller without a limit. */
#define LIMIT_SLOTS_MAX 65535UL

/* Names a refusal or --check shows, at most. */
#define LIMIT_SHOW_MAX 64

/**
 * limit_slot_name() - the alternative name of slot @k of user @uid
 * @buf:	room for LIMIT_SLOT_NAME_SIZE bytes
 * Return: 0, -EINVAL when @k is not below LIMIT_SLOTS_MAX.
 */
int limit_slot_name(char *buf, uid_t uid, unsigned long k);

/**
 * limit_slot_take() - give interface @ifindex the lowest free slot of user
 *		       @uid below @limit
 * @nl:		netlink socket opened with CAP_NET_ADMIN
 * @ifindex:	the interface that holds the slot (a TAP, a veth: any kind):
 *		the slot is freed by the kernel when the interface goes away,
 *		and by nothing else short of CAP_NET_ADMIN
 * @uid:	whose slot
 * @limit:	slots 0 to @limit - 1 are tried, in order (1 to
 *		LIMIT_SLOTS_MAX)
 * @slot:	set to the slot taken
 *
 * One RTM_NEWLINKPROP per slot tried, each atomic under RTNL: concurrent
 * callers never share a slot, so at most @limit interfaces ever hold the
 * slots below @limit. The number of tries grows with the slots in use,
 * never with the interfaces (each try's walk in the kernel's name hash
 * does: see limit.c).
 * Return: 0; -EDQUOT when every slot below @limit is taken; other -errno
 * (nl->ext_msg may say more).
 */
int limit_slot_take(struct nl *nl, int ifindex, uid_t uid,
		    unsigned long limit, unsigned long *slot);

struct limit_usage {
	size_t n;			/* slots in use found */
	size_t shown;			/* entries filled in @use */
	struct {
		unsigned long slot;
		int ifindex;		/* the interface holding it */
		char name[16];		/* and its name */
	} use[LIMIT_SHOW_MAX];		/* in slot order */
};

/**
 * limit_usage() - the slots of user @uid in use: every slot below @limit,
 *		   and above it up to the first LIMIT_GAP free ones in a row
 * @limit:	0 to LIMIT_SLOTS_MAX (0: only the slots above)
 *
 * One RTM_GETLINK by name per slot, NL_PROBE_BATCH slots a round trip;
 * needs no privilege (--check uses it as the caller).
 * Return: 0 or -errno.
 */
int limit_usage(struct nl *nl, uid_t uid, unsigned long limit,
		struct limit_usage *u);

/**
 * limit_apply() - step 6's limit: give the new TAP @ifindex one of the
 *		   caller's slots, or die with the refusal
 * @has_limit:	whether a limit applies; without one the TAP still takes a
 *		slot (below LIMIT_SLOTS_MAX), so that a limit set later
 *		counts it
 * @limit:	the caller's limit
 *
 * A TAP is kept only when it holds a slot below @limit and, when slots
 * above @limit are in use (the limit was lowered since they were taken),
 * the slots in use are at most @limit.
 */
void limit_apply(struct nl *nl, int ifindex, bool has_limit,
		 unsigned long limit);

#endif /* TAPGATE_LIMIT_H */
