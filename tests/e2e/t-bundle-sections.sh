#!/bin/sh
# Support bundles' sections natlog used to skip without a word or read as
# the wrong thing: pvereport's hostname.
. "$(dirname "$0")/lib.sh"
R=$TD/real
L=$TD/lab/docker-legacy

# pvereport (pve-manager's PVE/Report.pm) runs `hostname` first: its
# output is the host of what the report holds
export NATLOG_DB="$TMP/pve.db"
check "a pvereport imports" "$NATLOG" import -q "$R/pvereport-firewall.txt"
eq "its source is the host its hostname section names" "pve1" \
	"$("$NATLOG" sql "SELECT host FROM sources" | tail -1)"
eq "so is its iptables-save" "pve1" "$("$NATLOG" sql "SELECT host FROM rulesets" | tail -1)"
"$NATLOG" import -q --host pve1 "$L/dmesg.txt"
"$NATLOG" import -q --host other "$L/messages"
id=$("$NATLOG" traces --json --port 9090 --verdict drop --host pve1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])')
"$NATLOG" explain --json --trace "$id" > "$TMP/x.json"
check_json "pve1's trace is explained with pve1's dump, which it fits" \
	'j["dump"]["host"] == "pve1" and j["dump"]["fits"] and all(s["matches_dump"] for s in j["steps"])' < "$TMP/x.json"
export NATLOG_DB="$TMP/pve-host.db"
"$NATLOG" import -q --host hv7 "$R/pvereport-firewall.txt"
eq "--host still names the host" "hv7 hv7" \
	"$("$NATLOG" sql "SELECT (SELECT host FROM sources) || ' ' || (SELECT host FROM rulesets)" | tail -1)"
finish
