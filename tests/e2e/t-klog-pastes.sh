#!/bin/sh
# Kernel-log lines as people paste them (testdata/real): fields a paste or
# a logger ran together, a loss warning behind another program's prefix,
# GELF records separated by NUL bytes. Each is read, or is an error.
. "$(dirname "$0")/lib.sh"
R=$TD/real

# Fields run together, the space between them lost: "TTL=64ID=0",
# "LEN=84TOS=0x00", "TYPE=8CODE=0ID=28976SEQ=1" (a blog's TRACE lines),
# "OUT=eth0SRC=10.0.2.15", "DFPROTO=UDP", "10.0.2.15DST=",
# "PROTO=TCPSPT=46764" (a UFW note). Each field starts with a name the
# kernel prints, so each is read.
export NATLOG_DB="$TMP/glued.db"
check "the run-together lines import without errors" "$NATLOG" import -q \
	"$R/wiloon-blog-trace-glued-fields.log" "$R/fullstack-notes-ufw-glued-fields.log"
eq "thirteen TRACE steps and two LOG lines" "15" \
	"$("$NATLOG" sql "SELECT count(*) FROM events" | tail -1)"
eq "the TRACE steps have their TTL, IP ID, LEN and ICMP fields" "13|64,63|0|84|8|0|28976|1" \
	"$("$NATLOG" sql "SELECT count(*) || '|' || group_concat(DISTINCT ttl) || '|' || group_concat(DISTINCT ip_id) || '|' || group_concat(DISTINCT len) || '|' || group_concat(DISTINCT icmp_type) || '|' || group_concat(DISTINCT icmp_code) || '|' || group_concat(DISTINCT icmp_id) || '|' || group_concat(DISTINCT icmp_seq) FROM events WHERE kind = 'trace'" | tail -1)"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "one traced packet, forwarded to br-ex" \
	'len([p for p in j if p["source"] == "iptables-trace"]) == 1 and [p["decided_by"]["chain"] for p in j if p["source"] == "iptables-trace"] == ["FORWARD"]' < "$TMP/t.json"
check_json "the UFW lines: source address, protocol and DF read" \
	'sorted((p["src"], p["dst"], p["proto"], p["sport"], p["dport"]) for p in j if p["source"] != "iptables-trace") == [("10.0.2.15", "1.1.1.1", "udp", 46330, 53), ("10.0.2.15", "172.217.9.228", "tcp", 46764, 443)]' < "$TMP/t.json"
eq "OUT= is eth0, not eth0SRC=..., and DF is a flag" "eth0|DF|;eth0|DF|" \
	"$("$NATLOG" sql "SELECT group_concat(oif || '|' || ipflags || '|' || coalesce(extra, ''), ';') FROM events WHERE kind = 'log'" | tail -1)"

# composed from the UFW note's second line: a flag run into its neighbours
# ("ID=1756DF", "SYNURGP=0") and the MAC run into SRC=, as an Ubuntu forum
# post's dmesg shows them; each is read
export NATLOG_DB="$TMP/glued2.db"
sed -n 2p "$R/fullstack-notes-ufw-glued-fields.log" | sed 's/OUT=eth0 /OUT=eth0 MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00/; s/ SRC=/SRC=/; s/ID=1756 DF/ID=1756DF/; s/SYN URGP/SYNURGP/' > "$TMP/flags.log"
check "the line with flags run together imports" "$NATLOG" import -q "$TMP/flags.log"
eq "IP ID, DF, SYN, MAC and source read" "1756|DF|2|52:54:00:12:34:56:52:54:00:65:43:21:08:00|10.0.2.15" \
	"$("$NATLOG" sql "SELECT ip_id || '|' || ipflags || '|' || tcp_flags || '|' || mac || '|' || src FROM events" | tail -1)"
# a value run into something that is no field name stays an error
export NATLOG_DB="$TMP/glued3.db"
sed -n 2p "$R/fullstack-notes-ufw-glued-fields.log" | sed 's/TTL=64 /TTL=64XYZ=1 /' > "$TMP/bad.log"
check_status "a value run into an unknown name is an error" 3 "$NATLOG" import -q "$TMP/bad.log"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the error names the field" \
	'len(j) == 1 and j[0]["line"] == 1 and "TTL=64XYZ=1" in j[0]["reason"]' < "$TMP/e.json"

# conntrack -E's warning that the kernel dropped its events, behind a
# collector's prefix (Weave Scope's probe log: "conntrack stderr:"): a
# loss notice, as the bare line is; so under a syslog tag (composed: the
# warning's text after "Mar  7 12:21:21 fw conntrack[812]: ")
export NATLOG_DB="$TMP/enobufs.db"
check "the probe's log imports" "$NATLOG" import -q "$R/weave-scope-1137-conntrack-enobufs.log"
eq "its first line is conntrack's loss notice" "loss|conntrack|1" \
	"$("$NATLOG" sql "SELECT group_concat(kind || '|' || origin || '|' || line, ';') FROM notices" | tail -1)"
"$NATLOG" summary > "$TMP/s.txt" 2>&1
check "summary counts the line as a loss" grep -q "^lost: *1 line says" "$TMP/s.txt"
export NATLOG_DB="$TMP/enobufs-syslog.db"
sed -n 1p "$R/weave-scope-1137-conntrack-enobufs.log" | sed 's/^.*stderr:/Mar  7 12:21:21 fw conntrack[812]: /' > "$TMP/enobufs.log"
check "the syslog line imports" "$NATLOG" import -q "$TMP/enobufs.log"
eq "a loss notice with the syslog's host and time" "loss|conntrack|fw|Mar  7 12:21:21" \
	"$("$NATLOG" sql "SELECT kind || '|' || origin || '|' || host || '|' || time FROM notices" | tail -1)"

# GELF over TCP: each record ends with a NUL byte, not a newline (Graylog's
# GELF TCP framing), so a capture of the stream is one line. Composed at
# run time from the two GELF records of dshield-101-rsyslog-gelf.json,
# each newline replaced by a NUL byte: each record is read as the
# newline-separated ones are
export NATLOG_DB="$TMP/gelf-lines.db"
check "the newline-separated GELF records import" "$NATLOG" import -q "$R/dshield-101-rsyslog-gelf.json"
want=$("$NATLOG" sql "SELECT group_concat(host || '|' || time || '|' || prefix || '|' || src || '|' || ip_id, ';') FROM events" | tail -1)
export NATLOG_DB="$TMP/gelf-nul.db"
tr '\n' '\000' < "$R/dshield-101-rsyslog-gelf.json" > "$TMP/gelf-tcp.bin"
check "the NUL-separated GELF stream imports without errors" "$NATLOG" import -q "$TMP/gelf-tcp.bin"
eq "two packets, as from the newline-separated records" "$want" \
	"$("$NATLOG" sql "SELECT group_concat(host || '|' || time || '|' || prefix || '|' || src || '|' || ip_id, ';') FROM events" | tail -1)"
# a record of the stream cut short is an error; the one after it is read
export NATLOG_DB="$TMP/gelf-nul-cut.db"
{ head -n 1 "$R/dshield-101-rsyslog-gelf.json" | cut -c1-120 | tr -d '\n'; printf '\000'; sed -n 2p "$R/dshield-101-rsyslog-gelf.json" | tr '\n' '\000'; } > "$TMP/gelf-cut.bin"
check_status "the stream with a cut record imports with an error" 3 "$NATLOG" import -q "$TMP/gelf-cut.bin"
eq "the second record is read" "58990" "$("$NATLOG" sql "SELECT group_concat(ip_id) FROM events" | tail -1)"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "one error, its text the cut record alone" \
	'len(j) == 1 and j[0]["line"] == 1 and "does not parse" in j[0]["reason"] and j[0]["text"].endswith("b8:27:eb:c0:71:7f")' < "$TMP/e.json"

finish
