/*
 * iptrule.c - the iptables rule spec as iptables-save prints it
 * (print_rule4 / nft_rule_print_save in iptables/):
 *   -A DOCKER ! -i br0 -p tcp -m tcp --dport 10000 -j DNAT --to-destination 172.19.0.9:80
 * Only what can be checked against a logged packet is kept: addresses,
 * interfaces, protocol, ports, the target and its main argument, and
 * whether the rule has any match at all (the kernel's unconditional()).
 */
#include "natlog.h"
#include "parser.h"

#include <string.h>

#define MAXTOK 256

struct tok {
	char s[256];
};

/* Shell-like split: double quotes group, backslash escapes in quotes. */
static int split(const char *s, size_t n, struct tok *t, int max)
{
	size_t i = 0;
	int k = 0;
	while (i < n) {
		size_t o = 0;
		int quoted = 0;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= n)
			break;
		if (k >= max)
			return -1;
		while (i < n && (quoted || (s[i] != ' ' && s[i] != '\t'))) {
			char ch = s[i++];
			if (ch == '"') {
				quoted = !quoted;
				continue;
			}
			if (quoted && ch == '\\' && i < n)
				ch = s[i++];
			if (o + 1 < sizeof t[k].s)
				t[k].s[o++] = ch;
		}
		t[k].s[o] = '\0';
		k++;
	}
	return k;
}

static int ports(const char *v, int *lo, int *hi)
{
	uint64_t a, b;
	const char *colon = strchr(v, ':');
	if (!colon) {
		if (!nl_parse_u64(v, strlen(v), 65535, &a))
			return -1;
		*lo = *hi = (int)a;
		return 0;
	}
	if (colon == v)
		a = 0;
	else if (!nl_parse_u64(v, (size_t)(colon - v), 65535, &a))
		return -1;
	if (!colon[1])
		b = 65535;
	else if (!nl_parse_u64(colon + 1, strlen(colon + 1), 65535, &b))
		return -1;
	*lo = (int)a;
	*hi = (int)b;
	return 0;
}

/* ADDR[/BITS] as iptables-save prints -s and -d. */
static int valid_prefix(const char *v)
{
	return nl_addr_in_prefix("0.0.0.0", v) >= 0 || nl_addr_in_prefix("::", v) >= 0;
}

/* The first value that cannot be read is the one reported. */
static void bad_value(struct nl_err *err, int *bad, const char *what, const char *v)
{
	if (!(*bad)++)
		nl_err_set(err, "bad %s '%s'", what, v);
}

static int is_opt(const char *t, const char *shortopt, const char *longopt)
{
	return strcmp(t, shortopt) == 0 || strcmp(t, longopt) == 0;
}

int iptrule_parse_spec(const char *spec, size_t n, struct nl_rule *r, struct nl_err *err)
{
	static struct tok t[MAXTOK];	/* parsing is single-threaded */
	int k = split(spec, n, t, MAXTOK), i, neg = 0, matches = 0, in_target = 0, bad = 0;
	int words_cut = k < 0;

	if (k < 0) {
		/* split() filled every word it could: read those */
		k = MAXTOK;
		bad = 1;
		nl_err_set(err, "rule has more than %d words; the rest is left out", MAXTOK);
	}
	r->uncond = 1;
	for (i = 0; i < k; i++) {
		const char *o = t[i].s;
		const char *v = i + 1 < k ? t[i + 1].s : NULL;

		if (strcmp(o, "!") == 0) {
			neg = 1;
			continue;
		}
		/* iptables that does not know the kernel's revision of a match
		 * or target prints this in place of its options (xshared.c) */
		if (strcmp(o, "[unsupported") == 0 && v && strcmp(v, "revision]") == 0) {
			if (!bad++)
				nl_err_set(err, "iptables printed '[unsupported revision]' in place of "
					   "the %s's options: what they are is unknown",
					   in_target ? "target" : "match");
			i++;
			continue;
		}
		if (in_target) {
			if (v && (strcmp(o, "--to-destination") == 0 || strcmp(o, "--to-source") == 0 ||
				  strcmp(o, "--to-ports") == 0 || strcmp(o, "--to") == 0 ||
				  strcmp(o, "--log-prefix") == 0 || strcmp(o, "--reject-with") == 0 ||
				  strcmp(o, "--queue-num") == 0 || strcmp(o, "--set-xmark") == 0 ||
				  strcmp(o, "--set-mark") == 0)) {
				if (!r->target_arg[0])
					nl_strlcpy(r->target_arg, v, sizeof r->target_arg);
				i++;
			}
			continue;
		}
		if (is_opt(o, "-A", "--append") && v) {
			nl_strlcpy(r->chain, v, sizeof r->chain);
			i++;
		} else if (is_opt(o, "-s", "--source") && v) {
			if (valid_prefix(v)) {
				nl_strlcpy(r->src, v, sizeof r->src);
				r->src_neg = neg;
			} else {
				bad_value(err, &bad, "address", v);
			}
			r->uncond = 0;
			i++;
		} else if (is_opt(o, "-d", "--destination") && v) {
			if (valid_prefix(v)) {
				nl_strlcpy(r->dst, v, sizeof r->dst);
				r->dst_neg = neg;
			} else {
				bad_value(err, &bad, "address", v);
			}
			r->uncond = 0;
			i++;
		} else if (is_opt(o, "-i", "--in-interface") && v) {
			nl_strlcpy(r->iif, v, sizeof r->iif);
			r->iif_neg = neg;
			r->uncond = 0;
			i++;
		} else if (is_opt(o, "-o", "--out-interface") && v) {
			nl_strlcpy(r->oif, v, sizeof r->oif);
			r->oif_neg = neg;
			r->uncond = 0;
			i++;
		} else if (is_opt(o, "-p", "--protocol") && v) {
			int p = nl_proto_number(v);
			if (strcmp(v, "all") != 0 && p != 0) {
				if (p < 0) {
					if (!bad++)
						nl_err_set(err, "unknown protocol '%s'", v);
				} else {
					r->proto = p;
					r->proto_neg = neg;
				}
				r->uncond = 0;
			}
			i++;
		} else if (is_opt(o, "-f", "--fragment")) {
			r->uncond = 0;
		} else if (is_opt(o, "-m", "--match") && v) {
			matches++;
			r->uncond = 0;
			i++;
		} else if ((strcmp(o, "--dport") == 0 || strcmp(o, "--destination-port") == 0) && v) {
			if (ports(v, &r->dport_lo, &r->dport_hi))
				bad_value(err, &bad, "port", v);
			else
				r->dport_neg = neg;
			i++;
		} else if ((strcmp(o, "--sport") == 0 || strcmp(o, "--source-port") == 0) && v) {
			if (ports(v, &r->sport_lo, &r->sport_hi))
				bad_value(err, &bad, "port", v);
			else
				r->sport_neg = neg;
			i++;
		} else if ((is_opt(o, "-j", "--jump") || is_opt(o, "-g", "--goto")) && v) {
			nl_strlcpy(r->target, v, sizeof r->target);
			r->is_goto = o[1] == 'g' || o[2] == 'g';
			in_target = 1;
			i++;
		} else if (is_opt(o, "-c", "--set-counters") && i + 2 < k) {
			uint64_t a, b;
			if (nl_parse_u64(t[i + 1].s, strlen(t[i + 1].s), INT64_MAX, &a) &&
			    nl_parse_u64(t[i + 2].s, strlen(t[i + 2].s), INT64_MAX, &b)) {
				r->pkts = (int64_t)a;
				r->bytes = (int64_t)b;
			}
			i += 2;
		}
		/* other match options belong to a -m and need no checking here */
		neg = 0;
	}
	(void)matches;
	if (!r->chain[0])
		return nl_err_set(err, "rule has no -A CHAIN");
	/* its -j may be in what was left out: not "no target", which continues */
	if (words_cut && !r->target[0])
		nl_strlcpy(r->target, "?", sizeof r->target);
	return bad ? 1 : 0;
}
