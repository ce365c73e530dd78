#!/bin/bash
# test_ovn_two_hosts.sh - OVN across two hosts: each user's VM, started by tapgate --iface-id on its own host, pings the other's over Geneve; OVN reports each port up while it runs and down once its launcher exited; no tapgate rows left
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/ovs.sh"

install_helper setuid
install -m 0755 "$ROOT/launcher/tapgate" "$WORK/bin/tapgate" ||
	bail "launcher/tapgate must be built (make)"
TAPGATE=$WORK/bin/tapgate
guest_build
write_acl 'allow br-int iface-id=%u-*'

# Two hosts: h1 is this namespace, h2 one of its own; the underlay joins
# them; one OVN central; an ovn-controller on each.
ovs_start
ovs_host2
underlay
ovn_central
ovn_chassis h1 172.16.0.1
ovn_chassis h2 172.16.0.2
like "$(replies h2 172.16.0.1)" '^[1-3]$' "the underlay works (h2 pings h1's br-phy)"

A_MAC=02:00:00:00:0a:01
B_MAC=02:00:00:00:0b:02
nbctl ls-add ls0 &&
nbctl lsp-add ls0 alice-vm -- lsp-set-addresses alice-vm "$A_MAC 10.0.0.1" &&
nbctl lsp-add ls0 bob-vm -- lsp-set-addresses bob-vm "$B_MAC 10.0.0.2" ||
	bail "cannot create the logical switch and its ports"

# vm HOST USER ID MAC ADDR PEER LOG: USER's guest on HOST, through tapgate
# --iface-id ID, in the background; it pings PEER until it answers, says
# "UP", and stays up. Sets VM_PID (the timeout wrapping the launcher).
vm()
{
	local host=$1 user=$2 id=$3 mac=$4 addr=$5 peer=$6 log=$7

	user_cmd "$user" timeout -k 5 "${TAPGATE_QEMU_TIMEOUT:-180}" \
		"$TAPGATE" --helper "$HELPER" -v -b br-int --iface-id "$id" \
		-m "$mac" -- qemu-system-x86_64 -accel tcg -m 256 -nographic \
		-no-reboot -kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD" \
		-append "console=ttyS0 quiet panic=-1 tapgate.addr=$addr/24 tapgate.peer=$peer tapgate.role=idle"
	on_exec "$host" "${USER_CMD[@]}" < /dev/null > "$log" 2>&1 &
	VM_PID=$!
}

A_LOG=$WORK/alice.log
B_LOG=$WORK/bob.log
vm h1 alice alice-vm "$A_MAC" 10.0.0.1 10.0.0.2 "$A_LOG"
A_PID=$VM_PID
vm h2 bob bob-vm "$B_MAC" 10.0.0.2 10.0.0.1 "$B_LOG"
B_PID=$VM_PID

# Not a timed assertion: a bound on waiting for two TCG guests to boot.
for _ in $(seq 360); do
	grep -q 'TAPGATE-GUEST: UP' "$A_LOG" && grep -q 'TAPGATE-GUEST: UP' "$B_LOG" &&
		break
	kill -0 "$A_PID" 2> /dev/null && kill -0 "$B_PID" 2> /dev/null || break
	sleep 0.5
done
ok "alice's VM on h1 reaches bob's on h2 across the Geneve tunnel" \
	grep -q 'TAPGATE-GUEST: UP eth0 10.0.0.1/24 reached 10.0.0.2' "$A_LOG"
ok "bob's VM on h2 reaches alice's on h1" \
	grep -q 'TAPGATE-GUEST: UP eth0 10.0.0.2/24 reached 10.0.0.1' "$B_LOG"
if ! grep -q 'TAPGATE-GUEST: UP' "$A_LOG" || ! grep -q 'TAPGATE-GUEST: UP' "$B_LOG"; then
	diag "alice's console:" "$(tail -n 15 "$A_LOG")" "bob's console:" "$(tail -n 15 "$B_LOG")"
	ovs_logs
fi
like "$(cat "$A_LOG")" "tapgate: TAP tap[0-9a-f]+ on bridge br-int, 1 queue, guest MAC $A_MAC, OVN port alice-vm" \
	"-v says which OVN port alice's TAP was bound to"
A_TAP=$(sed -n 's/^tapgate: TAP \(tap[0-9a-f]*\) on bridge br-int.*/\1/p' "$A_LOG")
is "$(ovs_ext Interface "$A_TAP" iface-id)" alice-vm "alice's Interface carries iface-id=alice-vm"
is "$(ovs_ext Interface "$A_TAP" attached-mac)" "$A_MAC" "and attached-mac, the guest's MAC the launcher passed as --mac"
is "$(nbctl lsp-get-up alice-vm)" up "OVN reports alice-vm up while her VM runs"
is "$(nbctl lsp-get-up bob-vm)" up "OVN reports bob-vm up while his VM runs"

# The users stop their VMs: SIGTERM reaches the launcher (through
# timeout), which passes it on to QEMU, then releases the rows.
kill -TERM "$A_PID" "$B_PID"
wait "$A_PID"
wait "$B_PID"
like "$(cat "$A_LOG")" "tapgate: released $A_TAP on bridge br-int" \
	"alice's launcher released her port's rows when QEMU ended"
like "$(cat "$B_LOG")" "tapgate: released tap[0-9a-f]+ on bridge br-int" \
	"bob's launcher released his"
is "$(ovs_port_rows)" "0 0" "no tapgate rows left on h1"
is "$(vsctl_on h2 --bare --columns=name find Interface external_ids:tapgate-made-by=tapgate-helper)" "" \
	"no tapgate rows left on h2"
# Not a timed assertion: a bound on waiting for OVN to notice.
for _ in $(seq 100); do
	[ "$(nbctl lsp-get-up alice-vm)$(nbctl lsp-get-up bob-vm)" = downdown ] && break
	sleep 0.1
done
is "$(nbctl lsp-get-up alice-vm)" down "OVN reports alice-vm down after her launcher exited"
is "$(nbctl lsp-get-up bob-vm)" down "OVN reports bob-vm down after his"
no_taps_left

done_testing
