/* test_lib_nl.c - unit tests: lib/nl.c's reply handling (crafted replies), sequence numbers, batches, link parsing, error text */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "nl.h"

#define PORTID 4242

static union {
	struct nlmsghdr hdr;
	char b[NL_RECV_SIZE];
} rx;


/* Helpers: craft replies --------------------------------------------------- */

static struct nlmsghdr *put_reply(char *at, uint16_t type, uint16_t flags,
				  unsigned seq, unsigned portid)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = portid;
	return nlh;
}

/* An NLMSG_ERROR answering a request of @req_len bytes; the request is
 * copied (zeroed here) unless @capped; @msg becomes NLMSGERR_ATTR_MSG. */
static size_t put_error(char *at, unsigned seq, int error, const char *msg,
			bool capped, size_t req_len)
{
	uint16_t flags = (capped ? NLM_F_CAPPED : 0) |
			 (msg ? NLM_F_ACK_TLVS : 0);
	struct nlmsghdr *nlh = put_reply(at, NLMSG_ERROR, flags, seq, PORTID);
	size_t extra = sizeof(struct nlmsgerr) +
		       (capped ? 0 : req_len - sizeof(struct nlmsghdr));
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, extra);

	e->error = error;
	e->msg.nlmsg_len = (uint32_t)req_len;
	e->msg.nlmsg_type = RTM_NEWLINK;
	e->msg.nlmsg_seq = seq;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	return nlh->nlmsg_len;
}

static size_t put_ack(char *at, unsigned seq)
{
	return put_error(at, seq, 0, NULL, true, sizeof(struct nlmsghdr));
}

static size_t put_done(char *at, unsigned seq, uint16_t flags, int error,
		       const char *msg)
{
	struct nlmsghdr *nlh = put_reply(at, NLMSG_DONE, NLM_F_MULTI | flags |
					 (msg ? NLM_F_ACK_TLVS : 0),
					 seq, PORTID);
	int *e = mnl_nlmsg_put_extra_header(nlh, sizeof(int));

	*e = error;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	return nlh->nlmsg_len;
}

/* An RTM_NEWLINK like the kernel's; @kind NULL: no IFLA_LINKINFO; @owner
 * -1: no IFLA_TUN_OWNER. */
static size_t put_link(char *at, unsigned seq, uint16_t flags, int ifindex,
		       const char *name, unsigned mtu, const char *kind,
		       long long owner, uint8_t tun_type)
{
	struct nlmsghdr *nlh = put_reply(at, RTM_NEWLINK, flags, seq, PORTID);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_index = ifindex;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	mnl_attr_put_u32(nlh, IFLA_TXQLEN, 1000);
	if (kind) {
		struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);

		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
		if (!strcmp(kind, "tun")) {
			struct nlattr *data =
				mnl_attr_nest_start(nlh, IFLA_INFO_DATA);

			if (owner >= 0)
				mnl_attr_put_u32(nlh, IFLA_TUN_OWNER,
						 (uint32_t)owner);
			mnl_attr_put_u8(nlh, IFLA_TUN_TYPE, tun_type);
			mnl_attr_put_u8(nlh, IFLA_TUN_PERSIST, 0);
			mnl_attr_nest_end(nlh, data);
		}
		mnl_attr_nest_end(nlh, info);
	}
	return nlh->nlmsg_len;
}

static void reply_init(struct nl_reply *r, unsigned seq, unsigned pending)
{
	memset(r, 0, sizeof(*r));
	r->portid = PORTID;
	r->seq = seq;
	r->pending = pending;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(*(int *)data)++;
	return MNL_CB_OK;
}

/* Replies ------------------------------------------------------------------- */

static void test_ack_finishes_its_request(void **state)
{
	struct nl_reply r;
	size_t len = put_ack(rx.b, 10);

	reply_init(&r, 10, 1);
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.pending, 0);
	assert_int_equal(r.err, 0);
	assert_string_equal(r.ext_msg, "");
}

static void test_kernel_error_becomes_negative_errno_with_its_message(void **state)
{
	struct nl_reply r;
	size_t len = put_error(rx.b, 10, -EINVAL,
			       "mtu less than device minimum", true, 64);

	reply_init(&r, 10, 1);
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.pending, 0);
	assert_int_equal(r.err, -EINVAL);
	assert_string_equal(r.ext_msg, "mtu less than device minimum");
}

static void test_ext_ack_is_found_after_a_copied_request(void **state)
{
	struct nl_reply r;
	/* Not capped: the request's 60-byte payload sits before the TLVs. */
	size_t len = put_error(rx.b, 10, -EOPNOTSUPP, "no master", false,
			       sizeof(struct nlmsghdr) + 60);

	reply_init(&r, 10, 1);
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.err, -EOPNOTSUPP);
	assert_string_equal(r.ext_msg, "no master");
}

static void test_positive_error_is_also_negative_errno(void **state)
{
	struct nl_reply r;
	size_t len = put_error(rx.b, 10, EPERM, NULL, true, 32);

	reply_init(&r, 10, 1);
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.err, -EPERM);
	assert_string_equal(r.ext_msg, "");
}

static void test_first_error_of_a_batch_wins_and_every_answer_is_read(void **state)
{
	struct nl_reply r;
	size_t len = 0;

	len += put_ack(rx.b + len, 20);
	len += put_error(rx.b + len, 21, -EINVAL, "first", true, 64);
	len += put_error(rx.b + len, 22, -EOPNOTSUPP, "second", true, 64);
	reply_init(&r, 20, 3);
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.pending, 0);
	assert_int_equal(r.seq, 23);
	assert_int_equal(r.err, -EINVAL);
	assert_string_equal(r.ext_msg, "first");
}

static void test_answers_may_span_datagrams(void **state)
{
	struct nl_reply r;
	size_t len;

	reply_init(&r, 30, 2);
	len = put_ack(rx.b, 30);
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.pending, 1);
	len = put_error(rx.b, 31, -ENODEV, NULL, true, 32);
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.pending, 0);
	assert_int_equal(r.err, -ENODEV);
}

static void test_answer_with_unexpected_sequence_is_refused(void **state)
{
	struct nl_reply r;
	size_t len = 0;

	/* The answer to the second request before the first: not the
	 * kernel's order, so not to be trusted. */
	len += put_ack(rx.b, 41);
	reply_init(&r, 40, 2);
	assert_int_equal(nl_reply_feed(&r, rx.b, len), -EPROTO);
}

static void test_answer_from_another_port_is_refused(void **state)
{
	struct nl_reply r;
	size_t len = put_ack(rx.b, 10);

	rx.hdr.nlmsg_pid = PORTID + 1;
	reply_init(&r, 10, 1);
	assert_int_equal(nl_reply_feed(&r, rx.b, len), -EPROTO);
}

static void test_answer_to_nothing_is_refused(void **state)
{
	struct nl_reply r;
	size_t len = 0;

	len += put_ack(rx.b + len, 10);
	len += put_ack(rx.b + len, 11);
	reply_init(&r, 10, 1);
	assert_int_equal(nl_reply_feed(&r, rx.b, len), -EPROTO);
}

static void test_truncated_error_message_is_malformed(void **state)
{
	struct nl_reply r;
	struct nlmsghdr *nlh = put_reply(rx.b, NLMSG_ERROR, 0, 10, PORTID);

	mnl_nlmsg_put_extra_header(nlh, sizeof(int));	/* no nlmsghdr */
	reply_init(&r, 10, 1);
	assert_int_equal(nl_reply_feed(&r, rx.b, nlh->nlmsg_len), -EBADMSG);
}

static void test_trailing_bytes_are_malformed(void **state)
{
	struct nl_reply r;
	size_t len = put_ack(rx.b, 10);

	reply_init(&r, 10, 2);
	assert_int_equal(nl_reply_feed(&r, rx.b, len + 8), -EBADMSG);
}

static void test_dump_parts_go_to_the_callback_until_done(void **state)
{
	struct nl_reply r;
	size_t len = 0;
	int calls = 0;

	len += put_link(rx.b + len, 50, NLM_F_MULTI, 1, "lo", 65536, NULL,
			-1, 0);
	len += put_link(rx.b + len, 50, NLM_F_MULTI, 2, "br0", 1500,
			"bridge", -1, 0);
	reply_init(&r, 50, 1);
	r.cb = count_cb;
	r.data = &calls;
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.pending, 1);

	len = put_done(rx.b, 50, 0, 0, NULL);
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.pending, 0);
	assert_int_equal(r.err, 0);
	assert_int_equal(calls, 2);
}

static void test_dump_error_in_done_is_reported(void **state)
{
	struct nl_reply r;
	size_t len = put_done(rx.b, 50, 0, -EMSGSIZE, "dump too big");

	reply_init(&r, 50, 1);
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.pending, 0);
	assert_int_equal(r.err, -EMSGSIZE);
	assert_string_equal(r.ext_msg, "dump too big");
}

static void test_interrupted_dump_is_reported_as_eintr(void **state)
{
	struct nl_reply r;
	size_t len = 0;
	int calls = 0;

	len += put_link(rx.b + len, 50, NLM_F_MULTI, 1, "lo", 65536, NULL,
			-1, 0);
	len += put_link(rx.b + len, 50, NLM_F_MULTI | NLM_F_DUMP_INTR, 2,
			"br0", 1500, "bridge", -1, 0);
	len += put_done(rx.b + len, 50, NLM_F_DUMP_INTR, 0, NULL);
	reply_init(&r, 50, 1);
	r.cb = count_cb;
	r.data = &calls;
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.pending, 0);
	assert_int_equal(r.err, -EINTR);
	assert_int_equal(calls, 1);	/* not the inconsistent part */
}

static int failing_cb(const struct nlmsghdr *nlh, void *data)
{
	(*(int *)data)++;
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static void test_callback_error_fails_the_round_trip_but_reading_goes_on(void **state)
{
	struct nl_reply r;
	size_t len = 0;
	int calls = 0;

	len += put_link(rx.b + len, 60, 0, 2, "br0", 1500, "bridge", -1, 0);
	len += put_link(rx.b + len, 60, 0, 3, "br1", 1500, "bridge", -1, 0);
	len += put_ack(rx.b + len, 60);
	reply_init(&r, 60, 1);
	r.cb = failing_cb;
	r.data = &calls;
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.pending, 0);
	assert_int_equal(r.err, -EBADMSG);
	assert_int_equal(calls, 1);
}

static void test_sequence_number_zero_is_skipped(void **state)
{
	assert_int_equal(nl_seq_next(5), 6);
	assert_int_equal(nl_seq_next(UINT_MAX), 1);
}

/* Parsers ------------------------------------------------------------------- */

static void test_link_reply_gives_index_name_mtu_and_kind(void **state)
{
	struct nl_link l;

	put_link(rx.b, 1, 0, 12, "br0", 9000, "bridge", -1, 0);
	assert_int_equal(nl_link_parse(&rx.hdr, &l), 0);
	assert_int_equal(l.ifindex, 12);
	assert_int_equal(l.mtu, 9000);
	assert_string_equal(l.name, "br0");
	assert_string_equal(l.kind, "bridge");

	put_link(rx.b, 1, 0, 1, "lo", 65536, NULL, -1, 0);
	assert_int_equal(nl_link_parse(&rx.hdr, &l), 0);
	assert_string_equal(l.kind, "");
}

static void test_link_reply_without_name_is_malformed(void **state)
{
	struct nl_link l;

	put_link(rx.b, 1, 0, 12, NULL, 1500, "bridge", -1, 0);
	assert_int_equal(nl_link_parse(&rx.hdr, &l), -EBADMSG);
}

static void test_link_reply_with_name_over_15_bytes_is_malformed(void **state)
{
	struct nl_link l;

	put_link(rx.b, 1, 0, 12, "sixteen-bytes...", 1500, "bridge", -1, 0);
	assert_int_equal(nl_link_parse(&rx.hdr, &l), -EBADMSG);
}

static void test_link_of_unknown_long_kind_is_no_kind(void **state)
{
	struct nl_link l;

	put_link(rx.b, 1, 0, 12, "x0", 1500, "a-kind-of-20-bytes..", -1, 0);
	assert_int_equal(nl_link_parse(&rx.hdr, &l), 0);
	assert_string_equal(l.kind, "");
}

static void test_each_request_of_a_batch_gets_its_own_outcome(void **state)
{
	int each[3] = { 1, 1, 1 };
	struct nl_reply r;
	size_t len = 0;
	int calls = 0;

	len += put_error(rx.b + len, 20, -ENODEV, NULL, true, 64);
	len += put_link(rx.b + len, 21, 0, 5, "tapa", 1500, "tun", 1000,
			IFF_TAP);
	len += put_ack(rx.b + len, 21);
	len += put_error(rx.b + len, 22, -ENODEV, NULL, true, 64);
	reply_init(&r, 20, 3);
	r.cb = count_cb;
	r.data = &calls;
	r.each = each;
	r.neach = 3;
	assert_int_equal(nl_reply_feed(&r, rx.b, len), 0);
	assert_int_equal(r.pending, 0);
	assert_int_equal(each[0], -ENODEV);
	assert_int_equal(each[1], 0);
	assert_int_equal(each[2], -ENODEV);
	/* The whole still fails with its first error. */
	assert_int_equal(r.err, -ENODEV);
}

static void test_batch_append_puts_messages_back_to_back(void **state)
{
	static char batch[NL_BUILD_SIZE], msg[NL_BUILD_SIZE];
	size_t len = 0;

	memset(msg, 'a', 20);
	assert_int_equal(nl_batch_append(batch, &len, msg, 20), 0);
	memset(msg, 'b', 36);
	assert_int_equal(nl_batch_append(batch, &len, msg, 36), 0);
	assert_int_equal(len, 56);
	assert_int_equal(batch[19], 'a');
	assert_int_equal(batch[20], 'b');
	assert_int_equal(batch[55], 'b');
}

static void test_batch_append_refuses_no_message_and_overflow(void **state)
{
	static char batch[NL_BUILD_SIZE], msg[NL_BUILD_SIZE];
	size_t len = 0;

	/* 0: the builder could not express the request. */
	assert_int_equal(nl_batch_append(batch, &len, msg, 0), -EINVAL);
	assert_int_equal(len, 0);
	assert_int_equal(nl_batch_append(batch, &len, msg, NL_BUILD_SIZE - 4), 0);
	assert_int_equal(nl_batch_append(batch, &len, msg, 8), -EINVAL);
	assert_int_equal(len, NL_BUILD_SIZE - 4);
	assert_int_equal(nl_batch_append(batch, &len, msg, 4), 0);
	assert_int_equal(len, NL_BUILD_SIZE);
}

static void test_error_text_carries_the_kernel_message(void **state)
{
	struct nl nl;

	memset(&nl, 0, sizeof(nl));
	assert_string_equal(nl_error(&nl, -EPERM), strerror(EPERM));
	snprintf(nl.ext_msg, sizeof(nl.ext_msg), "%s", "no master");
	assert_string_equal(nl_error(&nl, -EOPNOTSUPP),
			    "Operation not supported (kernel: no master)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ack_finishes_its_request),
		cmocka_unit_test(test_kernel_error_becomes_negative_errno_with_its_message),
		cmocka_unit_test(test_ext_ack_is_found_after_a_copied_request),
		cmocka_unit_test(test_positive_error_is_also_negative_errno),
		cmocka_unit_test(test_first_error_of_a_batch_wins_and_every_answer_is_read),
		cmocka_unit_test(test_answers_may_span_datagrams),
		cmocka_unit_test(test_answer_with_unexpected_sequence_is_refused),
		cmocka_unit_test(test_answer_from_another_port_is_refused),
		cmocka_unit_test(test_answer_to_nothing_is_refused),
		cmocka_unit_test(test_truncated_error_message_is_malformed),
		cmocka_unit_test(test_trailing_bytes_are_malformed),
		cmocka_unit_test(test_dump_parts_go_to_the_callback_until_done),
		cmocka_unit_test(test_dump_error_in_done_is_reported),
		cmocka_unit_test(test_interrupted_dump_is_reported_as_eintr),
		cmocka_unit_test(test_callback_error_fails_the_round_trip_but_reading_goes_on),
		cmocka_unit_test(test_sequence_number_zero_is_skipped),
		cmocka_unit_test(test_link_reply_gives_index_name_mtu_and_kind),
		cmocka_unit_test(test_link_reply_without_name_is_malformed),
		cmocka_unit_test(test_link_reply_with_name_over_15_bytes_is_malformed),
		cmocka_unit_test(test_link_of_unknown_long_kind_is_no_kind),
		cmocka_unit_test(test_each_request_of_a_batch_gets_its_own_outcome),
		cmocka_unit_test(test_batch_append_puts_messages_back_to_back),
		cmocka_unit_test(test_batch_append_refuses_no_message_and_overflow),
		cmocka_unit_test(test_error_text_carries_the_kernel_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
