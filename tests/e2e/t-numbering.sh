#!/bin/sh
# The kernel's TRACE numbering, on real recordings of the lab: rule:N, the
# chain policy as policy:rules+1, falling off a user chain as
# return:rules+1, and unconditional standard-target rules reported as
# policy/return at their own position. Also LOG lines as evidence.
. "$(dirname "$0")/lib.sh"
L=$TD/lab

first() { python3 -c 'import json,sys; j=json.load(sys.stdin); print(j[0]["trace"] if j else "none")'; }

check "import docker-legacy" "$NATLOG" import -q "$L/docker-legacy/dmesg.txt" "$L/docker-legacy/iptables-save.txt"
id=$("$NATLOG" traces --json --port 9090 --src 10.77.1.2 | first)
"$NATLOG" explain --json --trace "$id" > "$TMP/drop.json"
step='[s for s in j["steps"] if (s["table"], s["chain"], s["type"], s["position"]) == '
check_json "rule:N is the Nth rule of the chain" \
	"$step"'("nat", "DOCKER", "rule", 3)][0]["rule"] == "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 9090 -j DNAT --to-destination 10.77.2.2:8081"' < "$TMP/drop.json"
check_json "an explicit unconditional -j RETURN is return at its own position" \
	"$step"'("filter", "DOCKER-USER", "return", 1)][0]["rule"] == "-A DOCKER-USER -j RETURN"' < "$TMP/drop.json"
check_json "return:rules+1 is falling off the end of a user chain (no rule)" \
	"$step"'("filter", "DOCKER", "return", 2)][0]["rule"] is None and '"$step"'("filter", "DOCKER", "return", 2)][0]["matches_dump"]' < "$TMP/drop.json"
check_json "policy:rules+1 at a built-in chain is the chain policy" \
	"$step"'("filter", "FORWARD", "policy", 7)][0]["rule"] == "policy DROP" and j["verdict"] == "drop" and j["verdict_inferred"]' < "$TMP/drop.json"
check_json "the DNAT is seen between the hooks" \
	'j["nat"] == [{"field": "dst", "kind": "DNAT", "from": "10.77.1.1:9090", "to": "10.77.2.2:8081", "by": "rule", "table": "nat", "chain": "DOCKER", "position": 3, "rule": "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 9090 -j DNAT --to-destination 10.77.2.2:8081", "after_trace": False}]' < "$TMP/drop.json"
check_json "every step matches the dump" 'all(s["matches_dump"] for s in j["steps"]) and j["diagnosis"] == ["no rule of filter FORWARD (or the chains it jumped to) accepted the packet, so the chain'"'"'s policy DROP dropped it"]' < "$TMP/drop.json"

export NATLOG_DB="$TMP/log.db"
check "import log-target" "$NATLOG" import -q "$L/log-target/dmesg.txt" "$L/log-target/iptables-save.txt"
id=$("$NATLOG" traces --json --port 81 --src 10.77.1.2 --verdict drop | first)
"$NATLOG" explain --json --trace "$id" > "$TMP/fw.json"
check_json "an unconditional -j DROP rule is reported as policy at its own position" \
	'j["decided_by"] == {"family": None, "table": "filter", "chain": "FORWARD", "type": "policy", "position": 5, "handle": None, "rule": "-A FORWARD -j DROP"} and j["verdict"] == "drop"' < "$TMP/fw.json"
check_json "the LOG line of the packet is evidence, its prefix kept as printed" \
	'[e["prefix"] for e in j["evidence"]] == ["[FW DROP] "]' < "$TMP/fw.json"
id=$("$NATLOG" traces --json --src 10.77.1.2 --port 22 | first)
"$NATLOG" explain --json --trace "$id" > "$TMP/ssh.json"
check_json "a prefix glued to IN= is split off" '[e["prefix"] for e in j["evidence"]] == ["SSH"]' < "$TMP/ssh.json"
check_json "an empty INPUT chain's policy is policy:rules+1" \
	'j["decided_by"]["chain"] == "INPUT" and j["decided_by"]["type"] == "policy" and j["decided_by"]["rule"] == "policy ACCEPT"' < "$TMP/ssh.json"
finish
