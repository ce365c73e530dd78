/* opts.c - the launcher's command line (SPEC §5): strict parsing, --help text */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "opts.h"
#include "parse.h"
#include "quote.h"
#include "vmmac.h"

enum opt_id {
	OPT_BRIDGE, OPT_QUEUES, OPT_MAC, OPT_NAME, OPT_MODEL, OPT_NO_DEVICE,
	OPT_HELPER, OPT_DRY_RUN, OPT_VERBOSE, OPT_HELP, OPT_VERSION, OPT_IFACE_ID,
	OPT_COUNT
};

struct optdef {
	enum opt_id id;
	char shrt;		/* 0: long form only */
	const char *lng;
	bool has_arg;
	bool repeatable;
};

static const struct optdef optdefs[] = {
	{ OPT_BRIDGE,    'b', "bridge",    true,  true  },
	{ OPT_QUEUES,    'q', "queues",    true,  false },
	{ OPT_MAC,       'm', "mac",       true,  true  },
	{ OPT_IFACE_ID,  0,   "iface-id",  true,  true  },
	{ OPT_NAME,      0,   "name",      true,  false },
	{ OPT_MODEL,     0,   "model",     true,  false },
	{ OPT_NO_DEVICE, 0,   "no-device", false, false },
	{ OPT_HELPER,    0,   "helper",    true,  false },
	{ OPT_DRY_RUN,   0,   "dry-run",   false, false },
	{ OPT_VERBOSE,   'v', "verbose",   false, false },
	{ OPT_HELP,      'h', "help",      false, true  },
	{ OPT_VERSION,   0,   "version",   false, true  },
};

#define NOPTS (sizeof(optdefs) / sizeof(optdefs[0]))

static const char help_text[] =
"Usage: tapgate [OPTIONS] [--] QEMU [QEMU-ARGS...]\n"
"Run QEMU with a TAP port on each allowed bridge, and make sure the TAPs are\n"
"gone when QEMU ends.\n"
"\n"
"  -b, --bridge BR     one NIC on bridge BR (repeatable: one NIC each)\n"
"  -q, --queues N      queues per NIC, 1 to 16 (default 1; more than 1 adds\n"
"                      fds=K1:K2:..., mq=on on a virtio-net model, and\n"
"                      vectors=2N+2 on virtio-net-pci)\n"
"  -m, --mac MAC       MAC of the NIC, xx:xx:xx:xx:xx:xx, locally administered\n"
"                      unicast (repeatable, in -b order); default: derived\n"
"                      from the user, the VM's name and the NIC's index when\n"
"                      the VM has a name, else random\n"
"      --iface-id ID   on an Open vSwitch bridge, bind the NIC to OVN logical\n"
"                      port ID (repeatable, in -b order; the ACL must allow it)\n"
"      --name NAME     the VM's name for the default MACs (default: QEMU's\n"
"                      -name guest name)\n"
"      --model DEV     NIC device model (default " OPTS_DEFAULT_MODEL ")\n"
"      --no-device     add only -netdev; refer to ids tapgate0, tapgate1, ...\n"
"      --helper PATH   helper to run (default " TAPGATE_HELPER_PATH ")\n"
"      --dry-run       print the QEMU command line that would run; create nothing\n"
"  -v, --verbose       say which TAP went on which bridge (and OVN port)\n"
"  -h, --help          print this help and exit\n"
"      --version       print the version and exit\n"
"\n"
"For each -b, QEMU gets -netdev tap,id=tapgateI,fd=K and\n"
"-device DEV,netdev=tapgateI,mac=MAC after its own arguments.\n"
"QEMU's -daemonize is refused. See tapgate(1).\n";

void opts_help(FILE *f)
{
	fputs(help_text, f);
}

/* How an option was written, for messages: "-b" or "--bridge". */
static const char *spelled(const struct optdef *d, bool as_long,
			   char buf[16])
{
	if (as_long || !d->shrt)
		snprintf(buf, 16, "--%s", d->lng);
	else
		snprintf(buf, 16, "-%c", d->shrt);
	return buf;
}

static int apply(struct opts *o, const struct optdef *d, const char *name,
		 const char *val, char *err, size_t errlen)
{
	char show[QUOTE_BUF];
	const char *why;
	unsigned long n;

	switch (d->id) {
	case OPT_BRIDGE:
		why = ifname_problem(val);
		if (why)
			return bad_input(err, errlen, "option %s: bridge name %s %s",
				    name, quote_untrusted(show, val), why);
		if (o->nbridges == OPTS_NICS_MAX)
			return bad_input(err, errlen, "option %s: at most %d NICs",
				    name, OPTS_NICS_MAX);
		o->bridge[o->nbridges++] = val;
		return 0;
	case OPT_QUEUES:
		if (parse_ulong(val, 1, QUEUES_MAX, &n))
			return bad_input(err, errlen,
				    "option %s: %s is not a number from 1 to %d",
				    name, quote_untrusted(show, val), QUEUES_MAX);
		o->queues = (unsigned)n;
		return 0;
	case OPT_MAC:
		if (o->nmacs == OPTS_NICS_MAX)
			return bad_input(err, errlen, "option %s: at most %d MACs",
				    name, OPTS_NICS_MAX);
		why = mac_parse(val, o->mac[o->nmacs]);
		if (why)
			return bad_input(err, errlen, "option %s: MAC %s %s",
				    name, quote_untrusted(show, val), why);
		o->nmacs++;
		return 0;
	case OPT_IFACE_ID:
		why = iface_id_problem(val);
		if (why)
			return bad_input(err, errlen, "option %s: iface-id %s %s",
				    name, quote_untrusted(show, val), why);
		if (o->niface_ids == OPTS_NICS_MAX)
			return bad_input(err, errlen, "option %s: at most %d ids",
				    name, OPTS_NICS_MAX);
		o->iface_id[o->niface_ids++] = val;
		return 0;
	case OPT_NAME:
		if (!*val)
			return bad_input(err, errlen, "option %s: the name is empty",
				    name);
		if (strlen(val) > VMMAC_NAME_MAX)
			return bad_input(err, errlen,
				    "option %s: the name is longer than %d bytes",
				    name, VMMAC_NAME_MAX);
		o->name = val;
		return 0;
	case OPT_MODEL: {
		const char *p;

		/*
		 * A bare device name: a comma would let the text add or
		 * override properties of the -device that tapgate builds.
		 * Whoever needs more writes their own -device (--no-device).
		 */
		if (!*val)
			return bad_input(err, errlen, "option %s: the model is empty",
				    name);
		for (p = val; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') ||
			      (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9') ||
			      *p == '-' || *p == '_' || *p == '.'))
				return bad_input(err, errlen,
					    "option %s: model %s is not a device name (letters, digits, '-', '_', '.')",
					    name, quote_untrusted(show, val));
		o->model = val;
		return 0;
	}
	case OPT_NO_DEVICE:
		o->no_device = true;
		return 0;
	case OPT_HELPER:
		if (!*val)
			return bad_input(err, errlen, "option %s: the path is empty",
				    name);
		o->helper = val;
		return 0;
	case OPT_DRY_RUN:
		o->dry_run = true;
		return 0;
	case OPT_VERBOSE:
		o->verbose = true;
		return 0;
	case OPT_HELP:
		return OPTS_HELP;
	case OPT_VERSION:
		return OPTS_VERSION;
	case OPT_COUNT:
		break;
	}
	return bad_input(err, errlen, "internal error: option %s", name);
}

static const struct optdef *find_long(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (strlen(optdefs[i].lng) == len &&
		    !strncmp(optdefs[i].lng, name, len))
			return &optdefs[i];
	return NULL;
}

static const struct optdef *find_short(char c)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (optdefs[i].shrt && optdefs[i].shrt == c)
			return &optdefs[i];
	return NULL;
}

/* The checks that need the whole command line. */
static int check_whole(struct opts *o, char *err, size_t errlen)
{
	size_t i, j;

	if (!o->nqemu)
		return bad_input(err, errlen,
			    "no QEMU command given: tapgate [OPTIONS] -- QEMU [QEMU-ARGS...]");
	if (!o->nbridges)
		return bad_input(err, errlen,
			    "no bridge given: at least one -b BRIDGE is needed");
	if (o->nmacs > o->nbridges)
		return bad_input(err, errlen,
			    "%zu MACs for %zu bridges: give at most one -m per -b",
			    o->nmacs, o->nbridges);
	if (o->niface_ids > o->nbridges)
		return bad_input(err, errlen,
			    "%zu iface-ids for %zu bridges: give at most one --iface-id per -b",
			    o->niface_ids, o->nbridges);
	for (i = 0; i < o->niface_ids; i++)
		for (j = i + 1; j < o->niface_ids; j++)
			if (!strcmp(o->iface_id[i], o->iface_id[j]))
				return bad_input(err, errlen,
					    "iface-id %s given for two NICs",
					    o->iface_id[i]);
	if (o->no_device && o->nmacs)
		return bad_input(err, errlen,
			    "-m has no effect with --no-device: set the MAC on your own -device");
	if (o->no_device && o->model)
		return bad_input(err, errlen,
			    "--model has no effect with --no-device: name the model in your own -device");
	for (i = 0; i < o->nmacs; i++)
		for (j = i + 1; j < o->nmacs; j++)
			if (!memcmp(o->mac[i], o->mac[j], MAC_LEN)) {
				char m[MAC_STRLEN];

				return bad_input(err, errlen,
					    "MAC %s given for two NICs",
					    mac_format(o->mac[i], m));
			}
	for (i = 1; i < o->nqemu; i++)
		if (!strcmp(o->qemu[i], "-daemonize") ||
		    !strcmp(o->qemu[i], "--daemonize"))
			return bad_input(err, errlen,
				    "QEMU's %s is refused: tapgate must stay QEMU's parent to pass signals on and see the TAPs go",
				    o->qemu[i]);
	if (!o->model)
		o->model = OPTS_DEFAULT_MODEL;
	return OPTS_RUN;
}

/**
 * take() - one option, written long ("--bridge=br0", "--bridge br0") or
 *	    short ("-bbr0", "-b br0", "-vb br0")
 * @o:		the result so far
 * @d:		the option
 * @as_long:	written as "--name"
 * @attached:	text attached to it: after '=' of a long option, the rest of
 *		a short cluster; NULL when there is none
 * @argc, @argv, @i:	the command line and where we are; @i moves on when
 *		the value is the next argument
 * @seen:	how often each option was given
 * @err, @errlen:	as for opts_parse()
 *
 * Return: 0, OPTS_HELP or OPTS_VERSION, or -EINVAL with @err set.
 */
static int take(struct opts *o, const struct optdef *d, bool as_long,
		const char *attached, int argc, char **argv, int *i,
		unsigned seen[OPT_COUNT], char *err, size_t errlen)
{
	const char *val = "";	/* flags take none */
	char name[16];

	spelled(d, as_long, name);
	if (d->has_arg) {
		if (attached)
			val = attached;
		else if (*i + 1 < argc)
			val = argv[++*i];
		else
			return bad_input(err, errlen, "option %s needs a value",
					name);
	} else if (as_long && attached) {
		/* A short flag's "attached" text is the next options. */
		return bad_input(err, errlen, "option %s takes no value", name);
	}
	if (seen[d->id]++ && !d->repeatable)
		return bad_input(err, errlen, "option %s given twice", name);
	return apply(o, d, name, val, err, errlen);
}

int opts_parse(int argc, char **argv, struct opts *o, char *err,
	       size_t errlen)
{
	unsigned seen[OPT_COUNT] = { 0 };
	int i = 1;

	memset(o, 0, sizeof(*o));
	o->queues = 1;
	o->helper = TAPGATE_HELPER_PATH;
	if (argc < 1)
		return bad_input(err, errlen, "no arguments at all (argc is 0)");

	while (i < argc) {
		const char *a = argv[i];
		char show[QUOTE_BUF];
		int r;

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;		/* QEMU */

		if (a[1] == '-') {
			const char *lng = a + 2, *eq = strchr(lng, '=');
			size_t len = eq ? (size_t)(eq - lng) : strlen(lng);
			const struct optdef *d = find_long(lng, len);

			if (!d)
				return bad_input(err, errlen,
						"unknown option %s (see tapgate --help)",
						quote_untrusted(show, a));
			r = take(o, d, true, eq ? eq + 1 : NULL, argc, argv,
				 &i, seen, err, errlen);
			if (r)
				return r;
			i++;
			continue;
		}

		/* A cluster of short options: "-v", "-vb br0", "-bbr0". */
		for (const char *p = a + 1; *p; p++) {
			const struct optdef *d = find_short(*p);

			if (!d) {
				char c[3] = { '-', *p, '\0' };

				return bad_input(err, errlen,
						"unknown option %s (see tapgate --help)",
						quote_untrusted(show, c));
			}
			r = take(o, d, false, p[1] ? p + 1 : NULL, argc, argv,
				 &i, seen, err, errlen);
			if (r)
				return r;
			if (d->has_arg)
				break;
		}
		i++;
	}

	o->qemu = argv + i;
	o->nqemu = (size_t)(argc - i);
	return check_whole(o, err, errlen);
}
