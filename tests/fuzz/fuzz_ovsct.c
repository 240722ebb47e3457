/*
 * fuzz_ovsct.c - libFuzzer harness for the Open vSwitch conntrack parser
 * ("ovs-conntrack" in nl_parsers[]: ovs-appctl dpctl/dump-conntrack): the
 * input is one file, fed line by line through open/line/close with a sink
 * that aborts on any broken invariant (fuzz.h); its name is the one
 * sosreport gives the userspace datapath's dump, so that path is read too.
 */
#include "natlog.h"
#include "parser.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nl_parser *p;
	if (!p)
		p = fz_find("ovs-conntrack");
	fz_parser(p, "ovs-appctl_dpctl.dump-conntrack_-m_netdev_ovs-netdev", data, size);
	return 0;
}
