#!/bin/sh
# nft's own text from every form of nft output: `nft monitor trace`
# conntrack lines, ruleset text with chain bindings, set statements and
# objects, and JSON dumps that must give the text dump's rules, on data
# from nftables' own test suite (testdata/nft-tests).
. "$(dirname "$0")/lib.sh"
N=$TD/nft-tests

# 1. nft 1.1.4+ prints the packet's conntrack entry before its packet line.
export NATLOG_DB="$TMP/ct.db"
check "a trace with conntrack lines imports without an error" \
	"$NATLOG" import -q "$N/trace-conntrack/trace.txt" "$N/trace-conntrack/ruleset.nft"
"$NATLOG" explain --json --trace 3b1c0a7e > "$TMP/ct.json"
check_json "explain --json gives each step the conntrack entry of its base chain" \
	'j["steps"][0]["conntrack"] == {"direction": "original", "state": "new", "status": None, "id": 2641368242} and j["steps"][-1]["conntrack"]["status"] == "dnat-done"' < "$TMP/ct.json"
check_json "the existing step keys are unchanged" \
	'j["steps"][0]["packet"]["src"] == "10.23.42.2" and j["steps"][0]["rule"].startswith("icmp type")' < "$TMP/ct.json"
"$NATLOG" explain --json --trace 5e0d21f4 > "$TMP/ct2.json"
check_json "a reply's conntrack status list is kept as printed" \
	'j["steps"][0]["conntrack"]["direction"] == "reply" and j["steps"][0]["conntrack"]["status"] == "seen-reply,confirmed"' < "$TMP/ct2.json"
"$NATLOG" explain --trace 3b1c0a7e > "$TMP/ct.txt"
check_grep "explain's text shows the conntrack entry" \
	"conntrack: state new, direction original, status dnat-done, id 2641368242" "$TMP/ct.txt"
export NATLOG_DB="$TMP/ct-orphan.db"
check_status "a conntrack line without its packet line is an error" 3 \
	"$NATLOG" import -q "$N/trace-conntrack/orphan.txt"
"$NATLOG" errors --json > "$TMP/cterr.json"
check_json "each such line is reported with its line number" \
	'[e["line"] for e in j] == [1, 3, 4] and j[1]["reason"] == "conntrack field without a value"' < "$TMP/cterr.json"

finish
