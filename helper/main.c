/* main.c - tapgate-helper: the steps of SPEC §3, in order */
#include <errno.h>
#include <limits.h>
#include <stdnoreturn.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acl.h"
#include "args.h"
#include "audit.h"
#include "caller.h"
#include "check.h"
#include "fdpass.h"
#include "limit.h"
#include "log.h"
#include "mac.h"
#include "ovsport.h"
#include "rtnl.h"
#include "parse.h"
#include "priv.h"
#include "quote.h"
#include "seal.h"
#include "sweep.h"
#include "tap.h"
#include "userns.h"

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

/* Step 3: the socket the arguments name (they were parsed first, in main). */
static void check_socket(int sockfd)
{
	int rc = fd_check_unix_connected(sockfd);

	if (rc)
		die_errno(-rc, "--fd=%d is not a connected AF_UNIX socket",
			  sockfd);
}

/*
 * Step 4: load the ACL as the caller and decide. Nothing after the
 * decision needs the ACL, so it is freed here; @d keeps only values (its
 * origins pointed into the ACL and are cleared).
 */
/* "FILE:LINE" of the allow rule that decided, kept for later messages. */
static char allowed_by[PATH_MAX + 16];

static void decide(const char *bridge, struct acl_decision *d,
		   struct acl_principal *who)
{
	struct acl *acl = acl_new();
	char why[1200], q[QUOTE_BUF];

	if (!acl)
		die_errno(ENOMEM, "cannot load the ACL");
	acl_set_bridge_probe(acl, ovsport_is_linux_bridge);
	if (acl_load(acl, TAPGATE_ACL_PATH)) {
		/* A failed load has recorded at least one error (out of
		 * memory is one too): acl_error(acl, 0) is never NULL. */
		snprintf(why, sizeof(why),
			 "%s (the ACL is invalid, so no bridge is allowed%s)",
			 acl_error(acl, 0),
			 acl_nerrors(acl) > 1 ?
			 "; tapgate-helper --check lists every error" : "");
	} else {
		acl_decide(acl, bridge, who, d);
		if (d->allowed) {
			snprintf(allowed_by, sizeof(allowed_by), "%s:%u",
				 d->decided_by.file, d->decided_by.line);
			acl_free(acl);
			d->decided_by.file = NULL;
			d->limit_from.file = NULL;
			return;
		}
		if (d->decided_by.file) {
			/* A deny whose user or group could not be resolved
			 * applies to everyone: say so, or the refusal of a
			 * user the rule does not name reads as a bug. */
			const char *unresolved =
				acl_unresolved(acl, &d->decided_by);

			snprintf(why, sizeof(why),
				 "bridge %s is denied for user %s by %s:%u%s%s%s",
				 quote_untrusted(q, bridge), caller_name(),
				 d->decided_by.file, d->decided_by.line,
				 unresolved ? " (" : "",
				 unresolved ? unresolved : "",
				 unresolved ? ": the rule fails closed)" : "");
		} else
			snprintf(why, sizeof(why),
				 "bridge %s is not allowed for user %s by %s",
				 quote_untrusted(q, bridge), caller_name(),
				 TAPGATE_ACL_PATH);
	}
	/* The message names the ACL's own strings: copy it, then free. */
	acl_free(acl);
	die("%s", why);
}

/* Step 4, cont.: --iface-id only as the deciding rule's pattern allows. */
static void check_iface_id(const char *id, const char *bridge,
			   const struct acl_decision *d)
{
	char q[QUOTE_BUF];

	if (!id)
		return;
	if (!d->opts.iface_id[0])
		die("--iface-id=%s is not allowed: the rule at %s that allows "
		    "bridge %s has no iface-id= pattern", id, allowed_by,
		    quote_untrusted(q, bridge));
	if (!acl_iface_id_match(d->opts.iface_id, caller_name(), getuid(), id))
		die("--iface-id=%s does not match iface-id=%s (%s) for user %s",
		    id, d->opts.iface_id, allowed_by, caller_name());
}

/*
 * Step 5: the bridge, by its exact name: a Linux bridge, or else an Open
 * vSwitch bridge (asked of OVSDB only now, after the ACL allowed it); on
 * OVS, first the dead ports tapgate left there go, in their own
 * transaction.
 */
static enum bridge_kind find_bridge(struct nl *nl, struct ovsdb *db,
				    const char *name, struct nl_link *br,
				    const struct acl_decision *d,
				    const char *iface_id)
{
	static struct ovs_bridge ovs;
	enum bridge_kind kind;

	kind = ovsport_find_bridge(nl, db, name, br, &ovs);
	ovsport_check_options(kind, name, d, allowed_by, iface_id);
	if (kind == BRIDGE_OVS)
		ovsport_sweep(nl, db, name, &ovs);
	return kind;
}

/* Step 6: create the TAP and make it the caller's. */
static void create_tap(const int *tun, unsigned queues, bool use_vnet,
		       struct tap_result *tap)
{
	struct tap_request req = { .vnet_hdr = use_vnet, .owner = getuid() };
	int rc;

	rc = tap_create(tun, queues, &req, tap);
	if (rc)
		die_errno(-rc, "cannot create a TAP device");
	audit_set_tap(tap->name);
}

/* Step 7: master, MTU, MAC, alias, isolation and up, in one round trip,
 * on the bridge port: the TAP, or a sealed port's veth (on Open vSwitch:
 * MTU, MAC, alias and up; ovs-vswitchd adds the port in step 8). */
static void configure_port(struct nl *nl, const char *bridge,
			   enum bridge_kind kind, const struct nl_link *br,
			   int ifindex, const char *name,
			   const struct acl_decision *d)
{
	struct nl_port_config c = {
		.ifindex = ifindex,
		.master = br->ifindex,
		.mtu = br->mtu,
		.isolated = d->opts.isolated,
		/* A guarded port goes up only once it is locked to --mac. */
		.stay_down = d->opts.macguard,
	};
	char alias[64], q[QUOTE_BUF];
	int rc;

	if (kind == BRIDGE_OVS) {
		/* ovs-vswitchd adds the port (step 8); the MTU is the bridge's
		 * own interface's, when it has one here. */
		c.master = 0;
		c.unbridged = true;
	}

	snprintf(alias, sizeof(alias), SWEEP_ALIAS_FMT,
		 (unsigned)getuid(), (int)getppid());
	c.alias = alias;
	rc = tap_random_mac(c.mac);
	if (rc)
		die_errno(-rc, "cannot make a MAC address for %s", name);
	rc = nl_port_setup(nl, &c);
	if (rc)
		die("cannot attach %s to bridge %s: %s", name,
		    quote_untrusted(q, bridge), nl_error(nl, rc));
}

/* A sealed port's veth pair, for the die hook to remove at once. */
static struct nl *undo_nl;
static struct seal_port *undo_port;

/* die()'s hook: nothing left behind, then the refusal to syslog. */
static void refuse(const char *msg)
{
	if (undo_port)
		seal_undo(undo_nl, undo_port);
	ovsport_undo();
	audit_refuse(msg);
}

static noreturn void die_nl(int rc, const struct nl *nl, const char *what)
{
	if (nl->ext_msg[0])
		die("%s: %s (%s)", what, strerror(-rc), nl->ext_msg);
	die_errno(-rc, "%s", what);
}

/* After step 4: does the port need, and can the helper make, a sealed
 * port's namespace? (priv.c: CAP_SYS_ADMIN, kept permitted by step 2) */
static void decide_seal(const char *bridge, const struct acl_decision *d,
			bool has_mac)
{
	const char *opt = d->opts.macguard ? "macguard" : "sealed";
	char q[QUOTE_BUF];

	if (!priv_seal_decided(d->opts.sealed))
		die("bridge %s needs a sealed port (option %s, %s), which "
		    "needs cap_sys_admin to make its network namespace, and "
		    "this helper was not given it: install it setuid root, or "
		    "with the file capabilities cap_net_admin,cap_sys_admin+ep",
		    quote_untrusted(q, bridge), opt, allowed_by);
	if (d->opts.macguard && !has_mac)
		die("bridge %s has the port option macguard (%s), which locks "
		    "the port to the guest's MAC, and no --mac=MAC was given: "
		    "use tapgate, which passes it (QEMU's -netdev bridge and "
		    "libvirt do not)", quote_untrusted(q, bridge), allowed_by);
}

/* Step 7 of a macguard port: locked to @mac, then up (seal.c). */
static void guard_port(struct nl *host, const char *bridge,
		       const struct seal_port *port, const unsigned char *mac)
{
	char m[MAC_STRLEN], q[QUOTE_BUF];
	int rc = seal_guard(host, port->ifindex, mac);

	if (rc == -EEXIST)
		die("bridge %s already knows MAC %s (on another port, learned, "
		    "or as its own), so a macguard port cannot take it: give "
		    "this VM a MAC of its own", quote_untrusted(q, bridge),
		    mac_format(mac, m));
	if (rc)
		die_nl(rc, host, "cannot lock the macguard port to --mac");
}

/*
 * Steps 6 and 7 of a sealed port (seal.c): the helper moves to a new
 * network namespace, makes the TAP there, joins it to a veth pair whose
 * other end is the bridge port, and configures that end as step 7 does a
 * plain TAP. @tun's fds, opened in the host's namespace, are replaced.
 */
static void make_sealed_port(struct nl *host, const char *bridge,
			     const struct nl_link *br, int *tun,
			     unsigned queues, const struct tap_request *req,
			     struct tap_result *tap,
			     const struct acl_decision *d,
			     const unsigned char *mac)
{
	static struct seal_port port;
	struct tap_request sealed_req;
	struct nl sealed;
	unsigned i;
	int rc;

	for (i = 0; i < queues; i++)
		close(tun[i]);
	rc = priv_unshare_net();
	if (rc)
		die_errno(-rc, "cannot make a network namespace for a sealed port");
	rc = nl_open(&sealed);
	if (rc)
		die_errno(-rc, "cannot open a netlink socket in the sealed namespace");

	undo_nl = host;
	undo_port = &port;
	rc = seal_make_pair(host, &sealed, br->mtu, &port);
	if (rc)
		die_nl(rc, host->ext_msg[0] ? host : &sealed,
		       "cannot create the veth pair of a sealed port");
	audit_set_tap(port.name);
	/* The slot goes on the bridge port, in the host's namespace, where
	 * only CAP_NET_ADMIN can touch it, and goes with it. */
	limit_apply(host, port.ifindex, d->has_limit, d->limit);

	/* The TAP takes its bridge port's name: whoever holds the fd (the
	 * launcher) finds, by the name TUNGETIFF gives, the port that stands
	 * for it on the bridge. */
	sealed_req = *req;
	sealed_req.name = port.name;
	rc = tap_open_nodes(tun, queues);
	if (rc == -EACCES)
		die_errno(-rc, "cannot open " TUN_PATH " in the sealed port's "
			  "namespace (a sealed port needs the node mode 0666)");
	if (rc)
		die_errno(-rc, "cannot open " TUN_PATH);
	rc = tap_create(tun, queues, &sealed_req, tap);
	if (rc)
		die_errno(-rc, "cannot create a TAP device");
	rc = seal_wire(&sealed, tap->ifindex, &port, br->mtu);
	if (rc)
		die_nl(rc, &sealed, "cannot join the sealed TAP to its veth");
	nl_close(&sealed);
	configure_port(host, bridge, BRIDGE_LINUX, br, port.ifindex, port.name,
		       d);
	if (d->opts.macguard)
		guard_port(host, bridge, &port, mac);
}

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
	char detail[64];
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
	snprintf(detail, sizeof(detail), "%s", removed ?
		 "removed the Open vSwitch rows of a TAP that is gone" :
		 "no Open vSwitch rows were left");
	audit_release(detail);
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

int main(int argc, char **argv)
{
	struct helper_args a;
	char err[256];
	bool bad_args;
	struct acl_principal who;
	struct acl_decision d;
	struct tap_result tap;
	enum bridge_kind kind;
	struct nl_link br;
	int tun[QUEUES_MAX];
	struct ovsdb db;
	struct nl nl;
	char detail[160];
	int rc;

	/* Step 1: argc, fds, environment, dumpability, user namespace. */
	log_init("tapgate-helper");
	/* pkexec's CVE-2021-4034: with argc 0, argv[1] is the environment. */
	if (argc < 1 || !argv[0])
		die("refusing to run with an empty argument list");

	/*
	 * The arguments are parsed once, first: the rest of this step must
	 * know which fd is SOCKFD, step 2 how many TAP nodes to open, and the
	 * parser is pure (no I/O, no allocation, no environment; fuzzed), so
	 * running it privileged costs nothing, as OpenDoas runs getopt. Its
	 * verdict waits until the fds and environment are safe and the
	 * refusal can be logged.
	 */
	bad_args = args_parse(argc, argv, &a, err, sizeof(err)) != 0;
	priv_sanitize(bad_args ? -1 : a.sockfd);
	audit_set_caller(getuid(), getppid());
	log_set_die_hook(refuse);
	/* Before anything is read (the ACL, the TAP node) or acted on. */
	userns_require_initial();
	if (bad_args) {
		/* Refused, and logged, with no privilege left. */
		priv_become(getuid(), getgid(), false);
		die("%s", err);
	}
	if (a.bridge)
		audit_set_bridge(a.bridge);

	if (a.help || a.version || a.check || a.sweep) {
		rc = a.sweep ? sweep_mode(&a) : info_mode(&a);
		/* A report that did not reach stdout (a full disk, a closed
		 * pipe) must not look like success. */
		if (fflush(stdout) || ferror(stdout))
			die_errno(errno ? errno : EIO, "cannot write to stdout");
		return rc;
	}
	if (a.release)
		return release_mode(&a);

	/* Step 2: what priv.c lists as opened with the installed privilege,
	 * then only CAP_NET_ADMIN, as the caller. */
	rc = tap_open_nodes(tun, a.queues);
	if (rc == -EACCES && geteuid() != 0)
		die_errno(-rc, "cannot open " TUN_PATH " (with only cap_net_admin "
			  "the node must be mode 0666; or install the helper "
			  "setuid root)");
	if (rc)
		die_errno(-rc, "cannot open " TUN_PATH);
	ovsport_connect(&db);
	priv_keep_net_admin();

	/* Step 3: the arguments' socket (their syntax was checked first). */
	check_socket(a.sockfd);

	/* Step 4: the ACL. */
	caller_principal(&who);
	decide(a.bridge, &d, &who);
	decide_seal(a.bridge, &d, a.has_mac);
	check_iface_id(a.iface_id, a.bridge, &d);

	/* Step 5: the bridge (Linux, or Open vSwitch). */
	rc = nl_open(&nl);
	if (rc)
		die_errno(-rc, "cannot open a netlink socket");
	kind = find_bridge(&nl, &db, a.bridge, &br, &d, a.iface_id);

	if (d.opts.sealed) {
		struct tap_request req = {
			.vnet_hdr = a.use_vnet, .owner = getuid(),
		};

		/* Steps 6 and 7, sealed. */
		make_sealed_port(&nl, a.bridge, &br, tun, a.queues, &req, &tap,
				 &d, a.mac);
	} else {
		/* Step 6: the TAP, and the caller's slot under the limit. */
		create_tap(tun, a.queues, a.use_vnet, &tap);
		limit_apply(&nl, tap.ifindex, d.has_limit, d.limit);

		/* Step 7: the port. */
		configure_port(&nl, a.bridge, kind, &br, tap.ifindex, tap.name,
			       &d);
	}
	nl_close(&nl);

	/* Step 8: no privilege left; on Open vSwitch the port rows (with
	 * only the OVSDB connection); then the fds leave. */
	priv_drop_all();
	if (kind == BRIDGE_OVS)
		ovsport_attach(&db, a.bridge, &tap, &d, a.iface_id,
			       a.has_mac ? a.mac : NULL);
	rc = fd_send(a.sockfd, tun, a.queues);
	if (rc)
		die_errno(-rc, "cannot send the TAP to --fd=%d", a.sockfd);
	ovsdb_close(&db);
	snprintf(detail, sizeof(detail), "queues=%u%s%s%s%s%s%s", a.queues,
		 tap.vnet_hdr ? " vnet_hdr" : "",
		 d.opts.isolated ? " isolated" : "",
		 d.opts.macguard ? " macguard" : d.opts.sealed ? " sealed" : "",
		 kind == BRIDGE_OVS ? " ovs" : "",
		 a.iface_id ? " iface-id=" : "", a.iface_id ? a.iface_id : "");
	audit_grant(detail);
	/* The process ends anyway, but LeakSanitizer reports what main()
	 * no longer points to: every grant failed under make check
	 * SANITIZE=1 without this. */
	free((void *)who.groups);
	return 0;
}
