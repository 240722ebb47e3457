/*
 * cmd_report.c - `natlog report -o FILE.html`: one self-contained page for
 * a ticket: packets by verdict, drops grouped by the rule that decided
 * them, each dropped packet's path drawn (svg.c), flows, invalid packets,
 * errors and the imported sources. Inline CSS and SVG, no script, nothing
 * fetched; every string from the input is escaped.
 */
#include "natlog.h"
#include "analyze.h"
#include "cli.h"
#include "commands.h"
#include "store.h"
#include "svg.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ROWS 500		/* per table: the page stays readable */

/* The page's state: where it goes, the host filter the other tables
 * share, and how many rows each table had beyond MAX_ROWS. */
struct page {
	FILE *f;
	const char *host;
	long n, more;
	long nns;		/* conntrack records of a network namespace's table */
};

static void h(FILE *f, const char *s)
{
	nl_xml_puts(f, s);
}

static int is_drop(const struct nl_packet_row *p)
{
	return p->analyzed && (!strcmp(p->verdict, "drop") || !strcmp(p->verdict, "reject"));
}

static const char *verdict_of(const struct nl_packet_row *p)
{
	return !p->analyzed ? "not analysed" : !strcmp(p->source, "log") ? "unknown (only logged)"
	       : p->verdict[0] ? p->verdict : "unknown";
}

static const char *vclass(const char *v)
{
	return !strcmp(v, "accept") ? "ok" : !strcmp(v, "drop") || !strcmp(v, "reject") ? "bad" : "warn";
}

static void decided_loc(const struct nl_packet_row *p, char *buf, size_t n)
{
	char pos[40] = "";
	if (!p->has_decided) {
		snprintf(buf, n, "-");
		return;
	}
	if (p->decided_position >= 0)
		snprintf(pos, sizeof pos, ":%d", p->decided_position);
	if (p->decided_handle >= 0)
		snprintf(pos + strlen(pos), sizeof pos - strlen(pos), " handle %lld",
			 (long long)p->decided_handle);
	snprintf(buf, n, "%s%s%s:%s:%s%s", p->decided_family, p->decided_family[0] ? " " : "",
		 p->decided_table, p->decided_chain, p->decided_type, pos);
}

static void tuple_of(const struct nl_packet_row *p, char *buf, size_t n)
{
	char flags[64];
	size_t l;
	nl_fmt_tuple(buf, n, p->proto, p->src, p->sport, p->dst, p->dport, p->family);
	nl_tcp_flags_str(p->tcp_flags, flags, sizeof flags);
	l = strlen(buf);
	if (flags[0] && l + 1 < n)
		snprintf(buf + l, n - l, " %s", flags);
}

static const char css[] =
	"*{box-sizing:border-box}"
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
	"color:#1f2328;background:#fff;margin:0 auto;max-width:1200px;padding:12px 16px;"
	"line-height:1.4;font-size:15px}"
	"h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.2em;margin:1.4em 0 .4em;"
	"border-bottom:1px solid #d0d7de;padding-bottom:.2em}h3{font-size:1em;margin:1em 0 .3em}"
	"code,.mono{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:.9em;"
	"overflow-wrap:anywhere}code.loc{white-space:nowrap}"
	".scroll{overflow-x:auto;max-width:100%}"
	"table{border-collapse:collapse;margin:.3em 0;font-size:.92em}"
	"th,td{border:1px solid #d0d7de;padding:3px 7px;text-align:left;vertical-align:top}"
	"th{background:#f6f8fa}td.n{text-align:right}"
	".v-ok{color:#1a7f37;font-weight:700}.v-bad{color:#cf222e;font-weight:700}"
	".v-warn{color:#9a6700;font-weight:700}.muted{color:#57606a}"
	".cards{display:flex;flex-wrap:wrap;gap:8px}.card{border:1px solid #d0d7de;"
	"border-radius:6px;padding:6px 12px;min-width:110px}.card b{display:block;font-size:1.4em}"
	".path{margin:1em 0;page-break-inside:avoid;break-inside:avoid}"
	".path svg{max-width:100%;height:auto;border:1px solid #d0d7de;border-radius:6px}"
	"@media (max-width:640px){body{font-size:14px;padding:8px}th,td{padding:2px 4px}}"
	"@media print{body{max-width:none;font-size:11pt}.scroll{overflow:visible}"
	"a{color:inherit;text-decoration:none}}";

static void section(struct page *pg, const char *id, const char *title)
{
	fprintf(pg->f, "<h2 id=\"%s\">", id);
	h(pg->f, title);
	fputs("</h2>\n", pg->f);
}

static void more_note(struct page *pg, const char *what)
{
	if (pg->more > 0)
		fprintf(pg->f, "<p class=\"muted\">%ld more %s not shown (the page shows %d); "
			       "the command-line queries list them all.</p>\n", pg->more, what, MAX_ROWS);
}

/* Summary: packets by verdict, by host and by source. */
struct count {
	char key[160];
	long n;
};

static void bump(struct count *c, int *nc, int max, const char *key)
{
	int i;
	for (i = 0; i < *nc; i++)
		if (!strcmp(c[i].key, key)) {
			c[i].n++;
			return;
		}
	if (*nc < max) {
		nl_strlcpy(c[*nc].key, key, sizeof c[0].key);
		c[(*nc)++].n = 1;
	}
}

/* Drops grouped by the rule that decided them, biggest group first. */
struct group {
	char loc[NL_LOCSIZ];
	struct nl_packet_row first;	/* its first packet, whose diagnosis it shows */
	long n;
	char ex[5][40];			/* the first few, linked to their drawing */
	int drawn[5];
	uint64_t h;
	int next;			/* the next group of its bucket, or -1 */
};

#define MAX_GROUPS 1000		/* deciding rules listed; the rest are counted */
#define GROUP_BUCKETS 2048

/* What the page needs of the packets, gathered in one pass (store_packets)
 * in bounded memory, however many packets match: counts, the drop groups,
 * the first MAX_ROWS rows for the packets' table. The paths drawn are a
 * second pass. */
struct tally {
	long n, ndrops, max_paths;
	struct count v[16], hosts[32], src[16];
	int nv, nh, ns;
	struct group *g;
	size_t ng;
	long ungrouped;			/* drops of rules past MAX_GROUPS */
	int bucket[GROUP_BUCKETS];
	struct nl_packet_row *rows;
	size_t nrows;
};

static int tally_group(struct tally *t, const struct nl_packet_row *p)
{
	char loc[NL_LOCSIZ];
	uint64_t hv;
	int i;
	struct group *g;
	decided_loc(p, loc, sizeof loc);
	hv = nl_hash64(loc, strlen(loc), NL_HASH_INIT);
	hv = nl_hash64(p->decided_rule, strlen(p->decided_rule), hv);
	for (i = t->bucket[hv % GROUP_BUCKETS]; i >= 0; i = t->g[i].next)
		if (t->g[i].h == hv && !strcmp(t->g[i].loc, loc) &&
		    !strcmp(t->g[i].first.decided_rule, p->decided_rule))
			break;
	if (i < 0) {
		if (t->ng == MAX_GROUPS) {
			t->ungrouped++;
			return 0;
		}
		if (!t->g && !(t->g = malloc(MAX_GROUPS * sizeof *t->g)))
			return -1;
		i = (int)t->ng++;
		g = &t->g[i];
		nl_strlcpy(g->loc, loc, sizeof g->loc);
		g->first = *p;
		g->n = 0;
		g->h = hv;
		g->next = t->bucket[hv % GROUP_BUCKETS];
		t->bucket[hv % GROUP_BUCKETS] = i;
	}
	g = &t->g[i];
	if (g->n < 5) {
		nl_strlcpy(g->ex[g->n], p->trace, sizeof g->ex[0]);
		g->drawn[g->n] = t->ndrops <= t->max_paths;
	}
	g->n++;
	return 0;
}

static int tally_packet(void *ctx, const struct nl_packet_row *p)
{
	struct tally *t = ctx;
	t->n++;
	bump(t->v, &t->nv, 16, verdict_of(p));
	bump(t->hosts, &t->nh, 32, p->host[0] ? p->host : "(host unknown)");
	bump(t->src, &t->ns, 16, p->source);
	if (t->nrows < MAX_ROWS) {
		if (!t->rows && !(t->rows = malloc(MAX_ROWS * sizeof *t->rows)))
			return -1;
		t->rows[t->nrows++] = *p;
	}
	if (!is_drop(p))
		return 0;
	t->ndrops++;
	return tally_group(t, p);
}

static void tally_free(struct tally *t)
{
	free(t->g);
	free(t->rows);
	free(t);
}

static void summary(struct page *pg, const struct tally *t, long nflows, long ninvalid, long nerrors,
		    long nsources)
{
	const struct count *v = t->v, *hosts = t->hosts, *src = t->src;
	int nv = t->nv, nh = t->nh, ns = t->ns, i;
	section(pg, "summary", "summary");
	fprintf(pg->f, "<div class=\"cards\">\n<div class=\"card\"><b>%ld</b>packets</div>\n", t->n);
	for (i = 0; i < nv; i++) {
		fprintf(pg->f, "<div class=\"card\"><b class=\"v-%s\">%ld</b>", vclass(v[i].key), v[i].n);
		h(pg->f, v[i].key);
		fputs("</div>\n", pg->f);
	}
	fprintf(pg->f, "<div class=\"card\"><b>%ld</b>conntrack records</div>\n", nflows);
	if (pg->nns)
		fprintf(pg->f, "<div class=\"card\"><b>%ld</b>of them network namespaces'</div>\n",
			pg->nns);
	fprintf(pg->f, "<div class=\"card\"><b>%ld</b>invalid packets</div>\n"
		       "<div class=\"card\"><b>%ld</b>input errors</div>\n"
		       "<div class=\"card\"><b>%ld</b>sources</div>\n</div>\n",
		ninvalid, nerrors, nsources);
	fputs("<p>hosts: ", pg->f);
	for (i = 0; i < nh; i++) {
		fputs(i ? ", " : "", pg->f);
		h(pg->f, hosts[i].key);
		fprintf(pg->f, " (%ld)", hosts[i].n);
	}
	fputs(nh ? "<br>packets from: " : "none<br>packets from: ", pg->f);
	for (i = 0; i < ns; i++) {
		fputs(i ? ", " : "", pg->f);
		h(pg->f, src[i].key);
		fprintf(pg->f, " (%ld)", src[i].n);
	}
	fputs(ns ? "</p>\n" : "none</p>\n", pg->f);
}

static int by_count(const void *x, const void *y)
{
	const struct group *a = x, *b = y;
	return a->n < b->n ? 1 : a->n > b->n ? -1 : strcmp(a->loc, b->loc);
}

/* Why: the first lines of the diagnosis of the group's first packet. */
static int group_why(struct page *pg, struct nl_store *s, struct nl_rscache *rc,
		     const struct nl_packet_row *p)
{
	struct nl_analysis a;
	int i;
	rscache_trim(rc);
	if (analyze_packet(s, p, rc, &a)) {
		analysis_free(&a);
		return -1;
	}
	for (i = 0; i < a.ndiag && i < 2; i++) {
		fputs(i ? "<br>" : "", pg->f);
		h(pg->f, a.diag[i]);
	}
	analysis_free(&a);
	return 0;
}

static void path_id(FILE *f, const char *trace)
{
	fputs("path-", f);
	h(f, trace);
}

static int drop_groups(struct page *pg, struct nl_store *s, struct tally *t)
{
	int j;
	struct group *g = t->g;
	struct nl_rscache rc;
	size_t ng = t->ng, i;
	int ret = 0;
	section(pg, "drops", "drops by deciding rule");
	if (!ng) {
		fputs("<p>no packet was dropped or rejected.</p>\n", pg->f);
		return 0;
	}
	qsort(g, ng, sizeof *g, by_count);
	fputs("<div class=\"scroll\"><table><tr><th>packets</th><th>deciding rule</th><th>rule text</th>"
	      "<th>why (the first packet's diagnosis)</th><th>traces</th></tr>\n", pg->f);
	memset(&rc, 0, sizeof rc);
	for (i = 0; i < ng; i++) {
		fprintf(pg->f, "<tr><td class=\"n\">%ld</td><td><code class=\"loc\">", g[i].n);
		h(pg->f, g[i].loc);
		fputs("</code></td><td><code>", pg->f);
		h(pg->f, g[i].first.has_decided_rule ? g[i].first.decided_rule : "(not in any dump)");
		fputs("</code></td><td>", pg->f);
		if (!ret && group_why(pg, s, &rc, &g[i].first))
			ret = -1;
		fputs("</td><td><code>", pg->f);
		for (j = 0; j < 5 && j < g[i].n; j++) {
			fputs(j ? " " : "", pg->f);
			if (g[i].drawn[j]) {
				fputs("<a href=\"#", pg->f);
				path_id(pg->f, g[i].ex[j]);
				fputs("\">", pg->f);
			}
			h(pg->f, g[i].ex[j]);
			fputs(g[i].drawn[j] ? "</a>" : "", pg->f);
		}
		fputs(g[i].n > 5 ? " ...</code></td></tr>\n" : "</code></td></tr>\n", pg->f);
	}
	fputs("</table></div>\n", pg->f);
	if (t->ungrouped)
		fprintf(pg->f, "<p class=\"muted\">%ld more dropped packets, decided by rules past the "
			       "first %d listed; <code>natlog traces --verdict drop</code> lists them.</p>\n",
			t->ungrouped, MAX_GROUPS);
	rscache_free(&rc);
	return ret;
}

/* The packet on other hosts (store_packet_hops), this one among them. */
struct hopset {
	struct nl_hop v[16];
	int n, others;
};

static int collect_hop(void *ctx, const struct nl_hop *hop)
{
	struct hopset *hs = ctx;
	if (hs->n < 16) {
		hs->v[hs->n++] = *hop;
		hs->others += !hop->self;
	}
	return 0;
}

/* The second pass: each dropped packet's path, up to max of them. */
struct paths {
	struct page *pg;
	struct nl_store *s;
	struct nl_rscache rc;
	long max, shown;
};

static int draw_path(void *ctx, const struct nl_packet_row *p)
{
	struct paths *d = ctx;
	struct page *pg = d->pg;
	struct nl_analysis a;
	struct hopset hs = { .n = 0, .others = 0 };
	char tuple[200];
	if (d->shown >= d->max || !is_drop(p))
		return 0;
	rscache_trim(&d->rc);
	if (analyze_packet(d->s, p, &d->rc, &a) || analysis_wire(d->s, &a)) {
		analysis_free(&a);
		return -1;
	}
	if (store_packet_hops(d->s, p, a.n ? a.steps[0].ev.pkt.len : -1, collect_hop, &hs))
		hs.n = hs.others = 0;
	tuple_of(p, tuple, sizeof tuple);
	fputs("<div class=\"path\" id=\"", pg->f);
	path_id(pg->f, p->trace);
	fputs("\"><h3>", pg->f);
	h(pg->f, p->trace);
	fputs(" <span class=\"mono\">", pg->f);
	h(pg->f, tuple);
	fputs("</span></h3>\n", pg->f);
	{
		struct nl_path pp = { p, &a, hs.v, hs.others ? hs.n : 0, d->s };
		nl_svg_path(pg->f, &pp, 1);
	}
	fputs("</div>\n", pg->f);
	analysis_free(&a);
	d->shown++;
	return 0;
}

static int drop_paths(struct page *pg, struct nl_store *s, const struct nl_filter *flt,
		      const struct tally *t)
{
	struct paths d;
	int rc;
	section(pg, "paths", "paths of dropped packets");
	if (!t->ndrops) {
		fputs("<p>none.</p>\n", pg->f);
		return 0;
	}
	if (t->ndrops > t->max_paths)
		fprintf(pg->f, "<p class=\"muted\">the first %ld of %ld dropped packets are drawn "
			       "(--max-paths); <code>natlog explain --trace ID --svg</code> draws any "
			       "other.</p>\n", t->max_paths, t->ndrops);
	memset(&d, 0, sizeof d);
	d.pg = pg;
	d.s = s;
	d.max = t->max_paths;
	/* the filters' copy: store_packets may set what it read of them */
	{
		struct nl_filter f = *flt;
		rc = t->max_paths > 0 && store_packets(s, &f, draw_path, &d) < 0 ? -1 : 0;
	}
	rscache_free(&d.rc);
	return rc;
}

static void packets_table(struct page *pg, const struct tally *t)
{
	size_t k;
	section(pg, "packets", "packets");
	if (!t->n) {
		fputs("<p>no traced or logged packet matches.</p>\n", pg->f);
		return;
	}
	fputs("<div class=\"scroll\"><table><tr><th>trace</th><th>time</th><th>host</th><th>packet</th>"
	      "<th>verdict</th><th>decided by</th></tr>\n", pg->f);
	for (k = 0; k < t->nrows; k++) {
		const struct nl_packet_row *p = &t->rows[k];
		char tuple[200], loc[200];
		const char *v = verdict_of(p);
		tuple_of(p, tuple, sizeof tuple);
		decided_loc(p, loc, sizeof loc);
		fputs("<tr><td><code>", pg->f);
		h(pg->f, p->trace);
		fputs("</code></td><td>", pg->f);
		h(pg->f, p->time[0] ? p->time : "-");
		fputs("</td><td>", pg->f);
		h(pg->f, p->host[0] ? p->host : "-");
		fputs("</td><td class=\"mono\">", pg->f);
		h(pg->f, tuple);
		fprintf(pg->f, "</td><td class=\"v-%s\">", vclass(v));
		h(pg->f, v);
		fputs("</td><td><code>", pg->f);
		h(pg->f, loc);
		fputs("</code></td></tr>\n", pg->f);
	}
	fputs("</table></div>\n", pg->f);
	pg->more = t->n - MAX_ROWS;
	more_note(pg, "packets");
}

static void endpoint(char *b, size_t n, const char *addr, int port, int family)
{
	if (port >= 0)
		snprintf(b, n, family == 6 ? "[%s]:%d" : "%s:%d", addr, port);
	else
		snprintf(b, n, "%s", addr);
}

static int count_flow(void *ctx, const struct nl_flow *fl)
{
	struct page *pg = ctx;
	if (!pg->host || !strcmp(pg->host, fl->host)) {
		pg->n++;
		pg->nns += fl->netns[0] != 0;
	}
	return 0;
}

static int flow_row(void *ctx, const struct nl_flow *fl)
{
	struct page *pg = ctx;
	const char *pn = nl_proto_name(fl->proto);
	char o1[80], o2[80], r1[80], r2[80], nat[40] = "";
	if (pg->host && strcmp(pg->host, fl->host) != 0)
		return 0;
	if (pg->n++ >= MAX_ROWS) {
		pg->more++;
		return 0;
	}
	endpoint(o1, sizeof o1, fl->osrc, fl->osport, fl->family);
	endpoint(o2, sizeof o2, fl->odst, fl->odport, fl->family);
	endpoint(r1, sizeof r1, fl->rsrc, fl->rsport, fl->family);
	endpoint(r2, sizeof r2, fl->rdst, fl->rdport, fl->family);
	/* a reply that is not the mirror of the original: NAT */
	if (strcmp(fl->rsrc, fl->odst) != 0 || fl->rsport != fl->odport)
		snprintf(nat, sizeof nat, "DNAT");
	if (strcmp(fl->rdst, fl->osrc) != 0 || fl->rdport != fl->osport)
		snprintf(nat + strlen(nat), sizeof nat - strlen(nat), "%sSNAT", nat[0] ? " " : "");
	fputs("<tr><td>", pg->f);
	h(pg->f, fl->event[0] ? fl->event : "table");
	fputs("</td><td>", pg->f);
	h(pg->f, fl->time[0] ? fl->time : "-");
	fputs("</td><td>", pg->f);
	if (pg->nns) {	/* whose table: "-" the host's own */
		h(pg->f, fl->netns[0] ? fl->netns : "-");
		fputs("</td><td>", pg->f);
	}
	if (pn)
		h(pg->f, pn);
	else
		fprintf(pg->f, "%d", fl->proto);
	fputs("</td><td class=\"mono\">", pg->f);
	h(pg->f, o1);
	fputs(" \u2192 ", pg->f);
	h(pg->f, o2);
	fputs("</td><td class=\"mono\">", pg->f);
	h(pg->f, r1);
	fputs(" \u2192 ", pg->f);
	h(pg->f, r2);
	fputs("</td><td>", pg->f);
	h(pg->f, fl->state[0] ? fl->state : "-");
	fputs(fl->unreplied ? " [UNREPLIED]" : "", pg->f);
	fputs(fl->assured > 0 ? " [ASSURED]" : "", pg->f);
	fputs("</td><td>", pg->f);
	h(pg->f, nat[0] ? nat : "-");
	fputs("</td></tr>\n", pg->f);
	return 0;
}

static int count_invalid(void *ctx, const struct nl_invalid_row *r)
{
	struct page *pg = ctx;
	if (!pg->host || !strcmp(pg->host, r->host))
		pg->n++;
	return 0;
}

static int invalid_row(void *ctx, const struct nl_invalid_row *r)
{
	struct page *pg = ctx;
	char tuple[200], at[600];
	if (pg->host && strcmp(pg->host, r->host) != 0)
		return 0;
	if (pg->n++ >= MAX_ROWS) {
		pg->more++;
		return 0;
	}
	nl_fmt_tuple(tuple, sizeof tuple, r->proto, r->src, r->sport, r->dst, r->dport,
		     strchr(r->src, ':') ? 6 : 4);
	snprintf(at, sizeof at, "%s:%ld", r->file, r->line);
	fputs("<tr><td>", pg->f);
	h(pg->f, r->time[0] ? r->time : "-");
	fputs("</td><td>", pg->f);
	h(pg->f, r->host[0] ? r->host : "-");
	fputs("</td><td class=\"mono\">", pg->f);
	h(pg->f, tuple);
	fputs("</td><td>", pg->f);
	h(pg->f, r->reason);
	fputs("</td><td><code>", pg->f);
	h(pg->f, r->trace[0] ? r->trace : "-");
	fputs("</code></td><td><code>", pg->f);
	h(pg->f, at);
	fputs("</code></td></tr>\n", pg->f);
	return 0;
}

static int count_error(void *ctx, const struct nl_error_row *e)
{
	(void)e;
	((struct page *)ctx)->n++;
	return 0;
}

static int error_row(void *ctx, const struct nl_error_row *e)
{
	struct page *pg = ctx;
	char at[1100];
	if (pg->n++ >= MAX_ROWS) {
		pg->more++;
		return 0;
	}
	snprintf(at, sizeof at, "%s:%ld", e->file, e->line);
	fputs("<tr><td><code>", pg->f);
	h(pg->f, at);
	fputs("</code></td><td>", pg->f);
	h(pg->f, e->reason);
	fputs("</td><td><code>", pg->f);
	h(pg->f, e->text);
	fputs("</code></td></tr>\n", pg->f);
	return 0;
}

static int count_source(void *ctx, const struct nl_source_row *r)
{
	(void)r;
	((struct page *)ctx)->n++;
	return 0;
}

static int source_row(void *ctx, const struct nl_source_row *r)
{
	struct page *pg = ctx;
	char sha[20];
	if (pg->n++ >= MAX_ROWS) {
		pg->more++;
		return 0;
	}
	nl_strlcpy(sha, r->sha256, 13);
	fputs("<tr><td><code>", pg->f);
	h(pg->f, r->path);
	fputs("</code></td><td>", pg->f);
	h(pg->f, r->kind);
	fputs("</td><td>", pg->f);
	h(pg->f, r->host[0] ? r->host : "-");
	fprintf(pg->f, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
		       "<td><code>", (long long)r->lines, (long long)r->events, (long long)r->errors);
	h(pg->f, sha);
	fputs("</code></td><td>", pg->f);
	h(pg->f, r->imported_at);
	fputs("</td></tr>\n", pg->f);
	return 0;
}

/* A table of rows from one store query: the header, then cb per row. */
static int table(struct page *pg, const char *id, const char *title, const char *head,
		 const char *none, const char *what, int (*query)(struct nl_store *, struct page *),
		 struct nl_store *s, long count)
{
	section(pg, id, title);
	if (!count) {
		fprintf(pg->f, "<p>%s</p>\n", none);
		return 0;
	}
	fprintf(pg->f, "<div class=\"scroll\"><table><tr>%s</tr>\n", head);
	pg->n = pg->more = 0;
	if (query(s, pg))
		return -1;
	fputs("</table></div>\n", pg->f);
	more_note(pg, what);
	return 0;
}

static int q_flows(struct nl_store *s, struct page *pg) { return store_flows(s, flow_row, pg); }
static int q_invalid(struct nl_store *s, struct page *pg) { return store_invalid(s, invalid_row, pg); }
static int q_errors(struct nl_store *s, struct page *pg) { return store_errors(s, -1, error_row, pg); }
static int q_sources(struct nl_store *s, struct page *pg) { return store_sources(s, source_row, pg); }

static int write_page(struct page *pg, struct nl_store *s, struct tally *t,
		      const struct nl_filter *flt)
{
	long nflows, ninvalid, nerrors, nsources;
	char now[64];
	time_t when = time(NULL);
	struct tm tm;
	FILE *f = pg->f;

	pg->n = pg->nns = 0;
	if (store_flows(s, count_flow, pg))
		return -1;
	nflows = pg->n;
	pg->n = 0;
	if (store_invalid(s, count_invalid, pg))
		return -1;
	ninvalid = pg->n;
	pg->n = 0;
	if (store_errors(s, -1, count_error, pg))
		return -1;
	nerrors = pg->n;
	pg->n = 0;
	if (store_sources(s, count_source, pg))
		return -1;
	nsources = pg->n;

	strftime(now, sizeof now, "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&when, &tm));
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<title>natlog report</title>\n<style>%s</style>\n</head>\n<body>\n"
		   "<h1>natlog report</h1>\n<p class=\"muted\">natlog %s, written %s", css,
		NL_VERSION, now);
	if (flt->host || flt->verdict) {
		fputs("; only packets with", f);
		if (flt->host) {
			fputs(" host ", f);
			h(f, flt->host);
		}
		if (flt->verdict) {
			fputs(flt->host ? " and verdict " : " verdict ", f);
			h(f, flt->verdict);
		}
		fputs(flt->host ? " (flows and invalid packets of that host too)" : "", f);
	}
	fputs(".</p>\n<p><a href=\"#summary\">summary</a> \u00b7 <a href=\"#drops\">drops</a> \u00b7 "
	      "<a href=\"#paths\">paths</a> \u00b7 <a href=\"#packets\">packets</a> \u00b7 "
	      "<a href=\"#flows\">flows</a> \u00b7 <a href=\"#invalid\">invalid</a> \u00b7 "
	      "<a href=\"#errors\">errors</a> \u00b7 <a href=\"#sources\">sources</a></p>\n", f);
	summary(pg, t, nflows, ninvalid, nerrors, nsources);
	if (drop_groups(pg, s, t) || drop_paths(pg, s, flt, t))
		return -1;
	packets_table(pg, t);
	/* a namespace's table lists that namespace's connections: said as
	 * flows says it, in a column of its own */
	if (table(pg, "flows", "flows (conntrack records)",
		  pg->nns ? "<th>event</th><th>time</th><th>netns</th><th>proto</th><th>original</th>"
			    "<th>reply</th><th>state</th><th>NAT</th>"
			  : "<th>event</th><th>time</th><th>proto</th><th>original</th><th>reply</th>"
			    "<th>state</th><th>NAT</th>",
		  "no conntrack table or events were imported.", "records", q_flows, s, nflows) ||
	    table(pg, "invalid", "invalid packets",
		  "<th>time</th><th>host</th><th>packet</th><th>reason</th><th>trace</th><th>where</th>",
		  "conntrack called no packet invalid.", "invalid packets", q_invalid, s, ninvalid) ||
	    table(pg, "errors", "input errors",
		  "<th>where</th><th>reason</th><th>line</th>",
		  "every line that looked like netfilter output was used.", "errors", q_errors, s,
		  nerrors) ||
	    table(pg, "sources", "inputs",
		  "<th>file</th><th>kind</th><th>host</th><th>lines</th><th>events</th><th>errors</th>"
		  "<th>sha256</th><th>imported</th>", "nothing was imported.", "sources", q_sources, s,
		  nsources))
		return -1;
	fputs("</body>\n</html>\n", f);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: natlog report [-o FILE.html] [--host NAME] [--verdict V] [--max-paths N]\n"
		"\n"
		"Writes one self-contained HTML page (inline CSS and SVG, no script, nothing\n"
		"fetched) to attach to a ticket: packets by verdict, drops grouped by the rule\n"
		"that decided them, the path of each dropped packet drawn, the packets, flows,\n"
		"invalid packets, input errors and the imported sources.\n"
		"\n"
		"options:\n"
		"  -o FILE          the page (default: standard output)\n"
		"  --host NAME      only packets, flows and invalid packets of this host\n"
		"  --verdict V      only packets with this verdict (accept, drop, reject,\n"
		"                   queue, unknown)\n"
		"  --max-paths N    draw at most N dropped packets' paths (default 20)\n"
		"  -h, --help       this help\n"
		"\n"
		"exit status: 0 written (even when nothing matched), 4 store or I/O failure.\n");
}

int cmd_report(struct nl_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "host", required_argument, NULL, 'H' },
		{ "verdict", required_argument, NULL, 'v' },
		{ "max-paths", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_filter flt = { .port = -1, .seq = -1, .ip_id = -1 };
	struct tally *t;
	struct page pg = { NULL, NULL, 0, 0, 0 };
	const char *out = NULL;
	long max_paths = 20;
	struct nl_store *s;
	int c, ret = NL_EXIT_OK, e = 0;
	char *end;

	while ((c = nl_getopt(argc, argv, "ho:", opts)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'H': flt.host = optarg; break;
		case 'v':
			if (nl_choice_arg("report", "--verdict", optarg))
				return NL_EXIT_USAGE;
			flt.verdict = optarg;
			break;
		case 'm':
			errno = 0;
			max_paths = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || max_paths < 0 || max_paths > 100000) {
				fprintf(stderr, "natlog report: --max-paths is a number from 0 to 100000, "
						"not '%s'\n", nl_esc(optarg));
				return NL_EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "natlog report: unexpected argument '%s' (the page goes to -o FILE)\n"
				"see 'natlog report --help'\n", nl_esc(argv[optind]));
		return NL_EXIT_USAGE;
	}
	if (!(t = calloc(1, sizeof *t))) {
		fprintf(stderr, "natlog: out of memory\n");
		return NL_EXIT_STORE;
	}
	t->max_paths = max_paths;
	memset(t->bucket, -1, sizeof t->bucket);
	if (!(s = cmd_store(cmd))) {
		free(t);
		return NL_EXIT_STORE;
	}
	if (store_packets(s, &flt, tally_packet, t) < 0) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
		tally_free(t);
		return NL_EXIT_STORE;
	}
	pg.host = flt.host;
	pg.f = stdout;
	if (out && strcmp(out, "-") != 0 && !(pg.f = fopen(out, "w"))) {
		fprintf(stderr, "natlog report: cannot write '%s': %s\n", nl_esc(out), strerror(errno));
		tally_free(t);
		return NL_EXIT_STORE;
	}
	if (write_page(&pg, s, t, &flt)) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
		ret = NL_EXIT_STORE;
	}
	if (pg.f != stdout) {
		if (ferror(pg.f))
			e = errno ? errno : EIO;
		if (fclose(pg.f) != 0 && !e)
			e = errno;
		if (e) {
			fprintf(stderr, "natlog report: cannot write '%s': %s\n", nl_esc(out), strerror(e));
			ret = NL_EXIT_STORE;
		}
	}
	tally_free(t);
	return ret;
}
