/*
 * capture.h - a sink that keeps what a parser reports, so parser tests can
 * feed lines and look at the events, rules and errors that came out.
 */
#ifndef NL_CAPTURE_H
#define NL_CAPTURE_H

#include "natlog.h"
#include "parser.h"

#include <stdlib.h>
#include <string.h>

#define CAP_MAX 256

struct capture {
	struct nl_event ev[CAP_MAX];
	int nev;
	struct nl_rule rule[CAP_MAX];
	int nrule;
	char chain[CAP_MAX][64];
	char chain_table[CAP_MAX][32];
	char policy[CAP_MAX][16];
	int builtin[CAP_MAX];
	int nchain;
	char ruleset_kind[8][32];
	int ruleset_family[8];
	int nruleset;
	char err[CAP_MAX][256];
	long errline[CAP_MAX];
	int nerr;
	int nskip;
};

static int cap_event(void *ctx, const struct nl_event *ev)
{
	struct capture *c = ctx;
	if (c->nev < CAP_MAX) {
		c->ev[c->nev] = *ev;
		c->ev[c->nev].raw = NULL;
		c->nev++;
	}
	return 0;
}

static int cap_ruleset(void *ctx, const char *kind, int family)
{
	struct capture *c = ctx;
	if (c->nruleset < 8) {
		snprintf(c->ruleset_kind[c->nruleset], 32, "%s", kind);
		c->ruleset_family[c->nruleset++] = family;
	}
	return 0;
}

static int cap_chain(void *ctx, const char *table, const char *chain, const char *policy,
		     int builtin)
{
	struct capture *c = ctx;
	if (c->nchain < CAP_MAX) {
		snprintf(c->chain[c->nchain], 64, "%s", chain);
		snprintf(c->chain_table[c->nchain], 32, "%s", table);
		snprintf(c->policy[c->nchain], 16, "%s", policy ? policy : "");
		c->builtin[c->nchain++] = builtin;
	}
	return 0;
}

static int cap_rule(void *ctx, const struct nl_rule *r)
{
	struct capture *c = ctx;
	if (c->nrule < CAP_MAX)
		c->rule[c->nrule++] = *r;
	return 0;
}

static int cap_error(void *ctx, long line, const char *reason, const char *text, size_t len)
{
	struct capture *c = ctx;
	(void)text;
	(void)len;
	if (c->nerr < CAP_MAX) {
		snprintf(c->err[c->nerr], 256, "%s", reason);
		c->errline[c->nerr++] = line;
	}
	return 0;
}

static void cap_skip(void *ctx, long line)
{
	struct capture *c = ctx;
	(void)line;
	c->nskip++;
}

/* Feeds text (lines separated by '\n') to parser p as file `path`. */
static struct capture *feed(const struct nl_parser *p, const char *path, const char *text)
{
	static struct capture c;
	struct nl_sink sink = { &c, path, cap_event, cap_ruleset, cap_chain, cap_rule,
				cap_error, cap_skip };
	void *st;
	long line = 0;
	const char *s = text;
	memset(&c, 0, sizeof c);
	st = p->open(&sink);
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		line++;
		if (n)
			p->line(st, s, n, line);
		s += n + (nl ? 1 : 0);
	}
	p->close(st);
	return &c;
}

#endif
