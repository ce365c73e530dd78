/* ovsport.c - the helper's steps for Open vSwitch bridges: connect, recognise, sweep, attach, release */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "mac.h"
#include "quote.h"
#include "ovsport.h"

#ifndef TAPGATE_OVSDB_SOCK
#define TAPGATE_OVSDB_SOCK "/run/openvswitch/db.sock"
#endif

/* A bridge name in a message, quoted by the one rule (quote.h). */
static const char *qb(const char *name)
{
	static char buf[QUOTE_BUF];

	return quote_untrusted(buf, name);
}

/* What ovsport_undo() removes: the Port this process made. */
static struct {
	struct ovsdb *db;
	char port_uuid[40];
} made;

void ovsport_connect(struct ovsdb *db)
{
	/* Only when the socket exists: connect() to a missing path is
	 * ENOENT and changes nothing. Nothing is sent before the ACL has
	 * allowed the request (main.c, step 5). */
	ovsdb_connect(db, TAPGATE_OVSDB_SOCK);
}

/* "cannot ask Open vSwitch: WHY" for a connection that failed. */
static const char *no_ovsdb(const struct ovsdb *db, char *buf, size_t len)
{
	int err = -db->connect_err;

	if (err == ENOENT)
		snprintf(buf, len, "no Open vSwitch database is running "
			 "(no socket " TAPGATE_OVSDB_SOCK ")");
	else if (err == EACCES && geteuid() != 0)
		snprintf(buf, len, "cannot connect to the Open vSwitch database "
			 TAPGATE_OVSDB_SOCK ": %s (the socket is root's and this "
			 "helper has only cap_net_admin: Open vSwitch bridges "
			 "need it installed setuid root)", strerror(err));
	else if (err == ECONNREFUSED)
		snprintf(buf, len, "the Open vSwitch database is not running "
			 "(" TAPGATE_OVSDB_SOCK ": %s)", strerror(err));
	else
		snprintf(buf, len, "cannot connect to the Open vSwitch database "
			 TAPGATE_OVSDB_SOCK ": %s", strerror(err));
	return buf;
}

static noreturn void die_ovsdb(struct ovsdb *db, int rc, const char *what,
			       const char *bridge)
{
	if (db->err[0])
		die("%s %s: %s (%s)", what, qb(bridge), strerror(-rc), db->err);
	die_errno(-rc, "%s %s", what, qb(bridge));
}

/* Rule 1: the kernel has a bridge of that name. */
static bool kernel_bridge(int link_rc, const struct nl_link *link)
{
	return !link_rc && !strcmp(link->kind, "bridge");
}

void ovsport_classify(struct nl *nl, struct ovsdb *db, const char *name,
		      struct nl_link *link, struct ovs_bridge *ovs,
		      struct bridge_class *c)
{
	c->link_rc = nl_link_by_name(nl, name, link);
	c->ovs_rc = 0;
	if (c->link_rc == -ENODEV)
		memset(link, 0, sizeof(*link));
	if (kernel_bridge(c->link_rc, link)) {
		c->kind = BRIDGE_LINUX;
		return;
	}
	if (c->link_rc && c->link_rc != -ENODEV) {
		c->kind = BRIDGE_UNKNOWN;
		return;
	}
	if (db->fd < 0) {
		c->ovs_rc = db->connect_err;
		/* No socket: no database, so no Open vSwitch bridge. */
		c->kind = c->ovs_rc == -ENOENT ? BRIDGE_NONE : BRIDGE_UNKNOWN;
		return;
	}
	c->ovs_rc = ovs_bridge_query(db, name, ovs);
	if (c->ovs_rc)
		c->kind = BRIDGE_UNKNOWN;
	else
		c->kind = ovs->exists ? BRIDGE_OVS : BRIDGE_NONE;
}

enum bridge_kind ovsport_find_bridge(struct nl *nl, struct ovsdb *db,
				     const char *name, struct nl_link *link,
				     struct ovs_bridge *ovs)
{
	char kind[QUOTE_BUF + 48], why[320], qk[QUOTE_BUF];
	struct bridge_class c;

	ovsport_classify(nl, db, name, link, ovs, &c);
	if (c.kind == BRIDGE_LINUX || c.kind == BRIDGE_OVS)
		return c.kind;
	/* The ACL names interfaces by their names (see main.c). */
	if (c.link_rc == -EXDEV)
		die("%s is an alternative name of %s, which is not accepted: "
		    "name the bridge by its name", qb(name),
		    quote_untrusted(qk, link->name));
	if (c.link_rc && c.link_rc != -ENODEV)
		die("cannot look up bridge %s: %s", qb(name),
		    nl_error(nl, c.link_rc));
	/* What the kernel has under that name, for the refusal. */
	if (c.link_rc)
		snprintf(kind, sizeof(kind), "does not exist");
	else
		snprintf(kind, sizeof(kind), "is not a Linux bridge (its kind is %s)",
			 link->kind[0] ? quote_untrusted(qk, link->kind) : "none");
	if (db->fd < 0)
		die("bridge %s %s, and %s", qb(name), kind,
		    no_ovsdb(db, why, sizeof(why)));
	if (c.ovs_rc)
		die_ovsdb(db, c.ovs_rc, "cannot ask Open vSwitch about bridge",
			  name);
	die("bridge %s %s, nor is it an Open vSwitch bridge", qb(name), kind);
}

void ovsport_check_options(enum bridge_kind kind, const char *bridge,
			   const struct acl_decision *d, const char *rule_at,
			   const char *iface_id)
{
	if (kind == BRIDGE_LINUX) {
		if (d->opts.vlan)
			die("vlan=%u (%s) is an Open vSwitch option, and %s "
			    "is a Linux bridge", d->opts.vlan, rule_at,
			    qb(bridge));
		if (iface_id)
			die("--iface-id is for Open vSwitch bridges, and %s is "
			    "a Linux bridge", qb(bridge));
		return;
	}
	if (d->opts.isolated || d->opts.sealed)
		die("%s (%s) is a Linux bridge option, and %s is an "
		    "Open vSwitch bridge", d->opts.isolated ? "isolated" :
		    d->opts.macguard ? "macguard" : "sealed", rule_at,
		    qb(bridge));
}

/* ovs_tap_probe over netlink: is the TAP with @ifindex still there? */
static enum ovs_tap_state probe_tap(const char *name, int ifindex, void *data)
{
	struct nl_link link;
	int rc = nl_link_by_name(data, name, &link);

	if (rc == -ENODEV)
		return OVS_TAP_GONE;
	if (rc)
		return OVS_TAP_UNKNOWN;
	return link.ifindex == ifindex ? OVS_TAP_ALIVE : OVS_TAP_GONE;
}

static void netns_id(char *buf, size_t len)
{
	int rc = ovs_netns_id(buf, len);

	if (rc)
		die_errno(-rc, "cannot read /proc/self/ns/net");
}

/* Reads of the bridge a sweep makes at most (see sweep()). */
#define SWEEP_TRIES 4

/*
 * ovs_sweep(), read again when its transaction failed. The removal
 * re-checks each row it removes, so when another helper removed one of
 * them first (two requests on one bridge at once, both seeing the same dead
 * rows), the whole transaction fails: the bridge is read again and what is
 * still there swept, a bounded number of times.
 */
static int sweep(struct nl *nl, struct ovsdb *db, const char *bridge,
		 struct ovs_bridge *ovs, const char *only_name, uid_t only_uid,
		 size_t *removed)
{
	char netns[32];
	int rc, tries;

	netns_id(netns, sizeof(netns));
	for (tries = 1; ; tries++) {
		rc = ovs_sweep(db, ovs, bridge, netns, probe_tap, nl, only_name,
			       only_uid, removed);
		if (rc != -EIO || tries == SWEEP_TRIES)
			return rc;
		rc = ovs_bridge_query(db, bridge, ovs);
		if (rc)
			return rc;
		if (!ovs->exists) {
			*removed = 0;
			return -ENODEV;
		}
	}
}

void ovsport_sweep(struct nl *nl, struct ovsdb *db, const char *bridge,
		   struct ovs_bridge *ovs)
{
	size_t removed;
	int rc;

	rc = sweep(nl, db, bridge, ovs, NULL, 0, &removed);
	if (rc == -ENODEV)
		die("Open vSwitch bridge %s went away", qb(bridge));
	if (rc == -ETIMEDOUT)
		die("cannot remove stale ports from Open vSwitch bridge %s: "
		    "ovs-vswitchd did not apply it within %d s", qb(bridge),
		    OVS_APPLY_MS / 1000);
	if (rc)
		die_ovsdb(db, rc, "cannot remove stale ports from Open vSwitch bridge",
			  bridge);
}

void ovsport_attach(struct ovsdb *db, const char *bridge,
		    const struct tap_result *tap, const struct acl_decision *d,
		    const char *iface_id, const unsigned char *mac)
{
	struct ovs_port p = {
		.bridge = bridge,
		.tap = tap->name,
		.ifindex = tap->ifindex,
		.uid = getuid(),
		.vlan = d->opts.vlan,
		.iface_id = iface_id,
	};
	char netns[32], why[256], macs[MAC_STRLEN];
	int rc;

	netns_id(netns, sizeof(netns));
	p.netns = netns;
	if (mac) {
		/* OVN's attached-mac: the guest's, when the request names it. */
		p.mac = mac_format(mac, macs);
	}
	made.db = db;
	rc = ovs_attach(db, &p, made.port_uuid, why, sizeof(why));
	if (rc && why[0])
		die("cannot add %s to Open vSwitch bridge %s: %s", tap->name,
		    qb(bridge), why);
	if (rc)
		die_ovsdb(db, rc, "cannot add the TAP to Open vSwitch bridge",
			  bridge);
}

void ovsport_undo(void)
{
	if (!made.db || !made.port_uuid[0])
		return;
	/* Best effort: if it fails, the next request's sweep removes the
	 * rows, since the TAP goes with this process. */
	ovs_detach(made.db, made.port_uuid);
	made.port_uuid[0] = '\0';
}

bool ovsport_release(struct nl *nl, struct ovsdb *db, const char *bridge,
		     const char *tap)
{
	static struct ovs_bridge ovs;
	struct nl_link link;
	size_t removed, i;
	int rc;

	if (ovsport_find_bridge(nl, db, bridge, &link, &ovs) != BRIDGE_OVS)
		die("bridge %s is a Linux bridge: there is nothing to release",
		    qb(bridge));
	rc = sweep(nl, db, bridge, &ovs, tap, getuid(), &removed);
	if (rc == -ENODEV)
		die("Open vSwitch bridge %s went away", qb(bridge));
	if (rc)
		die_ovsdb(db, rc, "cannot release the port on Open vSwitch bridge",
			  bridge);
	if (removed)
		return true;
	for (i = 0; i < ovs.nrows; i++) {
		const struct ovs_row *r = &ovs.row[i];

		if (strcmp(r->name, tap))
			continue;
		if (!r->uid_known || r->uid != getuid())
			die("%s on Open vSwitch bridge %s is not yours", tap,
			    qb(bridge));
		die("%s on Open vSwitch bridge %s is still in use: it is "
		    "released once its TAP is gone", tap, qb(bridge));
	}
	/* No such row: already released (or never made). */
	return false;
}

bool ovsport_is_linux_bridge(const char *name)
{
	struct nl_link link;
	struct nl nl;
	int rc;

	if (nl_open(&nl))
		return false;	/* the request itself checks again */
	rc = nl_link_by_name(&nl, name, &link);
	nl_close(&nl);
	return kernel_bridge(rc, &link);
}
