#!/bin/sh
# Captures as evidence: a DNAT'd connection is seen on both sides of the
# gateway with its translation; a dropped one only outside, and natlog says
# it is missing from the inside capture. Real lab recordings.
. "$(dirname "$0")/lib.sh"
L=$TD/lab/docker-legacy
first() { python3 -c 'import json,sys; j=json.load(sys.stdin); print(j[0]["trace"] if j else "none")'; }

check "import traces, dump and both captures" "$NATLOG" import -q "$L/dmesg.txt" "$L/iptables-save.txt" "$L/outside.pcap" "$L/inside.pcapng"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json --src 10.77.1.2 --port 8080 | first)" > "$TMP/acc.json"
check_json "the accepted SYN is seen outside before DNAT" \
	'any(e["source"] == "pcap" and e["seen"] and e["iface"] == "outside" and e["note"].startswith("before DNAT") for e in j["evidence"])' < "$TMP/acc.json"
check_json "and inside (docker0, from the pcapng) after DNAT" \
	'any(e["source"] == "pcap" and e["seen"] and e["iface"] == "docker0" and e["note"] == "after DNAT (to 10.77.2.2:80)" and e["frame"] for e in j["evidence"])' < "$TMP/acc.json"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json --src 10.77.1.2 --port 9090 | first)" > "$TMP/drop.json"
check_json "the dropped SYN is seen outside" \
	'any(e["source"] == "pcap" and e["seen"] and e["iface"] == "outside" for e in j["evidence"])' < "$TMP/drop.json"
check_json "and expected but not seen inside" \
	'any(e["source"] == "pcap" and not e["seen"] and e["iface"] == "docker0" for e in j["evidence"]) and any("never appears in inside.pcapng" in d for d in j["diagnosis"])' < "$TMP/drop.json"
finish
