#!/bin/sh
# nft's own text from every form of nft output: `nft monitor trace`
# conntrack lines, ruleset text with chain bindings, set statements and
# objects, and JSON dumps that must give the text dump's rules, on data
# from nftables' own test suite (testdata/nft-tests).
. "$(dirname "$0")/lib.sh"
# rules --json lists chain policies too: these checks are about rules
only_rules() { python3 -c 'import json,sys; print(json.dumps([r for r in json.load(sys.stdin) if r["type"] != "policy"]))'; }
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
check_json "nft's names of an ICMP type and code are numbers" \
	'j["icmp_type"] == 8 and j["proto"] == "icmp"' < "$TMP/ct.json"
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
"$NATLOG" rules --json | only_rules > "$TMP/bind.json"
check_json "every rule line of the dump is a rule (99)" 'len(j) == 99' < "$TMP/bind.json"
check_json "a binding's rules are the rules of its own chain, named after the rule" \
	'[(r["position"], r["rule"]) for r in j if r["chain"] == "PREROUTING_RAW {2}"] == [(1, "tcp option maxseg size 1-500 counter packets 0 bytes 0 drop"), (2, "tcp sport 0 counter packets 0 bytes 0 drop")]' < "$TMP/bind.json"
check_json "the rule that opens it keeps its place and jumps to it" \
	'[r["rule"] for r in j if r["chain"] == "PREROUTING_RAW"] == ["meta l4proto != { icmp, tcp, udp, ipv6-icmp } counter packets 0 bytes 0 drop", "tcp flags syn jump { tcp option maxseg size 1-500 counter packets 0 bytes 0 drop; tcp sport 0 counter packets 0 bytes 0 drop }", "rt type 0 counter packets 0 bytes 0 drop"]' < "$TMP/bind.json"
export NATLOG_DB="$TMP/bind2.db"
check "chain bindings of nftables' tests import without an error" \
	"$NATLOG" import -q "$T/chains/dumps/0041chain_binding_0.nft" "$T/cache/dumps/0010_implicit_chain_0.nft"
"$NATLOG" rules --json | only_rules > "$TMP/bind2.json"
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
"$NATLOG" rules --json | only_rules > "$TMP/trim.json"
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

# 3. nft -j list ruleset gives the rules nft list ruleset prints: each of
# nftables' dumps here and its JSON twin, rule by rule (chain, position,
# handle, text).
python3 "$ROOT/tests/nft-dumps-compare.py" "$NATLOG" "$T" > "$TMP/cmp.txt" 2>&1
if grep -qx "JSON dumps whose rules equal their text twin's: 84/84" "$TMP/cmp.txt" &&
	grep -qx "text dumps read without an error: 87/87" "$TMP/cmp.txt"; then
	ok "84 JSON dumps give exactly the rules of their 84 text twins"
else
	not_ok "JSON dumps differ from their text twins"; sed 's/^/    /' "$TMP/cmp.txt" | head -40
fi
export NATLOG_DB="$TMP/named.db"
"$NATLOG" import -q "$T/maps/dumps/0024named_objects_0.json-nft"
"$NATLOG" rules --json | only_rules > "$TMP/named.json"
check_json "a named quota picked by a map is written as nft prints it" \
	'"quota name ip saddr map @test drop" in [r["rule"] for r in j]' < "$TMP/named.json"
export NATLOG_DB="$TMP/bad.db"
printf '%s\n' '{"nftables": [{"rule": {"family": "ip", "table": "x", "chain": "y", "expr": [{"counter": null}, {"gizmo": {}}]}},' \
	'{"rule": {"family": "ip", "table": "x", "chain": "y", "expr": [{"drop": null}]}}]}' > "$TMP/bad.json"
check_status "a JSON statement natlog cannot write is an error" 3 "$NATLOG" import -q "$TMP/bad.json"
"$NATLOG" errors --json > "$TMP/bad-err.json"
check_json "the error names the JSON path" \
	'j[0]["reason"] == "cannot write ip x y rule 1 as nft prints it: gizmo at nftables[0].rule.expr[1]"' < "$TMP/bad-err.json"
"$NATLOG" rules --json | only_rules > "$TMP/bad-rules.json"
check_json "no text is made up for that rule, and the next keeps its position" \
	'[(r["position"], r["rule"]) for r in j] == [(2, "drop")]' < "$TMP/bad-rules.json"

# Set elements with statements: membership is decided by the key alone.
export NATLOG_DB="$TMP/elemstmt.db"
sed 's/192.168.70.20 . 8000-8080 }/192.168.70.20 . 8000-8080, 192.168.70.10 . 22 ct count over 5 }/' \
	"$TD/seed000/ruleset.nft" > "$TMP/elemstmt.nft"
"$NATLOG" import -q "$TD/seed000/trace.txt" "$TMP/elemstmt.nft"
"$NATLOG" explain --json --trace 9c01f8 > "$TMP/elemstmt.json"
check_json "an element with a statement holds its key: no 'not in set'" \
	'not any("is not in set" in d for d in j["diagnosis"]) and any(d.startswith("192.168.70.10 . 22 is in set inet filter allow_in (element 192.168.70.10 . 22)") for d in j["diagnosis"])' < "$TMP/elemstmt.json"
python3 - "$TD/seed000/ruleset.json" "$TMP/elemstmt-j.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for o in d["nftables"]:
    if "set" in o:
        o["set"]["elem"].append({"elem": {"val": {"concat": ["192.168.70.10", 22]}, "counter": {"packets": 3, "bytes": 180}, "comment": "ssh"}})
json.dump(d, open(sys.argv[2], "w"))
PY
export NATLOG_DB="$TMP/elemstmt-j.db"
"$NATLOG" import -q "$TD/seed000/trace.txt" "$TMP/elemstmt-j.json"
"$NATLOG" explain --json --trace 9c01f8 > "$TMP/elemstmt-j.out"
check_json "the same from a JSON element with a counter and a comment" \
	'not any("is not in set" in d for d in j["diagnosis"])' < "$TMP/elemstmt-j.out"

# A set whose element list was cut in a paste: no "not in set" verdict.
export NATLOG_DB="$TMP/trimset.db"
sed 's/192.168.70.10 . 80,/.../' "$TD/seed000/ruleset.nft" > "$TMP/trimset.nft"
check_status "'...' among set elements is an error" 3 "$NATLOG" import -q "$TD/seed000/trace.txt" "$TMP/trimset.nft"
"$NATLOG" explain --json --trace 9c01f8 > "$TMP/trimset.json"
check_json "natlog says it cannot tell, instead of 'not in set'" \
	'not any("is not in set" in d for d in j["diagnosis"]) and any(d.startswith("natlog cannot tell whether 192.168.70.10 . 22 is in set inet filter allow_in") for d in j["diagnosis"])' < "$TMP/trimset.json"

# nftables' per-rule tests: each rule's JSON is written as nft lists it,
# or reported as an error, never written otherwise.
python3 "$ROOT/tests/nft-py-compare.py" "$NATLOG" "$N/py" > "$TMP/py.txt" 2>&1
if grep -qx "rules written as nft lists them: 281/285, reported as errors: 4, written otherwise: 0" "$TMP/py.txt"; then
	ok "281 of 285 rules of nftables' rule tests are written as nft lists them, 4 reported"
else
	not_ok "rules of nftables' rule tests written otherwise"; sed 's/^/    /' "$TMP/py.txt" | head -30
fi


# 4. nft 0.9.0 (Debian 10's) printed JSON that nft 0.9.1 renamed:
# {"meta": "iifname"}, a payload's "name" for "protocol", a match without
# "op", a map's and a mangle's "left" and "right", {"jump": "chain"}.
export NATLOG_DB="$TMP/j090.db"
check "a JSON dump of nft 0.9.0 imports without an error" \
	"$NATLOG" import -q "$TD/real/zero-os-nft090-j.json"
q="SELECT tbl, chain, position, text, iif, dport_lo, target FROM rules ORDER BY family, tbl, chain, position"
"$NATLOG" sql --json "$q" > "$TMP/j090.json"
export NATLOG_DB="$TMP/t090.db"
"$NATLOG" import -q "$TD/real/zero-os-nft090.nft"
"$NATLOG" sql --json "$q" > "$TMP/t090.json"
check_json "its 12 rules are its text twin's, interfaces, ports and targets too" \
	"len(j) == 12 and j == json.load(open('$TMP/t090.json'))" < "$TMP/j090.json"
export NATLOG_DB="$TMP/py090.db"
check "nft 0.9.0's verdict map, mangle and flag test import without an error" \
	"$NATLOG" import -q "$TD/real/nftables-090-py-json.json"
"$NATLOG" sql --json "SELECT text FROM rules ORDER BY position" > "$TMP/py090.json"
check_json "they are written as nft lists them" \
	'[r["text"] for r in j] == ["ct state established accept", "tcp dport vmap { 22 : accept, 23 : drop }", "meta mark set 0xffffffde"]' < "$TMP/py090.json"
export NATLOG_DB="$TMP/jump090.db"
printf '%s\n' '{"nftables": [{"rule": {"family": "ip", "table": "t", "chain": "c", "expr": [{"match": {"left": {"meta": "iifname"}, "right": "eth0"}}, {"jump": "x"}]}}]}' > "$TMP/jump090.json"
"$NATLOG" import -q "$TMP/jump090.json"
"$NATLOG" sql --json "SELECT text, target, target_arg, iif FROM rules" > "$TMP/jump090.out"
check_json "nft 0.9.0's {\"jump\": \"x\"} is a jump to x (src/json.c verdict_expr_json of v0.9.0)" \
	'j == [{"text": "iifname \"eth0\" jump x", "target": "jump", "target_arg": "x", "iif": "eth0"}]' < "$TMP/jump090.out"


# 5. A meter, as nft 1.0.x lists it in JSON ({"meter": {"key", "stmt",
# "size", "name"}}), is written as in the text, not reported.
export NATLOG_DB="$TMP/meter.db"
check "nft's JSON of two meter rules imports without an error" \
	"$NATLOG" import -q "$TD/real/nftables-106-py-meter.json"
"$NATLOG" sql --json "SELECT family, text, uncond FROM rules ORDER BY family" > "$TMP/meter.json"
check_json "they are written as nft lists them, and neither is unconditional" \
	'[(r["text"], r["uncond"]) for r in j] == [("meter xyz size 8192 { ip saddr timeout 30s counter }", 0), ("meter acct_out size 4096 { iif . ip6 saddr timeout 10m counter }", 0)]' < "$TMP/meter.json"


# 6. `nft -j monitor` prints ruleset events as JSON, one a line: each is
# kept as the notice `nft -a monitor` prints for it, none skipped.
export NATLOG_DB="$TMP/jmon.db"
check "nft -j monitor's events import without an error" \
	"$NATLOG" import -q "$TD/real/nftables-monitor-simple-j.txt"
"$NATLOG" sql --json "SELECT line, kind, text FROM notices ORDER BY line" > "$TMP/jmon.json"
check_json "each of its 8 lines is a ruleset change, written as nft monitor writes it" \
	'[n["text"] for n in j] == ["add table ip t", "add chain ip t c", "add rule ip t c accept # handle 0", "add rule ip t c tcp dport { 22, 80, 443 } accept # handle 0", "insert rule ip t c counter packets 0 bytes 0 accept # handle 0", "delete rule ip t c handle 0", "add rule ip t c accept comment \"foo bar\" # handle 0", "add counter ip t cnt"] and {n["kind"] for n in j} == {"ruleset-change"}' < "$TMP/jmon.json"
export NATLOG_DB="$TMP/jmonbad.db"
printf '%s\n' '{"add": {"rule": {"family": "ip", "table": "t", "chain": "c", "handle": 7, "expr": [{"gizmo": {}}]}}}' > "$TMP/jmonbad.txt"
check_status "a rule event natlog cannot write is an error, not a skip" 3 "$NATLOG" import -q "$TMP/jmonbad.txt"


# 7. Fedora Magazine, NAT part 1: a forwarded ssh SYN is DNATed by inet nat
# prerouting to 192.168.70.10:22, then dropped by the unconditional drop
# of inet filter allowed_dnats (the address was missing from @allow_in).
# The forward rule "ct status dnat jump allowed_dnats" matches a DNATed
# connection; it rewrites nothing. The retransmit's trace is cut.
export NATLOG_DB="$TMP/fedora.db"
check "the article's trace imports without an error" \
	"$NATLOG" import -q "$TD/real/fedora-nat-part1-trace.txt"
"$NATLOG" traces --json > "$TMP/fedora-t.json"
check_json "the SYN is dropped, the retransmit's verdict unknown" \
	'[(p["trace"], p["verdict"]) for p in j] == [("9c01f8", "drop"), ("20a4ef", "unknown")]' < "$TMP/fedora-t.json"
"$NATLOG" explain --json --trace 9c01f8 > "$TMP/fedora.json"
check_json "the drop is allowed_dnats' rule" \
	'(j["decided_by"]["table"], j["decided_by"]["chain"], j["decided_by"]["rule"]) == ("filter", "allowed_dnats", "drop")' < "$TMP/fedora.json"
check_json "the one rewrite is the prerouting DNAT; ct status dnat is no DNAT" \
	'[(n["kind"], n["from"], n["to"], n["chain"]) for n in j["nat"]] == [("DNAT", "10.1.2.3:1222", "192.168.70.10:22", "prerouting")]' < "$TMP/fedora.json"


# 8. pam_authnft's packet-flow audit, case E3: the session chain's rule
# accepted the SYN, and the packet died anyway in base chain sitedeny, by
# its policy drop: "accept ends the chain it fires in, not the hook".
export NATLOG_DB="$TMP/authnft.db"
check "the audit's traces import without an error" \
	"$NATLOG" import -q "$TD/real/pam-authnft-denied-by-foreign-chain.trace" "$TD/real/pam-authnft-admitted.trace"
"$NATLOG" explain --json --trace 7d526d5f > "$TMP/authnft.json"
check_json "the SYN is dropped by sitedeny's policy" \
	'j["verdict"] == "drop" and (j["decided_by"]["chain"], j["decided_by"]["type"]) == ("sitedeny", "policy")' < "$TMP/authnft.json"
check_json "the diagnosis says the session chain's accept was overruled by a later base chain" \
	'any("session_a\x27s rule accepted the packet, but an accept ends only its base chain (filter); base chain inet authnft sitedeny" in d for d in j["diagnosis"])' < "$TMP/authnft.json"
"$NATLOG" traces --json > "$TMP/authnft-t.json"
check_json "a trace id that comes back for a later packet is a packet of its own" \
	'sorted((p["trace"], p["ip_id"], p["verdict"]) for p in j if p["dport"] == 19100 and p["src"] == "127.0.0.1" and p["trace"].startswith(("bc7e16e3", "cc36db20"))) == [("bc7e16e3", 50662, "accept"), ("bc7e16e3.2", 50664, "accept"), ("cc36db20", 50666, "accept"), ("cc36db20.2", 50667, "accept")]' < "$TMP/authnft-t.json"

finish
