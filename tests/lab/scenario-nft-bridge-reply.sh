#!/usr/bin/env bash
# scenario-nft-bridge-reply.sh OUTDIR: replies for the bridge's own address.
# gw has a bridge br0 (address NET1.1) with a "container" ct (NET1.3) on
# veth-ct, br_netfilter on, and tables in the bridge and inet families that
# trace what ct sends to br0's address from its port 8080.  gw connects to
# ct:8080 three times: each SYN-ACK (IP ID 0, as Linux sends them) is
# traced through bridge prerouting, inet prerouting and bridge input under
# one trace id, and, once the bridge passes the frame up to br0, through
# inet input under another.  Nothing but the addresses, ports, length,
# flags and window tells that the second id continues the first.
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=nft-trace
lab_init "$@"

lab_ns gw ct
lab_bridge gw br0
lab_link gw veth-ct ct eth0
ip -n "$(lab_nsname gw)" link set veth-ct master br0
CT=$(lab_net 1).3 GWB=$(lab_net 1).1
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

OURS="ip saddr $CT ip daddr $GWB tcp sport 8080"
lab_x gw nft -f - <<EOT
table bridge filter {
	chain prerouting {
		type filter hook prerouting priority filter; policy accept;
		$OURS meta nftrace set 1
	}
	chain input {
		type filter hook input priority filter; policy accept;
		$OURS meta nftrace set 1
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
}
EOT

lab_server web ct serve-tcp --port 8080
lab_pcap in gw veth-ct inside.pcap nano
lab_ct_events gw
lab_monitor nftmon gw nft-monitor-trace.txt nft monitor trace
lab_monitor nftmona gw nft-monitor-trace-a.txt nft -a monitor trace
lab_settle 1

A=nft-monitor-trace-a.txt
[ "$BRNF" = 1 ] || lab_die "this scenario needs br_netfilter"
for i in 1 2 3; do
	lab_tcp gw "$CT" 8080
	# the attempt's first traced packet is ct's SYN-ACK to gw's port
	lab_expect "reply-$i" ip tcp "$CT" "$GWB" "$LAB_SPORT" accept filter input policy 3 connected "$LAB_R" - 8080
	lab_check "$A" "packet: .*ip saddr $CT ip daddr $GWB .*ip id 0 .*tcp sport 8080 tcp dport $LAB_SPORT .*tcp flags == 0x12 " \
		"reply-$i: the SYN-ACK is traced with IP ID 0"
done

lab_post_checks() {
	local ids
	# say which trace ids each SYN-ACK had, hook by hook
	ids=$(awk '/ packet: / && / tcp flags == 0x12 / { print $3, $4, $5, $6 }' "$LAB_OUT/$A")
	lab_log "SYN-ACK packet: lines (id family table chain):"
	printf '%s\n' "$ids" | sed 's/^/    /' >&2
	[ "$(printf '%s\n' "$ids" | awk '{print $1}' | sort -u | wc -l)" -ge 6 ] ||
		lab_fail "$A: the SYN-ACKs did not change trace id on their way up to br0"
}

lab_settle 1
lab_ct_list gw
lab_dump_nft gw
brnf_restore
lab_topology gw ct
lab_finish
