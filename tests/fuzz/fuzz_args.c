/* fuzz_args.c - libFuzzer target: the helper's argument parser (args_parse) */

/*
 * The input is an argv: its elements separated by NUL bytes (argv[0] is
 * always "tapgate-helper"; at most 64 elements, as more only repeat).
 *
 * Properties checked on every input, beyond "no crash, no leak, no UB":
 * - a refusal's message is one printable line: the helper prints it as
 *   its only stderr line, and a caller's bytes must not forge more lines
 *   or terminal escapes;
 * - an accepted request names a valid interface name (ifname_problem())
 *   and a queue count within bounds (main() opens that many TAP nodes);
 *   --release names a valid TAP and bridge and no socket; --sweep names
 *   neither; --pid comes only with --sweep;
 * - the parse is a pure function: parsing again gives the same result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "parse.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_message(const char *err)
{
	const unsigned char *p = (const unsigned char *)err;

	if (!*p)
		__builtin_trap();	/* a refusal must say why */
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2];
	struct helper_args a, again;
	char err[256], err2[256];
	char *copy, *p, *end;
	int argc = 1, rc;

	/* A NUL-terminated copy, so that the last element ends too. */
	copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[0] = (char *)"tapgate-helper";
	for (p = copy, end = copy + size; argc <= MAX_ARGS; ) {
		argv[argc++] = p;
		p += strlen(p) + 1;
		if (p > end)
			break;
	}
	if (!size)
		argc = 1;
	argv[argc] = NULL;

	memset(err, 0, sizeof(err));
	rc = args_parse(argc, argv, &a, err, sizeof(err));
	if (rc) {
		check_message(err);
	} else if (a.release) {
		/* --release=TAP names a TAP and its bridge, and no socket. */
		if (ifname_problem(a.release) || !a.bridge ||
		    ifname_problem(a.bridge) || a.sockfd >= 0)
			__builtin_trap();
	} else if (a.sweep) {
		/* --sweep takes only --pid: no bridge, no socket. */
		if (a.bridge || a.sockfd >= 0 || a.pid < 0)
			__builtin_trap();
	} else if (!a.help && !a.version && !a.check) {
		if (!a.bridge || ifname_problem(a.bridge))
			__builtin_trap();
		if (a.sockfd < 0 || a.queues < 1 || a.queues > QUEUES_MAX)
			__builtin_trap();
	}
	if (!rc && a.pid && !a.sweep)
		__builtin_trap();	/* --pid is only for --sweep */

	if (args_parse(argc, argv, &again, err2, sizeof(err2)) != rc ||
	    (rc && strcmp(err, err2)) ||
	    (!rc && (a.use_vnet != again.use_vnet || a.bridge != again.bridge ||
		     a.sockfd != again.sockfd || a.queues != again.queues ||
		     a.check != again.check || a.user != again.user ||
		     a.help != again.help || a.version != again.version ||
		     a.sweep != again.sweep || a.pid != again.pid ||
		     a.release != again.release || a.iface_id != again.iface_id ||
		     a.has_mac != again.has_mac ||
		     memcmp(a.mac, again.mac, sizeof(a.mac)))))
		__builtin_trap();
	free(copy);
	return 0;
}
