#!/bin/sh
# natlog flows stays under 64 MB of peak RSS (/usr/bin/time's %M) over
# 220000 connections of captures and traces: 200000 captured alone (a SYN
# and its SYN-ACK each) and 20000 traced through a DNAT whose frames after
# the NAT were captured too, each of those one connection of the trace and
# the capture. Built in memory, the connections took over 200 MB.
. "$(dirname "$0")/lib.sh"

rss_limit

python3 - "$TMP/c.pcap" "$TMP/dmesg.txt" <<'EOF_PY'
import struct, sys
CAPTURED, TRACED = 200000, 20000

def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def frame(ts, src, dst, sp, dp, flags, seq, ack, ipid):
    tcp = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 5 << 4, flags, 64240, 0, 0)
    tcp = tcp[:16] + struct.pack("!H", csum(src + dst + struct.pack("!BBH", 0, 6, 20) + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, ipid, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    fr = b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00" + ip + tcp
    return struct.pack("<IIII", ts // 1000000, ts % 1000000, len(fr), len(fr)) + fr

def client(i):
    return bytes((10, (i >> 16) & 255, (i >> 8) & 255, i & 255)), 1024 + i % 60000

srv, web = bytes((192, 0, 2, 1)), bytes((10, 77, 2, 2))
t0 = 1772323200 * 1000000
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    out = []
    for i in range(CAPTURED):
        c, cp = client(i)
        out.append(frame(t0 + i * 1000, c, srv, cp, 443, 0x02, i, 0, i & 0xffff))
        out.append(frame(t0 + i * 1000 + 100, srv, c, 443, cp, 0x12, 7, i + 1, 0))
        if len(out) >= 8192:
            f.write(b"".join(out))
            out = []
    # the traced connections after DNAT, as the server side saw them
    for i in range(TRACED):
        c, cp = client(CAPTURED + i)
        out.append(frame(t0 + 300000000 + i * 1000, c, web, cp, 80, 0x02, 5 + i, 0, 1 + i))
        out.append(frame(t0 + 300000000 + i * 1000 + 100, web, c, 80, cp, 0x12, 9, 6 + i, 0))
    f.write(b"".join(out))
line = ("[%d.%06d] TRACE: %s IN=eth0 OUT=%s SRC=%s DST=%s LEN=40 TOS=0x00 PREC=0x00 TTL=64 "
        "ID=%d DF PROTO=TCP SPT=%d DPT=%d SEQ=%d ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0\n")
with open(sys.argv[2], "w") as f:
    for i in range(TRACED):
        c, cp = client(CAPTURED + i)
        a = "10.%d.%d.%d" % tuple(c[1:])
        f.write(line % (100 + i, 0, "nat:PREROUTING:rule:1", "", a, "198.51.100.1", 1 + i, cp, 8080, 5 + i))
        f.write(line % (100 + i, 10, "filter:FORWARD:policy:1", "eth1", a, "10.77.2.2", 1 + i, cp, 80, 5 + i))
EOF_PY
check "import of 420000 captured frames" "$NATLOG" import -q "$TMP/c.pcap"
check "import of 20000 traced packets" "$NATLOG" import -q "$TMP/dmesg.txt"
rm -f "$TMP/c.pcap" "$TMP/dmesg.txt"

/usr/bin/time -f %M -o "$TMP/rss" "$NATLOG" flows --json >"$TMP/flows" 2>"$TMP/err"
rc=$?
kb=$(tail -n 1 "$TMP/rss")
if [ $rc -eq 0 ] && [ "$kb" -le $LIMIT ] 2>/dev/null; then ok "natlog flows --json over them ($kb KB)"; else
	not_ok "natlog flows --json over them (exit $rc, peak $kb KB, limit $LIMIT KB)"
	sed 's/^/    /' "$TMP/err" | head -10
fi
n=$(grep -c '"proto": "tcp"' "$TMP/flows")
if [ "$n" -eq 220000 ]; then ok "220000 connections"; else not_ok "$n connections, wanted 220000"; fi
n=$(grep -c '"sources": \["trace", "capture"\]' "$TMP/flows")
if [ "$n" -eq 20000 ]; then ok "each traced one joined by its frames after the DNAT"; else
	not_ok "$n connections of a trace and a capture, wanted 20000"; fi
sed -n 1p "$TMP/flows" > "$TMP/first"
check_grep "in time order: the first captured connection first, both its frames" \
	'"orig": {"src": "10.0.0.0", "sport": 1024, "dst": "192.0.2.1", "dport": 443}.*"captured": 2}' "$TMP/first"
grep -F '"src": "10.3.13.64"' "$TMP/flows" > "$TMP/traced"
check_grep "a traced connection: its DNAT, its packet and its two frames" \
	'"dst": "198.51.100.1", "dport": 8080}.*"translated": {"src": "10.3.13.64", "sport": 21024, "dst": "10.77.2.2", "dport": 80}, "nat": "dnat".*"traced": 1, "traced_reply": 0, "captured": 2}' "$TMP/traced"
finish
