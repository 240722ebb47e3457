/*
 * csvw.c - the CSV writer of csvw.h. Values are written as they come;
 * nothing is held per row, so an export streams whatever its size.
 */
#include "natlog.h"
#include "csvw.h"

#include <inttypes.h>
#include <string.h>

static void sep(FILE *f, int *first)
{
	if (!*first)
		fputc(',', f);
	*first = 0;
}

void cw_str(FILE *f, int *first, const char *s)
{
	sep(f, first);
	if (!s || !*s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void cw_num(FILE *f, int *first, int64_t v)
{
	sep(f, first);
	if (v >= 0)
		fprintf(f, "%" PRId64, v);
}

void cw_bool(FILE *f, int *first, int v)
{
	sep(f, first);
	if (v >= 0)
		fputs(v ? "true" : "false", f);
}

void cw_end(FILE *f)
{
	fputc('\n', f);
}

void cw_header(FILE *f, const char *names)
{
	fputs(names, f);
	fputc('\n', f);
}
