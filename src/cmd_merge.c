/*
 * cmd_merge.c - `natlog merge STORE...`: other natlog stores (one per
 * bundle, made where the bundle was) copied into this one, then analysed
 * as an import's packets are. Every input is checked before anything is
 * written; each is copied in one transaction, and what this store holds
 * already (the same content for the same host) is not copied again.
 */
#include "natlog.h"
#include "analyze.h"
#include "cli.h"
#include "commands.h"
#include "jsonw.h"
#include "realign.h"
#include "store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: natlog merge [OPTIONS] STORE...\n"
		"\n"
		"Copies other natlog stores (made by 'natlog --db FILE import', one per\n"
		"bundle or host) into this one (--db, created if missing): their sources,\n"
		"packets, steps, rulesets, conntrack records, captures and errors, then\n"
		"analyses the packets as an import does. A source this store has (the\n"
		"same content for the same host) is not copied again; trace ids stay as\n"
		"they were, or are numbered on (.2, .3) when this store has one. A store\n"
		"of an older natlog is upgraded in a temporary copy; a file that is not a\n"
		"natlog store, or one of a newer natlog, is refused (exit 4) before\n"
		"anything is written.\n"
		"\n"
		"options:\n"
		"  --json       the summary as one JSON object on standard output\n"
		"  -q, --quiet  no summary\n"
		"  -h, --help   this help\n");
}

static void summary_json(const struct nl_merge_stats *t, int64_t stores, int64_t analyzed)
{
	int first = 1;
	const struct { const char *key; int64_t v; } f[] = {
		{ "stores", stores }, { "sources", t->sources }, { "already", t->already },
		{ "packets", t->packets }, { "events", t->events }, { "rulesets", t->rulesets },
		{ "conntrack", t->flows }, { "errors", t->errors }, { "renamed", t->renamed },
		{ "lines_already", t->dropped }, { "lines_kept_twice", t->dups },
		{ "analyzed", analyzed },
	};
	size_t i;
	putchar('{');
	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		jw_key(stdout, &first, f[i].key);
		jw_num(stdout, f[i].v);
	}
	fputs("}\n", stdout);
}

int cmd_merge(struct nl_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_merge_stats tot;
	struct nl_store *s;
	struct nl_err err = { "" };
	int c, i, n, json = 0, quiet = 0, *version, status = NL_EXIT_OK;
	int64_t analyzed = 0, cut = 0;

	while ((c = nl_getopt(argc, argv, "qh", opts)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	n = argc - optind;
	if (n <= 0) {
		fprintf(stderr, "natlog merge: nothing to merge; give the stores to copy in\n"
				"see 'natlog merge --help'\n");
		return NL_EXIT_USAGE;
	}
	version = calloc((size_t)n, sizeof *version);
	if (!version) {
		fprintf(stderr, "natlog: out of memory\n");
		return NL_EXIT_STORE;
	}
	/* all are looked at first: a bad one leaves the store as it was */
	for (i = 0; i < n; i++)
		if (store_merge_check(argv[optind + i], cmd->db, &version[i], &err)) {
			fprintf(stderr, "natlog merge: %s; nothing merged\n", nl_esc(err.msg));
			free(version);
			return NL_EXIT_STORE;
		}
	if (!(s = cmd_store(cmd))) {
		free(version);
		return NL_EXIT_STORE;
	}
	memset(&tot, 0, sizeof tot);
	for (i = 0; i < n; i++) {
		struct nl_merge_stats ms;
		const char *path = argv[optind + i];
		int rc;
		memset(&ms, 0, sizeof ms);
		rc = store_merge(s, path, version[i], &ms, &err);
		if (rc) {
			/* each store is one transaction: those before it stay merged */
			fprintf(stderr, "natlog merge: '%s': %s; not merged%s\n", nl_esc(path),
				nl_esc(rc == -2 ? err.msg : store_errmsg(s)),
				i ? " (the stores before it were)" : "");
			status = NL_EXIT_STORE;
			break;
		}
		if (!quiet && !json && ms.sources == 0)
			fprintf(stderr, "natlog: '%s' holds nothing new (its %lld source%s here "
					"already); nothing added\n", nl_esc(path), (long long)ms.already,
				ms.already == 1 ? " is" : "s are");
		if (!quiet && !json && ms.dropped)
			fprintf(stderr, "natlog: %lld lines of '%s' were already in the store from another "
					"file (the same kernel message in dmesg, syslog or the journal)\n",
				(long long)ms.dropped, nl_esc(path));
		if (!quiet && ms.dups)
			fprintf(stderr, "natlog: warning: %lld kernel line%s of '%s' %s in the store "
					"already, from another file of the same host, in packets only partly "
					"there: kept twice, where one import of both files keeps each once\n",
				(long long)ms.dups, ms.dups == 1 ? "" : "s", nl_esc(path),
				ms.dups == 1 ? "was" : "were");
		tot.sources += ms.sources;
		tot.dups += ms.dups;
		tot.dropped += ms.dropped;
		tot.already += ms.already;
		tot.packets += ms.packets;
		tot.events += ms.events;
		tot.rulesets += ms.rulesets;
		tot.flows += ms.flows;
		tot.errors += ms.errors;
		tot.renamed += ms.renamed;
	}
	free(version);
	/* the end of an import: every packet not analysed yet */
	if (store_analysis_indexes(s) || store_begin(s) || analyze_pending(s, &analyzed, &cut) ||
	    store_commit(s)) {
		fprintf(stderr, "natlog: store failure while analysing packets: %s\n",
			nl_esc(store_errmsg(s)));
		store_rollback(s);
		return NL_EXIT_STORE;
	}
	if (cut)
		rl_say_cut(cut);
	if (status != NL_EXIT_OK)
		return status;
	if (json)
		summary_json(&tot, n, analyzed);
	else if (!quiet)
		fprintf(stderr, "merged %d store%s: %lld source%s (%lld already here), %lld packets, "
				"%lld events, %lld ruleset%s, %lld conntrack records, %lld error%s; "
				"%lld trace id%s numbered on\n",
			n, n == 1 ? "" : "s", (long long)tot.sources, tot.sources == 1 ? "" : "s",
			(long long)tot.already, (long long)tot.packets, (long long)tot.events,
			(long long)tot.rulesets, tot.rulesets == 1 ? "" : "s", (long long)tot.flows,
			(long long)tot.errors, tot.errors == 1 ? "" : "s", (long long)tot.renamed,
			tot.renamed == 1 ? "" : "s");
	return NL_EXIT_OK;
}
