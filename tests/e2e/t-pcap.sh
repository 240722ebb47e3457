#!/bin/sh
# Captures end to end: `natlog import` recognises pcap and pcapng by their
# content and stores one event per IP packet, which tcpdump counts
# independently (other packets, ARP, are counted as skipped); damage is
# reported with the packet number and the packets before it are kept.
. "$(dirname "$0")/lib.sh"

if ! command -v tcpdump >/dev/null 2>&1; then
	skip "captures end to end: tcpdump is not installed, so nothing counts the packets independently (apt-get install tcpdump)"
	finish
fi

for f in lab/interleaved/outside.pcap lab/ipv6/inside.pcapng lab/ct-invalid/inside.pcap \
	pcap/sll2.pcap pcap/nflog.pcap pcap/vlan.pcapng pcap/frag.pcap pcap/raw.pcap; do
	db=$TMP/$(echo "$f" | tr / _).db
	check "import $f" env NATLOG_DB="$db" "$NATLOG" import -q "$TD/$f"
	tcpdump -nn -r "$TD/$f" > "$TMP/tcpdump.txt" 2>/dev/null
	total=$(wc -l < "$TMP/tcpdump.txt")
	ip=$(grep -cE ' IP6? ' "$TMP/tcpdump.txt")
	NATLOG_DB=$db "$NATLOG" sources --json > "$TMP/src.json"
	check_json "$f: kind pcap, $ip events for tcpdump's $ip IP packets, the other $((total - ip)) skipped" \
		"len(j) == 1 and j[0]['kind'] == 'pcap' and j[0]['events'] == $ip and j[0]['events'] + j[0]['skipped'] == $total and j[0]['errors'] == 0 and j[0]['size'] == $(wc -c < "$TD/$f")" < "$TMP/src.json"
done

# A capture cut inside its 13th record.
head -c 1000 "$TD/pcap/raw.pcap" > "$TMP/cut.pcap"
check_status "a truncated capture imports what it can and exits 3" 3 "$NATLOG" import "$TMP/cut.pcap"
check_grep "the error names the file and the packet" "cut.pcap:13: error: truncated file" "$TMP/err"
"$NATLOG" errors --json > "$TMP/errors.json"
check_json "natlog errors lists it once, at packet 13" \
	'len(j) == 1 and j[0]["line"] == 13 and j[0]["reason"].startswith("truncated file: it ends inside the record after packet 12")' < "$TMP/errors.json"
"$NATLOG" sources --json > "$TMP/src.json"
check_json "the 12 packets before the cut were kept" \
	'[(s["kind"], s["events"], s["errors"]) for s in j] == [("pcap", 12, 1)]' < "$TMP/src.json"
# The lab's capture as a snap length of 40 bytes (editcap -s 40) would
# have kept it: each packet keeps its IP fields, its cut transport header
# marked as tcpdump marks it.
python3 - "$TD/lab/interleaved/outside.pcap" "$TMP/s40.pcap" <<'EOF'
import struct, sys
b = open(sys.argv[1], 'rb').read()
out, o = bytearray(b[:16]) + struct.pack('<II', 40, struct.unpack('<I', b[20:24])[0]), 24
while o + 16 <= len(b):
    ts, tf, cl, ol = struct.unpack('<IIII', b[o:o + 16])
    out += struct.pack('<IIII', ts, tf, min(cl, 40), ol) + b[o + 16:o + 16 + min(cl, 40)]
    o += 16 + cl
open(sys.argv[2], 'wb').write(out)
EOF
tcpdump -nn -r "$TMP/s40.pcap" 2>/dev/null > "$TMP/s40.txt"
ip=$(grep -c ' IP ' "$TMP/s40.txt")
tcp=$(grep -c '\[|tcp\]' "$TMP/s40.txt")
udp=$(grep -c '\[|udp\]' "$TMP/s40.txt")
check "a capture cut to 40 bytes a packet imports without error" env NATLOG_DB="$TMP/s40.db" "$NATLOG" import -q "$TMP/s40.pcap"
NATLOG_DB="$TMP/s40.db" "$NATLOG" sql --json "SELECT extra, count(*) AS n, count(src) AS src, count(sport) AS sport FROM events GROUP BY extra ORDER BY extra" > "$TMP/s40.json"
check_json "all $ip IP packets kept with addresses and ports, $tcp marked [|tcp] and $udp [|udp] as tcpdump marks them" \
	"$ip == 239 and [(r['extra'], int(r['n']), int(r['src']), int(r['sport'])) for r in j] == [('[|tcp]', $tcp, $tcp, $tcp), ('[|udp]', $udp, $udp, $udp)] and $tcp + $udp == $ip" < "$TMP/s40.json"

# A capture cut inside its 24-byte file header is still a capture.
head -c 10 "$TD/pcap/raw.pcap" > "$TMP/head.pcap"
check_status "a capture cut inside its file header exits 3" 3 "$NATLOG" import "$TMP/head.pcap"
check_grep "it is called a cut capture header" "head.pcap: error: truncated capture header" "$TMP/err"
"$NATLOG" sources --json > "$TMP/src.json"
check_json "and recorded as a capture, not as a kernel log" \
	'[(s["kind"], s["errors"]) for s in j if s["path"].endswith("head.pcap")] == [("pcap", 1)]' < "$TMP/src.json"
check "importing the whole capture is a new source" "$NATLOG" import -q "$TD/pcap/raw.pcap"
check "and the same capture again is not" "$NATLOG" import "$TD/pcap/raw.pcap"
check_grep "it says it was imported before" "imported before" "$TMP/err"
finish
