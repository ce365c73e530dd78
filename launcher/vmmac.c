/* vmmac.c - the guest NIC's default MAC: stable from the user, the VM's name and the NIC's index */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vmmac.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--) {
		h ^= *b++;
		h *= FNV_PRIME;
	}
	return h;
}

/* splitmix64's finalizer: FNV-1a alone leaves its last input bytes in the
 * low bits only. */
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void vmmac_stable(uid_t uid, const char *name, size_t index,
		  unsigned char mac[MAC_LEN])
{
	/* The version string is part of the input: a future scheme gets new
	 * addresses instead of colliding with these. */
	static const char tag[] = "tapgate-mac-1";
	char num[2][24];
	uint64_t h = FNV_OFFSET;
	size_t i;

	snprintf(num[0], sizeof(num[0]), "%u", (unsigned)uid);
	snprintf(num[1], sizeof(num[1]), "%zu", index);
	h = fnv1a(h, tag, sizeof(tag));			/* with its NUL */
	h = fnv1a(h, num[0], strlen(num[0]) + 1);
	h = fnv1a(h, name, strlen(name) + 1);
	h = fnv1a(h, num[1], strlen(num[1]) + 1);
	h = mix(h);
	for (i = 0; i < MAC_LEN; i++)
		mac[i] = (unsigned char)(h >> (8 * (7 - i)));
	mac_make_local_unicast(mac);
}

/*
 * The guest name in one -name value, unescaped into @buf; NULL when the
 * value names none. QEMU splits the value at single commas (",," is a
 * literal comma); the first part without '=' is the implied key "guest".
 */
static const char *guest_of(const char *v, char *buf, size_t len)
{
	const char *found = NULL;
	bool first = true;

	while (*v) {
		char part[VMMAC_NAME_MAX + 8] = { 0 };
		size_t o = 0;
		bool fits = true;

		for (; *v; v++) {
			if (*v == ',' && v[1] != ',')
				break;
			if (*v == ',')
				v++;		/* ",," is one ',' */
			if (o + 1 < sizeof(part))
				part[o++] = *v;
			else
				fits = false;
		}
		part[o] = '\0';
		if (*v == ',')
			v++;
		if (fits) {
			const char *val = NULL;

			if (!strncmp(part, "guest=", 6))
				val = part + 6;
			else if (first && !strchr(part, '='))
				val = part;
			if (val && *val && strlen(val) < len) {
				memcpy(buf, val, strlen(val) + 1);
				found = buf;
			}
		}
		first = false;
	}
	return found;
}

const char *vmmac_qemu_name(char *const *args, size_t n, char *buf,
			    size_t len)
{
	const char *found = NULL;
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (strcmp(args[i], "-name") && strcmp(args[i], "--name"))
			continue;
		if (guest_of(args[i + 1], buf, len))
			found = buf;
		i++;
	}
	return found;
}
