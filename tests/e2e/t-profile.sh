#!/bin/sh
# NATLOG_PROFILE=1: an import says where its time went, one line per
# stage on stderr, and nothing of it without the variable.
. "$(dirname "$0")/lib.sh"

LAB="$TD/lab/docker-legacy"
NATLOG_PROFILE=1 "$NATLOG" import -q "$LAB/messages" "$LAB/iptables-save.txt" 2> "$TMP/prof" > /dev/null
check "every stage has its line" python3 - "$TMP/prof" <<'PY'
import re, sys
keys = {}
for line in open(sys.argv[1]):
    m = re.match(r"^natlog profile: (\S+) ([0-9.]+) s(?: ([0-9]+))?$", line)
    assert m, line
    keys[m.group(1)] = (float(m.group(2)), int(m.group(3) or 0))
for k in ("total.wall", "total.cpu", "parse.wall", "parse.cpu", "store.cpu", "store.event_insert",
          "store.packet_insert", "store.commit", "analyse.wall", "analyse.read_events", "analyse.cpu"):
    assert k in keys, k
assert keys["total.wall"][0] > 0
PY
n_events=$("$NATLOG" sql "SELECT count(*) FROM events" | tail -1)
n_packets=$("$NATLOG" sql "SELECT count(*) FROM packets" | tail -1)
check_grep "each event stored is one call of the event insert" "^natlog profile: store.event_insert [0-9.]* s $n_events\$" "$TMP/prof"
check_grep "each packet is read back once by the analysis" "^natlog profile: analyse.read_events [0-9.]* s $n_packets\$" "$TMP/prof"
export NATLOG_DB="$TMP/quiet.db"
"$NATLOG" import -q "$LAB/messages" 2> "$TMP/quiet" > /dev/null
check "without NATLOG_PROFILE, no profile" sh -c "! grep -q 'natlog profile' '$TMP/quiet'"
NATLOG_PROFILE=0 "$NATLOG" import -q "$LAB/dmesg.txt" 2> "$TMP/quiet" > /dev/null
check "NATLOG_PROFILE=0 is off" sh -c "! grep -q 'natlog profile' '$TMP/quiet'"
finish
