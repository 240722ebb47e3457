/*
 * main.c - natlog's command line: global options, then the command table,
 * which says how each command needs the store opened. Everything else is
 * in the library; this file only dispatches.
 */
#include "natlog.h"
#include "timespec.h"
#include "analyze.h"
#include "cli.h"
#include "commands.h"
#include "store.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum { NEEDS_NOTHING, NEEDS_RO, NEEDS_RW };

static const struct {
	const char *name;
	int (*fn)(struct nl_cmd *, int, char **);
	int store;
	const char *summary;
} commands[] = {
	{ "import", cmd_import, NEEDS_RW, "read logs, traces and ruleset dumps into the store" },
	{ "merge", cmd_merge, NEEDS_RW, "copy other natlog stores (one per bundle or host) into this one" },
	{ "summary", cmd_summary, NEEDS_RO, "one screen on the store: what happened, what to run next" },
	{ "traces", cmd_traces, NEEDS_RO, "list traced packets, one line each" },
	{ "explain", cmd_explain, NEEDS_RO, "one packet's journey, rule by rule, and why" },
	{ "invalid", cmd_invalid, NEEDS_RO, "packets conntrack called invalid, and why" },
	{ "rules", cmd_rules, NEEDS_RO, "every dumped rule and policy: traces that hit it, packets it dropped" },
	{ "sql", cmd_sql, NEEDS_RO, "run a read-only SQL query on the store" },
	{ "flows", cmd_flows, NEEDS_RO, "connections conntrack saw, with NAT and Community IDs" },
	{ "errors", cmd_errors, NEEDS_RO, "input lines that could not be used" },
	{ "sources", cmd_sources, NEEDS_RO, "what was imported" },
	{ "report", cmd_report, NEEDS_RO, "one self-contained HTML page for a ticket, paths drawn" },
	{ "export", cmd_export, NEEDS_RO, "packets, steps, flows or errors as NDJSON or CSV, for other tools" },
};

static void usage(FILE *f)
{
	size_t i;
	fprintf(f,
		"usage: natlog [--db PATH] [--color[=WHEN]] [--no-pager] COMMAND [OPTIONS]\n"
		"\n"
		"Explains Linux netfilter debugging output offline: which rules a packet\n"
		"hit, its NAT rewrites, its verdict and why. 'natlog import' reads:\n"
		"%s"
		"\n"
		"commands:\n", nl_input_kinds);
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "  %-9s %s\n", "help", "this help, or 'natlog help COMMAND' for a command's");
	fprintf(f,
		"\n"
		"options (before or after the command, not after '--'):\n"
		"  --db PATH      the store (default: $NATLOG_DB, else ./natlog.db)\n"
		"  --color[=WHEN] colour: auto (a terminal and NO_COLOR unset; the default),\n"
		"                 always (--color alone) or never\n"
		"  --no-pager     do not page long output on a terminal ($NATLOG_PAGER,\n"
		"                 else $PAGER, else 'less -FRX')\n"
		"  -h, --help     this help; 'natlog COMMAND --help' for a command's\n"
		"  --version      print the version\n"
		"\n"
		"exit status: 0 success, 1 nothing matched, 2 usage error, 3 the input had\n"
		"errors (the import finished what it could), 4 store or I/O failure.\n");
}

/* The command named name, or -1. */
static int find_command(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i].name) == 0)
			return (int)i;
	return -1;
}

/* "'trace' is not a command", with the nearest one when there is one. */
static int not_a_command(const char *name)
{
	const char *names[sizeof commands / sizeof commands[0] + 2], *near;
	size_t i;
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		names[i] = commands[i].name;
	names[i++] = "help";
	names[i] = NULL;
	fprintf(stderr, "natlog: '%s' is not a command", nl_esc(name));
	if ((near = nl_nearest(name, names)))
		fprintf(stderr, "; did you mean '%s'?", near);
	fprintf(stderr, "\nsee 'natlog --help'\n");
	return NL_EXIT_USAGE;
}

/* The options every command takes may stand anywhere before "--" (kept for
 * the command): they are taken out of argv here, so a command's own
 * getopt never sees them. 0, or -1 after a usage message. */
static int take_globals(int *argc, char **argv, const char **db)
{
	int i, o = 1, rest = 0;
	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (rest || strcmp(a, "--") == 0) {
			rest = 1;
			argv[o++] = argv[i];
		} else if (strcmp(a, "--db") == 0) {
			if (i + 1 >= *argc || strcmp(argv[i + 1], "--") == 0) {
				fprintf(stderr, "natlog: option '--db' wants a path\nsee 'natlog --help'\n");
				return -1;
			}
			*db = argv[++i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			*db = a + 5;
		} else if (strcmp(a, "--color") == 0) {
			nl_color = 1;
		} else if (strncmp(a, "--color=", 8) == 0) {
			if (nl_choice_arg("", "--color", a + 8))
				return -1;
			nl_color = strcmp(a + 8, "always") == 0 ? 1 : strcmp(a + 8, "never") == 0 ? 0 : -1;
		} else if (strcmp(a, "--no-pager") == 0) {
			nl_no_pager = 1;
		} else {
			argv[o++] = argv[i];
		}
	}
	argv[o] = NULL;
	*argc = o;
	return 0;
}

/* Packets an interrupted import (kill -9 during its analysis) left without
 * a verdict are analysed before a query when the store can be written and
 * no import is running; otherwise the query says how many are left. The
 * indexes such an import dropped to build after its rows are built then
 * too (a query without them is slower, not wrong). */
static void finish_analysis(struct nl_cmd *c)
{
	struct nl_store *w;
	int64_t n = store_unanalyzed_count(c->s), done = 0;
	if (n <= 0 && store_indexes_left(c->s) <= 0)
		return;
	if (store_open_idle_writer(&w, c->db) == 0) {
		if (store_analysis_indexes(w) == 0 &&
		    (n <= 0 || (store_begin(w) == 0 && analyze_pending(w, &done, NULL) == 0 &&
				store_commit(w) == 0))) {
			store_close(w);
			if (n > 0)
				fprintf(stderr, "natlog: analysed %lld packets an interrupted import had "
						"left\n", (long long)done);
			return;
		}
		store_rollback(w);
		store_close(w);
	}
	n = store_unanalyzed_count(c->s);
	if (n > 0)
		fprintf(stderr, "natlog: warning: %lld packets are not analysed yet (an import is "
				"running, or one was interrupted and the store cannot be written); "
				"'natlog traces' shows them as not analysed yet\n", (long long)n);
}

struct nl_store *cmd_store(struct nl_cmd *c)
{
	struct nl_err err = { "" };
	if (c->s)
		return c->s;
	if (store_open(&c->s, c->db, c->mode, &err)) {
		fprintf(stderr, "natlog: %s\n", nl_esc(err.msg));
		c->s = NULL;
	} else if (c->mode == NL_STORE_RO) {
		if (store_warning(c->s))
			fprintf(stderr, "natlog: warning: %s\n", nl_esc(store_warning(c->s)));
		finish_analysis(c);
	}
	return c->s;
}

/* A full disk or /dev/full shows only here: stdio keeps the error until
 * the end. A reader that went away (EPIPE) is not an error worth a word:
 * SIGPIPE ends natlog quietly, and so does this when the signal is
 * ignored. */
static int close_stdout(int rc)
{
	int e = 0;
	if (fflush(stdout) != 0)
		e = errno;
	else if (ferror(stdout))	/* an earlier write: errno may since have changed */
		e = errno == EPIPE || errno == ENOSPC || errno == EDQUOT || errno == EFBIG ||
		    errno == EBADF ? errno : EIO;
	if (fclose(stdout) != 0 && !e)
		e = errno;
	if (!e)
		return rc;
	if (e != EPIPE)
		fprintf(stderr, "natlog: cannot write the output: %s\n", strerror(e));
	return NL_EXIT_STORE;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static char help_opt[] = "--help";
	const char *db = getenv("NATLOG_DB");
	struct nl_cmd cmd = { NULL, NL_STORE_RO, NULL };
	char *help_argv[3];
	int c, rc, k, i;

	nl_time_init();
	if (!db || !*db)
		db = "natlog.db";
	if (take_globals(&argc, argv, &db))
		return NL_EXIT_USAGE;
	while ((c = nl_getopt_as("", argc, argv, "+h", opts)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return close_stdout(NL_EXIT_OK);
		case 'V':
			printf("natlog %s\n", NL_VERSION);
			return close_stdout(NL_EXIT_OK);
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return NL_EXIT_USAGE;
	}
	k = optind;
	cmd.db = db;
	if (strcmp(argv[k], "__complete") == 0) {	/* for completion/natlog.bash */
		if (k + 2 == argc && strcmp(argv[k + 1], "commands") == 0) {
			for (i = 0; i < (int)(sizeof commands / sizeof commands[0]); i++)
				puts(commands[i].name);
			puts("help");
			return close_stdout(NL_EXIT_OK);
		}
		return close_stdout(cmd_complete(&cmd, argc - k, argv + k));
	}
	if (strcmp(argv[k], "help") == 0) {
		/* natlog help CMD is natlog CMD --help */
		if (k + 1 >= argc || strcmp(argv[k + 1], "help") == 0) {
			usage(stdout);
			return close_stdout(NL_EXIT_OK);
		}
		if (k + 2 < argc) {
			fprintf(stderr, "natlog help: give one command\nsee 'natlog --help'\n");
			return NL_EXIT_USAGE;
		}
		help_argv[0] = argv[k + 1];
		help_argv[1] = help_opt;
		help_argv[2] = NULL;
		argv = help_argv;
		argc = 2;
		k = 0;
	}
	if ((i = find_command(argv[k])) < 0)
		return not_a_command(argv[k]);
	cmd.mode = commands[i].store == NEEDS_RW ? NL_STORE_RW : NL_STORE_RO;
	optind = 0;	/* glibc: 0 re-initialises getopt for the command's own options */
	rc = commands[i].fn(&cmd, argc - k, argv + k);
	store_close(cmd.s);
	return close_stdout(rc);
}
