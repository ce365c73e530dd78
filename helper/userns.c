/* userns.c - refuse to run outside the initial user namespace
 *
 * Why: a caller in a user namespace of its own also owns a mount
 * namespace. There it can bind-mount a file it owns (root's, as seen from
 * inside) over the ACL, and the kernel ignores the helper's setuid bit
 * (the host's root is not mapped in there), so the helper runs as that
 * namespace's root with every capability over it: --check called a fake
 * ACL valid, and only the kernel's refusal of TUNSETIFF on the host's
 * network namespace stopped a request. The helper serves the host's users
 * on the host's bridges; in any other user namespace it has nothing to do.
 *
 * How it is told: in the initial user namespace /proc/self/uid_map is
 * the identity map, one line the kernel prints as "%10u %10u %10u\n" of
 * 0, 0 and 4294967295; in any other it maps fewer ids (a namespace's map
 * can only be written from its parent). The same caller may mount over
 * /proc, or over /proc/PID or the file itself, something that reads like
 * that line: a regular file, a whole fake tree, or a procfs file whose
 * text it chooses (its comm, cmdline or environ). So /proc must be procfs,
 * the file must sit on /proc's own mount (a bind mount anywhere on the way
 * is another mount), and its text must be exactly the kernel's line. Any
 * doubt is a refusal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "log.h"
#include "userns.h"

#define UNKNOWN "cannot tell whether this is the initial user namespace"

static const char identity[] = "         0          0 4294967295\n";

bool userns_map_is_identity(const char *map, size_t len)
{
	return len == sizeof(identity) - 1 && !memcmp(map, identity, len);
}

/* The id of the mount @fd is on, or die. */
static uint64_t mount_of(int fd, const char *what)
{
	struct statx sx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx))
		die_errno(errno, UNKNOWN ": statx %s", what);
	if (!(sx.stx_mask & STATX_MNT_ID))
		die(UNKNOWN ": the kernel does not report the mount of %s "
		    "(Linux 5.8 or later needed)", what);
	return sx.stx_mnt_id;
}

/* Read all of @fd into @buf (at most @size bytes); the length, or die. */
static size_t read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len < size) {
		ssize_t n = read(fd, buf + len, size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_errno(errno, UNKNOWN ": cannot read /proc/self/uid_map");
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return len;
}

void userns_require_initial(void)
{
	char map[sizeof(identity) + 1];	/* one byte more shows a longer map */
	struct statfs sf;
	uint64_t proc_mnt;
	size_t len;
	int proc, fd;

	proc = open("/proc", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (proc < 0)
		die_errno(errno, UNKNOWN ": cannot open /proc");
	if (fstatfs(proc, &sf))
		die_errno(errno, UNKNOWN ": statfs /proc");
	if (sf.f_type != PROC_SUPER_MAGIC)
		die(UNKNOWN ": /proc is not procfs");
	proc_mnt = mount_of(proc, "/proc");

	fd = openat(proc, "self/uid_map", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		die_errno(errno, UNKNOWN ": cannot open /proc/self/uid_map");
	close(proc);
	if (mount_of(fd, "/proc/self/uid_map") != proc_mnt)
		die(UNKNOWN ": something is mounted over /proc/self/uid_map "
		    "or a directory on its way");
	len = read_all(fd, map, sizeof(map));
	close(fd);
	if (!userns_map_is_identity(map, len))
		die("refusing to run outside the initial user namespace "
		    "(/proc/self/uid_map is not the identity map): "
		    "run tapgate-helper on the host, not in a container or "
		    "user namespace");
}
