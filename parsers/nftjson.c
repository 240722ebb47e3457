/*
 * nftjson.c - `nft -j list ruleset` (libnftables JSON: nftables
 * doc/libnftables-json.adoc, src/json.c), one document, usually one line:
 *   {"nftables": [{"metainfo": {...}}, {"table": {...}}, {"chain": {...}},
 *    {"rule": {"family": "inet", "table": "filter", "chain": "forward", "handle": 36,
 *     "expr": [{"match": {"op": "in", "left": {"ct": {"key": "status"}}, "right": "dnat"}},
 *              {"jump": {"target": "allowed_dnats"}}]}}]}
 * Lines are collected and parsed at close. A rule's text is written back in
 * the syntax `nft list ruleset` prints, so that the text and the JSON dump of
 * one ruleset give the same rules (nftrules.c reads the text).
 */
#include "natlog.h"
#include "parser.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define NFTJSON_MAX ((size_t)256 << 20)

struct chainpos {
	uint64_t key;
	int n;
};

struct nftjson {
	const struct nl_sink *sink;
	char *buf;			/* the document, one '\n' per input line */
	size_t len, cap;
	long lastline;
	int over;
	int started;
	struct chainpos *pos;
	size_t npos, cappos;
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

enum { X_QUOTE = 1, X_HEX = 2 };

static const char *const unqualified_meta[] = {
	"iifname", "oifname", "iif", "oif", "iifgroup", "oifgroup", NULL,
};
static const char *const l4_protos[] = {
	"tcp", "udp", "udplite", "sctp", "dccp", "icmp", "icmpv6", "igmp", "ah", "esp", "gre", NULL,
};

static void render(struct sb *s, const json_t *e, int fl, int *unknown);

static void render_join(struct sb *s, const json_t *a, const char *sep, int fl, int *unknown)
{
	size_t i;
	for (i = 0; i < json_array_size(a); i++) {
		if (i)
			sb_put(s, sep);
		render(s, json_array_get(a, i), fl, unknown);
	}
}

/* Flags for what is compared with left: names in quotes, marks in hex. */
static int value_flags(const json_t *left)
{
	json_t *v;
	const char *k = jkind(left, &v);
	const char *key = k ? jstr(v, "key") : NULL;
	static const char *const quoted[] = { "iifname", "oifname", "iif", "oif", "ibrname", "obrname",
					      "iifkind", "oifkind", "sdifname", NULL };
	if (!key)
		return 0;
	if (strcmp(k, "meta") == 0 && in_strs(key, quoted))
		return X_QUOTE;
	if (strcmp(k, "ct") == 0 && strcmp(key, "helper") == 0)
		return X_QUOTE;
	if ((strcmp(k, "meta") == 0 || strcmp(k, "ct") == 0) && strcmp(key, "mark") == 0)
		return X_HEX;
	return 0;
}

static void render(struct sb *s, const json_t *e, int fl, int *unknown)
{
	json_t *v;
	const char *k;

	if (json_is_string(e)) {
		const char *x = json_string_value(e);
		if ((fl & X_QUOTE) && x[0] != '@')
			sb_fmt(s, "\"%s\"", x);
		else
			sb_put(s, x);
		return;
	}
	if (json_is_integer(e)) {
		if (fl & X_HEX)
			sb_fmt(s, "0x%08" PRIx64, (uint64_t)json_integer_value(e));
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
		render_join(s, e, ",", fl, unknown);	/* a flag list: established,related */
		return;
	}
	k = jkind(e, &v);
	if (!k) {
		(*unknown)++;
		return;
	}
	if (strcmp(k, "set") == 0 && json_is_array(v)) {
		size_t i;
		sb_put(s, "{ ");
		for (i = 0; i < json_array_size(v); i++) {
			const json_t *it = json_array_get(v, i);
			if (i)
				sb_put(s, ", ");
			if (json_is_array(it) && json_array_size(it) == 2) {
				render(s, json_array_get(it, 0), fl, unknown);
				sb_put(s, " : ");
				render(s, json_array_get(it, 1), fl & ~X_QUOTE, unknown);
			} else {
				render(s, it, fl, unknown);
			}
		}
		sb_put(s, " }");
	} else if (strcmp(k, "set") == 0) {
		render(s, v, fl, unknown);
	} else if (strcmp(k, "range") == 0 && json_array_size(v) == 2) {
		render(s, json_array_get(v, 0), fl, unknown);
		sb_put(s, "-");
		render(s, json_array_get(v, 1), fl, unknown);
	} else if (strcmp(k, "prefix") == 0) {
		render(s, json_object_get(v, "addr"), fl, unknown);
		sb_put(s, "/");
		render(s, json_object_get(v, "len"), 0, unknown);
	} else if (strcmp(k, "concat") == 0 && json_is_array(v)) {
		render_join(s, v, " . ", fl, unknown);
	} else if (strcmp(k, "payload") == 0 && jstr(v, "protocol") && jstr(v, "field")) {
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
			render_join(s, f, " . ", 0, unknown);
		else
			render(s, f, 0, unknown);
		sb_fmt(s, " %s", jstr(v, "result") ? jstr(v, "result") : "");
	} else if ((strcmp(k, "rt") == 0 || strcmp(k, "socket") == 0 || strcmp(k, "osf") == 0) &&
		   jstr(v, "key")) {
		sb_fmt(s, "%s ", k);
		if (jstr(v, "family"))
			sb_fmt(s, "%s ", jstr(v, "family"));
		sb_put(s, jstr(v, "key"));
	} else if (strcmp(k, "tcp option") == 0 && jstr(v, "name")) {
		sb_fmt(s, "tcp option %s", jstr(v, "name"));
		if (jstr(v, "field"))
			sb_fmt(s, " %s", jstr(v, "field"));
	} else if (strcmp(k, "map") == 0) {
		render(s, json_object_get(v, "key"), 0, unknown);
		sb_put(s, " map ");
		render(s, json_object_get(v, "data"), 0, unknown);
	} else if ((strcmp(k, "&") == 0 || strcmp(k, "|") == 0 || strcmp(k, "^") == 0 ||
		    strcmp(k, "<<") == 0 || strcmp(k, ">>") == 0) && json_array_size(v) == 2) {
		const json_t *a = json_array_get(v, 0);
		render(s, a, fl, unknown);
		sb_fmt(s, " %s ", k);
		render(s, json_array_get(v, 1), fl | value_flags(a), unknown);
	} else if (strcmp(k, "elem") == 0) {
		render(s, json_object_get(v, "val"), fl, unknown);
	} else if (strcmp(k, "accept") == 0 || strcmp(k, "drop") == 0 || strcmp(k, "continue") == 0 ||
		   strcmp(k, "return") == 0) {
		sb_put(s, k);
	} else if ((strcmp(k, "jump") == 0 || strcmp(k, "goto") == 0) && jstr(v, "target")) {
		sb_fmt(s, "%s %s", k, jstr(v, "target"));
	} else if (strcmp(k, "numgen") == 0 && jstr(v, "mode")) {
		sb_fmt(s, "numgen %s mod %" JSON_INTEGER_FORMAT, jstr(v, "mode"),
		       json_integer_value(json_object_get(v, "mod")));
		if (json_integer_value(json_object_get(v, "offset")))
			sb_fmt(s, " offset %" JSON_INTEGER_FORMAT,
			       json_integer_value(json_object_get(v, "offset")));
	} else {
		sb_put(s, k);
		(*unknown)++;
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
	if (!k || !json_is_array(v) || json_array_size(v) != 2 ||
	    !in_strs(k, (const char *const[]){ "&", "|", "^", "<<", ">>", NULL }))
		return 0;
	*a = json_array_get(v, 0);
	*b = json_array_get(v, 1);
	*op = k;
	return 1;
}

static void render_match(struct sb *s, const json_t *m, int *unknown)
{
	const json_t *left = json_object_get(m, "left"), *right = json_object_get(m, "right");
	const json_t *a, *b;
	const char *op = jstr(m, "op"), *bop;
	int scalar = json_is_string(right) || json_is_integer(right) || json_is_array(right);
	int binop = is_binop(left, &a, &b, &bop);

	if (!op)
		op = "==";
	if (binop && strcmp(bop, "&") == 0 && is_bitmask(a) && (json_is_array(b) || json_is_string(b)) &&
	    scalar) {
		/* tcp flags syn / fin,syn,rst,ack */
		render(s, a, 0, unknown);
		sb_put(s, strcmp(op, "!=") == 0 ? " != " : " ");
		render(s, right, 0, unknown);
		sb_put(s, " / ");
		render(s, b, 0, unknown);
		return;
	}
	render(s, left, 0, unknown);
	sb_put(s, " ");
	if (strcmp(op, "in") != 0 &&
	    (strcmp(op, "==") != 0 || (scalar && (binop || is_bitmask(left)))))
		sb_fmt(s, "%s ", op);
	render(s, right, value_flags(binop ? a : left), unknown);
}

/* "192.168.70.10:22", "[fd00::2]:8080", ":8080" */
static void render_nat_arg(struct sb *s, const json_t *v, int *unknown)
{
	const json_t *addr = json_object_get(v, "addr"), *port = json_object_get(v, "port");
	if (addr) {
		int v6 = port && json_is_string(addr) && strchr(json_string_value(addr), ':');
		if (v6)
			sb_put(s, "[");
		render(s, addr, 0, unknown);
		if (v6)
			sb_put(s, "]");
	}
	if (port) {
		sb_put(s, ":");
		render(s, port, 0, unknown);
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

static void render_limit(struct sb *s, const json_t *v)
{
	const char *unit = jstr(v, "rate_unit"), *per = jstr(v, "per");
	json_int_t burst = json_integer_value(json_object_get(v, "burst"));
	int bytes = unit && strcmp(unit, "packets") != 0;

	sb_fmt(s, "limit rate %s%" JSON_INTEGER_FORMAT, json_is_true(json_object_get(v, "inv")) ? "over " : "",
	       json_integer_value(json_object_get(v, "rate")));
	if (bytes)
		sb_fmt(s, " %s", unit);
	sb_fmt(s, "/%s", per ? per : "second");
	if (!bytes && burst && burst != 5)
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

/* Writes statement st as nft prints it and notes what it does to r.
 * *have_target: a verdict or NAT was seen (a log no longer names the target). */
static void statement(struct sb *s, struct nl_rule *r, const json_t *st, int *match, int *have_target,
		      int *unknown)
{
	json_t *v;
	const char *k = jkind(st, &v);
	char arg[256];
	struct sb a = { arg, sizeof arg, 0, 0 };

	arg[0] = '\0';
	if (!k) {
		(*unknown)++;
		*match = 1;
		return;
	}
	if (strcmp(k, "match") == 0) {
		render_match(s, v, unknown);
		match_fields(r, v);
		*match = 1;
	} else if (strcmp(k, "vmap") == 0) {
		render(s, json_object_get(v, "key"), 0, unknown);
		sb_put(s, " vmap ");
		render(s, json_object_get(v, "data"), 0, unknown);
		l4_from(r, json_object_get(v, "key"));
		*match = 1;
	} else if (strcmp(k, "accept") == 0 || strcmp(k, "drop") == 0 || strcmp(k, "continue") == 0 ||
		   strcmp(k, "return") == 0) {
		sb_put(s, k);
		set_target(r, k, NULL);
		*have_target = 1;
	} else if (strcmp(k, "jump") == 0 || strcmp(k, "goto") == 0) {
		render(s, st, 0, unknown);
		set_target(r, k, jstr(v, "target"));
		r->is_goto = k[0] == 'g';
		*have_target = 1;
	} else if (strcmp(k, "reject") == 0) {
		const char *type = jstr(v, "type"), *code = jstr(v, "expr");
		sb_put(s, "reject");
		if (type && !(code && strcmp(code, "port-unreachable") == 0)) {
			sb_fmt(&a, "%s%s%s", type, code ? " " : "", code ? code : "");
			sb_fmt(s, " with %s", arg);
		} else {
			arg[0] = '\0';
		}
		set_target(r, "reject", arg);
		*have_target = 1;
	} else if (strcmp(k, "queue") == 0) {
		const json_t *f = json_object_get(v, "flags"), *num = json_object_get(v, "num");
		sb_put(s, "queue");
		if (f) {
			sb_put(s, " flags ");
			render(s, f, 0, unknown);
		}
		if (num) {
			render(&a, num, 0, unknown);
			sb_fmt(s, " to %s", arg);
		}
		set_target(r, "queue", arg);
		*have_target = 1;
	} else if (strcmp(k, "dnat") == 0 || strcmp(k, "snat") == 0 || strcmp(k, "masquerade") == 0 ||
		   strcmp(k, "redirect") == 0) {
		const json_t *f = json_object_get(v, "flags");
		sb_put(s, k);
		if (jstr(v, "family"))
			sb_fmt(s, " %s", jstr(v, "family"));
		if (json_object_get(v, "addr") || json_object_get(v, "port")) {
			render_nat_arg(&a, v, unknown);
			sb_fmt(s, " to %s", arg);
		}
		if (f) {
			sb_put(s, " ");
			render(s, f, 0, unknown);
		}
		set_target(r, k, arg);
		*have_target = 1;
	} else if (strcmp(k, "counter") == 0) {
		if (json_is_string(v))
			sb_fmt(s, "counter name \"%s\"", json_string_value(v));
		else if (json_is_object(v)) {
			const json_t *pk = json_object_get(v, "packets"), *by = json_object_get(v, "bytes");
			sb_fmt(s, "counter packets %" JSON_INTEGER_FORMAT " bytes %" JSON_INTEGER_FORMAT,
			       json_integer_value(pk), json_integer_value(by));
			/* the evidence that the rule ran */
			if (json_is_integer(pk) && json_is_integer(by) && json_integer_value(pk) >= 0 &&
			    json_integer_value(by) >= 0) {
				r->pkts = (int64_t)json_integer_value(pk);
				r->bytes = (int64_t)json_integer_value(by);
			}
		}
		else
			sb_put(s, "counter");
	} else if (strcmp(k, "log") == 0) {
		render_log(s, v);
		if (!*have_target)
			set_target(r, "log", jstr(v, "prefix"));
	} else if (strcmp(k, "mangle") == 0) {
		const json_t *key = json_object_get(v, "key");
		render(s, key, 0, unknown);
		sb_put(s, " set ");
		render(s, json_object_get(v, "value"), value_flags(key) & X_HEX, unknown);
	} else if (strcmp(k, "set") == 0 && json_is_object(v)) {
		sb_fmt(s, "%s %s { ", jstr(v, "op") ? jstr(v, "op") : "add", jstr(v, "set") ? jstr(v, "set") : "");
		render(s, json_object_get(v, "elem"), 0, unknown);
		sb_put(s, " }");
	} else if (strcmp(k, "ct helper") == 0 || strcmp(k, "ct timeout") == 0 ||
		   strcmp(k, "ct expectation") == 0) {
		sb_fmt(s, "%s set ", k);
		render(s, v, X_QUOTE, unknown);
	} else if (strcmp(k, "notrack") == 0) {
		sb_put(s, "notrack");
	} else if (strcmp(k, "flow") == 0) {
		sb_fmt(s, "flow %s %s", jstr(v, "op") ? jstr(v, "op") : "add",
		       jstr(v, "flowtable") ? jstr(v, "flowtable") : "");
	} else if (strcmp(k, "dup") == 0 || strcmp(k, "fwd") == 0) {
		sb_fmt(s, "%s to ", k);
		render(s, json_object_get(v, "addr") ? json_object_get(v, "addr") : json_object_get(v, "dev"),
		       json_object_get(v, "addr") ? 0 : X_QUOTE, unknown);
		if (json_object_get(v, "addr") && json_object_get(v, "dev")) {
			sb_put(s, " device ");
			render(s, json_object_get(v, "dev"), X_QUOTE, unknown);
		}
	} else if (strcmp(k, "xt") == 0) {
		/* iptables-nft compat: JSON names only the extension */
		sb_fmt(s, "xt %s %s", jstr(v, "type") ? jstr(v, "type") : "",
		       jstr(v, "name") ? jstr(v, "name") : "");
		if (!jis(json_object_get(v, "type"), "target"))
			*match = 1;
	} else if (strcmp(k, "limit") == 0) {
		render_limit(s, v);
		*match = 1;
	} else if (strcmp(k, "quota") == 0) {
		sb_fmt(s, "quota %s%" JSON_INTEGER_FORMAT " %s", json_is_true(json_object_get(v, "inv")) ? "over " : "",
		       json_integer_value(json_object_get(v, "val")),
		       jstr(v, "val_unit") ? jstr(v, "val_unit") : "bytes");
		*match = 1;
	} else {
		sb_put(s, k);
		(*unknown)++;
		*match = 1;
	}
}

static uint64_t chain_key(const char *fam, const char *tab, const char *chain)
{
	uint64_t h = nl_hash64(fam, strlen(fam) + 1, NL_HASH_INIT);
	h = nl_hash64(tab, strlen(tab) + 1, h);
	return nl_hash64(chain, strlen(chain), h);
}

/* The next position in a chain: rules come in chain order. */
static int next_position(struct nftjson *st, uint64_t key)
{
	size_t i = st->npos;
	while (i-- > 0)
		if (st->pos[i].key == key)
			return ++st->pos[i].n;
	if (st->npos == st->cappos) {
		size_t cap = st->cappos ? st->cappos * 2 : 64;
		struct chainpos *n = realloc(st->pos, cap * sizeof *n);
		if (!n)
			return -1;
		st->pos = n;
		st->cappos = cap;
	}
	st->pos[st->npos].key = key;
	st->pos[st->npos].n = 1;
	st->npos++;
	return 1;
}

static int names_ok(const struct nl_sink *k, const char *fam, const char *tab, const char *name,
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
	k->error(k->ctx, 0, msg, NULL, 0);
	return 0;
}

static int do_rule(struct nftjson *st, const json_t *o)
{
	const struct nl_sink *k = st->sink;
	const char *fam = jstr(o, "family"), *tab = jstr(o, "table"), *chain = jstr(o, "chain");
	const json_t *expr = json_object_get(o, "expr"), *h = json_object_get(o, "handle");
	struct nl_rule *r = &st->rule;
	struct sb s = { r->text, sizeof r->text, 0, 0 };
	int match = 0, have_target = 0, unknown = 0, pos;
	size_t i;

	if (!names_ok(k, fam, tab, chain, sizeof r->chain, "rule"))
		return 0;
	pos = next_position(st, chain_key(fam, tab, chain));
	if (pos < 0)
		return -1;
	nl_rule_init(r);
	r->position = pos;
	r->handle = json_is_integer(h) && json_integer_value(h) >= 0 ? json_integer_value(h) : -1;
	nl_strlcpy(r->family, fam, sizeof r->family);
	nl_strlcpy(r->table, tab, sizeof r->table);
	nl_strlcpy(r->chain, chain, sizeof r->chain);
	if (!json_is_array(expr))
		return k->error(k->ctx, 0, "rule without an expr array", NULL, 0);
	for (i = 0; i < json_array_size(expr); i++) {
		if (i)
			sb_put(&s, " ");
		statement(&s, r, json_array_get(expr, i), &match, &have_target, &unknown);
	}
	if (jstr(o, "comment"))
		sb_fmt(&s, " comment \"%s\"", jstr(o, "comment"));
	if (s.over)
		return k->error(k->ctx, 0, "rule is longer than 1023 bytes", NULL, 0);
	r->uncond = !match;
	return k->rule(k->ctx, r);
}

static int do_chain(struct nftjson *st, const json_t *o)
{
	const struct nl_sink *k = st->sink;
	struct nl_chain_info ci;
	const json_t *prio = json_object_get(o, "prio"), *h = json_object_get(o, "handle");

	memset(&ci, 0, sizeof ci);
	ci.family = jstr(o, "family");
	ci.table = jstr(o, "table");
	ci.name = jstr(o, "name");
	if (!names_ok(k, ci.family, ci.table, ci.name, 64, "chain"))
		return 0;
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
static void render_type(struct sb *s, const json_t *t, int *unknown)
{
	json_t *v;
	const char *k = jkind(t, &v);
	if (json_is_array(t)) {
		render_join(s, t, " . ", 0, unknown);
	} else if (k && strcmp(k, "typeof") == 0) {
		sb_put(s, "typeof ");
		render(s, v, 0, unknown);
	} else {
		render(s, t, 0, unknown);
	}
}

static int do_set(struct nftjson *st, const json_t *o, int is_map)
{
	const struct nl_sink *k = st->sink;
	const json_t *elems = json_object_get(o, "elem"), *h = json_object_get(o, "handle");
	const json_t *flags = json_object_get(o, "flags");
	char type[256], map[256], fl[128], key[1024], val[1024];
	struct sb ts = { type, sizeof type, 0, 0 }, ms = { map, sizeof map, 0, 0 };
	struct sb fs = { fl, sizeof fl, 0, 0 };
	struct nl_set_info si;
	int unknown = 0, hex;
	size_t i;

	si.family = jstr(o, "family");
	si.table = jstr(o, "table");
	si.name = jstr(o, "name");
	if (!names_ok(k, si.family, si.table, si.name, 64, is_map ? "map" : "set"))
		return 0;
	type[0] = map[0] = fl[0] = '\0';
	render_type(&ts, json_object_get(o, "type"), &unknown);
	if (is_map)
		render_type(&ms, json_object_get(o, "map"), &unknown);
	if (flags)
		render(&fs, flags, 0, &unknown);
	si.type = type;
	si.map_type = is_map ? map : NULL;
	si.flags = fl;
	si.handle = json_is_integer(h) && json_integer_value(h) >= 0 ? json_integer_value(h) : -1;
	if (k->set(k->ctx, &si))
		return -1;
	hex = strcmp(map, "mark") == 0 || (strlen(map) > 5 && strcmp(map + strlen(map) - 5, " mark") == 0);
	for (i = 0; i < json_array_size(elems); i++) {
		const json_t *e = json_array_get(elems, i), *kv = e, *vv = NULL;
		struct sb kb = { key, sizeof key, 0, 0 }, vb = { val, sizeof val, 0, 0 };
		struct nl_set_elem el;
		key[0] = val[0] = '\0';
		if (is_map) {
			if (!json_is_array(e) || json_array_size(e) != 2) {
				if (k->error(k->ctx, 0, "map element is not [key, value]", NULL, 0))
					return -1;
				continue;
			}
			kv = json_array_get(e, 0);
			vv = json_array_get(e, 1);
			render(&vb, vv, hex ? X_HEX : 0, &unknown);
		}
		render(&kb, kv, 0, &unknown);
		if (kb.over || vb.over) {
			if (k->error(k->ctx, 0, "set element longer than 1023 bytes", NULL, 0))
				return -1;
			continue;
		}
		el.family = si.family;
		el.table = si.table;
		el.set = si.name;
		el.key = key;
		el.value = is_map ? val : NULL;
		if (k->element(k->ctx, &el))
			return -1;
	}
	return 0;
}

static int do_document(struct nftjson *st, const json_t *root)
{
	static const char *const skipped[] = { "metainfo", "counter", "quota", "limit", "ct helper",
					       "ct timeout", "ct expectation", "flowtable", "secmark",
					       "synproxy", "tunnel", "element", NULL };
	const struct nl_sink *k = st->sink;
	const json_t *arr = json_object_get(root, "nftables");
	size_t i;

	if (!json_is_array(arr))
		return k->error(k->ctx, 0, "not nft JSON: no \"nftables\" array", NULL, 0);
	st->started = 0;
	st->npos = 0;
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *v;
		const char *kind = jkind(json_array_get(arr, i), &v);
		int rc = 0;
		if (!kind || !json_is_object(v)) {
			if (k->error(k->ctx, 0, "nft JSON item is not {\"kind\": {...}}", NULL, 0))
				return -1;
			continue;
		}
		if (in_strs(kind, skipped))
			continue;
		if (!st->started) {
			st->started = 1;
			if (k->ruleset(k->ctx, "nft-json", 0))
				return -1;
		}
		if (strcmp(kind, "table") == 0)
			continue;
		if (strcmp(kind, "chain") == 0)
			rc = do_chain(st, v);
		else if (strcmp(kind, "rule") == 0)
			rc = do_rule(st, v);
		else if (strcmp(kind, "set") == 0 || strcmp(kind, "map") == 0)
			rc = do_set(st, v, kind[0] == 'm');
		else {
			char msg[96];
			snprintf(msg, sizeof msg, "unknown nft JSON object '%.40s'", kind);
			rc = k->error(k->ctx, 0, msg, NULL, 0);
		}
		if (rc)
			return -1;
	}
	return 0;
}

/* ---- the parser ---------------------------------------------------------- */

static int append(struct nftjson *st, const char *s, size_t n)
{
	if (st->len + n + 1 > NFTJSON_MAX)
		return -1;
	if (st->len + n + 1 > st->cap) {
		size_t cap = st->cap ? st->cap : 65536;
		char *b;
		while (cap < st->len + n + 1)
			cap *= 2;
		if (cap > NFTJSON_MAX)
			cap = NFTJSON_MAX;
		b = realloc(st->buf, cap);
		if (!b)
			return -2;
		st->buf = b;
		st->cap = cap;
	}
	memcpy(st->buf + st->len, s, n);
	st->len += n;
	st->buf[st->len] = '\0';
	return 0;
}

static int nftjson_line(void *state, const char *s, size_t n, long lineno)
{
	struct nftjson *st = state;
	int rc = 0;
	if (st->over)
		return 0;
	/* one '\n' per input line, so JSON error lines are file lines */
	while (rc == 0 && st->lastline < lineno - 1) {
		rc = append(st, "\n", 1);
		st->lastline++;
	}
	if (rc == 0)
		rc = append(st, s, n);
	if (rc == 0)
		rc = append(st, "\n", 1);
	st->lastline = lineno;
	if (rc == -2)
		return -1;
	if (rc) {
		st->over = 1;
		return st->sink->error(st->sink->ctx, lineno, "nft JSON document larger than 256 MiB", NULL, 0);
	}
	return 0;
}

static int parse_all(struct nftjson *st)
{
	const struct nl_sink *k = st->sink;
	size_t off = 0;
	long line = 1;

	while (off < st->len) {
		json_error_t e;
		json_t *root;
		size_t i;
		while (off < st->len && (st->buf[off] == ' ' || st->buf[off] == '\t' ||
					 st->buf[off] == '\n' || st->buf[off] == '\r')) {
			if (st->buf[off] == '\n')
				line++;
			off++;
		}
		if (off >= st->len)
			break;
		root = json_loadb(st->buf + off, st->len - off, JSON_DISABLE_EOF_CHECK, &e);
		if (!root) {
			char msg[256];
			size_t at = off + (e.position > 0 ? (size_t)e.position : 0), b, end;
			if (at > st->len)
				at = st->len;
			for (b = at; b > 0 && st->buf[b - 1] != '\n'; b--)
				;
			for (end = at; end < st->len && st->buf[end] != '\n'; end++)
				;
			snprintf(msg, sizeof msg, "bad JSON: %s", e.text);
			line += e.line > 0 ? e.line - 1 : 0;
			if (line > st->lastline)	/* the end of the input is on the last line */
				line = st->lastline;
			return k->error(k->ctx, line, msg, st->buf + b, end - b);
		}
		for (i = off; i < off + (size_t)e.position && i < st->len; i++)
			line += st->buf[i] == '\n';
		off += (size_t)e.position;
		if (do_document(st, root)) {
			json_decref(root);
			return -1;
		}
		json_decref(root);
	}
	return 0;
}

static int nftjson_close(void *state)
{
	struct nftjson *st = state;
	int rc = 0;
	if (!st->over && st->len > 0)
		rc = parse_all(st);
	free(st->buf);
	free(st->pos);
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
	.close = nftjson_close,
	.samples = nftjson_samples,
	.max_line = NFTJSON_MAX,
};
