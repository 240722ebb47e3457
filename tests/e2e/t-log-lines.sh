#!/bin/sh
# LOG lines are not only rows: a packet that was only LOGged is listed and
# explained, and a LOG line of a traced packet is shown with that packet,
# even when it was stored apart from it (here: in another file).
. "$(dirname "$0")/lib.sh"
L=$TD/lab/log-target

# the lab's first connection: its SYN's LOG line ("fwd-web: ", line 5 of
# dmesg) moved into a file of its own
grep -n . "$L/dmesg.txt" | sed -n '5p' | cut -d: -f2- > "$TMP/fwd-web.log"
sed '5d' "$L/dmesg.txt" > "$TMP/dmesg-without.txt"
check "the trace and the lone LOG line import" "$NATLOG" import -q "$TMP/dmesg-without.txt" "$TMP/fwd-web.log" "$L/iptables-save.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the LOG line of a traced packet is not listed on its own" \
	'not any(p["logged"] and p["log_prefix"] == "fwd-web:" for p in j)' < "$TMP/t.json"
syn=$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(open(sys.argv[1])) if p["dport"] == 8080 and p["tcp_flags"] == "SYN"][0])' "$TMP/t.json")
"$NATLOG" explain --json --trace "$syn" > "$TMP/x.json"
check_json "explain shows it with the traced SYN" \
	'[(e["source"], e["prefix"], e["file"].endswith("fwd-web.log")) for e in j["evidence"] if e["source"] == "log" and e["prefix"] == "fwd-web: "] == [("log", "fwd-web: ", True)]' < "$TMP/x.json"

# seventeen LOG rules logged the SYN (each its own prefix, in a file
# apart): traces leaves all of them out, so explain must show all of them
export NATLOG_DB="$TMP/many.db"
for i in $(seq 10 26); do
	sed "s/^\[ 1635.385613\] fwd-web:/[ 1635.3856$i] fwd-web$i:/" "$TMP/fwd-web.log"
done > "$TMP/many.log"
check "seventeen LOG lines of one packet import" "$NATLOG" import -q "$TMP/dmesg-without.txt" "$TMP/many.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "none is listed on its own" 'not any(p["logged"] for p in j)' < "$TMP/t.json"
syn=$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(open(sys.argv[1])) if p["dport"] == 8080 and p["tcp_flags"] == "SYN"][0])' "$TMP/t.json")
"$NATLOG" explain --json --trace "$syn" > "$TMP/x.json"
check_json "explain of the SYN shows all seventeen" \
	'sorted(e["prefix"] for e in j["evidence"] if e["source"] == "log" and e["file"].endswith("many.log")) == ["fwd-web%d: " % i for i in range(10, 27)]' < "$TMP/x.json"

# the same LOG line three seconds after its trace ended is not that
# packet's (a later one of the same identity): it is not attached to it
export NATLOG_DB="$TMP/late.db"
{ cat "$L/dmesg.txt"; sed 's/^\[ 1635.385613\]/[ 1638.500000]/' "$TMP/fwd-web.log"; } > "$TMP/late.txt"
check "a late LOG line imports" "$NATLOG" import -q "$TMP/late.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "it is a logged packet of its own" \
	'[p["time"] for p in j if p["logged"]] == ["1638.500000"]' < "$TMP/t.json"

# alone (without its trace), the same line is a packet of its own
export NATLOG_DB="$TMP/alone.db"
check "the lone LOG line imports" "$NATLOG" import -q "$TMP/fwd-web.log" "$L/iptables-save.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "it is listed as logged, verdict unknown and not inferred" \
	'len(j) == 1 and j[0]["logged"] and j[0]["source"] == "log" and j[0]["log_prefix"] == "fwd-web:" and j[0]["verdict"] == "unknown" and not j[0]["verdict_inferred"] and j[0]["dport"] == 80' < "$TMP/t.json"
"$NATLOG" traces > "$TMP/t.txt"
check_grep "the text listing says it was only logged" '(only logged: LOG "fwd-web:")' "$TMP/t.txt"
"$NATLOG" explain --json --trace "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["trace"])' "$TMP/t.json")" > "$TMP/x.json"
check_json "explain names the dump's LOG rule with that prefix" \
	'any(d.startswith("logged by filter:") and "--log-prefix \"fwd-web: \"" in d for d in j["diagnosis"]) and any("cannot tell" in d or "unknown" in d for d in j["diagnosis"])' < "$TMP/x.json"
# Packets known only from LOG lines, recorded by the kernel (the lab's
# log-dnat): each was logged before DNAT (mangle PREROUTING) and after it
# (filter FORWARD). A packet's lines are one packet; the SYNs sent again
# with the same SEQ, each logged twice, stay three packets.
D=$TD/lab/log-dnat
for f in dmesg.txt dmesg-T.txt messages; do
	export NATLOG_DB="$TMP/dnat-$f.db"
	check "$f: the LOG lines and the dump import" "$NATLOG" import -q "$D/$f" "$D/iptables-save.txt"
	"$NATLOG" traces --json > "$TMP/t.json"
	check_json "$f: 30 LOG lines are 16 packets: 14 IP packets of two lines each, 2 ARP" \
		'len(j) == 16 and all(p["source"] == "log" for p in j) and len([p for p in j if p["family"] == "ip"]) == 14' < "$TMP/t.json"
	check_json "$f: an ARP line's packet has no IP family and no IP addresses" \
		'[(p["log_prefix"], p["src"], p["dst"]) for p in j if p["family"] is None] == [("arp-in:", None, None)] * 2' < "$TMP/t.json"
	eq "$f: its ARP fields are kept as printed" "2" \
		"$("$NATLOG" sql "SELECT count(*) FROM events WHERE extra LIKE 'ARP HTYPE=1 PTYPE=0x0800 OPCODE=_ MACSRC=% IPSRC=10.77.%'" | tail -1)"
	syns=$(python3 -c 'import json,sys; print(" ".join(p["trace"] for p in json.load(open(sys.argv[1])) if p["dport"] == 9090))' "$TMP/t.json")
	check_json "$f: the three SYNs to 9090 (one SEQ, three IP IDs) are three packets" \
		'len([p for p in j if p["dport"] == 9090]) == 3 and len({p["ip_id"] for p in j if p["dport"] == 9090}) == 3' < "$TMP/t.json"
	for t in $syns; do
		"$NATLOG" explain --json --trace "$t" > "$TMP/x.json"
		check_json "$f: SYN $t: the dump's DNAT rule to port 81 is named" \
			'any(d.startswith("nat:PREROUTING:rule:2 (-A PREROUTING -d 10.77.1.1/32 -p tcp -m tcp --dport 9090 -j DNAT --to-destination 10.77.2.10:81) DNATs to 10.77.2.10:81") for d in j["diagnosis"])' < "$TMP/x.json"
		check_json "$f: SYN $t has its line before DNAT and its line in FORWARD" \
			'[e["prefix"] for e in j["evidence"] if e["source"] == "log"] == ["pre-dnat: ", "fwd-drop: "] and any("10.77.1.1:9090 at LOG" in d and "10.77.2.10:81 at LOG" in d for d in j["diagnosis"])' < "$TMP/x.json"
	done
	web=$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(open(sys.argv[1])) if p["dport"] == 8080 and p["tcp_flags"] == "SYN"][0])' "$TMP/t.json")
	"$NATLOG" explain --json --trace "$web" > "$TMP/x.json"
	check_json "$f: explain of the web SYN names both LOG rules and the DNAT between them" \
		'sum(d.startswith("logged by ") for d in j["diagnosis"]) == 2 and any(d.startswith("logged by mangle:PREROUTING:rule:1 ") for d in j["diagnosis"]) and any(d.startswith("logged by filter:FORWARD:rule:1 ") for d in j["diagnosis"]) and any(d.startswith("its destination was 10.77.1.1:8080 at LOG") and "10.77.2.10:80 at LOG" in d for d in j["diagnosis"]) and j["verdict"] == "unknown"' < "$TMP/x.json"
	check_json "$f: the rules after a LOG rule that the packet cannot match are passed over" \
		'any(d == "it is the last rule of filter FORWARD that can match the packet, so the packet went on to the chain\x27s policy" for d in j["diagnosis"])' < "$TMP/x.json"
	check_json "$f: the SYN-ACK (IP ID 0) is one packet of two lines too" \
		'len([p for p in j if p["sport"] == 80 and p["tcp_flags"] == "ACK SYN"]) == 1' < "$TMP/t.json"
done
"$NATLOG" explain --trace "$web" > "$TMP/x.txt"
check_grep "explain's text lists both lines under logged" "LOG 'fwd-in: '  in eth0 out eth1" "$TMP/x.txt"
# the ARP lines come from the lab's nft arp table ("log prefix"): nft's log
# statement prints the kernel's LOG line, so nft dumps name its rule too
export NATLOG_DB="$TMP/dnat-nft.db"
"$NATLOG" import -q "$D/dmesg.txt" "$D/nft-ruleset.txt"
arp=$("$NATLOG" traces --json | python3 -c 'import json,sys; print([p["trace"] for p in json.load(sys.stdin) if p["family"] is None][0])')
"$NATLOG" explain --json --trace "$arp" > "$TMP/x.json"
check_json "an ARP line is said to be logged by the nft arp table's log rule, from the nft dump" \
	'j["diagnosis"][:2] == ["logged by arp arplog in rule 1 (log prefix \"arp-in: \")", "it is the last rule of arp arplog in, so the packet went on to the chain\x27s policy"]' < "$TMP/x.json"
if grep -q "other sources" "$TMP/x.txt"; then not_ok "its own LOG lines are not listed as other sources"; else ok "its own LOG lines are not listed as other sources"; fi

# What must stay apart: one rule's lines of packets alike but for the
# IP ID (the next packet repeats the prefix), UDP lines of IP ID 0
# (a QUIC flow's packets of one length: nothing tells them apart), and a
# line that goes back from FORWARD to PREROUTING.
export NATLOG_DB="$TMP/apart.db"
hdr='Mar  3 10:00:01 gw kernel: [ 100.0000'
pk='MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.7 DST=198.51.100.1 LEN=1280 TOS=0x00 PREC=0x00'
{
	echo "${hdr}01] quic-in: IN=eth0 OUT= $pk TTL=55 ID=0 DF PROTO=UDP SPT=50000 DPT=443 LEN=1260 "
	echo "${hdr}02] quic-fwd: IN=eth0 OUT=br0 $pk TTL=54 ID=0 DF PROTO=UDP SPT=50000 DPT=443 LEN=1260 "
	echo "${hdr}03] web-fwd: IN=eth0 OUT=br0 $pk TTL=54 ID=7 DF PROTO=TCP SPT=40000 DPT=443 WINDOW=64 RES=0x00 ACK URGP=0 "
	echo "${hdr}04] web-in: IN=eth0 OUT= $pk TTL=55 ID=7 DF PROTO=TCP SPT=40000 DPT=443 WINDOW=64 RES=0x00 ACK URGP=0 "
	echo "${hdr}05] web-in: IN=eth0 OUT= $pk TTL=55 ID=7 DF PROTO=TCP SPT=40000 DPT=443 WINDOW=64 RES=0x00 ACK URGP=0 "
	echo "${hdr}06] web-in: IN=eth0 OUT= $pk TTL=57 ID=8 DF PROTO=TCP SPT=40000 DPT=443 WINDOW=64 RES=0x00 ACK URGP=0 "
	echo "${hdr}07] web-fwd: IN=eth0 OUT=br0 $pk TTL=58 ID=8 DF PROTO=TCP SPT=40000 DPT=443 WINDOW=64 RES=0x00 ACK URGP=0 "
} > "$TMP/apart.log"
check "lines of packets alike import" "$NATLOG" import -q "$TMP/apart.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "each is a packet of its own, but for none" \
	'len(j) == 7 and all(p["source"] == "log" for p in j)' < "$TMP/t.json"

# The 2.4 bridge-netfilter patch printed PHYSIN= between IN= and OUT=:
# the fields start at the IN= that begins a word, not at the IN= inside
# PHYSIN=, and the prefix ends before them.
export NATLOG_DB="$TMP/physin.db"
check "a bridge line with PHYSIN= between IN= and OUT= imports" "$NATLOG" import -q "$TD/real/exercise-bridge-nf-physin-between.log"
eq "its prefix and its four interfaces" "INBOUND TCP: |br0|eth0|br0|eth1" \
	"$("$NATLOG" sql "SELECT prefix || '|' || iif || '|' || physin || '|' || oif || '|' || physout FROM events" | tail -n +2)"

# OpenWrt's logread prints no host, and a stamp with its weekday and year:
# the host is unknown, not the year, and the time is the whole stamp, on
# the wall clock since the year is known.
export NATLOG_DB="$TMP/logread.db"
check "logread lines import" env TZ=UTC "$NATLOG" import -q "$TD/real/gluon-1284-openwrt-logread.log"
eq "no host, the stamp with its year, its wall time and uptime, fw3's prefix" \
	"NULL|Mon Dec 25 13:31:15 2017|1514208675000000|45020.39382|REJECT(src wan)
NULL|Mon Dec 25 13:31:37 2017|1514208697000000|45042.333568|REJECT(src wan)" \
	"$("$NATLOG" sql "SELECT quote(host) || '|' || time || '|' || wall_us || '|' || uptime || '|' || prefix FROM events ORDER BY line" | tail -n +2)"
TZ=UTC "$NATLOG" summary > "$TMP/s.txt"
check_grep "the summary places them in 2017" "^time:     2017-12-25 13:31:15 .. 2017-12-25 13:31:37 (2 of 2 packets)" "$TMP/s.txt"

# A syslog line without a tag (a UniFi OS gateway's): the word after the
# time is the host, and the LOG prefix starts after it.
export NATLOG_DB="$TMP/notag.db"
check "untagged syslog lines import" "$NATLOG" import -q "$TD/real/elastic-ubnt-unifi-syslog-descr.log"
eq "the host is the gateway, the prefix is UniFi's rule and description" \
	"unifi-r1|[VPN_LAN-D-10004] DESCR=\"Block VPN to Internal - Other\" |wgsrv1
unifi-r1|[LAN_VPN-A-2147483647] DESCR=\"[LAN_VPN]Allow All Traffic\" |br2" \
	"$("$NATLOG" sql "SELECT host || '|' || prefix || '|' || iif FROM events ORDER BY line" | tail -n +2)"
# a LOG prefix right after the time, with no host ("DENY: IN="), stays
# the prefix
printf 'Jan  8 03:37:09 DENY: IN=eth0 OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 SRC=192.0.2.7 DST=198.51.100.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=UDP SPT=5000 DPT=53 LEN=40 \n' > "$TMP/deny.log"
check "a hostless line imports" "$NATLOG" import -q "$TMP/deny.log"
eq "it has no host and its prefix" "NULL|DENY: " \
	"$("$NATLOG" sql "SELECT quote(host) || '|' || prefix FROM events WHERE iif = 'eth0'" | tail -n +2)"

# Two LOG lines alike in every field, IP ID 0, but for the TCP window: a
# packet's window does not change from one LOG rule to the next (NAT does
# not touch it), so they are two packets.
export NATLOG_DB="$TMP/window.db"
check "two lines of two windows import" "$NATLOG" import -q "$TD/real/beats-iptables-ubiquiti-window.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "they are two packets, one line each" \
	'sorted((p["log_prefix"], p["source"]) for p in j) == [("[WAN_OUT-2000-A]", "log"), ("[source-dest-default-D]", "log")]' < "$TMP/t.json"
eq "each line its own packet" "2" "$("$NATLOG" sql "SELECT count(DISTINCT packet_id) FROM events" | tail -n +2)"

# A log collector's JSON (Vector's syslog source) holds the LOG line in
# "message", not in the journal's MESSAGE: it is read, with the record's
# host and time stamp. A JSON line whose netfilter fields sit in a key
# natlog does not read is an error, never skipped in silence.
export NATLOG_DB="$TMP/collector.db"
check "a collector's JSON line imports" "$NATLOG" import -q "$TD/real/vconfig-vector-syslog-json-ufw.log"
eq "its packet, host, time and prefix" \
	"syslog-sender|2021-09-06T08:00:26Z|1630915226000000|[UFW BLOCK] |enp0s3|10.0.11.72|34930" \
	"$("$NATLOG" sql "SELECT host || '|' || time || '|' || wall_us || '|' || prefix || '|' || iif || '|' || src || '|' || dport FROM events" | tail -n +2)"
printf '%s\n' '{"msg":"[UFW BLOCK] IN=eth0 OUT= MAC= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=0 RES=0x00 RST URGP=0 "}' > "$TMP/other-key.json"
"$NATLOG" import -q "$TMP/other-key.json" 2>/dev/null
eq "a LOG line in another key is an error that says why" "1|0" \
	"$("$NATLOG" sql "SELECT (SELECT count(*) FROM errors WHERE reason LIKE '%no MESSAGE, message, log or line%') || '|' || (SELECT skipped FROM sources WHERE path LIKE '%other-key.json')" | tail -n +2)"
finish
