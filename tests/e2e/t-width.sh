#!/bin/sh
# t-width.sh - the text tables at a terminal (a pseudo-terminal of a given
# width, tests/e2e/pty-run.py): at 80 columns every line fits and the
# columns line up, whatever the input holds (wide characters, control
# bytes); --wide, a wide terminal and a pipe give whole values; and the
# import's progress line on .gz and .tar.gz input.
. "$(dirname "$0")/lib.sh"
export TZ=UTC LC_ALL=C.UTF-8
L=$TD/lab
E=$ROOT/tests/e2e
# pty COLS CMD...: CMD on a terminal COLS wide (0: one that reports no
# size), what the terminal received on stdout
pty() {
	_c=$1
	shift
	python3 "$E/pty-run.py" "$([ "$_c" = 0 ] && echo 0 || echo 24)" "$_c" "$TMP/pty.out" "$@"
	_rc=$?
	cat "$TMP/pty.out"
	return $_rc
}
wcheck() { python3 "$E/width-check.py" "$@"; }

# check_wc DESCRIPTION width-check ARGS...
check_wc() {
	desc=$1; shift
	if wcheck "$@" > "$TMP/wc" 2>&1; then ok "$desc"; else not_ok "$desc"; sed 's/^/    /' "$TMP/wc"; fi
}

# wall-clock times as dmesg -T prints them, conntrack -E with stamps,
# a capture, invalid packets, a LOG prefix and a rule comment with wide
# characters and an escape byte, and input errors
printf 'Nov 21 15:26:00 gw kernel: [ 1569.500000] \351\230\262\347\201\253\345\242\231\033[31mdrop: IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=1000 DPT=22 WINDOW=1 RES=0x00 SYN URGP=0\n' > "$TMP/log.txt"
printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m comment --comment "\351\230\262\347\201\253\345\242\231\350\247\204\345\210\231 with a long tail so that the text is cut at eighty columns" -j ACCEPT\nCOMMIT\n' > "$TMP/save.txt"
printf 'Nov 21 15:26:01 gw kernel: [ 1570.000000] TRACE: filter:FORWARD:rule:1 IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TTL=63 ID=99999999 PROTO=TCP SPT=1 DPT=2\n' > "$TMP/a-rather-long-file-name-of-a-log-that-had-an-unusable-line-in-it.txt"
"$NATLOG" import -q --host gw "$L/docker-legacy/dmesg-T.txt" "$L/docker-legacy/iptables-save.txt" \
	"$L/docker-legacy/conntrack-E.txt" "$L/docker-legacy/inside.pcap" "$L/ct-invalid/messages" \
	"$TMP/log.txt" "$TMP/save.txt" "$TMP"/a-rather-long-*.txt 2>/dev/null

"$NATLOG" traces > "$TMP/plain"
if awk 'length > 100 { n++ } END { exit !n }' "$TMP/plain"; then ok "the data makes lines wider than 80 columns"; else
	not_ok "the data makes lines wider than 80 columns"; fi

# table CMD COLUMN...: at 80 columns it fits and lines up under its
# heading (NAME:r for a right-aligned column); a pipe gets what --wide shows
table() {
	cmd=$1; shift
	pty 80 "$NATLOG" "$cmd" > "$TMP/$cmd.80"
	check_wc "$cmd at 80 columns: every line fits" fits 80 "$TMP/$cmd.80"
	check_wc "$cmd at 80 columns: the columns line up" aligned "$TMP/$cmd.80" "$@"
	pty 80 "$NATLOG" "$cmd" --wide | tr -d '\r' > "$TMP/$cmd.wide"
	"$NATLOG" "$cmd" > "$TMP/$cmd.pipe"
	check "$cmd: a pipe gets what --wide shows on a terminal" cmp -s "$TMP/$cmd.wide" "$TMP/$cmd.pipe"
}
table traces TRACE TIME PACKET VERDICT "DECIDED BY"
table flows FIRST FLOW NAT STATE
table sources KIND LINES:r EVENTS:r ERRORS:r IMPORTED PATH
table invalid TIME TRACE PACKET REASON
table rules HITS:r DROPS:r RULE TEXT
pty 80 "$NATLOG" errors > "$TMP/errors.80"
check_wc "errors at 80 columns: every line fits" fits 80 "$TMP/errors.80"
check_grep "errors at 80 columns: the file keeps its end and line" \
	"^….*-had-an-unusable-line-in-it.txt:1: ID=99999999 is not" "$TMP/errors.80"
pty 80 "$NATLOG" summary > "$TMP/summary.80"
check_wc "summary at 80 columns: every line fits" fits 80 "$TMP/summary.80"

# what is cut says so; what is whole stays whole
check_grep "a cut value ends in an ellipsis in a UTF-8 locale" "…" "$TMP/rules.80"
pty 80 env LC_ALL=C "$NATLOG" rules | tr -d '\r' > "$TMP/rules.c"
check "and in '~' in the C locale" sh -c "grep -q '~\$' '$TMP/rules.c' && ! grep -q '…' '$TMP/rules.c'"
check_grep "the wide characters and the escaped byte are in the table" \
	'(only logged: LOG "防火墙\\x1b\[31mdrop:")' "$TMP/traces.wide"
check_grep "--wide keeps dmesg -T times whole" "Sat Nov 21 15:25:58 2026" "$TMP/traces.wide"
check_grep "fitted, a wall-clock time is short" "15:25:58" "$TMP/traces.80"
check_grep "--wide keeps a rule's text whole" "cut at eighty columns\" -j ACCEPT" "$TMP/rules.wide"
check_grep "--wide keeps the path whole" "$L/docker-legacy/iptables-save.txt" "$TMP/sources.wide"
check_grep "flows prints local time, not epoch seconds" "^2026-11-21 15:25:58.543643 tcp" "$TMP/flows.pipe"
check_grep "flows fitted shows the clock to the hundredth" "15:25:58.54 tcp 10.77.1.2:60270" "$TMP/flows.80"
check "flows at 80 columns leaves the Community ID out rather than cut it" \
	sh -c "! grep -q 'COMMUNITY' '$TMP/flows.80'"
pty 0 env COLUMNS=200 "$NATLOG" flows > "$TMP/flows.200"
check_wc "COLUMNS=200 on a terminal that reports no size: lines fit 200" fits 200 "$TMP/flows.200"
check_grep "and flows shows its Community IDs whole" "1:A9s9Vs5jDQ33ZgE/8c1C0zbyV/A=" "$TMP/flows.200"
pty 200 "$NATLOG" sources > "$TMP/sources.200"
check_grep "a 200-column terminal shows the paths whole" "$L/docker-legacy/iptables-save.txt" "$TMP/sources.200"
"$NATLOG" flows --json > "$TMP/fj"
pty 80 "$NATLOG" flows --json | tr -d '\r' > "$TMP/fj.pty"
check "JSON is the same on a terminal" cmp -s "$TMP/fj" "$TMP/fj.pty"

# progress on compressed input and archives: it moves with the compressed
# bytes, never shows a negative ETA, and messages get lines of their own
python3 - "$TMP/big.log" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(60000):
        if i in (20001, 40001):
            f.write("Nov 21 15:26:00 gw kernel: [ 1200.000000] TRACE: filter:FORWARD:rule:1 IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TTL=63 ID=99999999 PROTO=TCP SPT=1 DPT=2\n")
        elif i % 4 == 0:
            f.write(f"Nov 21 15:26:{i // 1000 % 60:02d} gw kernel: [ {1000 + i / 1000:.6f}] TRACE: filter:FORWARD:rule:{i % 7 + 1} IN=eth0 OUT=eth1 SRC=10.0.{i % 250}.{i % 200} DST=10.1.0.1 LEN=60 TTL=63 ID={i % 65536} DF PROTO=TCP SPT={1024 + i % 60000} DPT=80 SEQ={i * 7919} ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0\n")
        else:
            f.write(f"Nov 21 15:26:00 gw sshd[{i}]: Accepted publickey for user from 192.0.2.{i % 255} port {i % 65535} ssh2: RSA SHA256:{i * 7 % 1000003:x}{i:x}\n")
PY
gzip -c "$TMP/big.log" > "$TMP/big.log.gz"
mkdir -p "$TMP/b/var/log" && cp "$TMP/big.log" "$TMP/b/var/log/messages" && tar -C "$TMP/b" -czf "$TMP/bundle.tar.gz" var
pty 80 "$NATLOG" --db "$TMP/p1.db" import "$TMP/big.log.gz" > "$TMP/p1"
check_wc "import of a .gz: the bar starts below 100 %, no negative ETA, messages on their own lines" \
	progress "$TMP/p1"
check_grep "and the errors are printed" "big.log.gz:20002: error: ID=99999999" "$TMP/p1"
check_wc "the offending line under an error is cut to the terminal's width" fits 80 "$TMP/p1" "gw kernel:"
pty 80 "$NATLOG" --db "$TMP/p2.db" import "$TMP/bundle.tar.gz" > "$TMP/p2"
check_wc "import of a .tar.gz: the same" progress "$TMP/p2"
check_grep "the line names the member being read" "bundle.tar.gz:var/log/messages" "$TMP/p2"
check_wc "the progress line fits the terminal" fits 80 "$TMP/p2" "MB/s"
finish
