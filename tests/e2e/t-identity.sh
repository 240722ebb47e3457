#!/bin/sh
# One packet, every source, every host: ids that do not depend on how a
# kernel line was rendered, hosts as part of identity, renderings of one
# ring buffer deduplicated in any order, and joins that need no shared
# clock. Real lab recordings; the README's examples are run too.
. "$(dirname "$0")/lib.sh"
L=$TD/lab/docker-legacy
ids() { "$NATLOG" traces --json | python3 -c 'import json,sys; print(" ".join(sorted(p["trace"] for p in json.load(sys.stdin))))'; }
count() { "$NATLOG" traces --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

# 1. the README's "$ natlog ..." blocks, run as shown ("..." skips lines)
cat > "$TMP/readme.py" <<'PY'
import os, re, shlex, subprocess, sys
root, natlog, tmp = sys.argv[1:4]
text = open(os.path.join(root, "README.md")).read()
fails = 0
for n, block in enumerate(re.findall(r"^```\n(\$ natlog .*?)^```$", text, re.S | re.M)):
    db = os.path.join(tmp, "readme%d.db" % n)
    env = dict(os.environ, NATLOG_DB=db, NO_COLOR="1")
    cmds, cur = [], None
    for line in block.splitlines():
        if line.startswith("$ "):
            cur = [line[2:], []]
            cmds.append(cur)
        else:
            cur[1].append(line.rstrip())
    for cmd, want in cmds:
        argv = shlex.split(cmd)
        got = subprocess.run([natlog] + argv[1:], cwd=root, env=env, capture_output=True,
                             text=True).stdout.splitlines()
        got = [l.rstrip() for l in got]
        # match want against got; "..." matches any run of lines
        def match(w, g):
            if not w:
                return not g
            if w[0] == "...":
                return any(match(w[1:], g[i:]) for i in range(len(g) + 1))
            return bool(g) and g[0] == w[0] and match(w[1:], g[1:])
        if not match(want, got):
            fails += 1
            print("README example '%s' printed:\n    %s" % (cmd, "\n    ".join(got[:40])))
sys.exit(1 if fails else 0)
PY
check "the README's examples print what the README shows" python3 "$TMP/readme.py" "$ROOT" "$NATLOG" "$TMP"

# 2. the same packets get the same ids from dmesg, dmesg -T, syslog, --host
for f in dmesg.txt dmesg-T.txt messages; do
	NATLOG_DB=$TMP/r-$f.db "$NATLOG" import -q "$L/$f"
	NATLOG_DB=$TMP/r-$f.db ids > "$TMP/ids-$f"
done
NATLOG_DB=$TMP/r-host.db "$NATLOG" import -q --host gw "$L/dmesg.txt"
NATLOG_DB=$TMP/r-host.db ids > "$TMP/ids-host"
check "dmesg and dmesg -T give the same ids" cmp "$TMP/ids-dmesg.txt" "$TMP/ids-dmesg-T.txt"
check "dmesg and syslog give the same ids" cmp "$TMP/ids-dmesg.txt" "$TMP/ids-messages"
check "--host does not change the ids" cmp "$TMP/ids-dmesg.txt" "$TMP/ids-host"
# the same lines as journalctl -o json and inside a sosreport
python3 - "$L" "$TMP" <<'PY'
import json, os, re, sys, tarfile, io
src, tmp = sys.argv[1:3]
with open(os.path.join(tmp, "journal.json"), "w") as out:
    for line in open(os.path.join(src, "dmesg.txt")):
        m = re.match(r"\[ *([0-9]+)\.([0-9]{6})\] (.*)", line.rstrip("\n"))
        us = int(m.group(1)) * 1000000 + int(m.group(2))
        out.write(json.dumps({"__REALTIME_TIMESTAMP": str(1795273189000000 + us),
                              "_SOURCE_MONOTONIC_TIMESTAMP": str(us), "_TRANSPORT": "kernel",
                              "_HOSTNAME": "node7", "MESSAGE": m.group(3)}) + "\n")
data = open(os.path.join(src, "messages"), "rb").read()
with tarfile.open(os.path.join(tmp, "sosreport-node7-2026-11-21-abcdefg.tar.xz"), "w:xz") as t:
    i = tarfile.TarInfo("sosreport-node7-2026-11-21-abcdefg/var/log/messages")
    i.size = len(data)
    t.addfile(i, io.BytesIO(data))
PY
NATLOG_DB=$TMP/r-journal.db "$NATLOG" import -q "$TMP/journal.json"
NATLOG_DB=$TMP/r-journal.db ids > "$TMP/ids-journal"
NATLOG_DB=$TMP/r-sos.db "$NATLOG" import -q "$TMP/sosreport-node7-2026-11-21-abcdefg.tar.xz"
NATLOG_DB=$TMP/r-sos.db ids > "$TMP/ids-sos"
check "the journal (JSON) gives the same ids" cmp "$TMP/ids-dmesg.txt" "$TMP/ids-journal"
check "a sosreport gives the same ids" cmp "$TMP/ids-dmesg.txt" "$TMP/ids-sos"

# 2. hosts are part of identity
export NATLOG_DB=$TMP/hosts.db
"$NATLOG" import -q --host gw1 "$L/dmesg.txt" "$L/iptables-save.txt"
check "byte-identical files of another host are imported" "$NATLOG" import -q --host gw2 "$L/dmesg.txt" "$L/iptables-save.txt"
"$NATLOG" traces --json > "$TMP/hosts.json"
check_json "each host has its 18 packets, all explained by its own dump" \
	'len([p for p in j if p["host"] == "gw1"]) == 18 and len([p for p in j if p["host"] == "gw2"]) == 18 and all(p["verdict"] != "unknown" for p in j)' < "$TMP/hosts.json"
"$NATLOG" import --host gw2 "$L/iptables-save.txt" 2> "$TMP/again"
check_grep "importing the same file for the same host again adds nothing" "imported before" "$TMP/again"
# syslog lines without an uptime stamp, logged in the same second by two hosts
sed 's/ \[ *[0-9.]*\] / /' "$L/messages" > "$TMP/a.log"
sed 's/ \[ *[0-9.]*\] / /; s/ natlog-lab / other-host /' "$L/messages" > "$TMP/b.log"
export NATLOG_DB=$TMP/syslog2.db
"$NATLOG" import -q "$TMP/a.log" "$TMP/b.log"
check_json "the same line from two hosts in the same second is two lines" \
	'len(j) == 36 and len({p["host"] for p in j}) == 2' < "$("$NATLOG" traces --json > "$TMP/s2.json"; echo "$TMP/s2.json")"

# 3. renderings of one ring buffer, in any order
for order in "dmesg-T.txt dmesg.txt messages" "dmesg.txt dmesg-T.txt messages" \
	"messages dmesg-T.txt dmesg.txt" "dmesg-T.txt messages dmesg.txt"; do
	export NATLOG_DB="$TMP/order-$(echo $order | tr -c 'a-zA-Z\n' _).db"
	(cd "$L" && "$NATLOG" import -q $order)
	check_json "dmesg, dmesg -T and syslog imported as $order give 18 packets" 'len(j) == 18' \
		< "$("$NATLOG" traces --json > "$TMP/o.json"; echo "$TMP/o.json")"
done
for d in docker-legacy interleaved ct-invalid; do
	export NATLOG_DB="$TMP/dir-$d.db"
	"$NATLOG" import -q "$TD/lab/$d/" 2>/dev/null
	NATLOG_DB="$TMP/dmesg-$d.db" "$NATLOG" import -q "$TD/lab/$d/dmesg.txt"
	check "the whole $d directory gives the packets of its dmesg.txt, once each" \
		test "$(count)" = "$(NATLOG_DB="$TMP/dmesg-$d.db" count)"
done
export NATLOG_DB=$TMP/boot.db TZ=UTC	# the lab's dmesg -T printed UTC
"$NATLOG" import -q "$L/dmesg-T.txt" "$L/dmesg.txt" "$L/iptables-save.txt" "$L/outside.pcap"
"$NATLOG" explain --json --trace 5f70272d1f > "$TMP/boot.json"
check_json "the boot time learned from dmesg against dmesg -T puts captures on the kernel's clock" \
	'any(e["source"] == "pcap" and e["seen"] and "s from the first traced step" in e["note"] for e in j["evidence"]) and not any(d.startswith("captures were matched") for d in j["diagnosis"])' < "$TMP/boot.json"

# 4. joins without a shared clock: nft monitor trace (no time) and dmesg
N=$TD/lab/ct-invalid-nft
export NATLOG_DB=$TMP/join.db
"$NATLOG" import -q "$N/nft-monitor-trace.txt" "$N/dmesg.txt" "$N/nft-ruleset.txt"
"$NATLOG" invalid --json > "$TMP/inv.json"
check_json "each of the 9 conntrack invalid lines is joined to its nft-traced packet" \
	'len(j) == 9 and all(r["trace"] for r in j) and len({r["trace"] for r in j}) == 9' < "$TMP/inv.json"
python3 -c 'import json,sys; [print(r["trace"]) for r in json.load(open(sys.argv[1]))]' "$TMP/inv.json" > "$TMP/inv.ids"
n=0; ok=0
while read -r t; do
	n=$((n + 1))
	"$NATLOG" explain --json --trace "$t" > "$TMP/j.json"
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if any(d.startswith("conntrack called this packet INVALID: ") for d in j["diagnosis"]) and any(e["source"] == "conntrack-invalid" and e["file"].endswith("dmesg.txt") for e in j["evidence"]) else 1)' "$TMP/j.json" && ok=$((ok + 1))
done < "$TMP/inv.ids"
check "explain gives the kernel's reason for all $n of them (got $ok)" test "$n" = 9 -a "$ok" = 9
"$NATLOG" explain --json --trace "$(head -1 "$TMP/inv.ids")" > "$TMP/j1.json"
check_json "the reason is the one of the packet with the same IP ID" \
	'j["ip_id"] == 30001 and any(e.get("reason") == "invalid tcp flag combination" and e["note"].endswith("(another source, joined by identity)") for e in j["evidence"])' < "$TMP/j1.json"
t=$("$NATLOG" traces --json --verdict drop | python3 -c 'import json,sys; print([p["trace"] for p in json.load(sys.stdin) if p["ip_id"] == 30014][0])')
"$NATLOG" explain --json --trace "$t" > "$TMP/j14.json"
check_json "the unsolicited echo reply (dropped as invalid, never logged) is given no one else's reason" \
	'not any(e["source"] == "conntrack-invalid" for e in j["evidence"]) and not any("INVALID:" in d for d in j["diagnosis"])' < "$TMP/j14.json"

# 5. captures across NAT: MASQUERADE on the way out, conntrack's reverse
# translation of replies; every traced packet a capture holds (by IP ID)
# is named there, and the note says which NAT and by what it was matched
U=$TD/lab/udp-icmp
export NATLOG_DB=$TMP/nat.db
"$NATLOG" import -q "$U/dmesg.txt" "$U/iptables-save.txt" "$U/outside.pcap" "$U/inside.pcap"
cat > "$TMP/nat.py" <<'PY'
import json, os, subprocess, sys
nl = sys.argv[1]
run = lambda *a: subprocess.run([nl, *a], capture_output=True, text=True).stdout
missed, notes = [], []
for p in json.loads(run("traces", "--json")):
    j = json.loads(run("explain", "--json", "--trace", p["trace"]))
    seen = {os.path.basename(e["file"]) for e in j["evidence"] if e["source"] == "pcap" and e["seen"]}
    notes += [e["note"] for e in j["evidence"] if e["source"] == "pcap" and e["seen"]]
    for f in ("outside.pcap", "inside.pcap"):
        q = ("SELECT count(*) FROM events e JOIN sources s ON s.id = e.source_id WHERE e.kind = 'wire' "
             "AND s.path LIKE '%%/%s' AND e.ip_id = %d" % (f, p["ip_id"]))
        held = int(run("sql", q).split()[-1]) > 0
        if held and f not in seen:
            missed.append((p["trace"], f))
print(json.dumps({"missed": missed, "notes": notes}))
PY
python3 "$TMP/nat.py" "$NATLOG" > "$TMP/nat.json"
check_json "every traced packet is named in each capture that holds it" 'j["missed"] == []' < "$TMP/nat.json"
check_json "a packet MASQUERADEd on its way out is seen after MASQUERADE, by fewer fields" \
	'any(n.startswith("after MASQUERADE by nat:POSTROUTING:rule:1 (from 10.77.1.1:") and n.endswith("matched by IP ID, length and the destination only") for n in j["notes"])' < "$TMP/nat.json"
check_json "a reply that conntrack un-DNATs is seen after conntrack's translation" \
	'any(n.startswith("after conntrack'"'"'s translation (from 10.77.1.1:5353)") for n in j["notes"])' < "$TMP/nat.json"

# 6. a SYN-ACK with IP ID 0 that changes trace id behind a bridge is one packet
B=$TD/lab/nft-bridge-reply
export NATLOG_DB=$TMP/bridge.db
"$NATLOG" import -q "$B/nft-monitor-trace-a.txt" "$B/nft-ruleset.txt"
"$NATLOG" traces --json > "$TMP/br.json"
check_json "each of the 3 SYN-ACKs is one packet, decided at inet input under its second id" \
	'len([p for p in j if p["tcp_flags"] == "ACK SYN"]) == 3 and all(p["ip_id"] == 0 and p["decided_by"]["family"] == "inet" and p["decided_by"]["chain"] == "input" for p in j if p["tcp_flags"] == "ACK SYN")' < "$TMP/br.json"
t=$(python3 -c 'import json,sys; print([p["trace"] for p in json.load(open(sys.argv[1])) if p["tcp_flags"] == "ACK SYN"][0])' "$TMP/br.json")
"$NATLOG" explain --trace "$t" > "$TMP/br.txt"
check_grep "explain says why the new id continues it" "also traced as [0-9a-f]* (the trace id changed on the way: its first packet: line has this packet's addresses, ports, length, TCP flags and window (the IP ID is 0)" "$TMP/br.txt"
# two packets with the same headers open at once: neither is guessed
awk '/ 98676234 / { sub(/ 98676234 /, " 11112222 "); print }' "$B/nft-monitor-trace-a.txt" > "$TMP/twin.txt"
cat "$B/nft-monitor-trace-a.txt" >> "$TMP/twin.txt"
export NATLOG_DB=$TMP/twin.db
"$NATLOG" import -q "$TMP/twin.txt"
check_json "a twin traced meanwhile leaves the new id a packet of its own" \
	'any(p["trace"] == "030065f9" for p in j)' < "$("$NATLOG" traces --json > "$TMP/tw.json"; echo "$TMP/tw.json")"

# 7. connections from every source: udp-icmp has no conntrack file, only a
# trace and captures on both sides of the NAT
export NATLOG_DB=$TMP/nat.db
"$NATLOG" flows --json > "$TMP/flows.json"
check_json "one row per connection from the trace and the captures (5 UDP, 2 echo)" \
	'sorted(f["proto"] for f in j) == ["icmp"] * 2 + ["udp"] * 5 and all(f["sources"] == ["trace", "capture"] for f in j)' < "$TMP/flows.json"
M='[f for f in j if f["orig"]["sport"] == 48029][0]'
check_json "the MASQUERADEd connection: translated source learned from the outside capture" \
	"$M[\"translated\"][\"src\"] == \"10.77.1.1\" and $M[\"nat\"] == \"snat\" and $M[\"packets\"][\"traced\"] == 1 and $M[\"packets\"][\"traced_reply\"] == 1 and $M[\"packets\"][\"captured\"] >= 2" < "$TMP/flows.json"
check_json "with Community IDs before and after NAT" \
	"$M[\"community_id\"] != $M[\"community_id_translated\"] and $M[\"community_id\"].startswith(\"1:\")" < "$TMP/flows.json"
D='[f for f in j if f["orig"]["dport"] == 5353][0]'
check_json "the DNATed one from the trace, its reply joined by conntrack's translation" \
	"$D[\"translated\"][\"dst\"] == \"10.77.2.10\" and $D[\"nat\"] == \"dnat\" and $D[\"packets\"][\"traced_reply\"] == 1" < "$TMP/flows.json"

# 8. several hosts in one store: the client's legacy TRACE, the gateway's
# captures and conntrack, the server's nft trace (hosts.tsv says whose)
T=$TD/lab/three-hosts
export NATLOG_DB=$TMP/hosts3.db
for h in client gateway server; do
	"$NATLOG" import -q --host "$h" $(awk -v h="$h" -v d="$T" '$2 == h { print d "/" $1 }' "$T/hosts.tsv")
done
t=$("$NATLOG" traces --json --port 8080 | python3 -c 'import json,sys; print([p["trace"] for p in json.load(sys.stdin) if p["tcp_flags"] == "SYN"][0])')
"$NATLOG" explain --json --trace "$t" > "$TMP/h3.json"
check_json "the client's SYN is the server's: hops in TTL order, across DNAT and MASQUERADE --random-fully" \
	'[(h["host"], h["source"], h["ttl"], h["this"]) for h in j["hops"]] == [("client", "iptables-trace", 64, True), ("server", "nft-trace", 63, False)] and j["hops"][1]["dst"] == "10.77.2.10" and j["hops"][1]["dport"] == 80 and j["hops"][1]["verdict"] == "accept"' < "$TMP/h3.json"
check_json "the gateway's inside capture holds it with both ends rewritten, as conntrack says" \
	'any(e["source"] == "pcap" and e["iface"] == "inside" and e["seen"] and e["note"].startswith("after conntrack'"'"'s NAT (10.77.2.1:") for e in j["evidence"])' < "$TMP/h3.json"
s=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hops"][1]["trace"])' "$TMP/h3.json")
"$NATLOG" explain --json --trace "$s" > "$TMP/h3s.json"
check_json "and from the server's side, the client's packet is the hop before" \
	'[(h["host"], h["this"]) for h in j["hops"]] == [("client", False), ("server", True)]' < "$TMP/h3s.json"
check_json "the server's packet is in the gateway's outside capture before conntrack's NAT" \
	'any(e["source"] == "pcap" and e["iface"] == "outside" and e["seen"] and e["note"].startswith("before conntrack'"'"'s NAT (10.77.1.2:") for e in j["evidence"]) and any(e["source"] == "conntrack" and e["note"].endswith("DNAT to 10.77.2.10:80, SNAT to 10.77.2.1") for e in j["evidence"])' < "$TMP/h3s.json"
"$NATLOG" flows --json > "$TMP/h3f.json"
check_json "flows: one row per connection across the three hosts, with both Community IDs" \
	'len(j) == 2 and all(f["sources"] == ["conntrack", "trace", "capture"] and f["nat"] == "both" and f["community_id"] != f["community_id_translated"] for f in j) and [f["packets"]["traced"] + f["packets"]["traced_reply"] for f in j][0] == 10' < "$TMP/h3f.json"
export NATLOG_DB=$TMP/hosts3-nohost.db
"$NATLOG" import -q "$T/dmesg.txt" "$T/nft-monitor-trace-a.txt"
"$NATLOG" explain --json --trace "$t" > "$TMP/h3n.json"
check_json "without hosts, no hops are guessed" 'j["hops"] == []' < "$TMP/h3n.json"

# An xtables-monitor trace whose id changes between hooks (a bridge's
# frame routed on): an ICMP PACKET: line prints no protocol, and the rule
# of the first id (-p icmp) gave that id one; the second id still
# continues the packet, which is one, accepted in FORWARD.
cat > "$TMP/xt-icmp.txt" <<'EOT'
PACKET: 2 aa11bb22 IN=br0 MACSRC=2:42:ac:14:0:2 MACDST=2:42:a4:c7:f1:f1 MACPROTO=0800 SRC=192.0.2.2 DST=198.51.100.9 LEN=84 TOS=0x0 TTL=64 ID=43751DF 
 TRACE: 2 aa11bb22 raw:PREROUTING:rule:0x4:CONTINUE  -4 -t raw -A PREROUTING -p icmp -j TRACE
 TRACE: 2 aa11bb22 raw:PREROUTING:return:
 TRACE: 2 aa11bb22 raw:PREROUTING:policy:ACCEPT 
PACKET: 2 cc33dd44 IN=br0 OUT=eth0 MACSRC=2:42:ac:14:0:2 MACDST=2:42:a4:c7:f1:f1 MACPROTO=0800 SRC=192.0.2.2 DST=198.51.100.9 LEN=84 TOS=0x0 TTL=63 ID=43751DF 
 TRACE: 2 cc33dd44 filter:FORWARD:rule:0x34:ACCEPT  -4 -t filter -A FORWARD -i br0 ! -o br0 -j ACCEPT
EOT
check "an ICMP trace whose id changes imports" "$NATLOG" --db "$TMP/xti.db" import -q "$TMP/xt-icmp.txt"
"$NATLOG" --db "$TMP/xti.db" traces --json > "$TMP/xti.json"
check_json "it is one packet under its first id, accepted in FORWARD" \
	'len(j) == 1 and j[0]["trace"] == "aa11bb22" and j[0]["verdict"] == "accept" and j[0]["proto"] == "icmp"' < "$TMP/xti.json"

finish
