#!/bin/bash
# test_policy_qemu_bridge_conf.sh - a valid QEMU bridge.conf means the same to tapgate-helper as to Debian's qemu-bridge-helper: same grants and refusals, per user and bridge
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"

QBH_SRC=/usr/lib/qemu/qemu-bridge-helper
[ -x "$QBH_SRC" ] ||
	bail "$QBH_SRC is missing (Debian package qemu-system-common)"

# qemu-bridge-helper gives up root before it opens /dev/net/tun, so it
# needs the node 0666 (as Debian ships it); tapgate-helper works either way.
tun_node 0666
install_helper setuid
install -o root -g root -m 4755 "$QBH_SRC" "$WORK/bin/qemu-bridge-helper" ||
	bail "cannot install qemu-bridge-helper"
QBH=$WORK/bin/qemu-bridge-helper

# QEMU reads /etc/qemu/bridge.conf: a tmpfs seen only in here (made in
# the harness's overlay of /etc when the host has no /etc/qemu).
ns_dir /etc/qemu
QACL=/etc/qemu/bridge.conf

BRIDGES="br0 br1 br2"
USERS="alice bob"
for br in $BRIDGES; do
	make_bridge "$br"
done

# acl_refusal HELPER: the last run failed because of the helper's ACL.
acl_refusal()
{
	[ "$STATUS" = 1 ] || return 1
	if [ "$1" = "$QBH" ]; then
		case $ERR in
		"access denied by acl file"|"name \`"*"' too long: "*|\
		"Unknown command \`"*) return 0 ;;
		esac
		return 1
	fi
	case $ERR in
	"$HELPER_NAME: bridge '"*"' is not allowed for user "*|\
	"$HELPER_NAME: bridge '"*"' is denied for user "*|\
	"$HELPER_NAME: "*" (the ACL is invalid, so no bridge is allowed"*) return 0 ;;
	esac
	return 1
}

# verdict USER BRIDGE HELPER: "yes" when a TAP fd arrives, "no" when the
# helper refuses because of its ACL, anything else spelled out.
verdict()
{
	getfd_run "$1" -- "$3" --use-vnet --fd={fd} --br="$2"
	if [ "$STATUS" = 0 ] && [ "$(kv fds)" = 1 ]; then
		echo yes
	elif acl_refusal "$3"; then
		echo no
	else
		echo "status=$STATUS,fds=$(kv fds),err=$(printf '%s' "$ERR" | head -n 1)"
	fi
}

# verdicts HELPER: every user's verdict on every bridge, one line.
verdicts()
{
	local u br v=

	for u in $USERS; do
		for br in $BRIDGES; do
			v="$v $u:$br=$(verdict "$u" "$br" "$1")"
		done
	done
	echo "${v# }"
}

# same NAME WANT: the ACL written to both files gives both helpers the
# verdicts WANT (so the comparison cannot pass with both helpers broken).
same()
{
	local name=$1 want=$2 q t

	q=$(verdicts "$QBH")
	t=$(verdicts "$HELPER")
	is "$q" "$want" "$name: qemu-bridge-helper's verdicts are the expected ones"
	is "$t" "$q" "$name: tapgate-helper's verdicts are qemu-bridge-helper's"
	no_taps_left "$name: no TAP left"
}

# both LINE...: the same ACL text for both helpers.
both()
{
	write_acl -f "$QACL" "$@"
	write_acl "$@"
}

all_no="alice:br0=no alice:br1=no alice:br2=no bob:br0=no bob:br1=no bob:br2=no"

both 'allow all' 'deny br1'
same "allow all + deny br1" \
	"alice:br0=yes alice:br1=no alice:br2=yes bob:br0=yes bob:br1=no bob:br2=yes"

both 'deny br1' 'allow all'
same "deny br1 + allow all (deny wins whatever the order)" \
	"alice:br0=yes alice:br1=no alice:br2=yes bob:br0=yes bob:br1=no bob:br2=yes"

both 'allow br0'
same "allow br0" \
	"alice:br0=yes alice:br1=no alice:br2=no bob:br0=yes bob:br1=no bob:br2=no"

both 'allow br0' 'deny all'
same "allow br0 + deny all" "$all_no"

both 'allow br0' 'allow br2' 'deny br2' 'allow br2'
same "allow br0, allow br2, deny br2, allow br2" \
	"alice:br0=yes alice:br1=no alice:br2=no bob:br0=yes bob:br1=no bob:br2=no"

both
same "an empty file (default deny)" "$all_no"

both '# the lab' '' '   # indented comment' $'allow\tbr1' '  allow   br2   ' \
	$'deny br9\r'
same "comments, blank lines, tabs, extra blanks, CRLF" \
	"alice:br0=no alice:br1=yes alice:br2=yes bob:br0=no bob:br1=yes bob:br2=yes"

# Includes, absolute (QEMU opens a relative one from its working directory,
# tapgate from the including file's directory): one for everybody, one per
# user (QEMU's scheme: root:alice 0640 is alice's alone), one missing.
write_acl -f /etc/qemu/common.conf 'allow br0'
write_acl -f /etc/qemu/alice.conf 'allow br1' 'deny br0'
{ chgrp alice /etc/qemu/alice.conf && chmod 0640 /etc/qemu/alice.conf; } ||
	bail "cannot make /etc/qemu/alice.conf alice's"
write_acl -f /etc/qemu/bob.conf 'allow br2'
{ chgrp bob /etc/qemu/bob.conf && chmod 0640 /etc/qemu/bob.conf; } ||
	bail "cannot make /etc/qemu/bob.conf bob's"
both 'include /etc/qemu/common.conf' 'include /etc/qemu/alice.conf' \
	'include /etc/qemu/bob.conf' 'include /etc/qemu/nobody.conf'
same "includes: common, per-user (root:USER 0640) and missing" \
	"alice:br0=no alice:br1=yes alice:br2=no bob:br0=yes bob:br1=no bob:br2=yes"

# An ACL that QEMU rejects is rejected here too: nothing is allowed.
both 'allow br0' 'allow br0x123456789012'
same "a 16-byte bridge name fails the whole file" "$all_no"
both 'allow br0' 'permit br1'
same "an unknown keyword fails the whole file" "$all_no"

done_testing
