/*
 * nftjson.c - `nft -j list ruleset` (libnftables JSON: nftables
 * doc/libnftables-json.adoc, src/json.c), one document, usually one line:
 *   {"nftables": [{"metainfo": {...}}, {"table": {...}}, {"chain": {...}},
 *    {"rule": {"family": "inet", "table": "filter", "chain": "forward", "handle": 36,
 *     "expr": [{"match": {"op": "in", "left": {"ct": {"key": "status"}}, "right": "dnat"}},
 *              {"jump": {"target": "allowed_dnats"}}]}}]}
 * The document is read as a stream (yajl): only one element of the
 * "nftables" array is built at a time (a jansson value, handed to the code
 * below and freed), and the elements of a set's "elem" array one by one,
 * so memory stays flat whatever the dump's size. A rule that writes to or
 * looks up a set not listed yet waits for the end of the document, when
 * every set's type is known. A rule's text is written back in
 * the syntax `nft list ruleset` prints (src/statement.c, src/expression.c,
 * src/datatype.c), so that the text and the JSON dump of one ruleset give
 * the same rules (nftrules.c reads the text; tests/nft-dumps-compare.py and
 * tests/nft-py-compare.py check it on nftables' own tests); what cannot be
 * written so is an error naming its JSON path.
 */
#include "natlog.h"
#include "parser.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yajl/yajl_parse.h>

#define NFTJSON_DEPTH 2048		/* jansson's own limit */
#define NFTJSON_ITEM_MAX ((size_t)16 << 20)	/* one object, a set's elements apart */
#define NFTJSON_WAIT_MAX 1024		/* rules waiting for a set listed after them */

struct chainpos {
	uint64_t key;
	int n;
};

/* A container being built, and the key its next value goes under. */
struct bframe {
	json_t *v;
	char *key;
};

/* A rule kept until the end of the document, for the type of a set that
 * comes after it. */
struct waiting {
	json_t *o;
	size_t item;
	long line;
	int pos, burst5;
};

/* The set whose elements are read one by one. */
struct setstream {
	struct nl_set_info si;		/* its names point to the copies below */
	char fam[8], tab[32], name[64];
	int ok, is_map, hex;
	size_t i;
};

struct nftjson {
	const struct nl_sink *sink;
	yajl_handle y;
	int failed;			/* the sink said stop */
	int started;
	struct chainpos *pos;
	size_t npos, cappos;
	uint32_t *slot;			/* index + 1 into pos by key; 0 free */
	size_t nslot;
	struct settype *types;		/* of the document's sets and maps */
	size_t ntypes, captypes;
	int burst5;
	size_t item;			/* index in the "nftables" array, for messages */
	long line;			/* where the current item (or element) starts */
	long iline;			/* where the current item starts */
	long curline;			/* the line being read */
	const char *text;		/* and its text (this piece of it) */
	size_t textlen;
	int whole;			/* the piece is the whole line */
	/* the envelope: 0 outside a document, 1 in its object, 2 in "nftables" */
	int env, key_nft, have_arr, skip;
	struct bframe b[NFTJSON_DEPTH];
	int nb, base;			/* containers being built; where values are delivered */
	size_t ibytes;			/* size of what is being built */
	size_t quiet;			/* bytes read since yajl's last token */
	long vline;			/* where the value being built starts */
	int streaming;			/* a set's "elem" values are delivered one by one */
	int streamed;			/* the current item's set was */
	struct setstream ss;
	struct waiting *wait;
	size_t nwait;
	struct nl_rule rule;
};

/* ---- a bounded string builder ----------------------------------------- */

struct sb {
	char *b;
	size_t cap, len;
	int over;
};

static void sb_putn(struct sb *s, const char *p, size_t n)
{
	if (s->over || s->len + n >= s->cap) {
		s->over = 1;
		return;
	}
	memcpy(s->b + s->len, p, n);
	s->len += n;
	s->b[s->len] = '\0';
}

static void sb_put(struct sb *s, const char *p)
{
	sb_putn(s, p, strlen(p));
}

__attribute__((format(printf, 2, 3)))
static void sb_fmt(struct sb *s, const char *fmt, ...)
{
	va_list ap;
	int w;
	if (s->over)
		return;
	va_start(ap, fmt);
	w = vsnprintf(s->b + s->len, s->cap - s->len, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= s->cap - s->len) {
		s->b[s->len] = '\0';
		s->over = 1;
		return;
	}
	s->len += (size_t)w;
}

/* ---- JSON helpers ------------------------------------------------------ */

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int jis(const json_t *s, const char *v)
{
	const char *x = json_string_value(s);
	return x && strcmp(x, v) == 0;
}

/* The only key of a one-key object ({"payload": {...}}), or NULL. */
static const char *jkind(const json_t *o, json_t **val)
{
	void *it;
	if (!json_is_object(o) || json_object_size(o) != 1)
		return NULL;
	it = json_object_iter((json_t *)o);
	*val = json_object_iter_value(it);
	return json_object_iter_key(it);
}

static int in_strs(const char *s, const char *const *l)
{
	for (; s && *l; l++)
		if (strcmp(s, *l) == 0)
			return 1;
	return 0;
}

/* ---- expressions in nft syntax ----------------------------------------- */

/* How a value is printed, from the type of what it is compared with:
 * names in quotes, marks in hex (padded as nft pads a mark, or not), times
 * as 1m30s, a dscp as 0x04. A concatenation's values take 5 bits per
 * component, component i at 5*i. */
enum { X_QUOTE = 1, X_HEX = 2, X_HEXS = 4, X_TIME = 8, X_HEX2 = 16, X_BITS = 5, X_MASK = 31,
       X_MAXCOMP = 6 };

/* The set and map types of the document, for the values a rule writes
 * into them (add @m { ip saddr : 0x00000002 }, ip saddr . "lo" @s). */
struct settype {
	uint64_t key;
	int kfl, dfl;
};

/* What rendering needs besides the expression: nft's version, the set
 * types, and the first construct it could not write, so that a rule
 * natlog cannot write as nft does is an error, never a guess. */
struct rctx {
	int burst5;			/* nft before 1.0.9 left out "burst 5 packets" */
	int bracket6;			/* tproxy: an IPv6 address in brackets, port or not */
	const struct settype *types;
	size_t ntypes;
	const char *fam, *tab;
	int nbad;
	int miss;			/* @set references whose set is not known (yet) */
	char bad[64];
};

static void bad(struct rctx *x, const char *what)
{
	if (x->nbad++ == 0)
		snprintf(x->bad, sizeof x->bad, "%.60s", what ? what : "a value that is not an object");
}

static const char *const unqualified_meta[] = {
	"iifname", "oifname", "iif", "oif", "iifgroup", "oifgroup", NULL,
};
static const char *const l4_protos[] = {
	"tcp", "udp", "udplite", "sctp", "dccp", "icmp", "icmpv6", "igmp", "ah", "esp", "gre", NULL,
};
static const char *const binop_names[] = { "|", "^", "&", "<<", ">>", NULL };

static void render(struct sb *s, const json_t *e, int fl, struct rctx *x);
static void statement_text(struct sb *s, const json_t *st, struct rctx *x);

static void render_join(struct sb *s, const json_t *a, const char *sep, int fl, struct rctx *x)
{
	size_t i;
	for (i = 0; i < json_array_size(a); i++) {
		if (i)
			sb_put(s, sep);
		render(s, json_array_get(a, i), fl, x);
	}
}

static uint64_t set_key(const char *fam, const char *tab, const char *name)
{
	uint64_t h = nl_hash64(fam, strlen(fam) + 1, NL_HASH_INIT);
	h = nl_hash64(tab, strlen(tab) + 1, h);
	return nl_hash64(name, strlen(name), h);
}

static const struct settype *find_type(struct rctx *x, const char *ref)
{
	uint64_t k;
	size_t i;
	if (!ref || ref[0] != '@' || !x->fam || !x->tab)
		return NULL;
	k = set_key(x->fam, x->tab, ref + 1);
	for (i = 0; i < x->ntypes; i++)
		if (x->types[i].key == k)
			return &x->types[i];
	x->miss++;
	return NULL;
}

static int one_flags(const json_t *left)
{
	json_t *v;
	const char *k = jkind(left, &v);
	const char *key = k ? jstr(v, "key") : NULL;
	static const char *const quoted[] = { "iifname", "oifname", "iif", "oif", "ibrname", "obrname",
					      "iifkind", "oifkind", "sdifname", "sdif", "ibriport",
					      "obriport", "iifgroup", "oifgroup", "rtclassid", "time", "day",
					      "hour", NULL };
	if (!k)
		return 0;
	if (strcmp(k, "payload") == 0) {
		const char *pr = jstr(v, "protocol"), *f = jstr(v, "field");
		if (jstr(v, "base"))
			return X_HEXS;	/* raw payload: @nh,8,8 0xff */
		if (pr && f && !strcmp(f, "dscp") && (!strcmp(pr, "ip") || !strcmp(pr, "ip6")))
			return X_HEX2;
		if (pr && f && ((!strcmp(pr, "tcp") && !strcmp(f, "flags")) ||
				(!strcmp(pr, "ip") && !strcmp(f, "frag-off")) ||
				(!strcmp(pr, "comp") && !strcmp(f, "flags"))))
			return X_HEXS;
		return 0;
	}
	if (strcmp(k, "osf") == 0)
		return X_QUOTE;
	if (strcmp(k, "fib") == 0)
		return jis(json_object_get(v, "result"), "oifname") ? X_QUOTE : 0;
	if (!key)
		return 0;
	if (strcmp(k, "meta") == 0 && in_strs(key, quoted))
		return X_QUOTE;
	if (strcmp(k, "rt") == 0 && strcmp(key, "classid") == 0)
		return X_QUOTE;
	if (strcmp(k, "ct") == 0 && strcmp(key, "helper") == 0)
		return X_QUOTE;
	if (strcmp(k, "ct") == 0 && strcmp(key, "expiration") == 0)
		return X_TIME;
	if ((strcmp(k, "meta") == 0 || strcmp(k, "ct") == 0 || strcmp(k, "socket") == 0) &&
	    strcmp(key, "mark") == 0)
		return X_HEX;
	return 0;
}

/* Flags for what is compared with left. */
static int value_flags(const json_t *left)
{
	json_t *v;
	const char *k = jkind(left, &v);
	size_t i;
	int fl = 0;
	if (k && strcmp(k, "concat") == 0 && json_is_array(v)) {
		for (i = 0; i < json_array_size(v) && i < X_MAXCOMP; i++)
			fl |= one_flags(json_array_get(v, i)) << (X_BITS * i);
		return fl;
	}
	if (k && in_strs(k, binop_names) && json_is_array(v) && json_array_size(v) > 0)
		return value_flags(json_array_get(v, 0));
	return one_flags(left);
}

/* Flags of a set or map type as printed ("ipv4_addr . ifname", "mark",
 * "typeof ip saddr . iifname"). */
static int type_flags(const char *t)
{
	static const char *const quoted[] = { "ifname", "iface_index", "iifname", "oifname", "iif",
					      "oif", "meta iifname", "meta oifname", "meta iif",
					      "meta oif", "ct helper", NULL };
	static const char *const hex[] = { "mark", "meta mark", "ct mark", NULL };
	int fl = 0, i = 0;
	const char *p = t;
	char c[32];
	if (!strncmp(p, "typeof ", 7))
		p += 7;
	while (*p && i < X_MAXCOMP) {
		const char *e = strstr(p, " . ");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		nl_strlcpyn(c, p, n < sizeof c ? n : sizeof c - 1, sizeof c);
		fl |= (in_strs(c, quoted) ? X_QUOTE : in_strs(c, hex) ? X_HEX : 0) << (X_BITS * i);
		i++;
		if (!e)
			break;
		p = e + 3;
	}
	return fl;
}

/* "30s", "10m", "1h30m", "30d" (nftables src/datatype.c time_print) */
static void render_time(struct sb *s, json_int_t secs)
{
	static const struct { const char *u; json_int_t n; } units[] = {
		{ "d", 86400 }, { "h", 3600 }, { "m", 60 }, { "s", 1 },
	};
	size_t i;
	if (secs <= 0) {
		sb_put(s, "0s");
		return;
	}
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (secs >= units[i].n) {
			sb_fmt(s, "%" JSON_INTEGER_FORMAT "%s", secs / units[i].n, units[i].u);
			secs %= units[i].n;
		}
}

static int binop_prec(const char *op)
{
	return !strcmp(op, "|") ? 1 : !strcmp(op, "^") ? 2 : !strcmp(op, "&") ? 3 : 4;
}

static int is_binop_expr(const json_t *e, const char **op)
{
	json_t *v;
	const char *k = jkind(e, &v);
	if (!k || !in_strs(k, binop_names) || !json_is_array(v) || json_array_size(v) < 2)
		return 0;
	*op = k;
	return 1;
}

/* a | b | c, (meta mark | 0x00000010) << 8, meta mark >> 8 & 0xf: shift
 * amounts in decimal; a mark's operand padded when the mark itself is the
 * left side, unpadded after another operation */
static void render_binop(struct sb *s, const char *op, const json_t *v, int fl, struct rctx *x)
{
	const json_t *a = json_array_get(v, 0);
	const char *aop;
	int prec = binop_prec(op), afl = one_flags(a), cfl;
	size_t i;
	if (is_binop_expr(a, &aop) && binop_prec(aop) < prec) {
		sb_put(s, "(");
		render(s, a, fl, x);
		sb_put(s, ")");
	} else {
		render(s, a, fl, x);
	}
	if (prec == 4)
		cfl = 0;
	else if (value_flags(a) & X_HEX2)
		cfl = X_HEX2;	/* ip dscp | 0x04, ip dscp << 2 | 0x10 */
	else if (!is_binop_expr(a, &aop) && (afl & X_HEX))
		cfl = X_HEX;
	else if ((afl | value_flags(a) | fl) & (X_HEX | X_HEXS))
		cfl = X_HEXS;
	else
		cfl = value_flags(a) & X_QUOTE;
	for (i = 1; i < json_array_size(v); i++) {
		const json_t *b = json_array_get(v, i);
		sb_fmt(s, " %s ", op);
		/* as nft's binop_arg_print: parentheses only round an operand
		 * that binds more loosely, on either side */
		if (is_binop_expr(b, &aop) && binop_prec(aop) < prec) {
			sb_put(s, "(");
			render(s, b, cfl, x);
			sb_put(s, ")");
		} else {
			render(s, b, cfl, x);
		}
	}
}

/* An element with its timeout and statements: "10.2.3.4 timeout 2s",
 * "1.1.1.1 counter packets 0 bytes 0" (nftables set_elem_expr_print). */
static void render_elem(struct sb *s, const json_t *v, int fl, struct rctx *x)
{
	const char *key;
	json_t *val;
	void *it;
	render(s, json_object_get(v, "val"), fl, x);
	if (json_is_integer(json_object_get(v, "timeout"))) {
		sb_put(s, " timeout ");
		render_time(s, json_integer_value(json_object_get(v, "timeout")));
	}
	if (json_is_integer(json_object_get(v, "expires"))) {
		sb_put(s, " expires ");
		render_time(s, json_integer_value(json_object_get(v, "expires")));
	}
	for (it = json_object_iter((json_t *)v); it; it = json_object_iter_next((json_t *)v, it)) {
		json_t *one;
		key = json_object_iter_key(it);
		val = json_object_iter_value(it);
		if (!strcmp(key, "val") || !strcmp(key, "timeout") || !strcmp(key, "expires") ||
		    !strcmp(key, "comment"))
			continue;
		one = json_pack("{sO}", key, val);
		if (!one) {
			bad(x, "out of memory");
			return;
		}
		sb_put(s, " ");
		statement_text(s, one, x);
		json_decref(one);
	}
	if (jstr(v, "comment"))
		sb_fmt(s, " comment \"%s\"", jstr(v, "comment"));
}

/* { a, b } or, with data, { k : v, ... }: keys with kfl, values with dfl */
static void render_set(struct sb *s, const json_t *v, int kfl, int dfl, struct rctx *x)
{
	size_t i, n = json_is_array(v) ? json_array_size(v) : 1;
	sb_put(s, "{ ");
	for (i = 0; i < n; i++) {
		const json_t *it = json_is_array(v) ? json_array_get(v, i) : v;
		if (i)
			sb_put(s, ", ");
		if (json_is_array(it) && json_array_size(it) == 2) {
			render(s, json_array_get(it, 0), kfl, x);
			sb_put(s, " : ");
			render(s, json_array_get(it, 1), dfl, x);
		} else {
			render(s, it, kfl, x);
		}
	}
	sb_put(s, " }");
}

static void render(struct sb *s, const json_t *e, int fl, struct rctx *x)
{
	json_t *v;
	const char *k;

	if (json_is_string(e)) {
		const char *str = json_string_value(e);
		if ((fl & X_QUOTE) && str[0] != '@')
			sb_fmt(s, "\"%s\"", str);
		else
			sb_put(s, str);
		return;
	}
	if (json_is_integer(e)) {
		if (fl & X_TIME)
			render_time(s, json_integer_value(e));
		else if (fl & X_HEX)
			sb_fmt(s, "0x%08" PRIx64, (uint64_t)json_integer_value(e));
		else if (fl & X_HEXS)
			sb_fmt(s, "0x%" PRIx64, (uint64_t)json_integer_value(e));
		else if (fl & X_HEX2)
			sb_fmt(s, "0x%02" PRIx64, (uint64_t)json_integer_value(e));
		else
			sb_fmt(s, "%" JSON_INTEGER_FORMAT, json_integer_value(e));
		return;
	}
	if (json_is_real(e)) {
		sb_fmt(s, "%g", json_real_value(e));
		return;
	}
	if (json_is_boolean(e)) {
		sb_put(s, json_is_true(e) ? "exists" : "missing");
		return;
	}
	if (json_is_array(e)) {
		render_join(s, e, ",", fl, x);	/* a flag list: established,related */
		return;
	}
	k = jkind(e, &v);
	if (!k) {
		bad(x, NULL);
		return;
	}
	if (strcmp(k, "set") == 0 && (json_is_array(v) || json_is_object(v))) {
		render_set(s, v, fl, 0, x);
	} else if (strcmp(k, "set") == 0) {
		render(s, v, fl, x);
	} else if (strcmp(k, "range") == 0 && json_array_size(v) == 2 && (fl & X_TIME) &&
		   json_is_integer(json_array_get(v, 0)) && json_is_integer(json_array_get(v, 1))) {
		/* a range of times is printed in seconds: 60s-3600s */
		sb_fmt(s, "%" JSON_INTEGER_FORMAT "s-%" JSON_INTEGER_FORMAT "s",
		       json_integer_value(json_array_get(v, 0)), json_integer_value(json_array_get(v, 1)));
	} else if (strcmp(k, "range") == 0 && json_array_size(v) == 2) {
		render(s, json_array_get(v, 0), fl, x);
		sb_put(s, "-");
		render(s, json_array_get(v, 1), fl, x);
	} else if (strcmp(k, "prefix") == 0) {
		render(s, json_object_get(v, "addr"), fl, x);
		sb_put(s, "/");
		render(s, json_object_get(v, "len"), 0, x);
	} else if (strcmp(k, "concat") == 0 && json_is_array(v)) {
		size_t i;
		for (i = 0; i < json_array_size(v); i++) {
			if (i)
				sb_put(s, " . ");
			render(s, json_array_get(v, i), i < X_MAXCOMP ? (fl >> (X_BITS * i)) & X_MASK : 0, x);
		}
	} else if (strcmp(k, "payload") == 0 && jstr(v, "protocol") && jstr(v, "field")) {
		if (jstr(v, "tunnel") && strcmp(jstr(v, "tunnel"), jstr(v, "protocol")) != 0)
			sb_fmt(s, "%s ", jstr(v, "tunnel"));
		sb_fmt(s, "%s %s", jstr(v, "protocol"), jstr(v, "field"));
	} else if (strcmp(k, "payload") == 0 && jstr(v, "base")) {
		sb_fmt(s, "@%s,%" JSON_INTEGER_FORMAT ",%" JSON_INTEGER_FORMAT, jstr(v, "base"),
		       json_integer_value(json_object_get(v, "offset")),
		       json_integer_value(json_object_get(v, "len")));
	} else if (strcmp(k, "meta") == 0 && jstr(v, "key")) {
		const char *key = jstr(v, "key");
		sb_fmt(s, "%s%s", in_strs(key, unqualified_meta) ? "" : "meta ", key);
	} else if (strcmp(k, "ct") == 0 && jstr(v, "key")) {
		sb_put(s, "ct ");
		if (jstr(v, "dir"))
			sb_fmt(s, "%s ", jstr(v, "dir"));
		if (jstr(v, "family"))
			sb_fmt(s, "%s ", jstr(v, "family"));
		sb_put(s, jstr(v, "key"));
	} else if (strcmp(k, "fib") == 0) {
		json_t *f = json_object_get(v, "flags");
		sb_put(s, "fib ");
		if (json_is_array(f))
			render_join(s, f, " . ", 0, x);
		else
			render(s, f, 0, x);
		sb_fmt(s, " %s", jstr(v, "result") ? jstr(v, "result") : "");
	} else if ((strcmp(k, "rt") == 0 || strcmp(k, "socket") == 0 || strcmp(k, "osf") == 0 ||
		    strcmp(k, "ipsec") == 0) && jstr(v, "key")) {
		sb_fmt(s, "%s ", k);
		if (strcmp(k, "osf") == 0 && jstr(v, "ttl"))
			sb_fmt(s, "ttl %s ", jstr(v, "ttl"));
		if (strcmp(k, "ipsec") == 0 && jstr(v, "dir"))
			sb_fmt(s, "%s ", jstr(v, "dir"));
		if (strcmp(k, "ipsec") == 0 && json_is_integer(json_object_get(v, "spnum")) &&
		    json_integer_value(json_object_get(v, "spnum")))
			sb_fmt(s, "spnum %" JSON_INTEGER_FORMAT " ", json_integer_value(json_object_get(v, "spnum")));
		if (jstr(v, "family"))
			sb_fmt(s, "%s ", jstr(v, "family"));
		sb_put(s, jstr(v, "key"));
	} else if (strcmp(k, "exthdr") == 0 && jstr(v, "name") && !json_object_get(v, "offset")) {
		/* mh nexthdr, or exthdr frag alone (exists, missing) */
		if (jstr(v, "field"))
			sb_fmt(s, "%s %s", jstr(v, "name"), jstr(v, "field"));
		else
			sb_fmt(s, "exthdr %s", jstr(v, "name"));
	} else if (strcmp(k, "sctp chunk") == 0 && jstr(v, "name")) {
		sb_fmt(s, "sctp chunk %s", jstr(v, "name"));
		if (jstr(v, "field"))
			sb_fmt(s, " %s", jstr(v, "field"));
	} else if (strcmp(k, "dccp option") == 0 && json_is_integer(json_object_get(v, "type"))) {
		sb_fmt(s, "dccp option %" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(v, "type")));
	} else if (strcmp(k, "tcp option") == 0 && jstr(v, "name")) {
		sb_fmt(s, "tcp option %s", jstr(v, "name"));
		if (jstr(v, "field"))
			sb_fmt(s, " %s", jstr(v, "field"));
	} else if (strcmp(k, "map") == 0) {
		/* fl: how the map's values print (mark in hex, helper names quoted) */
		const json_t *key = json_object_get(v, "key"), *data = json_object_get(v, "data");
		json_t *dv;
		const char *dk = jkind(data, &dv);
		render(s, key, 0, x);
		sb_put(s, " map ");
		if (dk && strcmp(dk, "set") == 0)
			render_set(s, dv, value_flags(key), fl, x);
		else
			render(s, data, fl, x);
	} else if (in_strs(k, binop_names) && json_array_size(v) >= 2) {
		render_binop(s, k, v, fl, x);
	} else if (strcmp(k, "elem") == 0 && json_is_object(v)) {
		render_elem(s, v, fl, x);
	} else if (strcmp(k, "accept") == 0 || strcmp(k, "drop") == 0 || strcmp(k, "continue") == 0 ||
		   strcmp(k, "return") == 0) {
		sb_put(s, k);
	} else if ((strcmp(k, "jump") == 0 || strcmp(k, "goto") == 0) && jstr(v, "target")) {
		sb_fmt(s, "%s %s", k, jstr(v, "target"));
	} else if ((strcmp(k, "jump") == 0 || strcmp(k, "goto") == 0) && json_is_string(v)) {
		sb_fmt(s, "%s %s", k, json_string_value(v));	/* a map element of nft 0.9.0 */
	} else if (strcmp(k, "numgen") == 0 && jstr(v, "mode")) {
		sb_fmt(s, "numgen %s mod %" JSON_INTEGER_FORMAT, jstr(v, "mode"),
		       json_integer_value(json_object_get(v, "mod")));
		if (json_integer_value(json_object_get(v, "offset")))
			sb_fmt(s, " offset %" JSON_INTEGER_FORMAT,
			       json_integer_value(json_object_get(v, "offset")));
	} else if ((strcmp(k, "jhash") == 0 || strcmp(k, "symhash") == 0) && json_is_object(v)) {
		sb_put(s, k);
		if (json_object_get(v, "expr")) {
			sb_put(s, " ");
			render(s, json_object_get(v, "expr"), 0, x);
		}
		sb_fmt(s, " mod %" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(v, "mod")));
		if (json_is_integer(json_object_get(v, "seed")))
			sb_fmt(s, " seed 0x%" PRIx64, (uint64_t)json_integer_value(json_object_get(v, "seed")));
		if (json_integer_value(json_object_get(v, "offset")))
			sb_fmt(s, " offset %" JSON_INTEGER_FORMAT,
			       json_integer_value(json_object_get(v, "offset")));
	} else {
		sb_put(s, k);
		bad(x, k);
	}
}

/* ct state, ct status, tcp flags: nft prints an explicit "==" for them. */
static int is_bitmask(const json_t *e)
{
	json_t *v;
	const char *k = jkind(e, &v);
	if (!k)
		return 0;
	if (strcmp(k, "ct") == 0)
		return in_strs(jstr(v, "key"), (const char *const[]){ "state", "status", "event", NULL });
	if (strcmp(k, "payload") == 0)
		return jis(json_object_get(v, "protocol"), "tcp") && jis(json_object_get(v, "field"), "flags");
	return 0;
}

static int is_binop(const json_t *e, const json_t **a, const json_t **b, const char **op)
{
	json_t *v;
	const char *k = jkind(e, &v);
	if (!k || !json_is_array(v) || json_array_size(v) != 2 || !in_strs(k, binop_names))
		return 0;
	*a = json_array_get(v, 0);
	*b = json_array_get(v, 1);
	*op = k;
	return 1;
}

static void render_match(struct sb *s, const json_t *m, struct rctx *x)
{
	const json_t *left = json_object_get(m, "left"), *right = json_object_get(m, "right");
	const json_t *a, *b;
	const char *op = jstr(m, "op"), *bop, *rop;
	int scalar = json_is_string(right) || json_is_integer(right) || json_is_array(right);
	int binop = is_binop(left, &a, &b, &bop);
	const struct settype *t = json_is_string(right) ? find_type(x, json_string_value(right)) : NULL;

	if (!op)	/* nft 0.9.0 left out an implicit op: a flag test */
		op = "in";
	if (binop && strcmp(bop, "&") == 0 && is_bitmask(a) && json_is_array(b) && scalar) {
		/* tcp flags syn / fin,syn,rst,ack */
		render(s, a, 0, x);
		sb_put(s, strcmp(op, "!=") == 0 ? " != " : " ");
		render(s, right, 0, x);
		sb_put(s, " / ");
		render(s, b, 0, x);
		return;
	}
	/* a constant in a concatenation takes its type from the set:
	 * ip saddr . "lo" @s */
	render(s, left, t ? t->kfl : 0, x);
	sb_put(s, " ");
	if (strcmp(op, "in") != 0 &&
	    (strcmp(op, "==") != 0 || binop || (scalar && is_bitmask(left)) ||
	     (is_binop_expr(right, &rop) && is_bitmask(left))))
		sb_fmt(s, "%s ", op);
	render(s, right, value_flags(left), x);
}

/* "192.168.70.10:22", "[fd00::2]:8080", ":8080" */
static void render_nat_arg(struct sb *s, const json_t *v, struct rctx *x)
{
	const json_t *addr = json_object_get(v, "addr"), *port = json_object_get(v, "port");
	json_t *rv;
	const char *rk = jkind(addr, &rv);
	if (rk && strcmp(rk, "range") == 0 && json_array_size(rv) == 2 &&
	    json_is_string(json_array_get(rv, 0)) && strchr(json_string_value(json_array_get(rv, 0)), ':')) {
		/* [2001:db8::1]-[2001:db8::2]:80 */
		sb_put(s, "[");
		render(s, json_array_get(rv, 0), 0, x);
		sb_put(s, "]-[");
		render(s, json_array_get(rv, 1), 0, x);
		sb_put(s, "]");
	} else if (addr) {
		int v6 = (port || x->bracket6) && json_is_string(addr) && strchr(json_string_value(addr), ':');
		if (v6)
			sb_put(s, "[");
		render(s, addr, 0, x);
		if (v6)
			sb_put(s, "]");
	}
	if (port) {
		sb_put(s, ":");
		render(s, port, 0, x);
	}
}

static void render_log(struct sb *s, const json_t *v)
{
	const json_t *f = json_object_get(v, "flags");
	static const char *const nums[] = { "group", "snaplen", "queue-threshold", NULL };
	size_t i;
	int seq = 0, opt = 0, ipopt = 0, uid = 0, eth = 0, all = 0;

	sb_put(s, "log");
	if (jstr(v, "prefix"))
		sb_fmt(s, " prefix \"%s\"", jstr(v, "prefix"));
	for (i = 0; nums[i]; i++)
		if (json_is_integer(json_object_get(v, nums[i])))
			sb_fmt(s, " %s %" JSON_INTEGER_FORMAT, nums[i],
			       json_integer_value(json_object_get(v, nums[i])));
	if (jstr(v, "level") && strcmp(jstr(v, "level"), "warn") != 0)
		sb_fmt(s, " level %s", jstr(v, "level"));
	for (i = 0; i < (json_is_array(f) ? json_array_size(f) : 1); i++) {
		const json_t *x = json_is_array(f) ? json_array_get(f, i) : f;
		all |= jis(x, "all");
		seq |= jis(x, "tcp sequence");
		opt |= jis(x, "tcp options");
		ipopt |= jis(x, "ip options");
		uid |= jis(x, "skuid");
		eth |= jis(x, "ether");
	}
	if (all) {
		sb_put(s, " flags all");
		return;
	}
	if (seq || opt)
		sb_fmt(s, " flags tcp%s%s", seq ? " sequence" : "", opt ? (seq ? ",options" : " options") : "");
	if (ipopt)
		sb_put(s, " flags ip options");
	if (uid)
		sb_put(s, " flags skuid");
	if (eth)
		sb_put(s, " flags ether");
}

static void render_limit(struct sb *s, const json_t *v, struct rctx *x)
{
	const char *unit = jstr(v, "rate_unit"), *per = jstr(v, "per");
	json_int_t burst = json_integer_value(json_object_get(v, "burst"));
	int bytes = unit && strcmp(unit, "packets") != 0;

	sb_fmt(s, "limit rate %s%" JSON_INTEGER_FORMAT, json_is_true(json_object_get(v, "inv")) ? "over " : "",
	       json_integer_value(json_object_get(v, "rate")));
	if (bytes)
		sb_fmt(s, " %s", unit);
	sb_fmt(s, "/%s", per ? per : "second");
	if (!bytes && burst && (burst != 5 || !x->burst5))
		sb_fmt(s, " burst %" JSON_INTEGER_FORMAT " packets", burst);
	else if (bytes && burst)
		sb_fmt(s, " burst %" JSON_INTEGER_FORMAT " %s", burst,
		       jstr(v, "burst_unit") ? jstr(v, "burst_unit") : "bytes");
}

/* ---- what a rule matches ------------------------------------------------ */

static int copy_if_room(char *out, size_t sz, const char *v)
{
	if (!v || strlen(v) >= sz)
		return 0;
	nl_strlcpy(out, v, sz);
	return 1;
}

/* Protocols implied by transport headers anywhere in a match's left side. */
static void l4_from(struct nl_rule *r, const json_t *e)
{
	json_t *v;
	const char *k;
	size_t i;
	if (r->proto >= 0)
		return;
	k = jkind(e, &v);
	if (!k)
		return;
	if (strcmp(k, "payload") == 0 && in_strs(jstr(v, "protocol"), l4_protos)) {
		r->proto = nl_proto_number(jstr(v, "protocol"));
		r->proto_neg = 0;
		return;
	}
	if (json_is_array(v) && strcmp(k, "set") != 0)
		for (i = 0; i < json_array_size(v); i++)
			l4_from(r, json_array_get(v, i));
}

static int port_value(const json_t *x, int *lo, int *hi)
{
	json_t *v;
	const char *k = jkind(x, &v);
	json_int_t a, b;
	if (json_is_integer(x)) {
		a = b = json_integer_value(x);
	} else if (json_is_string(x)) {
		/* nft -S: "ssh" */
		a = b = nl_port_number(json_string_value(x), strlen(json_string_value(x)));
	} else if (k && strcmp(k, "range") == 0 && json_is_integer(json_array_get(v, 0)) &&
		   json_is_integer(json_array_get(v, 1))) {
		a = json_integer_value(json_array_get(v, 0));
		b = json_integer_value(json_array_get(v, 1));
	} else {
		return 0;
	}
	if (a < 0 || b > 65535 || a > b)
		return 0;
	*lo = (int)a;
	*hi = (int)b;
	return 1;
}

static void set_ports(const char *op, const json_t *x, int *lo, int *hi, int *neg)
{
	int a, b;
	if (*lo >= 0 || !port_value(x, &a, &b))
		return;
	if (strcmp(op, "<") == 0 && a == b && a > 0)
		a = 0, b = b - 1;
	else if (strcmp(op, "<=") == 0 && a == b)
		a = 0;
	else if (strcmp(op, ">") == 0 && a == b && a < 65535)
		a = a + 1, b = 65535;
	else if (strcmp(op, ">=") == 0 && a == b)
		b = 65535;
	else if (strcmp(op, "==") != 0 && strcmp(op, "!=") != 0)
		return;
	*lo = a;
	*hi = b;
	*neg = strcmp(op, "!=") == 0;
}

static void set_addr(const char *op, const json_t *x, char *out, size_t sz, int *neg)
{
	json_t *v;
	const char *k = jkind(x, &v);
	char canon[NL_ADDRSIZ], buf[NL_ADDRSIZ + 8];
	const char *a = NULL;
	json_int_t len = -1;
	if (out[0] || (strcmp(op, "==") != 0 && strcmp(op, "!=") != 0))
		return;
	if (json_is_string(x)) {
		a = json_string_value(x);
	} else if (k && strcmp(k, "prefix") == 0 && json_is_integer(json_object_get(v, "len"))) {
		a = jstr(v, "addr");
		len = json_integer_value(json_object_get(v, "len"));
	}
	if (!a || nl_addr_canon(a, strlen(a), NULL, canon, sizeof canon) || len > 128)
		return;
	if (len >= 0)
		snprintf(buf, sizeof buf, "%s/%d", a, (int)len);
	else
		snprintf(buf, sizeof buf, "%s", a);
	if (copy_if_room(out, sz, buf))
		*neg = strcmp(op, "!=") == 0;
}

static void set_ifname(const char *op, const json_t *x, char *out, size_t sz, int *neg)
{
	const char *v = json_string_value(x);
	size_t n;
	if (out[0] || !v || v[0] == '@' || (strcmp(op, "==") != 0 && strcmp(op, "!=") != 0))
		return;
	if (!copy_if_room(out, sz, v) || !(n = strlen(out)))
		return;
	if (out[n - 1] == '*')
		out[n - 1] = '+';
	*neg = strcmp(op, "!=") == 0;
}

static void match_fields(struct nl_rule *r, const json_t *m)
{
	const json_t *left = json_object_get(m, "left"), *right = json_object_get(m, "right");
	const char *op = jstr(m, "op"), *k, *proto, *field, *key;
	json_t *v;

	l4_from(r, left);
	if (!op || strcmp(op, "in") == 0)
		op = "==";
	k = jkind(left, &v);
	if (!k || (json_is_string(right) && json_string_value(right)[0] == '@'))
		return;
	if (strcmp(k, "meta") == 0 && (key = jstr(v, "key"))) {
		if (strcmp(key, "l4proto") == 0 && r->proto < 0 &&
		    (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0)) {
			int p = json_is_string(right) ? nl_proto_number(json_string_value(right)) :
				json_is_integer(right) && json_integer_value(right) >= 0 &&
				json_integer_value(right) <= 255 ? (int)json_integer_value(right) : -1;
			if (p >= 0) {
				r->proto = p;
				r->proto_neg = strcmp(op, "!=") == 0;
			}
		} else if (strcmp(key, "iifname") == 0 || strcmp(key, "iif") == 0) {
			set_ifname(op, right, r->iif, sizeof r->iif, &r->iif_neg);
		} else if (strcmp(key, "oifname") == 0 || strcmp(key, "oif") == 0) {
			set_ifname(op, right, r->oif, sizeof r->oif, &r->oif_neg);
		}
		return;
	}
	if (strcmp(k, "payload") != 0 || !(proto = jstr(v, "protocol")) || !(field = jstr(v, "field")))
		return;
	if ((strcmp(proto, "ip") == 0 && strcmp(field, "protocol") == 0) ||
	    (strcmp(proto, "ip6") == 0 && strcmp(field, "nexthdr") == 0)) {
		if (r->proto < 0 && (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0)) {
			int p = json_is_string(right) ? nl_proto_number(json_string_value(right)) :
				json_is_integer(right) && json_integer_value(right) >= 0 &&
				json_integer_value(right) <= 255 ? (int)json_integer_value(right) : -1;
			if (p >= 0) {
				r->proto = p;
				r->proto_neg = strcmp(op, "!=") == 0;
			}
		}
	} else if (strcmp(proto, "ip") == 0 || strcmp(proto, "ip6") == 0) {
		if (strcmp(field, "saddr") == 0)
			set_addr(op, right, r->src, sizeof r->src, &r->src_neg);
		else if (strcmp(field, "daddr") == 0)
			set_addr(op, right, r->dst, sizeof r->dst, &r->dst_neg);
	} else if (strcmp(field, "sport") == 0) {
		set_ports(op, right, &r->sport_lo, &r->sport_hi, &r->sport_neg);
	} else if (strcmp(field, "dport") == 0) {
		set_ports(op, right, &r->dport_lo, &r->dport_hi, &r->dport_neg);
	}
}

/* ---- one rule ------------------------------------------------------------ */

static void set_target(struct nl_rule *r, const char *t, const char *arg)
{
	nl_strlcpy(r->target, t, sizeof r->target);
	nl_strlcpy(r->target_arg, arg ? arg : "", sizeof r->target_arg);
}

/* One statement being written: where to, the rule it belongs to, and its
 * kind and value ({"<kind>": <value>}). */
struct stc {
	struct sb *s;
	struct nl_rule *r;
	struct rctx *x;
	const char *k;
	const json_t *st, *v;
	int *match, *have_target;
};

/* Each writes one kind of statement as nft prints it; 0 when the value is
 * not of the form it knows, so the next handler of that kind is tried. */
typedef int (*st_fn)(struct stc *c);

static int st_match(struct stc *c)
{
	render_match(c->s, c->v, c->x);
	match_fields(c->r, c->v);
	*c->match = 1;
	return 1;
}

static int st_vmap(struct stc *c)
{
	const json_t *key = json_object_get(c->v, "key"), *data = json_object_get(c->v, "data");
	json_t *dv;
	const char *dk = jkind(data, &dv);
	render(c->s, key, 0, c->x);
	sb_put(c->s, " vmap ");
	if (dk && strcmp(dk, "set") == 0)
		render_set(c->s, dv, value_flags(key), 0, c->x);
	else
		render(c->s, data, 0, c->x);
	l4_from(c->r, key);
	*c->match = 1;
	return 1;
}

static int st_verdict(struct stc *c)
{
	sb_put(c->s, c->k);
	set_target(c->r, c->k, NULL);
	*c->have_target = 1;
	return 1;
}

static int st_jump(struct stc *c)
{
	render(c->s, c->st, 0, c->x);
	set_target(c->r, c->k, jstr(c->v, "target"));
	c->r->is_goto = c->k[0] == 'g';
	*c->have_target = 1;
	return 1;
}

static int st_reject(struct stc *c)
{
	const char *type = jstr(c->v, "type"), *code = jstr(c->v, "expr"), *fam = c->x->fam;
	char arg[256] = "";
	struct sb a = { arg, sizeof arg, 0, 0 };
	/* the default code is left out, except for icmp and icmpv6 in the
	 * inet, bridge and netdev families (nftables stmt_reject_postprocess:
	 * verbose_print) */
	int verbose = type && strcmp(type, "icmpx") != 0 && fam && strcmp(fam, "ip") != 0 &&
		      strcmp(fam, "ip6") != 0;
	sb_put(c->s, "reject");
	if (type && (verbose || !(code && strcmp(code, "port-unreachable") == 0))) {
		sb_fmt(&a, "%s%s%s", type, code ? " " : "", code ? code : "");
		sb_fmt(c->s, " with %s", arg);
	}
	set_target(c->r, "reject", arg);
	*c->have_target = 1;
	return 1;
}

static int st_queue(struct stc *c)
{
	const json_t *f = json_object_get(c->v, "flags"), *num = json_object_get(c->v, "num");
	char arg[256] = "";
	struct sb a = { arg, sizeof arg, 0, 0 };
	sb_put(c->s, "queue");
	if (f) {
		sb_put(c->s, " flags ");
		render(c->s, f, 0, c->x);
	}
	if (num) {
		render(&a, num, 0, c->x);
		sb_fmt(c->s, " to %s", arg);
	}
	set_target(c->r, "queue", arg);
	*c->have_target = 1;
	return 1;
}

/* dnat, snat, masquerade, redirect, tproxy */
static int st_nat(struct stc *c)
{
	const json_t *f = json_object_get(c->v, "flags"), *tf = json_object_get(c->v, "type_flags");
	char arg[256] = "";
	struct sb a = { arg, sizeof arg, 0, 0 };
	int prefix = 0;
	size_t i;
	sb_put(c->s, c->k);
	if (jstr(c->v, "family"))
		sb_fmt(c->s, " %s", jstr(c->v, "family"));
	for (i = 0; i < (json_is_array(tf) ? json_array_size(tf) : tf ? 1 : 0); i++) {
		const json_t *t = json_is_array(tf) ? json_array_get(tf, i) : tf;
		prefix |= jis(t, "prefix");
		sb_put(c->s, " ");
		render(c->s, t, 0, c->x);
	}
	if (json_object_get(c->v, "addr") || json_object_get(c->v, "port")) {
		c->x->bracket6 = strcmp(c->k, "tproxy") == 0;
		render_nat_arg(&a, c->v, c->x);
		c->x->bracket6 = 0;
		sb_fmt(c->s, " to %s", arg);
	}
	/* a prefix mapping implies netmap, which nft does not print then */
	if (f && !(prefix && jis(f, "netmap"))) {
		sb_put(c->s, " ");
		render(c->s, f, 0, c->x);
	}
	set_target(c->r, c->k, arg);
	*c->have_target = 1;
	return 1;
}

/* counter, quota, limit, synproxy by name, or picked by a map:
 * counter name ip saddr map { 1.1.1.1 : "user123" } */
static int st_named(struct stc *c)
{
	if (!json_is_string(c->v) && !(json_is_object(c->v) && json_object_get(c->v, "map")))
		return 0;
	sb_fmt(c->s, "%s name ", c->k);
	render(c->s, c->v, X_QUOTE, c->x);
	/* a map's lookup that finds no element ends the rule (the kernel's
	 * nft_objref_map_eval breaks), as a quota or limit over may */
	*c->match |= json_is_object(c->v) || strcmp(c->k, "quota") == 0 || strcmp(c->k, "limit") == 0;
	return 1;
}

static int st_secmark(struct stc *c)
{
	if (!json_is_string(c->v) && !(json_is_object(c->v) && json_object_get(c->v, "map")))
		return 0;
	sb_put(c->s, "meta secmark set ");
	render(c->s, c->v, X_QUOTE, c->x);
	return 1;
}

static int st_counter(struct stc *c)
{
	if (json_is_object(c->v)) {
		const json_t *pk = json_object_get(c->v, "packets"), *by = json_object_get(c->v, "bytes");
		sb_fmt(c->s, "counter packets %" JSON_INTEGER_FORMAT " bytes %" JSON_INTEGER_FORMAT,
		       json_integer_value(pk), json_integer_value(by));
		/* the evidence that the rule ran */
		if (c->r && json_is_integer(pk) && json_is_integer(by) && json_integer_value(pk) >= 0 &&
		    json_integer_value(by) >= 0) {
			c->r->pkts = (int64_t)json_integer_value(pk);
			c->r->bytes = (int64_t)json_integer_value(by);
		}
	} else
		sb_put(c->s, "counter");
	return 1;
}

static int st_log(struct stc *c)
{
	render_log(c->s, c->v);
	if (!*c->have_target)
		set_target(c->r, "log", jstr(c->v, "prefix"));
	return 1;
}

static int st_mangle(struct stc *c)
{
	const json_t *key = json_object_get(c->v, "key");
	render(c->s, key, 0, c->x);
	sb_put(c->s, " set ");
	render(c->s, json_object_get(c->v, "value"), value_flags(key) & (X_HEX | X_QUOTE | X_HEX2), c->x);
	return 1;
}

/* add @s { ip saddr timeout 30s limit rate 10/second burst 5 packets } */
static int st_set(struct stc *c)
{
	const json_t *sts = json_object_get(c->v, "stmt");
	const struct settype *t = find_type(c->x, jstr(c->v, "set"));
	size_t i;
	if (!json_is_object(c->v))
		return 0;
	sb_fmt(c->s, "%s %s { ", jstr(c->v, "op") ? jstr(c->v, "op") : "add",
	       jstr(c->v, "set") ? jstr(c->v, "set") : "");
	render(c->s, json_object_get(c->v, "elem"), t ? t->kfl : 0, c->x);
	for (i = 0; i < json_array_size(sts); i++) {
		sb_put(c->s, " ");
		statement_text(c->s, json_array_get(sts, i), c->x);
	}
	sb_put(c->s, " }");
	return 1;
}

/* meter flood size 65535 { ip saddr timeout 30s limit rate over 10/second }
 * (src/statement.c meter_stmt_print; its statement is printed stateless).
 * As in the text, a rule with a meter is no unconditional rule. */
static int st_meter(struct stc *c)
{
	const json_t *size = json_object_get(c->v, "size"), *key = json_object_get(c->v, "key");
	const json_t *sub = json_object_get(c->v, "stmt");
	if (!json_is_object(c->v) || !json_is_integer(size) || !key || !json_is_object(sub))
		return 0;
	sb_put(c->s, "meter ");
	if (jstr(c->v, "name"))
		sb_fmt(c->s, "%s ", jstr(c->v, "name"));
	sb_fmt(c->s, "size %" JSON_INTEGER_FORMAT " { ", json_integer_value(size));
	render(c->s, key, 0, c->x);
	sb_put(c->s, " ");
	statement_text(c->s, sub, c->x);
	sb_put(c->s, " }");
	*c->match = 1;
	return 1;
}

/* update @m { ip saddr : 0x00000002 } */
static int st_map(struct stc *c)
{
	const struct settype *t = find_type(c->x, jstr(c->v, "map"));
	if (!json_is_object(c->v))
		return 0;
	sb_fmt(c->s, "%s %s { ", jstr(c->v, "op") ? jstr(c->v, "op") : "add",
	       jstr(c->v, "map") ? jstr(c->v, "map") : "");
	render(c->s, json_object_get(c->v, "elem"), t ? t->kfl : 0, c->x);
	sb_put(c->s, " : ");
	render(c->s, json_object_get(c->v, "data"), t ? t->dfl : 0, c->x);
	sb_put(c->s, " }");
	return 1;
}

/* ct helper set "ftp", ct timeout set ..., ct expectation set ... */
static int st_ctobj(struct stc *c)
{
	sb_fmt(c->s, "%s set ", c->k);
	render(c->s, c->v, X_QUOTE, c->x);
	return 1;
}

/* synproxy mss 1460 wscale 5 timestamp sack-perm */
static int st_synproxy(struct stc *c)
{
	const json_t *f = json_is_object(c->v) ? json_object_get(c->v, "flags") : NULL;
	if (!json_is_null(c->v) && !json_is_object(c->v))
		return 0;
	sb_put(c->s, "synproxy");
	if (json_is_integer(json_object_get(c->v, "mss")))
		sb_fmt(c->s, " mss %" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(c->v, "mss")));
	if (json_is_integer(json_object_get(c->v, "wscale")))
		sb_fmt(c->s, " wscale %" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(c->v, "wscale")));
	if (f) {
		sb_put(c->s, " ");
		if (json_is_array(f))
			render_join(c->s, f, " ", 0, c->x);
		else
			render(c->s, f, 0, c->x);
	}
	return 1;
}

static int st_reset(struct stc *c)
{
	sb_put(c->s, "reset ");
	render(c->s, c->v, 0, c->x);
	return 1;
}

static int st_last(struct stc *c)
{
	if (!json_is_null(c->v))
		return 0;	/* "last used <time>": not known how nft -j writes it */
	sb_put(c->s, "last");
	return 1;
}

static int st_ctcount(struct stc *c)
{
	if (!json_is_object(c->v))
		return 0;
	sb_fmt(c->s, "ct count %s%" JSON_INTEGER_FORMAT, json_is_true(json_object_get(c->v, "inv")) ? "over " : "",
	       json_integer_value(json_object_get(c->v, "val")));
	*c->match = 1;
	return 1;
}

static int st_word(struct stc *c)
{
	sb_put(c->s, c->k);	/* notrack */
	return 1;
}

static int st_flow(struct stc *c)
{
	sb_fmt(c->s, "flow %s %s", jstr(c->v, "op") ? jstr(c->v, "op") : "add",
	       jstr(c->v, "flowtable") ? jstr(c->v, "flowtable") : "");
	return 1;
}

/* dup to 10.0.0.1 device "eth0", fwd ip to ..., and in a netdev table
 * "dup to" a device */
static int st_dup(struct stc *c)
{
	const json_t *addr = json_object_get(c->v, "addr"), *dev = json_object_get(c->v, "dev");
	const char *fam = jstr(c->v, "family");
	int isdev = !addr || (c->x->fam && strcmp(c->x->fam, "netdev") == 0 && !dev);
	sb_fmt(c->s, "%s%s%s to ", c->k, fam ? " " : "", fam ? fam : "");
	render(c->s, addr ? addr : dev, isdev ? X_QUOTE : 0, c->x);
	if (addr && dev) {
		sb_put(c->s, " device ");
		render(c->s, dev, X_QUOTE, c->x);
	}
	return 1;
}

/* iptables-nft compat: the JSON names only the extension */
static int st_xt(struct stc *c)
{
	const char *type = jstr(c->v, "type"), *name = jstr(c->v, "name");
	if (!type || !name) {
		/* nft before 1.0.6 printed {"xt": null}: which match or target
		 * the rule held is not in the dump */
		bad(c->x, "an xt statement printed as null (nft before 1.0.6)");
		return 1;
	}
	sb_fmt(c->s, "xt %s %s", type, name);	/* as nft 1.0.6 prints it (later ones quote it) */
	if (strcmp(type, "target") == 0) {
		nl_xt_target(c->r, name, strlen(name));
		*c->have_target = 1;
	} else {
		*c->match = 1;
	}
	return 1;
}

static int st_limit(struct stc *c)
{
	render_limit(c->s, c->v, c->x);
	*c->match = 1;
	return 1;
}

static int st_quota(struct stc *c)
{
	const json_t *v = c->v;
	sb_fmt(c->s, "quota %s%" JSON_INTEGER_FORMAT " %s", json_is_true(json_object_get(v, "inv")) ? "over " : "",
	       json_integer_value(json_object_get(v, "val")),
	       jstr(v, "val_unit") ? jstr(v, "val_unit") : "bytes");
	if (json_integer_value(json_object_get(v, "used")))
		sb_fmt(c->s, " used %" JSON_INTEGER_FORMAT " %s", json_integer_value(json_object_get(v, "used")),
		       jstr(v, "used_unit") ? jstr(v, "used_unit") : "bytes");
	*c->match = 1;
	return 1;
}

/* Kinds with several forms list the most specific first. */
static const struct { const char *kind; st_fn fn; } st_handlers[] = {
	{ "match", st_match }, { "vmap", st_vmap },
	{ "accept", st_verdict }, { "drop", st_verdict }, { "continue", st_verdict },
	{ "return", st_verdict }, { "jump", st_jump }, { "goto", st_jump },
	{ "reject", st_reject }, { "queue", st_queue },
	{ "dnat", st_nat }, { "snat", st_nat }, { "masquerade", st_nat }, { "redirect", st_nat },
	{ "tproxy", st_nat },
	{ "counter", st_named }, { "counter", st_counter }, { "quota", st_named }, { "quota", st_quota },
	{ "limit", st_named }, { "limit", st_limit }, { "synproxy", st_named },
	{ "synproxy", st_synproxy }, { "secmark", st_secmark },
	{ "log", st_log }, { "mangle", st_mangle }, { "set", st_set }, { "map", st_map },
	{ "meter", st_meter },
	{ "ct helper", st_ctobj }, { "ct timeout", st_ctobj }, { "ct expectation", st_ctobj },
	{ "ct count", st_ctcount }, { "reset", st_reset }, { "last", st_last },
	{ "notrack", st_word }, { "flow", st_flow }, { "dup", st_dup }, { "fwd", st_dup },
	{ "xt", st_xt },
};

/* Writes statement st as nft prints it and notes what it does to r.
 * *have_target: a verdict or NAT was seen (a log no longer names the target). */
static void statement(struct sb *s, struct nl_rule *r, const json_t *st, int *match, int *have_target,
		      struct rctx *x)
{
	json_t *v;
	struct stc c = { s, r, x, NULL, st, NULL, match, have_target };
	size_t i;
	c.k = jkind(st, &v);
	c.v = v;
	if (!c.k) {
		bad(x, NULL);
		*match = 1;
		return;
	}
	for (i = 0; i < sizeof st_handlers / sizeof st_handlers[0]; i++)
		if (strcmp(st_handlers[i].kind, c.k) == 0 && st_handlers[i].fn(&c))
			return;
	sb_put(s, c.k);
	bad(x, c.k);
	*match = 1;
}

/* A statement's text alone: those of set elements and of set statements. */
static void statement_text(struct sb *s, const json_t *st, struct rctx *x)
{
	struct nl_rule *r = malloc(sizeof *r);
	int match = 0, have_target = 0;
	if (!r) {
		bad(x, "out of memory");
		return;
	}
	nl_rule_init(r);
	statement(s, r, st, &match, &have_target, x);
	free(r);
}

static uint64_t chain_key(const char *fam, const char *tab, const char *chain)
{
	uint64_t h = nl_hash64(fam, strlen(fam) + 1, NL_HASH_INIT);
	h = nl_hash64(tab, strlen(tab) + 1, h);
	return nl_hash64(chain, strlen(chain), h);
}

static uint32_t *pos_slot(struct nftjson *st, uint64_t key)
{
	size_t i = (size_t)key & (st->nslot - 1);
	while (st->slot[i] && st->pos[st->slot[i] - 1].key != key)
		i = (i + 1) & (st->nslot - 1);
	return &st->slot[i];
}

/* The next position in a chain: rules come in chain order. Chains are
 * found by hash: a kube-proxy ruleset has tens of thousands. */
static int next_position(struct nftjson *st, uint64_t key)
{
	uint32_t *sl;
	if (st->nslot && *(sl = pos_slot(st, key)))
		return ++st->pos[*sl - 1].n;
	if (st->npos == st->cappos) {
		size_t cap = st->cappos ? st->cappos * 2 : 64;
		struct chainpos *n = cap < UINT32_MAX / 4 ? realloc(st->pos, cap * sizeof *n) : NULL;
		if (!n)
			return -1;
		st->pos = n;
		st->cappos = cap;
	}
	if (2 * (st->npos + 1) > st->nslot) {
		size_t i, ns = st->nslot ? st->nslot * 2 : 128;
		uint32_t *n = calloc(ns, sizeof *n);
		if (!n)
			return -1;
		free(st->slot);
		st->slot = n;
		st->nslot = ns;
		for (i = 0; i < st->npos; i++)
			*pos_slot(st, st->pos[i].key) = (uint32_t)i + 1;
	}
	st->pos[st->npos].key = key;
	st->pos[st->npos].n = 1;
	*pos_slot(st, key) = (uint32_t)st->npos + 1;
	st->npos++;
	return 1;
}

/* An error about the object that starts on st->line. */
static int jerr(struct nftjson *st, const char *msg)
{
	return st->sink->error(st->sink->ctx, st->line, msg, NULL, 0);
}

/* 1 when the names can be used; else reported: 0, or -1 when the sink
 * said stop. */
static int names_ok(struct nftjson *st, const char *fam, const char *tab, const char *name,
		    size_t namesz, const char *what)
{
	char msg[96];
	/* nft has no empty names; "" (or a name that starts with \u0000)
	 * would make a rule of no chain */
	if (fam && tab && name && fam[0] && tab[0] && name[0] && strlen(fam) < 8 &&
	    strlen(tab) < 32 && strlen(name) < namesz)
		return 1;
	snprintf(msg, sizeof msg, "%s without family, table or name, or a name empty or too long",
		 what);
	return jerr(st, msg);	/* 0: reported, or -1: stop */
}

/* Writes rule o at position pos and hands it to the sink; when it names a
 * set not listed yet and may wait (mayw), it waits instead (1). */
static int write_rule(struct nftjson *st, const json_t *o, int pos, int mayw)
{
	const struct nl_sink *k = st->sink;
	const char *fam = jstr(o, "family"), *tab = jstr(o, "table"), *chain = jstr(o, "chain");
	const json_t *expr = json_object_get(o, "expr"), *h = json_object_get(o, "handle");
	struct nl_rule *r = &st->rule;
	struct sb s = { r->text, sizeof r->text, 0, 0 };
	struct rctx x;
	int match = 0, have_target = 0;
	size_t i, badat = 0;

	memset(&x, 0, sizeof x);
	x.burst5 = st->burst5;
	x.types = st->types;
	x.ntypes = st->ntypes;
	x.fam = fam;
	x.tab = tab;
	nl_rule_init(r);
	r->position = pos;
	r->handle = json_is_integer(h) && json_integer_value(h) >= 0 ? json_integer_value(h) : -1;
	nl_strlcpy(r->family, fam, sizeof r->family);
	nl_strlcpy(r->table, tab, sizeof r->table);
	nl_strlcpy(r->chain, chain, sizeof r->chain);
	if (!json_is_array(expr))
		return jerr(st, "rule without an expr array");
	for (i = 0; i < json_array_size(expr) && !x.nbad; i++) {
		if (i)
			sb_put(&s, " ");
		statement(&s, r, json_array_get(expr, i), &match, &have_target, &x);
		badat = i;
	}
	if (x.miss && mayw)
		return 1;
	if (x.nbad) {
		/* a rule nft would print otherwise is no rule: its place stays */
		char msg[256];
		snprintf(msg, sizeof msg, "cannot write %s %s %s rule %d as nft prints it: %s at "
			 "nftables[%zu].rule.expr[%zu]", fam, tab, chain, pos, x.bad, st->item, badat);
		return jerr(st, msg);
	}
	if (jstr(o, "comment"))
		sb_fmt(&s, " comment \"%s\"", jstr(o, "comment"));
	if (s.over)
		return jerr(st, "rule is longer than 1023 bytes");
	r->uncond = !match;
	return k->rule(k->ctx, r);
}

/* The rules that waited for sets listed after them, now that all are. */
static int flush_waiting(struct nftjson *st)
{
	size_t i;
	int rc = 0, burst5 = st->burst5;
	size_t item = st->item;
	long line = st->line;
	for (i = 0; i < st->nwait; i++) {
		struct waiting *w = &st->wait[i];
		st->item = w->item;
		st->line = w->line;
		st->burst5 = w->burst5;
		if (rc == 0 && write_rule(st, w->o, w->pos, 0) < 0)
			rc = -1;
		json_decref(w->o);
	}
	st->nwait = 0;
	st->item = item;
	st->line = line;
	st->burst5 = burst5;
	return rc;
}

/* Renames key from to key to in object o, unless to is there already. */
static void rename_key(json_t *o, const char *from, const char *to)
{
	json_t *v = json_object_get(o, from);
	if (v && !json_object_get(o, to) && json_object_set(o, to, v) == 0)
		json_object_del(o, from);
}

/* nft 0.9.0 (Debian 10's) printed forms that nft 0.9.1 renamed (nftables
 * src/json.c, commits 2a4a5a2c, dfd72398, 8125785d, 665da8df, 8f6e1c37,
 * d4bd008b, 2018): {"meta": "iifname"} for {"meta": {"key": "iifname"}},
 * a payload's "name" for "protocol" (and "name": "raw" beside base, offset
 * and len), {"jump": "x"} for {"jump": {"target": "x"}}, a map's "left"
 * and "right" for "key" and "data", a mangle's for "key" and "value", and
 * a verdict map statement as "map". No later nft prints these, so they
 * are rewritten in place, wherever they are, into the later forms read
 * below. A statement of the rule's own array is at depth 1. */
static void older_forms(json_t *v, int depth)
{
	const char *k;
	json_t *in;
	void *it;
	size_t i;

	if (depth > NFTJSON_DEPTH)
		return;
	if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++)
			older_forms(json_array_get(v, i), depth + 1);
		return;
	}
	if (!json_is_object(v))
		return;
	for (it = json_object_iter(v); it; it = json_object_iter_next(v, it))
		older_forms(json_object_iter_value(it), depth + 1);
	k = jkind(v, &in);
	if (!k)
		return;
	if (strcmp(k, "meta") == 0 && json_is_string(in)) {
		json_t *o = json_object();
		if (o && json_object_set(o, "key", in) == 0)
			json_object_set_new(v, "meta", o);
		else
			json_decref(o);
	} else if ((strcmp(k, "jump") == 0 || strcmp(k, "goto") == 0) && json_is_string(in)) {
		json_t *o = json_object();
		if (o && json_object_set(o, "target", in) == 0)
			json_object_set_new(v, k[0] == 'j' ? "jump" : "goto", o);
		else
			json_decref(o);
	} else if (strcmp(k, "payload") == 0 && json_is_object(in)) {
		if (jis(json_object_get(in, "name"), "raw") && json_object_get(in, "base"))
			json_object_del(in, "name");
		else if (json_object_get(in, "field"))
			rename_key(in, "name", "protocol");
	} else if (strcmp(k, "map") == 0 && json_is_object(in) && json_object_get(in, "left")) {
		rename_key(in, "left", "key");
		rename_key(in, "right", "data");
		if (depth == 1)		/* a map as a statement is a verdict map */
			rename_key(v, "map", "vmap");
	} else if (strcmp(k, "mangle") == 0 && json_is_object(in)) {
		rename_key(in, "left", "key");
		rename_key(in, "right", "value");
	}
}

static int do_rule(struct nftjson *st, json_t *o)
{
	const char *fam = jstr(o, "family"), *tab = jstr(o, "table"), *chain = jstr(o, "chain");
	struct waiting *w;
	int pos, rc;

	if ((rc = names_ok(st, fam, tab, chain, sizeof st->rule.chain, "rule")) != 1)
		return rc;
	older_forms(json_object_get(o, "expr"), 0);
	pos = next_position(st, chain_key(fam, tab, chain));
	if (pos < 0)
		return -1;
	if (!st->wait && !(st->wait = calloc(NFTJSON_WAIT_MAX, sizeof *st->wait)))
		return -1;
	if (st->nwait == NFTJSON_WAIT_MAX && flush_waiting(st))
		return -1;
	/* once one rule waits, those after it wait too: rules keep their order */
	rc = st->nwait ? 1 : write_rule(st, o, pos, 1);
	if (rc <= 0)
		return rc;
	w = &st->wait[st->nwait++];
	w->o = json_incref(o);
	w->item = st->item;
	w->line = st->line;
	w->pos = pos;
	w->burst5 = st->burst5;
	return 0;
}

/* One line of `nft -j monitor` (nftables src/monitor.c and src/json.c,
 * monitor_print_*_json), written as `nft -a monitor` prints the same
 * event, so that it is read as one:
 *   {"add": {"rule": {"family": "ip", "table": "t", "chain": "c", "handle": 5,
 *    "expr": [...]}}}  ->  add rule ip t c tcp dport 22 accept # handle 5
 *   {"delete": {"rule": {..., "handle": 5, ...}}}  ->  delete rule ip t c handle 5
 *   {"add": {"set": {"family": "ip", "table": "t", "name": "s", ...}}}  ->  add set ip t s
 * Returns 1 with the text in out, 0 when the line is no such event, -1
 * with err set when it is one whose rule natlog cannot write. */
int nl_nftjson_event(const char *s, size_t n, char *out, size_t outn, struct nl_err *err)
{
	static const char *const verbs[] = { "add", "insert", "replace", "create", "delete",
					     "destroy", NULL };
	json_t *doc, *o, *v;
	const char *verb, *kind, *fam, *tab;
	struct sb t = { out, outn, 0, 0 };
	int rc = 0;

	if (outn == 0 || n < 2 || s[0] != '{')
		return 0;
	doc = json_loadb(s, n, JSON_REJECT_DUPLICATES, NULL);
	verb = jkind(doc, &o);
	kind = verb && in_strs(verb, verbs) ? jkind(o, &v) : NULL;
	fam = kind && json_is_object(v) ? jstr(v, "family") : NULL;
	tab = fam ? jstr(v, kind && strcmp(kind, "table") == 0 ? "name" : "table") : NULL;
	out[0] = '\0';
	if (!tab)
		goto out;
	sb_fmt(&t, "%s %s %s %s", verb, kind, fam, tab);
	if (strcmp(kind, "rule") == 0) {
		const json_t *expr = json_object_get(v, "expr"), *h = json_object_get(v, "handle");
		struct nl_rule *r = malloc(sizeof *r);
		struct rctx x;
		int match = 0, have_target = 0;
		size_t i;
		rc = -1;
		if (!r) {
			nl_err_set(err, "out of memory");
			goto out;
		}
		memset(&x, 0, sizeof x);
		x.fam = fam;
		x.tab = tab;
		nl_rule_init(r);
		sb_fmt(&t, " %s", jstr(v, "chain") ? jstr(v, "chain") : "");
		if (strcmp(verb, "delete") == 0 || strcmp(verb, "destroy") == 0) {
			if (json_is_integer(h))
				sb_fmt(&t, " handle %" JSON_INTEGER_FORMAT, json_integer_value(h));
		} else {
			older_forms((json_t *)expr, 0);
			for (i = 0; i < json_array_size(expr) && !x.nbad; i++) {
				sb_put(&t, " ");
				statement(&t, r, json_array_get(expr, i), &match, &have_target, &x);
			}
			if (jstr(v, "comment"))
				sb_fmt(&t, " comment \"%s\"", jstr(v, "comment"));
			if (json_is_integer(h))
				sb_fmt(&t, " # handle %" JSON_INTEGER_FORMAT, json_integer_value(h));
		}
		free(r);
		if (x.nbad || !json_is_array(expr)) {
			nl_err_set(err, "nft -j monitor rule event natlog cannot write as nft prints it: %s",
				   x.nbad ? x.bad : "no expr array");
			goto out;
		}
	} else if (jstr(v, "name") && strcmp(kind, "table") != 0) {
		sb_fmt(&t, " %s", jstr(v, "name"));
		if (strcmp(kind, "element") == 0 && json_object_get(v, "elem")) {
			/* add element ip t s { 20, 30-40 } */
			struct rctx x;
			memset(&x, 0, sizeof x);
			sb_put(&t, " ");
			render(&t, json_object_get(v, "elem"), 0, &x);
		}
	}
	if (t.over) {
		nl_err_set(err, "nft -j monitor event longer than natlog keeps");
		rc = -1;
		goto out;
	}
	rc = 1;
out:
	json_decref(doc);
	return rc;
}

static int do_chain(struct nftjson *st, const json_t *o)
{
	const struct nl_sink *k = st->sink;
	struct nl_chain_info ci;
	const json_t *prio = json_object_get(o, "prio"), *h = json_object_get(o, "handle");
	int ok;

	memset(&ci, 0, sizeof ci);
	ci.family = jstr(o, "family");
	ci.table = jstr(o, "table");
	ci.name = jstr(o, "name");
	if ((ok = names_ok(st, ci.family, ci.table, ci.name, NL_CHAINSIZ, "chain")) != 1)
		return ok;
	ci.type = jstr(o, "type") ? jstr(o, "type") : "";
	ci.hook = jstr(o, "hook") ? jstr(o, "hook") : "";
	ci.builtin = jstr(o, "hook") != NULL;
	if (json_is_integer(prio) && json_integer_value(prio) >= INT32_MIN &&
	    json_integer_value(prio) <= INT32_MAX) {
		ci.prio = (int)json_integer_value(prio);
		ci.has_prio = 1;
	}
	ci.policy = jstr(o, "policy") ? jstr(o, "policy") : ci.builtin ? "accept" : NULL;
	ci.handle = json_is_integer(h) && json_integer_value(h) >= 0 ? json_integer_value(h) : -1;
	return k->chain(k->ctx, &ci);
}

/* "ipv4_addr", ["ipv4_addr", "inet_service"] or {"typeof": expr} */
static void render_type(struct sb *s, const json_t *t, struct rctx *x)
{
	json_t *v;
	const char *k = jkind(t, &v);
	if (json_is_array(t)) {
		render_join(s, t, " . ", 0, x);
	} else if (k && strcmp(k, "typeof") == 0) {
		sb_put(s, "typeof ");
		render(s, v, 0, x);
	} else {
		render(s, t, 0, x);
	}
}

/* Notes how values of this set or map print, for rules that use it. */
static int add_type(struct nftjson *st, const json_t *o, int is_map)
{
	const char *fam = jstr(o, "family"), *tab = jstr(o, "table"), *name = jstr(o, "name");
	char type[256], map[256];
	struct sb ts = { type, sizeof type, 0, 0 }, ms = { map, sizeof map, 0, 0 };
	struct rctx x;
	struct settype *t;
	if (!fam || !tab || !name)
		return 0;
	memset(&x, 0, sizeof x);
	type[0] = map[0] = '\0';
	render_type(&ts, json_object_get(o, "type"), &x);
	if (is_map)
		render_type(&ms, json_object_get(o, "map"), &x);
	if (st->ntypes == st->captypes) {
		size_t cap = st->captypes ? st->captypes * 2 : 32;
		struct settype *n = realloc(st->types, cap * sizeof *n);
		if (!n)
			return -1;
		st->types = n;
		st->captypes = cap;
	}
	t = &st->types[st->ntypes++];
	t->key = set_key(fam, tab, name);
	t->kfl = type_flags(type);
	t->dfl = is_map ? type_flags(map) : 0;
	return 0;
}

/* A set's or map's own fields, before its elements: ss->ok is 0 when it
 * cannot be used (reported), and its elements are then passed over. The
 * strings of ss point into o. */
static int set_head(struct nftjson *st, const json_t *o, int is_map, struct setstream *ss)
{
	const struct nl_sink *k = st->sink;
	const json_t *h = json_object_get(o, "handle"), *flags = json_object_get(o, "flags");
	char type[256], map[256], fl[128];
	struct sb ts = { type, sizeof type, 0, 0 }, ms = { map, sizeof map, 0, 0 };
	struct sb fs = { fl, sizeof fl, 0, 0 };
	struct rctx x;
	int ok;

	memset(ss, 0, sizeof *ss);
	ss->is_map = is_map;
	if (add_type(st, o, is_map))
		return -1;
	ss->si.family = jstr(o, "family");
	ss->si.table = jstr(o, "table");
	ss->si.name = jstr(o, "name");
	memset(&x, 0, sizeof x);
	x.burst5 = st->burst5;
	if ((ok = names_ok(st, ss->si.family, ss->si.table, ss->si.name, 64,
			   is_map ? "map" : "set")) != 1)
		return ok;
	type[0] = map[0] = fl[0] = '\0';
	render_type(&ts, json_object_get(o, "type"), &x);
	if (is_map)
		render_type(&ms, json_object_get(o, "map"), &x);
	if (flags)
		render(&fs, flags, 0, &x);
	ss->si.type = type;
	ss->si.map_type = is_map ? map : NULL;
	ss->si.flags = fl;
	ss->si.handle = json_is_integer(h) && json_integer_value(h) >= 0 ? json_integer_value(h) : -1;
	if (k->set(k->ctx, &ss->si))
		return -1;
	/* the names are copied: a key after "elem" may replace them in o */
	nl_strlcpy(ss->fam, ss->si.family, sizeof ss->fam);
	nl_strlcpy(ss->tab, ss->si.table, sizeof ss->tab);
	nl_strlcpy(ss->name, ss->si.name, sizeof ss->name);
	ss->si.family = ss->fam;
	ss->si.table = ss->tab;
	ss->si.name = ss->name;
	ss->si.type = ss->si.map_type = ss->si.flags = NULL;	/* on the stack */
	ss->hex = strcmp(map, "mark") == 0 ||
		  (strlen(map) > 5 && strcmp(map + strlen(map) - 5, " mark") == 0);
	ss->ok = 1;
	return 0;
}

/* Element ss->i of the set. */
static int set_elem(struct nftjson *st, struct setstream *ss, const json_t *e)
{
	const struct nl_sink *k = st->sink;
	const json_t *kv = e, *vv = NULL;
	char key[1024], val[1024];
	struct sb kb = { key, sizeof key, 0, 0 }, vb = { val, sizeof val, 0, 0 };
	struct nl_set_elem el;
	struct rctx x;
	json_t *ev;
	const char *ek;
	size_t i = ss->i++;

	if (!ss->ok)
		return 0;
	memset(&x, 0, sizeof x);
	x.burst5 = st->burst5;
	key[0] = val[0] = '\0';
	if (ss->is_map) {
		if (!json_is_array(e) || json_array_size(e) != 2)
			return jerr(st, "map element is not [key, value]") ? -1 : 0;
		kv = json_array_get(e, 0);
		vv = json_array_get(e, 1);
		render(&vb, vv, ss->hex ? X_HEX : 0, &x);
	}
	/* an element's timeout and statements are not its key */
	ek = jkind(kv, &ev);
	if (ek && strcmp(ek, "elem") == 0 && json_is_object(ev))
		kv = json_object_get(ev, "val");
	render(&kb, kv, 0, &x);
	if (x.nbad) {
		char msg[160];
		snprintf(msg, sizeof msg, "cannot read an element of %s %s %s: %s at "
			 "nftables[%zu].%s.elem[%zu]", ss->si.family, ss->si.table, ss->si.name, x.bad,
			 st->item, ss->is_map ? "map" : "set", i);
		return jerr(st, msg) ? -1 : 0;
	}
	if (kb.over || vb.over)
		return jerr(st, "set element longer than 1023 bytes") ? -1 : 0;
	el.family = ss->si.family;
	el.table = ss->si.table;
	el.set = ss->si.name;
	el.key = key;
	el.value = ss->is_map ? val : NULL;
	return k->element(k->ctx, &el) ? -1 : 0;
}

static int do_set(struct nftjson *st, const json_t *o, int is_map)
{
	const json_t *elems = json_object_get(o, "elem");
	struct setstream ss;
	size_t i;
	if (set_head(st, o, is_map, &ss))
		return -1;
	for (i = 0; i < json_array_size(elems); i++)
		if (set_elem(st, &ss, json_array_get(elems, i)))
			return -1;
	return 0;
}

/* A flowtable or stateful object: kept with the JSON that describes it. */
static int do_object(struct nftjson *st, const char *kind, const json_t *o)
{
	const struct nl_sink *k = st->sink;
	const json_t *h = json_object_get(o, "handle");
	struct nl_object_info oi;
	char *spec;
	int rc;
	oi.family = jstr(o, "family");
	oi.table = jstr(o, "table");
	oi.name = jstr(o, "name");
	if ((rc = names_ok(st, oi.family, oi.table, oi.name, 64, kind)) != 1)
		return rc;
	if (!k->object)
		return 0;
	oi.kind = kind;
	oi.handle = json_is_integer(h) && json_integer_value(h) >= 0 ? json_integer_value(h) : -1;
	spec = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	if (!spec)
		return -1;
	oi.spec = spec;
	rc = k->object(k->ctx, &oi);
	free(spec);
	return rc;
}

/* "1.0.9" (a suffix such as "-rc1" after the third number is left alone):
 * 1 with its three numbers, 0 when it is not of that form. */
static int version3(const char *ver, uint64_t *a, uint64_t *b, uint64_t *c)
{
	uint64_t *v[3] = { a, b, c };
	const char *p = ver;
	int k;
	for (k = 0; k < 3; k++) {
		size_t n = 0;
		while (p[n] >= '0' && p[n] <= '9')
			n++;
		if (!n || !nl_parse_u64(p, n, 1000000, v[k]) || (k < 2 && p[n] != '.'))
			return 0;
		p += n + (k < 2);
	}
	return 1;
}

/* One element of the "nftables" array. */
static int do_item(struct nftjson *st, json_t *item)
{
	static const char *const skipped[] = { "metainfo", "element", NULL };
	static const char *const objects[] = { "counter", "quota", "limit", "ct helper", "ct timeout",
					       "ct expectation", "flowtable", "secmark", "synproxy",
					       "tunnel", NULL };
	const struct nl_sink *k = st->sink;
	json_t *v;
	const char *kind = jkind(item, &v);

	if (kind && strcmp(kind, "metainfo") == 0) {
		/* nft 1.0.9 began to print the default "burst 5 packets" */
		uint64_t a, b, c;
		const char *ver = jstr(v, "version");
		if (ver && version3(ver, &a, &b, &c))
			st->burst5 = a < 1 || (a == 1 && b == 0 && c < 9);
	}
	if (!kind || !json_is_object(v))
		return jerr(st, "nft JSON item is not {\"kind\": {...}}") ? -1 : 0;
	if (in_strs(kind, skipped))
		return 0;
	if (!st->started) {
		st->started = 1;
		if (k->ruleset(k->ctx, "nft-json", 0))
			return -1;
	}
	if (strcmp(kind, "table") == 0)
		return 0;
	if (strcmp(kind, "chain") == 0)
		return do_chain(st, v) ? -1 : 0;
	if (strcmp(kind, "rule") == 0)
		return do_rule(st, v) ? -1 : 0;
	if (strcmp(kind, "set") == 0 || strcmp(kind, "map") == 0) {
		if (st->streamed)	/* its fields and elements are in already */
			return 0;
		return do_set(st, v, kind[0] == 'm') ? -1 : 0;
	}
	if (in_strs(kind, objects))
		return do_object(st, kind, v) ? -1 : 0;
	{
		char msg[96];
		snprintf(msg, sizeof msg, "unknown nft JSON object '%.40s'", kind);
		return jerr(st, msg) ? -1 : 0;
	}
}

static void doc_begin(struct nftjson *st)
{
	st->started = 0;
	st->npos = 0;
	if (st->nslot)
		memset(st->slot, 0, st->nslot * sizeof *st->slot);
	st->ntypes = 0;
	st->burst5 = 0;
	st->have_arr = 0;
	st->item = 0;
}

static int doc_end(struct nftjson *st, long line)
{
	if (flush_waiting(st))
		return -1;
	if (!st->have_arr) {
		st->line = line;
		return jerr(st, "not nft JSON: no \"nftables\" array") ? -1 : 0;
	}
	return 0;
}

/* ---- the stream ---------------------------------------------------------- */

/* What is being built is dropped; the parse goes on. */
static void drop_build(struct nftjson *st)
{
	while (st->nb > 0) {
		st->nb--;
		json_decref(st->b[st->nb].v);
		free(st->b[st->nb].key);
		st->b[st->nb].key = NULL;
	}
	st->streaming = 0;
}

/* A value built whole at the delivery depth: an item, or a set element. */
static int deliver(struct nftjson *st, json_t *v)
{
	int rc;
	st->line = st->streaming ? st->vline : st->iline;
	if (st->streaming) {
		rc = set_elem(st, &st->ss, v);
	} else {
		rc = do_item(st, v);
		st->item++;
		st->streamed = 0;
	}
	json_decref(v);
	st->ibytes = 0;
	if (rc)
		st->failed = 1;
	return !rc;
}

/* Counts what is built; past the limit the item is reported and passed over. */
static int budget(struct nftjson *st, size_t n)
{
	char msg[96];
	st->ibytes += n + 96;	/* about what jansson takes for a value */
	if (st->ibytes <= NFTJSON_ITEM_MAX)
		return 1;
	st->line = st->iline;
	snprintf(msg, sizeof msg, "nft JSON object larger than %zu MiB, left out",
		 NFTJSON_ITEM_MAX >> 20);
	st->skip = st->nb + st->streaming;	/* the containers still open */
	st->base = 0;
	drop_build(st);
	st->item++;
	st->streamed = 0;
	st->ibytes = 0;
	if (jerr(st, msg)) {
		st->failed = 1;
		return 0;
	}
	return 1;
}

/* Attaches a finished value to the container being built, or delivers it. */
static int add_value(struct nftjson *st, json_t *v)
{
	struct bframe *f;
	if (!v) {
		st->failed = 1;
		return 0;
	}
	if (st->nb == st->base)
		return deliver(st, v);
	f = &st->b[st->nb - 1];
	if (json_is_object(f->v)) {
		int rc = f->key ? json_object_set_new(f->v, f->key, v) : (json_decref(v), -1);
		free(f->key);
		f->key = NULL;
		if (rc) {
			st->failed = 1;
			return 0;
		}
		return 1;
	}
	if (json_array_append_new(f->v, v)) {
		st->failed = 1;
		return 0;
	}
	return 1;
}

/* A value outside any item: 1 when it begins to be built. */
static int building(struct nftjson *st)
{
	if (st->skip)
		return 0;
	if (st->nb > st->base)
		return 1;
	if (st->streaming) {
		st->vline = st->curline;
		return 1;
	}
	if (st->env == 2 && st->nb == 0) {
		st->vline = st->iline = st->curline;
		return 1;
	}
	return 0;
}

/* A document that is not an object: reported where it starts. */
static int not_nft(struct nftjson *st)
{
	st->line = st->curline;
	if (jerr(st, "not nft JSON: no \"nftables\" array")) {
		st->failed = 1;
		return 0;
	}
	return 1;
}

/* A scalar: built, or part of the envelope. */
static int scalar(struct nftjson *st, json_t *v, size_t n)
{
	if (building(st)) {
		if (budget(st, n) && !st->skip)
			return add_value(st, v);
		json_decref(v);
		return !st->failed;	/* left out just now, or the sink said stop */
	}
	json_decref(v);
	if (st->skip || st->env != 0)
		return 1;
	return not_nft(st);
}

/* The state, from a callback: yajl got a whole token. */
static struct nftjson *cb(void *ctx)
{
	struct nftjson *st = ctx;
	st->quiet = 0;
	return st;
}

static int y_null(void *ctx)
{
	return scalar(cb(ctx), json_null(), 0);
}

static int y_bool(void *ctx, int b)
{
	return scalar(cb(ctx), json_boolean(b), 0);
}

static int bad_json(struct nftjson *st, const char *why)
{
	char msg[128];
	snprintf(msg, sizeof msg, "bad JSON: %s", why);
	st->line = st->curline;
	/* reported: the document ends here (1: and the sink said stop) */
	st->failed = st->sink->error(st->sink->ctx, st->curline, msg, st->text,
				     st->textlen > 200 ? 200 : st->textlen) ? 1 : 2;
	return 0;
}

/* Numbers as jansson reads them: integers without '.', 'e' or 'E'. */
static int y_number(void *ctx, const char *s, size_t n)
{
	struct nftjson *st = cb(ctx);
	char buf[400];
	char *end;
	if (n >= sizeof buf)
		return bad_json(st, "number too long");
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	if (!memchr(s, '.', n) && !memchr(s, 'e', n) && !memchr(s, 'E', n)) {
		long long v = strtoll(buf, &end, 10);
		if (errno == ERANGE)
			return bad_json(st, v < 0 ? "too big negative integer" : "too big integer");
		return scalar(st, json_integer(v), 0);
	} else {
		double d = strtod(buf, &end);
		if (errno == ERANGE && (d > 1 || d < -1))
			return bad_json(st, "real number overflow");
		return scalar(st, json_real(d), 0);
	}
}

/* UTF-8 as jansson takes it: yajl lets overlong forms, surrogates and
 * code points past U+10FFFF through, which jansson then refuses. */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, len, k;
	uint32_t cp;
	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			len = 2, cp = s[i] & 0x1f;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			len = 3, cp = s[i] & 0x0f;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			len = 4, cp = s[i] & 0x07;
		else
			return 0;
		if (len > n - i)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

static int y_string(void *ctx, const unsigned char *s, size_t n)
{
	struct nftjson *st = cb(ctx);
	if (memchr(s, '\0', n))
		return bad_json(st, "\\u0000 is not allowed");
	if (!utf8_ok(s, n))
		return bad_json(st, "invalid UTF-8 in a string");
	if (!building(st))
		return scalar(st, json_null(), 0);
	return scalar(st, json_stringn((const char *)s, n), n);
}

/* The header of a set whose "elem" array starts: read it, then stream. */
static int maybe_stream(struct nftjson *st)
{
	struct bframe *item = &st->b[0], *body = &st->b[1];
	const char *kind = item->key;
	const json_t *o = body->v;
	int is_map;
	if (st->nb != 2 || st->streaming || !kind || json_object_size(item->v) != 0 ||
	    !body->key || strcmp(body->key, "elem") != 0 || !json_is_object(o))
		return 0;
	if (strcmp(kind, "set") != 0 && strcmp(kind, "map") != 0)
		return 0;
	is_map = kind[0] == 'm';
	/* nft prints these before the elements; when they come after, the
	 * set is read whole */
	if (!json_object_get(o, "family") || !json_object_get(o, "table") ||
	    !json_object_get(o, "name") || !json_object_get(o, "type") ||
	    (is_map && !json_object_get(o, "map")))
		return 0;
	st->line = st->iline;
	if (!st->started) {
		st->started = 1;
		if (st->sink->ruleset(st->sink->ctx, "nft-json", 0))
			return -1;
	}
	if (set_head(st, o, is_map, &st->ss))
		return -1;
	st->streaming = 1;
	st->streamed = 1;
	st->base = 2;	/* values that end here are elements */
	return 1;
}

static int y_start(struct nftjson *st, int is_map)
{
	if (building(st)) {
		int s;
		if (st->nb >= NFTJSON_DEPTH)
			return bad_json(st, "maximum parsing depth reached");
		if (!is_map && (s = maybe_stream(st)) != 0) {
			if (s < 0)
				st->failed = 1;
			return s > 0;	/* the "elem" array itself is not built */
		}
		if (!budget(st, 0))
			return 0;
		if (st->skip) {	/* left out just now */
			st->skip++;
			return 1;
		}
		st->b[st->nb].v = is_map ? json_object() : json_array();
		st->b[st->nb].key = NULL;
		if (!st->b[st->nb].v) {
			st->failed = 1;
			return 0;
		}
		st->nb++;
		return 1;
	}
	if (st->skip) {
		st->skip++;
		return 1;
	}
	switch (st->env) {
	case 0:
		if (!is_map) {
			st->skip = 1;
			return not_nft(st);
		}
		doc_begin(st);
		st->env = 1;
		st->key_nft = 0;
		return 1;
	case 1:
		if (!is_map && st->key_nft) {
			st->env = 2;
			st->have_arr = 1;
			return 1;
		}
		st->skip = 1;
		return 1;
	}
	return 1;
}

static int y_end(struct nftjson *st)
{
	if (st->skip) {
		st->skip--;
		return 1;
	}
	if (st->streaming && st->nb == st->base) {
		/* the end of the "elem" array: the set goes on without it */
		struct bframe *body = &st->b[1];
		st->streaming = 0;
		st->base = 0;
		free(body->key);
		body->key = NULL;
		return 1;
	}
	if (st->nb > st->base) {
		json_t *v = st->b[--st->nb].v;
		free(st->b[st->nb].key);
		st->b[st->nb].key = NULL;
		return add_value(st, v);
	}
	if (st->env == 2) {
		st->env = 1;
		return 1;
	}
	if (st->env == 1) {
		st->env = 0;
		if (doc_end(st, st->curline)) {
			st->failed = 1;
			return 0;
		}
	}
	return 1;
}

static int y_start_map(void *ctx)
{
	return y_start(cb(ctx), 1);
}

static int y_start_array(void *ctx)
{
	return y_start(cb(ctx), 0);
}

static int y_end_any(void *ctx)
{
	return y_end(cb(ctx));
}

static int y_key(void *ctx, const unsigned char *s, size_t n)
{
	struct nftjson *st = cb(ctx);
	if (memchr(s, '\0', n))
		return bad_json(st, "NUL byte in object key not supported");
	if (!utf8_ok(s, n))
		return bad_json(st, "invalid UTF-8 in an object key");
	if (st->skip)
		return 1;
	if (st->nb > st->base) {
		struct bframe *f = &st->b[st->nb - 1];
		if (!budget(st, n))
			return 0;
		if (st->skip)
			return 1;
		free(f->key);
		if (!(f->key = strndup((const char *)s, n))) {
			st->failed = 1;
			return 0;
		}
		return 1;
	}
	if (st->env == 1)
		st->key_nft = n == 8 && memcmp(s, "nftables", 8) == 0;
	return 1;
}

static const yajl_callbacks y_callbacks = {
	y_null, y_bool, NULL, NULL, y_number, y_string,
	y_start_map, y_key, y_end_any, y_start_array, y_end_any,
};

/* ---- the parser ---------------------------------------------------------- */

/* After a parse error: what was read before it is kept, one error at it. */
static int stopped(struct nftjson *st, yajl_status ys, const unsigned char *s, size_t n)
{
	if (st->failed == 1)
		return -1;
	if (st->failed == 0 && ys == yajl_status_error) {
		unsigned char *e = yajl_get_error(st->y, 0, s, n);
		char why[96];
		size_t at = s ? yajl_get_bytes_consumed(st->y) : 0, l;
		const char *m = (const char *)e;
		if (m && strncmp(m, "parse error: ", 13) == 0)
			m += 13;
		else if (m && strncmp(m, "lexical error: ", 15) == 0)
			m += 15;
		nl_strlcpy(why, m ? m : "cannot parse", sizeof why);
		l = strlen(why);
		while (l > 0 && (why[l - 1] == '\n' || why[l - 1] == '.' || why[l - 1] == ' '))
			why[--l] = '\0';
		if (e)
			yajl_free_error(st->y, e);
		if (!st->whole && s == (const unsigned char *)st->text && at < st->textlen) {
			/* in a long line: the text from a little before where it
			 * stopped */
			at = at > 60 ? at - 60 : 0;
			st->text += at;
			st->textlen -= at;
		}
		bad_json(st, why);
	}
	if (st->failed == 1)
		return -1;
	drop_build(st);
	st->base = 0;
	st->skip = 0;
	if (flush_waiting(st)) {
		st->failed = 1;
		return -1;
	}
	st->env = 3;		/* nothing more is read */
	return 0;
}

static int feed(struct nftjson *st, const char *s, size_t n)
{
	yajl_status ys;
	if (st->env == 3)
		return 0;
	/* yajl holds a token until it ends: one that long is no nft JSON */
	st->quiet += n;
	if (st->quiet > NFTJSON_ITEM_MAX) {
		bad_json(st, "a token longer than 16 MiB");
		return stopped(st, yajl_status_client_canceled, NULL, 0);
	}
	ys = yajl_parse(st->y, (const unsigned char *)s, n);
	if (ys != yajl_status_ok)
		return stopped(st, ys, (const unsigned char *)s, n);
	return 0;
}

/* A piece of a line longer than the import's buffer (a one-line dump). */
static int nftjson_part(void *state, const char *s, size_t n, long lineno)
{
	struct nftjson *st = state;
	st->whole = 0;
	st->curline = lineno;
	st->text = s;
	st->textlen = n;
	return feed(st, s, n);
}

static int nftjson_line(void *state, const char *s, size_t n, long lineno)
{
	struct nftjson *st = state;
	int rc;
	st->whole = st->curline != lineno;
	st->curline = lineno;
	st->text = s;
	st->textlen = n;
	rc = feed(st, s, n);
	if (rc == 0)
		rc = feed(st, "\n", 1);	/* ends a number at the line's end, here */
	st->text = NULL;
	st->textlen = 0;
	return rc;
}

static int nftjson_close(void *state)
{
	struct nftjson *st = state;
	int rc = st->failed == 1 ? -1 : 0;
	if (st->env != 3 && !st->failed) {
		yajl_status ys = yajl_complete_parse(st->y);
		if (ys != yajl_status_ok)
			rc = stopped(st, ys, NULL, 0);
		else if (st->env)	/* cannot happen: yajl says premature EOF */
			rc = stopped(st, yajl_status_error, NULL, 0);
	}
	drop_build(st);
	while (st->nwait > 0)
		json_decref(st->wait[--st->nwait].o);
	yajl_free(st->y);
	free(st->wait);
	free(st->pos);
	free(st->slot);
	free(st->types);
	free(st);
	return rc;
}

static int nftjson_probe(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '{')) {
		s++;
		n--;
	}
	return n >= 10 && memcmp(s, "\"nftables\"", 10) == 0 ? 2 : 0;
}

static void *nftjson_open(const struct nl_sink *sink)
{
	struct nftjson *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->sink = sink;
	st->y = yajl_alloc(&y_callbacks, NULL, st);
	if (!st->y) {
		free(st);
		return NULL;
	}
	yajl_config(st->y, yajl_allow_multiple_values, 1);
	return st;
}

static const char *const nftjson_samples[] = {
	"{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", \"release_name\": \"Lester Gooch #5\", "
	"\"json_schema_version\": 1}}, {\"table\": {\"family\": \"inet\", \"name\": \"filter\", "
	"\"handle\": 2}}]}",
	NULL,
};

const struct nl_parser nl_parser_nftjson = {
	.name = "nft-json",
	.probe = nftjson_probe,
	.open = nftjson_open,
	.line = nftjson_line,
	.part = nftjson_part,
	.close = nftjson_close,
	.samples = nftjson_samples,
};
