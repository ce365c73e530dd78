/* nlprobe.c - drive helper/nl.c against the running kernel, for integration tests */

/*
 * Usage (as root, in a network namespace of your own; TAPs need
 * /dev/net/tun):
 *
 *   nlprobe lookup NAME
 *	nl_link_by_name(): prints "ifindex=I mtu=M kind=K name=N"; exit 0,
 *	or 2 when there is no such interface (-ENODEV), 1 on other errors.
 *
 *   nlprobe setup BRIDGE [isolated] [owner=UID] [alias=TEXT]
 *	Creates a TAP (tap%d, IFF_TAP|IFF_NO_PI, owner UID, default the
 *	caller), configures it on BRIDGE with nl_port_setup() (the bridge's
 *	MTU, a random 0xFE... address, the alias, default "nlprobe"), then
 *	makes it persistent and prints its name. On failure the TAP is gone
 *	again (it was not persistent yet) and the error line names the
 *	kernel's extended ACK. Delete the TAP with "ip link del NAME".
 *
 *   nlprobe mktap N [owner=UID] [tun]
 *	Creates N persistent TAPs (or TUNs) owned by UID (default: none) and
 *	prints their names.
 *
 *   nlprobe slots UID [LIMIT]
 *	limit_usage(): prints "N NAME:SLOT..." (the TAP slots of UID in use,
 *	in slot order).
 *
 * Error lines: "nlprobe: WHAT: strerror (kernel's message)".
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#include "log.h"
#include "parse.h"

/* The tools rule links lib/ only; the module under test comes in whole. */
#include "limit.h"
#include "rtnl.h"

static void fail(const struct nl *nl, int rc, const char *what)
{
	if (nl && nl->ext_msg[0])
		die("%s: %s (%s)", what, strerror(-rc), nl->ext_msg);
	die_errno(-rc, "%s", what);
}

static unsigned long number(const char *s, unsigned long max)
{
	unsigned long v;

	if (parse_ulong(s, 0, max, &v))
		die("bad number '%s'", s);
	return v;
}

/* A TAP or TUN owned by @owner ((uid_t)-1: no owner); returns its fd. */
static int make_tun(short type, uid_t owner, char name[IFNAMSIZ])
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die_errno(errno, "cannot open /dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = (short)(type | IFF_NO_PI);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s",
		 type == IFF_TAP ? "tap%d" : "tun%d");
	if (ioctl(fd, TUNSETIFF, &ifr))
		die_errno(errno, "TUNSETIFF");
	if (owner != (uid_t)-1 && ioctl(fd, TUNSETOWNER, (unsigned long)owner))
		die_errno(errno, "TUNSETOWNER");
	memcpy(name, ifr.ifr_name, IFNAMSIZ);
	return fd;
}

static int cmd_lookup(struct nl *nl, const char *name)
{
	struct nl_link l;
	int rc = nl_link_by_name(nl, name, &l);

	if (rc == -ENODEV) {
		printf("ENODEV%s%s\n", nl->ext_msg[0] ? " " : "", nl->ext_msg);
		return 2;
	}
	if (rc)
		fail(nl, rc, "lookup");
	printf("ifindex=%d mtu=%u kind=%s name=%s\n", l.ifindex, l.mtu,
	       l.kind, l.name);
	return 0;
}

static int cmd_setup(struct nl *nl, int argc, char **argv)
{
	struct nl_port_config c = { .alias = "nlprobe" };
	uid_t owner = getuid();
	char name[IFNAMSIZ];
	struct nl_link br, tap;
	int fd, i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "isolated"))
			c.isolated = true;
		else if (!strncmp(argv[i], "owner=", 6))
			owner = (uid_t)number(argv[i] + 6, 0xfffffffe);
		else if (!strncmp(argv[i], "alias=", 6))
			c.alias = argv[i] + 6;
		else
			die("unknown setup option '%s'", argv[i]);
	}
	rc = nl_link_by_name(nl, argv[0], &br);
	if (rc)
		fail(nl, rc, "bridge lookup");

	fd = make_tun(IFF_TAP, owner, name);
	rc = nl_link_by_name(nl, name, &tap);
	if (rc)
		fail(nl, rc, "TAP lookup");
	c.ifindex = tap.ifindex;
	c.master = br.ifindex;
	c.mtu = br.mtu;
	if (getrandom(c.mac, sizeof(c.mac), 0) != sizeof(c.mac))
		die_errno(errno, "getrandom");
	c.mac[0] = 0xfe;

	rc = nl_port_setup(nl, &c);
	if (rc)
		fail(nl, rc, "port setup");
	if (ioctl(fd, TUNSETPERSIST, 1UL))
		die_errno(errno, "TUNSETPERSIST");
	printf("%s\n", name);
	return 0;
}

static int cmd_mktap(int argc, char **argv)
{
	unsigned long n = number(argv[0], 100000), k;
	uid_t owner = (uid_t)-1;
	short type = IFF_TAP;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "tun"))
			type = IFF_TUN;
		else if (!strncmp(argv[i], "owner=", 6))
			owner = (uid_t)number(argv[i] + 6, 0xfffffffe);
		else
			die("unknown mktap option '%s'", argv[i]);
	}
	for (k = 0; k < n; k++) {
		char name[IFNAMSIZ];
		int fd = make_tun(type, owner, name);

		if (ioctl(fd, TUNSETPERSIST, 1UL))
			die_errno(errno, "TUNSETPERSIST");
		close(fd);
		printf("%s\n", name);
	}
	return 0;
}

static int cmd_slots(struct nl *nl, int argc, char **argv)
{
	unsigned long limit = argc > 1 ? number(argv[1], LIMIT_SLOTS_MAX) : 0;
	struct limit_usage u;
	size_t i;
	int rc = limit_usage(nl, (uid_t)number(argv[0], 0xfffffffe), limit,
			     &u);

	if (rc)
		fail(nl, rc, "slots");
	printf("%zu", u.n);
	for (i = 0; i < u.shown; i++)
		printf(" %s:%lu", u.use[i].name, u.use[i].slot);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct nl nl;
	int rc;

	log_init("nlprobe");
	if (argc < 3)
		die("usage: nlprobe lookup NAME | setup BRIDGE [isolated] "
		    "[owner=UID] [alias=TEXT] | mktap N [owner=UID] [tun] | "
		    "slots UID [LIMIT]");
	if (!strcmp(argv[1], "mktap"))
		return cmd_mktap(argc - 2, argv + 2);

	rc = nl_open(&nl);
	if (rc)
		fail(NULL, rc, "netlink socket");
	if (!strcmp(argv[1], "lookup"))
		rc = cmd_lookup(&nl, argv[2]);
	else if (!strcmp(argv[1], "setup"))
		rc = cmd_setup(&nl, argc - 2, argv + 2);
	else if (!strcmp(argv[1], "slots"))
		rc = cmd_slots(&nl, argc - 2, argv + 2);
	else
		die("unknown command '%s'", argv[1]);
	nl_close(&nl);
	return rc;
}
