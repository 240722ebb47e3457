/*
 * pcap.c - packet captures: pcap (micro- and nanosecond, either byte order)
 * and pcapng, read through libpcap (pcap-savefile(5); pcapng is
 * draft-ietf-opsawg-pcapng; link types https://www.tcpdump.org/linktypes.html;
 * NFLOG TLVs in include/uapi/linux/netfilter/nfnetlink_log.h). Packets as
 * `tcpdump -nn -r` shows them (testdata/pcap/raw.pcap, vlan.pcap):
 *   15:54:55.715179 IP 10.77.244.1.37826 > 10.77.244.2.8080: Flags [S], seq 1435021854, win 64240, ...
 *   15:54:50.320059 IP 10.77.243.1.38762 > 10.77.243.2.5353: domain [length 4 < 12] (invalid)
 *   (the second inside 802.1ad VLAN 200 and 802.1Q VLAN 300; tcpdump -e shows the tags)
 * Each IP packet becomes one NL_EV_WIRE event, numbered from 1 in file
 * order; packets that are not IP (ARP, LLDP) are skipped. libpcap does not
 * expose pcapng interface names, so the bytes handed to it pass through a
 * small block walker first that keeps each packet's interface (if_name and
 * timestamp resolution). Every header byte is read through a bounds-checked
 * cursor; "truncated" (fewer bytes captured than the link or IP header
 * needs) and "invalid" (impossible values) are separate errors, reported
 * with the packet's number, and never stop the file; only damage that
 * libpcap cannot read past does. As tcpdump does, a transport or IPv6
 * extension header cut by the snap length keeps the packet, marked
 * "[|tcp]" in extra (tests/e2e/tcpdump-compare.py holds us to tcpdump).
 */
#include "natlog.h"
#include "parser.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include "dynlib.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ cursor */

/* A checked cursor over untrusted bytes: every read is bounded by `end`
 * and advances only when it succeeds (a failed read yields 0, NULL or an
 * empty cursor, and returns 0). Multi-byte values are big-endian (network
 * order) unless the name says otherwise. */
struct bcur {
	const unsigned char *p;
	const unsigned char *end;
};

static struct bcur bc_make(const unsigned char *p, size_t n)
{
	struct bcur c = { p, p + n };
	return c;
}

static size_t bc_left(const struct bcur *c)
{
	return (size_t)(c->end - c->p);
}

static int bc_skip(struct bcur *c, size_t n)
{
	if (bc_left(c) < n)
		return 0;
	c->p += n;
	return 1;
}

static int bc_u8(struct bcur *c, unsigned *v)
{
	*v = 0;
	if (bc_left(c) < 1)
		return 0;
	*v = c->p[0];
	c->p++;
	return 1;
}

static int bc_be16(struct bcur *c, unsigned *v)
{
	*v = 0;
	if (bc_left(c) < 2)
		return 0;
	*v = (unsigned)c->p[0] << 8 | c->p[1];
	c->p += 2;
	return 1;
}

static int bc_be32(struct bcur *c, uint32_t *v)
{
	*v = 0;
	if (bc_left(c) < 4)
		return 0;
	*v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 | (uint32_t)c->p[2] << 8 | c->p[3];
	c->p += 4;
	return 1;
}

/* 16 bits in the given byte order (NFLOG TLV headers, pcapng). */
static int bc_u16o(struct bcur *c, int big, unsigned *v)
{
	*v = 0;
	if (bc_left(c) < 2)
		return 0;
	*v = big ? (unsigned)c->p[0] << 8 | c->p[1] : (unsigned)c->p[1] << 8 | c->p[0];
	c->p += 2;
	return 1;
}

static int bc_bytes(struct bcur *c, size_t n, const unsigned char **out)
{
	*out = NULL;
	if (bc_left(c) < n)
		return 0;
	*out = c->p;
	c->p += n;
	return 1;
}

/* The next n bytes as a cursor of their own. */
static int bc_sub(struct bcur *c, size_t n, struct bcur *sub)
{
	*sub = bc_make(c->p, 0);
	if (bc_left(c) < n)
		return 0;
	*sub = bc_make(c->p, n);
	c->p += n;
	return 1;
}

static uint32_t rd32o(const unsigned char *p, int big)
{
	return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		   : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int host_big_endian(void)
{
	const uint16_t one = 1;
	return *(const unsigned char *)&one == 0;
}

/* ------------------------------------------------ pcapng block walker */

/* What the walker knows about one pcapng interface. */
struct ngif {
	char name[NL_IFNAMSIZ];
	int decimals;			/* 6 or 9: how the time is printed */
};

#define NG_SHB 0x0A0D0D0AU
#define NG_IDB 1U
#define NG_PB 2U
#define NG_SPB 3U
#define NG_EPB 6U
#define NG_MAX_IFS 65536		/* more interfaces than this keep no names */
#define NG_MAX_IDB 65536		/* an IDB's options beyond this are not read */

enum { W_HDR, W_COLLECT, W_SKIP, W_OFF };

/* Follows the byte stream libpcap reads, block by block, and queues the
 * interface of each packet block; libpcap returns exactly one packet per
 * EPB, SPB or PB, in order, so the queue's head is the packet just read.
 * Interfaces are numbered across sections (an SHB starts a new list). */
struct walker {
	int state;
	int big;			/* this section's byte order */
	unsigned char hdr[12];
	size_t hn, hneed;
	uint32_t type;
	uint64_t left;			/* bytes of the current block not yet seen */
	unsigned char *body;		/* collected start of the block body */
	size_t bodyn, want;
	struct ngif *ifs;
	size_t nif, capif, section;	/* section: index of this section's first interface */
	long *q;			/* interface index per queued packet, -1 unknown */
	size_t qhead, qn, qcap;
};

static int walker_push(struct walker *w, long ifindex)
{
	if (w->qhead > 0 && w->qhead == w->qn)
		w->qhead = w->qn = 0;
	if (w->qn == w->qcap) {
		if (w->qhead > 0) {
			memmove(w->q, w->q + w->qhead, (w->qn - w->qhead) * sizeof *w->q);
			w->qn -= w->qhead;
			w->qhead = 0;
		} else {
			size_t cap = w->qcap ? w->qcap * 2 : 64;
			long *q = realloc(w->q, cap * sizeof *q);
			if (!q)
				return -1;
			w->q = q;
			w->qcap = cap;
		}
	}
	w->q[w->qn++] = ifindex;
	return 0;
}

/* The interface of the packet libpcap just returned, or NULL. */
static const struct ngif *walker_pop(struct walker *w)
{
	long i;
	if (w->qhead >= w->qn)
		return NULL;
	i = w->q[w->qhead++];
	return i >= 0 && (size_t)i < w->nif ? &w->ifs[i] : NULL;
}

/* Interface ids in packet blocks are relative to the current section. */
static long walker_iface(const struct walker *w, uint32_t id)
{
	uint64_t i = (uint64_t)w->section + id;
	return i < w->nif ? (long)i : -1;
}

/* if_tsresol: 10^-n, or 2^-n with the top bit set. */
static int tsresol_decimals(unsigned v)
{
	if (v & 0x80)
		return (v & 0x7f) > 20 ? 9 : 6;
	return v > 6 ? 9 : 6;
}

static void idb_parse(struct walker *w)
{
	struct ngif ifc = { "", 6 };
	struct bcur c = bc_make(w->body, w->bodyn);
	if (!bc_skip(&c, 8))		/* link type, reserved, snap length */
		goto add;
	while (bc_left(&c) >= 4) {
		unsigned code, len;
		const unsigned char *v;
		bc_u16o(&c, w->big, &code);
		bc_u16o(&c, w->big, &len);
		if (code == 0 || !bc_bytes(&c, len, &v))
			break;
		bc_skip(&c, (4 - len % 4) % 4);
		if (code == 2) {		/* if_name: UTF-8, maybe NUL-terminated */
			size_t i, k = 0;
			for (i = 0; i < len && v[i] && k + 1 < sizeof ifc.name; i++)
				ifc.name[k++] = v[i] >= 0x20 && v[i] < 0x7f ? (char)v[i] : '?';
			ifc.name[k] = '\0';
		} else if (code == 9 && len >= 1) {
			ifc.decimals = tsresol_decimals(v[0]);
		}
	}
add:
	if (w->nif >= NG_MAX_IFS)
		return;
	if (w->nif == w->capif) {
		size_t cap = w->capif ? w->capif * 2 : 8;
		struct ngif *p = realloc(w->ifs, cap * sizeof *p);
		if (!p)
			return;
		w->ifs = p;
		w->capif = cap;
	}
	w->ifs[w->nif++] = ifc;
}

/* A block's header is complete: decide what to keep of its body. */
static int walker_block(struct walker *w)
{
	uint32_t total;
	size_t seen = w->hneed;
	w->type = rd32o(w->hdr, w->big);
	total = rd32o(w->hdr + 4, w->big);
	if (total < 12 || total % 4 != 0 || total < seen + 4) {
		w->state = W_OFF;		/* damaged: libpcap says so; names stop here */
		return 0;
	}
	w->left = total - seen;
	w->bodyn = 0;
	w->want = 0;
	switch (w->type) {
	case NG_SHB:
		w->section = w->nif;
		break;
	case NG_IDB:
		w->want = w->left - 4 < NG_MAX_IDB ? (size_t)(w->left - 4) : NG_MAX_IDB;
		break;
	case NG_EPB:
		w->want = 4;
		break;
	case NG_PB:
		w->want = 2;
		break;
	case NG_SPB:
		if (walker_push(w, walker_iface(w, 0)))
			return -1;
		break;
	}
	if (w->want > w->left - 4)
		w->want = (size_t)(w->left - 4);
	if (w->want && !w->body && !(w->body = malloc(NG_MAX_IDB)))
		return -1;
	w->state = w->want ? W_COLLECT : W_SKIP;
	return 0;
}

static int walker_collected(struct walker *w)
{
	if (w->type == NG_IDB) {
		idb_parse(w);
	} else if (w->type == NG_EPB) {
		long i = w->bodyn >= 4 ? walker_iface(w, rd32o(w->body, w->big)) : -1;
		if (walker_push(w, i))
			return -1;
	} else if (w->type == NG_PB) {
		long i = w->bodyn < 2 ? -1 : walker_iface(w, w->big ? (unsigned)w->body[0] << 8 | w->body[1]
								   : (unsigned)w->body[1] << 8 | w->body[0]);
		if (walker_push(w, i))
			return -1;
	}
	w->state = W_SKIP;
	return 0;
}

/* Feeds the next n bytes of the file. Returns -1 only when out of memory. */
static int walker_feed(struct walker *w, const unsigned char *p, size_t n)
{
	while (n > 0 && w->state != W_OFF) {
		size_t k;
		switch (w->state) {
		case W_HDR:
			k = w->hneed - w->hn < n ? w->hneed - w->hn : n;
			memcpy(w->hdr + w->hn, p, k);
			w->hn += k;
			p += k;
			n -= k;
			if (w->hn < 8)
				break;
			if (w->hneed == 8 && rd32o(w->hdr, 1) == NG_SHB) {
				w->hneed = 12;		/* the byte-order magic follows */
				break;
			}
			if (w->hn < w->hneed)
				break;
			if (w->hneed == 12) {
				uint32_t bom = rd32o(w->hdr + 8, 1);
				if (bom == 0x1A2B3C4DU)
					w->big = 1;
				else if (bom == 0x4D3C2B1AU)
					w->big = 0;
				else {
					w->state = W_OFF;
					break;
				}
			}
			if (walker_block(w))
				return -1;
			break;
		case W_COLLECT:
			k = w->want - w->bodyn < n ? w->want - w->bodyn : n;
			memcpy(w->body + w->bodyn, p, k);
			w->bodyn += k;
			w->left -= k;
			p += k;
			n -= k;
			if (w->bodyn == w->want && walker_collected(w))
				return -1;
			break;
		case W_SKIP:
			k = w->left < n ? (size_t)w->left : n;
			w->left -= k;
			p += k;
			n -= k;
			break;
		}
		if (w->state == W_SKIP && w->left == 0) {
			w->state = W_HDR;
			w->hn = 0;
			w->hneed = 8;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ state */

struct pcapst {
	const struct nl_sink *sink;
	FILE *in;
	int kind;			/* 0 not yet known, 1 pcap, 2 pcapng */
	int decimals;			/* pcap: from the magic number */
	unsigned char magic[4];
	size_t nmagic;
	int nomem;
	struct walker w;
	int dlt;
	struct nl_event ev;
	struct nl_err err;		/* why the packet being decoded is unusable */
	struct nl_err warn;		/* what is wrong with a packet that is kept */
	int whole;			/* the record holds the whole frame: not cut by a snap length */
};

/* The FILE libpcap reads: the caller's stream, seen by the walker. */
static ssize_t tap_read(void *cookie, char *buf, size_t n)
{
	struct pcapst *st = cookie;
	size_t r = fread(buf, 1, n, st->in);
	const unsigned char *b = (const unsigned char *)buf;
	size_t i, from = 0;
	if (r == 0)
		return ferror(st->in) ? -1 : 0;
	for (i = 0; i < r && st->nmagic < 4; i++) {
		st->magic[st->nmagic++] = b[i];
		if (st->nmagic == 4) {
			uint32_t m = rd32o(st->magic, 1);
			from = i + 1;
			if (m == NG_SHB) {
				st->kind = 2;
				st->w.state = W_HDR;
				st->w.hneed = 8;
				if (walker_feed(&st->w, st->magic, 4))
					goto nomem;
			} else {
				st->kind = 1;
				st->decimals = m == 0xa1b23c4dU || m == 0x4d3cb2a1U ? 9 : 6;
			}
		}
	}
	if (st->kind == 2 && walker_feed(&st->w, b + from, r - from))
		goto nomem;
	return (ssize_t)r;
nomem:
	st->nomem = 1;
	return -1;
}

static int tap_close(void *cookie)
{
	(void)cookie;			/* the caller's stream stays open */
	return 0;
}

/* ---------------------------------------------------------- error helpers */

static int truncated(struct pcapst *st, const char *what, size_t need, size_t have)
{
	nl_err_set(&st->err, "truncated packet: the %s needs %zu bytes, %zu captured", what, need,
		   have);
	return -1;
}

static int invalid(struct pcapst *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int invalid(struct pcapst *st, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	nl_err_set(&st->err, "invalid packet: %s", msg);
	return -1;
}

/* Adds one space-separated word to a fixed string buffer; drops what does not fit. */
static void add_word(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_word(char *buf, size_t size, const char *fmt, ...)
{
	char w[96];
	size_t used = strlen(buf);
	int n;
	va_list ap;
	va_start(ap, fmt);
	n = vsnprintf(w, sizeof w, fmt, ap);
	va_end(ap);
	if (n <= 0 || (size_t)n >= sizeof w || used + (used > 0) + (size_t)n + 1 > size)
		return;
	if (used)
		buf[used++] = ' ';
	memcpy(buf + used, w, (size_t)n + 1);
}

static void set_addr(char *out, int af, const unsigned char *bin)
{
	char tmp[INET6_ADDRSTRLEN];
	out[0] = '\0';
	if (inet_ntop(af, bin, tmp, sizeof tmp))
		nl_addr_canon(tmp, strlen(tmp), NULL, out, NL_ADDRSIZ);
}

static const char *proto_word(unsigned proto)
{
	switch (proto) {
	case 1: return "ICMP";
	case 6: return "TCP";
	case 17: return "UDP";
	case 58: return "ICMPv6";
	}
	return NULL;
}

/* ---------------------------------------------------------- transport */

/* The IPv6 extension headers that another header follows, by the name
 * tcpdump gives them when they are cut short; NULL for upper-layer
 * protocols. Mobility (135), HIP (139) and Shim6 (140) are extension
 * headers in IANA's list but end the chain in practice (RFC 6275 9.1,
 * RFC 7401 5.1.1 and RFC 5533 5.1 send them with No Next Header), so
 * natlog stops there as tcpdump and the kernel's LOG do. */
static const char *v6_ext_name(unsigned nh)
{
	switch (nh) {
	case 0: return "hbhopt";
	case 43: return "rt6";
	case 60: return "dstopt";
	case 51: return "ah";
	}
	return NULL;
}

/* The quoted packet of an ICMP error, as far as it was quoted, in the
 * words the kernel log uses inside its brackets. Never an error: a quote
 * is allowed to be short. */
static void quote_inner(struct nl_pkt *p, struct bcur c, int family)
{
	char sa[NL_ADDRSIZ], sb[NL_ADDRSIZ];
	const unsigned char *s, *d;
	unsigned b0, ihl, len, proto, sport, dport, x;
	struct bcur l4;
	const char *pn;
	if (!bc_u8(&c, &b0) || b0 >> 4 != (unsigned)family)
		return;
	if (family == 4) {
		ihl = (b0 & 15) * 4;
		if (ihl < 20 || bc_left(&c) < ihl - 1)
			return;
		bc_skip(&c, 1);
		bc_be16(&c, &len);
		bc_skip(&c, 5);
		bc_u8(&c, &proto);
		bc_skip(&c, 2);
		bc_bytes(&c, 4, &s);
		bc_bytes(&c, 4, &d);
		bc_skip(&c, ihl - 20);
		set_addr(sa, AF_INET, s);
		set_addr(sb, AF_INET, d);
	} else {
		if (bc_left(&c) < 39)
			return;
		bc_skip(&c, 3);
		bc_be16(&c, &len);
		len += 40;
		bc_u8(&c, &proto);
		bc_skip(&c, 1);
		bc_bytes(&c, 16, &s);
		bc_bytes(&c, 16, &d);
		set_addr(sa, AF_INET6, s);
		set_addr(sb, AF_INET6, d);
	}
	add_word(p->inner, sizeof p->inner, "SRC=%s", sa);
	add_word(p->inner, sizeof p->inner, "DST=%s", sb);
	add_word(p->inner, sizeof p->inner, "LEN=%u", len);
	pn = proto_word(proto);
	if (pn)
		add_word(p->inner, sizeof p->inner, "PROTO=%s", pn);
	else
		add_word(p->inner, sizeof p->inner, "PROTO=%u", proto);
	l4 = c;
	if ((proto == 6 || proto == 17) && bc_be16(&l4, &sport) && bc_be16(&l4, &dport)) {
		add_word(p->inner, sizeof p->inner, "SPT=%u", sport);
		add_word(p->inner, sizeof p->inner, "DPT=%u", dport);
	} else if ((proto == 1 || proto == 58) && bc_u8(&l4, &x)) {
		add_word(p->inner, sizeof p->inner, "TYPE=%u", x);
	}
}

/* Why the bytes after the IP header end where they do: the snap length
 * (the capture kept less than the packet had), the packet's own length in
 * a first fragment (the rest of the header is in the next fragment), or
 * the packet's own length in an unfragmented packet (malformed). */
enum { END_CAPTURE, END_FRAGMENT, END_PACKET };

/* A transport or extension header that ends early. The packet keeps what
 * was read: cut by the snap length, it is marked as tcpdump marks it
 * ("[|tcp]"); a first fragment is simply a fragment; a packet whose own
 * length is too short is kept and reported as invalid. */
static int short_header(struct pcapst *st, struct nl_pkt *p, int why, const char *mark,
			const char *what, size_t need, size_t have)
{
	if (why == END_CAPTURE)
		add_word(p->extra, sizeof p->extra, "[|%s]", mark);
	else if (why == END_PACKET)
		nl_err_set(&st->warn, "invalid packet: its length leaves %zu bytes for the %zu-byte %s",
			   have, need, what);
	return 0;
}

/* ICMP and ICMPv6 types whose header carries an identifier and sequence
 * number: echo, timestamp, information, address mask, and RFC 8335's
 * extended echo (whose sequence number is 8 bits). */
static int icmp_has_id(int proto, unsigned type)
{
	if (proto == 1)
		return type == 0 || type == 8 || (type >= 13 && type <= 18) || type == 42 || type == 43;
	return type == 128 || type == 129 || type == 160 || type == 161;
}

static int icmp_ext_echo(int proto, unsigned type)
{
	return proto == 1 ? type == 42 || type == 43 : type == 160 || type == 161;
}

/* TCP, UDP, ICMP and ICMPv6 headers at c; proto and family already set.
 * `why` says why the bytes end where they do; a header that ends early
 * keeps the fields whose bytes are there. */
static int decode_l4(struct pcapst *st, struct nl_pkt *p, struct bcur c, int why)
{
	size_t have = bc_left(&c);
	unsigned a, b, x;
	uint32_t v;
	switch (p->proto) {
	case 6:
		/* each field only when all bytes before it were there */
		if (bc_be16(&c, &a) && bc_be16(&c, &b)) {
			p->sport = (int)a;
			p->dport = (int)b;
			if (bc_be32(&c, &v)) {
				p->seq = v;
				if (bc_be32(&c, &v)) {
					p->ack = v;
					if (bc_u8(&c, &a) && a >> 4 < 5)
						return invalid(st, "TCP data offset %u (less than 5 words)",
							       a >> 4);
					if (have >= 14 && bc_u8(&c, &b)) {
						p->tcp_flags = (int)((a & 1) << 8 | b);
						if (bc_be16(&c, &a))
							p->window = (int)a;
					}
				}
			}
		}
		if (have < 20)
			return short_header(st, p, why, "tcp", "TCP header", 20, have);
		return 0;
	case 17:
	case 136:			/* UDP-Lite */
		if (bc_be16(&c, &a) && bc_be16(&c, &b)) {
			p->sport = (int)a;
			p->dport = (int)b;
		}
		if (have < 8)
			return short_header(st, p, why, p->proto == 17 ? "udp" : "udplite", "UDP header",
					    8, have);
		return 0;
	case 1:
	case 58:
		if (bc_u8(&c, &a)) {
			p->icmp_type = (int)a;
			if (bc_u8(&c, &b))
				p->icmp_code = (int)b;
		}
		if (have < 4)
			return short_header(st, p, why, p->proto == 1 ? "icmp" : "icmp6",
					    p->proto == 1 ? "ICMP header" : "ICMPv6 header", 4, have);
		bc_skip(&c, 2);
		if (icmp_has_id(p->proto, a)) {
			if (bc_be16(&c, &x)) {
				p->icmp_id = (int)x;
				if (icmp_ext_echo(p->proto, a) ? bc_u8(&c, &x) : bc_be16(&c, &x))
					p->icmp_seq = (int)x;
			}
			if (have < 8)
				return short_header(st, p, why, p->proto == 1 ? "icmp" : "icmp6",
						    "ICMP echo header", 8, have);
		} else if (p->proto == 1 ? (a == 3 || a == 4 || a == 5 || a == 11 || a == 12)
					 : (a >= 1 && a <= 4)) {
			if (bc_skip(&c, 4))	/* unused, or gateway / MTU / pointer */
				quote_inner(p, c, p->proto == 1 ? 4 : 6);
		}
		return 0;
	}
	return 0;			/* other protocols: no ports */
}

/* ------------------------------------------------------------- network */

static int decode_ipv4(struct pcapst *st, struct nl_pkt *p, struct bcur c)
{
	size_t have = bc_left(&c);
	unsigned b0, tos, tot, id, fo, ttl, proto, ihl;
	const unsigned char *s, *d;
	struct bcur l4;
	int why;
	if (have < 20)
		return truncated(st, "IPv4 header", 20, have);
	bc_u8(&c, &b0);
	if (b0 >> 4 != 4)
		return invalid(st, "IP version %u where IPv4 was announced", b0 >> 4);
	ihl = (b0 & 15) * 4;
	if (ihl < 20)
		return invalid(st, "IPv4 header length %u bytes (less than 20)", ihl);
	if (have < ihl)
		return truncated(st, "IPv4 header with options", ihl, have);
	bc_u8(&c, &tos);
	bc_be16(&c, &tot);
	bc_be16(&c, &id);
	bc_be16(&c, &fo);
	bc_u8(&c, &ttl);
	bc_u8(&c, &proto);
	bc_skip(&c, 2);
	bc_bytes(&c, 4, &s);
	bc_bytes(&c, 4, &d);
	bc_skip(&c, ihl - 20);
	if (tot != 0 && tot < ihl)
		return invalid(st, "IPv4 total length %u is shorter than its header (%u)", tot, ihl);
	p->family = 4;
	set_addr(p->src, AF_INET, s);
	set_addr(p->dst, AF_INET, d);
	/* total length 0: a TSO/BIG TCP packet seen on its way out */
	p->len = tot ? tot : (int64_t)have;
	p->tos = (int)tos;
	p->ttl = (int)ttl;
	p->ip_id = id;
	p->proto = (int)proto;
	if (fo & 0x8000)
		add_word(p->ipflags, sizeof p->ipflags, "CE");
	if (fo & 0x4000)
		add_word(p->ipflags, sizeof p->ipflags, "DF");
	if (fo & 0x2000)
		add_word(p->ipflags, sizeof p->ipflags, "MF");
	if (fo & 0x1fff) {
		/* a later fragment: no transport header; the kernel's FRAG:, in 8-byte units */
		add_word(p->extra, sizeof p->extra, "FRAG:%u", fo & 0x1fff);
		return 0;
	}
	l4 = c;
	why = END_CAPTURE;
	if (tot && bc_left(&l4) >= tot - ihl) {
		l4.end = l4.p + (tot - ihl);	/* Ethernet padding is not part of it */
		why = fo & 0x2000 ? END_FRAGMENT : END_PACKET;
	} else if (tot && st->whole) {
		/* nothing was cut, so the length is wrong (tcpdump: "invalid") */
		nl_err_set(&st->warn, "invalid packet: IPv4 total length %u is longer than the %zu "
			   "bytes the frame holds", tot, have);
		why = fo & 0x2000 ? END_FRAGMENT : END_PACKET;
	}
	return decode_l4(st, p, l4, why);
}

static int decode_ipv6(struct pcapst *st, struct nl_pkt *p, struct bcur c)
{
	size_t have = bc_left(&c);
	unsigned b0, b1, plen, nh, hlim, i;
	const unsigned char *s, *d;
	int why;
	if (have < 40)
		return truncated(st, "IPv6 header", 40, have);
	bc_u8(&c, &b0);
	if (b0 >> 4 != 6)
		return invalid(st, "IP version %u where IPv6 was announced", b0 >> 4);
	bc_u8(&c, &b1);
	bc_skip(&c, 2);
	bc_be16(&c, &plen);
	bc_u8(&c, &nh);
	bc_u8(&c, &hlim);
	bc_bytes(&c, 16, &s);
	bc_bytes(&c, 16, &d);
	p->family = 6;
	set_addr(p->src, AF_INET6, s);
	set_addr(p->dst, AF_INET6, d);
	p->len = plen ? plen + 40 : (int64_t)have;	/* 0: a jumbogram or GSO packet */
	p->tos = (int)((b0 & 15) << 4 | b1 >> 4);
	p->ttl = (int)hlim;
	why = END_CAPTURE;
	if (plen && bc_left(&c) >= plen) {
		c.end = c.p + plen;
		why = END_PACKET;
	} else if (plen && st->whole) {
		nl_err_set(&st->warn, "invalid packet: IPv6 payload length %u is longer than the %zu "
			   "bytes the frame holds after the IPv6 header", plen, bc_left(&c));
		why = END_PACKET;
	}
	for (i = 0; i < 16; i++) {
		unsigned next, hl, fo;
		uint32_t id;
		const char *name = v6_ext_name(nh);
		if (name) {
			struct bcur t = c;
			if (!bc_u8(&t, &next) || !bc_u8(&t, &hl))
				return short_header(st, p, why, name, "IPv6 extension header", 2,
						    bc_left(&c));
			hl = nh == 51 ? (hl + 2) * 4 : (hl + 1) * 8;
			if (bc_left(&c) < hl)
				return short_header(st, p, why, name, "IPv6 extension header", hl,
						    bc_left(&c));
			bc_skip(&c, hl);
			nh = next;
			continue;
		}
		if (nh == 44) {
			if (bc_left(&c) < 8)
				return short_header(st, p, why, "frag6", "IPv6 fragment header", 8,
						    bc_left(&c));
			bc_u8(&c, &next);
			bc_skip(&c, 1);
			bc_be16(&c, &fo);
			bc_be32(&c, &id);
			p->ip_id = id;
			if (fo & 1)
				add_word(p->ipflags, sizeof p->ipflags, "MF");
			nh = next;
			if (fo & 0xfff8) {
				/* a later fragment; FRAG: in bytes, as the kernel logs IPv6 */
				add_word(p->extra, sizeof p->extra, "FRAG:%u", fo & 0xfff8);
				p->proto = (int)nh;
				return 0;
			}
			if ((fo & 1) && why == END_PACKET)
				why = END_FRAGMENT;
			continue;
		}
		break;
	}
	if (i == 16)
		return invalid(st, "more than 16 IPv6 extension headers");
	p->proto = (int)nh;
	return decode_l4(st, p, c, why);
}

/* IPv4 or IPv6 by the version nibble; want 4 or 6 when the link said so. */
static int decode_ip(struct pcapst *st, struct nl_pkt *p, struct bcur c, int want)
{
	unsigned v;
	if (bc_left(&c) < 1)
		return truncated(st, "IP header", 1, 0);
	v = c.p[0] >> 4;
	if (want && (int)v != want)
		return invalid(st, "IP version %u where IPv%d was announced", v, want);
	if (v == 4)
		return decode_ipv4(st, p, c);
	if (v == 6)
		return decode_ipv6(st, p, c);
	return invalid(st, "IP version %u", v);
}

/* ---------------------------------------------------------------- links */

static int decode_ethertype(struct pcapst *st, struct nl_pkt *p, struct bcur c, unsigned type);

/* IEEE 802.1AE MACsec: a SecTAG (TCI/AN, short length, packet number,
 * and the SCI when the SC bit says so); with integrity only (E and C
 * clear) the user data follows in clear, from its EtherType on, up to
 * the 16-byte ICV. Encrypted frames are not IP to us. */
static int decode_macsec(struct pcapst *st, struct nl_pkt *p, struct bcur c)
{
	unsigned tci, sl, type;
	size_t tag = 6;
	if (!bc_u8(&c, &tci) || !bc_u8(&c, &sl))
		return truncated(st, "MACsec tag", 6, bc_left(&c));
	if (tci & 0x0c)
		return 1;
	if (tci & 0x20)
		tag += 8;
	if (!bc_skip(&c, tag - 2))
		return truncated(st, "MACsec tag", tag, bc_left(&c) + 2);
	/* a short length (under 48) counts the secure data; a 16-byte ICV follows */
	sl &= 0x3f;
	if (sl && bc_left(&c) < sl + 16U) {
		if (st->whole)
			return invalid(st, "MACsec short length %u is more than the %zu bytes before "
				       "the ICV", sl, bc_left(&c) < 16 ? 0 : bc_left(&c) - 16);
		return truncated(st, "MACsec secure data", sl + 16U, bc_left(&c));
	}
	if (!bc_be16(&c, &type))
		return truncated(st, "MACsec secure data", 2, bc_left(&c));
	if (st->whole && bc_left(&c) >= 16)
		c.end -= 16;		/* the ICV is not part of the user data */
	return decode_ethertype(st, p, c, type);
}

/* After the link header: VLAN tags (libpcap puts back the tags Linux
 * strips), then IPv4 or IPv6. Returns 1 for other protocols. */
static int decode_ethertype(struct pcapst *st, struct nl_pkt *p, struct bcur c, unsigned type)
{
	int tags = 0;
	while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
		unsigned tci;
		if (bc_left(&c) < 4)
			return truncated(st, "VLAN tag", 4, bc_left(&c));
		if (++tags > 8)
			return invalid(st, "more than 8 VLAN tags");
		bc_be16(&c, &tci);
		add_word(p->extra, sizeof p->extra, "VPROTO=%04x", type);
		add_word(p->extra, sizeof p->extra, "VID=%u", tci & 0x0fff);
		bc_be16(&c, &type);
	}
	if (type == 0x88e5)
		return decode_macsec(st, p, c);
	if (type == 0x0800)
		return decode_ip(st, p, c, 4);
	if (type == 0x86dd)
		return decode_ip(st, p, c, 6);
	return 1;
}

static int decode_ether(struct pcapst *st, struct nl_pkt *p, struct bcur c)
{
	const unsigned char *h;
	unsigned type;
	size_t have = bc_left(&c);
	if (!bc_bytes(&c, 12, &h) || !bc_be16(&c, &type))
		return truncated(st, "Ethernet header", 14, have);
	/* MAC= as the kernel log prints it: destination, source, type */
	snprintf(p->mac, sizeof p->mac,
		 "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", h[0], h[1],
		 h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], type >> 8, type & 0xff);
	return decode_ethertype(st, p, c, type);
}

static const char *pkttype_word(unsigned t)
{
	static const char *const names[] = { "host", "broadcast", "multicast", "otherhost", "outgoing" };
	return t < 5 ? names[t] : NULL;
}

/* LINUX_SLL (tcpdump -i any): type, ARPHRD, address length, address, protocol. */
static int decode_sll(struct pcapst *st, struct nl_pkt *p, struct bcur c)
{
	unsigned ptype, hatype, proto;
	size_t have = bc_left(&c);
	if (have < 16)
		return truncated(st, "Linux cooked header", 16, have);
	bc_be16(&c, &ptype);
	bc_be16(&c, &hatype);
	bc_skip(&c, 10);
	bc_be16(&c, &proto);
	if (pkttype_word(ptype))
		add_word(p->extra, sizeof p->extra, "pkttype=%s", pkttype_word(ptype));
	if (hatype == 824)		/* ARPHRD_NETLINK: netlink messages, not packets */
		return 1;
	return decode_ethertype(st, p, c, proto);
}

/* LINUX_SLL2: protocol, reserved, ifindex, ARPHRD, type, address length, address. */
static int decode_sll2(struct pcapst *st, struct nl_pkt *p, struct bcur c)
{
	unsigned proto, hatype, ptype;
	uint32_t ifindex;
	size_t have = bc_left(&c);
	if (have < 20)
		return truncated(st, "Linux cooked v2 header", 20, have);
	bc_be16(&c, &proto);
	bc_skip(&c, 2);
	bc_be32(&c, &ifindex);
	bc_be16(&c, &hatype);
	bc_u8(&c, &ptype);
	bc_skip(&c, 9);
	add_word(p->extra, sizeof p->extra, "ifindex=%u", ifindex);
	if (pkttype_word(ptype))
		add_word(p->extra, sizeof p->extra, "pkttype=%s", pkttype_word(ptype));
	if (hatype == 824)
		return 1;
	return decode_ethertype(st, p, c, proto);
}

/* NULL (host order of the capturing machine) and LOOP (network order):
 * a 4-byte address family; IPv6 is 10, 24, 28 or 30 depending on the OS. */
static int decode_null(struct pcapst *st, struct nl_pkt *p, struct bcur c, int loop)
{
	const unsigned char *h;
	uint32_t fam;
	if (!bc_bytes(&c, 4, &h))
		return truncated(st, "loopback header", 4, bc_left(&c));
	fam = rd32o(h, 1);
	if (!loop && (fam & 0xffff0000U))
		fam = rd32o(h, 0);
	if (fam == 2)
		return decode_ip(st, p, c, 4);
	if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
		return decode_ip(st, p, c, 6);
	return 1;
}

static const char *hook_word(unsigned h)
{
	static const char *const names[] = { "prerouting", "input", "forward", "output", "postrouting" };
	return h < 5 ? names[h] : NULL;
}

/* Walks the TLVs once in byte order `big`: 1 if they are consistent. */
static int nflog_tlvs_ok(struct bcur c, int big)
{
	int n = 0;
	while (bc_left(&c) >= 4) {
		unsigned len, type;
		bc_u16o(&c, big, &len);
		bc_u16o(&c, big, &type);
		if (len < 4 || (type & 0x3fff) > 64 || !bc_skip(&c, len - 4))
			return 0;
		bc_skip(&c, (4 - len % 4) % 4 <= bc_left(&c) ? (4 - len % 4) % 4 : bc_left(&c));
		n++;
	}
	return n > 0 && bc_left(&c) == 0;
}

/* The event's time: epoch seconds and nanoseconds, printed with 6 or 9
 * decimals. */
static void set_time(struct nl_event *ev, long long sec, long nsec, int decimals)
{
	if (decimals == 9)
		snprintf(ev->time, sizeof ev->time, "%lld.%09ld", sec, nsec);
	else
		snprintf(ev->time, sizeof ev->time, "%lld.%06ld", sec, nsec / 1000);
	ev->wall_us = -1;
	if (sec >= 0 && sec < 253402300800LL)	/* before the year 10000 */
		ev->wall_us = (int64_t)sec * 1000000 + nsec / 1000;
}

/* NFLOG (tcpdump -i nflog:N): family, version, group; then TLVs whose
 * length and type are in the logging machine's byte order, values in
 * network order. The payload (type 9) is the IP packet. The record's time
 * is when libpcap read the message, and the kernel sends them in batches
 * (up to a second late with iptables' default --nflog-threshold), so the
 * kernel's timestamp (type 3), when there is one, is the packet's time. */
static int decode_nflog(struct pcapst *st, struct nl_event *ev, struct bcur c)
{
	struct nl_pkt *p = &ev->pkt;
	unsigned fam, ver, group;
	int big = host_big_endian(), have_payload = 0;
	struct bcur payload = c;		/* set from TLV 9 */
	size_t have = bc_left(&c);
	if (have < 4)
		return truncated(st, "NFLOG header", 4, have);
	bc_u8(&c, &fam);
	bc_u8(&c, &ver);
	bc_be16(&c, &group);
	if (ver != 0)
		return invalid(st, "NFLOG version %u", ver);
	if (!nflog_tlvs_ok(c, big)) {
		if (!nflog_tlvs_ok(c, !big)) {
			if (bc_left(&c) < 4)
				return truncated(st, "NFLOG attribute", 4, bc_left(&c));
			return invalid(st, "NFLOG attributes do not add up to the message");
		}
		big = !big;
	}
	add_word(p->extra, sizeof p->extra, "group=%u", group);
	while (bc_left(&c) >= 4) {
		unsigned len, type, x;
		uint32_t v;
		struct bcur val;
		bc_u16o(&c, big, &len);
		bc_u16o(&c, big, &type);
		bc_sub(&c, len - 4, &val);	/* checked by nflog_tlvs_ok */
		bc_skip(&c, (4 - len % 4) % 4 <= bc_left(&c) ? (4 - len % 4) % 4 : bc_left(&c));
		switch (type & 0x3fff) {
		case 1:			/* NFULA_PACKET_HDR: hw protocol, hook, pad */
			if (bc_skip(&val, 2) && bc_u8(&val, &x) && hook_word(x))
				add_word(p->extra, sizeof p->extra, "hook=%s", hook_word(x));
			break;
		case 2:			/* NFULA_MARK */
			if (bc_be32(&val, &v))
				p->mark = v;
			break;
		case 3: {		/* NFULA_TIMESTAMP: 64-bit seconds, 64-bit microseconds */
			uint32_t sh, sl, uh, ul;
			if (bc_be32(&val, &sh) && bc_be32(&val, &sl) && bc_be32(&val, &uh) &&
			    bc_be32(&val, &ul) && sh == 0 && sl > 0 && sl < 0x7fffffffU && uh == 0 &&
			    ul < 1000000)
				set_time(ev, sl, (long)ul * 1000, 6);
			break;
		}
		case 4:			/* NFULA_IFINDEX_INDEV */
			if (bc_be32(&val, &v))
				add_word(p->extra, sizeof p->extra, "indev=%u", v);
			break;
		case 5:			/* NFULA_IFINDEX_OUTDEV */
			if (bc_be32(&val, &v))
				add_word(p->extra, sizeof p->extra, "outdev=%u", v);
			break;
		case 9:			/* NFULA_PAYLOAD */
			payload = val;
			have_payload = 1;
			break;
		case 10: {		/* NFULA_PREFIX: NUL-terminated */
			size_t i, k = 0, n = bc_left(&val);
			for (i = 0; i < n && val.p[i] && k + 1 < sizeof ev->prefix; i++)
				ev->prefix[k++] = val.p[i] >= 0x20 && val.p[i] < 0x7f ? (char)val.p[i] : '?';
			ev->prefix[k] = '\0';
			break;
		}
		case 16: {		/* NFULA_HWHEADER: MAC= as the kernel log prints it */
			size_t i, k = 0, n = bc_left(&val);
			for (i = 0; i < n && k + 4 <= sizeof p->mac; i++)
				k += (size_t)snprintf(p->mac + k, sizeof p->mac - k, "%s%02x", i ? ":" : "",
						      val.p[i]);
			break;
		}
		case 11:		/* NFULA_UID */
			if (bc_be32(&val, &v))
				p->uid = v;
			break;
		case 14:		/* NFULA_GID */
			if (bc_be32(&val, &v))
				p->gid = v;
			break;
		}
	}
	if (!have_payload)
		return 1;		/* logged without a packet (--nflog-size 0) */
	/* TRACE through the nfnetlink_log backend (net.netfilter.nf_log.2 =
	 * nfnetlink_log): the record is a step of the packet's trace, its
	 * prefix "TRACE: raw:PREROUTING:policy:3 " as nf_log_trace() wrote
	 * it, not a sighting of the packet on a wire */
	if (!strncmp(ev->prefix, "TRACE: ", 7)) {
		if (pktlog_trace_prefix(ev->prefix + 7, strlen(ev->prefix + 7), ev, &st->err))
			return -1;
		ev->kind = NL_EV_TRACE;
		ev->prefix[0] = '\0';
	}
	return decode_ip(st, p, payload, fam == 2 ? 4 : fam == 10 ? 6 : 0);
}

/* The link types natlog reads (pcap_datalink() values). */
static int link_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB: case DLT_LINUX_SLL: case DLT_LINUX_SLL2: case DLT_RAW: case 14:
	case DLT_IPV4: case DLT_IPV6: case DLT_NULL: case DLT_LOOP: case DLT_NFLOG:
		return 1;
	}
	return 0;
}

static int decode_link(struct pcapst *st, struct nl_event *ev, const unsigned char *data, size_t n)
{
	struct bcur c = bc_make(data, n);
	switch (st->dlt) {
	case DLT_EN10MB:
		return decode_ether(st, &ev->pkt, c);
	case DLT_LINUX_SLL:
		return decode_sll(st, &ev->pkt, c);
	case DLT_LINUX_SLL2:
		return decode_sll2(st, &ev->pkt, c);
	case DLT_RAW:
	case 14:			/* DLT_RAW on OpenBSD */
		return decode_ip(st, &ev->pkt, c, 0);
	case DLT_IPV4:
		return decode_ip(st, &ev->pkt, c, 4);
	case DLT_IPV6:
		return decode_ip(st, &ev->pkt, c, 6);
	case DLT_NULL:
		return decode_null(st, &ev->pkt, c, 0);
	case DLT_LOOP:
		return decode_null(st, &ev->pkt, c, 1);
	case DLT_NFLOG:
		return decode_nflog(st, ev, c);
	}
	return 1;
}

/* ---------------------------------------------------------------- driver */

/* A file that opens with a capture's magic number is a capture even when
 * it ends inside its file header: read_stream then says it is cut. */
static int pcap_probe_bytes(const unsigned char *b, size_t n)
{
	uint32_t m;
	if (n < 4)
		return 0;
	m = rd32o(b, 1);
	if (m == NG_SHB)
		return n < 12 || rd32o(b + 8, 1) == 0x1A2B3C4DU || rd32o(b + 8, 1) == 0x4D3C2B1AU ? 2 : 0;
	if (m == 0xa1b2c3d4U || m == 0xa1b23c4dU || m == 0xa1b2cd34U)
		return n < 6 || (b[4] == 0 && b[5] == 2) ? 2 : 0;	/* version 2.x, big-endian */
	if (m == 0xd4c3b2a1U || m == 0x4d3cb2a1U || m == 0x34cdb2a1U)
		return n < 6 || (b[5] == 0 && b[4] == 2) ? 2 : 0;
	return 0;
}

/* A fraction of a second that is a second or more: tcpdump prints it as
 * "(invalid us)" and goes on. The value is given back in the file's own
 * unit; libpcap hands a microsecond file's 32-bit field over sign-extended
 * and multiplied by 1000 (we open with nanosecond precision). */
static void bad_fraction(struct pcapst *st, long frac, int decimals)
{
	if (st->kind == 1 && decimals == 6)
		nl_err_set(&st->warn, "invalid packet: timestamp fraction %lu microseconds (1 s or "
			   "more); its time is kept to the second", (unsigned long)(uint32_t)(frac / 1000));
	else if (st->kind == 1)
		nl_err_set(&st->warn, "invalid packet: timestamp fraction %lu nanoseconds (1 s or "
			   "more); its time is kept to the second", (unsigned long)(uint32_t)frac);
	else
		nl_err_set(&st->warn, "invalid packet: timestamp fraction %ld nanoseconds (1 s or "
			   "more); its time is kept to the second", frac);
}

/* One record from libpcap: the event, a skip, or an error; a packet that
 * is kept but has something wrong (warn) is an event and an error. */
static int one_packet(struct pcapst *st, long num, const struct pcap_pkthdr *h,
		      const unsigned char *data)
{
	struct nl_event *ev = &st->ev;
	const struct ngif *ifc = st->kind == 2 ? walker_pop(&st->w) : NULL;
	int decimals = ifc ? ifc->decimals : st->decimals;
	long long sec = (long long)h->ts.tv_sec;
	long frac = (long)h->ts.tv_usec;	/* nanoseconds: opened with NANO precision */
	int rc;

	memset(ev, 0, sizeof *ev);
	nl_pkt_init(&ev->pkt);
	st->warn.msg[0] = '\0';
	ev->kind = NL_EV_WIRE;
	ev->line = num;
	ev->uptime = -1;
	ev->handle = -1;
	ev->wall_us = -1;
	/* pcap's seconds are unsigned 32 bits (pcap-savefile(5)): after
	 * 2038-01-19 libpcap hands them over as negative numbers */
	if (st->kind == 1)
		sec = (long long)(uint32_t)h->ts.tv_sec;
	if (frac < 0 || frac >= 1000000000L) {
		bad_fraction(st, frac, decimals);
		snprintf(ev->time, sizeof ev->time, "%lld", sec);
	} else {
		set_time(ev, sec, frac, decimals);
	}
	if (ifc)
		nl_strlcpy(ev->pkt.iif, ifc->name, sizeof ev->pkt.iif);

	/* NFLOG's payload may be cut by the rule's copy range inside a whole record */
	st->whole = h->caplen >= h->len && st->dlt != DLT_NFLOG;
	rc = decode_link(st, ev, data, h->caplen);
	if (rc == 1) {
		st->sink->skip(st->sink->ctx, num);
		return 0;
	}
	if (rc < 0)
		return st->sink->error(st->sink->ctx, num, st->err.msg, NULL, 0);
	if (st->sink->event(st->sink->ctx, ev))
		return -1;
	if (st->warn.msg[0])
		return st->sink->error(st->sink->ctx, num, st->warn.msg, NULL, 0);
	return 0;
}

static void *pcap_open_state(const struct nl_sink *sink)
{
	struct pcapst *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->sink = sink;
	st->decimals = 6;
	st->w.state = W_OFF;
	return st;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int pcap_read_stream(void *state, FILE *f)
{
	struct pcapst *st = state;
	cookie_io_functions_t io = { tap_read, NULL, NULL, tap_close };
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	char reason[PCAP_ERRBUF_SIZE + 96];
	struct pcap_pkthdr *h;
	const unsigned char *data;
	FILE *tap;
	pcap_t *pc;
	long num = 0;
	int r = 0, rc = 0;

	if (nl_dl_pcap(reason, sizeof reason))
		return st->sink->error(st->sink->ctx, 0, reason, NULL, 0);
	st->in = f;
	tap = fopencookie(st, "r", io);
	if (!tap)
		return -1;
	pc = pcap_fopen_offline_with_tstamp_precision(tap, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!pc) {
		fclose(tap);
		if (st->nomem)
			return -1;
		snprintf(reason, sizeof reason, "%s capture header: %s",
			 starts_with(errbuf, "truncated") ? "truncated" : "cannot read the", errbuf);
		return st->sink->error(st->sink->ctx, 0, reason, NULL, 0) ? -1 : 0;
	}
	st->dlt = pcap_datalink(pc);
	if (!link_supported(st->dlt)) {
		const char *name = pcap_datalink_val_to_name(st->dlt);
		snprintf(reason, sizeof reason, "unsupported link type %d (%s): no packet was read",
			 st->dlt, name ? name : "unknown");
		rc = st->sink->error(st->sink->ctx, 0, reason, NULL, 0) ? -1 : 0;
		pcap_close(pc);
		return rc;
	}
	while (rc == 0 && (r = pcap_next_ex(pc, &h, &data)) == 1) {
		num++;
		if (one_packet(st, num, h, data))
			rc = -1;
	}
	if (rc == 0 && r == -1) {
		/* damage libpcap cannot read past: reported once, where it happened */
		const char *msg = pcap_geterr(pc);
		if (st->nomem) {
			rc = -1;
		} else {
			if (starts_with(msg, "truncated") && num == 0)
				snprintf(reason, sizeof reason,
					 "truncated file: it ends inside its first record (%s)", msg);
			else if (starts_with(msg, "truncated"))
				snprintf(reason, sizeof reason, "truncated file: it ends inside the "
					 "record after packet %ld (%s)", num, msg);
			else
				snprintf(reason, sizeof reason,
					 "invalid file: packet %ld cannot be read (%s)", num + 1, msg);
			rc = st->sink->error(st->sink->ctx, num + 1, reason, NULL, 0) ? -1 : 0;
		}
	}
	pcap_close(pc);			/* closes tap, not f */
	return rc;
}

/* Captures are never text: no line is ever ours. */
static int pcap_probe(const char *line, size_t len)
{
	(void)line;
	(void)len;
	return 0;
}

static int pcap_line(void *state, const char *line, size_t len, long lineno)
{
	(void)state;
	(void)line;
	(void)len;
	(void)lineno;
	return 0;
}

static int pcap_close_state(void *state)
{
	struct pcapst *st = state;
	if (!st)
		return 0;
	free(st->w.body);
	free(st->w.ifs);
	free(st->w.q);
	free(st);
	return 0;
}

static const char *const pcap_samples[] = { NULL };

const struct nl_parser nl_parser_pcap = {
	.name = "pcap",
	.probe = pcap_probe,
	.open = pcap_open_state,
	.line = pcap_line,
	.close = pcap_close_state,
	.samples = pcap_samples,
	.probe_bytes = pcap_probe_bytes,
	.read_stream = pcap_read_stream,
	.events_only = 1,
};
