/* ovsport.h - the helper's steps for Open vSwitch bridges: connect, recognise, sweep, attach, release */
#ifndef TAPGATE_OVSPORT_H
#define TAPGATE_OVSPORT_H

#include <stdbool.h>

#include "acl.h"
#include "rtnl.h"
#include "ovs.h"
#include "ovsdb.h"
#include "tap.h"

/* These steps die with a refusal line on failure (log.h), like main's. */

/* Step 2, still privileged: connect to OVSDB if its socket exists (on
 * priv.c's list). Sends nothing. Failure is only remembered in @db. */
void ovsport_connect(struct ovsdb *db);

enum bridge_kind { BRIDGE_LINUX, BRIDGE_OVS };

/**
 * ovsport_find_bridge() - step 5: @name is a Linux bridge (netlink), or an
 *			   Open vSwitch bridge (OVSDB, asked only when it is
 *			   not a Linux bridge); anything else is refused
 * @link:	the kernel's interface of that name; for an OVS bridge, its
 *		internal interface when there is one (ifindex 0 otherwise)
 * @ovs:	for an OVS bridge, what OVSDB holds about it
 */
enum bridge_kind ovsport_find_bridge(struct nl *nl, struct ovsdb *db,
				     const char *name, struct nl_link *link,
				     struct ovs_bridge *ovs);

/* The options that only one kind of bridge has: refused on the other;
 * @rule_at ("FILE:LINE") names the rule that gave them. */
void ovsport_check_options(enum bridge_kind kind, const char *bridge,
			   const struct acl_decision *d, const char *rule_at,
			   const char *iface_id);

/* Before the request: remove the dead tapgate rows on the bridge (@ovs,
 * as ovsport_find_bridge() read it, is read again when another helper
 * removed some of them first). */
void ovsport_sweep(struct nl *nl, struct ovsdb *db, const char *bridge,
		   struct ovs_bridge *ovs);

/**
 * ovsport_attach() - step 8, with no privilege left: add the TAP to the
 *		      OVS bridge and wait for ovs-vswitchd
 * A later die() removes the rows again (ovsport_undo(), the die hook).
 */
void ovsport_attach(struct ovsdb *db, const char *bridge,
		    const struct tap_result *tap, const struct acl_decision *d,
		    const char *iface_id, const unsigned char *mac);

/* Remove the rows this process added, if any (from the die hook). */
void ovsport_undo(void);

/* The --release mode: remove the caller's rows of TAP @tap on @bridge
 * once the TAP is gone; refuse while it lives. Return: whether rows were
 * removed (false: there were none). */
bool ovsport_release(struct nl *nl, struct ovsdb *db, const char *bridge,
		     const char *tap);

/* acl_set_bridge_probe()'s probe: one netlink lookup. */
bool ovsport_is_linux_bridge(const char *name);

#endif /* TAPGATE_OVSPORT_H */
