#!/bin/sh
# make install, the man page, bash completion, and the rules and sql commands.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
check "make install into a staging directory" make -s install DESTDIR="$TMP/stage" PREFIX=/usr BIN="$(basename "$NATLOG")"
check "the binary is installed" test -x "$TMP/stage/usr/bin/natlog"
check "the man page is installed" test -f "$TMP/stage/usr/share/man/man1/natlog.1"
if command -v man >/dev/null 2>&1; then
	check "the man page renders" sh -c "man -l '$TMP/stage/usr/share/man/man1/natlog.1' | grep -q 'EXIT STATUS'"
else
	skip "man is not installed: the man page is not rendered"
fi
check "bash completion loads and completes commands" bash -c ". completion/natlog.bash; COMP_WORDS=(natlog expl); COMP_CWORD=1; _natlog; [ \"\${COMPREPLY[*]}\" = explain ]"
"$NATLOG" import -q "$TD/lab/docker-legacy/dmesg.txt" "$TD/lab/docker-legacy/iptables-save.txt"
"$NATLOG" rules --json > "$TMP/rules.json"
check_json "rules counts the traced steps that hit each rule" \
	'[r["hits"] for r in j if r["chain"] == "DOCKER" and r["table"] == "filter" and r["position"] == 1] == [1] and any(r["hits"] == 0 for r in j)' < "$TMP/rules.json"
"$NATLOG" rules --unused --json > "$TMP/unused.json"
check_json "--unused lists only rules nothing hit" 'j and all(r["hits"] == 0 for r in j)' < "$TMP/unused.json"
"$NATLOG" sql --json "SELECT verdict, count(*) AS n FROM packets GROUP BY verdict ORDER BY verdict" > "$TMP/sql.json"
check_json "sql runs a query" '[r["verdict"] for r in j] == ["accept", "drop"]' < "$TMP/sql.json"
check_status "sql refuses to write" 2 "$NATLOG" sql "DELETE FROM packets"
check_status "sql refuses two statements" 2 "$NATLOG" sql "SELECT 1; SELECT 2"
"$NATLOG" traces --json > "$TMP/after.json"
check_json "and the store is unchanged" 'len(j) > 0' < "$TMP/after.json"
finish
