/*
 * test_pcap.c - the capture reader on real captures (testdata/pcap/, made
 * by tests/lab/record-captures.sh, and the lab's pcap/pcapng recordings):
 * counts, link types, exact fields of known packets; then hostile variants
 * made here from those files: truncated at every byte, snap lengths, bad
 * headers, random bytes, empty files, unknown pcapng blocks, other byte
 * orders. Run from the top of the repository.
 */
#include "natlog.h"
#include "parser.h"
#include "unit.h"
#include "capture.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What one read of a capture reported: the first CAP_MAX events and
 * errors in `c`, and the totals. */
struct run {
	struct capture *c;
	long events, errors, skips;
	long first_err_line;
	char first_err[256];
	int rc;
	long stop_after;		/* the sink says stop at this event; 0 never */
};

static struct run *cur;

static int run_event(void *ctx, const struct nl_event *ev)
{
	cur->events++;
	cap_event(ctx, ev);
	if (cur->stop_after && cur->events >= cur->stop_after)
		return -1;
	return 0;
}

static int run_error(void *ctx, long line, const char *reason, const char *text, size_t len)
{
	if (cur->errors++ == 0) {
		cur->first_err_line = line;
		snprintf(cur->first_err, sizeof cur->first_err, "%s", reason);
	}
	return cap_error(ctx, line, reason, text, len);
}

static void run_skip(void *ctx, long line)
{
	cur->skips++;
	cap_skip(ctx, line);
}

/* Reads f through the parser's real interface, as src/ingest.c does. */
static struct run *read_capture(FILE *f, long stop_after)
{
	static struct capture c;
	static struct run r;
	struct nl_sink sink = { &c, "test.pcap", run_event, cap_ruleset, cap_chain, cap_rule,
				cap_set, cap_element, cap_flow, run_error, run_skip, NULL, NULL, NULL, NULL, NULL, NULL };
	void *st;
	memset(&c, 0, sizeof c);
	memset(&r, 0, sizeof r);
	r.c = &c;
	r.first_err_line = -2;
	r.stop_after = stop_after;
	cur = &r;
	st = nl_parser_pcap.open(&sink);
	if (!st) {
		r.rc = -99;
		return &r;
	}
	r.rc = nl_parser_pcap.read_stream(st, f);
	nl_parser_pcap.close(st);
	return &r;
}

static struct run *run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct run *r;
	if (!f) {
		fprintf(stderr, "cannot open '%s' (run from the top of the repository)\n", path);
		unit_fail++;
		return read_capture(fmemopen((char[1]){ 0 }, 1, "rb"), 0);
	}
	r = read_capture(f, 0);
	fclose(f);
	return r;
}

static struct run *run_mem_stop(const unsigned char *data, size_t n, long stop_after)
{
	static unsigned char one[1];
	unsigned char *copy = malloc(n ? n : 1);
	FILE *f;
	struct run *r;
	if (!copy)
		abort();
	memcpy(copy, n ? data : one, n ? n : 1);
	f = fmemopen(copy, n ? n : 1, "rb");
	if (!f)
		abort();
	if (!n)
		(void)fgetc(f);		/* fmemopen wants at least one byte */
	r = read_capture(f, stop_after);
	fclose(f);
	free(copy);
	return r;
}

static struct run *run_mem(const unsigned char *data, size_t n)
{
	return run_mem_stop(data, n, 0);
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long size;
	*n = 0;
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(buf = malloc((size_t)size + 1)) || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "cannot read '%s' (run from the top of the repository)\n", path);
		unit_fail++;
		if (f)
			fclose(f);
		free(buf);
		*n = 0;
		return calloc(1, 64);
	}
	fclose(f);
	*n = (size_t)size;
	return buf;
}

/* The event for packet number `line`, or NULL. */
static const struct nl_event *packet(const struct run *r, long line)
{
	int i;
	for (i = 0; i < r->c->nev; i++)
		if (r->c->ev[i].line == line)
			return &r->c->ev[i];
	return NULL;
}

static int has_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	const char *p = s;
	while ((p = strstr(p, w)) != NULL) {
		if ((p == s || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
		p++;
	}
	return 0;
}

/* ------------------------------------------------- little-endian pcap */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void swap16(unsigned char *p)
{
	unsigned char t = p[0];
	p[0] = p[1];
	p[1] = t;
}

static void swap32(unsigned char *p)
{
	swap16(p);
	swap16(p + 2);
	{
		unsigned char t0 = p[0], t1 = p[1];
		p[0] = p[2];
		p[1] = p[3];
		p[2] = t0;
		p[3] = t1;
	}
}

#define MAXREC 512

/* Offsets of the records of a little-endian pcap file; returns their number. */
static int pcap_records(const unsigned char *b, size_t n, size_t *off)
{
	size_t o = 24;
	int k = 0;
	while (o + 16 <= n && k < MAXREC) {
		uint32_t cl = le32(b + o + 8);
		if (o + 16 + cl > n)
			break;
		off[k++] = o;
		o += 16 + cl;
	}
	return k;
}

/* ------------------------------------------------------- real captures */

static void test_sll(void)
{
	struct run *r = run_file("testdata/pcap/sll.pcap");
	const struct nl_event *e;
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->events, 30);
	CHECK_INT(r->skips, 2);			/* ARP */
	CHECK_INT(r->errors, 0);
	e = packet(r, 5);
	CHECK(e != NULL);
	if (!e)
		return;
	CHECK_INT(e->kind, NL_EV_WIRE);
	CHECK_STR(e->time, "1795276482.541427");
	CHECK_INT(e->wall_us, 1795276482541427LL);
	CHECK_STR(e->host, "");
	CHECK_STR(e->pkt.iif, "");
	CHECK_INT(e->pkt.family, 4);
	CHECK_STR(e->pkt.src, "10.77.241.1");
	CHECK_STR(e->pkt.dst, "10.77.241.2");
	CHECK_INT(e->pkt.proto, 6);
	CHECK_INT(e->pkt.sport, 39496);
	CHECK_INT(e->pkt.dport, 8080);
	CHECK_INT(e->pkt.seq, 2643513415LL);
	CHECK_INT(e->pkt.ack, 0);
	CHECK_INT(e->pkt.window, 64240);
	CHECK_INT(e->pkt.ip_id, 9493);
	CHECK_INT(e->pkt.ttl, 64);
	CHECK_INT(e->pkt.len, 60);
	CHECK_STR(e->pkt.ipflags, "DF");
	CHECK_INT(e->pkt.tcp_flags, NL_TCP_SYN);
	CHECK(has_word(e->pkt.extra, "pkttype=outgoing"));
	e = packet(r, 20);			/* the RST from the closed port */
	CHECK(e && e->pkt.tcp_flags == (NL_TCP_RST | NL_TCP_ACK) && e->pkt.sport == 9 &&
	      e->pkt.ack == 3013282870LL && e->pkt.ip_id == 0 && has_word(e->pkt.extra, "pkttype=host"));
	e = packet(r, 17);
	CHECK(e && e->pkt.proto == 1 && e->pkt.icmp_type == 8 && e->pkt.icmp_code == 0 &&
	      e->pkt.icmp_id == 4660 && e->pkt.icmp_seq == 1 && e->pkt.sport == -1);
	e = packet(r, 23);
	CHECK(e && e->pkt.family == 6 && !strcmp(e->pkt.src, "fd00:77:f1::1") && e->pkt.ip_id == -1 &&
	      e->pkt.seq == 4073621074LL && e->pkt.len == 80 && e->pkt.ttl == 64);
	e = packet(r, 1);			/* MLD report behind a hop-by-hop header */
	CHECK(e && e->pkt.family == 6 && e->pkt.proto == 58 && e->pkt.icmp_type == 143);
}

static void test_sll2(void)
{
	struct run *r = run_file("testdata/pcap/sll2.pcap");
	const struct nl_event *e;
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->events, 28);
	CHECK_INT(r->skips, 2);
	CHECK_INT(r->errors, 0);
	e = packet(r, 3);
	CHECK(e != NULL);
	if (!e)
		return;
	CHECK_STR(e->time, "1795276482.541426");
	CHECK_INT(e->pkt.seq, 2643513415LL);
	CHECK_INT(e->pkt.ip_id, 9493);
	CHECK(has_word(e->pkt.extra, "ifindex=2"));
	CHECK(has_word(e->pkt.extra, "pkttype=outgoing"));
	e = packet(r, 16);
	CHECK(e && e->pkt.icmp_type == 0 && e->pkt.icmp_id == 4660 && !strcmp(e->pkt.ipflags, "") &&
	      has_word(e->pkt.extra, "pkttype=host"));
}

static void test_nflog(void)
{
	struct run *r = run_file("testdata/pcap/nflog.pcap");
	const struct nl_event *e;
	int i, prefixed = 0;
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->events, 13);
	CHECK_INT(r->skips, 0);
	CHECK_INT(r->errors, 0);
	for (i = 0; i < r->c->nev; i++)
		prefixed += !strncmp(r->c->ev[i].prefix, "nat-in", 6);
	CHECK_INT(prefixed, 13);
	e = packet(r, 1);
	CHECK(e != NULL);
	if (!e)
		return;
	CHECK_STR(e->prefix, "nat-in: ");
	CHECK_INT(e->pkt.mark, 0x42);
	CHECK(has_word(e->pkt.extra, "hook=prerouting"));
	CHECK(has_word(e->pkt.extra, "group=5"));
	/* the kernel's timestamp (TLV 3), not when tcpdump read the batch:
	 * the record says 1795276487.640795 */
	CHECK_STR(e->time, "1795276486.623871");
	CHECK_STR(e->pkt.mac, "12:f8:18:84:86:df:5a:3d:1a:96:e2:a3:08:00");
	CHECK_INT(e->pkt.seq, 1301308796LL);
	CHECK_INT(e->pkt.ip_id, 40638);
	CHECK_INT(e->pkt.tcp_flags, NL_TCP_SYN);
	e = packet(r, 7);
	CHECK(e && e->pkt.icmp_id == 4661 && e->pkt.icmp_seq == 7 && e->pkt.mark == 0x42);
	e = packet(r, 6);
	CHECK(e && e->pkt.proto == 17 && e->pkt.sport == 49567 && e->pkt.dport == 5353);
	e = packet(r, 13);
	CHECK(e && e->pkt.family == 6 && !strcmp(e->prefix, "nat-in6: ") && e->pkt.mark == -1 &&
	      e->pkt.icmp_type == 128 && e->pkt.icmp_id == 4662 && e->pkt.icmp_seq == 3);

	/* the same packets read as raw IPv4 (tcpdump -i nflog:6 -y IPV4): no metadata */
	r = run_file("testdata/pcap/nflog-ipv4.pcap");
	CHECK_INT(r->events, 7);
	CHECK_INT(r->errors, 0);
	e = packet(r, 7);
	CHECK(e && e->pkt.icmp_type == 0 && e->pkt.icmp_id == 4661 && !e->prefix[0] &&
	      e->pkt.mark == -1 && !strcmp(e->time, "1795276487.640776"));
}

static void test_vlan(void)
{
	struct run *r = run_file("testdata/pcap/vlan.pcap");
	const struct nl_event *e;
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->events, 14);
	CHECK_INT(r->skips, 4);			/* tagged ARP */
	CHECK_INT(r->errors, 0);
	e = packet(r, 3);
	CHECK(e != NULL);
	if (!e)
		return;
	CHECK_STR(e->pkt.extra, "VPROTO=8100 VID=100");
	CHECK_STR(e->pkt.src, "10.77.242.1");
	CHECK_INT(e->pkt.dport, 8080);
	CHECK_INT(e->pkt.seq, 956166554LL);
	CHECK_INT(e->pkt.ip_id, 18203);
	e = packet(r, 4);			/* received: libpcap put the tag back */
	CHECK(e && !strcmp(e->pkt.extra, "VPROTO=8100 VID=100") && e->pkt.tcp_flags == (NL_TCP_SYN | NL_TCP_ACK));
	e = packet(r, 17);			/* QinQ */
	CHECK(e && !strcmp(e->pkt.extra, "VPROTO=88a8 VID=200 VPROTO=8100 VID=300") &&
	      e->pkt.proto == 17 && e->pkt.sport == 38762 && e->pkt.dport == 5353 && e->pkt.ip_id == 16907);

	/* dumpcap on two interfaces: each packet names its own */
	r = run_file("testdata/pcap/vlan.pcapng");
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->events, 24);
	CHECK_INT(r->skips, 6);
	CHECK_INT(r->errors, 0);
	e = packet(r, 3);
	CHECK(e && !strcmp(e->pkt.iif, "v100") && !strcmp(e->time, "1795276490.074997166") &&
	      e->pkt.seq == 956166554LL && !e->pkt.extra[0]);
	e = packet(r, 10);
	CHECK(e && !strcmp(e->pkt.iif, "x0") && !strcmp(e->pkt.extra, "VPROTO=8100 VID=100") &&
	      e->pkt.seq == 956166554LL && !strcmp(e->time, "1795276490.075012581"));
	e = packet(r, 24);			/* written after packet 23, taken before it */
	CHECK(e && !strcmp(e->pkt.iif, "v100") && e->wall_us < packet(r, 23)->wall_us);
	e = packet(r, 30);
	CHECK(e && !strcmp(e->pkt.iif, "x0") && has_word(e->pkt.extra, "VID=300"));
}

static void test_frag(void)
{
	struct run *r = run_file("testdata/pcap/frag.pcap");
	const struct nl_event *e;
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->events, 12);
	CHECK_INT(r->errors, 0);
	e = packet(r, 1);
	CHECK(e != NULL);
	if (!e)
		return;
	CHECK_STR(e->time, "1795276493.115457387");	/* nanosecond pcap */
	CHECK_INT(e->wall_us, 1795276493115457LL);
	CHECK_INT(e->pkt.ip_id, 8752);
	CHECK_STR(e->pkt.ipflags, "MF");
	CHECK_INT(e->pkt.len, 1500);
	CHECK_INT(e->pkt.icmp_type, 8);			/* the first fragment has the header */
	CHECK_STR(e->pkt.extra, "");
	e = packet(r, 2);
	CHECK(e && e->pkt.ip_id == 8752 && !strcmp(e->pkt.ipflags, "MF") && e->pkt.proto == 1 &&
	      e->pkt.icmp_type == -1 && !strcmp(e->pkt.extra, "FRAG:185"));
	e = packet(r, 3);
	CHECK(e && e->pkt.ip_id == 8752 && !e->pkt.ipflags[0] && !strcmp(e->pkt.extra, "FRAG:370") &&
	      e->pkt.len == 68);
	e = packet(r, 7);
	CHECK(e && e->pkt.family == 6 && e->pkt.ip_id == 1656475387LL && !strcmp(e->pkt.ipflags, "MF") &&
	      e->pkt.proto == 58 && e->pkt.icmp_type == 128 && e->pkt.icmp_id == 14385 && e->pkt.len == 1496);
	e = packet(r, 9);
	CHECK(e && e->pkt.ip_id == 1656475387LL && !strcmp(e->pkt.extra, "FRAG:2896") &&
	      e->pkt.proto == 58 && e->pkt.icmp_type == -1 && !e->pkt.ipflags[0]);
	e = packet(r, 10);
	CHECK(e && e->pkt.ip_id == 2492697235LL && e->pkt.icmp_type == 129);
}

static void test_raw(void)
{
	struct run *r = run_file("testdata/pcap/raw.pcap");
	const struct nl_event *e;
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->events, 24);
	CHECK_INT(r->errors, 0);
	e = packet(r, 1);
	CHECK(e && !strcmp(e->pkt.src, "10.77.244.1") && e->pkt.seq == 1435021854LL &&
	      e->pkt.ip_id == 19432 && !strcmp(e->time, "1795276495.715179") && !e->pkt.mac[0]);
	e = packet(r, 15);
	CHECK(e && e->pkt.family == 6 && !strcmp(e->pkt.dst, "fd00:77:f4::2") && e->pkt.sport == 42112);
}

static void test_lab(void)
{
	struct run *r = run_file("testdata/lab/interleaved/outside.pcap");
	const struct nl_event *e;
	CHECK_INT(r->events, 239);
	CHECK_INT(r->skips, 2);
	CHECK_INT(r->errors, 0);
	e = packet(r, 3);
	CHECK(e && e->pkt.ip_id == 41952 && e->pkt.seq == 2312118791LL && e->pkt.sport == 53280 &&
	      !strcmp(e->pkt.mac, "3e:26:5f:66:72:be:9a:36:bf:6d:bb:56:08:00"));
	r = run_file("testdata/lab/ipv6/inside.pcapng");
	CHECK_INT(r->events, 17);
	CHECK_INT(r->errors, 0);
	e = packet(r, 4);
	CHECK(e && !strcmp(e->pkt.iif, "eth1") && !strcmp(e->time, "1795274800.264159150") &&
	      e->pkt.seq == 3110857376LL && !strcmp(e->pkt.src, "fd00:77:1::2"));
	r = run_file("testdata/lab/udp-icmp/inside.pcap");	/* an ICMP error quotes its packet */
	e = packet(r, 6);
	CHECK(e && e->pkt.icmp_type == 3 && e->pkt.icmp_code == 3 && e->pkt.tos == 192 &&
	      !strcmp(e->pkt.inner, "SRC=10.77.1.2 DST=10.77.2.10 LEN=32 PROTO=UDP SPT=41335 DPT=54"));
	r = run_file("testdata/lab/ct-invalid/inside.pcap");	/* nanosecond pcap */
	CHECK_INT(r->errors, 0);
	CHECK(r->events > 0 && strlen(r->c->ev[0].time) == strlen("1795274800.264159150"));
}

/* ---------------------------------------------- link types made here */

/* raw.pcap again with a 4-byte loopback header: NULL in host order (IPv6
 * as BSD's 30) or LOOP in network order (IPv6 as 24). */
static void test_null_loop(void)
{
	size_t n, off[MAXREC], o = 24;
	unsigned char *b = slurp("testdata/pcap/raw.pcap", &n);
	int k = pcap_records(b, n, off), i, loop;
	unsigned char *out = malloc(n + 4 * (size_t)k + 1);
	if (!out)
		abort();
	for (loop = 0; loop < 2; loop++) {
		struct run *r;
		memcpy(out, b, 24);
		put_le32(out + 20, loop ? 108 : 0);
		o = 24;
		for (i = 0; i < k; i++) {
			uint32_t cl = le32(b + off[i] + 8);
			int v6 = b[off[i] + 16] >> 4 == 6;
			memcpy(out + o, b + off[i], 16);
			put_le32(out + o + 8, cl + 4);
			put_le32(out + o + 12, le32(b + off[i] + 12) + 4);
			if (loop)
				put_be32(out + o + 16, v6 ? 24 : 2);
			else
				put_le32(out + o + 16, v6 ? 30 : 2);
			memcpy(out + o + 20, b + off[i] + 16, cl);
			o += 20 + cl;
		}
		r = run_mem(out, o);
		CHECK_INT(r->events, 24);
		CHECK_INT(r->errors, 0);
		CHECK(packet(r, 15) && packet(r, 15)->pkt.family == 6 && packet(r, 15)->pkt.sport == 42112);
		CHECK(packet(r, 1) && packet(r, 1)->pkt.seq == 1435021854LL);
	}
	/* LINKTYPE_IPV4 (228) with IPv6 packets in it: those are invalid */
	memcpy(out, b, n);
	put_le32(out + 20, 228);
	{
		struct run *r = run_mem(out, n);
		CHECK_INT(r->events, 14);
		CHECK_INT(r->errors, 10);
		CHECK_INT(r->first_err_line, 15);
		CHECK(!strncmp(r->first_err, "invalid packet: IP version 6 ", 29));
	}
	put_le32(out + 20, 229);		/* and the other way round */
	{
		struct run *r = run_mem(out, n);
		CHECK_INT(r->events, 10);
		CHECK_INT(r->errors, 14);
		CHECK_INT(r->first_err_line, 1);
	}
	free(out);
	free(b);
}

/* The whole file in big-endian order: libpcap swaps the headers back. */
static void test_big_endian(void)
{
	size_t n, off[MAXREC];
	unsigned char *b = slurp("testdata/pcap/raw.pcap", &n);
	int k = pcap_records(b, n, off), i;
	struct run *r;
	swap32(b);
	swap16(b + 4);
	swap16(b + 6);
	swap32(b + 8);
	swap32(b + 12);
	swap32(b + 16);
	swap32(b + 20);
	for (i = 0; i < k; i++) {
		swap32(b + off[i]);
		swap32(b + off[i] + 4);
		swap32(b + off[i] + 8);
		swap32(b + off[i] + 12);
	}
	r = run_mem(b, n);
	CHECK_INT(r->events, 24);
	CHECK_INT(r->errors, 0);
	CHECK(packet(r, 1) && !strcmp(packet(r, 1)->time, "1795276495.715179"));
	free(b);
}

/* NFLOG TLV headers in the other byte order than the file's: a capture
 * moved between machines by a tool that did not swap them. */
static void test_nflog_order(void)
{
	size_t n, off[MAXREC];
	unsigned char *b = slurp("testdata/pcap/nflog.pcap", &n);
	int k = pcap_records(b, n, off), i;
	struct run *r;
	for (i = 0; i < k; i++) {
		unsigned char *p = b + off[i] + 16;
		size_t cl = le32(b + off[i] + 8), o = 4;
		while (o + 4 <= cl) {
			size_t len = (size_t)p[o] | (size_t)p[o + 1] << 8;
			swap16(p + o);
			swap16(p + o + 2);
			o += (len + 3) & ~(size_t)3;
		}
	}
	r = run_mem(b, n);
	CHECK_INT(r->events, 13);
	CHECK_INT(r->errors, 0);
	CHECK(packet(r, 1) && !strcmp(packet(r, 1)->prefix, "nat-in: ") && packet(r, 1)->pkt.mark == 0x42 &&
	      packet(r, 1)->pkt.seq == 1301308796LL);
	/* a TLV longer than its message */
	b[off[0] + 16 + 4] = 0xff;
	b[off[0] + 16 + 5] = 0x7f;
	r = run_mem(b, n);
	CHECK_INT(r->events, 12);
	CHECK_INT(r->errors, 1);
	CHECK_INT(r->first_err_line, 1);
	CHECK(!strncmp(r->first_err, "invalid packet: NFLOG", 21));
	free(b);
}

/* A little-endian pcap of link type RAW (101) holding one packet of n
 * bytes, with the given snap length and time; returns its size. */
static size_t raw_pcap(unsigned char *out, const unsigned char *pkt, size_t n, uint32_t snap,
		       uint32_t sec, uint32_t frac)
{
	static const unsigned char hdr[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
	size_t k = n < snap ? n : snap;
	memcpy(out, hdr, 24);
	put_le32(out + 16, snap);
	put_le32(out + 20, 101);
	put_le32(out + 24, sec);
	put_le32(out + 28, frac);
	put_le32(out + 32, (uint32_t)k);
	put_le32(out + 36, (uint32_t)n);
	memcpy(out + 40, pkt, k);
	return 40 + k;
}

/* IPv4 from 192.0.2.1 to 198.51.100.2, ID 0x1234, the given protocol,
 * fragment word and total length; the payload after it. */
static size_t ipv4(unsigned char *out, unsigned proto, unsigned frag, const unsigned char *l4,
		   size_t n)
{
	static const unsigned char h[20] = { 0x45, 0, 0, 0, 0x12, 0x34, 0, 0, 64, 0, 0, 0,
					     192, 0, 2, 1, 198, 51, 100, 2 };
	memcpy(out, h, 20);
	out[2] = (unsigned char)((20 + n) >> 8);
	out[3] = (unsigned char)(20 + n);
	out[6] = (unsigned char)(frag >> 8);
	out[7] = (unsigned char)frag;
	out[9] = (unsigned char)proto;
	memcpy(out + 20, l4, n);
	return 20 + n;
}

/* IPv6 from 2001:db8::1 to 2001:db8::2 with the given next header. */
static size_t ipv6(unsigned char *out, unsigned nh, const unsigned char *rest, size_t n)
{
	memset(out, 0, 40);
	out[0] = 0x60;
	out[4] = (unsigned char)(n >> 8);
	out[5] = (unsigned char)n;
	out[6] = (unsigned char)nh;
	out[7] = 64;
	out[8] = 0x20, out[9] = 0x01, out[10] = 0x0d, out[11] = 0xb8, out[23] = 1;
	out[24] = 0x20, out[25] = 0x01, out[26] = 0x0d, out[27] = 0xb8, out[39] = 2;
	memcpy(out + 40, rest, n);
	return 40 + n;
}

static const unsigned char tcp_syn[20] = { 0x9c, 0x40, 0x00, 0x50, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0,
					   0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0 };

/* Packets the way tcpdump reads them: a short transport header is a
 * fragment, a snap-length cut, or an invalid packet, each said apart;
 * times past 2038; RFC 8335's identifier; IPv6 upper-layer protocols
 * that look like extension headers. */
static void test_tcpdump_ways(void)
{
	unsigned char pkt[256], file[512];
	size_t n, fn;
	struct run *r;
	const struct nl_event *e;

	/* a first fragment carrying 8 bytes of TCP (MF, offset 0): a fragment */
	n = ipv4(pkt, 6, 0x2000, tcp_syn, 8);
	fn = raw_pcap(file, pkt, n, 65535, 1700000000, 0);
	r = run_mem(file, fn);
	CHECK_INT(r->events, 1);
	CHECK_INT(r->errors, 0);
	e = packet(r, 1);
	CHECK(e && e->pkt.sport == 40000 && e->pkt.dport == 80 && e->pkt.seq == 0x11223344 &&
	      e->pkt.tcp_flags == -1 && !e->pkt.extra[0] && !strcmp(e->pkt.ipflags, "MF"));
	/* the same without MF: the packet's own length is too short; kept, and said */
	n = ipv4(pkt, 6, 0, tcp_syn, 8);
	fn = raw_pcap(file, pkt, n, 65535, 1700000000, 0);
	r = run_mem(file, fn);
	CHECK_INT(r->events, 1);
	CHECK_INT(r->errors, 1);
	CHECK_STR(r->first_err, "invalid packet: its length leaves 8 bytes for the 20-byte TCP header");
	CHECK(packet(r, 1) && packet(r, 1)->pkt.sport == 40000 && !packet(r, 1)->pkt.extra[0]);
	/* the whole segment cut to 8 bytes by the snap length: marked, no error */
	n = ipv4(pkt, 6, 0, tcp_syn, 20);
	fn = raw_pcap(file, pkt, n, 28, 1700000000, 0);
	r = run_mem(file, fn);
	CHECK_INT(r->events, 1);
	CHECK_INT(r->errors, 0);
	e = packet(r, 1);
	CHECK(e && !strcmp(e->pkt.src, "192.0.2.1") && e->pkt.ip_id == 0x1234 && e->pkt.proto == 6 &&
	      e->pkt.sport == 40000 && e->pkt.tcp_flags == -1 && !strcmp(e->pkt.extra, "[|tcp]"));
	/* UDP and ICMP cut the same way */
	n = ipv4(pkt, 17, 0, tcp_syn, 8);
	fn = raw_pcap(file, pkt, n, 22, 1700000000, 0);
	r = run_mem(file, fn);
	CHECK(packet(r, 1) && !strcmp(packet(r, 1)->pkt.extra, "[|udp]") && packet(r, 1)->pkt.sport == -1);
	CHECK_INT(r->errors, 0);

	/* pcap seconds are unsigned: 2038-01-19 03:14:08 and the last second of 2106 */
	n = ipv4(pkt, 17, 0, tcp_syn, 8);
	fn = raw_pcap(file, pkt, n, 65535, 0x80000000U, 5);
	r = run_mem(file, fn);
	CHECK(packet(r, 1) && !strcmp(packet(r, 1)->time, "2147483648.000005") &&
	      packet(r, 1)->wall_us == 2147483648000005LL);
	fn = raw_pcap(file, pkt, n, 65535, 0xffffffffU, 0);
	r = run_mem(file, fn);
	CHECK(packet(r, 1) && !strcmp(packet(r, 1)->time, "4294967295.000000"));
	/* a microsecond fraction beyond a second, in the file's own unit */
	fn = raw_pcap(file, pkt, n, 65535, 1700000000, 0x80000000U);
	r = run_mem(file, fn);
	CHECK_INT(r->events, 1);
	CHECK_STR(r->first_err, "invalid packet: timestamp fraction 2147483648 microseconds (1 s or "
				"more); its time is kept to the second");
	CHECK(packet(r, 1) && !strcmp(packet(r, 1)->time, "1700000000"));

	/* RFC 8335 extended echo: identifier 63210, 8-bit sequence 7 */
	{
		static const unsigned char xecho[8] = { 42, 0, 0, 0, 0xf6, 0xea, 7, 1 };
		static const unsigned char xecho6[8] = { 161, 0, 0, 0, 0xfb, 0x61, 9, 0 };
		n = ipv4(pkt, 1, 0, xecho, 8);
		fn = raw_pcap(file, pkt, n, 65535, 1700000000, 0);
		r = run_mem(file, fn);
		CHECK(packet(r, 1) && packet(r, 1)->pkt.icmp_type == 42 && packet(r, 1)->pkt.icmp_id == 63210 &&
		      packet(r, 1)->pkt.icmp_seq == 7);
		n = ipv6(pkt, 58, xecho6, 8);
		fn = raw_pcap(file, pkt, n, 65535, 1700000000, 0);
		r = run_mem(file, fn);
		CHECK(packet(r, 1) && packet(r, 1)->pkt.icmp_type == 161 && packet(r, 1)->pkt.icmp_id == 64353 &&
		      packet(r, 1)->pkt.icmp_seq == 9);
	}

	/* Mobility (135), HIP (139), Shim6 (140) end the header chain: they
	 * are the protocol, whatever their length byte says */
	{
		static const unsigned char mh[8] = { 59, 5, 1, 0, 0, 0, 0, 0 };
		static const unsigned nhs[3] = { 135, 139, 140 };
		int i;
		for (i = 0; i < 3; i++) {
			n = ipv6(pkt, nhs[i], mh, 8);
			fn = raw_pcap(file, pkt, n, 65535, 1700000000, 0);
			r = run_mem(file, fn);
			CHECK_INT(r->errors, 0);
			CHECK(packet(r, 1) && packet(r, 1)->pkt.proto == (int)nhs[i] && !packet(r, 1)->pkt.extra[0]);
		}
	}
	/* a hop-by-hop header cut by the snap length: the IPv6 fields stay,
	 * the protocol after it is unknown */
	{
		unsigned char hbh[28] = { 6, 0, 5, 2, 0, 0, 1, 0 };
		memcpy(hbh + 8, tcp_syn, 20);
		n = ipv6(pkt, 0, hbh, 28);
		fn = raw_pcap(file, pkt, n, 44, 1700000000, 0);
		r = run_mem(file, fn);
		CHECK_INT(r->errors, 0);
		e = packet(r, 1);
		CHECK(e && !strcmp(e->pkt.dst, "2001:db8::2") && e->pkt.proto == -1 &&
		      !strcmp(e->pkt.extra, "[|hbhopt]"));
		/* whole, it leads to TCP */
		fn = raw_pcap(file, pkt, n, 65535, 1700000000, 0);
		r = run_mem(file, fn);
		CHECK(packet(r, 1) && packet(r, 1)->pkt.proto == 6 && packet(r, 1)->pkt.sport == 40000);
		/* a first IPv6 fragment whose TCP header goes on in the next one */
		{
			unsigned char fr[16] = { 6, 0, 0, 1, 0, 0, 0x0a, 0xbc };
			memcpy(fr + 8, tcp_syn, 8);
			n = ipv6(pkt, 44, fr, 16);
			fn = raw_pcap(file, pkt, n, 65535, 1700000000, 0);
			r = run_mem(file, fn);
			CHECK_INT(r->errors, 0);
			CHECK(packet(r, 1) && packet(r, 1)->pkt.ip_id == 0xabc && packet(r, 1)->pkt.sport == 40000 &&
			      !packet(r, 1)->pkt.extra[0]);
		}
	}
}

/* pcapng interface names are kept whole, spaces included. */
static void test_pcapng_names(void)
{
	size_t n, o;
	unsigned char *b = slurp("testdata/pcap/vlan.pcapng", &n);
	static const unsigned char opt[8] = { 2, 0, 2, 0, 'x', '0', 0, 0 };
	struct run *r;
	int done = 0;
	for (o = 0; o + 8 <= n && !done; o++)
		if (!memcmp(b + o, opt, 8)) {
			b[o + 2] = 3;		/* "x 0": still within the option's padding */
			b[o + 5] = ' ';
			b[o + 6] = '0';
			done = 1;
		}
	CHECK(done);
	r = run_mem(b, n);
	CHECK_INT(r->errors, 0);
	CHECK(packet(r, 10) && !strcmp(packet(r, 10)->pkt.iif, "x 0"));
	free(b);
}

/* ------------------------------------------------------ hostile input */

/* Cut at every byte: the packets before the cut are reported; a cut inside
 * a record is one error with the number of the packet it cut. */
static void test_truncated_pcap(const char *path)
{
	size_t n, off[MAXREC], cut;
	unsigned char *b = slurp(path, &n);
	int k = pcap_records(b, n, off), bad = 0;
	for (cut = 0; cut <= n; cut++) {
		struct run *r = run_mem(b, cut);
		long whole = 0, expect_err;
		int i, boundary = cut == 24 || cut == n;
		for (i = 0; i < k; i++) {
			size_t end = off[i] + 16 + le32(b + off[i] + 8);
			if (end <= cut)
				whole++;
			if (end == cut)
				boundary = 1;
		}
		expect_err = cut < 24 ? 0 : boundary ? -1 : whole + 1;
		if (r->rc != 0 || r->events + r->skips != whole ||
		    (expect_err == -1 ? r->errors != 0 : r->errors != 1 || r->first_err_line != expect_err) ||
		    (cut >= 24 && !boundary && strncmp(r->first_err, "truncated file", 14) != 0) ||
		    (cut < 24 && strncmp(r->first_err, "truncated capture header", 24) != 0)) {
			if (bad++ < 5)
				fprintf(stderr, "%s cut at %zu: rc %d, %ld events, %ld errors (line %ld: %s), "
						"expected %ld packets, error at %ld\n", path, cut, r->rc,
					r->events, r->errors, r->first_err_line, r->first_err, whole, expect_err);
		}
	}
	CHECK_INT(bad, 0);
	free(b);
}

/* pcapng cut at every byte: whole blocks before the cut give their packets
 * with the right interface; a cut inside a block is one error. */
static void test_truncated_pcapng(void)
{
	size_t n, cut, o, bounds[256], pkt_end[256];
	unsigned char *b = slurp("testdata/pcap/vlan.pcapng", &n);
	int nb = 0, np = 0, bad = 0, i;
	size_t first_idb_end = 0;
	for (o = 0; o + 12 <= n && nb < 256 && np < 256;) {
		uint32_t type = le32(b + o), len = le32(b + o + 4);
		if (len < 12 || o + len > n)
			break;
		o += len;
		bounds[nb++] = o;
		if (type == 1 && !first_idb_end)
			first_idb_end = o;
		if (type == 6 || type == 3 || type == 2)
			pkt_end[np++] = o;
	}
	CHECK_INT(np, 30);
	for (cut = 0; cut <= n; cut++) {
		struct run *r = run_mem(b, cut);
		long whole = 0;
		int boundary = 0, ok;
		for (i = 0; i < np; i++)
			whole += pkt_end[i] <= cut;
		for (i = 0; i < nb; i++)
			boundary |= bounds[i] == cut;
		if (cut < first_idb_end)
			ok = r->events + r->skips == 0 && r->errors == 1 && r->first_err_line == 0;
		else if (boundary)
			ok = r->events + r->skips == whole && r->errors == 0;
		else
			ok = r->events + r->skips == whole && r->errors == 1 &&
			     r->first_err_line == whole + 1 && !strncmp(r->first_err, "truncated file", 14);
		/* names survive: packet 10 came from x0 */
		if (ok && whole >= 10 && packet(r, 10))
			ok = !strcmp(packet(r, 10)->pkt.iif, "x0") && !strcmp(packet(r, 3)->pkt.iif, "v100");
		if (!ok && bad++ < 5)
			fprintf(stderr, "vlan.pcapng cut at %zu: %ld events, %ld skips, %ld errors (line %ld: %s), "
					"expected %ld packets\n", cut, r->events, r->skips, r->errors,
				r->first_err_line, r->first_err, whole);
	}
	CHECK_INT(bad, 0);
	free(b);
}

/* A snap length shorter than the headers: libpcap cuts each record to it;
 * a packet whose transport header was cut keeps its IP fields and is
 * marked as tcpdump marks it ("[|tcp]"), with no error. */
static void test_snaplen(void)
{
	size_t n, off[MAXREC];
	unsigned char *b = slurp("testdata/pcap/raw.pcap", &n);
	int k = pcap_records(b, n, off);
	struct run *r;
	put_le32(b + 16, 40);			/* IPv4 + TCP fit, IPv6 + TCP do not */
	r = run_mem(b, n);
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->events, 24);
	CHECK_INT(r->errors, 0);
	CHECK(packet(r, 14) && packet(r, 14)->pkt.icmp_id == 4664 && !packet(r, 14)->pkt.extra[0]);
	CHECK(packet(r, 1) && packet(r, 1)->pkt.seq == 1435021854LL && !packet(r, 1)->pkt.extra[0]);
	{
		const struct nl_event *e = packet(r, 15);
		CHECK(e && e->pkt.family == 6 && !strcmp(e->pkt.dst, "fd00:77:f4::2") &&
		      e->pkt.proto == 6 && e->pkt.sport == -1 && e->pkt.seq == -1 &&
		      e->pkt.tcp_flags == -1 && !strcmp(e->pkt.extra, "[|tcp]"));
	}
	/* 46 bytes: IPv6 and the TCP ports and half the sequence number */
	put_le32(b + 16, 46);
	r = run_mem(b, n);
	CHECK_INT(r->events, 24);
	CHECK_INT(r->errors, 0);
	CHECK(packet(r, 15) && packet(r, 15)->pkt.sport == 42112 && packet(r, 15)->pkt.seq == -1 &&
	      packet(r, 15)->pkt.tcp_flags == -1 && !strcmp(packet(r, 15)->pkt.extra, "[|tcp]"));
	/* 36: IPv4 and 16 bytes of TCP: the flags are there, the window is not */
	put_le32(b + 16, 34);
	r = run_mem(b, n);
	CHECK(packet(r, 1) && packet(r, 1)->pkt.tcp_flags == 2 && packet(r, 1)->pkt.window == -1 &&
	      !strcmp(packet(r, 1)->pkt.extra, "[|tcp]"));
	put_le32(b + 16, 262144);
	/* a record whose captured length is beyond any sane size */
	put_le32(b + off[5] + 8, 0x7fffffff);
	r = run_mem(b, n);
	CHECK_INT(r->events, 5);
	CHECK_INT(r->errors, 1);
	CHECK_INT(r->first_err_line, 6);
	CHECK(!strncmp(r->first_err, "invalid file: packet 6 ", 23));
	/* a captured length larger than the data that follows */
	free(b);
	b = slurp("testdata/pcap/raw.pcap", &n);
	put_le32(b + off[0] + 8, le32(b + off[0] + 8) + 100);
	r = run_mem(b, n);
	CHECK_INT(r->rc, 0);			/* misaligned from there on: no crash, stops once */
	CHECK(r->events >= 1 && r->errors >= 1);
	CHECK_INT(k, 24);
	free(b);
}

/* Headers with impossible values: "invalid", with the packet's number,
 * and the packets after it still read. */
static void test_invalid_headers(void)
{
	size_t n, off[MAXREC];
	unsigned char *b = slurp("testdata/pcap/raw.pcap", &n);
	int k = pcap_records(b, n, off);
	unsigned char *ip1 = b + off[0] + 16, *ip3 = b + off[2] + 16, *ip11 = b + off[10] + 16;
	struct run *r;
	CHECK_INT(k, 24);
	ip1[0] = 0x43;				/* IHL 3 */
	ip3[20 + 12] = 0x20;			/* TCP data offset 2 */
	ip11[0] = 0x55;				/* IP version 5 */
	r = run_mem(b, n);
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->events, 21);
	CHECK_INT(r->errors, 3);
	CHECK_INT(r->c->errline[0], 1);
	CHECK_STR(r->c->err[0], "invalid packet: IPv4 header length 12 bytes (less than 20)");
	CHECK_INT(r->c->errline[1], 3);
	CHECK_STR(r->c->err[1], "invalid packet: TCP data offset 2 (less than 5 words)");
	CHECK_INT(r->c->errline[2], 11);
	CHECK_STR(r->c->err[2], "invalid packet: IP version 5");
	CHECK(packet(r, 2) && packet(r, 12) && !packet(r, 11));
	/* IPv4 total length shorter than its header */
	free(b);
	b = slurp("testdata/pcap/raw.pcap", &n);
	b[off[0] + 16 + 2] = 0;
	b[off[0] + 16 + 3] = 10;
	r = run_mem(b, n);
	CHECK_INT(r->errors, 1);
	CHECK_STR(r->first_err, "invalid packet: IPv4 total length 10 is shorter than its header (20)");
	/* a nanosecond fraction of a second or more */
	free(b);
	b = slurp("testdata/pcap/frag.pcap", &n);
	pcap_records(b, n, off);
	put_le32(b + off[1] + 4, 1000000000U);
	r = run_mem(b, n);
	CHECK_INT(r->events, 12);		/* kept, with the error */
	CHECK_INT(r->errors, 1);
	CHECK_INT(r->first_err_line, 2);
	CHECK_STR(r->first_err, "invalid packet: timestamp fraction 1000000000 nanoseconds (1 s or "
				"more); its time is kept to the second");
	CHECK(packet(r, 2) && !strcmp(packet(r, 2)->time, "1795276493") && packet(r, 2)->wall_us == -1);
	free(b);
}

static void test_random(void)
{
	size_t n;
	unsigned char *b = slurp("testdata/pcap/raw.pcap", &n);
	unsigned char *ng = slurp("testdata/pcap/vlan.pcapng", &n);
	unsigned char buf[24 + 4096];
	uint32_t x = 12345;
	int seed, j;
	for (seed = 0; seed < 200; seed++) {
		struct run *r;
		size_t len = 24 + (size_t)(seed * 37 % 4096);
		memcpy(buf, b, 24);
		for (j = 24; j < (int)sizeof buf; j++) {
			x = x * 1103515245 + 12345;
			buf[j] = (unsigned char)(x >> 16);
		}
		if (seed % 2) {			/* SHB + first IDB of a pcapng, then noise */
			size_t keep = le32(ng + 4) + le32(ng + le32(ng + 4) + 4);
			memcpy(buf, ng, keep < sizeof buf ? keep : sizeof buf);
		}
		r = run_mem(buf, len);
		CHECK_INT(r->rc, 0);		/* and no crash: ASan runs this too */
	}
	free(b);
	free(ng);
}

static void test_empty_and_foreign(void)
{
	static const unsigned char text[] = "Nov 20 10:00:00 host kernel: hello\n";
	size_t n;
	unsigned char *b;
	struct run *r = run_mem(NULL, 0);
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->events, 0);
	CHECK_INT(r->errors, 1);
	CHECK_INT(r->first_err_line, 0);
	r = run_mem(text, sizeof text - 1);
	CHECK_INT(r->errors, 1);
	CHECK_INT(r->first_err_line, 0);
	CHECK(!strncmp(r->first_err, "cannot read the capture header: ", 32));
	CHECK_INT(nl_parser_pcap.probe_bytes(text, sizeof text - 1), 0);
	/* an unsupported link type: said once, nothing read */
	b = slurp("testdata/pcap/raw.pcap", &n);
	CHECK_INT(nl_parser_pcap.probe_bytes(b, n), 2);
	/* a file cut inside its file header is still a capture (read_stream
	 * then says it is cut), not text for the log parsers */
	CHECK_INT(nl_parser_pcap.probe_bytes(b, 23), 2);
	CHECK_INT(nl_parser_pcap.probe_bytes(b, 4), 2);
	r = run_mem(b, 10);
	CHECK_INT(r->errors, 1);
	CHECK(!strncmp(r->first_err, "truncated capture header", 24));
	put_le32(b + 20, 105);			/* IEEE 802.11 */
	r = run_mem(b, n);
	CHECK_INT(r->events, 0);
	CHECK_INT(r->errors, 1);
	CHECK_INT(r->first_err_line, 0);
	CHECK(!strncmp(r->first_err, "unsupported link type 105 ", 26));
	/* the sink says stop: read_stream says so too */
	free(b);
	b = slurp("testdata/pcap/raw.pcap", &n);
	r = run_mem_stop(b, n, 3);
	CHECK_INT(r->rc, -1);
	CHECK_INT(r->events, 3);
	free(b);
	b = slurp("testdata/pcap/vlan.pcapng", &n);
	CHECK_INT(nl_parser_pcap.probe_bytes(b, n), 2);
	free(b);
}

/* Blocks natlog (and libpcap) do not know are passed over; a second
 * section brings interfaces of its own. */
static void test_pcapng_blocks(void)
{
	size_t n, o, at = 0, shb_len, idb_len;
	unsigned char *b = slurp("testdata/pcap/vlan.pcapng", &n);
	unsigned char *out = malloc(2 * n + 64);
	static const unsigned char custom[] = {
		0xad, 0x0b, 0x00, 0x00, 20, 0, 0, 0, 'n', 'a', 't', 'l', 'o', 'g', 0, 0, 20, 0, 0, 0
	};
	struct run *r;
	if (!out)
		abort();
	/* an unknown block (type 0xbad) before every enhanced packet block */
	for (o = 0; o + 12 <= n;) {
		uint32_t type = le32(b + o), len = le32(b + o + 4);
		if (len < 12 || o + len > n)
			break;
		if (type == 6) {
			memcpy(out + at, custom, sizeof custom);
			at += sizeof custom;
		}
		memcpy(out + at, b + o, len);
		at += len;
		o += len;
	}
	r = run_mem(out, at);
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->events, 24);
	CHECK_INT(r->errors, 0);
	CHECK(packet(r, 3) && !strcmp(packet(r, 3)->pkt.iif, "v100"));
	CHECK(packet(r, 10) && !strcmp(packet(r, 10)->pkt.iif, "x0"));
	/* the file again as a second section whose first interface is renamed */
	shb_len = le32(b + 4);
	idb_len = le32(b + shb_len + 4);
	memcpy(out, b, n);
	memcpy(out + n, b, n);
	for (o = n + shb_len + 8; o + 4 <= n + shb_len + idb_len; o++)
		if (!memcmp(out + o, "x0", 2) && out[o + 2] == 0) {
			out[o] = 'y';
			break;
		}
	r = run_mem(out, 2 * n);
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->events, 48);
	CHECK_INT(r->errors, 0);
	CHECK(packet(r, 10) && !strcmp(packet(r, 10)->pkt.iif, "x0"));
	CHECK(packet(r, 40) && !strcmp(packet(r, 40)->pkt.iif, "y0"));
	CHECK(packet(r, 33) && !strcmp(packet(r, 33)->pkt.iif, "v100"));
	/* a block whose length is not a multiple of 4: libpcap stops there */
	memcpy(out, b, n);
	o = shb_len + idb_len;
	put_le32(out + o + 4, le32(out + o + 4) + 1);
	r = run_mem(out, n);
	CHECK_INT(r->rc, 0);
	CHECK_INT(r->errors, 1);
	CHECK(!strncmp(r->first_err, "invalid file", 12) || !strncmp(r->first_err, "truncated", 9) ||
	      !strncmp(r->first_err, "cannot read", 11));
	free(out);
	free(b);
}

int main(void)
{
	(void)feed;				/* capture.h's line feeder: captures are not lines */
	test_sll();
	test_sll2();
	test_nflog();
	test_vlan();
	test_frag();
	test_raw();
	test_lab();
	test_null_loop();
	test_big_endian();
	test_nflog_order();
	test_truncated_pcap("testdata/pcap/raw.pcap");
	test_truncated_pcap("testdata/pcap/nflog.pcap");
	test_truncated_pcap("testdata/pcap/frag.pcap");
	test_truncated_pcapng();
	test_snaplen();
	test_invalid_headers();
	test_random();
	test_empty_and_foreign();
	test_pcapng_blocks();
	test_tcpdump_ways();
	test_pcapng_names();
	return unit_report("test_pcap");
}
