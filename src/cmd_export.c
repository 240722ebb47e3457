/*
 * cmd_export.c - `natlog export [--ndjson|--csv] [--what W] [filters]`:
 * packets, their steps, connections or input errors as one JSON object
 * per line or as CSV, for another tool (ClickHouse, Elasticsearch, a
 * spreadsheet, sqlite3). Rows are written as the store yields them; only
 * one packet's analysis is held at a time. Each row names its host, and
 * packets and steps their trace, so several stores' exports concatenate.
 */
#include "natlog.h"
#include "analyze.h"
#include "cli.h"
#include "commands.h"
#include "csvw.h"
#include "filter.h"
#include "jsonw.h"
#include "store.h"
#include "timespec.h"

#include <stdlib.h>
#include <string.h>

enum { W_PACKETS, W_STEPS, W_FLOWS, W_ERRORS };

static const char *const what_names[] = { "packets", "steps", "flows", "errors" };

struct ex {
	int csv, what;
	long n;
	struct nl_store *s;
	const struct nl_filter *f;
	int any_traced;
	struct nl_rscache rc;
	int failed;
};

static const char packet_header[] =
	"trace,source,host,family,time,uptime,proto,src,sport,dst,dport,ip_id,tcp_seq,icmp_type,"
	"icmp_id,tcp_flags,verdict,analyzed,verdict_inferred,decided_family,decided_table,"
	"decided_chain,decided_type,decided_position,decided_handle,decided_rule,logged,log_prefix,"
	"netns";

static const char step_header[] =
	"trace,host,step,hook,family,table,chain,type,position,handle,rule,verdict,matches_dump,"
	"mismatch_reason,time,file,line,src,dst,sport,dport,iif,oif,ttl,len,mark,ct_direction,"
	"ct_state,ct_status,ct_id,rewound";

static const char error_header[] = "host,file,line,reason,text";

/* The same columns and values as nl_json_packet_keys() and traces' log_prefix. */
static void csv_packet(const struct nl_packet_row *p, const char *prefix)
{
	FILE *f = stdout;
	char flags[64], num[24];
	const char *pn = nl_proto_name(p->proto);
	int first = 1, logged = !strcmp(p->source, "log");
	cw_str(f, &first, p->trace);
	cw_str(f, &first, p->source);
	cw_str(f, &first, p->host);
	cw_str(f, &first, p->family == 6 ? "ip6" : p->family == 4 ? "ip" : NULL);
	cw_str(f, &first, p->time);
	num[0] = '\0';
	if (p->uptime >= 0)
		snprintf(num, sizeof num, "%.6f", p->uptime);
	cw_str(f, &first, num);
	snprintf(num, sizeof num, "%d", p->proto);
	cw_str(f, &first, pn ? pn : p->proto >= 0 ? num : NULL);
	cw_str(f, &first, p->src);
	cw_num(f, &first, p->sport);
	cw_str(f, &first, p->dst);
	cw_num(f, &first, p->dport);
	cw_num(f, &first, p->ip_id);
	cw_num(f, &first, p->tcp_seq);
	cw_num(f, &first, p->proto == 1 || p->proto == 58 ? p->icmp_type : -1);
	cw_num(f, &first, p->proto == 1 || p->proto == 58 ? p->icmp_id : -1);
	nl_tcp_flags_str(p->tcp_flags, flags, sizeof flags);
	cw_str(f, &first, p->tcp_flags >= 0 ? flags : NULL);
	cw_str(f, &first, !p->analyzed ? NULL : p->verdict[0] ? p->verdict : "unknown");
	cw_bool(f, &first, p->analyzed);
	cw_bool(f, &first, !p->analyzed ? -1 : p->verdict_inferred && !logged);
	cw_str(f, &first, p->has_decided ? p->decided_family : NULL);
	cw_str(f, &first, p->has_decided ? p->decided_table : NULL);
	cw_str(f, &first, p->has_decided ? p->decided_chain : NULL);
	cw_str(f, &first, p->has_decided ? p->decided_type : NULL);
	cw_num(f, &first, p->has_decided ? p->decided_position : -1);
	cw_num(f, &first, p->has_decided ? p->decided_handle : -1);
	cw_str(f, &first, p->has_decided && p->has_decided_rule ? p->decided_rule : NULL);
	cw_bool(f, &first, logged);
	cw_str(f, &first, logged ? prefix : NULL);
	cw_str(f, &first, p->netns);
	cw_end(f);
}

static void csv_step(const struct nl_packet_row *p, size_t i, const struct nl_step *s)
{
	FILE *f = stdout;
	const struct nl_pkt *k = &s->ev.pkt;
	int first = 1;
	cw_str(f, &first, p->trace);
	cw_str(f, &first, p->host);
	cw_num(f, &first, (int64_t)i + 1);
	cw_str(f, &first, nl_hook_name(s->hook));
	cw_str(f, &first, s->ev.nft_family);
	cw_str(f, &first, s->ev.table);
	cw_str(f, &first, s->ev.chain);
	cw_str(f, &first, s->ev.type);
	cw_num(f, &first, s->position);
	cw_num(f, &first, s->ev.handle >= 0 ? s->ev.handle : s->rule ? s->rule->handle : -1);
	cw_str(f, &first, s->rule_text);
	cw_str(f, &first, s->effect);
	cw_bool(f, &first, s->mismatch ? 0 : s->chain ? 1 : -1);
	cw_str(f, &first, s->why);
	cw_str(f, &first, s->ev.time);
	cw_str(f, &first, s->file);
	cw_num(f, &first, s->ev.line);
	cw_str(f, &first, k->src);
	cw_str(f, &first, k->dst);
	cw_num(f, &first, k->sport);
	cw_num(f, &first, k->dport);
	cw_str(f, &first, k->iif);
	cw_str(f, &first, k->oif);
	cw_num(f, &first, k->ttl);
	cw_num(f, &first, k->len);
	cw_num(f, &first, k->mark);
	cw_str(f, &first, k->ct_dir);
	cw_str(f, &first, k->ct_state);
	cw_str(f, &first, k->ct_status);
	cw_num(f, &first, k->ct_id);
	cw_bool(f, &first, s->rewound);
	cw_end(f);
}

static int note_traced(void *ctx, const struct nl_packet_row *p)
{
	struct ex *x = ctx;
	if (strcmp(p->source, "log") != 0)
		x->any_traced = 1;
	return 0;
}

/* The steps of one packet, as explain finds them (positions and rule
 * text from the dumps). */
static int export_steps(struct ex *x, const struct nl_packet_row *p)
{
	struct nl_analysis a;
	size_t i;
	rscache_trim(&x->rc);
	if (analyze_packet(x->s, p, &x->rc, &a)) {
		analysis_free(&a);
		x->failed = 1;
		return -1;
	}
	for (i = 0; i < a.n; i++) {
		if (x->csv) {
			csv_step(p, i, &a.steps[i]);
		} else {
			int first = 1;
			fputc('{', stdout);
			jw_key(stdout, &first, "trace");
			jw_str(stdout, p->trace);
			jw_key(stdout, &first, "host");
			jw_str(stdout, p->host);
			jw_key(stdout, &first, "step");
			jw_num(stdout, (int64_t)i + 1);
			fputs(", ", stdout);
			nl_json_step_keys(stdout, &a.steps[i]);
			fputs("}\n", stdout);
		}
		x->n++;
	}
	analysis_free(&a);
	return 0;
}

/* Packets as traces lists them: a LOG line of a traced packet is part of
 * that packet, not a row of its own. */
static int export_packet(void *ctx, const struct nl_packet_row *p)
{
	struct ex *x = ctx;
	char prefix[160];
	if (x->any_traced && nl_log_of_traced_stored(x->s, p))
		return 0;
	if (x->what == W_STEPS)
		return export_steps(x, p);
	nl_log_prefix(x->s, p, prefix);
	if (x->csv) {
		csv_packet(p, prefix);
	} else {
		int first = 0;
		fputc('{', stdout);
		nl_json_packet_keys(stdout, p);
		if (!strcmp(p->source, "log")) {
			jw_key(stdout, &first, "log_prefix");
			jw_str(stdout, prefix);
		}
		fputs("}\n", stdout);
	}
	x->n++;
	return 0;
}

static int export_error(void *ctx, const struct nl_error_row *e)
{
	struct ex *x = ctx;
	FILE *f = stdout;
	int first = 1;
	if (x->f->host && strcmp(x->f->host, e->host) != 0)
		return 0;
	if (x->csv) {
		cw_str(f, &first, e->host);
		cw_str(f, &first, e->file);
		cw_num(f, &first, e->line);
		cw_str(f, &first, e->reason);
		cw_str(f, &first, e->text);
		cw_end(f);
	} else {
		fputc('{', f);
		jw_key(f, &first, "host");
		jw_str(f, e->host);
		jw_key(f, &first, "file");
		jw_str(f, e->file);
		jw_key(f, &first, "line");
		jw_num(f, e->line);
		jw_key(f, &first, "reason");
		jw_str(f, e->reason);
		jw_key(f, &first, "text");
		jw_str(f, e->text);
		fputs("}\n", f);
	}
	x->n++;
	return 0;
}

/* Input errors are lines, not packets: only --host (their source's) applies. */
static const struct nl_filter_na errors_na[] = {
	{ NL_FOPT_SRC, "an input error is a line natlog could not read, with no packet fields" },
	{ NL_FOPT_DST, "an input error is a line natlog could not read, with no packet fields" },
	{ NL_FOPT_PORT, "an input error is a line natlog could not read, with no packet fields" },
	{ NL_FOPT_PROTO, "an input error is a line natlog could not read, with no packet fields" },
	{ NL_FOPT_SEQ, "an input error is a line natlog could not read, with no packet fields" },
	{ NL_FOPT_IPID, "an input error is a line natlog could not read, with no packet fields" },
	{ NL_FOPT_VERDICT, "an input error has no verdict" },
	{ NL_FOPT_RULE, "an input error hit no rule" },
	{ NL_FOPT_IFACE, "an input error is a line natlog could not read, with no interface" },
	{ NL_FOPT_SINCE, "an input error keeps no time natlog could read" },
	{ NL_FOPT_UNTIL, "an input error keeps no time natlog could read" },
	{ 0, NULL },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: natlog export [--ndjson | --csv] [--what WHAT] [FILTERS]\n"
		"\n"
		"Writes the store's rows for another tool, streamed: one JSON object per\n"
		"line (--ndjson, the default) or CSV with a header line (--csv, RFC 4180\n"
		"quoting). Every row names its host; packets and steps their trace.\n"
		"\n"
		"  --what packets   traced (and only logged) packets, as `traces --json` (default)\n"
		"  --what steps     each step of those packets, as `explain --json` steps,\n"
		"                   with trace, host and step (1-based)\n"
		"  --what flows     connections, as `flows --json` (the filters of `flows`)\n"
		"  --what errors    input lines that could not be used (only --host applies)\n"
		"\n"
		"filters (those of `natlog traces`; the packets a step belongs to):\n%s"
		"  -h, --help        this help\n"
		"\n"
		"times:\n%s"
		"\n"
		"exit status: 0 rows written, 1 none matched, 2 usage, 4 store or I/O failure.\n",
		nl_filter_help, nl_timespec_forms);
}

int cmd_export(struct nl_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ndjson", no_argument, NULL, 'n' },
		{ "csv", no_argument, NULL, 'c' },
		{ "what", required_argument, NULL, 'w' },
		NL_FILTER_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_filter_opts fo;
	struct ex x;
	int c, rc, fmt = 0;
	size_t i;

	memset(&x, 0, sizeof x);
	nl_filter_opts_init(&fo);
	while ((c = nl_getopt(argc, argv, "h", opts)) != -1) {
		if ((rc = nl_filter_opt("export", c, optarg, &fo)) <= 0) {
			if (rc < 0)
				return NL_EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'n':
		case 'c':
			if (fmt && fmt != c) {
				fprintf(stderr, "natlog export: --ndjson and --csv exclude each other\n");
				return NL_EXIT_USAGE;
			}
			fmt = c;
			break;
		case 'w':
			if (nl_choice_arg("export", "--what", optarg))
				return NL_EXIT_USAGE;
			for (i = 0; strcmp(optarg, what_names[i]); i++)
				;
			x.what = (int)i;
			break;
		case 'h':
			usage(stdout);
			return NL_EXIT_OK;
		default:
			usage(stderr);
			return NL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "natlog export: unexpected argument '%s'\n", argv[optind]);
		return NL_EXIT_USAGE;
	}
	x.csv = fmt == 'c';
	if (x.what == W_FLOWS)
		return nl_flows_list(cmd, &fo, x.csv ? NL_OUT_CSV : NL_OUT_NDJSON, 1);
	if (x.what == W_ERRORS && nl_filter_check("export --what errors", &fo, errors_na))
		return NL_EXIT_USAGE;
	if (!(x.s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	x.f = &fo.f;
	nl_filter_times("export", x.s, &fo);
	if (x.csv)
		cw_header(stdout, x.what == W_PACKETS ? packet_header
				  : x.what == W_STEPS ? step_header : error_header);
	if (x.what == W_ERRORS) {
		rc = store_errors(x.s, -1, export_error, &x);
	} else {
		rc = store_packets(x.s, &fo.f, note_traced, &x);
		if (rc >= 0)
			rc = store_packets(x.s, &fo.f, export_packet, &x);
		rc = rc < 0 ? -1 : 0;
		rscache_free(&x.rc);
	}
	if (rc) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(x.s)[0] ? store_errmsg(x.s)
								     : "out of memory"));
		return NL_EXIT_STORE;
	}
	if (x.what != W_ERRORS)
		nl_time_left_out("export", fo.f.left_out, fo.f.since_clock, fo.f.until_clock);
	if (!x.n)
		fprintf(stderr, "natlog export: no %s match\n", what_names[x.what]);
	return x.n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
}
