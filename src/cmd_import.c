/*
 * cmd_import.c - `natlog import [--host NAME] PATH...`: files, directories
 * or '-' for standard input. Prints a summary; exits 3 when some input
 * could not be used, 4 when the store failed.
 */
#include "natlog.h"
#include "cli.h"
#include "commands.h"
#include "ingest.h"
#include "jsonw.h"
#include "realign.h"
#include "store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: natlog import [OPTIONS] PATH...\n"
		"\n"
		"Reads what netfilter and its tools wrote:\n"
		"%s"
		"\n"
		"PATH may be a file, a directory (read recursively) or '-' for standard\n"
		"input. The format of each file is recognised by its content. The same\n"
		"content is imported only once.\n"
		"\n"
		"options:\n"
		"  --host NAME        host name for sources that do not name their host\n"
		"  --max-errors N     print at most N input errors (default 10); all are\n"
		"                     kept, see 'natlog errors'\n"
		"  --json             the summary as one JSON object on standard output\n"
		"  -q, --quiet        no progress bar and no summary\n"
		"  --progress         draw the progress bar even when stderr is not a terminal\n"
		"  --boot-time T      when the host booted, in epoch seconds: puts kernel\n"
		"                     times (dmesg) on the captures' clock\n"
		"  --year YYYY        the year of syslog and journal times that print none\n"
		"                     (a sosreport's name gives it); times are read in TZ\n"
		"  --max-entry-size N the most one archive member or compressed file may\n"
		"                     expand to, in bytes (default 4 GiB)\n"
		"  --max-expansion N  the most all compressed files and archives of the\n"
		"                     import may expand to together, in bytes (default 64 GiB)\n"
		"  -h, --help         this help\n", nl_input_kinds);
}

/* The summary line's counts, and what the notes after it count. */
static void summary_json(const struct nl_import_stats *st, double secs)
{
	int first = 1;
	const struct { const char *key; int64_t v; } f[] = {
		{ "files", st->files }, { "already", st->already }, { "unreadable", st->failed },
		{ "lines", st->lines }, { "events", st->events }, { "packets", st->packets },
		{ "rulesets", st->rulesets }, { "errors", st->errors }, { "skipped", st->skipped },
		{ "lines_already", st->dups }, { "not_a_format", st->unknown },
		{ "links_or_devices", st->ignored }, { "loss_lines", st->losses },
		{ "lines_lost", st->lost }, { "kernel_drop_lines", st->health },
		{ "ct_stats_drop_rows", st->ct_drops },
		{ "ct_stats_drop_rows_netns", st->ct_drops_netns },
		{ "loss_lines_netns", st->losses_netns },
		{ "loss_lines_conntrack", st->losses_ct },
		{ "loss_lines_monitor", st->losses_mon },
	};
	size_t i;
	putchar('{');
	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		jw_key(stdout, &first, f[i].key);
		jw_num(stdout, f[i].v);
	}
	jw_key(stdout, &first, "seconds");
	printf("%.3f", secs);
	fputs("}\n", stdout);
}

/* The conntrack statistics rows that count drops: the host's, and apart
 * those listed inside network namespaces, each of which has a table and
 * counters of its own. */
static void ct_drops_note(const struct nl_import_stats *st)
{
	int64_t host = st->ct_drops - st->ct_drops_netns, ns = st->ct_drops_netns;
	if (host)
		fprintf(stderr, "natlog: %lld conntrack statistics row%s (conntrack -S, "
				"/proc/net/stat/nf_conntrack) count%s packets the kernel dropped by itself\n",
			(long long)host, host == 1 ? "" : "s", host == 1 ? "s" : "");
	if (ns)
		fprintf(stderr, "natlog: %lld conntrack statistics row%s listed inside network "
				"namespace%s %s count%s packets dropped by %s conntrack table, not the "
				"host's\n", (long long)ns, ns == 1 ? "" : "s",
			strchr(st->ct_drops_ns, ',') ? "s" : "", nl_esc(st->ct_drops_ns),
			ns == 1 ? "s" : "", strchr(st->ct_drops_ns, ',') ? "their own" : "its own");
}

/* Each kind of loss line, with what it can have made incomplete. */
static void loss_notes(const struct nl_import_stats *st)
{
	int64_t klog = st->losses - st->losses_netns - st->losses_ct - st->losses_mon;
	if (klog > 0)
		fprintf(stderr, "natlog: %lld log line%s say%s that lines were lost (%lld in all, where "
				"said): traces near them may be incomplete, and explain says so\n",
			(long long)klog, klog == 1 ? "" : "s", klog == 1 ? "s" : "", (long long)st->lost);
	if (st->losses_mon)
		fprintf(stderr, "natlog: %lld line%s of nft monitor or xtables-monitor say%s that its "
				"events were lost: the traces and ruleset events of that file may be "
				"incomplete, and explain says so\n", (long long)st->losses_mon,
			st->losses_mon == 1 ? "" : "s", st->losses_mon == 1 ? "s" : "");
	if (st->losses_ct)
		fprintf(stderr, "natlog: %lld line%s of conntrack say%s that its events were lost: "
				"connection records (flows, explain's conntrack entries) may be missing; "
				"they bear on no trace\n", (long long)st->losses_ct,
			st->losses_ct == 1 ? "" : "s", st->losses_ct == 1 ? "s" : "");
}

/* What the logs said about their own completeness and the kernel's health. */
static void import_trust_summary(struct nl_store *s, const struct nl_import_stats *st)
{
	int64_t ns = store_count_sql(s, "SELECT count(*) FROM sysctls y WHERE y.name = "
				 "'net.netfilter.nf_log_all_netns' AND y.value = '0' AND y.netns IS NULL "
				 "AND EXISTS (SELECT 1 FROM rulesets r WHERE "
				 "r.netns IS NOT NULL AND r.host IS y.host)", NULL);
	if (ns > 0)
		fprintf(stderr, "natlog: net.netfilter.nf_log_all_netns = 0 on a host whose network "
				"namespaces' rulesets were dumped: the kernel logged no TRACE or LOG line "
				"of those namespaces (containers)\n");
	loss_notes(st);
	if (st->losses_netns)	/* conntrack -E run in a namespace */
		fprintf(stderr, "natlog: %lld line%s of conntrack run inside a network namespace say%s "
				"that its events were lost: they bear on that namespace's connections, "
				"not on the host's traces\n", (long long)st->losses_netns,
			st->losses_netns == 1 ? "" : "s", st->losses_netns == 1 ? "s" : "");
	if (st->restate_cut)
		rl_say_cut(st->restate_cut);
	if (st->health)
		fprintf(stderr, "natlog: %lld kernel line%s say%s that the kernel dropped packets by "
				"itself (conntrack table full, SYN flooding, a helper's drop)\n",
			(long long)st->health, st->health == 1 ? "" : "s", st->health == 1 ? "s" : "");
	ct_drops_note(st);
}

int cmd_import(struct nl_cmd *cmd, int argc, char **argv)
{
	struct nl_store *s;
	static const struct option opts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "max-errors", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "progress", no_argument, NULL, 'p' },
		{ "max-entry-size", required_argument, NULL, 'E' },
		{ "max-expansion", required_argument, NULL, 'X' },
		{ "boot-time", required_argument, NULL, 'B' },
		{ "year", required_argument, NULL, 'Y' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_import_opts o = { NULL, 10, 0, 0, (int64_t)4 << 30, (int64_t)64 << 30, -1, 0, 0 };
	struct nl_import_stats st;
	struct timeval t0, t1;
	int c, force_progress = 0, json = 0;
	double secs;

	while ((c = nl_getopt(argc, argv, "qh", opts)) != -1) {
		switch (c) {
		case 'H':
			o.host = optarg;
			break;
		case 'm': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 0) {
				fprintf(stderr, "natlog import: --max-errors wants a number, not '%s'\n",
					optarg);
				return NL_EXIT_USAGE;
			}
			o.max_errors = v;
			break;
		}
		case 'q':
			o.quiet = 1;
			break;
		case 'Y': {
			uint64_t y;
			if (!nl_parse_u64(optarg, strlen(optarg), 9999, &y) || y < 1970) {
				fprintf(stderr, "natlog import: --year wants a year such as 2026, not '%s'\n",
					optarg);
				return NL_EXIT_USAGE;
			}
			o.year = (int)y;
			break;
		}
		case 'B': {
			double v;
			if (!nl_parse_decimal(optarg, strlen(optarg), &v) || v < 1) {
				fprintf(stderr, "natlog import: --boot-time wants epoch seconds (as "
						"`date -d \"$(uptime -s)\" +%%s` prints), not '%s'\n", optarg);
				return NL_EXIT_USAGE;
			}
			o.boot_us = (int64_t)(v * 1e6 + 0.5);
			break;
		}
		case 'E': {
			uint64_t v;
			if (!nl_parse_u64(optarg, strlen(optarg), INT64_MAX, &v) || v == 0) {
				fprintf(stderr, "natlog import: --max-entry-size wants a number of bytes, "
						"not '%s'\n", optarg);
				return NL_EXIT_USAGE;
			}
			o.max_entry = (int64_t)v;
			break;
		}
		case 'X': {
			uint64_t v;
			if (!nl_parse_u64(optarg, strlen(optarg), INT64_MAX, &v) || v == 0) {
				fprintf(stderr, "natlog import: --max-expansion wants a number of bytes, "
						"not '%s'\n", optarg);
				return NL_EXIT_USAGE;
			}
			o.max_expansion = (int64_t)v;
			break;
		}
		case 'p':
			force_progress = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			usage(stdout);
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "natlog import: nothing to import; give files, directories or '-'\n"
				"see 'natlog import --help'\n");
		return NL_EXIT_USAGE;
	}
	o.progress = !o.quiet && (force_progress || isatty(2));
	memset(&st, 0, sizeof st);
	gettimeofday(&t0, NULL);
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	ingest_paths(s, argv + optind, argc - optind, &o, &st);
	gettimeofday(&t1, NULL);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6;
	if (json)
		summary_json(&st, secs);
	if (!o.quiet && !json) {
		fprintf(stderr,
			"imported %lld file%s (%lld already imported, %lld unreadable): %lld lines, "
			"%lld events, %lld packets, %lld ruleset%s, %lld error%s, %lld other lines "
			"skipped, in %.2f s\n",
			(long long)st.files, st.files == 1 ? "" : "s", (long long)st.already,
			(long long)st.failed, (long long)st.lines, (long long)st.events,
			(long long)st.packets, (long long)st.rulesets, st.rulesets == 1 ? "" : "s",
			(long long)st.errors, st.errors == 1 ? "" : "s", (long long)st.skipped, secs);
	}
	if (!o.quiet) {
		if (st.errors)
			fprintf(stderr, "natlog: some input could not be used; 'natlog errors' lists it\n");
		import_trust_summary(s, &st);
	}
	if (st.store_failed)
		return NL_EXIT_STORE;
	if (!o.quiet && st.dups)
		fprintf(stderr, "natlog: %lld line%s already in the store from another file "
				"(the same kernel message in dmesg, syslog or the journal)\n",
			(long long)st.dups, st.dups == 1 ? " was" : "s were");
	if (!o.quiet && st.unknown)
		fprintf(stderr, "natlog: %lld file%s not a format natlog reads (no log lines, "
				"ruleset or capture), e.g. '%s'\n", (long long)st.unknown,
			st.unknown == 1 ? " is" : "s are", st.unknown_first);
	if (!o.quiet && st.ignored)
		fprintf(stderr, "natlog: %lld archive members that are links or devices were not read\n",
			(long long)st.ignored);
	if (st.errors || st.failed)
		return NL_EXIT_INPUT;
	return NL_EXIT_OK;
}
