/*
 * ruleset.c - the ruleset view used by analysis, and the check of a dumped
 * rule against the packet that is said to have matched it: a rule whose
 * matches contradict the packet means the dump is not the ruleset that
 * produced the trace.
 */
#include "natlog.h"
#include "ruleset.h"
#include "rewind.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ix_free(struct nl_rsview *v);

/* The chains read and the lookups answered; the dumps' list stays. */
static void drop_chains(struct nl_rsview *v)
{
	size_t i;
	for (i = 0; i < v->nchains; i++) {
		const struct nl_chain *c = v->chains[i];
		int j;
		size_t k;
		for (j = 0; c->rules && j < c->nrules; j++)
			free((char *)c->rules[j].text);
		free(c->rules);
		for (k = 0; k < c->ngot; k++) {
			free((char *)c->got[k]->text);
			free(c->got[k]);
		}
		free(c->got);
		free(c->uncond);
		free(v->chains[i]);
	}
	free(v->chains);
	v->chains = NULL;
	v->nchains = v->capchains = v->nindexed = v->bytes = 0;
	ix_free(v);
}

void rsview_free(struct nl_rsview *v)
{
	size_t i, j;
	drop_chains(v);
	free(v->dumps);
	free(v->by_time);
	free(v->tables);
	for (i = 0; i < v->nsets; i++) {
		for (j = 0; j < v->sets[i].nelems; j++)
			free(v->sets[i].elems[j]);
		free(v->sets[i].elems);
	}
	free(v->sets);
	free(v->hits);
	free(v->bounded);
	free(v->bounded_until);
	rewind_cache_free(v->rwc);
	memset(v, 0, sizeof *v);
}

/* Lookups answered, by key: (dump, family, table, name) exactly, or
 * (dump, table, name) in any family (legacy lookups): the first chain in
 * view order, or none. Open addressing over entries that hold the chain
 * (NULL: the dump has none, or HAS: only whether it has one is known). */
enum { IX_EXACT, IX_ANY, IX_HAS };
struct ixent {
	int kind, has;
	int64_t rs;
	const struct nl_chain *ch;
	char family[8], table[32], name[NL_CHAINSIZ];
};
struct nl_chainidx {
	struct ixent *e;
	size_t n, cap;
	uint32_t *slot;			/* index + 1 into e, or 0 */
	size_t mask;
};

static void ix_free(struct nl_rsview *v)
{
	if (v->idx) {
		free(v->idx->e);
		free(v->idx->slot);
		free(v->idx);
	}
	v->idx = NULL;
}

void rsview_trim(struct nl_rsview *v, size_t keep)
{
	/* lookups of names that are no chain count too */
	if (v->store && !v->base && (v->bytes > keep || (v->idx && v->idx->n > 16384)))
		drop_chains(v);
}

static uint64_t ix_mix(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h ^ 0xff) * 1099511628211ULL;	/* ends the string */
}

static uint64_t ix_hash(int kind, int64_t rs, const char *family, const char *table,
			const char *name)
{
	uint64_t h = 14695981039346656037ULL ^ (uint64_t)kind;
	h = (h ^ (uint64_t)rs) * 1099511628211ULL;
	if (kind == IX_EXACT)
		h = ix_mix(h, family);
	return ix_mix(ix_mix(h, table), name);
}

static size_t ix_slot(const struct nl_chainidx *x, int kind, int64_t rs, const char *family,
		      const char *table, const char *name)
{
	size_t i = (size_t)ix_hash(kind, rs, family, table, name) & x->mask;
	for (; x->slot[i]; i = (i + 1) & x->mask) {
		const struct ixent *e = &x->e[x->slot[i] - 1];
		if (e->kind == kind && e->rs == rs && (kind != IX_EXACT || !strcmp(e->family, family)) &&
		    !strcmp(e->table, table) && !strcmp(e->name, name))
			break;
	}
	return i;
}

static struct ixent *ix_get(const struct nl_rsview *v, int kind, int64_t rs, const char *family,
			    const char *table, const char *name)
{
	const struct nl_chainidx *x = v->idx;
	uint32_t k;
	if (!x || !x->slot)
		return NULL;
	k = x->slot[ix_slot(x, kind, rs, family, table, name)];
	return k ? &x->e[k - 1] : NULL;
}

/* Records the answer unless one is there: 0, or -1 out of memory. */
static int ix_put(struct nl_rsview *v, int kind, int64_t rs, const char *family, const char *table,
		  const char *name, const struct nl_chain *ch, int has)
{
	struct nl_chainidx *x = v->idx;
	struct ixent *e;
	size_t i;
	if (!x && !(x = v->idx = calloc(1, sizeof *x)))
		return -1;
	if ((x->n + 1) * 2 > x->mask + 1 || !x->slot) {
		size_t cap = x->slot ? (x->mask + 1) * 2 : 64;
		uint32_t *sl = calloc(cap, sizeof *sl);
		if (!sl || cap >= 0x7fffffff)
			return free(sl), -1;
		free(x->slot);
		x->slot = sl;
		x->mask = cap - 1;
		for (i = 0; x->e && i < x->n; i++) {
			e = &x->e[i];
			x->slot[ix_slot(x, e->kind, e->rs, e->family, e->table, e->name)] = (uint32_t)i + 1;
		}
	}
	i = ix_slot(x, kind, rs, family, table, name);
	if (x->slot[i])
		return 0;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 32;
		struct ixent *ne = realloc(x->e, cap * sizeof *ne);
		if (!ne)
			return -1;
		x->e = ne;
		x->cap = cap;
	}
	e = &x->e[x->n];
	e->kind = kind;
	e->has = has;
	e->rs = rs;
	e->ch = ch;
	nl_strlcpy(e->family, family, sizeof e->family);
	nl_strlcpy(e->table, table, sizeof e->table);
	nl_strlcpy(e->name, name, sizeof e->name);
	x->slot[i] = (uint32_t)++x->n;
	return 0;
}

static int add_unique_dump(struct nl_rsview *v, int64_t id)
{
	size_t i;
	for (i = 0; i < v->ndumps; i++)
		if (v->dumps[i].id == id)
			return 0;
	return rsview_add_dump(v, id, "");
}

/* Chains added since the last lookup go in the index; in a view without
 * a store they make its dumps and tables too, in view order. */
static int ix_sync(struct nl_rsview *v)
{
	if (v->base)
		return 0;	/* its chains are found through base's */
	for (; v->nindexed < v->nchains; v->nindexed++) {
		const struct nl_chain *c = v->chains[v->nindexed];
		if (ix_put(v, IX_EXACT, c->ruleset_id, c->family, c->table, c->name, c, 1) ||
		    ix_put(v, IX_ANY, c->ruleset_id, "", c->table, c->name, c, 1))
			return -1;
		if (!v->store && (add_unique_dump(v, c->ruleset_id) ||
				  rsview_add_table(v, c->ruleset_id, c->family, c->table)))
			return -1;
		if (!v->store && c->hook[0] && (!c->type[0] || !strcmp(c->type, "filter") ||
						 !strcmp(c->type, "route")) &&
		    rsview_add_base(v, c->ruleset_id, c->family, c->table, nl_hook_from_name(c->hook),
				    c->prio))
			return -1;
	}
	return 0;
}

int rsview_add_dump(struct nl_rsview *v, int64_t id, const char *kind)
{
	if (v->ndumps == v->capdumps) {
		size_t cap = v->capdumps ? v->capdumps * 2 : 4;
		struct nl_rsdump *d = realloc(v->dumps, cap * sizeof *d);
		if (!d)
			return -1;
		v->dumps = d;
		v->capdumps = cap;
	}
	free(v->by_time);	/* dumps.c sorts them again */
	v->by_time = NULL;
	v->nby_time = 0;
	v->dumps[v->ndumps].id = id;
	v->dumps[v->ndumps].time_us = -1;
	v->dumps[v->ndumps].legacy_line = -1;
	nl_strlcpy(v->dumps[v->ndumps++].kind, kind, sizeof v->dumps[0].kind);
	return 0;
}

int rsview_add_table(struct nl_rsview *v, int64_t id, const char *family, const char *table)
{
	size_t i;
	for (i = 0; i < v->ntables; i++)
		if (v->tables[i].ruleset_id == id && !strcmp(v->tables[i].family, family) &&
		    !strcmp(v->tables[i].table, table))
			return 0;
	if (v->ntables == v->captables) {
		size_t cap = v->captables ? v->captables * 2 : 8;
		struct nl_rstable *t = realloc(v->tables, cap * sizeof *t);
		if (!t)
			return -1;
		v->tables = t;
		v->captables = cap;
	}
	memset(&v->tables[v->ntables], 0, sizeof v->tables[0]);
	v->tables[v->ntables].ruleset_id = id;
	nl_strlcpy(v->tables[v->ntables].family, family, sizeof v->tables[0].family);
	nl_strlcpy(v->tables[v->ntables++].table, table, sizeof v->tables[0].table);
	return 0;
}

int rsview_add_base(struct nl_rsview *v, int64_t id, const char *family, const char *table,
		    int hook, int prio)
{
	size_t i;
	if (hook < 0 || rsview_add_table(v, id, family, table))
		return hook < 0 ? 0 : -1;
	for (i = 0; i < v->ntables; i++) {
		struct nl_rstable *t = &v->tables[i];
		if (t->ruleset_id != id || strcmp(t->family, family) || strcmp(t->table, table))
			continue;
		if (t->nbases == NL_TABLE_BASES) {
			t->bases_more = 1;
			return 0;
		}
		t->base_hook[t->nbases] = (signed char)hook;
		t->base_prio[t->nbases++] = prio;
		return 0;
	}
	return 0;
}

int rsview_failed(const struct nl_rsview *v)
{
	return v->failed || (v->base && v->base->failed);
}

/* Reads a chain (family NULL: any) from the store into the view. */
static const struct nl_chain *load_chain(struct nl_rsview *v, int64_t rs, const char *family,
					 const char *table, const char *name)
{
	struct nl_chain c, *n;
	const struct ixent *e;
	int r;
	memset(&c, 0, sizeof c);
	r = store_find_chain(v->store, rs, family, table, name, &c);
	if (r <= 0) {
		if (r < 0)
			v->failed = 1;
		else if (ix_put(v, family ? IX_EXACT : IX_ANY, rs, family ? family : "", table, name,
				NULL, 0))
			v->failed = 1;
		return NULL;
	}
	/* an any-family lookup of a chain read by its family before */
	if (!family && (e = ix_get(v, IX_EXACT, rs, c.family, table, name)) && e->ch) {
		if (ix_put(v, IX_ANY, rs, "", table, name, e->ch, 1))
			v->failed = 1;
		return e->ch;
	}
	if (store_chain_rules(v->store, &c) || !(n = rsview_add_chain(v))) {
		free(c.rules);
		free(c.uncond);
		v->failed = 1;
		return NULL;
	}
	*n = c;
	v->bytes += sizeof c + c.size + (c.sparse ? (size_t)(c.nuncond > 0 ? c.nuncond : 0) * sizeof(int)
						  : (c.cap - (size_t)c.nrules) * sizeof c.rules[0]);
	if (ix_sync(v))
		v->failed = 1;
	return n;
}

static const struct nl_chain *chain_get(const struct nl_rsview *cv, int64_t rs, const char *family,
					const char *table, const char *name)
{
	struct nl_rsview *v = (struct nl_rsview *)cv;	/* the chains read are a cache */
	const struct ixent *e;
	if (v->base) {
		const struct nl_chain *p = chain_get(v->base, rs, family, table, name);
		size_t i;
		for (i = 0; p && i < v->nchains; i++)
			if (v->chains[i]->orig == p)
				return v->chains[i];
		return p;
	}
	if (ix_sync(v)) {
		v->failed = 1;
		return NULL;
	}
	e = ix_get(v, family ? IX_EXACT : IX_ANY, rs, family ? family : "", table, name);
	if (e && e->has)
		return e->ch;
	if (e || !v->store)
		return NULL;
	return load_chain(v, rs, family, table, name);
}

const struct nl_chain *rsview_chain(const struct nl_rsview *v, int64_t rs, const char *family,
				    const char *table, const char *name)
{
	return chain_get(v, rs, family, table, name);
}

/* The dump whose chains a lookup reads: `prefer` if it has the table,
 * else the first in view order that has it; -1 when none has. */
static int64_t table_dump(const struct nl_rsview *v, const char *family, const char *table)
{
	size_t i;
	int64_t rs = -1;
	for (i = 0; i < v->ntables; i++) {
		const struct nl_rstable *t = &v->tables[i];
		if ((family && strcmp(t->family, family)) || strcmp(t->table, table))
			continue;
		if (rs < 0)
			rs = t->ruleset_id;
		if (!v->prefer || t->ruleset_id == v->prefer) {
			rs = t->ruleset_id;
			break;
		}
	}
	return rs;
}

int rsview_bound_hits(struct nl_rsview *v, int64_t rs, int64_t until_us)
{
	int64_t *b = realloc(v->bounded, (v->nbounded + 1) * sizeof *b), *u;
	if (!b)
		return -1;
	v->bounded = b;
	if (!(u = realloc(v->bounded_until, (v->nbounded + 1) * sizeof *u)))
		return -1;
	v->bounded_until = u;
	v->bounded[v->nbounded] = rs;
	v->bounded_until[v->nbounded++] = until_us;
	return 0;
}

int rsview_predates(const struct nl_rsview *v, int64_t rs, int64_t t_us)
{
	size_t i;
	for (i = 0; t_us >= 0 && i < v->nbounded; i++)
		if (v->bounded[i] == rs)
			return t_us >= v->bounded_until[i] + NL_DUMP_SKEW_US;
	return 0;
}

static uint64_t hit_where(const char *table, const char *chain)
{
	return nl_hash64(chain, strlen(chain), nl_hash64(table, strlen(table) + 1, NL_HASH_INIT));
}

int rsview_add_hit(struct nl_rsview *v, int64_t ruleset, const char *table, const char *chain,
		   int64_t num, int64_t packets)
{
	struct nl_rulehit *h;
	if (v->nhits >= NL_MAXHITS) {
		v->hits_cut = 1;
		return 0;
	}
	if (v->nhits == v->caphits) {
		size_t cap = v->caphits ? v->caphits * 2 : 64;
		h = realloc(v->hits, cap * sizeof *h);
		if (!h)
			return -1;
		v->hits = h;
		v->caphits = cap;
	}
	h = &v->hits[v->nhits++];
	h->ruleset = ruleset;
	h->where = hit_where(table, chain);
	h->num = num;
	h->packets = packets;
	return 0;
}

static int hit_cmp(const void *x, const void *y)
{
	const struct nl_rulehit *a = x, *b = y;
	int c = (a->ruleset > b->ruleset) - (a->ruleset < b->ruleset);
	if (!c)
		c = (a->where > b->where) - (a->where < b->where);
	if (!c)
		c = (a->num > b->num) - (a->num < b->num);
	return c;
}

void rsview_sort_hits(struct nl_rsview *v)
{
	if (v->nhits > 1)
		qsort(v->hits, v->nhits, sizeof *v->hits, hit_cmp);
}

int64_t rsview_hits(const struct nl_rsview *v, int64_t rs, const char *table, const char *chain,
		    int64_t num)
{
	struct nl_rulehit key;
	const struct nl_rulehit *h;
	size_t i;
	if (!v->nhits)
		return 0;
	memset(&key, 0, sizeof key);
	for (i = 0; i < v->nbounded; i++)
		if (v->bounded[i] == rs)
			key.ruleset = rs;
	key.where = hit_where(table, chain);
	key.num = num;
	h = bsearch(&key, v->hits, v->nhits, sizeof *v->hits, hit_cmp);
	return h ? h->packets : 0;
}

int counter_contradicts(const struct nl_vrule *r, int64_t traced, char *why, size_t n)
{
	int64_t slack = 0, unit;
	if (r->pkts < 0 || traced <= r->pkts)
		return 0;
	/* `iptables -L -v` without -x prints 123K for 123000 to 123999 */
	if (r->pkts >= 100000)
		for (unit = 1000; unit <= 1000000000000LL && r->pkts % unit == 0; unit *= 1000)
			slack = unit - 1;
	if (traced <= r->pkts + slack)
		return 0;
	snprintf(why, n, "the dump counts %lld packet%s for it, yet %lld traced packet%s hit it",
		 (long long)r->pkts, r->pkts == 1 ? "" : "s", (long long)traced,
		 traced == 1 ? "" : "s");
	return 1;
}

struct nl_set *rsview_add_set(struct nl_rsview *v)
{
	if (v->nsets == v->capsets) {
		size_t cap = v->capsets ? v->capsets * 2 : 8;
		struct nl_set *s = realloc(v->sets, cap * sizeof *s);
		if (!s)
			return NULL;
		v->sets = s;
		v->capsets = cap;
	}
	memset(&v->sets[v->nsets], 0, sizeof v->sets[0]);
	return &v->sets[v->nsets++];
}

int rsview_add_elem(struct nl_set *s, const char *key, const char *value)
{
	char *e;
	size_t kn = strlen(key), vn = value ? strlen(value) : 0;
	if (s->nelems == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **p = realloc(s->elems, cap * sizeof *p);
		if (!p)
			return -1;
		s->elems = p;
		s->cap = cap;
	}
	e = malloc(kn + vn + 2);
	if (!e)
		return -1;
	memcpy(e, key, kn);
	e[kn] = '\0';
	if (value) {
		e[kn] = '\t';
		memcpy(e + kn + 1, value, vn + 1);
	}
	s->elems[s->nelems++] = e;
	return 0;
}

const struct nl_chain *rsview_find_nft(const struct nl_rsview *v, const char *family,
				       const char *table, const char *chain, int *table_known)
{
	int64_t rs;
	if (ix_sync((struct nl_rsview *)v))
		((struct nl_rsview *)v)->failed = 1;
	rs = table_dump(v, family, table);
	if (table_known)
		*table_known = rs >= 0;
	return rs >= 0 ? chain_get(v, rs, family, table, chain) : NULL;
}

const struct nl_set *rsview_find_set(const struct nl_rsview *v, int64_t ruleset_id,
				     const char *family, const char *table, const char *name)
{
	size_t i;
	for (i = 0; i < v->nsets; i++)
		if (v->sets[i].ruleset_id == ruleset_id && !strcmp(v->sets[i].family, family) &&
		    !strcmp(v->sets[i].table, table) && !strcmp(v->sets[i].name, name))
			return &v->sets[i];
	return NULL;
}

struct nl_chain *rsview_add_chain(struct nl_rsview *v)
{
	struct nl_chain *c;
	if (v->nchains == v->capchains) {
		size_t cap = v->capchains ? v->capchains * 2 : 32;
		struct nl_chain **n = realloc(v->chains, cap * sizeof(struct nl_chain *));
		if (!n)
			return NULL;
		v->chains = n;
		v->capchains = cap;
	}
	if (!(c = calloc(1, sizeof *c)))
		return NULL;
	v->chains[v->nchains++] = c;
	return c;
}

int rsview_rule(struct nl_vrule *o, const struct nl_rule *r)
{
	const char *s[10] = { r->text, r->family, r->table, r->chain, r->target, r->target_arg,
			      r->src, r->dst, r->iif, r->oif };
	const char **d[10] = { &o->text, &o->family, &o->table, &o->chain, &o->target,
			       &o->target_arg, &o->src, &o->dst, &o->iif, &o->oif };
	size_t len[10], sum = 0;
	char *m;
	int i;
	for (i = 0; i < 10; i++)
		sum += len[i] = strlen(s[i]) + 1;
	if (!(m = malloc(sum)))
		return -1;
	for (i = 0; i < 10; i++) {
		memcpy(m, s[i], len[i]);
		*d[i] = m;
		m += len[i];
	}
	o->position = r->position;
	o->handle = r->handle;
	o->is_goto = r->is_goto;
	o->uncond = r->uncond;
	o->proto = r->proto;
	o->proto_neg = r->proto_neg;
	o->src_neg = r->src_neg;
	o->dst_neg = r->dst_neg;
	o->iif_neg = r->iif_neg;
	o->oif_neg = r->oif_neg;
	o->sport_lo = r->sport_lo;
	o->sport_hi = r->sport_hi;
	o->sport_neg = r->sport_neg;
	o->dport_lo = r->dport_lo;
	o->dport_hi = r->dport_hi;
	o->dport_neg = r->dport_neg;
	o->pkts = r->pkts;
	o->bytes = r->bytes;
	return (int)sum;
}

void rsview_sparse_why(const struct nl_chain *ch, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s %s has %d rules, more than natlog reads whole (%d)", ch->family,
		 ch->family[0] ? " " : "", ch->table, ch->name, ch->nrules, NL_MAXCHAIN);
}

const struct nl_vrule *rsview_rule_at(const struct nl_rsview *cv, const struct nl_chain *cch,
				      int pos, int64_t handle, int *unread)
{
	struct nl_rsview *v = (struct nl_rsview *)cv;	/* the rules read are a cache */
	struct nl_chain *ch = (struct nl_chain *)cch;
	struct nl_store *st = v->store ? v->store : v->base ? v->base->store : NULL;
	struct nl_vrule *got = NULL, **more;
	struct nl_rule *r = NULL;
	size_t k;
	int i, n;
	*unread = 0;
	if (pos > ch->nrules || (pos <= 0 && handle < 0))
		return NULL;
	if (!ch->sparse) {
		if (pos > 0)
			return &ch->rules[pos - 1];
		for (i = 0; i < ch->nrules; i++)
			if (ch->rules[i].handle == handle)
				return &ch->rules[i];
		return NULL;
	}
	for (k = 0; k < ch->ngot; k++)
		if (pos > 0 ? ch->got[k]->position == pos : ch->got[k]->handle == handle)
			return ch->got[k];
	*unread = 1;
	if (!st || ch->ngot >= NL_SPARSE_GOT)
		return NULL;
	if (!(r = malloc(sizeof *r)) || !(got = malloc(sizeof *got)) ||
	    !(more = realloc(ch->got, (ch->ngot + 1) * sizeof(struct nl_vrule *)))) {
		free(got);
		free(r);
		v->failed = 1;
		return NULL;
	}
	ch->got = more;
	n = store_chain_rule(st, ch, pos, handle, r);
	if (n > 0)
		n = rsview_rule(got, r);
	free(r);
	if (n <= 0) {
		if (n < 0)
			v->failed = 1;
		*unread = n == 0 && pos > 0;	/* a position that a '...' hid */
		free(got);
		return NULL;
	}
	*unread = 0;
	ch->got[ch->ngot++] = got;
	v->bytes += sizeof *got + (size_t)n;
	return got;
}

int rsview_add_rule(struct nl_chain *c, const struct nl_rule *r)
{
	int n;
	if ((size_t)c->nrules == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct nl_vrule *nr = realloc(c->rules, cap * sizeof *nr);
		if (!nr)
			return -1;
		c->rules = nr;
		c->cap = cap;
	}
	if ((n = rsview_rule(&c->rules[c->nrules], r)) < 0)
		return -1;
	c->nrules++;
	c->size += (size_t)n + sizeof c->rules[0];
	return 0;
}

const struct nl_chain *rsview_find(const struct nl_rsview *v, const char *table,
				   const char *chain, int *table_known)
{
	int64_t rs;
	/* legacy lookups take any family */
	if (ix_sync((struct nl_rsview *)v))
		((struct nl_rsview *)v)->failed = 1;
	rs = table_dump(v, NULL, table);
	if (table_known)
		*table_known = rs >= 0;
	return rs >= 0 ? chain_get(v, rs, NULL, table, chain) : NULL;
}

/* Whether the dump has the chain, without reading its rules: a rule's
 * jump target is looked up for every traced step. */
int rsview_has_chain(const struct nl_rsview *cv, int64_t ruleset_id, const char *table,
		     const char *chain)
{
	struct nl_rsview *v = (struct nl_rsview *)cv;
	const struct ixent *e;
	struct nl_chain c;
	int r;
	while (v->base)
		v = (struct nl_rsview *)v->base;	/* changed copies keep their names */
	if (ix_sync(v))
		v->failed = 1;
	if ((e = ix_get(v, IX_ANY, ruleset_id, "", table, chain)))
		return e->ch != NULL;
	if ((e = ix_get(v, IX_HAS, ruleset_id, "", table, chain)))
		return e->has;
	if (!v->store)
		return 0;
	memset(&c, 0, sizeof c);
	if ((r = store_find_chain(v->store, ruleset_id, NULL, table, chain, &c)) < 0 ||
	    ix_put(v, IX_HAS, ruleset_id, "", table, chain, NULL, r)) {
		v->failed = 1;
		return 0;
	}
	return r;
}

int target_is_standard(const char *t)
{
	return !strcmp(t, "ACCEPT") || !strcmp(t, "DROP") || !strcmp(t, "RETURN") ||
	       !strcmp(t, "QUEUE");
}

static int port_in(int port, int lo, int hi)
{
	return port >= lo && port <= hi;
}

int rule_contradicts(const struct nl_vrule *r, const struct nl_pkt *p, char *why, size_t n)
{
	int in;

	if (r->proto >= 0 && p->proto >= 0 && ((r->proto == p->proto) == r->proto_neg)) {
		const char *rn = nl_proto_name(r->proto), *pn = nl_proto_name(p->proto);
		snprintf(why, n, "it matches protocol %s%s, the packet is %s", r->proto_neg ? "not " : "",
			 rn ? rn : "?", pn ? pn : "?");
		return 1;
	}
	if (r->src[0] && p->src[0]) {
		in = nl_addr_in_prefix(p->src, r->src);
		if (in >= 0 && in == r->src_neg) {
			snprintf(why, n, "it matches source %s%s, the packet is from %s",
				 r->src_neg ? "not " : "", r->src, p->src);
			return 1;
		}
	}
	if (r->dst[0] && p->dst[0]) {
		in = nl_addr_in_prefix(p->dst, r->dst);
		if (in >= 0 && in == r->dst_neg) {
			snprintf(why, n, "it matches destination %s%s, the packet is to %s",
				 r->dst_neg ? "not " : "", r->dst, p->dst);
			return 1;
		}
	}
	if (r->iif[0]) {
		in = p->iif[0] && nl_ifname_match(r->iif, p->iif);
		if (in == r->iif_neg) {
			snprintf(why, n, "it matches input interface %s%s, the packet came in on %s",
				 r->iif_neg ? "not " : "", r->iif, p->iif[0] ? p->iif : "no interface");
			return 1;
		}
	}
	if (r->oif[0]) {
		in = p->oif[0] && nl_ifname_match(r->oif, p->oif);
		if (in == r->oif_neg) {
			snprintf(why, n, "it matches output interface %s%s, the packet goes out on %s",
				 r->oif_neg ? "not " : "", r->oif, p->oif[0] ? p->oif : "no interface");
			return 1;
		}
	}
	if (r->dport_lo >= 0 && p->dport >= 0 &&
	    port_in(p->dport, r->dport_lo, r->dport_hi) == r->dport_neg) {
		snprintf(why, n, "it matches destination port %s%d%s%.0d, the packet's is %d",
			 r->dport_neg ? "not " : "", r->dport_lo, r->dport_hi != r->dport_lo ? ":" : "",
			 r->dport_hi != r->dport_lo ? r->dport_hi : 0, p->dport);
		return 1;
	}
	if (r->sport_lo >= 0 && p->sport >= 0 &&
	    port_in(p->sport, r->sport_lo, r->sport_hi) == r->sport_neg) {
		snprintf(why, n, "it matches source port %s%d%s%.0d, the packet's is %d",
			 r->sport_neg ? "not " : "", r->sport_lo, r->sport_hi != r->sport_lo ? ":" : "",
			 r->sport_hi != r->sport_lo ? r->sport_hi : 0, p->sport);
		return 1;
	}
	return 0;
}
