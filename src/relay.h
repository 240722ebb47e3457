/*
 * relay.h - hands the events of a parser that reports nothing else (kernel
 * logs, nft and xtables monitors, captures) from the thread that reads and
 * parses a source to a thread that deduplicates, correlates and stores
 * them, in batches through a small bounded queue, so the two cores of a
 * small machine share a big import. The store thread is the only one that
 * touches the store while a relay runs.
 */
#ifndef NL_RELAY_H
#define NL_RELAY_H

#include "natlog.h"

enum { NL_RELAY_EVENT, NL_RELAY_ERROR, NL_RELAY_NOTICE };

/* The queue: NL_RELAY_BATCHES batches of NL_RELAY_BATCH items (about 5 KB
 * each, touched only once used). Eight batches made a busy log's import
 * faster (either thread waits less for the other's slow moments) but took
 * the peak memory of a big import over 64 MB; eight of 64 items were no
 * faster than four of 128 (tests/bench/README.md). */
#define NL_RELAY_BATCHES 4
#define NL_RELAY_BATCH 128

struct nl_relay_item {
	int kind;			/* NL_RELAY_EVENT or NL_RELAY_ERROR */
	struct nl_event ev;		/* ev.raw points into buf; ev.msg is NULL */
	int64_t wall[3];		/* fingerprints of the seconds around the line's time */
	struct nl_notice notice;	/* NL_RELAY_NOTICE */
	long line;			/* an error's line */
	char reason[256];		/* an error's reason */
	char *buf;			/* the raw line or the error's text */
	size_t len, cap;
};

struct nl_relay;
typedef int (*nl_relay_fn)(void *ctx, struct nl_relay_item *it);

/* Starts the store thread, which calls fn for each item in order; NULL
 * when no thread could be started (the caller then works alone). */
struct nl_relay *relay_start(nl_relay_fn fn, void *ctx);
/* The next item to fill, owned by the caller until the next call; NULL
 * once fn has failed (the producer should stop). */
struct nl_relay_item *relay_next(struct nl_relay *r);
/* Copies n bytes into the item's buffer; -1 when out of memory. */
int relay_copy(struct nl_relay_item *it, const char *p, size_t n);
/* Hands over what is left, waits for the store thread and frees the
 * relay: 0, or fn's failure. */
int relay_finish(struct nl_relay *r);

#endif
