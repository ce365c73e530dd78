#!/bin/bash
# test_attack_acl.sh - hostile or broken ACL files: untrusted owner or mode, symlinks, directories, FIFOs, devices, long lines, NUL bytes, include cycles and depth, cwd-relative includes, unreadable includes, 100,000 rules
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/attack.sh"

install_helper setuid
make_bridge br0
make_bridge br1
ETC=$(dirname "$ACL")

# ask NAME BRIDGE: alice asks for BRIDGE; a bound on the whole run (60 s)
# turns a hang into a failure with status 124.
ask()
{
	getfd_run alice -- /usr/bin/timeout -k 5 60 "$HELPER" --use-vnet --fd={fd} --br="$1"
}
# acl_refused NAME ERE [BRIDGE]: the request is refused, one clean line.
acl_refused()
{
	ask "${3:-br0}"
	is_refusal "$1" "$2"
	not_a_signal "$1"
	is "$(kv fds)" 0 "$1: no fd is sent"
}
acl_granted()
{
	ask "${2:-br0}"
	is "$STATUS/$(kv fds)/$ERR" "0/1/" "$1: granted" || diag "$OUT"
	no_taps_left "$1: no TAP left"
}
# reset_acl: a plain ACL file again (after it was a directory, FIFO...).
reset_acl()
{
	rm -rf "$ACL"
	write_acl "$@"
}

# --- who may write the file -----------------------------------------------------
write_acl 'allow br0'
acl_granted "control: a root-owned 0644 ACL allowing br0"
chmod 0666 "$ACL"
acl_refused "an ACL writable by others is refused" 'writable by group or others'
chmod 0664 "$ACL"
acl_refused "an ACL writable by its group is refused" 'writable by group or others'
chmod 0644 "$ACL"
chown alice "$ACL"
acl_refused "an ACL owned by the caller is refused" 'not owned by root'
chown root "$ACL"

# A symlink is followed, and the file it reaches is judged, not the link.
printf 'allow br0\n' > "$ETC/alice.conf"
chown alice:alice "$ETC/alice.conf"
chmod 0644 "$ETC/alice.conf"
rm -f "$ACL"
ln -s alice.conf "$ACL"
acl_refused "an ACL that is a symlink to a caller-owned file is refused" \
	"^$HELPER_NAME: $ACL: not owned by root"
write_acl -f "$ETC/real.conf" 'allow br0'
rm -f "$ACL"
ln -s real.conf "$ACL"
acl_granted "control: a symlink to a root-owned file is followed"

# --- what kind of file ------------------------------------------------------------
rm -f "$ACL"
mkdir "$ACL"
acl_refused "an ACL that is a directory is refused" 'not a regular file'
rm -rf "$ACL"
mkfifo -m 0644 "$ACL"
acl_refused "an ACL that is a FIFO is refused at once (no writer, no hang)" 'not a regular file'
rm -f "$ACL"
mknod -m 0644 "$ACL" c 1 3
acl_refused "an ACL that is a device (/dev/null) is refused" 'not a regular file'
rm -f "$ACL"
ln -s /dev/zero "$ACL"
acl_refused "an ACL that is a symlink to /dev/zero is refused" 'not a regular file'
rm -f "$ACL"
acl_refused "a missing ACL is refused" 'cannot open: No such file or directory'
reset_acl < /dev/null
acl_refused "an empty ACL allows nothing" "bridge 'br0' is not allowed"

# --- contents -------------------------------------------------------------------------
long=$(printf '%*s' 4087 '')		# "allow br0" + 4087 blanks = 4096 bytes
reset_acl "allow br0$long"
acl_granted "a line of exactly 4096 bytes is read whole"
reset_acl "allow br1$long " 'allow br0'
acl_refused "a line of 4097 bytes fails the whole ACL" "$ACL:1: line longer than 4096 bytes"
# qemu-bridge-helper reads with fgets() into a small buffer: the tail of
# a long line became a line of its own. Here it must not.
pad=$(printf '%*s' 5000 '')
reset_acl "#$pad allow br0"
acl_refused "the tail of an over-long comment line is not read as a rule" "$ACL:1: line longer"
head -c 1048576 /dev/zero | tr '\0' 'a' > "$ACL"
acl_refused "a 1 MiB line with no newline fails the ACL" "$ACL:1: line longer than 4096 bytes"

# NUL bytes: strlen() would end the line at the NUL, and "allow br0\0
# user=bob" would allow br0 to everyone. The whole line is judged.
nul_acl()
{
	printf "$1" > "$ACL"
	chown root:root "$ACL" && chmod 0644 "$ACL"
}
nul_acl 'allow br0\0 user=bob\n'
acl_refused "a NUL cannot cut a user= scope off an allow rule" "$ACL:1: NUL byte in line"
nul_acl 'allow br1\ndeny br0\0\nallow br0\n'
acl_refused "a NUL after a deny fails the whole ACL" "$ACL:2: NUL byte in line"
nul_acl 'allow br0 # comment\0 deny br0\n'
acl_refused "a NUL inside a comment fails the ACL too" "$ACL:1: NUL byte in line"
nul_acl 'include /etc/passwd\0.conf\nallow br0\n'
acl_refused "a NUL in an include path fails the ACL" "$ACL:1: NUL byte in line"
nul_acl '\0'
acl_refused "a file of one NUL byte fails the ACL" "$ACL:1: NUL byte in line"

reset_acl $'allow br0\x1b[2J\x07'
acl_refused "control bytes in a rule are reported escaped, on one line" \
	"$ACL:1: invalid bridge name 'br0\\\\x1b\\[2J\\\\x07'"
reset_acl 'allow br0 %n%s%s'
acl_refused "format directives in a rule are shown literally" \
	"$ACL:1: extra argument '%n%s%s'"
printf 'allow br0\r\n# crlf\r\n' > "$ACL"
acl_granted "control: CRLF line ends are tolerated"

# --- includes ---------------------------------------------------------------------------
reset_acl "include $ETC/a.conf"
write_acl -f "$ETC/a.conf" "include $ETC/b.conf"
write_acl -f "$ETC/b.conf" "include $ETC/a.conf" 'allow br0'
acl_refused "an include cycle fails the ACL" 'include cycle'
reset_acl "include $ACL" 'allow br0'
acl_refused "a file including itself fails the ACL" 'include cycle'
write_acl -f "$ETC/a.conf" "include ./a.conf" 'allow br0'
reset_acl "include a.conf"
acl_refused "a cycle through another name of the same file is found" 'include cycle'

# Depth: the main file is level 1; level N includes level N+1.
chain()
{
	local levels=$1 i

	reset_acl "include $ETC/level2.conf"
	for i in $(seq 2 "$levels"); do
		if [ "$i" -lt "$levels" ]; then
			write_acl -f "$ETC/level$i.conf" "include $ETC/level$((i + 1)).conf"
		else
			write_acl -f "$ETC/level$i.conf" 'allow br0'
		fi
	done
}
chain 8
acl_granted "includes 8 levels deep are read"
chain 9
acl_refused "includes 9 levels deep fail the ACL" 'nested deeper than 8 levels'
chain 40
acl_refused "includes 40 levels deep fail the ACL" 'nested deeper than 8 levels'

# A relative include is relative to the including file, never to the
# working directory, which the caller chooses. The caller's directory
# holds a root-owned, trusted-looking rel.conf that would allow br0.
mkdir -m 0755 "$SCRATCH/alice-cwd"
write_acl -f "$SCRATCH/alice-cwd/rel.conf" 'allow br0'
reset_acl 'include rel.conf'
getfd_run alice -- /bin/sh -c 'cd "$1" && shift && exec "$@"' sh \
	"$SCRATCH/alice-cwd" "$HELPER" --use-vnet --fd={fd} --br=br0
is_refusal "a relative include is not looked up in the caller's working directory" \
	"bridge 'br0' is not allowed"
reset_acl 'include ./rel.conf'
getfd_run alice -- /bin/sh -c 'cd "$1" && shift && exec "$@"' sh \
	"$SCRATCH/alice-cwd" "$HELPER" --use-vnet --fd={fd} --br=br0
is_refusal "'./' in an include is not the caller's working directory either" \
	"bridge 'br0' is not allowed"
write_acl -f "$ETC/rel.conf" 'allow br0'
reset_acl 'include rel.conf'
getfd_run alice -- /bin/sh -c 'cd "$1" && shift && exec "$@"' sh \
	"$SCRATCH/alice-cwd" "$HELPER" --use-vnet --fd={fd} --br=br0
is "$STATUS/$(kv fds)" "0/1" "control: the same include beside the ACL is read"
rm -f "$ETC/rel.conf"

# Unreadable includes are skipped (QEMU's per-user scheme), untrusted ones
# fail the ACL.
reset_acl 'allow br1' "include $ETC/secret.conf"
write_acl -f "$ETC/secret.conf" 'allow br0'
chmod 0600 "$ETC/secret.conf"
acl_refused "an include the caller cannot read is skipped" "bridge 'br0' is not allowed"
acl_granted "an include the caller cannot read is skipped, the rest applies" br1
chgrp alice "$ETC/secret.conf" && chmod 0640 "$ETC/secret.conf"
acl_granted "a root:alice 0640 include gives alice its rules"
run_as bob "$GETFD" -- "$HELPER" --use-vnet --fd={fd} --br=br0
is_refusal "a root:alice 0640 include gives bob nothing" "bridge 'br0' is not allowed"
reset_acl 'allow br1' "include $ETC/nonexistent.conf"
acl_granted "a missing include is skipped" br1
reset_acl 'allow br1' "include $ETC/alice.conf"
acl_refused "an include owned by the caller fails the whole ACL" 'not owned by root' br1
mkdir -p "$ETC/dir.conf"
reset_acl 'allow br1' "include $ETC/dir.conf"
acl_refused "an include that is a directory fails the whole ACL" 'not a regular file' br1
mkfifo -m 0644 "$ETC/fifo.conf"
reset_acl 'allow br1' "include $ETC/fifo.conf"
acl_refused "an include that is a FIFO fails at once, no hang" 'not a regular file' br1
reset_acl 'allow br1' 'include /dev/zero'
acl_refused "an include of /dev/zero fails at once" 'not a regular file' br1

# --- the directories on the way (issue 10 section 2) ------------------------------------
# Whoever may write a directory on the way may rename the ACL away and put a
# symlink to any other root-owned file in its place. Every directory from
# "/" down must be root's and writable by nobody else; sticky is no excuse.
reset_acl 'allow br1'
write_acl -f "$ETC/allow-all.conf" 'allow all'
for mode in 0777 0775 1777; do
	chmod "$mode" "$ETC"
	acl_refused "the ACL's directory at mode $mode fails the ACL" \
		"^$HELPER_NAME: $ACL: directory '$ETC' is writable by group or others" br1
done
chmod 0755 "$ETC"
acl_granted "control: the ACL's directory at 0755 is trusted" br1

# The attack of issue 10, by the caller: with the directory at 0777, alice
# swaps the ACL for a symlink to a root-owned "allow all". Before, --check
# said "valid ... any other bridge allowed".
chmod 0777 "$ETC"
run_as alice /bin/sh -c 'mv "$1" "$1.old" && ln -s allow-all.conf "$1"' sh "$ACL"
is "$STATUS" 0 "the caller can swap the ACL in a 0777 directory (the setup of the attack)"
run_as alice "$HELPER" --check
is "$STATUS" 1 "a swapped ACL in a writable directory: --check says invalid"
like "$OUT" "^$ACL: directory '$ETC' is writable by group or others" \
	"a swapped ACL in a writable directory: --check names the directory"
unlike "$OUT" "allowed by" "a swapped ACL in a writable directory: --check allows nothing"
acl_refused "a symlink planted in a writable directory is not followed" \
	"^$HELPER_NAME: $ACL: directory '$ETC' is writable by group or others"
chmod 0755 "$ETC"
rm -f "$ACL" "$ACL.old"

# The same on the way to an include, and a directory further up.
mkdir -m 0777 "$ETC/tapgate.d"
write_acl -f "$ETC/tapgate.d/alice.conf" 'allow br0'
reset_acl 'allow br1' 'include tapgate.d/alice.conf'
acl_refused "a writable directory on the way to an include fails the whole ACL" \
	"^$HELPER_NAME: $ACL:2: include '$ETC/tapgate.d/alice.conf': directory '$ETC/tapgate.d' is writable by group or others" br1
rm -f "$ETC/tapgate.d/alice.conf"
acl_refused "a missing include in a writable directory is not skipped: anyone could create it" \
	"directory '$ETC/tapgate.d' is writable by group or others" br1
run_as alice ln -s ../allow-all.conf "$ETC/tapgate.d/alice.conf"
is "$STATUS" 0 "the caller can plant a symlink in the include's 0777 directory"
acl_refused "a symlink planted on the way to an include is not followed" \
	"directory '$ETC/tapgate.d' is writable by group or others" br1
rm -f "$ETC/tapgate.d/alice.conf"
chmod 1777 "$ETC/tapgate.d"
acl_refused "a sticky world-writable include directory is no exception" \
	"directory '$ETC/tapgate.d' is writable by group or others \\(sticky or not\\)" br1
chmod 0755 "$ETC/tapgate.d"
acl_granted "control: a missing include in a trusted directory is skipped" br1
mkdir -p "$ETC/tapgate.d/sub"
chown alice "$ETC/tapgate.d"
reset_acl 'allow br1' 'include tapgate.d/sub/x.conf'
acl_refused "a caller-owned directory further up fails the ACL" \
	"directory '$ETC/tapgate.d' is not owned by root" br1
chown root "$ETC/tapgate.d"
reset_acl 'allow br1' "include $SCRATCH/x.conf"
acl_refused "an include in /tmp-like scratch space (1777) fails the ACL" \
	"directory '$SCRATCH' is writable by group or others \\(sticky or not\\)" br1

# A symlink on the way is followed only when root owns it, in a trusted
# directory, to trusted directories.
ln -s tapgate.d "$ETC/link.d"
write_acl -f "$ETC/tapgate.d/alice.conf" 'allow br0'
reset_acl 'include link.d/alice.conf'
acl_granted "control: a root-owned symlink to a trusted directory is followed"
chown -h alice "$ETC/link.d"
acl_refused "a symlink the caller owns is not followed" \
	"symlink '$ETC/link.d' is not owned by root"
rm -f "$ETC/link.d"
mkdir -m 0777 "$SCRATCH/w.d"
write_acl -f "$SCRATCH/w.d/alice.conf" 'allow br0'
ln -s "$SCRATCH/w.d" "$ETC/link.d"
acl_refused "a root-owned symlink into a writable directory is not enough" \
	"directory '$SCRATCH' is writable by group or others"
rm -rf "$ETC/link.d" "$ETC/tapgate.d" "$SCRATCH/w.d" "$ETC/allow-all.conf"

# --- size -------------------------------------------------------------------------------
# 100,000 rules: 99,998 bridges nobody asks for, then the one that matters.
{
	seq 1 49999 | sed 's/^/allow brx/'
	seq 1 49999 | sed 's/^/deny bry/'
	echo 'allow br0'
} > "$ACL"
chown root:root "$ACL" && chmod 0644 "$ACL"
start=$(date +%s%N)
acl_granted "an ACL of 100,000 rules works"
diag "100,000 rules: the request took $(( ($(date +%s%N) - start) / 1000000 )) ms"

done_testing
