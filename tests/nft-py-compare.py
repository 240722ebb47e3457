#!/usr/bin/env python3
# nft-py-compare.py - natlog's rule text from nft JSON against the text nft
# prints, rule by rule, over nftables' per-rule tests (tests/py/**/X.t with
# X.t.json and X.t.json.output): a rule of X.t is "rule;ok" or
# "rule;ok;what nft lists"; X.t.json holds its JSON after "# rule", and
# X.t.json.output the JSON nft lists when that differs. Each file's rules
# become one JSON dump; natlog must write each as nft lists it, or report
# it as an error (counted apart: reported, not wrong). Anonymous sets are
# compared as nft-test.py does: elements in any order.
#   usage: nft-py-compare.py NATLOG TESTS_PY_DIR [-v]
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile


def blocks(path):
    """'# rule' followed by its JSON, per rule."""
    out, rule, buf = {}, None, []
    if not os.path.exists(path):
        return out
    for line in open(path, encoding="utf-8"):
        if line.startswith("# ") and not buf:
            rule = line[2:].rstrip("\n")
        elif line.strip() == "" and rule is not None and buf:
            try:
                out[rule] = json.loads("".join(buf))
            except ValueError:
                pass
            rule, buf = None, []
        elif rule is not None:
            buf.append(line)
    if rule is not None and buf:
        try:
            out[rule] = json.loads("".join(buf))
        except ValueError:
            pass
    return out


def norm(text):
    """As nft-test.py compares: anonymous set elements in any order, any
    spacing around braces and commas."""
    def one(m):
        items = sorted(i.strip() for i in m.group(1).split(","))
        return "{ " + ", ".join(items) + " }"
    text = re.sub(r"\{([^{}]*)\}", one, text)
    return " ".join(text.split())


def cases(t):
    """(rule as given, text nft lists) for each rule the test expects to load."""
    for line in open(t, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line[0] in "#:*!?%-" or ";" not in line:
            continue
        parts = line.split(";")
        if len(parts) < 2 or parts[1] != "ok":
            continue
        yield parts[0], parts[2] if len(parts) > 2 and parts[2] else parts[0]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    if len(args) != 2:
        print("usage: nft-py-compare.py NATLOG TESTS_PY_DIR [-v]", file=sys.stderr)
        return 2
    natlog, top = args
    total = same = reported = 0
    with tempfile.TemporaryDirectory() as tmp:
        for root, _, files in sorted(os.walk(top)):
            for f in sorted(files):
                if not f.endswith(".t"):
                    continue
                t = os.path.join(root, f)
                given, listed = blocks(t + ".json"), blocks(t + ".json.output")
                todo = [(r, text, listed.get(r, given.get(r))) for r, text in cases(t)]
                todo = [c for c in todo if c[2] is not None]
                if not todo:
                    continue
                # the family of the file's first table ("*ip;test-ip4;input")
                fam = next((l[1:].split(";")[0] for l in open(t, encoding="utf-8") if l.startswith("*")),
                           "inet")
                doc = {"nftables": [{"metainfo": {"version": "1.1.0", "json_schema_version": 1}}]}
                for i, (_, _, expr) in enumerate(todo):
                    doc["nftables"].append({"rule": {"family": fam, "table": "t", "chain": "c%d" % i,
                                                     "handle": i + 1, "expr": expr}})
                path = os.path.join(tmp, "d.json")
                json.dump(doc, open(path, "w"))
                db = os.path.join(tmp, "d.db")
                if os.path.exists(db):
                    os.unlink(db)
                subprocess.run([natlog, "import", "-q", path], env=dict(os.environ, NATLOG_DB=db),
                               capture_output=True)
                c = sqlite3.connect(db)
                got = dict(c.execute("SELECT chain, text FROM rules").fetchall())
                c.close()
                for i, (rule, text, _) in enumerate(todo):
                    total += 1
                    g = got.get("c%d" % i)
                    if g is None:
                        reported += 1
                        if verbose:
                            print(f"{t}: reported: {rule}")
                    elif norm(g) == norm(text):
                        same += 1
                    else:
                        print(f"{t}: {rule}\n    nft:    {text}\n    natlog: {g}")
    print(f"rules written as nft lists them: {same}/{total}, reported as errors: {reported}, "
          f"written otherwise: {total - same - reported}")
    return 0 if same + reported == total else 1


if __name__ == "__main__":
    sys.exit(main())
