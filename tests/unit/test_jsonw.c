/*
 * test_jsonw.c - JSON strings as every --json prints them: plain runs,
 * escapes, control bytes, UTF-8 kept and bytes that are not UTF-8.
 */
#include "natlog.h"
#include "jsonw.h"
#include "unit.h"

#include <stdlib.h>

static char *json_of(const char *s, int always)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f)
		return NULL;
	if (always)
		jw_str_always(f, s);
	else
		jw_str(f, s);
	fclose(f);
	return buf;
}

static void check_one(const char *in, int always, const char *want, int line)
{
	char *got = json_of(in, always);
	if (!got || strcmp(got, want) != 0)
		fprintf(stderr, "line %d:\n", line);
	CHECK_STR(got, want);
	free(got);
}

int main(void)
{
	char big[5000];
	char *got;
	check_one("plain text", 1, "\"plain text\"", __LINE__);
	check_one("", 1, "\"\"", __LINE__);
	check_one("", 0, "null", __LINE__);
	check_one(NULL, 0, "null", __LINE__);
	check_one("a\"b\\c", 1, "\"a\\\"b\\\\c\"", __LINE__);
	check_one("tab\there\nnl\rcr", 1, "\"tab\\there\\nnl\\rcr\"", __LINE__);
	check_one("\x01x\x1b[2J\x7f", 1, "\"\\u0001x\\u001b[2J\x7f\"", __LINE__);
	check_one("caf\xc3\xa9 \xe2\x82\xac", 1, "\"caf\xc3\xa9 \xe2\x82\xac\"", __LINE__);
	check_one("bad \xff\xc3 end", 1, "\"bad \\ufffd\\ufffd end\"", __LINE__);
	check_one("\xed\xa0\x80", 1, "\"\\ufffd\\ufffd\\ufffd\"", __LINE__);	/* a surrogate */
	check_one("\"", 1, "\"\\\"\"", __LINE__);
	/* a long run goes out whole */
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	got = json_of(big, 1);
	CHECK(got && strlen(got) == sizeof big + 1 && got[0] == '"' && got[sizeof big] == '"');
	free(got);
	return unit_report("test_jsonw");
}
