#!/bin/bash
# test_ovs_vlan.sh - the vlan=N port option on Open vSwitch: Port.tag from the most specific rule; ports with one tag reach each other, a port with another tag does not; vlan= on a Linux bridge is a load-time error at FILE:LINE
# shellcheck disable=SC2154 # TAP_x and PID_x are set by hold() through printf -v
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/ovs.sh"

install_helper setuid
ovs_start
ovs_bridge br-int
make_bridge br0

write_acl 'allow br-int vlan=10' 'allow br-int user=carol vlan=20' 'allow br-int user=dave'

# hold NAME USER: USER's TAP on br-int, held; sets TAP_<NAME>, PID_<NAME>.
hold()
{
	getfd_hold "$2" -- "$HELPER" --fd={fd} --br=br-int
	[ -n "$HOLD_PID" ] && [ -n "$(kv tap)" ] ||
		bail "$2 gets no TAP on br-int: $ERR"
	printf -v "TAP_$1" '%s' "$(kv tap)"
	printf -v "PID_$1" '%s' "$HOLD_PID"
	HOLD_PID=
}

hold a alice
hold b bob
hold c carol
is "$(vsctl get Port "$TAP_a" tag)" 10 "alice's port has tag 10 (allow br-int vlan=10)"
is "$(vsctl get Port "$TAP_b" tag)" 10 "bob's port has tag 10"
is "$(vsctl get Port "$TAP_c" tag)" 20 "carol's port has tag 20 (her user rule is more specific)"

wire_guest ga 10.0.0.1/24 "$PID_a" "$TAP_a"
wire_guest gb 10.0.0.2/24 "$PID_b" "$TAP_b"
wire_guest gc 10.0.0.3/24 "$PID_c" "$TAP_c"
like "$(replies ga 10.0.0.2)" '^[1-3]$' "tag 10 reaches tag 10: bob's guest answers alice's pings"
is "$(replies ga 10.0.0.3)" 0 "tag 10 does not reach tag 20: carol's guest answers none of alice's"
is "$(replies gc 10.0.0.1)" 0 "nor the other way"
like "$(replies gb 10.0.0.1)" '^[1-3]$' "and bob's still reaches alice's"

wire_stop
for p in "$PID_a" "$PID_b" "$PID_c"; do kill -TERM "$p"; wait "$p"; done
no_taps_left "no TAP left once released"

# --- load-time refusal on a Linux bridge ---------------------------------------------
write_acl 'allow br-int' 'allow br0 vlan=5'
run_as alice "$HELPER" --check
is "$STATUS" 1 "vlan= on Linux bridge br0: --check exits 1"
like "$OUT" "(^|$'\n')$ACL:2: vlan= is an Open vSwitch option, and 'br0' is a Linux bridge" \
	"--check names FILE:LINE"
getfd_run alice -- "$HELPER" --fd={fd} --br=br-int
is_refusal "and the whole ACL is invalid: even br-int is refused" \
	"$ACL:2: vlan= is an Open vSwitch option, and 'br0' is a Linux bridge"

# Under "all", the request on a Linux bridge is refused instead.
write_acl 'allow all vlan=5'
getfd_run alice -- "$HELPER" --fd={fd} --br=br0
is_refusal "allow all vlan=5, a request on Linux bridge br0" \
	"vlan=5 \($ACL:1\) is an Open vSwitch option, and 'br0' is a Linux bridge"

done_testing
