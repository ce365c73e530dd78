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

# --- a bridge whose MAC follows its ports (issue 10 §4) ------------------------------
# Without an explicit address a bridge takes its lowest port MAC, and a VM
# sets its TAP's MAC at will: --check says so for each bridge the caller
# may use, and how to fix it.
make_bridge br2
write_acl 'allow br0' 'deny br1' 'allow br2 user=bob'
run_as alice "$HELPER" --check
is "$STATUS" 0 "the bridge-MAC warning: setup, --check exits 0" || diag "$OUT" "$ERR"
like "$OUT" "(^|$NL)warning: bridge 'br0' has no MAC address set explicitly: it follows the lowest MAC of its ports, and a VM can set its TAP's MAC to move it; fix: ip link set dev br0 address \\\$\\(cat /sys/class/net/br0/address\\)($NL|\$)" \
	"--check warns that br0's MAC follows its ports, and says how to fix it" || diag "$OUT"
unlike "$OUT" "warning: bridge 'br1'" "... not for br1, which alice may not use"
unlike "$OUT" "warning: bridge 'br2'" "... not for br2, which only bob may use"
write_acl 'allow all'
run_as alice "$HELPER" --check
like "$OUT" "warning: bridge 'br2' " "with 'allow all', every bridge here is checked"
ip link set dev br0 address "$(cat /sys/class/net/br0/address)"
run_as alice "$HELPER" --check
unlike "$OUT" "warning: bridge 'br0'" "once br0's MAC is set explicitly, no warning for it"
ip link del br2

# --- root's --check lists the persisted TAPs the helper granted --------------------
write_acl 'allow br0'
run_as root "$HELPER" --check
like "$OUT" "(^|$NL)Persistent TAPs the helper granted: none(\$|$NL)" \
	"root's --check says when there is no persisted TAP"
getfd_run alice --persist -- "$HELPER" --use-vnet --fd={fd} --br=br0
PTAP=$(kv tap)
PCALLER=$(kv pid)
[ "$(kv persist)" = 1 ] || bail "setup: cannot persist a TAP: $OUT $ERR"
run_as root "$HELPER" --check
like "$OUT" "(^|$NL)Persistent TAPs the helper granted \\(a holder of the fd made them so\\):$NL  $PTAP +uid $(id -u alice) \\(pid $PCALLER\\), held by no process: tapgate-helper --sweep removes it(\$|$NL)" \
	"root's --check lists a persisted TAP, whose it is and that --sweep removes it" || diag "$OUT"
run_as alice "$HELPER" --check
unlike "$OUT" "Persistent TAPs" "a user's --check does not list them"
run_as alice "$HELPER" --sweep
no_taps_left "(cleanup) alice's --sweep removes it"

done_testing
