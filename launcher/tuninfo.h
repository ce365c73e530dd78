/* tuninfo.h - what the kernel says about one tun/tap interface, over rtnetlink */
#ifndef TAPGATE_TUNINFO_H
#define TAPGATE_TUNINFO_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

/* Reusable module: functions return 0 or -errno. */

/* Room for a request or a reply: libmnl's own buffer size at most. */
#define TUNINFO_BUF 8192

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
 * tuninfo_build_request() - one RTM_GETLINK request, with NLM_F_ACK
 * @buf:	room for TUNINFO_BUF bytes
 * @seq:	sequence number
 * @ifindex:	interface index, or 0 to look up by @name
 * @name:	interface name when @ifindex is 0 (at most 15 bytes)
 *
 * Return: the message length.
 */
size_t tuninfo_build_request(void *buf, uint32_t seq, int ifindex,
			     const char *name);

/**
 * tuninfo_parse() - fill @ti from one RTM_NEWLINK message
 * Return: 0, or -EPROTO when the message is not a link message.
 */
int tuninfo_parse(const struct nlmsghdr *nlh, struct tuninfo *ti);

/**
 * tuninfo_get() - ask the kernel about one interface, in one round trip
 * @ifindex:	interface index, or 0 to look up by @name
 * @name:	interface name when @ifindex is 0
 * @ti:		filled in
 *
 * Return: 0; -ENODEV when there is no such interface (in this network
 * namespace); other -errno.
 */
int tuninfo_get(int ifindex, const char *name, struct tuninfo *ti);

#endif /* TAPGATE_TUNINFO_H */
