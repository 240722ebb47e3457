#!/usr/bin/env python3
"""width-check.py - checks what a terminal shows of natlog's output, as
pty-run.py captured it: each line is what remains after the last carriage
return (the progress line is redrawn in place), measured in display columns.

  width-check.py fits COLS FILE [TEXT]     every line (with TEXT) is at most
        COLS columns
  width-check.py aligned FILE COL...       the table under the heading that
        names COL... lines up: a left-aligned column starts where its name
        does, a right-aligned one (COL given as NAME:r) ends where it does
  width-check.py progress FILE             the progress line never shows a
        negative ETA or more than 100 %, starts below 100 %, and no message
        shares a line with it
Prints what is wrong and exits 1.
"""
import re
import sys
import unicodedata


def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def screen_lines(path):
    text = open(path, "rb").read().decode("utf-8", "replace")
    out = []
    for line in text.split("\n"):
        line = line.rstrip("\r")  # the terminal's own CR LF
        line = line.split("\r")[-1].replace("\x1b[K", "")
        out.append(line)
    if out and out[-1] == "":
        out.pop()
    return out


def columns(line):
    """display column of each character"""
    cols, c = [], 0
    for ch in line:
        cols.append(c)
        c += width(ch)
    return cols


def at(line, col):
    """the character shown at display column col, or None"""
    for ch, c in zip(line, columns(line)):
        if c == col:
            return ch
        if c > col:
            return ""  # inside a wide character
    return None


def fits(cols, path, having=None):
    bad = [l for l in screen_lines(path) if width(l) > cols and (having is None or having in l)]
    for l in bad[:5]:
        print(f"    {width(l)} columns: {l}")
    return not bad


def aligned(path, names):
    lines = screen_lines(path)
    plain = [n.split(":")[0] for n in names]
    head = next((i for i, l in enumerate(lines) if l.startswith(plain[0]) and plain[-1] in l), None)
    if head is None:
        print(f"    no heading with {plain}")
        return False
    h = lines[head]
    spans, pos = [], 0
    for n in plain:
        k = h.find(n, pos)
        if k < 0:
            print(f"    no column {n} in: {h}")
            return False
        c0 = columns(h)[k]
        spans.append((c0, c0 + width(n) - 1))
        pos = k + len(n)
    ok = True
    rows = []
    for l in lines[head + 1:]:
        if not l.strip():
            break
        rows.append(l)
    if not rows:
        print("    no rows under the heading")
        return False
    for l in rows:
        for n, (c0, c1) in zip(names, spans):
            right = n.endswith(":r")
            if right:
                good = at(l, c1) not in (None, " ", "") and at(l, c1 + 1) in (None, " ")
            else:
                good = c0 == 0 or (at(l, c0 - 1) == " " and at(l, c0) not in (None, " ", ""))
            if not good:
                print(f"    column {n} is out of line in: {l}")
                ok = False
                break
    return ok


def progress(path):
    raw = open(path, "rb").read().decode("utf-8", "replace")
    ok = True
    if re.search(r"ETA\s*-", raw):
        print("    a negative ETA")
        ok = False
    pcts = [int(p) for p in re.findall(r"\]\s+(\d+)%", raw)]
    if not pcts:
        print("    no progress line")
        return False
    if max(pcts) > 100 or pcts[0] >= 100:
        print(f"    the bar went {pcts[:5]} ... {pcts[-5:]}")
        ok = False
    for l in screen_lines(path):
        if ("error:" in l or l.startswith("natlog:") or l.startswith("imported ")) and "MB/s" in l:
            print(f"    a message on the progress line: {l}")
            ok = False
    return ok


def main():
    cmd = sys.argv[1]
    if cmd == "fits":
        ok = fits(int(sys.argv[2]), sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    elif cmd == "aligned":
        ok = aligned(sys.argv[2], sys.argv[3:])
    else:
        ok = progress(sys.argv[2])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
