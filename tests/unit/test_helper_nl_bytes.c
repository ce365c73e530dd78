/* test_helper_nl_bytes.c - unit tests: every byte of a built netlink request is written by the builder */

/*
 * A request goes to the kernel as a whole buffer. Bytes the builder did not
 * write (attribute padding that libmnl leaves alone) would carry whatever
 * the stack held before. Each test fills the buffer with a marker first and
 * checks that no marker byte is left inside the request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "rtnl.h"

#define MARK 0xa5

static struct {
	unsigned char b[NL_BUILD_SIZE];
} buf __attribute__((aligned(8)));

static void assert_no_stale_byte(size_t len)
{
	size_t i;

	assert_true(len > 0 && len <= sizeof(buf.b));
	for (i = 0; i < len; i++)
		if (buf.b[i] == MARK)
			fail_msg("byte %zu of %zu was not written by the builder",
				 i, len);
}

static void test_port_setup_request_has_no_stale_byte(void **state)
{
	/* A 6-byte MAC, a 1-byte flag and "bridge\0" all need padding. */
	struct nl_port_config c = {
		.ifindex = 7, .master = 2, .mtu = 1500, .isolated = true,
		.alias = "tapgate uid=4001 pid=123",
		.mac = { 0xfe, 1, 2, 3, 4, 5 },
	};

	memset(buf.b, MARK, sizeof(buf.b));
	assert_no_stale_byte(nl_build_port_setup(buf.b, &c));
}

static void test_getlink_request_has_no_stale_byte(void **state)
{
	memset(buf.b, MARK, sizeof(buf.b));
	assert_no_stale_byte(nl_build_getlink(buf.b, "br0"));
	memset(buf.b, MARK, sizeof(buf.b));
	assert_no_stale_byte(nl_build_getlink(buf.b, "brtruncate12345"));
}

static void test_altname_requests_have_no_stale_byte(void **state)
{
	/* Odd lengths: the attribute padding is where stale bytes hid. */
	memset(buf.b, MARK, sizeof(buf.b));
	assert_no_stale_byte(nl_build_getlink_altname(buf.b, "tapgate.uid4001.slot1"));
	memset(buf.b, MARK, sizeof(buf.b));
	assert_no_stale_byte(nl_build_altname_add(buf.b, 7, "tapgate.uid4001.slot17"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_setup_request_has_no_stale_byte),
		cmocka_unit_test(test_getlink_request_has_no_stale_byte),
		cmocka_unit_test(test_altname_requests_have_no_stale_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
