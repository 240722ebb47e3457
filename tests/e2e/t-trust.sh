#!/bin/sh
# Trust in the evidence: rule counters that contradict the trace, lost
# kernel-log lines, kernel health lines and sysctls that bear on a packet.
. "$(dirname "$0")/lib.sh"
L=$TD/lab/stale-dump
T=$TD/trust

# 1. counters: the lab's real dump with counters matches its trace
check "import the lab's trace with its counted dump" "$NATLOG" import -q "$L/dmesg.txt" "$L/iptables-save-c.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "real counters contradict no traced rule" \
	'j and all(p["decided_by"]["rule"] for p in j)' < "$TMP/t.json"
rm -f "$NATLOG_DB"*

# the same dump taken after a rule was inserted at the top of DOCKER
check "import the trace with a dump taken after the fix" "$NATLOG" import -q "$L/dmesg.txt" "$T/iptables-save-c.after-fix.txt"
id=$("$NATLOG" traces --json | python3 -c 'import json,sys; print([p["trace"] for p in json.load(sys.stdin) if p["tcp_flags"] == "SYN" and p["dport"] == 8080][0])')
"$NATLOG" explain --json --trace "$id" > "$TMP/x.json"
check_json "the rule with [0:0] is not named as deciding" \
	'j["decided_by"]["chain"] == "DOCKER" and j["decided_by"]["position"] == 1 and j["decided_by"]["rule"] is None' < "$TMP/x.json"
check_json "its step does not match the dump, with the counters as the reason" \
	'[(s["chain"], s["matches_dump"], s["mismatch_reason"]) for s in j["steps"] if not s["matches_dump"]] == [("DOCKER", False, "the dump counts 0 packets for it, yet 1 traced packet hit it")]' < "$TMP/x.json"
check_json "the diagnosis says the chain changed after the trace" \
	'any("changed" in d and "after the trace" in d and "filter:DOCKER:rule:1" in d for d in j["diagnosis"])' < "$TMP/x.json"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "traces shows no rule text for that decision either" \
	'[p["decided_by"]["rule"] for p in j if p["trace"] == "'"$id"'"] == [None]' < "$TMP/t.json"
rm -f "$NATLOG_DB"*
finish
