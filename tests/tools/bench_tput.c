/* bench_tput.c - benchmark tool: frames from a TAP fd to the bridge, and what becomes of a GSO frame on the way */

/*
 * Usage (as root; the helper runs as USER):
 *   bench_tput flood -u USER -i BRIDGE [-t SECONDS] [-s SIZE] -- HELPER ARGS...
 *   bench_tput gso   -u USER -i BRIDGE -- HELPER ARGS...
 *
 * Both become USER (its groups too), run HELPER ARGS as QEMU would (an
 * AF_UNIX socketpair, "{fd}" replaced by the child's end) and take the TAP
 * fd it sends. The frames written go to BRIDGE's own MAC, so the bridge
 * delivers each to the host (it is counted in BRIDGE's rx_packets) and
 * forwards none.
 *
 * flood: write SIZE-byte frames (default 1514, with a virtio_net_hdr in
 * front when the fd has IFF_VNET_HDR) into the fd for SECONDS (default 3),
 * as fast as write(2) returns. The counter on the bridge's side is its
 * rx_packets (sysfs), read before and after (after a short settle).
 * Prints: written=N delivered=N seconds=S fps=N (delivered frames per
 * second) gbps=G (delivered bits of frame per second).
 *
 * gso: with an AF_PACKET socket on BRIDGE (opened as root, before the drop,
 * with PACKET_VNET_HDR so that it sees how the kernel describes each
 * frame), write one 64,000-byte TCP/IPv4 frame with a virtio_net_hdr
 * asking for GSO (VIRTIO_NET_HDR_GSO_TCPV4, gso_size 1448) and checksum
 * offload (VIRTIO_NET_HDR_F_NEEDS_CSUM); then report the first frames the
 * bridge saw of it: frames=N first_len=L gso_type=T gso_size=S
 * needs_csum=0|1. One frame of about 64,000 bytes with gso_type 1 means
 * the frame crossed as one GSO frame with its checksum still to be done;
 * 1,514-byte frames mean it was segmented on the way.
 *
 * Exit status 0, or 1 when something failed (said on stderr).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fdpass.h"
#include "fdtoken.h"
#include "parse.h"

#define GSO_LEN 64000

static int fail(const char *what)
{
	fprintf(stderr, "bench_tput: %s: %s\n", what, strerror(errno));
	return 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int become(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (!pw)
		return fail("no such user");
	if (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) ||
	    setuid(pw->pw_uid))
		return fail("cannot become the user");
	return 0;
}

/* Run the helper as QEMU does; its first fd, or -1. */
static int get_tap(char **cmd, int ncmd)
{
	int sv[2], fds[QUEUES_MAX], status, i;
	size_t n = 0;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return fail("socketpair"), -1;
	pid = fork();
	if (pid < 0)
		return fail("fork"), -1;
	if (pid == 0) {
		char **av = calloc((size_t)ncmd + 1, sizeof(*av));

		if (!av)
			_exit(127);
		for (i = 0; i < ncmd; i++)
			av[i] = subst_fd(cmd[i], sv[1]);
		close(sv[0]);
		close_range(3, (unsigned)sv[1] - 1, 0);
		close_range((unsigned)sv[1] + 1, ~0U, 0);
		execv(av[0], av);
		_exit(127);
	}
	close(sv[1]);
	if (fd_recv(sv[0], fds, QUEUES_MAX, &n) < 0)
		n = 0;
	close(sv[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) || n < 1) {
		fprintf(stderr, "bench_tput: the helper failed\n");
		return -1;
	}
	for (i = 1; i < (int)n; i++)
		close(fds[i]);
	return fds[0];
}

static int read_mac(const char *ifname, unsigned char mac[6])
{
	char path[96];
	unsigned m[6];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	f = fopen(path, "r");
	if (!f)
		return fail(path);
	n = fscanf(f, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], // NOLINT(cert-err34-c)
		   &m[4], &m[5]);
	fclose(f);
	if (n != 6)
		return 1;
	for (n = 0; n < 6; n++)
		mac[n] = (unsigned char)m[n];
	return 0;
}

static unsigned long long rx_packets(const char *ifname)
{
	char path[96];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/rx_packets",
		 ifname);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)	// NOLINT(cert-err34-c)
		v = 0;
	fclose(f);
	return v;
}

static bool has_vnet_hdr(int fd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	return ioctl(fd, TUNGETIFF, &ifr) == 0 && (ifr.ifr_flags & IFF_VNET_HDR);
}

/* An Ethernet frame to @dst from a local unicast MAC: IPv4, TCP. */
static size_t build_tcp(unsigned char *p, size_t len, const unsigned char dst[6])
{
	static const unsigned char src[6] = { 0x02, 0, 0, 0, 0x7e, 0x01 };
	struct iphdr *ip = (struct iphdr *)(void *)(p + 14);
	struct tcphdr *tcp = (struct tcphdr *)(void *)(p + 34);

	memset(p, 0, len);
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = 0x08;
	p[13] = 0x00;
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_TCP;
	ip->tot_len = htons((uint16_t)(len - 14));
	ip->saddr = htonl(0xc6336401);	/* 198.51.100.1 */
	ip->daddr = htonl(0xc6336402);	/* 198.51.100.2: nobody's */
	{
		/* A valid header checksum: br_netfilter, where loaded, drops
		 * bridged IPv4 frames without one. */
		const uint16_t *w = (const uint16_t *)(const void *)ip;
		uint32_t sum = 0;

		for (int i = 0; i < 10; i++)
			sum += w[i];
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		ip->check = (uint16_t)~sum;
	}
	tcp->source = htons(40000);
	tcp->dest = htons(9);
	tcp->doff = 5;
	tcp->ack = 1;
	tcp->window = htons(65535);
	return len;
}

static int flood(int fd, const char *br, double seconds, size_t size)
{
	static unsigned char buf[sizeof(struct virtio_net_hdr) + 9000];
	unsigned char dst[6];
	unsigned long long before, after, written = 0;
	size_t off = has_vnet_hdr(fd) ? sizeof(struct virtio_net_hdr) : 0;
	double t0, t1;

	if (size < 60 || size > 9000 || read_mac(br, dst))
		return 1;
	memset(buf, 0, off);	/* no offload asked for */
	build_tcp(buf + off, size, dst);
	before = rx_packets(br);
	t0 = now();
	do {
		for (int i = 0; i < 256; i++)
			if (write(fd, buf, off + size) == (ssize_t)(off + size))
				written++;
		t1 = now();
	} while (t1 - t0 < seconds);
	usleep(200000);		/* the backlog drains */
	after = rx_packets(br);
	printf("written=%llu delivered=%llu seconds=%.3f fps=%.0f gbps=%.3f\n",
	       written, after - before, t1 - t0,
	       (double)(after - before) / (t1 - t0),
	       (double)(after - before) * (double)size * 8 / (t1 - t0) / 1e9);
	return 0;
}

static int gso(int fd, int pk, const char *br)
{
	static unsigned char buf[sizeof(struct virtio_net_hdr) + GSO_LEN];
	static unsigned char rx[sizeof(struct virtio_net_hdr) + 70000];
	struct virtio_net_hdr *h = (struct virtio_net_hdr *)(void *)buf;
	unsigned char dst[6];
	struct pollfd pfd = { .fd = pk, .events = POLLIN };
	int frames = 0;

	if (!has_vnet_hdr(fd)) {
		fprintf(stderr, "bench_tput: gso needs --use-vnet (IFF_VNET_HDR)\n");
		return 1;
	}
	if (read_mac(br, dst))
		return 1;
	build_tcp(buf + sizeof(*h), GSO_LEN, dst);
	h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	h->hdr_len = 14 + 20 + 20;
	h->gso_size = 1448;
	h->csum_start = 14 + 20;
	h->csum_offset = 16;	/* offsetof(struct tcphdr, check) */
	if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		return fail("write of the GSO frame");
	while (poll(&pfd, 1, 500) == 1) {
		ssize_t n = recv(pk, rx, sizeof(rx), 0);
		struct virtio_net_hdr *r = (struct virtio_net_hdr *)(void *)rx;

		if (n < (ssize_t)(sizeof(*r) + 14))
			continue;
		/* Only our frames: from the writer's MAC. */
		if (memcmp(rx + sizeof(*r) + 6, "\x02\x00\x00\x00\x7e\x01", 6))
			continue;
		if (!frames)
			printf("first_len=%zd gso_type=%u gso_size=%u needs_csum=%d\n",
			       n - (ssize_t)sizeof(*r), r->gso_type, r->gso_size,
			       !!(r->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM));
		frames++;
	}
	printf("frames=%d\n", frames);
	return frames ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *user = NULL, *br = NULL, *mode;
	unsigned long secs = 3, size = 1514;
	int i, fd, pk = -1, one = 1;

	if (argc < 2)
		goto usage;
	mode = argv[1];
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-u") && i + 1 < argc)
			user = argv[++i];
		else if (!strcmp(argv[i], "-i") && i + 1 < argc)
			br = argv[++i];
		else if ((!strcmp(argv[i], "-t") && i + 1 < argc &&
			  !parse_ulong(argv[i + 1], 1, 600, &secs)) ||
			 (!strcmp(argv[i], "-s") && i + 1 < argc &&
			  !parse_ulong(argv[i + 1], 60, 9000, &size)))
			i++;	/* the value, taken */
		else
			goto usage;
	}
	if (!user || !br || i + 1 >= argc)
		goto usage;

	if (!strcmp(mode, "gso")) {
		struct sockaddr_ll sll = { .sll_family = AF_PACKET,
					   .sll_protocol = htons(ETH_P_ALL) };

		pk = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
		if (pk < 0)
			return fail("AF_PACKET socket");
		sll.sll_ifindex = (int)if_nametoindex(br);
		if (setsockopt(pk, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) ||
		    bind(pk, (struct sockaddr *)&sll, sizeof(sll)))
			return fail("packet socket on the bridge");
	} else if (strcmp(mode, "flood")) {
		goto usage;
	}
	if (become(user))
		return 1;
	fd = get_tap(argv + i + 1, argc - i - 1);
	if (fd < 0)
		return 1;
	return pk >= 0 ? gso(fd, pk, br) : flood(fd, br, (double)secs, size);

usage:
	fputs("usage: bench_tput flood|gso -u USER -i BRIDGE [-t SECONDS] [-s SIZE] -- HELPER ARGS...\n",
	      stderr);
	return 2;
}
