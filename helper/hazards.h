/* hazards.h - --check: what a TAP's fd holder could do here (bridges whose MAC follows their ports, persisted TAPs) */
#ifndef TAPGATE_HAZARDS_H
#define TAPGATE_HAZARDS_H

#include <stdbool.h>
#include <stdio.h>

#include "acl.h"

/**
 * hazard_mac_follows_ports() - whether a bridge's MAC follows its ports
 * @assign_type:	the text of /sys/class/net/BRIDGE/addr_assign_type
 *
 * The kernel keeps a bridge's own MAC at the lowest MAC of its ports until
 * the address is set explicitly (NET_ADDR_SET, 3); a VM can set its TAP's
 * MAC (SIOCSIFHWADDR on its fd) and so move the bridge's. Pure.
 * Return: false only for "3" (set explicitly); true for anything else,
 * unreadable text included (fail towards the warning).
 */
bool hazard_mac_follows_ports(const char *assign_type);

/**
 * hazard_bridge_macs() - a warning on @out for each bridge here that the
 *			  caller may use and whose MAC follows its ports,
 *			  with the command that fixes it
 * @acl:	the loaded, valid ACL
 * @who:	the caller
 *
 * Bridges are found in /sys/class/net (a "bridge" directory), read as the
 * caller. Return: how many warnings.
 */
unsigned hazard_bridge_macs(FILE *out, const struct acl *acl,
			    const struct acl_principal *who);

/**
 * hazard_persisted_taps() - list on @out the persistent TAPs the helper
 *			     granted (for root's --check), and which of them
 *			     --sweep would remove
 */
void hazard_persisted_taps(FILE *out);

#endif /* TAPGATE_HAZARDS_H */
