/* limit.h - per-user TAP limits: the lock around creation and the census after it */
#ifndef TAPGATE_LIMIT_H
#define TAPGATE_LIMIT_H

#include <stdbool.h>
#include <sys/types.h>

#include "nl.h"
#include "tap.h"

/* Step 2, before the privilege drop (on priv.c's list): the lock file,
 * or -1 (see limit.c). */
int limit_lock_open(void);

/*
 * After the ACL is read: the fd to lock around creation, or -1 when no
 * limit applies (then @opened is closed). Without the lock file, a limited
 * request locks @tun_fd instead.
 */
int limit_lock_choose(int opened, bool has_limit, int tun_fd);

/* Take (bounded; dies with a clear refusal) and release the caller's lock
 * on @fd; both do nothing when @fd < 0. */
void limit_lock_take(int fd, uid_t uid);
void limit_lock_release(int fd, uid_t uid);

/* Keep @tap only if fewer than @limit of the caller's TAPs are older than
 * it; otherwise die naming them. */
void limit_enforce(struct nl *nl, unsigned long limit,
		   const struct tap_result *tap);

#endif /* TAPGATE_LIMIT_H */
