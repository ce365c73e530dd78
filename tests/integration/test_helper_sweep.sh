#!/bin/bash
# test_helper_sweep.sh - --sweep deletes the persistent TAPs the helper granted that no process holds: a user's own by the alias only the helper writes (never by owner), root's anyone's, never another interface; it says what it removed
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh" || exit 1

install_helper setuid
make_bridge br0
write_acl 'allow br0'
ALICE=$(id -u alice)
BOB=$(id -u bob)

# persisted USER [GETFD OPTIONS]: a TAP granted to USER whose holder made
# it persistent (TUNSETPERSIST needs no privilege on one's own fd) and
# then exited. Sets TAP and CALLER (the pid the alias names).
persisted()
{
	local who=$1

	shift
	getfd_run "$who" --persist "$@" -- "$HELPER" --use-vnet --fd={fd} --br=br0
	TAP=$(kv tap)
	CALLER=$(kv pid)
	[ "$STATUS/$(kv persist)" = 0/1 ] && [ -n "$TAP" ] ||
		bail "setup: cannot persist a TAP as $who: $OUT $ERR"
}
exists() { [ -e "/sys/class/net/$1" ]; }

# --- the attack: a persisted TAP outlives its VM, on the bridge -------------
persisted alice
ok "a TAP its holder persisted outlives every process" exists "$TAP"
is "$(basename "$(readlink "/sys/class/net/$TAP/master")")" br0 \
	"... and stays a port of the bridge"
A1=$TAP A1_CALLER=$CALLER

# --- a user sweeps only their own ---------------------------------------------
run_as bob "$HELPER" --sweep
is "$STATUS/$OUT/$ERR" "0//" "bob's --sweep succeeds and removes nothing of alice's"
ok "alice's persisted TAP is still there after bob's sweep" exists "$A1"

# The holder may change the owner (TUNSETOWNER needs no privilege): that
# gives the TAP to nobody else, and takes it from no one.
persisted alice --owner "$BOB"
A2=$TAP
is "$(tap_attr "$A2" owner)" "$BOB" "setup: the holder gave alice's TAP to bob"
run_as bob "$HELPER" --sweep
is "$STATUS/$OUT" "0/" "bob's --sweep does not take a TAP whose owner was set to bob"
ok "... it is still there" exists "$A2"

# A TAP that a process still holds is a running VM's: left alone.
getfd_hold alice --persist -- "$HELPER" --use-vnet --fd={fd} --br=br0
HELD=$(kv tap)
HELD_CALLER=$(kv pid)
run_as alice "$HELPER" --sweep --pid=999999
is "$STATUS/$OUT" "0/" "--pid narrows the sweep: another caller pid's TAPs stay"
run_as alice "$HELPER" --sweep
like "$OUT" "^removed $A1, a persistent TAP granted to uid $ALICE \\(pid $A1_CALLER\\)" \
	"alice's --sweep says what it removed" || diag "$OUT" "$ERR"
like "$OUT" "removed $A2, a persistent TAP granted to uid $ALICE" \
	"... also the one whose holder gave it to bob: the alias decides, not the owner"
is "$STATUS/$(printf '%s\n' "$OUT" | grep -c .)" 0/2 "... exactly those two, exit 0"
nok "alice's first persisted TAP is gone" exists "$A1"
nok "alice's second persisted TAP is gone" exists "$A2"
ok "the TAP a process still holds is left (its VM runs)" exists "$HELD"
release
ok "once released, the persisted TAP stays" exists "$HELD"
run_as alice "$HELPER" --sweep --pid="$HELD_CALLER"
like "$OUT" "^removed $HELD, " "--sweep --pid=CALLER removes that caller's TAP"
nok "... it is gone" exists "$HELD"

# --- never anything else --------------------------------------------------------
# A TAP root made, owned by alice, and interfaces whose alias imitates ours.
ip tuntap add dev tapplain mode tap user alice || bail "cannot add tapplain"
ip tuntap add dev tapfake mode tap user alice || bail "cannot add tapfake"
ip link set tapfake alias "tapgate uid=$ALICE pid=1 " || bail "cannot set an alias"
ip link add brfake type bridge || bail "cannot add brfake"
ip link set brfake alias "tapgate uid=$ALICE pid=1" || bail "cannot set an alias"
persisted bob
B1=$TAP
run_as alice "$HELPER" --sweep
is "$STATUS/$OUT" "0/" "alice's --sweep removes no TAP the helper did not grant her"
run_as root "$HELPER" --sweep
is "$STATUS/$OUT" "0/removed $B1, a persistent TAP granted to uid $BOB (pid $CALLER)" \
	"root's --sweep removes anyone's persisted TAP, and only that" || diag "$ERR"
ok "a persistent TAP without the helper's alias is never removed" exists tapplain
ok "a TAP whose alias is not exactly the helper's is never removed" exists tapfake
ok "an interface of another kind with the helper's alias is never removed" exists brfake
ip link del tapplain
ip link del tapfake
ip link del brfake

# --- privileges: CAP_NET_ADMIN alone, as the caller, at each request ----------------
# Seen from outside, as test_privileges.sh does: strace, run by root,
# starts alice's --sweep and stops it after each netlink request; while it
# is stopped, root reads its ids and capability sets.
# sweep_audit: fills SNAPS with "UIDS PRM EFF INH AMB NNP" per stop.
sweep_audit()
{
	local log=$WORK/sweep.strace pid="" n=0 seen sp

	SNAPS=()
	: > "$log"
	strace -f -qq -o "$log" -e trace=sendto -e inject=sendto:signal=SIGSTOP \
		-u alice -- "$HELPER" --sweep > "$WORK/sweep.out" 2>&1 &
	sp=$!
	for _ in $(seq 6000); do	# a bound on a hang, not a timed assertion
		[ -n "$pid" ] || pid=$(awk 'NR == 1 { print $1 }' "$log")
		if [ -n "$pid" ]; then
			seen=$(grep -c "^$pid  *--- stopped by SIGSTOP ---" "$log")
			if [ "$seen" -gt "$n" ]; then
				n=$seen
				SNAPS+=("$(status_of "$pid" Uid | tr ' ' /) $(status_of "$pid" CapPrm) $(status_of "$pid" CapEff) $(status_of "$pid" CapInh) $(status_of "$pid" CapAmb) $(status_of "$pid" NoNewPrivs)")
				kill -CONT "$pid"
			fi
		fi
		kill -0 "$sp" 2> /dev/null || break
		sleep 0.005
	done
	wait "$sp"
}
. "$ROOT/tests/lib/attack.sh"
persisted alice
sweep_audit
like "$(cat "$WORK/sweep.out")" "^removed $TAP, " "the audited sweep removes alice's persisted TAP" ||
	diag "$(cat "$WORK/sweep.out")"
is "${#SNAPS[@]}" 2 "the audited sweep was seen stopped after its dump and its delete"
for s in "${SNAPS[@]}"; do
	is "$s" "$ALICE/$ALICE/$ALICE/$ALICE 0000000000001000 0000000000001000 0000000000000000 0000000000000000 1" \
		"at each netlink request, --sweep runs as alice with CAP_NET_ADMIN alone (no CAP_SYS_ADMIN kept), no_new_privs"
done

# --- installed with the file capability too --------------------------------------
tun_node 0666		# the file-capability install needs it
install_helper setcap
persisted alice
run_as alice "$HELPER" --sweep
is "$STATUS/$OUT" "0/removed $TAP, a persistent TAP granted to uid $ALICE (pid $CALLER)" \
	"with cap_net_admin,cap_setpcap+ep, alice's --sweep removes her persisted TAP" ||
	diag "$ERR"
install_helper setuid

# --- the command line -------------------------------------------------------------
run_as alice "$HELPER" --sweep --br=br0
is_refusal "--sweep with --br is refused" '--sweep takes no other option than --pid'
run_as alice "$HELPER" --sweep --pid=0
is_refusal "--pid=0 is refused" "invalid --pid '0'"
run_as alice "$HELPER" --pid=1 --br=br0 --fd=0
is_refusal "--pid without --sweep is refused" '--pid is only for --sweep'
run_as alice "$HELPER" --sweep --check
is_refusal "--sweep with --check is refused" 'exclude each other'

no_taps_left "no TAP is left"
done_testing
