#!/bin/sh
# t-time-filters.sh - `traces --since/--until` compare times on the packet's
# clock (wall or uptime), in every form natlog prints or people type; packets
# a clock cannot place are left out and counted; unreadable times exit 2.
. "$(dirname "$0")/lib.sh"
export TZ=UTC
L=$TD/lab/docker-legacy
T() { db=$1; shift; NATLOG_DB="$TMP/$db.db" "$NATLOG" traces "$@"; }
# ids DB ARGS...: the trace ids traces lists, on one line
ids() { T "$@" 2>"$TMP/err" | awk 'NR > 1 { printf "%s%s", sep, $1; sep = " " }'; }
same() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "    got '$2', wanted '$3'"; fi; }

"$NATLOG" --db "$TMP/noyear.db" import -q "$L/messages" "$L/iptables-save.txt" 2>/dev/null
"$NATLOG" --db "$TMP/year.db" import -q --year 2026 "$L/messages" "$L/iptables-save.txt" 2>/dev/null
"$NATLOG" --db "$TMP/dmesgT.db" import -q "$L/dmesg-T.txt" "$L/iptables-save.txt" 2>/dev/null
"$NATLOG" --db "$TMP/seed.db" import -q "$TD/seed003/messages" "$TD/seed003/iptables-save.txt" 2>/dev/null

# syslog times without a year: the three drops were at 15:25:58, :59 and 15:26:00
check_status "a syslog --since after every packet matches nothing (exit 1)" 1 T noyear --verdict drop --since "Dec 01 00:00:00"
check_grep "... and says so on stderr" "natlog traces: no packets match" "$TMP/err"
same "--since 'Nov 21 15:26:00' leaves out 15:25:58 and 15:25:59" \
	"$(ids noyear --verdict drop --since 'Nov 21 15:26:00')" "5a1fb70ded"
check_grep "a store without years says syslog times compare within a year" "the store has no years" "$TMP/err"
same "--until 'Nov 21 15:25:59' keeps the first two drops" \
	"$(ids noyear --verdict drop --until 'Nov 21 15:25:59')" "5f70272d1f babbbc1b5c"
check_status "--since yesterday on a store without wall times matches nothing" 1 T noyear --since yesterday
check_grep "... and counts the packets it left out, and why" "18 packets left out: no wall-clock time is known" "$TMP/err"
same "uptime:1570.5 compares the kernel's stamp" \
	"$(ids noyear --verdict drop --since uptime:1570.5)" "babbbc1b5c 5a1fb70ded"
same "a bare small number is uptime too" "$(ids noyear --verdict drop --since 1570.5)" "babbbc1b5c 5a1fb70ded"

# the same log with --year: wall-clock bounds in every form
same "syslog time in the store's year" "$(ids year --verdict drop --since 'Nov 21 15:26:00')" "5a1fb70ded"
same "ISO 8601 with Z" "$(ids year --verdict drop --since 2026-11-21T15:26:00Z)" "5a1fb70ded"
same "RFC 3339 with an offset" "$(ids year --verdict drop --since 2026-11-21T16:26:00+01:00)" "5a1fb70ded"
same "epoch with @" "$(ids year --verdict drop --since @1795274760)" "5a1fb70ded"
same "epoch as ten digits" "$(ids year --verdict drop --since 1795274760)" "5a1fb70ded"
same "dmesg -T form" "$(ids year --verdict drop --since 'Sat Nov 21 15:26:00 2026')" "5a1fb70ded"
same "ISO date and time with a space, --until" \
	"$(ids year --verdict drop --until '2026-11-21 15:25:58.5')" "5f70272d1f"
same "a relative time long ago keeps everything" "$(ids year --verdict drop --since -100000d)" "5f70272d1f babbbc1b5c 5a1fb70ded"
check_status "--since -1h (after the recording) matches nothing" 1 T year --since -1h
check_status "--until 2026-11-20 matches nothing" 1 T year --until 2026-11-20

# dmesg -T: wall times with a year, no uptime
same "dmesg -T times compare as wall times" "$(ids dmesgT --verdict drop --since 'Nov 21 15:26:00')" "5a1fb70ded"
check_status "an uptime bound cannot place dmesg -T packets" 1 T dmesgT --since uptime:1
check_grep "... and says why" "left out: their lines print no kernel uptime" "$TMP/err"

# seed 003: kernel stamps only
same "seed 003: uptime bound" "$(ids seed --since uptime:2400)" "ff9e70f0ea 16d0f97a86"
check_status "seed 003: a wall-clock bound places none of its packets" 1 T seed --since 2025-01-01
check_grep "... and says how many were left out" "4 packets left out" "$TMP/err"

# invalid and flows take the same bounds (and --host)
"$NATLOG" --db "$TMP/ct.db" import -q --year 2026 "$TD/lab/ct-invalid/messages" "$L/conntrack-E.txt" 2>/dev/null
n=$("$NATLOG" --db "$TMP/ct.db" invalid --json --since "Nov 21 15:26:30" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
all=$("$NATLOG" --db "$TMP/ct.db" invalid --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
same "invalid --since keeps the later lines only" "$all $n" "9 3"
check_status "invalid --host of another host matches nothing" 1 "$NATLOG" --db "$TMP/ct.db" invalid --host elsewhere
check_grep "... and says so" "natlog invalid: no packets match" "$TMP/err"
ctflows() {	# the connections conntrack's records list
	python3 -c 'import json,sys; print(len([f for f in json.load(sys.stdin) if "conntrack" in f["sources"]]))'
}
n=$("$NATLOG" --db "$TMP/ct.db" flows --json --since 2026-11-21T15:26:01Z | ctflows)
same "flows --since compares conntrack -E's time stamps" "$n" "2"
n=$("$NATLOG" --db "$TMP/ct.db" flows --json --since uptime:1 2>"$TMP/err" | ctflows)
same "flows --since uptime: conntrack prints no uptime" "$n" "0"
check_grep "... and the records left out are counted" "18 conntrack records left out" "$TMP/err"
check_status "flows --until with a bad time is a usage error" 2 "$NATLOG" --db "$TMP/ct.db" flows --until "Nov 21"

for bad in bogus "Nov 21" "Nov 32 10:00:00" "2026-13-01" "-5x" "12345678901" "uptime:" "@"; do
	check_status "--since '$bad' is a usage error" 2 T year --since "$bad"
done
check_grep "... that lists the accepted forms" "dmesg -T" "$TMP/err"
check_status "--until is checked the same way" 2 T year --until "next tuesday"
finish
