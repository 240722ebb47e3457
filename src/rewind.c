/*
 * rewind.c - the ruleset of a packet's time: the chosen dump with the rule
 * changes that `nft monitor` (or `xtables-monitor -e`) printed after the
 * packet's trace undone, last first. Only what an event says exactly is
 * undone; any other change to a table the packet crossed stops the
 * rebuild, and the reason is kept for explain.
 */
#include "natlog.h"
#include "analyze.h"
#include "cursor.h"
#include "rewind.h"
#include "store.h"
#include "../parsers/parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RW_MAXEV 100000		/* events of one file read; a longer log is not rewound */

struct nl_rewind {
	struct nl_rsview v;		/* a view over the dumps' view whose chains are the
					 * changed copies, each with its own rules array */
	char **strs;			/* the strings of the rules put back */
	size_t nstrs, capstrs;
};

/* r as a view's rule, its strings ours (the copies' other rules share
 * those of the dump's chains). */
static int keep_rule(struct nl_rewind *rw, const struct nl_rule *r, struct nl_vrule *out)
{
	if (rw->nstrs == rw->capstrs) {
		size_t cap = rw->capstrs ? rw->capstrs * 2 : 8;
		char **n = realloc(rw->strs, cap * sizeof *n);
		if (!n)
			return -1;
		rw->strs = n;
		rw->capstrs = cap;
	}
	if (rsview_rule(out, r) < 0)
		return -1;
	rw->strs[rw->nstrs++] = (char *)out->text;
	return 0;
}

struct rw_ev {
	long line;
	char *text;
};

struct evlist {
	struct rw_ev *v;
	size_t n, cap;
	int full;
};

enum ckind { C_SKIP, C_ADD, C_DEL, C_XT_ADD, C_OPAQUE };

/* One event, read: what it changed and where. */
struct change {
	enum ckind kind;
	int all;			/* C_OPAQUE: it may touch any table */
	char family[8], table[32], chain[NL_CHAINSIZ];
	int64_t handle;
	const char *rule, *rule_end;	/* C_ADD, C_XT_ADD: the rule's text */
	const char *why;		/* C_OPAQUE: why it is not undone */
};

/* The ruleset changes of one monitor file, read once per view: a log of
 * many packets asks for them packet after packet. */
struct nl_rwcache {
	char file[512];
	struct evlist l;
	struct change *c;		/* l.v[i] read */
};

/* [p, lim) into out without its "packets N bytes M" counters. */
static void strip_counters(const char *p, const char *lim, char *out, size_t n)
{
	size_t o = 0;
	while (p < lim && o + 1 < n) {
		struct nl_cur c = cur_make(p, (size_t)(lim - p));
		uint64_t v;
		if (cur_lit(&c, "packets ") && cur_u64(&c, UINT64_MAX, &v) && cur_lit(&c, " bytes ") &&
		    cur_u64(&c, UINT64_MAX, &v)) {
			p = c.p;
			continue;
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
}

const char *rewind_rule_start(const char *p)
{
	struct nl_cur c = cur_make(p, strlen(p));
	uint64_t v;
	if (cur_lit(&c, "handle ") && cur_u64(&c, INT64_MAX, &v) && cur_lit(&c, " "))
		return c.p;
	return p;
}

int rewind_same_rule(const char *dump, const char *ev, const char *end)
{
	char a[1024], b[1024];
	strip_counters(dump, dump + strlen(dump), a, sizeof a);
	strip_counters(ev, end, b, sizeof b);
	return !strcmp(a, b);
}

static int collect(void *ctx, long line, const char *text)
{
	struct evlist *l = ctx;
	if (l->n == RW_MAXEV) {
		l->full = 1;
		return 1;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct rw_ev *nv = realloc(l->v, cap * sizeof *nv);
		if (!nv) {
			l->full = 1;
			return 1;
		}
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n].line = line;
	l->v[l->n].text = strdup(text);
	if (!l->v[l->n].text) {
		l->full = 1;
		return 1;
	}
	l->n++;
	return 0;
}

static void evlist_free(struct evlist *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
}

/* The next space-separated word into out (bounded): 1, or 0. */
static int word(struct nl_cur *c, char *out, size_t n)
{
	const char *w;
	size_t wn;
	cur_spaces(c);
	if (!cur_word(c, &w, &wn) || wn >= n)
		return 0;
	nl_strlcpyn(out, w, wn, n);
	return 1;
}

/* Marks c as a change natlog does not undo. Returns 0, for the readers'
 * "return opaque(...)". */
static int opaque(struct change *c, int all, const char *why)
{
	c->kind = C_OPAQUE;
	c->all = all;
	c->why = why;
	return 0;
}

/* nft monitor: "add rule inet filter forward tcp dport 80 accept # handle 5",
 * "insert rule inet filter forward ip saddr @blocked drop # handle 6",
 * "delete rule inet filter forward handle 5", "add chain ...". */
static int read_nft(const char *t, struct change *c)
{
	struct nl_cur k = cur_make(t, strlen(t));
	char verb[16], obj[16];
	const char *h, *p, *body;
	uint64_t v;
	if (!word(&k, verb, sizeof verb) || !word(&k, obj, sizeof obj))
		return opaque(c, 1, "natlog cannot read what it changed");
	if (!word(&k, c->family, sizeof c->family) || !word(&k, c->table, sizeof c->table))
		return opaque(c, 1, "it is not about one table");
	if (strcmp(obj, "rule"))
		return opaque(c, 0, "it changes more than one rule, and natlog undoes only rules "
			      "added or deleted by handle");
	if (!word(&k, c->chain, sizeof c->chain))
		return opaque(c, 0, "natlog cannot read its chain");
	cur_spaces(&k);
	body = k.p;
	if (!strcmp(verb, "delete")) {
		if (!cur_lit(&k, "handle ") || !cur_u64(&k, INT64_MAX, &v) || !cur_eof(&k))
			return opaque(c, 0, "it names no handle");
		c->kind = C_DEL;
		c->handle = (int64_t)v;
		return 0;
	}
	/* an insert is undone as an add: by its handle, wherever it went */
	if (strcmp(verb, "add") && strcmp(verb, "insert"))
		return opaque(c, 0, "natlog undoes only rules added, inserted or deleted by handle");
	body = rewind_rule_start(body);
	/* the last " # handle " ends the rule: its text may hold '#' */
	for (h = NULL, p = body; (p = strstr(p, " # handle ")) != NULL; p++)
		h = p;
	if (!h)
		return opaque(c, 0, strlen(t) + 1 >= sizeof ((struct nl_notice *)0)->text
			      ? "the line is longer than natlog keeps of it"
			      : "the monitor printed no handle (nft monitor without -a?)");
	k = cur_make(h + 10, strlen(h + 10));
	if (!cur_u64(&k, INT64_MAX, &v) || !cur_eof(&k))
		return opaque(c, 0, "natlog cannot read its handle");
	c->kind = C_ADD;
	c->handle = (int64_t)v;
	c->rule = body;
	c->rule_end = h;
	if (body >= h)
		return opaque(c, 0, "its rule is empty");
	return 0;
}

/* xtables-monitor -e: " EVENT: -4 -t filter -A NATLOG_LAB -p tcp ... -j ACCEPT". */
static int read_xt(const char *t, struct change *c)
{
	struct nl_cur k = cur_make(t, strlen(t));
	char fam[8], opt[8], chain[NL_CHAINSIZ];
	cur_spaces(&k);
	if (cur_eof(&k))
		return opaque(c, 1, "xtables-monitor printed an empty EVENT: a change it cannot show");
	if (cur_lit(&k, "nft: ") || cur_lit(&k, "# nft: "))
		return opaque(c, 1, "it changes a table or chain, not one rule");
	if (!word(&k, fam, sizeof fam) || (strcmp(fam, "-4") && strcmp(fam, "-6")))
		return opaque(c, 1, "natlog cannot read its family");
	nl_strlcpy(c->family, fam[1] == '4' ? "ip" : "ip6", sizeof c->family);
	if (!word(&k, opt, sizeof opt) || strcmp(opt, "-t") || !word(&k, c->table, sizeof c->table))
		return opaque(c, 1, "natlog cannot read its table");
	if (!word(&k, opt, sizeof opt) || !word(&k, chain, sizeof chain))
		return opaque(c, 0, "natlog cannot read its chain");
	nl_strlcpy(c->chain, chain, sizeof c->chain);
	if (!strcmp(opt, "-D"))
		return opaque(c, 0, "xtables-monitor does not print where the deleted rule stood");
	if (strcmp(opt, "-A"))
		return opaque(c, 0, "natlog undoes only rules xtables-monitor printed with -A");
	c->kind = C_XT_ADD;
	c->rule = strstr(t, "-A ");
	c->rule_end = t + strlen(t);
	return 0;
}

static void read_change(const char *t, struct change *c)
{
	const char *p = t;
	memset(c, 0, sizeof *c);
	while (*p == ' ')
		p++;
	if (!strncmp(p, "# new generation", 16) || !strncmp(p, "NEWGEN:", 7))
		return;		/* C_SKIP: it only closes the change before it */
	if (!strncmp(p, "EVENT:", 6))
		(void)read_xt(p + 6, c);
	else
		(void)read_nft(p, c);
}

/* Did the packet cross a chain of this family and table? */
static int touched(const struct nl_analysis *a, const struct change *c)
{
	size_t i;
	if (c->all)
		return 1;
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->steps[i].ev.nft_family, c->family) && !strcmp(a->steps[i].ev.table, c->table))
			return 1;
	return 0;
}

/* The chain of dump id in the rebuilt view (read when not yet), or NULL. */
static const struct nl_chain *chain_at(const struct nl_rewind *rw, int64_t id,
				       const struct change *c)
{
	return rsview_chain(&rw->v, id, c->family, c->table, c->chain);
}

/* Makes *ch a copy of our own, so its rules can change: 0, -1 out of
 * memory. */
static int own(struct nl_rewind *rw, struct nl_chain **ch)
{
	struct nl_chain *cp;
	struct nl_vrule *r;
	size_t i;
	for (i = 0; i < rw->v.nchains; i++)
		if (rw->v.chains[i] == *ch)
			return 0;
	r = malloc(((size_t)(*ch)->nrules + 1) * sizeof *r);
	if (!r || !(cp = rsview_add_chain(&rw->v))) {
		free(r);
		return -1;
	}
	if ((*ch)->nrules)
		memcpy(r, (*ch)->rules, (size_t)(*ch)->nrules * sizeof *r);
	*cp = **ch;
	cp->orig = *ch;
	cp->rules = r;
	cp->cap = (size_t)cp->nrules + 1;
	*ch = cp;
	return 0;
}

static void remove_rule(struct nl_chain *ch, int j)
{
	memmove(&ch->rules[j], &ch->rules[j + 1], (size_t)(ch->nrules - j - 1) * sizeof ch->rules[0]);
	ch->nrules--;
}

static int insert_rule(struct nl_chain *ch, int j, const struct nl_vrule *r)
{
	if ((size_t)ch->nrules == ch->cap) {
		struct nl_vrule *nr = realloc(ch->rules, (ch->cap * 2 + 1) * sizeof *nr);
		if (!nr)
			return -1;
		ch->rules = nr;
		ch->cap = ch->cap * 2 + 1;
	}
	memmove(&ch->rules[j + 1], &ch->rules[j], (size_t)(ch->nrules - j) * sizeof ch->rules[0]);
	ch->rules[j] = *r;
	ch->nrules++;
	return 0;
}

/* Where a rule put back stands: after those of smaller handles, when the
 * chain is in handle order (nft hands handles out in increasing order, and
 * `add rule` appends), else -1: natlog cannot tell. */
static int by_handle(const struct nl_chain *ch, int64_t handle)
{
	int j, at = ch->nrules;
	for (j = 0; j < ch->nrules; j++) {
		if (ch->rules[j].handle < 0 || (j && ch->rules[j].handle <= ch->rules[j - 1].handle))
			return -1;
		if (at == ch->nrules && ch->rules[j].handle > handle)
			at = j;
	}
	return at;
}

static void renumber(struct nl_chain *ch)
{
	int j, unknown = 0;
	for (j = 0; j < ch->nrules; j++) {
		unknown |= ch->rules[j].position < 0;	/* after a '...' of the dump */
		ch->rules[j].position = unknown ? -1 : j + 1;
	}
}

/* The text of the rule the file's "add rule ... # handle N" before event
 * k gave, or NULL. */
static const struct change *added_before(const struct nl_rwcache *k, size_t at,
					 const struct change *d)
{
	size_t j = at;
	while (j-- > 0) {
		const struct change *add = &k->c[j];
		if (add->kind == C_ADD && add->handle == d->handle && !strcmp(add->family, d->family) &&
		    !strcmp(add->table, d->table) && !strcmp(add->chain, d->chain))
			return add;
	}
	return NULL;
}

#define AT_END (-2)

/* A deleted rule put back: at the end of its chain until every event is
 * undone, then where it stood. */
struct putback {
	struct nl_chain *chain;		/* NULL: its own add was undone too */
	int64_t handle;
	int64_t next;			/* the handle it stood before (a replace), AT_END, or -1: by handle */
	long line;
};

struct undo {
	struct nl_rewind *rw;
	const struct nl_rwcache *k;
	int64_t id;
	const char *file;
	struct nl_rewind_result *res;
	int started;			/* an event was undone: later ones are before the dump too */
	const struct nl_chain *last_chain;	/* the chain, handle and next handle of the rule the last undo removed */
	int64_t last_handle, last_next;
	struct putback *back;		/* rules put back, placed once every undo is done */
	size_t nback, capback;
};

static int fail(struct undo *u, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct undo *u, long line, const char *fmt, ...)
{
	char what[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(u->res->why, sizeof u->res->why, "%s (%s:%ld)", what, u->file, line);
	return 1;
}

/* Undoes event k of the list. 0 done or left (the dump is older), 1 the
 * rebuild stops (u->res->why), -1 out of memory. */
static int undo_one(struct undo *u, size_t k)
{
	const struct rw_ev *e = &u->k->l.v[k];
	const struct change *add, *cp = &u->k->c[k];
	struct change c = *cp;
	struct nl_chain *ch;
	int j;
	char where[NL_LOCSIZ];
	snprintf(where, sizeof where, "%s %s %s", c.family, c.table, c.chain);
	/* changed only once owned */
	ch = c.kind == C_SKIP || c.kind == C_OPAQUE ? NULL
						    : (struct nl_chain *)chain_at(u->rw, u->id, &c);
	if (rsview_failed(&u->rw->v))
		return -1;
	if (ch && ch->sparse) {
		char why[200];
		rsview_sparse_why(ch, why, sizeof why);
		return fail(u, e->line, "'%.160s' changed the ruleset after the packet, and the "
			    "dump's %s: natlog cannot undo the change", e->text, why);
	}
	switch (c.kind) {
	case C_SKIP:
		return 0;
	case C_OPAQUE:
		return fail(u, e->line, "'%.160s' changed the ruleset after the packet, and %s", e->text,
			    c.why);
	case C_ADD:
		for (j = 0; ch && j < ch->nrules; j++)
			if (ch->rules[j].handle == c.handle &&
			    rewind_same_rule(ch->rules[j].text, c.rule, c.rule_end))
				break;
		if (!ch || j == ch->nrules) {
			if (!u->started)
				return 0;	/* the dump was taken before it */
			return fail(u, e->line, "the dump does not hold %s handle %lld that the monitor "
				    "recorded being added, yet it holds changes recorded after that",
				    where, (long long)c.handle);
		}
		if (own(u->rw, &ch))
			return -1;
		u->last_chain = ch;
		u->last_handle = c.handle;
		u->last_next = j + 1 < ch->nrules ? ch->rules[j + 1].handle : AT_END;
		remove_rule(ch, j);
		break;
	case C_DEL:
		for (j = 0; ch && j < ch->nrules && ch->rules[j].handle != c.handle; j++)
			;
		if (ch && j < ch->nrules) {
			if (!u->started)
				return 0;
			return fail(u, e->line, "the dump still holds %s handle %lld that the monitor "
				    "recorded being deleted", where, (long long)c.handle);
		}
		if (!ch)
			return fail(u, e->line, "the dump has no chain %s to put back the rule handle "
				    "%lld that the monitor recorded being deleted", where,
				    (long long)c.handle);
		if (!(add = added_before(u->k, k, &c)))
			return fail(u, e->line, "the rule %s handle %lld was deleted after the packet, "
				    "and the monitor did not record it being added: its text is not known",
				    where, (long long)c.handle);
		if (own(u->rw, &ch))
			return -1;
		if (u->nback == u->capback) {
			size_t cap = u->capback ? u->capback * 2 : 8;
			struct putback *nb = realloc(u->back, cap * sizeof *nb);
			if (!nb)
				return -1;
			u->back = nb;
			u->capback = cap;
		}
		u->back[u->nback].chain = ch;
		u->back[u->nback].handle = c.handle;
		/* "replace rule" prints a delete and an add of one handle: same place */
		u->back[u->nback].next = u->last_chain == ch && u->last_handle == c.handle ? u->last_next
											  : -1;
		u->back[u->nback++].line = e->line;
		{
			struct nl_rule r;
			struct nl_vrule vr;
			nl_rule_init(&r);
			nl_strlcpy(r.family, c.family, sizeof r.family);
			nl_strlcpy(r.table, c.table, sizeof r.table);
			nl_strlcpy(r.chain, c.chain, sizeof r.chain);
			r.handle = c.handle;
			if (nft_rule_from_text(add->rule, (size_t)(add->rule_end - add->rule), &r))
				return fail(u, e->line, "natlog cannot read the text of %s handle %lld",
					    where, (long long)c.handle);
			if (keep_rule(u->rw, &r, &vr) || insert_rule(ch, ch->nrules, &vr))
				return -1;
		}
		u->last_chain = NULL;
		break;
	case C_XT_ADD:
		if (ch && ch->nrules && strncmp(ch->kind, "iptables", 8))
			return fail(u, e->line, "xtables-monitor printed '%.120s' in iptables syntax and "
				    "without a handle, and the dump lists that chain in nft syntax: which rule "
				    "it added cannot be told", c.rule);
		for (j = ch ? ch->nrules - 1 : -1; j >= 0; j--)
			if (rewind_same_rule(ch->rules[j].text, c.rule, c.rule_end))
				break;
		if (j < 0) {
			if (!u->started)
				return 0;
			return fail(u, e->line, "the dump does not hold '%.120s' that xtables-monitor "
				    "recorded being appended, yet it holds changes recorded after that",
				    c.rule);
		}
		if (own(u->rw, &ch))
			return -1;
		remove_rule(ch, j);	/* -A appends: the last one of that text */
		u->last_chain = NULL;
		break;
	}
	u->started = 1;
	u->res->undone++;
	u->res->from = e->line;
	if (!u->res->to)
		u->res->to = e->line;
	return 0;
}

static int find_handle(const struct nl_chain *ch, int64_t handle)
{
	int j;
	for (j = 0; j < ch->nrules; j++)
		if (ch->rules[j].handle == handle)
			return j;
	return -1;
}

/* Moves the rules put back to where they stood: 0, 1 when that is not
 * known (u->res->why), -1 out of memory. */
static int place_back(struct undo *u)
{
	struct nl_vrule *held;
	size_t i;
	int r = 0;
	if (!u->nback)
		return 0;
	held = malloc(u->nback * sizeof *held);
	if (!held)
		return -1;
	for (i = 0; i < u->nback; i++) {
		struct nl_chain *ch = u->back[i].chain;
		int j = find_handle(ch, u->back[i].handle);
		u->back[i].chain = j < 0 ? NULL : ch;	/* its own add was undone too */
		if (j >= 0) {
			held[i] = ch->rules[j];
			remove_rule(ch, j);
		}
	}
	for (i = 0; i < u->nback && !r; i++) {
		struct nl_chain *ch;
		int at = -1;
		if (!u->back[i].chain)
			continue;
		ch = u->back[i].chain;
		if (u->back[i].next == AT_END)
			at = ch->nrules;
		else if (u->back[i].next >= 0)
			at = find_handle(ch, u->back[i].next);
		if (at < 0)
			at = by_handle(ch, u->back[i].handle);
		if (at < 0)
			r = fail(u, u->back[i].line, "the rule %s %s %s handle %lld was deleted after the "
				 "packet, but the chain is not in handle order: where it stood is not known",
				 ch->family, ch->table, ch->name, (long long)u->back[i].handle);
		else if (insert_rule(ch, at, &held[i]))
			r = -1;
	}
	free(held);
	return r;
}

/* The view's cache of the file's changes, read from the store when it
 * holds another file: 0, or -1 on a store failure. */
static int changes_of(struct nl_store *s, struct nl_rsview *v, const char *file,
		      const struct nl_rwcache **out)
{
	struct nl_rwcache *k = v->rwc;
	size_t i;
	if (k && !strcmp(k->file, file)) {
		*out = k;
		return 0;
	}
	rewind_cache_free(k);
	v->rwc = k = calloc(1, sizeof *k);
	if (!k)
		return -1;
	nl_strlcpy(k->file, file, sizeof k->file);
	if (store_changes_after(s, file, 0, collect, &k->l))
		return -1;
	k->c = calloc(k->l.n + 1, sizeof *k->c);
	if (!k->c)
		k->l.full = 1;
	for (i = 0; k->c && i < k->l.n; i++)
		read_change(k->l.v[i].text, &k->c[i]);
	*out = k;
	return 0;
}

void rewind_cache_free(struct nl_rwcache *k)
{
	if (!k)
		return;
	evlist_free(&k->l);
	free(k->c);
	free(k);
}

int rewind_build(struct nl_store *s, const struct nl_analysis *a, struct nl_rsview *v,
		 int64_t id, struct nl_rewind **out, struct nl_rewind_result *res)
{
	const struct nl_rwcache *k;
	struct nl_rewind *rw = NULL;
	struct undo u;
	const struct nl_step *last;
	long after = 0;
	size_t i, first, lo, hi;
	int any = 0;
	*out = NULL;
	memset(res, 0, sizeof *res);
	memset(&u, 0, sizeof u);
	if (a->n == 0 || id <= 0)
		return 0;
	last = &a->steps[a->n - 1];
	if (last->ev.kind != NL_EV_NFTRACE)
		return 0;	/* only a monitor's own file orders events against the packet */
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->steps[i].file, last->file) && a->steps[i].ev.line > after)
			after = a->steps[i].ev.line;
	if (changes_of(s, v, last->file, &k)) {
		rewind_cache_free(v->rwc);
		v->rwc = NULL;
		return -1;
	}
	/* the first change after the packet: the list is in line order */
	for (lo = 0, hi = k->l.n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		if (k->l.v[mid].line <= after)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	for (i = first; i < k->l.n && !any; i++)
		any = k->c && k->c[i].kind != C_SKIP && touched(a, &k->c[i]);
	if (!any && !k->l.full)
		return 0;
	if (k->l.full) {
		snprintf(res->why, sizeof res->why, "the monitor's file holds more than %d ruleset "
			 "changes, or memory ran out", RW_MAXEV);
		return 0;
	}
	rw = calloc(1, sizeof *rw);
	if (!rw)
		goto oom;
	/* v's dumps, tables, sets and counts, not its chains nor caches */
	rw->v = *v;
	rw->v.prefer = id;
	rw->v.rwc = NULL;
	rw->v.idx = NULL;
	rw->v.nindexed = 0;
	rw->v.chains = NULL;
	rw->v.nchains = rw->v.capchains = 0;
	rw->v.store = NULL;
	rw->v.base = v;
	u.rw = rw;
	u.k = k;
	u.id = id;
	u.file = last->file;
	u.res = res;
	u.last_chain = NULL;
	for (i = k->l.n; i-- > first;) {
		int r;
		if (k->c[i].kind == C_SKIP || !touched(a, &k->c[i]))
			continue;
		r = undo_one(&u, i);
		if (r < 0 && rsview_failed(v))
			goto out;	/* the store's error says why */
		if (r < 0)
			goto oom;
		if (r > 0) {
			res->undone = 0;
			res->from = res->to = 0;
			goto out;
		}
	}
	switch (place_back(&u)) {
	case -1:
		goto oom;
	case 1:
		res->undone = 0;
		res->from = res->to = 0;
		goto out;
	}
	for (i = 0; i < rw->v.nchains; i++)
		renumber(rw->v.chains[i]);
	if (res->undone) {
		*out = rw;
		rw = NULL;
	}
	goto out;
oom:
	snprintf(res->why, sizeof res->why, "out of memory");
	res->undone = 0;
out:
	free(u.back);
	rewind_free(rw);
	return 0;
}

const struct nl_rsview *rewind_view(const struct nl_rewind *rw)
{
	return &rw->v;
}

int rewind_changed(const struct nl_rewind *rw, const struct nl_chain *ch)
{
	size_t i;
	for (i = 0; rw && ch && i < rw->v.nchains; i++)
		if (rw->v.chains[i] == ch)
			return 1;
	return 0;
}

void rewind_free(struct nl_rewind *rw)
{
	size_t i;
	if (!rw)
		return;
	for (i = 0; i < rw->v.nchains; i++) {
		free(rw->v.chains[i]->rules);
		free(rw->v.chains[i]);
	}
	for (i = 0; i < rw->nstrs; i++)
		free(rw->strs[i]);
	free(rw->strs);
	free(rw->v.chains);
	free(rw);
}
