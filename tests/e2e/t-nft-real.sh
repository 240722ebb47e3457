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

# 2. Ruleset text: chain bindings, set statements, a trimmed paste.
T=$N/testcases
export NATLOG_DB="$TMP/bind.db"
check "a dump with six chain bindings imports without an error" \
	"$NATLOG" import -q "$T/nft-f/dumps/sample-ruleset.nft"
"$NATLOG" rules --json > "$TMP/bind.json"
check_json "every rule line of the dump is a rule (99)" 'len(j) == 99' < "$TMP/bind.json"
check_json "a binding's rules are the rules of its own chain, named after the rule" \
	'[(r["position"], r["rule"]) for r in j if r["chain"] == "PREROUTING_RAW {2}"] == [(1, "tcp option maxseg size 1-500 counter packets 0 bytes 0 drop"), (2, "tcp sport 0 counter packets 0 bytes 0 drop")]' < "$TMP/bind.json"
check_json "the rule that opens it keeps its place and jumps to it" \
	'[r["rule"] for r in j if r["chain"] == "PREROUTING_RAW"] == ["meta l4proto != { icmp, tcp, udp, ipv6-icmp } counter packets 0 bytes 0 drop", "tcp flags syn jump { tcp option maxseg size 1-500 counter packets 0 bytes 0 drop; tcp sport 0 counter packets 0 bytes 0 drop }", "rt type 0 counter packets 0 bytes 0 drop"]' < "$TMP/bind.json"
export NATLOG_DB="$TMP/bind2.db"
check "chain bindings of nftables' tests import without an error" \
	"$NATLOG" import -q "$T/chains/dumps/0041chain_binding_0.nft" "$T/cache/dumps/0010_implicit_chain_0.nft"
"$NATLOG" rules --json > "$TMP/bind2.json"
check_json "no inner rule is taken for a rule of the outer chain" \
	'sorted((r["chain"], r["position"]) for r in j) == [("c", 1), ("c {1}", 1), ("y", 1), ("y", 2), ("y {1}", 1), ("y {1}", 2), ("y {2}", 1)]' < "$TMP/bind2.json"
export NATLOG_DB="$TMP/sets.db"
check "sets with statements and element statements import without an error" \
	"$NATLOG" import -q "$T/sets/dumps/0060set_multistmt_0.nft" "$T/sets/dumps/0062set_connlimit_0.nft"
"$NATLOG" sql --json "SELECT set_name, key FROM elements ORDER BY id" > "$TMP/elems.json"
check_json "an element's key leaves out its statements" \
	'[e["key"] for e in j] == ["1.1.1.1", "4.4.4.4", "5.5.5.5"]' < "$TMP/elems.json"
export NATLOG_DB="$TMP/trim.db"
check_status "a '...' line of a trimmed paste is an error" 3 "$NATLOG" import -q "$N/trimmed-paste.nft"
"$NATLOG" rules --json > "$TMP/trim.json"
check_json "it is no rule, and the rule after it has an unknown position" \
	'[(r["position"], r["rule"][:3]) for r in j] == [(1, "iif"), (None, "log")]' < "$TMP/trim.json"

# Flowtables and stateful objects are kept, from text and from JSON alike.
for form in nft json-nft; do
	export NATLOG_DB="$TMP/obj-$form.db"
	"$NATLOG" import -q "$T/listing/dumps/0013objects_0.$form" "$T/maps/dumps/0024named_objects_0.$form" \
		"$T/flowtable/dumps/0012flowtable_variable_0.$form"
	"$NATLOG" sql --json "SELECT family, tbl, kind, name FROM objects ORDER BY family, tbl, kind, name" > "$TMP/obj-$form.json"
done
check_json "flowtables, counters, quotas and ct objects of a text dump are kept" \
	'[(o["tbl"], o["kind"], o["name"]) for o in j] == [("x", "counter", "user123"), ("x", "counter", "user321"), ("x", "quota", "user123"), ("x", "quota", "user124"), ("filter1", "flowtable", "Main_ft1"), ("filter2", "flowtable", "Main_ft2"), ("test", "ct expectation", "ctexpect"), ("test", "ct helper", "cthelp"), ("test", "ct timeout", "cttime"), ("test", "quota", "https-quota")]' < "$TMP/obj-nft.json"
check_json "the JSON dump keeps the same objects" \
	"j == $(cat "$TMP/obj-nft.json")" < "$TMP/obj-json-nft.json"

finish
