/*
 * cmd_rules.c - `natlog rules [--unused] [--json]`: every rule of every
 * imported dump with the number of traced steps that hit it, to find the
 * rules that matter and the ones nothing reaches.
 */
#include "natlog.h"
#include "commands.h"
#include "jsonw.h"
#include "store.h"

#include <getopt.h>
#include <string.h>

struct out {
	int json, unused, n;
};

static int print_rule(void *ctx, const struct nl_rule_row *r)
{
	struct out *o = ctx;
	if (o->unused && r->hits > 0)
		return 0;
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
		fputc('}', f);
	} else {
		char loc[128], pos[16] = "?";	/* after a '...' line: unknown */
		if (o->n == 0)
			printf("%6s  %-32s %s\n", "HITS", "RULE", "TEXT");
		if (r->position >= 0)
			snprintf(pos, sizeof pos, "%d", r->position);
		snprintf(loc, sizeof loc, "%s%s%s:%s:%s", r->family, r->family[0] ? " " : "", r->table,
			 r->chain, pos);
		printf("%6lld  %-32s %s\n", (long long)r->hits, nl_esc(loc), nl_esc(r->text));
	}
	o->n++;
	return 0;
}

int cmd_rules(struct nl_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "unused", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct out o = { 0, 0, 0 };
	struct nl_store *s;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': o.json = 1; break;
		case 'u': o.unused = 1; break;
		case 'h':
			printf("usage: natlog rules [--unused] [--json]\n\n"
			       "Lists every rule of the imported dumps with how many traced steps hit\n"
			       "it (legacy TRACE by table, chain and number; nft and xtables by handle).\n"
			       "  --unused   only the rules no trace hit\n"
			       "exit status: 0 listed, 1 none.\n");
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	if (store_rules(s, print_rule, &o)) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
		return NL_EXIT_STORE;
	}
	if (o.json)
		puts(o.n ? "]" : "[]");
	return o.n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
}
