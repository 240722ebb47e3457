#!/bin/sh
# Captures as evidence: a DNAT'd connection is seen on both sides of the
# gateway with its translation; a dropped one only outside, and natlog says
# it is missing from the inside capture. Real lab recordings.
. "$(dirname "$0")/lib.sh"
L=$TD/lab/docker-legacy
first() { python3 -c 'import json,sys; j=json.load(sys.stdin); print(j[0]["trace"] if j else "none")'; }

check "import traces, dump and both captures" "$NATLOG" import -q "$L/dmesg.txt" "$L/iptables-save.txt" "$L/outside.pcap" "$L/inside.pcapng"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json --src 10.77.1.2 --port 8080 | first)" > "$TMP/acc.json"
check_json "the accepted SYN is seen outside before DNAT" \
	'any(e["source"] == "pcap" and e["seen"] and e["iface"] == "outside" and e["note"].startswith("before DNAT") for e in j["evidence"])' < "$TMP/acc.json"
check_json "and inside (docker0, from the pcapng) after DNAT" \
	'any(e["source"] == "pcap" and e["seen"] and e["iface"] == "docker0" and e["note"] == "after DNAT (to 10.77.2.2:80)" and e["frame"] for e in j["evidence"])' < "$TMP/acc.json"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json --src 10.77.1.2 --port 9090 | first)" > "$TMP/drop.json"
check_json "the dropped SYN is seen outside" \
	'any(e["source"] == "pcap" and e["seen"] and e["iface"] == "outside" for e in j["evidence"])' < "$TMP/drop.json"
check_json "and expected but not seen inside" \
	'any(e["source"] == "pcap" and not e["seen"] and e["iface"] == "docker0" for e in j["evidence"]) and any("never appears in inside.pcapng" in d for d in j["diagnosis"])' < "$TMP/drop.json"
export NATLOG_DB="$TMP/ct.db"
"$NATLOG" import -q "$L/dmesg.txt" "$L/iptables-save.txt" "$L/conntrack-E.txt"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json --src 10.77.1.2 --port 8080 | first)" > "$TMP/ct.json"
check_json "conntrack's events of the connection are evidence, with its DNAT" \
	'[e["note"] for e in j["evidence"] if e["source"] == "conntrack"][0] == "NEW SYN_SENT, unreplied, DNAT to 10.77.2.2:80" and len([e for e in j["evidence"] if e["source"] == "conntrack"]) >= 3' < "$TMP/ct.json"
export NATLOG_DB="$TMP/natlog.db"

check_json "without a common clock, natlog says the match is by identity alone" \
	'any(d.startswith("captures were matched by IP ID and addresses alone") for d in j["diagnosis"])' < "$TMP/drop.json"

# With the boot time (here: the capture's time of the SYN minus the kernel's
# uptime stamp of its first TRACE line, as `uptime -s` would have told)
# kernel times and capture times are on one clock.
export NATLOG_DB="$TMP/clock.db"
NATLOG_DB=$TMP/natlog.db "$NATLOG" explain --json --trace "$("$NATLOG" --db "$TMP/natlog.db" traces --json --src 10.77.1.2 --port 8080 | first)" > "$TMP/a0.json"
boot=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); t=[e["time"] for e in j["evidence"] if e["source"]=="pcap" and e["iface"]=="outside"][0]; print("%.6f" % (float(t) - j["uptime"]))' "$TMP/a0.json")
check "import with --boot-time" "$NATLOG" import -q --boot-time "$boot" "$L/dmesg.txt" "$L/iptables-save.txt" "$L/outside.pcap" "$L/inside.pcapng"
"$NATLOG" explain --json --trace "$("$NATLOG" traces --json --src 10.77.1.2 --port 8080 | first)" > "$TMP/a1.json"
check_json "captures are placed in time relative to the trace" \
	'any(e["source"] == "pcap" and e["iface"] == "docker0" and "s from the first traced step" in e["note"] for e in j["evidence"]) and not any(d.startswith("captures were matched") for d in j["diagnosis"])' < "$TMP/a1.json"
check_status "a bad --boot-time is a usage error" 2 "$NATLOG" import --boot-time yesterday "$L/dmesg.txt"

# A store of schema 26 (captured frames indexed by destination) is
# upgraded: each capture's destinations are listed once, and the dropped
# packet is still expected, unseen, in the inside capture.
# Captured frames are rows of frames (schema 28), which events shows as
# it showed the whole rows of event_rows that a store of schema 27 holds.
eq "captured frames are rows of frames, none of event_rows" "1 0" \
	"$("$NATLOG" --db "$TMP/natlog.db" sql "SELECT (SELECT count(*) > 40 FROM frames) || ' ' || (SELECT count(*) FROM event_rows WHERE kind = 'wire')" | tail -1)"
cp "$TMP/natlog.db" "$TMP/s27.db"
unframe "$TMP/s27.db"
wire="SELECT * FROM events WHERE kind = 'wire' ORDER BY id"
"$NATLOG" --db "$TMP/natlog.db" sql "$wire" > "$TMP/wire28"
"$NATLOG" --db "$TMP/s27.db" sql "$wire" > "$TMP/wire27"
check "events shows each frame as the whole row of schema 27 held it" cmp "$TMP/wire28" "$TMP/wire27"
check "(their times and MAC headers among them)" grep -q "	1[0-9]*\.[0-9]\{6\}	.*	[0-9a-f][0-9a-f]:[0-9a-f:]*	" "$TMP/wire27"
drop=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["trace"])' "$TMP/drop.json")
"$NATLOG" --db "$TMP/s27.db" explain --json --trace "$drop" > "$TMP/drop27.json"
"$NATLOG" --db "$TMP/natlog.db" explain --json --trace "$drop" > "$TMP/drop28.json"
check "a schema 27 store read as it is explains the dropped SYN as this one does" \
	cmp "$TMP/drop27.json" "$TMP/drop28.json"
cp "$TMP/s27.db" "$TMP/up27.db"
check "an import upgrades it" "$NATLOG" --db "$TMP/up27.db" import -q "$L/dmesg.txt"
"$NATLOG" --db "$TMP/up27.db" sql "$wire" > "$TMP/wireup"
check "which moves its frames into frames, shown as before" cmp "$TMP/wire28" "$TMP/wireup"
eq "and leaves none in event_rows" 0 \
	"$("$NATLOG" --db "$TMP/up27.db" sql "SELECT count(*) FROM event_rows WHERE kind = 'wire'" | tail -1)"
python3 - "$TMP/s27.db" "$TMP/s26.db" "$ROOT"/schema/0*.sql <<'PY'
import os, re, sqlite3, sys
a, b = sys.argv[1], sys.argv[2]
c = sqlite3.connect(b)
for f in sys.argv[3:]:
    v = int(re.match(r"0*(\d+)_", os.path.basename(f)).group(1))
    if v <= 26:
        c.executescript(open(f).read())
c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '26')")
c.execute("ATTACH ? AS a", (a,))
for (t,) in c.execute("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT IN ('meta', 'sqlite_sequence')").fetchall():
    cols = ", ".join('"%s"' % r[1] for r in c.execute("PRAGMA main.table_info(%s)" % t))
    c.execute("INSERT INTO main.%s(%s) SELECT %s FROM a.%s" % (t, cols, cols, t))
c.commit()
PY
eq "the schema 26 store indexes frames by destination" 1 \
	"$("$NATLOG" --db "$TMP/s26.db" sql "SELECT count(*) FROM sqlite_master WHERE name = 'events_wire_dst'" | tail -1)"
"$NATLOG" --db "$TMP/s26.db" explain --json --trace "$drop" > "$TMP/drop26.json"
check_json "read as it is (queries do not upgrade), it still expects the dropped SYN inside" \
	'any(e["source"] == "pcap" and not e["seen"] and e["iface"] == "docker0" for e in j["evidence"]) and any("never appears in inside.pcapng" in d for d in j["diagnosis"])' < "$TMP/drop26.json"
check "an import upgrades it" "$NATLOG" --db "$TMP/s26.db" import -q "$L/dmesg.txt"
frames="SELECT group_concat(dst || '@' || source_id, ' ') FROM (SELECT DISTINCT dst, source_id FROM frames WHERE dst IS NOT NULL ORDER BY 1, 2)"
listed="SELECT group_concat(dst || '@' || source_id, ' ') FROM (SELECT dst, source_id FROM wire_dsts ORDER BY 1, 2)"
want=$("$NATLOG" --db "$TMP/natlog.db" sql "$frames" | tail -1)
eq "an import lists each capture's destinations once" "$want" "$("$NATLOG" --db "$TMP/natlog.db" sql "$listed" | tail -1)"
eq "and so does the upgrade, from the frames" "$want" "$("$NATLOG" --db "$TMP/s26.db" sql "$listed" | tail -1)"
eq "which drops the index of frames by destination" 0 \
	"$("$NATLOG" --db "$TMP/s26.db" sql "SELECT count(*) FROM sqlite_master WHERE name = 'events_wire_dst'" | tail -1)"
"$NATLOG" --db "$TMP/s26.db" explain --json --trace "$drop" > "$TMP/drop26.json"
check_json "and so does the upgraded store" \
	'any(e["source"] == "pcap" and not e["seen"] and e["iface"] == "docker0" for e in j["evidence"]) and any("never appears in inside.pcapng" in d for d in j["diagnosis"])' < "$TMP/drop26.json"
finish
