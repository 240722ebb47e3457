#!/bin/sh
# Every line ending a file can have (LF, CR LF, a lone CR, mixed, none at
# the end, a CR LF split by a read-block boundary) gives the same events,
# and no input makes the import loop forever.
. "$(dirname "$0")/lib.sh"

src="$TD/lab/docker-legacy/dmesg.txt"
"$NATLOG" --db "$TMP/lf.db" import -q "$src"
want=$("$NATLOG" --db "$TMP/lf.db" sql --json "SELECT count(*) AS n FROM events" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["n"])')
lines=$(wc -l < "$src")

events_of() {	# FILE: the events it gives in a store of its own
	rm -f "$TMP/le.db"*
	timeout 60 "$NATLOG" --db "$TMP/le.db" import -q "$1" || echo "exit $?" >&2
	"$NATLOG" --db "$TMP/le.db" sql --json "SELECT count(*) AS n FROM events" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["n"])'
}
python3 - "$src" "$TMP" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
lines = data.split(b'\n')[:-1]
out = sys.argv[2]
open(out + '/crlf.txt', 'wb').write(b''.join(l + b'\r\n' for l in lines))
open(out + '/cr.txt', 'wb').write(b''.join(l + b'\r' for l in lines))
ends = [b'\n', b'\r\n', b'\r']
open(out + '/mixed.txt', 'wb').write(b''.join(l + ends[i % 3] for i, l in enumerate(lines)))
# no line end after the last line, and a lone CR as the very last byte
open(out + '/noend.txt', 'wb').write(b'\n'.join(lines))
open(out + '/lastcr.txt', 'wb').write(b'\n'.join(lines) + b'\n' + b'abc\r')
# a CR LF whose CR is the last byte of the first 1 MiB block
pad = b'x' * 200 + b'\n'
head = b''
while len(head) + len(pad) < (1 << 20) - 300:
    head += pad
filler = b'y' * ((1 << 20) - len(head) - 1) + b'\r\n'
assert len(head + filler) == (1 << 20) + 1 and (head + filler)[(1 << 20) - 1:(1 << 20)] == b'\r'
open(out + '/split.txt', 'wb').write(head + filler + b''.join(l + b'\r\n' for l in lines))
PY
for f in crlf cr mixed noend lastcr split; do
	got=$(events_of "$TMP/$f.txt" 2>"$TMP/err")
	if [ "$got" = "$want" ] && ! grep -q exit "$TMP/err"; then ok "$f line ends: $got events, as with LF"; else
		not_ok "$f line ends: $got events, $want with LF"; sed 's/^/    /' "$TMP/err" | head -5; fi
done
rm -f "$TMP/le.db"*
"$NATLOG" --db "$TMP/le.db" import -q "$TMP/split.txt"
n=$("$NATLOG" --db "$TMP/le.db" sources --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["lines"])')
padlines=$(python3 -c 'print(sum(1 for _ in open("'"$TMP/split.txt"'", "rb").read().split(b"\r\n")[0].split(b"\n")))')
if [ "$n" -eq $((padlines + lines)) ]; then ok "a CR LF split by a block boundary is one line end ($n lines)"; else
	not_ok "a CR LF split by a block boundary: $n lines, wanted $((padlines + lines))"; fi
# tiny files that once looped forever
for t in 'abc\r' '\r' '\r\r' '\n\r' 'x\r\n\r'; do
	printf "$t" > "$TMP/tiny"
	t=$(od -An -tx1 "$TMP/tiny" | tr -s ' ')
	rm -f "$TMP/tiny.db"*
	timeout 20 "$NATLOG" --db "$TMP/tiny.db" import -q "$TMP/tiny" > /dev/null 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then ok "bytes$t import and end"; else not_ok "bytes$t (exit $rc)"; fi
done
finish
