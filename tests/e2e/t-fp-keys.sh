#!/bin/sh
# A kernel line's fingerprints begin with its time (schema 38): a log's
# keys go into their indexes in the order of the log, two lines of one
# time stamp whose keys agree are told apart by their message, the same
# message at two kernel times within one wall-clock second is two lines,
# and an older store's keys are computed again so that its lines are
# still found by a later rendering of them.
. "$(dirname "$0")/lib.sh"

lab="$TD/lab/docker-legacy"

# the lab's syslog (the kernel's own TRACE lines): keys in the log's order
export NATLOG_DB="$TMP/one.db"
"$NATLOG" import -q "$lab/messages" > /dev/null 2>&1
check "a log's uptime keys rise with its kernel times, its wall-clock keys with its seconds" \
	python3 - "$NATLOG_DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("SELECT uptime, wsec, fp, fp2 FROM events WHERE fp IS NOT NULL ORDER BY id").fetchall()
assert len(rows) > 50, len(rows)
up = sorted(rows, key=lambda r: r[0])
# a later kernel time (in microseconds) has a greater key
for a, b in zip(up, up[1:]):
    if round(b[0] * 1e6) > round(a[0] * 1e6):
        assert b[2] > a[2], (a, b)
wall = sorted(rows, key=lambda r: r[1])
for a, b in zip(wall, wall[1:]):
    if b[1] > a[1]:
        assert b[3] > a[3], (a, b)
# the two kinds of key never meet
assert max(r[2] for r in rows) < min(r[3] for r in rows)
# and each is nl_fp_key() of the line's own time and message hash
for up, wsec, fp, fp2, mh in c.execute("SELECT uptime, wsec, fp, fp2, mh FROM events WHERE fp IS NOT NULL"):
    h = mh >> 1
    assert fp == ((int(up * 1e6 + 0.5) & (2**47 - 1)) << 15) | (h & 0x7fff) | 1, (up, fp)
    assert fp2 == (1 << 62) | ((wsec & (2**26 - 1)) << 36) | (h & (2**36 - 1)), (wsec, fp2)
PY

# a second log whose lines carry both times looks them up by key only: the
# message hashes' indexes (random keys) wait for a rendering that needs them
indexes() {
	python3 - "$NATLOG_DB" <<'PY'
import sqlite3, sys
names = ("events_fp", "events_fp2", "steps_fp", "steps_fp2", "events_mh", "steps_mh")
c = sqlite3.connect(sys.argv[1])
print(" ".join(sorted(r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
                      if r[0] in names)))
PY
}
sed 's/ kern\.warn kernel:/ kernel:/' "$lab/messages" > "$TMP/kern.log"
"$NATLOG" import -q "$TMP/kern.log" > /dev/null 2>&1
check "a second log with both times builds the key indexes, not the message ones" \
	test "$(indexes)" = "events_fp events_fp2 steps_fp steps_fp2"
export NATLOG_DB="$TMP/align.db"
"$NATLOG" import -q "$lab/dmesg.txt" > /dev/null 2>&1
"$NATLOG" import -q "$lab/dmesg-T.txt" > /dev/null 2>&1
check "dmesg -T after dmesg (no time in common: lines aligned by message) builds those" \
	test "$(indexes)" = "events_fp events_fp2 events_mh steps_fp steps_fp2 steps_mh"

# two lines of one kernel time stamp whose keys agree (IP IDs 1247 and
# 1711: found by importing 800 such lines and grouping them by key)
line() {
	printf 'Nov 21 15:25:58 natlog-lab kernel: [ 1569.499602] TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= MAC=4e:33:41:b1:a3:99:66:c4:48:ca:52:f8:08:00 SRC=10.77.1.2 DST=10.77.1.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=%s DF PROTO=TCP SPT=60270 DPT=8080 SEQ=53153549 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 \n' "$1"
}
mkdir -p "$TMP/c"
line 1247 > "$TMP/c/messages"
{ line 1711; line 1247; } > "$TMP/c/kern.log"
export NATLOG_DB="$TMP/coll.db"
"$NATLOG" import "$TMP/c/messages" > /dev/null 2>&1
"$NATLOG" import "$TMP/c/kern.log" > /dev/null 2> "$TMP/c/err"
check "two messages of one time stamp share a key" python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
r = c.execute('SELECT count(DISTINCT fp), count(DISTINCT mh), count(*) FROM events').fetchone()
assert r == (1, 2, 2), r
" "$NATLOG_DB"
check_json "and are two packets: the second file's other line is not taken for the first" \
	'sorted(p["ip_id"] for p in j) == [1247, 1711]' <<EOF
$("$NATLOG" traces --json)
EOF
check_grep "while the same line in both files is one event" "1 line was already in the store" "$TMP/c/err"

# same_as_new WHAT WHAT2 ERR NEW_ERR NEW_JSON: the import into the
# upgraded store found as many lines in the store as into the new one
# (both some), and the store ($NATLOG_DB) holds the new one's packets
same_as_new() {
	check "$1" sh -c 'grep -o "[0-9]* lines* .*already in the store[^;]*" "$1" > "$1.n" &&
		test -s "$1.n" && grep -o "[0-9]* lines* .*already in the store[^;]*" "$2" |
		cmp -s - "$1.n"' sh "$3" "$4"
	check "$2" sh -c '"$1" traces --json | cmp -s - "$2"' sh "$NATLOG" "$5"
}

# an older store: its keys hashes unrelated to these (downgrade_to), then
# the same log as another daemon wrote it (its own tag, both times on
# each line: found by key alone, never by message)
export NATLOG_DB="$TMP/new.db"
"$NATLOG" import -q "$lab/messages" "$lab/dmesg.txt" > /dev/null 2>&1
"$NATLOG" import "$TMP/kern.log" > /dev/null 2> "$TMP/new.err"
"$NATLOG" traces --json > "$TMP/new.json"
export NATLOG_DB="$TMP/old.db"
"$NATLOG" import -q "$lab/messages" "$lab/dmesg.txt" > /dev/null 2>&1
downgrade_to "$NATLOG_DB" 37
check "an older store's keys are not these" python3 -c "
import sqlite3, sys
a, b = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
q = 'SELECT fp, fp2 FROM events WHERE fp IS NOT NULL ORDER BY id'
x, y = a.execute(q).fetchall(), b.execute(q).fetchall()
assert len(x) == len(y) > 50 and not set(x) & set(y)
" "$TMP/old.db" "$TMP/new.db"
"$NATLOG" import "$TMP/kern.log" > /dev/null 2> "$TMP/old.err"
same_as_new "imported into it, the log's lines are found as in a new store" \
	"and it holds the same packets" "$TMP/old.err" "$TMP/new.err" "$TMP/new.json"
check "and its keys are those of a new store" python3 -c "
import sqlite3, sys
a, b = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
q = 'SELECT id, fp, fp2, mh FROM events WHERE fp IS NOT NULL ORDER BY id'
assert a.execute(q).fetchall() == b.execute(q).fetchall()
" "$TMP/old.db" "$TMP/new.db"

# schema 40: the keys are computed from each line's times and message
# hash, not stored; a store of 39 (keys stored) upgraded by an import has
# the keys of a new store and finds the same lines
export NATLOG_DB="$TMP/s39.db"
"$NATLOG" import -q "$lab/messages" "$lab/dmesg.txt" > /dev/null 2>&1
"$NATLOG" import -q "$TMP/kern.log" > /dev/null 2>&1
downgrade_to "$NATLOG_DB" 39
"$NATLOG" import -q "$lab/messages" "$lab/dmesg.txt" > /dev/null 2>&1
check "a store of 39 (keys stored, their indexes built) is upgraded" python3 -c "
import sqlite3, sys
q = 'SELECT value FROM meta WHERE key = \'schema_version\''
v = [sqlite3.connect(f).execute(q).fetchone()[0] for f in sys.argv[1:]]
assert int(v[0]) >= 40 and v[0] == v[1], v
" "$NATLOG_DB" "$TMP/new.db"
check "its keys are those of a new store" python3 -c "
import sqlite3, sys
a, b = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
q = 'SELECT id, fp, fp2, mh, wsec FROM events WHERE fp IS NOT NULL ORDER BY id'
x = a.execute(q).fetchall()
assert len(x) > 50 and x == b.execute(q).fetchall()
" "$TMP/s39.db" "$TMP/new.db"
export NATLOG_DB="$TMP/s39b.db"
"$NATLOG" import -q "$lab/messages" "$lab/dmesg.txt" > /dev/null 2>&1
downgrade_to "$NATLOG_DB" 39
"$NATLOG" import "$TMP/kern.log" > /dev/null 2> "$TMP/s39b.err"
same_as_new "the second log's lines are found in the upgraded store as in a new one" \
	"and it holds the same packets" "$TMP/s39b.err" "$TMP/new.err" "$TMP/new.json"
check "whose key indexes are built again" test "$(indexes)" = "events_fp events_fp2 steps_fp steps_fp2"
check "the keys are columns computed, not stored" python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for t in ('event_rows', 'steps'):
    h = {r[1]: r[6] for r in c.execute('PRAGMA table_xinfo(%s)' % t)}
    assert h['fp'] == 2 and h['fp2'] == 2 and h['mh'] == 0, (t, h)
" "$NATLOG_DB"

# dmesg first: its lines have only the kernel time, and syslog's copies
# gave them syslog's wall-clock keys. Since schema 40 the key is computed
# from the second, which the line keeps; before, the store kept the key
# and not the second, and upgrading such a store (38, and again 40) drops
# those keys: dmesg -T (wall clock only) finds the lines by their message
# instead, as it would have before syslog came.
export NATLOG_DB="$TMP/new2.db"
"$NATLOG" import -q "$lab/dmesg.txt" > /dev/null 2>&1
"$NATLOG" import -q "$lab/messages" > /dev/null 2>&1
dmesg_keys() {
	python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute('SELECT count(*) FROM events WHERE fp2 IS NOT NULL AND time NOT LIKE \'%:%\'').fetchone()[0],
      c.execute('SELECT count(*) FROM events WHERE fp2 IS NOT NULL AND wsec IS NULL').fetchone()[0])
" "$1"
}
set -- $(dmesg_keys "$NATLOG_DB")
check "syslog after dmesg gives dmesg's lines wall-clock keys ($1), by their second" \
	test "$1" -gt 50 -a "$2" = 0
cp "$NATLOG_DB" "$TMP/old2.db"
"$NATLOG" import "$lab/dmesg-T.txt" > /dev/null 2> "$TMP/new2.err"
"$NATLOG" traces --json > "$TMP/new2.json"
export NATLOG_DB="$TMP/old2.db"
downgrade_to "$NATLOG_DB" 37
printf 'net.ipv4.ip_forward = 1\n' > "$TMP/sysctl.conf"
"$NATLOG" import -q "$TMP/sysctl.conf" > /dev/null 2>&1
set -- $(dmesg_keys "$NATLOG_DB")
check "the upgrade keeps none of those keys" test "$1" = 0 -a "$2" = 0
"$NATLOG" import "$lab/dmesg-T.txt" > /dev/null 2> "$TMP/old2.err"
same_as_new "dmesg -T's lines are found in the upgraded store as in the other" \
	"and the packets are the same" "$TMP/old2.err" "$TMP/new2.err" "$TMP/new2.json"

# the same message twice within one wall-clock second, its kernel stamps
# 0.4 s apart (a DHCP client's broadcasts, ID=0), in two files: two
# events; the first again with its stamp printed to the millisecond is
# that first line
mkdir -p "$TMP/w"
bcast() {
	printf 'Nov 21 15:25:58 natlog-lab kernel: [ %s] TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= MAC=4e:33:41:b1:a3:99:66:c4:48:ca:52:f8:08:00 SRC=0.0.0.0 DST=255.255.255.255 LEN=328 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=UDP SPT=68 DPT=67 LEN=308 \n' "$1"
}
bcast 1569.499602 > "$TMP/w/part1.log"
bcast 1569.899602 > "$TMP/w/part2.log"
bcast 1569.499 > "$TMP/w/part3.log"
export NATLOG_DB="$TMP/w.db"
"$NATLOG" import "$TMP/w/part1.log" "$TMP/w/part2.log" > /dev/null 2> "$TMP/w/err12"
check "the same message at two kernel times within a second is two events" python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
assert sorted(r[0] for r in c.execute('SELECT uptime FROM events')) == [1569.499602, 1569.899602]
" "$NATLOG_DB"
check "and neither is said to be in the store already" sh -c '! grep -q "already in the store" "$1"' sh "$TMP/w/err12"
"$NATLOG" import "$TMP/w/part3.log" > /dev/null 2> "$TMP/w/err3"
check_grep "a kernel stamp printed to the millisecond is the line of that stamp" \
	"1 line was already in the store" "$TMP/w/err3"
finish
