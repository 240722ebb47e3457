/*
 * svg.c - draws one packet's path from its analysis (struct nl_analysis),
 * never from explain's text. One drawing routine runs twice: first with no
 * output to measure, then to write, so boxes know their height before
 * their text is placed. Every string from the input goes through
 * nl_xml_puts; text is real <text> so that it can be copied.
 */
#include "natlog.h"
#include "svg.h"
#include "commands.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN 16
#define COLW 400		/* a hook's column */
#define GAP 56			/* between columns: room for the arrow */
#define PAD 10
#define LH 16			/* line height */
#define VW 250			/* the verdict's column */
#define CHARW 7.3		/* 12px monospace, for wrapping */
#define ROWCHARS 50		/* (COLW - 2 * PAD - 8) / CHARW */

static void xml_putn(FILE *f, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(s[i], f);
		}
	}
}

void nl_xml_puts(FILE *f, const char *s)
{
	/* nl_esc leaves only printable UTF-8: control bytes and broken
	 * sequences, which XML forbids, become "\xNN" */
	const char *e = nl_esc(s ? s : "");
	xml_putn(f, e, strlen(e));
}

/* The packet on one host: this packet, or a hop analysed here. */
struct seg {
	const struct nl_packet_row *p;
	const struct nl_analysis *a;
	int self;
	int owned;			/* row, own and rc hold a hop analysed here */
	struct nl_packet_row row;
	struct nl_analysis own;
	struct nl_rscache rc;		/* own's steps point into its rules */
};

struct hopfind {
	const char *trace;
	struct nl_packet_row *row;
	int found;
};

static int hop_row(void *ctx, const struct nl_packet_row *p)
{
	struct hopfind *h = ctx;
	if (!h->found && !strcmp(p->trace, h->trace)) {
		*h->row = *p;
		h->found = 1;
	}
	return 0;
}

/* Every hop's packet and its analysis, in hop order; a hop that cannot be
 * read is left out (the strip over the drawing still names it). */
static int segs_load(const struct nl_path *pp, struct seg *g)
{
	int i, n = 0;
	for (i = 0; i < pp->nhops && i < 16; i++) {
		struct seg *sg = &g[n];
		struct hopfind hf = { pp->hops[i].trace, &sg->row, 0 };
		memset(sg, 0, sizeof *sg);
		if (pp->hops[i].self) {
			sg->p = pp->p;
			sg->a = pp->a;
			sg->self = 1;
			n++;
			continue;
		}
		if (store_packets_by_trace(pp->s, hf.trace, hop_row, &hf) < 0 || !hf.found)
			continue;
		if (analyze_packet(pp->s, &sg->row, &sg->rc, &sg->own)) {
			analysis_free(&sg->own);
			rscache_free(&sg->rc);
			continue;
		}
		sg->p = &sg->row;
		sg->a = &sg->own;
		sg->owned = 1;
		n++;
	}
	return n;
}

static void segs_free(struct seg *g, int n)
{
	int i;
	for (i = 0; g && i < n; i++)
		if (g[i].owned) {
			analysis_free(&g[i].own);
			rscache_free(&g[i].rc);
		}
}

/* The drawing: f is NULL while measuring. */
struct dc {
	FILE *f;
	const struct nl_path *pp;
	const struct nl_packet_row *p;	/* the host being drawn: this packet or a hop */
	const struct nl_analysis *a;
	const struct seg *segs;		/* every host's, in hop order, or NULL */
	int nsegs;
	char id[48];		/* prefix of ids in this drawing */
	int w;			/* the width reached */
};

static void out(struct dc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(struct dc *d, const char *fmt, ...)
{
	va_list ap;
	if (!d->f)
		return;
	va_start(ap, fmt);
	vfprintf(d->f, fmt, ap);
	va_end(ap);
}

static void text(struct dc *d, int x, int y, const char *cls, const char *s)
{
	if (!d->f)
		return;
	fprintf(d->f, "<text x=\"%d\" y=\"%d\" class=\"%s\">", x, y, cls);
	nl_xml_puts(d->f, s);
	fputs("</text>\n", d->f);
}

static size_t nchars(const char *s, size_t n)
{
	size_t i, c = 0;
	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* How many bytes of p go on a line of at most maxc characters: up to
 * its last space that fits, else maxc characters. */
static size_t line_cut(const char *p, int maxc)
{
	size_t n = strlen(p), i, c = 0, sp = 0;
	if (nchars(p, n) <= (size_t)maxc)
		return n;
	for (i = 0; i < n; i++) {
		if (((unsigned char)p[i] & 0xc0) != 0x80 && c++ == (size_t)maxc)
			break;
		if (p[i] == ' ')
			sp = i;
	}
	return sp > 0 ? sp : i;
}

/* Writes s in lines of at most maxc characters, broken at spaces where
 * it can be, from baseline y; returns the number of lines. */
static int text_wrap(struct dc *d, int x, int y, const char *cls, const char *s, int maxc)
{
	char buf[8192];
	const char *p;
	int lines = 0;
	nl_strlcpy(buf, nl_esc(s ? s : ""), sizeof buf);
	p = buf;
	if (maxc < 8)
		maxc = 8;
	do {
		size_t cut = line_cut(p, maxc);
		if (d->f) {
			fprintf(d->f, "<text x=\"%d\" y=\"%d\" class=\"%s\">", x, y + lines * LH, cls);
			xml_putn(d->f, p, cut);
			fputs("</text>\n", d->f);
		}
		lines++;
		p += cut;
		while (*p == ' ')
			p++;
	} while (*p);
	return lines;
}

static const char *vclass(const char *v)
{
	if (!strcmp(v, "accept"))
		return "ok";
	if (!strcmp(v, "drop") || !strcmp(v, "reject"))
		return "bad";
	return "warn";
}

/* "rule 2 handle 7", "policy", "return 3": the box says table and chain */
static void step_short(const struct nl_step *s, char *buf, size_t n)
{
	const struct nl_event *e = &s->ev;
	char h[40] = "";
	if (e->kind != NL_EV_NFTRACE) {
		if (!strcmp(e->type, "policy"))
			snprintf(buf, n, "policy (%s:%s:policy:%d)", e->table, e->chain, e->rulenum);
		else
			snprintf(buf, n, "%s %d", e->type, e->rulenum);
		return;
	}
	if (e->handle >= 0)
		snprintf(h, sizeof h, " handle %lld", (long long)e->handle);
	if (s->position > 0 && strcmp(e->type, "policy") != 0)
		snprintf(buf, n, "%s %d%s", e->type, s->position, h);
	else
		snprintf(buf, n, "%s%s", e->type, h);
}

static void step_box(const struct nl_step *s, char *buf, size_t n)
{
	if (s->ev.kind == NL_EV_NFTRACE)
		snprintf(buf, n, "%s %s %s", s->ev.nft_family, s->ev.table, s->ev.chain);
	else
		snprintf(buf, n, "%s %s", s->ev.table, s->ev.chain);
}

static int same_box(const struct nl_step *a, const struct nl_step *b)
{
	return !strcmp(a->ev.table, b->ev.table) && !strcmp(a->ev.chain, b->ev.chain) &&
	       !strcmp(a->ev.nft_family, b->ev.nft_family);
}

static int same_column(const struct nl_step *a, const struct nl_step *b)
{
	return a->hook == b->hook && (a->hook >= 0 || !strcmp(a->base, b->base));
}

static void endpoint(char *b, size_t n, const char *addr, int port, int family)
{
	if (port >= 0)
		snprintf(b, n, family == 6 ? "[%s]:%d" : "%s:%d", addr[0] ? addr : "?", port);
	else
		snprintf(b, n, "%s", addr[0] ? addr : "?");
}

static void nat_text(const struct nl_analysis *a, const struct nl_nat *n, char *buf, size_t len)
{
	const struct nl_step *s = &a->steps[n->step];
	char to[96];
	if (n->to[0])
		nl_strlcpy(to, n->to, sizeof to);
	else if (!strcmp(n->kind, "MASQUERADE"))
		snprintf(to, sizeof to, "the address of %s",
			 s->ev.pkt.oif[0] ? s->ev.pkt.oif : "the outgoing interface");
	else
		snprintf(to, sizeof to, "the address the rule gives");
	if (n->by_conntrack == NL_NAT_CONNTRACK)
		snprintf(buf, len, "conntrack NAT (%s): %s \u2192 %s", n->field, n->from, to);
	else if (n->by_conntrack)
		snprintf(buf, len, "NAT no traced rule did (%s): %s \u2192 %s", n->field, n->from, to);
	else
		snprintf(buf, len, "%s %s: %s \u2192 %s%s", n->kind, n->field, n->from, to,
			 n->after_trace ? " (after the last traced step)" : "");
}

/* One rule the packet hit: where, the effect, the rule text, NAT done
 * there and LOG lines printed right after it. */
static int row_body(struct dc *d, int x, int y, size_t k)
{
	const struct nl_analysis *a = d->a;
	const struct nl_step *s = &a->steps[k];
	char loc[NL_LOCSIZ], buf[400];
	int y0 = y, i;
	size_t j;
	step_short(s, loc, sizeof loc);
	text(d, x + PAD, y + 13, "loc", loc);
	if (d->f) {
		fprintf(d->f, "<text x=\"%d\" y=\"%d\" class=\"eff %s\" text-anchor=\"end\">",
			x + COLW - PAD, y + 13, vclass(s->effect));
		nl_xml_puts(d->f, s->effect);
		fputs("</text>\n", d->f);
	}
	y += LH + 2;
	if (s->rule_text)
		y += LH * text_wrap(d, x + PAD + 8, y + 12, "r", s->rule_text, ROWCHARS);
	else
		y += LH * text_wrap(d, x + PAD + 8, y + 12, "note", nl_step_note(s), ROWCHARS);
	if (s->mismatch && s->rule_text)
		y += LH * text_wrap(d, x + PAD + 8, y + 12, "bad", "the dump contradicts this step",
				    ROWCHARS);
	for (i = 0; i < a->nnat; i++)
		if ((size_t)a->nat[i].step == k) {
			nat_text(a, &a->nat[i], buf, sizeof buf);
			y += LH * text_wrap(d, x + PAD + 8, y + 12, "nat", buf, ROWCHARS);
		}
	for (j = 0; j < a->nlogs; j++) {
		const struct nl_step *l = &a->logs[j];
		if (l->ev.line > s->ev.line && (k + 1 == a->n || l->ev.line < a->steps[k + 1].ev.line) &&
		    !strcmp(l->file, s->file)) {
			snprintf(buf, sizeof buf, "%s '%s' (line %ld)",
				 l->ev.kind == NL_EV_CTINVALID ? "conntrack INVALID:" : "LOG",
				 l->ev.kind == NL_EV_CTINVALID ? l->ev.reason : l->ev.prefix, l->ev.line);
			y += LH * text_wrap(d, x + PAD + 8, y + 12, "note", buf, ROWCHARS);
		}
	}
	if ((int)k == a->decided)
		y += LH * text_wrap(d, x + PAD + 8, y + 12, "dec",
				    "\u25b6 this decided the verdict", ROWCHARS);
	return y - y0 + 4;
}

static int row(struct dc *d, int x, int y, size_t k)
{
	const struct nl_analysis *a = d->a;
	FILE *f = d->f;
	int h;
	d->f = NULL;
	h = row_body(d, x, y, k);
	d->f = f;
	if ((int)k == a->decided)
		out(d, "<rect class=\"decided %s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\"/>\n",
		    vclass(a->verdict), x + 3, y, COLW - 6, h - 2);
	out(d, "<g class=\"step\">\n");
	row_body(d, x, y, k);
	out(d, "</g>\n");
	return h;
}

static int box_body(struct dc *d, int x, int y, size_t b, size_t e)
{
	char name[NL_LOCSIZ];
	int y0 = y;
	size_t k;
	step_box(&d->a->steps[b], name, sizeof name);
	text(d, x + PAD, y + 16, "chain", name);
	out(d, "<line class=\"sep\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", x, y + 23, x + COLW,
	    y + 23);
	y += 27;
	for (k = b; k < e; k++)
		y += row(d, x, y, k);
	return y - y0 + 2;
}

static int box(struct dc *d, int x, int y, size_t b, size_t e)
{
	FILE *f = d->f;
	int h;
	d->f = NULL;
	h = box_body(d, x, y, b, e);
	d->f = f;
	out(d, "<g class=\"chainbox\">\n<rect class=\"box\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\"/>\n",
	    x, y, COLW, h);
	box_body(d, x, y, b, e);
	out(d, "</g>\n");
	return h;
}

static void arrow(struct dc *d, int x1, int y1, int x2, int y2, const char *cls)
{
	out(d, "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" marker-end=\"url(#%s-arrow)\"/>\n",
	    cls, x1, y1, x2, y2, d->id);
}

/* What took the packet from one box to the next. */
static void transition(const struct nl_step *s, char *buf, size_t n)
{
	if (!strncmp(s->effect, "jump", 4) || !strncmp(s->effect, "goto", 4))
		snprintf(buf, n, "%s", s->effect);
	else if (s->chain_end)
		snprintf(buf, n, "end of chain: return");
	else if (!strcmp(s->effect, "return"))
		snprintf(buf, n, "return to the caller");
	else
		snprintf(buf, n, "%s: on to the next chain", s->effect);
}

static int column(struct dc *d, int x, int y, size_t i, size_t j)
{
	const struct nl_analysis *a = d->a;
	const struct nl_step *s = &a->steps[i];
	const struct nl_pkt *k = &s->ev.pkt;
	char buf[300], e1[80], e2[80];
	size_t b, e;
	if (nl_hook_name(s->hook))
		text(d, x, y + 16, "hook", nl_hook_name(s->hook));
	else {
		snprintf(buf, sizeof buf, "base chain %s", s->base[0] ? s->base : "?");
		text(d, x, y + 16, "hook", buf);
	}
	y += 22;
	snprintf(e1, sizeof e1, k->ttl >= 0 ? "%d" : "?", k->ttl);
	snprintf(buf, sizeof buf, "in %s  out %s  ttl %s", k->iif[0] ? k->iif : "-",
		 k->oif[0] ? k->oif : "-", e1);
	text(d, x, y + 12, "sub", buf);
	endpoint(e1, sizeof e1, k->src, k->sport, k->family);
	endpoint(e2, sizeof e2, k->dst, k->dport, k->family);
	snprintf(buf, sizeof buf, "%s \u2192 %s", e1, e2);
	y += LH;
	y += LH * text_wrap(d, x, y + 12, "sub", buf, ROWCHARS + 4) + 6;
	for (b = i; b < j; b = e) {
		for (e = b + 1; e < j && same_box(&a->steps[e], &a->steps[b]); e++)
			;
		if (b > i) {
			transition(&a->steps[b - 1], buf, sizeof buf);
			arrow(d, x + 24, y + 2, x + 24, y + 30, !strcmp(a->steps[b - 1].effect, "return") ||
				     a->steps[b - 1].chain_end ? "arr ret" : "arr");
			text(d, x + 34, y + 20, "trans", buf);
			y += 34;
		}
		y += box(d, x, y, b, e);
	}
	return y;
}

static void header(struct dc *d, int *y)
{
	const struct nl_packet_row *p = d->pp->p;
	char tuple[200], flags[64], buf[600], ipid[32] = "";
	int i, x = MARGIN;
	nl_fmt_tuple(tuple, sizeof tuple, p->proto, p->src, p->sport, p->dst, p->dport, p->family);
	nl_tcp_flags_str(p->tcp_flags, flags, sizeof flags);
	snprintf(buf, sizeof buf, "packet %s  %s%s%s", p->trace, tuple, flags[0] ? " " : "", flags);
	text(d, MARGIN, *y + 18, "title", buf);
	*y += 26;
	if (p->ip_id >= 0)
		snprintf(ipid, sizeof ipid, ", IP ID %lld", (long long)p->ip_id);
	snprintf(buf, sizeof buf, "host %s, source %s, %s, first seen %s%s",
		 p->host[0] ? p->host : "unknown", p->source, p->family == 6 ? "IPv6" : "IPv4",
		 p->time[0] ? p->time : "(no time)", ipid);
	text(d, MARGIN, *y + 14, "sub", buf);
	*y += 26;
	if (!d->pp->nhops)
		return;
	text(d, MARGIN, *y + 12, "sub", "on each host (the same IP ID and length, by TTL):");
	*y += 20;
	for (i = 0; i < d->pp->nhops; i++) {
		const struct nl_hop *h = &d->pp->hops[i];
		if (i)
			arrow(d, x - 30, *y + 22, x - 4, *y + 22, "arr");
		out(d, "<rect class=\"hop%s\" x=\"%d\" y=\"%d\" width=\"190\" height=\"46\" rx=\"6\"/>\n",
		    h->self ? " self" : "", x, *y);
		snprintf(buf, sizeof buf, "%s%s", h->host[0] ? h->host : "unknown host",
			 h->self ? " (this packet)" : "");
		text(d, x + 8, *y + 16, "chain", buf);
		snprintf(buf, sizeof buf, "%s  ttl %d", h->trace, h->ttl);
		text(d, x + 8, *y + 36, "loc", buf);
		out(d, "<text x=\"%d\" y=\"%d\" class=\"%s\" text-anchor=\"end\">", x + 182, *y + 36,
		    h->verdict[0] ? vclass(h->verdict) : "warn");
		if (d->f)
			nl_xml_puts(d->f, h->verdict[0] ? h->verdict : "-");
		out(d, "</text>\n");
		x += 190 + 34;
	}
	if (x > d->w)
		d->w = x;
	*y += 62;
}

static int verdict_node(struct dc *d, int x, int y)
{
	const struct nl_analysis *a = d->a;
	const struct nl_packet_row *p = d->p;
	int logonly = !strcmp(p->source, "log");
	const char *v = logonly ? "unknown" : a->verdict[0] ? a->verdict : "unknown";
	char buf[NL_LOCSIZ], up[16];
	int h = 60, i;
	nl_strlcpy(up, v, sizeof up);
	for (i = 0; up[i]; i++)
		up[i] = (char)(up[i] >= 'a' && up[i] <= 'z' ? up[i] - 32 : up[i]);
	out(d, "<g class=\"verdict\">\n<rect class=\"vbox %s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\"/>\n",
	    vclass(v), x, y, VW, h);
	out(d, "<text x=\"%d\" y=\"%d\" class=\"vtext %s\" text-anchor=\"middle\">", x + VW / 2, y + 26,
	    vclass(v));
	if (d->f)
		nl_xml_puts(d->f, up);
	out(d, "</text>\n");
	text(d, x + 10, y + 46, "sub", logonly ? "only logged, not traced"
				  : a->inferred ? "verdict (inferred)" : "verdict");
	y += h + 8;
	if (a->decided >= 0) {
		const struct nl_step *s = &a->steps[a->decided];
		text(d, x, y + 12, "sub", "decided by");
		step_box(s, buf, sizeof buf);
		y += LH + text_wrap(d, x, y + 12 + LH, "chain", buf, 34) * LH;
		step_short(s, buf, sizeof buf);
		y += text_wrap(d, x, y + 12, "loc", buf, 34) * LH + LH;
	}
	/* the diagnosis's first word beside the verdict; all of it is below */
	if (a->ndiag) {
		text(d, x, y + 12, "sub", "why");
		y += LH + text_wrap(d, x, y + 12 + LH, "why", a->diag[0], 34) * LH + LH;
	}
	out(d, "</g>\n");
	return y;
}

/* Bulleted lines under the drawing, wrapped to its width. */
static int panel(struct dc *d, int y, const char *title, const char *cls, const char *line)
{
	int maxc = (d->w - 2 * MARGIN - 20) / 7;
	if (title) {
		text(d, MARGIN, y + 16, "hook", title);
		return y + 24;
	}
	return y + LH * text_wrap(d, MARGIN + 14, y + 12, cls, line, maxc) + 4;
}

static int evidence(struct dc *d, int y)
{
	const struct nl_analysis *a = d->pp->a;
	char buf[1400];
	size_t i;
	if (!a->nwire && !a->nlogs)
		return panel(d, panel(d, y, "evidence", NULL, NULL), NULL, "note",
			     "no capture, conntrack or LOG line of this packet was imported");
	y = panel(d, y, "evidence", NULL, NULL);
	for (i = 0; i < (size_t)a->nwire; i++) {
		const struct nl_wire_ev *w = &a->wire[i];
		if (w->conntrack)
			snprintf(buf, sizeof buf, "conntrack (%s line %ld): %s", w->file, w->frame, w->note);
		else if (w->seen)
			snprintf(buf, sizeof buf, "\u2713 seen in %s (%s) packet %ld at %s: %s", w->file,
				 w->iface, w->frame, w->time, w->note);
		else
			snprintf(buf, sizeof buf, "\u2717 not seen in %s (%s): %s", w->file, w->iface, w->note);
		y = panel(d, y, NULL, w->conntrack ? "ev" : w->seen ? "ev ok" : "ev bad", buf);
	}
	for (i = 0; i < a->nlogs; i++) {
		const struct nl_step *l = &a->logs[i];
		snprintf(buf, sizeof buf, "%s '%s' (%s line %ld)",
			 l->ev.kind == NL_EV_CTINVALID ? "conntrack INVALID:" : "LOG",
			 l->ev.kind == NL_EV_CTINVALID ? l->ev.reason : l->ev.prefix, l->file, l->ev.line);
		y = panel(d, y, NULL, "ev", buf);
	}
	return y;
}

/* One host's columns and its verdict, from x; returns the x after it. */
static int host_path(struct dc *d, int x, int top, int *bottom)
{
	const struct nl_analysis *a = d->a;
	size_t b, e;
	int i;
	for (b = 0; b < a->n; b = e) {
		int cy;
		for (e = b + 1; e < a->n && same_column(&a->steps[e], &a->steps[b]); e++)
			;
		if (b)
			arrow(d, x - GAP + 6, top + 11, x - 8, top + 11, "arr hookarr");
		cy = column(d, x, top, b, e);
		if (cy > *bottom)
			*bottom = cy;
		x += COLW + GAP;
	}
	if (!a->n) {
		text(d, x, top + 16, "note", "no traced step: natlog knows this packet only from its LOG line");
		x += 440;
		if (top + 30 > *bottom)
			*bottom = top + 30;
	} else {
		arrow(d, x - GAP + 6, top + 11, x - 8, top + 11, "arr hookarr");
	}
	i = verdict_node(d, x, top);
	if (i > *bottom)
		*bottom = i;
	return x + VW;
}

static int draw(struct dc *d)
{
	int y = MARGIN, x = MARGIN, top, bottom, i;
	header(d, &y);
	top = bottom = y;
	if (!d->nsegs) {
		d->p = d->pp->p;
		d->a = d->pp->a;
		x = host_path(d, x, top, &bottom);
	}
	/* across hosts: a band per host over its columns, the wire between */
	for (i = 0; i < d->nsegs; i++) {
		const struct seg *g = &d->segs[i];
		char buf[300];
		int x0 = x + 8, b0 = top + 30;
		d->p = g->p;
		d->a = g->a;
		snprintf(buf, sizeof buf, "host %s: trace %s (%s)%s", g->p->host[0] ? g->p->host : "unknown",
			 g->p->trace, g->p->source, g->self ? ", this packet" : "");
		/* the band goes under the columns: measure them first */
		{
			FILE *f = d->f;
			int bm = b0;
			d->f = NULL;
			x = host_path(d, x0, top + 30, &bm);
			d->f = f;
			out(d, "<rect class=\"band%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\"/>\n",
			    g->self ? " self" : "", x0 - 8, top, x - x0 + 16, bm - top + 8);
		}
		text(d, x0, top + 18, "hook", buf);
		x = host_path(d, x0, top + 30, &b0);
		if (b0 + 8 > bottom)
			bottom = b0 + 8;
		if (i + 1 < d->nsegs) {
			arrow(d, x + 12, top + 41, x + GAP + 8, top + 41, "arr hookarr");
			text(d, x + 16, top + 34, "trans", "wire");
		}
		x += GAP + 16;
	}
	x += MARGIN;
	if (x > d->w)
		d->w = x;
	d->p = d->pp->p;
	d->a = d->pp->a;
	y = bottom + 16;
	y = panel(d, y, d->nsegs ? "diagnosis of this packet" : "diagnosis", NULL, NULL);
	if (!d->a->ndiag)
		y = panel(d, y, NULL, "note", "natlog has nothing to add");
	for (i = 0; i < d->a->ndiag; i++) {
		char buf[520];
		snprintf(buf, sizeof buf, "\u2022 %s", d->a->diag[i]);
		y = panel(d, y, NULL, "diag", buf);
	}
	y = evidence(d, y + 8);
	return y + MARGIN;
}

static const char css[] =
	"text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
	"font-size:13px;fill:#1f2328}"
	".title{font-size:17px;font-weight:700}.hook{font-size:15px;font-weight:700}"
	".chain{font-weight:700}.sub,.loc,.trans{fill:#57606a}.loc{font-size:12px}"
	".r,.nat{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12px}"
	".nat{fill:#953800;font-weight:700}.note{fill:#6e7781;font-style:italic}"
	".dec,.why{font-weight:700;fill:#1f2328}.eff{font-weight:700}"
	".ok{fill:#1a7f37}.bad{fill:#cf222e}.warn{fill:#9a6700}"
	".box{fill:#f6f8fa;stroke:#8c959f}.sep{stroke:#d0d7de}"
	".decided{stroke-width:2}.decided.bad{fill:#ffebe9;stroke:#cf222e}"
	".decided.ok{fill:#dafbe1;stroke:#1a7f37}.decided.warn{fill:#fff8c5;stroke:#9a6700}"
	".vbox{stroke-width:2}.vbox.bad{fill:#ffebe9;stroke:#cf222e}.vbox.ok{fill:#dafbe1;stroke:#1a7f37}"
	".vbox.warn{fill:#fff8c5;stroke:#9a6700}.vtext{font-size:22px;font-weight:800}"
	".arr{stroke:#57606a;stroke-width:1.5}.ret{stroke-dasharray:5 3}"
	".hop{fill:#f6f8fa;stroke:#8c959f}.hop.self{stroke:#0969da;stroke-width:2}"
	".band{fill:#ffffff;stroke:#d0d7de;stroke-dasharray:4 3}.band.self{stroke:#0969da;stroke-dasharray:none}"
	".ev.ok{fill:#1a7f37}.ev.bad{fill:#cf222e}";

/* The style sheet with every selector under svg.nl-path, so that a page
 * holding drawings keeps its own styles. */
static void scoped_css(FILE *f)
{
	const char *c;
	int in_block = 0, at_start = 1;
	for (c = css; *c; c++) {
		if (at_start && !in_block)
			fputs("svg.nl-path ", f);
		at_start = 0;
		if (*c == '{')
			in_block = 1;
		else if (*c == '}')
			in_block = 0, at_start = 1;
		else if (*c == ',' && !in_block)
			at_start = 1;
		fputc(*c, f);
	}
}

void nl_svg_path(FILE *f, const struct nl_path *pp, int inline_svg)
{
	struct dc d;
	struct seg *segs = NULL;
	size_t i, o = 0;
	int h;
	memset(&d, 0, sizeof d);
	d.pp = pp;
	d.w = 760;
	if (pp->s && pp->nhops > 1 && (segs = calloc(16, sizeof *segs)) != NULL) {
		d.nsegs = segs_load(pp, segs);
		d.segs = segs;
		if (d.nsegs < 2) {	/* only this host: the plain drawing */
			segs_free(segs, d.nsegs);
			d.nsegs = 0;
		}
	}
	/* ids: letters, digits, '-' only, whatever the trace id holds */
	o = (size_t)snprintf(d.id, sizeof d.id, "p");
	for (i = 0; pp->p->trace[i] && o + 1 < sizeof d.id; i++) {
		char c = pp->p->trace[i];
		d.id[o++] = (char)((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
				   (c >= 'A' && c <= 'Z') ? c : '-');
	}
	d.id[o] = '\0';
	h = draw(&d);
	d.f = f;
	if (!inline_svg)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"nl-path\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"path of packet ", d.w, h, d.w, h);
	nl_xml_puts(f, pp->p->trace);
	fprintf(f, "\">\n<title>natlog: path of packet ");
	nl_xml_puts(f, pp->p->trace);
	fputs("</title>\n<style>", f);
	scoped_css(f);
	fputs("</style>\n", f);
	fprintf(f, "<defs><marker id=\"%s-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
		   "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
		   "<path d=\"M0 0L10 5L0 10z\" fill=\"#57606a\"/></marker></defs>\n", d.id);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n<g id=\"%s\">\n", d.id);
	draw(&d);
	fputs("</g>\n</svg>\n", f);
	segs_free(segs, d.nsegs);
	free(segs);
}

/* s in a Graphviz HTML-like label, in lines of at most maxc characters */
static void dot_wrap(FILE *f, const char *s, int maxc)
{
	char buf[8192];
	const char *p = buf;
	nl_strlcpy(buf, nl_esc(s ? s : ""), sizeof buf);
	do {
		size_t cut = line_cut(p, maxc);
		xml_putn(f, p, cut);
		p += cut;
		while (*p == ' ')
			p++;
		if (*p)
			fputs("<BR ALIGN=\"LEFT\"/>", f);
	} while (*p);
}

/* Graphviz: one cluster per hook, one node per chain with a row per rule,
 * HTML-like labels (so the same XML escaping holds). */
static void dot_row(FILE *f, const struct nl_analysis *a, size_t k)
{
	const struct nl_step *s = &a->steps[k];
	char loc[NL_LOCSIZ], buf[400];
	int i;
	step_short(s, loc, sizeof loc);
	fprintf(f, "<TR><TD ALIGN=\"LEFT\"%s>", (int)k == a->decided ? " BGCOLOR=\"#ffd8d3\"" : "");
	nl_xml_puts(f, loc);
	fputs("</TD><TD ALIGN=\"LEFT\"><B>", f);
	nl_xml_puts(f, s->effect);
	fputs("</B></TD><TD ALIGN=\"LEFT\">", f);
	dot_wrap(f, s->rule_text ? s->rule_text : s->chain_end ? "(end of chain)" : "(not in any dump)", 60);
	for (i = 0; i < a->nnat; i++)
		if ((size_t)a->nat[i].step == k) {
			nat_text(a, &a->nat[i], buf, sizeof buf);
			fputs("<BR/><FONT COLOR=\"#953800\">", f);
			nl_xml_puts(f, buf);
			fputs("</FONT>", f);
		}
	if ((int)k == a->decided)
		fputs("<BR/><B>this decided the verdict</B>", f);
	fputs("</TD></TR>", f);
}

void nl_dot_path(FILE *f, const struct nl_path *pp)
{
	const struct nl_analysis *a = pp->a;
	const struct nl_packet_row *p = pp->p;
	char tuple[200], name[NL_LOCSIZ], buf[1400];
	size_t b, e, c, cb;
	int i, ncl = 0;
	nl_fmt_tuple(tuple, sizeof tuple, p->proto, p->src, p->sport, p->dst, p->dport, p->family);
	fputs("digraph packet {\n  rankdir=LR;\n  node [shape=plain, fontname=\"Helvetica\"];\n"
	      "  label=<packet ", f);
	nl_xml_puts(f, p->trace);
	fputs(" ", f);
	nl_xml_puts(f, tuple);
	fputs(">;\n  labelloc=t;\n", f);
	for (c = 0; c < a->n; c = cb) {
		const struct nl_step *s = &a->steps[c];
		for (cb = c + 1; cb < a->n && same_column(&a->steps[cb], s); cb++)
			;
		fprintf(f, "  subgraph cluster_%d {\n    label=<", ncl++);
		nl_xml_puts(f, nl_hook_name(s->hook) ? nl_hook_name(s->hook) : s->base);
		fputs(">;\n", f);
		for (b = c; b < cb; b = e) {
			for (e = b + 1; e < cb && same_box(&a->steps[e], &a->steps[b]); e++)
				;
			step_box(&a->steps[b], name, sizeof name);
			fprintf(f, "    s%zu [label=<<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\">"
				   "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\"><B>", b);
			nl_xml_puts(f, name);
			fputs("</B></TD></TR>", f);
			for (i = (int)b; (size_t)i < e; i++)
				dot_row(f, a, (size_t)i);
			fputs("</TABLE>>];\n", f);
		}
		fputs("  }\n", f);
	}
	/* consecutive boxes: the effect that took the packet on */
	for (b = 0, c = (size_t)-1; b < a->n; b = e) {
		for (e = b + 1; e < a->n && same_box(&a->steps[e], &a->steps[b]) &&
				same_column(&a->steps[e], &a->steps[b]); e++)
			;
		if (c != (size_t)-1) {
			char t[120];
			transition(&a->steps[b - 1], t, sizeof t);
			fprintf(f, "  s%zu -> s%zu [label=<", c, b);
			nl_xml_puts(f, t);
			fprintf(f, ">%s];\n", a->steps[b - 1].chain_end ||
				 !strcmp(a->steps[b - 1].effect, "return") ? ", style=dashed" : "");
		}
		c = b;
	}
	fputs("  verdict [shape=box, style=\"rounded,filled\", fillcolor=\"", f);
	fputs(!strcmp(a->verdict, "accept") ? "#dafbe1" : !strcmp(a->verdict, "drop") ||
	      !strcmp(a->verdict, "reject") ? "#ffebe9" : "#fff8c5", f);
	fputs("\", label=<<B>", f);
	nl_xml_puts(f, strcmp(p->source, "log") && a->verdict[0] ? a->verdict : "unknown");
	fputs("</B>>];\n", f);
	if (a->n)
		fprintf(f, "  s%zu -> verdict;\n", c);
	fputs("  diagnosis [shape=note, label=<<B>diagnosis</B>", f);
	for (i = 0; i < a->ndiag; i++) {
		fputs("<BR ALIGN=\"LEFT\"/>", f);
		dot_wrap(f, a->diag[i], 90);
	}
	for (i = 0; i < a->nwire; i++) {
		const struct nl_wire_ev *w = &a->wire[i];
		fputs(i ? "<BR ALIGN=\"LEFT\"/>" : "<BR ALIGN=\"LEFT\"/><B>evidence</B><BR ALIGN=\"LEFT\"/>", f);
		snprintf(buf, sizeof buf, "%s%s: %s", w->conntrack ? "conntrack " : w->seen ? "seen in "
				: "not seen in ", w->file, w->note);
		dot_wrap(f, buf, 90);
	}
	fputs("<BR ALIGN=\"LEFT\"/>>];\n  verdict -> diagnosis [style=dotted, arrowhead=none];\n}\n", f);
}

int nl_path_write(const char *path, int dot, const struct nl_path *pp)
{
	FILE *f = stdout;
	int e = 0;
	if (path && strcmp(path, "-") != 0 && !(f = fopen(path, "w"))) {
		fprintf(stderr, "natlog: cannot write '%s': %s\n", nl_esc(path), strerror(errno));
		return NL_EXIT_STORE;
	}
	if (dot)
		nl_dot_path(f, pp);
	else
		nl_svg_path(f, pp, 0);
	if (f == stdout)
		return NL_EXIT_OK;	/* main.c checks stdout when it closes it */
	if (ferror(f))
		e = errno ? errno : EIO;
	if (fclose(f) != 0 && !e)
		e = errno;
	if (e) {
		fprintf(stderr, "natlog: cannot write '%s': %s\n", nl_esc(path), strerror(e));
		return NL_EXIT_STORE;
	}
	return NL_EXIT_OK;
}
