/*
 * fuzz_sysctl.c - libFuzzer harness for the sysctl parser ("sysctl" in
 * nl_parsers[]: sysctl -a listings): the input is one file, fed line by
 * line through open/line/close with a sink that aborts on any broken
 * invariant (fuzz.h).
 */
#include "natlog.h"
#include "parser.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nl_parser *p;
	if (!p)
		p = fz_find("sysctl");
	fz_parser(p, "sysctl_-a", data, size);
	return 0;
}
