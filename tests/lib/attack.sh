# attack.sh - shared helpers for the attack tests (tests/integration/test_attack_*.sh, test_privileges.sh)
# shellcheck shell=bash
#
# Sourced after lib.sh:
#
#	. "$(dirname "$0")/../lib/lib.sh"
#	. "$ROOT/tests/lib/attack.sh"
#
# It copies the attack tools (tests/tools/hostile, withfd, execv0; see
# their headers) into $WORK/bin, root-owned, so the test users can run them.
#
# VARIABLES
#   HOSTILE WITHFD EXECV0   the installed tools
#
# FUNCTIONS
#   refused NAME ERE ARGS...   alice asks through getfd (a valid socket in
#               {fd}): is_refusal NAME ERE, no fd received, and no raw
#               control byte on stderr (a caller's bytes must not reach
#               the terminal or forge lines)
#   granted NAME ARGS...       alice asks through getfd and gets the TAP
#               fd(s) (getfd checks they are TAPs); no TAP left afterwards
#   not_a_signal NAME          after run_as/getfd_run: STATUS is not
#               128+N (getfd reports a signal death that way)
#   wait_ready FILE            wait (bounded) until FILE has a line "ready"
#   wait_syscall PID NR        wait (bounded) until PID sits in syscall NR
#               (from /proc/PID/syscall; root only)
#   status_of PID FIELD        the FIELD: line of /proc/PID/status, tabs
#               squeezed to single spaces
#   dumpable PID               "0" or "1": /proc/PID/mem belongs to root
#               instead of the process's euid when the process is not
#               dumpable (the kernel's task_dump_owner()), so its owner
#               tells the dumpable flag from outside; "n/a" when the euid
#               is 0
#   fd_targets PID             what each of PID's fds points to, one
#               "N -> TARGET" per line, sockets as "socket"
#   SYS_sendmsg SYS_sendto     syscall numbers of this machine
#   SANITIZED                  1 when the helper is a SANITIZE=1 build

for t in hostile withfd execv0; do
	[ -x "$B/tests/tools/$t" ] ||
		bail "$B/tests/tools/$t is not built (run make tests)"
	install -o root -g root -m 0755 "$B/tests/tools/$t" "$WORK/bin/$t" ||
		bail "cannot install $t"
done
HOSTILE=$WORK/bin/hostile
WITHFD=$WORK/bin/withfd
EXECV0=$WORK/bin/execv0

SANITIZED=0
LC_ALL=C grep -qa __asan_init "$HELPER_SRC" && SANITIZED=1

case $(uname -m) in
x86_64) SYS_sendmsg=46; SYS_sendto=44 ;;
aarch64) SYS_sendmsg=211; SYS_sendto=206 ;;
*) bail "attack.sh: syscall numbers unknown for $(uname -m)" ;;
esac

not_a_signal()
{
	local sig

	sig=$(kv signal)
	if [ -z "$sig" ] && [ "${STATUS:-0}" -lt 128 ]; then
		pass "$1: not killed by a signal"
	else
		fail "$1: not killed by a signal" "status $STATUS, signal '$sig'"
	fi
}

refused()
{
	local name=$1 ere=$2

	shift 2
	getfd_run alice -- "$HELPER" "$@"
	is_refusal "$name" "$ere"
	not_a_signal "$name"
	is "$(kv fds)" 0 "$name: no fd is sent"
	# grep reads lines, so the newline that ends the line is not seen.
	if LC_ALL=C grep -q '[[:cntrl:]]' "$ERR_FILE"; then
		fail "$name: no raw control byte on stderr" "$(od -c "$ERR_FILE" | head -n 5)"
	else
		pass "$name: no raw control byte on stderr"
	fi
}

granted()
{
	local name=$1

	shift
	getfd_run alice -- "$HELPER" "$@"
	is "$STATUS/$(kv exit)/$ERR" "0/0/" "$name: granted, nothing on stderr" ||
		diag "$OUT"
	isnt "$(kv fds)" 0 "$name: the TAP fd(s) arrive"
	no_taps_left "$name: no TAP left after the fd is closed"
}

wait_ready()
{
	local i

	# Not a timed assertion: only a bound on waiting for a hung tool.
	for i in $(seq 1000); do
		grep -qx ready "$1" 2> /dev/null && return 0
		sleep 0.01
	done
	return 1
}

wait_syscall()
{
	local pid=$1 nr=$2 i cur rest

	for i in $(seq 1000); do
		read -r cur rest < "/proc/$pid/syscall" 2> /dev/null || return 1
		[ "$cur" = "$nr" ] && return 0
		sleep 0.01
	done
	return 1
}

status_of()
{
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" | tr -s '\t ' ' '
}

dumpable()
{
	local owner euid

	owner=$(stat -c %u "/proc/$1/mem") || return 1
	euid=$(status_of "$1" Uid | cut -d' ' -f2)
	if [ "$euid" = 0 ]; then
		echo "n/a"	# root owns it either way
	elif [ "$owner" = 0 ]; then
		echo 0
	elif [ "$owner" = "$euid" ]; then
		echo 1
	else
		echo "?"
	fi
}

fd_targets()
{
	local f t

	for f in /proc/"$1"/fd/*; do
		t=$(readlink "$f") || continue
		case $t in socket:*) t=socket ;; esac
		echo "${f##*/} -> $t"
	done | sort -n
}
