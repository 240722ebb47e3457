#!/bin/sh
# The command line habits people expect: global options anywhere, 'natlog
# help', one-line "did you mean" for a mistyped command, option or value,
# --color, and --help that names every input natlog reads.
. "$(dirname "$0")/lib.sh"
unset NATLOG_DB
cd "$TMP"

"$NATLOG" --db "$TMP/a.db" import -q "$TD/seed003" 2>/dev/null
"$NATLOG" --db "$TMP/a.db" traces --json > "$TMP/before.json"
"$NATLOG" traces --json --db "$TMP/a.db" > "$TMP/after.json"
check "--db after the command finds the same store as --db before it" cmp "$TMP/after.json" "$TMP/before.json"
check "--db=PATH after the command" "$NATLOG" traces --db="$TMP/a.db"
check "no store was made in the working directory" test ! -e "$TMP/natlog.db"
check "--db among a command's own options" "$NATLOG" traces --verdict accept --db "$TMP/a.db" --json
check_json "and the command's options still apply" 'j and all(p["verdict"] == "accept" for p in j)' < "$TMP/out"
check "--no-pager and --color=never anywhere" "$NATLOG" traces --no-pager --db "$TMP/a.db" --color=never
check_status "a value after '--' is not taken as --db" 3 "$NATLOG" --db "$TMP/b.db" import -q -- --db "$TMP/a.db"
check "so it stays the import's path" test -f "$TMP/b.db"
check_status "--db without a path is a usage error" 2 "$NATLOG" traces --db
check_status "--color with an unknown word is a usage error" 2 "$NATLOG" --color=sometimes traces
check_grep "naming the words" "auto, always or never" "$TMP/err"

check "natlog help" "$NATLOG" help
check_grep "is the top help" "commands:" "$TMP/out"
"$NATLOG" traces --help > "$TMP/traces-help"
"$NATLOG" help traces > "$TMP/help-traces"
check "natlog help traces is natlog traces --help" cmp "$TMP/help-traces" "$TMP/traces-help"
check_status "natlog help of no such command" 2 "$NATLOG" help trace
check_grep "suggests the command" "did you mean 'traces'?" "$TMP/err"

check_status "a mistyped command exits 2" 2 "$NATLOG" trace
check_grep "and says which was meant" "natlog: 'trace' is not a command; did you mean 'traces'?" "$TMP/err"
check_status "a word near no command exits 2" 2 "$NATLOG" frobnicate
check "without a guess" sh -c "! grep -q 'did you mean' '$TMP/err'"
check_status "a mistyped option exits 2" 2 "$NATLOG" traces --verdit drop
check_grep "naming the option and the nearest one" "natlog traces: unknown option '--verdit'; did you mean '--verdict'?" "$TMP/err"
check_grep "then where the help is" "^see 'natlog traces --help'$" "$TMP/err"
check "in two lines, not the whole help" test "$(wc -l < "$TMP/err")" -eq 2
check_status "in every command" 2 "$NATLOG" summary --jsno
check_grep "summary suggests --json" "did you mean '--json'?" "$TMP/err"
check_status "an ambiguous abbreviation exits 2" 2 "$NATLOG" traces --s 1
check_grep "and lists what it could be" "could be '--src', '--seq' or '--since'$" "$TMP/err"
check_status "a value given to a flag exits 2" 2 "$NATLOG" traces --json=yes
check_grep "and says it takes none" "option '--json' takes no value" "$TMP/err"
check_status "a missing value exits 2" 2 "$NATLOG" traces --verdict
check_grep "and says it wants one" "option '--verdict' wants a value" "$TMP/err"
check_status "a mistyped value exits 2" 2 "$NATLOG" traces --db "$TMP/a.db" --verdict dorp
check_grep "and suggests the word" "not 'dorp'; did you mean 'drop'?" "$TMP/err"
check_status "a mistyped global option exits 2" 2 "$NATLOG" --verison
check_grep "and suggests the option" "did you mean '--version'?" "$TMP/err"

check_status "explain without an id exits 2" 2 "$NATLOG" explain
check_grep "saying what is missing" "natlog explain: give a trace id" "$TMP/err"
check "in two lines, not the whole help" test "$(wc -l < "$TMP/err")" -eq 2
check_status "explain --svg --json exits 2" 2 "$NATLOG" explain --trace 1 --svg --json
check_grep "saying they go one at a time" "go one at a time" "$TMP/err"

# explain's colour: --color=always on a pipe, never on a terminal
"$NATLOG" --db "$TMP/a.db" traces --json | sed -n 's/.*"trace": "\([^"]*\)".*/\1/p' | head -1 > "$TMP/id"
id=$(cat "$TMP/id")
check "--color=always colours a pipe" "$NATLOG" explain --trace "$id" --db "$TMP/a.db" --color=always
check_grep "with escape codes" "$(printf '\033')\[" "$TMP/out"
NO_COLOR= python3 "$ROOT/tests/e2e/pty-run.py" 200 200 "$TMP/tty" "$NATLOG" --no-pager --db "$TMP/a.db" explain --trace "$id"
check_grep "auto colours a terminal" "$(printf '\033')\[1m" "$TMP/tty"
NO_COLOR=1 python3 "$ROOT/tests/e2e/pty-run.py" 200 200 "$TMP/tty" "$NATLOG" --no-pager --db "$TMP/a.db" explain --trace "$id"
check "but not with NO_COLOR set" sh -c "! grep -q \"$(printf '\033')\" '$TMP/tty'"
NO_COLOR= python3 "$ROOT/tests/e2e/pty-run.py" 200 200 "$TMP/tty" "$NATLOG" --color=never --no-pager --db "$TMP/a.db" explain --trace "$id"
check "nor with --color=never" sh -c "! grep -q \"$(printf '\033')\" '$TMP/tty'"
NO_COLOR=1 python3 "$ROOT/tests/e2e/pty-run.py" 200 200 "$TMP/tty" "$NATLOG" --color --no-pager --db "$TMP/a.db" explain --trace "$id"
check_grep "--color wins over NO_COLOR" "$(printf '\033')\[1m" "$TMP/tty"

# --help names every kind of input natlog reads
for h in "--help" "import --help"; do
	"$NATLOG" $h > "$TMP/help"
	for kind in "TRACE" "LOG" "nf_ct_proto" "dmesg" "syslog" "journalctl" "nft monitor trace" \
		"xtables-monitor --trace" "conntrack -L" "conntrack -E" "/proc/net/nf_conntrack" \
		"pcap" "pcapng" "iptables-save" "iptables -L" "nft list ruleset" "nft -j list ruleset" \
		"sysctl -a" "sosreport" ".tar" ".zip" ".gz" ".xz" ".bz2" ".zst"; do
		check_grep "natlog $h names '$kind'" "$kind" "$TMP/help"
	done
done
finish
