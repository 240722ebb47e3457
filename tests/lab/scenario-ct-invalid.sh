#!/usr/bin/env bash
# scenario-ct-invalid.sh OUTDIR: conntrack invalid-packet logging.
# gw routes between the client (NET1.2) and a server (NET2.10) with
# iptables-legacy: filter FORWARD rule 1 is "-m conntrack --ctstate INVALID
# -j DROP", raw PREROUTING TRACEs everything from the client to the server,
# and net.netfilter.nf_conntrack_log_invalid=255 is set in gw's namespace.
# The client crafts packets with scapy: SYN+RST, SYN+FIN, its own handshake
# followed by an ACK above the window, data beyond the window, data from
# before the window, an out-of-window RST, bad TCP/UDP/ICMP checksums (rx
# checksum offload is off on gw's eth0 so conntrack verifies them) and an
# unsolicited echo reply.  Each crafted packet is one expected.tsv row, with
# its own IP ID (column ip_id).
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=iptables-trace
lab_init "$@"

lab_ns cl gw srv
lab_link cl eth0 gw eth0
lab_link gw eth1 srv eth0
C=$(lab_net 1).2 SRV=$(lab_net 2).10
lab_addr cl eth0 "$C/24"
lab_addr gw eth0 "$(lab_net 1).1/24"
lab_addr gw eth1 "$(lab_net 2).1/24"
lab_addr srv eth0 "$SRV/24"
lab_route cl "$(lab_net 2).0/24" via "$(lab_net 1).1"
lab_route srv default via "$(lab_net 2).1"
lab_sysctl gw net.ipv4.ip_forward=1 net.netfilter.nf_conntrack_log_invalid=255
lab_x gw ethtool -K eth0 rx off >/dev/null
# scapy does its own handshake: keep the client's kernel from resetting it
# (the kernel's RSTs have no socket file; scapy's packets are owned by uid 0)
lab_x cl iptables-legacy -w 10 -A OUTPUT -d "$SRV" -p tcp --tcp-flags RST RST -m owner ! --uid-owner 0 -j DROP

lab_x gw iptables-legacy-restore -w 10 <<EOT
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -s $C/32 -d $SRV/32 -j TRACE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m conntrack --ctstate INVALID -j DROP
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -d $SRV/32 -p tcp -m tcp --dport 80 -j ACCEPT
-A FORWARD -d $SRV/32 -p udp -m udp --dport 53 -j ACCEPT
-A FORWARD -d $SRV/32 -p icmp -m icmp --icmp-type 8 -j ACCEPT
-A FORWARD -s $SRV/32 -j ACCEPT
COMMIT
EOT

lab_server web srv serve-tcp --port 80 --sink
lab_server dns srv serve-udp --port 53
lab_pcap out gw eth0 outside.pcap
lab_pcap in gw eth1 inside.pcap nano
lab_pcapng inng gw eth1 inside.pcapng
lab_ct_events gw
lab_settle

# name -> designed verdict, decisive rule, observation
declare -A WANT=(
	[syn-rst]="drop FORWARD rule 1 no-reply"
	[syn-fin]="drop FORWARD rule 1 no-reply"
	[handshake]="accept FORWARD rule 3 replied"
	[handshake-ack]="accept FORWARD rule 2 no-reply"
	[in-window-data]="accept FORWARD rule 2 replied"
	[ack-over-window]="drop FORWARD rule 1 no-reply"
	[seq-over-window]="drop FORWARD rule 1 no-reply"
	[seq-under-window]="accept FORWARD rule 2 replied"
	[rst-out-of-window]="drop FORWARD rule 1 no-reply"
	[tcp-bad-checksum]="drop FORWARD rule 1 no-reply"
	[udp-bad-checksum]="drop FORWARD rule 1 no-reply"
	[udp-good]="accept FORWARD rule 4 replied"
	[icmp-bad-checksum]="drop FORWARD rule 1 no-reply"
	[icmp-unsolicited-reply]="drop FORWARD rule 1 no-reply"
)
results=$(timeout --foreground -k 2 90 ip netns exec "$(lab_nsname cl)" "$LAB_PY" "$LAB_TOOL" ct-invalid "$SRV" 80 \
	--udp-port 53 --sport-base 41000) || lab_fail "ct-invalid packet generator failed"
n=0
while IFS=$'\t' read -r name proto sport dport result ipid; do
	[ -n "$name" ] || continue
	w=${WANT[$name]:-}
	[ -n "$w" ] || { lab_fail "unexpected generator output: $name"; continue; }
	read -r verdict chain type pos obs <<<"$w"
	lab_expect "$name" ip "$proto" "$C" "$SRV" "$dport" "$verdict" filter "$chain" "$type" "$pos" "$obs" "$result" \
		- "$sport" "" "$ipid"
	lab_check dmesg.txt "TRACE: filter:$chain:$type:$pos IN=eth0 OUT=eth1 .*SRC=$C DST=$SRV .* ID=$ipid DF .*(SPT=$sport |ID=$sport SEQ)" \
		"$name: $verdict by filter $chain $type $pos"
	n=$((n + 1))
done <<<"$results"
[ "$n" = "${#WANT[@]}" ] || lab_fail "generator reported $n of ${#WANT[@]} packets"

lab_check dmesg.txt "nf_ct_proto_6: invalid tcp flag combination IN=eth0 OUT= .*SPT=41001 .* RST SYN " "SYN+RST reason"
lab_check dmesg.txt "nf_ct_proto_6: invalid tcp flag combination IN=eth0 OUT= .*SPT=41002 .* SYN FIN " "SYN+FIN reason"
lab_check dmesg.txt "nf_ct_proto_6: ACK is over upper bound [0-9]+ \\(ACKed data not seen yet\\) .*SPT=41003 " "ACK over window"
lab_check dmesg.txt "nf_ct_proto_6: SEQ is over upper bound [0-9]+ \\(over the window of the receiver\\) .*SPT=41003 " \
	"SEQ over window"
lab_check dmesg.txt "nf_ct_proto_6: SEQ is under lower bound [0-9]+ \\(already ACKed data retransmitted\\) .*SPT=41003 " \
	"SEQ under window"
lab_check dmesg.txt "nf_ct_proto_6: bad checksum .*SPT=41004 " "TCP bad checksum"
lab_check dmesg.txt "nf_ct_proto_17: bad checksum .*SPT=41005 " "UDP bad checksum"
lab_check dmesg.txt "nf_ct_proto_1: bad hw icmp checksum .*TYPE=8 .*ID=41007 " "ICMP bad checksum"
lab_check messages "kern.notice kernel: \\[ *[0-9.]+\\] nf_ct_proto_6: invalid tcp flag combination" "syslog copy of a ct invalid line"

lab_settle 1
lab_ct_list gw
lab_dump_legacy gw
lab_topology cl gw srv
lab_finish
