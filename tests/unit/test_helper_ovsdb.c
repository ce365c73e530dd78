/* test_helper_ovsdb.c - unit tests: OVSDB requests, message framing and reply judgement */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ovsdb.h"

static char err[256];

static char *dump(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);

	assert_non_null(s);
	return s;
}

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);

	assert_non_null(v);
	return v;
}

static void test_request_is_transact_on_open_vswitch_with_the_ops(void **state)
{
	json_t *req = ovsdb_request(7, load("[{\"op\":\"comment\",\"comment\":\"x\"}]"));
	char *s = dump(req);

	assert_string_equal(s, "{\"id\":7,\"method\":\"transact\",\"params\":"
			    "[\"Open_vSwitch\",{\"comment\":\"x\",\"op\":\"comment\"}]}");
	free(s);
	json_decref(req);
}

static void test_request_refuses_ops_that_are_not_an_array(void **state)
{
	assert_null(ovsdb_request(1, json_object()));
}

static void test_one_message_is_taken_off_the_front(void **state)
{
	const char buf[] = " {\"id\":1,\"result\":[],\"error\":null}{\"id\":2";
	json_t *msg;
	size_t used;

	assert_int_equal(ovsdb_next_message(buf, strlen(buf), &msg, &used), 0);
	assert_int_equal(used, strlen(" {\"id\":1,\"result\":[],\"error\":null}"));
	assert_int_equal(json_integer_value(json_object_get(msg, "id")), 1);
	json_decref(msg);
	/* The rest is a message not fully read yet. */
	assert_int_equal(ovsdb_next_message(buf + used, strlen(buf) - used,
					    &msg, &used), -EAGAIN);
	assert_null(msg);
}

static void test_empty_or_blank_input_is_no_message_yet(void **state)
{
	json_t *msg;
	size_t used;

	assert_int_equal(ovsdb_next_message("", 0, &msg, &used), -EAGAIN);
	assert_int_equal(ovsdb_next_message(" \r\n", 3, &msg, &used), -EAGAIN);
}

static void test_junk_and_non_objects_are_protocol_errors(void **state)
{
	json_t *msg;
	size_t used;

	assert_int_equal(ovsdb_next_message("}{", 2, &msg, &used), -EPROTO);
	assert_int_equal(ovsdb_next_message("[1]", 3, &msg, &used), -EPROTO);
	assert_int_equal(ovsdb_next_message("{\"a\":1,\"a\":2}", 13, &msg,
					    &used), -EPROTO);
}

static void test_nesting_deeper_than_the_bound_is_refused(void **state)
{
	char buf[200];
	json_t *msg;
	size_t used, i, n = 0;

	buf[n++] = '{';
	memcpy(buf + n, "\"a\":", 4);
	n += 4;
	for (i = 0; i < OVSDB_DEPTH_MAX + 1; i++)
		buf[n++] = '[';
	for (i = 0; i < OVSDB_DEPTH_MAX + 1; i++)
		buf[n++] = ']';
	buf[n++] = '}';
	assert_int_equal(ovsdb_next_message(buf, n, &msg, &used), -EPROTO);
}

static void test_a_message_over_the_size_bound_is_refused(void **state)
{
	size_t n = OVSDB_MSG_MAX + 16;
	char *buf = malloc(n);
	json_t *msg;
	size_t used;

	assert_non_null(buf);
	memset(buf, ' ', n);
	memcpy(buf, "{\"x\":\"", 6);
	memset(buf + 6, 'a', n - 6);
	/* Unfinished and already too long: no point in reading on. */
	assert_int_equal(ovsdb_next_message(buf, n, &msg, &used), -EMSGSIZE);
	/* Finished, but too long. */
	memcpy(buf + n - 2, "\"}", 2);
	assert_int_equal(ovsdb_next_message(buf, n, &msg, &used), -EMSGSIZE);
	free(buf);
}

static void test_reply_with_every_op_done_is_success(void **state)
{
	json_t *msg = load("{\"id\":3,\"error\":null,\"result\":[{\"rows\":[]},{}]}");
	json_t *res;

	assert_int_equal(ovsdb_reply_result(msg, 3, 2, &res, err, sizeof(err)), 0);
	assert_int_equal(json_array_size(res), 2);
	json_decref(msg);
}

static void test_reply_to_another_id_or_a_request_is_not_ours(void **state)
{
	json_t *other = load("{\"id\":4,\"error\":null,\"result\":[]}");
	json_t *echo = load("{\"id\":3,\"method\":\"echo\",\"params\":[]}");
	json_t *res;

	assert_int_equal(ovsdb_reply_result(other, 3, 0, &res, err, sizeof(err)),
			 -ENOMSG);
	assert_int_equal(ovsdb_reply_result(echo, 3, 0, &res, err, sizeof(err)),
			 -ENOMSG);
	json_decref(other);
	json_decref(echo);
}

/* The reply @text to request 1 with @nops operations fails with @rc and the
 * words @words; @with_results: it still hands back the result array, where
 * the caller finds which operation failed. */
static void expect_failure(const char *text, size_t nops, int rc,
			   const char *words, bool with_results)
{
	json_t *msg = load(text);
	json_t *res;

	assert_int_equal(ovsdb_reply_result(msg, 1, nops, &res, err, sizeof(err)), rc);
	assert_string_equal(err, words);
	if (with_results)
		assert_non_null(res);
	else
		assert_null(res);
	json_decref(msg);
}

static void test_failed_op_is_reported_with_its_index_and_words(void **state)
{
	expect_failure("{\"id\":1,\"error\":null,\"result\":[{},"
		       "{\"error\":\"referential integrity violation\",\"details\":\"no row\"},null]}",
		       3, -EIO, "operation #1: referential integrity violation: no row",
		       true);
}

static void test_wait_that_timed_out_is_etimedout_with_its_words(void **state)
{
	expect_failure("{\"id\":1,\"error\":null,\"result\":[{},"
		       "{\"error\":\"timed out\",\"details\":\"\\\"wait\\\" timed out\"},null]}",
		       3, -ETIMEDOUT, "operation #1: timed out: \"wait\" timed out",
		       true);
}

static void test_other_words_with_timed_out_in_them_are_not_a_timeout(void **state)
{
	expect_failure("{\"id\":1,\"error\":null,\"result\":[{},"
		       "{\"error\":\"constraint violation\",\"details\":\"timed out\"}]}",
		       2, -EIO, "operation #1: constraint violation: timed out", true);
}

static void test_failed_commit_is_reported_as_the_commit(void **state)
{
	expect_failure("{\"id\":1,\"error\":null,\"result\":[{},{},"
		       "{\"error\":\"constraint violation\",\"details\":\"dup\"}]}",
		       2, -EIO, "commit: constraint violation: dup", true);
}

static void test_request_level_error_is_reported(void **state)
{
	expect_failure("{\"id\":1,\"result\":null,\"error\":\"unknown database\"}",
		       1, -EIO, "unknown database", false);
}

static void test_short_or_malformed_result_is_a_protocol_error(void **state)
{
	json_t *shorter = load("{\"id\":1,\"error\":null,\"result\":[{}]}");
	json_t *notarray = load("{\"id\":1,\"error\":null,\"result\":{}}");
	json_t *notobj = load("{\"id\":1,\"error\":null,\"result\":[1,{}]}");
	json_t *res;

	assert_int_equal(ovsdb_reply_result(shorter, 1, 2, &res, err, sizeof(err)),
			 -EPROTO);
	assert_int_equal(ovsdb_reply_result(notarray, 1, 0, &res, err, sizeof(err)),
			 -EPROTO);
	assert_int_equal(ovsdb_reply_result(notobj, 1, 2, &res, err, sizeof(err)),
			 -EPROTO);
	json_decref(shorter);
	json_decref(notarray);
	json_decref(notobj);
}

static void test_echo_request_gets_its_params_back(void **state)
{
	json_t *echo = load("{\"id\":\"echo\",\"method\":\"echo\",\"params\":[\"x\"]}");
	json_t *reply = ovsdb_echo_reply(echo);
	char *s = dump(reply);

	assert_string_equal(s, "{\"error\":null,\"id\":\"echo\",\"result\":[\"x\"]}");
	free(s);
	json_decref(reply);
	json_decref(echo);
}

static void test_notification_gets_no_reply(void **state)
{
	json_t *n = load("{\"id\":null,\"method\":\"update\",\"params\":[]}");
	json_t *e = load("{\"id\":null,\"method\":\"echo\",\"params\":[]}");

	assert_null(ovsdb_echo_reply(n));
	assert_null(ovsdb_echo_reply(e));
	json_decref(n);
	json_decref(e);
}

static void test_value_builders_spell_rfc7047_notation(void **state)
{
	const char *const pairs[][2] = { { "a", "1" }, { "b", "2" } };
	json_t *v;
	char *s;

	v = ovsdb_cond("name", "==", json_string("br-int"));
	s = dump(v);
	assert_string_equal(s, "[\"name\",\"==\",\"br-int\"]");
	free(s);
	json_decref(v);

	v = ovsdb_map(pairs, 2);
	s = dump(v);
	assert_string_equal(s, "[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]]");
	free(s);
	json_decref(v);

	v = ovsdb_set1(ovsdb_named_uuid("p"));
	s = dump(v);
	assert_string_equal(s, "[\"set\",[[\"named-uuid\",\"p\"]]]");
	free(s);
	json_decref(v);
}

static void test_set_values_are_read_in_both_notations(void **state)
{
	json_t *set = load("[\"set\",[[\"uuid\",\"u1\"],[\"uuid\",\"u2\"]]]");
	json_t *one = load("[\"uuid\",\"u3\"]");
	json_t *empty = load("[\"set\",[]]");
	json_t *bad = load("[\"map\",[]]");
	json_t *e[4];

	assert_int_equal(ovsdb_set_elems(set, e, 4), 2);
	assert_string_equal(ovsdb_uuid_of(e[1]), "u2");
	assert_int_equal(ovsdb_set_elems(set, e, 1), -EPROTO);
	assert_int_equal(ovsdb_set_elems(one, e, 4), 1);
	assert_string_equal(ovsdb_uuid_of(e[0]), "u3");
	assert_int_equal(ovsdb_set_elems(empty, e, 4), 0);
	assert_int_equal(ovsdb_set_elems(bad, e, 4), -EPROTO);
	json_decref(set);
	json_decref(one);
	json_decref(empty);
	json_decref(bad);
}

static void test_map_lookup_finds_string_values_only(void **state)
{
	json_t *m = load("[\"map\",[[\"k\",\"v\"],[\"n\",1]]]");

	assert_string_equal(ovsdb_map_get(m, "k"), "v");
	assert_null(ovsdb_map_get(m, "n"));
	assert_null(ovsdb_map_get(m, "absent"));
	json_decref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_is_transact_on_open_vswitch_with_the_ops),
		cmocka_unit_test(test_request_refuses_ops_that_are_not_an_array),
		cmocka_unit_test(test_one_message_is_taken_off_the_front),
		cmocka_unit_test(test_empty_or_blank_input_is_no_message_yet),
		cmocka_unit_test(test_junk_and_non_objects_are_protocol_errors),
		cmocka_unit_test(test_nesting_deeper_than_the_bound_is_refused),
		cmocka_unit_test(test_a_message_over_the_size_bound_is_refused),
		cmocka_unit_test(test_reply_with_every_op_done_is_success),
		cmocka_unit_test(test_reply_to_another_id_or_a_request_is_not_ours),
		cmocka_unit_test(test_failed_op_is_reported_with_its_index_and_words),
		cmocka_unit_test(test_wait_that_timed_out_is_etimedout_with_its_words),
		cmocka_unit_test(test_other_words_with_timed_out_in_them_are_not_a_timeout),
		cmocka_unit_test(test_failed_commit_is_reported_as_the_commit),
		cmocka_unit_test(test_request_level_error_is_reported),
		cmocka_unit_test(test_short_or_malformed_result_is_a_protocol_error),
		cmocka_unit_test(test_echo_request_gets_its_params_back),
		cmocka_unit_test(test_notification_gets_no_reply),
		cmocka_unit_test(test_value_builders_spell_rfc7047_notation),
		cmocka_unit_test(test_set_values_are_read_in_both_notations),
		cmocka_unit_test(test_map_lookup_finds_string_values_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
