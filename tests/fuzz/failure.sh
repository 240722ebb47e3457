#!/bin/sh
# failure.sh NAME LOG: what a failed fuzz run found, whole enough to
# reproduce from a CI log alone: the sanitizer's or libFuzzer's report (a
# timeout, out-of-memory or deadly signal included) and each input it
# saved, gzipped and base64-encoded when small; to replay one:
#   base64 -d | gunzip > in; build/fuzz/replay-NAME in
name=$1 log=$2
echo "fuzz: $name: report"
report=$(grep -E -A14 '^==[0-9]+== ?ERROR|runtime error|fuzz invariant|^ALARM|libFuzzer: (timeout|out-of-memory|deadly signal|fuzz target exited)' "$log" | head -40)
if [ -n "$report" ]; then
	printf '%s\n' "$report"
else
	tail -n 20 "$log"
fi
# the inputs this run saved, as libFuzzer names them in its log
sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | while read -r f; do
	[ -f "$f" ] || continue
	size=$(wc -c < "$f")
	echo "fuzz: $name: input $f, $size bytes"
	if [ "$size" -le 65536 ]; then
		echo "--- gzip | base64"
		gzip -9c < "$f" | base64
		echo "---"
	fi
done
