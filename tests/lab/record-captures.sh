#!/bin/bash
# record-captures.sh OUTDIR - records, for real, the capture link types the
# lab scenarios do not produce, in two network namespaces joined by a veth
# pair: tcpdump -i any (LINUX_SLL and LINUX_SLL2), NFLOG (iptables -j NFLOG,
# read as NFLOG and as raw IPv4), 802.1Q and QinQ tagged Ethernet (pcap, and
# pcapng with two interfaces from dumpcap), IPv4 and IPv6 fragments (ping
# -s 3000) and DLT_RAW (tcpdump on a tun device). A small python relay joins
# the namespaces' tun devices, and pushes the VLAN tags (this kernel has no
# 8021q module). natlog's testdata/pcap/ was made with
#   sudo bash tests/lab/record-captures.sh testdata/pcap
# Namespaces are nlab-<pid>-a and nlab-<pid>-b; addresses 10.77.241-244.x,
# fd00:77:f1::/64 and fd00:77:f4::/64, outside the lab scenarios' slots
# (10.77.1-239.x). Only settings inside the namespaces are changed; the trap
# stops what this run started (by pid) and deletes its namespaces. Every
# wait is bounded. NATLOG_LAB_KEEP=1 keeps the temporary files.
set -euo pipefail

OUT=${1:-}
[ -n "$OUT" ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "record-captures: must run as root" >&2; exit 1; }
for t in ip tcpdump iptables-legacy ip6tables-legacy busybox timeout; do
	command -v "$t" >/dev/null 2>&1 || { echo "record-captures: $t is not installed" >&2; exit 1; }
done
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOOL=$HERE/labtool.py
RUN=nlab-$$
A=$RUN-a
B=$RUN-b
TMP=$(mktemp -d "${TMPDIR:-/tmp}/natlog-captures.XXXXXX")
NS=()
LIFETIME=120			# no background process outlives this (s)

log() { printf '[captures] %s\n' "$*" >&2; }

# Only this shell's running background jobs are signalled (`jobs -pr`): the
# pid of one that has ended may belong to someone else by now.
cleanup() {
	local p
	set +e
	for p in $(jobs -pr); do
		kill -TERM "$p" 2>/dev/null
		for _ in $(seq 1 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for p in "${NS[@]}"; do ip netns del "$p" 2>/dev/null; done
	if [ "${NATLOG_LAB_KEEP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM HUP

x() { # x NS CMD... : run in a namespace, bounded
	local n=$1
	shift
	timeout -k 2 30 ip netns exec "$n" "$@"
}

bg() { # bg NAME NS CMD... : background process in NS, stderr in TMP/NAME.err
	local name=$1 n=$2
	shift 2
	timeout -k 2 "$LIFETIME" ip netns exec "$n" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" </dev/null &
	eval "PID_$name=\$!"
}

wait_for() { # wait_for FILE PATTERN : up to 5 s
	for _ in $(seq 1 50); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	log "timed out waiting for '$2' in $1: $(cat "$1" 2>/dev/null)"
	return 1
}

stop() { # stop NAME : SIGINT (tcpdump/dumpcap write their last packets), bounded
	local pid
	pid=$(eval "echo \${PID_$1:-}")
	[ -n "$pid" ] || return 0
	eval "PID_$1="
	kill -INT "$pid" 2>/dev/null || true
	for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
	wait "$pid" 2>/dev/null || true
}

# capture NAME NS FILE TCPDUMP-ARGS... : tcpdump -w TMP/out/FILE. Without
# --immediate-mode, TPACKET_V3 hands packets over in blocks up to a second
# late and a capture stopped early is empty; "listening on" is printed a
# little before NFLOG messages arrive, hence the pause.
capture() {
	local name=$1 n=$2 file=$3
	shift 3
	bg "$name" "$n" tcpdump -n -U --immediate-mode -Z root "$@" -w "$TMP/out/$file"
	wait_for "$TMP/$name.err" "listening on"
	sleep 1
}

settle() { sleep 1; }

mkdir -p "$TMP/out"

# ------------------------------------------------------------ the network
for n in "$A" "$B"; do
	ip netns add "$n"
	NS+=("$n")
	ip -n "$n" link set lo up
	x "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0
done
ip -n "$A" link add a0 type veth peer name b0 netns "$B"
ip -n "$A" link set a0 up
ip -n "$B" link set b0 up
ip -n "$A" addr add 10.77.241.1/24 dev a0
ip -n "$B" addr add 10.77.241.2/24 dev b0
ip -n "$A" addr add fd00:77:f1::1/64 dev a0 nodad
ip -n "$B" addr add fd00:77:f1::2/64 dev b0 nodad
# The relay joins devices of the two namespaces in user space (one
# process: it opens A's devices, then setns() into B and opens B's).
cat >"$TMP/relay.py" <<'EOF'
# relay.py tun|vlan OTHER-NETNS READYFILE SECONDS
#   tun:  tun t0 here <-> tun t0 in OTHER-NETNS, packets copied as they are
#   vlan: taps v100 and vqq here and there; their frames cross the veth
#         pair x0 (here) / x1 (there) with VLAN tags pushed and popped
import ctypes, fcntl, os, select, socket, struct, sys, time
TUNSETIFF, IFF_TUN, IFF_TAP, IFF_NO_PI = 0x400454CA, 0x0001, 0x0002, 0x1000
CLONE_NEWNET, SOL_PACKET, PACKET_AUXDATA, TP_STATUS_VLAN_VALID = 0x40000000, 263, 8, 0x10
TAGS = {"v100": [(0x8100, 100)], "vqq": [(0x88A8, 200), (0x8100, 300)]}
mode, other, ready, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])


def tun(name, flags):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), flags | IFF_NO_PI))
    return fd


def packet(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((ifname, 0))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    return s


def side(veth):
    if mode == "tun":
        return {"t0": tun("t0", IFF_TUN)}, None
    return {n: tun(n, IFF_TAP) for n in TAGS}, packet(veth)


def push(frame, tags):
    return frame[:12] + b"".join(struct.pack("!HH", t, v) for t, v in tags) + frame[12:]


def pop(data, anc):
    """The VLAN ids, outer first (the kernel moved the outer tag to auxdata)."""
    vids = []
    for level, kind, val in anc:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(val) >= 20:
            status, _, _, _, _, tci, _ = struct.unpack("IIIHHHH", val[:20])
            if status & TP_STATUS_VLAN_VALID:
                vids.append(tci & 0xFFF)
    while len(data) >= 18 and struct.unpack("!H", data[12:14])[0] in (0x8100, 0x88A8):
        vids.append(struct.unpack("!H", data[14:16])[0] & 0xFFF)
        data = data[:12] + data[16:]
    return vids, data


here = side("x0")
ns = os.open("/run/netns/" + other, os.O_RDONLY)
if ctypes.CDLL(None, use_errno=True).setns(ns, CLONE_NEWNET) != 0:
    raise OSError(ctypes.get_errno(), "setns")
there = side("x1")
with open(ready, "w") as f:
    f.write("ready\n")
peer = {id(here): there, id(there): here}
owner = {}
for s in (here, there):
    for name, fd in s[0].items():
        owner[fd] = (s, name)
    if s[1]:
        owner[s[1].fileno()] = (s, None)
end = time.time() + seconds
while time.time() < end:
    r, _, _ = select.select(list(owner), [], [], 0.5)
    for fd in r:
        s, name = owner[fd]
        dst = peer[id(s)]
        if mode == "tun":
            os.write(dst[0]["t0"], os.read(fd, 65535))
        elif name:
            s[1].send(push(os.read(fd, 65535), TAGS[name]))
        else:
            data, anc, _, addr = s[1].recvmsg(65535, 256)
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            vids, frame = pop(data, anc)
            to = {100: "v100", 200: "vqq"}.get(vids[0] if vids else -1)
            if to:
                os.write(s[0][to], frame)
EOF

# Servers in B: TCP 8080 and UDP 5353, both families (bound to ::).
bg srv_tcp "$B" "$PY" "$TOOL" serve-tcp --port 8080 --family 6 --lifetime "$LIFETIME"
bg srv_udp "$B" "$PY" "$TOOL" serve-udp --port 5353 --family 6 --lifetime "$LIFETIME"
x "$B" "$PY" "$TOOL" wait-port 8080 --proto tcp --timeout 5
x "$B" "$PY" "$TOOL" wait-port 5353 --proto udp --timeout 5

client() { x "$A" "$PY" "$TOOL" "$@" >>"$TMP/clients.txt"; }

# --------------------------------------------- tcpdump -i any: SLL, SLL2
log "tcpdump -i any (LINUX_SLL, LINUX_SLL2)"
capture sll "$A" sll.pcap -i any -y LINUX_SLL
capture sll2 "$A" sll2.pcap -i any -y LINUX_SLL2
client connect 10.77.241.2 8080
client udp 10.77.241.2 5353
client ping 10.77.241.2 --id 4660 --seq 1
client connect 10.77.241.2 9			# closed: RST
client connect fd00:77:f1::2 8080
settle
stop sll
stop sll2

# ------------------------------------------------------------------ NFLOG
log "NFLOG (iptables-legacy -j NFLOG)"
x "$B" iptables-legacy -t mangle -A PREROUTING -i b0 -s 10.77.241.1 -j MARK --set-mark 0x42
x "$B" iptables-legacy -t mangle -A PREROUTING -i b0 -s 10.77.241.1 \
	-j NFLOG --nflog-group 5 --nflog-prefix "nat-in: "
x "$B" ip6tables-legacy -t mangle -A PREROUTING -i b0 -s fd00:77:f1::1 \
	-j NFLOG --nflog-group 5 --nflog-prefix "nat-in6: "
x "$B" iptables-legacy -t filter -A OUTPUT -o b0 -d 10.77.241.1 \
	-j NFLOG --nflog-group 6 --nflog-prefix "out: "
capture nflog "$B" nflog.pcap -i nflog:5
capture nflog4 "$B" nflog-ipv4.pcap -i nflog:6 -y IPV4
client connect 10.77.241.2 8080
client udp 10.77.241.2 5353
client ping 10.77.241.2 --id 4661 --seq 7
client connect fd00:77:f1::2 8080
client ping fd00:77:f1::2 --id 4662 --seq 3
settle
stop nflog
stop nflog4
for c in "iptables-legacy -t mangle" "iptables-legacy -t filter" "ip6tables-legacy -t mangle"; do
	# shellcheck disable=SC2086
	x "$B" $c -F
done

# ------------------------------------------------------- VLAN and QinQ
# This kernel has no 8021q, no bridge VLAN filtering and no act_vlan, so
# the tags are pushed and popped by the relay: the hosts' traffic leaves
# tap devices (v100: 802.1Q id 100; vqq: 802.1ad id 200 around 802.1Q id
# 300), the relay sends it tagged over the veth pair x0/x1 through an
# AF_PACKET socket, and the receiving kernel strips the outer tag into the
# packet's metadata, from which libpcap puts it back.
log "802.1Q and QinQ over a veth pair (tags pushed by the relay)"
ip -n "$A" link add x0 type veth peer name x1 netns "$B"
x "$A" sysctl -qw net.ipv6.conf.x0.disable_ipv6=1
x "$B" sysctl -qw net.ipv6.conf.x1.disable_ipv6=1
ip -n "$A" link set x0 up
ip -n "$B" link set x1 up
bg vrelay "$A" "$PY" "$TMP/relay.py" vlan "$B" "$TMP/vrelay.ready" "$LIFETIME"
wait_for "$TMP/vrelay.ready" ready
for side in a:1 b:2; do
	n=$RUN-${side%%:*} h=${side##*:}
	for l in v100 vqq; do
		x "$n" sysctl -qw "net.ipv6.conf.$l.disable_ipv6=1"
		ip -n "$n" link set "$l" mtu 1400 up
	done
	ip -n "$n" addr add "10.77.242.$h/24" dev v100
	ip -n "$n" addr add "10.77.243.$h/24" dev vqq
done
capture vlan "$A" vlan.pcap -i x0
if command -v dumpcap >/dev/null 2>&1; then
	bg vlanng "$A" dumpcap -q -i x0 -i v100 -w "$TMP/out/vlan.pcapng"
	wait_for "$TMP/vlanng.err" "Capturing on"
else
	log "note: dumpcap is not installed (wireshark-common): no vlan.pcapng"
fi
client connect 10.77.242.2 8080
client ping 10.77.243.2 --id 4663 --seq 1
client udp 10.77.243.2 5353
settle
stop vlan
stop vlanng
stop vrelay

# ---------------------------------------------- IPv4 and IPv6 fragments
log "fragments (ping -s 3000), nanosecond pcap"
capture frag "$B" frag.pcap -i b0 --time-stamp-precision=nano
x "$A" busybox ping -c 1 -W 2 -s 3000 10.77.241.2 >>"$TMP/clients.txt"
x "$A" busybox ping -6 -c 1 -W 2 -s 3000 fd00:77:f1::2 >>"$TMP/clients.txt"
settle
stop frag

# ------------------------------------------------------ DLT_RAW via tun
log "DLT_RAW: tun devices joined by the relay"
bg relay "$A" "$PY" "$TMP/relay.py" tun "$B" "$TMP/relay.ready" "$LIFETIME"
wait_for "$TMP/relay.ready" ready
for side in a:1 b:2; do
	n=$RUN-${side%%:*} h=${side##*:}
	ip -n "$n" link set t0 up
	ip -n "$n" addr add "10.77.244.$h/24" dev t0
	ip -n "$n" addr add "fd00:77:f4::$h/64" dev t0 nodad
done
capture raw "$A" raw.pcap -i t0
client connect 10.77.244.2 8080
client udp 10.77.244.2 5353
client ping 10.77.244.2 --id 4664 --seq 1
client connect fd00:77:f4::2 8080
settle
stop raw
stop relay

# ------------------------------------------------------------------ done
log "clients: $(tr '\n\t' '; ' <"$TMP/clients.txt" | head -c 600)"
mkdir -p "$OUT"
for f in "$TMP"/out/*; do
	size=$(stat -c %s "$f")
	log "$(basename "$f"): $size bytes, $(tcpdump -nn -r "$f" 2>/dev/null | wc -l) packets"
	[ "$size" -lt 51200 ] || log "warning: $(basename "$f") is larger than 50 KB"
	cp "$f" "$OUT/"
done
