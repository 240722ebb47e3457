/*
 * jsonw.c - JSON string escaping and small value writers (RFC 8259).
 * Input bytes that are not valid UTF-8 are written as U+FFFD so the
 * output always parses.
 */
#include "natlog.h"
#include "jsonw.h"

#include <string.h>

static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0 && s[0] >= 0xc2)
		n = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3;
	else if ((s[0] & 0xf8) == 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

void jw_str_always(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : ""), *run;
	/* one lock per string and one write per run of plain bytes: a byte
	 * at a time through the locked calls was most of a big --json */
	flockfile(f);
	putc_unlocked('"', f);
	while (*p) {
		size_t n;
		for (run = p; *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\'; p++)
			;
		if (p > run)
			fwrite_unlocked(run, 1, (size_t)(p - run), f);
		if (!*p)
			break;
		switch (*p) {
		case '"': fputs_unlocked("\\\"", f); p++; continue;
		case '\\': fputs_unlocked("\\\\", f); p++; continue;
		case '\n': fputs_unlocked("\\n", f); p++; continue;
		case '\r': fputs_unlocked("\\r", f); p++; continue;
		case '\t': fputs_unlocked("\\t", f); p++; continue;
		}
		if (*p < 0x20) {
			fprintf(f, "\\u%04x", *p);
			p++;
			continue;
		}
		n = utf8_len(p);
		if (n == 0) {
			fputs_unlocked("\\ufffd", f);
			p++;
			continue;
		}
		fwrite_unlocked(p, 1, n, f);
		p += n;
	}
	putc_unlocked('"', f);
	funlockfile(f);
}

void jw_str(FILE *f, const char *s)
{
	if (!s || !*s)
		fputs("null", f);
	else
		jw_str_always(f, s);
}

void jw_num(FILE *f, int64_t v)
{
	if (v < 0)
		fputs("null", f);
	else
		fprintf(f, "%lld", (long long)v);
}

void jw_key(FILE *f, int *first, const char *key)
{
	const unsigned char *p = (const unsigned char *)key;
	/* natlog's keys are plain: one lock and no escaping for them */
	while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
		p++;
	flockfile(f);
	if (!*first)
		fwrite_unlocked(", ", 1, 2, f);
	*first = 0;
	if (*p) {
		jw_str_always(f, key);	/* takes the lock again: it is recursive */
	} else {
		putc_unlocked('"', f);
		fwrite_unlocked(key, 1, (size_t)(p - (const unsigned char *)key), f);
		putc_unlocked('"', f);
	}
	fwrite_unlocked(": ", 1, 2, f);
	funlockfile(f);
}
