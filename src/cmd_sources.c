/*
 * cmd_sources.c - `natlog sources [--json]`: what was imported, when, what
 * kind of input it was and how much of it was used.
 */
#include "natlog.h"
#include "cli.h"
#include "commands.h"
#include "jsonw.h"
#include "store.h"
#include "table.h"
#include "timespec.h"

#include <getopt.h>
#include <string.h>

struct out {
	int json, n;
	struct nl_table *tb;
};

/* The path keeps its end (the file and member names) when cut. */
static const struct nl_tcol columns[] = {
	{ "KIND", 14, 9, 3, 0, 0 },
	{ "LINES", 8, 0, 9, NL_TBL_RIGHT, 0 },
	{ "EVENTS", 8, 0, 9, NL_TBL_RIGHT, 0 },
	{ "ERRORS", 6, 0, 9, NL_TBL_RIGHT, 0 },
	{ "IMPORTED", 20, 9, 2, NL_TBL_CUT_START, 2 },
	{ "PATH", 0, 24, 1, NL_TBL_CUT_START, 0 },
};

static int print_source(void *ctx, const struct nl_source_row *r)
{
	struct out *o = ctx;
	if (o->json) {
		int first = 1;
		fputs(o->n ? ",\n {" : "[{", stdout);
		jw_key(stdout, &first, "path");
		jw_str(stdout, r->path);
		jw_key(stdout, &first, "kind");
		jw_str(stdout, r->kind);
		jw_key(stdout, &first, "host");
		jw_str(stdout, r->host);
		jw_key(stdout, &first, "netns");
		jw_str(stdout, r->netns);
		jw_key(stdout, &first, "sha256");
		jw_str(stdout, r->sha256);
		jw_key(stdout, &first, "size");
		jw_num(stdout, r->size);
		jw_key(stdout, &first, "lines");
		jw_num(stdout, r->lines);
		jw_key(stdout, &first, "events");
		jw_num(stdout, r->events);
		jw_key(stdout, &first, "errors");
		jw_num(stdout, r->errors);
		jw_key(stdout, &first, "skipped");
		jw_num(stdout, r->skipped);
		jw_key(stdout, &first, "imported_at");
		jw_str(stdout, r->imported_at);
		fputc('}', stdout);
	} else {
		char when[64];
		nl_time_show(r->imported_at, 1, when, sizeof when);
		nl_table_cell(o->tb, r->kind);
		nl_table_cellf(o->tb, "%lld", (long long)r->lines);
		nl_table_cellf(o->tb, "%lld", (long long)r->events);
		nl_table_cellf(o->tb, "%lld", (long long)r->errors);
		nl_table_cell2(o->tb, r->imported_at, when);
		nl_table_cell(o->tb, r->path);
		if (nl_table_row(o->tb))
			return -1;
	}
	o->n++;
	return 0;
}

int cmd_sources(struct nl_cmd *cmd, int argc, char **argv)
{
	struct nl_store *s;
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "wide", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct out o = { 0, 0, NULL };
	int c, wide = 0, rc;
	while ((c = nl_getopt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case 'j': o.json = 1; break;
		case 'w': wide = 1; break;
		case 'h':
			printf("usage: natlog sources [--json] [--wide]\n\nLists imported sources: kind, "
			       "counts, when and from where.\n--wide prints whole values on a terminal "
			       "too.\nexit status: 0 listed, 1 none.\n");
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	if (!o.json && !(o.tb = nl_table_new(stdout, columns, 6, nl_table_width(wide)))) {
		fprintf(stderr, "natlog: out of memory\n");
		return NL_EXIT_STORE;
	}
	rc = store_sources(s, print_source, &o);
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
	return o.n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
}
