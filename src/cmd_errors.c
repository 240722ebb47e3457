/*
 * cmd_errors.c - `natlog errors [--json]`: every input line or record that
 * could not be used, with its file, line and the reason.
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
	int json, n;
	int width;		/* the terminal's, or 0: whole lines */
};

/* "file:line: reason" in width columns: the file keeps its end (the
 * member's name) and gives up columns first, then the reason is cut. */
static void fitted_error(int width, const char *file, long line, const char *reason)
{
	char at[32] = "", head[8300];
	int rw = nl_display_width(nl_esc(reason)), aw, fw;
	if (line > 0)
		snprintf(at, sizeof at, ":%ld", line);
	aw = (int)strlen(at) + 2;
	fw = width - aw - rw;
	if (fw < 16)
		fw = 16;
	snprintf(head, sizeof head, "%s%s: ", nl_fit(file, fw, 1), at);
	printf("%s", head);
	fw = width - nl_display_width(head);
	puts(nl_fit(reason, fw > 8 ? fw : 8, 0));
}

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
	} else if (o->width) {
		fitted_error(o->width, e->file, e->line, e->reason);
		if (e->text[0])
			printf("    %s\n", nl_fit(e->text, o->width - 4, 0));
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
		{ "wide", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct out o = { 0, 0, 0 };
	int c, wide = 0;
	while ((c = nl_getopt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case 'j': o.json = 1; break;
		case 'w': wide = 1; break;
		case 'h':
			printf("usage: natlog errors [--json] [--wide]\n\nLists input lines that could "
			       "not be used, with file, line and reason.\n--wide prints whole lines on a "
			       "terminal too.\nexit status: 0 listed, 1 none.\n");
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	o.width = nl_table_width(wide);
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
