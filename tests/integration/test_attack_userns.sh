#!/bin/bash
# test_attack_userns.sh - a caller in a user namespace of its own (where it can mount a fake ACL, and fake /proc) is refused before anything is read, setuid and file-capability installs
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
# shellcheck disable=SC2016 # the setup strings are expanded by the inner shell
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/attack.sh"

make_bridge br0
tun_node 0666		# the file-capability install needs it
write_acl 'deny all'
REFUSED='^tapgate-helper: refusing to run outside the initial user namespace \(/proc/self/uid_map is not the identity map\)'
UNKNOWN='^tapgate-helper: cannot tell whether this is the initial user namespace: '
IDENTITY='         0          0 4294967295'

# The fake ACL: alice's own file, so in her namespace it is root's.
FAKE=$SCRATCH/fake.conf
printf 'allow all\n' > "$FAKE" && chown alice:alice "$FAKE" &&
	chmod 0644 "$FAKE" || bail "cannot write $FAKE"

# in_userns SETUP CMD...: as alice, in a user and a mount namespace of her
# own (unshare --map-root-user: she is root in there), run the shell
# commands SETUP, then exec CMD, which so keeps the pid SETUP knows as $$.
# STATUS, OUT, ERR as run_as.
in_userns()
{
	local setup=$1

	shift
	run_as alice unshare --user --map-root-user --mount -- \
		/bin/sh -c "$setup"' && exec "$@"' sh "$@"
}

# userns_refused NAME ERE: the last run was refused in one line matching
# ERE, printed no report and left no TAP.
userns_refused()
{
	is_refusal "$1" "$2"
	is "$OUT" "" "$1: no report on stdout"
}

# --- the attack works where the helper does not stop it -----------------------------
in_userns true true
if [ "$STATUS" != 0 ]; then
	skip "alice can make a user namespace" \
		"unprivileged user namespaces are disabled on this host, so this attack cannot be made: $ERR"
	done_testing
fi
in_userns "mount --bind $FAKE $ACL" stat -c '%u %a' "$ACL"
is "$OUT" "0 644" "control: in her namespace alice's fake ACL sits on the ACL path, owned by root there, mode 0644"
in_userns true cat /proc/self/uid_map
unlike "$OUT" "^$IDENTITY\$" "control: her namespace's uid_map is not the identity map"

for how in setuid setcap; do
	install_helper "$how"
	run_as alice "$HELPER" --check
	is "$STATUS" 0 "$how, control: outside any namespace of hers, alice's --check runs" ||
		diag "$OUT" "$ERR"

	# --- her namespace, with the fake ACL -------------------------------------------
	in_userns "mount --bind $FAKE $ACL" "$HELPER" --check
	userns_refused "$how: --check in her own user namespace, fake ACL mounted" "$REFUSED"
	unlike "$OUT$ERR" 'valid|allowed' "$how: --check in her own user namespace: the fake ACL is not reported"
	in_userns "mount --bind $FAKE $ACL" "$GETFD" -- "$HELPER" --use-vnet --fd={fd} --br=br0
	is_refusal "$how: a request in her own user namespace, fake ACL mounted" "$REFUSED"
	is "$(kv fds)" 0 "$how: a request in her own user namespace: no fd is sent"
	in_userns true "$HELPER" --help
	userns_refused "$how: --help in her own user namespace" "$REFUSED"
done

# --- fake /proc: every way to make uid_map read as the identity fails closed ---------
# A holder process of alice's in the initial namespace: its comm (the
# name it was run by) reads like the map to a sloppy parser, and its
# /proc directory is a real one from the initial namespace.
ln -s /bin/sleep "$SCRATCH/0 0 4294967295" || bail "cannot link the holder"
user_cmd alice "$SCRATCH/0 0 4294967295" 600
"${USER_CMD[@]}" &
HOLDER=$!
for _ in $(seq 100); do	# a bound on waiting, not a timed assertion
	[ "$(cat "/proc/$HOLDER/comm" 2> /dev/null)" = "0 0 4294967295" ] && break
	sleep 0.05
done
[ "$(cat "/proc/$HOLDER/comm")" = "0 0 4294967295" ] ||
	bail "the holder's comm is not '0 0 4294967295'"
printf '%s\n' "$IDENTITY" > "$SCRATCH/identity" &&
	chown alice:alice "$SCRATCH/identity" || bail "cannot write the fake map"
SEEN=$SCRATCH/seen
rm -f "$SEEN"

# fake_proc NAME SETUP ERE: in her namespace, SETUP fakes /proc; what the
# helper's pid then reads as its uid_map is recorded (the control: the
# trick does change what a reader sees), and --check must be refused.
fake_proc()
{
	local name=$1 setup=$2 ere=$3

	in_userns "$setup"' && { { cat /proc/self/uid_map; cat /proc/$$/uid_map; } > '"$SEEN"' 2>&1 || :; }' \
		"$HELPER" --check
	if [ "$SANITIZED" = 1 ]; then
		# The sanitizer runtime reads /proc itself before main() and
		# warns when it is fake; only its own lines are dropped.
		grep -vE '^==[0-9]+==WARNING: |^False positive error reports may follow$|^For details see https://github\.com/google/sanitizers/issues/189$' \
			"$ERR_FILE" > "$ERR_FILE.helper"
		mv "$ERR_FILE.helper" "$ERR_FILE"
		ERR=$(cat "$ERR_FILE")
	fi
	userns_refused "$name" "$ere"
	diag "$name: a reader saw: $(tr '\n' '|' < "$SEEN")"
}

install_helper setuid
fake_proc "a regular file with the identity map mounted over the helper's uid_map" \
	"mount --bind $SCRATCH/identity /proc/\$\$/uid_map" \
	"${UNKNOWN}something is mounted over /proc/self/uid_map"
like "$(tail -n 1 "$SEEN")" "^$IDENTITY\$" "control: that mount shows the helper's pid the identity map"

fake_proc "a procfs file reading '0 0 4294967295' (a process's comm) mounted over the helper's uid_map" \
	"mount --bind /proc/$HOLDER/comm /proc/\$\$/uid_map" \
	"${UNKNOWN}something is mounted over /proc/self/uid_map"
is "$(tail -n 1 "$SEEN")" "0 0 4294967295" "control: that mount shows the helper's pid a procfs file reading '0 0 4294967295'"

fake_proc "a process's /proc directory from the initial namespace mounted over the helper's" \
	"mount --bind /proc/$HOLDER /proc/\$\$" \
	"${UNKNOWN}something is mounted over /proc/self/uid_map"

fake_proc "a fake /proc tree holding the identity map" \
	"mkdir -p $SCRATCH/fakeproc/\$\$ && cp $SCRATCH/identity $SCRATCH/fakeproc/\$\$/uid_map && ln -s \$\$ $SCRATCH/fakeproc/self && mount --rbind $SCRATCH/fakeproc /proc" \
	"${UNKNOWN}/proc is not procfs"
is "$(tail -n 1 "$SEEN")" "$IDENTITY" "control: the fake tree shows the identity map"

fake_proc "no /proc at all (an empty directory mounted on it)" \
	"mkdir -p $SCRATCH/emptyproc && mount --bind $SCRATCH/emptyproc /proc" \
	"${UNKNOWN}/proc is not procfs"

kill "$HOLDER"
wait "$HOLDER" 2> /dev/null
rm -rf "$SCRATCH/fakeproc" "$SCRATCH/emptyproc"
no_taps_left

done_testing
