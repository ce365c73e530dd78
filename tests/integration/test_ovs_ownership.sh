#!/bin/bash
# test_ovs_ownership.sh - Open vSwitch rows and who may touch them: stale rows removed on --release and before the next request, never while the TAP lives, never another user's live port (CVE-2026-39402), never a row tapgate did not make; iface-id inside and outside the pattern, for two users; an id a live port holds is refused
# shellcheck disable=SC2154 # the *_tap and *_pid variables are set by hold() through printf -v
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/ovs.sh"

install_helper setuid
start_syslog
ovs_start
ovs_bridge br-int
make_bridge br0
write_acl 'allow br-int iface-id=%u-*' 'allow br0' 'allow br-plain'
ovs_bridge br-plain

# hold VAR USER ARGS...: USER's TAP, held; VAR_tap and VAR_pid are set.
hold()
{
	local var=$1 user=$2

	shift 2
	getfd_hold "$user" -- "$HELPER" --fd={fd} "$@"
	if [ -z "$HOLD_PID" ] || [ -z "$(kv tap)" ]; then
		fail "$user gets a TAP ($*)" "status $STATUS" "$ERR"
		ovs_logs
		bail "no TAP for $user"
	fi
	printf -v "${var}_tap" '%s' "$(kv tap)"
	printf -v "${var}_pid" '%s' "$HOLD_PID"
	HOLD_PID=
}

# let_go VAR: close the held TAP (it disappears; its rows stay).
let_go()
{
	local pid=${1}_pid

	kill -TERM "${!pid}" && wait "${!pid}"
}

rows_of() { vsctl --bare --columns=_uuid find Interface "name=$1"; }

# refused NAME ERE TAP...: the last run was refused with one line matching
# ERE, and the TAPs now are exactly TAP... (those held before it).
refused()
{
	local name=$1 ere=$2 want got

	shift 2
	is "$STATUS" 1 "$name: exit status 1"
	is "$(grep -c '' "$ERR_FILE")" 1 "$name: exactly one line on stderr"
	like "$ERR" "^$HELPER_NAME: .*($ere)" "$name: the line says why"
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	got=$(tap_names | sort | tr '\n' ' ')
	is "$got" "$want" "$name: no TAP left but those held before"
}

# --- iface-id: the pattern, two users ------------------------------------------------
hold a alice --br=br-int --iface-id=alice-web
pass "alice may bind alice-web (iface-id=%u-*)"
syslog_sync
like "$(cat "$SYSLOG")" "grant uid=4001 ppid=[0-9]+ bridge='br-int' tap=$a_tap: queues=1 ovs iface-id=alice-web" \
	"the grant is logged with the OVS port and its iface-id"
is "$(ovs_ext Interface "$a_tap" iface-id)" alice-web "Interface external_ids:iface-id=alice-web"
a_ofport=$(vsctl get Interface "$a_tap" ofport)

getfd_run bob -- "$HELPER" --fd={fd} --br=br-int --iface-id=alice-web
refused "bob may not bind alice-web (outside his pattern)" \
	"--iface-id=alice-web does not match iface-id=%u-\* \($ACL:1\) for user bob" "$a_tap"
hold b bob --br=br-int --iface-id=bob-db
pass "bob may bind bob-db"

getfd_run alice -- "$HELPER" --fd={fd} --br=br-int --iface-id=alice-web
refused "an iface-id a live port holds is refused" \
	"iface-id 'alice-web' is already bound to another port" "$a_tap" "$b_tap"
is "$(ovs_ext Interface "$a_tap" iface-id).$(vsctl get Interface "$a_tap" ofport)" \
	"alice-web.$a_ofport" "and alice's port is left as it was"

# An Interface the admin made holds an id too.
vsctl add-port br-int adm0 -- set Interface adm0 type=internal \
	external_ids:iface-id=alice-admin || bail "cannot add adm0"
getfd_run alice -- "$HELPER" --fd={fd} --br=br-int --iface-id=alice-admin
refused "an iface-id a port tapgate did not make holds is refused" \
	"iface-id 'alice-admin' is already bound to another port" "$a_tap" "$b_tap"

getfd_run alice -- "$HELPER" --fd={fd} --br=br-plain --iface-id=alice-x
refused "no iface-id= pattern on the rule: no --iface-id" \
	"--iface-id=alice-x is not allowed: the rule at $ACL:3 that allows bridge 'br-plain' has no iface-id= pattern" "$a_tap" "$b_tap"
getfd_run alice -- "$HELPER" --fd={fd} --br=br0 --iface-id=alice-x
refused "--iface-id on a Linux bridge" \
	"no iface-id= pattern|--iface-id is for Open vSwitch bridges" "$a_tap" "$b_tap"
getfd_run alice -- "$HELPER" --fd={fd} --br=br-int '--iface-id=alice web'
refused "an iface-id with a space is refused" "invalid --iface-id" "$a_tap" "$b_tap"

# Four requests for one id at once: the check is inside the inserting
# transaction, so exactly one wins.
race=()
for k in 1 2 3 4; do
	user_cmd alice "$GETFD" --hold 60 -- "$HELPER" --fd={fd} --br=br-int --iface-id=alice-race
	"${USER_CMD[@]}" > "$WORK/race$k.out" 2> "$WORK/race$k.err" < /dev/null &
	race+=("$!")
done
# Not a timed assertion: a bound on waiting for four helpers.
for _ in $(seq 200); do
	[ "$(grep -lx end "$WORK"/race?.out 2> /dev/null | grep -c .)" = 4 ] && break
	sleep 0.05
done
is "$(grep -lx exit=0 "$WORK"/race?.out | grep -c .)" 1 "four requests for one iface-id at once: one is granted"
is "$(grep -l "iface-id 'alice-race' is already bound to another port" "$WORK"/race?.err | grep -c .)" 3 \
	"the three others are refused, saying why"
is "$(vsctl --bare --columns=name find Interface external_ids:iface-id=alice-race | grep -c .)" 1 \
	"one Interface holds the id"
for p in "${race[@]}"; do
	kill -TERM "$p" 2> /dev/null
	wait "$p" 2> /dev/null
done

# Four requests at once on a bridge with dead rows: each sweeps, and one
# of them removes a row first; the others' removals, which re-check each
# row, must then read the bridge again, not fail.
for k in 1 2 3; do
	hold "d$k" carol --br=br-int
	let_go "d$k"
done
race=()
for k in 1 2 3 4; do
	user_cmd carol "$GETFD" --hold 60 -- "$HELPER" --fd={fd} --br=br-int
	"${USER_CMD[@]}" > "$WORK/sweep$k.out" 2> "$WORK/sweep$k.err" < /dev/null &
	race+=("$!")
done
# Not a timed assertion: a bound on waiting for four helpers.
for _ in $(seq 200); do
	[ "$(grep -lx end "$WORK"/sweep?.out 2> /dev/null | grep -c .)" = 4 ] && break
	sleep 0.05
done
is "$(grep -lx exit=0 "$WORK"/sweep?.out | grep -c .)" 4 \
	"four requests at once, each sweeping the same dead rows: all four are granted"
[ "$(grep -lx exit=0 "$WORK"/sweep?.out | grep -c .)" = 4 ] || diag "$(cat "$WORK"/sweep?.err)"
for k in 1 2 3; do
	dk=d${k}_tap
	is "$(rows_of "${!dk}")" "" "and carol's dead row $k is gone"
done
for p in "${race[@]}"; do
	kill -TERM "$p" 2> /dev/null
	wait "$p" 2> /dev/null
done

# --- another user's live port is never touched (CVE-2026-39402) ----------------------
run_as bob "$HELPER" --release="$a_tap" --br=br-int
is "$STATUS.$ERR" "1.$HELPER_NAME: $a_tap on Open vSwitch bridge 'br-int' is not yours" \
	"bob's --release of alice's TAP is refused"
run_as alice "$HELPER" --release="$a_tap" --br=br-int
is "$STATUS.$ERR" "1.$HELPER_NAME: $a_tap on Open vSwitch bridge 'br-int' is still in use: it is released once its TAP is gone" \
	"alice's own --release is refused while her TAP lives"
hold c carol --br=br-int
is "$(rows_of "$a_tap" | grep -c .).$(vsctl get Interface "$a_tap" ofport)" "1.$a_ofport" \
	"carol's request swept the bridge and left alice's live port alone"
let_go c

# --- stale rows ---------------------------------------------------------------------
let_go a
isnt "$(rows_of "$a_tap")" "" "alice's TAP is gone, its rows stay (until released)"
run_as bob "$HELPER" --release="$a_tap" --br=br-int
is "$STATUS" 1 "bob still may not release alice's dead rows"
run_as alice "$HELPER" --release="$a_tap" --br=br-int
is "$STATUS.$ERR" "0." "alice releases them"
syslog_sync
like "$(cat "$SYSLOG")" "release uid=4001 ppid=[0-9]+ bridge='br-int' tap=$a_tap: removed the Open vSwitch rows of a TAP that is gone" \
	"the release is logged"
is "$(rows_of "$a_tap")" "" "and they are gone"
run_as alice "$HELPER" --release="$a_tap" --br=br-int
is "$STATUS.$ERR" "0." "releasing again is success"

let_go b
isnt "$(rows_of "$b_tap")" "" "bob's TAP is gone, its rows stay"
# Rows that look like tapgate's, and are not ours to judge or not ours.
vsctl add-port br-int ghost0 -- set Interface ghost0 type=internal || bail ghost0
vsctl -- add-port br-int fake0 -- set Interface fake0 type=internal \
	-- set Port fake0 external_ids:tapgate-made-by=tapgate-helper \
	external_ids:tapgate-ifindex=99999 'external_ids:tapgate-netns="net:[1]"' ||
	bail fake0
vsctl del-port br-int adm0
hold a alice --br=br-int --iface-id=alice-web
is "$(rows_of "$b_tap")" "" "the next request removed bob's dead rows first"
is "$(ovs_ext Interface "$a_tap" iface-id)" alice-web "and alice-web, free again, is bound anew"
isnt "$(rows_of ghost0)" "" "a row tapgate did not make stays"
isnt "$(rows_of fake0)" "" "a tapgate row of another network namespace stays"
ok "ovs-vswitchd gave the new port an ofport" test "$(vsctl get Interface "$a_tap" ofport)" -gt 0

# A new port right after dead rows went: the helper waited for
# ovs-vswitchd to apply the removal before adding (a row of the same name
# deleted and re-added before ovs-vswitchd looks keeps the dead netdev, and
# traffic is lost silently; TAP names are random, so the name itself rarely
# comes back). A guest stand-in on the new TAP pings an internal port.
let_go a
isnt "$(rows_of "$a_tap")" "" "alice's TAP is gone again, its rows stay"
old=$a_tap
hold a alice --br=br-int
is "$(rows_of "$old")" "" "the next request removed them first"
vsctl add-port br-int int0 -- set Interface int0 type=internal || bail int0
ip addr add 10.0.1.1/24 dev int0 && ip link set int0 up || bail "int0 address"
wire_guest ga 10.0.1.2/24 "$a_pid" "$a_tap"
like "$(replies ga 10.0.1.1)" '^[1-3]$' "traffic flows through the new TAP"
wire_stop
let_go a

# --- Linux bridges are untouched by all this ------------------------------------------
hold l alice --br=br0
is "$(basename "$(readlink "/sys/class/net/$l_tap/master")")" br0 "Linux bridge br0 still works"
let_go l
no_taps_left

done_testing
