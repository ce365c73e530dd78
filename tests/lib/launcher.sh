# launcher.sh - shared setup of the launcher's integration tests: tapgate and fakeqemu installed, runs as alice
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables set here are read by the test scripts
#
# Source after lib.sh:  . "$ROOT/tests/lib/launcher.sh"
#
#   install_launcher     copy launcher/tapgate and fakeqemu into $WORK/bin;
#                        sets TAPGATE, FQ, REPORT (fakeqemu's report file)
#   launch [VAR=VALUE...] -- TAPGATE-ARGS...   as alice with the installed
#                        helper, wait for the end; fakeqemu's report in $REP
#                        (empty when QEMU never ran); STATUS, OUT, ERR
#   launch_bg [VAR=VALUE...] -- TAPGATE-ARGS...    the same in the background
#                        with fakeqemu sleeping; returns once fakeqemu
#                        reported (or the launcher ended); LPID, REP
#   finish               wait for the background launcher; STATUS, ERR, REP

install_launcher()
{
	install -m 0755 "$ROOT/launcher/tapgate" "$WORK/bin/tapgate" ||
		bail "launcher/tapgate must be built (make)"
	install -m 0755 "$B/tests/tools/fakeqemu" "$WORK/bin/fakeqemu" ||
		bail "fakeqemu must be built (make tests)"
	TAPGATE=$WORK/bin/tapgate
	FQ=$WORK/bin/fakeqemu
	REPORT=$SCRATCH/fakeqemu.report
}

# split_env VAR=VALUE... -- REST: ENVS gets the assignments, REST_ARGS the rest
split_env()
{
	ENVS=()
	while [ "$1" != -- ]; do
		ENVS+=("$1")
		shift
	done
	shift
	REST_ARGS=("$@")
}

launch()
{
	split_env "$@"
	rm -f "$REPORT"
	run_as alice env FAKEQEMU_REPORT="$REPORT" "${ENVS[@]}" \
		"$TAPGATE" --helper "$HELPER" "${REST_ARGS[@]}"
	REP=$(cat "$REPORT" 2> /dev/null)
}

launch_bg()
{
	split_env "$@"
	rm -f "$REPORT"
	user_cmd alice env FAKEQEMU_REPORT="$REPORT" FAKEQEMU_SLEEP=1 \
		"${ENVS[@]}" "$TAPGATE" --helper "$HELPER" "${REST_ARGS[@]}"
	"${USER_CMD[@]}" > "$WORK/bg.out" 2> "$WORK/bg.err" < /dev/null &
	LPID=$!
	# A bound on waiting for a hung launcher, not a timed assertion.
	for _ in $(seq 1200); do
		grep -qx ready "$REPORT" 2> /dev/null && break
		kill -0 "$LPID" 2> /dev/null || break
		sleep 0.05
	done
	REP=$(cat "$REPORT" 2> /dev/null)
}

finish()
{
	wait "$LPID"
	STATUS=$?
	ERR=$(cat "$WORK/bg.err")
	REP=$(cat "$REPORT" 2> /dev/null)
}
