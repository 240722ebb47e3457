#!/usr/bin/env bash
# scenario-three-hosts.sh OUTDIR: one packet, three hosts, three sources.
# cl (NET1.2) reaches a service address PUB (NET1.10) on gw, which DNATs
# it to srv (NET2.10) and MASQUERADEs it with --random-fully, so that on
# srv nothing of the client's tuple is left (source gw's NET2.1 and a
# random port, destination srv's own address). Each host records in its
# own way:
#   cl   iptables-legacy TRACE in raw OUTPUT: the kernel log (dmesg.txt,
#        dmesg-T.txt, messages), host "client"
#   gw   captures on both sides (outside.pcap, inside.pcap) and conntrack
#        (conntrack-E.txt, conntrack-L.txt), host "gateway"
#   srv  `nft monitor trace` (nft-monitor-trace-a.txt), host "server"
# Only the client writes TRACE lines, so the machine-wide kernel log is
# the client's alone. Attempts:
#   web     cl -> PUB:8080 -> srv:80, accepted by srv's inet filter input
#           rule 1 (and by cl's filter OUTPUT policy)
#   closed  cl -> PUB:8081 -> srv:81, dropped by srv's input policy (the
#           SYN retransmitted)
# hosts.tsv names each file's host, for `natlog import --host` (not the
# syslog file, whose lines name their own host, busybox's "natlog-lab").
. "$(dirname "$0")/lib.sh"
LAB_SOURCE=iptables-trace
lab_init "$@"

lab_ns cl gw srv
lab_link cl eth0 gw eth0
lab_link gw eth1 srv eth0
C=$(lab_net 1).2 H=$(lab_net 1).1 PUB=$(lab_net 1).10 GWIN=$(lab_net 2).1 SRV=$(lab_net 2).10
lab_addr cl eth0 "$C/24"
lab_addr gw eth0 "$H/24"
lab_addr gw eth0 "$PUB/24"
lab_addr gw eth1 "$GWIN/24"
lab_addr srv eth0 "$SRV/24"
lab_route cl default via "$H"
lab_route srv default via "$GWIN"
lab_sysctl gw net.ipv4.ip_forward=1

lab_x cl iptables-legacy-restore -w 10 <<EOT
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A OUTPUT -d $PUB/32 -p tcp -j TRACE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
EOT
lab_x gw iptables-legacy-restore -w 10 <<EOT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d $PUB/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination $SRV:80
-A PREROUTING -d $PUB/32 -p tcp -m tcp --dport 8081 -j DNAT --to-destination $SRV:81
-A POSTROUTING -o eth1 -j MASQUERADE --random-fully
COMMIT
EOT
lab_x srv nft -f - <<EOT
table inet trace_debug {
	chain trace_pre {
		type filter hook prerouting priority raw; policy accept;
		ip daddr $SRV tcp dport { 80, 81 } meta nftrace set 1
	}
}
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		tcp dport 80 accept
		ct state established,related accept
	}
}
EOT
H_WEB=$(lab_nft_handle srv inet filter input 1)
[ -n "$H_WEB" ] || lab_die "could not read the handle of srv's input rule 1"

lab_server web srv serve-tcp --port 80
lab_pcap out gw eth0 outside.pcap
lab_pcap in gw eth1 inside.pcap nano
lab_ct_events gw
lab_monitor nftmona srv nft-monitor-trace-a.txt nft -a monitor trace
lab_settle 1

masq_port() { # client port -> the port MASQUERADE gave the connection on eth1
	lab_x gw conntrack -L -p tcp --orig-src "$C" --sport "$1" 2>/dev/null |
		awk '{ n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^dport=/) { n++; if (n == 2) { sub(/dport=/, "", $i); print $i; exit } } }'
}

lab_tcp cl "$PUB" 8080
SP_WEB=$LAB_SPORT
lab_expect web ip tcp "$C" "$PUB" 8080 accept filter OUTPUT policy 1 connected "$LAB_R" - "$LAB_SPORT"
MP=$(masq_port "$SP_WEB")
[ -n "$MP" ] || lab_fail "web: no conntrack entry for the client's port $SP_WEB"
lab_expect web-server ip tcp "$GWIN" "$SRV" 80 accept filter input rule 1 connected "$LAB_R" "$H_WEB" "$MP" nft-trace
lab_tcp cl "$PUB" 8081 2
SP_CLOSED=$LAB_SPORT
lab_expect closed ip tcp "$C" "$PUB" 8081 accept filter OUTPUT policy 1 timeout "$LAB_R" - "$LAB_SPORT"
MP2=$(masq_port "$SP_CLOSED")
[ -n "$MP2" ] || lab_fail "closed: no conntrack entry for the client's port $SP_CLOSED"
lab_expect closed-server ip tcp "$GWIN" "$SRV" 81 drop filter input policy 3 timeout "$LAB_R" - "$MP2" nft-trace

lab_check dmesg.txt "TRACE: raw:OUTPUT:policy:2 IN= OUT=eth0 SRC=$C DST=$PUB .*SPT=$SP_WEB DPT=8080 " "web: the client's TRACE"
lab_check_nft_trace nft-monitor-trace-a.txt tcp "$MP" "inet filter input" "rule tcp dport 80 accept .*\\(verdict accept\\)" \
	"web: the server's trace"

lab_post_checks() {
	printf 'dmesg.txt\tclient\ndmesg-T.txt\tclient\noutside.pcap\tgateway\ninside.pcap\tgateway\nconntrack-E.txt\tgateway\nconntrack-L.txt\tgateway\niptables-save.txt\tclient\niptables-save-gw.txt\tgateway\nnft-monitor-trace-a.txt\tserver\nnft-ruleset.txt\tserver\n' \
		>"$LAB_OUT/hosts.tsv"
	[ "$MP" != "$SP_WEB" ] || lab_log "note: MASQUERADE kept the client's port $MP"
}

lab_settle 1
lab_ct_list gw
lab_x cl iptables-legacy-save >"$LAB_OUT/iptables-save.txt"
lab_x gw iptables-legacy-save >"$LAB_OUT/iptables-save-gw.txt"
lab_dump_nft srv
lab_topology cl gw srv
lab_finish
