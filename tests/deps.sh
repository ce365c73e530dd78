#!/bin/sh
# deps.sh - install the Debian packages that building and testing tapgate need
set -eu

PKGS="build-essential pkg-config libcap-ng-dev libmnl-dev libcmocka-dev
libcap2-bin iproute2 util-linux procps strace mandoc cpio busybox-static
qemu-system-x86 linux-image-cloud-amd64 clang cppcheck clang-tidy valgrind
libclang-rt-14-dev libjansson-dev"
# Open vSwitch and OVN: the tests start their own daemons inside namespaces
# they create (tests/lib/ovs.sh); none may run on the host.
DAEMON_PKGS="openvswitch-switch ovn-central ovn-host"

missing=
for p in $PKGS $DAEMON_PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive

# Debian's invoke-rc.d asks /usr/sbin/policy-rc.d whether a package's
# service may start; 101 means "action forbidden". Install one for the
# duration unless the machine has its own, and remove only ours.
POLICY=/usr/sbin/policy-rc.d
ours=
if [ ! -e "$POLICY" ]; then
	printf '#!/bin/sh\n# tests/deps.sh: no service starts during the install\nexit 101\n' >"$POLICY"
	chmod 0755 "$POLICY"
	ours=1
fi
cleanup() { if [ -n "$ours" ]; then rm -f "$POLICY"; fi; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing

# Where systemd is PID 1, the package's unit files could still start the
# daemons (socket or path activation); say so instead of leaving them.
if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; then
	systemctl disable --now openvswitch-switch ovsdb-server ovs-vswitchd \
		ovn-central ovn-host ovn-northd ovn-controller \
		ovn-ovsdb-server-nb ovn-ovsdb-server-sb 2>/dev/null || :
fi
if pgrep -a '^(ovs|ovn)'; then
	echo "deps.sh: an Open vSwitch or OVN daemon runs on the host after the install" >&2
	exit 1
fi
