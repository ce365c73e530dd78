#!/bin/bash
# test_ovs_hostile_db.sh - what the helper accepts from OVSDB is bounded: a server that sends non-JSON, an endless string, deep nesting, an error, a reply to another id, nothing, or hangs up gets one clear line, no TAP and no hang
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/ovs.sh"

install_helper setuid
write_acl 'allow br-int'
mkdir -p /run/openvswitch || bail "mkdir /run/openvswitch"

# hostile MODE ERE: a fake OVSDB that answers the MODE way; the request
# for "br-int" (no such interface here) is refused with a line matching ERE.
hostile()
{
	local mode=$1 ere=$2 pid

	rm -f "$OVS_SOCK"
	"$B/tests/tools/fakeovsdb" "$OVS_SOCK" "$mode" > "$WORK/fake.out" &
	pid=$!
	for _ in $(seq 100); do
		grep -qx ready "$WORK/fake.out" && break
		sleep 0.05
	done
	getfd_run alice -- "$HELPER" --fd={fd} --br=br-int
	is_refusal "OVSDB sends $mode" "cannot ask Open vSwitch about bridge 'br-int': $ere"
	kill -TERM "$pid"
	wait "$pid" 2> /dev/null
}

hostile garbage "Protocol error \(the server sent something that is not JSON-RPC\)"
hostile huge "Message too long"
hostile deep "Protocol error"
hostile error "Input/output error \(boom\)"
hostile close "Connection reset by peer"
# Each of these costs the 5 s bound on a round trip.
hostile silent "Connection timed out"
hostile wrongid "Connection timed out"

done_testing
