#!/bin/sh
# tcpdump-tests-all.sh - natlog against every capture of tcpdump's test
# suite, not only the few kept in testdata/tcpdump-tests/ (not part of
# `make check`: it needs a copy of tcpdump's repository).
#
#   sh tests/tcpdump-tests-all.sh TCPDUMP-CHECKOUT [NATLOG]
#
# Runs tests/e2e/tcpdump-compare.py over TCPDUMP-CHECKOUT/tests/*.pcap,
# *.pcapng and *.cap, with their TESTLIST and TESTrun cases; captures of
# link types natlog does not read are counted and left out. Prints every
# difference and a closing summary; exits 1 when there is a difference.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: tcpdump-tests-all.sh TCPDUMP-CHECKOUT [NATLOG]}/tests
natlog=${2:-$ROOT/natlog}
[ -f "$dir/TESTLIST" ] || { echo "no TESTLIST in '$dir': not a tcpdump checkout" >&2; exit 2; }
set --
for f in "$dir"/*.pcap "$dir"/*.pcapng "$dir"/*.cap; do
	[ -f "$f" ] && set -- "$@" "$f"
done
exec python3 "$ROOT/tests/e2e/tcpdump-compare.py" --natlog "$natlog" --quiet \
	--testlist "$dir/TESTLIST" "$@"
