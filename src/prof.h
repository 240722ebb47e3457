/*
 * prof.h - where an import's time goes. With NATLOG_PROFILE=1 in the
 * environment, the import adds up wall and CPU time per stage (parsing
 * thread, store thread, the inserts, commits, analysis) and prints one
 * line per stage to stderr at the end; otherwise each probe is one test
 * of a flag. tests/bench reads these lines.
 */
#ifndef NL_PROF_H
#define NL_PROF_H

#include "natlog.h"

enum nl_prof_key {
	NL_P_STREAM,		/* reading and parsing sources, wall (parse thread) */
	NL_P_PARSE_CPU,		/* CPU of the thread that reads and parses */
	NL_P_PARSE_WAIT,	/* it waits for the store thread: the queue is full */
	NL_P_DRAIN,		/* it waits for the store thread to finish a source */
	NL_P_STORE_CPU,		/* CPU of the store thread */
	NL_P_STORE_IDLE,	/* the store thread waits for the parser */
	NL_P_DEDUP,		/* looking lines up in other sources (fingerprints) */
	NL_P_EV_INSERT,		/* store_add_event */
	NL_P_PKT_INSERT,	/* store_add_packet */
	NL_P_COMMIT,		/* commits of import transactions */
	NL_P_INDEX,		/* indexing a capture's frames after them (store.c) */
	NL_P_LOGGED,		/* packets only logged, analysed as written (store thread) */
	NL_P_ANALYZE,		/* analysis after the import, wall */
	NL_P_AN_LIST,		/* listing the packets to analyse */
	NL_P_AN_EVENTS,		/* reading a packet's events back (both threads) */
	NL_P_AN_JOINS,		/* LOG and conntrack lines joined by identity */
	NL_P_AN_RULES,		/* loading rulesets and counters */
	NL_P_AN_CPU,		/* CPU of the analysing threads */
	NL_P_AN_WRITE,		/* writing verdicts to packets */
	NL_P_AN_COMMIT,		/* the analysis commit */
	NL_P_SCAN_ROWS,		/* rows the cached lookups stepped through without an
				 * index (a count, not a time) */
	NL_P_SQL_STEPS,		/* SQLite's virtual machine steps, every statement of
				 * the import's stores: the work they did, index
				 * walks included (a count, the same each run) */
	NL_P_COUNT
};

extern int nl_prof_on;

/* Reads NATLOG_PROFILE once; starts the clocks. */
void prof_init(void);
/* Monotonic nanoseconds, and this thread's CPU nanoseconds. */
int64_t prof_ns(void);
int64_t prof_cpu_ns(void);
/* Adds ns to a key and counts one call; thread-safe. */
void prof_add(int key, int64_t ns);
/* Adds n to a key's count (a count of things, its time stays 0). */
void prof_count(int key, int64_t n);
/* The lines "natlog profile: KEY SECONDS s CALLS" to stderr. */
void prof_report(void);

#define PROF_T0() (nl_prof_on ? prof_ns() : 0)
#define PROF_ADD(key, t0) do { if (nl_prof_on) prof_add((key), prof_ns() - (t0)); } while (0)
#define PROF_CPU0() (nl_prof_on ? prof_cpu_ns() : 0)
#define PROF_CPU_ADD(key, c0) do { if (nl_prof_on) prof_add((key), prof_cpu_ns() - (c0)); } while (0)

#endif
