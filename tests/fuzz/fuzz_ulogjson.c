/*
 * fuzz_ulogjson.c - libFuzzer harness for ulogd2's JSON output parser
 * ("ulogd-json" in nl_parsers[]): the input is one file, fed line by line
 * through open/line/close with a sink that aborts on any broken invariant
 * (fuzz.h).
 */
#include "natlog.h"
#include "parser.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nl_parser *p;
	if (!p)
		p = fz_find("ulogd-json");
	fz_parser(p, "ulogd.json", data, size);
	return 0;
}
