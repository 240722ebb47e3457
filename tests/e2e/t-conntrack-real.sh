#!/bin/sh
# Connection tracking tables and events as people paste them: conntrackd's
# outputs, old kernels' tables, counts, each from a real source listed in
# testdata/real/README.
. "$(dirname "$0")/lib.sh"
R=$TD/real

# 1. The conntrack-tools manual: `conntrackd -s` (its older layout and its
# cache section), then `conntrackd -i`, whose entries end with how long
# conntrackd has cached them ("[active since 536s]").
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

finish
