#!/bin/sh
# A dump taken after the ruleset changed (testdata/lab/stale-insert and
# stale-delete: traced, then rules inserted or deleted, then dumped; and
# stale-dump, whose stale dump is older than an insertion): every packet
# whose steps the change moved is flagged, none is explained with a rule
# that did not decide it, drops that captures contradict are no verdict,
# and the one shift that makes the dump fit is suggested, marked inferred.
. "$(dirname "$0")/lib.sh"
I=$TD/lab/stale-insert
D=$TD/lab/stale-delete
S=$TD/lab/stale-dump

# explain --json of every packet, one file each: $TMP/<name>.<n>.json in
# traces order, with what the tests look at
explain_all() {
	"$NATLOG" traces --json > "$TMP/t.json"
	python3 -c 'import json,sys; [print(p["trace"]) for p in json.load(open(sys.argv[1]))]' "$TMP/t.json" > "$TMP/ids"
	n=0
	while read -r id; do
		n=$((n + 1))
		"$NATLOG" explain --json --trace "$id" > "$TMP/$1.$n.json"
	done < "$TMP/ids"
}
# pkt NAME N PYTHON-EXPR DESCRIPTION: the check on packet N
pkt() {
	check_json "$4 (packet $2)" "$3" < "$TMP/$1.$2.json"
}
# The ESTABLISHED accept the trace's FORWARD rule:3 hit, the dump's rule 4
# after one rule was inserted at 3
EST='-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'
FWD3='{"table": "filter", "chain": "FORWARD", "position": 3, "position_max": 3, "shift": 1, "packets": 8}'

# 1. rules inserted after the trace, dump without counters, with captures
check "import the trace, the later dump, captures and conntrack" "$NATLOG" import -q \
	"$I/dmesg.txt" "$I/iptables-save.later.txt" "$I/outside.pcap" "$I/inside.pcap" "$I/conntrack-L.txt"
explain_all ins
# the analysis reads captured frames through indexes: a capture of 5000
# other TCP frames makes it read no more rows without one than a capture
# of the first of them does (NATLOG_PROFILE counts them as store.scan_rows)
python3 - "$TMP/other.pcap" 5000 <<'PY'
import struct, sys
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(int(sys.argv[2])):
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, i, 0x4000, 64, 6, 0,
                         bytes([10, 9, i // 250, i % 250 + 1]), bytes([10, 9, 255, 1]))
        tcp = struct.pack("!HHIIBBHHH", 40000 + i % 1000, 443, 1000 + i, 77, 0x50, 0x10, 512, 0, 0)
        frame = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + tcp
        f.write(struct.pack("<IIII", 1700000000 + i, 0, len(frame), len(frame)) + frame)
PY
head -c $((24 + 16 + 54)) "$TMP/other.pcap" > "$TMP/other1.pcap"
scan_rows() {
	rm -f "$TMP/scan.db"*
	NATLOG_PROFILE=1 "$NATLOG" --db "$TMP/scan.db" import -q "$@" 2>&1 |
		sed -n 's/^natlog profile: store.scan_rows [0-9.]* s //p'
}
without=$(scan_rows "$I/dmesg.txt" "$I/iptables-save.later.txt" "$I/outside.pcap" \
	"$I/inside.pcap" "$I/conntrack-L.txt" "$TMP/other1.pcap")
with=$(scan_rows "$I/dmesg.txt" "$I/iptables-save.later.txt" "$I/outside.pcap" \
	"$I/inside.pcap" "$I/conntrack-L.txt" "$TMP/other.pcap")
frames=$(NATLOG_DB=$TMP/scan.db "$NATLOG" sql "SELECT count(*) FROM events e JOIN sources s ON s.id = e.source_id WHERE s.path LIKE '%other.pcap'" | tail -1)
check "(the other capture's frames are stored: $frames)" test "$frames" -eq 5000
eq "the analysis reads none of them without an index ($without, then $with rows)" \
	"$without" "$with"
# nor the list of sources once per packet: 100 more sources (a bundle of
# many files) add about one reading of them to the whole analysis
for n in $(seq 1 100); do echo "net.ipv4.conf.eth$n.forwarding = 1" > "$TMP/s$n.conf"; done
one=$(scan_rows "$I/dmesg.txt" "$I/iptables-save.later.txt" "$I/outside.pcap" \
	"$I/inside.pcap" "$I/conntrack-L.txt" "$TMP/s1.conf")
many=$(scan_rows "$I/dmesg.txt" "$I/iptables-save.later.txt" "$I/outside.pcap" \
	"$I/inside.pcap" "$I/conntrack-L.txt" "$TMP"/s*.conf)
check "the analysis reads the sources about once, not once per packet ($one, then $many rows)" \
	test "$many" -le $((one + 2 * 100))
# packets 2-5: ACK, ACK PSH, ACK, ACK FIN of the accepted connection, whose
# FORWARD rule:3 reads as the inserted DROP
for n in 2 3 4 5; do
	pkt ins $n 'j["verdict"] == "unknown" and j["decided_by"]["rule"] is None and j["decided_by"]["position"] == 3' \
		"a drop the captures contradict is no verdict"
	pkt ins $n 'any(c["kind"] == "capture" and c["file"].endswith("inside.pcap") for c in j["contradictions"])' \
		"the capture behind the hook is named as evidence"
	pkt ins $n 'any(d.startswith("by the dump, filter:FORWARD:rule:3 dropped this packet, yet inside.pcap frame") and d.endswith("so the verdict is unknown") for d in j["diagnosis"])' \
		"the diagnosis says the dump is contradicted, with the frame"
	pkt ins $n '[(s["matches_dump"], s["rule"], s["inferred_rule"], s["inferred_position"], json.dumps(s["realignment"])) for s in j["steps"] if s["chain"] == "FORWARD" and s["position"] == 3] == [(False, None, "'"$EST"'", 4, json.dumps('"$FWD3"'))]' \
		"its step shows the ESTABLISHED accept as inferred, not as fact"
done
pkt ins 3 '[c["kind"] for c in j["contradictions"]].count("reply") == 2 and any("acknowledging it (ACK" in c["note"] for c in j["contradictions"])' \
	"the data packet is acknowledged by the peer in both captures"
pkt ins 5 'any(c["kind"] == "reply" for c in j["contradictions"])' "the FIN is acknowledged too"
pkt ins 2 'not any(c["kind"] == "reply" for c in j["contradictions"])' "a pure ACK takes no sequence space: no reply is taken as evidence"
# packet 1: the SYN, accepted by the unchanged filter DOCKER rule 1
pkt ins 1 'j["verdict"] == "accept" and j["decided_by"]["chain"] == "DOCKER" and j["decided_by"]["rule"].endswith("--dport 80 -j ACCEPT") and j["contradictions"] == []' \
	"the SYN's verdict and rule stand"
pkt ins 1 '[(s["table"], s["position"], s["matches_dump"], s["inferred_position"], s["realignment"]["position"], s["realignment"]["position_max"]) for s in j["steps"] if s["realignment"]] == [("nat", 2, False, 3, 1, 2), ("filter", 4, False, 5, 3, 3)]' \
	"its nat DOCKER and FORWARD steps are realigned, nat's position known as 1 or 2"
pkt ins 1 'any(d.startswith("consistent with this dump if 1 rule was inserted at filter FORWARD position 3 after the trace") for d in j["diagnosis"])' \
	"the diagnosis suggests the insertion"
# packets 6-8: the SYN to 9090 and its retransmissions, really dropped
for n in 6 7 8; do
	pkt ins $n 'j["verdict"] == "unknown" and j["contradictions"] == [] and j["decided_by"]["rule"] is None' \
		"a real drop is not contradicted, and the moved policy is not named as fact"
	pkt ins $n '[(s["inferred_rule"], s["inferred_position"]) for s in j["steps"] if s["type"] == "policy" and s["chain"] == "FORWARD"] == [("policy DROP", 8)]' \
		"its FORWARD policy:7 is the dump's chain end 8, inferred"
	pkt ins $n 'any(d.startswith("under that realignment filter:FORWARD:policy:7 is the dump'"'"'s chain end 8: policy DROP (inferred, not a fact)") for d in j["diagnosis"])' \
		"the diagnosis names the policy that most likely dropped it"
done
for n in 1 2 3 4 5 6 7 8; do
	pkt ins $n 'not [s for s in j["steps"] if s["chain"] == "FORWARD" and s["rule"] and s["position"] >= 3]' \
		"no FORWARD step at or past the insertion is explained with a dumped rule"
done
"$NATLOG" traces --json > "$TMP/t.json"
check_json "traces stores no contradicted drop" \
	'not [p for p in j if p["verdict"] == "drop"]' < "$TMP/t.json"
"$NATLOG" summary --json > "$TMP/s.json"
check_json "summary counts the contradicted drops" \
	'j["evidence_contradicted"] == 4 and j["dump_contradicted"] == 7' < "$TMP/s.json"
"$NATLOG" summary > "$TMP/s.txt"
check_grep "and says so" "4 of them the dump says were dropped, yet later packets, captures or conntrack show them through" "$TMP/s.txt"
"$NATLOG" explain --trace "$(sed -n 2p "$TMP/ids")" > "$TMP/x.txt"
check_grep "explain's journey marks the inferred rule" \
	"inferred: $EST  (the dump's rule 4, if 1 rule was inserted at FORWARD position 3)" "$TMP/x.txt"
rm -f "$NATLOG_DB"*

# the captures imported later: the stored drops are analysed again
check "import the trace with the later dump" "$NATLOG" import -q "$I/dmesg.txt" "$I/iptables-save.later.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "without captures traces says what explain says: the ACKs' verdict is unknown" \
	'[(p["verdict"], p["decided_by"]["chain"], p["decided_by"]["rule"]) for p in j[1:5]] == [("unknown", "FORWARD", None)] * 4 and not [p for p in j if p["verdict"] == "drop"]' < "$TMP/t.json"
"$NATLOG" summary --json > "$TMP/s.json"
check_json "and summary counts no drop" '[v for v in j["verdicts"] if v["verdict"] == "drop"] == [] and j["dropped_by"] == []' < "$TMP/s.json"
rm -f "$NATLOG_DB"*
# the check reads each packet's neighbours: it has a budget per import,
# and the import says what it left
NATLOG_RESTATE_MAX=1 "$NATLOG" import "$I/dmesg.txt" "$I/iptables-save.later.txt" > /dev/null 2> "$TMP/err"
check_grep "an import over its budget says how many verdicts it left unchecked" \
	"natlog: 3 verdicts decided in chains whose traced steps do not match the dump were not checked" "$TMP/err"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "and those are the ones traces still shows as the dump reads them" \
	'[p["verdict"] for p in j[1:5]] == ["unknown", "drop", "drop", "drop"]' < "$TMP/t.json"
explain_all insn
for n in 2 3 4 5; do
	pkt insn $n 'j["verdict"] == "unknown" and j["decided_by"]["rule"] is None and any(s["position"] == 3 and s["chain"] == "FORWARD" and not s["matches_dump"] for s in j["steps"])' \
		"explain: other packets show FORWARD changed, so its rule 3 is no fact"
	pkt insn $n 'any(d.startswith("several insertions or deletions in filter FORWARD") for d in j["diagnosis"])' \
		"and no shift is suggested: an insertion at 3 or at 4 fit alike"
done
check "import the captures afterwards" "$NATLOG" import -q "$I/inside.pcap"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the stored drops are contradicted now" \
	'not [p for p in j if p["verdict"] == "drop"]' < "$TMP/t.json"
rm -f "$NATLOG_DB"*

# 2. the same with counters (iptables-save -c), no captures: the inserted
# DROP counts 0 packets, which decides the position
check "import the trace with the later counted dump" "$NATLOG" import -q "$I/dmesg.txt" "$I/iptables-save-c.later.txt"
explain_all insc
for n in 2 3 4 5; do
	pkt insc $n 'j["verdict"] == "unknown" and [(s["mismatch_reason"], s["inferred_rule"]) for s in j["steps"] if s["chain"] == "FORWARD" and s["position"] == 3] == [("the dump counts 0 packets for it, yet 4 traced packets hit it", "'"$EST"'")]' \
		"counters flag the step and the realignment names the ESTABLISHED accept"
done
for n in 1 6; do
	pkt insc $n 'json.dumps([r for r in j["realignments"] if r["chain"] == "FORWARD"]) == json.dumps(['"$FWD3"'])' \
		"the FORWARD insertion at 3 is found"
done
rm -f "$NATLOG_DB"*

# 3. a rule deleted after the trace (FORWARD 1, the jump to DOCKER-USER)
check "import the trace with the dump taken after a deletion" "$NATLOG" import -q "$D/dmesg.txt" "$D/iptables-save-c.later.txt"
explain_all del
for n in 2 3 4 5; do
	pkt del $n '[(s["position"], s["matches_dump"], s["inferred_position"]) for s in j["steps"] if s["chain"] == "FORWARD"] == [(1, False, None), (2, False, 1), (3, False, 2)]' \
		"the deleted rule has no counterpart, the others move up by one"
	pkt del $n '[r["shift"] for r in j["realignments"]] == [-1] and j["verdict"] == "unknown" and (j["decided_by"] or {}).get("rule") is None' \
		"one shift of -1; no rule decides as fact"
	pkt del $n '[s["inferred_rule"] for s in j["steps"] if s["chain"] == "FORWARD" and s["position"] == 3] == ["'"$EST"'"]' \
		"rule 3 of the trace is the dump's ESTABLISHED accept, inferred"
done
for n in 6 7 8; do
	pkt del $n '[(s["inferred_rule"], s["inferred_position"]) for s in j["steps"] if s["type"] == "policy" and s["chain"] == "FORWARD"] == [("policy DROP", 6)]' \
		"the dropped SYN's policy:7 is the dump's chain end 6"
	pkt del $n 'any(d.startswith("consistent with this dump if 1 rule at filter FORWARD position 1 was deleted after the trace") for d in j["diagnosis"]) and any(d.startswith("consistent with this dump if 1 rule at nat DOCKER position 1 was deleted") for d in j["diagnosis"])' \
		"both deletions are suggested"
done
"$NATLOG" explain --trace "$(sed -n 2p "$TMP/ids")" > "$TMP/x.txt"
check_grep "explain says the trace's FORWARD rule 1 is not in the dump" \
	"inferred: not in this dump (deleted after the trace, if 1 rule was deleted at FORWARD position 1)" "$TMP/x.txt"
rm -f "$NATLOG_DB"*

# 4. a dump older than an insertion before the trace looks like a deletion
check "import the stale-dump trace with its stale dump" "$NATLOG" import -q "$S/dmesg.txt" "$S/iptables-save.stale.txt"
explain_all old
for n in 2 3 4 5; do
	pkt old $n '[(s["position"], s["inferred_position"]) for s in j["steps"] if s["chain"] == "FORWARD"] == [(2, 1), (3, 2), (4, 3)] and (j["decided_by"] or {}).get("rule") is None' \
		"every FORWARD step is realigned by one"
	pkt old $n 'any(d.startswith("the verdict is unknown: the trace'"'"'s last step filter:FORWARD:rule:4 does not match the dump") for d in j["diagnosis"]) and not any("rest of the trace is missing" in d for d in j["diagnosis"])' \
		"the trace is not said to be cut: its last step was moved"
	pkt old $n 'any(d.startswith("under that realignment filter:FORWARD:rule:4, the trace'"'"'s last step, is the dump'"'"'s rule 3: '"$EST"'") for d in j["diagnosis"])' \
		"the rule it most likely ended on is named, inferred"
done
pkt old 1 'j["verdict"] == "accept" and j["decided_by"]["chain"] == "DOCKER" and j["decided_by"]["rule"] is not None' \
	"the SYN's deciding rule, in an unchanged chain, stands"
rm -f "$NATLOG_DB"*

# 5. the dump of the trace's time and the later one: the ACKs fit both,
# but the SYN's trace contradicts the later one, so every packet is
# explained by the dump of its time, with nothing realigned
check "import the trace with both dumps" "$NATLOG" import -q "$I/dmesg.txt" "$I/iptables-save-c.txt" \
	"$I/iptables-save.later.txt"
explain_all two
for n in 1 2 3 4 5 6 7 8; do
	pkt two $n 'j["dump"]["source"].endswith("/iptables-save-c.txt") and j["realignments"] == [] and all(s["matches_dump"] for s in j["steps"]) and j["decided_by"]["rule"] is not None' \
		"the dump of its time explains it, nothing realigned"
done
pkt two 2 'j["verdict"] == "accept" and "the traces of other packets of this host do not contradict" in j["dump"]["why"]' \
	"an ACK that fits both dumps is told apart by the other packets' traces"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "traces stores the same verdicts" \
	'[p["verdict"] for p in j] == ["accept"] * 5 + ["drop"] * 3' < "$TMP/t.json"
rm -f "$NATLOG_DB"*
check "the later dump imported first changes nothing" "$NATLOG" import -q "$I/iptables-save.later.txt" \
	"$I/dmesg.txt" "$I/iptables-save-c.txt"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "the same verdicts whatever the order" \
	'[p["verdict"] for p in j] == ["accept"] * 5 + ["drop"] * 3' < "$TMP/t.json"
rm -f "$NATLOG_DB"*

# 6. the dump of the trace's time: nothing to realign, nothing contradicted
check "import the trace with the dump of its time" "$NATLOG" import -q "$I/dmesg.txt" "$I/iptables-save-c.txt" "$I/inside.pcap"
explain_all now
for n in 1 2 3 4 5 6 7 8; do
	pkt now $n 'j["realignments"] == [] and j["contradictions"] == [] and j["decided_by"]["rule"] is not None and all(s["matches_dump"] for s in j["steps"])' \
		"a matching dump is neither realigned nor contradicted"
done
# 7. explain reads a packet's neighbours only for chains in which some
# traced step of the host did not match the dump (chain_doubts), and then
# also for a packet whose own steps fit: here a packet that passed only
# filter FORWARD rule 1, before the insertion at 3
rm -f "$NATLOG_DB"*
{ cat "$I/dmesg.txt"; sed -n 4p "$I/dmesg.txt" | sed 's/^\[10968.767484\]/[10969.000001]/;
	s/ID=7428/ID=9999/; s/SPT=34818/SPT=40000/; s/SEQ=3036317996/SEQ=1000/'; } > "$TMP/fits.txt"
check "import the trace, one more packet that fits, and the later dump" "$NATLOG" import -q \
	"$TMP/fits.txt" "$I/iptables-save.later.txt"
"$NATLOG" sql --json "SELECT host, family, tbl, chain FROM chain_doubts ORDER BY tbl, chain" > "$TMP/d.json"
check_json "the chains whose steps did not match are kept" \
	'[(r["host"], r["family"], r["tbl"], r["chain"]) for r in j] == [("", 4, "filter", "FORWARD"), ("", 4, "nat", "DOCKER")]' < "$TMP/d.json"
"$NATLOG" traces --json > "$TMP/t.json"
FIT=$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(open(sys.argv[1])) if p["sport"] == 40000][0])' "$TMP/t.json")
"$NATLOG" explain --json --trace "$FIT" > "$TMP/fit.json"
check_json "a packet whose steps fit is still read against its chain's neighbours" \
	'all(s["matches_dump"] for s in j["steps"]) and any("in filter FORWARD" in d for d in j["diagnosis"][1:])' < "$TMP/fit.json"
python3 -c 'import sqlite3,sys; c = sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM chain_doubts"); c.commit()' "$NATLOG_DB"
"$NATLOG" explain --json --trace "$FIT" > "$TMP/fit.json"
check_json "with no chain in doubt, no neighbour is read" \
	'not any("filter FORWARD" in d for d in j["diagnosis"][1:])' < "$TMP/fit.json"
unframe "$NATLOG_DB"
python3 -c 'import sqlite3,sys; c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE meta SET value = 24 WHERE key = '"'schema_version'"'"); c.execute("DROP TABLE chain_doubts"); c.execute("DROP TABLE wire_dsts"); c.commit()' "$NATLOG_DB"
"$NATLOG" explain --json --trace "$FIT" > "$TMP/fit.json"
check_json "a store analysed before chain_doubts existed has every chain in doubt" \
	'any("in filter FORWARD" in d for d in j["diagnosis"][1:])' < "$TMP/fit.json"
printf 'net.ipv4.ip_forward = 1\n' > "$TMP/sysctl.conf"
check "an import upgrades that store" "$NATLOG" import -q "$TMP/sysctl.conf"
"$NATLOG" sql --json "SELECT host, family, tbl, chain FROM chain_doubts ORDER BY tbl, chain" > "$TMP/d.json"
check_json "which analyses its packets again and notes the chains in doubt anew" \
	'[(r["host"], r["family"], r["tbl"], r["chain"]) for r in j] == [("", 4, "filter", "FORWARD"), ("", 4, "nat", "DOCKER")]' < "$TMP/d.json"
"$NATLOG" explain --json --trace "$FIT" > "$TMP/fit.json"
check_json "and reads the neighbours as before" \
	'any("in filter FORWARD" in d for d in j["diagnosis"][1:])' < "$TMP/fit.json"
rm -f "$NATLOG_DB"*
# The lookups behind a dropped SYN's contradictions stay linear in the
# packets of one client: the lab's ct-invalid recording (one client, its
# SYNs to closed ports dropped) repeated with shifted times, IP IDs and
# client ports, 40 then 80 times. Before packets_src held the source port,
# the look for a later packet of each SYN's connection read every packet of
# the client: twice the copies were nearly four times the lookup work.
# (The work is SQLite's virtual machine steps: a count, not a time.)
cat > "$TMP/copies.py" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
def port(m, k):
    p = int(m.group(2))
    return m.group(1) + str(32768 + (p - 32768 + k * 13) % 28000 if p >= 32768 else p)
for n in (40, 80):
    with open("%s.%d" % (sys.argv[2], n), "w") as out:
        for k in range(n):
            for l in lines:
                l = re.sub(r"\[ *(\d+\.\d+)\]", lambda m: "[%12.6f]" % (float(m.group(1)) + k * 10), l)
                l = re.sub(r"( ID=)(\d+)", lambda m: m.group(1) + str((int(m.group(2)) + k * 7) % 65536), l)
                if "PROTO=TCP" in l:  # an ICMP echo's SEQ= is 16 bits
                    l = re.sub(r"( SEQ=)(\d+)", lambda m: m.group(1) + str((int(m.group(2)) + k * 100003) % 2**32), l)
                l = re.sub(r"( ACK=)([1-9]\d*)", lambda m: m.group(1) + str((int(m.group(2)) + k * 100003) % 2**32), l)
                l = re.sub(r"( [SD]PT=)(\d+)", lambda m: port(m, k), l)
                out.write(l + "\n")
PY
python3 "$TMP/copies.py" "$TD/lab/ct-invalid/messages" "$TMP/one-client"
# the steps of importing the files after the lab recording's dump ($1)
steps_with() {
	lab=$1
	shift
	rm -f "$TMP/steps.db"*
	NATLOG_PROFILE=1 "$NATLOG" --db "$TMP/steps.db" import -q "$TD/lab/$lab/iptables-save.txt" "$@" 2>&1 |
		sed -n 's/^natlog profile: store.sql_steps [0-9.]* s //p'
}
sql_steps() { steps_with ct-invalid "$@"; }
s40=$(sql_steps "$TMP/one-client.40")
s80=$(sql_steps "$TMP/one-client.80")
drops=$(NATLOG_DB=$TMP/steps.db "$NATLOG" traces --json --verdict drop | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check "(the 80 copies hold $drops dropped packets of one client)" test "$drops" -ge 500
check "a dropped SYN's lookups grow with the packets, not their square ($s40, then $s80 steps)" \
	test $((s80 * 10)) -le $((s40 * 25))
# the same packets traced in one file and conntrack's invalid lines in
# another: each line is joined to its packet by identity, and each packet
# reads the lines of its identity, not every line of its client
for n in 40 80; do
	grep -v nf_ct_proto "$TMP/one-client.$n" > "$TMP/traced.$n"
	grep nf_ct_proto "$TMP/one-client.$n" > "$TMP/invalid.$n"
done
j40=$(sql_steps "$TMP/traced.40" "$TMP/invalid.40")
j80=$(sql_steps "$TMP/traced.80" "$TMP/invalid.80")
joined=$(NATLOG_DB=$TMP/steps.db "$NATLOG" invalid --json | python3 -c 'import json,sys; j = json.load(sys.stdin); print(len(j), sum(1 for x in j if x.get("trace")))')
check "(every one of the 80 copies' invalid lines is joined to its traced packet: $joined)" \
	sh -c 'set -- $1; [ "$1" -ge 500 ] && [ "$1" = "$2" ]' sh "$joined"
check "joining them grows with the lines, not their square ($j40, then $j80 steps)" \
	test $((j80 * 10)) -le $((j40 * 25))
# packets of one identity with others between them (a paste whose
# addresses were redacted: two identities, by length, taking turns) are
# numbered on from the last number their trace id got, not from 1 each time
for n in 40 80; do
	awk '{ print } NR % 3 == 0 { printf "Nov 21 15:26:24 natlog-lab kern.warn kernel: [%d.000001] TRACE: raw:PREROUTING:rule:1 IN=eth0 OUT= SRC=XXX DST=XXX LEN=%d PROTO=TCP SPT=XXX DPT=XXX\n", 20000 + NR, 52 + NR % 2 * 8 }' \
		"$TMP/one-client.$n" > "$TMP/redacted.$n"
done
r40=$(sql_steps "$TMP/redacted.40")
r80=$(sql_steps "$TMP/redacted.80")
want=$(grep -c "SRC=XXX" "$TMP/redacted.80")
got=$(NATLOG_DB=$TMP/steps.db "$NATLOG" sql "SELECT count(DISTINCT trace) FROM packets WHERE src IS NULL AND uptime >= 20000" | tail -1)
eq "each of the $want redacted packets has a trace id of its own" "$want" "$got"
bases=$(NATLOG_DB=$TMP/steps.db "$NATLOG" sql "SELECT count(DISTINCT substr(trace, 1, 10)) FROM packets WHERE src IS NULL AND uptime >= 20000" | tail -1)
eq "(they share two trace ids, numbered on)" 2 "$bases"
check "numbering them grows with the packets, not their square ($r40, then $r80 steps)" \
	test $((r80 * 10)) -le $((r40 * 25))
# a log with many unreadable lines: whether a dump's file warned of
# iptables-legacy tables is asked of its own errors, not of every error
python3 "$TMP/copies.py" "$TD/lab/log-dnat/messages" "$TMP/dnat"
for n in 40 80; do
	awk '{ print } NR % 3 == 0 { printf "Dec  5 22:17:29 natlog-lab kern.warn kernel: [%d.000001] pre-ping: IN=eth0 OUT= SRC=10.77.1.2 DST=10.77.2.10 LEN=76 TOS=0x00 PREC=0x00 TTL=64 ID=31266 DF PROTO=ICMP TYPE=8 CODE=0 ID=7171 SEQ=99999999 \n", 20000 + NR }' \
		"$TMP/dnat.$n" > "$TMP/dnat-errors.$n"
done
e40=$(steps_with log-dnat "$TMP/dnat-errors.40")
e80=$(steps_with log-dnat "$TMP/dnat-errors.80")
errs=$(NATLOG_DB=$TMP/steps.db "$NATLOG" errors --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
eq "(the 80 copies' $errs unreadable lines are errors)" "$(grep -c 'SEQ=99999999' "$TMP/dnat-errors.80")" "$errs"
check "the analysis grows with them, not their square ($e40, then $e80 steps)" \
	test $((e80 * 10)) -le $((e40 * 25))
check "the store's packets_src index holds the source port" sh -c \
	'NATLOG_DB=$1 "$2" sql "SELECT sql FROM sqlite_master WHERE name = '"'packets_src'"'" | tail -1 | grep -q "(src, sport)"' \
	sh "$TMP/steps.db" "$NATLOG"
rm -f "$TMP/steps.db"*

# A log in rotated files (messages.00 ... .09): each file after the first
# looks each of its lines up in the others (a line two logs hold is one
# event); a filter of the stored lines' fingerprints answers for the
# lines no other file holds, so ten files take about the steps of one
# (3.9x before it)
python3 "$ROOT/tests/bench/gen.py" --kind syslog --size-mb 2 --nf-ratio 0.96 --seed 3 -o "$TMP/rot.log"
mkdir -p "$TMP/rot1" "$TMP/rot10"
cp "$TMP/rot.log" "$TMP/rot1/messages"
(cd "$TMP/rot10" && split -n l/10 -d -a 2 "$TMP/rot.log" messages.)
rot_steps() {
	rm -f "$TMP/rot.db"*
	NATLOG_PROFILE=1 "$NATLOG" --db "$TMP/rot.db" import -q "$1" 2>&1 |
		sed -n 's/^natlog profile: store.sql_steps [0-9.]* s //p'
}
r1=$(rot_steps "$TMP/rot1")
r10=$(rot_steps "$TMP/rot10")
check "ten rotated files take at most 1.5x the steps of one file ($r1, then $r10)" \
	test $((r10 * 10)) -le $((r1 * 15))
rq() { NATLOG_DB=$TMP/rot.db "$NATLOG" sql "$1" | tail -1; }
ev=$(rq "SELECT count(*) FROM events")
nf=$(grep -c -e 'TRACE:' -e 'nf_ct_' "$TMP/rot.log")
# the lines again, in the other renderings: each is a line the store
# holds (by its kernel stamp, by its wall-clock second, or aligned by its
# message), found through the filter, which never says no to one it holds
sed -E 's/^.* kernel: (\[ *[0-9]+\.[0-9]+\] )/\1/' "$TMP/rot.log" > "$TMP/rot.dmesg"
sed -E 's/ kernel: \[ *[0-9]+\.[0-9]+\] / kernel: /' "$TMP/rot.log" > "$TMP/rot.wall"
# a log the store holds again (dmesg beside the journal): each line is
# found by plain index lookups on the tables, not through the events view
# (whose co-routines read every column of the line found): fewer steps
# than the import that first stored them (3.1x before)
rm -f "$TMP/rot.db"*
s1=$(rot_steps "$TMP/rot.log")
sd=$(NATLOG_PROFILE=1 "$NATLOG" --db "$TMP/rot.db" import -q "$TMP/rot.dmesg" 2>&1 |
	sed -n 's/^natlog profile: store.sql_steps [0-9.]* s //p')
check "the same lines as dmesg prints them take fewer steps than storing them ($s1, then $sd)" \
	test "$sd" -le "$s1"
# and the other way round: each syslog line passes its wall-clock second
# on to the dmesg line it is (an update of the tables, not of the view,
# which read the view's rows first: 6.9x the steps of storing them; since
# schema 40 the second's update computes both keys again and moves the
# line in both of their indexes: 2.2x, 1.5x before)
s1=$(rot_steps "$TMP/rot.dmesg")
sd=$(NATLOG_PROFILE=1 "$NATLOG" --db "$TMP/rot.db" import -q "$TMP/rot.log" 2>&1 |
	sed -n 's/^natlog profile: store.sql_steps [0-9.]* s //p')
check "syslog's lines after dmesg's take at most 2.5x the steps of storing them ($s1, then $sd)" \
	test $((sd * 2)) -le $((s1 * 5))
rm -f "$TMP/rot.db"*
"$NATLOG" --db "$TMP/rot.db" import -q "$TMP/rot10"
for f in rot.log rot.dmesg rot.wall; do
	"$NATLOG" --db "$TMP/rot.db" import --json "$TMP/$f" > "$TMP/rot.json" 2> /dev/null
	eq "$f again adds no event" "$ev" "$(rq "SELECT count(*) FROM events")"
	check_json "each of its $nf netfilter lines was one the store held" \
		"j['lines_already'] == $nf and j['events'] == 0" < "$TMP/rot.json"
done
rm -rf "$TMP/rot"*
finish
