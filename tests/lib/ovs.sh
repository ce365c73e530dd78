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

	for f in "$OVS_LOGDIR"/*.log; do
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
	replies()
{
	ip netns exec "$1" busybox ping -c 3 -i 0.2 -w 3 "$2" 2>&1 |
		sed -n 's/.* \([0-9]*\) packets received.*/\1/p'
}

WIRE_PIDS=()
	WIRE_NS=()
}

# The exit trap: daemons stopped before lib.sh's own trap judges the run.
trap 'ovs_rc=$?; wire_stop; ovs_stop; lib_finish $ovs_rc' EXIT
