/* ifname.h - interface names chosen without looking at the host's interfaces */
#ifndef TAPGATE_IFNAME_H
#define TAPGATE_IFNAME_H

#include <stddef.h>

/* Random lowercase hex digits after the prefix: 32 bits, so a name already
 * taken is a rare event even among 20,000 interfaces (about 1 in 200,000). */
#define IFNAME_RANDOM_DIGITS 8

/* Longest prefix that still leaves room for the digits in IFNAMSIZ - 1. */
#define IFNAME_PREFIX_MAX (16 - 1 - IFNAME_RANDOM_DIGITS)

/* How many names a creator tries before it gives up (each try that fails
 * means the name was taken: see tap_create()). */
#define IFNAME_TRIES 16

/**
 * ifname_random() - a fresh interface name: @prefix followed by
 *		     IFNAME_RANDOM_DIGITS random lowercase hex digits
 * @name:	filled with the name and its NUL (room: IFNAMSIZ, 16 bytes)
 * @prefix:	1 to IFNAME_PREFIX_MAX bytes ("tap" for TAPs), a valid start
 *		of an interface name (no '/', ':', blank or control byte)
 *
 * No interface is looked at: the kernel walks every interface only for a
 * name with "%d" in it, and that walk is what made TAP creation cost grow
 * with the number of interfaces. A name that happens to be taken is the
 * creator's to detect (the kernel refuses it atomically) and to retry with
 * another call, at most IFNAME_TRIES times. The name is never truncated:
 * a prefix too long for the digits is refused.
 * Return: 0; -EINVAL for an unusable @prefix; -errno from getrandom(2).
 */
int ifname_random(char *name, const char *prefix);

#endif /* TAPGATE_IFNAME_H */
