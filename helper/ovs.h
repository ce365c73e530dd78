/* ovs.h - the helper's Open vSwitch port: the rows it writes, the stale ones it removes, waiting for ovs-vswitchd */
#ifndef TAPGATE_OVS_H
#define TAPGATE_OVS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "ovsdb.h"

/* Reusable module: functions return 0 or -errno; on failure, the
 * struct ovsdb's err says what the server said, and the @why buffers
 * what tapgate concluded. */

/* external_ids on the Port and Interface rows tapgate makes. Only root can
 * write OVSDB, so a row carrying OVS_MARK was made by tapgate-helper. */
#define OVS_MARK_KEY	"tapgate-made-by"
#define OVS_MARK_VALUE	"tapgate-helper"
#define OVS_UID_KEY	"tapgate-uid"
#define OVS_IFINDEX_KEY	"tapgate-ifindex"
#define OVS_NETNS_KEY	"tapgate-netns"
/* OVN's keys (ovn-architecture(7)): the logical port the Interface binds. */
#define OVS_IFACE_ID_KEY "iface-id"
#define OVS_ATTACHED_MAC_KEY "attached-mac"

/* tapgate rows on one bridge that one request looks at, at most. */
#define OVS_ROWS_MAX 128
/* Bound on each round trip, and on waiting for ovs-vswitchd. */
#define OVS_RPC_MS 5000
#define OVS_APPLY_MS 5000
/* Longest iface-id accepted (OVN logical port names are free text; ours
 * are names a pattern made). */
#define OVS_IFACE_ID_MAX 64

/* One Port row tapgate made, as OVSDB has it. */
struct ovs_row {
	char uuid[40];		/* the Port's _uuid */
	char name[16];		/* the TAP's name (Port and Interface name) */
	int ifindex;		/* tapgate-ifindex, or 0 when unreadable */
	uid_t uid;		/* tapgate-uid */
	bool uid_known;
	char netns[32];		/* tapgate-netns, or "" */
};

/* What OVSDB knows about a bridge. */
struct ovs_bridge {
	bool exists;		/* a Bridge row of that name */
	size_t nrows;		/* tapgate's Port rows on it (first OVS_ROWS_MAX) */
	struct ovs_row row[OVS_ROWS_MAX];
};

/* The port to add. */
struct ovs_port {
	const char *bridge;
	const char *tap;	/* Port and Interface name */
	int ifindex;
	uid_t uid;
	const char *netns;	/* ovs_netns_id() */
	unsigned vlan;		/* Port.tag, 1-4094; 0: none */
	const char *iface_id;	/* external_ids:iface-id, or NULL */
	const char *mac;	/* external_ids:attached-mac, or NULL */
};

/**
 * ovs_netns_id() - this process's network namespace as "net:[INODE]",
 *		    what tapgate-netns records
 * Return: 0 or -errno.
 */
int ovs_netns_id(char *buf, size_t len);

/* Liveness as the helper sees it: what a row's TAP is now. */
enum ovs_tap_state {
	OVS_TAP_ALIVE,		/* the TAP with the recorded ifindex exists */
	OVS_TAP_GONE,		/* no interface by that name, or another ifindex */
	OVS_TAP_UNKNOWN,	/* cannot tell (another netns, a failed lookup) */
};

/* Looks the TAP @name up in our namespace: is it the one with @ifindex? */
typedef enum ovs_tap_state (*ovs_tap_probe)(const char *name, int ifindex,
					    void *data);

/**
 * ovs_row_removable() - may tapgate remove @row?
 * @row:	a tapgate row
 * @netns:	our network namespace id
 * @probe:	asked what @row's TAP is now (with @data), only when the row
 *		can be judged here
 *
 * Only when the row's TAP is gone and we can know it: the row records a
 * TAP name, our network namespace (an interface name means nothing in
 * another) and its ifindex. Whatever cannot be judged stays, unprobed.
 */
bool ovs_row_removable(const struct ovs_row *row, const char *netns,
		       ovs_tap_probe probe, void *data);

/* Round trips. */

/**
 * ovs_bridge_query() - does @name exist, and which tapgate rows are on it
 * Return: 0 or -errno (then @db->err may say more).
 */
int ovs_bridge_query(struct ovsdb *db, const char *name,
		     struct ovs_bridge *br);

/**
 * ovs_sweep() - remove the rows of @br whose TAP is gone, in a transaction
 *		 of their own, and wait until ovs-vswitchd has applied it (so
 *		 that a TAP of the same name added next gets a new netdev)
 * @only_name:	only the row of this TAP (the --release mode), or NULL
 * @only_uid:	with @only_name, only when the row is this user's
 * @removed:	how many were removed
 *
 * A row whose TAP lives, whose state cannot be known, or that changed since
 * @br was read (checked in the same transaction) is never touched.
 * Return: 0; -EIO when a row changed since @br was read (read it again) or
 * the server refused the removal; -ETIMEDOUT when ovs-vswitchd did not
 * apply it within OVS_APPLY_MS; other -errno.
 */
int ovs_sweep(struct ovsdb *db, const struct ovs_bridge *br,
	      const char *bridge, const char *netns, ovs_tap_probe probe,
	      void *data, const char *only_name, uid_t only_uid,
	      size_t *removed);

/**
 * ovs_attach() - add the TAP as a system port in one transaction (checked:
 *		  the bridge exists, no Interface holds the iface-id), then
 *		  wait for ovs-vswitchd to give it an OpenFlow port
 * @port_uuid:	set to the new Port's _uuid once inserted ("" before), so
 *		that a later failure can ovs_detach() it
 * @why:	on failure, the reason in tapgate's words
 *
 * Return: 0; -EEXIST when another Interface holds the iface-id; -ENODEV
 * when the bridge went away; -ETIMEDOUT when ovs-vswitchd did not take the
 * port in time; -EIO when it refused it (@why has Interface.error); other
 * -errno.
 */
int ovs_attach(struct ovsdb *db, const struct ovs_port *p,
	       char port_uuid[40], char *why, size_t whylen);

/**
 * ovs_detach() - remove the Port @port_uuid this process made (and, with
 *		  it, its Interface), if it is still tapgate's
 * Return: 0 or -errno.
 */
int ovs_detach(struct ovsdb *db, const char *port_uuid);

/* Pure builders and parsers, unit-tested. */

/* select Bridge @name (_uuid, ports) and tapgate's Port rows. */
json_t *ovs_ops_bridge_query(const char *name);
int ovs_parse_bridge_query(json_t *result, struct ovs_bridge *br);

/* For each of @n rows: a wait that it is unchanged, then its removal from
 * every Bridge's ports; then next_cfg += 1 and a select of next_cfg. */
json_t *ovs_ops_remove(const struct ovs_row *const *rows, size_t n);

/* The insert transaction; OVS_OP_* name the indexes of its operations
 * that are read back: the checks, and the insert whose result is the new
 * Port's _uuid. */
enum {
	OVS_OP_BRIDGE_EXISTS = 0,
	OVS_OP_IFACE_ID_FREE = 1,
	OVS_OP_IFACE_INSERT = 2,
	OVS_OP_PORT_INSERT = 3,
};
json_t *ovs_ops_attach(const struct ovs_port *p);

/* Wait (server side, up to @timeout_ms) until Interface @tap has an
 * ofport, then select its ofport and error. */
json_t *ovs_ops_wait_ofport(const char *tap, int timeout_ms);

/**
 * ovs_parse_ofport() - the ofport and error of the reply to
 *			ovs_ops_wait_ofport()
 * @ofport:	the OpenFlow port, -1 when ovs-vswitchd failed to add it
 * @error:	Interface.error (borrowed), or NULL
 * Return: 0, -ENOENT when the Interface is gone, -EPROTO.
 */
int ovs_parse_ofport(json_t *result, long long *ofport, const char **error);

/* Wait (server side, up to @timeout_ms) until cur_cfg >= @cfg. */
json_t *ovs_ops_wait_cfg(long long cfg, int timeout_ms);
/* The integer of column @col in the first row of the select at @result[@i]. */
int ovs_parse_cfg(json_t *result, size_t i, const char *col, long long *v);

#endif /* TAPGATE_OVS_H */
