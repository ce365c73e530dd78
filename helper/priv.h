/* priv.h - the helper's privilege, step by step (theory of operation in priv.c) */
#ifndef TAPGATE_PRIV_H
#define TAPGATE_PRIV_H

#include <stdbool.h>
#include <sys/types.h>

/**
 * priv_sanitize() - step 1: make the process safe before it reads input
 * @keep_fd:	the caller's SOCKFD, left open; below 3 (or invalid): none
 *
 * Must: leave fds 0-2 open (on /dev/null where they were closed), close
 * every other inherited fd but @keep_fd, clear the environment, ignore
 * SIGXFSZ and SIGPIPE, set umask 077, make the process non-dumpable.
 * Must not: read the environment, a file or the arguments (beyond
 * @keep_fd, from main()'s one parse); change ids or capabilities; fail with a
 * message (it has no stderr yet: it exits 1 only when /dev/null cannot be
 * opened).
 */
void priv_sanitize(int keep_fd);

/**
 * priv_keep_net_admin() - step 2: become the caller with CAP_NET_ADMIN alone
 *
 * Must: keep CAP_NET_ADMIN effective and permitted and nothing else; set
 * every uid and gid to the caller's real ones, keeping the supplementary
 * groups it came with; empty the inheritable and ambient sets; clear the
 * bounding set when CAP_SETPCAP is held (setuid, cap_setpcap); set
 * no_new_privs and non-dumpable again; read all of it back from the kernel
 * and die unless it is exactly that.
 * Must not: run after anything that priv.c's step 2 list does not name
 * was opened with privilege; read a caller-chosen file or path before it;
 * return with any other capability, or when not privileged at all.
 */
void priv_keep_net_admin(void);

/**
 * priv_become() - instead of step 2, for modes that create nothing
 *		   (--check, --help, --version): no capability, for good
 * @uid:	user to become (the caller, or root's --check --user=NAME)
 * @gid:	its primary group
 * @init_groups:	take @uid's supplementary groups from the group
 *		database (root's --check --user); else keep the inherited ones
 *
 * Must: drop every capability (and the bounding set when CAP_SETPCAP is
 * held), set every uid and gid to @uid/@gid, set no_new_privs, verify it;
 * when not privileged at all (run from the build tree), only set
 * no_new_privs.
 * Must not: keep any capability; change identity without privilege (it
 * dies instead); return on any failure.
 */
void priv_become(uid_t uid, gid_t gid, bool init_groups);

/**
 * priv_seal_decided() - end of step 4: the ACL decided whether the port is
 *			 @sealed
 *
 * Must: for a plain port, give up the CAP_SYS_ADMIN that step 2 kept
 * permitted, and verify CAP_NET_ADMIN alone is left.
 * Must not: be called before the decision; raise anything.
 * Return: false when the port is sealed and the helper has no CAP_SYS_ADMIN
 * to make its namespace (the caller must refuse), else true. Dies on
 * failure.
 */
bool priv_seal_decided(bool sealed);

/**
 * priv_unshare_net() - steps 6-7 of a sealed port: move the helper into a
 *			new network namespace
 *
 * Must: make CAP_SYS_ADMIN effective for the one unshare(CLONE_NEWNET),
 * then drop it from every set and verify CAP_NET_ADMIN alone is left
 * (dies otherwise).
 * Return: 0, or -errno (-EPERM without the capability).
 */
int priv_unshare_net(void);

/**
 * priv_drop_all() - step 8: no capability left before the fd leaves
 *
 * Must: drop CAP_NET_ADMIN and verify from the kernel that no capability
 * is left in any set.
 * Must not: be called before the TAP is configured (nothing takes the
 * capability back); change ids; return on failure.
 */
void priv_drop_all(void);

#endif /* TAPGATE_PRIV_H */
