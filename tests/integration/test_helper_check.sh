#!/bin/bash
# test_helper_check.sh - tapgate-helper --check: FILE:LINE for every problem, what the caller may use, exit 0 iff valid, nothing created
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
make_bridge br0
make_bridge br1
ACLDIR=$(dirname "$ACL")
NL=$'\n'

# --- a valid ACL ---------------------------------------------------------------
write_acl 'allow br0' 'deny br1'
run_as alice "$HELPER" --check
is "$STATUS" 0 "a valid ACL: --check exits 0" || diag "$OUT" "$ERR"
like "$OUT" "br0[^$NL]*allow" "a valid ACL: --check says alice may use br0"
like "$OUT" "br1[^$NL]*den" "a valid ACL: --check says br1 is denied to alice"
unlike "$OUT$ERR" "$ACL:[0-9]+:" "a valid ACL: --check reports no problem"
no_taps_left "a valid ACL: --check creates no TAP"

# --- an invalid ACL: every problem, each as FILE:LINE ---------------------------
write_acl 'allow br0' 'frobnicate br1' '# fine' 'allow br0 br1'
run_as alice "$HELPER" --check
is "$STATUS" 1 "an invalid ACL: --check exits 1" || diag "$OUT" "$ERR"
like "$OUT$ERR" "$ACL:2: [^$NL]*frobnicate" \
	"an invalid ACL: --check names the unknown keyword at FILE:2"
like "$OUT$ERR" "$ACL:4: " \
	"an invalid ACL: --check reports the extra argument at FILE:4 too"
unlike "$OUT" "br0[^$NL]*allowed by" \
	"an invalid ACL: --check does not say br0 is allowed"
no_taps_left "an invalid ACL: --check creates no TAP"

# --- a problem in an included file is reported where it is ---------------------
write_acl -f "$ACLDIR/inc.conf" 'allow br1' 'allow'
write_acl 'include inc.conf' 'allow br0'
run_as alice "$HELPER" --check
is "$STATUS" 1 "an invalid include: --check exits 1" || diag "$OUT" "$ERR"
like "$OUT$ERR" "$ACLDIR/inc.conf:2: " \
	"an invalid include: --check names the included FILE:LINE"
no_taps_left "an invalid include: --check creates no TAP"

# --- --check needs no socket and no bridge ----------------------------------------
write_acl 'allow br0' 'allow nosuchbr'
run_as alice "$HELPER" --check
is "$STATUS" 0 "a rule for a missing bridge is still a valid ACL" ||
	diag "$OUT" "$ERR"
like "$OUT" 'nosuchbr' "--check lists the rule for the missing bridge"
no_taps_left "--check with a missing bridge creates no TAP"

done_testing
