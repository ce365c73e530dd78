/* mac.h - MAC addresses: parsing (unicast, locally administered), formatting, random generation */
#ifndef TAPGATE_MAC_H
#define TAPGATE_MAC_H

#include <stddef.h>

#define MAC_LEN 6
/* "xx:xx:xx:xx:xx:xx" and its NUL. */
#define MAC_STRLEN 18

/**
 * mac_make_local_unicast() - turn six arbitrary bytes into a locally
 *			      administered unicast address
 * @mac:	address to adjust in place
 *
 * Sets the locally-administered bit (0x02 of the first byte), so the address
 * can never collide with a vendor's, and clears the multicast bit (0x01), so
 * the guest can use it as its own.
 */
void mac_make_local_unicast(unsigned char mac[MAC_LEN]);

/**
 * mac_random() - a fresh random locally administered unicast address
 * @mac:	filled in
 *
 * QEMU gives every VM the same default MAC (52:54:00:12:34:56), so two VMs
 * on one bridge would collide; drawing 46 random bits makes that unlikely.
 * Return: 0, or -errno from getrandom(2).
 */
int mac_random(unsigned char mac[MAC_LEN]);

/**
 * mac_parse() - parse "xx:xx:xx:xx:xx:xx" (hex digits, either case)
 * @s:		text: exactly six groups of two hex digits separated by ':'
 * @mac:	written only on success
 *
 * Only locally administered unicast addresses pass: both programs use
 * it (the launcher's -m, the helper's --mac).
 * Return: NULL on success, else why @s was refused ("is not of the form
 * xx:xx:xx:xx:xx:xx", "is a multicast address", "is all zeros", "is
 * universally administered ...").
 */
const char *mac_parse(const char *s, unsigned char mac[MAC_LEN]);

/**
 * mac_format() - write @mac as "xx:xx:xx:xx:xx:xx" (lower case) into @buf
 * Return: @buf.
 */
char *mac_format(const unsigned char mac[MAC_LEN], char buf[MAC_STRLEN]);

#endif /* TAPGATE_MAC_H */
