#!/bin/bash
# test_policy_isolation.sh - two real guests on one bridge reach each other on plain ports, cannot on isolated ports (allow br0 isolated), and reach the bridge's own address either way
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
BRIDGE_ADDR=192.0.2.1
GO_ADDR=192.0.2.254
A_ADDR=192.0.2.2
B_ADDR=192.0.2.3
make_bridge br0 "$BRIDGE_ADDR/24"
guest_build

# start_guest LOG MAC ARGS: boot the tiny guest as alice in the background,
# on br0 through -netdev bridge,helper=tapgate-helper, with the kernel
# command-line words ARGS; sets GUEST_PID.
start_guest()
{
	user_cmd alice timeout -k 5 "${TAPGATE_QEMU_TIMEOUT:-120}" \
		qemu-system-x86_64 -accel tcg -m 256 -nographic -no-reboot \
		-kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD" \
		-append "console=ttyS0 quiet panic=-1 $3" \
		-netdev "bridge,id=n0,br=br0,helper=$HELPER" \
		-device "virtio-net-pci,netdev=n0,mac=$2"
	"${USER_CMD[@]}" < /dev/null > "$1" 2>&1 &
	GUEST_PID=$!
}

# marker LOG: the guest's TAPGATE-GUEST line, without the console's CR.
marker()
{
	tr -d '\r' < "$1" | grep -a '^TAPGATE-GUEST: ' | head -n 1
}

# isolation_flags: the isolation flag of each TAP on br0, sorted.
isolation_flags()
{
	local t

	for t in $(tap_names); do
		tap_attr "$t" brport/isolated
	done | sort | paste -sd ' ' -
}

# scenario NAME ACL-LINE FLAGS PROBE: guest B (idle) and guest A (probe)
# boot together; once B is up, the host adds GO_ADDR to br0, A pings B and
# reports. FLAGS: both ports' isolation flags as sysfs shows them ("0 0" or
# "1 1"); PROBE: what A says of B ("reached" or "unreachable").
scenario()
{
	local name=$1 flags=$3 probe=$4 a_log=$WORK/$1-a.log b_log=$WORK/$1-b.log
	local a_pid b_pid t

	write_acl "$2"
	ip addr del "$GO_ADDR/24" dev br0 2> /dev/null
	start_guest "$b_log" 52:54:00:74:67:0b \
		"tapgate.addr=$B_ADDR/24 tapgate.peer=$BRIDGE_ADDR tapgate.role=idle"
	b_pid=$GUEST_PID
	start_guest "$a_log" 52:54:00:74:67:0a \
		"tapgate.addr=$A_ADDR/24 tapgate.peer=$BRIDGE_ADDR tapgate.role=probe tapgate.go=$GO_ADDR tapgate.probe=$B_ADDR tapgate.tries=5"
	a_pid=$GUEST_PID

	# B is up once it has reached the bridge (a bound, not a timing).
	for t in $(seq 3000); do
		[ -n "$(marker "$b_log")" ] && break
		kill -0 "$b_pid" 2> /dev/null || break
		sleep 0.05
	done
	is "$(marker "$b_log")" \
		"TAPGATE-GUEST: UP eth0 $B_ADDR/24 reached $BRIDGE_ADDR" \
		"$name: guest B reaches the bridge's own address" ||
		diag "$(tail -n 20 "$b_log")"
	is "$(isolation_flags)" "$flags" \
		"$name: both guests' ports have isolation $flags"

	ip addr add "$GO_ADDR/24" dev br0 || bail "cannot add $GO_ADDR to br0"
	wait "$a_pid"
	is "$?" 0 "$name: guest A's QEMU exits 0 once the guest powers off"
	is "$(marker "$a_log")" \
		"TAPGATE-GUEST: PASS eth0 $A_ADDR/24 reached $BRIDGE_ADDR; $B_ADDR: $probe" \
		"$name: guest A reaches the bridge's own address, and guest B is $probe" ||
		diag "$(tail -n 20 "$a_log")"

	kill -TERM "$b_pid" 2> /dev/null
	wait "$b_pid"
	no_taps_left "$name: no TAP left once both QEMUs have ended"
}

scenario plain 'allow br0' "0 0" reached
scenario isolated 'allow br0 isolated' "1 1" unreachable

done_testing
