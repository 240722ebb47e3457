#!/bin/sh
# What a support bundle's name and files say of its lines: the year of
# syslog lines (which print none) from the day the bundle was made, a line
# of a later month and day being the year before's; the host from a
# collector's hostname file when the name gives none; a network
# namespace's name with '_' in it from sos's file names.
. "$(dirname "$0")/lib.sh"
R=$TD/real
export TZ=UTC

# the wall time of each event, in the import's order
walls() {
	"$NATLOG" sql "SELECT group_concat(strftime('%Y-%m-%d %H:%M:%S', wall_us / 1000000, 'unixepoch'), ', ') FROM (SELECT wall_us FROM events ORDER BY id)" | tail -1
}

# testdata/real/sosreport-MainFirewall-2025-01-06-yrcross: a log that
# crosses a year end (Dec 19, then Jan 5) in a sosreport made on 6
# January: the December line is the year before's
S=sosreport-MainFirewall-2025-01-06-yrcross
export NATLOG_DB="$TMP/sos.db"
check "the sosreport imports" "$NATLOG" import -q "$R/$S"
eq "December is 2024's, January 2025's" \
	"2024-12-19 17:15:33, 2025-01-05 20:17:01, 2025-01-05 20:17:01" "$(walls)"
"$NATLOG" summary > "$TMP/s.txt"
check_grep "summary: the times run from December to January" \
	"^time: *2024-12-19 17:15:33 \.\. 2025-01-05 20:17:01 (3 of 3 packets)" "$TMP/s.txt"
"$NATLOG" traces --json --until "Dec 31 23:59:59" > "$TMP/u.json"
check_json "--until Dec 31: the December packet, not the January ones" \
	'[p["time"] for p in j] == ["Dec 19 17:15:33"]' < "$TMP/u.json"
"$NATLOG" traces --json --since "Dec 19 17:00" --until "Jan  5 21:00" > "$TMP/b.json"
check_json "--since Dec 19 --until Jan 5: all three, across the year end" \
	'len(j) == 3' < "$TMP/b.json"
"$NATLOG" traces --json --since "Jan  1 00:00" > "$TMP/n.json"
check_json "--since Jan 1: the January packets only" \
	'sorted(p["time"] for p in j) == ["Jan  5 20:17:01", "Jan  5 20:17:01"]' < "$TMP/n.json"

# --year keeps its meaning: every line in the year given
export NATLOG_DB="$TMP/year.db"
check "with --year it imports" "$NATLOG" import -q --year 2025 "$R/$S"
eq "--year 2025 puts every line in 2025" \
	"2025-12-19 17:15:33, 2025-01-05 20:17:01, 2025-01-05 20:17:01" "$(walls)"

# the other collectors' names: supportconfig's (two-digit year), the
# Rancher logs collector's, the EKS collector's archive
for d in scc_MainFirewall_250106_1200 MainFirewall-2025-01-06_12_00_00; do
	mkdir -p "$TMP/$d/logs"
	cp "$R/$S/var/log/messages" "$TMP/$d/logs/messages"
	export NATLOG_DB="$TMP/$d.db"
	check "$d imports" "$NATLOG" import -q "$TMP/$d"
	eq "$d: December is 2024's" \
		"2024-12-19 17:15:33, 2025-01-05 20:17:01, 2025-01-05 20:17:01" "$(walls)"
done
mkdir -p "$TMP/eks/var_log"
cp "$R/$S/var/log/messages" "$TMP/eks/var_log/messages"
E=eks_i-0123456789abcdef0_2025-01-06_1200-UTC_0.7.9.tar.gz
tar -czf "$TMP/$E" -C "$TMP/eks" .
export NATLOG_DB="$TMP/eks.db"
check "the EKS archive imports" "$NATLOG" import -q "$TMP/$E"
eq "EKS: December is 2024's" \
	"2024-12-19 17:15:33, 2025-01-05 20:17:01, 2025-01-05 20:17:01" "$(walls)"

# slack: a line of the day after the bundle's date is still its year (the
# name's clock and the log's may be a time zone apart); two days after, a
# log cannot hold it, so it is the year before's
for d in 2025-01-04:2025 2025-01-03:2024; do
	mkdir -p "$TMP/sosreport-MainFirewall-${d%:*}-slack/var/log"
	cp "$R/$S/var/log/messages" "$TMP/sosreport-MainFirewall-${d%:*}-slack/var/log/messages"
	export NATLOG_DB="$TMP/slack-${d%:*}.db"
	check "the sosreport of ${d%:*} imports" "$NATLOG" import -q "$TMP/sosreport-MainFirewall-${d%:*}-slack"
	eq "made ${d%:*}: the Jan 5 lines are ${d#*:}'s" \
		"2024-12-19 17:15:33, ${d#*:}-01-05 20:17:01, ${d#*:}-01-05 20:17:01" "$(walls)"
done
# made on 31 December, a line of 1 January is the next year's (composed:
# the January lines' day made the 1st)
mkdir -p "$TMP/sosreport-MainFirewall-2024-12-31-newyear/var/log"
sed 's/^Jan  5 /Jan  1 /' "$R/$S/var/log/messages" > "$TMP/sosreport-MainFirewall-2024-12-31-newyear/var/log/messages"
export NATLOG_DB="$TMP/newyear.db"
check "the sosreport of 31 December imports" "$NATLOG" import -q "$TMP/sosreport-MainFirewall-2024-12-31-newyear"
eq "made 31 December 2024: Jan 1 is 2025's" \
	"2024-12-19 17:15:33, 2025-01-01 20:17:01, 2025-01-01 20:17:01" "$(walls)"

# hostname files: cilium-bugtool's cmd/hostname.md (Markdown, as
# writeCmdToFile() writes "hostname"'s output; the name is ours) in the
# bundle of testdata/real/bundles, whose name gives no host
B=$R/bundles
srchosts() {
	"$NATLOG" sql --json "SELECT path, host FROM sources ORDER BY path" > "$TMP/src.json"
}
cp -R "$B/cilium-bugtool-243785589" "$TMP/"
printf '# hostname\n\n```\nnode-7\n\n```\n' > "$TMP/cilium-bugtool-243785589/cmd/hostname.md"
export NATLOG_DB="$TMP/cilium.db"
check "cilium-bugtool's directory with its hostname imports" "$NATLOG" import -q "$TMP/cilium-bugtool-243785589"
srchosts
check_json "cilium-bugtool: every file is the host's hostname.md names" \
	'len(j) == 4 and all(r["host"] == "node-7" for r in j)' < "$TMP/src.json"
eq "its dumps and packets are that host's" "node-7|node-7" \
	"$("$NATLOG" sql "SELECT (SELECT group_concat(DISTINCT ifnull(host, '-')) FROM rulesets) || '|' || (SELECT group_concat(DISTINCT ifnull(host, '-')) FROM packets)" | tail -1)"
# without Markdown (--enable-markdown=false), the output alone
printf 'node-8\n' > "$TMP/cilium-bugtool-243785589/cmd/hostname.md"
export NATLOG_DB="$TMP/cilium-plain.db"
check "cilium-bugtool's plain hostname.md imports" "$NATLOG" import -q "$TMP/cilium-bugtool-243785589"
srchosts
check_json "cilium-bugtool: the plain output names the host" \
	'len(j) == 4 and all(r["host"] == "node-8" for r in j)' < "$TMP/src.json"
# --host wins over it
export NATLOG_DB="$TMP/cilium-host.db"
check "with --host it imports" "$NATLOG" import -q --host other "$TMP/cilium-bugtool-243785589"
srchosts
check_json "--host wins over the hostname file" \
	'all(r["host"] == "other" for r in j)' < "$TMP/src.json"
# a hostname the command could not print names no host, and says so
printf "> Error while running 'hostname':  exit status 1\n\n" > "$TMP/cilium-bugtool-243785589/cmd/hostname.md"
export NATLOG_DB="$TMP/cilium-none.db"
"$NATLOG" import -q "$TMP/cilium-bugtool-243785589" 2> "$TMP/none.err"
check_grep "a hostname file naming no host is said" "hostname.md' names no host" "$TMP/none.err"
srchosts
check_json "and nothing gets a host from it" 'all(r["host"] is None for r in j)' < "$TMP/src.json"

# calicoctl node diags: diagnostics/hostname (the output alone; the name
# is ours), as a directory and in its tar, hostname first and last
cp -R "$B/calicoctl-node-diags" "$TMP/calico"
printf 'k8s-node-2\n' > "$TMP/calico/diagnostics/hostname"
export NATLOG_DB="$TMP/calico-dir.db"
"$NATLOG" import -q "$TMP/calico" 2>/dev/null
srchosts
check_json "calico's directory: every file is diagnostics/hostname's host" \
	'len(j) == 3 and all(r["host"] == "k8s-node-2" for r in j)' < "$TMP/src.json"
tar -czf "$TMP/diags-20200521_000322.tar.gz" -C "$TMP/calico" diagnostics/hostname diagnostics/ipv4_tables diagnostics/ipv6_tables
export NATLOG_DB="$TMP/calico-tar.db"
"$NATLOG" import -q "$TMP/diags-20200521_000322.tar.gz" 2> "$TMP/tar.err"
srchosts
check_json "calico's tar, hostname first: every member is its host's" \
	'len(j) == 3 and all(r["host"] == "k8s-node-2" for r in j)' < "$TMP/src.json"
tar -czf "$TMP/diags-20200521_000323.tar.gz" -C "$TMP/calico" diagnostics/ipv6_tables diagnostics/hostname diagnostics/ipv4_tables
export NATLOG_DB="$TMP/calico-late.db"
"$NATLOG" import -q "$TMP/diags-20200521_000323.tar.gz" 2> "$TMP/late.err"
srchosts
check_json "calico's tar, hostname after a member: the members after it are its host's" \
	'[(r["path"].rsplit("/", 1)[1], r["host"]) for r in j] == [("hostname", "k8s-node-2"), ("ipv4_tables", "k8s-node-2"), ("ipv6_tables", None)]' < "$TMP/src.json"
check_grep "and the member read before it is said" \
	"names its host 'k8s-node-2' after 1 members read without one; import with --host k8s-node-2" "$TMP/late.err"
# a bundle whose name gives the host keeps it
mkdir -p "$TMP/sosreport-gw-2026-11-21-named"
cp -R "$TMP/calico/diagnostics" "$TMP/sosreport-gw-2026-11-21-named/"
export NATLOG_DB="$TMP/named.db"
"$NATLOG" import -q "$TMP/sosreport-gw-2026-11-21-named" 2>/dev/null
srchosts
check_json "the bundle's name, which gives a host, comes first" \
	'len(j) == 3 and all(r["host"] == "gw" for r in j)' < "$TMP/src.json"

# network namespaces named with '_' (Docker's and Kubernetes' cni-<uuid>
# and OpenStack's qrouter-<uuid> have dashes): sos names the file
# ip_netns_exec_<ns>_<command>, the namespace being what comes before the
# command sos ran. The bundle of t-netns-ct with tables of more
# namespaces, each one line of namespace ct's table.
N=sosreport-gw-2026-11-21-nsctlab
cp -R "$R/$N" "$TMP/"
CT=$TMP/$N/sos_commands/conntrack
ctns=$CT/ip_netns_exec_ct_conntrack_-L_-o_extended
sed -n 1p "$ctns" > "$CT/ip_netns_exec_my_ns_conntrack_-L_-o_extended"
sed -n 2p "$ctns" > "$CT/ip_netns_exec_qrouter-5f8e2a4c-8c1b-4d6e-9a3f-2b7c1d0e4f6a_conntrack_-L_-o_extended"
sed -n 3p "$ctns" > "$CT/ip_netns_exec_cni-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d_conntrack_-L_-o_extended"
mkdir -p "$TMP/$N/sos_commands/networking"
head -n 8 "$TMP/$N/sos_commands/firewall_tables/iptables-save" > "$TMP/$N/sos_commands/networking/ip_netns_exec_my_ns_iptables-save"
head -n 5 "$TD/trust/sosreport-coreos/sos_commands/kernel/sysctl_-a" > "$TMP/$N/sos_commands/networking/ip_netns_exec_my_ns_sysctl_-a"
# a command sos does not run: the name cannot be told, and that is said
head -n 9 "$TMP/$N/sos_commands/firewall_tables/iptables-save" > "$TMP/$N/sos_commands/networking/ip_netns_exec_x_y_z_iptables-legacy-save"
export NATLOG_DB="$TMP/ns.db"
"$NATLOG" import -q "$TMP/$N" 2> "$TMP/ns.err"
eq "conntrack: my_ns whole, the dashed names whole" \
	"-:4 cni-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d:1 ct:3 my_ns:1 qrouter-5f8e2a4c-8c1b-4d6e-9a3f-2b7c1d0e4f6a:1" \
	"$("$NATLOG" sql "SELECT group_concat(n, ' ') FROM (SELECT ifnull(netns, '-') || ':' || count(*) AS n FROM conntrack GROUP BY netns ORDER BY netns)" | tail -1)"
eq "iptables-save: my_ns's" "my_ns" \
	"$("$NATLOG" sql "SELECT r.netns FROM rulesets r JOIN sources s ON s.id = r.source_id WHERE s.path LIKE '%my_ns_iptables-save'" | tail -1)"
eq "sysctl -a: my_ns's" "my_ns:5" \
	"$("$NATLOG" sql "SELECT netns || ':' || count(*) FROM sysctls WHERE netns IS NOT NULL GROUP BY netns" | tail -1)"
eq "a command sos does not run: up to the first '_', as before" "x" \
	"$("$NATLOG" sql "SELECT r.netns FROM rulesets r JOIN sources s ON s.id = r.source_id WHERE s.path LIKE '%iptables-legacy-save'" | tail -1)"
check_grep "and it says the name may go on" \
	"ip_netns_exec_x_y_z_iptables-legacy-save': its namespace is taken as 'x', but what follows is no command sos runs" "$TMP/ns.err"
check_status "no other warning" 1 grep -v "ip_netns_exec_x_y_z" "$TMP/ns.err"

finish
