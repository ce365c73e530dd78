/* teardown.c - after QEMU: is every TAP gone, and if not, who still holds it? */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <time.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gettap.h"
#include "log.h"
#include "quote.h"
#include "teardown.h"
#include "tuninfo.h"

bool fdinfo_names_tap(const char *text, const char *tap)
{
	size_t len = strlen(tap);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, "iff:\t", 5) && !strncmp(p + 5, tap, len) &&
		    (p[5 + len] == '\n' || p[5 + len] == '\0'))
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

/* Read a small /proc file into @buf, NUL-terminated; 0 or -errno. */
static int read_small(int dirfd, const char *path, char *buf, size_t len)
{
	size_t got = 0;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -errno;
	while (got < len - 1) {
		ssize_t n = read(fd, buf + got, len - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	close(fd);
	return 0;
}

/* Does process @pid (its /proc directory open as @piddir) hold @tap? */
static bool holds_tap(int piddir, const char *tap)
{
	int fdinfo = openat(piddir, "fdinfo",
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool found = false;
	struct dirent *e;
	DIR *d;

	if (fdinfo < 0)
		return false;
	d = fdopendir(fdinfo);
	if (!d) {
		close(fdinfo);
		return false;
	}
	while (!found && (e = readdir(d))) {
		char text[1024] = "";

		if (e->d_name[0] == '.')
			continue;
		if (read_small(fdinfo, e->d_name, text, sizeof(text)) == 0)
			found = fdinfo_names_tap(text, tap);
	}
	closedir(d);
	return found;
}

/* Append " pid N (comm)" for each process holding @tap to @out. */
static size_t find_holders(const char *tap, char *out, size_t outlen)
{
	size_t used = 0, count = 0;
	struct dirent *e;
	DIR *proc = opendir("/proc");

	out[0] = '\0';
	if (!proc)
		return 0;
	while ((e = readdir(proc))) {
		int piddir;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		piddir = openat(dirfd(proc), e->d_name,
				O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (piddir < 0)
			continue;
		if (holds_tap(piddir, tap)) {
			char comm[64] = "?", q[QUOTE_BUF];
			int n;

			/* Any process names itself (PR_SET_NAME): quoted. */
			if (read_small(piddir, "comm", comm, sizeof(comm)) == 0)
				comm[strcspn(comm, "\n")] = '\0';
			n = snprintf(out + used, outlen - used, "%s pid %s (%s)",
				     count ? "," : "", e->d_name,
				     quote_untrusted(q, comm));
			if (n > 0 && (size_t)n < outlen - used)
				used += (size_t)n;
			count++;
		}
		close(piddir);
	}
	closedir(proc);
	return count;
}

void teardown_sweep(const char *helper, const struct nic *nics,
		    size_t nnics)
{
	bool persisted[OPTS_NICS_MAX] = { false }, any = false;
	struct tuninfo ti;
	size_t i;

	for (i = 0; i < nnics && i < OPTS_NICS_MAX; i++) {
		/* By index, as in teardown_confirm(). */
		if (tuninfo_get(nics[i].ifindex, NULL, &ti) == 0 && ti.persist)
			persisted[i] = any = true;
	}
	if (!any || helper_sweep(helper) < 0)
		return;
	for (i = 0; i < nnics && i < OPTS_NICS_MAX; i++)
		if (persisted[i] &&
		    tuninfo_get(nics[i].ifindex, NULL, &ti) == -ENODEV)
			warning("TAP %s (bridge %s) was made persistent while QEMU ran; removed it",
				nics[i].tap, nics[i].bridge);
}

size_t teardown_confirm(const struct nic *nics, size_t nnics)
{
	size_t i, left = 0;

	for (i = 0; i < nnics; i++) {
		struct tuninfo ti;
		char who[1024];
		int r;

		/* By index: the name alone could be a new interface's. */
		r = tuninfo_get(nics[i].ifindex, NULL, &ti);
		/* A sealed port's veth goes when the kernel tears its
		 * namespace down, a moment after the last TAP fd closed
		 * (tens of milliseconds): wait for it, a bounded while. */
		for (int k = 0; nics[i].sealed && r == 0 && k < 100; k++) {
			struct timespec ts = { 0, 20L * 1000 * 1000 };

			nanosleep(&ts, NULL);
			r = tuninfo_get(nics[i].ifindex, NULL, &ti);
		}
		if (r == -ENODEV)
			continue;
		if (r < 0) {
			warning("cannot check that TAP %s (bridge %s) is gone: %s",
			      nics[i].tap, nics[i].bridge, strerror(-r));
			left++;
			continue;
		}
		left++;
		/* A persistent one outlives its holders too: say what
		 * removes it then. */
		if (find_holders(ti.name, who, sizeof(who)))
			warning("TAP %s (bridge %s) is still there after QEMU ended; held by%s%s",
			      ti.name, nics[i].bridge, who, ti.persist ?
			      "; it is persistent: tapgate-helper --sweep removes it once nothing holds it" : "");
		else
			warning("TAP %s (bridge %s) is still there after QEMU ended; no process this user can see holds it%s",
			      ti.name, nics[i].bridge,
			      ti.persist ? " (it is persistent)" : "");
	}
	return left;
}
