/*
 * dumps.c - a bundle often holds two dumps of one host (before and after
 * a change, a save and a listing): each packet is explained with the one
 * its trace fits (every step fits the rule it names, no counter below
 * it), the closest in time among several, and says which and why. Also
 * the time a dump was taken, and ruleset changes a monitor recorded:
 * those after the packet are undone on the chosen dump (rewind.c).
 */
#include "natlog.h"
#include "analyze.h"
#include "cursor.h"
#include "dumps.h"
#include "realign.h"
#include "rewind.h"
#include "timespec.h"
#include "jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int dumps_member_time(struct nl_store *s, int64_t ruleset_id, int64_t mtime)
{
	char iso[48];
	time_t t = (time_t)mtime;
	struct tm tm;
	if (mtime <= 0 || ruleset_id <= 0 || !gmtime_r(&t, &tm))
		return 0;
	strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return store_ruleset_time(s, ruleset_id, iso, mtime * 1000000, "mtime");
}

/* Forgets what one run over the steps concluded, so another dump can be
 * tried on the same steps. */
static void reset_run(struct nl_analysis *a)
{
	size_t i;
	for (i = 0; i < a->n; i++) {
		struct nl_step *st = &a->steps[i];
		st->hook = 0;
		st->rule = NULL;
		st->chain = NULL;
		st->rule_text = NULL;
		st->policy_text[0] = st->effect[0] = st->why[0] = '\0';
		st->chain_policy = st->chain_end = st->mismatch = 0;
		st->position = st->ev.kind == NL_EV_TRACE ? st->ev.rulenum : -1;
		st->rewound = 0;
	}
	a->nnat = a->ndiag = 0;
	a->verdict[0] = '\0';
	a->inferred = a->decided_rule_known = 0;
	a->decided = -1;
	rl_free(a);	/* the contradictions found with another dump */
}

static void step_label(const struct nl_step *st, char *buf, size_t n)
{
	if (st->ev.kind == NL_EV_TRACE)
		snprintf(buf, n, "%s:%s:%s:%d", st->ev.table, st->ev.chain, st->ev.type, st->ev.rulenum);
	else if (st->ev.handle >= 0)
		snprintf(buf, n, "%s %s %s handle %lld", st->ev.nft_family, st->ev.table, st->ev.chain,
			 (long long)st->ev.handle);
	else
		snprintf(buf, n, "%s %s %s %s", st->ev.nft_family, st->ev.table, st->ev.chain,
			 st->ev.type);
}

/* How many steps the run found contradicted by the dump, and which. A
 * drop the packet went past is one too. */
static int contradictions(const struct nl_analysis *a, char *list, size_t n)
{
	size_t i, used = 0;
	int k = 0;
	char one[NL_LOCSIZ];
	list[0] = '\0';
	for (i = 0; i < a->n; i++) {
		const struct nl_step *st = &a->steps[i];
		int bad = st->mismatch;
		if (!bad && i + 1 < a->n && (!strcmp(st->effect, "drop") || !strcmp(st->effect, "reject")))
			bad = 1;
		if (!bad)
			continue;
		if (k++ < 4 && used + 2 < n) {
			step_label(st, one, sizeof one);
			snprintf(list + used, n - used, "%sstep %zu (%.200s)", used ? ", " : "", i + 1, one);
			used = strlen(list);
		}
	}
	if (k > 4 && used + 2 < n)
		snprintf(list + used, n - used, " and %d more", k - 4);
	return k;
}

/* The packet's first step on the epoch clock, or -1; a syslog time
 * without a year is placed in the year closest to ref_us (a dump's time;
 * -1: none). */
static int64_t packet_time(struct nl_store *s, const struct nl_analysis *a, int64_t ref_us)
{
	const struct nl_event *e;
	int64_t boot;
	if (a->n == 0)
		return -1;
	e = &a->steps[0].ev;
	if (e->wall_us >= 0)
		return e->wall_us;
	if (e->time[0] && nl_time_wall_us(e->time) >= 0)	/* dmesg -T */
		return nl_time_wall_us(e->time);
	boot = e->uptime < 0 ? -1 : store_boot_time(s, e->host[0] ? e->host : NULL);
	if (boot >= 0)
		return boot + (int64_t)(e->uptime * 1e6 + 0.5);
	return e->time[0] ? nl_time_near_us(e->time, ref_us) : -1;
}

struct cand {
	int64_t id;
	long later;		/* line of a monitor's "add rule" after the packet it holds, or 0 */
	struct nl_dump_info info;
	char contra[400];
	int bad;
	int have_info;
	int others;		/* another packet's trace contradicts it */
};

/* Time class of a candidate: 0 taken before the packet, 1 after, 2 not
 * known; and the distance in time within the class. */
static int tclass(const struct cand *c, int64_t t, int64_t *dist)
{
	*dist = 0;
	if (t < 0 || !c->have_info || c->info.time_us < 0)
		return c->later ? 3 : 2;	/* 3: it holds a rule added after the packet */
	if (c->info.time_us <= t) {
		*dist = t - c->info.time_us;
		return 0;
	}
	*dist = c->info.time_us - t;
	return 1;
}

/* Does dump c hold a rule that the monitor recorded being added after the
 * packet ("add rule inet filter forward ... # handle 6" further down the
 * trace's own file)? Then the dump was taken after that change. */
struct later_ctx {
	const struct nl_rsview *v;
	struct cand *c;
};

static int later_cb(void *ctx, long line, const char *text)
{
	struct later_ctx *l = ctx;
	char fam[16], tbl[64], chain[NL_CHAINSIZ];
	const char *h = strstr(text, " # handle ");
	long long handle;
	int unread;
	struct nl_cur c;
	uint64_t hv;
	if (strncmp(text, "add rule ", 9) || !h || sscanf(text + 9, "%15s %63s %255s", fam, tbl, chain) != 3)
		return 0;
	c = cur_make(h + 10, strlen(h + 10));
	if (!cur_u64(&c, INT64_MAX, &hv))
		return 0;
	handle = (long long)hv;
	{
		const struct nl_chain *ch = rsview_chain(l->v, l->c->id, fam, tbl, chain);
		const struct nl_vrule *r = ch ? rsview_rule_at(l->v, ch, 0, handle, &unread) : NULL;
		if (r && rewind_same_rule(r->text, rewind_rule_start(text + 9 + strlen(fam) +
					  strlen(tbl) + strlen(chain) + 3), h)) {
			l->c->later = line;
			return 1;
		}
	}
	return 0;
}

static int mark_later(struct nl_store *s, const struct nl_rsview *v, const struct nl_analysis *a,
		      struct cand *c)
{
	struct later_ctx l = { v, c };
	const struct nl_step *last;
	if (a->n == 0)
		return 0;
	last = &a->steps[a->n - 1];
	if (last->ev.kind != NL_EV_NFTRACE)
		return 0;
	return store_changes_after(s, last->file, last->ev.line, later_cb, &l);
}

/* Is x a better choice than y? Fewer contradictions; then taken before
 * the packet, the closer the better; then after it, the closer the
 * better; without times, one no other packet's trace contradicts; then
 * the view's order (same host, saves, the last imported). */
static int better(const struct cand *x, const struct cand *y, int64_t t)
{
	int64_t dx, dy;
	int cx, cy;
	if (x->bad != y->bad)
		return x->bad < y->bad;
	cx = tclass(x, t, &dx);
	cy = tclass(y, t, &dy);
	if (cx != cy)
		return cx < cy;
	if (cx >= 2)
		return x->others < y->others;
	return dx < dy;
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/'), *c = strrchr(path, ':');
	if (c && (!b || c > b))
		b = c;
	return b ? b + 1 : path;
}

static void say_why(struct nl_dumpsel *d, const struct cand *c, int n, int nfit, int64_t t,
		    int other_later, int others_decide)
{
	int64_t dist;
	int cls = tclass(c, t, &dist);
	char whose[200];
	/* a namespace's packet was tried on that namespace's dumps alone */
	if (d->netns[0])
		snprintf(whose, sizeof whose, "network namespace %.128s", d->netns);
	else
		snprintf(whose, sizeof whose, "this host and family");
	if (!c->bad && nfit > 1 && cls >= 2 && others_decide) {
		snprintf(d->why, sizeof d->why, "the trace fits %d of the %d dumps and their times are "
			 "not known; this one is the one the traces of other packets of this host do not "
			 "contradict", nfit, n);
		return;
	}
	if (n == 1) {
		snprintf(d->why, sizeof d->why, "the only dump of %s; the trace %s it",
			 whose, c->bad ? "contradicts" : "fits");
		return;
	}
	if (c->bad) {
		snprintf(d->why, sizeof d->why, "none of the %d dumps of %s fits the "
			 "trace; this one contradicts it least (%d step%s)", n, whose, c->bad,
			 c->bad == 1 ? "" : "s");
		return;
	}
	if (nfit == 1) {
		snprintf(d->why, sizeof d->why, "the only one of the %d dumps of %s "
			 "that the trace fits", n, whose);
		return;
	}
	if (cls == 0)
		snprintf(d->why, sizeof d->why, "the trace fits %d of the %d dumps; this one was taken "
			 "%.1f s before the packet, the closest before it", nfit, n, (double)dist / 1e6);
	else if (cls == 1)
		snprintf(d->why, sizeof d->why, "the trace fits %d of the %d dumps and none was taken "
			 "before the packet; this one was taken %.1f s after it, the closest", nfit, n,
			 (double)dist / 1e6);
	else if (cls == 3)
		snprintf(d->why, sizeof d->why, "the trace fits %d of the %d dumps, but all hold rules "
			 "the monitor recorded being added after the packet; this one comes first in "
			 "natlog's order (a save before a listing, then the last imported)", nfit, n);
	else
		snprintf(d->why, sizeof d->why, "the trace fits %d of the %d dumps and their times are "
			 "not known; this one comes first in natlog's order (a save before a listing, "
			 "then the last imported)%s", nfit, n, other_later ? ", over those holding rules the monitor "
			 "recorded being added after the packet" : "");
}

/* The run again on the chosen dump rebuilt to the packet's time, when
 * the monitor recorded rule changes after its trace that can be undone. */
static int rewound_run(struct nl_store *s, const struct nl_packet_row *p, struct nl_rsview *v,
		       struct nl_analysis *a, int64_t id, struct cand *c, nl_analyze_fn fn)
{
	struct nl_dumpsel *d = &a->dump;
	struct nl_rewind_result res;
	struct nl_rewind *rw;
	size_t i;
	if (rewind_build(s, a, v, id, &rw, &res))
		return -1;
	nl_strlcpy(d->not_rewound, res.why, sizeof d->not_rewound);
	if (!rw)
		return 0;
	reset_run(a);
	d->rw = rw;
	if (fn(s, a, p, rewind_view(rw), 1))
		return -1;
	for (i = 0; i < a->n; i++)
		a->steps[i].rewound = rewind_changed(rw, a->steps[i].chain);
	d->rewound = res.undone;
	d->rewound_from = res.from;
	d->rewound_to = res.to;
	nl_strlcpy(d->rewound_file, a->steps[a->n - 1].file, sizeof d->rewound_file);
	c->bad = contradictions(a, c->contra, sizeof c->contra);
	return 0;
}

void dumps_free(struct nl_analysis *a)
{
	rewind_free(a->dump.rw);
	a->dump.rw = NULL;
}

static int time_order(const void *x, const void *y)
{
	const struct nl_dumptime *a = x, *b = y;
	if (a->time_us != b->time_us)
		return a->time_us < b->time_us ? -1 : 1;
	return a->at < b->at ? -1 : a->at > b->at;
}

static int index_order(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return a < b ? -1 : a > b;
}

/* Of a host's many dumps, the NL_MAXDUMPS taken nearest to the packet,
 * in the view's order, into ids: 1 when times chose them, 0 when the
 * view's first ones were taken (the packet's time or the dumps' not
 * known, or no memory to sort them). */
static int nearest_dumps(struct nl_store *s, struct nl_analysis *a, struct nl_rsview *v,
			 int64_t *ids)
{
	size_t pick[NL_MAXDUMPS], np = 0, i, lo, hi;
	int64_t t;
	/* once per view: its dumps do not change (without memory, in order) */
	if (!v->by_time && (v->by_time = malloc(v->ndumps * sizeof *v->by_time)) != NULL) {
		for (i = 0, v->nby_time = 0; i < v->ndumps; i++)
			if (v->dumps[i].time_us >= 0) {
				v->by_time[v->nby_time].time_us = v->dumps[i].time_us;
				v->by_time[v->nby_time++].at = i;
			}
		qsort(v->by_time, v->nby_time, sizeof *v->by_time, time_order);
	}
	t = v->by_time && v->nby_time ? packet_time(s, a, v->by_time[0].time_us) : -1;
	if (t < 0) {
		for (i = 0; i < NL_MAXDUMPS; i++)
			ids[i] = v->dumps[i].id;
		return 0;
	}
	/* outwards from the packet's time, the nearer side first */
	for (hi = 0; hi < v->nby_time && v->by_time[hi].time_us < t; hi++)
		;
	lo = hi;
	while (np < NL_MAXDUMPS && (lo > 0 || hi < v->nby_time)) {
		if (hi == v->nby_time ||
		    (lo > 0 && t - v->by_time[lo - 1].time_us <= v->by_time[hi].time_us - t))
			pick[np++] = v->by_time[--lo].at;
		else
			pick[np++] = v->by_time[hi++].at;
	}
	/* fewer timed than tried: the untimed ones, in the view's order */
	for (i = 0; np < NL_MAXDUMPS && i < v->ndumps; i++)
		if (v->dumps[i].time_us < 0)
			pick[np++] = i;
	qsort(pick, np, sizeof pick[0], index_order);
	for (i = 0; i < np; i++)
		ids[i] = v->dumps[pick[i]].id;
	return 1;
}

/* Legacy TRACE lines come from iptables-legacy's tables alone: a dump whose
 * file iptables-nft wrote with its warning that legacy tables are present
 * may not hold the rules they hit. Looked up once per dump of the view. */
static int legacy_warned(struct nl_store *s, struct nl_rsview *v, struct nl_analysis *a,
			 int64_t id, int contradicted)
{
	size_t i;
	for (i = 0; i < v->ndumps && v->dumps[i].id != id; i++)
		;
	if (i == v->ndumps)
		return 0;
	if (v->dumps[i].legacy_line < 0 &&
	    (v->dumps[i].legacy_line = store_dump_legacy_line(s, id)) < 0)
		return -1;
	if (v->dumps[i].legacy_line > 0) {
		struct nl_dump_info info;
		int r = store_dump_info(s, id, &info);
		if (r < 0)
			return -1;
		nl_diag(a, "%s says at line %ld that iptables-legacy tables are present: a listing "
			   "iptables-nft printed there holds its own tables, not the legacy ones that "
			   "legacy TRACE lines come from; import iptables-legacy-save (or "
			   "iptables-legacy -L) output to explain them", r ? base_name(info.path) : "the dump",
			v->dumps[i].legacy_line);
		/* contradicted too: its verdict is iptables-nft's guess */
		if (contradicted && a->decided >= 0) {
			nl_diag(a, "the verdict is unknown: the trace contradicts that dump, whose "
				   "tables may not be the ones traced");
			snprintf(a->verdict, sizeof a->verdict, "unknown");
			a->decided = -1;
			a->decided_rule_known = 0;
		}
	}
	return 0;
}

int dumps_choose(struct nl_store *s, const struct nl_packet_row *p, struct nl_rsview *v,
		 struct nl_analysis *a, int nft, nl_analyze_fn fn)
{
	struct cand c[NL_MAXDUMPS], chosen;
	struct nl_dumpsel *d = &a->dump;
	int64_t ids[NL_MAXDUMPS] = { 0 };
	size_t i;
	int n = 0, k, best = 0, nfit = 0, later = 0, others = 0, tie = 0, nearest = 0;
	int64_t t = -1, dist0;
	memset(d, 0, sizeof *d);
	if (nft)
		nl_strlcpy(d->netns, p->netns, sizeof d->netns);
	/* more dumps than are tried: those nearest in time to the packet */
	if (v->ndumps > NL_MAXDUMPS)
		nearest = nearest_dumps(s, a, v, ids);
	for (i = 0; i < v->ndumps && n < NL_MAXDUMPS; i++) {
		memset(&c[n], 0, sizeof c[n]);
		c[n].id = v->ndumps > NL_MAXDUMPS ? ids[n] : v->dumps[i].id;
		n++;
	}
	d->candidates = n;
	d->dumps = (int)v->ndumps;
	if (v->nbounded && a->t_us < 0)	/* for the dumps' counters */
		a->t_us = packet_time(s, a, v->bounded_until[0]);
	if (n == 0) {
		v->prefer = 0;
		if (fn(s, a, p, v, nft))
			return -1;
		if (d->netns[0])	/* the host's dumps are not its ruleset */
			snprintf(d->why, sizeof d->why, "no ruleset dump of network namespace %.128s "
				 "(ip netns exec %.128s nft list ruleset) was imported; the host's are "
				 "not the ruleset this packet met", d->netns, d->netns);
		else
			snprintf(d->why, sizeof d->why, "%s",
				 nft ? "no nft ruleset dump (nft list ruleset, nft -j list ruleset) of "
				       "this host was imported; iptables-save dumps are not read for nft "
				       "and xtables traces"
				     : "no ruleset dump of this host and family was imported");
		return 0;
	}
	for (k = 0; k < n; k++) {
		reset_run(a);
		v->prefer = c[k].id;
		if (fn(s, a, p, v, nft))
			return -1;
		c[k].bad = contradictions(a, c[k].contra, sizeof c[k].contra);
		nfit += !c[k].bad;
	}
	if (n > 1) {
		int64_t ref = -1;
		for (k = 0; k < n; k++) {
			int r = store_dump_info(s, c[k].id, &c[k].info);
			if (r < 0)
				return -1;
			c[k].have_info = r;
			if (c[k].bad)
				d->contra_ids[d->ncontra++] = c[k].id;
			else if ((c[k].others = store_dump_contradicted(s, c[k].id, p->id)) < 0)
				return -1;
			if (nft && nfit > 1 && !c[k].bad && mark_later(s, v, a, &c[k]))
				return -1;
			if (ref < 0 && r)
				ref = c[k].info.time_us;
		}
		t = packet_time(s, a, ref);
		for (k = 1; k < n; k++)
			if (better(&c[k], &c[best], t))
				best = k;
	}
	if (best != n - 1) {
		reset_run(a);
		v->prefer = c[best].id;
		if (fn(s, a, p, v, nft))
			return -1;
	}
	v->prefer = 0;
	chosen = c[best];	/* why it was chosen: as it was dumped */
	if (nft && rewound_run(s, p, v, a, c[best].id, &c[best], fn))
		return -1;
	d->id = c[best].id;
	d->fits = !c[best].bad;
	if (!nft && legacy_warned(s, v, a, d->id, c[best].bad))
		return -1;
	d->nfit = nfit;
	nl_strlcpy(d->contra, c[best].contra, sizeof d->contra);
	for (k = 0; k < n; k++) {
		int64_t dist;
		later += c[k].later > 0;
		/* fitting dumps told apart by other packets' traces alone */
		if (!c[k].bad && k != best && tclass(&c[k], t, &dist) == tclass(&chosen, t, &dist))
			others += c[k].others != chosen.others;
		tie |= !c[k].bad && k != best && c[k].others == chosen.others &&
		       tclass(&c[k], t, &dist) == tclass(&chosen, t, &dist);
	}
	d->tie = tie && !chosen.bad && !chosen.others && tclass(&chosen, t, &dist0) >= 2;
	say_why(d, &chosen, n, nfit, t, later, others);
	if (d->dumps > n) {
		size_t w = strlen(d->why);
		snprintf(d->why + w, sizeof d->why - w, " (%d of the host's %d dumps were tried: %s)", n,
			 d->dumps, nearest ? "those taken nearest to the packet"
			 : "the first in that order, as the times do not tell");
	}
	if (d->rewound && chosen.bad && !c[best].bad) {
		size_t w = strlen(d->why);
		snprintf(d->why + w, sizeof d->why - w, "; rebuilt to the packet's time, it fits");
	}
	if (n > 1 && c[best].bad) {
		int64_t dist;
		nl_diag(a, "no imported dump of this host fits this trace: the one that fits best, %s, "
			   "is contradicted at %s", base_name(c[best].info.path), c[best].contra);
		if (tclass(&c[best], t, &dist) == 1) {
			d->after = 1;
			nl_diag(a, "%s was taken %.1f s after this packet and its trace contradicts it: "
				   "the ruleset changed in between", base_name(c[best].info.path),
				(double)dist / 1e6);
		}
	} else if (n == 1 && c[0].bad) {
		struct nl_dump_info info;
		int64_t dist;
		int r = store_dump_info(s, c[0].id, &info);
		if (r < 0)
			return -1;
		c[0].info = info;
		c[0].have_info = r;
		t = packet_time(s, a, r ? info.time_us : -1);
		if (tclass(&c[0], t, &dist) == 1) {
			d->after = 1;
			nl_diag(a, "%s was taken %.1f s after this packet and its trace contradicts it: "
				   "the ruleset changed in between", base_name(info.path),
				(double)dist / 1e6);
		}
	}
	return 0;
}

struct change_ctx {
	struct nl_analysis *a;
	const char *file;
	long after;		/* the packet's last line in that file */
	int n;
	const struct nl_notice *lost;	/* the monitor's first lost-events line after it */
	struct nl_notice lost_copy;
};

static int change_cb(void *ctx, const struct nl_notice *no, const char *file)
{
	struct change_ctx *c = ctx;
	if (strcmp(file, c->file) || no->line <= c->after)
		return 0;
	/* the monitor's own events lost: its ruleset events among them */
	if (!strcmp(no->kind, "loss") && !c->lost && (!strcmp(no->origin, "nft-monitor") ||
						     !strcmp(no->origin, "xtables-monitor"))) {
		c->lost_copy = *no;
		c->lost = &c->lost_copy;
		return 0;
	}
	if (strcmp(no->kind, "ruleset-change"))
		return 0;
	/* a generation line only closes the change before it */
	if (!strncmp(no->text, "# new generation", 16) || !strncmp(no->text, "NEWGEN:", 7))
		return 0;
	if (c->n++ == 0)
		snprintf(c->a->dump.change, sizeof c->a->dump.change, "%s:%ld: %s", file, no->line,
			 no->text);
	return 0;
}

static int dumps_changes(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a)
{
	struct change_ctx c;
	size_t i;
	if (a->n == 0 || a->steps[a->n - 1].ev.kind != NL_EV_NFTRACE)
		return 0;
	c.a = a;
	c.file = a->steps[a->n - 1].file;
	c.after = 0;
	c.n = 0;
	c.lost = NULL;
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->steps[i].file, c.file) && a->steps[i].ev.line > c.after)
			c.after = a->steps[i].ev.line;
	if (store_notices(s, p->host[0] ? p->host : NULL, change_cb, &c))
		return -1;
	if (c.n && a->dump.rewound)
		nl_diag(a, "the ruleset changed after this packet was traced (%d change%s recorded by the "
			   "monitor, the first %s): natlog undid the %d that the dump shows (lines "
			   "%ld-%ld) and explains the packet with the ruleset of its time", c.n,
			c.n == 1 ? "" : "s", a->dump.change, a->dump.rewound, a->dump.rewound_from,
			a->dump.rewound_to);
	else if (c.n)
		nl_diag(a, "the ruleset changed after this packet was traced (%d change%s recorded by the "
			   "monitor, the first %s): a dump taken after that may not show the ruleset "
			   "this packet met", c.n, c.n == 1 ? "" : "s", a->dump.change);
	if (a->dump.not_rewound[0])
		nl_diag(a, "the ruleset of this packet's time cannot be rebuilt from the monitor's "
			   "events: %s", a->dump.not_rewound);
	if (c.lost && a->dump.id)
		nl_diag(a, "the monitor lost events after this packet ('%s', %s line %ld): ruleset "
			   "changes among them are not in its file, so %s", c.lost->text, c.file,
			c.lost->line, a->dump.rewound ? "the ruleset rebuilt to this packet's time may "
			"not be the one it met" : "a dump taken after it may not show the ruleset this "
			"packet met");
	return 0;
}

/* The rule behind a handle when the packet was traced, as the monitor's
 * own ruleset events in the same file said ("add rule inet filter forward
 * tcp dport 80 accept # handle 5"): the last such event before the step. */
struct handle_ctx {
	const struct nl_step *st;
	char prefix[NL_LOCSIZ], suffix[40];
	char text[256];
	long line;
};

static int handle_cb(void *ctx, const struct nl_notice *no, const char *file)
{
	struct handle_ctx *h = ctx;
	size_t n = strlen(no->text), pn = strlen(h->prefix), sn = strlen(h->suffix);
	if (strcmp(no->kind, "ruleset-change") || strcmp(file, h->st->file) ||
	    no->line >= h->st->ev.line || n <= pn + sn || strncmp(no->text, h->prefix, pn) ||
	    strcmp(no->text + n - sn, h->suffix))
		return 0;
	/* "add rule inet filter forward handle 3 tcp dport 80 accept # handle 4":
	 * "handle 3 " says where it went, not what it is */
	{
		const char *b = rewind_rule_start(no->text + pn);
		if (b > no->text + n - sn)
			return 0;
		nl_strlcpyn(h->text, b, (size_t)(no->text + n - sn - b), sizeof h->text);
	}
	h->line = no->line;
	return 0;
}

static int rules_of_their_time(struct nl_store *s, const struct nl_packet_row *p,
			       struct nl_analysis *a)
{
	size_t i;
	for (i = 0; i < a->n; i++) {
		const struct nl_step *st = &a->steps[i];
		struct handle_ctx h;
		if (st->ev.kind != NL_EV_NFTRACE || st->ev.rule[0] || st->ev.handle < 0 ||
		    strcmp(st->ev.type, "rule"))
			continue;
		memset(&h, 0, sizeof h);
		h.st = st;
		snprintf(h.prefix, sizeof h.prefix, "add rule %s %s %s ", st->ev.nft_family, st->ev.table,
			 st->ev.chain);
		snprintf(h.suffix, sizeof h.suffix, " # handle %lld", (long long)st->ev.handle);
		if (store_notices(s, p->host[0] ? p->host : NULL, handle_cb, &h))
			return -1;
		if (!h.text[0])
			continue;
		if (st->rule && !strcmp(st->rule->text, h.text))
			continue;
		nl_diag(a, "step %zu: the trace printed no rule text for %s %s %s handle %lld; when it "
			   "was traced that handle was '%s' (%s:%ld, as the monitor recorded it)%s%s%s",
			i + 1, st->ev.nft_family, st->ev.table, st->ev.chain, (long long)st->ev.handle,
			h.text, base_name(st->file), h.line, st->rule ? "; the dump has '" : "",
			st->rule ? st->rule->text : "", st->rule ? "' there" : "");
	}
	return 0;
}

/* The tables whose chains the steps read from another dump than the
 * chosen one: it does not list them, and the view fell back on a dump
 * that does (ruleset.c), as with one listing per table. */
static int tables_from(struct nl_store *s, struct nl_analysis *a)
{
	struct nl_dumpsel *d = &a->dump;
	int64_t ids[NL_MAXFROM] = { 0 };
	size_t i;
	int k;
	d->nfrom = 0;
	for (i = 0; i < a->n && d->id > 0; i++) {
		const struct nl_chain *c = a->steps[i].chain;
		struct nl_dump_info info;
		int r;
		if (!c || c->ruleset_id == d->id)
			continue;
		for (k = 0; k < d->nfrom && (ids[k] != c->ruleset_id || strcmp(d->from[k].table, c->table)); k++)
			;
		if (k < d->nfrom || d->nfrom == NL_MAXFROM)
			continue;
		if ((r = store_dump_info(s, c->ruleset_id, &info)) < 0)
			return -1;
		ids[d->nfrom] = c->ruleset_id;
		nl_strlcpy(d->from[d->nfrom].table, c->table, sizeof d->from[0].table);
		nl_strlcpy(d->from[d->nfrom++].path, r ? info.path : "?", sizeof d->from[0].path);
	}
	return 0;
}

int dumps_explain(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a)
{
	struct nl_dump_info info;
	struct nl_dumpsel *d = &a->dump;
	if (d->id > 0) {
		int r = store_dump_info(s, d->id, &info);
		if (r < 0)
			return -1;
		if (r) {
			nl_strlcpy(d->path, info.path, sizeof d->path);
			nl_strlcpy(d->kind, info.kind, sizeof d->kind);
			nl_strlcpy(d->host, info.host, sizeof d->host);
			nl_strlcpy(d->time, info.time, sizeof d->time);
			nl_strlcpy(d->time_kind, info.time_kind, sizeof d->time_kind);
		}
	}
	if (tables_from(s, a) || rules_of_their_time(s, p, a))
		return -1;
	return dumps_changes(s, p, a);
}

void dumps_print_text(FILE *f, const struct nl_analysis *a)
{
	const struct nl_dumpsel *d = &a->dump;
	int i;
	if (d->id <= 0) {
		fprintf(f, "dump: none (%s)\n", d->why);
		return;
	}
	fprintf(f, "dump: %s (%s", nl_esc(d->path), d->kind);
	if (d->host[0])
		fprintf(f, ", host %s", nl_esc(d->host));
	if (d->netns[0])
		fprintf(f, ", network namespace %s", nl_esc(d->netns));
	if (d->time[0])
		fprintf(f, ", %s %s", !strcmp(d->time_kind, "mtime") ? "file modified" : d->time_kind,
			nl_esc(d->time));
	else
		fputs(", time not known", f);
	fprintf(f, "): %s\n", d->why);
	for (i = 0; i < d->nfrom; i++)
		fprintf(f, "  table %s: read from %s, which lists it (this dump does not)\n",
			nl_esc(d->from[i].table), nl_esc(d->from[i].path));
	if (d->rewound)
		fprintf(f, "  rewound: %d ruleset change%s that %s recorded after this packet (lines "
			"%ld-%ld) undone on it: steps marked 'rewound' read the ruleset of the packet's "
			"time\n", d->rewound, d->rewound == 1 ? "" : "s",
			nl_esc(base_name(d->rewound_file)), d->rewound_from, d->rewound_to);
	else if (d->not_rewound[0])
		fprintf(f, "  not rewound: %s\n", nl_esc(d->not_rewound));
	if (!d->fits && d->contra[0])
		fprintf(f, "  the trace contradicts it at %s\n", d->contra);
}

void dumps_print_json(FILE *f, const struct nl_analysis *a)
{
	const struct nl_dumpsel *d = &a->dump;
	int first = 1, i;
	fputs(", \"dump\": {", f);
	jw_key(f, &first, "source");
	jw_str(f, d->id > 0 ? d->path : NULL);
	jw_key(f, &first, "kind");
	jw_str(f, d->id > 0 ? d->kind : NULL);
	jw_key(f, &first, "host");
	jw_str(f, d->id > 0 ? d->host : NULL);
	jw_key(f, &first, "time");
	jw_str(f, d->id > 0 ? d->time : NULL);
	jw_key(f, &first, "time_evidence");
	jw_str(f, d->id > 0 ? d->time_kind : NULL);
	jw_key(f, &first, "fits");
	fputs(d->id <= 0 ? "null" : d->fits ? "true" : "false", f);
	jw_key(f, &first, "candidates");
	jw_num(f, d->candidates);
	jw_key(f, &first, "dumps");
	jw_num(f, d->dumps);
	jw_key(f, &first, "why");
	jw_str(f, d->why);
	jw_key(f, &first, "contradicted_at");
	jw_str(f, d->contra);
	jw_key(f, &first, "changed_after");
	jw_str(f, d->change);
	jw_key(f, &first, "rewound");
	jw_num(f, d->rewound);
	jw_key(f, &first, "rewound_to");
	if (d->rewound) {
		char to[600];
		snprintf(to, sizeof to, "%s:%ld", d->rewound_file, d->rewound_from);
		jw_str(f, to);
	} else
		jw_str(f, NULL);
	jw_key(f, &first, "not_rewound");
	jw_str(f, d->not_rewound[0] ? d->not_rewound : NULL);
	jw_key(f, &first, "tables_from");
	fputc('[', f);
	for (i = 0; i < d->nfrom; i++) {
		int one = 1;
		fputs(i ? ", {" : "{", f);
		jw_key(f, &one, "table");
		jw_str(f, d->from[i].table);
		jw_key(f, &one, "source");
		jw_str(f, d->from[i].path);
		fputc('}', f);
	}
	fputc(']', f);
	jw_key(f, &first, "netns");	/* null: the host's own dumps */
	jw_str(f, d->netns);
	fputc('}', f);
}
