#!/usr/bin/env python3
"""gen.py - deterministic generators of large, realistic natlog inputs.

    gen.py --kind syslog --size-mb 200 --seed 1 -o DIR/messages
    gen.py --kind nft    --size-mb 50  --seed 1 -o DIR/nft-monitor-trace.txt
    gen.py --kind pcap   --packets 1000000 --seed 1 -o DIR/capture.pcap
    gen.py --kind ruleset --services 40000 --seed 1 -o DIR/iptables-save.txt
    gen.py --kind fwlog  --size-mb 50  --seed 1 -o DIR/ufw.log

Python 3 standard library only. The output is a pure function of the
arguments (one random.Random(seed) drives everything, no clock, no hash
randomisation), and it is streamed: memory stays flat whatever the size.

The line shapes are the ones the real-kernel lab recorded in testdata/lab/:

syslog  busybox syslogd's envelope ("Nov 21 15:25:58 HOST kern.warn kernel:
        [ 1569.499602] ...") around legacy TRACE lines of DNAT'd
        connections through a Docker-style ruleset (docker-legacy,
        interleaved): accepted SYN paths through nat DOCKER DNAT and the
        filter DOCKER chains, ESTABLISHED ACK paths, SYNs dropped by the
        FORWARD policy and retransmitted (IP ID incremented, or 0), UDP
        DNAT, ICMP to the host, conntrack invalid lines (ct-invalid:
        "nf_ct_proto_6: ..."), packets of many connections and several
        hosts interleaved (sometimes line by line, as two CPUs print), and
        ordinary syslog noise (sshd, systemd, kubelet, containerd, non-
        netfilter kernel lines) so that about --nf-ratio of the lines are
        netfilter's. The matching iptables-save dump (no host: the same
        rules on every node) is written next to the output as
        iptables-save.txt.
nft     `nft monitor trace` lines in the shapes of nft-set-drop (trace_pre
        nftrace rule, nat prerouting dnat, filter forward jump to a chain
        with a set lookup, drop, nat postrouting policy), trace ids drawn
        from a small pool so they are reused, as the kernel reuses them.
        The matching `nft -a list ruleset` is written next to it as
        nft-ruleset.txt.
pcap    a classic little-endian pcap (LINKTYPE_ETHERNET, microseconds) of
        --packets IPv4 packets: TCP connections (handshake, data both ways,
        FIN) and UDP query/response pairs, with correct IP, TCP and UDP
        checksums.
fwlog   a firewall host's /var/log/ufw.log: every line a LOG line as UFW
        writes it (rsyslog's envelope, "Mar  1 00:00:00 web-01 kernel:
        [  435.398504] [UFW BLOCK] IN=eth0 OUT= MAC=... SRC=..."): scans
        and probes of many sources to closed ports (TCP SYN, UDP) blocked,
        and some allowed connections logged, each line its own packet. The
        matching iptables-save (UFW's chains, the LOG rules of the two
        prefixes) is written next to it as iptables-save.txt.
ruleset kube-proxy's shape of --services services, each a cluster IP rule in
        KUBE-SERVICES, a KUBE-SVC chain jumping to a KUBE-SEP chain, and
        the SEP's masquerade mark and DNAT: 4 rules a service, written as
        iptables-save (the output), and the same rules as `nft -a list
        ruleset` (nft-ruleset.txt) and `nft -j list ruleset`
        (nft-ruleset.json, one line, as nft writes it) next to it; the nft
        forms add a set holding every cluster IP. natlog reads the text and
        the JSON into the same rules.
"""

import argparse
import hashlib
import heapq
import json
import os
import random
import struct
import sys
import time

START_EPOCH = 1772323200  # 2026-03-01 00:00:00 UTC: the generated logs' first second
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Out:
    """Buffered text output that counts bytes (all generated text is ASCII)."""

    def __init__(self, path, limit):
        self.f = open(path, "w", encoding="ascii", newline="\n", buffering=1 << 20)
        self.buf = []
        self.pending = 0
        self.written = 0
        self.limit = limit
        self.lines = 0

    def line(self, s):
        self.buf.append(s)
        self.pending += len(s) + 1
        self.lines += 1
        if self.pending >= 1 << 20:
            self.flush()

    def full(self):
        return self.written + self.pending >= self.limit

    def flush(self):
        if self.buf:
            self.buf.append("")
            self.f.write("\n".join(self.buf))
            self.written += self.pending
            self.buf = []
            self.pending = 0

    def close(self):
        self.flush()
        self.f.close()


def mac_str(rng):
    b = [rng.randrange(256) for _ in range(6)]
    b[0] = (b[0] & 0xFC) | 0x02  # locally administered, unicast
    return ":".join("%02x" % x for x in b)


class Clock:
    """Syslog and klog time strings, cached per second."""

    def __init__(self):
        self.sec = -1
        self.syslog = ""
        self.klog = ""
        self.iso = ""

    def at(self, wall_s):
        if wall_s != self.sec:
            t = time.gmtime(wall_s)
            self.sec = wall_s
            self.syslog = "%s %2d %02d:%02d:%02d" % (MONTHS[t.tm_mon - 1], t.tm_mday, t.tm_hour,
                                                   t.tm_min, t.tm_sec)
            self.klog = "%02d%02d %02d:%02d:%02d" % (t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)
            self.iso = "%04d-%02d-%02dT%02d:%02d:%02d" % (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour,
                                                         t.tm_min, t.tm_sec)
        return self.syslog


# --------------------------------------------------------------------------
# The Docker-style ruleset shared by every node (docker-legacy, scaled up).

TCP_TARGETS = [(80, "web"), (8080, "api"), (3000, "grafana"), (9090, "prometheus"), (5432, "postgres"),
               (6379, "redis"), (8443, "ingress"), (9200, "elastic"), (5601, "kibana"), (8081, "admin"),
               (27017, "mongo"), (15672, "rabbitmq"), (9000, "minio"), (8888, "jupyter"), (4000, "docs"),
               (7000, "cassandra")]


class Service:
    __slots__ = ("proto", "hport", "cip", "cport", "accepted", "natpos", "fpos", "name")


def make_services(rng, n_tcp=28, n_udp=4, drop_share=0.18):
    services = []
    used = set()
    for i in range(n_tcp):
        s = Service()
        s.proto = "tcp"
        while True:
            hp = rng.choice((8000, 8080, 9000, 30000, 31000, 32000)) + rng.randrange(1, 999)
            if hp not in used:
                used.add(hp)
                break
        s.hport = hp
        s.cport, s.name = TCP_TARGETS[i % len(TCP_TARGETS)]
        s.cip = "172.17.%d.%d" % (i // 200, 2 + i % 200)
        s.accepted = rng.random() >= drop_share or i < 2
        services.append(s)
    for i in range(n_udp):
        s = Service()
        s.proto = "udp"
        s.hport = (53, 5353, 1053, 8125)[i % 4] + 10000 * (i // 4)
        s.cport = (53, 53, 53, 8125)[i % 4]
        s.name = "udp%d" % i
        s.cip = "172.17.1.%d" % (2 + i)
        s.accepted = i != 1
        services.append(s)
    # nat DOCKER: rule 1 is "-i docker0 -j RETURN", then one DNAT per service.
    for i, s in enumerate(services):
        s.natpos = i + 2
    # filter DOCKER: one ACCEPT per accepted service, in the same order.
    k = 0
    for s in services:
        if s.accepted:
            k += 1
            s.fpos = k
        else:
            s.fpos = None
    return services


def iptables_save(services):
    stamp = "Sun Mar  1 00:00:00 2026"
    accepted = [s for s in services if s.accepted]
    L = ["# Generated by iptables-save v1.8.9 on " + stamp,
         "*filter",
         ":INPUT ACCEPT [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]",
         ":DOCKER - [0:0]", ":DOCKER-ISOLATION-STAGE-1 - [0:0]", ":DOCKER-ISOLATION-STAGE-2 - [0:0]",
         ":DOCKER-USER - [0:0]",
         "-A FORWARD -j DOCKER-USER",
         "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
         "-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
         "-A FORWARD -o docker0 -j DOCKER",
         "-A FORWARD -i docker0 ! -o docker0 -j ACCEPT",
         "-A FORWARD -i docker0 -o docker0 -j ACCEPT"]
    for s in accepted:
        L.append("-A DOCKER -d %s/32 ! -i docker0 -o docker0 -p %s -m %s --dport %d -j ACCEPT"
                 % (s.cip, s.proto, s.proto, s.cport))
    L += ["-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2",
          "-A DOCKER-ISOLATION-STAGE-1 -j RETURN",
          "-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP",
          "-A DOCKER-ISOLATION-STAGE-2 -j RETURN",
          "-A DOCKER-USER -j RETURN",
          "COMMIT",
          "# Completed on " + stamp,
          "# Generated by iptables-save v1.8.9 on " + stamp,
          "*nat",
          ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
          ":POSTROUTING ACCEPT [0:0]", ":DOCKER - [0:0]",
          "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
          "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
          "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"]
    for s in services:
        L.append("-A POSTROUTING -s %s/32 -d %s/32 -p %s -m %s --dport %d -j MASQUERADE"
                 % (s.cip, s.cip, s.proto, s.proto, s.cport))
    L.append("-A DOCKER -i docker0 -j RETURN")
    for s in services:
        L.append("-A DOCKER ! -i docker0 -p %s -m %s --dport %d -j DNAT --to-destination %s:%d"
                 % (s.proto, s.proto, s.hport, s.cip, s.cport))
    L += ["COMMIT", "# Completed on " + stamp,
          "# Generated by iptables-save v1.8.9 on " + stamp,
          "*raw",
          ":PREROUTING ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
          "-A PREROUTING -i eth0 -j TRACE",
          "COMMIT", "# Completed on " + stamp]
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------------
# syslog

class Host:
    __slots__ = ("name", "ip", "mac", "gwmac", "up0", "pids")


CT_REASONS_ACK = ("ACK is over upper bound %d (ACKed data not seen yet)",
                  "SEQ is over upper bound %d (over the window of the receiver)",
                  "SEQ is under lower bound %d (already ACKed data retransmitted)")

WORDS = ("default", "kube-system", "monitoring", "payments", "checkout", "search", "ingress-nginx",
         "cert-manager", "logging", "batch")
POD_SUFFIX = "bcdfghjklmnpqrstvwxz2456789"


def tcp_flags_str(flags):
    # the kernel's order: CWR ECE URG ACK PSH RST SYN FIN
    return " ".join(n for n, b in (("CWR", 128), ("ECE", 64), ("URG", 32), ("ACK", 16), ("PSH", 8),
                                   ("RST", 4), ("SYN", 2), ("FIN", 1)) if flags & b)


class SyslogGen:
    def __init__(self, rng, out, nf_ratio, n_hosts):
        self.rng = rng
        self.out = out
        self.clock = Clock()
        self.nf_ratio = nf_ratio
        self.noise_due = 0.0
        self.services = make_services(rng)
        self.tcp_ok = [s for s in self.services if s.proto == "tcp" and s.accepted]
        self.tcp_drop = [s for s in self.services if s.proto == "tcp" and not s.accepted]
        self.udp = [s for s in self.services if s.proto == "udp" and s.accepted]
        self.n_post = 1 + len(self.services)      # nat POSTROUTING rules
        self.n_natdocker = 1 + len(self.services)  # nat DOCKER rules
        self.n_fdocker = len([s for s in self.services if s.accepted])
        self.hosts = []
        for i in range(n_hosts):
            h = Host()
            h.name = "k8s-node-%02d" % (i + 1)
            h.ip = "10.40.%d.%d" % (i // 200, 10 + i % 200)
            h.mac = mac_str(rng)
            h.gwmac = mac_str(rng)
            # most nodes have been up for days; a few rebooted recently
            h.up0 = rng.randrange(600, 5000) if i % 5 == 4 else rng.randrange(200000, 4000000)
            h.up0 = h.up0 * 1000000 + rng.randrange(1000000)
            h.pids = {"sshd": rng.randrange(800, 30000), "kubelet": rng.randrange(600, 1500),
                      "containerd": rng.randrange(500, 900)}
            self.hosts.append(h)
        # clients: a fixed pool, some of which send IP ID 0 on DF packets
        self.clients = []
        for i in range(4000):
            a = rng.random()
            if a < 0.5:
                ip = "10.%d.%d.%d" % (rng.randrange(1, 40), rng.randrange(256), rng.randrange(1, 255))
            elif a < 0.8:
                ip = "192.168.%d.%d" % (rng.randrange(256), rng.randrange(1, 255))
            else:
                ip = "100.64.%d.%d" % (rng.randrange(64), rng.randrange(1, 255))
            ttl = 64 - rng.randrange(0, 4) if rng.random() < 0.85 else 128 - rng.randrange(0, 4)
            id0 = rng.random() < 0.08
            self.clients.append((ip, ttl, id0))
        self.heap = []
        self.hseq = 0
        self.t = 0  # microseconds since START_EPOCH

    # -- envelope ----------------------------------------------------------
    def kline(self, h, t, level, msg):
        wall = START_EPOCH + t // 1000000
        up = h.up0 + t
        self.out.line("%s %s kern.%s kernel: [%5d.%06d] %s" % (self.clock.at(wall), h.name, level,
                                                                up // 1000000, up % 1000000, msg))

    # -- packet bodies as nf_log_syslog.c prints them -----------------------
    @staticmethod
    def tcp_body(iif, oif, mac, src, dst, ttl, ipid, sport, dport, seq, ack, window, flags, length,
                 opt):
        s = ("IN=%s OUT=%s MAC=%s SRC=%s DST=%s LEN=%d TOS=0x00 PREC=0x00 TTL=%d ID=%d DF PROTO=TCP "
             "SPT=%d DPT=%d SEQ=%d ACK=%d WINDOW=%d RES=0x00 %s URGP=0 "
             % (iif, oif, mac, src, dst, length, ttl, ipid, sport, dport, seq, ack, window,
                tcp_flags_str(flags)))
        if opt:
            s += "OPT (%s) " % opt
        return s

    @staticmethod
    def udp_body(iif, oif, mac, src, dst, ttl, ipid, sport, dport, plen):
        return ("IN=%s OUT=%s MAC=%s SRC=%s DST=%s LEN=%d TOS=0x00 PREC=0x00 TTL=%d ID=%d DF PROTO=UDP "
                "SPT=%d DPT=%d LEN=%d " % (iif, oif, mac, src, dst, 28 + plen, ttl, ipid, sport, dport,
                                           8 + plen))

    # -- connections -----------------------------------------------------------
    def push(self, t, pkt):
        self.hseq += 1
        heapq.heappush(self.heap, (t, self.hseq, pkt))

    def new_connection(self, t):
        rng = self.rng
        h = self.hosts[min(int(rng.paretovariate(1.2)) - 1, len(self.hosts) - 1)
                       if rng.random() < 0.5 else rng.randrange(len(self.hosts))]
        cip, ttl, id0 = self.clients[rng.randrange(len(self.clients))]
        sport = rng.randrange(32768, 61000)
        ipid = 0 if id0 else rng.randrange(1, 65536)
        mac = "%s:%s:08:00" % (h.mac, h.gwmac)
        a = rng.random()
        if a < 0.60:
            svc = rng.choice(self.tcp_ok)
            seq = rng.randrange(1, 1 << 32)
            peer = rng.randrange(1, 1 << 32)
            tsval = rng.randrange(1 << 32)
            rtt = int(rng.expovariate(1 / 4000.0)) + 80
            c = [h, cip, ttl, id0, sport, mac, svc]
            self.push(t, ("syn", c, ipid, seq, tsval, True))
            # the client's ACK, a request, then ACKs of the response, then FIN
            tt = t + rtt
            nseq = (seq + 1) & 0xFFFFFFFF
            pack = (peer + 1) & 0xFFFFFFFF
            step = lambda x: x if id0 else (x % 65535) + 1
            ipid = step(ipid)
            self.push(tt, ("est", c, ipid, nseq, pack, 16, 0, tsval + 1))
            req = rng.randrange(60, 900)
            tt += rng.randrange(20, 400)
            ipid = step(ipid)
            self.push(tt, ("est", c, ipid, nseq, pack, 24, req, tsval + 1))
            nseq = (nseq + req) & 0xFFFFFFFF
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 5))):
                tt += rtt + rng.randrange(50, 20000)
                pack = (pack + rng.randrange(200, 30000)) & 0xFFFFFFFF
                ipid = step(ipid)
                self.push(tt, ("est", c, ipid, nseq, pack, 16, 0, tsval + (tt - t) // 1000))
            tt += rng.randrange(100, 200000)
            ipid = step(ipid)
            self.push(tt, ("est", c, ipid, nseq, pack, 17, 0, tsval + (tt - t) // 1000))
        elif a < 0.75:
            # the docker-legacy story: DNAT'd to a port the DOCKER chain does not accept;
            # the client retransmits its SYN (same SEQ) after 1, 2, 4 s
            svc = rng.choice(self.tcp_drop)
            seq = rng.randrange(1, 1 << 32)
            tsval = rng.randrange(1 << 32)
            c = [h, cip, ttl, id0, sport, mac, svc]
            tt = t
            back = 1000000
            for i in range(rng.choice((1, 2, 2, 3, 4))):
                self.push(tt, ("syn", c, ipid, seq, tsval + (tt - t) // 1000, False))
                tt += back + rng.randrange(0, 40000)
                back *= 2
                if not id0:
                    ipid = (ipid % 65535) + 1
        elif a < 0.85:
            svc = rng.choice(self.udp)
            c = [h, cip, ttl, id0, sport, mac, svc]
            # DNS-like: Linux sends small DF UDP datagrams with IP ID 0
            uid = 0 if rng.random() < 0.7 else ipid
            self.push(t, ("udp", c, uid, rng.randrange(17, 120), True))
            if rng.random() < 0.3:
                self.push(t + rng.randrange(500, 50000), ("udp", c, uid, rng.randrange(17, 120), False))
        elif a < 0.96:
            svc = rng.choice(self.tcp_ok)
            c = [h, cip, ttl, id0, sport, mac, svc]
            for i in range(rng.choice((1, 1, 2, 3))):
                self.push(t + i * rng.randrange(200000, 1100000), ("inv", c, ipid + i if ipid else 0))
        else:
            c = [h, cip, ttl, id0, sport, mac, None]
            icmp_id = rng.randrange(1, 65536)
            for i in range(rng.choice((1, 3, 4))):
                self.push(t + i * 1000000 + rng.randrange(0, 3000),
                          ("icmp", c, ipid + i if ipid else 0, icmp_id, i + 1))

    # -- one packet's TRACE path ------------------------------------------------
    def path(self, pkt):
        """[(level, message)] of one packet, in the order the kernel prints them."""
        kind = pkt[0]
        h, cip, ttl, id0, sport, mac, svc = pkt[1]
        if kind == "syn":
            _, _, ipid, seq, tsval, ok = pkt
            opt = "020405B40402080A%08X000000000103030A" % (tsval & 0xFFFFFFFF)
            pre = self.tcp_body("eth0", "", mac, cip, h.ip, ttl, ipid, sport, svc.hport, seq, 0, 64240,
                                2, 60, opt)
            post = self.tcp_body("eth0", "docker0", mac, cip, svc.cip, ttl - 1, ipid, sport, svc.cport,
                                 seq, 0, 64240, 2, 60, opt)
            L = [("raw:PREROUTING:policy:2", pre), ("nat:PREROUTING:rule:1", pre),
                 ("nat:DOCKER:rule:%d" % svc.natpos, pre)]
            L += [(x, post) for x in ("filter:FORWARD:rule:1", "filter:DOCKER-USER:return:1",
                                      "filter:FORWARD:rule:2", "filter:DOCKER-ISOLATION-STAGE-1:return:2",
                                      "filter:FORWARD:rule:4")]
            if ok:
                L += [("filter:DOCKER:rule:%d" % svc.fpos, post),
                      ("nat:POSTROUTING:policy:%d" % (self.n_post + 1), post)]
            else:
                L += [("filter:DOCKER:return:%d" % (self.n_fdocker + 1), post),
                      ("filter:FORWARD:policy:7", post)]
            return [("warn", "TRACE: %s %s" % x) for x in L]
        if kind == "est":
            _, _, ipid, seq, ack, flags, plen, tsval = pkt
            opt = "0101080A%08X%08X" % (tsval & 0xFFFFFFFF, (tsval * 7 + 12345) & 0xFFFFFFFF)
            win = 502 if ttl < 100 else 8212
            pre = self.tcp_body("eth0", "", mac, cip, h.ip, ttl, ipid, sport, svc.hport, seq, ack, win,
                                flags, 52 + plen, opt)
            post = self.tcp_body("eth0", "docker0", mac, cip, svc.cip, ttl - 1, ipid, sport, svc.cport,
                                 seq, ack, win, flags, 52 + plen, opt)
            L = [("raw:PREROUTING:policy:2", pre)]
            L += [(x, post) for x in ("filter:FORWARD:rule:1", "filter:DOCKER-USER:return:1",
                                      "filter:FORWARD:rule:2", "filter:DOCKER-ISOLATION-STAGE-1:return:2",
                                      "filter:FORWARD:rule:3")]
            return [("warn", "TRACE: %s %s" % x) for x in L]
        if kind == "udp":
            _, _, ipid, plen, new = pkt
            pre = self.udp_body("eth0", "", mac, cip, h.ip, ttl, ipid, sport, svc.hport, plen)
            post = self.udp_body("eth0", "docker0", mac, cip, svc.cip, ttl - 1, ipid, sport, svc.cport,
                                 plen)
            L = [("raw:PREROUTING:policy:2", pre)]
            if new:
                L += [("nat:PREROUTING:rule:1", pre), ("nat:DOCKER:rule:%d" % svc.natpos, pre)]
            L += [(x, post) for x in ("filter:FORWARD:rule:1", "filter:DOCKER-USER:return:1",
                                      "filter:FORWARD:rule:2", "filter:DOCKER-ISOLATION-STAGE-1:return:2")]
            if new:
                L += [("filter:FORWARD:rule:4", post), ("filter:DOCKER:rule:%d" % svc.fpos, post),
                      ("nat:POSTROUTING:policy:%d" % (self.n_post + 1), post)]
            else:
                L += [("filter:FORWARD:rule:3", post)]
            return [("warn", "TRACE: %s %s" % x) for x in L]
        if kind == "inv":
            # conntrack calls it invalid: no NAT, delivered to the host (ct-invalid shapes)
            _, _, ipid = pkt
            rng = self.rng
            r = rng.random()
            if r < 0.12 and self.udp:
                proto = 17
                body = self.udp_body("eth0", "", mac, cip, h.ip, ttl, ipid, sport, self.udp[0].hport,
                                     rng.randrange(3, 60))
                reason = "bad checksum"
            else:
                proto = 6
                seq = rng.randrange(1, 1 << 32)
                if r < 0.35:
                    flags = rng.choice((6, 3))  # RST SYN, SYN FIN
                    reason = "invalid tcp flag combination"
                    ack, win, ln = 0, 8192, 40
                elif r < 0.45:
                    flags, reason, ack, win, ln = 2, "bad checksum", 0, 8192, 40
                else:
                    flags = rng.choice((16, 24, 4))
                    ack = rng.randrange(1, 1 << 32) if flags != 4 else 0
                    reason = rng.choice(CT_REASONS_ACK) % rng.randrange(1, 1 << 32)
                    win = 64240 if flags != 4 else 8192
                    ln = 40 if flags != 24 else 40 + rng.randrange(1, 1400)
                body = self.tcp_body("eth0", "", mac, cip, h.ip, ttl, ipid, sport, svc.hport, seq, ack,
                                     win, flags, ln, None)
            return [("warn", "TRACE: raw:PREROUTING:policy:2 " + body),
                    ("notice", "nf_ct_proto_%d: %s %s" % (proto, reason, body)),
                    ("warn", "TRACE: filter:INPUT:policy:1 " + body)]
        if kind == "icmp":
            _, _, ipid, icmp_id, icmp_seq = pkt
            body = ("IN=eth0 OUT= MAC=%s SRC=%s DST=%s LEN=84 TOS=0x00 PREC=0x00 TTL=%d ID=%d DF "
                    "PROTO=ICMP TYPE=8 CODE=0 ID=%d SEQ=%d " % (mac, cip, h.ip, ttl, ipid, icmp_id, icmp_seq))
            L = ("raw:PREROUTING:policy:2", "nat:PREROUTING:rule:1",
                 "nat:DOCKER:return:%d" % (self.n_natdocker + 1), "nat:PREROUTING:policy:2",
                 "filter:INPUT:policy:1", "nat:INPUT:policy:1")
            return [("warn", "TRACE: %s %s" % (x, body)) for x in L]
        raise ValueError(kind)

    # -- noise ------------------------------------------------------------------
    def noise(self, h, t):
        rng = self.rng
        wall = START_EPOCH + t // 1000000
        date = self.clock.at(wall)
        us = t % 1000000
        r = rng.random()
        if r < 0.30:
            pid = h.pids["kubelet"]
            ns = rng.choice(WORDS)
            pod = "%s-%s-%s" % (rng.choice(("api", "worker", "web", "cron", "sync")),
                                "".join(rng.choice(POD_SUFFIX) for _ in range(9)),
                                "".join(rng.choice(POD_SUFFIX) for _ in range(5)))
            m = rng.random()
            if m < 0.4:
                msg = ('I%s.%06d    %d kubelet_getters.go:187] "Pod status updated" pod="%s/%s" status="Running"'
                       % (self.clock.klog, us, pid, ns, pod))
            elif m < 0.7:
                msg = ('I%s.%06d    %d reconciler_common.go:258] "operationExecutor.VerifyControllerAttachedVolume '
                       'started for volume \\"kube-api-access-%s\\" (UniqueName: \\"kubernetes.io/projected/'
                       '%08x-%04x-%04x-%04x-%012x-kube-api-access\\") pod=\\"%s\\"" pod="%s/%s"'
                       % (self.clock.klog, us, pid, pod[-5:], rng.getrandbits(32), rng.getrandbits(16),
                          rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48), pod, ns, pod))
            elif m < 0.9:
                msg = ('E%s.%06d    %d pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" '
                       'for \\"app\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=app pod=%s_%s\\"" '
                       'pod="%s/%s"' % (self.clock.klog, us, pid, pod, ns, ns, pod))
            else:
                msg = ('I%s.%06d    %d prober.go:107] "Probe failed" probeType="Readiness" pod="%s/%s" '
                       'containerName="app" probeResult="failure" output="Get \\"http://172.17.%d.%d:8080/healthz\\": '
                       'context deadline exceeded"' % (self.clock.klog, us, pid, ns, pod, rng.randrange(2),
                                                        rng.randrange(2, 250)))
            level = "err" if msg[0] == "E" else "info"
            line = "%s %s daemon.%s kubelet[%d]: %s" % (date, h.name, level, pid, msg)
        elif r < 0.50:
            line = ("%s %s daemon.info systemd[1]: run-containerd-runc-k8s.io-%016x%016x%016x%016x-runc.%s.mount: "
                    "Deactivated successfully." % (date, h.name, rng.getrandbits(64), rng.getrandbits(64),
                                                   rng.getrandbits(64), rng.getrandbits(64),
                                                   "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                                                           for _ in range(6))))
        elif r < 0.65:
            line = ('%s %s daemon.info containerd[%d]: time="%s.%06d000Z" level=info msg="%s \\"%016x%016x\\"%s"'
                    % (date, h.name, h.pids["containerd"], self.clock.iso, us,
                       rng.choice(("StartContainer for", "RemoveContainer for", "ImageCreate event name:",
                                   "shim disconnected\" id=")),
                       rng.getrandbits(64), rng.getrandbits(64),
                       rng.choice((" returns successfully", "", " namespace=k8s.io"))))
        elif r < 0.80:
            pid = rng.randrange(1000, 60000)
            ip = "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
            m = rng.random()
            if m < 0.3:
                msg = ("Accepted publickey for core from %s port %d ssh2: ED25519 SHA256:%s"
                       % (ip, rng.randrange(1024, 65535),
                          "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                                  for _ in range(43))))
            elif m < 0.6:
                msg = "pam_unix(sshd:session): session %s for user core" % rng.choice(
                    ("opened for user core(uid=500) by (uid=0)", "closed"))
            else:
                msg = ("Invalid user %s from %s port %d" % (rng.choice(("admin", "test", "oracle", "ubuntu", "git")),
                                                           ip, rng.randrange(1024, 65535)))
            line = "%s %s authpriv.info sshd[%d]: %s" % (date, h.name, pid, msg)
        elif r < 0.93:
            up = h.up0 + t
            veth = "veth%07x" % rng.getrandbits(28)
            msg = rng.choice(("docker0: port %d(%s) entered forwarding state" % (rng.randrange(1, 40), veth),
                              "docker0: port %d(%s) entered disabled state" % (rng.randrange(1, 40), veth),
                              "IPv6: ADDRCONF(NETDEV_CHANGE): %s: link becomes ready" % veth,
                              "eth0: renamed from tmp%05x" % rng.getrandbits(20),
                              "%s: entered promiscuous mode" % veth))
            line = "%s %s kern.info kernel: [%5d.%06d] %s" % (date, h.name, up // 1000000, up % 1000000, msg)
        else:
            line = "%s %s cron.info crond[%d]: USER root pid %d cmd /usr/sbin/logrotate /etc/logrotate.conf" % (
                date, h.name, rng.randrange(300, 900), rng.randrange(1000, 60000))
        self.out.line(line)

    def emit_noise(self, n_nf):
        self.noise_due += n_nf * (1.0 - self.nf_ratio) / self.nf_ratio
        k = self.rng.randint(0, int(self.noise_due))
        self.noise_due -= k
        for _ in range(k):
            self.noise(self.hosts[self.rng.randrange(len(self.hosts))], self.t)

    # -- main loop -----------------------------------------------------------------
    def run(self):
        rng = self.rng
        rate = 1 / 6000.0  # new connections: one per 6 ms on average, over all nodes
        next_conn = 0
        out = self.out
        while not out.full():
            if not self.heap or next_conn <= self.heap[0][0]:
                self.new_connection(next_conn)
                next_conn += int(rng.expovariate(rate)) + 1
                continue
            t, _, pkt = heapq.heappop(self.heap)
            self.t = max(self.t, t)
            h = pkt[1][0]
            lines = self.path(pkt)
            # two CPUs printing at once: sometimes the next packet of the same host
            # is printed line by line together with this one
            if (rng.random() < 0.06 and self.heap and self.heap[0][2][1][0] is h
                    and self.heap[0][2][1] is not pkt[1]):
                t2, _, pkt2 = heapq.heappop(self.heap)
                other = self.path(pkt2)
                merged = []
                i = j = 0
                while i < len(lines) or j < len(other):
                    if j >= len(other) or (i < len(lines) and rng.random() < 0.5):
                        merged.append(lines[i])
                        i += 1
                    else:
                        merged.append(other[j])
                        j += 1
                lines = merged
            tt = self.t
            for level, msg in lines:
                self.kline(h, tt, level, msg)
                tt += rng.randrange(4, 30)
            self.t = tt
            self.emit_noise(len(lines))
        out.close()


# --------------------------------------------------------------------------
# nft monitor trace

NFT_PORTS = (22, 80, 443, 8080, 5432, 6379, 9090, 3000)


class NftGen:
    def __init__(self, rng, out):
        self.rng = rng
        self.out = out
        self.gw = "10.77.1.1"
        self.gwmac = "d6:6f:1e:e2:cd:2b"
        self.svcs = []  # (hport, backend, bport, allowed, handle)
        handle = 3
        for i in range(48):
            backend = "10.77.2.%d" % (10 + i % 40)
            bport = NFT_PORTS[i % len(NFT_PORTS)]
            self.svcs.append((1200 + i * 7 + 22, backend, bport, rng.random() >= 0.2 or i == 0, handle))
            handle += 1
        self.clients = []
        for i in range(2000):
            ip = "10.77.%d.%d" % (rng.choice((1, 3, 4, 5)), rng.randrange(2, 255))
            self.clients.append((ip, mac_str(rng), 64 - rng.randrange(0, 3)))
        # nftables trace ids: a 32-bit hash of the skb pointer; a busy host reuses them
        self.ids = ["%08x" % rng.getrandbits(32) for _ in range(3000)]
        self.heap = []
        self.hseq = 0

    def ruleset(self):
        L = ["table inet trace_debug { # handle 1",
             "\tchain trace_pre { # handle 1",
             "\t\ttype filter hook prerouting priority -200000; policy accept;",
             "\t\tiifname \"eth0\" ip daddr %s meta nftrace set 1 # handle 2" % self.gw,
             "\t}", "}",
             "table inet nat { # handle 2",
             "\tchain prerouting { # handle 1",
             "\t\ttype nat hook prerouting priority dstnat; policy accept;"]
        for hport, backend, bport, _, handle in self.svcs:
            L.append("\t\tip daddr %s tcp dport %d dnat ip to %s:%d # handle %d" % (self.gw, hport, backend,
                                                                                    bport, handle))
        L += ["\t}", "",
              "\tchain postrouting { # handle 2",
              "\t\ttype nat hook postrouting priority srcnat; policy accept;",
              "\t}", "}",
              "table inet filter { # handle 3",
              "\tset allow_in { # handle 3",
              "\t\ttype ipv4_addr . inet_service"]
        elems = sorted({"%s . %d" % (b, p) for _, b, p, ok, _ in self.svcs if ok})
        L.append("\t\telements = { " + ",\n\t\t\t     ".join(elems) + " }")
        L += ["\t}", "",
              "\tchain forward { # handle 1",
              "\t\ttype filter hook forward priority filter; policy accept;",
              "\t\tct state established,related accept # handle 4",
              "\t\tct status dnat jump allowed_dnats # handle 5",
              "\t}", "",
              "\tchain allowed_dnats { # handle 2",
              "\t\tip daddr . tcp dport @allow_in accept # handle 6",
              "\t\tdrop # handle 7",
              "\t}", "}"]
        return "\n".join(L) + "\n"

    def push(self, t, pkt):
        self.hseq += 1
        heapq.heappush(self.heap, (t, self.hseq, pkt))

    def new_connection(self, t):
        rng = self.rng
        svc = self.svcs[rng.randrange(len(self.svcs))]
        cl = self.clients[rng.randrange(len(self.clients))]
        sport = rng.randrange(32768, 61000)
        ipid = rng.randrange(1, 65536)
        c = (cl, sport, svc)
        if svc[3]:
            self.push(t, ("syn", c, ipid))
            tt = t
            for flags, plen in [("ack", 0), ("0x18", rng.randrange(20, 600))] + \
                    [("ack", 0)] * rng.choice((0, 1, 2, 4)) + [("0x11", 0)]:
                tt += rng.randrange(100, 30000)
                ipid = (ipid % 65535) + 1
                self.push(tt, ("est", c, ipid, flags, plen))
        else:
            tt = t
            for i in range(rng.choice((1, 2, 3))):
                self.push(tt, ("syn", c, ipid))
                ipid = (ipid % 65535) + 1
                tt += (1000000 << i) + rng.randrange(0, 30000)

    def packet_line(self, tid, where, c, ipid, flags, plen, after_nat):
        (cip, cmac, ttl), sport, (hport, backend, bport, _, _) = c
        iif = 'iif "eth0" oif "eth1" ' if after_nat else 'iif "eth0" '
        daddr, dport = (backend, bport) if after_nat else (self.gw, hport)
        if after_nat:
            ttl -= 1
        hl = 40 if flags == "syn" else 32
        return ("trace id %s inet %s packet: %sether saddr %s ether daddr %s ip saddr %s ip daddr %s "
                "ip dscp cs0 ip ecn not-ect ip ttl %d ip id %d ip protocol tcp ip length %d tcp sport %d "
                "tcp dport %d tcp flags == %s tcp window %d "
                % (tid, where, iif, cmac, self.gwmac, cip, daddr, ttl, ipid, 20 + hl + plen, sport, dport,
                   flags, 64240 if flags == "syn" else 502))

    def lines(self, pkt, tid):
        kind, c = pkt[0], pkt[1]
        hport, backend, bport, ok, handle = c[2]
        pre = "trace id %s inet trace_debug trace_pre " % tid
        if kind == "syn":
            ipid = pkt[2]
            L = [self.packet_line(tid, "trace_debug trace_pre", c, ipid, "syn", 0, False),
                 pre + 'rule iifname "eth0" ip daddr %s meta nftrace set 1 # handle 2 (verdict continue)' % self.gw,
                 pre + "policy accept ",
                 self.packet_line(tid, "nat prerouting", c, ipid, "syn", 0, False),
                 "trace id %s inet nat prerouting rule ip daddr %s tcp dport %d dnat ip to %s:%d # handle %d "
                 "(verdict accept)" % (tid, self.gw, hport, backend, bport, handle),
                 self.packet_line(tid, "filter forward", c, ipid, "syn", 0, True),
                 "trace id %s inet filter forward rule ct status dnat jump allowed_dnats # handle 5 "
                 "(verdict jump allowed_dnats)" % tid]
            if ok:
                L += ["trace id %s inet filter allowed_dnats rule ip daddr . tcp dport @allow_in accept "
                      "# handle 6 (verdict accept)" % tid,
                      self.packet_line(tid, "nat postrouting", c, ipid, "syn", 0, True),
                      "trace id %s inet nat postrouting policy accept " % tid]
            else:
                L.append("trace id %s inet filter allowed_dnats rule drop # handle 7 (verdict drop)" % tid)
            return L
        _, _, ipid, flags, plen = pkt
        return [self.packet_line(tid, "trace_debug trace_pre", c, ipid, flags, plen, False),
                pre + 'rule iifname "eth0" ip daddr %s meta nftrace set 1 # handle 2 (verdict continue)' % self.gw,
                pre + "policy accept ",
                self.packet_line(tid, "filter forward", c, ipid, flags, plen, True),
                "trace id %s inet filter forward rule ct state established,related accept # handle 4 "
                "(verdict accept)" % tid]

    def run(self):
        rng = self.rng
        out = self.out
        next_conn = 0
        rate = 1 / 3000.0
        while not out.full():
            if not self.heap or next_conn <= self.heap[0][0]:
                self.new_connection(next_conn)
                next_conn += int(rng.expovariate(rate)) + 1
                continue
            _, _, pkt = heapq.heappop(self.heap)
            tid = self.ids[rng.randrange(len(self.ids))]
            lines = self.lines(pkt, tid)
            if rng.random() < 0.05 and self.heap:
                # two CPUs: another packet's events arrive in between
                _, _, pkt2 = heapq.heappop(self.heap)
                tid2 = tid
                while tid2 == tid:
                    tid2 = self.ids[rng.randrange(len(self.ids))]
                other = self.lines(pkt2, tid2)
                cut = rng.randrange(1, len(lines))
                lines = lines[:cut] + other + lines[cut:]
            for s in lines:
                out.line(s)
        out.close()


# --------------------------------------------------------------------------
# pcap

def csum_fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class PcapGen:
    def __init__(self, rng, path, packets):
        self.rng = rng
        self.path = path
        self.n = packets
        # payload bytes are slices of one random buffer; prefix sums of its
        # 16-bit words make every payload's checksum O(1)
        self.blob = bytes(rng.getrandbits(8) for _ in range(1 << 16)) * 1
        self.blob += self.blob[:2048]
        pre = [0]
        words = struct.unpack("!%dH" % (len(self.blob) // 2), self.blob)
        acc = 0
        for w in words:
            acc += w
            pre.append(acc)
        self.pre = pre
        self.gwmac = bytes.fromhex("d66f1ee2cd2b")
        self.clients = []
        for i in range(3000):
            ip = bytes((10, rng.choice((1, 3, 4, 5, 9)), rng.randrange(256), rng.randrange(1, 255)))
            mac = bytes.fromhex(mac_str(rng).replace(":", ""))
            self.clients.append((ip, mac))
        self.servers = [(bytes((10, 77, 2, 10 + i)), p) for i in range(40)
                        for p in (80, 443, 8080, 5432)]
        self.heap = []
        self.hseq = 0

    def payload_sum(self, off, n):
        # off even
        s = self.pre[(off + n) // 2] - self.pre[off // 2]
        if n & 1:
            s += self.blob[off + n - 1] << 8
        return s

    def push(self, t, pkt):
        self.hseq += 1
        heapq.heappush(self.heap, (t, self.hseq, pkt))

    def new_flow(self, t):
        rng = self.rng
        cip, cmac = self.clients[rng.randrange(len(self.clients))]
        sip, sport = self.servers[rng.randrange(len(self.servers))]
        cport = rng.randrange(32768, 61000)
        if rng.random() < 0.2:
            # a DNS A query for a cluster service and, usually, its answer
            qid = rng.randrange(1 << 16)
            dns = bytes((10, 77, 2, 53))
            qname = b"".join(bytes((len(x),)) + x for x in (
                b"svc%d" % rng.randrange(200), rng.choice((b"default", b"payments", b"monitoring")),
                b"svc", b"cluster", b"local")) + b"\0"
            q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + qname + b"\0\1\0\1"
            self.push(t, ("udp", cip, cmac, dns, cport, 53, q, 0))
            if rng.random() < 0.9:
                r = (struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + qname + b"\0\1\0\1"
                     + struct.pack("!HHHIH4s", 0xC00C, 1, 1, 30, 4, bytes((10, 96, rng.randrange(256),
                                                                         rng.randrange(1, 255)))))
                self.push(t + rng.randrange(200, 20000), ("udp", dns, cmac, cip, 53, cport, r, 1))
            return
        a = rng.getrandbits(32)
        b = rng.getrandbits(32)
        rtt = rng.randrange(100, 30000)
        cid = rng.randrange(1, 65536)
        sid = rng.randrange(1, 65536)
        c2s = (cip, cmac, sip, cport, sport, 0)
        s2c = (sip, cmac, cip, sport, cport, 1)
        tt = t
        ev = []
        ev.append((tt, c2s, a, 0, 0x02, 0, cid))
        tt += rtt // 2
        if rng.random() < 0.12:  # refused or dropped
            if rng.random() < 0.5:
                ev.append((tt, s2c, 0, a + 1, 0x14, 0, 0))
            else:
                for i in range(rng.choice((1, 2))):
                    ev.append((t + (1000000 << i), c2s, a, 0, 0x02, 0, cid + i + 1))
        else:
            ev.append((tt, s2c, b, a + 1, 0x12, 0, 0))
            tt += rtt // 2
            a += 1
            b += 1
            cid += 1
            ev.append((tt, c2s, a, b, 0x10, 0, cid))
            req = rng.randrange(60, 900)
            cid += 1
            ev.append((tt + 50, c2s, a, b, 0x18, req, cid))
            a += req
            tt += rtt
            for i in range(rng.choice((1, 1, 1, 2, 3, 4, 6))):
                n = 1448 if rng.random() < 0.4 else rng.randrange(100, 1448)
                sid += 1
                ev.append((tt, s2c, b, a, 0x10 if n == 1448 else 0x18, n, sid))
                b += n
                tt += rng.randrange(10, 300)
                if i & 1:
                    cid += 1
                    ev.append((tt, c2s, a, b, 0x10, 0, cid))
            tt += rng.randrange(1000, 200000)
            cid += 1
            ev.append((tt, c2s, a, b, 0x11, 0, cid))
            tt += rtt // 2
            sid += 1
            ev.append((tt, s2c, b, a + 1, 0x11, 0, sid))
            tt += rtt // 2
            cid += 1
            ev.append((tt, c2s, a + 1, b + 1, 0x10, 0, cid))
        for e in ev:
            self.push(e[0], ("tcp",) + e[1:])

    def frame(self, t, pkt):
        rng = self.rng
        if pkt[0] == "udp":
            _, src, cmac, dst, sport, dport, payload, rev = pkt
            proto = 17
            ulen = 8 + len(payload)
            padded = payload + b"\0" * (len(payload) & 1)
            s = (sum(struct.unpack("!4H", src + dst)) + 17 + ulen + sport + dport + ulen
                 + sum(struct.unpack("!%dH" % (len(padded) // 2), padded)))
            ck = csum_fold(s) or 0xFFFF
            l4 = struct.pack("!HHHH", sport, dport, ulen, ck) + payload
            ipid = 0
        else:
            _, (src, cmac, dst, sport, dport, rev), seq, ack, flags, plen, ipid = pkt
            proto = 6
            seq &= 0xFFFFFFFF
            ack &= 0xFFFFFFFF
            if flags & 0x02:
                opts = struct.pack("!BBHBBBBIIBBBB", 2, 4, 1460, 4, 2, 8, 10, rng.getrandbits(32), 0, 1, 3, 3, 7)
            else:
                opts = struct.pack("!BBBBII", 1, 1, 8, 10, rng.getrandbits(32), rng.getrandbits(32))
            hl = 20 + len(opts)
            win = 64240 if flags & 0x02 else 502
            off = rng.randrange(0, 1 << 15) * 2
            payload = self.blob[off:off + plen]
            hdr0 = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (hl // 4) << 4, flags, win, 0, 0) + opts
            tl = hl + plen
            s = (sum(struct.unpack("!4H", src + dst)) + 6 + tl
                 + sum(struct.unpack("!%dH" % (hl // 2), hdr0)) + self.payload_sum(off, plen))
            ck = csum_fold(s)
            l4 = hdr0[:16] + struct.pack("!H", ck) + hdr0[18:] + payload
        total = 20 + len(l4)
        iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ipid & 0xFFFF, 0x4000,
                          63 if rev else 64, proto, 0, src, dst)
        ck = csum_fold(sum(struct.unpack("!10H", iph)))
        iph = iph[:10] + struct.pack("!H", ck) + iph[12:]
        eth = (cmac + self.gwmac if rev else self.gwmac + cmac) + b"\x08\x00"
        return eth + iph + l4

    def run(self):
        rng = self.rng
        with open(self.path, "wb", buffering=1 << 20) as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
            written = 0
            next_flow = 0
            rate = 1 / 800.0
            chunk = []
            while written < self.n:
                if not self.heap or next_flow <= self.heap[0][0]:
                    self.new_flow(next_flow)
                    next_flow += int(rng.expovariate(rate)) + 1
                    continue
                t, _, pkt = heapq.heappop(self.heap)
                fr = self.frame(t, pkt)
                ts = START_EPOCH * 1000000 + t
                chunk.append(struct.pack("<IIII", ts // 1000000, ts % 1000000, len(fr), len(fr)))
                chunk.append(fr)
                written += 1
                if len(chunk) >= 8192:
                    f.write(b"".join(chunk))
                    chunk = []
            f.write(b"".join(chunk))

# --------------------------------------------------------------------------
# ruleset: kube-proxy's chains, three ways

class KubeSvc:
    __slots__ = ("name", "port", "cip", "ep", "svc", "sep", "proto")


# --------------------------------------------------------------------------
# A UFW host's log of LOG lines, and its rules.

UFW_SAVE = """*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:ufw-after-input - [0:0]
:ufw-after-logging-input - [0:0]
:ufw-before-input - [0:0]
:ufw-logging-allow - [0:0]
:ufw-logging-deny - [0:0]
:ufw-skip-to-policy-input - [0:0]
:ufw-user-input - [0:0]
-A INPUT -j ufw-before-input
-A INPUT -j ufw-after-input
-A INPUT -j ufw-after-logging-input
-A ufw-after-input -p udp -m udp --dport 137 -j ufw-skip-to-policy-input
-A ufw-after-input -p udp -m udp --dport 138 -j ufw-skip-to-policy-input
-A ufw-after-logging-input -m limit --limit 3/min --limit-burst 10 -j LOG --log-prefix "[UFW BLOCK] "
-A ufw-before-input -i lo -j ACCEPT
-A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A ufw-before-input -m conntrack --ctstate INVALID -j ufw-logging-deny
-A ufw-before-input -m conntrack --ctstate INVALID -j DROP
-A ufw-before-input -p icmp -m icmp --icmp-type 8 -j ACCEPT
-A ufw-before-input -j ufw-user-input
-A ufw-logging-allow -m limit --limit 3/min --limit-burst 10 -j LOG --log-prefix "[UFW ALLOW] "
-A ufw-logging-deny -m conntrack --ctstate INVALID -m limit --limit 3/min --limit-burst 10 -j RETURN
-A ufw-logging-deny -m limit --limit 3/min --limit-burst 10 -j LOG --log-prefix "[UFW BLOCK] "
-A ufw-skip-to-policy-input -j DROP
-A ufw-user-input -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ufw-logging-allow
-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT
-A ufw-user-input -p tcp -m tcp --dport 80 -j ACCEPT
-A ufw-user-input -p tcp -m tcp --dport 443 -j ACCEPT
COMMIT
"""

UFW_CLOSED = (23, 25, 445, 1433, 3306, 3389, 5900, 6379, 8080, 8443, 9200, 2375, 5060, 1723, 111)


class FwLogGen:
    """One host's UFW log: SYNs and UDP probes to closed ports blocked, new
    SSH connections logged as allowed, at a few hundred lines a second."""

    def __init__(self, rng, out):
        self.rng = rng
        self.out = out
        self.clock = Clock()
        self.mac = "%s:%s:08:00" % (mac_str(rng), mac_str(rng))
        self.addr = "203.0.113.10"
        self.sources = []
        for _ in range(20000):
            ip = "%d.%d.%d.%d" % (rng.randrange(1, 224), rng.randrange(256), rng.randrange(256),
                                  rng.randrange(1, 255))
            self.sources.append((ip, rng.choice((64, 128, 255)) - rng.randrange(0, 25)))

    def run(self):
        rng, out = self.rng, self.out
        t = 0
        up0 = 435398 * 1000000
        while not out.full():
            t += rng.randrange(200, 6000)
            src, ttl = self.sources[min(int(rng.paretovariate(1.2)) - 1, len(self.sources) - 1)
                                    if rng.random() < 0.5 else rng.randrange(len(self.sources))]
            up = up0 + t
            head = "%s web-01 kernel: [%d.%06d] " % (self.clock.at(START_EPOCH + t // 1000000),
                                                     up // 1000000, up % 1000000)
            ipid = rng.randrange(65536)
            df = "DF " if rng.random() < 0.6 else ""
            r = rng.random()
            if r < 0.12:  # a new SSH connection, allowed and logged
                body = ("[UFW ALLOW] IN=eth0 OUT= MAC=%s SRC=%s DST=%s LEN=60 TOS=0x00 PREC=0x00 TTL=%d "
                        "ID=%d DF PROTO=TCP SPT=%d DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0 " %
                        (self.mac, src, self.addr, ttl, ipid, rng.randrange(32768, 61000)))
            elif r < 0.75:  # a SYN to a closed port
                body = ("[UFW BLOCK] IN=eth0 OUT= MAC=%s SRC=%s DST=%s LEN=%d TOS=0x00 PREC=0x00 TTL=%d "
                        "ID=%d %sPROTO=TCP SPT=%d DPT=%d WINDOW=%d RES=0x00 SYN URGP=0 " %
                        (self.mac, src, self.addr, rng.choice((40, 44, 52, 60)), ttl, ipid, df,
                         rng.randrange(1024, 65536), rng.choice(UFW_CLOSED) if rng.random() < 0.8
                         else rng.randrange(1, 65536), rng.choice((1024, 14600, 29200, 65535))))
            else:  # a UDP probe
                n = rng.choice((8, 20, 48, 68))
                body = ("[UFW BLOCK] IN=eth0 OUT= MAC=%s SRC=%s DST=%s LEN=%d TOS=0x00 PREC=0x00 TTL=%d "
                        "ID=%d %sPROTO=UDP SPT=%d DPT=%d LEN=%d " %
                        (self.mac, src, self.addr, n + 20, ttl, ipid, df, rng.randrange(1024, 65536),
                         rng.choice((53, 123, 161, 1900, 5060, 11211, 137, 500)), n))
            out.line(head + body)
        out.close()


def kube_services(rng, n):
    out = []
    for i in range(n):
        k = KubeSvc()
        k.name = "%s/svc-%d:%s" % (WORDS[i % len(WORDS)], i, ("http", "https", "grpc", "dns")[i % 4])
        k.proto = "udp" if i % 4 == 3 else "tcp"
        k.port = (80, 443, 9090, 53)[i % 4]
        k.cip = "10.96.%d.%d" % ((i // 250) % 256, 1 + i % 250)
        if i >= 64000:
            k.cip = "10.97.%d.%d" % ((i - 64000) // 250 % 256, 1 + (i - 64000) % 250)
        k.ep = "10.244.%d.%d:%d" % (rng.randrange(256), rng.randrange(1, 255), 8000 + rng.randrange(1000))
        h = hashlib.sha256(k.name.encode()).hexdigest().upper()
        k.svc = "KUBE-SVC-" + h[:16]
        k.sep = "KUBE-SEP-" + h[16:32]
        out.append(k)
    return out


def kube_iptables_save(svcs, f):
    stamp = "Sun Mar  1 00:00:00 2026"
    w = f.write
    w("# Generated by iptables-save v1.8.9 on %s\n*nat\n" % stamp)
    for c in ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"):
        w(":%s ACCEPT [0:0]\n" % c)
    for c in ("KUBE-MARK-MASQ", "KUBE-POSTROUTING", "KUBE-SERVICES"):
        w(":%s - [0:0]\n" % c)
    for k in svcs:
        w(":%s - [0:0]\n:%s - [0:0]\n" % (k.svc, k.sep))
    w('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n'
      '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n'
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING\n'
      '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0xffffffff\n'
      '-A KUBE-POSTROUTING -m mark --mark 0x4000 -j MASQUERADE\n')
    for k in svcs:
        w('-A KUBE-SERVICES -d %s/32 -p %s -m comment --comment "%s cluster IP" -m %s --dport %d -j %s\n'
          % (k.cip, k.proto, k.name, k.proto, k.port, k.svc))
    for k in svcs:
        ip = k.ep.split(":")[0]
        w('-A %s -m comment --comment "%s -> %s" -j %s\n' % (k.svc, k.name, k.ep, k.sep))
        w('-A %s -s %s/32 -m comment --comment "%s" -j KUBE-MARK-MASQ\n' % (k.sep, ip, k.name))
        w('-A %s -p %s -m comment --comment "%s" -m %s -j DNAT --to-destination %s\n'
          % (k.sep, k.proto, k.name, k.proto, k.ep))
    w("COMMIT\n# Completed on %s\n" % stamp)


def kube_iptables_list(svcs, f):
    """The nat table as iptables-legacy 1.8.9 lists it with -n -v: user
    chains sorted by name, protocols as numbers."""
    w = f.write
    head = " pkts bytes target     prot opt in     out     source               destination         \n"

    def row(target, proto, src, dst, extra):
        w("    0     0 %-9s  %-4s --  *      *       %-20s %-20s %s\n" % (target, proto, src, dst, extra))

    chains = {"PREROUTING": [("KUBE-SERVICES", "0", "0.0.0.0/0", "0.0.0.0/0", "/* kubernetes service portals */")],
              "INPUT": [],
              "OUTPUT": [("KUBE-SERVICES", "0", "0.0.0.0/0", "0.0.0.0/0", "/* kubernetes service portals */")],
              "POSTROUTING": [("KUBE-POSTROUTING", "0", "0.0.0.0/0", "0.0.0.0/0", "/* kubernetes postrouting rules */")],
              "KUBE-MARK-MASQ": [("MARK", "0", "0.0.0.0/0", "0.0.0.0/0", "MARK set 0x4000")],
              "KUBE-POSTROUTING": [("MASQUERADE", "0", "0.0.0.0/0", "0.0.0.0/0", "mark match 0x4000")],
              "KUBE-SERVICES": []}
    refs = {"KUBE-MARK-MASQ": len(svcs), "KUBE-POSTROUTING": 1, "KUBE-SERVICES": 2}
    num = {"tcp": "6", "udp": "17"}
    for k in svcs:
        ip = k.ep.split(":")[0]
        chains["KUBE-SERVICES"].append((k.svc, num[k.proto], "0.0.0.0/0", k.cip,
                                        "/* %s cluster IP */ %s dpt:%d" % (k.name, k.proto, k.port)))
        chains[k.svc] = [(k.sep, "0", "0.0.0.0/0", "0.0.0.0/0", "/* %s -> %s */" % (k.name, k.ep))]
        chains[k.sep] = [("KUBE-MARK-MASQ", "0", ip, "0.0.0.0/0", "/* %s */" % k.name),
                         ("DNAT", num[k.proto], "0.0.0.0/0", "0.0.0.0/0", "/* %s */ %s to:%s" % (k.name, k.proto, k.ep))]
        refs[k.svc] = refs[k.sep] = 1
    builtin = ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"]
    for i, c in enumerate(builtin + sorted(c for c in chains if c not in builtin)):
        if i:
            w("\n")
        if c in builtin:
            w("Chain %s (policy ACCEPT 0 packets, 0 bytes)\n" % c)
        else:
            w("Chain %s (%d references)\n" % (c, refs[c]))
        w(head)
        for r in chains[c]:
            row(*r)


HOOKS = (("PREROUTING", "prerouting", "dstnat", -100), ("INPUT", "input", "100", 100),
         ("OUTPUT", "output", "-100", -100), ("POSTROUTING", "postrouting", "srcnat", 100))


def kube_rules(svcs):
    """(chain, text, expr, comment) of every rule, in chain order."""
    def m(proto, field, right):
        return {"match": {"op": "==", "left": {"payload": {"protocol": proto, "field": field}},
                          "right": right}}
    yield ("PREROUTING", "jump KUBE-SERVICES", [{"jump": {"target": "KUBE-SERVICES"}}],
           "kubernetes service portals")
    yield ("OUTPUT", "jump KUBE-SERVICES", [{"jump": {"target": "KUBE-SERVICES"}}],
           "kubernetes service portals")
    yield ("POSTROUTING", "jump KUBE-POSTROUTING", [{"jump": {"target": "KUBE-POSTROUTING"}}],
           "kubernetes postrouting rules")
    yield ("KUBE-MARK-MASQ", "meta mark set 0x00004000",
           [{"mangle": {"key": {"meta": {"key": "mark"}}, "value": 16384}}], None)
    yield ("KUBE-POSTROUTING", "meta mark 0x00004000 masquerade",
           [{"match": {"op": "==", "left": {"meta": {"key": "mark"}}, "right": 16384}},
            {"masquerade": None}], None)
    for k in svcs:
        yield ("KUBE-SERVICES", "ip daddr %s %s dport %d jump %s" % (k.cip, k.proto, k.port, k.svc),
               [m("ip", "daddr", k.cip), m(k.proto, "dport", k.port), {"jump": {"target": k.svc}}],
               k.name + " cluster IP")
    for k in svcs:
        ip, port = k.ep.split(":")
        yield (k.svc, "jump " + k.sep, [{"jump": {"target": k.sep}}], "%s -> %s" % (k.name, k.ep))
        yield (k.sep, "ip saddr %s jump KUBE-MARK-MASQ" % ip,
               [m("ip", "saddr", ip), {"jump": {"target": "KUBE-MARK-MASQ"}}], k.name)
        yield (k.sep, "meta l4proto %s dnat to %s" % (k.proto, k.ep),
               [{"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": k.proto}},
                {"dnat": {"addr": ip, "port": int(port)}}], k.name)


def kube_chains(svcs):
    yield from ("KUBE-MARK-MASQ", "KUBE-POSTROUTING", "KUBE-SERVICES")
    for k in svcs:
        yield k.svc
        yield k.sep


def kube_nft_text(svcs, f):
    """nft -a list ruleset: chains in creation order, each with its rules."""
    w = f.write
    w("table ip nat { # handle 1\n")
    w("\tset cluster-ips { # handle 2\n\t\ttype ipv4_addr\n\t\telements = { ")
    w(",\n\t\t\t     ".join(", ".join(k.cip for k in svcs[i:i + 4]) for i in range(0, len(svcs), 4)))
    w(" }\n\t}\n\n")
    by = {}
    handle = 3
    chains = [h[0] for h in HOOKS] + list(kube_chains(svcs))
    ch = {}
    for c in chains:
        ch[c] = handle
        handle += 1
    for r in kube_rules(svcs):
        by.setdefault(r[0], []).append((handle, r))
        handle += 1
    hooks = {h[0]: h for h in HOOKS}
    for i, c in enumerate(chains):
        if i:
            w("\n")
        w("\tchain %s { # handle %d\n" % (c, ch[c]))
        if c in hooks:
            w("\t\ttype nat hook %s priority %s; policy accept;\n" % (hooks[c][1], hooks[c][2]))
        for h, r in by.get(c, ()):
            w("\t\t%s%s # handle %d\n" % (r[1], ' comment "%s"' % r[3] if r[3] else "", h))
        w("\t}\n")
    w("}\n")


def kube_nft_json(svcs, f):
    """nft -j list ruleset: one line; the table, its sets, chains, then rules."""
    w = f.write
    d = lambda o: json.dumps(o, separators=(", ", ": "))
    w('{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", '
      '"json_schema_version": 1}}, {"table": {"family": "ip", "name": "nat", "handle": 1}}, ')
    w(d({"set": {"family": "ip", "name": "cluster-ips", "table": "nat", "type": "ipv4_addr",
                 "handle": 2, "elem": [k.cip for k in svcs]}}))
    handle = 3
    hooks = {h[0]: h for h in HOOKS}
    for c in [h[0] for h in HOOKS] + list(kube_chains(svcs)):
        o = {"family": "ip", "table": "nat", "name": c, "handle": handle}
        if c in hooks:
            o.update(type="nat", hook=hooks[c][1], prio=hooks[c][3], policy="accept")
        w(", " + d({"chain": o}))
        handle += 1
    for r in kube_rules(svcs):
        o = {"family": "ip", "table": "nat", "chain": r[0], "handle": handle, "expr": r[2]}
        if r[3]:
            o["comment"] = r[3]
        w(", " + d({"rule": o}))
        handle += 1
    w("]}\n")


def kube_ruleset(rng, n, path):
    svcs = kube_services(rng, n)
    d = os.path.dirname(os.path.abspath(path))
    with open(path, "w", buffering=1 << 20) as f:
        kube_iptables_save(svcs, f)
    with open(os.path.join(d, "iptables-L-nat.txt"), "w", buffering=1 << 20) as f:
        kube_iptables_list(svcs, f)
    with open(os.path.join(d, "nft-ruleset.txt"), "w", buffering=1 << 20) as f:
        kube_nft_text(svcs, f)
    with open(os.path.join(d, "nft-ruleset.json"), "w", buffering=1 << 20) as f:
        kube_nft_json(svcs, f)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kind", required=True, choices=("syslog", "nft", "pcap", "ruleset", "fwlog"))
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--size-mb", type=float, help="text output size in MB (10^6 bytes; default 200)")
    g.add_argument("--packets", type=int, help="pcap: number of packets (default 1000000)")
    g.add_argument("--services", type=int, help="ruleset: kube-proxy services (default 40000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hosts", type=int, default=12, help="syslog: nodes writing to the file (default 12)")
    ap.add_argument("--nf-ratio", type=float, default=0.30,
                    help="syslog: share of lines that are netfilter's (default 0.30)")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    d = os.path.dirname(os.path.abspath(a.output))
    os.makedirs(d, exist_ok=True)
    if a.kind == "ruleset":
        kube_ruleset(rng, a.services or 40000, a.output)
        return 0
    if a.services is not None:
        ap.error("--services is for --kind ruleset")
    if a.kind == "pcap":
        if a.size_mb is not None:
            ap.error("--kind pcap takes --packets, not --size-mb")
        PcapGen(rng, a.output, a.packets or 1000000).run()
        return 0
    if a.packets is not None:
        ap.error("--packets is for --kind pcap")
    limit = int((a.size_mb if a.size_mb is not None else 200) * 1000000)
    if a.kind == "syslog":
        if not 0 < a.nf_ratio <= 1:
            ap.error("--nf-ratio is in (0, 1]")
        gen = SyslogGen(rng, Out(a.output, limit), a.nf_ratio, max(1, a.hosts))
        with open(os.path.join(d, "iptables-save.txt"), "w") as f:
            f.write(iptables_save(gen.services))
        gen.run()
    elif a.kind == "fwlog":
        with open(os.path.join(d, "iptables-save.txt"), "w") as f:
            f.write(UFW_SAVE)
        FwLogGen(rng, Out(a.output, limit)).run()
    else:
        gen = NftGen(rng, Out(a.output, limit))
        with open(os.path.join(d, "nft-ruleset.txt"), "w") as f:
            f.write(gen.ruleset())
        gen.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
