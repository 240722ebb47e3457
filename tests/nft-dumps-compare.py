#!/usr/bin/env python3
# nft-dumps-compare.py - natlog's rules from nft text dumps against the same
# rulesets dumped as JSON (nftables' tests/shell/testcases/**/dumps/X.nft and
# their X.json-nft twins): same chain, position, handle (when both have
# one) and text, rule by rule. Prints each difference and the counts:
# text dumps read without an error, JSON dumps equal to their text twin.
#   usage: nft-dumps-compare.py NATLOG DIR|FILE.nft... [-v] [--list-failing]
# Exits 1 when a text dump had errors or a JSON twin differed.
import os
import sqlite3
import subprocess
import sys
import tempfile

RULES = ("SELECT coalesce(family, ''), tbl, chain, position, handle, text FROM rules "
         "ORDER BY family, tbl, chain, position")


def load(natlog, path, tmp):
    db = os.path.join(tmp, os.path.basename(path) + ".db")
    env = dict(os.environ, NATLOG_DB=db, NO_COLOR="1")
    p = subprocess.run([natlog, "import", "-q", path], env=env, capture_output=True, text=True)
    rules, errors = [], []
    if os.path.exists(db):
        c = sqlite3.connect(db)
        rules = c.execute(RULES).fetchall()
        errors = [f"line {l}: {r}" for l, r in
                  c.execute("SELECT line, reason FROM errors ORDER BY id").fetchall()]
        c.close()
        os.unlink(db)
    return p.returncode, rules, errors


def dumps(args):
    for a in args:
        if os.path.isdir(a):
            for root, _, files in os.walk(a):
                for f in sorted(files):
                    if f.endswith(".nft") and os.path.basename(root) == "dumps":
                        yield os.path.join(root, f)
        else:
            yield a


def main():
    argv = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    listing = "--list-failing" in sys.argv
    if len(argv) < 2:
        print(__doc__ or "usage: nft-dumps-compare.py NATLOG DIR|FILE.nft...", file=sys.stderr)
        return 2
    natlog, paths = argv[0], sorted(set(dumps(argv[1:])))
    ntext = tread = njson = jread = jequal = 0
    failing = []
    with tempfile.TemporaryDirectory() as tmp:
        for t in paths:
            ntext += 1
            rc, trules, terr = load(natlog, t, tmp)
            if rc == 0 and not terr:
                tread += 1
            else:
                failing.append(t)
                print(f"{t}: text dump: exit {rc}, {len(terr)} errors")
                for e in terr[: 20 if verbose else 3]:
                    print("    " + e)
            j = t[:-4] + ".json-nft"
            if not os.path.exists(j):
                continue
            njson += 1
            rc, jrules, jerr = load(natlog, j, tmp)
            if rc == 0 and not jerr:
                jread += 1
            diffs = []
            for e in jerr:
                diffs.append("json error: " + e)
            if len(trules) != len(jrules):
                diffs.append(f"{len(trules)} rules from the text, {len(jrules)} from the JSON")
            for a, b in zip(trules, jrules):
                same = a[:4] == b[:4] and a[5] == b[5] and (a[4] is None or b[4] is None or a[4] == b[4])
                if not same:
                    diffs.append(f"{a[0]} {a[1]} {a[2]} #{a[3]}:\n      text: {a[5]}\n      json: {b[5]}"
                                 if a[:4] == b[:4] else f"text {a[:5]} / json {b[:5]}")
            if diffs or terr:
                if j not in failing:
                    failing.append(j)
                if diffs:
                    print(f"{j}: differs from its text twin")
                    for d in diffs[: 30 if verbose else 4]:
                        print("    " + d)
            else:
                jequal += 1
    print(f"text dumps read without an error: {tread}/{ntext}")
    print(f"JSON dumps read without an error: {jread}/{njson}")
    print(f"JSON dumps whose rules equal their text twin's: {jequal}/{njson}")
    if listing:
        for f in failing:
            print("failing: " + f)
    return 0 if tread == ntext and jequal == njson else 1


if __name__ == "__main__":
    sys.exit(main())
