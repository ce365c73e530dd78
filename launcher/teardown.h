/* teardown.h - after QEMU: is every TAP gone, and if not, who still holds it? */
#ifndef TAPGATE_TEARDOWN_H
#define TAPGATE_TEARDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "nic.h"

/**
 * fdinfo_names_tap() - does this /proc/PID/fdinfo/FD text belong to a tun
 *			fd attached to @tap? (pure; unit-tested)
 * @text:	the file's content, NUL-terminated
 * @tap:	interface name
 *
 * The kernel's tun driver adds one line "iff:\tNAME" to the fdinfo of each
 * attached fd; no other file type prints "iff:".
 */
bool fdinfo_names_tap(const char *text, const char *tap);

/**
 * teardown_confirm() - check that each NIC's TAP is gone now that QEMU has
 *			ended; name any that is not, with the processes that
 *			hold it
 * @nics:	the NICs, with tap and ifindex recorded when they arrived
 * @nnics:	how many
 *
 * A TAP made by the helper is not persistent: the kernel removes it when
 * the last fd on it closes. Since the launcher closed its own copies at
 * fork, a TAP still there after QEMU was reaped is held by some other
 * process that inherited it (a child QEMU left behind) or was made
 * persistent. Each is looked up by the ifindex recorded when it arrived (a
 * new interface that reused the name is not ours), and reported as
 * "TAP tap0 (bridge br0) is still there after QEMU ended; held by pid 123
 * (comm)". Only processes whose /proc/PID/fdinfo this user may read are
 * seen.
 *
 * Return: how many TAPs are still there.
 */
size_t teardown_confirm(const struct nic *nics, size_t nnics);

/**
 * teardown_sweep() - remove the TAPs QEMU made persistent, through the
 *		      helper's --sweep
 * @helper:	the helper that granted them
 * @nics:	the NICs, with ifindex recorded when they arrived
 * @nnics:	how many
 *
 * A holder of a TAP fd (QEMU, or whatever it ran) may TUNSETPERSIST it;
 * the TAP then stays on its bridge after the VM. When any of ours is still
 * there and persistent, this runs helper_sweep() once (the helper alone
 * may delete it, and removes only ours, and only when no process holds
 * it), then says which of ours went. teardown_confirm() then names what
 * is left.
 */
void teardown_sweep(const char *helper, const struct nic *nics,
		    size_t nnics);

#endif /* TAPGATE_TEARDOWN_H */
