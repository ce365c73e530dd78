/* limit.c - per-user TAP limits: the lock around creation and the census after it
 *
 * A limit is checked after the TAP exists, by its rank among the caller's
 * TAPs in ifindex order (the kernel hands out ifindexes in creation order).
 * A TAP is kept only if fewer than LIMIT of the caller's TAPs are older
 * than it, so concurrent helpers can never together go over the limit, and
 * there is no state file to go stale.
 *
 * The kernel creates a TAP without an owner (TUNSETIFF) and only the next
 * ioctl (TUNSETOWNER) gives it one, so for a moment it is nobody's and no
 * census counts it. With the two ioctls under the caller's lock, a TAP of
 * the caller with a lower ifindex was owned before any younger one existed,
 * so the census never misses an older TAP.
 *
 * The lock is an open-file-description lock on byte UID of a file every
 * helper opens, released with the fd, even on SIGKILL. Per user, so a
 * caller who stops (SIGSTOP) their own helper inside the lock delays only
 * their own requests, never another user's; and bounded, so even that ends
 * in a clear refusal rather than a hang. The setuid install locks a
 * root-only file in /run that no user can open, so nobody can hold another
 * user's lock; the file-capability install cannot create it and locks
 * /dev/net/tun, which a user can open where the node is 0666.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "caller.h"
#include "limit.h"
#include "log.h"

/* How long a request waits for another request of the same user. */
#define LOCK_TRIES 2000		/* of 1 ms each */
/* Root's, mode 0600, on tmpfs: nothing stale survives a boot, and it holds
 * no state, only locks. */
#define LOCK_PATH "/run/tapgate-helper.lock"

int limit_lock_open(void)
{
	struct stat st;
	int fd;

	if (geteuid() != 0)
		return -1;
	fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
		  O_NOCTTY | O_NONBLOCK, 0600);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 077)) {
		close(fd);
		return -1;
	}
	return fd;
}

int limit_lock_choose(int opened, bool has_limit, int tun_fd)
{
	if (!has_limit) {
		if (opened >= 0)
			close(opened);
		return -1;
	}
	return opened >= 0 ? opened : tun_fd;
}

/* One F_OFD_SETLK of @type on byte @uid of @fd. */
static int set_lock(int fd, uid_t uid, short type)
{
	struct flock l = {
		.l_type = type,
		.l_whence = SEEK_SET,
		.l_start = (off_t)uid,
		.l_len = 1,
	};

	return fcntl(fd, F_OFD_SETLK, &l);
}

void limit_lock_take(int fd, uid_t uid)
{
	struct timespec ms = { .tv_nsec = 1000000 };
	int i;

	if (fd < 0)
		return;
	for (i = 0; i < LOCK_TRIES; i++) {
		if (!set_lock(fd, uid, F_WRLCK))
			return;
		if (errno != EAGAIN && errno != EACCES && errno != EINTR)
			die_errno(errno, "cannot take the limit lock");
		nanosleep(&ms, NULL);
	}
	die("another request of user %s is still creating a TAP; try again",
	    caller_name());
}

void limit_lock_release(int fd, uid_t uid)
{
	if (fd >= 0)
		set_lock(fd, uid, F_UNLCK);
}

void limit_enforce(struct nl *nl, unsigned long limit,
		   const struct tap_result *tap)
{
	struct nl_taps taps;
	char in_use[NL_TAPS_MAX * 17 + 1] = "";
	size_t rank, i;
	int rc;

	rc = nl_taps_owned_by(nl, getuid(), &taps);
	if (rc)
		die_errno(-rc, "cannot count the TAPs of user %s", caller_name());
	rank = taps.n;	/* when the list is cut short, assume the worst */
	for (i = 0; i < taps.n && i < NL_TAPS_MAX; i++) {
		if (taps.tap[i].ifindex == tap->ifindex) {
			rank = i + 1;
			break;
		}
		/* The refusal names the older TAPs: they count against this
		 * one. Bounded: in_use has room for NL_TAPS_MAX names of at
		 * most IFNAMSIZ - 1 bytes, each with a space, and its NUL. */
		if (i)
			strcat(in_use, " ");	// NOLINT(clang-analyzer-security.insecureAPI.strcpy)
		strcat(in_use, taps.tap[i].name);	// NOLINT(clang-analyzer-security.insecureAPI.strcpy)
	}
	if (rank > limit)
		die("limit of %lu TAP%s for user %s reached (in use: %s)",
		    limit, limit == 1 ? "" : "s", caller_name(),
		    in_use[0] ? in_use : "none");
}
