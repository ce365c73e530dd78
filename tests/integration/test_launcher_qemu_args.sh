#!/bin/bash
# test_launcher_qemu_args.sh - what tapgate adds to QEMU's command line, and that QEMU inherits only the TAP fds
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
make_bridge br0
make_bridge lab1
write_acl 'allow br0' 'allow lab1'
. "$ROOT/tests/lib/launcher.sh"
install_launcher
MAC_RE='[0-9a-f]{2}(:[0-9a-f]{2}){5}'

stop()
{
	kill -TERM "$LPID" 2> /dev/null
	wait "$LPID"
	STATUS=$?
	ERR=$(cat "$WORK/bg.err")
}

# The first byte of a MAC: locally administered (0x02 set), unicast (0x01
# clear).
# shellcheck disable=SC2317 # called through ok
is_local_unicast()
{
	local b=$((16#${1:0:2}))

	[ $((b & 3)) = 2 ]
}

# --- one NIC ---------------------------------------------------------------
launch -- -b br0 -- "$FQ" -m 1G
is "$STATUS" 0 "one NIC: the launcher exits with QEMU's status 0"
is "$ERR" "" "one NIC: nothing on stderr without -v"
is "$(kv argc "$REP")" 7 "one NIC: QEMU gets its 3 words plus 4"
is "$(kv argv1 "$REP") $(kv argv2 "$REP")" "-m 1G" \
	"one NIC: the user's arguments come first, unchanged"
is "$(kv argv3 "$REP")" -netdev "one NIC: then -netdev"
is "$(kv argv4 "$REP")" tap,id=tapgate0,fd=3 "one NIC: tap,id=tapgate0,fd=3"
is "$(kv argv5 "$REP")" -device "one NIC: then -device"
DEV=$(kv argv6 "$REP")
like "$DEV" "^virtio-net-pci,netdev=tapgate0,mac=$MAC_RE\$" \
	"one NIC: virtio-net-pci,netdev=tapgate0,mac=MAC"
MAC=${DEV##*mac=}
ok "one NIC: the default MAC is locally administered and unicast" \
	is_local_unicast "$MAC"
is "$(kv fds "$REP")" 3 "one NIC: QEMU inherits fd 3 and no other fd above 2"
like "$(kv fd3 "$REP")" '^tap tap[0-9a-f]{8} .*vnet_hdr=1 multi_queue=0$' \
	"one NIC: fd 3 is a single-queue TAP with IFF_VNET_HDR"
is "$(kv pdeathsig "$REP")" 9 "one NIC: QEMU dies by SIGKILL with the launcher (PR_SET_PDEATHSIG)"
is "$(kv sigblocked "$REP")" 0 "one NIC: QEMU starts with no signal blocked"
no_taps_left "one NIC: no TAP left after QEMU ended"

launch -- -b br0 -- "$FQ"
MAC2=$(kv argv4 "$REP" | sed 's/.*mac=//')
isnt "$MAC2" "$MAC" "a second run draws another MAC"

# --- the launcher's own stray fds do not reach QEMU -------------------------
rm -f "$REPORT"
run_as alice env FAKEQEMU_REPORT="$REPORT" "$TAPGATE" --helper "$HELPER" \
	-b br0 -- "$FQ" 7< /dev/null 9> "$SCRATCH/stray"
REP=$(cat "$REPORT" 2> /dev/null)
is "$(kv fds "$REP")" 3 "fds the launcher inherited (7, 9) are not passed on"

# --- QEMU is found on PATH -----------------------------------------------------
rm -f "$REPORT"
run_as alice env PATH="$WORK/bin:/usr/bin:/bin" FAKEQEMU_REPORT="$REPORT" \
	"$TAPGATE" --helper "$HELPER" -b br0 -- fakeqemu
REP=$(cat "$REPORT" 2> /dev/null)
is "$STATUS/$(kv argv0 "$REP")" 0/fakeqemu "QEMU is searched on PATH"

# --- two NICs, -m, -v, which TAP on which bridge --------------------------------
launch_bg -- -v -b br0 -b lab1 -m 52:54:00:12:34:56 -- "$FQ"
is "$(kv argv2 "$REP")" tap,id=tapgate0,fd=3 "two NICs: the first is tapgate0 on fd 3"
is "$(kv argv4 "$REP")" virtio-net-pci,netdev=tapgate0,mac=52:54:00:12:34:56 \
	"two NICs: -m sets the first NIC's MAC"
is "$(kv argv6 "$REP")" tap,id=tapgate1,fd=4 "two NICs: the second is tapgate1 on fd 4"
like "$(kv argv8 "$REP")" "^virtio-net-pci,netdev=tapgate1,mac=$MAC_RE\$" \
	"two NICs: the second NIC gets its own device"
isnt "$(kv argv8 "$REP" | sed 's/.*mac=//')" 52:54:00:12:34:56 \
	"two NICs: the second NIC's MAC is not the first's"
is "$(kv fds "$REP")" "3 4" "two NICs: QEMU inherits fds 3 and 4 only"
TAP0=$(kv fd3 "$REP" | awk '{print $2}')
TAP1=$(kv fd4 "$REP" | awk '{print $2}')
isnt "$TAP0" "$TAP1" "two NICs: two TAPs"
is "$(basename "$(readlink "/sys/class/net/$TAP0/master")")" br0 \
	"two NICs: the first TAP is on the first bridge"
is "$(basename "$(readlink "/sys/class/net/$TAP1/master")")" lab1 \
	"two NICs: the second TAP is on the second bridge"
like "$(cat "$WORK/bg.err")" "tapgate: TAP $TAP0 on bridge br0, 1 queue, guest MAC 52:54:00:12:34:56" \
	"-v says which TAP went on which bridge (first)"
like "$(cat "$WORK/bg.err")" "tapgate: TAP $TAP1 on bridge lab1, 1 queue" \
	"-v says which TAP went on which bridge (second)"
stop
no_taps_left "two NICs: no TAP left"

# --- multiqueue ---------------------------------------------------------------
launch -- -q 2 -b br0 -- "$FQ"
is "$STATUS" 0 "two queues: the launcher exits 0" || diag "$ERR"
is "$(kv argv2 "$REP")" tap,id=tapgate0,fds=3:4 "two queues: fds=3:4"
like "$(kv argv4 "$REP")" "^virtio-net-pci,netdev=tapgate0,mac=$MAC_RE,mq=on,vectors=6\$" \
	"two queues: mq=on,vectors=6 (2N+2) on virtio-net-pci"
is "$(kv fds "$REP")" "3 4" "two queues: QEMU inherits fds 3 and 4 only"
Q0=$(kv fd3 "$REP")
Q1=$(kv fd4 "$REP")
like "$Q0" '^tap tap[0-9a-f]{8} .*multi_queue=1$' "two queues: fd 3 is a multiqueue TAP"
is "$(echo "$Q1" | awk '{print $2}')" "$(echo "$Q0" | awk '{print $2}')" \
	"two queues: fd 4 is a queue of the same TAP"
no_taps_left "two queues: no TAP left"

launch -- -q 4 -b br0 -b lab1 -- "$FQ"
is "$(kv argv2 "$REP") $(kv argv6 "$REP")" \
	"tap,id=tapgate0,fds=3:4:5:6 tap,id=tapgate1,fds=7:8:9:10" \
	"four queues on two NICs: fds 3-6 and 7-10"
like "$(kv argv8 "$REP")" ',mq=on,vectors=10$' "four queues: vectors=10"
is "$(kv fds "$REP")" "3 4 5 6 7 8 9 10" "four queues on two NICs: QEMU inherits those 8 fds only"

# --- --no-device, --model --------------------------------------------------------
launch -- --no-device -b br0 -- "$FQ" -device e1000,netdev=tapgate0
is "$(kv argc "$REP")" 5 "--no-device: only -netdev is added"
is "$(kv argv3 "$REP") $(kv argv4 "$REP")" "-netdev tap,id=tapgate0,fd=3" \
	"--no-device: -netdev tap,id=tapgate0,fd=3"

launch -- --model e1000 -b br0 -- "$FQ"
like "$(kv argv4 "$REP")" "^e1000,netdev=tapgate0,mac=$MAC_RE\$" \
	"--model names the device"

# --- --dry-run ----------------------------------------------------------------
launch -- --dry-run -q 2 -b br0 -- "$FQ" -name 'my vm'
is "$STATUS" 0 "--dry-run: exit 0"
like "$OUT" "^$FQ -name 'my vm' -netdev tap,id=tapgate0,fds=3:4 -device virtio-net-pci,netdev=tapgate0,mac=$MAC_RE,mq=on,vectors=6\$" \
	"--dry-run prints the shell-quoted command line with the fd numbers QEMU would get"
is "$REP" "" "--dry-run: QEMU is not run"
no_taps_left "--dry-run: no TAP is made"
run_as alice "$TAPGATE" --dry-run --helper /nonexistent -b br0 -- "$FQ"
is "$STATUS" 0 "--dry-run: the helper is not run (a missing one is no error)"

# --- QEMU that cannot be run -------------------------------------------------------
launch -- -b br0 -- /nonexistent/qemu
is "$STATUS" 127 "QEMU not found: exit status 127"
like "$ERR" "^tapgate: cannot run QEMU '/nonexistent/qemu': No such file or directory\$" \
	"QEMU not found: the launcher says so"
no_taps_left "QEMU not found: no TAP left"

done_testing
