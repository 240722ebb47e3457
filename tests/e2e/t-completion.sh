#!/bin/sh
# bash completion (completion/natlog.bash), sourced in bash and called as
# bash calls it: commands, options from each command's --help, the words
# an option takes, files, and trace ids from the store.
. "$(dirname "$0")/lib.sh"
command -v bash >/dev/null 2>&1 || { skip "bash is not installed"; finish; }
# complete WORDS...: COMPREPLY, sorted, one line, for the last word
complete_words() {
	bash -c '. "$1/completion/natlog.bash"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_natlog; [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' sh "$ROOT" "$NATLOG" "$@"
}
# want DESCRIPTION EXPECTED WORDS...
want() {
	desc=$1 exp=$2; shift 2
	got=$(cd "$TMP" && complete_words "$@")
	if [ "$got" = "$exp" ]; then ok "$desc"; else not_ok "$desc"; echo "    got '$got', wanted '$exp'"; fi
}
"$NATLOG" import -q "$TD/lab/docker-legacy/dmesg.txt" "$TD/lab/docker-legacy/iptables-save.txt"

want "commands" "explain export " ex
want "help completes commands" "traces " help tr
want "a command after a global option" "traces " --no-pager tr
want "a command's options come from its --help" "--verdict " traces --ver
want "an option added to a command completes" "--max-memory " sql --max
want "global options after the command" "--no-pager " traces --no
want "--verdict's words" "accept drop queue reject unknown " traces --verdict ""
want "--verdict's words by prefix" "drop " traces --verdict d
want "--verdict=WORD as bash splits it" "reject " traces --verdict = r
want "--by's words" "drops dump " rules --by ""
want "--color=WHEN's words" "always auto never " --color = ""
want "report's --verdict too" "queue " report --verdict q
want "trace ids after explain --trace" "5f70272d1f " explain --trace 5f
want "trace ids after explain" "5a1fb70ded " explain 5a
n=$(cd "$TMP" && complete_words explain --trace "" | wc -w)
check "every trace id for an empty word" test "$n" -eq "$(NATLOG_DB=$NATLOG_DB "$NATLOG" traces --json | grep -c '"trace"')"
"$NATLOG" --db "$TMP/other.db" import -q "$TD/seed003/messages"
other=$("$NATLOG" --db "$TMP/other.db" traces --json | sed -n 's/.*"trace": "\([^"]*\)".*/\1/p' | head -1)
want "from the store --db names on the line" "$other " --db "$TMP/other.db" explain --trace "$(echo "$other" | cut -c1-8)"
want "and from --db=PATH as bash splits it" "$other " --db = "$TMP/other.db" explain --trace "$(echo "$other" | cut -c1-8)"
start=$(date +%s%N)
got=$(cd "$TMP" && NATLOG_DB= complete_words --db "$TMP/none.db" explain --trace "" 2>&1)
end=$(date +%s%N)
check "no store: no ids and not a word on the terminal" test -z "$got"
check "and quickly (under a second)" test $(((end - start) / 1000000)) -lt 1000
check "and no store was made" test ! -e "$TMP/none.db"
touch "$TMP/stage.txt"
want "files for import" "$TMP/stage.txt " import "$TMP/stag"
want "files for --db" "$TMP/stage.txt " traces --db "$TMP/stag"
want "files for --db=" "$TMP/stage.txt " traces --db = "$TMP/stag"
finish
