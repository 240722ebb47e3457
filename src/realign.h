/*
 * realign.h - when the dump is not the ruleset of the trace: steps whose
 * dumped rule cannot have led to the next step, drops that later evidence
 * contradicts, and the one inserted or deleted rule that would make the
 * dump fit again (realign.c).
 */
#ifndef NL_REALIGN_H
#define NL_REALIGN_H

#include <stdio.h>

#include "analyze.h"
#include "store.h"

#define RL_MAXSHIFT 3		/* rules inserted (+) or deleted (-) at one position */
#define RL_MAXCONTRA 4
#define RL_MAXFOUND 8

/* Evidence that a packet the dump says was dropped got through. */
struct nl_contra {
	char kind[12];		/* capture, reply, connection, conntrack */
	char file[512];
	long line;		/* capture frame, or line of the log or table */
	char trace[40];		/* the traced packet that shows it, or "" */
	char note[200];
};

/* A shift that makes every traced step of a chain fit the dump: trace
 * positions n >= k map to n + d (d < 0: trace positions k..k-d-1 are not
 * in the dump). k is known to lie in k_lo..k_hi. */
struct nl_shift {
	char table[32], chain[64];
	int k_lo, k_hi, d;
	int packets;		/* traced packets whose steps it was tried on */
};

/* What realign.c found for one packet; owned by its nl_analysis. */
struct nl_realign {
	struct nl_contra contra[RL_MAXCONTRA];
	int ncontra;
	int contra_step;		/* the step whose drop is contradicted, or -1 */
	struct nl_shift found[RL_MAXFOUND];
	int nfound;
	size_t nsteps;
	int *shift_of;			/* per step: index into found, or -1 */
	int *inferred_pos;		/* per step: dump position under it, 0 none */
	const char **inferred;		/* per step: that rule's text, or NULL */
	char (*policy_text)[48];	/* storage for "policy DROP" */
};

/* The trace position n under an insertion (d > 0) or deletion (d < 0) of
 * |d| rules at position k: the dump position, or 0 when it was deleted. */
int rl_map(int n, int k, int d);

/* The outcome of a search over every k in 1..max(obs) and d in
 * -RL_MAXSHIFT..RL_MAXSHIFT (d != 0). fit returns -1 when a step does not
 * fit under (k, d), else how many steps fit a dumped rule. Candidates that
 * map every observed position alike are one; the best must be unique and
 * put at least one step on a dumped rule. */
struct rl_best {
	int status;		/* 1 unique best, 0 nothing fits, -1 several fit equally */
	int k_lo, k_hi, d, score;
};
void rl_search(const int *obs, size_t nobs, int (*fit)(void *ctx, int k, int d), void *ctx,
	       struct rl_best *out);

/* Legacy steps whose dumped rule cannot have led to the next traced step
 * (a jump elsewhere, an accept followed by more of its chain, an
 * unconditional rule the trace skipped) are marked as not matching. */
void rl_flow_check(struct nl_store *s, struct nl_analysis *a, const struct nl_rsview *v);
/* An inferred drop contradicted by later evidence: the verdict becomes
 * unknown and the deciding step does not match. 0, or -1 on a store failure. */
int rl_contradictions(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a);
/* The realignments of the chains this packet passed (explain only). */
int rl_explain(struct nl_store *s, const struct nl_packet_row *p, struct nl_rscache *rc,
	       struct nl_analysis *a);
void rl_free(struct nl_analysis *a);

/* Chains (of a host and family) where some traced step did not match the
 * dump: the stored verdicts decided in them are checked against the
 * realignment explain would show, so that traces and summary agree. */
struct rl_doubt {
	char host[128], table[32], chain[64];
	int family;
};
struct rl_doubts {
	struct rl_doubt *v;
	size_t n, cap;
	int overflow;			/* a chain was not noted: all are in doubt */
};
#define RL_MAXDOUBTS 256	/* chains noted per import */
#define RL_MAXRESTATE 200	/* packets checked per import: each reads its neighbours */
/* Notes the chains of a's mismatched steps. 0, or -1 out of memory. */
int rl_doubts_note(struct rl_doubts *d, const struct nl_packet_row *p, const struct nl_analysis *a);
int rl_doubts_merge(struct rl_doubts *into, const struct rl_doubts *from);
void rl_doubts_free(struct rl_doubts *d);
/* Keeps d in the store (chain_doubts), for explain to know which chains
 * any traced step of a host ever contradicted. 0, or -1. */
int rl_doubts_keep(struct nl_store *s, const struct rl_doubts *d);
/* Says on stderr that cut verdicts were left unchecked (cut > 0). */
void rl_say_cut(int64_t cut);
/* Analyses again, with the realignment, the packets whose stored verdict
 * a noted chain decided (RL_MAXRESTATE in all, the first of each chain),
 * and stores what changed (*changed of them); *cut counts the packets
 * left as they were. 0, or -1 on a store failure. */
int rl_restate(struct nl_store *s, struct nl_rscache *rc, const struct rl_doubts *d,
	       int64_t *changed, int64_t *cut);

/* explain's output */
void rl_text_step(const struct nl_analysis *a, size_t i, const char *dim, const char *off);
void rl_json_step(FILE *f, const struct nl_analysis *a, size_t i);
void rl_json(FILE *f, const struct nl_analysis *a);

#endif
