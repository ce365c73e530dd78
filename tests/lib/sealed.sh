# sealed.sh - shared helpers of the sealed-port tests (test_policy_sealed.sh, test_policy_macguard.sh)
# shellcheck shell=bash
#
# Source after lib.sh:  . "$ROOT/tests/lib/sealed.sh"
#
#   port_of BRIDGE     the port of BRIDGE that the helper made (the bridge-
#                      side veth of a sealed port), not a test's router
#                      (rtr*); empty when there is none
#   veths              every veth here but the routers' (rtr*), one a line
#   nothing_left NAME  assert that no TAP and no veth is left, once the
#                      kernel has torn down the sealed namespaces of closed
#                      fds (asynchronous: a bounded wait, not a timed
#                      assertion)
#   kill_in_flight N USER HELPER-ARGS...   N requests of USER through
#                      getfd, each helper SIGKILLed (by its pid: getfd's
#                      child) at a random moment in its first 8 ms; getfd's
#                      reports in $WORK/kills (signal=9 for a killed one)

port_of()
{
	local p

	for p in /sys/class/net/"$1"/brif/*; do
		p=${p##*/}
		case $p in
		rtr*|'*') ;;
		*) echo "$p"; return ;;
		esac
	done
}

veths()
{
	ip -o link show type veth | awk -F': ' '{print $2}' | sed 's/@.*//' |
		grep -v '^rtr'
}

nothing_left()
{
	local left

	for _ in $(seq 100); do
		left="$(tap_names) $(veths)"
		[ -z "${left// /}" ] && break
		sleep 0.05
	done
	is "$(printf "%s" "$left" | xargs)" "" "$1: no TAP and no veth left"
}

kill_in_flight()
{
	local n=$1 user=$2 gpid c

	shift 2
	: > "$WORK/kills"
	for _ in $(seq "$n"); do
		user_cmd "$user" "$GETFD" -- "$HELPER" "$@"
		"${USER_CMD[@]}" >> "$WORK/kills" 2> /dev/null &
		gpid=$!
		sleep "0.00$((RANDOM % 8))$((RANDOM % 10))"
		# shellcheck disable=SC2013 # pids, one word each
		for c in $(cat "/proc/$gpid/task/$gpid/children" 2> /dev/null); do
			kill -KILL "$c" 2> /dev/null
		done
		wait "$gpid" 2> /dev/null
	done
}
