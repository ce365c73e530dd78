#!/bin/bash
# test_launcher_guest.sh - a real QEMU guest, started through tapgate by an unprivileged user, reaches the bridge: one queue, two queues, and under -sandbox on,spawn=deny
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
make_bridge br0 "$GUEST_PEER/$GUEST_PREFIX"
write_acl 'allow br0'
guest_build
install -m 0755 "$ROOT/launcher/tapgate" "$WORK/bin/tapgate" ||
	bail "launcher/tapgate must be built (make)"
TAPGATE=$WORK/bin/tapgate

# boot LOG TAPGATE-OPTIONS... -- QEMU-ARGS...: as alice, run the tiny guest
# through the launcher (under a timeout, as guest_boot does); the launcher's
# and QEMU's output and the console in LOG; sets STATUS.
boot()
{
	local log=$1 opts=()

	shift
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	as_user alice timeout -k 5 "${TAPGATE_QEMU_TIMEOUT:-120}" \
		"$TAPGATE" --helper "$HELPER" "${opts[@]}" -- \
		qemu-system-x86_64 -accel tcg -m 256 -nographic -no-reboot \
		-kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD" \
		-append "console=ttyS0 quiet panic=-1 tapgate.addr=$GUEST_ADDR/$GUEST_PREFIX tapgate.peer=$GUEST_PEER" \
		"$@" < /dev/null > "$log" 2>&1
	STATUS=$?
}

queues_seen()
{
	sed -n 's/.*TAPGATE-GUEST-INFO: eth0 //p' "$1" | tr -d '\r'
}

# --- one queue ------------------------------------------------------------------
LOG=$WORK/one.log
boot "$LOG" -v -b br0 --
is "$STATUS" 0 "one queue: the launcher exits 0 when the guest powers off"
guest_passed "$LOG" "one queue: the guest pings the bridge's address"
like "$(cat "$LOG")" 'tapgate: TAP tap[0-9a-f]{8} on bridge br0, 1 queue' \
	"one queue: -v names the TAP and the bridge"
is "$(queues_seen "$LOG")" "rx_queues=1 tx_queues=1" "one queue: the guest sees one queue"
no_taps_left "one queue: no TAP left after QEMU exits"

# --- two queues -----------------------------------------------------------------
LOG=$WORK/two.log
boot "$LOG" -q 2 -b br0 -- -smp 2
is "$STATUS" 0 "two queues: the launcher exits 0"
guest_passed "$LOG" "two queues: the guest pings the bridge's address"
is "$(queues_seen "$LOG")" "rx_queues=2 tx_queues=2" \
	"two queues: the guest (-smp 2) uses two queue pairs"
no_taps_left "two queues: no TAP left after QEMU exits"

# --- QEMU that may not spawn processes --------------------------------------------
# The control: with spawn=deny, QEMU cannot run a helper itself.
LOG=$WORK/sandbox-bridge.log
guest_boot alice "$LOG" -sandbox on,spawn=deny \
	-netdev "bridge,id=n0,br=br0,helper=$HELPER" \
	-device virtio-net-pci,netdev=n0
isnt "$STATUS" 0 "spawn=deny: (control) -netdev bridge cannot start its helper"
no_taps_left "spawn=deny: (control) no TAP left"

LOG=$WORK/sandbox.log
boot "$LOG" -b br0 -- -sandbox on,spawn=deny
is "$STATUS" 0 "spawn=deny: through the launcher QEMU exits 0"
guest_passed "$LOG" "spawn=deny: the guest pings the bridge's address through the launcher's fd"
no_taps_left "spawn=deny: no TAP left after QEMU exits"

done_testing
