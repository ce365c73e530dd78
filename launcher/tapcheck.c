/* tapcheck.c - is what the helper sent the TAP that was asked for? */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/if_tun.h>

#include "tapcheck.h"

const char *tap_problem(unsigned iff, const struct tuninfo *ti,
			unsigned queues, unsigned features)
{
	if (!(iff & IFF_TAP) || (iff & IFF_TUN))
		return "is not a TAP (IFF_TAP is not set)";
	if (strcmp(ti->kind, "tun") != 0 || !ti->has_tun)
		return "is not described by the kernel as a tun/tap device";
	if (ti->type != IFF_TAP)
		return "is not a TAP device (kernel's IFLA_TUN_TYPE)";
	/* QEMU assumes IFF_NO_PI on a tap fd: with packet information every
	 * frame would carry 4 extra bytes and the guest would see garbage. */
	if (ti->pi)
		return "carries packet information (IFF_NO_PI is not set)";
	if (!(iff & IFF_VNET_HDR) && (features & IFF_VNET_HDR))
		return "lacks IFF_VNET_HDR, which the kernel offers";
	/* A persistent TAP would stay when QEMU's fds close: exactly what
	 * the launcher promises never happens. */
	if (ti->persist)
		return "is persistent (it would outlive QEMU)";
	if (queues > 1 && !(iff & IFF_MULTI_QUEUE))
		return "is not multiqueue (IFF_MULTI_QUEUE), but several queues were asked for";
	if (queues == 1 && (iff & IFF_MULTI_QUEUE))
		return "is multiqueue (IFF_MULTI_QUEUE), but one queue was asked for";
	if (ti->has_num_queues && ti->num_queues != queues)
		return "has a different number of queues attached than asked for";
	return NULL;
}

const char *sealed_tap_problem(unsigned iff, unsigned queues,
			       unsigned features)
{
	if (!(iff & IFF_TAP) || (iff & IFF_TUN))
		return "is not a TAP (IFF_TAP is not set)";
	if (!(iff & IFF_VNET_HDR) && (features & IFF_VNET_HDR))
		return "lacks IFF_VNET_HDR, which the kernel offers";
	if (iff & IFF_PERSIST)
		return "is persistent (it would outlive QEMU)";
	if (queues > 1 && !(iff & IFF_MULTI_QUEUE))
		return "is not multiqueue (IFF_MULTI_QUEUE), but several queues were asked for";
	if (queues == 1 && (iff & IFF_MULTI_QUEUE))
		return "is multiqueue (IFF_MULTI_QUEUE), but one queue was asked for";
	return NULL;
}

int tap_check_fds(const int *fds, size_t n, unsigned queues, char *name,
		  int *ifindex, bool *sealed, char *whybuf, size_t whylen)
{
	unsigned iff = 0, features = 0;
	struct tuninfo ti;
	const char *why;
	size_t i;
	int r;

	if (n != queues) {
		snprintf(whybuf, whylen, "sent %zu fds, but %u %s asked for",
			 n, queues, queues == 1 ? "was" : "were");
		return -EPROTO;
	}
	for (i = 0; i < n; i++) {
		struct ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		/* Fails with EBADFD on a tun fd not attached to a device,
		 * and with EINVAL or ENOTTY on anything that is not tun. */
		if (ioctl(fds[i], TUNGETIFF, &ifr) < 0) {
			snprintf(whybuf, whylen,
				 "sent an fd that is not a TAP (TUNGETIFF: %s)",
				 strerror(errno));
			return -EPROTO;
		}
		ifr.ifr_name[IFNAMSIZ - 1] = '\0';
		if (i == 0) {
			memcpy(name, ifr.ifr_name, IFNAMSIZ);
			iff = (unsigned short)ifr.ifr_flags;
		} else if (strcmp(name, ifr.ifr_name) != 0) {
			snprintf(whybuf, whylen,
				 "sent fds of two interfaces (%s and %s)", name,
				 ifr.ifr_name);
			return -EPROTO;
		}
	}
	if (ioctl(fds[0], TUNGETFEATURES, &features) < 0)
		features = 0;
	r = tuninfo_get(0, name, &ti);
	if (r < 0) {
		snprintf(whybuf, whylen, "sent TAP %s, which the kernel does not show: %s",
			 name, strerror(-r));
		return -EPROTO;
	}
	*sealed = !strcmp(ti.kind, "veth");
	/* A sealed port's TAP is in a namespace of its own, out of our
	 * sight; its bridge port, a veth, has its name here. What the fd
	 * itself says is all there is to check. */
	why = *sealed ? sealed_tap_problem(iff, queues, features)
		      : tap_problem(iff, &ti, queues, features);
	if (why) {
		snprintf(whybuf, whylen, "sent TAP %s, which %s", name, why);
		return -EPROTO;
	}
	*ifindex = ti.ifindex;
	return 0;
}
