#!/bin/sh
# demo.sh - builds natlog and explains the bundled sample: a real kernel
# recording of Docker-style DNAT (testdata/lab/docker-legacy) and the
# article example of seed 003. Installs missing Debian packages when run
# as root, or says exactly what to install.
set -eu
cd "$(dirname "$0")"
sh tests/deps.sh
make -s natlog
db=$(mktemp -d "${TMPDIR:-/tmp}/natlog-demo.XXXXXX")
trap 'rm -rf "$db"' EXIT
export NATLOG_DB="$db/natlog.db"
set -x
./natlog import testdata/seed003
./natlog traces
set +x
id=$(./natlog traces --json --seq 1184533180 | sed -n 's/.*"trace": "\([^"]*\)".*/\1/p' | head -1)
set -x
./natlog explain --trace "$id"
