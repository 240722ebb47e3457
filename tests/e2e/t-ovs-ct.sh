#!/bin/sh
# Open vSwitch's conntrack dumps (ovs-appctl dpctl/dump-conntrack [-m] [-s]
# [dp], as sosreport's openvswitch plugin runs it per datapath) are read as
# conntrack entries with their zone; a userspace (netdev) datapath's table
# is OVS's own, kept apart and never taken for the kernel's.
. "$(dirname "$0")/lib.sh"
R=$TD/real

# OVS's own tests' expected dumps: zones, mark, ICMP with SNAT's id
# remapping, a protocol without ports, IPv6, a TCP state
export NATLOG_DB="$TMP/tests.db"
"$NATLOG" import -q "$R/ovs-tests-dump-conntrack.txt"
eq "every line is an entry of the ovs-conntrack source" "ovs-conntrack 12 12 0" \
	"$("$NATLOG" sql "SELECT kind, lines, events, errors FROM sources" | tail -1 | tr '\t' ' ')"
"$NATLOG" sql --json "SELECT line, proto, family, osrc, osport, odst, odport, rsrc, rdst, rsport, rdport, icmp_type, icmp_id, state, zone, mark, assured, netns FROM conntrack ORDER BY line" > "$TMP/c.json"
check_json "zones as printed, 0 where OVS prints none" \
	'[r["zone"] for r in j] == [0, 5, 0, 5, 0, 0, 0, 0, 0, 0, 0, 42]' < "$TMP/c.json"
check_json "mark=170 kept, labels not" '[r["mark"] for r in j][:4] == [170, None, 170, None]' < "$TMP/c.json"
check_json "ICMP: type and id of the original, the reply's remapped id and SNAT address" \
	'[(r["icmp_type"], r["icmp_id"], r["rsport"], r["rdst"], r["osport"]) for r in j if r["proto"] == 1] == [(8, 500, 500, "10.0.0.201", None), (8, 500, 501, "10.0.0.201", None), (8, 500, 502, "10.0.0.201", None)]' < "$TMP/c.json"
check_json "protocol 112 by number, its ports of 0 no ports" \
	'[(r["proto"], r["osport"], r["rdport"]) for r in j if r["line"] == 8] == [(112, None, None)]' < "$TMP/c.json"
check_json "UDP DNAT over IPv6 with the reply's source" \
	'[(r["family"], r["odst"], r["rsrc"], r["rsport"]) for r in j if r["line"] == 11] == [(6, "fc00::240", "fc00::2", 8080)]' < "$TMP/c.json"
check_json "TCP's protoinfo state; assured unknown without -m" \
	'[(r["state"], r["assured"]) for r in j if r["proto"] == 6] == [("TIME_WAIT", None)]' < "$TMP/c.json"
check_json "no datapath named: all twelve of a datapath not known" 'len(j) == 12 and all(r["netns"] == "ovs-datapath/unknown" for r in j)' < "$TMP/c.json"

# -m -s: counters, id, status (assured, seen reply), verbose TCP states,
# labels printed before mark
export NATLOG_DB="$TMP/ms.db"
"$NATLOG" import -q "$R/antrea-ovs-dump-conntrack-m-s.txt"
"$NATLOG" sql --json "SELECT ct_id, zone, mark, state, assured, unreplied, opackets, obytes, rpackets, rbytes, odst, rsrc, rsport FROM conntrack ORDER BY line" > "$TMP/ms.json"
check_json "ids, zones and marks" \
	'[(r["ct_id"], r["zone"], r["mark"]) for r in j] == [(3750535678, 0, None), (462801621, 4096, None), (982464968, 4096, 16)]' < "$TMP/ms.json"
check_json "state_orig/state_reply as one state, status as assured and replied" \
	'all((r["state"], r["assured"], r["unreplied"]) == ("ESTABLISHED", 1, 0) for r in j) and len(j) == 3' < "$TMP/ms.json"
check_json "-s's packets and bytes each way" \
	'(j[2]["opackets"], j[2]["obytes"], j[2]["rpackets"], j[2]["rbytes"]) == (343260, 19340621, 381035, 181176472)' < "$TMP/ms.json"
"$NATLOG" flows --json > "$TMP/msf.json"
check_json "flows: the service's DNAT from the reply tuple, with its zone" \
	'[(f["translated"]["dst"], f["translated"]["dport"], f["zone"]) for f in j if f["orig"]["dst"] == "10.96.0.1"] == [("100.10.0.106", 6443, 4096)]' < "$TMP/msf.json"

# -m prints both directions' states; OVS's short form is the greater one,
# FIN_WAIT_2 shown as TIME_WAIT (ct-dpif.c coalesce_tcp_state): composed
# from the first -m line with state_reply changed
export NATLOG_DB="$TMP/st.db"
head -n 1 "$R/antrea-ovs-dump-conntrack-m-s.txt" |
	sed -e 's/state_reply=ESTABLISHED/state_reply=FIN_WAIT_2/' -e 's/SEEN_REPLY|//' > "$TMP/fw2.txt"
"$NATLOG" import -q "$TMP/fw2.txt"
eq "read as OVS prints it without -m; no SEEN_REPLY is unreplied" "TIME_WAIT 1" \
	"$("$NATLOG" sql "SELECT state, unreplied FROM conntrack" | tail -1 | tr '\t' ' ')"

# a paste of a terminal: the prompt, and entries with zones and an SNAT
# (ovn-org/ovn#207)
export NATLOG_DB="$TMP/ovn.db"
"$NATLOG" import -q "$R/ovn-207-dump-conntrack-zones.txt"
eq "the prompt skipped, eight entries" "ovs-conntrack 9 8 0 1" \
	"$("$NATLOG" sql "SELECT kind, lines, events, errors, skipped FROM sources" | tail -1 | tr '\t' ' ')"
"$NATLOG" flows --json > "$TMP/of.json"
check_json "flows: zone 16's SNAT apart from zone 6's connections" \
	'[(f["orig"]["sport"], f["translated"]["src"], f["zone"]) for f in j if f["zone"] == 16] == [(3268, "123.123.123.123", 16)] and sum(f["zone"] == 6 for f in j) == 7' < "$TMP/of.json"

# OVS's tutorial: indented entries under "$ ovs-appctl ..."; an entry it
# broke over three lines with '\' is three errors, not one entry's pieces
export NATLOG_DB="$TMP/tut.db"
"$NATLOG" import -q "$R/ovs-tutorial-dump-conntrack.txt"
eq "its two states" "SYN_SENT ESTABLISHED" \
	"$("$NATLOG" sql "SELECT group_concat(state, ' ') FROM conntrack" | tail -1)"
export NATLOG_DB="$TMP/cont.db"
check_status "the entry broken with '\\' imports with errors" 3 "$NATLOG" import -q "$R/ovs-tutorial-dump-conntrack-continued.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "each of its three lines an error that says why, none an entry" \
	'[e["line"] for e in j] == [3, 4, 5] and all("continued with" in e["reason"] for e in j)' < "$TMP/e.json"

# an expectation (dump-conntrack-exp, as OVS's system-traffic.at prints it
# through FORMAT_CT) is an error, not a connection
export NATLOG_DB="$TMP/exp.db"
echo 'tcp,orig=(src=10.1.1.2,dst=10.1.1.1,sport=<cleared>,dport=<cleared>),parent=(src=10.1.1.1,dst=10.1.1.2,sport=<cleared>,dport=<cleared>)' > "$TMP/exp.txt"
check_status "an expectation imports as an error" 3 "$NATLOG" import -q "$TMP/exp.txt"
"$NATLOG" errors > "$TMP/e.txt"
check_grep "which says it is an expectation" "a conntrack expectation (dpctl/dump-conntrack-exp)" "$TMP/e.txt"

# the datapath a pasted command names: netdev@ is OVS's userspace table,
# system@ and ovs-dpctl the kernel's
for cmd in "# ovs-appctl dpctl/dump-conntrack -m netdev@ovs-netdev" \
	   "# ovs-appctl dpctl/dump-conntrack -m system@ovs-system" "# ovs-dpctl dump-conntrack -m"; do
	printf '%s\n' "$cmd"
	head -n 1 "$R/antrea-ovs-dump-conntrack-m-s.txt"
done > "$TMP/cmds.txt"
export NATLOG_DB="$TMP/cmds.db"
"$NATLOG" import -q "$TMP/cmds.txt"
eq "the userspace datapath's entry set apart, the kernel's not" "ovs-userspace/netdev@ovs-netdev - -" \
	"$("$NATLOG" sql "SELECT group_concat(ifnull(netns, '-'), ' ') FROM conntrack" | tail -1)"

# sosreport's file for each datapath (ovs-appctl dpctl/dump-conntrack -m
# DP, named by its _mangle_command) in the lab's sosreport of gw, whose
# own conntrack listing is left out: an entry of the host's connection
# 10.77.2.1:41296 -> 10.77.2.2:80, composed from the first -m -s line
# with the lab's addresses and ports
B=$TD/real/sosreport-gw-2026-11-21-nsctlab
OV=sos_commands/openvswitch
line=$(head -n 1 "$R/antrea-ovs-dump-conntrack-m-s.txt" |
	sed -e 's/src=127.0.0.1,dst=127.0.0.1,sport=45218,dport=2379/src=10.77.2.1,dst=10.77.2.2,sport=41296,dport=80/' \
	    -e 's/src=127.0.0.1,dst=127.0.0.1,sport=2379,dport=45218/src=10.77.2.2,dst=10.77.2.1,sport=80,dport=41296/')
for dp in netdev_ovs-netdev system_ovs-system; do
	mkdir -p "$TMP/$dp"
	cp -R "$B/." "$TMP/$dp/"
	rm -r "$TMP/$dp/sos_commands/conntrack"
	mkdir -p "$TMP/$dp/$OV"
	echo "$line" > "$TMP/$dp/$OV/ovs-appctl_dpctl.dump-conntrack_-m_$dp"
done
export NATLOG_DB="$TMP/sos-netdev.db"
"$NATLOG" import -q "$TMP/netdev_ovs-netdev"
eq "its file is read as OVS's dump, its entry the userspace datapath's" "ovs-conntrack ovs-userspace/netdev@ovs-netdev" \
	"$("$NATLOG" sql "SELECT s.kind, c.netns FROM conntrack c JOIN sources s ON s.id = c.source_id" | tail -1 | tr '\t' ' ')"
"$NATLOG" flows > "$TMP/sf.txt"
check_grep "flows: the connection shown in the userspace datapath's table" \
	"^-  *ovs-userspace/netdev@ovs-netdev  *tcp 10.77.2.1:41296 -> 10.77.2.2:80 " "$TMP/sf.txt"
"$NATLOG" flows --json > "$TMP/sf.json"
check_json "flows: the kernel's traced packets not joined to OVS's entry" \
	'[(f["netns"], f["packets"]["traced"]) for f in j if f["orig"]["sport"] == 41296] == [("ovs-userspace/netdev@ovs-netdev", 0), (None, 5)]' < "$TMP/sf.json"
"$NATLOG" traces --json > "$TMP/t.json"
syn=$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(sys.stdin) if p["sport"] == 41296 and p["tcp_flags"] == "SYN"][0])' < "$TMP/t.json")
"$NATLOG" explain --json --trace "$syn" > "$TMP/x.json"
check_json "explain: OVS's entry is evidence that says it is not the kernel's table" \
	'[(e["line"], e["netns"], e["note"]) for e in j["evidence"] if e["source"] == "conntrack"] == [(1, "ovs-userspace/netdev@ovs-netdev", "Open vSwitch userspace datapath netdev@ovs-netdev'"'"'s own conntrack, not the kernel'"'"'s: listed ESTABLISHED, assured")]' < "$TMP/x.json"
export NATLOG_DB="$TMP/sos-system.db"
"$NATLOG" import -q "$TMP/system_ovs-system"
"$NATLOG" explain --json --trace "$syn" > "$TMP/xs.json"
check_json "explain: the kernel datapath's entry is the kernel's table" \
	'[(e["line"], e["netns"], e["note"]) for e in j["evidence"] if e["source"] == "conntrack"] == [(1, None, "listed ESTABLISHED, assured")]' < "$TMP/xs.json"

# a dropped SYN (the lab's first SYN to port 9090, its ten lines alone) and
# an entry of its tuple listed ESTABLISHED (the -m line above with that
# tuple): the kernel datapath's contradicts the drop, the userspace
# datapath's does not and explain says why
L=$TD/lab/docker-legacy
grep 'SPT=35414' "$L/dmesg.txt" | head -n 10 > "$TMP/syn.txt"
est=$(printf '%s\n' "$line" | sed -e 's/src=10.77.2.1,dst=10.77.2.2,sport=41296,dport=80/src=10.77.1.2,dst=10.77.1.1,sport=35414,dport=9090/' \
	-e 's/src=10.77.2.2,dst=10.77.2.1,sport=80,dport=41296/src=10.77.1.1,dst=10.77.1.2,sport=9090,dport=35414/')
for dp in netdev_ovs-netdev system_ovs-system; do
	mkdir -p "$TMP/d-$dp/$OV"
	echo "$est" > "$TMP/d-$dp/$OV/ovs-appctl_dpctl.dump-conntrack_-m_$dp"
done
export NATLOG_DB="$TMP/drop-netdev.db"
"$NATLOG" import -q --host gw "$TMP/syn.txt" "$L/iptables-save.txt" "$TMP/d-netdev_ovs-netdev"
"$NATLOG" traces --json > "$TMP/dt.json"
eq "the userspace datapath's ESTABLISHED entry, read, does not contradict the kernel's drop" \
	"drop FORWARD ovs-userspace/netdev@ovs-netdev" \
	"$(python3 -c 'import json,sys; p=json.load(sys.stdin); print(*[(q["verdict"], q["decided_by"]["chain"]) for q in p][0])' < "$TMP/dt.json") $("$NATLOG" sql "SELECT netns FROM conntrack" | tail -1)"
"$NATLOG" explain --json --trace "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])' < "$TMP/dt.json")" > "$TMP/dx.json"
check_json "explain says the entry is OVS's own table, not the kernel's" \
	'j["contradictions"] == [] and any("userspace datapath netdev@ovs-netdev" in d and "not the kernel" in d for d in j["diagnosis"])' < "$TMP/dx.json"
export NATLOG_DB="$TMP/drop-system.db"
"$NATLOG" import -q --host gw "$TMP/syn.txt" "$L/iptables-save.txt" "$TMP/d-system_ovs-system"
"$NATLOG" traces --json > "$TMP/dt.json"
check_json "the kernel datapath's entry does" '[p["verdict"] for p in j] == ["unknown"]' < "$TMP/dt.json"
finish
