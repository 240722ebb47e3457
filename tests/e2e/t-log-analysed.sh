#!/bin/sh
# A packet only logged (a LOG line and no trace) is analysed from its line
# before its row is written, so that no analysis after the import reads it
# back; it is analysed after the import, as every traced packet is, when
# that first analysis cannot stand: a later LOG line of the same packet,
# a conntrack line that may be joined to it by identity, a dump that came
# after it (in an archive: an import reads the dumps among the files it
# names or finds in directories first), two dumps of its host to choose
# between. Whichever way, the store holds the same answer.
. "$(dirname "$0")/lib.sh"

LAB="$TD/lab"
DUMP="$LAB/log-dnat/iptables-save.txt"
# LOG lines of real logs (UFW, FireHOL, an Asus router), and the lab's
# DNAT'd connection logged before DNAT and in FORWARD: two lines a packet
LOGS="$TD/real/fullstack-notes-ufw-glued-fields.log $TD/real/mint-forum-2013-ufw-ip6-frag.log
$TD/real/firehol-blocked-invalid.log $TD/real/asuswrt-merlin-1328-drop.log $LAB/log-dnat/dmesg.txt"

# read_events COUNT of an import's profile: the packets read back
read_back() {
	awk '$3 == "analyse.read_events" { n = $6 } END { print n + 0 }' "$1"
}
# the packets' analyses, as the commands read them, by trace id
answers() {
	sqlite3 -separator '|' "$1" "SELECT p.trace, p.analyzed, p.verdict, p.verdict_inferred,
	p.decided_table, p.decided_chain, p.decided_position, p.decided_rule, r.path, p.dump_tie,
	p.nat_sport, p.nat_dport, p.nat_src, p.nat_dst, p.ifaces, h.hits
	FROM packets p LEFT JOIN rulesets d ON d.id = p.dump_id LEFT JOIN sources r ON r.id = d.source_id
	LEFT JOIN rule_hits h ON h.id = p.hits_id ORDER BY p.trace"
}
multi() {	# packets of more than one line
	sqlite3 "$1" "SELECT count(*) FROM packets p WHERE (SELECT count(*) FROM events e
	WHERE e.packet_id = p.id) > 1"
}

# the dump first, then the logs
A="$TMP/a.db"
"$NATLOG" --db "$A" import -q "$DUMP" > /dev/null 2>&1
# shellcheck disable=SC2086
NATLOG_PROFILE=1 "$NATLOG" --db "$A" import -q $LOGS > /dev/null 2> "$TMP/a.prof"
n=$(sqlite3 "$A" "SELECT count(*) FROM packets WHERE source = 'log'")
m=$(multi "$A")
n4=$(sqlite3 "$A" "SELECT count(*) FROM packets WHERE family = 4")
check "the logs hold packets only logged, some of two lines" test "$n" -gt 20 -a "$m" -gt 2 \
	-a "$(sqlite3 "$A" "SELECT count(*) FROM packets")" = "$n"
eq "only the packets a second line joined are read back after the import" "$m" "$(read_back "$TMP/a.prof")"
eq "every packet is analysed" 0 "$(sqlite3 "$A" "SELECT count(*) FROM packets WHERE analyzed = 0")"
check "IPv4 packets are explained by the dump, IPv6 ones by none" test \
	"$(sqlite3 "$A" "SELECT count(*) FROM packets WHERE family = 4 AND dump_id IS NULL")" = 0 -a \
	"$(sqlite3 "$A" "SELECT count(*) FROM packets WHERE family = 6 AND dump_id IS NOT NULL")" = 0 -a \
	"$(sqlite3 "$A" "SELECT count(*) FROM packets WHERE family = 6")" -gt 0
check "a packet DNAT'd between its two LOG lines shows the rewrite" test \
	"$(sqlite3 "$A" "SELECT count(*) FROM packets WHERE nat_dst = '10.77.2.10' AND nat_dport = 80")" -gt 0
answers "$A" > "$TMP/a.ans"

# the logs first, the dump in a later import: every packet again
B="$TMP/b.db"
# shellcheck disable=SC2086
"$NATLOG" --db "$B" import -q $LOGS > /dev/null 2>&1
NATLOG_PROFILE=1 "$NATLOG" --db "$B" import -q "$DUMP" > /dev/null 2> "$TMP/b.prof"
eq "a dump of a later import has every packet of its family analysed again" "$n4" \
	"$(read_back "$TMP/b.prof")"
answers "$B" > "$TMP/b.ans"
check "the same answers as with the dump first" cmp "$TMP/a.ans" "$TMP/b.ans"

# one import, the dump named after the logs: read before them
C="$TMP/c.db"
# shellcheck disable=SC2086
NATLOG_PROFILE=1 "$NATLOG" --db "$C" import -q $LOGS "$DUMP" > /dev/null 2> "$TMP/c.prof"
eq "one import reads the dump named after the logs first" "$m" "$(read_back "$TMP/c.prof")"
eq "and says so in the sources' order" "$DUMP" "$("$NATLOG" --db "$C" sources --json |
	python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["path"])')"
answers "$C" > "$TMP/c.ans"
check "the same answers as with the dump first (one import)" cmp "$TMP/a.ans" "$TMP/c.ans"
# a directory's dumps are read first, the rest in name order
"$NATLOG" --db "$TMP/dir.db" import -q "$LAB/log-dnat" > /dev/null 2>&1
"$NATLOG" --db "$TMP/dir.db" sources --json | python3 -c '
import json, sys
kinds = [s["kind"] for s in json.load(sys.stdin)]
print(" ".join(kinds))' > "$TMP/dir.kinds"
eq "a directory's dumps first, then its logs, each in name order" \
	"iptables-list iptables-list iptables-list iptables-save iptables-save nft-json nft-ruleset kernel-log kernel-log kernel-log kernel-log kernel-log" \
	"$(cat "$TMP/dir.kinds")"

# an archive's members come in the archive's order: the dump after the
# logs has them analysed again
mkdir "$TMP/tar"
# shellcheck disable=SC2086
cp $LOGS "$TMP/tar/"
cp "$DUMP" "$TMP/tar/zz-iptables-save.txt"
(cd "$TMP/tar" && tar cf ../logs.tar ./*)
NATLOG_PROFILE=1 "$NATLOG" --db "$TMP/t.db" import -q "$TMP/logs.tar" > /dev/null 2> "$TMP/t.prof"
eq "a dump after the logs in an archive has them analysed again" "$n4" "$(read_back "$TMP/t.prof")"
answers "$TMP/t.db" | sed "s|$TMP/logs.tar:./zz-iptables-save.txt|$DUMP|" > "$TMP/t.ans"
check "the same answers as with the dump first (archive)" cmp "$TMP/a.ans" "$TMP/t.ans"

# conntrack's invalid lines of the lab's packets, and the LOG lines a LOG
# rule would have printed of the same packets
CT="$TMP/ct.txt"
LOG="$TMP/logged.txt"
grep 'nf_ct_proto_' "$LAB/ct-invalid/dmesg.txt" > "$CT"
sed 's/nf_ct_proto_[0-9]*: [^=]* IN=/ct-probe: IN=/' "$CT" > "$LOG"
D="$TMP/d.db"
"$NATLOG" --db "$D" import -q "$DUMP" > /dev/null 2>&1
NATLOG_PROFILE=1 "$NATLOG" --db "$D" import -q "$LOG" "$CT" > /dev/null 2> "$TMP/d.prof"
k=$(sqlite3 "$D" "SELECT count(*) FROM packets")
check "the conntrack lines are no packet's until joined" test "$k" -gt 5 -a \
	"$(sqlite3 "$D" "SELECT count(*) FROM events WHERE kind = 'ct-invalid' AND packet_id IS NULL")" = \
	"$(wc -l < "$CT" | tr -d ' ')"
eq "a conntrack line after packets only logged has them analysed after the import" "$k" \
	"$(read_back "$TMP/d.prof")"
E="$TMP/e.db"
"$NATLOG" --db "$E" import -q "$DUMP" "$CT" > /dev/null 2>&1
NATLOG_PROFILE=1 "$NATLOG" --db "$E" import -q "$LOG" > /dev/null 2> "$TMP/e.prof"
eq "packets only logged where a conntrack line waits are analysed after the import" "$k" \
	"$(read_back "$TMP/e.prof")"
answers "$D" > "$TMP/d.ans"
answers "$E" > "$TMP/e.ans"
check "the same answers whichever came first" cmp "$TMP/d.ans" "$TMP/e.ans"
"$NATLOG" --db "$D" explain --trace "$(sqlite3 "$D" "SELECT trace FROM packets ORDER BY id LIMIT 1")" \
	> "$TMP/d.explain" 2>&1
check_grep "explain joins the conntrack line to the packet only logged" \
	"conntrack INVALID: 'invalid tcp flag combination' ($CT line 1" \
	"$TMP/d.explain"

# a log of three hosts' lines in turn, each host with its dump: each
# packet is explained by its own host's, whatever host the line before
# was of (the rules read for each host are kept for the next of its lines)
awk '{ $4 = "node-" (NR % 3); print }' "$LAB/log-dnat/messages" "$TD/real/fullstack-notes-ufw-glued-fields.log" \
	"$TD/real/firehol-blocked-invalid.log" > "$TMP/hosts.log"
H="$TMP/h.db"
for h in node-0 node-1 node-2; do
	"$NATLOG" --db "$H" import -q --host "$h" "$DUMP" > /dev/null 2>&1
done
NATLOG_PROFILE=1 "$NATLOG" --db "$H" import -q "$TMP/hosts.log" > /dev/null 2> "$TMP/h.prof"
eq "packets of three hosts in turn, analysed as stored" "$(multi "$H")" "$(read_back "$TMP/h.prof")"
check "each explained by its own host's dump" test \
	"$(sqlite3 "$H" "SELECT count(DISTINCT p.host) FROM packets p JOIN rulesets r ON r.id = p.dump_id
	WHERE r.host = p.host")" = 3 -a \
	"$(sqlite3 "$H" "SELECT count(*) FROM packets p LEFT JOIN rulesets r ON r.id = p.dump_id
	WHERE p.family = 4 AND r.host IS NOT p.host")" = 0

# two dumps of the host: other packets' traces choose between them
F="$TMP/f.db"
"$NATLOG" --db "$F" import -q "$LAB/two-dumps/iptables-save.before.txt" \
	"$LAB/two-dumps/iptables-save.after.txt" > /dev/null 2>&1
NATLOG_PROFILE=1 "$NATLOG" --db "$F" import -q "$LOG" > /dev/null 2> "$TMP/f.prof"
eq "a host with two dumps has its packets only logged analysed after the import" "$k" \
	"$(read_back "$TMP/f.prof")"
eq "and analysed" 0 "$(sqlite3 "$F" "SELECT count(*) FROM packets WHERE analyzed = 0 OR dump_id IS NULL")"

finish
