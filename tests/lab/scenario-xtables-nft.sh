#!/usr/bin/env bash
# scenario-xtables-nft.sh OUTDIR: iptables-nft (the nf_tables backend) in gw:
# raw PREROUTING -j TRACE (becomes meta nftrace set 1), nat PREROUTING DNAT
# of three host ports to the server, filter FORWARD policy DROP with an
# ESTABLISHED accept and a jump to user chain "web" (DROP port 81, ACCEPT
# port 80).  Recorded with `xtables-monitor --trace` (and nft monitor trace).
#   accepted        host:8080 -> srv:80  filter web rule 2 (ACCEPT)
#   dropped         host:8081 -> srv:81  filter web rule 1 (DROP)
#   dropped-policy  host:8082 -> srv:82  falls off web, FORWARD policy DROP
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=xtables-trace
lab_init "$@"

lab_ns cl gw srv
lab_link cl eth0 gw eth0
lab_link gw eth1 srv eth0
C=$(lab_net 1).2 H=$(lab_net 1).1 SRV=$(lab_net 2).10
lab_addr cl eth0 "$C/24"
lab_addr gw eth0 "$H/24"
lab_addr gw eth1 "$(lab_net 2).1/24"
lab_addr srv eth0 "$SRV/24"
lab_route srv default via "$(lab_net 2).1"
lab_sysctl gw net.ipv4.ip_forward=1

lab_x gw iptables-nft-restore <<EOT
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -s $C/32 -d $H/32 -p tcp -m multiport --dports 8080,8081,8082 -j TRACE
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d $H/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination $SRV:80
-A PREROUTING -d $H/32 -p tcp -m tcp --dport 8081 -j DNAT --to-destination $SRV:81
-A PREROUTING -d $H/32 -p tcp -m tcp --dport 8082 -j DNAT --to-destination $SRV:82
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:web - [0:0]
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -i eth0 -o eth1 -j web
-A web -p tcp -m tcp --dport 81 -j DROP
-A web -p tcp -m tcp --dport 80 -m comment --comment "web server" -j ACCEPT
COMMIT
EOT
H_DROP=$(lab_nft_handle gw ip filter web 1)
H_ACCEPT=$(lab_nft_handle gw ip filter web 2)
if [ -z "$H_ACCEPT" ] || [ -z "$H_DROP" ]; then lab_die "could not read rule handles"; fi

lab_server web srv serve-tcp --port 80 --port 81 --port 82
lab_pcap out gw eth0 outside.pcap
lab_pcap in gw eth1 inside.pcap nano
lab_pcapng inng gw eth1 inside.pcapng
lab_ct_events gw
lab_monitor xtmon gw xtables-monitor-trace.txt xtables-monitor --trace
lab_monitor nftmona gw nft-monitor-trace-a.txt nft -a monitor trace
lab_settle 1

lab_tcp cl "$H" 8080
lab_expect accepted ip tcp "$C" "$H" 8080 accept filter web rule 2 connected "$LAB_R" "$H_ACCEPT" "$LAB_SPORT"
lab_check_xt_trace xtables-monitor-trace.txt "$LAB_SPORT" "filter:web:rule:0x$(printf %x "$H_ACCEPT"):ACCEPT" \
	"accepted SYN: web rule 2"

lab_tcp cl "$H" 8081
lab_expect dropped ip tcp "$C" "$H" 8081 drop filter web rule 1 timeout "$LAB_R" "$H_DROP" "$LAB_SPORT"
lab_check_xt_trace xtables-monitor-trace.txt "$LAB_SPORT" "filter:web:rule:0x$(printf %x "$H_DROP"):DROP" \
	"dropped SYN: web rule 1"

lab_tcp cl "$H" 8082
lab_expect dropped-policy ip tcp "$C" "$H" 8082 drop filter FORWARD policy 3 timeout "$LAB_R" - "$LAB_SPORT"
lab_check_xt_trace xtables-monitor-trace.txt "$LAB_SPORT" "filter:FORWARD:policy:DROP" "dropped-policy SYN: FORWARD policy"
lab_check_nft_trace nft-monitor-trace-a.txt tcp "$LAB_SPORT" "ip filter FORWARD" "policy drop" \
	"dropped-policy SYN in nft trace"

lab_settle 1
lab_ct_list gw
lab_dump_xtnft gw
lab_dump_nft gw
lab_topology cl gw srv
lab_finish
