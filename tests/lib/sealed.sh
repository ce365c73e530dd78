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
