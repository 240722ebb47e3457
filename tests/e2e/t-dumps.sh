#!/bin/sh
# Several dumps of one host: each packet is explained with the dump its
# trace fits (the closest before it in time when several do), explain
# names that dump, and a monitor's ruleset events are kept, not skipped.
# Data: testdata/lab/two-dumps (a rule changed between two dumps, traced
# before and after; see tests/lab/scenario-two-dumps.sh).
. "$(dirname "$0")/lib.sh"
L=$TD/lab/two-dumps

# the SYN of attempt $1 (expected.tsv), its trace id
syn() {
	sport=$(awk -F'\t' -v a="$1" '$1 == a { print $14 }' "$L/expected.tsv")
	"$NATLOG" traces --json | python3 -c 'import json,sys
print([p["trace"] for p in json.load(sys.stdin) if p["sport"] == '"$sport"' and p["tcp_flags"] == "SYN"][0])'
}
dump_of() {
	"$NATLOG" explain --json --trace "$(syn "$1")" > "$TMP/x.json"
	python3 -c 'import json,sys,os; d=json.load(open(sys.argv[1]))["dump"]; print(os.path.basename(d["source"] or "none"), d["fits"])' "$TMP/x.json"
}
is() { # attempt want
	got=$(dump_of "$1")
	if [ "$got" = "$2" ]; then ok "$1: explained with $2"; else not_ok "$1: explained with '$got', wanted '$2'"; fi
}

check "import the legacy trace and both dumps" "$NATLOG" import -q "$L/dmesg-T.txt" \
	"$L/iptables-save.before.txt" "$L/iptables-save.after.txt"
check "the dumps' times come from their headers" sh -c \
	"\"$NATLOG\" sql 'SELECT time_kind, time FROM rulesets ORDER BY id' | grep -c '^generated	Fri Dec  4 23:20:' | grep -qx 2"
# traced before the change: only the first dump fits; after: only the second
is b1 "iptables-save.before.txt True"
is b2 "iptables-save.before.txt True"
is a1 "iptables-save.after.txt True"
is a2 "iptables-save.after.txt True"
is a3 "iptables-save.after.txt True"
# INPUT did not change: both fit, the closest dump taken before the packet wins
is b3 "iptables-save.before.txt True"
is a4 "iptables-save.after.txt True"
"$NATLOG" explain --json --trace "$(syn b3)" > "$TMP/x.json"
check_json "b3 says why: both fit, this one was taken before it" \
	'"fits 2 of the 2 dumps" in j["dump"]["why"] and "before the packet" in j["dump"]["why"] and j["dump"]["time_evidence"] == "generated"' < "$TMP/x.json"
"$NATLOG" explain --trace "$(syn a1)" > "$TMP/x.txt"
check "explain's text names the dump" grep -q '^dump: .*iptables-save.after.txt (iptables-save, generated Fri Dec  4 23:20:22 2026): the only one of the 2 dumps' "$TMP/x.txt"
"$NATLOG" sql 'SELECT count(*) FROM packets WHERE dump_id IS NOT NULL' > "$TMP/n"
check "the packets table records the dump of every packet" grep -qx 47 "$TMP/n"
rm -f "$NATLOG_DB"*

# only the dump taken after the change: b1 was traced before it
check "import the trace with the later dump only" "$NATLOG" import -q "$L/dmesg-T.txt" "$L/iptables-save.after.txt"
"$NATLOG" explain --json --trace "$(syn b1)" > "$TMP/x.json"
check_json "b1: the later dump does not fit, and explain says where" \
	'j["dump"]["fits"] is False and "filter:FORWARD:rule:2" in j["dump"]["contradicted_at"] and j["decided_by"]["rule"] is None' < "$TMP/x.json"
check_json "b1: a dump newer than the packet and contradicted is flagged" \
	'any("taken" in d and "after this packet" in d and "changed in between" in d for d in j["diagnosis"])' < "$TMP/x.json"
check_json "matches_dump keeps its meaning" \
	'[s["matches_dump"] for s in j["steps"] if s["chain"] == "FORWARD"] == [False]' < "$TMP/x.json"
"$NATLOG" explain --json --trace "$(syn a1)" > "$TMP/x.json"
check_json "a1: the same dump fits a packet traced after it" \
	'j["dump"]["fits"] is True and not any("after this packet" in d for d in j["diagnosis"])' < "$TMP/x.json"
rm -f "$NATLOG_DB"*

# only the earlier dump: a1 contradicts it, but it is older: not flagged as newer
check "import the trace with the earlier dump only" "$NATLOG" import -q "$L/dmesg-T.txt" "$L/iptables-save.before.txt"
"$NATLOG" explain --json --trace "$(syn a1)" > "$TMP/x.json"
check_json "a1: the earlier dump is contradicted and not called newer" \
	'j["dump"]["fits"] is False and not any("after this packet" in d for d in j["diagnosis"])' < "$TMP/x.json"
rm -f "$NATLOG_DB"*

# no dump at all
check "import the trace alone" "$NATLOG" import -q "$L/dmesg-T.txt"
"$NATLOG" explain --json --trace "$(syn b1)" > "$TMP/x.json"
check_json "no dump: explain says so" \
	'j["dump"]["source"] is None and "no ruleset dump" in j["dump"]["why"]' < "$TMP/x.json"
rm -f "$NATLOG_DB"*

# nft: the rule behind handle 5 was replaced; nft monitor printed the change
check "import nft monitor's trace and events with both nft dumps" "$NATLOG" import -q \
	"$L/nft-monitor.txt" "$L/nft-ruleset.before.txt" "$L/nft-ruleset.after.txt"
nsyn() {
	sport=$(awk -F'\t' -v a="$1" '$1 == a { print $14 }' "$L/expected.tsv")
	"$NATLOG" traces --json | python3 -c 'import json,sys
print([p["trace"] for p in json.load(sys.stdin) if p["sport"] == '"$sport"' and p["tcp_flags"] == "SYN"][0])'
}
"$NATLOG" explain --json --trace "$(nsyn n1)" > "$TMP/x.json"
check_json "n1 (dport 80, handle 5 before the change): the earlier nft dump" \
	'j["dump"]["source"].endswith("nft-ruleset.before.txt") and j["dump"]["fits"] and j["decided_by"]["rule"] == "tcp dport 80 accept"' < "$TMP/x.json"
check_json "n1: the change nft monitor recorded after it is named" \
	'"nft-monitor.txt:51: delete rule inet filter forward handle 5" in j["dump"]["changed_after"] and any("ruleset changed after this packet" in d for d in j["diagnosis"])' < "$TMP/x.json"
"$NATLOG" explain --json --trace "$(nsyn n3)" > "$TMP/x.json"
check_json "n3 (dport 8080, handle 5 after the change): the later nft dump" \
	'j["dump"]["source"].endswith("nft-ruleset.after.txt") and j["dump"]["fits"] and j["decided_by"]["rule"] == "tcp dport 8080 accept"' < "$TMP/x.json"
check_json "n3: the first change after it is the later iptables-nft one, not handle 5's" \
	'j["dump"]["changed_after"].split("nft-monitor.txt:")[1].startswith("96: add table ip filter")' < "$TMP/x.json"
"$NATLOG" explain --json --trace "$(nsyn n2)" > "$TMP/x.json"
check_json "n2 (policy drop, fits both): not the dump holding rules added after it" \
	'j["dump"]["source"].endswith("nft-ruleset.before.txt") and j["decided_by"]["position"] == 3 and "added after the packet" in j["dump"]["why"]' < "$TMP/x.json"
"$NATLOG" explain --json --trace "$(nsyn n4)" > "$TMP/x.json"
check_json "n4 (policy drop after the change): the later dump" \
	'j["dump"]["source"].endswith("nft-ruleset.after.txt") and j["decided_by"]["position"] == 4' < "$TMP/x.json"
rm -f "$NATLOG_DB"*
# the later dump alone: n1's handle 5 is now another rule; the monitor knew
check "import nft monitor's output with the later dump only" "$NATLOG" import -q \
	"$L/nft-monitor.txt" "$L/nft-ruleset.after.txt"
"$NATLOG" explain --json --trace "$(nsyn n1)" > "$TMP/x.json"
# (the rebuild of n1's ruleset from these events: t-rewind.sh)
check_json "n1: the later dump, rebuilt to its time: handle 5 is the rule that ran" \
	'j["dump"]["fits"] is True and j["dump"]["rewound"] == 3 and j["decided_by"]["rule"] == "tcp dport 80 accept"' < "$TMP/x.json"
"$NATLOG" sql "SELECT count(*) FROM notices WHERE kind = 'ruleset-change' AND origin = 'nft-monitor'" > "$TMP/n"
check "every ruleset event of nft monitor is kept" grep -qx "$(grep -cE '^(add|delete|create) |^# new generation' "$L/nft-monitor.txt")" "$TMP/n"
rm -f "$NATLOG_DB"*

# archive members: their mtime is the dump's time when it prints none
mkdir -p "$TMP/bundle"
cp "$L/nft-ruleset.before.txt" "$TMP/bundle/"
tar -C "$TMP/bundle" --mtime='2026-12-04 23:20:30 UTC' -cf "$TMP/b.tar" nft-ruleset.before.txt
check "import a dump from an archive" "$NATLOG" import -q "$TMP/b.tar"
"$NATLOG" sql 'SELECT time_kind, time FROM rulesets' > "$TMP/n"
check "its time is the member's mtime" grep -qx 'mtime	2026-12-04T23:20:30Z' "$TMP/n"
rm -f "$NATLOG_DB"*

# xtables-monitor -e and third-party nft monitor output: notices, or errors
check "import xtables-monitor -e events" "$NATLOG" import -q "$L/xtables-monitor-e.txt"
"$NATLOG" sql "SELECT count(*) FROM notices WHERE origin = 'xtables-monitor'" > "$TMP/n"
check "each of its $(wc -l < "$L/xtables-monitor-e.txt") lines is a notice" grep -qx "$(wc -l < "$L/xtables-monitor-e.txt")" "$TMP/n"
rm -f "$NATLOG_DB"*
check "import nftables' own monitor test output" "$NATLOG" import -q "$TD/dumps/nft-monitor-simple.txt"
"$NATLOG" sql "SELECT count(*) FROM notices WHERE kind = 'ruleset-change'" > "$TMP/n"
check "all its event lines are notices" grep -qx "$(wc -l < "$TD/dumps/nft-monitor-simple.txt")" "$TMP/n"
rm -f "$NATLOG_DB"*
printf '# new generation x by process 1 (nft)\n' > "$TMP/bad-gen.txt"
"$NATLOG" import -q "$TMP/bad-gen.txt" 2>/dev/null
"$NATLOG" errors > "$TMP/e" 2>&1
check "a damaged generation line is an error with file:line" grep -q 'bad-gen.txt:1: .*generation line' "$TMP/e"
rm -f "$NATLOG_DB"*

# Two counted dumps (iptables-save -c) taken between the traffic
# (testdata/lab/counted-dumps): each dump's counters are checked against
# the packets traced before it only. b1 hit FORWARD rule 2 before the
# insertion, a2 hit the inserted rule 2 after it; the later dump counts 0
# on its rule 2, which proves b1 is not of its time, and says nothing of a2.
K=$TD/lab/counted-dumps
# syns: "dport verdict decided-rule dump" of each traced SYN attempt
syns() {
	"$NATLOG" traces --json > "$TMP/t.json"
	python3 "$TD/../tests/e2e/syns.py" "$NATLOG" "$TMP/t.json"
}
printf '%s\n' "80 accept FORWARD:rule:2 iptables-save-c.before.txt" \
	"8080 drop FORWARD:policy:3 iptables-save-c.before.txt" \
	"80 accept FORWARD:rule:3 iptables-save-c.after.txt" \
	"8080 accept FORWARD:rule:2 iptables-save-c.after.txt" \
	"9090 drop FORWARD:policy:4 iptables-save-c.after.txt" > "$TMP/want"
check "import syslog (no year in its times) with both counted dumps" "$NATLOG" import -q \
	"$K/messages" "$K/iptables-save-c.before.txt" "$K/iptables-save-c.after.txt"
syns > "$TMP/syns"
check "syslog: every SYN is explained by the counted dump of its time" cmp "$TMP/want" "$TMP/syns"
rm -f "$NATLOG_DB"*
check "import dmesg -T with both counted dumps" "$NATLOG" import -q "$K/dmesg-T.txt" \
	"$K/iptables-save-c.before.txt" "$K/iptables-save-c.after.txt"
syns > "$TMP/syns"
check "every SYN is explained by the counted dump of its time, with its rule" cmp "$TMP/want" "$TMP/syns"
A2=$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(open(sys.argv[1])) if p["dport"] == 8080 and p["tcp_flags"] == "SYN"][-1])' "$TMP/t.json")
"$NATLOG" explain --json --trace "$A2" > "$TMP/a2.json"
check_json "the later dump's 0 on the inserted rule says nothing of a packet traced after it" \
	'j["realignments"] == [] and all(s["matches_dump"] for s in j["steps"]) and j["dump"]["fits"]' < "$TMP/a2.json"
rm -f "$NATLOG_DB"*
# without a wall clock the dumps cannot be placed: unknown, never a wrong rule
check "import dmesg without -T with both counted dumps" "$NATLOG" import -q "$K/dmesg.txt" \
	"$K/iptables-save-c.before.txt" "$K/iptables-save-c.after.txt"
syns > "$TMP/syns"
check "no SYN is explained by a rule that did not decide it" python3 -c '
import sys
want = [l.split()[:3] for l in open(sys.argv[1])]
got = [l.split()[:3] for l in open(sys.argv[2])]
ok = len(got) == len(want) and all(g == w or g[1:] == ["unknown", "None"] for g, w in zip(got, want))
sys.exit(not (ok and sum(g == w for g, w in zip(got, want)) >= 3))
' "$TMP/want" "$TMP/syns"
rm -f "$NATLOG_DB"*

# More dumps than are tried (16): those taken nearest to the packet. The
# one that fits, taken 4 s after the traces, is imported first, so it is
# last in the order of preference; 39 others, a day before and after,
# hold one more FORWARD rule, which the traces contradict.
D=$TD/lab/docker-legacy
mkdir -p "$TMP/many"
cp "$D/iptables-save.txt" "$TMP/many/a-fits.txt"
for k in $(seq 1 39); do
	if [ "$k" -le 19 ]; then day="Fri Nov 20"; else day="Sun Nov 22"; fi
	sed -e "s/^# Generated by \(iptables-save v[0-9.]*\) on .*/# Generated by \1 on $day 10:$(printf %02d "$k"):00 2026/" \
		-e 's/^-A FORWARD -j DOCKER-USER$/-A FORWARD -s 192.0.2.1\/32 -j DROP\n&/' \
		"$D/iptables-save.txt" > "$TMP/many/b-$(printf %02d "$k").txt"
done
export NATLOG_DB=$TMP/many.db
"$NATLOG" import -q "$TMP/many/a-fits.txt"
"$NATLOG" import -q "$TMP/many"/b-*.txt "$D/messages"
"$NATLOG" explain --json --trace 6f5b100616 > "$TMP/many.json"
check_json "of 40 dumps, the 16 taken nearest are tried, and the one that fits is chosen" \
	'j["dump"]["source"].endswith("a-fits.txt") and j["dump"]["fits"] and j["dump"]["candidates"] == 16 and j["dump"]["dumps"] == 40' < "$TMP/many.json"
check_json "and why says how many of how many were tried, and which" \
	'j["dump"]["why"].endswith("(16 of the host'"'"'s 40 dumps were tried: those taken nearest to the packet)")' < "$TMP/many.json"
rm -f "$NATLOG_DB"*

# One listing per table (iptables -L, iptables -t nat -L, -t raw -L, as
# a bundle often holds them): the dump chosen lists one table, and the
# steps of the others were read from the listings that have them; explain
# names those files rather than leave them out.
export NATLOG_DB=$TMP/per-table.db
"$NATLOG" import -q "$D/dmesg.txt" "$D/iptables-L-filter.txt" "$D/iptables-L-nat.txt" "$D/iptables-L-raw.txt"
"$NATLOG" explain --json --trace 6f5b100616 > "$TMP/pt.json"
check_json "JSON: the tables the chosen listing lacks, with the listing each was read from" \
	'sorted((t["table"], t["source"].rsplit("/", 1)[-1]) for t in j["dump"]["tables_from"]) == sorted((t, "iptables-L-%s.txt" % t) for t in ("filter", "nat", "raw") if not j["dump"]["source"].endswith("-%s.txt" % t)) and len(j["dump"]["tables_from"]) == 2' < "$TMP/pt.json"
"$NATLOG" explain --trace 6f5b100616 > "$TMP/pt.txt"
check_grep "text: each such table on a line under the dump" \
	"^  table nat: read from .*iptables-L-nat.txt, which lists it (this dump does not)" "$TMP/pt.txt"
check_grep "why says how the order chose among listings, not that a save was" \
	"comes first in natlog's order (a save before a listing, then the last imported)" "$TMP/pt.txt"
export NATLOG_DB=$TMP/whole.db
"$NATLOG" import -q "$D/dmesg.txt" "$D/iptables-save.txt"
"$NATLOG" explain --json --trace 6f5b100616 > "$TMP/pt.json"
check_json "a save of every table: no table read elsewhere" 'j["dump"]["tables_from"] == []' < "$TMP/pt.json"
rm -f "$TMP"/per-table.db* "$TMP"/whole.db*
finish
