#!/bin/bash
# sealed.sh - `make bench`, sealed ports: spawn->fd and TAP-to-bridge throughput, sealed against plain in one run, and what a GSO frame looks like on the bridge; writes its section of BENCHMARKS.md
#
# Usage: sudo tests/bench/sealed.sh      (after `make all tests`)
#
# In private namespaces (tests/lib/lib.sh): the helper setuid root in a
# tmpfs, /dev/net/tun mode 0666, two bridges with addresses set explicitly,
# br0 (allow br0: plain ports) and brs (allow brs sealed), alice as the
# caller. Figures:
#   spawn->fd   build/tests/tools/bench_spawn series, plain and sealed
#               requests interleaved in random order every round
#   throughput  build/tests/tools/bench_tput flood: 1514-byte frames written
#               into the TAP fd for 3 s, to the bridge's own MAC; counted by
#               the bridge's rx_packets. Plain and sealed alternate, 3 each.
#   gso         bench_tput gso: one 64,000-byte TCP frame with a
#               virtio_net_hdr asking for GSO and checksum offload, and how
#               a packet socket on the bridge sees it, plain and sealed
#
# Environment: TAPGATE_BENCH_SEALED_RUNS (default 300),
# TAPGATE_BENCH_DOC (default $ROOT/BENCHMARKS.md; "-": none), between the
# bench-sealed:begin and bench-sealed:end markers.
# shellcheck disable=SC1083 # "{fd}" is the tools' socket-number placeholder
set -u -o pipefail

if [ "$(id -u)" != 0 ]; then
	echo "tests/bench/sealed.sh: needs root (private namespaces, setuid helper)" >&2
	exit 2
fi
. "$(dirname "$0")/../lib/lib.sh" || exit 1

RUNS=${TAPGATE_BENCH_SEALED_RUNS:-300}
DOC=${TAPGATE_BENCH_DOC:-$ROOT/BENCHMARKS.md}
OUT=$B/bench
mkdir -p "$OUT"
RES=$OUT/sealed.jsonl
SPAWN=$B/tests/tools/bench_spawn
TPUT=$B/tests/tools/bench_tput
[ -x "$SPAWN" ] && [ -x "$TPUT" ] || bail "build the tools first: make tests"

install_helper setuid
tun_node 0666
make_bridge br0
make_bridge brs
ip link set br0 address 02:00:00:00:b0:00
ip link set brs address 02:00:00:00:b5:00
write_acl 'allow br0' 'allow brs sealed'
start_syslog
: > "$RES"

# --- spawn->fd -----------------------------------------------------------------
diag "spawn->fd: $RUNS rounds, plain and sealed interleaved"
"$SPAWN" series -n "$RUNS" -w 20 -s sealed -u alice \
	"plain|fd|$HELPER --use-vnet --fd={fd} --br=br0" \
	"sealed|fd|$HELPER --use-vnet --fd={fd} --br=brs" >> "$RES" 2> "$OUT/sealed.log"
is "$?" 0 "spawn->fd: every run succeeded" || diag "$(tail -5 "$OUT/sealed.log")"
fig() { grep "\"subject\":\"$1\"" "$RES" | grep "\"figure\":\"$2\"" | sed -n "s/.*\"$3\":\([0-9.]*\).*/\1/p" | head -1; }

# --- throughput ----------------------------------------------------------------
for _ in 1 2 3; do
	for kind in plain sealed; do
		br=br0
		[ "$kind" = sealed ] && br=brs
		line=$("$TPUT" flood -u alice -i "$br" -t 3 -s 1514 -- \
			"$HELPER" --fd={fd} --br="$br")
		echo "$kind $line" >> "$OUT/tput.txt.$$"
		diag "throughput $kind: $line"
	done
done
tput_median()
{
	grep "^$1 " "$OUT/tput.txt.$$" | sed -n "s/.* $2=\([0-9.]*\).*/\1/p" | sort -n | sed -n 2p
}
ok "throughput: every run delivered frames" \
	test "$(grep -c ' delivered=[1-9]' "$OUT/tput.txt.$$")" = 6

# --- GSO and checksum offload --------------------------------------------------
GSO_PLAIN=$("$TPUT" gso -u alice -i br0 -- "$HELPER" --use-vnet --fd={fd} --br=br0 | tr '\n' ' ')
GSO_SEALED=$("$TPUT" gso -u alice -i brs -- "$HELPER" --use-vnet --fd={fd} --br=brs | tr '\n' ' ')
diag "gso plain:  $GSO_PLAIN"
diag "gso sealed: $GSO_SEALED"
like "$GSO_SEALED" 'frames=[1-9]' "gso: the sealed port delivered the GSO frame"

# --- the section ---------------------------------------------------------------
SECTION=$OUT/sealed.md
{
	echo "<!-- bench-sealed:begin: written by tests/bench/sealed.sh; edits here are lost -->"
	echo
	echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC'), kernel $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)."
	echo
	echo "| | plain | sealed | sealed / plain |"
	echo "|---|---:|---:|---:|"
	pm=$(fig plain spawn_to_fd median) sm=$(fig sealed spawn_to_fd median)
	pp=$(fig plain spawn_to_fd p95) sp=$(fig sealed spawn_to_fd p95)
	printf '| spawn→fd median (µs, %s rounds) | %s | %s | %s |\n' "$RUNS" "$pm" "$sm" \
		"$(awk -v a="$sm" -v b="$pm" 'BEGIN { if (b > 0) printf "%.2fx", a / b }')"
	printf '| spawn→fd p95 (µs) | %s | %s | %s |\n' "$pp" "$sp" \
		"$(awk -v a="$sp" -v b="$pp" 'BEGIN { if (b > 0) printf "%.2fx", a / b }')"
	pf=$(tput_median plain fps) sf=$(tput_median sealed fps)
	printf '| TAP fd → bridge, 1514-byte frames delivered per second (median of 3 × 3 s) | %s | %s | %s |\n' \
		"$pf" "$sf" "$(awk -v a="$sf" -v b="$pf" 'BEGIN { if (b > 0) printf "%.2fx", a / b }')"
	printf '| the same in Gbit/s of frames | %s | %s | |\n' "$(tput_median plain gbps)" "$(tput_median sealed gbps)"
	echo
	echo "One 64,000-byte TCP/IPv4 frame written with a virtio_net_hdr asking for"
	echo "GSO (TCPV4, gso_size 1448) and checksum offload, as a packet socket on the"
	echo "bridge sees it:"
	echo
	echo "- plain: \`$GSO_PLAIN\`"
	echo "- sealed: \`$GSO_SEALED\`"
	echo
	echo "Commands: \`sudo tests/bench/sealed.sh\` (part of \`make bench\`); raw"
	echo "figures in build/bench/sealed.jsonl."
	echo
	echo "<!-- bench-sealed:end -->"
} > "$SECTION"
rm -f "$OUT/tput.txt.$$"
cat "$SECTION" >&2
if [ "$DOC" != - ] && grep -q 'bench-sealed:begin' "$DOC"; then
	awk -v f="$SECTION" '
		/bench-sealed:begin/ { while ((getline l < f) > 0) print l; skip = 1; next }
		/bench-sealed:end/ { skip = 0; next }
		!skip { print }' "$DOC" > "$DOC.tmp" && mv "$DOC.tmp" "$DOC"
	pass "BENCHMARKS.md updated"
elif [ "$DOC" != - ]; then
	diag "no bench-sealed markers in $DOC; the section is in $SECTION"
fi
done_testing
