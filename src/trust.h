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

/* Whether a kernel-log packet of host may be of any network namespace's:
 * 1 when net.netfilter.nf_log_all_netns is set in the host's own
 * namespace (the kernel then logs every namespace's TRACE and LOG lines
 * and the line does not say whose), r saying where; 0 when the log holds
 * the host's namespace only (the kernel's default); -1 a store failure. */
int trust_log_all_netns(struct nl_store *s, const char *host, struct nl_sysctl_row *r);

#endif
