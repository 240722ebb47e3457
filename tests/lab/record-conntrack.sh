#!/bin/bash
# record-conntrack.sh [OUTDIR]: records real conntrack-tools output that the
# scenario lab does not produce, into OUTDIR (default testdata/conntrack):
# `conntrack -L` plain (with its summary line), `-o extended,id,labels`,
# `-o ktimestamp`, /proc/net/nf_conntrack, and `conntrack -E` plain, with
# `-o timestamp,id,labels` and with `-o extended,userspace`, for TCP (DNAT, ftp
# helper, ct mark, ct label), UDP (DNAT+SNAT, ct zone, unreplied), UDP-Lite,
# ICMP and ICMPv6 (masquerade), SCTP, GRE, DCCP and an unknown protocol
# (crafted with scapy), IPv4 and IPv6, with accounting and timestamps on.
#
# Needs root, ip, nft, conntrack, timeout, unshare and a python3 with scapy.
# Namespaces are nlab-<pid>-{cl,gw,srv}; only 10.77.241.0/24,
# 10.77.242.0/24, fd00:77:f1::/64 and fd00:77:f2::/64 are used (outside the
# scenario lab's slots), sysctls are set inside gw's namespace only, every
# wait is bounded, and the trap stops what this run started (by pid) and
# deletes only its own namespaces. conntrack prints `labels=` only when a
# connlabel.conf exists: nft and conntrack run in a private mount namespace
# where an overlay on /etc adds one; the machine's /etc is not touched.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/testdata/conntrack}
RUN="nlab-$$"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/natlog-ct.XXXXXX")
PIDS=()
NSS=()

log() { printf '[record-conntrack] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

cleanup() {
	local p n
	for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do
		timeout 5 tail --pid="$p" -f /dev/null 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	for n in "${NSS[@]}"; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM HUP

[ "$(id -u)" = 0 ] || die "must run as root"
for t in ip nft conntrack timeout unshare; do
	command -v "$t" >/dev/null 2>&1 || die "$t is not installed"
done
PY=""
for p in "${NATLOG_LAB_PYTHON:-}" /usr/bin/python3 python3; do
	[ -n "$p" ] && command -v "$p" >/dev/null 2>&1 && "$p" -c 'import scapy' 2>/dev/null && { PY=$p; break; }
done
[ -n "$PY" ] || die "no python3 with scapy (apt-get install python3-scapy)"
LABTOOL=$ROOT/tests/lab/labtool.py

ns() { echo "$RUN-$1"; }
# x ROLE CMD... : CMD in ROLE's namespace, bounded
x() { local r=$1; shift; timeout -k 2 30 ip netns exec "$(ns "$r")" "$@"; }
# lx ROLE CMD... : the same with a connlabel.conf in a private /etc overlay
LX_SH='ov=$1; shift
mount -t tmpfs natlog-ct-ov "$ov" && mkdir -p "$ov/up/xtables" "$ov/work" &&
printf "0 natlab\n1 slow\n" >"$ov/up/xtables/connlabel.conf" &&
cp "$ov/up/xtables/connlabel.conf" "$ov/up/connlabel.conf" &&
mount -t overlay natlog-ct-etc -o "lowerdir=/etc,upperdir=$ov/up,workdir=$ov/work" /etc &&
exec "$@"'
lx() {
	local r=$1; shift
	timeout -k 2 30 unshare -m --propagation private sh -c "$LX_SH" sh "$TMP/ov" \
		ip netns exec "$(ns "$r")" "$@"
}
# bg ROLE OUTFILE CMD... : background CMD (labels view), bounded to 120 s;
# $! is timeout's pid, which passes SIGINT on to CMD
bg() {
	local r=$1 f=$2; shift 2
	timeout -k 2 120 unshare -m --propagation private sh -c "$LX_SH" sh "$TMP/ov" \
		ip netns exec "$(ns "$r")" stdbuf -oL -eL "$@" >"$f" 2>>"$TMP/bg.err" </dev/null &
	PIDS+=($!)
}
settle() { sleep "${1:-0.5}"; }

mkdir -p "$TMP/ov" "$TMP/out"
for r in cl gw srv; do
	ip netns add "$(ns "$r")"
	NSS+=("$(ns "$r")")
	ip -n "$(ns "$r")" link set lo up
	x "$r" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0
done
ip -n "$(ns cl)" link add eth0 type veth peer name eth0 netns "$(ns gw)"
ip -n "$(ns srv)" link add eth0 type veth peer name eth1 netns "$(ns gw)"
ip -n "$(ns cl)" link set eth0 up
ip -n "$(ns gw)" link set eth0 up
ip -n "$(ns gw)" link set eth1 up
ip -n "$(ns srv)" link set eth0 up
ip -n "$(ns cl)" addr add 10.77.241.2/24 dev eth0
ip -n "$(ns cl)" addr add fd00:77:f1::2/64 dev eth0 nodad
ip -n "$(ns gw)" addr add 10.77.241.1/24 dev eth0
ip -n "$(ns gw)" addr add fd00:77:f1::1/64 dev eth0 nodad
ip -n "$(ns gw)" addr add 10.77.242.1/24 dev eth1
ip -n "$(ns gw)" addr add fd00:77:f2::1/64 dev eth1 nodad
ip -n "$(ns srv)" addr add 10.77.242.10/24 dev eth0
ip -n "$(ns srv)" addr add fd00:77:f2::10/64 dev eth0 nodad
ip -n "$(ns cl)" route add default via 10.77.241.1
ip -n "$(ns cl)" -6 route add default via fd00:77:f1::1
ip -n "$(ns srv)" route add default via 10.77.242.1
ip -n "$(ns srv)" -6 route add default via fd00:77:f2::1
# nf_conntrack_checksum=0: with it on, conntrack (6.18) calls the UDP-Lite
# packets of a veth INVALID and never tracks them
x gw sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
	net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1 \
	net.netfilter.nf_conntrack_checksum=0

cat >"$TMP/ruleset.nft" <<'EOF'
table inet natlab {
	ct helper ftp-std {
		type "ftp" protocol tcp
	}
	chain raw_pre {
		type filter hook prerouting priority raw; policy accept;
		udp dport 9999 ct zone set 7
		udp sport 9999 ct zone set 7
	}
	chain helpers {
		type filter hook prerouting priority filter; policy accept;
		tcp dport 21 ct helper set "ftp-std"
	}
	chain forward_marks {
		type filter hook forward priority filter; policy accept;
		ct state new tcp dport 80 ct mark set 42
		ct state new tcp dport 21 ct label set natlab
	}
}
table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 8080 dnat to 10.77.242.10:80
		udp dport 5353 dnat to 10.77.242.10:53
	}
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth1" ip saddr 10.77.241.0/24 meta l4proto { icmp, udp } masquerade
	}
}
table ip6 nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 8080 dnat to [fd00:77:f2::10]:80
	}
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth1" ip6 saddr fd00:77:f1::/64 meta l4proto ipv6-icmp masquerade
	}
}
EOF
lx gw nft -f "$TMP/ruleset.nft"
lx gw nft list ruleset >"$TMP/out/ruleset.nft"

# servers in srv (IPv6 sockets, dual-stack): tcp 80 and 21, udp 53 and
# 9999, and udp-lite 5000 (IPv4)
timeout -k 2 120 ip netns exec "$(ns srv)" "$PY" "$LABTOOL" serve-tcp --family 6 --port 80 --port 21 \
	--lifetime 110 >/dev/null 2>"$TMP/srv-tcp.err" &
PIDS+=($!)
timeout -k 2 120 ip netns exec "$(ns srv)" "$PY" "$LABTOOL" serve-udp --family 6 --port 53 --port 9999 \
	--lifetime 110 >/dev/null 2>"$TMP/srv-udp.err" &
PIDS+=($!)
timeout -k 2 120 ip netns exec "$(ns srv)" "$PY" -c '
import select, socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE)
s.bind(("0.0.0.0", 5000))
end = time.time() + 110
while time.time() < end:
    if select.select([s], [], [], 0.5)[0]:
        d, peer = s.recvfrom(2048)
        s.sendto(b"pong:" + d, peer)
' >/dev/null 2>"$TMP/srv-udplite.err" &
PIDS+=($!)
x srv "$PY" "$LABTOOL" wait-port 80 --timeout 10
x srv "$PY" "$LABTOOL" wait-port 21 --timeout 10
x srv "$PY" "$LABTOOL" wait-port 53 --proto udp --timeout 10
x srv "$PY" "$LABTOOL" wait-port 9999 --proto udp --timeout 10

# the event monitors in gw
bg gw "$TMP/out/conntrack-E.txt" conntrack -E
bg gw "$TMP/out/conntrack-E-timestamp-id.txt" conntrack -E -o timestamp,id,labels
bg gw "$TMP/out/conntrack-E-extended-userspace.txt" conntrack -E -o extended,userspace
settle 1.5

log "traffic"
x cl "$PY" "$LABTOOL" connect 10.77.241.1 8080 >>"$TMP/results"          # DNAT, mark 42
x cl "$PY" "$LABTOOL" connect 10.77.242.10 80 >>"$TMP/results"           # no NAT, mark 42
x cl "$PY" "$LABTOOL" connect 10.77.242.10 21 >>"$TMP/results"           # ftp helper, label
x cl "$PY" "$LABTOOL" connect fd00:77:f1::1 8080 >>"$TMP/results"        # IPv6 DNAT
x cl "$PY" "$LABTOOL" udp 10.77.241.1 5353 >>"$TMP/results"              # DNAT + masquerade
x cl "$PY" "$LABTOOL" udp 10.77.242.10 9999 >>"$TMP/results"             # zone 7 (+ masquerade)
x cl "$PY" "$LABTOOL" udp 10.77.242.10 7 --timeout 1 >>"$TMP/results"    # port unreachable
x cl "$PY" "$LABTOOL" udp fd00:77:f2::10 53 >>"$TMP/results"             # IPv6 UDP, no NAT
x cl "$PY" "$LABTOOL" ping 10.77.242.10 --id 4242 >>"$TMP/results"       # masquerade
x cl "$PY" "$LABTOOL" ping 10.77.241.1 --id 4343 >>"$TMP/results"        # to the gateway itself
x cl "$PY" "$LABTOOL" ping fd00:77:f2::10 --id 4444 >>"$TMP/results"     # ICMPv6 masquerade
x cl "$PY" -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE)
s.settimeout(2)
s.connect(("10.77.242.10", 5000))
s.send(b"lite")
try:
    s.recv(100); print("replied udplite")
except OSError as e:
    print("no-reply udplite", e)
' >>"$TMP/results"
# crafted: SCTP INIT, DCCP Request, GRE (version 0: conntrack keeps no
# keys for it, srckey=0x0) and IP protocol 253
x cl "$PY" -c '
import logging, struct
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import IP, GRE, SCTP, SCTPChunkInit, UDP, Raw, send, conf
conf.verb = 0
dst = "10.77.242.10"
send(IP(dst=dst)/SCTP(sport=40001, dport=3868, tag=0)/SCTPChunkInit(init_tag=0x1234567, a_rwnd=65535, n_out_streams=1, n_in_streams=1, init_tsn=1))
# DCCP-Request: ports, data offset 5 (20 bytes), ccval/cscov, checksum 0,
# type 0 (Request) with X=1, a 48-bit sequence number, a service code
dccp = struct.pack("!HHBBHBBH", 40002, 5001, 5, 0, 0, (0 << 1) | 1, 0, 0) + b"\x00\x00\x01\x00" + b"\x00\x00\x00\x2a"
send(IP(dst=dst, proto=33)/Raw(dccp))
send(IP(dst=dst)/GRE(key_present=1, key=0x2a)/IP(src="10.77.241.2", dst=dst)/UDP(sport=1, dport=2))
send(IP(dst=dst, proto=253)/Raw(b"natlog"))
print("crafted sent")
' >>"$TMP/results"
settle 1

log "dumps"
lx gw conntrack -L >"$TMP/out/conntrack-L.txt" 2>&1
{
	lx gw conntrack -L -o extended,id,labels -f ipv4 2>/dev/null
	lx gw conntrack -L -o extended,id,labels -f ipv6 2>/dev/null
} >"$TMP/out/conntrack-L-extended-id.txt"
lx gw conntrack -L -o ktimestamp >"$TMP/out/conntrack-L-ktimestamp.txt" 2>/dev/null
x gw cat /proc/net/nf_conntrack >"$TMP/out/proc-nf_conntrack.txt"

log "userspace changes (conntrack -D, -F)"
lx gw conntrack -D -p udp --orig-port-dst 7 >>"$TMP/results" 2>&1 || true
settle 0.5
lx gw conntrack -F >/dev/null 2>&1 || true
settle 1.5

for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
settle 1
cat "$TMP/results" >&2
for f in conntrack-E.txt conntrack-E-timestamp-id.txt conntrack-E-extended-userspace.txt \
	conntrack-L.txt conntrack-L-extended-id.txt conntrack-L-ktimestamp.txt proc-nf_conntrack.txt; do
	[ -s "$TMP/out/$f" ] || die "$f is empty: $(cat "$TMP"/*.err 2>/dev/null | head -5)"
done
grep -q 'dport=8080' "$TMP/out/conntrack-L.txt" || die "no DNAT entry in conntrack -L"
grep -q 'DESTROY' "$TMP/out/conntrack-E.txt" || die "no DESTROY events"
mkdir -p "$OUT"
cp "$TMP"/out/* "$OUT"/
{
	echo "# recorded by tests/lab/record-conntrack.sh"
	echo "# kernel $(uname -r), $(conntrack --version 2>&1 | head -1), $(nft --version)"
} >"$OUT/versions.txt"
log "recorded into $OUT"
