#!/bin/bash
# test_helper_syslog.sh - every grant and every refusal leaves one LOG_AUTHPRIV line with uid, bridge, tap and verdict; no syslog daemon is not an error
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
make_bridge br0
make_bridge br1
write_acl 'allow br0'
ALICE=$(id -u alice)

# No /dev/log yet (the private /dev has none): the helper must work anyway.
getfd_run alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
is "$STATUS/$(kv fds)" 0/1 "without a syslog daemon the request is still granted" ||
	diag "$OUT" "$ERR"
no_taps_left "without a syslog daemon: no TAP left"

start_syslog

# new_lines: the helper's lines logged since the last call.
SEEN=0
new_lines()
{
	syslog_sync
	lines=$(tail -n "+$((SEEN + 1))" "$SYSLOG" | grep 'tapgate-helper')
	SEEN=$(wc -l < "$SYSLOG")
}

getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
TAP=$(kv tap)
release
is "$STATUS/$(kv fds)" 0/1 "setup: the grant is made" || diag "$OUT" "$ERR"
new_lines
is "$(printf '%s\n' "$lines" | grep -c .)" 1 "a grant logs exactly one line" ||
	diag "$lines"
like "$lines" 'authpriv\.' "the grant is logged to LOG_AUTHPRIV"
like "$lines" "(^|[^0-9])$ALICE([^0-9]|$)" "the grant's line names the uid"
like "$lines" "br0" "the grant's line names the bridge"
like "$lines" "$TAP( |$|:)" "the grant's line names the TAP"
like "$lines" "grant" "the grant's line gives the verdict"

getfd_run alice -- "$HELPER" --use-vnet --fd={fd} --br=br1
is "$STATUS" 1 "setup: the refusal is made"
new_lines
is "$(printf '%s\n' "$lines" | grep -c .)" 1 "a refusal logs exactly one line" ||
	diag "$lines"
like "$lines" 'authpriv\.' "the refusal is logged to LOG_AUTHPRIV"
like "$lines" "(^|[^0-9])$ALICE([^0-9]|$)" "the refusal's line names the uid"
like "$lines" "br1" "the refusal's line names the bridge"
like "$lines" "refuse|den" "the refusal's line gives the verdict"
no_taps_left "after the refusal: no TAP left"

# The quoting rule (issue 10): a C1 control and a bidi override in the
# bridge name reach the log escaped, and an argument that reads like
# fields cannot pass for them.
getfd_run alice -- "$HELPER" --fd={fd} --br=$'br\xc2\x9b2J\xe2\x80\xae'
is "$STATUS" 1 "setup: a bridge name with a C1 control and a bidi override is refused"
new_lines
like "$lines" "refuse uid=$ALICE ppid=[0-9]+ bridge='br\\\\xc2\\\\x9b2J\\\\xe2\\\\x80\\\\xae' tap=-: " \
	"the bridge field is quoted, its C1 control and bidi override escaped" ||
	diag "$lines"
if LC_ALL=C grep -q $'\xc2\x9b\|\xe2\x80\xae' "$SYSLOG"; then
	fail "no raw C1 control or bidi override in the log"
else
	pass "no raw C1 control or bidi override in the log"
fi

getfd_run alice -- "$HELPER" --fd={fd} --br=br0 "x' uid=0 ppid=1 bridge=br0 tap=tap0: grant"
is "$STATUS" 1 "setup: an argument that reads like log fields is refused"
new_lines
like "$lines" "refuse uid=$ALICE ppid=[0-9]+ bridge=- tap=-: unknown argument 'x\\\\x27\\\\x20uid\\\\x3d0" \
	"the argument is quoted by the rule: its quote, spaces and '=' escaped" ||
	diag "$lines"
unlike "$lines" "uid=0 " "no 'uid=0' field can be read from the refusal line"

# --sweep logs each TAP it removes.
getfd_run alice --persist -- "$HELPER" --use-vnet --fd={fd} --br=br0
PTAP=$(kv tap)
PCALLER=$(kv pid)
[ "$(kv persist)" = 1 ] || bail "setup: cannot persist a TAP: $OUT $ERR"
new_lines
run_as alice "$HELPER" --sweep
is "$STATUS" 0 "setup: alice's --sweep removes her persisted TAP"
new_lines
like "$lines" "sweep uid=$ALICE ppid=[0-9]+ bridge=- tap=$PTAP: removed a persistent TAP granted to uid $ALICE, pid $PCALLER\$" \
	"--sweep logs the TAP it removed, and whose it was" || diag "$lines"
no_taps_left "after the sweep: no TAP left"

done_testing
