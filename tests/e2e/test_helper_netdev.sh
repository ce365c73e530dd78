#!/bin/bash
# test_helper_netdev.sh - a real QEMU guest, run by an unprivileged user, reaches the bridge through tapgate-helper in both of QEMU's forms: -netdev bridge,helper= and -netdev tap,helper="… --br=BR" (/bin/sh -c)
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
make_bridge br0 "$GUEST_PEER/$GUEST_PREFIX"
write_acl 'allow br0'
guest_build

# boot_through NAME NETDEV: boot the guest as alice with -netdev NETDEV.
boot_through()
{
	local log=$WORK/console-${1%%,*}.log

	guest_boot alice "$log" -netdev "$2" -device virtio-net-pci,netdev=n0
	is "$STATUS" 0 "$1: QEMU exits 0 once the guest powers off"
	guest_passed "$log" "$1: the guest pings the bridge's address"
	no_taps_left "$1: no TAP is left after QEMU exits"
}

# QEMU runs PATH --use-vnet --fd=N --br=br0 itself (execv, no shell).
boot_through "-netdev bridge" "bridge,id=n0,br=br0,helper=$HELPER"

# The helper string holds a space, so QEMU runs
# /bin/sh -c "PATH --br=br0 --use-vnet --fd=N".
boot_through "-netdev tap,helper=" "tap,id=n0,helper=$HELPER --br=br0"

done_testing
