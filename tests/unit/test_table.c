/*
 * test_table.c - the table writer (src/table.c): display widths, cutting
 * with a marker, columns fitted to a width by priority, optional columns
 * left out, whole values when no width is given; and the times tables
 * show (nl_time_show).
 */
#include "natlog.h"
#include "table.h"
#include "timespec.h"
#include "unit.h"

#include <stdlib.h>

static const struct nl_tcol cols[] = {
	{ "ID", 4, 99, 9, 0, 0 },
	{ "N", 3, 0, 9, NL_TBL_RIGHT, 0 },
	{ "TEXT", 0, 6, 1, 0, 0 },
};

/* the table's output for these rows at width */
static char *render(const struct nl_tcol *c, int nc, int width, const char *const *cells, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct nl_table *t = nl_table_new(f, c, nc, width);
	int i;
	for (i = 0; i < n; i++) {
		nl_table_cell(t, cells[i]);
		if ((i + 1) % nc == 0)
			nl_table_row(t);
	}
	nl_table_finish(t);
	fclose(f);
	return buf;
}

static void test_width(void)
{
	CHECK_INT(nl_display_width("abc"), 3);
	CHECK_INT(nl_display_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);	/* two wide characters */
	CHECK_INT(nl_display_width("e\xcc\x81"), 1);			/* e + combining acute */
	CHECK_STR(nl_fit("abcdefgh", 5, 0), "abcd~");
	CHECK_STR(nl_fit("abcdefgh", 5, 1), "~efgh");
	CHECK_STR(nl_fit("abc", 5, 0), "abc");
	/* a wide character is not split: 3 columns hold one of them and the marker */
	CHECK_STR(nl_fit("\xe6\x97\xa5\xe6\x9c\xac", 3, 0), "\xe6\x97\xa5~");
	/* escaped first, then measured: the escape counts its four columns */
	CHECK_STR(nl_fit("a\033b", 10, 0), "a\\x1bb");
	CHECK_STR(nl_fit("a\033bcdef", 6, 0), "a\\x1b~");
	/* cut at the start, a word is not kept in part */
	CHECK_STR(nl_fit("Nov21 15:26:00", 10, 1), "~15:26:00");
}

static void test_whole(void)
{
	static const char *const rows[] = { "a", "7", "short", "bbbbbb", "12345", "a longer text" };
	char *out = render(cols, 3, 0, rows, 6);
	/* the preferred widths when the values fit them, else the values' */
	CHECK_STR(out, "ID         N TEXT\n"
		       "a          7 short\n"
		       "bbbbbb 12345 a longer text\n");
	free(out);
}

static void test_fitted(void)
{
	static const char *const rows[] = { "a", "7", "a text of thirty characters ..",
					    "bb", "12", "x" };
	char *out = render(cols, 3, 20, rows, 6);
	/* padding goes first; the id and the number stay whole, the text is cut
	 * to the rest */
	CHECK_STR(out, "ID  N TEXT\n"
		       "a   7 a text of thi~\n"
		       "bb 12 x\n");
	free(out);
}

static void test_optional(void)
{
	static const struct nl_tcol c[] = {
		{ "A", 0, 99, 9, 0, 0 },
		{ "B", 0, 3, 1, 0, 0 },
		{ "C", 0, 99, 0, NL_TBL_OPTIONAL, 0 },
	};
	static const char *const rows[] = { "aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc" };
	char *out = render(c, 3, 24, rows, 3);
	/* C would fit only if B were cut: C goes first, B stays whole */
	CHECK_STR(out, "A          B\naaaaaaaaaa bbbbbbbbbb\n");
	free(out);
	out = render(c, 3, 40, rows, 3);
	CHECK_STR(out, "A          B          C\naaaaaaaaaa bbbbbbbbbb cccccccccc\n");
	free(out);
}

static void test_times(void)
{
	char b[64];
	nl_time_show("Sat Nov 21 15:25:58 2026", 1, b, sizeof b);
	CHECK_STR(b, "Nov21 15:25:58");
	nl_time_show("Sat Nov 21 15:25:58 2026", 0, b, sizeof b);
	CHECK_STR(b, "Sat Nov 21 15:25:58 2026");
	nl_time_show("Nov  1 01:02:03", 1, b, sizeof b);
	CHECK_STR(b, "Nov01 01:02:03");
	nl_time_show("2026-11-21T15:25:58.967891+01:00", 1, b, sizeof b);
	CHECK_STR(b, "Nov21 15:25:58.96");
	nl_time_show("1795274758.543643", 0, b, sizeof b);
	CHECK_STR(b, "2026-11-21 15:25:58.543643");
	nl_time_show("1795274758.543643", 1, b, sizeof b);
	CHECK_STR(b, "Nov21 15:25:58.54");
	nl_time_show("1569.565574", 1, b, sizeof b);
	CHECK_STR(b, "1569.56");
	nl_time_show("1569.565574", 0, b, sizeof b);
	CHECK_STR(b, "1569.565574");
	nl_time_show("", 1, b, sizeof b);
	CHECK_STR(b, "-");
}

int main(void)
{
	setenv("LC_ALL", "C", 1);	/* the marker is '~' */
	setenv("TZ", "UTC", 1);
	test_width();
	test_whole();
	test_fitted();
	test_optional();
	test_times();
	return unit_report("test_table");
}
