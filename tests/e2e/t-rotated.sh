#!/bin/sh
# A log rotated in the middle of a packet's trace: the next file goes on
# with the packet the file before left open, so it is one packet with one
# verdict, as in the log before rotation, each step keeping its own file
# and line. Only a kernel time within a second of the packet's last line
# continues it: a gap, another host, or lines without the kernel's time
# start a packet of their own.
. "$(dirname "$0")/lib.sh"

lab="$TD/lab/docker-legacy"
mkdir -p "$TMP/rot" "$TMP/gap" "$TMP/other" "$TMP/nostamp"
# cut the lab's syslog (the kernel's own TRACE lines) after a line in the
# middle of a packet's trace; messages.1 is the older file
python3 - "$lab/messages" "$TMP" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines(True)
out = sys.argv[2]
def key(l):
    m = re.search(r'SRC=(\S+) .* ID=(\d+) ', l)
    return m.groups() if m else None
k = next(i for i in range(len(lines) // 2, len(lines) - 1)
         if key(lines[i]) and key(lines[i]) == key(lines[i + 1])
         and 'raw:PREROUTING' not in lines[i + 1] and 'raw:PREROUTING' not in lines[i])
open(out + '/cut', 'w').write('%d\n' % (k + 1))
head, tail = lines[:k + 1], lines[k + 1:]
open(out + '/rot/messages.1', 'w').writelines(head)
open(out + '/rot/messages', 'w').writelines(tail)
# the same, the second file's kernel times 5 s later
def shift(l, d):
    return re.sub(r'\[ *(\d+\.\d+)\]', lambda m: '[%12.6f]' % (float(m.group(1)) + d), l)
open(out + '/gap/messages.1', 'w').writelines(head)
open(out + '/gap/messages', 'w').writelines(shift(l, 5) for l in tail)
# the second file another host's
open(out + '/other/messages.1', 'w').writelines(head)
open(out + '/other/messages', 'w').writelines(l.replace(' natlog-lab ', ' natlog-lab2 ') for l in tail)
# no kernel time in either (rsyslog without the dmesg stamp)
nost = [re.sub(r'\[ *\d+\.\d+\] ', '', l) for l in lines]
open(out + '/nostamp/messages.1', 'w').writelines(nost[:k + 1])
open(out + '/nostamp/messages', 'w').writelines(nost[k + 1:])
open(out + '/nostamp-one.log', 'w').writelines(nost)
PY
cut=$(cat "$TMP/cut")

q() {	# DB SQL: the first column of the first row
	"$NATLOG" --db "$1" sql --json "$2" | python3 -c 'import json,sys; r = json.load(sys.stdin); print(list(r[0].values())[0] if r else "")'
}
# every packet's trace id, verdict, deciding chain and number of lines
digest='SELECT count(*) || " " || group_concat(x, ",") FROM (SELECT p.trace || ":" || ifnull(p.verdict, "-") || ":" || ifnull(p.decided_chain, "-") || ":" || (SELECT count(*) FROM events e WHERE e.packet_id = p.id) AS x FROM packets p ORDER BY p.trace)'

"$NATLOG" --db "$TMP/one.db" import -q "$lab/messages" "$lab/iptables-save.txt"
"$NATLOG" --db "$TMP/rot.db" import -q "$TMP/rot" "$lab/iptables-save.txt"
eq "the rotated log gives the packets, verdicts and steps of the log before rotation" \
	"$(q "$TMP/one.db" "$digest")" "$(q "$TMP/rot.db" "$digest")"
split="SELECT packet_id FROM events e JOIN sources s ON s.id = e.source_id WHERE s.path LIKE '%/messages' AND e.line = 1"
pid=$(q "$TMP/rot.db" "$split")
eq "the packet cut by the rotation has lines in both files" 2 \
	"$(q "$TMP/rot.db" "SELECT count(DISTINCT source_id) FROM events WHERE packet_id = $pid")"
trace=$(q "$TMP/rot.db" "SELECT trace FROM packets WHERE id = $pid")
"$NATLOG" --db "$TMP/rot.db" explain --trace "$trace" --json > "$TMP/x.json"
check_json "explain gives each step its own file and line" \
	"('messages', 1) in [(s['file'].rsplit('/', 1)[1], s['line']) for s in j['steps']] and ('messages.1', $cut) in [(s['file'].rsplit('/', 1)[1], s['line']) for s in j['steps']] and j['verdict'] != 'unknown'" < "$TMP/x.json"

# no continuation across a gap, another host, or without the kernel's time
"$NATLOG" --db "$TMP/gap.db" import -q "$TMP/gap" "$lab/iptables-save.txt"
eq "five seconds later, the next file's line starts a packet of its own" 1 \
	"$(q "$TMP/gap.db" "SELECT count(DISTINCT source_id) FROM events WHERE packet_id = ($split)")"
eq "so the log holds one packet more" "$(( $(q "$TMP/one.db" "SELECT count(*) FROM packets") + 1 ))" \
	"$(q "$TMP/gap.db" "SELECT count(*) FROM packets")"
"$NATLOG" --db "$TMP/other.db" import -q "$TMP/other" "$lab/iptables-save.txt"
eq "another host's next file goes on with none of this host's packets" 1 \
	"$(q "$TMP/other.db" "SELECT count(DISTINCT source_id) FROM events WHERE packet_id = ($split)")"
"$NATLOG" --db "$TMP/nost1.db" import -q "$TMP/nostamp-one.log" "$lab/iptables-save.txt"
"$NATLOG" --db "$TMP/nost.db" import -q "$TMP/nostamp" "$lab/iptables-save.txt"
eq "without kernel times, nothing is carried across files" 1 \
	"$(q "$TMP/nost.db" "SELECT count(DISTINCT source_id) FROM events WHERE packet_id = ($split)")"
eq "and the cut packet is two" "$(( $(q "$TMP/nost1.db" "SELECT count(*) FROM packets") + 1 ))" \
	"$(q "$TMP/nost.db" "SELECT count(*) FROM packets")"

# two imports: the second file alone does not reach back into the store
"$NATLOG" --db "$TMP/two.db" import -q "$TMP/rot/messages.1" "$lab/iptables-save.txt"
"$NATLOG" --db "$TMP/two.db" import -q "$TMP/rot/messages"
eq "a file imported by a later command starts its own packets" 1 \
	"$(q "$TMP/two.db" "SELECT count(DISTINCT source_id) FROM events WHERE packet_id = ($split)")"

finish
