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
# a new store's first import of a log and its dump analyses in two
# threads: the store is in WAL before the analysis (a lookup left on its
# row had kept it in its rollback journal, and the analysis in one thread)
mkdir -p "$TMP/gen"
python3 "$ROOT/tests/bench/gen.py" --kind syslog --seed 3 -o "$TMP/gen/messages" --size-mb 2 \
	--nf-ratio 0.96 > /dev/null
NATLOG_DB="$TMP/two.db" NATLOG_PROFILE=1 "$NATLOG" import -q "$TMP/gen/messages" \
	"$TMP/gen/iptables-save.txt" 2> "$TMP/prof2" > /dev/null
check "a new store's first import analyses its packets in two threads" python3 - "$TMP/prof2" <<'PY'
import re, sys
calls = {}
for line in open(sys.argv[1]):
    m = re.match(r"^natlog profile: (\S+) [0-9.]+ s ([0-9]+)$", line)
    if m:
        calls[m.group(1)] = int(m.group(2))
# one call of the list a batch; each batch's two halves, one a thread
assert calls["analyse.list"] > 2 and calls["analyse.cpu"] >= 2 * (calls["analyse.list"] - 1), calls
PY
# and its dump marks no packet for analysis again, none having been
# analysed yet: no pass over the packets (it filled the page cache with
# them, a 1 GB log's import peaking at 83 MB instead of 54)
check_grep "a new store's dump reads no packet to mark again" \
	"^natlog profile: store.scan_rows [0-9.]* s 0\$" "$TMP/prof2"
export NATLOG_DB="$TMP/quiet.db"
"$NATLOG" import -q "$LAB/messages" 2> "$TMP/quiet" > /dev/null
check "without NATLOG_PROFILE, no profile" sh -c "! grep -q 'natlog profile' '$TMP/quiet'"
NATLOG_PROFILE=0 "$NATLOG" import -q "$LAB/dmesg.txt" 2> "$TMP/quiet" > /dev/null
check "NATLOG_PROFILE=0 is off" sh -c "! grep -q 'natlog profile' '$TMP/quiet'"
finish
