#!/bin/bash
# test_helper_install_modes.sh - the helper works installed setuid root (tun node 0600 or 0666) and with cap_net_admin,cap_setpcap+ep or cap_net_admin+ep (node 0666), and fails cleanly where it cannot
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"

make_bridge br0
write_acl 'allow br0'
ALICE=$(id -u alice)

# granted NAME: alice gets a TAP on br0, owned by her, and it goes away.
granted()
{
	local name=$1 tap

	getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
	is "$STATUS/$(kv exit)/$(kv fds)" "/0/1" "$name: alice gets one TAP fd" ||
		diag "$OUT" "$ERR"
	tap=$(kv tap)
	is "$(basename "$(readlink "/sys/class/net/$tap/master" 2>/dev/null)")" \
		br0 "$name: the TAP is on br0"
	is "$(tap_attr "$tap" owner 2>/dev/null)" "$ALICE" \
		"$name: the TAP is owned by alice"
	release
	no_taps_left "$name: the TAP is gone once the fd is closed"
}

install_helper setuid
tun_node 0600
granted "setuid root, /dev/net/tun 0600"
tun_node 0666
granted "setuid root, /dev/net/tun 0666"

install_helper setcap
is "$(getcap "$HELPER" | sed 's/.* //')" cap_setpcap,cap_net_admin=ep \
	"setup: the setcap install carries cap_net_admin,cap_setpcap=ep"
tun_node 0666
granted "cap_net_admin,cap_setpcap+ep, /dev/net/tun 0666"
# The bare capability, as a distribution may install it, works too.
setcap cap_net_admin+ep "$HELPER" || bail "cannot setcap $HELPER"
granted "cap_net_admin+ep, /dev/net/tun 0666"

# With the file capability the helper runs as alice from the start, and
# CAP_NET_ADMIN does not override file permissions: a 0600 root node
# cannot be opened. It must say so plainly, and leave nothing behind.
tun_node 0600
getfd_run alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
is_refusal "cap_net_admin+ep, /dev/net/tun 0600" '/dev/net/tun'
is "$(kv fds)" 0 "cap_net_admin+ep, /dev/net/tun 0600: no fd is sent"

done_testing
