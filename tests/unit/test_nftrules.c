/*
 * test_nftrules.c - nftables ruleset dumps: `nft list ruleset` with and
 * without -a, and `nft -j list ruleset`, all three made from one ruleset
 * (testdata/nft/README). The text and JSON parsers must agree; malformed
 * lines are reported and skipped. Run from the repository root.
 */
#include "natlog.h"
#include "parser.h"
#include "unit.h"
#include "capture.h"

#include <jansson.h>

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	long n;
	if (!f) {
		fprintf(stderr, "cannot open '%s' (run from the repository root)\n", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (b = malloc((size_t)n + 1)) != NULL) {
		size_t got = fread(b, 1, (size_t)n, f);
		b[got] = '\0';
	}
	fclose(f);
	return b;
}

/* Captures of the three real dumps, kept side by side. */
static struct capture text_a, text_plain, json;

static const struct nl_rule *rule_at(const struct capture *c, const char *family, const char *table,
				     const char *chain, int pos)
{
	int i;
	for (i = 0; i < c->nrule; i++)
		if (!strcmp(c->rule[i].family, family) && !strcmp(c->rule[i].table, table) &&
		    !strcmp(c->rule[i].chain, chain) && c->rule[i].position == pos)
			return &c->rule[i];
	fprintf(stderr, "no rule %s %s %s #%d\n", family, table, chain, pos);
	return NULL;
}

static int chain_idx(const struct capture *c, const char *family, const char *table, const char *name)
{
	int i;
	for (i = 0; i < c->nchain; i++)
		if (!strcmp(c->chain_family[i], family) && !strcmp(c->chain_table[i], table) &&
		    !strcmp(c->chain[i], name))
			return i;
	fprintf(stderr, "no chain %s %s %s\n", family, table, name);
	return 0;
}

static int set_idx(const struct capture *c, const char *name)
{
	int i;
	for (i = 0; i < c->nset; i++)
		if (!strcmp(c->set[i].name, name))
			return i;
	fprintf(stderr, "no set %s\n", name);
	return 0;
}

/* The elements of one set, "key" or "key => value", joined with "; ". */
static const char *elems_of(const struct capture *c, const char *set, char *buf, size_t n)
{
	int i;
	size_t used = 0;
	buf[0] = '\0';
	for (i = 0; i < c->nelem; i++) {
		int w;
		if (strcmp(c->elem[i].set, set) != 0)
			continue;
		w = snprintf(buf + used, n - used, "%s%s%s%s", used ? "; " : "", c->elem[i].key,
			     c->elem[i].has_value ? " => " : "", c->elem[i].value);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	return buf;
}

#define RULE(c, f, t, ch, p)                                                  \
	const struct nl_rule *r_ = rule_at((c), (f), (t), (ch), (p));          \
	static struct nl_rule none_;                                          \
	const struct nl_rule *r = r_ ? r_ : &none_;                           \
	CHECK(r_ != NULL)

static void load(void)
{
	char *s;
	if ((s = slurp("testdata/nft/ruleset-a.nft")) != NULL) {
		text_a = *feed(&nl_parser_nftrules, "ruleset-a.nft", s);
		free(s);
	}
	if ((s = slurp("testdata/nft/ruleset.nft")) != NULL) {
		text_plain = *feed(&nl_parser_nftrules, "ruleset.nft", s);
		free(s);
	}
	if ((s = slurp("testdata/nft/ruleset.json")) != NULL) {
		json = *feed(&nl_parser_nftjson, "ruleset.json", s);
		free(s);
	}
}

static void test_chains(void)
{
	const struct capture *c = &text_a;
	int i;

	CHECK_INT(c->nerr, 0);
	CHECK_INT(c->nruleset, 1);
	CHECK_STR(c->ruleset_kind[0], "nft-ruleset");
	CHECK_INT(c->ruleset_family[0], 0);
	CHECK_INT(c->nchain, 19);

	i = chain_idx(c, "inet", "trace_debug", "trace_pre");
	CHECK_STR(c->ctype[i], "filter");
	CHECK_STR(c->hook[i], "prerouting");
	CHECK_INT(c->prio[i], -200000);
	CHECK_INT(c->has_prio[i], 1);
	CHECK_STR(c->policy[i], "accept");
	CHECK_INT(c->builtin[i], 1);
	CHECK_INT(c->chain_handle[i], 1);

	i = chain_idx(c, "inet", "filter", "input");	/* priority filter - 10 */
	CHECK_INT(c->prio[i], -10);
	CHECK_STR(c->policy[i], "accept");
	i = chain_idx(c, "inet", "filter", "forward");
	CHECK_STR(c->hook[i], "forward");
	CHECK_INT(c->prio[i], 0);
	CHECK_STR(c->policy[i], "drop");
	CHECK_INT(c->chain_handle[i], 2);
	i = chain_idx(c, "inet", "filter", "allowed_dnats");	/* comment line first */
	CHECK_INT(c->builtin[i], 0);
	CHECK_INT(c->has_prio[i], 0);
	CHECK_STR(c->hook[i], "");
	CHECK_STR(c->policy[i], "");
	CHECK_INT(c->chain_handle[i], 3);
	i = chain_idx(c, "inet", "filter", "outgoing");	/* loaded as 50, printed "security" */
	CHECK_INT(c->prio[i], 50);
	i = chain_idx(c, "ip", "nat", "prerouting");
	CHECK_STR(c->ctype[i], "nat");
	CHECK_INT(c->prio[i], -100);
	i = chain_idx(c, "ip", "nat", "postrouting");	/* srcnat + 5 */
	CHECK_INT(c->prio[i], 105);
	i = chain_idx(c, "inet", "nat", "prerouting");	/* dstnat + 5 */
	CHECK_INT(c->prio[i], -95);
	i = chain_idx(c, "ip6", "f6", "in");
	CHECK_STR(c->policy[i], "drop");
	/* the bridge family has its own names: dstnat -300, filter -200, out 100, srcnat 300 */
	CHECK_INT(c->prio[chain_idx(c, "bridge", "br", "prerouting")], -300);
	CHECK_INT(c->prio[chain_idx(c, "bridge", "br", "forward")], -200);
	CHECK_INT(c->prio[chain_idx(c, "bridge", "br", "output")], 100);
	CHECK_INT(c->prio[chain_idx(c, "bridge", "br", "postrouting")], 297);
	i = chain_idx(c, "netdev", "nd", "ingress");	/* device "lo" priority -500 */
	CHECK_STR(c->hook[i], "ingress");
	CHECK_INT(c->prio[i], -500);
	i = chain_idx(c, "ip", "filter", "INPUT");	/* after the iptables-nft warning */
	CHECK_STR(c->hook[i], "input");
	CHECK_INT(c->builtin[i], 1);
}

static void test_rules(void)
{
	const struct capture *c = &text_a;

	CHECK_INT(c->nrule, 84);
	{
		RULE(c, "inet", "trace_debug", "trace_pre", 1);
		CHECK_INT(r->handle, 2);
		CHECK_STR(r->text, "ip daddr 10.1.2.3 tcp dport 1222 tcp flags syn limit rate 6/minute meta nftrace set 1");
		CHECK_STR(r->target, "");
		CHECK_INT(r->uncond, 0);
		CHECK_STR(r->dst, "10.1.2.3");
		CHECK_INT(r->proto, 6);
		CHECK_INT(r->dport_lo, 1222);
		CHECK_INT(r->dport_hi, 1222);
	}
	{
		RULE(c, "inet", "filter", "forward", 2);
		CHECK_INT(r->handle, 37);
		CHECK_STR(r->text, "ct status dnat jump allowed_dnats");
		CHECK_STR(r->target, "jump");
		CHECK_STR(r->target_arg, "allowed_dnats");
		CHECK_INT(r->is_goto, 0);
		CHECK_INT(r->uncond, 0);
		CHECK_INT(r->proto, -1);
	}
	{
		RULE(c, "inet", "filter", "forward", 3);
		CHECK_STR(r->oif, "eth0");
		CHECK_STR(r->dst, "10.1.2.3");
		CHECK_INT(r->dport_lo, 22);
		CHECK_STR(r->target, "accept");
	}
	{
		RULE(c, "inet", "filter", "forward", 6);
		CHECK_STR(r->text, "counter packets 0 bytes 0 log prefix \"fwd drop: \" level info");
		CHECK_INT(r->uncond, 1);
		CHECK_STR(r->target, "log");
		CHECK_STR(r->target_arg, "fwd drop: ");
	}
	{
		RULE(c, "inet", "filter", "allowed_dnats", 1);
		CHECK_INT(r->handle, 42);
		CHECK_STR(r->text, "ip daddr . tcp dport @allow_in accept");
		CHECK_STR(r->target, "accept");
		CHECK_STR(r->dst, "");	/* a set lookup is not a plain match */
		CHECK_INT(r->dport_lo, -1);
		CHECK_INT(r->proto, 6);
		CHECK_INT(r->uncond, 0);
	}
	{
		RULE(c, "inet", "filter", "allowed_dnats", 2);
		CHECK_STR(r->text, "counter packets 0 bytes 0 drop comment \"not allowed\"");
		CHECK_STR(r->target, "drop");
		CHECK_INT(r->uncond, 1);
	}
	{
		RULE(c, "inet", "filter", "input", 1);
		CHECK_STR(r->iif, "lo");
		CHECK_INT(r->iif_neg, 0);
	}
	{
		RULE(c, "inet", "filter", "input", 4);	/* handle 21 went to the anonymous set */
		CHECK_INT(r->handle, 22);
		CHECK_STR(r->text, "tcp dport { 22, 80 } accept");
		CHECK_INT(r->proto, 6);
		CHECK_INT(r->dport_lo, -1);
	}
	{
		RULE(c, "inet", "filter", "input", 6);
		CHECK_STR(r->text, "tcp dport vmap @svc_vmap");
		CHECK_STR(r->target, "");
		CHECK_INT(r->uncond, 0);
	}
	{
		RULE(c, "inet", "filter", "input", 7);	/* loaded with "meta l4proto tcp" in front */
		CHECK_STR(r->text, "tcp dport 1000-2000 log prefix \"x: \" flags all");
		CHECK_INT(r->dport_lo, 1000);
		CHECK_INT(r->dport_hi, 2000);
		CHECK_STR(r->target, "log");
		CHECK_STR(r->target_arg, "x: ");
	}
	{
		RULE(c, "inet", "filter", "input", 8);
		CHECK_INT(r->proto, 17);
		CHECK_INT(r->sport_lo, 53);
		CHECK_INT(r->dport_lo, -1);
	}
	{
		RULE(c, "inet", "filter", "input", 9);
		CHECK_STR(r->text, "ip protocol icmp accept");
		CHECK_INT(r->proto, 1);
	}
	{
		RULE(c, "inet", "filter", "input", 10);
		CHECK_STR(r->text, "iifname \"eth*\" tcp dport != 22 counter name \"http_hits\" drop");
		CHECK_STR(r->iif, "eth+");
		CHECK_INT(r->dport_lo, 22);
		CHECK_INT(r->dport_neg, 1);
		CHECK_INT(r->proto, 6);
		CHECK_INT(r->proto_neg, 0);
	}
	{
		RULE(c, "inet", "filter", "input", 11);
		CHECK_STR(r->text, "ip saddr != 10.0.0.0/8 counter packets 0 bytes 0 drop comment \"not internal\"");
		CHECK_STR(r->src, "10.0.0.0/8");
		CHECK_INT(r->src_neg, 1);
		CHECK_STR(r->target, "drop");
	}
	{
		RULE(c, "inet", "filter", "input", 12);
		CHECK_STR(r->text, "add @seen { ip saddr }");
		CHECK_INT(r->uncond, 1);
		CHECK_STR(r->src, "");
	}
	{
		RULE(c, "inet", "filter", "input", 14);
		CHECK_STR(r->src, "fd00::/8");
		CHECK_INT(r->proto, 58);
	}
	{
		RULE(c, "inet", "filter", "input", 17);
		CHECK_STR(r->text, "counter packets 0 bytes 0");
		CHECK_INT(r->uncond, 1);
		CHECK_STR(r->target, "");
	}
	{
		RULE(c, "inet", "filter", "web", 1);
		CHECK_STR(r->target, "reject");
		CHECK_STR(r->target_arg, "tcp reset");
		CHECK_INT(r->dport_neg, 1);
	}
	{
		RULE(c, "inet", "filter", "web", 3);
		CHECK_STR(r->target, "continue");
		CHECK_INT(r->uncond, 1);
	}
	{
		RULE(c, "inet", "filter", "outgoing", 1);	/* loaded as meta oifname "lo" */
		CHECK_STR(r->text, "oifname \"lo\" accept");
		CHECK_STR(r->oif, "lo");
	}
	{
		RULE(c, "inet", "filter", "outgoing", 2);
		CHECK_STR(r->target, "goto");
		CHECK_STR(r->target_arg, "web");
		CHECK_INT(r->is_goto, 1);
		CHECK_INT(r->uncond, 1);
	}
	{
		RULE(c, "inet", "filter", "misc", 4);
		CHECK_STR(r->iif, "lo");
		CHECK_INT(r->iif_neg, 1);
		CHECK_STR(r->dst, "");	/* 10.0.0.1-10.0.0.9 is not a prefix */
	}
	{
		RULE(c, "inet", "filter", "misc", 8);	/* loaded with "meta nfproto ipv4" */
		CHECK_STR(r->text, "reject with icmp host-unreachable");
		CHECK_STR(r->target_arg, "icmp host-unreachable");
		CHECK_INT(r->uncond, 1);
	}
	{
		RULE(c, "inet", "filter", "misc", 10);
		CHECK_STR(r->text, "limit rate over 10 mbytes/second burst 20 mbytes drop");
		CHECK_INT(r->uncond, 0);
		CHECK_STR(r->target, "drop");
	}
	{
		RULE(c, "inet", "filter", "misc", 13);
		CHECK_STR(r->text, "th dport 53 accept");
		CHECK_INT(r->proto, -1);
		CHECK_INT(r->dport_lo, 53);
	}
	{
		RULE(c, "inet", "filter", "misc", 16);
		CHECK_INT(r->proto, 6);
		CHECK_INT(r->proto_neg, 1);
	}
	{
		RULE(c, "inet", "filter", "misc", 19);
		CHECK_STR(r->text, "tcp flags syn / fin,syn,rst,ack accept");
	}
	{
		RULE(c, "inet", "filter", "misc", 27);
		CHECK_STR(r->text, "tcp dport < 1024 accept");
		CHECK_INT(r->dport_lo, 0);
		CHECK_INT(r->dport_hi, 1023);
	}
	{
		RULE(c, "inet", "filter", "misc", 29);
		CHECK_STR(r->text, "ct original ip saddr 10.0.0.1 accept");
		CHECK_STR(r->src, "");	/* the conntrack tuple, not the packet */
	}
	{
		RULE(c, "inet", "filter", "misc", 34);	/* "# handle" inside the comment */
		CHECK_INT(r->handle, 86);
		CHECK_STR(r->text, "tcp dport 22 ct state new counter packets 0 bytes 0 log prefix \"a b\" accept comment \"x # handle 3\"");
		CHECK_STR(r->target, "accept");
	}
	{
		RULE(c, "ip", "nat", "prerouting", 1);
		CHECK_INT(r->handle, 5);
		CHECK_STR(r->text, "ip daddr 10.1.2.3 tcp dport 1222 dnat to 192.168.70.10:22");
		CHECK_STR(r->target, "dnat");
		CHECK_STR(r->target_arg, "192.168.70.10:22");
		CHECK_STR(r->dst, "10.1.2.3");
		CHECK_INT(r->dport_lo, 1222);
		CHECK_INT(r->proto, 6);
	}
	{
		RULE(c, "ip", "nat", "prerouting", 2);	/* "dnat ip to" even in an ip table */
		CHECK_STR(r->text, "dnat ip to ip daddr . tcp dport map @dnat_map");
		CHECK_STR(r->target_arg, "ip daddr . tcp dport map @dnat_map");
		CHECK_INT(r->uncond, 1);
	}
	{
		RULE(c, "ip", "nat", "postrouting", 1);
		CHECK_STR(r->target, "masquerade");
		CHECK_STR(r->target_arg, "");
		CHECK_STR(r->oif, "eth0");
	}
	{
		RULE(c, "ip", "nat", "postrouting", 2);
		CHECK_STR(r->target_arg, ":1024-2048");
		CHECK_INT(r->proto, 17);
	}
	{
		RULE(c, "ip", "nat", "postrouting", 3);
		CHECK_STR(r->target, "snat");
		CHECK_STR(r->target_arg, "203.0.113.1");
		CHECK_STR(r->src, "10.0.0.0/8");
		CHECK_STR(r->oif, "eth1");
	}
	{
		RULE(c, "ip", "nat", "postrouting", 4);
		CHECK_STR(r->target_arg, "203.0.113.2-203.0.113.9:1024-2048");
	}
	{
		RULE(c, "ip", "nat", "output", 1);
		CHECK_STR(r->text, "tcp dport 80 redirect to :8080");
		CHECK_STR(r->target, "redirect");
		CHECK_STR(r->target_arg, ":8080");
	}
	{
		RULE(c, "inet", "nat", "prerouting", 1);	/* the seeds' rule */
		CHECK_STR(r->text, "ip daddr 10.1.2.3 tcp dport 1222 dnat ip to 192.168.70.10:22");
		CHECK_STR(r->target_arg, "192.168.70.10:22");
	}
	{
		RULE(c, "inet", "nat", "prerouting", 2);
		CHECK_STR(r->target_arg, "[fd00::2]:8080");
		CHECK_STR(r->dst, "fd00::1");
	}
	{
		RULE(c, "ip6", "f6", "in", 1);
		CHECK_STR(r->src, "fd00::/8");
		CHECK_STR(r->dst, "fd00::1");
		CHECK_INT(r->dst_neg, 1);
	}
	{
		RULE(c, "bridge", "br", "forward", 1);
		CHECK_STR(r->family, "bridge");
		CHECK_STR(r->iif, "veth0");
		CHECK_INT(r->proto, 17);
	}
	{
		RULE(c, "ip", "filter", "INPUT", 1);	/* iptables-nft, -m comment prints nothing */
		CHECK_STR(r->text, "ip saddr 10.0.0.0/8 tcp dport 22  counter packets 0 bytes 0 accept");
		CHECK_STR(r->src, "10.0.0.0/8");
		CHECK_INT(r->dport_lo, 22);
	}
	{
		RULE(c, "ip", "filter", "INPUT", 3);
		CHECK_STR(r->text, "xt match recent counter packets 0 bytes 0 accept");
		CHECK_INT(r->uncond, 0);
	}
}

static void test_sets(void)
{
	const struct capture *c = &text_a;
	char buf[2048];
	int i;

	CHECK_INT(c->nset, 9);
	i = set_idx(c, "allow_in");
	CHECK_STR(c->set[i].family, "inet");
	CHECK_STR(c->set[i].table, "filter");
	CHECK_STR(c->set[i].type, "ipv4_addr . inet_service");
	CHECK_STR(c->set[i].flags, "interval");
	CHECK_STR(c->set[i].map_type, "");
	CHECK_INT(c->set[i].handle, 10);
	CHECK_STR(elems_of(c, "allow_in", buf, sizeof buf),
		  "10.1.2.3 . 80; 10.1.2.4 . 8000-8080; 192.168.70.10 . 22; 10.3.0.0/16 . 443");
	CHECK_STR(elems_of(c, "blocked", buf, sizeof buf),
		  "192.0.2.7; 198.51.100.0/24; 203.0.113.1-203.0.113.20");
	i = set_idx(c, "seen");
	CHECK_STR(c->set[i].flags, "dynamic,timeout");
	CHECK_STR(elems_of(c, "seen", buf, sizeof buf), "10.9.9.9; 10.9.9.10");
	i = set_idx(c, "counted");
	CHECK_STR(c->set[i].type, "typeof ip saddr");
	CHECK_STR(elems_of(c, "counted", buf, sizeof buf), "10.0.0.1; 10.0.0.2");
	CHECK_STR(elems_of(c, "names", buf, sizeof buf), "eth0; veth21");
	/* 40 ports printed five to a line */
	{
		char want[256];
		size_t o = 0;
		for (i = 1; i <= 40; i++)
			o += (size_t)snprintf(want + o, sizeof want - o, "%s%d", i > 1 ? "; " : "", i);
		CHECK_STR(elems_of(c, "many_ports", buf, sizeof buf), want);
	}
	i = set_idx(c, "svc_vmap");
	CHECK_STR(c->set[i].type, "inet_service");
	CHECK_STR(c->set[i].map_type, "verdict");
	CHECK_STR(elems_of(c, "svc_vmap", buf, sizeof buf),
		  "22 => accept; 80 => jump web; 443 => goto web; 8080 => drop");
	i = set_idx(c, "port_mark");
	CHECK_STR(c->set[i].type, "typeof tcp dport");
	CHECK_STR(c->set[i].map_type, "meta mark");
	CHECK_STR(elems_of(c, "port_mark", buf, sizeof buf), "22 => 0x00000001; 80 => 0x00000002");
	i = set_idx(c, "dnat_map");
	CHECK_STR(c->set[i].family, "ip");
	CHECK_STR(c->set[i].map_type, "ipv4_addr . inet_service");
	CHECK_STR(elems_of(c, "dnat_map", buf, sizeof buf), "203.0.113.10 . 8080 => 10.1.2.3 . 80");
}

/* `nft list ruleset` and `nft -a list ruleset` differ only in handles. */
static void test_plain_vs_a(void)
{
	const struct capture *a = &text_a, *p = &text_plain;
	int i, same = 1;

	CHECK_INT(p->nerr, 0);
	CHECK_INT(p->nchain, a->nchain);
	CHECK_INT(p->nrule, a->nrule);
	CHECK_INT(p->nset, a->nset);
	CHECK_INT(p->nelem, a->nelem);
	for (i = 0; i < a->nchain && i < p->nchain; i++) {
		if (strcmp(a->chain[i], p->chain[i]) || strcmp(a->chain_table[i], p->chain_table[i]) ||
		    strcmp(a->hook[i], p->hook[i]) || a->prio[i] != p->prio[i] ||
		    strcmp(a->policy[i], p->policy[i]) || a->builtin[i] != p->builtin[i] ||
		    p->chain_handle[i] != -1 || a->chain_handle[i] < 1) {
			fprintf(stderr, "chain %d differs: %s %s\n", i, a->chain[i], p->chain[i]);
			same = 0;
		}
	}
	for (i = 0; i < a->nrule && i < p->nrule; i++) {
		struct nl_rule x = a->rule[i];
		if (x.handle < 1 || p->rule[i].handle != -1)
			same = 0;
		x.handle = -1;
		if (memcmp(&x, &p->rule[i], sizeof x) != 0) {
			fprintf(stderr, "rule %d differs: '%s' / '%s'\n", i, x.text, p->rule[i].text);
			same = 0;
		}
	}
	for (i = 0; i < a->nset && i < p->nset; i++)
		if (strcmp(a->set[i].name, p->set[i].name) || strcmp(a->set[i].type, p->set[i].type) ||
		    strcmp(a->set[i].flags, p->set[i].flags) || p->set[i].handle != -1)
			same = 0;
	for (i = 0; i < a->nelem && i < p->nelem; i++)
		if (strcmp(a->elem[i].key, p->elem[i].key) || strcmp(a->elem[i].value, p->elem[i].value))
			same = 0;
	CHECK(same);
}

/* The JSON dump of the same ruleset gives the same rules, positions and
 * elements. nft 1.0.6 -j loses a few things the text shows: iptables-nft
 * compat expressions are only named, typeof becomes the plain type and the
 * "dynamic" set flag is not printed. */
static void test_json_vs_text(void)
{
	const struct capture *t = &text_a, *j = &json;
	int i, same = 1, xt = 0;

	CHECK_INT(j->nerr, 0);
	CHECK_INT(j->nruleset, 1);
	CHECK_STR(j->ruleset_kind[0], "nft-json");
	CHECK_INT(j->nchain, t->nchain);
	CHECK_INT(j->nrule, t->nrule);
	CHECK_INT(j->nset, t->nset);
	CHECK_INT(j->nelem, t->nelem);
	for (i = 0; i < t->nchain && i < j->nchain; i++)
		if (strcmp(t->chain[i], j->chain[i]) || strcmp(t->chain_family[i], j->chain_family[i]) ||
		    strcmp(t->ctype[i], j->ctype[i]) || strcmp(t->hook[i], j->hook[i]) ||
		    t->prio[i] != j->prio[i] || t->has_prio[i] != j->has_prio[i] ||
		    strcmp(t->policy[i], j->policy[i]) || t->builtin[i] != j->builtin[i] ||
		    t->chain_handle[i] != j->chain_handle[i]) {
			fprintf(stderr, "chain %d differs: %s / %s\n", i, t->chain[i], j->chain[i]);
			same = 0;
		}
	for (i = 0; i < t->nrule && i < j->nrule; i++) {
		const struct nl_rule *a = &t->rule[i], *b = &j->rule[i];
		if (strcmp(a->family, b->family) || strcmp(a->table, b->table) ||
		    strcmp(a->chain, b->chain) || a->position != b->position || a->handle != b->handle) {
			same = 0;
			continue;
		}
		if (strstr(b->text, "xt ")) {
			xt++;
			continue;
		}
		if (memcmp(a, b, sizeof *a) != 0) {
			fprintf(stderr, "rule %s %s #%d differs:\n  text '%s' %s/%s\n  json '%s' %s/%s\n",
				a->table, a->chain, a->position, a->text, a->target, a->target_arg, b->text,
				b->target, b->target_arg);
			same = 0;
		}
	}
	CHECK(same);
	CHECK_INT(xt, 4);
	{
		RULE(j, "ip", "filter", "INPUT", 3);
		CHECK_STR(r->text, "xt match recent counter packets 0 bytes 0 accept");
	}
	{
		RULE(j, "ip", "filter", "INPUT", 1);	/* fields still agree */
		CHECK_STR(r->src, "10.0.0.0/8");
		CHECK_INT(r->dport_lo, 22);
	}
	same = 1;
	for (i = 0; i < t->nelem && i < j->nelem; i++)
		if (strcmp(t->elem[i].set, j->elem[i].set) || strcmp(t->elem[i].key, j->elem[i].key) ||
		    strcmp(t->elem[i].value, j->elem[i].value) || t->elem[i].has_value != j->elem[i].has_value) {
			fprintf(stderr, "element %d differs: %s %s / %s %s\n", i, t->elem[i].key,
				t->elem[i].value, j->elem[i].key, j->elem[i].value);
			same = 0;
		}
	CHECK(same);
	for (i = 0; i < t->nset && i < j->nset; i++) {
		CHECK_STR(j->set[i].name, t->set[i].name);
		CHECK_INT(j->set[i].handle, t->set[i].handle);
		if (!strcmp(t->set[i].name, "counted"))
			CHECK_STR(j->set[i].type, "ipv4_addr");
		else if (!strcmp(t->set[i].name, "port_mark"))
			CHECK_STR(j->set[i].map_type, "mark");
		else if (!strcmp(t->set[i].name, "seen"))
			CHECK_STR(j->set[i].flags, "timeout");
		else {
			CHECK_STR(j->set[i].type, t->set[i].type);
			CHECK_STR(j->set[i].map_type, t->set[i].map_type);
			CHECK_STR(j->set[i].flags, t->set[i].flags);
		}
	}
}

/* The same document pretty-printed over many lines, and twice in a file. */
static void test_json_layout(void)
{
	static struct capture pretty;
	char *s = slurp("testdata/nft/ruleset.json"), *two;
	json_t *doc;
	char *text;
	size_t n;
	int i, same = 1;

	if (!s) {
		CHECK(s != NULL);
		return;
	}
	doc = json_loads(s, 0, NULL);
	CHECK(doc != NULL);
	text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
	if (text) {
		CHECK(strchr(text, '\n') != NULL);
		pretty = *feed(&nl_parser_nftjson, "pretty.json", text);
		CHECK_INT(pretty.nerr, 0);
		CHECK_INT(pretty.nrule, json.nrule);
		for (i = 0; i < json.nrule && i < pretty.nrule; i++)
			same &= memcmp(&json.rule[i], &pretty.rule[i], sizeof json.rule[i]) == 0;
		CHECK(same);
		CHECK_INT(nl_parser_nftjson.probe("{", 1), 0);
		CHECK_INT(nl_parser_nftjson.probe("  \"nftables\": [", 15), 2);
		free(text);
	}
	json_decref(doc);

	n = strlen(s);
	two = malloc(2 * n + 2);
	if (two) {
		struct capture *c;
		memcpy(two, s, n);
		memcpy(two + n, s, n + 1);
		c = feed(&nl_parser_nftjson, "two.json", two);
		CHECK_INT(c->nerr, 0);
		CHECK_INT(c->nruleset, 2);
		CHECK_INT(c->nrule, 2 * json.nrule);
		CHECK_INT(c->rule[json.nrule].position, 1);
		free(two);
	}
	CHECK_INT(nl_parser_nftjson.probe(s, strlen(s)), 2);
	free(s);
}

static void test_text_probe_and_twice(void)
{
	char *s = slurp("testdata/nft/ruleset.nft"), *two;
	size_t n;
	CHECK_INT(nl_parser_nftrules.probe("table inet filter { # handle 7", 30), 2);
	CHECK_INT(nl_parser_nftrules.probe("table ip nat {", 14), 2);
	CHECK_INT(nl_parser_nftrules.probe("table foo nat {", 15), 0);
	CHECK_INT(nl_parser_nftrules.probe("*nat", 4), 0);
	if (!s)
		return;
	n = strlen(s);
	two = malloc(2 * n + 1);
	if (two) {
		struct capture *c;
		memcpy(two, s, n);
		memcpy(two + n, s, n + 1);
		c = feed(&nl_parser_nftrules, "two.nft", two);
		CHECK_INT(c->nerr, 0);
		CHECK_INT(c->nruleset, 2);	/* the same tables again: another dump */
		CHECK_INT(c->nrule, 2 * text_plain.nrule);
		CHECK_INT(c->nchain, 2 * text_plain.nchain);
		free(two);
	}
	free(s);
}

/* Real lines, broken: each bad line is reported with its number and the
 * parser carries on with the rest. */
static void test_text_errors(void)
{
	struct capture *c;
	int i;

	c = feed(&nl_parser_nftrules, "bad.nft",
		 "table inet filter { # handle 7\n"				/* 1 */
		 "\tchain forward { # handle 1\n"				/* 2 */
		 "\t\ttype filter hook forward priority filter; policy drop;\n"	/* 3 */
		 "\t\ttcp dport { 22, 80 accept # handle 5\n"			/* 4 unbalanced */
		 "\t\tct status dnat jump allowed_dnats # handle 6\n"		/* 5 */
		 "\t\t%%% garbage\n"						/* 6 */
		 "\t\tip saddr \"10.0.0.1 drop\n"				/* 7 unbalanced quote */
		 "\t\taccept\n"							/* 8 */
		 "\t}\n"							/* 9 */
		 "\tfrobnicate all packets\n"					/* 10 unknown */
		 "\twidget w1 { # handle 9\n"					/* 11 unknown object */
		 "\t\tchain inside { }\n"					/* 12 skipped */
		 "\t}\n"							/* 13 */
		 "\tchain allowed_dnats { # handle 2\n"				/* 14 */
		 "\t\tip daddr . tcp dport @allow_in accept # handle 8\n"	/* 15 */
		 "\tset allow_in { # handle 3\n"				/* 16 missing } */
		 "\t\ttype ipv4_addr . inet_service\n"				/* 17 */
		 "\t\tflags interval\n"						/* 18 */
		 "\t\twobble 3\n"						/* 19 unknown */
		 "\t\telements = { 10.1.2.3 . 80,\n"				/* 20 */
		 "\t\t\t     , 10.1.2.4 . 8000-8080 } junk\n"			/* 21 empty, junk */
		 "\t}\n"							/* 22 */
		 "}\n"								/* 23 */
		 "}\n"								/* 24 extra */
		 "this is not nft\n"						/* 25 */
		 "table ip nat {\n"						/* 26 */
		 "\tchain prerouting {\n"					/* 27 */
		 "\t\ttype nat hook prerouting priority bogus; policy accept;\n"	/* 28 */
		 "\t\tdnat to 192.168.70.10:22\n");				/* 29, no end */
	CHECK_INT(c->nruleset, 1);
	CHECK_INT(c->nerr, 13);
	{
		/* the dump's end: at its last line, naming the table left open */
		static const long want[] = { 4, 6, 7, 10, 11, 16, 19, 21, 21, 24, 25, 28, 29 };
		for (i = 0; i < c->nerr && i < 13; i++)
			CHECK_INT(c->errline[i], want[i]);
	}
	/* rules around the bad ones keep their printed positions */
	{
		RULE(c, "inet", "filter", "forward", 2);
		CHECK_STR(r->target, "jump");
		CHECK_INT(r->handle, 6);
	}
	{
		RULE(c, "inet", "filter", "forward", 5);
		CHECK_STR(r->text, "accept");
		CHECK_INT(r->uncond, 1);
	}
	{
		RULE(c, "inet", "filter", "allowed_dnats", 1);
		CHECK_INT(r->handle, 8);
	}
	CHECK_INT(c->nset, 1);
	CHECK_STR(c->set[0].type, "ipv4_addr . inet_service");
	CHECK_INT(c->nelem, 2);
	CHECK_STR(c->elem[0].key, "10.1.2.3 . 80");
	CHECK_STR(c->elem[1].key, "10.1.2.4 . 8000-8080");
	/* an unknown priority still gives the chain, without a priority */
	CHECK_INT(c->nchain, 3);
	CHECK_STR(c->chain[2], "prerouting");
	CHECK_INT(c->has_prio[2], 0);
	CHECK_INT(c->builtin[2], 1);
	{
		RULE(c, "ip", "nat", "prerouting", 1);
		CHECK_STR(r->target_arg, "192.168.70.10:22");
	}
	CHECK_STR(c->err[11], "unknown chain priority");
	CHECK_STR(c->err[12], "the dump ends inside table ip nat (line 26): what it held after this "
			      "line is not in it");
}

static void test_text_limits(void)
{
	static char big[8192];
	struct capture *c;
	size_t o;
	int i;

	/* 300 words, then a rule longer than the text field */
	o = (size_t)snprintf(big, sizeof big, "table ip t {\n\tchain c {\n\t\t");
	for (i = 0; i < 300; i++)
		o += (size_t)snprintf(big + o, sizeof big - o, "ip ");
	o += (size_t)snprintf(big + o, sizeof big - o, "\n\t\tip saddr 10.0.0.1 comment \"");
	for (i = 0; i < 1100; i++)
		big[o++] = 'x';
	snprintf(big + o, sizeof big - o, "\" accept\n\t\taccept\n\t}\n}\n");
	c = feed(&nl_parser_nftrules, "big.nft", big);
	CHECK_INT(c->nerr, 2);
	CHECK_INT(c->nrule, 1);
	CHECK_INT(c->rule[0].position, 3);
	/* one element longer than the element buffer */
	o = (size_t)snprintf(big, sizeof big, "table ip t {\n\tset s {\n\t\ttype ifname\n\t\telements = { \"");
	for (i = 0; i < 1500; i++)
		big[o++] = 'e';
	snprintf(big + o, sizeof big - o, "\", \"eth0\" }\n\t}\n}\n");
	c = feed(&nl_parser_nftrules, "bigset.nft", big);
	CHECK_INT(c->nerr, 1);
	CHECK_INT(c->nelem, 1);
	CHECK_STR(c->elem[0].key, "eth0");
}

static void test_json_errors(void)
{
	struct capture *c;
	char *s = slurp("testdata/nft/ruleset.json");

	/* cut in the middle: reported on its line, once; what came before
	 * the cut is kept */
	if (s) {
		int whole = feed(&nl_parser_nftjson, "whole.json", s)->nrule;
		s[strlen(s) / 2] = '\0';
		c = feed(&nl_parser_nftjson, "cut.json", s);
		CHECK_INT(c->nerr, 1);
		CHECK_INT(c->errline[0], 1);
		CHECK(strncmp(c->err[0], "bad JSON", 8) == 0);
		CHECK(c->nrule > 0 && c->nrule < whole);
		free(s);
	}
	c = feed(&nl_parser_nftjson, "junk.json", "{\n\"nftables\": [\n{\"metainfo\": {}},\n garbage\n]}\n");
	CHECK_INT(c->nerr, 1);
	CHECK_INT(c->errline[0], 4);
	c = feed(&nl_parser_nftjson, "other.json", "{\"iptables\": []}\n");
	CHECK_INT(c->nerr, 1);
	CHECK_INT(c->nruleset, 0);
	/* UTF-8 that yajl lets through and jansson refuses: bad JSON at its
	 * line, what came before kept (testdata/fuzz/nftjson/) */
	c = feed(&nl_parser_nftjson, "utf8.json",
		 "{\"nftables\": [\n{\"chain\": {\"family\": \"ip\", \"table\": \"t\", \"name\": \"c\"}},\n"
		 "{\"chain\": {\"family\": \"ip\", \"table\": \"t\", \"name\": \"\xc0\x98\"}}\n]}\n");
	CHECK_INT(c->nerr, 1);
	CHECK_INT(c->errline[0], 3);
	CHECK_STR(c->err[0], "bad JSON: invalid UTF-8 in a string");
	CHECK_INT(c->nchain, 1);
	c = feed(&nl_parser_nftjson, "key.json",
		 "{\"nftables\": [{\"table\": {\"\xed\xa0\x80\": \"inet\"}}]}\n");
	CHECK_INT(c->nerr, 1);
	CHECK_STR(c->err[0], "bad JSON: invalid UTF-8 in an object key");
	/* real objects with parts removed or changed */
	c = feed(&nl_parser_nftjson, "broken.json",
		 "{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"filter\", \"handle\": 2}},"
		 " {\"chain\": {\"family\": \"inet\", \"table\": \"filter\", \"handle\": 3}},"
		 " {\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"allowed_dnats\", \"handle\": 39}},"
		 " {\"map\": {\"family\": \"inet\", \"name\": \"svc_vmap\", \"table\": \"filter\", \"type\": \"inet_service\","
		 " \"handle\": 15, \"map\": \"verdict\", \"elem\": [[22, {\"accept\": null}], 80]}},"
		 " {\"gizmo\": {\"family\": \"inet\"}}, 42,"
		 " {\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"allowed_dnats\", \"handle\": 40,"
		 " \"expr\": [{\"counter\": {\"packets\": 0, \"bytes\": 0}}, {\"drop\": null}], \"comment\": \"not allowed\"}}]}");
	CHECK_INT(c->nerr, 5);
	CHECK_INT(c->nchain, 0);
	CHECK_INT(c->nelem, 1);
	CHECK_STR(c->elem[0].value, "accept");
	CHECK_INT(c->nrule, 1);
	CHECK_INT(c->rule[0].position, 2);	/* the rule without expr still took #1 */
	CHECK_STR(c->rule[0].text, "counter packets 0 bytes 0 drop comment \"not allowed\"");
	CHECK_INT(c->rule[0].uncond, 1);
}

/* One object too large to build is left out, and what follows is read; a
 * token longer than the limit ends the document. */
static void test_json_limits(void)
{
	static const char head[] = "{\"nftables\": [{\"rule\": {\"family\": \"ip\", \"table\": \"t\", "
				   "\"chain\": \"c\", \"expr\": [";
	static const char tail[] = "{\"drop\": null}]}}, {\"chain\": {\"family\": \"ip\", \"table\": \"t\", "
				   "\"name\": \"c2\"}}]}";
	size_t n = 100000, each = strlen("{\"accept\": null}, "), i;
	char *doc = malloc(sizeof head + n * each + sizeof tail + (17 << 20));
	struct capture *c;
	char *p;
	if (!doc) {
		CHECK(doc != NULL);
		return;
	}
	p = doc + sizeof head - 1;
	memcpy(doc, head, sizeof head - 1);
	for (i = 0; i < n; i++, p += each)
		memcpy(p, "{\"accept\": null}, ", each);
	memcpy(p, tail, sizeof tail);
	c = feed_parts(&nl_parser_nftjson, "large.json", doc, 1 << 20);
	CHECK_INT(c->nerr, 1);
	CHECK_STR(c->err[0], "nft JSON object larger than 16 MiB, left out");
	CHECK_INT(c->nrule, 0);
	CHECK_INT(c->nchain, 1);
	/* a comment of 17 MiB: yajl would hold it whole */
	p = doc + sizeof head - 1;
	memcpy(p, "{\"accept\": null}], \"comment\": \"", 31);
	memset(p + 31, 'x', 17 << 20);
	memcpy(p + 31 + (17 << 20), "\"}}]}", 6);
	c = feed_parts(&nl_parser_nftjson, "token.json", doc, 1 << 20);
	CHECK_INT(c->nerr, 1);
	CHECK_STR(c->err[0], "bad JSON: a token longer than 16 MiB");
	CHECK_INT(c->nrule, 0);
	free(doc);
}

/* The stream: a one-line dump read in pieces gives what it gives whole;
 * errors name the line their object starts on; a rule listed before the map
 * it writes to takes the map's type; a set's elements are read one by one. */
static void test_json_stream(void)
{
	struct capture whole, *c;
	char *s = slurp("testdata/nft/ruleset.json");
	int i, same = 1;
	if (s) {
		whole = *feed(&nl_parser_nftjson, "ruleset.json", s);
		c = feed_parts(&nl_parser_nftjson, "ruleset.json", s, 7);
		CHECK_INT(c->nerr, 0);
		CHECK_INT(c->nrule, whole.nrule);
		CHECK_INT(c->nset, whole.nset);
		CHECK_INT(c->nelem, whole.nelem);
		CHECK_INT(c->nchain, whole.nchain);
		CHECK_INT(c->nobj, whole.nobj);
		for (i = 0; i < whole.nrule && i < c->nrule; i++)
			same &= memcmp(&whole.rule[i], &c->rule[i], sizeof whole.rule[i]) == 0;
		for (i = 0; i < whole.nelem && i < c->nelem; i++)
			same &= memcmp(&whole.elem[i], &c->elem[i], sizeof whole.elem[i]) == 0;
		CHECK(same);
		/* cut in a piece: what came before is kept, one error on line 1 */
		s[strlen(s) * 2 / 3] = '\0';
		c = feed_parts(&nl_parser_nftjson, "cut.json", s, 4096);
		CHECK_INT(c->nerr, 1);
		CHECK_INT(c->errline[0], 1);
		CHECK(c->nrule > 0);
		free(s);
	}
	c = feed(&nl_parser_nftjson, "lines.json",
		 "{\"nftables\": [\n"
		 " {\"metainfo\": {\"version\": \"1.0.6\"}},\n"
		 " {\"rule\": {\"family\": \"ip\", \"table\": \"x\", \"chain\": \"y\", \"expr\": [\n"
		 "   {\"map\": {\"op\": \"add\", \"elem\": \"10.2.3.4\", \"data\": 2, \"map\": \"@late\"}}]}},\n"
		 " {\"gizmo\": {\"family\": \"ip\"}},\n"
		 " {\"set\": {\"family\": \"ip\", \"name\": \"s\", \"table\": \"x\", \"type\": \"ipv4_addr\",\n"
		 "   \"elem\": [\"10.0.0.1\",\n"
		 "            {\"bogus\": 1},\n"
		 "            \"10.0.0.3\"]}},\n"
		 " {\"map\": {\"family\": \"ip\", \"table\": \"x\", \"name\": \"late\", \"type\": \"ipv4_addr\", \"map\": \"mark\"}},\n"
		 " {\"rule\": {\"family\": \"ip\", \"table\": \"x\", \"chain\": \"y\"}}\n"
		 "]}\n");
	CHECK_INT(c->nrule, 1);
	CHECK_STR(c->rule[0].text, "add @late { 10.2.3.4 : 0x00000002 }");
	CHECK_INT(c->nelem, 2);
	CHECK_STR(c->elem[1].key, "10.0.0.3");
	CHECK_INT(c->nerr, 3);
	CHECK_INT(c->errline[0], 5);	/* the unknown object */
	CHECK_INT(c->errline[1], 8);	/* the element that is not one */
	CHECK_STR(c->err[1], "cannot read an element of ip x s: bogus at nftables[3].set.elem[1]");
	CHECK_INT(c->errline[2], 11);	/* the rule without expr */
	test_json_limits();
}

/* nftables tests/shell/testcases/chains/dumps/0041chain_binding_0.nft with
 * -a handles, a trimmed paste, and sets with statements (sets/dumps/
 * 0060set_multistmt_0.nft, 0062set_connlimit_0.nft) */
static void test_text_bindings(void)
{
	static const char *t =
		"table inet x {\n"
		"\tset new-connlimit {\n"
		"\t\ttype ipv4_addr\n"
		"\t\tsize 65535\n"
		"\t\tflags dynamic\n"
		"\t\tct count over 20\n"
		"\t\tlimit rate 1/second burst 5 packets counter\n"
		"\t\telements = { 2.2.2.2 ct count over 5, 1.1.1.1 limit rate 1/second burst 5 packets counter packets 0 bytes 0,\n"
		"\t\t\t     3.3.3.3 last used never quota 10 mbytes }\n"
		"\t}\n"
		"\tchain y { # handle 1\n"
		"\t\ttype filter hook input priority filter; policy accept;\n"
		"\t\tmeta l4proto { tcp, udp } th dport 53 jump { # handle 4\n"
		"\t\t\tip saddr { 127.0.0.0/8, 172.23.0.0/16 } counter packets 0 bytes 0 accept # handle 2\n"
		"\t\t\tip6 saddr ::1 counter packets 0 bytes 0 accept # handle 3\n"
		"\t\t}\n"
		"\t\tmeta l4proto ipv6-icmp jump {\n"
		"\t\t\tcounter packets 0 bytes 0 accept\n"
		"\t\t} # handle 6\n"
		"\t\ttcp dport 22 accept # handle 7\n"
		"\t}\n"
		"\tchain z {\n"
		"\t\ttcp dport 1 accept\n"
		"\t\t...\n"
		"\t\ttcp dport 3 accept\n"
		"\t\tudp dport 4 ...\n"
		"\t}\n"
		"}\n";
	struct capture *c = feed(&nl_parser_nftrules, "bind.nft", t);
	int i;
	CHECK_INT(c->nerr, 2);
	CHECK_INT(c->errline[0], 24);
	CHECK_INT(c->errline[1], 26);
	CHECK_INT(c->nelem, 3);
	CHECK_STR(c->elem[0].key, "2.2.2.2");
	CHECK_STR(c->elem[1].key, "1.1.1.1");
	CHECK_STR(c->elem[2].key, "3.3.3.3");
	CHECK_INT(c->nrule, 8);
	/* the inner rules first, in a chain of their own */
	CHECK_STR(c->rule[0].chain, "y {1}");
	CHECK_INT(c->rule[0].position, 1);
	CHECK_INT(c->rule[0].handle, 2);
	CHECK_STR(c->rule[1].chain, "y {1}");
	CHECK_INT(c->rule[1].position, 2);
	CHECK_STR(c->rule[2].chain, "y");
	CHECK_INT(c->rule[2].position, 1);
	CHECK_INT(c->rule[2].handle, 4);
	CHECK_STR(c->rule[2].text, "meta l4proto { tcp, udp } th dport 53 jump { ip saddr { 127.0.0.0/8, "
		  "172.23.0.0/16 } counter packets 0 bytes 0 accept; ip6 saddr ::1 counter packets 0 bytes 0 accept }");
	CHECK_STR(c->rule[2].target, "jump");
	CHECK_STR(c->rule[2].target_arg, "y {1}");
	CHECK_STR(c->rule[3].chain, "y {2}");
	CHECK_STR(c->rule[4].chain, "y");
	CHECK_INT(c->rule[4].position, 2);
	CHECK_INT(c->rule[4].handle, 6);
	CHECK_STR(c->rule[5].chain, "y");
	CHECK_INT(c->rule[5].position, 3);	/* not a rule of a binding */
	CHECK_INT(c->rule[5].handle, 7);
	/* after '...' the positions are unknown, and '...' is no rule */
	CHECK_STR(c->rule[6].chain, "z");
	CHECK_INT(c->rule[6].position, 1);
	CHECK_STR(c->rule[7].text, "tcp dport 3 accept");
	CHECK_INT(c->rule[7].position, -1);
	CHECK_INT(c->nobj, 0);
	for (i = 0; i < c->nchain; i++)
		if (!strcmp(c->chain[i], "y {1}"))
			CHECK_INT(c->builtin[i], 0);
	CHECK_INT(c->nchain, 4);
}

#define R(expr) "{\"rule\": {\"family\": \"ip\", \"table\": \"x\", \"chain\": \"y\", \"expr\": [" expr "]}}"
#define P(proto, field) "{\"payload\": {\"protocol\": \"" proto "\", \"field\": \"" field "\"}}"
#define META(key) "{\"meta\": {\"key\": \"" key "\"}}"

/* nft -j constructs from nftables' test dumps, each written as the text
 * dump of the same ruleset has it */
static void test_json_render(void)
{
	static const char *doc =
		"{\"nftables\": [{\"metainfo\": {\"version\": \"1.1.1\"}},"
		"{\"map\": {\"family\": \"ip\", \"table\": \"x\", \"name\": \"dynmark\", \"type\": \"ipv4_addr\", \"map\": \"mark\"}},"
		"{\"set\": {\"family\": \"ip\", \"table\": \"x\", \"name\": \"s\", \"type\": [\"ipv4_addr\", \"iface_index\"],"
		" \"elem\": [{\"elem\": {\"val\": {\"concat\": [\"127.0.0.1\", \"lo\"]}, \"counter\": {\"packets\": 0, \"bytes\": 0}}}]}},"
		R("{\"quota\": {\"map\": {\"key\": " P("ip", "saddr") ", \"data\": \"@test\"}}}, {\"drop\": null}") ","
		R("{\"counter\": {\"map\": {\"key\": " P("ip", "saddr") ", \"data\": {\"set\": [[\"1.1.1.1\", \"user123\"]]}}}}") ","
		R("{\"match\": {\"op\": \"!=\", \"left\": {\"ct\": {\"key\": \"state\"}}, \"right\": {\"|\": [\"established\", \"related\", \"new\"]}}}") ","
		R("{\"mangle\": {\"key\": {\"ct\": {\"key\": \"mark\"}}, \"value\": {\"<<\": [{\"|\": [" META("mark") ", 16]}, 8]}}}") ","
		R("{\"mangle\": {\"key\": " META("mark") ", \"value\": {\"|\": [{\"<<\": [" P("ip", "dscp") ", 2]}, 16]}}}") ","
		R("{\"vmap\": {\"key\": " META("iif") ", \"data\": {\"set\": [[{\"elem\": {\"val\": \"lo\", \"counter\": {\"packets\": 0, \"bytes\": 0}}}, {\"jump\": {\"target\": \"wan\"}}]]}}}") ","
		R("{\"map\": {\"op\": \"add\", \"elem\": {\"elem\": {\"val\": \"10.2.3.4\", \"timeout\": 2}}, \"data\": 2, \"map\": \"@dynmark\"}}") ","
		R("{\"set\": {\"op\": \"update\", \"elem\": {\"elem\": {\"val\": " P("ip", "saddr") ", \"timeout\": 5400}}, \"set\": \"@y\", \"stmt\": [{\"limit\": {\"rate\": 10, \"burst\": 5, \"per\": \"second\"}}, {\"counter\": null}]}}") ","
		R("{\"match\": {\"op\": \"==\", \"left\": {\"concat\": [" P("ip", "saddr") ", \"lo\"]}, \"right\": \"@s\"}}") ","
		R("{\"queue\": {\"num\": {\"jhash\": {\"mod\": 4, \"expr\": " P("tcp", "dport") "}}, \"flags\": \"bypass\"}}") ","
		R("{\"snat\": {\"family\": \"ip\", \"addr\": {\"map\": {\"key\": " P("ip", "saddr") ", \"data\": {\"set\": [[{\"prefix\": {\"addr\": \"10.0.0.0\", \"len\": 24}}, {\"prefix\": {\"addr\": \"192.168.2.0\", \"len\": 24}}]]}}}, \"flags\": \"netmap\", \"type_flags\": \"prefix\"}}") ","
		R("{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"tunnel\": \"vxlan\", \"protocol\": \"ip\", \"field\": \"saddr\"}}, \"right\": \"1.1.1.1\"}}, {\"secmark\": \"ssh_server\"}") ","
		R("{\"counter\": null}, {\"gizmo\": {\"a\": 1}}, {\"drop\": null}") ","
		R("{\"limit\": {\"rate\": 1, \"burst\": 5, \"per\": \"second\"}}") "]}";
	static const char *const want[] = {
		"quota name ip saddr map @test drop",
		"counter name ip saddr map { 1.1.1.1 : \"user123\" }",
		"ct state != established | related | new",
		"ct mark set (meta mark | 0x00000010) << 8",
		"meta mark set ip dscp << 2 | 0x10",
		"iif vmap { \"lo\" counter packets 0 bytes 0 : jump wan }",
		"add @dynmark { 10.2.3.4 timeout 2s : 0x00000002 }",
		"update @y { ip saddr timeout 1h30m limit rate 10/second burst 5 packets counter }",
		"ip saddr . \"lo\" @s",
		"queue flags bypass to jhash tcp dport mod 4",
		"snat ip prefix to ip saddr map { 10.0.0.0/24 : 192.168.2.0/24 }",
		"vxlan ip saddr 1.1.1.1 meta secmark set \"ssh_server\"",
		"limit rate 1/second burst 5 packets",
	};
	struct capture *c = feed(&nl_parser_nftjson, "render.json", doc);
	size_t i;
	CHECK_INT(c->nrule, 13);
	for (i = 0; i < sizeof want / sizeof want[0] && (int)i < c->nrule; i++)
		CHECK_STR(c->rule[i].text, want[i]);
	/* what natlog cannot write is an error naming where, and keeps its place */
	CHECK_INT(c->nerr, 1);
	CHECK_STR(c->err[0], "cannot write ip x y rule 13 as nft prints it: gizmo at nftables[15].rule.expr[1]");
	CHECK_INT(c->rule[12].position, 14);
	/* an element with statements is stored by its key alone */
	CHECK_INT(c->nelem, 1);
	CHECK_STR(c->elem[0].key, "127.0.0.1 . lo");
}

/* nftables tests/shell/testcases/listing/dumps/0013objects_0.nft */
static void test_text_objects(void)
{
	static const char *t =
		"table ip test {\n"
		"\tquota https-quota {\n"
		"\t\t25 mbytes\n"
		"\t}\n"
		"\n"
		"\tct timeout cttime {\n"
		"\t\tprotocol udp\n"
		"\t\tl3proto ip\n"
		"\t\tpolicy = { unreplied : 15s, replied : 12s }\n"
		"\t}\n"
		"\tflowtable f { # handle 4\n"
		"\t\thook ingress priority filter + 10\n"
		"\t\tdevices = { lo }\n"
		"\t}\n"
		"\tchain input {\n"
		"\t}\n"
		"}\n";
	struct capture *c = feed(&nl_parser_nftrules, "objects.nft", t);
	CHECK_INT(c->nerr, 0);
	CHECK_INT(c->nobj, 3);
	CHECK_STR(c->obj[0].kind, "quota");
	CHECK_STR(c->obj[0].name, "https-quota");
	CHECK_STR(c->obj[0].spec, "25 mbytes");
	CHECK_STR(c->obj[1].kind, "ct timeout");
	CHECK_STR(c->obj[1].spec, "protocol udp; l3proto ip; policy = { unreplied : 15s, replied : 12s }");
	CHECK_STR(c->obj[2].kind, "flowtable");
	CHECK_STR(c->obj[2].name, "f");
	CHECK_INT(c->nchain, 1);
}

/* moby/moby#42586's ruleset: nft printed "tcp dport munin" from its
 * machine's /etc/services; a name natlog does not know is reported, the
 * rule kept without a port match, not taken as a rule for every port
 * silently. Sets, variables and known names are no such word. */
static void test_unknown_service(void)
{
	struct capture *c = feed(&nl_parser_nftrules, "svc.nft",
		"table ip filter {\n"
		"\tchain input {\n"
		"\t\ttype filter hook input priority 0; policy drop;\n"
		"\t\tip saddr 192.0.2.1 ct state new tcp dport munin counter packets 0 bytes 0 accept\n"
		"\t\ttcp dport rsync accept\n"
		"\t\ttcp dport { 22, 443 } accept\n"
		"\t\ttcp dport @ports accept\n"
		"\t\tudp sport != nosuch-svc drop\n"
		"\t}\n"
		"}\n");
	CHECK_INT(c->nrule, 5);
	CHECK_INT(c->nerr, 2);
	CHECK_INT(c->errline[0], 4);
	CHECK(strstr(c->err[0], "port 'munin' is a service name natlog does not know") != NULL);
	CHECK_INT(c->errline[1], 8);
	CHECK_INT(c->rule[0].dport_lo, -1);
	CHECK_INT(c->rule[1].dport_lo, 873);
}

/* NixOS/nixpkgs#109332 pasted libvirt's chain without its table line:
 * the file is nft text, the chain and each of its lines an error */
static void test_chain_without_table(void)
{
	const char *t = "\tchain LIBVIRT_PRT {\n"
			"\t\tip saddr 192.168.122.0/24 ip daddr 224.0.0.0/24 counter packets 3 bytes 186 return\n"
			"\t\tip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 counter packets 0 bytes 0 # xt_MASQUERADE\n"
			"\t}\n"
			"table ip filter {\n"
			"\tchain input {\n"
			"\t\ttype filter hook input priority 0; policy accept;\n"
			"\t}\n"
			"}\n";
	struct capture *c;
	CHECK_INT(nl_parser_nftrules.probe("\tchain LIBVIRT_PRT {", 20), 2);
	CHECK_INT(nl_parser_nftrules.probe("chain of events {", 17), 0);
	c = feed(&nl_parser_nftrules, "chain.nft", t);
	CHECK_INT(c->nerr, 3);
	CHECK_INT(c->errline[0], 1);
	CHECK_INT(c->errline[2], 3);
	CHECK_INT(c->nrule, 0);
	CHECK_INT(c->nchain, 1);
}

int main(void)
{
	load();
	test_unknown_service();
	test_chain_without_table();
	test_text_objects();
	test_json_render();
	test_text_bindings();
	test_chains();
	test_rules();
	test_sets();
	test_plain_vs_a();
	test_json_vs_text();
	test_json_layout();
	test_text_probe_and_twice();
	test_text_errors();
	test_text_limits();
	test_json_errors();
	test_json_stream();
	return unit_report("test_nftrules");
}
