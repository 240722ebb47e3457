/*
 * fuzz_iptlist.c - libFuzzer harness for the iptables -L listing parser
 * ("iptables-list" in nl_parsers[]):
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
		p = fz_find("iptables-list");
	/* the file name may give the table and the family */
	fz_parser(p, "iptables-L.txt", data, size);
	fz_parser(p, "sos_commands/networking/ip6tables_-t_nat_-nvL", data, size);
	return 0;
}
