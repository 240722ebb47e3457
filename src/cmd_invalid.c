/*
 * cmd_invalid.c - `natlog invalid [--json] [--host H] [--since T] [--until T]`:
 * the packets conntrack logged as
 * invalid (nf_ct_proto_N lines), with the kernel's reason and the traced
 * packet each belongs to; the text form first counts them by reason.
 */
#include "natlog.h"
#include "cli.h"
#include "commands.h"
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
	const char *host;
	int since_clock, until_clock;
	int64_t since_us, until_us, left_out;
};

/* 1 when the line passes --host, --since and --until; counts the lines a
 * bound's clock cannot place */
static int wanted(struct out *o, const struct nl_invalid_row *r)
{
	int a, b;
	if (o->host && strcmp(o->host, r->host))
		return 0;
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

int cmd_invalid(struct nl_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "host", required_argument, NULL, 'H' },
		{ "since", required_argument, NULL, 'a' },
		{ "until", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_timespec since = { 0, 0, 0 }, until = { 0, 0, 0 };
	struct out o;
	struct nl_store *s;
	int c, rc;
	size_t i;

	memset(&o, 0, sizeof o);
	while ((c = nl_getopt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case 'j': o.json = 1; break;
		case 'H': o.host = optarg; break;
		case 'a':
		case 'b':
			if (nl_time_opt("invalid", c == 'a' ? "--since" : "--until", optarg,
					c == 'a' ? &since : &until))
				return NL_EXIT_USAGE;
			break;
		case 'h':
			printf("usage: natlog invalid [--json] [--host NAME] [--since T] [--until T]\n\n"
			       "Lists the packets conntrack logged as invalid (nf_ct_proto_N lines, with\n"
			       "net.netfilter.nf_conntrack_log_invalid set), with the kernel's reason and\n"
			       "the traced packet each belongs to; the text form counts them by reason.\n"
			       "--since and --until take the times `natlog traces --help` lists.\n"
			       "exit status: 0 listed, 1 none.\n");
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "natlog invalid: unexpected argument '%s'\n", argv[optind]);
		return NL_EXIT_USAGE;
	}
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	nl_time_bounds("invalid", store_latest_wall(s), &since, &until, &o.since_clock, &o.since_us,
		       &o.until_clock, &o.until_us);
	if (!o.json && !(o.lines = tmpfile())) {
		fprintf(stderr, "natlog: cannot create a temporary file\n");
		return NL_EXIT_STORE;
	}
	rc = store_invalid(s, print_row, &o);
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
	if (!o.n && (o.host || o.since_clock || o.until_clock))
		fprintf(stderr, "natlog invalid: no packets match\n");
	else if (!o.n)
		fprintf(stderr, "natlog invalid: no packets match (no conntrack invalid lines; the "
				"kernel logs them with net.netfilter.nf_conntrack_log_invalid set)\n");
	return o.n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
}
