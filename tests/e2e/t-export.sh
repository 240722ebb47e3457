#!/bin/sh
# natlog export: NDJSON rows are traces --json's, explain --json's steps
# and flows --json's objects, for the same filters; CSV has the same rows
# under a header and loads into sqlite3 with RFC 4180 quoting intact; each
# row names its host and trace, so exports of several hosts concatenate.
# The README's loading example is run as printed.
. "$(dirname "$0")/lib.sh"
L=$TD/lab

# same DESCRIPTION FILE1 FILE2: the files are equal, and not empty
same() {
	if [ -s "$2" ] && cmp -s "$2" "$3"; then ok "$1"; else
		not_ok "$1"; diff "$2" "$3" | head -10 | sed 's/^/    /'; fi
}
# eq DESCRIPTION WANTED GOT: WANTED is not empty, and GOT is it
export NATLOG_DB=$TMP/docker.db
"$NATLOG" import -q --year 2026 "$L/docker-legacy/messages" "$L/docker-legacy/iptables-save.txt" \
	"$L/docker-legacy/conntrack-E.txt"

# 1. packets: the rows of traces --json, filter by filter
n=0
rows() {
	n=$((n + 1))
	"$NATLOG" traces --json "$@" | jq -c '.[]' > "$TMP/traces$n"
	"$NATLOG" export --ndjson "$@" | jq -c . > "$TMP/export$n"
	same "export $*: the rows of traces --json" "$TMP/traces$n" "$TMP/export$n"
	"$NATLOG" export --csv "$@" > "$TMP/csv$n"
	rm -f "$TMP/load.db"
	sqlite3 "$TMP/load.db" ".import --csv $TMP/csv$n packets" "SELECT trace FROM packets ORDER BY rowid" > "$TMP/csvids$n"
	jq -r .trace "$TMP/export$n" > "$TMP/jsonids$n"
	same "export --csv $*: the same packets, loaded by sqlite3 .import --csv" "$TMP/jsonids$n" "$TMP/csvids$n"
}
rows
rows --dst 10.77.2.0/24
rows --rule filter:FORWARD:policy:7
rows --iface lo
rows --proto tcp --port 8080 --verdict accept
rows --since "Nov 21 15:26:00"
eq "export with no format is NDJSON: one object per line" "18" "$("$NATLOG" export | jq -c 'select(type == "object")' | wc -l | tr -d ' ')"
eq "every NDJSON row names its host and trace" "true" \
	"$("$NATLOG" export | jq -s 'length == 18 and all(has("host") and has("trace") and .host == "natlog-lab")')"
eq "the CSV header names the columns" \
	"trace,source,host,family,time,uptime,proto,src,sport,dst,dport,ip_id,tcp_seq,icmp_type,icmp_id,tcp_flags,verdict,analyzed,verdict_inferred,decided_family,decided_table,decided_chain,decided_type,decided_position,decided_handle,decided_rule,logged,log_prefix,netns" \
	"$("$NATLOG" export --csv | head -1)"
# a rule text with a comma is quoted, and comes back whole
rm -f "$TMP/load.db"
"$NATLOG" export --csv > "$TMP/all.csv"
eq "a field with a comma is quoted" '6fc97f95cf,iptables-trace,natlog-lab,ip,Nov 21 15:25:58,1569.499807,tcp,10.77.1.2,60270,10.77.1.1,8080,45684,53153550,,,ACK,accept,true,true,,filter,FORWARD,rule,3,,"-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",false,,' \
	"$(grep '^6fc97f95cf,' "$TMP/all.csv")"
eq "and sqlite3 reads it back as the JSON has it" \
	"$("$NATLOG" traces --json | jq -r '.[] | select(.trace == "6fc97f95cf") | .decided_by.rule')" \
	"$(sqlite3 "$TMP/load.db" ".import --csv $TMP/all.csv packets" "SELECT decided_rule FROM packets WHERE trace = '6fc97f95cf'")"
eq "unknown values are empty fields, numbers plain" "1|1569.499602|45683|1" \
	"$(sqlite3 "$TMP/load.db" "SELECT decided_family = '', uptime, ip_id, decided_handle = '' FROM packets WHERE trace = '6f5b100616'")"

# 2. steps: explain --json's steps, with trace, host and step number
for t in 5f70272d1f a4ac65d678; do
	# the realignment search is explain's alone (see README "Export")
	"$NATLOG" explain --json --trace "$t" |
		jq -c '.steps[] | del(.inferred_rule, .inferred_position, .realignment)' > "$TMP/explain-$t"
	"$NATLOG" export --what steps | jq -c "select(.trace == \"$t\") | del(.trace, .host, .step)" > "$TMP/steps-$t"
	same "export --what steps: packet $t's steps as explain --json has them" "$TMP/explain-$t" "$TMP/steps-$t"
done
eq "steps are numbered from 1 within each packet" "1 2 3 4 5 6 7 8 9 10" \
	"$("$NATLOG" export --what steps --verdict drop | jq -r 'select(.trace == "5f70272d1f") | .step' | tr '\n' ' ' | sed 's/ $//')"
eq "export --what steps --verdict drop: the steps of the three dropped packets only" "5a1fb70ded 5f70272d1f babbbc1b5c" \
	"$("$NATLOG" export --what steps --verdict drop | jq -r .trace | sort -u | tr '\n' ' ' | sed 's/ $//')"
k=$("$NATLOG" export --what steps | wc -l)
eq "export --what steps --csv: as many rows as NDJSON, under a header" \
	"$((k + 1))" "$("$NATLOG" export --what steps --csv | wc -l | tr -d ' ')"

# 3. flows: flows --json's objects, with the flows' filters
"$NATLOG" flows --json --dst 10.77.2.0/24 | jq -c '.[]' > "$TMP/flows"
"$NATLOG" export --what flows --dst 10.77.2.0/24 | jq -c . > "$TMP/xflows"
same "export --what flows: the objects of flows --json" "$TMP/flows" "$TMP/xflows"
eq "export --what flows --csv: the same Community IDs" "$(jq -r .community_id "$TMP/xflows")" \
	"$("$NATLOG" export --what flows --csv --dst 10.77.2.0/24 | python3 -c 'import csv,sys; print("\n".join(r["community_id"] for r in csv.DictReader(sys.stdin)))')"

# 4. errors: the lines natlog could not use, with the host they came from
export NATLOG_DB=$TMP/err.db
printf 'Nov 21 15:26:00 node1 kernel: [ 1569.1] TRACE: filter:FORWARD:rule:x IN=eth0 OUT= SRC=10.77.1.2 DST=10.77.1.1 LEN=60 PROTO=TCP SPT=1 DPT=2\n' > "$TMP/bad.log"
"$NATLOG" import -q --host node1 "$TMP/bad.log" 2>/dev/null
eq "export --what errors: host, file, line and reason" '{"host":"node1","file":"'"$TMP"'/bad.log","line":1,"reason":"TRACE rule number is not a number"}' \
	"$("$NATLOG" export --what errors | jq -c 'del(.text)')"
eq "export --what errors --csv --host node1" "node1,$TMP/bad.log,1,TRACE rule number is not a number" \
	"$("$NATLOG" export --what errors --csv --host node1 | sed -n 2p | cut -d, -f1-4)"
check_status "export --what errors --host other: none, exit 1" 1 "$NATLOG" export --what errors --host other

# 5. a fleet: each host's export, concatenated, loads as one table
export NATLOG_DB=$TMP/h3.db
T=$L/three-hosts
for h in client gateway server; do
	NATLOG_DB=$TMP/h3-$h.db "$NATLOG" import -q --host "$h" $(awk -v h="$h" -v d="$T" '$2 == h { print d "/" $1 }' "$T/hosts.tsv")
	NATLOG_DB=$TMP/h3-$h.db "$NATLOG" export > "$TMP/h3-$h.ndjson" 2>/dev/null
done
cat "$TMP/h3-client.ndjson" "$TMP/h3-gateway.ndjson" "$TMP/h3-server.ndjson" > "$TMP/fleet.ndjson"
eq "three hosts' exports concatenate: packets by host" '[["client",7],["server",7]]' \
	"$(jq -s -c 'group_by(.host) | map([.[0].host, length])' "$TMP/fleet.ndjson")"

# 6. usage
export NATLOG_DB=$TMP/docker.db
check_status "--ndjson and --csv together: usage" 2 "$NATLOG" export --ndjson --csv
check_grep "and the message says so" "exclude each other" "$TMP/err"
check_status "--what that is not packets, steps, flows or errors: usage" 2 "$NATLOG" export --what rules
check_grep "and the message lists what is" "packets, steps, flows or errors" "$TMP/err"
check_status "a CIDR export can read: none matched, exit 1" 1 "$NATLOG" export --dst 192.0.2.0/24
check_status "a CIDR it cannot: usage" 2 "$NATLOG" export --dst 192.0.2.0/40
check_grep "and the message lists what is accepted" "CIDR prefix" "$TMP/err"

# 7. the README's loading example, run as printed (its output is the block after it)
python3 - "$ROOT/README.md" "$TMP/readme.sh" "$TMP/readme.want" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"<!-- t-export.sh runs the next block[^>]*-->\n```sh\n(.*?)```\n+```\n(.*?)```", text, re.S)
open(sys.argv[2], "w").write(m.group(1) if m else "false\n")
open(sys.argv[3], "w").write(m.group(2) if m else "(no such block in the README)\n")
PY
mkdir -p "$TMP/bin" "$TMP/readme"
ln -s "$NATLOG" "$TMP/bin/natlog"
ln -s "$TD" "$TMP/readme/testdata"
(cd "$TMP/readme" && TZ=UTC PATH="$TMP/bin:$PATH" NATLOG_DB="$TMP/readme/natlog.db" sh -e "$TMP/readme.sh") > "$TMP/readme.got" 2>"$TMP/readme.err"
same "the README's sqlite3 and jq example prints what the README shows" "$TMP/readme.want" "$TMP/readme.got"

finish
