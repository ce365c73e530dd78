# lib.sh - shared helpers for the integration and end-to-end test scripts
# shellcheck shell=bash
#
# WRITING A TEST SCRIPT
#
# A test is tests/integration/test_*.sh or tests/e2e/test_*.sh: a bash
# script whose first command is
#
#	. "$(dirname "$0")/../lib/lib.sh"
#
# Sourcing lib.sh as root re-executes the script under tests/lib/ns.sh, in its
# own network, mount and pid namespaces, and prepares the inside:
#   - a fresh sysfs (so /sys/class/net shows this namespace), lo up;
#   - $WORK: an empty tmpfs work dir (mounted WITHOUT nosuid/nodev, so a
#     setuid helper and device nodes work in it); its parent dir is a
#     1777 scratch dir that the test users may write;
#   - an empty /run (tmpfs: nothing the tests do reaches the host's);
#   - a private /dev (tmpfs: null, zero, full, random, urandom, tty, ptmx,
#     pts, shm, fd) whose /dev/net/tun is a node of ours, mode 0600 at first
#     (see tun_node);
#   - /etc overlaid (see ns_overlay) and its passwd and group replaced, in
#     here only, by copies that add the test users alice 4001, bob 4002,
#     carol 4003 and the groups lab 4100 (alice, bob) and guests 4101
#     (carol); a host that replaces its own /etc/passwd meanwhile does not
#     take them away (see lib_users);
#   - the directory of the helper's ACL file overlaid (see ns_overlay),
#     and no ACL file in it until the test writes one;
#   - the working directory is $WORK.
# When the script ends, however it ends, the namespaces take all of it away.
# As non-root the script prints "1..0 # SKIP" and exits 0 (tests/run does not
# even start it then).
#
# The script's last command is `done_testing`. Each script prints TAP:
# "ok N - name", "not ok N - name" (with "# ..." diagnostics after it),
# "ok N - name # SKIP reason", and "1..N" at its end (printed by lib.sh's
# exit trap). Its exit status is nonzero iff a test failed; a script that
# ends without reaching done_testing (exit, error, signal, bail) gets one
# extra "not ok" saying so. Name each test after the rule it checks. Skips must be
# rare and explained; never skip for a missing package (tests/deps.sh
# installs them) or for a missing build product (that is a failure).
#
# ENVIRONMENT (all optional)
#   TAPGATE_HELPER     helper binary to test (default helper/tapgate-helper;
#                      /usr/lib/qemu/qemu-bridge-helper works for checking
#                      the harness itself: ACL /etc/qemu/bridge.conf)
#   TAPGATE_ACL        the ACL path the helper reads, if not found in it
#   TAPGATE_TUN_MODE   mode of /dev/net/tun at the start (default 0600)
#   TAPGATE_QEMU_TIMEOUT  seconds a guest may run (default 120)
#   B                  build directory (default build)
#
# VARIABLES
#   ROOT          the source tree;  B  the build dir ($ROOT/build)
#   WORK          the tmpfs work dir (root 0755); SCRATCH its 1777 parent
#   HELPER_SRC    the helper binary under test ($ROOT/helper/tapgate-helper,
#                 or $TAPGATE_HELPER)
#   HELPER_NAME   its message prefix ("tapgate-helper")
#   HELPER        the installed copy, set by install_helper
#   ACL           the ACL file the helper reads (compiled-in path, found in
#                 the binary; $TAPGATE_ACL overrides)
#   GETFD         tests/tools/getfd, copied into $WORK/bin
#   STATUS OUT ERR   set by run_as (and getfd_run): exit status, stdout,
#                 stderr of the last command; OUT_FILE, ERR_FILE hold them
#
# FUNCTIONS
#   Setup
#     install_helper [setuid|setcap]   copy $HELPER_SRC to $WORK/bin, owned
#                 root, mode 4755 (setuid, the default) or 0755 plus
#                 `setcap cap_net_admin,cap_setpcap+ep` (make install
#                 SETCAP=1's default); sets HELPER
#     tun_node MODE                    (re)make /dev/net/tun with MODE
#     write_acl [-f FILE] [LINE...]    write the LINEs (or stdin) to FILE
#                 (default $ACL), owned root, mode 0644
#     make_bridge NAME [ADDR/LEN]      a bridge, up, with an optional address
#     ns_overlay DIR  make DIR writable in here only (an overlay: what it
#                 holds stays visible; writes never reach the host); DIR is
#                 created inside an overlaid ancestor when missing
#     ns_dir DIR  make DIR an empty tmpfs seen only in here
#     start_syslog                     capture syslog(3) from /dev/log into
#                 $SYSLOG (busybox syslogd)
#     syslog_sync wait until $SYSLOG holds every line sent so far
#   Running
#     as_user [-g GID,GID...|-G] NAME CMD...   run CMD as user NAME with a
#                 clean environment (PATH, HOME, USER, LOGNAME); groups from
#                 /etc/group (-g: exactly these supplementary groups; -G:
#                 none); sets USER_CMD to the argv it ran, so
#                 `"${USER_CMD[@]}" &` is also possible after user_cmd
#     user_cmd [-g ...|-G] NAME CMD...  only build USER_CMD (for background
#                 jobs: "${USER_CMD[@]}" & gives the pid of CMD itself)
#     run_as [-g ...|-G] NAME CMD...    as_user, capturing STATUS, OUT, ERR
#     getfd_run [-g ...|-G] NAME [GETFD OPTIONS] -- HELPER ARGS...
#                 run_as NAME $GETFD ... ; then `kv KEY` reads its output
#     getfd_hold [-g ...|-G] NAME [GETFD OPTIONS] -- HELPER ARGS...
#                 start getfd --hold in the background, wait until it has
#                 the fds (or failed); sets HOLD_PID, OUT, STATUS (empty
#                 while it holds); `release` closes the fds and reaps it
#     kv KEY [TEXT]   the value of KEY=... in TEXT (default $OUT)
#   TAPs
#     tap_names   every TUN/TAP interface here (has /sys/class/net/X/tun_flags)
#     tap_count   how many
#     tap_attr TAP FILE   /sys/class/net/TAP/FILE
#   Assertions (each prints one TAP line, returns 0 on pass, 1 on failure)
#     ok NAME CMD...          CMD exits 0
#     nok NAME CMD...         CMD exits nonzero
#     is GOT WANT NAME        equal strings
#     isnt GOT UNWANTED NAME  different strings
#     like GOT ERE NAME       GOT matches the extended regex ERE (bash =~)
#     unlike GOT ERE NAME
#     pass NAME | fail NAME [DIAG...] | skip NAME REASON | diag TEXT...
#     no_taps_left [NAME]     no TUN/TAP interface exists
#     is_refusal NAME [ERE]   after run_as/getfd_run: exit status 1, exactly
#                 one stderr line starting "$HELPER_NAME: " (matching ERE
#                 when given), no TAP left
#     bail TEXT               "Bail out!", fail and stop the script
#     done_testing            the last line of every script
#   Guest (end-to-end)
#     guest_build             build (or reuse) build/guest/ and copy the
#                 kernel and initramfs into $WORK/guest, readable by all;
#                 sets GUEST_KERNEL, GUEST_INITRD
#     guest_boot NAME LOG [QEMU ARGS...]   as user NAME, boot the guest
#                 under TCG with a timeout; it pings $GUEST_PEER from
#                 $GUEST_ADDR; console in LOG; sets STATUS
#     guest_passed LOG NAME   assert the guest printed its PASS marker

set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-$ROOT/build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (private namespaces, setuid install)"
	exit 0
fi
if [ "${TAPGATE_NS:-}" != 1 ]; then
	exec "$ROOT/tests/lib/ns.sh" "$0" "$@"
fi

# ---------------------------------------------------------------------------
# TAP output

T_N=0
T_FAILED=0

diag()
{
	printf '%s\n' "$@" | sed 's/^/# /'
}

pass()
{
	T_N=$((T_N + 1))
	echo "ok $T_N - $1"
	return 0
}

fail()
{
	local name=$1

	shift
	T_N=$((T_N + 1))
	T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_N - $name"
	[ "$#" -gt 0 ] && diag "$@"
	return 1
}

skip()
{
	T_N=$((T_N + 1))
	echo "ok $T_N - $1 # SKIP $2"
	return 0
}

bail()
{
	fail "$*"
	echo "Bail out! $*"
	exit 1
}

ok()
{
	local name=$1

	shift
	if "$@"; then
		pass "$name"
	else
		fail "$name" "command failed ($?): $*"
	fi
}

nok()
{
	local name=$1

	shift
	if "$@"; then
		fail "$name" "command succeeded but should not: $*"
	else
		pass "$name"
	fi
}

is()
{
	if [ "$1" == "$2" ]; then
		pass "$3"
	else
		fail "$3" "got:  '$1'" "want: '$2'"
	fi
}

isnt()
{
	if [ "$1" != "$2" ]; then
		pass "$3"
	else
		fail "$3" "got '$1', which it must not be"
	fi
}

like()
{
	if [[ $1 =~ $2 ]]; then
		pass "$3"
	else
		fail "$3" "got:  '$1'" "want: /$2/"
	fi
}

unlike()
{
	if [[ $1 =~ $2 ]]; then
		fail "$3" "got:  '$1'" "must not match: /$2/"
	else
		pass "$3"
	fi
}

# done_testing: the script's last command. Prints the plan and exits,
# nonzero iff a test failed.
T_DONE=0
done_testing()
{
	T_DONE=1
	exit 0
}

# The exit trap: a script that ended without reaching done_testing (it
# called exit, died of an error or a signal, or bailed) gets one more
# failure saying so; then the plan, and the exit status.
lib_finish()
{
	local rc=$1

	trap - EXIT
	if [ "$T_DONE" != 1 ] && [ "$T_FAILED" = 0 ]; then
		fail "$(basename "$0") ended before done_testing (status $rc)"
	fi
	echo "1..$T_N"
	[ "$T_FAILED" = 0 ] && exit 0
	exit 1
}

# ---------------------------------------------------------------------------
# Namespace setup

# ns_overlay DIR: DIR becomes writable in here only: an overlay whose
# upper layer lives in $WORK, so what DIR holds stays visible and what the
# test writes or removes there never reaches the host. When DIR does not
# exist, its nearest existing ancestor is overlaid and DIR made inside.
# A DIR at or under a directory already overlaid is only made (mkdir -p).
NS_OVERLAYS=0
NS_OVERLAID=()
ns_overlay()
{
	local dir=$1 anc ov done

	for done in "${NS_OVERLAID[@]}"; do
		case $dir/ in "$done"/*)
			mkdir -p "$dir" || bail "ns_overlay: mkdir $dir"
			return 0 ;;
		esac
	done
	anc=$dir
	while [ ! -d "$anc" ]; do
		anc=$(dirname "$anc")
	done
	[ "$anc" = / ] && bail "ns_overlay: will not overlay / for $dir"
	NS_OVERLAYS=$((NS_OVERLAYS + 1))
	ov=$WORK/.overlay/$NS_OVERLAYS
	mkdir -p "$ov/upper" "$ov/work" || bail "ns_overlay: mkdir $ov"
	mount -t overlay tapgate-test \
		-o "lowerdir=$anc,upperdir=$ov/upper,workdir=$ov/work" \
		"$anc" || bail "ns_overlay: cannot overlay $anc"
	NS_OVERLAID+=("$anc")
	mkdir -p "$dir" || bail "ns_overlay: mkdir $dir"
}

# ns_dir DIR: DIR becomes an empty root 0755 tmpfs, seen only in here.
ns_dir()
{
	[ -d "$1" ] || ns_overlay "$1"
	mount -t tmpfs -o mode=0755 tapgate-test "$1" ||
		bail "ns_dir: cannot mount a tmpfs on $1"
}

# The work tmpfs goes on the first of these that does not hold the source
# tree (whose tools the tests still need to see).
lib_mount_work()
{
	local mp

	for mp in /tmp /mnt /srv /media /var/tmp; do
		[ -d "$mp" ] || continue
		case $ROOT/ in "$mp"/*) continue ;; esac
		mount -t tmpfs -o mode=1777 tapgate-test "$mp" ||
			bail "cannot mount the work tmpfs on $mp"
		SCRATCH=$mp
		WORK=$mp/tapgate
		mkdir -m 0755 "$WORK" "$WORK/bin" "$WORK/etc"
		export TMPDIR=$SCRATCH
		return 0
	done
	bail "no mount point for the work tmpfs"
}

lib_private_dev()
{
	mount -t tmpfs -o mode=0755,size=1m tapgate-dev /dev ||
		bail "cannot mount a private /dev"
	mknod -m 0666 /dev/null c 1 3 &&
	mknod -m 0666 /dev/zero c 1 5 &&
	mknod -m 0666 /dev/full c 1 7 &&
	mknod -m 0666 /dev/random c 1 8 &&
	mknod -m 0666 /dev/urandom c 1 9 &&
	mknod -m 0666 /dev/tty c 5 0 &&
	ln -s /proc/self/fd /dev/fd &&
	ln -s /proc/self/fd/0 /dev/stdin &&
	ln -s /proc/self/fd/1 /dev/stdout &&
	ln -s /proc/self/fd/2 /dev/stderr &&
	mkdir -m 0755 /dev/pts /dev/net &&
	mkdir -m 1777 /dev/shm &&
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts \
		/dev/pts &&
	ln -s pts/ptmx /dev/ptmx ||
		bail "cannot populate the private /dev"
}

# Test users and groups: added to copies of the real files, written into
# an overlay of /etc (ns_overlay) in this mount namespace only, so NSS
# (files) resolves them. Not bind mounts on /etc/passwd and /etc/group:
# when the host replaces its own file while a test runs (a package install
# adding a user renames a new passwd over the old), Linux detaches every
# mount on the old file, in every namespace, and the test's users vanish.
# The host never renames /etc itself, and a file in the overlay's upper
# layer hides whatever the host later puts in its place.
lib_users()
{
	local u

	for u in alice bob carol lab guests; do
		if grep -q "^$u:" /etc/passwd /etc/group; then
			bail "the host already has a user or group '$u'"
		fi
	done
	if grep -qE '^[^:]*:[^:]*:(4001|4002|4003):' /etc/passwd ||
	   grep -qE '^[^:]*:[^:]*:(4001|4002|4003|4100|4101):' /etc/group; then
		bail "the host already uses one of the test ids 4001-4003, 4100, 4101"
	fi
	{
		cat /etc/passwd
		echo "alice:x:4001:4001:tapgate test user:/nonexistent:/bin/sh"
		echo "bob:x:4002:4002:tapgate test user:/nonexistent:/bin/sh"
		echo "carol:x:4003:4003:tapgate test user:/nonexistent:/bin/sh"
	} > "$WORK/etc/passwd"
	{
		cat /etc/group
		echo "alice:x:4001:"
		echo "bob:x:4002:"
		echo "carol:x:4003:"
		echo "lab:x:4100:alice,bob"
		echo "guests:x:4101:carol"
	} > "$WORK/etc/group"
	ns_overlay /etc
	install -o root -g root -m 0644 "$WORK/etc/passwd" /etc/passwd &&
	install -o root -g root -m 0644 "$WORK/etc/group" /etc/group ||
		bail "cannot write the test passwd/group into the /etc overlay"
}

# The helper under test and the ACL path compiled into it.
lib_helper_src()
{
	HELPER_SRC=${TAPGATE_HELPER:-$ROOT/helper/tapgate-helper}
	case $HELPER_SRC in /*) ;; *) HELPER_SRC=$ROOT/$HELPER_SRC ;; esac
	HELPER_NAME=$(basename "$HELPER_SRC")
	HELPER=
	[ -f "$HELPER_SRC" ] ||
		bail "$HELPER_SRC is not built (run make tests)"
	if [ -n "${TAPGATE_ACL:-}" ]; then
		ACL=$TAPGATE_ACL
	elif [ "$HELPER_NAME" = qemu-bridge-helper ]; then
		# Development only: Debian's helper, to check the harness.
		ACL=/etc/qemu/bridge.conf
	else
		# TAPGATE_ACL_PATH is a string literal in the binary.
		ACL=$(grep -aoE '/[[:alnum:]_./+-]*/tapgate\.conf' "$HELPER_SRC" |
			head -n 1)
		[ -n "$ACL" ] || bail "no */tapgate.conf path found in $HELPER_SRC"
	fi
}

lib_setup()
{
	mount -t sysfs tapgate-test /sys || bail "cannot mount sysfs"
	ip link set lo up || bail "cannot bring lo up"
	lib_mount_work
	lib_private_dev
	# /run too: nothing a test writes there reaches the host's.
	mount -t tmpfs -o mode=0755 tapgate-run /run || bail "cannot mount /run"
	# 0600 as on a stock Debian host; TAPGATE_TUN_MODE is for trying the
	# harness against a helper that cannot open such a node.
	tun_node "${TAPGATE_TUN_MODE:-0600}"
	lib_helper_src
	lib_users
	# The ACL's directory, overlaid too (nothing more to do when it is
	# in /etc, already overlaid). No ACL until the test writes one.
	ns_overlay "$(dirname "$ACL")"
	rm -f "$ACL"
	[ -x "$B/tests/tools/getfd" ] ||
		bail "$B/tests/tools/getfd is not built (run make tests)"
	install -o root -g root -m 0755 "$B/tests/tools/getfd" "$WORK/bin/getfd"
	GETFD=$WORK/bin/getfd
	cd "$WORK" || bail "cd $WORK"
}

# ---------------------------------------------------------------------------
# Setup helpers for tests

install_helper()
{
	local how=${1:-setuid}

	HELPER=$WORK/bin/$HELPER_NAME
	rm -f "$HELPER"
	case $how in
	setuid)
		install -o root -g root -m 4755 "$HELPER_SRC" "$HELPER"
		;;
	setcap)
		install -o root -g root -m 0755 "$HELPER_SRC" "$HELPER" &&
		setcap cap_net_admin,cap_setpcap+ep "$HELPER"
		;;
	*)
		bail "install_helper: setuid or setcap, not '$how'"
		;;
	esac || bail "cannot install $HELPER_SRC ($how)"
}

tun_node()
{
	rm -f /dev/net/tun
	mknod -m "$1" /dev/net/tun c 10 200 || bail "cannot make /dev/net/tun"
}

write_acl()
{
	local file=$ACL

	if [ "${1:-}" = -f ]; then
		file=$2
		shift 2
	fi
	if [ "$#" -gt 0 ]; then
		printf '%s\n' "$@" > "$file"
	else
		cat > "$file"
	fi || bail "cannot write $file"
	chown root:root "$file" && chmod 0644 "$file" ||
		bail "cannot set owner and mode of $file"
}

make_bridge()
{
	ip link add name "$1" type bridge || bail "cannot create bridge $1"
	ip link set "$1" up || bail "cannot bring $1 up"
	if [ -n "${2:-}" ]; then
		ip addr add "$2" dev "$1" || bail "cannot add $2 to $1"
	fi
}

start_syslog()
{
	SYSLOG=$WORK/syslog
	: > "$SYSLOG"
	busybox syslogd -n -O "$SYSLOG" &
	for _ in $(seq 100); do
		[ -S /dev/log ] && return 0
		sleep 0.05
	done
	bail "busybox syslogd did not create /dev/log"
}

# syslog_sync: wait until syslogd has written every line sent so far. A
# marker is logged and waited for: /dev/log is one datagram queue read in
# order, so once the marker is in $SYSLOG, every line sent before it is.
SYSLOG_SYNC=0
syslog_sync()
{
	local marker

	SYSLOG_SYNC=$((SYSLOG_SYNC + 1))
	marker="tapgate-test-sync-$SYSLOG_SYNC"
	busybox logger -t tapgate-test "$marker" ||
		bail "cannot log to /dev/log"
	# Not a timed assertion: only a bound on waiting for syslogd.
	for _ in $(seq 400); do
		grep -q "$marker" "$SYSLOG" && return 0
		sleep 0.05
	done
	bail "syslogd did not write the marker within 20 s"
}

# ---------------------------------------------------------------------------
# Running as a test user

user_cmd()
{
	local groups=(--init-groups) name uid gid

	case ${1:-} in
	-g) groups=("--groups=$2"); shift 2 ;;
	-G) groups=(--clear-groups); shift ;;
	esac
	name=$1
	shift
	uid=$(id -u "$name") && gid=$(id -g "$name") ||
		bail "no such test user: $name"
	USER_CMD=(setpriv --reuid="$uid" --regid="$gid" "${groups[@]}" --
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/
		USER="$name" LOGNAME="$name" "$@")
}

as_user()
{
	user_cmd "$@"
	"${USER_CMD[@]}"
}

run_as()
{
	OUT_FILE=$WORK/run.out
	ERR_FILE=$WORK/run.err
	as_user "$@" > "$OUT_FILE" 2> "$ERR_FILE" < /dev/null
	STATUS=$?
	OUT=$(cat "$OUT_FILE")
	ERR=$(cat "$ERR_FILE")
	return 0
}

# Split "[-g X|-G] NAME" from the rest, for the getfd wrappers.
lib_user_args()
{
	UARGS=()
	case $1 in
	-g) UARGS=(-g "$2"); shift 2 ;;
	-G) UARGS=(-G); shift ;;
	esac
	UARGS+=("$1")
}

getfd_run()
{
	lib_user_args "$@"
	shift "${#UARGS[@]}"
	run_as "${UARGS[@]}" "$GETFD" "$@"
}

getfd_hold()
{
	lib_user_args "$@"
	shift "${#UARGS[@]}"
	OUT_FILE=$WORK/hold.out
	ERR_FILE=$WORK/hold.err
	: > "$OUT_FILE"
	user_cmd "${UARGS[@]}" "$GETFD" --hold 3600 "$@"
	"${USER_CMD[@]}" > "$OUT_FILE" 2> "$ERR_FILE" < /dev/null &
	HOLD_PID=$!
	STATUS=
	# Not a timed assertion: only a bound on waiting for a hung helper.
	for _ in $(seq 1200); do
		grep -qx end "$OUT_FILE" && break
		kill -0 "$HOLD_PID" 2> /dev/null || break
		sleep 0.05
	done
	OUT=$(cat "$OUT_FILE")
	ERR=$(cat "$ERR_FILE")
	if ! kill -0 "$HOLD_PID" 2> /dev/null; then
		wait "$HOLD_PID"
		STATUS=$?
		HOLD_PID=
		OUT=$(cat "$OUT_FILE")
		ERR=$(cat "$ERR_FILE")
	elif ! grep -qx end "$OUT_FILE"; then
		diag "getfd did not finish within 60 s"
	fi
	return 0
}

release()
{
	[ -n "${HOLD_PID:-}" ] || return 0
	kill -TERM "$HOLD_PID" 2> /dev/null
	wait "$HOLD_PID"
	STATUS=$?
	HOLD_PID=
}

kv()
{
	printf '%s\n' "${2-$OUT}" | sed -n "s/^$1=//p" | head -n 1
}

# ---------------------------------------------------------------------------
# TAPs

tap_names()
{
	local f

	for f in /sys/class/net/*/tun_flags; do
		[ -e "$f" ] || continue
		f=${f%/tun_flags}
		echo "${f##*/}"
	done
}

tap_count()
{
	tap_names | grep -c '' || true
}

tap_attr()
{
	cat "/sys/class/net/$1/$2"
}

no_taps_left()
{
	local left

	left=$(tap_names | tr '\n' ' ')
	if [ -z "$left" ]; then
		pass "${1:-no TAP left}"
	else
		fail "${1:-no TAP left}" "interfaces left: $left"
	fi
}

is_refusal()
{
	local name=$1 ere=${2:-} lines

	is "$STATUS" 1 "$name: exit status 1"
	lines=$(grep -c '' "$ERR_FILE")
	if [ "$lines" = 1 ]; then
		pass "$name: exactly one line on stderr"
	else
		fail "$name: exactly one line on stderr" \
			"$lines lines:" "$ERR"
	fi
	like "$ERR" "^$HELPER_NAME: " "$name: the line starts '$HELPER_NAME: '"
	[ -n "$ere" ] && like "$ERR" "$ere" "$name: the line says why"
	no_taps_left "$name: no TAP left"
}

# ---------------------------------------------------------------------------
# The tiny guest

GUEST_ADDR=192.0.2.2
GUEST_PEER=192.0.2.1
GUEST_PREFIX=24

guest_build()
{
	local gdir=$WORK/guest

	"$ROOT/tests/guest/build.sh" "$B/guest" >"$WORK/guest-build.log" 2>&1 || {
		diag "$(tail -n 20 "$WORK/guest-build.log")"
		bail "cannot build the tiny guest"
	}
	mkdir -m 0755 "$gdir" 2> /dev/null
	install -m 0644 "$B/guest/vmlinuz" "$gdir/vmlinuz" &&
	install -m 0644 "$B/guest/initramfs.cpio.gz" "$gdir/initramfs.cpio.gz" ||
		bail "cannot copy the guest into $gdir"
	GUEST_KERNEL=$gdir/vmlinuz
	GUEST_INITRD=$gdir/initramfs.cpio.gz
}

guest_boot()
{
	local user=$1 log=$2

	shift 2
	as_user "$user" timeout -k 5 "${TAPGATE_QEMU_TIMEOUT:-120}" \
		qemu-system-x86_64 -accel tcg -m 256 -nographic -no-reboot \
		-kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD" \
		-append "console=ttyS0 quiet panic=-1 tapgate.addr=$GUEST_ADDR/$GUEST_PREFIX tapgate.peer=$GUEST_PEER" \
		"$@" < /dev/null > "$log" 2>&1
	STATUS=$?
	return 0
}

guest_passed()
{
	local log=$1 name=$2

	if grep -q 'TAPGATE-GUEST: PASS' "$log"; then
		pass "$name"
	else
		fail "$name" "qemu exit status $STATUS; the console's last lines:" \
			"$(tail -n 25 "$log")"
	fi
}

trap 'lib_finish $?' EXIT
lib_setup
