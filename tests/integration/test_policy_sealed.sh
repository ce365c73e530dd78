#!/bin/bash
# test_policy_sealed.sh - the sealed port option: the TAP in a namespace of its own, the bridge port a veth configured like a plain TAP, two tc redirects, no handle for the caller, and nothing left after the last fd closes (persisted or not) or after any failure
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh" || exit 1
. "$ROOT/tests/lib/sealed.sh"

install_helper setuid
tun_node 0666
make_bridge br0
ip link set br0 mtu 1400
write_acl 'allow br0 sealed' 'allow br1'
make_bridge br1

TAPNS=$B/tests/tools/tapns

# tun_fd PID: the number of PID's fd on /dev/net/tun
tun_fd() { ls -l "/proc/$1/fd" | awk '/\/dev\/net\/tun/ {print $9; exit}'; }
# inside CMD...: run CMD as root in the sealed namespace of the held fd
inside() { "$TAPNS" "$HOLD_PID" "$(tun_fd "$HOLD_PID")" -- "$@"; }

run_as alice "$HELPER" --check
like "$OUT" "br0 +allowed by $ACL:1 \\(Linux bridge\\); port options: sealed" "--check shows the sealed option"
unlike "$(grep br1 <<< "$OUT")" "sealed" "--check shows no option for the plain rule"

# Mixed rules for one bridge: --check says the bridge is only as safe as
# its weakest port, whoever asks.
write_acl 'allow br0 sealed' 'allow br0 user=bob' 'allow br1'
run_as alice "$HELPER" --check
like "$OUT" "warning: $ACL:2 grants 'br0' without sealed, while $ACL:1 seals it: an unsealed port on the same bridge can still blackhole any MAC on it" \
	"--check warns about an unsealed rule beside a sealed one for the same bridge"
unlike "$OUT" "grants 'br1'" "--check: no warning for a bridge granted one way only"
write_acl 'allow br0 sealed' 'allow br1'
run_as alice "$HELPER" --check
unlike "$OUT" "warning: .* without sealed" "--check: no such warning when every rule for a bridge agrees"

getfd_hold alice --do skns,devnetns -- "$HELPER" --use-vnet --fd={fd} --br=br0
if [ -z "$HOLD_PID" ]; then
	bail "a sealed port is granted: status $STATUS: $ERR"
fi
pass "a sealed port is granted"
PORT=$(port_of br0)
like "$PORT" '^tap[0-9a-f]{8}$' "the bridge port is named tap and 8 hex digits"
like "$(ip -d -o link show dev "$PORT")" ' veth ' "the bridge port is a veth"
is "$(tap_count)" 0 "no TAP in the host's namespace"
is "$(kv tap)" "$PORT" "the TAP has its bridge port's name (in its own namespace)"
TAPN=$PORT
is "$(kv vnet_hdr)" 1 "the TAP keeps IFF_VNET_HDR"
is "$(kv skns)" EPERM "the fd holder gets no handle on the socket's namespace (SIOCGSKNS)"
is "$(kv devnetns)" EPERM "the fd holder gets no handle on the device's namespace (TUNGETDEVNETNS)"
like "$(tap_attr "$PORT" address)" '^fe:' "the port's MAC starts with fe"
is "$(tap_attr "$PORT" mtu)" 1400 "the port has the bridge's MTU"
is "$(tap_attr "$PORT" ifalias)" "tapgate uid=$(id -u alice) pid=$(kv pid)" \
	"the port has the alias tapgate uid=U pid=P"
is "$(tap_attr "$PORT" operstate)" up "the port is up (its peer is up)"
is "$(tap_attr "$PORT" brport/isolated)" 0 "the port is not isolated (no option)"
like "$(ip -o link show dev "$PORT")" '@if[0-9]+: .* link-netnsid ' \
	"the port's peer is in another namespace"

# Inside the sealed namespace (root's view, through the holder's fd).
is "$(inside ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' ')" \
	"$(printf '%s\n' lo "$TAPN" veth0 | sort | tr '\n' ' ')" "inside: only lo, the TAP and the veth's peer"
is "$(inside cat /proc/self/net/if_inet6 2> /dev/null | grep -c -v ' lo$')" 0 \
	"inside: no IPv6 address on the TAP or the veth (nothing of the sealed stack reaches the bridge)" ||
	diag "$(inside cat /proc/self/net/if_inet6)"
for pair in "$TAPN veth0" "veth0 $TAPN"; do
	set -- $pair
	f=$(inside tc filter show dev "$1" ingress)
	like "$f" "filter parent ffff: protocol all pref 1 u32" \
		"inside: $1 has a u32 filter on ingress, every protocol"
	like "$f" "match 00000000/00000000 at 0" "inside: $1's filter matches every frame"
	like "$f" "mirred \(Egress Redirect to device $2\) stolen" \
		"inside: $1's frames are redirected to $2's egress, stolen"
	is "$(inside cat "/sys/class/net/$1/mtu" 2> /dev/null || inside ip -o link show dev "$1" | sed -n 's/.* mtu \([0-9]*\).*/\1/p')" \
		1400 "inside: $1 has the bridge's MTU"
done
like "$(inside ip -o link show dev "$TAPN")" '<[^>]*,UP[,>]' "inside: the TAP is up"
like "$(inside ip -o link show dev veth0)" '<[^>]*,UP[,>]' "inside: veth0 is up"
release
nothing_left "after the fd closed"

# --- no handle through the helper either, while it is inside -------------------------
# strace (root) stops the helper right after its second netlink request (the
# veth pair: the helper is in the sealed namespace by then).
strace -f -qq -o "$WORK/s.strace" -u alice -e trace=sendto \
	-e inject=sendto:signal=SIGSTOP:when=2 -- \
	env -i PATH=/usr/bin:/bin "$GETFD" -- "$HELPER" --use-vnet --fd={fd} --br=br0 \
	> "$WORK/s.out" 2> "$WORK/s.err" < /dev/null &
S_STRACE=$!
SPID=
for _ in $(seq 600); do	# a bound on a hang, not a timed assertion
	SPID=$(sed -n 's/^helper_pid=//p' "$WORK/s.out")
	[ -n "$SPID" ] && grep -q "^$SPID  *--- stopped by SIGSTOP ---" "$WORK/s.strace" && break
	sleep 0.05
done
if [ -n "$SPID" ] && [ "$(readlink "/proc/$SPID/ns/net")" != "$(readlink /proc/self/ns/net)" ]; then
	pass "the helper, stopped after making the veth pair, is in the sealed namespace"
	run_as alice nsenter --net="/proc/$SPID/ns/net" true
	isnt "$STATUS" 0 "the caller cannot enter the sealed namespace through the helper's /proc/PID/ns/net"
	# readlink of /proc/PID/ns/* needs ptrace access, as opening it does.
	run_as alice readlink "/proc/$SPID/ns/net"
	isnt "$STATUS" 0 "the caller cannot reach the helper's /proc/PID/ns/net (not dumpable)"
	run_as alice sh -c 'sleep 5 & readlink /proc/$!/ns/net; s=$?; kill $!; exit $s'
	is "$STATUS" 0 "the control: the caller reaches its own process's /proc/PID/ns/net"
	nsenter --net="/proc/$SPID/ns/net" true
	is "$?" 0 "the control: root can enter through the same path"
else
	fail "the helper, stopped after making the veth pair, is in the sealed namespace" \
		"helper pid '$SPID'" "$(tail -5 "$WORK/s.strace")"
fi
[ -n "$SPID" ] && kill -CONT "$SPID" 2> /dev/null
wait "$S_STRACE"
is "$(sed -n 's/^fds=//p' "$WORK/s.out")" 1 "the stopped request, continued, is granted"
nothing_left "after the stopped request"

# --- persisted: gone all the same ---------------------------------------------------
getfd_hold alice --do persist -- "$HELPER" --use-vnet --fd={fd} --br=br0
is "$(kv persist)" ok "the fd holder may make the sealed TAP persistent"
release
nothing_left "a persisted sealed TAP, after its fd closed"

# --- multiqueue -------------------------------------------------------------------------
getfd_hold alice --expect 4 -- "$HELPER" --use-vnet --fd={fd} --br=br0 --queues=4
is "$(kv fds)/$(kv multi_queue)/$(kv same_tap)" 4/1/1 "a sealed port keeps multiqueue: 4 queues of one TAP"
release
nothing_left "a multiqueue sealed TAP, after its fds closed"

# --- a plain rule next to it is not sealed ------------------------------------------------
getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=br1
like "$(kv tap)" '^tap' "allow br1 (no option): granted"
is "$(port_of br1)" "$(kv tap)" "allow br1 (no option): the TAP itself is the port"
release
nothing_left "plain port"

# --- the fd holder's SIOCSIFHWADDR cannot reach the bridge --------------------------------
# A router on br0: a veth whose other end, in a namespace of its own, has
# 10.9.0.1; the host has 10.9.0.2 on br0.
ip netns add rt || bail "cannot make the router's namespace"
ip link add rtr0 type veth peer name rtr1 netns rt || bail "cannot make the router's veth"
ip link set rtr0 master br0 up
ip -n rt link set rtr1 up
ip -n rt addr add 10.9.0.1/24 dev rtr1
ip addr add 10.9.0.2/24 dev br0
ROUTER_MAC=$(ip -n rt -o link show dev rtr1 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
# reach NAME yes|no: whether a ping from the host reaches the router
reach()
{
	local got=no

	ip neigh flush dev br0
	busybox ping -c 2 -W 1 10.9.0.1 > /dev/null 2>&1 && got=yes
	is "$got" "$2" "$1"
}
reach "the router is reachable at first" yes
router_port() { bridge fdb show br br0 | awk -v m="$ROUTER_MAC" '$1 == m && !/self/ {for (i = 1; i <= NF; i++) if ($i == "dev") print $(i + 1)}' | head -1; }
is "$(router_port)" rtr0 "the bridge knows the router's MAC on the router's port"

getfd_hold alice --do "hwaddr=$ROUTER_MAC" -- "$HELPER" --use-vnet --fd={fd} --br=br0
is "$(kv hwaddr)" ok "the fd holder sets the sealed TAP's MAC to the router's (SIOCSIFHWADDR)"
reach "sealed: the router stays reachable" yes
is "$(router_port)" rtr0 "sealed: the bridge still has the router's MAC on the router's port"
unlike "$(bridge fdb show br br0 | grep -i "$ROUTER_MAC")" 'permanent' \
	"sealed: the router's MAC did not become a local (permanent) entry"
release
nothing_left "after the router test"

# The same on a plain port, to show the test can fail: the router is lost.
write_acl 'allow br0'
getfd_hold alice --do "hwaddr=$ROUTER_MAC" -- "$HELPER" --use-vnet --fd={fd} --br=br0
is "$(kv hwaddr)" ok "plain port: the fd holder sets the TAP's MAC to the router's"
like "$(bridge fdb show br br0 | grep -i "$ROUTER_MAC")" 'permanent' \
	"plain port (the attack sealed ports stop): the router's MAC became local"
reach "plain port: the router is lost while the TAP holds its MAC" no
release
reach "plain port: the router is back once the TAP is gone" yes
write_acl 'allow br0 sealed' 'allow br1'

# --- refusals leave nothing ---------------------------------------------------------------
tun_node 0600
getfd_run alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
is_refusal "sealed, /dev/net/tun mode 0600" \
	"cannot open /dev/net/tun in the sealed port's namespace \\(a sealed port needs the node mode 0666\\): Permission denied"
nothing_left "sealed, /dev/net/tun mode 0600"
tun_node 0666

# A limit counts sealed ports: the slot (an altname) is on the bridge port.
write_acl 'allow br0 sealed' 'limit 2'
getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
H1=$HOLD_PID
P1=$(port_of br0)
like "$(ip -o link show dev "$P1")" "altname tapgate\.uid$(id -u alice)\.slot0" \
	"limit 2: the first sealed port holds slot 0 (an altname of its bridge port)"
getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
H2=$HOLD_PID
[ -n "$H1" ] && [ -n "$H2" ] && pass "limit 2: two sealed ports granted" ||
	fail "limit 2: two sealed ports granted" "$ERR"
getfd_run alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
is_refusal "limit 2: a third sealed port is refused"
is "$(veths | wc -l)" 2 "limit 2: the refused third left no veth"
kill -TERM "$H1" "$H2" 2> /dev/null
wait "$H1" "$H2" 2> /dev/null
HOLD_PID=
nothing_left "sealed with a limit"
write_acl 'allow br0 sealed' 'allow br1'

install_helper setcap
getfd_run alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
is_refusal "file-capability install without cap_sys_admin: sealed port refused" \
	"bridge 'br0' needs a sealed port \\(option sealed, $ACL:1\\), which needs cap_sys_admin"
nothing_left "file capability, sealed refused"
getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=br1
like "$(kv tap)" '^tap' "file-capability install: a plain port is still granted"
release
setcap cap_net_admin,cap_setpcap,cap_sys_admin+ep "$HELPER"
getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
like "$(port_of br0)" '^tap[0-9a-f]{8}$' "file capabilities with cap_sys_admin: a sealed port is granted"
release
nothing_left "file capability with cap_sys_admin"
install_helper setuid

# --- SIGKILL at random moments leaves nothing ---------------------------------------------
# getfd runs the helper as its child; the child is killed by its pid.
kill_in_flight 40 alice --use-vnet --fd={fd} --br=br0
killed=$(grep -c '^signal=9$' "$WORK/kills")
diag "$killed of 40 helpers killed in flight, $(grep -c '^exit=0$' "$WORK/kills") finished first"
ok "some helpers were killed in flight" test "$killed" -gt 0
nothing_left "40 sealed requests, the helper SIGKILLed at random moments"

ip netns del rt
done_testing
