#!/bin/sh
# The command line contract: help, options, exit statuses, JSON shapes.
. "$(dirname "$0")/lib.sh"

check "natlog --help" "$NATLOG" --help
check_grep "--help lists the commands" "explain" "$TMP/out"
check "natlog --version" "$NATLOG" --version
check_status "no command is a usage error" 2 "$NATLOG"
check_status "unknown command is a usage error" 2 "$NATLOG" frobnicate
check_status "unknown option is a usage error" 2 "$NATLOG" traces --frob
check_status "import without paths is a usage error" 2 "$NATLOG" import
check_status "bad --port is a usage error" 2 "$NATLOG" traces --port 70000
check_status "bad --verdict is a usage error" 2 "$NATLOG" traces --verdict maybe
check_status "query without a store is a store failure" 4 "$NATLOG" --db "$TMP/none.db" traces
for c in import traces explain errors sources; do
	check "natlog $c --help needs no store" "$NATLOG" --db "$TMP/none.db" $c --help
done
check "import seed 003" "$NATLOG" import -q "$TD/seed003"
check_status "explain of an unknown id exits 1" 1 "$NATLOG" explain --trace ffffffffff
check_status "traces that match nothing exit 1" 1 "$NATLOG" traces --src 10.99.99.99
"$NATLOG" traces --json --src 10.99.99.99 > "$TMP/empty.json"
check_json "empty result is an empty JSON array" 'j == []' < "$TMP/empty.json"
check_status "an empty id is a usage error" 2 "$NATLOG" explain --trace ""
# nft trace ids are reused: the second packet under an id gets ".2"
NATLOG_DB=$TMP/dup.db "$NATLOG" import -q "$TD/lab/nft-set-drop/nft-monitor-trace-a.txt"
NATLOG_DB=$TMP/dup.db "$NATLOG" traces --json > "$TMP/dup.json"
id=$(python3 -c 'import json,sys; print([p["trace"][:-2] for p in json.load(open(sys.argv[1])) if p["trace"].endswith(".2")][0])' "$TMP/dup.json")
check_status "an ambiguous prefix exits 1" 1 env NATLOG_DB="$TMP/dup.db" "$NATLOG" explain --trace "$(echo "$id" | cut -c1-6)"
check_grep "and lists the candidates" "$id.2" "$TMP/err"
check "the exact id is not ambiguous" env NATLOG_DB="$TMP/dup.db" "$NATLOG" explain --trace "$id"
"$NATLOG" --db "$NATLOG_DB" sources --json > "$TMP/src.json"
check_json "sources lists both inputs with their kinds" \
	'sorted(s["kind"] for s in j) == ["iptables-save", "kernel-log"] and all(s["errors"] == 0 for s in j)' < "$TMP/src.json"
NATLOG_DB=$TMP/other.db "$NATLOG" import -q "$TD/seed003/messages"
check "NATLOG_DB selects the store" test -f "$TMP/other.db"
"$NATLOG" traces --json --verdict accept > "$TMP/acc.json"
check_json "--verdict filters" 'len(j) == 3 and all(p["verdict"] == "accept" for p in j)' < "$TMP/acc.json"
"$NATLOG" traces --json --dst 172.19.0.9 --port 80 > "$TMP/dnat.json"
check_json "--dst and --port also match after DNAT" 'len(j) == 4' < "$TMP/dnat.json"
NATLOG_DB=$TMP/progress.db "$NATLOG" import --progress "$TD/lab/interleaved/dmesg.txt" 2> "$TMP/progress.err"
check_grep "import --progress draws a bar with its rate on stderr" "%  *[0-9.]* MB/s" "$TMP/progress.err"
NATLOG_DB=$TMP/progress2.db "$NATLOG" import "$TD/lab/interleaved/dmesg.txt" 2> "$TMP/noprogress.err"
check "no progress bar when stderr is not a terminal" sh -c "! grep -q 'MB/s' '$TMP/noprogress.err'"
"$NATLOG" traces > "$TMP/text"
check "text output has no colour codes when not a terminal" sh -c "! grep -q \"$(printf '\033')\" '$TMP/text'"
finish
