#!/bin/sh
# run.sh - the whole test suite: unit tests, end-to-end tests, and the lab
# (the committed real-kernel recordings always; a live recording when this
# machine can make one). Prints every failure and a closing line
# "N passed, N failed, N skipped"; exits non-zero on any failure.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
export NATLOG=${NATLOG:-$ROOT/natlog}
pass=0 fail=0 skipped=0
log=$(mktemp "${TMPDIR:-/tmp}/natlog-run.XXXXXX")
trap 'rm -f "$log"' EXIT

count() {
	# $1: name; the test's output is in $log
	grep -E '^(not ok|SKIP)|^    |check failed|, [1-9][0-9]* failed|expected' "$log" | sed "s|^|[$1] |"
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	s=$(grep -c '^SKIP' "$log")
	# unit tests print "name: N passed, N failed"
	up=$(sed -n 's/^.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | head -1)
	uf=$(sed -n 's/^.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | head -1)
	pass=$((pass + p + ${up:-0}))
	fail=$((fail + f + ${uf:-0}))
	skipped=$((skipped + s))
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	{ "$t" 2>&1 || echo "not ok - $name exited $?"; } > "$log"
	count "$name"
done
for t in "$ROOT"/tests/e2e/t*.sh; do
	name=$(basename "$t" .sh)
	{ sh "$t" 2>&1 || echo "not ok - $name exited $?"; } > "$log"
	count "$name"
done
# The lab: natlog's answers against what the kernel really did.
{ python3 "$ROOT/tests/lab/check.py" "$NATLOG" "$ROOT"/testdata/lab/*/ 2>&1 ||
	echo "not ok - lab check of the recordings exited $?"; } > "$log"
count lab
live_skip=""
if [ "$(id -u)" -ne 0 ]; then
	live_skip="not root: network namespaces and netfilter need root"
elif [ "${NATLOG_LIVE_LAB:-1}" = 0 ]; then
	live_skip="NATLOG_LIVE_LAB=0"
else
	for t in ip iptables-legacy nft xtables-monitor conntrack tcpdump busybox python3; do
		command -v "$t" >/dev/null 2>&1 || { live_skip="$t is not installed (sh tests/deps.sh --lab)"; break; }
	done
	[ -z "$live_skip" ] && ! python3 -c 'import scapy' 2>/dev/null && ! /usr/bin/python3 -c 'import scapy' 2>/dev/null &&
		live_skip="python3-scapy is not installed (sh tests/deps.sh --lab)"
	[ -z "$live_skip" ] && ! ip netns add "nlab-probe-$$" 2>/dev/null &&
		live_skip="cannot create network namespaces here"
	[ -z "$live_skip" ] && ip netns del "nlab-probe-$$"
fi
if [ -n "$live_skip" ]; then
	echo "SKIP: live lab: $live_skip" > "$log"
else
	live=$(mktemp -d "${TMPDIR:-/tmp}/natlog-live.XXXXXX")
	{ if bash "$ROOT/tests/lab/record-all.sh" "$live" >"$live.out" 2>&1; then
		echo "ok - live lab recorded every scenario"
		python3 "$ROOT/tests/lab/check.py" "$NATLOG" "$live"/*/ 2>&1 | sed 's/^ok - /ok - live: /; s/^not ok - /not ok - live: /'
	else
		echo "not ok - live lab recording failed:"; sed 's/^/    /' "$live.out" | tail -30
	fi; } > "$log"
	rm -rf "$live" "$live.out"
fi
count live-lab
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
