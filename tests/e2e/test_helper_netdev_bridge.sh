#!/bin/bash
# test_helper_netdev_bridge.sh - a real QEMU guest reaches the bridge through -netdev bridge,helper=tapgate-helper, run by an unprivileged user
. "$(dirname "$0")/../lib.sh"

install_helper setuid
make_bridge br0 "$GUEST_PEER/$GUEST_PREFIX"
write_acl 'allow br0'
guest_build

# QEMU runs PATH --use-vnet --fd=N --br=br0 itself (execv, no shell).
LOG=$WORK/console.log
guest_boot alice "$LOG" \
	-netdev "bridge,id=n0,br=br0,helper=$HELPER" \
	-device virtio-net-pci,netdev=n0
is "$STATUS" 0 "-netdev bridge: QEMU exits 0 once the guest powers off"
guest_passed "$LOG" "-netdev bridge: the guest pings the bridge's address"
no_taps_left "-netdev bridge: no TAP is left after QEMU exits"

done_testing
