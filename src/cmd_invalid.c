/*
 * cmd_invalid.c - `natlog invalid [--json] [filters]`:
 * the packets conntrack logged as
 * invalid (nf_ct_proto_N lines), with the kernel's reason and the traced
 * packet each belongs to; the text form first counts them by reason.
 */
#include "natlog.h"
#include "commands.h"
#include "filter.h"
#include "jsonw.h"
#include "store.h"
#include "timespec.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

struct reason {
	char text[200];
	long count;
};

struct out {
	int json, n;
	struct reason *reasons;
	size_t nreasons, cap;
	FILE *lines;		/* text form: the lines, printed after the counts */
	int since_clock, until_clock;
	int64_t since_us, until_us, left_out;
};

/* 1 when the line passes --since and --until (the store applied the
 * other filters); counts the lines a bound's clock cannot place */
static int wanted(struct out *o, const struct nl_invalid_row *r)
{
	int a, b;
	a = nl_time_within(o->since_clock, o->since_us, 0, r->wall_us, r->uptime_us, r->time);
	b = nl_time_within(o->until_clock, o->until_us, 1, r->wall_us, r->uptime_us, r->time);
	if (a < 0 || b < 0)
		o->left_out++;
	return a > 0 && b > 0;
}

static int add_reason(struct out *o, const char *text)
{
	size_t i;
	for (i = 0; i < o->nreasons; i++)
		if (!strcmp(o->reasons[i].text, text)) {
			o->reasons[i].count++;
			return 0;
		}
	if (o->nreasons == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		struct reason *r = realloc(o->reasons, cap * sizeof *r);
		if (!r)
			return -1;
		o->reasons = r;
		o->cap = cap;
	}
	nl_strlcpy(o->reasons[o->nreasons].text, text, sizeof o->reasons[0].text);
	o->reasons[o->nreasons++].count = 1;
	return 0;
}

static int print_row(void *ctx, const struct nl_invalid_row *r)
{
	struct out *o = ctx;
	const char *pn = nl_proto_name(r->proto);
	if (!wanted(o, r))
		return 0;
	if (o->json) {
		int first = 1;
		FILE *f = stdout;
		fputs(o->n ? ",\n {" : "[{", f);
		jw_key(f, &first, "time");
		jw_str(f, r->time);
		jw_key(f, &first, "host");
		jw_str(f, r->host);
		jw_key(f, &first, "proto");
		if (pn)
			jw_str(f, pn);
		else
			jw_num(f, r->proto);
		jw_key(f, &first, "src");
		jw_str(f, r->src);
		jw_key(f, &first, "sport");
		jw_num(f, r->sport);
		jw_key(f, &first, "dst");
		jw_str(f, r->dst);
		jw_key(f, &first, "dport");
		jw_num(f, r->dport);
		jw_key(f, &first, "reason");
		jw_str(f, r->reason);
		jw_key(f, &first, "trace");
		jw_str(f, r->trace);
		jw_key(f, &first, "file");
		jw_str(f, r->file);
		jw_key(f, &first, "line");
		jw_num(f, r->line);
		fputc('}', f);
	} else {
		char tuple[200];
		nl_fmt_tuple(tuple, sizeof tuple, r->proto, r->src, r->sport, r->dst, r->dport,
			     strchr(r->src, ':') ? 6 : 4);
		if (add_reason(o, r->reason))
			return -1;
		fprintf(o->lines, "%-17s %-12s %-50s %s\n", r->time[0] ? nl_esc(r->time) : "-",
			r->trace[0] ? nl_esc(r->trace) : "-", nl_esc(tuple), nl_esc(r->reason));
	}
	o->n++;
	return 0;
}

/* The filters conntrack's invalid lines cannot answer by themselves. */
static const struct nl_filter_na not_here[] = {
	{ NL_FOPT_RULE, "a conntrack invalid line names no rule (conntrack judged the packet "
			"before or outside the rules); 'natlog traces --rule' lists the traced "
			"packets that hit it" },
	{ NL_FOPT_VERDICT, "a conntrack invalid line has no verdict of its own; 'natlog traces "
			   "--verdict' filters the traced packets" },
	{ 0, NULL },
};

int cmd_invalid(struct nl_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		NL_FILTER_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_filter_opts fo;
	struct out o;
	struct nl_store *s;
	int c, rc;
	size_t i;

	memset(&o, 0, sizeof o);
	nl_filter_opts_init(&fo);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((rc = nl_filter_opt("invalid", c, optarg, &fo)) <= 0) {
			if (rc < 0)
				return NL_EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'j': o.json = 1; break;
		case 'h':
			printf("usage: natlog invalid [--json] [FILTERS]\n\n"
			       "Lists the packets conntrack logged as invalid (nf_ct_proto_N lines, with\n"
			       "net.netfilter.nf_conntrack_log_invalid set), with the kernel's reason and\n"
			       "the traced packet each belongs to; the text form counts them by reason.\n"
			       "\nfilters (on the line's own fields; --rule and --verdict do not apply):\n%s"
			       "\ntimes:\n%s"
			       "\nexit status: 0 listed, 1 none, 2 usage.\n", nl_filter_help,
			       nl_timespec_forms);
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (nl_filter_check("invalid", &fo, not_here))
		return NL_EXIT_USAGE;
	if (optind < argc) {
		fprintf(stderr, "natlog invalid: unexpected argument '%s'\n", argv[optind]);
		return NL_EXIT_USAGE;
	}
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	nl_filter_times("invalid", s, &fo);
	o.since_clock = fo.f.since_clock;
	o.since_us = fo.f.since_us;
	o.until_clock = fo.f.until_clock;
	o.until_us = fo.f.until_us;
	if (!o.json && !(o.lines = tmpfile())) {
		fprintf(stderr, "natlog: cannot create a temporary file\n");
		return NL_EXIT_STORE;
	}
	rc = store_invalid_where(s, &fo.f, print_row, &o);
	if (rc) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
	} else if (o.json) {
		puts(o.n ? "]" : "[]");
	} else if (o.n) {
		char buf[4096];
		size_t k;
		printf("%6s  %s\n", "COUNT", "REASON");
		for (i = 0; i < o.nreasons; i++)
			printf("%6ld  %s\n", o.reasons[i].count, nl_esc(o.reasons[i].text));
		printf("\n%-17s %-12s %-50s %s\n", "TIME", "TRACE", "PACKET", "REASON");
		rewind(o.lines);
		while ((k = fread(buf, 1, sizeof buf, o.lines)) > 0)
			fwrite(buf, 1, k, stdout);
	}
	if (o.lines)
		fclose(o.lines);
	free(o.reasons);
	if (rc)
		return NL_EXIT_STORE;
	nl_time_left_out_what("invalid", "line", o.left_out, o.since_clock, o.until_clock);
	if (!o.n && fo.given)
		fprintf(stderr, "natlog invalid: no packets match\n");
	else if (!o.n)
		fprintf(stderr, "natlog invalid: no packets match (no conntrack invalid lines; the "
				"kernel logs them with net.netfilter.nf_conntrack_log_invalid set)\n");
	return o.n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
}
