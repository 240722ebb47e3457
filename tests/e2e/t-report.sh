#!/bin/sh
# Pictures of a packet's path: explain --svg/--dot and the HTML report,
# escaped whatever the input holds, and rendered by a real browser
# (chromium, headless): the DOM has the chain boxes and the deciding rule,
# and the screenshot shows the drop in red.
. "$(dirname "$0")/lib.sh"
L=$TD/lab
first() { python3 -c 'import json,sys; j=json.load(sys.stdin); print(j[0]["trace"] if j else "none")'; }
BROWSER=$(command -v chromium || echo "chromium is not installed (sh tests/deps.sh)")
export HOME="$TMP"	# chromium keeps its profile there
browse() {	# browse OUT ARGS...: chromium headless on a page, its DOM or a screenshot
	o=$1; shift
	timeout 60 "$BROWSER" --headless --no-sandbox --disable-gpu --user-data-dir="$TMP/chromium" \
		--hide-scrollbars "$@" > "$o" 2>"$TMP/chromium.err"
}
# png_has FILE R G B: the screenshot has a pixel of this colour (a PNG
# decoder in plain Python: 8-bit RGB or RGBA, the five filters)
cat > "$TMP/png.py" <<'EOF'
import struct, sys, zlib
def pixels(path):
    d = open(path, "rb").read()
    assert d[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(d):
        n, t = struct.unpack(">I4s", d[pos:pos + 8])
        body = d[pos + 8:pos + 8 + n]
        if t == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif t == b"IDAT":
            idat += body
        pos += 12 + n
    bpp = {2: 3, 6: 4}[ctype]
    assert depth == 8
    raw, stride, prev, out = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(line)
        prev = line
    return w, h, bpp, out
w, h, bpp, rows = pixels(sys.argv[1])
want = tuple(int(v) for v in sys.argv[2:5])
sys.exit(0 if any(tuple(r[i:i + 3]) == want for r in rows for i in range(0, len(r), bpp)) else 1)
EOF

# Hostile input: an interface name, a LOG prefix, a rule comment, a file
# name and a line natlog cannot use, with markup, quotes and a control byte.
ESC=$(printf '\033')
cat > "$TMP/rules.txt" <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -i x<script>& -j LOG --log-prefix "<script>\"pfx "
-A FORWARD -i x<script>& -m comment --comment "<script>alert(\"'&amp;\")</script>" -j DROP
COMMIT
EOF
P='SRC=10.9.0.2 DST=10.9.1.2 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=4242 DF PROTO=TCP SPT=40000 DPT=22 SEQ=1 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0'
M='MAC=4e:33:41:b1:a3:99:66:c4:48:ca:52:f8:08:00'
K="$TMP/dmesg<i>\"&.txt"
cat > "$K" <<EOF
[  100.000200] TRACE: filter:FORWARD:rule:1 IN=x<script>& OUT=eth1 $M $P
[  100.000250] <script>"pfx$ESC IN=x<script>& OUT=eth1 $M $P
[  100.000300] TRACE: filter:FORWARD:rule:2 IN=x<script>& OUT=eth1 $M $P
[  100.000400] TRACE: filter:FORWARD:rule:<script>"x IN=eth0 OUT= SRC=10.9.0.2 DST=10.9.1.2 LEN=60 PROTO=TCP SPT=1 DPT=2
EOF
export NATLOG_DB="$TMP/hostile.db"
check_status "import input with markup in names, prefixes and comments (one line unusable)" 3 \
	"$NATLOG" import -q "$TMP/rules.txt" "$K"
id=$("$NATLOG" traces --json | first)
check "explain --svg -o writes the drawing" "$NATLOG" explain --trace "$id" --svg -o "$TMP/h.svg"
"$NATLOG" explain --trace "$id" --dot > "$TMP/h.dot"
check "report -o writes the page" "$NATLOG" report -o "$TMP/h.html"
for f in h.svg h.dot h.html; do
	if grep -qi '<script\|"pfx\|<\/script' "$TMP/$f"; then
		not_ok "$f: no input string raw"; grep -io '.\{20\}<script.\{20\}' "$TMP/$f" | head -3
	else ok "$f: no input string raw"; fi
	check_grep "$f: the interface, prefix and comment are there, escaped" \
		'x&lt;script&gt;&amp;.*' "$TMP/$f"
	check_grep "$f: the comment's quotes are escaped" 'alert(\\&quot;&#39;&amp;amp;' "$TMP/$f"
	if LC_ALL=C grep -q "$ESC" "$TMP/$f"; then not_ok "$f: no control byte raw"; else
		ok "$f: no control byte raw"; fi
done
check_grep "the control byte is shown as \\x1b" 'pfx\\x1b' "$TMP/h.svg"
check_grep "the page lists the unusable line, escaped" 'rule:&lt;script&gt;&quot;x IN=eth0' "$TMP/h.html"
check_grep "the page lists the input file, its name escaped" 'dmesg&lt;i&gt;&quot;&amp;.txt</code>' "$TMP/h.html"
check "the drawing is well-formed XML" python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$TMP/h.svg"
browse "$TMP/h.dom" --dump-dom "file://$TMP/h.html"
if grep -q '<script' "$TMP/h.dom"; then not_ok "the browser's DOM of the page has no script element"; else
	ok "the browser's DOM of the page has no script element"; fi
check_grep "the browser shows the hostile comment as text" '&lt;script&gt;alert' "$TMP/h.dom"

# Usage.
check_status "--svg and --json together: usage" 2 "$NATLOG" explain --trace "$id" --svg --json
check_status "-o without --svg or --dot: usage" 2 "$NATLOG" explain --trace "$id" -o "$TMP/x"
check_status "report --verdict checks its value" 2 "$NATLOG" report --verdict nope
check_status "report --max-paths checks its value" 2 "$NATLOG" report --max-paths -1
check_status "an unwritable -o: I/O failure" 4 "$NATLOG" report -o "$TMP/no/such/dir.html"

# The lab's nft set drop: the element is missing from the set.
export NATLOG_DB="$TMP/nft.db"
S=$L/nft-set-drop
check "import nft-set-drop" "$NATLOG" import -q "$S/nft-monitor-trace-a.txt" "$S/nft-ruleset.before-add.txt" \
	"$S/outside.pcap" "$S/inside.pcap"
id=$("$NATLOG" traces --json --verdict drop | first)
"$NATLOG" explain --trace "$id" --svg > "$TMP/sd.svg"
browse "$TMP/sd.dom" --dump-dom "file://$TMP/sd.svg"
check_grep "chromium reads the drawing as SVG" '^<svg xmlns' "$TMP/sd.dom"
check_json "the SVG DOM has a box per chain and a row per rule hit" \
	'j[0] == 4 and j[1] == 5' <<EOF
[$(grep -c '<g class="chainbox">' "$TMP/sd.dom"), $(grep -c '<g class="step">' "$TMP/sd.dom")]
EOF
check_grep "the SVG shows the deciding rule, highlighted" '<rect class="decided bad"' "$TMP/sd.dom"
check_grep "the SVG names the deciding rule by position and handle" '>rule 2 handle 7<' "$TMP/sd.dom"
check_grep "the SVG shows the failed set lookup" '10.77.2.10 . 22 is not in set inet filter allow_in' "$TMP/sd.dom"
check_grep "the SVG shows the DNAT where it happened" 'DNAT dst: 10.77.1.1:1222 → 10.77.2.10:22' "$TMP/sd.dom"
check_grep "the SVG shows capture evidence" 'not seen in .*inside.pcap' "$TMP/sd.dom"
browse "$TMP/sd.out" --screenshot="$TMP/sd.png" --window-size=1114,640 "file://$TMP/sd.svg"
check "the screenshot of the drawing has the red DROP (#cf222e)" python3 "$TMP/png.py" "$TMP/sd.png" 207 34 46
check "and the deciding rule's red fill (#ffebe9)" python3 "$TMP/png.py" "$TMP/sd.png" 255 235 233
"$NATLOG" explain --trace "$id" --dot > "$TMP/sd.dot"
check_grep "the DOT graph has the chain and its drop" 'inet filter allowed_dnats' "$TMP/sd.dot"
check "report -o on the lab" "$NATLOG" report -o "$TMP/sd.html"
browse "$TMP/sdr.dom" --dump-dom "file://$TMP/sd.html"
check_grep "the page loads in the browser" '<h1>natlog report</h1>' "$TMP/sdr.dom"
check_json "every drop's path is drawn" 'j == 3' <<EOF
$(grep -c '<svg xmlns' "$TMP/sdr.dom")
EOF
check_grep "drops are grouped by their deciding rule" '<td class="n">3</td><td><code class="loc">inet filter:allowed_dnats:rule:2 handle 7' "$TMP/sdr.dom"
check_grep "the drop's group says why: the failed set lookup" '<td>10.77.2.10 . 22 is not in set inet filter allow_in<br>so rule 1 of inet filter allowed_dnats' "$TMP/sdr.dom"
check_grep "the page lists the inputs" 'nft-ruleset.before-add.txt' "$TMP/sdr.dom"
if grep -q 'src="http\|href="http\|<link\|<script\|@import\|url(http' "$TMP/sd.html"; then
	not_ok "the page fetches nothing"; else ok "the page fetches nothing"; fi
"$NATLOG" report --max-paths 1 > "$TMP/one.html"
check_grep "--max-paths caps the drawings and says so" 'the first 1 of 3 dropped packets are drawn' "$TMP/one.html"
check_grep "a drawn drop's trace links to its drawing, the others do not" \
	"<code><a href=\"#path-$id\">$id</a> [0-9a-f]* [0-9a-f]*</code>" "$TMP/one.html"
check_json "--max-paths 1 draws one" 'j == 1' <<EOF
$(grep -c '<svg xmlns' "$TMP/one.html")
EOF
"$NATLOG" report --verdict accept > "$TMP/acc.html"
check_json "--verdict accept: no drop to draw, five packets" 'j == [0, 1]' <<EOF
[$(grep -c '<svg' "$TMP/acc.html"), $(grep -c '<b>5</b>packets' "$TMP/acc.html")]
EOF
browse "$TMP/sdr.out" --screenshot="$TMP/phone.png" --window-size=390,900 "file://$TMP/sd.html"
check "the page renders on a phone-sized screen" python3 "$TMP/png.py" "$TMP/phone.png" 207 34 46

# Docker (legacy iptables): the FORWARD policy drops the published port.
export NATLOG_DB="$TMP/docker.db"
D=$L/docker-legacy
check "import docker-legacy" "$NATLOG" import -q "$D/dmesg.txt" "$D/iptables-save.txt" "$D/outside.pcap" "$D/inside.pcap"
id=$("$NATLOG" traces --json --verdict drop | first)
"$NATLOG" explain --trace "$id" --svg -o "$TMP/dk.svg"
browse "$TMP/dk.dom" --dump-dom "file://$TMP/dk.svg"
check_grep "the Docker SVG has the DOCKER-USER box" '>filter DOCKER-USER<' "$TMP/dk.dom"
check_grep "the Docker SVG shows the deciding policy" '>policy (filter:FORWARD:policy:7)<' "$TMP/dk.dom"
check_grep "the Docker SVG draws returns as dashed arrows" 'class="arr ret"' "$TMP/dk.dom"
check_grep "the Docker SVG shows Docker's DNAT" 'DNAT dst: 10.77.1.1:9090 → 10.77.2.2:8081' "$TMP/dk.dom"
"$NATLOG" report -o "$TMP/dk.html"
browse "$TMP/dkr.dom" --dump-dom "file://$TMP/dk.html"
check_grep "the Docker report groups the drops under the FORWARD policy, and says why" '<td class="n">3</td><td><code class="loc">filter:FORWARD:policy:7</code></td><td><code>policy DROP</code></td><td>no rule of filter FORWARD' "$TMP/dkr.dom"

# Across hosts: the client's SYN traced again on the server (hops).
export NATLOG_DB="$TMP/hosts3.db"
T=$L/three-hosts
for h in client gateway server; do
	"$NATLOG" import -q --host "$h" $(awk -v h="$h" -v d="$T" '$2 == h { print d "/" $1 }' "$T/hosts.tsv")
done
id=$("$NATLOG" traces --json --port 8080 --host client | first)
"$NATLOG" explain --trace "$id" --svg -o "$TMP/h3.svg"
browse "$TMP/h3.dom" --dump-dom "file://$TMP/h3.svg"
check_json "the hops' paths are drawn host after host, each with its chains" 'j == [1, 1, 2, 4]' <<EOF
[$(grep -c '>host client: trace .*this packet<' "$TMP/h3.dom"), $(grep -c '>host server: trace' "$TMP/h3.dom"),
 $(grep -c '<g class="verdict">' "$TMP/h3.dom"), $(grep -c '<g class="chainbox">' "$TMP/h3.dom")]
EOF
n=$("$NATLOG" traces --json --host server | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
"$NATLOG" report --host server -o "$TMP/server.html"
check_json "report --host keeps that host's packets only" "j == [1, 0, $n]" <<EOF
[$(grep -c "<div class=\"card\"><b>$n</b>packets</div>" "$TMP/server.html"), $(grep -c '<td>client</td><td class="mono">' "$TMP/server.html"), $n]
EOF

# Many packets: the page is made in two passes over them, counting and
# keeping its 500 rows and the drop groups' first packets, not every
# packet in memory (28 000 packets took about 76 MB, a million 2.6 GB).
rss_limit
repeat_lab "$TMP/many.log" 500
export NATLOG_DB="$TMP/many.db"
"$NATLOG" import -q "$L/interleaved/iptables-save.txt" "$TMP/many.log"
n=$("$NATLOG" sql "SELECT count(*) FROM packets" | tail -1)
check "($n packets)" test "$n" -ge 28000
check_rss "report over them stays within the memory bound" "$NATLOG" report -o "$TMP/many.html"
check_grep "and counts them all" "<div class=\"card\"><b>$n</b>packets</div>" "$TMP/many.html"
check_grep "lists the first 500" "$((n - 500)) more packets not shown" "$TMP/many.html"

# drops by 1100 rules, one packet each: the first 1000 rules listed, the
# drops of the others counted
python3 - "$TMP/drops.txt" "$TMP/drops.log" <<'PY'
import sys
N = 1100
with open(sys.argv[1], "w") as f:
    f.write("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:DROPS - [0:0]\n"
            "-A FORWARD -j DROPS\n")
    for i in range(N):
        f.write("-A DROPS -s 10.9.%d.%d/32 -j DROP\n" % (i // 250, i % 250 + 1))
    f.write("COMMIT\n")
with open(sys.argv[2], "w") as f:
    for i in range(N):
        hdr = ("IN=eth0 OUT=eth1 MAC=02:00:00:00:00:01:02:00:00:00:00:02:08:00 SRC=10.9.%d.%d "
               "DST=10.77.2.2 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=%d DF PROTO=TCP SPT=%d DPT=80 "
               "SEQ=%d ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 " % (i // 250, i % 250 + 1, 1000 + i, 40000 + i, 5000 + i))
        f.write("[%12.6f] TRACE: filter:FORWARD:rule:1 %s\n" % (100 + i * 0.01, hdr))
        f.write("[%12.6f] TRACE: filter:DROPS:rule:%d %s\n" % (100 + i * 0.01 + 0.000001, i + 1, hdr))
PY
export NATLOG_DB="$TMP/drops.db"
"$NATLOG" import -q "$TMP/drops.txt" "$TMP/drops.log"
eq "(1100 packets, each dropped by a rule of its own)" "1100 1100" \
	"$("$NATLOG" sql "SELECT count(*), count(DISTINCT decided_position) FROM packets WHERE verdict = 'drop'" | tail -1 | tr '\t' ' ')"
"$NATLOG" report --max-paths 2 -o "$TMP/drops.html"
eq "report lists the first 1000 deciding rules" 1000 "$(grep -c '<tr><td class="n">' "$TMP/drops.html")"
check_grep "and counts the drops of the others" "100 more dropped packets, decided by rules past the first 1000" \
	"$TMP/drops.html"
finish
