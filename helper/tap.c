/* tap.c - creating the TAP device through /dev/net/tun */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_tun.h>

#include "fdpass.h"
#include "ifname.h"
#include "tap.h"

int tap_open_nodes(int *fds, size_t n)
{
	size_t i;

	if (n < 1 || n > QUEUES_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		fds[i] = open(TUN_PATH, O_RDWR | O_CLOEXEC | O_NOCTTY);
		if (fds[i] < 0) {
			int err = errno;

			while (i--)
				close(fds[i]);
			return -err;
		}
	}
	return 0;
}

/*
 * The new TAP's ifindex, by SIOCGIFINDEX on a socket of our own rather than
 * if_nametoindex(): glibc's turns any failure to get a socket into ENOENT,
 * so a caller's RLIMIT_NOFILE made the helper say "No such file or
 * directory" instead of "Too many open files" (attack test:
 * test_attack_env.sh, RLIMIT_NOFILE 6).
 */
static int tap_ifindex(struct tap_result *res)
{
	struct ifreq ifr;
	int s, err = 0;

	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, res->name, IFNAMSIZ);
	if (ioctl(s, SIOCGIFINDEX, &ifr) < 0)
		err = -errno;
	else
		res->ifindex = ifr.ifr_ifindex;
	close(s);
	return err;
}

/*
 * TUNSETIFF with a name of our own choosing, as a new device only.
 *
 * IFF_TUN_EXCL is what makes a name that is taken fail rather than do
 * something else: without it, a name that belongs to an existing tun or tap
 * device (another user's persistent TAP, or an alternative name of one:
 * the kernel's lookup matches both) *attaches* to that device, and the
 * helper holds CAP_NET_ADMIN, which passes its owner check. With it, an
 * existing name is EBUSY. EEXIST is the same collision lost in a race: the
 * name was free at the lookup and taken at registration. (EEXIST also
 * means "this fd already has a device", which a fresh fd never has.)
 * Either way the fd is still unattached and can try another name.
 */
static int create_named(int fd, struct ifreq *ifr)
{
	int i, rc;

	for (i = 0; i < IFNAME_TRIES; i++) {
		rc = ifname_random(ifr->ifr_name, TAP_NAME_PREFIX);
		if (rc)
			return rc;
		if (ioctl(fd, TUNSETIFF, ifr) == 0)
			return 0;
		if (errno != EBUSY && errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int tap_create(const int *fds, size_t n, const struct tap_request *req,
	       struct tap_result *res)
{
	unsigned int features = 0;
	struct ifreq ifr;
	size_t i;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fds[0], TUNGETFEATURES, &features) < 0)
		return -errno;

	/* ifr_flags is a short and IFF_TUN_EXCL its sign bit: the flags are
	 * put together as the kernel reads them, an unsigned 16 bits. */
	ifr.ifr_flags = (short)(IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL);
	if (req->vnet_hdr && (features & IFF_VNET_HDR))
		ifr.ifr_flags |= IFF_VNET_HDR;
	if (n > 1) {
		if (!(features & IFF_MULTI_QUEUE))
			return -EOPNOTSUPP;
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	}
	/* No name of the caller's is used, and none is picked by the
	 * kernel's "tap%d", which walks every interface (see ifname.h). A
	 * sealed TAP takes the name the helper chose for its bridge port,
	 * in a namespace of its own that holds nothing else of that name. */
	if (req->name) {
		if (strlen(req->name) >= IFNAMSIZ)
			return -ENAMETOOLONG;
		memcpy(ifr.ifr_name, req->name, strlen(req->name) + 1);
		if (ioctl(fds[0], TUNSETIFF, &ifr) < 0)
			return -errno;
	} else {
		rc = create_named(fds[0], &ifr);
		if (rc)
			return rc;
	}
	/*
	 * Until TUNSETOWNER, only CAP_NET_ADMIN may attach to the device, so
	 * nobody can slip a queue in between; after it, only the caller can.
	 */
	if (ioctl(fds[0], TUNSETOWNER, (unsigned long)req->owner) < 0)
		return -errno;
	memcpy(res->name, ifr.ifr_name, IFNAMSIZ);
	res->name[IFNAMSIZ - 1] = '\0';
	res->vnet_hdr = !!(ifr.ifr_flags & IFF_VNET_HDR);

	/* Further queues attach to the same device by its new name: without
	 * IFF_TUN_EXCL, which would refuse the device we just made. */
	ifr.ifr_flags = (short)((unsigned short)ifr.ifr_flags &
				(unsigned short)~IFF_TUN_EXCL);
	for (i = 1; i < n; i++) {
		struct ifreq q = ifr;

		if (ioctl(fds[i], TUNSETIFF, &q) < 0)
			return -errno;
	}

	return tap_ifindex(res);
}

int tap_random_mac(unsigned char mac[6])
{
	ssize_t r;

	do
		r = getrandom(mac, 6, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r != 6)
		return -EIO;
	mac[0] = 0xfe;
	return 0;
}
