/* nl.h - rtnetlink through libmnl: one round trip, bridge lookup, TAP port setup, TAP census */
#ifndef TAPGATE_NL_H
#define TAPGATE_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>

/* Reusable modules here return 0 or -errno. */

struct nl {
	struct mnl_socket *sk;
	unsigned portid;
	unsigned seq;
	char ext_msg[256];	/* kernel's extended ACK message, or "" */
};

/**
 * nl_open() - open and bind an rtnetlink socket, with extended ACK and
 *	       strict checking enabled where the kernel has them
 * Return: 0 or -errno.
 */
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

/**
 * nl_roundtrip() - the one place requests go through
 * @nl:		socket
 * @buf:	one or more netlink messages back to back (a batch); each gets
 *		NLM_F_ACK and its own sequence number here
 * @len:	bytes in @buf
 * @cb:		called for each data message of the replies (may be NULL)
 * @data:	passed to @cb
 *
 * Sends the batch with one sendto(), then reads until every message is
 * acknowledged (or a dump is done), checking sequence numbers and port id
 * with mnl_cb_run(). The kernel's extended ACK text, if any, is left in
 * @nl->ext_msg.
 * Return: 0, or the first error as -errno.
 */
int nl_roundtrip(struct nl *nl, void *buf, size_t len, mnl_cb_t cb,
		 void *data);

struct nl_link {
	int ifindex;
	unsigned mtu;
	char kind[16];		/* IFLA_INFO_KIND, or "" */
};

/**
 * nl_link_by_name() - look an interface up by its exact name (IFLA_IFNAME
 *		       in one RTM_GETLINK request; never an ioctl, which reads
 *		       "br0:1" as "br0")
 * Return: 0, -ENODEV when no such interface, other -errno.
 */
int nl_link_by_name(struct nl *nl, const char *name, struct nl_link *link);

struct nl_port_config {
	int ifindex;		/* the TAP */
	int master;		/* the bridge's ifindex */
	unsigned mtu;
	unsigned char mac[6];
	const char *alias;	/* IFLA_IFALIAS */
	bool isolated;		/* IFLA_BRPORT_ISOLATED on the new port */
};

/**
 * nl_port_setup() - enslave, size, address, name and bring up a TAP in one
 *		     round trip (one batch)
 * Return: 0 or -errno; nl->ext_msg says what the kernel disliked.
 */
int nl_port_setup(struct nl *nl, const struct nl_port_config *c);

#define NL_TAPS_MAX 64

struct nl_taps {
	size_t n;		/* TAPs found (may exceed NL_TAPS_MAX) */
	struct {
		int ifindex;
		char name[16];
	} tap[NL_TAPS_MAX];	/* the first NL_TAPS_MAX, by ifindex */
};

/**
 * nl_taps_owned_by() - the tun/tap devices whose owner is @uid, from one
 *			filtered RTM_GETLINK dump (kind "tun", IFLA_TUN_OWNER)
 * Return: 0 or -errno.
 */
int nl_taps_owned_by(struct nl *nl, uid_t uid, struct nl_taps *taps);

/* Pure builders, unit-tested: each writes one message at @buf (room:
 * MNL_SOCKET_BUFFER_SIZE) and returns its length. */
size_t nl_build_getlink(void *buf, const char *name);
size_t nl_build_port_setup(void *buf, const struct nl_port_config *c);
size_t nl_build_tap_dump(void *buf);

#endif /* TAPGATE_NL_H */
