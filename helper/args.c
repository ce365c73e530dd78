/* args.c - the helper's command line: strict parsing, once, before anything else */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "log.h"
#include "mac.h"
#include "parse.h"
#include "quote.h"

enum opt_id { OPT_USE_VNET, OPT_BR, OPT_FD, OPT_QUEUES, OPT_MAC, OPT_CHECK,
	      OPT_USER, OPT_SWEEP, OPT_PID, OPT_HELP, OPT_VERSION, OPT_IFACE_ID,
	      OPT_RELEASE, OPT_COUNT };

static const struct {
	const char *name;
	bool has_value;
} opts[OPT_COUNT] = {
	[OPT_USE_VNET]	= { "--use-vnet", false },
	[OPT_BR]	= { "--br",       true },
	[OPT_FD]	= { "--fd",       true },
	[OPT_QUEUES]	= { "--queues",   true },
	[OPT_MAC]	= { "--mac",      true },
	[OPT_CHECK]	= { "--check",    false },
	[OPT_USER]	= { "--user",     true },
	[OPT_SWEEP]	= { "--sweep",    false },
	[OPT_PID]	= { "--pid",      true },
	[OPT_HELP]	= { "--help",     false },
	[OPT_VERSION]	= { "--version",  false },
	[OPT_IFACE_ID]	= { "--iface-id", true },
	[OPT_RELEASE]	= { "--release",  true },
};

/**
 * match_opt() - which option @arg is, and its value
 * @arg:	one argv element
 * @value:	set to the text after '=' for options with a value
 *
 * Return: the option, or -1 when @arg is not one of ours in the right form.
 */
static int match_opt(const char *arg, const char **value)
{
	int i;

	for (i = 0; i < OPT_COUNT; i++) {
		size_t len = strlen(opts[i].name);

		if (strncmp(arg, opts[i].name, len))
			continue;
		if (opts[i].has_value && arg[len] == '=') {
			*value = arg + len + 1;
			return i;
		}
		if (!opts[i].has_value && arg[len] == '\0') {
			*value = NULL;
			return i;
		}
	}
	return -1;
}

int args_parse(int argc, char *const argv[], struct helper_args *a,
	       char *err, size_t errlen)
{
	bool seen[OPT_COUNT] = { false };
	char buf[QUOTE_BUF];
	int i;

	memset(a, 0, sizeof(*a));
	a->sockfd = -1;
	a->queues = 1;

	for (i = 1; i < argc; i++) {
		const char *v = NULL;
		unsigned long n;
		const char *why;
		int o = match_opt(argv[i], &v);

		if (o < 0)
			return bad_input(err, errlen, "unknown argument %s (see --help)",
				    quote_untrusted(buf, argv[i]));
		if (seen[o])
			return bad_input(err, errlen, "option %s given twice",
				    opts[o].name);
		seen[o] = true;

		switch (o) {
		case OPT_USE_VNET:
			a->use_vnet = true;
			break;
		case OPT_IFACE_ID:
			why = iface_id_problem(v);
			if (why)
				return bad_input(err, errlen,
					    "invalid --iface-id %s: it %s",
					    quote_untrusted(buf, v), why);
			a->iface_id = v;
			break;
		case OPT_RELEASE:
			why = ifname_problem(v);
			if (why)
				return bad_input(err, errlen,
					    "invalid --release %s: it %s",
					    quote_untrusted(buf, v), why);
			a->release = v;
			break;
		case OPT_BR:
			why = ifname_problem(v);
			if (why)
				return bad_input(err, errlen,
					    "invalid bridge name %s: it %s",
					    quote_untrusted(buf, v), why);
			a->bridge = v;
			break;
		case OPT_FD:
			if (parse_ulong(v, 0, INT_MAX, &n))
				return bad_input(err, errlen,
					    "invalid --fd %s: not a file descriptor number",
					    quote_untrusted(buf, v));
			a->sockfd = (int)n;
			break;
		case OPT_QUEUES:
			if (parse_ulong(v, 1, QUEUES_MAX, &n))
				return bad_input(err, errlen,
					    "invalid --queues %s: must be a number from 1 to %d",
					    quote_untrusted(buf, v), QUEUES_MAX);
			a->queues = (unsigned)n;
			break;
		case OPT_MAC:
			why = mac_parse(v, a->mac);
			if (why)
				return bad_input(err, errlen, "invalid --mac %s: it %s",
						 quote_untrusted(buf, v), why);
			a->has_mac = true;
			break;
		case OPT_CHECK:
			a->check = true;
			break;
		case OPT_USER:
			if (!*v)
				return bad_input(err, errlen, "--user needs a user name or uid");
			a->user = v;
			break;
		case OPT_SWEEP:
			a->sweep = true;
			break;
		case OPT_PID:
			if (parse_ulong(v, 1, INT_MAX, &n))
				return bad_input(err, errlen,
						 "invalid --pid %s: not a process id",
						 quote_untrusted(buf, v));
			a->pid = (pid_t)n;
			break;
		case OPT_HELP:
			a->help = true;
			break;
		case OPT_VERSION:
			a->version = true;
			break;
		}
	}

	if ((a->help || a->version) && argc != 2)
		return bad_input(err, errlen, "%s takes no other option",
			    a->help ? "--help" : "--version");
	if (a->help || a->version)
		return 0;
	if (a->check + a->sweep + !!a->release > 1)
		return bad_input(err, errlen,
				 "--check, --sweep and --release exclude each other");
	if (a->check || a->sweep) {
		if (seen[OPT_BR] || seen[OPT_FD] || seen[OPT_QUEUES] ||
		    seen[OPT_USE_VNET] || seen[OPT_MAC] ||
		    seen[OPT_IFACE_ID])
			return bad_input(err, errlen, a->check ?
				    "--check takes no other option than --user" :
				    "--sweep takes no other option than --pid");
		if (a->check && seen[OPT_PID])
			return bad_input(err, errlen, "--pid is only for --sweep");
		if (a->sweep && seen[OPT_USER])
			return bad_input(err, errlen, "--user is only for --check");
		return 0;
	}
	if (seen[OPT_USER])
		return bad_input(err, errlen, "--user is only for --check");
	if (seen[OPT_PID])
		return bad_input(err, errlen, "--pid is only for --sweep");
	if (a->release) {
		if (seen[OPT_FD] || seen[OPT_QUEUES] || seen[OPT_USE_VNET] ||
		    seen[OPT_IFACE_ID] || seen[OPT_MAC])
			return bad_input(err, errlen,
				    "--release takes no other option than --br");
		if (!a->bridge)
			return bad_input(err, errlen,
				    "--release needs --br=BRIDGE (see --help)");
		return 0;
	}
	if (!a->bridge)
		return bad_input(err, errlen, "missing --br=BRIDGE (see --help)");
	if (a->sockfd < 0)
		return bad_input(err, errlen, "missing --fd=SOCKFD (see --help)");
	return 0;
}
