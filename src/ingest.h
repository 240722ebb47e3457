/*
 * ingest.h - reading inputs into the store: paths and directories, a
 * streamed line reader, format detection, one transaction per source.
 */
#ifndef NL_INGEST_H
#define NL_INGEST_H

#include "natlog.h"

struct nl_store;

struct nl_import_opts {
	const char *host;	/* for sources that do not name their host */
	long max_errors;	/* error lines printed; the import goes on */
	int quiet;
	int progress;		/* draw a progress bar on stderr */
	int64_t max_entry;	/* the most an archive member or compressed file may expand to */
	int64_t max_expansion;	/* the most all compressed input of an import may expand to */
	int64_t boot_us;	/* --boot-time: epoch microseconds of boot, or -1 */
	int year;		/* --year: for syslog times without one; 0 when not given */
	size_t block;		/* the first read block; 0: 1 MiB (the fuzzer uses small ones) */
};

struct nl_import_stats {
	int64_t files, already, failed, ignored;
	int64_t bytes, lines, events, packets, rulesets, errors, skipped;
	int64_t analyzed;
	int64_t restate_cut;	/* verdicts not checked against the realignment */
	int64_t dups;		/* lines another source had already brought */
	int64_t unknown;	/* files in no format natlog reads */
	char unknown_first[256];	/* the first of them */
	int64_t losses, lost;	/* log lines saying lines were lost, and how many */
	int64_t health;		/* kernel health lines (conntrack table full, SYN flooding) */
	int64_t ct_drops;	/* conntrack statistics rows that count drops */
	int64_t ct_drops_netns;	/* of them, a network namespace's (ip netns exec) */
	int64_t losses_netns;	/* loss lines a namespace's conntrack -E printed */
	int64_t losses_ct;	/* of the host's, conntrack -E's lost events */
	int64_t losses_mon;	/* nft monitor's or xtables-monitor's, a namespace's too */
	char ct_drops_ns[256];	/* those namespaces' names, ", " between */
	int store_failed;
};

int ingest_paths(struct nl_store *s, char *const *paths, int n, const struct nl_import_opts *o,
		 struct nl_import_stats *st);

#endif
