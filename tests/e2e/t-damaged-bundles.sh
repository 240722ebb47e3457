#!/bin/sh
# Damaged and hostile input: truncated compressed files keep what decodes,
# text led by NUL bytes is text, stdin is sniffed for compression, pipes,
# devices and deep trees are reported, files in no known format are told
# apart from logs without netfilter lines, and nested archives are streamed
# (peak memory bounded), capped (--max-expansion) and opened once when they
# repeat. The inputs are built here from the lab's recordings.
. "$(dirname "$0")/lib.sh"
L=$TD/lab

q() {	# DB SQL: the first column of the first row
	"$NATLOG" --db "$1" sql --json "$2" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(list(r[0].values())[0] if r else "")'
}
fresh() { rm -f "$TMP/d.db"*; }
# Random bytes, fresh each run but replayable: the seed is in the checks'
# names; NATLOG_RANDOM_SEED=N runs with the bytes a failed run had.
SEED=${NATLOG_RANDOM_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
randbytes() {	# N: N random bytes of SEED
	python3 -c 'import random, sys; random.seed(int(sys.argv[1])); sys.stdout.buffer.write(random.randbytes(int(sys.argv[2])))' "$SEED" "$1"
}

# --- truncated compressed files keep every line that decoded ----------------
# varied text (several recordings), so that every compressor emits blocks early
for i in 1 2 3 4 5 6; do cat "$L"/*/dmesg.txt "$L"/*/messages; done > "$TMP/log.txt"
for c in gzip xz zstd bzip2; do
	$c -c "$TMP/log.txt" > "$TMP/full.$c"
	size=$(stat -c %s "$TMP/full.$c")
	head -c $((size * 2 / 3)) "$TMP/full.$c" > "$TMP/cut.$c"
	# the complete lines the compressor's own tool recovers
	tool=$($c -dc "$TMP/cut.$c" 2>/dev/null | wc -l)
	fresh
	"$NATLOG" --db "$TMP/d.db" import "$TMP/cut.$c" > /dev/null 2> "$TMP/err"
	rc=$?
	got=$(q "$TMP/d.db" "SELECT lines FROM sources")
	if [ "$rc" -eq 3 ] && [ -n "$got" ] && [ "$got" -gt 0 ] && [ "$got" -ge "$tool" ]; then
		ok "a truncated .$c keeps its $got decoded lines ($c -dc: $tool), exit 3"; else
		not_ok "a truncated .$c: exit $rc, ${got:-no} lines kept, $c -dc gives $tool"; sed 's/^/    /' "$TMP/err" | head -5; fi
	check_grep "the cut of the .$c is an error at its file and line" "cut.$c:$((got + 1)): error: input cut short" "$TMP/err"
done
n=$(q "$TMP/d.db" "SELECT count(*) FROM errors WHERE reason LIKE 'input cut short%'")
if [ "$n" = 1 ]; then ok "the cut is kept in the store's errors"; else not_ok "cut errors in the store: $n"; fi
# a truncated member of a .tar.gz: the lines before the cut too
mkdir -p "$TMP/tree/var/log"
cp "$TMP/log.txt" "$TMP/tree/var/log/messages"
tar -C "$TMP/tree" -czf "$TMP/bundle.tar.gz" var
size=$(stat -c %s "$TMP/bundle.tar.gz")
head -c $((size / 2)) "$TMP/bundle.tar.gz" > "$TMP/cut.tar.gz"
fresh
check_status "a truncated .tar.gz imports what it holds (exit 3)" 3 "$NATLOG" --db "$TMP/d.db" import "$TMP/cut.tar.gz"
check_grep "the cut names the member" "cut.tar.gz:var/log/messages:[0-9]*: error: input cut short" "$TMP/err"
n=$(q "$TMP/d.db" "SELECT events FROM sources")
if [ "${n:-0}" -gt 100 ]; then ok "the member's $n events before the cut are kept"; else not_ok "events kept from the cut member: ${n:-none}"; fi

# --- text led by NUL bytes (an unclean shutdown) is text -------------------
want=$(grep -c 'IN=' "$L/docker-legacy/messages")
{ head -c 512 /dev/zero; cat "$L/docker-legacy/messages"; } | gzip > "$TMP/nul.gz"
fresh
check "a .gz whose text starts with 512 NUL bytes imports" "$NATLOG" --db "$TMP/d.db" import "$TMP/nul.gz"
n=$(q "$TMP/d.db" "SELECT events FROM sources")
if [ "$n" = "$want" ]; then ok "all its $n lines are events, the first too"; else not_ok "NUL-led .gz: $n events, wanted $want"; fi
{ head -c 4096 /dev/zero; cat "$L/docker-legacy/dmesg.txt"; } > "$TMP/nul.txt"
fresh
"$NATLOG" --db "$TMP/d.db" import -q "$TMP/nul.txt"
n=$(q "$TMP/d.db" "SELECT events FROM sources")
want=$(grep -c 'IN=' "$L/docker-legacy/dmesg.txt")
if [ "$n" = "$want" ]; then ok "a plain file led by NUL bytes: $n events"; else not_ok "NUL-led text: $n events, wanted $want"; fi
{ head -c 3000000 /dev/zero; cat "$L/docker-legacy/iptables-save.txt"; } > "$TMP/nul-save.txt"
fresh
"$NATLOG" --db "$TMP/d.db" import -q "$TMP/nul-save.txt"
n=$(q "$TMP/d.db" "SELECT count(*) FROM rulesets")
e=$(q "$TMP/d.db" "SELECT count(*) FROM errors")
if [ "$n" = 1 ] && [ "$e" = 0 ]; then ok "a dump after 3 MB of NUL bytes (blocks of them) is a ruleset, no error"; else
	not_ok "NUL-led dump: $n rulesets, $e errors"; fi

# --- stdin is sniffed like a file -------------------------------------------
want=$(grep -c 'IN=' "$L/docker-legacy/messages")
fresh
gzip -c "$L/docker-legacy/messages" | "$NATLOG" --db "$TMP/d.db" import -q -
n=$(q "$TMP/d.db" "SELECT events FROM sources WHERE path = '-'")
if [ "$n" = "$want" ]; then ok "'import - < log.gz' decompresses: $n events"; else not_ok "gzip on stdin: ${n:-no} events, wanted $want"; fi
fresh
tar -C "$TMP/tree" -cJf - var | "$NATLOG" --db "$TMP/d.db" import -q -
n=$(q "$TMP/d.db" "SELECT count(*) FROM sources WHERE path = '-:var/log/messages' AND events > 0")
if [ "$n" = 1 ]; then ok "a .tar.xz on stdin is opened, its member named '-:member'"; else
	not_ok "tar.xz on stdin"; "$NATLOG" --db "$TMP/d.db" sources | sed 's/^/    /'; fi

# --- pipes, devices and deep trees are reported ------------------------------
fresh
mkfifo "$TMP/pipe"
timeout 20 sh -c 'gzip -c "$1" > "$2"' sh "$L/docker-legacy/messages" "$TMP/pipe" &
check "a pipe named on the command line is read (and sniffed)" timeout 20 "$NATLOG" --db "$TMP/d.db" import -q "$TMP/pipe"
wait
n=$(q "$TMP/d.db" "SELECT events FROM sources")
if [ "$n" = "$want" ]; then ok "the pipe's $n events"; else not_ok "pipe: ${n:-no} events, wanted $want"; fi
mkdir -p "$TMP/withpipe"
cp "$L/docker-legacy/messages" "$TMP/withpipe/"
mkfifo "$TMP/withpipe/fifo"
fresh
check_status "a pipe inside a directory is not opened, and reported (exit 3)" 3 timeout 20 "$NATLOG" --db "$TMP/d.db" import "$TMP/withpipe"
check_grep "the pipe is named" "withpipe/fifo' is a pipe, not a file; not read" "$TMP/err"
check_grep "the summary counts it" "1 unreadable" "$TMP/err"
fresh
check_status "a device is reported (exit 3)" 3 "$NATLOG" --db "$TMP/d.db" import /dev/null
check_grep "as a device" "'/dev/null' is a device, not a file; not read" "$TMP/err"
d="$TMP/deep"
for i in $(seq 34); do d="$d/d$i"; done
mkdir -p "$d"
cp "$L/docker-legacy/messages" "$d/"
fresh
check_status "a tree more than 32 directories deep is reported (exit 3)" 3 "$NATLOG" --db "$TMP/d.db" import "$TMP/deep"
check_grep "the directory is named" "d33' is more than 32 directories deep; not read" "$TMP/err"

# --- files in no format natlog reads ----------------------------------------
randbytes 20000 > "$TMP/random.bin"
sed 's/ kern\.warn kernel: .*/ daemon.info sshd[812]: Accepted publickey for root from 10.0.0.1/' \
	"$L/docker-legacy/messages" > "$TMP/syslog-no-netfilter"
fresh
check "/etc/passwd, /bin/ls and random bytes (NATLOG_RANDOM_SEED=$SEED) import without an error" \
	"$NATLOG" --db "$TMP/d.db" import /etc/passwd /bin/ls "$TMP/random.bin"
check_grep "the summary says they are in no format natlog reads" "3 files are not a format natlog reads" "$TMP/err"
# bytes of /dev/urandom whose 27th line starts with '*' and holds "nat":
# a table's line is its name alone, not a dump's first line
fresh
check "random bytes with a '*' line holding \"nat\" import without an error" \
	"$NATLOG" --db "$TMP/d.db" import "$TD/fuzz/ingest/random-star-nat"
check_grep "and are in no format natlog reads" "1 file is not a format natlog reads" "$TMP/err"
fresh
check "a syslog without netfilter lines imports" "$NATLOG" --db "$TMP/d.db" import "$TMP/syslog-no-netfilter" "$L/docker-legacy/iptables-save.txt"
if ! grep -q "not a format natlog reads" "$TMP/err"; then ok "a log without netfilter lines (and a ruleset) is not reported as unreadable"; else
	not_ok "a log without netfilter lines was reported"; sed 's/^/    /' "$TMP/err"; fi

# --- nested archives: streamed, capped, opened once -------------------------
# a 300 MB tar inside a .tar.zst: each level is read as a stream
python3 - "$TMP/nested.tar.zst" $((300 << 20)) <<'PY'
import io, math, os, subprocess, sys, tarfile, threading
out, size = sys.argv[1], int(sys.argv[2])
line = b"Dec  4 10:00:00 host sshd[123]: pam_unix(sshd:session): session opened for user root\n"
class Lines(io.RawIOBase):
    def __init__(self, n): self.left = n
    def readable(self): return True
    def readinto(self, b):
        k = min(len(b), self.left)
        b[:k] = (line * (len(b) // len(line) + 2))[:k]
        self.left -= k
        return k
z = subprocess.Popen(["zstd", "-q", "-c", "-"], stdin=subprocess.PIPE, stdout=open(out, "wb"))
r, w = os.pipe()
def inner():
    with open(w, "wb") as f, tarfile.open(fileobj=f, mode="w|") as t:
        ti = tarfile.TarInfo("var/log/secure"); ti.size = size
        t.addfile(ti, io.BufferedReader(Lines(size), 1 << 20))
th = threading.Thread(target=inner); th.start()
with tarfile.open(fileobj=z.stdin, mode="w|") as t:
    ti = tarfile.TarInfo("bundle/inner.tar")
    ti.size = math.ceil((512 + math.ceil(size / 512) * 512 + 1024) / 10240) * 10240
    t.addfile(ti, open(r, "rb"))
th.join(); z.stdin.close(); z.wait()
PY
fresh
/usr/bin/time -v "$NATLOG" --db "$TMP/d.db" import "$TMP/nested.tar.zst" > /dev/null 2> "$TMP/time"
rc=$?
kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time")
n=$(q "$TMP/d.db" "SELECT lines FROM sources WHERE path LIKE '%inner.tar:var/log/secure'")
if [ "$rc" -eq 0 ] && [ "${n:-0}" -gt 3000000 ]; then ok "a 300 MB tar inside a .tar.zst imports ($n lines)"; else
	not_ok "nested .tar.zst: exit $rc, ${n:-no} lines"; sed 's/^/    /' "$TMP/time" | head -5; fi
if [ -n "$kb" ] && [ "$kb" -lt 204800 ]; then ok "its peak memory is $((kb / 1024)) MB (< 200 MB)"; else
	not_ok "peak memory ${kb:-unknown} kB for a nested 300 MB member"; fi
fresh
check_status "--max-expansion stops the import's expansion there (exit 3)" 3 \
	"$NATLOG" --db "$TMP/d.db" import --max-expansion 100000000 "$TMP/nested.tar.zst"
check_grep "and names the member" "nested.tar.zst' takes the import beyond 100000000 expanded bytes" "$TMP/err"
check_status "--max-expansion wants a number" 2 "$NATLOG" --db "$TMP/d.db" import --max-expansion lots "$TMP/nested.tar.zst"
# an .xz header may ask for gigabytes of dictionary: refused, and said
randbytes 300000 | xz --lzma2=dict=1GiB -c > "$TMP/bigdict.xz"
fresh
check_status "an .xz that needs a 1 GiB dictionary (NATLOG_RANDOM_SEED=$SEED) is refused (exit 3)" 3 "$NATLOG" --db "$TMP/d.db" import "$TMP/bigdict.xz"
check_grep "with the reason" "bigdict.xz': the xz data needs more than 256 MiB of memory" "$TMP/err"
# a bundle of copies: 16 copies of a .tar.gz of 16 copies of a .tar.gz of a log
mkdir -p "$TMP/bomb/l0" "$TMP/bomb/l1" "$TMP/bomb/l2"
cp "$L/docker-legacy/messages" "$TMP/bomb/l0/messages"
tar -C "$TMP/bomb/l0" -czf "$TMP/bomb/l1/a.tar.gz" messages
for i in $(seq 2 16); do cp "$TMP/bomb/l1/a.tar.gz" "$TMP/bomb/l1/c$i.tar.gz"; done
tar -C "$TMP/bomb/l1" -czf "$TMP/bomb/l2/b.tar.gz" .
for i in $(seq 2 16); do cp "$TMP/bomb/l2/b.tar.gz" "$TMP/bomb/l2/c$i.tar.gz"; done
tar -C "$TMP/bomb/l2" -czf "$TMP/copies.tar.gz" .
fresh
check "a bundle of 256 copies of one nested archive imports" timeout 60 "$NATLOG" --db "$TMP/d.db" import "$TMP/copies.tar.gz"
n=$(grep -c "has the same bytes as an archive read before; not read again" "$TMP/err")
if [ "$n" = 30 ]; then ok "each repeated nested archive is opened once (30 copies not read again)"; else
	not_ok "copies skipped: $n, wanted 30"; sed 's/^/    /' "$TMP/err" | head -5; fi
n=$(q "$TMP/d.db" "SELECT count(*) FROM sources")
if [ "$n" = 1 ]; then ok "one source holds the log"; else not_ok "sources: $n"; fi

# A listing whose Chain line holds NUL or control bytes (a damaged file):
# the line is an error, and so is each row under it, never a row of the
# chain before it (a NUL-led name once failed the whole import).
fresh
printf 'Chain INPUT (policy ACCEPT)\ntarget     prot opt source               destination\nACCEPT     all  --  0.0.0.0/0            0.0.0.0/0\n\nChain \0\0FOO (1 references)\ntarget     prot opt source               destination\nDROP       all  --  0.0.0.0/0            0.0.0.0/0\n\nChain B\001AR (1 references)\ntarget     prot opt source               destination\nDROP       all  --  0.0.0.0/0            0.0.0.0/0\n\nChain OK (0 references)\ntarget     prot opt source               destination\nRETURN     all  --  0.0.0.0/0            0.0.0.0/0\n' \
	> "$TMP/iptables-L-filter.txt"
check_status "a listing with a damaged Chain line imports, with errors (exit 3)" 3 \
	"$NATLOG" --db "$TMP/d.db" import -q "$TMP/iptables-L-filter.txt"
eq "the two Chain lines and the row under each are errors, at their lines" "5 7 9 11" \
	"$("$NATLOG" --db "$TMP/d.db" sql "SELECT group_concat(line, ' ') FROM (SELECT line FROM errors ORDER BY line)" | tail -1)"
eq "the line is shown whole, its NUL bytes as U+2400" "Chain ␀␀FOO (1 references)" \
	"$("$NATLOG" --db "$TMP/d.db" errors --json | python3 -c 'import json,sys; print([e["text"] for e in json.load(sys.stdin) if e["line"] == 5][0])')"
eq "and the chains that could be read keep their own rules" "INPUT:1:ACCEPT OK:1:RETURN" \
	"$("$NATLOG" --db "$TMP/d.db" sql "SELECT group_concat(chain || ':' || position || ':' || target, ' ') FROM (SELECT * FROM rules ORDER BY id)" | tail -1)"

# An iptables-save paste that lost a line break after a chain line
# (":foo - [0:0]-A PREROUTING -j foo"): the rule is read, numbered where
# it stands, and the line is an error; other text after the counters is
# an error too. Neither vanished silently before.
fresh
printf '*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:foo - [0:0]-A PREROUTING -j foo\n-A PREROUTING -j RETURN\n:bar - [0:0] junk\nCOMMIT\n' \
	> "$TMP/iptables-save.txt"
check_status "a chain line and a rule run together import, with errors (exit 3)" 3 \
	"$NATLOG" --db "$TMP/d.db" import -q "$TMP/iptables-save.txt"
eq "lines 4 and 6 are errors" "4 6" \
	"$("$NATLOG" --db "$TMP/d.db" sql "SELECT group_concat(line, ' ') FROM (SELECT line FROM errors ORDER BY line)" | tail -1)"
eq "the rule on the chain line is PREROUTING's first, the next its second" "1:foo 2:RETURN" \
	"$("$NATLOG" --db "$TMP/d.db" sql "SELECT group_concat(position || ':' || target, ' ') FROM (SELECT * FROM rules WHERE chain = 'PREROUTING' ORDER BY position)" | tail -1)"
eq "and both chains are declared" "bar foo" \
	"$("$NATLOG" --db "$TMP/d.db" sql "SELECT group_concat(name, ' ') FROM (SELECT name FROM chains WHERE builtin = 0 ORDER BY name)" | tail -1)"

# A dump cut short, or two pasted together: a table with no COMMIT before
# the next table or the end of the file is an error, not chains that look
# empty.
fresh
printf '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j RETURN\n' \
	> "$TMP/iptables-save.txt"
check_status "tables without COMMIT import, with errors (exit 3)" 3 \
	"$NATLOG" --db "$TMP/d.db" import -q "$TMP/iptables-save.txt"
eq "the next table's line and the last line are errors" "4 6" \
	"$("$NATLOG" --db "$TMP/d.db" sql "SELECT group_concat(line, ' ') FROM (SELECT line FROM errors ORDER BY line)" | tail -1)"
eq "and both tables keep their rules" "INPUT:1 PREROUTING:1" \
	"$("$NATLOG" --db "$TMP/d.db" sql "SELECT group_concat(chain || ':' || position, ' ') FROM (SELECT * FROM rules ORDER BY id)" | tail -1)"

# An nft trace whose packet: line a paste wrapped: the rest ("== syn tcp
# window 64240") is an error at its line, not a skipped line; a prompt
# line is skipped.
fresh
printf 'trace id 1a2b3c4d ip filter input packet: iif "eth0" ip saddr 10.0.0.1 ip daddr 10.0.0.2 ip protocol tcp tcp sport 1000 tcp dport 22 tcp flags\n == syn tcp window 64240\ntrace id 1a2b3c4d ip filter input rule tcp dport 22 accept (verdict accept)\n$ nft monitor trace\n' \
	> "$TMP/wrapped.trace"
check_status "a wrapped trace imports, with an error (exit 3)" 3 \
	"$NATLOG" --db "$TMP/d.db" import -q "$TMP/wrapped.trace"
eq "line 2 is the error" "2" \
	"$("$NATLOG" --db "$TMP/d.db" sql "SELECT group_concat(line, ' ') FROM errors" | tail -1)"
eq "and the packet is accepted by its rule" "accept" \
	"$("$NATLOG" --db "$TMP/d.db" sql "SELECT verdict FROM packets" | tail -1)"
# Syslog records run together on one line (a manual's example lost its
# line breaks): each is read as a record of its own, as on its own line.
sed 's/\[ *[0-9.]*\] //' "$TD/lab/log-dnat/messages" > "$TMP/syslog-lines.txt"
tr '\n' ' ' < "$TMP/syslog-lines.txt" > "$TMP/syslog-run.txt"
echo >> "$TMP/syslog-run.txt"
check "syslog records on their own lines import" "$NATLOG" --db "$TMP/sl.db" import -q "$TMP/syslog-lines.txt"
check "the same records run together on one line import" "$NATLOG" --db "$TMP/sr.db" import -q "$TMP/syslog-run.txt"
"$NATLOG" --db "$TMP/sl.db" traces --json > "$TMP/sl.json"
"$NATLOG" --db "$TMP/sr.db" traces --json > "$TMP/sr.json"
check "they give the same 16 packets, each its prefix and addresses" python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
key = lambda j: [(p["trace"], p["log_prefix"], p["src"], p["dst"], p["ip_id"]) for p in j]
sys.exit(0 if len(a) == 16 and key(a) == key(b) else 1)' "$TMP/sl.json" "$TMP/sr.json"
eq "the one line holds an event per record, as the lines do" \
	"$(grep -c . "$TMP/syslog-lines.txt")" \
	"$("$NATLOG" --db "$TMP/sr.db" sql "SELECT count(*) FROM events" | tail -1)"

# Two listings in one paste, as a maintainer asks for them ("iptables
# -nvL; iptables -nvL -t nat", wireguard-install #1): each command's
# table is its listing's, in order; without the command, a listing's
# built-in chains after the user chains of the one before start it.
L2=$TD/lab/docker-legacy
{ echo '[root@host ~]# sudo iptables -nvL --line-numbers; sudo iptables -nvL -t nat --line-numbers'
  cat "$L2/iptables-L-filter.txt" "$L2/iptables-L-nat.txt"; } > "$TMP/two-listings.txt"
check "two listings under one command line import" "$NATLOG" --db "$TMP/two.db" import -q "$TMP/two-listings.txt"
eq "each chain is in its own listing's table" \
	"$(for t in filter nat; do sed -n 's/^Chain \([^ ]*\) .*/'$t' \1/p' "$L2/iptables-L-$t.txt"; done | sort | tr '\n' ' ')" \
	"$("$NATLOG" --db "$TMP/two.db" sql "SELECT tbl || ' ' || name FROM chains ORDER BY 1" | tail -n +2 | tr '\n' ' ')"
cat "$L2/iptables-L-filter.txt" "$L2/iptables-L-nat.txt" > "$TMP/two-bare.txt"
check "the same two listings without a command import" "$NATLOG" --db "$TMP/two-bare.db" import -q "$TMP/two-bare.txt"
eq "their tables are told by their chains" \
	"$(for t in filter nat; do sed -n 's/^Chain \([^ ]*\) .*/'$t' \1/p' "$L2/iptables-L-$t.txt"; done | sort | tr '\n' ' ')" \
	"$("$NATLOG" --db "$TMP/two-bare.db" sql "SELECT tbl || ' ' || name FROM chains ORDER BY 1" | tail -n +2 | tr '\n' ' ')"

# xtables-monitor --trace with the line numbers a page or a paste put
# before each line ("1 TRACE: 2 ...", "03: PACKET: 2 ..."): read as the
# lines themselves, never skipped as text.
M=$TD/real/xtables-monitor-manpage.txt
"$NATLOG" --db "$TMP/xm.db" import -q "$M"
"$NATLOG" --db "$TMP/xm.db" traces --json > "$TMP/xm.json"
awk '{ print NR " " $0 }' "$M" > "$TMP/xm-n.txt"
awk '{ printf "%02d: %s\n", NR - 1, $0 }' "$M" > "$TMP/xm-c.txt"
for v in n c; do
	check "numbered lines ($v) import without an error" "$NATLOG" --db "$TMP/xm-$v.db" import -q "$TMP/xm-$v.txt"
	"$NATLOG" --db "$TMP/xm-$v.db" traces --json > "$TMP/xm-$v.json"
	check "numbered lines ($v) give the packets and verdicts of the lines" python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
key = lambda j: [(p["trace"], p["verdict"], p["src"], p["proto"]) for p in j]
sys.exit(0 if a and key(a) == key(b) else 1)' "$TMP/xm.json" "$TMP/xm-$v.json"
done

# A syslog header damaged before the kernel's record on the same line
# ("Apr 1811:50:23 host kernel: [1038991.870882] TRACE: ..."): the record
# is read, and the line is counted once, not as skipped text as well.
sed -n '1,6p' "$TD/lab/log-target/messages" | sed 's/^\([A-Z][a-z][a-z]\) *\([0-9]*\) /\1 \2/' > "$TMP/glued-date.txt"
"$NATLOG" --db "$TMP/gd.db" import -q "$TMP/glued-date.txt"
"$NATLOG" --db "$TMP/gd.db" sources --json > "$TMP/gd.json"
check_json "each line is an event, an error or skipped, never two of them" \
	'j[0]["lines"] == 6 and j[0]["events"] + j[0]["errors"] + j[0]["skipped"] == 6 and j[0]["events"] > 0' < "$TMP/gd.json"

# A syslog relay's own header before the host's ("Jun 30 19:13:37 relay
# Nov 21 15:27:04 natlog-lab kern.warn kernel: ..."): the record is the
# host's, its host and prefix as the host logged them.
sed -n '5p' "$TD/lab/log-target/messages" | sed 's/^/Jun 30 19:13:37 192.0.2.1 /' > "$TMP/relayed.txt"
"$NATLOG" --db "$TMP/rl.db" import -q "$TMP/relayed.txt"
"$NATLOG" --db "$TMP/rl.db" traces --json > "$TMP/rl.json"
check_json "a relayed line keeps its host's name and its LOG prefix" \
	'len(j) == 1 and j[0]["host"] == "natlog-lab" and j[0]["log_prefix"] == "fwd-web:"' < "$TMP/rl.json"

# nft before 1.0.6 printed an iptables-nft compat statement in JSON as
# {"xt": null}: which match or target the rule held is not in the dump,
# so the rule is an error (its position kept), not a rule without it.
cat > "$TMP/xtnull.json" <<'EOT'
{"nftables": [{"metainfo": {"version": "1.0.2", "release_name": "Lester Gooch", "json_schema_version": 1}}, {"table": {"family": "ip", "name": "nat", "handle": 1}}, {"chain": {"family": "ip", "table": "nat", "name": "POSTROUTING", "handle": 1, "type": "nat", "hook": "postrouting", "prio": 100, "policy": "accept"}}, {"rule": {"family": "ip", "table": "nat", "chain": "POSTROUTING", "handle": 5, "expr": [{"match": {"op": "!=", "left": {"meta": {"key": "oifname"}}, "right": "docker0"}}, {"counter": {"packets": 0, "bytes": 0}}, {"xt": null}]}}, {"rule": {"family": "ip", "table": "nat", "chain": "POSTROUTING", "handle": 6, "expr": [{"counter": {"packets": 0, "bytes": 0}}, {"accept": null}]}}]}
EOT
check_status "a JSON dump with an xt null imports, the rule an error (exit 3)" 3 "$NATLOG" --db "$TMP/xn.db" import -q "$TMP/xtnull.json"
check_grep "the error says the xt statement was printed as null" "xt statement printed as null" \
	"$("$NATLOG" --db "$TMP/xn.db" errors > "$TMP/xn.txt"; echo "$TMP/xn.txt")"
eq "the rule after it keeps its position" "2" \
	"$("$NATLOG" --db "$TMP/xn.db" sql "SELECT position FROM rules WHERE chain = 'POSTROUTING' AND text LIKE 'counter%accept'" | tail -1)"

# explain's walk for the DNAT rule of a logged packet is bounded: a nat
# table whose 30 chains each jump to all the others (8 deep: 30^8 ways)
# must not keep explain busy for ever.
{
	echo '*nat'
	echo ':PREROUTING ACCEPT [0:0]'
	for i in $(seq 1 30); do echo ":C$i - [0:0]"; done
	for i in $(seq 1 30); do echo "-A PREROUTING -j C$i"; done
	for i in $(seq 1 30); do for j in $(seq 1 30); do [ "$i" != "$j" ] && echo "-A C$i -j C$j"; done; done
	echo 'COMMIT'
} > "$TMP/fan.save"
sed -n '2,3p' "$TD/lab/log-dnat/dmesg.txt" > "$TMP/fan.log"
check "a fanned-out nat table and two LOG lines import" "$NATLOG" --db "$TMP/fan.db" import -q "$TMP/fan.save" "$TMP/fan.log"
t=$("$NATLOG" --db "$TMP/fan.db" traces --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])')
check "explain of the logged packet ends (within 60 s)" timeout 60 "$NATLOG" --db "$TMP/fan.db" explain --trace "$t"

finish
