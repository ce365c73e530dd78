/* parse.c - bounded number parsing and Linux interface name rules */
#include <errno.h>
#include <string.h>

#include "parse.h"

int parse_ulong(const char *s, unsigned long min, unsigned long max,
		unsigned long *out)
{
	unsigned long v = 0;
	const char *p;

	if (!s || !*s)
		return -EINVAL;
	/* strtoul() would accept space, a sign and "0x": refuse them all. */
	for (p = s; *p; p++) {
		unsigned d;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		d = (unsigned)(*p - '0');
		if (v > (~0UL - d) / 10) {
			/* Keep checking the rest for junk before saying range. */
			for (p++; *p; p++)
				if (*p < '0' || *p > '9')
					return -EINVAL;
			return -ERANGE;
		}
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

const char *ifname_problem(const char *name)
{
	const unsigned char *p;
	size_t len;

	if (!name || !*name)
		return "is empty";
	len = strnlen(name, IFNAME_MAX + 1);
	if (len > IFNAME_MAX)
		return "is longer than 15 bytes";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "is '.' or '..'";
	for (p = (const unsigned char *)name; *p; p++) {
		if (*p == '/')
			return "contains '/'";
		if (*p == ':')
			return "contains ':'";
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\v' || *p == '\f')
			return "contains whitespace";
		if (*p < 0x20 || *p == 0x7f)
			return "contains a control character";
	}
	return NULL;
}

int iface_id_char(int c)
{
	return c > 0x20 && c < 0x7f && c != '/' && c != ':' && c != '"' &&
	       c != '\\';
}

const char *iface_id_problem(const char *id)
{
	size_t len = strnlen(id, IFACE_ID_MAX + 1);
	const char *c;

	if (len == 0)
		return "is empty";
	if (len > IFACE_ID_MAX)
		return "is longer than 64 bytes";
	for (c = id; *c; c++)
		if (!iface_id_char((unsigned char)*c))
			return "contains a character other than printable ASCII without space, '/', ':', '\"' and '\\'";
	return NULL;
}
