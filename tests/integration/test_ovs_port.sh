#!/bin/bash
# test_ovs_port.sh - Open vSwitch bridges: a TAP joins as a system port with tapgate's external_ids, OVSDB down or missing is one clear line, non-bridges are refused, Linux bridges unchanged
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/ovs.sh"

install_helper setuid
ovs_start
ovs_bridge br-int
make_bridge br0
write_acl 'allow br-int' 'allow br0' 'allow tapx' 'allow br-gone'

# --- the port and its rows -----------------------------------------------------
getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=br-int
tap=$(kv tap)
if [ -z "$HOLD_PID" ] || [ -z "$tap" ]; then
	fail "alice gets a TAP on OVS bridge br-int" "status $STATUS" "$ERR"
	ovs_logs
	bail "no OVS port"
fi
pass "alice gets a TAP on OVS bridge br-int"
is "$(vsctl port-to-br "$tap")" br-int "the TAP is a port of br-int"
is "$(vsctl get Interface "$tap" type | tr -d '"')" "" "its Interface is a system port (type \"\")"
ofport=$(vsctl get Interface "$tap" ofport)
like "$ofport" '^[1-9][0-9]*$' "ovs-vswitchd gave it an ofport before the fd arrived ($ofport)"
is "$(ovs_ext Interface "$tap" tapgate-made-by)" tapgate-helper "Interface external_ids: tapgate-made-by"
is "$(ovs_ext Port "$tap" tapgate-made-by)" tapgate-helper "Port external_ids: tapgate-made-by"
is "$(ovs_ext Interface "$tap" tapgate-uid)" 4001 "external_ids: tapgate-uid is alice's"
is "$(ovs_ext Port "$tap" tapgate-ifindex)" "$(tap_attr "$tap" ifindex)" "external_ids: tapgate-ifindex is the TAP's"
is "$(ovs_ext Port "$tap" tapgate-netns)" "$(readlink /proc/self/ns/net)" "external_ids: tapgate-netns is this namespace"
is "$(tap_attr "$tap" operstate | sed 's/unknown/up/')" up "the TAP is up"
is "$(tap_attr "$tap" owner)" 4001 "the TAP is owned by alice"
[ -e "/sys/class/net/$tap/master" ] && m=yes || m=no
is "$m" no "the TAP has no kernel master (ovs-vswitchd holds it)"
release
no_taps_left "the TAP is gone once alice lets go"

# --- limits count OVS TAPs like any other ------------------------------------------
write_acl 'allow br-int' 'limit 1 user=alice'
getfd_hold alice -- "$HELPER" --fd={fd} --br=br-int
held=$(kv tap)
[ -n "$HOLD_PID" ] && [ -n "$held" ] || bail "alice's first TAP under limit 1: $ERR"
getfd_run alice -- "$HELPER" --fd={fd} --br=br-int
is "$STATUS" 1 "limit 1: alice's second TAP on the OVS bridge is refused"
like "$ERR" "limit" "limit 1: the refusal says it is the limit"
is "$(tap_names | tr '\n' ' ')" "$held " "limit 1: only the first TAP exists"
is "$(ovs_port_rows)" "1 1" "limit 1: and only its rows (the refused TAP made none)"
release
write_acl 'allow br-int' 'allow br0' 'allow tapx' 'allow br-gone'

# --- refusals that leave nothing -----------------------------------------------
ip tuntap add dev tapx mode tap || bail "cannot make tapx"
getfd_run alice -- "$HELPER" --fd={fd} --br=tapx
is "$STATUS" 1 "a TAP named as a bridge is refused"
like "$ERR" "bridge 'tapx' is not a Linux bridge \(its kind is 'tun'\), nor is it an Open vSwitch bridge" \
	"the refusal says what tapx is"
ip link del tapx

getfd_run alice -- "$HELPER" --fd={fd} --br=br-gone
is_refusal "no such bridge anywhere" "bridge 'br-gone' does not exist, nor is it an Open vSwitch bridge"

# --- Linux bridges while OVS runs ---------------------------------------------------
# A TAP on br0 is a kernel port of br0, with no OVSDB row.
linux_port_on_br0()
{
	local what=$1 tap

	getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
	tap=$(kv tap)
	is "$(basename "$(readlink "/sys/class/net/$tap/master" 2> /dev/null)")" br0 \
		"$what: the Linux bridge gets a kernel port"
	is "$(vsctl --bare --columns=name find Interface \
		"external_ids:tapgate-ifindex=$(tap_attr "$tap" ifindex)")" "" \
		"$what: and no OVSDB row for it"
	release
}
linux_port_on_br0 "a Linux bridge while OVS runs"

# --- the rule: a Linux bridge wins over an OVSDB Bridge row of the same name ------------
# (ovs-vswitchd cannot make its internal interface: the name is taken.)
vsctl --no-wait add-br br0 || bail "cannot add an OVSDB Bridge row br0"
linux_port_on_br0 "a Linux bridge and a Bridge row of one name"
run_as alice "$HELPER" --check
like "$OUT" "  br0 +allowed by $ACL:2 \(Linux bridge\)" \
	"a Linux bridge and a Bridge row of one name: --check says Linux bridge"
vsctl --no-wait del-br br0

# --- --check tells Linux from Open vSwitch bridges, with the options ---------------------
write_acl 'allow br-int vlan=10 iface-id=%u-*' 'allow br0 isolated' 'allow nosuch0'
run_as alice "$HELPER" --check
is "$STATUS" 0 "--check: exit status 0"
like "$OUT" "  br-int +allowed by $ACL:1 \(Open vSwitch bridge\); port options: vlan=10 iface-id=%u-\*" \
	"--check: br-int is an Open vSwitch bridge, with its vlan and iface-id pattern"
like "$OUT" "  br0 +allowed by $ACL:2 \(Linux bridge\); port options: isolated" \
	"--check: br0 is a Linux bridge"
like "$OUT" "  nosuch0 +allowed by $ACL:3 \(no such bridge\)" "--check: nosuch0 is neither"

# --- Linux-bridge port options on an OVS bridge are refused -------------------------------
for opt in isolated sealed macguard; do
	write_acl "allow br-int $opt"
	getfd_run alice -- "$HELPER" --fd={fd} --mac=02:00:00:00:00:01 --br=br-int
	is_refusal "allow br-int $opt: refused on an Open vSwitch bridge" \
		"$opt \($ACL:1\) is a Linux bridge option, and 'br-int' is an Open vSwitch bridge"
done

# --- the file-capability install cannot reach the root-only socket ------------------------
write_acl 'allow br-int' 'allow br0'
tun_node 0666
install_helper setcap
rows_before=$(ovs_port_rows)
getfd_run alice -- "$HELPER" --fd={fd} --br=br-int
is_refusal "installed with cap_net_admin only: an OVS bridge is refused" \
	"cannot connect to the Open vSwitch database /run/openvswitch/db.sock: Permission denied \(the socket is root's and this helper has only cap_net_admin: Open vSwitch bridges need it installed setuid root\)"
is "$(ovs_port_rows)" "$rows_before" "installed with cap_net_admin only: no row added or removed"
getfd_run alice -- "$HELPER" --fd={fd} --br=br0
is "$STATUS" 0 "installed with cap_net_admin only: a Linux bridge still works"
run_as alice "$HELPER" --check
like "$OUT" "  br-int +allowed by $ACL:1 \(not a Linux bridge; Open vSwitch not asked: Permission denied\)" \
	"installed with cap_net_admin only: --check says it could not ask"
install_helper setuid
tun_node 0600

# --- ovs-vswitchd, OVSDB down, or missing ----------------------------------------------
kill -TERM "$(cat "$OVS_RUNDIR/ovs-vswitchd.pid")"
for _ in $(seq 100); do [ -e "$OVS_RUNDIR/ovs-vswitchd.pid" ] || break; sleep 0.05; done
# The first request finds the stale rows of the first TAP and cannot get
# their removal applied; the second, with no stale rows, cannot get its port.
getfd_run alice -- "$HELPER" --fd={fd} --br=br-int
is_refusal "ovs-vswitchd not running, stale rows to remove" \
	"cannot remove stale ports from Open vSwitch bridge 'br-int': ovs-vswitchd did not apply it within 5 s"
getfd_run alice -- "$HELPER" --fd={fd} --br=br-int
is_refusal "ovs-vswitchd not running" \
	"cannot add tap[0-9a-f]+ to Open vSwitch bridge 'br-int': ovs-vswitchd did not add the port within 5 s"
is "$(ovs_port_rows)" "0 0" "and the rows it made are gone again"

# SIGKILL: the socket stays, nobody listens.
kill -KILL "$(cat "$OVS_RUNDIR/ovsdb-server.pid")"
for _ in $(seq 100); do [ -d "/proc/$(cat "$OVS_RUNDIR/ovsdb-server.pid")" ] || break; sleep 0.05; done
[ -S "$OVS_SOCK" ] || bail "ovsdb-server removed its socket even when killed"
getfd_run alice -- "$HELPER" --fd={fd} --br=br-int
is_refusal "OVSDB not running (its socket left behind)" \
	"bridge 'br-int' is not a Linux bridge \(its kind is 'tun'\), and the Open vSwitch database is not running \(/run/openvswitch/db.sock: Connection refused\)"
rm -f "$OVS_SOCK"
getfd_run alice -- "$HELPER" --fd={fd} --br=br-int
is_refusal "no OVSDB socket" "and no Open vSwitch database is running \(no socket /run/openvswitch/db.sock\)"
getfd_run alice -- "$HELPER" --fd={fd} --br=br0
is "$STATUS" 0 "Linux bridges work without OVSDB"

done_testing
