# lib.sh - helpers for the end-to-end tests: one assertion per step, each
# printing "ok - ..." or "not ok - ...", and a store of its own per test.
# Sourced by tests/e2e/t*.sh; NATLOG names the binary under test.

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NATLOG=${NATLOG:-$ROOT/natlog}
TD=$ROOT/testdata
TMP=$(mktemp -d "${TMPDIR:-/tmp}/natlog-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export NATLOG_DB="$TMP/natlog.db"
export NO_COLOR=1
FAILED=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; FAILED=1; }
skip() { echo "SKIP: $*"; }

# check DESCRIPTION COMMAND...: the command must succeed
check() {
	desc=$1; shift
	if "$@" >"$TMP/out" 2>"$TMP/err"; then ok "$desc"; else
		not_ok "$desc"; sed 's/^/    /' "$TMP/out" "$TMP/err" | head -20; fi
}

# check_status DESCRIPTION STATUS COMMAND...: the command must exit STATUS
check_status() {
	desc=$1; want=$2; shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$desc"; else
		not_ok "$desc (exit $got, wanted $want)"; sed 's/^/    /' "$TMP/err" | head -10; fi
}

# check_json DESCRIPTION PYTHON-EXPR < json: EXPR sees the parsed value as j
check_json() {
	desc=$1; expr=$2
	if python3 -c '
import json, sys
j = json.load(sys.stdin)
ok = eval(sys.argv[1])
if not ok:
    print(json.dumps(j, indent=1)[:3000], file=sys.stderr)
sys.exit(0 if ok else 1)' "$expr" 2>"$TMP/jerr"; then ok "$desc"; else
		not_ok "$desc"; echo "    expected: $expr"; sed 's/^/    /' "$TMP/jerr" | head -40; fi
}

# check_grep DESCRIPTION PATTERN FILE
check_grep() {
	if grep -q -- "$2" "$3"; then ok "$1"; else
		not_ok "$1"; echo "    no '$2' in:"; sed 's/^/    /' "$3" | head -30; fi
}

finish() { exit $FAILED; }

# eq DESCRIPTION WANTED GOT: the two are the same, and not empty (an
# empty answer is a query that failed, not a match)
eq() {
	if [ -n "$2" ] && [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "    wanted: $2"; echo "    got:    $3"; fi
}

# Peak RSS (/usr/bin/time's %M) against LIMIT, in KB: 64 MiB, or 1 GiB
# for a sanitizer build, which keeps freed memory in quarantine and
# shadows the rest (the looser bound still catches the gigabytes of an
# unbounded table). rss_limit sets LIMIT; without /usr/bin/time the test
# fails and ends.
rss_limit() {
	LIMIT=65536
	if grep -aq -e __asan_init -e __tsan_init "$NATLOG" 2>/dev/null; then
		LIMIT=1048576
		echo "# sanitizer build: peak RSS bound 1 GiB instead of 64 MiB"
		# ASan keeps 256 MB of freed memory by default, which made the
		# peak swing by 200 MB around the bound (flows: 0.9-1.1 GB);
		# 16 MB keeps it near 120 MB
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16
		export ASAN_OPTIONS
	fi
	if [ ! -x /usr/bin/time ]; then
		not_ok "/usr/bin/time is missing (sh tests/deps.sh installs the 'time' package)"
		finish
	fi
}

# check_rss DESCRIPTION COMMAND...: exit 0 and a peak RSS within LIMIT;
# stdout in $TMP/out
check_rss() {
	desc=$1; shift
	/usr/bin/time -f %M -o "$TMP/rss" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	kb=$(tail -n 1 "$TMP/rss")
	if [ $rc -eq 0 ] && [ "$kb" -le $LIMIT ] 2>/dev/null; then ok "$desc ($kb KB)"; else
		not_ok "$desc (exit $rc, peak $kb KB, limit $LIMIT KB)"; sed 's/^/    /' "$TMP/err" | head -10; fi
}

# repeat_lab OUT N [FIRST]: the lab's interleaved recording (dmesg) N
# times over, copy k (from FIRST, default 0) 100 k seconds later with
# client ports k higher: a long log of distinct packets, 56 a copy
repeat_lab() {
	python3 - "$TD/lab/interleaved/dmesg.txt" "$1" "$2" "${3:-0}" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
n, first = int(sys.argv[3]), int(sys.argv[4])
with open(sys.argv[2], "w") as out:
    for k in range(first, first + n):
        for l in lines:
            m = re.match(r"\[\s*(\d+\.\d+)\](.*)", l)
            body = re.sub(r"SPT=(\d+)", lambda x: "SPT=%d" % ((int(x.group(1)) + k) % 65536), m.group(2))
            out.write("[%12.6f]%s\n" % (float(m.group(1)) + k * 100, body))
PY
}

# unnames DB: a whole row's MAC header and LOG prefix as text again, as before schema 41 (their columns last, as the upgrade
# leaves them; the events view of 40).
unnames() {
	python3 - "$1" "$ROOT/schema/040_fp_derived.sql" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
v40 = open(sys.argv[2]).read()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.execute("DROP VIEW events")
for col in ("mac", "prefix"):
    c.execute("ALTER TABLE event_rows ADD COLUMN %s_text TEXT" % col)
    c.execute("UPDATE event_rows SET %s_text = (SELECT name FROM names WHERE id = event_rows.%s)"
              % (col, col))
    c.execute("ALTER TABLE event_rows DROP COLUMN %s" % col)
    c.execute("ALTER TABLE event_rows RENAME COLUMN %s_text TO %s" % (col, col))
c.executescript(v40[v40.index("CREATE VIEW events AS"):])
c.execute("UPDATE meta SET value = '40' WHERE key = 'schema_version'")
c.commit()
PY
}

# unfp DB: the fingerprints stored again, as before schema 40 computed
# them (plain columns fp and fp2 with the values, the events view and
# its trigger of schema 30). A line whose time is a bare number (dmesg's
# kernel stamp) and that has a wall-clock second learned it from another
# rendering's copy: before 40 such a line kept the key, not the second.
unfp() {
	unnames "$1"
	python3 - "$1" "$ROOT/schema/030_step_time.sql" "$ROOT/schema/ondemand/fp_index.sql" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
v30 = open(sys.argv[2]).read()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
def learned(t, time):
    return ("%s.uptime IS NOT NULL AND %s.wsec IS NOT NULL AND %s NOT GLOB '*[^0-9.]*'"
            % (t, t, time))
c.execute("CREATE TEMP TABLE k AS SELECT id, fp, fp2, " + learned("e", "ifnull(e.time, '')") +
          " AS learned FROM event_rows e WHERE fp IS NOT NULL")
c.execute("INSERT INTO temp.k SELECT s.id, s.fp, s.fp2, " +
          learned("s", "ifnull(s.time, ifnull(b.time, ''))") + " FROM steps s JOIN event_rows b "
          "ON b.packet_id = s.packet_id AND b.step = 1 WHERE s.fp IS NOT NULL")
c.execute("DROP VIEW events")
idx = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE name IN "
                               "('events_fp', 'events_fp2', 'steps_fp', 'steps_fp2')")]
for i in idx:
    c.execute("DROP INDEX %s" % i)
for t in ("event_rows", "steps"):
    for col in ("fp", "fp2"):
        c.execute("ALTER TABLE %s DROP COLUMN %s" % (t, col))
    for col in ("fp", "fp2"):
        c.execute("ALTER TABLE %s ADD COLUMN %s INTEGER" % (t, col))
    c.execute("UPDATE %s SET fp = k.fp, fp2 = k.fp2 FROM temp.k WHERE k.id = %s.id" % (t, t))
    c.execute("UPDATE %s SET wsec = NULL WHERE id IN (SELECT id FROM temp.k WHERE learned)" % t)
c.executescript(v30[v30.index("CREATE VIEW events AS"):])
if idx:
    c.executescript(open(sys.argv[3]).read())
c.execute("UPDATE meta SET value = '39' WHERE key = 'schema_version'")
c.commit()
PY
}

# downgrade_to DB V: the store as natlog of schema V wrote it, as far as
# the tests of older stores need: a whole row's strings as text (unnames)
# before 41, the fingerprints stored (unfp) before 40, the columns
# schemas 34 to 37 added are taken out again (a namespace's conntrack entries with their column),
# the fingerprint keys before 38 are hashes unrelated to today's, the
# lists of rules hit of 39 are gone, and the store says it is of V. One
# place to add the next schema's.
downgrade_to() {
	if test "$2" -lt 40; then unfp "$1"; elif test "$2" -lt 41; then unnames "$1"; fi
	python3 - "$1" "$2" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
v = int(sys.argv[2])
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
if v < 39:
    c.execute("ALTER TABLE packets DROP COLUMN hits_id")
    c.execute("DROP TABLE rule_hits")
if v < 38:
    for t in ("event_rows", "steps"):
        c.execute("UPDATE %s SET fp = abs(random()) | 1, fp2 = CASE WHEN fp2 IS NOT NULL "
                  "THEN abs(random()) | 1 END WHERE fp IS NOT NULL" % t)
if v < 37:
    c.execute("DROP INDEX sources_sha256_host")
    c.execute("ALTER TABLE sources DROP COLUMN netns")
    c.execute("CREATE UNIQUE INDEX sources_sha256_host ON sources(sha256, ifnull(host, ''))")
if v < 36:
    c.execute("ALTER TABLE packets DROP COLUMN netns")
if v < 35:
    c.execute("ALTER TABLE notices DROP COLUMN netns")
if v < 34:
    c.execute("DELETE FROM conntrack WHERE netns IS NOT NULL")
    c.execute("ALTER TABLE conntrack DROP COLUMN netns")
c.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(v),))
c.commit()
PY
}


# unframe DB: the store as schema 27 held it, its captured frames whole
# rows of event_rows, events the view of schema 20 and nothing of its
# lines on its packets (what the store of an older natlog holds); for the tests
# of upgrades and of old stores read as they are
unframe() {
	unfp "$1"
	python3 - "$1" "$ROOT/schema/020_steps.sql" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
old = open(sys.argv[2]).read()
view = old[old.index("CREATE VIEW events AS"):]
cols = ("source_id, line, host, wall_us, prefix, family, iif, src, dst, len, tos, ttl, ip_id, "
        "ipflags, proto, sport, dport, tcp_seq, tcp_ack, tcp_window, tcp_flags, icmp_type, "
        "icmp_code, icmp_id, icmp_seq, inner, mark, uid, gid, extra")
c.executescript("""
INSERT INTO event_rows(id, kind, time, mac, %s)
SELECT id, 'wire', CASE WHEN time IS NOT NULL THEN time WHEN wall_us >= 0
       THEN printf('%%d.%%06d', wall_us / 1000000, wall_us %% 1000000) END,
       (SELECT mac FROM frame_macs m WHERE m.id = f.mac), %s FROM frames f;
DROP VIEW events;
DROP TABLE frames;
DROP TABLE frame_macs;
DROP INDEX IF EXISTS frames_ports;
ALTER TABLE packets DROP COLUMN nat_sport;
ALTER TABLE packets DROP COLUMN nat_dport;
ALTER TABLE packets DROP COLUMN nat_src;
ALTER TABLE packets DROP COLUMN nat_dst;
ALTER TABLE packets DROP COLUMN ifaces;
ALTER TABLE packets DROP COLUMN hits_id;
DROP TABLE rule_hits;
ALTER TABLE notices DROP COLUMN netns;
ALTER TABLE packets DROP COLUMN netns;
DROP INDEX sources_sha256_host;
ALTER TABLE sources DROP COLUMN netns;
CREATE UNIQUE INDEX sources_sha256_host ON sources(sha256, ifnull(host, ''));
CREATE INDEX events_wire_id ON event_rows(ip_id, proto) WHERE kind = 'wire';
CREATE INDEX events_wire_seq ON event_rows(tcp_seq) WHERE kind = 'wire';
UPDATE meta SET value = '27' WHERE key = 'schema_version';
""" % (cols, cols) + view)
c.commit()
PY
}
