/*
 * trust.h - diagnoses from the evidence about the evidence: lost log
 * lines, kernel health lines and sysctls (trust.c).
 */
#ifndef NL_TRUST_H
#define NL_TRUST_H

#include "analyze.h"
#include "store.h"

/* Adds to a's diagnoses (and a->loss) what the notices and sysctls of
 * p's host say about p. 0, or -1 on a store failure. */
int analysis_trust(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a);

#endif
