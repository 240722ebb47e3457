#!/bin/sh
# explain pages a journey longer than the terminal, as git does: through
# $NATLOG_PAGER, else $PAGER, else less -FRX; never when stdout is not a
# terminal, nor with --no-pager, nor when the journey fits on the screen.
. "$(dirname "$0")/lib.sh"
run_tty() { python3 "$ROOT/tests/e2e/pty-run.py" "$@"; }
cat > "$TMP/pager" <<EOS
#!/bin/sh
echo "\$0 \$LESS" >> "$TMP/pager.log"
cat
EOS
cp "$TMP/pager" "$TMP/natlog-pager"
chmod +x "$TMP/pager" "$TMP/natlog-pager"
"$NATLOG" import -q "$TD/lab/docker-legacy/dmesg.txt" "$TD/lab/docker-legacy/iptables-save.txt"
id=5f70272d1f
"$NATLOG" explain --trace $id > "$TMP/plain"
lines=$(wc -l < "$TMP/plain")

unset LESS NATLOG_PAGER
PAGER=$TMP/pager run_tty 10 100 "$TMP/tty" "$NATLOG" explain --trace $id
check "a journey longer than the terminal goes through \$PAGER" test -s "$TMP/pager.log"
check_grep "with LESS=FRX when LESS is unset" "pager FRX" "$TMP/pager.log"
check_grep "and the pager shows it all" "diagnosis:" "$TMP/tty"
check "once" test "$(wc -l < "$TMP/pager.log")" -eq 1

rm -f "$TMP/pager.log"
PAGER=$TMP/pager run_tty $((lines + 5)) 200 "$TMP/tty" "$NATLOG" explain --trace $id
check "no pager when the journey fits on the screen" test ! -e "$TMP/pager.log"
check_grep "which prints it straight" "diagnosis:" "$TMP/tty"

PAGER=$TMP/pager run_tty 10 100 "$TMP/tty" "$NATLOG" explain --trace $id --no-pager
check "no pager with --no-pager" test ! -e "$TMP/pager.log"
PAGER=$TMP/pager run_tty 10 100 "$TMP/tty" "$NATLOG" --no-pager explain --trace $id
check "nor with --no-pager before the command" test ! -e "$TMP/pager.log"
check_grep "which prints it straight" "diagnosis:" "$TMP/tty"
PAGER=$TMP/pager run_tty 10 100 "$TMP/tty" sh -c "'$NATLOG' explain --trace $id | cat"
check "never when piped" test ! -e "$TMP/pager.log"
PAGER=$TMP/pager run_tty 10 100 "$TMP/tty" "$NATLOG" explain --trace $id --json
check "nor for --json" test ! -e "$TMP/pager.log"
PAGER= run_tty 10 100 "$TMP/tty" "$NATLOG" explain --trace $id
check_grep "an empty \$PAGER prints straight" "diagnosis:" "$TMP/tty"

NATLOG_PAGER=$TMP/natlog-pager PAGER=$TMP/pager run_tty 10 100 "$TMP/tty" "$NATLOG" explain --trace $id
check_grep "\$NATLOG_PAGER comes before \$PAGER" "natlog-pager" "$TMP/pager.log"
check "and \$PAGER is not run" sh -c "! grep -q '/pager ' '$TMP/pager.log'"

rm -f "$TMP/pager.log"
LESS=S PAGER=$TMP/pager run_tty 10 100 "$TMP/tty" "$NATLOG" explain --trace $id
check_grep "a LESS of the user's own is kept" "pager S$" "$TMP/pager.log"

check_status "a pager that cannot run" 0 env PAGER=/nonexistent/pager python3 "$ROOT/tests/e2e/pty-run.py" 10 100 "$TMP/tty" "$NATLOG" explain --trace $id
check_grep "is said" "cannot run the pager '/nonexistent/pager'" "$TMP/tty"
check_grep "and the journey printed without it" "diagnosis:" "$TMP/tty"

# with no pager set, less -FRX (a stand-in first on PATH records it)
mkdir -p "$TMP/bin"
printf '#!/bin/sh\necho "less $*" >> "%s"\ncat\n' "$TMP/pager.log" > "$TMP/bin/less"
chmod +x "$TMP/bin/less"
rm -f "$TMP/pager.log"
env -u PAGER PATH="$TMP/bin:$PATH" python3 "$ROOT/tests/e2e/pty-run.py" 10 100 "$TMP/tty" "$NATLOG" explain --trace $id
check_grep "without \$PAGER it is less -FRX" "less -FRX" "$TMP/pager.log"
finish
