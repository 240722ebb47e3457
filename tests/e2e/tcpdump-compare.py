#!/usr/bin/env python3
"""tcpdump-compare.py - natlog's stored fields of each captured packet
against what tcpdump prints for the same frame.

    tcpdump-compare.py [--natlog BIN] [--testlist TESTLIST] [--quiet] CAPTURE...

For each capture: `natlog import` into a store of its own, then the wire
events (`natlog sql`) beside `tcpdump -# -tt -nn -v -S -r CAPTURE` (run
here) and, with --testlist, the expected outputs tcpdump's own test suite
keeps for that capture (`.out` files, TESTLIST format: name, input,
output, options; only those made with options that leave the packet line
as this script reads it). Compared, where tcpdump prints them: addresses,
ports, IPv4 ID (IPv6: the fragment header's), protocol, TCP sequence
number and flags, ICMP/ICMPv6 echo identifier, time, and natlog's mark of
a header cut by the snap length. A frame tcpdump shows as IP or IP6 that
natlog neither stored nor reported as an error is "lost". Captures of link
types natlog does not read are counted and left out.

Prints one line per difference and per lost frame (and, without --quiet,
per frame natlog reported as an error), then a summary; exits 1 when there
is a difference or a lost frame, 0 otherwise.
"""
import argparse
import calendar
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HEAD = re.compile(r'^\s*(\d+)  (\[[^\]]*\]|\S+(?: \d\d:\d\d:\d\d\.\d+)?) ?(.*)$')
PAIR = re.compile(r'(\S+) > (\S+?):(?=\s|$)')
INNER = re.compile(r'\bIP6? (?:\(|truncated|[0-9a-f:]+[ .])')
FLAGBITS = [(1, 'F'), (2, 'S'), (4, 'R'), (8, 'P'), (16, '.'), (32, 'U'), (64, 'E'), (128, 'W'),
            (256, 'e')]
# options of a TESTLIST case whose output this script can read
READABLE = {'-n', '-nn', '-v', '-vv', '-vvv', '-q', '-S', '-#', '--nano', '-tt'}


def split_addr(tok, v6):
    """(address, port or None), or None when tok is not an address."""
    tok = tok.rstrip(',')
    try:
        return (str(ipaddress.ip_address(tok)), None)
    except ValueError:
        pass
    if '.' not in tok:
        return None
    a, p = tok.rsplit('.', 1)
    if not p.isdigit():
        return None
    try:
        ip = ipaddress.ip_address(a)
    except ValueError:
        return None
    if (ip.version == 6) != v6:
        return None
    return (str(ip), int(p))


def paren(s, i):
    """The text of the parenthesis opening at s[i], and the index after it."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] == '(':
            depth += 1
        elif s[j] == ')':
            depth -= 1
            if depth == 0:
                return s[i + 1:j], j + 1
    return s[i + 1:], len(s)


def frame_fields(stamp, text):
    """What tcpdump printed of one frame's outer IP packet, or None when
    the frame is not IP."""
    m = re.match(r'(?:\S+\s+)?(?:In|Out|M|B|P)\s+(?=IP)', text)
    if m:
        text = text[m.end():]
    if not re.match(r'IP6?[ ,]', text):
        return None
    v6 = text.startswith('IP6')
    f = {'family': 6 if v6 else 4}
    t = time_of(stamp)
    if t is not None:
        f['time'] = t
    rest = text[3 + v6:]
    i = rest.find('(')
    # "IP (...)" with -v; "IP truncated-ip - 5 bytes missing! (...)"
    if i >= 0 and (i == 1 or re.match(r' truncated-ip6? - \d+ bytes missing! ?$', rest[:i])):
        hdr, after = paren(rest, i)
        rest = rest[after:]
        if not v6:
            m = re.search(r'\bid (\d+),', hdr)
            if m:
                f['ip_id'] = int(m.group(1))
            m = re.search(r'\bproto \S+ \((\d+)\)', hdr)
            if m:
                f['proto'] = int(m.group(1))
        else:
            m = re.search(r'next-header \S.*?\((\d+)\)', hdr)
            if m and int(m.group(1)) not in (0, 43, 44, 50, 51, 60, 135, 139, 140):
                f['proto'] = int(m.group(1))
    m = INNER.search(rest, 1)
    outer = rest[:m.start()] if m else rest
    pairs = []
    for pm in PAIR.finditer(outer):
        a, b = split_addr(pm.group(1), v6), split_addr(pm.group(2), v6)
        if a and b:
            pairs.append((a, b))
    if pairs:
        f['src'], f['dst'] = pairs[0][0][0], pairs[0][1][0]
        for a, b in pairs:
            if (a[0], b[0]) == (f['src'], f['dst']) and a[1] is not None and b[1] is not None:
                f['sport'], f['dport'] = a[1], b[1]
                break
    m = re.search(r'\bfrag \(0x([0-9a-f]+):(\d+)', outer)
    if v6 and m:
        f['ip_id'] = int(m.group(1), 16)
    m = re.search(r'Flags \[([^\]]*)\]', outer)
    if m:
        f['tcp_flags'] = '' if m.group(1) == 'none' else m.group(1)
        # the segment's own seq comes first; an ACK without data has none
        # (the "seq" of an MPTCP option later on is not it)
        m2 = re.match(r', (?:cksum 0x[0-9a-f]+ \([^)]*\), )?seq (\d+)', outer[m.end():])
        if m2:
            f['tcp_seq_abs'] = int(m2.group(1))
    m = re.search(r'\bICMP6?,? (?:extended )?echo (?:request|reply), id (\d+)', outer)
    if m:
        f['icmp_id'] = int(m.group(1))
    f['cut'] = bool(re.search(r'\[\|[a-z0-9]+\]', outer))
    return f


def time_of(stamp):
    """tcpdump's time as (seconds, fraction digits), or None."""
    m = re.match(r'(\d+)\.(\d+)$', stamp)
    if m:
        return (int(m.group(1)), m.group(2))
    m = re.match(r'(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d+)$', stamp)
    if m:
        y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
        return (calendar.timegm((y, mo, d, h, mi, s)), m.group(7))
    return None


def parse_tcpdump(text):
    """{frame number: fields} of every IP frame in tcpdump's output, and
    the set of all frame numbers."""
    frames, cur, seen = {}, None, set()
    blocks = []
    for line in text.splitlines():
        m = HEAD.match(line)
        if m and (cur is None or int(m.group(1)) == cur + 1):
            cur = int(m.group(1))
            blocks.append([cur, m.group(2), m.group(3)])
        elif blocks:
            blocks[-1][2] += ' ' + line.strip()
    for num, stamp, body in blocks:
        seen.add(num)
        f = frame_fields(stamp, body)
        if f is not None:
            frames[num] = f
    return frames, seen


def flags_of(bits):
    return ''.join(c for b, c in FLAGBITS if bits & b)


def natlog_rows(natlog, cap, db):
    env = dict(os.environ, NATLOG_DB=db, NO_COLOR='1')
    imp = subprocess.run([natlog, 'import', '-q', cap], env=env, capture_output=True, text=True)
    errs = json.loads(subprocess.run([natlog, 'errors', '--json'], env=env, capture_output=True,
                                     text=True).stdout or '[]')
    if any(e['line'] == 0 and e['reason'].startswith('unsupported link type') for e in errs):
        return None, None
    q = ("SELECT line, family, src, dst, sport, dport, ip_id, proto, tcp_seq, tcp_flags, icmp_id, "
         "extra, time FROM events WHERE kind = 'wire' ORDER BY line")
    out = subprocess.run([natlog, 'sql', '--json', q], env=env, capture_output=True, text=True)
    if imp.returncode not in (0, 3) or out.returncode not in (0, 1):
        raise SystemExit('natlog failed on %s: %s%s' % (cap, imp.stderr, out.stderr))
    rows = {}
    for r in json.loads(out.stdout or '[]'):
        rows[int(r['line'])] = r
    return rows, {e['line']: e['reason'] for e in errs}


def num(v):
    return None if v is None else int(v)


def compare(tf, r, live, nflog):
    """[(field, tcpdump's, natlog's)] where they differ. tcpdump before
    4.99.5 prints no time at or after 2038 (or wraps it after 2106), so
    the installed one (live) is not asked about those; .out files print
    relative sequence numbers (no -S). NFLOG: tcpdump prints when libpcap
    read the batch, natlog the kernel's own timestamp (TLV 3)."""
    diffs = []
    for k in ('src', 'dst'):
        if k in tf and tf[k] != r[k]:
            diffs.append((k, tf[k], r[k]))
    proto = num(r['proto'])
    for k in ('ip_id', 'proto', 'icmp_id'):
        if k in tf and tf[k] != num(r[k]):
            diffs.append((k, tf[k], num(r[k])))
    if 'sport' in tf and proto in (6, 17, 136):
        if (tf['sport'], tf['dport']) != (num(r['sport']), num(r['dport'])):
            diffs.append(('ports', '%s>%s' % (tf['sport'], tf['dport']),
                          '%s>%s' % (r['sport'], r['dport'])))
    if 'tcp_flags' in tf and proto == 6:
        # tcpdump before 4.99.5 does not know the AE bit (RFC 9768)
        mask = 255 if live else 511
        mine = None if r['tcp_flags'] is None else flags_of(int(r['tcp_flags']) & mask)
        if mine is None or set(mine) != set(tf['tcp_flags']):
            diffs.append(('tcp_flags', tf['tcp_flags'], mine))
    if live and 'tcp_seq_abs' in tf and proto == 6 and tf['tcp_seq_abs'] != num(r['tcp_seq']):
        diffs.append(('tcp_seq', tf['tcp_seq_abs'], num(r['tcp_seq'])))
    if 'time' in tf and r['time'] and not nflog and \
            not (live and int(r['time'].split('.')[0]) >= 2 ** 31):
        sec, frac = tf['time']
        t = r['time'].split('.')
        if int(t[0]) != sec or (len(t) > 1 and len(frac) in (6, 9) and
                                not (t[1][:6] == frac[:6])):
            diffs.append(('time', '%d.%s' % (sec, frac), r['time']))
    if r['extra'] and '[|' in r['extra'] and not tf['cut']:
        diffs.append(('cut', 'not cut', r['extra']))
    return diffs


def testlist_refs(path):
    """{input file name: [output file paths]} of the readable cases, from
    TESTLIST and from the cases written in the TESTrun script beside it."""
    refs = {}
    d = os.path.dirname(path)
    cases = []
    for line in open(path, encoding='utf-8', errors='replace'):
        w = line.split()
        if len(w) >= 3 and not w[0].startswith('#'):
            cases.append((w[1], w[2], w[3:]))
    run = os.path.join(d, 'TESTrun')
    if os.path.exists(run):
        text = open(run, encoding='utf-8', errors='replace').read()
        for m in re.finditer(r"input => '([^']+)',\s*output => '([^']+)',(?:\s*args => '([^']*)')?",
                             text):
            cases.append((m.group(1), m.group(2), (m.group(3) or '').split()))
    for inp, out, opts in cases:
        opts = set(opts) - {'SPECIAL_t'}
        if opts <= READABLE and os.path.exists(os.path.join(d, out)):
            refs.setdefault(inp, []).append(os.path.join(d, out))
    return refs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--natlog', default=os.environ.get('NATLOG', 'natlog'))
    ap.add_argument('--testlist')
    ap.add_argument('--quiet', action='store_true', help='no line for frames natlog stored or reported as errors')
    ap.add_argument('captures', nargs='+')
    a = ap.parse_args()
    refs = testlist_refs(a.testlist) if a.testlist else {}
    n = dict(files=0, other=0, frames=0, stored=0, reported=0, lost=0, checked=0, differ=0,
             out_frames=0, cut=0, stored_err=0, extra=0)
    tmp = tempfile.mkdtemp(prefix='natlog-tcpdump.')
    for i, cap in enumerate(a.captures):
        db = os.path.join(tmp, '%d.db' % i)
        rows, errs = natlog_rows(a.natlog, cap, db)
        for f in os.listdir(tmp):       # the store and its journal files
            os.unlink(os.path.join(tmp, f))
        if rows is None:
            n['other'] += 1
            continue
        n['files'] += 1
        td = subprocess.run(['tcpdump', '-#', '-tt', '-nn', '-v', '-S', '-r', cap],
                            capture_output=True, text=True, errors='replace')
        live, nflog = td.stdout, 'link-type NFLOG' in td.stderr
        sources = [('tcpdump', parse_tcpdump(live)[0])]
        for out in refs.get(os.path.basename(cap), []):
            with open(out, encoding='utf-8', errors='replace') as fh:
                sources.append((os.path.basename(out), parse_tcpdump(fh.read())[0]))
        name = os.path.basename(cap)
        for frame, tf in sorted(sources[0][1].items()):
            n['frames'] += 1
            if frame not in rows:
                if frame in errs:
                    n['reported'] += 1
                    if not a.quiet:
                        print('%s:%d: not stored, reported: %s' % (name, frame, errs[frame]))
                else:
                    n['lost'] += 1
                    print('%s:%d: lost: tcpdump shows an IP frame, natlog has neither event '
                          'nor error' % (name, frame))
                continue
            n['stored'] += 1
            if frame in errs:
                n['stored_err'] += 1
                if not a.quiet:
                    print('%s:%d: stored, and reported: %s' % (name, frame, errs[frame]))
            n['cut'] += bool(rows[frame]['extra'] and '[|' in rows[frame]['extra'])
        for frame in sorted(set(rows) - set(sources[0][1])):
            n['extra'] += 1
            print('%s:%d: natlog stored a packet where tcpdump shows no IP frame' % (name, frame))
        for src, frames in sources:
            if src != 'tcpdump':
                n['out_frames'] += len(frames)
            for frame, tf in sorted(frames.items()):
                if frame not in rows:
                    continue
                n['checked'] += 1
                d = compare(tf, rows[frame], src == 'tcpdump', nflog)
                if d:
                    n['differ'] += 1
                    print('%s:%d: %s: %s' % (name, frame, src, '; '.join(
                        '%s tcpdump %s natlog %s' % x for x in d)))
    shutil.rmtree(tmp)
    print('%(files)d captures (%(other)d of other link types left out): tcpdump shows %(frames)d '
          'IP frames; natlog stored %(stored)d (%(cut)d marked cut by the snap length, '
          '%(stored_err)d with an error), reported %(reported)d others as errors, lost %(lost)d, stored %(extra)d tcpdump does not show as IP; %(checked)d frame comparisons (%(out_frames)d '
          'against the test suite\'s .out files), %(differ)d with a difference' % n)
    return 1 if n['lost'] or n['differ'] or n['extra'] else 0


if __name__ == '__main__':
    sys.exit(main())
