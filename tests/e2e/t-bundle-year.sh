#!/bin/sh
# What a support bundle's name and files say of its lines: the year of
# syslog lines (which print none) from the day the bundle was made, a line
# of a later month and day being the year before's; the host from a
# collector's hostname file when the name gives none; a network
# namespace's name with '_' in it from sos's file names.
. "$(dirname "$0")/lib.sh"
R=$TD/real
export TZ=UTC

# the wall time of each event, in the import's order
walls() {
	"$NATLOG" sql "SELECT group_concat(strftime('%Y-%m-%d %H:%M:%S', wall_us / 1000000, 'unixepoch'), ', ') FROM (SELECT wall_us FROM events ORDER BY id)" | tail -1
}

# testdata/real/sosreport-MainFirewall-2025-01-06-yrcross: a log that
# crosses a year end (Dec 19, then Jan 5) in a sosreport made on 6
# January: the December line is the year before's
S=sosreport-MainFirewall-2025-01-06-yrcross
export NATLOG_DB="$TMP/sos.db"
check "the sosreport imports" "$NATLOG" import -q "$R/$S"
eq "December is 2024's, January 2025's" \
	"2024-12-19 17:15:33, 2025-01-05 20:17:01, 2025-01-05 20:17:01" "$(walls)"
"$NATLOG" summary > "$TMP/s.txt"
check_grep "summary: the times run from December to January" \
	"^time: *2024-12-19 17:15:33 \.\. 2025-01-05 20:17:01 (3 of 3 packets)" "$TMP/s.txt"
"$NATLOG" traces --json --until "Dec 31 23:59:59" > "$TMP/u.json"
check_json "--until Dec 31: the December packet, not the January ones" \
	'[p["time"] for p in j] == ["Dec 19 17:15:33"]' < "$TMP/u.json"
"$NATLOG" traces --json --since "Dec 19 17:00" --until "Jan  5 21:00" > "$TMP/b.json"
check_json "--since Dec 19 --until Jan 5: all three, across the year end" \
	'len(j) == 3' < "$TMP/b.json"
"$NATLOG" traces --json --since "Jan  1 00:00" > "$TMP/n.json"
check_json "--since Jan 1: the January packets only" \
	'sorted(p["time"] for p in j) == ["Jan  5 20:17:01", "Jan  5 20:17:01"]' < "$TMP/n.json"

# --year keeps its meaning: every line in the year given
export NATLOG_DB="$TMP/year.db"
check "with --year it imports" "$NATLOG" import -q --year 2025 "$R/$S"
eq "--year 2025 puts every line in 2025" \
	"2025-12-19 17:15:33, 2025-01-05 20:17:01, 2025-01-05 20:17:01" "$(walls)"

# the other collectors' names: supportconfig's (two-digit year), the
# Rancher logs collector's, the EKS collector's archive
for d in scc_MainFirewall_250106_1200 MainFirewall-2025-01-06_12_00_00; do
	mkdir -p "$TMP/$d/logs"
	cp "$R/$S/var/log/messages" "$TMP/$d/logs/messages"
	export NATLOG_DB="$TMP/$d.db"
	check "$d imports" "$NATLOG" import -q "$TMP/$d"
	eq "$d: December is 2024's" \
		"2024-12-19 17:15:33, 2025-01-05 20:17:01, 2025-01-05 20:17:01" "$(walls)"
done
mkdir -p "$TMP/eks/var_log"
cp "$R/$S/var/log/messages" "$TMP/eks/var_log/messages"
E=eks_i-0123456789abcdef0_2025-01-06_1200-UTC_0.7.9.tar.gz
tar -czf "$TMP/$E" -C "$TMP/eks" .
export NATLOG_DB="$TMP/eks.db"
check "the EKS archive imports" "$NATLOG" import -q "$TMP/$E"
eq "EKS: December is 2024's" \
	"2024-12-19 17:15:33, 2025-01-05 20:17:01, 2025-01-05 20:17:01" "$(walls)"

# slack: a line of the day after the bundle's date is still its year (the
# name's clock and the log's may be a time zone apart); two days after, a
# log cannot hold it, so it is the year before's
for d in 2025-01-04:2025 2025-01-03:2024; do
	mkdir -p "$TMP/sosreport-MainFirewall-${d%:*}-slack/var/log"
	cp "$R/$S/var/log/messages" "$TMP/sosreport-MainFirewall-${d%:*}-slack/var/log/messages"
	export NATLOG_DB="$TMP/slack-${d%:*}.db"
	check "the sosreport of ${d%:*} imports" "$NATLOG" import -q "$TMP/sosreport-MainFirewall-${d%:*}-slack"
	eq "made ${d%:*}: the Jan 5 lines are ${d#*:}'s" \
		"2024-12-19 17:15:33, ${d#*:}-01-05 20:17:01, ${d#*:}-01-05 20:17:01" "$(walls)"
done
# made on 31 December, a line of 1 January is the next year's (composed:
# the January lines' day made the 1st)
mkdir -p "$TMP/sosreport-MainFirewall-2024-12-31-newyear/var/log"
sed 's/^Jan  5 /Jan  1 /' "$R/$S/var/log/messages" > "$TMP/sosreport-MainFirewall-2024-12-31-newyear/var/log/messages"
export NATLOG_DB="$TMP/newyear.db"
check "the sosreport of 31 December imports" "$NATLOG" import -q "$TMP/sosreport-MainFirewall-2024-12-31-newyear"
eq "made 31 December 2024: Jan 1 is 2025's" \
	"2024-12-19 17:15:33, 2025-01-01 20:17:01, 2025-01-01 20:17:01" "$(walls)"

finish
