#!/usr/bin/env bash
# scenario-docker-legacy.sh OUTDIR: a Docker-like host ("gw") with
# iptables-legacy, a client outside and a "container" behind the docker0
# bridge.  Legacy TRACE in raw PREROUTING/OUTPUT.  Attempts:
#   accepted  client -> host:8080, DNAT to container:80, filter DOCKER rule 1
#   dropped   client -> host:9090, DNAT to container:8081, FORWARD policy DROP
#   local     gw -> container:80 (OUTPUT path)
#   local-dnat gw -> its own host:8080 (nat OUTPUT -> DOCKER DNAT)
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=iptables-trace
lab_init "$@"

lab_docker_topology
lab_docker_rules
C=$(lab_net 1).2 H=$(lab_net 1).1 CT=$(lab_net 2).2 GWB=$(lab_net 2).1

lab_server web ct serve-tcp --port 80 --port 8081
lab_pcap out gw eth0 outside.pcap
lab_pcap in gw docker0 inside.pcap nano
lab_pcapng inng gw docker0 inside.pcapng
lab_ct_events gw
lab_settle

lab_tcp cl "$H" 8080
lab_expect accepted ip tcp "$C" "$H" 8080 accept filter DOCKER rule 1 connected "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: filter:DOCKER:rule:1 IN=eth0 OUT=docker0 .*SRC=$C DST=$CT .*SPT=$LAB_SPORT DPT=80 .* SYN " \
	"accepted SYN accepted by filter DOCKER rule 1"
lab_check dmesg.txt "TRACE: nat:DOCKER:rule:2 IN=eth0 .*SPT=$LAB_SPORT DPT=8080 " "accepted SYN DNAT by nat DOCKER rule 2"

lab_tcp cl "$H" 9090
lab_expect dropped ip tcp "$C" "$H" 9090 drop filter FORWARD policy 7 timeout "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: filter:FORWARD:policy:7 IN=eth0 OUT=docker0 .*SRC=$C DST=$CT .*SPT=$LAB_SPORT DPT=8081 .* SYN " \
	"dropped SYN hits FORWARD policy 7"
lab_check dmesg.txt "TRACE: filter:DOCKER:return:2 .*SPT=$LAB_SPORT " "dropped SYN falls off filter DOCKER"

lab_tcp gw "$CT" 80
lab_expect local ip tcp "$GWB" "$CT" 80 accept filter OUTPUT policy 1 connected "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: filter:OUTPUT:policy:1 IN= OUT=docker0 SRC=$GWB DST=$CT .*SPT=$LAB_SPORT DPT=80 .* SYN " \
	"local SYN accepted by OUTPUT policy"

lab_tcp gw "$H" 8080
lab_expect local-dnat ip tcp "$H" "$H" 8080 accept filter OUTPUT policy 1 connected "$LAB_R" - "$LAB_SPORT"
lab_check dmesg.txt "TRACE: nat:DOCKER:rule:2 IN= OUT=lo .*SPT=$LAB_SPORT DPT=8080 " "local-dnat SYN DNAT via nat OUTPUT"

lab_settle 1
lab_ct_list gw
lab_dump_legacy gw
lab_topology cl gw ct
lab_finish
