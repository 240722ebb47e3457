#!/bin/sh
# Memory stays bounded whatever the size of the ruleset dumps: with a
# kube-proxy dump of 12000 services (48000 rules in 24000 chains, in its
# iptables-save, iptables -L -n -v (nat), nft text and nft JSON forms), the import of a few legacy
# and nft traces and the explain of each stay under 64 MB of peak RSS, as
# the analysis reads only the chains a packet's trace looks up. A trace through the
# dump's service chains is explained with the dump's own rules.
. "$(dirname "$0")/lib.sh"

rss_limit

python3 "$(dirname "$0")/../bench/gen.py" --kind ruleset --services 12000 -o "$TMP/kube/iptables-save.txt"

# A SYN to the dump's last TCP service, traced through the nat chains
# kube-proxy made for it: PREROUTING, KUBE-SERVICES (its last rule),
# the service's chain, then its endpoint's DNAT.
python3 - "$TMP/kube/iptables-save.txt" "$TMP/kube-trace.txt" > "$TMP/svc" <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
svcs = [l for l in lines if l.startswith("-A KUBE-SERVICES ")]
last = [l for l in svcs if " -p tcp " in l][-1]
k = svcs.index(last) + 1
dst = re.search(r"-d (\S+)/32", last).group(1)
dport = re.search(r"--dport (\d+)", last).group(1)
svc = re.search(r"-j (KUBE-SVC-\S+)", last).group(1)
sep = re.search(r"-j (KUBE-SEP-\S+)", next(l for l in lines if l.startswith("-A %s " % svc))).group(1)
to = re.search(r"--to-destination (\S+)",
               next(l for l in lines if l.startswith("-A %s " % sep) and "DNAT" in l)).group(1)
pkt = ("IN=eth0 OUT= MAC=4e:33:41:b1:a3:99:66:c4:48:ca:52:f8:08:00 SRC=10.77.1.2 DST=%s LEN=60 "
       "TOS=0x00 PREC=0x00 TTL=64 ID=4242 DF PROTO=TCP SPT=40000 DPT=%s SEQ=1 ACK=0 WINDOW=64240 "
       "RES=0x00 SYN URGP=0" % (dst, dport))
with open(sys.argv[2], "w") as f:
    for t, (c, r) in enumerate([("PREROUTING", 1), ("KUBE-SERVICES", k), (svc, 1), (sep, 2)]):
        f.write("[ 1600.%06d] TRACE: nat:%s:rule:%d %s\n" % (t, c, r, pkt))
print(k, svc, sep, to)
EOF
read -r k svc sep to < "$TMP/svc"

for dump in iptables-save.txt iptables-L-nat.txt nft-ruleset.txt nft-ruleset.json; do
	rm -f "$NATLOG_DB" "$NATLOG_DB-wal" "$NATLOG_DB-shm"
	check_rss "import of traces with the $dump of 12000 services" "$NATLOG" import -q \
		"$TMP/kube-trace.txt" "$TD/lab/docker-legacy/dmesg.txt" \
		"$TD/lab/nft-set-drop/nft-monitor-trace.txt" "$TMP/kube/$dump"
	"$NATLOG" traces --json > "$TMP/traces.json" 2>&1
	check_json "the 19 legacy and 8 nft traced packets are analysed" \
		'len(j) == 27 and all(p["analyzed"] for p in j)' < "$TMP/traces.json"
	python3 -c 'import json, sys; print("\n".join(p["trace"] for p in json.load(sys.stdin)))' \
		< "$TMP/traces.json" > "$TMP/ids"
	worst=0; bad=""
	while read -r id; do
		/usr/bin/time -f %M -o "$TMP/rss" "$NATLOG" explain "$id" > "$TMP/out" 2>"$TMP/err" ||
			bad="$bad $id"
		kb=$(tail -n 1 "$TMP/rss")
		[ "$kb" -gt "$worst" ] 2>/dev/null && worst=$kb
	done < "$TMP/ids"
	if [ -z "$bad" ] && [ "$worst" -le $LIMIT ]; then ok "explain of each packet ($worst KB at most)"; else
		not_ok "explain of each packet (failed:$bad; peak $worst KB, limit $LIMIT KB)"; fi
done

# The kube trace against the iptables-save dump (the last one imported
# is nft: the legacy trace reads the iptables dump alone).
rm -f "$NATLOG_DB" "$NATLOG_DB-wal" "$NATLOG_DB-shm"
check_rss "import of the kube trace with the iptables-save dump" "$NATLOG" import -q \
	"$TMP/kube-trace.txt" "$TMP/kube/iptables-save.txt"
id=$("$NATLOG" traces --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["trace"])')
check_rss "explain of the kube trace" "$NATLOG" explain "$id"
check_grep "step 2 is rule $k of KUBE-SERVICES, a jump to the service's chain" \
	"nat:KUBE-SERVICES:rule:$k  *jump $svc" "$TMP/out"
check_grep "step 4 is the endpoint's DNAT to $to" "DNAT --to-destination $to" "$TMP/out"
"$NATLOG" explain --json "$id" > "$TMP/j" 2>&1
check_json "JSON: the four steps fit the dump, the last is the endpoint's DNAT" \
	'len(j["steps"]) == 4 and not any(s.get("mismatch") for s in j["steps"]) and "'"$to"'" in j["steps"][3]["rule"]' < "$TMP/j"

# The same against the nat table's listing, whose rules are handed on as
# they are read once the built-in chains have told the table
rm -f "$NATLOG_DB" "$NATLOG_DB-wal" "$NATLOG_DB-shm"
check_rss "import of the kube trace with the iptables -L listing" "$NATLOG" import -q \
	"$TMP/kube-trace.txt" "$TMP/kube/iptables-L-nat.txt"
eq "the listing's 48005 rules are all stored" 48005 \
	"$("$NATLOG" sql "SELECT count(*) FROM rules WHERE tbl = 'nat'" | tail -1)"
id=$("$NATLOG" traces --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["trace"])')
"$NATLOG" explain "$id" > "$TMP/out" 2>&1
# the listing's counters are 0 (it was listed before any packet): the
# steps are found at their positions and said not to fit it
check_grep "rule $k of KUBE-SERVICES is the jump to $svc" \
	"nat:KUBE-SERVICES:rule:$k ($svc 6 -- \\* \\* 0.0.0.0/0 " "$TMP/out"
check_grep "rule 2 of $sep is its DNAT to $to" "nat:$sep:rule:2 (DNAT 6 .* to:$to)" "$TMP/out"
rm -rf "$TMP/kube"

# A listing of built-in chains alone tells its table only at its end:
# 60 000 DROP rules in INPUT are kept in a file meanwhile, not in memory.
# In a second file, before the same listing, a section whose table cannot
# be told (INPUT and FORWARD only, then INPUT again) with 5000 rules of
# other addresses: reported, and none of its rules mixed into the next
# section's.
python3 - "$TMP/blocklist.txt" "$TMP/blocklist2.txt" <<'EOF'
import sys
head = " pkts bytes target     prot opt in     out     source               destination\n"
def section(f, n, net, chains):
    f.write("Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n" + head)
    for i in range(n):
        f.write("    0     0 DROP       0    --  *      *       %-20s 0.0.0.0/0\n"
                % ("%d.%d.%d.%d" % (net, i >> 16, (i >> 8) & 255, i & 255)))
    for c in chains:
        f.write("\nChain %s (policy ACCEPT 0 packets, 0 bytes)\n" % c + head)
    f.write("\n")
with open(sys.argv[1], "w") as f:
    section(f, 60000, 10, ["FORWARD", "OUTPUT"])
with open(sys.argv[2], "w") as f:
    section(f, 5000, 172, ["FORWARD"])
    section(f, 60000, 10, ["FORWARD", "OUTPUT"])
EOF
q="SELECT count(*), sum(position), count(DISTINCT src), sum(src LIKE '172.%') FROM rules WHERE tbl = 'filter' AND chain = 'INPUT'"
rm -f "$NATLOG_DB" "$NATLOG_DB-wal" "$NATLOG_DB-shm"
check_rss "import of a filter listing of 60 000 rules in INPUT alone" "$NATLOG" import -q "$TMP/blocklist.txt"
eq "every rule of it is stored, in order" "60000 1800030000 60000 0" \
	"$("$NATLOG" sql "$q" | tail -1 | tr '\t' ' ')"
rm -f "$NATLOG_DB" "$NATLOG_DB-wal" "$NATLOG_DB-shm"
check_status "the same after a section whose table cannot be told: exit 3" 3 "$NATLOG" import -q "$TMP/blocklist2.txt"
eq "the listing's rules are stored, none of the section before" "60000 1800030000 60000 0" \
	"$("$NATLOG" sql "$q" | tail -1 | tr '\t' ' ')"
"$NATLOG" errors > "$TMP/out" 2>&1
check_grep "the section before is reported: its table cannot be told" "cannot tell which table" "$TMP/out"
finish
