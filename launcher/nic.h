/* nic.h - one NIC of the launcher: its bridge, its TAP, the TAP's fds and the guest's MAC */
#ifndef TAPGATE_NIC_H
#define TAPGATE_NIC_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "mac.h"
#include "opts.h"

struct nic {
	const char *bridge;
	const char *iface_id;		/* --iface-id, or NULL */
	unsigned char mac[MAC_LEN];
	size_t nfds;			/* queues */
	int fd[QUEUES_MAX];	/* as received (O_CLOEXEC), or -1 */
	int qemu_fd[QUEUES_MAX];	/* the numbers QEMU gets them as */
	/* The TAP, recorded when it arrived, to check later that it went. */
	char tap[IF_NAMESIZE];
	int ifindex;
	/* The bridge was not a Linux bridge here when the TAP came: an Open
	 * vSwitch port, whose rows the helper's --release removes. */
	bool ovs;
	bool sealed;			/* a sealed port: tap and ifindex are
					 * its bridge port's (a veth) */
};

#endif /* TAPGATE_NIC_H */
