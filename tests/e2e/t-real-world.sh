#!/bin/sh
# Real third-party pastes (testdata/real/, sources in its README): natlog
# reaches the conclusion the thread or article reached, or says it cannot
# tell. One store per case.
. "$(dirname "$0")/lib.sh"
R=$TD/real

use() { export NATLOG_DB="$TMP/$1.db"; }
first_id() { python3 -c 'import json,sys; j=json.load(sys.stdin); print([p["trace"] for p in j if p["source"] != "log"][0] if sys.argv[1] == "traced" else j[0]["trace"])' "$1"; }

# 1. Kubernetes pod DNS (maelvls' notes): column-aligned TRACE lines. The
# article found the query DNATed to a stale kube-dns endpoint, 10.24.9.3,
# and sent out of eth0.
use k8s
check "column-aligned TRACE lines import without error" "$NATLOG" import -q "$R/k8s-stale-dns-trace.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "all 22 lines are one packet" 'len(j) == 1 and j[0]["src"] == "10.24.10.2" and j[0]["dport"] == 53' < "$TMP/t.json"
"$NATLOG" explain --json --trace "$(first_id traced < "$TMP/t.json")" > "$TMP/x.json"
check_json "its journey has every line, the aligned fields read" \
	'len(j["steps"]) == 22 and j["steps"][0]["packet"]["iif"] == "cbr0" and j["steps"][-1]["chain"] == "POSTROUTING"' < "$TMP/x.json"
check_json "the DNAT to the stale endpoint 10.24.9.3 is found, by the KUBE-SEP rule" \
	'[(n["to"], n["chain"]) for n in j["nat"]] == [("10.24.9.3:53", "KUBE-SEP-MQYG7Z5PYI3N6YFY")]' < "$TMP/x.json"

# 2. The same article's LOG lines, garbled in the paste (PHYSILEN=) and
# column-aligned: each is a logged packet, addresses unknown where missing.
use garbled
check "garbled LOG lines import without error" "$NATLOG" import -q "$R/k8s-nat-log-garbled.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "four logged packets, the aligned one with its addresses" \
	'[p["logged"] for p in j] == [True] * 4 and [p["src"] for p in j] == [None, None, None, "10.24.10.2"] and j[3]["dst"] == "10.24.9.10"' < "$TMP/t.json"

# 3. ufw-docker issue 156: a [UFW DOCKER BLOCK] line with MAC and source
# blanked out, and ufw-docker's after.rules. The block is its logging-deny
# chain: LOG, then an unconditional DROP.
use ufw
check "a redacted UFW DOCKER BLOCK line imports" "$NATLOG" import -q "$R/ufw-docker-block.log" "$R/ufw-docker-after.rules"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "it is listed as logged, the blanked source unknown" \
	'len(j) == 1 and j[0]["logged"] and j[0]["log_prefix"] == "[UFW DOCKER BLOCK]" and j[0]["src"] is None and j[0]["dst"] == "198.51.100.3" and j[0]["verdict"] == "unknown"' < "$TMP/t.json"
"$NATLOG" explain --json --trace "$(first_id any < "$TMP/t.json")" > "$TMP/x.json"
check_json "explain names the LOG rule and the DROP after it" \
	'any(d.startswith("logged by filter:ufw-docker-logging-deny:rule:1 ") for d in j["diagnosis"]) and any("ufw-docker-logging-deny:rule:2 (-A ufw-docker-logging-deny -j DROP), matches every packet" in d for d in j["diagnosis"])' < "$TMP/x.json"
"$NATLOG" explain --trace "$(first_id any < "$TMP/t.json")" > "$TMP/x.txt"
check_grep "the text says the verdict is unknown: only logged" "verdict: unknown (only logged, not traced)" "$TMP/x.txt"

# 4. firehol issue 233: "BLOCKED INVALID" with the prefix glued to IN=, an
# ICMP time-exceeded quoting the packet. Without the ruleset natlog cannot
# tell which rule logged it, and says so.
use firehol
check "firehol's line imports" "$NATLOG" import -q "$R/firehol-blocked-invalid.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "logged ICMP time exceeded from ppp0's side, prefix up to IN=" \
	'len(j) == 1 and j[0]["proto"] == "icmp" and j[0]["icmp_type"] == 11 and j[0]["log_prefix"] == "firehol: BLOCKED INVALID out_"' < "$TMP/t.json"
"$NATLOG" explain --json --trace "$(first_id any < "$TMP/t.json")" > "$TMP/x.json"
check_json "explain says it cannot tell which rule logged it" \
	'any("cannot tell which rule logged it" in d for d in j["diagnosis"])' < "$TMP/x.json"

# 5. fwbuilder issue 107: IPv6 LOG lines with addresses and MAC blanked
# out. The thread: the SSH server's SYN-ACK was called INVALID and denied.
use fwb
check "redacted IPv6 LOG lines import without error" "$NATLOG" import -q "$R/fwbuilder-ipv6-invalid.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "both are IPv6 packets with unknown addresses, the reply denied as INVALID" \
	'[p["family"] for p in j] == ["ip6", "ip6"] and j[0]["src"] is None and j[1]["sport"] == 22 and j[1]["tcp_flags"] == "ACK SYN" and j[1]["log_prefix"] == "INVALID state -- DENY"' < "$TMP/t.json"

# 6. OpenWrt issue 19359: a conntrack line with MAC= and DST= empty (the
# copy ends inside the TCP part).
use owrt
check "the conntrack line imports" "$NATLOG" import -q "$R/openwrt-ct-invalid.log"
"$NATLOG" invalid --json > "$TMP/i.json"
check_json "its reason is kept, the blank destination unknown" \
	'len(j) == 1 and j[0]["reason"] == "3312 bytes more than expected" and j[0]["src"] == "149.112.112.112" and j[0]["dst"] is None and j[0]["proto"] == "tcp"' < "$TMP/i.json"

# 7. The conntrack troubleshooting article (Fedora Magazine, seed 001):
# lines without IN=/OUT= and PROTO=.
use fedora
check "conntrack lines without IN= and PROTO= import" "$NATLOG" import -q "$R/fedora-ct-troubleshooting.log"
"$NATLOG" invalid --json > "$TMP/i.json"
check_json "both reasons, TCP from the tracker's number, ports read" \
	'[e["reason"] for e in j] == ["invalid packet ignored in state ESTABLISHED", "ACK is over the upper bound (ACKed data not seen yet)"] and [e["proto"] for e in j] == ["tcp", "tcp"] and j[1]["sport"] == 443' < "$TMP/i.json"

# 8. The xtables-monitor man page: "ID=38349DF" (no space), family 0 on the
# PACKET line. The page: the packet was dropped by filter INPUT's policy.
use xtman
check "the man page's output imports without error" "$NATLOG" import -q "$R/xtables-monitor-manpage.txt"
"$NATLOG" explain --json --trace fc475095 > "$TMP/x.json"
check_json "dropped by the INPUT policy, as the man page says" \
	'j["verdict"] == "drop" and j["decided_by"]["table"] == "filter" and j["decided_by"]["chain"] == "INPUT" and j["decided_by"]["type"] == "policy"' < "$TMP/x.json"
check_json "the packet line after its rule line gives the tuple, ICMP by the rule's -p icmp" \
	'j["src"] == "127.0.0.1" and j["proto"] == "icmp" and j["ip_id"] == 38349' < "$TMP/x.json"
"$NATLOG" explain --trace fc475095 > "$TMP/x.txt"
check_grep "the rule is named by its handle" "ip raw PREROUTING rule handle 3" "$TMP/x.txt"

# 9. trafficjam issue 39: iptables-legacy -v -L (no -n: anywhere, any,
# service names), FORWARD policy DROP.
use tj
check "the -v -L listing imports" "$NATLOG" import -q "$R/trafficjam-iptables-legacy-v-L.txt"
"$NATLOG" sql "SELECT name || '=' || coalesce(policy, '-') FROM chains ORDER BY id" > "$TMP/c.txt"
check_grep "FORWARD's policy is DROP" "^FORWARD=DROP$" "$TMP/c.txt"
"$NATLOG" sql "SELECT dport_lo FROM rules WHERE chain = 'DOCKER' AND position = 3" > "$TMP/r.txt"
check_grep "dpt:https is port 443" "^443$" "$TMP/r.txt"

# 10. moby issue 49556: ip6tables -nvL -t raw, protocol as a number; the
# thread suspects this DROP rule of blocking direct routing to port 80.
use moby
check "the ip6tables raw listing imports" "$NATLOG" import -q "$R/ip6tables-nvL-t-raw.txt"
"$NATLOG" sql "SELECT r.tbl, rs.family, r.target, r.proto, r.dst, r.dport_lo FROM rules r JOIN rulesets rs ON rs.id = r.ruleset_id" > "$TMP/r.txt"
check_grep "raw, IPv6, DROP tcp to fd71:4ad6:b95c::2 port 80" "^raw	6	DROP	6	fd71:4ad6:b95c::2	80$" "$TMP/r.txt"

# 11. synology-docker issue 8: a numbered listing with rows left out
# ("5  ..."): reported, and counted as rule 5.
use syno
check_status "the elided row is an error, the rest imports" 3 "$NATLOG" import -q "$R/synology-iptables-L-line-numbers.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the error names line 18" '[e["line"] for e in j] == [18]' < "$TMP/e.json"
"$NATLOG" sql "SELECT position || ' ' || target FROM rules WHERE chain = 'DOCKER' ORDER BY position" > "$TMP/r.txt"
check_grep "rule 5 is kept with an unknown target" "^5 ?$" "$TMP/r.txt"

# 12. ss-tproxy issue 104: TRACE lines without any envelope, and the raw
# table listed with --line-numbers, an address replaced by a placeholder.
use sst
check "the trace and the listing import" "$NATLOG" import -q "$R/ss-tproxy-trace.txt" "$R/ss-tproxy-iptables-t-raw-L.txt"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json | first_id traced)" > "$TMP/x.json"
check_json "raw:PREROUTING:policy:3 is the policy after the listing's two rules" \
	'j["steps"][0]["rule"] == "policy ACCEPT" and j["steps"][0]["matches_dump"] and not any("raw" in d for d in j["diagnosis"])' < "$TMP/x.json"

# 13. pivpn issue 29: iptables -L without -v: "(policy DROP)" with no
# counters after it, and ufw's chains.
use pivpn
check "the -L listing imports" "$NATLOG" import -q "$R/pivpn-iptables-L.txt"
"$NATLOG" sql "SELECT tbl || ' ' || name || '=' || coalesce(policy, '-') FROM chains ORDER BY id" > "$TMP/c.txt"
check_grep "INPUT's policy is DROP, not 'DROP)'" "^filter INPUT=DROP$" "$TMP/c.txt"
check_grep "FORWARD's is ACCEPT" "^filter FORWARD=ACCEPT$" "$TMP/c.txt"

# 14. Eric Leblond's post on ICMP errors and NAT, as a copy of it has the
# dmesg lines: run together on one line. The post: DNAT of 1.2.3.4 to
# 192.168.42.4 by nat:PREROUTING:rule:2, then filter FORWARD.
use regit
check "four kernel records on one line import" "$NATLOG" import -q "$R/regit-icmp-nat-flattened.log"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json | first_id traced)" > "$TMP/x.json"
check_json "each record is a step, the last one in FORWARD after the DNAT" \
	'[s["chain"] for s in j["steps"]] == ["PREROUTING", "PREROUTING", "PREROUTING", "FORWARD"] and j["steps"][3]["packet"]["dst"] == "192.168.42.4"' < "$TMP/x.json"
check_json "the DNAT is found, by nat:PREROUTING:rule:2" \
	'[(n["to"], n["chain"], n["position"]) for n in j["nat"]] == [("192.168.42.4", "PREROUTING", 2)]' < "$TMP/x.json"

# 15. "Docker 与 systemd-networkd" (2015): addresses blanked as xxx, and the
# mangle table listed. The second ping reply is accepted at PREROUTING and
# never seen again: systemd-networkd had turned forwarding off, so routing
# dropped it. Not an accept.
use networkd
check "the trace and the mangle listing import" "$NATLOG" import -q "$R/docker-networkd-trace.log" "$R/docker-networkd-mangle-nL.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the reply forwarded to docker0 is accepted, the lost one is unknown" \
	'[(p["ip_id"], p["verdict"]) for p in j] == [(60758, "accept"), (60797, "unknown")]' < "$TMP/t.json"
"$NATLOG" explain --json --trace "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[1]["trace"])' < "$TMP/t.json")" > "$TMP/x.json"
check_json "explain says it was dropped after PREROUTING outside iptables, or lines were lost" \
	'j["decided_by"] is None and any("let the packet through at PREROUTING and the trace ends there" in d and "table mangle" in d and "forwarding off" in d for d in j["diagnosis"])' < "$TMP/x.json"

# 16. Shorewall FAQ 85: a LOG line indented as a quote and wrapped over
# three lines. The FAQ: a LAN host's DNS query arrived on the net side.
use shorewall
check_status "the wrapped rest of the line is reported, not read as packets" 3 "$NATLOG" import -q "$R/shorewall-faq85-wrapped.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "one logged packet, its prefix and interface read under the indented header" \
	'len(j) == 1 and j[0]["log_prefix"] == "Shorewall:net2fw:DROP:" and j[0]["host"] == "fw22"' < "$TMP/t.json"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "lines 2 and 3 are errors: the rest of a line broken in two" \
	'[e["line"] for e in j] == [2, 3] and all("broken in two" in e["reason"] for e in j)' < "$TMP/e.json"

# 17. OpenWrt issue 19814: the IPv4 trace as posted, which ends with the
# packet: line of mangle_prerouting after raw_prerouting's policy accept.
# The thread: the packet was dropped later, in drop_from_wan.
use owrt19814
check "the fw4 trace imports" "$NATLOG" import -q "$R/openwrt-19814-trace.txt"
"$NATLOG" explain --json --trace efb1d592 > "$TMP/x.json"
check_json "raw_prerouting's accept is not taken as the verdict" \
	'j["verdict"] == "unknown" and j["decided_by"] is None' < "$TMP/x.json"
check_json "the journey ends with the packet entering mangle_prerouting" \
	'j["steps"][-1]["chain"] == "mangle_prerouting" and j["steps"][-1]["type"] == "packet" and any("enters inet fw4 mangle_prerouting (line 5)" in d for d in j["diagnosis"])' < "$TMP/x.json"

# 18. aojea/nftrace's README: its last trace is cut after its packet: line.
use nftrace
check "the README's trace imports" "$NATLOG" import -q "$R/aojea-nftrace-readme.trace"
"$NATLOG" explain --json --trace 03e7a3e4 > "$TMP/x.json"
check_json "the cut packet's journey is its packet: line, with where it was read" \
	'len(j["steps"]) == 1 and j["steps"][0]["type"] == "packet" and j["steps"][0]["line"] == 12 and j["verdict"] == "unknown"' < "$TMP/x.json"
"$NATLOG" explain --json --trace 8974f599 > "$TMP/x.json"
check_json "the whole one is accepted by ip filter INPUT's policy" \
	'j["verdict"] == "accept" and j["decided_by"]["chain"] == "INPUT" and j["decided_by"]["type"] == "policy"' < "$TMP/x.json"
# 19. firewalld issue 527: the first lines of a trace, all in the chain
# that turns tracing on. The thread: the packet was rejected later, by
# filter_FWD_public_REJECT.
use fw527
check "the trace_chain lines import" "$NATLOG" import -q "$R/firewalld-527-trace-chain.trace"
"$NATLOG" explain --json --trace cb6bc762 > "$TMP/x.json"
check_json "trace_chain's policy accept is not taken as the verdict" \
	'j["verdict"] == "unknown" and any("whose rules turn tracing on" in d for d in j["diagnosis"])' < "$TMP/x.json"

# 20. netdata issue 2047: FireHOL's LOG lines as ulogd writes them, with
# the prefix where syslog puts a program's tag; the first line is the
# tail of one the poster cut.
use ulogd
check_status "ulogd's lines import, the cut tail an error (exit 3)" 3 "$NATLOG" import -q "$R/netdata-firehol-ulogd.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "two logged packets, prefix IN-work:, host box" \
	'[(p["log_prefix"], p["host"], p["dport"]) for p in j] == [("IN-work:", "box", 137)] * 2' < "$TMP/t.json"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "line 1 is the rest of a line broken in two" \
	'[e["line"] for e in j] == [1] and "broken in two" in j[0]["reason"]' < "$TMP/e.json"

# 21. docker/for-linux issue 1353: a bridge-family trace with an ARP reply
# and a packet whose lines show no headers: no IP version is made up.
use arp
check "the bridge trace imports" "$NATLOG" import -q "$R/docker-1353-bridge-arp.trace"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the ARP reply and the header-less packet have no family; the TCP SYN is ip" \
	'[(p["trace"], p["family"]) for p in j] == [("d91c35db", None), ("13ca8ca9", None), ("a0369369", "ip")]' < "$TMP/t.json"
"$NATLOG" explain --trace 13ca8ca9 > "$TMP/x.txt"
check_grep "explain says no IP header was seen, not IPv4" "no IP header seen" "$TMP/x.txt"

# 22. OpenWrt issue 19359: a trace pasted from inside, a policy line before
# the packet: line that shows the TCP packet.
use hairpin
check "the trace imports" "$NATLOG" import -q "$R/openwrt-19359-hairpin.trace"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the packet takes its headers from the packet: line" \
	'len(j) == 1 and (j[0]["family"], j[0]["proto"], j[0]["src"], j[0]["sport"], j[0]["dst"], j[0]["dport"]) == ("ip", "tcp", "192.168.2.84", 62702, "34.218.107.222", 443)' < "$TMP/t.json"

# 23. k8s-svc-trace: xtables-monitor --trace of a SYN to a ClusterIP on
# k3s with Calico: DNAT by a KUBE-SEP chain, then MASQUERADE, which the
# monitor prints as an iptables rule ("-j MASQUERADE").
use calico
check "the xtables trace imports" "$NATLOG" import -q "$R/k3s-calico-xtables-trace.txt"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json | first_id traced)" > "$TMP/x.json"
check_json "the DNAT to the pod and the MASQUERADE after it are both found" \
	'[(n["kind"], n["chain"]) for n in j["nat"]] == [("DNAT", "KUBE-SEP-OYNVDBAPYJ623W6H"), ("MASQUERADE", "cali-POSTROUTING")] and j["nat"][0]["to"] == "10.42.54.194:9898"' < "$TMP/x.json"
check_json "without a dump, each step's hook is its built-in chain's" \
	'j["steps"][0]["hook"] == "output" and all(s["hook"] in ("output", "postrouting") for s in j["steps"])' < "$TMP/x.json"

# 24. kubernetes issue 66454: iptables-save v1.4.21 pasted with every line
# tab-indented; our copy ends inside *nat, before its COMMIT.
use k66454
check_status "the indented dump imports; the missing COMMIT is an error (exit 3)" 3 "$NATLOG" import -q "$R/k8s-66454-iptables-save-indented.txt"
"$NATLOG" sql "SELECT tbl || ' ' || name || ' ' || rules FROM chains WHERE rules > 0 ORDER BY id" > "$TMP/c.txt"
check_grep "its rules are read under the indent" "^nat POSTROUTING 4$" "$TMP/c.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the error is at the last line, naming the table left open" \
	'[(e["line"], "ends inside *nat (line 13) without its COMMIT" in e["reason"]) for e in j] == [(30, True)]' < "$TMP/e.json"

# 25. jc's fixture of iptables -nvL on CentOS 7 (firewalld and Docker):
# firewalld dispatches to its zones with -g, which the listing prints as
# "[goto]".
use goto
check "the listing imports" "$NATLOG" import -q "$R/jc-centos7-iptables-filter-nv.txt"
"$NATLOG" sql "SELECT chain || ':' || position || ':' || target || ':' || is_goto FROM rules WHERE chain IN ('INPUT_ZONES', 'FORWARD') ORDER BY chain, position" > "$TMP/g.txt"
check_grep "INPUT_ZONES' rules are gotos" "^INPUT_ZONES:1:IN_public:1$" "$TMP/g.txt"
check_grep "FORWARD's jumps are not" "^FORWARD:10:FORWARD_IN_ZONES:0$" "$TMP/g.txt"

# 26. v6brouter issue 7: an old ip6tables -L, blanks where opt is.
use v6old
check "the listing imports without error" "$NATLOG" import -q "$R/v6brouter-ip6tables-L-filter.txt"
"$NATLOG" sql "SELECT position || ':' || target || ':' || coalesce(proto, '-') || ':' || coalesce(dport_lo, '-') FROM rules WHERE chain = 'forwarding_rule' ORDER BY position" > "$TMP/r.txt"
check_grep "its rows keep target, protocol and port" "^5:ACCEPT:6:22$" "$TMP/r.txt"
check_grep "ipv6-icmp is protocol 58" "^4:ACCEPT:58:-$" "$TMP/r.txt"

# 27. kubernetes issue 101607: conntrack entries DNATed to an endpoint that
# never answered; [UNREPLIED] is what the thread looked at.
use unreplied
check_status "the entries import, the prose between them an error (exit 3)" 3 "$NATLOG" import -q "$R/k8s-101607-conntrack-L-unreplied.txt"
"$NATLOG" flows > "$TMP/f.txt"
check_grep "flows marks them [UNREPLIED]" "SYN_SENT \\[UNREPLIED\\]" "$TMP/f.txt"
"$NATLOG" summary > "$TMP/s.txt"
check_grep "and summary counts them as never answered" "conntrack: 2 records, 1 with DNAT, 2 with SNAT, 2 never answered$" "$TMP/s.txt"
"$NATLOG" summary --json > "$TMP/s.json"
check_json "as the JSON does" 'j["nat"]["conntrack_unanswered"] == 2' < "$TMP/s.json"

# 28. LKML, 2001: a kernel's "table full" line pasted among conntrack
# entries and netstat lines is the kernel line it is, not a broken entry.
use lkml2001
check_status "the paste imports, what is neither an error (exit 3)" 3 "$NATLOG" import -q "$R/lkml-2001-ip-conntrack-table-full.txt"
"$NATLOG" sql "SELECT kind || ' ' || line || ' ' || host FROM notices" > "$TMP/n.txt"
check_grep "line 15 is a conntrack-full notice of host doom" "^conntrack-full 15 doom$" "$TMP/n.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "and not an error; the entry the mail broke is one" \
	'15 not in [e["line"] for e in j] and any(e["line"] == 19 and e["reason"] == "unexpected '"'"'1'"'"'" for e in j)' < "$TMP/e.json"

# 29. netavark issue 1057: iptables-nft's tables as nft lists them, their
# targets as compat extensions (xt target "DNAT").
use xt
check_status "the ruleset imports, our copy's cut an error (exit 3)" 3 "$NATLOG" import -q "$R/netavark-1057-nft-xt-targets.nft"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the cut is reported at the last line, naming the open table" \
	'[(e["line"], e["reason"]) for e in j] == [(26, "the dump ends inside table ip nat (line 2): what it held after this line is not in it")]' < "$TMP/e.json"
"$NATLOG" sql "SELECT DISTINCT target FROM rules WHERE text LIKE '%xt target%' ORDER BY 1" > "$TMP/t.txt"
check_grep "xt target DNAT is a dnat" "^dnat$" "$TMP/t.txt"
check_grep "MASQUERADE a masquerade" "^masquerade$" "$TMP/t.txt"
check_grep "and MARK keeps its name" "^MARK$" "$TMP/t.txt"

# LOG lines of one packet logged by several rules are one packet (netdev
# 2021: "DNAT: " before DNAT, "FWD: " in FORWARD); packets alike but for
# the IP ID stay apart (asuswrt-merlin #1328, DShield #101).
use dnatfwd
check "the netdev DNAT/FWD lines import" "$NATLOG" import -q "$R/netdev-2021-dnat-fwd-log.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "three lines, two packets: the first logged before and after DNAT" \
	'len(j) == 2 and [p["ip_id"] for p in j] == [32612, 32613] and all(p["source"] == "log" for p in j)' < "$TMP/t.json"
"$NATLOG" explain --json --trace "$(first_id any < "$TMP/t.json")" > "$TMP/x.json"
check_json "explain shows both its lines and the destination NAT rewrote" \
	'[e["prefix"] for e in j["evidence"] if e["source"] == "log"] == ["DNAT: ", "FWD: "] and any(d.startswith("its destination was 37.34.63.177:161 at LOG \x27DNAT: \x27 (line 1) and 192.168.4.2:161 at LOG \x27FWD: \x27 (line 2)") for d in j["diagnosis"])' < "$TMP/x.json"
use lijiaocn
check "lijiaocn's LOG lines of every chain import" "$NATLOG" import -q "$R/lijiaocn-calico-log-chain-110.log" "$R/lijiaocn-calico-log-chain-107.log" "$R/lijiaocn-flannel-output-dnat.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "five lines an echo reply (IP ID 0) on each node, six and six a local SYN: four packets" \
	'sorted((p["host"], p["ip_id"]) for p in j) == [("dev-slave-107", 0), ("dev-slave-110", 0), ("slave1", 23666), ("slave1", 46455)]' < "$TMP/t.json"
syn=$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(open(sys.argv[1])) if p["ip_id"] == 46455][0])' "$TMP/t.json")
"$NATLOG" explain --json --trace "$syn" > "$TMP/x.json"
check_json "the SYN DNATed in nat OUTPUT and routed out of flannel0 after it keeps its six lines" \
	'len([e for e in j["evidence"] if e["source"] == "log"]) == 6 and any(d.startswith("its destination was 10.254.51.153:80 ") and "192.168.67.4:8082" in d for d in j["diagnosis"])' < "$TMP/x.json"
use apart
check "lines of SYNs and UDP packets alike import" "$NATLOG" import -q "$R/asuswrt-merlin-1328-drop.log" "$R/dshield-101-same-second.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "each of the eight lines is a packet of its own" \
	'len(j) == 8 and len({(p["ip_id"], p["sport"]) for p in j}) == 8' < "$TMP/t.json"

# RHEL 8's documented nftrace procedure: the traced rule itself accepts
# ("tcp dport ssh nftrace set 1 accept"), and nft printed the port's
# service name. The accept is the verdict (with no later base chain in
# the dump), the port 22; the dump is the one listed before the rule was
# replaced with its tracing form, and explain says it does not match.
use rhel
check "the RHEL trace and its listing import" "$NATLOG" import -q "$R/rhel8-nftrace-accept.trace" "$R/rhel8-nftrace-ruleset.nft"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the SYN to ssh (22) was accepted by the tracing rule" \
	'len(j) == 1 and j[0]["verdict"] == "accept" and j[0]["dport"] == 22' < "$TMP/t.json"
check_status "traces --port 22 finds it" 0 "$NATLOG" traces --port 22
"$NATLOG" explain --json --trace 3c5eb15e > "$TMP/x.json"
eq "the listing's 'tcp dport ssh' is port 22" "22-22" \
	"$("$NATLOG" sql "SELECT dport_lo || '-' || dport_hi FROM rules WHERE text = 'tcp dport ssh accept'" | tail -1)"
"$NATLOG" explain --trace 3c5eb15e > "$TMP/x.txt"
check_grep "explain names the packet: line the packet starts at" "from .*rhel8-nftrace-accept.trace line 1$" "$TMP/x.txt"
check_json "explain says the dump has no such rule" \
	'any("has no rule \x27tcp dport ssh nftrace set 1 accept\x27 in the dump" in d for d in j["diagnosis"])' < "$TMP/x.json"

# Traces and conntrack events quoted in mails ("> trace id ...", "> > [NEW]
# tcp ...") or indented: read as the lines they quote. netfilter-devel
# 2024: a NAT66 flow's events quoted twice; 2025: a trace abridged with
# "[..]", whose conntrack line has lost its packet line (an error, never
# a skip). And a lab trace indented and quoted gives the same packets as
# the trace itself.
use quoted
check "conntrack -E quoted twice imports" "$NATLOG" import -q "$R/nfdevel-2024-flowtable-E-quoted.txt"
"$NATLOG" flows --json > "$TMP/f.json"
check_json "its flow: NAT66 source NAT, one NEW, five UPDATEs, one DESTROY" \
	'len(j) == 1 and j[0]["nat"] == "snat" and j[0]["translated"]["src"] == "2003:a:c7f:e5e8:a3ae:63f7:7f92:e286" and j[0]["events"] == {"new": 1, "update": 5, "destroy": 1, "listed": 0}' < "$TMP/f.json"
use quotedtrace
check_status "the abridged quoted trace is read, its damage reported" 3 "$NATLOG" import -q "$R/nfdevel-2025-trace-quoted.trace"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the conntrack line without its packet line is an error at its line" \
	'[e["line"] for e in j] == [6] and "conntrack line not followed by its packet line" in j[0]["reason"]' < "$TMP/e.json"
use plaintrace
"$NATLOG" import -q "$TD/lab/nft-set-drop/nft-monitor-trace.txt"
"$NATLOG" traces --json > "$TMP/plain.json"
use quotedlab
sed 's/^/>    /' "$TD/lab/nft-set-drop/nft-monitor-trace.txt" > "$TMP/quoted.trace"
check "a lab trace quoted and indented imports" "$NATLOG" import -q "$TMP/quoted.trace"
"$NATLOG" traces --json > "$TMP/q.json"
check "it gives the packets and verdicts of the trace itself" python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
key = lambda j: sorted((p["trace"], p["verdict"], p["src"], p["dport"]) for p in j)
sys.exit(0 if a and key(a) == key(b) else 1)' "$TMP/plain.json" "$TMP/q.json"

# A traced SYN to 127.0.0.1 (a blog post on a connection stuck in
# SYN_SENT): raw and filter OUTPUT, then in again on lo, raw PREROUTING
# and filter INPUT rule 1, the DROP. Each SYN is one packet whose journey
# goes on after OUTPUT; the one sent again a second later is the next.
use loopback
check "the loopback trace imports" "$NATLOG" import -q "$R/synsent-loopback-trace.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "two SYNs, two packets" 'len(j) == 2 and [p["ip_id"] for p in j] == [48009, 48010]' < "$TMP/t.json"
"$NATLOG" explain --json --trace "$(first_id any < "$TMP/t.json")" > "$TMP/x.json"
check_json "each journey runs from raw OUTPUT to filter INPUT rule 1" \
	'[(s["table"], s["chain"]) for s in j["steps"]] == [("raw", "OUTPUT"), ("filter", "OUTPUT"), ("raw", "PREROUTING"), ("filter", "INPUT")] and j["steps"][-1]["position"] == 1' < "$TMP/x.json"

# Proxmox VE's firewall logs through its own pvefw-logger, which prints
# "VMID LEVEL CHAIN DD/Mon/YYYY:HH:MM:SS +ZZZZ ACTION: fields" and IN= or
# OUT= only when set: /var/log/pve-firewall.log (a homelab guide) and the
# same lines sent on to a syslog (crowdsec hub #168). Each is a logged
# packet of that chain and action, at the logger's time.
use pve
check "pve-firewall.log imports without an error" "$NATLOG" import -q "$R/pve-firewall.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "its two host-firewall drops are logged packets, the logger's own lines skipped" \
	'[(p["log_prefix"], p["src"], p["icmp_id"]) for p in j] == [("PVEFW-HOST-IN policy DROP:", "192.168.1.2", 1)] * 2' < "$TMP/t.json"
"$NATLOG" traces --since 2021-11-16T09:17:10Z --json > "$TMP/t2.json"
check_json "their time is the logger's, with its UTC offset" 'len(j) == 1 and j[0]["time"].startswith("16/Nov/2021:10:17:17")' < "$TMP/t2.json"
"$NATLOG" summary --json > "$TMP/s.json"
check_json "no line is an error" 'j["errors"] == 0' < "$TMP/s.json"
use pvesyslog
check "pvefw-logger lines in a syslog import" "$NATLOG" import -q "$R/crowdsec-168-pve-syslog.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "a VM's accept and the host's drop, each with its syslog host" \
	'[(p["host"], p["log_prefix"], p["dport"]) for p in j] == [("pve-bkp", "tap101i0-IN ACCEPT:", 10051), ("cvn1", "PVEFW-HOST-IN policy DROP:", 8123)]' < "$TMP/t.json"

# dmesg -H ("[Jan14 11:48]", then "[  +0.000011]" since the record before):
# a ping through a tun gateway, logged in every chain (a blog's walk
# through iptables). The stamp is not the LOG prefix; the request's seven
# lines and the reply's five are two packets.
use dmesgH
check "dmesg -H LOG lines import" "$NATLOG" import -q "$R/kayoch1n-dmesg-H-all-chains.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "two packets, the prefix without the stamp, the time as printed" \
	'[(p["log_prefix"], p["time"]) for p in j] == [("raw-PREROUTING [114514]", "Jan14 11:48"), ("raw-PREROUTING [114514]", "+0.004704")]' < "$TMP/t.json"
"$NATLOG" explain --json --trace "$(first_id any < "$TMP/t.json")" > "$TMP/x.json"
check_json "the request has its seven lines, raw PREROUTING to nat POSTROUTING" \
	'[e["prefix"].split(" ")[0] for e in j["evidence"] if e["source"] == "log"] == ["raw-PREROUTING", "mangle-PREROUTING", "nat-PREROUTING", "mangle-FORWARD", "filter-FORWARD", "mangle-POSTROUTING", "nat-POSTROUTING"]' < "$TMP/x.json"

# nf_ct_proto_6 lines of dmesg -T that a mail wrapped at 72 columns
# (netdev 2022): no piece of them is a packet of its own or skipped as
# text; each is an error at its line (the conntrack reason alone, the
# reason's tail with IN= and OUT=, and every line that starts with a
# field of the packet: SRC=, DST=, WINDOW=, GID=).
use wrapped
check_status "the wrapped conntrack lines import, their damage reported" 3 "$NATLOG" import -q "$R/netdev-2022-ct-invalid-wrapped.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "every one of the 14 lines is an error" '[e["line"] for e in j] == list(range(1, 15))' < "$TMP/e.json"
check_status "and no packet was made of them" 1 "$NATLOG" traces

# conntrack -L pasted with the shell prompt that ran it (kubernetes
# #95258): the prompt is no broken entry; the four UDP entries to a
# statsd port that was never answered are read.
use ctprompt
check "conntrack -L under its shell prompt imports without an error" "$NATLOG" import -q "$R/k8s-95258-conntrack-L-prompt.txt"
"$NATLOG" flows --json > "$TMP/f.json"
check_json "four UDP flows to port 8125, each never answered" \
	'len(j) == 4 and all(f["orig"]["dport"] == 8125 and f["unreplied"] for f in j)' < "$TMP/f.json"

# conntrack-tools' manual: `conntrack -L`, then `-U` and `-D` of one entry,
# each under its prompt. The entries under -D are the ones it deleted and
# those under -U the ones it changed, not more table listings.
use ctmanual
check "the manual's conntrack session imports without an error" "$NATLOG" import -q "$R/conntrack-tools-manual-L-U-D.txt"
"$NATLOG" flows --json > "$TMP/f.json"
check_json "the entry updated and deleted: listed once, updated once, destroyed once" \
	'sorted((f["orig"]["sport"], f["events"]["listed"], f["events"]["update"], f["events"]["destroy"]) for f in j) == [(34846, 1, 1, 1), (34849, 1, 0, 0)]' < "$TMP/f.json"

# An nft trace of a WireGuard peer's SYN (a blog on tracing iptables-nft
# rules): nat PREROUTING's explicit RETURN, a user chain's return, and the
# INPUT rule that rejects, which the kernel traces as "(verdict drop)".
use wgreject
check "the WireGuard trace imports" "$NATLOG" import -q "$R/vbatts-wg-reject.trace"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the verdict is the rule's reject" 'len(j) == 1 and j[0]["verdict"] == "reject"' < "$TMP/t.json"
check_status "traces --verdict reject finds it" 0 "$NATLOG" traces --verdict reject
"$NATLOG" explain --trace 4cc0afaa > "$TMP/x.txt"
check_grep "a base chain's return goes to its policy, not to a caller" \
	"ip nat PREROUTING return                 return     (a rule returned: the base chain's policy applies)" "$TMP/x.txt"
check_grep "a user chain's return goes back to its caller" \
	"ip filter wg1-state return               return     (a rule returned: back to the caller)" "$TMP/x.txt"
check_grep "a base chain that ran out goes to its policy" \
	"ip raw PREROUTING return                 continue   (end of the base chain: its policy applies)" "$TMP/x.txt"
check_grep "without an nft dump, explain says iptables-save dumps are not read for it" \
	"iptables-save dumps are not read for nft and xtables traces" "$TMP/x.txt"

# NixOS/nixpkgs #81172: nft before 0.9.1 printing iptables-nft's compat
# matches and targets as "# xt_addrtype", "# xt_MASQUERADE" (a rule, not
# a comment), and a ruleset whose addresses the poster blanked out
# ("ip saddr X.X.X.X"), under the prompt that listed it.
use nixxt
check_status "the nat table with # xt_ words imports, its cut end reported" 3 "$NATLOG" import -q "$R/nixpkgs-81172-nft-xt-comments.nft"
"$NATLOG" sql "SELECT chain, position, target FROM rules ORDER BY chain, position" > "$TMP/r.txt"
check_grep "the DOCKER jump after '# xt_addrtype' is PREROUTING's rule 2" "^PREROUTING	2	jump$" "$TMP/r.txt"
check_grep "'# xt_MASQUERADE' is a masquerade" "^POSTROUTING	1	masquerade$" "$TMP/r.txt"
check_grep "a rule of only '# xt_' words is a rule too" "^nixos-nat-post	1	masquerade$" "$TMP/r.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the one error is the cut at the end" '[e["line"] for e in j] == [34]' < "$TMP/e.json"
use nixredacted
check_status "the blanked-out ruleset imports, its blanks reported" 3 "$NATLOG" import -q "$R/nixpkgs-81172-nft-redacted.nft"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "each 'ip saddr X.X.X.X' is a bad address at its line, the prompt no error" \
	'[e["line"] for e in j if e["reason"].startswith("bad address \x27X.X.X.X\x27")] == [5, 6, 7, 8] and 1 not in [e["line"] for e in j]' < "$TMP/e.json"
eq "the four rules are kept, their source unknown" "4" \
	"$("$NATLOG" sql "SELECT count(*) FROM rules WHERE chain = 'INPUT' AND src IS NULL AND text LIKE '%X.X.X.X%'" | tail -1)"

# moby's generated iptables documentation: `iptables -vL --line-numbers`
# of the filter table, indented four spaces as Markdown code. Every one
# of its 14 numbered rows is a rule of its chain, none an error.
use mobylist
check "the indented listing imports without an error" "$NATLOG" import -q "$R/moby-usernet-portmap-iptables-filter-vL.txt"
"$NATLOG" sql "SELECT chain || ':' || count(*) FROM rules GROUP BY chain ORDER BY chain" > "$TMP/r.txt"
check "its rules, chain by chain" grep -qz "DOCKER:3.DOCKER-BRIDGE:2.DOCKER-CT:2.DOCKER-FORWARD:5.FORWARD:2" "$TMP/r.txt"

# `sudo ip6tables -nv -L` pasted with its command (toralf/torutils #4):
# the command says the family and the table; it is no broken row.
use ip6cmd
check "the ip6tables listing under its command imports without an error" "$NATLOG" import -q "$R/torutils-4-ip6tables-nvL.txt"
eq "an IPv6 listing of the filter table" "iptables-list|6|filter" \
	"$("$NATLOG" sql "SELECT DISTINCT r.kind || '|' || r.family || '|' || c.tbl FROM rulesets r JOIN chains c ON c.ruleset_id = r.id" | tail -1)"

# iptables-nft's save of an empty filter table, which warns that
# iptables-legacy tables are present (dev-sec ansible-collection-hardening
# #274: the rules were all in them): the dump is incomplete, and says so.
use legacywarn
check_status "the dump imports, the warning an error" 3 "$NATLOG" import -q "$R/devsec-274-xtables-save-legacy-warning.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "at its line, saying the legacy tables' rules are not in the dump" \
	'[e["line"] for e in j] == [8] and "iptables-legacy tables are present, which this dump does not show" in j[0]["reason"]' < "$TMP/e.json"

# A blog's `iptables -L INPUT -n -v --line-numbers` whose page lost the
# source and destination columns: the match words in their place
# ("ctstate RELATED,ESTABLISHED", "tcp dpt:80") are not taken as
# addresses; each row is an error at its line, its position kept.
use noaddr
check_status "the listing imports, its damage reported" 3 "$NATLOG" import -q "$R/stroebitzer-iptables-L-INPUT-no-addresses.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "rows 1 to 3 are not addresses, row 4 ends early" \
	'[e["line"] for e in j] == [5, 6, 7, 8] and all("not addresses" in e["reason"] for e in j[:3])' < "$TMP/e.json"
eq "no rule took a match word as an address" "0" \
	"$("$NATLOG" sql "SELECT count(*) FROM rules WHERE src IS NOT NULL OR dst IS NOT NULL" | tail -1)"

# `nft list ruleset` quoted four times in a mail thread (">>>> ") with a
# rule the mail broke over three lines: the quoted text is read, and the
# two broken-off pieces are errors at their lines, not rules of their
# own (the third was an unconditional reject at position 3).
use nftquoted
check_status "the quoted ruleset imports, its broken rule reported" 3 "$NATLOG" import -q "$R/netfilter-connlimit-nft-quoted-wrapped.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the pieces at lines 7 and 8 are errors" '[e["line"] for e in j] == [7, 8] and all("broken over lines" in e["reason"] for e in j)' < "$TMP/e.json"
eq "INPUT holds the one rule the head of it is" "1" \
	"$("$NATLOG" sql "SELECT count(*) FROM rules WHERE chain = 'INPUT'" | tail -1)"

# conntrack -L entries a mail broke over three lines with '\' (netfilter-
# devel 2026, an FTP helper's connections): each line says it is a piece
# of an entry continued with '\', rather than that a protocol is missing.
use ctbackslash
check_status "the broken entries import, each piece reported" 3 "$NATLOG" import -q "$R/nfdevel-2026-conntrack-L-backslash.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "lines 2 to 7 are errors that name the continuation" \
	'[e["line"] for e in j] == [2, 3, 4, 5, 6, 7] and all("continued with" in e["reason"] for e in j)' < "$TMP/e.json"

# firewalld's ruleset as pasted in miniupnp #806: its IPv6 reverse-path
# rule "fib saddr . mark . iif oif missing drop" is a route lookup, not
# an input interface named "oif" (which made every trace through it
# contradict the dump).
use fib
check "firewalld's ruleset imports without an error" "$NATLOG" import -q "$R/miniupnp-806-firewalld-fib.nft"
eq "the fib rule matches no interface and drops" "||drop|0" \
	"$("$NATLOG" sql "SELECT ifnull(iif, '') || '|' || ifnull(oif, '') || '|' || target || '|' || uncond FROM rules WHERE text LIKE '%fib saddr%'" | tail -1)"

# `nft -j list ruleset` of a server running Docker through iptables-nft
# (aleph-vm's firewall tests, "taken from a real server"): its xt targets
# are the rules' targets, as in the text form (xt target DNAT).
use alephjson
check "the JSON ruleset imports without an error" "$NATLOG" import -q "$R/aleph-vm-nft-j-docker.json"
"$NATLOG" sql "SELECT target FROM rules WHERE text LIKE '%xt target%' ORDER BY target" | tail -n +2 | tr '\n' ' ' > "$TMP/t.txt"
check "one DNAT and three MASQUERADE targets" grep -qx "dnat masquerade masquerade masquerade " "$TMP/t.txt"

# nftables-rs' tproxy test ruleset, its JSON and the text nft lists of it:
# "tproxy ip to 127.0.0.1:12345" is the rule's target in both.
for f in nftables-rs-tproxy.nft nftables-rs-tproxy.json; do
	use "tproxy-$f"
	check "$f imports without an error" "$NATLOG" import -q "$R/$f"
	eq "$f: the tproxy rules' targets" "tproxy 127.0.0.1:12345|tproxy :12345|tproxy [::1]:12345|tproxy :12345|" \
		"$("$NATLOG" sql "SELECT target || ' ' || target_arg FROM rules WHERE text LIKE '%tproxy%' ORDER BY chain, position" | tail -n +2 | tr '\n' '|')"
done

# OpenWrt firewall4's time rules as nft lists them: 'meta time
# "2022-05-30 21:51:23"-"2022-06-01 23:51:23"' is a rule, not "unbalanced
# quotes", and every later rule keeps its place.
use fw4time
check "firewall4's time rules import without an error" "$NATLOG" import -q "$R/firewall4-09-time.nft"
eq "the quoted ranges are rules 12 and 13 of fw4 output" "12 13" \
	"$("$NATLOG" sql "SELECT position FROM rules WHERE chain = 'output' AND text LIKE 'meta % \"%\"-\"%' ORDER BY position" | tail -n +2 | tr '\n' ' ' | sed 's/ $//')"

# xtables-monitor --trace of a locally sent SYN, as a public note on Docker
# networking (Ubuntu 22.04, iptables-nft) shows it; its repository could
# not be cited, so the lines are here. xtables-monitor prints PACKET: only
# with a rule's event: nat POSTROUTING, passed by its policy alone, has
# none, and is still the postrouting hook's base chain.
use xtpost
cat > "$TMP/xtpost.trace" <<'EOF'
PACKET: 2 fc1648f0 OUT=ens160 SRC=192.168.91.132 DST=185.125.190.17 LEN=60 TOS=0x0 TTL=64 ID=10624DF SPORT=58366 DPORT=80 SYN 
 TRACE: 2 fc1648f0 raw:OUTPUT:rule:0x6:CONTINUE  -4 -t raw -A OUTPUT -p tcp -j TRACE
 TRACE: 2 fc1648f0 raw:OUTPUT:return:
 TRACE: 2 fc1648f0 raw:OUTPUT:policy:ACCEPT 
 TRACE: 2 fc1648f0 nat:OUTPUT:return:
 TRACE: 2 fc1648f0 nat:OUTPUT:policy:ACCEPT 
 TRACE: 2 fc1648f0 nat:POSTROUTING:return:
 TRACE: 2 fc1648f0 nat:POSTROUTING:policy:ACCEPT 
EOF
check "the xtables trace imports" "$NATLOG" import -q "$TMP/xtpost.trace"
"$NATLOG" explain --json --trace fc1648f0 > "$TMP/x.json"
check_json "nat POSTROUTING's steps are at postrouting, raw and nat OUTPUT's at output" \
	'[(s["chain"], s["hook"]) for s in j["steps"]] == [("OUTPUT", "output")] * 5 + [("POSTROUTING", "postrouting")] * 2 and j["verdict"] == "accept"' < "$TMP/x.json"
"$NATLOG" explain --trace fc1648f0 > "$TMP/x.txt"
check_grep "its return is the end of a base chain, not a return to a caller" \
	"nat POSTROUTING return .*end of the base chain: its policy applies" "$TMP/x.txt"

# OpenWrt firewall4 traces of a SYN/ACK from a blog post on MSS clamping
# (its repository path could not be cited): the author cut everything
# after the first base chain's packet: line. The trace goes on, and
# natlog says that chain's lines are missing rather than passing over it.
use fw4cut
cat > "$TMP/fw4cut.trace" <<'EOF'
trace id 3786311f inet fw4 trace_chain packet: iif "br-lan2" ether saddr 00:16:3e:4b:67:80 ether daddr 5a:ff:4d:38:41:2f ip saddr 192.168.35.1 ip daddr 192.168.35.126 ip dscp af21 ip ecn not-ect ip ttl 64 ip id 0 ip protocol tcp ip length 60 tcp sport 2202 tcp dport 49780 tcp flags == 0x12 tcp window 64860

trace id 3786311f inet fw4 prerouting packet: iif "br-lan2"
trace id 3786311f inet fw4 prerouting rule iifname { "br-lan2", "gre4t-gre3" } jump helper_lan2 comment "!fw4: Handle lan2 IPv4/IPv6 helper assignment" (verdict jump helper_lan2)
trace id 3786311f inet fw4 helper_lan2 verdict continue
trace id 3786311f inet fw4 prerouting verdict continue
trace id 3786311f inet fw4 prerouting policy accept
EOF
check "the cut trace imports" "$NATLOG" import -q "$TMP/fw4cut.trace"
"$NATLOG" explain --json --trace 3786311f > "$TMP/x.json"
check_json "trace_chain is a step of its own, and the verdict the later chain's accept" \
	'j["steps"][0]["chain"] == "trace_chain" and j["steps"][0]["type"] == "packet" and j["verdict"] == "accept"' < "$TMP/x.json"
check_json "the diagnosis says trace_chain's lines were cut" \
	'any(d.startswith("the trace shows the packet entering inet fw4 trace_chain (line 1) and no line of what happened there") for d in j["diagnosis"])' < "$TMP/x.json"

# kube-proxy's nftables mode names a chain per endpoint with its namespace,
# service, port and address: 64 bytes and more (nft allows 255). The dump
# is an excerpt of one in a public note whose repository could not be
# cited; the trace through it is built in nft's format. Every chain is
# kept, and the packet's journey names them whole.
use kplong
cat > "$TMP/kplong.nft" <<'EOF'
table ip kube-proxy {
        comment "rules for kube-proxy"

        chain nat-prerouting {
                type nat hook prerouting priority dstnat; policy accept;
                jump services
        }

        chain services {
                ip daddr . meta l4proto . th dport vmap @service-ips
                ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports
        }

        chain endpoint-T5HMVMWK-kube-system/kube-dns/tcp/dns-tcp__10.42.0.171/53 {
                ip saddr 10.42.0.171 jump mark-for-masquerade
                meta l4proto tcp dnat to 10.42.0.171:53
        }

        chain service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp {
                ip daddr 10.43.0.10 tcp dport 53 ip saddr != 10.42.0.0/16 jump mark-for-masquerade
                numgen random mod 1 vmap { 0 : goto endpoint-T5HMVMWK-kube-system/kube-dns/tcp/dns-tcp__10.42.0.171/53 }
        }

        chain endpoint-URN53KYD-riset/opentelemetry-collector/tcp/otlp-http__10.42.0.181/4318 {
                ip saddr 10.42.0.181 jump mark-for-masquerade
                meta l4proto tcp dnat to 10.42.0.181:4318
        }

        chain mark-for-masquerade {
                meta mark set meta mark | 0x00004000
        }
}
EOF
E=endpoint-T5HMVMWK-kube-system/kube-dns/tcp/dns-tcp__10.42.0.171/53
cat > "$TMP/kplong.trace" <<EOF
trace id 5a0f12c3 ip kube-proxy nat-prerouting packet: iif "cni0" ether saddr 0a:58:0a:2a:00:05 ether daddr 0a:58:0a:2a:00:01 ip saddr 10.42.0.5 ip daddr 10.43.0.10 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 4001 ip protocol tcp ip length 60 tcp sport 40000 tcp dport 53 tcp flags == syn tcp window 64240
trace id 5a0f12c3 ip kube-proxy nat-prerouting rule jump services (verdict jump services)
trace id 5a0f12c3 ip kube-proxy services rule ip daddr . meta l4proto . th dport vmap @service-ips (verdict goto service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp)
trace id 5a0f12c3 ip kube-proxy service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp rule numgen random mod 1 vmap { 0 : goto $E } (verdict goto $E)
trace id 5a0f12c3 ip kube-proxy $E rule meta l4proto tcp dnat to 10.42.0.171:53 (verdict accept)
EOF
check "a dump and a trace with chain names of 64 bytes and more import without an error" \
	"$NATLOG" import -q "$TMP/kplong.nft" "$TMP/kplong.trace"
eq "the endpoint chains and their rules are kept" "4 2" \
	"$("$NATLOG" sql "SELECT count(*) FROM rules WHERE chain = '$E' OR chain LIKE 'endpoint-URN53KYD-%/4318'" | tail -1) $("$NATLOG" sql "SELECT count(*) FROM rules WHERE chain = '$E'" | tail -1)"
"$NATLOG" explain --json --trace 5a0f12c3 > "$TMP/x.json"
check_json "the DNAT rule of the 70-byte endpoint chain decides, found in the dump" \
	'j["verdict"] == "accept" and j["decided_by"]["chain"] == "'"$E"'" and j["decided_by"]["position"] == 2 and j["decided_by"]["rule"] == "meta l4proto tcp dnat to 10.42.0.171:53" and j["steps"][2]["verdict"] == "goto '"$E"'"' < "$TMP/x.json"
check_json "the trace ends at the DNAT: its rewrite is the rule's, after the last step" \
	'[(n["kind"], n["from"], n["to"], n["after_trace"]) for n in j["nat"]] == [("DNAT", "10.43.0.10:53", "10.42.0.171:53", True)]' < "$TMP/x.json"
# the same chain in nft -j's form
cat > "$TMP/kplong.json" <<EOF
{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
{"table": {"family": "ip", "name": "kube-proxy", "handle": 1}},
{"chain": {"family": "ip", "table": "kube-proxy", "name": "$E", "handle": 9}},
{"rule": {"family": "ip", "table": "kube-proxy", "chain": "$E", "handle": 10, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": "tcp"}}, {"dnat": {"addr": "10.42.0.171", "port": 53}}]}}]}
EOF
use kplongjson
check "the chain in JSON imports without an error" "$NATLOG" import -q "$TMP/kplong.json"
eq "its rule is kept under its whole name" "1" "$("$NATLOG" sql "SELECT count(*) FROM rules WHERE chain = '$E'" | tail -1)"
# `iptables -nvxL` of a Nokia device (nokia/moler's test output): -x
# prints exact counters, "17207 52497455", which are read in full; the
# row keeps its place, so the rows after it keep theirs, and the bare
# prompt that ends the paste is not a rule row.
use nvxl
check "the -x listing imports without an error" "$NATLOG" import -q "$R/moler-iptables-nvxL-exact-counters.txt"
eq "INPUT's rule 6 is the lo rule with its exact counters, rule 7 the DHCP reply" \
	"6|lo|17207|52497455 7|udp|67|0" \
	"$("$NATLOG" sql "SELECT position || '|' || ifnull(iif, 'udp') || '|' || ifnull(NULLIF(pkts, 0), sport_lo) || '|' || bytes FROM rules WHERE chain = 'INPUT' AND position IN (6, 7) ORDER BY position" | tail -n +2 | tr '\n' ' ' | sed 's/ $//')"
eq "OUTPUT's rule counts 18743328 bytes" "18743328" \
	"$("$NATLOG" sql "SELECT bytes FROM rules WHERE chain = 'OUTPUT' AND position = 1" | tail -1)"

# firewalld's raw_PREROUTING as nft 1.1.4 lists it (nftables' own test
# dump): the reverse-path rule's fib result is "check" where older nft
# printed "oif"; the lookup is a match, and the rule drops.
use fibcheck
check "the nft 1.1.4 fib rule imports without an error" "$NATLOG" import -q "$R/nftables-large-rule-pipe-fib-check.nft"
eq "its rule 2 drops, like the JSON form of the ruleset, and is no unconditional rule" "drop|0" \
	"$("$NATLOG" sql "SELECT target || '|' || uncond FROM rules WHERE chain = 'raw_PREROUTING' AND position = 2" | tail -1)"

# nftables' test dump of named synproxy objects in JSON: a rule that
# picks its object by an objref map matches only the addresses the map
# holds (a lookup that finds none ends the rule), as the text form says.
use objrefmap
check "the JSON ruleset imports without an error" "$NATLOG" import -q "$R/nftables-0024synproxy-objref-map.json"
eq "the synproxy-by-map rule is not unconditional" "synproxy name ip saddr map|0" \
	"$("$NATLOG" sql "SELECT substr(text, 1, 26) || '|' || uncond FROM rules WHERE chain = 'y'" | tail -1)"

# moby's documentation of a routed port mapping: the filter table as
# `iptables -S` prints it, with no *filter line and no COMMIT. It is read
# as iptables-save's lines are, in the filter table (iptables' default),
# each chain's rules numbered from 1.
use iptS
check "the iptables -S output imports without an error" "$NATLOG" import -q "$R/moby-usernet-portmap-routed-iptables-S.txt"
eq "its 15 rules are the filter table's, DOCKER's 4th the DROP into bridge1" "15|DROP|!bridge1|bridge1" \
	"$("$NATLOG" sql "SELECT (SELECT count(*) FROM rules WHERE tbl = 'filter') || '|' || target || '|!' || iif || '|' || oif FROM rules WHERE chain = 'DOCKER' AND position = 4 AND iif_neg = 1" | tail -1)"
eq "the built-in chains keep their policies, DOCKER-USER is a chain of no rules" "FORWARD:ACCEPT:1 DOCKER-USER::0" \
	"$("$NATLOG" sql "SELECT name || ':' || ifnull(policy, '') || ':' || builtin FROM chains WHERE name IN ('FORWARD', 'DOCKER-USER') ORDER BY name DESC" | tail -n +2 | tr '\n' ' ' | sed 's/ $//')"
"$NATLOG" sources --json > "$TMP/s.json" 2>/dev/null
check_json "it is read by the iptables-save parser" 'any(x.get("kind") == "iptables-save" for x in j)' < "$TMP/s.json"

# A file of -A lines alone, with no -P or -N line and no `iptables -S`
# command, is no -S output a table could be told for: each line stays an
# error rather than a rule of a guessed table.
use iptSbare
grep -- '-A ' "$R/moby-usernet-portmap-routed-iptables-S.txt" > "$TMP/rules-only.txt"
check_status "the -A lines alone are reported" 3 "$NATLOG" import -q "$TMP/rules-only.txt"
eq "and no rule is stored" "0" "$("$NATLOG" sql "SELECT count(*) FROM rules" | tail -1)"

# A blog post on a published Docker port that timed out (its repository
# could not be cited, so its lines are here): legacy TRACE lines, cut with
# "...", and `iptables-legacy -L` without -v, whose rows do not show -i or
# -o. The post found the legacy FORWARD policy DROP (policy:7, after six
# rules). A row that shows no match may still have -i or -o: it is not
# taken to match every packet, so the dump fits the trace; and with no
# nat step traced and no flags shown, who did the DNAT is not known (the
# post's DNAT was in iptables-nft's nat table).
use legacyl
cat > "$TMP/legacyl.trace" <<'EOF'
# redacted a bit for readability
[ 1288.683905] TRACE: raw:PREROUTING:policy:1 IN=enp2s0 OUT= MAC=... SRC=192.168.30.252 DST=192.168.50.254 ...
[ 1288.684048] TRACE: filter:FORWARD:rule:1 IN=enp2s0 OUT=docker0 MAC=... SRC=192.168.30.252 DST=172.17.0.2 ...
[ 1288.684079] TRACE: filter:DOCKER-USER:return:1 IN=enp2s0 OUT=docker0 MAC=... SRC=192.168.30.252 DST=172.17.0.2 ...
[ 1288.684104] TRACE: filter:FORWARD:rule:2 IN=enp2s0 OUT=docker0 MAC=... SRC=192.168.30.252 DST=172.17.0.2 ...
[ 1288.684130] TRACE: filter:DOCKER-ISOLATION-STAGE-1:return:2 IN=enp2s0 OUT=docker0 MAC=... SRC=192.168.30.252 DST=172.17.0.2 ...
[ 1288.684158] TRACE: filter:FORWARD:rule:4 IN=enp2s0 OUT=docker0 MAC=... SRC=192.168.30.252 DST=172.17.0.2 ...
[ 1288.684182] TRACE: filter:DOCKER:return:1 IN=enp2s0 OUT=docker0 MAC=... SRC=192.168.30.252 DST=172.17.0.2 ...
[ 1288.684206] TRACE: filter:FORWARD:policy:7 IN=enp2s0 OUT=docker0 MAC=... SRC=192.168.30.252 DST=172.17.0.2 ...
EOF
cat > "$TMP/legacyl.txt" <<'EOF'
Chain INPUT (policy ACCEPT)
target     prot opt source               destination         

Chain FORWARD (policy DROP)
target     prot opt source               destination         
DOCKER-USER  all  --  anywhere             anywhere            
DOCKER-ISOLATION-STAGE-1  all  --  anywhere             anywhere            
ACCEPT     all  --  anywhere             anywhere             ctstate RELATED,ESTABLISHED
DOCKER     all  --  anywhere             anywhere            
ACCEPT     all  --  anywhere             anywhere            
ACCEPT     all  --  anywhere             anywhere            

Chain OUTPUT (policy ACCEPT)
target     prot opt source               destination         

Chain DOCKER (1 references)
target     prot opt source               destination         

Chain DOCKER-ISOLATION-STAGE-1 (1 references)
target     prot opt source               destination         
DOCKER-ISOLATION-STAGE-2  all  --  anywhere             anywhere            
RETURN     all  --  anywhere             anywhere            

Chain DOCKER-ISOLATION-STAGE-2 (1 references)
target     prot opt source               destination         
DROP       all  --  anywhere             anywhere            
RETURN     all  --  anywhere             anywhere            

Chain DOCKER-USER (1 references)
target     prot opt source               destination         
RETURN     all  --  anywhere             anywhere            
EOF
check "the trace and the listing import" "$NATLOG" import -q "$TMP/legacyl.trace" "$TMP/legacyl.txt"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json | first_id any)" > "$TMP/x.json"
check_json "drop by the FORWARD policy, the listing fitting the trace" \
	'j["verdict"] == "drop" and j["decided_by"]["chain"] == "FORWARD" and j["decided_by"]["type"] == "policy" and not any("does not match" in d or "matches every packet" in d or "realignment" in d for d in j["diagnosis"])' < "$TMP/x.json"
check_json "the DNAT no traced rule did is not said to be conntrack's" \
	'[(n["field"], n["by"]) for n in j["nat"]] == [("dst", None)]' < "$TMP/x.json"
"$NATLOG" explain --trace "$("$NATLOG" traces --json | first_id any)" > "$TMP/x.txt"
check_grep "the text gives both possibilities" "by conntrack or by a nat rule the trace does not show" "$TMP/x.txt"
# The post's `iptables -L -v -n`, by iptables-nft with its warning that
# legacy tables are present: legacy TRACE lines come from the legacy
# tables, so a verdict from this listing, which the trace contradicts, is
# not given, and the diagnosis says why.
use legacynft
cat > "$TMP/legacynft.txt" <<'EOF'
# Warning: iptables-legacy tables present, use iptables-legacy to see them
Chain INPUT (policy ACCEPT 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination         

Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination         
   57  3420 DOCKER-USER  all  --  *      *       0.0.0.0/0            0.0.0.0/0           
   57  3420 DOCKER-ISOLATION-STAGE-1  all  --  *      *       0.0.0.0/0            0.0.0.0/0           
    0     0 ACCEPT     all  --  *      docker0  0.0.0.0/0            0.0.0.0/0            ctstate RELATED,ESTABLISHED
   57  3420 DOCKER     all  --  *      docker0  0.0.0.0/0            0.0.0.0/0           
    0     0 ACCEPT     all  --  docker0 !docker0  0.0.0.0/0            0.0.0.0/0           
    0     0 ACCEPT     all  --  docker0 docker0  0.0.0.0/0            0.0.0.0/0           

Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination         

Chain DOCKER (1 references)
 pkts bytes target     prot opt in     out     source               destination         
   22  1320 ACCEPT     tcp  --  !docker0 docker0  0.0.0.0/0            172.17.0.2           tcp dpt:80

Chain DOCKER-ISOLATION-STAGE-1 (1 references)
 pkts bytes target     prot opt in     out     source               destination         
    0     0 DOCKER-ISOLATION-STAGE-2  all  --  docker0 !docker0  0.0.0.0/0            0.0.0.0/0           
   57  3420 RETURN     all  --  *      *       0.0.0.0/0            0.0.0.0/0           

Chain DOCKER-ISOLATION-STAGE-2 (1 references)
 pkts bytes target     prot opt in     out     source               destination         
    0     0 DROP       all  --  *      docker0  0.0.0.0/0            0.0.0.0/0           
    0     0 RETURN     all  --  *      *       0.0.0.0/0            0.0.0.0/0           

Chain DOCKER-USER (1 references)
 pkts bytes target     prot opt in     out     source               destination         
   57  3420 RETURN     all  --  *      *       0.0.0.0/0            0.0.0.0/0           
EOF
check_status "the trace and iptables-nft's listing import (its warning an error)" 3 \
	"$NATLOG" import -q "$TMP/legacyl.trace" "$TMP/legacynft.txt"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json | first_id any)" > "$TMP/x.json"
check_json "the verdict is unknown, the warning's line named" \
	'j["verdict"] == "unknown" and any(d.startswith("legacynft.txt says at line 1 that iptables-legacy tables are present") for d in j["diagnosis"])' < "$TMP/x.json"

# A blog post on debugging iptables (its site could not be cited, so its
# lines are here): a ping traced after `iptables -A OUTPUT -d
# 192.168.6.21 -j DROP`, and `iptables -t filter -L OUTPUT -nv`, a listing
# of one chain. The request is accepted (it goes on to nat INPUT), the
# reply dropped by OUTPUT's rule 1; INPUT is not in the listing, which
# says nothing of it, rather than contradicting the trace.
use onechain
cat > "$TMP/onechain.log" <<'EOF'
Jul 20 11:09:58 ubuntu kernel: [ 6484.565458] TRACE: raw:PREROUTING:policy:2 IN=ens37 OUT= MAC=00:0c:29:30:06:44:00:68:eb:c6:60:f2:08:00 SRC=192.168.6.21 DST=192.168.6.23 LEN=60 TOS=0x00 PREC=0x00 TTL=128 ID=33554 PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=582
 Jul 20 11:09:58 ubuntu kernel: [ 6484.565548] TRACE: nat:PREROUTING:rule:1 IN=ens37 OUT= MAC=00:0c:29:30:06:44:00:68:eb:c6:60:f2:08:00 SRC=192.168.6.21 DST=192.168.6.23 LEN=60 TOS=0x00 PREC=0x00 TTL=128 ID=33554 PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=582
 Jul 20 11:09:58 ubuntu kernel: [ 6484.565592] TRACE: nat:DOCKER:return:3 IN=ens37 OUT= MAC=00:0c:29:30:06:44:00:68:eb:c6:60:f2:08:00 SRC=192.168.6.21 DST=192.168.6.23 LEN=60 TOS=0x00 PREC=0x00 TTL=128 ID=33554 PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=582
 Jul 20 11:09:58 ubuntu kernel: [ 6484.565631] TRACE: nat:PREROUTING:policy:2 IN=ens37 OUT= MAC=00:0c:29:30:06:44:00:68:eb:c6:60:f2:08:00 SRC=192.168.6.21 DST=192.168.6.23 LEN=60 TOS=0x00 PREC=0x00 TTL=128 ID=33554 PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=582
 Jul 20 11:09:58 ubuntu kernel: [ 6484.565673] TRACE: filter:INPUT:policy:1 IN=ens37 OUT= MAC=00:0c:29:30:06:44:00:68:eb:c6:60:f2:08:00 SRC=192.168.6.21 DST=192.168.6.23 LEN=60 TOS=0x00 PREC=0x00 TTL=128 ID=33554 PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=582
 Jul 20 11:09:58 ubuntu kernel: [ 6484.565713] TRACE: nat:INPUT:policy:1 IN=ens37 OUT= MAC=00:0c:29:30:06:44:00:68:eb:c6:60:f2:08:00 SRC=192.168.6.21 DST=192.168.6.23 LEN=60 TOS=0x00 PREC=0x00 TTL=128 ID=33554 PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=582
 Jul 20 11:09:58 ubuntu kernel: [ 6484.565763] TRACE: raw:OUTPUT:policy:2 IN= OUT=ens37 SRC=192.168.6.23 DST=192.168.6.21 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=14584 PROTO=ICMP TYPE=0 CODE=0 ID=1 SEQ=582
 Jul 20 11:09:58 ubuntu kernel: [ 6484.565804] TRACE: filter:OUTPUT:rule:1 IN= OUT=ens37 SRC=192.168.6.23 DST=192.168.6.21 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=14584 PROTO=ICMP TYPE=0 CODE=0 ID=1 SEQ=582
EOF
cat > "$TMP/onechain.txt" <<'EOF'
 iptables -t filter -L OUTPUT -nv --line-number
 Chain OUTPUT (policy ACCEPT 65 packets, 7466 bytes)
 num   pkts bytes target     prot opt in     out     source               destination
 1        3   180 DROP       all  --  *      *       0.0.0.0/0            192.168.6.21
EOF
check "the trace and the one-chain listing import" "$NATLOG" import -q "$TMP/onechain.log" "$TMP/onechain.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the request accepted, the reply dropped by OUTPUT rule 1" \
	'[(p["src"], p["verdict"]) for p in j] == [("192.168.6.21", "accept"), ("192.168.6.23", "drop")]' < "$TMP/t.json"
"$NATLOG" explain --json --trace "$(first_id any < "$TMP/t.json")" > "$TMP/x.json"
check_json "INPUT missing from the listing is not a contradiction" \
	'j["dump"]["fits"] and not any("does not match" in d for d in j["diagnosis"]) and any(d.startswith("the dump lists only some chains of table filter") for d in j["diagnosis"])' < "$TMP/x.json"

# Elastic's iptables integration: kernel LOG lines as `journalctl -o
# export` writes them, one KEY=value line per field, a blank line between
# records. The message is the LOG line; the host is _HOSTNAME, the kernel
# time _SOURCE_MONOTONIC_TIMESTAMP, before or after MESSAGE (the second
# record has it after: the message is read when its record ends).
use jexport
check "journalctl -o export records import" "$NATLOG" import -q "$R/elastic-iptables-journal-export.txt"
"$NATLOG" sql --json "select line, host, uptime, wall_us, prefix from events order by line" > "$TMP/e.json"
check_json "each MESSAGE= is a LOG line with its record's host and times, prefix without MESSAGE=" \
	'[(e["line"], e["prefix"]) for e in j] == [(12, "iptables DROP_INPUT: "), (24, "iptables DROP_INPUT: "), (38, "iptables DROP_INPUT: ")] and all(e["host"] == "compute04.hc.va.local.example.com" for e in j) and [e["wall_us"] for e in j] == [1642033008518660, 1642033008534638, 1642033021964974] and [e["uptime"] for e in j] == [1840789.131578, 1840789.149093, 1840802.579931]' < "$TMP/e.json"

# syslog4j-graylog2 issue 13: an Ubuntu host's kernel line as RFC 5424
# syslog ("<4>1 TIMESTAMP HOST kernel - - - [uptime] [UFW BLOCK] IN=..."):
# the host and the stamp with its offset are the header's, the kernel
# time the bracket's.
use rfc5424
check "an RFC 5424 kernel line imports" "$NATLOG" import -q "$R/syslog4j-13-rfc5424-ufw.log"
"$NATLOG" sql --json "select host, wall_us, uptime, prefix, src from events" > "$TMP/e.json"
check_json "its host, wall time and kernel time are read, the prefix is UFW's" \
	'[(e["host"], e["wall_us"], e["uptime"], e["prefix"], e["src"]) for e in j] == [("xiaoleidouglas", 1466494035771223, 3132.531409, "[UFW BLOCK] ", "219.15.121.109")]' < "$TMP/e.json"

# Elastic's iptables integration, test-journald.json: a kernel LOG line
# ("iptables DROP_INPUT: IN=eth0 ...") as it reaches a collector. Fluent
# Bit's tail input keeps a line in "log" and its json_lines output adds
# "date" in epoch seconds; Docker's json-file driver keeps it in "log" with
# its line end and "time". Both are read, not reported as a key natlog
# does not read.
use fbitlog
cat > "$TMP/fbit.json" <<'EOF'
{"date":1641991438.224,"log":"iptables DROP_INPUT: IN=eth0 OUT= MAC=dc:a6:32:bd:54:fb:64:9e:f3:ce:a4:48:08:00 SRC=10.10.10.18 DST=10.10.10.34 LEN=40 TOS=0x00 PREC=0x00 TTL=63 ID=31214 DF PROTO=TCP SPT=443 DPT=40702 WINDOW=0 RES=0x00 RST URGP=0 "}
{"log":"iptables DROP_INPUT: IN=eth0 OUT= MAC=dc:a6:32:bd:54:fb:64:9e:f3:ce:a4:48:08:00 SRC=10.10.10.18 DST=10.10.10.34 LEN=40 TOS=0x00 PREC=0x00 TTL=63 ID=31215 DF PROTO=TCP SPT=443 DPT=40702 WINDOW=0 RES=0x00 RST URGP=0 \n","stream":"stdout","time":"2022-01-12T12:43:58.224Z"}
EOF
check "a LOG line in a collector's \"log\" key imports without error" "$NATLOG" import -q "$TMP/fbit.json"
"$NATLOG" sql --json "select prefix, src, dport, ip_id, wall_us from events order by line" > "$TMP/e.json"
check_json "both lines are LOG events at the collector's time" \
	'[(e["prefix"], e["src"], e["dport"], e["ip_id"], e["wall_us"]) for e in j] == [("iptables DROP_INPUT: ", "10.10.10.18", 40702, 31214, 1641991438224000), ("iptables DROP_INPUT: ", "10.10.10.18", 40702, 31215, 1641991438224000)]' < "$TMP/e.json"

# A router on a MediaTek modem (ccmni2) pasted its LOG lines with each
# message's caller as that kernel prints it, "(CPU)[PID:TASK]", before the
# prefix. The caller is not part of the LOG prefix. The same caller before
# a TRACE line (composed: a MediaTek dmesg's "<4>[...] (0)[64:bat_thread_kthr]"
# before the first line of case 1) leaves it a traced step.
use mtk
check "MediaTek-prefixed LOG lines import" "$NATLOG" import -q "$R/mtk-router-pkt-illegal.log"
"$NATLOG" sql --json "select prefix, iif, oif, sport from events order by line" > "$TMP/e.json"
check_json "each prefix is the rule's, without the CPU and task" \
	'[e["prefix"] for e in j] == ["[FW] IPTABLES [Pkt_Illegal] "] * 6 and [e["sport"] for e in j] == [60268, 63387, 47550, 443, 41650, 63387] and j[3]["iif"] == "ccmni2"' < "$TMP/e.json"
use mtktrace
printf '%s\n' '<4>[90332.179725] (0)[64:bat_thread_kthr]TRACE: raw:PREROUTING:policy:2 IN=cbr0 OUT= PHYSIN=veth4a3719bc SRC=10.24.10.2 DST=10.27.240.10 LEN=82 TOS=0x00 PREC=0x00 TTL=64 ID=43592 PROTO=UDP SPT=36775 DPT=53 LEN=62' > "$TMP/mtk.trace"
check "a MediaTek-prefixed TRACE line imports" "$NATLOG" import -q "$TMP/mtk.trace"
"$NATLOG" sql --json "select kind, tbl, chain, type, rulenum, prefix, uptime from events" > "$TMP/e.json"
check_json "it is a traced step, not a LOG line whose prefix holds the caller" \
	'[(e["kind"], e["tbl"], e["chain"], e["type"], e["rulenum"], e["prefix"], e["uptime"]) for e in j] == [("trace", "raw", "PREROUTING", "policy", 2, None, 90332.179725)]' < "$TMP/e.json"

# Elastic's iptables integration, test-journald.json: a Filebeat event
# pretty-printed, one member a line, the kernel's LOG line in
# "message": "iptables DROP_INPUT: IN=eth0 ...",. The member's value is the
# line: its prefix is the rule's, and the quote and comma are no field.
use prettyjson
check "a pretty-printed collector's record imports" "$NATLOG" import -q "$R/elastic-iptables-filebeat-pretty.json"
"$NATLOG" sql --json "select line, prefix, src, dport, extra from events" > "$TMP/e.json"
check_json "its message is a LOG line with the rule's prefix, nothing glued on" \
	'[(e["line"], e["prefix"], e["src"], e["dport"], e["extra"]) for e in j] == [(42, "iptables DROP_INPUT: ", "10.10.10.18", 40702, None)]' < "$TMP/e.json"

# The first record of elastic-iptables-journal-export.txt as `journalctl -o
# json-pretty` prints it (composed: the same fields, one member a line):
# host and times come from the record's members before MESSAGE.
use jsonpretty
cat > "$TMP/jp.json" <<'EOF'
{
	"__CURSOR" : "s=35ec845e042c462a9db31f14745b7721;i=6427907;b=c2f79f985830406a9e08241d015eff05;m=1ac9c3f0b62;t=5d56b9a2ea604;x=4161b3812c28f910",
	"__REALTIME_TIMESTAMP" : "1642033008518660",
	"__MONOTONIC_TIMESTAMP" : "1840867380066",
	"_BOOT_ID" : "c2f79f985830406a9e08241d015eff05",
	"_MACHINE_ID" : "28c5bf41aa984b5889fbc9de96f504c0",
	"_HOSTNAME" : "compute04.hc.va.local.example.com",
	"_SOURCE_MONOTONIC_TIMESTAMP" : "1840789131578",
	"_TRANSPORT" : "kernel",
	"PRIORITY" : "7",
	"SYSLOG_FACILITY" : "0",
	"SYSLOG_IDENTIFIER" : "kernel",
	"MESSAGE" : "iptables DROP_INPUT: IN=eth1 OUT= MAC=ff:ff:ff:ff:ff:ff:b4:fb:e4:10:0b:51:08:00 SRC=0.0.0.0 DST=255.255.255.255 LEN=328 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=UDP SPT=68 DPT=67 LEN=308 "
}
EOF
check "a journalctl -o json-pretty record imports" "$NATLOG" import -q "$TMP/jp.json"
"$NATLOG" sql --json "select host, uptime, wall_us, prefix from events" > "$TMP/e.json"
check_json "its host, kernel time and wall time are the record's" \
	'[(e["host"], e["uptime"], e["wall_us"], e["prefix"]) for e in j] == [("compute04.hc.va.local.example.com", 1840789.131578, 1642033008518660, "iptables DROP_INPUT: ")]' < "$TMP/e.json"
# the journal keeps a kernel record's _HOSTNAME and monotonic time after
# its MESSAGE as often as before (the second record of the export above):
# the same record so ordered is read the same
python3 - "$TMP/jp.json" "$TMP/jp2.json" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
late = [l for l in lines if l.lstrip().startswith(('"_HOSTNAME"', '"_SOURCE_MONOTONIC_TIMESTAMP"'))]
rest = [l for l in lines if l not in late]
msg = rest.index([l for l in rest if l.lstrip().startswith('"MESSAGE"')][0])
rest[msg] += ","
late[-1] = late[-1].rstrip(",")
open(sys.argv[2], "w").write("\n".join(rest[:msg + 1] + late + rest[msg + 1:]) + "\n")
PY
export NATLOG_DB="$TMP/jp2.db"
check "a json-pretty record with its host after MESSAGE imports" "$NATLOG" import -q "$TMP/jp2.json"
"$NATLOG" sql --json "select host, uptime, wall_us, prefix from events" > "$TMP/e.json"
check_json "its host and kernel time are still the record's" \
	'[(e["host"], e["uptime"], e["wall_us"], e["prefix"]) for e in j] == [("compute04.hc.va.local.example.com", 1840789.131578, 1642033008518660, "iptables DROP_INPUT: ")]' < "$TMP/e.json"

# `journalctl -o verbose` (composed: the export's first two records in
# verbose's layout, a header of time and cursor, then the fields indented
# by four spaces, in the export's order; the header's t= is the wall time)
export NATLOG_DB="$TMP/jverbose.db"
python3 - "$R/elastic-iptables-journal-export.txt" "$TMP/verbose.txt" <<'PY'
import re, sys
recs, cur = [], []
for l in open(sys.argv[1]).read().splitlines():
    if l.startswith("__CURSOR=") and cur:
        recs.append(cur)
        cur = []
    if l:
        cur.append(l)
recs.append(cur)
out = []
for r in recs[:2]:
    f = dict(l.split("=", 1) for l in r)
    out.append("Wed 2022-01-12 23:36:48.518660 UTC [%s]" % f["__CURSOR"])
    out += ["    " + l for l in r if not l.startswith("__")]
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
check "journalctl -o verbose records import" "$NATLOG" import -q "$TMP/verbose.txt"
"$NATLOG" sql --json "select host, uptime, wall_us, prefix, src from events order by line" > "$TMP/e.json"
check_json "each MESSAGE is a LOG line with its record's host, kernel time and the cursor's wall time" \
	'[(e["host"], e["uptime"], e["wall_us"], e["prefix"], e["src"]) for e in j] == [("compute04.hc.va.local.example.com", 1840789.131578, 1642033008518660, "iptables DROP_INPUT: ", "0.0.0.0"), ("compute04.hc.va.local.example.com", 1840789.149093, 1642033008534638, "iptables DROP_INPUT: ", "0.0.0.0")]' < "$TMP/e.json"
eq "the headers and other fields are skipped, none an error" "0 18" \
	"$("$NATLOG" sql "SELECT errors || ' ' || skipped FROM sources" | tail -1)"

# bpf list, 2023 ("XDP SYNProxy SYN+ACK packet missing?"): FireHOL's
# iptables-save -c output quoted in a reply, "> " before every line, a
# mail client's wrapping breaking four rules. The quoted dump is read as a
# dump, its tables and rules kept; each broken-off piece is an error at
# its line.
use quotedsave
check_status "the quoted dump imports, the wrapped pieces reported" 3 \
	"$NATLOG" import -q "$R/bpf-2023-synproxy-save-quoted.txt"
"$NATLOG" sql --json "select tbl, chain, position, target from rules where position is not null order by id" > "$TMP/r.json"
check_json "its raw and nat rules are there, in their chains" \
	'("raw", "PREROUTING", 1, "SYNPROXY2SERVER_PRE") in [(r["tbl"], r["chain"], r["position"], r["target"]) for r in j] and ("nat", "POSTROUTING", 1, "MASQUERADE") in [(r["tbl"], r["chain"], r["position"], r["target"]) for r in j] and len(j) == 11' < "$TMP/r.json"
"$NATLOG" sql --json "select line from errors order by line" > "$TMP/e.json"
check_json "the pieces a mail client broke off are errors at their lines" \
	'[e["line"] for e in j] == [1, 11, 26, 28, 31]' < "$TMP/e.json"

# Notes on NFLOG found in a public code index: `sudo iptables -L`, its
# output quoted with "> " as Markdown does. The listing is read, its
# columns as aligned after the marks.
use quotedlist
check "a quoted iptables -L listing imports without error" "$NATLOG" import -q "$R/nflog-notes-iptables-L-quoted.txt"
"$NATLOG" sql --json "select tbl, chain, position, target from rules where position is not null order by id" > "$TMP/r.json"
check_json "its three rules, in filter's INPUT and OUTPUT" \
	'[(r["tbl"], r["chain"], r["position"], r["target"]) for r in j] == [("filter", "INPUT", 1, "NFLOG"), ("filter", "OUTPUT", 1, "CONNMARK"), ("filter", "OUTPUT", 2, "NFLOG")]' < "$TMP/r.json"

# Notes on Kubernetes services: `iptables -t nat -S KUBE-SEP-...` where
# the iptables run was older than the one kube-proxy used, so it printed
# "-j DNAT [unsupported revision]" in place of --to-destination. The rule
# keeps its place and its DNAT target; that its options are unknown is an
# error at its line, not a silent DNAT to nowhere.
use unsupported
check_status "the listing imports, the unreadable rule reported" 3 \
	"$NATLOG" import -q "$R/k8s-notes-iptables-S-unsupported-revision.txt"
"$NATLOG" sql --json "select chain, position, target, target_arg from rules where position is not null order by position" > "$TMP/r.json"
check_json "both rules are kept, the DNAT's address unknown" \
	'[(r["position"], r["target"], r["target_arg"]) for r in j] == [(1, "KUBE-MARK-MASQ", None), (2, "DNAT", None)]' < "$TMP/r.json"
"$NATLOG" sql --json "select line, reason from errors" > "$TMP/e.json"
check_json "the error names the line and what iptables printed" \
	'[(e["line"], "[unsupported revision]" in e["reason"]) for e in j] == [(4, True)]' < "$TMP/e.json"

# The same reply: the four rules the wrapping cut in two are not taken for
# rules without a target (which would let the packet go on): their target
# is unknown, "?", the piece after each an error naming the rule's line.
use quotedsave2
"$NATLOG" import -q "$R/bpf-2023-synproxy-save-quoted.txt" 2>/dev/null
"$NATLOG" sql --json "select tbl, chain, position, target from rules where target = '?' order by id" > "$TMP/r.json"
check_json "the cut rules' targets are unknown" \
	'[(r["tbl"], r["chain"], r["position"]) for r in j] == [("raw", "PREROUTING", 2), ("nat", "PREROUTING", 1), ("nat", "OUTPUT", 1), ("nat", "SYNPROXY2SERVER_OUT", 1)]' < "$TMP/r.json"
"$NATLOG" sql --json "select line, reason from errors where line = 26" > "$TMP/e.json"
check_json "the piece names the line of the rule it belongs to" \
	'len(j) == 1 and "the rule at line 25" in j[0]["reason"]' < "$TMP/e.json"

# dmesg -d (--show-delta) puts the time since the record before inside the
# stamp, as a forum post's `dmesg -d | grep error` shows ("[    1.991080
# <    0.075392>] usb 1-13: ..."); --time-format delta prints that time
# alone. Composed: those stamps before the UFW line of
# syslog4j-13-rfc5424-ufw.log. The uptime is the kernel's, the delta no
# part of the LOG prefix.
use dmesgdelta
cat > "$TMP/delta.log" <<'EOF'
[ 3132.531409 <    0.075392>] [UFW BLOCK] IN=enp9s0 OUT= MAC=01:2e:12:49:87:2b:01:36:1b:38:ad:80:08:50 SRC=219.15.121.109 DST=219.15.121.109 LEN=32 TOS=0x00 PREC=0x00 TTL=1 ID=0 PROTO=2
[<    0.215836>] [UFW BLOCK] IN=enp9s0 OUT= MAC=01:2e:12:49:87:2b:01:36:1b:38:ad:80:08:50 SRC=219.15.121.109 DST=219.15.121.109 LEN=32 TOS=0x00 PREC=0x00 TTL=1 ID=1 PROTO=2
EOF
check "dmesg -d and --time-format delta lines import" "$NATLOG" import -q "$TMP/delta.log"
"$NATLOG" sql --json "select uptime, prefix from events order by line" > "$TMP/e.json"
check_json "the uptime is read, the delta kept out of the prefix" \
	'[(e["uptime"], e["prefix"]) for e in j] == [(3132.531409, "[UFW BLOCK] "), (None, "[UFW BLOCK] ")]' < "$TMP/e.json"

# journalctl -o json-seq writes each record as -o json does, after RFC
# 7464's record separator (0x1E). Composed: the first record of
# elastic-iptables-journal-export.txt so written. It is read as the JSON
# record it is, not as a line whose LOG prefix starts with the record.
use jsonseq
printf '\036{"__REALTIME_TIMESTAMP":"1642033008518660","_HOSTNAME":"compute04.hc.va.local.example.com","_SOURCE_MONOTONIC_TIMESTAMP":"1840789131578","_TRANSPORT":"kernel","MESSAGE":"iptables DROP_INPUT: IN=eth1 OUT= MAC=ff:ff:ff:ff:ff:ff:b4:fb:e4:10:0b:51:08:00 SRC=0.0.0.0 DST=255.255.255.255 LEN=328 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=UDP SPT=68 DPT=67 LEN=308 "}\n' > "$TMP/seq.json"
check "a json-seq record imports" "$NATLOG" import -q "$TMP/seq.json"
"$NATLOG" sql --json "select host, uptime, prefix from events" > "$TMP/e.json"
check_json "its host, kernel time and prefix are the record's" \
	'[(e["host"], e["uptime"], e["prefix"]) for e in j] == [("compute04.hc.va.local.example.com", 1840789.131578, "iptables DROP_INPUT: ")]' < "$TMP/e.json"

# journalctl -o short-full (--utc) prints the weekday, date, time and zone
# (systemd's format_timestamp()). Composed: the first record of
# elastic-iptables-journal-export.txt as short-full prints it. The host is
# read, the LOG prefix is the rule's, and a UTC stamp is on the wall clock.
use shortfull
cat > "$TMP/full.log" <<'EOF'
Thu 2022-01-13 00:16:48 UTC compute04.hc.va.local.example.com kernel: iptables DROP_INPUT: IN=eth1 OUT= MAC=ff:ff:ff:ff:ff:ff:b4:fb:e4:10:0b:51:08:00 SRC=0.0.0.0 DST=255.255.255.255 LEN=328 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=UDP SPT=68 DPT=67 LEN=308 
EOF
check "a short-full line imports" "$NATLOG" import -q "$TMP/full.log"
"$NATLOG" sql --json "select host, wall_us, prefix from events" > "$TMP/e.json"
check_json "its host, wall time and prefix are read" \
	'[(e["host"], e["wall_us"], e["prefix"]) for e in j] == [("compute04.hc.va.local.example.com", 1642033008000000, "iptables DROP_INPUT: ")]' < "$TMP/e.json"

# Loki's logcli prints a stream's labels between the time and the line
# (grafana/loki pkg/logcli/output/default.go: RFC 3339 time, labels as
# {a="b", c="d"} padded with blanks, the line), and with -o jsonl an
# object of "timestamp", "line" and "labels" (output/jsonl.go). Composed:
# the kernel LOG line of Elastic's test-journald.json as a journal-scraped
# stream and as a kern.log-scraped one. The labels are no part of the LOG
# prefix; a host= label is the host.
use loki
cat > "$TMP/loki.log" <<'EOF'
2022-01-12T12:43:58Z {host="f780e7ca37a7", job="systemd-journal"}  iptables DROP_INPUT: IN=eth0 OUT= MAC=dc:a6:32:bd:54:fb:64:9e:f3:ce:a4:48:08:00 SRC=10.10.10.18 DST=10.10.10.34 LEN=40 TOS=0x00 PREC=0x00 TTL=63 ID=31214 DF PROTO=TCP SPT=443 DPT=40702 WINDOW=0 RES=0x00 RST URGP=0
2022-01-12T12:43:59Z {filename="/var/log/kern.log", job="varlogs"} Jan 12 12:43:59 f780e7ca37a7 kernel: [12345.678901] iptables DROP_INPUT: IN=eth0 OUT= MAC=dc:a6:32:bd:54:fb:64:9e:f3:ce:a4:48:08:00 SRC=10.10.10.18 DST=10.10.10.34 LEN=40 TOS=0x00 PREC=0x00 TTL=63 ID=31215 DF PROTO=TCP SPT=443 DPT=40702 WINDOW=0 RES=0x00 RST URGP=0
{"labels":{"host":"f780e7ca37a7","job":"systemd-journal"},"line":"iptables DROP_INPUT: IN=eth0 OUT= MAC=dc:a6:32:bd:54:fb:64:9e:f3:ce:a4:48:08:00 SRC=10.10.10.18 DST=10.10.10.34 LEN=40 TOS=0x00 PREC=0x00 TTL=63 ID=31216 DF PROTO=TCP SPT=443 DPT=40702 WINDOW=0 RES=0x00 RST URGP=0","timestamp":"2022-01-12T12:44:00Z"}
EOF
check "logcli's default and jsonl lines import without error" "$NATLOG" import -q "$TMP/loki.log"
"$NATLOG" sql --json "select host, uptime, wall_us, prefix from events order by line" > "$TMP/e.json"
check_json "each is a LOG line of host f780e7ca37a7 with the rule's prefix" \
	'[(e["host"], e["uptime"], e["wall_us"], e["prefix"]) for e in j] == [("f780e7ca37a7", None, 1641991438000000, "iptables DROP_INPUT: "), ("f780e7ca37a7", 12345.678901, 1641991439000000, "iptables DROP_INPUT: "), ("f780e7ca37a7", None, 1641991440000000, "iptables DROP_INPUT: ")]' < "$TMP/e.json"

# A published Docker port unreachable from outside (a blog post): the
# TRACE lines come from legacy tables a removed docker snap had left, and
# the post found the packet dropped by their FORWARD policy DROP
# (filter:FORWARD:policy:7); the iptables -L -v -n it showed first was
# iptables-nft's, with its FORWARD policy ACCEPT and a warning that legacy
# tables are present. With that listing alone natlog must not say accept.
use dksnap
check "the cut TRACE lines and both listings import" \
	"$NATLOG" import -q "$R/docker-snap-legacy-trace.log" "$R/docker-snap-iptables-legacy-L.txt"
"$NATLOG" explain --json --trace c69603c276 > "$TMP/x.json"
check_json "with the legacy listing, the FORWARD policy DROP dropped it" \
	'j["verdict"] == "drop" and (j["decided_by"]["chain"], j["decided_by"]["type"], j["decided_by"]["position"]) == ("FORWARD", "policy", 7)' < "$TMP/x.json"
use dksnapnft
"$NATLOG" import -q "$R/docker-snap-legacy-trace.log" "$R/docker-snap-nft-iptables-L.txt" 2>/dev/null
"$NATLOG" explain --json --trace c69603c276 > "$TMP/x.json"
check_json "with iptables-nft's listing only, the verdict is unknown and the legacy tables named" \
	'j["verdict"] == "unknown" and j["decided_by"] is None and any("iptables-legacy tables are present" in d for d in j["diagnosis"])' < "$TMP/x.json"
use dksnapall
"$NATLOG" import -q "$R/docker-snap-legacy-trace.log" "$R/docker-snap-nft-iptables-L.txt" "$R/docker-snap-iptables-legacy-L.txt" 2>/dev/null
"$NATLOG" explain --json --trace c69603c276 > "$TMP/x.json"
check_json "with both, the legacy listing is the one the trace fits" \
	'j["verdict"] == "drop" and j["dump"]["source"].endswith("docker-snap-iptables-legacy-L.txt")' < "$TMP/x.json"

# How to trace IPTables in RHEL7 (opensourcerers.org, reposted): a port
# forward to a libvirt guest, traced on a firewalld host. The post's
# trace shows the DNAT of 10.32.105.30:80 to the guest 192.168.101.10 by
# firewalld's nat PREROUTING_direct rule 1, then the packet forwarded to
# virbr1, where tail cut the trace. Its `iptables -t raw -L` is pasted in
# the same block: a dump inside a log is not read, and natlog says so
# rather than skip it.
use rhel7
check_status "a listing pasted in a log is an error" 3 \
	"$NATLOG" import -q "$R/opensourcerers-rhel7-raw-L-and-trace.txt"
"$NATLOG" sql --json "SELECT line, reason FROM errors" > "$TMP/e.json"
check_json "one error, at the listing's first chain" \
	'[(e["line"], e["reason"].startswith("a ruleset dump inside a log")) for e in j] == [(2, True)]' < "$TMP/e.json"
"$NATLOG" traces --json > "$TMP/t.json"
"$NATLOG" explain --json --trace "$(first_id any < "$TMP/t.json")" > "$TMP/x.json"
check_json "the DNAT to the guest is firewalld's PREROUTING_direct rule 1; the verdict unknown" \
	'[(n["to"], n["chain"], n["position"]) for n in j["nat"]] == [("192.168.101.10:80", "PREROUTING_direct", 1)] and j["verdict"] == "unknown"' < "$TMP/x.json"

# xtables-monitor --trace of pings from containers (notes on Docker
# network issues): each packet's trace id changes between prerouting and
# forward, the same packet all the same. On docker0, FORWARD accepts the
# ping, nat POSTROUTING's MASQUERADE rewrites its source after the trace,
# and conntrack turns the reply's destination back to 172.17.0.2. On the
# user-defined bridge the trace shows no nat POSTROUTING at all: natlog
# names no rewrite there.
use xtdocker
check "both runs import without error" "$NATLOG" import -q "$R/docker-bridge-xtables-monitor-trace.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "three packets, each accepted, the changed trace ids joined" \
	'[(p["trace"], p["verdict"]) for p in j] == [("2089bd8f", "accept"), ("119c5605", "accept"), ("5d0e7204", "accept")]' < "$TMP/t.json"
"$NATLOG" explain --json --trace 2089bd8f > "$TMP/x.json"
check_json "the user-defined bridge's ping: accepted by FORWARD, no rewrite named" \
	'j["aliases"] == ["d922bdcd"] and j["decided_by"]["chain"] == "FORWARD" and j["nat"] == []' < "$TMP/x.json"
"$NATLOG" explain --json --trace 119c5605 > "$TMP/x.json"
check_json "docker0's ping: MASQUERADE by nat POSTROUTING, after the last traced step" \
	'j["aliases"] == ["2e1c3e85"] and [(n["kind"], n["from"], n["chain"], n["after_trace"]) for n in j["nat"]] == [("MASQUERADE", "172.17.0.2", "POSTROUTING", True)]' < "$TMP/x.json"
"$NATLOG" explain --json --trace 5d0e7204 > "$TMP/x.json"
check_json "the reply's destination is turned back by conntrack" \
	'[(n["from"], n["to"], n["by"]) for n in j["nat"]] == [("192.168.91.132", "172.17.0.2", "conntrack")]' < "$TMP/x.json"

# Tony Bai's ping between two containers on docker0: the request is
# accepted by FORWARD rule 6 (-i docker0 -o docker0), the reply by rule 3
# (RELATED,ESTABLISHED). Between the TRACE lines, ebtables' own log lines
# (ebt_log: "MAC source = ... IP SRC=a IP DST=b, IP tos=0x00, IP
# proto=1") under a prefix imitating TRACE: LOG lines of the bridge
# ports, not broken TRACE lines.
use tonybai
check "the TRACE and ebtables lines and the listing import without error" \
	"$NATLOG" import -q "$R/tonybai-docker-bridge-trace-ebtables.log" "$R/tonybai-docker-iptables-nL-v-line-numbers.txt"
"$NATLOG" sql --json "SELECT line, kind, prefix, iif, oif, src, dst, proto, mac FROM events WHERE prefix LIKE 'TRACE: eb:%' ORDER BY line" > "$TMP/e.json"
check_json "the 8 ebtables lines are LOG lines of the bridge ports" \
	'len(j) == 8 and {e["kind"] for e in j} == {"log"} and (j[2]["prefix"], j[2]["iif"], j[2]["oif"], j[2]["src"], j[2]["dst"], j[2]["proto"], j[2]["mac"]) == ("TRACE: eb:filter:FORWARD ", "veth0594f4b", "veth57a3dec", "192.168.0.2", "192.168.0.3", 1, "02:42:c0:a8:00:03:02:42:c0:a8:00:02:08:00")' < "$TMP/e.json"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the request is accepted by FORWARD rule 6, the reply by rule 3" \
	'sorted((p["src"], p["verdict"], p["decided_by"]["position"]) for p in j if p["source"] == "iptables-trace") == [("192.168.0.2", "accept", 6), ("192.168.0.3", "accept", 3)]' < "$TMP/t.json"

# The same post's iptables-save, its chain lines written ": PREROUTING
# ACCEPT [...]" where ":P" would have become a smiley. iptables-restore
# skips the blank (strtok); natlog reads those chains too, and the trace
# fits the dump with every policy named.
use tonybaisave
check "the iptables-save with blanks after the colons imports without error" \
	"$NATLOG" import -q "$R/tonybai-docker-bridge-trace-ebtables.log" "$R/tonybai-docker-iptables-save-colon-space.txt"
"$NATLOG" sql --json "SELECT tbl, name, policy FROM chains WHERE name IN ('PREROUTING', 'POSTROUTING', 'DOCKER') ORDER BY tbl, name" > "$TMP/c.json"
check_json "the chains of the ': NAME' lines are read, with their policies" \
	'[(c["tbl"], c["name"], c["policy"]) for c in j] == [("filter", "DOCKER", None), ("nat", "DOCKER", None), ("nat", "POSTROUTING", "ACCEPT"), ("nat", "PREROUTING", "ACCEPT"), ("raw", "PREROUTING", "ACCEPT")]' < "$TMP/c.json"
"$NATLOG" explain --json --trace aa6b9deaca > "$TMP/x.json"
check_json "the request's trace fits the dump, accepted by FORWARD rule 6" \
	'j["dump"]["fits"] and all(s["matches_dump"] for s in j["steps"]) and j["decided_by"]["position"] == 6' < "$TMP/x.json"

# A post's shortened TRACE lines, "TRACE: " cut: "nat:DOCKER:rule:2
# IN=enp0s8 ...". The post: after nat DOCKER (rule 2, -j DNAT
# --to-destination 172.17.0.2:80) the destination is the container's,
# from another machine and from the host alike. A prefix that is a whole
# TRACE prefix of an iptables table is a TRACE line, not a LOG rule's.
use tracecut
check "the shortened lines import without error" "$NATLOG" import -q "$R/docker-notes-trace-word-cut.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "two traced packets, not fourteen logged ones" \
	'[(p["source"], p["src"], p["dst"]) for p in j] == [("iptables-trace", "10.0.3.122", "10.0.3.121"), ("iptables-trace", "172.17.0.1", "172.17.0.1")]' < "$TMP/t.json"
for id in 2ca82dd562 d97da2834a; do
	"$NATLOG" explain --json --trace "$id" > "$TMP/x-$id.json"
	check_json "packet $id: DNAT to 172.17.0.2 by nat DOCKER rule 2" \
		'[(n["kind"], n["to"], n["chain"], n["position"]) for n in j["nat"]] == [("DNAT", "172.17.0.2", "DOCKER", 2)]' < "$TMP/x-$id.json"
done
# ulogd2's JSON output plugin writes one object a line for each packet an
# NFLOG rule sent (ulogd_output_JSON.c): the rule's prefix in "oob.prefix",
# the addresses and ports under IP2STR's CIM names, the packet's own time in
# "oob.time.sec"/"oob.time.usec". Each is a LOG line of that prefix.
use ulogdjson
check "ulogd JSON records import without error" "$NATLOG" import -q "$R/ulogd-json-nflog.json"
eq "read as ulogd's JSON, not skipped as no format" "ulogd-json 2 0" \
	"$("$NATLOG" sql "SELECT kind || ' ' || events || ' ' || errors FROM sources" | tail -n +2)"
"$NATLOG" sql --json "select kind, prefix, family, iif, src, dst, proto, sport, dport, len, ttl, tcp_seq, tcp_flags, icmp_type, wall_us, mac from events order by line" > "$TMP/e.json"
check_json "the TCP SYN: its prefix, interface, addresses, ports, LEN= as the kernel counts it (IPv6 header too), SEQ and flags" \
	'j[0] == {"kind": "log", "prefix": "[NFTABLES HTTP PKT]", "family": 6, "iif": "eth2", "src": "fde4:8dba:82e1:1006::1001", "dst": "fde4:8dba:82e1:1006::1002", "proto": 6, "sport": 52938, "dport": 80, "len": 80, "ttl": 64, "tcp_seq": 3860706922, "tcp_flags": 2, "icmp_type": None, "wall_us": 1684666445058650, "mac": "08:00:27:2d:64:2b:08:00:27:5b:f8:27:86:dd"}' < "$TMP/e.json"
check_json "the ICMPv6 router advertisement: type 134, the time from oob.time.sec and usec" \
	'(j[1]["prefix"], j[1]["proto"], j[1]["icmp_type"], j[1]["iif"], j[1]["dst"], j[1]["wall_us"]) == ("DRP:INP ", 58, 134, "wlan0", "ff02::1", 1658754118947620)' < "$TMP/e.json"
check "traces lists them as logged packets" "$NATLOG" traces
check_grep "with the prefix" 'only logged: LOG "\[NFTABLES HTTP PKT\]"' "$TMP/out"

# ulogd's NFCT input through PRINTFLOW logs connections in words like a
# packet log's ("[DESTROY] ORIG: SRC=... DST=... PROTO=UDP SPT= DPT= PKTS=
# BYTES= , REPLY: SRC=..."; ulogd util/printflow.c). They are no packets:
# read as LOG lines they took "[DESTROY] ORIG:" for a prefix and the
# reply's ports for the packet's. Each line is an error saying what it is.
use printflow
check_status "ulogd's PRINTFLOW lines are errors (exit 3)" 3 "$NATLOG" import -q "$R/ulogd-printflow-nfct.log"
eq "no packet is made of them" "0" "$("$NATLOG" sql "SELECT count(*) FROM events" | tail -n +2)"
"$NATLOG" errors --json > "$TMP/pf.json"
check_json "both lines, named as ulogd's conntrack records" \
	'[(e["line"], "ulogd logged from conntrack" in e["reason"]) for e in j] == [(1, True), (2, True)]' < "$TMP/pf.json"

# nftables' tests/shell trace/0001simple (its ids set to 0 by the test):
# an echo request traced through pre and input, then the reply traced at
# output under the same id. The kernel's trace id is a pseudo-id of the
# skb, and the reply's skb may take the request's place: a second packet,
# told by its ICMP type, its conntrack direction and its swapped addresses;
# read as one it had the reply's addresses as NAT by conntrack.
use reuse
check "the test's trace and ruleset import without error" "$NATLOG" import -q \
	"$R/nftables-trace-0001simple.trace" "$R/nftables-trace-0001simple.nft"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "two packets: the request accepted by input's policy, the reply by output's" \
	'[(p["src"], p["icmp_type"], p["verdict"], p["decided_by"]["chain"]) for p in j] == [("10.23.42.2", 8, "accept", "input"), ("10.23.42.1", 0, "accept", "output")]' < "$TMP/t.json"
"$NATLOG" explain --json --trace 0 > "$TMP/x.json"
check_json "and the request shows no NAT" 'j["nat"] == [] and j["steps"][-1]["chain"] == "input"' < "$TMP/x.json"

# A blog's ClusterIP trace and the iptables -L listings it pasted next, in
# Markdown fences and with the author's "# 192.168.1.3" note above each
# rule of KUBE-SVC-5MRENC7Q6ZQR6GKR. The notes and fences are errors that
# take no rule position: the trace's rule 3 is the third rule, whose jump
# the trace follows, not the author's second note.
use hexo
check_status "the trace and the annotated listing import, the notes reported (exit 3)" 3 \
	"$NATLOG" import -q "$R/k8s-clusterip-trace-hexo.txt" "$R/k8s-clusterip-listing-notes.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "each note and fence inside a chain is one error at its line" \
	'[e["line"] for e in j if "takes no rule position" in e["reason"]] == [7, 8, 12, 14, 16, 18]' < "$TMP/e.json"
"$NATLOG" traces --json > "$TMP/t.json"
"$NATLOG" explain --json --trace "$(first_id traced < "$TMP/t.json")" > "$TMP/x.json"
check_json "KUBE-SVC rule 3 is the listing's third rule, the jump the trace takes next" \
	'[s["rule"] for s in j["steps"] if s["chain"] == "KUBE-SVC-5MRENC7Q6ZQR6GKR"] == ["KUBE-SEP-M7XDXP4L3HZCSYD6 all -- anywhere anywhere"]' < "$TMP/x.json"
check_json "and the DNAT to the pod is found, by KUBE-SEP rule 2" \
	'[(n["to"], n["chain"], n["position"]) for n in j["nat"]] == [("192.168.2.4:8080", "KUBE-SEP-M7XDXP4L3HZCSYD6", 2)]' < "$TMP/x.json"

# A docker and Calico article's ping, its TRACE lines cut in the middle
# ("PROTO8 CODE=0 ID=3584 SEQ=1"): a line that lost PROTO= but prints
# CODE= is ICMP, its second ID= the echo's. The reply's lines whose DST=
# was cut are a packet of their own that starts in filter user chains with
# IN= only: the input hook, the only one of table filter a packet comes in
# by and stays.
use calico
check_status "the garbled article imports, its cut lines reported (exit 3)" 3 \
	"$NATLOG" import -q "$R/calico-docker-ping-garbled.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the request keeps its IP ID 45708, 3584 as the echo's id" \
	'[(p["ip_id"], p["icmp_id"]) for p in j if p["src"] == "172.16.91.225"] == [(45708, 3584)]' < "$TMP/t.json"
"$NATLOG" explain --json --trace "$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(sys.stdin) if p["dst"] is None][0])' < "$TMP/t.json")" > "$TMP/x.json"
check_json "the reply's filter user chains, seen first, are at the input hook" \
	'[(s["hook"], s["table"]) for s in j["steps"]] == [("input", "filter")] * 3' < "$TMP/x.json"

# CrowdSec's iptables-logs parser test: a LOG line and the project's
# altered copies, one with "XX=" where the kernel prints IN=, and a line
# of another host. The "XX=" one is
# an error that names the field, not "the rest of a line broken in two".
use crowdsec
check_status "the parser test's lines import, the altered one reported (exit 3)" 3 \
	"$NATLOG" import -q "$R/crowdsec-hub-iptables-logs.log"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "one error, at line 3, naming 'XX=enp1s0'" \
	'[(e["line"], e["reason"].startswith("\x27XX=enp1s0\x27 where the kernel prints IN=")) for e in j] == [(3, True)]' < "$TMP/e.json"
eq "the other three are logged packets, the interface 'enp.1s0' kept" "enp1s0,enp.1s0,lo" \
	"$("$NATLOG" sql "SELECT group_concat(iif, ',') FROM (SELECT iif FROM events ORDER BY line)" | tail -n +2)"

# A netdev mail: conntrack -L entries, then dmesg -T LOG and "bad
# checksum" lines in one paste. Read as a kernel log, each conntrack entry
# is an error (it had been skipped without a word), and the invalid
# replies are there.
use ctinlog
check_status "the mail imports, its conntrack entries reported (exit 3)" 3 \
	"$NATLOG" import -q "$R/netdev-2021-snmp-conntrack-L-and-log.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "each of the 11 conntrack -L entries is an error at its line" \
	'[e["line"] for e in j if "conntrack table entry" in e["reason"]] == list(range(2, 13))' < "$TMP/e.json"
"$NATLOG" invalid --json > "$TMP/i.json"
check_json "the six bad-checksum replies are listed" \
	'len(j) == 6 and all("bad checksum" in r["reason"] for r in j)' < "$TMP/i.json"
# and the other way round (composed from the same mail): more entries
# than log lines make a conntrack file, whose LOG lines say what they are
sed -n '2,4p;22,23p' "$R/netdev-2021-snmp-conntrack-L-and-log.txt" > "$TMP/ctmost.txt"
"$NATLOG" import -q "$TMP/ctmost.txt" 2>/dev/null
"$NATLOG" errors --json > "$TMP/e2.json"
check_json "a LOG line among conntrack entries is an error saying it is a kernel log line" \
	'[(e["line"], e["reason"].startswith("a kernel log line")) for e in j if e["file"].endswith("ctmost.txt")] == [(4, True), (5, True)]' < "$TMP/e2.json"

# kube-router's pull request 618: iptables --list-rules trimmed with
# "...". Among the policies it hides chains only; after a rule it hides
# rules, so the rules after it have no known position and are errors, not
# rules 1 and 2 of their chain.
use elided
check_status "the trimmed listing imports, the elisions reported (exit 3)" 3 \
	"$NATLOG" import -q "$R/kube-router-618-list-rules-elided.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "each '...' says what it hides, and each rule after the second is an error" \
	'[(e["line"], e["reason"].split(":")[1][:12]) for e in j] == [(5, " the chains "), (8, " the rules a"), (9, " its positio"), (10, " its positio")]' < "$TMP/e.json"
eq "the one rule before it is INPUT's first" "filter:INPUT:1" \
	"$("$NATLOG" sql "SELECT group_concat(tbl || ':' || chain || ':' || position) FROM rules" | tail -n +2)"

# firewalld#1055: STATE_INVALID_DROP lines of IPv6 ACKs on lo, and the
# filter_INPUT chain `nft list chain` printed. nft's log statement prints
# the same line as iptables' LOG, so nft dumps are searched for the rule
# too: this chain has none of that prefix (LogDenied's rule is elsewhere),
# which explain says, where it had said that no dump was imported.
use fw1055
check_status "the log lines and the listed chain import (its prompts reported, exit 3)" 3 \
	"$NATLOG" import -q "$R/firewalld-1055-lo-invalid.log" "$R/firewalld-1055-filter-INPUT.nft"
"$NATLOG" traces --json > "$TMP/t.json"
"$NATLOG" explain --json --trace "$(first_id any < "$TMP/t.json")" > "$TMP/x.json"
check_json "no log rule of the nft dump has the prefix: said so, not that no dump was imported" \
	'any(d.startswith("no LOG rule of the imported ruleset dump has this prefix") for d in j["diagnosis"]) and not any("no ruleset dump was imported" in d for d in j["diagnosis"])' < "$TMP/x.json"
# composed: the chain with firewalld's log rule before the invalid drop
use fw1055log
sed 's|^\t\tct state invalid drop$|\t\tct state invalid log prefix "STATE_INVALID_DROP: "\n\t\tct state invalid drop|' \
	"$R/firewalld-1055-filter-INPUT.nft" > "$TMP/fw-log.nft"
"$NATLOG" import -q "$R/firewalld-1055-lo-invalid.log" "$TMP/fw-log.nft" 2>/dev/null
"$NATLOG" traces --json > "$TMP/t.json"
"$NATLOG" explain --json --trace "$(first_id any < "$TMP/t.json")" > "$TMP/x.json"
check_json "the nft log rule of that prefix is named, and the drop after it" \
	'j["diagnosis"][:2] == ["logged by inet firewalld filter_INPUT rule 4 (ct state invalid log prefix \"STATE_INVALID_DROP: \")", "after it comes inet firewalld filter_INPUT rule 5 (ct state invalid drop); whether the packet matched it, natlog cannot tell from a LOG line"]' < "$TMP/x.json"

finish
