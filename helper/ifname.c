/* ifname.c - interface names chosen without looking at the host's interfaces */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

#include <linux/if.h>

#include "ifname.h"

_Static_assert(IFNAME_PREFIX_MAX + IFNAME_RANDOM_DIGITS == IFNAMSIZ - 1,
	       "a prefix of the longest kind and the digits fill a name");

static int prefix_ok(const char *prefix)
{
	size_t n = strnlen(prefix, IFNAME_PREFIX_MAX + 1);
	size_t i;

	if (n < 1 || n > IFNAME_PREFIX_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)prefix[i];

		if (c <= ' ' || c >= 0x7f || c == '/' || c == ':')
			return 0;
	}
	return 1;
}

int ifname_random(char *name, const char *prefix)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[IFNAME_RANDOM_DIGITS / 2];
	size_t n, i;
	ssize_t got;

	if (!prefix || !prefix_ok(prefix))
		return -EINVAL;
	do
		got = getrandom(r, sizeof(r), 0);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return -errno;
	if ((size_t)got != sizeof(r))
		return -EIO;

	n = strlen(prefix);
	memcpy(name, prefix, n);
	for (i = 0; i < sizeof(r); i++) {
		name[n++] = hex[r[i] >> 4];
		name[n++] = hex[r[i] & 0xf];
	}
	name[n] = '\0';
	return 0;
}
