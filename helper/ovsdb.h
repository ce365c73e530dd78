/* ovsdb.h - an OVSDB client (RFC 7047 JSON-RPC on a unix socket): requests, replies, one transact round trip */
#ifndef TAPGATE_OVSDB_H
#define TAPGATE_OVSDB_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Reusable module: functions return 0 or -errno. */

/* The database every request names. */
#define OVSDB_DB "Open_vSwitch"
/* Largest message accepted from the server; a longer one is -EMSGSIZE.
 * A select of tapgate's own rows on one bridge is a few hundred bytes per
 * port, so this is far above any real reply and far below a memory
 * problem. */
#define OVSDB_MSG_MAX ((size_t)1 << 20)
/* Deepest JSON nesting accepted in a reply (ours is at most 6 deep). */
#define OVSDB_DEPTH_MAX 32

struct ovsdb {
	int fd;			/* the connection, or -1 */
	int connect_err;	/* why there is none: -errno from connect() */
	unsigned next_id;	/* JSON-RPC id of the next request */
	char *buf;		/* bytes received and not yet parsed */
	size_t len;
	char err[256];		/* the server's words for the last failure */
};

/**
 * ovsdb_connect() - connect to the server's unix socket at @path
 * @db:		filled in; @db->fd is -1 and @db->connect_err says why when
 *		the connection failed
 * @path:	socket path (compiled in: TAPGATE_OVSDB_SOCK)
 *
 * Connecting sends nothing: the server learns nothing until the first
 * request. Called in step 2, with the installed privilege (the socket is
 * root's; see priv.c's list of what that step opens).
 * Return: 0 or -errno (-ENOENT: no socket, -ECONNREFUSED: no server).
 */
int ovsdb_connect(struct ovsdb *db, const char *path);

/* Close the connection; safe on a never-connected @db. */
void ovsdb_close(struct ovsdb *db);

/**
 * ovsdb_transact() - one "transact" round trip
 * @db:		connected
 * @ops:	a JSON array of operations; stolen (freed here)
 * @result:	on 0, and on -EIO or -ETIMEDOUT when the server sent one,
 *		the reply's result array (the caller frees it; NULL
 *		otherwise): which operation failed is the first result with
 *		an "error"
 * @timeout_ms:	bound on the whole round trip
 *
 * Answers the server's "echo" requests while it waits; ignores
 * notifications. On -EIO and -ETIMEDOUT from the server (an operation or
 * the commit failed), @db->err holds "operation #N: ERROR: DETAILS" in the
 * server's words.
 * Return: 0; -ETIMEDOUT when a wait operation timed out (with @result) or
 * the round trip did (without); -EIO for any other error the server
 * reported; -EPROTO (a reply that is not RFC 7047), -EMSGSIZE,
 * -ECONNRESET (the server closed), or another -errno.
 */
int ovsdb_transact(struct ovsdb *db, json_t *ops, json_t **result,
		   int timeout_ms);

/* Pure parts, unit-tested. */

/**
 * ovsdb_request() - {"method":"transact","params":["Open_vSwitch",OPS...],
 *		     "id":@id}
 * @ops:	array of operations, stolen
 * Return: the request, or NULL (out of memory, @ops not an array).
 */
json_t *ovsdb_request(unsigned id, json_t *ops);

/**
 * ovsdb_next_message() - take one JSON message off the front of @buf
 * @buf, @len:	bytes received so far
 * @msg:	the message (caller frees)
 * @used:	bytes it took (the rest belongs to the next message)
 *
 * Return: 0; -EAGAIN when @buf holds only part of a message so far;
 * -EMSGSIZE when that part is already over OVSDB_MSG_MAX; -EPROTO when it
 * is not JSON, not an object, or nested deeper than OVSDB_DEPTH_MAX.
 */
int ovsdb_next_message(const char *buf, size_t len, json_t **msg,
		       size_t *used);

/**
 * ovsdb_reply_result() - judge one message against the request @id
 * @msg:	a parsed message
 * @id:		the request's id
 * @nops:	number of operations the request carried
 * @result:	on 0, -EIO and -ETIMEDOUT, the result array (borrowed from
 *		@msg)
 * @err:	on -EIO, -ETIMEDOUT and -EPROTO, what went wrong
 *
 * Return: 0 when every operation succeeded; -ENOMSG when @msg is not the
 * reply to @id (a notification, an echo request); -ETIMEDOUT when a wait
 * operation failed with "timed out" (its condition did not hold within its
 * timeout; with timeout 0, at once); -EIO when the server reported another
 * error (the request as a whole, an operation, or the commit);
 * -EPROTO when the reply breaks RFC 7047 (result not an array of objects,
 * fewer results than operations and no error among them).
 */
int ovsdb_reply_result(json_t *msg, unsigned id, size_t nops,
		       json_t **result, char *err, size_t errlen);

/**
 * ovsdb_echo_reply() - the reply to @msg when it is an "echo" request
 * Return: the reply (caller frees), or NULL when @msg is no echo request.
 */
json_t *ovsdb_echo_reply(json_t *msg);

/* Builders of the operations tapgate uses (RFC 7047 section 5.2). All
 * return NULL when out of memory. */

/* ["COLUMN", "==", VALUE] (VALUE stolen) */
json_t *ovsdb_cond(const char *column, const char *fn, json_t *value);
/* ["uuid", UUID] and ["named-uuid", NAME] */
json_t *ovsdb_uuid(const char *uuid);
json_t *ovsdb_named_uuid(const char *name);
/* ["map", [[K, V], ...]] from @n pairs of strings */
json_t *ovsdb_map(const char *const (*pairs)[2], size_t n);
/* ["set", [ELEM]] (ELEM stolen) */
json_t *ovsdb_set1(json_t *elem);

/**
 * ovsdb_uuid_of() - the UUID string in ["uuid", "..."]
 * Return: the string (borrowed), or NULL when @v is not a UUID.
 */
const char *ovsdb_uuid_of(json_t *v);

/**
 * ovsdb_set_elems() - the elements of an OVSDB set value: ["set", [...]]
 *		       or a single atom (a set of one, RFC 7047 5.1)
 * @v:		the value
 * @out:	the elements (borrowed), at most @max
 * Return: the number of elements, or -EPROTO for a malformed value or
 * more than @max elements.
 */
int ovsdb_set_elems(json_t *v, json_t **out, size_t max);

/**
 * ovsdb_map_get() - the string value of @key in an OVSDB map
 *		     ["map", [[K, V], ...]]
 * Return: the value (borrowed), or NULL when @key is absent, or @v or the
 * value is malformed.
 */
const char *ovsdb_map_get(json_t *v, const char *key);

#endif /* TAPGATE_OVSDB_H */
