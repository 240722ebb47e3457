#!/bin/sh
# Support bundles' sections natlog used to skip without a word or read as
# the wrong thing: a supportconfig's copies of saved rulesets (what loads at
# boot, not what ran), pvereport's hostname, and ebtables' listings and
# saves (the bridge layer's rules, which natlog does not read).
. "$(dirname "$0")/lib.sh"
R=$TD/real
L=$TD/lab/docker-legacy

# supportconfig's conf_files() copies /etc/sysconfig/iptables and
# /etc/nftables.conf under "#==[ Configuration File ]==#": each is
# reported at its first ruleset line, with the file's name, and is never
# a dump
export NATLOG_DB="$TMP/conf.db"
check_status "saved rulesets in configuration files are reported" 3 \
	"$NATLOG" import -q "$R/supportconfig-conf-files-rulesets.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "one error per file, at its first ruleset line, naming the file" \
	'[(e["line"], e["reason"].split("'"'"'")[1]) for e in j] == [(3, "/etc/sysconfig/iptables"), (19, "/etc/nftables.conf")]' < "$TMP/e.json"
check_json "the error says it is what loads at boot, not read as a dump" \
	'j and all("what loads at boot" in e["reason"] and "not read as a dump" in e["reason"] for e in j)' < "$TMP/e.json"
eq "no ruleset is made of them" "0" "$("$NATLOG" sql "SELECT count(*) FROM rulesets" | tail -1)"
"$NATLOG" summary --json > "$TMP/s.json"
check_json "summary lists them among the errors" \
	'"/etc/sysconfig/iptables" in json.dumps(j) and "/etc/nftables.conf" in json.dumps(j)' < "$TMP/s.json"

# the same in a network.txt beside the commands' dumps: the running rules
# are read, the saved ones only reported
S="$TMP/scc_natlog-lab_261121_1530"
mkdir -p "$S"
cat "$R/supportconfig-network.txt" "$R/supportconfig-conf-files-rulesets.txt" > "$S/network.txt"
export NATLOG_DB="$TMP/scc.db"
"$NATLOG" import -q "$S" 2>/dev/null
"$NATLOG" sql --json "SELECT count(*) AS n FROM rulesets WHERE netns IS NULL AND id IN (SELECT ruleset_id FROM chains WHERE tbl = 'filter' AND name = 'INPUT')" > "$TMP/rs.json"
check_json "the dumps of the running rules are read, no more" '[r["n"] for r in j] == [2]' < "$TMP/rs.json"
eq "the saved ones are two errors" "2" \
	"$("$NATLOG" sql "SELECT count(*) FROM errors WHERE reason LIKE '%configuration file%'" | tail -1)"

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
# its copies of configuration files ("# cat /etc/network/interfaces")
# are what loads at boot too: the masquerading rule Proxmox VE's guide
# puts there is reported, not read
export NATLOG_DB="$TMP/pve-conf.db"
check_status "a pvereport with iptables commands in /etc/network/interfaces" 3 \
	"$NATLOG" import -q "$R/pvereport-network-interfaces-masquerade.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the first one is reported, naming the file" \
	'[(e["line"], e["reason"].split("'"'"'")[1]) for e in j] == [(28, "/etc/network/interfaces")]' < "$TMP/e.json"
eq "and this report's host is its hostname's too" "pve1" "$("$NATLOG" sql "SELECT host FROM sources" | tail -1)"

# ebtables -L: recognized, and said to be the bridge layer's rules, which
# are not read (once a table)
for f in python-ebtables-4-ebtables-L.txt iptables-tests-ebtables-L-FORWARD-Lc.txt; do
	export NATLOG_DB="$TMP/ebl-$f.db"
	check_status "$f: an ebtables listing imports with its error" 3 "$NATLOG" import -q "$R/$f"
	"$NATLOG" errors --json > "$TMP/e.json"
	check_json "$f: one error, at its table's line, says bridge-layer rules are not read" \
		'[(e["line"], "bridge-layer rules (ebtables table '"'"'filter'"'"') are not read" in e["reason"]) for e in j] == [(1, True)]' < "$TMP/e.json"
	eq "$f: its source is an ebtables listing, no ruleset" "ebtables 0" \
		"$("$NATLOG" sql "SELECT kind || ' ' || (SELECT count(*) FROM rulesets) FROM sources" | tail -1)"
done

# ebtables-save looks like iptables-save: by its header it is told apart,
# and no chain of it passes for the IP layer's
export NATLOG_DB="$TMP/ebs.db"
check_status "an ebtables-save imports with its error" 3 "$NATLOG" import -q "$R/tonybai-docker-ebtables-save-head.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "its nat table is said not read, at *nat" \
	'[(e["line"], "ebtables table '"'"'nat'"'"'" in e["reason"]) for e in j] == [(2, True)]' < "$TMP/e.json"
eq "no ruleset, chain or rule is made of it" "0 0 0" \
	"$("$NATLOG" sql "SELECT (SELECT count(*) FROM rulesets) || ' ' || (SELECT count(*) FROM chains) || ' ' || (SELECT count(*) FROM rules)" | tail -1)"
# without its header (as iptables' own tests compare it), ebtables-save -c
# counts rules and not chains, which iptables-save -c never does
export NATLOG_DB="$TMP/ebs-c.db"
"$NATLOG" import -q "$R/iptables-tests-ebtables-save-c.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "a headerless ebtables-save -c is said not read at its first counted rule" \
	'[(e["line"], "ebtables table '"'"'filter'"'"'" in e["reason"]) for e in j] == [(5, True)]' < "$TMP/e.json"
eq "none of its rules passes for an iptables rule" "0" "$("$NATLOG" sql "SELECT count(*) FROM rules" | tail -1)"

# in a supportconfig's sections, the commands that print them
S="$TMP/scc_eb_261121_1530"
mkdir -p "$S"
{ echo '#==[ Command ]======================================#'
  echo '# /usr/sbin/ebtables -t filter -L'; cat "$R/python-ebtables-4-ebtables-L.txt"; echo
  echo '#==[ Command ]======================================#'
  echo '# /usr/sbin/ebtables-save'; cat "$R/tonybai-docker-ebtables-save-head.txt"; echo
  echo '#==[ Command ]======================================#'
  echo '# /usr/sbin/iptables-save -t nat'; sed -n '/^\*nat/,/^COMMIT/p' "$L/iptables-save.txt"
} > "$S/network.txt"
export NATLOG_DB="$TMP/scc-eb.db"
"$NATLOG" import -q "$S" 2>/dev/null
"$NATLOG" errors --json > "$TMP/e.json"
check_json "supportconfig: ebtables -L's and ebtables-save's tables are each said not read" \
	'[(e["line"], e["reason"].split("'"'"'")[1]) for e in j if "bridge-layer" in e["reason"]] == [(3, "filter"), (14, "nat")]' < "$TMP/e.json"
"$NATLOG" sql --json "SELECT r.kind, c.tbl FROM rulesets r JOIN chains c ON c.ruleset_id = r.id GROUP BY r.id, c.tbl" > "$TMP/rs.json"
check_json "and the iptables-save after them is read as nat's" \
	'[(r["kind"], r["tbl"]) for r in j] == [("iptables-save", "nat")]' < "$TMP/rs.json"
finish
