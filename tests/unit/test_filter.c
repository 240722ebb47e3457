/*
 * test_filter.c - the shared filter options (filter.c) and the CSV writer
 * (csvw.c): addresses and CIDR prefixes, rules as natlog prints them, and
 * RFC 4180 quoting; what cannot be read is refused.
 */
#include "natlog.h"
#include "csvw.h"
#include "filter.h"
#include "unit.h"

#include <stdlib.h>

static const char *addr(const char *in)
{
	static char out[NL_ADDRSIZ + 8];
	return nl_filter_parse_addr(in, out, sizeof out) ? "(refused)" : out;
}

static void test_addr(void)
{
	CHECK_STR(addr("10.77.2.2"), "10.77.2.2");
	CHECK_STR(addr("10.77.2.0/24"), "10.77.2.0/24");
	CHECK_STR(addr("10.77.2.2/32"), "10.77.2.2");
	CHECK_STR(addr("fd00:0077:0002::/48"), "fd00:77:2::/48");
	CHECK_STR(addr("fd00:77:2::10/128"), "fd00:77:2::10");
	CHECK_STR(addr("10.77.2.0/33"), "(refused)");
	CHECK_STR(addr("fd00::/129"), "(refused)");
	CHECK_STR(addr("10.77.2"), "(refused)");
	CHECK_STR(addr("10.77.2.0/"), "(refused)");
	CHECK_STR(addr("10.77.2.0/255.255.255.0"), "(refused)");
	CHECK_STR(addr(""), "(refused)");
	CHECK(nl_filter_addr_match("10.77.2.0/24", "10.77.2.200"));
	CHECK(!nl_filter_addr_match("10.77.2.0/24", "10.77.3.1"));
	CHECK(nl_filter_addr_match("fd00:77::/32", "fd00:77:2::10"));
	CHECK(!nl_filter_addr_match("fd00:77::/32", "10.77.2.1"));
	CHECK(nl_filter_addr_match("10.77.2.2", "10.77.2.2"));
	CHECK(!nl_filter_addr_match("10.77.2.2", ""));
}

/* The rule as "family|table|chain|type|num|handle", or "(refused)". */
static const char *rule(const char *in)
{
	static char out[512];
	char buf[256];
	struct nl_rule_filter r;
	if (nl_filter_parse_rule(in, buf, sizeof buf, &r))
		return "(refused)";
	snprintf(out, sizeof out, "%s|%s|%s|%s|%lld|%lld", r.family ? r.family : "-",
		 r.table ? r.table : "-", r.chain ? r.chain : "-", r.type ? r.type : "-",
		 (long long)r.num, (long long)r.handle);
	return out;
}

static void test_rule(void)
{
	CHECK_STR(rule("filter:FORWARD:policy:7"), "-|filter|FORWARD|policy|7|-1");
	CHECK_STR(rule("nat:DOCKER:rule:3"), "-|nat|DOCKER|rule|3|-1");
	CHECK_STR(rule("nat:DOCKER"), "-|nat|DOCKER|-|-1|-1");
	CHECK_STR(rule("filter:FORWARD:policy"), "-|filter|FORWARD|policy|-1|-1");
	CHECK_STR(rule("handle:12"), "-|-|-|-|-1|12");
	CHECK_STR(rule("inet:filter:forward:handle:12"), "inet|filter|forward|-|-1|12");
	CHECK_STR(rule("inet:filter:forward:rule:2"), "inet|filter|forward|rule|2|-1");
	CHECK_STR(rule("inet filter:forward:policy:3"), "inet|filter|forward|policy|3|-1");
	CHECK_STR(rule("ip6:nat:prerouting"), "ip6|nat|prerouting|-|-1|-1");
	/* a legacy table named like a family is still a table when a type follows */
	CHECK_STR(rule("ip:foo:rule"), "-|ip|foo|rule|-1|-1");
	CHECK_STR(rule("filter"), "(refused)");
	CHECK_STR(rule(""), "(refused)");
	CHECK_STR(rule("filter::rule:1"), "(refused)");
	CHECK_STR(rule("filter:FORWARD:polcy:7"), "(refused)");
	CHECK_STR(rule("filter:FORWARD:rule:x"), "(refused)");
	CHECK_STR(rule("filter:FORWARD:rule:1:2"), "(refused)");
	CHECK_STR(rule("handle:"), "(refused)");
	CHECK_STR(rule("handle:-1"), "(refused)");
	CHECK_STR(rule("inet:filter:forward:handle"), "(refused)");
	CHECK_STR(rule("bogus filter:forward"), "(refused)");
}

static void test_csv(void)
{
	char buf[256];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	int first = 1;
	cw_str(f, &first, "plain");
	cw_str(f, &first, "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
	cw_str(f, &first, "LOG \"fw-drop: \"");
	cw_str(f, &first, NULL);
	cw_num(f, &first, -1);
	cw_num(f, &first, 42);
	cw_bool(f, &first, 1);
	cw_str(f, &first, "two\nlines");
	cw_end(f);
	fclose(f);
	CHECK_STR(buf, "plain,\"-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\","
		       "\"LOG \"\"fw-drop: \"\"\",,,42,true,\"two\nlines\"\n");
}

int main(void)
{
	test_addr();
	test_rule();
	test_csv();
	return unit_report("test_filter");
}
