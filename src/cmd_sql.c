/*
 * cmd_sql.c - `natlog sql [--json] 'SELECT ...'`: one read-only statement
 * on the store (opened read-only as well), printed as tab-separated
 * columns with a header, or as a JSON array of objects.
 */
#include "natlog.h"
#include "commands.h"
#include "jsonw.h"
#include "store.h"

#include <getopt.h>
#include <string.h>

struct out {
	int json, n;
};

static void tsv(const char *v)
{
	for (; v && *v; v++)
		putchar(*v == '\t' || *v == '\n' ? ' ' : *v);
}

static int print_row(void *ctx, int ncol, const char *const *names, const char *const *vals)
{
	struct out *o = ctx;
	int i;
	if (o->json) {
		int first = 1;
		fputs(o->n ? ",\n {" : "[{", stdout);
		for (i = 0; i < ncol; i++) {
			jw_key(stdout, &first, names[i] ? names[i] : "?");
			if (vals[i])
				jw_str_always(stdout, vals[i]);
			else
				fputs("null", stdout);
		}
		fputc('}', stdout);
	} else {
		if (o->n == 0) {
			for (i = 0; i < ncol; i++) {
				if (i)
					putchar('\t');
				tsv(names[i]);
			}
			putchar('\n');
		}
		for (i = 0; i < ncol; i++) {
			if (i)
				putchar('\t');
			tsv(vals[i] ? vals[i] : "NULL");
		}
		putchar('\n');
	}
	o->n++;
	return 0;
}

int cmd_sql(struct nl_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct out o = { 0, 0 };
	struct nl_store *s;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': o.json = 1; break;
		case 'h':
			printf("usage: natlog sql [--json] 'SELECT ...'\n\n"
			       "Runs one read-only statement on the store; the tables are described\n"
			       "in schema/*.sql and the README.\n"
			       "exit status: 0 rows printed, 1 no rows, 2 not one read-only statement.\n");
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "natlog sql: give one SQL statement\n");
		return NL_EXIT_USAGE;
	}
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	if (store_sql(s, argv[optind], print_row, &o)) {
		fprintf(stderr, "natlog sql: %s\n", store_errmsg(s));
		return NL_EXIT_USAGE;
	}
	if (o.json)
		puts(o.n ? "]" : "[]");
	return o.n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
}
