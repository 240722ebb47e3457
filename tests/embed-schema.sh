#!/bin/sh
# Turns schema/NNN_*.sql into a C array of {version, text}; the version is
# the file name's number. schema/ondemand/NAME.sql (SQL that store.c runs
# when it first needs it) becomes nl_schema_ondemand[], looked up by NAME.
# Used by the Makefile; the .sql files stay the only definition of the
# store.
set -eu
emit() {
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t  "/' -e 's/$/\\n"/' "$1"
}
echo '/* generated from the schema/ files by tests/embed-schema.sh; do not edit */'
echo 'struct nl_schema_file { int version; const char *sql; };'
echo 'struct nl_schema_named { const char *name; const char *sql; };'
echo 'const struct nl_schema_file nl_schema_files[] = {'
n=0
for f in "$@"; do
	case "$f" in */ondemand/*) continue ;; esac
	v=$(basename "$f" | sed 's/^0*\([0-9][0-9]*\)_.*/\1/')
	printf '\t{ %s,\n' "$v"
	emit "$f"
	printf '\t},\n'
	n=$((n + 1))
done
echo '};'
echo "const int nl_schema_nfiles = $n;"
echo 'const struct nl_schema_named nl_schema_ondemand[] = {'
for f in "$@"; do
	case "$f" in */ondemand/*) ;; *) continue ;; esac
	printf '\t{ "%s",\n' "$(basename "$f" .sql)"
	emit "$f"
	printf '\t},\n'
done
echo '	{ 0, 0 }'
echo '};'
