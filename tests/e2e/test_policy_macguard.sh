#!/bin/bash
# test_policy_macguard.sh - real guests on a macguard bridge, started by tapgate: the guest reaches the bridge from its own MAC, not after it changes its MAC inside (a sealed port without the guard is the control), and a second guest claiming the first one's MAC is refused before QEMU starts
. "$(dirname "$0")/../lib/lib.sh" || exit 1

install_helper setuid
tun_node 0666
make_bridge br0 "$GUEST_PEER/$GUEST_PREFIX"
ip link set br0 address 02:00:00:00:b0:00
guest_build
install -m 0755 "$ROOT/launcher/tapgate" "$WORK/bin/tapgate" ||
	bail "launcher/tapgate must be built (make)"
TAPGATE=$WORK/bin/tapgate
NEWMAC=02:00:00:00:99:99

# boot LOG APPEND TAPGATE-OPTIONS...: as alice, the tiny guest through the
# launcher, its kernel command line extended by APPEND; sets STATUS.
boot()
{
	local log=$1 append=$2

	shift 2
	as_user alice timeout -k 5 "${TAPGATE_QEMU_TIMEOUT:-120}" \
		"$TAPGATE" --helper "$HELPER" "$@" -- \
		qemu-system-x86_64 -accel tcg -m 256 -nographic -no-reboot \
		-kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD" \
		-append "console=ttyS0 quiet panic=-1 tapgate.addr=$GUEST_ADDR/$GUEST_PREFIX tapgate.peer=$GUEST_PEER $append" \
		< /dev/null > "$log" 2>&1
	STATUS=$?
}
result() { sed -n 's/.*TAPGATE-GUEST: //p' "$1" | tr -d '\r'; }

# --- the guest's own MAC passes, another does not -------------------------------------
write_acl 'allow br0 macguard'
LOG=$WORK/guard.log
boot "$LOG" "tapgate.role=probe tapgate.probe=$GUEST_PEER tapgate.newmac=$NEWMAC tapgate.tries=8" \
	-v --name vm1 -b br0
is "$STATUS" 0 "macguard: the launcher exits 0 when the guest powers off" ||
	diag "$(tail -n 20 "$LOG")"
like "$(result "$LOG")" "^PASS eth0 $GUEST_ADDR/$GUEST_PREFIX reached $GUEST_PEER;" \
	"macguard: the guest reaches the bridge from its own MAC"
like "$(tr -d '\r' < "$LOG")" "eth0 now has MAC $NEWMAC" "macguard: the guest changed its MAC inside"
like "$(result "$LOG")" "; $GUEST_PEER: unreachable\$" \
	"macguard: after changing its MAC inside, the guest no longer reaches the bridge"
like "$(cat "$LOG")" 'tapgate: TAP tap[0-9a-f]{8} on bridge br0' \
	"macguard: -v names the sealed port's veth"
MAC1=$(sed -n 's/.*guest MAC \([0-9a-f:]*\).*/\1/p' "$LOG" | head -1)
like "$MAC1" '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$' "macguard: -v names the guest's MAC"

# The control: the same on a sealed port without the guard still reaches.
write_acl 'allow br0 sealed'
LOG=$WORK/sealed.log
boot "$LOG" "tapgate.role=probe tapgate.probe=$GUEST_PEER tapgate.newmac=$NEWMAC tapgate.tries=8" \
	--name vm1 -b br0
like "$(result "$LOG")" "; $GUEST_PEER: reached\$" \
	"control: on a sealed port without macguard, the changed MAC still reaches the bridge" ||
	diag "$(tail -n 20 "$LOG")"

# --- a second guest with the first one's MAC is refused before QEMU starts ----------------
write_acl 'allow br0 macguard'
LOG1=$WORK/first.log
user_cmd alice timeout -k 5 "${TAPGATE_QEMU_TIMEOUT:-120}" \
	"$TAPGATE" --helper "$HELPER" --name vm1 -b br0 -- \
	qemu-system-x86_64 -accel tcg -m 256 -nographic -no-reboot \
	-kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD" \
	-append "console=ttyS0 quiet panic=-1 tapgate.addr=$GUEST_ADDR/$GUEST_PREFIX tapgate.peer=$GUEST_PEER tapgate.role=idle"
"${USER_CMD[@]}" < /dev/null > "$LOG1" 2>&1 &
FIRST=$!
for _ in $(seq 1200); do
	grep -q 'TAPGATE-GUEST: ' "$LOG1" && break
	kill -0 "$FIRST" 2> /dev/null || break
	sleep 0.1
done
like "$(result "$LOG1")" '^UP ' "the first guest is up on the macguard bridge" ||
	diag "$(tail -n 20 "$LOG1")"

LOG2=$WORK/second.log
boot "$LOG2" "" -m "$MAC1" -b br0
is "$STATUS" 1 "a second guest claiming the first one's MAC: the launcher exits 1"
is "$(tr -d '\r' < "$LOG2")" \
	"tapgate-helper: bridge 'br0' already knows MAC $MAC1 (on another port, learned, or as its own), so a macguard port cannot take it: give this VM a MAC of its own" \
	"a second guest claiming the first one's MAC: the helper's one line, and nothing from QEMU (it never started)"

kill -TERM "$FIRST" 2> /dev/null
wait "$FIRST"
for _ in $(seq 100); do
	[ -z "$(ip -o link show type veth)" ] && break
	sleep 0.05
done
is "$(ip -o link show type veth | wc -l)" 0 "no veth left once the guests are gone"
no_taps_left "no TAP left once the guests are gone"

done_testing
