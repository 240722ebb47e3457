#!/bin/sh
# nftables: traces, dumps (text and JSON), set lookups, reused trace ids,
# and xtables-monitor, on the seeds' story and on real lab recordings.
. "$(dirname "$0")/lib.sh"
L=$TD/lab
first() { python3 -c 'import json,sys; j=json.load(sys.stdin); print(j[0]["trace"] if j else "none")'; }

# Seeds 000/004: the article's trace with the ruleset it describes.
check "import the seeds' trace and ruleset" "$NATLOG" import -q "$TD/seed000/trace.txt" "$TD/seed000/ruleset.nft"
"$NATLOG" explain --json --trace 9c01f8 > "$TMP/seed.json"
check_json "the seed's packet is dropped by allowed_dnats rule 2" \
	'j["verdict"] == "drop" and not j["verdict_inferred"] and j["decided_by"]["chain"] == "allowed_dnats" and j["decided_by"]["position"] == 2' < "$TMP/seed.json"
check_json "the missing set element is named" \
	'"192.168.70.10 . 22 is not in set inet filter allow_in" in j["diagnosis"]' < "$TMP/seed.json"
check_json "and the element that would let it through" \
	'any("nft add element inet filter allow_in { 192.168.70.10 . 22 }" in d for d in j["diagnosis"])' < "$TMP/seed.json"
check_json "the DNAT is found between the base chains" \
	'j["nat"][0]["from"] == "10.1.2.3:1222" and j["nat"][0]["to"] == "192.168.70.10:22" and j["nat"][0]["chain"] == "prerouting"' < "$TMP/seed.json"
check_json "the article's trace rule that is not in its ruleset is reported" \
	'any("trace_pre has no rule" in d for d in j["diagnosis"])' < "$TMP/seed.json"

# An interval element that holds the key: the lookup matched, so the
# drop needs another explanation, and natlog says so instead of guessing.
export NATLOG_DB="$TMP/interval.db"
"$NATLOG" import -q "$TD/seed000/trace.txt" "$TD/seed000/ruleset-interval.nft"
"$NATLOG" explain --json --trace 9c01f8 > "$TMP/int.json"
check_json "an interval/prefix element is found to hold the key" \
	'any(d.startswith("192.168.70.10 . 22 is in set inet filter allow_in (element 192.168.70.0/24 . 20-30)") for d in j["diagnosis"])' < "$TMP/int.json"

# The same with the JSON dump: the same answer.
export NATLOG_DB="$TMP/json.db"
"$NATLOG" import -q "$TD/seed000/trace.txt" "$TD/seed000/ruleset.json"
"$NATLOG" explain --json --trace 9c01f8 > "$TMP/seedj.json"
check_json "a JSON dump gives the same explanation" \
	'"192.168.70.10 . 22 is not in set inet filter allow_in" in j["diagnosis"] and j["decided_by"]["position"] == 2' < "$TMP/seedj.json"

# The lab's real recording, with the ruleset as it was at the drop.
export NATLOG_DB="$TMP/lab.db"
check "import nft-set-drop" "$NATLOG" import -q "$L/nft-set-drop/nft-monitor-trace-a.txt" "$L/nft-set-drop/nft-ruleset.before-add.txt"
id=$("$NATLOG" traces --json --verdict drop | first)
"$NATLOG" explain --json --trace "$id" > "$TMP/drop.json"
check_json "a real drop after a set lookup names the missing element" \
	'"10.77.2.10 . 22 is not in set inet filter allow_in" in j["diagnosis"] and j["decided_by"]["handle"] == 7 and j["decided_by"]["rule"] == "drop"' < "$TMP/drop.json"
check_json "every traced rule is found in the dump by its handle" \
	'all(s["matches_dump"] and s["position"] for s in j["steps"] if s["type"] == "rule")' < "$TMP/drop.json"
"$NATLOG" traces --json > "$TMP/all.json"
check_json "reused trace ids get .2, .3" \
	'any(p["trace"].endswith(".2") for p in j) and len({p["trace"] for p in j}) == len(j)' < "$TMP/all.json"
id=$("$NATLOG" traces --json --verdict accept | first)
"$NATLOG" explain --json --trace "$id" > "$TMP/acc.json"
check_json "after the element was added: accepted by the set lookup rule" \
	'j["verdict"] == "accept" and j["decided_by"]["handle"] == 6 and j["decided_by"]["rule"] == "ip daddr . tcp dport @allow_in accept"' < "$TMP/acc.json"

# xtables-monitor: iptables syntax, nft handles.
export NATLOG_DB="$TMP/xt.db"
check "import xtables-nft" "$NATLOG" import -q "$L/xtables-nft/xtables-monitor-trace.txt" "$L/xtables-nft/nft-ruleset.txt"
id=$("$NATLOG" traces --json --port 8080 --src 10.77.1.2 | first)
"$NATLOG" explain --json --trace "$id" > "$TMP/xt.json"
check_json "xtables traces explain with position, handle and iptables rule text" \
	'j["source"] == "xtables-trace" and j["decided_by"]["chain"] == "web" and j["decided_by"]["position"] == 2 and j["decided_by"]["handle"] == 8 and "-j ACCEPT" in j["decided_by"]["rule"]' < "$TMP/xt.json"

# Behind a bridge, a packet for the bridge's own address changes trace id
# between bridge input and inet input: one packet, the new id an alias.
export NATLOG_DB="$TMP/br.db"
"$NATLOG" import -q "$L/nft-bridge/nft-monitor-trace-a.txt" "$L/nft-bridge/nft-ruleset.txt"
"$NATLOG" traces --json --dst 10.77.1.1 > "$TMP/br.json"
id=$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(open(sys.argv[1])) if p["tcp_flags"] == "SYN"][0])' "$TMP/br.json")
"$NATLOG" explain --json --trace "$id" > "$TMP/brx.json"
check_json "a packet that changed trace id is one packet, the new id an alias" \
	'len(j["aliases"]) == 1 and [s["family"] for s in j["steps"]][0] == "netdev" and j["steps"][-1]["family"] == "inet" and j["decided_by"]["family"] == "inet" and j["decided_by"]["chain"] == "input"' < "$TMP/brx.json"
alias=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["aliases"][0])' "$TMP/brx.json")
"$NATLOG" explain --json --trace "$alias" > "$TMP/bra.json" 2>/dev/null || true
"$NATLOG" traces --json --dst 10.77.1.1 > "$TMP/br2.json"
check_json "no packet starts at input (no half packet for the alias)" \
	'all(p["decided_by"] and p["verdict"] == "accept" for p in j)' < "$TMP/br2.json"
"$NATLOG" traces --json --verdict drop > "$TMP/brd.json"
check_json "the bridge family's drop rule decides the dropped SYNs" \
	'j and all(p["decided_by"]["family"] == "bridge" and p["decided_by"]["chain"] == "forward" and p["decided_by"]["position"] == 2 for p in j)' < "$TMP/brd.json"

# IPv6 nft trace
export NATLOG_DB="$TMP/v6.db"
"$NATLOG" import -q "$L/ipv6/nft-monitor-trace-a.txt" "$L/ipv6/nft-ruleset.txt"
"$NATLOG" traces --json --verdict drop > "$TMP/v6.json"
check_json "an ip6 nft trace is dropped by the base chain policy" \
	'j and j[0]["family"] == "ip6" and j[0]["decided_by"]["type"] == "policy" and j[0]["decided_by"]["rule"] == "policy drop"' < "$TMP/v6.json"

# An accept ends only its base chain. A real trace cut after inet filter
# prerouting's policy accept: the table has input and forward chains, one
# of which every packet that goes on passes and would trace.
export NATLOG_DB="$TMP/cut.db"
head -n 9 "$L/nft-bridge/nft-monitor-trace.txt" > "$TMP/cut.trace"
"$NATLOG" import -q "$TMP/cut.trace" "$L/nft-bridge/nft-ruleset.txt"
"$NATLOG" explain --json --trace 14818318 > "$TMP/cut.json"
check_json "a trace that ends with an accept at prerouting, while input and forward chains exist, is unknown" \
	'j["verdict"] == "unknown" and j["decided_by"] is None and any("passes input (table inet filter) or forward (table inet filter)" in d for d in j["diagnosis"])' < "$TMP/cut.json"
export NATLOG_DB="$TMP/whole.db"
head -n 15 "$L/nft-bridge/nft-monitor-trace.txt" > "$TMP/whole.trace"
"$NATLOG" import -q "$TMP/whole.trace" "$L/nft-bridge/nft-ruleset.txt"
"$NATLOG" explain --json --trace 14818318 > "$TMP/whole.json"
check_json "the whole trace is accepted by inet filter forward's policy" \
	'j["verdict"] == "accept" and j["decided_by"]["family"] == "inet" and j["decided_by"]["chain"] == "forward" and j["decided_by"]["type"] == "policy"' < "$TMP/whole.json"

# A base chain of the same hook with a later priority sees every packet the
# first one accepts: a trace that ends before it was cut.
export NATLOG_DB="$TMP/prio.db"
pkt=$(sed -n 7p "$L/nft-bridge/nft-monitor-trace.txt" | sed 's/^trace id 14818318 inet filter prerouting //')
printf 'table inet t {\n\tchain early {\n\t\ttype filter hook prerouting priority raw; policy accept;\n\t}\n\tchain late {\n\t\ttype filter hook prerouting priority filter; policy accept;\n\t}\n}\n' > "$TMP/prio.nft"
printf 'trace id 0000aaaa inet t early %s\ntrace id 0000aaaa inet t early policy accept\n' "$pkt" > "$TMP/prio.trace"
"$NATLOG" import -q "$TMP/prio.trace" "$TMP/prio.nft"
"$NATLOG" explain --json --trace 0000aaaa > "$TMP/prio.json"
check_json "a trace that ends before a later base chain of its hook is unknown" \
	'j["verdict"] == "unknown" and any("has a base chain at prerouting with priority 0, after early'"'"'s -300" in d for d in j["diagnosis"])' < "$TMP/prio.json"
printf 'trace id 0000bbbb inet t early %s\ntrace id 0000bbbb inet t early policy accept\ntrace id 0000bbbb inet t late %s\ntrace id 0000bbbb inet t late policy accept\n' "$pkt" "$pkt" > "$TMP/prio2.trace"
"$NATLOG" import -q "$TMP/prio2.trace"
"$NATLOG" explain --json --trace 0000bbbb > "$TMP/prio2.json"
check_json "one that shows the later chain too is accepted by it" \
	'j["verdict"] == "accept" and j["decided_by"]["chain"] == "late"' < "$TMP/prio2.json"

# A trace without handles (nft monitor trace without -a) names its rules by
# text alone: `rules` cannot count them, and says so rather than 0.
export NATLOG_DB="$TMP/noh.db"
"$NATLOG" import -q "$L/nft-set-drop/nft-monitor-trace.txt" "$L/nft-set-drop/nft-ruleset.txt"
"$NATLOG" rules --json > "$TMP/noh.json"
check_json "the rules of chains the handle-less trace went through have no count (null)" \
	'[r["hits"] for r in j if r["chain"] == "allowed_dnats"] == [None, None] and [r["drops"] for r in j if r["chain"] == "allowed_dnats"] == [0, 3] and [r["hits"] for r in j if r["chain"] == "trace_pre" and r["type"] == "policy"] == [8]' < "$TMP/noh.json"
"$NATLOG" rules --unused --json > "$TMP/nou.json"
check_json "and --unused lists only what is known unused" \
	'j and all(r["hits"] == 0 and r["type"] == "policy" for r in j)' < "$TMP/nou.json"
"$NATLOG" rules > "$TMP/noh.txt"
check_grep "the table prints ? for them" '^ *? *3  inet filter:allowed_dnats:2' "$TMP/noh.txt"

# A monitor's word that the kernel dropped events (ENOBUFS), as nft
# monitor prints it and goes on (nftables src/mnl.c) and as
# xtables-monitor's perror() prints it before it exits (iptables
# xtables-monitor.c); composed: the lab's recordings with the line put in.
# The loss is a notice; a packet whose lines it falls between, or whose
# trace stops just before it, says its trace may be incomplete.
awk 'NR == 4 { print "# ERROR: We lost some netlink events!" } { print }' \
	"$L/nft-set-drop/nft-monitor-trace.txt" > "$TMP/lost.trace"
export NATLOG_DB="$TMP/lost.db"
check "an nft trace with a loss line imports without error" \
	"$NATLOG" import -q "$L/nft-set-drop/nft-ruleset.txt" "$TMP/lost.trace"
eq "the line is a loss notice of nft monitor" "4 loss nft-monitor" \
	"$("$NATLOG" sql "SELECT line || ' ' || kind || ' ' || origin FROM notices" | tail -1)"
"$NATLOG" explain --json --trace ee0f0b9b > "$TMP/lost.json"
check_json "explain of the packet whose lines it falls between names the loss" \
	'[(l["line"], l["text"]) for l in j["losses"]] == [(4, "# ERROR: We lost some netlink events!")] and any(d.startswith("events were lost while this packet was traced") for d in j["diagnosis"])' < "$TMP/lost.json"
"$NATLOG" explain --json --trace 591dcccf > "$TMP/lost2.json"
check_json "a packet traced whole after it does not" 'j["losses"] == []' < "$TMP/lost2.json"
"$NATLOG" summary --json > "$TMP/lost3.json"
check_json "summary counts the loss line" 'j["log_losses"]["notices"] == 1' < "$TMP/lost3.json"
# xtables-monitor stops at its loss: the trace cut by it says so
head -n 13 "$L/xtables-nft/xtables-monitor-trace.txt" > "$TMP/xlost.trace"
echo "cannot receive from nfnetlink socket: No buffer space available" >> "$TMP/xlost.trace"
export NATLOG_DB="$TMP/xlost.db"
check "an xtables-monitor trace that ends in its loss line imports without error" \
	"$NATLOG" import -q "$L/xtables-nft/nft-ruleset.txt" "$TMP/xlost.trace"
eq "the line is a loss notice of xtables-monitor" "14 loss xtables-monitor" \
	"$("$NATLOG" sql "SELECT line || ' ' || kind || ' ' || origin FROM notices" | tail -1)"
cut=$("$NATLOG" traces --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["trace"])')
"$NATLOG" explain --json --trace "$cut" > "$TMP/xlost.json"
check_json "the packet whose trace it cut says events were lost after it" \
	'[l["line"] for l in j["losses"]] == [14] and any(d.startswith("the trace stops where nothing decides, and events were lost after it") for d in j["diagnosis"])' < "$TMP/xlost.json"

finish
