/*
 * analyze.c - maps each traced step to the dumped rule with the kernel's
 * numbering (rule:N the Nth rule; policy/return either the chain's end or
 * an unconditional standard-target rule at N), infers the verdict the
 * kernel never prints, and says where the dump contradicts the trace
 * instead of explaining with the wrong rule.
 */
#include "natlog.h"
#include "analyze.h"
#include "prof.h"
#include "correlate.h"
#include "realign.h"
#include "trust.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const hook_names[] = { "prerouting", "input", "forward", "output",
					  "postrouting", "ingress", "egress" };

const char *nl_hook_name(int hook)
{
	return hook >= 0 && hook < 7 ? hook_names[hook] : NULL;
}

int nl_hook_from_name(const char *name)
{
	int i;
	for (i = 0; i < 7; i++)
		if (!strcasecmp(name, hook_names[i]))
			return i;
	return -1;
}

void rscache_free(struct nl_rscache *c)
{
	rsview_free(&c->v);
	c->loaded = 0;
}

void rscache_trim(struct nl_rscache *c)
{
	rsview_trim(&c->v, NL_RSVIEW_KEEP);
}

void analysis_free(struct nl_analysis *a)
{
	free(a->steps);
	free(a->logs);
	rl_free(a);
	dumps_free(a);
	a->steps = a->logs = NULL;
	a->n = a->cap = a->nlogs = a->caplogs = 0;
	a->t_us = -1;
}



void nl_diag(struct nl_analysis *a, const char *fmt, ...)
{
	va_list ap;
	char buf[512];
	int i;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	for (i = 0; i < a->ndiag; i++)
		if (!strcmp(a->diag[i], buf))
			return;
	if (a->ndiag < NL_MAXDIAG)
		memcpy(a->diag[a->ndiag++], buf, sizeof buf);
}

void nl_sparse_diag(struct nl_analysis *a, const struct nl_chain *ch, const char *what)
{
	char why[200];
	rsview_sparse_why(ch, why, sizeof why);
	nl_diag(a, "the dump's %s: natlog did not %s", why, what);
}

struct collector {
	struct nl_analysis *a;
	char base[NL_CHAINSIZ];	/* nft: chain of the last packet: line */
	struct nl_pkt pkt;	/* nft: and the packet it showed */
	size_t nsteps;		/* steps seen, kept or not */
	struct nl_event_row tail;	/* nft: a packet: line no step followed */
	int has_tail;
	int own;		/* the lines are the packet's own, not joined by identity */
};

/* Where the step numbered t goes: the first NL_STEPS_HEAD in order, the
 * rest in a ring of NL_STEPS_TAIL after them that keeps the latest. */
static size_t step_slot(size_t t)
{
	return t < NL_STEPS_HEAD ? t : NL_STEPS_HEAD + (t - NL_STEPS_HEAD) % NL_STEPS_TAIL;
}

static int grow(struct nl_step **arr, size_t *cap, size_t need)
{
	size_t nc = *cap ? *cap * 2 : 16;
	struct nl_step *p;
	if (need <= *cap)
		return 0;
	if (nc > NL_MAXSTEPS)
		nc = NL_MAXSTEPS;
	if (!(p = realloc(*arr, nc * sizeof *p)))
		return -1;
	*arr = p;
	*cap = nc;
	return 0;
}

static int collect(void *ctx, const struct nl_event_row *e);

/* The packet: line waiting in co->tail as a step of type "packet". */
static int packet_step(struct collector *co)
{
	co->tail.ev.kind = NL_EV_NFTRACE;
	nl_strlcpy(co->tail.ev.type, "packet", sizeof co->tail.ev.type);
	co->tail.ev.verdict[0] = co->tail.ev.rule[0] = '\0';
	co->tail.ev.handle = -1;
	return collect(co, &co->tail);
}

static int collect(void *ctx, const struct nl_event_row *e)
{
	struct collector *co = ctx;
	struct nl_analysis *a = co->a;
	struct nl_step *st;
	if (!a->first_line && (e->ev.kind == NL_EV_NFPACKET || e->ev.kind == NL_EV_TRACE ||
			       e->ev.kind == NL_EV_NFTRACE))
		a->first_line = e->ev.line;
	if (e->ev.kind == NL_EV_NFPACKET) {
		/* the base chain before showed its packet: line and nothing
		 * after it (lines cut): a step of type "packet" says so */
		if (co->has_tail) {
			co->has_tail = 0;
			if (packet_step(co))
				return -1;
		}
		nl_strlcpy(co->base, e->ev.chain, sizeof co->base);
		co->pkt = e->ev.pkt;
		co->tail = *e;
		co->has_tail = 1;
		return 0;
	}
	if (e->ev.kind == NL_EV_TRACE || e->ev.kind == NL_EV_NFTRACE) {
		co->has_tail = 0;
		/* xtables-monitor prints PACKET: only with a rule's event: a
		 * base chain passed by its policy alone shows none, but its
		 * name is its hook's (user chains cannot take those names) */
		if (e->ev.kind == NL_EV_NFTRACE && e->ev.xt && nl_hook_from_name(e->ev.chain) >= 0)
			nl_strlcpy(co->base, e->ev.chain, sizeof co->base);
		size_t slot = step_slot(co->nsteps++);
		if (grow(&a->steps, &a->cap, slot + 1))
			return -1;
		if (slot == a->n)
			a->n++;
		st = &a->steps[slot];
	} else {
		if (a->nlogs == NL_MAXLOGS) {
			a->logs_left_out++;
			return 0;
		}
		if (grow(&a->logs, &a->caplogs, a->nlogs + 1))
			return -1;
		st = &a->logs[a->nlogs++];
	}
	if (co->own && e != &co->tail)
		nl_hits_add(&a->hits, &e->ev);
	st->file[0] = st->base[0] = st->policy_text[0] = '\0';
	st->hook = 0;
	st->rule = NULL;
	st->chain = NULL;
	st->rule_text = NULL;
	st->effect[0] = '\0';
	st->chain_policy = st->chain_end = st->mismatch = st->rewound = 0;
	st->why[0] = '\0';
	st->ev = e->ev;
	st->ev.raw = NULL;
	st->position = e->ev.kind == NL_EV_TRACE ? e->ev.rulenum : -1;
	nl_strlcpy(st->file, e->file, sizeof st->file);
	nl_strlcpy(st->base, co->base, sizeof st->base);
	st->seen = co->pkt;
	return 0;
}

static void swap_steps(struct nl_step *x, struct nl_step *y)
{
	struct nl_step t = *x;
	*x = *y;
	*y = t;
}

static void reverse_steps(struct nl_step *s, size_t n)
{
	size_t i;
	for (i = 0; i < n / 2; i++)
		swap_steps(&s[i], &s[n - 1 - i]);
}

/* After the last step: put the ring of latest steps in order and note what
 * was left out between the first steps and them. */
static void close_cut(struct collector *co)
{
	struct nl_analysis *a = co->a;
	struct nl_step *ring;
	size_t r;
	if (co->nsteps <= NL_MAXSTEPS)
		return;
	ring = a->steps + NL_STEPS_HEAD;
	a->steps_left_out = co->nsteps - NL_MAXSTEPS;
	a->cut_at = NL_STEPS_HEAD;
	r = (co->nsteps - NL_STEPS_HEAD) % NL_STEPS_TAIL;	/* the oldest kept */
	reverse_steps(ring, r);
	reverse_steps(ring + r, NL_STEPS_TAIL - r);
	reverse_steps(ring, NL_STEPS_TAIL);
}

/* A cut trace keeps a verdict only when the step that decided it is among
 * the last steps: one decided before the cut may have been overruled by a
 * step left out. */
static void judge_cut(struct nl_analysis *a)
{
	if (a->logs_left_out)
		nl_diag(a, "only the first %d LOG lines of this packet were kept: %zu more were left out",
			NL_MAXLOGS, a->logs_left_out);
	if (!a->steps_left_out)
		return;
	nl_diag(a, "the trace was cut at %d steps: %zu steps after step %zu were left out "
		   "(natlog keeps the first %d and the last %d steps of a packet)",
		NL_MAXSTEPS, a->steps_left_out, a->cut_at, NL_STEPS_HEAD, NL_STEPS_TAIL);
	if (a->decided >= 0 && (size_t)a->decided < a->cut_at) {
		nl_diag(a, "the verdict is unknown: it was decided at step %d, before the cut, and "
			   "the steps left out may have changed it", a->decided + 1);
		snprintf(a->verdict, sizeof a->verdict, "unknown");
		a->decided = -1;
		a->decided_rule_known = 0;
	}
}

static int is_nat_target(const char *t)
{
	return !strcmp(t, "DNAT") || !strcmp(t, "SNAT") || !strcmp(t, "MASQUERADE") ||
	       !strcmp(t, "REDIRECT") || !strcmp(t, "NETMAP");
}

static int is_continue_target(const char *t)
{
	static const char *const c[] = { "", "LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "TRACE",
					 "CT", "NOTRACK", "TCPMSS", "DSCP", "TOS", "TTL", "HL",
					 "CLASSIFY", "CHECKSUM", "SET", "AUDIT", "CONNSECMARK",
					 "SECMARK", "IDLETIMER", "LED", "TEE", "HMARK", NULL };
	int i;
	for (i = 0; c[i]; i++)
		if (!strcmp(t, c[i]))
			return 1;
	return 0;
}

/* What the rule's target does to the packet. */
static void target_effect(const struct nl_rsview *v, const struct nl_chain *ch,
			  const struct nl_vrule *r, char *eff, size_t n)
{
	const char *t = r->target;
	if (!strcmp(t, "ACCEPT"))
		snprintf(eff, n, "accept");
	else if (!strcmp(t, "DROP"))
		snprintf(eff, n, "drop");
	else if (!strcmp(t, "REJECT"))
		snprintf(eff, n, "reject");
	else if (!strcmp(t, "RETURN"))
		snprintf(eff, n, ch->builtin ? "policy" : "return");
	else if (!strcmp(t, "QUEUE") || !strcmp(t, "NFQUEUE"))
		snprintf(eff, n, "queue");
	else if (is_nat_target(t))
		snprintf(eff, n, "accept");
	else if (is_continue_target(t))
		snprintf(eff, n, "continue");
	else if (rsview_has_chain(v, ch->ruleset_id, ch->table, t))
		snprintf(eff, n, "%s %s", r->is_goto ? "goto" : "jump", t);
	else
		snprintf(eff, n, "unknown");
}

static void lower(char *dst, const char *src, size_t n)
{
	size_t i;
	for (i = 0; i + 1 < n && src[i]; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
	dst[i] = '\0';
}

/* A rule of a chain too long to read whole that could not be read. */
static void sparse_unread(struct nl_analysis *a, const struct nl_chain *ch,
			  const struct nl_event *ev, const char *where, int N)
{
	char why[200];
	rsview_sparse_why(ch, why, sizeof why);
	nl_diag(a, "%s:%s:%s:%d: the dump's %s; its rule %d was not read, so the step is shown by "
		   "number only", ev->table, where, ev->type, N, why, N);
}

/* 1 when the dump's table lacks a built-in chain iptables always has in it:
 * a listing of some chains only ("iptables -L OUTPUT"), which says
 * nothing of the others. */
static int partial_table(const struct nl_rsview *v, const char *table)
{
	static const struct { const char *table, *chains[6]; } builtin[] = {
		{ "filter", { "INPUT", "FORWARD", "OUTPUT", NULL } },
		{ "nat", { "PREROUTING", "OUTPUT", "POSTROUTING", NULL } },
		{ "mangle", { "PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING", NULL } },
		{ "raw", { "PREROUTING", "OUTPUT", NULL } },
		{ "security", { "INPUT", "FORWARD", "OUTPUT", NULL } },
	};
	size_t t, k;
	for (t = 0; t < sizeof builtin / sizeof builtin[0]; t++)
		if (!strcmp(builtin[t].table, table))
			for (k = 0; builtin[t].chains[k]; k++)
				if (!rsview_find(v, table, builtin[t].chains[k], NULL))
					return 1;
	return 0;
}

static void map_step(struct nl_analysis *a, const struct nl_rsview *v, struct nl_step *st)
{
	const struct nl_event *ev = &st->ev;
	int known = 0, N = ev->rulenum, unread;
	const struct nl_chain *ch = rsview_find(v, ev->table, ev->chain, &known);
	char why[256];
	const char *where = ev->chain;
	int isnat = !strcmp(ev->table, "nat");

	snprintf(st->effect, sizeof st->effect, "unknown");
	if (!known) {
		nl_diag(a, "no ruleset dump covers table %s: its rules are shown by number only",
		     ev->table);
		if (isnat && !strcmp(ev->type, "policy"))
			snprintf(st->effect, sizeof st->effect, "accept");
		return;
	}
	st->chain = ch;
	if (!ch && partial_table(v, ev->table)) {
		nl_diag(a, "the dump lists only some chains of table %s (as iptables -L CHAIN does), "
			   "not %s: its rules are shown by number only", ev->table, ev->chain);
		if (isnat && !strcmp(ev->type, "policy"))
			snprintf(st->effect, sizeof st->effect, "accept");
		return;
	}
	if (!ch) {
		nl_diag(a, "%s:%s:%s:%d: the dump has no chain %s in table %s; the dump does not match "
			"this trace", ev->table, where, ev->type, N, ev->chain, ev->table);
		st->mismatch = 1;
		goto nat_policy;
	}
	if (!strcmp(ev->type, "rule")) {
		const struct nl_vrule *r;
		if (N < 1 || N > ch->nrules) {
			nl_diag(a, "%s:%s:rule:%d: the dump's %s %s has %d rule%s; the dump does not match "
				"this trace (stale or edited?)", ev->table, where, N, ev->table,
			     ev->chain, ch->nrules, ch->nrules == 1 ? "" : "s");
			st->mismatch = 1;
			return;
		}
		if (!(r = rsview_rule_at(v, ch, N, -1, &unread))) {
			sparse_unread(a, ch, ev, where, N);
			return;
		}
		if (r->uncond == 1 && target_is_standard(r->target)) {
			nl_diag(a, "%s:%s:rule:%d: the dump's rule %d is an unconditional -j %s, which the "
				"kernel reports as %s, not rule; the dump does not match this trace",
			     ev->table, where, N, N, r->target, ch->builtin ? "policy" : "return");
			st->mismatch = 1;
			return;
		}
		if (rule_contradicts(r, &ev->pkt, why, sizeof why)) {
			nl_diag(a, "%s:%s:rule:%d (%s) cannot have matched this packet: %s; the dump does "
				"not match this trace", ev->table, where, N, r->text, why);
			st->mismatch = 1;
			return;
		}
		if (nl_check_counter(a, v, st, r))
			return;
		st->rule = r;
		st->rule_text = r->text;
		target_effect(v, ch, r, st->effect, sizeof st->effect);
		return;
	}
	/* policy and return: the chain's end, or an unconditional rule at N */
	if ((strcmp(ev->type, "policy") == 0) != (ch->builtin != 0)) {
		nl_diag(a, "%s:%s:%s:%d: %s is %s chain in the dump; the dump does not match this trace",
		     ev->table, where, ev->type, N, ev->chain, ch->builtin ? "a built-in" : "a user");
		st->mismatch = 1;
		goto nat_policy;
	}
	if (N == ch->nrules + 1) {
		if (ch->builtin) {
			st->chain_policy = 1;
			lower(st->effect, ch->policy[0] ? ch->policy : "unknown", sizeof st->effect);
			snprintf(st->policy_text, sizeof st->policy_text, "policy %s",
				 ch->policy[0] ? ch->policy : "unknown");
			st->rule_text = st->policy_text;
		} else {
			snprintf(st->effect, sizeof st->effect, "return");
			st->chain_end = 1;
		}
		return;
	}
	if (N >= 1 && N <= ch->nrules) {
		const struct nl_vrule *r = rsview_rule_at(v, ch, N, -1, &unread);
		if (!r) {
			sparse_unread(a, ch, ev, where, N);
			goto nat_policy;
		}
		if (r->uncond && target_is_standard(r->target)) {
			if (nl_check_counter(a, v, st, r))
				goto nat_policy;
			st->rule = r;
			st->rule_text = r->text;
			target_effect(v, ch, r, st->effect, sizeof st->effect);
			if (!strcmp(st->effect, "policy")) {
				lower(st->effect, ch->policy[0] ? ch->policy : "unknown", sizeof st->effect);
				st->chain_policy = 1;
			}
			return;
		}
		nl_diag(a, "%s:%s:%s:%d: the dump's rule %d (%s) is not an unconditional ACCEPT, DROP or "
			"RETURN, so the kernel would not report it as %s; the dump does not match this "
			"trace", ev->table, where, ev->type, N, N, r->text, ev->type);
		st->mismatch = 1;
		goto nat_policy;
	}
	nl_diag(a, "%s:%s:%s:%d: the dump's %s %s has %d rule%s, so its end would be %s:%d; the dump "
		"does not match this trace (stale or edited?)", ev->table, where, ev->type, N,
	     ev->table, ev->chain, ch->nrules, ch->nrules == 1 ? "" : "s", ev->type,
	     ch->nrules + 1);
	st->mismatch = 1;
nat_policy:
	/* the nat table never drops: its chains end in ACCEPT */
	if (isnat && !strcmp(ev->type, "policy"))
		snprintf(st->effect, sizeof st->effect, "accept");
}

static void endpoint(const struct nl_pkt *p, int dst, char *buf, size_t n)
{
	const char *addr = dst ? p->dst : p->src;
	int port = dst ? p->dport : p->sport;
	if (port < 0)
		snprintf(buf, n, "%s", addr);
	else if (p->family == 6)
		snprintf(buf, n, "[%s]:%d", addr, port);
	else
		snprintf(buf, n, "%s:%d", addr, port);
}

static int legacy_nat_step(const struct nl_step *s)
{
	return !strcmp(s->ev.table, "nat");
}

/* A token of rule text that leaves the expression before it open: an
 * operator, or another of conntrack's status bits ("ct status snat
 * dnat", "ct status & dnat == dnat"). */
static int value_glue(const char *b, size_t n)
{
	static const char *const w[] = { "==", "!=", "&", "|", "expected", "seen-reply",
					 "assured", "confirmed", "snat", "dnat", "dying" };
	size_t k;
	for (k = 0; k < sizeof w / sizeof w[0]; k++)
		if (strlen(w[k]) == n && !strncmp(b, w[k], n))
			return 1;
	return 0;
}

int nl_nat_stmt(const char *t, const char *w)
{
	size_t wl = strlen(w);
	const char *m;
	for (m = t ? strstr(t, w) : NULL; m; m = strstr(m + 1, w)) {
		const char *c, *e = m;
		int quotes = 0, open = 0;
		if ((m > t && m[-1] != ' ') || (m[wl] && m[wl] != ' ' && m[wl] != ';'))
			continue;	/* part of a longer word or of "snat,dnat" */
		for (c = t; c < m; c++) {
			quotes += *c == '"';
			open += *c == '{' ? 1 : *c == '}' ? -1 : 0;
		}
		if (quotes % 2 || open > 0)
			continue;	/* in a comment, or an element of a set or map */
		/* the token before, past operators and status bits: a
		 * match's key ("status", "type", "code") makes w its value */
		for (;;) {
			const char *b;
			while (e > t && e[-1] == ' ')
				e--;
			for (b = e; b > t && b[-1] != ' '; b--)
				;
			if (b == e || !value_glue(b, (size_t)(e - b))) {
				if ((e - b == 6 && !strncmp(b, "status", 6)) ||
				    (e - b == 4 && (!strncmp(b, "type", 4) || !strncmp(b, "code", 4))))
					e = NULL;
				break;
			}
			e = b;
		}
		if (e)
			return 1;
	}
	return 0;
}

/* SNAT and MASQUERADE rewrite the source after the nat POSTROUTING chain,
 * the last thing netfilter traces: no later step shows the new address,
 * so the rule that did it is the evidence. */
static const char *snat_kind(const struct nl_step *s)
{
	const char *t;
	if (s->rule && (!strcmp(s->rule->target, "SNAT") || !strcmp(s->rule->target, "MASQUERADE")))
		return s->rule->target;
	if (s->rule && (!strcmp(s->rule->target, "snat") || !strcmp(s->rule->target, "masquerade")))
		return s->rule->target[0] == 's' ? "SNAT" : "MASQUERADE";
	t = s->rule_text ? s->rule_text : s->ev.rule;
	if (s->ev.kind != NL_EV_NFTRACE || !t)
		return NULL;
	/* nft's statements, or the iptables rule xtables-monitor prints */
	if (nl_nat_stmt(t, "masquerade") || strstr(t, "-j MASQUERADE"))
		return "MASQUERADE";
	return nl_nat_stmt(t, "snat") || strstr(t, "-j SNAT") ? "SNAT" : NULL;
}

/* A rewrite the rule of step at does after the last traced line (dst:
 * DNAT or REDIRECT, else SNAT or MASQUERADE), to `to` ("" when the rule
 * does not say), unless the trace showed one of that field after it. */
static void nat_after_trace(struct nl_analysis *a, int at, int dst, const char *kind,
			    const char *to)
{
	struct nl_nat *nt;
	int k;
	for (k = 0; k < a->nnat; k++)
		if (a->nat[k].step >= at && !strcmp(a->nat[k].field, dst ? "dst" : "src"))
			return;
	nt = &a->nat[a->nnat++];
	snprintf(nt->field, sizeof nt->field, "%s", dst ? "dst" : "src");
	nl_strlcpy(nt->kind, kind, sizeof nt->kind);
	endpoint(&a->steps[at].ev.pkt, dst, nt->from, sizeof nt->from);
	nl_strlcpy(nt->to, to, sizeof nt->to);
	nt->step = at;
	nt->by_conntrack = 0;
	nt->after_trace = 1;
}

static void find_snat(struct nl_analysis *a)
{
	const char *kind = NULL;
	int k, at = -1;
	if (a->nnat >= 8)
		return;
	/* the last step at postrouting that applies SNAT or MASQUERADE (an
	 * nft step's hook is not known without a dump; the kernel takes
	 * those targets only at postrouting and input) */
	for (k = (int)a->n - 1; k >= 0 && (a->steps[k].hook == 4 || a->steps[k].hook < 0); k--)
		if ((kind = snat_kind(&a->steps[k])) != NULL) {
			at = k;
			break;
		}
	if (at >= 0)
		nat_after_trace(a, at, 0, kind, a->steps[at].rule && !strcmp(kind, "SNAT")
						? a->steps[at].rule->target_arg : "");
}

static const char *dnat_kind(const struct nl_step *s)
{
	const char *t;
	if (s->rule && (!strcmp(s->rule->target, "DNAT") || !strcmp(s->rule->target, "dnat")))
		return "DNAT";
	if (s->rule && (!strcmp(s->rule->target, "REDIRECT") || !strcmp(s->rule->target, "redirect")))
		return "REDIRECT";
	t = s->rule_text ? s->rule_text : s->ev.rule;
	if (s->ev.kind != NL_EV_NFTRACE || !t)
		return NULL;
	if (nl_nat_stmt(t, "redirect") || strstr(t, "-j REDIRECT"))
		return "REDIRECT";
	return nl_nat_stmt(t, "dnat") || strstr(t, "-j DNAT") ? "DNAT" : NULL;
}

/* A trace that ends at the hook of its DNAT (nat prerouting or output, and
 * no base chain after it traced): the rewrite is the rule's, after the
 * last line, which no later line shows. */
static void find_dnat(struct nl_analysis *a)
{
	const char *kind = NULL;
	int k, at = -1, hook;
	if (a->nnat >= 8 || a->n == 0)
		return;
	hook = a->steps[a->n - 1].hook;
	if (hook != 0 && hook != 3 && hook >= 0)
		return;
	for (k = (int)a->n - 1; k >= 0 && a->steps[k].hook == hook; k--)
		if (!a->steps[k].mismatch && (kind = dnat_kind(&a->steps[k])) != NULL) {
			at = k;
			break;
		}
	if (at >= 0)
		nat_after_trace(a, at, 1, kind, a->steps[at].rule && !strcmp(kind, "DNAT")
						? a->steps[at].rule->target_arg : "");
}

/* 1 when rule text t matches conntrack states that are all of a
 * connection's later packets: "--ctstate RELATED,ESTABLISHED", "ct state
 * established,related", "ct state { established, related }". */
static int later_states(const char *t)
{
	static const char *const keys[] = { "--ctstate ", "--state ", "ct state " };
	size_t k;
	for (k = 0; t && k < 3; k++) {
		const char *m = strstr(t, keys[k]), *v, *end;
		int later = 0;
		if (!m || (m - t >= 2 && !strncmp(m - 2, "! ", 2)))
			continue;
		v = m + strlen(keys[k]);
		if (*v == '!')
			continue;	/* ct state != ... */
		end = *v == '{' ? strchr(v, '}') : v + strcspn(v, " ");
		if (!end)
			continue;
		for (; v < end; v += strcspn(v, ", {}") + 1) {
			size_t n = strcspn(v, ", {}");
			if (n == 0 || (size_t)(end - v) < n)
				continue;
			if ((n == 11 && !strncasecmp(v, "ESTABLISHED", 11)) ||
			    (n == 7 && !strncasecmp(v, "RELATED", 7)))
				later = 1;
			else
				return 0;	/* NEW, INVALID, UNTRACKED, DNAT: a first packet may match */
		}
		return later;
	}
	return 0;
}

/* Who rewrote p where no traced nat rule did (NL_NAT_*). Only a
 * connection's first packet goes through the nat chains, and conntrack
 * rewrites only the packets after it and replies. */
static int unseen_nat(const struct nl_analysis *a, const struct nl_pkt *p)
{
	size_t j;
	for (j = 0; j < a->n; j++) {
		const struct nl_step *s = &a->steps[j];
		if (((s->ev.kind == NL_EV_TRACE || s->ev.xt) && !strcmp(s->ev.table, "nat")) ||
		    (s->chain && !strcmp(s->chain->type, "nat")))
			return NL_NAT_UNTRACED;
	}
	/* a rule the packet matched tells its conntrack state */
	for (j = 0; j < a->n; j++) {
		const struct nl_step *s = &a->steps[j];
		if (!strcmp(s->ev.type, "rule") && !s->mismatch &&
		    later_states(s->rule_text ? s->rule_text : s->ev.rule))
			return NL_NAT_CONNTRACK;
		if (!strcasecmp(s->ev.pkt.ct_dir, "reply") || !strncasecmp(s->ev.pkt.ct_state, "established", 11))
			return NL_NAT_CONNTRACK;
	}
	if (p->proto == 6 && p->tcp_flags >= 0 &&
	    (!(p->tcp_flags & NL_TCP_SYN) || (p->tcp_flags & NL_TCP_ACK)))
		return NL_NAT_CONNTRACK;
	if ((p->proto == 1 && p->icmp_type == 0) || (p->proto == 58 && p->icmp_type == 129))
		return NL_NAT_CONNTRACK;	/* an echo reply */
	return NL_NAT_EITHER;
}

void nl_find_nat(struct nl_analysis *a, int (*is_nat_step)(const struct nl_step *))
{
	size_t i;
	for (i = 0; i + 1 < a->n && a->nnat < 8; i++) {
		const struct nl_pkt *p = &a->steps[i].ev.pkt, *q = &a->steps[i + 1].ev.pkt;
		int f;
		for (f = 0; f < 2 && a->nnat < 8; f++) {
			/* a field a source did not print is not a change */
			int changed = f ? (p->dst[0] && q->dst[0] && strcmp(p->dst, q->dst)) ||
						  (p->dport >= 0 && q->dport >= 0 && p->dport != q->dport)
					: (p->src[0] && q->src[0] && strcmp(p->src, q->src)) ||
						  (p->sport >= 0 && q->sport >= 0 && p->sport != q->sport);
			struct nl_nat *nt;
			int j, by;
			if (!changed)
				continue;
			/* done by the last nat-table step at the hook where it
			 * changed; with none there, no traced nat rule ran:
			 * unseen_nat() says what natlog can tell of who did */
			by = -1;
			for (j = (int)i; j >= 0 && a->steps[j].hook == a->steps[i].hook; j--)
				if (is_nat_step(&a->steps[j])) {
					by = j;
					break;
				}
			nt = &a->nat[a->nnat++];
			snprintf(nt->field, sizeof nt->field, "%s", f ? "dst" : "src");
			snprintf(nt->kind, sizeof nt->kind, "%s", f ? "DNAT" : "SNAT");
			endpoint(p, f, nt->from, sizeof nt->from);
			endpoint(q, f, nt->to, sizeof nt->to);
			nt->by_conntrack = by < 0 ? unseen_nat(a, p) : 0;
			nt->after_trace = 0;
			nt->step = by < 0 ? (int)i + 1 : by;
			if (by < 0)
				continue;
			if (a->steps[by].rule && a->steps[by].rule->target_arg[0] &&
			    is_nat_target(a->steps[by].rule->target)) {
				const char *arg = a->steps[by].rule->target_arg;
				const char *want = f ? q->dst : q->src;
				if (!strchr(arg, '-') && strncmp(arg, want, strlen(want)) != 0)
					nl_diag(a, "%s:%s:rule:%d translates to %s, but the packet was "
						"rewritten to %s", a->steps[by].ev.table, a->steps[by].ev.chain,
					     a->steps[by].ev.rulenum, arg, nt->to);
			}
		}
	}
	find_snat(a);
	find_dnat(a);
}

static int effect_is(const struct nl_step *s, const char *e)
{
	return !strcmp(s->effect, e);
}

/* A table of the dump with INPUT or FORWARD chains, which print TRACE
 * lines for every packet that gets past PREROUTING; NULL when none. */
static const char *table_after_prerouting(const struct nl_rsview *v)
{
	static const char *const tables[] = { "filter", "mangle", "security" };
	size_t i;
	for (i = 0; i < sizeof tables / sizeof *tables; i++)
		if (rsview_find(v, tables[i], "INPUT", NULL) || rsview_find(v, tables[i], "FORWARD", NULL))
			return tables[i];
	return NULL;
}

/* nodump: no ruleset dump was imported for this packet's host and family. */
static void infer_verdict(struct nl_analysis *a, const struct nl_rsview *v, int nodump)
{
	const char *after;
	const struct nl_step *last;
	int i, lasthook = -1;

	a->decided = -1;
	a->inferred = 1;	/* legacy TRACE never prints the verdict */
	snprintf(a->verdict, sizeof a->verdict, "unknown");
	if (a->n == 0)
		return;
	last = &a->steps[a->n - 1];
	/* a drop followed by more steps: the dump is wrong about that rule */
	for (i = 0; i + 1 < (int)a->n; i++)
		if (effect_is(&a->steps[i], "drop") || effect_is(&a->steps[i], "reject"))
			nl_diag(a, "%s:%s:%s:%d drops in the dump, yet the packet went on; the dump does "
				"not match this trace", a->steps[i].ev.table, a->steps[i].ev.chain,
			     a->steps[i].ev.type, a->steps[i].ev.rulenum);
	if (effect_is(last, "drop") || effect_is(last, "reject") || effect_is(last, "queue")) {
		snprintf(a->verdict, sizeof a->verdict, "%.11s", last->effect);
		a->decided = (int)a->n - 1;
		return;
	}
	/* The last filter-table step at the last hook where filter ran. */
	for (i = (int)a->n - 1; i >= 0; i--)
		if (!strcmp(a->steps[i].ev.table, "filter")) {
			lasthook = a->steps[i].hook;
			break;
		}
	/* accepted at PREROUTING and not seen again, though a table the
	 * packet passes next would have printed it */
	if (effect_is(last, "accept") && i < 0 && last->hook == 0 && !nodump &&
	    (after = table_after_prerouting(v))) {
		nl_diag(a, "the verdict is unknown: %s:%s:%s:%d let the packet through at PREROUTING "
			   "and the trace ends there, yet every packet that goes on passes table %s "
			   "at INPUT or FORWARD, which TRACE prints: the packet was dropped after "
			   "PREROUTING outside iptables (no route, rp_filter, forwarding off) or the "
			   "rest of the trace was lost", last->ev.table, last->ev.chain, last->ev.type,
			last->ev.rulenum, after);
		return;
	}
	if (effect_is(last, "accept") || (last->mismatch && i >= 0 && i < (int)a->n - 1)) {
		/* it reached its last step and that step let it through, or it
		 * went on past the filter table */
		snprintf(a->verdict, sizeof a->verdict, "accept");
		if (i >= 0) {
			int j;
			a->decided = i;
			for (j = i; j >= 0 && a->steps[j].hook == lasthook; j--)
				if (!strcmp(a->steps[j].ev.table, "filter")) {
					if (effect_is(&a->steps[j], "accept") || a->steps[j].mismatch) {
						a->decided = j;
						break;
					}
				}
		} else {
			a->decided = (int)a->n - 1;
		}
		if (last->mismatch && !effect_is(last, "accept"))
			snprintf(a->verdict, sizeof a->verdict, "unknown");
		return;
	}
	if (i >= 0 && last->hook != a->steps[i].hook) {
		/* the trace goes on at a later hook: filter let the packet through */
		const struct nl_step *f = &a->steps[i];
		snprintf(a->verdict, sizeof a->verdict, "accept");
		a->decided = i;
		nl_diag(a, "the trace shows the packet at %s after filter %s, so filter %s let it through",
			nl_hook_name(last->hook) ? nl_hook_name(last->hook) : last->ev.chain,
			nl_hook_name(f->hook) ? nl_hook_name(f->hook) : f->ev.chain,
			nl_hook_name(f->hook) ? nl_hook_name(f->hook) : f->ev.chain);
		if (!f->rule && !f->chain_policy)
			nl_diag(a, "%s:%s:%s:%d is the last step the trace shows there; what that rule "
				   "is is not known without a dump that covers it", f->ev.table,
				f->ev.chain, f->ev.type, f->ev.rulenum);
		return;
	}
	if (last->mismatch) {
		a->decided = (int)a->n - 1;	/* where it ended, rule unknown */
		nl_diag(a, "the verdict is unknown: the dump does not match the trace's last step "
			   "%s:%s:%s:%d, so what it did is not known", last->ev.table, last->ev.chain,
			last->ev.type, last->ev.rulenum);
	} else if (nodump) {
		nl_diag(a, "the verdict is unknown: no ruleset dump was imported, so what the trace's "
			   "last step %s:%s:%s:%d did is not known, and the trace does not show the packet "
			   "at a later hook", last->ev.table, last->ev.chain, last->ev.type,
			last->ev.rulenum);
	} else if (!last->chain) {
		nl_diag(a, "the verdict is unknown: the dump does not cover table %s, so what the "
			   "trace's last step %s:%s:%s:%d did is not known", last->ev.table,
			last->ev.table, last->ev.chain, last->ev.type, last->ev.rulenum);
	} else {
		nl_diag(a, "the verdict is unknown: the trace ends at %s:%s:%s:%d (%s), which decides "
			   "nothing; the rest of the trace is missing (the log was cut, rate-limited or "
			   "lost lines)", last->ev.table, last->ev.chain, last->ev.type, last->ev.rulenum,
			last->effect);
	}
}

void nl_explain_common(struct nl_analysis *a)
{
	size_t i;
	int ctlog = 0;
	const struct nl_step *d;
	for (i = 0; i < a->nlogs; i++)
		ctlog |= a->logs[i].ev.kind == NL_EV_CTINVALID;
	if (a->decided >= 0 && strcmp(a->verdict, "drop") == 0) {
		const char *t;
		d = &a->steps[a->decided];
		t = d->rule_text ? d->rule_text : d->ev.rule;
		if (t && (strstr(t, "ct state invalid") || strstr(t, "--ctstate INVALID") ||
			  strstr(t, "--state INVALID") || strstr(t, "ctstate INVALID")) && !ctlog)
			nl_diag(a, "the packet was dropped because conntrack found it invalid; the kernel "
				   "logs why with net.netfilter.nf_conntrack_log_invalid=255 (natlog invalid "
				   "shows those lines)");
	}
	/* a rule that returned: the rest of its chain was never evaluated */
	for (i = 0; i < a->n; i++) {
		const struct nl_step *s = &a->steps[i];
		const struct nl_chain *ch = s->chain;
		if (!ch || s->chain_end || !s->rule || strcmp(s->effect, "return") != 0)
			continue;
		if (s->position > 0 && s->position < ch->nrules)
			nl_diag(a, "%s %s rule %d returned, so rules %d to %d of that chain were not "
				   "evaluated for this packet", s->ev.table, s->ev.chain, s->position,
				s->position + 1, ch->nrules);
	}
}

static void explain_drop(struct nl_analysis *a)
{
	const struct nl_step *d;
	if (a->decided < 0 || strcmp(a->verdict, "drop") != 0)
		return;
	d = &a->steps[a->decided];
	if (d->chain_policy) {
		int accepted_before = 0;
		size_t i;
		for (i = 0; i < (size_t)a->decided; i++)
			if (a->steps[i].hook == d->hook && !strcmp(a->steps[i].ev.table, d->ev.table) &&
			    effect_is(&a->steps[i], "accept"))
				accepted_before = 1;
		if (!accepted_before)
			nl_diag(a, "no rule of %s %s (or the chains it jumped to) accepted the packet, so "
				"the chain's policy %s dropped it", d->ev.table, d->ev.chain,
			     "DROP");
	}
}

int nl_check_counter(struct nl_analysis *a, const struct nl_rsview *v, struct nl_step *st,
		     const struct nl_vrule *r)
{
	const struct nl_event *ev = &st->ev;
	char key[48], why[160];
	int64_t n, rs = st->chain ? st->chain->ruleset_id : 0;
	if (r->pkts < 0 || rsview_predates(v, rs, a->t_us))
		return 0;
	if (v->hits_cut) {
		nl_diag(a, "the dump's counters were not compared with the traces: those of this "
			   "host name more than %d rules, which natlog does not count", NL_MAXHITS);
		return 0;
	}
	if (ev->kind == NL_EV_NFTRACE) {
		if (ev->handle < 0)
			return 0;
		snprintf(key, sizeof key, "%s %s", ev->nft_family, ev->table);
		n = rsview_hits(v, rs, key, ev->chain, ev->handle);
	} else {
		n = rsview_hits(v, rs, ev->table, ev->chain, ev->rulenum);
	}
	if (!counter_contradicts(r, n, why, sizeof why))
		return 0;
	st->mismatch = 1;
	nl_strlcpy(st->why, why, sizeof st->why);
	if (ev->kind == NL_EV_NFTRACE)
		nl_diag(a, "%s %s %s rule with handle %lld (%s): %s; the chain changed (or its counters "
			   "were reset) after the trace, so the dump does not match this trace",
			ev->nft_family, ev->table, ev->chain, (long long)ev->handle, r->text, why);
	else
		nl_diag(a, "%s:%s:%s:%d (%s): %s; the chain changed (rules inserted or deleted, or "
			   "counters zeroed) after the trace, so the dump does not match this trace",
			ev->table, ev->chain, ev->type, ev->rulenum, r->text, why);
	return 1;
}

/* Counts traced packets per rule, only when a dump of the view has
 * counters: the count reads every trace line of the host. A dump whose
 * time is known gets counts of its own, of the packets not known to be
 * traced after it. */
static int load_hits(struct nl_store *s, struct nl_rscache *rc, int nft)
{
	const char *host = rc->host[0] ? rc->host : NULL;
	const char *ns = rc->netns[0] ? rc->netns : NULL;
	int64_t boot = -2;
	size_t i, k;
	int any = 0;
	for (i = 0; i < rc->v.ndumps; i++) {
		int64_t id = rc->v.dumps[i].id;
		struct nl_dump_info info;
		int counted, r;
		if ((counted = store_dump_counted(s, id)) < 0)
			return -1;
		for (k = 0; counted && k < rc->v.nbounded; k++)
			if (rc->v.bounded[k] == id)
				counted = 0;	/* its counts are in */
		if (!counted)
			continue;
		if (!any++ && store_rule_hits(s, host, ns, rc->family, nft, &rc->v, 0, -1, -1))
			return -1;
		if ((r = store_dump_info(s, id, &info)) < 0)
			return -1;
		if (!r || info.time_us < 0)
			continue;
		if (boot == -2)
			boot = store_boot_time(s, host);
		if (rsview_bound_hits(&rc->v, id, info.time_us) ||
		    store_rule_hits(s, host, ns, rc->family, nft, &rc->v, id, info.time_us, boot))
			return -1;
	}
	if (any)
		rsview_sort_hits(&rc->v);
	return 0;
}

/* The host, namespace and family whose rules p is explained by. */
static void rules_key(const struct nl_rscache *rc, const struct nl_packet_row *p, int nft,
		      const char **host, const char **ns, int *family)
{
	*family = nft ? 0 : p->family;
	*host = rc->hosted ? p->host : "";
	/* a packet a monitor traced in a namespace ran through that
	 * namespace's ruleset, never the host's */
	*ns = nft ? p->netns : "";
}

int nl_rules_loaded(const struct nl_rscache *rc, const struct nl_packet_row *p, int nft)
{
	const char *host, *ns;
	int family;
	rules_key(rc, p, nft, &host, &ns, &family);
	return rc->loaded && rc->family == family && !strcmp(rc->host, host) && !strcmp(rc->netns, ns);
}

struct nl_rscache *rsviews_pick(struct nl_rsviews *vs, const struct nl_packet_row *p, int nft)
{
	struct nl_rscache *rc = NULL;
	int i, old = 0;
	for (i = 0; i < NL_VIEWS && !rc; i++)
		if (nl_rules_loaded(&vs->rc[i], p, nft))
			rc = &vs->rc[i];
	for (i = 1; !rc && i < NL_VIEWS; i++)
		if (vs->used[i] < vs->used[old])
			old = i;
	if (!rc)
		rc = &vs->rc[old];
	vs->used[rc - vs->rc] = ++vs->clock;
	for (i = 0; i < NL_VIEWS; i++) {
		struct nl_rscache *o = &vs->rc[i];
		if (o == rc || !o->loaded)
			continue;
		if (o->v.nhits || o->v.nbounded || o->v.nsets)
			rscache_free(o);	/* counts, nft sets: any size */
		else
			rsview_trim(&o->v, NL_VIEW_KEEP);
	}
	return rc;
}

void rsviews_free(struct nl_rsviews *vs)
{
	int i;
	for (i = 0; i < NL_VIEWS; i++)
		rscache_free(&vs->rc[i]);
}

int nl_load_rules(struct nl_store *s, const struct nl_packet_row *p, struct nl_rscache *rc,
		  int nft)
{
	int family;
	const char *host, *ns;
	/* when no dump names a host, every host gets the same rules: a log of
	 * many nodes must not reload them packet after packet */
	if (!rc->loaded && rc->hosted <= 0) {
		rc->hosted = store_rulesets_hosted(s);
		if (rc->hosted < 0)
			return -1;
	}
	if (nl_rules_loaded(rc, p, nft))
		return 0;
	rules_key(rc, p, nft, &host, &ns, &family);
	rscache_free(rc);
	if (nft ? store_load_nft(s, host[0] ? host : NULL, ns[0] ? ns : NULL, &rc->v)
		: store_load_rules(s, host[0] ? host : NULL, family, &rc->v))
		return -1;
	nl_strlcpy(rc->host, host, sizeof rc->host);
	nl_strlcpy(rc->netns, ns, sizeof rc->netns);
	rc->family = family;
	if (load_hits(s, rc, nft))
		return -1;
	rc->loaded = 1;
	return 0;
}

/* nft and xtables traces are explained by nft dumps */
static int packet_nft(const struct nl_packet_row *p)
{
	return !strcmp(p->source, "nft-trace") || !strcmp(p->source, "xtables-trace");
}

/* An empty analysis of a packet, and the collector of its lines. */
static void analysis_start(struct nl_analysis *a, struct collector *co)
{
	/* not a memset: the diagnosis and capture arrays are large and are
	 * only read up to their counts */
	a->steps = a->logs = NULL;
	a->n = a->cap = a->nlogs = a->caplogs = 0;
	a->steps_left_out = a->cut_at = a->logs_left_out = 0;
	a->nnat = a->ndiag = a->nwire = a->nloss = a->nctloss = 0;
	a->t_us = -1;
	a->first_line = 0;
	a->verdict[0] = '\0';
	a->inferred = a->decided_rule_known = 0;
	a->rl = NULL;
	a->dump.rw = NULL;
	a->start.id = 0;
	co->a = a;
	co->base[0] = '\0';
	nl_pkt_init(&co->pkt);
	co->nsteps = 0;
	co->has_tail = 0;
	co->own = 1;
	nl_hits_init(&a->hits);
	a->decided = -1;
}

/* After the packet's own lines: those joined by identity, the rules and
 * the dump that explain it. */
static int analysis_end(struct nl_store *s, const struct nl_packet_row *p, struct nl_rscache *rc,
			struct nl_analysis *a, struct collector *co, int nft)
{
	int64_t t0;
	co->own = 0;
	/* The trace went on into a chain whose own line is missing (nft prints
	 * a packet: line and its event's line from one message): a step of
	 * type "packet", so the journey shows it and no verdict before it is
	 * taken as the last. */
	if (co->has_tail && packet_step(co))
		return -1;
	/* LOG and conntrack lines of other sources, joined by identity */
	t0 = PROF_T0();
	if (store_packet_joins(s, p->id, collect, co))
		return -1;
	PROF_ADD(NL_P_AN_JOINS, t0);
	close_cut(co);
	t0 = PROF_T0();
	if (nl_load_rules(s, p, rc, nft))
		return -1;
	PROF_ADD(NL_P_AN_RULES, t0);
	if (dumps_choose(s, p, &rc->v, a, nft, analyze_steps))
		return -1;
	/* a chain the analysis looked up could not be read */
	return rsview_failed(&rc->v) ? -1 : 0;
}

int analyze_packet(struct nl_store *s, const struct nl_packet_row *p, struct nl_rscache *rc,
		   struct nl_analysis *a)
{
	struct collector co;
	int nft = packet_nft(p);
	int64_t t0;
	analysis_start(a, &co);
	t0 = PROF_T0();
	if (rc->cur ? store_evcursor_packet(rc->cur, p->id, collect, &co)
		    : store_packet_events(s, p->id, collect, &co))
		return -1;
	PROF_ADD(NL_P_AN_EVENTS, t0);
	return analysis_end(s, p, rc, a, &co, nft);
}

int analyze_logged(struct nl_store *s, struct nl_packet_row *p, struct nl_rscache *rc,
		   const struct nl_event_row *line, struct nl_hits *hits)
{
	struct collector co;
	struct nl_analysis a;
	int joins = store_unclaimed(s), r;
	if (joins)
		return joins < 0 ? -1 : 0;
	analysis_start(&a, &co);
	r = collect(&co, line) || analysis_end(s, p, rc, &a, &co, 0) ? -1 : 0;
	/* several dumps: other packets' traces, some not stored yet, may
	 * choose between them (dumps_choose) */
	if (r == 0 && a.dump.candidates <= 1) {
		analysis_summary(&a, p);
		*hits = a.hits;
		p->analyzed = 1;
		r = 1;
	}
	analysis_free(&a);
	rscache_trim(rc);
	return r;
}

/* One hook can come before another on a packet's way through. */
static int hook_before(int a, int b)
{
	return (a == H_PRE && (b == H_IN || b == H_FWD || b == H_POST)) ||
	       ((a == H_FWD || a == H_OUT) && b == H_POST);
}

/* The hook a legacy user chain was entered from, told by its table's
 * hooks and the line's IN= and OUT=, and when a built-in chain (table
 * next_t, hook next_h >= 0) follows, by what can come before it; -1 when
 * more than one fits (nat or mangle with IN= only and nothing after:
 * prerouting or input). */
static int entered_hook(const struct nl_event *ev, int next_h, const char *next_t)
{
	int in = ev->pkt.iif[0] != '\0', out = ev->pkt.oif[0] != '\0';
	unsigned m = 0;
	int h, found = -1;
	if (!strcmp(ev->table, "filter") || !strcmp(ev->table, "security"))
		m = in && out ? 1u << H_FWD : in ? 1u << H_IN : out ? 1u << H_OUT : 0;
	else if (!strcmp(ev->table, "raw"))
		m = in && !out ? 1u << H_PRE : !in && out ? 1u << H_OUT : 0;
	else if (!strcmp(ev->table, "nat"))	/* nat has no forward hook */
		m = in && out ? 1u << H_POST : in ? 1u << H_PRE | 1u << H_IN
					      : out ? 1u << H_OUT | 1u << H_POST : 0;
	else if (!strcmp(ev->table, "mangle"))
		m = in && out ? 1u << H_FWD | 1u << H_POST : in ? 1u << H_PRE | 1u << H_IN
							   : out ? 1u << H_OUT | 1u << H_POST : 0;
	for (h = H_PRE; h < H_NONE; h++) {
		if (!(m & 1u << h))
			continue;
		if (next_h >= 0 && !hook_before(h, next_h) &&
		    !(h == next_h && corr_table_prio(ev->table, h) < corr_table_prio(next_t, h)))
			continue;
		if (found >= 0)
			return -1;
		found = h;
	}
	return found;
}

/* One run of the analysis over the collected steps with view v. */
int analyze_steps(struct nl_store *s, struct nl_analysis *a, const struct nl_packet_row *p,
		  const struct nl_rsview *v, int nft)
{
	size_t i;
	const struct nl_rsview *vv = v;
	a->decided = -1;
	if (nft) {
		analyze_nft(a, vv);
		for (i = 0; i < a->nlogs; i++)
			if (a->logs[i].ev.kind == NL_EV_CTINVALID)
				nl_diag(a, "conntrack called this packet INVALID: %s", a->logs[i].ev.reason);
		judge_cut(a);
		return 0;
	}
	if (vv->ndumps == 0)
		nl_diag(a, "no ruleset dump for this %shost was imported: rules are shown by number only",
		     p->family == 6 ? "IPv6 family of this " : "");
	for (i = 0; i < a->n; i++) {
		int h = corr_hook(a->steps[i].ev.chain);
		a->steps[i].hook = h != 5 ? h : (i > 0 ? a->steps[i - 1].hook : -1);
	}
	/* user chains before the first built-in one (the log started inside
	 * them) were entered from that chain's hook when its table is theirs,
	 * else from the hook their table and interfaces allow, if only one */
	for (i = 0; i < a->n && a->steps[i].hook < 0; i++)
		;
	{
		int h = i < a->n ? a->steps[i].hook : -1;
		const char *t = i < a->n ? a->steps[i].ev.table : "";
		while (i-- > 0)
			a->steps[i].hook = !strcmp(a->steps[i].ev.table, t) ? h
									 : entered_hook(&a->steps[i].ev, h, t);
	}
	for (i = 0; i < a->n; i++) {
		struct nl_step *st = &a->steps[i];
		if (vv->ndumps)
			map_step(a, vv, st);
		else
			snprintf(st->effect, sizeof st->effect, "unknown");
	}
	if (a->start.id != p->id || !p->id) {
		memset(&a->start, 0, sizeof a->start);
		a->start.id = p->id;
		a->start.source_id = p->source_id;
		a->start.uptime = p->uptime;
		nl_strlcpy(a->start.host, p->host, sizeof a->start.host);
	}
	a->start.used = 0;
	if (vv->ndumps)
		rl_flow_check(s, a, vv);
	nl_find_nat(a, legacy_nat_step);
	for (i = 0; i < a->nlogs; i++)
		if (a->logs[i].ev.kind == NL_EV_CTINVALID)
			nl_diag(a, "conntrack called this packet INVALID: %s", a->logs[i].ev.reason);
	infer_verdict(a, vv, vv->ndumps == 0);
	if (rl_contradictions(s, p, a))
		return -1;
	explain_drop(a);
	nl_explain_common(a);
	a->decided_rule_known = a->decided >= 0 && !a->steps[a->decided].mismatch &&
				(a->steps[a->decided].rule || a->steps[a->decided].chain_policy);
	judge_cut(a);
	return 0;
}

/* One more value a line shows for a packet field NAT rewrites: 0 when
 * it is the packet's own or the rewritten one known, 1 when it is a
 * second rewritten one (the row cannot hold both). */
static int rewritten_num(int v, int own, int *nat)
{
	if (v < 0 || v == own || v == *nat)
		return 0;
	if (*nat >= 0)
		return 1;
	*nat = v;
	return 0;
}

static int rewritten_addr(const char *v, const char *own, char *nat, size_t n)
{
	if (!v[0] || !strcmp(v, own) || !strcmp(v, nat))
		return 0;
	if (nat[0])
		return 1;
	nl_strlcpy(nat, v, n);
	return 0;
}

/* An interface name into " a b ": 1 when it cannot be (a space in it, no
 * room left). */
/* 1 when set (" eth0 docker0 ") holds name, of k bytes, as a word. */
static int has_word(const char *set, const char *name, size_t k)
{
	const char *p = set;
	while ((p = strstr(p, name)) != NULL) {
		if (p > set && p[-1] == ' ' && p[k] == ' ')
			return 1;
		p++;
	}
	return 0;
}

static int add_iface(char *set, size_t n, const char *name)
{
	size_t used = strlen(set), k = strlen(name);
	if (!k)
		return 0;
	if (strpbrk(name, " \t\n"))
		return 1;
	if (has_word(set, name, k))
		return 0;
	if (used + k + 1 >= n)
		return 1;
	memcpy(set + used, name, k);
	set[used + k] = ' ';
	set[used + k + 1] = '\0';
	return 0;
}

/* What the packet's lines show beyond its first tuple, for the filters
 * of traces (schema 29): from the steps and LOG lines analysed. */
static void line_summary(const struct nl_analysis *a, struct nl_packet_row *p)
{
	size_t i;
	int bad = a->steps_left_out > 0 || a->logs_left_out > 0;
	p->nat_sport = p->nat_dport = -1;
	p->nat_src[0] = p->nat_dst[0] = '\0';
	nl_strlcpy(p->ifaces, " ", sizeof p->ifaces);
	for (i = 0; i < a->n + a->nlogs && !bad; i++) {
		const struct nl_pkt *k = i < a->n ? &a->steps[i].ev.pkt : &a->logs[i - a->n].ev.pkt;
		bad = rewritten_num(k->sport, p->sport, &p->nat_sport) ||
		      rewritten_num(k->dport, p->dport, &p->nat_dport) ||
		      rewritten_addr(k->src, p->src, p->nat_src, sizeof p->nat_src) ||
		      rewritten_addr(k->dst, p->dst, p->nat_dst, sizeof p->nat_dst) ||
		      add_iface(p->ifaces, sizeof p->ifaces, k->iif) ||
		      add_iface(p->ifaces, sizeof p->ifaces, k->oif) ||
		      add_iface(p->ifaces, sizeof p->ifaces, k->physin) ||
		      add_iface(p->ifaces, sizeof p->ifaces, k->physout);
	}
	p->ifaces_ok = !bad;
}

void analysis_summary(const struct nl_analysis *a, struct nl_packet_row *p)
{
	int i;
	p->dump_id = a->dump.id;
	p->dump_candidates = a->dump.candidates;
	p->dump_tie = a->dump.tie;
	p->ncontra_dumps = 0;
	for (i = 0; i < a->dump.ncontra && i < (int)(sizeof p->contra_dumps / sizeof p->contra_dumps[0]);
	     i++)
		p->contra_dumps[p->ncontra_dumps++] = a->dump.contra_ids[i];
	nl_strlcpy(p->verdict, a->verdict, sizeof p->verdict);
	p->verdict_inferred = a->inferred;
	line_summary(a, p);
	p->has_decided = a->decided >= 0;
	p->has_decided_rule = 0;
	if (a->decided >= 0) {
		const struct nl_step *d = &a->steps[a->decided];
		nl_strlcpy(p->decided_table, d->ev.table, sizeof p->decided_table);
		nl_strlcpy(p->decided_chain, d->ev.chain, sizeof p->decided_chain);
		nl_strlcpy(p->decided_type, d->ev.type, sizeof p->decided_type);
		nl_strlcpy(p->decided_family, d->ev.nft_family, sizeof p->decided_family);
		p->decided_position = d->position;
		p->decided_handle = d->ev.handle;
		if (a->decided_rule_known) {
			p->has_decided_rule = 1;
			nl_strlcpy(p->decided_rule, d->rule_text ? d->rule_text : "",
				   sizeof p->decided_rule);
		}
	}
}

struct wire_ctx {
	struct nl_analysis *a;
	const struct nl_flow *ct;	/* a conntrack record of the connection, or NULL */
	const struct nl_pkt *first, *last;
	int64_t step_us;	/* the first traced step on the epoch clock, or -1 */
	int64_t seen_sources[NL_MAXWIRE];
	int nseen;
	int ct_dst;		/* the destination was rewritten by conntrack, not by a rule */
	/* the kernel log holds every namespace's lines (nf_log_all_netns, where
	 * said): conntrack entries of any namespace may be the packet's */
	int any_netns, ns_said;
	struct nl_sysctl_row all_netns;
};

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	const char *c = strrchr(path, ':');
	if (c && (!b || c > b))
		b = c;
	return b ? b + 1 : path;
}

/* A capture without interface names is named after its file: "outside". */
static void iface_of(const char *iface, const char *file, char *out, size_t n)
{
	const char *b = base_name(file), *dot;
	if (iface[0]) {
		nl_strlcpy(out, iface, n);
		return;
	}
	dot = strchr(b, '.');
	nl_strlcpyn(out, b, dot && dot > b ? (size_t)(dot - b) : strlen(b), n);
}

/* The step that rewrote the packet's source on its way out (SNAT or
 * MASQUERADE at postrouting: the trace shows the rule, not its result). */
static const struct nl_step *src_nat_step(const struct nl_analysis *a, const char **what)
{
	size_t i;
	for (i = 0; i < a->n; i++) {
		const struct nl_step *st = &a->steps[i];
		const char *t = st->rule ? st->rule->target : "";
		const char *txt = st->rule_text ? st->rule_text : st->ev.rule;
		if (!strcmp(t, "MASQUERADE") || nl_nat_stmt(txt, "masquerade")) {
			*what = "MASQUERADE";
			return st;
		}
		if (!strcmp(t, "SNAT") || nl_nat_stmt(txt, "snat")) {
			*what = "SNAT";
			return st;
		}
	}
	return NULL;
}

static void step_name(const struct nl_step *st, char *buf, size_t n)
{
	if (st->ev.kind == NL_EV_TRACE)
		snprintf(buf, n, "%s:%s:%s:%d", st->ev.table, st->ev.chain, st->ev.type, st->ev.rulenum);
	else
		snprintf(buf, n, "%s %s %s", st->ev.nft_family, st->ev.table, st->ev.chain);
}

/* A frame with one of the traced addresses: which NAT rewrote the other,
 * and by what the frame was recognised. */
static void wire_nat_note(struct wire_ctx *w, const struct nl_wire_row *r, struct nl_wire_ev *e)
{
	const struct nl_pkt *f = w->first, *l = w->last;
	const struct nl_step *st;
	const char *what = NULL;
	char ep[96], loc[NL_LOCSIZ];
	int src_moved = strcmp(r->src, f->src) && strcmp(r->src, l->src);
	int dst_moved = strcmp(r->dst, f->dst) && strcmp(r->dst, l->dst);
	size_t u;
	if (src_moved && dst_moved) {
		/* both ends rewritten: only conntrack's tuples named them */
		int before = w->ct && !strcmp(r->src, w->ct->osrc) && !strcmp(r->dst, w->ct->odst);
		snprintf(e->note, sizeof e->note, "%s conntrack's NAT (%.40s:%d -> %.40s:%d, as its "
			 "records say)", before ? "before" : "after", r->src, r->sport, r->dst, r->dport);
		u = strlen(e->note);
		snprintf(e->note + u, sizeof e->note - u, "; matched by %s%s%s and those records",
			 f->family == 4 && f->ip_id > 0 ? "IP ID" : "TCP SEQ",
			 f->family == 4 && f->ip_id > 0 && f->proto == 6 && f->seq >= 0 ? ", SEQ" : "",
			 f->len >= 0 ? ", length" : "");
		return;
	}
	if (src_moved)
		snprintf(ep, sizeof ep, r->sport >= 0 ? "from %s:%d" : "from %s", r->src, r->sport);
	else
		snprintf(ep, sizeof ep, r->dport >= 0 ? "to %s:%d" : "to %s", r->dst, r->dport);
	if (src_moved && (st = src_nat_step(w->a, &what)) != NULL) {
		step_name(st, loc, sizeof loc);
		snprintf(e->note, sizeof e->note, "after %s by %.80s (%.60s)", what, loc, ep);
	} else {
		/* nat rules see a connection's first packet only: a later one is
		 * rewritten by conntrack, a reply reversed to what its peer sent */
		snprintf(e->note, sizeof e->note, "after conntrack's translation (%.60s), not shown by the "
			 "trace", ep);
	}
	u = strlen(e->note);
	snprintf(e->note + u, sizeof e->note - u, "; matched by %s%s%s and the %s only",
		 f->family == 4 && f->ip_id > 0 ? "IP ID" : "TCP SEQ",
		 f->family == 4 && f->ip_id > 0 && f->proto == 6 && f->seq >= 0 ? ", SEQ" : "",
		 f->len >= 0 ? ", length" : "", src_moved ? "destination" : "source");
}

static int wire_seen(void *ctx, const struct nl_wire_row *r)
{
	struct wire_ctx *w = ctx;
	struct nl_wire_ev *e;
	const struct nl_pkt *f = w->first, *l = w->last;
	int dnat = strcmp(f->dst, l->dst) || f->dport != l->dport;
	if (w->a->nwire >= NL_MAXWIRE)
		return 0;
	e = &w->a->wire[w->a->nwire++];
	nl_strlcpy(e->file, r->file, sizeof e->file);
	iface_of(r->iface, r->file, e->iface, sizeof e->iface);
	nl_strlcpy(e->time, r->time, sizeof e->time);
	e->frame = r->frame;
	e->seen = 1;
	e->conntrack = 0;
	e->netns[0] = '\0';
	if (r->ends < 2 || (strcmp(r->src, f->src) && strcmp(r->src, l->src)) ||
	    (strcmp(r->dst, f->dst) && strcmp(r->dst, l->dst)))
		wire_nat_note(w, r, e);
	else if (dnat && !strcmp(r->dst, f->dst) && r->dport == f->dport)
		snprintf(e->note, sizeof e->note, "before %s (to %s:%d)", w->ct_dst ? "conntrack's NAT" : "DNAT",
			 r->dst, r->dport);
	else if (dnat && !strcmp(r->dst, l->dst) && r->dport == l->dport)
		snprintf(e->note, sizeof e->note, "after %s (to %s:%d)", w->ct_dst ? "conntrack's NAT" : "DNAT",
			 r->dst, r->dport);
	else if (strcmp(r->src, f->src) != 0)
		snprintf(e->note, sizeof e->note, "after SNAT (from %s:%d)", r->src, r->sport);
	else
		snprintf(e->note, sizeof e->note, "as traced");
	if (w->step_us >= 0) {
		double t;
		if (nl_parse_decimal(r->time, strlen(r->time), &t)) {
			size_t used = strlen(e->note);
			snprintf(e->note + used, sizeof e->note - used, ", %+.6f s from the first traced step",
				 (t * 1e6 - (double)w->step_us) / 1e6);
		}
	}
	if (w->nseen < NL_MAXWIRE)
		w->seen_sources[w->nseen++] = r->source_id;
	return 0;
}

static int wire_expected(void *ctx, int64_t source_id, const char *file, const char *iface)
{
	struct wire_ctx *w = ctx;
	struct nl_analysis *a = w->a;
	struct nl_wire_ev *e;
	int i;
	for (i = 0; i < w->nseen; i++)
		if (w->seen_sources[i] == source_id)
			return 0;
	if (a->nwire >= NL_MAXWIRE)
		return 0;
	e = &a->wire[a->nwire++];
	nl_strlcpy(e->file, file, sizeof e->file);
	iface_of(iface, file, e->iface, sizeof e->iface);
	e->seen = 0;
	e->conntrack = 0;
	e->netns[0] = '\0';
	e->time[0] = '\0';
	e->frame = -1;
	snprintf(e->note, sizeof e->note, "not in this capture, which holds other traffic to %s",
		 w->last->dst);
	if (!strcmp(a->verdict, "accept"))
		nl_diag(a, "the packet was accepted, yet it never appears in %s (%s), which holds other "
			   "traffic to %s", base_name(file), e->iface, w->last->dst);
	else if (!strcmp(a->verdict, "drop"))
		nl_diag(a, "as expected of a dropped packet, it never appears in %s (%s)",
			base_name(file), e->iface);
	return 0;
}

static int conntrack_seen(void *ctx, const struct nl_flow *f, const char *file)
{
	struct wire_ctx *w = ctx;
	struct nl_wire_ev *e;
	char ns[160] = "";
	int dnat, snat;
	if (w->a->nwire >= NL_MAXWIRE)
		return 0;
	e = &w->a->wire[w->a->nwire++];
	memset(e, 0, sizeof *e);
	e->conntrack = 1;
	e->seen = 1;
	nl_strlcpy(e->file, file, sizeof e->file);
	nl_strlcpy(e->time, f->time, sizeof e->time);
	e->frame = f->line;
	/* the reply tuple mirrors the original unless NAT changed it */
	dnat = f->rsrc[0] && (strcmp(f->rsrc, f->odst) || f->rsport != f->odport);
	snat = f->rdst[0] && (strcmp(f->rdst, f->osrc) || f->rdport != f->osport);
	nl_strlcpy(e->netns, f->netns, sizeof e->netns);
	if (nl_ovs_userspace(f->netns))
		snprintf(ns, sizeof ns, "Open vSwitch userspace datapath %s's own conntrack, not the "
			 "kernel's: ", nl_ovs_userspace(f->netns));
	else if (nl_ovs_unknown(f->netns))
		snprintf(ns, sizeof ns, "Open vSwitch conntrack of a datapath the dump does not "
			 "name, the kernel's or OVS's own: ");
	else if (f->netns[0])
		snprintf(ns, sizeof ns, "network namespace %s: ", f->netns);
	snprintf(e->note, sizeof e->note, "%s%s%s%s%s%s%s%s", ns, f->event[0] ? f->event : "listed",
		 f->state[0] ? " " : "", f->state, f->unreplied ? ", unreplied" : "",
		 f->assured > 0 ? ", assured" : "", dnat ? ", DNAT to " : "", dnat ? f->rsrc : "");
	if (dnat && f->rsport >= 0) {
		size_t u = strlen(e->note);
		snprintf(e->note + u, sizeof e->note - u, ":%d", f->rsport);
	}
	if (snat) {
		size_t u = strlen(e->note);
		snprintf(e->note + u, sizeof e->note - u, ", SNAT to %s", f->rdst);
	}
	if (f->netns[0] && !nl_ovs_userspace(f->netns) && !nl_ovs_unknown(f->netns) &&
	    strcmp(f->netns, w->a->dump.netns) && !w->ns_said) {
		w->ns_said = 1;
		nl_diag(w->a, "net.netfilter.nf_log_all_netns = %s (%s line %ld): the kernel logs every "
			      "network namespace's TRACE and LOG lines and a line does not say whose, so "
			      "natlog cannot tell whether the conntrack entries of namespace %s are this "
			      "packet's connection", w->all_netns.value, w->all_netns.file,
			w->all_netns.line, f->netns);
	}
	return 0;
}

/* The addresses conntrack's NAT gave the connection (its DNAT target and
 * SNAT source), so a frame with both ends rewritten is found too. */
struct ct_addrs {
	const struct nl_pkt *first, *last;
	char a[2][NL_ADDRSIZ];
	struct nl_flow f;
	int have;
};

static int ct_nat_addrs(void *ctx, const struct nl_flow *f, const char *file)
{
	struct ct_addrs *c = ctx;
	const char *cand[4] = { f->osrc, f->odst, f->rsrc, f->rdst };
	int i, n = 0;
	(void)file;
	if (c->have)
		return 0;
	c->f = *f;
	c->have = 1;
	/* the two ends the trace does not show: before its NAT, or after */
	for (i = 0; i < 4 && n < 2; i++)
		if (cand[i][0] && strcmp(cand[i], c->first->src) && strcmp(cand[i], c->first->dst) &&
		    strcmp(cand[i], c->last->src) && strcmp(cand[i], c->last->dst) &&
		    (n == 0 || strcmp(cand[i], c->a[0])))
			nl_strlcpy(c->a[n++], cand[i], sizeof c->a[0]);
	return 0;
}

int analysis_wire(struct nl_store *s, struct nl_analysis *a)
{
	struct wire_ctx w;
	struct ct_addrs ct;
	const char *addrs[6];
	int k;
	if (a->n == 0)
		return 0;
	memset(&w, 0, sizeof w);
	w.a = a;
	w.first = &a->steps[0].ev.pkt;
	w.last = &a->steps[a->n - 1].ev.pkt;
	/* nft packet lines may leave an address out: fall back on the other end */
	if (!w.last->dst[0])
		w.last = w.first;
	if (!w.first->src[0] || !w.first->dst[0])
		return 0;
	{
		/* the kernel's own stamp on the boot clock is finer than a
		 * logger's wall time, which may have whole seconds only */
		const struct nl_event *e0 = &a->steps[0].ev;
		int64_t boot = e0->uptime >= 0 ? store_boot_time(s, e0->host[0] ? e0->host : NULL) : -1;
		w.step_us = boot >= 0 ? boot + (int64_t)(e0->uptime * 1e6 + 0.5) : e0->wall_us;
		/* a monitor's trace is of the namespace it ran in (its table,
		 * a->dump.netns); the kernel log is the host's unless it logs
		 * every namespace */
		if ((e0->kind == NL_EV_TRACE || e0->kind == NL_EV_LOG) &&
		    (w.any_netns = trust_log_all_netns(s, e0->host, &w.all_netns)) < 0)
			return -1;
	}
	for (k = 0; k < a->nnat; k++)
		w.ct_dst |= a->nat[k].by_conntrack && !strcmp(a->nat[k].field, "dst");
	addrs[0] = w.first->src;
	addrs[1] = w.first->dst;
	addrs[2] = w.last->src[0] ? w.last->src : w.first->src;
	addrs[3] = w.last->dst;
	memset(&ct, 0, sizeof ct);
	ct.first = w.first;
	ct.last = w.last;
	if (store_conntrack_for(s, w.any_netns, a->dump.netns, w.first->proto, w.first->src,
				w.first->sport, w.first->dst, w.first->dport, ct_nat_addrs, &ct))
		return -1;
	addrs[4] = ct.a[0][0] ? ct.a[0] : NULL;
	addrs[5] = ct.a[1][0] ? ct.a[1] : NULL;
	w.ct = ct.have ? &ct.f : NULL;
	if (store_wire_find(s, w.first->proto, w.first->family == 4 ? w.first->ip_id : -1,
			    w.first->proto == 6 ? w.first->seq : -1, w.first->len, addrs, wire_seen, &w))
		return -1;
	if (w.nseen && w.step_us < 0)
		nl_diag(a, "captures were matched by %s and addresses alone: the trace's kernel clock "
			   "is not tied to the captures' (import with --boot-time, or a journal or "
			   "syslog file that has both stamps)",
			w.first->family == 4 && w.first->ip_id >= 0 ? "IP ID" : "TCP SEQ");
	if (store_wire_covering(s, w.last->dst, wire_expected, &w))
		return -1;
	/* conntrack's view of the connection, by its original tuple */
	return store_conntrack_for(s, w.any_netns, a->dump.netns, w.first->proto, w.first->src,
				   w.first->sport, w.first->dst, w.first->dport, conntrack_seen, &w);
}

/* One thread's share of a batch of packets, analysed through its own
 * connection and rule cache. */
struct share {
	struct nl_store *s;
	struct nl_rsviews views;	/* the rules read, by host */
	struct nl_evcursor *cur;	/* its packets' lines, read in one pass */
	struct nl_packet_row *rows;
	struct nl_hits *hits;	/* each row's list of rules, not in the row: rows
				 * are copied whole elsewhere, by the thousand */
	size_t n;
	int failed;
	struct rl_doubts doubts;	/* chains whose steps the dump did not match */
};

struct pending {
	struct share self, helper;
	int64_t count;
	/* packets are collected first: updating while reading is not safe */
	struct nl_packet_row *rows;
	struct nl_hits *hits;
	size_t n, cap;
};

static int pending_cb(void *ctx, const struct nl_packet_row *p)
{
	struct pending *pd = ctx;
	if (pd->n == pd->cap) {
		size_t cap = pd->cap ? pd->cap * 2 : 256;
		struct nl_packet_row *r = realloc(pd->rows, cap * sizeof *r);
		struct nl_hits *h;
		if (!r)
			return -1;
		pd->rows = r;
		if (!(h = realloc(pd->hits, cap * sizeof *h)))
			return -1;
		pd->hits = h;
		pd->cap = cap;
	}
	pd->rows[pd->n++] = *p;
	return 0;
}

/* The verdicts of sh->rows, into the rows; reads only. */
static void *analyze_share(void *arg)
{
	struct share *sh = arg;
	size_t i;
	int64_t cpu0 = PROF_CPU0();
	/* the share's packets are in id order: their lines in one pass */
	if (sh->n > 1 && store_evcursor_open(sh->s, sh->rows[0].id, sh->rows[sh->n - 1].id,
					     &sh->cur))
		sh->failed = 1;
	for (i = 0; i < sh->n && !sh->failed; i++) {
		struct nl_analysis a;
		struct nl_rscache *rc = rsviews_pick(&sh->views, &sh->rows[i],
						     packet_nft(&sh->rows[i]));
		int r;
		rscache_trim(rc);	/* the last packet's analysis is freed */
		rc->cur = sh->cur;
		r = analyze_packet(sh->s, &sh->rows[i], rc, &a);
		rc->cur = NULL;
		if (r) {
			sh->failed = 1;
			break;
		}
		analysis_summary(&a, &sh->rows[i]);
		sh->hits[i].len = a.hits.len;
		sh->hits[i].bad = a.hits.bad;
		memcpy(sh->hits[i].s, a.hits.s, a.hits.len + 1);
		if (rl_doubts_note(&sh->doubts, &sh->rows[i], &a))
			sh->failed = 1;
		analysis_free(&a);
	}
	store_evcursor_close(sh->cur);
	sh->cur = NULL;
	for (i = 0; i < NL_VIEWS; i++)
		rscache_trim(&sh->views.rc[i]);	/* nor held while the other thread works */
	PROF_CPU_ADD(NL_P_AN_CPU, cpu0);
	return NULL;
}

int analyze_pending(struct nl_store *s, int64_t *count, int64_t *cut)
{
	struct pending pd;
	int64_t after = 0;
	int rc = 0, retied = 0;
	memset(&pd, 0, sizeof pd);
	pd.self.s = s;
	if (store_analysis_cache(s, 1))
		return -1;
	/* a second connection lets a second core analyse half of each batch;
	 * the packets it reads were committed by the import */
	if (store_open_reader(s, &pd.helper.s))
		pd.helper.s = NULL;
	/* in batches, so memory stays flat however many packets there are */
	do {
		size_t i;
		pthread_t th;
		int threaded = 0;
		int64_t t0 = PROF_T0();
		pd.n = 0;
		if (store_packets_unanalyzed(s, after, 512, pending_cb, &pd) < 0) {
			rc = -1;
			break;
		}
		PROF_ADD(NL_P_AN_LIST, t0);
		pd.self.rows = pd.rows;
		pd.self.hits = pd.hits;
		pd.self.n = pd.n;
		/* the packets placed again are analysed on this connection
		 * alone: the helper's sees only committed rows, not the
		 * dump_contra rows this import wrote, which decide them */
		if (pd.helper.s && pd.n >= 64 && !retied) {
			pd.helper.rows = pd.rows + pd.n / 2;
			pd.helper.hits = pd.hits + pd.n / 2;
			pd.helper.n = pd.n - pd.n / 2;
			pd.self.n = pd.n / 2;
			threaded = pthread_create(&th, NULL, analyze_share, &pd.helper) == 0;
			if (!threaded)
				pd.self.n = pd.n;
		}
		analyze_share(&pd.self);
		if (threaded)
			pthread_join(th, NULL);
		if (pd.self.failed || pd.helper.failed) {
			if (pd.helper.failed)
				store_copy_error(s, pd.helper.s);
			rc = -1;
			break;
		}
		t0 = PROF_T0();
		for (i = 0; i < pd.n && rc == 0; i++) {
			rc = store_packet_analysis(s, &pd.rows[i], pd.hits[i].bad ? NULL : pd.hits[i].s);
			pd.count++;
			after = pd.rows[i].id;
		}
		PROF_ADD(NL_P_AN_WRITE, t0);
		/* once: packets whose dump only the order chose, now that other
		 * packets' traces may contradict it */
		if (rc == 0 && pd.n == 0 && !retied) {
			int n = store_dumps_retie(s);
			retied = 1;
			rc = n < 0 ? -1 : 0;
			if (n > 0) {
				after = 0;
				pd.n = 1;	/* go round again */
			}
		}
	} while (rc == 0 && pd.n > 0);
	/* the verdicts a realignment makes unknown, as explain shows them */
	if (rc == 0 && pd.count > 0) {
		int64_t t0 = PROF_T0(), changed = 0, chains = 0;
		rc = rl_doubts_merge(&pd.self.doubts, &pd.helper.doubts) ||
		     rl_doubts_keep(s, &pd.self.doubts) ||
		     rl_restate(s, &pd.self.views.rc[0], &pd.self.doubts, &changed, &chains) ? -1 : 0;
		if (cut)
			*cut = chains;
		PROF_ADD(NL_P_AN_WRITE, t0);
	}
	rl_doubts_free(&pd.self.doubts);
	rl_doubts_free(&pd.helper.doubts);
	if (count)
		*count = pd.count;
	rsviews_free(&pd.self.views);
	rsviews_free(&pd.helper.views);
	store_close(pd.helper.s);
	free(pd.rows);
	free(pd.hits);
	if (store_analysis_cache(s, 0))
		rc = -1;
	return rc;
}

const char *nl_step_note(const struct nl_step *s)
{
	if (s->mismatch)
		return "(does not match the dump)";
	if (!s->chain_end)
		return "(not in any dump)";
	if (s->ev.kind == NL_EV_NFTRACE && s->base[0] && !strcmp(s->ev.chain, s->base))
		return !strcmp(s->ev.verdict, "return") ? "(a rule returned: the base chain's policy applies)"
							 : "(end of the base chain: its policy applies)";
	if (s->ev.kind == NL_EV_NFTRACE && !strcmp(s->ev.verdict, "return"))
		return "(a rule returned: back to the caller)";
	return "(end of chain: back to the caller)";
}
