/* test_helper_ovs.c - unit tests: the Open vSwitch rows tapgate writes, which stale rows it may remove, and the replies it reads */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ovs.h"

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);

	if (!v)
		fail_msg("bad test JSON: %s", e.text);
	return v;
}

/* The op at @i of @ops, and its field @key. */
static json_t *op_field(json_t *ops, size_t i, const char *key)
{
	return json_object_get(json_array_get(ops, i), key);
}

static const struct ovs_port port = {
	.bridge = "br-int", .tap = "tap7", .ifindex = 42, .uid = 4001,
	.netns = "net:[4026532000]",
};

static void test_attach_checks_the_bridge_then_inserts_interface_port_and_link(void **state)
{
	json_t *ops = ovs_ops_attach(&port);
	json_t *r;

	assert_non_null(ops);
	assert_string_equal(json_string_value(op_field(ops, OVS_OP_BRIDGE_EXISTS, "op")), "wait");
	assert_string_equal(json_string_value(op_field(ops, OVS_OP_BRIDGE_EXISTS, "table")), "Bridge");
	assert_int_equal(json_integer_value(op_field(ops, OVS_OP_BRIDGE_EXISTS, "timeout")), 0);
	assert_string_equal(json_string_value(op_field(ops, OVS_OP_IFACE_INSERT, "op")), "insert");
	assert_string_equal(json_string_value(op_field(ops, OVS_OP_IFACE_INSERT, "table")), "Interface");
	r = op_field(ops, OVS_OP_IFACE_INSERT, "row");
	assert_string_equal(json_string_value(json_object_get(r, "name")), "tap7");
	assert_string_equal(json_string_value(json_object_get(r, "type")), "");
	/* ovs_attach() reads the new Port's _uuid from this result. */
	assert_string_equal(json_string_value(op_field(ops, OVS_OP_PORT_INSERT, "op")), "insert");
	assert_string_equal(json_string_value(op_field(ops, OVS_OP_PORT_INSERT, "table")), "Port");
	assert_string_equal(json_string_value(op_field(ops, 4, "op")), "mutate");
	assert_string_equal(json_string_value(op_field(ops, 4, "table")), "Bridge");
	/* Then next_cfg += 1 and its select: one transaction in all. */
	assert_string_equal(json_string_value(op_field(ops, 5, "table")), "Open_vSwitch");
	assert_int_equal(json_array_size(ops), 7);
	json_decref(ops);
}

static void test_attach_records_maker_uid_ifindex_and_netns_on_both_rows(void **state)
{
	json_t *ops = ovs_ops_attach(&port);
	size_t i;

	for (i = OVS_OP_IFACE_INSERT; i <= OVS_OP_PORT_INSERT; i++) {
		json_t *ext = json_object_get(op_field(ops, i, "row"), "external_ids");

		assert_string_equal(ovsdb_map_get(ext, OVS_MARK_KEY), OVS_MARK_VALUE);
		assert_string_equal(ovsdb_map_get(ext, OVS_UID_KEY), "4001");
		assert_string_equal(ovsdb_map_get(ext, OVS_IFINDEX_KEY), "42");
		assert_string_equal(ovsdb_map_get(ext, OVS_NETNS_KEY), "net:[4026532000]");
		assert_null(ovsdb_map_get(ext, OVS_IFACE_ID_KEY));
	}
	json_decref(ops);
}

static void test_attach_without_vlan_sets_no_tag(void **state)
{
	json_t *ops = ovs_ops_attach(&port);

	assert_null(json_object_get(op_field(ops, OVS_OP_PORT_INSERT, "row"), "tag"));
	json_decref(ops);
}

static void test_attach_with_vlan_sets_the_port_tag(void **state)
{
	struct ovs_port p = port;
	json_t *ops;

	p.vlan = 100;
	ops = ovs_ops_attach(&p);
	assert_int_equal(json_integer_value(json_object_get(op_field(ops, OVS_OP_PORT_INSERT, "row"),
							    "tag")), 100);
	json_decref(ops);
}

static void test_attach_with_iface_id_checks_no_interface_holds_it(void **state)
{
	struct ovs_port p = port;
	json_t *ops, *ext;
	char *s;

	p.iface_id = "alice-vm1";
	p.mac = "52:54:00:12:34:56";
	ops = ovs_ops_attach(&p);
	assert_string_equal(json_string_value(op_field(ops, OVS_OP_IFACE_ID_FREE, "op")),
			    "wait");
	s = json_dumps(op_field(ops, OVS_OP_IFACE_ID_FREE, "where"), JSON_COMPACT);
	assert_string_equal(s, "[[\"external_ids\",\"includes\",[\"map\",[[\"iface-id\",\"alice-vm1\"]]]]]");
	free(s);
	assert_int_equal(json_array_size(op_field(ops, OVS_OP_IFACE_ID_FREE, "rows")), 0);
	ext = json_object_get(op_field(ops, OVS_OP_IFACE_INSERT, "row"), "external_ids");
	assert_string_equal(ovsdb_map_get(ext, OVS_IFACE_ID_KEY), "alice-vm1");
	assert_string_equal(ovsdb_map_get(ext, OVS_ATTACHED_MAC_KEY), "52:54:00:12:34:56");
	json_decref(ops);
}

static const char query_reply[] =
	"[{\"rows\":[{\"_uuid\":[\"uuid\",\"b1\"],\"ports\":[\"set\",[[\"uuid\",\"p1\"],[\"uuid\",\"p2\"],[\"uuid\",\"p9\"]]]}]},"
	" {\"rows\":["
	"  {\"_uuid\":[\"uuid\",\"p1\"],\"name\":\"tap1\",\"external_ids\":[\"map\",[[\"tapgate-made-by\",\"tapgate-helper\"],[\"tapgate-uid\",\"4001\"],[\"tapgate-ifindex\",\"11\"],[\"tapgate-netns\",\"net:[1]\"]]]},"
	"  {\"_uuid\":[\"uuid\",\"p3\"],\"name\":\"tap3\",\"external_ids\":[\"map\",[[\"tapgate-made-by\",\"tapgate-helper\"],[\"tapgate-uid\",\"4002\"],[\"tapgate-ifindex\",\"13\"],[\"tapgate-netns\",\"net:[1]\"]]]},"
	"  {\"_uuid\":[\"uuid\",\"p2\"],\"name\":\"tap2\",\"external_ids\":[\"map\",[[\"tapgate-made-by\",\"tapgate-helper\"]]]}"
	"]}]";

static void test_bridge_query_keeps_only_rows_on_that_bridge(void **state)
{
	json_t *res = load(query_reply);
	static struct ovs_bridge br;

	assert_int_equal(ovs_parse_bridge_query(res, &br), 0);
	assert_true(br.exists);
	assert_int_equal(br.nrows, 2);	/* p3 is on another bridge */
	assert_string_equal(br.row[0].name, "tap1");
	assert_int_equal(br.row[0].ifindex, 11);
	assert_true(br.row[0].uid_known);
	assert_int_equal(br.row[0].uid, 4001);
	assert_string_equal(br.row[0].netns, "net:[1]");
	/* A row without its ids cannot be judged: ifindex 0, no netns. */
	assert_int_equal(br.row[1].ifindex, 0);
	assert_false(br.row[1].uid_known);
	json_decref(res);
}

static void test_bridge_query_without_the_bridge_says_so(void **state)
{
	json_t *res = load("[{\"rows\":[]},{\"rows\":[]}]");
	static struct ovs_bridge br;

	assert_int_equal(ovs_parse_bridge_query(res, &br), 0);
	assert_false(br.exists);
	json_decref(res);
}

static void test_bridge_query_malformed_is_a_protocol_error(void **state)
{
	json_t *res = load("[{\"rows\":[]}]");
	static struct ovs_bridge br;

	assert_int_equal(ovs_parse_bridge_query(res, &br), -EPROTO);
	json_decref(res);
}

static const struct ovs_row row = {
	.uuid = "p1", .name = "tap1", .ifindex = 11, .uid = 4001,
	.uid_known = true, .netns = "net:[1]",
};

/* A probe that finds what @data says, and counts that it was asked. */
struct probed {
	enum ovs_tap_state state;
	int calls;
};

static enum ovs_tap_state probe(const char *name, int ifindex, void *data)
{
	struct probed *p = data;

	p->calls++;
	return p->state;
}

static bool removable(const struct ovs_row *r, const char *netns,
		      enum ovs_tap_state state, int *calls)
{
	struct probed p = { state, 0 };
	bool yes = ovs_row_removable(r, netns, probe, &p);

	*calls = p.calls;
	return yes;
}

static void test_a_row_whose_tap_is_gone_is_removable(void **state)
{
	int calls;

	assert_true(removable(&row, "net:[1]", OVS_TAP_GONE, &calls));
	assert_int_equal(calls, 1);
}

static void test_a_row_whose_tap_lives_is_never_removable(void **state)
{
	int calls;

	assert_false(removable(&row, "net:[1]", OVS_TAP_ALIVE, &calls));
}

static void test_a_row_of_unknown_state_is_never_removable(void **state)
{
	int calls;

	assert_false(removable(&row, "net:[1]", OVS_TAP_UNKNOWN, &calls));
}

static void test_a_row_from_another_netns_is_never_removable(void **state)
{
	int calls;

	/* Its TAP's name means nothing here: it may well live there. */
	assert_false(removable(&row, "net:[2]", OVS_TAP_GONE, &calls));
	assert_int_equal(calls, 0);
}

static void test_a_row_without_recorded_ids_is_never_removable(void **state)
{
	struct ovs_row r = row;
	int calls;

	r.ifindex = 0;
	assert_false(removable(&r, "net:[1]", OVS_TAP_GONE, &calls));
	assert_int_equal(calls, 0);
	r = row;
	r.netns[0] = '\0';
	assert_false(removable(&r, "net:[1]", OVS_TAP_GONE, &calls));
	assert_int_equal(calls, 0);
	r = row;
	r.name[0] = '\0';	/* a name no TAP can have */
	assert_false(removable(&r, "net:[1]", OVS_TAP_GONE, &calls));
	assert_int_equal(calls, 0);
}

static void test_removal_rechecks_each_row_in_its_transaction(void **state)
{
	const struct ovs_row *rows[] = { &row };
	json_t *ops = ovs_ops_remove(rows, 1);
	char *s;

	assert_int_equal(json_array_size(ops), 4);
	assert_string_equal(json_string_value(op_field(ops, 0, "op")), "wait");
	s = json_dumps(op_field(ops, 0, "where"), JSON_COMPACT);
	assert_string_equal(s, "[[\"_uuid\",\"==\",[\"uuid\",\"p1\"]],"
			    "[\"external_ids\",\"includes\",[\"map\",[[\"tapgate-made-by\",\"tapgate-helper\"],"
			    "[\"tapgate-ifindex\",\"11\"],[\"tapgate-netns\",\"net:[1]\"]]]]]");
	free(s);
	s = json_dumps(op_field(ops, 1, "mutations"), JSON_COMPACT);
	assert_string_equal(s, "[[\"ports\",\"delete\",[\"set\",[[\"uuid\",\"p1\"]]]]]");
	free(s);
	json_decref(ops);
}

static void test_ofport_reply_is_read(void **state)
{
	json_t *ok = load("[{},{\"rows\":[{\"ofport\":3,\"error\":[\"set\",[]]}]}]");
	json_t *bad = load("[{},{\"rows\":[{\"ofport\":-1,\"error\":\"could not open network device tap1 (No such device)\"}]}]");
	json_t *gone = load("[{},{\"rows\":[]}]");
	const char *error;
	long long ofport;

	assert_int_equal(ovs_parse_ofport(ok, &ofport, &error), 0);
	assert_int_equal(ofport, 3);
	assert_null(error);
	assert_int_equal(ovs_parse_ofport(bad, &ofport, &error), 0);
	assert_int_equal(ofport, -1);
	assert_string_equal(error, "could not open network device tap1 (No such device)");
	assert_int_equal(ovs_parse_ofport(gone, &ofport, &error), -ENOENT);
	json_decref(ok);
	json_decref(bad);
	json_decref(gone);
}

static void test_wait_for_ofport_waits_for_a_nonempty_ofport(void **state)
{
	json_t *ops = ovs_ops_wait_ofport("tap1", 5000);
	char *s = json_dumps(json_array_get(ops, 0), JSON_COMPACT | JSON_SORT_KEYS);

	assert_string_equal(s, "{\"columns\":[\"ofport\"],\"op\":\"wait\",\"rows\":[{\"ofport\":[\"set\",[]]}],"
			    "\"table\":\"Interface\",\"timeout\":5000,\"until\":\"!=\","
			    "\"where\":[[\"name\",\"==\",\"tap1\"]]}");
	free(s);
	json_decref(ops);
}

static void test_wait_for_cfg_waits_server_side_for_cur_cfg_at_least(void **state)
{
	json_t *ops = ovs_ops_wait_cfg(42, 5000);
	char *s = json_dumps(ops, JSON_COMPACT | JSON_SORT_KEYS);

	assert_string_equal(s, "[{\"columns\":[\"cur_cfg\"],\"op\":\"wait\",\"rows\":[],"
			    "\"table\":\"Open_vSwitch\",\"timeout\":5000,\"until\":\"!=\","
			    "\"where\":[[\"cur_cfg\",\">=\",42]]}]");
	free(s);
	json_decref(ops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_checks_the_bridge_then_inserts_interface_port_and_link),
		cmocka_unit_test(test_attach_records_maker_uid_ifindex_and_netns_on_both_rows),
		cmocka_unit_test(test_attach_without_vlan_sets_no_tag),
		cmocka_unit_test(test_attach_with_vlan_sets_the_port_tag),
		cmocka_unit_test(test_attach_with_iface_id_checks_no_interface_holds_it),
		cmocka_unit_test(test_bridge_query_keeps_only_rows_on_that_bridge),
		cmocka_unit_test(test_bridge_query_without_the_bridge_says_so),
		cmocka_unit_test(test_bridge_query_malformed_is_a_protocol_error),
		cmocka_unit_test(test_a_row_whose_tap_is_gone_is_removable),
		cmocka_unit_test(test_a_row_whose_tap_lives_is_never_removable),
		cmocka_unit_test(test_a_row_of_unknown_state_is_never_removable),
		cmocka_unit_test(test_a_row_from_another_netns_is_never_removable),
		cmocka_unit_test(test_a_row_without_recorded_ids_is_never_removable),
		cmocka_unit_test(test_removal_rechecks_each_row_in_its_transaction),
		cmocka_unit_test(test_ofport_reply_is_read),
		cmocka_unit_test(test_wait_for_ofport_waits_for_a_nonempty_ofport),
		cmocka_unit_test(test_wait_for_cfg_waits_server_side_for_cur_cfg_at_least),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
