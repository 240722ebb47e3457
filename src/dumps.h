/*
 * dumps.h - several ruleset dumps of one host: which one explains a
 * packet (the one its trace fits, the closest in time among those that
 * do), when each was taken, and the ruleset changes a monitor recorded.
 */
#ifndef NL_DUMPS_H
#define NL_DUMPS_H

#include "natlog.h"

#include <stdio.h>

struct nl_store;
struct nl_rsview;
struct nl_analysis;
struct nl_packet_row;
struct nl_rewind;

/* Dumps tried per packet: of more, those taken nearest to the packet, and
 * explain says how many of how many. */
#define NL_MAXDUMPS 16

/* Which dump explained a packet, and why. */
#define NL_MAXFROM 4

struct nl_dumpsel {
	int64_t id;			/* rulesets.id, or 0: no dump */
	char netns[128];		/* nft: the network namespace whose dumps were
					 * tried (the packet's), "" the host's own */
	int fits;			/* the trace contradicts it nowhere */
	int candidates;			/* dumps of the host and family tried */
	int dumps;			/* all of them (more than candidates: see
					 * NL_MAXDUMPS) */
	int nfit;			/* how many of them fit */
	int after;			/* it was taken after the packet (both times known) */
	int tie;			/* only the order chose it, and no other packet's
					 * trace contradicts it yet */
	int ncontra;			/* dumps the trace contradicts (several only) */
	int64_t contra_ids[NL_MAXDUMPS];
	char why[400];			/* why this one */
	char contra[400];		/* the steps that contradict it ("" when it fits) */
	char change[400];		/* a ruleset change recorded after the packet, explain only */
	/* the dump rebuilt to the packet's time from the monitor's events (rewind.c) */
	int rewound;			/* events undone, or 0 */
	long rewound_from, rewound_to;	/* their lines in the packet's monitor file */
	char rewound_file[512];
	char not_rewound[400];		/* why events after the packet could not be undone, or "" */
	struct nl_rewind *rw;		/* the rebuilt chains the steps point into (analysis_free) */
	/* explain only (dumps_explain): the dump itself */
	char path[1024], kind[24], host[128], time[48], time_kind[16];
	/* tables the steps read from other dumps, which this one does not
	 * list (one listing per table: iptables -L, iptables -t nat -L) */
	int nfrom;
	struct { char table[32], path[1024]; } from[NL_MAXFROM];
};

/* 0, or -1 on a store failure */
typedef int (*nl_analyze_fn)(struct nl_store *s, struct nl_analysis *a,
			     const struct nl_packet_row *p, const struct nl_rsview *v, int nft);

/* Runs fn once per candidate dump of v (v->prefer set to each), keeps
 * the run of the dump chosen in a and says why in a->dump. For nft, when
 * the packet's monitor file recorded rule changes after it, runs fn once
 * more on the chosen dump rebuilt to the packet's time (a->dump.rewound).
 * Returns 0, or -1 on a store failure. */
int dumps_choose(struct nl_store *s, const struct nl_packet_row *p, struct nl_rsview *v,
		 struct nl_analysis *a, int nft, nl_analyze_fn fn);
/* Records an archive member's mtime (epoch seconds; -1: none) as the
 * time of the ruleset just created from it. */
int dumps_member_time(struct nl_store *s, int64_t ruleset_id, int64_t mtime);
/* Explain only: the chosen dump's source, kind, host and time into
 * a->dump, and the ruleset changes a monitor recorded in the packet's own
 * file after its trace (a->dump.change and a diagnosis). */
int dumps_explain(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a);
/* The "dump:" line of explain, and its "dump" JSON object (a key and a
 * value, after other keys). */
void dumps_print_text(FILE *f, const struct nl_analysis *a);
void dumps_print_json(FILE *f, const struct nl_analysis *a);
/* Frees the rebuilt ruleset a->dump holds, if any. */
void dumps_free(struct nl_analysis *a);

#endif
