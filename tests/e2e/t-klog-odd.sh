#!/bin/sh
# Kernel-log envelopes of unusual shape, as posted (testdata/real): each
# line's time, host and message are read as its envelope gives them.
. "$(dirname "$0")/lib.sh"
R=$TD/real

# The kernel prints its stamp with a fraction ("[%5lu.%06lu]"): OpenWrt's
# "[00] nf_ct_proto_6: ..." (a stamp the post blanked) is no time since
# boot, and the line stays a conntrack line
export NATLOG_DB="$TMP/ct.db"
check "the OpenWrt conntrack line imports" "$NATLOG" import -q "$R/openwrt-ct-invalid.log"
eq "'[00]' is no kernel time, the line still conntrack's" "ct-invalid|unknown|unknown" \
	"$("$NATLOG" sql "SELECT kind || '|' || ifnull(uptime, 'unknown') || '|' || ifnull(time, 'unknown') FROM events" | tail -1)"
# composed from the rsyslog line below: "[12345] " put after "kernel: "
export NATLOG_DB="$TMP/num.db"
sed 's/kernel: New SSH/kernel: [12345] New SSH/' "$R/icloudnative-nftables-localhost-host.log" > "$TMP/num.log"
check "a syslog line with '[12345]' after the tag imports" "$NATLOG" import -q "$TMP/num.log"
eq "its time is the syslog header's, no uptime, its prefix its own" "Dec 19 17:15:33|none|New SSH connection: " \
	"$("$NATLOG" sql "SELECT time || '|' || ifnull(uptime, 'none') || '|' || prefix FROM events" | tail -1)"
# a stamp with its fraction is still the kernel's time
export NATLOG_DB="$TMP/up.db"
check "a dmesg TRACE imports" "$NATLOG" import -q "$R/docker-networkd-trace.log"
eq "its first line's uptime is read" "118.520085" \
	"$("$NATLOG" sql "SELECT uptime FROM events ORDER BY line LIMIT 1" | tail -1)"

# rsyslog 8.2210 writes "[localhost]" for the host until it learns the
# name (rsyslog#4975): the host is localhost
export NATLOG_DB="$TMP/lh.db"
check "the [localhost] line imports" "$NATLOG" import -q "$R/icloudnative-nftables-localhost-host.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "its host is localhost, its prefix and source read" \
	'[(p["host"], p["log_prefix"], p["src"], p["dport"]) for p in j] == [("localhost", "New SSH connection:", "192.168.57.2", 22)]' < "$TMP/t.json"

# Graylog GELF, as rsyslog's documented "gelf" template writes it: the
# kernel's message in short_message, host and epoch-seconds timestamp
export NATLOG_DB="$TMP/gelf.db"
check "the GELF records import" "$NATLOG" import -q "$R/dshield-101-rsyslog-gelf.json"
eq "the message's own stamp, else GELF's timestamp; GELF's host" \
	"1|46506.088085|46506.088085|none|rpi2tumhon|58987;2|1519131044.000000|none|1519131044000000|rpi2tumhon|58990" \
	"$("$NATLOG" sql "SELECT group_concat(line || '|' || time || '|' || ifnull(uptime, 'none') || '|' || ifnull(wall_us, 'none') || '|' || host || '|' || ip_id, ';') FROM (SELECT * FROM events ORDER BY line)" | tail -1)"
# composed: the record's message moved to full_message (a syslog input's
# whole line) and short_message a title without it
export NATLOG_DB="$TMP/gelf-full.db"
head -n 1 "$R/dshield-101-rsyslog-gelf.json" | sed 's/"short_message":/"short_message":"kernel", "full_message":/' > "$TMP/full.json"
check "a GELF record with the line in full_message imports" "$NATLOG" import -q "$TMP/full.json"
eq "it is read from full_message" "rpi2tumhon|58987" \
	"$("$NATLOG" sql "SELECT host || '|' || ip_id FROM events" | tail -1)"

# journalctl -o export's binary fields (name, 64-bit little-endian length,
# bytes): a binary MESSAGE is the record's message, and a binary field
# after MESSAGE= does not end the record before its _SOURCE_MONOTONIC_
# TIMESTAMP
export NATLOG_DB="$TMP/bin.db"
check "the export with binary fields imports" "$NATLOG" import -q "$R/elastic-iptables-journal-export-binary.txt"
eq "both records have their host, kernel time and prefix" \
	"compute04.hc.va.local.example.com|1840789.131578|iptables DROP_INPUT: ;compute04.hc.va.local.example.com|1840789.149093|iptables DROP_INPUT: " \
	"$("$NATLOG" sql "SELECT group_concat(host || '|' || uptime || '|' || prefix, ';') FROM (SELECT * FROM events ORDER BY line)" | tail -1)"
check_status "no error" 1 "$NATLOG" errors
# composed: one byte of the binary MESSAGE dropped, as a copy that lost
# it; the message is then unknown, said at its field's line
export NATLOG_DB="$TMP/bin-cut.db"
python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
i = b.index(b"iptables DROP_INPUT")
sys.stdout.buffer.write(b[:i] + b[i + 1:])' "$R/elastic-iptables-journal-export-binary.txt" > "$TMP/cut.txt"
check_status "the damaged export imports with an error" 3 "$NATLOG" import -q "$TMP/cut.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the error names the binary MESSAGE's line" \
	'len(j) == 1 and j[0]["line"] == 12 and "binary MESSAGE" in j[0]["reason"]' < "$TMP/e.json"
eq "the other record is read" "1840789.149093" \
	"$("$NATLOG" sql "SELECT group_concat(uptime) FROM events" | tail -1)"

# kubectl debug's notices above a dmesg paste (the Kubernetes docs'
# console, then a real dmesg TRACE): skipped, no error
export NATLOG_DB="$TMP/kubectl.db"
cat "$R/k8s-docs-kubectl-debug-node.txt" "$R/docker-networkd-trace.log" > "$TMP/kubectl.log"
check "kubectl's notices and the dmesg lines import" "$NATLOG" import -q "$TMP/kubectl.log"
check_status "the notices are no error" 1 "$NATLOG" errors
eq "every TRACE line is an event" "$(grep -c 'TRACE:' "$R/docker-networkd-trace.log")" \
	"$("$NATLOG" sql "SELECT count(*) FROM events" | tail -1)"

finish
