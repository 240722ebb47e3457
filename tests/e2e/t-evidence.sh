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
export NATLOG_DB="$TMP/ct.db"
"$NATLOG" import -q "$L/dmesg.txt" "$L/iptables-save.txt" "$L/conntrack-E.txt"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json --src 10.77.1.2 --port 8080 | first)" > "$TMP/ct.json"
check_json "conntrack's events of the connection are evidence, with its DNAT" \
	'[e["note"] for e in j["evidence"] if e["source"] == "conntrack"][0] == "NEW SYN_SENT, unreplied, DNAT to 10.77.2.2:80" and len([e for e in j["evidence"] if e["source"] == "conntrack"]) >= 3' < "$TMP/ct.json"
export NATLOG_DB="$TMP/natlog.db"

check_json "without a common clock, natlog says the match is by identity alone" \
	'any(d.startswith("captures were matched by IP ID and addresses alone") for d in j["diagnosis"])' < "$TMP/drop.json"

# With the boot time (here: the capture's time of the SYN minus the kernel's
# uptime stamp of its first TRACE line, as `uptime -s` would have told)
# kernel times and capture times are on one clock.
export NATLOG_DB="$TMP/clock.db"
NATLOG_DB=$TMP/natlog.db "$NATLOG" explain --json --trace "$("$NATLOG" --db "$TMP/natlog.db" traces --json --src 10.77.1.2 --port 8080 | first)" > "$TMP/a0.json"
boot=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); t=[e["time"] for e in j["evidence"] if e["source"]=="pcap" and e["iface"]=="outside"][0]; print("%.6f" % (float(t) - j["uptime"]))' "$TMP/a0.json")
check "import with --boot-time" "$NATLOG" import -q --boot-time "$boot" "$L/dmesg.txt" "$L/iptables-save.txt" "$L/outside.pcap" "$L/inside.pcapng"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json --src 10.77.1.2 --port 8080 | first)" > "$TMP/a1.json"
check_json "captures are placed in time relative to the trace" \
	'any(e["source"] == "pcap" and e["iface"] == "docker0" and "s from the first traced step" in e["note"] for e in j["evidence"]) and not any(d.startswith("captures were matched") for d in j["diagnosis"])' < "$TMP/a1.json"
check_status "a bad --boot-time is a usage error" 2 "$NATLOG" import --boot-time yesterday "$L/dmesg.txt"
finish
