#!/usr/bin/env python3
"""check.py - compares natlog's answers with what the lab recorded.

For every scenario directory (testdata/lab/<scenario>/ or a live
recording), imports the recorded logs and dumps into fresh stores and,
for every connection attempt in expected.tsv, checks the verdict and the
rule that decided the attempt's first packet. Each kernel log container
(dmesg, dmesg -T, syslog) is checked on its own. Prints "ok - ..." /
"not ok - ..." / "SKIP: ..." lines; exits 1 on any failure.

usage: check.py NATLOG DIR...
"""
import json
import os
import subprocess
import sys
import tempfile

NATLOG = sys.argv[1]
failed = False


def say(ok, msg):
    global failed
    print(("ok - " if ok else "not ok - ") + msg)
    if not ok:
        failed = True


def natlog(db, *args):
    env = dict(os.environ, NATLOG_DB=db, NO_COLOR="1")
    return subprocess.run([NATLOG, *args], env=env, capture_output=True, text=True)


def load_rows(path):
    rows = []
    header = None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                header = line.lstrip("# ").split("\t")
                continue
            if line.strip():
                rows.append(dict(zip(header, line.split("\t"))))
    return rows


def row_source(scen, row):
    if row.get("source") not in (None, "", "-"):
        return row["source"]
    if os.path.exists(os.path.join(scen, "xtables-monitor-trace.txt")):
        return "xtables-trace"
    if row.get("handle", "-") != "-" or row["chain"] in ("forward", "input", "output",
                                                         "prerouting", "postrouting",
                                                         "allowed_dnats"):
        return "nft-trace"
    return "iptables-trace"


def import_files(db, files):
    r = natlog(db, "import", "-q", *files)
    return r.returncode in (0, 3), r


def candidates(db, row, source):
    """Packets of this attempt, in the order they were logged."""
    r = natlog(db, "traces", "--json", "--src", row["src"])
    if r.returncode not in (0, 1):
        return None
    out = []
    for p in json.loads(r.stdout or "[]"):
        if p["source"] != source or p["proto"] != row["proto"]:
            continue
        if p["dst"] != row["dst"]:
            continue
        if row["proto"] in ("icmp", "icmpv6"):
            if row["sport"] != "-" and str(p.get("icmp_id")) != row["sport"]:
                continue
        else:
            if str(p["sport"]) != row["sport"]:
                continue
            if row["dport"] != "-" and str(p["dport"]) != row["dport"]:
                continue
        if row.get("ip_id", "-") not in ("-", "") and str(p["ip_id"]) != row["ip_id"]:
            continue
        out.append(p)
    return out


def compare(label, row, p):
    d = p.get("decided_by") or {}
    want = (row["verdict"], row["table"], row["chain"], row["type"], int(row["position"]))
    got = (p["verdict"], d.get("table"), d.get("chain"), d.get("type"), d.get("position"))
    ok = want == got
    if ok and row.get("handle", "-") != "-":
        ok = d.get("handle") == int(row["handle"])
        got = got + (d.get("handle"),)
    if ok and row["verdict"] != "unknown":
        ok = d.get("rule") is not None
        if not ok:
            got = got + ("rule text missing",)
    say(ok, "%s %s: %s by %s:%s:%s:%s%s" % (
        label, row["attempt"], row["verdict"], row["table"], row["chain"], row["type"],
        row["position"], "" if ok else "  (natlog: %s)" % (got,)))


def check_rows(label, db, rows):
    used = set()
    for row in rows:
        c = [p for p in candidates(db, row, row["_source"]) or [] if p["trace"] not in used]
        if not c:
            say(False, "%s %s: no traced packet %s %s:%s -> %s:%s" % (
                label, row["attempt"], row["proto"], row["src"], row["sport"], row["dst"],
                row["dport"]))
            continue
        # same tuple, several attempts (crafted packets): take them in order
        used.add(c[0]["trace"])
        compare(label, row, c[0])


def kinds(db):
    r = natlog(db, "sources", "--json")
    return {os.path.basename(s["path"]): s["kind"] for s in json.loads(r.stdout or "[]")}


def check_scenario(scen, tmp):
    name = os.path.basename(scen.rstrip("/"))
    rows = load_rows(os.path.join(scen, "expected.tsv"))
    for row in rows:
        row["_source"] = row_source(scen, row)
    f = lambda n: os.path.join(scen, n)
    have = lambda n: os.path.exists(f(n))

    legacy = [r for r in rows if r["_source"] == "iptables-trace"]
    if legacy:
        dumps = [f(n) for n in ("iptables-save.txt", "ip6tables-save.txt") if have(n)]
        # a host dumped before and after a change: each packet finds its own
        dumps = dumps or [f(n) for n in ("iptables-save.before.txt", "iptables-save.after.txt")
                          if have(n)]
        # counted dumps taken between the traffic: a dump's counters are
        # checked against the packets traced before it, which takes a
        # wall clock (dmesg -T, syslog); t-dumps checks dmesg without one
        counted = [f(n) for n in ("iptables-save-c.before.txt", "iptables-save-c.after.txt")
                   if have(n)]
        dumps = dumps or counted
        for log in ("dmesg.txt", "dmesg-T.txt", "messages"):
            if not have(log) or (counted and log == "dmesg.txt"):
                continue
            db = os.path.join(tmp, "%s-%s.db" % (name, log))
            ok, r = import_files(db, [f(log)] + dumps)
            say(ok and r.returncode == 0, "%s/%s imports without errors" % (name, log))
            check_rows("%s/%s" % (name, log), db, legacy)
        for stale in ("iptables-save.stale.txt", "iptables-save.later.txt",
                      "iptables-save-c.later.txt"):
            if have(stale) and have("dmesg.txt"):
                check_stale(name, f, tmp, legacy, stale)

    nft = [r for r in rows if r["_source"] == "nft-trace"]
    if nft:
        trace = next((f(n) for n in ("nft-monitor-trace-a.txt", "nft-monitor-trace.txt",
                                      "nft-monitor.txt") if have(n)), None)
        dump = next((f(n) for n in ("nft-ruleset.txt", "nft-ruleset.json") if have(n)), None)
        more = [f(n) for n in ("nft-ruleset.before.txt", "nft-ruleset.after.txt")
                if have(n) and not dump]
        dump = dump or (more[0] if more else None)
        db = os.path.join(tmp, "%s-nft.db" % name)
        import_files(db, [trace] + more + ([dump] if dump and not more else []))
        if dump and kinds(db).get(os.path.basename(dump)) not in ("nft-ruleset", "nft-json"):
            print("SKIP: %s: nft ruleset dumps are not read yet, so rule positions cannot be "
                  "checked (%d attempts)" % (name, len(nft)))
        else:
            check_rows("%s/nft" % name, db, nft)

    xt = [r for r in rows if r["_source"] == "xtables-trace"]
    if xt:
        db = os.path.join(tmp, "%s-xt.db" % name)
        import_files(db, [f("xtables-monitor-trace.txt"), f("nft-ruleset.txt")])
        r = natlog(db, "traces", "--json")
        if not any(p["source"] == "xtables-trace" for p in json.loads(r.stdout or "[]")):
            print("SKIP: %s: xtables-monitor --trace output is not read yet (%d attempts)"
                  % (name, len(xt)))
        else:
            check_rows("%s/xtables" % name, db, xt)


def check_stale(name, f, tmp, rows, stale):
    """A dump saved before or after the ruleset changed must be reported,
    never used: no step past the change is explained with its rules, and
    the change is found where one shift explains it."""
    label = "%s/%s" % (name, stale)
    db = os.path.join(tmp, "%s-%s.db" % (name, stale))
    import_files(db, [f("dmesg.txt"), f(stale)])
    for row in rows:
        c = candidates(db, row, "iptables-trace")
        if not c:
            say(False, "%s %s: no traced packet" % (label, row["attempt"]))
            continue
        r = natlog(db, "explain", "--json", "--trace", c[0]["trace"])
        e = json.loads(r.stdout or "{}")
        diag = e.get("diagnosis", [])
        say(any("does not match" in d for d in diag),
            "%s %s: the dump is reported as not matching the trace" % (label, row["attempt"]))
        d = e.get("decided_by") or {}
        right = (d.get("chain"), d.get("position")) == (row["chain"], int(row["position"]))
        say(not (d.get("rule") and not right),
            "%s %s: no deciding rule is guessed from the dump" % (label, row["attempt"]))
        moved = [s for s in e.get("steps", []) if s["chain"] == "FORWARD" and not s["matches_dump"]]
        tie = any(x.startswith("several insertions or deletions in filter FORWARD") for x in diag)
        say(moved and (tie or all(s.get("realignment") for s in moved)),
            "%s %s: the FORWARD steps that do not match are realigned, or the tie is said" % (
                label, row["attempt"]))


def main():
    dirs = sys.argv[2:]
    with tempfile.TemporaryDirectory() as tmp:
        for d in dirs:
            if os.path.exists(os.path.join(d, "expected.tsv")):
                check_scenario(d, tmp)
    sys.exit(1 if failed else 0)


main()
