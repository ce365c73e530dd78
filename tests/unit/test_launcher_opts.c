/* test_launcher_opts.c - unit tests: the launcher's command line (SPEC §5) */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "opts.h"

#define ARGV(...) argv_of((const char *[]){ "tapgate", __VA_ARGS__, NULL })

static struct opts o;
static char err[256];

/* Writable copies of a test's words, as main() would get them; they stay
 * until the next call, since the parsed options point into them. */
static char **argv_of(const char *const *words)
{
	static char *copy[64];
	size_t i;

	for (i = 0; copy[i]; i++) {
		free(copy[i]);
		copy[i] = NULL;
	}
	for (i = 0; words[i]; i++) {
		assert_true(i < 63);
		copy[i] = strdup(words[i]);
	}
	copy[i] = NULL;
	return copy;
}

static int parse(char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	err[0] = '\0';
	return opts_parse(argc, argv, &o, err, sizeof(err));
}

/* The call fails, and its message contains @what. */
static void assert_refused(char **argv, const char *what)
{
	assert_int_equal(parse(argv), -EINVAL);
	if (!strstr(err, what))
		fail_msg("message '%s' lacks '%s'", err, what);
}

static void test_bridge_and_qemu_are_parsed(void **state)
{
	assert_int_equal(parse(ARGV("-b", "br0", "qemu", "-m", "1G")), OPTS_RUN);
	assert_int_equal(o.nbridges, 1);
	assert_string_equal(o.bridge[0], "br0");
	assert_int_equal(o.nqemu, 3);
	assert_string_equal(o.qemu[0], "qemu");
	assert_string_equal(o.qemu[2], "1G");
	assert_null(o.qemu[3]);
}

static void test_defaults_are_one_queue_virtio_net_pci_compiled_in_helper(void **state)
{
	assert_int_equal(parse(ARGV("-b", "br0", "qemu")), OPTS_RUN);
	assert_int_equal(o.queues, 1);
	assert_string_equal(o.model, "virtio-net-pci");
	assert_string_equal(o.helper, TAPGATE_HELPER_PATH);
	assert_int_equal(o.nmacs, 0);
	assert_false(o.no_device);
	assert_false(o.dry_run);
	assert_false(o.verbose);
}

static void test_bridge_is_repeatable_one_nic_each(void **state)
{
	assert_int_equal(parse(ARGV("-b", "br0", "--bridge", "lab1",
				    "--bridge=br0", "qemu")), OPTS_RUN);
	assert_int_equal(o.nbridges, 3);
	assert_string_equal(o.bridge[0], "br0");
	assert_string_equal(o.bridge[1], "lab1");
	assert_string_equal(o.bridge[2], "br0");
}

static void test_short_option_value_may_be_attached(void **state)
{
	assert_int_equal(parse(ARGV("-bbr0", "-q4", "qemu")), OPTS_RUN);
	assert_string_equal(o.bridge[0], "br0");
	assert_int_equal(o.queues, 4);
}

static void test_short_flags_may_be_clustered(void **state)
{
	assert_int_equal(parse(ARGV("-vb", "br0", "qemu")), OPTS_RUN);
	assert_true(o.verbose);
	assert_string_equal(o.bridge[0], "br0");
}

static void test_queues_from_1_to_16_are_accepted(void **state)
{
	assert_int_equal(parse(ARGV("-q", "1", "-b", "br0", "qemu")), OPTS_RUN);
	assert_int_equal(o.queues, 1);
	assert_int_equal(parse(ARGV("--queues", "16", "-b", "br0", "qemu")),
			 OPTS_RUN);
	assert_int_equal(o.queues, 16);
	assert_int_equal(parse(ARGV("--queues=8", "-b", "br0", "qemu")),
			 OPTS_RUN);
	assert_int_equal(o.queues, 8);
}

static void test_queues_out_of_range_are_refused(void **state)
{
	assert_refused(ARGV("-q", "0", "-b", "br0", "qemu"),
		       "'0' is not a number from 1 to 16");
	assert_refused(ARGV("-q", "17", "-b", "br0", "qemu"),
		       "'17' is not a number from 1 to 16");
	assert_refused(ARGV("-q", "99999999999999999999999", "-b", "br0", "qemu"),
		       "is not a number from 1 to 16");
}

static void test_queues_with_junk_sign_or_space_are_refused(void **state)
{
	assert_refused(ARGV("-q", "2x", "-b", "br0", "qemu"), "option -q");
	assert_refused(ARGV("-q", "-2", "-b", "br0", "qemu"), "option -q");
	assert_refused(ARGV("-q", "+2", "-b", "br0", "qemu"), "option -q");
	assert_refused(ARGV("-q", " 2", "-b", "br0", "qemu"), "option -q");
	assert_refused(ARGV("-q", "0x2", "-b", "br0", "qemu"), "option -q");
	assert_refused(ARGV("--queues=", "-b", "br0", "qemu"), "option --queues");
}

static void test_invalid_bridge_names_are_refused(void **state)
{
	assert_refused(ARGV("-b", "a/b", "qemu"), "contains '/'");
	assert_refused(ARGV("-b", "br0:1", "qemu"), "contains ':'");
	assert_refused(ARGV("-b", "", "qemu"), "is empty");
	assert_refused(ARGV("-b", "..", "qemu"), "'.' or '..'");
	assert_refused(ARGV("-b", "br 0", "qemu"), "whitespace");
}

static void test_bridge_name_of_16_bytes_is_refused_not_truncated(void **state)
{
	assert_int_equal(parse(ARGV("-b", "abcdefghijklmno", "qemu")), OPTS_RUN);
	assert_refused(ARGV("-b", "abcdefghijklmnop", "qemu"),
		       "longer than 15 bytes");
}

static void test_more_than_16_bridges_are_refused(void **state)
{
	const char *words[2 + 2 * 17 + 2];
	int n = 0, i;

	words[n++] = "tapgate";
	for (i = 0; i < 17; i++) {
		words[n++] = "-b";
		words[n++] = "br0";
	}
	words[n++] = "qemu";
	words[n] = NULL;
	assert_refused(argv_of(words), "at most 16 NICs");
}

static void test_macs_are_taken_in_bridge_order(void **state)
{
	static const unsigned char m0[6] = { 0x52, 0x54, 0, 0xaa, 0xbb, 0xcc };
	static const unsigned char m1[6] = { 0x02, 0, 0, 0, 0, 0x01 };

	assert_int_equal(parse(ARGV("-b", "br0", "-b", "lab1",
				    "-m", "52:54:00:AA:bb:cc",
				    "--mac=02:00:00:00:00:01", "qemu")),
			 OPTS_RUN);
	assert_int_equal(o.nmacs, 2);
	assert_memory_equal(o.mac[0], m0, 6);
	assert_memory_equal(o.mac[1], m1, 6);
}

static void test_fewer_macs_than_bridges_is_fine(void **state)
{
	assert_int_equal(parse(ARGV("-b", "br0", "-b", "lab1",
				    "-m", "52:54:00:aa:bb:cc", "qemu")),
			 OPTS_RUN);
	assert_int_equal(o.nmacs, 1);
}

static void test_bad_macs_are_refused(void **state)
{
	assert_refused(ARGV("-b", "br0", "-m", "52:54:00:aa:bb", "qemu"),
		       "is not of the form xx:xx:xx:xx:xx:xx");
	assert_refused(ARGV("-b", "br0", "-m", "52-54-00-aa-bb-cc", "qemu"),
		       "is not of the form");
	assert_refused(ARGV("-b", "br0", "-m", "52:54:00:aa:bb:cg", "qemu"),
		       "is not of the form");
	assert_refused(ARGV("-b", "br0", "-m", "01:00:5e:00:00:01", "qemu"),
		       "is a multicast address");
	assert_refused(ARGV("-b", "br0", "-m", "00:00:00:00:00:00", "qemu"),
		       "is all zeros");
	assert_refused(ARGV("-b", "br0", "-m", "00:16:3e:00:00:01", "qemu"),
		       "is universally administered");
}

static void test_name_is_taken_once_and_not_empty(void **state)
{
	assert_int_equal(parse(ARGV("--name", "web", "-b", "br0", "qemu")),
			 OPTS_RUN);
	assert_string_equal(o.name, "web");
	assert_int_equal(parse(ARGV("-b", "br0", "qemu")), OPTS_RUN);
	assert_null(o.name);
	assert_refused(ARGV("--name", "", "-b", "br0", "qemu"),
		       "the name is empty");
	assert_refused(ARGV("--name", "a", "--name=b", "-b", "br0", "qemu"),
		       "--name");
}

static void test_more_macs_than_bridges_are_refused(void **state)
{
	assert_refused(ARGV("-b", "br0", "-m", "52:54:00:aa:bb:cc",
			    "-m", "52:54:00:aa:bb:cd", "qemu"),
		       "2 MACs for 1 bridges");
}

static void test_iface_ids_are_taken_in_bridge_order(void **state)
{
	assert_int_equal(parse(ARGV("-b", "br-int", "-b", "br0",
				    "--iface-id", "alice-web",
				    "--iface-id=alice-db", "qemu")), OPTS_RUN);
	assert_int_equal(o.niface_ids, 2);
	assert_string_equal(o.iface_id[0], "alice-web");
	assert_string_equal(o.iface_id[1], "alice-db");
	assert_int_equal(parse(ARGV("-b", "br-int", "-b", "br0",
				    "--iface-id", "alice-web", "qemu")), OPTS_RUN);
	assert_int_equal(o.niface_ids, 1);
}

static void test_bad_or_surplus_iface_ids_are_refused(void **state)
{
	assert_refused(ARGV("-b", "br-int", "--iface-id", "a b", "qemu"),
		       "option --iface-id: iface-id");
	assert_refused(ARGV("-b", "br-int", "--iface-id", "", "qemu"),
		       "is empty");
	assert_refused(ARGV("-b", "br-int", "--iface-id", "a", "--iface-id",
			    "b", "qemu"), "2 iface-ids for 1 bridges");
	assert_refused(ARGV("-b", "br-int", "-b", "br-ex", "--iface-id", "a",
			    "--iface-id", "a", "qemu"),
		       "iface-id a given for two NICs");
}

static void test_same_mac_for_two_nics_is_refused(void **state)
{
	assert_refused(ARGV("-b", "br0", "-b", "br1",
			    "-m", "52:54:00:aa:bb:cc",
			    "-m", "52:54:00:AA:BB:CC", "qemu"),
		       "MAC 52:54:00:aa:bb:cc given for two NICs");
}

static void test_model_names_the_device(void **state)
{
	assert_int_equal(parse(ARGV("--model", "e1000", "-b", "br0", "qemu")),
			 OPTS_RUN);
	assert_string_equal(o.model, "e1000");
	assert_int_equal(parse(ARGV("--model=virtio-net-pci-non-transitional",
				    "-b", "br0", "qemu")), OPTS_RUN);
	assert_string_equal(o.model, "virtio-net-pci-non-transitional");
}

static void test_model_with_properties_or_empty_is_refused(void **state)
{
	assert_refused(ARGV("--model", "e1000,mac=52:54:00:00:00:01", "-b",
			    "br0", "qemu"), "is not a device name");
	assert_refused(ARGV("--model", "", "-b", "br0", "qemu"),
		       "the model is empty");
}

static void test_no_device_is_a_flag(void **state)
{
	assert_int_equal(parse(ARGV("--no-device", "-b", "br0", "qemu")),
			 OPTS_RUN);
	assert_true(o.no_device);
}

static void test_no_device_with_mac_or_model_is_refused(void **state)
{
	assert_refused(ARGV("--no-device", "-b", "br0", "-m",
			    "52:54:00:aa:bb:cc", "qemu"),
		       "-m has no effect with --no-device");
	assert_refused(ARGV("--no-device", "--model", "e1000", "-b", "br0",
			    "qemu"), "--model has no effect with --no-device");
}

static void test_helper_path_is_taken(void **state)
{
	assert_int_equal(parse(ARGV("--helper", "/tmp/h", "-b", "br0", "qemu")),
			 OPTS_RUN);
	assert_string_equal(o.helper, "/tmp/h");
	assert_refused(ARGV("--helper=", "-b", "br0", "qemu"),
		       "the path is empty");
}

static void test_dry_run_and_verbose_are_flags(void **state)
{
	assert_int_equal(parse(ARGV("--dry-run", "--verbose", "-b", "br0",
				    "qemu")), OPTS_RUN);
	assert_true(o.dry_run);
	assert_true(o.verbose);
	assert_int_equal(parse(ARGV("-v", "-b", "br0", "qemu")), OPTS_RUN);
	assert_true(o.verbose);
}

static void test_help_and_version_are_answered(void **state)
{
	assert_int_equal(parse(ARGV("-h")), OPTS_HELP);
	assert_int_equal(parse(ARGV("--help")), OPTS_HELP);
	assert_int_equal(parse(ARGV("--version")), OPTS_VERSION);
	/* Even where the rest would be incomplete. */
	assert_int_equal(parse(ARGV("-b", "br0", "--help")), OPTS_HELP);
}

static void test_help_names_every_option(void **state)
{
	static const char *const names[] = {
		"-b, --bridge BR", "-q, --queues N", "-m, --mac MAC",
		"--name NAME",
		"--model DEV", "--no-device", "--helper PATH", "--dry-run",
		"-v, --verbose", "-h, --help", "--version",
		"default " TAPGATE_HELPER_PATH, "default virtio-net-pci",
	};
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	opts_help(f);
	fclose(f);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strstr(text, names[i]))
			fail_msg("--help lacks '%s'", names[i]);
	/* And each one it names is accepted. */
	assert_int_equal(parse(ARGV("-b", "br0", "--bridge", "b", "-q", "2",
				    "--queues", "2", "-m", "52:54:00:00:00:01",
				    "--mac", "52:54:00:00:00:02", "--model", "e1000",
				    "--helper", "/h", "--dry-run", "-v", "qemu")),
			 -EINVAL);	/* -q twice */
	assert_int_equal(parse(ARGV("-b", "br0", "--bridge", "b", "-q", "2",
				    "-m", "52:54:00:00:00:01",
				    "--mac", "52:54:00:00:00:02", "--model", "e1000",
				    "--name", "vm", "--helper", "/h", "--dry-run",
				    "-v", "qemu")),
			 OPTS_RUN);
	free(text);
}

static void test_daemonize_is_refused(void **state)
{
	assert_refused(ARGV("-b", "br0", "qemu", "-m", "1G", "-daemonize"),
		       "QEMU's -daemonize is refused");
	assert_refused(ARGV("-b", "br0", "--", "qemu", "--daemonize"),
		       "QEMU's --daemonize is refused");
}

static void test_missing_qemu_is_refused(void **state)
{
	assert_refused(ARGV("-b", "br0"), "no QEMU command given");
	assert_refused(ARGV("-b", "br0", "--"), "no QEMU command given");
	assert_int_equal(opts_parse(1, ARGV(NULL), &o, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "no QEMU command given"));
}

static void test_no_bridge_is_refused(void **state)
{
	assert_refused(ARGV("qemu"), "at least one -b BRIDGE is needed");
}

static void test_arguments_after_qemu_belong_to_qemu(void **state)
{
	assert_int_equal(parse(ARGV("-b", "br0", "qemu", "-b", "x", "--help")),
			 OPTS_RUN);
	assert_int_equal(o.nbridges, 1);
	assert_int_equal(o.nqemu, 4);
	assert_string_equal(o.qemu[1], "-b");
	assert_string_equal(o.qemu[3], "--help");
}

static void test_double_dash_ends_the_options(void **state)
{
	assert_int_equal(parse(ARGV("-b", "br0", "--", "-odd-qemu", "x")),
			 OPTS_RUN);
	assert_string_equal(o.qemu[0], "-odd-qemu");
	assert_int_equal(o.nqemu, 2);
}

static void test_unknown_options_are_refused(void **state)
{
	assert_refused(ARGV("-x", "-b", "br0", "qemu"), "unknown option '-x'");
	assert_refused(ARGV("--bri", "br0", "qemu"), "unknown option '--bri'");
	assert_refused(ARGV("-daemonize", "-b", "br0", "qemu"),
		       "unknown option '-d'");
}

static void test_option_without_its_value_is_refused(void **state)
{
	assert_refused(ARGV("-b"), "option -b needs a value");
	assert_refused(ARGV("--mac"), "option --mac needs a value");
}

static void test_flag_given_a_value_is_refused(void **state)
{
	assert_refused(ARGV("--verbose=1", "-b", "br0", "qemu"),
		       "option --verbose takes no value");
}

static void test_single_options_given_twice_are_refused(void **state)
{
	assert_refused(ARGV("-q", "1", "--queues=2", "-b", "br0", "qemu"),
		       "given twice");
	assert_refused(ARGV("--model", "e1000", "--model", "e1000", "-b",
			    "br0", "qemu"), "option --model given twice");
	assert_refused(ARGV("--helper", "/a", "--helper", "/b", "-b", "br0",
			    "qemu"), "option --helper given twice");
	assert_refused(ARGV("--dry-run", "--dry-run", "-b", "br0", "qemu"),
		       "option --dry-run given twice");
	assert_refused(ARGV("--no-device", "--no-device", "-b", "br0", "qemu"),
		       "option --no-device given twice");
}

static void test_control_bytes_are_not_echoed_in_messages(void **state)
{
	assert_refused(ARGV("-b", "a\033[2Jb/", "qemu"), "'a\\x1b[2Jb/'");
	assert_null(strchr(err, '\033'));
}

/* The one quoting rule (lib/quote.c) for both programs: a value that reads
 * like log fields has its quote, spaces and '=' escaped. */
static void test_values_in_messages_follow_the_quoting_rule(void **state)
{
	assert_refused(ARGV("-b", "x' a=b", "qemu"),
		       "bridge name 'x\\x27\\x20a\\x3db' contains whitespace");
	assert_refused(ARGV("--model", "a b", "qemu"),
		       "model 'a\\x20b' is not");
	assert_refused(ARGV("-b", "br0", "--frob=1", "qemu"),
		       "unknown option '--frob\\x3d1'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bridge_and_qemu_are_parsed),
		cmocka_unit_test(test_defaults_are_one_queue_virtio_net_pci_compiled_in_helper),
		cmocka_unit_test(test_bridge_is_repeatable_one_nic_each),
		cmocka_unit_test(test_short_option_value_may_be_attached),
		cmocka_unit_test(test_short_flags_may_be_clustered),
		cmocka_unit_test(test_queues_from_1_to_16_are_accepted),
		cmocka_unit_test(test_queues_out_of_range_are_refused),
		cmocka_unit_test(test_queues_with_junk_sign_or_space_are_refused),
		cmocka_unit_test(test_invalid_bridge_names_are_refused),
		cmocka_unit_test(test_bridge_name_of_16_bytes_is_refused_not_truncated),
		cmocka_unit_test(test_more_than_16_bridges_are_refused),
		cmocka_unit_test(test_macs_are_taken_in_bridge_order),
		cmocka_unit_test(test_fewer_macs_than_bridges_is_fine),
		cmocka_unit_test(test_bad_macs_are_refused),
		cmocka_unit_test(test_more_macs_than_bridges_are_refused),
		cmocka_unit_test(test_iface_ids_are_taken_in_bridge_order),
		cmocka_unit_test(test_bad_or_surplus_iface_ids_are_refused),
		cmocka_unit_test(test_same_mac_for_two_nics_is_refused),
		cmocka_unit_test(test_name_is_taken_once_and_not_empty),
		cmocka_unit_test(test_model_names_the_device),
		cmocka_unit_test(test_model_with_properties_or_empty_is_refused),
		cmocka_unit_test(test_no_device_is_a_flag),
		cmocka_unit_test(test_no_device_with_mac_or_model_is_refused),
		cmocka_unit_test(test_helper_path_is_taken),
		cmocka_unit_test(test_dry_run_and_verbose_are_flags),
		cmocka_unit_test(test_help_and_version_are_answered),
		cmocka_unit_test(test_help_names_every_option),
		cmocka_unit_test(test_daemonize_is_refused),
		cmocka_unit_test(test_missing_qemu_is_refused),
		cmocka_unit_test(test_no_bridge_is_refused),
		cmocka_unit_test(test_arguments_after_qemu_belong_to_qemu),
		cmocka_unit_test(test_double_dash_ends_the_options),
		cmocka_unit_test(test_unknown_options_are_refused),
		cmocka_unit_test(test_option_without_its_value_is_refused),
		cmocka_unit_test(test_flag_given_a_value_is_refused),
		cmocka_unit_test(test_single_options_given_twice_are_refused),
		cmocka_unit_test(test_control_bytes_are_not_echoed_in_messages),
		cmocka_unit_test(test_values_in_messages_follow_the_quoting_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
