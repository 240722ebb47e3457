#!/bin/sh
# A kernel log's lines that are not netfilter's are searched for a dozen
# phrases (notices, a conntrack event or an audit record in the log, a
# TRACE or conntrack prefix cut short) through the byte pairs each line
# holds (pairs_may() in klog.c), whose table is marked by line number and
# cleared when that number wraps, after 65 535 such lines. The same lines
# found alone and among 140 000 others, before and after the wrap, with
# each phrase at a line's start, middle and end.
. "$(dirname "$0")/lib.sh"

# the lines to find: five notices (the last ends with its phrase), a
# conntrack event in a log, an audit record, a conntrack prefix cut short
# at the start of a line
cat > "$TMP/special" <<'EOF'
Nov  6 02:39:55 doom kernel: ip_conntrack: table full, dropping packet.
Feb 23 16:44:36 jobs kernel: [38775494.392631] nf_conntrack: table full, dropping packet
Jan 10 10:00:00 gw kernel: [ 1234.567890] TCP: request_sock_TCP: Possible SYN flooding on port 8080. Sending cookies.  Check SNMP counters.
WARNING: We have hit ENOBUFS! We are losing events.
Jan 10 10:00:01 gw kernel: net_ratelimit: 28 callbacks suppressed
Jan 10 10:00:02 gw conntrack[812]: [NEW] tcp      6 120 SYN_SENT src=10.0.0.2 dst=10.0.0.1 sport=40000 dport=80 [UNREPLIED] src=10.0.0.1 dst=10.0.0.2 sport=80 dport=40000
type=NETFILTER_PKT msg=audit(1700000000.123:42): mark=0x0 saddr=10.0.0.2 daddr=10.0.0.1 proto=6
nf_ct_proto_6: invalid packet
EOF
python3 - "$TMP/special" "$TMP/big.log" <<'PY'
import sys
special = open(sys.argv[1]).read().splitlines()
out = open(sys.argv[2], "w")
# 140 000 lines that hold none of the phrases; the special lines once
# before the table's number wraps (line 30 000) and twice after it
at = {30000: 0, 100000: 0, 139000: 0}
for i in range(140000):
    if i in at:
        out.write("\n".join(special) + "\n")
    out.write("Jan 10 10:%02d:%02d gw systemd[1]: Started Session %d of user root (uid=0 gid=0).\n"
              % (i // 60 % 60, i % 60, i))
PY
counts() {
	"$NATLOG" --db "$1" sql "SELECT (SELECT group_concat(kind, ' ') FROM (SELECT kind FROM notices ORDER BY kind)) || ' / ' || (SELECT count(*) FROM errors) || ' / ' || (SELECT count(*) FROM events)" | tail -1
}
"$NATLOG" --db "$TMP/one.db" import "$TMP/special" > /dev/null 2>&1
one=$(counts "$TMP/one.db")
check "alone, each special line is found (${one})" python3 -c "
import sys
kinds, errors, events = sys.argv[1].split(' / ')
assert len(kinds.split()) == 5 and int(errors) >= 2 and int(events) == 1, sys.argv[1]
" "$one"
"$NATLOG" --db "$TMP/big.db" import "$TMP/big.log" > /dev/null 2>&1
big=$(counts "$TMP/big.db")
check "among 140 000 other lines, before and after the table's number wraps, three times as many" python3 -c "
import sys
a, b = (x.split(' / ') for x in sys.argv[1:3])
assert sorted(b[0].split()) == sorted(a[0].split() * 3), (a, b)
assert int(b[1]) == 3 * int(a[1]) and int(b[2]) == 3 * int(a[2]), (a, b)
" "$one" "$big"
finish
