/*
 * communityid.c - Community ID v1 (corelight/community-id-spec): SHA-1 over
 * seed (2 bytes), source and destination address, protocol, a zero byte and
 * the two ports, all in network order, with the smaller endpoint first; ICMP
 * types and codes stand in for ports as Zeek maps them (pycommunityid's
 * icmp.py and icmp6.py); "1:" + base64 of the digest. SHA-1 is written out
 * here from FIPS 180-4 section 6.1 rather than taken from a library.
 */
#include "natlog.h"
#include "communityid.h"

#include <arpa/inet.h>
#include <string.h>

/* ------------------------------------------------------------ SHA-1 */

struct sha1 {
	uint32_t h[5];
	unsigned char block[64];
	size_t used;		/* bytes in block */
	uint64_t total;		/* bytes hashed */
};

static uint32_t rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_block(struct sha1 *s, const unsigned char *p)
{
	uint32_t w[80], a, b, c, d, e, t;
	int i;
	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = s->h[0];
	b = s->h[1];
	c = s->h[2];
	d = s->h[3];
	e = s->h[4];
	for (i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20) {
			f = (b & c) | (~b & d);			/* Ch */
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;				/* Parity */
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);	/* Maj */
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	s->h[0] += a;
	s->h[1] += b;
	s->h[2] += c;
	s->h[3] += d;
	s->h[4] += e;
}

static void sha1_init(struct sha1 *s)
{
	static const uint32_t h0[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
	memcpy(s->h, h0, sizeof h0);
	s->used = 0;
	s->total = 0;
}

static void sha1_update(struct sha1 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	s->total += n;
	while (n > 0) {
		size_t k = 64 - s->used < n ? 64 - s->used : n;
		memcpy(s->block + s->used, p, k);
		s->used += k;
		p += k;
		n -= k;
		if (s->used == 64) {
			sha1_block(s, s->block);
			s->used = 0;
		}
	}
}

static void sha1_final(struct sha1 *s, unsigned char out[20])
{
	uint64_t bits = s->total * 8;
	int i;
	/* 0x80, zeros up to 56 bytes into a block, the length in bits */
	s->block[s->used++] = 0x80;
	if (s->used > 56) {
		memset(s->block + s->used, 0, 64 - s->used);
		sha1_block(s, s->block);
		s->used = 0;
	}
	memset(s->block + s->used, 0, 56 - s->used);
	for (i = 0; i < 8; i++)
		s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_block(s, s->block);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

void nl_sha1(const void *data, size_t n, unsigned char out[20])
{
	struct sha1 s;
	sha1_init(&s);
	sha1_update(&s, data, n);
	sha1_final(&s, out);
}

/* ------------------------------------------------------- Community ID */

/* Zeek's counterpart types: a request and its answer hash alike. A type
 * without one is one-way: the code is the second "port" and the endpoints
 * are never swapped. */
static int icmp_counterpart(int v6, int type)
{
	static const int v4[][2] = {
		{ 8, 0 }, { 0, 8 }, { 13, 14 }, { 14, 13 }, { 15, 16 }, { 16, 15 },
		{ 10, 9 }, { 9, 10 }, { 17, 18 }, { 18, 17 },
	};
	static const int v6m[][2] = {
		{ 128, 129 }, { 129, 128 }, { 130, 131 }, { 131, 130 }, { 133, 134 }, { 134, 133 },
		{ 135, 136 }, { 136, 135 }, { 139, 140 }, { 140, 139 }, { 144, 145 }, { 145, 144 },
	};
	size_t i;
	if (v6) {
		for (i = 0; i < sizeof v6m / sizeof v6m[0]; i++)
			if (v6m[i][0] == type)
				return v6m[i][1];
	} else {
		for (i = 0; i < sizeof v4 / sizeof v4[0]; i++)
			if (v4[i][0] == type)
				return v4[i][1];
	}
	return -1;
}

static int parse_addr(const char *s, unsigned char *bin)
{
	if (inet_pton(AF_INET, s, bin) == 1)
		return 4;
	if (inet_pton(AF_INET6, s, bin) == 1)
		return 16;
	return 0;
}

static void base64(const unsigned char *in, size_t n, char *out)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, o = 0;
	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = tab[v >> 6 & 63];
		out[o++] = tab[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = tab[v >> 6 & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
}

int nl_community_id(unsigned seed, int proto, const char *src, int sport, const char *dst,
		    int dport, char *out, size_t n)
{
	unsigned char a[16], b[16], buf[2 + 16 + 16 + 2 + 4], digest[20];
	int alen, blen, ports, swap, one_way = 0;
	size_t k = 0;

	if (n < NL_COMMUNITY_ID_SIZE)
		return -1;
	out[0] = '\0';
	if (!src || !dst || proto < 0 || proto > 255 || seed > 0xffff)
		return -1;
	alen = parse_addr(src, a);
	blen = parse_addr(dst, b);
	if (!alen || alen != blen)
		return -1;
	ports = proto == 6 || proto == 17 || proto == 132 || proto == 1 || proto == 58;
	if (ports) {
		if (sport < 0 || sport > 65535 || dport < 0 || dport > 65535)
			return -1;
		if (proto == 1 || proto == 58) {
			int other;
			if (sport > 255 || dport > 255)
				return -1;
			other = icmp_counterpart(proto == 58, sport);
			if (other >= 0)
				dport = other;	/* the code does not count */
			else
				one_way = 1;	/* type and code, as sent */
		}
	}
	/* the smaller address (then port) first, unless one-way */
	swap = 0;
	if (!one_way) {
		int c = memcmp(a, b, (size_t)alen);
		swap = c > 0 || (c == 0 && ports && sport > dport);
	}
	buf[k++] = (unsigned char)(seed >> 8);
	buf[k++] = (unsigned char)seed;
	memcpy(buf + k, swap ? b : a, (size_t)alen);
	k += (size_t)alen;
	memcpy(buf + k, swap ? a : b, (size_t)alen);
	k += (size_t)alen;
	buf[k++] = (unsigned char)proto;
	buf[k++] = 0;
	if (ports) {
		int p1 = swap ? dport : sport, p2 = swap ? sport : dport;
		buf[k++] = (unsigned char)(p1 >> 8);
		buf[k++] = (unsigned char)p1;
		buf[k++] = (unsigned char)(p2 >> 8);
		buf[k++] = (unsigned char)p2;
	}
	nl_sha1(buf, k, digest);
	out[0] = '1';
	out[1] = ':';
	base64(digest, sizeof digest, out + 2);
	return 0;
}
