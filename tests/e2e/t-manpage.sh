#!/bin/sh
# The man page says what --help says: every long option of each command's
# --help is in that command's part of doc/natlog.1 (--help itself is under
# OPTIONS), every option the man page gives a command is in its --help,
# and the global options of 'natlog --help' are under OPTIONS.
. "$(dirname "$0")/lib.sh"
"$NATLOG" __complete commands > "$TMP/commands"
check "natlog lists its commands" test -s "$TMP/commands"
python3 - "$NATLOG" "$ROOT/doc/natlog.1" "$TMP/commands" <<'PY' > "$TMP/result"
import re, subprocess, sys
natlog, manpath, cmdfile = sys.argv[1:4]
commands = [c for c in open(cmdfile).read().split() if c != "help"]
man = open(manpath).read()
OPT = re.compile(r"--[a-z][a-z0-9-]*")

def plain(t, own=None):
    t = re.sub(r"\\f[BIRP]", "", t).replace("\\-", "-").replace("\\(em", "-")
    # options the text names as not applying ("--rule ... are usage errors")
    t = re.sub(r"[^.;(]*(?:are usage errors|do not apply)[^.;)]*", " ", t)
    # another command's option ("explain --svg", "natlog traces --help") is not this one's
    others = [c for c in commands if c != own]
    t = re.sub(r"\b(natlog +)?(%s)( +-[^ ]*)+" % "|".join(others), " ", t)
    # nor are the options of the tools whose output natlog reads
    return re.sub(r"\b(xtables-monitor|conntrack|iptables|nft|journalctl|dmesg|sysctl)( +-[^ ]*)+", " ", t)

def help_opts(args, own=None):
    out = subprocess.run([natlog] + args, capture_output=True, text=True).stdout
    lines = [l for l in out.splitlines() if l.startswith("usage:") or re.match(r"\s+-", l)]
    return set(OPT.findall(plain("\n".join(lines), own)))

def man_part(start, stop):
    m = re.search(start, man, re.M)
    if not m:
        return None
    e = re.compile(stop, re.M).search(man, m.end())
    return man[m.start():e.start() if e else len(man)]

GLOBAL = help_opts(["--help"])  # a command's part may name them
FILTERS = set(OPT.findall(plain(man_part(r"^\.SH FILTERS", r"^\.SH") or "")))
next_part = r"^\.SH|^\.TP\n\\fB(%s)\\fR" % "|".join(commands + ["help"])
for c in commands:
    part = man_part(r"^\.TP\n\\fB%s\\fR" % re.escape(c), next_part)
    if part is None:
        print("not ok - the man page has a part for '%s'" % c)
        continue
    inhelp = help_opts([c, "--help"], c) - {"--help"}
    inman = set(OPT.findall(plain(part, c))) - GLOBAL
    # a part naming FILTERS documents them in the FILTERS section
    if "\\fIFILTERS\\fR" in part:
        inman |= FILTERS & inhelp
    for o in sorted(inhelp - inman):
        print("not ok - '%s' of '%s --help' is in the man page's %s" % (o, c, c))
    for o in sorted(inman - inhelp):
        print("not ok - '%s' of the man page's %s is in '%s --help'" % (o, c, c))
    if inhelp <= inman and inman <= inhelp:
        print("ok - %s: the man page and --help name the same %d options" % (c, len(inhelp)))
opts = man_part(r"^\.SH OPTIONS", r"^\.SH")
ginman, ginhelp = set(OPT.findall(plain(opts))), help_opts(["--help"])
for o in sorted(ginhelp - ginman):
    print("not ok - '%s' of 'natlog --help' is under the man page's OPTIONS" % o)
for o in sorted(ginman - ginhelp):
    print("not ok - '%s' under the man page's OPTIONS is in 'natlog --help'" % o)
if ginhelp == ginman:
    print("ok - the global options under OPTIONS are those of natlog --help (%d)" % len(ginhelp))
PY
cat "$TMP/result"
check "every command was compared" test "$(grep -c '^ok - .*: the man page and --help' "$TMP/result")" -eq "$(grep -vc '^help$' "$TMP/commands")"
grep -q '^not ok' "$TMP/result" && FAILED=1
finish
