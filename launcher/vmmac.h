/* vmmac.h - the guest NIC's default MAC: stable from the user, the VM's name and the NIC's index */
#ifndef TAPGATE_VMMAC_H
#define TAPGATE_VMMAC_H

#include <stddef.h>
#include <sys/types.h>

#include "mac.h"

/* Longest VM name (tapgate --name, or QEMU's -name guest=...) taken. */
#define VMMAC_NAME_MAX 1024

/**
 * vmmac_stable() - the MAC of NIC @index of VM @name run by @uid
 * @uid:	the user running the VM (the launcher's real uid)
 * @name:	the VM's name, not empty
 * @index:	the NIC's position in -b order, from 0
 * @mac:	filled in: locally administered, unicast
 *
 * A pure function of its inputs, so a VM that restarts keeps its MAC (and
 * with it its DHCP lease and, in the guest, its interface name). The three
 * inputs are hashed together (64-bit FNV-1a over a versioned, NUL-separated
 * encoding, then a finalizer that spreads every input bit over all output
 * bits); 46 bits of the result make the address. It is not secret: anyone
 * can compute another user's MAC, as anyone can read it off the wire.
 */
void vmmac_stable(uid_t uid, const char *name, size_t index,
		  unsigned char mac[MAC_LEN]);

/**
 * vmmac_qemu_name() - the guest name QEMU's own arguments give the VM
 * @args:	QEMU's arguments after the program name
 * @n:		how many
 * @buf:	receives the name, unescaped (QEMU writes a ',' in a value
 *		as ",,")
 * @len:	room in @buf
 *
 * QEMU takes "-name foo", "-name foo,process=...", "-name guest=foo,...",
 * with one or two dashes; the guest name is the first, implied key. When
 * -name is given more than once, QEMU merges them and the last guest name
 * wins; so here.
 * Return: @buf, or NULL when no -name names a guest (or the name is empty
 * or longer than @len - 1 bytes).
 */
const char *vmmac_qemu_name(char *const *args, size_t n, char *buf,
			    size_t len);

#endif /* TAPGATE_VMMAC_H */
