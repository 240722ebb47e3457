/*
 * correlate.h - grouping of legacy TRACE/LOG lines into packets during an
 * import, and the hook/table ordering that analysis shares.
 */
#ifndef NL_CORRELATE_H
#define NL_CORRELATE_H

#include "natlog.h"

struct nl_store;
struct nl_corr;

struct nl_corr *corr_new(struct nl_store *s, int64_t source_id);
void corr_free(struct nl_corr *c);
/* Assigns ev to a packet (creating one when needed) and stores it. */
int corr_event(struct nl_corr *c, const struct nl_event *ev);
int64_t corr_packets(const struct nl_corr *c);
/* Hands the packets the log read before left open at its end to the
 * next source's correlator (a rotated log's next file). */
void corr_carry(struct nl_corr *to, const struct nl_corr *from);

/* The legacy hooks, in nl_hook_name()'s order; H_NONE for a user chain. */
enum { H_PRE, H_IN, H_FWD, H_OUT, H_POST, H_NONE };
int corr_hook(const char *chain);
int corr_table_prio(const char *table, int hook);

#endif
