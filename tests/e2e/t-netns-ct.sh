#!/bin/sh
# A network namespace's conntrack table (sosreport's
# sos_commands/conntrack/ip_netns_exec_<ns>_conntrack_-L_-o_extended, a
# section run as "ip netns exec NS conntrack -L") is that namespace's, not
# the host's: flows keeps its connections apart and says whose they are,
# and explain does not take its entries as the host's packets' connection,
# unless the host's kernel log holds every namespace's lines.
. "$(dirname "$0")/lib.sh"
B=$TD/real/sosreport-gw-2026-11-21-nsctlab
CT=sos_commands/conntrack

check "the sosreport with a namespace's conntrack table imports" "$NATLOG" import -q "$B"
"$NATLOG" sql --json "SELECT host, netns, osrc, osport FROM conntrack ORDER BY id" > "$TMP/ct.json"
check_json "the namespace's entries say whose table they are, the host's none" \
	'[(r["host"], r["netns"], r["osport"]) for r in j] == [("gw", None, None), ("gw", None, 60270), ("gw", None, 41296), ("gw", None, 34040), ("gw", "ct", 41296), ("gw", "ct", 60270), ("gw", "ct", 34040)]' < "$TMP/ct.json"

# the host's connection to the container is in both tables, the same tuple
"$NATLOG" flows --json > "$TMP/f.json"
check_json "flows: the same tuple in the host's and the namespace's table is two connections" \
	'sorted((str(f["netns"]), f["packets"]["conntrack"]) for f in j if f["orig"]["sport"] == 41296) == [("None", 1), ("ct", 1)]' < "$TMP/f.json"
check_json "flows: the host's packets are the host's connection's, none the namespace's" \
	'[(f["packets"]["traced"], f["sources"]) for f in j if f["orig"]["sport"] == 41296 and f["netns"] is None] == [(5, ["conntrack", "trace"])] and all(f["packets"]["traced"] + f["packets"]["traced_reply"] == 0 and f["sources"] == ["conntrack"] for f in j if f["netns"] == "ct")' < "$TMP/f.json"
check_json "flows --json: netns is null for every connection of the host" \
	'all("netns" in f for f in j) and sum(f["netns"] is None for f in j) == 5' < "$TMP/f.json"
"$NATLOG" flows > "$TMP/f.txt"
check_grep "flows: a NETNS column when a namespace's table was read" "^FIRST  *NETNS  *FLOW" "$TMP/f.txt"
check_grep "flows: the namespace's connection under it" "^-  *ct  *tcp 10.77.2.1:41296 -> 10.77.2.2:80 " "$TMP/f.txt"
check_grep "flows: the host's with '-'" "^-  *-  *tcp 10.77.2.1:41296 -> 10.77.2.2:80 " "$TMP/f.txt"
"$NATLOG" export --csv --what flows > "$TMP/f.csv"
check_grep "flows as CSV: a netns column at the end" "^host,.*,sources,netns\$" "$TMP/f.csv"
check_grep "flows as CSV: the namespace's name in it" "^gw,tcp,ip,10.77.2.1,41296,.*,conntrack,ct\$" "$TMP/f.csv"

# explain of the host's SYN to the container: the host's entry only
"$NATLOG" traces --json > "$TMP/t.json"
syn=$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(sys.stdin) if p["sport"] == 41296 and p["tcp_flags"] == "SYN"][0])' < "$TMP/t.json")
"$NATLOG" explain --json --trace "$syn" > "$TMP/x.json"
check_json "explain: the host's packet has the host's conntrack entry, not the namespace's, and no word of namespaces" \
	'[(e["file"].split("/")[-1], e["line"], e["netns"]) for e in j["evidence"] if e["source"] == "conntrack"] == [("conntrack_-L_-o_extended", 3, None)] and not any("namespace" in d for d in j["diagnosis"])' < "$TMP/x.json"

# nf_log_all_netns = 1 (the coreos sosreport's listing with that value
# changed from 0): the kernel log holds every namespace's lines, so either
# table may be the packet's, and explain says it cannot tell
mkdir -p "$TMP/b1"
cp -R "$B/." "$TMP/b1/"
sed 's/^net.netfilter.nf_log_all_netns = 0$/net.netfilter.nf_log_all_netns = 1/' \
	"$TD/trust/sosreport-coreos/sos_commands/kernel/sysctl_-a" > "$TMP/b1/sos_commands/kernel/sysctl_-a"
export NATLOG_DB="$TMP/all.db"
check "the bundle with nf_log_all_netns = 1 imports" "$NATLOG" import -q --host gw "$TMP/b1"
"$NATLOG" explain --json --trace "$syn" > "$TMP/x1.json"
check_json "explain: both tables' entries, each saying whose" \
	'sorted((e["line"], e["netns"]) for e in j["evidence"] if e["source"] == "conntrack") == [(1, "ct"), (3, None)] and any(e["note"].startswith("network namespace ct: listed TIME_WAIT") for e in j["evidence"] if e["source"] == "conntrack")' < "$TMP/x1.json"
check_json "explain: and says it cannot tell whether the namespace's is this packet's" \
	'any(d.startswith("net.netfilter.nf_log_all_netns = 1 (") and "cannot tell whether the conntrack entries of namespace ct" in d for d in j["diagnosis"])' < "$TMP/x1.json"
"$NATLOG" flows > /dev/null 2> "$TMP/f1.err"
check_grep "flows says the host's traced packets may be any namespace's" \
	"nf_log_all_netns is set on a host whose network namespaces' conntrack tables were listed" "$TMP/f1.err"

# the networking plugin's per-namespace directory, as its iptables-save
export NATLOG_DB="$TMP/dir.db"
mkdir -p "$TMP/b2/sos_commands/networking/namespaces/ct"
cp "$B/$CT/ip_netns_exec_ct_conntrack_-L_-o_extended" \
	"$TMP/b2/sos_commands/networking/namespaces/ct/ip_netns_exec_ct_conntrack_-L"
check "a table under namespaces/<ns>/ imports" "$NATLOG" import -q "$TMP/b2"
eq "it is the namespace's" "ct ct ct" \
	"$("$NATLOG" sql "SELECT group_concat(ifnull(netns, '-'), ' ') FROM conntrack" | tail -1)"

# a supportconfig-style section run in the namespace: the host's table,
# then the namespace's (composed from the bundle's two files)
export NATLOG_DB="$TMP/sect.db"
{
	printf '#==[ Command ]======================================#\n# /usr/sbin/conntrack -L -o extended\n'
	cat "$B/$CT/conntrack_-L_-o_extended"
	printf '\n#==[ Command ]======================================#\n# /usr/sbin/ip netns exec ct conntrack -L -o extended\n'
	cat "$B/$CT/ip_netns_exec_ct_conntrack_-L_-o_extended"
	printf '\n#==[ Command ]======================================#\n# /usr/sbin/conntrack -S\n'
} > "$TMP/network.txt"
check "the sections import" "$NATLOG" import -q "$TMP/network.txt"
eq "the section's namespace is its entries', the host's section's none" "- - - - ct ct ct" \
	"$("$NATLOG" sql "SELECT group_concat(ifnull(netns, '-'), ' ') FROM conntrack" | tail -1)"
export NATLOG_DB="$TMP/proc.db"
{
	printf '#==[ Command ]======================================#\n# /usr/sbin/ip netns exec ct cat /proc/net/nf_conntrack\n'
	cat "$B/$CT/ip_netns_exec_ct_conntrack_-L_-o_extended"
} > "$TMP/proc.txt"
check "a section that cats /proc/net/nf_conntrack in the namespace imports" "$NATLOG" import -q "$TMP/proc.txt"
eq "its entries are the namespace's table" "ct:41296 ct:60270 ct:34040" \
	"$("$NATLOG" sql "SELECT group_concat(ifnull(netns, '-') || ':' || osport, ' ') FROM conntrack" | tail -1)"

# a dropped SYN (the lab's first SYN to port 9090, its ten lines alone, so
# no retransmission or later packet speaks for it) and a composed entry of
# the same tuple listed ESTABLISHED: in the host's own table that
# contradicts the drop; in namespace cl's table it is another network
# stack's connection and says nothing of the host's packet
L=$TD/lab/docker-legacy
grep 'SPT=35414' "$L/dmesg.txt" | head -n 10 > "$TMP/syn.txt"
est='ipv4     2 tcp      6 431999 ESTABLISHED src=10.77.1.2 dst=10.77.1.1 sport=35414 dport=9090 src=10.77.1.1 dst=10.77.1.2 sport=9090 dport=35414 [ASSURED] mark=0 use=1'
mkdir -p "$TMP/b3/$CT" "$TMP/b4/$CT"
echo "$est" > "$TMP/b3/$CT/ip_netns_exec_cl_conntrack_-L_-o_extended"
echo "$est" > "$TMP/b4/$CT/conntrack_-L_-o_extended"
export NATLOG_DB="$TMP/syn-ns.db"
"$NATLOG" import -q --host gw "$TMP/syn.txt" "$L/iptables-save.txt" "$TMP/b3"
"$NATLOG" traces --json > "$TMP/st.json"
check_json "a namespace's ESTABLISHED entry does not contradict the host's drop" \
	'[(p["verdict"], p["decided_by"]["chain"]) for p in j] == [("drop", "FORWARD")]' < "$TMP/st.json"
export NATLOG_DB="$TMP/syn-host.db"
"$NATLOG" import -q --host gw "$TMP/syn.txt" "$L/iptables-save.txt" "$TMP/b4"
"$NATLOG" traces --json > "$TMP/st.json"
check_json "the host's own ESTABLISHED entry does" '[p["verdict"] for p in j] == ["unknown"]' < "$TMP/st.json"
"$NATLOG" explain --json --trace "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])' < "$TMP/st.json")" > "$TMP/sx.json"
check_json "explain names the host's entry as the contradiction" \
	'any(c["note"].startswith("conntrack (conntrack_-L_-o_extended line 1) lists the connection ESTABLISHED [ASSURED]") for c in j["contradictions"])' < "$TMP/sx.json"

# a store of schema 33, read as it is: flows and explain still work
export NATLOG_DB="$TMP/s33.db"
"$NATLOG" import -q "$B"
downgrade_to "$NATLOG_DB" 33
"$NATLOG" flows --json > "$TMP/f33.json"
check_json "a schema 33 store: flows, every connection the host's" \
	'len(j) == 5 and all(f["netns"] is None for f in j)' < "$TMP/f33.json"
"$NATLOG" explain --json --trace "$syn" > "$TMP/x33.json"
check_json "and explain finds its conntrack entry" \
	'[e["line"] for e in j["evidence"] if e["source"] == "conntrack"] == [3]' < "$TMP/x33.json"
check "an import upgrades it" "$NATLOG" import -q "$TMP/network.txt"
eq "and gives the namespace's entries their namespace" "- - - - - - - - ct ct ct" \
	"$("$NATLOG" sql "SELECT group_concat(ifnull(netns, '-'), ' ') FROM conntrack" | tail -1)"
finish
