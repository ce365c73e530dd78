/* ovsdb.c - an OVSDB client (RFC 7047 JSON-RPC on a unix socket): requests, replies, one transact round trip */

/*
 * Theory of operation
 *
 * OVSDB speaks JSON-RPC 1.0 over a stream: each message is one JSON object,
 * with nothing between messages but optional whitespace. A reply carries
 * the id of its request, "result" and "error"; the server may also send
 * requests of its own ("echo", to probe an idle connection) and
 * notifications, which a client that monitors nothing never gets, but
 * tolerates.
 *
 * Parsing is jansson's (json_loadb with JSON_DISABLE_EOF_CHECK takes one
 * value off the front of a buffer and says how many bytes it used). What
 * we accept is bounded: OVSDB_MSG_MAX bytes per message (the buffer never
 * grows past it), OVSDB_DEPTH_MAX levels of nesting, and a deadline on
 * every round trip, so a stuck or hostile server costs the helper at most
 * that time and that memory.
 *
 * Everything but ovsdb_connect() and ovsdb_transact() is a pure function
 * of its arguments (tests/unit/test_helper_ovsdb.c).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ovsdb.h"

int ovsdb_connect(struct ovsdb *db, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(db, 0, sizeof(*db));
	db->fd = -1;
	db->next_id = 1;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		db->connect_err = -ENAMETOOLONG;
		return db->connect_err;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	db->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (db->fd < 0) {
		db->connect_err = -errno;
		return db->connect_err;
	}
	if (connect(db->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		db->connect_err = -errno;
		close(db->fd);
		db->fd = -1;
		return db->connect_err;
	}
	return 0;
}

void ovsdb_close(struct ovsdb *db)
{
	if (db->fd >= 0)
		close(db->fd);
	db->fd = -1;
	free(db->buf);
	db->buf = NULL;
	db->len = 0;
}

json_t *ovsdb_request(unsigned id, json_t *ops)
{
	json_t *params, *req;

	if (!json_is_array(ops)) {
		json_decref(ops);
		return NULL;
	}
	params = json_pack("[s]", OVSDB_DB);
	if (!params || json_array_extend(params, ops)) {
		json_decref(params);
		json_decref(ops);
		return NULL;
	}
	json_decref(ops);
	req = json_pack("{s:s, s:o, s:I}", "method", "transact",
			"params", params, "id", (json_int_t)id);
	return req;
}

/* Deeper than @max levels of arrays and objects? */
static bool too_deep(json_t *v, unsigned max)
{
	const char *key;
	json_t *elem;
	size_t i;

	if (!json_is_array(v) && !json_is_object(v))
		return false;
	if (max == 0)
		return true;
	if (json_is_array(v)) {
		json_array_foreach(v, i, elem)
			if (too_deep(elem, max - 1))
				return true;
	} else {
		json_object_foreach(v, key, elem)
			if (too_deep(elem, max - 1))
				return true;
	}
	return false;
}

int ovsdb_next_message(const char *buf, size_t len, json_t **msg,
		       size_t *used)
{
	json_error_t e;
	size_t skip = 0;
	json_t *v;

	*msg = NULL;
	/* Whitespace between messages is no message. */
	while (skip < len && strchr(" \t\r\n", buf[skip]) && buf[skip])
		skip++;
	if (skip == len)
		return len > OVSDB_MSG_MAX ? -EMSGSIZE : -EAGAIN;
	v = json_loadb(buf + skip, len - skip,
		       JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &e);
	if (!v) {
		/* An incomplete value is only a message not fully read. */
		if (json_error_code(&e) == json_error_premature_end_of_input)
			return len >= OVSDB_MSG_MAX ? -EMSGSIZE : -EAGAIN;
		return -EPROTO;
	}
	if (!json_is_object(v) || too_deep(v, OVSDB_DEPTH_MAX)) {
		json_decref(v);
		return -EPROTO;
	}
	if (skip + (size_t)e.position > OVSDB_MSG_MAX) {
		json_decref(v);
		return -EMSGSIZE;
	}
	*msg = v;
	*used = skip + (size_t)e.position;
	return 0;
}

/* "ERROR: DETAILS" (or just ERROR) from an RFC 7047 error object. */
static void describe_error(json_t *o, const char *prefix, char *err,
			   size_t errlen)
{
	const char *what = json_string_value(json_object_get(o, "error"));
	const char *details = json_string_value(json_object_get(o, "details"));

	if (!what && json_is_string(o))
		what = json_string_value(o);
	snprintf(err, errlen, "%s%s%s%s", prefix, what ? what : "error",
		 details ? ": " : "", details ? details : "");
}

int ovsdb_reply_result(json_t *msg, unsigned id, size_t nops,
		       json_t **result, char *err, size_t errlen)
{
	json_t *jid = json_object_get(msg, "id");
	json_t *res, *error, *op;
	const char *what;
	char prefix[48];
	size_t i;

	*result = NULL;
	err[0] = '\0';
	if (json_object_get(msg, "method") || !json_is_integer(jid) ||
	    json_integer_value(jid) != (json_int_t)id)
		return -ENOMSG;
	error = json_object_get(msg, "error");
	res = json_object_get(msg, "result");
	if (error && !json_is_null(error)) {
		describe_error(error, "", err, errlen);
		return -EIO;
	}
	if (!json_is_array(res)) {
		snprintf(err, errlen, "the reply's result is not an array");
		return -EPROTO;
	}
	*result = res;
	json_array_foreach(res, i, op) {
		if (json_is_null(op))
			continue;	/* an operation not run after an error */
		if (!json_is_object(op)) {
			snprintf(err, errlen, "result #%zu is not an object", i);
			return -EPROTO;
		}
		if (json_object_get(op, "error")) {
			/* One past the operations: the commit failed. */
			if (i < nops)
				snprintf(prefix, sizeof(prefix), "operation #%zu: ", i);
			else
				snprintf(prefix, sizeof(prefix), "commit: ");
			describe_error(op, prefix, err, errlen);
			/* RFC 7047 5.2.6: a wait whose condition did not hold
			 * within its timeout (0: at once) fails so. */
			what = json_string_value(json_object_get(op, "error"));
			return what && !strcmp(what, "timed out") ? -ETIMEDOUT
								  : -EIO;
		}
	}
	if (json_array_size(res) < nops) {
		snprintf(err, errlen, "%zu results for %zu operations",
			 json_array_size(res), nops);
		return -EPROTO;
	}
	return 0;
}

json_t *ovsdb_echo_reply(json_t *msg)
{
	const char *method = json_string_value(json_object_get(msg, "method"));
	json_t *id = json_object_get(msg, "id");
	json_t *params = json_object_get(msg, "params");

	if (!method || strcmp(method, "echo") || !id || json_is_null(id))
		return NULL;
	return json_pack("{s:O, s:O, s:n}", "id", id, "result",
			 params ? params : json_null(), "error");
}

json_t *ovsdb_cond(const char *column, const char *fn, json_t *value)
{
	return json_pack("[s, s, o]", column, fn, value);
}

json_t *ovsdb_uuid(const char *uuid)
{
	return json_pack("[s, s]", "uuid", uuid);
}

json_t *ovsdb_named_uuid(const char *name)
{
	return json_pack("[s, s]", "named-uuid", name);
}

json_t *ovsdb_map(const char *const (*pairs)[2], size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list && i < n; i++) {
		if (json_array_append_new(list, json_pack("[s, s]", pairs[i][0],
							  pairs[i][1]))) {
			json_decref(list);
			return NULL;
		}
	}
	return list ? json_pack("[s, o]", "map", list) : NULL;
}

json_t *ovsdb_set1(json_t *elem)
{
	return json_pack("[s, [o]]", "set", elem);
}

const char *ovsdb_uuid_of(json_t *v)
{
	const char *tag = json_string_value(json_array_get(v, 0));

	if (!json_is_array(v) || json_array_size(v) != 2 || !tag ||
	    strcmp(tag, "uuid"))
		return NULL;
	return json_string_value(json_array_get(v, 1));
}

int ovsdb_set_elems(json_t *v, json_t **out, size_t max)
{
	const char *tag = json_string_value(json_array_get(v, 0));
	json_t *elems, *e;
	size_t i;

	if (!json_is_array(v) || !tag || strcmp(tag, "set")) {
		/* A single atom: a set of one. A UUID is ["uuid", "..."]. */
		if (!v || max < 1 || json_is_object(v) ||
		    (json_is_array(v) && !ovsdb_uuid_of(v)))
			return -EPROTO;
		out[0] = v;
		return 1;
	}
	elems = json_array_get(v, 1);
	if (json_array_size(v) != 2 || !json_is_array(elems) ||
	    json_array_size(elems) > max)
		return -EPROTO;
	json_array_foreach(elems, i, e)
		out[i] = e;
	return (int)json_array_size(elems);
}

const char *ovsdb_map_get(json_t *v, const char *key)
{
	const char *tag = json_string_value(json_array_get(v, 0));
	json_t *pairs = json_array_get(v, 1), *p;
	size_t i;

	if (!json_is_array(v) || json_array_size(v) != 2 || !tag ||
	    strcmp(tag, "map") || !json_is_array(pairs))
		return NULL;
	json_array_foreach(pairs, i, p) {
		const char *k = json_string_value(json_array_get(p, 0));

		if (json_array_size(p) == 2 && k && !strcmp(k, key))
			return json_string_value(json_array_get(p, 1));
	}
	return NULL;
}

/* I/O ------------------------------------------------------------------ */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for @events on @db->fd until @deadline. Return: 0 or -errno. */
static int wait_fd(struct ovsdb *db, short events, long long deadline)
{
	struct pollfd p = { .fd = db->fd, .events = events };
	long long left;
	int n;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&p, 1, (int)left);
		if (n > 0)
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/* Send @msg whole. MSG_NOSIGNAL: a server that went away is EPIPE. */
static int send_json(struct ovsdb *db, json_t *msg, long long deadline)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	size_t len, off = 0;
	int rc = 0;

	if (!text)
		return -ENOMEM;
	len = strlen(text);
	while (off < len) {
		ssize_t n = send(db->fd, text + off, len - off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			rc = wait_fd(db, POLLOUT, deadline);
			if (rc)
				break;
			continue;
		}
		rc = -errno;
		break;
	}
	free(text);
	return rc;
}

/* Read one message (the next in the stream) into @msg. */
static int recv_message(struct ovsdb *db, json_t **msg, long long deadline)
{
	size_t used;
	int rc;

	for (;;) {
		char *grown;
		ssize_t n;

		rc = ovsdb_next_message(db->buf, db->len, msg, &used);
		if (rc == 0) {
			memmove(db->buf, db->buf + used, db->len - used);
			db->len -= used;
			return 0;
		}
		if (rc != -EAGAIN)
			return rc;
		grown = realloc(db->buf, db->len + 4096 + 1);
		if (!grown)
			return -ENOMEM;
		db->buf = grown;
		rc = wait_fd(db, POLLIN, deadline);
		if (rc)
			return rc;
		n = recv(db->fd, db->buf + db->len, 4096, MSG_DONTWAIT);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		db->len += (size_t)n;
	}
}

int ovsdb_transact(struct ovsdb *db, json_t *ops, json_t **result,
		   int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	size_t nops = json_array_size(ops);
	unsigned id = db->next_id++;
	json_t *req, *msg, *res, *echo;
	int rc;

	*result = NULL;
	db->err[0] = '\0';
	if (db->fd < 0) {
		json_decref(ops);
		return -ENOTCONN;
	}
	req = ovsdb_request(id, ops);
	if (!req)
		return -ENOMEM;
	rc = send_json(db, req, deadline);
	json_decref(req);
	if (rc)
		return rc;
	for (;;) {
		rc = recv_message(db, &msg, deadline);
		if (rc == -EPROTO)
			snprintf(db->err, sizeof(db->err),
				 "the server sent something that is not JSON-RPC");
		if (rc)
			return rc;
		rc = ovsdb_reply_result(msg, id, nops, &res, db->err,
					sizeof(db->err));
		if (rc == -ENOMSG) {
			echo = ovsdb_echo_reply(msg);
			json_decref(msg);
			if (echo) {
				rc = send_json(db, echo, deadline);
				json_decref(echo);
				if (rc)
					return rc;
			}
			continue;
		}
		if (res)
			*result = json_incref(res);
		json_decref(msg);
		/* res is set only when the server judged the operations. */
		if (rc && rc != -EIO && rc != -ETIMEDOUT && *result) {
			json_decref(*result);
			*result = NULL;
		}
		return rc;
	}
}
