#!/bin/bash
# test_policy_isolation.sh - the isolated port option: set on the bridge port when the rule says so, off otherwise; the most specific matching allow rule supplies it
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
make_bridge br0
make_bridge br1
ACLDIR=$(dirname "$ACL")

# port NAME WANT BRIDGE [-g GIDS|-G] USER: the user's TAP is granted, is a
# port of BRIDGE, and its isolation flag is WANT (on|off), as the kernel
# reports it both in sysfs and to `bridge -d link`.
port()
{
	local name=$1 want=$2 br=$3 tap flag text

	shift 3
	getfd_hold "$@" -- "$HELPER" --use-vnet --fd={fd} --br="$br"
	tap=$(kv tap)
	if [ -z "$HOLD_PID" ] || [ -z "$tap" ]; then
		fail "$name: granted" "status $STATUS" "$ERR"
		release
		return 1
	fi
	is "$(basename "$(readlink "/sys/class/net/$tap/master")")" "$br" \
		"$name: the TAP is a port of $br"
	flag=$(tap_attr "$tap" brport/isolated)
	case $flag in 1) flag=on ;; 0) flag=off ;; esac
	is "$flag" "$want" "$name: isolation is $want (sysfs)"
	text=$(bridge -d link show dev "$tap")
	like "$text" " isolated $want( |$)" "$name: isolation is $want (bridge -d link)"
	release
	no_taps_left "$name: no TAP left once the client lets go"
}

# --- the option itself --------------------------------------------------------------
write_acl 'allow br0 isolated' 'allow br1'
port "allow br0 isolated" on br0 alice
port "allow br1 (no option)" off br1 alice

# --- the most specific rule supplies the options ----------------------------------------
write_acl 'allow br0 isolated' 'allow br0 user=alice'
port "everyone isolated, user=alice plain: alice's port (user over everyone)" \
	off br0 alice
port "everyone isolated, user=alice plain: bob's port (only everyone matches)" \
	on br0 bob

write_acl 'allow br0 user=alice isolated' 'allow br0 group=lab'
port "user=alice isolated before group=lab plain: alice's port (user over group, whatever the order)" \
	on br0 alice
port "user=alice isolated before group=lab plain: bob's port (group)" \
	off br0 bob

write_acl 'allow br0 group=lab isolated' 'allow all'
port "group=lab isolated, allow all plain: alice's port (group over everyone)" \
	on br0 alice
port "group=lab isolated, allow all plain: alice without supplementary groups" \
	off br0 -G alice
port "group=lab isolated, allow all plain: carol's port" off br0 carol

# --- equally specific: the later line wins; options are not merged -------------------------
write_acl 'allow br0 isolated' 'allow br0'
port "allow br0 isolated, then allow br0: the later line wins" off br0 alice
write_acl 'allow br0' 'allow br0 isolated'
port "allow br0, then allow br0 isolated: the later line wins" on br0 alice
write_acl 'allow br0' 'allow all isolated'
port "allow br0, then allow all isolated: as specific, the later wins" \
	on br0 alice
write_acl 'allow all isolated' 'allow br0'
port "allow all isolated, then allow br0: as specific, the later wins" \
	off br0 alice

# An included file's lines count where its include line is.
write_acl -f "$ACLDIR/iso.conf" 'allow br0 isolated'
write_acl 'include iso.conf' 'allow br0'
port "include (allow br0 isolated), then allow br0" off br0 alice
write_acl 'allow br0' 'include iso.conf'
port "allow br0, then include (allow br0 isolated)" on br0 alice

# A deny is never overridden by an option-bearing allow.
write_acl 'allow br0 user=alice isolated' 'deny br0 group=lab'
getfd_run alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
is_refusal "allow br0 user=alice isolated + deny br0 group=lab: alice"
is "$ERR" "$HELPER_NAME: bridge 'br0' is denied for user alice by $ACL:2" \
	"allow br0 user=alice isolated + deny br0 group=lab: the message"

done_testing
