/*
 * ruleset.h - an in-memory view of the ruleset dumps that apply to one
 * host and family, and the checks of a rule against a logged packet.
 */
#ifndef NL_RULESET_H
#define NL_RULESET_H

#include "natlog.h"

struct nl_chain {
	int64_t ruleset_id;
	char kind[24];			/* iptables-save, iptables-list */
	char table[32];
	char name[64];
	char policy[16];		/* built-in chains only */
	int builtin;
	int nrules;
	struct nl_rule *rules;		/* rules[0] is position 1 */
	size_t cap;
};

/* Chains ordered by preference: the same host first, then saves before
 * listings, then the newest dump. */
struct nl_rsview {
	struct nl_chain *chains;
	size_t n, cap;
};

void rsview_free(struct nl_rsview *v);
struct nl_chain *rsview_add_chain(struct nl_rsview *v);
int rsview_add_rule(struct nl_chain *c, const struct nl_rule *r);
/* The chain of the most preferred dump that has this table; NULL if none.
 * *table_known tells whether any dump has the table at all. */
const struct nl_chain *rsview_find(const struct nl_rsview *v, const char *table,
				   const char *chain, int *table_known);
int rsview_has_chain(const struct nl_rsview *v, int64_t ruleset_id, const char *table,
		     const char *chain);

/* Why rule r cannot have matched packet p ("protocol udp, packet is tcp"),
 * or 0 when nothing contradicts it. */
int rule_contradicts(const struct nl_rule *r, const struct nl_pkt *p, char *why, size_t n);
int target_is_standard(const char *target);	/* ACCEPT DROP RETURN QUEUE */

#endif
