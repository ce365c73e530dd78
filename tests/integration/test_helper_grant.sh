#!/bin/bash
# test_helper_grant.sh - a granted TAP is attached, configured and owned as SPEC §3 says, for each argv form QEMU and libvirt use
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"

IFF_UP=0x1
IFF_PERSIST=0x800
IFF_VNET_HDR=0x4000

install_helper setuid
make_bridge br0
# Not the default 1500, so that "MTU = the bridge's" is seen to be done.
ip link set br0 mtu 1400
write_acl 'allow br0'
ALICE=$(id -u alice)
# A bridge takes the lowest MAC among its ports (unless one was set on it).
# With an uplink port whose MAC is high, a TAP with any MAC below fe:…, as
# a kernel-chosen random one almost always is, would change the bridge's.
ip link add up0 address fa:00:00:00:00:01 type veth peer name up1 &&
ip link set up0 master br0 && ip link set up0 up ||
	bail "cannot add an uplink port to br0"
BR_MAC=$(tap_attr br0 address)
is "$BR_MAC" fa:00:00:00:00:01 "setup: the bridge's MAC is its uplink's"

# check_granted FORM VNET: what a granted, held TAP must look like.
# FORM names the argv form; VNET is 1 when --use-vnet was given.
check_granted()
{
	local form=$1 vnet=$2 tap flags tunflags pids alias

	is "$STATUS" "" "$form: the client holds the fd" || diag "$OUT" "$ERR"
	is "$(kv exit)" 0 "$form: the helper exits 0"
	is "$ERR" "" "$form: the helper prints nothing"
	is "$(kv fds)" 1 "$form: one fd is received"
	is "$(kv tap_mode)/$(kv no_pi)" tap/1 "$form: the fd is a TAP with IFF_NO_PI"
	tap=$(kv tap)
	like "$tap" '^tap[0-9a-f]{8}$' "$form: the name is tap and 8 random hex digits"
	[ -n "$tap" ] && [ -d "/sys/class/net/$tap" ] || {
		fail "$form: the TAP exists" "no /sys/class/net/$tap"
		release
		return
	}
	is "$(basename "$(readlink "/sys/class/net/$tap/master")")" br0 \
		"$form: the TAP's master is the bridge"
	is "$(tap_attr "$tap" mtu)" 1400 "$form: the TAP's MTU is the bridge's"
	like "$(tap_attr "$tap" address)" '^fe:' \
		"$form: the TAP's MAC starts with fe"
	is "$(tap_attr br0 address)" "$BR_MAC" \
		"$form: the bridge's own MAC did not change"
	alias=$(tap_attr "$tap" ifalias)
	if [ "$form" = "QEMU -netdev tap,helper= (/bin/sh -c)" ]; then
		# The helper's caller is /bin/sh here unless the shell execs
		# its last command: either is the process that ran it.
		pids="($(kv pid)|$(kv helper_pid))"
		like "$alias" "^tapgate uid=$ALICE pid=$pids\$" \
			"$form: the TAP's alias names the uid and the caller's pid"
	else
		is "$alias" "tapgate uid=$ALICE pid=$(kv pid)" \
			"$form: the TAP's alias names the uid and the caller's pid"
	fi
	is "$(tap_attr "$tap" owner)" "$ALICE" "$form: the TAP's owner is the caller"
	flags=$(tap_attr "$tap" flags)
	is "$((flags & IFF_UP))" $((IFF_UP)) "$form: the TAP is up"
	tunflags=$(tap_attr "$tap" tun_flags)
	is "$((tunflags & IFF_PERSIST))" 0 "$form: the TAP is not persistent"
	if [ "$vnet" = 1 ]; then
		is "$(kv vnet_hdr)" 1 "$form: --use-vnet gives IFF_VNET_HDR on the fd"
		is "$((tunflags & IFF_VNET_HDR))" $((IFF_VNET_HDR)) \
			"$form: --use-vnet gives IFF_VNET_HDR on the TAP"
	else
		is "$(kv vnet_hdr)" 0 "$form: no --use-vnet, no IFF_VNET_HDR on the fd"
		is "$((tunflags & IFF_VNET_HDR))" 0 \
			"$form: no --use-vnet, no IFF_VNET_HDR on the TAP"
	fi
	is "$(kv multi_queue)" 0 "$form: one queue, no IFF_MULTI_QUEUE"
	release
	is "$STATUS" 0 "$form: the client ends cleanly"
	no_taps_left "$form: the TAP is gone once the fd is closed"
}

# QEMU's -netdev bridge,br=br0,helper=PATH: execv(PATH, PATH --use-vnet
# --fd=N --br=br0).
getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
check_granted "QEMU -netdev bridge" 1

# libvirt's session mode: PATH [--use-vnet] --br=BR --fd=N.
getfd_hold alice -- "$HELPER" --br=br0 --fd={fd}
check_granted "libvirt, no --use-vnet" 0
getfd_hold alice -- "$HELPER" --use-vnet --br=br0 --fd={fd}
check_granted "libvirt --use-vnet" 1

# QEMU's -netdev tap,helper="PATH --br=br0": the string has a space, so
# QEMU runs /bin/sh -c "PATH --br=br0 --use-vnet --fd=N " (its --br= buffer
# is empty then, hence the trailing space, reproduced by the "" word).
getfd_hold alice --sh -- "$HELPER --br=br0" --use-vnet --fd={fd} ""
check_granted "QEMU -netdev tap,helper= (/bin/sh -c)" 1

# --queues=N: one multiqueue TAP, N fds in the one message.
getfd_hold alice --expect 4 -- "$HELPER" --use-vnet --queues=4 --fd={fd} --br=br0
is "$STATUS/$(kv exit)/$(kv fds)" "/0/4" "--queues=4: four fds arrive in one message" ||
	diag "$OUT" "$ERR"
is "$(kv multi_queue)/$(kv same_tap)" 1/1 \
	"--queues=4: the fds are queues of one IFF_MULTI_QUEUE TAP"
is "$(tap_count)" 1 "--queues=4: exactly one TAP exists"
TAP=$(kv tap)
is "$(basename "$(readlink "/sys/class/net/$TAP/master" 2>/dev/null)")" br0 \
	"--queues=4: the TAP's master is the bridge"
release
no_taps_left "--queues=4: the TAP is gone once the fds are closed"

done_testing
