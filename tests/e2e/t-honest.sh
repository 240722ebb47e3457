#!/bin/sh
# Honest analysis on the lab's real kernel output (testdata/lab/): what
# natlog cannot know stays null or unknown and the diagnosis says why; what
# the trace itself proves (a packet seen at a later hook was let through)
# is not left unknown; NAT that no rule did (conntrack's) is not pinned on
# a rule; SNAT and MASQUERADE at postrouting are listed like DNAT.
. "$(dirname "$0")/lib.sh"
L=$TD/lab
first() { # first trace id of `natlog traces --json` whose tcp_flags is $1 (or any)
	python3 -c 'import json,sys; j=[p for p in json.load(sys.stdin) if sys.argv[1] in ("", p["tcp_flags"])]; print(j[0]["trace"] if j else "none")' "${1:-}"
}

# -- a kernel log without any ruleset dump
export NATLOG_DB=$TMP/nodump.db
check "import the docker lab's dmesg alone" "$NATLOG" import -q "$L/docker-legacy/dmesg.txt"
syn8080=$("$NATLOG" traces --json --port 8080 --src 10.77.1.2 | first SYN)
syn9090=$("$NATLOG" traces --json --port 9090 | first SYN)
"$NATLOG" explain --json --trace "$syn8080" > "$TMP/a.json"
check_json "without a dump no step claims to match it: matches_dump is null" \
	'len(j["steps"]) > 5 and all(s["matches_dump"] is None for s in j["steps"])' < "$TMP/a.json"
check_json "a packet traced on to postrouting was let through by filter forward: accept, the rule unknown" \
	'j["verdict"] == "accept" and j["decided_by"]["chain"] == "DOCKER" and j["decided_by"]["rule"] is None and any(d.startswith("the trace shows the packet at postrouting after filter forward, so filter forward let it through") for d in j["diagnosis"])' < "$TMP/a.json"
check_json "and the diagnosis names the step it takes as the decision, not an unknown rule" \
	'any(d == "filter:DOCKER:rule:%d is the last step the trace shows there; what that rule is is not known without a dump that covers it" % j["decided_by"]["position"] for d in j["diagnosis"]) and not any("which rule accepted it" in d for d in j["diagnosis"])' < "$TMP/a.json"
"$NATLOG" explain --json --trace "$syn9090" > "$TMP/b.json"
check_json "a packet whose trace stops in forward stays unknown, and the diagnosis says no dump is why" \
	'j["verdict"] == "unknown" and any(d.startswith("the verdict is unknown: no ruleset dump was imported, so what the trace'"'"'s last step filter:FORWARD:policy:7 did is not known") for d in j["diagnosis"])' < "$TMP/b.json"
"$NATLOG" traces > "$TMP/t.txt"
check "the table never prints a position of -1" sh -c '! grep -q -- ":-1" "$1"' - "$TMP/t.txt"

# -- a dump without the nat table
export NATLOG_DB=$TMP/nonat.db
sed '/^\*nat/,/^COMMIT/d' "$L/docker-legacy/iptables-save.txt" > "$TMP/filter-only-save.txt"
check "import the dmesg with a dump that has no nat table" "$NATLOG" import -q "$L/docker-legacy/dmesg.txt" "$TMP/filter-only-save.txt"
"$NATLOG" explain --json --trace "$syn9090" > "$TMP/c.json"
check_json "matches_dump: null for the nat steps no dump covers, true for the filter steps" \
	'{s["table"]: s["matches_dump"] for s in j["steps"] if s["table"] in ("nat", "filter")} == {"nat": None, "filter": True} and j["verdict"] == "drop"' < "$TMP/c.json"

# -- a dump without the table that would decide
export NATLOG_DB=$TMP/nofilter.db
sed '/^\*filter/,/^COMMIT/d' "$L/docker-legacy/iptables-save.txt" > "$TMP/nat-only-save.txt"
check "import the dmesg with a dump that has no filter table" "$NATLOG" import -q "$L/docker-legacy/dmesg.txt" "$TMP/nat-only-save.txt"
"$NATLOG" explain --json --trace "$syn9090" > "$TMP/g.json"
check_json "the verdict stays unknown and the diagnosis says the dump lacks that table" \
	'j["verdict"] == "unknown" and any(d.startswith("the verdict is unknown: the dump does not cover table filter, so what the trace'"'"'s last step filter:FORWARD:policy:7 did is not known") for d in j["diagnosis"])' < "$TMP/g.json"

# -- a trace cut before its verdict
export NATLOG_DB=$TMP/cut.db
grep -v 'TRACE: filter:FORWARD:policy:7 ' "$L/docker-legacy/dmesg.txt" > "$TMP/dmesg-cut.txt"
check "import a dmesg whose policy:7 lines are gone, with the dump" "$NATLOG" import -q "$TMP/dmesg-cut.txt" "$L/docker-legacy/iptables-save.txt"
cut=$("$NATLOG" traces --json --port 9090 | first SYN)
"$NATLOG" explain --json --trace "$cut" > "$TMP/d.json"
check_json "the verdict stays unknown and the diagnosis says the trace is cut" \
	'j["verdict"] == "unknown" and any(d.startswith("the verdict is unknown: the trace ends at filter:DOCKER:return:2 (return), which decides nothing; the rest of the trace is missing") for d in j["diagnosis"])' < "$TMP/d.json"

# -- NAT in the udp-icmp lab: a MASQUERADEd packet and the reply conntrack un-NATs
export NATLOG_DB=$TMP/udp.db
check "import the udp-icmp lab" "$NATLOG" import -q "$L/udp-icmp/dmesg.txt" "$L/udp-icmp/iptables-save.txt" \
	"$L/udp-icmp/conntrack-E.txt" "$L/udp-icmp/outside.pcap" "$L/udp-icmp/inside.pcap"
out=$("$NATLOG" traces --json --src 10.77.2.10 --port 7 | first)
back=$("$NATLOG" traces --json --src 10.77.1.2 --dst 10.77.1.1 --port 48029 | first)
"$NATLOG" explain --json --trace "$out" > "$TMP/e.json"
check_json "MASQUERADE at postrouting is in nat like DNAT, its address left to conntrack" \
	'[(n["field"], n["kind"], n["from"], n["to"], n["by"], n["chain"], n["position"], n["after_trace"]) for n in j["nat"]] == [("src", "MASQUERADE", "10.77.2.10:48029", None, "rule", "POSTROUTING", 1, True)]' < "$TMP/e.json"
check_json "the capture outside shows it after that MASQUERADE, with the address it gave" \
	'sorted((w["file"].split("/")[-1], w["note"].split(";")[0]) for w in j["evidence"] if w["source"] == "pcap") == [("inside.pcap", "as traced"), ("outside.pcap", "after MASQUERADE by nat:POSTROUTING:rule:1 (from 10.77.1.1:48029)")]' < "$TMP/e.json"
"$NATLOG" explain --json --trace "$back" > "$TMP/f.json"
check_json "the reply's rewrite is conntrack's, with no rule named" \
	'[(n["field"], n["from"], n["to"], n["by"], n["kind"], n["table"], n["rule"]) for n in j["nat"]] == [("dst", "10.77.1.1:48029", "10.77.2.10:48029", "conntrack", None, None, None)]' < "$TMP/f.json"
"$NATLOG" explain --trace "$back" > "$TMP/f.txt"
check_grep "the text says so" "^nat: destination 10.77.1.1:48029 -> 10.77.2.10:48029  by conntrack, seen at filter:FORWARD:rule:1: the connection's NAT" "$TMP/f.txt"
check "and never calls it a DNAT by the raw table's policy" sh -c '! grep -q "DNAT.*by raw:PREROUTING" "$1"' - "$TMP/f.txt"

# -- a real paste: seed 003's article, the connection's second packet (ACK)
export NATLOG_DB=$TMP/seed.db
check "import seed 003's log and dump" "$NATLOG" import -q "$TD/seed003/messages" "$TD/seed003/iptables-save.txt"
ack=$("$NATLOG" traces --json --port 10000 | first ACK)
"$NATLOG" explain --json --trace "$ack" > "$TMP/s.json"
check_json "its DNAT is conntrack's (only the first packet sees nat:DOCKER), and its unknown verdict says why" \
	'[(n["by"], n["to"], n["table"]) for n in j["nat"]] == [("conntrack", "172.19.0.9:80", None)] and j["verdict"] == "unknown" and any(d.startswith("the verdict is unknown: the dump does not match the trace'"'"'s last step filter:FORWARD:rule:7") for d in j["diagnosis"])' < "$TMP/s.json"

# -- nft traces without a dump: no position, so the handle
export NATLOG_DB=$TMP/xt.db
check "import xtables-monitor --trace alone" "$NATLOG" import -q "$L/xtables-nft/xtables-monitor-trace.txt"
"$NATLOG" traces > "$TMP/x.txt"
check_grep "a rule without a known position is shown by its handle" "accept   ip filter:FORWARD:rule handle 5$" "$TMP/x.txt"
check "and never as rule:-1" sh -c '! grep -q -- ":-1" "$1"' - "$TMP/x.txt"
finish
