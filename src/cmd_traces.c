/*
 * cmd_traces.c - `natlog traces [--json] [filters]`: one line (or JSON
 * object) per traced packet, with its verdict and the deciding rule.
 * Exit 1 when no packet matches.
 */
#include "natlog.h"
#include "cli.h"
#include "commands.h"
#include "filter.h"
#include "jsonw.h"
#include "store.h"
#include "table.h"
#include "timespec.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void nl_fmt_tuple(char *buf, size_t n, int proto, const char *src, int sport, const char *dst,
		  int dport, int family)
{
	const char *pn = nl_proto_name(proto);
	char ps[16], s[80], d[80];
	if (!src[0])
		src = "?";	/* not printed, or blanked out in a paste */
	if (!dst[0])
		dst = "?";
	if (!pn) {
		snprintf(ps, sizeof ps, "proto-%d", proto);
		pn = proto < 0 ? "?" : ps;
	}
	if (sport >= 0)
		snprintf(s, sizeof s, family == 6 ? "[%s]:%d" : "%s:%d", src, sport);
	else
		snprintf(s, sizeof s, "%s", src);
	if (dport >= 0)
		snprintf(d, sizeof d, family == 6 ? "[%s]:%d" : "%s:%d", dst, dport);
	else
		snprintf(d, sizeof d, "%s", dst);
	snprintf(buf, n, "%s %s -> %s", pn, s, d);
}

void nl_json_packet_keys(FILE *f, const struct nl_packet_row *p)
{
	char flags[64];
	const char *pn = nl_proto_name(p->proto);
	int first = 1;
	jw_key(f, &first, "trace");
	jw_str(f, p->trace);
	jw_key(f, &first, "source");
	jw_str(f, p->source);
	jw_key(f, &first, "host");
	jw_str(f, p->host);
	jw_key(f, &first, "family");
	jw_str(f, p->family == 6 ? "ip6" : p->family == 4 ? "ip" : NULL);
	jw_key(f, &first, "time");
	jw_str(f, p->time);
	jw_key(f, &first, "uptime");
	if (p->uptime >= 0)
		fprintf(f, "%.6f", p->uptime);
	else
		fputs("null", f);
	jw_key(f, &first, "proto");
	if (pn)
		jw_str(f, pn);
	else
		jw_num(f, p->proto);
	jw_key(f, &first, "src");
	jw_str(f, p->src);
	jw_key(f, &first, "sport");
	jw_num(f, p->sport);
	jw_key(f, &first, "dst");
	jw_str(f, p->dst);
	jw_key(f, &first, "dport");
	jw_num(f, p->dport);
	jw_key(f, &first, "ip_id");
	jw_num(f, p->ip_id);
	jw_key(f, &first, "tcp_seq");
	jw_num(f, p->tcp_seq);
	if (p->proto == 1 || p->proto == 58) {
		jw_key(f, &first, "icmp_type");
		jw_num(f, p->icmp_type);
		jw_key(f, &first, "icmp_id");
		jw_num(f, p->icmp_id);
	}
	jw_key(f, &first, "tcp_flags");
	nl_tcp_flags_str(p->tcp_flags, flags, sizeof flags);
	jw_str(f, p->tcp_flags >= 0 ? flags : NULL);
	jw_key(f, &first, "verdict");
	/* not analysed yet (an import was interrupted): not known, not "unknown" */
	jw_str(f, !p->analyzed ? NULL : p->verdict[0] ? p->verdict : "unknown");
	jw_key(f, &first, "analyzed");
	fputs(p->analyzed ? "true" : "false", f);
	jw_key(f, &first, "verdict_inferred");
	fputs(!p->analyzed ? "null" : p->verdict_inferred && strcmp(p->source, "log") ? "true" : "false", f);
	jw_key(f, &first, "decided_by");
	if (!p->has_decided) {
		fputs("null", f);
	} else {
		int f2 = 1;
		fputc('{', f);
		jw_key(f, &f2, "family");
		jw_str(f, p->decided_family);
		jw_key(f, &f2, "table");
		jw_str(f, p->decided_table);
		jw_key(f, &f2, "chain");
		jw_str(f, p->decided_chain);
		jw_key(f, &f2, "type");
		jw_str(f, p->decided_type);
		jw_key(f, &f2, "position");
		jw_num(f, p->decided_position);
		jw_key(f, &f2, "handle");
		jw_num(f, p->decided_handle);
		jw_key(f, &f2, "rule");
		jw_str(f, p->has_decided_rule ? p->decided_rule : NULL);
		fputc('}', f);
	}
	/* a packet natlog knows only from a LOG target line, not traced */
	jw_key(f, &first, "logged");
	fputs(!strcmp(p->source, "log") ? "true" : "false", f);
	/* the namespace a monitor traced it in (ip netns exec NS nft monitor
	 * trace), null for the host's own, as flows says of a table */
	jw_key(f, &first, "netns");
	jw_str(f, p->netns);
}

struct out {
	int json;
	int n;
	struct nl_store *s;
	int any_traced;		/* a packet that is not only logged is listed */
	int any_ns;		/* a packet a monitor traced in a network namespace is */
	struct nl_table *tb;	/* the text form */
};

/* At 80 columns the deciding rule is cut first, then the time keeps its
 * clock (cut at the start), so that the id and the packet stay whole. */
static const struct nl_tcol columns[] = {
	{ "TRACE", 12, 99, 9, 0, 0 },	/* the id to explain: never cut */
	{ "TIME", 17, 9, 2, NL_TBL_CUT_START, 0 },
	{ "PACKET", 52, 30, 3, 0, 0 },
	{ "VERDICT", 8, 99, 9, 0, 0 },
	{ "DECIDED BY", 0, 10, 1, 0, 0 },
};

/* The same with the namespace a monitor traced the packet in, when one
 * did ("-": the host's own), as flows shows a table's. */
static const struct nl_tcol ns_columns[] = {
	{ "TRACE", 12, 99, 9, 0, 0 },
	{ "TIME", 17, 9, 2, NL_TBL_CUT_START, 0 },
	{ "NETNS", 16, 6, 4, 0, 0 },
	{ "PACKET", 52, 30, 3, 0, 0 },
	{ "VERDICT", 8, 99, 9, 0, 0 },
	{ "DECIDED BY", 0, 10, 1, 0, 0 },
};

static int note_traced(void *ctx, const struct nl_packet_row *p)
{
	struct out *o = ctx;
	if (strcmp(p->source, "log") != 0)
		o->any_traced = 1;
	if (p->netns[0])
		o->any_ns = 1;
	return 0;
}

static int first_prefix(void *ctx, const struct nl_event_row *e)
{
	char *buf = ctx;
	if (!buf[0] && e->ev.kind == NL_EV_LOG)
		snprintf(buf, 160, "%s", e->ev.prefix);
	return 0;
}

struct traced_twin {
	const struct nl_packet_row *log;
	int found;
};

/* The same packet: protocol, source port and host, logged within a
 * second of it (by uptime where both have one, else the same time). */
int nl_log_of_traced(const struct nl_packet_row *traced, const struct nl_packet_row *log)
{
	if (!strcmp(traced->source, "log") || strcmp(log->source, "log") != 0 ||
	    traced->proto != log->proto || traced->sport != log->sport ||
	    strcmp(traced->host, log->host) != 0)
		return 0;
	return traced->uptime >= 0 && log->uptime >= 0 ? fabs(traced->uptime - log->uptime) <= 1.0
						       : !strcmp(traced->time, log->time);
}

static int is_twin(void *ctx, const struct nl_packet_row *q)
{
	struct traced_twin *t = ctx;
	if (nl_log_of_traced(q, t->log))
		t->found = 1;
	return 0;
}

/* A LOG line stored apart from the traced packet it belongs to (the same
 * source, IP ID, protocol and port within a second): explain shows it
 * with that packet, so it is not listed on its own. */
int nl_log_of_traced_stored(struct nl_store *s, const struct nl_packet_row *p)
{
	struct nl_filter f = { .port = -1, .seq = -1, .ip_id = -1 };
	struct traced_twin t = { p, 0 };
	if (strcmp(p->source, "log") != 0 || !p->src[0] || p->ip_id < 0)
		return 0;
	f.src = p->src;
	f.ip_id = p->ip_id;
	return store_packets(s, &f, is_twin, &t) >= 0 && t.found;
}

/* The LOG prefix of a packet known only from its LOG line, trimmed. */
void nl_log_prefix(struct nl_store *s, const struct nl_packet_row *p, char buf[160])
{
	size_t n;
	buf[0] = '\0';
	if (strcmp(p->source, "log") != 0 || store_packet_events(s, p->id, first_prefix, buf))
		return;
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
}

static int print_packet(void *ctx, const struct nl_packet_row *p)
{
	struct out *o = ctx;
	char tuple[200], flags[64], by[NL_LOCSIZ], prefix[160], when[64], short_when[64];
	if (o->any_traced && nl_log_of_traced_stored(o->s, p))
		return 0;
	nl_log_prefix(o->s, p, prefix);
	if (o->json) {
		int first = 0;
		fputs(o->n ? ",\n {" : "[{", stdout);
		nl_json_packet_keys(stdout, p);
		if (!strcmp(p->source, "log")) {
			jw_key(stdout, &first, "log_prefix");
			jw_str(stdout, prefix);
		}
		fputc('}', stdout);
		o->n++;
		return 0;
	}
	o->n++;
	nl_fmt_tuple(tuple, sizeof tuple, p->proto, p->src, p->sport, p->dst, p->dport, p->family);
	nl_tcp_flags_str(p->tcp_flags, flags, sizeof flags);
	if (flags[0]) {
		size_t l = strlen(tuple);
		snprintf(tuple + l, sizeof tuple - l, " %s", flags);
	}
	if (!p->analyzed)
		snprintf(by, sizeof by, "(not analysed yet)");
	else if (!strcmp(p->source, "log"))
		snprintf(by, sizeof by, prefix[0] ? "(only logged: LOG \"%s\")" : "(only logged: LOG%s)",
			 prefix[0] ? prefix : ", no prefix");
	else if (p->has_decided) {
		/* without a dump an nft step has no position: its handle, else nothing */
		char pos[32] = "";
		if (p->decided_position >= 0)
			snprintf(pos, sizeof pos, ":%d", p->decided_position);
		else if (p->decided_handle >= 0)
			snprintf(pos, sizeof pos, " handle %lld", (long long)p->decided_handle);
		snprintf(by, sizeof by, "%s%s%s:%s:%s%s%s", p->decided_family,
			 p->decided_family[0] ? " " : "", p->decided_table, p->decided_chain,
			 p->decided_type, pos, p->has_decided_rule ? "" : " (rule not known)");
	} else
		snprintf(by, sizeof by, "-");
	nl_time_show(p->time, 0, when, sizeof when);
	nl_time_show(p->time, 1, short_when, sizeof short_when);
	nl_table_cell(o->tb, p->trace);
	nl_table_cell2(o->tb, when, short_when);
	if (o->any_ns)
		nl_table_cell(o->tb, p->netns);	/* "" prints "-": the host's */
	nl_table_cell(o->tb, tuple);
	nl_table_cell(o->tb, !p->analyzed ? "-" : p->verdict[0] ? p->verdict : "unknown");
	nl_table_cell(o->tb, by);
	return nl_table_row(o->tb);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: natlog traces [OPTIONS]\n"
		"\n"
		"Lists traced packets: trace id, time, tuple as first seen, verdict and the\n"
		"rule or policy that decided it; and packets known only from a LOG target\n"
		"line (source \"log\", \"logged\": true), whose verdict is unknown. A packet\n"
		"a monitor traced inside a network namespace (ip netns exec NS nft monitor\n"
		"trace) is shown with it (NETNS; \"netns\" in --json, null for the host's\n"
		"own) and explained with that namespace's ruleset dumps.\n"
		"\n"
		"options:\n"
		"  --json            a JSON array of packet objects\n"
		"  --wide            whole values on a terminal too, not cut to its width\n"
		"%s"
		"  -h, --help        this help\n"
		"\n"
		"\n"
		"times (a packet whose time is not on T's clock is left out, and counted\n"
		"on stderr):\n%s"
		"\n"
		"exit status: 0 packets listed, 1 none matched, 2 usage.\n", nl_filter_help,
		nl_timespec_forms);
}

int cmd_traces(struct nl_cmd *cmd, int argc, char **argv)
{
	struct nl_store *s;
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		NL_FILTER_LONGOPTS,
		{ "wide", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_filter_opts fo;
	struct nl_filter *fp = &fo.f;
	struct out o = { 0, 0, NULL, 0, 0, NULL };
	int c, rc, wide = 0;

	nl_filter_opts_init(&fo);
	while ((c = nl_getopt(argc, argv, "h", opts)) != -1) {
		if ((rc = nl_filter_opt("traces", c, optarg, &fo)) <= 0) {
			if (rc < 0)
				return NL_EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'j': o.json = 1; break;
		case 'w': wide = 1; break;
		case 'h':
			usage(stdout);
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "natlog traces: unexpected argument '%s'\n", argv[optind]);
		return NL_EXIT_USAGE;
	}
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	nl_filter_times("traces", s, &fo);
	o.s = s;
	/* a store of LOG lines only (a ufw log) needs no lookup per line */
	rc = store_packets(s, fp, note_traced, &o);
	if (rc >= 0 && !o.json &&
	    !(o.tb = o.any_ns ? nl_table_new(stdout, ns_columns, 6, nl_table_width(wide))
			      : nl_table_new(stdout, columns, 5, nl_table_width(wide)))) {
		fprintf(stderr, "natlog: out of memory\n");
		return NL_EXIT_STORE;
	}
	if (rc >= 0)
		rc = store_packets(s, fp, print_packet, &o);
	if (!o.json && o.tb && nl_table_finish(o.tb) && rc >= 0) {
		fprintf(stderr, "natlog: out of memory\n");
		return NL_EXIT_STORE;
	}
	if (rc < 0) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
		return NL_EXIT_STORE;
	}
	if (o.json)
		puts(o.n ? "]" : "[]");
	nl_time_left_out("traces", fp->left_out, fp->since_clock, fp->until_clock);
	if (!o.n)
		fprintf(stderr, "natlog traces: no packets match\n");
	return o.n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
}
