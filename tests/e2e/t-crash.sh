#!/bin/sh
# Crash safety and concurrency: an import killed with SIGKILL at random
# moments leaves a consistent store, and importing again completes it
# without duplicates; queries running during an import get consistent
# answers. The input is the lab's interleaved recording, repeated with
# shifted kernel times and ports so it is long enough to be interrupted.
. "$(dirname "$0")/lib.sh"

repeat_lab "$TMP/big.log" 150
cp "$TD/lab/interleaved/iptables-save.txt" "$TMP/rules.txt"

count() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
# the indexes a new store has on the tables an import fills first and
# indexes after (packets, frames)
idx="SELECT group_concat(name || ': ' || sql, ' | ') FROM (SELECT name, sql FROM sqlite_master WHERE tbl_name IN ('frames', 'packets') AND type = 'index' ORDER BY name)"
NATLOG_DB=$TMP/none.db "$NATLOG" import -q "$TMP/rules.txt"
want_idx=$(NATLOG_DB=$TMP/none.db "$NATLOG" sql "$idx" | tail -1)
check "a new store has the packets' indexes" \
	sh -c 'case "$1" in *packets_ip_id*packets_seq*packets_src*) exit 0;; esac; exit 1' sh "$want_idx"
NATLOG_DB=$TMP/clean.db NATLOG_PROFILE=1 "$NATLOG" import -q "$TMP/big.log" "$TMP/rules.txt" 2> "$TMP/prof"
check_grep "a log's packets into an empty store are indexed after them" \
	"^natlog profile: store.index [0-9.]* s 1\$" "$TMP/prof"
eq "which leaves the indexes a new store has" "$want_idx" \
	"$(NATLOG_DB=$TMP/clean.db "$NATLOG" sql "$idx" | tail -1)"
want=$(NATLOG_DB=$TMP/clean.db "$NATLOG" traces --json | count)
check "a clean import traces packets" test "$want" -gt 1000
# a new store's first import writes through a rollback journal, then
# leaves the store in WAL for the imports and queries after it
# (the header's read and write versions are 2 in WAL, 1 with a journal)
mode=$(python3 -c 'import sys; h = open(sys.argv[1], "rb").read(20); print(h[18], h[19])' "$TMP/clean.db")
check "a first import leaves the store in WAL ($mode)" test "$mode" = "2 2"
check "and no rollback journal beside it" test ! -e "$TMP/clean.db-journal"

integrity() {
	python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
# killed before the schema was committed: an empty store is consistent too
if not c.execute("SELECT 1 FROM sqlite_master WHERE name = \"sources\"").fetchone():
    sys.exit(0)
# every source is complete: no half-written one, events only of known sources
assert c.execute("SELECT count(*) FROM sources WHERE kind = \"pending\"").fetchone()[0] == 0
assert c.execute("SELECT count(*) FROM events WHERE source_id NOT IN (SELECT id FROM sources)").fetchone()[0] == 0
assert c.execute("SELECT count(*) FROM packets WHERE source_id NOT IN (SELECT id FROM sources)").fetchone()[0] == 0
' "$1"
}

# killed_import DB DELAY FILE...: an import into DB killed with SIGKILL after DELAY
killed_import() {
	kdb=$1 kdelay=$2
	shift 2
	NATLOG_DB=$kdb "$NATLOG" import -q "$@" &
	kpid=$!
	sleep "$kdelay"
	kill -9 "$kpid" 2>/dev/null
	wait "$kpid" 2>/dev/null
}

for delay in 0.05 0.2 0.4 0.7 1.0; do
	db=$TMP/kill-$delay.db
	killed_import "$db" "$delay" "$TMP/rules.txt" "$TMP/big.log"
	# natlog first: a query rolls back what the killed write left half done
	NATLOG_DB=$db "$NATLOG" traces --json > "$TMP/k.json" 2> "$TMP/k.err"
	rc=$?
	if [ ! -s "$db" ] || { [ $rc -le 1 ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/k.json"; }; then
		ok "killed after ${delay}s: a query answers from the sources it finished"
	else not_ok "killed after ${delay}s: the query exits $rc"; sed 's/^/    /' "$TMP/k.err"; fi
	check "killed after ${delay}s: no half write is left" test ! -s "$db-journal"
	check "killed after ${delay}s: the store is consistent" integrity "$db"
	if [ -s "$db" ]; then
		eq "killed after ${delay}s: the packets' indexes are there" "$want_idx" \
			"$(NATLOG_DB=$db "$NATLOG" sql "$idx" | tail -1)"
	else ok "killed after ${delay}s: no store yet"; fi
	NATLOG_DB=$db "$NATLOG" import -q "$TMP/rules.txt" "$TMP/big.log"
	got=$(NATLOG_DB=$db "$NATLOG" traces --json | count)
	if [ "$got" = "$want" ]; then ok "killed after ${delay}s: importing again completes it, no duplicates ($got packets)"
	else not_ok "killed after ${delay}s: $got packets after re-import, wanted $want"; fi
	eq "killed after ${delay}s: and leaves the indexes a new store has" "$want_idx" \
		"$(NATLOG_DB=$db "$NATLOG" sql "$idx" | tail -1)"
done

# A bundle's files into a store without packets: the packets' indexes are
# dropped at the first packet and built once, after the last file, even
# across the commits of the bundle's groups of files (16 MB of input):
# built whole, their pages are as full as one file's, where rows added
# one by one to a built index leave pages half full.
mkdir -p "$TMP/parts"
for k in 1 2 3; do repeat_lab "$TMP/parts/part$k.log" 150 $((k * 150)); done
cat "$TMP/parts/part1.log" "$TMP/parts/part2.log" "$TMP/parts/part3.log" > "$TMP/parts-one.log"
# pages DB INDEX...: each index's pages in DB
pages() {
	python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
names = sys.argv[2:]
print(" ".join("%s:%d" % r for r in c.execute("SELECT name, count(*) FROM dbstat WHERE name IN (%s) "
      "GROUP BY name ORDER BY name" % ", ".join("?" * len(names)), names)))
' "$@"
}
pkt_pages() { pages "$1" packets_seq packets_src packets_host packets_ip_id; }
NATLOG_DB=$TMP/one.db "$NATLOG" import -q "$TMP/rules.txt" "$TMP/parts-one.log"
NATLOG_DB=$TMP/bundle.db NATLOG_PROFILE=1 "$NATLOG" import -q "$TMP/rules.txt" "$TMP/parts" 2> "$TMP/prof"
eq "a bundle's packets are indexed after its last file, as one file's are" \
	"$(pkt_pages "$TMP/one.db")" "$(pkt_pages "$TMP/bundle.db")"
check_grep "once" "^natlog profile: store.index [0-9.]* s 1\$" "$TMP/prof"
eq "and the bundle leaves the indexes a new store has" "$want_idx" \
	"$(NATLOG_DB=$TMP/bundle.db "$NATLOG" sql "$idx" | tail -1)"
eq "and nothing left to build" 0 \
	"$(NATLOG_DB=$TMP/bundle.db "$NATLOG" sql "SELECT count(*) FROM meta WHERE key LIKE 'deferred%'" | tail -1)"

# killed after such a commit (the import waits on a FIFO named after two
# files of 8.5 MB, whose commit it made): the store says which indexes are
# left to build, and the next command that can write builds them
left() {
	python3 -c '
import sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
keys = [r[0] for r in c.execute("SELECT key FROM meta WHERE key LIKE \"deferred%\" ORDER BY key")]
idx = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = \"index\" AND tbl_name = \"packets\" ORDER BY name")]
print("%s | %s" % (" ".join(keys) or "nothing", " ".join(idx)))
' "$1"
}
killed_at_fifo() {
	rm -f "$TMP/fifo" && mkfifo "$TMP/fifo"
	NATLOG_DB=$1 "$NATLOG" import -q "$TMP/rules.txt" "$TMP/parts/part1.log" "$TMP/parts/part2.log" "$TMP/fifo" &
	kpid=$!
	n=0
	while [ $n -lt 100 ] && ! python3 -c '
import sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
sys.exit(0 if c.execute("SELECT count(*) FROM packets").fetchone()[0] == 16800 else 1)
' "$1" 2>/dev/null; do
		sleep 0.1
		n=$((n + 1))
	done
	kill -9 "$kpid" 2>/dev/null
	wait "$kpid" 2>/dev/null
	rm -f "$TMP/fifo"
}
db=$TMP/fifo-query.db
killed_at_fifo "$db"
eq "killed after a group's commit: the packets' indexes wait, noted in meta" \
	"deferred_index:packets | packets_pending sqlite_autoindex_packets_1" "$(left "$db")"
got=$(NATLOG_DB=$db "$NATLOG" traces --json 2> "$TMP/k.err" | count)
eq "a query answers from the two files" 16800 "$got"
check_grep "and analyses their packets" "analysed 16800 packets an interrupted import had left" "$TMP/k.err"
eq "after building the indexes" "nothing | packets_host packets_ip_id packets_pending packets_seq packets_src sqlite_autoindex_packets_1" \
	"$(left "$db")"
eq "which are a new store's" "$want_idx" "$(NATLOG_DB=$db "$NATLOG" sql "$idx" | tail -1)"
db=$TMP/fifo-import.db
killed_at_fifo "$db"
NATLOG_DB=$db "$NATLOG" import -q "$TMP/rules.txt" "$TMP/parts"
eq "killed so, the next import builds them too" "$want_idx" "$(NATLOG_DB=$db "$NATLOG" sql "$idx" | tail -1)"
eq "and completes the bundle, each packet once" \
	"$(NATLOG_DB=$TMP/bundle.db "$NATLOG" traces --json | count)" "$(NATLOG_DB=$db "$NATLOG" traces --json | count)"
eq "with nothing left to build" "nothing | packets_host packets_ip_id packets_pending packets_seq packets_src sqlite_autoindex_packets_1" \
	"$(left "$db")"

# killed before the first page reached the file: an empty file with a
# journal of a transaction that never wrote to it (SQLite's own, made here
# so that the moment does not depend on the machine's speed)
db=$TMP/unborn.db
python3 -c '
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA synchronous = OFF")
c.execute("BEGIN")
c.execute("CREATE TABLE t (a)")
os._exit(0)' "$db"
check "a first write killed early leaves an empty file and its journal" \
	sh -c 'test ! -s "$1" && test -s "$1-journal"' sh "$db"
NATLOG_DB=$db "$NATLOG" traces --json > "$TMP/k.json" 2> "$TMP/k.err"
rc=$?
check "a query there says no store yet (exit $rc)" \
	sh -c 'test "$1" = 4 && grep -q "holds no natlog store yet" "$2"' sh "$rc" "$TMP/k.err"
check "and deletes the journal, which has nothing to give back" test ! -e "$db-journal"
NATLOG_DB=$db "$NATLOG" import -q "$TMP/rules.txt" "$TMP/big.log"
got=$(NATLOG_DB=$db "$NATLOG" traces --json | count)
check "an import there then makes the whole store ($got packets)" test "$got" = "$want"

# readers while a writer imports (WAL): every answer is complete JSON
db=$TMP/concurrent.db
NATLOG_DB=$db "$NATLOG" import -q "$TMP/rules.txt"
NATLOG_DB=$db "$NATLOG" import -q "$TMP/big.log" &
pid=$!
bad=0 n=0
while kill -0 "$pid" 2>/dev/null && [ $n -lt 200 ]; do
	NATLOG_DB=$db "$NATLOG" traces --json > "$TMP/r.json" 2> "$TMP/r.err"
	rc=$?
	if [ $rc -gt 1 ] || ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/r.json" 2>/dev/null; then
		bad=$((bad + 1)); cat "$TMP/r.err"
	fi
	n=$((n + 1))
done
wait "$pid"
if [ $bad -eq 0 ]; then ok "$n queries during an import all answered"; else not_ok "$bad of $n queries during an import failed"; fi

# readers while a new store's first import writes: an answer, or a word
# that the first import keeps them out, never half an answer
db=$TMP/first.db
NATLOG_DB=$db "$NATLOG" import -q "$TMP/rules.txt" "$TMP/big.log" &
pid=$!
bad=0 n=0 answered=0
while kill -0 "$pid" 2>/dev/null && [ $n -lt 200 ]; do
	NATLOG_DB=$db "$NATLOG" traces --json > "$TMP/r.json" 2> "$TMP/r.err"
	rc=$?
	if [ $rc -le 1 ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/r.json" 2>/dev/null; then
		answered=$((answered + 1))
	elif ! grep -q "is being written by its first import\|no store at\|holds no natlog store yet" "$TMP/r.err"; then
		bad=$((bad + 1)); cat "$TMP/r.err"
	fi
	n=$((n + 1))
done
wait "$pid"
if [ $bad -eq 0 ]; then ok "$n queries during a first import: $answered answered, the rest told why not"
else not_ok "$bad of $n queries during a first import failed without saying why"; fi
got=$(NATLOG_DB=$db "$NATLOG" traces --json | count)
check "and the first import is whole ($got packets)" test "$got" = "$want"
# a capture's first frames go in unindexed and are indexed once, in the
# same transaction: killed in between, the store keeps the indexes a new
# store has, and so does the import that completes it
python3 "$ROOT/tests/bench/gen.py" --kind pcap --packets 150000 --seed 2 -o "$TMP/cap.pcap"
for delay in 0.1 0.3 0.5; do
	db=$TMP/cap-$delay.db
	killed_import "$db" "$delay" "$TMP/rules.txt" "$TMP/cap.pcap"
	if [ -s "$db" ]; then
		eq "a capture killed after ${delay}s leaves the frames' indexes" "$want_idx" \
			"$(NATLOG_DB=$db "$NATLOG" sql "$idx" | tail -1)"
	else ok "a capture killed after ${delay}s: no store yet"; fi
	had=0
	[ -s "$db" ] && had=$(NATLOG_DB=$db "$NATLOG" sql "SELECT count(*) FROM frames" | tail -1)
	NATLOG_DB=$db NATLOG_PROFILE=1 "$NATLOG" import -q "$TMP/rules.txt" "$TMP/cap.pcap" 2> "$TMP/prof"
	if [ "$had" = 0 ]; then
		check_grep "importing it again indexes the frames after them" "^natlog profile: store.index [0-9.]* s 1\$" "$TMP/prof"
	else
		check_grep "the capture was whole: nothing to index again" "^natlog profile: store.index [0-9.]* s 0\$" "$TMP/prof"
	fi
	eq "as a new store does" "$want_idx" \
		"$(NATLOG_DB=$db "$NATLOG" sql "$idx" | tail -1)"
	eq "with each frame once" 150000 "$(NATLOG_DB=$db "$NATLOG" sql "SELECT count(*) FROM frames" | tail -1)"
done

# a capture cut in three files (tcpdump -C): its frames indexed once,
# after the last, as the whole capture's are
python3 - "$TMP/cap.pcap" "$TMP/caps" <<'PY'
import os, struct, sys
data = open(sys.argv[1], "rb").read()
recs, off = [], 24
while off < len(data):
    n = struct.unpack("<I", data[off + 8:off + 12])[0]
    recs.append(data[off:off + 16 + n])
    off += 16 + n
os.makedirs(sys.argv[2], exist_ok=True)
for i in range(3):
    with open(os.path.join(sys.argv[2], "cap.pcap%d" % i), "wb") as f:
        f.write(data[:24] + b"".join(recs[i * len(recs) // 3:(i + 1) * len(recs) // 3]))
PY
fpages() { pages "$1" frames_ip_id frames_seq; }
NATLOG_DB=$TMP/cap-one.db "$NATLOG" import -q "$TMP/cap.pcap"
NATLOG_DB=$TMP/cap-three.db "$NATLOG" import -q "$TMP/caps/cap.pcap0" "$TMP/caps/cap.pcap1" "$TMP/caps/cap.pcap2"
eq "a capture in three files: its frames indexed after the last, as one file's are" \
	"$(fpages "$TMP/cap-one.db")" "$(fpages "$TMP/cap-three.db")"
finish
