#!/bin/sh
# natlog merge: per-host stores copied into one answer every query as one
# import of all their files does; merging is idempotent, keeps hosts apart,
# numbers taken trace ids on, upgrades older stores, and refuses what is not
# a natlog store (or is a newer one) before writing anything.
. "$(dirname "$0")/lib.sh"
T=$TD/lab/three-hosts
files() { awk -v h="$1" -v d="$T" '$2 == h { print d "/" $1 }' "$T/hosts.tsv"; }
# every table's row count, to see that nothing was added
counts() {
	"$NATLOG" --db "$1" sql "SELECT (SELECT count(*) FROM sources) || ' ' || (SELECT count(*) FROM packets) || ' ' || (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM rules) || ' ' || (SELECT count(*) FROM conntrack) || ' ' || (SELECT count(*) FROM names) AS n" | tail -1
}
same() {	# DESCRIPTION COMMAND...: the same output on the merged and the imported store
	desc=$1; shift
	"$NATLOG" --db "$TMP/all.db" "$@" > "$TMP/a.out" 2>&1
	"$NATLOG" --db "$TMP/m.db" "$@" > "$TMP/m.out" 2>&1
	if [ -s "$TMP/a.out" ] && cmp -s "$TMP/a.out" "$TMP/m.out"; then ok "$desc"; else
		not_ok "$desc"; diff "$TMP/a.out" "$TMP/m.out" | head -10 | sed 's/^/    /'; fi
}

# 1. three hosts, one store each (made where the bundle is), and the same
# files imported into one store
for h in client gateway server; do
	"$NATLOG" --db "$TMP/$h.db" import -q --host "$h" $(files "$h")
	"$NATLOG" --db "$TMP/all.db" import -q --host "$h" $(files "$h")
done
cp "$TMP/server.db" "$TMP/server-before.db"
check "merge copies the three stores into a new one" \
	"$NATLOG" --db "$TMP/m.db" merge --json "$TMP/client.db" "$TMP/gateway.db" "$TMP/server.db"
check_json "its summary counts what each store held" \
	'j["stores"] == 3 and j["sources"] == 10 and j["already"] == 0 and j["packets"] == 14 and j["rulesets"] == 3 and j["conntrack"] == 9 and j["analyzed"] == 14' < "$TMP/out"
check "the input stores are not changed" cmp "$TMP/server.db" "$TMP/server-before.db"
"$NATLOG" --db "$TMP/m.db" sql "SELECT s.host, s.kind, count(p.id) AS packets FROM sources s LEFT JOIN packets p ON p.source_id = s.id GROUP BY s.id ORDER BY s.host, s.kind" > "$TMP/hosts.txt"
"$NATLOG" --db "$TMP/all.db" sql "SELECT s.host, s.kind, count(p.id) AS packets FROM sources s LEFT JOIN packets p ON p.source_id = s.id GROUP BY s.id ORDER BY s.host, s.kind" > "$TMP/hosts-all.txt"
check "hosts stay apart: each source keeps its host and its packets" cmp "$TMP/hosts.txt" "$TMP/hosts-all.txt"
check_grep "the gateway's conntrack table is the gateway's" "^gateway	conntrack" "$TMP/hosts.txt"
eq "packets by host" "client 7 server 7" \
	"$("$NATLOG" --db "$TMP/m.db" sql "SELECT host || ' ' || count(*) FROM packets GROUP BY host ORDER BY host" | tail -n +2 | paste -sd ' ')"
same "traces --json: as one import of all the files" traces --json
same "flows --json: one row per connection across the hosts" flows --json
# names ids are each store's own: a whole row's MAC header (schema 41),
# like a step's strings, is the merged store's name for the same text
"$NATLOG" --db "$TMP/mac1.db" import -q "$TD/lab/log-target"
"$NATLOG" --db "$TMP/mac2.db" import -q "$TD/lab/docker-legacy" "$TD/lab/interleaved"
"$NATLOG" --db "$TMP/mac12.db" merge -q "$TMP/mac1.db" "$TMP/mac2.db"
"$NATLOG" --db "$TMP/macall.db" import -q "$TD/lab/log-target" "$TD/lab/docker-legacy" "$TD/lab/interleaved"
macs() { "$NATLOG" --db "$1" sql "SELECT s.path, e.line, e.mac, e.iif, e.oif FROM events e JOIN sources s ON s.id = e.source_id WHERE e.mac IS NOT NULL ORDER BY 1, 2, e.id"; }
macs "$TMP/macall.db" > "$TMP/macall.txt"
macs "$TMP/mac12.db" > "$TMP/mac12.txt"
check "stores of lines with MAC headers to merge ($(wc -l < "$TMP/macall.txt") lines)" \
	test "$(wc -l < "$TMP/macall.txt")" -gt 200 -a "$(grep -c ':08:00' "$TMP/macall.txt")" -gt 200
check "every line's MAC header merged, as one import of all the files" cmp "$TMP/macall.txt" "$TMP/mac12.txt"
same "summary --json" summary --json
same "rules --json: hits and drops per rule" rules --json
same "export: every packet" export
"$NATLOG" --db "$TMP/all.db" sources --json | jq -c 'map(del(.imported_at))' > "$TMP/a.out"
"$NATLOG" --db "$TMP/m.db" sources --json | jq -c 'map(del(.imported_at))' > "$TMP/m.out"
check "sources --json: the same paths, hosts, hashes and counts, in the same order" cmp "$TMP/a.out" "$TMP/m.out"
for t in $("$NATLOG" --db "$TMP/all.db" traces --json | jq -r '.[].trace'); do
	"$NATLOG" --db "$TMP/all.db" explain --json --trace "$t"
done > "$TMP/explain-all"
for t in $("$NATLOG" --db "$TMP/all.db" traces --json | jq -r '.[].trace'); do
	"$NATLOG" --db "$TMP/m.db" explain --json --trace "$t"
done > "$TMP/explain-m"
check "explain --json of every packet: the same, hops across hosts included" cmp "$TMP/explain-all" "$TMP/explain-m"
check "the client's SYN is the server's in the merged store: hops in TTL order" python3 -c '
import json, sys
text, d, at, found = open(sys.argv[1]).read(), json.JSONDecoder(), 0, False
while text[at:].strip():
    j, at = d.raw_decode(text, len(text) - len(text[at:].lstrip()))
    found |= [(h["host"], h["ttl"]) for h in j["hops"]] == [("client", 64), ("server", 63)]
assert found
' "$TMP/explain-m"
t=$("$NATLOG" --db "$TMP/server.db" traces --json | jq -r '.[0].trace')
"$NATLOG" --db "$TMP/server.db" explain --json --trace "$t" > "$TMP/in.json"
"$NATLOG" --db "$TMP/m.db" explain --json --trace "$t" > "$TMP/merged.json"
check "a server packet is explained on the merged store as on its own store (steps, NAT, verdict; the other hosts add evidence and hops)" python3 -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a["hops"] == [] and b["hops"] != [], "the other hosts are seen"
for k in ("hops", "evidence", "diagnosis"):
    a.pop(k); b.pop(k)
assert a == b, [k for k in a if a[k] != b[k]]
' "$TMP/in.json" "$TMP/merged.json"

# ... and so for every kind of evidence: nft sets and objects, conntrack
# invalid lines, IPv6, several dumps of a host, lost-line notices, sysctls,
# a sosreport, one store per folder and host
stores=
for d in nft-set-drop ct-invalid ipv6 two-dumps stale-insert nft-bridge; do
	set -- $(find "$TD/lab/$d" -type f ! -name 'README*' ! -name '*.tsv' ! -name 'topology.txt' | sort)
	"$NATLOG" --db "$TMP/x-$d.db" import -q --year 2026 --host "$d" "$@" 2>/dev/null
	"$NATLOG" --db "$TMP/x-all.db" import -q --year 2026 --host "$d" "$@" 2>/dev/null
	stores="$stores $TMP/x-$d.db"
done
for d in trust nft; do
	set -- $(find "$TD/$d" -type f ! -name 'README*' | sort)
	"$NATLOG" --db "$TMP/x-$d.db" import -q --year 2026 --host "$d" "$@" 2>/dev/null
	"$NATLOG" --db "$TMP/x-all.db" import -q --year 2026 --host "$d" "$@" 2>/dev/null
	stores="$stores $TMP/x-$d.db"
done
check "eight more stores merged" "$NATLOG" --db "$TMP/x-m.db" merge -q $stores
for c in "traces --json" "export --what steps" "flows --json" "rules --json" "invalid --json" "summary --json"; do
	"$NATLOG" --db "$TMP/x-all.db" $c > "$TMP/a.out" 2>&1
	"$NATLOG" --db "$TMP/x-m.db" $c > "$TMP/m.out" 2>&1
	check "$c: as one import of all their files" cmp "$TMP/a.out" "$TMP/m.out"
done
rows() { "$NATLOG" --db "$1" sql "SELECT (SELECT count(*) FROM sets) || ' ' || (SELECT count(*) FROM elements) || ' ' || (SELECT count(*) FROM objects) || ' ' || (SELECT count(*) FROM notices) || ' ' || (SELECT count(*) FROM sysctls) || ' ' || (SELECT count(*) FROM trace_aliases)" | tail -1; }
eq "sets, elements, objects, notices, sysctls, trace aliases: every row" "$(rows "$TMP/x-all.db")" "$(rows "$TMP/x-m.db")"
case " $(rows "$TMP/x-m.db") " in *" 0 "*) not_ok "each of them has rows to copy ($(rows "$TMP/x-m.db"))" ;; *) ok "each of them has rows to copy" ;; esac

# 2. idempotent: the same stores again, and the files they were made from
before=$(counts "$TMP/m.db")
check "merging the same stores again succeeds" "$NATLOG" --db "$TMP/m.db" merge --json "$TMP/client.db" "$TMP/gateway.db" "$TMP/server.db"
check_json "and adds nothing: every source is here already" 'j["sources"] == 0 and j["already"] == 10 and j["packets"] == 0' < "$TMP/out"
eq "no row added" "$before" "$(counts "$TMP/m.db")"
"$NATLOG" --db "$TMP/m.db" merge "$TMP/server.db" 2> "$TMP/again"
check_grep "and says so" "holds nothing new" "$TMP/again"
for h in client gateway server; do
	"$NATLOG" --db "$TMP/m.db" import -q --host "$h" $(files "$h")
done
eq "importing the merged stores' own files adds nothing either" "$before" "$(counts "$TMP/m.db")"

# 3. the same files for two hosts: the second host's trace ids are numbered
# on, as one import of both numbers them
L=$TD/lab/docker-legacy
"$NATLOG" --db "$TMP/gw1.db" import -q --host gw1 "$L/dmesg.txt" "$L/iptables-save.txt"
"$NATLOG" --db "$TMP/gw2.db" import -q --host gw2 "$L/dmesg.txt" "$L/iptables-save.txt"
"$NATLOG" --db "$TMP/gw.db" import -q --host gw1 "$L/dmesg.txt" "$L/iptables-save.txt"
"$NATLOG" --db "$TMP/gw.db" import -q --host gw2 "$L/dmesg.txt" "$L/iptables-save.txt"
"$NATLOG" --db "$TMP/gwm.db" merge --json "$TMP/gw1.db" "$TMP/gw2.db" > "$TMP/gw.json"
check_json "byte-identical files of two hosts: 36 packets, 18 trace ids numbered on" \
	'j["packets"] == 36 and j["renamed"] == 18' < "$TMP/gw.json"
"$NATLOG" --db "$TMP/gw.db" traces --json > "$TMP/gw-all"
"$NATLOG" --db "$TMP/gwm.db" traces --json > "$TMP/gw-m"
check "traces --json as one import of both hosts' files" cmp "$TMP/gw-all" "$TMP/gw-m"
t=$(jq -r '[.[] | select(.host == "gw2")][0].trace' "$TMP/gw-m")
case $t in *.2) ok "a gw2 packet has a numbered trace id ($t)" ;; *) not_ok "a gw2 packet has a numbered trace id (got $t)" ;; esac
"$NATLOG" --db "$TMP/gw.db" explain --json --trace "$t" > "$TMP/gwe-all"
"$NATLOG" --db "$TMP/gwm.db" explain --json --trace "$t" > "$TMP/gwe-m"
check "and its explain --json is the same, explained by gw2's own dump" cmp "$TMP/gwe-all" "$TMP/gwe-m"

# a host's dump merged after its log (two stores of one host): the packets
# already here are analysed again with it, as an import of the dump does
"$NATLOG" --db "$TMP/d-log.db" import -q --host gw "$L/dmesg.txt"
"$NATLOG" --db "$TMP/d-dump.db" import -q --host gw "$L/iptables-save.txt"
"$NATLOG" --db "$TMP/d-m.db" merge -q "$TMP/d-log.db"
"$NATLOG" --db "$TMP/d-m.db" merge -q "$TMP/d-dump.db"
"$NATLOG" --db "$TMP/d-i.db" import -q --host gw "$L/dmesg.txt"
"$NATLOG" --db "$TMP/d-i.db" import -q --host gw "$L/iptables-save.txt"
"$NATLOG" --db "$TMP/d-m.db" traces --json > "$TMP/m.out"
"$NATLOG" --db "$TMP/d-i.db" traces --json > "$TMP/a.out"
check "a dump merged later explains the packets merged before it" cmp "$TMP/a.out" "$TMP/m.out"
check_json "(every packet has a verdict from it)" 'all(p["verdict"] != "unknown" for p in j)' < "$TMP/m.out"

# and captures and conntrack events merged after a host's log and dump:
# the drops they contradict are analysed again
S=$TD/lab/stale-insert
"$NATLOG" --db "$TMP/c-log.db" import -q --host gw "$S/dmesg.txt" "$S/iptables-save.later.txt"
"$NATLOG" --db "$TMP/c-cap.db" import -q --host gw "$S/inside.pcap" "$S/outside.pcap" "$S/conntrack-E.txt"
"$NATLOG" --db "$TMP/c-m.db" merge -q "$TMP/c-log.db"
"$NATLOG" --db "$TMP/c-m.db" merge -q "$TMP/c-cap.db"
"$NATLOG" --db "$TMP/c-i.db" import -q --host gw "$S/dmesg.txt" "$S/iptables-save.later.txt"
"$NATLOG" --db "$TMP/c-i.db" import -q --host gw "$S/inside.pcap" "$S/outside.pcap" "$S/conntrack-E.txt"
for c in "traces --json" "summary --json"; do
	"$NATLOG" --db "$TMP/c-m.db" $c > "$TMP/m.out"
	"$NATLOG" --db "$TMP/c-i.db" $c > "$TMP/a.out"
	"$NATLOG" --db "$TMP/c-log.db" $c > "$TMP/l.out"
	[ "$c" = "traces --json" ] ||
		check "(the captures change what the log alone says)" sh -c '! cmp -s "$1" "$2"' sh "$TMP/l.out" "$TMP/a.out"
	check "captures merged after the log: $c as one import gives it" cmp "$TMP/a.out" "$TMP/m.out"
done
# frames merged into a store whose own captures numbered their MAC
# headers first: each frame keeps its own header
"$NATLOG" --db "$TMP/c-x.db" import -q "$L/outside.pcap"
"$NATLOG" --db "$TMP/c-x.db" merge -q "$TMP/c-cap.db"
frames="SELECT s.path, e.line, e.time, e.mac, e.src, e.dst, e.tcp_seq, e.iif FROM events e JOIN sources s ON s.id = e.source_id WHERE e.kind = 'wire' AND s.path LIKE '%stale-insert%' ORDER BY 1, 2"
"$NATLOG" --db "$TMP/c-cap.db" sql "$frames" > "$TMP/a.out"
"$NATLOG" --db "$TMP/c-x.db" sql "$frames" > "$TMP/m.out"
check "frames merged after other captures keep their MAC headers and times" cmp "$TMP/a.out" "$TMP/m.out"

# 4. the same kernel lines in two files of one host (dmesg in one store,
# syslog in the other): one event each, as one import of both keeps them
"$NATLOG" --db "$TMP/k1.db" import -q --host natlog-lab "$L/dmesg.txt" "$L/iptables-save.txt"
"$NATLOG" --db "$TMP/k2.db" import -q --year 2026 "$L/messages"
"$NATLOG" --db "$TMP/k.db" import -q --host natlog-lab "$L/dmesg.txt" "$L/iptables-save.txt"
"$NATLOG" --db "$TMP/k.db" import -q --year 2026 "$L/messages"
"$NATLOG" --db "$TMP/km.db" merge "$TMP/k1.db" "$TMP/k2.db" 2> "$TMP/kerr"
check_grep "merge says the syslog's lines were in the store already" "89 lines of '.*k2.db' were already in the store from another file" "$TMP/kerr"
for c in "traces --json" "summary --json" "export" "sources --json"; do
	"$NATLOG" --db "$TMP/k.db" $c | sed 's/"imported_at": "[^"]*"//' > "$TMP/a.out"
	"$NATLOG" --db "$TMP/km.db" $c | sed 's/"imported_at": "[^"]*"//' > "$TMP/m.out"
	check "$c: 18 packets once, as one import of both files" cmp "$TMP/a.out" "$TMP/m.out"
done
eq "89 events, not 178" 89 "$("$NATLOG" --db "$TMP/km.db" sql "SELECT count(*) FROM events" | tail -1)"
keys() { "$NATLOG" --db "$1" sql "SELECT count(fp2), group_concat(fp || ' ' || fp2 || ' ' || wsec) FROM events" | tail -1; }
ka=$(keys "$TMP/k.db")
check "dmesg's lines take syslog's wall-clock seconds and keys, as in one import (${ka%%	*})" \
	test "${ka%%	*}" = 89 -a "$ka" = "$(keys "$TMP/km.db")"
head -40 "$L/dmesg.txt" > "$TMP/dmesg-head.txt"
"$NATLOG" --db "$TMP/k3.db" import -q --host natlog-lab "$TMP/dmesg-head.txt"
"$NATLOG" --db "$TMP/k3.db" merge "$TMP/k2.db" 2> "$TMP/kerr"
check_grep "a packet only partly in the store is kept whole, and merge warns of its lines kept twice" "warning: 6 kernel lines of '.*k2.db' were in the store already" "$TMP/kerr"

# 5. import of a store merges it
check "import of the three stores merges them" "$NATLOG" --db "$TMP/i.db" import -q "$TMP/client.db" "$TMP/gateway.db" "$TMP/server.db"
"$NATLOG" --db "$TMP/i.db" traces --json > "$TMP/i.out"
"$NATLOG" --db "$TMP/m.db" traces --json > "$TMP/m.out"
check "with the same traces as merge" cmp "$TMP/i.out" "$TMP/m.out"

python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE t(x)"); c.execute("INSERT INTO t VALUES (1)"); c.commit()' "$TMP/foreign.db"
check_status "import of another program's SQLite file: not read, exit 3" 3 "$NATLOG" --db "$TMP/i.db" import "$TMP/foreign.db"
check_grep "and said to be no natlog store" "foreign.db' is not a natlog store" "$TMP/err"
check_status "import of a store already merged: nothing added" 0 "$NATLOG" --db "$TMP/i.db" import "$TMP/server.db"
check_grep "and said so" "is a natlog store holding nothing new" "$TMP/err"
check_status "a store on standard input: not read, exit 3" 3 sh -c '"$1" --db "$2" import - < "$3"' sh "$NATLOG" "$TMP/i.db" "$TMP/server.db"
check_grep "and said to be merged from its file" "'-' is an SQLite database: a natlog store is merged from its file" "$TMP/err"

# 6. refused before anything is written
check_status "another program's SQLite file: exit 4" 4 "$NATLOG" --db "$TMP/new.db" merge "$TMP/foreign.db"
check_grep "it is named and said not to be a natlog store" "foreign.db' is not a natlog store (another program's SQLite database)" "$TMP/err"
check "and no store was made" test ! -e "$TMP/new.db"
check_status "a text file: exit 4" 4 "$NATLOG" --db "$TMP/new.db" merge "$T/dmesg.txt"
check_grep "not an SQLite database" "not a natlog store (not an SQLite database)" "$TMP/err"
before=$(counts "$TMP/gwm.db")
check_status "a good store beside a foreign file: exit 4" 4 "$NATLOG" --db "$TMP/gwm.db" merge "$TMP/server.db" "$TMP/foreign.db"
eq "and the good one was not merged either" "$before" "$(counts "$TMP/gwm.db")"
cp "$TMP/server.db" "$TMP/newer.db"
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE meta SET value = 999 WHERE key = ?", ("schema_version",)); c.commit()' "$TMP/newer.db"
check_status "a store of a newer natlog: exit 4" 4 "$NATLOG" --db "$TMP/gwm.db" merge "$TMP/newer.db"
check_grep "which says so" "schema version 999; this natlog knows up to" "$TMP/err"
check_status "the store itself: exit 4" 4 "$NATLOG" --db "$TMP/gwm.db" merge "$TMP/gwm.db"
check_status "no store named: usage" 2 "$NATLOG" --db "$TMP/gwm.db" merge
cp "$TMP/server.db" "$TMP/extra.db"
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE notes(x)"); c.execute("INSERT INTO notes VALUES (1)"); c.commit()' "$TMP/extra.db"
check_status "a store with a table natlog does not know: exit 4, not left behind" 4 "$NATLOG" --db "$TMP/gwm.db" merge "$TMP/extra.db"
check_grep "the table is named" "'notes', 1 rows" "$TMP/err"
eq "nothing merged" "$before" "$(counts "$TMP/gwm.db")"

# 7. one transaction: a failure half-way (the gateway's conntrack records
# refused by a trigger, after its sources, packets and events) leaves nothing
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("CREATE TRIGGER boom BEFORE INSERT ON conntrack BEGIN SELECT RAISE(ABORT, \"no room\"); END"); c.commit()' "$TMP/gwm.db"
check_status "a merge that fails half-way: exit 4" 4 "$NATLOG" --db "$TMP/gwm.db" merge "$TMP/gateway.db"
check_grep "with the store's reason" "no room" "$TMP/err"
eq "and the store as it was" "$before" "$(counts "$TMP/gwm.db")"
check_status "the server's store, then the gateway's again: exit 4" 4 "$NATLOG" --db "$TMP/gwm.db" merge "$TMP/server.db" "$TMP/gateway.db"
check_grep "which says the store before it was merged" "gateway.db': .*no room; not merged (the stores before it were)" "$TMP/err"
eq "the server's sources and packets are in, analysed; none of the gateway's" "server 7 0 0" \
	"$("$NATLOG" --db "$TMP/gwm.db" sql "SELECT 'server ' || (SELECT count(*) FROM packets WHERE host = 'server') || ' ' || (SELECT count(*) FROM packets WHERE analyzed = 0) || ' ' || (SELECT count(*) FROM sources WHERE host = 'gateway')" | tail -1)"

# 8. a store of the schema before 20 (events a table) is upgraded in a copy
python3 - "$TMP/server.db" "$TMP/old.db" "$ROOT"/schema/0*.sql <<'PY'
import os, re, sqlite3, sys
a, b = sys.argv[1], sys.argv[2]
c = sqlite3.connect(b)
last = 0
for f in sys.argv[3:]:
    v = int(re.match(r"0*(\d+)_", os.path.basename(f)).group(1))
    if v < 20:
        c.executescript(open(f).read())
        last = max(last, v)
c.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (str(last),))
c.execute("ATTACH ? AS a", (a,))
for (t,) in c.execute("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name <> 'meta'").fetchall():
    cols = ", ".join(r[1] for r in c.execute("PRAGMA main.table_info(%s)" % t))
    c.execute("INSERT INTO main.%s(%s) SELECT %s FROM a.%s" % (t, cols, cols, t))
c.commit()
PY
cp "$TMP/old.db" "$TMP/old-before.db"
check "a store of schema 19 is merged" "$NATLOG" --db "$TMP/o.db" merge "$TMP/old.db"
check "without being changed itself" cmp "$TMP/old.db" "$TMP/old-before.db"
"$NATLOG" --db "$TMP/o.db" traces --json > "$TMP/o.out"
"$NATLOG" --db "$TMP/server.db" traces --json > "$TMP/s.out"
check "its packets are explained as in the store it was made from" cmp "$TMP/o.out" "$TMP/s.out"

finish
