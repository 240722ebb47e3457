#!/bin/sh
# Connection tracking tables and events as people paste them: conntrackd's
# outputs, old kernels' tables, counts, each from a real source listed in
# testdata/real/README.
. "$(dirname "$0")/lib.sh"
R=$TD/real

# 1. The conntrack-tools manual: `conntrackd -s` (its older layout and its
# cache section), then `conntrackd -i`, whose entries end with how long
# conntrackd has cached them ("[active since 536s]"), and two lines of
# conntrackd's log, skipped.
check "conntrackd -s and -i import without an error" "$NATLOG" import -q "$R/conntrack-tools-manual-conntrackd-s-i.txt"
"$NATLOG" errors --json > "$TMP/e.json"
check_json "no line is an error" 'j == []' < "$TMP/e.json"
"$NATLOG" flows --json > "$TMP/f.json"
check_json "conntrackd -i gives its five entries" \
	'sorted(f["orig"]["sport"] for f in j) == [37962, 38209, 38211, 42593, 58491]' < "$TMP/f.json"
check_json "each with its state, assured and mark" \
	'[(f["state"], f["assured"], f["mark"]) for f in j if f["orig"]["sport"] == 42593] == [("TIME_WAIT", True, None)] and all((f["state"], f["assured"], f["mark"]) == ("ESTABLISHED", True, 0) for f in j if f["orig"]["sport"] != 42593)' < "$TMP/f.json"
check_json "and its tuples" \
	'[(f["orig"]["src"], f["orig"]["dst"], f["orig"]["dport"], f["reply"]["src"], f["reply"]["dport"]) for f in j if f["orig"]["sport"] == 58491] == [("192.168.2.100", "139.174.175.20", 993, "139.174.175.20", 58491)]' < "$TMP/f.json"
"$NATLOG" summary > "$TMP/s.txt"
check_grep "summary counts the five records" "conntrack: 5 records, 0 with DNAT, 0 with SNAT" "$TMP/s.txt"

# 2. A PPTP client NATed by a router: /proc/net/nf_conntrack_expect's GRE
# expectation (named an expectation, as conntrack -L expect's are), and
# nf_conntrack's GRE entry and TCP control connection, the prompt alone
# ("# ") between them skipped. (The entries themselves, GRE keys and all,
# were read right before.)
check_status "the expectation is the one error (exit 3)" 3 "$NATLOG" --db "$TMP/pptp.db" import -q "$R/pptp-nf_conntrack_expect-gre.txt"
"$NATLOG" --db "$TMP/pptp.db" errors --json > "$TMP/pe.json"
check_json "line 2 is named an expectation, nothing else an error" \
	'[(e["line"], "conntrack expectation" in e["reason"] and "nf_conntrack_expect" in e["reason"]) for e in j] == [(2, True)]' < "$TMP/pe.json"

# 3. `watch conntrack -L`: watch's header above each refresh ("Every 2.0s:
# conntrack -L ... host: Fri Feb 10 06:45:02 2023") is skipped, the
# entries under it read as before (one REDIRECTed to a sidecar's port).
check "watch's refreshes of conntrack -L import without an error" "$NATLOG" --db "$TMP/w.db" import -q "$R/istio-watch-conntrack-L-close-wait.txt"

# 4. Kubernetes' CI build log: a conntrack -L entry its e2e test dumped,
# under the log's "I0812 15:31:25.778] " header; and (composed around the
# same entry) glog's longer header, "I0812 15:31:25.778224   12345
# conntrack.go:77] ".
check "the entry under the build log's header imports" "$NATLOG" --db "$TMP/k.db" import -q "$R/k8s-93767-ci-build-log-conntrack-L.txt"
"$NATLOG" --db "$TMP/k.db" flows --json > "$TMP/kf.json"
check_json "as the UDP flow DNATed to 10.64.1.119:80" \
	'[(f["proto"], f["orig"]["dst"], f["reply"]["src"], f["reply"]["sport"], f["assured"], f["mark"]) for f in j] == [("udp", "10.0.140.245", "10.64.1.119", 80, True, 0)]' < "$TMP/kf.json"
sed 's/^I0812 15:31:25.778\]/I0812 15:31:25.778224   12345 conntrack.go:77]/' "$R/k8s-93767-ci-build-log-conntrack-L.txt" > "$TMP/glog.txt"
check "and under glog's header (composed)" "$NATLOG" --db "$TMP/g.db" import -q "$TMP/glog.txt"
"$NATLOG" --db "$TMP/g.db" flows --json > "$TMP/gf.json"
check_json "the same flow" '[(f["orig"]["sport"], f["reply"]["src"]) for f in j] == [(12345, "10.64.1.119")]' < "$TMP/gf.json"

# 5. conntrack -L -o xml in a loop with ipvsadm and date (calico#9967): a
# <flow> broken in two is reported as such, its first piece cut, its
# second the rest of a flow, not "no protocol name".
check_status "the broken flow is reported (exit 3)" 3 "$NATLOG" --db "$TMP/x.db" import -q "$R/calico-9967-conntrack-L-o-xml-wrapped.txt"
"$NATLOG" --db "$TMP/x.db" errors --json > "$TMP/xe.json"
check_json "line 1 a flow without its end, line 2 the rest of one" \
	'[(e["line"], ("broken over lines" in e["reason"]) if e["line"] in (1, 2) else True) for e in j][:2] == [(1, True), (2, True)] and "the rest of a conntrack -o xml <flow>" in j[1]["reason"]' < "$TMP/xe.json"

# 6. A netfilter-devel patch's session: conntrack -U of an entry with
# labels, then `conntrack -C` and its count, which is no broken entry.
check "the session imports without an error" "$NATLOG" --db "$TMP/u.db" import -q "$R/nfdevel-2023-conntrack-U-labels-C.txt"
"$NATLOG" --db "$TMP/u.db" errors --json > "$TMP/ue.json"
check_json "conntrack -C's count is not an error" 'j == []' < "$TMP/ue.json"

# 7. A router with hardware offload (openwrt#17915): the time a loop
# printed before each listing is skipped, not "no protocol name"; an
# entry whose addresses were blanked out says so, and the rows of
# MediaTek's PPE table are named as such, not taken for broken entries.
check_status "the blanked entries and the PPE rows are the errors (exit 3)" 3 \
	"$NATLOG" --db "$TMP/o.db" import -q "$R/openwrt-17915-hw-offload-watch.txt"
"$NATLOG" --db "$TMP/o.db" errors --json > "$TMP/oe.json"
check_json "lines 2 and 7 blanked out, 3, 4, 8 and 9 PPE rows, the times none" \
	'[(e["line"], "blanked out before pasting" in e["reason"] if e["line"] in (2, 7) else "hardware flow table (MediaTek PPE" in e["reason"]) for e in j] == [(2, True), (3, True), (4, True), (7, True), (8, True), (9, True)]' < "$TMP/oe.json"
"$NATLOG" --db "$TMP/o.db" sources --json > "$TMP/os.json"
check_json "the two time lines are counted as skipped" '[s["skipped"] for s in j] == [2]' < "$TMP/os.json"

finish
