#!/bin/sh
# Captures from tcpdump's own test suite (testdata/tcpdump-tests/): natlog's
# stored fields of every IP frame agree with what the installed tcpdump
# prints (-nn -v -S) and with the expected outputs tcpdump's suite keeps
# (.out); then the cases each capture was chosen for, one by one.
. "$(dirname "$0")/lib.sh"
T=$TD/tcpdump-tests

if ! command -v tcpdump >/dev/null 2>&1; then
	skip "tcpdump's captures: tcpdump is not installed, so nothing reads them independently (apt-get install tcpdump)"
	finish
fi

check "every IP frame stored or reported, and its fields as tcpdump prints them" \
	python3 "$ROOT/tests/e2e/tcpdump-compare.py" --natlog "$NATLOG" --quiet \
	--testlist "$T/TESTLIST" "$T"/*.pcap "$T"/*.pcapng
check_grep "all $(ls "$T"/*.pcap "$T"/*.pcapng | wc -l) captures were compared, none left out" \
	"^$(ls "$T"/*.pcap "$T"/*.pcapng | wc -l) captures (0 of other" "$TMP/out"

# one store with everything, for the cases below
check_status "importing them all reports the damaged ones and exits 3" 3 "$NATLOG" import -q "$T"
sql() { "$NATLOG" sql --json "$1" > "$TMP/q.json"; }
wire() { sql "SELECT e.line, e.src, e.dst, e.proto, e.sport, e.dport, e.ip_id, e.tcp_seq, e.tcp_flags, e.icmp_type, e.icmp_id, e.icmp_seq, e.iif, e.ipflags, e.extra, e.time FROM events e JOIN sources s ON s.id = e.source_id WHERE e.kind = 'wire' AND s.path LIKE '%/$1' ORDER BY e.line"; }
errs() { "$NATLOG" errors --json | python3 -c "import json,sys; print(json.dumps([e for e in json.load(sys.stdin) if e['file'].endswith('/$1')]))" > "$TMP/q.json"; }

wire tcp_header_heapoverflow.pcap
check_json "a TCP header cut by the snap length: addresses, IP ID and ports kept, marked [|tcp] as tcpdump marks it" \
	'len(j) == 1 and j[0]["extra"] == "[|tcp]" and j[0]["src"] and j[0]["proto"] == 6 and j[0]["ip_id"] is not None and j[0]["tcp_flags"] is None' < "$TMP/q.json"
wire ipv6-rthdr-oobr.pcap
check_json "an IPv6 routing header cut by the snap length: the IPv6 fields kept, the protocol after it unknown" \
	'len(j) == 1 and j[0]["extra"] == "[|rt6]" and j[0]["src"] and j[0]["proto"] is None' < "$TMP/q.json"
wire afs-fragments.pcap
check_json "IPv4 fragments: the first with its UDP ports, the later ones FRAG: in 8-byte units, all one IP ID" \
	'[r["sport"] for r in j] == [7000, None, None, None] and [r["extra"] for r in j] == [None, "FRAG:185", "FRAG:370", "FRAG:555"] and len({r["ip_id"] for r in j}) == 1' < "$TMP/q.json"
wire ipv6_mobility_1.pcap
check_json "IPv6 Mobility (135) is the upper-layer protocol, not an extension header" \
	'len(j) == 16 and {r["proto"] for r in j} == {135} and not any(r["extra"] for r in j)' < "$TMP/q.json"
wire icmp-rfc8335.pcap
check_json "ICMP extended echo (RFC 8335): type 42/43 with its identifier and 8-bit sequence" \
	'len(j) == 10 and j[0]["icmp_type"] == 42 and j[0]["icmp_id"] == 63210 and j[0]["icmp_seq"] == 0 and j[5]["icmp_type"] == 43 and j[5]["icmp_id"] == 42 and j[5]["icmp_seq"] == 42' < "$TMP/q.json"
wire icmp6-rfc8335.pcap
check_json "ICMPv6 extended echo (160/161) with its identifier" \
	'[(r["icmp_type"], r["icmp_id"]) for r in j[:2]] == [(160, 64353), (161, 64353)]' < "$TMP/q.json"
wire time_2038_overflow.pcap
check_json "pcap seconds are unsigned: 2038-01-19 03:14:08 is 2147483648" \
	'[r["time"] for r in j] == ["2147483648.000000"]' < "$TMP/q.json"
wire time_2106_max.pcap
check_json "and 2106-02-07 06:28:15, the last second pcap can hold, is 4294967295" \
	'[r["time"] for r in j] == ["4294967295.000000"]' < "$TMP/q.json"
wire time_2107.pcapng
check_json "pcapng's 64-bit times go further: 2107-01-01" \
	'[r["time"] for r in j] == ["4323283200.000000"]' < "$TMP/q.json"
wire timestamp_invalid_micro.pcap
check_json "a fraction of a second of 1 s or more keeps the packet, its time to the second" \
	'[r["time"] for r in j] == ["1418145369.999999", "1418145370", "1418145370"] and j[1]["tcp_seq"] == 3078856592' < "$TMP/q.json"
errs timestamp_invalid_micro.pcap
check_json "and is reported with the value in the file's unit, microseconds" \
	'[(e["line"], e["reason"]) for e in j] == [(2, "invalid packet: timestamp fraction 1000000 microseconds (1 s or more); its time is kept to the second"), (3, "invalid packet: timestamp fraction 2147483648 microseconds (1 s or more); its time is kept to the second")]' < "$TMP/q.json"
errs timestamp_invalid_nano.pcap
check_json "or nanoseconds" \
	'[e["reason"].split(" (")[0] for e in j] == ["invalid packet: timestamp fraction 1000000000 nanoseconds", "invalid packet: timestamp fraction 2147483648 nanoseconds"]' < "$TMP/q.json"
wire icmp-length-zero.pcapng
check_json "a pcapng interface name is kept whole, spaces included" \
	'[r["iif"] for r in j] == ["Fake IF, text2pcap"]' < "$TMP/q.json"
wire OSPFv2_Capture_FINAL.pcapng
check_json "even a Windows device name of 50 bytes" \
	'{r["iif"] for r in j} == {"\\Device\\NPF_{08CBC0D0-BD89-48BE-9696-8047B3534AD3}"}' < "$TMP/q.json"
wire macsec-integonly.pcap
check_json "MACsec with integrity only: the IP packet inside is read" \
	'len(j) == 1 and j[0]["src"] == "192.168.113.1" and j[0]["icmp_id"] == 948' < "$TMP/q.json"
errs macsec-short-shorter.pcap
check_json "a MACsec short length beyond the frame is invalid, as tcpdump says" \
	'len(j) == 1 and j[0]["reason"].startswith("invalid packet: MACsec short length 34")' < "$TMP/q.json"
errs icmp-rfc8335-missing-bytes.pcap
check_json "an IPv4 length beyond an uncut frame is reported, and the packet kept" \
	'[e["reason"] for e in j] == ["invalid packet: IPv4 total length 84 is longer than the 35 bytes the frame holds"]' < "$TMP/q.json"
finish
