#!/usr/bin/env bash
# record-all.sh [DEST [SCENARIO...]]: run every lab scenario (or the ones
# named) into DEST/<scenario>/ (default: testdata/lab/ of this repository).
# Prints one line per scenario; exits non-zero if any failed.  Needs root.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-$here/../../testdata/lab}
shift || true
all=(docker-legacy nft-set-drop xtables-nft ct-invalid ct-invalid-nft ipv6 interleaved udp-icmp log-target stale-dump stale-insert stale-delete nft-bridge nft-bridge-reply three-hosts two-dumps counted-dumps rewind log-dnat loopback)
if [ $# -gt 0 ]; then scenarios=("$@"); else scenarios=("${all[@]}"); fi

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
logdir=$(mktemp -d "${TMPDIR:-/tmp}/natlog-lab-logs.XXXXXX")
trap 'rm -rf "$logdir"' EXIT
trap 'echo "record-all: interrupted" >&2; exit 130' INT TERM

failed=0
for s in "${scenarios[@]}"; do
	script=$here/scenario-$s.sh
	if [ ! -x "$script" ]; then
		printf 'FAIL  %-14s no such scenario\n' "$s"
		failed=1
		continue
	fi
	start=$SECONDS
	if timeout --foreground -k 10 300 "$script" "$dest/$s" >"$logdir/$s.log" 2>&1; then
		printf 'ok    %-14s %3d s  %s\n' "$s" $((SECONDS - start)) "$(ls "$dest/$s" | wc -l) files, $(du -sk "$dest/$s" | cut -f1) KB"
	else
		printf 'FAIL  %-14s %3d s  (log follows)\n' "$s" $((SECONDS - start))
		sed 's/^/      /' "$logdir/$s.log" | tail -n 25
		failed=1
	fi
done
exit $failed
