/* main.c - tapgate-helper: the steps of SPEC §3, in order */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "acl.h"
#include "args.h"
#include "audit.h"
#include "caller.h"
#include "decide.h"
#include "fdpass.h"
#include "limit.h"
#include "log.h"
#include "modes.h"
#include "ovsport.h"
#include "priv.h"
#include "quote.h"
#include "rtnl.h"
#include "sealport.h"
#include "sweep.h"
#include "tap.h"
#include "userns.h"

/* Step 3: the socket the arguments name (they were parsed first, in main). */
static void check_socket(int sockfd)
{
	int rc = fd_check_unix_connected(sockfd);

	if (rc)
		die_errno(-rc, "--fd=%d is not a connected AF_UNIX socket",
			  sockfd);
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
	ovsport_check_options(kind, name, d, decide_rule_at(), iface_id);
	if (kind == BRIDGE_OVS)
		ovsport_sweep(nl, db, name, &ovs);
	return kind;
}

/* Step 6: create the TAP and make it the caller's. */
static void create_tap(const int *tun, unsigned queues,
		       const struct tap_request *req, struct tap_result *tap)
{
	int rc;

	rc = tap_create(tun, queues, req, tap);
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

/* die()'s hook: nothing left behind, then the refusal to syslog. */
static void refuse(const char *msg)
{
	sealport_undo();
	ovsport_undo();
	audit_refuse(msg);
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
	struct tap_request req;
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

	/* Or, instead of steps 2 to 8, a mode that makes no port. */
	if (a.help || a.version || a.check || a.sweep || a.release)
		return mode_run(&a);

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
	sealport_decide(a.bridge, &d, a.has_mac);
	decide_iface_id(a.iface_id, a.bridge, &d);

	/* Step 5: the bridge (Linux, or Open vSwitch). */
	rc = nl_open(&nl);
	if (rc)
		die_errno(-rc, "cannot open a netlink socket");
	kind = find_bridge(&nl, &db, a.bridge, &br, &d, a.iface_id);
	req = (struct tap_request){ .vnet_hdr = a.use_vnet, .owner = getuid() };

	if (d.opts.sealed) {
		const struct seal_port *port;

		/* Step 6, sealed: the TAP in a namespace of its own, and its
		 * veth pair (the slot goes on the bridge port). */
		port = sealport_make(&nl, &br, tun, a.queues, &req, &tap, &d);

		/* Step 7: the port is the veth's bridge end. */
		configure_port(&nl, a.bridge, BRIDGE_LINUX, &br, port->ifindex,
			       port->name, &d);
		if (d.opts.macguard)
			sealport_guard(&nl, a.bridge, port, a.mac);
	} else {
		/* Step 6: the TAP, and the caller's slot under the limit. */
		create_tap(tun, a.queues, &req, &tap);
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
