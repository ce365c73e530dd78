/* tapwire.c - test tool (root): a wire between a guest's TAP fd, taken from the process holding it, and a local interface */

/*
 * Usage: tapwire PID TAP IFACE
 *
 * Stands in for a guest without booting one: takes a copy of the TAP fd
 * for interface TAP from process PID (pidfd_getfd(2); root only), opens a
 * packet socket on IFACE (typically one end of a veth pair whose other end
 * has an address in a namespace of its own), and copies frames both ways
 * until SIGTERM, SIGINT or SIGHUP: what the guest would send goes into the
 * TAP's fd, what the bridge sends to the guest comes out of it. Frames the
 * packet socket sees leaving IFACE (its own writes) are not copied back.
 *
 * Prints "ready" on stdout once both ends are open. Exit status: 0 after a
 * signal, 1 on any error (one line on stderr), 2 for a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <dirent.h>
#include <arpa/inet.h>

#include "parse.h"

static int fail(const char *what)
{
	fprintf(stderr, "tapwire: %s: %s\n", what, strerror(errno));
	return 1;
}

/* A copy of @pid's fd for TAP @name, or -1. */
static int grab_tap(pid_t pid, const char *name)
{
	char dir[64], link[340], target[64];
	struct dirent *de;
	int pidfd, fd = -1;
	DIR *d;

	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -1;
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	while (d && fd < 0 && (de = readdir(d))) {
		struct ifreq ifr;
		ssize_t n;
		int c;

		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, "/dev/net/tun"))
			continue;
		unsigned long num;

		if (parse_ulong(de->d_name, 0, 1 << 20, &num))
			continue;
		c = (int)syscall(SYS_pidfd_getfd, pidfd, (int)num, 0);
		if (c < 0)
			continue;
		memset(&ifr, 0, sizeof(ifr));
		if (!ioctl(c, TUNGETIFF, &ifr) && !strcmp(ifr.ifr_name, name))
			fd = c;
		else
			close(c);
	}
	if (d)
		closedir(d);
	close(pidfd);
	if (fd < 0)
		errno = ENOENT;
	return fd;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned char buf[65536];
	unsigned long pid;
	struct pollfd p[3];
	sigset_t set;
	int tap, pkt, sig;

	if (argc != 4 || parse_ulong(argv[1], 1, 4194304, &pid)) {
		fprintf(stderr, "usage: tapwire PID TAP IFACE\n");
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sig = signalfd(-1, &set, SFD_CLOEXEC);
	if (sig < 0)
		return fail("signalfd");
	tap = grab_tap((pid_t)pid, argv[2]);
	if (tap < 0)
		return fail("no TAP fd of that name in that process");
	pkt = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (pkt < 0)
		return fail("packet socket");
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(argv[3]);
	if (!sll.sll_ifindex || bind(pkt, (struct sockaddr *)&sll, sizeof(sll)))
		return fail(argv[3]);
	printf("ready\n");
	fflush(stdout);

	p[0] = (struct pollfd){ .fd = tap, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = pkt, .events = POLLIN };
	p[2] = (struct pollfd){ .fd = sig, .events = POLLIN };
	for (;;) {
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return fail("poll");
		}
		if (p[2].revents)
			return 0;
		if (p[0].revents & POLLIN) {
			ssize_t n = read(tap, buf, sizeof(buf));

			if (n > 0 && send(pkt, buf, (size_t)n, 0) < 0 &&
			    errno != ENOBUFS && errno != ENETDOWN)
				return fail("send to the interface");
		}
		if (p[1].revents & POLLIN) {
			struct sockaddr_ll from = { 0 };
			socklen_t len = sizeof(from);
			ssize_t n = recvfrom(pkt, buf, sizeof(buf), 0,
					     (struct sockaddr *)&from, &len);

			/* Our own sends come back as outgoing: not for the
			 * guest. */
			if (n > 0 && from.sll_pkttype != PACKET_OUTGOING &&
			    write(tap, buf, (size_t)n) < 0 && errno != EIO)
				return fail("write to the TAP");
		}
		if ((p[0].revents | p[1].revents) & (POLLERR | POLLHUP))
			return 0;
	}
}
