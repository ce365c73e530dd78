#!/bin/bash
# test_attack_signals.sh - hostile signals: SIGKILL at random moments never leaves a TAP; a stopped helper cannot be ptraced, read or robbed of its fds by its caller (bubblewrap CVE-2020-5291)
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/attack.sh"

make_bridge br0
write_acl 'allow br0'
tun_node 0666		# for the setcap install
KILL_RUNS=${TAPGATE_KILL_RUNS:-300}
STOP_RUNS=${TAPGATE_STOP_RUNS:-100}

# The helper takes one to a few milliseconds from exec to exit here; the
# random moments are spread over 0-3 ms, so they fall in every step, from
# the dynamic loader (still privileged) to the final sendmsg, and some
# after the end. The seed is printed so that a failure can be replayed.
for how in setuid setcap; do
	install_helper "$how"

	# --- SIGKILL at random moments -----------------------------------------------
	for q in 1 4; do
		name="$how, --queues=$q: $KILL_RUNS SIGKILLs at random moments"
		run_as alice "$HOSTILE" kill "$KILL_RUNS" 3000 -- \
			"$HELPER" --use-vnet --fd={fd} --br=br0 --queues=$q
		is "$STATUS/$(kv runs)" "0/$KILL_RUNS" "$name: every run was made" ||
			diag "$OUT" "$ERR"
		diag "$name: killed $(kv killed), exited 0 $(kv exited0), exited 1 $(kv exited1), seed $(kv seed)"
		isnt "$(kv killed)" 0 "$name: some runs were killed"
		is "$(kv other)/$(kv exited1)" 0/0 \
			"$name: the rest ended normally (no other signal, no refusal)"
		no_taps_left "$name: no TAP left after them all"
	done

	# --- SIGSTOP, then the caller attacks -----------------------------------------------
	# Deterministic: the helper is held in its last system call (after the
	# privilege drop, where its ids are the caller's own), then stopped.
	user_cmd alice "$HOSTILE" block --ptrace -- "$HELPER" --use-vnet --fd={fd} --br=br0
	# Emptied here, before the job starts: the job's own redirection may
	# run after wait_ready has already read a previous run's "ready".
	: > "$WORK/block.out"
	"${USER_CMD[@]}" > "$WORK/block.out" 2> "$WORK/block.err" < /dev/null &
	hp=$!
	wait_ready "$WORK/block.out" || bail "hostile did not start"
	pid=$(kv helper_pid "$(cat "$WORK/block.out")")
	wait_syscall "$pid" "$SYS_sendmsg" ||
		fail "$how: the helper blocks in its final sendmsg" "$(cat "/proc/$pid/syscall")"
	kill -USR1 "$hp"
	wait "$hp"
	OUT=$(cat "$WORK/block.out")
	for a in attach seize mem vm fd getfd; do
		like "$(kv "attack_$a")" '^E' \
			"$how, stopped at the send: the caller's $a attack fails ($(kv "attack_$a"))"
	done
	is "$(kv exit)/$(kv fds)" "0/1" "$how, stopped at the send: the helper still finishes its work" ||
		diag "$OUT" "$(cat "$WORK/block.err")"

	# Random: SIGSTOP at a random moment, attack, SIGCONT; every stage.
	name="$how: $STOP_RUNS SIGSTOPs at random moments, then attacks"
	run_as alice "$HOSTILE" stop "$STOP_RUNS" 3000 -- \
		"$HELPER" --use-vnet --fd={fd} --br=br0
	diag "$name: stopped $(kv stopped) (root $(kv stage_root), capabilities $(kv stage_caps), none $(kv stage_none)), seed $(kv seed)"
	is "$STATUS/$(kv runs)" "0/$STOP_RUNS" "$name: every run was made" ||
		diag "$OUT" "$ERR"
	isnt "$(kv stopped)" 0 "$name: some runs were stopped"
	is "$(kv attacks_ok)" 0 "$name: no attack worked in any stage" || diag "$OUT"
	is "$(kv finished_ok)/$(kv other)" "$STOP_RUNS/0" \
		"$name: every helper finished its work after SIGCONT"
	no_taps_left "$name: no TAP left"
done

# Control: the same attacks work on an ordinary process of the caller's,
# so their failing above is the helper's doing.
run_as alice bash -c '"$1" block --ptrace -- /bin/sleep 5 & p=$!; sleep 0.5; kill -USR1 $p; wait $p' \
	bash "$HOSTILE"
for a in attach seize mem vm fd getfd; do
	is "$(kv "attack_$a")" ok "control: the $a attack works on an ordinary process" ||
		diag "$OUT" "$ERR"
done

done_testing
