#!/bin/bash
# test_privileges.sh - privilege audit of the installed helper, seen from outside: ids, capability sets, no_new_privs, dumpability and open fds at each step (SPEC §3), setuid and file-capability installs
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/attack.sh"

# METHOD. The shipped binary is observed as it runs, with no test code in
# it: strace, run by root, starts the caller as alice (-u) and injects a
# SIGSTOP into the helper at chosen system calls (the signal is delivered
# when the call returns). While the helper is stopped, root reads
# /proc/PID/status, the owner of /proc/PID/mem (the kernel gives it to root
# when the process is not dumpable) and /proc/PID/fd, and the TAP's state
# from sysfs; then SIGCONT lets it go on. A stop is recognised by strace's
# own log ("--- stopped by SIGSTOP ---"), not by the process state, which
# is also "t" for an instant at every traced system call. The stops:
#   openat    after it opened /dev/net/tun: the one step done with the
#             privilege it was installed with
#   sendto    after each netlink request: the bridge lookup (before the
#             TAP exists) and the port setup (the TAP is configured: master,
#             MTU, MAC, up)
#   sendmsg   after the TAP fd was sent
# A ptrace tracer (strace) does not change credentials, no_new_privs or
# dumpability; root as the tracer lets setuid and file capabilities apply
# at exec (as without a tracer). The helper inherits 100 extra fds to show
# that they are gone at every stop after the first.

make_bridge br0
write_acl 'allow br0'
tun_node 0666		# the file-capability installs need it
ALICE=$(id -u alice)
ALICE_GID=$(id -g alice)
CAP_NET_ADMIN=$((1 << 12))
# The bounding set a process starts with here (a container may have
# dropped some capabilities from every process's).
OUR_BND=$(status_of $$ CapBnd)

hex() { printf '%016x' "$1"; }

# install_as HOW: setuid (root, mode 4755), net_admin (mode 0755 and the
# file capability cap_net_admin+ep) or net_admin+setpcap (0755 and
# cap_net_admin,cap_setpcap+ep, the default of make install SETCAP=1).
install_as()
{
	case $1 in
	setuid) install_helper setuid ;;
	net_admin) install_helper setcap &&
		setcap cap_net_admin+ep "$HELPER" ;;
	net_admin+setpcap) install_helper setcap &&
		setcap cap_net_admin,cap_setpcap+ep "$HELPER" ;;
	esac || bail "cannot install the helper as $1"
}

# observe STRACE-OPTIONS...: run alice's request under strace with those
# options (its log in $WORK/strace.log). Each time the log says the helper
# was "stopped by SIGSTOP", record a snapshot line in SNAPS:
#   STOP# UID GID INH PRM EFF BND AMB NNP DUMPABLE TAPSTATE FDS AFTER
# TAPSTATE is "none" or "tapN:MASTER:up|down"; FDS lists the helper's fd
# targets in fd order (null, out, err, tun, socket, or a path); AFTER is
# the system call the stop came after (openat, sendto:RTM_GETLINK,
# sendto:RTM_NEWLINK, sendmsg). Then SIGCONT.
observe()
{
	local out=$WORK/obs.out log=$WORK/strace.log pid="" n=0 seen i
	local tap master up fds after cmd

	SNAPS=()
	: > "$out"
	: > "$log"
	# user_cmd's argv is "setpriv ... -- env -i PATH=.. HOME=/ USER=..
	# LOGNAME=.. CMD...": strace -u switches the uid itself, so keep the
	# env part, with getfd as the command.
	user_cmd alice "$GETFD" -- "$WITHFD" --spray 100 -- \
		"$HELPER" --use-vnet --fd={fd} --br=br0
	cmd=("${USER_CMD[@]}")
	while [ "${cmd[0]}" != env ]; do cmd=("${cmd[@]:1}"); done
	strace -f -qq -o "$log" "$@" -u alice -- "${cmd[@]}" \
		> "$out" 2> "$WORK/obs.err" &
	local sp=$!
	for i in $(seq 6000); do	# a bound on a hang, not a timed assertion
		[ -n "$pid" ] || pid=$(kv helper_pid "$(cat "$out")")
		if [ -n "$pid" ]; then
			seen=$(grep -c "^$pid  *--- stopped by SIGSTOP ---" "$log")
			if [ "$seen" -gt "$n" ]; then
				n=$seen
				after=$(grep -E "^$pid  *(openat|sendto|sendmsg)\(" "$log" |
					tail -n 1 | sed -E 's/^[0-9]+ +([a-z]+)\(.*/\1/')
				if [ "$after" = sendto ]; then
					after=sendto:$(grep -E "^$pid  *sendto\(" "$log" | tail -n 1 |
						grep -oE 'RTM_[A-Z]+' | head -n 1)
				fi
				tap=$(tap_names | head -n 1)
				if [ -n "$tap" ]; then
					master=$(basename "$(readlink "/sys/class/net/$tap/master" 2> /dev/null)")
					up=down
					(( $(tap_attr "$tap" flags) & 1 )) && up=up
					tap="$tap:${master:-nomaster}:$up"
				fi
				fds=$(fd_targets "$pid" | sed 's/.* -> //' |
					sed "s|^$out\$|out|; s|^$WORK/obs.err\$|err|; s|^/dev/null\$|null|; s|^/dev/net/tun\$|tun|" |
					paste -sd, -)
				SNAPS+=("$n $(status_of "$pid" Uid | tr ' ' /) $(status_of "$pid" Gid | tr ' ' /) $(status_of "$pid" CapInh) $(status_of "$pid" CapPrm) $(status_of "$pid" CapEff) $(status_of "$pid" CapBnd) $(status_of "$pid" CapAmb) $(status_of "$pid" NoNewPrivs) $(dumpable "$pid") ${tap:-none} $fds $after")
				kill -CONT "$pid"
			fi
		fi
		grep -qx end "$out" && break
		sleep 0.005
	done
	wait "$sp"
	OUT=$(cat "$out")
}

# field SNAP N: the Nth field of a snapshot line (1-based).
field() { echo "$1" | cut -d' ' -f"$2"; }

for how in setuid net_admin net_admin+setpcap; do
	install_as "$how"
	diag "=== $how: $(stat -c '%A %U' "$HELPER") $(getcap "$HELPER" | sed 's/^[^ ]* //')"

	# --- step 2: right after /dev/net/tun is opened, before the drop ---------------
	observe -P /dev/net/tun -e trace=openat -e inject=openat:signal=SIGSTOP:when=1
	is "$(kv exit)/$(kv fds)" 0/1 "$how: the observed request is granted" || diag "$OUT"
	is "${#SNAPS[@]}" 1 "$how, /dev/net/tun opened: the helper was seen stopped once"
	s=${SNAPS[0]:-}
	diag "$how, after opening /dev/net/tun: uid $(field "$s" 2) gid $(field "$s" 3) inh $(field "$s" 4) prm $(field "$s" 5) eff $(field "$s" 6) bnd $(field "$s" 7) amb $(field "$s" 8) nnp $(field "$s" 9) dumpable $(field "$s" 10) fds $(field "$s" 12)"
	is "$(field "$s" 2 | cut -d/ -f1)" "$ALICE" "$how, /dev/net/tun opened: the real uid is the caller's"
	if [ "$how" != setuid ]; then
		# Only the setuid install has euid 0 here; with euid 0 the
		# owner of /proc/PID/mem is root either way.
		is "$(field "$s" 10)" 0 "$how, /dev/net/tun opened: not dumpable"
	fi
	is "$(field "$s" 12)" "null,out,err,tun,socket" \
		"$how, /dev/net/tun opened: the 100 inherited fds are already closed"

	# --- steps 5 to 8: every netlink request, then the fd's send --------------------
	observe -e trace=sendto,sendmsg -e inject=sendto,sendmsg:signal=SIGSTOP
	is "$(kv exit)/$(kv fds)" 0/1 "$how: the observed request is granted" || diag "$OUT"
	stops=""
	for s in "${SNAPS[@]}"; do
		after=$(field "$s" 13)
		stops="$stops $after"
		stop="$how, after $after (TAP $(field "$s" 11))"
		diag "$stop: uid $(field "$s" 2) gid $(field "$s" 3) inh $(field "$s" 4) prm $(field "$s" 5) eff $(field "$s" 6) bnd $(field "$s" 7) amb $(field "$s" 8) nnp $(field "$s" 9) dumpable $(field "$s" 10) fds $(field "$s" 12)"
		is "$(field "$s" 2)" "$ALICE/$ALICE/$ALICE/$ALICE" "$stop: every uid is the caller's"
		is "$(field "$s" 3)" "$ALICE_GID/$ALICE_GID/$ALICE_GID/$ALICE_GID" "$stop: every gid is the caller's"
		is "$(field "$s" 4)/$(field "$s" 8)" "$(hex 0)/$(hex 0)" "$stop: no inheritable, no ambient capability"
		is "$(field "$s" 9)" 1 "$stop: no_new_privs is set"
		is "$(field "$s" 10)" 0 "$stop: not dumpable"
		if [ "$how" = net_admin ]; then
			# Without CAP_SETPCAP the bounding set cannot be cleared;
			# no_new_privs keeps it from ever granting anything.
			is "$(field "$s" 7)" "$OUR_BND" "$stop: the bounding set is left as inherited (no CAP_SETPCAP to clear it)"
		else
			is "$(field "$s" 7)" "$(hex 0)" "$stop: the bounding set is empty"
		fi
		case $after in
		sendto:RTM_*)
			is "$(field "$s" 5)/$(field "$s" 6)" "$(hex "$CAP_NET_ADMIN")/$(hex "$CAP_NET_ADMIN")" \
				"$stop: exactly CAP_NET_ADMIN, permitted and effective"
			is "$(field "$s" 12)" 'null,out,err,tun,socket,socket' \
				"$stop: only stdio, the TAP node, SOCKFD and netlink are open"
			;;
		sendto:)
			# Not netlink: the syslog line, after the fd left.
			is "$(field "$s" 5)/$(field "$s" 6)" "$(hex 0)/$(hex 0)" \
				"$stop: the log line is sent with no capability left"
			;;
		sendmsg)
			is "$(field "$s" 5)/$(field "$s" 6)" "$(hex 0)/$(hex 0)" \
				"$stop: the fd is sent with no capability left"
			like "$(field "$s" 11)" '^tap[0-9a-f]{8}:br0:up$' "$stop: the TAP is configured and up"
			is "$(field "$s" 12)" null,out,err,tun,socket \
				"$stop: only stdio, the TAP and SOCKFD are open"
			;;
		esac
	done
	like "$stops" 'sendto:RTM_NEWLINK' "$how: the helper was seen right after configuring its TAP"
	like "$stops" 'sendmsg$' "$how: the helper was seen right after sending the fd"
	no_taps_left "$how: no TAP left"
done

# --- a sealed port, setuid: CAP_SYS_ADMIN permitted (not effective) only
# until the one unshare(CLONE_NEWNET), then gone ------------------------------------------
CAP_SYS_ADMIN=$((1 << 21))
install_as setuid
write_acl 'allow br0 sealed'
observe -e trace=sendto,sendmsg -e inject=sendto:signal=SIGSTOP
is "$(kv exit)/$(kv fds)" 0/1 "sealed: the observed request is granted" || diag "$OUT"
n=0
for s in "${SNAPS[@]}"; do
	after=$(field "$s" 13)
	case $after in sendto:RTM_*) ;; *) continue ;; esac
	n=$((n + 1))
	stop="sealed, netlink request $n ($after)"
	diag "$stop: prm $(field "$s" 5) eff $(field "$s" 6) bnd $(field "$s" 7) nnp $(field "$s" 9) dumpable $(field "$s" 10)"
	if [ "$n" = 1 ]; then
		is "$(field "$s" 5)/$(field "$s" 6)" \
			"$(hex $((CAP_NET_ADMIN | CAP_SYS_ADMIN)))/$(hex "$CAP_NET_ADMIN")" \
			"$stop, the bridge lookup: CAP_SYS_ADMIN permitted but not effective, CAP_NET_ADMIN both"
	else
		is "$(field "$s" 5)/$(field "$s" 6)" "$(hex "$CAP_NET_ADMIN")/$(hex "$CAP_NET_ADMIN")" \
			"$stop, after the unshare: exactly CAP_NET_ADMIN, permitted and effective"
	fi
	is "$(field "$s" 10)" 0 "$stop: not dumpable"
done
ok "sealed: the helper was seen at its bridge lookup and at the sealed port's requests" \
	test "$n" -ge 4

done_testing
