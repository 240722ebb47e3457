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
	char chain_family[CAP_MAX][8];
	char hook[CAP_MAX][16];
	char ctype[CAP_MAX][16];
	int prio[CAP_MAX];
	int has_prio[CAP_MAX];
	long long chain_handle[CAP_MAX];
	struct { char family[8], table[32], name[64], type[128], map_type[64], flags[64]; long long handle; } set[32];
	int nset;
	struct { char family[8], table[32], set[64], key[256], value[256]; int has_value; } elem[CAP_MAX];
	int nelem;
	struct nl_flow flow[CAP_MAX];
	int nflow;
	char ruleset_kind[8][32];
	int ruleset_family[8];
	int nruleset;
	char err[CAP_MAX][256];
	long errline[CAP_MAX];
	int nerr;
	int nskip;
	struct { char kind[16], name[64], spec[256]; } obj[32];
	int nobj;
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

static int cap_chain(void *ctx, const struct nl_chain_info *ci)
{
	struct capture *c = ctx;
	if (c->nchain < CAP_MAX) {
		int i = c->nchain++;
		snprintf(c->chain[i], 64, "%s", ci->name);
		snprintf(c->chain_table[i], 32, "%s", ci->table);
		snprintf(c->chain_family[i], 8, "%s", ci->family ? ci->family : "");
		snprintf(c->policy[i], 16, "%s", ci->policy ? ci->policy : "");
		snprintf(c->hook[i], 16, "%s", ci->hook ? ci->hook : "");
		snprintf(c->ctype[i], 16, "%s", ci->type ? ci->type : "");
		c->prio[i] = ci->prio;
		c->has_prio[i] = ci->has_prio;
		c->chain_handle[i] = ci->handle;
		c->builtin[i] = ci->builtin;
	}
	return 0;
}

static int cap_set(void *ctx, const struct nl_set_info *si)
{
	struct capture *c = ctx;
	if (c->nset < 32) {
		int i = c->nset++;
		snprintf(c->set[i].family, 8, "%s", si->family ? si->family : "");
		snprintf(c->set[i].table, 32, "%s", si->table ? si->table : "");
		snprintf(c->set[i].name, 64, "%s", si->name ? si->name : "");
		snprintf(c->set[i].type, 128, "%s", si->type ? si->type : "");
		snprintf(c->set[i].map_type, 64, "%s", si->map_type ? si->map_type : "");
		snprintf(c->set[i].flags, 64, "%s", si->flags ? si->flags : "");
		c->set[i].handle = si->handle;
	}
	return 0;
}

static int cap_element(void *ctx, const struct nl_set_elem *e)
{
	struct capture *c = ctx;
	if (c->nelem < CAP_MAX) {
		int i = c->nelem++;
		snprintf(c->elem[i].family, 8, "%s", e->family ? e->family : "");
		snprintf(c->elem[i].table, 32, "%s", e->table ? e->table : "");
		snprintf(c->elem[i].set, 64, "%s", e->set ? e->set : "");
		snprintf(c->elem[i].key, 256, "%s", e->key ? e->key : "");
		snprintf(c->elem[i].value, 256, "%s", e->value ? e->value : "");
		c->elem[i].has_value = e->value != NULL;
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

static int cap_flow(void *ctx, const struct nl_flow *f)
{
	struct capture *c = ctx;
	if (c->nflow < CAP_MAX)
		c->flow[c->nflow++] = *f;
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

static int cap_object(void *ctx, const struct nl_object_info *o)
{
	struct capture *c = ctx;
	if (c->nobj < 32) {
		snprintf(c->obj[c->nobj].kind, 16, "%s", o->kind);
		snprintf(c->obj[c->nobj].name, 64, "%s", o->name);
		snprintf(c->obj[c->nobj].spec, 256, "%s", o->spec);
		c->nobj++;
	}
	return 0;
}

/* Feeds text (lines separated by '\n') to parser p as file `path`, each
 * line in pieces of `piece` bytes through p->part (as the import does with
 * lines longer than its buffer), the last piece through p->line. */
static inline struct capture *feed_parts(const struct nl_parser *p, const char *path, const char *text,
				  size_t piece)
{
	static struct capture c;
	struct nl_sink sink = { &c, path, cap_event, cap_ruleset, cap_chain, cap_rule, cap_set,
				cap_element, cap_flow, cap_error, cap_skip, cap_object, NULL, NULL, NULL, NULL, NULL };
	void *st;
	long line = 0;
	const char *s = text;
	memset(&c, 0, sizeof c);
	st = p->open(&sink);
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s), off = 0;
		line++;
		for (; n - off > piece; off += piece)
			p->part(st, s + off, piece, line);
		if (n - off)
			p->line(st, s + off, n - off, line);
		s += n + (nl ? 1 : 0);
	}
	p->close(st);
	return &c;
}

/* Feeds text (lines separated by '\n') to parser p as file `path`. */
static struct capture *feed(const struct nl_parser *p, const char *path, const char *text)
{
	return feed_parts(p, path, text, SIZE_MAX);
}

#endif
