#!/bin/sh
# After the README's "Two commands", `natlog` runs as "Using it" shows:
# demo.sh installs it (PREFIX, else /usr/local as root, else ~/.local) and
# says where; and every natlog command line in the README's examples names
# a command and options that exist.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
for f in demo.sh tests/deps.sh .ci/run; do
	check "the README's $f exists" test -f "$f"
done
check "the README's make check exists" grep -q '^check:' Makefile

check "demo.sh with PREFIX" env PREFIX="$TMP/p" sh demo.sh
check_grep "says where natlog is installed" "natlog is installed in $TMP/p/bin" "$TMP/out"
check_grep "and how to put it on PATH" "export PATH=\"$TMP/p/bin:" "$TMP/out"
check_grep "and explains the sample with it" "diagnosis:" "$TMP/out"
check "the binary is installed" test -x "$TMP/p/bin/natlog"
check "with its man page" test -f "$TMP/p/share/man/man1/natlog.1"
check "and its completion" test -f "$TMP/p/share/bash-completion/completions/natlog"
check "'natlog' then runs from PATH" env PATH="$TMP/p/bin:$PATH" sh -c 'cd / && natlog --version'
check "no PATH hint when its bin is on PATH" env PATH="$TMP/p/bin:$PATH" PREFIX="$TMP/p" sh demo.sh
check "(none printed)" sh -c "! grep -q 'export PATH' '$TMP/out'"

# not root: ~/.local (id is replaced to say so)
mkdir -p "$TMP/fake" "$TMP/home"
printf '#!/bin/sh\necho 1000\n' > "$TMP/fake/id"
chmod +x "$TMP/fake/id"
check "demo.sh as a user" env -u PREFIX HOME="$TMP/home" PATH="$TMP/fake:$PATH" sh demo.sh
check_grep "installs into ~/.local and says so" "natlog is installed in $TMP/home/.local/bin" "$TMP/out"
check "(it is there)" test -x "$TMP/home/.local/bin/natlog"

# the README's natlog command lines: real commands, real options
"$NATLOG" __complete commands > "$TMP/commands"
python3 - "$NATLOG" README.md "$TMP/commands" <<'PY' > "$TMP/readme"
import re, shlex, subprocess, sys
natlog, readme, cmdfile = sys.argv[1:4]
commands = open(cmdfile).read().split()
def opts(args):
    out = subprocess.run([natlog] + args, capture_output=True, text=True).stdout
    lines = [l for l in out.splitlines() if l.startswith("usage:") or re.match(r"\s+-", l)]
    return set(re.findall(r"--[a-z][a-z0-9-]*", "\n".join(lines))) | {"--help", "-h", "-o", "-q"}
glob = opts(["--help"])
blocks, cur, inb = [], [], False
for no, line in enumerate(open(readme), 1):
    if line.startswith("```"):
        if inb:
            blocks.append(cur)
        cur, inb = [], not inb
    elif inb:
        cur.append((no, line.rstrip("\n")))
n = bad = 0
for b in blocks:
    prompts = any(t.startswith("$ ") for _, t in b)
    for no, text in b:
        if text.startswith("./natlog") or text.startswith("$ ./natlog"):
            print("not ok - README line %d uses ./natlog, not the installed natlog" % no); bad += 1
        if prompts:
            if not text.startswith("$ natlog "):
                continue
            text = text[2:]
        elif not text.startswith("natlog "):
            continue
        try:
            words = shlex.split(text, comments=True)[1:]
        except ValueError:
            words = text.split()[1:]
        n += 1
        cmd = None
        i = 0
        while i < len(words):
            w = words[i]
            if w == "--":
                break
            if w.startswith("--"):
                name = w.split("=")[0]
                if name not in glob and not (cmd and name in opts([cmd, "--help"])):
                    print("not ok - README line %d: '%s' is not an option of natlog %s" % (no, name, cmd or "")); bad += 1
                if name == "--db":
                    i += 1
            elif cmd is None and not w.startswith("-"):
                cmd = w
                if cmd not in commands:
                    print("not ok - README line %d: '%s' is not a natlog command" % (no, cmd)); bad += 1
            i += 1
print("ok - %d natlog command lines of the README checked, %d wrong" % (n, bad) if not bad else
      "not ok - %d of %d README command lines are wrong" % (bad, n))
PY
cat "$TMP/readme"
grep -q '^not ok' "$TMP/readme" && FAILED=1
check "the README has natlog command lines to check" grep -q "^ok - [1-9][0-9]* natlog command lines" "$TMP/readme"
finish
