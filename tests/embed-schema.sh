#!/bin/sh
# Turns schema/NNN_*.sql into a C array of {version, text}; the version is
# the file name's number. Used by the Makefile; the .sql files stay the
# only definition of the store.
set -eu
echo '/* generated from the schema/ files by tests/embed-schema.sh; do not edit */'
echo 'struct nl_schema_file { int version; const char *sql; };'
echo 'const struct nl_schema_file nl_schema_files[] = {'
n=0
for f in "$@"; do
	v=$(basename "$f" | sed 's/^0*\([0-9][0-9]*\)_.*/\1/')
	printf '\t{ %s,\n' "$v"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t  "/' -e 's/$/\\n"/' "$f"
	printf '\t},\n'
	n=$((n + 1))
done
echo '};'
echo "const int nl_schema_nfiles = $n;"
