/* opts.h - the launcher's command line (SPEC §5): strict parsing, --help text */
#ifndef TAPGATE_OPTS_H
#define TAPGATE_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "fdpass.h"	/* QUEUES_MAX, the bound of -q */
#include "mac.h"

/* Most NICs (-b) one launcher adds. */
#define OPTS_NICS_MAX 16
#define OPTS_DEFAULT_MODEL "virtio-net-pci"

struct opts {
	const char *bridge[OPTS_NICS_MAX];	/* -b, in order */
	size_t nbridges;
	unsigned char mac[OPTS_NICS_MAX][MAC_LEN];	/* -m, in -b order */
	size_t nmacs;
	const char *iface_id[OPTS_NICS_MAX];	/* --iface-id, in -b order */
	size_t niface_ids;
	const char *name;			/* --name, or NULL */
	unsigned queues;			/* -q, default 1 */
	const char *model;			/* --model */
	bool no_device;
	const char *helper;			/* --helper */
	bool dry_run;
	bool verbose;
	char **qemu;				/* QEMU and its args: points */
	size_t nqemu;				/* into argv, NULL-terminated */
};

enum opts_result {
	OPTS_RUN = 0,	/* run QEMU as @o says */
	OPTS_HELP,	/* -h, --help: print opts_help() and exit 0 */
	OPTS_VERSION,	/* --version */
};

/**
 * opts_parse() - parse the launcher's arguments
 * @argc, @argv:	as main() got them; argv[argc] must be NULL
 * @o:			filled in (defaults first)
 * @err:		on failure, why, as one sentence a user can act on
 * @errlen:		room in @err
 *
 * Options come first; the first argument that is not an option (or the one
 * after "--") is QEMU, and everything after it belongs to QEMU untouched.
 * Each option but -b, -m and --iface-id may be given once. Numbers go through
 * parse_ulong(), bridge names through ifname_problem(), MACs through
 * mac_parse(). QEMU's -daemonize is refused: QEMU would fork away from the
 * launcher, which could then neither pass signals on nor see the TAP go.
 *
 * Return: an enum opts_result, or -EINVAL with @err set.
 */
int opts_parse(int argc, char **argv, struct opts *o, char *err,
	       size_t errlen);

/**
 * opts_help() - print the --help text to @f
 */
void opts_help(FILE *f);

#endif /* TAPGATE_OPTS_H */
