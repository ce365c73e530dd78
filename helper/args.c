/* args.c - the helper's command line: strict parsing, and the early scan */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "mac.h"
#include "parse.h"

enum opt_id { OPT_USE_VNET, OPT_BR, OPT_FD, OPT_QUEUES, OPT_MAC, OPT_CHECK,
	      OPT_USER, OPT_HELP, OPT_VERSION, OPT_COUNT };

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
	[OPT_HELP]	= { "--help",     false },
	[OPT_VERSION]	= { "--version",  false },
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

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * Print an argument the caller gave without letting control bytes or a huge
 * string through to the terminal or the log: at most 40 bytes, escaped.
 */
static const char *shown(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; *s && o + 5 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (o >= 40) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7f || c == '\\')
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

int args_parse(int argc, char *const argv[], struct helper_args *a,
	       char *err, size_t errlen)
{
	bool seen[OPT_COUNT] = { false };
	char buf[64];
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
			return fail(err, errlen, "unknown argument '%s' (see --help)",
				    shown(argv[i], buf, sizeof(buf)));
		if (seen[o])
			return fail(err, errlen, "option %s given twice",
				    opts[o].name);
		seen[o] = true;

		switch (o) {
		case OPT_USE_VNET:
			a->use_vnet = true;
			break;
		case OPT_BR:
			why = ifname_problem(v);
			if (why)
				return fail(err, errlen,
					    "invalid bridge name '%s': it %s",
					    shown(v, buf, sizeof(buf)), why);
			a->bridge = v;
			break;
		case OPT_FD:
			if (parse_ulong(v, 0, INT_MAX, &n))
				return fail(err, errlen,
					    "invalid --fd '%s': not a file descriptor number",
					    shown(v, buf, sizeof(buf)));
			a->sockfd = (int)n;
			break;
		case OPT_QUEUES:
			if (parse_ulong(v, 1, QUEUES_MAX, &n))
				return fail(err, errlen,
					    "invalid --queues '%s': must be a number from 1 to %d",
					    shown(v, buf, sizeof(buf)), QUEUES_MAX);
			a->queues = (unsigned)n;
			break;
		case OPT_MAC:
			why = mac_parse(v, a->mac);
			if (why)
				return fail(err, errlen, "invalid --mac '%s': it %s",
					    shown(v, buf, sizeof(buf)), why);
			a->has_mac = true;
			break;
		case OPT_CHECK:
			a->check = true;
			break;
		case OPT_USER:
			if (!*v)
				return fail(err, errlen, "--user needs a user name or uid");
			a->user = v;
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
		return fail(err, errlen, "%s takes no other option",
			    a->help ? "--help" : "--version");
	if (a->help || a->version)
		return 0;
	if (a->check) {
		if (seen[OPT_BR] || seen[OPT_FD] || seen[OPT_QUEUES] ||
		    seen[OPT_USE_VNET] || seen[OPT_MAC])
			return fail(err, errlen,
				    "--check takes no other option than --user");
		return 0;
	}
	if (seen[OPT_USER])
		return fail(err, errlen, "--user is only for --check");
	if (!a->bridge)
		return fail(err, errlen, "missing --br=BRIDGE (see --help)");
	if (a->sockfd < 0)
		return fail(err, errlen, "missing --fd=SOCKFD (see --help)");
	return 0;
}

void args_scan_early(int argc, char *const argv[], struct args_early *e)
{
	int i;

	e->sockfd = -1;
	e->queues = 1;
	e->check = false;
	e->user = NULL;
	for (i = 1; i < argc; i++) {
		const char *v;
		unsigned long n;

		switch (match_opt(argv[i], &v)) {
		case OPT_FD:
			if (!parse_ulong(v, 0, INT_MAX, &n))
				e->sockfd = (int)n;
			break;
		case OPT_QUEUES:
			if (!parse_ulong(v, 1, QUEUES_MAX, &n))
				e->queues = (unsigned)n;
			break;
		case OPT_CHECK:
			e->check = true;
			break;
		case OPT_USER:
			e->user = v;
			break;
		default:
			break;
		}
	}
}
