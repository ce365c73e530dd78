#!/bin/bash
# stages.sh - what each speed change bought: the helper built before and after each, benchmarked side by side
#
# Usage: sudo tests/bench/stages.sh     (after make all tests)
#
# Builds tapgate-helper at each stage of issue 6's speed work from the git
# history (each stage is the tree of commit $BASE with the files a later
# change touched taken from before that change), then runs tests/bench/run's
# plain scenario with all of them interleaved with the current helper,
# qemu-bridge-helper and the floors. Results go to build/bench/stages/;
# BENCHMARKS.md is not touched (its "What each change bought" section
# quotes such a run).
#
# The stages, each adding one change to the one before:
#   s0-before    the helper before the speed work
#   s1-syslog    audit.c writes its line to /dev/log itself (b721bf3)
#   s2-static    libcap-ng linked statically (5c91dc5)
#   s3-capget    capabilities read back with capget(2) (284a202)
#   s4-bounding  the bounding set cleared without libcap-ng's /proc parsing
#                (94b8cf8)
set -eu -o pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BASE=94b8cf8
OUT=$ROOT/build/bench/stages
AUDIT_BEFORE=b721bf3^
PRIV_BEFORE=284a202^
PRIV_CAPGET=284a202

if [ "$(id -u)" != 0 ]; then
	echo "stages.sh: needs root (it runs tests/bench/run); try sudo" >&2
	exit 2
fi
git -C "$ROOT" cat-file -e "$BASE^{commit}" 2>/dev/null || {
	echo "stages.sh: commit $BASE is not in this repository's history" >&2
	exit 2
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$OUT"

# stage LABEL STATIC_CAPNG [PATH=COMMIT...]: build one stage into $OUT/LABEL.
stage()
{
	local label=$1 static=$2 dir=$tmp/$1 spec

	shift 2
	mkdir -p "$dir"
	git -C "$ROOT" archive "$BASE" | tar -x -C "$dir"
	for spec in "$@"; do
		git -C "$ROOT" show "${spec#*=}:${spec%%=*}" > "$dir/${spec%%=*}"
	done
	make -s -C "$dir" HELPER_STATIC_CAPNG="$static" helper/tapgate-helper \
		> "$tmp/$label.log" 2>&1 || {
		cat "$tmp/$label.log" >&2
		echo "stages.sh: cannot build $label" >&2
		exit 1
	}
	cp "$dir/helper/tapgate-helper" "$OUT/$label"
	echo "built $label"
}

stage s0-before 0 helper/audit.c="$AUDIT_BEFORE" helper/priv.c="$PRIV_BEFORE"
stage s1-syslog 0 helper/priv.c="$PRIV_BEFORE"
stage s2-static 1 helper/priv.c="$PRIV_BEFORE"
stage s3-capget 1 helper/priv.c="$PRIV_CAPGET"
stage s4-bounding 1

compare=
for s in s0-before s1-syslog s2-static s3-capget s4-bounding; do
	compare="$compare $s=$OUT/$s"
done
TAPGATE_BENCH_COMPARE=$compare TAPGATE_BENCH_SCENARIOS=plain \
TAPGATE_BENCH_DOC=- TAPGATE_BENCH_OUT=$OUT \
	"$ROOT/tests/bench/run"
