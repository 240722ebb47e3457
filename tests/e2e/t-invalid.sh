#!/bin/sh
# Conntrack invalid-packet lines from the lab's ct-invalid recording: the
# kernel's reasons, linked to the traced packet, quoted by explain.
. "$(dirname "$0")/lib.sh"
L=$TD/lab/ct-invalid

check "import ct-invalid" "$NATLOG" import -q "$L/messages" "$L/iptables-save.txt"
"$NATLOG" invalid --json > "$TMP/inv.json"
check_json "every conntrack line is listed with its reason" \
	'len(j) == sum(1 for l in open("'"$L"'/messages") if "nf_ct_proto_" in l) and all(e["reason"] for e in j)' < "$TMP/inv.json"
check_json "the kernel's reasons are kept verbatim" \
	'{"invalid tcp flag combination", "bad checksum", "bad hw icmp checksum"} <= {e["reason"] for e in j} and any(e["reason"].startswith("ACK is over upper bound ") for e in j)' < "$TMP/inv.json"
check_json "each is linked to its traced packet" 'all(e["trace"] for e in j)' < "$TMP/inv.json"
id=$(python3 -c 'import json,sys; print([e["trace"] for e in json.load(open(sys.argv[1])) if e["reason"].startswith("ACK is over")][0])' "$TMP/inv.json")
"$NATLOG" explain --json --trace "$id" > "$TMP/x.json"
check_json "explain quotes conntrack's reason" \
	'any(d.startswith("conntrack called this packet INVALID: ACK is over upper bound") for d in j["diagnosis"]) and j["verdict"] == "drop" and j["decided_by"]["rule"] == "-A FORWARD -m conntrack --ctstate INVALID -j DROP"' < "$TMP/x.json"
check_json "and lists the line as evidence" \
	'[e["source"] for e in j["evidence"]] == ["conntrack-invalid"]' < "$TMP/x.json"
"$NATLOG" invalid > "$TMP/inv.txt"
check_grep "the text form counts by reason" "invalid tcp flag combination" "$TMP/inv.txt"
finish
