/* sweep.h - tapgate-helper --sweep: the persistent TAPs the helper granted, found and deleted */
#ifndef TAPGATE_SWEEP_H
#define TAPGATE_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>

#include "rtnl.h"

/* Reusable module: functions return 0 or -errno unless said otherwise. */

/* The alias the helper gives every TAP it grants (SPEC §3, step 7). */
#define SWEEP_ALIAS_FMT "tapgate uid=%u pid=%d"

/* TAPs one pass keeps; sweep_run() makes passes until one finds fewer. */
#define SWEEP_BATCH 64

/* A TAP the helper granted, as the kernel describes it. */
struct sweep_tap {
	int ifindex;
	char name[16];
	uid_t uid;		/* from the alias: whom the helper granted it */
	pid_t pid;		/* from the alias: the caller's pid then */
	bool persist;		/* IFLA_TUN_PERSIST */
	bool attached;		/* a process still has a queue open on it */
};

struct sweep_list {
	size_t n;		/* found (may exceed SWEEP_BATCH) */
	struct sweep_tap tap[SWEEP_BATCH];	/* the first SWEEP_BATCH */
};

/**
 * sweep_alias_parse() - read the helper's alias "tapgate uid=U pid=P"
 * @alias:	IFLA_IFALIAS text
 * @uid, @pid:	set on success
 *
 * Exactly that form, decimal, nothing before or after: setting an alias
 * takes CAP_NET_ADMIN, so only the helper (or root) wrote it; the holder
 * of the TAP's fd can change its owner, group, MAC and carrier, never
 * this. Pure.
 * Return: 0, or -EINVAL for any other text.
 */
int sweep_alias_parse(const char *alias, uid_t *uid, pid_t *pid);

/**
 * sweep_tap_parse() - read one RTM_NEWLINK message of a tun dump
 * @nlh:	the message
 * @t:		filled when it is a TAP the helper granted
 *
 * A TAP the helper granted: kind "tun", with tun attributes, and an alias
 * that sweep_alias_parse() accepts. It is attached while the kernel
 * reports carrier (the tun driver drops it when the last queue closes)
 * or, for a multiqueue TAP, any queue, enabled or disabled. Pure.
 * Return: 1 when it is one, 0 when it is not, -EBADMSG when malformed.
 */
int sweep_tap_parse(const struct nlmsghdr *nlh, struct sweep_tap *t);

/**
 * sweep_wanted() - whether --sweep by @caller deletes @t
 * @t:		a TAP the helper granted
 * @caller:	the real uid of whoever runs --sweep
 * @pid:	only TAPs granted to this caller pid (the launcher's own), or
 *		0 for any
 *
 * Persistent (the helper never makes one: a holder of its fd did),
 * attached to no process (a VM that still runs keeps it), and granted to
 * @caller, or to anyone when @caller is root. Pure.
 */
bool sweep_wanted(const struct sweep_tap *t, uid_t caller, pid_t pid);

/* One RTM_GETLINK dump of kind "tun", without statistics. */
size_t sweep_build_dump(void *buf);

/**
 * sweep_find() - every TAP the helper granted, from one dump
 * @nl:		socket (needs no privilege)
 * @l:		filled in
 *
 * A dump the kernel flags as interrupted is read again, a few times.
 * Return: 0 or -errno (-EAGAIN: interfaces kept changing).
 */
int sweep_find(struct nl *nl, struct sweep_list *l);

/**
 * sweep_run() - delete what sweep_wanted() picks, by ifindex
 * @nl:		socket opened with CAP_NET_ADMIN
 * @caller:	as for sweep_wanted()
 * @pid:	as for sweep_wanted()
 * @removed:	called with each TAP deleted, after it is gone
 * @data:	passed to @removed
 *
 * A TAP that is gone by the time it is deleted (-ENODEV) is no error.
 * Return: 0, or the first -errno (the rest are still tried).
 */
int sweep_run(struct nl *nl, uid_t caller, pid_t pid,
	      void (*removed)(const struct sweep_tap *t, void *data),
	      void *data);

#endif /* TAPGATE_SWEEP_H */
