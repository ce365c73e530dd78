#!/bin/bash
# test_policy_macguard.sh - the macguard port option: a sealed port, locked and not learning before it is up, with exactly one static sticky FDB entry for --mac; every refusal (no --mac, multicast, universally administered, the bridge's own MAC, a learned MAC, another guarded port's) is one line, exit 1, nothing left
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh" || exit 1
. "$ROOT/tests/lib/sealed.sh"

install_helper setuid
tun_node 0666
make_bridge br0
# An address set explicitly, so that it never follows a port's.
BR_MAC=02:00:00:00:b0:00
ip link set br0 address "$BR_MAC"
write_acl 'allow br0 macguard'

# fdb_of PORT: the port's FDB entries on the bridge, but its own address
fdb_of()
{
	bridge fdb show br br0 brport "$1" | grep -v ' permanent' | grep ' master br0'
}

MAC=02:00:00:00:00:aa
run_as alice "$HELPER" --check
like "$OUT" "br0 +allowed by $ACL:1( \\(Linux bridge\\))?; port options: macguard \\(sealed\\)" \
	"--check shows macguard (sealed)"

getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=br0 --mac=$MAC
[ -n "$HOLD_PID" ] || bail "a macguard port is granted: status $STATUS: $ERR"
pass "a macguard port is granted"
PORT=$(port_of br0)
like "$PORT" '^tap[0-9a-f]{8}$' "the port is the sealed port's veth"
is "$(kv tap)" "$PORT" "the fd is the sealed TAP, named as its port"
is "$(tap_attr "$PORT" brport/locked 2> /dev/null || bridge -d link show dev "$PORT" | grep -o 'locked [a-z]*' | awk '{print ($2 == "on")}')" 1 \
	"the port is locked"
is "$(tap_attr "$PORT" brport/learning)" 0 "the port does not learn"
like "$(bridge -d link show dev "$PORT")" 'locked on' "bridge -d link: locked on"
like "$(bridge -d link show dev "$PORT")" 'learning off' "bridge -d link: learning off"
is "$(fdb_of "$PORT" | wc -l)" 1 "the port has exactly one FDB entry"
like "$(fdb_of "$PORT")" "^$MAC( .*)? master br0" "the entry is --mac's"
like "$(fdb_of "$PORT")" " static( |$)" "the entry is static"
like "$(fdb_of "$PORT")" " sticky( |$)" "the entry is sticky"
like "$(ip -o link show dev "$PORT")" '<[^>]*,UP[,>]' "the port is up"

# --- refusals ----------------------------------------------------------------------
# refused NAME ERE HELPER-ARGS...: one line, exit 1, nothing new left
refused()
{
	local name=$1 ere=$2

	shift 2
	getfd_run bob -- "$HELPER" --use-vnet --fd={fd} --br=br0 "$@"
	is_refusal "$name" "$ere"
	is "$(veths | grep -v "^$PORT\$" | wc -l)" 0 "$name: no veth left"
	is "$(bridge fdb show br br0 | grep -v ' permanent' | grep -c ' master br0')" \
		"$WANT_FDB" "$name: no FDB entry left"
}
WANT_FDB=1
refused "no --mac" "bridge 'br0' has the port option macguard \\($ACL:1\\), which locks the port to the guest's MAC, and no --mac=MAC was given"
refused "a multicast --mac" "invalid --mac '03:00:00:00:00:01': it is a multicast address" --mac=03:00:00:00:00:01
refused "a universally administered --mac" "invalid --mac '00:16:3e:00:00:01': it is universally administered" --mac=00:16:3e:00:00:01
refused "the bridge's own MAC" "bridge 'br0' already knows MAC $BR_MAC \\(on another port, learned, or as its own\\)" --mac=$BR_MAC
refused "the MAC another guarded port holds" "bridge 'br0' already knows MAC $MAC" --mac=$MAC
refused "the MAC of the guarded port's own veth" "bridge 'br0' already knows MAC $(tap_attr "$PORT" address)" --mac="$(tap_attr "$PORT" address)"

# A MAC the bridge learned on another port: a host in a namespace of its
# own behind a veth, which sends a frame.
ip netns add rt || bail "cannot make the host's namespace"
ip link add rtr0 type veth peer name rtr1 netns rt || bail "cannot make its veth"
ip link set rtr0 master br0 up
ip -n rt link set rtr1 address 02:00:00:00:0c:01 up
ip -n rt addr add 10.9.0.1/24 dev rtr1
ip addr add 10.9.0.2/24 dev br0
busybox ping -c 1 -W 1 10.9.0.1 > /dev/null 2>&1
like "$(bridge fdb show br br0 | grep '^02:00:00:00:0c:01')" 'dev rtr0 master br0' \
	"the bridge learned 02:00:00:00:0c:01 on another port"
WANT_FDB=2
refused "a MAC learned on another port" "bridge 'br0' already knows MAC 02:00:00:00:0c:01" --mac=02:00:00:00:0c:01
like "$(bridge fdb show br br0 | grep '^02:00:00:00:0c:01')" 'dev rtr0 master br0' \
	"the learned entry stays on its port (not moved)"

release
nothing_left "after the guarded port's fd closed"
is "$(bridge fdb show br br0 | grep -c "^$MAC")" 0 "its FDB entry went with it"

# A MAC that is free again can be taken by the next one.
getfd_hold bob -- "$HELPER" --use-vnet --fd={fd} --br=br0 --mac=$MAC
[ -n "$HOLD_PID" ] && pass "a freed MAC can be guarded again" ||
	fail "a freed MAC can be guarded again" "$ERR"
release
nothing_left "after the second port's fd closed"

# SIGKILL at random moments: no veth and no FDB entry left.
kill_in_flight 30 bob --use-vnet --fd={fd} --br=br0 --mac=02:00:00:00:00:bb
diag "$(grep -c '^signal=9$' "$WORK/kills") of 30 helpers killed in flight"
nothing_left "30 macguard requests, the helper SIGKILLed at random moments"
is "$(bridge fdb show br br0 | grep -c '^02:00:00:00:00:bb')" 0 \
	"30 macguard requests killed at random moments: no FDB entry left"

ip netns del rt
done_testing
