#!/bin/sh
# Small sources share a transaction, each inside a savepoint: a bundle of
# many small files is committed a few times, not once a file, and a
# source rolled back inside the shared transaction (the same content
# under another name, a file that cannot be read) takes nothing of the
# others with it.
. "$(dirname "$0")/lib.sh"

src="$TD/lab/interleaved/dmesg.txt"
mkdir -p "$TMP/parts"
# 64 files of three lines each, cut at line boundaries
python3 - "$src" "$TMP/parts" <<'PY'
import sys
lines = open(sys.argv[1], 'rb').read().split(b'\n')[:-1]
for k in range(64):
    part = lines[3 * k:3 * k + 3]
    if part:
        open('%s/p%02d.log' % (sys.argv[2], k), 'wb').write(b''.join(l + b'\n' for l in part))
PY
nparts=$(ls "$TMP/parts" | wc -l)

count() {	# DB SQL: the one number the query gives
	"$NATLOG" --db "$1" sql --json "$2" | python3 -c 'import json,sys; print(list(json.load(sys.stdin)[0].values())[0])'
}
# SQLite's file change counter (header bytes 24-27): one more per commit
# of a store in rollback-journal mode, which a new store's first import is
commits() {
	python3 -c 'import sys; d = open(sys.argv[1], "rb").read(28); print(int.from_bytes(d[24:28], "big"))' "$1"
}

# what the log gives as one file: its pieces, read one after the other in
# one command, give the same packets (a packet cut between two pieces goes
# on in the next, t-rotated.sh)
"$NATLOG" --db "$TMP/each.db" import -q "$src"
# the packets, verdicts and rules as traces lists them
digest='SELECT count(*) || "/" || group_concat(x, ",") FROM (SELECT p.trace || ":" || ifnull(p.verdict, "-") || ":" || ifnull(p.decided_chain, "-") || ":" || (SELECT count(*) FROM events e WHERE e.packet_id = p.id) AS x FROM packets p ORDER BY p.tcp_seq, p.ip_id, p.id)'
want=$(count "$TMP/each.db" "SELECT count(*) FROM events")

"$NATLOG" --db "$TMP/parts.db" import -q "$TMP/parts"
eq "the $nparts files in one import give the events of the whole log" "$want" "$(count "$TMP/parts.db" "SELECT count(*) FROM events")"
eq "and the same packets, verdicts and steps" "$(count "$TMP/each.db" "$digest")" \
	"$(count "$TMP/parts.db" "$digest")"
eq "each piece is a source" "$nparts" "$(count "$TMP/parts.db" "SELECT count(*) FROM sources")"
n=$(commits "$TMP/parts.db")
# a commit a file made it more than 64; the schema, the groups and the
# closing analysis take a few
if [ "$n" -gt 0 ] && [ "$n" -le 16 ]; then ok "$nparts small files are committed in $n commits"
else not_ok "$nparts small files took $n commits"; fi

# the same again: nothing added, the files known by name, size and content
"$NATLOG" --db "$TMP/parts.db" import --json -q "$TMP/parts" > "$TMP/again.json"
check_json "importing them again adds nothing" "j['files'] == 0 and j['already'] == $nparts" < "$TMP/again.json"
eq "and no event twice" "$want" "$(count "$TMP/parts.db" "SELECT count(*) FROM events")"

# a copy under another name is known only by its content, once read: its
# savepoint is rolled back; so is a compressed file that cannot be read
mkdir -p "$TMP/mixed"
cp "$TMP/parts/p00.log" "$TMP/mixed/a.log"
cp "$TMP/parts/p00.log" "$TMP/mixed/b.log"
printf '\037\213\010\000garbage that is no deflate stream' > "$TMP/mixed/c.gz"
cp "$TMP/parts/p01.log" "$TMP/mixed/d.log"
"$NATLOG" --db "$TMP/ad.db" import -q "$TMP/mixed/a.log" "$TMP/mixed/d.log"
"$NATLOG" --db "$TMP/mixed.db" import --json -q "$TMP/mixed" > "$TMP/mixed.json" 2> "$TMP/mixed.err"
check_json "the copy is counted as known, the damaged file as unreadable, two files imported" \
	"j['files'] == 2 and j['already'] == 1 and j['unreadable'] == 1" < "$TMP/mixed.json"
eq "the files around them keep every event" "$(count "$TMP/ad.db" "SELECT count(*) FROM events")" \
	"$(count "$TMP/mixed.db" "SELECT count(*) FROM events")"
eq "and their packets, each once" "$(count "$TMP/ad.db" "SELECT count(*) FROM packets")" \
	"$(count "$TMP/mixed.db" "SELECT count(*) FROM packets")"
"$NATLOG" --db "$TMP/mixed.db" sql --json "SELECT path FROM sources ORDER BY path" > "$TMP/src.json"
check_json "the sources are the two kept files" \
	"[r['path'].rsplit('/', 1)[1] for r in j] == ['a.log', 'd.log']" < "$TMP/src.json"
"$NATLOG" --db "$TMP/mixed.db" sql --json "SELECT count(*) AS n FROM events e JOIN sources s ON s.id = e.source_id WHERE s.path LIKE '%/d.log'" > "$TMP/d.json"
check_json "the file after the rolled-back ones has its own events" "j[0]['n'] > 0" < "$TMP/d.json"
check "the store is sound" sh -c "[ \"\$(sqlite3 '$TMP/mixed.db' 'PRAGMA integrity_check')\" = ok ]"

# a store failure at the sixth file takes the open transaction, and the
# five before it, with it: they are not counted as imported either
"$NATLOG" --db "$TMP/fail.db" import -q "$TD/lab/docker-legacy/dmesg.txt"
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("CREATE TRIGGER no_p05 BEFORE INSERT ON sources WHEN NEW.path LIKE \"%/p05.log\" BEGIN SELECT RAISE(ABORT, \"refused\"); END")' "$TMP/fail.db"
before=$(count "$TMP/fail.db" "SELECT count(*) FROM events")
check_status "a store failure in a shared transaction exits 4" 4 \
	"$NATLOG" --db "$TMP/fail.db" import --json -q "$TMP/parts"
check_grep "and says the files before it since the last commit are not kept" \
	"the 5 files imported before it since the last commit are not kept either" "$TMP/err"
check_json "which are not counted as imported" "j['files'] == 0 and j['events'] == 0" < "$TMP/out"
eq "nor in the store" "$before" "$(count "$TMP/fail.db" "SELECT count(*) FROM events")"
python3 -c 'import sqlite3, sys
sqlite3.connect(sys.argv[1], isolation_level=None).execute("DROP TRIGGER no_p05")' "$TMP/fail.db"
"$NATLOG" --db "$TMP/fail.db" import --json -q "$TMP/parts" > "$TMP/retry.json"
check_json "importing again brings every file" "j['files'] == $nparts" < "$TMP/retry.json"

finish
