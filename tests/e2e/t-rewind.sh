#!/bin/sh
# A packet traced before ruleset changes that nft monitor recorded in the
# same file is explained with the ruleset of its time: the dump with those
# changes undone. When they cannot be undone exactly, explain keeps the
# dump as it is and says why.
# Data, recorded on a live kernel: testdata/lab/rewind (a rule inserted
# first in the chain and another deleted after three attempts; see
# tests/lab/scenario-rewind.sh), testdata/lab/two-dumps (a rule replaced:
# its handle kept, its text changed).
. "$(dirname "$0")/lib.sh"
R=$TD/lab/rewind
L=$TD/lab/two-dumps

x() { "$NATLOG" explain --json --trace "$1" > "$TMP/x.json"; }
# the SYN of attempt $2 in expected.tsv of directory $1, its trace id
syn_of() {
	sport=$(awk -F'\t' -v a="$2" '$1 == a { print $14 }' "$1/expected.tsv")
	"$NATLOG" traces --json | python3 -c 'import json,sys
print([p["trace"] for p in json.load(sys.stdin) if p["sport"] == '"$sport"' and p["tcp_flags"] == "SYN"][0])'
}
rsyn() { syn_of "$R" "$1"; }

check "import the monitor's trace and events with the dump taken after them" \
	"$NATLOG" import -q "$R/nft-monitor.txt" "$R/nft-ruleset.txt"

# r1: accepted by handle 4, then 2nd in the chain; the dump shows the rule
# inserted first after it, which made handle 4 the 3rd
x "$(rsyn r1)"
check_json "inserted after: the accepting rule is named at its place of the packet's time" \
	'j["decided_by"]["handle"] == 4 and j["decided_by"]["position"] == 2 and j["decided_by"]["rule"] == "tcp dport 80 accept"' < "$TMP/x.json"
check_json "inserted after: explain says it rewound two events, from line 76" \
	'j["dump"]["rewound"] == 2 and j["dump"]["rewound_to"].endswith("nft-monitor.txt:76") and j["dump"]["not_rewound"] is None' < "$TMP/x.json"
check_json "inserted after: its forward step is marked as read from the rebuilt ruleset" \
	'[s["rewound"] for s in j["steps"]] == [False, False, True]' < "$TMP/x.json"
eq "and export --what steps --csv says so in its last column" "false false true" \
	"$("$NATLOG" export --what steps --csv | python3 -c 'import csv, sys
print(" ".join(r["rewound"] for r in csv.DictReader(sys.stdin) if r["trace"] == sys.argv[1]))' "$(rsyn r1)")"
# r2: dropped by the policy; the set lookup rule came later
x "$(rsyn r2)"
check_json "inserted after: a policy drop does not name the rule inserted after it" \
	'j["verdict"] == "drop" and j["decided_by"]["type"] == "policy" and j["decided_by"]["position"] == 4 and not any("set inet filter blocked" in d or "rule 1 of" in d for d in j["diagnosis"])' < "$TMP/x.json"
# r3: accepted by handle 5, deleted after it
x "$(rsyn r3)"
check_json "deleted after: the rule is put back from its 'add rule' event, where it stood" \
	'j["decided_by"]["handle"] == 5 and j["decided_by"]["position"] == 3 and j["decided_by"]["rule"] == "tcp dport 22 accept"' < "$TMP/x.json"
check_json "deleted after: the rebuilt dump fits the trace" \
	'j["dump"]["fits"] is True and j["dump"]["contradicted_at"] is None and j["steps"][-1]["matches_dump"] is True and "rebuilt" in j["dump"]["why"]' < "$TMP/x.json"
# r4: traced after both changes: nothing to undo, explain as before
x "$(rsyn r4)"
check_json "traced after the changes: nothing rewound, the dump as it is" \
	'j["dump"]["rewound"] == 0 and j["dump"]["rewound_to"] is None and j["dump"]["not_rewound"] is None and j["decided_by"]["position"] == 3 and not any(s["rewound"] for s in j["steps"])' < "$TMP/x.json"
"$NATLOG" explain --trace "$(rsyn r1)" > "$TMP/x.txt"
check "explain's text says the dump was rewound" \
	grep -q '^  rewound: 2 ruleset changes that nft-monitor.txt recorded after this packet (lines 76-78) undone' "$TMP/x.txt"
check "explain's text marks the step" grep -q '^      rewound: the rule as it was when the packet was traced' "$TMP/x.txt"
"$NATLOG" explain --trace "$(rsyn r4)" > "$TMP/x.txt"
check_status "no rewound line where no event applies" 1 grep -q 'rewound' "$TMP/x.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "traces lists the positions of the packet's time too" \
	'[p["decided_by"]["position"] for p in j if p["trace"] in ("'"$(rsyn r1)"'", "'"$(rsyn r3)"'")] == [2, 3]' < "$TMP/t.json"
rm -f "$NATLOG_DB"*

# the same dump as nft -j printed it
check "import the monitor's output with the JSON dump" \
	"$NATLOG" import -q "$R/nft-monitor.txt" "$R/nft-ruleset.json"
x "$(rsyn r3)"
check_json "a JSON dump is rebuilt the same way" \
	'j["dump"]["kind"] == "nft-json" and j["dump"]["rewound"] == 2 and j["decided_by"]["position"] == 3 and j["decided_by"]["rule"] == "tcp dport 22 accept"' < "$TMP/x.json"
rm -f "$NATLOG_DB"*

# the rule deleted after the packet was added before the monitor started
grep -v '# handle 5$' "$R/nft-monitor.txt" > "$TMP/no-add.txt"
check "import a monitor file without the deleted rule's 'add rule'" \
	"$NATLOG" import -q "$TMP/no-add.txt" "$R/nft-ruleset.txt"
x "$(rsyn r3)"
check_json "deleted after, text unknown: not rewound, and why" \
	'j["dump"]["rewound"] == 0 and "its text is not known" in j["dump"]["not_rewound"] and "no-add.txt:77" in j["dump"]["not_rewound"]' < "$TMP/x.json"
check_json "deleted after, text unknown: the dump as it is contradicts the trace" \
	'j["dump"]["fits"] is False and j["decided_by"]["rule"] is None and any("cannot be rebuilt" in d for d in j["diagnosis"])' < "$TMP/x.json"
x "$(rsyn r1)"
check_json "a later event that cannot be undone stops the rebuild for earlier packets too" \
	'j["dump"]["rewound"] == 0 and j["decided_by"]["position"] == 3' < "$TMP/x.json"
rm -f "$NATLOG_DB"*

# a set element added after the packet: not undone, so nothing is
sed '/^insert rule/a add element inet filter blocked { 10.77.1.9 }' "$R/nft-monitor.txt" > "$TMP/elem.txt"
check "import a monitor file with a set change after the packets" \
	"$NATLOG" import -q "$TMP/elem.txt" "$R/nft-ruleset.txt"
x "$(rsyn r1)"
check_json "a set change: not rewound, and the event is named" \
	'j["dump"]["rewound"] == 0 and j["dump"]["not_rewound"].startswith("'"'"'add element inet filter blocked") and "undoes only rules" in j["dump"]["not_rewound"]' < "$TMP/x.json"
"$NATLOG" explain --trace "$(rsyn r1)" > "$TMP/x.txt"
check "explain's text says why it was not rewound" grep -q "^  not rewound: 'add element inet filter blocked" "$TMP/x.txt"
rm -f "$NATLOG_DB"*

# nft monitor without -a prints no handles: an inserted rule cannot be told
sed -e 's/ # handle [0-9]*$//' -e '/^delete rule/d' "$R/nft-monitor.txt" > "$TMP/no-a.txt"
check "import a monitor file without handles" "$NATLOG" import -q "$TMP/no-a.txt" "$R/nft-ruleset.txt"
x "$(rsyn r1)"
check_json "no handles: not rewound, and why" \
	'j["dump"]["rewound"] == 0 and "printed no handle" in j["dump"]["not_rewound"]' < "$TMP/x.json"
rm -f "$NATLOG_DB"*

# xtables-monitor -e and --trace in one file: an appended rule in iptables
# syntax, without handle, cannot be found in an nft dump
X=$TD/lab/xtables-nft
awk '{ print } NR == 10 { print " EVENT: -4 -t filter -A FORWARD -p tcp -m tcp --dport 9 -j ACCEPT"
	print "NEWGEN: GENID=9 PID=1 NAME=iptables-nft" }' "$X/xtables-monitor-trace.txt" > "$TMP/xt.txt"
check "import xtables-monitor output with an -A event after the first packet" \
	"$NATLOG" import -q "$TMP/xt.txt" "$X/nft-ruleset.txt"
x 56298ef1
check_json "xtables-monitor -A against an nft dump: not rewound, and why" \
	'j["dump"]["rewound"] == 0 and "iptables syntax and without a handle" in j["dump"]["not_rewound"] and "xt.txt:11" in j["dump"]["not_rewound"]' < "$TMP/x.json"
rm -f "$NATLOG_DB"*

# recorded on a live kernel: handle 5 replaced (tcp dport 80 -> 8080)
# after n1, then handle 6 added; only the later dump imported
nsyn() { syn_of "$L" "$1"; }
check "import the lab's nft monitor output with the later dump only" \
	"$NATLOG" import -q "$L/nft-monitor.txt" "$L/nft-ruleset.after.txt"
x "$(nsyn n1)"
check_json "replaced after: handle 5 is the rule of the packet's time, in its place" \
	'j["decided_by"]["handle"] == 5 and j["decided_by"]["position"] == 2 and j["decided_by"]["rule"] == "tcp dport 80 accept" and j["dump"]["fits"] is True' < "$TMP/x.json"
check_json "replaced after: three events undone, from the delete at line 51" \
	'j["dump"]["rewound"] == 3 and j["dump"]["rewound_to"].endswith("nft-monitor.txt:51") and any("undid the 3" in d for d in j["diagnosis"])' < "$TMP/x.json"
x "$(nsyn n2)"
check_json "replaced after: n2's policy drop is at its chain's end of the time (3, not 4)" \
	'j["decided_by"]["type"] == "policy" and j["decided_by"]["position"] == 3 and j["dump"]["rewound"] == 3' < "$TMP/x.json"
x "$(nsyn n3)"
check_json "n3, traced after the replace: nothing of its tables to undo" \
	'j["dump"]["rewound"] == 0 and j["dump"]["not_rewound"] is None and j["decided_by"]["rule"] == "tcp dport 8080 accept"' < "$TMP/x.json"
rm -f "$NATLOG_DB"*
# both dumps: the earlier one fits n1 and holds none of the changes
check "import both nft dumps" "$NATLOG" import -q "$L/nft-monitor.txt" \
	"$L/nft-ruleset.before.txt" "$L/nft-ruleset.after.txt"
x "$(nsyn n1)"
check_json "both dumps: n1's is the earlier one, taken before the changes: nothing undone" \
	'j["dump"]["source"].endswith("nft-ruleset.before.txt") and j["dump"]["rewound"] == 0 and j["dump"]["not_rewound"] is None' < "$TMP/x.json"
rm -f "$NATLOG_DB"*
# a change after the replace that cannot be undone: the old diagnostics stay
sed 's/^add rule inet filter forward tcp dport 443 accept # handle 6$/&\nadd chain inet filter extra/' \
	"$L/nft-monitor.txt" > "$TMP/chain.txt"
check "import the lab's monitor output with a chain added after the replace" \
	"$NATLOG" import -q "$TMP/chain.txt" "$L/nft-ruleset.after.txt"
x "$(nsyn n1)"
check_json "not rewound: handle 5 of the later dump cannot have matched n1" \
	'j["dump"]["fits"] is False and "handle 5" in j["dump"]["contradicted_at"] and j["decided_by"]["rule"] is None and "add chain inet filter extra" in j["dump"]["not_rewound"]' < "$TMP/x.json"
check_json "not rewound: the rule behind handle 5 when it was traced, from the monitor" \
	'any("handle 5" in d and "'"'"'tcp dport 80 accept'"'"'" in d and "chain.txt:9" in d for d in j["diagnosis"])' < "$TMP/x.json"
finish
