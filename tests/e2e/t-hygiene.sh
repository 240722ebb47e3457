#!/bin/sh
# Code hygiene: no banned unsafe functions in natlog's own code, and SQL
# only in src/store.c.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|system|popen)[[:space:]]*\('
hits=$(grep -nE "$banned" src/*.c src/*.h parsers/*.c parsers/*.h | grep -vE '\b(snprintf|vsnprintf)\(' || true)
if [ -z "$hits" ]; then ok "no banned functions in src/ and parsers/"; else not_ok "banned functions:"; echo "$hits" | sed 's/^/    /'; fi
sqlh=$(grep -l 'sqlite3\.h' src/*.c src/*.h parsers/*.c parsers/*.h | grep -v '^src/store\.c$' || true)
if [ -z "$sqlh" ]; then ok "only src/store.c includes sqlite3.h"; else not_ok "sqlite3.h included by: $sqlh"; fi
# queries start fast: libarchive and libpcap (and the seventeen libraries
# they bring) and libcrypto are loaded by an import that needs them, not
# at start
if command -v ldd > /dev/null; then
	linked=$(ldd "$NATLOG" | grep -E 'libarchive|libpcap|libxml2|libicu|libcrypto' || true)
	if [ -z "$linked" ]; then ok "natlog does not load libarchive, libpcap or libcrypto at start"; else
		not_ok "linked at start: $linked"; fi
else
	skip "ldd is not installed: cannot list the libraries natlog loads at start"
fi
finish
