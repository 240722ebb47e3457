#!/bin/sh
# Memory stays bounded whatever the input: one packet with a million trace
# steps (import and explain), a flood of one identical TRACE line, one-line
# nft JSON dumps of 5 and 25 MB and `natlog flows` over a million conntrack
# entries each stay under 64 MB of peak RSS (/usr/bin/time's %M), flows
# peaks as high over the million as over half of it, and a trace cut short
# never gives a verdict that the left-out steps could have changed.
. "$(dirname "$0")/lib.sh"

rss_limit

# One nft trace id with a million rule lines, then its policy drop.
python3 - "$TMP/nft.txt" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write('trace id 5eed0001 ip filter forward packet: iif "eth0" oif "eth1" ip saddr 10.0.0.2 '
            'ip daddr 10.0.1.10 ip id 7 ip length 60 tcp sport 39866 tcp dport 80 tcp flags == syn\n')
    f.write('trace id 5eed0001 ip filter forward rule ip saddr 10.0.0.2 counter packets 0 bytes 0 '
            '(verdict continue)\n' * 1000000)
    f.write('trace id 5eed0001 ip filter forward policy drop\n')
EOF
check_rss "import of one packet with a million nft trace steps" "$NATLOG" import -q "$TMP/nft.txt"
check_rss "explain of that packet" "$NATLOG" explain 5eed0001
check_grep "its verdict is the policy drop at its end" "^verdict: drop" "$TMP/out"
check_grep "the journey says where steps were left out" \
	"\.\.\. 997953 steps left out: the trace was cut at 2048 steps" "$TMP/out"
check_grep "the diagnosis says the trace was cut and how much is missing" \
	"the trace was cut at 2048 steps: 997953 steps after step 1536 were left out" "$TMP/out"
"$NATLOG" explain --json 5eed0001 > "$TMP/j" 2>&1
check_json "JSON: 2048 steps kept, 997953 left out after step 1536, verdict drop" \
	'len(j["steps"]) == 2048 and j["steps_left_out"] == 997953 and j["steps_cut_at"] == 1536 and j["verdict"] == "drop" and j["steps"][-1]["verdict"] == "drop"' < "$TMP/j"
rm -f "$TMP/nft.txt"

# A log whose every line names another MAC header: 300 000 strings of
# steps, which the analysis once read back all at once.
python3 - "$TMP/macs.txt" <<'PY'
import random, sys
random.seed(1)
with open(sys.argv[1], "w") as f:
    for i in range(150000):
        for k, (tbl, chain) in enumerate((("raw", "PREROUTING"), ("mangle", "PREROUTING"), ("nat", "PREROUTING"))):
            mac = ":".join("%02x" % random.randrange(256) for _ in range(14))
            f.write("[%12.6f] TRACE: %s:%s:policy:2 IN=eth0 OUT= MAC=%s SRC=10.1.%d.%d DST=10.2.0.1 "
                    "LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=%d DF PROTO=TCP SPT=%d DPT=80 SEQ=%d ACK=0 "
                    "WINDOW=64240 RES=0x00 SYN URGP=0\n"
                    % (1000 + i * 0.00001 + k * 0.000001, tbl, chain, mac, (i >> 8) & 255, i & 255,
                       i & 65535, 1024 + i % 60000, i * 7919))
PY
rm -f "$TMP/macs.db"*
check_rss "import of 450 000 lines that name 450 000 MAC headers" \
	"$NATLOG" --db "$TMP/macs.db" import -q "$TMP/macs.txt"
eq "(the store holds their strings: 300 000 of the later steps')" 1 \
	"$("$NATLOG" --db "$TMP/macs.db" sql "SELECT count(*) >= 300000 FROM names" | tail -1)"
check_rss "explain of one of their packets" "$NATLOG" --db "$TMP/macs.db" explain \
	"$("$NATLOG" --db "$TMP/macs.db" sql "SELECT trace FROM packets LIMIT 1 OFFSET 120000" | tail -1)"
check_grep "which reads its steps' names, the MAC headers among them" \
	"nat:PREROUTING:policy:2" "$TMP/out"
rm -f "$TMP/macs.txt" "$TMP/macs.db"*

# A log that names another rule number on every line, with a dump that
# has counters: the traced packets of 300 000 rules are not all counted,
# and explain says the counters were not compared.
python3 - "$TMP/rulenums.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(300000):
        f.write("[%12.6f] TRACE: filter:FORWARD:rule:%d IN=eth0 OUT=eth1 SRC=10.1.%d.%d DST=10.2.0.1 "
                "LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=%d DF PROTO=TCP SPT=%d DPT=80 SEQ=%d ACK=0 "
                "WINDOW=64240 RES=0x00 SYN URGP=0\n"
                % (1000 + i * 0.00001, i + 1, (i >> 8) & 255, i & 255, i & 65535, 1024 + i % 60000,
                   i * 7919))
PY
printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [100:6000]\n:OUTPUT ACCEPT [0:0]\n[5:300] -A FORWARD -p tcp -j ACCEPT\nCOMMIT\n' \
	> "$TMP/counted.txt"
rm -f "$TMP/rn.db"*
check_rss "import of 300 000 TRACE lines of 300 000 rule numbers, with a dump that has counters" \
	"$NATLOG" --db "$TMP/rn.db" import -q "$TMP/counted.txt" "$TMP/rulenums.txt"
"$NATLOG" --db "$TMP/rn.db" explain --trace "$("$NATLOG" --db "$TMP/rn.db" sql \
	"SELECT p.trace FROM packets p JOIN event_rows e ON e.packet_id = p.id WHERE e.rulenum = 1" | tail -1)" \
	> "$TMP/out" 2>&1
check_grep "explain says the counters were not compared, and why" \
	"the dump's counters were not compared with the traces: those of this host name more than 100000 rules" "$TMP/out"
rm -f "$TMP/rulenums.txt" "$TMP/rn.db"*

# One chain of 200 000 rules (a dump of about 20 MB): such a chain is
# read rule by rule, as the traced steps name them, never whole.
python3 - "$TMP/bigchain.txt" "$TMP/bigchain.log" "$TMP/bignft.txt" "$TMP/bignft.log" <<'PY'
import sys
def src(i):
    return "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255)
with open(sys.argv[1], "w") as f:
    f.write("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:BIG - [0:0]\n"
            "-A FORWARD -j BIG\n")
    for i in range(200000):
        if i == 175000:    # a rule every packet matches, which a trace would show
            f.write("-A BIG -j MARK --set-xmark 0x1/0xffffffff\n")
            continue
        f.write('-A BIG -s %s/32 -p tcp -m tcp --dport %d -m comment --comment "svc %d" -j ACCEPT\n'
                % (src(i), 1000 + i % 50000, i))
    f.write("COMMIT\n")
line = ("[%12.6f] TRACE: filter:%s IN=eth0 OUT=eth1 SRC=%s DST=10.254.0.1 LEN=60 TOS=0x00 "
        "PREC=0x00 TTL=63 ID=%d DF PROTO=TCP SPT=4000 DPT=%d SEQ=%d ACK=0 WINDOW=64240 RES=0x00 "
        "SYN URGP=0\n")
with open(sys.argv[2], "w") as f:
    for k, n in enumerate([1, 150000, 200000, 200001]):
        i = min(n, 200000) - 1
        for step in ("FORWARD:rule:1", "BIG:rule:%d" % n):
            f.write(line % (100 + k + (0.000001 if step[0] == "B" else 0), step, src(i), 500 + k,
                            1000 + i % 50000, 9000 + k))
with open(sys.argv[3], "w") as f:
    f.write("table ip filter { # handle 1\n\tchain forward { # handle 1\n"
            "\t\ttype filter hook forward priority filter; policy drop;\n")
    for i in range(150000):
        f.write("\t\tip saddr %s tcp dport %d accept # handle %d\n" % (src(i), 1000 + i % 50000, i + 2))
    f.write("\t}\n}\n")
pkt = ('trace id 6e%06x ip filter forward packet: iif "eth0" oif "eth1" ip saddr %s ip daddr '
       '10.254.0.1 ip id %d ip length 60 tcp sport 4000 tcp dport %d tcp flags == syn\n')
with open(sys.argv[4], "w") as f:
    for k, i in enumerate([0, 149999]):
        f.write(pkt % (k, src(i), 700 + k, 1000 + i % 50000))
        f.write("trace id 6e%06x ip filter forward rule ip saddr %s tcp dport %d accept # handle %d "
                "(verdict accept)\n" % (k, src(i), 1000 + i % 50000, i + 2))
    f.write(pkt % (2, src(5), 702, 1005))
    f.write("trace id 6e000002 ip filter forward rule ip saddr %s tcp dport 1005 accept # handle "
            "999999 (verdict accept)\n" % src(5))
PY
rm -f "$TMP/bc.db"*
check_rss "import of a chain of 200 000 rules and packets traced through it" \
	"$NATLOG" --db "$TMP/bc.db" import -q "$TMP/bigchain.txt" "$TMP/bigchain.log"
bc_trace() { "$NATLOG" --db "$TMP/bc.db" sql "SELECT trace FROM packets WHERE ip_id = $1" | tail -1; }
check_rss "explain of the packet accepted by its rule 150000" \
	"$NATLOG" --db "$TMP/bc.db" explain --trace "$(bc_trace 501)"
check_grep "its verdict is that rule's accept" "^verdict: accept" "$TMP/out"
check_grep "with the rule's text, read alone" \
	"decided by: filter:BIG:rule:150000  -A BIG -s 10.2.73.239/32 .*--comment \"svc 149999\" -j ACCEPT" "$TMP/out"
check_grep "and says the chain was not searched for changed rules, and why" \
	"the dump's filter BIG has 200000 rules, more than natlog reads whole (65536): natlog did not search it" "$TMP/out"
"$NATLOG" --db "$TMP/bc.db" explain --trace "$(bc_trace 502)" > "$TMP/out" 2>&1
check_grep "a rule every packet matches, passed untraced, contradicts the dump" \
	"filter:BIG:rule:200000: the dump's rule 175001 (-A BIG -j MARK --set-xmark 0x1/0xffffffff) matches every packet, yet the trace does not show it" "$TMP/out"
"$NATLOG" --db "$TMP/bc.db" explain --trace "$(bc_trace 503)" > "$TMP/out" 2>&1
check_grep "a rule past its end contradicts the dump" \
	"filter:BIG:rule:200001: the dump's filter BIG has 200000 rules; the dump does not match" "$TMP/out"
rm -f "$TMP/bc.db"*
check_rss "import of an nft chain of 150 000 rules and packets traced through it by handle" \
	"$NATLOG" --db "$TMP/bc.db" import -q "$TMP/bignft.txt" "$TMP/bignft.log"
eq "a store with so long a chain indexes rules by handle (schema/ondemand/rules_handle.sql)" 1 \
	"$("$NATLOG" --db "$TMP/bc.db" sql "SELECT count(*) FROM sqlite_master WHERE name = 'rules_handle'" | tail -1)"
check_rss "explain of the packet its last rule accepted" "$NATLOG" --db "$TMP/bc.db" explain 6e000001
check_grep "the rule of that handle is read alone" "decided by: .*ip saddr 10.2.73.239 tcp dport 50999 accept" "$TMP/out"
"$NATLOG" --db "$TMP/bc.db" explain 6e000002 > "$TMP/out" 2>&1
check_grep "a handle the chain lacks contradicts the dump" \
	"ip filter forward has no rule with handle 999999 in the dump; the dump does not match" "$TMP/out"
rm -f "$TMP/bc.db"* "$TMP/bigchain.txt" "$TMP/bignft.txt"

# A drop among the left-out steps: the accept before the cut is not taken.
python3 - "$TMP/cut.txt" <<'EOF'
import sys
p = ('trace id 5eed0002 ip %s packet: iif "eth0" oif "eth1" ip saddr 10.0.0.3 ip daddr 10.0.1.10 '
     'ip id 8 ip length 60 tcp sport 39867 tcp dport 80 tcp flags == syn\n')
with open(sys.argv[1], "w") as f:
    f.write(p % "filter forward")
    f.write('trace id 5eed0002 ip filter forward rule ip saddr 10.0.0.3 accept (verdict accept)\n')
    f.write(p % "nat postrouting")
    f.write('trace id 5eed0002 ip nat postrouting rule meta mark 0x1 counter (verdict continue)\n' * 3000)
    f.write('trace id 5eed0002 ip nat postrouting policy accept\n')
EOF
check "import of a long trace decided before its cut" "$NATLOG" import -q "$TMP/cut.txt"
"$NATLOG" explain 5eed0002 > "$TMP/out" 2>&1
check_grep "a verdict decided before the cut is unknown" "^verdict: unknown" "$TMP/out"
check_grep "and says why" "the verdict is unknown: it was decided at step 1, before the cut" "$TMP/out"

# A traced packet with 5000 LOG lines among its steps keeps the first 1024.
python3 - "$TD/lab/log-target/dmesg.txt" "$TMP/logs.txt" <<'EOF'
import sys
l = open(sys.argv[1]).read().splitlines()
with open(sys.argv[2], "w") as f:
    f.write("\n".join(l[0:2] + [l[3]] + [l[4]] * 5000 + l[5:7]) + "\n")
EOF
rm -f "$NATLOG_DB" "$NATLOG_DB-wal" "$NATLOG_DB-shm"
check "import of a packet with 5000 LOG lines" "$NATLOG" import -q "$TMP/logs.txt"
"$NATLOG" explain e1bdcff742 > "$TMP/out" 2>&1
check_grep "explain says how many LOG lines were left out" \
	"only the first 1024 LOG lines of this packet were kept: 3976 more were left out" "$TMP/out"
"$NATLOG" explain --json e1bdcff742 > "$TMP/j" 2>&1
check_json "JSON: 1024 LOG lines as evidence, 3976 left out" \
	'len([e for e in j["evidence"] if e["source"] == "log"]) == 1024 and j["evidence_left_out"] == 3976' < "$TMP/j"

# A flood of one identical legacy TRACE line: one packet per line, each
# with its own trace id, in linear time (no "too many packets share").
python3 - "$TMP/flood.txt" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write('[ 2057.255246] TRACE: filter:FORWARD:rule:1 IN=eth0 OUT=eth1 SRC=10.77.1.2 '
            'DST=10.77.1.10 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=732 DF PROTO=TCP SPT=44140 '
            'DPT=8080 SEQ=3259098144 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0\n' * 20000)
EOF
rm -f "$NATLOG_DB" "$NATLOG_DB-wal" "$NATLOG_DB-shm"
check_rss "import of 20000 identical TRACE lines" "$NATLOG" import -q "$TMP/flood.txt"
"$NATLOG" sql "SELECT count(*) || ' ' || count(DISTINCT trace) FROM packets" > "$TMP/out" 2>&1
check_grep "each line is a packet with a trace id of its own" "^20000 20000$" "$TMP/out"

# One legacy packet with 100000 steps (rule numbers rising in one chain).
python3 - "$TMP/legacy.txt" <<'EOF'
import sys
line = ('[ 2057.255246] TRACE: filter:FORWARD:%s:%d IN=eth0 OUT=eth1 SRC=10.77.1.3 DST=10.77.1.10 '
        'LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=733 DF PROTO=TCP SPT=44141 DPT=8080 SEQ=1 ACK=0 '
        'WINDOW=64240 RES=0x00 SYN URGP=0\n')
with open(sys.argv[1], "w") as f:
    for i in range(1, 100001):
        f.write(line % ("rule", i))
    f.write(line % ("policy", 100001))
EOF
rm -f "$NATLOG_DB" "$NATLOG_DB-wal" "$NATLOG_DB-shm"
check_rss "import of one TRACE packet with 100001 steps" "$NATLOG" import -q "$TMP/legacy.txt"
"$NATLOG" traces --json > "$TMP/j" 2>&1
check_json "it is one packet" 'len(j) == 1' < "$TMP/j"
id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])' < "$TMP/j")
check_rss "explain of it" "$NATLOG" explain "$id"
check_grep "its journey ends at the policy step" "filter:FORWARD:policy:100001" "$TMP/out"
check_grep "and says 97953 steps were left out" "97953 steps after step 1536 were left out" "$TMP/out"
"$NATLOG" explain --json "$id" > "$TMP/j" 2>&1
check_json "JSON: lines 1-1536, then the last 512 (99490-100001) in order" \
	'[s["line"] for s in j["steps"]] == list(range(1, 1537)) + list(range(99490, 100002))' < "$TMP/j"
rm -f "$TMP/flood.txt" "$TMP/legacy.txt"

# One-line nft -j dumps of 3600 and 18000 kube-proxy services (5 and 25 MB,
# each with a set of every cluster IP): both within the bound, as a stream.
for n in 3600 18000; do
	python3 "$(dirname "$0")/../bench/gen.py" --kind ruleset --services $n -o "$TMP/rs$n/iptables-save.txt"
	mb=$(( $(wc -c < "$TMP/rs$n/nft-ruleset.json") / 1000000 ))
	rm -f "$NATLOG_DB" "$NATLOG_DB-wal" "$NATLOG_DB-shm"
	check_rss "import of a $mb MB one-line nft JSON dump" "$NATLOG" import -q "$TMP/rs$n/nft-ruleset.json"
	"$NATLOG" sql "SELECT (SELECT count(*) FROM rules) || ' ' || (SELECT count(*) FROM elements)" > "$TMP/out" 2>&1
	check_grep "all its $((4 * n + 5)) rules and $n set elements are in" "^$((4 * n + 5)) $n\$" "$TMP/out"
	rm -rf "$TMP/rs$n"
done

# natlog flows over a million conntrack -L entries, imported in two
# halves: its peak RSS over the million is that over the first half, give
# or take GROW (kept in memory at 24 bytes each, the 500 000 connections
# more took 12 MB). --port 1 matches none of them, so the connections are
# all built and sorted but none printed.
python3 - "$TMP/ct1.txt" "$TMP/ct2.txt" <<'EOF'
import sys
for half in (0, 1):
    with open(sys.argv[1 + half], "w") as f:
        w = f.write
        for i in range(half * 500000, (half + 1) * 500000):
            a, b, c, sp = (i >> 16) & 255, (i >> 8) & 255, i & 255, 1024 + i % 60000
            w("ipv4     2 tcp      6 431999 ESTABLISHED src=10.%d.%d.%d dst=192.0.2.1 sport=%d "
              "dport=443 packets=3 bytes=180 src=192.0.2.1 dst=203.0.113.%d sport=443 dport=%d "
              "packets=2 bytes=120 [ASSURED] mark=0 use=1\n" % (a, b, c, sp, c, sp))
EOF
GROW=4096	# KB
[ $LIMIT -gt 65536 ] && GROW=65536	# a sanitizer's quarantine moves more
# flows_rss: kb, the peak RSS of natlog flows --port 1 (exit 1: none matched)
flows_rss() {
	/usr/bin/time -f %M -o "$TMP/rss" "$NATLOG" flows --port 1 >/dev/null 2>"$TMP/err"
	rc=$?
	kb=$(tail -n 1 "$TMP/rss")
	[ $rc -eq 1 ] || { kb=; sed 's/^/    /' "$TMP/err" | head -5; }
}
rm -f "$NATLOG_DB" "$NATLOG_DB-wal" "$NATLOG_DB-shm"
check_rss "import of half a million conntrack entries" "$NATLOG" import -q "$TMP/ct1.txt"
flows_rss
kb1=$kb
check_rss "import of half a million more" "$NATLOG" import -q "$TMP/ct2.txt"
rm -f "$TMP/ct1.txt" "$TMP/ct2.txt"
flows_rss
kb2=$kb
if [ -n "$kb1" ] && [ -n "$kb2" ] && [ $((kb2 - kb1)) -le $GROW ]; then
	ok "natlog flows over a million connections peaks as over half a million ($kb2 KB, $kb1 KB)"
else
	not_ok "natlog flows over a million connections peaks at ${kb2:-?} KB, over half a million at ${kb1:-?} KB (at most $GROW KB more)"
fi
check_rss "natlog flows over them" "$NATLOG" flows
n=$(wc -l < "$TMP/out")
if [ "$n" -eq 1000001 ]; then ok "a heading and a million flows"; else not_ok "$n lines, wanted 1000001"; fi
sed -n 2p "$TMP/out" > "$TMP/first"
check_grep "in import order: the first entry first, with its SNAT" \
	"tcp 10.0.0.0:1024 -> 192.0.2.1:443 *snat to 203.0.113.0:1024 *ESTABLISHED *1 " "$TMP/first"
tail -n 1 "$TMP/out" > "$TMP/last"
check_grep "and the last entry last" "tcp 10.15.66.63:41023 -> 192.0.2.1:443" "$TMP/last"
finish
