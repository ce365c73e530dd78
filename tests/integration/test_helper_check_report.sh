#!/bin/bash
# test_helper_check_report.sh - tapgate-helper --check on a realistic multi-user ACL: warnings and errors at FILE:LINE, each bridge's verdict with its rule, options, limit, TAPs in use; root's --user=NAME view read as NAME; exit 1 on an invalid ACL
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
make_bridge lab0
make_bridge wan0
# Their MACs set explicitly, as a careful admin does: else every report
# here also warns that they follow their ports (test_helper_check.sh).
for br in lab0 wan0; do
	ip link set dev "$br" address "$(cat "/sys/class/net/$br/address")" ||
		bail "cannot set the MAC of $br"
done
ACLDIR=$(dirname "$ACL")
D=$ACLDIR/tapgate.d
NL=$'\n'
{ mkdir -p "$D" && chmod 0755 "$D"; } || bail "cannot make $D"

# Per-user files, QEMU's scheme: root:USER 0640, readable by USER alone.
user_file()
{
	local user=$1

	shift
	write_acl -f "$D/$user.conf" "$@"
	{ chgrp "$user" "$D/$user.conf" && chmod 0640 "$D/$user.conf"; } ||
		bail "cannot make $D/$user.conf $user's"
}

user_file alice 'allow dev0' 'allow dev1 isolated'
user_file bob 'allow test0' 'limit 1'
write_acl <<EOF
# tapgate.conf - the lab host
# Lab members share lab0; guests get isolated ports on it.
allow lab0 group=lab
allow lab0 group=guests isolated
# The uplink is alice's alone; guests never.
allow wan0 user=alice
deny  wan0 group=guests
# Per-user rules.
include tapgate.d/alice.conf
include tapgate.d/bob.conf
# dave left; his account is gone.
allow lab0 user=dave
limit 4
limit 2 group=guests
limit 8 user=alice
EOF

# Alice holds one TAP, so her report has one in use.
getfd_hold alice -- "$HELPER" --use-vnet --fd={fd} --br=lab0
ATAP=$(kv tap)
{ [ -n "$HOLD_PID" ] && [ -n "$ATAP" ]; } ||
	bail "alice cannot get a TAP on lab0: $ERR"
ALICE_HOLD=$HOLD_PID
HOLD_PID=

WARN="$ACL:12: no such user 'dave'; the allow rule allows nobody"

# report NAME WANT [-G] USER [ARGS...]: USER's --check [ARGS...] prints
# exactly WANT on stdout, nothing on stderr, and exits 0.
report()
{
	local name=$1 want=$2 who=()

	shift 2
	case $1 in
	-G) who=(-G "$2"); shift 2 ;;
	*) who=("$1"); shift ;;
	esac
	run_as "${who[@]}" "$HELPER" --check "$@"
	is "$STATUS" 0 "$name: exit status 0 (the ACL is valid)"
	is "$OUT" "$want" "$name: the report"
	is "$ERR" "" "$name: nothing on stderr"
}

# --- each user's view -----------------------------------------------------------------
ALICE="$WARN
$ACL: valid
For user alice (uid 4001, gid 4001, groups alice(4001) lab(4100)):
  lab0             allowed by $ACL:3 (Linux bridge)
  wan0             allowed by $ACL:6 (Linux bridge)
  dev0             allowed by $D/alice.conf:1 (no such bridge)
  dev1             allowed by $D/alice.conf:2 (no such bridge); port options: isolated
  any other bridge not allowed (no rule allows it: default deny)
  limit            4 TAPs ($ACL:13)
  in use           1 ($ATAP in slot 0)"
report "alice: group rule, user rule, her own include, lowest limit, her TAP" \
	"$ALICE" alice

BOB="$WARN
$ACL: valid
For user bob (uid 4002, gid 4002, groups bob(4002) lab(4100)):
  lab0             allowed by $ACL:3 (Linux bridge)
  wan0             not allowed (no rule allows it: default deny) (Linux bridge)
  test0            allowed by $D/bob.conf:1 (no such bridge)
  any other bridge not allowed (no rule allows it: default deny)
  limit            1 TAP ($D/bob.conf:2)
  in use           0"
report "bob: not alice's include, his own, whose limit 1 is the lowest" \
	"$BOB" bob

CAROL="$WARN
$ACL: valid
For user carol (uid 4003, gid 4003, groups carol(4003) guests(4101)):
  lab0             allowed by $ACL:4 (Linux bridge); port options: isolated
  wan0             denied by $ACL:7 (Linux bridge)
  any other bridge not allowed (no rule allows it: default deny)
  limit            2 TAPs ($ACL:14)
  in use           0"
report "carol: an isolated port, a group deny, the group limit" "$CAROL" carol

report "alice without supplementary groups: lab0 is not hers (and limit 4 is still the lowest)" "$WARN
$ACL: valid
For user alice (uid 4001, gid 4001):
  lab0             not allowed (no rule allows it: default deny) (Linux bridge)
  wan0             allowed by $ACL:6 (Linux bridge)
  dev0             allowed by $D/alice.conf:1 (no such bridge)
  dev1             allowed by $D/alice.conf:2 (no such bridge); port options: isolated
  any other bridge not allowed (no rule allows it: default deny)
  limit            4 TAPs ($ACL:13)
  in use           1 ($ATAP in slot 0)" -G alice

# A user at the limit is told a further request would be refused.
getfd_hold bob -- "$HELPER" --use-vnet --fd={fd} --br=lab0
BTAP=$(kv tap)
run_as bob "$HELPER" --check
like "$OUT" "(^|$NL)  in use           1 \\($BTAP in slot 0\\): the limit is reached, a further request is refused\$" \
	"bob at his limit: --check says a further request is refused"
release

# --- root's view of another user: read as that user ------------------------------------
report "root --check --user=bob: exactly bob's own report" "$BOB" root --user=bob
report "root --check --user=4002: the uid works too" "$BOB" root --user=4002
report "root --check --user=alice: alice's report, with her groups" "$ALICE" \
	root --user=alice
run_as root "$HELPER" --check
like "$OUT" "dev0 .*test0 " \
	"root --check alone reads every include (so --user=bob above was read as bob)"

run_as root "$HELPER" --check --user=nosuchuser
is "$STATUS.$ERR" "1.$HELPER_NAME: --user='nosuchuser': no such user" \
	"root --check --user=nosuchuser: exit 1, one line naming it"

for who in bob alice; do
	run_as alice "$HELPER" --check --user=$who
	is "$STATUS" 1 "alice --check --user=$who: exit status 1"
	is "$ERR" "$HELPER_NAME: only root may use --user" \
		"alice --check --user=$who: refused in one line"
	is "$OUT" "" "alice --check --user=$who: no report"
done

# --- an invalid ACL: every error at FILE:LINE, exit 1, no verdicts ---------------------
write_acl <<EOF
allow lab0 group=lab
alow wan0
deny all user=dave
limit -1
include tapgate.d/alice.conf
EOF
run_as bob "$HELPER" --check
is "$STATUS" 1 "an invalid ACL: --check exits 1"
is "$OUT" "$ACL:2: unknown keyword 'alow'
$ACL:4: invalid limit '-1': not a decimal number
$ACL:3: no such user 'dave'; the deny rule fails closed and denies every bridge to everyone
$ACL: invalid (2 errors): no bridge is allowed to anyone" \
	"an invalid ACL: errors, then warnings, each at FILE:LINE, and the verdict"
is "$ERR" "" "an invalid ACL: nothing on stderr"
getfd_run bob -- "$HELPER" --use-vnet --fd={fd} --br=lab0
is "$STATUS.$ERR" "1.$HELPER_NAME: $ACL:2: unknown keyword 'alow' (the ACL is invalid, so no bridge is allowed; tapgate-helper --check lists every error)" \
	"an invalid ACL: a request names the first error and points to --check"

# An error in a file only alice can read fails the ACL for alice alone.
write_acl 'allow lab0 group=lab' 'include tapgate.d/alice.conf'
user_file alice 'allow dev0' 'allow dev1 isolatd'
run_as alice "$HELPER" --check
is "$STATUS" 1 "an error in alice's own include: her --check exits 1"
like "$OUT" "(^|$NL)$D/alice.conf:2: extra argument 'isolatd'($NL|\$)" \
	"an error in alice's own include: named at FILE:LINE"
run_as bob "$HELPER" --check
is "$STATUS" 0 "an error in alice's own include: bob, who cannot read it, has a valid ACL"

kill -TERM "$ALICE_HOLD"
wait "$ALICE_HOLD"
no_taps_left "--check created no TAP"

done_testing
