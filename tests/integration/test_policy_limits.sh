#!/bin/bash
# test_policy_limits.sh - limit N: counted from the kernel, the lowest applicable limit wins, never exceeded under 12 concurrent requests, exact refusal message
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
make_bridge br0

# --- holding several TAPs at once ------------------------------------------------
HOLDERS=()
HELD=()

# take NAME [-g GIDS|-G] USER: ask for a TAP on br0 and keep it (getfd
# --hold); the request must be granted.
take()
{
	local name=$1

	shift
	getfd_hold "$@" -- "$HELPER" --use-vnet --fd={fd} --br=br0
	if [ -n "$HOLD_PID" ] && [ "$(kv fds)" = 1 ]; then
		pass "$name: granted"
		HOLDERS+=("$HOLD_PID")
		HELD+=("$(kv tap)")
		HOLD_PID=
	else
		release
		fail "$name: granted" "status $STATUS" "$ERR"
	fi
}

# give_back: close every held TAP.
give_back()
{
	local pid

	for pid in "${HOLDERS[@]}"; do
		kill -TERM "$pid" 2> /dev/null
		wait "$pid"
	done
	HOLDERS=()
	HELD=()
}

# only_held NAME: the TAPs that exist are exactly the held ones.
only_held()
{
	is "$(tap_names | sort | paste -sd ' ' -)" \
		"$(printf '%s\n' "${HELD[@]}" | sed '/^$/d' | sort | paste -sd ' ' -)" \
		"$1: no TAP but the held ones"
}

# refused NAME MESSAGE [-g GIDS|-G] USER: one more request is refused with
# exactly MESSAGE, leaving no TAP of its own.
refused()
{
	local name=$1 msg=$2

	shift 2
	getfd_run "$@" -- "$HELPER" --use-vnet --fd={fd} --br=br0
	is "$STATUS" 1 "$name: exit status 1"
	is "$ERR" "$HELPER_NAME: $msg" "$name: exactly the message, on one line"
	only_held "$name"
}

# granted NAME [-g GIDS|-G] USER: one more request is granted (the TAP is
# closed again when the client exits).
granted()
{
	local name=$1

	shift
	getfd_run "$@" -- "$HELPER" --use-vnet --fd={fd} --br=br0
	is "$STATUS.$(kv fds)" 0.1 "$name: granted" || diag "$ERR"
	only_held "$name: after the client exits"
}

# --- limit 2 for alice: the third TAP is refused ------------------------------------
write_acl 'allow br0' 'limit 2 user=alice'
take "limit 2 user=alice: alice's first TAP" alice
take "limit 2 user=alice: alice's second TAP" alice
refused "limit 2 user=alice: alice's third TAP" \
	"limit of 2 TAPs for user alice reached (in use: ${HELD[*]})" alice
granted "limit 2 user=alice: bob is not limited by it" bob
kill -TERM "${HOLDERS[0]}" && wait "${HOLDERS[0]}"
HOLDERS=("${HOLDERS[@]:1}")
HELD=("${HELD[@]:1}")
granted "limit 2 user=alice: once alice closes one, her next TAP is granted" \
	alice
give_back

# --- the lowest applicable limit wins ---------------------------------------------------
write_acl 'allow br0' 'limit 5' 'limit 1 group=lab'
take "limit 5 + limit 1 group=lab: alice's first TAP" alice
refused "limit 5 + limit 1 group=lab: alice (in lab) gets only one" \
	"limit of 1 TAP for user alice reached (in use: ${HELD[*]})" alice
granted "limit 5 + limit 1 group=lab: alice without supplementary groups is under limit 5" \
	-G alice
give_back
take "limit 5 + limit 1 group=lab: carol's first TAP" carol
take "limit 5 + limit 1 group=lab: carol (not in lab) may hold a second" carol
give_back

write_acl 'allow br0' 'limit 1 group=lab' 'limit 3 user=alice'
take "limit 1 group=lab + limit 3 user=alice: alice's first TAP" alice
refused "limit 1 group=lab + limit 3 user=alice: the lower, group limit wins" \
	"limit of 1 TAP for user alice reached (in use: ${HELD[*]})" alice
give_back

write_acl 'allow br0' 'limit 0 user=carol'
refused "limit 0 user=carol: carol gets none" \
	"limit of 0 TAPs for user carol reached (in use: none)" carol

# --- counted from the kernel -----------------------------------------------------------
write_acl 'allow br0' 'limit 1 user=alice'
take "counted from the kernel: bob's first TAP" bob
take "counted from the kernel: bob's second TAP" bob
take "counted from the kernel: bob's TAPs do not count for alice" alice
refused "counted from the kernel: a TAP held by another of alice's processes counts" \
	"limit of 1 TAP for user alice reached (in use: ${HELD[2]})" alice
give_back

# A persistent TAP that root made for alice is hers too: no state file
# knows about it, the kernel does.
ip tuntap add dev ptap0 mode tap user alice ||
	bail "cannot make a persistent TAP owned by alice"
HELD=(ptap0)
refused "counted from the kernel: a persistent TAP owned by alice counts" \
	"limit of 1 TAP for user alice reached (in use: ptap0)" alice
ip tuntap del dev ptap0 mode tap
HELD=()
granted "counted from the kernel: once it is deleted, alice is granted" alice

# --- 12 concurrent requests, limit 3 ------------------------------------------------------
write_acl 'allow br0' 'limit 3 user=alice'
N=12
LIMIT=3
GO=$WORK/go
WATCH_STOP=$WORK/watch.stop
rm -f "$GO" "$WATCH_STOP"

# The largest number of alice's TAPs that were ports of br0 at once, as
# often as a shell can look. (A refused request's TAP exists for a moment
# but never joins the bridge; a granted one joins before its fd is sent.)
watch_ports()
{
	local max=0 n f

	while [ ! -e "$WATCH_STOP" ]; do
		n=0
		for f in /sys/class/net/*/tun_flags; do
			f=${f%/tun_flags}
			[ "$(cat "$f/owner" 2> /dev/null)" = 4001 ] &&
				[ -e "$f/brport" ] && n=$((n + 1))
		done
		[ "$n" -gt "$max" ] && max=$n && echo "$max" > "$WORK/watch.max"
	done
}
echo 0 > "$WORK/watch.max"
watch_ports &
WATCHER=$!

pids=()
for i in $(seq "$N"); do
	# Each waits for $GO, so all of them start together; a granted one
	# holds its TAP until it is told to let go.
	# shellcheck disable=SC2016 # expanded by that sh
	user_cmd alice sh -c 'while [ ! -e "$0" ]; do sleep 0.01; done; exec "$@"' \
		"$GO" "$GETFD" --hold 3600 -- "$HELPER" --use-vnet --fd={fd} \
		--br=br0
	"${USER_CMD[@]}" > "$WORK/c$i.out" 2> "$WORK/c$i.err" < /dev/null &
	pids+=($!)
done
touch "$GO"
# Every client says "end" once it has its answer; a bound, not a timing.
for t in $(seq 1200); do
	done_n=0
	for i in $(seq "$N"); do
		grep -qx end "$WORK/c$i.out" && done_n=$((done_n + 1))
	done
	[ "$done_n" = "$N" ] && break
	sleep 0.05
done
is "$done_n" "$N" "12 concurrent: every request got an answer"

got=()
refusals=0
bad=()
for i in $(seq "$N"); do
	out=$(cat "$WORK/c$i.out")
	if [ "$(kv fds "$out")" = 1 ]; then
		got+=("$(kv tap "$out")")
	else
		refusals=$((refusals + 1))
		[[ $(cat "$WORK/c$i.err") =~ ^"$HELPER_NAME: limit of 3 TAPs for user alice reached (in use: "tap[0-9a-f]{8}(" "tap[0-9a-f]{8})*")"$ ]] &&
			[ "$(grep -c '' "$WORK/c$i.err")" = 1 ] ||
			bad+=("client $i: $(cat "$WORK/c$i.err")")
	fi
done
held_now=$(tap_names | sort | paste -sd ' ' -)
touch "$WATCH_STOP"
wait "$WATCHER"

is "${#got[@]}" "$LIMIT" "12 concurrent, limit 3: exactly 3 are granted"
is "$held_now" "$(printf '%s\n' "${got[@]}" | sort | paste -sd ' ' -)" \
	"12 concurrent, limit 3: while they hold, alice has exactly the 3 granted TAPs"
is "$refusals" $((N - LIMIT)) "12 concurrent, limit 3: the other 9 are refused"
is "${#bad[@]}" 0 "12 concurrent, limit 3: each refusal is the one-line limit message" ||
	diag "${bad[@]}"
max=$(cat "$WORK/watch.max")
ok "12 concurrent, limit 3: never more than 3 of alice's TAPs on the bridge at once (most seen: $max)" \
	[ "$max" -le "$LIMIT" ]
# The granted TAPs are the oldest, so every refusal names all three.
missing=0
for i in $(seq "$N"); do
	grep -q 'limit of' "$WORK/c$i.err" || continue
	for t in "${got[@]}"; do
		grep -qE "[( ]${t}[ )]" "$WORK/c$i.err" || missing=$((missing + 1))
	done
done
is "$missing" 0 "12 concurrent, limit 3: every refusal names the 3 TAPs that hold the limit"

for pid in "${pids[@]}"; do
	kill -TERM "$pid" 2> /dev/null
	wait "$pid"
done
no_taps_left "12 concurrent, limit 3: no TAP left once the holders let go"

# --- a TAP that has no owner yet still counts --------------------------------------------
# The kernel creates a TAP ownerless (TUNSETIFF) and gives it its owner with
# the next ioctl (TUNSETOWNER). Request A is stopped right between the two
# (strace stops it on its second ioctl); request B must not be granted past
# A's TAP meanwhile: it waits for alice's lock and is refused once A's TAP
# is alice's. (A request stopped for longer than the wait's bound is the
# next case.)
write_acl 'allow br0' 'limit 1 user=alice'
A_OUT=$WORK/a.out
# stop_request_a: start alice's request A under strace, which stops it on
# its second ioctl (TUNSETOWNER), so its TAP exists without an owner; its
# output in $A_OUT, strace's pid in A_STRACE, the TAP in a_tap.
stop_request_a()
{
	: > "$A_OUT"
	strace -f -qq -o "$WORK/a.strace" -u alice -e trace=ioctl \
		-e inject=ioctl:signal=SIGSTOP:when=2 -- \
		env -i PATH=/usr/bin:/bin "$GETFD" --hold 3600 -- "$HELPER" \
		--use-vnet --fd={fd} --br=br0 > "$A_OUT" 2> "$WORK/a.err" \
		< /dev/null &
	A_STRACE=$!
	for _ in $(seq 600); do
		[ "$(tap_count)" -ge 1 ] && break
		sleep 0.05
	done
	a_tap=$(tap_names | head -n 1)
}
stop_request_a
is "${a_tap:+$(tap_attr "$a_tap" owner)}" -1 \
	"an ownerless TAP: request A is stopped after TUNSETIFF, its TAP has no owner yet" ||
	diag "$(cat "$WORK/a.strace")"

B_OUT=$WORK/b.out
B_ERR=$WORK/b.err
user_cmd alice "$GETFD" --hold 3600 -- "$HELPER" --use-vnet --fd={fd} --br=br0
"${USER_CMD[@]}" > "$B_OUT" 2> "$B_ERR" < /dev/null &
B_PID=$!
# Until B has its answer, or its helper waits for alice's lock (polling it:
# in clock_nanosleep(2) or fcntl(2), syscalls 230 and 72 on x86-64), or a
# while has passed: then A goes on, well within B's bounded wait.
for t in $(seq 100); do
	grep -qx end "$B_OUT" && break
	b_waits=0
	for p in $(pgrep -u alice -x "$HELPER_NAME"); do
		case $(cut -d' ' -f1 "/proc/$p/syscall" 2> /dev/null) in
		230 | 72) [ "$(ps -o stat= -p "$p")" != T ] && b_waits=1 ;;
		esac
	done
	[ "$b_waits" = 1 ] && break
	sleep 0.02
done
kill -CONT $(pgrep -u alice -x "$HELPER_NAME")
for t in $(seq 600); do
	grep -qx end "$A_OUT" && grep -qx end "$B_OUT" && break
	sleep 0.05
done
is "$(kv fds "$(cat "$A_OUT")")" 1 "an ownerless TAP: request A is granted" ||
	diag "$(cat "$WORK/a.err")"
is "$(kv exit "$(cat "$B_OUT")")" 1 "an ownerless TAP: request B is refused"
is "$(cat "$B_ERR")" \
	"$HELPER_NAME: limit of 1 TAP for user alice reached (in use: $a_tap)" \
	"an ownerless TAP: request B's refusal names A's TAP"
is "$(tap_names | paste -sd ' ' -)" "$a_tap" \
	"an ownerless TAP: alice holds only A's TAP"
a_pid=$(kv pid "$(cat "$A_OUT")")
[ -n "$a_pid" ] && kill -TERM "$a_pid"
kill -TERM "$B_PID" 2> /dev/null
wait "$A_STRACE" "$B_PID"
no_taps_left "an ownerless TAP: no TAP left once A lets go"

# --- another user cannot hold alice's limit lock -----------------------------------------
# With /dev/net/tun at 0666 (Debian's default) bob can open the node and lock
# every byte of it; the setuid helper's lock lives in a root-only file in
# /run, so alice's limited requests go on regardless.
tun_node 0666
write_acl 'allow br0' 'limit 2 user=alice'
install -m 0755 "$B/tests/tools/ofdlock" "$WORK/bin/ofdlock" ||
	bail "ofdlock must be built (make tests)"
user_cmd bob "$WORK/bin/ofdlock" /dev/net/tun 0 0
"${USER_CMD[@]}" > "$WORK/lock.out" 2> "$WORK/lock.err" < /dev/null &
LOCKER=$!
for t in $(seq 200); do
	grep -qx locked "$WORK/lock.out" && break
	sleep 0.05
done
is "$(cat "$WORK/lock.out")" locked "bob holds a write lock on all of /dev/net/tun"
run_as bob "$WORK/bin/ofdlock" /run/tapgate-helper.lock 0 0
like "$ERR" "cannot open /run/tapgate-helper.lock: Permission denied" \
	"bob cannot open the helper's lock file"
getfd_run alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
is "$STATUS/$(kv fds)" 0/1 "alice, under a limit, is granted while bob holds /dev/net/tun's locks"
kill "$LOCKER" 2> /dev/null
wait "$LOCKER" 2> /dev/null
no_taps_left "no TAP left after the lock test"
tun_node 0600

# --- a request stopped inside alice's lock delays only alice, and boundedly ---------------
# A is stopped between TUNSETIFF and TUNSETOWNER and stays stopped: alice's
# next request gives up with a clear refusal instead of hanging, and bob,
# under a limit too, is not held up at all.
write_acl 'allow br0' 'limit 1 user=alice' 'limit 1 user=bob'
stop_request_a
is "${a_tap:+$(tap_attr "$a_tap" owner)}" -1 \
	"a stopped request: A is stopped inside alice's lock"
getfd_run bob -- "$HELPER" --use-vnet --fd={fd} --br=br0
is "$(kv fds)" 1 "a stopped request: bob, also limited, is granted meanwhile"
getfd_run alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
is "$STATUS/$ERR" \
	"1/$HELPER_NAME: another request of user alice is still creating a TAP; try again" \
	"a stopped request: alice's next request is refused, not hung"
is "$(tap_names | paste -sd ' ' -)" "$a_tap" \
	"a stopped request: the refused request left no TAP"
kill -CONT $(pgrep -u alice -x "$HELPER_NAME")
for t in $(seq 600); do
	grep -qx end "$A_OUT" && break
	sleep 0.05
done
is "$(kv fds "$(cat "$A_OUT")")" 1 "a stopped request: A is granted once it goes on"
is "$(tap_names | paste -sd ' ' -)" "$a_tap" \
	"a stopped request: alice holds only A's TAP"
a_pid=$(kv pid "$(cat "$A_OUT")")
[ -n "$a_pid" ] && kill -TERM "$a_pid"
wait "$A_STRACE" 2> /dev/null
no_taps_left "a stopped request: no TAP left once A lets go"

done_testing
