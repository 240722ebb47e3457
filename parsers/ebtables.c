/*
 * ebtables.c - ebtables' listings (`ebtables -t nat -L`, --Lc, --Ln), the
 * bridge layer's rules, as ebtables' list_rules() (ebtables.c, and
 * iptables' nft-bridge.c for ebtables-nft) prints them:
 *   Bridge table: filter
 *   Bridge chain: FORWARD, entries: 1, policy: ACCEPT
 *   -j PVEFW-FORWARD
 * natlog explains packets with the IP layer's rules only: each table is
 * recognized and said to be not read, once, at its first line. ebtables-save
 * looks like iptables-save and is told apart there (iptsave.c).
 */
#include "natlog.h"
#include "parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE "Bridge table: "
#define CHAIN "Bridge chain: "

struct ebt {
	const struct nl_sink *sink;
	int said;		/* the open table was reported */
};

int nl_ebtables_table(const struct nl_sink *k, long line, const char *t, size_t tn,
		      const char *s, size_t n)
{
	char why[256];
	snprintf(why, sizeof why, "bridge-layer rules (ebtables table '%.*s') are not read: natlog "
		 "explains packets with iptables and nft rules, and no step of a packet is "
		 "checked against ebtables'", (int)(tn > 32 ? 32 : tn), t);
	return k->error(k->ctx, line, why, s, n);
}

static int starts(const char *s, size_t n, const char *p)
{
	return n >= strlen(p) && !memcmp(s, p, strlen(p));
}

static int ebt_probe(const char *s, size_t n)
{
	nl_unquote(&s, &n);
	if (starts(s, n, TABLE) && n > strlen(TABLE))
		return 2;
	return starts(s, n, CHAIN) && memmem(s, n, ", entries: ", 11) ? 2 : 0;
}

static void *ebt_open(const struct nl_sink *sink)
{
	struct ebt *st = calloc(1, sizeof *st);
	if (st)
		st->sink = sink;
	return st;
}

static int ebt_line(void *state, const char *s, size_t n, long lineno)
{
	struct ebt *st = state;
	const struct nl_sink *k = st->sink;
	nl_unquote(&s, &n);
	if (starts(s, n, TABLE)) {
		st->said = 1;
		return nl_ebtables_table(k, lineno, s + strlen(TABLE), n - strlen(TABLE), s, n);
	}
	/* chains and rules without their table's line ("Bridge chain: ..."
	 * pasted alone): told once too */
	if (!st->said && (starts(s, n, CHAIN) || (n > 1 && s[0] == '-'))) {
		st->said = 1;
		return nl_ebtables_table(k, lineno, "?", 1, s, n);
	}
	k->skip(k->ctx, lineno);
	return 0;
}

static int ebt_close(void *state)
{
	free(state);
	return 0;
}

static const char *const ebt_samples[] = {
	"Bridge table: filter",
	"Bridge chain: FORWARD, entries: 1, policy: ACCEPT",
	NULL,
};

const struct nl_parser nl_parser_ebtables = {
	.name = "ebtables",
	.probe = ebt_probe,
	.open = ebt_open,
	.line = ebt_line,
	.close = ebt_close,
	.samples = ebt_samples,
};
