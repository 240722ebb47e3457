/*
 * cmd_sql.c - `natlog sql [--json] 'SELECT ...'`: one read-only statement
 * on the store (opened read-only as well), printed as tab-separated
 * columns with a header, or as a JSON array of objects.
 */
#include "natlog.h"
#include "cli.h"
#include "commands.h"
#include "jsonw.h"
#include "store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Sorts and temporary tables are kept in memory up to this bound (MiB),
 * never in temporary files: --max-memory, else $NATLOG_SQL_MAX_MEMORY. */
#define SQL_MEMORY_DEFAULT 512

static int parse_mib(const char *v, int64_t *bytes)
{
	uint64_t mib;
	if (!v || !nl_parse_u64(v, strlen(v), (uint64_t)1 << 30, &mib) || mib == 0)
		return -1;
	*bytes = (int64_t)mib << 20;
	return 0;
}

struct out {
	int json, n;
};

/* a tab or newline inside a value becomes \x09 or \x0a, as every control */
static void tsv(const char *v)
{
	nl_fputs_esc(stdout, v);
}

/* SQLite prints reals with %!.15g: "Inf" and "-Inf" are no JSON numbers */
static int json_number(const char *v)
{
	return v && (v[0] == '-' ? v[1] : v[0]) >= '0' && (v[0] == '-' ? v[1] : v[0]) <= '9';
}

static int print_row(void *ctx, int ncol, const char *const *names, const char *const *vals,
		     const int *types)
{
	struct out *o = ctx;
	int i;
	if (o->json) {
		int first = 1;
		fputs(o->n ? ",\n {" : "[{", stdout);
		for (i = 0; i < ncol; i++) {
			jw_key(stdout, &first, names[i] ? names[i] : "?");
			/* SQLite's own types: numbers stay numbers, blobs are hex */
			if (!vals[i] || types[i] == NL_SQL_NULL)
				fputs("null", stdout);
			else if ((types[i] == NL_SQL_INT || types[i] == NL_SQL_REAL) &&
				 json_number(vals[i]))
				fputs(vals[i], stdout);
			else
				jw_str_always(stdout, vals[i]);
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
		{ "max-memory", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct out o = { 0, 0 };
	struct nl_store *s;
	int64_t limit = (int64_t)SQL_MEMORY_DEFAULT << 20;
	const char *env = getenv("NATLOG_SQL_MAX_MEMORY");
	int c, rc;
	if (env && *env && parse_mib(env, &limit)) {
		fprintf(stderr, "natlog sql: NATLOG_SQL_MAX_MEMORY wants a number of MiB, not '%s'\n",
			env);
		return NL_EXIT_USAGE;
	}
	while ((c = nl_getopt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case 'j': o.json = 1; break;
		case 'M':
			if (parse_mib(optarg, &limit)) {
				fprintf(stderr, "natlog sql: --max-memory wants a number of MiB, not "
						"'%s'\n", optarg);
				return NL_EXIT_USAGE;
			}
			break;
		case 'h':
			printf("usage: natlog sql [--json] [--max-memory MIB] 'SELECT ...'\n\n"
			       "Runs one read-only statement on the store; the tables are described\n"
			       "in schema/*.sql and the README. --json keeps SQLite's types:\n"
			       "integers and reals are numbers, NULL is null, text is a string and\n"
			       "a blob a string of lowercase hex (so is a blob in the tab-separated\n"
			       "output). Sorts and temporary tables stay in\n"
			       "memory, never in temporary files, up to --max-memory MiB (default\n"
			       "$NATLOG_SQL_MAX_MEMORY, else %d).\n"
			       "exit status: 0 rows printed, 1 no rows, 2 not one read-only statement,\n"
			       "4 the store could not be read or the memory bound was reached.\n",
			       SQL_MEMORY_DEFAULT);
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "natlog sql: give one SQL statement\n");
		return NL_EXIT_USAGE;
	}
	store_limit_memory(limit);
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	rc = store_sql(s, argv[optind], print_row, &o);
	if (rc == -2) {
		if (o.json && o.n)
			puts("]");	/* the rows printed stay valid JSON; the exit says they are not all */
		fprintf(stderr, "natlog sql: %s (the bound for sorts and temporary tables; "
				"raise it with --max-memory MIB or NATLOG_SQL_MAX_MEMORY)\n",
			store_errmsg(s));
		return NL_EXIT_STORE;
	}
	if (rc) {
		fprintf(stderr, "natlog sql: %s\n", nl_esc(store_errmsg(s)));
		return NL_EXIT_USAGE;
	}
	if (o.json)
		puts(o.n ? "]" : "[]");
	return o.n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
}
