/*
 * cmd_sources.c - `natlog sources [--json]`: what was imported, when, what
 * kind of input it was and how much of it was used.
 */
#include "natlog.h"
#include "cli.h"
#include "commands.h"
#include "jsonw.h"
#include "store.h"

#include <getopt.h>
#include <string.h>

struct out {
	int json, n;
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
		if (o->n == 0)
			printf("%-14s %8s %8s %6s  %-20s %s\n", "KIND", "LINES", "EVENTS", "ERRORS",
			       "IMPORTED", "PATH");
		printf("%-14s %8lld %8lld %6lld  %-20s %s\n", nl_esc(r->kind), (long long)r->lines,
		       (long long)r->events, (long long)r->errors, nl_esc(r->imported_at),
		       nl_esc(r->path));
	}
	o->n++;
	return 0;
}

int cmd_sources(struct nl_cmd *cmd, int argc, char **argv)
{
	struct nl_store *s;
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct out o = { 0, 0 };
	int c;
	while ((c = nl_getopt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case 'j': o.json = 1; break;
		case 'h':
			printf("usage: natlog sources [--json]\n\nLists imported sources: kind, counts, "
			       "when and from where.\nexit status: 0 listed, 1 none.\n");
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	if (store_sources(s, print_source, &o)) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
		return NL_EXIT_STORE;
	}
	if (o.json)
		puts(o.n ? "]" : "[]");
	return o.n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
}
