#!/usr/bin/env python3
"""bench.py - natlog's benchmark (run through tests/bench/bench.sh).

Generates large inputs with gen.py (cached by kind, size and seed), imports
each into a fresh store, measures wall time, throughput, peak RSS and store
size, runs the baselines on the same files in the same run (lnav, grep -c,
wc -l, tcpdump), measures explain and traces --seq latency on the filled
stores, and prints tables. It reports; it never fails on timing. The exit
status is 0 unless natlog crashed or an import failed outright.
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GEN = os.path.join(HERE, "gen.py")
MB = 1000000.0

TARGETS = {
    "syslog_vs_lnav": 1.0, "syslog_vs_lnav_aim": 0.5, "pcap_vs_tcpdump": 1.0,
    "explain_ms": 5.0, "explain_events": 5000000, "rss_mb": 64.0, "store_ratio": 0.3,
    "filter_ms": 50.0,
}
# events per MB of a syslog of netfilter lines only (gen.py --nf-ratio 1)
NF_EVENTS_PER_MB = 2800
# --busy: a busy node's syslog, nearly every line a TRACE line (95 %)
BUSY_NF_RATIO = 0.96
# what NATLOG_PROFILE=1 makes an import print: "natlog profile: KEY SECONDS s [CALLS]"
PROFILE_RE = re.compile(r"^natlog profile: (\S+) ([0-9.]+) s(?: ([0-9]+))?$")


def log(msg):
    print(msg, flush=True)


# --------------------------------------------------------------------------
# running and measuring

class Runner:
    def __init__(self, time_bin):
        self.time_bin = time_bin  # /usr/bin/time, or None: os.wait4 rusage

    def run(self, cmd, stdout=subprocess.DEVNULL, capture=False, env=None):
        """Runs cmd; returns wall s, user+sys s, peak RSS in MB, rc (negative: signal), stdout."""
        out = subprocess.PIPE if capture else stdout
        if self.time_bin:
            fd, tf = tempfile.mkstemp(prefix="natlog-bench-time.")
            os.close(fd)
            try:
                t0 = time.perf_counter()
                p = subprocess.run([self.time_bin, "-v", "-o", tf] + cmd, stdout=out,
                                   stderr=subprocess.PIPE, env=env)
                wall = time.perf_counter() - t0
                with open(tf) as f:
                    rep = f.read()
            finally:
                os.unlink(tf)
            rss = cpu = 0.0
            rc = p.returncode
            for line in rep.splitlines():
                line = line.strip()
                if line.startswith("Maximum resident set size (kbytes):"):
                    rss = int(line.rsplit(":", 1)[1]) / 1024.0
                elif line.startswith("User time (seconds):") or line.startswith("System time (seconds):"):
                    cpu += float(line.rsplit(":", 1)[1])
                elif line.startswith("Command terminated by signal"):
                    rc = -int(line.rsplit(" ", 1)[1])
                elif line.startswith("Exit status:"):
                    rc = int(line.rsplit(":", 1)[1])
            stdout_text = p.stdout.decode("utf-8", "replace") if capture else None
            return {"wall": wall, "cpu": cpu, "rss_mb": rss, "rc": rc, "stdout": stdout_text,
                    "stderr": p.stderr.decode("utf-8", "replace")}
        # The getrusage fallback: CPU from this child's own rusage (wait4). Its
        # ru_maxrss would include this Python process's size at fork time, so
        # the peak RSS is the child's VmHWM, polled from /proc while it runs.
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
        hwm = [0]
        done = threading.Event()

        def poll():
            path = "/proc/%d/status" % p.pid
            while not done.is_set():
                try:
                    with open(path) as f:
                        for line in f:
                            if line.startswith("VmHWM:"):
                                hwm[0] = max(hwm[0], int(line.split()[1]))
                except (OSError, ValueError):
                    pass
                done.wait(0.005)
        th = threading.Thread(target=poll, daemon=True)
        th.start()
        data = p.stdout.read() if capture else None
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        done.set()
        th.join()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        rss = hwm[0] if hwm[0] else ru.ru_maxrss
        return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": rss / 1024.0,
                "rc": p.returncode, "stdout": data.decode("utf-8", "replace") if capture else None,
                "stderr": err.decode("utf-8", "replace")}


def quick(cmd, **kw):
    """Wall time of one short command (latency lookups), no rusage."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0, p.returncode


def warm(paths):
    """Reads the files once so every tool measured finds them in the page cache."""
    for path in paths:
        if os.path.isdir(path):
            warm(sorted(os.path.join(path, f) for f in os.listdir(path)))
            continue
        with open(path, "rb", buffering=0) as f:
            while f.read(8 << 20):
                pass


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


# --------------------------------------------------------------------------
# inputs

def generate(cache, kind, key, fname, genargs, seed):
    d = os.path.join(cache, "gen", "%s-%s-seed%d" % (kind, key, seed))
    out = os.path.join(d, fname)
    stamp = os.path.join(d, ".complete")
    want = sha256_file(GEN) + " " + " ".join(genargs)
    if os.path.exists(stamp) and open(stamp).read() == want and os.path.exists(out):
        log("  %-7s %-28s cached  %s" % (kind, key, os.path.relpath(out, ROOT)))
        return out
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, GEN, "--kind", kind, "--seed", str(seed), "-o", out] + genargs,
                   check=True)
    with open(stamp, "w") as f:
        f.write(want)
    log("  %-7s %-28s generated in %.1f s  %s (%.1f MB)" % (kind, key, time.perf_counter() - t0,
                                                          os.path.relpath(out, ROOT),
                                                          os.path.getsize(out) / MB))
    return out


def split_log(src, d, names):
    """SRC cut at line boundaries into len(NAMES) files of about equal size
    in D (kept beside it, remade when the source changed): the same lines
    as a log rotated, or a bundle of many small files, would hold them."""
    stamp = d + ".complete"	# beside it: the directory is imported whole
    want = "%s %d %d" % (src, os.path.getsize(src), len(names))
    outs = [os.path.join(d, n) for n in names]
    if os.path.exists(stamp) and open(stamp).read() == want and all(os.path.exists(o) for o in outs):
        return outs
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    per = os.path.getsize(src) / len(names)
    with open(src, "rb") as f:
        for k, o in enumerate(outs):
            with open(o, "wb") as w:
                if k == len(outs) - 1:
                    shutil.copyfileobj(f, w)
                    break
                n = 0
                for line in f:
                    w.write(line)
                    n += len(line)
                    if n >= per:
                        break
    with open(stamp, "w") as f:
        f.write(want)
    return outs


# --------------------------------------------------------------------------
# natlog

def store_files(db):
    return [p for p in (db, db + "-wal", db + "-shm", db + "-journal") if os.path.exists(p)]


def profile_of(stderr):
    """The stage timers an import printed under NATLOG_PROFILE=1: {key: [seconds, calls]}."""
    prof = {}
    for line in stderr.splitlines():
        m = PROFILE_RE.match(line)
        if m:
            prof[m.group(1)] = [float(m.group(2)), int(m.group(3) or 0)]
    return prof


def log_files(name, files):
    """The log files an input is made of: every file but the dump of a split log."""
    if name not in ("busy-rotated", "busy-pieces"):
        return files[:1]
    if os.path.isdir(files[0]):
        return sorted(os.path.join(files[0], f) for f in os.listdir(files[0]) if not f.startswith("."))
    return files[:-1]


def tree_size(path):
    if not os.path.isdir(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(path) for f in fs)


def import_one(R, natlog, work, name, files):
    db = os.path.join(work, name + ".db")
    for p in store_files(db):
        os.unlink(p)
    env = dict(os.environ, NATLOG_PROFILE="1")
    r = R.run([natlog, "--db", db, "import", "-q"] + files, env=env)
    prof = profile_of(r["stderr"])
    err = "\n".join(x for x in r["stderr"].splitlines() if not PROFILE_RE.match(x))
    res = {"name": name, "files": files, "db": db, "wall": r["wall"], "cpu": r["cpu"],
           "rss_mb": r["rss_mb"], "rc": r["rc"], "stderr": err[-2000:], "profile": prof}
    res["input_bytes"] = sum(tree_size(f) for f in files)
    res["store_bytes"] = sum(os.path.getsize(p) for p in store_files(db))
    src = subprocess.run([natlog, "--db", db, "sources", "--json"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    try:
        sources = json.loads(src.stdout or b"[]")
    except ValueError:
        sources = []
    res["sources"] = sources
    main = os.path.abspath(files[0])
    res["main"] = next((s for s in sources if os.path.abspath(s.get("path", "")) == main), None)
    res["events"] = (res["main"] or {}).get("events", 0)  # the log's, not the dump's
    if os.path.isdir(files[0]) or name == "busy-rotated":
        # the pieces' events: every source's but the dump's
        dump = os.path.abspath(files[-1])
        res["events"] = sum(s.get("events", 0) for s in sources if os.path.abspath(s.get("path", "")) != dump)
    res["errors"] = sum(s.get("errors", 0) for s in sources)
    return res


def trace_list(natlog, db):
    t0 = time.perf_counter()
    p = subprocess.run([natlog, "--db", db, "traces", "--json"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    try:
        return json.loads(p.stdout or b"[]"), wall
    except ValueError:
        return [], wall


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * (len(xs) - 1) + 0.5))]


def latency(natlog, db, packets, n, seed):
    rng = random.Random(seed)
    res = {}
    if not packets or n <= 0:
        return res
    ids = [p["trace"] for p in packets]
    sample = [ids[rng.randrange(len(ids))] for _ in range(n)]
    ts, fl, bad = [], [], 0
    for tid in sample:
        dt, rc = quick([natlog, "--db", db, "explain", "--trace", tid, "--json"])
        ts.append(dt * 1000)
        bad += rc != 0
        # the process floor, paired with each lookup so that both see the same load
        fl.append(quick([natlog, "--version"])[0] * 1000)
    res["floor_ms"] = statistics.median(fl)
    res["explain"] = {"n": n, "median": statistics.median(ts), "p90": pct(ts, 0.9), "max": max(ts),
                      "failed": bad}
    seqs = [p["tcp_seq"] for p in packets if p.get("tcp_seq") is not None]
    if seqs:
        ts, bad = [], 0
        for _ in range(n):
            dt, rc = quick([natlog, "--db", db, "traces", "--seq", str(seqs[rng.randrange(len(seqs))]),
                            "--json"])
            ts.append(dt * 1000)
            bad += rc != 0
        res["traces_seq"] = {"n": n, "median": statistics.median(ts), "p90": pct(ts, 0.9),
                             "max": max(ts), "failed": bad}
    # --rule of a chain some packet was decided in, at a position none has:
    # a filter that keeps nothing, so the time is the filter's, not printing
    chains = sorted({(d.get("family") or "", d["table"], d["chain"]) for d in
                     (p.get("decided_by") for p in packets) if d and d.get("table") and d.get("chain")})
    if chains:
        ts, bad = [], 0
        for _ in range(n):
            fam, tbl, ch = chains[rng.randrange(len(chains))]
            rule = ("%s:" % fam if fam else "") + "%s:%s:rule:999999" % (tbl, ch)
            dt, rc = quick([natlog, "--db", db, "traces", "--rule", rule, "--json"])
            ts.append(dt * 1000)
            bad += rc not in (0, 1)
        res["traces_rule"] = {"n": n, "median": statistics.median(ts), "p90": pct(ts, 0.9),
                              "max": max(ts), "failed": bad}
    return res


# --------------------------------------------------------------------------
# baselines

def lnav_table(R, lnav, path):
    """The lnav format of the file: busybox's "kern.warn" envelope is read as unifi_log."""
    head = tempfile.NamedTemporaryFile("wb", suffix=".log", delete=False)
    with open(path, "rb") as f:
        for _ in range(2000):
            line = f.readline()
            if not line:
                break
            head.write(line)
    head.close()
    try:
        p = subprocess.run([lnav, "-n", "-c", ";SELECT format FROM lnav_file", head.name],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120)
        words = p.stdout.decode().split()
        fmt = words[1] if len(words) > 1 and words[0] == "format" else None
    except (subprocess.SubprocessError, OSError):
        fmt = None
    finally:
        os.unlink(head.name)
    return fmt


def baseline(R, label, cmd, nbytes, capture=True, last=False):
    """One baseline run; result: the count it printed (wc's first word, lnav's last)."""
    r = R.run(cmd, capture=capture)
    out = (r["stdout"] or "").split()
    res = (out[-1] if last else out[0]) if out else "-"
    return {"label": label, "cmd": " ".join(cmd), "wall": r["wall"], "cpu": r["cpu"], "rss_mb": r["rss_mb"],
            "rc": r["rc"], "result": res, "mbps": nbytes / MB / r["wall"]}


def skipped(label, why):
    return {"label": label, "skip": why}


# --------------------------------------------------------------------------
# output

def table(headers, rows, right=None):
    w = [len(h) for h in headers]
    srows = [[("" if c is None else str(c)) for c in r] for r in rows]
    for r in srows:
        for i, c in enumerate(r):
            w[i] = max(w[i], len(c))
    right = right if right is not None else set(range(1, len(headers)))

    def fmt(r):
        return "  ".join((c.rjust(w[i]) if i in right else c.ljust(w[i])) for i, c in enumerate(r)).rstrip()
    log(fmt(headers))
    for r in srows:
        log(fmt(r))


def f1(x):
    return "%.1f" % x


def f2(x):
    return "%.2f" % x


def ratio(a, b):
    return "%.2fx" % (a / b) if a is not None and b else "-"


def profile_table(imports):
    """Where each import's time went, from the stage timers (NATLOG_PROFILE=1)."""
    rows = []
    for name, imp in imports.items():
        p = imp.get("profile") or {}
        if not p or imp.get("unsupported"):
            continue

        def s(key):
            return p.get(key, [0.0, 0])[0]

        def us_each(key):
            sec, n = p.get(key, [0.0, 0])
            return "%.2f" % (sec * 1e6 / n) if n else "-"
        rows.append([name, f2(s("total.wall")), f2(s("total.cpu")), f2(s("parse.wall")), f2(s("parse.cpu")),
                     f2(s("parse.wait_store")), f2(s("store.cpu")), f2(s("store.event_insert")),
                     us_each("store.event_insert"), f2(s("store.packet_insert")), us_each("store.packet_insert"),
                     f2(s("store.analyse_logged")), f2(s("store.commit")), f2(s("store.index")), f2(s("analyse.wall")), f2(s("analyse.read_events")),
                     f2(s("analyse.cpu"))])
    if not rows:
        return
    log("")
    log("== where the import's time goes (NATLOG_PROFILE=1; seconds, us per call) ==")
    table(["input", "wall", "cpu", "parse wall", "parse cpu", "parse waits", "store cpu", "event ins",
           "us/event", "packet ins", "us/packet", "logged", "commit", "index", "analyse wall", "read events", "analyse cpu"],
          rows)
    log("parse: the thread that reads, hashes, splits and parses (waits: for the store thread, queue full);"
        " store: the thread that correlates and inserts (logged: packets only logged, analysed before their rows are written;"
        " index: a capture's frames indexed after them); analyse: after the import, two threads,"
        " one in a new store's first import as here (read events and cpu summed over the threads)")


def main(argv):
    ap = argparse.ArgumentParser(description="natlog benchmark")
    ap.add_argument("--size-mb", type=float, default=200, help="syslog input size (default 200)")
    ap.add_argument("--nft-mb", type=float, help="nft trace input size (default: a quarter of --size-mb)")
    ap.add_argument("--pcap-packets", type=int, default=1000000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lookups", type=int, default=200, help="explain and traces --seq lookups per store")
    ap.add_argument("--keep", metavar="DIR", help="keep the stores and results in DIR")
    ap.add_argument("--cache", default=os.path.join(ROOT, "build-bench"))
    ap.add_argument("--natlog", default=os.environ.get("NATLOG", os.path.join(ROOT, "natlog")))
    ap.add_argument("--time", dest="time_bin", default="/usr/bin/time")
    ap.add_argument("--ruleset-services", type=int, default=40000,
                    help="kube-proxy services of the ruleset dumps (default 40000: 160 k rules)")
    ap.add_argument("--only", help="comma-separated subset of syslog,busy,fwlog,nft,pcap,ruleset")
    ap.add_argument("--busy", action="store_true",
                    help="also import a busy node's syslog of --size-mb, nearly every line a TRACE line")
    ap.add_argument("--explain-events", type=int, metavar="N",
                    help="also fill a store of about N events (a syslog of netfilter lines only) "
                         "and time the queries on it")
    a = ap.parse_args(argv)

    natlog = os.path.abspath(a.natlog)
    if not os.access(natlog, os.X_OK):
        log("bench: %s is not an executable natlog (make, or NATLOG=...)" % natlog)
        return 2
    os.makedirs(a.cache, exist_ok=True)
    time_bin = a.time_bin if a.time_bin and os.access(a.time_bin, os.X_OK) else None
    R = Runner(time_bin)
    only = set((a.only or "syslog,fwlog,nft,pcap,ruleset").split(","))
    if a.busy:
        only.add("busy")
    size = a.size_mb
    nft_mb = a.nft_mb if a.nft_mb else max(1.0, size / 4)
    small = max(1.0, size / 10)
    lnav = shutil.which("lnav")
    tcpdump = shutil.which("tcpdump")
    grep = shutil.which("grep")
    wc = shutil.which("wc")
    version = subprocess.run([natlog, "--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT).stdout.decode().strip()
    if a.keep:
        work = os.path.abspath(a.keep)
        os.makedirs(work, exist_ok=True)
    else:
        work = tempfile.mkdtemp(prefix="natlog-bench.", dir=a.cache if os.path.isdir(a.cache) else None)

    # a copy of the binary, so that a rebuild during the run does not change what is measured
    snap = os.path.join(work, "natlog")
    shutil.copy2(natlog, snap)
    natlog = snap
    load0 = os.getloadavg()
    log("natlog bench: %s, %d CPUs, rusage from %s, load average %.2f at start" % (
        version, os.cpu_count() or 0, time_bin + " -v" if time_bin else "wait4() and /proc VmHWM", load0[0]))
    log("inputs (seed %d; cache %s):" % (a.seed, os.path.relpath(a.cache, ROOT)))
    os.makedirs(a.cache, exist_ok=True)
    gi = os.path.join(a.cache, ".gitignore")
    if not os.path.exists(gi):
        with open(gi, "w") as f:
            f.write("# generated by tests/bench: nothing here is source\n*\n")
    inputs = {}
    if "syslog" in only:
        for label, mb in (("syslog", size), ("syslog-small", small)):
            key = "%gmb" % mb
            p = generate(a.cache, "syslog", key, "messages", ["--size-mb", "%g" % mb], a.seed)
            inputs[label] = [p, os.path.join(os.path.dirname(p), "iptables-save.txt")]
    if "busy" in only:
        p = generate(a.cache, "syslog", "busy-%gmb" % size, "messages",
                     ["--size-mb", "%g" % size, "--nf-ratio", "%g" % BUSY_NF_RATIO], a.seed)
        inputs["syslog-busy"] = [p, os.path.join(os.path.dirname(p), "iptables-save.txt")]
        # the same lines in ten rotated files (messages.9 the oldest), and
        # in pieces of 512 KB as a bundle of small files holds them
        d = os.path.dirname(p)
        rot = split_log(p, os.path.join(d, "rotated"), ["messages.%d" % k for k in range(9, 0, -1)] + ["messages"])
        inputs["busy-rotated"] = rot + [os.path.join(d, "iptables-save.txt")]
        n = max(2, int(round(os.path.getsize(p) / (512 * 1024))))
        split_log(p, os.path.join(d, "pieces"), ["part%05d.log" % k for k in range(n)])
        inputs["busy-pieces"] = [os.path.join(d, "pieces"), os.path.join(d, "iptables-save.txt")]
    if "fwlog" in only:
        # a firewall's log of LOG lines alone (UFW's), each line its own packet
        p = generate(a.cache, "fwlog", "%gmb" % nft_mb, "ufw.log", ["--size-mb", "%g" % nft_mb], a.seed)
        inputs["ufw-log"] = [p, os.path.join(os.path.dirname(p), "iptables-save.txt")]
    if "nft" in only:
        p = generate(a.cache, "nft", "%gmb" % nft_mb, "nft-monitor-trace.txt", ["--size-mb", "%g" % nft_mb],
                     a.seed)
        inputs["nft"] = [p, os.path.join(os.path.dirname(p), "nft-ruleset.txt")]
    if "pcap" in only:
        p = generate(a.cache, "pcap", "%dp" % a.pcap_packets, "capture.pcap",
                     ["--packets", str(a.pcap_packets)], a.seed)
        inputs["pcap"] = [p]

    if "ruleset" in only:
        # one kube-proxy ruleset as iptables-save, its nat table as
        # iptables -L -n -v lists it, nft text and nft JSON
        p = generate(a.cache, "ruleset", "%ds" % a.ruleset_services, "iptables-save.txt",
                     ["--services", str(a.ruleset_services)], a.seed)
        d = os.path.dirname(p)
        inputs["ruleset-ipt"] = [p]
        inputs["ruleset-list"] = [os.path.join(d, "iptables-L-nat.txt")]
        inputs["ruleset-nft"] = [os.path.join(d, "nft-ruleset.txt")]
        inputs["ruleset-json"] = [os.path.join(d, "nft-ruleset.json")]

    if a.explain_events:
        # a syslog of netfilter lines only gives about 2800 events per MB
        mb = max(1.0, round(a.explain_events / NF_EVENTS_PER_MB))
        p = generate(a.cache, "syslog", "nf-%gmb" % mb, "messages", ["--size-mb", "%g" % mb, "--nf-ratio", "1"],
                     a.seed)
        inputs["syslog-big"] = [p, os.path.join(os.path.dirname(p), "iptables-save.txt")]

    results = {"version": version, "cpus": os.cpu_count(), "seed": a.seed, "size_mb": size,
               "imports": {}, "baselines": {}, "latency": {}, "notes": []}
    failed = []

    for name, files in inputs.items():
        log("")
        logs = log_files(name, files)
        nbytes = sum(os.path.getsize(f) for f in logs)
        log("%s: %s (%.1f MB%s)" % (name, os.path.relpath(files[0], ROOT), nbytes / MB,
                                    ", %d files" % len(logs) if len(logs) > 1 else ""))
        warm(files)
        imp = import_one(R, natlog, work, name, files)
        results["imports"][name] = imp
        rc = imp["rc"]
        if rc < 0:
            failed.append("%s: natlog import was killed by signal %d" % (name, -rc))
        elif rc not in (0, 3):
            failed.append("%s: natlog import exited %d: %s" % (name, rc, imp["stderr"].strip()[-300:]))
        m = imp["main"] or {}
        if name == "pcap" and (not m or m.get("kind") in ("kernel-log", None) or not m.get("events")):
            imp["unsupported"] = "imported as %s, %d events" % (m.get("kind"), m.get("events", 0))
            log("  natlog import: not supported yet (%s)" % imp["unsupported"])
        else:
            log("  natlog import: %.2f s, %d events, %d errors, peak RSS %.1f MB, store %.1f MB (rc %d)"
                % (imp["wall"], imp["events"], imp["errors"], imp["rss_mb"], imp["store_bytes"] / MB, rc))
        bl = []
        if name in ("busy-rotated", "busy-pieces"):
            one = results["imports"].get("syslog-busy")
            if one and one["rc"] in (0, 3):
                bl.append({"label": "natlog, one file", "cmd": "the syslog-busy import above",
                           "wall": one["wall"], "cpu": one["cpu"], "rss_mb": one["rss_mb"], "rc": 0,
                           "result": "%d events" % one["events"], "mbps": nbytes / MB / one["wall"]})
            if lnav:
                fmt = lnav_table(R, lnav, logs[0]) or "syslog_log"
                bl.append(baseline(R, "lnav count", [lnav, "-n", "-c", ";SELECT count(*) FROM %s" % fmt] + logs,
                                   nbytes, last=True))
            else:
                bl.append(skipped("lnav count", "lnav is not installed (apt-get install lnav)"))
        elif name.startswith("syslog"):
            if name in ("syslog", "syslog-busy"):
                if lnav:
                    fmt = lnav_table(R, lnav, files[0]) or "syslog_log"
                    q = ";SELECT count(*) FROM %s" % fmt
                    if fmt != "syslog_log" and name == "syslog":
                        note = ("lnav reads busybox syslog ('HOST kern.warn kernel:') as %s, not syslog_log: "
                                "counted with '%s'" % (fmt, q))
                        results["notes"].append(note)
                    bl.append(baseline(R, "lnav count", [lnav, "-n", "-c", q, files[0]], nbytes, last=True))
                else:
                    bl.append(skipped("lnav count", "lnav is not installed (apt-get install lnav)"))
            bl.append(baseline(R, "grep -c TRACE:", [grep, "-c", "TRACE:", files[0]], nbytes))
            bl.append(baseline(R, "wc -l", [wc, "-l", files[0]], nbytes))
        elif name == "ufw-log":
            if lnav:
                fmt = lnav_table(R, lnav, files[0]) or "syslog_log"
                bl.append(baseline(R, "lnav count", [lnav, "-n", "-c", ";SELECT count(*) FROM %s" % fmt,
                                                     files[0]], nbytes, last=True))
            else:
                bl.append(skipped("lnav count", "lnav is not installed (apt-get install lnav)"))
            bl.append(baseline(R, "grep -c 'IN='", [grep, "-c", "IN=", files[0]], nbytes))
            bl.append(baseline(R, "wc -l", [wc, "-l", files[0]], nbytes))
        elif name == "nft":
            bl.append(baseline(R, "grep -c 'trace id'", [grep, "-c", "trace id", files[0]], nbytes))
            bl.append(baseline(R, "wc -l", [wc, "-l", files[0]], nbytes))
        elif name.startswith("ruleset"):
            bl.append(baseline(R, "wc -l", [wc, "-l", files[0]], nbytes))
        elif name == "pcap":
            if tcpdump:
                bl.append(baseline(R, "tcpdump -nn -r", [tcpdump, "-nn", "-r", files[0]], nbytes, capture=False))
            else:
                bl.append(skipped("tcpdump -nn -r", "tcpdump is not installed (apt-get install tcpdump)"))
            bl.append(baseline(R, "wc -c", [wc, "-c", files[0]], nbytes))
        for b in bl:
            if "skip" in b:
                log("  baseline %-20s skipped: %s" % (b["label"], b["skip"]))
            else:
                log("  baseline %-20s %.2f s, peak RSS %.1f MB -> %s" % (b["label"], b["wall"], b["rss_mb"],
                                                                      b["result"]))
        results["baselines"][name] = bl
        if name in ("syslog", "syslog-busy", "syslog-small", "syslog-big", "nft", "ufw-log") and rc >= 0 and \
                rc in (0, 3):
            packets, lw = trace_list(natlog, imp["db"])
            imp["packets"] = len(packets)
            imp["traces_all_s"] = lw
            # the whole-store commands a user runs first, once each
            for cmd in ("summary", "flows"):
                dt, rc = quick([natlog, "--db", imp["db"], cmd, "--json"])
                imp[cmd + "_s"] = dt if rc in (0, 1) else None
            lat = latency(natlog, imp["db"], packets, a.lookups, a.seed)
            results["latency"][name] = lat
            if lat:
                seq = lat.get("traces_seq")
                log("  explain median %.2f ms, traces --seq median %s (%d packets; full "
                    "'traces --json' %.2f s)" % (lat["explain"]["median"],
                                                 "%.2f ms" % seq["median"] if seq else "- (no TCP SEQ in this input)",
                                                 len(packets), lw))
            del packets

    # ---------------------------------------------------------------- tables
    log("")
    log("== natlog import (each into a fresh store; files in the page cache) ==")
    rows = []
    prim = {"syslog": "lnav count", "syslog-busy": "lnav count", "ufw-log": "lnav count",
            "syslog-small": "grep -c TRACE:",
            "syslog-big": "grep -c TRACE:",
            "nft": "grep -c 'trace id'",
            "pcap": "tcpdump -nn -r", "ruleset-ipt": "wc -l", "ruleset-list": "wc -l", "ruleset-nft": "wc -l",
            "ruleset-json": "wc -l", "busy-rotated": "natlog, one file", "busy-pieces": "natlog, one file"}
    for name, imp in results["imports"].items():
        size_mb = sum(os.path.getsize(f) for f in log_files(name, imp["files"])) / MB
        b = next((x for x in results["baselines"].get(name, []) if x["label"] == prim[name] and "skip" not in x),
                 None)
        if b is None:
            b = next((x for x in results["baselines"].get(name, []) if "skip" not in x), None)
        if imp.get("unsupported"):
            rows.append([name, f1(size_mb), "not supported yet", "", "", "", "", "", "",
                         b["label"] if b else "-", f2(b["wall"]) if b else "-", "-"])
            continue
        rows.append([name, f1(size_mb), f2(imp["wall"]), f2(imp["cpu"]), f1(imp["input_bytes"] / MB / imp["wall"]),
                     "%d" % imp["events"], "%.0f" % (imp["events"] / imp["wall"]), f1(imp["rss_mb"]),
                     f2(imp["store_bytes"] / imp["input_bytes"]), b["label"] if b else "-",
                     f2(b["wall"]) if b else "-", ratio(imp["wall"], b["wall"] if b else None)])
    table(["input", "size MB", "wall s", "cpu s", "MB/s", "events", "events/s", "peak RSS MB", "store/input",
           "baseline", "baseline s", "ratio"], rows, right={1, 2, 3, 4, 5, 6, 7, 8, 10, 11})

    log("")
    log("== baselines on the same files, same run (ratio: natlog / baseline) ==")
    rows = []
    for name, bl in results["baselines"].items():
        imp = results["imports"][name]
        ok = not imp.get("unsupported")
        for b in bl:
            if "skip" in b:
                rows.append([name, b["label"], "skipped: " + b["skip"], "", "", "", "", "", ""])
                continue
            rows.append([name, b["label"], f2(b["wall"]), f2(b["cpu"]), f1(b["mbps"]), f1(b["rss_mb"]),
                         b["result"], ratio(imp["wall"], b["wall"]) if ok else "-",
                         ratio(imp["rss_mb"], b["rss_mb"]) if ok else "-"])
    table(["input", "baseline", "wall s", "cpu s", "MB/s", "peak RSS MB", "count", "wall ratio", "RSS ratio"],
          rows, right={2, 3, 4, 5, 6, 7, 8})

    log("")
    log("== queries on the filled store (each a natlog process; median of %d random lookups) ==" % a.lookups)
    rows = []
    for name, lat in results["latency"].items():
        imp = results["imports"][name]
        for q, label in (("explain", "explain --trace ID --json"), ("traces_seq", "traces --seq N --json"),
                         ("traces_rule", "traces --rule R --json (keeps none)")):
            if q in lat:
                x = lat[q]
                rows.append([name, "%d" % imp["events"], "%d" % imp.get("packets", 0), label, f2(x["median"]),
                             f2(x["median"] - lat["floor_ms"]), f2(x["p90"]), f2(x["max"]),
                             "%d" % x["failed"]])
        rows.append([name, "%d" % imp["events"], "%d" % imp.get("packets", 0), "traces --json (all, once)",
                     f2(imp["traces_all_s"] * 1000), "", "", "", ""])
        for cmd in ("summary", "flows"):
            if imp.get(cmd + "_s") is not None:
                rows.append([name, "%d" % imp["events"], "%d" % imp.get("packets", 0),
                             "%s --json (whole store, once)" % cmd, f2(imp[cmd + "_s"] * 1000), "", "", "", ""])
        if "floor_ms" in lat:
            rows.append([name, "", "", "natlog --version (process floor)", f2(lat["floor_ms"]), "", "", "", ""])
    table(["store", "events", "packets", "query", "median ms", "- floor", "p90 ms", "max ms", "failed"], rows,
          right={1, 2, 4, 5, 6, 7, 8})

    profile_table(results["imports"])

    # ------------------------------------------------------------- targets
    log("")
    log("== targets (informational: the bench never fails on timing) ==")
    rows = []
    imps = results["imports"]

    def verdict(ok):
        return "met" if ok else "MISSED"
    for name in ("syslog", "syslog-busy", "ufw-log"):
        sy = imps.get(name)
        if not sy and name != "syslog":
            continue
        ln = next((b for b in results["baselines"].get(name, []) if b["label"] == "lnav count" and "skip" not in b),
                  None)
        label = "%s import <= 1.0x lnav count (aim 0.5x)" % name
        if sy and ln:
            r = sy["wall"] / ln["wall"]
            rows.append([label, "%.2fx" % r,
                         verdict(r <= TARGETS["syslog_vs_lnav"]) + (" (aim met)" if r <= 0.5 else "")])
        else:
            rows.append([label, "-", "n/a (no lnav)"])
    pc = imps.get("pcap")
    td = next((b for b in results["baselines"].get("pcap", []) if b["label"] == "tcpdump -nn -r" and "skip" not in b),
              None)
    if pc and td and not pc.get("unsupported"):
        r = pc["wall"] / td["wall"]
        rows.append(["pcap import <= 1.0x tcpdump -nn -r", "%.2fx" % r, verdict(r <= TARGETS["pcap_vs_tcpdump"])])
    else:
        rows.append(["pcap import <= 1.0x tcpdump -nn -r", "-",
                     "n/a (natlog does not import pcap yet)" if pc else "n/a"])
    for name, lat in results["latency"].items():
        if "explain" in lat and name != "syslog-small":
            ev = imps[name]["events"]
            note = "" if ev >= TARGETS["explain_events"] else " (store has %.2f M events, target is at 5 M)" % (ev / 1e6)
            rows.append(["explain median <= 5 ms (%s store)" % name, "%.2f ms" % lat["explain"]["median"],
                         verdict(lat["explain"]["median"] <= TARGETS["explain_ms"]) + note])
        for q, what in (("traces_seq", "--seq"), ("traces_rule", "--rule")):
            if q in lat and name != "syslog-small":
                rows.append(["traces %s median <= 50 ms (%s store)" % (what, name), "%.2f ms" % lat[q]["median"],
                             verdict(lat[q]["median"] <= TARGETS["filter_ms"])])
    for name in ("ruleset-ipt", "ruleset-list", "ruleset-nft", "ruleset-json"):
        if name in imps:
            rs = imps[name]
            rate = rs["events"] / rs["wall"] if rs["wall"] else 0
            rows.append(["%s import >= 100 k rules/s" % name, "%.0f k/s (%.2f s, cpu %.2f s)" % (
                rate / 1000, rs["wall"], rs["cpu"]), verdict(rate >= 100000)])
    rss = [(n, i["rss_mb"]) for n, i in imps.items() if not i.get("unsupported")]
    if rss:
        n, mx = max(rss, key=lambda x: x[1])
        rows.append(["peak RSS <= 64 MB, any input", "%.1f MB (%s)" % (mx, n), verdict(mx <= TARGETS["rss_mb"])])
    if "syslog" in imps and "syslog-small" in imps:
        s, b = imps["syslog-small"], imps["syslog"]
        rows.append(["  RSS growth %.0f MB -> %.0f MB syslog" % (s["input_bytes"] / MB, b["input_bytes"] / MB),
                     "%.1f -> %.1f MB" % (s["rss_mb"], b["rss_mb"]),
                     "flat" if b["rss_mb"] <= s["rss_mb"] * 1.25 + 2 else "grows with input"])
    for n, i in imps.items():
        # the store target is for logs; a dump's rules are indexed for lookups
        if i.get("unsupported") or n == "syslog-small" or n.startswith("ruleset"):
            continue
        r = i["store_bytes"] / i["input_bytes"]
        rows.append(["store <= %.1fx input (%s)" % (TARGETS["store_ratio"], n), "%.2fx" % r, verdict(r <= TARGETS["store_ratio"])])
    table(["target", "measured", "status"], rows, right=set())

    load1 = os.getloadavg()
    results["load"] = [load0[0], load1[0]]
    if max(load0[0], load1[0]) > 0.5:
        results["notes"].append("the machine was not idle (load average %.2f at start, %.2f at end, %d CPUs): "
                                "other work competed with the measurements" % (load0[0], load1[0],
                                                                               os.cpu_count() or 0))
    for note in results["notes"]:
        log("note: " + note)
    for n, i in imps.items():
        if i["errors"]:
            log("note: %s: natlog recorded %d input errors (natlog --db %s errors)" % (n, i["errors"], i["db"]))
    for f in failed:
        log("FAILED: " + f)

    results["failed"] = failed
    res_dir = work if a.keep else a.cache
    rp = os.path.join(res_dir, "results-%gmb-seed%d.json" % (size, a.seed))
    for imp in results["imports"].values():
        imp.pop("sources", None)
    with open(rp, "w") as f:
        json.dump(results, f, indent=1, default=str)
    log("results: %s" % os.path.relpath(rp, ROOT))
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        log("stores kept in %s" % work)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
