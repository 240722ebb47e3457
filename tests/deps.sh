#!/bin/sh
# deps.sh - makes sure the Debian packages natlog needs are installed.
# As root it installs what is missing (apt-get, non-interactive); otherwise
# it prints the exact command to run and exits 1.
#   sh tests/deps.sh          build and test dependencies (a headless browser too)
#   sh tests/deps.sh --lab    also what the real-kernel lab needs
set -eu
BUILD="gcc make pkg-config libc6-dev libpcre2-dev libsqlite3-dev libjansson-dev libarchive-dev libpcap-dev libssl-dev zlib1g-dev liblzma-dev libbz2-dev libzstd-dev"
# t-export.sh loads exports as the README shows: jq for NDJSON, sqlite3 .import for CSV
TEST="python3 clang libclang-rt-14-dev clang-tidy cppcheck gzip xz-utils zstd bzip2 tar time jq sqlite3"
# t-report.sh renders the report and the SVG in a real browser (headless)
BROWSER="chromium fonts-dejavu-core"
LAB="iproute2 iptables nftables conntrack tcpdump busybox python3-scapy ethtool util-linux procps coreutils mawk"
want="$BUILD $TEST $BROWSER"
[ "${1:-}" = "--lab" ] && want="$want $LAB"

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "natlog needs these Debian packages:$missing" >&2
	echo "install them with:  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >&2
