#!/usr/bin/env bash
# scenario-stale-insert.sh OUTDIR: the docker-legacy setup, traced, and
# only then changed: the dumps iptables-save.later.txt and
# iptables-save-c.later.txt are taken after rules were inserted (this
# script) or deleted (STALE_MODE=delete, scenario-stale-delete.sh).
# iptables-save.txt etc. are the ruleset at the time of the trace.
#   insert: "-I FORWARD 3 ... --dport 80 -j DROP" (the trace's FORWARD rule:3,
#           the ESTABLISHED accept, reads as that DROP: the connection's later
#           packets look dropped, yet the captures show them through) and
#           "-t nat -I DOCKER 1" (a DNAT for port 7000)
#   delete: "-D FORWARD 1" (the jump to DOCKER-USER) and "-t nat -D DOCKER 1"
#           (the RETURN for docker0)
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=iptables-trace
mode=${STALE_MODE:-insert}
case $mode in insert|delete) ;; *) echo "STALE_MODE: insert or delete" >&2; exit 2 ;; esac
lab_init "$@"

lab_docker_topology
lab_docker_rules
C=$(lab_net 1).2 H=$(lab_net 1).1 CT=$(lab_net 2).2

lab_server web ct serve-tcp --port 80 --port 8081
lab_pcap out gw eth0 outside.pcap
lab_pcap in gw docker0 inside.pcap nano
lab_ct_events gw
lab_settle

lab_tcp cl "$H" 8080
lab_expect accepted ip tcp "$C" "$H" 8080 accept filter DOCKER rule 1 connected "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: filter:FORWARD:rule:3 IN=eth0 OUT=docker0 .*SPT=$LAB_SPORT DPT=80 .* ACK " "established packets accepted by FORWARD rule 3"

lab_tcp cl "$H" 9090
lab_expect dropped ip tcp "$C" "$H" 9090 drop filter FORWARD policy 7 timeout "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: filter:FORWARD:policy:7 IN=eth0 OUT=docker0 .*SPT=$LAB_SPORT DPT=8081 .* SYN " "dropped by FORWARD policy:7"

lab_settle 1
lab_ct_list gw
lab_dump_legacy gw
# after the trace: the ruleset changes, then a bundle dumps it again
if [ "$mode" = insert ]; then
	lab_x gw iptables-legacy -w 10 -I FORWARD 3 -i eth0 -o docker0 -p tcp -m tcp --dport 80 -j DROP
	lab_x gw iptables-legacy -w 10 -t nat -I DOCKER 1 ! -i docker0 -p tcp -m tcp --dport 7000 -j DNAT --to-destination "$CT:7000"
else
	lab_x gw iptables-legacy -w 10 -D FORWARD 1
	lab_x gw iptables-legacy -w 10 -t nat -D DOCKER 1
fi
lab_x gw iptables-legacy-save >"$LAB_OUT/iptables-save.later.txt"
lab_x gw iptables-legacy-save -c >"$LAB_OUT/iptables-save-c.later.txt"
lab_topology cl gw ct
lab_finish
