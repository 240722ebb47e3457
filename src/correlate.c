/*
 * correlate.c - groups legacy TRACE lines (and the LOG lines among them)
 * into packets while an import streams. Lines carry no packet id: a packet
 * is recognised by what NAT and forwarding do not change (source, IP ID,
 * TCP SEQ/ACK, length, ICMP id) and a new one begins when the hook order
 * starts again (a retransmitted SYN with the same SEQ and ID 0 is a new
 * packet because its trace restarts at raw PREROUTING).
 * nft traces carry an id, but ids are reused: a packet: line for a base
 * chain the packet already passed, or with another IP ID, starts a new one.
 * And a packet can change id on its way (a bridge passing a frame up to its
 * own address): a new id whose first packet: line has the IP ID, length and
 * addresses of a packet traced just before continues that packet, the new
 * id kept as an alias.
 */
#include "natlog.h"
#include "correlate.h"
#include "analyze.h"
#include "prof.h"
#include "store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


#define NBUCKET 8192
#define MAXOPEN 16384
#define GAP_SECONDS 1.0
#define LOG_PREFIXES 8

struct open_pkt {
	uint64_t key;
	int64_t packet_id;
	int step;
	int hook;
	char table[16];
	int prio;
	int last_rulenum;	/* in the built-in chain of this table and hook */
	int64_t seq, ack;
	int builtin_done;	/* a policy line ended this table's chain */
	double last_up;
	int used;
	int next;		/* bucket chain */
	int lru_prev, lru_next;
	/* a packet of LOG lines alone: what a later LOG line of it must agree
	 * with (its interfaces, a TTL one lower at most after forwarding,
	 * a LOG rule it did not hit yet) */
	int logonly;
	uint64_t iif_h, oif_h, dst_h;
	int ttl;
	int window;		/* TCP's: no LOG rule or NAT changes it */
	int64_t wsec;
	uint64_t prefix_h[LOG_PREFIXES];
	int nprefix;
	int carried;		/* handed on from the log read before (corr_carry) */
	int analysed;		/* its row was written analysed (analyze_logged) */
	uint64_t host_h;
};

#define CORR_HOSTS 64

#define NFT_SLOTS 4096
#define NFT_SEEN 16

/* A packet being followed by its nft trace id, in its host's network
 * namespace: a monitor run in another namespace (a section run with ip
 * netns exec) may print the same id for a packet of that namespace's. */
struct nft_open {
	char id[16];
	char host[128];
	char netns[128];
	int64_t packet_id;
	int step;
	struct nl_pkt pkt;		/* headers at the last base chain */
	uint64_t seen[NFT_SEEN];	/* base chains passed */
	int nseen;
	int ended;			/* its last line accepted it at a base chain */
	int bare;			/* its row has no headers: its first line showed none */
	int used;
	unsigned long last_use;
};

#define NFT_IDENT 1024

struct nl_corr {
	struct nft_open *nft;
	uint64_t ident_key[NFT_IDENT];	/* packet identity -> nft slot, for id changes */
	int ident_slot[NFT_IDENT];
	/* the same for packets with IP ID 0 (or none), by their full headers;
	 * twin: two open packets had that identity, so neither can be told */
	uint64_t ident0_key[NFT_IDENT];
	int ident0_slot[NFT_IDENT];
	unsigned char ident0_twin[NFT_IDENT];
	unsigned long clock;
	struct nl_store *store;
	int64_t source_id;
	const char *kind;
	int64_t packets;
	int buckets[NBUCKET];
	struct open_pkt *slots;
	int nslots;		/* slots ever used: the rest are free, not listed */
	int lru_head, lru_tail;	/* head = most recent */
	int free_head;
	/* the latest kernel time of a traced line, per host (clocks of
	 * several hosts' logs interleaved have nothing in common) */
	struct {
		uint64_t h;
		double up;
	} hosts[CORR_HOSTS];
	int nhosts, last_host;
	/* packets only logged, analysed as their rows are written: the rules
	 * read for them by host, their line, its hits. A dump the source
	 * brings after them has them analysed again (store_reanalyze_source). */
	struct nl_rsviews *views;
	struct nl_event_row *line;
	struct nl_hits *hits;
};

int corr_hook(const char *chain)
{
	if (!strcmp(chain, "PREROUTING")) return H_PRE;
	if (!strcmp(chain, "INPUT")) return H_IN;
	if (!strcmp(chain, "FORWARD")) return H_FWD;
	if (!strcmp(chain, "OUTPUT")) return H_OUT;
	if (!strcmp(chain, "POSTROUTING")) return H_POST;
	return H_NONE;
}

static int hook_rank(int h)
{
	return h == H_PRE || h == H_OUT ? 0 : h == H_POST ? 2 : 1;
}

/* Table priority at a hook (NF_IP_PRI_*): nat is dstnat before routing
 * and srcnat after. */
int corr_table_prio(const char *table, int hook)
{
	if (!strcmp(table, "raw")) return -300;
	if (!strcmp(table, "mangle")) return -150;
	if (!strcmp(table, "nat")) return hook == H_PRE || hook == H_OUT ? -100 : 100;
	if (!strcmp(table, "filter")) return 0;
	if (!strcmp(table, "security")) return 50;
	return 0;
}

static int transition_ok(int from, int to)
{
	if (from == to)
		return 1;
	switch (from) {
	case H_PRE: return to == H_IN || to == H_FWD || to == H_POST;
	case H_FWD: return to == H_POST;
	case H_OUT: return to == H_POST;
	default: return 0;
	}
}

static uint64_t identity(const struct nl_event *ev)
{
	const struct nl_pkt *p = &ev->pkt;
	/* SEQ/ACK are compared apart: LOG lines print them only on request */
	int64_t v[8] = { p->family, p->proto, p->sport, p->ip_id, p->icmp_id, p->icmp_seq,
			 p->len, 0 };
	uint64_t h = NL_HASH_INIT;
	h = nl_hash64(ev->host, strlen(ev->host) + 1, h);
	h = nl_hash64(p->src, strlen(p->src) + 1, h);
	return nl_hash64(v, sizeof v, h);
}

struct nl_corr *corr_new(struct nl_store *s, int64_t source_id)
{
	struct nl_corr *c = calloc(1, sizeof *c);
	int i;
	if (!c)
		return NULL;
	c->slots = malloc(MAXOPEN * sizeof *c->slots);	/* each cleared when taken */
	if (!c->slots) {
		free(c);
		return NULL;
	}
	c->store = s;
	c->source_id = source_id;
	for (i = 0; i < NBUCKET; i++)
		c->buckets[i] = -1;
	/* slots are taken in order before the free list is used, so a small
	 * file touches only the pages it needs */
	c->free_head = -1;
	c->lru_head = c->lru_tail = -1;
	return c;
}

/* The latest kernel time of host h's traced lines, -1 when none is known. */
static double host_up(const struct nl_corr *c, uint64_t h)
{
	int i;
	for (i = 0; i < c->nhosts; i++)
		if (c->hosts[i].h == h)
			return c->hosts[i].up;
	return -1;
}

static void host_saw(struct nl_corr *c, uint64_t h, double up)
{
	int i = c->last_host;
	/* a log's lines come mostly from one host at a time */
	if (i >= c->nhosts || c->hosts[i].h != h)
		for (i = 0; i < c->nhosts && c->hosts[i].h != h; i++)
			;
	if (i == c->nhosts) {
		if (c->nhosts == CORR_HOSTS)
			return;
		c->hosts[c->nhosts++].h = h;
		c->hosts[i].up = up;
	}
	c->last_host = i;
	if (up > c->hosts[i].up)
		c->hosts[i].up = up;
}

void corr_free(struct nl_corr *c)
{
	if (!c)
		return;
	free(c->slots);
	free(c->nft);
	if (c->views)
		rsviews_free(c->views);
	free(c->views);
	free(c->line);
	free(c->hits);
	free(c);
}

int64_t corr_packets(const struct nl_corr *c)
{
	return c->packets;
}

static void lru_unlink(struct nl_corr *c, int i)
{
	struct open_pkt *o = &c->slots[i];
	if (o->lru_prev >= 0)
		c->slots[o->lru_prev].lru_next = o->lru_next;
	else
		c->lru_head = o->lru_next;
	if (o->lru_next >= 0)
		c->slots[o->lru_next].lru_prev = o->lru_prev;
	else
		c->lru_tail = o->lru_prev;
}

static void lru_front(struct nl_corr *c, int i)
{
	struct open_pkt *o = &c->slots[i];
	o->lru_prev = -1;
	o->lru_next = c->lru_head;
	if (c->lru_head >= 0)
		c->slots[c->lru_head].lru_prev = i;
	c->lru_head = i;
	if (c->lru_tail < 0)
		c->lru_tail = i;
}

static void bucket_remove(struct nl_corr *c, int i)
{
	int *pp = &c->buckets[c->slots[i].key % NBUCKET];
	while (*pp >= 0 && *pp != i)
		pp = &c->slots[*pp].next;
	if (*pp == i)
		*pp = c->slots[i].next;
}

static int find(struct nl_corr *c, uint64_t key)
{
	int i = c->buckets[key % NBUCKET];
	while (i >= 0 && c->slots[i].key != key)
		i = c->slots[i].next;
	return i;
}

static int take_slot(struct nl_corr *c, uint64_t key)
{
	int i = c->free_head;
	if (i < 0 && c->nslots < MAXOPEN) {
		i = c->nslots++;
	} else if (i < 0) {
		/* full: forget the packet seen longest ago */
		i = c->lru_tail;
		lru_unlink(c, i);
		bucket_remove(c, i);
	} else {
		c->free_head = c->slots[i].next;
	}
	memset(&c->slots[i], 0, sizeof c->slots[i]);
	c->slots[i].key = key;
	c->slots[i].next = c->buckets[key % NBUCKET];
	c->buckets[key % NBUCKET] = i;
	lru_front(c, i);
	return i;
}

/* Does event ev continue the open packet o, or start a new one? */
static int continues(const struct open_pkt *o, const struct nl_event *ev, int hook, int prio)
{
	if (o->carried && ev->uptime < 0)
		return 0;	/* another file: only its kernel time can tell */
	if (o->seq >= 0 && ev->pkt.seq >= 0 && (o->seq != ev->pkt.seq || o->ack != ev->pkt.ack))
		return 0;
	if (o->last_up >= 0 && ev->uptime >= 0 &&
	    (ev->uptime - o->last_up > GAP_SECONDS || ev->uptime < o->last_up))
		return 0;
	if (hook == H_NONE)
		return 1;	/* a user chain: entered from the chain seen last */
	if (hook != o->hook) {
		/* a local packet to a local address comes back in on lo, traced
		 * still: after OUTPUT (and POSTROUTING) its PREROUTING */
		if (hook == H_PRE && (o->hook == H_OUT || o->hook == H_POST) &&
		    !strcmp(ev->pkt.iif, "lo"))
			return 1;
		if (!transition_ok(o->hook, hook) || hook_rank(hook) < hook_rank(o->hook))
			return 0;
		return 1;
	}
	if (prio < o->prio)
		return 0;
	if (prio == o->prio && !strcmp(ev->table, o->table)) {
		if (o->builtin_done || ev->rulenum <= o->last_rulenum)
			return 0;
	}
	return 1;
}

/* A legacy packet's id: a hash of what identifies the packet on the wire
 * (its first line's addresses, ports, IP ID, SEQ/ACK, length, ICMP id and
 * sequence, and where it was first traced), never of how the line was
 * rendered, so dmesg, dmesg -T, syslog, the journal and a sosreport give
 * the same id, with or without --host. The host is left out for the same
 * reason (a plain dmesg names none): identical packets, on one host or on
 * several, are told apart by store_add_packet's ".2", ".3" in the order
 * they were logged. */
static uint64_t packet_key(const struct nl_event *ev)
{
	const struct nl_pkt *k = &ev->pkt;
	int64_t v[12] = { k->family, k->proto, k->sport, k->dport, k->ip_id, k->seq, k->ack, k->len,
			  k->icmp_type, k->icmp_id, k->icmp_seq, ev->kind };
	uint64_t h = nl_hash64("natlog-id-2", 12, NL_HASH_INIT);
	h = nl_hash64(k->src, strlen(k->src) + 1, h);
	h = nl_hash64(k->dst, strlen(k->dst) + 1, h);
	h = nl_hash64(ev->table, strlen(ev->table) + 1, h);
	h = nl_hash64(ev->chain, strlen(ev->chain) + 1, h);
	return nl_hash64(v, sizeof v, h);
}

/* Packet p, only logged, with ev its first line: analysed before its row
 * is written (analyze_logged), so that nothing reads it back after the
 * import: 1 when it was, 0 when it waits for analyze_pending. */
static int log_analyse(struct nl_corr *c, struct nl_packet_row *p, const struct nl_event *ev)
{
	if (!c->views) {
		c->views = calloc(1, sizeof *c->views);
		c->line = malloc(sizeof *c->line);
		c->hits = malloc(sizeof *c->hits);
	}
	if (!c->views || !c->line || !c->hits)
		return -1;
	c->line->ev = *ev;
	c->line->ev.raw = c->line->ev.msg = NULL;
	c->line->id = 0;
	c->line->source_id = c->source_id;
	c->line->step = 1;
	c->line->file[0] = '\0';
	return analyze_logged(c->store, p, rsviews_pick(c->views, p, 0), c->line, c->hits);
}

/* analysed: NULL, or set to whether the row was written analysed */
static int64_t new_packet(struct nl_corr *c, const struct nl_event *ev, const char *source,
			  int *analysed)
{
	struct nl_packet_row p;
	const struct nl_pkt *k = &ev->pkt;
	uint64_t h = packet_key(ev);
	memset(&p, 0, sizeof p);
	snprintf(p.trace, sizeof p.trace, "%010llx", (unsigned long long)(h & 0xffffffffffULL));
	nl_strlcpy(p.source, source, sizeof p.source);
	p.source_id = c->source_id;
	nl_strlcpy(p.host, ev->host, sizeof p.host);
	p.family = k->family;
	nl_strlcpy(p.time, ev->time, sizeof p.time);
	p.uptime = ev->uptime;
	p.proto = k->proto;
	nl_strlcpy(p.src, k->src, sizeof p.src);
	nl_strlcpy(p.dst, k->dst, sizeof p.dst);
	p.sport = k->sport;
	p.dport = k->dport;
	p.ip_id = k->ip_id;
	p.tcp_seq = k->seq;
	p.tcp_flags = k->tcp_flags;
	p.icmp_type = k->icmp_type;
	p.icmp_id = k->icmp_id;
	c->packets++;
	if (analysed) {
		int64_t t0 = PROF_T0();
		*analysed = log_analyse(c, &p, ev);
		PROF_ADD(NL_P_LOGGED, t0);
		if (*analysed)
			return *analysed < 0 ? -1 : store_add_analysed(c->store, &p,
								       c->hits->bad ? NULL : c->hits->s);
	}
	return store_add_packet(c->store, &p);
}

/* The slot for this trace id: found, free, or the least recently used. */
static struct nft_open *nft_slot(struct nl_corr *c, const struct nl_event *ev, int *found)
{
	uint64_t h = nl_hash64(ev->trace_id, strlen(ev->trace_id), NL_HASH_INIT);
	size_t i, start;
	struct nft_open *victim = NULL;
	h = nl_hash64(ev->netns, strlen(ev->netns), h);
	start = (size_t)(nl_hash64(ev->host, strlen(ev->host), h) % NFT_SLOTS);
	for (i = 0; i < 64; i++) {
		struct nft_open *o = &c->nft[(start + i) % NFT_SLOTS];
		if (o->used && !strcmp(o->id, ev->trace_id) && !strcmp(o->host, ev->host) &&
		    !strcmp(o->netns, ev->netns)) {
			*found = 1;
			return o;
		}
		if (!o->used) {
			if (!victim || victim->used)
				victim = o;
		} else if (!victim || (victim->used && o->last_use < victim->last_use)) {
			victim = o;
		}
	}
	*found = 0;
	return victim;
}

/* The packet row of an nft or xtables trace's line ev, into row. */
static void nft_row(const struct nl_corr *c, const struct nl_event *ev, struct nl_packet_row *row)
{
	struct nl_packet_row p;
	const struct nl_pkt *k = &ev->pkt;
	memset(&p, 0, sizeof p);
	nl_strlcpy(p.trace, ev->trace_id, sizeof p.trace);
	nl_strlcpy(p.source, ev->xt ? "xtables-trace" : "nft-trace", sizeof p.source);
	p.source_id = c->source_id;
	nl_strlcpy(p.host, ev->host, sizeof p.host);
	nl_strlcpy(p.netns, ev->netns, sizeof p.netns);
	/* a line without an IP header (ARP, a packet: line cut short) in an
	 * inet, bridge or netdev table: the IP version is not known */
	p.family = k->family			  ? k->family
		   : !strcmp(ev->nft_family, "ip6") ? 6
		   : !strcmp(ev->nft_family, "ip")  ? 4 : 0;
	nl_strlcpy(p.time, ev->time, sizeof p.time);
	p.uptime = ev->uptime;
	p.proto = k->proto;
	nl_strlcpy(p.src, k->src, sizeof p.src);
	nl_strlcpy(p.dst, k->dst, sizeof p.dst);
	p.sport = k->sport;
	p.dport = k->dport;
	p.ip_id = k->ip_id;
	p.tcp_seq = -1;
	p.tcp_flags = k->tcp_flags;
	p.icmp_type = k->icmp_type;
	p.icmp_id = k->icmp_id;
	*row = p;
}

static int64_t nft_new_packet(struct nl_corr *c, const struct nl_event *ev)
{
	struct nl_packet_row p;
	nft_row(c, ev, &p);
	c->packets++;
	return store_add_packet(c->store, &p);
}

static uint64_t nft_identity(const struct nl_event *ev)
{
	const struct nl_pkt *p = &ev->pkt;
	/* not the protocol: an xtables PACKET: line of ICMP prints none, and
	 * the rule before it (-p icmp) may have given one id its protocol */
	int64_t v[4] = { p->ip_id, p->len, p->sport, p->dport };
	uint64_t h = nl_hash64(ev->host, strlen(ev->host) + 1, NL_HASH_INIT);
	h = nl_hash64(ev->netns, strlen(ev->netns) + 1, h);
	h = nl_hash64(p->src, strlen(p->src) + 1, h);
	return nl_hash64(v, sizeof v, h) | 1;
}

/* Without an IP ID (0, as SYN-ACKs and containers send, or IPv6) only
 * the whole header tells packets apart: addresses, ports, length, TCP
 * flags and window. */
static uint64_t nft_identity0(const struct nl_event *ev)
{
	const struct nl_pkt *p = &ev->pkt;
	int64_t v[7] = { p->proto, p->ip_id, p->len, p->sport, p->dport, p->tcp_flags, p->window };
	uint64_t h = nl_hash64(ev->host, strlen(ev->host) + 1, NL_HASH_INIT);
	h = nl_hash64(ev->netns, strlen(ev->netns) + 1, h);
	h = nl_hash64(p->src, strlen(p->src) + 1, h);
	h = nl_hash64(p->dst, strlen(p->dst) + 1, h);
	return nl_hash64(v, sizeof v, h) | 1;
}

static int same_headers(const struct nl_pkt *a, const struct nl_pkt *b)
{
	return a->proto == b->proto && a->ip_id == b->ip_id && a->len == b->len &&
	       a->sport == b->sport && a->dport == b->dport && a->tcp_flags == b->tcp_flags &&
	       a->window == b->window && !strcmp(a->src, b->src) && !strcmp(a->dst, b->dst);
}

/* The packet this new trace id continues, if any: traced within the last
 * few lines, same identity, and not yet through this base chain. A packet
 * without an IP ID is continued only when its trace had ended (accepted
 * at an earlier hook), its headers are the same, and no other packet
 * traced in the meantime had them too. */
static struct nft_open *nft_renamed(struct nl_corr *c, const struct nl_event *ev, uint64_t base)
{
	uint64_t k = ev->pkt.ip_id > 0 ? nft_identity(ev) : nft_identity0(ev);
	struct nft_open *o;
	int i, slot = (int)(k % NFT_IDENT);
	if (ev->pkt.ip_id > 0) {
		if (c->ident_key[slot] != k)
			return NULL;
		o = &c->nft[c->ident_slot[slot]];
	} else {
		if (c->ident0_key[slot] != k || c->ident0_twin[slot])
			return NULL;
		o = &c->nft[c->ident0_slot[slot]];
		if (!o->ended || !same_headers(&o->pkt, &ev->pkt))
			return NULL;
	}
	if (!o->used || !strcmp(o->id, ev->trace_id) || strcmp(o->host, ev->host) != 0 ||
	    strcmp(o->netns, ev->netns) != 0 ||
	    c->clock - o->last_use > 32 || o->pkt.ip_id != ev->pkt.ip_id)
		return NULL;
	for (i = 0; i < o->nseen; i++)
		if (o->seen[i] == base)
			return NULL;
	return o;
}

static int nft_event(struct nl_corr *c, struct nl_event *ev)
{
	int found, i;
	struct nft_open *o, *prev = NULL;
	uint64_t base = 0;

	/* only sources with nft or xtables traces need the table (~5 MB):
	 * a bundle of many small logs and dumps should not pay for it */
	if (!c->nft && !(c->nft = calloc(NFT_SLOTS, sizeof *c->nft)))
		return -1;
	o = nft_slot(c, ev, &found);

	if (ev->kind == NL_EV_NFPACKET) {
		base = nl_hash64(ev->nft_family, strlen(ev->nft_family) + 1, NL_HASH_INIT);
		base = nl_hash64(ev->table, strlen(ev->table) + 1, base);
		base = nl_hash64(ev->chain, strlen(ev->chain) + 1, base);
		if (found) {
			const struct nl_pkt *a = &o->pkt, *b = &ev->pkt;
			for (i = 0; i < o->nseen; i++)
				if (o->seen[i] == base)
					found = 0;	/* the same base chain again: a new packet */
			if ((a->ip_id >= 0 && b->ip_id >= 0 && a->ip_id != b->ip_id) ||
			    (a->proto >= 0 && b->proto >= 0 && a->proto != b->proto) ||
			    (a->len >= 0 && b->len >= 0 && a->len != b->len))
				found = 0;	/* another packet under a reused id */
			/* nor does one skb change its connection's direction, its
			 * ICMP type, or trade its source for its destination: a
			 * reply whose skb took the request's address, and so its id */
			if ((a->ct_dir[0] && b->ct_dir[0] && strcmp(a->ct_dir, b->ct_dir)) ||
			    (a->icmp_type >= 0 && b->icmp_type >= 0 && a->icmp_type != b->icmp_type) ||
			    (a->src[0] && strcmp(a->src, a->dst) && !strcmp(a->src, b->dst) &&
			     !strcmp(a->dst, b->src)))
				found = 0;
		}
	}
	if (!found && ev->kind == NL_EV_NFPACKET && (prev = nft_renamed(c, ev, base)) != NULL) {
		/* o is this id's slot: free, stale, or the least recently used */
		struct nft_open keep = *prev;
		if (store_add_alias(c->store, ev->trace_id, keep.packet_id))
			return -1;
		prev->used = 0;
		*o = keep;
		nl_strlcpy(o->id, ev->trace_id, sizeof o->id);
		found = 1;
	}
	if (!found) {
		int64_t id = nft_new_packet(c, ev);
		if (id < 0)
			return -1;
		memset(o, 0, sizeof *o);
		o->used = 1;
		nl_strlcpy(o->id, ev->trace_id, sizeof o->id);
		nl_strlcpy(o->host, ev->host, sizeof o->host);
		nl_strlcpy(o->netns, ev->netns, sizeof o->netns);
		o->packet_id = id;
		nl_pkt_init(&o->pkt);
		o->bare = !ev->pkt.src[0] && !ev->pkt.dst[0] && ev->pkt.proto < 0;
	}
	o->last_use = ++c->clock;
	o->ended = 0;
	if (ev->kind == NL_EV_NFPACKET) {
		uint64_t k = nft_identity(ev), k0 = nft_identity0(ev);
		int me = (int)(o - c->nft), s0 = (int)(k0 % NFT_IDENT);
		o->pkt = ev->pkt;
		/* a paste that starts inside a trace: its first packet: line
		 * gives the packet its headers */
		if (o->bare && (ev->pkt.src[0] || ev->pkt.dst[0] || ev->pkt.proto >= 0)) {
			struct nl_packet_row p;
			nft_row(c, ev, &p);
			p.id = o->packet_id;
			if (store_packet_identity(c->store, &p))
				return -1;
			o->bare = 0;
		}
		if (o->nseen < NFT_SEEN)
			o->seen[o->nseen++] = base;
		c->ident_key[k % NFT_IDENT] = k;
		c->ident_slot[k % NFT_IDENT] = me;
		if (c->ident0_key[s0] == k0 && c->ident0_slot[s0] != me) {
			const struct nft_open *other = &c->nft[c->ident0_slot[s0]];
			/* another packet with these headers, still being followed */
			c->ident0_twin[s0] = other->used && c->clock - other->last_use <= 32 &&
					     same_headers(&other->pkt, &ev->pkt);
		} else if (c->ident0_key[s0] != k0) {
			c->ident0_twin[s0] = 0;
		}
		c->ident0_key[s0] = k0;
		c->ident0_slot[s0] = me;
	} else {
		/* rule and policy lines carry the headers of their base chain */
		int64_t mark = ev->pkt.mark;
		ev->pkt = o->pkt;
		if (mark >= 0)
			ev->pkt.mark = mark;
		o->ended = !strcmp(ev->verdict, "accept");
	}
	return store_add_event(c->store, c->source_id, o->packet_id, ++o->step, ev);
}

static uint64_t str_hash(const char *s)
{
	return nl_hash64(s, strlen(s) + 1, NL_HASH_INIT);
}

/* Can one packet's LOG lines be told from the next packet's by what they
 * show? An IPv4 ID other than 0, a TCP SEQ, an echo's id and sequence
 * can, and so can TCP's ports and length with the order of the rules (a
 * SYN-ACK's ID is 0; two packets of one identity pass one after the other,
 * and the second repeats the first's prefix). Without them (the ID 0 of
 * unconnected UDP: a QUIC flow's packets of one length, IPv6 UDP) every
 * LOG line stays a packet of its own. */
static int log_identified(const struct nl_pkt *p)
{
	return (p->family == 4 && p->ip_id > 0) || p->seq >= 0 || (p->proto == 6 && p->sport >= 0) ||
	       ((p->proto == 1 || p->proto == 58) && p->icmp_id >= 0 && p->icmp_seq >= 0);
}

static void log_note(struct open_pkt *o, const struct nl_event *ev)
{
	if (ev->pkt.iif[0] || !o->nprefix)
		o->iif_h = str_hash(ev->pkt.iif);	/* the way in */
	if (ev->pkt.oif[0])
		o->oif_h = str_hash(ev->pkt.oif);
	if (!o->nprefix)
		o->dst_h = str_hash(ev->pkt.dst);	/* before any NAT */
	o->ttl = ev->pkt.ttl;
	if (ev->pkt.window >= 0)
		o->window = ev->pkt.window;
	o->last_up = ev->uptime;
	o->wsec = ev->wsec;
	if (o->nprefix < LOG_PREFIXES)
		o->prefix_h[o->nprefix++] = str_hash(ev->prefix);
}

/* Is LOG line ev a later line of the LOG-only packet o (a LOG rule before
 * DNAT and one in FORWARD, say)? The same moment, in by the same
 * interface (POSTROUTING prints no IN=) and out by the same once routed
 * (unless NAT changed the destination: a local packet is routed again
 * after nat OUTPUT), one router hop on at most, the same TCP window
 * where both lines show one (neither LOG nor NAT changes it), and logged
 * by a rule it was not logged by yet: a packet that repeats a prefix is
 * the next one. */
static int log_continues(const struct open_pkt *o, const struct nl_event *ev)
{
	const struct nl_pkt *p = &ev->pkt;
	uint64_t ph = str_hash(ev->prefix);
	int k;
	if (!log_identified(p) || o->nprefix >= LOG_PREFIXES)
		return 0;
	if (o->seq >= 0 && p->seq >= 0 && (o->seq != p->seq || o->ack != p->ack))
		return 0;
	if (o->last_up >= 0 && ev->uptime >= 0) {
		if (ev->uptime < o->last_up || ev->uptime - o->last_up > GAP_SECONDS)
			return 0;
	} else if (o->wsec >= 0 && ev->wsec >= 0 && (ev->wsec < o->wsec || ev->wsec - o->wsec > 1)) {
		return 0;
	}
	if (str_hash(p->iif) != o->iif_h && !(!p->iif[0] && p->oif[0]))
		return 0;
	if (o->oif_h && str_hash(p->oif) != o->oif_h &&
	    (!p->oif[0] || str_hash(p->dst) == o->dst_h))
		return 0;
	if (o->ttl >= 0 && p->ttl >= 0 && (p->ttl > o->ttl || o->ttl - p->ttl > 1))
		return 0;
	if (o->window >= 0 && p->window >= 0 && p->window != o->window)
		return 0;	/* two lines, two windows: two packets */
	for (k = 0; k < o->nprefix; k++)
		if (o->prefix_h[k] == ph)
			return 0;
	return 1;
}

static void slot_drop(struct nl_corr *c, int i)
{
	lru_unlink(c, i);
	bucket_remove(c, i);
	c->slots[i].next = c->free_head;
	c->free_head = i;
}

int corr_event(struct nl_corr *c, const struct nl_event *ev)
{
	uint64_t key = identity(ev);
	int i = find(c, key), hook, prio;
	struct open_pkt *o;

	if (ev->kind == NL_EV_NFTRACE || ev->kind == NL_EV_NFPACKET)
		return nft_event(c, (struct nl_event *)ev);
	if (i >= 0 && c->slots[i].logonly) {
		o = &c->slots[i];
		if (ev->kind == NL_EV_LOG && log_continues(o, ev)) {
			log_note(o, ev);
			lru_unlink(c, i);
			lru_front(c, i);
			/* analysed from its first line alone */
			if (o->analysed && store_packet_pending(c->store, o->packet_id))
				return -1;
			o->analysed = 0;
			return store_add_event(c->store, c->source_id, o->packet_id, ++o->step, ev);
		}
		if (ev->kind == NL_EV_LOG)
			slot_drop(c, i);	/* the next packet of that identity */
		i = -1;
	}
	if (ev->kind != NL_EV_TRACE) {
		/* LOG and conntrack lines are evidence of the packet being traced;
		 * a LOG line alone is a packet of its own (source "log"), which
		 * its later LOG lines join (log_continues), a conntrack line
		 * alone is kept without a packet. */
		if ((ev->kind == NL_EV_LOG || ev->kind == NL_EV_CTINVALID) && i >= 0 &&
		    (!c->slots[i].carried || ev->uptime >= 0) &&
		    (c->slots[i].seq < 0 || ev->pkt.seq < 0 || c->slots[i].seq == ev->pkt.seq) &&
		    /* the same moment: not a later packet of the same identity */
		    (c->slots[i].last_up < 0 || ev->uptime < 0 ||
		     fabs(ev->uptime - c->slots[i].last_up) <= GAP_SECONDS)) {
			o = &c->slots[i];
			return store_add_event(c->store, c->source_id, o->packet_id, ++o->step, ev);
		}
		if (ev->kind == NL_EV_LOG) {
			int analysed;
			int64_t id = new_packet(c, ev, "log", &analysed);
			if (id < 0)
				return -1;
			/* followed unless a traced packet of that identity is */
			if (log_identified(&ev->pkt) && find(c, key) < 0) {
				i = take_slot(c, key);
				o = &c->slots[i];
				o->logonly = 1;
				o->packet_id = id;
				o->step = 1;
				o->seq = ev->pkt.seq;
				o->ack = ev->pkt.ack;
				o->window = -1;
				o->analysed = analysed;
				log_note(o, ev);
			}
			return store_add_event(c->store, c->source_id, id, 1, ev);
		}
		return store_add_event(c->store, c->source_id, 0, 0, ev);
	}
	hook = corr_hook(ev->chain);
	if (i >= 0) {
		o = &c->slots[i];
		prio = hook == H_NONE ? o->prio : corr_table_prio(ev->table, hook);
		if (!continues(o, ev, hook, prio))
			i = -1;
	}
	if (i < 0) {
		int64_t id;
		int old = find(c, key);
		if (old >= 0)
			slot_drop(c, old);
		id = new_packet(c, ev, "iptables-trace", NULL);
		if (id < 0)
			return -1;
		i = take_slot(c, key);
		o = &c->slots[i];
		o->packet_id = id;
		o->seq = ev->pkt.seq;
		o->ack = ev->pkt.ack;
		o->hook = hook == H_NONE ? H_PRE : hook;
		o->prio = corr_table_prio(ev->table, o->hook);
		o->host_h = nl_hash64(ev->host, strlen(ev->host) + 1, NL_HASH_INIT);
		nl_strlcpy(o->table, ev->table, sizeof o->table);
		o->last_rulenum = 0;
	} else {
		o = &c->slots[i];
		lru_unlink(c, i);
		lru_front(c, i);
	}
	if (hook != H_NONE) {
		int p = corr_table_prio(ev->table, hook);
		if (hook != o->hook || p != o->prio || strcmp(ev->table, o->table) != 0) {
			o->builtin_done = 0;
			o->last_rulenum = 0;
		}
		o->hook = hook;
		o->prio = p;
		nl_strlcpy(o->table, ev->table, sizeof o->table);
		o->last_rulenum = ev->rulenum;
		if (!strcmp(ev->type, "policy"))
			o->builtin_done = 1;
	}
	o->last_up = ev->uptime;
	if (ev->uptime >= 0)
		host_saw(c, o->host_h, ev->uptime);
	return store_add_event(c->store, c->source_id, o->packet_id, ++o->step, ev);
}

/* A rotated log's next file goes on where the one before stopped, and a
 * packet traced across the rotation is one packet, not two halves: the
 * packets the log read before left open in its last GAP_SECONDS (by the
 * kernel's time) are handed to the next, where they continue only a line
 * with a kernel time at most GAP_SECONDS after their last (a reboot in
 * between starts the time again). Its lines keep their own file. */
void corr_carry(struct nl_corr *to, const struct nl_corr *from)
{
	int i;
	if (!from)
		return;
	/* oldest first, so that the most recent ends at the head */
	for (i = from->lru_tail; i >= 0; i = from->slots[i].lru_prev) {
		const struct open_pkt *o = &from->slots[i];
		struct open_pkt *n;
		int j, next, prev, after;
		double last;
		if (o->logonly || o->last_up < 0 || find(to, o->key) >= 0)
			continue;
		last = host_up(from, o->host_h);
		if (last >= 0 && last - o->last_up > GAP_SECONDS)
			continue;	/* its host's log went on without it */
		j = take_slot(to, o->key);
		n = &to->slots[j];
		next = n->next;		/* take_slot's links */
		prev = n->lru_prev;
		after = n->lru_next;
		*n = *o;
		n->next = next;
		n->lru_prev = prev;
		n->lru_next = after;
		n->carried = 1;
	}
	for (i = 0; i < from->nhosts; i++)
		host_saw(to, from->hosts[i].h, from->hosts[i].up);
}
