#!/usr/bin/env python3
"""syns.py NATLOG TRACES_JSON - one line per TCP connection attempt of
`natlog traces --json` (its SYNs; retransmissions fold into one line):
"dport verdict chain:type:position-or-None dump-file", as `natlog explain
--json` reads each SYN (the position only when the rule text is known).
"""
import json
import subprocess
import sys

natlog, traces = sys.argv[1], sys.argv[2]
last = None
for p in json.load(open(traces)):
    if p["tcp_flags"] != "SYN":
        continue
    x = json.loads(subprocess.run([natlog, "explain", "--json", "--trace", p["trace"]],
                                  capture_output=True, text=True, check=True).stdout)
    d = x["decided_by"] or {}
    rule = "%s:%s:%s" % (d.get("chain"), d.get("type"), d.get("position")) if d.get("rule") else None
    line = "%s %s %s %s" % (p["dport"], x["verdict"], rule, (x["dump"]["source"] or "").rsplit("/", 1)[-1])
    if line != last:
        print(line)
    last = line
