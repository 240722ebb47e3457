/*
 * test_rewind.c - the pieces of a monitor's rule events that the rebuild
 * of a packet's ruleset reads: where the rule text starts, rule text
 * compared without counters, and a put-back rule's matches.
 */
#include "natlog.h"
#include "parser.h"
#include "rewind.h"
#include "unit.h"

static void test_rule_start(void)
{
	/* nft 1.0.6, a rule of an `nft -f` batch: "handle 3" says where it went */
	CHECK_STR(rewind_rule_start("handle 3 tcp dport 80 accept # handle 4"),
		  "tcp dport 80 accept # handle 4");
	CHECK_STR(rewind_rule_start("tcp dport 22 accept # handle 5"), "tcp dport 22 accept # handle 5");
	/* a word that only starts like it is the rule's own */
	CHECK_STR(rewind_rule_start("handle x accept"), "handle x accept");
}

static void test_same_rule(void)
{
	const char *ev = "tcp dport 80 counter packets 0 bytes 0 accept # handle 4";
	const char *end = strstr(ev, " # handle 4");
	CHECK(rewind_same_rule("tcp dport 80 counter packets 12 bytes 720 accept", ev, end));
	CHECK(!rewind_same_rule("tcp dport 8080 counter packets 0 bytes 0 accept", ev, end));
	CHECK(!rewind_same_rule("tcp dport 80 counter packets 0 bytes 0 accept # handle 4", ev, end));
}

static void test_rule_from_text(void)
{
	struct nl_rule r;
	char big[1100];
	nl_rule_init(&r);
	CHECK_INT(nft_rule_from_text("tcp dport 22 accept", 19, &r), 0);
	CHECK_STR(r.text, "tcp dport 22 accept");
	CHECK_INT(r.dport_lo, 22);
	CHECK_INT(r.dport_hi, 22);
	CHECK_INT(r.proto, 6);
	CHECK_INT(r.handle, -1);	/* its place is the caller's */
	memset(big, 'a', sizeof big);
	CHECK_INT(nft_rule_from_text(big, sizeof big, &r), -1);
	CHECK_INT(nft_rule_from_text("ip saddr { 10.0.0.1 accept", 26, &r), -1);
}

int main(void)
{
	test_rule_start();
	test_same_rule();
	test_rule_from_text();
	return unit_report("test_rewind");
}
