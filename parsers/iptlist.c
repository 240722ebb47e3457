/*
 * iptlist.c - `iptables [-t T] -L [-n] [-v] [-x] [--line-numbers]` listings
 * (iptables/xshared.c print_header, print_rule_details), as support bundles
 * hold them instead of iptables-save output:
 *   Chain DOCKER (2 references)
 *   num   pkts bytes target     prot opt in     out     source               destination
 *   3        2   128 DNAT       tcp  --  !br-0ea  *       0.0.0.0/0            0.0.0.0/0            tcp dpt:10000 to:172.19.0.9:80
 * The listing does not name its table: it comes from the file name
 * (sosreport's iptables_-t_nat_-nvL) or from the set of built-in chains.
 */
#include "natlog.h"
#include "cursor.h"
#include "parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct lchain {
	char name[64];
	char policy[16];
	int builtin;
	size_t nrules;			/* the last position */
	size_t nrows;			/* rows read: fewer after a "..." row */
	int trimmed;			/* a "..." row: the positions after it unknown */
};

struct iptlist {
	const struct nl_sink *sink;
	int family;
	char hint[32];			/* table named by the file name */
	char cmd_tables[NL_IPT_MAXCMDS][32];	/* tables named by a pasted command line, one per
					 * iptables command in it ("iptables -nvL; iptables
					 * -nvL -t nat"), for the listings under it in order */
	int ncmd, cmd_at;
	int started;
	char tables[8][16];		/* the tables this dump has listed */
	int ntables;
	int bad_chain;			/* the last Chain line's name could not be read */
	int has_num, has_counters, has_ifaces;
	struct lchain *chains;
	size_t nchains, capchains;
	char table[32];			/* the section's table, once known: its rules are
					 * then handed on as read, not kept */
	uint32_t *slots;		/* chains by name: index + 1, 0 empty; */
	size_t nslots;			/* twice capchains, a power of two */
	int user_chains;		/* the section has a user chain */
	struct nl_rule *rules;		/* kept while the table is not known, */
	size_t nrules, caprules;
	FILE *spill;			/* and beyond SPILL_AT, in a file */
	size_t spilled;			/* rules in it, before those in rules[] */
	int spill_failed;
	long section_line;
};

static int is_builtin(const char *c)
{
	return !strcmp(c, "PREROUTING") || !strcmp(c, "INPUT") || !strcmp(c, "FORWARD") ||
	       !strcmp(c, "OUTPUT") || !strcmp(c, "POSTROUTING");
}

/* Which table has exactly these built-in chains. */
static const char *table_from_chains(const struct iptlist *st)
{
	int pre = 0, in = 0, fwd = 0, out = 0, post = 0;
	size_t i;
	for (i = 0; i < st->nchains; i++) {
		const char *n = st->chains[i].name;
		if (!st->chains[i].builtin)
			continue;
		pre |= !strcmp(n, "PREROUTING");
		in |= !strcmp(n, "INPUT");
		fwd |= !strcmp(n, "FORWARD");
		out |= !strcmp(n, "OUTPUT");
		post |= !strcmp(n, "POSTROUTING");
	}
	if (pre && in && fwd && out && post)
		return "mangle";
	if (pre && out && post && !fwd)
		return "nat";
	if (pre && out && !in && !fwd && !post)
		return "raw";
	if (in && fwd && out && !pre && !post)
		return "filter";
	return NULL;
}

/* The section's table: the command pasted above it, else the one whose
 * built-in chains it lists, else the file's name; NULL when none tells. */
static const char *decide(struct iptlist *st)
{
	const char *table = table_from_chains(st);
	if (st->hint[0] && (!table || st->nchains < 3))
		table = st->hint;
	if (st->ncmd) {
		table = st->cmd_tables[st->cmd_at < st->ncmd ? st->cmd_at : st->ncmd - 1];
		st->cmd_at++;
	}
	return table;
}

static int hand_chain(struct iptlist *st, const struct lchain *c)
{
	struct nl_chain_info ci = { "", st->table, c->name, "", c->builtin ? c->name : "", 0, 0,
				    c->builtin ? c->policy : NULL, c->builtin, -1 };
	return st->sink->chain(st->sink->ctx, &ci);
}

/* Rules kept while the table is not known go to a file beyond this many,
 * so that a listing of built-in chains alone, whose table is known only
 * at its end, does not hold 2 KB a rule in memory. A rule's unused bytes
 * are zeros: runs of them are written as a count. */
#ifndef NL_IPTLIST_SPILL_AT
#define NL_IPTLIST_SPILL_AT 4096	/* the fuzz builds set 4, to reach the file */
#endif
#define SPILL_AT NL_IPTLIST_SPILL_AT

static int spill_put(FILE *f, const struct nl_rule *r)
{
	const unsigned char *b = (const unsigned char *)r;
	size_t i = 0, n = sizeof *r;
	while (i < n) {
		size_t z = 0;
		if (b[i]) {
			if (putc(b[i++], f) == EOF)
				return -1;
			continue;
		}
		while (i < n && !b[i])
			i++, z++;
		if (putc(0, f) == EOF)
			return -1;
		for (; z >= 0x80; z >>= 7)
			if (putc((int)(z & 0x7f) | 0x80, f) == EOF)
				return -1;
		if (putc((int)z, f) == EOF)
			return -1;
	}
	return 0;
}

static int spill_get(FILE *f, struct nl_rule *r)
{
	unsigned char *b = (unsigned char *)r;
	size_t i = 0, n = sizeof *r;
	while (i < n) {
		int c = getc(f);
		size_t z = 0;
		unsigned shift = 0;
		if (c == EOF)
			return -1;
		if (c) {
			b[i++] = (unsigned char)c;
			continue;
		}
		do {
			if ((c = getc(f)) == EOF || shift > 28)
				return -1;
			z |= (size_t)(c & 0x7f) << shift;
			shift += 7;
		} while (c & 0x80);
		if (z == 0 || z > n - i)
			return -1;
		memset(b + i, 0, z);
		i += z;
	}
	return 0;
}

/* The kept rules into the file; they stay in memory if it cannot be. */
static void spill_out(struct iptlist *st)
{
	size_t i;
	if (st->spill_failed)
		return;
	if (!st->spill && !(st->spill = tmpfile())) {
		st->spill_failed = 1;
		return;
	}
	/* a section's rules after the last one's, which were handed on */
	if (fseek(st->spill, 0, st->spilled ? SEEK_END : SEEK_SET) != 0 ||
	    (!st->spilled && ftruncate(fileno(st->spill), 0) != 0)) {
		st->spill_failed = 1;
		return;
	}
	for (i = 0; i < st->nrules; i++)
		if (spill_put(st->spill, &st->rules[i])) {
			st->spill_failed = 1;
			return;
		}
	if (fflush(st->spill) != 0) {
		st->spill_failed = 1;
		return;
	}
	st->spilled += st->nrules;
	st->nrules = 0;
}

/* The table is known: the chains and rules kept so far are handed on, in
 * the order they were read (those in the file first). */
static int hand_kept(struct iptlist *st, const char *table)
{
	const struct nl_sink *k = st->sink;
	size_t i, j, next = 0, from_file = st->spilled;
	int rc = 0;
	nl_strlcpy(st->table, table, sizeof st->table);
	for (i = 0; i < (size_t)st->ntables && strcmp(st->tables[i], table); i++)
		;
	/* a table listed again (the same chains pasted twice, before and
	 * after): another dump, whose rules take the same positions */
	if (!st->started || i < (size_t)st->ntables || st->ntables == 8) {
		st->started = 1;
		st->ntables = 0;
		if ((rc = k->ruleset(k->ctx, "iptables-list", st->family)) != 0)
			return rc;
	}
	nl_strlcpy(st->tables[st->ntables++], table, sizeof st->tables[0]);
	if (from_file && fseek(st->spill, 0, SEEK_SET) != 0)
		return -1;
	for (i = 0; i < st->nchains && rc == 0; i++) {
		struct lchain *c = &st->chains[i];
		rc = hand_chain(st, c);
		for (j = 0; j < c->nrows && rc == 0; j++) {
			struct nl_rule one, *r = &one;
			if (from_file) {
				if (spill_get(st->spill, &one))
					return -1;
				from_file--;
			} else if (next < st->nrules) {
				r = &st->rules[next++];
			} else {
				return -1;
			}
			nl_strlcpy(r->table, table, sizeof r->table);
			rc = k->rule(k->ctx, r);
		}
	}
	st->nrules = 0;
	st->spilled = 0;
	return rc;
}

/* The section ends. */
static int flush(struct iptlist *st)
{
	const struct nl_sink *k = st->sink;
	const char *table;
	int rc = 0;

	if (st->nchains == 0)
		return 0;
	if (!st->table[0]) {
		if ((table = decide(st)) != NULL)
			rc = hand_kept(st, table);
		else
			rc = k->error(k->ctx, st->section_line,
				      "cannot tell which table this listing is of (name the file after it, e.g. iptables-L-nat.txt)",
				      NULL, 0);
	}
	st->table[0] = '\0';
	st->nchains = 0;
	st->nrules = 0;
	st->spilled = 0;
	st->user_chains = 0;
	if (st->slots)
		memset(st->slots, 0, st->nslots * sizeof *st->slots);
	return rc;
}

/* A rule read: kept until the section's table is known, then handed on
 * as read, so that a listing of 100 000 rules is not held whole. */
static int row_done(struct iptlist *st, struct lchain *ch, struct nl_rule *r)
{
	ch->nrules++;
	ch->nrows++;
	if (!st->table[0]) {
		if (++st->nrules == SPILL_AT)
			spill_out(st);
		return 0;
	}
	nl_strlcpy(r->table, st->table, sizeof r->table);
	return st->sink->rule(st->sink->ctx, r);
}

/* The slot of chain NAME in the section: its own, or the empty one
 * where it would go. A kube-proxy listing has tens of thousands. */
static uint32_t *chain_slot(struct iptlist *st, const char *name, size_t nn)
{
	size_t m = st->nslots - 1, k = (size_t)nl_hash64(name, nn, NL_HASH_INIT) & m;
	while (st->slots[k]) {
		const char *c = st->chains[st->slots[k] - 1].name;
		if (strlen(c) == nn && !memcmp(c, name, nn))
			break;
		k = (k + 1) & m;
	}
	return &st->slots[k];
}

/* Room for one more chain, and its slots. */
static int chain_room(struct iptlist *st)
{
	size_t cap, i;
	struct lchain *p;
	uint32_t *sl;
	if (st->nchains < st->capchains)
		return 0;
	cap = st->capchains ? st->capchains * 2 : 32;
	if (cap > UINT32_MAX / 2 || !(p = realloc(st->chains, cap * sizeof *p)))
		return -1;
	st->chains = p;
	st->capchains = cap;
	if (!(sl = calloc(cap * 2, sizeof *sl)))
		return -1;
	free(st->slots);
	st->slots = sl;
	st->nslots = cap * 2;
	for (i = 0; i < st->nchains; i++)
		*chain_slot(st, st->chains[i].name, strlen(st->chains[i].name)) = (uint32_t)i + 1;
	return 0;
}

/* "98K", "12M", exact numbers with -x ("17207 52497455"): the bound is
 * the multiplier's, so that a -x count reads in full and none wraps. */
static int counter(const char *s, size_t n, int64_t *out)
{
	uint64_t v, mul = 1;
	if (n == 0)
		return 0;
	switch (s[n - 1]) {
	case 'K': mul = 1000ULL; n--; break;
	case 'M': mul = 1000000ULL; n--; break;
	case 'G': mul = 1000000000ULL; n--; break;
	case 'T': mul = 1000000000000ULL; n--; break;
	}
	if (!nl_parse_u64(s, n, (uint64_t)INT64_MAX / mul, &v))
		return 0;
	*out = (int64_t)(v * mul);
	return 1;
}

/* A chain name iptables could print: no NUL or control byte (a damaged
 * file's bytes would make another name, or none, of it). */
static int name_ok(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return n > 0;
}

static int chain_line(struct iptlist *st, const char *s, size_t n, long lineno)
{
	struct nl_cur c = cur_make(s + 6, n - 6);
	const char *name, *w;
	size_t nn, wn;
	struct lchain *ch;

	/* its rows are errors too, not rows of the chain before it */
	st->bad_chain = 1;
	if (!cur_word(&c, &name, &nn) || nn >= sizeof ch->name || !name_ok(name, nn))
		return st->sink->error(st->sink->ctx, lineno, "Chain line without a valid name", s, n);
	st->bad_chain = 0;
	/* the same chain again, or a built-in chain after the user chains that
	 * end a listing: the next table's listing begins */
	{
		char nm[64];
		nl_strlcpyn(nm, name, nn, sizeof nm);
		if (((st->nslots && *chain_slot(st, name, nn)) ||
		     (st->user_chains && is_builtin(nm) && memmem(s, n, "(policy ", 8))) && flush(st))
			return -1;
	}
	if (st->nchains == 0)
		st->section_line = lineno;
	if (chain_room(st))
		return -1;
	ch = &st->chains[st->nchains++];
	memset(ch, 0, sizeof *ch);
	nl_strlcpyn(ch->name, name, nn, sizeof ch->name);
	*chain_slot(st, name, nn) = (uint32_t)st->nchains;
	cur_spaces(&c);
	if (cur_lit(&c, "(policy ")) {
		cur_word(&c, &w, &wn);
		/* without -v the policy ends the parenthesis: "(policy DROP)" */
		while (wn > 0 && (w[wn - 1] == ')' || w[wn - 1] == ','))
			wn--;
		nl_strlcpyn(ch->policy, w, wn, sizeof ch->policy);
		ch->builtin = is_builtin(ch->name);
	}
	st->user_chains |= !ch->builtin;
	if (st->table[0])
		return hand_chain(st, ch);
	/* iptables lists the built-in chains first: at the first user chain
	 * they are all known, and so is the table */
	if (st->ncmd || (st->user_chains && st->nchains >= 3)) {
		const char *table = decide(st);
		if (table)
			return hand_kept(st, table);
	}
	return 0;
}

#define MAXCOL 64

/* Without -n, iptables prints ports by their /etc/services names; the
 * common ones (util.c). Another name leaves the port match out (unknown),
 * and is reported. */
static int service_port(const char *name)
{
	return nl_port_number(name, strlen(name));
}

/* "dpt:22", "dpt:https", "dpts:1000:2000", "dpt:!22" (libxt_tcp's
 * print_port; also spt/spts) into lo..hi and neg. */
static int port_match(const char *t, size_t tn, int *lo, int *hi, int *neg)
{
	char v[64], *colon;
	size_t skip = tn > 5 && t[3] == 's' ? 5 : 4;
	if (skip < tn && t[skip] == '!') {
		*neg = 1;
		skip++;
	}
	nl_strlcpyn(v, t + skip, tn - skip, sizeof v);
	colon = strchr(v, ':');
	if (colon) {
		*colon = '\0';
		*lo = service_port(v);
		*hi = service_port(colon + 1);
	} else {
		*lo = *hi = service_port(v);
	}
	return *lo >= 0 && *hi >= *lo;
}

/* A listing's prot column: all, a protocol's name or number, maybe negated. */
static int proto_word(const char *t, size_t n)
{
	char buf[32];
	if (n > 1 && t[0] == '!')
		t++, n--;
	if (n == 0 || n >= sizeof buf)
		return 0;
	nl_strlcpyn(buf, t, n, sizeof buf);
	return !strcmp(buf, "all") || nl_proto_number(buf) >= 0;
}

/* A row that is a rule, by its number or its counters, but whose columns
 * cannot be read: it is reported and still counted, with its text and an
 * unknown target, so that the rules after it keep their numbers. */
static int row_unread(struct iptlist *st, struct lchain *ch, struct nl_rule *r, const char *s,
		      size_t n, long lineno, const char *reason)
{
	const struct nl_sink *k = st->sink;
	if (k->error(k->ctx, lineno, reason, s, n))
		return -1;
	nl_strlcpyn(r->text, s, n, sizeof r->text);
	nl_strlcpy(r->target, "?", sizeof r->target);
	r->uncond = 0;
	return row_done(st, ch, r);
}

/* Whether a source or destination column holds what iptables prints
 * there: an address or prefix, a host name (without -n), anywhere. A
 * match word ("RELATED,ESTABLISHED", "dpt:80") is a column the paste lost. */
static int addr_column(const char *a, size_t n)
{
	char canon[NL_ADDRSIZ];
	const char *slash;
	if (n && a[0] == '!')
		a++, n--;
	if (!n || memchr(a, ',', n) || memchr(a, '=', n) || memchr(a, '(', n) || memchr(a, '"', n))
		return 0;
	if (!memchr(a, ':', n))
		return 1;
	slash = memchr(a, '/', n);
	return !nl_addr_canon(a, slash ? (size_t)(slash - a) : n, NULL, canon, sizeof canon);
}

/* "...": three dots or more, and nothing else */
static int all_dots(const char *w, size_t n)
{
	size_t i;
	for (i = 0; i < n && w[i] == '.'; i++)
		;
	return n >= 3 && i == n;
}

static int row_line(struct iptlist *st, const char *s, size_t n, long lineno)
{
	const struct nl_sink *k = st->sink;
	const char *tok[MAXCOL];
	size_t tl[MAXCOL];
	int nt = 0, i = 0, opt = -1, j;
	struct nl_cur c = cur_make(s, n);
	struct lchain *ch;
	struct nl_rule *r;
	size_t used = 0;
	const char *target = "", *prot, *in = "*", *out = "*", *src, *dst;
	size_t targetn = 0, protn, inn = 1, outn = 1, srcn, dstn;
	char buf[64];
	const char *extra;

	if (st->nchains == 0)
		return k->error(k->ctx, lineno, "rule row before any Chain line", s, n);
	if (st->bad_chain)
		return k->error(k->ctx, lineno, "rule row under a Chain line whose name could not be read",
				s, n);
	while (!cur_eof(&c) && nt < MAXCOL) {
		cur_spaces(&c);
		if (cur_eof(&c))
			break;
		cur_word(&c, &tok[nt], &tl[nt]);
		nt++;
	}
	/* iptables prints no row that starts so: the poster's note, or the
	 * fence round a Markdown paste, which must not take a rule's place */
	if (nt > 0 && (tok[0][0] == '#' || (tl[0] >= 3 && !memcmp(tok[0], "```", 3))))
		return k->error(k->ctx, lineno, "a note or fence added to the paste, not a rule row: "
				"it takes no rule position", s, n);
	ch = &st->chains[st->nchains - 1];
	if (nt == 1 && (all_dots(tok[0], tl[0]) || (tl[0] == 3 && !memcmp(tok[0], "\xe2\x80\xa6", 3)))) {
		ch->trimmed = 1;
		return k->error(k->ctx, lineno, "'...' (a trimmed paste): rows of the chain after it "
				"are read only with their --line-numbers", s, n);
	}
	if (ch->trimmed && !st->has_num)
		return k->error(k->ctx, lineno, "a row after '...' in the chain: its position is not "
				"known without --line-numbers", s, n);
	if (st->nrules == st->caprules) {
		size_t cap = st->caprules ? st->caprules * 2 : 64;
		struct nl_rule *p = realloc(st->rules, cap * sizeof *p);
		if (!p)
			return -1;
		st->rules = p;
		st->caprules = cap;
	}
	r = &st->rules[st->nrules];
	nl_rule_init(r);
	nl_strlcpy(r->chain, ch->name, sizeof r->chain);
	r->position = (int)ch->nrules + 1;
	if (st->has_num) {
		uint64_t num;
		if (i >= nt || !nl_parse_u64(tok[i], tl[i], 1000000000, &num))
			return k->error(k->ctx, lineno, "rule row without a rule number", s, n);
		if (ch->trimmed && (int)num > r->position) {
			ch->nrules = (size_t)num - 1;	/* the rows '...' left out */
			r->position = (int)num;
		}
		if ((int)num != r->position)
			return k->error(k->ctx, lineno, "rule numbers are not consecutive", s, n);
		i++;
	}
	if (st->has_counters) {
		if (i + 1 >= nt || !counter(tok[i], tl[i], &r->pkts) ||
		    !counter(tok[i + 1], tl[i + 1], &r->bytes))
			return st->has_num ? row_unread(st, ch, r, s, n, lineno,
						       "rule row without packet and byte counters")
					   : k->error(k->ctx, lineno, "rule row without packet and byte counters",
						      s, n);
		i += 2;
	}
	/* the target column is empty for rules without a target: find "opt" */
	for (j = i; j < nt && j <= i + 2; j++)
		if ((tl[j] == 2 && (!memcmp(tok[j], "--", 2) || !memcmp(tok[j], "-f", 2) ||
				    !memcmp(tok[j], "!f", 2))))
			opt = j;
	if (opt == i + 2) {
		target = tok[i];
		targetn = tl[i];
		i++;
	} else if (opt < 0 && i + 1 < nt && proto_word(tok[i + 1], tl[i + 1])) {
		/* ip6tables before 1.6 printed blanks for opt */
		target = tok[i];
		targetn = tl[i];
		i++;
	} else if (opt != i + 1 && !(opt < 0 && i < nt && proto_word(tok[i], tl[i]))) {
		return row_unread(st, ch, r, s, n, lineno, "rule row does not have the listing's columns");
	}
	prot = tok[i];
	protn = tl[i];
	i += opt < 0 ? 1 : 2;
	if (st->has_ifaces) {
		if (i + 1 >= nt)
			return row_unread(st, ch, r, s, n, lineno, "rule row ends before in/out");
		in = tok[i];
		inn = tl[i];
		out = tok[i + 1];
		outn = tl[i + 1];
		i += 2;
	}
	if (i + 1 >= nt)
		return row_unread(st, ch, r, s, n, lineno, "rule row ends before source/destination");
	src = tok[i];
	srcn = tl[i];
	dst = tok[i + 1];
	dstn = tl[i + 1];
	i += 2;
	if (!addr_column(src, srcn) || !addr_column(dst, dstn))
		return row_unread(st, ch, r, s, n, lineno, "rule row whose source and destination are "
				  "not addresses (its matches in their place: the paste lost those "
				  "columns?)");
	/* iptables prints "[goto] " before the matches of a -g rule */
	if (i < nt && tl[i] == 6 && !memcmp(tok[i], "[goto]", 6)) {
		r->is_goto = 1;
		i++;
	}
	extra = i < nt ? tok[i] : NULL;

	/* the row as text, counters dropped, spacing folded (whole words
	 * only, as they fit) */
	for (j = st->has_num + 2 * st->has_counters; j < nt; j++) {
		size_t sp = used ? 1 : 0;
		if (used + sp + tl[j] >= sizeof r->text)
			break;
		if (sp)
			r->text[used] = ' ';
		memcpy(r->text + used + sp, tok[j], tl[j]);
		used += sp + tl[j];
	}
	r->text[used] = '\0';
	nl_strlcpyn(r->target, target, targetn, sizeof r->target);
	if (protn && !(protn == 3 && !memcmp(prot, "all", 3)) && !(protn == 1 && prot[0] == '0')) {
		int neg = prot[0] == '!';
		nl_strlcpyn(buf, prot + neg, protn - (size_t)neg, sizeof buf);
		r->proto = nl_proto_number(buf);
		r->proto_neg = neg;
	}
	if (!((inn == 1 && in[0] == '*') || (inn == 3 && !memcmp(in, "any", 3)))) {
		r->iif_neg = in[0] == '!';
		nl_strlcpyn(r->iif, in + r->iif_neg, inn - (size_t)r->iif_neg, sizeof r->iif);
	}
	if (!((outn == 1 && out[0] == '*') || (outn == 3 && !memcmp(out, "any", 3)))) {
		r->oif_neg = out[0] == '!';
		nl_strlcpyn(r->oif, out + r->oif_neg, outn - (size_t)r->oif_neg, sizeof r->oif);
	}
#define ANY(a, an) (((an) == 9 && !memcmp(a, "0.0.0.0/0", 9)) || ((an) == 4 && !memcmp(a, "::/0", 4)) || \
		    ((an) == 8 && !memcmp(a, "anywhere", 8)))
	if (!ANY(src, srcn)) {
		r->src_neg = src[0] == '!';
		nl_strlcpyn(r->src, src + r->src_neg, srcn - (size_t)r->src_neg, sizeof r->src);
	}
	if (!ANY(dst, dstn)) {
		r->dst_neg = dst[0] == '!';
		nl_strlcpyn(r->dst, dst + r->dst_neg, dstn - (size_t)r->dst_neg, sizeof r->dst);
	}
	r->uncond = r->proto < 0 && !r->iif[0] && !r->oif[0] && !r->src[0] && !r->dst[0] &&
		    (opt < 0 || (tok[opt][0] == '-' && tok[opt][1] == '-')) && !extra;
	/* without -v the in and out columns are not printed: a row that
	 * shows no match may still have -i or -o (2: none shown) */
	if (r->uncond && !st->has_ifaces)
		r->uncond = 2;
	/* the free text: ports and the NAT target's address */
	for (j = i; j < nt; j++) {
		const char *t = tok[j];
		size_t tn = tl[j];
		int neg = 0;
		if (tn > 1 && t[0] == '!') {
			neg = 1;
			t++;
			tn--;
		}
		if ((tn > 4 && (!memcmp(t, "dpt:", 4) || !memcmp(t, "spt:", 4))) ||
		    (tn > 5 && (!memcmp(t, "dpts:", 5) || !memcmp(t, "spts:", 5)))) {
			int lo, hi;
			if (!port_match(t, tn, &lo, &hi, &neg)) {
				char why[200];
				snprintf(why, sizeof why, "'%.*s': a port's service name natlog does not "
					 "know (iptables without -n prints its machine's /etc/services "
					 "names): the rule is kept, that match unknown",
					 (int)(tn > 48 ? 48 : tn), t);
				if (k->error(k->ctx, lineno, why, s, n))
					return -1;
			} else {
				if (t[0] == 'd') {
					r->dport_lo = lo;
					r->dport_hi = hi;
					r->dport_neg = neg;
				} else {
					r->sport_lo = lo;
					r->sport_hi = hi;
					r->sport_neg = neg;
				}
			}
		} else if (tn > 3 && !memcmp(t, "to:", 3)) {
			nl_strlcpyn(r->target_arg, t + 3, tn - 3, sizeof r->target_arg);
		}
	}
	return row_done(st, ch, r);
}

/* A shell prompt with no command, as a paste ends ("toor4nsn@fzm-lsp-k2:~#",
 * "[root@host ~]#"): user@host, then '#' or '$' ending the line. No row of
 * a listing ends so. */
static int bare_prompt(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	return n > 2 && (s[n - 1] == '#' || s[n - 1] == '$') && at && at > s &&
	       !memchr(s, '\t', n) && !memmem(s, n, "  ", 2);
}

/* A shell prompt and a command other than iptables', as a paste shows the
 * commands run before the listing ("$ docker run -p 5000:5000 ...",
 * "[root@fw ~]# ip route", "user@fw:~$ ping ..."): its first word is "$"
 * or a prompt ending in '$' or '#' that holds '@', ':' or ']'. No row of
 * a listing starts so. */
static int prompt_command(const char *s, size_t n)
{
	const char *sp = memchr(s, ' ', n);
	size_t wn = sp ? (size_t)(sp - s) : n;
	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		return close && close + 2 < s + n && (close[1] == '$' || close[1] == '#') &&
		       close[2] == ' ';
	}
	if (!sp || wn == 0 || (s[wn - 1] != '$' && s[wn - 1] != '#'))
		return 0;
	if (wn == 1)
		return s[0] == '$';
	return memchr(s, '@', wn) || memchr(s, ':', wn);
}

/* The command pasted above its output ("# iptables -t nat -nvL", "$ sudo
 * ip6tables -L -t raw --line-numbers"): its -t names the table of the
 * listing that follows, filter when it has none. 1 when s is one. */
static int list_opt(const char *w, size_t wn)
{
	return (wn > 1 && w[0] == '-' && w[1] != '-' && memchr(w, 'L', wn)) ||
	       (wn == 6 && !memcmp(w, "--list", 6));
}

static int command_line(struct iptlist *st, const char *s, size_t n)
{
	char tables[NL_IPT_MAXCMDS][32];
	int list, v6, ncmd = nl_ipt_command_tables(s, n, list_opt, tables, &v6, &list);
	if (ncmd && v6 && !st->started)
		st->family = 6;
	if (!ncmd || !list)
		return 0;
	if (flush(st))
		return -1;
	memcpy(st->cmd_tables, tables, sizeof tables[0] * (size_t)ncmd);
	st->ncmd = ncmd;
	st->cmd_at = 0;
	return 1;
}

/* A line whose first word can begin the columns' header. */
static int header_start(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	return (n >= 3 && !memcmp(s, "num", 3)) || (n >= 4 && !memcmp(s, "pkts", 4)) ||
	       (n >= 6 && !memcmp(s, "target", 6));
}

/* A listing quoted in a mail or a forum post ("> Chain INPUT (policy
 * ACCEPT)", "> > target ..."): s past the quote marks, each with the one
 * blank after it, the columns after them left as aligned. */
static void unquote_marks(const char **s, size_t *n)
{
	while (*n > 0 && **s == '>') {
		(*s)++, (*n)--;
		if (*n > 0 && **s == ' ')
			(*s)++, (*n)--;
	}
}

/* The count eks-log-collector.sh writes under each listing it keeps (its
 * get_iptables_info(): the listing's lines without the Chain, header and
 * empty ones, counted with wc -l), "=======" then "Total Number of Rules:
 * 47": no rule rows. 1 when s is one of these lines; a count other than
 * the rows read says the file lost rows (or gained some), and is an error. */
static int collector_count(struct iptlist *st, const char *s, size_t n, long lineno)
{
	struct nl_cur c = cur_make(s, n);
	uint64_t want, have = 0;
	size_t i;
	char why[160];
	if (s[0] == '=') {
		for (i = 0; i < n && s[i] == '='; i++)
			;
		if (i < n || n < 3)
			return 0;
		st->sink->skip(st->sink->ctx, lineno);
		return 1;
	}
	if (!cur_lit(&c, "Total Number of Rules: ") || !cur_u64(&c, UINT32_MAX, &want) ||
	    !cur_eof(&c))
		return 0;
	for (i = 0; i < st->nchains; i++)
		have += st->chains[i].nrows;
	if (have == want) {
		st->sink->skip(st->sink->ctx, lineno);
		return 1;
	}
	snprintf(why, sizeof why, "the collector counted %llu rule rows in the listing above, "
		 "natlog read %llu: this is not the listing it counted", (unsigned long long)want,
		 (unsigned long long)have);
	return st->sink->error(st->sink->ctx, lineno, why, s, n) ? -1 : 1;
}

static int iptlist_line(void *state, const char *s, size_t n, long lineno)
{
	struct iptlist *st = state;
	int rc;
	unquote_marks(&s, &n);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	if (n == 0)
		return 0;
	/* iptables prints none; a name cut at one would be another, or none */
	if (memchr(s, '\0', n)) {
		st->bad_chain |= n > 6 && memcmp(s, "Chain ", 6) == 0;
		return st->sink->error(st->sink->ctx, lineno, "iptables listing line holding a NUL byte",
				       s, n);
	}
	{
		/* a listing indented as a quote or a Markdown code block */
		const char *t = s;
		size_t tn = n;
		while (tn > 0 && (*t == ' ' || *t == '\t'))
			t++, tn--;
		if (tn > 6 && memcmp(t, "Chain ", 6) == 0)
			return chain_line(st, t, tn, lineno);
	}
	/* the header, "num pkts bytes target prot opt ...": by its first word
	 * before the rest is searched */
	if (header_start(s, n) && memmem(s, n, "target", 6) && memmem(s, n, "prot", 4) &&
	    memmem(s, n, "source", 6)) {
		struct nl_cur c = cur_make(s, n);
		const char *w;
		size_t wn;
		cur_spaces(&c);
		cur_word(&c, &w, &wn);
		st->has_num = wn == 3 && !memcmp(w, "num", 3);
		st->has_counters = memmem(s, n, "pkts", 4) != NULL;
		st->has_ifaces = memmem(s, n, " in ", 4) != NULL;
		return 0;
	}
	if (memmem(s, n, "tables", 6) && (rc = command_line(st, s, n)) != 0)
		return rc < 0 ? -1 : 0;
	if (memchr(s, '#', n) && memmem(s, n, NL_LEGACY_PRESENT, strlen(NL_LEGACY_PRESENT)))
		return st->sink->error(st->sink->ctx, lineno, NL_LEGACY_MSG, s, n);
	if (s[0] == '#')
		return 0;
	if (bare_prompt(s, n) || prompt_command(s, n)) {
		st->sink->skip(st->sink->ctx, lineno);
		return 0;
	}
	if ((s[0] == '=' || s[0] == 'T') && (rc = collector_count(st, s, n, lineno)) != 0)
		return rc < 0 ? -1 : 0;
	if (s[0] == '`' || s[0] == 'E') {
		int f = nl_bundle_frame(s, n);
		if (f == 2)
			return st->sink->error(st->sink->ctx, lineno, NL_BUNDLE_FAILED, s, n);
		if (f) {
			st->sink->skip(st->sink->ctx, lineno);
			return 0;
		}
	}
	/* iptables that does not know the kernel's revision of a match or
	 * target prints this in place of its options: the row keeps its
	 * place, and what it left out is said */
	if (st->nchains && !st->bad_chain && memmem(s, n, "[unsupported revision]", 22) &&
	    st->sink->error(st->sink->ctx, lineno, "iptables printed '[unsupported revision]' in "
			    "place of a match's or target's options: what they are is unknown",
			    s, n))
		return -1;
	return row_line(st, s, n, lineno);
}

static int iptlist_probe(const char *s, size_t n)
{
	unquote_marks(&s, &n);
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	if (n > 6 && memcmp(s, "Chain ", 6) == 0 &&
	    (memmem(s, n, "(policy ", 8) || memmem(s, n, " references)", 12)))
		return 2;
	if (memmem(s, n, "target", 6) && memmem(s, n, "prot opt", 8))
		return 2;
	return 0;
}

static void *iptlist_open(const struct nl_sink *sink)
{
	struct iptlist *st = calloc(1, sizeof *st);
	const char *t;
	if (!st)
		return NULL;
	st->sink = sink;
	st->family = nl_family_from_path(sink->path);
	t = nl_table_from_path(sink->path);
	if (t)
		nl_strlcpy(st->hint, t, sizeof st->hint);
	st->has_ifaces = 1;
	return st;
}

static int iptlist_close(void *state)
{
	struct iptlist *st = state;
	int rc = flush(st);
	free(st->chains);
	free(st->slots);
	if (st->spill)
		fclose(st->spill);
	free(st->rules);
	free(st);
	return rc;
}

static const char *const iptlist_samples[] = {
	"Chain DOCKER (2 references)",
	"num   pkts bytes target     prot opt in     out     source               destination",
	"3        2   128 DNAT       tcp  --  !br-00ea7870520a *       0.0.0.0/0            0.0.0.0/0            tcp dpt:10000 to:172.19.0.9:80",
	NULL,
};

const struct nl_parser nl_parser_iptlist = {
	.name = "iptables-list",
	.probe = iptlist_probe,
	.open = iptlist_open,
	.line = iptlist_line,
	.close = iptlist_close,
	.samples = iptlist_samples,
};
