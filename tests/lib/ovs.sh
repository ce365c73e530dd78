# ovs.sh - Open vSwitch and OVN for the tests: daemons started inside the test's namespaces, each with its own dirs, stopped by pid
# shellcheck shell=bash
#
# Source after lib.sh:   . "$ROOT/tests/lib/ovs.sh"
#
# Every daemon runs inside the namespaces the test made (tests/lib/ns.sh:
# net, mount, pid), with its run, db and log directories under $WORK, and
# is stopped by its pid when the script ends, however it ends (the pid
# namespace would end it anyway, but not before the test's own checks of
# what it left). Nothing is started at the host level and nothing is
# written outside $WORK and the namespace's private /run.
#
# The helper finds OVSDB at its compiled-in socket (OVSDB_SOCK in the
# Makefile, /run/openvswitch/db.sock): /run is a private tmpfs here, so the
# first "host" puts its socket there. A second host (ovs_host2) lives in a
# network namespace of its own, and every command for it runs through
# `in_host2`, which bind-mounts that host's run directory on
# /run/openvswitch in a mount namespace of the command's own.
#
# FUNCTIONS
#   ovs_start               ovsdb-server and ovs-vswitchd for this host;
#                           sets OVS_RUNDIR OVS_DBDIR OVS_LOGDIR (exported)
#   ovs_stop                stop them (by pid), keep the logs
#   ovs_bridge NAME         an OVS bridge with datapath_type=netdev (the
#                           userspace datapath: no kernel module needed)
#   vsctl ARGS...           ovs-vsctl on this host's database
#   ovs_ext TABLE ROW KEY   external_ids:KEY of a row ("" when absent)
#   ovs_logs                the daemons' log tails, as TAP diagnostics
#   ovs_port_rows           "PORTS IFACES": how many rows tapgate made
#
# OVN, two "hosts" (used by the end-to-end test):
#   on HOST CMD...          run CMD on HOST: h1 is the test's own namespaces;
#                           h2 a network namespace of its own whose
#                           /run/openvswitch is its own run directory
#   ovs_host2               network namespace h2 with its own ovsdb-server
#                           and ovs-vswitchd ($WORK/ovs-h2/{run,db,log})
#   vsctl_on HOST ARGS...   ovs-vsctl on HOST's database
#   underlay                a veth pair between h1 and h2 as ports of an OVS
#                           bridge br-phy on each, with 172.16.0.1 and .2 on
#                           br-phy (userspace tunnels need the address on
#                           an OVS bridge), MTU 1600 (Geneve adds 58 bytes
#                           and the userspace datapath does not fragment)
#   ovn_central             NB and SB ovsdb-servers and ovn-northd
#                           ($WORK/ovn); sets OVN_NB, OVN_SB
#   ovn_chassis HOST IP     br-int (netdev) and an ovn-controller on HOST,
#                           tunnelling Geneve from IP
#   nbctl ARGS...           ovn-nbctl on the NB database
#   replies NS ADDR         how many of 3 pings from namespace NS to ADDR
#                           were answered (busybox ping; "" if it did not run)
#   wire_guest NS ADDR PID TAP   a stand-in guest: network namespace NS
#                           with ADDR on a veth, wired by tests/tools/tapwire
#                           to the TAP fd that process PID holds

OVS_SOCK=/run/openvswitch/db.sock
OVS_PIDS=()
OVS_TIMEOUT=10

# ovs_daemon PIDFILE: remember a daemon for the exit trap.
ovs_daemon()
{
	local pid

	for _ in $(seq 100); do
		[ -s "$1" ] && break
		sleep 0.05
	done
	pid=$(cat "$1" 2> /dev/null) || bail "no pid file $1"
	OVS_PIDS+=("$pid")
}

ovs_start()
{
	local base=$WORK/ovs

	export OVS_RUNDIR=/run/openvswitch OVS_DBDIR=$base/db \
		OVS_LOGDIR=$base/log OVS_SYSCONFDIR=$base/etc
	mkdir -p "$OVS_RUNDIR" "$OVS_DBDIR" "$OVS_LOGDIR" "$OVS_SYSCONFDIR" ||
		bail "ovs_start: mkdir"
	ovsdb-tool create "$OVS_DBDIR/conf.db" \
		/usr/share/openvswitch/vswitch.ovsschema ||
		bail "ovs_start: ovsdb-tool create"
	# umask 022, as a packaged start has: the socket is srwxr-x---.
	( umask 022; exec ovsdb-server -vconsole:off "$OVS_DBDIR/conf.db" \
		--remote="punix:$OVS_SOCK" --pidfile --detach --no-chdir \
		--log-file="$OVS_LOGDIR/ovsdb-server.log" ) ||
		bail "ovs_start: ovsdb-server did not start"
	ovs_daemon "$OVS_RUNDIR/ovsdb-server.pid"
	vsctl --no-wait init || bail "ovs_start: ovs-vsctl init"
	ovs-vswitchd -vconsole:off "unix:$OVS_SOCK" --pidfile --detach --no-chdir \
		--log-file="$OVS_LOGDIR/ovs-vswitchd.log" ||
		bail "ovs_start: ovs-vswitchd did not start"
	ovs_daemon "$OVS_RUNDIR/ovs-vswitchd.pid"
}

# Stop every daemon we started, by pid, and wait until each is gone.
ovs_stop()
{
	local pid

	for pid in "${OVS_PIDS[@]}"; do
		kill -TERM "$pid" 2> /dev/null
	done
	for pid in "${OVS_PIDS[@]}"; do
		for _ in $(seq 100); do
			kill -0 "$pid" 2> /dev/null || break
			sleep 0.05
		done
		kill -KILL "$pid" 2> /dev/null
	done
	OVS_PIDS=()
}

vsctl()
{
	ovs-vsctl --db="unix:$OVS_SOCK" --timeout="$OVS_TIMEOUT" "$@"
}

ovs_bridge()
{
	vsctl add-br "$1" -- set bridge "$1" datapath_type=netdev ||
		bail "cannot create OVS bridge $1"
}

ovs_ext()
{
	vsctl --if-exists get "$1" "$2" "external_ids:$3" 2> /dev/null |
		tr -d '"'
}

ovs_logs()
{
	local f

	for f in "$OVS_LOGDIR"/*.log "$WORK"/ovs-h2/log/*.log "$WORK"/ovn*/*.log; do
		[ -e "$f" ] || continue
		diag "--- $f" "$(tail -n 15 "$f")"
	done
}

# With the userspace datapath, each OVS bridge's own interface is a
# persistent TAP: not one of the helper's (which are never persistent), so
# lib.sh's TAP census leaves it out here. IFF_PERSIST is 0x0800.
tap_names()
{
	local f flags

	for f in /sys/class/net/*/tun_flags; do
		[ -e "$f" ] || continue
		flags=$(cat "$f")
		(( flags & 0x0800 )) && continue
		f=${f%/tun_flags}
		echo "${f##*/}"
	done
}

# ovs_port_rows: how many Port and Interface rows (besides the bridges'
# own) OVSDB holds, as "PORTS IFACES".
ovs_port_rows()
{
	local p i

	p=$(vsctl --bare --columns=name find Port 'external_ids:tapgate-made-by=tapgate-helper' | grep -c .)
	i=$(vsctl --bare --columns=name find Interface 'external_ids:tapgate-made-by=tapgate-helper' | grep -c .)
	echo "$p $i"
}

replies()
{
	ip netns exec "$1" busybox ping -c 3 -i 0.2 -w 3 "$2" 2>&1 |
		sed -n 's/.* \([0-9]*\) packets received.*/\1/p'
}

WIRE_PIDS=()
WIRE_NS=()
wire_guest()
{
	local ns=$1 addr=$2 pid=$3 tap=$4 out=$WORK/wire-$1.out

	ip netns add "$ns" || bail "wire_guest: ip netns add $ns"
	WIRE_NS+=("$ns")
	ip link add "w-$ns" type veth peer name eth0 netns "$ns" ||
		bail "wire_guest: veth for $ns"
	ip link set "w-$ns" up &&
	ip -n "$ns" link set lo up &&
	ip -n "$ns" link set eth0 up &&
	ip -n "$ns" addr add "$addr" dev eth0 ||
		bail "wire_guest: addresses in $ns"
	"$B/tests/tools/tapwire" "$pid" "$tap" "w-$ns" > "$out" &
	WIRE_PIDS+=("$!")
	for _ in $(seq 100); do
		grep -qx ready "$out" && return 0
		kill -0 "$!" 2> /dev/null || break
		sleep 0.05
	done
	bail "wire_guest: tapwire for $tap did not start"
}

wire_stop()
{
	local pid ns

	for pid in "${WIRE_PIDS[@]}"; do
		kill -TERM "$pid" 2> /dev/null
		wait "$pid" 2> /dev/null
	done
	for ns in "${WIRE_NS[@]}"; do
		ip netns del "$ns" 2> /dev/null
	done
	WIRE_PIDS=()
	WIRE_NS=()
}

on()
{
	local host=$1

	shift
	if [ "$host" = h1 ]; then
		"$@"
		return
	fi
	( on_exec "$host" "$@" )
}

# on_exec HOST CMD...: as on, but exec'ing: in a background subshell
# ("on_exec h2 cmd &"), $! is then CMD's own pid, which a signal reaches.
on_exec()
{
	local host=$1

	shift
	if [ "$host" = h1 ]; then
		exec "$@"
	fi
	# ip netns exec gives each command a mount namespace of its own: the
	# bind mount below is seen by that command (and the daemons it
	# starts) alone.
	exec ip netns exec "$host" env OVS_RUNDIR=/run/openvswitch \
		OVS_DBDIR="$WORK/ovs-$host/db" OVS_LOGDIR="$WORK/ovs-$host/log" \
		OVS_SYSCONFDIR="$WORK/ovs-$host/etc" \
		/bin/bash -c 'mount --bind "$0" /run/openvswitch && exec "$@"' \
		"$WORK/ovs-$host/run" "$@"
}

vsctl_on()
{
	local host=$1

	shift
	on "$host" ovs-vsctl --db="unix:$OVS_SOCK" --timeout="$OVS_TIMEOUT" "$@"
}

ovs_host2()
{
	local base=$WORK/ovs-h2

	ip netns add h2 || bail "ovs_host2: ip netns add h2"
	WIRE_NS+=(h2)
	ip -n h2 link set lo up
	mkdir -p "$base/run" "$base/db" "$base/log" "$base/etc" ||
		bail "ovs_host2: mkdir"
	ovsdb-tool create "$base/db/conf.db" \
		/usr/share/openvswitch/vswitch.ovsschema ||
		bail "ovs_host2: ovsdb-tool create"
	on h2 /bin/bash -c 'umask 022; exec "$@"' - ovsdb-server -vconsole:off \
		"$base/db/conf.db" --remote="punix:$OVS_SOCK" --pidfile --detach \
		--no-chdir --log-file="$base/log/ovsdb-server.log" ||
		bail "ovs_host2: ovsdb-server did not start"
	ovs_daemon "$base/run/ovsdb-server.pid"
	vsctl_on h2 --no-wait init || bail "ovs_host2: init"
	on h2 ovs-vswitchd -vconsole:off "unix:$OVS_SOCK" --pidfile --detach \
		--no-chdir --log-file="$base/log/ovs-vswitchd.log" ||
		bail "ovs_host2: ovs-vswitchd did not start"
	ovs_daemon "$base/run/ovs-vswitchd.pid"
}

underlay()
{
	local h n

	ip link add ul1 mtu 1600 type veth peer name ul2 mtu 1600 netns h2 ||
		bail "underlay: veth"
	ip link set ul1 up && ip -n h2 link set ul2 up || bail "underlay: up"
	for n in 1 2; do
		h=h$n
		vsctl_on "$h" add-br br-phy -- set bridge br-phy datapath_type=netdev \
			-- set Interface br-phy mtu_request=1600 \
			-- add-port br-phy "ul$n" -- set Interface "ul$n" mtu_request=1600 ||
			bail "underlay: br-phy on $h"
		on "$h" ip link set br-phy up &&
		on "$h" ip addr add "172.16.0.$n/24" dev br-phy ||
			bail "underlay: address on $h"
	done
}

ovn_central()
{
	local d=$WORK/ovn db

	mkdir -p "$d" || bail "ovn_central: mkdir"
	OVN_NB=unix:$d/nb.sock
	OVN_SB=unix:$d/sb.sock
	for db in nb sb; do
		ovsdb-tool create "$d/$db.db" "/usr/share/ovn/ovn-$db.ovsschema" ||
			bail "ovn_central: ovsdb-tool create $db"
		ovsdb-server -vconsole:off "$d/$db.db" --remote="punix:$d/$db.sock" \
			--pidfile="$d/$db.pid" --unixctl="$d/$db.ctl" --detach \
			--no-chdir --log-file="$d/$db.log" ||
			bail "ovn_central: $db ovsdb-server did not start"
		ovs_daemon "$d/$db.pid"
	done
	ovn-northd -vconsole:off --ovnnb-db="$OVN_NB" --ovnsb-db="$OVN_SB" \
		--pidfile="$d/northd.pid" --unixctl="$d/northd.ctl" --detach \
		--no-chdir --log-file="$d/northd.log" ||
		bail "ovn_central: ovn-northd did not start"
	ovs_daemon "$d/northd.pid"
}

nbctl()
{
	ovn-nbctl --db="$OVN_NB" --timeout="$OVS_TIMEOUT" "$@"
}

ovn_chassis()
{
	local host=$1 ip=$2 d=$WORK/ovn-$1

	mkdir -p "$d" || bail "ovn_chassis: mkdir"
	vsctl_on "$host" --may-exist add-br br-int \
		-- set bridge br-int datapath_type=netdev fail-mode=secure \
		-- set Open_vSwitch . external_ids:system-id="$host" \
		external_ids:ovn-remote="$OVN_SB" \
		external_ids:ovn-encap-type=geneve external_ids:ovn-encap-ip="$ip" \
		external_ids:ovn-bridge-datapath-type=netdev ||
		bail "ovn_chassis: $host's Open_vSwitch"
	# ovn-controller 23.03 has no --unixctl: its control socket is
	# $OVN_RUNDIR/ovn-controller.PID.ctl.
	on "$host" env OVN_RUNDIR="$d" ovn-controller -vconsole:off \
		"unix:$OVS_SOCK" --pidfile="$d/ovn-controller.pid" --detach \
		--no-chdir --log-file="$d/ovn-controller.log" ||
		bail "ovn_chassis: ovn-controller on $host did not start"
	ovs_daemon "$d/ovn-controller.pid"
}

# The exit trap: daemons stopped before lib.sh's own trap judges the run.
# shellcheck disable=SC2154 # ovs_rc is set inside the trap itself
trap 'ovs_rc=$?; wire_stop; ovs_stop; lib_finish $ovs_rc' EXIT
