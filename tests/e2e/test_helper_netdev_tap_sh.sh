#!/bin/bash
# test_helper_netdev_tap_sh.sh - a real QEMU guest reaches the bridge through -netdev tap,helper="tapgate-helper --br=BR" (QEMU's /bin/sh -c form)
. "$(dirname "$0")/../lib.sh"

install_helper setuid
make_bridge br0 "$GUEST_PEER/$GUEST_PREFIX"
write_acl 'allow br0'
guest_build

# The helper string holds a space, so QEMU runs
# /bin/sh -c "PATH --br=br0 --use-vnet --fd=N ".
LOG=$WORK/console.log
guest_boot alice "$LOG" \
	-netdev "tap,id=n0,helper=$HELPER --br=br0" \
	-device virtio-net-pci,netdev=n0
is "$STATUS" 0 "-netdev tap,helper=: QEMU exits 0 once the guest powers off"
guest_passed "$LOG" "-netdev tap,helper=: the guest pings the bridge's address"
no_taps_left "-netdev tap,helper=: no TAP is left after QEMU exits"

done_testing
