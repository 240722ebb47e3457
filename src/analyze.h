/*
 * analyze.h - one packet's journey: its steps mapped to dumped rules, the
 * NAT rewrites seen between steps, the verdict and the rule that decided
 * it, and plain-language diagnoses. Used after import (to store verdicts)
 * and by explain.
 */
#ifndef NL_ANALYZE_H
#define NL_ANALYZE_H

#include "natlog.h"
#include "ruleset.h"
#include "store.h"
#include "dumps.h"
#include "hits.h"

struct nl_step {
	struct nl_event ev;
	char file[512];
	int hook;
	const struct nl_vrule *rule;	/* the dumped rule, or NULL */
	const struct nl_chain *chain;	/* the dumped chain it is in, or NULL */
	const char *rule_text;		/* rule text, "policy DROP", or NULL */
	char policy_text[48];		/* storage for "policy DROP" */
	char effect[NL_CHAINSIZ + 16];		/* accept, drop, reject, queue, continue, jump X, return, unknown */
	int chain_policy;		/* the chain's own policy applied */
	int chain_end;			/* fell off the end of a user chain */
	int mismatch;			/* dump contradicts this step */
	char base[NL_CHAINSIZ];			/* nft: the base chain this step's traversal entered */
	int position;			/* 1-based rule position in the dump, or -1 */
	char why[160];			/* why it does not match, when the counters tell */
	struct nl_pkt seen;		/* nft: the packet as its last packet: line showed it */
	int rewound;			/* its chain is one the dump had to be rebuilt for (rewind.c) */
};

/* A rewrite no traced nat rule did (nl_nat.by_conntrack). */
enum {
	NL_NAT_CONNTRACK = 1,	/* a later packet or a reply: conntrack applied (or reversed) it */
	NL_NAT_EITHER,		/* that, or a nat rule the trace does not show */
	NL_NAT_UNTRACED,	/* the packet went through a nat table, so it is its connection's
				 * first, which conntrack does not rewrite: a nat rule whose line
				 * is missing, or in a table the trace does not cover */
};

struct nl_nat {
	char field[8];			/* dst or src */
	char kind[12];			/* DNAT, SNAT, MASQUERADE */
	char from[64], to[64];		/* to: "" when the trace cannot tell (MASQUERADE) */
	int step;			/* index of the step that did it, or where it was seen */
	int by_conntrack;		/* no nat rule shows where it changed: NL_NAT_* */
	int after_trace;		/* SNAT/MASQUERADE at postrouting: done after the last step */
};

#define NL_MAXDIAG 24
/* A packet keeps at most NL_MAXSTEPS trace steps for analysis (3.7 KB
 * each): the first NL_STEPS_HEAD and the last NL_STEPS_TAIL, so that a
 * flood of lines for one packet cannot take unbounded memory while the end
 * of its trace, where the verdict is, stays. Real traces are far shorter
 * (nft jumps at most 16 deep, and a packet meets each rule of a hook once);
 * only rulesets of thousands of rules in one chain come near. LOG lines:
 * the first NL_MAXLOGS. */
#define NL_STEPS_HEAD 1536
#define NL_STEPS_TAIL 512
#define NL_MAXSTEPS (NL_STEPS_HEAD + NL_STEPS_TAIL)
#define NL_MAXLOGS 1024
#define NL_MAXWIRE 16
#define NL_MAXLOSS 8

/* A log line saying lines were lost while the packet was traced. */
struct nl_loss {
	char file[512], time[48], text[256];
	long line;
	int64_t count;
};

/* Where a capture saw the packet, or was expected to and did not; or
 * (conntrack set) what conntrack recorded of its connection. */
struct nl_wire_ev {
	char file[512], iface[NL_IFNAMSIZ], time[48], note[200];
	char netns[128];		/* conntrack: the namespace whose table, "" the host's */
	long frame;
	int seen;
	int conntrack;
};

/* Whether the log starts inside the packet's path: its first line is one
 * of the first of its host in its file (store_first_in_source), asked
 * once, when a check of its first steps needs it (realign.c). */
struct nl_logstart {
	int64_t id, source_id;
	double uptime;
	char host[128];
	int known, first;
	int used;			/* a check of its steps let it pass */
};

struct nl_analysis {
	struct nl_step *steps;
	size_t n, cap;
	long first_line;		/* the packet's first line in its trace (an nft packet:
					 * line before its first step), or 0 */
	int64_t t_us;			/* the first step on the epoch clock, when a dump's
					 * counters need it (dumps.c); else -1 */
	struct nl_step *logs;		/* LOG lines among the steps: evidence */
	size_t nlogs, caplogs;
	size_t steps_left_out;		/* steps past NL_MAXSTEPS, left out before steps[cut_at] */
	size_t cut_at;
	size_t logs_left_out;		/* LOG lines past NL_MAXLOGS */
	struct nl_nat nat[8];
	int nnat;
	char verdict[12];
	int inferred;
	int decided;			/* step index, or -1 */
	int decided_rule_known;
	char diag[NL_MAXDIAG][512];
	int ndiag;
	struct nl_wire_ev wire[NL_MAXWIRE];
	int nwire;
	struct nl_loss loss[NL_MAXLOSS];	/* explain only (trust.c) */
	int nloss;
	/* conntrack events lost (conntrack -E's ENOBUFS): they bear on the
	 * connection's records, never on the trace (trust.c) */
	struct nl_loss ctloss[NL_MAXLOSS];
	int nctloss;
	struct nl_dumpsel dump;		/* the dump that explained it (dumps.c) */
	struct nl_realign *rl;		/* realign.c: contradictions and realignments, or NULL */
	struct nl_hits hits;		/* the rules its own lines name, all of them (schema 39) */
	struct nl_logstart start;
};

/* Caches the ruleset view between packets of the same host and family. */
struct nl_rscache {
	char host[128];
	char netns[128];		/* nft: the namespace whose dumps, "" the host's */
	int family;			/* 4 or 6 for iptables, 0 for nft */
	int loaded;
	int hosted;			/* some dump names its host: -1 not known yet, 0, 1 */
	struct nl_rsview v;
	struct nl_evcursor *cur;	/* packets' lines read in one pass, or NULL */
};
void rscache_free(struct nl_rscache *c);
/* Between packets only, when no analysis points into the view: frees
 * the chains read once they are many. */
void rscache_trim(struct nl_rscache *c);

int analyze_packet(struct nl_store *s, const struct nl_packet_row *p, struct nl_rscache *rc,
		   struct nl_analysis *a);
/* A packet only logged (source "log"), analysed from its first line
 * before its row is written, so that nothing reads the line back after
 * the import: 1 with p's verdict, dump and lines' summary filled
 * (analysis_summary) and its list of rules hit in *hits; 0 when the
 * analysis must wait for analyze_pending (a line waits in the store to
 * be joined by identity, or the host has several dumps, between which
 * other packets' traces choose); -1 on error. */
int analyze_logged(struct nl_store *s, struct nl_packet_row *p, struct nl_rscache *rc,
		   const struct nl_event_row *line, struct nl_hits *hits);
/* One run over the steps collected, with the view's preferred dump. */
int analyze_steps(struct nl_store *s, struct nl_analysis *a, const struct nl_packet_row *p,
		  const struct nl_rsview *v, int nft);
void analysis_free(struct nl_analysis *a);
/* Copies verdict and decided_by into p (for the packets table). */
void analysis_summary(const struct nl_analysis *a, struct nl_packet_row *p);
/* Looks the packet up in the imported captures (explain only). */
int analysis_wire(struct nl_store *s, struct nl_analysis *a);
/* Analyzes every packet not analyzed yet and stores the results; *cut
 * (when not NULL) counts the verdicts left unchecked against the
 * realignment (realign.c's RL_MAXRESTATE). */
int analyze_pending(struct nl_store *s, int64_t *count, int64_t *cut);


/* Shared by the legacy and nft analyses (analyze.c). */
/* A rule whose counter is below the traced packets that hit it: marks the
 * step as not matching the dump and says why. Returns 1 when it did. */
int nl_check_counter(struct nl_analysis *a, const struct nl_rsview *v, struct nl_step *st,
		     const struct nl_vrule *r);
void nl_diag(struct nl_analysis *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "the dump's CHAIN has N rules, more than natlog reads whole (M): natlog
 * did not WHAT", of a chain that is not read whole (ruleset.h). */
void nl_sparse_diag(struct nl_analysis *a, const struct nl_chain *ch, const char *what);
void nl_find_nat(struct nl_analysis *a, int (*is_nat_step)(const struct nl_step *));
/* 1 when nft rule text t holds the statement w ("dnat", "snat",
 * "masquerade", "redirect"), not the word as a value: "ct status dnat",
 * "icmp type redirect", a set's element or a comment. */
int nl_nat_stmt(const char *t, const char *w);
int nl_load_rules(struct nl_store *s, const struct nl_packet_row *p, struct nl_rscache *rc,
		  int nft);
/* 1 when rc holds the rules p is explained by: nl_load_rules reads none. */
int nl_rules_loaded(const struct nl_rscache *rc, const struct nl_packet_row *p, int nft);

/* The rules read for up to NL_VIEWS hosts (or namespaces), so that a log
 * of many hosts' lines in turn, each host with its dumps, does not read
 * them again packet after packet; the least recently used is given up
 * first. Idle ones keep their dumps' list and up to NL_VIEW_KEEP bytes of
 * the chains read; one that holds counts of traced packets per rule (up
 * to 3.2 MB) or nft sets (any size) is given up. Zeroed to begin. */
#define NL_VIEWS 16
#define NL_VIEW_KEEP (128u << 10)
struct nl_rsviews {
	struct nl_rscache rc[NL_VIEWS];
	unsigned long used[NL_VIEWS], clock;
};
/* The view to analyse p with: its rules' if some view holds them, else
 * the one used longest ago (nl_load_rules reads it anew); the others
 * are trimmed. */
struct nl_rscache *rsviews_pick(struct nl_rsviews *vs, const struct nl_packet_row *p, int nft);
void rsviews_free(struct nl_rsviews *vs);
/* analyze_nft.c */
void analyze_nft(struct nl_analysis *a, const struct nl_rsview *v);
/* Diagnoses both analyses share: conntrack-invalid drops, early returns. */
void nl_explain_common(struct nl_analysis *a);
/* What a step with no rule text shows in a journey: "(end of chain: back
 * to the caller)", or for an nft return verdict (a rule that returned,
 * whose text the trace does not print) what it returned to. */
const char *nl_step_note(const struct nl_step *s);

#endif
