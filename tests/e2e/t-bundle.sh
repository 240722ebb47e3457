#!/bin/sh
# A sosreport-shaped bundle built from the lab's real recordings: listings
# instead of saves for the host, compressed and overlapping rotated logs, a
# namespace's own save, a damaged file, links and hostile member names. It
# imports in one command and explain works on its traces.
. "$(dirname "$0")/lib.sh"
L=$TD/lab/docker-legacy

python3 - "$TMP" "$L" "$TD/lab/xtables-nft/iptables-save.txt" <<'PY'
import gzip, io, sys, tarfile, zipfile
tmp, lab, other_save = sys.argv[1:4]
top = "sosreport-natlog-lab-2026-11-21-abcdefg/"
lines = open(lab + "/messages", "rb").read().splitlines(keepends=True)
half = len(lines) // 2
members = {
    # rotated logs in the order the files were written, overlapping
    "var/log/messages.1.gz": gzip.compress(b"".join(lines[:half])),
    "var/log/messages": b"".join(lines[half - 5:]),
    "sos_commands/kernel/dmesg": open(lab + "/dmesg.txt", "rb").read(),
    "sos_commands/firewall_tables/iptables_-t_nat_-nvL": open(lab + "/iptables-L-nat.txt", "rb").read(),
    "sos_commands/firewall_tables/iptables_-t_filter_-nvL": open(lab + "/iptables-L-filter.txt", "rb").read(),
    "sos_commands/firewall_tables/iptables_-t_raw_-nvL": open(lab + "/iptables-L-raw.txt", "rb").read(),
    "sos_commands/networking/namespaces/ns1/ip_netns_exec_ns1_iptables-save": open(other_save, "rb").read(),
    "sos_commands/firewall_tables/iptables_-t_mangle_-nvL":
        b"Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
        b" pkts bytes target     prot opt in     out     source               destination\n"
        b"this row is damaged\n",
    "etc/hostname": b"natlog-lab\n",
}
with tarfile.open(tmp + "/sosreport.tar.xz", "w:xz") as t:
    for name, data in members.items():
        ti = tarfile.TarInfo(top + name)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    for name, target in (("hostname", "etc/hostname"), ("evil-link", "/etc/passwd")):
        ti = tarfile.TarInfo(top + name)
        ti.type = tarfile.SYMTYPE
        ti.linkname = target
        t.addfile(ti)
    for name in ("../../escaped.txt", "/abs/path.txt"):
        data = b"not netfilter\n"
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
with zipfile.ZipFile(tmp + "/logs.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("kern.log", open(lab + "/messages", "rb").read())
open(tmp + "/bomb.gz", "wb").write(gzip.compress(b"A" * (64 << 20)))
PY

cd "$TMP"
check_status "the bundle imports in one command (exit 3: one damaged file)" 3 "$NATLOG" import sosreport.tar.xz
check_grep "the damaged member is named with its line" "iptables_-t_mangle_-nvL:3: error" "$TMP/err"
check_grep "links in the archive are not followed" "links or devices were not read" "$TMP/err"
check_grep "lines in two overlapping files count once" "already in the store from another file" "$TMP/err"
check "nothing is written outside the store" sh -c '! test -e escaped.txt && ! test -e ../escaped.txt && ! test -e abs'
"$NATLOG" sources --json > "$TMP/src.json"
check_json "every member is a source named archive:member, the rotated .gz opened" \
	'any(s["path"].endswith(":sosreport-natlog-lab-2026-11-21-abcdefg/var/log/messages.1.gz") and s["events"] > 0 for s in j) and all(s["path"].startswith("sosreport.tar.xz:") for s in j)' < "$TMP/src.json"
check_json "the host comes from the bundle" 'all(s["host"] == "natlog-lab" for s in j)' < "$TMP/src.json"
"$NATLOG" sql --json "SELECT path, boot_us FROM sources WHERE path LIKE '%var/log/messages'" > "$TMP/boot.json"
check_json "the bundle's year dates its syslog lines, which then tell the boot time" \
	'j and all(int(r["boot_us"]) > 1700000000 * 10**6 for r in j)' < "$TMP/boot.json"
id=$("$NATLOG" traces --json --port 9090 --verdict drop | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])')
"$NATLOG" explain --json --trace "$id" > "$TMP/drop.json"
check_json "explain works on the bundle's traces, with the host's listings (not the namespace's save)" \
	'j["decided_by"]["chain"] == "FORWARD" and j["decided_by"]["type"] == "policy" and j["decided_by"]["rule"] == "policy DROP" and all(s["matches_dump"] for s in j["steps"])' < "$TMP/drop.json"
check_json "rule text comes from the listing" \
	'any(s["rule"] and s["rule"].startswith("DNAT ") and "to:10.77.2.2:8081" in s["rule"] for s in j["steps"])' < "$TMP/drop.json"
"$NATLOG" traces --json > "$TMP/all.json"
check_json "each packet once, though three files hold its lines" \
	"len(j) == $(grep -c -e 'raw:PREROUTING' -e 'raw:OUTPUT' "$L/dmesg.txt")" < "$TMP/all.json"
check "importing the bundle again adds nothing" "$NATLOG" import sosreport.tar.xz
check_grep "every member says so" "imported before" "$TMP/err"
check "a zip of logs imports" "$NATLOG" import -q logs.zip
check_status "a decompression bomb is cut at the limit and reported" 3 "$NATLOG" import --max-entry-size 1000000 bomb.gz
check_grep "the report names the limit" "expands beyond 1000000 bytes" "$TMP/err"
# An unpacked sosreport, named as sos 4 names it (host, case id, date, random
# suffix: sos/report/__init__.py) and read as a directory: its name gives the
# host and the year, as the archive's does. File names as sos's
# firewall_tables, networking and kernel plugins write them.
U="$TMP/sosreport-node7-01234567-2026-11-21-xkqpzvb"
mkdir -p "$U/sos_commands/firewall_tables" "$U/sos_commands/kernel" "$U/var/log"
cp "$L/iptables-L-nat.txt" "$U/sos_commands/firewall_tables/iptables_-t_nat_-nvL"
cp "$L/iptables-L-filter.txt" "$U/sos_commands/firewall_tables/iptables_-vnxL"
cp "$L/messages" "$U/var/log/messages"
check "an unpacked sosreport imports" "$NATLOG" import --db "$TMP/unpacked.db" -q "$U"
"$NATLOG" sources --db "$TMP/unpacked.db" --json > "$TMP/src.json"
check_json "an unpacked sosreport's directory name gives its files' host" \
	'len(j) == 3 and all(s["host"] == "node7" for s in j)' < "$TMP/src.json"
"$NATLOG" sql --db "$TMP/unpacked.db" --json "SELECT path, boot_us FROM sources WHERE path LIKE '%var/log/messages'" > "$TMP/boot.json"
check_json "and its year dates the syslog lines" \
	'j and all(r["boot_us"] and int(r["boot_us"]) > 1700000000 * 10**6 for r in j)' < "$TMP/boot.json"
# A SUSE supportconfig (supportutils' bin/supportconfig): network.txt holds
# each command's output under a "#==[ Command ]==#" header and its command
# line, listings and saves of each table one after the other, a namespace's
# too; boot.txt and messages.txt hold dmesg -T and the log. Each section is
# read as its command's format.
S="$TMP/scc_natlog-lab_261121_1530"
mkdir -p "$S"
cp "$TD/real/supportconfig-network.txt" "$S/network.txt"
{ echo '#==[ Log File ]=====================================#'
  echo '# /var/log/messages - Last 500 Lines'; cat "$L/messages"; echo
} > "$S/messages.txt"
{ echo '#==[ Command ]======================================#'
  echo '# /usr/bin/dmesg -T'; cat "$L/dmesg-T.txt"; echo
} > "$S/boot.txt"
(cd "$TMP" && tar cJf scc_natlog-lab_261121_1530.txz scc_natlog-lab_261121_1530)
export NATLOG_DB="$TMP/scc.db"
check "a supportconfig imports with no error" "$NATLOG" import -q "$TMP/scc_natlog-lab_261121_1530.txz"
"$NATLOG" sql --json "SELECT r.kind, r.netns, c.tbl, count(DISTINCT c.id) AS chains FROM rulesets r JOIN chains c ON c.ruleset_id = r.id GROUP BY r.id, c.tbl" > "$TMP/rs.json"
check_json "network.txt's listings and saves are each read as such, with their table" \
	'sorted((r["kind"], r["tbl"]) for r in j if r["netns"] is None) == sorted((k, t) for k in ("iptables-list", "iptables-save") for t in ("filter", "nat", "raw"))' < "$TMP/rs.json"
check_json "the namespace's listing is its own" \
	'[(r["kind"], r["tbl"]) for r in j if r["netns"] == "ns1"] == [("iptables-list", "nat")]' < "$TMP/rs.json"
"$NATLOG" sql --json "SELECT netns, value FROM sysctls WHERE name = 'net.ipv4.ip_forward'" > "$TMP/sc.json"
check_json "so is its sysctl" 'j == [{"netns": "ns1", "value": "0"}]' < "$TMP/sc.json"
"$NATLOG" errors --json > "$TMP/e.json" 2>/dev/null
check_json "no section is an error" 'j == []' < "$TMP/e.json"
"$NATLOG" traces --json > "$TMP/all.json"
check_json "each packet once, though boot.txt and messages.txt both hold it" \
	"len(j) == $(grep -c -e 'raw:PREROUTING' -e 'raw:OUTPUT' "$L/dmesg.txt")" < "$TMP/all.json"
id=$("$NATLOG" traces --json --port 9090 --verdict drop | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])')
"$NATLOG" explain --json --trace "$id" > "$TMP/drop.json"
check_json "explain works with the host's dumps from network.txt" \
	'j["decided_by"]["chain"] == "FORWARD" and j["decided_by"]["rule"] == "policy DROP" and all(s["matches_dump"] for s in j["steps"])' < "$TMP/drop.json"
"$NATLOG" sources --json > "$TMP/src.json"
check_json "the supportconfig's name gives its files' host" \
	'len(j) == 3 and all(s["host"] == "natlog-lab" for s in j)' < "$TMP/src.json"
# sos collect's archive (sos/collector/__init__.py: sos-collector-LABEL-DATE-
# RAND holding each node's sosreport archive and sos_logs/): each node's
# files have its own host, the collector's log none.
python3 - "$TMP" "$L" <<'PY'
import io, sys, tarfile
tmp, lab = sys.argv[1:3]
def tar_of(members):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w:xz") as t:
        for name, data in members.items():
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    return b.getvalue()
top = "sos-collector-lab-2026-11-21-qwert/"
outer = {}
for node in ("node1", "node2"):
    d = "sosreport-%s-2026-11-21-abcdefg/" % node
    outer[top + d[:-1] + ".tar.xz"] = tar_of({
        d + "sos_commands/firewall_tables/iptables_-t_nat_-nvL": open(lab + "/iptables-L-nat.txt", "rb").read(),
        d + "sos_commands/kernel/sysctl_-a": ("net.ipv4.ip_forward = %d\n" % (node == "node1")).encode(),
    })
outer[top + "sos_logs/sos.log"] = b"2026-11-21 15:26:00,001 INFO: Beginning collection\n"
open(tmp + "/sos-collector.tar.xz", "wb").write(tar_of(outer))
PY
export NATLOG_DB="$TMP/collector.db"
check "sos collect's archive imports" "$NATLOG" import -q "$TMP/sos-collector.tar.xz"
"$NATLOG" sql --json "SELECT host, value FROM sysctls ORDER BY host" > "$TMP/sc.json"
check_json "each node's sosreport gives its files its own host" \
	'j == [{"host": "node1", "value": "1"}, {"host": "node2", "value": "0"}]' < "$TMP/sc.json"
"$NATLOG" sources --json > "$TMP/src.json"
check_json "the collector's own log names no host" \
	'[s["host"] for s in j if s["path"].endswith("sos_logs/sos.log")] == [None]' < "$TMP/src.json"
# pvereport aligns iptables-save -c's columns (`column -t -l4 -o" "`): the
# save is still read as one, the same rules and counters as unaligned.
export NATLOG_DB="$TMP/aligned.db"
check "an aligned save imports" "$NATLOG" import -q "$TD/real/pvereport-iptables-save-c-column.txt"
"$NATLOG" sql --json "SELECT r.kind, r.time, count(*) AS n FROM rulesets r JOIN rules x ON x.ruleset_id = r.id GROUP BY r.id" > "$TMP/al.json"
check_json "it is read as iptables-save, its time kept" \
	'len(j) == 1 and j[0]["kind"] == "iptables-save" and j[0]["time"] == "Sat Nov 21 15:26:02 2026" and j[0]["n"] == '"$(grep -c -- '-A ' "$L/iptables-save-c.txt")" < "$TMP/al.json"
"$NATLOG" sql "SELECT tbl, chain, position, text, pkts, bytes FROM rules ORDER BY id" > "$TMP/al.tsv"
"$NATLOG" import -q --db "$TMP/plain.db" "$L/iptables-save-c.txt"
"$NATLOG" sql --db "$TMP/plain.db" "SELECT tbl, chain, position, text, pkts, bytes FROM rules ORDER BY id" > "$TMP/plain.tsv"
check "its rules, texts and counters are the unaligned save's" cmp "$TMP/al.tsv" "$TMP/plain.tsv"
# A pvereport (pve-manager's PVE/Report.pm): "==== title ====" groups of
# "# command" outputs; its firewall group's aligned iptables-save is read
# as a save, the rest as a log.
export NATLOG_DB="$TMP/pve.db"
check "a pvereport imports with no error" "$NATLOG" import -q "$TD/real/pvereport-firewall.txt"
"$NATLOG" sql --json "SELECT r.kind, r.time, count(*) AS n FROM rulesets r JOIN rules x ON x.ruleset_id = r.id GROUP BY r.id" > "$TMP/pv.json"
check_json "its iptables-save is read, with its time" \
	'len(j) == 1 and j[0]["kind"] == "iptables-save" and j[0]["time"] == "Sat Nov 21 15:26:02 2026" and j[0]["n"] == '"$(grep -c -- '-A ' "$L/iptables-save-c.txt")" < "$TMP/pv.json"
finish
