#!/bin/sh
# seeds.sh HARNESS DIR - puts the seed inputs of one fuzz harness into DIR
# (its corpus), from testdata/: the real recordings of each format, long
# logs cut into pieces of 40 lines (small inputs fuzz faster), plus the
# crash inputs kept in testdata/fuzz/HARNESS (and, for the kernel log, one
# line of each envelope tests/unit/test_klog.c checks). Files already in
# DIR stay: the corpus grows from run to run. Used by `make fuzz`.
set -eu
h=$1
out=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TD=$ROOT/testdata
mkdir -p "$out"

# put FILE...: each file whole, named after its path
put() {
	for f in "$@"; do
		[ -f "$f" ] || continue
		cp "$f" "$out/seed-$(echo "${f#"$TD"/}" | tr '/' '_')"
	done
}
# cut FILE...: each file in pieces of 40 lines
cut40() {
	for f in "$@"; do
		[ -f "$f" ] || continue
		split -l 40 -a 3 "$f" "$out/seed-$(echo "${f#"$TD"/}" | tr '/' '_')."
	done
}

case $h in
klog)		cut40 "$TD"/seed003/messages "$TD"/lab/*/dmesg*.txt "$TD"/lab/*/messages "$TD"/trust/*.dmesg "$TD"/trust/*.log
		# one line of each envelope the unit test knows (journal JSON, kmsg, ...)
		grep -E '^[[:space:]]*\{ ".*IN=' "$ROOT/tests/unit/test_klog.c" |
			sed -e 's/^[[:space:]]*{ "//' -e 's/",[[:space:]]*$//' -e 's/\\"/"/g' |
			split -l 1 -a 3 - "$out/seed-envelope." ;;
iptsave)	put "$TD"/*/iptables-save*.txt "$TD"/lab/*/ip*tables-save*.txt ;;
iptlist)	put "$TD"/lab/*/ip*tables-L-*.txt ;;
nftrules)	put "$TD"/*/*.nft "$TD"/lab/*/nft-ruleset*.txt ;;
nftjson)	put "$TD"/*/*.json "$TD"/lab/*/*.json ;;
nfttrace)	cut40 "$TD"/seed000/trace.txt "$TD"/lab/*/nft-monitor-trace*.txt ;;
xtmon)		cut40 "$TD"/lab/*/xtables-monitor*.txt ;;
conntrack)	cut40 "$TD"/conntrack/*conntrack*.txt "$TD"/lab/*/*conntrack-*.txt ;;
pcap)		put "$TD"/pcap/*.pcap* "$TD"/lab/*/*.pcap "$TD"/lab/*/*.pcapng ;;
sysctl)		put "$TD"/trust/*.sysctl "$TD"/trust/*/sos_commands/kernel/sysctl_-a ;;
pipeline)
	# a log and the dumps that explain it, as one input of several files
	# (fuzz_pipeline.c: a line "--8<-- NAME" starts the next file)
	for d in "$TD"/seed000 "$TD"/seed003 "$TD"/lab/*; do
		n=$(basename "$d")
		for log in dmesg.txt messages trace.txt nft-monitor-trace.txt xtables-monitor-trace.txt; do
			[ -f "$d/$log" ] || continue
			{
				head -n 30 "$d/$log"
				for dump in iptables-save.txt ip6tables-save.txt iptables-L-nat.txt \
					    iptables-L-filter.txt nft-ruleset.txt ruleset.nft ruleset.json \
					    nft-ruleset.json conntrack-L.txt inside.pcap; do
					[ -f "$d/$dump" ] || continue
					echo "--8<-- $dump"
					cat "$d/$dump"
				done
			} > "$out/seed-$n-$log"
		done
	done
	# a compressed log and a small sosreport-like bundle (read through libarchive)
	d=$TD/lab/docker-legacy
	if [ -f "$d/messages" ] && command -v gzip >/dev/null && command -v tar >/dev/null; then
		head -n 20 "$d/messages" | gzip -n > "$out/seed-messages.gz"
		t=$(mktemp -d "${TMPDIR:-/tmp}/natlog-seeds.XXXXXX")
		b=sosreport-node7-2026-11-20-abcdefg
		mkdir -p "$t/$b/var/log" "$t/$b/sos_commands/networking"
		head -n 20 "$d/messages" > "$t/$b/var/log/messages"
		cp "$d/iptables-save.txt" "$t/$b/sos_commands/networking/iptables-save"
		tar -C "$t" -cf - "$b" | gzip -n > "$out/seed-sosreport.tar.gz"
		rm -rf "$t"
	fi
	;;
*)	echo "seeds.sh: no seeds for harness '$h'" >&2 ;;
esac
if [ -d "$TD/fuzz/$h" ]; then
	for f in "$TD/fuzz/$h"/*; do
		[ -f "$f" ] && cp "$f" "$out/regression-$(basename "$f")"
	done
fi
exit 0
