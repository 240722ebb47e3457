#!/usr/bin/env bash
# scenario-stale-dump.sh OUTDIR: the docker-legacy setup, but the ruleset
# dump is taken too early.  After iptables-save.stale.txt is written, a rule
# is inserted at the top of filter FORWARD and at the top of nat DOCKER, and
# only then is the traffic traced.  So the TRACE rule numbers (FORWARD
# rule:5, policy:8; nat DOCKER rule:3/4) no longer match the stale dump
# (FORWARD jump to DOCKER is rule 4 there, its policy would be policy:7).
# iptables-save.txt etc. are the real, current dumps.
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=iptables-trace
lab_init "$@"

lab_docker_topology
lab_docker_rules
C=$(lab_net 1).2 H=$(lab_net 1).1 CT=$(lab_net 2).2

lab_x gw iptables-legacy-save >"$LAB_OUT/iptables-save.stale.txt"
lab_x gw iptables-legacy -w 10 -I FORWARD 1 -i eth0 -p udp -m udp --dport 53 -j ACCEPT
lab_x gw iptables-legacy -w 10 -t nat -I DOCKER 1 ! -i docker0 -p tcp -m tcp --dport 7000 -j DNAT --to-destination "$CT:7000"

lab_server web ct serve-tcp --port 80 --port 8081
lab_pcap out gw eth0 outside.pcap
lab_pcap in gw docker0 inside.pcap nano
lab_pcapng inng gw docker0 inside.pcapng
lab_ct_events gw
lab_settle

lab_tcp cl "$H" 8080
lab_expect accepted ip tcp "$C" "$H" 8080 accept filter DOCKER rule 1 connected "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: nat:DOCKER:rule:3 IN=eth0 .*SPT=$LAB_SPORT DPT=8080 " "DNAT now nat DOCKER rule 3"
lab_check dmesg.txt "TRACE: filter:FORWARD:rule:5 IN=eth0 OUT=docker0 .*SPT=$LAB_SPORT DPT=80 .* SYN " "jump to DOCKER now FORWARD rule 5"
lab_check dmesg.txt "TRACE: filter:DOCKER:rule:1 IN=eth0 OUT=docker0 .*SPT=$LAB_SPORT DPT=80 .* SYN " "accepted by filter DOCKER rule 1"

lab_tcp cl "$H" 9090
lab_expect dropped ip tcp "$C" "$H" 9090 drop filter FORWARD policy 8 timeout "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: nat:DOCKER:rule:4 IN=eth0 .*SPT=$LAB_SPORT DPT=9090 " "DNAT now nat DOCKER rule 4"
lab_check dmesg.txt "TRACE: filter:FORWARD:policy:8 IN=eth0 OUT=docker0 .*SPT=$LAB_SPORT DPT=8081 .* SYN " "FORWARD policy is now policy:8"

lab_settle 1
lab_ct_list gw
lab_dump_legacy gw
lab_topology cl gw ct
lab_finish
