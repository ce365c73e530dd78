#!/bin/bash
# test_helper_mac.sh - the helper's --mac: validated on every request (unicast, locally administered, well formed), and on a port without macguard it changes nothing else
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh" || exit 1

install_helper setuid
make_bridge br0
write_acl 'allow br0'

refused()
{
	local mac=$1 why=$2

	getfd_run alice -- "$HELPER" --use-vnet --fd={fd} --br=br0 --mac="$mac"
	is_refusal "--mac=$mac" "invalid --mac '$mac': it $why"
}

refused 03:00:00:00:00:01 "is a multicast address"
refused ff:ff:ff:ff:ff:ff "is a multicast address"
refused 00:16:3e:12:34:56 "is universally administered"
refused 00:00:00:00:00:00 "is all zeros"
refused 02:00:00:00:00 "is not of the form xx:xx:xx:xx:xx:xx"
refused 02:00:00:00:00:0g "is not of the form xx:xx:xx:xx:xx:xx"
refused "" "is not of the form xx:xx:xx:xx:xx:xx"

getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=br0 --mac=02:00:00:aa:bb:cc
TAP=$(kv tap)
if [ -n "$HOLD_PID" ] && [ -n "$TAP" ]; then
	pass "a valid --mac on a plain port is granted"
	like "$(tap_attr "$TAP" address)" '^fe:' \
		"a plain port keeps the helper's 0xfe MAC on the TAP (--mac is the guest's)"
	is "$(bridge fdb show br br0 | grep -c 02:00:00:aa:bb:cc)" 0 \
		"a plain port gets no FDB entry for --mac"
	is "$(tap_attr "$TAP" brport/learning)" 1 "a plain port still learns"
else
	fail "a valid --mac on a plain port is granted" "status $STATUS" "$ERR"
fi
release
no_taps_left

done_testing
