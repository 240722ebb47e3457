/*
 * fuzz_sections.c - libFuzzer harness for the parser of files that hold
 * many commands' output under headers ("sections" in nl_parsers[]: SUSE
 * supportconfig's network.txt and the like, Proxmox VE's pvereport): the
 * input is one file, fed line by line through open/line/close with a sink
 * that aborts on any broken invariant (fuzz.h). Its sections reach the
 * other parsers, each through its own interface.
 */
#include "natlog.h"
#include "parser.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nl_parser *p;
	if (!p)
		p = fz_find("sections");
	fz_parser(p, "network.txt", data, size);
	return 0;
}
