#!/bin/sh
# What a network namespace's commands printed (sosreport's
# sos_commands/conntrack/ip_netns_exec_<ns>_conntrack_-S, a section run as
# "ip netns exec NS conntrack ...") is that namespace's: its notices keep
# the namespace (notices.netns), and summary, import's closing notes and
# explain keep them apart from the host's; summary counts each
# namespace's conntrack records apart, and the report shows whose table
# a record is in.
. "$(dirname "$0")/lib.sh"
R=$TD/real
B=$R/sosreport-gw-2026-11-21-nsctlab
CT=sos_commands/conntrack

# the sosreport with conntrack -S of the host (concourse's eight CPUs, no
# drop) and of namespace ct (two CPUs that dropped 239974 packets)
S1=$TMP/s1/sosreport-gw-2026-11-21-nsctlab
mkdir -p "$TMP/s1"
cp -R "$B" "$S1"
grep '^cpu=' "$R/concourse-4153-conntrack-S.txt" > "$S1/$CT/conntrack_-S"
cp "$R/arthurchiao-conntrack-S-drops.txt" "$S1/$CT/ip_netns_exec_ct_conntrack_-S"
"$NATLOG" import "$S1" > /dev/null 2> "$TMP/i1.err"
eq "conntrack -S in namespace ct: its rows are ct's, the host's none's" \
	"-:8:0 ct:2:239974" \
	"$("$NATLOG" sql "SELECT group_concat(n, ' ') FROM (SELECT ifnull(netns, '-') || ':' || count(*) || ':' || sum(count) AS n FROM notices WHERE kind = 'ct-stats' GROUP BY netns ORDER BY netns IS NOT NULL)" | tail -1)"
check_grep "import names the namespace whose counters show drops" \
	"^natlog: 2 conntrack statistics rows listed inside network namespace ct count packets dropped by its own conntrack table, not the host's\$" "$TMP/i1.err"
if grep -q "count packets the kernel dropped by itself" "$TMP/i1.err"; then
	not_ok "import does not say the host's kernel dropped packets"; sed 's/^/    /' "$TMP/i1.err"
else ok "import does not say the host's kernel dropped packets"; fi

"$NATLOG" summary --json > "$TMP/s1.json"
check_json "summary: conntrack_stats and nat count the host's own" \
	'j["conntrack_stats"] == {"lines": 8, "drop": 0} and (j["nat"]["conntrack_records"], j["nat"]["conntrack_dnat"]) == (4, 2)' < "$TMP/s1.json"
check_json "summary: the namespace's records and drops apart" \
	'j["netns"] == [{"netns": "ct", "conntrack_records": 3, "conntrack_dnat": 0, "conntrack_snat": 0, "conntrack_unanswered": 0, "conntrack_stats": {"lines": 2, "drop": 239974}, "log_losses": {"notices": 0, "lines_counted": None}, "ruleset_changes": 0}] and j["netns_more"] == 0' < "$TMP/s1.json"
"$NATLOG" summary > "$TMP/s1.txt"
check_grep "summary text: the host's -S" "^conntrack: -S says 0 packets dropped (drop= on 8 lines)\$" "$TMP/s1.txt"
check_grep "summary text: the host's records" "^          host: conntrack: 4 records, 2 with DNAT, 0 with SNAT, 1 never answered\$" "$TMP/s1.txt"
check_grep "summary text: the namespace's records" "^netns:    ct: conntrack: 3 records, 0 with DNAT, 0 with SNAT\$" "$TMP/s1.txt"
check_grep "summary text: the namespace's drops" "^          ct: conntrack -S says 239974 packets dropped (drop= on 2 lines)\$" "$TMP/s1.txt"
"$NATLOG" summary --json --host elsewhere > "$TMP/s1h.json" 2> /dev/null
check_json "summary --host of another host: no namespace of gw's" \
	'j["netns"] == [] and j["conntrack_stats"]["lines"] == 0' < "$TMP/s1h.json"

# the other way round: the host's counters dropped, the namespace's did not
export NATLOG_DB="$TMP/s2.db"
S2=$TMP/s2/sosreport-gw-2026-11-21-nsctlab
mkdir -p "$TMP/s2"
cp -R "$B" "$S2"
cp "$R/arthurchiao-conntrack-S-drops.txt" "$S2/$CT/conntrack_-S"
grep '^cpu=' "$R/concourse-4153-conntrack-S.txt" > "$S2/$CT/ip_netns_exec_ct_conntrack_-S"
"$NATLOG" import --json "$S2" > "$TMP/i2.json" 2> "$TMP/i2.err"
check_json "import --json: drop rows in all, and those of namespaces" \
	'(j["ct_stats_drop_rows"], j["ct_stats_drop_rows_netns"]) == (2, 0)' < "$TMP/i2.json"
check_grep "import: the host's rows count the kernel's own drops" \
	"^natlog: 2 conntrack statistics rows (conntrack -S, /proc/net/stat/nf_conntrack) count packets the kernel dropped by itself\$" "$TMP/i2.err"
"$NATLOG" summary --json > "$TMP/s2.json"
check_json "summary: the host's drops, none of the namespace's" \
	'j["conntrack_stats"] == {"lines": 2, "drop": 239974} and [(n["netns"], n["conntrack_stats"]) for n in j["netns"]] == [("ct", {"lines": 8, "drop": 0})]' < "$TMP/s2.json"
export NATLOG_DB="$TMP/s1j.db"
"$NATLOG" import --json "$S1" > "$TMP/i1.json" 2> /dev/null
check_json "import --json: a namespace's drop rows counted apart" \
	'(j["ct_stats_drop_rows"], j["ct_stats_drop_rows_netns"]) == (2, 2)' < "$TMP/i1.json"

# a supportconfig-style section run in the namespace (the same rows)
export NATLOG_DB="$TMP/sect.db"
{
	printf '#==[ Command ]======================================#\n# /usr/sbin/conntrack -S\n'
	grep '^cpu=' "$R/concourse-4153-conntrack-S.txt"
	printf '\n#==[ Command ]======================================#\n# /usr/sbin/ip netns exec ct conntrack -S\n'
	cat "$R/arthurchiao-conntrack-S-drops.txt"
} > "$TMP/network.txt"
check "the sections import" "$NATLOG" import -q "$TMP/network.txt"
eq "the section's namespace is its rows'" "-:8 ct:2" \
	"$("$NATLOG" sql "SELECT group_concat(n, ' ') FROM (SELECT ifnull(netns, '-') || ':' || count(*) AS n FROM notices GROUP BY netns ORDER BY netns IS NOT NULL)" | tail -1)"

# explain: conntrack's word that events were lost, printed in namespace
# ct, says nothing of the host's packet whose trace stops in prerouting
# (the lab's first SYN, its first two lines in a dmesg section)
export NATLOG_DB="$TMP/loss.db"
{
	printf '#==[ Command ]======================================#\n# /bin/dmesg\n'
	grep 'SPT=60270 ' "$TD/lab/docker-legacy/dmesg.txt" | head -n 2
	printf '\n#==[ Command ]======================================#\n# /usr/sbin/ip netns exec ct conntrack -E\n'
	cat "$R/conntrack-tools-E-enobufs.txt"
} > "$TMP/loss.txt"
"$NATLOG" import --json "$TMP/loss.txt" > "$TMP/li.json" 2> "$TMP/li.err"
check_json "import --json: a namespace's loss line counted apart" \
	'(j["loss_lines"], j["loss_lines_netns"]) == (1, 1)' < "$TMP/li.json"
check_grep "import: the namespace's lost events do not bear on the host's traces" \
	"^natlog: 1 line of conntrack run inside a network namespace says that its events were lost: they bear on that namespace's connections, not on the host's traces\$" "$TMP/li.err"
if grep -q "traces near them may be incomplete" "$TMP/li.err"; then
	not_ok "import does not say the host's traces may be incomplete"; sed 's/^/    /' "$TMP/li.err"
else ok "import does not say the host's traces may be incomplete"; fi
eq "the loss is namespace ct's" "loss:conntrack:ct" \
	"$("$NATLOG" sql "SELECT kind || ':' || origin || ':' || ifnull(netns, '-') FROM notices" | tail -1)"
t=$("$NATLOG" traces --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])')
"$NATLOG" explain --json --trace "$t" > "$TMP/lx.json"
check_json "explain: the host's cut trace takes no loss of the namespace's conntrack" \
	'j["losses"] == [] and not any("lost" in d for d in j["diagnosis"])' < "$TMP/lx.json"

# the report: a netns column, the namespace's records under it
export NATLOG_DB="$TMP/natlog.db"
check "report writes the page" "$NATLOG" report -o "$TMP/r.html"
check_grep "report: a netns column when a namespace's table was read" \
	"<th>event</th><th>time</th><th>netns</th><th>proto</th>" "$TMP/r.html"
check_grep "report: the namespace's record under it" \
	"<tr><td>table</td><td>-</td><td>ct</td><td>tcp</td><td class=\"mono\">10.77.2.1:41296 " "$TMP/r.html"
check_grep "report: the host's with '-'" \
	"<tr><td>table</td><td>-</td><td>-</td><td>tcp</td><td class=\"mono\">10.77.2.1:41296 " "$TMP/r.html"
check_grep "report: how many records are namespaces'" "<b>3</b>of them network namespaces'" "$TMP/r.html"
export NATLOG_DB="$TMP/host.db"
"$NATLOG" import -q "$B/$CT/conntrack_-L_-o_extended"
check "report of the host's table alone" "$NATLOG" report -o "$TMP/rh.html"
check_grep "report: no netns column then" "<th>event</th><th>time</th><th>proto</th>" "$TMP/rh.html"

# merge carries the namespace of notices
export NATLOG_DB="$TMP/natlog.db"
check "merge copies the store" "$NATLOG" --db "$TMP/m.db" merge -q "$TMP/natlog.db"
eq "the merged notices keep their namespace" "-:8 ct:2" \
	"$("$NATLOG" --db "$TMP/m.db" sql "SELECT group_concat(n, ' ') FROM (SELECT ifnull(netns, '-') || ':' || count(*) AS n FROM notices GROUP BY netns ORDER BY netns IS NOT NULL)" | tail -1)"
"$NATLOG" --db "$TMP/m.db" summary --json > "$TMP/m.json"
check_json "and summary of the merged store says the same" \
	"j[\"netns\"] == $(python3 -c 'import json,sys; print(repr(json.load(sys.stdin)["netns"]))' < "$TMP/s1.json") and j['conntrack_stats'] == {'lines': 8, 'drop': 0}" < "$TMP/m.json"

# a store of schema 34, read as it is (its notices have no namespace):
# summary still answers, every notice the host's
cp "$TMP/natlog.db" "$TMP/s34.db"
downgrade_to "$TMP/s34.db" 34
"$NATLOG" --db "$TMP/s34.db" summary --json > "$TMP/s34.json"
check_json "a schema 34 store: the namespace's records apart, its notices the host's" \
	'j["conntrack_stats"] == {"lines": 10, "drop": 239974} and [(n["netns"], n["conntrack_records"], n["conntrack_stats"]["lines"]) for n in j["netns"]] == [("ct", 3, 0)]' < "$TMP/s34.json"
eq "read as it is, not upgraded" "34" \
	"$("$NATLOG" --db "$TMP/s34.db" sql "SELECT value FROM meta WHERE key = 'schema_version'" | tail -1)"
finish
