/* args.h - the helper's command line: strict parsing, once, before anything else */
#ifndef TAPGATE_ARGS_H
#define TAPGATE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "fdpass.h"	/* QUEUES_MAX, the --queues bound */

struct helper_args {
	bool use_vnet;		/* --use-vnet */
	const char *bridge;	/* --br=BRIDGE, or NULL */
	int sockfd;		/* --fd=SOCKFD, or -1 */
	unsigned queues;	/* --queues=N, default 1 */
	bool has_mac;		/* --mac=MAC given */
	unsigned char mac[6];	/* its address: unicast, locally administered */
	bool check;		/* --check */
	const char *user;	/* --user=NAME (with --check), or NULL */
	bool sweep;		/* --sweep */
	pid_t pid;		/* --pid=PID (with --sweep), or 0 */
	bool help;		/* --help */
	bool version;		/* --version */
	const char *iface_id;	/* --iface-id=ID (OVN logical port), or NULL */
	const char *release;	/* --release=TAP, or NULL */
};

/**
 * args_parse() - parse the helper's arguments strictly
 * @argc:	argument count
 * @argv:	arguments; argv[0] is the program
 * @a:		result
 * @err:	on failure, a message such as "option --br given twice"
 * @errlen:	room in @err
 *
 * Known options only, each at most once, "--name=value" forms only (as QEMU
 * and libvirt pass them); numbers bounded; the bridge name must be a valid
 * interface name, never truncated; --mac must pass mac_parse() (unicast,
 * locally administered, not all zeros). --help and --version stand alone; --check
 * takes only --user, --sweep only --pid, --release=TAP only --br
 * (required); otherwise --br and --fd are required, and --iface-id=ID is
 * optional.
 *
 * Pure: no I/O, no allocation, no environment or locale read, so main()
 * runs it first, still privileged, and keeps the one result (the fd to
 * keep open, the number of TAP nodes to open and the mode all come from
 * it). @a points into @argv.
 * Return: 0 or -EINVAL.
 */
int args_parse(int argc, char *const argv[], struct helper_args *a,
	       char *err, size_t errlen);

#endif /* TAPGATE_ARGS_H */
