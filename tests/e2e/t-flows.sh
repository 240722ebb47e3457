#!/bin/sh
# natlog flows: conntrack records grouped into connections, with the tuple
# after NAT, traced packets and Community IDs (checked against an
# independent Python implementation of the spec).
. "$(dirname "$0")/lib.sh"
L=$TD/lab/docker-legacy
C=$TD/conntrack

# Community ID v1 (github.com/corelight/community-id-spec) written from the
# spec with hashlib, for comparison: cid(proto, src, sport, dst, dport),
# ICMP type and code as the ports.
cat > "$TMP/cid.py" <<'EOF'
import base64, hashlib, ipaddress, struct
V4 = {8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 10: 9, 9: 10, 17: 18, 18: 17}
V6 = {128: 129, 129: 128, 130: 131, 131: 130, 133: 134, 134: 133, 135: 136, 136: 135,
      139: 140, 140: 139, 144: 145, 145: 144}
def cid(proto, src, sport, dst, dport, seed=0):
    a, b = ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed
    ports = proto in (1, 6, 17, 58, 132)
    one_way = False
    if proto in (1, 58):
        m = V4 if proto == 1 else V6
        if sport in m:
            dport = m[sport]
        else:
            one_way = True
    if not one_way and (a > b or (a == b and ports and sport > dport)):
        a, b, sport, dport = b, a, dport, sport
    data = struct.pack("!H", seed) + a + b + struct.pack("BB", proto, 0)
    if ports:
        data += struct.pack("!HH", sport, dport)
    return "1:" + base64.b64encode(hashlib.sha1(data).digest()).decode()
PROTO = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58, "sctp": 132, "gre": 47, "udplite": 136, "dccp": 33, "igmp": 2}
def flow_cid(f, t):
    p = PROTO.get(f["proto"], f["proto"])
    if p in (1, 58):
        return cid(p, t["src"], t["type"], t["dst"], t["code"])
    return cid(p, t["src"], t["sport"], t["dst"], t["dport"])
EOF
export PYTHONPATH="$TMP"
check "the spec's own example in Python" python3 -c 'from cid import cid; assert cid(6, "1.2.3.4", 1122, "5.6.7.8", 3344) == "1:wCb3OG7yAFWelaUydu0D+125CLM="'

check "natlog flows --help needs no store" "$NATLOG" --db "$TMP/none.db" flows --help
check_status "an unknown option is a usage error" 2 "$NATLOG" flows --frob
check "import iptables-save alone" "$NATLOG" import -q "$L/iptables-save.txt"
check_status "no conntrack records: exit 1" 1 "$NATLOG" flows
"$NATLOG" flows --json > "$TMP/none.json"
check_json "and an empty array" 'j == []' < "$TMP/none.json"

check "import the docker-legacy conntrack and kernel log (the dump is in already)" \
	"$NATLOG" import -q "$L/conntrack-E.txt" "$L/conntrack-L.txt" "$L/dmesg.txt"
"$NATLOG" sources --json > "$TMP/src.json"
check_json "both conntrack files are recognised, without errors" \
	'sorted(s["kind"] for s in j if "conntrack" in s["path"]) == ["conntrack", "conntrack"] and all(s["errors"] == 0 for s in j)' < "$TMP/src.json"
check "natlog flows --json" "$NATLOG" flows --json
cp "$TMP/out" "$TMP/f.json"
check_json "one flow per connection: three TCP and IGMP from conntrack, and the dropped one only the trace saw" \
	'sorted(f["proto"] for f in j) == ["igmp", "tcp", "tcp", "tcp", "tcp"] and [f["orig"]["dport"] for f in j if f["sources"] == ["trace"]] == [9090]' < "$TMP/f.json"
check_json "in time order, the dump-only flow last" \
	'[f["first"] for f in j[:3]] == sorted(f["first"] for f in j[:3]) and j[3]["first"] is None' < "$TMP/f.json"
D='[f for f in j if f["orig"]["src"] == "10.77.1.2" and f["orig"]["dst"] == "10.77.1.1" and f["orig"]["dport"] == 8080][0]'
check_json "the DNATed connection keeps its original destination" \
	"$D[\"orig\"] == {\"src\": \"10.77.1.2\", \"sport\": 60270, \"dst\": \"10.77.1.1\", \"dport\": 8080}" < "$TMP/f.json"
check_json "translated: the container's address and port" \
	"$D[\"translated\"] == {\"src\": \"10.77.1.2\", \"sport\": 60270, \"dst\": \"10.77.2.2\", \"dport\": 80}" < "$TMP/f.json"
check_json "nat is dnat" "$D[\"nat\"] == \"dnat\"" < "$TMP/f.json"
check_json "traced packets of the connection are counted" "$D[\"packets\"][\"traced\"] > 0" < "$TMP/f.json"
check_json "its records: one NEW, five UPDATEs, one listing" \
	"$D[\"events\"] == {\"new\": 1, \"update\": 5, \"destroy\": 0, \"listed\": 1} and $D[\"packets\"][\"conntrack\"] == 7 and $D[\"state\"] == \"TIME_WAIT\" and $D[\"assured\"]" < "$TMP/f.json"
check_json "Community ID of the original tuple as the spec computes it" \
	"$D[\"community_id\"] == __import__(\"cid\").cid(6, \"10.77.1.2\", 60270, \"10.77.1.1\", 8080)" < "$TMP/f.json"
check_json "and of the translated tuple" \
	"$D[\"community_id_translated\"] == __import__(\"cid\").cid(6, \"10.77.1.2\", 60270, \"10.77.2.2\", 80)" < "$TMP/f.json"
check_json "the container's own connection is not NATed" \
	'[f["nat"] for f in j if f["orig"]["src"] == "10.77.2.1" and f["proto"] == "tcp"] == [None]' < "$TMP/f.json"
check "natlog flows" "$NATLOG" flows
check_grep "the text form shows the DNAT" "tcp 10.77.1.2:60270 -> 10.77.1.1:8080 *dnat to 10.77.2.2:80" "$TMP/out"
check "one line per flow plus the header" test "$(wc -l < "$TMP/out")" -eq 6

# The recordings of tests/lab/record-conntrack.sh: many protocols, both
# families, /proc, -o id. Events, listing and /proc of the same run group
# into one flow per connection.
export NATLOG_DB="$TMP/ct.db"
check "import the recorded conntrack output" \
	"$NATLOG" import -q "$C/conntrack-E-timestamp-id.txt" "$C/conntrack-L-extended-id.txt" "$C/proc-nf_conntrack.txt"
"$NATLOG" flows --json > "$TMP/ct.json"
check_json "every connection once" \
	'len(j) == 16 and all(f["events"]["new"] == 1 and f["events"]["destroy"] == 1 and f["events"]["listed"] == 2 for f in j)' < "$TMP/ct.json"
check_json "every Community ID as the spec computes it" \
	'all(f["community_id"] == __import__("cid").flow_cid(f, f["orig"]) and f["community_id_translated"] == __import__("cid").flow_cid(f, f["translated"]) for f in j)' < "$TMP/ct.json"
check_json "protocols and families" \
	'sorted({(f["proto"], f["family"]) for f in j}, key=str) == sorted({("tcp", "ip"), ("tcp", "ip6"), ("udp", "ip"), ("udp", "ip6"), ("icmp", "ip"), ("icmpv6", "ip6"), ("sctp", "ip"), ("gre", "ip"), ("udplite", "ip"), ("dccp", "ip"), (253, "ip")}, key=str)' < "$TMP/ct.json"
check_json "DNAT and masquerade of one UDP flow is both" \
	'[f["translated"] for f in j if f["nat"] == "both"] == [{"src": "10.77.242.1", "sport": [g for g in j if g["nat"] == "both"][0]["orig"]["sport"], "dst": "10.77.242.10", "dport": 53}]' < "$TMP/ct.json"
check_json "a masqueraded ping is snat, with type, code and id" \
	'[(f["translated"]["src"], f["translated"]["type"], f["translated"]["id"]) for f in j if f["proto"] == "icmp" and f["nat"] == "snat"] == [("10.77.242.1", 8, 4242)]' < "$TMP/ct.json"
check_json "IPv6 DNAT" \
	'[f["translated"]["dst"] for f in j if f["family"] == "ip6" and f["nat"] == "dnat"] == ["fd00:77:f2::10"]' < "$TMP/ct.json"
check_json "zone, mark, conntrack id and counters" \
	'any(f["zone"] == 7 for f in j) and any(f["mark"] == 42 for f in j) and all(f["ct_id"] for f in j) and all(f["counters"]["orig_packets"] >= 1 for f in j)' < "$TMP/ct.json"

# Real pastes of conntrack output (testdata/real/README), each in a store
# of its own.
R=$TD/real
q() { "$NATLOG" sql "$1" | tail -n +2; }	# the rows, without the header

# conntrack -E stopped with Ctrl-C: its summary line comes after the "^C"
# the terminal echoed, and is skipped as the summary it is.
export NATLOG_DB="$TMP/ctrlc.db"
check "the summary after '^C' is no error" "$NATLOG" import -q "$R/netify-mwan3-E-ctrl-c-summary.txt"
eq "two events, the summary line skipped" "2 1 0" \
	"$(q "SELECT (SELECT count(*) FROM conntrack) || ' ' || skipped || ' ' || errors FROM sources")"

# conntrack-tools before 1.4.2 printed -E -o timestamp stamps with
# "[%-8ld.%-6ld]" (its expectation events still do): microseconds
# left-aligned and padded with spaces. No real paste of it was found, so
# these lines are built from that format: 12345 us and 5 us, not .12345 s
# and .5 s.
export NATLOG_DB="$TMP/oldstamp.db"
printf '[1300000000.12345 ]\t    [NEW] tcp      6 120 SYN_SENT src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=80 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=80 dport=40000\n[1300000001.5     ]\t [UPDATE] tcp      6 60 SYN_RECV src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=80 src=10.0.0.2 dst=10.0.0.1 sport=80 dport=40000\n[1300000002.000007]\t [UPDATE] tcp      6 432000 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=80 src=10.0.0.2 dst=10.0.0.1 sport=80 dport=40000 [ASSURED]\n' > "$TMP/oldstamp.txt"
check "stamps of conntrack-tools before 1.4.2 import" "$NATLOG" import -q "$TMP/oldstamp.txt"
eq "their fractions are microseconds, as the current format's are" \
	"1300000000012345 1300000000.012345,1300000001000005 1300000001.000005,1300000002000007 1300000002.000007" \
	"$(q "SELECT group_concat(wall_us || ' ' || time, ',') FROM (SELECT wall_us, time FROM conntrack ORDER BY line)")"
"$NATLOG" flows --json > "$TMP/oldstamp.json"
check_json "the flow spans them" \
	'[(f["first"], f["last"]) for f in j] == [("1300000000.012345", "1300000002.000007")]' < "$TMP/oldstamp.json"

# A vendor kernel's /proc/net/nf_conntrack: flags ("[FASTNAT]", "[RTCACHE
# o33/r11]") and bare words ("slan", "nomac swan no_if") after the reply
# tuple, which natlog does not know and reads past.
export NATLOG_DB="$TMP/fastnat.db"
check "a vendor kernel's /proc rows import without errors" \
	"$NATLOG" import -q "$R/netmon-keenetic-proc-nf_conntrack-fastnat.txt"
"$NATLOG" flows --json > "$TMP/fastnat.json"
check_json "five flows, three SNATed, with their marks" \
	'sorted((f["proto"], f["nat"], f["translated"]["src"], f["mark"]) for f in j) == sorted([("tcp", "snat", "192.168.0.10", 0), ("tcp", "snat", "10.8.1.7", 268434095), ("udp", None, "fe80::aeba:c0ff:fe48:8a8e", 0), ("udp", None, "127.0.0.1", 0), ("icmp", "snat", "192.168.0.10", 0)], key=str)' < "$TMP/fastnat.json"
check_json "[ASSURED] before [FASTNAT] is kept" \
	'sorted(f["orig"]["dport"] for f in j if f["assured"] is True) == [80, 443]' < "$TMP/fastnat.json"
printf 'ipv4     2 tcp      6 1191 ESTABLISHED src=192.168.3.151 dst=199.232.210.172 sport=63854 dport=80 src=199.232.210.172 dst=192.168.0.10 sport=80 dport=63854 [FASTNAT] 1 use=2\n' > "$TMP/fastnat-bad.txt"
check_status "a number there is still an error" 3 "$NATLOG" import -q "$TMP/fastnat-bad.txt"

# conntrack events inside syslog or journal lines (VyOS's conntrack
# logger; `conntrack -E | logger`, a line built from what logger writes,
# no paste of it was found) are netfilter output natlog does not read:
# errors that say so, not lines skipped in silence. Ordinary syslog lines
# around them stay skipped.
export NATLOG_DB="$TMP/ctlog.db"
check_status "conntrack events in a journal are errors (exit 3)" 3 \
	"$NATLOG" import -q "$R/vyos-3804-conntrack-logger-journal.txt"
"$NATLOG" errors --json > "$TMP/ctlog.json"
check_json "each line, saying what natlog reads instead" \
	'[e["line"] for e in j] == [1, 2] and all("conntrack -E output only as conntrack prints it" in e["reason"] for e in j)' < "$TMP/ctlog.json"
export NATLOG_DB="$TMP/ctlogger.db"
printf 'Jul 16 12:55:11 fw1 sshd[812]: Accepted publickey for root from 10.0.0.9 port 50022 ssh2\nJul 16 12:55:12 fw1 conntrack: [NEW] tcp      6 120 SYN_SENT src=192.168.1.2 dst=10.0.0.1 sport=40000 dport=80 [UNREPLIED] src=10.0.0.1 dst=192.168.1.2 sport=80 dport=40000\nJul 16 12:55:13 fw1 systemd[1]: Started Daily apt upgrade and clean activities.\n' > "$TMP/ctlogger.log"
check_status "and through logger" 3 "$NATLOG" import -q "$TMP/ctlogger.log"
eq "only the conntrack line is an error, the others are skipped" "2 2" \
	"$(q "SELECT group_concat(line) || ' ' || (SELECT skipped FROM sources) FROM errors")"

# [OFFLOAD] and [HW_OFFLOAD] are printed in place of [ASSURED] (the kernel
# and libnetfilter_conntrack print one of the three): an offloaded entry's
# ASSURED is unknown, not absent.
export NATLOG_DB="$TMP/offload.db"
check "an offloaded connection's events import" \
	"$NATLOG" import -q "$R/nfdevel-2024-flowtable-offload-10x-quoted.txt"
eq "the [OFFLOAD] record's assured is NULL, the others' 0" "0,0,NULL" \
	"$(q "SELECT group_concat(ifnull(assured, 'NULL')) FROM (SELECT assured FROM conntrack ORDER BY line)")"
"$NATLOG" flows --json > "$TMP/offload.json"
check_json "flows --json says null, not false" \
	'[(f["state"], f["assured"]) for f in j] == [("ESTABLISHED", None)]' < "$TMP/offload.json"
check "and an [ASSURED] record still makes it true" "$NATLOG" import -q "$TD/real/nfdevel-2024-flowtable-E-quoted.txt"
"$NATLOG" flows --json > "$TMP/offload.json"
check_json "the connection whose LAST_ACK shows [ASSURED] is assured" \
	'sorted(str(f["assured"]) for f in j) == ["None", "True"]' < "$TMP/offload.json"

# `conntrack -L -o save` looks like iptables-save ("-A ..."); it is read as
# conntrack's entries (ct_save_snprintf: -g is the reply's source under
# DNAT, -q its destination), not called a stray iptables line.
export NATLOG_DB="$TMP/ctsave.db"
check "conntrack -o save output imports without error" \
	"$NATLOG" import -q "$R/conntrack-o-save-comment-example.txt"
eq "as a conntrack source of one entry" "conntrack 1 0" \
	"$(q "SELECT kind || ' ' || events || ' ' || errors FROM sources")"
"$NATLOG" flows --json > "$TMP/ctsave.json"
check_json "the entry: DNAT to 10.88.0.18:80 (-g, --reply-port-src), ESTABLISHED, assured" \
	'[(f["orig"], f["nat"], f["translated"]["dst"], f["translated"]["dport"], f["state"], f["assured"], f["unreplied"]) for f in j] == [({"src": "71.34.64.4", "sport": 47202, "dst": "172.31.26.253", "dport": 8080}, "dnat", "10.88.0.18", 80, "ESTABLISHED", True, False)]' < "$TMP/ctsave.json"
# `conntrack -S` prints the kernel's per-CPU counters; each line is a
# notice (ct-stats, its drop= as the count), not a file natlog cannot read.
export NATLOG_DB="$TMP/ctstats.db"
check "conntrack -S output imports" "$NATLOG" import "$R/concourse-4153-conntrack-S.txt"
if grep -q "not a format natlog reads" "$TMP/err"; then not_ok "read as conntrack output"; else ok "read as conntrack output"; fi
eq "the source is conntrack's" "conntrack" "$(q "SELECT kind FROM sources")"
eq "one ct-stats notice per CPU, with its line and drop counter" "2-9 8 0" \
	"$(q "SELECT min(line) || '-' || max(line) || ' ' || count(*) || ' ' || sum(count) FROM notices WHERE kind = 'ct-stats'")"
eq "the line is kept as printed (cpu 7's invalid=336)" "1" \
	"$(q "SELECT count(*) FROM notices WHERE line = 9 AND text LIKE 'cpu=7%invalid=336 %'")"
"$NATLOG" summary --json > "$TMP/ctstats.json"
check_json "summary --json counts the lines and their drops" \
	'j["conntrack_stats"] == {"lines": 8, "drop": 0}' < "$TMP/ctstats.json"
check "summary" "$NATLOG" summary
check_grep "and says so in text" "conntrack: -S says 0 packets dropped (drop= on 8 lines)" "$TMP/out"
# `conntrack -L -o xml` prints one <flow> a line (libnetfilter_conntrack's
# snprintf_xml.c); each is an entry like the text form's, the lines around
# them skipped.
export NATLOG_DB="$TMP/ctxml.db"
check "conntrack -o xml output imports" "$NATLOG" import -q "$R/tsuru-bs-conntrack-o-xml.txt"
eq "four entries, no errors, the XML frame skipped" "conntrack 4 0 3" \
	"$(q "SELECT kind || ' ' || events || ' ' || errors || ' ' || skipped FROM sources")"
"$NATLOG" flows --json > "$TMP/ctxml.json"
check_json "the flow to the published port is DNATed to the container's side" \
	'[(f["orig"]["dport"], f["nat"], f["translated"]["dst"], f["state"], f["assured"], f["ct_id"]) for f in j if f["orig"]["sport"] == 53922] == [(5000, "dnat", "172.17.0.1", "ESTABLISHED", True, 907490432)]' < "$TMP/ctxml.json"
check_json "the others are not NATed" \
	'sorted(f["orig"]["sport"] for f in j if f["nat"] is None) == [33404, 42418, 51388]' < "$TMP/ctxml.json"
# `conntrack -E expect` prints expectations ("[NEW] 30 proto=17 src=...
# mask-src=... master-src=... PERMANENT class=0 helper=mdns"), which natlog
# does not read: each line is an error saying so, not "no protocol name";
# the bare prompt that ends the paste is skipped.
export NATLOG_DB="$TMP/ctexpect.db"
check_status "an expectation's lines are errors (exit 3)" 3 \
	"$NATLOG" import -q "$R/nfdevel-2020-mdns-expect-E-wrapped.txt"
"$NATLOG" errors --json > "$TMP/ctexpect.json"
check_json "lines 2 to 5, each named an expectation" \
	'[(e["line"], "conntrack expectation" in e["reason"]) for e in j] == [(2, True), (3, True), (4, True), (5, True)]' < "$TMP/ctexpect.json"
eq "the prompts and the summary are skipped" "3" "$(q "SELECT skipped FROM sources")"
# conntrack -S's fallback to /proc/net/stat/nf_conntrack (ctnetlink
# refused: no CAP_NET_ADMIN in a pod) printed the totals in older
# conntrack-tools, one counter a line; the drop line is the notice, the
# rest and kubectl's closing line are skipped.
export NATLOG_DB="$TMP/ctstats-old.db"
check "conntrack -S totals import without error" "$NATLOG" import -q "$R/k8s-56903-conntrack-S-totals.txt"
eq "the drop line is the one ct-stats notice" "12 0" \
	"$(q "SELECT line || ' ' || count FROM notices WHERE kind = 'ct-stats'")"
eq "every other line is skipped, none an error" "19 0" "$(q "SELECT skipped || ' ' || errors FROM sources")"
# /proc/net/stat/nf_conntrack itself (what sosreport copies): a header
# naming the counters, then a row of hex numbers per CPU; each row is a
# ct-stats notice with its drop column (0x53a and 0x8 in netdata's paste)
export NATLOG_DB="$TMP/ctstats-proc.db"
check "/proc/net/stat/nf_conntrack imports without error" \
	"$NATLOG" import -q "$R/netdata-161-proc-net-stat-nf-conntrack.txt"
eq "a ct-stats notice a CPU, with its drop counter" "2 1338|3 0|4 8" \
	"$(q "SELECT group_concat(line || ' ' || count, '|') FROM (SELECT line, count FROM notices WHERE kind = 'ct-stats' ORDER BY line)")"
eq "the header is skipped, nothing is an error" "1 0" "$(q "SELECT skipped || ' ' || errors FROM sources")"
# counters are no kernel lines: the import says what they are
export NATLOG_DB="$TMP/ctstats-proc-say.db"
"$NATLOG" import --json "$R/netdata-161-proc-net-stat-nf-conntrack.txt" > "$TMP/ctproc-imp.json" 2> "$TMP/ctproc-imp.err"
check_json "import --json: two rows count drops, no kernel line says so" \
	'j["ct_stats_drop_rows"] == 2 and j["kernel_drop_lines"] == 0' < "$TMP/ctproc-imp.json"
check_grep "the import names the counters" "2 conntrack statistics rows (conntrack -S, /proc/net/stat/nf_conntrack) count packets the kernel dropped by itself" "$TMP/ctproc-imp.err"
check "and claims no kernel line" sh -c "! grep -q 'kernel line' '$TMP/ctproc-imp.err'"
"$NATLOG" summary --json > "$TMP/ctproc.json"
check_json "summary counts 1346 packets conntrack dropped, on 3 lines" \
	'j["conntrack_stats"] == {"lines": 3, "drop": 1346}' < "$TMP/ctproc.json"
# a newer kernel's names (clashres, chainlength; composed from
# nf_conntrack_standalone.c's format), an older one's trailing space, and
# a row that is not the header's numbers: an error, not a guess
export NATLOG_DB="$TMP/ctstats-proc2.db"
printf '%s\n' \
	'entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart' \
	'00000004  00000000 00000000 00000000 00000070 00000000 00000000 00000000 00000000 00000000 0000000a 00000000 00000000  00000000 00000000 00000000 00000001' \
	'00000004  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001 00000000 00000000  00000000 00000000 00000000 00000000 ' \
	'00000004  00000000 00000000' > "$TMP/nf_conntrack"
check_status "a row short of the header's columns is an error (exit 3)" 3 \
	"$NATLOG" import -q "$TMP/nf_conntrack"
eq "the two full rows are notices, drop 10 and 1" "2 10|3 1" \
	"$(q "SELECT group_concat(line || ' ' || count, '|') FROM (SELECT line, count FROM notices WHERE kind = 'ct-stats' ORDER BY line)")"
eq "the short row is the error" "4" "$(q "SELECT group_concat(line) FROM errors")"
# VyOS's `show conntrack statistics` puts conntrack -S's lines under a
# table header and a rule of dashes: those are skipped, not errors.
export NATLOG_DB="$TMP/ctstats-vyos.db"
check "VyOS's conntrack statistics import without error" "$NATLOG" import -q "$R/vyos-1489-show-conntrack-statistics.txt"
eq "four ct-stats notices, the header, rule and prompts skipped" "4 4 0" \
	"$(q "SELECT (SELECT count(*) FROM notices WHERE kind = 'ct-stats') || ' ' || skipped || ' ' || errors FROM sources")"
# An event broken after its original tuple: each piece is an error that
# says what it is, not "needs an original and a reply tuple" and "no
# protocol name".
export NATLOG_DB="$TMP/ctbroken.db"
check_status "a broken event's pieces are errors (exit 3)" 3 \
	"$NATLOG" import -q "$R/ulogd-printflow-post-conntrack-E-broken.txt"
"$NATLOG" errors --json > "$TMP/ctbroken.json"
check_json "the head is cut after its original tuple, the rest is a tuple without its entry" \
	'[(e["line"], e["reason"].split(" (")[0].split(":")[0]) for e in j] == [(1, "an entry cut after its original tuple"), (2, "a conntrack tuple without the entry'"'"'s protocol before it")]' < "$TMP/ctbroken.json"
# VyOS's `show conntrack table ipv4` (vyos-1x op_mode/conntrack.py) is a
# table of conntrack's entries: its rule of dashes gives the columns, a
# row is an entry (assured unknown: the table does not show it).
export NATLOG_DB="$TMP/ctvyos.db"
check "VyOS's conntrack table imports without error" "$NATLOG" import -q "$R/vyos-1425-show-conntrack-table.txt"
eq "two entries, the prompt, header and rule skipped" "conntrack 2 0 3" \
	"$(q "SELECT kind || ' ' || events || ' ' || errors || ' ' || skipped FROM sources")"
"$NATLOG" flows --json > "$TMP/ctvyos.json"
check_json "each row's tuples, state and id" \
	'[(f["orig"]["sport"], f["reply"]["dst"], f["nat"], f["state"], f["ct_id"], f["mark"], f["assured"]) for f in j] == [(52992, "192.168.122.1", None, "ESTABLISHED", 1584867853, 0, None), (52580, "192.168.122.1", None, "ESTABLISHED", 311010180, 0, None)]' < "$TMP/ctvyos.json"
export NATLOG_DB="$TMP/ctvyos2.db"
check "and with flow accounting's counters" "$NATLOG" import -q "$R/vyos-doc-2055-show-conntrack-table-counters.txt"
"$NATLOG" flows --json > "$TMP/ctvyos2.json"
check_json "the counters are read, an empty State is none" \
	'[(f["proto"], f["state"], f["counters"]["orig_packets"], f["counters"]["reply_bytes"]) for f in j] == [("tcp", "TIME_WAIT", 79, 8495), ("icmp", None, 31953, 2684052)]' < "$TMP/ctvyos2.json"
check "flows" "$NATLOG" flows
check_grep "an ICMP row without type or id shows neither" "icmp 192.168.50.1 -> 192.168.50.4  " "$TMP/out"
# conntrack -E says on stderr when the kernel dropped events (ENOBUFS): a
# notice that the record is incomplete, not three errors or a file natlog
# does not read.
export NATLOG_DB="$TMP/ctenobufs.db"
check "conntrack's ENOBUFS warning imports without error" "$NATLOG" import -q "$R/conntrack-tools-E-enobufs.txt"
eq "a loss notice of conntrack's at its line, the explanation skipped" "1 loss conntrack 2" \
	"$(q "SELECT line || ' ' || kind || ' ' || origin || ' ' || (SELECT skipped FROM sources) FROM notices")"
check "summary" "$NATLOG" summary
check_grep "summary says events were lost, no count after it when none was said" '^lost: *1 line says lines or events were lost$' "$TMP/out"
finish
