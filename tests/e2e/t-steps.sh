#!/bin/sh
# Each packet's headers once (schema 20): a packet's later lines are narrow
# rows of steps, and the events view gives back what whole rows held. The
# reference is the same lines as whole rows: a store of the schema before
# 20 filled with what the view gives, then upgraded by an import, which
# keeps its rows whole and analyses its packets again from them.
. "$(dirname "$0")/lib.sh"

A="$TMP/a.db"
B="$TMP/b.db"
LAB="$TD/lab"
"$NATLOG" --db "$A" import -q "$LAB/docker-legacy/messages" "$LAB/docker-legacy/iptables-save.txt" \
	"$LAB/interleaved/dmesg.txt" "$LAB/nft-set-drop/nft-monitor-trace.txt" \
	"$LAB/nft-set-drop/nft-ruleset.txt" "$LAB/ipv6" > /dev/null 2>&1

check "a packet's later lines are narrow steps, its first line a whole row" python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
steps = c.execute('SELECT count(*) FROM steps').fetchone()[0]
rows = c.execute('SELECT count(*) FROM event_rows').fetchone()[0]
assert steps > 200 and steps > rows // 2, (steps, rows)
frames = c.execute('SELECT count(*) FROM frames').fetchone()[0]
assert frames > 0, frames
assert c.execute('SELECT count(*) FROM events').fetchone()[0] == steps + rows + frames
# every packet with steps has its first line whole
assert c.execute('SELECT count(*) FROM steps s WHERE NOT EXISTS (SELECT 1 FROM event_rows b '
                 'WHERE b.packet_id = s.packet_id AND b.step = 1)').fetchone()[0] == 0
# ids are one sequence over the three tables
assert c.execute('SELECT count(*) FROM steps s JOIN event_rows e ON e.id = s.id').fetchone()[0] == 0
assert c.execute('SELECT count(*) FROM (SELECT id FROM steps UNION ALL SELECT id FROM event_rows) e '
                 'JOIN frames f ON f.id = e.id').fetchone()[0] == 0
" "$A"
check "a step keeps the addresses only where NAT changed them" python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
same, nat = c.execute('SELECT sum(s.dst IS NULL), sum(s.dst IS NOT NULL AND s.dst <> b.dst) FROM steps s '
                      'JOIN event_rows b ON b.packet_id = s.packet_id AND b.step = 1').fetchone()
assert same > 0 and nat > 0, (same, nat)
assert c.execute('SELECT count(*) FROM steps s JOIN event_rows b ON b.packet_id = s.packet_id '
                 'AND b.step = 1 WHERE s.dst = b.dst OR s.src = b.src').fetchone()[0] == 0
" "$A"
check "a step stores no time when it is its first line's (schema 30)" python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
base = 'FROM steps s JOIN event_rows b ON b.packet_id = s.packet_id AND b.step = 1 '
n, timed = c.execute('SELECT count(*), count(b.time) ' + base + 'WHERE s.time IS NULL').fetchone()
assert n > 100 and timed > 50, (n, timed)
assert c.execute('SELECT count(*) ' + base + 'WHERE s.time = b.time').fetchone()[0] == 0
# the view gives the first line's time back
assert c.execute('SELECT count(*) FROM events e JOIN steps s ON s.id = e.id JOIN event_rows b ON '
                 'b.packet_id = s.packet_id AND b.step = 1 WHERE s.time IS NULL AND '
                 'e.time IS NOT b.time').fetchone()[0] == 0
" "$A"
check "tables, chains, interfaces and rules are stored once, as names" python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = c.execute('SELECT count(*) FROM names').fetchone()[0]
assert 0 < n < 200, n
assert c.execute(\"SELECT count(*) FROM names WHERE name IN ('PREROUTING', 'nat', 'eth0')\").fetchone()[0] >= 2
" "$A"

# B: the schema files before 20, holding as whole rows what A's view gives
python3 - "$A" "$B" "$ROOT"/schema/0*.sql <<'PY'
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
# and its packets analysed again, from whole rows
c.execute("UPDATE main.packets SET analyzed = 0, verdict = NULL, decided_rule = NULL")
c.commit()
PY
printf 'net.ipv4.ip_forward = 1\n' > "$TMP/sysctl.conf"
check "a store of the schema before 20 is upgraded by an import" "$NATLOG" --db "$B" import -q "$TMP/sysctl.conf"
"$NATLOG" --db "$A" import -q "$TMP/sysctl.conf" > /dev/null 2>&1
check "its lines stay whole rows, under the same ids" python3 -c "
import sqlite3, sys
a, b = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
assert b.execute('SELECT count(*) FROM steps').fetchone()[0] == 0
q = 'SELECT * FROM events ORDER BY id'
assert a.execute(q).fetchall() == b.execute(q).fetchall()
assert b.execute('SELECT count(*) FROM packets WHERE analyzed = 0').fetchone()[0] == 0
" "$A" "$B"
check "packets analysed from steps get the verdicts whole rows give" python3 -c "
import sqlite3, sys
a, b = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
q = 'SELECT * FROM packets ORDER BY id'
pa, pb = a.execute(q).fetchall(), b.execute(q).fetchall()
assert len(pa) > 50 and pa == pb, [x for x in zip(pa, pb) if x[0] != x[1]][:3]
" "$A" "$B"
check "explain reads the same packets from steps as from whole rows" python3 - "$NATLOG" "$A" "$B" <<'PY'
import json, subprocess, sys
natlog, a, b = sys.argv[1:4]
def run(db, *args):
    return subprocess.run([natlog, "--db", db] + list(args), stdout=subprocess.PIPE, check=True).stdout
traces = [p["trace"] for p in json.loads(run(a, "traces", "--json"))]
assert len(traces) > 50, len(traces)
for t in traces:
    x, y = run(a, "explain", "--trace", t, "--json"), run(b, "explain", "--trace", t, "--json")
    assert x == y, t
PY
# the upgraded store takes new lines as steps, numbered after its old ones
"$NATLOG" --db "$A" import -q "$LAB/udp-icmp/dmesg.txt" "$LAB/udp-icmp/iptables-save.txt" > /dev/null 2>&1
check "an upgraded store stores new packets' later lines as steps" "$NATLOG" --db "$B" import -q \
	"$LAB/udp-icmp/dmesg.txt" "$LAB/udp-icmp/iptables-save.txt"
check "and gives the same events and verdicts as a new store" python3 -c "
import sqlite3, sys
a, b = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
assert b.execute('SELECT count(*) FROM steps').fetchone()[0] > 0
for q in ('SELECT * FROM events ORDER BY id', 'SELECT * FROM packets ORDER BY id'):
    assert a.execute(q).fetchall() == b.execute(q).fetchall(), q
" "$A" "$B"
# a store of schema 29 stored every step's time; a step that printed none
# under a first line that did stays without one after the upgrade
O="$TMP/old29.db"
cp "$A" "$O"
unfp "$O"
python3 - "$O" "$ROOT"/schema/028_frames.sql <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
v28 = open(sys.argv[2]).read()
c.executescript(v28[v28.index("DROP VIEW events;"):])
c.execute("UPDATE steps SET time = (SELECT b.time FROM event_rows b WHERE b.packet_id = steps.packet_id "
          "AND b.step = 1) WHERE time IS NULL")
c.execute("UPDATE steps SET time = NULL WHERE id = (SELECT min(s.id) FROM steps s JOIN event_rows b ON "
          "b.packet_id = s.packet_id AND b.step = 1 WHERE b.time IS NOT NULL)")
c.execute("ALTER TABLE notices DROP COLUMN netns")	# schema 35
c.execute("ALTER TABLE packets DROP COLUMN netns")	# schema 36
c.execute("DROP INDEX sources_sha256_host")	# schema 37
c.execute("ALTER TABLE sources DROP COLUMN netns")
c.execute("CREATE UNIQUE INDEX sources_sha256_host ON sources(sha256, ifnull(host, ''))")
c.execute("ALTER TABLE packets DROP COLUMN hits_id")	# schema 39
c.execute("DROP TABLE rule_hits")
c.execute("UPDATE meta SET value = '29' WHERE key = 'schema_version'")
c.commit()
open(sys.argv[1] + ".events", "w").write(repr(c.execute("SELECT * FROM events ORDER BY id").fetchall()))
PY
check "a store of schema 29 is upgraded by an import" "$NATLOG" --db "$O" import -q "$TMP/sysctl.conf"
check "and its events keep their times, none where a step printed none" python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
assert repr(c.execute('SELECT * FROM events ORDER BY id').fetchall()) == open(sys.argv[1] + '.events').read()
assert c.execute('SELECT count(*) FROM events e JOIN steps s ON s.id = e.id WHERE s.time = \'\' '
                 'AND e.time IS NULL').fetchone()[0] == 1
" "$O"
check "natlog sql reads the events view" sh -c "\"$NATLOG\" --db \"$A\" sql \"SELECT count(*) FROM events WHERE chain = 'DOCKER' AND step > 1\" | tail -1 | grep -qv '^0$'"
finish
