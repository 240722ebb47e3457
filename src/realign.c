/*
 * realign.c - a dump taken before or after the ruleset changed. Checks each
 * legacy step against the step after it (a jump must lead to its chain, an
 * accept ends its table's traversal, an unconditional rule is always
 * traced), flags inferred drops that later packets, captures or conntrack
 * show went through, and looks for the one shift (rules inserted or
 * deleted at one position after the trace) under which every traced step
 * of a chain fits the dump again: suggested, never taken as fact.
 */
#include "natlog.h"
#include "analyze.h"
#include "realign.h"
#include "trust.h"
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>

int rl_map(int n, int k, int d)
{
	if (d == 0 || n < k)
		return n;
	if (d > 0)
		return n + d;
	return n < k - d ? 0 : n + d;
}

/* The candidate's dump position for every observed trace position, so
 * that candidates no observation tells apart count as one. */
static int same_mapping(const int *obs, size_t nobs, int k1, int d1, int k2, int d2)
{
	size_t i;
	for (i = 0; i < nobs; i++)
		if (rl_map(obs[i], k1, d1) != rl_map(obs[i], k2, d2))
			return 0;
	return 1;
}

void rl_search(const int *obs, size_t nobs, int (*fit)(void *ctx, int k, int d), void *ctx,
	       struct rl_best *out)
{
	int maxn = 0, k, d, classes_at_best = 0;
	size_t i;
	memset(out, 0, sizeof *out);
	out->score = -1;
	for (i = 0; i < nobs; i++)
		if (obs[i] > maxn)
			maxn = obs[i];
	for (d = -RL_MAXSHIFT; d <= RL_MAXSHIFT; d++) {
		if (!d)
			continue;
		int sc = -1;
		for (k = 1; k <= maxn; k++) {
			/* the identity on what was observed is no realignment */
			if (same_mapping(obs, nobs, k, d, 1, 0)) {
				sc = -1;
				continue;
			}
			/* a k that moves no observation against k - 1 fits alike:
			 * a chain of thousands of rules costs its observations only */
			if (k == 1 || sc < 0 || !same_mapping(obs, nobs, k, d, k - 1, d))
				sc = fit(ctx, k, d);
			/* a shift that only deletes what was traced explains nothing */
			if (sc <= 0)
				continue;
			/* one of the best class (the mapping decides the score): its
			 * positions make a range */
			if (out->score >= 0 && same_mapping(obs, nobs, k, d, out->k_lo, out->d)) {
				if (out->d == d && k > out->k_hi)
					out->k_hi = k;
				continue;
			}
			if (sc > out->score) {
				out->score = sc;
				out->k_lo = out->k_hi = k;
				out->d = d;
				classes_at_best = 1;
			} else if (sc == out->score) {
				classes_at_best++;
			}
		}
	}
	out->status = out->score < 0 ? 0 : classes_at_best == 1 ? 1 : -1;
}

/* ---- one step against the dump, under a shift ---- */

enum eff { EFF_NONE, EFF_END, EFF_JUMP, EFF_RETURN };

static int is_terminal_target(const char *t)
{
	static const char *const c[] = { "ACCEPT", "DROP", "REJECT", "QUEUE", "NFQUEUE", "DNAT",
					 "SNAT", "MASQUERADE", "REDIRECT", "NETMAP", NULL };
	int i;
	for (i = 0; c[i]; i++)
		if (!strcmp(t, c[i]))
			return 1;
	return 0;
}

static enum eff rule_eff(const struct nl_rsview *v, const struct nl_chain *ch,
			 const struct nl_vrule *r)
{
	if (!r)
		return ch->builtin ? EFF_END : EFF_RETURN;
	if (is_terminal_target(r->target))
		return EFF_END;
	if (!strcmp(r->target, "RETURN"))
		return ch->builtin ? EFF_END : EFF_RETURN;
	if (rsview_has_chain(v, ch->ruleset_id, ch->table, r->target))
		return EFF_JUMP;
	return EFF_NONE;
}

static int same_run(const struct nl_step *x, const struct nl_step *y)
{
	return y->ev.kind == NL_EV_TRACE && x->hook == y->hook && !strcmp(x->ev.table, y->ev.table);
}

struct fitctx {
	const struct nl_rsview *v;
	const struct nl_chain *ch;
	const struct nl_step *steps;
	size_t n;
	int contra;		/* step index whose drop later evidence contradicts, or -1 */
	int cut_ok;		/* a jump may end the trace (it may have been cut there) */
	int64_t t_us;		/* the packet's time, or -1 */
	struct nl_store *s;	/* asked whether the log starts inside the path */
	struct nl_logstart *start;
};

/* Step i's chain shows no step before it: did the packet enter that
 * chain before its log's first line? It did when step i is in the
 * packet's first run of one hook and table, not entered by a traced jump
 * (the step before it is none, or a return to it), and the packet's
 * first line is one of the first of its host in its file. Rules of the
 * chain before it were then met before the log began. */
static int before_log(const struct fitctx *c, size_t i)
{
	const struct nl_step *st = &c->steps[i];
	struct nl_logstart *ls = c->start;
	size_t j;
	int last = -1;
	if (!ls || !c->s)
		return 0;
	for (j = 0; j < i; j++) {
		if (c->steps[j].ev.kind != NL_EV_TRACE)
			continue;
		if (!same_run(st, &c->steps[j]) || !strcmp(c->steps[j].ev.chain, st->ev.chain))
			return 0;
		last = (int)j;
	}
	if (last >= 0 && !strcmp(c->steps[last].ev.type, "rule"))
		return 0;	/* the rule traced before it jumped here */
	if (!ls->known) {
		/* a store failure leaves the check as strict as without it */
		ls->first = store_first_in_source(c->s, ls->id, ls->source_id, ls->host,
						  ls->uptime) == 1;
		ls->known = 1;
	}
	ls->used |= ls->first;
	return ls->first;
}

/* A sparse chain's first unconditional rule after position lo and before
 * hi that was not inserted after the trace ([k, k + d)), or 0 (also when
 * the chain has too many such rules to have read them). */
static int uncond_between(const struct nl_chain *ch, int lo, int hi, int k, int d)
{
	int a = 0, b = ch->nuncond > 0 ? ch->nuncond : 0;
	while (a < b) {		/* the first position > lo */
		int m = a + (b - a) / 2;
		if (ch->uncond[m] <= lo)
			a = m + 1;
		else
			b = m;
	}
	for (; a < ch->nuncond && ch->uncond[a] < hi; a++)
		if (!(d > 0 && ch->uncond[a] >= k && ch->uncond[a] < k + d))
			return ch->uncond[a];
	return 0;
}

/* Step i under (k, d): -1 when it cannot be (why says why), 0 when its rule
 * is not in the dump (deleted), 1 when it fits a dumped rule or the end. */
static int step_fit(const struct fitctx *c, size_t i, int k, int d, char *why, size_t wn)
{
	const struct nl_step *st = &c->steps[i], *nx = i + 1 < c->n ? &c->steps[i + 1] : NULL;
	const struct nl_chain *ch = c->ch;
	const struct nl_vrule *r = NULL;
	int N = st->ev.rulenum, P = rl_map(N, k, d), prev = 0, q, unread;
	size_t j;
	enum eff e;
	char w[256];
	if (P == 0)
		return 0;
	if (!strcmp(st->ev.type, "rule")) {
		if (P < 1 || P > ch->nrules) {
			snprintf(why, wn, "the dump's chain has %d rules", ch->nrules);
			return -1;
		}
		if (!(r = rsview_rule_at(c->v, ch, P, -1, &unread)))
			return 1;	/* a long chain's rule not read: map_step said so */
		if (r->uncond == 1 && target_is_standard(r->target)) {
			snprintf(why, wn, "the dump's rule %d is an unconditional -j %s", P, r->target);
			return -1;
		}
		if (rule_contradicts(r, &st->ev.pkt, w, sizeof w)) {
			snprintf(why, wn, "the dump's rule %d cannot match it: %s", P, w);
			return -1;
		}
		if (!rsview_predates(c->v, ch->ruleset_id, c->t_us) &&
		    counter_contradicts(r, rsview_hits(c->v, ch->ruleset_id, st->ev.table, st->ev.chain, N),
					w, sizeof w)) {
			snprintf(why, wn, "the dump's rule %d: %s", P, w);
			return -1;
		}
	} else {
		if ((strcmp(st->ev.type, "policy") == 0) != (ch->builtin != 0)) {
			snprintf(why, wn, "the dump's chain is of the other kind");
			return -1;
		}
		const struct nl_vrule *u = P >= 1 && P <= ch->nrules &&
					   (!ch->sparse || ch->nuncond < 0 ||
					    uncond_between(ch, P - 1, P + 1, 0, 0))
					   ? rsview_rule_at(c->v, ch, P, -1, &unread) : NULL;
		if (u && u->uncond && target_is_standard(u->target)) {
			r = u;
		} else if (P != ch->nrules + 1) {
			snprintf(why, wn, "the dump's chain ends at %d", ch->nrules + 1);
			return -1;
		}
	}
	e = rule_eff(c->v, ch, r);
	/* the drop later evidence contradicts cannot be what the trace hit */
	if ((int)i == c->contra &&
	    (r ? !strcmp(r->target, "DROP") || !strcmp(r->target, "REJECT") ||
		 (!strcmp(r->target, "RETURN") && ch->builtin && !strcmp(ch->policy, "DROP"))
	       : ch->builtin && !strcmp(ch->policy, "DROP"))) {
		snprintf(why, wn, "later evidence shows the packet went on");
		return -1;
	}
	if (e == EFF_JUMP && r &&
	    (nx ? !same_run(st, nx) || strcmp(nx->ev.chain, r->target) : !c->cut_ok)) {
		snprintf(why, wn, "the dump's rule %d jumps to %s, yet %s", P, r->target,
			 nx && same_run(st, nx) ? "the next traced step is in another chain"
			 : "no step in that chain follows");
		return -1;
	}
	if (e == EFF_END && nx && same_run(st, nx)) {
		snprintf(why, wn, "the dump's %s %d ends the traversal of table %s, yet the trace goes "
			 "on at %s:%s:%s:%d", r ? "rule" : "chain end", P, st->ev.table, nx->ev.table,
			 nx->ev.chain, nx->ev.type, nx->ev.rulenum);
		return -1;
	}
	/* the kernel traces every rule that matches: an unconditional one
	 * between this step and the last one in this chain would show */
	for (j = i; j-- > 0 && same_run(st, &c->steps[j]);)
		if (!strcmp(c->steps[j].ev.chain, st->ev.chain)) {
			prev = rl_map(c->steps[j].ev.rulenum, k, d);
			if (prev == 0 || prev >= P)
				return 1;
			break;
		}
	for (q = prev + 1; !ch->sparse && q < P && q <= ch->nrules; q++) {
		if (d > 0 && q >= k && q < k + d)
			continue;	/* inserted after the trace */
		if (ch->rules[q - 1].uncond == 1) {
			if (prev == 0 && before_log(c, i))
				return 1;
			snprintf(why, wn, "the dump's rule %d (%.200s) matches every packet, yet the trace "
				 "does not show it", q, ch->rules[q - 1].text);
			return -1;
		}
	}
	if (ch->sparse && (q = uncond_between(ch, prev, P, k, d)) > 0 &&
	    !(prev == 0 && before_log(c, i)) && (r = rsview_rule_at(c->v, ch, q, -1, &unread))) {
		snprintf(why, wn, "the dump's rule %d (%.200s) matches every packet, yet the trace "
			 "does not show it", q, r->text);
		return -1;
	}
	return 1;
}

void rl_flow_check(struct nl_store *s, struct nl_analysis *a, const struct nl_rsview *v)
{
	struct fitctx c = { v, NULL, a->steps, a->n, -1, 1, a->t_us, s, &a->start };
	char why[NL_LOCSIZ + 400];
	size_t i;
	if (a->steps_left_out)
		return;
	for (i = 0; i < a->n; i++) {
		struct nl_step *st = &a->steps[i];
		if (st->ev.kind != NL_EV_TRACE || !st->chain || st->mismatch)
			continue;
		c.ch = st->chain;
		if (step_fit(&c, i, 1, 0, why, sizeof why) >= 0)
			continue;
		st->mismatch = 1;
		st->rule = NULL;
		st->rule_text = NULL;
		st->chain_policy = st->chain_end = 0;
		snprintf(st->effect, sizeof st->effect, "unknown");
		nl_strlcpy(st->why, why, sizeof st->why);
		nl_diag(a, "%s:%s:%s:%d: %s; the dump does not match this trace", st->ev.table,
			st->ev.chain, st->ev.type, st->ev.rulenum, why);
	}
	for (i = 0; a->start.used && i < a->n; i++)
		if (a->steps[i].ev.kind == NL_EV_TRACE) {
			nl_diag(a, "the log starts inside this packet's path: its first line is one of "
				   "the first of its host in its file, so the rules it met before "
				   "%s:%s:%s:%d are not in the log, and were not checked against the dump",
				a->steps[i].ev.table, a->steps[i].ev.chain, a->steps[i].ev.type,
				a->steps[i].ev.rulenum);
			break;
		}
}

/* ---- drops that later evidence contradicts ---- */

struct rows {
	char v[4][8][512];	/* up to 4 rows of up to 8 columns */
	int n;
};

static int take_row(void *ctx, int ncol, const char *const *names, const char *const *vals,
		    const int *types)
{
	struct rows *r = ctx;
	int i;
	(void)names;
	(void)types;
	if (r->n >= 4)
		return 0;
	for (i = 0; i < 8; i++)
		nl_strlcpy(r->v[r->n][i], i < ncol && vals[i] ? vals[i] : "", 512);
	r->n++;
	return 0;
}

static struct nl_realign *rl_get(struct nl_analysis *a)
{
	if (!a->rl) {
		a->rl = calloc(1, sizeof *a->rl);
		if (a->rl)
			a->rl->contra_step = -1;
	}
	return a->rl;
}

static void add_contra(struct nl_analysis *a, const char *kind, const char *file, long line,
		       const char *trace, const char *note)
{
	struct nl_realign *rl = rl_get(a);
	struct nl_contra *c;
	if (!rl || rl->ncontra >= RL_MAXCONTRA)
		return;
	c = &rl->contra[rl->ncontra++];
	nl_strlcpy(c->kind, kind, sizeof c->kind);
	nl_strlcpy(c->file, file, sizeof c->file);
	c->line = line;
	nl_strlcpy(c->trace, trace, sizeof c->trace);
	nl_strlcpy(c->note, note, sizeof c->note);
}

static void num(char *b, size_t n, int64_t v)
{
	if (v < 0)
		b[0] = '\0';
	else
		snprintf(b, n, "%lld", (long long)v);
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* The packet itself in a capture, TTL lowered by routing: it left the host
 * after every hook. A locally sent one is behind its hooks on any wire. */
static int seen_behind(struct nl_store *s, struct nl_analysis *a, int hook)
{
	const struct nl_pkt *f = &a->steps[0].ev.pkt, *l = &a->steps[a->n - 1].ev.pkt;
	char id[24], seq[24], ttl[24], proto[8], note[200];
	const char *prm[8];
	struct rows r = { .n = 0 };
	int i;
	if (!(f->ip_id > 0 || (f->proto == 6 && f->seq >= 0)) || (hook != 3 && f->ttl < 0))
		return 0;
	num(id, sizeof id, f->ip_id > 0 ? f->ip_id : -1);
	num(seq, sizeof seq, f->proto == 6 ? f->seq : -1);
	num(ttl, sizeof ttl, hook == 3 ? 256 : f->ttl);
	snprintf(proto, sizeof proto, "%d", f->proto);
	prm[0] = proto; prm[1] = id; prm[2] = seq; prm[3] = ttl;
	prm[4] = f->dst; prm[5] = l->dst; prm[6] = f->src; prm[7] = l->src;
	/* by IP ID, else by SEQ: each has an index of captured frames */
	if (store_sql_params(s, f->ip_id > 0 ?
			     "SELECT s.path, e.line, e.ttl, e.src, e.dst FROM frames e JOIN sources s ON "
			     "s.id = e.source_id WHERE e.ip_id = ?2 AND e.proto = ?1 "
			     "AND (?3 IS NULL OR e.tcp_seq = ?3) AND e.ttl < ?4 AND (e.dst IN (?5, ?6) OR "
			     "e.src IN (?7, ?8)) ORDER BY e.id LIMIT 2" :
			     "SELECT s.path, e.line, e.ttl, e.src, e.dst FROM frames e JOIN sources s ON "
			     "s.id = e.source_id WHERE e.tcp_seq = ?3 AND e.proto = ?1 "
			     "AND e.ttl < ?4 AND (e.dst IN (?5, ?6) OR e.src IN (?7, ?8)) ORDER BY e.id "
			     "LIMIT 2", prm, 8, take_row, &r))
		return -1;
	for (i = 0; i < r.n; i++) {
		snprintf(note, sizeof note, "%s frame %s shows it %s -> %s with TTL %s, so it left the host "
			 "past that hook", base_name(r.v[i][0]), r.v[i][1], r.v[i][3], r.v[i][4], r.v[i][2]);
		add_contra(a, "capture", r.v[i][0], strtol(r.v[i][1], NULL, 10), "", note);
	}
	return r.n;
}

/* Other traced packets with this one's SEQ and flags: retransmissions, any
 * of which may be the one that got through. */
static int64_t retransmissions(struct nl_store *s, const struct nl_packet_row *p)
{
	char seq[24], sp[12], dp[12], fl[12], id[24];
	const char *prm[8];
	struct rows r = { .n = 0 };
	num(seq, sizeof seq, p->tcp_seq);
	snprintf(sp, sizeof sp, "%d", p->sport);
	snprintf(dp, sizeof dp, "%d", p->dport);
	snprintf(fl, sizeof fl, "%d", p->tcp_flags);
	snprintf(id, sizeof id, "%lld", (long long)p->id);
	prm[0] = seq; prm[1] = p->src; prm[2] = sp; prm[3] = p->dst; prm[4] = dp; prm[5] = fl;
	prm[6] = id; prm[7] = p->host;
	if (store_sql_params(s, "SELECT count(*) FROM packets WHERE proto = 6 AND tcp_seq = ?1 AND "
			     "src = ?2 AND sport = ?3 AND dst = ?4 AND dport = ?5 AND tcp_flags = ?6 "
			     "AND id != ?7 AND host IS ?8", prm, 8, take_row, &r))
		return -1;
	return r.n ? strtoll(r.v[0][0], NULL, 10) : 0;
}

/* The peer acknowledged this packet's sequence space: a reply (traced or
 * captured, either NAT form) whose ACK is past its SEQ. */
static int acked(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a)
{
	const struct nl_pkt *f = &a->steps[0].ev.pkt, *l = &a->steps[a->n - 1].ev.pkt;
	char fs[12], fd[12], ls[12], ld[12], seq[24], note[200];
	const char *prm[9];
	struct rows r = { .n = 0 };
	int hdr = f->family == 6 ? 40 : 20, i;
	/* only SYN, FIN and data take sequence space (a pure ACK has none) */
	if (!(p->tcp_flags & (NL_TCP_SYN | NL_TCP_FIN | NL_TCP_PSH)) && !(f->len > hdr + 60))
		return 0;
	snprintf(fs, sizeof fs, "%d", f->sport);
	snprintf(fd, sizeof fd, "%d", f->dport);
	snprintf(ls, sizeof ls, "%d", l->sport);
	snprintf(ld, sizeof ld, "%d", l->dport);
	num(seq, sizeof seq, f->seq);
	prm[0] = f->dst; prm[1] = fd; prm[2] = f->src; prm[3] = fs;
	prm[4] = l->dst; prm[5] = ld; prm[6] = l->src; prm[7] = ls; prm[8] = seq;
	/* replies captured (by their ports; the first of each capture) or
	 * traced (by their source) */
	if (store_sql_params(s, "SELECT * FROM (SELECT s.path, min(e.line), 'wire', e.tcp_ack, e.src, "
			     "e.sport, NULL FROM frames e JOIN sources s ON s.id = e.source_id WHERE "
			     "e.proto = 6 AND e.dport IN (?4, ?8) AND e.sport IN (?2, ?6) "
			     "AND e.dst IN (?3, ?7) AND (e.tcp_flags & 16) "
			     "!= 0 AND ((e.src = ?1 AND e.sport = ?2 AND e.dst = ?3 AND e.dport = ?4) OR "
			     "(e.src = ?5 AND e.sport = ?6 AND e.dst = ?7 AND e.dport = ?8)) AND "
			     "((e.tcp_ack - ?9 + 4294967296) % 4294967296) BETWEEN 1 AND 2147483647 "
			     "GROUP BY e.source_id UNION ALL SELECT path, min(line), 'trace', tcp_ack, src, "
			     "sport, trace FROM (SELECT s.path, e.line, e.tcp_ack, e.src, e.sport, p.trace, "
			     "p.id AS pid FROM packets p JOIN event_rows e ON e.packet_id = p.id JOIN sources "
			     "s ON s.id = e.source_id WHERE p.src IN (?1, ?5) AND p.proto = 6 AND e.kind = "
			     "'trace' AND (e.tcp_flags & 16) != 0 AND ((e.src = ?1 AND e.sport = ?2 AND "
			     "e.dst = ?3 AND e.dport = ?4) OR (e.src = ?5 AND e.sport = ?6 AND e.dst = ?7 "
			     "AND e.dport = ?8)) AND ((e.tcp_ack - ?9 + 4294967296) % 4294967296) BETWEEN "
			     "1 AND 2147483647 "
			     /* a narrow step: its headers are its first line's, NAT's changes its own */
			     "UNION ALL SELECT o.path, t.line, b.tcp_ack, ifnull(t.src, b.src), "
			     "ifnull(t.sport, b.sport), p.trace, p.id FROM packets p JOIN steps t ON "
			     "t.packet_id = p.id JOIN event_rows b ON b.packet_id = p.id AND b.step = 1 "
			     "JOIN sources o ON o.id = b.source_id WHERE p.src IN (?1, ?5) AND p.proto = 6 "
			     "AND t.hdr AND t.kind = (SELECT id FROM names WHERE name = 'trace') AND "
			     "(b.tcp_flags & 16) != 0 AND ((ifnull(t.src, b.src) = ?1 AND "
			     "ifnull(t.sport, b.sport) = ?2 AND ifnull(t.dst, b.dst) = ?3 AND "
			     "ifnull(t.dport, b.dport) = ?4) OR (ifnull(t.src, b.src) = ?5 AND "
			     "ifnull(t.sport, b.sport) = ?6 AND ifnull(t.dst, b.dst) = ?7 AND "
			     "ifnull(t.dport, b.dport) = ?8)) AND ((b.tcp_ack - ?9 + 4294967296) % "
			     "4294967296) BETWEEN 1 AND 2147483647) GROUP BY pid) LIMIT 2", prm, 9, take_row, &r))
		return -1;
	for (i = 0; i < r.n; i++) {
		int traced = !strcmp(r.v[i][2], "trace");
		snprintf(note, sizeof note, "%s%s %s %s shows %s:%s acknowledging it (ACK %s, past its "
			 "SEQ %lld)", traced ? "packet " : "", traced ? r.v[i][6] : base_name(r.v[i][0]),
			 traced ? "at line" : "frame", r.v[i][1], r.v[i][4], r.v[i][5], r.v[i][3],
			 (long long)f->seq);
		add_contra(a, "reply", r.v[i][0], strtol(r.v[i][1], NULL, 10), traced ? r.v[i][6] : "",
			   note);
	}
	return r.n;
}

/* A SYN whose connection went on: a later packet of it from the same side
 * acknowledges the peer's SYN-ACK. */
static int handshake_done(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a)
{
	char sp[12], dp[12], seq[24], note[200];
	const char *prm[6];
	struct rows r = { .n = 0 };
	int i;
	snprintf(sp, sizeof sp, "%d", p->sport);
	snprintf(dp, sizeof dp, "%d", p->dport);
	num(seq, sizeof seq, p->tcp_seq);
	prm[0] = p->src; prm[1] = sp; prm[2] = p->dst; prm[3] = dp; prm[4] = seq; prm[5] = p->host;
	if (store_sql_params(s, "SELECT p.trace, s.path, (SELECT min(line) FROM (SELECT line FROM "
			     "event_rows WHERE packet_id = p.id UNION ALL SELECT line FROM steps WHERE "
			     "packet_id = p.id)), p.tcp_seq FROM packets p JOIN sources s ON s.id = p.source_id "
			     "WHERE p.proto = 6 AND p.src = ?1 AND p.sport = ?2 AND p.dst = ?3 AND "
			     "p.dport = ?4 AND (p.tcp_flags & 2) = 0 AND (p.tcp_flags & 16) != 0 AND "
			     "((p.tcp_seq - ?5 + 4294967296) % 4294967296) BETWEEN 1 AND 2147483647 AND "
			     "+p.host IS ?6 ORDER BY p.id LIMIT 1", prm, 6, take_row, &r))
		return -1;
	for (i = 0; i < r.n; i++) {
		snprintf(note, sizeof note, "packet %s (%s line %s) of the same connection, SEQ %s, "
			 "acknowledges the reply to this SYN: the handshake went on", r.v[i][0],
			 base_name(r.v[i][1]), r.v[i][2], r.v[i][3]);
		add_contra(a, "connection", r.v[i][1], strtol(r.v[i][2], NULL, 10), r.v[i][0], note);
	}
	return r.n;
}

/* A SYN whose connection conntrack lists as established went on. With a
 * kernel log of every namespace (any_netns) an entry may be another
 * namespace's connection of the same tuple: said, never a contradiction. */
struct ct_est {
	struct nl_analysis *a;
	int any_netns;
	struct nl_sysctl_row all_netns;
};

static int ct_established(void *ctx, const struct nl_flow *f, const char *file)
{
	struct ct_est *c = ctx;
	char note[200], ns[160] = "";
	if (f->assured <= 0 && strcmp(f->state, "ESTABLISHED") != 0)
		return 0;
	if (nl_ovs_userspace(f->netns)) {
		/* OVS's own tracker, which the packet may never have met */
		nl_diag(c->a, "the conntrack of Open vSwitch's userspace datapath %s (%s line %ld) lists "
			      "the connection %s%s: that is OVS's own table, not the kernel's, so natlog "
			      "does not take it as the kernel's word on this packet",
			nl_ovs_userspace(f->netns), base_name(file), f->line, f->state,
			f->assured > 0 ? " [ASSURED]" : "");
		return 0;
	}
	if (nl_ovs_unknown(f->netns)) {
		/* maybe the kernel's table, maybe OVS's own: no certainty */
		nl_diag(c->a, "an Open vSwitch conntrack dump that names no datapath (%s line %ld) lists "
			      "the connection %s%s: OVS dumps the only datapath there is, which may be "
			      "its userspace one, whose table is OVS's own, not the kernel's, so natlog "
			      "does not take it as the kernel's word on this packet; if it is the kernel "
			      "datapath's, this packet went on", base_name(file), f->line, f->state,
			f->assured > 0 ? " [ASSURED]" : "");
		return 0;
	}
	if (f->netns[0])
		snprintf(ns, sizeof ns, " in network namespace %s's table", f->netns);
	snprintf(note, sizeof note, "conntrack (%s line %ld) lists the connection %s%s%s",
		 base_name(file), f->line, f->state[0] ? f->state : "",
		 f->assured > 0 ? " [ASSURED]" : "", ns);
	if (!c->any_netns) {
		add_contra(c->a, "conntrack", file, f->line, "", note);
		return 0;
	}
	nl_diag(c->a, "%s, but net.netfilter.nf_log_all_netns = %s (%s line %ld): the kernel logs "
		      "every network namespace's lines, so natlog cannot tell whether this packet "
		      "was of the namespace whose table that is", note, c->all_netns.value,
		c->all_netns.file, c->all_netns.line);
	return 0;
}

/* Conntrack's entries of the SYN's connection, of its host's namespace:
 * a monitor's trace is of the namespace it ran in (p->netns, "" the
 * host's); the kernel log the host's unless it logs every namespace. */
static int ct_contradicts(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a)
{
	struct ct_est c;
	memset(&c, 0, sizeof c);
	c.a = a;
	if (strcmp(p->source, "nft-trace") && strcmp(p->source, "xtables-trace") &&
	    (c.any_netns = trust_log_all_netns(s, p->host, &c.all_netns)) < 0)
		return -1;
	return store_conntrack_for(s, c.any_netns, p->netns, p->proto, p->src, p->sport, p->dst,
				   p->dport, ct_established, &c);
}

int rl_contradictions(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a)
{
	const struct nl_step *d;
	int syn, before, rc = 0, i;
	int64_t rt = 0;
	char ev[600];
	size_t u = 0;
	if (!a->inferred || a->decided < 0 || a->n == 0 || a->steps_left_out ||
	    (strcmp(a->verdict, "drop") && strcmp(a->verdict, "reject")))
		return 0;
	d = &a->steps[a->decided];
	before = a->rl ? a->rl->ncontra : 0;
	if (seen_behind(s, a, d->hook) < 0)
		return -1;
	syn = p->proto == 6 && (p->tcp_flags & (NL_TCP_SYN | NL_TCP_ACK)) == NL_TCP_SYN;
	if (p->proto == 6 && p->tcp_seq >= 0 && (rt = retransmissions(s, p)) < 0)
		return -1;
	/* with retransmissions, one of the others may be the one that passed */
	if (p->proto == 6 && p->tcp_seq >= 0 && rt == 0) {
		if (acked(s, p, a) < 0 || (syn && handshake_done(s, p, a) < 0))
			return -1;
		if (syn && ct_contradicts(s, p, a))
			return -1;
	}
	if (!a->rl || a->rl->ncontra == before)
		return rc;
	for (i = before; i < a->rl->ncontra && u < sizeof ev - 1; i++) {
		int w = snprintf(ev + u, sizeof ev - u, "%s%s", i > before ? "; " : "",
				 a->rl->contra[i].note);
		u = w < 0 || (size_t)w >= sizeof ev - u ? sizeof ev - 1 : u + (size_t)w;
	}
	a->rl->contra_step = a->decided;
	/* the dropping rule is not shown as the one the packet hit */
	a->steps[a->decided].mismatch = 1;
	a->steps[a->decided].rule = NULL;
	a->steps[a->decided].rule_text = NULL;
	a->steps[a->decided].chain_policy = 0;
	snprintf(a->steps[a->decided].effect, sizeof a->steps[0].effect, "unknown");
	snprintf(a->steps[a->decided].why, sizeof a->steps[0].why,
		 "the dump says it %s the packet, yet later evidence shows the packet went on",
		 a->verdict[0] == 'r' ? "rejected" : "dropped");
	nl_diag(a, "by the dump, %s:%s:%s:%d %s this packet, yet %s: the dump does not match this "
		   "trace, so the verdict is unknown", d->ev.table, d->ev.chain, d->ev.type,
		d->ev.rulenum, a->verdict[0] == 'r' ? "rejected" : "dropped", ev);
	snprintf(a->verdict, sizeof a->verdict, "unknown");
	return rc;
}

/* ---- realignment (explain) ---- */

struct peer {
	struct nl_step *steps;
	size_t n;
	int contra;
	int64_t t_us;
	struct nl_logstart start;
};

struct peers {
	struct peer *v;
	size_t n, cap;
	struct nl_store *s;
	struct nl_rscache *rc;
	const char *want;	/* the trace id asked for (the lookup takes prefixes) */
	int64_t dump;		/* the dump chosen for the packet realigned */
};

#define RL_MAXPEERS 256

static int add_peer(struct peers *ps, struct nl_analysis *pa)
{
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		struct peer *v = realloc(ps->v, cap * sizeof *v);
		if (!v)
			return -1;
		ps->v = v;
		ps->cap = cap;
	}
	ps->v[ps->n].steps = pa->steps;
	ps->v[ps->n].n = pa->n;
	ps->v[ps->n].contra = pa->rl ? pa->rl->contra_step : -1;
	ps->v[ps->n].t_us = pa->t_us;
	ps->v[ps->n].start = pa->start;
	ps->n++;
	pa->steps = NULL;	/* the peer owns them now */
	pa->n = 0;
	return 0;
}

static int on_peer_row(void *ctx, const struct nl_packet_row *p)
{
	struct peers *ps = ctx;
	struct nl_analysis pa;
	if (ps->want && strcmp(p->trace, ps->want) != 0)
		return 0;
	if (analyze_packet(ps->s, p, ps->rc, &pa)) {
		analysis_free(&pa);
		return -1;
	}
	/* a packet that another dump of the host fits met another ruleset */
	if (pa.dump.fits && pa.dump.id != ps->dump) {
		analysis_free(&pa);
		return 0;
	}
	if (add_peer(ps, &pa)) {
		analysis_free(&pa);
		return -1;
	}
	analysis_free(&pa);
	return 0;
}

struct tracelist {
	char (*v)[40];
	size_t n, max;
};

static int on_trace_list(void *ctx, int ncol, const char *const *names, const char *const *vals,
			 const int *types)
{
	struct tracelist *tl = ctx;
	(void)names;
	(void)types;
	if (ncol >= 1 && vals[0] && tl->n < tl->max)
		nl_strlcpy(tl->v[tl->n++], vals[0], 40);
	return 0;
}

struct chainfit {
	struct fitctx c;
	const struct peers *ps;
	const char *table, *chain;
};

static int chain_fit(void *ctx, int k, int d)
{
	struct chainfit *cf = ctx;
	size_t i, j;
	int score = 0;
	char why[400];
	for (i = 0; i < cf->ps->n; i++) {
		struct peer *pe = &cf->ps->v[i];
		cf->c.steps = pe->steps;
		cf->c.n = pe->n;
		cf->c.contra = pe->contra;
		cf->c.t_us = pe->t_us;
		cf->c.start = &pe->start;
		for (j = 0; j < pe->n; j++) {
			const struct nl_step *st = &pe->steps[j];
			int r;
			if (st->ev.kind != NL_EV_TRACE || strcmp(st->ev.table, cf->table) ||
			    strcmp(st->ev.chain, cf->chain))
				continue;
			r = step_fit(&cf->c, j, k, d, why, sizeof why);
			if (r < 0)
				return -1;
			score += r;
		}
	}
	return score;
}

static int add_obs(int **obs, size_t *n, size_t *cap, int v)
{
	size_t i;
	for (i = 0; i < *n; i++)
		if ((*obs)[i] == v)
			return 0;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		int *o = realloc(*obs, c * sizeof *o);
		if (!o)
			return -1;
		*obs = o;
		*cap = c;
	}
	(*obs)[(*n)++] = v;
	return 0;
}

static void say_shift(struct nl_analysis *a, const struct nl_shift *sh)
{
	char where[64];
	int n = sh->d < 0 ? -sh->d : sh->d;
	if (sh->k_lo == sh->k_hi)
		snprintf(where, sizeof where, "position %d", sh->k_lo);
	else
		snprintf(where, sizeof where, "a position from %d to %d", sh->k_lo, sh->k_hi);
	if (sh->d > 0)
		nl_diag(a, "consistent with this dump if %d rule%s %s inserted at %s %s %s after the "
			   "trace (or deleted before it, after the dump): the trace's rule numbers from "
			   "there on are the dump's minus %d; the rules marked inferred are the ones the "
			   "trace most likely hit, not a fact (every traced step of %d packet%s fits)",
			n, n == 1 ? "" : "s", n == 1 ? "was" : "were", sh->table, sh->chain, where, n,
			sh->packets, sh->packets == 1 ? "" : "s");
	else
		nl_diag(a, "consistent with this dump if %d rule%s at %s %s %s %s deleted after the "
			   "trace (or inserted before it, after the dump): the trace's rule numbers past "
			   "%s are the dump's plus %d; the rules marked inferred are the ones the trace "
			   "most likely hit, not a fact (every traced step of %d packet%s fits)",
			n, n == 1 ? "" : "s", sh->table, sh->chain, where, n == 1 ? "was" : "were",
			n == 1 ? "it" : "them", n, sh->packets, sh->packets == 1 ? "" : "s");
}

/* A step the best shifts number differently from the dump is no fact:
 * which rule it hit depends on where the chain changed. */
static int doubt_steps(struct nl_analysis *a, struct chainfit *cf, const int *obs, size_t nobs,
		       const struct rl_best *best, const char *table, const char *chain)
{
	char *doubt = calloc(a->n ? a->n : 1, 1), why[NL_LOCSIZ + 160];
	size_t i;
	int k, d, maxn = 0, sc = -1;
	if (!doubt)
		return -1;
	for (i = 0; i < nobs; i++)
		maxn = obs[i] > maxn ? obs[i] : maxn;
	for (d = -RL_MAXSHIFT; d <= RL_MAXSHIFT; d++)
		for (k = 1; d && k <= maxn; k++) {
			/* as in rl_search, one fit per class of neighbouring k */
			if (k == 1 || !same_mapping(obs, nobs, k, d, k - 1, d))
				sc = same_mapping(obs, nobs, k, d, 1, 0) ? -1 : chain_fit(cf, k, d);
			if (sc != best->score)
				continue;
			for (i = 0; i < a->n; i++)
				doubt[i] |= a->steps[i].ev.kind == NL_EV_TRACE &&
					    !strcmp(a->steps[i].ev.table, table) &&
					    !strcmp(a->steps[i].ev.chain, chain) &&
					    rl_map(a->steps[i].ev.rulenum, k, d) != a->steps[i].ev.rulenum;
		}
	for (i = 0; i < a->n; i++) {
		struct nl_step *st = &a->steps[i];
		if (!doubt[i] || st->mismatch)
			continue;
		st->mismatch = 1;
		st->rule = NULL;
		st->rule_text = NULL;
		st->chain_policy = st->chain_end = 0;
		snprintf(st->effect, sizeof st->effect, "unknown");
		snprintf(why, sizeof why, "other traced steps of %s %s do not match the dump: which "
			 "rule this one hit depends on where the chain changed", table, chain);
		nl_strlcpy(st->why, why, sizeof st->why);
		nl_diag(a, "%s:%s:%s:%d: %s", table, chain, st->ev.type, st->ev.rulenum, why);
		if ((int)i == a->decided) {
			a->decided_rule_known = 0;
			if (a->inferred && strcmp(a->verdict, "unknown")) {
				nl_diag(a, "the verdict is unknown: the dump's reading of %s:%s:%s:%d (%s) "
					   "rests on a rule number the dump may have moved", table, chain,
					st->ev.type, st->ev.rulenum, a->verdict);
				snprintf(a->verdict, sizeof a->verdict, "unknown");
			}
		}
	}
	free(doubt);
	return 0;
}

static int realign_chain(struct nl_analysis *a, const struct nl_rsview *v, const struct nl_chain *ch,
			 const struct peers *ps, const char *table, const char *chain)
{
	struct chainfit cf;
	struct rl_best best;
	struct nl_realign *rl;
	struct nl_shift *sh;
	int *obs = NULL;
	size_t nobs = 0, cap = 0, i, j;
	memset(&cf, 0, sizeof cf);
	cf.c.v = v;
	cf.c.ch = ch;
	cf.c.s = ps->s;
	cf.ps = ps;
	cf.table = table;
	cf.chain = chain;
	if (chain_fit(&cf, 1, 0) >= 0)
		return 0;	/* the dump fits every traced step of this chain */
	for (i = 0; i < ps->n; i++)
		for (j = 0; j < ps->v[i].n; j++) {
			const struct nl_step *st = &ps->v[i].steps[j];
			if (st->ev.kind == NL_EV_TRACE && !strcmp(st->ev.table, table) &&
			    !strcmp(st->ev.chain, chain) && add_obs(&obs, &nobs, &cap, st->ev.rulenum)) {
				free(obs);
				return -1;
			}
		}
	rl_search(obs, nobs, chain_fit, &cf, &best);
	if (best.status != 0 && doubt_steps(a, &cf, obs, nobs, &best, table, chain)) {
		free(obs);
		return -1;
	}
	free(obs);
	if (best.status == 0) {
		nl_diag(a, "no single insertion or deletion of up to %d rules in %s %s makes every traced "
			   "step of that chain fit this dump", RL_MAXSHIFT, table, chain);
		return 0;
	}
	if (best.status < 0) {
		nl_diag(a, "several insertions or deletions in %s %s would make its traced steps fit this "
			   "dump equally well: natlog cannot tell which rule the trace hit", table, chain);
		return 0;
	}
	if (!(rl = rl_get(a)) || rl->nfound >= RL_MAXFOUND)
		return rl ? 0 : -1;
	sh = &rl->found[rl->nfound];
	nl_strlcpy(sh->table, table, sizeof sh->table);
	nl_strlcpy(sh->chain, chain, sizeof sh->chain);
	sh->k_lo = best.k_lo;
	sh->k_hi = best.k_hi;
	sh->d = best.d;
	sh->packets = (int)ps->n;
	for (i = 0; i < a->n; i++) {
		const struct nl_step *st = &a->steps[i];
		int P;
		if (st->ev.kind != NL_EV_TRACE || strcmp(st->ev.table, table) || strcmp(st->ev.chain, chain))
			continue;
		P = rl_map(st->ev.rulenum, best.k_lo, best.d);
		rl->shift_of[i] = rl->nfound;
		rl->inferred_pos[i] = P;
		if (P >= 1 && P <= ch->nrules) {
			rl->inferred[i] = ch->rules[P - 1].text;
		} else if (P == ch->nrules + 1) {
			snprintf(rl->policy_text[i], sizeof rl->policy_text[i], ch->builtin ? "policy %s"
				 : "(end of chain: back to the caller)", ch->policy[0] ? ch->policy : "?");
			rl->inferred[i] = rl->policy_text[i];
		}
	}
	say_shift(a, sh);
	rl->nfound++;
	return 0;
}

/* The deciding step (or, when none decided, the trace's last step) under
 * the realignment: the rule that most likely decided, inferred. */
static void say_decider(struct nl_analysis *a, const struct nl_rsview *v)
{
	const struct nl_realign *rl = a->rl;
	int i = a->decided >= 0 ? a->decided : (int)a->n - 1, known = 0, k;
	const struct nl_step *d = &a->steps[i];
	const struct nl_chain *ch;
	char cut[NL_LOCSIZ];
	if (!rl->inferred[i] || !d->mismatch || !(ch = rsview_find(v, d->ev.table, d->ev.chain, &known)))
		return;
	/* a trace that seemed cut ended on a rule the dump had moved */
	snprintf(cut, sizeof cut, "the verdict is unknown: the trace ends at %s:%s:%s:%d (", d->ev.table,
		 d->ev.chain, d->ev.type, d->ev.rulenum);
	for (k = 0; a->decided < 0 && k < a->ndiag; k++)
		if (!strncmp(a->diag[k], cut, strlen(cut))) {
			snprintf(a->diag[k], sizeof a->diag[k], "the verdict is unknown: the trace's last step "
				 "%s:%.100s:%s:%d does not match the dump, whose %s %.100s changed after the trace",
				 d->ev.table, d->ev.chain, d->ev.type, d->ev.rulenum, d->ev.table, d->ev.chain);
			break;
		}
	nl_diag(a, "under that realignment %s:%s:%s:%d%s is the dump's %s %d: %s (inferred, not a fact)",
		d->ev.table, d->ev.chain, d->ev.type, d->ev.rulenum,
		a->decided >= 0 ? "" : ", the trace's last step,",
		rl->inferred_pos[i] > ch->nrules ? "chain end" : "rule", rl->inferred_pos[i],
		rl->inferred[i]);
}

/* The packet's traced chains as "\ntable:chain\n..." for instr(). */
static char *chain_keys(const struct nl_analysis *a)
{
	size_t i, len = 1, cap = 256;
	char *k = malloc(cap), key[NL_LOCSIZ];
	if (!k)
		return NULL;
	k[0] = '\n';
	k[1] = '\0';
	for (i = 0; i < a->n; i++) {
		const struct nl_step *st = &a->steps[i];
		size_t kl;
		if (st->ev.kind != NL_EV_TRACE)
			continue;
		snprintf(key, sizeof key, "\n%s:%s\n", st->ev.table, st->ev.chain);
		if (strstr(k, key))
			continue;
		kl = strlen(key);
		if (len + kl > cap) {
			char *g = realloc(k, (cap = 2 * (len + kl)));
			if (!g) {
				free(k);
				return NULL;
			}
			k = g;
		}
		memcpy(k + len, key + 1, kl);	/* its leading newline is k's last byte */
		len += kl - 1;
	}
	return k;
}

/* The traced packets of the host nearest in import order that passed one
 * of the same chains: up to RL_MAXPEERS, within 20000 ids either side.
 * Windows widen only when the narrower one had too few, and the nearest
 * in a window are the nearest overall once it has enough. The tables are
 * read, not the events view, whose names would be joined for every row
 * of the range. */
static int list_peers(struct nl_store *s, const struct nl_analysis *a, const char **prm3,
		      struct tracelist *tl)
{
	static const char *const win[] = { "1536", "6144", "20000" };
	const char *prm[5];
	size_t w;
	char *keys = chain_keys(a);
	int rc = 0;
	if (!keys)
		return -1;
	prm[0] = prm3[0];
	prm[1] = prm3[1];
	prm[2] = prm3[2];
	prm[3] = keys;
	for (w = 0; w < sizeof win / sizeof win[0] && rc == 0; w++) {
		tl->n = 0;
		prm[4] = win[w];
		rc = store_sql_params(s,
			"SELECT p.trace FROM packets p WHERE p.id BETWEEN ?3 - ?5 AND ?3 + ?5 AND "
			"p.id != ?3 AND p.source = 'iptables-trace' AND p.family = ?1 AND +p.host IS ?2 AND "
			"(EXISTS (SELECT 1 FROM event_rows e WHERE e.packet_id = p.id AND e.kind = 'trace' "
			"AND instr(?4, char(10) || e.tbl || ':' || e.chain || char(10))) OR "
			"EXISTS (SELECT 1 FROM steps t WHERE t.packet_id = p.id AND t.kind = (SELECT id "
			"FROM names WHERE name = 'trace') AND instr(?4, char(10) || (SELECT name FROM "
			"names WHERE id = t.tbl) || ':' || (SELECT name FROM names WHERE id = t.chain) || "
			"char(10)))) ORDER BY abs(p.id - ?3), p.id LIMIT 256", prm, 5, on_trace_list, tl);
		if (tl->n >= tl->max)
			break;
	}
	free(keys);
	return rc;
}

int rl_explain(struct nl_store *s, const struct nl_packet_row *p, struct nl_rscache *rc,
	       struct nl_analysis *a)
{
	struct peers ps;
	struct tracelist tl = { NULL, 0, RL_MAXPEERS };
	struct nl_realign *rl;
	struct nl_analysis self;
	char fam[8], id[24];
	const char *prm[3];
	size_t i, j;
	int ret = 0;
	if (strcmp(p->source, "iptables-trace") != 0 || a->n == 0 || a->steps_left_out || !rc->v.ndumps)
		return 0;
	/* where no traced step of the host ever contradicted the dump, nor
	 * this packet's own, every chain fits: no neighbours to read */
	for (i = 0; i < a->n && !a->steps[i].mismatch; i++)
		;
	if (i == a->n && a->dump.candidates <= 1) {
		char *keys = chain_keys(a);
		int doubted = keys ? store_doubted(s, p->host, p->family, keys) : -1;
		free(keys);
		if (doubted <= 0)
			return doubted;
	}
	if (!(rl = rl_get(a)))
		return -1;
	rl->nsteps = a->n;
	rl->shift_of = malloc(a->n * sizeof *rl->shift_of);
	rl->inferred_pos = calloc(a->n, sizeof *rl->inferred_pos);
	rl->inferred = calloc(a->n, sizeof *rl->inferred);
	rl->policy_text = calloc(a->n, sizeof *rl->policy_text);
	if (!rl->shift_of || !rl->inferred_pos || !rl->inferred || !rl->policy_text)
		return -1;
	for (i = 0; i < a->n; i++)
		rl->shift_of[i] = -1;
	/* the other traced packets of the host that passed the same chains */
	snprintf(fam, sizeof fam, "%d", p->family);
	snprintf(id, sizeof id, "%lld", (long long)p->id);
	prm[0] = fam;
	prm[1] = p->host;
	prm[2] = id;
	if (!(tl.v = malloc(RL_MAXPEERS * sizeof *tl.v)))
		return -1;
	if (list_peers(s, a, prm, &tl)) {
		free(tl.v);
		return -1;
	}
	memset(&ps, 0, sizeof ps);
	ps.s = s;
	ps.rc = rc;
	ps.dump = a->dump.id;
	/* this packet first, as analysed (its steps are copied) */
	memset(&self, 0, sizeof self);
	self.steps = malloc(a->n * sizeof *self.steps);
	if (!self.steps) {
		free(tl.v);
		return -1;
	}
	memcpy(self.steps, a->steps, a->n * sizeof *self.steps);
	self.n = a->n;
	self.rl = NULL;
	self.t_us = a->t_us;
	if (add_peer(&ps, &self)) {
		free(self.steps);
		ret = -1;
	}
	for (i = 0; !ret && i < tl.n; i++) {
		ps.want = tl.v[i];
		if (store_packets_by_trace(s, tl.v[i], on_peer_row, &ps) < 0)
			ret = -1;
	}
	if (!ret && ps.n)
		ps.v[0].contra = rl->contra_step;
	/* the peers are of this host and family: the rules were not reloaded;
	 * the chains are read in the dump chosen for this packet */
	rc->v.prefer = a->dump.id;
	for (i = 0; !ret && i < a->n; i++) {
		const struct nl_step *st = &a->steps[i];
		int known = 0, seen = 0;
		const struct nl_chain *ch;
		if (st->ev.kind != NL_EV_TRACE)
			continue;
		for (j = 0; j < i; j++)
			seen |= a->steps[j].ev.kind == NL_EV_TRACE &&
				!strcmp(a->steps[j].ev.table, st->ev.table) &&
				!strcmp(a->steps[j].ev.chain, st->ev.chain);
		if (seen || !(ch = rsview_find(&rc->v, st->ev.table, st->ev.chain, &known)))
			continue;
		if (ch->sparse) {
			nl_sparse_diag(a, ch, "search it for rules inserted or deleted after the trace");
			continue;
		}
		ret = realign_chain(a, &rc->v, ch, &ps, st->ev.table, st->ev.chain);
	}
	for (i = 0; i < ps.n; i++)
		free(ps.v[i].steps);
	free(ps.v);
	free(tl.v);
	if (!ret)
		say_decider(a, &rc->v);
	rc->v.prefer = 0;
	return ret;
}

void rl_free(struct nl_analysis *a)
{
	if (!a->rl)
		return;
	free(a->rl->shift_of);
	free(a->rl->inferred_pos);
	free(a->rl->inferred);
	free(a->rl->policy_text);
	free(a->rl);
	a->rl = NULL;
}

/* ---- stored verdicts under the realignment ---- */

static int doubt_add(struct rl_doubts *d, const struct rl_doubt *x)
{
	size_t i;
	for (i = 0; i < d->n; i++)
		if (d->v[i].family == x->family && !strcmp(d->v[i].host, x->host) &&
		    !strcmp(d->v[i].table, x->table) && !strcmp(d->v[i].chain, x->chain))
			return 0;
	if (d->n >= RL_MAXDOUBTS || strlen(x->table) + 1 >= sizeof x->table ||
	    strlen(x->chain) + 1 >= sizeof x->chain || strlen(x->host) + 1 >= sizeof x->host) {
		d->overflow = 1;	/* not noted, or a name that may be cut */
		return 0;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct rl_doubt *v = realloc(d->v, cap * sizeof *v);
		if (!v)
			return -1;
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = *x;
	return 0;
}

int rl_doubts_note(struct rl_doubts *d, const struct nl_packet_row *p, const struct nl_analysis *a)
{
	struct rl_doubt x;
	size_t i;
	if (strcmp(p->source, "iptables-trace") != 0)
		return 0;
	for (i = 0; i < a->n; i++) {
		const struct nl_step *st = &a->steps[i];
		if (st->ev.kind != NL_EV_TRACE || !st->mismatch)
			continue;
		nl_strlcpy(x.host, p->host, sizeof x.host);
		nl_strlcpy(x.table, st->ev.table, sizeof x.table);
		nl_strlcpy(x.chain, st->ev.chain, sizeof x.chain);
		x.family = p->family;
		if (doubt_add(d, &x))
			return -1;
	}
	return 0;
}

int rl_doubts_merge(struct rl_doubts *into, const struct rl_doubts *from)
{
	size_t i;
	into->overflow |= from->overflow;
	for (i = 0; i < from->n; i++)
		if (doubt_add(into, &from->v[i]))
			return -1;
	return 0;
}

void rl_doubts_free(struct rl_doubts *d)
{
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
	d->overflow = 0;
}

int rl_doubts_keep(struct nl_store *s, const struct rl_doubts *d)
{
	size_t i;
	if (d->overflow && store_doubt_add(s, NULL, 0, NULL, NULL))
		return -1;
	for (i = 0; i < d->n; i++)
		if (store_doubt_add(s, d->v[i].host, d->v[i].family, d->v[i].table, d->v[i].chain))
			return -1;
	return 0;
}

struct rowlist {
	struct nl_packet_row *v;
	size_t n, cap;
};

static int on_row(void *ctx, const struct nl_packet_row *p)
{
	struct rowlist *r = ctx;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct nl_packet_row *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *p;
	return 0;
}

/* The stored verdict differs from the one the analysis gives now. */
static int restated(const struct nl_packet_row *was, const struct nl_packet_row *now)
{
	return strcmp(was->verdict, now->verdict) || was->has_decided != now->has_decided ||
	       was->has_decided_rule != now->has_decided_rule ||
	       (now->has_decided_rule && strcmp(was->decided_rule, now->decided_rule));
}

int rl_restate(struct nl_store *s, struct nl_rscache *rc, const struct rl_doubts *d,
	       int64_t *changed, int64_t *cut)
{
	struct tracelist tl = { NULL, 0, (size_t)1 << 20 };
	const char *env = getenv("NATLOG_RESTATE_MAX");
	size_t budget = env && *env ? (size_t)strtoul(env, NULL, 10) : RL_MAXRESTATE;
	struct rowlist rows = { NULL, 0, 0 };
	size_t i, j;
	int ret = 0;
	*changed = *cut = 0;
	if (d->n && !(tl.v = malloc(tl.max * sizeof *tl.v)))
		return -1;
	for (i = 0; !ret && i < d->n; i++) {
		char fam[8];
		const char *prm[4];
		snprintf(fam, sizeof fam, "%d", d->v[i].family);
		prm[0] = d->v[i].host;
		prm[1] = fam;
		prm[2] = d->v[i].table;
		prm[3] = d->v[i].chain;
		tl.n = 0;
		if (store_sql_params(s, "SELECT trace FROM packets WHERE source = 'iptables-trace' AND "
				     "analyzed = 1 AND verdict_inferred = 1 AND verdict != 'unknown' AND "
				     "host IS ?1 AND family = ?2 AND decided_table = ?3 AND "
				     "decided_chain = ?4 ORDER BY id", prm, 4, on_trace_list, &tl)) {
			ret = -1;
			break;
		}
		if (tl.n > budget) {
			*cut += (int64_t)(tl.n - budget);
			tl.n = budget;
		}
		budget -= tl.n;
		/* read first, analysed after: no store writes while a query runs */
		for (j = 0; !ret && j < tl.n; j++) {
			struct nl_analysis a;
			struct nl_packet_row now;
			rows.n = 0;
			if (store_packets_by_trace(s, tl.v[j], on_row, &rows) < 0) {
				ret = -1;
				break;
			}
			if (rows.n != 1)
				continue;
			rscache_trim(rc);
			if (analyze_packet(s, &rows.v[0], rc, &a) || rl_explain(s, &rows.v[0], rc, &a)) {
				analysis_free(&a);
				ret = -1;
				break;
			}
			now = rows.v[0];
			analysis_summary(&a, &now);
			analysis_free(&a);
			if (restated(&rows.v[0], &now)) {
				ret = store_packet_analysis(s, &now, a.hits.bad ? NULL : a.hits.s);
				++*changed;
			}
		}
	}
	free(tl.v);
	free(rows.v);
	return ret;
}

void rl_say_cut(int64_t cut)
{
	fprintf(stderr, "natlog: %lld verdict%s decided in chains whose traced steps do not "
			"match the dump %s not checked against the realignment 'explain' shows "
			"(the first %d are, per import): 'traces' and 'summary' give %s as the "
			"dump reads %s; 'explain' gives the realigned reading\n",
		(long long)cut, cut == 1 ? "" : "s",
		cut == 1 ? "was" : "were", RL_MAXRESTATE,
		cut == 1 ? "it" : "them", cut == 1 ? "it" : "them");
}

/* ---- output ---- */

void rl_text_step(const struct nl_analysis *a, size_t i, const char *dim, const char *off)
{
	const struct nl_realign *rl = a->rl;
	const struct nl_shift *sh;
	if (!rl || i >= rl->nsteps || !rl->shift_of || rl->shift_of[i] < 0)
		return;
	sh = &rl->found[rl->shift_of[i]];
	if (!a->steps[i].mismatch && rl->inferred_pos[i] == a->steps[i].ev.rulenum)
		return;
	if (rl->inferred[i])
		printf("    %s  inferred: %s  (the dump's %s %d, if %d rule%s %s at %s position %d)%s\n",
		       dim, nl_esc(rl->inferred[i]), rl->inferred_pos[i] > (int)0 &&
		       !strncmp(rl->inferred[i], "policy ", 7) ? "chain end" : "rule", rl->inferred_pos[i],
		       sh->d < 0 ? -sh->d : sh->d, (sh->d < 0 ? -sh->d : sh->d) == 1 ? " was" : "s were",
		       sh->d < 0 ? "deleted" : "inserted", sh->chain, sh->k_lo, off);
	else
		printf("    %s  inferred: not in this dump (deleted after the trace, if %d rule%s deleted "
		       "at %s position %d)%s\n", dim, -sh->d, -sh->d == 1 ? " was" : "s were", sh->chain,
		       sh->k_lo, off);
}

static void json_shift(FILE *f, const struct nl_shift *sh)
{
	fputs("{\"table\": ", f);
	jw_str_always(f, sh->table);
	fputs(", \"chain\": ", f);
	jw_str_always(f, sh->chain);
	fprintf(f, ", \"position\": %d, \"position_max\": %d, \"shift\": %d, \"packets\": %d}",
		sh->k_lo, sh->k_hi, sh->d, sh->packets);
}

void rl_json_step(FILE *f, const struct nl_analysis *a, size_t i)
{
	const struct nl_realign *rl = a->rl;
	int has = rl && i < rl->nsteps && rl->shift_of && rl->shift_of[i] >= 0 &&
		  (a->steps[i].mismatch || rl->inferred_pos[i] != a->steps[i].ev.rulenum);
	fputs(", \"inferred_rule\": ", f);
	if (has && rl->inferred[i])
		jw_str_always(f, rl->inferred[i]);
	else
		fputs("null", f);
	fputs(", \"inferred_position\": ", f);
	if (has && rl->inferred_pos[i] > 0)
		fprintf(f, "%d", rl->inferred_pos[i]);
	else
		fputs("null", f);
	fputs(", \"realignment\": ", f);
	if (has)
		json_shift(f, &rl->found[rl->shift_of[i]]);
	else
		fputs("null", f);
}

void rl_json(FILE *f, const struct nl_analysis *a)
{
	const struct nl_realign *rl = a->rl;
	int i;
	fputs(", \"contradictions\": [", f);
	for (i = 0; rl && i < rl->ncontra; i++) {
		const struct nl_contra *c = &rl->contra[i];
		fputs(i ? ", {\"kind\": " : "{\"kind\": ", f);
		jw_str_always(f, c->kind);
		fputs(", \"file\": ", f);
		jw_str_always(f, c->file);
		fprintf(f, ", \"line\": %ld, \"trace\": ", c->line);
		if (c->trace[0])
			jw_str_always(f, c->trace);
		else
			fputs("null", f);
		fputs(", \"note\": ", f);
		jw_str_always(f, c->note);
		fputc('}', f);
	}
	fputs("], \"realignments\": [", f);
	for (i = 0; rl && i < rl->nfound; i++) {
		fputs(i ? ", " : "", f);
		json_shift(f, &rl->found[i]);
	}
	fputc(']', f);
}
