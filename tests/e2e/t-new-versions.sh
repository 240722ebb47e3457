#!/bin/sh
# Output of the newer kernels and tools as people posted it (testdata/real):
# the kernel's --log-macdecode fields with a VLAN tag, and [HW_OFFLOAD]
# conntrack entries a mail broke over lines.
. "$(dirname "$0")/lib.sh"
R=$TD/real

# 1. The commit that taught nf_log the VLAN tag: LOG lines with MACSRC=,
# MACDST=, VPROTO=, VID= and MACPROTO= before the IP header, and an ARP
# reply whose payload repeats MACSRC= and MACDST=.
export NATLOG_DB="$TMP/vlan.db"
check "the --log-macdecode lines import" "$NATLOG" import -q "$R/kernel-2020-nf-log-macdecode-vlan.log"
"$NATLOG" traces --json > "$TMP/v.json"
check_json "the TCP packet with its addresses, ports, IP ID and flags" \
	'[(p["proto"], p["src"], p["sport"], p["dst"], p["dport"], p["ip_id"], p["tcp_flags"], p["log_prefix"]) for p in j if p["proto"]] == [("tcp", "192.168.10.2", 55848, "172.217.168.163", 80, 2548, "ACK FIN", "test:")]' < "$TMP/v.json"
check_json "the ARP reply a packet of no IP family and no addresses" \
	'[(p["family"], p["src"], p["dst"], p["time"]) for p in j if not p["proto"]] == [(None, None, None, "12721.157643")]' < "$TMP/v.json"
eq "the MAC header's fields kept with the VLAN tag, not read as the IP header's" \
	"MACSRC=86:6c:92:ea:d6:73 MACDST=0e:3b:eb:86:73:76 VPROTO=8100 VID=10 MACPROTO=0800|veth0|192.168.10.2" \
	"$("$NATLOG" sql "SELECT extra || '|' || iif || '|' || src FROM events WHERE line = 1" | tail -1)"
eq "the ARP payload's own MACSRC= and IPSRC= stay in its fields" "1" \
	"$("$NATLOG" sql "SELECT count(*) FROM events WHERE line = 2 AND src IS NULL AND extra LIKE '%MACPROTO=0806 ARP HTYPE=1 % IPSRC=192.168.10.2 %'" | tail -1)"
check_status "natlog errors has nothing to say" 1 "$NATLOG" errors

# 2. conntrack -L and /proc/net/nf_conntrack with [HW_OFFLOAD], each
# entry broken over lines by a mail: every piece is an error that says
# the entry was cut or is the rest of one, none "no protocol name".
export NATLOG_DB="$TMP/hw.db"
check_status "the broken entries are reported (exit 3)" 3 "$NATLOG" import -q "$R/nfdevel-2020-conntrack-L-hw-offload-wrapped.txt"
"$NATLOG" errors --json > "$TMP/hw.json"
check_json "ten pieces, each an error" \
	'[e["line"] for e in j] == [3, 4, 5, 6, 9, 10, 11, 12, 13, 14]' < "$TMP/hw.json"
check_json "an entry cut after the reply tuple's src= says it was cut there" \
	'[e["line"] for e in j if "cut inside its reply tuple" in e["reason"]] == [3, 5]' < "$TMP/hw.json"
check_json "a piece starting at dst=, or at zone= after the flags, is the rest of an entry" \
	'[e["line"] for e in j if "the rest of an entry broken over lines" in e["reason"]] == [4, 6, 10, 11, 13, 14]' < "$TMP/hw.json"
check_json "no piece is called a line without a protocol name" \
	'not [e for e in j if "no protocol name" in e["reason"]]' < "$TMP/hw.json"

# composed: the same pieces joined where the mail broke them read as two
# hardware-offloaded flows, seen twice each, ASSURED unknown
export NATLOG_DB="$TMP/hwj.db"
sed -e ':a' -e '/ $/{N;s/ \n/ /;ba' -e '}' "$R/nfdevel-2020-conntrack-L-hw-offload-wrapped.txt" > "$TMP/joined.txt"
check "the joined entries import" "$NATLOG" import -q "$TMP/joined.txt"
"$NATLOG" flows --json > "$TMP/hwf.json"
check_json "two flows listed twice, assured null, mark and zone 0" \
	'sorted((f["orig"]["sport"], f["events"]["listed"], f["assured"], f["mark"], f["zone"]) for f in j) == [(56404, 2, None, 0, 0), (56408, 2, None, 0, 0)]' < "$TMP/hwf.json"

# 3. firewalld's rpfilter drops of IPv6 multicast in a kernel 6.x syslog
# whose host the poster blanked as "<redacted>": four packets (the two
# identical mDNS lines are two), the ICMPv6 types and the ports read.
export NATLOG_DB="$TMP/rpf.db"
check "the rpfilter_DROP lines import" "$NATLOG" import -q "$R/firewalld-1436-rpfilter-ipv6-redacted.log"
"$NATLOG" traces --json > "$TMP/rpf.json"
check_json "four IPv6 packets with their protocol, addresses, ports and types" \
	'[(p["family"], p["proto"], p["src"], p["dst"], p["sport"], p["dport"]) for p in j] == [("ip6", "icmpv6", "fe80::3640:b5ff:feab:f2b8", "ff02::2", None, None), ("ip6", "udp", "fe80::bbb1:96ae:416a:d4b2", "ff02::fb", 5353, 5353), ("ip6", "udp", "fe80::bbb1:96ae:416a:d4b2", "ff02::fb", 5353, 5353), ("ip6", "icmpv6", "fe80::250:56ff:fe6a:a20e", "ff02::16", None, None)]' < "$TMP/rpf.json"
eq "the ICMPv6 types 133 and 143" "133,143" \
	"$("$NATLOG" sql "SELECT group_concat(icmp_type) FROM (SELECT icmp_type FROM events WHERE icmp_type IS NOT NULL ORDER BY line)" | tail -1)"
check_json "logged only, so no verdict, with the prefix and the host as printed" \
	'{(p["verdict"], p["log_prefix"], p["host"]) for p in j} == {("unknown", "rpfilter_DROP:", "<redacted>")}' < "$TMP/rpf.json"

finish
