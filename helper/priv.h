/* priv.h - the helper's privilege stages (theory of operation in priv.c) */
#ifndef TAPGATE_PRIV_H
#define TAPGATE_PRIV_H

#include <stdbool.h>
#include <sys/types.h>

/* Stage 0: fds, environment, signals, dumpability. Never fails. */
void priv_sanitize(int keep_fd);

/* Whether the helper started with more privilege than its caller. */
bool priv_elevated(void);

/*
 * Stage 1 to 2: keep only CAP_NET_ADMIN and become the caller (real
 * uid/gid, supplementary groups as inherited). Dies on any failure.
 */
void priv_keep_net_admin(void);

/*
 * For modes that create nothing (--check, --help): give up every
 * capability and become @uid/@gid for good. With @init_groups, take @uid's
 * supplementary groups from the group database (root's --check --user);
 * otherwise keep the inherited ones. Dies on any failure.
 */
void priv_become(uid_t uid, gid_t gid, bool init_groups);

/* Stage 3: drop every capability before the fd leaves. Dies on failure. */
void priv_drop_all(void);

#endif /* TAPGATE_PRIV_H */
