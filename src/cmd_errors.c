/*
 * cmd_errors.c - `natlog errors [--json]`: every input line or record that
 * could not be used, with its file, line and the reason.
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

static int print_error(void *ctx, const struct nl_error_row *e)
{
	struct out *o = ctx;
	if (o->json) {
		int first = 1;
		fputs(o->n ? ",\n {" : "[{", stdout);
		jw_key(stdout, &first, "file");
		jw_str(stdout, e->file);
		jw_key(stdout, &first, "line");
		jw_num(stdout, e->line);
		jw_key(stdout, &first, "reason");
		jw_str(stdout, e->reason);
		jw_key(stdout, &first, "text");
		jw_str(stdout, e->text);
		fputc('}', stdout);
	} else {
		if (e->line > 0)
			printf("%s:%ld: %s\n", nl_esc(e->file), e->line, nl_esc(e->reason));
		else
			printf("%s: %s\n", nl_esc(e->file), nl_esc(e->reason));
		if (e->text[0])
			printf("    %s\n", nl_escn(e->text, 200));
	}
	o->n++;
	return 0;
}

int cmd_errors(struct nl_cmd *cmd, int argc, char **argv)
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
			printf("usage: natlog errors [--json]\n\nLists input lines that could not be "
			       "used, with file, line and reason.\nexit status: 0 listed, 1 none.\n");
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	if (store_errors(s, -1, print_error, &o)) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
		return NL_EXIT_STORE;
	}
	if (o.json)
		puts(o.n ? "]" : "[]");
	if (!o.n)
		fprintf(stderr, "natlog errors: no errors: every input line was used or skipped as "
				"not netfilter output\n");
	return o.n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
}
