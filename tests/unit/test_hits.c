/*
 * test_hits.c - a packet's list of the rules its traced lines name
 * (hits.c): each line once, what is no traced line left out, a name
 * holding a separator or a list past its room giving no list (the filter
 * then reads the lines), and --rule's test of a list, field by field.
 */
#include "hits.h"
#include "unit.h"

#include <stdint.h>

static struct nl_event line(enum nl_ev_kind kind, const char *fam, const char *tbl,
			    const char *chain, const char *type, int num, int64_t handle)
{
	struct nl_event ev;
	memset(&ev, 0, sizeof ev);
	ev.kind = kind;
	snprintf(ev.nft_family, sizeof ev.nft_family, "%s", fam);
	snprintf(ev.table, sizeof ev.table, "%s", tbl);
	snprintf(ev.chain, sizeof ev.chain, "%s", chain);
	snprintf(ev.type, sizeof ev.type, "%s", type);
	ev.rulenum = num;
	ev.handle = handle;
	return ev;
}

static void test_list(void)
{
	struct nl_hits h;
	struct nl_event a = line(NL_EV_TRACE, "", "nat", "DOCKER", "rule", 3, -1);
	struct nl_event b = line(NL_EV_NFTRACE, "inet", "filter", "forward", "policy", 0, -1);
	struct nl_event log = line(NL_EV_LOG, "", "filter", "INPUT", "", 0, -1);
	struct nl_event pkt = line(NL_EV_NFPACKET, "inet", "filter", "forward", "packet", 0, -1);
	nl_hits_init(&h);
	nl_hits_add(&h, &a);
	nl_hits_add(&h, &b);
	nl_hits_add(&h, &a);	/* once */
	nl_hits_add(&h, &log);	/* no traced line */
	nl_hits_add(&h, &pkt);
	CHECK_STR(h.s, "t\x1f\x1fnat\x1f" "DOCKER\x1frule\x1f" "3\x1e"
		       "n\x1finet\x1f" "filter\x1f" "forward\x1fpolicy\x1f\x1e");
	CHECK_INT(h.len, strlen(h.s));
	CHECK_INT(h.bad, 0);

	/* a separator in a name: no list, and the list so far stays a string */
	b = line(NL_EV_NFTRACE, "inet", "filter", "for\x1fward", "rule", 0, 7);
	nl_hits_add(&h, &b);
	CHECK_INT(h.bad, 1);
	CHECK_INT(strlen(h.s), h.len);

	/* past its room */
	nl_hits_init(&h);
	for (int i = 0; i < 200 && !h.bad; i++) {
		char chain[32];
		snprintf(chain, sizeof chain, "KUBE-SVC-%020d", i);
		b = line(NL_EV_NFTRACE, "ip", "nat", chain, "rule", 0, i);
		nl_hits_add(&h, &b);
	}
	CHECK_INT(h.bad, 1);
	CHECK(h.len < NL_HITS);
}

static void test_match(void)
{
	static const char s[] = "t\x1f\x1fnat\x1f" "DOCKER\x1frule\x1f" "3\x1e"
				"n\x1finet\x1f" "filter\x1f" "forward\x1fpolicy\x1f\x1e"
				"n\x1finet\x1f" "filter\x1f" "allowed\x1frule\x1f" "12\x1e";
	/* legacy: by number */
	CHECK(nl_hits_match(s, NULL, "nat", "DOCKER", "rule", 3, -1, NULL));
	CHECK(!nl_hits_match(s, NULL, "nat", "DOCKER", "rule", 4, -1, NULL));
	CHECK(nl_hits_match(s, NULL, "nat", "DOCKER", NULL, -1, -1, NULL));
	CHECK(!nl_hits_match(s, "inet", "nat", "DOCKER", NULL, -1, -1, NULL));	/* no family */
	CHECK(!nl_hits_match(s, NULL, "nat", "DOCKER", NULL, -1, 3, NULL));	/* no handle */
	/* nft: by handle, a position through the dump's handles, a policy
	 * whatever its number */
	CHECK(nl_hits_match(s, NULL, NULL, NULL, NULL, -1, 12, NULL));
	CHECK(nl_hits_match(s, "inet", "filter", "allowed", NULL, -1, 12, NULL));
	CHECK(!nl_hits_match(s, "ip", "filter", "allowed", NULL, -1, 12, NULL));
	CHECK(nl_hits_match(s, NULL, "filter", "allowed", "rule", 2, -1, "inet\x1f" "12"));
	CHECK(nl_hits_match(s, NULL, "filter", "allowed", "rule", 2, -1, "ip\x1f" "9\x1einet\x1f" "12"));
	CHECK(!nl_hits_match(s, NULL, "filter", "allowed", "rule", 2, -1, "ip\x1f" "12"));
	CHECK(!nl_hits_match(s, NULL, "filter", "allowed", "rule", 2, -1, NULL));
	CHECK(nl_hits_match(s, NULL, "filter", "forward", "policy", 7, -1, NULL));
	CHECK(nl_hits_match(s, NULL, "filter", "forward", NULL, 7, -1, NULL));
	CHECK(!nl_hits_match(s, NULL, "filter", "forward", NULL, -1, 0, NULL));	/* no handle */
	CHECK(!nl_hits_match(s, NULL, "filter", "INPUT", NULL, -1, -1, NULL));
	/* what hits.c did not write matches nothing */
	CHECK(!nl_hits_match("t\x1fnat", NULL, NULL, NULL, NULL, -1, -1, NULL));
	CHECK(!nl_hits_match("", NULL, NULL, NULL, NULL, -1, -1, NULL));
	CHECK(!nl_hits_match(s, NULL, NULL, NULL, NULL, -1, 99999999999999999LL, NULL));
}

int main(void)
{
	test_list();
	test_match();
	return unit_report("test_hits");
}
