#!/bin/bash
# namehash.sh - `make bench`, the kernel's name hash: 16 lookups of missing slot names spread over its buckets or in one, at 5 and 20,005 interfaces
#
# Usage: sudo tests/bench/namehash.sh     (after `make all tests`)
#
# In a network namespace of its own (unshare --net; its interfaces go with
# it): build/tests/tools/bench_namehash with 5 interfaces present (lo and
# two veth pairs), then with 20,005 (10,000 more pairs, made with
# ip -batch, then 90 s to settle, as the scale series does). See
# bench_namehash.c for the three ways. Raw figures in
# $TAPGATE_BENCH_OUT/namehash.jsonl (default build/bench); the table is
# printed.
#
# Environment: TAPGATE_BENCH_NAMEHASH_ROUNDS (default 200).
set -u -o pipefail

if [ "$(id -u)" != 0 ]; then
	echo "tests/bench/namehash.sh: needs root (a private network namespace)" >&2
	exit 2
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TOOL=$ROOT/build/tests/tools/bench_namehash
OUT=${TAPGATE_BENCH_OUT:-$ROOT/build/bench}
ROUNDS=${TAPGATE_BENCH_NAMEHASH_ROUNDS:-200}
[ -x "$TOOL" ] || { echo "namehash.sh: $TOOL is not built (make tests)" >&2; exit 1; }
mkdir -p "$OUT" || exit 1

# Runs inside the namespace: $1 the tool, $2 the rounds, $3 a scratch dir.
inside()
{
	local i

	set -e
	ip link set lo up
	ip link add nh0a type veth peer name nh0b
	ip link add nh1a type veth peer name nh1b
	"$1" "$2" 5
	for i in $(seq 2 10001); do
		echo "link add nh${i}a type veth peer name nh${i}b"
	done > "$3/batch"
	ip -batch "$3/batch"
	[ "$(ip -o link show | wc -l)" = 20005 ]
	sleep 90
	"$1" "$2" 20005
}

SCRATCH=$(mktemp -d) || exit 1
trap 'rm -rf "$SCRATCH"' EXIT
if ! unshare --net bash -c "$(declare -f inside); inside $TOOL $ROUNDS $SCRATCH" \
	> "$OUT/namehash.jsonl"; then
	echo "namehash.sh: the measurement failed" >&2
	exit 1
fi
echo "16 lookups of missing slot names, one batch, median µs (p95):"
echo "| interfaces | spread over the buckets (cold) | one bucket (cold) | one bucket (warm) |"
echo "|---:|---:|---:|---:|"
for n in 5 20005; do
	printf '| %s |' "$n"
	for way in spread bucket warm; do
		grep "\"label\":\"$n\",\"way\":\"$way\"" "$OUT/namehash.jsonl" |
			sed -E 's/.*"median_us":([0-9.]+),"p95_us":([0-9.]+).*/ \1 (\2) |/' |
			tr -d '\n'
	done
	echo
done
