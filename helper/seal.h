/* seal.h - sealed ports: the TAP in a network namespace of its own, joined to the bridge by a veth pair and two tc redirects */
#ifndef TAPGATE_SEAL_H
#define TAPGATE_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "rtnl.h"

/* Reusable module: functions return 0 or -errno (theory in seal.c). */

/* The sealed-side end of the veth pair, in the sealed namespace. Every
 * sealed namespace is new and empty, so one fixed name does. */
#define SEAL_PEER_NAME "veth0"

struct seal_port {
	char name[16];		/* the bridge-side veth, in the host's namespace */
	int ifindex;		/* its index there */
	int peer_ifindex;	/* SEAL_PEER_NAME's index in the sealed namespace */
	bool made;		/* the pair exists (seal_undo() has work) */
};

/**
 * seal_make_pair() - create the veth pair from the host's namespace: the
 *		      bridge-side end @p->name there, its peer SEAL_PEER_NAME in
 *		      the helper's own (sealed) namespace
 * @host:	netlink socket opened in the host's namespace, before the
 *		helper moved to the sealed one
 * @sealed:	netlink socket opened in the sealed namespace
 * @mtu:	MTU of both ends (the bridge's)
 * @p:		filled in; @p->made tells seal_undo() there is a pair to remove
 *
 * The name is chosen as TAP names are (ifname_random(), "tap" and random
 * hex digits, without looking at the host's interfaces); a name that is
 * taken (EEXIST) is retried with another, IFNAME_TRIES times at most.
 * Return: 0 or -errno; @host->ext_msg may say what the kernel disliked.
 */
int seal_make_pair(struct nl *host, struct nl *sealed, unsigned mtu,
		   struct seal_port *p);

/**
 * seal_wire() - in the sealed namespace: the redirects both ways (TAP
 *		 ingress to the veth's egress, veth ingress to the TAP's
 *		 egress), no IPv6 address generation on either end, MTU,
 *		 and both up
 * @sealed:	netlink socket in the sealed namespace
 * @tap_ifindex: the TAP there
 * @p:		from seal_make_pair()
 * @mtu:	the TAP's MTU (the bridge's)
 * Return: 0 or -errno; @sealed->ext_msg may say more.
 */
int seal_wire(struct nl *sealed, int tap_ifindex, const struct seal_port *p,
	      unsigned mtu);

/**
 * seal_undo() - remove the veth pair now (both ends go together), if
 *		 seal_make_pair() made one; for failure paths, so that a
 *		 refusal leaves nothing behind at once rather than when the
 *		 kernel tears the namespace down. Errors are ignored: the
 *		 namespace's end removes the pair anyway.
 */
void seal_undo(struct nl *host, struct seal_port *p);

/**
 * seal_guard() - lock the bridge-side port to the guest's MAC (macguard),
 *		  while it is still down: no learning, locked, and exactly one
 *		  static sticky FDB entry for @mac; then bring it up
 * @host:	netlink socket in the host's namespace
 * @ifindex:	the bridge-side veth, already a port of the bridge, down
 * @mac:	the guest's MAC (--mac)
 *
 * The entry is added with NLM_F_CREATE|NLM_F_EXCL, so a MAC the bridge
 * already knows (learned or static on any port, another guarded port's,
 * a port's own or the bridge's own) is refused with -EEXIST, never moved.
 * Return: 0 or -errno; @host->ext_msg may say more.
 */
int seal_guard(struct nl *host, int ifindex, const unsigned char mac[6]);

/* Pure builders, unit-tested: each writes at @buf (room: NL_BUILD_SIZE),
 * returns the length written or 0 when the request cannot be expressed. */

/* RTM_NEWLINK (NLM_F_CREATE|NLM_F_EXCL): a veth @name, MTU @mtu, whose
 * peer @peer (MTU @mtu) goes to the network namespace of process @pid. */
size_t seal_build_veth(void *buf, const char *name, const char *peer,
		       pid_t pid, unsigned mtu);

/* Two messages: RTM_NEWQDISC "ingress" on @from, and RTM_NEWTFILTER u32
 * matching every frame (one key, mask 0) with the action mirred egress
 * redirect to @to (TC_ACT_STOLEN), both NLM_F_CREATE|NLM_F_EXCL. */
size_t seal_build_redirect(void *buf, int from, int to);

/* Two RTM_NEWLINK on @ifindex: MTU @mtu and IFLA_INET6_ADDR_GEN_MODE none
 * (when @no_ipv6_addr); then IFF_UP. */
size_t seal_build_up(void *buf, int ifindex, unsigned mtu, bool no_ipv6_addr);

/* Two messages: RTM_NEWLINK on bridge port @ifindex with the bridge slave
 * data IFLA_BRPORT_LEARNING 0 and IFLA_BRPORT_LOCKED 1 (link left as it
 * is); then RTM_NEWNEIGH (NLM_F_CREATE|NLM_F_EXCL), AF_BRIDGE, @ifindex,
 * NTF_MASTER|NTF_STICKY, NUD_NOARP, NDA_LLADDR @mac. */
size_t seal_build_guard(void *buf, int ifindex, const unsigned char mac[6]);

/* RTM_NEWLINK on @ifindex: IFF_UP, nothing else. */
size_t seal_build_link_up(void *buf, int ifindex);

#endif /* TAPGATE_SEAL_H */
