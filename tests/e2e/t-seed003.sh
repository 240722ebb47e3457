#!/bin/sh
# Seed 003's cross-node Docker example: the TRACE lines and the dump the
# article printed (which had the docker0 rules trimmed).
. "$(dirname "$0")/lib.sh"

check "import seed 003 log and dump" "$NATLOG" import -q "$TD/seed003/messages" "$TD/seed003/iptables-save.txt"
"$NATLOG" traces --json > "$TMP/traces.json"
check_json "four packets traced" 'len(j) == 4' < "$TMP/traces.json"
syn=$("$NATLOG" traces --json --port 10000 --seq 1184533180 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])')
"$NATLOG" explain --trace "$syn" --json > "$TMP/syn.json"
check_json "SYN accepted" 'j["verdict"] == "accept" and j["verdict_inferred"] is True' < "$TMP/syn.json"
check_json "SYN decided by filter DOCKER rule 1 with its text" \
	'j["decided_by"]["table"] == "filter" and j["decided_by"]["chain"] == "DOCKER" and j["decided_by"]["position"] == 1 and j["decided_by"]["rule"].endswith("--dport 80 -j ACCEPT")' < "$TMP/syn.json"
check_json "DNAT at nat:DOCKER:rule:3 to 172.19.0.9:80" \
	'j["nat"][0]["field"] == "dst" and j["nat"][0]["from"] == "192.168.64.4:10000" and j["nat"][0]["to"] == "172.19.0.9:80" and j["nat"][0]["chain"] == "DOCKER" and j["nat"][0]["position"] == 3' < "$TMP/syn.json"
check_json "forwarded: steps go prerouting, forward, postrouting" \
	'[s["hook"] for s in j["steps"]][0] == "prerouting" and "forward" in [s["hook"] for s in j["steps"]] and j["steps"][-1]["hook"] == "postrouting"' < "$TMP/syn.json"
check_json "the trimmed dump is reported: FORWARD rule 8 of 6" \
	'any("filter FORWARD has 6 rules" in d for d in j["diagnosis"])' < "$TMP/syn.json"
check_json "the mismatched step has no rule text" \
	'[s for s in j["steps"] if s["chain"] == "FORWARD" and s["position"] == 8][0]["rule"] is None' < "$TMP/syn.json"
check_json "TTL drops after forwarding" \
	'j["steps"][0]["packet"]["ttl"] == 64 and [s for s in j["steps"] if s["hook"] == "forward"][0]["packet"]["ttl"] == 63' < "$TMP/syn.json"
ack=$("$NATLOG" traces --json --seq 1184533181 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])')
"$NATLOG" explain --trace "$ack" --json > "$TMP/ack.json"
check_json "ACK ends at FORWARD rule 7, which the dump lacks: no guess" \
	'j["verdict"] == "unknown" and j["decided_by"]["position"] == 7 and j["decided_by"]["rule"] is None' < "$TMP/ack.json"
out=$("$NATLOG" traces --json --src 172.19.0.1 --seq 2316959420)
echo "$out" | check_json "local OUTPUT SYN accepted by filter OUTPUT policy" \
	'len(j) == 1 and j[0]["verdict"] == "accept" and j[0]["decided_by"]["type"] == "policy" and j[0]["decided_by"]["rule"] == "policy ACCEPT"'
"$NATLOG" explain --trace "$syn" > "$TMP/syn.txt"
check_grep "text explain names the DNAT" "DNAT 192.168.64.4:10000 -> 172.19.0.9:80" "$TMP/syn.txt"
check_grep "text explain shows the deciding rule" "decided by: filter:DOCKER:rule:1" "$TMP/syn.txt"
finish
