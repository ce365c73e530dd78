#!/bin/bash
# test_launcher_refusals.sh - when the helper refuses or sends the wrong thing, the user sees why, QEMU never starts and no TAP is left; -daemonize is refused
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
make_bridge br0
make_bridge lab1
write_acl 'allow br0'
. "$ROOT/tests/lib/launcher.sh"
install_launcher
RAN=$SCRATCH/helper-ran

# Stand-in helpers, each a small script the launcher runs as the helper.
# stand_in NAME BODY: $WORK/bin/NAME, a /bin/sh script that first notes
# that it ran.
stand_in()
{
	# shellcheck disable=SC2016 # $0 and $* belong to the stand-in
	printf '#!/bin/sh\necho "$0 $*" >> %s\n%s\n' "$RAN" "$2" \
		> "$WORK/bin/$1" || bail "cannot write the stand-in $1"
	chmod 0755 "$WORK/bin/$1" || bail "cannot chmod the stand-in $1"
}
stand_in silent-failure 'exit 1'
stand_in says-nothing 'exit 0'
stand_in killed 'kill -KILL $$'
# The real helper, asked for less than the launcher asked for.
stand_in no-vnet "shift; exec $HELPER \"\$@\""
stand_in no-queues "exec $HELPER \"\$1\" \"\$2\" \"\$3\""
# fakeqemu playing a helper that sends a pipe instead of a TAP.
stand_in sends-pipe "FAKEQEMU_HELPER=pipe exec $FQ \"\$@\""
# fakeqemu reporting what a helper inherits (then it sends nothing).
HREPORT=$SCRATCH/helper.report
stand_in reports "FAKEQEMU_REPORT=$HREPORT exec $FQ \"\$@\""

# launch HELPER TAPGATE-ARGS...: as alice; REP is fakeqemu's report
# (empty when QEMU never ran).
launch()
{
	local helper=$1

	shift
	rm -f "$REPORT" "$RAN"
	run_as alice env FAKEQEMU_REPORT="$REPORT" "$TAPGATE" \
		--helper "$helper" "$@"
	REP=$(cat "$REPORT" 2> /dev/null)
}

# refused NAME ERE: exit 1, one stderr line matching ERE, QEMU never
# started, no TAP left.
refused()
{
	is "$STATUS" 1 "$1: exit status 1"
	is "$(grep -c '' "$ERR_FILE")" 1 "$1: one line on stderr" || diag "$ERR"
	like "$ERR" "$2" "$1: the line says why"
	is "$REP" "" "$1: QEMU is never started"
	no_taps_left "$1: no TAP left"
}

# --- the helper refuses: its own message ---------------------------------------
launch "$HELPER" -b lab1 -- "$FQ"
refused "bridge not allowed" "^$HELPER_NAME: .*lab1"

launch "$HELPER" -b nosuchbr -- "$FQ"
refused "bridge does not exist" "^$HELPER_NAME: .*nosuchbr"

# The first NIC was granted, the second is not: the first TAP goes too.
launch "$HELPER" -b br0 -b lab1 -- "$FQ"
refused "second bridge not allowed" "^$HELPER_NAME: .*lab1"

# --- -daemonize: refused before anything is made -------------------------------------
launch "$WORK/bin/says-nothing" -b br0 -- "$FQ" -daemonize
refused "-daemonize" "^tapgate: QEMU's -daemonize is refused"
ok "-daemonize: the helper is not even run" test ! -e "$RAN"

# --- the helper fails without a word, dies, or cannot be run ------------------------
launch "$WORK/bin/silent-failure" -b br0 -- "$FQ"
refused "helper fails silently" \
	"^tapgate: the helper .*silent-failure failed \\(exit status 1\\) for bridge br0 and said nothing\$"
launch "$WORK/bin/killed" -b br0 -- "$FQ"
refused "helper killed" "^tapgate: the helper .*killed was killed by signal 9"
launch /nonexistent/helper -b br0 -- "$FQ"
refused "helper missing" "^tapgate: cannot run the helper /nonexistent/helper: No such file or directory\$"

# --- the helper's argv is libvirt's, plus the guest's --mac ---------------------------
launch "$WORK/bin/silent-failure" -b br0 -m 02:00:00:00:00:07 -- "$FQ"
is "$(cat "$RAN")" "$WORK/bin/silent-failure --use-vnet --br=br0 --fd=3 --mac=02:00:00:00:00:07" \
	"one queue: the helper runs as HELPER --use-vnet --br=BR --fd=3 --mac=MAC"
launch "$WORK/bin/silent-failure" -q 3 -b br0 -m 02:00:00:00:00:07 -- "$FQ"
is "$(cat "$RAN")" "$WORK/bin/silent-failure --use-vnet --br=br0 --fd=3 --queues=3 --mac=02:00:00:00:00:07" \
	"three queues: --queues=3 is added"

# --- what the helper inherits ----------------------------------------------------------
rm -f "$HREPORT"
run_as alice "$TAPGATE" --helper "$WORK/bin/reports" -b br0 -- "$FQ" \
	7< /dev/null 9> "$SCRATCH/stray"
HREP=$(cat "$HREPORT" 2> /dev/null)
is "$(kv fds "$HREP")" 3 "the helper inherits its socket as fd 3 and no other fd above 2"
like "$(kv fd3 "$HREP")" '^other socket:' "the helper's fd 3 is the socket"

# --- what comes back is checked --------------------------------------------------------
launch "$WORK/bin/says-nothing" -b br0 -- "$FQ"
refused "helper exits 0 but sends nothing" "sent no TAP for bridge br0"
launch "$WORK/bin/sends-pipe" -b br0 -- "$FQ"
refused "helper sends a pipe" "^tapgate: bridge br0: the helper .* sent an fd that is not a TAP"
launch "$WORK/bin/no-vnet" -b br0 -- "$FQ"
refused "TAP without IFF_VNET_HDR" \
	"^tapgate: bridge br0: the helper .* sent TAP tap[0-9a-f]{8}, which lacks IFF_VNET_HDR, which the kernel offers\$"
launch "$WORK/bin/no-queues" -q 2 -b br0 -- "$FQ"
refused "one fd for two queues" \
	"^tapgate: bridge br0: the helper .* sent 1 fds, but 2 were asked for\$"

# --- bad options: nothing is run ------------------------------------------------------
launch "$WORK/bin/says-nothing" -q 0 -b br0 -- "$FQ"
refused "-q 0" "^tapgate: option -q: '0' is not a number from 1 to 16\$"
ok "-q 0: the helper is not run" test ! -e "$RAN"
launch "$WORK/bin/says-nothing" -b br0
refused "no QEMU" "^tapgate: no QEMU command given"

done_testing
