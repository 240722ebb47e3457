#!/usr/bin/env bash
# scenario-rewind.sh OUTDIR: rules inserted and deleted after packets were
# traced, the only dump taken after the changes.  `nft -a monitor` records
# the ruleset events and the traces in one file (started before the
# ruleset is loaded, so nft 1.0.6 prints "unknown rule handle N" in its
# trace lines).  inet filter forward (policy drop) is "1 established,
# 2 dport 80 accept, 3 dport 22 accept": r1 (80), r2 (8080, policy), r3
# (22) traced; then `nft insert rule ... ip saddr @blocked drop` (first in
# the chain) and the dport 22 rule deleted; nft-ruleset.txt; r4 (80, now
# rule 3) and r5 (22, now the policy) traced.  expected.tsv holds the
# positions of each packet's own time: the dump shows them only once the
# monitor's events are undone on it.
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=nft-trace
lab_init "$@"

lab_ns cl gw srv
lab_link cl eth0 gw eth0
lab_link gw eth1 srv eth0
C=$(lab_net 1).2 H=$(lab_net 1).1 SRV=$(lab_net 2).10
lab_addr cl eth0 "$C/24"
lab_addr gw eth0 "$H/24"
lab_addr gw eth1 "$(lab_net 2).1/24"
lab_addr srv eth0 "$SRV/24"
lab_route cl default via "$H"
lab_route srv default via "$(lab_net 2).1"
lab_sysctl gw net.ipv4.ip_forward=1

lab_server web srv serve-tcp --port 80 --port 8080 --port 22
lab_pcap out gw eth0 outside.pcap
lab_monitor nftmon gw nft-monitor.txt nft -a monitor
lab_settle 1
lab_x gw nft -f - <<EOT
table inet trace_debug {
	chain trace_pre {
		type filter hook prerouting priority -200000; policy accept;
		ip saddr $C meta l4proto tcp meta nftrace set 1
	}
}
table inet filter {
	set blocked {
		type ipv4_addr
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		tcp dport 80 accept
		tcp dport 22 accept
	}
}
EOT
H80=$(lab_nft_handle gw inet filter forward 2)
H22=$(lab_nft_handle gw inet filter forward 3)
[ -n "$H80" ] && [ -n "$H22" ] || lab_die "could not read the forward rules' handles"
lab_settle 1

lab_tcp cl "$SRV" 80
lab_expect r1 ip tcp "$C" "$SRV" 80 accept filter forward rule 2 connected "$LAB_R" "$H80" "$LAB_SPORT"
lab_check_nft_trace nft-monitor.txt tcp "$LAB_SPORT" "inet filter forward" \
	"(rule tcp dport 80 accept # handle|unknown rule handle) $H80 \\(verdict accept\\)" "r1: forward handle $H80 accepts"
lab_tcp cl "$SRV" 8080
lab_expect r2 ip tcp "$C" "$SRV" 8080 drop filter forward policy 4 timeout "$LAB_R" - "$LAB_SPORT"
lab_tcp cl "$SRV" 22
lab_expect r3 ip tcp "$C" "$SRV" 22 accept filter forward rule 3 connected "$LAB_R" "$H22" "$LAB_SPORT"
lab_check_nft_trace nft-monitor.txt tcp "$LAB_SPORT" "inet filter forward" \
	"(rule tcp dport 22 accept # handle|unknown rule handle) $H22 \\(verdict accept\\)" "r3: forward handle $H22 accepts"

lab_settle 1
lab_x gw nft insert rule inet filter forward ip saddr @blocked drop
lab_x gw nft delete rule inet filter forward handle "$H22"
lab_settle 1
lab_dump_nft gw
lab_settle 1

lab_tcp cl "$SRV" 80
lab_expect r4 ip tcp "$C" "$SRV" 80 accept filter forward rule 3 connected "$LAB_R" "$H80" "$LAB_SPORT"
lab_tcp cl "$SRV" 22
lab_expect r5 ip tcp "$C" "$SRV" 22 drop filter forward policy 4 timeout "$LAB_R" - "$LAB_SPORT"

lab_settle 1
lab_check nft-monitor.txt "^insert rule inet filter forward ip saddr @blocked drop # handle [0-9]+\$" "nft monitor: the insert"
lab_check nft-monitor.txt "^delete rule inet filter forward handle $H22\$" "nft monitor: the delete"
lab_ct_list gw
lab_topology cl gw srv
lab_finish
