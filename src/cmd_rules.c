/*
 * cmd_rules.c - `natlog rules [--unused] [--by drops] [--json]`: every rule
 * and built-in chain policy of every imported dump with the number of traced
 * steps that hit it and of packets it dropped, to find the rules that matter
 * and the ones nothing reaches.
 */
#include "natlog.h"
#include "cli.h"
#include "commands.h"
#include "jsonw.h"
#include "store.h"
#include "table.h"

#include <getopt.h>
#include <string.h>

struct out {
	int json, unused, n, host_col, ns_col;
	struct nl_table *tb;
};

/* The rule's text is cut first: explain shows it whole. HOST and NETNS
 * (whose dump the rule is of, "-": none named, the host's own) only when
 * the dumps are of more than one host, or one is a namespace's. */
static const struct nl_tcol col_hits[] = {
	{ "HITS", 6, 0, 9, NL_TBL_RIGHT, 0 },
	{ "DROPS", 6, 0, 9, NL_TBL_RIGHT, 0 },
};
static const struct nl_tcol col_host = { "HOST", 16, 6, 4, 0, 2 };
static const struct nl_tcol col_ns = { "NETNS", 16, 6, 4, 0, 2 };
static const struct nl_tcol col_rule[] = {
	{ "RULE", 32, 16, 2, 0, 2 },
	{ "TEXT", 0, 16, 1, 0, 0 },
};

static struct nl_table *rules_table(const struct out *o, int wide)
{
	struct nl_tcol cols[6];
	int n = 0;
	memcpy(cols, col_hits, sizeof col_hits);
	n += 2;
	if (o->host_col)
		cols[n++] = col_host;
	if (o->ns_col)
		cols[n++] = col_ns;
	memcpy(cols + n, col_rule, sizeof col_rule);
	n += 2;
	return nl_table_new(stdout, cols, n, nl_table_width(wide));
}

static int print_rule(void *ctx, const struct nl_rule_row *r)
{
	struct out *o = ctx;
	/* a -j TRACE rule is how the trace was made, not a rule to clean up */
	if (o->unused && (r->hits != 0 || r->is_trace))
		return 0;	/* hits < 0: not known, so not shown as unused */
	if (o->json) {
		int first = 1;
		FILE *f = stdout;
		fputs(o->n ? ",\n {" : "[{", f);
		jw_key(f, &first, "dump");
		jw_str(f, r->kind);
		jw_key(f, &first, "host");
		jw_str(f, r->host);
		jw_key(f, &first, "netns");
		jw_str(f, r->netns);
		jw_key(f, &first, "family");
		jw_str(f, r->family[0] ? r->family : r->ruleset_family == 6 ? "ip6" : "ip");
		jw_key(f, &first, "table");
		jw_str(f, r->table);
		jw_key(f, &first, "chain");
		jw_str(f, r->chain);
		jw_key(f, &first, "type");
		jw_str(f, r->is_policy ? "policy" : "rule");
		jw_key(f, &first, "position");
		jw_num(f, r->position);
		jw_key(f, &first, "handle");
		jw_num(f, r->handle);
		jw_key(f, &first, "rule");
		jw_str(f, r->text);
		jw_key(f, &first, "counter_packets");
		jw_num(f, r->pkts);
		jw_key(f, &first, "hits");
		jw_num(f, r->hits);
		jw_key(f, &first, "drops");
		jw_num(f, r->drops);
		fputc('}', f);
	} else {
		char loc[NL_LOCSIZ], pos[16] = "?";	/* after a '...' line: unknown */
		if (r->is_policy)
			snprintf(loc, sizeof loc, "%s%s%s:%s:policy", r->family,
				 r->family[0] ? " " : "", r->table, r->chain);
		else {
			if (r->position >= 0)
				snprintf(pos, sizeof pos, "%d", r->position);
			snprintf(loc, sizeof loc, "%s%s%s:%s:%s", r->family, r->family[0] ? " " : "",
				 r->table, r->chain, pos);
		}
		if (r->hits < 0)
			nl_table_cell(o->tb, "?");
		else
			nl_table_cellf(o->tb, "%lld", (long long)r->hits);
		nl_table_cellf(o->tb, "%lld", (long long)r->drops);
		if (o->host_col)
			nl_table_cell(o->tb, r->host);	/* "" prints "-" */
		if (o->ns_col)
			nl_table_cell(o->tb, r->netns);
		nl_table_cell(o->tb, loc);
		nl_table_cell(o->tb, r->text);
		if (nl_table_row(o->tb))
			return -1;
	}
	o->n++;
	return 0;
}

int cmd_rules(struct nl_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "wide", no_argument, NULL, 'w' },
		{ "unused", no_argument, NULL, 'u' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct out o = { 0, 0, 0, 0, 0, NULL };
	struct nl_rule_places pl;
	struct nl_store *s;
	int c, by_drops = 0, wide = 0, rc;
	while ((c = nl_getopt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case 'j': o.json = 1; break;
		case 'u': o.unused = 1; break;
		case 'w': wide = 1; break;
		case 'b':
			if (nl_choice_arg("rules", "--by", optarg))
				return NL_EXIT_USAGE;
			by_drops = !strcmp(optarg, "drops");
			break;
		case 'h':
			printf("usage: natlog rules [--unused] [--by drops|dump] [--json] [--wide]\n\n"
			       "Lists every rule and built-in chain policy of the imported dumps with\n"
			       "how many traced steps hit it (legacy TRACE by table, chain and number;\n"
			       "nft and xtables by handle) and how many dropped or rejected packets it\n"
			       "decided. A packet's hits and drops count against the dumps of its\n"
			       "own host and network namespace only (HOST and NETNS columns when the\n"
			       "dumps are of several hosts or of a namespace).\n"
			       "  --unused      only the rules and policies no trace hit (not the\n"
			       "                -j TRACE / nftrace rules that made the traces)\n"
			       "  --by drops    most drops first (then most hits); dump: dump order\n"
			       "  --wide        whole rule texts on a terminal too\n"
			       "exit status: 0 listed, 1 none.\n");
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	if (store_rule_places(s, &pl)) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
		return NL_EXIT_STORE;
	}
	o.host_col = pl.hosts + pl.unhosted > 1;
	o.ns_col = pl.any_netns;
	if (!o.json && !(o.tb = rules_table(&o, wide))) {
		fprintf(stderr, "natlog: out of memory\n");
		return NL_EXIT_STORE;
	}
	rc = store_rules(s, by_drops, print_rule, &o);
	if (!o.json && nl_table_finish(o.tb) && !rc) {
		fprintf(stderr, "natlog: out of memory\n");
		return NL_EXIT_STORE;
	}
	if (rc) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
		return NL_EXIT_STORE;
	}
	if (o.json)
		puts(o.n ? "]" : "[]");
	/* a packet of no host may be any host's: its hits are in every one's */
	if (pl.hostless && o.host_col)
		fprintf(stderr, "natlog: %lld traced packet%s name%s no host: %s hits and drops are "
			"counted against the dumps of every host, as no line says whose %s\n",
			(long long)pl.hostless, pl.hostless == 1 ? "" : "s",
			pl.hostless == 1 ? "s" : "", pl.hostless == 1 ? "its" : "their",
			pl.hostless == 1 ? "it is" : "they are");
	return o.n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
}
