#!/bin/sh
# The filters traces, flows, invalid and export share (--proto, CIDR
# --src/--dst, --rule, --iface, --host): the exact packets, connections and
# lines each keeps on real lab recordings, and the usage errors for what
# cannot be read or does not apply.
. "$(dirname "$0")/lib.sh"
L=$TD/lab

# same DESCRIPTION WANTED COMMAND...: the command prints WANTED
same() {
	desc=$1; want=$2; shift 2
	got=$("$@" 2>"$TMP/err")
	if [ "$got" = "$want" ]; then ok "$desc"; else
		not_ok "$desc"; echo "    wanted: $want"; echo "    got:    $got"; sed 's/^/    /' "$TMP/err" | head -5; fi
}
# run COMMAND...: its JSON array, or "exit N" when it failed (not 0 or 1)
run() {
	"$NATLOG" "$@" > "$TMP/json"
	rc=$?
	if [ "$rc" -gt 1 ]; then echo "exit $rc"; return 1; fi
}
# the trace ids traces lists for these filters, in its order
ids() { run traces --json "$@" && python3 -c 'import json,sys; print(" ".join(p["trace"] for p in json.load(sys.stdin)))' < "$TMP/json"; }
# connections as "proto src:sport>dst:dport" of the original tuple
flows() { run flows --json "$@" && python3 -c 'import json,sys; print(" ".join("%s %s:%s>%s:%s" % (f["proto"], f["orig"]["src"], f["orig"]["sport"], f["orig"]["dst"], f["orig"]["dport"]) for f in json.load(sys.stdin)))' < "$TMP/json"; }
# conntrack invalid lines as "proto sport"
inval() { run invalid --json "$@" && python3 -c 'import json,sys; print(" ".join("%s %s" % (r["proto"], r["sport"]) for r in json.load(sys.stdin)))' < "$TMP/json"; }
# usage DESCRIPTION PATTERN COMMAND...: exit 2, and stderr says PATTERN
usage() {
	desc=$1; pat=$2; shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" -eq 2 ] && grep -q -- "$pat" "$TMP/err"; then ok "$desc"; else
		not_ok "$desc (exit $got)"; echo "    wanted exit 2 and '$pat' in:"; sed 's/^/    /' "$TMP/err" | head -5; fi
}

# 1. UDP and ICMP through a DNAT/SNAT gateway (legacy TRACE)
export NATLOG_DB=$TMP/udp.db
"$NATLOG" import -q "$L/udp-icmp/dmesg.txt" "$L/udp-icmp/iptables-save.txt" "$L/udp-icmp/conntrack-E.txt"
UDP="e022096de8 da73f167a2 281e7a3e65 2b92bc013d f09fdf7c16 6317891820 f949bf19ce"
ICMP="72be2f71d1 16f7922798 1a3f010f74 71488601dd cdf2f43213 30a7ee986e"
same "traces --proto udp: the seven UDP packets" "$UDP" ids --proto udp
same "traces --proto 17: the same by number" "$UDP" ids --proto 17
same "traces --proto icmp: the six ICMP packets" "$ICMP" ids --proto icmp
same "traces --proto ICMP: names are read in any case" "$ICMP" ids --proto ICMP
same "traces --proto tcp: none (exit 1)" "" ids --proto tcp
same "traces --dst 10.77.2.0/24: the packets DNAT sent inside, and replies conntrack turned" \
	"e022096de8 281e7a3e65 2b92bc013d 16f7922798 cdf2f43213 6317891820 30a7ee986e" ids --dst 10.77.2.0/24
same "traces --dst 10.77.2.10: a plain address keeps the same packets" \
	"e022096de8 281e7a3e65 2b92bc013d 16f7922798 cdf2f43213 6317891820 30a7ee986e" ids --dst 10.77.2.10
same "traces --src 10.77.2.0/24: the inside host's packets" \
	"da73f167a2 72be2f71d1 1a3f010f74 71488601dd f09fdf7c16 f949bf19ce" ids --src 10.77.2.0/24
same "traces --src 10.77.2.10/32: a whole-length prefix is the address" \
	"da73f167a2 72be2f71d1 1a3f010f74 71488601dd f09fdf7c16 f949bf19ce" ids --src 10.77.2.10/32
same "traces --proto icmp --dst 10.77.2.0/24: filters combine" \
	"16f7922798 cdf2f43213 30a7ee986e" ids --proto icmp --dst 10.77.2.0/24
same "traces --rule filter:FORWARD:policy:5: the dropped datagram" "2b92bc013d" ids --rule filter:FORWARD:policy:5
same "traces --rule filter:FORWARD:rule:4: the ping let in" "16f7922798" ids --rule filter:FORWARD:rule:4
same "traces --rule nat:POSTROUTING:rule:1: the SNATed packets" \
	"71488601dd f09fdf7c16 f949bf19ce" ids --rule nat:POSTROUTING:rule:1
same "traces --rule nat:PREROUTING: any step in the chain" \
	"e022096de8 281e7a3e65 2b92bc013d 16f7922798 71488601dd f09fdf7c16 f949bf19ce" ids --rule nat:PREROUTING
same "flows --proto icmp: the two pings" \
	"icmp 10.77.1.2:None>10.77.1.10:None icmp 10.77.2.10:None>10.77.1.2:None" flows --proto icmp
same "flows --dst 10.77.2.0/24: the connections DNAT sent inside" \
	"udp 10.77.1.2:52584>10.77.1.1:5353 udp 10.77.1.2:41335>10.77.1.1:5354 icmp 10.77.1.2:None>10.77.1.10:None udp 10.77.1.2:32962>10.77.1.1:5355" \
	flows --dst 10.77.2.0/24
same "flows --src 10.77.2.0/24 --proto udp: the inside host's datagrams" \
	"udp 10.77.2.10:48029>10.77.1.2:7 udp 10.77.2.10:53957>10.77.1.2:7777" flows --src 10.77.2.0/24 --proto udp
same "flows --port 54: the translated port counts" "udp 10.77.1.2:41335>10.77.1.1:5354" flows --port 54

# 2. a Docker host: interfaces, rules as natlog prints them, hosts
export NATLOG_DB=$TMP/docker.db
"$NATLOG" import -q --year 2026 --host dock "$L/docker-legacy/messages" "$L/docker-legacy/iptables-save.txt" "$L/docker-legacy/conntrack-E.txt"
DROPS="5f70272d1f babbbc1b5c 5a1fb70ded"
same "traces --rule nat:DOCKER:rule:3: the SYNs the DNAT to 8081 sent on" "$DROPS" ids --rule nat:DOCKER:rule:3
same "traces --rule filter:FORWARD:policy:7: the policy that dropped them" "$DROPS" ids --rule filter:FORWARD:policy:7
same "traces --rule filter:FORWARD:policy: without a number" "$DROPS" ids --rule filter:FORWARD:policy
same "traces --rule filter:DOCKER:rule:1: the SYN the published port let in" "6f5b100616" ids --rule filter:DOCKER:rule:1
same "traces --rule filter:FORWARD:rule:9: no such rule, nothing" "" ids --rule filter:FORWARD:rule:9
same "traces --rule nat:OUTPUT: the local connections' first packets" "ac9c9303b3 a4ac65d678" ids --rule nat:OUTPUT
same "traces --iface lo: the local connection to the published port" \
	"a4ac65d678 07bf83acdf db27637b6d 30f96de5c2 3129341b4a" ids --iface lo
same "traces --iface eth0: what came in from outside" \
	"6f5b100616 6fc97f95cf 3ac32fe81b 2c601f975e 01c0c926d4 $DROPS" ids --iface eth0
# the syslog lines name their host; --host names conntrack's, which does not
same "traces --host natlog-lab --src 10.77.1.0/24 --port 9090" "$DROPS" ids --host natlog-lab --src 10.77.1.0/24 --port 9090
same "traces --host dock: none, the log named its own host" "" ids --host dock
same "flows --host natlog-lab --dst 10.77.2.0/24 --port 9090: the connection conntrack never confirmed" \
	"tcp 10.77.1.2:35414>10.77.1.1:9090" flows --host natlog-lab --dst 10.77.2.0/24 --port 9090
same "flows --host dock --src 10.77.1.0/24: conntrack's two from outside the bridge" \
	"tcp 10.77.1.2:60270>10.77.1.1:8080 tcp 10.77.1.1:34040>10.77.1.1:8080" flows --host dock --src 10.77.1.0/24

# 3. IPv6 prefixes (ip6tables TRACE, DNAT to fd00:77:2::10)
export NATLOG_DB=$TMP/v6.db
"$NATLOG" import -q "$L/ipv6/dmesg.txt" "$L/ipv6/ip6tables-save.txt" "$L/ipv6/conntrack-E.txt"
ALL6="0b50c17725 babf40ccf5 6cb71296a8 12c3945b9d 2b13d2f3b2 60b77ad89c 60b77ad89c.2 60b77ad89c.3"
same "traces --dst fd00:77:2::/48: every packet, DNATed there" "$ALL6" ids --dst fd00:77:2::/48
same "traces --dst fd00:0077:0001::1: the address before NAT, any spelling" "$ALL6" ids --dst fd00:0077:0001::1
same "traces --src fd00:77:2::/48: none" "" ids --src fd00:77:2::/48
same "traces --src fd00:77:1::/64 --rule filter:FORWARD:policy:3" \
	"60b77ad89c 60b77ad89c.2 60b77ad89c.3" ids --src fd00:77:1::/64 --rule filter:FORWARD:policy:3
same "flows --dst fd00:77:2::/48: both connections" \
	"tcp fd00:77:1::2:51594>fd00:77:1::1:8080 tcp fd00:77:1::2:55018>fd00:77:1::1:9090" flows --dst fd00:77:2::/48
same "flows --dst fd00:77:2::10 --port 81" "tcp fd00:77:1::2:55018>fd00:77:1::1:9090" flows --dst fd00:77:2::10 --port 81

# 4. three hosts in one store: an nft trace with handles on the server
export NATLOG_DB=$TMP/h3.db
T=$L/three-hosts
for h in client gateway server; do
	"$NATLOG" import -q --host "$h" $(awk -v h="$h" -v d="$T" '$2 == h { print d "/" $1 }' "$T/hosts.tsv")
done
ACC="36e9e387 7d046d93 36e9e387.2 f11e6956 36e9e387.3"
same "traces --host server: the nft trace's packets" "$ACC 5f64e494 11cb92ca" ids --host server
same "traces --rule inet:filter:input:handle:2: by nft handle" "$ACC" ids --rule inet:filter:input:handle:2
same "traces --rule handle:2: a bare handle" "$ACC" ids --rule handle:2
same "traces --rule inet:filter:input:rule:1: a position, through the dump's handle" "$ACC" ids --rule inet:filter:input:rule:1
same "traces --rule inet:trace_debug:trace_pre:rule:1: a step that decided nothing, by the dump's handle" \
	"$ACC 5f64e494 11cb92ca" ids --rule inet:trace_debug:trace_pre:rule:1
same "traces --rule inet:trace_debug:trace_pre:rule:2: no such rule, nothing" "" ids --rule inet:trace_debug:trace_pre:rule:2
same "traces --rule 'inet filter:input:policy:3': as traces prints it" "5f64e494 11cb92ca" ids --rule 'inet filter:input:policy:3'
same "traces --rule ip:filter:input: another family, nothing" "" ids --rule ip:filter:input
same "traces --rule filter:OUTPUT:policy:1 --port 8081: the client's legacy side" "aed36c1802 27079d3965" \
	ids --rule filter:OUTPUT:policy:1 --port 8081
same "flows --host gateway --port 81: conntrack's record of the refused one" \
	"tcp 10.77.1.2:54570>10.77.1.10:8081" flows --host gateway --port 81

# 5. conntrack's invalid lines
export NATLOG_DB=$TMP/inv.db
"$NATLOG" import -q --host gw "$L/ct-invalid/dmesg.txt" "$L/ct-invalid/iptables-save.txt"
same "invalid --proto udp" "udp 41005" inval --proto udp
same "invalid --proto icmp" "icmp None" inval --proto icmp
same "invalid --port 41003: the four lines of one connection" "tcp 41003 tcp 41003 tcp 41003 tcp 41003" inval --port 41003
same "invalid --dst 10.77.2.0/24 --proto tcp --iface eth0" \
	"tcp 41001 tcp 41002 tcp 41003 tcp 41003 tcp 41003 tcp 41003 tcp 41004" inval --dst 10.77.2.0/24 --proto tcp --iface eth0
same "invalid --src 10.77.1.2/32 --host gw --port 41004" "tcp 41004" inval --src 10.77.1.2/32 --host gw --port 41004
same "invalid --iface eth1: none" "" inval --iface eth1
same "invalid --dst 10.77.3.0/24: none" "" inval --dst 10.77.3.0/24
check_status "invalid: nothing matched is exit 1" 1 "$NATLOG" invalid --host other

# 6. usage errors: what cannot be read, and what does not apply
usage "--dst with a prefix too long" "CIDR prefix" "$NATLOG" traces --dst 10.77.2.0/33
usage "--src that is no address" "IPv4 or IPv6 address" "$NATLOG" flows --src 10.77.2
usage "--src fd00::/129" "CIDR prefix" "$NATLOG" invalid --src fd00::/129
usage "--proto that is no protocol names what is accepted" "tcp, udp, icmp, icmpv6" "$NATLOG" traces --proto tcpp
usage "--proto 256" "a number 0-255" "$NATLOG" invalid --proto 256
usage "--rule without a chain" "TABLE:CHAIN" "$NATLOG" traces --rule filter
usage "--rule with an unknown type" "TYPE being rule, return or policy" "$NATLOG" traces --rule filter:FORWARD:polcy:7
usage "--rule handle without a number" "handle:N" "$NATLOG" export --rule handle:x
usage "--iface empty" "interface name" "$NATLOG" traces --iface ""
usage "flows --rule: conntrack names no rule" "conntrack records name none" "$NATLOG" flows --rule nat:DOCKER:rule:3
usage "flows --iface: conntrack names no interface" "conntrack records name no interface" "$NATLOG" flows --iface eth0
usage "flows --verdict" "a connection has no verdict" "$NATLOG" flows --verdict drop
usage "invalid --rule" "names no rule" "$NATLOG" invalid --rule filter:FORWARD
usage "invalid --verdict" "no verdict of its own" "$NATLOG" invalid --verdict drop
usage "export --what flows --rule: as flows" "conntrack records name none" "$NATLOG" export --what flows --rule filter:FORWARD
usage "export --what errors --dst" "no packet fields" "$NATLOG" export --what errors --dst 10.0.0.0/8

# --rule reads event_rows and steps (schema 20 on), not the events view:
# every rule, chain and nft handle the steps of these recordings name
# keeps the packets the view says hit it, or that it decided.
for set in "udp-icmp/dmesg.txt udp-icmp/iptables-save.txt" "docker-legacy/messages docker-legacy/iptables-save.txt" \
	"ipv6/nft-monitor-trace-a.txt ipv6/nft-ruleset.txt" "ipv6/dmesg.txt ipv6/ip6tables-save.txt" \
	"xtables-nft/xtables-monitor-trace.txt xtables-nft/nft-ruleset.txt" "rewind/nft-monitor.txt rewind/nft-ruleset.txt"; do
	db=$TMP/rules-$(echo "$set" | tr '/ ' '__').db
	# shellcheck disable=SC2086 # two files
	NATLOG_DB=$db "$NATLOG" import -q $(for f in $set; do printf '%s ' "$L/$f"; done)
	check "--rule on $set: the packets of each rule as the events view has them" \
		python3 - "$db" "$NATLOG" <<'PY'
import json, sqlite3, subprocess, sys
c = sqlite3.connect(sys.argv[1])
legacy = c.execute("SELECT DISTINCT tbl, chain, type, rulenum FROM events WHERE kind = 'trace'").fetchall()
nft = c.execute("SELECT DISTINCT nft_family, tbl, chain, handle FROM events WHERE kind IN "
                "('nft-trace', 'xt-trace') AND handle >= 0").fetchall()
chains = c.execute("SELECT DISTINCT tbl, chain FROM events WHERE kind IN ('trace', 'nft-trace', "
                   "'xt-trace')").fetchall()
assert legacy or nft, "no traced step"
def packets(where, args, decided, dargs):
    q = ("SELECT trace FROM packets p WHERE p.id IN (SELECT packet_id FROM events e WHERE "
         "e.kind IN ('trace', 'nft-trace', 'xt-trace') AND " + where + ") OR (p.decided_table "
         "IS NOT NULL AND " + decided + ")")
    return sorted(r[0] for r in c.execute(q, args + dargs))
specs = []
for t, ch, ty, n in legacy:
    specs.append(("%s:%s:%s:%d" % (t, ch, ty, n), packets(
        "e.tbl = ? AND e.chain = ? AND e.type = ? AND e.rulenum = ?", [t, ch, ty, n],
        "decided_table = ? AND decided_chain = ? AND decided_type = ? AND decided_position = ?",
        [t, ch, ty, n])))
for fam, t, ch, h in nft:
    specs.append(("%s:%s:%s:handle:%d" % (fam, t, ch, h), packets(
        "e.nft_family = ? AND e.tbl = ? AND e.chain = ? AND e.handle = ?", [fam, t, ch, h],
        "decided_family = ? AND decided_table = ? AND decided_chain = ? AND decided_handle = ?",
        [fam, t, ch, h])))
for t, ch in chains:
    specs.append(("%s:%s" % (t, ch), packets("e.tbl = ? AND e.chain = ?", [t, ch],
                                            "decided_table = ? AND decided_chain = ?", [t, ch])))
bad = []
for spec, want in specs:
    r = subprocess.run([sys.argv[2], "--db", sys.argv[1], "traces", "--json", "--rule", spec],
                       capture_output=True, text=True)
    got = sorted(p["trace"] for p in json.loads(r.stdout)) if r.returncode <= 1 else ["exit %d" % r.returncode]
    if got != want:
        bad.append("%s: wanted %s, got %s" % (spec, want, got))
print("%d rules compared" % len(specs), file=sys.stderr)
assert len(specs) >= 3 and not bad, "\n".join(bad[:5])
PY
done

finish
