/*
 * fuzz_nftjson.c - libFuzzer harness for the nft -j list ruleset JSON parser
 * ("nft-json" in nl_parsers[], the streaming yajl reader the import uses):
 * the input is one file, fed as the import feeds it (fuzz.h): line by
 * line, and a line over 64 bytes in pieces through part() first, so
 * tokens are cut anywhere; the sink aborts on any broken invariant.
 * Seeds: the lab's one-line dumps and nftables' pretty-printed ones.
 */
#include "natlog.h"
#include "parser.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nl_parser *p;
	if (!p)
		p = fz_find("nft-json");
	fz_parser(p, "nft-ruleset.json", data, size);
	return 0;
}
