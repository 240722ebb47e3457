/*
 * cmd_explain.c - `natlog explain --trace ID [--json]`: one packet's
 * journey hook by hook with the text of every rule it hit, the NAT
 * rewrites, the verdict, the deciding rule and what natlog concluded.
 */
#include "natlog.h"
#include "analyze.h"
#include "trust.h"
#include "commands.h"
#include "jsonw.h"
#include "store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

struct matches {
	struct nl_packet_row *rows;
	size_t n, cap;
};

static int collect(void *ctx, const struct nl_packet_row *p)
{
	struct matches *m = ctx;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 4;
		struct nl_packet_row *r = realloc(m->rows, cap * sizeof *r);
		if (!r)
			return -1;
		m->rows = r;
		m->cap = cap;
	}
	m->rows[m->n++] = *p;
	return 0;
}

struct style {
	const char *bold, *red, *green, *yellow, *dim, *off;
};

static void endpoint(char *b, size_t n, const char *addr, int port, int family)
{
	if (port >= 0)
		snprintf(b, n, family == 6 ? "[%s]:%d" : "%s:%d", addr, port);
	else
		snprintf(b, n, "%s", addr);
}

/* "filter:FORWARD:rule:8" for legacy, "inet filter forward rule 2 #4" for nft. */
static void step_loc(const struct nl_step *s, char *buf, size_t n)
{
	const struct nl_event *e = &s->ev;
	char pos[24] = "", h[24] = "";
	if (e->kind != NL_EV_NFTRACE) {
		snprintf(buf, n, "%s:%s:%s:%d", e->table, e->chain, e->type, e->rulenum);
		return;
	}
	if (s->position > 0 && strcmp(e->type, "policy") != 0)
		snprintf(pos, sizeof pos, " %d", s->position);
	if (e->handle >= 0)
		snprintf(h, sizeof h, " #%lld", (long long)e->handle);
	snprintf(buf, n, "%s %s %s %s%s%s", e->nft_family, e->table, e->chain, e->type, pos, h);
}

static const char *verdict_color(const struct style *c, const char *v)
{
	if (!strcmp(v, "accept"))
		return c->green;
	if (!strcmp(v, "drop") || !strcmp(v, "reject"))
		return c->red;
	return c->yellow;
}

static void print_text(const struct nl_packet_row *p, const struct nl_analysis *a,
		       const char *aliases)
{
	static const struct style color = { "\033[1m", "\033[31m", "\033[32m", "\033[33m",
					    "\033[2m", "\033[0m" };
	static const struct style plain = { "", "", "", "", "", "" };
	const struct style *c = nl_use_color(stdout) ? &color : &plain;
	char tuple[200], flags[64];
	const struct nl_pkt *prev = NULL;
	size_t i;
	int lasthook = -1;

	nl_fmt_tuple(tuple, sizeof tuple, p->proto, p->src, p->sport, p->dst, p->dport, p->family);
	nl_tcp_flags_str(p->tcp_flags, flags, sizeof flags);
	printf("%spacket %s%s  %s%s%s\n", c->bold, nl_esc(p->trace), c->off, nl_esc(tuple),
	       flags[0] ? " " : "", flags);
	printf("  source %s, host %s, %s, first seen %s", nl_esc(p->source),
	       p->host[0] ? nl_esc(p->host) : "unknown", p->family == 6 ? "IPv6" : "IPv4",
	       p->time[0] ? nl_esc(p->time) : "(no time)");
	if (p->ip_id >= 0)
		printf(", IP ID %lld", (long long)p->ip_id);
	if (p->tcp_seq >= 0)
		printf(", SEQ %lld", (long long)p->tcp_seq);
	printf("\n  from %s line %ld\n", a->n ? nl_esc(a->steps[0].file) : "?",
	       a->n ? a->steps[0].ev.line : 0L);
	if (aliases[0])
		printf("  also traced as %s (the trace id changed on the way)\n", nl_esc(aliases));
	putchar('\n');

	printf("%sverdict:%s %s%s%s%s\n", c->bold, c->off, verdict_color(c, a->verdict), nl_esc(a->verdict),
	       c->off, a->inferred ? " (inferred: legacy TRACE does not print verdicts)" : "");
	if (a->decided >= 0) {
		const struct nl_step *d = &a->steps[a->decided];
		char loc[160];
		step_loc(d, loc, sizeof loc);
		printf("%sdecided by:%s %s", c->bold, c->off, nl_esc(loc));
		if (a->decided_rule_known && d->rule_text)
			printf("  %s\n", nl_esc(d->rule_text));
		else
			printf("  (rule text unknown: see below)\n");
	}
	for (i = 0; i < (size_t)a->nnat; i++) {
		const struct nl_nat *n = &a->nat[i];
		char loc[160];
		step_loc(&a->steps[n->step], loc, sizeof loc);
		printf("%snat:%s %s %s -> %s  by %s\n", c->bold, c->off,
		       !strcmp(n->field, "dst") ? "DNAT" : "SNAT", nl_esc(n->from), nl_esc(n->to),
		       nl_esc(loc));
	}
	printf("\n%sjourney:%s\n", c->bold, c->off);
	for (i = 0; i < a->n; i++) {
		const struct nl_step *s = &a->steps[i];
		const struct nl_pkt *k = &s->ev.pkt;
		char loc[160], e1[80], e2[80], ttl[16];
		size_t j;
		if (i == 0 || s->hook != lasthook ||
		    (s->hook < 0 && strcmp(s->base, a->steps[i - 1].base) != 0)) {
			if (nl_hook_name(s->hook))
				printf("  %s%s%s\n", c->bold, nl_hook_name(s->hook), c->off);
			else
				printf("  %sbase chain %s%s\n", c->bold, s->base[0] ? nl_esc(s->base) : "?",
				       c->off);
			lasthook = s->hook;
		}
		step_loc(s, loc, sizeof loc);
		printf("    %-40s %s%-10s%s %s\n", nl_esc(loc), verdict_color(c, s->effect),
		       nl_esc(s->effect), c->off, s->rule_text ? nl_esc(s->rule_text)
		       : s->mismatch ? "(does not match the dump)"
		       : s->chain_end ? "(end of chain: back to the caller)" : "(not in any dump)");
		/* what changed since the previous step */
		if (!prev || strcmp(prev->iif, k->iif) || strcmp(prev->oif, k->oif) ||
		    strcmp(prev->src, k->src) || strcmp(prev->dst, k->dst) || prev->sport != k->sport ||
		    prev->dport != k->dport || prev->ttl != k->ttl) {
			endpoint(e1, sizeof e1, k->src[0] ? k->src : "?", k->sport, k->family);
			endpoint(e2, sizeof e2, k->dst[0] ? k->dst : "?", k->dport, k->family);
			snprintf(ttl, sizeof ttl, k->ttl >= 0 ? "%d" : "?", k->ttl);
			printf("    %s  in %s out %s  %s -> %s  ttl %s%s%s%s\n", c->dim,
			       k->iif[0] ? nl_esc(k->iif) : "-", k->oif[0] ? nl_esc(k->oif) : "-",
			       nl_esc(e1), nl_esc(e2), ttl, s->ev.time[0] ? "  at " : "",
			       nl_esc(s->ev.time), c->off);
		}
		prev = k;
		for (j = 0; j < a->nlogs; j++)
			if (a->logs[j].ev.line > s->ev.line &&
			    (i + 1 == a->n || a->logs[j].ev.line < a->steps[i + 1].ev.line) &&
			    !strcmp(a->logs[j].file, s->file))
				printf("    %s  %s '%s' (%s line %ld)%s\n", c->dim,
				       a->logs[j].ev.kind == NL_EV_CTINVALID ? "conntrack INVALID:" : "LOG",
				       nl_esc(a->logs[j].ev.kind == NL_EV_CTINVALID ? a->logs[j].ev.reason
										     : a->logs[j].ev.prefix),
				       nl_esc(a->logs[j].file), a->logs[j].ev.line, c->off);
	}
	if (a->nwire) {
		printf("\n%scaptures and conntrack:%s\n", c->bold, c->off);
		for (i = 0; i < (size_t)a->nwire; i++) {
			const struct nl_wire_ev *w = &a->wire[i];
			if (w->conntrack)
				printf("  conntrack (%s line %ld): %s\n", nl_esc(w->file), w->frame,
				       nl_esc(w->note));
			else if (w->seen)
				printf("  seen in %s (%s) packet %ld at %s: %s\n", nl_esc(w->file),
				       nl_esc(w->iface), w->frame, nl_esc(w->time), nl_esc(w->note));
			else
				printf("  %snot seen%s in %s (%s): %s\n", c->red, c->off, nl_esc(w->file),
				       nl_esc(w->iface), nl_esc(w->note));
		}
	}
	if (a->ndiag) {
		printf("\n%sdiagnosis:%s\n", c->bold, c->off);
		for (i = 0; i < (size_t)a->ndiag; i++)
			printf("  - %s\n", nl_esc(a->diag[i]));
	}
}

static void json_pkt(FILE *f, const struct nl_pkt *k)
{
	int first = 1;
	fputc('{', f);
	jw_key(f, &first, "src");
	jw_str(f, k->src);
	jw_key(f, &first, "dst");
	jw_str(f, k->dst);
	jw_key(f, &first, "sport");
	jw_num(f, k->sport);
	jw_key(f, &first, "dport");
	jw_num(f, k->dport);
	jw_key(f, &first, "iif");
	jw_str(f, k->iif);
	jw_key(f, &first, "oif");
	jw_str(f, k->oif);
	jw_key(f, &first, "ttl");
	jw_num(f, k->ttl);
	jw_key(f, &first, "len");
	jw_num(f, k->len);
	jw_key(f, &first, "mark");
	jw_num(f, k->mark);
	fputc('}', f);
}

static void print_json(const struct nl_packet_row *p, const struct nl_analysis *a,
		       const char *aliases)
{
	FILE *f = stdout;
	size_t i;
	int first;
	fputc('{', f);
	nl_json_packet_keys(f, p);
	fputs(", \"aliases\": [", f);
	{
		char *tok, *save = NULL;
		char buf[512];
		int k = 0;
		nl_strlcpy(buf, aliases, sizeof buf);
		for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			fputs(k++ ? ", " : "", f);
			jw_str(f, tok);
		}
	}
	fputs("], \"steps\": [", f);
	for (i = 0; i < a->n; i++) {
		const struct nl_step *s = &a->steps[i];
		first = 1;
		fputs(i ? ", {" : "{", f);
		jw_key(f, &first, "hook");
		jw_str(f, nl_hook_name(s->hook));
		jw_key(f, &first, "family");
		jw_str(f, s->ev.nft_family);
		jw_key(f, &first, "table");
		jw_str(f, s->ev.table);
		jw_key(f, &first, "chain");
		jw_str(f, s->ev.chain);
		jw_key(f, &first, "type");
		jw_str(f, s->ev.type);
		jw_key(f, &first, "position");
		jw_num(f, s->position);
		jw_key(f, &first, "handle");
		jw_num(f, s->ev.handle >= 0 ? s->ev.handle : s->rule ? s->rule->handle : -1);
		jw_key(f, &first, "rule");
		jw_str(f, s->rule_text);
		jw_key(f, &first, "verdict");
		jw_str(f, s->effect);
		jw_key(f, &first, "matches_dump");
		fputs(s->mismatch ? "false" : "true", f);
		jw_key(f, &first, "mismatch_reason");
		jw_str(f, s->why);
		jw_key(f, &first, "time");
		jw_str(f, s->ev.time);
		jw_key(f, &first, "file");
		jw_str(f, s->file);
		jw_key(f, &first, "line");
		jw_num(f, s->ev.line);
		jw_key(f, &first, "packet");
		json_pkt(f, &s->ev.pkt);
		fputc('}', f);
	}
	fputs("], \"nat\": [", f);
	for (i = 0; i < (size_t)a->nnat; i++) {
		const struct nl_nat *n = &a->nat[i];
		const struct nl_step *s = &a->steps[n->step];
		first = 1;
		fputs(i ? ", {" : "{", f);
		jw_key(f, &first, "field");
		jw_str(f, n->field);
		jw_key(f, &first, "from");
		jw_str(f, n->from);
		jw_key(f, &first, "to");
		jw_str(f, n->to);
		jw_key(f, &first, "table");
		jw_str(f, s->ev.table);
		jw_key(f, &first, "chain");
		jw_str(f, s->ev.chain);
		jw_key(f, &first, "position");
		jw_num(f, s->position);
		jw_key(f, &first, "rule");
		jw_str(f, s->rule_text);
		fputc('}', f);
	}
	fputs("], \"evidence\": [", f);
	for (i = 0; i < a->nlogs; i++) {
		const struct nl_step *s = &a->logs[i];
		int ct = s->ev.kind == NL_EV_CTINVALID;
		first = 1;
		fputs(i ? ", {" : "{", f);
		jw_key(f, &first, "source");
		jw_str(f, ct ? "conntrack-invalid" : "log");
		jw_key(f, &first, "file");
		jw_str(f, s->file);
		jw_key(f, &first, "line");
		jw_num(f, s->ev.line);
		jw_key(f, &first, "time");
		jw_str(f, s->ev.time);
		if (ct) {
			jw_key(f, &first, "reason");
			jw_str(f, s->ev.reason);
		} else {
			jw_key(f, &first, "prefix");
			jw_str_always(f, s->ev.prefix);
		}
		jw_key(f, &first, "seen");
		fputs("true", f);
		jw_key(f, &first, "note");
		jw_str(f, ct ? "conntrack logged this packet as invalid"
			     : "LOG target line of this packet");
		fputc('}', f);
	}
	for (i = 0; i < (size_t)a->nwire; i++) {
		const struct nl_wire_ev *w = &a->wire[i];
		first = 1;
		fputs(i || a->nlogs ? ", {" : "{", f);
		jw_key(f, &first, "source");
		jw_str(f, w->conntrack ? "conntrack" : "pcap");
		jw_key(f, &first, "file");
		jw_str(f, w->file);
		if (w->conntrack) {
			jw_key(f, &first, "line");
			jw_num(f, w->frame);
		} else {
			jw_key(f, &first, "iface");
			jw_str(f, w->iface);
		}
		jw_key(f, &first, "time");
		jw_str(f, w->time);
		if (!w->conntrack) {
			jw_key(f, &first, "frame");
			jw_num(f, w->frame);
		}
		jw_key(f, &first, "seen");
		fputs(w->seen ? "true" : "false", f);
		jw_key(f, &first, "note");
		jw_str(f, w->note);
		fputc('}', f);
	}
	fputs("], \"losses\": [", f);
	for (i = 0; i < (size_t)a->nloss; i++) {
		const struct nl_loss *l = &a->loss[i];
		first = 1;
		fputs(i ? ", {" : "{", f);
		jw_key(f, &first, "file");
		jw_str(f, l->file);
		jw_key(f, &first, "line");
		jw_num(f, l->line);
		jw_key(f, &first, "time");
		jw_str(f, l->time);
		jw_key(f, &first, "count");
		jw_num(f, l->count);
		jw_key(f, &first, "text");
		jw_str(f, l->text);
		fputc('}', f);
	}
	fputs("], \"diagnosis\": [", f);
	for (i = 0; i < (size_t)a->ndiag; i++) {
		if (i)
			fputs(", ", f);
		jw_str_always(f, a->diag[i]);
	}
	fputs("]}\n", f);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: natlog explain --trace ID [--json]\n"
		"\n"
		"Shows one packet's journey: every hook, table and chain it passed, the text\n"
		"of every rule it hit (mapped through the imported ruleset dump), the NAT\n"
		"rewrites, the verdict, the rule that decided it, and where the dump does not\n"
		"match the trace. ID is the trace id 'natlog traces' prints; a unique prefix\n"
		"is enough.\n"
		"\n"
		"options:\n"
		"  --trace ID   the packet\n"
		"  --json       one JSON object\n"
		"  -h, --help   this help\n"
		"\n"
		"exit status: 0 explained, 1 no such packet (or the prefix is ambiguous).\n");
}

int cmd_explain(struct nl_cmd *cmd, int argc, char **argv)
{
	struct nl_store *s;
	static const struct option opts[] = {
		{ "trace", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *id = NULL;
	struct matches m = { NULL, 0, 0 };
	struct nl_rscache rc;
	struct nl_analysis a;
	int c, json = 0, ret;
	size_t i;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't': id = optarg; break;
		case 'j': json = 1; break;
		case 'h':
			usage(stdout);
			return NL_EXIT_OK;
		default:
			usage(stderr);
			return NL_EXIT_USAGE;
		}
	}
	if (!id && optind < argc)
		id = argv[optind++];
	if (!id || !*id || optind < argc) {
		usage(stderr);
		return NL_EXIT_USAGE;
	}
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	if (store_packets_by_trace(s, id, collect, &m) < 0) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
		free(m.rows);
		return NL_EXIT_STORE;
	}
	if (m.n == 0) {
		fprintf(stderr, "natlog explain: no packet with trace id '%s' (see 'natlog traces')\n",
			nl_esc(id));
		return NL_EXIT_NOMATCH;
	}
	if (m.n > 1) {
		fprintf(stderr, "natlog explain: %zu packets match '%s'; name one exactly:\n", m.n,
			nl_esc(id));
		for (i = 0; i < m.n; i++) {
			char tuple[200];
			nl_fmt_tuple(tuple, sizeof tuple, m.rows[i].proto, m.rows[i].src, m.rows[i].sport,
				     m.rows[i].dst, m.rows[i].dport, m.rows[i].family);
			fprintf(stderr, "  %-14s %-17s %s\n", nl_esc(m.rows[i].trace),
				nl_esc(m.rows[i].time), nl_esc(tuple));
		}
		free(m.rows);
		return NL_EXIT_NOMATCH;
	}
	memset(&rc, 0, sizeof rc);
	if (analyze_packet(s, &m.rows[0], &rc, &a) || analysis_wire(s, &a) ||
	    analysis_trust(s, &m.rows[0], &a)) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
		ret = NL_EXIT_STORE;
	} else {
		/* the stored verdict may predate a later dump: use the fresh one */
		analysis_summary(&a, &m.rows[0]);
		char aliases[512];
		if (store_aliases(s, m.rows[0].id, aliases, sizeof aliases))
			aliases[0] = '\0';
		if (json)
			print_json(&m.rows[0], &a, aliases);
		else
			print_text(&m.rows[0], &a, aliases);
		ret = NL_EXIT_OK;
	}
	analysis_free(&a);
	rscache_free(&rc);
	free(m.rows);
	return ret;
}
