/*
 * test_escape.c - nl_esc(), the escaping of input text before it reaches
 * a terminal: control bytes, C1 controls, bidi overrides and invalid UTF-8
 * become \xNN; printable ASCII and valid UTF-8 stay as they are.
 */
#include "natlog.h"
#include "unit.h"

static void test_controls(void)
{
	CHECK_STR(nl_esc("eth0"), "eth0");
	CHECK_STR(nl_esc("a\033]0;pwned\007b"), "a\\x1b]0;pwned\\x07b");
	CHECK_STR(nl_esc("\033[2J"), "\\x1b[2J");
	CHECK_STR(nl_esc("tab\there\r\n"), "tab\\x09here\\x0d\\x0a");
	CHECK_STR(nl_esc("del\177"), "del\\x7f");
	CHECK_STR(nl_esc(NULL), "");
	CHECK_STR(nl_escn("ab\0cd", 5), "ab");
	CHECK_STR(nl_escn("abcd", 2), "ab");
}

static void test_utf8(void)
{
	CHECK_STR(nl_esc("Grüße, 日本, 😀"), "Grüße, 日本, 😀");
	CHECK_STR(nl_esc("csi\xc2\x9b" "2J"), "csi\\xc2\\x9b2J");	/* U+009B, a C1 CSI */
	CHECK_STR(nl_esc("\xe2\x80\xae" "txt"), "\\xe2\\x80\\xaetxt");	/* U+202E */
	CHECK_STR(nl_esc("bad\xff\xfe"), "bad\\xff\\xfe");
	CHECK_STR(nl_esc("cut\xe6\x97"), "cut\\xe6\\x97");
	CHECK_STR(nl_esc("\xc0\xaf"), "\\xc0\\xaf");		/* overlong '/' */
	CHECK_STR(nl_esc("\xed\xa0\x80"), "\\xed\\xa0\\x80");	/* a surrogate */
}

static void test_ring_and_cut(void)
{
	static char big[20000];
	const char *a = nl_esc("one"), *b = nl_esc("two");
	size_t n;
	CHECK_STR(a, "one");	/* several results live at once */
	CHECK_STR(b, "two");
	memset(big, '\033', sizeof big - 1);
	n = strlen(nl_esc(big));
	CHECK(n < 8192);
	CHECK_STR(nl_esc(big) + n - 3, "...");
}

int main(void)
{
	test_controls();
	test_utf8();
	test_ring_and_cut();
	return unit_report("test_escape");
}
