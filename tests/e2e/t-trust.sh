#!/bin/sh
# Trust in the evidence: rule counters that contradict the trace, lost
# kernel-log lines, kernel health lines and sysctls that bear on a packet.
. "$(dirname "$0")/lib.sh"
L=$TD/lab/stale-dump
T=$TD/trust

# 1. counters: the lab's real dump with counters matches its trace
check "import the lab's trace with its counted dump" "$NATLOG" import -q "$L/dmesg.txt" "$L/iptables-save-c.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "real counters contradict no traced rule" \
	'j and all(p["decided_by"]["rule"] for p in j)' < "$TMP/t.json"
rm -f "$NATLOG_DB"*

# the same dump taken after a rule was inserted at the top of DOCKER
check "import the trace with a dump taken after the fix" "$NATLOG" import -q "$L/dmesg.txt" "$T/iptables-save-c.after-fix.txt"
id=$("$NATLOG" traces --json | python3 -c 'import json,sys; print([p["trace"] for p in json.load(sys.stdin) if p["tcp_flags"] == "SYN" and p["dport"] == 8080][0])')
"$NATLOG" explain --json --trace "$id" > "$TMP/x.json"
check_json "the rule with [0:0] is not named as deciding" \
	'j["decided_by"]["chain"] == "DOCKER" and j["decided_by"]["position"] == 1 and j["decided_by"]["rule"] is None' < "$TMP/x.json"
check_json "its step does not match the dump, with the counters as the reason" \
	'[(s["chain"], s["matches_dump"], s["mismatch_reason"]) for s in j["steps"] if not s["matches_dump"]] == [("DOCKER", False, "the dump counts 0 packets for it, yet 1 traced packet hit it")]' < "$TMP/x.json"
check_json "the diagnosis says the chain changed after the trace" \
	'any("changed" in d and "after the trace" in d and "filter:DOCKER:rule:1" in d for d in j["diagnosis"])' < "$TMP/x.json"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "traces shows no rule text for that decision either" \
	'[p["decided_by"]["rule"] for p in j if p["trace"] == "'"$id"'"] == [None]' < "$TMP/t.json"
rm -f "$NATLOG_DB"*

# the dump first, the log in a later import: the log's analysis counts its own hits
check "import the dump taken after the fix" "$NATLOG" import -q "$T/iptables-save-c.after-fix.txt"
check "then the trace" "$NATLOG" import -q "$L/dmesg.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the stored decision names no rule text either" \
	'[p["decided_by"]["rule"] for p in j if p["trace"] == "'"$id"'"] == [None]' < "$TMP/t.json"
rm -f "$NATLOG_DB"*

# nft counters, text and JSON: the lab's real dump, then as after 'nft reset counters'
N=$TD/lab/ipv6
check "import the lab's nft trace with its counted dump" "$NATLOG" import -q "$N/nft-monitor-trace-a.txt" "$N/nft-ruleset.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "real nft counters contradict no traced rule" \
	'j and all(p["decided_by"]["rule"] for p in j)' < "$TMP/t.json"
rm -f "$NATLOG_DB"*
sed 's/counter packets 1 bytes 80 accept # handle 3/counter packets 0 bytes 0 accept # handle 3/' \
	"$N/nft-ruleset.txt" > "$TMP/reset.nft"
sed 's/"counter": {"packets": 1, "bytes": 80}/"counter": {"packets": 0, "bytes": 0}/' \
	"$N/nft-ruleset.json" > "$TMP/reset.json"
for d in reset.nft reset.json; do
	check "import the nft trace with $d" "$NATLOG" import -q "$N/nft-monitor-trace-a.txt" "$TMP/$d"
	"$NATLOG" explain --json --trace d7b7a4a4 > "$TMP/x.json"
	check_json "$d: the rule with handle 3 counting 0 packets does not decide" \
		'j["decided_by"]["handle"] == 3 and j["decided_by"]["rule"] is None and any("handle 3" in d and "after the trace" in d for d in j["diagnosis"])' < "$TMP/x.json"
	rm -f "$NATLOG_DB"*
done

# 2. completeness: real lines that say lines were lost, and kernel health lines
"$NATLOG" import "$T/kernel-real.dmesg" "$T/syslog-real.log" 2> "$TMP/sum"
check_grep "the import summary counts the loss lines and what they lost" \
	"3 log lines say that lines were lost (4505770 in all" "$TMP/sum"
check_grep "and the kernel health lines" "2 kernel lines say that the kernel dropped packets" "$TMP/sum"
"$NATLOG" sql --json "SELECT kind, origin, host, count, port, line FROM notices ORDER BY id" > "$TMP/n.json"
check_json "kernel, journald and rsyslog lines are kept with host, count and line" \
	'[(r["kind"], r["origin"], r["host"], r["count"], r["port"], r["line"]) for r in j] == [("conntrack-full", "kernel", None, None, None, 1), ("loss", "kernel", None, 83, None, 2), ("syn-flood", "kernel", None, None, 8080, 3), ("loss", "journald", "pluto", 4499764, None, 1), ("loss", "rsyslog", "CTBC013", 5923, None, 2)]' < "$TMP/n.json"
rm -f "$NATLOG_DB"*

# the lab's trace with lost lines, health lines and its host's sysctls
check "import a trace with lost lines and a sysctl listing" "$NATLOG" import -q "$T/lossy.dmesg" \
	"$L/iptables-save-c.txt" "$T/lab-gw.sysctl"
"$NATLOG" traces --json > "$TMP/t.json"
pick() { python3 -c 'import json,sys; print([p["trace"] for p in json.load(open(sys.argv[1])) if p["time"].startswith(sys.argv[2])][0])' "$TMP/t.json" "$1"; }
"$NATLOG" explain --json --trace "$(pick 1642.645623)" > "$TMP/a.json"
check_json "a loss line inside a packet's trace makes it possibly incomplete" \
	'[(l["line"], l["count"]) for l in j["losses"]] == [(8, 312)] and any("lost while this packet was traced" in d and "may be incomplete" in d for d in j["diagnosis"])' < "$TMP/a.json"
check_json "a SYN to the flooded port says so" \
	'any("possible SYN flood on port 80" in d for d in j["diagnosis"])' < "$TMP/a.json"
check_json "ip_forward = 0 under a forwarded packet: the listing is from another time" \
	'any(d.startswith("net.ipv4.ip_forward = 0") and "another time" in d for d in j["diagnosis"])' < "$TMP/a.json"
"$NATLOG" explain --json --trace "$(pick 1643.712709)" > "$TMP/c.json"
check_json "a trace cut in prerouting, with a loss line just after, may be incomplete" \
	'[l["line"] for l in j["losses"]] == [49] and any(d.startswith("the trace stops where nothing decides") for d in j["diagnosis"])' < "$TMP/c.json"
check_json "the conntrack table full line bears on it" \
	'any(d.startswith("the conntrack table was full") for d in j["diagnosis"])' < "$TMP/c.json"
check_json "strict rp_filter on its input interface is named" \
	'any(d.startswith("strict reverse-path filtering is on for eth0 (net.ipv4.conf.eth0.rp_filter = 1") for d in j["diagnosis"])' < "$TMP/c.json"
"$NATLOG" explain --json --trace "$(pick 1642.706387)" > "$TMP/d.json"
check_json "a packet a rule dropped gets neither the loss nor the health lines" \
	'j["losses"] == [] and not any("conntrack table" in d or "SYN flood" in d or "reverse-path" in d for d in j["diagnosis"])' < "$TMP/d.json"
check_json "no namespace dump, no nf_log_all_netns diagnosis" \
	'not any("nf_log_all_netns" in d for d in j["diagnosis"])' < "$TMP/d.json"
"$NATLOG" import "$T/namespaces/ctr1/ip_netns_exec_ctr1_iptables-save" 2> "$TMP/sum"
check_grep "the summary says why the namespace's traces are missing" \
	"nf_log_all_netns = 0 on a host whose network namespaces' rulesets were dumped" "$TMP/sum"
"$NATLOG" explain --json --trace "$(pick 1642.706387)" > "$TMP/d.json"
check_json "nf_log_all_netns = 0 with a namespace's dump explains the missing traces" \
	'any(d.startswith("net.netfilter.nf_log_all_netns = 0") and "namespaces" in d for d in j["diagnosis"])' < "$TMP/d.json"
rm -f "$NATLOG_DB"*

# a trace that stops at its DNAT rule, on a host that does not forward
sed -n '/^\[ 1644\.7367/p;/^\[ 1644\.736792\]/q' "$L/dmesg.txt" > "$TMP/dnat.dmesg"
check "import a trace that stops at its DNAT rule" "$NATLOG" import -q "$TMP/dnat.dmesg" \
	"$L/iptables-save-c.txt" "$T/lab-gw.sysctl"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])')" > "$TMP/f.json"
check_json "ip_forward = 0 explains where the DNATed packet went" \
	'any(d.startswith("net.ipv4.ip_forward = 0") and "after DNAT to 10.77.2.2:8081 (nat:DOCKER:rule:4)" in d for d in j["diagnosis"])' < "$TMP/f.json"
rm -f "$NATLOG_DB"*

# conntrack's sysctls, on the lab's invalid packets (host natlog-lab)
C=$TD/lab/ct-invalid
grep -v 'nf_ct_proto_' "$C/dmesg.txt" > "$TMP/noct.dmesg"
check "import invalid packets without conntrack's lines" "$NATLOG" import -q --host natlog-lab \
	"$TMP/noct.dmesg" "$C/iptables-save.txt" "$T/lab-gw.sysctl"
id=$("$NATLOG" traces --json | python3 -c 'import json,sys; print([p["trace"] for p in json.load(sys.stdin) if p["decided_by"]["rule"] and "INVALID" in p["decided_by"]["rule"]][0])')
"$NATLOG" explain --json --trace "$id" > "$TMP/i.json"
check_json "nf_conntrack_log_invalid = 0 is why no line says why it was invalid" \
	'any(d.startswith("net.netfilter.nf_conntrack_log_invalid = 0") for d in j["diagnosis"])' < "$TMP/i.json"
check_json "and nf_conntrack_tcp_be_liberal = 0 is named for a TCP packet" \
	'any(d.startswith("net.netfilter.nf_conntrack_tcp_be_liberal = 0") for d in j["diagnosis"])' < "$TMP/i.json"
rm -f "$NATLOG_DB"*

# a real sosreport's sysctl -a layout
check "import a sosreport's sysctl_-a" "$NATLOG" import -q "$T/sosreport-coreos/sos_commands/kernel/sysctl_-a"
"$NATLOG" sql --json "SELECT name, value, line FROM sysctls ORDER BY id" > "$TMP/s.json"
check_json "every name = value line is kept, tabs and empty values too" \
	'len(j) == 22 and {"name": "net.ipv4.ip_local_port_range", "value": "32768\t60999", "line": 16} in j and {"name": "dev.cdrom.info", "value": "", "line": 4} in j and {"name": "net.netfilter.nf_log_all_netns", "value": "0", "line": 22} in j' < "$TMP/s.json"
"$NATLOG" sources --json > "$TMP/src.json"
check_json "its error line is skipped, not an error" \
	'j[0]["kind"] == "sysctl" and j[0]["errors"] == 0' < "$TMP/src.json"
rm -f "$NATLOG_DB"*

# a copy of a single /proc/sys file in a bundle: its path names the sysctl
b=sosreport-gw1-2026-11-21-abcdefg
mkdir -p "$TMP/$b/proc/sys/net/ipv4"
echo 0 > "$TMP/$b/proc/sys/net/ipv4/ip_forward"
tar -C "$TMP" -czf "$TMP/bundle.tar.gz" "$b"
check "import a bundle with proc/sys/net/ipv4/ip_forward" "$NATLOG" import -q "$TMP/bundle.tar.gz"
"$NATLOG" sql --json "SELECT host, name, value FROM sysctls" > "$TMP/s.json"
check_json "it is net.ipv4.ip_forward = 0 of the bundle's host" \
	'j == [{"host": "gw1", "name": "net.ipv4.ip_forward", "value": "0"}]' < "$TMP/s.json"
finish
