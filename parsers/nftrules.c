/*
 * nftrules.c - `nft list ruleset` text, with or without -a, and the same
 * grammar from `nft list table|chain|set` (nftables src/rule.c table_print,
 * chain_print_declaration, set_print, rule_print; src/statement.c):
 *   table inet filter { # handle 7
 *   	chain forward { # handle 1
 *   		type filter hook forward priority filter; policy drop;
 *   		ct status dnat jump allowed_dnats # handle 6
 * A state machine over the blocks, one line at a time. A rule is one line;
 * set element lists wrap over several. What a rule matches is read from its
 * words only where the match is plain (`tcp dport 22`, `ip saddr 10.0.0.0/8`).
 */
#include "natlog.h"
#include "cursor.h"
#include "parser.h"

#include <stdlib.h>
#include <string.h>

#define MAXTOK 256
#define MAXDEFS 64
#define DEFSIZ 1024

enum blk { B_TOP, B_TABLE, B_CHAIN, B_SET, B_ELEMS, B_SKIP, B_OBJ };

struct tok {
	const char *p;
	size_t n;
};

/* The open chain: a table's chain, or the anonymous chain of a binding. */
struct chainctx {
	char chain[NL_CHAINSIZ], ctype[16], hook[16], policy[16];
	int prio, has_prio, base, chain_sent, nrules;
	int pos_unknown;		/* after a '...' line: positions unknown */
	int64_t chain_handle;
};

/* A rule that opened a chain binding ("jump {"): its chain and its text,
 * finished when the binding's '}' comes. */
struct binding {
	struct chainctx outer;
	struct nl_rule rule;
	char body[1024];		/* the inner rules, "; "-separated */
	size_t bodyn;
	int over;
};

#define MAXBIND 8

struct nftrules {
	const struct nl_sink *sink;
	int started;			/* ruleset announced to the sink */
	enum blk st, skip_ret;
	int skip_depth;
	long orphan_line;		/* a skipped block is a chain of no table, from here */
	uint64_t *seen;			/* family+table of this ruleset, hashed */
	size_t nseen, capseen;
	char family[8], table[32];
	long table_line, last_line;	/* of the open table, of the last line read */
	struct chainctx c;
	struct binding bind[MAXBIND];
	int nbind;
	/* the open flowtable or stateful object */
	char okind[16], oname[64], ospec[1024];
	size_t ospecn;
	int odepth;
	int64_t ohandle;
	/* the open set or map, and an element that continues on the next line */
	char set[64], stype[256], smap[256], sflags[128];
	int is_map, set_sent;
	int64_t set_handle;
	char pend[1024];
	size_t npend;
	int pend_inq, pend_depth, pend_over;
	struct nl_rule rule;
	struct tok tok[MAXTOK];
	/* `define` variables of a file nft -f reads, values expanded; a
	 * value with an open '{' continues on the lines after it */
	struct { char name[64]; char val[DEFSIZ]; } defs[MAXDEFS];
	int ndefs, defpend, defdepth;
	char xrule[1024];		/* a rule with its variables expanded */
	/* lines a file for nft -f continues with '\\', joined */
	char join[2048];
	size_t joinn;
	long join_line;
	int join_over;
	int join_depth;			/* of a rule's '{' still open */
};

static int teq(const struct tok *t, const char *s)
{
	size_t n = strlen(s);
	return t->n == n && memcmp(t->p, s, n) == 0;
}

static int in_list(const struct tok *t, const char *const *l)
{
	for (; *l; l++)
		if (teq(t, *l))
			return 1;
	return 0;
}

static int line_is(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

static int starts(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	return n >= k && memcmp(s, lit, k) == 0;
}

/* "chain x {" or, with -a, "chain x { # handle 5" */
static int opens_block(const char *s, size_t n)
{
	return (n > 0 && s[n - 1] == '{') || memmem(s, n, " { # ", 5) != NULL;
}

/* Opening minus closing braces outside double quotes. */
static int brace_balance(const char *s, size_t n)
{
	int d = 0, q = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			q = !q;
		else if (!q && s[i] == '{')
			d++;
		else if (!q && s[i] == '}')
			d--;
	}
	return d;
}

/* A block's name: a word or a "quoted" name. */
static int cur_name(struct nl_cur *c, char *out, size_t sz)
{
	const char *w;
	size_t n;
	cur_spaces(c);
	if (cur_char(c, '"')) {
		if (!cur_until(c, '"', &w, &n) || !cur_char(c, '"'))
			return 0;
	} else if (!cur_word(c, &w, &n)) {
		return 0;
	}
	if (n == 0 || n >= sz || memchr(w, '{', n) || memchr(w, '}', n))
		return 0;
	nl_strlcpyn(out, w, n, sz);
	return 1;
}

/* "{[ # handle N ...]" after a block's name; 0 when it is not there. */
static int opener_tail(struct nl_cur *c, int64_t *handle)
{
	uint64_t h;
	*handle = -1;
	cur_spaces(c);
	if (!cur_char(c, '{'))
		return 0;
	cur_spaces(c);
	if (cur_eof(c))
		return 1;
	if (!cur_char(c, '#'))
		return 0;
	cur_spaces(c);
	if (cur_lit(c, "handle ") && cur_u64(c, INT64_MAX, &h))
		*handle = (int64_t)h;
	return 1;		/* anything after (progname ...) is not ours */
}

/* ---- rules ---------------------------------------------------------- */

/* Words of a rule: "quoted strings" and { braced groups } are one word.
 * Returns the count, -1 for too many words, -2 for unbalanced text. */
static int tokenize(const char *s, size_t n, struct tok *t, int max)
{
	size_t i = 0;
	int k = 0;
	while (i < n) {
		size_t b;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= n)
			break;
		if (k >= max)
			return -1;
		b = i;
		if (s[i] == '{') {
			int d = 0, q = 0;
			for (; i < n; i++) {
				if (s[i] == '"')
					q = !q;
				else if (!q && s[i] == '{')
					d++;
				else if (!q && s[i] == '}' && --d == 0)
					break;
			}
			if (i >= n)
				return -2;
			i++;
		} else {
			/* a word, its quoted parts whole: "eth0", and fw4's
			 * "2022-05-30 21:51:23"-"2022-06-01 23:51:23" */
			while (i < n && s[i] != ' ' && s[i] != '\t') {
				if (s[i] == '"') {
					for (i++; i < n && s[i] != '"'; i++)
						if (s[i] == '\\' && i + 1 < n)
							i++;
					if (i >= n)
						return -2;
					i++;
					continue;
				}
				if (s[i] == '{' || s[i] == '}')
					return -2;
				i++;
			}
		}
		t[k].p = s + b;
		t[k].n = i - b;
		k++;
	}
	return k;
}

enum lkind { L_OTHER, L_PROTO, L_SPORT, L_DPORT, L_SADDR, L_DADDR, L_IIF, L_OIF };

struct lexpr {
	enum lkind kind;
	int l4;				/* protocol its header implies, or -1 */
};

static const char *const payload_protos[] = {
	"ether", "vlan", "arp", "ip", "ip6", "icmp", "igmp", "icmpv6", "ah", "esp", "comp",
	"udp", "udplite", "tcp", "dccp", "sctp", "th", "gre", "geneve", "vxlan", NULL,
};
static const char *const l4_protos[] = {
	"tcp", "udp", "udplite", "sctp", "dccp", "icmp", "icmpv6", "igmp", "ah", "esp", "gre", NULL,
};
static const char *const unqualified_meta[] = {
	"iifname", "oifname", "iif", "oif", "iifgroup", "oifgroup", NULL,
};
static const char *const relops[] = { "==", "!=", "<", ">", "<=", ">=", NULL };
static const char *const binops[] = { "&", "|", "^", "<<", ">>", NULL };
/* Words that end the arguments of a `... set <value>` statement. */
static const char *const stmt_words[] = {
	"accept", "drop", "continue", "return", "jump", "goto", "reject", "queue",
	"counter", "log", "comment", "dnat", "snat", "masquerade", "redirect", "notrack", NULL,
};

static int is_field(const struct tok *t)
{
	return t->n > 0 && t->p[0] >= 'a' && t->p[0] <= 'z';
}

static int l4_of(const struct tok *t)
{
	char name[16];
	if (!in_list(t, l4_protos))
		return -1;
	nl_strlcpyn(name, t->p, t->n, sizeof name);
	return nl_proto_number(name);
}

/* A packet expression at t[i] (`tcp dport`, `meta l4proto`, `ct original
 * ip saddr`, `iifname`): its number of words, 0 when there is none. */
static int left_expr(const struct tok *t, int nt, int i, struct lexpr *L)
{
	L->kind = L_OTHER;
	L->l4 = -1;
	if (i >= nt)
		return 0;
	if (in_list(&t[i], unqualified_meta)) {
		if (teq(&t[i], "iifname") || teq(&t[i], "iif"))
			L->kind = L_IIF;
		else if (teq(&t[i], "oifname") || teq(&t[i], "oif"))
			L->kind = L_OIF;
		return 1;
	}
	if (i + 1 >= nt || !is_field(&t[i + 1]))
		return 0;
	if (teq(&t[i], "meta")) {
		const struct tok *k = &t[i + 1];
		if (teq(k, "l4proto"))
			L->kind = L_PROTO;
		else if (teq(k, "iifname") || teq(k, "iif"))
			L->kind = L_IIF;
		else if (teq(k, "oifname") || teq(k, "oif"))
			L->kind = L_OIF;
		return 2;
	}
	if (teq(&t[i], "ct")) {
		int j = i + 1;
		if ((teq(&t[j], "original") || teq(&t[j], "reply")) && j + 1 < nt)
			j++;
		if ((teq(&t[j], "ip") || teq(&t[j], "ip6")) && j + 1 < nt)
			j++;
		return j + 1 - i;
	}
	if (in_list(&t[i], payload_protos)) {
		const struct tok *f = &t[i + 1];
		int ipx = teq(&t[i], "ip") || teq(&t[i], "ip6");
		if ((teq(&t[i], "ip") && teq(f, "protocol")) || (teq(&t[i], "ip6") && teq(f, "nexthdr")))
			L->kind = L_PROTO;
		else if (ipx && teq(f, "saddr"))
			L->kind = L_SADDR;
		else if (ipx && teq(f, "daddr"))
			L->kind = L_DADDR;
		else if (!ipx && teq(f, "sport"))
			L->kind = L_SPORT;
		else if (!ipx && teq(f, "dport"))
			L->kind = L_DPORT;
		L->l4 = l4_of(&t[i]);
		return 2;
	}
	return 0;
}

/* "22", "ssh" (older nft and nft -S print service names) or "1000-2000" */
static int port_range(const struct tok *t, int *lo, int *hi)
{
	const char *dash = memchr(t->p, '-', t->n);
	uint64_t a, b;
	int p = nl_port_number(t->p, t->n);
	if (!dash || p >= 0) {	/* "http-alt" holds a dash too */
		if (p < 0)
			return 0;
		*lo = *hi = p;
		return 1;
	}
	if (!nl_parse_u64(t->p, (size_t)(dash - t->p), 65535, &a) ||
	    !nl_parse_u64(dash + 1, t->n - (size_t)(dash + 1 - t->p), 65535, &b) || a > b)
		return 0;
	*lo = (int)a;
	*hi = (int)b;
	return 1;
}

/* A word nft prints as a port that is neither a number nor a service
 * name natlog knows ("munin": nft prints the names of the machine's
 * /etc/services), so the rule's port match is not known. */
static int unknown_port(const struct tok *v)
{
	int lo, hi;
	size_t i;
	if (!v->n || port_range(v, &lo, &hi))
		return 0;
	for (i = 0; i < v->n; i++) {
		char ch = v->p[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		      ch == '.' || ch == '+'))
			return 0;	/* a set, a map, a variable, a keyword's braces */
	}
	return v->p[0] >= 'a' && v->p[0] <= 'z';
}

static void set_ports(const struct tok *op, const struct tok *v, int *lo, int *hi, int *neg)
{
	int a, b;
	if (*lo >= 0 || !port_range(v, &a, &b))
		return;
	if (op && teq(op, "<") && a == b && a > 0)
		a = 0, b = b - 1;
	else if (op && teq(op, "<=") && a == b)
		a = 0;
	else if (op && teq(op, ">") && a == b && a < 65535)
		a = a + 1, b = 65535;
	else if (op && teq(op, ">=") && a == b)
		b = 65535;
	else if (op && !teq(op, "==") && !teq(op, "!="))
		return;
	*lo = a;
	*hi = b;
	*neg = op && teq(op, "!=");
}

/* A value nft never prints after ip saddr / daddr: not an address or
 * prefix, a range of them, a set, a map or a variable ("X.X.X.X",
 * "<my-ip>", "1.2.3": a paste's blanked-out value, or a typo). */
static int unreadable_addr(const struct tok *v)
{
	const char *dash = memchr(v->p, '-', v->n), *slash;
	char canon[NL_ADDRSIZ];
	size_t an, i;
	uint64_t bits;
	int shaped = 0;
	/* only a word shaped like an address is one gone wrong: not the '.'
	 * of a concatenation ("ip saddr . tcp dport @s"), a set, a map, a
	 * variable or a keyword */
	for (i = 0; i < v->n; i++) {
		char ch = v->p[i];
		if (ch == '.' || ch == ':' || ch == '<')
			shaped = 1;
		else if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
			   (ch >= 'A' && ch <= 'Z') || ch == '/' || ch == '-' || ch == '_' || ch == '>'))
			return 0;
	}
	if (!shaped || v->n < 3)
		return 0;
	if (dash && !nl_addr_canon(v->p, (size_t)(dash - v->p), NULL, canon, sizeof canon) &&
	    !nl_addr_canon(dash + 1, v->n - (size_t)(dash + 1 - v->p), NULL, canon, sizeof canon))
		return 0;
	slash = memchr(v->p, '/', v->n);
	an = slash ? (size_t)(slash - v->p) : v->n;
	if (nl_addr_canon(v->p, an, NULL, canon, sizeof canon))
		return 1;
	return slash && !nl_parse_u64(slash + 1, v->n - an - 1, 128, &bits);
}

/* An address or prefix as nft prints it; ranges and sets are not. */
static void set_addr(const struct tok *op, const struct tok *v, char *out, size_t sz, int *neg)
{
	const char *slash = memchr(v->p, '/', v->n);
	size_t an = slash ? (size_t)(slash - v->p) : v->n;
	char canon[NL_ADDRSIZ];
	uint64_t bits;
	if (out[0] || (op && !teq(op, "==") && !teq(op, "!=")) || v->n >= sz)
		return;
	if (nl_addr_canon(v->p, an, NULL, canon, sizeof canon))
		return;
	if (slash && !nl_parse_u64(slash + 1, v->n - an - 1, 128, &bits))
		return;
	nl_strlcpyn(out, v->p, v->n, sz);
	*neg = op && teq(op, "!=");
}

/* An interface name; nft's wildcard `eth*` becomes natlog's `eth+`. */
static void set_ifname(const struct tok *op, const struct tok *v, char *out, size_t sz, int *neg)
{
	const char *p = v->p;
	size_t n = v->n;
	if (out[0] || (op && !teq(op, "==") && !teq(op, "!=")))
		return;
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p++;
		n -= 2;
	} else if (!is_field(v)) {
		return;
	}
	if (n == 0 || n >= sz || memchr(p, '"', n) || memchr(p, '\\', n))
		return;
	nl_strlcpyn(out, p, n, sz);
	if (out[n - 1] == '*')
		out[n - 1] = '+';
	*neg = op && teq(op, "!=");
}

static void set_proto(struct nl_rule *r, const struct tok *op, const struct tok *v)
{
	char name[32];
	int p;
	if (r->proto >= 0 || (op && !teq(op, "==") && !teq(op, "!=")) || v->n >= sizeof name)
		return;
	nl_strlcpyn(name, v->p, v->n, sizeof name);
	p = nl_proto_number(name);
	if (p < 0)
		return;
	r->proto = p;
	r->proto_neg = op && teq(op, "!=");
}

static void copy_span(char *out, size_t sz, const struct tok *a, const struct tok *b)
{
	nl_strlcpyn(out, a->p, (size_t)(b->p + b->n - a->p), sz);
}

static int is_nat_flags(const struct tok *t)
{
	static const char *const f[] = { "random", "fully-random", "persistent", "netmap", NULL };
	size_t i = 0;
	while (i < t->n) {
		const char *c = memchr(t->p + i, ',', t->n - i);
		struct tok part = { t->p + i, c ? (size_t)(c - (t->p + i)) : t->n - i };
		if (!in_list(&part, f))
			return 0;
		i += part.n + 1;
	}
	return t->n > 0;
}

/* Fills target, ports, addresses, interfaces, protocol and uncond from the
 * words of a rule. Only plain matches set fields; everything else is kept
 * as text. */
/* "counter packets 12 bytes 720": the evidence that the rule ran. */
static void rule_counter(struct nl_rule *r, const struct tok *pk, const struct tok *by)
{
	uint64_t p, b;
	if (nl_parse_u64(pk->p, pk->n, INT64_MAX, &p) && nl_parse_u64(by->p, by->n, INT64_MAX, &b)) {
		r->pkts = (int64_t)p;
		r->bytes = (int64_t)b;
	}
}

/* "fib saddr . mark . iif oif missing", "fib saddr . iif check missing"
 * (nft 1.1.4 prints check where older nft printed oif), "fib daddr type
 * local": a route lookup whose keys (iif, mark) and result (oif, check,
 * type) are no interface match; a match natlog does not check. The index
 * after the result: its comparison and value are plain words, and the
 * statements after them are read as in any rule (src/fib.c). */
static int fib_end(const struct tok *t, int nt, int i)
{
	static const char *const results[] = { "oif", "oifname", "type", "check", NULL };
	/* the keys, each joined to the next by '.' */
	for (i++; i + 1 < nt && teq(&t[i + 1], "."); i += 2)
		;
	i++;	/* the last key */
	if (i < nt && in_list(&t[i], results))
		i++;
	return i;
}

static void rule_fields(struct nl_rule *r, const struct tok *t, int nt, const struct tok **bad,
			const struct tok **badport)
{
	int i = 0, match = 0, have_target = 0;
	char logprefix[256] = "";

	while (i < nt) {
		const struct tok *w = &t[i];
		struct lexpr L;
		int n, j;

		if (teq(w, "fib")) {
			match = 1;
			i = fib_end(t, nt, i);
			continue;
		}
		if (teq(w, "tproxy")) {
			/* "tproxy ip to 127.0.0.1:12345", "tproxy to :50080" */
			nl_strlcpy(r->target, "tproxy", sizeof r->target);
			r->target_arg[0] = '\0';
			have_target = 1;
			i++;
			if (i < nt && (teq(&t[i], "ip") || teq(&t[i], "ip6")))
				i++;
			if (i + 1 < nt && teq(&t[i], "to")) {
				copy_span(r->target_arg, sizeof r->target_arg, &t[i + 1], &t[i + 1]);
				i += 2;
			}
			continue;
		}
		if (teq(w, "accept") || teq(w, "drop") || teq(w, "continue") || teq(w, "return")) {
			copy_span(r->target, sizeof r->target, w, w);
			r->target_arg[0] = '\0';
			have_target = 1;
			i++;
			continue;
		}
		if ((teq(w, "jump") || teq(w, "goto")) && i + 1 < nt) {
			copy_span(r->target, sizeof r->target, w, w);
			copy_span(r->target_arg, sizeof r->target_arg, &t[i + 1], &t[i + 1]);
			r->is_goto = teq(w, "goto");
			have_target = 1;
			i += 2;
			continue;
		}
		if (teq(w, "reject")) {
			nl_strlcpy(r->target, "reject", sizeof r->target);
			r->target_arg[0] = '\0';
			have_target = 1;
			j = i + 1;
			if (j + 1 < nt && teq(&t[j], "with")) {
				int b = ++j;
				j++;
				if (j < nt && teq(&t[j], "type"))
					j++;
				if (j < nt && !teq(&t[j], "comment"))
					j++;
				copy_span(r->target_arg, sizeof r->target_arg, &t[b], &t[j - 1]);
			}
			i = j;
			continue;
		}
		if (teq(w, "queue")) {
			nl_strlcpy(r->target, "queue", sizeof r->target);
			r->target_arg[0] = '\0';
			have_target = 1;
			for (j = i + 1; j < nt;) {
				if ((teq(&t[j], "num") || teq(&t[j], "to")) && j + 1 < nt) {
					copy_span(r->target_arg, sizeof r->target_arg, &t[j + 1], &t[j + 1]);
					j += 2;
				} else if (teq(&t[j], "flags") && j + 1 < nt) {
					j += 2;
				} else if (teq(&t[j], "bypass") || teq(&t[j], "fanout") ||
					   teq(&t[j], "bypass,fanout")) {
					j++;
				} else {
					break;
				}
			}
			i = j;
			continue;
		}
		if (teq(w, "dnat") || teq(w, "snat") || teq(w, "masquerade") || teq(w, "redirect")) {
			copy_span(r->target, sizeof r->target, w, w);
			r->target_arg[0] = '\0';
			have_target = 1;
			j = i + 1;
			while (j < nt && (teq(&t[j], "ip") || teq(&t[j], "ip6") || teq(&t[j], "prefix") ||
					  teq(&t[j], "interval")))
				j++;
			if (j < nt && teq(&t[j], "to")) {
				int b = ++j;
				while (j < nt && !is_nat_flags(&t[j]) && !in_list(&t[j], stmt_words))
					j++;
				if (j > b)
					copy_span(r->target_arg, sizeof r->target_arg, &t[b], &t[j - 1]);
			}
			while (j < nt && is_nat_flags(&t[j]))
				j++;
			i = j;
			continue;
		}
		if (teq(w, "counter")) {
			j = i + 1;
			if (j + 3 < nt && teq(&t[j], "packets") && teq(&t[j + 2], "bytes")) {
				rule_counter(r, &t[j + 1], &t[j + 3]);
				j += 4;
			}
			else if (j + 1 < nt && teq(&t[j], "name"))
				j += 2;
			i = j;
			continue;
		}
		if (teq(w, "log")) {
			static const char *const opts[] = { "prefix", "level", "group", "snaplen",
							    "queue-threshold", NULL };
			for (j = i + 1; j < nt;) {
				if (in_list(&t[j], opts) && j + 1 < nt) {
					const struct tok *v = &t[j + 1];
					if (teq(&t[j], "prefix") && v->n >= 2 && v->p[0] == '"')
						nl_strlcpyn(logprefix, v->p + 1, v->n - 2, sizeof logprefix);
					j += 2;
				} else if (teq(&t[j], "flags") && j + 1 < nt) {
					j += (teq(&t[j + 1], "tcp") || teq(&t[j + 1], "ip")) && j + 2 < nt ? 3 : 2;
				} else {
					break;
				}
			}
			if (!have_target) {
				nl_strlcpy(r->target, "log", sizeof r->target);
				nl_strlcpy(r->target_arg, logprefix, sizeof r->target_arg);
			}
			i = j;
			continue;
		}
		if (teq(w, "comment") && i + 1 < nt) {
			i += 2;
			continue;
		}
		if (teq(w, "notrack")) {
			i++;
			continue;
		}
		if (teq(w, "flow") && i + 2 < nt) {
			i += 3;
			continue;
		}
		if (teq(w, "#") && i + 1 < nt && t[i + 1].n > 3 && !memcmp(t[i + 1].p, "xt_", 3)) {
			/* the same as nft before 0.9.1 printed them: "# xt_addrtype"
			 * a match, "# xt_MASQUERADE" a target (upper case) */
			const struct tok *x = &t[i + 1];
			if (x->p[3] >= 'A' && x->p[3] <= 'Z') {
				nl_xt_target(r, x->p + 3, x->n - 3);
				have_target = 1;
			} else {
				match = 1;
			}
			i += 2;
			continue;
		}
		if (teq(w, "xt") && i + 2 < nt) {
			/* iptables-nft's compat extensions: a match, or its target
			 * by the iptables name (nat targets as nft's own words) */
			if (!teq(&t[i + 1], "target")) {
				match = 1;
			} else {
				const struct tok *x = &t[i + 2];
				size_t q = x->n >= 2 && x->p[0] == '"' && x->p[x->n - 1] == '"';
				nl_xt_target(r, x->p + q, x->n - 2 * q);
				have_target = 1;
			}
			i += 3;
			continue;
		}
		if ((teq(w, "add") || teq(w, "update") || teq(w, "delete")) && i + 1 < nt &&
		    t[i + 1].p[0] == '@') {
			i += 2;
			if (i < nt && t[i].p[0] == '{')
				i++;
			continue;
		}
		if (teq(w, "dup") || teq(w, "fwd")) {
			for (i++; i < nt && !in_list(&t[i], stmt_words); i++)
				;
			continue;
		}

		n = left_expr(t, nt, i, &L);
		if (n == 0) {
			match = 1;	/* limit, quota, fib ...: kept as text */
			i++;
			continue;
		}
		j = i + n;
		if (j < nt && teq(&t[j], "set")) {
			/* meta mark set ..., ct helper set "x": a statement */
			for (j++; j < nt && !in_list(&t[j], stmt_words); j++)
				;
			i = j;
			continue;
		}
		match = 1;
		{
			int plain = 1, l4 = L.l4;
			const struct tok *op = NULL, *v = NULL;
			struct lexpr L2;
			int m;

			if (l4 >= 0 && r->proto < 0)
				r->proto = l4;
			while (j + 1 < nt && teq(&t[j], ".") && (m = left_expr(t, nt, j + 1, &L2)) > 0) {
				plain = 0;
				if (L2.l4 >= 0 && r->proto < 0)
					r->proto = L2.l4;
				j += 1 + m;
			}
			if (j + 1 < nt && in_list(&t[j], binops)) {
				plain = 0;
				j += 2;
			}
			if (j < nt && in_list(&t[j], relops))
				op = &t[j++];
			if (j + 1 < nt && (teq(&t[j], "vmap") || teq(&t[j], "map"))) {
				plain = 0;
				j += 2;
			} else if (j < nt) {
				v = &t[j++];
				if (j + 1 < nt && teq(&t[j], "/")) {
					plain = 0;
					j += 2;
				}
			}
			if (plain && v) {
				switch (L.kind) {
				case L_PROTO:
					set_proto(r, op, v);
					break;
				case L_SPORT:
				case L_DPORT:
					if (badport && !*badport && unknown_port(v))
						*badport = v;
					if (L.kind == L_SPORT)
						set_ports(op, v, &r->sport_lo, &r->sport_hi, &r->sport_neg);
					else
						set_ports(op, v, &r->dport_lo, &r->dport_hi, &r->dport_neg);
					break;
				case L_SADDR:
				case L_DADDR:
					if (bad && !*bad && unreadable_addr(v))
						*bad = v;
					if (L.kind == L_SADDR)
						set_addr(op, v, r->src, sizeof r->src, &r->src_neg);
					else
						set_addr(op, v, r->dst, sizeof r->dst, &r->dst_neg);
					break;
				case L_IIF:
					set_ifname(op, v, r->iif, sizeof r->iif, &r->iif_neg);
					break;
				case L_OIF:
					set_ifname(op, v, r->oif, sizeof r->oif, &r->oif_neg);
					break;
				case L_OTHER:
					break;
				}
			}
		}
		i = j;
	}
	r->uncond = !match;
}

/* ---- blocks --------------------------------------------------------- */

static int start(struct nftrules *st)
{
	if (st->started)
		return 0;
	st->started = 1;
	return st->sink->ruleset(st->sink->ctx, "nft-ruleset", 0);
}

/* A table seen twice starts another dump: another ruleset. */
static int open_table(struct nftrules *st, const char *family, const char *name)
{
	uint64_t h = nl_hash64(family, strlen(family) + 1, NL_HASH_INIT);
	size_t i;
	h = nl_hash64(name, strlen(name), h);
	for (i = 0; i < st->nseen; i++)
		if (st->seen[i] == h) {
			st->started = 0;
			st->nseen = 0;
			break;
		}
	if (st->nseen == st->capseen) {
		size_t cap = st->capseen ? st->capseen * 2 : 16;
		uint64_t *n = realloc(st->seen, cap * sizeof *n);
		if (!n)
			return -1;
		st->seen = n;
		st->capseen = cap;
	}
	st->seen[st->nseen++] = h;
	nl_strlcpy(st->family, family, sizeof st->family);
	nl_strlcpy(st->table, name, sizeof st->table);
	st->table_line = st->last_line;
	st->st = B_TABLE;
	return start(st);
}

static int skip_block(struct nftrules *st, const char *s, size_t n, enum blk ret)
{
	int d = brace_balance(s, n);
	if (d > 0) {
		st->skip_depth = d;
		st->skip_ret = ret;
		st->st = B_SKIP;
	} else {
		st->st = ret;
	}
	return 0;
}

static int send_chain(struct nftrules *st)
{
	struct nl_chain_info ci;
	if (st->c.chain_sent)
		return 0;
	st->c.chain_sent = 1;
	memset(&ci, 0, sizeof ci);
	ci.family = st->family;
	ci.table = st->table;
	ci.name = st->c.chain;
	ci.type = st->c.ctype;
	ci.hook = st->c.hook;
	ci.prio = st->c.prio;
	ci.has_prio = st->c.has_prio;
	ci.policy = st->c.base ? (st->c.policy[0] ? st->c.policy : "accept") : NULL;
	ci.builtin = st->c.base;
	ci.handle = st->c.chain_handle;
	return st->sink->chain(st->sink->ctx, &ci);
}

static int send_set(struct nftrules *st)
{
	struct nl_set_info si;
	if (st->set_sent)
		return 0;
	st->set_sent = 1;
	si.family = st->family;
	si.table = st->table;
	si.name = st->set;
	si.type = st->stype;
	si.map_type = st->is_map ? st->smap : NULL;
	si.flags = st->sflags;
	si.handle = st->set_handle;
	return st->sink->set(st->sink->ctx, &si);
}

/* A line a mail or a terminal broke off a rule: it starts with a word
 * that only follows another in a rule ("match \"connlimit\" counter
 * packets 0", "bytes 0 reject with tcp reset"), or with a number. */
static int continuation(const char *p, size_t len)
{
	static const char *const words[] = { "match", "bytes", "packets", "target", "with", "to",
					     "prefix", "level", "saddr", "daddr", "sport", "dport",
					     "type", "code", "state", "status", NULL };
	size_t i, wn = 0;
	while (wn < len && p[wn] != ' ')
		wn++;
	if (len && p[0] >= '0' && p[0] <= '9')
		return 1;
	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == wn && !memcmp(words[i], p, wn))
			return 1;
	return 0;
}

/* The shell prompt that ran nft, pasted above its output ("% nft list
 * ruleset", "root@OpenWrt:~# nft -a list table inet fw4"). */
static int prompt_nft(const char *p, size_t len)
{
	static const char *const marks[] = { "# nft ", "$ nft ", "% nft ", "# sudo nft ",
					     "$ sudo nft ", NULL };
	size_t i;
	for (i = 0; marks[i]; i++) {
		const char *m = memmem(p, len, marks[i], strlen(marks[i]));
		if (m && memmem(m, (size_t)(p + len - m), " list", 5))
			return 1;
	}
	return 0;
}

/* A variable's name as nft's scanner reads it after '$' (src/scanner.l,
 * "string"): a letter, '_' or '.', then letters, digits and "/-_.". */
static size_t var_len(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_' ||
			s[0] == '.'))
		return 0;
	for (i = 1; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '/' || ch == '-' || ch == '_' || ch == '.'))
			break;
	}
	return i;
}

static int find_def(const struct nftrules *st, const char *name, size_t n)
{
	int i;
	for (i = 0; i < st->ndefs; i++)
		if (strlen(st->defs[i].name) == n && !memcmp(st->defs[i].name, name, n))
			return i;
	return -1;
}

/* find_def, where the define being written (hide) is not set yet */
static int find_def_but(const struct nftrules *st, const char *name, size_t n, int hide)
{
	int d = find_def(st, name, n);
	return d == hide ? -1 : d;
}

/* s into out with each $name outside quotes replaced by its define's
 * value, as nft -f reads it: 0; 1 with *bad at the first name no define
 * set (left as written); -1 when out is too small. defs[hide] counts as
 * not set (-1: none hidden). */
static int expand_vars_but(const struct nftrules *st, int hide, const char *s, size_t n, char *out,
			   size_t sz, const char **bad, size_t *badn)
{
	size_t i = 0, o = 0;
	int q = 0;
	*bad = NULL;
	*badn = 0;
	while (i < n) {
		if (q && s[i] == '\\' && i + 1 < n) {
			if (o + 2 >= sz)
				return -1;
			out[o++] = s[i++];
			out[o++] = s[i++];
			continue;
		}
		if (s[i] == '"')
			q = !q;
		if (!q && s[i] == '$') {
			size_t vn = var_len(s + i + 1, n - i - 1);
			int d = vn ? find_def_but(st, s + i + 1, vn, hide) : -1;
			if (d >= 0) {
				size_t dl = strlen(st->defs[d].val);
				if (o + dl >= sz)
					return -1;
				memcpy(out + o, st->defs[d].val, dl);
				o += dl;
				i += 1 + vn;
				continue;
			}
			if (!*bad) {
				*bad = s + i;
				*badn = vn + 1;
			}
		}
		if (o + 1 >= sz)
			return -1;
		out[o++] = s[i++];
	}
	out[o] = '\0';
	return *bad ? 1 : 0;
}

static int expand_vars(const struct nftrules *st, const char *s, size_t n, char *out, size_t sz,
		       const char **bad, size_t *badn)
{
	return expand_vars_but(st, -1, s, n, out, sz, bad, badn);
}

/* The value of a define, or the part of it on a line of its own, added
 * to defs[d] with its variables expanded. nft resolves a $name when it
 * reads it: the first line of a redefine sees the old value (hide -1),
 * a new define or a later line of one does not see itself (hide d).
 * Expanded apart, so a value never copies onto itself. */
static int def_append(struct nftrules *st, int d, int hide, int first, const char *v, size_t vn,
		      const char *s, size_t n, long lineno)
{
	const struct nl_sink *k = st->sink;
	char *val = st->defs[d].val;
	char tmp[DEFSIZ];
	size_t used, tn;
	const char *bad;
	size_t badn;
	int rc;

	while (vn > 0 && (v[vn - 1] == ';' || v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;
	rc = expand_vars_but(st, hide, v, vn, tmp, sizeof tmp, &bad, &badn);
	if (first)
		val[0] = '\0';
	used = strlen(val);
	tn = rc < 0 ? 0 : strlen(tmp);
	if (rc < 0 || used + (used ? 1 : 0) + tn >= DEFSIZ) {
		val[0] = '\0';
		return k->error(k->ctx, lineno, "define's value is longer than 1023 bytes", s, n);
	}
	if (used)
		val[used++] = ' ';
	memcpy(val + used, tmp, tn + 1);
	if (rc > 0) {
		char why[160];
		snprintf(why, sizeof why, "define uses '%.*s', which no define before it sets",
			 (int)(badn > 64 ? 64 : badn), bad);
		return k->error(k->ctx, lineno, why, s, n);
	}
	return 0;
}

/* The next line of a define whose value opened a '{'. */
static int def_more(struct nftrules *st, const char *p, size_t len, const char *s, size_t n, long lineno)
{
	int d = st->defpend - 1;
	st->defdepth += brace_balance(p, len);
	if (st->defdepth <= 0)
		st->defpend = 0;
	return def_append(st, d, d, 0, p, len, s, n, lineno);
}

/* Lines of a file for nft -f that `nft list ruleset` never prints (nftables
 * src/parser_bison.y common_block, "flush ruleset"): 1 when the line was
 * one of them, used or reported; 0 when not; -1 when the sink failed. */
static int script_line(struct nftrules *st, const char *p, size_t len, const char *s, size_t n,
		       long lineno)
{
	const struct nl_sink *k = st->sink;
	struct nl_cur c = cur_make(p, len);
	const char *w = NULL;
	size_t wn = 0;
	int d, undef, fresh;

	if (line_is(p, len, "flush ruleset") || line_is(p, len, "flush ruleset;"))
		return 1;	/* the file replaces the whole ruleset: what follows is all of it */
	if (starts(p, len, "include ") || starts(p, len, "include\t"))
		return k->error(k->ctx, lineno, "'include' is not followed: import the files it names "
				"too, or the rules in them are not known", s, n) ? -1 : 1;
	undef = cur_lit(&c, "undefine ");
	if (!undef && !cur_lit(&c, "define ") && !cur_lit(&c, "redefine "))
		return 0;
	cur_spaces(&c);
	wn = var_len(c.p, cur_left(&c));
	w = c.p;
	c.p += wn;
	cur_spaces(&c);
	if (wn == 0 || wn >= sizeof st->defs[0].name)
		return k->error(k->ctx, lineno, "bad variable name in a define", s, n) ? -1 : 1;
	d = find_def(st, w, wn);
	if (undef) {
		if (d >= 0)
			st->defs[d] = st->defs[--st->ndefs];
		return 1;
	}
	if (!cur_char(&c, '='))
		return k->error(k->ctx, lineno, "define without '='", s, n) ? -1 : 1;
	cur_spaces(&c);
	fresh = d < 0;
	if (fresh) {
		if (st->ndefs == MAXDEFS)
			return k->error(k->ctx, lineno, "more than 64 defines: this one is not read", s, n)
			       ? -1 : 1;
		d = st->ndefs++;
		nl_strlcpyn(st->defs[d].name, w, wn, sizeof st->defs[d].name);
		st->defs[d].val[0] = '\0';
	}
	st->defdepth = brace_balance(c.p, cur_left(&c));
	st->defpend = st->defdepth > 0 ? d + 1 : 0;
	return def_append(st, d, fresh ? d : -1, 1, c.p, cur_left(&c), s, n, lineno) ? -1 : 1;
}

/* "..." or "…": a paste trimmed by hand, never nft's own output */
static int is_ellipsis(const char *p, size_t len)
{
	return (len >= 3 && !memcmp(p, "...", 3)) || (len >= 3 && !memcmp(p, "\xe2\x80\xa6", 3)) ||
	       (len >= 4 && !memcmp(p + len - 4, " ...", 4));
}

static int top_line(struct nftrules *st, const char *p, size_t len, const char *s, size_t n, long lineno)
{
	static const char *const families[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev", NULL };
	const struct nl_sink *k = st->sink;
	struct nl_cur c = cur_make(p, len);
	char fam[16], name[64];
	int64_t handle;
	int rc;

	if (line_is(p, len, "}"))
		return k->error(k->ctx, lineno, "'}' without an open table", s, n);
	if ((rc = script_line(st, p, len, s, n, lineno)) != 0)
		return rc < 0 ? -1 : 0;
	if (prompt_nft(p, len)) {
		k->skip(k->ctx, lineno);	/* "root@OpenWrt:~# nft list ruleset" */
		return 0;
	}
	if (is_ellipsis(p, len))
		return k->error(k->ctx, lineno, "'...' (a trimmed paste): the tables it left out are "
				"not known", s, n);
	if (starts(p, len, "chain ") && brace_balance(p, len) > 0) {
		/* a chain pasted without the table round it (NixOS/nixpkgs#109332) */
		if (k->error(k->ctx, lineno, "a chain with no 'table <family> <name> {' line round "
			     "it: its family and table are not known, its rules not read", s, n))
			return -1;
		st->orphan_line = lineno;
		return skip_block(st, p, len, B_TOP);
	}
	if (!cur_lit(&c, "table "))
		return k->error(k->ctx, lineno, "not nft ruleset text: expected 'table <family> <name> {'", s, n);
	if (!cur_name(&c, fam, sizeof fam) || !cur_name(&c, name, sizeof name) ||
	    !opener_tail(&c, &handle)) {
		struct nl_cur e = cur_make(p, len);
		/* "table ip filter" alone, as `nft list tables` prints each */
		cur_lit(&e, "table ");
		if (cur_name(&e, fam, sizeof fam) && cur_name(&e, name, sizeof name) && cur_eof(&e))
			return k->error(k->ctx, lineno, "a table's name alone (nft list tables): no "
					"chains or rules to read", s, n);
		if (k->error(k->ctx, lineno, "bad table line", s, n))
			return -1;
		return skip_block(st, p, len, B_TOP);
	}
	{
		struct tok f = { fam, strlen(fam) };
		if (!in_list(&f, families)) {
			if (k->error(k->ctx, lineno, "unknown table family", s, n))
				return -1;
			return skip_block(st, p, len, B_TOP);
		}
	}
	if (strlen(name) >= sizeof st->table) {
		if (k->error(k->ctx, lineno, "table name is longer than 31 bytes", s, n))
			return -1;
		return skip_block(st, p, len, B_TOP);
	}
	return open_table(st, fam, name);
}

/* "counter x {", "ct helper x {", "flowtable f { # handle 3" */
static int open_object(struct nftrules *st, const char *p, size_t len, const char *s, size_t n,
		       long lineno)
{
	const struct nl_sink *k = st->sink;
	struct nl_cur c = cur_make(p, len);
	const char *w;
	size_t wn;
	cur_word(&c, &w, &wn);
	if (wn == 2 && !memcmp(w, "ct", 2)) {
		const char *w2;
		size_t wn2;
		cur_spaces(&c);
		cur_word(&c, &w2, &wn2);
		wn = (size_t)(w2 + wn2 - w);
	}
	if (wn >= sizeof st->okind || !cur_name(&c, st->oname, sizeof st->oname) ||
	    !opener_tail(&c, &st->ohandle)) {
		if (k->error(k->ctx, lineno, "bad object line", s, n))
			return -1;
		return skip_block(st, p, len, B_TABLE);
	}
	nl_strlcpyn(st->okind, w, wn, sizeof st->okind);
	st->ospecn = 0;
	st->ospec[0] = '\0';
	st->odepth = brace_balance(p, len);
	st->st = B_OBJ;
	return 0;
}

/* A line of an object's block; its '}' sends the object. */
static int object_line(struct nftrules *st, const char *p, size_t len, const char *s, size_t n,
		       long lineno)
{
	const struct nl_sink *k = st->sink;
	struct nl_object_info o;
	st->odepth += brace_balance(p, len);
	if (st->odepth > 0 || !line_is(p, len, "}")) {
		if (st->odepth <= 0) {
			st->st = B_TABLE;
			return k->error(k->ctx, lineno, "text after an object's '}'", s, n);
		}
		if (st->ospecn + len + 3 >= sizeof st->ospec)
			return k->error(k->ctx, lineno, "object longer than 1023 bytes", s, n);
		if (st->ospecn) {
			memcpy(st->ospec + st->ospecn, "; ", 2);
			st->ospecn += 2;
		}
		memcpy(st->ospec + st->ospecn, p, len);
		st->ospecn += len;
		st->ospec[st->ospecn] = '\0';
		return 0;
	}
	st->st = B_TABLE;
	if (!k->object)
		return 0;
	o.family = st->family;
	o.table = st->table;
	o.kind = st->okind;
	o.name = st->oname;
	o.spec = st->ospec;
	o.handle = st->ohandle;
	return k->object(k->ctx, &o);
}

static int chain_line(struct nftrules *st, const char *p, size_t len, const char *s, size_t n,
		      long lineno);
static int set_line(struct nftrules *st, const char *p, size_t len, const char *s, size_t n,
		    long lineno);

/* A chain opened, its name already in st->c.chain. */
static void chain_reset(struct nftrules *st, int64_t handle)
{
	st->c.ctype[0] = st->c.hook[0] = st->c.policy[0] = '\0';
	st->c.prio = st->c.has_prio = st->c.base = st->c.chain_sent = st->c.nrules = 0;
	st->c.pos_unknown = 0;
	st->c.chain_handle = handle;
	st->nbind = 0;
	st->st = B_CHAIN;
}

/* "chain x { meta l4proto udp redirect to :5300 ; drop ; }", "set s { type
 * ipv4_addr; }": a block on one line, as nft -f reads it (statements end at
 * ';' as at a newline), read part by part by line() as if each were a line
 * of its own, then closed. */
static int oneline_block(struct nftrules *st,
			 int (*line)(struct nftrules *, const char *, size_t, const char *, size_t, long),
			 const char *b, size_t bn, const char *s, size_t n, long lineno)
{
	size_t i = 0, from = 0;
	int q = 0, d = 0;
	for (i = 0; i <= bn; i++) {
		if (i < bn) {
			if (b[i] == '"')
				q = !q;
			else if (!q && b[i] == '{')
				d++;
			else if (!q && b[i] == '}')
				d--;
			if (q || d > 0 || b[i] != ';')
				continue;
		}
		{
			const char *part = b + from;
			size_t pn = i - from;
			while (pn > 0 && (*part == ' ' || *part == '\t')) {
				part++;
				pn--;
			}
			while (pn > 0 && (part[pn - 1] == ' ' || part[pn - 1] == '\t'))
				pn--;
			if (pn > 0 && line(st, part, pn, s, n, lineno))
				return -1;
		}
		from = i + 1;
	}
	return line(st, "}", 1, s, n, lineno);
}

static int table_line(struct nftrules *st, const char *p, size_t len, const char *s, size_t n, long lineno)
{
	static const char *const objects[] = { "counter", "quota", "limit", "ct", "flowtable",
					       "secmark", "synproxy", "tunnel", NULL };
	const struct nl_sink *k = st->sink;
	struct nl_cur c = cur_make(p, len);
	const char *w;
	size_t wn;
	int rc;

	if (line_is(p, len, "}")) {
		st->st = B_TOP;
		return 0;
	}
	if ((rc = script_line(st, p, len, s, n, lineno)) != 0)
		return rc < 0 ? -1 : 0;
	if (starts(p, len, "table ")) {
		st->st = B_TOP;
		if (k->error(k->ctx, lineno, "missing '}' before the next table", s, n))
			return -1;
		return top_line(st, p, len, s, n, lineno);
	}
	if (cur_lit(&c, "chain ")) {
		struct nl_cur o;
		int named = cur_name(&c, st->c.chain, sizeof st->c.chain);
		o = c;
		cur_spaces(&o);
		if (named && cur_left(&o) >= 2 && o.p[0] == '{' && o.p[cur_left(&o) - 1] == '}' &&
		    brace_balance(o.p, cur_left(&o)) == 0) {
			chain_reset(st, -1);
			return oneline_block(st, chain_line, o.p + 1, cur_left(&o) - 2, s, n, lineno);
		}
		if (!named || !opener_tail(&c, &st->c.chain_handle)) {
			if (k->error(k->ctx, lineno, "bad chain line", s, n))
				return -1;
			return skip_block(st, p, len, B_TABLE);
		}
		chain_reset(st, st->c.chain_handle);
		return 0;
	}
	if (cur_lit(&c, "set ") || cur_lit(&c, "map ")) {
		struct nl_cur o;
		int named = cur_name(&c, st->set, sizeof st->set), one;
		o = c;
		cur_spaces(&o);
		one = named && cur_left(&o) >= 2 && o.p[0] == '{' && o.p[cur_left(&o) - 1] == '}' &&
		      brace_balance(o.p, cur_left(&o)) == 0;
		if (!one && (!named || !opener_tail(&c, &st->set_handle))) {
			if (k->error(k->ctx, lineno, "bad set line", s, n))
				return -1;
			return skip_block(st, p, len, B_TABLE);
		}
		st->is_map = p[0] == 'm';
		st->stype[0] = st->smap[0] = st->sflags[0] = '\0';
		st->set_sent = 0;
		st->st = B_SET;
		if (one) {
			/* "set whitelist_v4 { type ipv4_addr; }", as nft -f reads it */
			st->set_handle = -1;
			return oneline_block(st, set_line, o.p + 1, cur_left(&o) - 2, s, n, lineno);
		}
		return 0;
	}
	if (starts(p, len, "flags ") || starts(p, len, "comment "))
		return 0;
	cur_word(&c, &w, &wn);
	{
		struct tok t = { w, wn };
		if (in_list(&t, objects) && opens_block(p, len))
			return open_object(st, p, len, s, n, lineno);
	}
	if (k->error(k->ctx, lineno, opens_block(p, len) ? "unknown object in a table" :
		     "unknown statement in a table", s, n))
		return -1;
	return skip_block(st, p, len, B_TABLE);
}

/* Symbolic priorities (nftables src/rule.c std_prios, bridge_std_prios). */
static int prio_value(const char *family, const struct tok *t, int *out)
{
	static const struct { const char *name; int v; } std[] = {
		{ "raw", -300 }, { "mangle", -150 }, { "dstnat", -100 }, { "filter", 0 },
		{ "security", 50 }, { "srcnat", 100 },
	}, bridge[] = {
		{ "dstnat", -300 }, { "filter", -200 }, { "out", 100 }, { "srcnat", 300 },
	};
	size_t i;
	uint64_t v;
	if (t->n > 1 && t->p[0] == '-' && nl_parse_u64(t->p + 1, t->n - 1, 2147483648ULL, &v)) {
		*out = (int)-(int64_t)v;
		return 1;
	}
	if (nl_parse_u64(t->p, t->n, 2147483647, &v)) {
		*out = (int)v;
		return 1;
	}
	if (strcmp(family, "bridge") == 0) {
		for (i = 0; i < sizeof bridge / sizeof bridge[0]; i++)
			if (teq(t, bridge[i].name)) {
				*out = bridge[i].v;
				return 1;
			}
		return 0;
	}
	for (i = 0; i < sizeof std / sizeof std[0]; i++)
		if (teq(t, std[i].name)) {
			*out = std[i].v;
			return 1;
		}
	return 0;
}

/* type filter hook input [device "x"] priority filter - 10; policy accept; */
static int base_chain(struct nftrules *st, const char *p, size_t len, const char *s, size_t n, long lineno)
{
	const struct nl_sink *k = st->sink;
	struct tok *t = st->tok;
	int nt = tokenize(p, len, t, MAXTOK), i;
	const char *bad = NULL;

	if (nt < 0)
		return k->error(k->ctx, lineno, "bad base chain line", s, n);
	st->c.base = 1;
	for (i = 0; i < nt; i++) {
		/* "filter;" and "accept;": the semicolon ends a part */
		struct tok w = t[i];
		struct tok v = i + 1 < nt ? t[i + 1] : (struct tok){ "", 0 };
		if (v.n && v.p[v.n - 1] == ';')
			v.n--;
		if (teq(&w, "type") && v.n && v.n < sizeof st->c.ctype) {
			nl_strlcpyn(st->c.ctype, v.p, v.n, sizeof st->c.ctype);
			i++;
		} else if (teq(&w, "hook") && v.n && v.n < sizeof st->c.hook) {
			nl_strlcpyn(st->c.hook, v.p, v.n, sizeof st->c.hook);
			i++;
		} else if (teq(&w, "policy") && v.n && v.n < sizeof st->c.policy) {
			nl_strlcpyn(st->c.policy, v.p, v.n, sizeof st->c.policy);
			i++;
		} else if (teq(&w, "priority") && v.n) {
			int base;
			int64_t d = 0;
			int ends = v.n != t[i + 1].n;	/* "filter;" */
			if (!prio_value(st->family, &v, &base)) {
				bad = "unknown chain priority";
				break;
			}
			i++;
			if (!ends && i + 2 < nt && (teq(&t[i + 1], "+") || teq(&t[i + 1], "-"))) {
				struct tok off = t[i + 2];
				uint64_t o;
				if (off.n && off.p[off.n - 1] == ';')
					off.n--;
				if (!nl_parse_u64(off.p, off.n, 1000000, &o)) {
					bad = "bad chain priority offset";
					break;
				}
				d = t[i + 1].p[0] == '-' ? -(int64_t)o : (int64_t)o;
				i += 2;
			}
			if (base + d < INT32_MIN || base + d > INT32_MAX) {
				bad = "chain priority out of range";
				break;
			}
			st->c.prio = (int)(base + d);
			st->c.has_prio = 1;
		}
		/* device "lo", devices = { ... }: not kept */
	}
	if (!st->c.ctype[0] || !st->c.hook[0])
		bad = "base chain line without type or hook";
	if (bad && k->error(k->ctx, lineno, bad, s, n))
		return -1;
	return 0;	/* sent at the first rule or the '}': a "policy drop;" line may follow */
}

/* "policy drop;" on a line of its own, as files for nft -f write it
 * (nftables src/parser_bison.y chain_block: policy_spec). */
static int policy_line(struct nftrules *st, const char *p, size_t len, const char *s, size_t n,
		       long lineno)
{
	const struct nl_sink *k = st->sink;
	size_t vn = len - 7;
	const char *v = p + 7;
	while (vn > 0 && (v[vn - 1] == ';' || v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;
	while (vn > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vn--;
	}
	if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
		v++;	/* define default_policy = "drop" */
		vn -= 2;
	}
	if (!line_is(v, vn, "accept") && !line_is(v, vn, "drop"))
		return k->error(k->ctx, lineno, "unknown chain policy", s, n);
	if (st->c.chain_sent)
		return k->error(k->ctx, lineno, "chain policy after the chain's first rule: natlog "
				"has taken the policy of the type line (accept when it says none)", s, n);
	nl_strlcpyn(st->c.policy, v, vn, sizeof st->c.policy);
	return 0;
}

/* Adds a finished rule's text to the binding it is in, if any. */
static void bind_append(struct nftrules *st, const char *text)
{
	struct binding *b;
	size_t n = strlen(text);
	if (st->nbind == 0)
		return;
	b = &st->bind[st->nbind - 1];
	if (b->bodyn + n + 3 >= sizeof b->body) {
		b->over = 1;
		return;
	}
	if (b->bodyn) {
		memcpy(b->body + b->bodyn, "; ", 2);
		b->bodyn += 2;
	}
	memcpy(b->body + b->bodyn, text, n + 1);
	b->bodyn += n;
}

/* " # handle N" at the very end, outside a quoted comment: cuts it off. */
static void strip_handle(const char *p, size_t *len, int64_t *handle)
{
	size_t i;
	for (i = *len; i-- > 0;) {
		if (p[i] == '#' && i >= 1 && p[i - 1] == ' ' && starts(p + i, *len - i, "# handle ")) {
			uint64_t h;
			size_t q = 0, j;
			for (j = 0; j < i; j++)
				q += p[j] == '"';
			if (q % 2 == 0 && nl_parse_u64(p + i + 9, *len - i - 9, INT64_MAX, &h)) {
				*handle = (int64_t)h;
				*len = i - 1;
			}
			break;
		}
	}
}

/* "... jump {" opens a chain binding: the rules up to its '}' are the
 * rules of an anonymous chain, named after the rule: "<chain> {<position>}"
 * (the kernel's "__chainN" name is not in the dump). */
static int open_binding(struct nftrules *st, const struct nl_rule *r, const char *s, size_t n,
			long lineno)
{
	const struct nl_sink *k = st->sink;
	struct binding *b;
	char name[NL_CHAINSIZ + 16];
	const char *bad = NULL;
	if (r->position > 0)
		snprintf(name, sizeof name, "%s {%d}", st->c.chain, r->position);
	else
		snprintf(name, sizeof name, "%s {?%d}", st->c.chain, st->nbind + 1);
	if (st->nbind == MAXBIND)
		bad = "chain bindings nested more than 8 deep";
	else if (strlen(name) >= sizeof st->c.chain)
		bad = "chain binding in a chain with a name too long";
	if (bad) {
		/* its rules are not the outer chain's: skipped to its '}' */
		st->skip_depth = 1;
		st->skip_ret = B_CHAIN;
		st->st = B_SKIP;
		return k->error(k->ctx, lineno, bad, s, n);
	}
	b = &st->bind[st->nbind++];
	b->outer = st->c;
	b->rule = *r;
	b->bodyn = 0;
	b->body[0] = '\0';
	b->over = 0;
	memset(&st->c, 0, sizeof st->c);
	st->c.chain_handle = -1;
	nl_strlcpy(st->c.chain, name, sizeof st->c.chain);
	return 0;
}

/* The binding's '}' (with -a, "} # handle N"): the opening rule is complete. */
static int close_binding(struct nftrules *st, const char *p, size_t len, const char *s, size_t n,
			 long lineno)
{
	const struct nl_sink *k = st->sink;
	struct binding *b = &st->bind[st->nbind - 1];
	struct nl_rule *r = &st->rule;
	char inner[64];
	size_t tl;
	int nt;

	if (send_chain(st))
		return -1;
	nl_strlcpy(inner, st->c.chain, sizeof inner);
	strip_handle(p, &len, &b->rule.handle);
	st->c = b->outer;
	st->nbind--;
	*r = b->rule;
	tl = strlen(r->text);
	if (b->over || tl + b->bodyn + 6 >= sizeof r->text)
		return k->error(k->ctx, lineno, "rule with a chain binding is longer than 1023 bytes", s, n);
	snprintf(r->text + tl, sizeof r->text - tl, "%s%s }", b->bodyn ? " " : "", b->body);
	nt = tokenize(r->text, strlen(r->text), st->tok, MAXTOK);
	if (nt < 0)
		return k->error(k->ctx, lineno, "rule with a chain binding has too many words", s, n);
	rule_fields(r, st->tok, nt, NULL, NULL);
	nl_strlcpy(r->target_arg, inner, sizeof r->target_arg);
	bind_append(st, r->text);
	return k->rule(k->ctx, r);
}

static int rule_line(struct nftrules *st, const char *p, size_t len, const char *s, size_t n, long lineno)
{
	const struct nl_sink *k = st->sink;
	struct nl_rule *r = &st->rule;
	const struct tok *bad = NULL, *badport = NULL;
	int nt, opens;

	if (send_chain(st))
		return -1;
	if (continuation(p, len))
		return k->error(k->ctx, lineno, "the rest of an nft rule broken over lines (no rule starts "
				"with its first word): its head is on a line before", s, n);
	nl_rule_init(r);
	/* printed order, bad lines included; none after a '...' line */
	r->position = st->c.pos_unknown ? -1 : ++st->c.nrules;
	strip_handle(p, &len, &r->handle);
	if (len == 0 || !((p[0] >= 'a' && p[0] <= 'z') || p[0] == '@' ||
			  (len > 5 && !memcmp(p, "# xt_", 5))))
		return k->error(k->ctx, lineno, "not an nft rule", s, n);
	if (is_ellipsis(p, len)) {
		st->c.pos_unknown = 1;
		return k->error(k->ctx, lineno, "rule cut short with '...': positions after it are unknown",
				s, n);
	}
	if (len >= sizeof r->text)
		return k->error(k->ctx, lineno, "rule is longer than 1023 bytes", s, n);
	if (memchr(p, '$', len)) {
		/* a file for nft -f: the kernel holds the rule with its
		 * variables' values, and traces print it so */
		const char *var;
		size_t varn;
		int rc = expand_vars(st, p, len, st->xrule, sizeof st->xrule, &var, &varn);
		if (rc < 0)
			return k->error(k->ctx, lineno, "rule is longer than 1023 bytes with its "
					"variables' values", s, n);
		if (rc > 0) {
			char why[160];
			snprintf(why, sizeof why, "rule uses '%.*s', which no define before it sets "
				 "(an included file's?): the rule is kept as written, that match unknown",
				 (int)(varn > 64 ? 64 : varn), var);
			if (k->error(k->ctx, lineno, why, s, n))
				return -1;
		}
		p = st->xrule;
		len = strlen(st->xrule);
	}
	nl_strlcpy(r->family, st->family, sizeof r->family);
	nl_strlcpy(r->table, st->table, sizeof r->table);
	nl_strlcpy(r->chain, st->c.chain, sizeof r->chain);
	opens = len >= 6 && (starts(p + len - 6, 6, "jump {") || starts(p + len - 6, 6, "goto {")) &&
		(len == 6 || p[len - 7] == ' ');
	if (opens) {
		nl_strlcpyn(r->text, p, len, sizeof r->text);
		return open_binding(st, r, s, n, lineno);
	}
	nl_strlcpyn(r->text, p, len, sizeof r->text);
	nt = tokenize(r->text, len, st->tok, MAXTOK);
	if (nt == -1)
		return k->error(k->ctx, lineno, "rule has more than 256 words", s, n);
	if (nt < 0)
		return k->error(k->ctx, lineno, "unbalanced quotes or braces in a rule", s, n);
	rule_fields(r, st->tok, nt, &bad, &badport);
	bind_append(st, r->text);
	if (bad) {
		/* kept, its address unknown, as iptables-save's "bad address" */
		char why[160];
		snprintf(why, sizeof why, "bad address '%.*s': the rule is kept, that match unknown",
			 (int)(bad->n > 64 ? 64 : bad->n), bad->p);
		if (k->error(k->ctx, lineno, why, s, n))
			return -1;
	}
	if (badport) {
		char why[200];
		snprintf(why, sizeof why, "port '%.*s' is a service name natlog does not know (nft "
			 "prints the names of its machine's /etc/services): the rule is kept, that "
			 "match unknown", (int)(badport->n > 48 ? 48 : badport->n), badport->p);
		if (k->error(k->ctx, lineno, why, s, n))
			return -1;
	}
	return k->rule(k->ctx, r);
}

/* Ends every open binding, as when a chain ends without their '}'. */
static int unwind_bindings(struct nftrules *st, const char *s, size_t n, long lineno)
{
	while (st->nbind > 0)
		if (close_binding(st, "}", 1, s, n, lineno))
			return -1;
	return 0;
}

static int chain_line(struct nftrules *st, const char *p, size_t len, const char *s, size_t n, long lineno)
{
	const struct nl_sink *k = st->sink;
	if (st->nbind == 0 && (starts(p, len, "type ") || starts(p, len, "policy ")) &&
	    st->ndefs && memchr(p, '$', len)) {
		/* "priority $pri", "policy $default_policy" in a file for nft -f */
		const char *var;
		size_t varn;
		int rc = expand_vars(st, p, len, st->xrule, sizeof st->xrule, &var, &varn);
		if (rc == 0) {
			p = st->xrule;
			len = strlen(st->xrule);
		}
	}
	if (st->nbind > 0 && (line_is(p, len, "}") || starts(p, len, "} # handle ")))
		return close_binding(st, p, len, s, n, lineno);
	if (line_is(p, len, "}")) {
		st->st = B_TABLE;
		return send_chain(st);
	}
	if (opens_block(p, len) && (starts(p, len, "chain ") || starts(p, len, "set ") ||
				  starts(p, len, "map ") || starts(p, len, "table "))) {
		if (k->error(k->ctx, lineno, "missing '}' at the end of a chain", s, n) ||
		    unwind_bindings(st, s, n, lineno) || send_chain(st))
			return -1;
		if (starts(p, len, "table ")) {
			st->st = B_TOP;
			return top_line(st, p, len, s, n, lineno);
		}
		st->st = B_TABLE;
		return table_line(st, p, len, s, n, lineno);
	}
	if (starts(p, len, "type ") && st->nbind == 0) {
		if (st->c.chain_sent)
			return k->error(k->ctx, lineno, "base chain line after the chain's rules", s, n);
		return base_chain(st, p, len, s, n, lineno);
	}
	if (starts(p, len, "comment \""))
		return 0;	/* the chain's comment */
	if (st->nbind == 0) {
		int rc = script_line(st, p, len, s, n, lineno);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
		if (starts(p, len, "policy "))
			return policy_line(st, p, len, s, n, lineno);
	}
	if (is_ellipsis(p, len)) {
		st->c.pos_unknown = 1;
		return k->error(k->ctx, lineno, "'...' (a trimmed paste): positions of the rules after it "
				"are unknown", s, n);
	}
	return rule_line(st, p, len, s, n, lineno);
}

/* One element as printed, without its timeout/expires/counter/comment
 * notes, words single-spaced and unquoted; split at " : " for maps. */
static int send_elem(struct nftrules *st, long lineno, const char *s, size_t n)
{
	/* element statements (nftables src/expression.c set_elem_expr_print):
	 * "2.2.2.2 ct count over 5" has the key 2.2.2.2 */
	static const char *const notes[] = { "timeout", "expires", "counter", "comment", "limit",
					     "quota", "ct", "last", NULL };
	const struct nl_sink *k = st->sink;
	char key[1024], val[1024], *out = key;
	size_t o = 0;
	int nt = tokenize(st->pend, st->npend, st->tok, MAXTOK), i, in_note = 0;
	struct nl_set_elem e;

	st->npend = 0;
	if (nt < 0)
		return k->error(k->ctx, lineno, "bad set element", s, n);
	if (nt == 0)
		return k->error(k->ctx, lineno, "empty set element", s, n);
	key[0] = val[0] = '\0';
	for (i = 0; i < nt; i++) {
		const struct tok *t = &st->tok[i];
		const char *w = t->p;
		size_t wn = t->n;
		if (st->is_map && out == key && teq(t, ":")) {
			key[o] = '\0';
			out = val;
			o = 0;
			in_note = 0;
			continue;
		}
		if (in_list(t, notes))
			in_note = 1;
		if (in_note)
			continue;
		if (wn >= 2 && w[0] == '"' && w[wn - 1] == '"') {
			w++;
			wn -= 2;
		}
		if (o + wn + 2 > sizeof key)
			return k->error(k->ctx, lineno, "set element longer than 1023 bytes", s, n);
		if (o > 0)
			out[o++] = ' ';
		memcpy(out + o, w, wn);
		o += wn;
		out[o] = '\0';
	}
	if (!key[0])
		return k->error(k->ctx, lineno, "empty set element", s, n);
	if (is_ellipsis(key, strlen(key))) {
		/* "..., 9.9.9.9" or "... 9.9.9.9": kept as an element "...", which
		 * lookups read as "may hold anything", and the elements around it */
		size_t skip = !memcmp(key, "...", 3) ? 3 : !memcmp(key, "\xe2\x80\xa6", 3) ? 3 : 0;
		e.family = st->family;
		e.table = st->table;
		e.set = st->set;
		e.key = "...";
		e.value = st->is_map ? "..." : NULL;
		if (k->error(k->ctx, lineno, "'...' (a trimmed paste) among set elements: the list is "
			     "incomplete", s, n) || k->element(k->ctx, &e))
			return -1;
		if (!skip || key[skip] != ' ')
			return 0;
		memmove(key, key + skip + 1, strlen(key + skip + 1) + 1);
	}
	if (st->is_map && (out == key || !val[0]))
		return k->error(k->ctx, lineno, "map element without ' : value'", s, n);
	e.family = st->family;
	e.table = st->table;
	e.set = st->set;
	e.key = key;
	e.value = st->is_map ? val : NULL;
	return k->element(k->ctx, &e);
}

/* The element list after "elements = {", on this line and the next ones. */
static int elems_feed(struct nftrules *st, const char *p, size_t len, const char *s, size_t n, long lineno)
{
	size_t i;
	for (i = 0; i < len; i++) {
		char ch = p[i];
		if (st->pend_inq) {
			if (ch == '"')
				st->pend_inq = 0;
		} else if (ch == '"') {
			st->pend_inq = 1;
		} else if (ch == '{') {
			st->pend_depth++;
		} else if (ch == '}' && st->pend_depth > 0) {
			st->pend_depth--;
		} else if (ch == '}' || (ch == ',' && st->pend_depth == 0)) {
			int rc = 0;
			if (st->pend_over)
				rc = st->sink->error(st->sink->ctx, lineno, "set element longer than 1023 bytes", s, n);
			else if (st->npend > 0 || ch == ',')
				rc = send_elem(st, lineno, s, n);
			st->npend = 0;
			st->pend_over = 0;
			if (rc)
				return -1;
			if (ch == '}') {
				st->st = B_SET;
				for (i++; i < len; i++)
					if (p[i] != ' ' && p[i] != '\t')
						return st->sink->error(st->sink->ctx, lineno,
								       "text after the element list", s, n);
				return 0;
			}
			continue;
		}
		if (ch == '\t')
			ch = ' ';
		if (st->npend + 1 >= sizeof st->pend)
			st->pend_over = 1;
		else if (!(ch == ' ' && (st->npend == 0 || st->pend[st->npend - 1] == ' ')))
			st->pend[st->npend++] = ch;
	}
	/* the element goes on on the next line */
	if (st->npend > 0 && st->pend[st->npend - 1] != ' ' && st->npend + 1 < sizeof st->pend)
		st->pend[st->npend++] = ' ';
	return 0;
}

static int elems_line(struct nftrules *st, const char *p, size_t len, const char *s, size_t n, long lineno)
{
	if (opens_block(p, len) && (starts(p, len, "chain ") || starts(p, len, "set ") ||
				  starts(p, len, "map ") || starts(p, len, "table "))) {
		const struct nl_sink *k = st->sink;
		st->npend = 0;
		if (k->error(k->ctx, lineno, "element list without its closing '}'", s, n))
			return -1;
		if (starts(p, len, "table ")) {
			st->st = B_TOP;
			return top_line(st, p, len, s, n, lineno);
		}
		st->st = B_TABLE;
		return table_line(st, p, len, s, n, lineno);
	}
	return elems_feed(st, p, len, s, n, lineno);
}

static int set_line(struct nftrules *st, const char *p, size_t len, const char *s, size_t n, long lineno)
{
	/* set options, and statements that every element gets: ct count, limit,
	 * quota, last, counter */
	static const char *const ignored[] = { "timeout", "gc-interval", "size", "policy", "counter",
					       "auto-merge", "comment", "ct", "limit", "quota", "last",
					       NULL };
	const struct nl_sink *k = st->sink;
	struct nl_cur c = cur_make(p, len);
	const char *w;
	size_t wn;

	if (line_is(p, len, "}")) {
		st->st = B_TABLE;
		return send_set(st);
	}
	if (starts(p, len, "type ") || starts(p, len, "typeof ")) {
		/* "type ipv4_addr . inet_service" is kept without its keyword,
		 * "typeof ip saddr" with it */
		const char *v = starts(p, len, "type ") ? p + 5 : p;
		size_t vn = len - (size_t)(v - p);
		const char *colon = NULL;
		size_t i;
		for (i = 0; i + 3 <= vn; i++)
			if (memcmp(v + i, " : ", 3) == 0) {
				colon = v + i;
				break;
			}
		if (colon && st->is_map) {
			nl_strlcpyn(st->smap, colon + 3, vn - (size_t)(colon + 3 - v), sizeof st->smap);
			vn = (size_t)(colon - v);
		}
		if (vn >= sizeof st->stype)
			return k->error(k->ctx, lineno, "set type is longer than 255 bytes", s, n);
		nl_strlcpyn(st->stype, v, vn, sizeof st->stype);
		return 0;
	}
	if (starts(p, len, "flags ")) {
		nl_strlcpyn(st->sflags, p + 6, len - 6, sizeof st->sflags);
		return 0;
	}
	if (cur_lit(&c, "elements = {")) {
		if (send_set(st))
			return -1;
		st->npend = 0;
		st->pend_inq = st->pend_depth = st->pend_over = 0;
		st->st = B_ELEMS;
		return elems_feed(st, c.p, cur_left(&c), s, n, lineno);
	}
	if (opens_block(p, len) && (starts(p, len, "chain ") || starts(p, len, "set ") ||
				  starts(p, len, "map ") || starts(p, len, "table "))) {
		if (k->error(k->ctx, lineno, "missing '}' at the end of a set", s, n) || send_set(st))
			return -1;
		if (starts(p, len, "table ")) {
			st->st = B_TOP;
			return top_line(st, p, len, s, n, lineno);
		}
		st->st = B_TABLE;
		return table_line(st, p, len, s, n, lineno);
	}
	cur_word(&c, &w, &wn);
	{
		struct tok t = { w, wn };
		if (in_list(&t, ignored))
			return 0;
	}
	return k->error(k->ctx, lineno, "unknown line in a set", s, n);
}

/* "... jump {" or "goto {", "jump { # handle 4" with -a: a rule opening a
 * chain binding */
static int bind_opener(const char *p, size_t len)
{
	return (len >= 6 && (starts(p + len - 6, 6, "jump {") || starts(p + len - 6, 6, "goto {")) &&
		(len == 6 || p[len - 7] == ' ')) ||
	       memmem(p, len, " jump { # handle ", 17) || memmem(p, len, " goto { # handle ", 17);
}

/* Double quotes in s are balanced: a '\\' after them is outside a string. */
static int quotes_even(const char *s, size_t n)
{
	int q = 0;
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] == '"' && (i == 0 || s[i - 1] != '\\'))
			q = !q;
	return !q;
}

/* A line ending in '\\' goes on on the next one (nftables src/scanner.l
 * reads "\\\n" as a space): such lines are kept until the last, then read
 * as one from the first one's number. 0 when *p is a whole line to read;
 * 1 while lines are kept; 2 when the joined lines outgrew the buffer. */
static int joined(struct nftrules *st, const char **p, size_t *len, const char **s, size_t *n,
		  long *lineno)
{
	int more = *len > 0 && (*p)[*len - 1] == '\\' && quotes_even(*p, *len - 1);
	size_t add = more ? *len - 1 : *len;

	/* a rule's anonymous set or map written over lines ("tcp dport vmap {"),
	 * which nft list ruleset prints on one; a chain binding ("jump {")
	 * and a block's own '{' are read line by line */
	if (st->joinn || st->join_over) {
		st->join_depth += brace_balance(*p, add);
	} else if (st->st == B_CHAIN && opens_block(*p, *len) && !starts(*p, *len, "chain ") &&
		   !starts(*p, *len, "set ") && !starts(*p, *len, "map ") &&
		   !starts(*p, *len, "table ") && !bind_opener(*p, *len)) {
		st->join_depth = brace_balance(*p, add);
	} else {
		st->join_depth = 0;
	}
	if (st->join_depth > 0)
		more = 1;

	while (more && add > 0 && ((*p)[add - 1] == ' ' || (*p)[add - 1] == '\t'))
		add--;
	if (!more && st->joinn == 0 && !st->join_over)
		return 0;
	if (st->joinn == 0 && !st->join_over)
		st->join_line = *lineno;
	if (!st->join_over && st->joinn + add + 1 >= sizeof st->join) {
		st->joinn = 0;
		st->join_over = 1;
	}
	if (st->join_over) {
		if (more)
			return 1;
		st->join_over = 0;
		*lineno = st->join_line;
		return 2;
	}
	memcpy(st->join + st->joinn, *p, add);
	st->joinn += add;
	if (more) {
		st->join[st->joinn++] = ' ';
		return 1;
	}
	st->join[st->joinn] = '\0';
	*p = *s = st->join;
	*len = *n = st->joinn;
	*lineno = st->join_line;
	st->joinn = 0;
	return 0;
}

static int nftrules_line(void *state, const char *s, size_t n, long lineno)
{
	struct nftrules *st = state;
	const char *p = s;
	size_t len = n;

	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
		len--;
	nl_unquote(&p, &len);	/* indented, or quoted in a mail ">>>> table ip filter {" */
	if (len == 0)
		return 0;
	st->last_line = lineno;
	/* nft prints none; a name cut at one would be empty */
	if (memchr(p, '\0', len))
		return st->sink->error(st->sink->ctx, lineno, "nft list ruleset line holding a NUL byte",
				       s, n);
	if (st->joinn || st->join_over || *p != '#') {
		int j = joined(st, &p, &len, &s, &n, &lineno);
		if (j == 1)
			return 0;
		if (j == 2)
			return st->sink->error(st->sink->ctx, lineno, "lines joined with '\\' are longer "
					       "than 2047 bytes: that statement is not read", NULL, 0);
	}
	if ((st->st == B_SET || st->st == B_ELEMS) && st->ndefs && memchr(p, '$', len)) {
		/* "elements = { $admin, 192.0.2.5 }", "elements = $admins" in
		 * a file for nft -f: the set holds the values */
		const char *var;
		size_t varn;
		int rc = expand_vars(st, p, len, st->xrule, sizeof st->xrule, &var, &varn);
		if (rc < 0)
			return st->sink->error(st->sink->ctx, lineno, "set line longer than 1023 bytes "
					       "with its variables' values", s, n);
		if (rc > 0) {
			char why[160];
			snprintf(why, sizeof why, "set line uses '%.*s', which no define before it sets "
				 "(an included file's?): it is read as written", (int)(varn > 64 ? 64 : varn),
				 var);
			if (st->sink->error(st->sink->ctx, lineno, why, s, n))
				return -1;
		}
		p = st->xrule;
		len = strlen(st->xrule);
	}
	if (st->st == B_ELEMS)
		return elems_line(st, p, len, s, n, lineno);
	if (*p == '#' && !(len > 5 && !memcmp(p, "# xt_", 5)))
		return 0;	/* "# Warning: table ip filter is managed by iptables-nft, ..." */
	if (st->defpend)
		return def_more(st, p, len, s, n, lineno);
	switch (st->st) {
	case B_OBJ:
		return object_line(st, p, len, s, n, lineno);
	case B_SKIP:
		st->skip_depth += brace_balance(p, len);
		if (st->skip_depth <= 0) {
			st->st = st->skip_ret;
			st->orphan_line = 0;
		} else if (st->orphan_line) {
			char why[160];
			snprintf(why, sizeof why, "in the chain of line %ld, which no table line holds: "
				 "not read", st->orphan_line);
			return st->sink->error(st->sink->ctx, lineno, why, s, n);
		}
		return 0;
	case B_TOP:
		return top_line(st, p, len, s, n, lineno);
	case B_TABLE:
		return table_line(st, p, len, s, n, lineno);
	case B_CHAIN:
		return chain_line(st, p, len, s, n, lineno);
	case B_SET:
		return set_line(st, p, len, s, n, lineno);
	case B_ELEMS:
		break;
	}
	return 0;
}

static int nftrules_probe(const char *s, size_t n)
{
	static const char *const families[] = { "ip ", "ip6 ", "inet ", "arp ", "bridge ", "netdev ", NULL };
	size_t i;
	nl_unquote(&s, &n);
	if (n > 8 && !memcmp(s, "chain ", 6) && s[n - 1] == '{' && !memchr(s + 6, ' ', n - 8))
		return 2;	/* "chain LIBVIRT_PRT {": a chain pasted without its table */
	if (n < 10 || memcmp(s, "table ", 6) != 0 || !memchr(s, '{', n))
		return 0;
	for (i = 0; families[i]; i++)
		if (starts(s + 6, n - 6, families[i]))
			return 2;
	return 0;
}

static void *nftrules_open(const struct nl_sink *sink)
{
	struct nftrules *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->sink = sink;
	st->st = B_TOP;
	return st;
}

static int nftrules_close(void *state)
{
	struct nftrules *st = state;
	int rc = 0;
	if ((st->joinn || st->join_over) &&
	    st->sink->error(st->sink->ctx, st->join_line, "the file ends in a line continued with "
			    "'\\': that statement is not read", NULL, 0))
		rc = -1;
	if (st->st == B_CHAIN && (unwind_bindings(st, NULL, 0, 0) || send_chain(st)))
		rc = -1;
	if ((st->st == B_SET || st->st == B_ELEMS) && send_set(st))
		rc = -1;
	if (rc == 0 && st->st != B_TOP) {
		char why[160];
		snprintf(why, sizeof why, "the dump ends inside table %s %s (line %ld): what it "
			 "held after this line is not in it", st->family, st->table, st->table_line);
		if (st->sink->error(st->sink->ctx, st->last_line, why, NULL, 0))
			rc = -1;
	}
	free(st->seen);
	free(st);
	return rc;
}

static const char *const nftrules_samples[] = {
	"table inet filter { # handle 7",
	"\t\ttype filter hook forward priority filter; policy drop;",
	"\t\tct status dnat jump allowed_dnats # handle 36",
	"\t\tip daddr 10.1.2.3 tcp dport 1222 dnat to 192.168.70.10:22",
	NULL,
};

const struct nl_parser nl_parser_nftrules = {
	.name = "nft-ruleset",
	.probe = nftrules_probe,
	.open = nftrules_open,
	.line = nftrules_line,
	.close = nftrules_close,
	.samples = nftrules_samples,
};

int nft_rule_from_text(const char *s, size_t n, struct nl_rule *r)
{
	struct tok t[MAXTOK];
	int nt;
	if (n >= sizeof r->text)
		return -1;
	nl_strlcpyn(r->text, s, n, sizeof r->text);
	nt = tokenize(r->text, n, t, MAXTOK);
	if (nt < 0)
		return -1;
	rule_fields(r, t, nt, NULL, NULL);
	return 0;
}
