#!/bin/sh
# A trustworthy import: bad lines are recorded with file and line and
# never stop the rest; the same content twice adds nothing; stdin works.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/in"
{
	head -3 "$TD/seed003/messages"
	echo "fedora kernel: [ 2350.5] TRACE: raw:OUTPUT:policy:2 IN= OUT=eth0 SRC=172.19.0.1 DST=172.19.0.9 LEN=60 TOS=0x10 PREC=0x00 TTL=64 ID=99999999 PROTO=TCP SPT=1 DPT=2 "
	echo "an ordinary syslog line about nothing"
	printf 'fedora kernel: [ 2350.6] TRACE: raw:OUTPUT:policy:2\r\n'
	tail -2 "$TD/seed003/messages"
} > "$TMP/in/messages"
check_status "a file with bad lines imports the rest and exits 3" 3 "$NATLOG" import "$TMP/in/messages"
check_grep "the error names file and line" "messages:4: error: ID=99999999 is not a valid value" "$TMP/err"
check_grep "the summary counts the errors" "2 errors" "$TMP/err"
"$NATLOG" errors --json > "$TMP/errors.json"
check_json "errors are kept with file, line and reason" \
	'[(e["line"], e["reason"][:5]) for e in j] == [(4, "ID=99"), (6, "no pa")] and j[0]["file"].endswith("messages")' < "$TMP/errors.json"
"$NATLOG" traces --json > "$TMP/t1.json"
check_json "the good lines were imported" 'len(j) >= 2' < "$TMP/t1.json"
n1=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$TMP/t1.json")
check "importing the same content again succeeds" "$NATLOG" import "$TMP/in/messages"
check_grep "and says it was imported before" "imported before" "$TMP/err"
cp "$TMP/in/messages" "$TMP/in/copy-of-messages"
"$NATLOG" import -q "$TMP/in/copy-of-messages"
"$NATLOG" traces --json > "$TMP/t2.json"
check_json "re-import added no packet" "len(j) == $n1" < "$TMP/t2.json"
"$NATLOG" sources --json > "$TMP/s.json"
check_json "one source recorded for the content" 'len(j) == 1' < "$TMP/s.json"
check "stdin is read with '-'" sh -c "\"$NATLOG\" import -q - < \"$TD/seed003/iptables-save.txt\""
"$NATLOG" sources --json > "$TMP/s.json"
check_json "stdin source is a ruleset dump" 'j[-1]["path"] == "-" and j[-1]["kind"] == "iptables-save"' < "$TMP/s.json"
# hostile input: random bytes, NUL bytes, a 2 MiB line, invalid UTF-8
head -c 200000 /dev/urandom > "$TMP/in/random.bin" 2>/dev/null || dd if=/dev/urandom of="$TMP/in/random.bin" bs=1000 count=200 2>/dev/null
python3 -c '
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"x" * (2 << 20) + b" IN=eth0 OUT= \n")
    f.write(b"TRACE: raw:PREROUTING:policy:2 IN=e\x00th0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=1 PROTO=UDP SPT=1 DPT=2 LEN=1\n")
    f.write(b"\xff\xfe TRACE: raw:PREROUTING:policy:2 IN=\xc3\x28 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=1 PROTO=UDP SPT=1 DPT=2 LEN=1\n")
' "$TMP/in/hostile.txt"
"$NATLOG" import "$TMP/in/random.bin" "$TMP/in/hostile.txt" > "$TMP/out" 2> "$TMP/err"
rc=$?
if [ $rc -eq 0 ] || [ $rc -eq 3 ]; then ok "hostile input imports without a crash (exit $rc)"; else not_ok "hostile input (exit $rc)"; fi
check_grep "an overlong line is reported" "longer than 1 MiB" "$TMP/err"
"$NATLOG" import "$TMP/in/hostile.txt" > "$TMP/out" 2> "$TMP/err"
check_grep "the same file again is recognised" "imported before (same content)" "$TMP/err"
if grep -q "error:" "$TMP/err"; then not_ok "the same file again is parsed again (its errors were reported)"; else
	ok "the same file again is recognised by its hash before it is parsed"; fi
"$NATLOG" errors --json > "$TMP/e.json"
check_json "errors output is valid JSON even for invalid UTF-8" 'isinstance(j, list)' < "$TMP/e.json"
check "the store is intact" python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); assert c.execute('PRAGMA integrity_check').fetchone()[0]=='ok'" "$NATLOG_DB"
check_status "a missing file is reported and the rest imported" 3 "$NATLOG" import "$TMP/nonexistent" "$TD/seed003/messages"
check_grep "the missing file is named" "cannot open '$TMP/nonexistent'" "$TMP/err"
# the same kernel line in dmesg and in syslog is one event
export NATLOG_DB="$TMP/dedup.db"
"$NATLOG" import -q "$TD/lab/docker-legacy/dmesg.txt" "$TD/lab/docker-legacy/iptables-save.txt"
"$NATLOG" traces --json > "$TMP/d1.json"
fp_indexes() {
	python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM sqlite_master WHERE name IN ('events_fp', 'events_fp2')\").fetchone()[0])" "$NATLOG_DB"
}
check "one kernel log and a dump: no fingerprint index kept up to date" test "$(fp_indexes)" = 0
"$NATLOG" import "$TD/lab/docker-legacy/messages" "$TD/lab/docker-legacy/dmesg-T.txt" > /dev/null 2> "$TMP/err"
check_grep "lines another file brought are counted as such" "already in the store from another file" "$TMP/err"
"$NATLOG" traces --json > "$TMP/d2.json"
check_json "dmesg, dmesg -T and syslog of the same events give the packets once" \
	"len(j) == $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$TMP/d1.json")" < "$TMP/d2.json"
check "a second kernel log builds the fingerprint indexes" test "$(fp_indexes)" = 2
# --year dates syslog times: the lab's syslog, dated in each month of the
# year in turn (on its 1st, 2nd ...), gives every event the epoch time
# Python's strptime gives
check "--year and TZ give syslog lines their epoch time, in every month" python3 - "$NATLOG" "$TD/lab/docker-legacy/messages" "$TMP" <<'PY'
import calendar, datetime, json, os, subprocess, sys
natlog, src, tmp = sys.argv[1:4]
lines = open(src).read().splitlines(True)[:40]
env = dict(os.environ, TZ="UTC")
for i, mon in enumerate(calendar.month_abbr[1:]):
    # and on the 1st to the 12th: syslog pads days below 10 with a space
    day = "%s %2d" % (mon, i + 1)
    path = os.path.join(tmp, "messages-" + mon)
    with open(path, "w") as f:
        f.writelines(day + l[6:] for l in lines)
    db = os.path.join(tmp, "year-%s.db" % mon)
    subprocess.run([natlog, "--db", db, "import", "-q", "--year", "2026", path], check=True, env=env)
    rows = json.loads(subprocess.run([natlog, "--db", db, "sql", "--json", "SELECT line, wall_us FROM events"],
                                     check=True, stdout=subprocess.PIPE, env=env).stdout)
    assert len(rows) >= 20, (mon, len(rows))
    for r in rows:
        stamp = datetime.datetime.strptime("2026 " + day + lines[int(r["line"]) - 1][6:15], "%Y %b %d %H:%M:%S")
        want = int(stamp.replace(tzinfo=datetime.timezone.utc).timestamp()) * 1000000
        assert int(r["wall_us"]) == want, (mon, r, want)
PY
# a store of schema version 8: its fingerprints (of another hash) are cleared
export NATLOG_DB="$TMP/v8.db"
python3 - "$NATLOG_DB" "$ROOT"/schema/00[1-8]_*.sql <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for f in sys.argv[2:]:
    c.executescript(open(f).read())
c.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '8')")
c.execute("INSERT INTO sources(id, path, kind, sha256, size, events, imported_at) VALUES (1, 'old', 'kernel-log', 'x', 1, 1, 'then')")
c.execute("INSERT INTO events(source_id, line, kind, fp, fp2) VALUES (1, 1, 'trace', 12345, 678)")
c.commit()
PY
check "a version 8 store is migrated by an import" "$NATLOG" import -q "$TD/lab/docker-legacy/iptables-save.txt"
check "its old fingerprints are cleared, its fingerprint indexes dropped" python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
assert c.execute(\"SELECT value FROM meta WHERE key = 'schema_version'\").fetchone()[0] == sys.argv[2]
assert c.execute('SELECT fp, fp2 FROM events').fetchall() == [(None, None)]
assert c.execute(\"SELECT count(*) FROM sqlite_master WHERE name LIKE 'events_fp%'\").fetchone()[0] == 0
" "$NATLOG_DB" "$(ls "$ROOT"/schema/[0-9]*.sql | sed -n '$s|.*/0*\([0-9]*\)_.*|\1|p')"
check "events_packet keeps only events of a traced packet, and a packet's lookup uses it" python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
sql = c.execute(\"SELECT sql FROM sqlite_master WHERE name = 'events_packet'\").fetchone()[0]
assert 'WHERE packet_id IS NOT NULL' in sql, sql
plan = ' '.join(r[3] for r in c.execute('EXPLAIN QUERY PLAN SELECT * FROM events WHERE packet_id = 7 ORDER BY step'))
assert 'USING INDEX events_packet' in plan, plan
" "$NATLOG_DB"
# --json: the summary's counts as one object on stdout, the line not on stderr
export NATLOG_DB="$TMP/json.db"
L=$ROOT/testdata/lab/docker-legacy
check "import --json" "$NATLOG" import --json "$L/dmesg.txt" "$L/iptables-save.txt"
cp "$TMP/out" "$TMP/sum.json"; cp "$TMP/err" "$TMP/sum.err"
"$NATLOG" --db "$TMP/text.db" import "$L/dmesg.txt" "$L/iptables-save.txt" 2> "$TMP/text.err"
check "the object has the counts the summary line prints" python3 - "$TMP/sum.json" "$TMP/text.err" <<'PY2'
import json, re, sys
j = json.load(open(sys.argv[1]))
m = re.search(r"imported (\d+) files? \((\d+) already imported, (\d+) unreadable\): (\d+) lines, "
              r"(\d+) events, (\d+) packets, (\d+) rulesets?, (\d+) errors?, (\d+) other", open(sys.argv[2]).read())
keys = ["files", "already", "unreadable", "lines", "events", "packets", "rulesets", "errors", "skipped"]
got = [j[k] for k in keys]
want = [int(x) for x in m.groups()]
assert got == want and j["files"] == 2 and j["rulesets"] == 1 and j["events"] > 0, (got, want)
PY2
check "and stderr has no summary line" sh -c '! grep -q "^imported " "$1"' sh "$TMP/sum.err"
"$NATLOG" import --json -q "$L/dmesg.txt" > "$TMP/again.json" 2> "$TMP/again.err"
check_json "again, with -q: one file already imported, nothing added" \
	'j["files"] == 0 and j["already"] == 1 and j["events"] == 0' < "$TMP/again.json"
eq_packets=$("$NATLOG" sql "SELECT count(*) FROM packets" | tail -1)
check_json "its packets are the store's" "j['packets'] == $eq_packets" < "$TMP/sum.json"
finish
