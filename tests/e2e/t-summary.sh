#!/bin/sh
# t-summary.sh - `natlog summary` on the lab's recordings, `rules` with
# policies and drops, and the README's summary example: its commands run
# here and must print what the README shows.
. "$(dirname "$0")/lib.sh"
export TZ=UTC
L=$TD/lab

"$NATLOG" import -q --year 2026 "$L/docker-legacy/messages" "$L/docker-legacy/iptables-save.txt" \
	"$L/docker-legacy/conntrack-E.txt" "$L/ct-invalid/messages" 2>/dev/null
check "summary runs on a store" "$NATLOG" summary
check_grep "summary counts packets by verdict" "packets:  33 traced: 15 accept, 15 unknown, 3 drop" "$TMP/out"
check_grep "summary names the policy that dropped most, with its count" "     3  filter:FORWARD:policy:7          policy DROP" "$TMP/out"
check_grep "summary counts conntrack's invalid reasons" "invalid (conntrack): 9" "$TMP/out"
# the first dropped packet, as traces lists it
drop1=$("$NATLOG" traces --verdict drop --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])')
check_grep "summary suggests explaining one dropped packet" "natlog explain --trace $drop1" "$TMP/out"
if awk 'length > 80 { bad = 1 } END { exit bad }' "$TMP/out"; then ok "summary fits 80 columns"; else
	not_ok "summary fits 80 columns"; awk 'length > 80' "$TMP/out"; fi

"$NATLOG" summary --json > "$TMP/s.json"
check_json "summary --json: verdicts, drops, invalid, NAT, next" \
	'j["packets"] == 33 and {v["verdict"]: v["packets"] for v in j["verdicts"]} == {"accept": 15, "unknown": 15, "drop": 3} and j["dropped_by"][0]["chain"] == "FORWARD" and j["dropped_by"][0]["type"] == "policy" and j["dropped_by"][0]["packets"] == 3 and j["dropped_by"][0]["example_trace"] == "'$drop1'" and j["invalid"] == 9 and j["nat"]["conntrack_dnat"] == 12 and j["errors"] == 0 and "natlog invalid" in j["next"]' < "$TMP/s.json"
"$NATLOG" summary --json --since "Nov 21 15:26:20" > "$TMP/s2.json"
check_json "summary --since keeps the later packets only (the ct-invalid run)" \
	'j["packets"] == 15 and j["dropped_by"] == [] and j["span"]["first_wall_us"] >= 1795274780000000' < "$TMP/s2.json"
check_status "summary --since with a time it cannot read is a usage error" 2 "$NATLOG" summary --since "soon"
check_status "summary --host with nothing of that host exits 1" 1 "$NATLOG" summary --host nosuchhost

# failed set lookups and contradicted dumps come from analysing the drops again
"$NATLOG" --db "$TMP/set.db" import -q "$L/nft-set-drop/nft-monitor-trace.txt" \
	"$L/nft-set-drop/nft-ruleset.before-add.txt" 2>/dev/null
"$NATLOG" --db "$TMP/set.db" summary > "$TMP/out"
check_grep "summary counts the set lookups that found nothing (dump before the element was added)" \
	"     3  inet filter allow_in" "$TMP/out"
"$NATLOG" --db "$TMP/set.db" summary --json > "$TMP/s3.json"
check_json "summary --json: failed_lookups" \
	'j["failed_lookups"] == [{"set": "inet filter allow_in", "packets": 3}] and j["analysed"] == 3' < "$TMP/s3.json"
"$NATLOG" --db "$TMP/stale.db" import -q "$L/stale-dump/dmesg.txt" "$L/stale-dump/iptables-save.stale.txt" 2>/dev/null
"$NATLOG" --db "$TMP/stale.db" summary > "$TMP/out"
# the 3 dropped SYNs and the 4 later packets of the accepted connection,
# whose FORWARD steps the stale dump numbers one rule off
check_grep "summary counts packets a stale dump contradicts" \
	"7 dropped or unknown packets the dump contradicts (stale or edited?)" "$TMP/out"
check_grep "... and suggests explaining one" "natlog explain --trace c5c4901fc2" "$TMP/out"

"$NATLOG" rules --json > "$TMP/rules.json"
check_json "rules counts policies, with the drops they decided" \
	'[(r["hits"], r["drops"], r["position"]) for r in j if r["type"] == "policy" and r["table"] == "filter" and r["chain"] == "FORWARD"] == [(3, 3, None)]' < "$TMP/rules.json"
"$NATLOG" rules --by drops --json > "$TMP/rules.json"
check_json "rules --by drops puts the biggest dropper first" \
	'j[0]["type"] == "policy" and j[0]["chain"] == "FORWARD" and j[0]["drops"] == 3' < "$TMP/rules.json"
"$NATLOG" rules --unused --json > "$TMP/rules.json"
check_json "rules --unused leaves out the -j TRACE rules" \
	'j and all(r["hits"] == 0 and "-j TRACE" not in r["rule"] for r in j)' < "$TMP/rules.json"
check_status "rules --by with an unknown key is a usage error" 2 "$NATLOG" rules --by colour

"$NATLOG" sql --json "SELECT sport, uptime, verdict, decided_rule, x'00ff' AS b FROM packets WHERE trace = '$drop1'" > "$TMP/sql.json"
check_json "sql --json keeps SQLite's types: integer, real, text, null, blob as hex" \
	'j == [{"sport": 35414, "uptime": 1569.565574, "verdict": "drop", "decided_rule": "policy DROP", "b": "00ff"}]' < "$TMP/sql.json"
"$NATLOG" sql --json "SELECT NULL AS n, 1e999 AS inf" > "$TMP/sql.json"
check_json "sql --json: NULL is null, an infinite real a string" 'j == [{"n": None, "inf": "Inf"}]' < "$TMP/sql.json"
check_status "errors on a store without errors exits 1" 1 "$NATLOG" errors
check_grep "... and says so" "natlog errors: no errors" "$TMP/err"
"$NATLOG" --db "$TMP/empty.db" import -q "$TD/seed003/iptables-save.txt" 2>/dev/null
check_status "flows of a store without connections exits 1" 1 "$NATLOG" --db "$TMP/empty.db" flows
check_grep "... and says so" "natlog flows: no flows" "$TMP/err"
check_status "invalid without conntrack invalid lines exits 1" 1 "$NATLOG" --db "$TMP/empty.db" invalid
check_grep "... and says so" "natlog invalid: no packets match" "$TMP/err"

# The README's example: the block after the marker, run command by command
# in a store of its own, from the top of the source tree.
mkdir -p "$TMP/bin" && ln -s "$NATLOG" "$TMP/bin/natlog"
awk '/^<!-- t-summary.sh runs/ { on = 1; next } on && /^```$/ { if (blk) exit; blk = 1; next } blk' \
	"$ROOT/README.md" > "$TMP/readme.txt"
: > "$TMP/got.txt"
while IFS= read -r line; do
	case $line in
	'$ '*)
		printf '%s\n' "$line" >> "$TMP/got.txt"
		(cd "$ROOT" && PATH="$TMP/bin:$PATH" NATLOG_DB="$TMP/readme.db" sh -c "${line#\$ }" \
			>> "$TMP/got.txt" 2>/dev/null) ;;
	esac
done < "$TMP/readme.txt"
if [ -s "$TMP/readme.txt" ] && diff -u "$TMP/readme.txt" "$TMP/got.txt" > "$TMP/diff"; then
	ok "README's summary example prints what the README shows"
else
	not_ok "README's summary example prints what the README shows"; sed 's/^/    /' "$TMP/diff" | head -40
fi

# Kernel lines saying it dropped packets by itself (five table-full lines,
# four wrapped, and lossy.dmesg's one and its SYN flood), and lines saying log
# lines were lost, are counted: alone they are what a bundle shows.
export NATLOG_DB="$TMP/kernel.db"
"$NATLOG" import -q "$TD/real/starphleet-352-conntrack-full-wrapped.log" "$TD/trust/lossy.dmesg" > /dev/null 2>&1
"$NATLOG" summary > "$TMP/k.txt"
check_grep "the summary counts the table-full lines, wrapped ones too" \
	"^          conntrack table full 6, SYN flooding 1$" "$TMP/k.txt"
check_grep "and the lines saying log lines were lost" "^lost:     [1-9][0-9]* lines* says* lines or events were lost" "$TMP/k.txt"
"$NATLOG" summary --json > "$TMP/k.json"
check_json "the JSON has kernel_drops and log_losses" \
	'j["kernel_drops"] == {"conntrack_full": 6, "expect_full": 0, "syn_flood": 1, "helper_drop": 0} and j["log_losses"]["notices"] >= 1' < "$TMP/k.json"
export NATLOG_DB="$TMP/hotsos.db"
"$NATLOG" import "$TD/real/hotsos-101-conntrack-full.log" > /dev/null 2> "$TMP/h.err"
check_grep "a file holding only a table-full line is read as what it is" "kernel line says that the kernel dropped packets" "$TMP/h.err"
if grep -q "not a format natlog reads" "$TMP/h.err"; then not_ok "and is not called a format natlog does not read"; else ok "and is not called a format natlog does not read"; fi
# Ruleset changes that nft monitor printed beside its traces (the lab's
# rewind: an insert, a delete and the generations around them) are
# counted, in the text and the JSON, as the monitor's lines show them.
export NATLOG_DB="$TMP/changes.db"
"$NATLOG" import -q "$TD/lab/rewind/nft-monitor.txt"
"$NATLOG" summary --json > "$TMP/ch.json"
check_json "summary --json counts the monitored ruleset changes" \
	"j['ruleset_changes'] == $(grep -c -E '^(add|insert|delete|replace|# new generation) ' "$TD/lab/rewind/nft-monitor.txt")" < "$TMP/ch.json"
"$NATLOG" summary > "$TMP/ch.txt"
check_grep "and the text says so" "^changes:  14 ruleset changes monitored" "$TMP/ch.txt"

# Kernels before 3.8 said an H.323 helper's drop without the packet
# (nf_conntrack_h323_main.c: "nf_ct_q931: packet dropped", also h245 and
# ras): a drop by the kernel itself, counted, not a line skipped.
export NATLOG_DB="$TMP/helper.db"
printf '%s\n' '[ 5120.330917] nf_ct_q931: packet dropped' \
	'Nov 21 15:26:24 pbx kernel: [ 5121.004410] nf_ct_h245: packet dropped' \
	'[ 5122.100000] e1000e: packet dropped' > "$TMP/h323.log"
"$NATLOG" import "$TMP/h323.log" > /dev/null 2> "$TMP/h.err"
"$NATLOG" summary --json > "$TMP/k.json"
check_json "a helper's drop said without the packet is a kernel drop (2; a NIC's line is not one)" \
	'j["kernel_drops"]["helper_drop"] == 2' < "$TMP/k.json"
"$NATLOG" summary > "$TMP/k.txt"
check_grep "and the summary names it" "conntrack helper dropped 2" "$TMP/k.txt"

# two hosts' drops by the rule at the same place: each host's own row
# (rule 7 of one host's FORWARD is not another's), named in the text
export NATLOG_DB="$TMP/twohosts.db"
"$NATLOG" import -q --host node-a "$TD/lab/docker-legacy/dmesg.txt" "$TD/lab/docker-legacy/iptables-save.txt"
"$NATLOG" import -q --host node-b "$TD/lab/docker-legacy/dmesg.txt" "$TD/lab/docker-legacy/iptables-save.txt"
"$NATLOG" summary --json > "$TMP/th.json"
check_json "dropped_by: a row per host, each with its host and its own count" \
	'sorted((d["host"], d["chain"], d["position"], d["packets"], d["netns"]) for d in j["dropped_by"]) == [("node-a", "FORWARD", 7, 3, None), ("node-b", "FORWARD", 7, 3, None)]' < "$TMP/th.json"
"$NATLOG" summary > "$TMP/th.txt"
check_grep "and the text names the host of each" "filter:FORWARD:policy:7 (node-a)" "$TMP/th.txt"
"$NATLOG" summary --host node-b > "$TMP/tb.txt"
if grep -q "(node-b)" "$TMP/tb.txt"; then not_ok "one host's summary names no host"; else ok "one host's summary names no host"; fi
# the NAT counts are the packets whose lines show more than one destination
# (source) address, counted here through the events view: on lab recordings
# (legacy, nft, xtables) and third parties' traces
for input in "$L/docker-legacy/messages" "$L/interleaved/messages" "$L/nft-set-drop/nft-monitor-trace.txt" \
	"$L/xtables-nft" "$L/udp-icmp" "$TD/real/lijiaocn-flannel-output-dnat.log" \
	"$TD/real/docker-notes-trace-word-cut.txt"; do
	db="$TMP/nat.db"
	rm -f "$db"*
	"$NATLOG" --db "$db" import -q "$input" 2>/dev/null
	want=$("$NATLOG" --db "$db" sql "SELECT (SELECT count(*) FROM (SELECT packet_id FROM events WHERE
		packet_id IS NOT NULL AND dst IS NOT NULL GROUP BY packet_id HAVING count(DISTINCT dst) > 1))
		|| ' ' || (SELECT count(*) FROM (SELECT packet_id FROM events WHERE packet_id IS NOT NULL AND
		src IS NOT NULL GROUP BY packet_id HAVING count(DISTINCT src) > 1))" | tail -n 1)
	got=$("$NATLOG" --db "$db" summary --json | python3 -c 'import json,sys; n = json.load(sys.stdin)["nat"]; print(n["traced_dst_changed"], n["traced_src_changed"])')
	case $want in "0 "*) not_ok "the events of $(basename "$input") show a destination rewritten"; continue ;; esac
	eq "summary's NAT counts are its lines' (${input#$TD/})" "$want" "$got"
done

finish
