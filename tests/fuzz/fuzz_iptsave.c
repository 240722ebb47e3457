/*
 * fuzz_iptsave.c - libFuzzer harness for the iptables-save / ip6tables-save parser
 * ("iptables-save" in nl_parsers[]):
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
		p = fz_find("iptables-save");
	/* the file name gives the family */
	fz_parser(p, "iptables-save.txt", data, size);
	fz_parser(p, "ip6tables-save.txt", data, size);
	return 0;
}
