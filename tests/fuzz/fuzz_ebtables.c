/*
 * fuzz_ebtables.c - libFuzzer harness for the ebtables parser ("ebtables"
 * in nl_parsers[]: `ebtables -L` listings, each table reported as not
 * read): the input is one file, fed line by line through open/line/close
 * with a sink that aborts on any broken invariant (fuzz.h).
 */
#include "natlog.h"
#include "parser.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nl_parser *p;
	if (!p)
		p = fz_find("ebtables");
	fz_parser(p, "ebtables_-t_nat_-L", data, size);
	return 0;
}
