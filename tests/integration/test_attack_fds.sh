#!/bin/bash
# test_attack_fds.sh - hostile file descriptors: --fd naming what is not a connected AF_UNIX socket, stdio closed, 1,000 inherited fds, a socket that blocks, fails or hangs up
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/attack.sh"

install_helper setuid
make_bridge br0
write_acl 'allow br0'

# --- --fd must be a connected AF_UNIX socket --------------------------------------
# getfd runs withfd, which puts the named kind of fd at 7 and runs the
# helper with --fd=7 (getfd's own socket stays open beside it).
refused_via_withfd()
{
	local name=$1 ere=$2

	shift 2
	getfd_run alice -- "$WITHFD" "$@"
	is_refusal "$name" "$ere"
	not_a_signal "$name"
	is "$(kv fds)" 0 "$name: no fd is sent"
}
not_a_socket()
{
	refused_via_withfd "--fd naming $1 is refused" \
		"--fd=7 is not a connected AF_UNIX socket: $3" \
		"$2:7" -- "$HELPER" --fd=7 --br=br0
}
not_a_socket "a closed fd" closed 'Bad file descriptor'
not_a_socket "a regular file" file 'Socket operation on non-socket'
not_a_socket "a pipe" pipe 'Socket operation on non-socket'
not_a_socket "a listening AF_UNIX socket" listen 'Transport endpoint is not connected'
not_a_socket "an unconnected AF_UNIX socket" unbound 'Transport endpoint is not connected'
not_a_socket "a connected AF_INET socket" inet 'Address family not supported'
refused "--fd naming stdin (/dev/null) is refused" \
	'--fd=0 is not a connected AF_UNIX socket' --fd=0 --br=br0
refused "--fd naming stdout (a file) is refused" \
	'--fd=1 is not a connected AF_UNIX socket' --fd=1 --br=br0
refused "--fd naming stderr (a file) is refused" \
	'--fd=2 is not a connected AF_UNIX socket' --fd=2 --br=br0
refused "--fd naming the largest fd number is refused" \
	'--fd=2147483647 is not a connected AF_UNIX socket: Bad file descriptor' \
	--fd=2147483647 --br=br0

# --- legitimate but unusual fd tables must work ------------------------------------
getfd_run alice -- "$WITHFD" "dup={fd}:0" "closed:{fd}" -- "$HELPER" --fd=0 --br=br0
is "$STATUS/$(kv fds)/$ERR" "0/1/" "the socket as stdin (--fd=0) works" || diag "$OUT"
no_taps_left "the socket as stdin: no TAP left"

# With 0, 1 and 2 closed, the helper's first opens would get those numbers:
# the TAP on fd 1 and an error message into it. It must reopen them first.
getfd_run alice -- "$WITHFD" --close-stdio -- "$HELPER" --use-vnet --fd={fd} --br=br0
is "$STATUS/$(kv fds)" "0/1" "with stdin, stdout and stderr closed the request still works" ||
	diag "$OUT" "$ERR"
no_taps_left "stdio closed: no TAP left"
getfd_run alice -- "$WITHFD" --close-stdio -- "$HELPER" --fd={fd} --br=nobr0
is "$STATUS/$(kv fds)" "1/0" "with stdio closed a refusal still exits 1 (its message has nowhere to go)"
not_a_signal "stdio closed, refused"
no_taps_left "stdio closed, refused: no TAP left"

# A report that cannot be written (stdout on a full device) is a failure.
for mode in --version --help --check; do
	run_as alice /bin/sh -c 'exec "$@" > /dev/full' sh "$HELPER" "$mode"
	is_refusal "$mode with stdout on /dev/full fails" 'cannot write to stdout: No space left on device'
done

# --- 1,000 inherited fds: only SOCKFD survives -----------------------------------
# The helper is kept blocked in its last system call, the sendmsg(2) of the
# TAP fd (hostile filled the socket's send buffer first), so what it holds
# can be read from /proc as root: stdio, SOCKFD and the TAP, nothing else.
# SOCKFD is moved to 600, amid the 1,000 others, so both ranges around it
# are seen closed.
spray_seen()
{
	local name=$1 sockfd=$2 pid want

	shift 2
	user_cmd alice "$HOSTILE" block -- "$@"
	# Emptied here, before the job starts: the job's own redirection may
	# run after wait_ready has already read a previous run's "ready".
	: > "$WORK/block.out"
	"${USER_CMD[@]}" > "$WORK/block.out" 2> "$WORK/block.err" < /dev/null &
	local hp=$!
	wait_ready "$WORK/block.out" || bail "hostile did not start"
	pid=$(kv helper_pid "$(cat "$WORK/block.out")")
	if wait_syscall "$pid" "$SYS_sendmsg"; then
		pass "$name: the helper is blocked in its final sendmsg"
		want=$(printf '%s\n' "0 -> /dev/null" "1 -> $WORK/block.out" \
			"2 -> $WORK/block.err" "3 -> /dev/net/tun" \
			"$sockfd -> socket" | sort -n)
		is "$(fd_targets "$pid")" "$want" \
			"$name: it holds only stdio, the TAP and SOCKFD"
	else
		fail "$name: the helper is blocked in its final sendmsg" \
			"syscall: $(cat "/proc/$pid/syscall" 2>&1)" "$(cat "$WORK/block.out")"
	fi
	kill -USR1 "$hp"
	wait "$hp"
	OUT=$(cat "$WORK/block.out")
	is "$(kv exit)/$(kv fds)" "0/1" "$name: the TAP arrives once the caller reads" ||
		diag "$OUT" "$(cat "$WORK/block.err")"
	no_taps_left "$name: no TAP left"
}
spray_seen "1,000 inherited fds, SOCKFD among them" 600 \
	"$WITHFD" "dup={fd}:600" "closed:{fd}" --spray 1000 -- \
	"$HELPER" --use-vnet --fd=600 --br=br0
spray_seen "1,000 inherited fds, SOCKFD below them" 4 \
	"$WITHFD" --spray 1000 -- "$HELPER" --use-vnet --fd={fd} --br=br0

# --- the socket fails late: after the TAP exists -----------------------------------
# A full, non-blocking socket makes the final sendmsg fail with EAGAIN; a
# caller that hangs up makes it fail with EPIPE (never SIGPIPE). The TAP
# was made by then: it must go with the helper.
run_as alice "$HOSTILE" block --hangup -- "$HELPER" --fd={fd} --br=br0
is "$(kv exit)" 1 "a caller that hangs up: the helper exits 1" || diag "$OUT" "$ERR"
like "$ERR" "^tapgate-helper: cannot send the TAP to --fd=[0-9]+: Broken pipe$" \
	"a caller that hangs up: one line says the send failed"
no_taps_left "a caller that hangs up: no TAP left"

user_cmd alice "$HOSTILE" block --nonblock -- "$HELPER" --fd={fd} --br=br0
"${USER_CMD[@]}" > "$WORK/nb.out" 2> "$WORK/nb.err" < /dev/null &
hp=$!
wait_ready "$WORK/nb.out" || bail "hostile did not start"
pid=$(kv helper_pid "$(cat "$WORK/nb.out")")
# The helper ends on its own; wait for that before letting hostile go on.
for i in $(seq 1000); do
	[ "$(awk '{print $3}' "/proc/$pid/stat" 2> /dev/null)" = Z ] && break
	sleep 0.01
done
kill -USR1 "$hp"
wait "$hp"
OUT=$(cat "$WORK/nb.out")
is "$(kv exit)/$(kv fds)" "1/0" "a full non-blocking socket: the helper exits 1" ||
	diag "$OUT" "$(cat "$WORK/nb.err")"
like "$(cat "$WORK/nb.err")" \
	"^tapgate-helper: cannot send the TAP to --fd=[0-9]+: Resource temporarily unavailable$" \
	"a full non-blocking socket: one line says the send failed"
no_taps_left "a full non-blocking socket: no TAP left"

done_testing
