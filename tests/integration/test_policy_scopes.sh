#!/bin/bash
# test_policy_scopes.sh - user= and group= rules, as unprivileged uids with and without supplementary groups: who is granted, who is refused and with which message
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"

install_helper setuid
make_bridge br0
make_bridge br1
NL=$'\n'

# grant NAME [-g GIDS|-G] USER BRIDGE: the request is granted (one TAP fd
# arrives) and the TAP is gone once the client has exited.
grant()
{
	local name=$1

	shift
	getfd_run "${@:1:$#-1}" -- "$HELPER" --use-vnet --fd={fd} --br="${!#}"
	is "$STATUS.$(kv fds)" 0.1 "$name: granted" || diag "$ERR"
	no_taps_left "$name: no TAP left after the client exits"
}

# refuse NAME [-g GIDS|-G] USER BRIDGE MESSAGE: exit 1, exactly MESSAGE
# (after "tapgate-helper: ") as the one line on stderr, no TAP left.
refuse()
{
	local name=$1 msg=${!#}

	shift
	getfd_run "${@:1:$#-2}" -- "$HELPER" --use-vnet --fd={fd} \
		--br="${*:$#-1:1}"
	is_refusal "$name"
	is "$ERR" "$HELPER_NAME: $msg" "$name: the message"
}

# as_ids NAME UID GID GROUPS BRIDGE: request BRIDGE with exactly these real
# ids (GROUPS: a comma list of supplementary gids, or "" for none), however
# /etc/group sees the user; sets STATUS, OUT, ERR, ERR_FILE.
as_ids()
{
	local groups=(--clear-groups)

	[ -n "$3" ] && groups=("--groups=$3")
	OUT_FILE=$WORK/ids.out
	ERR_FILE=$WORK/ids.err
	setpriv --reuid="$1" --regid="$2" "${groups[@]}" -- \
		env -i PATH=/usr/bin:/bin "$GETFD" -- "$HELPER" --use-vnet \
		--fd={fd} --br="$4" > "$OUT_FILE" 2> "$ERR_FILE" < /dev/null
	STATUS=$?
	OUT=$(cat "$OUT_FILE")
	ERR=$(cat "$ERR_FILE")
}

# --- user= ---------------------------------------------------------------------
write_acl 'allow br0 user=alice'
grant "allow br0 user=alice: alice" alice br0
refuse "allow br0 user=alice: bob" bob br0 \
	"bridge 'br0' is not allowed for user bob by $ACL"
refuse "allow br0 user=alice: alice on br1, which no rule names" alice br1 \
	"bridge 'br1' is not allowed for user alice by $ACL"

write_acl 'allow all user=bob'
grant "allow all user=bob: bob on br1" bob br1
refuse "allow all user=bob: alice on br1" alice br1 \
	"bridge 'br1' is not allowed for user alice by $ACL"

# --- group=: the real gid and the supplementary groups as the process carries them
write_acl 'allow br0 group=lab'
grant "allow br0 group=lab: alice, a member by her supplementary groups" \
	alice br0
grant "allow br0 group=lab: bob, a member by his supplementary groups" \
	bob br0
refuse "allow br0 group=lab: carol, not a member" carol br0 \
	"bridge 'br0' is not allowed for user carol by $ACL"
refuse "allow br0 group=lab: alice without supplementary groups" -G alice br0 \
	"bridge 'br0' is not allowed for user alice by $ACL"
grant "allow br0 group=lab: carol carrying lab as a supplementary group" \
	-g 4100 carol br0
as_ids 4003 4100 "" br0
is "$STATUS.$(kv fds)" 0.1 \
	"allow br0 group=lab: carol whose real gid is lab, no supplementary groups, is granted" ||
	diag "$ERR"
no_taps_left "allow br0 group=lab: real gid lab: no TAP left"
as_ids 4001 4001 4101 br0
is_refusal "allow br0 group=lab: alice carrying only guests"
is "$ERR" "$HELPER_NAME: bridge 'br0' is not allowed for user alice by $ACL" \
	"allow br0 group=lab: alice carrying only guests: the message"

# --- numeric ids -----------------------------------------------------------------
write_acl 'allow br0 user=4002'
grant "allow br0 user=4002: bob (uid 4002)" bob br0
refuse "allow br0 user=4002: alice" alice br0 \
	"bridge 'br0' is not allowed for user alice by $ACL"

write_acl 'allow br0 group=4101'
grant "allow br0 group=4101: carol (guests)" carol br0
refuse "allow br0 group=4101: alice" alice br0 \
	"bridge 'br0' is not allowed for user alice by $ACL"

# A uid with no passwd entry is named by its number.
write_acl 'allow br0 user=4050'
as_ids 4050 4050 "" br0
is "$STATUS.$(kv fds)" 0.1 "allow br0 user=4050: uid 4050, which has no name, is granted" ||
	diag "$ERR"
no_taps_left "allow br0 user=4050: no TAP left"
as_ids 4051 4051 "" br0
is_refusal "allow br0 user=4050: uid 4051"
is "$ERR" "$HELPER_NAME: bridge 'br0' is not allowed for user uid 4051 by $ACL" \
	"allow br0 user=4050: uid 4051: the message names the uid"

# --- deny wins over allow, whatever the scopes and the order ----------------------
write_acl 'deny br0 user=bob' 'allow all'
grant "deny br0 user=bob + allow all: alice on br0" alice br0
grant "deny br0 user=bob + allow all: bob on br1" bob br1
refuse "deny br0 user=bob + allow all: bob on br0" bob br0 \
	"bridge 'br0' is denied for user bob by $ACL:1"

write_acl 'allow all' 'allow br0 user=bob' 'deny br0 user=bob'
refuse "a later user= deny beats an earlier user= allow" bob br0 \
	"bridge 'br0' is denied for user bob by $ACL:3"

write_acl 'deny all group=lab' 'allow br0 user=alice'
refuse "deny all group=lab beats the more specific allow br0 user=alice" \
	alice br0 "bridge 'br0' is denied for user alice by $ACL:1"
grant "deny all group=lab: alice without supplementary groups is not in lab" \
	-G alice br0

# --- a name that cannot be resolved: the rule fails closed, by its kind -------------
# (A lookup that fails with an errno, a directory service that is down,
# cannot be staged here: glibc reports an unreadable /etc/group as "not
# found". tests/unit/test_helper_acl_nss.c stubs NSS for that case.)
write_acl 'allow br0 user=nosuchuser' 'allow br1 group=nosuchgroup' \
	'allow br1 user=alice'
run_as alice "$HELPER" --check
is "$STATUS" 0 "unknown names: --check exits 0 (the ACL is valid)" ||
	diag "$OUT" "$ERR"
like "$OUT" "(^|$NL)$ACL:1: no such user 'nosuchuser'; the allow rule allows nobody($NL|$)" \
	"unknown name in an allow: --check warns at FILE:1, and says what the rule does"
like "$OUT" "(^|$NL)$ACL:2: no such group 'nosuchgroup'; the allow rule allows nobody($NL|$)" \
	"unknown group in an allow: --check warns at FILE:2"
refuse "an allow with an unknown user allows nobody: alice" alice br0 \
	"bridge 'br0' is not allowed for user alice by $ACL"
refuse "an allow with an unknown group allows nobody: bob" bob br1 \
	"bridge 'br1' is not allowed for user bob by $ACL"
grant "control: the rest of the ACL applies (alice's own allow)" alice br1

# The old behaviour, "deny br0 group=nosuchgroup" denying nobody, would
# grant br0 here.
write_acl 'allow all' 'deny br0 group=nosuchgroup'
refuse "a deny with an unknown group denies its bridge to everyone: alice" \
	alice br0 \
	"bridge 'br0' is denied for user alice by $ACL:2 (no such group 'nosuchgroup': the rule fails closed)"
refuse "a deny with an unknown group denies its bridge to everyone: carol" \
	carol br0 \
	"bridge 'br0' is denied for user carol by $ACL:2 (no such group 'nosuchgroup': the rule fails closed)"
grant "a deny with an unknown group denies only its bridge" alice br1
run_as alice "$HELPER" --check
is "$STATUS" 0 "unknown name in a deny: --check exits 0" || diag "$OUT" "$ERR"
like "$OUT" "(^|$NL)$ACL:2: no such group 'nosuchgroup'; the deny rule fails closed and denies 'br0' to everyone($NL|$)" \
	"unknown name in a deny: --check warns at FILE:2 and says what it denies"
like "$OUT" "$NL  br0 +denied by $ACL:2 \\(Linux bridge\\) \\(no such group 'nosuchgroup': it fails closed and applies to everyone\\)($NL|$)" \
	"unknown name in a deny: --check's verdict names the rule and why"

write_acl 'allow br0 user=alice' 'deny all user=nosuchuser'
refuse "deny all with an unknown user denies every bridge, even to a user= allow" \
	alice br0 \
	"bridge 'br0' is denied for user alice by $ACL:2 (no such user 'nosuchuser': the rule fails closed)"

# The old behaviour, the limit applying to nobody, would grant here.
write_acl 'allow br0' 'limit 0 group=nosuchgroup'
getfd_run alice -- "$HELPER" --use-vnet --fd={fd} --br=br0
is_refusal "a limit with an unknown group applies to everyone" \
	"limit of 0 TAPs for user alice reached"
run_as bob "$HELPER" --check
like "$OUT" "(^|$NL)$ACL:2: no such group 'nosuchgroup'; the limit fails closed and applies to everyone($NL|$)" \
	"unknown name in a limit: --check warns at FILE:2"
like "$OUT" "$NL  limit +0 TAPs \\($ACL:2\\) \\(no such group 'nosuchgroup': it fails closed and applies to everyone\\)($NL|$)" \
	"unknown name in a limit: --check's limit line names the rule and why"

done_testing
