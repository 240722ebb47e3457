#!/bin/sh
# Stores and output under hostile or broken conditions: another program's
# database given as --db, stores that cannot be written (read-only file,
# directory or mount, a full disk), write errors on stdout, the memory
# bound of `sql`, terminal escapes in input, interrupted analysis, and
# which packets a ruleset dump re-analyses.
. "$(dirname "$0")/lib.sh"

MOUNTS=""
IMMUTABLE=""
cleanup() {
	for f in $IMMUTABLE; do chattr -i "$f" 2>/dev/null; done
	for m in $MOUNTS; do umount "$m" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
# a tmpfs of SIZE at DIR (root only); 0 when it was mounted
tmpfs_at() {
	mkdir -p "$2"
	[ "$(id -u)" -eq 0 ] && mount -t tmpfs -o "size=$1" tmpfs "$2" 2>/dev/null || return 1
	MOUNTS="$2 $MOUNTS"
}
sqlite() { python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
for q in sys.argv[2:]:
    c.execute(q)' "$@"; }

# --- another program's SQLite file, or a store from a newer natlog: refused
# before anything is written to it
sqlite "$TMP/foreign.db" "CREATE TABLE meta(key TEXT, value TEXT)" \
	"INSERT INTO meta VALUES ('schema_version', '3')" "CREATE TABLE notes(x)"
cp "$TMP/foreign.db" "$TMP/foreign.orig"
check_status "import into another program's database exits 4" 4 \
	"$NATLOG" --db "$TMP/foreign.db" import "$TD/seed000/ruleset.nft"
check_grep "and says it is not a natlog store" "'.*foreign.db' is not a natlog store" "$TMP/err"
check "and leaves the file byte-identical" cmp "$TMP/foreign.db" "$TMP/foreign.orig"
check "and leaves no write-ahead log beside it" test ! -e "$TMP/foreign.db-wal"
check_status "a query on it exits 4" 4 "$NATLOG" --db "$TMP/foreign.db" traces
sqlite "$TMP/wal.db" "PRAGMA journal_mode = WAL" "CREATE TABLE notes(x)"
cp "$TMP/wal.db" "$TMP/wal.orig"
check_status "import into another program's WAL database exits 4" 4 \
	"$NATLOG" --db "$TMP/wal.db" import "$TD/seed000/ruleset.nft"
check_status "so does a query on it" 4 "$NATLOG" --db "$TMP/wal.db" traces
check "and both leave it byte-identical, with no -wal or -shm beside it" \
	sh -c 'cmp "$1.db" "$1.orig" && ! ls "$1.db-"* 2>/dev/null' - "$TMP/wal"
printf 'not a database at all\n' > "$TMP/text.db"
check_status "import into a file that is no database exits 4" 4 \
	"$NATLOG" --db "$TMP/text.db" import "$TD/seed000/ruleset.nft"
check_grep "and says so" "not an SQLite database" "$TMP/err"
check "and leaves it alone" test "$(cat "$TMP/text.db")" = "not a database at all"
python3 -c 'import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA journal_mode = WAL")
c.execute("PRAGMA wal_autocheckpoint = 0"); c.execute("CREATE TABLE notes(x)"); c.commit()
os._exit(0)' "$TMP/log.db"
cp "$TMP/log.db" "$TMP/log.orig"; cp "$TMP/log.db-wal" "$TMP/log.orig-wal"
check_status "import into another program's database with a log it did not checkpoint exits 4" 4 \
	"$NATLOG" --db "$TMP/log.db" import "$TD/seed000/ruleset.nft"
check "and leaves the file and its log byte-identical" \
	sh -c 'cmp "$1.db" "$1.orig" && cmp "$1.db-wal" "$1.orig-wal"' - "$TMP/log"

"$NATLOG" --db "$TMP/newer.db" import -q "$TD/seed000/trace.txt"
sqlite "$TMP/newer.db" "UPDATE meta SET value = '999' WHERE key = 'schema_version'" \
	"PRAGMA journal_mode = DELETE"
cp "$TMP/newer.db" "$TMP/newer.orig"
check_status "import into a store of a newer schema exits 4" 4 \
	"$NATLOG" --db "$TMP/newer.db" import "$TD/seed000/ruleset.nft"
check_grep "and names the versions" "schema version 999; this natlog knows up to" "$TMP/err"
check "and does not switch it to WAL or change it" cmp "$TMP/newer.db" "$TMP/newer.orig"

: > "$TMP/empty.db"
check "an empty file becomes a store" "$NATLOG" --db "$TMP/empty.db" import -q "$TD/seed000/trace.txt"
check "a store says it is natlog's in its header" \
	test "$("$NATLOG" --db "$TMP/empty.db" sql 'PRAGMA application_id' | tail -1)" = 1852600167

# traces of the store at $1, the same as before it became read-only
same_traces() { "$NATLOG" --db "$1" traces > "$TMP/got" && cmp "$TMP/got" "$TMP/ro.want"; }

# --- stores that cannot be written: queries work, import says why
"$NATLOG" --db "$TMP/ro.db" import -q "$TD/seed000/trace.txt" "$TD/seed000/ruleset.nft"
"$NATLOG" --db "$TMP/ro.db" traces > "$TMP/ro.want"
if [ "$(id -u)" -eq 0 ] && chattr +i "$TMP/ro.db" 2>/dev/null; then
	IMMUTABLE="$TMP/ro.db"
	how="immutable (chattr +i)"
else
	chmod 0444 "$TMP/ro.db"
	how="mode 0444"
fi
check "traces on a store whose file is $how answers as before" same_traces "$TMP/ro.db"
check_status "import into it exits 4" 4 "$NATLOG" --db "$TMP/ro.db" import "$TD/lab/docker-legacy/dmesg.txt"
check_grep "and says the store is read-only" "store '.*ro.db' is read-only" "$TMP/err"
chattr -i "$TMP/ro.db" 2>/dev/null; IMMUTABLE=""

if tmpfs_at 4m "$TMP/rom"; then
	"$NATLOG" --db "$TMP/rom/s.db" import -q "$TD/seed000/trace.txt" "$TD/seed000/ruleset.nft"
	mount -o remount,ro "$TMP/rom"
	check "traces on a store on a read-only mount answers as before" same_traces "$TMP/rom/s.db"
	check "explain on it" "$NATLOG" --db "$TMP/rom/s.db" explain --trace 9c01f8
	check "sql on it" "$NATLOG" --db "$TMP/rom/s.db" sql "SELECT count(*) FROM packets"
	check_status "import into it exits 4" 4 \
		"$NATLOG" --db "$TMP/rom/s.db" import "$TD/lab/docker-legacy/dmesg.txt"
	check_grep "and says the store is read-only" "store '.*s.db' is read-only" "$TMP/err"

	# a log that was never checkpointed, without its -shm: read without it, and said so
	tmpfs_at 4m "$TMP/walm"
	"$NATLOG" --db "$TMP/walm/s.db" import -q "$TD/seed000/trace.txt" "$TD/seed000/ruleset.nft"
	python3 -c 'import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_autocheckpoint = 0")
c.execute("INSERT INTO meta VALUES (\"note\", \"x\")"); c.commit(); os._exit(0)' "$TMP/walm/s.db"
	rm -f "$TMP/walm/s.db-shm"
	mount -o remount,ro "$TMP/walm"
	check "a read-only store with a log but no -shm answers" same_traces "$TMP/walm/s.db"
	"$NATLOG" --db "$TMP/walm/s.db" traces 2> "$TMP/walm.err" > /dev/null
	check_grep "and warns that the log's content is not seen" "latest imports may be missing" "$TMP/walm.err"

	# half_write DB kill|MARKER: a write through a rollback journal, with
	# pages of it already in the file, as a new store's first import makes
	# for a whole file; then killed, or held 14 s once MARKER exists
	half_write() { python3 -c 'import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode = DELETE"); c.execute("PRAGMA cache_size = 1")
c.execute("BEGIN EXCLUSIVE")
for i in range(2000):
    c.execute("INSERT INTO meta VALUES (?, ?)", ("half%d" % i, "x" * 200))
if sys.argv[2] == "kill":
    os._exit(0)
open(sys.argv[2], "w").close()
time.sleep(14)
c.execute("ROLLBACK")' "$@"; }
	# an import killed in the middle of a rollback-journal write (a new
	# store's first import writes that way): on a read-only mount nothing
	# can undo the half write, so it is not read; once writable, the query
	# undoes it and answers
	tmpfs_at 4m "$TMP/hot"
	"$NATLOG" --db "$TMP/hot/s.db" import -q "$TD/seed000/trace.txt" "$TD/seed000/ruleset.nft"
	half_write "$TMP/hot/s.db" kill
	check "(a killed write left its journal)" test -s "$TMP/hot/s.db-journal"
	mount -o remount,ro "$TMP/hot"
	check_status "a query on it on a read-only mount exits 4" 4 "$NATLOG" --db "$TMP/hot/s.db" traces
	check_grep "and says why" "holds half of the last write of an import that was killed" "$TMP/err"
	mount -o remount,rw "$TMP/hot"
	check "writable again, the query undoes the half write and answers as before" \
		same_traces "$TMP/hot/s.db"
	check "and the journal is gone" test ! -s "$TMP/hot/s.db-journal"

	# a writer in the middle of a rollback-journal write, as a new store's
	# first import is for a whole file: a query waits, then says why
	half_write "$TMP/hot/s.db" "$TMP/hot.held" &
	held=$!
	while [ ! -e "$TMP/hot.held" ] && kill -0 $held 2>/dev/null; do sleep 0.1; done
	check_status "a query while a first import writes exits 4" 4 "$NATLOG" --db "$TMP/hot/s.db" traces
	check_grep "and says the store is being written by its first import" \
		"is being written by its first import" "$TMP/err"
	wait $held
	check "and answers once it has finished" same_traces "$TMP/hot/s.db"

	tmpfs_at 1m "$TMP/full"
	"$NATLOG" --db "$TMP/full/s.db" import -q "$TD/seed000/trace.txt" "$TD/seed000/ruleset.nft"
	dd if=/dev/zero of="$TMP/full/fill" bs=4k 2>/dev/null
	check "traces on a store on a full disk answers as before" same_traces "$TMP/full/s.db"
	check_status "import into it exits 4" 4 \
		"$NATLOG" --db "$TMP/full/s.db" import "$TD/lab/docker-legacy/dmesg.txt"
	check_grep "and names the full disk" "No space left on device\|disk is full" "$TMP/err"
	rm -f "$TMP/full/fill" "$TMP/full/s.db-wal" "$TMP/full/s.db-shm"
	check "once there is room again, the import works" \
		"$NATLOG" --db "$TMP/full/s.db" import -q "$TD/lab/docker-legacy/dmesg.txt"
else
	mkdir "$TMP/rodir"
	"$NATLOG" --db "$TMP/rodir/s.db" import -q "$TD/seed000/trace.txt" "$TD/seed000/ruleset.nft"
	chmod 0555 "$TMP/rodir"
	check "traces on a store in a read-only directory answers as before" same_traces "$TMP/rodir/s.db"
	check_status "import into it exits 4" 4 \
		"$NATLOG" --db "$TMP/rodir/s.db" import "$TD/lab/docker-legacy/dmesg.txt"
	chmod 0755 "$TMP/rodir"
	skip "not root: no tmpfs to fill up for the full-disk case"
fi

# --- write errors on stdout: exit 4 with a message; a closed pipe stays quiet
DB=$TMP/ro.db
many="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT x FROM c"
check_status "traces written to a full device exits 4" 4 sh -c '"$1" --db "$2" traces > /dev/full' - "$NATLOG" "$DB"
check_grep "and says why" "cannot write the output: No space left on device" "$TMP/err"
check_status "a long sql output to a full device exits 4" 4 sh -c '"$1" --db "$2" sql "$3" > /dev/full' - "$NATLOG" "$DB" "$many"
check_status "explain --json to a full device exits 4" 4 sh -c '"$1" --db "$2" explain --json --trace 9c01f8 > /dev/full' - "$NATLOG" "$DB"
"$NATLOG" --db "$DB" sql "$many" 2> "$TMP/pipe.err" | head -1 > /dev/null
check "a reader that stops early gets no message" test ! -s "$TMP/pipe.err"
sh -c 'trap "" PIPE; exec "$@"' - "$NATLOG" --db "$DB" sql "$many" 2> "$TMP/pipe.err" | head -1 > /dev/null
check "nor when SIGPIPE is ignored" test ! -s "$TMP/pipe.err"

# --- sql keeps sorts and temporary tables in memory, under a bound
big="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000)
SELECT count(*) FROM (SELECT DISTINCT hex(randomblob(64)) FROM c)"
if tmpfs_at 1m "$TMP/tmpdir"; then
	check "a large DISTINCT runs with only 1 MB for temporary files" \
		env SQLITE_TMPDIR="$TMP/tmpdir" "$NATLOG" --db "$DB" sql "$big"
	check_grep "and counts every row" "^300000$" "$TMP/out"
else
	skip "not root: no small tmpfs for SQLite's temporary files"
fi
check_status "past --max-memory, sql exits 4" 4 "$NATLOG" --db "$DB" sql --max-memory 8 "$big"
check_grep "and names the bound and how to raise it" "more than 8 MiB.*--max-memory MIB or NATLOG_SQL_MAX_MEMORY" "$TMP/err"
check_status "NATLOG_SQL_MAX_MEMORY sets the bound too" 4 env NATLOG_SQL_MAX_MEMORY=8 "$NATLOG" --db "$DB" sql "$big"
check_status "a --max-memory that is no number is a usage error" 2 "$NATLOG" --db "$DB" sql --max-memory lots "$big"

# --- terminal escapes from input never reach the terminal raw
python3 - "$TMP/hostile.tar.gz" <<'PY'
import io, sys, tarfile
title, clear = "\x1b]0;pwned\x07", "\x1b[2J"
body = ("[ 100.000001] TRACE: raw:PREROUTING:policy:2 IN=eth%s0 OUT= SRC=10.9.0.1 DST=10.9.0.2 LEN=60 "
        "TOS=0x00 PREC=0x00 TTL=64 ID=7 DF PROTO=TCP SPT=1000 DPT=80 SEQ=5 ACK=0 WINDOW=64 RES=0x00 "
        "SYN URGP=0\n" % clear +
        "[ 100.000002] %sdrop: IN=eth%s0 OUT= SRC=10.9.0.1 DST=10.9.0.2 LEN=60 TOS=0x00 PREC=0x00 "
        "TTL=64 ID=7 DF PROTO=TCP SPT=1000 DPT=80 SEQ=5 ACK=0 WINDOW=64 RES=0x00 SYN URGP=0\n" % (title, clear) +
        "[ 100.000003] TRACE: filter:INPUT:rule:1 IN=eth0 OUT= SRC=10.9.0.1 DST=10.9.0.2 LEN=60 "
        "TTL=64 ID=99999999%s PROTO=TCP SPT=1000 DPT=80\n" % title +
        "[ 100.000004] nf_ct_proto_6: %sbad checksum IN=eth0 OUT= SRC=10.9.0.1 DST=10.9.0.2 LEN=60 "
        "TOS=0x00 PREC=0x00 TTL=64 ID=7 DF PROTO=TCP SPT=1000 DPT=80 SEQ=5 ACK=0 WINDOW=64 RES=0x00 "
        "SYN URGP=0\n" % clear)
rules = ("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i eth%s0 -m comment --comment \"%s\" -j ACCEPT\n"
         "COMMIT\n" % (clear, title))
with tarfile.open(sys.argv[1], "w:gz") as t:
    for name, data in (("%sdmesg%s.txt" % (title, clear), body), ("iptables-save", rules)):
        i = tarfile.TarInfo(name)
        i.size = len(data.encode())
        t.addfile(i, io.BytesIO(data.encode()))
PY
H=$TMP/hostile.db
"$NATLOG" --db "$H" import "$TMP/hostile.tar.gz" > "$TMP/all" 2>&1
tr=$("$NATLOG" --db "$H" traces --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])')
for q in errors traces sources rules invalid flows "explain --trace $tr" "sql SELECT*FROM\ errors" \
	"sql SELECT*FROM\ sources" "sql SELECT*FROM\ events"; do
	eval "\"\$NATLOG\" --db \"\$H\" $q" >> "$TMP/all" 2>&1
done
check "no raw ESC or BEL from input reaches stdout or stderr" python3 -c '
import sys; d = open(sys.argv[1], "rb").read(); sys.exit(b"\x1b" in d or b"\x07" in d)' "$TMP/all"
check_grep "the member name is shown escaped" 'x1b\]0;pwned\\x07dmesg\\x1b\[2J.txt' "$TMP/all"
check_grep "the offending line is shown escaped" 'ID=99999999\\x1b\]0;pwned\\x07' "$TMP/all"
check_grep "the interface is shown escaped" 'in eth\\x1b\[2J0' "$TMP/all"
check_grep "conntrack's reason is shown escaped" 'x1b\[2Jbad checksum' "$TMP/all"
check_grep "the LOG prefix is shown escaped" "LOG '\\\\x1b\]0;pwned\\\\x07drop:" "$TMP/all"
"$NATLOG" --db "$H" sources --json > "$TMP/src.json"
check_json "JSON keeps the member name as it is" \
	'any(s["path"].endswith(":\x1b]0;pwned\x07dmesg\x1b[2J.txt") for s in j)' < "$TMP/src.json"

# --- an import killed during its analysis: the next query finishes it, or
# (when the store cannot be written) says the verdicts are not known yet
repeat_lab "$TMP/big.log" 150
K=$TMP/killed.db
NATLOG_DB=$TMP/whole.db "$NATLOG" import -q "$TD/lab/interleaved/iptables-save.txt" "$TMP/big.log"
NATLOG_DB=$TMP/whole.db "$NATLOG" traces --json > "$TMP/whole.json"
# kill -9 once both sources are committed and the analysis has begun
"$NATLOG" --db "$K" import -q "$TD/lab/interleaved/iptables-save.txt" "$TMP/big.log" &
python3 - "$K" $! <<'PY' > "$TMP/kill.out"
import os, signal, sqlite3, sys, time
db, pid = sys.argv[1], int(sys.argv[2])
for _ in range(6000):
    try:
        c = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        n = c.execute("SELECT (SELECT count(*) FROM sources WHERE kind <> 'pending'), "
                      "(SELECT count(*) FROM packets WHERE analyzed = 0)").fetchone()
        c.close()
        if n[0] == 2 and n[1] > 0:
            os.kill(pid, signal.SIGKILL)
            print("killed")
            break
    except sqlite3.Error:
        pass
    time.sleep(0.005)
PY
wait $! 2>/dev/null
if grep -q killed "$TMP/kill.out"; then echo "# killed during the analysis"; else
	# the analysis ended before the poll saw it: leave the store as a kill would
	sqlite "$K" "UPDATE packets SET analyzed = 0, verdict = NULL WHERE id % 2 = 0"
fi
check "killed during the analysis, the store has packets not analysed yet" python3 -c '
import sqlite3, sys
sys.exit(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM packets WHERE analyzed = 0").fetchone()[0] == 0)' "$K"
cp "$K" "$TMP/killed-ro.db"
[ -e "$K-wal" ] && cp "$K-wal" "$TMP/killed-ro.db-wal"
sqlite "$TMP/killed-ro.db" "PRAGMA wal_checkpoint(TRUNCATE)"
if [ "$(id -u)" -eq 0 ] && chattr +i "$TMP/killed-ro.db" 2>/dev/null; then
	IMMUTABLE="$TMP/killed-ro.db"
else
	chmod 0444 "$TMP/killed-ro.db"
fi
"$NATLOG" --db "$TMP/killed-ro.db" traces --json > "$TMP/ro.json" 2> "$TMP/ro.err"
check_json "a read-only store shows them as not analysed, never as unknown" \
	'any(not p["analyzed"] and p["verdict"] is None for p in j) and not any(p["verdict"] == "unknown" for p in j)' < "$TMP/ro.json"
check_grep "and warns how many are left" "packets are not analysed yet" "$TMP/ro.err"
"$NATLOG" --db "$TMP/killed-ro.db" traces > "$TMP/ro.txt" 2>/dev/null
check_grep "traces says so in its text" "(not analysed yet)" "$TMP/ro.txt"
# --port 81 (9090 before DNAT): the analysis wrote the port after NAT on
# the packets it finished; those it did not are found by their lines
# (the packets' count and a digest of their trace ids)
traces_of() { python3 -c 'import hashlib, json, sys
t = sorted(p["trace"] for p in json.load(sys.stdin))
print(len(t), hashlib.sha256(" ".join(t).encode()).hexdigest()[:16])'; }
want=$(NATLOG_DB=$TMP/whole.db "$NATLOG" traces --json --port 81 | traces_of)
check "(a DNAT'd port: ${want% *} packets)" test "${want% *}" -gt 10
# a store of schema 28 kept the ports after NAT on the lines only: read
# as it is, and once an import upgraded it, from the packets
cp "$TMP/whole.db" "$TMP/s28.db"
[ -e "$TMP/whole.db-wal" ] && cp "$TMP/whole.db-wal" "$TMP/s28.db-wal"
unfp "$TMP/s28.db"
sqlite "$TMP/s28.db" "PRAGMA wal_checkpoint(TRUNCATE)" "ALTER TABLE packets DROP COLUMN nat_sport" \
	"ALTER TABLE packets DROP COLUMN nat_dport" "ALTER TABLE packets DROP COLUMN nat_src" \
	"ALTER TABLE packets DROP COLUMN nat_dst" "ALTER TABLE packets DROP COLUMN ifaces" \
	"ALTER TABLE notices DROP COLUMN netns" "ALTER TABLE packets DROP COLUMN netns" \
	"DROP INDEX sources_sha256_host" "ALTER TABLE sources DROP COLUMN netns" \
	"CREATE UNIQUE INDEX sources_sha256_host ON sources(sha256, ifnull(host, ''))" \
	"ALTER TABLE packets DROP COLUMN hits_id" "DROP TABLE rule_hits" \
	"UPDATE meta SET value = '28' WHERE key = 'schema_version'"
eq "a schema 28 store read as it is finds them by their lines" "$want" \
	"$("$NATLOG" --db "$TMP/s28.db" traces --json --port 81 | traces_of)"
printf 'net.ipv4.ip_forward = 1\n' > "$TMP/s28.conf"
"$NATLOG" --db "$TMP/s28.db" import -q "$TMP/s28.conf"
eq "the upgrade analyses its packets again, writing them on the packets" "${want% *}" \
	"$("$NATLOG" --db "$TMP/s28.db" sql "SELECT count(*) FROM packets WHERE nat_dport = 81" | tail -1)"
eq "which the filter then reads" "$want" \
	"$("$NATLOG" --db "$TMP/s28.db" traces --json --port 81 | traces_of)"
eq "traces --port with a port after NAT finds analysed and unanalysed packets alike" "$want" \
	"$("$NATLOG" --db "$TMP/killed-ro.db" traces --json --port 81 2>/dev/null | traces_of)"
"$NATLOG" --db "$K" traces --json > "$TMP/k.json" 2> "$TMP/k.err"
check_grep "a writable store: the next query analyses them" "analysed [0-9]* packets an interrupted import had left" "$TMP/k.err"
check "and its verdicts are those of an import that was not killed" python3 -c '
import json, sys
a, b = (sorted((p["trace"], p["verdict"], json.dumps(p["decided_by"])) for p in json.load(open(f))) for f in sys.argv[1:])
sys.exit(a != b)' "$TMP/k.json" "$TMP/whole.json"
"$NATLOG" --db "$K" traces > /dev/null 2> "$TMP/k2.err"
check "and the query after it has nothing left to do" test ! -s "$TMP/k2.err"

# --- a ruleset dump re-analyses only the packets of its own host
R=$TMP/hosts.db
"$NATLOG" --db "$R" import -q --host node-a "$TD/lab/docker-legacy/dmesg.txt" "$TD/lab/docker-legacy/iptables-save.txt"
"$NATLOG" --db "$R" import -q --host node-b "$TD/lab/interleaved/dmesg.txt" "$TD/lab/interleaved/iptables-save.txt"
"$NATLOG" --db "$R" traces --json > "$TMP/hosts.json"
# a verdict no analysis gives, to see which packets were analysed again
sqlite "$R" "UPDATE packets SET verdict = 'queue'"
{ cat "$TD/lab/docker-legacy/iptables-save.txt"; echo "# dumped again"; } > "$TMP/a-again.txt"
"$NATLOG" --db "$R" import -q --host node-a "$TMP/a-again.txt"
"$NATLOG" --db "$R" traces --json > "$TMP/hosts2.json"
verdicts() { python3 -c '
import json, sys
host, a, b = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
was = {p["trace"]: p["verdict"] for p in a if p["host"] == host}
now = {p["trace"]: p["verdict"] for p in b if p["host"] == host}
sys.exit(not was or (now != was if sys.argv[4] == "same" else any(v != "queue" for v in now.values())))' "$@"; }
check "a dump for node-a analyses node-a's packets again" verdicts node-a "$TMP/hosts.json" "$TMP/hosts2.json" same
check "and leaves node-b's alone" verdicts node-b "$TMP/hosts.json" "$TMP/hosts2.json" untouched
{ cat "$TD/lab/interleaved/iptables-save.txt"; echo "# no host"; } > "$TMP/nohost.txt"
"$NATLOG" --db "$R" import -q "$TMP/nohost.txt"
"$NATLOG" --db "$R" traces --json > "$TMP/hosts3.json"
check "a dump without a host analyses every host's packets again" verdicts node-b "$TMP/hosts.json" "$TMP/hosts3.json" same

# A query leaves nothing next to the store: the last connection to close
# removes the write-ahead log's -wal and -shm files (a read-only
# connection left them).
W="$TMP/tidy.db"
"$NATLOG" --db "$W" import -q "$TD/lab/udp-icmp/dmesg.txt"
"$NATLOG" --db "$W" traces > /dev/null
"$NATLOG" --db "$W" sql "SELECT count(*) FROM packets" > /dev/null
check "after an import and two queries the store is one file" sh -c "[ ! -e '$W-wal' ] && [ ! -e '$W-shm' ]"
check "and queries still cannot write to it" sh -c "! '$NATLOG' --db '$W' sql 'DELETE FROM packets' 2>/dev/null"
finish
