#!/usr/bin/env bash
# scenario-interleaved.sh OUTDIR: many concurrent flows through one legacy
# DNAT, so that the kernel log interleaves their TRACE lines.
#   30 TCP connections started 3 ms apart: 20 to host:8080 (DNAT to srv:80,
#   accepted by FORWARD rule 2) and 10 to host:9090 (DNAT to srv:81, FORWARD
#   policy DROP: their SYNs are retransmitted until the 2.5 s timeout);
#   meanwhile 6 UDP datagrams crafted with scapy, all with IP ID 0 and DF:
#   3 to host:5353 (DNAT srv:53, accepted, answered) and 3 to host:5354
#   (DNAT srv:54, dropped by policy).
# Only SYNs and the UDP datagrams are traced (keeps the log small).
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=iptables-trace
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

lab_x gw iptables-legacy-restore -w 10 <<EOT
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -s $C/32 -d $H/32 -p tcp -m multiport --dports 8080,9090 -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j TRACE
-A PREROUTING -s $C/32 -d $H/32 -p udp -m multiport --dports 5353,5354 -j TRACE
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d $H/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination $SRV:80
-A PREROUTING -d $H/32 -p tcp -m tcp --dport 9090 -j DNAT --to-destination $SRV:81
-A PREROUTING -d $H/32 -p udp -m udp --dport 5353 -j DNAT --to-destination $SRV:53
-A PREROUTING -d $H/32 -p udp -m udp --dport 5354 -j DNAT --to-destination $SRV:54
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -d $SRV/32 -p tcp -m tcp --dport 80 -j ACCEPT
-A FORWARD -d $SRV/32 -p udp -m udp --dport 53 -j ACCEPT
COMMIT
EOT

lab_server web srv serve-tcp --port 80 --port 81
lab_server dns srv serve-udp --port 53 --port 54
lab_pcap out gw eth0 outside.pcap
lab_pcap in gw eth1 inside.pcap nano
lab_pcapng inng gw eth1 inside.pcapng
lab_ct_events gw
lab_settle

NS_CL=$(lab_nsname cl)
timeout --foreground -k 2 40 ip netns exec "$NS_CL" "$LAB_PY" "$LAB_TOOL" burst "$H" --conn 8080:20 --conn 9090:10 \
	--timeout 2.5 --stagger 0.003 >"$LAB_TMP/burst.out" &
burst_pid=$!
sleep 0.1
timeout --foreground -k 2 30 ip netns exec "$NS_CL" "$LAB_PY" "$LAB_TOOL" udp-id0 "$H" 5353 --sports 50001,50003,50005 \
	--gap 0.07 >"$LAB_TMP/udp1.out" &
udp1_pid=$!
timeout --foreground -k 2 30 ip netns exec "$NS_CL" "$LAB_PY" "$LAB_TOOL" udp-id0 "$H" 5354 --sports 50002,50004,50006 \
	--gap 0.07 >"$LAB_TMP/udp2.out" &
udp2_pid=$!
wait "$burst_pid" || lab_fail "burst client failed"
wait "$udp1_pid" || lab_fail "udp client 1 failed"
wait "$udp2_pid" || lab_fail "udp client 2 failed"

ntcp=0
while IFS=$'\t' read -r sport port result; do
	[ -n "$sport" ] || continue
	ntcp=$((ntcp + 1))
	if [ "$port" = 8080 ]; then
		lab_expect "tcp-$ntcp" ip tcp "$C" "$H" 8080 accept filter FORWARD rule 2 connected "$result" - "$sport"
		lab_check dmesg.txt "TRACE: filter:FORWARD:rule:2 IN=eth0 OUT=eth1 .*SPT=$sport DPT=80 " "tcp-$ntcp accepted"
	else
		lab_expect "tcp-$ntcp" ip tcp "$C" "$H" 9090 drop filter FORWARD policy 4 timeout "$result" - "$sport"
		lab_check dmesg.txt "TRACE: filter:FORWARD:policy:4 IN=eth0 OUT=eth1 .*SPT=$sport DPT=81 " "tcp-$ntcp dropped"
	fi
done <"$LAB_TMP/burst.out"
[ "$ntcp" = 30 ] || lab_fail "burst reported $ntcp of 30 connections"

nudp=0
while IFS=$'\t' read -r sport port result; do
	[ -n "$sport" ] || continue
	nudp=$((nudp + 1))
	if [ "$port" = 5353 ]; then
		lab_expect "udp-$sport" ip udp "$C" "$H" 5353 accept filter FORWARD rule 3 replied "$result" - "$sport" "" 0
		lab_check dmesg.txt "TRACE: filter:FORWARD:rule:3 IN=eth0 OUT=eth1 .* ID=0 DF PROTO=UDP SPT=$sport DPT=53 " "udp $sport accepted"
	else
		lab_expect "udp-$sport" ip udp "$C" "$H" 5354 drop filter FORWARD policy 4 no-reply "$result" - "$sport" "" 0
		lab_check dmesg.txt "TRACE: filter:FORWARD:policy:4 IN=eth0 OUT=eth1 .* ID=0 DF PROTO=UDP SPT=$sport DPT=54 " "udp $sport dropped"
	fi
done < <(cat "$LAB_TMP/udp1.out" "$LAB_TMP/udp2.out")
[ "$nudp" = 6 ] || lab_fail "udp clients reported $nudp of 6 datagrams"

# every traced packet on the wire must have its raw:PREROUTING line (nothing
# lost from the kernel log), in dmesg and in the syslog file
lab_post_checks() {
	local wire logd logm
	wire=$(tcpdump -nn -r "$LAB_OUT/outside.pcap" \
		"src host $C and dst host $H and ((tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and (dst port 8080 or dst port 9090)) or (udp and (dst port 5353 or dst port 5354)))" \
		2>/dev/null | wc -l)
	logd=$(grep -c 'TRACE: raw:PREROUTING:' "$LAB_OUT/dmesg.txt" || true)
	logm=$(grep -c 'TRACE: raw:PREROUTING:' "$LAB_OUT/messages" || true)
	lab_log "traced packets: wire $wire, dmesg $logd, messages $logm"
	if [ "$wire" -le 40 ] || [ "$wire" != "$logd" ] || [ "$wire" != "$logm" ]; then
		lab_fail "kernel log incomplete (wire $wire, dmesg $logd, messages $logm)"
	fi
}

lab_settle 1
lab_ct_list gw
lab_dump_legacy gw
lab_topology cl gw srv
lab_finish
