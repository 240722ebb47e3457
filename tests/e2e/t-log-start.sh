#!/bin/sh
# A log that starts inside a packet's path (a rotated file, a ring buffer
# that wrapped, a paste) holds only the rest of that packet: the rules it
# met before the log's first line are not evidence against the dump. The
# inputs are the lab's docker-legacy kernel log (real TRACE lines) cut at
# a line inside a packet, and its syslog copy rotated in two, in an
# archive that lists the newer file first.
. "$(dirname "$0")/lib.sh"
L=$TD/lab/docker-legacy

q() {	# DB SQL: the first column of the first row
	"$NATLOG" --db "$1" sql --json "$2" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(list(r[0].values())[0] if r else "")'
}

# lines 11-16 are one packet: raw PREROUTING, then FORWARD rule 1 (-j
# DOCKER-USER, every packet), DOCKER-USER's return, FORWARD rule 2,
# DOCKER-ISOLATION-STAGE-1's return and FORWARD rule 3, which accepts it
"$NATLOG" --db "$TMP/full.db" import "$L/iptables-save.txt" "$L/dmesg.txt" > /dev/null 2>&1
want=$(q "$TMP/full.db" "SELECT verdict || ' ' || decided_chain || ':' || decided_position FROM packets WHERE ip_id = 45684")
eq "the whole log: the packet of IP ID 45684 is accepted by FORWARD rule 3" "accept FORWARD:3" "$want"

for from in 13 16; do
	tail -n +$from "$L/dmesg.txt" > "$TMP/cut$from.txt"
	check "a log starting at line $from of the packet's path imports" \
		"$NATLOG" --db "$TMP/cut$from.db" import "$L/iptables-save.txt" "$TMP/cut$from.txt"
	if grep -q "do not match the dump" "$TMP/err"; then
		not_ok "from line $from: no verdicts are said not to match the dump"; sed 's/^/    /' "$TMP/err"
	else ok "from line $from: no verdicts are said not to match the dump"; fi
	eq "from line $from: no chain is doubted" 0 "$(q "$TMP/cut$from.db" "SELECT count(*) FROM chain_doubts")"
	eq "from line $from: its verdict and deciding rule are the whole log's" "$want" \
		"$(q "$TMP/cut$from.db" "SELECT verdict || ' ' || decided_chain || ':' || decided_position FROM packets WHERE ip_id = 45684")"
	t=$(q "$TMP/cut$from.db" "SELECT trace FROM packets WHERE ip_id = 45684")
	"$NATLOG" --db "$TMP/cut$from.db" explain --json --trace "$t" > "$TMP/x.json"
	check_json "from line $from: explain says the log starts inside its path, and no contradiction" \
		'j["verdict"] == "accept" and any(d.startswith("the log starts inside this packet'"'"'s path") for d in j["diagnosis"]) and not any("does not match this trace" in d for d in j["diagnosis"]) and j["dump"]["fits"] is True and j["dump"]["contradicted_at"] is None' < "$TMP/x.json"
done

# the same cut lines after a packet of the host five seconds earlier: the
# log did not start there, so the skipped rule 1 contradicts the dump
{ sed -n 1,9p "$L/dmesg.txt" | awk '{ t = substr($0, 2, index($0, "]") - 2) - 5; printf "[%12.6f]%s\n", t, substr($0, index($0, "]") + 1) }'
  tail -n +16 "$L/dmesg.txt"; } > "$TMP/later.txt"
"$NATLOG" --db "$TMP/later.db" import "$L/iptables-save.txt" "$TMP/later.txt" > /dev/null 2>&1
eq "lines after an earlier packet of the host: the chain is doubted" 1 \
	"$(q "$TMP/later.db" "SELECT count(*) FROM chain_doubts")"
t=$(q "$TMP/later.db" "SELECT trace FROM packets WHERE ip_id = 45684")
"$NATLOG" --db "$TMP/later.db" explain --trace "$t" > "$TMP/later.out"
check_grep "and explain says which rule the trace should show" \
	"the dump's rule 1 (-A FORWARD -j DOCKER-USER) matches every packet, yet the trace does not show it" "$TMP/later.out"

# dmesg -T's rendering has no kernel times: its wall-clock seconds tell
tail -n +13 "$L/dmesg-T.txt" > "$TMP/cutT.txt"
"$NATLOG" --db "$TMP/cutT.db" import "$L/iptables-save.txt" "$TMP/cutT.txt" > /dev/null 2>&1
eq "dmesg -T from line 13: no chain is doubted" 0 "$(q "$TMP/cutT.db" "SELECT count(*) FROM chain_doubts")"
eq "dmesg -T from line 13: its verdict and deciding rule are the whole log's" "$want" \
	"$(q "$TMP/cutT.db" "SELECT verdict || ' ' || decided_chain || ':' || decided_position FROM packets WHERE ip_id = 45684")"
{ sed -n 1,9p "$L/dmesg-T.txt" | sed 's/15:25:58/15:25:53/'; tail -n +16 "$L/dmesg-T.txt"; } > "$TMP/laterT.txt"
grep -q "15:25:53" "$TMP/laterT.txt" || not_ok "the dmesg -T recording's first lines are at 15:25:58"
"$NATLOG" --db "$TMP/laterT.db" import "$L/iptables-save.txt" "$TMP/laterT.txt" > /dev/null 2>&1
eq "dmesg -T lines after an earlier packet of the host: the chain is doubted" 1 \
	"$(q "$TMP/laterT.db" "SELECT count(*) FROM chain_doubts")"

# the syslog copy rotated in two inside the packet, the newer file first
# in the archive: the packet is read as two, the second half is the log's
# start and keeps its verdict, the first half ends without one
mkdir -p "$TMP/rot/var/log"
sed -n 1,12p "$L/messages" > "$TMP/rot/var/log/messages.1"
tail -n +13 "$L/messages" > "$TMP/rot/var/log/messages"
tar -C "$TMP/rot" -cf "$TMP/rot.tar" var/log/messages var/log/messages.1
check "a rotated syslog in an archive, newer file first, imports" \
	"$NATLOG" --db "$TMP/rot.db" import "$L/iptables-save.txt" "$TMP/rot.tar"
if grep -q "do not match the dump" "$TMP/err"; then
	not_ok "no verdicts are said not to match the dump"; sed 's/^/    /' "$TMP/err"
else ok "no verdicts are said not to match the dump"; fi
eq "no chain is doubted" 0 "$(q "$TMP/rot.db" "SELECT count(*) FROM chain_doubts")"
eq "the second half keeps the whole log's verdict; the first half has none" "$want|unknown" \
	"$(q "$TMP/rot.db" "SELECT group_concat(v, '|') FROM (SELECT verdict || CASE WHEN decided_chain IS NULL THEN '' ELSE ' ' || decided_chain || ':' || decided_position END AS v FROM packets WHERE ip_id = 45684 ORDER BY source_id)")"
eq "every other packet has the whole log's verdict" \
	"$(q "$TMP/full.db" "SELECT group_concat(verdict, ',') FROM (SELECT verdict FROM packets WHERE ip_id IS NOT 45684 ORDER BY trace)")" \
	"$(q "$TMP/rot.db" "SELECT group_concat(verdict, ',') FROM (SELECT verdict FROM packets WHERE ip_id IS NOT 45684 ORDER BY trace)")"
# the two files imported by two commands, the newer first: the same
"$NATLOG" --db "$TMP/two.db" import "$L/iptables-save.txt" "$TMP/rot/var/log/messages" > /dev/null 2>&1
"$NATLOG" --db "$TMP/two.db" import "$TMP/rot/var/log/messages.1" > /dev/null 2>&1
eq "two imports, the newer file first: no chain is doubted" 0 "$(q "$TMP/two.db" "SELECT count(*) FROM chain_doubts")"
eq "and the second half keeps the whole log's verdict" "$want" \
	"$(q "$TMP/two.db" "SELECT verdict || ' ' || decided_chain || ':' || decided_position FROM packets WHERE ip_id = 45684 AND source_id = (SELECT id FROM sources WHERE path LIKE '%/messages')")"
# a log that starts inside a user chain with no built-in chain after it:
# the hook is the one the table and IN=/OUT= allow, or not known. A nat
# chain seen with IN= only was entered from prerouting or input.
printf '%s\n' \
	'[  100.000001] TRACE: nat:DOCKER:rule:1 IN=eth0 OUT= MAC= SRC=198.51.100.23 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=33120 DF PROTO=TCP SPT=51514 DPT=8080 SEQ=1 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0' \
	'[  100.000002] TRACE: filter:DOCKER-USER:rule:1 IN=eth0 OUT=docker0 MAC= SRC=198.51.100.23 DST=172.17.0.2 LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=33121 DF PROTO=TCP SPT=51515 DPT=80 SEQ=7 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0' \
	> "$TMP/user.log"
"$NATLOG" --db "$TMP/user.db" import -q "$TMP/user.log"
"$NATLOG" --db "$TMP/user.db" explain --json --trace "$(q "$TMP/user.db" "SELECT trace FROM packets WHERE ip_id = 33120")" > "$TMP/u1.json"
check_json "a nat user chain with IN= only: its hook is not known (JSON null)" \
	'[s["hook"] for s in j["steps"]] == [None]' < "$TMP/u1.json"
"$NATLOG" --db "$TMP/user.db" explain --trace "$(q "$TMP/user.db" "SELECT trace FROM packets WHERE ip_id = 33120")" > "$TMP/u1.txt"
check_grep "and explain says so, not a hook it guessed" "^  hook not known$" "$TMP/u1.txt"
"$NATLOG" --db "$TMP/user.db" explain --json --trace "$(q "$TMP/user.db" "SELECT trace FROM packets WHERE ip_id = 33121")" > "$TMP/u2.json"
check_json "a filter user chain with IN= and OUT=: forward, the one hook of table filter that has both" \
	'[s["hook"] for s in j["steps"]] == ["forward"]' < "$TMP/u2.json"

finish
