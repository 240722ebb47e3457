#!/bin/sh
# One packet, every source, every host: ids that do not depend on how a
# kernel line was rendered, hosts as part of identity, renderings of one
# ring buffer deduplicated in any order, and joins that need no shared
# clock. Real lab recordings; the README's examples are run too.
. "$(dirname "$0")/lib.sh"
L=$TD/lab/docker-legacy
ids() { "$NATLOG" traces --json | python3 -c 'import json,sys; print(" ".join(sorted(p["trace"] for p in json.load(sys.stdin))))'; }
count() { "$NATLOG" traces --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

# 1. the README's "$ natlog ..." blocks, run as shown ("..." skips lines)
cat > "$TMP/readme.py" <<'PY'
import os, re, subprocess, sys
root, natlog, tmp = sys.argv[1:4]
text = open(os.path.join(root, "README.md")).read()
fails = 0
for n, block in enumerate(re.findall(r"^```\n(\$ natlog .*?)^```$", text, re.S | re.M)):
    db = os.path.join(tmp, "readme%d.db" % n)
    env = dict(os.environ, NATLOG_DB=db, NO_COLOR="1")
    cmds, cur = [], None
    for line in block.splitlines():
        if line.startswith("$ "):
            cur = [line[2:], []]
            cmds.append(cur)
        else:
            cur[1].append(line.rstrip())
    for cmd, want in cmds:
        argv = cmd.split()
        got = subprocess.run([natlog] + argv[1:], cwd=root, env=env, capture_output=True,
                             text=True).stdout.splitlines()
        got = [l.rstrip() for l in got]
        # match want against got; "..." matches any run of lines
        def match(w, g):
            if not w:
                return not g
            if w[0] == "...":
                return any(match(w[1:], g[i:]) for i in range(len(g) + 1))
            return bool(g) and g[0] == w[0] and match(w[1:], g[1:])
        if not match(want, got):
            fails += 1
            print("README example '%s' printed:\n    %s" % (cmd, "\n    ".join(got[:40])))
sys.exit(1 if fails else 0)
PY
check "the README's examples print what the README shows" python3 "$TMP/readme.py" "$ROOT" "$NATLOG" "$TMP"

# 2. the same packets get the same ids from dmesg, dmesg -T, syslog, --host
for f in dmesg.txt dmesg-T.txt messages; do
	NATLOG_DB=$TMP/r-$f.db "$NATLOG" import -q "$L/$f"
	NATLOG_DB=$TMP/r-$f.db ids > "$TMP/ids-$f"
done
NATLOG_DB=$TMP/r-host.db "$NATLOG" import -q --host gw "$L/dmesg.txt"
NATLOG_DB=$TMP/r-host.db ids > "$TMP/ids-host"
check "dmesg and dmesg -T give the same ids" cmp "$TMP/ids-dmesg.txt" "$TMP/ids-dmesg-T.txt"
check "dmesg and syslog give the same ids" cmp "$TMP/ids-dmesg.txt" "$TMP/ids-messages"
check "--host does not change the ids" cmp "$TMP/ids-dmesg.txt" "$TMP/ids-host"

finish
