#!/bin/sh
# LOG lines are not only rows: a packet that was only LOGged is listed and
# explained, and a LOG line of a traced packet is shown with that packet,
# even when it was stored apart from it (here: in another file).
. "$(dirname "$0")/lib.sh"
L=$TD/lab/log-target

# the lab's first connection: its SYN's LOG line ("fwd-web: ", line 5 of
# dmesg) moved into a file of its own
grep -n . "$L/dmesg.txt" | sed -n '5p' | cut -d: -f2- > "$TMP/fwd-web.log"
sed '5d' "$L/dmesg.txt" > "$TMP/dmesg-without.txt"
check "the trace and the lone LOG line import" "$NATLOG" import -q "$TMP/dmesg-without.txt" "$TMP/fwd-web.log" "$L/iptables-save.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the LOG line of a traced packet is not listed on its own" \
	'not any(p["logged"] and p["log_prefix"] == "fwd-web:" for p in j)' < "$TMP/t.json"
syn=$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(open(sys.argv[1])) if p["dport"] == 8080 and p["tcp_flags"] == "SYN"][0])' "$TMP/t.json")
"$NATLOG" explain --json --trace "$syn" > "$TMP/x.json"
check_json "explain shows it with the traced SYN" \
	'[(e["source"], e["prefix"], e["file"].endswith("fwd-web.log")) for e in j["evidence"] if e["source"] == "log" and e["prefix"] == "fwd-web: "] == [("log", "fwd-web: ", True)]' < "$TMP/x.json"

# seventeen LOG rules logged the SYN (each its own prefix, in a file
# apart): traces leaves all of them out, so explain must show all of them
export NATLOG_DB="$TMP/many.db"
for i in $(seq 10 26); do
	sed "s/^\[ 1635.385613\] fwd-web:/[ 1635.3856$i] fwd-web$i:/" "$TMP/fwd-web.log"
done > "$TMP/many.log"
check "seventeen LOG lines of one packet import" "$NATLOG" import -q "$TMP/dmesg-without.txt" "$TMP/many.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "none is listed on its own" 'not any(p["logged"] for p in j)' < "$TMP/t.json"
syn=$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(open(sys.argv[1])) if p["dport"] == 8080 and p["tcp_flags"] == "SYN"][0])' "$TMP/t.json")
"$NATLOG" explain --json --trace "$syn" > "$TMP/x.json"
check_json "explain of the SYN shows all seventeen" \
	'sorted(e["prefix"] for e in j["evidence"] if e["source"] == "log" and e["file"].endswith("many.log")) == ["fwd-web%d: " % i for i in range(10, 27)]' < "$TMP/x.json"

# the same LOG line three seconds after its trace ended is not that
# packet's (a later one of the same identity): it is not attached to it
export NATLOG_DB="$TMP/late.db"
{ cat "$L/dmesg.txt"; sed 's/^\[ 1635.385613\]/[ 1638.500000]/' "$TMP/fwd-web.log"; } > "$TMP/late.txt"
check "a late LOG line imports" "$NATLOG" import -q "$TMP/late.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "it is a logged packet of its own" \
	'[p["time"] for p in j if p["logged"]] == ["1638.500000"]' < "$TMP/t.json"

# alone (without its trace), the same line is a packet of its own
export NATLOG_DB="$TMP/alone.db"
check "the lone LOG line imports" "$NATLOG" import -q "$TMP/fwd-web.log" "$L/iptables-save.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "it is listed as logged, verdict unknown and not inferred" \
	'len(j) == 1 and j[0]["logged"] and j[0]["source"] == "log" and j[0]["log_prefix"] == "fwd-web:" and j[0]["verdict"] == "unknown" and not j[0]["verdict_inferred"] and j[0]["dport"] == 80' < "$TMP/t.json"
"$NATLOG" traces > "$TMP/t.txt"
check_grep "the text listing says it was only logged" '(only logged: LOG "fwd-web:")' "$TMP/t.txt"
"$NATLOG" explain --json --trace "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["trace"])' "$TMP/t.json")" > "$TMP/x.json"
check_json "explain names the dump's LOG rule with that prefix" \
	'any(d.startswith("logged by filter:") and "--log-prefix \"fwd-web: \"" in d for d in j["diagnosis"]) and any("cannot tell" in d or "unknown" in d for d in j["diagnosis"])' < "$TMP/x.json"
finish
