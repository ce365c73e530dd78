/* parse.h - bounded number parsing and Linux interface name rules */
#ifndef TAPGATE_PARSE_H
#define TAPGATE_PARSE_H

#include <stddef.h>

/* Longest valid interface name, without the NUL (IFNAMSIZ - 1). */
#define IFNAME_MAX 15

/**
 * parse_ulong() - parse a whole decimal number within bounds
 * @s:		text; digits only, no sign, no space, no junk, not empty
 * @min:	smallest accepted value
 * @max:	largest accepted value
 * @out:	result, written only on success
 *
 * Return: 0, -EINVAL when @s is not a plain decimal number, -ERANGE when it
 * is outside [@min, @max].
 */
int parse_ulong(const char *s, unsigned long min, unsigned long max,
		unsigned long *out);

/**
 * ifname_problem() - why @name is not a valid Linux interface name
 * @name:	candidate name
 *
 * Valid: 1 to 15 bytes, not "." or "..", no '/', ':', whitespace or control
 * bytes (the kernel's dev_valid_name() plus control bytes). Never truncated: 16 bytes is an error. The ':'
 * rule matters because the kernel's interface ioctls read "br0:1" as the
 * alias of "br0".
 *
 * Return: NULL when valid, else a short reason ("is empty", "is longer than
 * 15 bytes", ...).
 */
const char *ifname_problem(const char *name);

/* Longest OVN logical port id (iface-id) tapgate accepts. */
#define IFACE_ID_MAX 64

/**
 * iface_id_problem() - why @id is not an iface-id tapgate passes on
 * @id:		candidate (an OVN logical switch port name)
 *
 * Valid: 1 to IFACE_ID_MAX bytes of printable ASCII without whitespace,
 * '/', ':' or '"' or '\\' (the characters an interface name may hold, less
 * what a log line or an ovs-vsctl command would have to quote).
 * Return: NULL when valid, else a short reason.
 */
const char *iface_id_problem(const char *id);

/* Whether @c may appear in an iface-id. */
int iface_id_char(int c);

#endif /* TAPGATE_PARSE_H */
