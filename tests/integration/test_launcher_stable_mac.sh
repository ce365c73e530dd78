#!/bin/bash
# test_launcher_stable_mac.sh - the default guest MAC: stable from user, VM name (--name, QEMU's -name) and NIC index, random without a name, -m wins, --dry-run shows what a real run uses, and the helper gets it as --mac
. "$(dirname "$0")/../lib/lib.sh" || exit 1

install_helper setuid
make_bridge br0
make_bridge lab1
write_acl 'allow br0' 'allow lab1'
. "$ROOT/tests/lib/launcher.sh" || exit 1
install_launcher

# A helper in front of the helper that records the arguments it was given,
# then runs the real (setuid) one.
ARGLOG=$SCRATCH/helper.args
cat > "$WORK/bin/loghelper" << EOS
#!/bin/sh
echo "\$*" >> "$ARGLOG"
exec "$HELPER" "\$@"
EOS
chmod 0755 "$WORK/bin/loghelper"
: > "$ARGLOG"
chmod 0666 "$ARGLOG"

# nic_mac I TEXT: the MAC of NIC I in TEXT (QEMU's -device ...,netdev=tapgateI,mac=M)
nic_mac()
{
	sed -n "s/.*netdev=tapgate$1,mac=\([0-9a-f:]*\).*/\1/p" <<< "$2" | head -1
}

# run_mac [USER] -- TAPGATE-ARGS...: a real run; MAC1 and MAC2 get the
# first and second NIC's MAC as QEMU got them.
run_mac()
{
	local user=alice

	[ "$1" != -- ] && { user=$1; shift; }
	shift
	rm -f "$REPORT"
	run_as "$user" env FAKEQEMU_REPORT="$REPORT" "$TAPGATE" \
		--helper "$WORK/bin/loghelper" "$@"
	REP=$(cat "$REPORT" 2> /dev/null)
	[ "$STATUS" = 0 ] || diag "tapgate $*: status $STATUS: $ERR"
	MAC1=$(nic_mac 0 "$REP")
	MAC2=$(nic_mac 1 "$REP")
}

mac_of()
{
	run_mac "$@" > /dev/null
	echo "$MAC1"
}

dry_mac_of()
{
	run_as alice "$TAPGATE" --helper "$HELPER" --dry-run "$@"
	nic_mac 0 "$OUT"
}

A1=$(mac_of -- --name web -b br0 -- "$FQ")
like "$A1" '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$' "--name web: the NIC has a MAC"
A2=$(mac_of -- --name web -b br0 -- "$FQ")
is "$A2" "$A1" "the same --name gives the same MAC across runs"
is "$(mac_of -- -b br0 -- "$FQ" -name web)" "$A1" \
	"QEMU's -name web gives the MAC of --name web"
is "$(mac_of -- -b br0 -- "$FQ" -name guest=web,debug-threads=on)" "$A1" \
	"QEMU's -name guest=web,... gives the MAC of --name web"
is "$(mac_of -- -b br0 -- "$FQ" -name web,process=qemu-web)" "$A1" \
	"QEMU's -name web,process=... gives the MAC of --name web"
is "$(mac_of -- --name web -b br0 -- "$FQ" -name other)" "$A1" \
	"--name wins over QEMU's -name"
isnt "$(mac_of -- --name db -b br0 -- "$FQ")" "$A1" \
	"a different name gives a different MAC"
B1=$(mac_of bob -- --name web -b br0 -- "$FQ")
like "$B1" '^[0-9a-f]{2}' "bob's run of web has a MAC"
isnt "$B1" "$A1" "a different user with the same name gets a different MAC"

run_mac -- --name web -b br0 -b lab1 -- "$FQ"
is "$MAC1" "$A1" "two NICs: the first keeps NIC 0's MAC"
isnt "$MAC2" "$A1" "two NICs: the second NIC's MAC is its own (index 1)"
first=$((16#${MAC2:0:2}))
is $((first & 3)) 2 "the stable MAC is locally administered and unicast"

is "$(mac_of -- --name web -b br0 -m 52:54:00:00:00:09 -- "$FQ")" \
	52:54:00:00:00:09 "-m wins over the stable MAC"

R1=$(mac_of -- -b br0 -- "$FQ")
R2=$(mac_of -- -b br0 -- "$FQ")
isnt "$R1" "$R2" "without a name the MAC is random (two runs differ)"

is "$(dry_mac_of --name web -b br0 -- "$FQ")" "$A1" \
	"--dry-run --name web prints the MAC a real run uses"
is "$(dry_mac_of -b br0 -- "$FQ" -name guest=web)" "$A1" \
	"--dry-run with QEMU's -name prints the MAC a real run uses"

: > "$ARGLOG"
run_mac -- --name web -b br0 -b lab1 -- "$FQ"
is "$(sed -n 1p "$ARGLOG")" "--use-vnet --br=br0 --fd=3 --mac=$MAC1" \
	"the helper gets NIC 0's MAC as --mac"
is "$(sed -n 2p "$ARGLOG")" "--use-vnet --br=lab1 --fd=3 --mac=$MAC2" \
	"the helper gets NIC 1's MAC as --mac"
: > "$ARGLOG"
run_as alice env FAKEQEMU_REPORT="$REPORT" "$TAPGATE" \
	--helper "$WORK/bin/loghelper" --no-device -b br0 -- "$FQ"
is "$(cat "$ARGLOG")" "--use-vnet --br=br0 --fd=3" \
	"--no-device: no --mac (the guest's MAC is the user's own -device's)"
no_taps_left "no TAP left"

done_testing
