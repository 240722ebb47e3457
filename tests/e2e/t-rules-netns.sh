#!/bin/sh
# natlog rules counts a traced packet's hits and drops against the dumps of
# its own host and network namespace only: two hosts' dumps with the same
# chains, or the host's and a namespace's (sosreport's
# namespaces/<ns>/ip_netns_exec_<ns>_..., a monitor run with ip netns
# exec), each show their own packets' counts, never the other's; and so
# do an iptables-save and an ip6tables-save of one host. An nft or xtables
# trace id seen by two namespaces' monitors is two packets, and a
# namespace's dump imported later has its packets analysed again.
. "$(dirname "$0")/lib.sh"
R=$TD/real
L=$TD/lab
NET=sos_commands/networking

# rules --json as "host netns table chain type position hits drops" lines
rows() {
	python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["host"] or "-", r["netns"] or "-", r["table"], r["chain"], r["type"], r["position"] or "-", r["hits"], r["drops"])'
}

# two hosts: cilium-bugtool's bundle of node-a (its dmesg traced one
# packet) and the Rancher collector's of centos-7-01 (no trace), whose
# iptables-save are the same save: the same chains, positions and policies
export NATLOG_DB="$TMP/hosts.db"
"$NATLOG" import -q --host node-a "$R/bundles/cilium-bugtool-243785589"
"$NATLOG" import -q "$R/bundles/rancher2-logs-collector"
"$NATLOG" rules --json | rows > "$TMP/h.txt"
eq "node-a's trace hit node-a's mangle PREROUTING policy" \
	"node-a - mangle PREROUTING policy - 1 0" "$(grep '^node-a - mangle PREROUTING policy ' "$TMP/h.txt")"
eq "and not centos-7-01's, whose dump has the same chain" \
	"centos-7-01 - mangle PREROUTING policy - 0 0" "$(grep '^centos-7-01 - mangle PREROUTING policy ' "$TMP/h.txt")"
eq "no rule of centos-7-01 is hit" "0" "$(grep '^centos-7-01 ' "$TMP/h.txt" | grep -vc ' 0 0$')"
eq "node-a's dumps: one hit in all" "1" \
	"$(awk '$1 == "node-a" && $7 > 0 { n += $7 } END { print n }' "$TMP/h.txt")"
"$NATLOG" rules --unused --json | rows > "$TMP/hu.txt"
eq "--unused: centos-7-01's mangle PREROUTING policy is unused" \
	"centos-7-01 - mangle PREROUTING policy - 0 0" "$(grep ' mangle PREROUTING policy ' "$TMP/hu.txt")"
"$NATLOG" rules --wide > "$TMP/h-text.txt"
check_grep "text: a HOST column when the dumps are of two hosts" \
	"^  HITS  DROPS  HOST  *RULE  *TEXT\$" "$TMP/h-text.txt"
check_grep "text: centos-7-01's policy with no hit" \
	"^     0      0  centos-7-01  *mangle:PREROUTING:policy  *policy ACCEPT\$" "$TMP/h-text.txt"
check_grep "text: node-a's with its hit" \
	"^     1      0  node-a  *mangle:PREROUTING:policy  *policy ACCEPT\$" "$TMP/h-text.txt"

# the same bundle without a host: its packet may be centos-7-01's, and
# its hits count against both dumps, which rules says
export NATLOG_DB="$TMP/hostless.db"
"$NATLOG" import -q "$R/bundles/cilium-bugtool-243785589"
"$NATLOG" import -q "$R/bundles/rancher2-logs-collector"
"$NATLOG" rules --json 2> "$TMP/hl.err" | rows > "$TMP/hl.txt"
eq "a packet of no host: counted for the dumps of no host and of centos-7-01" \
	"- 1|centos-7-01 1" \
	"$(awk '$3 == "mangle" && $4 == "PREROUTING" && $5 == "policy" { print $1, $7 }' "$TMP/hl.txt" | sort | paste -sd'|')"
check_grep "rules says the hostless packet's hits are in every host's dumps" \
	"^natlog: 1 traced packet names no host: its hits and drops are counted against the dumps of every host, as no line says whose it is\$" "$TMP/hl.err"

# the host's kernel log and a namespace's iptables-save: a sosreport of
# gateway gw whose namespace ct has a save of the same chains
export NATLOG_DB="$TMP/legacy-ns.db"
S=$TMP/l/sosreport-gw-2026-11-21-nsctlab
mkdir -p "$TMP/l"
cp -R "$R/sosreport-gw-2026-11-21-nsctlab" "$S"
mkdir -p "$S/$NET/namespaces/ct"
cp "$L/docker-legacy/iptables-save-c.txt" "$S/$NET/namespaces/ct/ip_netns_exec_ct_iptables-save"
"$NATLOG" import -q "$S" 2> /dev/null
"$NATLOG" rules --json | rows > "$TMP/l.txt"
eq "the kernel log's drops: the host's FORWARD policy" \
	"gw - filter FORWARD policy - 3 3" "$(grep '^gw - filter FORWARD policy ' "$TMP/l.txt")"
eq "not namespace ct's, of the same chain" \
	"gw ct filter FORWARD policy - 0 0" "$(grep '^gw ct filter FORWARD policy ' "$TMP/l.txt")"
eq "no rule of ct's is hit" "0" "$(grep '^gw ct ' "$TMP/l.txt" | grep -vc ' 0 0$')"
eq "the host's DNAT rule has its 4 hits" "gw - nat PREROUTING rule 1 4 0" \
	"$(grep '^gw - nat PREROUTING rule 1 ' "$TMP/l.txt")"
"$NATLOG" rules --by drops --json | rows > "$TMP/ld.txt"
eq "--by drops: the host's policy first, and nothing else dropped" \
	"gw - filter FORWARD policy - 3 3|0" "$(head -n 1 "$TMP/ld.txt")|$(sed -n 2p "$TMP/ld.txt" | awk '{ print $NF }')"
"$NATLOG" rules --wide > "$TMP/l-text.txt"
check_grep "text: a NETNS column, '-' for the host's own" \
	"^     3      3  -  *filter:FORWARD:policy  *policy DROP\$" "$TMP/l-text.txt"
check_grep "text: ct's policy with no drop" \
	"^     0      0  ct  *filter:FORWARD:policy  *policy DROP\$" "$TMP/l-text.txt"

# nft: a monitor run in namespace gw (sos's name for its command) and the
# host's own ruleset, of the same tables, chains and handles
export NATLOG_DB="$TMP/nft-ns.db"
SD=$L/nft-set-drop
N=$TMP/n
mkdir -p "$N/$NET/namespaces/gw" "$N/sos_commands/nftables"
cp "$SD/nft-ruleset.txt" "$N/sos_commands/nftables/nft_list_ruleset"
cp "$SD/nft-ruleset.before-add.txt" "$N/$NET/namespaces/gw/ip_netns_exec_gw_nft_list_ruleset"
cp "$SD/nft-monitor-trace-a.txt" "$N/$NET/ip_netns_exec_gw_nft_monitor_trace"
"$NATLOG" import -q "$N"
"$NATLOG" rules --json | rows > "$TMP/n.txt"
eq "gw's drop rule: gw's 3 packets" "- gw filter allowed_dnats rule 2 3 3" \
	"$(grep '^- gw filter allowed_dnats rule 2 ' "$TMP/n.txt")"
eq "the host's same rule: none" "- - filter allowed_dnats rule 2 0 0" \
	"$(grep '^- - filter allowed_dnats rule 2 ' "$TMP/n.txt")"
eq "no rule or policy of the host's is hit" "0" "$(grep '^- - ' "$TMP/n.txt" | grep -vc ' 0 0$')"
"$NATLOG" rules --unused --json | rows > "$TMP/nu.txt"
eq "--unused: the host's drop rule, not gw's" "- - filter allowed_dnats rule 2 0 0" \
	"$(grep ' filter allowed_dnats rule 2 ' "$TMP/nu.txt")"
"$NATLOG" rules --by drops --json | rows > "$TMP/nd.txt"
eq "--by drops: gw's rule first" "- gw filter allowed_dnats rule 2 3 3" "$(head -n 1 "$TMP/nd.txt")"

# the namespace's dump imported after its monitor's trace: the packets
# are analysed again with it, as they are after a host's dump
export NATLOG_DB="$TMP/later.db"
mkdir -p "$TMP/t1/$NET" "$TMP/t2/$NET/namespaces/gw"
cp "$SD/nft-monitor-trace-a.txt" "$TMP/t1/$NET/ip_netns_exec_gw_nft_monitor_trace"
cp "$SD/nft-ruleset.before-add.txt" "$TMP/t2/$NET/namespaces/gw/ip_netns_exec_gw_nft_list_ruleset"
"$NATLOG" import -q "$TMP/t1"
"$NATLOG" import -q "$TMP/t2"
"$NATLOG" traces --json > "$TMP/later.json"
check_json "traces: decided by gw's rule at its position, read from the later dump" \
	'[(p["trace"], p["decided_by"]["chain"], p["decided_by"]["position"]) for p in j if p["verdict"] == "drop"] == [("ee0f0b9b", "allowed_dnats", 2), ("591dcccf", "allowed_dnats", 2), ("18de3a20", "allowed_dnats", 2)]' < "$TMP/later.json"

# a namespace's name as long as a CNI plugin's (69 bytes): whole in rules
export NATLOG_DB="$TMP/long.db"
NS=cni-0123456789abcdef0123456789abcdef-0123456789abcdef0123456789abcdef
mkdir -p "$TMP/long/$NET/namespaces/$NS"
cp "$L/docker-legacy/iptables-save.txt" "$TMP/long/$NET/namespaces/$NS/ip_netns_exec_${NS}_iptables-save"
"$NATLOG" import -q "$TMP/long"
"$NATLOG" rules --json > "$TMP/long.json"
check_json "rules --json: the namespace's whole name" \
	'{r["netns"] for r in j} == {"'"$NS"'"}' < "$TMP/long.json"

# one host's iptables-save and ip6tables-save, of the same chains: an
# IPv4 packet counts against the IPv4 dump only, an IPv6 one the IPv6's
export NATLOG_DB="$TMP/family.db"
"$NATLOG" import -q "$L/docker-legacy/dmesg.txt" "$L/docker-legacy/iptables-save.txt" \
	"$L/ipv6/dmesg.txt" "$L/ipv6/ip6tables-save.txt"
"$NATLOG" rules --json | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["family"], r["table"], r["chain"], r["type"], r["position"] or "-", r["hits"], r["drops"])' > "$TMP/f.txt"
eq "FORWARD's policy: the IPv4 drops on iptables', the IPv6 ones on ip6tables'" \
	"ip filter FORWARD policy - 3 3|ip6 filter FORWARD policy - 3 3" \
	"$(grep ' filter FORWARD policy ' "$TMP/f.txt" | paste -sd'|')"
eq "raw PREROUTING's policy: 8 packets of each family" \
	"ip raw PREROUTING policy - 8 0|ip6 raw PREROUTING policy - 8 0" \
	"$(grep ' raw PREROUTING policy ' "$TMP/f.txt" | paste -sd'|')"

# one file of sections run with ip netns exec: the same nft trace id in
# namespaces a and b is two packets, each its namespace's, not one that
# went through both rulesets (Fedora Magazine's trace, cut after its nat
# prerouting line: the prerouting part in a, the forward part in b)
export NATLOG_DB="$TMP/ids.db"
H='#==[ Command ]======================================#'
{
	printf '%s\n# /usr/sbin/ip netns exec a nft monitor trace\n' "$H"
	head -n 6 "$R/fedora-nat-part1-trace.txt"
	printf '\n%s\n# /usr/sbin/ip netns exec b nft monitor trace\n' "$H"
	sed -n 7,9p "$R/fedora-nat-part1-trace.txt"
} > "$TMP/nft-sections.txt"
"$NATLOG" import -q "$TMP/nft-sections.txt"
eq "trace id 9c01f8 in a and in b: two packets, the second 9c01f8.2" \
	"9c01f8 a 6 accept|9c01f8.2 b 3 drop" \
	"$("$NATLOG" sql "SELECT trace || ' ' || netns || ' ' || (SELECT count(*) FROM events e WHERE e.packet_id = p.id) || ' ' || verdict FROM packets p ORDER BY id" | tail -n +2 | paste -sd'|')"
"$NATLOG" traces --json > "$TMP/ids.json"
check_json "traces --json: b's packet starts at b's forward chain" \
	'[(p["trace"], p["netns"], p["dst"]) for p in j] == [("9c01f8", "a", "10.1.2.3"), ("9c01f8.2", "b", "192.168.70.10")]' < "$TMP/ids.json"

# xtables-monitor: a packet whose id changed on its way (docker's bridge,
# 2089bd8f to d922bdcd) continues under the new id in its own namespace
# only: the first run's prerouting part in a, its forward part in b
export NATLOG_DB="$TMP/xt-ids.db"
{
	printf '%s\n# /usr/sbin/ip netns exec a xtables-monitor --trace\n' "$H"
	sed -n 2,7p "$R/docker-bridge-xtables-monitor-trace.txt"
	printf '\n%s\n# /usr/sbin/ip netns exec b xtables-monitor --trace\n' "$H"
	sed -n 8,15p "$R/docker-bridge-xtables-monitor-trace.txt"
} > "$TMP/xt-sections.txt"
"$NATLOG" import -q "$TMP/xt-sections.txt"
eq "2089bd8f in a and d922bdcd in b: two packets" "2089bd8f a 6|d922bdcd b 8" \
	"$("$NATLOG" sql "SELECT trace || ' ' || netns || ' ' || (SELECT count(*) FROM events e WHERE e.packet_id = p.id) FROM packets p ORDER BY id" | tail -n +2 | paste -sd'|')"
eq "and d922bdcd is no alias of a's packet" "0" \
	"$("$NATLOG" sql "SELECT count(*) FROM trace_aliases" | tail -n 1)"
# the same run in one namespace: the id's change is followed, as before
export NATLOG_DB="$TMP/xt-one.db"
sed 's/ip netns exec b /ip netns exec a /' "$TMP/xt-sections.txt" > "$TMP/xt-one.txt"
"$NATLOG" import -q "$TMP/xt-one.txt"
eq "in one namespace: one packet, d922bdcd its alias" "2089bd8f a 14 d922bdcd" \
	"$("$NATLOG" sql "SELECT trace || ' ' || netns || ' ' || (SELECT count(*) FROM events e WHERE e.packet_id = p.id) || ' ' || (SELECT group_concat(trace) FROM trace_aliases a WHERE a.packet_id = p.id) FROM packets p" | tail -n +2 | paste -sd'|')"

# a store of schema 35 has no packets.netns: every packet is the host's,
# counted against the host's dump and not the namespace's
export NATLOG_DB="$TMP/s35.db"
cp "$TMP/nft-ns.db" "$NATLOG_DB"
downgrade_to "$NATLOG_DB" 35
"$NATLOG" rules --json | rows > "$TMP/o.txt"
eq "schema 35: the host's drop rule has the packets" "- - filter allowed_dnats rule 2 3 3" \
	"$(grep '^- - filter allowed_dnats rule 2 ' "$TMP/o.txt")"
eq "schema 35: gw's none" "- gw filter allowed_dnats rule 2 0 0" \
	"$(grep '^- gw filter allowed_dnats rule 2 ' "$TMP/o.txt")"

finish
