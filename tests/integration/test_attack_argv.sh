#!/bin/bash
# test_attack_argv.sh - hostile argument vectors: argc 0, malformed, empty, repeated and unknown options, bad numbers, bad bridge names: each a clean refusal
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/attack.sh"

install_helper setuid
make_bridge br0
write_acl 'allow br0'

# --- argc == 0 (pkexec, CVE-2021-4034) -----------------------------------------
# pkexec read argv[1] without checking argc; with an empty argv that is
# envp[0], which it then wrote back into the environment. Linux 5.18+
# turns an empty argv into { "" }, older kernels pass argc 0: either way
# the helper must refuse, and the environment must not be read as options.
run_as alice "$EXECV0" "$HELPER"
is_refusal "argc 0: refused" 'empty argument list|missing --br'
run_as alice "$EXECV0" "$HELPER" "--br=br0" "--fd=0" "GCONV_PATH=." \
	"CHARSET=PWNKIT" "SHELL=pwnkit"
is_refusal "argc 0 with options in the environment: refused, the environment is not argv" \
	'empty argument list|missing --br'

# --- options: empty, malformed, unknown, repeated, misplaced ------------------
refused "no argument at all is refused" 'missing --br'
refused "an empty argument is refused" "unknown argument ''" \
	--fd={fd} --br=br0 ""
refused "--br without '=' is refused" "unknown argument '--br'" \
	--fd={fd} --br br0
refused "--fd without '=' is refused" "unknown argument '--fd'" \
	--fd {fd} --br=br0
refused "--use-vnet with a value is refused" 'unknown argument .--use-vnet\\x3d1.' \
	--use-vnet=1 --fd={fd} --br=br0
refused "--help with a value is refused" 'unknown argument .--help\\x3dx.' \
	--help=x
refused "an option in capitals is refused" 'unknown argument .--BR\\x3dbr0.' \
	--fd={fd} --BR=br0
refused "a short option is refused" "unknown argument '-b'" \
	--fd={fd} -b br0
refused "a prefix of an option is refused" 'unknown argument .--b\\x3dbr0.' \
	--fd={fd} --b=br0
refused "an option with a suffix is refused" 'unknown argument .--brx\\x3dbr0.' \
	--fd={fd} --brx=br0
refused "'--' is refused" "unknown argument '--'" \
	--fd={fd} -- --br=br0
refused "'-' is refused" "unknown argument '-'" --fd={fd} --br=br0 -
refused "an unknown option is refused" "unknown argument '--frobnicate'" \
	--fd={fd} --br=br0 --frobnicate
refused "a positional argument is refused" "unknown argument 'br0'" \
	--fd={fd} br0
refused "an empty --br is refused" "bridge name '': it is empty" \
	--fd={fd} --br=
refused "an empty --fd is refused" 'invalid --fd' --fd= --br=br0
refused "an empty --queues is refused" 'invalid --queues' \
	--fd={fd} --br=br0 --queues=
refused "a repeated --br is refused, even with the same value" 'option --br given twice' \
	--fd={fd} --br=br0 --br=br0
refused "a repeated --br with another value is refused" 'option --br given twice' \
	--fd={fd} --br=br0 --br=br1
refused "a repeated --fd is refused" 'option --fd given twice' \
	--fd={fd} --fd={fd} --br=br0
refused "a repeated --queues is refused" 'option --queues given twice' \
	--fd={fd} --br=br0 --queues=1 --queues=1
refused "a repeated --use-vnet is refused" 'option --use-vnet given twice' \
	--use-vnet --use-vnet --fd={fd} --br=br0
refused "--help with other options is refused" '--help takes no other option' \
	--help --fd={fd} --br=br0
refused "--version with other options is refused" '--version takes no other option' \
	--fd={fd} --br=br0 --version
refused "--check with --br is refused" '--check takes no other option' \
	--check --br=br0
refused "--user without --check is refused" '--user is only for --check' \
	--fd={fd} --br=br0 --user=root
refused "--check --user by a non-root caller is refused" 'only root may use --user' \
	--check --user=root
refused "a missing --br is refused" 'missing --br' --fd={fd}
refused "a missing --fd is refused" 'missing --fd' --br=br0

# --- numbers: junk, signs, spaces, bases, overflow -----------------------------
for v in -1 +4 -0 ' 4' '4 ' $'4\n' 0x4 4abc 4.0 1e3 '4,5' $'\xd9\xa3' \
	 2147483648 4294967300 18446744073709551616 \
	 99999999999999999999999999999999999999; do
	refused "--fd='$(printf '%q' "$v")' is refused" 'invalid --fd' \
		--fd="$v" --br=br0
done
for v in 0 17 -1 +2 2x ' 2' 0x2 1e1 4294967297 18446744073709551617 \
	 99999999999999999999999999999999999999; do
	refused "--queues='$(printf '%q' "$v")' is refused" 'invalid --queues' \
		--fd={fd} --br=br0 --queues="$v"
done

# --- bridge names ----------------------------------------------------------------
# Each name is refused before the ACL is read, as an invalid name; the
# message quotes it escaped, on one line.
bad_name()
{
	local desc=$1 name=$2 why=$3

	refused "a bridge name $desc is refused" "invalid bridge name .*$why" \
		--fd={fd} --br="$name"
}
bad_name "'.'" . "'\.' or '\.\.'"
bad_name "'..'" .. "'\.' or '\.\.'"
bad_name "with '/'" br/0 "contains '/'"
bad_name "of only '/'" / "contains '/'"
bad_name "with '../'" ../br0 "contains '/'"
bad_name "with ':' (an alias of br0 to the kernel)" br0:1 "contains ':'"
bad_name "with a space" 'br 0' 'whitespace'
bad_name "with a tab" $'br\t0' 'whitespace'
bad_name "with a newline" $'br0\nbr1' 'whitespace'
bad_name "with a carriage return" $'br0\r' 'whitespace'
bad_name "with a control byte" $'br\x01' 'control character'
bad_name "with an escape sequence" $'br\x1b[2J' 'control character'
bad_name "with DEL" $'br\x7f' 'control character'
bad_name "of 16 bytes (CVE-2019-13164: never truncated to 15)" \
	brtruncate12345X 'longer than 15 bytes'
bad_name "of 10,000 bytes" "$(printf 'b%.0s' $(seq 10000))" \
	'longer than 15 bytes'

# A name with '%' is a valid interface name: refused by the ACL, and the
# message shows it as it is (no format directive is ever interpreted).
refused "a bridge name '%n' is refused by the ACL, shown literally" \
	"bridge '%n' is not allowed" --fd={fd} --br=%n
write_acl 'allow all'
refused "a bridge name '%s%s%n' that no interface has is refused, shown literally" \
	"bridge '%s%s%n' does not exist" --fd={fd} --br=%s%s%n
refused "a 15-byte name that no interface has is refused, not cut" \
	"bridge 'brtruncate12345' does not exist" --fd={fd} --br=brtruncate12345

# --- the quoting rule (lib/quote.c) ------------------------------------------------
# A value the caller gave is quoted so that nothing in it can pass for the
# fields of a log line or end the quotes early (issue 10): quotes, '=' and
# spaces inside are escaped.
refused "an argument that reads like log fields is quoted, its quote, spaces and '=' escaped" \
	"unknown argument 'x\\\\x27\\\\x20uid\\\\x3d0\\\\x20ppid\\\\x3d1\\\\x20bridge\\\\x3dbr0\\\\x20tap\\\\x3dtap0:\\\\x20grant' \\(see --help\\)\$" \
	--fd={fd} --br=br0 "x' uid=0 ppid=1 bridge=br0 tap=tap0: grant"
# A valid interface name may hold any byte of 0x80 and up: a C1 control
# (CSI, ESC [ to a terminal) and a right-to-left override are escaped, valid
# UTF-8 text is shown as it is.
write_acl 'allow br0'
refused "a C1 control and a bidi override in a bridge name are escaped" \
	"bridge 'br\\\\xc2\\\\x9b2J\\\\xe2\\\\x80\\\\xae' is not allowed" \
	--fd={fd} --br=$'br\xc2\x9b2J\xe2\x80\xae'
if LC_ALL=C grep -q $'\xc2\x9b\|\xe2\x80\xae' "$ERR_FILE"; then
	fail "no raw C1 control or bidi override on stderr" "$(od -c "$ERR_FILE" | head -n 5)"
else
	pass "no raw C1 control or bidi override on stderr"
fi
refused "valid UTF-8 in a bridge name is shown as it is" \
	$'bridge \'br\xc3\xa9\' is not allowed' --fd={fd} --br=$'br\xc3\xa9'

# --- the same helper still works --------------------------------------------------
write_acl 'allow br0'
granted "control: the QEMU argv is granted" --use-vnet --fd={fd} --br=br0
granted "control: --queues=010 is decimal 10 and granted" \
	--fd={fd} --br=br0 --queues=010

done_testing
