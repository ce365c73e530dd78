#!/bin/bash
# demo.sh - what `sudo make demo` runs: an unprivileged user boots a tiny VM on a bridge through tapgate, and the TAP is gone afterwards
#
# Root, on a fresh machine (make demo installs the packages and builds
# first). Everything happens in private network, mount and pid namespaces
# made by tests/lib/lib.sh, so the host's network is never touched; the exit
# trap says what is removed, and the namespaces take it all away.

if [ "$(id -u)" != 0 ]; then
	echo "demo.sh: run it as root: sudo make demo" >&2
	exit 1
fi
if [ "${TAPGATE_NS:-}" != 1 ]; then
	echo "== tapgate demo"
	echo "   Making private network, mount and pid namespaces: nothing below"
	echo "   touches this machine's interfaces, files or users."
fi
. "$(dirname "$0")/lib/lib.sh"

BRIDGE=demobr0
LOG=$WORK/console.log
DEMO_OK=0

step()
{
	echo
	echo "== $*"
}

# quote WORD...: the words as a shell would read them back.
quote()
{
	local w out=

	for w in "$@"; do
		if [[ $w =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then
			out+=" $w"
		else
			out+=" '${w//\'/\'\\\'\'}'"
		fi
	done
	printf '%s\n' "${out# }"
}

show()
{
	printf '   $ %s\n' "$*"
	"$@" 2>&1 | sed 's/^/   /'
}

demo_finish()
{
	trap - EXIT
	step "Cleaning up"
	echo "   Removing the bridge, the helper copy, the ACL, the guest files and the"
	echo "   test user alice: they exist only in the private namespaces and"
	echo "   their tmpfs, which end with this script."
	if [ "$DEMO_OK" = 1 ]; then
		echo
		echo "The demo worked: alice's VM reached $BRIDGE, and its TAP went with it."
		exit 0
	fi
	echo
	echo "The demo FAILED (see above)."
	exit 1
}
trap demo_finish EXIT

step "1. A bridge with an address, in the private network namespace"
make_bridge "$BRIDGE" "$GUEST_PEER/$GUEST_PREFIX"
show ip -br addr show dev "$BRIDGE"

step "2. tapgate-helper installed setuid root in a temporary directory"
install_helper setuid
install -m 0755 "$ROOT/launcher/tapgate" "$WORK/bin/tapgate" ||
	bail "launcher/tapgate is not built"
show ls -l "$HELPER" "$WORK/bin/tapgate"
echo "   Its ACL, $ACL (a private copy of that directory), allows $BRIDGE:"
write_acl "allow $BRIDGE"
show cat "$ACL"

step "3. The tiny guest: Debian's cloud kernel and a busybox initramfs"
guest_build
show ls -l "$GUEST_KERNEL" "$GUEST_INITRD"
echo "   At boot it gives eth0 $GUEST_ADDR/$GUEST_PREFIX, pings $GUEST_PEER (the bridge) and powers off."

step "4. As the unprivileged user alice (uid $(id -u alice)): tapgate starts QEMU"
CMD=("$WORK/bin/tapgate" -v --helper "$HELPER" -b "$BRIDGE" --
	qemu-system-x86_64 -accel tcg -m 256 -nographic -no-reboot
	-kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD"
	-append "console=ttyS0 quiet panic=-1 tapgate.addr=$GUEST_ADDR/$GUEST_PREFIX tapgate.peer=$GUEST_PEER")
echo "   alice\$ $(quote "${CMD[@]}")"
echo "   tapgate asks the helper for a TAP on $BRIDGE and adds it to QEMU's command"
echo "   line; --dry-run shows that line without making anything:"
as_user alice "${CMD[@]:0:1}" --dry-run "${CMD[@]:1}" | fold -s -w 74 | sed 's/^/     /'
user_cmd alice timeout -k 5 120 "${CMD[@]}"
"${USER_CMD[@]}" < /dev/null > "$LOG" 2>&1 &
QEMU_JOB=$!
# Show the port while the VM runs (a bounded wait for it to appear).
for _ in $(seq 200); do
	[ -n "$(tap_names)" ] && break
	kill -0 "$QEMU_JOB" 2> /dev/null || break
	sleep 0.05
done
TAP=$(tap_names | head -n 1)
if [ -n "$TAP" ]; then
	echo "   While the VM runs, its TAP is a port of $BRIDGE, owned by alice:"
	show ip -br link show master "$BRIDGE"
	echo "   owner uid: $(tap_attr "$TAP" owner)"
fi
wait "$QEMU_JOB"
STATUS=$?

step "5. What tapgate and the guest said"
grep -E '^tapgate: |TAPGATE-GUEST: ' "$LOG" | sed 's/.*TAPGATE-GUEST: /guest: /; s/\r$//; s/^/   /'
echo "   QEMU's exit status, passed on by tapgate: $STATUS"
if ! grep -q 'TAPGATE-GUEST: PASS' "$LOG" || [ "$STATUS" != 0 ]; then
	echo "   The guest did not reach the bridge. Its console's last lines:"
	tail -n 25 "$LOG" | sed 's/^/   | /'
	exit 1
fi

step "6. After QEMU exited: no TAP is left"
show ip -br link show master "$BRIDGE"
LEFT=$(tap_names | tr '\n' ' ')
if [ -n "$LEFT" ]; then
	echo "   TAPs still here: $LEFT"
	exit 1
fi
echo "   No TAP device exists any more."
DEMO_OK=1
