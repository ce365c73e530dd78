/* modes.c - the helper's modes that make no port: --help, --version, --check, --release and --sweep */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "acl.h"
#include "audit.h"
#include "caller.h"
#include "check.h"
#include "decide.h"
#include "log.h"
#include "modes.h"
#include "ovsport.h"
#include "parse.h"
#include "priv.h"
#include "quote.h"
#include "sweep.h"

static const char usage[] =
"Usage: tapgate-helper [--use-vnet] --br=BRIDGE --fd=SOCKFD [--queues=N]\n"
"                      [--mac=MAC] [--iface-id=ID]\n"
"       tapgate-helper --release=TAP --br=BRIDGE\n"
"       tapgate-helper --check [--user=NAME]\n"
"       tapgate-helper --sweep [--pid=PID]\n"
"       tapgate-helper --help | --version\n"
"\n"
"Create a TAP device on BRIDGE, if the ACL allows it for the calling user,\n"
"and pass its file descriptor over the connected AF_UNIX socket SOCKFD.\n"
"A drop-in replacement for qemu-bridge-helper: QEMU's\n"
"-netdev bridge,br=BRIDGE,helper=PATH and libvirt's bridge_helper run it.\n"
"\n"
"  --br=BRIDGE    the bridge to join (must be allowed by the ACL)\n"
"  --fd=SOCKFD    connected AF_UNIX socket that receives the TAP fd(s)\n"
"  --use-vnet     ask for IFF_VNET_HDR when the kernel offers it\n"
"  --queues=N     multiqueue TAP with N queues, 1 to 16 (default 1): N fds\n"
"  --mac=MAC      the guest's MAC (unicast, locally administered); a macguard\n"
"                 port accepts only it\n"
"  --iface-id=ID  on an Open vSwitch bridge: bind the port to OVN logical\n"
"                 port ID (the ACL rule's iface-id= pattern must allow it)\n"
"  --release=TAP  remove the Open vSwitch rows of your TAP, once it is gone\n"
"  --check        check the ACL and show what the caller may use\n"
"  --user=NAME    with --check, as root: show NAME's view instead\n"
"  --sweep        delete your persistent TAPs that no process holds (root:\n"
"                 anyone's) and say which\n"
"  --pid=PID      with --sweep: only those granted to caller pid PID\n"
"  --help         show this help\n"
"  --version      show the version\n"
"\n"
"ACL: " TAPGATE_ACL_PATH " (see tapgate.conf(5)).\n"
"Open vSwitch: " TAPGATE_OVSDB_SOCK ".\n"
"On failure: one line on stderr, exit status 1, no interface left behind.\n";

/* --help, --version and --check: create nothing, keep no privilege. */
static int info_mode(const struct helper_args *a)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	bool other = false;
	char q[QUOTE_BUF];
	struct ovsdb db;
	int rc;

	if (a->user && uid == 0) {
		/* Root looks through another user's eyes, groups included. */
		struct passwd *pw = getpwnam(a->user);
		unsigned long n;

		if (!pw && !parse_ulong(a->user, 0, (uid_t)-2, &n))
			pw = getpwuid((uid_t)n);
		if (!pw)
			die("--user=%s: no such user",
			    quote_untrusted(q, a->user));
		uid = pw->pw_uid;
		gid = pw->pw_gid;
		other = true;
	}
	/* --check tells Open vSwitch bridges: the root-only socket is
	 * connected now, and asked only about the bridges a valid ACL names
	 * (check.c). */
	db.fd = -1;
	db.connect_err = -ENOTCONN;
	if (a->check)
		ovsport_connect(&db);
	priv_become(uid, gid, other);

	if (a->help) {
		fputs(usage, stdout);
		return 0;
	}
	if (a->version) {
		puts("tapgate-helper " TAPGATE_VERSION);
		return 0;
	}
	if (a->user && !other)
		die("only root may use --user");
	rc = check_report(TAPGATE_ACL_PATH, stdout, &db);
	ovsdb_close(&db);
	return rc;
}

/*
 * --release=TAP --br=BRIDGE (the launcher, when its VM ended): remove the
 * caller's Open vSwitch rows of a TAP that is gone. Needs no capability:
 * only the OVSDB connection made while privileged.
 */
static int release_mode(const struct helper_args *a)
{
	struct acl_principal who;
	struct acl_decision d;
	struct ovsdb db;
	struct nl nl;
	bool removed;
	int rc;

	ovsport_connect(&db);
	priv_become(getuid(), getgid(), false);
	caller_principal(&who);
	decide(a->bridge, &d, &who);
	rc = nl_open(&nl);
	if (rc)
		die_errno(-rc, "cannot open a netlink socket");
	audit_set_tap(a->release);
	removed = ovsport_release(&nl, &db, a->bridge, a->release);
	nl_close(&nl);
	ovsdb_close(&db);
	audit_release(removed ?
		      "removed the Open vSwitch rows of a TAP that is gone" :
		      "no Open vSwitch rows were left");
	free((void *)who.groups);
	return 0;
}

/* Each TAP --sweep deleted: said on stdout, and logged. */
static void swept(const struct sweep_tap *t, void *data)
{
	char name[64], detail[96];

	(void)data;
	quote_text(name, sizeof(name), t->name);
	printf("removed %s, a persistent TAP granted to uid %u (pid %d)\n",
	       name, (unsigned)t->uid, (int)t->pid);
	audit_set_tap(t->name);
	snprintf(detail, sizeof(detail),
		 "removed a persistent TAP granted to uid %u, pid %d",
		 (unsigned)t->uid, (int)t->pid);
	audit_sweep(detail);
}

/*
 * --sweep: step 2 without its opens (no TAP node, no lock), so
 * CAP_NET_ADMIN alone, as the caller: deleting an interface needs it.
 * Which TAPs may go is sweep_wanted()'s rule: persistent, held by no
 * process, and the caller's by the alias only the helper writes (root:
 * anyone's); never by owner, MAC or name, which the fd holder or anybody
 * else can set. Then step 8's drop.
 */
static int sweep_mode(const struct helper_args *a)
{
	struct nl nl;
	int rc;

	priv_keep_net_admin();
	/* No port is made: the CAP_SYS_ADMIN that step 2 keeps permitted
	 * for a sealed port goes before anything is asked of the kernel. */
	priv_seal_decided(false);
	rc = nl_open(&nl);
	if (rc)
		die_errno(-rc, "cannot open a netlink socket");
	rc = sweep_run(&nl, getuid(), a->pid, swept, NULL);
	nl_close(&nl);
	priv_drop_all();
	if (rc)
		die_errno(-rc, "cannot remove every persistent TAP");
	return 0;
}

int mode_run(const struct helper_args *a)
{
	int rc;

	/* args.c lets no two modes be given together. */
	if (a->release)
		return release_mode(a);
	rc = a->sweep ? sweep_mode(a) : info_mode(a);
	/* A report that did not reach stdout (a full disk, a closed
	 * pipe) must not look like success. */
	if (fflush(stdout) || ferror(stdout))
		die_errno(errno ? errno : EIO, "cannot write to stdout");
	return rc;
}
