/*
 * nfttrace.c - `nft monitor trace` output (nftables src/trace.c,
 * trace_print_hdr / trace_print_packet / trace_print_rule / _verdict /
 * _policy; kernel net/netfilter/nf_tables_trace.c), e.g.
 *   trace id 1fb99edd inet filter forward packet: iif "g0" oif "g1" ether saddr ...
 *     ip saddr 10.77.1.2 ip daddr 10.77.2.10 ... ip id 41973 ... tcp dport 22 tcp flags == syn
 *   trace id 1fb99edd inet filter allowed_dnats rule counter packets 0 bytes 0 drop # handle 6 (verdict drop)
 *   trace id 1fb99edd inet trace_debug trace_pre policy accept
 * nft 1.1.4+ prints the packet's conntrack entry on a line of its own just
 * before the packet line (trace_print_ct); it is kept with that packet line.
 * Rule lines are split with a PCRE2 pattern anchored at the end, since a
 * rule's text may itself hold parentheses and '#'.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "natlog.h"
#include "cursor.h"
#include "parser.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

/* A `conntrack:` line waiting for the packet line printed after it. */
struct pending_ct {
	int have;
	long line;
	char hdr[256];			/* "trace id X fam table chain " */
	size_t hdrn;
	char dir[12], state[48], status[128];
	int64_t id;
	char raw[512];
	size_t rawn;
};

struct nfttrace {
	const struct nl_sink *sink;
	pcre2_code *rule_re;
	pcre2_match_data *md;
	struct pending_ct ct;
	struct nl_event ev;
};

#define MAXTOK 160

struct tok {
	const char *s;
	size_t n;
};

static int split(const char *s, size_t n, struct tok *t, int max)
{
	size_t i = 0;
	int k = 0;
	while (i < n && k < max) {
		size_t b;
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		b = i;
		if (s[i] == '"') {
			i++;
			while (i < n && s[i] != '"')
				i++;
			if (i < n)
				i++;
		} else {
			while (i < n && s[i] != ' ')
				i++;
		}
		t[k].s = s + b;
		t[k].n = i - b;
		k++;
	}
	return k;
}

static int teq(const struct tok *t, const char *w)
{
	size_t n = strlen(w);
	return t->n == n && memcmp(t->s, w, n) == 0;
}

static int tnum(const struct tok *t, uint64_t max, uint64_t *v)
{
	return nl_parse_u64(t->s, t->n, max, v) || nl_parse_hex(t->s, t->n, max, v);
}

static int flag_bits(const struct tok *t)
{
	static const struct { const char *n; int bit; } f[] = {
		{ "fin", NL_TCP_FIN }, { "syn", NL_TCP_SYN }, { "rst", NL_TCP_RST },
		{ "psh", NL_TCP_PSH }, { "ack", NL_TCP_ACK }, { "urg", NL_TCP_URG },
		{ "ecn", NL_TCP_ECE }, { "cwr", NL_TCP_CWR },
	};
	uint64_t v;
	size_t i;
	/* nft prints the 8-bit flags field; natlog's mask has room for AE */
	if (t->n > 2 && t->s[0] == '0' && t->s[1] == 'x' && nl_parse_hex(t->s, t->n, 0x1ff, &v))
		return (int)v;
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if (teq(t, f[i].n))
			return f[i].bit;
	return -1;
}

/* "ip saddr t" (proto, field, t): one blanked out before pasting is
 * unknown and kept as printed, as a LOG line's is. */
static int set_addr(struct nl_pkt *p, char *dst, const struct tok *proto, const struct tok *field,
		    const struct tok *t, struct nl_err *err)
{
	int fam;
	if (nl_addr_canon(t->s, t->n, &fam, dst, NL_ADDRSIZ)) {
		char kept[80];
		dst[0] = '\0';
		if (nl_redacted(t->s, t->n, 1)) {
			int n = snprintf(kept, sizeof kept, "%.*s %.*s %.*s", (int)proto->n, proto->s,
					 (int)field->n, field->s, (int)(t->n > 48 ? 48 : t->n), t->s);
			pktlog_extra_add(p, kept, n > 0 && (size_t)n < sizeof kept ? (size_t)n : 0);
			return 0;
		}
		return nl_err_set(err, "'%.*s' is not an IP address", (int)(t->n > 48 ? 48 : t->n), t->s);
	}
	if (p->family && p->family != fam)
		return nl_err_set(err, "saddr and daddr are of different families");
	p->family = fam;
	return 0;
}

/* The header fields of a packet: line: "proto field [==] value" triples. */
static int parse_packet(const char *s, size_t n, struct nl_pkt *p, struct nl_err *err)
{
	struct tok t[MAXTOK];
	int k = split(s, n, t, MAXTOK), i = 0;
	uint64_t v;

	while (i < k) {
		const struct tok *a = &t[i];
		if ((teq(a, "iif") || teq(a, "oif")) && i + 1 < k) {
			const struct tok *b = &t[i + 1];
			const char *name = b->s;
			size_t nn = b->n;
			if (nn >= 2 && name[0] == '"') {
				name++;
				nn -= 2;
			}
			if (nn >= NL_IFNAMSIZ)
				return nl_err_set(err, "interface name too long");
			nl_strlcpyn(teq(a, "iif") ? p->iif : p->oif, name, nn, NL_IFNAMSIZ);
			i += 2;
			continue;
		}
		if (i + 2 < k && (teq(a, "ip") || teq(a, "ip6") || teq(a, "tcp") || teq(a, "udp") ||
				  teq(a, "icmp") || teq(a, "icmpv6") || teq(a, "ether") || teq(a, "vlan") ||
				  teq(a, "sctp") || teq(a, "dccp") || teq(a, "udplite") || teq(a, "meta") ||
				  teq(a, "arp") || teq(a, "ct"))) {
			const struct tok *f = &t[i + 1];
			int j = i + 2;
			const struct tok *val;
			if (teq(&t[j], "==") && j + 1 < k)
				j++;
			val = &t[j];
			if (teq(f, "flags") && teq(a, "tcp")) {
				int bits = 0, b, any = 0;
				while (j < k && (b = flag_bits(&t[j])) >= 0) {
					bits |= b;
					any = 1;
					j++;
					if (j < k && teq(&t[j], "|"))
						j++;
					else
						break;
				}
				if (any)
					p->tcp_flags = bits;	/* else unknown, not "none" */
				i = j;
				continue;
			}
			if (teq(a, "ip") || teq(a, "ip6")) {
				if (teq(f, "saddr") || teq(f, "daddr")) {
					if (set_addr(p, teq(f, "saddr") ? p->src : p->dst, a, f, val, err))
						return -1;
					if (!p->family)	/* both blanked out */
						p->family = teq(a, "ip6") ? 6 : 4;
				} else if ((teq(f, "ttl") || teq(f, "hoplimit")) && tnum(val, 255, &v)) {
					p->ttl = (int)v;
				} else if (teq(f, "id") && tnum(val, 65535, &v)) {
					p->ip_id = (int64_t)v;
				} else if (teq(f, "length") && tnum(val, 0xffffffffULL, &v)) {
					p->len = (int64_t)v + (teq(a, "ip6") ? 40 : 0);
				} else if (teq(f, "protocol") || teq(f, "nexthdr")) {
					char name[16];
					int pr;
					nl_strlcpyn(name, val->s, val->n, sizeof name);
					pr = nl_proto_number(name);
					if (pr >= 0)
						p->proto = pr;
				}
			} else if (teq(a, "tcp") || teq(a, "udp") || teq(a, "sctp") || teq(a, "dccp") ||
				   teq(a, "udplite")) {
				p->proto = teq(a, "tcp") ? 6 : teq(a, "udp") ? 17 : teq(a, "sctp") ? 132
					   : teq(a, "dccp") ? 33 : 136;
				int port = teq(f, "sport") || teq(f, "dport") ? nl_port_number(val->s, val->n)
									     : -1;
				if (port >= 0 && teq(f, "sport"))
					p->sport = port;
				else if (port >= 0)
					p->dport = port;
				else if (teq(f, "window") && tnum(val, 65535, &v))
					p->window = (int)v;
			} else if (teq(a, "icmp") || teq(a, "icmpv6")) {
				p->proto = teq(a, "icmp") ? 1 : 58;
				if (teq(f, "id") && tnum(val, 65535, &v))
					p->icmp_id = (int)v;
				else if (teq(f, "sequence") && tnum(val, 65535, &v))
					p->icmp_seq = (int)v;
				else if (teq(f, "code"))
					p->icmp_code = nl_icmp_code_number(p->proto, val->s, val->n);
				else if (teq(f, "type"))
					p->icmp_type = nl_icmp_type_number(p->proto, val->s, val->n);
			} else if (teq(a, "meta") && teq(f, "mark") && tnum(val, 0xffffffffULL, &v)) {
				p->mark = (int64_t)v;
			}
			i = j + 1;
			continue;
		}
		i++;	/* raw payload expressions and words natlog does not need */
	}
	if (!p->src[0] || !p->dst[0])
		return 1;	/* no IP header (ARP, or headers nft could not decode) */
	return 0;
}

/* "ct direction original ct state new ct status confirmed,dnat-done ct id 123":
 * each value runs to the next "ct"; NULL on success, else what is wrong. */
static const char *parse_ct(const char *s, size_t n, struct pending_ct *ct)
{
	struct tok t[MAXTOK];
	int k = split(s, n, t, MAXTOK), i = 0;
	ct->dir[0] = ct->state[0] = ct->status[0] = '\0';
	ct->id = -1;
	if (k == 0)
		return "conntrack line without fields";
	while (i < k) {
		const struct tok *key;
		char *out = NULL;
		size_t sz = 0, o = 0;
		int j;
		if (!teq(&t[i], "ct") || i + 2 >= k)
			return "conntrack line is not 'ct <key> <value> ...'";
		key = &t[i + 1];
		for (j = i + 2; j < k && !teq(&t[j], "ct"); j++)
			;
		if (j == i + 2)
			return "conntrack field without a value";
		if (teq(key, "direction"))
			out = ct->dir, sz = sizeof ct->dir;
		else if (teq(key, "state"))
			out = ct->state, sz = sizeof ct->state;
		else if (teq(key, "status"))
			out = ct->status, sz = sizeof ct->status;
		else if (teq(key, "id")) {
			uint64_t v;
			if (j != i + 3 || !nl_parse_u64(t[i + 2].s, t[i + 2].n, 0xffffffffULL, &v))
				return "conntrack id is not a 32-bit number";
			ct->id = (int64_t)v;
		} else
			return "unknown conntrack field";
		for (i += 2; out && i < j; i++) {
			if (o + t[i].n + 2 > sz)
				return "conntrack value too long";
			if (o)
				out[o++] = ' ';
			memcpy(out + o, t[i].s, t[i].n);
			o += t[i].n;
			out[o] = '\0';
		}
		i = j;
	}
	return NULL;
}

/* A conntrack line whose packet line did not follow is reported. */
static int ct_orphan(struct nfttrace *st)
{
	const struct nl_sink *k = st->sink;
	if (!st->ct.have)
		return 0;
	st->ct.have = 0;
	return k->error(k->ctx, st->ct.line, "conntrack line not followed by its packet line",
			st->ct.raw, st->ct.rawn);
}

/* Words only a trace's packet line or a rule prints: a line of them
 * without "trace id" was broken off one. */
static int trace_fragment(const char *s, size_t n)
{
	static const char *const words[] = { "tcp flags ", "tcp window ", "ip saddr ", "ip daddr ",
					     "ip6 saddr ", "ip6 daddr ", "ether saddr ", "(verdict " };
	size_t i;
	for (i = 0; i < sizeof words / sizeof *words; i++)
		if (memmem(s, n, words[i], strlen(words[i])))
			return 1;
	return 0;
}

static int nfttrace_line(void *state, const char *s, size_t n, long lineno)
{
	struct nfttrace *st = state;
	const struct nl_sink *k = st->sink;
	struct nl_event *ev = &st->ev;
	struct nl_cur c;
	const char *w;
	size_t wn;
	struct nl_err err;
	const char *id, *fam, *tbl, *ch;
	size_t idn, famn, tbln, chn;
	int rc;

	nl_unquote(&s, &n);	/* a trace indented or quoted in a mail */
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	c = cur_make(s, n);
	if (st->ct.have && !(n >= st->ct.hdrn + 7 && !memcmp(s, st->ct.hdr, st->ct.hdrn) &&
			     !memcmp(s + st->ct.hdrn, "packet:", 7)) && ct_orphan(st))
		return -1;
	if (!cur_lit(&c, "trace id ")) {
		struct nl_notice no;
		rc = nl_rsevent_parse(s, n, lineno, &no, &err);
		if (rc < 0)
			return k->error(k->ctx, lineno, err.msg, s, n);
		if (rc > 0 && k->notice)
			return k->notice(k->ctx, &no);
		if (rc == 0 && trace_fragment(s, n))
			return k->error(k->ctx, lineno, "part of an nft trace or ruleset line without "
					"'trace id' at its start: the rest of a line broken in two, or "
					"ruleset text (import a ruleset as a file of its own)", s, n);
		k->skip(k->ctx, lineno);
		return 0;
	}
	memset(ev, 0, sizeof *ev);
	nl_pkt_init(&ev->pkt);
	ev->uptime = -1;
	ev->wall_us = -1;
	ev->handle = -1;
	ev->line = lineno;
	ev->raw = s;
	ev->rawlen = n;
	if (!cur_word(&c, &id, &idn) || idn >= sizeof ev->trace_id || !cur_char(&c, ' ') ||
	    !cur_word(&c, &fam, &famn) || famn >= sizeof ev->nft_family || !cur_char(&c, ' ') ||
	    !cur_word(&c, &tbl, &tbln) || tbln >= sizeof ev->table || !cur_char(&c, ' ') ||
	    !cur_word(&c, &ch, &chn) || chn >= sizeof ev->chain || !cur_char(&c, ' '))
		return k->error(k->ctx, lineno, "trace line without id, family, table and chain", s, n);
	{
		/* nft's family2str(): a word else is a paste that left it out */
		static const char *const fams[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev",
						    "unknown", NULL };
		uint64_t v;
		size_t i;
		if (!nl_parse_hex(id, idn, 0xffffffffULL, &v))
			return k->error(k->ctx, lineno, "trace id is not hexadecimal", s, n);
		for (i = 0; fams[i] && !(strlen(fams[i]) == famn && !memcmp(fams[i], fam, famn)); i++)
			;
		if (!fams[i])
			return k->error(k->ctx, lineno, "no family (ip, ip6, inet, arp, bridge, netdev) "
					"after the trace id: left out of the paste?", s, n);
	}
	nl_strlcpyn(ev->trace_id, id, idn, sizeof ev->trace_id);
	nl_strlcpyn(ev->nft_family, fam, famn, sizeof ev->nft_family);
	nl_strlcpyn(ev->table, tbl, tbln, sizeof ev->table);
	nl_strlcpyn(ev->chain, ch, chn, sizeof ev->chain);
	{
		/* the header up to the kind word: a conntrack line and its
		 * packet line share it */
		size_t hn = (size_t)(c.p - s);
		cur_word(&c, &w, &wn);
		cur_spaces(&c);
		if (wn == 10 && !memcmp(w, "conntrack:", 10)) {
			const char *bad;
			if (hn >= sizeof st->ct.hdr)
				return k->error(k->ctx, lineno, "trace header too long", s, n);
			bad = parse_ct(c.p, cur_left(&c), &st->ct);
			if (bad)
				return k->error(k->ctx, lineno, bad, s, n);
			memcpy(st->ct.hdr, s, hn);
			st->ct.hdrn = hn;
			st->ct.line = lineno;
			st->ct.rawn = n < sizeof st->ct.raw ? n : sizeof st->ct.raw;
			memcpy(st->ct.raw, s, st->ct.rawn);
			st->ct.have = 1;
			return 0;
		}
	}

	if (wn == 7 && !memcmp(w, "packet:", 7)) {
		ev->kind = NL_EV_NFPACKET;
		nl_strlcpy(ev->type, "packet", sizeof ev->type);
		rc = parse_packet(c.p, cur_left(&c), &ev->pkt, &err);
		if (st->ct.have) {
			nl_strlcpy(ev->pkt.ct_dir, st->ct.dir, sizeof ev->pkt.ct_dir);
			nl_strlcpy(ev->pkt.ct_state, st->ct.state, sizeof ev->pkt.ct_state);
			nl_strlcpy(ev->pkt.ct_status, st->ct.status, sizeof ev->pkt.ct_status);
			ev->pkt.ct_id = st->ct.id;
			st->ct.have = 0;
		}
		if (rc < 0)
			return k->error(k->ctx, lineno, err.msg, s, n);
		return k->event(k->ctx, ev);
	}
	ev->kind = NL_EV_NFTRACE;
	if ((wn == 4 && !memcmp(w, "rule", 4)) || (wn == 7 && !memcmp(w, "unknown", 7))) {
		PCRE2_SIZE *ov;
		int m = pcre2_jit_match(st->rule_re, (PCRE2_SPTR)c.p, cur_left(&c), 0, 0, st->md, NULL);
		if (m == PCRE2_ERROR_JIT_BADOPTION)
			m = pcre2_match(st->rule_re, (PCRE2_SPTR)c.p, cur_left(&c), 0, 0, st->md, NULL);
		if (m < 0)
			return k->error(k->ctx, lineno, "rule line without '(verdict ...)'", s, n);
		ov = pcre2_get_ovector_pointer(st->md);
		nl_strlcpy(ev->type, "rule", sizeof ev->type);
		if (ov[3] - ov[2] >= sizeof ev->rule)
			return k->error(k->ctx, lineno, "rule text longer than 1023 bytes", s, n);
		nl_strlcpyn(ev->rule, c.p + ov[2], ov[3] - ov[2], sizeof ev->rule);
		if (ov[4] != PCRE2_UNSET) {
			uint64_t h;
			if (!nl_parse_u64(c.p + ov[4], ov[5] - ov[4], INT64_MAX, &h))
				return k->error(k->ctx, lineno, "bad rule handle", s, n);
			ev->handle = (int64_t)h;
		}
		nl_strlcpyn(ev->verdict, c.p + ov[6], ov[7] - ov[6], sizeof ev->verdict);
		if (wn == 7) {
			/* "unknown rule handle N": a rule added after the monitor started */
			uint64_t h;
			struct nl_cur u = cur_make(ev->rule, strlen(ev->rule));
			if (!cur_lit(&u, "rule handle ") || !cur_u64(&u, INT64_MAX, &h))
				return k->error(k->ctx, lineno, "unknown-rule line without a handle", s, n);
			ev->handle = (int64_t)h;
			ev->rule[0] = '\0';
		}
		return k->event(k->ctx, ev);
	}
	if ((wn == 7 && !memcmp(w, "verdict", 7)) || (wn == 6 && !memcmp(w, "policy", 6))) {
		const char *v;
		size_t vn;
		nl_strlcpy(ev->type, wn == 6 ? "policy" : "return", sizeof ev->type);
		cur_word(&c, &v, &vn);
		if (vn == 0 || vn >= sizeof ev->verdict)
			return k->error(k->ctx, lineno, "verdict or policy line without a verdict", s, n);
		nl_strlcpyn(ev->verdict, v, vn, sizeof ev->verdict);
		/* The kernel ends a chain with "accept" or "drop" only as a base
		 * chain's policy (NFT_TRACETYPE_POLICY; a return is "continue"
		 * or "return"): nft 0.9.0 and older print that policy as
		 * "verdict accept" too (src/netlink.c trace_print_verdict). */
		if (wn == 7 && (!strcmp(ev->verdict, "accept") || !strcmp(ev->verdict, "drop")))
			nl_strlcpy(ev->type, "policy", sizeof ev->type);
		/* "verdict jump x" / "goto x" keep their target */
		if ((vn == 4 && !memcmp(v, "jump", 4)) || (vn == 4 && !memcmp(v, "goto", 4))) {
			cur_spaces(&c);
			if (cur_word(&c, &w, &wn)) {
				size_t used = strlen(ev->verdict);
				snprintf(ev->verdict + used, sizeof ev->verdict - used, " %.*s", (int)wn, w);
			}
		}
		cur_spaces(&c);
		if (cur_lit(&c, "meta mark ")) {
			uint64_t mark;
			cur_word(&c, &w, &wn);
			if (nl_parse_hex(w, wn, 0xffffffffULL, &mark))
				ev->pkt.mark = (int64_t)mark;
		}
		return k->event(k->ctx, ev);
	}
	return k->error(k->ctx, lineno, "unknown kind of trace line", s, n);
}

static int nfttrace_probe(const char *s, size_t n)
{
	nl_unquote(&s, &n);
	if (n > 27 && memcmp(s, "# new generation ", 17) == 0 && memmem(s, n, " by process ", 12))
		return 2;	/* `nft monitor` of ruleset events, maybe traces later */
	if (nl_rsevent_probe(s, n))
		return 1;
	return n > 9 && memcmp(s, "trace id ", 9) == 0 ? 2 : 0;
}

static void *nfttrace_open(const struct nl_sink *sink)
{
	/* "<text>[ # handle N] (verdict <v>)" at the end of the line */
	static const char *pat = "^(.*?)(?: # handle ([0-9]+))? \\(verdict ([^()]*)\\)$";
	struct nfttrace *st = calloc(1, sizeof *st);
	int errcode;
	PCRE2_SIZE erroff;
	if (!st)
		return NULL;
	st->sink = sink;
	st->rule_re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_DOTALL, &errcode,
				    &erroff, NULL);
	if (!st->rule_re) {
		free(st);
		return NULL;
	}
	pcre2_jit_compile(st->rule_re, PCRE2_JIT_COMPLETE);	/* falls back to the interpreter */
	st->md = pcre2_match_data_create_from_pattern(st->rule_re, NULL);
	if (!st->md) {
		pcre2_code_free(st->rule_re);
		free(st);
		return NULL;
	}
	return st;
}

static int nfttrace_close(void *state)
{
	struct nfttrace *st = state;
	int rc = ct_orphan(st);
	pcre2_match_data_free(st->md);
	pcre2_code_free(st->rule_re);
	free(st);
	return rc;
}

static const char *const nfttrace_samples[] = {
	"trace id 1fb99edd inet filter forward packet: iif \"g0\" oif \"g1\" ether saddr 42:72:7d:ee:af:c5 ether daddr 4a:b4:8b:a4:d7:d0 ip saddr 10.77.1.2 ip daddr 10.77.2.10 ip dscp cs0 ip ecn not-ect ip ttl 63 ip id 41973 ip protocol tcp ip length 60 tcp sport 51988 tcp dport 22 tcp flags == syn tcp window 64240 ",
	"trace id 1fb99edd inet filter allowed_dnats rule counter packets 0 bytes 0 drop # handle 6 (verdict drop)",
	NULL,
};

const struct nl_parser nl_parser_nfttrace = {
	.name = "nft-trace",
	.probe = nfttrace_probe,
	.open = nfttrace_open,
	.line = nfttrace_line,
	.close = nfttrace_close,
	.samples = nfttrace_samples,
	.events_only = 1,
};
