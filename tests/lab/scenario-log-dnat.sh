#!/usr/bin/env bash
# scenario-log-dnat.sh OUTDIR: packets known only from LOG lines, each
# logged by two rules on its way: gw's mangle PREROUTING logs it before
# DNAT ("pre-dnat: ") and filter FORWARD after ("fwd-in: "), so the two
# lines of one packet differ in destination; replies are logged the same
# way ("pre-reply: ", "fwd-out: "). Port 9090 is DNATed to a port whose
# packets FORWARD logs ("fwd-drop: ") and drops: the SYN is sent again
# with the same SEQ, each time a packet of its own. A ping through gw is
# logged in PREROUTING and FORWARD. An nft arp table logs the ARP
# packets gw receives ("arp-in: ", their addresses as IPSRC= and IPDST=).
# Nothing is TRACEd.
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=log
lab_init "$@"

lab_ns cl gw srv
lab_link cl eth0 gw eth0
lab_link gw eth1 srv eth0
C=$(lab_net 1).2 H=$(lab_net 1).1 SRV=$(lab_net 2).10
lab_addr cl eth0 "$C/24"
lab_addr gw eth0 "$H/24"
lab_addr gw eth1 "$(lab_net 2).1/24"
lab_addr srv eth0 "$SRV/24"
lab_route cl "$(lab_net 2).0/24" via "$H"
lab_route srv default via "$(lab_net 2).1"
lab_sysctl gw net.ipv4.ip_forward=1

lab_x gw iptables-legacy-restore -w 10 <<EOT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -s $C/32 -d $H/32 -p tcp -m multiport --dports 8080,9090 -j LOG --log-prefix "pre-dnat: "
-A PREROUTING -s $SRV/32 -p tcp -m tcp --sport 80 -j LOG --log-prefix "pre-reply: "
-A PREROUTING -s $C/32 -d $SRV/32 -p icmp -j LOG --log-prefix "pre-ping: "
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
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -d $SRV/32 -p tcp -m tcp --dport 80 -j LOG --log-prefix "fwd-in: "
-A FORWARD -s $SRV/32 -p tcp -m tcp --sport 80 -j LOG --log-prefix "fwd-out: "
-A FORWARD -d $SRV/32 -p tcp -m tcp --dport 81 -j LOG --log-prefix "fwd-drop: "
-A FORWARD -d $SRV/32 -p tcp -m tcp --dport 81 -j DROP
-A FORWARD -d $SRV/32 -p icmp -j LOG --log-prefix "fwd-ping: "
COMMIT
EOT

lab_x gw nft -f - <<EOT
table arp arplog {
	chain in {
		type filter hook input priority 0; policy accept;
		log prefix "arp-in: "
	}
}
EOT

lab_server web srv serve-tcp --port 80
lab_settle

lab_tcp cl "$H" 8080
[ "$LAB_R" = connected ] || lab_fail "web: designed connected, observed $LAB_R"
WEB=$LAB_SPORT
lab_check dmesg.txt "\\] pre-dnat: IN=eth0 OUT= MAC=[0-9a-f:]+ SRC=$C DST=$H .*SPT=$WEB DPT=8080 .* SYN URGP=0 \$" "SYN before DNAT"
lab_check dmesg.txt "\\] fwd-in: IN=eth0 OUT=eth1 MAC=[0-9a-f:]+ SRC=$C DST=$SRV .*SPT=$WEB DPT=80 .* SYN URGP=0 \$" "SYN after DNAT"
lab_check dmesg.txt "\\] pre-reply: IN=eth1 OUT= MAC=[0-9a-f:]+ SRC=$SRV DST=$C .*SPT=80 DPT=$WEB .* ACK SYN URGP=0 \$" "SYN-ACK"
lab_check dmesg.txt "\\] fwd-out: IN=eth1 OUT=eth0 MAC=[0-9a-f:]+ SRC=$SRV DST=$C .*SPT=80 DPT=$WEB .* ACK SYN URGP=0 \$" "SYN-ACK forwarded"

lab_check dmesg.txt "\\] arp-in: IN=eth0 OUT= ARP HTYPE=1 PTYPE=0x0800 OPCODE=1 MACSRC=[0-9a-f:]+ IPSRC=$C MACDST=[0-9a-f:]+ IPDST=$H *\$" "ARP request logged by the arp table"

lab_tcp cl "$H" 9090 2.5
[ "$LAB_R" = timeout ] || lab_fail "dropped: designed timeout, observed $LAB_R"
lab_check dmesg.txt "\\] fwd-drop: IN=eth0 OUT=eth1 MAC=[0-9a-f:]+ SRC=$C DST=$SRV .*SPT=$LAB_SPORT DPT=81 .* SYN URGP=0 \$" "SYN to 9090 dropped"

lab_ping cl "$SRV" 7171
[ "$LAB_R" = replied ] || lab_fail "ping: designed replied, observed $LAB_R"
lab_check dmesg.txt "\\] pre-ping: IN=eth0 OUT= MAC=[0-9a-f:]+ SRC=$C DST=$SRV .*PROTO=ICMP TYPE=8 CODE=0 ID=7171 SEQ=1 " "ping before routing"
lab_check dmesg.txt "\\] fwd-ping: IN=eth0 OUT=eth1 MAC=[0-9a-f:]+ SRC=$C DST=$SRV .*PROTO=ICMP TYPE=8 CODE=0 ID=7171 SEQ=1 " "ping forwarded"

lab_settle 1
lab_dump_legacy gw
lab_dump_nft gw
lab_topology cl gw srv
lab_finish
