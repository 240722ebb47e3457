#!/bin/sh
# bench.sh - natlog's benchmark: `make bench` (200 MB), `make bench BENCH_MB=1000` (1 GB).
#
#   sh tests/bench/bench.sh [--size-mb N] [--busy] [--keep DIR] [--seed S] [--nft-mb N]
#                           [--pcap-packets N] [--lookups N] [--only syslog,busy,nft,pcap]
#
# Generates the inputs with tests/bench/gen.py (cached in build-bench/ by
# kind, size and seed), imports each into a fresh store under
# /usr/bin/time -v, runs the baselines on the same files (lnav, grep -c,
# wc -l, tcpdump), measures explain and traces --seq latency, and prints
# tables. It reports and never fails on timing: the exit status is 0 unless
# natlog crashed or an import failed outright.
#
# As root it installs what it misses (time, lnav, tcpdump) with apt-get;
# otherwise it falls back to getrusage for RSS and skips the baselines it
# cannot run, saying why. NATLOG=path picks the binary (default ./natlog).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

NATLOG=${NATLOG:-$root/natlog}
if [ ! -x "$NATLOG" ]; then
	echo "bench: building natlog" >&2
	make -s natlog >&2
	NATLOG=$root/natlog
fi
export NATLOG

command -v python3 >/dev/null 2>&1 || { echo "bench: python3 is needed" >&2; exit 2; }

# What is missing, and whether we may install it.
missing=
[ -x /usr/bin/time ] || missing="$missing time"
command -v lnav >/dev/null 2>&1 || missing="$missing lnav"
command -v tcpdump >/dev/null 2>&1 || missing="$missing tcpdump"
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${BENCH_NO_INSTALL:-}" ]; then
		echo "bench: installing$missing (apt-get; BENCH_NO_INSTALL=1 to skip)" >&2
		# one package at a time: one that is unavailable does not stop the others
		for p in $missing; do
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1 &&
			  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null 2>&1; } ||
			echo "bench: could not install $p; going on without it" >&2
		done
	else
		echo "bench: not installed:$missing (apt-get install$missing); going on without" >&2
	fi
fi

time_opt=
[ -x /usr/bin/time ] || time_opt="--time="

exec python3 "$here/bench.py" --natlog "$NATLOG" $time_opt "$@"
