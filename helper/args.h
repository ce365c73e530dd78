/* args.h - the helper's command line: strict parsing, and the early scan */
#ifndef TAPGATE_ARGS_H
#define TAPGATE_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#define QUEUES_MAX 16

struct helper_args {
	bool use_vnet;		/* --use-vnet */
	const char *bridge;	/* --br=BRIDGE, or NULL */
	int sockfd;		/* --fd=SOCKFD, or -1 */
	unsigned queues;	/* --queues=N, default 1 */
	bool has_mac;		/* --mac=MAC given */
	unsigned char mac[6];	/* its address: unicast, locally administered */
	bool check;		/* --check */
	const char *user;	/* --user=NAME (with --check), or NULL */
	bool help;		/* --help */
	bool version;		/* --version */
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
 * takes only --user; otherwise --br and --fd are required.
 * Return: 0 or -EINVAL.
 */
int args_parse(int argc, char *const argv[], struct helper_args *a,
	       char *err, size_t errlen);

/* What the helper must know before it parses strictly (see priv.c). */
struct args_early {
	int sockfd;		/* a well-formed --fd value, or -1 */
	unsigned queues;	/* a well-formed --queues value, or 1 */
	bool check;		/* --check present */
	const char *user;	/* --user value, or NULL */
};

/**
 * args_scan_early() - find --fd, --queues, --check and --user without
 *		       judging anything else; never fails (malformed values are
 *		       left at their defaults for args_parse() to refuse)
 */
void args_scan_early(int argc, char *const argv[], struct args_early *e);

#endif /* TAPGATE_ARGS_H */
