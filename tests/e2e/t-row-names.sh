#!/bin/sh
# The strings a whole row repeats on nearly every line of a log (its MAC
# header, a LOG line's prefix) are ids into names since schema 41, as a
# step's are; conntrack's reason, most often with a sequence number in it,
# stays text: the events view gives the text the log
# printed, the commands answer as before, a store of schema 40 is read as
# it is and upgraded by an import without losing one, and merge maps the
# ids of each store.
. "$(dirname "$0")/lib.sh"

LAB="$TD/lab"
A="$TMP/a.db"
UFW="$TD/real/mint-forum-2013-ufw-ip6-frag.log $TD/real/fullstack-notes-ufw-glued-fields.log"
# shellcheck disable=SC2086
"$NATLOG" --db "$A" import -q "$LAB/log-target" "$LAB/ct-invalid" "$LAB/docker-legacy" $UFW > /dev/null 2>&1

check "a whole row's MAC header and prefix are names ids, the view's the log's text" python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
seen = {}
for col in ('mac', 'prefix', 'reason'):
    kinds = ('text', 'null') if col == 'reason' else ('integer', 'null')
    assert c.execute('SELECT count(*) FROM event_rows WHERE typeof(%s) NOT IN %s'
                     % (col, kinds)).fetchone()[0] == 0, col
    rows = c.execute('SELECT s.path, e.line, v.%s, v.kind FROM event_rows e JOIN events v ON v.id = e.id '
                     'JOIN sources s ON s.id = e.source_id WHERE e.%s IS NOT NULL' % (col, col)).fetchall()
    seen[col] = len(rows)
    text = {}
    for path, line, value, kind in rows:
        if path not in text:
            text[path] = open(path, errors='replace').read().split('\n')
        raw = text[path][line - 1]
        if col == 'mac':
            assert ' MAC=' + value + ' ' in raw, (path, line, value)
        elif col == 'prefix':
            assert kind == 'log' and raw.index(value) < raw.index('IN='), (path, line, value)
        else:
            assert kind == 'ct-invalid' and ': ' + value in raw, (path, line, value)
    # each string stored once, whatever the lines that repeat it
    n, d = c.execute('SELECT count(*), count(DISTINCT %s) FROM event_rows WHERE %s IS NOT NULL'
                     % (col, col)).fetchone()
    assert col == 'reason' or d < n, (col, n, d)
assert seen['mac'] > 40 and seen['prefix'] > 10 and seen['reason'] > 5, seen
" "$A"

# the same store as schema 40 held it: the three columns text
O="$TMP/s40.db"
cp "$A" "$O"
unnames "$O"
python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
assert c.execute('SELECT count(*) FROM event_rows WHERE typeof(prefix) = \'text\'').fetchone()[0] > 10
open(sys.argv[1] + '.events', 'w').write(repr(c.execute('SELECT * FROM events ORDER BY id').fetchall()))
" "$O"
answers() {	# DB: what the commands say of LOG and conntrack lines
	"$NATLOG" --db "$1" traces --json
	"$NATLOG" --db "$1" invalid --json
	"$NATLOG" --db "$1" summary --json
	"$NATLOG" --db "$1" export --what packets
	for t in $("$NATLOG" --db "$1" sql "SELECT trace FROM packets ORDER BY id" | tail -n +2); do
		"$NATLOG" --db "$1" explain --trace "$t" --json
	done
}
answers "$A" > "$TMP/a.out" 2>&1
answers "$O" > "$TMP/o.out" 2>&1
check "the commands give LOG prefixes and conntrack's reasons" python3 -c "
import sys
t = open(sys.argv[1]).read()
assert t.count('\"log_prefix\": \"[UFW BLOCK]\"') > 3, t.count('\"log_prefix\": \"')
assert t.count('\"prefix\": \"') > 10 and t.count('\"reason\": \"') > 5, t[:300]
" "$TMP/a.out"
check "a store of schema 40 read as it is answers the same" cmp "$TMP/a.out" "$TMP/o.out"
check "and is upgraded by an import" "$NATLOG" --db "$O" import -q "$LAB/udp-icmp/iptables-save.txt"
check "which keeps every line's MAC header and prefix" python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
q = 'SELECT value FROM meta WHERE key = \'schema_version\''
assert c.execute(q).fetchone()[0] == sqlite3.connect(sys.argv[2]).execute(q).fetchone()[0]
for col in ('mac', 'prefix'):
    assert c.execute('SELECT count(*) FROM event_rows WHERE typeof(%s) = \'text\'' % col).fetchone()[0] == 0
assert repr(c.execute('SELECT * FROM events ORDER BY id').fetchall()) == open(sys.argv[1] + '.events').read()
" "$O" "$A"

# merge: each store numbers its names itself
# shellcheck disable=SC2086
"$NATLOG" --db "$TMP/m1.db" import -q "$LAB/ct-invalid" $UFW
"$NATLOG" --db "$TMP/m2.db" import -q "$LAB/log-target" "$LAB/docker-legacy"
"$NATLOG" --db "$TMP/m12.db" merge -q "$TMP/m2.db" "$TMP/m1.db"
strings() { "$NATLOG" --db "$1" sql "SELECT s.path, e.line, e.mac, e.prefix, e.reason FROM events e JOIN sources s ON s.id = e.source_id WHERE e.kind <> 'wire' ORDER BY 1, 2, e.id"; }
strings "$A" > "$TMP/all.txt"
strings "$TMP/m12.db" > "$TMP/m12.txt"
macids() { "$NATLOG" --db "$1" sql "SELECT group_concat(id) AS ids FROM (SELECT id FROM names WHERE name LIKE '%:08:00' ORDER BY id)" | tail -1; }
check "stores whose names ids differ" test "$(macids "$TMP/m1.db")" != "$(macids "$TMP/m2.db")"
check "are merged with every line's strings, as one import of all the files" cmp "$TMP/all.txt" "$TMP/m12.txt"
finish
