#!/bin/sh
# Support bundles of container platforms, laid out as their collectors
# write them (testdata/real/bundles, README there names each script): the
# EKS node log collector, the Rancher logs collector, cilium-bugtool and
# calicoctl node diags. Each netfilter file is read in its format, with
# the host and year the bundle's name gives, and the collector's own lines
# (headers, counts, Markdown fences, failure notes) are not taken for
# netfilter output.
. "$(dirname "$0")/lib.sh"
B=$TD/real/bundles

# eks-log-collector.sh: tar --directory=COLLECT_DIR . into
# eks_<instance id>_<date>_<time>-UTC_<version>.tar.gz
EKS=eks_i-0123456789abcdef0_2024-03-05_1430-UTC_0.7.9.tar.gz
tar -czf "$TMP/$EKS" -C "$B/eks-log-collector" .
export NATLOG_DB="$TMP/eks.db"
check "the EKS bundle imports without an error" "$NATLOG" import -q "$TMP/$EKS"
"$NATLOG" sources --json > "$TMP/s.json"
check_json "each file is read in its format" \
	'{s["path"].split(":./")[1]: s["kind"] for s in j} == {"networking/conntrack.txt": "conntrack", "networking/iptables-filter.txt": "iptables-list", "networking/iptables-save.txt": "iptables-save", "kernel/dmesg.current": "kernel-log", "var_log/messages": "kernel-log"}' < "$TMP/s.json"
check_json "no file has an error: the collector's headers and counts are its own" \
	'all(s["errors"] == 0 for s in j)' < "$TMP/s.json"
check_json "the instance id in the name is not taken for the host" \
	'all(s["host"] is None for s in j)' < "$TMP/s.json"
eq "conntrack -S under its header: a notice per CPU" "8" \
	"$("$NATLOG" sql "SELECT count(*) FROM notices WHERE kind = 'ct-stats'" | tail -1)"
eq "conntrack -L under its header: both entries" "2" \
	"$("$NATLOG" sql "SELECT count(*) FROM conntrack" | tail -1)"
eq "the listing's 57 rules, the count under it no rule" "57" \
	"$("$NATLOG" sql "SELECT count(*) FROM rules JOIN rulesets ON rulesets.id = rules.ruleset_id WHERE kind = 'iptables-list' AND tbl = 'filter'" | tail -1)"
# (its lines are of Mar 31, after the archive's 5 March: the year before's)
eq "the archive's date gives the syslog lines their year" "12" \
	"$("$NATLOG" sql "SELECT count(*) FROM events e JOIN sources s ON s.id = e.source_id WHERE s.path LIKE '%var_log/messages' AND e.host = 'slave1' AND e.wall_us >= 1672531200000000 AND e.wall_us < 1704067200000000" | tail -1)"

# the same bundle whose listing lost a rule row: the count says so
cp -R "$B/eks-log-collector" "$TMP/eks-cut"
sed -i '/^ *[0-9].* INPUT_direct /d' "$TMP/eks-cut/networking/iptables-filter.txt"
export NATLOG_DB="$TMP/eks-cut.db"
check_status "a listing without the rows its count names imports with an error" 3 \
	"$NATLOG" import -q "$TMP/eks-cut/networking/iptables-filter.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the error is at the count and names both numbers" \
	'len(j) == 1 and j[0]["line"] == 135 and "counted 57 rule rows" in j[0]["reason"] and "natlog read 56" in j[0]["reason"]' < "$TMP/e.json"

# rancher2_logs_collector.sh: $(hostname)-$(date +%Y-%m-%d_%H_%M_%S)/ in
# a tar of the same name, made with -C TMPDIR_BASE .
RAN=centos-7-01-2024-03-11_17_55_30
tar -czf "$TMP/$RAN.tar.gz" -C "$B/rancher2-logs-collector" .
export NATLOG_DB="$TMP/rancher.db"
check "the Rancher bundle imports" "$NATLOG" import -q "$TMP/$RAN.tar.gz"
"$NATLOG" sources --json > "$TMP/s.json"
check_json "its directory's name gives every file its host" \
	'len(j) == 3 and all(s["host"] == "centos-7-01" for s in j)' < "$TMP/s.json"
check_json "iptablessave is a save, iptables a listing, systeminfo/dmesg a kernel log" \
	'sorted((s["path"].rsplit("/", 1)[1], s["kind"]) for s in j) == [("dmesg", "kernel-log"), ("iptables", "iptables-list"), ("iptablessave", "iptables-save")]' < "$TMP/s.json"
eq "dmesg -T's packets are the host's" "3" \
	"$("$NATLOG" sql "SELECT count(*) FROM events WHERE host = 'centos-7-01'" | tail -1)"
eq "and so are the dumps" "2" \
	"$("$NATLOG" sql "SELECT count(*) FROM rulesets WHERE host = 'centos-7-01'" | tail -1)"
export NATLOG_DB="$TMP/rancher-dir.db"
check "unpacked, the directory gives the host as well" "$NATLOG" import -q "$B/rancher2-logs-collector/$RAN"
eq "every source of the directory is the host's" "3" \
	"$("$NATLOG" sql "SELECT count(*) FROM sources WHERE host = 'centos-7-01'" | tail -1)"

# cilium-bugtool (before 1.0): each command's output as Markdown in
# cmd/<command>.md, "# <command>", then the output between fences
export NATLOG_DB="$TMP/cilium.db"
check "the cilium-bugtool directory imports without an error" "$NATLOG" import -q "$B/cilium-bugtool-243785589"
"$NATLOG" sources --json > "$TMP/s.json"
check_json "the Markdown files are read as save, listing and kernel log, none with an error" \
	'sorted((s["path"].rsplit("/", 1)[1], s["kind"], s["errors"]) for s in j) == [("dmesg.md", "kernel-log", 0), ("iptables--L--v.md", "iptables-list", 0), ("iptables-save.md", "iptables-save", 0)]' < "$TMP/s.json"
eq "the save's mangle rule and the listing's six rows" "mangle:1 filter:6" \
	"$("$NATLOG" sql "SELECT tbl || ':' || count(*) FROM rules GROUP BY tbl ORDER BY tbl DESC" | tail -n +2 | tr '\n' ' ' | sed 's/ $//')"
# its note that a command failed, written above the output
mkdir -p "$TMP/cilium-bugtool-1/cmd"
{ printf "> Error while running 'iptables-save':  exit status 1\n\n"; cat "$B/cilium-bugtool-243785589/cmd/iptables-save.md"; } \
	> "$TMP/cilium-bugtool-1/cmd/iptables-save.md"
export NATLOG_DB="$TMP/cilium-failed.db"
check_status "a command cilium-bugtool saw fail is reported" 3 "$NATLOG" import -q "$TMP/cilium-bugtool-1"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "at the note's line, saying the output may be incomplete" \
	'len(j) == 1 and j[0]["line"] == 1 and "command failed" in j[0]["reason"] and "incomplete" in j[0]["reason"]' < "$TMP/e.json"
eq "the output under it is still read" "1" \
	"$("$NATLOG" sql "SELECT count(*) FROM rules" | tail -1)"

# calicoctl node diags: diagnostics/ipv4_tables and ipv6_tables, in
# diags-<date>_<time>.tar.gz
tar -czf "$TMP/diags-20200521_000322.tar.gz" -C "$B/calicoctl-node-diags" diagnostics
export NATLOG_DB="$TMP/calico.db"
check_status "calicoctl's bundle imports, the legacy warning an error" 3 \
	"$NATLOG" import -q "$TMP/diags-20200521_000322.tar.gz"
"$NATLOG" sql --json "SELECT s.path, r.family FROM rulesets r JOIN sources s ON s.id = r.source_id" > "$TMP/r.json"
check_json "ipv6_tables is IPv6 though xtables-save 1.8.2 names no family, ipv4_tables IPv4" \
	'sorted((r["path"].rsplit("/", 1)[1], r["family"]) for r in j) == [("ipv4_tables", 4), ("ipv6_tables", 6)]' < "$TMP/r.json"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the one error is ipv4_tables' warning, on its line" \
	'len(j) == 1 and j[0]["file"].endswith("diagnostics/ipv4_tables") and j[0]["line"] == 8' < "$TMP/e.json"

# a container's log as containerd writes it (EKS and Rancher bundles copy
# /var/log/pods): time, stream and tag, then the line the container printed
export NATLOG_DB="$TMP/cri.db"
check "a CRI container log imports" "$NATLOG" import -q "$TD/real/cri-log-dmesg-T.log"
"$NATLOG" sql --json "SELECT line, host, time, prefix FROM events ORDER BY line" > "$TMP/c.json"
check_json "the stream is no host, the tag no part of the prefix, dmesg -T's stamp the time" \
	'[(r["host"], r["time"], r["prefix"]) for r in j] == [(None, "Wed Sep  1 22:40:08 2021", "DNAT: "), (None, "Wed Sep  1 22:40:08 2021", "FWD: "), (None, "Wed Sep  1 22:40:08 2021", "FWD: ")]' < "$TMP/c.json"

finish
