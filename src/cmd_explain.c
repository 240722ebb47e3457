/*
 * cmd_explain.c - `natlog explain --trace ID [--json]`: one packet's
 * journey hook by hook with the text of every rule it hit, the NAT
 * rewrites, the verdict, the deciding rule and what natlog concluded.
 */
#include "natlog.h"
#include "analyze.h"
#include "trust.h"
#include "cli.h"
#include "realign.h"
#include "commands.h"
#include "jsonw.h"
#include "store.h"
#include "svg.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* The packet on other hosts (store_packet_hops), this one among them. */
struct hops {
	struct nl_hop v[16];
	int n, others;
};

static int collect_hop(void *ctx, const struct nl_hop *h)
{
	struct hops *hs = ctx;
	if (hs->n < 16) {
		hs->v[hs->n++] = *h;
		hs->others += !h->self;
	}
	return 0;
}

struct style {
	const char *bold, *red, *green, *yellow, *dim, *off;
};

/* LOG lines: a packet natlog knows only from its LOG target line (source
 * "log"), and the LOG lines of a traced packet that were stored apart
 * from it (a LOG rule before the TRACE rule, or another file). */
struct logged {
	const struct nl_packet_row *p;
	int64_t *ids;
	size_t n, cap;
	size_t past;		/* packets past NL_MAXLOGS: counted, not read */
};

/* The same packet: source and IP ID (the query's filter), then what
 * traces asks of a LOG line before it leaves it out. */
static int logged_candidate(void *ctx, const struct nl_packet_row *q)
{
	struct logged *l = ctx;
	if (!nl_log_of_traced(l->p, q))
		return 0;
	/* traces leaves every one of them out: none may go unmentioned */
	if (l->n >= NL_MAXLOGS) {
		l->past++;
		return 0;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		int64_t *ids = realloc(l->ids, cap * sizeof *ids);
		if (!ids)
			return -1;
		l->ids = ids;
		l->cap = cap;
	}
	l->ids[l->n++] = q->id;
	return 0;
}

static int add_log(void *ctx, const struct nl_event_row *e)
{
	struct nl_analysis *a = ctx;
	struct nl_step *st;
	if (e->ev.kind != NL_EV_LOG)
		return 0;
	if (a->nlogs >= NL_MAXLOGS) {
		a->logs_left_out++;
		return 0;
	}
	if (a->nlogs == a->caplogs) {
		size_t cap = a->caplogs ? a->caplogs * 2 : 4;
		struct nl_step *n = realloc(a->logs, cap * sizeof *n);
		if (!n)
			return -1;
		a->logs = n;
		a->caplogs = cap;
	}
	st = &a->logs[a->nlogs++];
	memset(st, 0, sizeof *st);
	st->ev = e->ev;
	st->position = -1;
	nl_strlcpy(st->file, e->file, sizeof st->file);
	return 0;
}

static int attach_logged(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a)
{
	struct nl_filter f = { .port = -1, .seq = -1, .ip_id = -1 };
	struct logged l = { p, NULL, 0, 0, 0 };
	size_t i, before = a->logs_left_out;
	int rc = 0;
	if (!strcmp(p->source, "log") || !p->src[0] || p->ip_id < 0)
		return 0;
	f.src = p->src;
	f.ip_id = p->ip_id;
	if (store_packets(s, &f, logged_candidate, &l) < 0)
		rc = -1;
	for (i = 0; !rc && i < l.n; i++)
		if (store_packet_events(s, l.ids[i], add_log, a))
			rc = -1;
	a->logs_left_out += l.past;	/* a LOG packet has one LOG line at least */
	if (!before && a->logs_left_out)
		nl_diag(a, "only the first %d LOG lines of this packet were kept: %zu more were left out",
			NL_MAXLOGS, a->logs_left_out);
	free(l.ids);
	return rc;
}

static size_t trimmed(const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

/* Whether rule r is a LOG rule with this prefix (iptables-save's
 * --log-prefix "...", the listing's prefix "...", nft's log prefix "..."). */
static int logs_with(const struct nl_vrule *r, const char *prefix, size_t pn)
{
	const char *t = r->text, *q;
	if (strcmp(r->target, "LOG") != 0 && !strstr(r->text, "-j LOG") &&
	    !strstr(r->text, "log prefix \""))
		return 0;
	while ((q = strstr(t, "prefix \"")) != NULL) {
		const char *v = q + 8, *end = strchr(v, '"');
		size_t vn = end ? (size_t)(end - v) : strlen(v);
		while (vn > 0 && v[vn - 1] == ' ')
			vn--;
		if (vn == pn && !memcmp(v, prefix, pn))
			return 1;
		t = v;
	}
	return 0;
}

/* The LOG rules of chain ch with the prefix of the packet's LOG line. */
struct logged_by {
	struct nl_analysis *a;
	const struct nl_rsview *v;
	const struct nl_event *ev;
	int64_t dump;
	size_t pn;
	int found;
};

/* "filter:FORWARD:rule:3" for iptables, "inet firewalld filter_INPUT
 * rule 3" for nft, as the journey names steps. */
static void rule_name(char *b, size_t n, const char *family, const char *table, const char *chain,
		     int pos)
{
	if (family[0])
		snprintf(b, n, "%s %s %s rule %d", family, table, chain, pos);
	else
		snprintf(b, n, "%s:%s:rule:%d", table, chain, pos);
}

static int logged_in(void *ctx, const char *family, const char *table, const char *name)
{
	struct logged_by *l = ctx;
	struct nl_analysis *a = l->a;
	char where[400];
	const struct nl_chain *ch = rsview_chain(l->v, l->dump, family, table, name);
	int j;
	if (ch && ch->sparse) {
		nl_sparse_diag(a, ch, "look in it for the LOG rule of this prefix");
		return 0;
	}
	for (j = 0; ch && j < ch->nrules; j++) {
		const struct nl_vrule *r = &ch->rules[j];
		char why[160];
		if (!logs_with(r, l->ev->prefix, l->pn) ||
		    rule_contradicts(r, &l->ev->pkt, why, sizeof why))
			continue;
		l->found++;
		rule_name(where, sizeof where, family, ch->table, ch->name, j + 1);
		nl_diag(a, "logged by %s (%s)", where, r->text);
		/* the rules after it that the packet cannot match (another
		 * address, port, interface) are passed over to the next it can */
		{
			int k = j + 1;
			char skipped[64] = "";
			while (k < ch->nrules && rule_contradicts(&ch->rules[k], &l->ev->pkt, why, sizeof why))
				k++;
			if (k > j + 2)
				snprintf(skipped, sizeof skipped, " (rules %d to %d do not match the packet)",
					 j + 2, k);
			else if (k == j + 2)
				snprintf(skipped, sizeof skipped, " (rule %d does not match the packet)", j + 2);
			if (k < ch->nrules)
				rule_name(where, sizeof where, family, ch->table, ch->name, k + 1);
			if (k < ch->nrules && ch->rules[k].uncond == 1 &&
			    (!strcasecmp(ch->rules[k].target, "DROP") ||
			     !strcasecmp(ch->rules[k].target, "REJECT")))
				nl_diag(a, "the next rule%s, %s (%s), matches every packet: after the "
					   "LOG rule the packet was dropped there, unless an earlier rule decided "
					   "first", skipped, where, ch->rules[k].text);
			else if (k < ch->nrules)
				nl_diag(a, "after it comes %s (%s)%s; whether the packet matched it, "
					   "natlog cannot tell from a LOG line", where, ch->rules[k].text,
					skipped);
			else
				nl_diag(a, "it is the last rule of %s%s%s %s%s, so the packet went on to %s",
					family[0] ? family : "", family[0] ? " " : "", ch->table, ch->name,
					k > j + 1 ? " that can match the packet" : "",
					ch->builtin && ch->policy[0] ? "the chain's policy" : "the calling chain");
		}
	}
	return rsview_failed(l->v) ? -1 : 0;
}

static void endpoint(char *b, size_t n, const char *addr, int port, int family);

/* Whether a DNAT rule's --to-destination is addr (port unchanged) or
 * addr:port; ranges and IPv6 brackets are not compared. */
static int dnat_to(const char *arg, const char *addr, int port, int old_port)
{
	char want[96];
	if (!arg || !arg[0])
		return 0;
	if (port == old_port && !strcmp(arg, addr))
		return 1;
	snprintf(want, sizeof want, "%s:%d", addr, port);
	return port >= 0 && !strcmp(arg, want);
}

/* The legacy nat rule that DNATs a packet logged before it as x to addr
 * (and port), and that x matches as far as natlog can check: walked from
 * chain through the chains it jumps to, in order. */
static const struct nl_vrule *dnat_rule(const struct nl_rsview *v, const char *chain,
					const struct nl_pkt *x, const char *addr, int port,
					int depth, long *budget)
{
	const struct nl_chain *ch;
	int i, known;
	if (depth > 8 || !(ch = rsview_find(v, "nat", chain, &known)) || ch->sparse)
		return NULL;
	for (i = 0; i < ch->nrules; i++) {
		const struct nl_vrule *r = &ch->rules[i];
		char why[160];
		/* a bounded walk: jumps that fan out at every level (a hostile
		 * dump) would otherwise take forever */
		if (--*budget < 0)
			return NULL;
		if (!r->target || !r->target[0] || rule_contradicts(r, x, why, sizeof why))
			continue;
		if (!strcmp(r->target, "DNAT")) {
			if (dnat_to(r->target_arg, addr, port, x->dport))
				return r;
		} else if (strcmp(r->target, chain) != 0 && rsview_find(v, "nat", r->target, &known)) {
			const struct nl_vrule *d = dnat_rule(v, r->target, x, addr, port, depth + 1,
							     budget);
			if (d)
				return d;
		}
	}
	return NULL;
}

/* What NAT did between a packet's first LOG line and its last: each line
 * shows the headers as they were where its rule is. With a legacy dump,
 * the nat rule that DNATs to what the last line shows. */
static void logged_nat(struct nl_analysis *a, const struct nl_rsview *v)
{
	static const char *const what[2] = { "destination", "source" };
	const struct nl_pkt *x = &a->logs[0].ev.pkt, *y = &a->logs[a->nlogs - 1].ev.pkt;
	int f;
	for (f = 0; f < 2 && a->nlogs > 1; f++) {
		const char *ax = f ? x->src : x->dst, *ay = f ? y->src : y->dst;
		int px = f ? x->sport : x->dport, py = f ? y->sport : y->dport;
		char from[80], to[80];
		if (!ax[0] || !ay[0] || (!strcmp(ax, ay) && px == py))
			continue;
		endpoint(from, sizeof from, ax, px, x->family);
		endpoint(to, sizeof to, ay, py, y->family);
		nl_diag(a, "its %s was %s at LOG '%s' (line %ld) and %s at LOG '%s' (line %ld): NAT "
			   "rewrote it between them (%s)",
			what[f], from, a->logs[0].ev.prefix, a->logs[0].ev.line, to,
			a->logs[a->nlogs - 1].ev.prefix, a->logs[a->nlogs - 1].ev.line,
			f ? "SNAT or MASQUERADE, or a reply's destination NAT undone"
			  : "DNAT or REDIRECT, or a reply's source NAT undone");
		if (!f && v && v->ndumps) {
			long budget = 200000;
			const struct nl_vrule *r =
				dnat_rule(v, x->iif[0] ? "PREROUTING" : "OUTPUT", x, ay, py, 0, &budget);
			if (r)
				nl_diag(a, "nat:%s:rule:%d (%s) DNATs to %s, and the packet matches "
					   "it as far as natlog can check", r->chain, r->position,
					r->text, to);
		}
	}
}

/* What natlog can say of a packet it knows only from LOG lines: the
 * store names the chains that hold LOG rules with a prefix, dump by dump
 * in view order, so that only those are read. Each LOG line of the packet
 * (one before DNAT and one in FORWARD, say) is looked up. */
static int logged_by_dumps(struct nl_store *s, const struct nl_packet_row *p,
			   struct nl_analysis *a, const struct nl_rsview *v, struct nl_rscache *nrc)
{
	const struct nl_rsview *nv = &nrc->v;
	size_t i, k, ndumps = v ? v->ndumps : 0;
	int unfound = 0;
	a->ndiag = 0;	/* the trace analysis has nothing to say of it */
	for (k = 0; k < a->nlogs; k++) {
		struct logged_by l;
		size_t m;
		/* each prefix once: the LOG lines of one rule are many at most */
		for (m = 0; m < k && strcmp(a->logs[m].ev.prefix, a->logs[k].ev.prefix) != 0; m++)
			;
		if (m < k)
			continue;
		memset(&l, 0, sizeof l);
		l.a = a;
		l.v = v;
		l.ev = &a->logs[k].ev;
		l.pn = trimmed(l.ev->prefix);
		for (i = 0; l.pn && v && i < v->ndumps; i++) {
			l.dump = v->dumps[i].id;
			if (store_log_chains(s, l.dump, logged_in, &l))
				return -1;
		}
		/* nft's log statement prints the same line: its dumps too,
		 * read only when the iptables ones have no such rule */
		if (l.pn && !l.found && !nrc->loaded) {
			if (nl_load_rules(s, p, nrc, 1))
				return -1;
			ndumps += nv->ndumps;
		}
		l.v = nv;
		for (i = 0; l.pn && !l.found && i < nv->ndumps; i++) {
			l.dump = nv->dumps[i].id;
			if (store_log_chains(s, l.dump, logged_in, &l))
				return -1;
		}
		if (l.pn && !l.found && ndumps && a->nlogs > 1)
			nl_diag(a, "no LOG rule of the imported ruleset dump has the prefix '%.*s' (line %ld): "
				   "natlog cannot tell which rule logged it",
				(int)l.pn, l.ev->prefix, l.ev->line);
		unfound |= l.pn && !l.found;
	}
	if (unfound && (a->nlogs == 1 || !ndumps))
		nl_diag(a, "%s", ndumps ? "no LOG rule of the imported ruleset dump has this prefix: natlog "
					  "cannot tell which rule logged it"
					: "no ruleset dump was imported: natlog cannot tell which rule logged it");
	logged_nat(a, v);
	nl_diag(a, a->nlogs > 1 ? "natlog has only LOG lines of this packet: a LOG rule does not decide what "
				  "happens to a packet, so its verdict is unknown; trace it (-j TRACE in the "
				  "raw table) to know"
				: "natlog has only the LOG line of this packet: a LOG rule does not decide what "
				  "happens to a packet, so its verdict is unknown; trace it (-j TRACE in the "
				  "raw table) to know");
	/* a chain could not be read */
	return (v && rsview_failed(v)) || rsview_failed(nv) ? -1 : 0;
}

/* What natlog can say of a packet it knows only from LOG lines, from the
 * iptables dumps of its host and family (v) and its host's nft dumps. */
static int explain_logged(struct nl_store *s, const struct nl_packet_row *p,
			  struct nl_analysis *a, const struct nl_rsview *v)
{
	struct nl_rscache nrc;
	int rc;
	if (strcmp(p->source, "log") != 0 || !a->nlogs)
		return 0;
	memset(&nrc, 0, sizeof nrc);
	rc = logged_by_dumps(s, p, a, v, &nrc);
	rscache_free(&nrc);
	return rc;
}

static void endpoint(char *b, size_t n, const char *addr, int port, int family)
{
	if (port >= 0)
		snprintf(b, n, family == 6 ? "[%s]:%d" : "%s:%d", addr, port);
	else
		snprintf(b, n, "%s", addr);
}

/* "filter:FORWARD:rule:8" for legacy, "inet filter forward rule 2 handle 4"
 * for nft and xtables-monitor: their number is a handle, not a position. */
/* A rewrite no traced nat rule did, by NL_NAT_* - 1: who, and why. */
static const char *const nat_by[3][2] = {
	{ "by conntrack", "the connection's NAT, applied to a later packet or reversed for a reply "
			  "(no nat rule runs after a connection's first packet)" },
	{ "by conntrack or by a nat rule the trace does not show",
	  "no nat rule is traced there; conntrack rewrites a connection's later packets and its "
	  "replies, and nat rules in a table this trace does not cover (nft or iptables-nft tables, "
	  "for legacy TRACE lines) print no line; whether this is its connection's first packet "
	  "is not known" },
	{ "by a nat rule the trace does not show",
	  "the packet went through a nat table, so it is its connection's first, which conntrack "
	  "does not rewrite: the rule's line is missing, or the rule is in a table this trace does "
	  "not cover (nft or iptables-nft tables, for legacy TRACE lines)" },
};

static void step_loc(const struct nl_step *s, char *buf, size_t n)
{
	const struct nl_event *e = &s->ev;
	char pos[24] = "", h[40] = "";
	if (e->kind != NL_EV_NFTRACE) {
		snprintf(buf, n, "%s:%s:%s:%d", e->table, e->chain, e->type, e->rulenum);
		return;
	}
	if (s->position > 0 && strcmp(e->type, "policy") != 0)
		snprintf(pos, sizeof pos, " %d", s->position);
	if (e->handle >= 0)
		snprintf(h, sizeof h, " handle %lld", (long long)e->handle);
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
		       const char *aliases, const struct hops *hs)
{
	static const struct style color = { "\033[1m", "\033[31m", "\033[32m", "\033[33m",
					    "\033[2m", "\033[0m" };
	static const struct style plain = { "", "", "", "", "", "" };
	const struct style *c = nl_use_color(stdout) ? &color : &plain;
	char tuple[200], flags[64];
	const struct nl_pkt *prev = NULL;
	size_t i, joined;
	const char *own;
	int lasthook = -1;

	nl_fmt_tuple(tuple, sizeof tuple, p->proto, p->src, p->sport, p->dst, p->dport, p->family);
	nl_tcp_flags_str(p->tcp_flags, flags, sizeof flags);
	printf("%spacket %s%s  %s%s%s\n", c->bold, nl_esc(p->trace), c->off, nl_esc(tuple),
	       flags[0] ? " " : "", flags);
	printf("  source %s, host %s, %s, first seen %s", nl_esc(p->source),
	       p->host[0] ? nl_esc(p->host) : "unknown",
	       p->family == 6 ? "IPv6" : p->family == 4 ? "IPv4" : "no IP header seen",
	       p->time[0] ? nl_esc(p->time) : "(no time)");
	if (p->netns[0])	/* a monitor traced it there: that namespace's ruleset */
		printf(", network namespace %s", nl_esc(p->netns));
	if (p->ip_id >= 0)
		printf(", IP ID %lld", (long long)p->ip_id);
	if (p->tcp_seq >= 0)
		printf(", SEQ %lld", (long long)p->tcp_seq);
	if (a->n)
		printf("\n  from %s line %ld\n", nl_esc(a->steps[0].file),
		       a->first_line > 0 && a->first_line < a->steps[0].ev.line ? a->first_line
										 : a->steps[0].ev.line);
	else if (a->nlogs)
		printf("\n  from %s line %ld\n", nl_esc(a->logs[0].file), a->logs[0].ev.line);
	else
		printf("\n  from ? line 0\n");
	if (aliases[0])
		printf("  also traced as %s (the trace id changed on the way: its first packet: line "
		       "has this packet's %s, where this trace had ended, and no other packet traced "
		       "meanwhile had them)\n", nl_esc(aliases),
		       p->ip_id > 0 ? "IP ID, length and addresses"
		       : p->ip_id == 0 ? "addresses, ports, length, TCP flags and window (the IP ID is 0)"
				       : "addresses, ports, length, TCP flags and window (no IP ID)");
	putchar('\n');

	if (!strcmp(p->source, "log"))
		printf("%sverdict:%s %sunknown%s (only logged, not traced)\n", c->bold, c->off,
		       c->yellow, c->off);
	else
		printf("%sverdict:%s %s%s%s%s\n", c->bold, c->off, verdict_color(c, a->verdict), nl_esc(a->verdict),
		       c->off, a->inferred ? " (inferred: legacy TRACE does not print verdicts)" : "");
	if (strcmp(p->source, "log"))
		dumps_print_text(stdout, a);
	if (a->decided >= 0) {
		const struct nl_step *d = &a->steps[a->decided];
		char loc[NL_LOCSIZ];
		step_loc(d, loc, sizeof loc);
		printf("%sdecided by:%s %s", c->bold, c->off, nl_esc(loc));
		if (a->decided_rule_known && d->rule_text)
			printf("  %s\n", nl_esc(d->rule_text));
		else
			printf("  (rule text unknown: see below)\n");
	}
	for (i = 0; i < (size_t)a->nnat; i++) {
		const struct nl_nat *n = &a->nat[i];
		const struct nl_step *s = &a->steps[n->step];
		char loc[NL_LOCSIZ], to[96];
		step_loc(s, loc, sizeof loc);
		if (n->to[0])
			nl_strlcpy(to, n->to, sizeof to);
		else if (!strcmp(n->kind, "MASQUERADE"))
			snprintf(to, sizeof to, "the address of %s", s->ev.pkt.oif[0] ? s->ev.pkt.oif
										: "the outgoing interface");
		else
			snprintf(to, sizeof to, "the address the rule gives");
		if (n->by_conntrack)
			printf("%snat:%s %s %s -> %s  %s, seen at %s: %s\n", c->bold, c->off,
			       !strcmp(n->field, "dst") ? "destination" : "source", nl_esc(n->from),
			       nl_esc(n->to), nat_by[n->by_conntrack - 1][0], nl_esc(loc),
			       nat_by[n->by_conntrack - 1][1]);
		else
			printf("%snat:%s %s %s -> %s  by %s%s\n", c->bold, c->off, n->kind, nl_esc(n->from),
			       nl_esc(to), nl_esc(loc), n->after_trace ? " (after the last traced step)" : "");
	}
	if (a->n || strcmp(p->source, "log") != 0)
		printf("\n%sjourney:%s\n", c->bold, c->off);
	for (i = 0; i < a->n; i++) {
		const struct nl_step *s = &a->steps[i];
		const struct nl_pkt *k = &s->ev.pkt;
		char loc[NL_LOCSIZ], e1[80], e2[80], ttl[16];
		size_t j;
		if (a->steps_left_out && i == a->cut_at)
			printf("    %s... %zu steps left out: the trace was cut at %d steps ...%s\n",
			       c->dim, a->steps_left_out, NL_MAXSTEPS, c->off);
		if (i == 0 || s->hook != lasthook ||
		    (s->hook < 0 && strcmp(s->base, a->steps[i - 1].base) != 0)) {
			if (nl_hook_name(s->hook))
				printf("  %s%s%s\n", c->bold, nl_hook_name(s->hook), c->off);
			else if (s->base[0])	/* where its packet: line was: a base chain, or
						 * the chain whose rule turned tracing on */
				printf("  %shook not known, traced from chain %s%s\n", c->bold,
				       nl_esc(s->base), c->off);
			else
				printf("  %shook not known%s\n", c->bold, c->off);
			lasthook = s->hook;
		}
		step_loc(s, loc, sizeof loc);
		printf("    %-40s %s%-10s%s %s\n", nl_esc(loc), verdict_color(c, s->effect),
		       nl_esc(s->effect), c->off, s->rule_text ? nl_esc(s->rule_text) : nl_step_note(s));
		rl_text_step(a, i, c->dim, c->off);
		if (s->rewound)
			printf("    %s  rewound: %s as it was when the packet was traced%s\n", c->dim,
			       s->chain_policy ? "the chain" : "the rule", c->off);
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
		if (k->ct_state[0] && (!prev || strcmp(prev->ct_state, k->ct_state) ||
				       strcmp(prev->ct_dir, k->ct_dir) || strcmp(prev->ct_status, k->ct_status) ||
				       prev->ct_id != k->ct_id)) {
			printf("    %s  conntrack: state %s%s%s%s%s", c->dim, k->ct_state,
			       k->ct_dir[0] ? ", direction " : "", k->ct_dir,
			       k->ct_status[0] ? ", status " : "", k->ct_status);
			if (k->ct_id >= 0)
				printf(", id %lld", (long long)k->ct_id);
			printf("%s\n", c->off);
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
	/* LOG and conntrack lines of other sources, joined by identity */
	/* a packet's own lines are not other sources: its trace's file, or
	 * for a packet only logged, the file of its LOG lines */
	own = a->n ? a->steps[0].file
		   : a->nlogs && a->logs && !strcmp(p->source, "log") ? a->logs[0].file : NULL;
	for (i = 0, joined = 0; a->logs && i < a->nlogs; i++) {
		const struct nl_step *l = &a->logs[i];
		if (own && !strcmp(l->file, own))
			continue;
		if (!joined++)
			printf("\n%sother sources (joined by identity):%s\n", c->bold, c->off);
		printf("  %s '%s' (%s line %ld%s%s)\n",
		       l->ev.kind == NL_EV_CTINVALID ? "conntrack INVALID:" : "LOG",
		       nl_esc(l->ev.kind == NL_EV_CTINVALID ? l->ev.reason : l->ev.prefix),
		       nl_esc(l->file), l->ev.line, l->ev.time[0] ? ", at " : "", nl_esc(l->ev.time));
	}
	/* LOG lines the journey could not place: before the first step, in
	 * another file, or of a packet that was only logged */
	for (i = 0, lasthook = 0; a->logs && i < a->nlogs; i++) {
		const struct nl_step *l = &a->logs[i];
		const struct nl_pkt *k = &l->ev.pkt;
		char e1[80], e2[80];
		if (l->ev.kind != NL_EV_LOG ||
		    (a->n && !strcmp(l->file, a->steps[0].file) && l->ev.line > a->steps[0].ev.line))
			continue;
		if (!lasthook++)
			printf("\n%slogged:%s\n", c->bold, c->off);
		endpoint(e1, sizeof e1, k->src[0] ? k->src : "?", k->sport, k->family);
		endpoint(e2, sizeof e2, k->dst[0] ? k->dst : "?", k->dport, k->family);
		printf("  LOG '%s'  in %s out %s  %s -> %s%s%s  (%s line %ld)\n", nl_esc(l->ev.prefix),
		       k->iif[0] ? nl_esc(k->iif) : "-", k->oif[0] ? nl_esc(k->oif) : "-", nl_esc(e1),
		       nl_esc(e2), l->ev.time[0] ? "  at " : "", nl_esc(l->ev.time), nl_esc(l->file),
		       l->ev.line);
	}
	if (a->nwire || a->nctloss) {
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
		for (i = 0; i < (size_t)a->nctloss; i++)
			printf("  conntrack events were lost %s('%s', %s line %ld): the connection's "
			       "record may be missing\n", a->ctloss[i].time[0] ? "near this time " :
			       "(when is not said) ", nl_esc(a->ctloss[i].text),
			       nl_esc(a->ctloss[i].file), a->ctloss[i].line);
	}
	if (hs->others) {
		printf("\n%shops:%s (the same IP ID, length%s and flags on other hosts, by TTL)\n",
		       c->bold, c->off, p->tcp_seq >= 0 ? ", SEQ" : "");
		for (i = 0; i < (size_t)hs->n; i++) {
			const struct nl_hop *h = &hs->v[i];
			char t[200], ttl[16];
			nl_fmt_tuple(t, sizeof t, p->proto, h->src, h->sport, h->dst, h->dport, p->family);
			snprintf(ttl, sizeof ttl, h->ttl >= 0 ? "%d" : "?", h->ttl);
			printf("  %-12s %-14s %-14s ttl %-3s %-50s %s%s\n", nl_esc(h->host),
			       nl_esc(h->trace), nl_esc(h->source), ttl, nl_esc(t),
			       h->verdict[0] ? nl_esc(h->verdict) : "-", h->self ? "  (this packet)" : "");
		}
	}
	if (a->ndiag) {
		printf("\n%sdiagnosis:%s\n", c->bold, c->off);
		for (i = 0; i < (size_t)a->ndiag; i++)
			printf("  - %s\n", nl_esc(a->diag[i]));
	}
}

static void json_losses(FILE *f, const struct nl_loss *v, int n)
{
	int i, first;
	for (i = 0; i < n; i++) {
		const struct nl_loss *l = &v[i];
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

/* nft trace's conntrack: line at this step's base chain, or null */
static void json_ct(FILE *f, const struct nl_pkt *k)
{
	int first = 1;
	if (!k->ct_state[0] && k->ct_id < 0) {
		fputs("null", f);
		return;
	}
	fputc('{', f);
	jw_key(f, &first, "direction");
	jw_str(f, k->ct_dir);
	jw_key(f, &first, "state");
	jw_str(f, k->ct_state);
	jw_key(f, &first, "status");
	jw_str(f, k->ct_status);
	jw_key(f, &first, "id");
	jw_num(f, k->ct_id);
	fputc('}', f);
}

void nl_json_step_keys(FILE *f, const struct nl_step *s)
{
	int first = 1;
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
	/* null: no dump covers this step, so nothing to match */
	jw_key(f, &first, "matches_dump");
	fputs(s->mismatch ? "false" : s->chain ? "true" : "null", f);
	/* its chain was rebuilt to the packet's time from the monitor's events */
	jw_key(f, &first, "rewound");
	fputs(s->rewound ? "true" : "false", f);
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
	jw_key(f, &first, "conntrack");
	json_ct(f, &s->ev.pkt);
}

static void print_json(const struct nl_packet_row *p, const struct nl_analysis *a,
		       const char *aliases, const struct hops *hs)
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
		fputs(i ? ", {" : "{", f);
		nl_json_step_keys(f, &a->steps[i]);
		rl_json_step(f, a, i);
		fputc('}', f);
	}
	/* a cut trace: how many steps are missing and where (before steps[at]) */
	fprintf(f, "], \"steps_left_out\": %zu, \"steps_cut_at\": ", a->steps_left_out);
	if (a->steps_left_out)
		fprintf(f, "%zu", a->cut_at);
	else
		fputs("null", f);
	fprintf(f, ", \"evidence_left_out\": %zu", a->logs_left_out);
	fputs(", \"nat\": [", f);
	for (i = 0; i < (size_t)a->nnat; i++) {
		const struct nl_nat *n = &a->nat[i];
		const struct nl_step *s = &a->steps[n->step];
		first = 1;
		fputs(i ? ", {" : "{", f);
		jw_key(f, &first, "field");
		jw_str(f, n->field);
		jw_key(f, &first, "kind");
		jw_str(f, n->by_conntrack ? NULL : n->kind);
		jw_key(f, &first, "from");
		jw_str(f, n->from);
		jw_key(f, &first, "to");
		jw_str(f, n->to);
		/* conntrack reversing the connection's NAT: no rule did it */
		jw_key(f, &first, "by");
		jw_str(f, !n->by_conntrack ? "rule" : n->by_conntrack == NL_NAT_CONNTRACK ? "conntrack" : NULL);
		jw_key(f, &first, "table");
		jw_str(f, n->by_conntrack ? NULL : s->ev.table);
		jw_key(f, &first, "chain");
		jw_str(f, n->by_conntrack ? NULL : s->ev.chain);
		jw_key(f, &first, "position");
		jw_num(f, n->by_conntrack ? -1 : s->position);
		jw_key(f, &first, "rule");
		jw_str(f, n->by_conntrack ? NULL : s->rule_text);
		jw_key(f, &first, "after_trace");
		fputs(n->after_trace ? "true" : "false", f);
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
		/* the line's own fields, as the text's "in eth0 out - a -> b":
		 * a LOG before DNAT and one after it show different packets */
		jw_key(f, &first, "packet");
		json_pkt(f, &s->ev.pkt);
		jw_key(f, &first, "seen");
		fputs("true", f);
		jw_key(f, &first, "note");
		if (a->n && strcmp(s->file, a->steps[0].file) != 0)
			jw_str(f, ct ? "conntrack logged this packet as invalid (another source, "
				       "joined by identity)"
				     : "LOG target line of this packet (another source, joined by identity)");
		else
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
			jw_key(f, &first, "netns");	/* null: the host's own table */
			jw_str(f, w->netns);
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
	/* [] when no other host traced it; else every hop, this one too */
	fputs("], \"hops\": [", f);
	for (i = 0; hs->others && i < (size_t)hs->n; i++) {
		const struct nl_hop *h = &hs->v[i];
		first = 1;
		fputs(i ? ", {" : "{", f);
		jw_key(f, &first, "host");
		jw_str(f, h->host);
		jw_key(f, &first, "trace");
		jw_str(f, h->trace);
		jw_key(f, &first, "source");
		jw_str(f, h->source);
		jw_key(f, &first, "src");
		jw_str(f, h->src);
		jw_key(f, &first, "sport");
		jw_num(f, h->sport);
		jw_key(f, &first, "dst");
		jw_str(f, h->dst);
		jw_key(f, &first, "dport");
		jw_num(f, h->dport);
		jw_key(f, &first, "ttl");
		jw_num(f, h->ttl);
		jw_key(f, &first, "verdict");
		jw_str(f, h->verdict);
		jw_key(f, &first, "this");
		fputs(h->self ? "true" : "false", f);
		fputc('}', f);
	}
	fputs("], \"losses\": [", f);
	json_losses(f, a->loss, a->nloss);
	/* conntrack events lost: the connection's records may be missing */
	fputs("], \"conntrack_losses\": [", f);
	json_losses(f, a->ctloss, a->nctloss);
	fputc(']', f);
	dumps_print_json(f, a);
	rl_json(f, a);
	fputs(", \"diagnosis\": [", f);
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
		"usage: natlog explain --trace ID [--json | --svg | --dot] [-o FILE]\n"
		"\n"
		"Shows one packet's journey: every hook, table and chain it passed, the text\n"
		"of every rule it hit (mapped through the imported ruleset dump), the NAT\n"
		"rewrites, the verdict, the rule that decided it, and where the dump does not\n"
		"match the trace (with the rule it most likely was, marked inferred, when one\n"
		"inserted or deleted rule explains it). ID is the trace id 'natlog traces'\n"
		"prints; a unique prefix is enough.\n"
		"\n"
		"options:\n"
		"  --trace ID   the packet\n"
		"  --json       one JSON object\n"
		"  --svg        the path drawn as SVG (hooks, chains, rules, NAT, verdict)\n"
		"  --dot        the path as a Graphviz graph\n"
		"  -o FILE      write the --svg or --dot output to FILE\n"
		"  -h, --help   this help\n"
		"\n"
		"exit status: 0 explained, 1 no such packet (or the prefix is ambiguous).\n");
}

/* Explains the packet of trace id (or says why it cannot). */
static int explain_trace(struct nl_store *s, const char *id, int json, int pic,
			 const char *outfile)
{
	struct nl_packet_list m = { NULL, 0, 0 };
	struct nl_rscache rc;
	struct nl_analysis a;
	int ret;
	size_t i;

	if (store_packets_by_trace(s, id, nl_packet_list_add, &m) < 0) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
		free(m.v);
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
			nl_fmt_tuple(tuple, sizeof tuple, m.v[i].proto, m.v[i].src, m.v[i].sport,
				     m.v[i].dst, m.v[i].dport, m.v[i].family);
			fprintf(stderr, "  %-14s %-17s %s\n", nl_esc(m.v[i].trace),
				nl_esc(m.v[i].time), nl_esc(tuple));
		}
		free(m.v);
		return NL_EXIT_NOMATCH;
	}
	memset(&rc, 0, sizeof rc);
	if (analyze_packet(s, &m.v[0], &rc, &a) || analysis_wire(s, &a) ||
	    attach_logged(s, &m.v[0], &a) || analysis_trust(s, &m.v[0], &a) ||
	    dumps_explain(s, &m.v[0], &a) || rl_explain(s, &m.v[0], &rc, &a) ||
	    explain_logged(s, &m.v[0], &a, &rc.v)) {
		fprintf(stderr, "natlog: %s\n", nl_esc(store_errmsg(s)));
		ret = NL_EXIT_STORE;
	} else {
		/* the stored verdict may predate a later dump: use the fresh one */
		analysis_summary(&a, &m.v[0]);
		char aliases[512];
		struct hops hs;
		hs.n = hs.others = 0;
		if (store_aliases(s, m.v[0].id, aliases, sizeof aliases))
			aliases[0] = '\0';
		if (store_packet_hops(s, &m.v[0], a.n ? a.steps[0].ev.pkt.len : -1, collect_hop, &hs))
			hs.n = hs.others = 0;
		ret = NL_EXIT_OK;
		if (pic) {
			struct nl_path pp = { &m.v[0], &a, hs.v, hs.others ? hs.n : 0, s };
			ret = nl_path_write(outfile, pic == 'D', &pp);
		} else if (json)
			print_json(&m.v[0], &a, aliases, &hs);
		else {
			store_read_end(s);	/* a pager may stay open: no snapshot held */
			nl_pager_begin();	/* a long journey on a terminal, as git pages */
			print_text(&m.v[0], &a, aliases, &hs);
			nl_pager_end();
		}
	}
	analysis_free(&a);
	rscache_free(&rc);
	free(m.v);
	return ret;
}

int cmd_explain(struct nl_cmd *cmd, int argc, char **argv)
{
	struct nl_store *s;
	static const struct option opts[] = {
		{ "trace", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "svg", no_argument, NULL, 'S' },
		{ "dot", no_argument, NULL, 'D' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *id = NULL, *outfile = NULL;
	int c, json = 0, pic = 0, ret;

	while ((c = nl_getopt(argc, argv, "ho:", opts)) != -1) {
		switch (c) {
		case 't': id = optarg; break;
		case 'j': json = 1; break;
		case 'S': pic = pic && pic != 'S' ? -1 : 'S'; break;
		case 'D': pic = pic && pic != 'D' ? -1 : 'D'; break;
		case 'o': outfile = optarg; break;
		case 'h':
			usage(stdout);
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (!id && optind < argc)
		id = argv[optind++];
	if (!id || !*id || optind < argc || pic < 0 || (pic && json) || (outfile && !pic)) {
		fprintf(stderr, "natlog explain: %s\nsee 'natlog explain --help'\n",
			!id || !*id ? "give a trace id: --trace ID ('natlog traces' lists them)"
			: optind < argc ? "one trace id at a time"
			: pic < 0 || (pic && json) ? "--json, --svg and --dot go one at a time"
			: "-o FILE is for --svg or --dot");
		return NL_EXIT_USAGE;
	}
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	/* its thirty lookups in one snapshot: each alone takes and drops
	 * the store's read locks */
	store_read_begin(s);
	ret = explain_trace(s, id, json, pic, outfile);
	store_read_end(s);
	return ret;
}
