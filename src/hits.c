/*
 * hits.c - the rules a packet's traced lines name, one string per packet
 * (hits.h), and the --rule filter's test of such a string.
 */
#include "hits.h"

#include <stdlib.h>
#include <string.h>

#define US '\x1f'
#define RS '\x1e'

void nl_hits_init(struct nl_hits *h)
{
	h->s[0] = '\0';
	h->len = 0;
	h->bad = 0;
}

/* Appends v (its length in n) and the separator sep at *at within the
 * list's room; 0 when it does not fit or holds a separator. */
static int put(struct nl_hits *h, size_t *at, const char *v, size_t n, char sep)
{
	size_t i;
	if (*at + n + 1 >= sizeof h->s)
		return 0;
	for (i = 0; i < n; i++)
		if (v[i] == US || v[i] == RS)
			return 0;
	memcpy(h->s + *at, v, n);
	h->s[*at + n] = sep;
	*at += n + 1;
	return 1;
}

void nl_hits_add(struct nl_hits *h, const struct nl_event *ev)
{
	char num[24], *d;
	int legacy = ev->kind == NL_EV_TRACE;
	int64_t v = legacy ? ev->rulenum : ev->handle;
	size_t at = h->len, n = 0, tn;
	const char *p, *end;
	if (h->bad || (!legacy && ev->kind != NL_EV_NFTRACE))
		return;
	/* the number's digits, backwards from the end of num */
	d = num + sizeof num;
	if (v >= 0)
		do {
			*--d = (char)('0' + v % 10);
			v /= 10;
			n++;
		} while (v > 0);
	if (!put(h, &at, legacy ? "t" : "n", 1, US) ||
	    !put(h, &at, legacy ? "" : ev->nft_family, legacy ? 0 : strlen(ev->nft_family), US) ||
	    !put(h, &at, ev->table, strlen(ev->table), US) ||
	    !put(h, &at, ev->chain, strlen(ev->chain), US) ||
	    !put(h, &at, ev->type, strlen(ev->type), US) || !put(h, &at, d, n, RS)) {
		h->bad = 1;
		h->s[h->len] = '\0';
		return;
	}
	/* the token is written after the list; kept only when no token of
	 * the list is the same */
	tn = at - h->len;
	for (p = h->s, end = h->s + h->len; p < end;) {
		const char *e = memchr(p, RS, (size_t)(end - p));
		if (!e)
			break;
		if ((size_t)(e + 1 - p) == tn && !memcmp(p, h->s + h->len, tn)) {
			h->s[h->len] = '\0';
			return;
		}
		p = e + 1;
	}
	h->len = at;
	h->s[at] = '\0';
}

/* The field of token t (ending at RS) after i unit separators: its start,
 * and its length in *n. */
static const char *field(const char *t, const char *end, int i, size_t *n)
{
	const char *f = t, *e;
	while (i-- > 0) {
		if (!(f = memchr(f, US, (size_t)(end - f))))
			return NULL;
		f++;
	}
	e = memchr(f, US, (size_t)(end - f));
	*n = (size_t)((e ? e : end) - f);
	return f;
}

static int same(const char *f, size_t n, const char *want)
{
	return strlen(want) == n && !memcmp(f, want, n);
}

/* A field's number; -1 for none or what is no number. */
static int64_t number(const char *f, size_t n)
{
	int64_t v = 0;
	size_t i;
	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (f[i] < '0' || f[i] > '9' || v > (INT64_MAX - (f[i] - '0')) / 10)
			return -1;
		v = v * 10 + (f[i] - '0');
	}
	return v;
}

/* Whether pairs lists family fam (n bytes) with handle h. */
static int pair_has(const char *pairs, const char *fam, size_t n, int64_t h)
{
	const char *p = pairs;
	while (p && *p) {
		const char *e = strchr(p, RS), *u;
		size_t len = e ? (size_t)(e - p) : strlen(p);
		u = memchr(p, US, len);
		if (u && (size_t)(u - p) == n && !memcmp(p, fam, n) &&
		    number(u + 1, len - (size_t)(u + 1 - p)) == h)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

int nl_hits_match(const char *s, const char *family, const char *table, const char *chain,
		  const char *type, int64_t num, int64_t handle, const char *pairs)
{
	const char *t = s;
	while (t && *t) {
		const char *end = strchr(t, RS), *f[6];
		size_t n[6];
		int i, ok = 1;
		int64_t v;
		if (!end)
			return 0;	/* not a list hits.c wrote */
		for (i = 0; i < 6 && ok; i++)
			ok = (f[i] = field(t, end, i, &n[i])) != NULL;
		if (!ok || n[0] != 1)
			return 0;
		v = number(f[5], n[5]);
		/* NULL in the store is "" here, and equals no filter's value */
		if ((family && !same(f[1], n[1], family)) || (table && !same(f[2], n[2], table)) ||
		    (chain && !same(f[3], n[3], chain)) || (type && !same(f[4], n[4], type)) ||
		    (handle >= 0 && (f[0][0] == 't' || v != handle)))
			ok = 0;
		else if (num >= 0 && f[0][0] == 't')
			ok = v == num;
		else if (num >= 0)	/* a policy or return whatever its number: a chain has one */
			ok = (n[4] > 0 && !same(f[4], n[4], "rule")) ||
			     (v >= 0 && pair_has(pairs, f[1], n[1], v));
		if (ok)
			return 1;
		t = end + 1;
	}
	return 0;
}
