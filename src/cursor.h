/*
 * cursor.h - a checked cursor over untrusted text.
 * Every read is bounded by `end`; a cursor advances only when a read
 * succeeds, so a failed parse leaves it where it was. Nothing allocates.
 */
#ifndef NL_CURSOR_H
#define NL_CURSOR_H

#include <stdint.h>
#include <string.h>

struct nl_cur {
	const char *p;
	const char *end;
};

static inline struct nl_cur cur_make(const char *s, size_t n)
{
	struct nl_cur c = { s, s + n };
	return c;
}

static inline size_t cur_left(const struct nl_cur *c)
{
	return (size_t)(c->end - c->p);
}

static inline int cur_eof(const struct nl_cur *c)
{
	return c->p >= c->end;
}

static inline int cur_peek(const struct nl_cur *c)
{
	return c->p < c->end ? (unsigned char)*c->p : -1;
}

/* Consume `lit` if the text starts with it. */
static inline int cur_lit(struct nl_cur *c, const char *lit)
{
	size_t n = strlen(lit);
	if (cur_left(c) < n || memcmp(c->p, lit, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

static inline int cur_char(struct nl_cur *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return 1;
	}
	return 0;
}

static inline size_t cur_spaces(struct nl_cur *c)
{
	const char *s = c->p;
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
	return (size_t)(c->p - s);
}

/* Unsigned decimal, at least one digit, at most `max`; 0 on overflow. */
static inline int cur_u64(struct nl_cur *c, uint64_t max, uint64_t *out)
{
	const char *p = c->p;
	uint64_t v = 0;
	if (p >= c->end || *p < '0' || *p > '9')
		return 0;
	while (p < c->end && *p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');
		if (v > (max - d) / 10)
			return 0;
		v = v * 10 + d;
		p++;
	}
	c->p = p;
	*out = v;
	return 1;
}

/* A run of characters up to (not including) `stop` or the end. */
static inline int cur_until(struct nl_cur *c, char stop, const char **tok, size_t *len)
{
	const char *s = c->p;
	const char *e = memchr(s, stop, cur_left(c));
	if (!e)
		e = c->end;
	*tok = s;
	*len = (size_t)(e - s);
	c->p = e;
	return *len > 0;
}

/* A word: up to the next space or tab. */
static inline int cur_word(struct nl_cur *c, const char **tok, size_t *len)
{
	const char *s = c->p;
	while (c->p < c->end && *c->p != ' ' && *c->p != '\t')
		c->p++;
	*tok = s;
	*len = (size_t)(c->p - s);
	return *len > 0;
}


#endif
