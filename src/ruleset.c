/*
 * ruleset.c - the ruleset view used by analysis, and the check of a dumped
 * rule against the packet that is said to have matched it: a rule whose
 * matches contradict the packet means the dump is not the ruleset that
 * produced the trace.
 */
#include "natlog.h"
#include "ruleset.h"
#include "rewind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rsview_free(struct nl_rsview *v)
{
	size_t i, j;
	for (i = 0; i < v->n; i++)
		free(v->chains[i].rules);
	free(v->chains);
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
	free(v->idx);
	memset(v, 0, sizeof *v);
}

/* Chains by name: a kube-proxy dump has 80 000, and every traced step
 * looks one up. Open addressing over three kinds of key, each slot the
 * index + 1 of the first chain in view order that has the key. */
enum { IX_CHAIN, IX_RSTABLE, IX_TABLE };
struct nl_chainidx {
	const struct nl_chain *base;	/* the chains it was built over */
	size_t n, mask;
	int families;			/* a chain has an nft family */
	uint32_t slot[];
};

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
	if (kind != IX_TABLE)
		h = (h ^ (uint64_t)rs) * 1099511628211ULL;
	h = ix_mix(ix_mix(h, family), table);
	return kind == IX_CHAIN ? ix_mix(h, name) : h;
}

static int ix_same(const struct nl_chain *c, int kind, int64_t rs, const char *family,
		   const char *table, const char *name)
{
	return (kind == IX_TABLE || c->ruleset_id == rs) && !strcmp(c->family, family) &&
	       !strcmp(c->table, table) && (kind != IX_CHAIN || !strcmp(c->name, name));
}

/* Slot of the key: its chain's, or the empty one it would take. */
static size_t ix_slot(const struct nl_rsview *v, int kind, int64_t rs, const char *family,
		      const char *table, const char *name)
{
	const struct nl_chainidx *x = v->idx;
	size_t i = (size_t)ix_hash(kind, rs, family, table, name) & x->mask;
	while (x->slot[i] && !(((x->slot[i] >> 30) & 3) == (uint32_t)kind &&
			       ix_same(&v->chains[(x->slot[i] & 0x3fffffff) - 1], kind, rs, family,
				       table, name)))
		i = (i + 1) & x->mask;
	return i;
}

/* 0, or -1 when there is no index (out of memory, too many chains): the
 * callers then scan. Built again when the chains changed. */
static int ix_build(const struct nl_rsview *cv)
{
	struct nl_rsview *v = (struct nl_rsview *)cv;	/* the index is a cache of the view */
	size_t cap = 16, i;
	int k;
	if (v->idx && v->idx->base == v->chains && v->idx->n == v->n)
		return 0;
	free(v->idx);
	v->idx = NULL;
	if (v->n >= 0x3fffffff / 4)
		return -1;
	while (cap < 3 * v->n * 2)
		cap *= 2;
	if (!(v->idx = calloc(1, sizeof *v->idx + cap * sizeof v->idx->slot[0])))
		return -1;
	v->idx->base = v->chains;
	v->idx->n = v->n;
	v->idx->mask = cap - 1;
	for (i = 0; i < v->n; i++)
		for (k = IX_CHAIN; k <= IX_TABLE; k++) {
			const struct nl_chain *c = &v->chains[i];
			size_t s = ix_slot(v, k, c->ruleset_id, c->family, c->table, c->name);
			if (!v->idx->slot[s])
				v->idx->slot[s] = (uint32_t)(i + 1) | ((uint32_t)k << 30);
			v->idx->families |= c->family[0] != '\0';
		}
	return 0;
}

/* The first chain with the key, or NULL. */
static const struct nl_chain *ix_find(const struct nl_rsview *v, int kind, int64_t rs,
				      const char *family, const char *table, const char *name)
{
	uint32_t e = v->idx->slot[ix_slot(v, kind, rs, family, table, name)];
	return e ? &v->chains[(e & 0x3fffffff) - 1] : NULL;
}

/* The chain of ruleset `prefer` if it has the family's table, else of the
 * first dump in view order that has it. */
static const struct nl_chain *ix_lookup(const struct nl_rsview *v, const char *family,
					const char *table, const char *chain, int *table_known)
{
	const struct nl_chain *first = ix_find(v, IX_TABLE, 0, family, table, "");
	int64_t rs = first ? first->ruleset_id : -1;
	if (first && v->prefer && rs != v->prefer && ix_find(v, IX_RSTABLE, v->prefer, family, table, ""))
		rs = v->prefer;
	if (table_known)
		*table_known = rs >= 0;
	return rs >= 0 ? ix_find(v, IX_CHAIN, rs, family, table, chain) : NULL;
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

int rsview_add_hit(struct nl_rsview *v, int64_t ruleset, const char *table, const char *chain,
		   int64_t num, int64_t packets)
{
	struct nl_rulehit *h;
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
	nl_strlcpy(h->table, table, sizeof h->table);
	nl_strlcpy(h->chain, chain, sizeof h->chain);
	h->num = num;
	h->packets = packets;
	return 0;
}

static int hit_cmp(const void *x, const void *y)
{
	const struct nl_rulehit *a = x, *b = y;
	int c = (a->ruleset > b->ruleset) - (a->ruleset < b->ruleset);
	if (!c)
		c = strcmp(a->table, b->table);
	if (!c)
		c = strcmp(a->chain, b->chain);
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
	nl_strlcpy(key.table, table, sizeof key.table);
	nl_strlcpy(key.chain, chain, sizeof key.chain);
	key.num = num;
	h = bsearch(&key, v->hits, v->nhits, sizeof *v->hits, hit_cmp);
	return h ? h->packets : 0;
}

int counter_contradicts(const struct nl_rule *r, int64_t traced, char *why, size_t n)
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
	size_t i;
	int64_t rs = -1;
	if (ix_build(v) == 0)
		return ix_lookup(v, family, table, chain, table_known);
	for (i = 0; i < v->n; i++)
		if (!strcmp(v->chains[i].family, family) && !strcmp(v->chains[i].table, table) &&
		    (rs < 0 || v->chains[i].ruleset_id == v->prefer)) {
			rs = v->chains[i].ruleset_id;
			if (!v->prefer || rs == v->prefer)
				break;
		}
	if (table_known)
		*table_known = rs >= 0;
	for (i = 0; rs >= 0 && i < v->n; i++)
		if (v->chains[i].ruleset_id == rs && !strcmp(v->chains[i].family, family) &&
		    !strcmp(v->chains[i].table, table) && !strcmp(v->chains[i].name, chain))
			return &v->chains[i];
	return NULL;
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
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 32;
		struct nl_chain *c = realloc(v->chains, cap * sizeof *c);
		if (!c)
			return NULL;
		v->chains = c;
		v->cap = cap;
	}
	memset(&v->chains[v->n], 0, sizeof v->chains[0]);
	return &v->chains[v->n++];
}

int rsview_add_rule(struct nl_chain *c, const struct nl_rule *r)
{
	if ((size_t)c->nrules == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct nl_rule *n = realloc(c->rules, cap * sizeof *n);
		if (!n)
			return -1;
		c->rules = n;
		c->cap = cap;
	}
	c->rules[c->nrules++] = *r;
	return 0;
}

const struct nl_chain *rsview_find(const struct nl_rsview *v, const char *table,
				   const char *chain, int *table_known)
{
	size_t i;
	int64_t rs = -1;
	/* legacy lookups take any family: the index only where none has one */
	if (ix_build(v) == 0 && !v->idx->families)
		return ix_lookup(v, "", table, chain, table_known);
	for (i = 0; i < v->n; i++)
		if (strcmp(v->chains[i].table, table) == 0 &&
		    (rs < 0 || v->chains[i].ruleset_id == v->prefer)) {
			rs = v->chains[i].ruleset_id;
			if (!v->prefer || rs == v->prefer)
				break;
		}
	if (table_known)
		*table_known = rs >= 0;
	if (rs < 0)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (v->chains[i].ruleset_id == rs && strcmp(v->chains[i].table, table) == 0 &&
		    strcmp(v->chains[i].name, chain) == 0)
			return &v->chains[i];
	return NULL;
}

int rsview_has_chain(const struct nl_rsview *v, int64_t ruleset_id, const char *table,
		     const char *chain)
{
	size_t i;
	if (ix_build(v) == 0 && !v->idx->families)
		return ix_find(v, IX_CHAIN, ruleset_id, "", table, chain) != NULL;
	for (i = 0; i < v->n; i++)
		if (v->chains[i].ruleset_id == ruleset_id && !strcmp(v->chains[i].table, table) &&
		    !strcmp(v->chains[i].name, chain))
			return 1;
	return 0;
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

int rule_contradicts(const struct nl_rule *r, const struct nl_pkt *p, char *why, size_t n)
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
