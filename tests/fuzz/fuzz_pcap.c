/*
 * fuzz_pcap.c - libFuzzer harness for the capture parser ("pcap" in
 * nl_parsers[]: pcap and pcapng): as src/ingest.c does, probe_bytes looks
 * at the input and, when it says 2, open/read_stream/close read it from a
 * FILE (fmemopen over a copy), with a sink that aborts on any broken
 * invariant (fuzz.h).
 */
#include "natlog.h"
#include "parser.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nl_parser *p;
	if (!p)
		p = fz_find("pcap");
	fz_parser(p, "capture.pcap", data, size);
	return 0;
}
