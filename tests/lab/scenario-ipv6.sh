#!/usr/bin/env bash
# scenario-ipv6.sh OUTDIR: IPv6 DNAT, traced twice.
#  * gw (ip6tables-legacy): raw PREROUTING TRACE, nat PREROUTING DNAT of
#    [H]:8080 -> [SRV]:80 and [H]:9090 -> [SRV]:81, filter FORWARD policy
#    DROP accepting only port 80.  Kernel log, pcaps, conntrack, ip6tables dumps.
#  * gwn (nft, ip6 tables): the same with nft (trace table with meta nftrace,
#    ip6 nat dnat, ip6 filter forward policy drop).  Recorded with
#    `nft monitor trace` / `nft -a monitor trace`; its pcaps and conntrack
#    files are prefixed "nft-".
# The client has one link to each gateway; the server one link to each.
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=iptables-trace
LAB_V6=1
lab_init "$@"

lab_ns cl gw gwn srv
lab_link cl eth0 gw eth0
lab_link gw eth1 srv eth0
lab_link cl eth1 gwn eth0
lab_link gwn eth1 srv eth1
C=$(lab_net6 1)::2 H=$(lab_net6 1)::1 SRV=$(lab_net6 2)::10
C2=$(lab_net6 3)::2 H2=$(lab_net6 3)::1 SRV2=$(lab_net6 4)::10
lab_addr cl eth0 "$C/64"
lab_addr gw eth0 "$H/64"
lab_addr gw eth1 "$(lab_net6 2)::1/64"
lab_addr srv eth0 "$SRV/64"
lab_addr cl eth1 "$C2/64"
lab_addr gwn eth0 "$H2/64"
lab_addr gwn eth1 "$(lab_net6 4)::1/64"
lab_addr srv eth1 "$SRV2/64"
lab_route srv "$(lab_net6 1)::/64" via "$(lab_net6 2)::1"
lab_route srv "$(lab_net6 3)::/64" via "$(lab_net6 4)::1"
lab_sysctl gw net.ipv6.conf.all.forwarding=1
lab_sysctl gwn net.ipv6.conf.all.forwarding=1

lab_x gw ip6tables-legacy-restore -w 10 <<EOT
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -s $C/128 -d $H/128 -p tcp -m multiport --dports 8080,9090 -j TRACE
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d $H/128 -p tcp -m tcp --dport 8080 -j DNAT --to-destination [$SRV]:80
-A PREROUTING -d $H/128 -p tcp -m tcp --dport 9090 -j DNAT --to-destination [$SRV]:81
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -d $SRV/128 -p tcp -m tcp --dport 80 -j ACCEPT
COMMIT
EOT

lab_x gwn nft -f - <<EOT
table ip6 trace {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		ip6 saddr $C2 ip6 daddr $H2 tcp dport { 8080, 9090 } meta nftrace set 1
	}
}
table ip6 nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		ip6 daddr $H2 tcp dport 8080 dnat to [$SRV2]:80
		ip6 daddr $H2 tcp dport 9090 dnat to [$SRV2]:81
	}
}
table ip6 filter {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip6 daddr $SRV2 tcp dport 80 counter accept
	}
}
EOT
H_ACC=$(lab_nft_handle gwn ip6 filter forward 2)
[ -n "$H_ACC" ] || lab_die "could not read rule handle"

lab_server web srv serve-tcp --family 6 --port 80 --port 81
lab_pcap out gw eth0 outside.pcap
lab_pcap in gw eth1 inside.pcap nano
lab_pcapng inng gw eth1 inside.pcapng
lab_pcap nout gwn eth0 nft-outside.pcap
lab_pcap nin gwn eth1 nft-inside.pcap nano
lab_ct_events gw
lab_ct_events gwn nft-conntrack-E.txt
lab_monitor nftmon gwn nft-monitor-trace.txt nft monitor trace
lab_monitor nftmona gwn nft-monitor-trace-a.txt nft -a monitor trace
lab_settle 1

CF=$(lab_v6full "$C") SRVF=$(lab_v6full "$SRV")
lab_tcp cl "$H" 8080
lab_expect accepted ip6 tcp "$C" "$H" 8080 accept filter FORWARD rule 2 connected "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: filter:FORWARD:rule:2 IN=eth0 OUT=eth1 .*SRC=$CF DST=$SRVF .*SPT=$LAB_SPORT DPT=80 .* SYN " \
	"accepted SYN: FORWARD rule 2"
lab_tcp cl "$H" 9090
lab_expect dropped ip6 tcp "$C" "$H" 9090 drop filter FORWARD policy 3 timeout "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: filter:FORWARD:policy:3 IN=eth0 OUT=eth1 .*SRC=$CF DST=$SRVF .*SPT=$LAB_SPORT DPT=81 .* SYN " \
	"dropped SYN: FORWARD policy 3"

lab_tcp cl "$H2" 8080
lab_expect nft-accepted ip6 tcp "$C2" "$H2" 8080 accept filter forward rule 2 connected "$LAB_R" "$H_ACC" "$LAB_SPORT" nft-trace
lab_check_nft_trace nft-monitor-trace-a.txt tcp "$LAB_SPORT" "ip6 filter forward" \
	"rule ip6 daddr $SRV2 tcp dport 80 counter packets 0 bytes 0 accept # handle $H_ACC \\(verdict accept\\)" "nft accepted SYN"
lab_tcp cl "$H2" 9090
lab_expect nft-dropped ip6 tcp "$C2" "$H2" 9090 drop filter forward policy 3 timeout "$LAB_R" - "$LAB_SPORT" nft-trace
lab_check_nft_trace nft-monitor-trace-a.txt tcp "$LAB_SPORT" "ip6 filter forward" "policy drop" "nft dropped SYN"

lab_settle 1
lab_ct_list gw
lab_ct_list gwn nft-conntrack-L.txt
lab_dump_legacy6 gw
lab_dump_nft gwn
lab_topology cl gw gwn srv
lab_finish
