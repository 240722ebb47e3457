/*
 * fuzz_conntrack.c - libFuzzer harness for the conntrack parser
 * ("conntrack" in nl_parsers[]: conntrack -L, -E, /proc/net/nf_conntrack):
 * the input is one file, fed line by line through open/line/close with a
 * sink that aborts on any broken invariant (fuzz.h).
 */
#include "natlog.h"
#include "parser.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nl_parser *p;
	if (!p)
		p = fz_find("conntrack");
	fz_parser(p, "conntrack-L.txt", data, size);
	return 0;
}
