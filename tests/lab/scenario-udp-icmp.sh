#!/usr/bin/env bash
# scenario-udp-icmp.sh OUTDIR: UDP and ICMP echo through DNAT and
# MASQUERADE with iptables-legacy TRACE on everything UDP/ICMP that the
# client or the server sends.  ICMP port-unreachable errors come back
# through the NAT (their TRACE lines carry the bracketed inner packet).
#   udp-dnat          cl -> H:5353  DNAT srv:53 (echo server)  FORWARD rule 3
#   udp-unreach       cl -> H:5354  DNAT srv:54 (no listener)  FORWARD rule 3, ICMP error back
#   udp-drop          cl -> H:5355  DNAT srv:55                FORWARD policy 5
#   icmp-dnat         cl ping SVC (DNAT to srv)                FORWARD rule 4
#   icmp-snat         srv ping cl (MASQUERADE to H)            FORWARD rule 2
#   udp-snat          srv -> cl:7 (echo server, MASQUERADE)     FORWARD rule 2
#   udp-snat-unreach  srv -> cl:7777 (no listener)             FORWARD rule 2, ICMP error back
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=iptables-trace
lab_init "$@"

lab_ns cl gw srv
lab_link cl eth0 gw eth0
lab_link gw eth1 srv eth0
C=$(lab_net 1).2 H=$(lab_net 1).1 SVC=$(lab_net 1).10 SRV=$(lab_net 2).10 NET2=$(lab_net 2).0/24
lab_addr cl eth0 "$C/24"
lab_addr gw eth0 "$H/24"
lab_addr gw eth0 "$SVC/24"
lab_addr gw eth1 "$(lab_net 2).1/24"
lab_addr srv eth0 "$SRV/24"
lab_route srv default via "$(lab_net 2).1"
lab_sysctl gw net.ipv4.ip_forward=1

lab_x gw iptables-legacy-restore -w 10 <<EOT
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -s $C/32 -p udp -j TRACE
-A PREROUTING -s $C/32 -p icmp -j TRACE
-A PREROUTING -s $SRV/32 -p udp -j TRACE
-A PREROUTING -s $SRV/32 -p icmp -j TRACE
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d $H/32 -p udp -m udp --dport 5353 -j DNAT --to-destination $SRV:53
-A PREROUTING -d $H/32 -p udp -m udp --dport 5354 -j DNAT --to-destination $SRV:54
-A PREROUTING -d $H/32 -p udp -m udp --dport 5355 -j DNAT --to-destination $SRV:55
-A PREROUTING -d $SVC/32 -j DNAT --to-destination $SRV
-A POSTROUTING -s $NET2 -o eth0 -j MASQUERADE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -s $NET2 -i eth1 -o eth0 -j ACCEPT
-A FORWARD -d $SRV/32 -p udp -m multiport --dports 53,54 -j ACCEPT
-A FORWARD -d $SRV/32 -p icmp -m icmp --icmp-type 8 -j ACCEPT
COMMIT
EOT

lab_server dns srv serve-udp --port 53 --port 55
lab_server echo cl serve-udp --port 7
lab_pcap out gw eth0 outside.pcap
lab_pcap in gw eth1 inside.pcap nano
lab_pcapng inng gw eth1 inside.pcapng
lab_ct_events gw
lab_settle

lab_udp cl "$H" 5353
lab_expect udp-dnat ip udp "$C" "$H" 5353 accept filter FORWARD rule 3 replied "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: filter:FORWARD:rule:3 IN=eth0 OUT=eth1 .*SRC=$C DST=$SRV .*PROTO=UDP SPT=$LAB_SPORT DPT=53 " "udp-dnat"

lab_udp cl "$H" 5354
lab_expect udp-unreach ip udp "$C" "$H" 5354 accept filter FORWARD rule 3 refused "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: filter:FORWARD:rule:3 IN=eth0 OUT=eth1 .*PROTO=UDP SPT=$LAB_SPORT DPT=54 " "udp-unreach forward"
lab_check dmesg.txt "TRACE: raw:PREROUTING:policy:5 IN=eth1 OUT= .*SRC=$SRV DST=$C .*PROTO=ICMP TYPE=3 CODE=3 \\[SRC=$C DST=$SRV .*PROTO=UDP SPT=$LAB_SPORT DPT=54 " \
	"udp-unreach ICMP error before de-NAT"
# the error is RELATED; its reverse SNAT (srv -> H) happens only at POSTROUTING
lab_check dmesg.txt "TRACE: filter:FORWARD:rule:1 IN=eth1 OUT=eth0 .*SRC=$SRV DST=$C .*PROTO=ICMP TYPE=3 CODE=3 \\[SRC=$C DST=$SRV .*PROTO=UDP SPT=$LAB_SPORT DPT=54 " \
	"udp-unreach ICMP error accepted as RELATED (not yet de-NATed at FORWARD)"

lab_udp cl "$H" 5355
lab_expect udp-drop ip udp "$C" "$H" 5355 drop filter FORWARD policy 5 no-reply "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: filter:FORWARD:policy:5 IN=eth0 OUT=eth1 .*PROTO=UDP SPT=$LAB_SPORT DPT=55 " "udp-drop"

lab_ping cl "$SVC" 4242
lab_expect icmp-dnat ip icmp "$C" "$SVC" - accept filter FORWARD rule 4 replied "$LAB_R" - 4242
lab_check dmesg.txt "TRACE: filter:FORWARD:rule:4 IN=eth0 OUT=eth1 .*SRC=$C DST=$SRV .*PROTO=ICMP TYPE=8 CODE=0 ID=4242 " "icmp-dnat"

lab_ping srv "$C" 4343
lab_expect icmp-snat ip icmp "$SRV" "$C" - accept filter FORWARD rule 2 replied "$LAB_R" - 4343
lab_check dmesg.txt "TRACE: nat:POSTROUTING:rule:1 IN=eth1 OUT=eth0 .*SRC=$SRV DST=$C .*PROTO=ICMP TYPE=8 CODE=0 ID=4343 " "icmp-snat masquerade"

lab_udp srv "$C" 7
lab_expect udp-snat ip udp "$SRV" "$C" 7 accept filter FORWARD rule 2 replied "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: filter:FORWARD:rule:2 IN=eth1 OUT=eth0 .*PROTO=UDP SPT=$LAB_SPORT DPT=7 " "udp-snat"

lab_udp srv "$C" 7777
lab_expect udp-snat-unreach ip udp "$SRV" "$C" 7777 accept filter FORWARD rule 2 refused "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: raw:PREROUTING:policy:5 IN=eth0 OUT= .*SRC=$C DST=$H .*PROTO=ICMP TYPE=3 CODE=3 \\[SRC=$H DST=$C .*PROTO=UDP SPT=[0-9]+ DPT=7777 " \
	"udp-snat-unreach ICMP error (inner packet masqueraded)"

lab_settle 1
lab_ct_list gw
lab_dump_legacy gw
lab_topology cl gw srv
lab_finish
