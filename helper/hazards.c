/* hazards.c - --check: what a TAP's fd holder could do here (bridges whose MAC follows their ports, persisted TAPs) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "hazards.h"
#include "rtnl.h"
#include "parse.h"
#include "quote.h"
#include "sweep.h"

#define SYS_NET "/sys/class/net"

bool hazard_mac_follows_ports(const char *assign_type)
{
	return strcmp(assign_type, "3\n") && strcmp(assign_type, "3");
}

/* The small text file @dir/@name, NUL-terminated, or -errno. */
static int read_attr(int dir, const char *name, char *buf, size_t len)
{
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, len - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	return 0;
}

static bool shell_plain(const char *s)
{
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")] == '\0';
}

/*
 * The warning for one interface of /sys/class/net (@dir, its directory
 * there), when it is a bridge the ACL lets the caller on and its MAC
 * follows its ports (or its addr_assign_type cannot be read: then it
 * warns, on the safe side).
 * Return: whether it warned.
 */
static bool bridge_mac_hazard(FILE *out, int dir, const char *name,
			      const struct acl *acl,
			      const struct acl_principal *who)
{
	struct acl_decision dec;
	char type[16], q[QUOTE_BUF];

	if (faccessat(dir, "bridge", F_OK, 0))
		return false;	/* not a bridge */
	acl_decide(acl, name, who, &dec);
	if (!dec.allowed)
		return false;
	if (!read_attr(dir, "addr_assign_type", type, sizeof(type)) &&
	    !hazard_mac_follows_ports(type))
		return false;
	quote_untrusted(q, name);
	fprintf(out,
		"warning: bridge %s has no MAC address set explicitly: it follows the lowest MAC of its ports, and a VM can set its TAP's MAC to move it; fix: ",
		q);
	/* A command to paste only for a name no shell reads specially. */
	if (shell_plain(name))
		fprintf(out, "ip link set dev %s address $(cat " SYS_NET "/%s/address)\n",
			name, name);
	else
		fputs("set its address explicitly (ip link set dev NAME address ITS_ADDRESS)\n",
		      out);
	return true;
}

unsigned hazard_bridge_macs(FILE *out, const struct acl *acl,
			    const struct acl_principal *who)
{
	unsigned warned = 0;
	struct dirent *e;
	DIR *d = opendir(SYS_NET);

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		int dir;

		if (ifname_problem(e->d_name))
			continue;	/* ".", "..", never a bridge */
		dir = openat(dirfd(d), e->d_name,
			     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir < 0)
			continue;
		if (bridge_mac_hazard(out, dir, e->d_name, acl, who))
			warned++;
		close(dir);
	}
	closedir(d);
	return warned;
}

void hazard_persisted_taps(FILE *out)
{
	struct sweep_list l;
	size_t i, shown = 0;
	struct nl nl;
	int rc;

	rc = nl_open(&nl);
	if (!rc) {
		rc = sweep_find(&nl, &l);
		nl_close(&nl);
	}
	if (rc) {
		fprintf(out, "Persistent TAPs the helper granted: unknown (%s)\n",
			strerror(-rc));
		return;
	}
	for (i = 0; i < l.n && i < SWEEP_BATCH; i++) {
		const struct sweep_tap *t = &l.tap[i];
		char name[64];

		if (!t->persist)
			continue;
		if (!shown++)
			fputs("Persistent TAPs the helper granted (a holder of the fd made them so):\n",
			      out);
		fprintf(out, "  %-16s uid %u (pid %d), %s\n",
			quote_text(name, sizeof(name), t->name),
			(unsigned)t->uid, (int)t->pid, t->attached ?
			"still held by a process" :
			"held by no process: tapgate-helper --sweep removes it");
	}
	if (l.n > SWEEP_BATCH)
		fprintf(out, "  ... and %zu more TAPs of the helper, not looked at\n",
			l.n - SWEEP_BATCH);
	else if (!shown)
		fputs("Persistent TAPs the helper granted: none\n", out);
}
