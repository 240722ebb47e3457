#!/usr/bin/env bash
# scenario-nft-set-drop.sh OUTDIR: the story of seeds 000/004 with nftables.
# gw DNATs NET1.1:1222 to the server NET2.10:22 (inet nat prerouting); inet
# filter forward jumps DNATed flows to allowed_dnats, which accepts only
# "ip daddr . tcp dport" pairs in set allow_in and drops the rest.  The set
# lacks NET2.10 . 22, so the first attempt is dropped (by the rule "drop");
# after `nft add element` the second attempt is accepted.  Traced with
# meta nftrace set 1 at prerouting priority -200000; recorded with both
# `nft monitor trace` and `nft -a monitor trace`.
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=nft-trace
lab_init "$@"

lab_ns cl gw srv
lab_link cl eth0 gw eth0
lab_link gw eth1 srv eth0
C=$(lab_net 1).2 H=$(lab_net 1).1 SRV=$(lab_net 2).10 SRV2=$(lab_net 2).11
lab_addr cl eth0 "$C/24"
lab_addr gw eth0 "$H/24"
lab_addr gw eth1 "$(lab_net 2).1/24"
lab_addr srv eth0 "$SRV/24"
lab_route srv default via "$(lab_net 2).1"
lab_sysctl gw net.ipv4.ip_forward=1

lab_x gw nft -f - <<EOT
table inet trace_debug {
	chain trace_pre {
		type filter hook prerouting priority -200000; policy accept;
		ip saddr $C ip daddr $H tcp dport 1222 meta nftrace set 1
	}
}
table inet nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		ip daddr $H tcp dport 1222 dnat ip to $SRV:22
	}
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
	}
}
table inet filter {
	set allow_in {
		type ipv4_addr . inet_service
		elements = { $SRV . 80, $SRV2 . 22 }
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		ct state established,related accept
		ct status dnat jump allowed_dnats
	}
	chain allowed_dnats {
		meta nfproto ipv4 ip daddr . tcp dport @allow_in accept
		drop
	}
}
EOT
H_ACCEPT=$(lab_nft_handle gw inet filter allowed_dnats 1)
H_DROP=$(lab_nft_handle gw inet filter allowed_dnats 2)
if [ -z "$H_ACCEPT" ] || [ -z "$H_DROP" ]; then lab_die "could not read rule handles"; fi

lab_server ssh srv serve-tcp --port 22
lab_pcap out gw eth0 outside.pcap
lab_pcap in gw eth1 inside.pcap nano
lab_pcapng inng gw eth1 inside.pcapng
lab_ct_events gw
# monitors start after the ruleset is loaded (else: "unknown rule handle")
lab_monitor nftmon gw nft-monitor-trace.txt nft monitor trace
lab_monitor nftmona gw nft-monitor-trace-a.txt nft -a monitor trace
lab_settle 1

# the ruleset as it was when the first attempt was dropped
lab_dump_nft gw .before-add

lab_tcp cl "$H" 1222
lab_expect dropped ip tcp "$C" "$H" 1222 drop filter allowed_dnats rule 2 timeout "$LAB_R" "$H_DROP" "$LAB_SPORT"
lab_check_nft_trace nft-monitor-trace-a.txt tcp "$LAB_SPORT" "inet filter allowed_dnats" \
	"rule drop # handle $H_DROP \\(verdict drop\\)" "dropped SYN: allowed_dnats drop"
lab_check_nft_trace nft-monitor-trace.txt tcp "$LAB_SPORT" "inet filter allowed_dnats" \
	"rule drop \\(verdict drop\\)" "dropped SYN (no -a): allowed_dnats drop"

lab_x gw nft get element inet filter allow_in "{ $SRV . 22 }" >/dev/null 2>&1 &&
	lab_fail "element $SRV . 22 unexpectedly present"
lab_x gw nft add element inet filter allow_in "{ $SRV . 22 }"
lab_settle 0.3

lab_tcp cl "$H" 1222
lab_expect accepted ip tcp "$C" "$H" 1222 accept filter allowed_dnats rule 1 connected "$LAB_R" "$H_ACCEPT" "$LAB_SPORT"
lab_check_nft_trace nft-monitor-trace-a.txt tcp "$LAB_SPORT" "inet filter allowed_dnats" \
	"rule ip daddr \\. tcp dport @allow_in accept # handle $H_ACCEPT \\(verdict accept\\)" "accepted SYN: allowed_dnats rule 1"

lab_settle 1
lab_ct_list gw
lab_dump_nft gw
lab_topology cl gw srv
lab_finish
