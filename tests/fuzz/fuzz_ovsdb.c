/* fuzz_ovsdb.c - libFuzzer target: what the helper reads from OVSDB (message framing, reply judgement, the bridge and ofport parsers), with property checks */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ovs.h"
#include "ovsdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every parser on one message; properties that must hold whatever it is. */
static void judge(json_t *msg)
{
	static struct ovs_bridge br;
	char err[256];
	json_t *res, *echo;
	const char *error;
	long long ofport;
	size_t i;
	int rc;

	rc = ovsdb_reply_result(msg, 1, 2, &res, err, sizeof(err));
	assert(rc == 0 || rc == -ENOMSG || rc == -EIO || rc == -ETIMEDOUT ||
	       rc == -EPROTO);
	assert(strlen(err) < sizeof(err));
	if (rc == 0) {
		assert(json_is_array(res) && json_array_size(res) >= 2);
		if (!ovs_parse_bridge_query(res, &br)) {
			assert(br.nrows <= OVS_ROWS_MAX);
			assert(br.exists || br.nrows == 0);
			for (i = 0; i < br.nrows; i++) {
				assert(strlen(br.row[i].name) < sizeof(br.row[i].name));
				assert(strlen(br.row[i].netns) < sizeof(br.row[i].netns));
				assert(br.row[i].ifindex >= 0);
			}
		}
		rc = ovs_parse_ofport(res, &ofport, &error);
		assert(rc == 0 || rc == -ENOENT || rc == -EPROTO);
	}
	echo = ovsdb_echo_reply(msg);
	json_decref(echo);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t off = 0, used;
	json_t *msg;

	/* The stream as recv() fills the buffer: message after message. */
	while (off < size) {
		int rc = ovsdb_next_message(buf + off, size - off, &msg, &used);

		assert(rc == 0 || rc == -EAGAIN || rc == -EPROTO || rc == -EMSGSIZE);
		if (rc)
			break;
		assert(used > 0 && used <= size - off);
		assert(json_is_object(msg));
		judge(msg);
		json_decref(msg);
		off += used;
	}
	return 0;
}
