#!/bin/bash
# build.sh - build the tiny end-to-end test guest: a Debian kernel and a busybox-static initramfs with virtio-net
#
# Usage: tests/guest/build.sh OUTDIR
#
# Writes OUTDIR/vmlinuz (a copy of the guest kernel, readable by all, since
# /boot/vmlinuz-* is often root-only) and OUTDIR/initramfs.cpio.gz (newc,
# gzip): busybox-static, tests/guest/init as /init, and the kernel's modules
# that virtio-net-pci needs, dependencies first (resolved from modules.dep;
# .ko.xz/.zst/.gz are decompressed, since busybox insmod wants plain .ko).
# Nothing is rebuilt while OUTDIR/stamp matches the inputs (this script,
# init, busybox, the kernel, the modules).
#
# The kernel: $TAPGATE_GUEST_KVER if set, else the newest /boot/vmlinuz-V
# with /lib/modules/V, preferring Debian's -cloud-amd64 flavour
# (linux-image-cloud-amd64, small and made for VMs).
set -euo pipefail

OUT=${1:?usage: build.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
BUSYBOX=/bin/busybox
WANT_MODULES="virtio_pci virtio_net"

die()
{
	echo "build.sh: $*" >&2
	exit 1
}

pick_kernel()
{
	local v best="" bestcloud=""

	if [ -n "${TAPGATE_GUEST_KVER:-}" ]; then
		echo "$TAPGATE_GUEST_KVER"
		return
	fi
	for v in $(ls /boot | sed -n 's/^vmlinuz-//p' | sort -V); do
		[ -f "/lib/modules/$v/modules.dep" ] || continue
		best=$v
		case $v in *-cloud-amd64) bestcloud=$v ;; esac
	done
	echo "${bestcloud:-$best}"
}

KVER=$(pick_kernel)
[ -n "$KVER" ] || die "no /boot/vmlinuz-V with /lib/modules/V (install linux-image-cloud-amd64)"
KERNEL=/boot/vmlinuz-$KVER
MODDIR=/lib/modules/$KVER
[ -f "$KERNEL" ] || die "no $KERNEL"
[ -f "$MODDIR/modules.dep" ] || die "no $MODDIR/modules.dep"
[ -x "$BUSYBOX" ] || die "no $BUSYBOX (install busybox-static)"
if ldd "$BUSYBOX" > /dev/null 2>&1; then
	die "$BUSYBOX is dynamically linked (install busybox-static)"
fi

# --- modules, dependencies first -------------------------------------------
declare -A seen=()
ORDER=()

# dep_line NAME: the modules.dep line of module NAME ("path: deps...").
dep_line()
{
	grep -E "(^|/)$1\.ko(\.xz|\.zst|\.gz)?:" "$MODDIR/modules.dep" | head -n 1
}

builtin()
{
	grep -qE "(^|/)$1\.ko$" "$MODDIR/modules.builtin" 2>/dev/null
}

resolve()
{
	local name=$1 line path deps d

	[ -z "${seen[$name]:-}" ] || return 0
	seen[$name]=1
	line=$(dep_line "$name")
	if [ -z "$line" ]; then
		builtin "$name" && return 0
		die "module $name is neither in $MODDIR/modules.dep nor built in"
	fi
	path=${line%%:*}
	deps=${line#*:}
	for d in $deps; do
		d=$(basename "$d")
		resolve "${d%%.ko*}"
	done
	ORDER+=("$name:$path")
}

for m in $WANT_MODULES; do
	resolve "$m"
done

# --- up to date? -------------------------------------------------------------
inputs()
{
	local e

	sha256sum "$HERE/build.sh" "$HERE/init" "$BUSYBOX" "$KERNEL"
	for e in "${ORDER[@]}"; do
		sha256sum "$MODDIR/${e#*:}"
	done
	echo "kernel $KVER"
}

mkdir -p "$OUT"
exec 9> "$OUT/.lock"
flock 9
STAMP=$(inputs | sha256sum | cut -d' ' -f1)
if [ -f "$OUT/stamp" ] && [ "$(cat "$OUT/stamp")" = "$STAMP" ] &&
   [ -f "$OUT/vmlinuz" ] && [ -f "$OUT/initramfs.cpio.gz" ]; then
	echo "build.sh: $OUT is up to date (kernel $KVER)"
	exit 0
fi

# --- the initramfs tree ------------------------------------------------------
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE"/{bin,dev,proc,sys,tmp,lib/modules}
install -m 0755 "$BUSYBOX" "$STAGE/bin/busybox"
install -m 0755 "$HERE/init" "$STAGE/init"
# The kernel opens /dev/console for init's stdio before init runs; the
# kernel's own built-in initramfs has it too, so this is only a safeguard
# (and needs root).
mknod -m 0600 "$STAGE/dev/console" c 5 1 2>/dev/null || true

: > "$STAGE/lib/modules/load-order"
for e in "${ORDER[@]}"; do
	name=${e%%:*}
	src=$MODDIR/${e#*:}
	dst=$STAGE/lib/modules/$name.ko
	case $src in
	*.ko.xz) xz -dc "$src" > "$dst" ;;
	*.ko.zst) zstd -qdc "$src" > "$dst" ;;
	*.ko.gz) gzip -dc "$src" > "$dst" ;;
	*.ko) cp "$src" "$dst" ;;
	*) die "unknown module file type: $src" ;;
	esac
	echo "$name" >> "$STAGE/lib/modules/load-order"
done

(cd "$STAGE" && find . -print0 | LC_ALL=C sort -z |
	cpio --null --create --format=newc --owner=0:0 --reproducible --quiet) |
	gzip -9n > "$OUT/initramfs.cpio.gz.tmp"
install -m 0644 "$KERNEL" "$OUT/vmlinuz.tmp"
chmod 0644 "$OUT/initramfs.cpio.gz.tmp"
mv -f "$OUT/initramfs.cpio.gz.tmp" "$OUT/initramfs.cpio.gz"
mv -f "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
echo "$STAMP" > "$OUT/stamp"
echo "build.sh: built $OUT (kernel $KVER; modules: $(paste -sd ' ' "$STAGE/lib/modules/load-order"))"
