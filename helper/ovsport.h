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

enum bridge_kind {
	BRIDGE_LINUX,		/* the kernel's, of kind "bridge" */
	BRIDGE_OVS,		/* a Bridge row in OVSDB */
	BRIDGE_NONE,		/* neither */
	BRIDGE_UNKNOWN,		/* cannot be told: see struct bridge_class */
};

/* What ovsport_classify() found, and why, for the messages. */
struct bridge_class {
	enum bridge_kind kind;
	/* The kernel's lookup of the name: 0; -ENODEV, no such interface;
	 * -EXDEV, an alternative name (the link's name is its own); other
	 * -errno: the lookup failed. Only 0 and -ENODEV let OVSDB be asked. */
	int link_rc;
	/* OVSDB: 0 when asked, or not needed (a Linux bridge); else the
	 * connection's -errno (db->connect_err) or the query's. */
	int ovs_rc;
};

/**
 * ovsport_classify() - what @name is here: the one rule that decides it for
 *			every caller in the helper (requests, --release,
 *			--check), in this order
 *   1. an interface the kernel has by that name (not by an alternative
 *      name) of kind "bridge" is a Linux bridge; OVSDB is not asked, so a
 *      Bridge row of the same name there does not change that;
 *   2. else, a Bridge row of that name in OVSDB is an Open vSwitch bridge
 *      (whatever the kernel has by the name: its internal interface, most
 *      likely, or nothing);
 *   3. else neither: with no OVSDB socket at all (-ENOENT) there is no Open
 *      vSwitch bridge either.
 * What cannot be established (a failed lookup, an alternative name, OVSDB
 * unreachable or not answering) is BRIDGE_UNKNOWN, never a guess.
 * The launcher's sysfs test (launcher/gettap.c) is rule 1 seen from sysfs.
 * @link:	the kernel's interface of that name; zeroed when none
 * @ovs:	what OVSDB holds about @name, when it was asked
 * @c:		the verdict, and the lookups' results
 *
 * Sends OVSDB one query at most. Dies on nothing.
 */
void ovsport_classify(struct nl *nl, struct ovsdb *db, const char *name,
		      struct nl_link *link, struct ovs_bridge *ovs,
		      struct bridge_class *c);

/**
 * ovsport_find_bridge() - step 5: @name is a Linux bridge or an Open
 *			   vSwitch bridge, by ovsport_classify()'s rule;
 *			   anything else is refused
 * @link:	the kernel's interface of that name; for an OVS bridge, its
 *		internal interface when there is one (ifindex 0 otherwise)
 * @ovs:	for an OVS bridge, what OVSDB holds about it
 * Return: BRIDGE_LINUX or BRIDGE_OVS.
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

/* acl_set_bridge_probe()'s probe: ovsport_classify()'s rule 1 alone. */
bool ovsport_is_linux_bridge(const char *name);

#endif /* TAPGATE_OVSPORT_H */
