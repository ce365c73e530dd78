#!/bin/sh
# deps.sh - install the Debian packages that building and testing tapgate need
set -eu

PKGS="build-essential pkg-config libcap-ng-dev libmnl-dev libcmocka-dev
libcap2-bin iproute2 util-linux procps strace mandoc cpio busybox-static
qemu-system-x86 linux-image-cloud-amd64 clang cppcheck clang-tidy valgrind
libclang-rt-14-dev"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
