#!/bin/sh
# LOG lines of firewall front-ends and vendors, in the envelopes they were
# posted in (testdata/real): each packet is read with its fields, or the
# line is an error; none is lost in another's fields.
. "$(dirname "$0")/lib.sh"
R=$TD/real

# ulogd's syslogemu on a UniFi Dream Machine: four records run together on
# one line with no "kernel:" tag between them. Each is a packet of its
# own, not unknown fields of the first.
export NATLOG_DB="$TMP/udm.db"
check "the UDM Pro ulogd lines import" "$NATLOG" import -q "$R/udm-pro-ulogd-run-on.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "six packets: four from the run-together line" \
	'sorted(p["ip_id"] for p in j) == [4182, 11002, 11003, 11004, 27327, 44595]' < "$TMP/t.json"
check_json "the run-on records have their time, host and prefix" \
	'[(p["time"], p["host"], p["log_prefix"]) for p in j if p["ip_id"] in (11002, 11003, 11004)] == [("May 14 13:12:11", "UDM-Pro", "[LAN_LOCAL-RET-2147483647] DESCR=\"no rule description\"")] * 3' < "$TMP/t.json"
eq "no record's fields hold another record" "0" \
	"$("$NATLOG" sql "SELECT count(*) FROM events WHERE extra LIKE '%SRC=%' OR extra LIKE '%IN=%'" | tail -1)"
check_status "natlog errors has nothing to say" 1 "$NATLOG" errors

# composed from its first line: the second record's time removed, so
# nothing says where it starts; its IN= and SRC= are then no unknown
# fields of the first packet but an error
export NATLOG_DB="$TMP/udm-cut.db"
head -n 1 "$R/udm-pro-ulogd-run-on.log" | sed 's/MARK=40000        May 14 13:12:11 /MARK=40000 /' > "$TMP/cut.log"
check_status "the line without the time imports with an error" 3 "$NATLOG" import -q "$TMP/cut.log"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the error says another record ran on" \
	'len(j) == 1 and j[0]["line"] == 1 and "another record run on" in j[0]["reason"]' < "$TMP/e.json"

# IPv6 fragments: the fragment header's identification is the packet's IP
# ID, as a capture of it gives (tcpdump: "frag (0x5efa507c:1232|376)"),
# inside --log-ip-options' "OPT ( ... )" (Server Fault 533704) or bare
# (a UFW line of a Linux Mint forum thread)
export NATLOG_DB="$TMP/frag6.db"
check "the fragment lines import" "$NATLOG" import -q "$R/serverfault-533704-ip6-frag-opt.log" "$R/mint-forum-2013-ufw-ip6-frag.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the fragment in OPT ( ) has its ID, UDP and no ports" \
	'[(p["ip_id"], p["proto"], p["sport"], p["dport"]) for p in j if p["host"] == "grummle"] == [(0x5efa507c, "udp", None, None)]' < "$TMP/t.json"
check_json "the bare fragment header has its ID too" \
	'[p["ip_id"] for p in j if p["family"] == "ip6" and p["host"] is None] == [0x2d4055e5]' < "$TMP/t.json"
eq "the offsets are kept as printed, the IDs no longer unknown fields" "FRAG:1232|FRAG:1232" \
	"$("$NATLOG" sql "SELECT group_concat(extra, '|') FROM events WHERE family = 6" | tail -1)"
# composed from the kernel's format (dump_ipv6_packet) around the forum's
# line: the first fragment, "INCOMPLETE" between FRAG: and ID: when more
# follow, is MF, not a truncated packet
export NATLOG_DB="$TMP/frag6-first.db"
sed -n 2p "$R/mint-forum-2013-ufw-ip6-frag.log" | sed 's/FRAG:1232 ID:2d4055e5 PROTO=UDP /FRAG:0 INCOMPLETE ID:2d4055e5 PROTO=UDP SPT=5353 DPT=5353 LEN=1240 /' > "$TMP/first.log"
check "the first fragment imports" "$NATLOG" import -q "$TMP/first.log"
eq "its ID, MF and ports are read" "759191013|MF|5353|5353" \
	"$("$NATLOG" sql "SELECT ip_id || '|' || ipflags || '|' || sport || '|' || dport FROM events" | tail -1)"

# LOG lines without a prefix quoted with "| " in a mail (netdev, 2020):
# the mark is no LOG prefix, and the ICMP line's rest the mail wrapped
# ("| PROTO=ICMP TYPE=8 CODE=0 ID=56857 SEQ=1") is an error, not skipped
export NATLOG_DB="$TMP/xfrm.db"
check_status "the quoted lines import, the wrapped rest reported" 3 "$NATLOG" import -q "$R/netdev-2020-xfrm-log-pipe-quoted.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "five packets, none with a prefix" \
	'len(j) == 5 and all(p["log_prefix"] is None for p in j)' < "$TMP/t.json"
check_json "the ESP packets are read with their protocol" \
	'sorted(p["ip_id"] for p in j if p["proto"] == "esp") == [0, 37109]' < "$TMP/t.json"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "line 2 is the rest of line 1" \
	'[(e["line"], "broken in two" in e["reason"]) for e in j] == [(2, True)]' < "$TMP/e.json"

# explain --json gives each LOG line's own packet, as the text does ("in
# eth0 out eth1 a -> b"): the netdev 2021 packet logged before DNAT and
# in FORWARD shows its destination before and after, and where it went out
export NATLOG_DB="$TMP/dnat.db"
check "the DNAT and FORWARD LOG lines import" "$NATLOG" import -q "$R/netdev-2021-dnat-fwd-log.log"
t=$("$NATLOG" traces --json | python3 -c 'import json,sys; print([p["trace"] for p in json.load(sys.stdin) if p["ip_id"] == 32612][0])')
"$NATLOG" explain --json --trace "$t" > "$TMP/x.json"
check_json "each LOG line of the packet has its interfaces and addresses" \
	'[(e["prefix"], e["packet"]["iif"], e["packet"]["oif"], e["packet"]["dst"], e["packet"]["dport"], e["packet"]["ttl"]) for e in j["evidence"] if e["source"] == "log"] == [("DNAT: ", "eth0", None, "37.34.63.177", 161, 55), ("FWD: ", "eth0", "eth1", "192.168.4.2", 161, 54)]' < "$TMP/x.json"

# an OpenTelemetry export (labwatch): the OpenWrt line in a log record's
# body, the host in the resource's attributes, the record's time beside
# the kernel's stamp; one object a line, as the file exporter writes it
export NATLOG_DB="$TMP/otlp.db"
check "the OTLP line imports" "$NATLOG" import -q "$R/labwatch-otlp-openwrt.jsonl"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "its packet, with the prefix, host and kernel time" \
	'[(p["log_prefix"], p["host"], p["time"], p["src"], p["dst"], p["dport"], p["ip_id"]) for p in j] == [("drop wan in:", "wally", "874004.146653", "192.168.0.15", "224.0.0.251", 5353, 41075)]' < "$TMP/t.json"
eq "the record's timeUnixNano is its wall time" "1756401581000000" \
	"$("$NATLOG" sql "SELECT wall_us FROM events" | tail -1)"

# the audit log's NETFILTER_PKT records (the AUDIT target, nft's `log
# level audit`): packets logged without a prefix, read, not skipped as
# if they were not netfilter's
export NATLOG_DB="$TMP/audit.db"
check "the audit records import" "$NATLOG" import -q "$R/netdev-2021-audit-netfilter-pkt.txt" "$R/audit-kernel-162-ausearch-i.txt" "$R/audit-netfilter-pkt-pre412.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "four packets, one per NETFILTER_PKT record" 'len(j) == 4 and all(p["source"] == "log" for p in j)' < "$TMP/t.json"
check_json "the raw record: epoch time, addresses, ICMP" \
	'[(p["time"], p["src"], p["dst"], p["proto"]) for p in j if p["time"] == "1606404287.984"] == [("1606404287.984", "127.0.0.1", "127.0.0.1", "icmp")]' < "$TMP/t.json"
check_json "ausearch -i: local time as printed, TCP by name, addresses blanked" \
	'[(p["time"], p["proto"], p["src"]) for p in j if p["time"].startswith("06/20/2024")] == [("06/20/2024 15:49:52.819", "tcp", None), ("06/20/2024 15:49:56.452", "tcp", None)]' < "$TMP/t.json"
check_json "the old record: ports, IP ID and interface" \
	'[(p["sport"], p["dport"], p["ip_id"], p["proto"]) for p in j if p["time"] == "1494469680.359"] == [(123, 58139, 31284, "udp")]' < "$TMP/t.json"
eq "its wall time, mark, interface and the fields kept as printed" "1606404287984000|360080281|1494469680359000|enp0s3|action=0 hook=1 smac=52:54:00:12:35:02 dmac=08:00:27:1d:e8:ec macproto=0x0800" \
	"$("$NATLOG" sql "SELECT (SELECT wall_us || '|' || mark FROM events WHERE proto = 1) || '|' || (SELECT wall_us || '|' || iif || '|' || extra FROM events WHERE proto = 17)" | tail -1)"

# composed from the mail's record and audit_printk_skb()'s format: without
# auditd the kernel logs the record itself ("audit: type=1324 audit(...):
# ..."), under the syslog's envelope, whose host and time it keeps
export NATLOG_DB="$TMP/kaudit.db"
grep NETFILTER_PKT "$R/netdev-2021-audit-netfilter-pkt.txt" | sed 's/^ *type=NETFILTER_PKT msg=/Nov 26 10:24:47 fw kernel: [ 5120.512351] audit: type=1324 /; s/ record=1$//' > "$TMP/kaudit.log"
check "the kernel's audit line imports" "$NATLOG" import -q "$TMP/kaudit.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "a packet of host fw at the syslog time, with the record's fields" \
	'[(p["host"], p["time"], p["src"], p["proto"]) for p in j] == [("fw", "Nov 26 10:24:47", "127.0.0.1", "icmp")]' < "$TMP/t.json"

# composed from the netdev 2021 lines: dmesg -T's records run together on
# one line, as a paste that lost its line ends has them. Each record
# starts at its "[Wed Sep  1 22:40:08 2021]", whose year is no host
export NATLOG_DB="$TMP/flat-T.db"
paste -d' ' -s "$R/netdev-2021-dnat-fwd-log.log" > "$TMP/flat-T.log"
check "the run-together dmesg -T line imports" "$NATLOG" import -q "$TMP/flat-T.log"
eq "three records, each with its time and prefix, no host" "Wed Sep  1 22:40:08 2021|-|DNAT: ;Wed Sep  1 22:40:08 2021|-|FWD: ;Wed Sep  1 22:40:08 2021|-|FWD: " \
	"$("$NATLOG" sql "SELECT group_concat(time || '|' || coalesce(host, '-') || '|' || prefix, ';') FROM (SELECT * FROM events ORDER BY id)" | tail -1)"

finish
