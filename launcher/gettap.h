/* gettap.h - getting a TAP from the helper, the way libvirt asks qemu-bridge-helper */
#ifndef TAPGATE_GETTAP_H
#define TAPGATE_GETTAP_H

#include "nic.h"

/**
 * helper_argv() - the helper's command line, as libvirt builds it:
 *		   HELPER --use-vnet --br=BRIDGE --fd=SOCKFD [--queues=N]
 *		   (--queues only when N > 1, so that QEMU's own
 *		   qemu-bridge-helper, which lacks it, works for one queue)
 * @helper:	path of the helper
 * @bridge:	bridge name
 * @sockfd:	the fd number the helper gets its socket as
 * @queues:	queues asked for
 * @argv:	filled: at most 5 words and NULL; strings in @buf
 * @buf:	room for the composed words
 * @buflen:	its size (64 bytes are plenty for valid names)
 *
 * Return: the number of words, or -ENAMETOOLONG when @buf is too small.
 */
int helper_argv(const char *helper, const char *bridge, int sockfd,
		unsigned queues, char *argv[6], char *buf, size_t buflen);

/**
 * helper_get_tap() - run the helper once for @nic->bridge and take the TAP
 *		      it sends into @nic (fd, tap, ifindex)
 * @helper:	path of the helper (not searched on PATH)
 * @queues:	queues asked for
 * @nic:	the NIC; @nic->bridge is set
 *
 * The helper inherits stdin, stdout, its socket as fd 3 and nothing else;
 * what it writes on stderr is passed to ours as it comes. When the helper
 * fails, its own message is what the user sees, and the launcher exits 1
 * (through die() when the helper said nothing). It also exits 1 when what
 * came back is not exactly the TAP asked for (see tap_check_fds()).
 */
void helper_get_tap(const char *helper, unsigned queues, struct nic *nic);

#endif /* TAPGATE_GETTAP_H */
