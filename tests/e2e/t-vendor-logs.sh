#!/bin/sh
# LOG lines of firewall front-ends and vendors, in the envelopes they were
# posted in (testdata/real): each packet is read with its fields, or the
# line is an error; none is lost in another's fields.
. "$(dirname "$0")/lib.sh"
R=$TD/real

# ulogd's syslogemu on a UniFi Dream Machine: four records run together on
# one line with no "kernel:" tag between them. Each is a packet of its
# own, not unknown fields of the first.
export NATLOG_DB="$TMP/udm.db"
check "the UDM Pro ulogd lines import" "$NATLOG" import -q "$R/udm-pro-ulogd-run-on.log"
"$NATLOG" traces --json > "$TMP/t.json"
check_json "six packets: four from the run-together line" \
	'sorted(p["ip_id"] for p in j) == [4182, 11002, 11003, 11004, 27327, 44595]' < "$TMP/t.json"
check_json "the run-on records have their time, host and prefix" \
	'[(p["time"], p["host"], p["log_prefix"]) for p in j if p["ip_id"] in (11002, 11003, 11004)] == [("May 14 13:12:11", "UDM-Pro", "[LAN_LOCAL-RET-2147483647] DESCR=\"no rule description\"")] * 3' < "$TMP/t.json"
eq "no record's fields hold another record" "0" \
	"$("$NATLOG" sql "SELECT count(*) FROM events WHERE extra LIKE '%SRC=%' OR extra LIKE '%IN=%'" | tail -1)"
check_status "natlog errors has nothing to say" 1 "$NATLOG" errors

# composed from its first line: the second record's time removed, so
# nothing says where it starts; its IN= and SRC= are then no unknown
# fields of the first packet but an error
export NATLOG_DB="$TMP/udm-cut.db"
head -n 1 "$R/udm-pro-ulogd-run-on.log" | sed 's/MARK=40000        May 14 13:12:11 /MARK=40000 /' > "$TMP/cut.log"
check_status "the line without the time imports with an error" 3 "$NATLOG" import -q "$TMP/cut.log"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the error says another record ran on" \
	'len(j) == 1 and j[0]["line"] == 1 and "another record run on" in j[0]["reason"]' < "$TMP/e.json"

finish
