/*
 * test_addr.c - nl_addr_canon(): whatever path it takes (a plain dotted
 * quad is copied as it is), its answer is inet_pton() then inet_ntop()'s,
 * on edge cases and on a million pseudo-random strings of digits and dots.
 */
#include "natlog.h"
#include "unit.h"

#include <arpa/inet.h>
#include <stdint.h>

/* What nl_addr_canon() must give: the C library's answer. */
static int libc_canon(const char *in, size_t n, int *family, char *out, size_t outn)
{
	char tmp[128];
	unsigned char bin[16];
	if (n == 0 || n >= sizeof tmp || n >= NL_ADDRSIZ + 8)
		return -1;
	memcpy(tmp, in, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET, tmp, bin) == 1) {
		*family = 4;
		return inet_ntop(AF_INET, bin, out, (socklen_t)outn) ? 0 : -1;
	}
	if (inet_pton(AF_INET6, tmp, bin) == 1) {
		*family = 6;
		return inet_ntop(AF_INET6, bin, out, (socklen_t)outn) ? 0 : -1;
	}
	return -1;
}

static int same(const char *in, size_t n, size_t outn)
{
	char a[64] = "", b[64] = "";
	int fa = 0, fb = 0;
	int ra = nl_addr_canon(in, n, &fa, a, outn), rb = libc_canon(in, n, &fb, b, outn);
	if (ra != rb || (ra == 0 && (fa != fb || strcmp(a, b) != 0))) {
		fprintf(stderr, "'%.*s' (%zu bytes, out %zu): %d %d '%s' against %d %d '%s'\n",
			(int)n, in, n, outn, ra, fa, a, rb, fb, b);
		return 0;
	}
	return 1;
}

static void test_edges(void)
{
	static const char *v[] = {
		"10.0.0.1", "0.0.0.0", "255.255.255.255", "256.0.0.1", "1.2.3", "1.2.3.4.5",
		"01.2.3.4", "1.02.3.4", "1.2.3.00", "1.2.3.0", "1..3.4", ".1.2.3", "1.2.3.4.",
		"1000.2.3.4", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4", "::1", "::ffff:10.0.0.1",
		"fe80:0:0:0:0:0:0:1", "2001:DB8::1", "XXX", "a.b.c.d", "4294967295", "1.2.3.255",
		"1.2.3.256", "99.99.99.99", "0x1.2.3.4",
	};
	size_t i;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		CHECK(same(v[i], strlen(v[i]), 64));
		CHECK(same(v[i], strlen(v[i]), 8));	/* too small for most */
		CHECK(same(v[i], strlen(v[i]), strlen(v[i]) + 1));
		CHECK(same(v[i], strlen(v[i]), strlen(v[i])));
	}
	CHECK(same("1.2.3.4\0junk", 12, 64));	/* a NUL inside the field */
	CHECK(same("1.2.3.4", 5, 64));		/* a cut field */
}

static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Dotted quads and near misses: 3 to 5 parts of 1 to 4 digits (leading
 * zeros, values over 255), now and then another byte in place. */
static void test_random(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int i, bad = 0, valid = 0;
	for (i = 0; i < 1000000; i++) {
		char s[40];
		size_t n = 0;
		int parts = 3 + (int)(next(&x) % 8 == 0) + 1 - (int)(next(&x) % 8 == 0), p;
		for (p = 0; p < parts; p++) {
			int digits = 1 + (int)(next(&x) % 3) + (int)(next(&x) % 16 == 0), d;
			if (p)
				s[n++] = '.';
			for (d = 0; d < digits; d++)
				s[n++] = (char)('0' + (d == 0 && next(&x) % 4 ? 1 + next(&x) % 2 : next(&x) % 10));
		}
		if (next(&x) % 16 == 0)
			s[next(&x) % n] = "x: /\0"[next(&x) % 5];
		{
			char o[64];
			int f;
			valid += nl_addr_canon(s, n, &f, o, sizeof o) == 0;
		}
		if (!same(s, n, 64))
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK(valid > 100000);	/* the quads were not all rejected */
}

int main(void)
{
	test_edges();
	test_random();
	return unit_report("test_addr");
}
