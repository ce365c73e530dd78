/* ovs.c - the helper's Open vSwitch port: the rows it writes, the stale ones it removes, waiting for ovs-vswitchd */

/*
 * Theory of operation
 *
 * A TAP joins an OVS bridge as an ordinary system port: one Interface row
 * (type "", named after the TAP) in one Port row in the Bridge's ports,
 * all inserted by one transaction that first checks, inside the same
 * transaction, that the bridge exists and that no Interface already holds
 * the requested iface-id. OVSDB runs a transaction atomically, so two
 * helpers asking for one id at once cannot both win, and a port another
 * user holds is never touched: the check fails and nothing is written.
 *
 * Both rows carry external_ids that say tapgate made them
 * (tapgate-made-by=tapgate-helper), for whom (tapgate-uid), for which TAP
 * (tapgate-ifindex) and in which network namespace (tapgate-netns). Only
 * root can write to OVSDB, so nobody else can forge them.
 *
 * When a TAP goes (QEMU ends, a launcher is killed) its rows stay, and OVN
 * would keep the logical port bound here, up and black-holed. So before
 * every request on a bridge the helper removes tapgate's rows there whose
 * TAP is gone (and the launcher's --release asks for one VM's rows at its
 * end). "Gone" is decided here, never trusted from the caller: the row
 * records our network namespace, and in it there is no interface of that
 * name, or one with another ifindex (ifindexes are not reused while the
 * namespace lives). A row from another namespace, or whose state a lookup
 * could not establish, stays: removing it could detach another user's live
 * port (CVE-2026-39402 did that). The removal re-checks each row in its
 * transaction (a wait on the _uuid and the recorded ids), so a row that
 * changed since it was read aborts it rather than being removed.
 *
 * Removals are a transaction of their own, and the helper waits (a
 * server-side wait operation) until ovs-vswitchd has applied them (cur_cfg
 * reaching the next_cfg the transaction set) before it adds anything: ovs-vswitchd matches ports by
 * name, and a row of the same name deleted and re-added before it looks
 * keeps the dead netdev, so traffic would be lost silently.
 *
 * After the insert, the helper waits (server side, with a wait operation
 * and a timeout) until ovs-vswitchd gave the Interface an ofport, so the
 * guest's first frames are not dropped, and refuses if it is -1 (the port
 * could not be added; Interface.error says why).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ovs.h"
#include "parse.h"

int ovs_netns_id(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/ns/net", buf, len - 1);

	if (n < 0)
		return -errno;
	if ((size_t)n >= len - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

bool ovs_row_removable(const struct ovs_row *row, const char *netns,
		       ovs_tap_probe probe, void *data)
{
	/* Not ours to judge: no lookup at all. */
	if (!row->name[0] || row->ifindex <= 0 || !row->netns[0] ||
	    strcmp(row->netns, netns))
		return false;
	return probe(row->name, row->ifindex, data) == OVS_TAP_GONE;
}

/* Builders ----------------------------------------------------------- */

static json_t *mark_map(void)
{
	const char *const mark[][2] = { { OVS_MARK_KEY, OVS_MARK_VALUE } };

	return ovsdb_map(mark, 1);
}

json_t *ovs_ops_bridge_query(const char *name)
{
	return json_pack("[{s:s, s:s, s:[o], s:[s, s]},"
			 " {s:s, s:s, s:[o], s:[s, s, s]}]",
			 "op", "select", "table", "Bridge",
			 "where", ovsdb_cond("name", "==", json_string(name)),
			 "columns", "_uuid", "ports",
			 "op", "select", "table", "Port",
			 "where", ovsdb_cond("external_ids", "includes", mark_map()),
			 "columns", "_uuid", "name", "external_ids");
}

/* Is the UUID @uuid an element of the set value @set? */
static bool set_has_uuid(json_t *set, const char *uuid)
{
	const char *tag = json_string_value(json_array_get(set, 0));
	json_t *e;
	size_t i;

	if (tag && !strcmp(tag, "uuid")) {
		const char *one = ovsdb_uuid_of(set);

		return one && !strcmp(one, uuid);
	}
	if (!tag || strcmp(tag, "set"))
		return false;
	json_array_foreach(json_array_get(set, 1), i, e) {
		const char *u = ovsdb_uuid_of(e);

		if (u && !strcmp(u, uuid))
			return true;
	}
	return false;
}

/* The rows of the select at result[@i]. */
static json_t *select_rows(json_t *result, size_t i)
{
	json_t *rows = json_object_get(json_array_get(result, i), "rows");

	return json_is_array(rows) ? rows : NULL;
}

/* Fill @r from one Port row; -EPROTO when it is not what we asked for. */
static int parse_row(json_t *row, struct ovs_row *r)
{
	const char *uuid = ovsdb_uuid_of(json_object_get(row, "_uuid"));
	const char *name = json_string_value(json_object_get(row, "name"));
	json_t *ext = json_object_get(row, "external_ids");
	const char *v;
	unsigned long n;

	memset(r, 0, sizeof(*r));
	if (!uuid || !name || strlen(uuid) >= sizeof(r->uuid))
		return -EPROTO;
	memcpy(r->uuid, uuid, strlen(uuid) + 1);
	/* Not a name a TAP can have: never ours to judge. */
	if (strlen(name) >= sizeof(r->name))
		return 0;
	memcpy(r->name, name, strlen(name) + 1);
	v = ovsdb_map_get(ext, OVS_IFINDEX_KEY);
	if (v && !parse_ulong(v, 1, INT_MAX, &n))
		r->ifindex = (int)n;
	v = ovsdb_map_get(ext, OVS_UID_KEY);
	if (v && !parse_ulong(v, 0, (uid_t)-2, &n)) {
		r->uid = (uid_t)n;
		r->uid_known = true;
	}
	v = ovsdb_map_get(ext, OVS_NETNS_KEY);
	if (v && strlen(v) < sizeof(r->netns))
		memcpy(r->netns, v, strlen(v) + 1);
	return 0;
}

int ovs_parse_bridge_query(json_t *result, struct ovs_bridge *br)
{
	json_t *bridges = select_rows(result, 0), *ports = select_rows(result, 1);
	json_t *set, *row;
	size_t i;

	memset(br, 0, sizeof(*br));
	if (!bridges || !ports || json_array_size(bridges) > 1)
		return -EPROTO;
	if (!json_array_size(bridges))
		return 0;
	br->exists = true;
	set = json_object_get(json_array_get(bridges, 0), "ports");
	json_array_foreach(ports, i, row) {
		const char *uuid = ovsdb_uuid_of(json_object_get(row, "_uuid"));

		if (!uuid || !set_has_uuid(set, uuid))
			continue;	/* on another bridge */
		if (br->nrows == OVS_ROWS_MAX)
			break;		/* the next request sees the rest */
		if (parse_row(row, &br->row[br->nrows]))
			return -EPROTO;
		br->nrows++;
	}
	return 0;
}

static json_t *next_cfg_ops(json_t *ops)
{
	if (ops && json_array_append_new(ops, json_pack(
		    "{s:s, s:s, s:[], s:[[s, s, i]]}", "op", "mutate",
		    "table", "Open_vSwitch", "where", "mutations",
		    "next_cfg", "+=", 1)))
		goto fail;
	if (ops && json_array_append_new(ops, json_pack(
		    "{s:s, s:s, s:[], s:[s]}", "op", "select",
		    "table", "Open_vSwitch", "where", "columns", "next_cfg")))
		goto fail;
	return ops;
fail:
	json_decref(ops);
	return NULL;
}

/* Take Port @uuid out of every Bridge's ports (OVSDB then garbage-collects
 * the Port and its Interface, which nothing else references). */
static json_t *remove_port_op(const char *uuid)
{
	return json_pack("{s:s, s:s, s:[o], s:[[s, s, o]]}",
			 "op", "mutate", "table", "Bridge",
			 "where", ovsdb_cond("ports", "includes",
					     ovsdb_uuid(uuid)),
			 "mutations", "ports", "delete",
			 ovsdb_set1(ovsdb_uuid(uuid)));
}

json_t *ovs_ops_remove(const struct ovs_row *const *rows, size_t n)
{
	json_t *ops = json_array();
	char ifindex[16];
	size_t i;

	for (i = 0; ops && i < n; i++) {
		const struct ovs_row *r = rows[i];
		const char *const same[][2] = {
			{ OVS_MARK_KEY, OVS_MARK_VALUE },
			{ OVS_IFINDEX_KEY, ifindex },
			{ OVS_NETNS_KEY, r->netns },
		};

		snprintf(ifindex, sizeof(ifindex), "%d", r->ifindex);
		if (json_array_append_new(ops, json_pack(
			    "{s:s, s:s, s:[o, o], s:[s], s:s, s:[{s:s}], s:i}",
			    "op", "wait", "table", "Port",
			    "where", ovsdb_cond("_uuid", "==", ovsdb_uuid(r->uuid)),
			    ovsdb_cond("external_ids", "includes",
				       ovsdb_map(same, 3)),
			    "columns", "name", "until", "==",
			    "rows", "name", r->name, "timeout", 0)) ||
		    json_array_append_new(ops, remove_port_op(r->uuid))) {
			json_decref(ops);
			return NULL;
		}
	}
	return next_cfg_ops(ops);
}

json_t *ovs_ops_attach(const struct ovs_port *p)
{
	char uid[16], ifindex[16], comment[64];
	const char *iface_ext[7][2];
	size_t n = 0;
	json_t *ops, *iface, *port, *check;

	snprintf(uid, sizeof(uid), "%u", (unsigned)p->uid);
	snprintf(ifindex, sizeof(ifindex), "%d", p->ifindex);
	const char *const port_ext[][2] = {
		{ OVS_MARK_KEY, OVS_MARK_VALUE },
		{ OVS_UID_KEY, uid },
		{ OVS_IFINDEX_KEY, ifindex },
		{ OVS_NETNS_KEY, p->netns },
	};
	memcpy(iface_ext, port_ext, sizeof(port_ext));
	n = 4;
	if (p->iface_id) {
		iface_ext[n][0] = OVS_IFACE_ID_KEY;
		iface_ext[n++][1] = p->iface_id;
	}
	if (p->mac) {
		iface_ext[n][0] = OVS_ATTACHED_MAC_KEY;
		iface_ext[n++][1] = p->mac;
	}

	if (p->iface_id) {
		const char *const id[][2] = { { OVS_IFACE_ID_KEY, p->iface_id } };

		check = json_pack("{s:s, s:s, s:[o], s:[s], s:s, s:[], s:i}",
				  "op", "wait", "table", "Interface",
				  "where", ovsdb_cond("external_ids", "includes",
						      ovsdb_map(id, 1)),
				  "columns", "name", "until", "==", "rows",
				  "timeout", 0);
	} else {
		/* Keeps the indexes fixed; OVSDB logs it with the commit. */
		snprintf(comment, sizeof(comment), "tapgate-helper: %s for uid %s",
			 p->tap, uid);
		check = json_pack("{s:s, s:s}", "op", "comment", "comment",
				  comment);
	}
	iface = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:o}}",
			  "op", "insert", "table", "Interface",
			  "uuid-name", "tapgate_iface", "row", "name", p->tap,
			  "type", "", "external_ids", ovsdb_map(iface_ext, n));
	port = json_pack("{s:s, s:s, s:s, s:{s:s, s:o, s:o}}",
			 "op", "insert", "table", "Port",
			 "uuid-name", "tapgate_port", "row", "name", p->tap,
			 "interfaces", ovsdb_named_uuid("tapgate_iface"),
			 "external_ids", ovsdb_map(port_ext, 4));
	if (port && p->vlan &&
	    json_object_set_new(json_object_get(port, "row"), "tag",
				json_integer(p->vlan))) {
		json_decref(port);
		port = NULL;
	}
	ops = json_pack("[{s:s, s:s, s:[o], s:[s], s:s, s:[{s:s}], s:i},"
			" o, o, o,"
			" {s:s, s:s, s:[o], s:[[s, s, o]]}]",
			"op", "wait", "table", "Bridge",
			"where", ovsdb_cond("name", "==", json_string(p->bridge)),
			"columns", "name", "until", "==",
			"rows", "name", p->bridge, "timeout", 0,
			check, iface, port,
			"op", "mutate", "table", "Bridge",
			"where", ovsdb_cond("name", "==", json_string(p->bridge)),
			"mutations", "ports", "insert",
			ovsdb_set1(ovsdb_named_uuid("tapgate_port")));
	return next_cfg_ops(ops);
}

json_t *ovs_ops_wait_ofport(const char *tap, int timeout_ms)
{
	return json_pack("[{s:s, s:s, s:[o], s:[s], s:s, s:[{s:[s, []]}], s:i},"
			 " {s:s, s:s, s:[o], s:[s, s]}]",
			 "op", "wait", "table", "Interface",
			 "where", ovsdb_cond("name", "==", json_string(tap)),
			 "columns", "ofport", "until", "!=",
			 "rows", "ofport", "set", "timeout", timeout_ms,
			 "op", "select", "table", "Interface",
			 "where", ovsdb_cond("name", "==", json_string(tap)),
			 "columns", "ofport", "error");
}

int ovs_parse_ofport(json_t *result, long long *ofport, const char **error)
{
	json_t *rows = select_rows(result, 1), *row, *v;
	json_t *e[1];

	*error = NULL;
	if (!rows)
		return -EPROTO;
	if (json_array_size(rows) != 1)
		return -ENOENT;
	row = json_array_get(rows, 0);
	v = json_object_get(row, "ofport");
	if (ovsdb_set_elems(v, e, 1) != 1 || !json_is_integer(e[0]))
		return -EPROTO;
	*ofport = json_integer_value(e[0]);
	v = json_object_get(row, "error");
	if (ovsdb_set_elems(v, e, 1) == 1)
		*error = json_string_value(e[0]);
	return 0;
}

json_t *ovs_ops_wait_cfg(long long cfg, int timeout_ms)
{
	return json_pack("[{s:s, s:s, s:[[s, s, I]], s:[s], s:s, s:[], s:i}]",
			 "op", "wait", "table", "Open_vSwitch",
			 "where", "cur_cfg", ">=", (json_int_t)cfg,
			 "columns", "cur_cfg", "until", "!=", "rows",
			 "timeout", timeout_ms);
}

int ovs_parse_cfg(json_t *result, size_t i, const char *col, long long *v)
{
	json_t *rows = select_rows(result, i);
	json_t *c = json_object_get(json_array_get(rows, 0), col);

	if (!rows || json_array_size(rows) != 1 || !json_is_integer(c))
		return -EPROTO;
	*v = json_integer_value(c);
	return 0;
}

/* Round trips ---------------------------------------------------------- */

/*
 * Wait until ovs-vswitchd has applied configuration @cfg: one wait
 * operation, server side, until the Open_vSwitch row has cur_cfg >= @cfg
 * (RFC 7047 compares integers with >=), so no polling and no sleep.
 */
static int wait_applied(struct ovsdb *db, long long cfg)
{
	json_t *result;
	int rc;

	rc = ovsdb_transact(db, ovs_ops_wait_cfg(cfg, OVS_APPLY_MS), &result,
			    OVS_APPLY_MS + OVS_RPC_MS);
	json_decref(result);
	return rc;
}

int ovs_bridge_query(struct ovsdb *db, const char *name,
		     struct ovs_bridge *br)
{
	json_t *result;
	int rc;

	rc = ovsdb_transact(db, ovs_ops_bridge_query(name), &result, OVS_RPC_MS);
	if (rc) {
		json_decref(result);
		return rc;
	}
	rc = ovs_parse_bridge_query(result, br);
	json_decref(result);
	return rc;
}

int ovs_sweep(struct ovsdb *db, const struct ovs_bridge *br,
	      const char *bridge, const char *netns, ovs_tap_probe probe,
	      void *data, const char *only_name, uid_t only_uid,
	      size_t *removed)
{
	const struct ovs_row *dead[OVS_ROWS_MAX];
	long long cfg;
	json_t *result;
	size_t i, n = 0;
	int rc;

	*removed = 0;
	for (i = 0; i < br->nrows; i++) {
		const struct ovs_row *r = &br->row[i];

		if (only_name && (strcmp(r->name, only_name) ||
				  !r->uid_known || r->uid != only_uid))
			continue;
		if (ovs_row_removable(r, netns, probe, data))
			dead[n++] = r;
	}
	if (!n)
		return 0;
	rc = ovsdb_transact(db, ovs_ops_remove(dead, n), &result, OVS_RPC_MS);
	if (rc) {
		/* A row's wait (timeout 0) failing means it changed since
		 * @br was read: -EIO, read again (ovs.h). */
		if (rc == -ETIMEDOUT && result)
			rc = -EIO;
		json_decref(result);
		return rc;
	}
	rc = ovs_parse_cfg(result, 2 * n + 1, "next_cfg", &cfg);
	json_decref(result);
	if (rc)
		return rc;
	*removed = n;
	return wait_applied(db, cfg);
}

int ovs_attach(struct ovsdb *db, const struct ovs_port *p,
	       char port_uuid[40], char *why, size_t whylen)
{
	const char *uuid, *error;
	long long ofport;
	json_t *result;
	int rc;

	port_uuid[0] = '\0';
	why[0] = '\0';
	rc = ovsdb_transact(db, ovs_ops_attach(p), &result, OVS_RPC_MS);
	if (rc == -ETIMEDOUT && result) {
		json_t *op;
		size_t i;

		/* Which check (a wait with timeout 0) failed: the first
		 * result with an error. */
		json_array_foreach(result, i, op)
			if (json_object_get(op, "error"))
				break;
		if (i == OVS_OP_BRIDGE_EXISTS) {
			snprintf(why, whylen, "the Open vSwitch bridge went away");
			rc = -ENODEV;
		} else if (i == OVS_OP_IFACE_ID_FREE && p->iface_id) {
			snprintf(why, whylen, "iface-id '%s' is already bound to another port",
				 p->iface_id);
			rc = -EEXIST;
		}
	}
	if (rc) {
		json_decref(result);
		return rc;
	}
	uuid = ovsdb_uuid_of(json_object_get(
		json_array_get(result, OVS_OP_PORT_INSERT), "uuid"));
	if (!uuid || strlen(uuid) >= 40) {
		json_decref(result);
		return -EPROTO;
	}
	memcpy(port_uuid, uuid, strlen(uuid) + 1);
	json_decref(result);

	rc = ovsdb_transact(db, ovs_ops_wait_ofport(p->tap, OVS_APPLY_MS),
			    &result, OVS_APPLY_MS + OVS_RPC_MS);
	if (rc == -ETIMEDOUT && result)
		snprintf(why, whylen, "ovs-vswitchd did not add the port within %d s",
			 OVS_APPLY_MS / 1000);
	if (rc) {
		json_decref(result);
		return rc;
	}
	rc = ovs_parse_ofport(result, &ofport, &error);
	if (!rc && ofport < 0) {
		snprintf(why, whylen, "ovs-vswitchd could not add it: %s",
			 error ? error : "no reason given");
		rc = -EIO;
	}
	json_decref(result);
	return rc;
}

int ovs_detach(struct ovsdb *db, const char *port_uuid)
{
	json_t *ops, *result;
	int rc;

	if (!port_uuid[0])
		return 0;
	ops = json_pack("[o]", remove_port_op(port_uuid));
	rc = ovsdb_transact(db, next_cfg_ops(ops), &result, OVS_RPC_MS);
	json_decref(result);
	return rc;
}
