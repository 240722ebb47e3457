#!/bin/sh
# demo.sh - builds natlog, installs it (binary, man page, bash completion)
# so that `natlog` runs as the README shows, and explains the bundled
# sample: a real kernel recording of Docker-style port publishing
# (testdata/lab/docker-legacy: one connection accepted, one dropped by the
# FORWARD policy). Installs into PREFIX: /usr/local when run as root, else
# ~/.local, or the PREFIX given in the environment. Installs missing Debian
# packages when run as root, or says exactly what to install.
set -eu
cd "$(dirname "$0")"
sh tests/deps.sh
# the plain build, whatever make this runs under (make check-asan and
# check-tsan pass their BIN, BUILD and CFLAGS down through MAKEFLAGS and
# the environment: on a clone where no plain natlog was built yet, make
# then knew no rule for it)
if [ -n "${MAKELEVEL:-}" ]; then
	unset BIN BUILD CFLAGS LDFLAGS
fi
unset MAKEFLAGS MFLAGS MAKELEVEL
make -s natlog
if [ -z "${PREFIX:-}" ]; then
	if [ "$(id -u)" -eq 0 ]; then PREFIX=/usr/local; else PREFIX=$HOME/.local; fi
fi
make -s install PREFIX="$PREFIX"
echo "natlog is installed in $PREFIX/bin, its man page in $PREFIX/share/man/man1"
case ":$PATH:" in
*":$PREFIX/bin:"*) ;;
*) echo "$PREFIX/bin is not on PATH: run  export PATH=\"$PREFIX/bin:\$PATH\"" ;;
esac
echo
natlog=$PREFIX/bin/natlog
tmp=$(mktemp -d "${TMPDIR:-/tmp}/natlog-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export NATLOG_DB="$tmp/natlog.db"
first() { sed -n 's/.*"trace": "\([^"]*\)".*/\1/p' | head -1; }
run() { echo "\$ natlog $*"; "$natlog" "$@"; echo; }

run import testdata/lab/docker-legacy/dmesg.txt testdata/lab/docker-legacy/iptables-save.txt
run traces --src 10.77.1.2
run explain --trace "$("$natlog" traces --json --port 9090 | first)"
run explain --trace "$("$natlog" traces --json --port 8080 --src 10.77.1.2 | first)"
