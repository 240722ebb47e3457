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
nftjson)	# the lab's `nft -j list ruleset` dumps, and nftables' own tests' ones
		put "$TD"/*/*.json "$TD"/lab/*/*.json
		find "$TD"/nft-tests -name '*.json-nft' | sort | while read -r f; do put "$f"; done ;;
nfttrace)	cut40 "$TD"/seed000/trace.txt "$TD"/lab/*/nft-monitor-trace*.txt ;;
xtmon)		cut40 "$TD"/lab/*/xtables-monitor*.txt ;;
conntrack)	cut40 "$TD"/conntrack/*conntrack*.txt "$TD"/lab/*/*conntrack-*.txt ;;
ovsct)		put "$TD"/real/ovs-*dump-conntrack*.txt "$TD"/real/antrea-ovs-dump-conntrack*.txt \
			"$TD"/real/ovn-*-dump-conntrack*.txt ;;
ulogjson)	put "$TD"/real/ulogd-json*.json ;;
sections)	put "$TD"/real/supportconfig-*.txt "$TD"/real/pvereport-*.txt ;;
pcap)		put "$TD"/pcap/*.pcap* "$TD"/lab/*/*.pcap "$TD"/lab/*/*.pcapng ;;
sysctl)		put "$TD"/trust/*.sysctl "$TD"/trust/*/sos_commands/kernel/sysctl_-a ;;
ebtables)	put "$TD"/real/*ebtables-L*.txt ;;
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
ingest)
	# a first byte (the read block, fuzz_ingest.c) and a file: the lab's logs
	# with every line end, NUL-led, in each compression, cut, and archived
	python3 - "$TD" "$out" <<'PY'
import bz2, gzip, io, lzma, subprocess, sys, tarfile, zipfile
td, out = sys.argv[1], sys.argv[2]
lab = td + "/lab/docker-legacy/"
log = b"".join(open(lab + "messages", "rb").readlines()[:12])
dm = b"".join(open(lab + "dmesg.txt", "rb").readlines()[:12])
save = open(lab + "iptables-save.txt", "rb").read()
lines = log.split(b"\n")[:-1]
def put(name, block, data):
    open(out + "/seed-" + name, "wb").write(bytes([block]) + data)
def zst(b):
    try:
        return subprocess.run(["zstd", "-q", "-c"], input=b, capture_output=True, check=True).stdout
    except Exception:
        return b""
put("lf", 7, log)
put("crlf-64", 0, b"".join(l + b"\r\n" for l in lines))
put("cr-65", 1, b"".join(l + b"\r" for l in lines))
put("mixed-127", 2, b"".join(l + (b"\n", b"\r\n", b"\r")[i % 3] for i, l in enumerate(lines)))
put("nul-led-512", 3, b"\0" * 700 + dm)
put("save", 4, save)
put("gz", 5, gzip.compress(log, mtime=0))
put("gz-cut", 0, gzip.compress(dm, mtime=0)[:600])
put("gz-twice", 6, gzip.compress(log, mtime=0) + gzip.compress(dm, mtime=0))
put("gz-nul", 7, gzip.compress(b"\0" * 512 + log, mtime=0))
put("xz", 5, lzma.compress(log))
put("xz-cut", 1, lzma.compress(dm)[:500])
put("bz2", 5, bz2.compress(log))
put("bz2-cut", 2, bz2.compress(dm)[:700])
put("zst", 5, zst(log))
put("zst-cut", 3, zst(dm)[:500])
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    for name, data in (("sosreport-n1-2026-11-20-abc/var/log/messages", log),
                       ("sosreport-n1-2026-11-20-abc/var/log/messages.1.gz", gzip.compress(dm, mtime=0)),
                       ("sosreport-n1-2026-11-20-abc/sos_commands/iptables-save", save)):
        ti = tarfile.TarInfo(name); ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
tar = b.getvalue()
put("tar", 7, tar)
put("tar-gz", 5, gzip.compress(tar, mtime=0))
put("tar-xz-cut", 6, lzma.compress(tar)[:1500])
inner = io.BytesIO()
with tarfile.open(fileobj=inner, mode="w") as t:
    for i in range(3):
        d = gzip.compress(tar, mtime=0)
        ti = tarfile.TarInfo("copy%d.tar.gz" % i); ti.size = len(d)
        t.addfile(ti, io.BytesIO(d))
put("tar-of-copies", 7, zst(inner.getvalue()))
z = io.BytesIO()
with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
    f.writestr("kern.log", log)
    f.writestr("dmesg.gz", gzip.compress(dm, mtime=0))
put("zip", 7, z.getvalue())
PY
	;;
*)	echo "seeds.sh: no seeds for harness '$h'" >&2 ;;
esac
if [ -d "$TD/fuzz/$h" ]; then
	for f in "$TD/fuzz/$h"/*; do
		[ -f "$f" ] && cp "$f" "$out/regression-$(basename "$f")"
	done
fi
exit 0
