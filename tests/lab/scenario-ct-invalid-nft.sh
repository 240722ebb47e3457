#!/usr/bin/env bash
# scenario-ct-invalid-nft.sh OUTDIR: ct-invalid with nftables. The same
# crafted packets as scenario-ct-invalid.sh, but gw's ruleset is nft (an
# inet filter forward chain whose rule 1 is "ct state invalid drop") and
# the trace is `nft monitor trace`, which prints no time stamps: the
# kernel's nf_ct_proto_N lines (net.netfilter.nf_conntrack_log_invalid=255)
# are in dmesg, so the two can be joined only by what identifies each
# packet, not by a clock.
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=nft-trace
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
lab_x cl iptables-legacy -w 10 -A OUTPUT -d "$SRV" -p tcp --tcp-flags RST RST -m owner ! --uid-owner 0 -j DROP

lab_x gw nft -f - <<EOT
table inet trace_debug {
	chain trace_pre {
		type filter hook prerouting priority raw; policy accept;
		ip saddr $C ip daddr $SRV meta nftrace set 1
	}
}
table inet filter {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state invalid drop
		ct state established,related accept
		ip daddr $SRV tcp dport 80 accept
		ip daddr $SRV udp dport 53 accept
		ip daddr $SRV icmp type echo-request accept
		ip saddr $SRV accept
	}
}
EOT
declare -A HANDLE
for pos in 1 2 3 4 5; do
	HANDLE[$pos]=$(lab_nft_handle gw inet filter forward "$pos")
	[ -n "${HANDLE[$pos]}" ] || lab_die "could not read the handle of rule $pos"
done

lab_server web srv serve-tcp --port 80 --sink
lab_server dns srv serve-udp --port 53
lab_pcap out gw eth0 outside.pcap
lab_pcap in gw eth1 inside.pcap nano
lab_ct_events gw
lab_monitor nftmon gw nft-monitor-trace.txt nft monitor trace
lab_monitor nftmona gw nft-monitor-trace-a.txt nft -a monitor trace
lab_settle 1

declare -A WANT=(
	[syn-rst]="drop forward rule 1 no-reply"
	[syn-fin]="drop forward rule 1 no-reply"
	[handshake]="accept forward rule 3 replied"
	[handshake-ack]="accept forward rule 2 no-reply"
	[in-window-data]="accept forward rule 2 replied"
	[ack-over-window]="drop forward rule 1 no-reply"
	[seq-over-window]="drop forward rule 1 no-reply"
	[seq-under-window]="accept forward rule 2 replied"
	[rst-out-of-window]="drop forward rule 1 no-reply"
	[tcp-bad-checksum]="drop forward rule 1 no-reply"
	[udp-bad-checksum]="drop forward rule 1 no-reply"
	[udp-good]="accept forward rule 4 replied"
	[icmp-bad-checksum]="drop forward rule 1 no-reply"
	[icmp-unsolicited-reply]="drop forward rule 1 no-reply"
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
		"${HANDLE[$pos]}" "$sport" "" "$ipid"
	n=$((n + 1))
done <<<"$results"
[ "$n" = "${#WANT[@]}" ] || lab_fail "generator reported $n of ${#WANT[@]} packets"
lab_check_nft_trace nft-monitor-trace-a.txt tcp 41001 "inet filter forward" \
	"rule ct state invalid drop .*\\(verdict drop\\)" "SYN+RST dropped as invalid in the nft trace"

lab_check dmesg.txt "nf_ct_proto_6: invalid tcp flag combination IN=eth0 OUT= .*SPT=41001 .* RST SYN " "SYN+RST reason"
lab_check dmesg.txt "nf_ct_proto_6: ACK is over upper bound [0-9]+ \\(ACKed data not seen yet\\) .*SPT=41003 " "ACK over window"
lab_check dmesg.txt "nf_ct_proto_17: bad checksum .*SPT=41005 " "UDP bad checksum"
lab_check dmesg.txt "nf_ct_proto_1: bad hw icmp checksum .*TYPE=8 .*ID=41007 " "ICMP bad checksum"
lab_check_absent dmesg.txt "TRACE: " "no legacy TRACE line: the trace is nft's"

lab_settle 1
lab_ct_list gw
lab_dump_nft gw
lab_topology cl gw srv
lab_finish
