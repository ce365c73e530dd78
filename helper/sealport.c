/* sealport.c - the helper's steps for a sealed port: its need decided, its namespace, TAP and veth pair made, its MAC locked, undone on failure */
#include <errno.h>
#include <unistd.h>

#include "audit.h"
#include "decide.h"
#include "limit.h"
#include "log.h"
#include "mac.h"
#include "priv.h"
#include "quote.h"
#include "sealport.h"

/* A sealed port's veth pair, for the die hook to remove at once. */
static struct nl *undo_nl;
static struct seal_port *undo_port;

void sealport_undo(void)
{
	if (undo_port)
		seal_undo(undo_nl, undo_port);
}

/* priv.c: CAP_SYS_ADMIN, kept permitted by step 2, goes here or is used
 * once by sealport_make(). */
void sealport_decide(const char *bridge, const struct acl_decision *d,
		     bool has_mac)
{
	const char *opt = d->opts.macguard ? "macguard" : "sealed";
	char q[QUOTE_BUF];

	if (!priv_seal_decided(d->opts.sealed))
		die("bridge %s needs a sealed port (option %s, %s), which "
		    "needs cap_sys_admin to make its network namespace, and "
		    "this helper was not given it: install it setuid root, or "
		    "with the file capabilities cap_net_admin,cap_sys_admin+ep",
		    quote_untrusted(q, bridge), opt, decide_rule_at());
	if (d->opts.macguard && !has_mac)
		die("bridge %s has the port option macguard (%s), which locks "
		    "the port to the guest's MAC, and no --mac=MAC was given: "
		    "use tapgate, which passes it (QEMU's -netdev bridge and "
		    "libvirt do not)", quote_untrusted(q, bridge),
		    decide_rule_at());
}

void sealport_guard(struct nl *host, const char *bridge,
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
		die("cannot lock the macguard port to --mac: %s",
		    nl_error(host, rc));
}

const struct seal_port *sealport_make(struct nl *host,
				      const struct nl_link *br, int *tun,
				      unsigned queues,
				      const struct tap_request *req,
				      struct tap_result *tap,
				      const struct acl_decision *d)
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
		die("cannot create the veth pair of a sealed port: %s",
		    nl_error(host->ext_msg[0] ? host : &sealed, rc));
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
		die("cannot join the sealed TAP to its veth: %s",
		    nl_error(&sealed, rc));
	nl_close(&sealed);
	return &port;
}
