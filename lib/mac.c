/* mac.c - MAC addresses: parsing (unicast, locally administered), formatting, random generation */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "mac.h"

void mac_make_local_unicast(unsigned char mac[MAC_LEN])
{
	mac[0] = (unsigned char)((mac[0] & ~0x01u) | 0x02u);
}

int mac_random(unsigned char mac[MAC_LEN])
{
	size_t got = 0;

	while (got < MAC_LEN) {
		ssize_t r = getrandom(mac + got, MAC_LEN - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)r;
	}
	mac_make_local_unicast(mac);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

const char *mac_parse(const char *s, unsigned char mac[MAC_LEN])
{
	unsigned char m[MAC_LEN];
	size_t i;

	if (!s || strlen(s) != MAC_STRLEN - 1)
		return "is not of the form xx:xx:xx:xx:xx:xx";
	for (i = 0; i < MAC_LEN; i++) {
		const char *p = s + 3 * i;
		int hi = hexval(p[0]), lo = hexval(p[1]);

		if (hi < 0 || lo < 0 || (i < MAC_LEN - 1 && p[2] != ':'))
			return "is not of the form xx:xx:xx:xx:xx:xx";
		m[i] = (unsigned char)(hi << 4 | lo);
	}
	/* A guest cannot use a group address as its own: frames from it
	 * would be flooded and the guest would never get a reply. */
	if (m[0] & 0x01)
		return "is a multicast address";
	if (!(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]))
		return "is all zeros";
	/* Universally administered addresses (0x02 of the first byte clear)
	 * belong to real NICs, whose vendors made them unique: a guest that
	 * took one could collide with hardware on the same LAN. */
	if (!(m[0] & 0x02))
		return "is universally administered (a real NIC's); use a "
		       "locally administered one, with 0x02 set in the first "
		       "byte, such as 02:xx:xx:xx:xx:xx";
	memcpy(mac, m, MAC_LEN);
	return NULL;
}

char *mac_format(const unsigned char mac[MAC_LEN], char buf[MAC_STRLEN])
{
	snprintf(buf, MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
