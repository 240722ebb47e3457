#!/usr/bin/env bash
# scenario-loopback.sh OUTDIR: a connection to one of the host's own
# addresses, traced from raw OUTPUT: the SYN leaves through OUTPUT and
# comes back in on lo, where the kernel goes on tracing it (raw
# PREROUTING, then INPUT). filter INPUT drops port 1060, so the SYN is
# sent again; port 1061 is accepted by the INPUT policy.
#   drop-local    h -> A:1060   filter INPUT rule 1 (DROP)
#   accept-local  h -> A:1061   filter INPUT policy 2 (ACCEPT)
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=iptables-trace
lab_init "$@"

lab_ns h
A=$(lab_net 1).1
lab_addr h lo "$A/32"

lab_x h iptables-legacy-restore -w 10 <<EOT
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A OUTPUT -d $A/32 -p tcp -m multiport --dports 1060,1061 -j TRACE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 1060 -j DROP
COMMIT
EOT

lab_server web h serve-tcp --port 1060 --port 1061
lab_settle

lab_tcp h "$A" 1060 2.5
lab_expect drop-local ip tcp "$A" "$A" 1060 drop filter INPUT rule 1 timeout "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: raw:OUTPUT:policy:2 IN= OUT=lo SRC=$A DST=$A .*DPT=1060 .* SYN " "SYN traced from raw OUTPUT"
lab_check dmesg.txt "TRACE: raw:PREROUTING:policy:1 IN=lo OUT= .*SRC=$A DST=$A .*DPT=1060 .* SYN " "and back in on lo"
lab_check dmesg.txt "TRACE: filter:INPUT:rule:1 IN=lo OUT= .*DPT=1060 .* SYN " "dropped by INPUT rule 1"

lab_tcp h "$A" 1061
lab_expect accept-local ip tcp "$A" "$A" 1061 accept filter INPUT policy 2 connected "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: filter:INPUT:policy:2 IN=lo OUT= .*DPT=1061 .* SYN " "accepted by the INPUT policy"

lab_settle 1
lab_dump_legacy h
lab_topology h
lab_finish
