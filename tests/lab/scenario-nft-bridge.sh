#!/usr/bin/env bash
# scenario-nft-bridge.sh OUTDIR: nftables on a Linux bridge.
# gw has a bridge br0 (address NET1.1, like docker0) joining veth-cl (to the
# client "cl", NET1.2) and veth-ct (to the "container" "ct", NET1.3): one
# subnet, no routing, no NAT.  Tables in gw, all tracing (meta nftrace set 1)
# the client's TCP to ct and to br0's address:
#  * netdev  trace_ingress: chain ingress on veth-cl, traces and accepts;
#  * bridge  filter: prerouting, input (trace only) and forward (traces,
#    then `tcp dport 9090 counter drop comment ...`, policy accept);
#  * inet    filter: prerouting at priority raw, input and forward (traces,
#    ct state rules, policy accept; the policies are at other positions than
#    in the bridge chains of the same names).  With br_netfilter
#    (bridge-nf-call-iptables=1, set in gw only and restored) the bridged
#    packets also go through the IPv4 hooks, so one packet is traced by the
#    netdev, bridge and inet families.  The bridge and inet tables are both
#    named "filter" on purpose: "filter forward" exists in two families.
# Attempts:
#   accepted  cl -> ct:8080, bridged: bridge forward policy accept, then
#             (br_netfilter) inet filter forward policy accept, which decides
#   dropped   cl -> ct:9090, bridged: bridge filter forward rule 2 drops it
#             (SYN retransmitted); the IPv4 forward hook never sees it
#   local     cl -> br0's own NET1.1:8080 (a server in gw): bridge input, then
#             the frame is passed up to br0 and inet filter input policy
#             (position 3) accepts it
# Recorded with `nft monitor trace` and `nft -a monitor trace`.  The trace
# ids of each SYN, hook by hook, are logged (formats.md §12: one packet can
# change trace id behind br_netfilter).  Seen on 6.18: a bridged packet
# keeps its id through netdev ingress, bridge prerouting, inet prerouting,
# bridge forward and inet forward; a packet for br0's own address keeps it
# up to bridge input and gets another id at inet input (the id hashes
# skb->skb_iif, which becomes br0 when the bridge passes the frame up).
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=nft-trace
lab_init "$@"

lab_ns cl gw ct
lab_bridge gw br0
lab_link cl eth0 gw veth-cl
lab_link gw veth-ct ct eth0
ip -n "$(lab_nsname gw)" link set veth-cl master br0
ip -n "$(lab_nsname gw)" link set veth-ct master br0
C=$(lab_net 1).2 CT=$(lab_net 1).3 GWB=$(lab_net 1).1
lab_addr cl eth0 "$C/24"
lab_addr ct eth0 "$CT/24"
lab_addr gw br0 "$GWB/24"

# br_netfilter: the sysctl is per network namespace on recent kernels, so
# look (and set) inside gw.  It is set only when it is not 1 already, and
# only if that does not change the root namespace's value (kernels with one
# global value: then br_netfilter is left as it is and not used).
BRNF_SYSCTL=/proc/sys/net/bridge/bridge-nf-call-iptables
BRNF=0 BRNF_OLD=""
if ! lab_x gw test -e "$BRNF_SYSCTL"; then
	lab_log "note: no $BRNF_SYSCTL in gw, trying modprobe br_netfilter"
	timeout 20 modprobe -q br_netfilter 2>/dev/null || true
fi
if lab_x gw test -e "$BRNF_SYSCTL"; then
	cur=$(lab_x gw cat "$BRNF_SYSCTL")
	if [ "$cur" = 1 ]; then
		BRNF=1
	else
		root_before=$(cat "$BRNF_SYSCTL" 2>/dev/null || echo "")
		BRNF_OLD=$cur
		lab_sysctl gw net.bridge.bridge-nf-call-iptables=1
		root_after=$(cat "$BRNF_SYSCTL" 2>/dev/null || echo "")
		if [ "$root_before" != "$root_after" ]; then
			echo "$root_before" >"$BRNF_SYSCTL"
			BRNF_OLD=""
			lab_log "note: bridge-nf-call-iptables is not per namespace here; left alone, no br_netfilter"
		else
			BRNF=1
		fi
	fi
fi
lab_log "br_netfilter in gw: $([ $BRNF = 1 ] && echo yes || echo no)"
brnf_restore() {
	if [ -n "$BRNF_OLD" ]; then
		lab_sysctl gw net.bridge.bridge-nf-call-iptables="$BRNF_OLD"
		BRNF_OLD=""
	fi
}

OURS="ip saddr $C ip daddr { $GWB, $CT } tcp dport { 8080, 9090 }"
lab_x gw nft -f - <<EOT
table netdev trace_ingress {
	chain ingress {
		type filter hook ingress device "veth-cl" priority -500; policy accept;
		$OURS meta nftrace set 1
		ip saddr $C counter accept comment "from the client port"
	}
}
table bridge filter {
	chain prerouting {
		type filter hook prerouting priority filter; policy accept;
		$OURS meta nftrace set 1
	}
	chain input {
		type filter hook input priority filter; policy accept;
		$OURS meta nftrace set 1
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		$OURS meta nftrace set 1
		tcp dport 9090 counter drop comment "no 9090 across br0"
	}
}
table inet filter {
	chain prerouting {
		type filter hook prerouting priority raw; policy accept;
		$OURS meta nftrace set 1
	}
	chain input {
		type filter hook input priority filter; policy accept;
		$OURS meta nftrace set 1
		ct state invalid counter drop
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		$OURS meta nftrace set 1
		ct state established,related counter accept
		ct state invalid counter drop
	}
}
EOT
H_IN=$(lab_nft_handle gw netdev trace_ingress ingress 2)
H_DROP=$(lab_nft_handle gw bridge filter forward 2)
if [ -z "$H_IN" ] || [ -z "$H_DROP" ]; then lab_die "could not read rule handles"; fi

lab_server web ct serve-tcp --port 8080 --port 9090
lab_server local gw serve-tcp --port 8080
lab_pcap out gw veth-cl outside.pcap
lab_pcap in gw veth-ct inside.pcap nano
lab_pcapng inng gw veth-ct inside.pcapng
lab_ct_events gw
# monitors start after the ruleset is loaded (else: "unknown rule handle")
lab_monitor nftmon gw nft-monitor-trace.txt nft monitor trace
lab_monitor nftmona gw nft-monitor-trace-a.txt nft -a monitor trace
lab_settle 1

A=nft-monitor-trace-a.txt
CNT='counter packets [0-9]+ bytes [0-9]+'
NETDEV_ACCEPT="rule ip saddr $C $CNT accept comment \"from the client port\" # handle $H_IN \\(verdict accept\\)"

lab_tcp cl "$CT" 8080
SP_ACC=$LAB_SPORT
if [ "$BRNF" = 1 ]; then
	lab_expect accepted ip tcp "$C" "$CT" 8080 accept filter forward policy 4 connected "$LAB_R" - "$LAB_SPORT"
	lab_check_nft_trace $A tcp "$LAB_SPORT" "inet filter prerouting" "policy accept" "accepted SYN: inet prerouting policy"
	lab_check_nft_trace $A tcp "$LAB_SPORT" "inet filter forward" "policy accept" "accepted SYN: inet forward policy"
else
	lab_expect accepted bridge tcp "$C" "$CT" 8080 accept filter forward policy 3 connected "$LAB_R" - "$LAB_SPORT"
fi
lab_check_nft_trace $A tcp "$LAB_SPORT" "netdev trace_ingress ingress" "$NETDEV_ACCEPT" "accepted SYN: netdev ingress accept rule"
lab_check_nft_trace $A tcp "$LAB_SPORT" "bridge filter prerouting" "policy accept" "accepted SYN: bridge prerouting policy"
lab_check_nft_trace $A tcp "$LAB_SPORT" "bridge filter forward" "policy accept" "accepted SYN: bridge forward policy"

lab_tcp cl "$CT" 9090
SP_DROP=$LAB_SPORT
lab_expect dropped bridge tcp "$C" "$CT" 9090 drop filter forward rule 2 timeout "$LAB_R" "$H_DROP" "$LAB_SPORT"
lab_check_nft_trace $A tcp "$LAB_SPORT" "bridge filter forward" \
	"rule tcp dport 9090 $CNT drop comment \"no 9090 across br0\" # handle $H_DROP \\(verdict drop\\)" \
	"dropped SYN: bridge forward rule 2"
lab_check_nft_trace nft-monitor-trace.txt tcp "$LAB_SPORT" "bridge filter forward" \
	"rule tcp dport 9090 $CNT drop comment \"no 9090 across br0\" \\(verdict drop\\)" "dropped SYN (no -a): bridge forward rule 2"
lab_check_nft_trace $A tcp "$LAB_SPORT" "netdev trace_ingress ingress" "$NETDEV_ACCEPT" "dropped SYN: netdev ingress accept rule"
if [ "$BRNF" = 1 ]; then
	lab_check_nft_trace $A tcp "$LAB_SPORT" "inet filter prerouting" "policy accept" "dropped SYN: inet prerouting policy"
fi
# the drop really happened: counted in the ruleset dumped after the traffic
lab_check nft-ruleset.txt "tcp dport 9090 counter packets [1-9][0-9]* bytes [0-9]+ drop comment" "bridge drop rule counted"

lab_tcp cl "$GWB" 8080
SP_LOCAL=$LAB_SPORT
lab_expect local ip tcp "$C" "$GWB" 8080 accept filter input policy 3 connected "$LAB_R" - "$LAB_SPORT"
lab_check_nft_trace $A tcp "$LAB_SPORT" "bridge filter input" "policy accept" "local SYN: bridge input policy"
lab_check_nft_trace $A tcp "$LAB_SPORT" "inet filter input" "policy accept" "local SYN: inet input policy"

# trace ids of every traced SYN, hook by hook ("id family table chain")
syn_ids() { # file sport
	awk -v p="tcp sport $2 " '/ packet: / && index($0, p) && / tcp flags == syn / { print $3, $4, $5, $6 }' "$1"
}

lab_post_checks() {
	local n sp ids
	# the dropped SYNs reached br0 on the client side and never left it
	n=$(tcpdump -nr "$LAB_OUT/outside.pcap" "tcp port $SP_DROP and tcp[tcpflags] == tcp-syn" 2>/dev/null | wc -l)
	[ "$n" -ge 2 ] || lab_fail "outside.pcap: $n SYNs of the dropped attempt (want the SYN and a retransmission)"
	n=$(tcpdump -nr "$LAB_OUT/inside.pcap" "tcp port $SP_DROP" 2>/dev/null | wc -l)
	[ "$n" = 0 ] || lab_fail "inside.pcap: $n packets of the dropped attempt crossed the bridge"
	n=$(tcpdump -nr "$LAB_OUT/inside.pcap" "tcp port $SP_ACC and tcp[tcpflags] == tcp-syn" 2>/dev/null | wc -l)
	[ "$n" -ge 1 ] || lab_fail "inside.pcap: the accepted SYN did not cross the bridge"
	n=$(tcpdump -nr "$LAB_OUT/inside.pcap" "tcp port $SP_LOCAL" 2>/dev/null | wc -l)
	[ "$n" = 0 ] || lab_fail "inside.pcap: the local connection was forwarded to ct"
	# the dropped SYNs never reach the IPv4 forward hook; local ones no forward hook
	if _lab_nft_trace_has "$LAB_OUT/$A" tcp "$SP_DROP" "inet filter forward" ""; then
		lab_fail "$A: dropped SYN traced in inet filter forward"
	fi
	if _lab_nft_trace_has "$LAB_OUT/$A" tcp "$SP_LOCAL" "[a-z]+ filter forward" ""; then
		lab_fail "$A: local SYN traced in a forward chain"
	fi
	# say whether a SYN changed trace id between the hooks
	for sp in "$SP_ACC" "$SP_DROP" "$SP_LOCAL"; do
		ids=$(syn_ids "$LAB_OUT/$A" "$sp")
		lab_log "SYNs of sport $sp, packet: lines (id family table chain):"
		printf '%s\n' "$ids" | sed 's/^/    /' >&2
		lab_log "  distinct ids: $(printf '%s\n' "$ids" | awk '{print $1}' | sort -u | tr '\n' ' ')"
	done
}

lab_settle 1
lab_ct_list gw
lab_dump_nft gw
brnf_restore
lab_topology cl gw ct
lab_finish
