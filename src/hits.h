/*
 * hits.h - the rules a packet's traced lines name, as one string per
 * packet (schema 39), so that traces --rule reads the packet's row
 * instead of every line of the store.
 */
#ifndef NL_HITS_H
#define NL_HITS_H

#include "natlog.h"

#include <stddef.h>
#include <stdint.h>

#define NL_HITS 2048

/* A packet's list: each traced line (TRACE, nft and xtables trace) once,
 * "KIND US FAMILY US TABLE US CHAIN US TYPE US NUMBER RS" with KIND 't'
 * (legacy TRACE: NUMBER its rule number) or 'n' (nft and xtables:
 * NUMBER its handle), a field "" where the line has none. US and RS are
 * ASCII's unit and record separators. */
struct nl_hits {
	char s[NL_HITS];
	size_t len;
	int bad;	/* a line did not fit, or named a separator: no list */
};

void nl_hits_init(struct nl_hits *h);
/* Adds ev's token when ev is a traced line (not a packet: line) and the
 * list does not hold it yet. */
void nl_hits_add(struct nl_hits *h, const struct nl_event *ev);

/* Whether list s holds a line --rule's filter keeps (store.c's RULE_COND
 * for one packet): family, table, chain, type NULL and num, handle -1
 * match anything; pairs lists "FAMILY US HANDLE" RS-separated, the handles
 * of the dumped rules at position num of the table and chain, through
 * which an nft line's handle matches a position. */
int nl_hits_match(const char *s, const char *family, const char *table, const char *chain,
		  const char *type, int64_t num, int64_t handle, const char *pairs);

#endif
