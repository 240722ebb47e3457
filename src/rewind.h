/*
 * rewind.h - the ruleset a packet met, rebuilt from the dump that explains
 * it by undoing the rule changes a monitor recorded after the packet's
 * trace (in the same file) and before the dump was taken.
 */
#ifndef NL_REWIND_H
#define NL_REWIND_H

#include "natlog.h"

struct nl_store;
struct nl_rsview;
struct nl_chain;
struct nl_analysis;

/* The rebuilt chains an analysis points into, and the view over them. */
struct nl_rewind;

struct nl_rewind_result {
	int undone;			/* events undone; 0 when none applied or they could not be */
	long from, to;			/* lines of the first and last event undone */
	char why[400];			/* why the events after the packet could not be undone, or "" */
};

/* Undoes on dump `id` of v the events the packet's monitor file recorded
 * after its trace (read once per file and kept in v). *out is set (free it with rewind_free) only when some
 * were undone; res says how many, or why none could be. 0, or -1 on a
 * store failure. */
int rewind_build(struct nl_store *s, const struct nl_analysis *a, struct nl_rsview *v,
		 int64_t id, struct nl_rewind **out, struct nl_rewind_result *res);
/* The monitor file's changes a view keeps between packets (v->rwc). */
struct nl_rwcache;
void rewind_cache_free(struct nl_rwcache *k);
/* The view to analyze with: v's chains, dump id's as they were rebuilt. */
const struct nl_rsview *rewind_view(const struct nl_rewind *rw);
/* Is ch a chain of the view that the events changed? */
int rewind_changed(const struct nl_rewind *rw, const struct nl_chain *ch);
void rewind_free(struct nl_rewind *rw);

/* The rule's text in a monitor's "add rule inet filter forward handle 3
 * tcp dport 80 accept # handle 4" from just after the chain: past the
 * "handle 3 " that says where it was put (after handle 3), if any. */
const char *rewind_rule_start(const char *p);
/* Is the dumped rule text the event's rule [ev, end), counters left out?
 * "replace rule" keeps the handle, so the handle alone says nothing. */
int rewind_same_rule(const char *dump, const char *ev, const char *end);

#endif
