/* tuninfo.h - what the kernel says about one tun/tap interface, over rtnetlink */
#ifndef TAPGATE_TUNINFO_H
#define TAPGATE_TUNINFO_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

/* Reusable module: functions return 0 or -errno. */

struct tuninfo {
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[16];		/* IFLA_INFO_KIND: "tun" for tun and tap */
	bool has_tun;		/* the tun attributes below were present */
	uint8_t type;		/* IFLA_TUN_TYPE: IFF_TUN or IFF_TAP */
	bool pi;		/* packet information on: IFF_NO_PI unset */
	bool vnet_hdr;
	bool persist;
	bool multi_queue;
	bool has_num_queues;
	uint32_t num_queues;	/* queues attached to a file */
};

/**
 * tuninfo_build_request() - one RTM_GETLINK request (lib/nl.c's
 *			     nl_roundtrip() adds NLM_F_ACK and the sequence
 *			     number)
 * @buf:	room for NL_BUILD_SIZE bytes
 * @ifindex:	interface index, or 0 to look up by @name
 * @name:	interface name when @ifindex is 0 (1 to 15 bytes)
 *
 * Return: the message length, or 0 when it cannot be expressed (a name
 * that is empty or too long: never truncated; a negative index).
 */
size_t tuninfo_build_request(void *buf, int ifindex, const char *name);

/**
 * tuninfo_parse() - fill @ti from one RTM_NEWLINK message
 * Return: 0, or -EPROTO when the message is not a well-formed link message
 * (a name or kind that does not fit is malformed, not cut).
 */
int tuninfo_parse(const struct nlmsghdr *nlh, struct tuninfo *ti);

/**
 * tuninfo_get() - ask the kernel about one interface, in one round trip
 * @ifindex:	interface index, or 0 to look up by @name
 * @name:	interface name when @ifindex is 0
 * @ti:		filled in
 *
 * Return: 0; -ENODEV when there is no such interface (in this network
 * namespace); -EINVAL when the request cannot be expressed; other -errno.
 */
int tuninfo_get(int ifindex, const char *name, struct tuninfo *ti);

#endif /* TAPGATE_TUNINFO_H */
