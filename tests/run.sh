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
if [ -x "$ROOT/tests/lab/check.sh" ]; then
	{ bash "$ROOT/tests/lab/check.sh" 2>&1 || echo "not ok - lab check exited $?"; } > "$log"
	count lab
fi
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
