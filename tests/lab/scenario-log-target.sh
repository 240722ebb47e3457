#!/usr/bin/env bash
# scenario-log-target.sh OUTDIR: LOG lines with many prefixes and flags.
# gw has iptables-legacy LOG rules (prefixes "fwd-web: " at level 6,
# "[FW DROP] " with a space and brackets, "SSH" without a trailing space so
# it is glued to IN=, "in-mac: " with --log-macdecode, "out uid: " with
# --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid), an
# ip6tables-legacy LOG ("v6 ping: ", --log-macdecode) and nft log
# statements (prefix ... flags all, level info, flags skuid, a prefix longer
# than iptables' 29 characters) at priority filter - 10.  Every attempt is
# also TRACEd, so TRACE and LOG lines interleave (a LOG rule's TRACE line
# comes just before its LOG line); the final DROP of FORWARD is an
# unconditional rule, which TRACE reports as "policy:5".
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=iptables-trace
LAB_V6=1
lab_init "$@"

lab_ns cl gw srv
lab_link cl eth0 gw eth0
lab_link gw eth1 srv eth0
C=$(lab_net 1).2 H=$(lab_net 1).1 SRV=$(lab_net 2).10
C6=$(lab_net6 1)::2 H6=$(lab_net6 1)::1
lab_addr cl eth0 "$C/24"
lab_addr cl eth0 "$C6/64"
lab_addr gw eth0 "$H/24"
lab_addr gw eth0 "$H6/64"
lab_addr gw eth1 "$(lab_net 2).1/24"
lab_addr srv eth0 "$SRV/24"
lab_route srv default via "$(lab_net 2).1"
lab_sysctl gw net.ipv4.ip_forward=1

lab_x gw iptables-legacy-restore -w 10 <<EOT
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -s $C/32 -d $H/32 -p tcp -m multiport --dports 8080,9090,22 -j TRACE
-A PREROUTING -s $C/32 -d $H/32 -p icmp -j TRACE
-A OUTPUT -d $SRV/32 -p tcp -m tcp --dport 80 -j TRACE
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d $H/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination $SRV:80
-A PREROUTING -d $H/32 -p tcp -m tcp --dport 9090 -j DNAT --to-destination $SRV:81
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p icmp -m icmp --icmp-type 8 -j LOG --log-prefix "in-mac: " --log-macdecode
-A INPUT -p tcp -m tcp --dport 22 -j LOG --log-prefix "SSH"
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -d $SRV/32 -p tcp -m tcp --dport 80 -j LOG --log-prefix "fwd-web: " --log-level 6
-A FORWARD -d $SRV/32 -p tcp -m tcp --dport 80 -j ACCEPT
-A FORWARD -j LOG --log-prefix "[FW DROP] "
-A FORWARD -j DROP
-A OUTPUT -d $SRV/32 -p tcp -m tcp --dport 80 -j LOG --log-prefix "out uid: " --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid
COMMIT
EOT
lab_x gw ip6tables-legacy-restore -w 10 <<EOT
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -s $C6/128 -d $H6/128 -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j TRACE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j LOG --log-prefix "v6 ping: " --log-macdecode
COMMIT
EOT
lab_x gw nft -f - <<EOT
table inet nftlog {
	chain log_fwd {
		type filter hook forward priority filter - 10; policy accept;
		tcp dport 80 log prefix "nft fwd: " flags all
	}
	chain log_in {
		type filter hook input priority filter - 10; policy accept;
		icmp type echo-request log prefix "nft in: echo request seen on the gateway (long prefix) " level info flags all
		icmpv6 type echo-request log prefix "nft6 in: " flags all
	}
	chain log_out {
		type filter hook output priority filter - 10; policy accept;
		ip daddr $SRV tcp dport 80 log prefix "nft out: " flags tcp sequence,options flags skuid
	}
}
EOT

lab_server web srv serve-tcp --port 80 --port 81
lab_pcap out gw eth0 outside.pcap
lab_pcap in gw eth1 inside.pcap nano
lab_pcapng inng gw eth1 inside.pcapng
lab_ct_events gw
lab_settle

lab_tcp cl "$H" 8080
lab_expect web ip tcp "$C" "$H" 8080 accept filter FORWARD rule 3 connected "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "\\] fwd-web: IN=eth0 OUT=eth1 MAC=[0-9a-f:]+ SRC=$C DST=$SRV .*SPT=$LAB_SPORT DPT=80 .* SYN URGP=0 \$" "fwd-web LOG"
lab_check dmesg.txt "\\] nft fwd: IN=eth0 OUT=eth1 MACSRC=[0-9a-f:]+ MACDST=[0-9a-f:]+ MACPROTO=0800 SRC=$C .*SPT=$LAB_SPORT DPT=80 SEQ=" \
	"nft log flags all"
lab_check messages "kern.info kernel: \\[ *[0-9.]+\\] fwd-web: IN=eth0 .*SPT=$LAB_SPORT " "fwd-web at level 6 in syslog"
lab_check dmesg.txt "TRACE: filter:FORWARD:rule:3 IN=eth0 OUT=eth1 .*SPT=$LAB_SPORT DPT=80 .* SYN " "web SYN accepted by FORWARD rule 3"

lab_tcp cl "$H" 9090
lab_expect dropped ip tcp "$C" "$H" 9090 drop filter FORWARD policy 5 timeout "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "\\] \\[FW DROP\\] IN=eth0 OUT=eth1 MAC=[0-9a-f:]+ SRC=$C DST=$SRV .*SPT=$LAB_SPORT DPT=81 " "[FW DROP] LOG"
lab_check dmesg.txt "TRACE: filter:FORWARD:rule:4 IN=eth0 OUT=eth1 .*SPT=$LAB_SPORT DPT=81 " "TRACE of the LOG rule"
lab_check dmesg.txt "TRACE: filter:FORWARD:policy:5 IN=eth0 OUT=eth1 .*SPT=$LAB_SPORT DPT=81 " "unconditional DROP reported as policy:5"

lab_tcp cl "$H" 22
lab_expect ssh ip tcp "$C" "$H" 22 accept filter INPUT policy 3 refused "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "\\] SSHIN=eth0 OUT= MAC=[0-9a-f:]+ SRC=$C DST=$H .*SPT=$LAB_SPORT DPT=22 " "prefix without space glued to IN="
lab_check dmesg.txt "TRACE: filter:INPUT:policy:3 IN=eth0 OUT= .*SPT=$LAB_SPORT DPT=22 .* SYN " "ssh SYN accepted by INPUT policy"

lab_ping cl "$H" 5151
lab_expect ping-gw ip icmp "$C" "$H" - accept filter INPUT policy 3 replied "$LAB_R" - 5151
lab_check dmesg.txt "\\] in-mac: IN=eth0 OUT= MACSRC=[0-9a-f:]+ MACDST=[0-9a-f:]+ MACPROTO=0800 SRC=$C DST=$H .*PROTO=ICMP TYPE=8 CODE=0 ID=5151 SEQ=1 " \
	"--log-macdecode"
lab_check dmesg.txt "\\] nft in: echo request seen on the gateway \\(long prefix\\) IN=eth0 .*ID=5151 " "long nft prefix"
lab_check dmesg.txt "TRACE: filter:INPUT:policy:3 IN=eth0 OUT= .*PROTO=ICMP TYPE=8 CODE=0 ID=5151 SEQ=1 " "ping accepted by INPUT policy"

lab_tcp gw "$SRV" 80
lab_expect local-out ip tcp "$(lab_net 2).1" "$SRV" 80 accept filter OUTPUT policy 2 connected "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "\\] out uid: IN= OUT=eth1 SRC=[0-9.]+ DST=$SRV .*SPT=$LAB_SPORT DPT=80 SEQ=[0-9]+ ACK=0 .* SYN URGP=0 OPT \\([0-9A-F]+\\) UID=0 GID=0 \$" \
	"--log-uid and --log-tcp-sequence"
lab_check dmesg.txt "\\] nft out: IN= OUT=eth1 .*SPT=$LAB_SPORT DPT=80 SEQ=[0-9]+ .* UID=0 GID=0 \$" "nft flags skuid"
lab_check dmesg.txt "TRACE: filter:OUTPUT:policy:2 IN= OUT=eth1 .*SPT=$LAB_SPORT DPT=80 .* SYN " "local SYN accepted by OUTPUT policy"

lab_ping cl "$H6" 6161
lab_expect ping6-gw ip6 icmpv6 "$C6" "$H6" - accept filter INPUT policy 2 replied "$LAB_R" - 6161
lab_check dmesg.txt "\\] v6 ping: IN=eth0 OUT= MACSRC=[0-9a-f:]+ MACDST=[0-9a-f:]+ MACPROTO=86dd SRC=$(lab_v6full "$C6") .*PROTO=ICMPv6 TYPE=128 CODE=0 ID=6161 SEQ=1 " \
	"ip6tables LOG with macdecode"
lab_check dmesg.txt "\\] nft6 in: IN=eth0 OUT= MACSRC=.*PROTO=ICMPv6 TYPE=128 CODE=0 ID=6161 " "nft ip6 log"
lab_check dmesg.txt "TRACE: filter:INPUT:policy:2 IN=eth0 OUT= .*PROTO=ICMPv6 TYPE=128 CODE=0 ID=6161 SEQ=1 " "ping6 accepted by ip6tables INPUT policy"

lab_settle 1
lab_ct_list gw
lab_dump_legacy gw
lab_dump_legacy6 gw
lab_dump_nft gw
lab_topology cl gw srv
lab_finish
