#!/bin/sh
# traces --rule from the packets' lists of the rules their lines name
# (schema 39, rule_hits): every lab recording, legacy, nft and xtables,
# and every rule form its lines give (TABLE:CHAIN, :TYPE, :N, handles,
# nft positions through the dump's handles, policies whatever N), keeps
# the same packets from the lists as from the lines; the lists are what
# is read; an upgraded store and a merged one get them.
. "$(dirname "$0")/lib.sh"

# FILTERS DB: the --rule forms of every traced line of the store, and a
# few that match nothing, one a line
filters() {
	python3 - "$1" <<'PY'
import random, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
out = set()
rows = c.execute("SELECT DISTINCT kind, nft_family, tbl, chain, type, rulenum, handle FROM events "
                 "WHERE kind IN ('trace', 'nft-trace', 'xt-trace') AND tbl IS NOT NULL AND chain IS NOT NULL").fetchall()
for kind, fam, tbl, chain, typ, num, handle in rows:
    if ":" in tbl + chain or " " in tbl + chain:
        continue
    out.add("%s:%s" % (tbl, chain))
    if typ:
        out.add("%s:%s:%s" % (tbl, chain, typ))
    if kind == "trace":
        if typ and num is not None:
            out.add("%s:%s:%s:%d" % (tbl, chain, typ, num))
        continue
    if fam:
        out.add("%s:%s:%s" % (fam, tbl, chain))
        out.add("%s %s:%s%s" % (fam, tbl, chain, ":" + typ if typ else ""))
    if handle is not None:
        out.add("handle:%d" % handle)
        out.add("%s:%s:handle:%d" % (tbl, chain, handle))
        if fam:
            out.add("%s:%s:%s:handle:%d" % (fam, tbl, chain, handle))
    for (pos,) in c.execute("SELECT DISTINCT position FROM rules WHERE tbl = ? AND chain = ?", (tbl, chain)):
        if pos is not None:
            out.add("%s:%s:rule:%d" % (tbl, chain, pos))
            if fam:
                out.add("%s:%s:%s:rule:%d" % (fam, tbl, chain, pos))
    out.add("%s:%s:policy:%d" % (tbl, chain, 7))
    out.add("%s:%s:rule:%d" % (tbl, chain, 999))
out |= {"nat:NOPE", "filter:FORWARD:rule:999", "inet:filter:forward:rule:77", "handle:999999"}
out = sorted(out)
random.Random(1).shuffle(out)
print("\n".join(sorted(out[:60])))
PY
}

# same LAB DB NULLED: each filter keeps from DB the packets it keeps from
# NULLED, the same store with no lists (the lines read)
same() {
	lab=$1 db=$2 nulled=$3
	n=0 bad=""
	filters "$db" > "$TMP/filters"
	while IFS= read -r f; do
		a=$("$NATLOG" --db "$db" traces --json --rule "$f" 2>/dev/null | md5sum)
		b=$("$NATLOG" --db "$nulled" traces --json --rule "$f" 2>/dev/null | md5sum)
		[ "$a" = "$b" ] || bad="$bad '$f'"
		n=$((n + 1))
	done < "$TMP/filters"
	if [ -z "$bad" ] && [ $n -gt 4 ]; then ok "$lab: $n --rule forms keep the same packets from the lists as from the lines"
	else not_ok "$lab: of $n --rule forms, these differ:$bad"; fi
}

# nulled DB COPY: DB's copy without the lists, so --rule reads the lines
# (the import closed the store: its file holds it all)
nulled() {
	cp "$1" "$2"
	python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE packets SET hits_id = NULL"); c.commit()' "$2"
}

listed() {
	"$NATLOG" --db "$1" sql "SELECT count(*) = count(hits_id) AND count(*) > 0 FROM packets WHERE analyzed = 1" | tail -1
}

for lab in docker-legacy interleaved nft-set-drop nft-bridge xtables-nft two-dumps stale-insert ipv6 three-hosts ct-invalid-nft loopback; do
	db=$TMP/$lab.db
	"$NATLOG" --db "$db" import -q "$TD/lab/$lab" 2>/dev/null
	eq "$lab: every analysed packet has its list" 1 "$(listed "$db")"
	nulled "$db" "$TMP/nulled.db"
	same "$lab" "$db" "$TMP/nulled.db"
done

# third parties' traces (testdata/real: xtables-monitor, nft monitor
# trace, legacy TRACE), all of them in one store
for f in docker-bridge-xtables-monitor-trace.txt aojea-nftrace-readme.trace firewalld-527-trace-chain.trace \
	k3s-calico-xtables-trace.txt docker-networkd-trace.log fedora-nat-part1-trace.txt docker-snap-legacy-trace.log; do
	"$NATLOG" --db "$TMP/real.db" import -q "$TD/real/$f" 2>/dev/null
done
eq "real: every analysed packet has its list" 1 "$(listed "$TMP/real.db")"
nulled "$TMP/real.db" "$TMP/real-nulled.db"
same "testdata/real's traces" "$TMP/real.db" "$TMP/real-nulled.db"

# an nft rule by its position, in a store of nft traces alone: every
# packet with a step at that rule's handle, not only those it decided
# (the lines' query compared kinds with the id of 'trace', a name such a
# store never took, and kept none of their steps)
count() { python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; }
want=$("$NATLOG" --db "$TMP/nft-set-drop.db" sql "SELECT count(*) FROM packets WHERE id IN (SELECT packet_id
	FROM events WHERE kind = 'nft-trace' AND tbl = 'filter' AND chain = 'forward' AND handle IN (SELECT handle
	FROM rules WHERE tbl = 'filter' AND chain = 'forward' AND position = 2)) OR (decided_table = 'filter'
	AND decided_chain = 'forward' AND decided_type = 'rule' AND decided_position = 2)" | tail -1)
check "(filter:forward:rule:2: $want packets in nft-set-drop)" test "$want" -gt 2
eq "an nft position keeps every packet that hit its handle, from the lists" "$want" \
	"$("$NATLOG" --db "$TMP/nft-set-drop.db" traces --json --rule filter:forward:rule:2 | count)"
nulled "$TMP/nft-set-drop.db" "$TMP/nft-nulled.db"
eq "and from the lines" "$want" \
	"$("$NATLOG" --db "$TMP/nft-nulled.db" traces --json --rule filter:forward:rule:2 | count)"

# the lists are what is read: with the traced lines gone, the lists still
# find the packets, the lines none (a decided rule is on the row too: a
# rule no packet was decided by)
db=$TMP/interleaved.db
want=$("$NATLOG" --db "$db" traces --json --rule nat:PREROUTING | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
check "(nat:PREROUTING keeps $want packets)" test "$want" -gt 10
cp "$db" "$TMP/gone.db"
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("DELETE FROM steps"); c.execute("DELETE FROM event_rows WHERE kind = \"trace\""); c.commit()' "$TMP/gone.db"
eq "with the lines deleted, the lists still keep them" "$want" \
	"$("$NATLOG" --db "$TMP/gone.db" traces --json --rule nat:PREROUTING 2>/dev/null | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')"
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE packets SET hits_id = NULL"); c.commit()' "$TMP/gone.db"
check_status "and without the lists, the lines keep none (exit 1)" 1 \
	"$NATLOG" --db "$TMP/gone.db" traces --json --rule nat:PREROUTING

# an older store: read as it is, by its lines; the import that upgrades
# it analyses its packets again, which lists them
cp "$TMP/nft-set-drop.db" "$TMP/s38.db"
downgrade_to "$TMP/s38.db" 38
filters "$TMP/nft-set-drop.db" > "$TMP/fall"; head -20 "$TMP/fall" > "$TMP/f20"
bad=""
while IFS= read -r f; do
	[ "$("$NATLOG" --db "$TMP/s38.db" traces --json --rule "$f" 2>/dev/null | md5sum)" = \
	  "$("$NATLOG" --db "$TMP/nft-set-drop.db" traces --json --rule "$f" 2>/dev/null | md5sum)" ] || bad="$bad '$f'"
done < "$TMP/f20"
if [ -z "$bad" ]; then ok "a store of schema 38 read as it is keeps the same packets"
else not_ok "a store of schema 38 read as it is: these differ:$bad"; fi
printf 'net.ipv4.ip_forward = 1\n' > "$TMP/s38.conf"
"$NATLOG" --db "$TMP/s38.db" import -q "$TMP/s38.conf"
eq "the import that upgrades it lists its packets" 1 "$(listed "$TMP/s38.db")"

# merged: the copied packets are analysed again, and listed
"$NATLOG" --db "$TMP/merged.db" import -q "$TMP/docker-legacy.db" "$TMP/nft-set-drop.db"
eq "a merge lists the packets it copies" 1 "$(listed "$TMP/merged.db")"
eq "as many lists as the stores had" \
	"$("$NATLOG" --db "$TMP/merged.db" sql "SELECT count(DISTINCT hits) FROM rule_hits" | tail -1)" \
	"$(python3 -c 'import sqlite3, sys
print(len(set(h for f in sys.argv[1:] for (h,) in sqlite3.connect(f).execute("SELECT hits FROM rule_hits WHERE id IN (SELECT hits_id FROM packets)"))))' \
	"$TMP/docker-legacy.db" "$TMP/nft-set-drop.db")"
# rules in dump order: a chain without rules lists its policy after its
# table's rules, not before every rule (ip6tables-nft-save of
# robbertkl/docker-ipv6nat#34, composed to its shape)
printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n-A FORWARD -j DOCKER\n-A FORWARD -o br0 -j ACCEPT\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n-A PREROUTING -j DOCKER\nCOMMIT\n' > "$TMP/order.txt"
"$NATLOG" --db "$TMP/order.db" import -q "$TMP/order.txt"
eq "--by dump: each table's rules, then the policies of its chains without rules" \
	"filter:FORWARD:1 filter:FORWARD:2 filter:FORWARD:policy filter:INPUT:policy nat:PREROUTING:1 nat:PREROUTING:policy nat:INPUT:policy" \
	"$("$NATLOG" --db "$TMP/order.db" rules --by dump --json | python3 -c 'import json, sys
print(" ".join("%s:%s:%s" % (r["table"], r["chain"], r["position"] if r["type"] == "rule" else "policy") for r in json.load(sys.stdin)))')"

finish
