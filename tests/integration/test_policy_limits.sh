#!/bin/bash
# test_policy_limits.sh - limit N: slots held by the kernel as altnames, the lowest applicable limit wins, never exceeded under 12 concurrent requests, SIGKILL leaves no slot, nothing the fd holder or another user does changes the count, a lowered limit, exact refusal messages
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

# only_held NAME: the TAPs that exist are exactly the held ones (and
# those in EXTRA, which are not alice's).
EXTRA=()
only_held()
{
	is "$(tap_names | sort | paste -sd ' ' -)" \
		"$(printf '%s\n' "${HELD[@]}" "${EXTRA[@]}" | sed '/^$/d' | sort | paste -sd ' ' -)" \
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

# slots UID: "N TAP:SLOT..." of UID's slots in use, from the kernel.
slots()
{
	"$B/tests/tools/nlprobe" slots "$1" || echo "nlprobe failed"
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

# --- what counts: the TAPs the helper granted ---------------------------------------------
write_acl 'allow br0' 'limit 1 user=alice'
take "what counts: bob's first TAP" bob
take "what counts: bob's second TAP" bob
take "what counts: bob's TAPs do not count for alice" alice
refused "what counts: a TAP held by another of alice's processes counts" \
	"limit of 1 TAP for user alice reached (in use: ${HELD[2]})" alice
is "$(slots 4001)" "1 ${HELD[2]}:0" "what counts: alice's TAP holds her slot 0"
is "$(slots 4002)" "2 ${HELD[0]}:0 ${HELD[1]}:1" \
	"what counts: bob's two TAPs hold his slots 0 and 1, independent of alice's"
give_back
is "$(slots 4001)/$(slots 4002)" "0/0" "what counts: closing the TAPs frees every slot"

# A persistent TAP that root made for alice by other means holds no slot.
ip tuntap add dev ptap0 mode tap user alice ||
	bail "cannot make a persistent TAP owned by alice"
HELD=(ptap0)
granted "what counts: a TAP root made for alice by other means does not count" alice
ip tuntap del dev ptap0 mode tap
HELD=()

# --- nothing the fd holder does changes what counts -------------------------------------
write_acl 'allow br0' 'limit 1 user=alice'
take "re-owned: alice's TAP, given to bob with TUNSETOWNER by its fd holder" \
	alice --owner 4002
is "$(tap_attr "${HELD[0]}" owner)" 4002 "re-owned: the TAP's owner is now bob"
refused "re-owned: it still holds alice's slot" \
	"limit of 1 TAP for user alice reached (in use: ${HELD[0]})" alice
give_back

take "persistent: alice's TAP, made persistent by its fd holder" alice --persist
p_tap=${HELD[0]}
give_back
is "$(tap_names | paste -sd ' ' -)" "$p_tap" \
	"persistent: the TAP outlives its fd"
HELD=("$p_tap")
refused "persistent: it still holds alice's slot, and counts" \
	"limit of 1 TAP for user alice reached (in use: $p_tap)" alice
ip link del "$p_tap" 2> /dev/null
HELD=()
is "$(slots 4001)" 0 "persistent: once root deletes it, the slot is free"
granted "persistent: then alice is granted again" alice

# --- nobody but CAP_NET_ADMIN over this namespace adds or removes a slot ------------------
write_acl 'allow br0' 'limit 1 user=alice'
take "altnames: alice holds her slot" alice
a_tap=${HELD[0]}
run_as bob ip link property del dev "$a_tap" altname tapgate.uid4001.slot0
like "$STATUS/$ERR" '^[1-9][0-9]*/.*Operation not permitted' \
	"altnames: bob cannot remove alice's slot"
run_as alice ip link property del dev "$a_tap" altname tapgate.uid4001.slot0
like "$STATUS/$ERR" '^[1-9][0-9]*/.*Operation not permitted' \
	"altnames: alice cannot remove her own slot either"
run_as bob ip link property add dev lo altname tapgate.uid4001.slot1
like "$STATUS/$ERR" '^[1-9][0-9]*/.*Operation not permitted' \
	"altnames: bob cannot squat a slot of alice's"
# A user namespace gives CAP_NET_ADMIN over its own network namespaces
# only, never over this one.
if run_as bob unshare -Ur true && [ "$STATUS" = 0 ]; then
	run_as bob unshare -Ur ip link property add dev lo altname tapgate.uid4001.slot1
	like "$STATUS/$ERR" '^[1-9][0-9]*/.*Operation not permitted' \
		"altnames: nor from a user namespace of his own"
else
	skip "altnames: nor from a user namespace of his own" \
		"unprivileged user namespaces are off here"
fi
is "$(slots 4001)" "1 $a_tap:0" "altnames: alice's slot is as it was"
give_back

# --- two users' slots are independent ---------------------------------------------------
write_acl 'allow br0' 'limit 1'
take "independent: alice's TAP under limit 1" alice
take "independent: bob's TAP under limit 1" bob
is "$(slots 4001)/$(slots 4002)" "1 ${HELD[0]}:0/1 ${HELD[1]}:0" \
	"independent: each holds slot 0 of their own"
refused "independent: alice's second is refused, naming only hers" \
	"limit of 1 TAP for user alice reached (in use: ${HELD[0]})" alice
give_back

# --- a lowered limit ---------------------------------------------------------------------
write_acl 'allow br0' 'limit 4 user=alice'
take "lowered: alice's first TAP under limit 4" alice
take "lowered: her second" alice
take "lowered: her third" alice
write_acl 'allow br0' 'limit 1 user=alice'
refused "lowered to 1 with 3 in use: refused" \
	"limit of 1 TAP for user alice reached (in use: ${HELD[*]})" alice
# Her slot-0 TAP goes: slot 0 is free, but 2 TAPs are still in use.
kill -TERM "${HOLDERS[0]}" && wait "${HOLDERS[0]}"
HOLDERS=("${HOLDERS[@]:1}")
HELD=("${HELD[@]:1}")
refused "lowered to 1 with 2 in use (slot 0 free): still refused" \
	"limit of 1 TAP for user alice reached (in use: ${HELD[*]})" alice
kill -TERM "${HOLDERS[0]}" && wait "${HOLDERS[0]}"
HOLDERS=("${HOLDERS[@]:1}")
HELD=("${HELD[@]:1}")
refused "lowered to 1 with 1 in use: refused" \
	"limit of 1 TAP for user alice reached (in use: ${HELD[*]})" alice
give_back
granted "lowered to 1 with none in use: granted" alice

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

# --- SIGKILL at random moments leaves no slot taken ---------------------------------------
# hostile (tests/tools/hostile.c) SIGKILLs each helper 0 to 4 ms after it
# starts (a helper takes a few here), under a limit, so the kills land
# before, during and after the slot is taken; whatever it made goes with
# its fds, the slot with the TAP.
install -o root -g root -m 0755 "$B/tests/tools/hostile" "$WORK/bin/hostile" ||
	bail "hostile must be built (make tests)"
write_acl 'allow br0' 'limit 2 user=alice'
run_as alice "$WORK/bin/hostile" kill 150 4000 -- \
	"$HELPER" --use-vnet --fd={fd} --br=br0
is "$STATUS/$(kv runs)" 0/150 "SIGKILL at random moments: every run was made" ||
	diag "$OUT" "$ERR"
diag "killed $(kv killed), exited 0 $(kv exited0), exited 1 $(kv exited1), seed $(kv seed)"
isnt "$(kv killed)" 0 "SIGKILL at random moments: some runs were killed"
is "$(kv exited1)/$(kv other)" 0/0 \
	"SIGKILL at random moments: no run was refused: no slot was left taken by a killed one"
is "$(slots 4001)" 0 "SIGKILL at random moments: no slot of alice's is taken afterwards"
no_taps_left "SIGKILL at random moments: no TAP left"
take "SIGKILL at random moments: alice's first TAP is granted after it" alice
take "SIGKILL at random moments: and her second" alice
give_back

# --- another user's locks and processes cannot refuse or delay a limited request ----------
# The old design locked a byte of /dev/net/tun, which any user can open
# where the node is 0666. Now nothing is locked: bob holds write locks on
# all of /dev/net/tun and keeps a helper of his own stopped in the middle
# of its work (strace stops it at its TUNSETIFF), and alice's limited
# requests are granted, in both install modes.
tun_node 0666
install -m 0755 "$B/tests/tools/ofdlock" "$WORK/bin/ofdlock" ||
	bail "ofdlock must be built (make tests)"
for mode in setuid setcap; do
	install_helper "$mode"
	write_acl 'allow br0' 'limit 2 user=alice' 'limit 1 user=bob'
	user_cmd bob "$WORK/bin/ofdlock" /dev/net/tun 0 0
	"${USER_CMD[@]}" > "$WORK/lock.out" 2> "$WORK/lock.err" < /dev/null &
	LOCKER=$!
	for _ in $(seq 200); do
		grep -qx locked "$WORK/lock.out" && break
		sleep 0.05
	done
	is "$(cat "$WORK/lock.out")" locked "$mode: bob holds a write lock on all of /dev/net/tun"
	# Its third ioctl is TUNSETOWNER: the TAP exists by then.
	strace -f -qq -o "$WORK/b.strace" -u bob -e trace=ioctl \
		-e inject=ioctl:signal=SIGSTOP:when=3 -- \
		env -i PATH=/usr/bin:/bin "$GETFD" --hold 3600 -- "$HELPER" \
		--use-vnet --fd={fd} --br=br0 > "$WORK/b.out" 2> "$WORK/b.err" \
		< /dev/null &
	B_STRACE=$!
	for _ in $(seq 600); do
		[ "$(ps -o stat= -p "$(pgrep -u bob -x "$HELPER_NAME" | head -n 1)" 2> /dev/null)" = T ] &&
			[ "$(tap_count)" -ge 1 ] && break
		sleep 0.05
	done
	ok "$mode: bob's own helper is stopped in the middle of its work" \
		[ -n "$(pgrep -u bob -x "$HELPER_NAME")" ]
	# Its TAP exists, unconfigured; it is not alice's.
	mapfile -t EXTRA < <(tap_names)
	take "$mode: alice, limited, is granted while bob holds locks and a stopped helper" alice
	take "$mode: and again" alice
	refused "$mode: her third is refused by her limit, not by bob" \
		"limit of 2 TAPs for user alice reached (in use: ${HELD[*]})" alice
	give_back
	granted "$mode: with her TAPs closed she is granted again" alice
	kill "$LOCKER" 2> /dev/null
	wait "$LOCKER" 2> /dev/null
	for p in $(pgrep -u bob -x "$HELPER_NAME"); do
		kill -KILL "$p"
	done
	wait "$B_STRACE" 2> /dev/null
	EXTRA=()
	no_taps_left "$mode: no TAP left"
done
tun_node 0600
install_helper setuid

# --- a taken TAP name is retried ---------------------------------------------------------
# The names are random; a collision is made here by telling the helper's
# first TUNSETIFF (its second ioctl) that its name is taken: EBUSY is the
# kernel's answer to IFF_TUN_EXCL for a name that exists, EEXIST for one
# taken in a race. strace injects each (the kernel never sees that call),
# and the helper must go on with another name.
write_acl 'allow br0' 'limit 1 user=alice'
for err in EBUSY EEXIST; do
	strace -f -qq -o "$WORK/n.strace" -u alice -e trace=ioctl \
		-e inject=ioctl:error=$err:when=2 -- \
		env -i PATH=/usr/bin:/bin "$GETFD" -- "$HELPER" --use-vnet \
		--fd={fd} --br=br0 > "$WORK/n.out" 2> "$WORK/n.err" < /dev/null
	is "$(kv exit "$(cat "$WORK/n.out")")/$(kv fds "$(cat "$WORK/n.out")")" 0/1 \
		"a name taken ($err): the request is granted" || diag "$(cat "$WORK/n.err")"
	is "$(grep 'TUNSETIFF' "$WORK/n.strace" | sed 's/.*= //' | paste -sd '|' -)" \
		"-1 $err ($(
			case $err in EBUSY) echo 'Device or resource busy' ;; *) echo 'File exists' ;; esac
		)) (INJECTED)|0" \
		"a name taken ($err): the helper tried again, and the second TUNSETIFF made the TAP" ||
		diag "$(cat "$WORK/n.strace")"
	like "$(kv tap "$(cat "$WORK/n.out")")" '^tap[0-9a-f]{8}$' \
		"a name taken ($err): the TAP has a name of the usual form"
done
no_taps_left "a name taken: no TAP left"

done_testing
