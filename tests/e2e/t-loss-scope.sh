#!/bin/sh
# A loss line bears on the evidence whose events were lost, and on no
# other: conntrack -E's ENOBUFS on conntrack's records (flows, explain's
# conntrack entries), never on a kernel-log trace; and an Open vSwitch
# conntrack dump that names no datapath may be OVS's own table.
. "$(dirname "$0")/lib.sh"
R=$TD/real
L=$TD/lab/docker-legacy

# the host's own conntrack -E lost events, after the lab's first SYN (its
# first two lines, a trace cut in prerouting) in one file of sections
export NATLOG_DB="$TMP/ct.db"
{
	printf '#==[ Command ]======================================#\n# /bin/dmesg\n'
	grep 'SPT=60270 ' "$L/dmesg.txt" | head -n 2
	printf '\n#==[ Command ]======================================#\n# /usr/sbin/conntrack -E\n'
	cat "$R/conntrack-tools-E-enobufs.txt"
} > "$TMP/ct.txt"
"$NATLOG" import --json "$TMP/ct.txt" > "$TMP/ci.json" 2> "$TMP/ci.err"
check_json "import --json: the loss line counted, as conntrack's" \
	'(j["loss_lines"], j["loss_lines_conntrack"], j["loss_lines_netns"]) == (1, 1, 0)' < "$TMP/ci.json"
check_grep "import: conntrack's lost events bear on connection records" \
	"^natlog: 1 line of conntrack says that its events were lost: connection records (flows, explain's conntrack entries) may be missing; they bear on no trace\$" "$TMP/ci.err"
if grep -q "traces near them may be incomplete" "$TMP/ci.err"; then
	not_ok "import does not say traces may be incomplete"; sed 's/^/    /' "$TMP/ci.err"
else ok "import does not say traces may be incomplete"; fi
t=$("$NATLOG" traces --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])')
"$NATLOG" explain --json --trace "$t" > "$TMP/cx.json"
check_json "explain: the cut trace takes no loss of conntrack's" \
	'j["losses"] == [] and not any("lost" in d for d in j["diagnosis"])' < "$TMP/cx.json"
check_json "explain: conntrack's loss is in conntrack_losses" \
	'[(l["line"], l["text"]) for l in j["conntrack_losses"]] == [(8, "WARNING: We have hit ENOBUFS! We are losing events.")]' < "$TMP/cx.json"
"$NATLOG" explain --trace "$t" > "$TMP/cx.txt"
check_grep "explain: said with the conntrack evidence" \
	"^  conntrack events were lost (when is not said) ('WARNING: We have hit ENOBUFS! We are losing events.', .* line 8): the connection's record may be missing\$" "$TMP/cx.txt"
if grep -q "trace may be incomplete" "$TMP/cx.txt"; then
	not_ok "explain says nothing of an incomplete trace"; else ok "explain says nothing of an incomplete trace"; fi

# flows: conntrack's events after the warning (the lab's conntrack -E)
export NATLOG_DB="$TMP/fl.db"
cat "$R/conntrack-tools-E-enobufs.txt" "$L/conntrack-E.txt" > "$TMP/ev.txt"
"$NATLOG" import -q "$TMP/ev.txt"
"$NATLOG" flows > /dev/null 2> "$TMP/fl.err"
check_grep "flows: says connections may be missing" \
	"^natlog flows: 1 line of conntrack says that its events were lost: connections may be missing, or their events incomplete\$" "$TMP/fl.err"

# a kernel-log loss still cuts the kernel-log trace: the same file with
# the kernel's own line (the lab's dmesg clock) after the SYN's lines
export NATLOG_DB="$TMP/k.db"
{
	grep 'SPT=60270 ' "$L/dmesg.txt" | head -n 2
	last=$(grep 'SPT=60270 ' "$L/dmesg.txt" | sed -n 2p | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
	printf '[%12.6f] net_ratelimit: 312 callbacks suppressed\n' "$(echo "$last + 1" | bc)"
} > "$TMP/k.txt"
"$NATLOG" import -q "$TMP/k.txt" 2> /dev/null
t=$("$NATLOG" traces --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])')
"$NATLOG" explain --json --trace "$t" > "$TMP/kx.json"
check_json "a kernel-log loss after the cut trace is the trace's" \
	'len(j["losses"]) == 1 and j["conntrack_losses"] == []' < "$TMP/kx.json"

# nft monitor's word that it lost events, at the end of the lab's
# nft-set-drop recording: whole traces before it are whole, but ruleset
# events may be among the lost, and a dump then may not be the ruleset
# of the packet's time
N=$TD/lab/nft-set-drop
{ cat "$N/nft-monitor-trace.txt"; echo "# ERROR: We lost some netlink events!"; } > "$TMP/m.trace"
export NATLOG_DB="$TMP/m.db"
"$NATLOG" import --json "$N/nft-ruleset.txt" "$TMP/m.trace" > "$TMP/mi.json" 2> "$TMP/mi.err"
check_json "import --json: the loss line counted, as a monitor's" \
	'(j["loss_lines"], j["loss_lines_monitor"], j["loss_lines_conntrack"]) == (1, 1, 0)' < "$TMP/mi.json"
check_grep "import: a monitor's lost events bear on its traces and ruleset events" \
	"^natlog: 1 line of nft monitor or xtables-monitor says that its events were lost: the traces and ruleset events of that file may be incomplete, and explain says so\$" "$TMP/mi.err"
"$NATLOG" explain --json --trace 591dcccf > "$TMP/mx.json"
check_json "explain: a trace whole before it is whole, the dump in doubt" \
	'j["losses"] == [] and j["conntrack_losses"] == [] and any(d.startswith("the monitor lost events after this packet (") and "# ERROR: We lost some netlink events!" in d and "may not show the ruleset this packet met" in d for d in j["diagnosis"])' < "$TMP/mx.json"

# Open vSwitch: the lab's dropped SYN to port 9090 and an OVS entry of its
# tuple listed ESTABLISHED (antrea's -m -s line with that tuple), dumped
# with no datapath named
grep 'SPT=35414' "$L/dmesg.txt" | head -n 10 > "$TMP/syn.txt"
head -n 1 "$R/antrea-ovs-dump-conntrack-m-s.txt" |
	sed -e 's/src=127.0.0.1,dst=127.0.0.1,sport=45218,dport=2379/src=10.77.1.2,dst=10.77.1.1,sport=35414,dport=9090/' \
	    -e 's/src=127.0.0.1,dst=127.0.0.1,sport=2379,dport=45218/src=10.77.1.1,dst=10.77.1.2,sport=9090,dport=35414/' > "$TMP/est.txt"
export NATLOG_DB="$TMP/ovs.db"
"$NATLOG" import -q --host gw "$TMP/syn.txt" "$L/iptables-save.txt" "$TMP/est.txt"
eq "the entry's datapath is not known" "ovs-datapath/unknown" "$("$NATLOG" sql "SELECT netns FROM conntrack" | tail -1)"
"$NATLOG" traces --json > "$TMP/ot.json"
check_json "it does not contradict the kernel's drop" '[p["verdict"] for p in j] == ["drop"]' < "$TMP/ot.json"
"$NATLOG" explain --json --trace "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])' < "$TMP/ot.json")" > "$TMP/ox.json"
check_json "explain: no contradiction, a diagnosis that says why" \
	'j["contradictions"] == [] and any("names no datapath" in d and "not the kernel" in d for d in j["diagnosis"])' < "$TMP/ox.json"
check_json "explain: the evidence says its datapath is not known" \
	'[e["note"] for e in j["evidence"] if e["source"] == "conntrack"] == ["Open vSwitch conntrack of a datapath the dump does not name, the kernel'"'"'s or OVS'"'"'s own: listed ESTABLISHED, assured"]' < "$TMP/ox.json"
"$NATLOG" flows > "$TMP/of.txt" 2> "$TMP/of.err"
check_grep "flows: shown with its datapath not known" "^-  *ovs-datapath/unknown  *tcp 10.77.1.2:35414 -> 10.77.1.1:9090 " "$TMP/of.txt"
check_grep "flows: says what that means" "^natlog flows: 1 conntrack record of Open vSwitch dumps that name no datapath" "$TMP/of.err"

# the command line: none named is not known; a bare name is a kernel
# (system) datapath's
for cmd in "# ovs-appctl dpctl/dump-conntrack -m" "# ovs-appctl dpctl/dump-conntrack -m ovs-system"; do
	printf '%s\n' "$cmd"
	head -n 1 "$R/antrea-ovs-dump-conntrack-m-s.txt"
done > "$TMP/cmds.txt"
export NATLOG_DB="$TMP/cmds.db"
"$NATLOG" import -q "$TMP/cmds.txt"
eq "no datapath named: not known; a bare name: the kernel's" "ovs-datapath/unknown -" \
	"$("$NATLOG" sql "SELECT group_concat(ifnull(netns, '-'), ' ') FROM conntrack" | tail -1)"
finish
