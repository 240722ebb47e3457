#!/bin/sh
# A trace a monitor recorded inside a network namespace ("ip netns exec NS
# nft monitor trace", xtables-monitor --trace; a section run so, or a file
# named as sos names a namespace's commands, ip_netns_exec_<ns>_...) is of
# that namespace's packets (packets.netns): explain explains them with
# that namespace's ruleset dumps and conntrack table, never the host's,
# and says so when the namespace has no dump; traces shows the namespace
# (NETNS, "netns" in --json) as flows does a table's. The kernel log stays
# the host's. The lab's recordings were made inside its namespace gw.
. "$(dirname "$0")/lib.sh"
L=$TD/lab
SD=$L/nft-set-drop
NET=sos_commands/networking

# a sosreport-style directory: the host's ruleset (another one: the lab's
# bridge gateway's), namespace gw's ruleset, trace and conntrack table
S=$TMP/sos
mkdir -p "$S/$NET/namespaces/gw" "$S/sos_commands/nftables" "$S/sos_commands/conntrack"
cp "$L/nft-bridge/nft-ruleset.txt" "$S/sos_commands/nftables/nft_list_ruleset"
cp "$SD/nft-ruleset.before-add.txt" "$S/$NET/namespaces/gw/ip_netns_exec_gw_nft_list_ruleset"
cp "$SD/nft-monitor-trace.txt" "$S/$NET/ip_netns_exec_gw_nft_monitor_trace"
cp "$SD/conntrack-L.txt" "$S/sos_commands/conntrack/ip_netns_exec_gw_conntrack_-L_-o_extended"
"$NATLOG" import "$S" > /dev/null 2> "$TMP/i1.err"
eq "the monitor's packets are namespace gw's" "gw:8" \
	"$("$NATLOG" sql "SELECT group_concat(n, ' ') FROM (SELECT ifnull(netns, '-') || ':' || count(*) AS n FROM packets GROUP BY netns)" | tail -1)"
if grep -q "may go on past" "$TMP/i1.err"; then
	not_ok "the file's name says its namespace surely"; sed 's/^/    /' "$TMP/i1.err"
else ok "the file's name says its namespace surely"; fi

"$NATLOG" explain ee0f0b9b > "$TMP/x1.txt"
check_grep "explain: the namespace's dump, named with its namespace" \
	"^dump: .*/$NET/namespaces/gw/ip_netns_exec_gw_nft_list_ruleset (nft-ruleset, network namespace gw, time not known): the only dump of network namespace gw; the trace fits it\$" "$TMP/x1.txt"
check_grep "explain: the rule of the namespace's ruleset that dropped it" \
	"^decided by: inet filter allowed_dnats rule 2  drop\$" "$TMP/x1.txt"
check_grep "explain: the packet's namespace" \
	"^  source nft-trace, host unknown, IPv4, first seen (no time), network namespace gw, IP ID 42041\$" "$TMP/x1.txt"
"$NATLOG" explain --json ee0f0b9b > "$TMP/x1.json"
check_json "explain --json: netns, and the dump's" \
	'j["netns"] == "gw" and j["dump"]["netns"] == "gw" and j["dump"]["source"].endswith("/ip_netns_exec_gw_nft_list_ruleset") and j["dump"]["fits"] and j["decided_by"]["chain"] == "allowed_dnats" and j["decided_by"]["position"] == 2' < "$TMP/x1.json"
"$NATLOG" explain --json 6b8fe0f9 > "$TMP/x2.json"
check_json "explain: the namespace's conntrack entry is the packet's own, said without doubt" \
	'[(e["netns"], e["note"]) for e in j["evidence"] if e["source"] == "conntrack"] == [("gw", "network namespace gw: listed TIME_WAIT, assured, DNAT to 10.77.2.10:22")] and not any("nf_log_all_netns" in d for d in j["diagnosis"])' < "$TMP/x2.json"

"$NATLOG" traces --json > "$TMP/t1.json"
check_json "traces --json: netns gw on every packet" \
	'len(j) == 8 and {p["netns"] for p in j} == {"gw"}' < "$TMP/t1.json"
"$NATLOG" traces --wide > "$TMP/t1.txt"
check_grep "traces: a NETNS column" "^TRACE  *TIME  *NETNS  *PACKET  *VERDICT  *DECIDED BY\$" "$TMP/t1.txt"
check_grep "traces: the namespace on the packet's row" \
	"^ee0f0b9b  *-  *gw  *tcp 10.77.1.2:57612 -> 10.77.1.1:1222 SYN  *drop  *inet filter:allowed_dnats:rule:2\$" "$TMP/t1.txt"
"$NATLOG" flows --json > "$TMP/f1.json"
check_json "flows: the monitor's packets join gw's connection, and their own is gw's" \
	'sorted((f["netns"], f["orig"]["sport"], f["packets"]["conntrack"], f["packets"]["traced"]) for f in j) == [("gw", 57612, 0, 3), ("gw", 57614, 1, 5)]' < "$TMP/f1.json"
"$NATLOG" flows --wide > "$TMP/f1.txt"
check_grep "flows: NETNS gw on the connection only traced" \
	"^-  *gw  *tcp 10.77.1.2:57612 -> 10.77.1.1:1222  *dnat to 10.77.2.10:22  *-  *0  *3 " "$TMP/f1.txt"
eq "export --csv: netns last" "gw" \
	"$("$NATLOG" export --csv | sed -n 2p | awk -F, '{print $NF}')"

# the same trace as the host's own: the host's dump, no namespace
export NATLOG_DB="$TMP/host.db"
mkdir -p "$TMP/h"
cp "$SD/nft-ruleset.before-add.txt" "$TMP/h/nft_list_ruleset"
cp "$SD/nft-monitor-trace.txt" "$TMP/h/nft-monitor-trace.txt"
"$NATLOG" import -q "$TMP/h"
"$NATLOG" explain --json ee0f0b9b > "$TMP/h.json"
check_json "a host's trace: the host's dump, netns null" \
	'j["netns"] is None and j["dump"]["netns"] is None and j["dump"]["source"].endswith("/nft_list_ruleset") and j["dump"]["why"] == "the only dump of this host and family; the trace fits it"' < "$TMP/h.json"
"$NATLOG" traces > "$TMP/h.txt"
if grep -q NETNS "$TMP/h.txt"; then not_ok "traces: no NETNS column for the host's packets"; else
	ok "traces: no NETNS column for the host's packets"; fi

# a namespace without a dump of its own: said, the host's not used
export NATLOG_DB="$TMP/nodump.db"
mkdir -p "$TMP/n/$NET"
cp "$SD/nft-ruleset.before-add.txt" "$TMP/n/nft_list_ruleset"
cp "$SD/nft-monitor-trace.txt" "$TMP/n/$NET/ip_netns_exec_gw_nft_monitor_trace"
"$NATLOG" import -q "$TMP/n"
"$NATLOG" explain ee0f0b9b > "$TMP/n.txt"
check_grep "no dump of the namespace: said" \
	"^dump: none (no ruleset dump of network namespace gw (ip netns exec gw nft list ruleset) was imported; the host's are not the ruleset this packet met)\$" "$TMP/n.txt"
check_grep "and the diagnosis says whose dump is missing" \
	"^  - no ruleset dump of network namespace gw was imported: rule positions are unknown" "$TMP/n.txt"
"$NATLOG" explain --json ee0f0b9b > "$TMP/n.json"
check_json "explain --json: no dump, the namespace named" \
	'j["dump"]["source"] is None and j["dump"]["netns"] == "gw" and j["decided_by"]["position"] is None' < "$TMP/n.json"

# supportconfig-style sections: "ip netns exec gw nft monitor trace" is
# gw's; "ip netns exec gw dmesg" is the kernel's one log, the host's
export NATLOG_DB="$TMP/sect.db"
H='#==[ Command ]======================================#'
{
	printf '%s\n# /usr/sbin/nft list ruleset\n' "$H"; cat "$L/nft-bridge/nft-ruleset.txt"
	printf '\n%s\n# /usr/sbin/ip netns exec gw nft list ruleset\n' "$H"; cat "$SD/nft-ruleset.before-add.txt"
	printf '\n%s\n# /usr/sbin/ip netns exec gw nft monitor trace\n' "$H"; cat "$SD/nft-monitor-trace.txt"
	printf '\n%s\n# /usr/sbin/ip netns exec gw dmesg\n' "$H"; head -n 2 "$L/docker-legacy/dmesg.txt"
} > "$TMP/network.txt"
"$NATLOG" import -q "$TMP/network.txt"
eq "sections: the monitor's packets gw's, the kernel log's the host's" "-:1 gw:8" \
	"$("$NATLOG" sql "SELECT group_concat(n, ' ') FROM (SELECT ifnull(netns, '-') || ':' || count(*) AS n FROM packets GROUP BY netns ORDER BY netns IS NOT NULL)" | tail -1)"
"$NATLOG" explain --json ee0f0b9b > "$TMP/s.json"
check_json "sections: explained with gw's dump" \
	'j["dump"]["netns"] == "gw" and j["dump"]["why"] == "the only dump of network namespace gw; the trace fits it" and j["decided_by"]["position"] == 2' < "$TMP/s.json"

# xtables-monitor --trace run in namespace gw
export NATLOG_DB="$TMP/xt.db"
mkdir -p "$TMP/x/$NET/namespaces/gw"
cp "$L/nft-bridge/nft-ruleset.txt" "$TMP/x/nft_list_ruleset"
cp "$L/xtables-nft/nft-ruleset.txt" "$TMP/x/$NET/namespaces/gw/ip_netns_exec_gw_nft_list_ruleset"
cp "$L/xtables-nft/xtables-monitor-trace.txt" "$TMP/x/$NET/ip_netns_exec_gw_xtables-monitor_--trace"
"$NATLOG" import -q "$TMP/x"
"$NATLOG" explain --json 56298ef1 > "$TMP/x.json"
check_json "xtables-monitor in gw: gw's dump, web rule 2 (handle 8)" \
	'j["netns"] == "gw" and j["dump"]["netns"] == "gw" and j["dump"]["fits"] and (j["decided_by"]["chain"], j["decided_by"]["position"], j["decided_by"]["handle"]) == ("web", 2, 8)' < "$TMP/x.json"

# nft monitor's word that it lost events, inside ee0f0b9b's trace, in the
# namespace's file: a monitor's loss (not conntrack's), and explain
# places it in that packet's trace as for the host's own monitor
export NATLOG_DB="$TMP/loss.db"
mkdir -p "$TMP/l"
{ sed -n 1,2p "$SD/nft-monitor-trace.txt"; echo "# ERROR: We lost some netlink events!"
  sed -n '3,$p' "$SD/nft-monitor-trace.txt"; } > "$TMP/l/ip_netns_exec_gw_nft_monitor_trace"
cp "$SD/nft-ruleset.before-add.txt" "$TMP/l/ip_netns_exec_gw_nft_list_ruleset"
"$NATLOG" import --json "$TMP/l" > "$TMP/li.json" 2> "$TMP/li.err"
check_json "import --json: a namespace's monitor's loss is a monitor's" \
	'(j["loss_lines"], j["loss_lines_monitor"], j["loss_lines_netns"]) == (1, 1, 0)' < "$TMP/li.json"
if grep -q "conntrack run inside a network namespace" "$TMP/li.err"; then
	not_ok "import does not call it conntrack's"; sed 's/^/    /' "$TMP/li.err"
else ok "import does not call it conntrack's"; fi
"$NATLOG" explain --json ee0f0b9b > "$TMP/lx.json"
check_json "explain: the loss is in the namespace's packet's trace" \
	'[(l["line"], l["text"]) for l in j["losses"]] == [(3, "# ERROR: We lost some netlink events!")]' < "$TMP/lx.json"

# a store of schema 35, read as it is: every packet the host's
export NATLOG_DB="$TMP/s35.db"
cp "$TMP/natlog.db" "$NATLOG_DB"
downgrade_to "$NATLOG_DB" 35
"$NATLOG" traces --json > "$TMP/o.json"
check_json "a schema 35 store: traces lists its packets, netns null" \
	'len(j) == 8 and {p["netns"] for p in j} == {None}' < "$TMP/o.json"
"$NATLOG" explain --json ee0f0b9b > "$TMP/o2.json"
check_json "and explain answers, with the host's dump" \
	'j["netns"] is None and j["dump"]["netns"] is None and j["dump"]["source"].endswith("/nft_list_ruleset")' < "$TMP/o2.json"
eq "read as it is, not upgraded" "35" \
	"$("$NATLOG" sql "SELECT value FROM meta WHERE key = 'schema_version'" | tail -1)"

# the namespace's dump byte for byte the host's (schema 37): two sources,
# two dumps, and the namespace's packets explained with the namespace's
S3=$TMP/sos3
mkdir -p "$S3/$NET/namespaces/gw" "$S3/sos_commands/nftables"
cp "$SD/nft-ruleset.before-add.txt" "$S3/sos_commands/nftables/nft_list_ruleset"
cp "$SD/nft-ruleset.before-add.txt" "$S3/$NET/namespaces/gw/ip_netns_exec_gw_nft_list_ruleset"
cp "$SD/nft-monitor-trace.txt" "$S3/$NET/ip_netns_exec_gw_nft_monitor_trace"
NATLOG_DB=$TMP/s3.db "$NATLOG" import --json "$S3" > "$TMP/i3.json" 2> "$TMP/i3.err"
check_json "a namespace's copy of the host's dump is no copy of what was imported" \
	'j["files"] == 3 and j["already"] == 0 and j["rulesets"] == 2' < "$TMP/i3.json"
eq "the store holds both dumps, each of its own namespace" "-,gw" \
	"$(NATLOG_DB=$TMP/s3.db "$NATLOG" sql "SELECT group_concat(ifnull(netns, '-'), ',') FROM (SELECT netns FROM rulesets ORDER BY netns)" | tail -1)"
NATLOG_DB=$TMP/s3.db "$NATLOG" explain --json ee0f0b9b > "$TMP/x3.json"
check_json "and explain takes the namespace's" \
	'j["netns"] == "gw" and j["dump"]["netns"] == "gw" and j["dump"]["source"].endswith("/ip_netns_exec_gw_nft_list_ruleset")' < "$TMP/x3.json"
NATLOG_DB=$TMP/s3.db "$NATLOG" sources --json > "$TMP/src3.json"
check_json "sources --json gives each file's namespace" \
	'sorted((s["path"].rsplit("/", 1)[1], s["netns"]) for s in j) == [("ip_netns_exec_gw_nft_list_ruleset", "gw"), ("ip_netns_exec_gw_nft_monitor_trace", "gw"), ("nft_list_ruleset", None)]' < "$TMP/src3.json"
NATLOG_DB=$TMP/s3.db "$NATLOG" import --json "$S3" > "$TMP/i4.json" 2>/dev/null
check_json "imported again, both are known" 'j["files"] == 0 and j["already"] == 3' < "$TMP/i4.json"

finish
