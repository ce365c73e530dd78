#!/bin/bash
# test_attack_leaks.sh - no path of the helper leaks memory: grants, refusals early and late, --check, limits (LeakSanitizer in a SANITIZE=1 build, valgrind otherwise)
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/attack.sh"

# Each helper is a short-lived process, so a leak cannot pile up across
# requests (test_attack_load.sh shows that); this shows that one request
# frees what it allocates on every path that returns, so a leak never
# hides a bug. Leaks are "definite" ones: memory nothing points to at exit.
#
# SANITIZE=1 build: the installed setuid helper itself, run by alice, with
#   ASAN_OPTIONS=detect_leaks=1 (LeakSanitizer works in it when it is not
#   traced; see tests/sanitize/defaults.c for why it is off elsewhere).
# Normal build: valgrind cannot run a setuid or file-capability program,
#   so root runs the built helper under memcheck. Root is a caller like
#   any other: the same code runs, with uid 0. (Definedness errors are off:
#   valgrind 3.19 marks only the first half of capget(2)'s v3 result as
#   written, which flags every capability check.)
install_helper setuid
make_bridge br0
ip link add veth0 type veth peer name veth1 || bail "cannot make veth0"
HELPER_ACL=$ACL

if [ "$SANITIZED" = 1 ]; then
	diag "mode: LeakSanitizer, setuid helper run by alice"
	leak_run()
	{
		local user=$1

		shift
		run_as "$user" "$GETFD" -- /usr/bin/env \
			ASAN_OPTIONS=detect_leaks=1:exitcode=86 "$HELPER" "$@"
	}
	leak_plain()
	{
		local user=$1

		shift
		run_as "$user" /usr/bin/env ASAN_OPTIONS=detect_leaks=1:exitcode=86 "$HELPER" "$@"
	}
else
	diag "mode: valgrind memcheck, $HELPER_SRC run by root"
	VG=(/usr/bin/valgrind -q --vgdb=no --leak-check=full --show-leak-kinds=definite
	    --errors-for-leak-kinds=definite --undef-value-errors=no
	    --error-exitcode=86)
	leak_run()
	{
		shift
		OUT_FILE=$WORK/run.out
		ERR_FILE=$WORK/run.err
		"$GETFD" -- "${VG[@]}" "$HELPER_SRC" "$@" > "$OUT_FILE" 2> "$ERR_FILE" < /dev/null
		STATUS=$?
		OUT=$(cat "$OUT_FILE")
		ERR=$(cat "$ERR_FILE")
	}
	leak_plain()
	{
		shift
		OUT_FILE=$WORK/run.out
		ERR_FILE=$WORK/run.err
		"${VG[@]}" "$HELPER_SRC" "$@" > "$OUT_FILE" 2> "$ERR_FILE" < /dev/null
		STATUS=$?
		OUT=$(cat "$OUT_FILE")
		ERR=$(cat "$ERR_FILE")
	}
fi

# no_leak NAME WANT-STATUS: after leak_run/leak_plain.
no_leak()
{
	is "$STATUS" "$2" "$1: exit status $2 (86 would be a leak report)" ||
		diag "$OUT" "$ERR"
	unlike "$ERR" 'LeakSanitizer|definitely lost|ERROR SUMMARY: [1-9]' "$1: no leak reported"
	no_taps_left "$1: no TAP left"
}

# Root (the valgrind mode's caller) is allowed too, so that the refusals
# below come from netlink, after the ACL, as their names say.
write_acl 'allow br0' 'deny br1 user=alice' 'allow all group=lab' 'allow all user=root' 'limit 8'
leak_run alice --use-vnet --fd={fd} --br=br0
no_leak "a grant (with a limit: its slot)" 0
leak_run alice --use-vnet --fd={fd} --br=br0 --queues=4
no_leak "a multiqueue grant" 0
leak_run alice --use-vnet --fd={fd} --br=nobr0
no_leak "a refusal: no such bridge (after netlink)" 1
leak_run alice --use-vnet --fd={fd} --br=veth0
no_leak "a refusal: not a bridge" 1
leak_run alice --use-vnet --fd={fd} --br=br0 --frobnicate
no_leak "a refusal: bad arguments" 1
leak_plain alice --check
no_leak "--check" 0
leak_plain alice --help
no_leak "--help" 0
leak_plain root --check --user=alice
no_leak "root's --check --user=alice" 0

write_acl 'allow br1'
leak_run alice --use-vnet --fd={fd} --br=br0
no_leak "a refusal: not allowed" 1
write_acl 'allow br0' 'frobnicate' 'include nonexistent.conf'
leak_run alice --use-vnet --fd={fd} --br=br0
no_leak "a refusal: invalid ACL" 1
leak_plain alice --check
no_leak "--check of an invalid ACL" 1

# Sealed ports open /dev/net/tun as the caller, inside their namespace.
tun_node 0666
write_acl 'allow br0 sealed'
leak_run alice --use-vnet --fd={fd} --br=br0 --queues=2
no_leak "a sealed grant" 0
write_acl 'allow br0 macguard' 'limit 2'
leak_run alice --use-vnet --fd={fd} --br=br0 --mac=02:00:00:00:00:01
no_leak "a macguard grant under a limit" 0
leak_run alice --use-vnet --fd={fd} --br=br0
no_leak "a macguard refusal (no --mac)" 1

# --sweep, and root's --check, with a persisted TAP to list and remove.
write_acl 'allow br0' 'allow all user=root'
getfd_run alice --persist -- "$HELPER" --use-vnet --fd={fd} --br=br0
[ "$(kv persist)" = 1 ] || bail "setup: cannot persist a TAP: $OUT $ERR"
leak_plain root --check
is "$STATUS" 0 "root's --check with a persisted TAP: exit status 0 (86 would be a leak report)" ||
	diag "$OUT" "$ERR"
unlike "$ERR" 'LeakSanitizer|definitely lost|ERROR SUMMARY: [1-9]' \
	"root's --check with a persisted TAP: no leak reported"
leak_plain alice --sweep
no_leak "--sweep removing a persisted TAP" 0

# A late failure: the TAP exists when the send fails (the caller hung up).
write_acl 'allow br0'
if [ "$SANITIZED" = 1 ]; then
	run_as alice "$HOSTILE" block --hangup -- /usr/bin/env \
		ASAN_OPTIONS=detect_leaks=1:exitcode=86 "$HELPER" --fd={fd} --br=br0
else
	"$HOSTILE" block --hangup -- "${VG[@]}" "$HELPER_SRC" --fd={fd} --br=br0 \
		> "$WORK/run.out" 2> "$WORK/run.err" < /dev/null
	OUT=$(cat "$WORK/run.out")
	ERR=$(cat "$WORK/run.err")
fi
STATUS=$(kv exit)
no_leak "a late failure (EPIPE after the TAP was made)" 1

done_testing
