#!/bin/sh
# Every input a fuzzer crashed natlog with stays in testdata/fuzz/<harness>/
# for good: `natlog import` must finish each one (exit 0 or 3, never a
# crash or 4), and the harness itself, built without libFuzzer
# ($BUILD/fuzz/replay-<harness>, `make fuzz-replay`), must pass on them.
. "$(dirname "$0")/lib.sh"

B=${BUILD:-$ROOT/build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
found=0
for dir in "$TD"/fuzz/*/; do
	[ -d "$dir" ] || continue
	h=$(basename "$dir")
	for f in "$dir"*; do
		[ -f "$f" ] || continue
		found=1
		rm -f "$NATLOG_DB" "$NATLOG_DB-wal" "$NATLOG_DB-shm"
		"$NATLOG" import -q "$f" > "$TMP/out" 2> "$TMP/err"
		rc=$?
		if [ $rc -eq 0 ] || [ $rc -eq 3 ]; then
			ok "import of fuzz/$h/$(basename "$f") finishes (exit $rc)"
		else
			not_ok "import of fuzz/$h/$(basename "$f") (exit $rc, wanted 0 or 3)"
			sed 's/^/    /' "$TMP/err" | head -20
		fi
	done
	if [ -x "$B/fuzz/replay-$h" ]; then
		check "the $h harness passes on fuzz/$h/" "$B/fuzz/replay-$h" "$dir"
	else
		skip "no $B/fuzz/replay-$h to replay fuzz/$h/ (make fuzz-replay)"
	fi
done
[ $found = 1 ] || skip "no inputs in testdata/fuzz/"
finish
