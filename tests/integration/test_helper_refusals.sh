#!/bin/bash
# test_helper_refusals.sh - every refusal: exit status 1, exactly one "tapgate-helper: " line on stderr, no fd, no TAP left
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
make_bridge br0
make_bridge br1
make_bridge brtruncate12345		# 15 bytes: the longest valid name
ip link add veth0 type veth peer name veth1 || bail "cannot create veth0"
ip link set veth0 up

# refused_request NAME ERE HELPER-ARGS...: alice asks through getfd (the
# QEMU side, with a valid socket); the helper must refuse.
refused_request()
{
	local name=$1 ere=$2

	shift 2
	getfd_run alice -- "$HELPER" "$@"
	is_refusal "$name" "$ere"
	is "$(kv fds)" 0 "$name: no fd is sent"
}

# refused_argv NAME ERE HELPER-ARGS...: alice runs the helper directly
# (for argvs whose --fd is itself the problem).
refused_argv()
{
	local name=$1 ere=$2

	shift 2
	run_as alice "$HELPER" "$@"
	is_refusal "$name" "$ere"
}

# --- the ACL's verdicts (SPEC §4) ---------------------------------------------
write_acl 'allow br0'
refused_request "a bridge no rule allows is refused" 'br1' \
	--use-vnet --fd={fd} --br=br1

write_acl '# nothing allowed'
refused_request "default deny: an ACL without allow allows nothing" 'br0' \
	--use-vnet --fd={fd} --br=br0

write_acl 'allow all' 'deny br1'
refused_request "deny refuses a bridge that allow all would give" 'br1' \
	--use-vnet --fd={fd} --br=br1

write_acl 'allow br0' 'deny br0'
refused_request "deny wins over an earlier allow" 'br0' \
	--use-vnet --fd={fd} --br=br0

write_acl 'deny br0' 'allow br0'
refused_request "deny wins over a later allow" 'br0' \
	--use-vnet --fd={fd} --br=br0

write_acl 'allow br0' 'frobnicate br1'
refused_request "an ACL error refuses everything and names FILE:LINE" \
	"$ACL:2" --use-vnet --fd={fd} --br=br0

# --- the bridge (SPEC §3 steps 3 and 5) --------------------------------------
write_acl 'allow all'
refused_request "a bridge that does not exist is refused" 'nobr0' \
	--use-vnet --fd={fd} --br=nobr0
refused_request "an interface that is not a bridge is refused" 'veth0' \
	--use-vnet --fd={fd} --br=veth0

# The kernel also finds an interface by an alternative name; the ACL speaks
# of names, so that is refused, naming the bridge's real name.
ip link property add dev br1 altname lanbr || bail "cannot add altname lanbr"
refused_request "a bridge named by one of its alternative names is refused, naming the bridge" \
	"^$HELPER_NAME: 'lanbr' is an alternative name of 'br1', which is not accepted: name the bridge by its name\$" \
	--use-vnet --fd={fd} --br=lanbr
ip link property del dev br1 altname lanbr

# A kernel refusal carries the kernel's own words: a TAP's MTU cannot reach
# 65535, a bridge's can.
make_bridge brbig
ip link set brbig mtu 65535 || bail "cannot set brbig's MTU"
refused_request "a kernel refusal carries its extended-ACK text" \
	"^$HELPER_NAME: cannot attach tap[0-9a-f]{8} to bridge 'brbig': Invalid argument \\(kernel: mtu greater than device maximum\\)\$" \
	--use-vnet --fd={fd} --br=brbig
ip link del brbig

# The kernel's interface ioctls read "br0:1" as br0: with allow all and
# deny br0, qemu-bridge-helper puts a TAP on br0 for --br=br0:1.
write_acl 'allow all' 'deny br0'
refused_request "a name with ':' is refused, never taken for the bridge before it" \
	'br0:1' --use-vnet --fd={fd} --br=br0:1

# CVE-2019-13164: a name cut to 15 bytes after the ACL check.
write_acl 'allow brtruncate12345'
refused_request "a 16-byte bridge name is refused, not truncated" \
	'15|long' --use-vnet --fd={fd} --br=brtruncate12345X

# --- the arguments (SPEC §3 step 3) -------------------------------------------
write_acl 'allow br0'
refused_argv "--fd that is not a number is refused" '--fd' \
	--use-vnet --fd=abc --br=br0
refused_argv "a negative --fd is refused" '--fd' \
	--use-vnet --fd=-1 --br=br0
refused_argv "an --fd beyond any fd number is refused" '--fd' \
	--use-vnet --fd=99999999999999999999 --br=br0
refused_argv "an empty --fd is refused" '--fd' \
	--use-vnet --fd= --br=br0
refused_argv "--fd naming something that is not a socket is refused" '--fd' \
	--use-vnet --fd=0 --br=br0
refused_argv "--fd naming a closed fd is refused" '--fd' \
	--use-vnet --fd=9 --br=br0
refused_argv "a missing --fd is refused" '--fd' \
	--use-vnet --br=br0
refused_request "a missing --br is refused" '--br' \
	--use-vnet --fd={fd}
refused_request "an unknown option is refused" '--frobnicate' \
	--use-vnet --fd={fd} --br=br0 --frobnicate
refused_request "a repeated --br is refused" '--br' \
	--use-vnet --fd={fd} --br=br0 --br=br0
refused_request "a repeated --fd is refused" '--fd' \
	--use-vnet --fd={fd} --fd={fd} --br=br0
refused_request "a repeated --use-vnet is refused" 'use-vnet' \
	--use-vnet --use-vnet --fd={fd} --br=br0

# After all of that, the allowed request still works: the refusals above
# were refusals, not a broken setup.
getfd_run alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
is "$STATUS/$(kv fds)" 0/1 "control: the allowed request is granted" ||
	diag "$OUT" "$ERR"
no_taps_left "control: no TAP left after the granted fd is closed"

done_testing
