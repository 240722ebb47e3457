#!/bin/sh
# nft rulesets and traces as other nftables versions and users write them:
# a file for `nft -f` (flush ruleset, define, a chain's policy on a line of
# its own, include), beside the `nft list ruleset` dumps natlog reads.
. "$(dirname "$0")/lib.sh"
R=$TD/real
q() { "$NATLOG" sql "$1" | tail -n +2; }	# the rows, without the header

# ferpaesdias/UC07: a Debian 13 /etc/nftables.conf with `define WAN_IF =
# "enp0s3"` and "policy drop;" on the line after the chain's type line.
check_status "an /etc/nftables.conf with flush ruleset and defines imports without errors" 0 \
	"$NATLOG" import -q "$R/uc07-nftables-conf-define.nft"
"$NATLOG" rules --json > "$TMP/rules.json"
check_json "a policy on a line of its own is the chain's policy, not accept" \
	'[r["rule"] for r in j if r["chain"] == "input" and r["type"] == "policy"] == ["policy drop"]' \
	< "$TMP/rules.json"
check_json "that line is not counted as the chain's first rule" \
	'[r["rule"] for r in j if r["chain"] == "input" and r["position"] == 1] == ["iifname \"lo\" accept"]' \
	< "$TMP/rules.json"
check_json "a rule's \$variables are replaced by their define's values, as the kernel holds it" \
	'[r["rule"] for r in j if r["chain"] == "input" and r["position"] == 7] == ["iifname \"enp0s9\" tcp dport 22 accept"]' \
	< "$TMP/rules.json"
check_json "so is a variable in the nat table below" \
	'[r["rule"] for r in j if r["chain"] == "postrouting" and r["type"] == "rule"] == ["oifname \"enp0s3\" masquerade"]' \
	< "$TMP/rules.json"

# composed around the file's rules: SSH from the WAN, logged, then the
# input chain's policy drop
"$NATLOG" import -q "$R/uc07-composed-ssh-from-wan.trace"
"$NATLOG" explain --trace 5a1e0c27 --json > "$TMP/ex.json"
check_json "the policy the trace printed is the one the file sets" \
	'j["decided_by"]["rule"] == "policy drop" and j["decided_by"]["position"] == 9 and j["steps"][-1]["matches_dump"] is True' < "$TMP/ex.json"
check_json "the log rule is found at its position in the file" \
	'j["steps"][0]["position"] == 8 and j["steps"][0]["matches_dump"] is True' < "$TMP/ex.json"

# composed: the same packet accepted by the policy, as if the file had
# been changed after it was copied: the dump is of another time
export NATLOG_DB="$TMP/c.db"
sed 's/policy drop$/policy accept/' "$R/uc07-composed-ssh-from-wan.trace" > "$TMP/acc.trace"
"$NATLOG" import -q "$R/uc07-nftables-conf-define.nft" "$TMP/acc.trace"
"$NATLOG" explain --trace 5a1e0c27 --json > "$TMP/ex2.json"
check_json "a policy the trace printed that is not the dump's says the dump does not match" \
	'j["steps"][-1]["matches_dump"] is False and any("policy drop, the trace printed policy accept" in d for d in j["diagnosis"])' \
	< "$TMP/ex2.json"

# composed: nft 0.9.0 and older print a base chain's policy as "verdict
# drop" (nftables v0.9.0 src/netlink.c, netlink_events_trace_cb gives
# NFT_TRACETYPE_POLICY and _RETURN the same line)
export NATLOG_DB="$TMP/d.db"
sed 's/ policy drop$/ verdict drop/' "$R/uc07-composed-ssh-from-wan.trace" > "$TMP/old.trace"
"$NATLOG" import -q "$R/uc07-nftables-conf-define.nft" "$TMP/old.trace"
"$NATLOG" explain --trace 5a1e0c27 --json > "$TMP/ex3.json"
check_json "an old nft's 'verdict drop' at a chain's end is the chain's policy" \
	'j["decided_by"]["type"] == "policy" and j["decided_by"]["rule"] == "policy drop" and j["decided_by"]["position"] == 9' \
	< "$TMP/ex3.json"
check_json "and the diagnosis says the policy dropped it" \
	'any("its policy drop applied" in d for d in j["diagnosis"])' < "$TMP/ex3.json"

# composed: what natlog cannot follow or resolve is said, with the line
export NATLOG_DB="$TMP/b.db"
cat > "$TMP/inc.nft" <<'EOT'
#!/usr/sbin/nft -f
flush ruleset
define admin = {
	192.0.2.10,
	192.0.2.11
}
include "/etc/nftables.d/*.nft"
table inet filter {
	chain input {
		type filter hook input priority filter
		policy drop
		ip saddr $admin tcp dport 22 accept
		iifname $lan_if accept
	}
}
EOT
"$NATLOG" import -q "$TMP/inc.nft" 2>/dev/null
"$NATLOG" errors --json > "$TMP/err.json"
check_json "the include is reported as not followed, at its line" \
	'any(e["line"] == 7 and "include" in e["reason"] for e in j)' < "$TMP/err.json"
check_json "a variable no define sets is reported, at its line" \
	'any(e["line"] == 13 and "$lan_if" in e["reason"] for e in j)' < "$TMP/err.json"
check_json "nothing else is" 'len(j) == 2' < "$TMP/err.json"
"$NATLOG" rules --json > "$TMP/rules2.json"
check_json "a define over several lines is read whole" \
	'[r["rule"] for r in j if r["position"] == 1] == ["ip saddr { 192.0.2.10, 192.0.2.11 } tcp dport 22 accept"]' \
	< "$TMP/rules2.json"
check_json "a policy line without ';' is read too" \
	'[r["rule"] for r in j if r["type"] == "policy"] == ["policy drop"]' < "$TMP/rules2.json"

# nftables' own tests/shell/testcases/optimizations/ruleset: an nft -f
# input with vmaps written over lines and rules continued with '\'
export NATLOG_DB="$TMP/e.db"
check_status "rules written over several lines import without errors" 0 \
	"$NATLOG" import -q "$R/nftables-opt-ruleset-wrapped.nft"
"$NATLOG" rules --json > "$TMP/rules3.json"
check_json "a rule continued with '\\' is one rule, at its position" \
	'[r["rule"] for r in j if r["chain"] == "nat_dns_acme" and r["position"] in (2, 6)] == ["udp length 62-78 @th,160,128 0x0e31393032383939353831343037320e goto nat_dns_this_5301", "drop"]' \
	< "$TMP/rules3.json"
check_json "a vmap over several lines is one rule with all its elements" \
	'[r["rule"] for r in j if r["chain"] == "filter_in_tcp" and r["type"] == "rule"] == ["tcp dport vmap { 80 : accept, 81 : accept, 443 : accept, 931 : accept, 5001 : accept, 5201 : accept, }", "tcp dport vmap { 6800-6999  : accept, 33434-33499 : accept, }", "drop"]' \
	< "$TMP/rules3.json"
check_json "a chain on one line holds its statements, split at ';'" \
	'[r["rule"] for r in j if r["chain"] == "nat_dns_moon_5301" and r["type"] == "rule"] == ["meta nfproto ipv4 meta l4proto udp dnat to 240.0.1.2:5301", "drop"]' \
	< "$TMP/rules3.json"
printf 'table inet f {\n\tchain input { type filter hook input priority 0; policy drop; tcp dport 22 accept; }\n\tchain w {}\n}\n' > "$TMP/one.nft"
export NATLOG_DB="$TMP/f.db"
"$NATLOG" import -q "$TMP/one.nft"
"$NATLOG" rules --json > "$TMP/rules4.json"
check_json "a base chain on one line (composed) has its type, policy and rule" \
	'[(r["type"], r["rule"]) for r in j] == [("rule", "tcp dport 22 accept"), ("policy", "policy drop")]' \
	< "$TMP/rules4.json"
eq "an empty chain on one line (nftables' tests/shell maps/0051map_0) is a chain" "input w" \
	"$(q "SELECT group_concat(name, ' ') FROM (SELECT name FROM chains ORDER BY name)")"
printf 'table ip t {\n\tchain c {\n\t\ttcp dport 22 \\\n' > "$TMP/cut.nft"
"$NATLOG" import -q "$TMP/cut.nft" 2>/dev/null
"$NATLOG" errors --json > "$TMP/err3.json"
check_json "a file that ends in a continued line says so, at the line the statement began" \
	'any(e["line"] == 3 and "ends in a line continued" in e["reason"] for e in j)' < "$TMP/err3.json"

# nftables' tests/shell bitwise/dumps/0040mark_binop_10.json-nft: nft
# prints "a & b | c & d" without parentheses; the trace (composed) prints
# the rule so
export NATLOG_DB="$TMP/g.db"
"$NATLOG" import -q "$R/nftables-0040mark-binop-10.json" "$R/nftables-0040mark-binop-composed.trace"
"$NATLOG" rules --json > "$TMP/rules5.json"
check_json "a JSON dump's bitwise operations read as nft lists them" \
	'[r["rule"] for r in j if r["type"] == "rule"] == ["ct mark set ct mark & 0xffff0000 | meta mark & 0x0000ffff"]' \
	< "$TMP/rules5.json"
"$NATLOG" explain --trace 3c1e8f20 --json > "$TMP/ex5.json"
check_json "so the traced rule is found in the JSON dump" \
	'j["steps"][0]["position"] == 1 and j["steps"][0]["matches_dump"] is True and j["dump"]["fits"] is True' \
	< "$TMP/ex5.json"

# composed, as /etc/nftables.conf files write them: a set's elements given
# by defines
export NATLOG_DB="$TMP/h.db"
printf 'define admins = { 192.0.2.10, 192.0.2.11 }\ndefine one = 198.51.100.1\ntable inet f {\n\tset a {\n\t\ttype ipv4_addr\n\t\telements = { $one,\n\t\t\t     203.0.113.5 }\n\t}\n\tset b {\n\t\ttype ipv4_addr\n\t\telements = $admins\n\t}\n}\n' > "$TMP/setdef.nft"
check_status "a set whose elements are defines imports without errors" 0 "$NATLOG" import -q "$TMP/setdef.nft"
eq "each set holds the defines' values, not their names" \
	"a 198.51.100.1,a 203.0.113.5,b 192.0.2.10,b 192.0.2.11" \
	"$(q "SELECT group_concat(set_name || ' ' || key, ',') FROM (SELECT set_name, key FROM elements ORDER BY set_name, key)")"

# nftables' tests/shell chains/0036policy_variable_0 and
# 0031priority_variable_0: a chain's policy and priority from defines
export NATLOG_DB="$TMP/i.db"
check_status "a policy and a priority given by defines import without errors" 0 \
	"$NATLOG" import -q "$R/nftables-0036policy-variable.nft" "$R/nftables-0031priority-variable.nft"
eq "the policy is the define's value" "drop" \
	"$(q "SELECT policy FROM chains WHERE name = 'prerouting' AND ruleset_id = 1")"
eq "the priority is the define's value" "0" \
	"$(q "SELECT prio FROM chains WHERE name = 'prerouting' AND ruleset_id = 2")"

# nftables' tests/shell nft-f/0010variable_0: a set declared on one line
export NATLOG_DB="$TMP/j.db"
check_status "a set declared on one line imports without errors" 0 \
	"$NATLOG" import -q "$R/nftables-0010variable-oneline-set.nft"
eq "it is a set of its type" "whitelist_v4 ipv4_addr" "$(q "SELECT name || ' ' || type FROM sets")"

# composed: a define that names itself. nft resolves $x when it reads it,
# so a redefine sees the old value and a new define is not set yet
export NATLOG_DB="$TMP/k.db"
printf 'define p = 22\nredefine p = { $p, 2222 }\ndefine q = 1 $q\ntable ip t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n\t\ttcp dport $p accept\n\t\ttcp dport $q drop\n\t}\n}\n' > "$TMP/self.nft"
"$NATLOG" import -q "$TMP/self.nft" 2>/dev/null
"$NATLOG" errors --json > "$TMP/err4.json"
check_json "a new define that uses itself is reported at its line, as no define before it sets" \
	'len(j) == 1 and j[0]["line"] == 3 and "$q" in j[0]["reason"]' < "$TMP/err4.json"
"$NATLOG" rules --json > "$TMP/rules6.json"
check_json "a redefine that uses itself takes the old value" \
	'[r["rule"] for r in j if r["type"] == "rule"][0] == "tcp dport { 22, 2222 } accept"' < "$TMP/rules6.json"

finish
