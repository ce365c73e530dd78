/* gettap.h - getting a TAP from the helper, the way libvirt asks qemu-bridge-helper */
#ifndef TAPGATE_GETTAP_H
#define TAPGATE_GETTAP_H

#include <stdbool.h>

#include "nic.h"

/**
 * helper_argv() - the helper's command line, as libvirt builds it:
 *		   HELPER --use-vnet --br=BRIDGE --fd=SOCKFD [--queues=N]
 *		   [--mac=MAC] [--iface-id=ID]
 *		   (--queues only when N > 1; --mac when @mac is not NULL, so
 *		   that a helper on a macguard port knows the guest's MAC;
 *		   --iface-id when @iface_id is not NULL)
 * @helper:	path of the helper
 * @bridge:	bridge name
 * @sockfd:	the fd number the helper gets its socket as
 * @queues:	queues asked for
 * @mac:	the guest's MAC, or NULL
 * @iface_id:	the OVN logical port, or NULL
 * @argv:	filled: at most 7 words and NULL; strings in @buf
 * @buf:	room for the composed words
 * @buflen:	its size (192 bytes are plenty for valid names)
 *
 * Return: the number of words, or -ENAMETOOLONG when @buf is too small.
 */
int helper_argv(const char *helper, const char *bridge, int sockfd,
		unsigned queues, const unsigned char *mac,
		const char *iface_id, char *argv[8], char *buf, size_t buflen);

/**
 * helper_get_tap() - run the helper once for @nic->bridge and take the TAP
 *		      it sends into @nic (fd, tap, ifindex)
 * @helper:	path of the helper (not searched on PATH)
 * @queues:	queues asked for
 * @pass_mac:	pass @nic->mac as --mac (false with --no-device, when the
 *		guest's MAC is the user's own -device's and unknown here)
 * @nic:	the NIC; @nic->bridge and @nic->mac are set
 *
 * The helper inherits stdin, stdout, its socket as fd 3 and nothing else;
 * what it writes on stderr is passed to ours as it comes. When the helper
 * fails, its own message is what the user sees, and the launcher exits 1
 * (through die() when the helper said nothing). It also exits 1 when what
 * came back is not exactly the TAP asked for (see tap_check_fds()).
 */
void helper_get_tap(const char *helper, unsigned queues, bool pass_mac,
		    struct nic *nic);

/**
 * helper_sweep() - run "HELPER --sweep --pid=OUR_PID" and wait for it
 * @helper:	path of the helper
 *
 * The helper's alias on each TAP it granted us names our pid (we are the
 * helper's parent), so this removes the persistent TAPs of this VM only,
 * however QEMU changed their owner or MAC, and never another VM's of the
 * same user. The helper inherits stdin and stderr (its errors reach the
 * user), stdout on /dev/null, nothing else.
 *
 * Return: 0 when it succeeded, -1 when it failed (it said why) or could not
 * run.
 */
int helper_sweep(const char *helper);

/**
 * helper_release() - after QEMU ended and the TAP is gone: run
 *		      HELPER --release=TAP --br=BRIDGE, so that the Open
 *		      vSwitch rows of @nic go (only when @nic->ovs)
 * Its stderr is relayed. Return: true when it succeeded.
 */
bool helper_release(const char *helper, const struct nic *nic);

#endif /* TAPGATE_GETTAP_H */
