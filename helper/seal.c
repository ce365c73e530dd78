/* seal.c - sealed ports: the TAP in a network namespace of its own, joined to the bridge by a veth pair and two tc redirects */

/*
 * Theory of operation
 *
 * Whoever holds a TAP's fd can, without any privilege, change the TAP's
 * MAC (SIOCSIFHWADDR), make it persistent, change its owner and more. On a
 * TAP that is itself a bridge port, a MAC change reaches the bridge: the
 * bridge then takes that MAC as local and delivers frames for it to the
 * host, so any MAC on the bridge (the router's, another VM's, even one with
 * a static sticky FDB entry) can be blackholed. A sealed port puts a wall
 * between the TAP and the bridge:
 *
 *   host namespace                 | sealed namespace (new, empty)
 *   bridge -- tapXXXXXXXX (veth) ----- veth0 (veth) <-redirect-> tapXXXXXXXX
 *
 * The TAP takes its bridge port's name (one random name, unique in the
 * host's namespace, chosen before the TAP exists), so whoever holds the fd
 * finds its port by the name TUNGETIFF reports: the launcher checks and
 * tears down sealed ports that way.
 *
 * - The helper moves itself into a new network namespace
 *   (priv_unshare_net(), see priv.c) and opens /dev/net/tun there: a tun
 *   socket belongs to the namespace its node was opened in, and the TAP
 *   is created in the socket's namespace. Nothing but the TAP's sockets
 *   holds that namespace once the helper exits: when the last TAP fd
 *   closes, the kernel tears the namespace down, and with it the TAP
 *   (persistent or not) and veth0, whose peer goes with it. Measured on
 *   6.18: the bridge-side end is gone 15 to 60 ms after the last close,
 *   TUNSETPERSIST or not.
 * - The namespace is owned by the initial user namespace. The caller has
 *   no CAP_NET_ADMIN there, so the TAP fd gives no handle on it (SIOCGSKNS
 *   and TUNGETDEVNETNS answer EPERM), and the helper is not dumpable while
 *   it is in it, so /proc/PID/ns/net is closed too.
 * - seal_make_pair() asks, on a netlink socket opened in the host's
 *   namespace before the move, for a veth whose peer goes to the network
 *   namespace of the helper itself (IFLA_NET_NS_PID = our pid, which is
 *   now in the sealed namespace): no namespace fd is ever opened.
 * - seal_wire() joins the TAP and veth0 with a u32 filter that matches
 *   every frame and a mirred egress redirect, on the ingress qdisc of each
 *   (this kernel has u32 and mirred, not matchall). The sealed namespace's
 *   stack never sees a frame, and has no address: IPv6 address generation
 *   is off on both ends before they go up, so no DAD, RS or MLD frame from
 *   the sealed stack ever leaves through veth0 onto the bridge.
 * - The TAP's MAC, whatever the fd holder sets, is a MAC in the sealed
 *   namespace only. The bridge's port is the host-side veth, configured by
 *   the helper like a plain TAP (nl_port_setup()); the caller can name it
 *   but not change it (that needs CAP_NET_ADMIN in the host namespace).
 *
 * macguard (seal_guard()) adds, while the bridge-side port is still down:
 * no learning, IFLA_BRPORT_LOCKED, and one static sticky FDB entry for the
 * guest's MAC, added with NLM_F_EXCL so that a MAC the bridge already
 * knows is refused, not taken over. Then the port goes up. A locked port
 * passes only frames whose source MAC has an entry on it: a guest that
 * changes its MAC inside is cut off. Only a sealed port can be guarded:
 * on a plain port the fd holder could still move the guarded MAC, or any
 * other, with SIOCSIFHWADDR.
 *
 * Failure: any error before the fds leave removes the pair at once
 * (seal_undo()); if the helper dies instead (SIGKILL), its fds close, the
 * namespace ends, and the kernel removes everything a moment later.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/veth.h>

#include "ifname.h"
#include "seal.h"
#include "tap.h"

size_t seal_build_veth(void *buf, const char *name, const char *peer,
		       pid_t pid, unsigned mtu)
{
	struct nlattr *info, *data, *peer_nest;
	struct nlmsghdr *nlh;
	struct ifinfomsg *pifi;

	if (!nl_name_fits(name) || !nl_name_fits(peer) || pid <= 0 || !mtu)
		return 0;
	nl_build_clear(buf);
	/* EXCL: a name that exists is an error to retry, never a device
	 * of someone else's to reconfigure. */
	nlh = nl_put_link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/* VETH_INFO_PEER carries a struct ifinfomsg, then the peer's own
	 * attributes (veth_newlink() parses it with that header). */
	peer_nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifi));
	pifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)pid);
	mnl_attr_nest_end(nlh, peer_nest);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nlh->nlmsg_len;
}

static struct nlmsghdr *put_tc(void *buf, uint16_t type, int ifindex,
			       uint32_t parent, uint32_t handle, uint32_t info)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tcmsg *t;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	t = mnl_nlmsg_put_extra_header(nlh, sizeof(*t));
	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = ifindex;
	t->tcm_parent = parent;
	t->tcm_handle = handle;
	t->tcm_info = info;
	return nlh;
}

size_t seal_build_redirect(void *buf, int from, int to)
{
	struct {
		struct tc_u32_sel sel;
		struct tc_u32_key key;
	} sel;
	struct tc_mirred mirred;
	struct nlattr *opts, *acts, *act, *aopts;
	struct nlmsghdr *nlh;
	size_t len;

	if (from <= 0 || to <= 0 || from == to)
		return 0;
	nl_build_clear(buf);

	/* 1. The ingress qdisc (handle ffff:), where the filter hangs. */
	nlh = put_tc(buf, RTM_NEWQDISC, from, TC_H_INGRESS,
		     TC_H_MAKE(TC_H_INGRESS, 0), 0);
	mnl_attr_put_strz(nlh, TCA_KIND, "ingress");
	len = nlh->nlmsg_len;

	/* 2. u32 with one key of mask 0 at offset 0: every frame matches
	 *    (what "tc filter ... u32 match u32 0 0" sends). Priority 1,
	 *    every protocol; TC_U32_TERMINAL: the action decides. */
	nlh = put_tc((char *)buf + len, RTM_NEWTFILTER, from,
		     TC_H_MAKE(TC_H_INGRESS, 0), 0,
		     TC_H_MAKE(1U << 16, htons(ETH_P_ALL)));
	mnl_attr_put_strz(nlh, TCA_KIND, "u32");
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	memset(&sel, 0, sizeof(sel));
	sel.sel.flags = TC_U32_TERMINAL;
	sel.sel.nkeys = 1;
	mnl_attr_put(nlh, TCA_U32_SEL, sizeof(sel), &sel);
	acts = mnl_attr_nest_start(nlh, TCA_U32_ACT);
	act = mnl_attr_nest_start(nlh, 1);	/* the first action */
	mnl_attr_put_strz(nlh, TCA_ACT_KIND, "mirred");
	aopts = mnl_attr_nest_start(nlh, TCA_ACT_OPTIONS);
	memset(&mirred, 0, sizeof(mirred));
	/* Stolen: the frame leaves by @to's egress and nothing in this
	 * namespace sees it. */
	mirred.action = TC_ACT_STOLEN;
	mirred.eaction = TCA_EGRESS_REDIR;
	mirred.ifindex = (uint32_t)to;
	mnl_attr_put(nlh, TCA_MIRRED_PARMS, sizeof(mirred), &mirred);
	mnl_attr_nest_end(nlh, aopts);
	mnl_attr_nest_end(nlh, act);
	mnl_attr_nest_end(nlh, acts);
	mnl_attr_nest_end(nlh, opts);
	return len + nlh->nlmsg_len;
}

/* RTM_NEWLINK on @ifindex: IFF_UP, nothing else; at @buf, which the
 * builder cleared. */
static size_t put_link_up(void *buf, int ifindex)
{
	struct nlmsghdr *nlh = nl_put_link_msg(buf, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return nlh->nlmsg_len;
}

size_t seal_build_up(void *buf, int ifindex, unsigned mtu, bool no_ipv6_addr)
{
	struct nlmsghdr *nlh;
	size_t len;

	if (ifindex <= 0 || !mtu)
		return 0;
	nl_build_clear(buf);
	/* 1. MTU and, before the link is ever up, no IPv6 address
	 *    generation. Its own message: do_setlink() changes the flags
	 *    before it applies IFLA_AF_SPEC, and a TAP has carrier at once,
	 *    so in one message the TAP would get its link-local address
	 *    (and send DAD) before the mode took effect. */
	nlh = nl_put_link_msg(buf, RTM_NEWLINK, 0, ifindex);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	if (no_ipv6_addr) {
		struct nlattr *af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
		struct nlattr *in6 = mnl_attr_nest_start(nlh, AF_INET6);

		mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE,
				IN6_ADDR_GEN_MODE_NONE);
		mnl_attr_nest_end(nlh, in6);
		mnl_attr_nest_end(nlh, af);
	}
	len = nlh->nlmsg_len;

	/* 2. Up: what seal_build_link_up() sends. */
	return len + put_link_up((char *)buf + len, ifindex);
}

size_t seal_build_guard(void *buf, int ifindex, const unsigned char mac[6])
{
	struct nlattr *info, *slave;
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	size_t len;

	if (ifindex <= 0 || (mac[0] & 0x01) ||
	    !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return 0;
	nl_build_clear(buf);

	/* 1. No learning, locked: the port passes only frames whose source
	 *    has an FDB entry on this port (br_handle_frame_finish()). As in
	 *    nl_build_port_setup(), slave data goes through RTM_NEWLINK. */
	nlh = nl_put_link_msg(buf, RTM_NEWLINK, 0, ifindex);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, "bridge");
	slave = mnl_attr_nest_start(nlh, IFLA_INFO_SLAVE_DATA);
	mnl_attr_put_u8(nlh, IFLA_BRPORT_LEARNING, 0);
	mnl_attr_put_u8(nlh, IFLA_BRPORT_LOCKED, 1);
	mnl_attr_nest_end(nlh, slave);
	mnl_attr_nest_end(nlh, info);
	len = nlh->nlmsg_len;

	/* 2. The one entry: static (NUD_NOARP), sticky (never moved to
	 *    another port by learning), on the bridge (NTF_MASTER). EXCL:
	 *    fdb_add_entry() refuses a MAC the bridge has any entry for. */
	nlh = mnl_nlmsg_put_header((char *)buf + len);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_NOARP;
	ndm->ndm_flags = NTF_MASTER | NTF_STICKY;
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	return len + nlh->nlmsg_len;
}

size_t seal_build_link_up(void *buf, int ifindex)
{
	if (ifindex <= 0)
		return 0;
	nl_build_clear(buf);
	return put_link_up(buf, ifindex);
}

int seal_make_pair(struct nl *host, struct nl *sealed, unsigned mtu,
		   struct seal_port *p)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	struct nl_link link;
	int tries, rc = -EEXIST;
	size_t len;

	memset(p, 0, sizeof(*p));
	for (tries = 0; tries < IFNAME_TRIES && rc == -EEXIST; tries++) {
		rc = ifname_random(p->name, TAP_NAME_PREFIX);
		if (rc)
			return rc;
		len = seal_build_veth(buf, p->name, SEAL_PEER_NAME, getpid(),
				      mtu);
		if (!len)
			return -EINVAL;
		rc = nl_roundtrip(host, buf, len, NULL, NULL);
	}
	if (rc)
		return rc;

	/* Only this helper could have made a veth of that name an instant
	 * ago (EXCL), but it is looked up by name: record the pair first,
	 * so that an error below still removes it. */
	p->made = true;
	rc = nl_link_by_name(host, p->name, &link);
	if (rc)
		return rc;
	p->ifindex = link.ifindex;
	if (strcmp(link.kind, "veth"))
		return -EPROTO;
	rc = nl_link_by_name(sealed, SEAL_PEER_NAME, &link);
	if (rc)
		return rc;
	p->peer_ifindex = link.ifindex;
	return 0;
}

int seal_wire(struct nl *sealed, int tap_ifindex, const struct seal_port *p,
	      unsigned mtu)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	const int end[2] = { tap_ifindex, p->peer_ifindex };
	size_t len;
	int i, rc;

	for (i = 0; i < 2; i++) {
		len = seal_build_redirect(buf, end[i], end[1 - i]);
		if (!len)
			return -EINVAL;
		rc = nl_roundtrip(sealed, buf, len, NULL, NULL);
		if (rc)
			return rc;
	}
	for (i = 0; i < 2; i++) {
		len = seal_build_up(buf, end[i], mtu, true);
		rc = len ? nl_roundtrip(sealed, buf, len, NULL, NULL) : -EINVAL;
		/* A kernel without IPv6 (ipv6.disable=1) has no AF_INET6 to
		 * configure, and no IPv6 to silence (the kernel still ran
		 * the second message; running it again changes nothing). */
		if (rc == -EAFNOSUPPORT) {
			len = seal_build_up(buf, end[i], mtu, false);
			rc = nl_roundtrip(sealed, buf, len, NULL, NULL);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int seal_guard(struct nl *host, int ifindex, const unsigned char mac[6])
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	size_t len = seal_build_guard(buf, ifindex, mac);
	int rc;

	if (!len)
		return -EINVAL;
	/* The kernel runs the second message even when the first failed;
	 * either failure fails the port, which the caller then removes, so
	 * it never goes up. */
	rc = nl_roundtrip(host, buf, len, NULL, NULL);
	if (rc)
		return rc;
	len = seal_build_link_up(buf, ifindex);
	return nl_roundtrip(host, buf, len, NULL, NULL);
}

void seal_undo(struct nl *host, struct seal_port *p)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	size_t len;

	if (!p->made || !host->sk)
		return;
	len = nl_build_dellink(buf, p->ifindex, p->name);
	if (len)
		(void)nl_roundtrip(host, buf, len, NULL, NULL);
	p->made = false;
}
