#!/bin/bash
# test_attack_env.sh - hostile environment and limits: huge environment, LD_PRELOAD, LD_LIBRARY_PATH, GCONV_PATH, MALLOC_*, odd locales, RLIMIT_NOFILE 3 to 6, RLIMIT_FSIZE 0
# shellcheck disable=SC1083 # "{fd}" is getfd's socket-number placeholder
. "$(dirname "$0")/../lib/lib.sh"
. "$ROOT/tests/lib/attack.sh"

make_bridge br0
write_acl 'allow br0'
tun_node 0666		# so that the setcap install can open it too

# A library that announces itself when a program loads it: a line on
# stderr and a marker file. It is also installed as libmnl.so.0 (for
# LD_LIBRARY_PATH) and as a gconv module (for GCONV_PATH).
EVIL=$WORK/evil
MARK=$SCRATCH/evil-was-loaded
mkdir -m 0755 "$EVIL" "$EVIL/gconv"
cat > "$EVIL/evil.c" <<'C'
#include <fcntl.h>
#include <unistd.h>
__attribute__((constructor)) static void evil(void)
{
	int fd = open("@MARK@", O_WRONLY | O_CREAT | O_APPEND, 0666);

	if (fd >= 0) {
		(void)write(fd, "loaded\n", 7);
		close(fd);
	}
	(void)write(2, "EVIL LIBRARY LOADED\n", 20);
}
void gconv(void) {}
void gconv_init(void) {}
C
sed -i "s|@MARK@|$MARK|" "$EVIL/evil.c"
cc -shared -fPIC -o "$EVIL/evil.so" "$EVIL/evil.c" ||
	bail "cannot build the test library"
cp "$EVIL/evil.so" "$EVIL/libmnl.so.0"
cp "$EVIL/evil.so" "$EVIL/gconv/EVIL.so"
printf 'module PWNKIT// INTERNAL EVIL 2\nmodule INTERNAL PWNKIT// EVIL 2\n' \
	> "$EVIL/gconv/gconv-modules"
chmod -R a+rX "$EVIL"
# The helper without privilege (mode 0755, no capability): a control that
# shows each trick does reach an ordinary program.
install -o root -g root -m 0755 "$HELPER_SRC" "$WORK/bin/plain-helper"
PLAIN=$WORK/bin/plain-helper

# with_env NAME=VALUE... -- HELPER ARGS...: as alice, through getfd, run
# HELPER with that extra environment (beside PATH, HOME, USER, LOGNAME).
# env(1) sets it between getfd and the helper, so that getfd itself (an
# ordinary program) is not affected. Sets STATUS OUT ERR.
with_env()
{
	local env=()

	while [ "$1" != -- ]; do
		env+=("$1")
		shift
	done
	shift
	rm -f "$MARK"
	run_as alice "$GETFD" -- /usr/bin/env "${env[@]}" "$@"
}

# loader_trick NAME ENV...: the trick works on the plain program, and the
# installed helper (setuid, then setcap) ignores it and works.
loader_trick()
{
	local name=$1 how

	shift
	rm -f "$MARK"
	run_as alice /usr/bin/env "$@" "$PLAIN" --version
	# (A SANITIZE=1 build refuses to start when a library comes before
	# the ASan runtime: that too shows the loader took the variable.)
	if [ -e "$MARK" ] || [[ $ERR == *"EVIL LIBRARY"* ]] ||
	   [[ $ERR == *"symbol lookup error"* ]] ||
	   [[ $ERR == *"ASan runtime does not come first"* ]]; then
		pass "$name: control: an unprivileged program does load the library"
	else
		fail "$name: control: an unprivileged program does load the library" \
			"status $STATUS" "$ERR"
	fi
	for how in setuid setcap; do
		install_helper "$how"
		with_env "$@" -- "$HELPER" --use-vnet --fd={fd} --br=br0
		is "$STATUS/$(kv fds)/$ERR" "0/1/" "$name ($how): the request works, nothing on stderr" ||
			diag "$OUT"
		ok "$name ($how): the library was not loaded" test ! -e "$MARK"
		no_taps_left "$name ($how): no TAP left"
	done
}
loader_trick "LD_PRELOAD" "LD_PRELOAD=$EVIL/evil.so"
loader_trick "LD_LIBRARY_PATH" "LD_LIBRARY_PATH=$EVIL"
loader_trick "LD_AUDIT" "LD_AUDIT=$EVIL/evil.so"

# env_works NAME ENV...: with these variables, a grant still works and a
# refusal is still exactly the one expected English line.
env_works()
{
	local name=$1

	shift
	install_helper setuid
	rm -f "$MARK"
	with_env "$@" -- "$HELPER" --use-vnet --fd={fd} --br=br0
	is "$STATUS/$(kv fds)/$ERR" "0/1/" "$name: a request works, nothing on stderr" ||
		diag "$OUT"
	with_env "$@" -- "$HELPER" --use-vnet --fd={fd} --br=br1
	is_refusal "$name: a refusal" \
		"^tapgate-helper: bridge 'br1' is not allowed for user alice by $ACL\$"
	not_a_signal "$name: a refusal"
	ok "$name: no library was loaded" test ! -e "$MARK"
}
env_works "GCONV_PATH (pkexec's exploit)" "GCONV_PATH=$EVIL/gconv" \
	"CHARSET=PWNKIT" "LC_ALL=C.PWNKIT"
env_works "MALLOC_CHECK_=3 and MALLOC_PERTURB_" MALLOC_CHECK_=3 \
	MALLOC_PERTURB_=165 MALLOC_TOP_PAD_=1 MALLOC_MMAP_THRESHOLD_=0 \
	MALLOC_ARENA_MAX=1
env_works "GLIBC_TUNABLES" \
	"GLIBC_TUNABLES=glibc.malloc.check=3:glibc.malloc.perturb=165:glibc.malloc.mmap_threshold=0"
env_works "a nonexistent locale" LANG=xx_YY.UTF-8 LC_ALL=xx_YY.UTF-8 \
	LANGUAGE=xx
env_works "a locale that is a path" "LC_ALL=../../../../$EVIL" \
	"LANG=/$EVIL" "LOCPATH=$EVIL" "NLSPATH=$EVIL/%N"
env_works "locale values with control bytes" $'LC_ALL=\n\x1b[2J' \
	$'LANG=%n%n%n\x7f' $'LC_MESSAGES=\t'
env_works "TZ, TMPDIR and resolver variables" "TZ=$EVIL/evil.so" \
	"TZDIR=$EVIL" "TMPDIR=$EVIL" "HOSTALIASES=$EVIL/evil.c" \
	"RES_OPTIONS=debug" "LOCALDOMAIN=evil"

# A huge environment: 15 values of 120 KiB (close to the kernel's 2 MiB
# for argv and environment together), then 20,000 small ones.
install_helper setuid
run_as alice bash -c 'for i in $(seq 15); do printf -v "BIG$i" "%*s" 122880 x; export "BIG$i"; done; exec "$@"' \
	bash "$GETFD" -- "$HELPER" --use-vnet --fd={fd} --br=br0
is "$STATUS/$(kv fds)/$ERR" "0/1/" "an environment of 1.8 MiB: the request works" ||
	diag "$OUT" "${ERR:0:300}"
run_as alice bash -c 'for i in $(seq 20000); do export "V$i=$i"; done; exec "$@"' \
	bash "$GETFD" -- "$HELPER" --use-vnet --fd={fd} --br=br0
is "$STATUS/$(kv fds)/$ERR" "0/1/" "20,000 environment variables: the request works" ||
	diag "$OUT" "${ERR:0:300}"
no_taps_left "huge environments: no TAP left"

# --- limits -------------------------------------------------------------------------
# RLIMIT_NOFILE 3 to 6: the helper needs a few fds (the TAP, a netlink
# socket, glibc's ioctl socket). Too few is a clear refusal, never a crash.
for n in 3 4 5 6; do
	name="RLIMIT_NOFILE $n"
	getfd_run alice -- /usr/bin/prlimit --nofile="$n:$n" -- \
		"$HELPER" --use-vnet --fd={fd} --br=br0
	diag "$name: exit $(kv exit), ${ERR:-granted}"
	not_a_signal "$name"
	if [ "$STATUS" = 0 ]; then
		is "$(kv fds)/$ERR" "1/" "$name: granted, nothing on stderr"
		no_taps_left "$name: no TAP left"
	elif [ "$STATUS" = 127 ] &&
	     [[ $ERR == *"error while loading shared libraries"* ]]; then
		# With 3 fds the dynamic loader cannot open the helper's
		# libraries: it exits 127 with its own one line before any of
		# the helper's code runs. Clear, but not the helper's words.
		is "$(grep -c '' "$ERR_FILE")" 1 "$name: the dynamic loader refuses in one line"
		no_taps_left "$name: no TAP left"
	else
		is_refusal "$name: refused" 'Too many open files'
	fi
done

# RLIMIT_FSIZE 0 with stderr on a file: writing the message raises
# SIGXFSZ, whose default action kills. The helper must still exit 1 (its
# message is lost: the file may not grow). prlimit sits between getfd and
# the helper, so getfd's own output is not limited.
fsize_zero()
{
	getfd_run alice -- /usr/bin/prlimit --fsize=0 -- "$@"
}
fsize_zero "$HELPER" --use-vnet --fd={fd} --br=br1
is "$(kv exit)/$(kv signal)/$(kv fds)" "1//0" "RLIMIT_FSIZE 0, refused: exit status 1, no SIGXFSZ"
is "$(stat -c %s "$ERR_FILE")" 0 "RLIMIT_FSIZE 0, refused: stderr did not grow"
no_taps_left "RLIMIT_FSIZE 0, refused: no TAP left"
fsize_zero "$HELPER" --use-vnet --fd={fd} --br=br0
is "$(kv exit)/$(kv signal)/$(kv fds)" "0//1" "RLIMIT_FSIZE 0, granted: the request works"
no_taps_left "RLIMIT_FSIZE 0, granted: no TAP left"
fsize_zero "$HELPER" --use-vnet --fd=0 --br=br0
is "$(kv exit)/$(kv signal)" "1/" "RLIMIT_FSIZE 0, a bad --fd: exit status 1, no SIGXFSZ"
fsize_zero "$EXECV0" "$HELPER"
is "$(kv exit)/$(kv signal)" "1/" "RLIMIT_FSIZE 0, argc 0: exit status 1, no SIGXFSZ"

done_testing
