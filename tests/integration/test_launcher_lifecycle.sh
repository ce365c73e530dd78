#!/bin/bash
# test_launcher_lifecycle.sh - while QEMU runs and when it ends: no TAP fd in the launcher, signals passed on, QEMU dies with the launcher, exit statuses, TAPs gone or named with their holders
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
make_bridge br0
write_acl 'allow br0'
. "$ROOT/tests/lib/launcher.sh"
install_launcher

# start: the launcher in the background with one NIC on br0
# and fakeqemu sleeping; returns once fakeqemu reported. LPID: the
# launcher; QPID: fakeqemu.
start()
{
	launch_bg -- -b br0 -- "$FQ"
	QPID=$(kv pid "$REP")
	[ -n "$QPID" ] || bail "fakeqemu did not start: $(cat "$WORK/bg.err")"
}

# gone PID: wait (bounded) until PID no longer exists; 0 when it went.
# shellcheck disable=SC2317 # called through ok
gone()
{
	for _ in $(seq 1200); do
		kill -0 "$1" 2> /dev/null || return 0
		sleep 0.05
	done
	return 1
}

# tap_fds PID: how many of PID's fds are attached to a TAP (fdinfo "iff:").
tap_fds()
{
	grep -l '^iff:' /proc/"$1"/fdinfo/* 2> /dev/null | grep -c '' || true
}

# --- while QEMU runs ----------------------------------------------------------
start
is "$(tap_fds "$QPID")" 1 "while QEMU runs: QEMU holds the TAP fd"
is "$(tap_fds "$LPID")" 0 "while QEMU runs: the launcher holds no TAP fd"
unlike "$(ls -l /proc/"$LPID"/fd/)" '/dev/net/tun' \
	"while QEMU runs: no /dev/net/tun among the launcher's fds"
is "$(kv ppid "$REP")" "$LPID" "QEMU is the launcher's own child"
is "$(tap_count)" 1 "while QEMU runs: its TAP exists"

# --- signals passed on ---------------------------------------------------------
kill -TERM "$LPID"
finish
is "$(kv signal "$REP")" 15 "SIGTERM to the launcher reaches QEMU"
is "$STATUS" 143 "QEMU killed by SIGTERM: the launcher exits 128+15"
is "$ERR" "" "SIGTERM: nothing on stderr (the TAP went)"
no_taps_left "SIGTERM: no TAP left"

start
kill -HUP "$LPID"
finish
is "$(kv signal "$REP")" 1 "SIGHUP to the launcher reaches QEMU"
is "$STATUS" 129 "QEMU killed by SIGHUP: the launcher exits 128+1"
no_taps_left "SIGHUP: no TAP left"

start
kill -INT "$LPID"
finish
is "$(kv signal "$REP")" 2 "SIGINT sent to the launcher by a process reaches QEMU"
is "$STATUS" 130 "QEMU killed by SIGINT: the launcher exits 128+2"
no_taps_left "SIGINT: no TAP left"

# --- the launcher dies: QEMU dies ----------------------------------------------------
start
# (bash reports a job killed by a signal on its own stderr: hide that.)
exec 3>&2 2> /dev/null
kill -KILL "$LPID"
wait "$LPID"
exec 2>&3 3>&-
ok "launcher killed (SIGKILL): QEMU is killed too" gone "$QPID"
no_taps_left "launcher killed: no TAP left"

# --- exit statuses --------------------------------------------------------------
launch -- -b br0 -- "$FQ"
is "$STATUS" 0 "QEMU exits 0: the launcher exits 0"
no_taps_left "QEMU exits 0: no TAP left"
launch FAKEQEMU_EXIT=3 -- -b br0 -- "$FQ"
is "$STATUS" 3 "QEMU exits 3: the launcher exits 3"
no_taps_left "QEMU exits 3: no TAP left"
launch FAKEQEMU_CRASH=1 -- -b br0 -- "$FQ"
is "$STATUS" 139 "QEMU crashes (SIGSEGV): the launcher exits 128+11"
is "$ERR" "" "QEMU crashes: the launcher reports no TAP left behind"
no_taps_left "QEMU crashes: no TAP left"
launch -- -v -b br0 -- "$FQ"
like "$ERR" 'tapgate: QEMU exited with status 0$' "-v says how QEMU ended"

# --- a TAP outlives QEMU -----------------------------------------------------------
launch FAKEQEMU_LEAK=1 FAKEQEMU_EXIT=5 -- -b br0 -- "$FQ"
LEAKER=$(kv leaker "$REP")
TAP=$(kv fd3 "$REP" | awk '{print $2}')
is "$STATUS" 5 "a TAP outlives QEMU: the launcher still exits with QEMU's status"
is "$(tap_names)" "$TAP" "a TAP outlives QEMU: (setup) the leaked TAP is there"
like "$ERR" "^tapgate: TAP $TAP \\(bridge br0\\) is still there after QEMU ended; held by pid $LEAKER \\('fakeqemu'\\)\$" \
	"a TAP outlives QEMU: the launcher names it and the process that holds it"
kill -KILL "$LEAKER"
ok "the leaking process ends when killed" gone "$LEAKER"
no_taps_left "the leaked TAP goes with the last process holding it"

# --- a TAP QEMU made persistent goes with its VM ------------------------------------
# Another VM of the same user, whose TAP its holder persisted: not this
# launcher's to remove.
getfd_run alice --persist -- "$HELPER" --use-vnet --fd={fd} --br=br0
OTHER=$(kv tap)
[ "$(kv persist)" = 1 ] || bail "setup: cannot persist another VM's TAP: $OUT"
# QEMU, the fd holder, persists its TAP, gives it to bob and changes its
# MAC (none of it needs privilege): the sweep goes by the helper's alias.
launch FAKEQEMU_PERSIST=1 FAKEQEMU_OWNER="$(id -u bob)" FAKEQEMU_EXIT=4 \
	-- -b br0 -- "$FQ"
TAP=$(kv persisted "$REP")
[ -n "$TAP" ] || bail "setup: fakeqemu persisted no TAP: $REP $ERR"
is "$STATUS" 4 "a TAP QEMU persisted: the launcher still exits with QEMU's status"
is "$ERR" "tapgate: TAP $TAP (bridge br0) was made persistent while QEMU ran; removed it" \
	"the launcher removes a TAP QEMU persisted, gave away and re-addressed, and says so"
is "$(tap_names)" "$OTHER" "... only its own: another VM's persisted TAP of the same user stays"
run_as alice "$HELPER" --sweep
no_taps_left "(cleanup) alice's --sweep removes the other"

# A persisted TAP that a process QEMU left behind still holds is not
# removed under it: the launcher names the holder and what removes the
# TAP once nothing holds it.
launch FAKEQEMU_PERSIST=1 FAKEQEMU_LEAK=1 -- -b br0 -- "$FQ"
LEAKER=$(kv leaker "$REP")
TAP=$(kv persisted "$REP")
[ -n "$TAP" ] && [ -n "$LEAKER" ] || bail "setup: no persisted, leaked TAP: $REP $ERR"
is "$ERR" "tapgate: TAP $TAP (bridge br0) is still there after QEMU ended; held by pid $LEAKER ('fakeqemu'); it is persistent: tapgate-helper --sweep removes it once nothing holds it" \
	"a persisted TAP still held: left, its holder named, and what removes it said"
kill -KILL "$LEAKER"
ok "the leaking process ends when killed" gone "$LEAKER"
is "$(tap_names)" "$TAP" "the persisted TAP outlives its last holder"
run_as alice "$HELPER" --sweep
like "$OUT" "^removed $TAP, " "then alice's --sweep removes it"
no_taps_left "no TAP left"

done_testing
