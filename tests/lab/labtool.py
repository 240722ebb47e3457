#!/usr/bin/env python3
"""labtool.py: traffic helpers for the natlog real-kernel lab (tests/lab).

Run inside a network namespace by the scenario scripts (ip netns exec ...).
Servers run until killed; every client operation has a timeout and prints
one result line per attempt, tab-separated, so the bash side can check it.
Only addresses given on the command line are used; the scripts pass the
lab's own 10.77.0.0/16 and fd00:77::/32 addresses.

Needs python3 (any); the scapy commands need python3-scapy.
"""

import argparse
import errno
import os
import random
import select
import socket
import struct
import sys
import threading
import time

RESPONSE = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n"


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def out(*fields):
    print("\t".join(str(f) for f in fields), flush=True)


# ---------------------------------------------------------------- servers

def serve_tcp(args):
    """Tiny HTTP-like server on one or more ports; one reply per connection."""
    socks = []
    for port in args.port:
        fam = socket.AF_INET6 if args.family == 6 else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", port))
        s.listen(128)
        socks.append(s)

    def sink(conn):
        # keep the connection open and read (the kernel ACKs) until EOF/timeout
        try:
            conn.settimeout(20)
            while conn.recv(4096):
                pass
        except OSError:
            pass
        finally:
            conn.close()

    def handle(conn):
        if args.sink:
            return sink(conn)
        try:
            conn.settimeout(3)
            try:
                conn.recv(2048)
            except (socket.timeout, OSError):
                pass
            conn.sendall(RESPONSE)
        except OSError:
            pass
        finally:
            conn.close()

    deadline = time.time() + args.lifetime
    while time.time() < deadline:
        ready, _, _ = select.select(socks, [], [], 0.5)
        for s in ready:
            try:
                conn, _ = s.accept()
            except OSError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()


def serve_udp(args):
    """UDP echo server: replies 'pong:' + payload."""
    socks = []
    for port in args.port:
        fam = socket.AF_INET6 if args.family == 6 else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", port))
        socks.append(s)
    deadline = time.time() + args.lifetime
    while time.time() < deadline:
        ready, _, _ = select.select(socks, [], [], 0.5)
        for s in ready:
            try:
                data, peer = s.recvfrom(2048)
                s.sendto(b"pong:" + data, peer)
            except OSError:
                pass


# ---------------------------------------------------------------- clients

def tcp_attempt(host, port, timeout, sport=0):
    """One TCP connection attempt. Returns (result, sport)."""
    s = socket.socket(family_of(host), socket.SOCK_STREAM)
    s.settimeout(timeout)
    if sport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("", sport))
    try:
        s.connect((host, port))
    except socket.timeout:
        sp = s.getsockname()[1]
        s.close()
        return "timeout", sp
    except ConnectionRefusedError:
        sp = s.getsockname()[1]
        s.close()
        return "refused", sp
    except OSError as e:
        sp = s.getsockname()[1]
        s.close()
        if e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
            return "unreachable", sp
        return "error", sp
    sp = s.getsockname()[1]
    try:
        s.sendall(b"GET / HTTP/1.0\r\nHost: lab\r\n\r\n")
        end = time.time() + 3
        while time.time() < end:
            if not s.recv(4096):
                break
    except OSError:
        pass
    s.close()
    return "connected", sp


def connect(args):
    result, sp = tcp_attempt(args.host, args.port, args.timeout, args.sport)
    out(result, sp)


def burst(args):
    """Many concurrent TCP attempts: --conn PORT:COUNT (repeatable).
    Launches are interleaved across the specs and staggered a little."""
    queue = []
    specs = []
    for spec in args.conn:
        port, count = spec.split(":")
        specs.append([int(port), int(count)])
    while any(c > 0 for _, c in specs):
        for spec in specs:
            if spec[1] > 0:
                queue.append(spec[0])
                spec[1] -= 1
    results = [None] * len(queue)

    def run(i, port):
        results[i] = (port,) + tcp_attempt(args.host, port, args.timeout)

    threads = []
    for i, port in enumerate(queue):
        t = threading.Thread(target=run, args=(i, port), daemon=True)
        t.start()
        threads.append(t)
        time.sleep(args.stagger)
    for t in threads:
        t.join(args.timeout + 6)
    for r in results:
        if r is None:
            out("?", "?", "error")
        else:
            port, result, sp = r
            out(sp, port, result)


def udp(args):
    fam = family_of(args.host)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if args.sport:
        s.bind(("", args.sport))
    s.settimeout(args.timeout)
    s.connect((args.host, args.port))
    sp = s.getsockname()[1]
    s.send(args.payload.encode())
    try:
        s.recv(2048)
        result = "replied"
    except socket.timeout:
        result = "no-reply"
    except ConnectionRefusedError:
        result = "refused"
    except OSError as e:
        result = "unreachable" if e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH) else "error"
    s.close()
    out(result, sp)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return (~total) & 0xFFFF


def ping(args):
    """ICMP / ICMPv6 echo through a raw socket with a chosen identifier."""
    v6 = family_of(args.host) == socket.AF_INET6
    if v6:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        etype, rtype = 128, 129
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        etype, rtype = 8, 0
    ident = args.id if args.id else (os.getpid() & 0xFFFF)
    payload = b"natlog-lab-ping!" * 3
    hdr = struct.pack("!BBHHH", etype, 0, 0, ident, args.seq)
    csum = 0 if v6 else checksum(hdr + payload)   # the kernel fills ICMPv6 checksums
    pkt = struct.pack("!BBHHH", etype, 0, csum, ident, args.seq) + payload
    s.sendto(pkt, (args.host, 0))
    end = time.time() + args.timeout
    result = "no-reply"
    while time.time() < end:
        r, _, _ = select.select([s], [], [], max(0.0, end - time.time()))
        if not r:
            break
        data, peer = s.recvfrom(4096)
        icmp = data if v6 else data[(data[0] & 0x0F) * 4:]
        if len(icmp) < 8:
            continue
        typ, _, _, rid, _ = struct.unpack("!BBHHH", icmp[:8])
        if typ == rtype and rid == ident:
            result = "replied"
            break
        if (not v6 and typ in (3, 11)) or (v6 and typ in (1, 3)):
            result = "unreachable"
            break
    s.close()
    out(result, ident)


# ---------------------------------------------------------------- scapy

def scapy_setup():
    import logging
    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
    import scapy.all as sc
    sc.conf.verb = 0
    # Send through the kernel's IP stack (raw socket): real routing and ARP.
    sc.conf.L3socket = sc.L3RawSocket
    return sc


def sniff_reply(sc, iface, send_fn, match, timeout):
    """Start a sniffer on iface, call send_fn, return the first packet matching."""
    sn = sc.AsyncSniffer(iface=iface, lfilter=match, count=1, timeout=timeout, store=True)
    sn.start()
    time.sleep(0.2)
    send_fn()
    sn.join(timeout + 1)
    res = sn.results if sn.results is not None else []
    return res[0] if len(res) else None


def udp_id0(args):
    """UDP datagrams with IP ID 0 and DF, crafted with scapy; replies are
    read on ordinary sockets bound to the same source ports."""
    sc = scapy_setup()
    sports = [int(p) for p in args.sports.split(",")]
    socks = {}
    for sp in sports:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("", sp))
        s.setblocking(False)
        socks[sp] = s
    for sp in sports:
        pkt = sc.IP(dst=args.host, id=0, flags="DF", ttl=64) / sc.UDP(sport=sp, dport=args.port) / sc.Raw(b"id0-%d" % sp)
        sc.send(pkt)
        time.sleep(args.gap)
    end = time.time() + args.timeout
    got = set()
    while time.time() < end and len(got) < len(sports):
        r, _, _ = select.select(list(socks.values()), [], [], 0.2)
        for s in r:
            try:
                s.recv(2048)
                got.add(s.getsockname()[1])
            except OSError:
                pass
    for sp in sports:
        out(sp, args.port, "replied" if sp in got else "no-reply")
        socks[sp].close()


def ct_invalid(args):
    """Crafted packets that conntrack calls invalid (and a few it accepts).
    Prints: name, proto, sport, dport, result."""
    sc = scapy_setup()
    dst, dport = args.host, args.port
    sp0 = args.sport_base

    def from_server(sport):
        def m(p):
            return (p.haslayer(sc.IP) and p[sc.IP].src == dst and p.haslayer(sc.TCP)
                    and p[sc.TCP].sport == dport and p[sc.TCP].dport == sport)
        return m

    # every crafted packet gets its own IP ID (printed as the last column),
    # so each one can be told apart in the logs
    ipid = [args.ip_id_base]

    def one(name, pkt, sport, proto="tcp", dp=None, match=None):
        m = match or from_server(sport)
        pkt[sc.IP].id = ipid[0]
        rep = sniff_reply(sc, args.iface, lambda: sc.send(pkt), m, args.timeout)
        out(name, proto, sport, dp if dp is not None else dport, "replied" if rep is not None else "no-reply",
            ipid[0])
        ipid[0] += 1
        return rep

    ip = sc.IP(dst=dst, flags="DF")
    # 1. SYN+RST and SYN+FIN on fresh tuples.
    one("syn-rst", ip / sc.TCP(sport=sp0 + 1, dport=dport, flags="SR", seq=1000), sp0 + 1)
    one("syn-fin", ip / sc.TCP(sport=sp0 + 2, dport=dport, flags="SF", seq=2000), sp0 + 2)

    # 2. A handshake of our own (the client's kernel RSTs are dropped by the
    #    scenario), then data in and out of the window.
    sport = sp0 + 3
    isn = random.randint(1 << 20, 1 << 30)
    synack = one("handshake", ip / sc.TCP(sport=sport, dport=dport, flags="S", seq=isn, window=64240,
                                          options=[("MSS", 1460)]), sport)
    if synack is None:
        out("handshake-failed", "tcp", sport, dport, "error", "-")
        return
    srv_next = synack[sc.TCP].seq + 1
    nxt = isn + 1
    one("handshake-ack", ip / sc.TCP(sport=sport, dport=dport, flags="A", seq=nxt, ack=srv_next, window=64240),
        sport)
    data = b"GET / HTTP/1.0\r\n"
    one("in-window-data", ip / sc.TCP(sport=sport, dport=dport, flags="PA", seq=nxt, ack=srv_next,
                                             window=64240) / sc.Raw(data), sport)
    nxt += len(data)
    # ACK for data the server never sent.
    one("ack-over-window", ip / sc.TCP(sport=sport, dport=dport, flags="A", seq=nxt,
                                       ack=(srv_next + 5000000) & 0xFFFFFFFF, window=64240), sport)
    # Data far beyond the receiver's window.
    one("seq-over-window", ip / sc.TCP(sport=sport, dport=dport, flags="PA",
                                       seq=(nxt + 3000000) & 0xFFFFFFFF, ack=srv_next, window=64240)
        / sc.Raw(b"X" * 10), sport)
    # Old data from more than a window ago (retransmission of acked data).
    one("seq-under-window", ip / sc.TCP(sport=sport, dport=dport, flags="PA",
                                        seq=(nxt - 400000) & 0xFFFFFFFF, ack=srv_next, window=64240)
        / sc.Raw(b"Y" * 10), sport)
    # RST far outside the window.
    one("rst-out-of-window", ip / sc.TCP(sport=sport, dport=dport, flags="R",
                                         seq=(nxt + 9000000) & 0xFFFFFFFF), sport)
    # 3. Bad checksums (need rx checksum offload off on the receiving veth).
    one("tcp-bad-checksum", ip / sc.TCP(sport=sp0 + 4, dport=dport, flags="S", seq=4000, chksum=0x1234), sp0 + 4)

    def udp_from(sport, port):
        def m(p):
            return (p.haslayer(sc.IP) and p[sc.IP].src == dst and p.haslayer(sc.UDP)
                    and p[sc.UDP].sport == port and p[sc.UDP].dport == sport)
        return m

    one("udp-bad-checksum", ip / sc.UDP(sport=sp0 + 5, dport=args.udp_port, chksum=0x4321) / sc.Raw(b"bad"),
        sp0 + 5, "udp", args.udp_port, udp_from(sp0 + 5, args.udp_port))
    one("udp-good", ip / sc.UDP(sport=sp0 + 6, dport=args.udp_port) / sc.Raw(b"good"),
        sp0 + 6, "udp", args.udp_port, udp_from(sp0 + 6, args.udp_port))

    def icmp_from(ident):
        def m(p):
            return (p.haslayer(sc.IP) and p[sc.IP].src == dst and p.haslayer(sc.ICMP)
                    and p[sc.ICMP].id == ident)
        return m

    one("icmp-bad-checksum", ip / sc.ICMP(type=8, id=sp0 + 7, seq=1, chksum=0x1111) / sc.Raw(b"x" * 16),
        sp0 + 7, "icmp", "-", icmp_from(sp0 + 7))
    one("icmp-unsolicited-reply", ip / sc.ICMP(type=0, id=sp0 + 8, seq=1) / sc.Raw(b"x" * 16),
        sp0 + 8, "icmp", "-", icmp_from(sp0 + 8))


def wait_port(args):
    """Wait until something listens on PORT (tcp or udp) in this netns."""
    files = {"tcp": ["/proc/net/tcp", "/proc/net/tcp6"], "udp": ["/proc/net/udp", "/proc/net/udp6"]}[args.proto]
    want = ":%04X" % args.port
    end = time.time() + args.timeout
    while time.time() < end:
        for f in files:
            try:
                with open(f) as fh:
                    next(fh)
                    for line in fh:
                        cols = line.split()
                        if cols[1].endswith(want) and (args.proto == "udp" or cols[3] == "0A"):
                            return 0
            except OSError:
                pass
        time.sleep(0.1)
    print("port %d/%s not listening" % (args.port, args.proto), file=sys.stderr)
    return 1


def main():
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)

    a = sub.add_parser("serve-tcp")
    a.add_argument("--port", type=int, action="append", required=True)
    a.add_argument("--family", type=int, default=4)
    a.add_argument("--lifetime", type=float, default=600)
    a.add_argument("--sink", action="store_true", help="read only, never reply or close first")
    a.set_defaults(fn=serve_tcp)

    a = sub.add_parser("serve-udp")
    a.add_argument("--port", type=int, action="append", required=True)
    a.add_argument("--family", type=int, default=4)
    a.add_argument("--lifetime", type=float, default=600)
    a.set_defaults(fn=serve_udp)

    a = sub.add_parser("connect")
    a.add_argument("host")
    a.add_argument("port", type=int)
    a.add_argument("--timeout", type=float, default=2.5)
    a.add_argument("--sport", type=int, default=0)
    a.set_defaults(fn=connect)

    a = sub.add_parser("burst")
    a.add_argument("host")
    a.add_argument("--conn", action="append", required=True, help="PORT:COUNT")
    a.add_argument("--timeout", type=float, default=2.5)
    a.add_argument("--stagger", type=float, default=0.02)
    a.set_defaults(fn=burst)

    a = sub.add_parser("udp")
    a.add_argument("host")
    a.add_argument("port", type=int)
    a.add_argument("--timeout", type=float, default=2)
    a.add_argument("--sport", type=int, default=0)
    a.add_argument("--payload", default="ping")
    a.set_defaults(fn=udp)

    a = sub.add_parser("ping")
    a.add_argument("host")
    a.add_argument("--id", type=int, default=0)
    a.add_argument("--seq", type=int, default=1)
    a.add_argument("--timeout", type=float, default=2)
    a.set_defaults(fn=ping)

    a = sub.add_parser("udp-id0")
    a.add_argument("host")
    a.add_argument("port", type=int)
    a.add_argument("--sports", required=True)
    a.add_argument("--gap", type=float, default=0.05)
    a.add_argument("--timeout", type=float, default=2)
    a.set_defaults(fn=udp_id0)

    a = sub.add_parser("ct-invalid")
    a.add_argument("host")
    a.add_argument("port", type=int)
    a.add_argument("--udp-port", type=int, default=53)
    a.add_argument("--sport-base", type=int, default=41000)
    a.add_argument("--iface", default="eth0")
    a.add_argument("--ip-id-base", type=int, default=30001)
    a.add_argument("--timeout", type=float, default=1.0)
    a.set_defaults(fn=ct_invalid)

    a = sub.add_parser("wait-port")
    a.add_argument("port", type=int)
    a.add_argument("--proto", default="tcp", choices=["tcp", "udp"])
    a.add_argument("--timeout", type=float, default=5)
    a.set_defaults(fn=wait_port)

    args = p.parse_args()
    rc = args.fn(args)
    sys.exit(rc or 0)


if __name__ == "__main__":
    main()
