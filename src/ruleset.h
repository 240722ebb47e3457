/*
 * ruleset.h - a view of the ruleset dumps that apply to one host and
 * family (their chains read from the store as lookups ask for them), and
 * the checks of a rule against a logged packet.
 */
#ifndef NL_RULESET_H
#define NL_RULESET_H

#include "natlog.h"

struct nl_store;

/* A rule as a view holds it: nl_rule's fields, its strings in one block
 * of their own sizes (text first: free((char *)text) frees them), where
 * nl_rule holds 1.7 KB of arrays (a kube-proxy chain has 40 000 rules). */
struct nl_vrule {
	const char *family, *table, *chain;
	int position;
	int64_t handle;
	const char *text, *target, *target_arg;
	int is_goto;
	int uncond;
	int proto, proto_neg;
	const char *src, *dst;
	int src_neg, dst_neg;
	const char *iif, *oif;
	int iif_neg, oif_neg;
	int sport_lo, sport_hi, sport_neg;
	int dport_lo, dport_hi, dport_neg;
	int64_t pkts, bytes;
};
/* out is r, its strings in a block of their own; 0, or -1 out of memory. */
int rsview_rule(struct nl_vrule *out, const struct nl_rule *r);

struct nl_chain {
	int64_t ruleset_id;
	char kind[24];			/* iptables-save, iptables-list, nft-ruleset, nft-json */
	char family[8];			/* nft family, "" for iptables */
	char type[16];			/* nft base chain type */
	char hook[16];
	int prio;
	int64_t handle;
	char table[32];
	char name[NL_CHAINSIZ];
	char policy[16];		/* built-in chains only */
	int builtin;
	int nrules;
	struct nl_vrule *rules;		/* rules[0] is position 1; a chain of a view's own
					 * (not a rewind.c copy) owns their strings */
	size_t cap;
	int sparse;			/* more than NL_MAXCHAIN rules: rules is NULL, and
					 * rsview_rule_at() reads them one at a time */
	struct nl_vrule **got;		/* sparse: the rules read, each allocated alone */
	size_t ngot;
	int *uncond;			/* sparse: positions of its unconditional rules */
	int nuncond;			/* -1: more than NL_SPARSE_GOT, not read */
	size_t size;			/* bytes its rules take */
	const struct nl_chain *orig;	/* rewind.c: the chain this is a changed copy of */
};

/* A chain of more rules than this is not read whole (about 330 bytes a
 * rule): a lookup reads the rule it asks for (rsview_rule_at), and what
 * needs every rule of it (realignment, undoing monitored changes, the LOG
 * rules of a prefix) says it was not done. At most NL_SPARSE_GOT rules of
 * it are read between two rsview_trim(). */
#ifndef NL_MAXCHAIN	/* -DNL_MAXCHAIN=1: every chain read rule by rule (a test build) */
#define NL_MAXCHAIN 65536
#endif
#define NL_SPARSE_GOT 4096

/* A timed dump of the view: its time, and where it is in dumps. */
struct nl_dumptime {
	int64_t time_us;
	size_t at;
};

/* A dump of the view, and a table one has (nft: of a family). */
struct nl_rsdump {
	int64_t id;
	char kind[24];
	int64_t time_us;	/* when it was taken (rulesets.time_us), or -1 */
	long legacy_line;	/* its file's "iptables-legacy tables present" line, 0: none,
				 * -1: not looked for yet */
};
/* 0..4 prerouting input forward output postrouting, 5 ingress, 6 egress
 * (analyze.c). */
const char *nl_hook_name(int hook);
int nl_hook_from_name(const char *name);

#define NL_TABLE_BASES 16
struct nl_rstable {
	int64_t ruleset_id;
	char family[8];
	char table[32];
	/* nft: its filter and route base chains (hook, priority), which see
	 * every packet of their hook; more than NL_TABLE_BASES: bases_more */
	int nbases, bases_more;
	signed char base_hook[NL_TABLE_BASES];
	int base_prio[NL_TABLE_BASES];
};

/* A named nft set or map with its elements ("key" or "key\tvalue"). */
struct nl_set {
	int64_t ruleset_id;
	char family[8], table[32], name[64];
	char type[128], flags[64];
	int is_map;
	char **elems;
	size_t nelems, cap;
};

/* The dumps of a host and family ordered by preference: the same host
 * first, then saves before listings, then the newest dump. A view read
 * from a store holds the list of its dumps and their tables, and reads a
 * chain with its rules at the first lookup of it (a kube-proxy dump has
 * 80 000 chains; a packet's trace names a few): memory goes with the
 * chains looked at, not with the dumps. A chain read stays where it is
 * until rsview_trim(), which callers run between packets only, as the
 * analysis of a packet points into its chains and rules. A view without
 * a store holds every chain added to it (tests). */
struct nl_rsview {
	struct nl_chain **chains;	/* the chains read or added, each allocated alone */
	size_t nchains, capchains;
	struct nl_rsdump *dumps;	/* in view order */
	size_t ndumps, capdumps;
	struct nl_dumptime *by_time;	/* dumps.c: the timed dumps by time, once asked */
	size_t nby_time;
	struct nl_rstable *tables;	/* in view order */
	size_t ntables, captables;
	struct nl_store *store;		/* reads the chains, or NULL */
	const struct nl_rsview *base;	/* rewind.c: a view over base whose own chains are
					 * changed copies of base's; it owns only those */
	size_t bytes;			/* of the chains read, for rsview_trim() */
	struct nl_set *sets;
	size_t nsets, capsets;
	struct nl_rulehit *hits;	/* traced packets per rule, sorted; see below */
	size_t nhits, caphits;
	int hits_cut;			/* more rules traced than NL_MAXHITS: not counted */
	int64_t prefer;			/* a ruleset id looked at first (dumps.c), or 0 */
	int64_t *bounded;		/* rulesets with counts of their own */
	int64_t *bounded_until;		/* and the times they were taken at */
	size_t nbounded;
	struct nl_rwcache *rwc;		/* rewind.c: a monitor file's ruleset changes, or NULL */
	struct nl_chainidx *idx;	/* lookups answered: chains by name, and names
					 * known not to be chains; a copy must not share it */
	size_t nindexed;		/* chains[0..nindexed) are in idx */
	int failed;			/* a read failed: the store's error says why */
};

/* How many traced packets of the view's host hit a rule: legacy rules by
 * table, chain and number, nft rules by "family table", chain and handle.
 * A counter below it proves the chain changed after the trace. Counts of
 * ruleset 0 are of every traced packet; a dump whose time is known has
 * its own, of the packets not known to be traced after it (its counters
 * cannot have counted those). */
/* Rules whose traced packets a view counts at most: a log can name a
 * rule number per line (32 bytes a rule, in each analysis thread). */
#define NL_MAXHITS 100000
struct nl_rulehit {
	int64_t ruleset;
	uint64_t where;			/* hash of table and chain: two of a view's 100 000
					 * share one with a chance of about 1e-9 */
	int64_t num;
	int64_t packets;
};
int rsview_add_hit(struct nl_rsview *v, int64_t ruleset, const char *table, const char *chain,
		   int64_t num, int64_t packets);
/* Ruleset rs, taken at until_us, has counts of its own (none of a
 * rule: 0). */
int rsview_bound_hits(struct nl_rsview *v, int64_t rs, int64_t until_us);
/* 1 when ruleset rs (with counts of its own) was taken before t_us, the
 * time of a packet, by more than its whole second and some skew between
 * clocks: its counters say nothing of that packet. */
int rsview_predates(const struct nl_rsview *v, int64_t rs, int64_t t_us);
#define NL_DUMP_SKEW_US 2000000
void rsview_sort_hits(struct nl_rsview *v);
/* The count for that rule as ruleset rs's counters should show it, or 0
 * when no traced packet hit it. */
int64_t rsview_hits(const struct nl_rsview *v, int64_t rs, const char *table, const char *chain,
		    int64_t num);
/* Why the counter of rule r cannot be right when `traced` packets hit it
 * ("the dump counts 0 packets"), or 0 when it can (or it has no counter). */
int counter_contradicts(const struct nl_vrule *r, int64_t traced, char *why, size_t n);

void rsview_free(struct nl_rsview *v);
/* Frees the chains read once they hold more than keep bytes: only
 * between packets. */
void rsview_trim(struct nl_rsview *v, size_t keep);
#define NL_RSVIEW_KEEP (4u << 20)
struct nl_chain *rsview_add_chain(struct nl_rsview *v);
int rsview_add_dump(struct nl_rsview *v, int64_t id, const char *kind);
int rsview_add_table(struct nl_rsview *v, int64_t id, const char *family, const char *table);
/* A filter or route base chain of that table at hook (nl_hook_from_name). */
int rsview_add_base(struct nl_rsview *v, int64_t id, const char *family, const char *table,
		    int hook, int prio);
/* Chain (family, table, name) of dump rs, read when not yet; NULL when
 * the dump has none (or it could not be read: see rsview_failed). */
const struct nl_chain *rsview_chain(const struct nl_rsview *v, int64_t rs, const char *family,
				    const char *table, const char *name);
/* A chain could not be read from the store (its error says why). */
int rsview_failed(const struct nl_rsview *v);
int rsview_add_rule(struct nl_chain *c, const struct nl_rule *r);
/* Rule at position pos (> 0), or of handle (pos 0), of chain ch: NULL
 * when there is none. *unread is 1 when natlog could not tell (a sparse
 * chain past NL_SPARSE_GOT rules read, or looked up by text); a store
 * that fails marks the view failed. */
const struct nl_vrule *rsview_rule_at(const struct nl_rsview *v, const struct nl_chain *ch,
				      int pos, int64_t handle, int *unread);
/* "filter BIG has 300000 rules, more than natlog reads whole (65536)" */
void rsview_sparse_why(const struct nl_chain *ch, char *buf, size_t n);
/* The chain of the most preferred dump that has this table; NULL if none.
 * *table_known tells whether any dump has the table at all. */
const struct nl_chain *rsview_find(const struct nl_rsview *v, const char *table,
				   const char *chain, int *table_known);
int rsview_has_chain(const struct nl_rsview *v, int64_t ruleset_id, const char *table,
		     const char *chain);
/* nft: the chain of the newest dump that has this family and table. */
const struct nl_chain *rsview_find_nft(const struct nl_rsview *v, const char *family,
				       const char *table, const char *chain, int *table_known);
const struct nl_set *rsview_find_set(const struct nl_rsview *v, int64_t ruleset_id,
				     const char *family, const char *table, const char *name);
struct nl_set *rsview_add_set(struct nl_rsview *v);
int rsview_add_elem(struct nl_set *s, const char *key, const char *value);

/* Why rule r cannot have matched packet p ("protocol udp, packet is tcp"),
 * or 0 when nothing contradicts it. */
int rule_contradicts(const struct nl_vrule *r, const struct nl_pkt *p, char *why, size_t n);
int target_is_standard(const char *target);	/* ACCEPT DROP RETURN QUEUE */

#endif
