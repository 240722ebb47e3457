#!/bin/sh
# No silent skip: in every text input under testdata/, each line that looks
# like netfilter output (by a grep defined here, not by natlog) becomes an
# event, a conntrack entry or a reported error. Each file is imported alone
# into a fresh store and the line numbers of events, entries and errors are
# compared with the grep's.
. "$(dirname "$0")/lib.sh"

# What a person would call netfilter output: a kernel TRACE line, a packet
# log body, conntrack's invalid-packet lines, nft and xtables monitor lines
# (trace lines, and ruleset events, which become notices), Open vSwitch's
# conntrack entries.
NF_RE='(^|[ >])[a-z0-9]+,orig=\(src=|TRACE: |(^|[^A-Za-z_])IN=[^ ]* +OUT=|(^|[^A-Za-z_])(IN|OUT)=.* SRC=|(^|[^A-Za-z_])SRC=[^ ]+ +DST=|nf_ct_[a-z0-9_]+: |^trace id [0-9a-f]|^ *PACKET: [0-9]|^# new generation [0-9]|^ *EVENT:|^NEWGEN: |^(add|delete|create|replace|insert|destroy) (table|chain|rule|set|map|element|flowtable|counter|quota|limit|ct|secmark|synproxy) '

n=0
for f in $(find "$TD" -type f | LC_ALL=C sort); do
	# binary captures (pcap, pcapng) and other binary files are not lines
	if ! grep -Iq . "$f" 2>/dev/null; then
		continue
	fi
	grep -anE -- "$NF_RE" "$f" | cut -d: -f1 | LC_ALL=C sort -u > "$TMP/want"
	[ -s "$TMP/want" ] || continue
	n=$((n + 1))
	rel=${f#"$TD"/}
	db="$TMP/one.db"
	rm -f "$db" "$db-wal" "$db-shm"
	NATLOG_DB=$db "$NATLOG" import -q "$f" >/dev/null 2>&1
	NATLOG_DB=$db "$NATLOG" sql "SELECT line FROM events UNION SELECT line FROM errors WHERE line IS NOT NULL UNION SELECT line FROM notices WHERE kind = 'ruleset-change' UNION SELECT line FROM conntrack" \
		2>/dev/null | grep -E '^[0-9]+$' | LC_ALL=C sort -u > "$TMP/got"
	# an nft trace's "conntrack:" line is stored with the packet line after
	# it (nft prints it first): it counts when that line is an event
	grep -anE -- '^trace id [0-9a-f]+ .* conntrack: ' "$f" | cut -d: -f1 | while read -r l; do
		grep -qx "$((l + 1))" "$TMP/got" && echo "$l"
	done > "$TMP/ct"
	LC_ALL=C sort -u "$TMP/got" "$TMP/ct" -o "$TMP/got"
	missing=$(LC_ALL=C comm -23 "$TMP/want" "$TMP/got" | head -5 | tr '\n' ' ')
	# and the source's own counts: the lines it skipped as not netfilter's
	# leave room for every netfilter line
	room=$(NATLOG_DB=$db "$NATLOG" sql "SELECT lines - skipped FROM sources" 2>/dev/null | grep -E '^[0-9]+$' | head -1)
	if [ -z "$missing" ] && [ "${room:-0}" -lt "$(wc -l < "$TMP/want")" ]; then
		not_ok "$rel: the source counts ${room:-no} unskipped lines for $(wc -l < "$TMP/want") netfilter lines"
	elif [ -z "$missing" ]; then
		ok "$rel: all $(wc -l < "$TMP/want") netfilter lines are events or errors"
	else
		not_ok "$rel: netfilter lines neither event nor error: $missing"
		for l in $missing; do sed -n "${l}p" "$f" | cut -c1-200 | sed 's/^/    /'; done
	fi
done
if [ "$n" -ge 20 ]; then ok "checked $n files with netfilter lines"; else not_ok "only $n files checked"; fi
finish
