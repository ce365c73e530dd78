/* tap.h - creating the TAP device through /dev/net/tun */
#ifndef TAPGATE_TAP_H
#define TAPGATE_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define TUN_PATH "/dev/net/tun"

/* Every TAP's name: this, then random hex digits (ifname_random()). Scripts
 * and firewall rules that match "tap*" keep working. */
#define TAP_NAME_PREFIX "tap"

/**
 * tap_open_nodes() - open /dev/net/tun @n times (one fd per queue)
 * @fds:	filled with @n descriptors (O_CLOEXEC)
 * @n:		1 to QUEUES_MAX
 *
 * Called while still privileged, so a node of mode 0600 works.
 * Return: 0 or -errno (nothing left open on failure).
 */
int tap_open_nodes(int *fds, size_t n);

struct tap_request {
	bool vnet_hdr;		/* --use-vnet: IFF_VNET_HDR if the kernel has it */
	uid_t owner;		/* TUNSETOWNER */
	const char *name;	/* exact name (a sealed TAP takes its bridge
				 * port's, see seal.c), or NULL: a random one */
};

struct tap_result {
	char name[16];		/* "tap" and 8 random hex digits */
	int ifindex;
	bool vnet_hdr;		/* whether IFF_VNET_HDR was set */
};

/**
 * tap_create() - make a new, non-persistent TAP on the @n open nodes: the
 *		  first fd creates it, the others attach as queues
 *		  (IFF_MULTI_QUEUE when @n > 1)
 * @fds:	from tap_open_nodes()
 * @n:		number of queues
 * @req:	what to ask for
 * @res:	what was made
 *
 * Its name is TAP_NAME_PREFIX and random digits, chosen without looking
 * at other interfaces; a name that is taken is retried with another, up to
 * IFNAME_TRIES times (then -EEXIST). It never attaches to an existing
 * device. The TAP lives exactly as long as one of @fds is open (unless the
 * fd holder makes it persistent): closing them all (or dying) removes it.
 * Return: 0 or -errno.
 */
int tap_create(const int *fds, size_t n, const struct tap_request *req,
	       struct tap_result *res);

/**
 * tap_random_mac() - a MAC for the TAP itself: first byte 0xfe, so that a
 *		      bridge, which takes the lowest port MAC as its own, never
 *		      changes address when the TAP joins; the rest random
 * Return: 0 or -errno from getrandom(2).
 */
int tap_random_mac(unsigned char mac[6]);

#endif /* TAPGATE_TAP_H */
