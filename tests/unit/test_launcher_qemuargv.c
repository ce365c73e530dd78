/* test_launcher_qemuargv.c - unit tests: QEMU's command line and its shell quoting */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "qemuargv.h"

static char *user[] = { (char *)"qemu-system-x86_64", (char *)"-m",
			(char *)"1G", NULL };
static const int fd3[] = { 3 };
static const int fds3to6[] = { 3, 4, 5, 6 };

static struct qemu_nic nic(const int *fds, size_t n, unsigned char last)
{
	struct qemu_nic q = {
		.fds = fds, .nfds = n,
		.mac = { 0x52, 0x54, 0x00, 0xaa, 0xbb, last },
	};

	return q;
}

static size_t count(char **argv)
{
	size_t n = 0;

	while (argv[n])
		n++;
	return n;
}

static void test_single_queue_nic_gets_fd_and_device(void **state)
{
	struct qemu_nic q = nic(fd3, 1, 0xcc);
	char **a = qemuargv_build(user, 3, &q, 1, "virtio-net-pci", false);

	assert_non_null(a);
	assert_int_equal(count(a), 7);
	assert_string_equal(a[3], "-netdev");
	assert_string_equal(a[4], "tap,id=tapgate0,fd=3");
	assert_string_equal(a[5], "-device");
	assert_string_equal(a[6],
		"virtio-net-pci,netdev=tapgate0,mac=52:54:00:aa:bb:cc");
	qemuargv_free(a);
}

static void test_additions_come_after_the_users_arguments(void **state)
{
	struct qemu_nic q = nic(fd3, 1, 0xcc);
	char **a = qemuargv_build(user, 3, &q, 1, "virtio-net-pci", false);

	assert_non_null(a);
	assert_string_equal(a[0], "qemu-system-x86_64");
	assert_string_equal(a[1], "-m");
	assert_string_equal(a[2], "1G");
	qemuargv_free(a);
}

static void test_multiqueue_virtio_pci_gets_fds_mq_and_2n_plus_2_vectors(void **state)
{
	struct qemu_nic q = nic(fds3to6, 4, 0xcc);
	char **a = qemuargv_build(user, 3, &q, 1, "virtio-net-pci", false);

	assert_non_null(a);
	assert_string_equal(a[4], "tap,id=tapgate0,fds=3:4:5:6");
	assert_string_equal(a[6],
		"virtio-net-pci,netdev=tapgate0,mac=52:54:00:aa:bb:cc,mq=on,vectors=10");
	qemuargv_free(a);

	q.nfds = 2;
	a = qemuargv_build(user, 3, &q, 1, "virtio-net-pci-non-transitional",
			   false);
	assert_non_null(a);
	assert_string_equal(a[4], "tap,id=tapgate0,fds=3:4");
	assert_string_equal(a[6],
		"virtio-net-pci-non-transitional,netdev=tapgate0,mac=52:54:00:aa:bb:cc,mq=on,vectors=6");
	qemuargv_free(a);
}

static void test_sixteen_queues_fit(void **state)
{
	int fds[16];
	struct qemu_nic q;
	char **a;
	size_t i;

	for (i = 0; i < 16; i++)
		fds[i] = 1000000 + (int)i;
	q = nic(fds, 16, 1);
	a = qemuargv_build(user, 3, &q, 1, "virtio-net-pci", false);
	assert_non_null(a);
	assert_non_null(strstr(a[4], ":1000015"));
	assert_non_null(strstr(a[6], ",vectors=34"));
	qemuargv_free(a);
}

static void test_multiqueue_virtio_without_pci_gets_mq_but_no_vectors(void **state)
{
	struct qemu_nic q = nic(fds3to6, 2, 0xcc);
	char **a = qemuargv_build(user, 3, &q, 1, "virtio-net-device", false);

	assert_non_null(a);
	assert_string_equal(a[6],
		"virtio-net-device,netdev=tapgate0,mac=52:54:00:aa:bb:cc,mq=on");
	qemuargv_free(a);
}

static void test_multiqueue_other_model_gets_no_mq(void **state)
{
	struct qemu_nic q = nic(fds3to6, 2, 0xcc);
	char **a = qemuargv_build(user, 3, &q, 1, "e1000", false);

	assert_non_null(a);
	assert_string_equal(a[4], "tap,id=tapgate0,fds=3:4");
	assert_string_equal(a[6], "e1000,netdev=tapgate0,mac=52:54:00:aa:bb:cc");
	qemuargv_free(a);
}

static void test_single_queue_gets_no_mq(void **state)
{
	struct qemu_nic q = nic(fd3, 1, 0xcc);
	char **a = qemuargv_build(user, 3, &q, 1, "virtio-net-pci", false);

	assert_non_null(a);
	assert_null(strstr(a[6], "mq="));
	assert_null(strstr(a[6], "vectors="));
	qemuargv_free(a);
}

static void test_no_device_adds_only_netdev(void **state)
{
	struct qemu_nic q[2] = { nic(fd3, 1, 1), nic(fds3to6 + 1, 1, 2) };
	char **a = qemuargv_build(user, 3, q, 2, "virtio-net-pci", true);

	assert_non_null(a);
	assert_int_equal(count(a), 7);
	assert_string_equal(a[3], "-netdev");
	assert_string_equal(a[4], "tap,id=tapgate0,fd=3");
	assert_string_equal(a[5], "-netdev");
	assert_string_equal(a[6], "tap,id=tapgate1,fd=4");
	qemuargv_free(a);
}

static void test_model_names_the_device(void **state)
{
	struct qemu_nic q = nic(fd3, 1, 0xcc);
	char **a = qemuargv_build(user, 3, &q, 1, "e1000", false);

	assert_non_null(a);
	assert_string_equal(a[6], "e1000,netdev=tapgate0,mac=52:54:00:aa:bb:cc");
	qemuargv_free(a);
}

static void test_each_nic_gets_its_own_id_fds_and_mac(void **state)
{
	struct qemu_nic q[2] = { nic(fds3to6, 2, 1), nic(fds3to6 + 2, 2, 2) };
	char **a = qemuargv_build(user, 3, q, 2, "virtio-net-pci", false);

	assert_non_null(a);
	assert_int_equal(count(a), 11);
	assert_string_equal(a[4], "tap,id=tapgate0,fds=3:4");
	assert_string_equal(a[6],
		"virtio-net-pci,netdev=tapgate0,mac=52:54:00:aa:bb:01,mq=on,vectors=6");
	assert_string_equal(a[8], "tap,id=tapgate1,fds=5:6");
	assert_string_equal(a[10],
		"virtio-net-pci,netdev=tapgate1,mac=52:54:00:aa:bb:02,mq=on,vectors=6");
	qemuargv_free(a);
}

static void assert_quoted(char **argv, const char *want)
{
	char *s = qemuargv_quote(argv);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

#define WORDS(...) ((char *[]){ __VA_ARGS__, NULL })

static void test_quote_leaves_plain_words_alone(void **state)
{
	assert_quoted(WORDS((char *)"qemu", (char *)"-netdev",
			    (char *)"tap,id=tapgate0,fds=3:4",
			    (char *)"/a/b.img", (char *)"a@b%c+d"),
		      "qemu -netdev tap,id=tapgate0,fds=3:4 /a/b.img a@b%c+d");
}

static void test_quote_single_quotes_words_a_shell_would_change(void **state)
{
	assert_quoted(WORDS((char *)"qemu", (char *)"a b", (char *)"$HOME",
			    (char *)"*", (char *)"x;y", (char *)"~"),
		      "qemu 'a b' '$HOME' '*' 'x;y' '~'");
}

static void test_quote_escapes_single_quotes(void **state)
{
	assert_quoted(WORDS((char *)"qemu", (char *)"it's"),
		      "qemu 'it'\\''s'");
}

static void test_quote_shows_empty_words(void **state)
{
	assert_quoted(WORDS((char *)"qemu", (char *)""), "qemu ''");
}

static void test_quote_protects_a_first_word_with_equals(void **state)
{
	assert_quoted(WORDS((char *)"a=b", (char *)"c=d"), "'a=b' c=d");
}

/* What /bin/sh makes of the quoted line is the words we started with. */
static void test_quote_round_trips_through_the_shell(void **state)
{
	char *words[] = { (char *)"printf", (char *)"[%s]",
			  (char *)"it's", (char *)"a  b", (char *)"\"q\"",
			  (char *)"$x`y`\\", (char *)"", (char *)"\n", NULL };
	char out[256] = "", *cmd = qemuargv_quote(words);
	size_t n;
	FILE *p;

	assert_non_null(cmd);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_string_equal(out, "[it's][a  b][\"q\"][$x`y`\\][][\n]");
	free(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_queue_nic_gets_fd_and_device),
		cmocka_unit_test(test_additions_come_after_the_users_arguments),
		cmocka_unit_test(test_multiqueue_virtio_pci_gets_fds_mq_and_2n_plus_2_vectors),
		cmocka_unit_test(test_sixteen_queues_fit),
		cmocka_unit_test(test_multiqueue_virtio_without_pci_gets_mq_but_no_vectors),
		cmocka_unit_test(test_multiqueue_other_model_gets_no_mq),
		cmocka_unit_test(test_single_queue_gets_no_mq),
		cmocka_unit_test(test_no_device_adds_only_netdev),
		cmocka_unit_test(test_model_names_the_device),
		cmocka_unit_test(test_each_nic_gets_its_own_id_fds_and_mac),
		cmocka_unit_test(test_quote_leaves_plain_words_alone),
		cmocka_unit_test(test_quote_single_quotes_words_a_shell_would_change),
		cmocka_unit_test(test_quote_escapes_single_quotes),
		cmocka_unit_test(test_quote_shows_empty_words),
		cmocka_unit_test(test_quote_protects_a_first_word_with_equals),
		cmocka_unit_test(test_quote_round_trips_through_the_shell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
