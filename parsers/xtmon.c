/*
 * xtmon.c - `xtables-monitor --trace` output (iptables/xtables-monitor.c:
 * trace_print_packet, trace_print_hdr, trace_print_rule, print_verdict), e.g.
 *   PACKET: 2 a8180090 IN=eth0 MACSRC=b2:a6:6a:88:97:4 ... SRC=10.77.1.2 DST=10.77.1.1
 *     LEN=60 TOS=0x0 TTL=64 ID=55445 DF SPORT=53164 DPORT=8080 SYN
 *    TRACE: 2 a8180090 filter:FORWARD:rule:0x6:JUMP:web  -4 -t filter -A FORWARD -i eth0 -o eth1 -j web
 *    TRACE: 2 a8180090 raw:PREROUTING:policy:ACCEPT
 * The same kernel events as nft monitor trace, printed in iptables terms:
 * the family is a number, the rule is named by its nft handle in hex.
 * A PACKET line names no table or chain: it is held back and given those
 * of the TRACE line that follows it (both come from one kernel event).
 * Before 1.8.7 the PACKET line came after its chain's first rule line:
 * that rule line is held until the next line shows whether a PACKET
 * line of its trace follows, which is then given first.
 */
#include "natlog.h"
#include "cursor.h"
#include "parser.h"

#include <stdlib.h>
#include <string.h>

struct xtmon {
	const struct nl_sink *sink;
	struct nl_event ev;
	struct nl_event held;		/* a PACKET line waiting for its TRACE line */
	char held_raw[2048];
	int holding;
	struct nl_event pend;		/* a rule line that may be followed by its PACKET line */
	char pend_raw[2048];
	int pending;
	/* the trace the last PACKET line was of, and the chains its headers
	 * cover: the base chain it was given and those jumped to from there */
	char last_id[16], last_table[32];
	char chains[8][64];
	int nchains;
	long rule_line;			/* the last TRACE line with a rule's text */
};

static int flush_pend(struct xtmon *st)
{
	if (!st->pending)
		return 0;
	st->pending = 0;
	return st->sink->event(st->sink->ctx, &st->pend);
}

static void remember_chain(struct xtmon *st, const struct nl_event *ev)
{
	nl_strlcpy(st->last_id, ev->trace_id, sizeof st->last_id);
	nl_strlcpy(st->last_table, ev->table, sizeof st->last_table);
	nl_strlcpy(st->chains[0], ev->chain, sizeof st->chains[0]);
	st->nchains = 1;
}

/* A rule line whose headers the last PACKET line gave: same trace and
 * table, a chain of that evaluation. */
static int covered(const struct xtmon *st, const struct nl_event *ev)
{
	int i;
	if (strcmp(st->last_id, ev->trace_id) || strcmp(st->last_table, ev->table))
		return 0;
	for (i = 0; i < st->nchains; i++)
		if (!strcmp(st->chains[i], ev->chain))
			return 1;
	return 0;
}

/* "jump web", "goto web": the evaluation goes on in web. */
static void follow_jump(struct xtmon *st, const struct nl_event *ev)
{
	const char *v = ev->verdict;
	if (!covered(st, ev) || st->nchains >= 8)
		return;
	if (!strncmp(v, "jump ", 5) || !strncmp(v, "goto ", 5))
		nl_strlcpy(st->chains[st->nchains++], v + 5, sizeof st->chains[0]);
}

static int flush_held(struct xtmon *st)
{
	if (!st->holding)
		return 0;
	st->holding = 0;
	return st->sink->event(st->sink->ctx, &st->held);
}

static const char *family_name(uint64_t f)
{
	switch (f) {
	case 1: return "inet";
	case 2: return "ip";
	case 3: return "arp";
	case 7: return "bridge";
	case 10: return "ip6";
	}
	return NULL;
}

static void reset(struct nl_event *ev, const char *s, size_t n, long lineno)
{
	memset(ev, 0, sizeof *ev);
	nl_pkt_init(&ev->pkt);
	ev->uptime = -1;
	ev->wall_us = -1;
	ev->handle = -1;
	ev->xt = 1;
	ev->line = lineno;
	ev->raw = s;
	ev->rawlen = n;
}

#define KEY(k) (kn == sizeof(k) - 1 && !memcmp(t, k, kn))

/* Where a field printed without its trailing space ends: before iptables
 * 1.8.9 trace_print_packet wrote "ID=%d" and "OPT (...)" with none, so
 * "ID=38349DF", "ID=43007SPORT=80" and "OPT (0A0B)SPORT=80" are two
 * fields each. Returns the length of the first. */
static size_t glued(const char *t, size_t tn)
{
	size_t i;
	if (tn > 3 && !memcmp(t, "ID=", 3)) {
		for (i = 3; i < tn && t[i] >= '0' && t[i] <= '9'; i++)
			;
		return i;
	}
	if (t[0] == '(') {
		const char *close = memchr(t, ')', tn);
		if (close)
			return (size_t)(close - t) + 1;
	}
	return tn;
}

/* IN= OUT= MACSRC= ... SRC= DST= LEN= TOS= TTL= ID= [DF] SPORT= DPORT= SYN ACK ... */
static int parse_packet(struct nl_cur *c, struct nl_pkt *p, struct nl_err *err)
{
	static const struct { const char *n; int bit; } flags[] = {
		{ "SYN", NL_TCP_SYN }, { "ACK", NL_TCP_ACK }, { "FIN", NL_TCP_FIN },
		{ "RST", NL_TCP_RST }, { "PSH", NL_TCP_PSH }, { "URG", NL_TCP_URG },
	};
	const char *t = NULL, *rest = NULL;
	size_t tn = 0, restn = 0;
	for (;;) {
		const char *eq, *v;
		size_t kn, vn, i;
		uint64_t num;
		if (restn) {
			t = rest;
			tn = restn;
		} else {
			cur_spaces(c);
			if (!cur_word(c, &t, &tn))
				break;
		}
		i = glued(t, tn);
		rest = t + i;
		restn = tn - i;
		tn = i;
		eq = memchr(t, '=', tn);
		if (!eq) {
			for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
				if (strlen(flags[i].n) == tn && !memcmp(t, flags[i].n, tn))
					p->tcp_flags = (p->tcp_flags < 0 ? 0 : p->tcp_flags) | flags[i].bit;
			if (tn == 2 && (!memcmp(t, "DF", 2) || !memcmp(t, "MF", 2) || !memcmp(t, "CE", 2))) {
				size_t used = strlen(p->ipflags);
				snprintf(p->ipflags + used, sizeof p->ipflags - used, "%s%.2s",
					 used ? " " : "", t);
			}
			continue;
		}
		kn = (size_t)(eq - t);
		v = eq + 1;
		vn = tn - kn - 1;
		if (KEY("IN") || KEY("OUT")) {
			if (vn >= NL_IFNAMSIZ)
				return nl_err_set(err, "interface name too long");
			nl_strlcpyn(KEY("IN") ? p->iif : p->oif, v, vn, NL_IFNAMSIZ);
		} else if (KEY("SRC") || KEY("DST")) {
			int fam;
			if (nl_addr_canon(v, vn, &fam, KEY("SRC") ? p->src : p->dst, NL_ADDRSIZ)) {
				(KEY("SRC") ? p->src : p->dst)[0] = '\0';
				if (!nl_redacted(v, vn, 1))
					return nl_err_set(err, "%.*s is not an IP address",
							  (int)(tn > 60 ? 60 : tn), t);
				pktlog_extra_add(p, t, tn);	/* blanked out: unknown, kept as printed */
				continue;
			}
			if (p->family && p->family != fam)
				return nl_err_set(err, "SRC= and DST= are of different families");
			p->family = fam;
		} else if (KEY("LEN") && nl_parse_u64(v, vn, 0xffffffffULL, &num)) {
			p->len = (int64_t)num;
		} else if ((KEY("TTL") || KEY("HOPLIMIT")) && nl_parse_u64(v, vn, 255, &num)) {
			p->ttl = (int)num;
		} else if (KEY("ID")) {
			if (!nl_parse_u64(v, vn, 65535, &num))
				return nl_err_set(err, "ID=%.*s is not a valid value", (int)(vn > 20 ? 20 : vn), v);
			p->ip_id = (int64_t)num;
		} else if ((KEY("SPORT") || KEY("DPORT")) && nl_parse_u64(v, vn, 65535, &num)) {
			if (KEY("SPORT"))
				p->sport = (int)num;
			else
				p->dport = (int)num;
		} else if (KEY("MARK") && nl_parse_hex(v, vn, 0xffffffffULL, &num)) {
			p->mark = (int64_t)num;
		}
	}
	/* No PROTO= in this format: ports with TCP flags are TCP, ports alone
	 * UDP (or SCTP, DCCP); without ports the rule lines may tell. */
	if (p->sport >= 0 && p->proto < 0)
		p->proto = p->tcp_flags >= 0 ? 6 : 17;
	return 0;
}

/* The protocol a matched rule requires ("-p icmp", "-p 58"), or -1. A
 * rule line is printed only for a rule the packet matched. */
static int rule_proto(const char *rule)
{
	const char *p = rule;
	while ((p = strstr(p, "-p ")) != NULL) {
		char name[24];
		size_t n = 0;
		if (p > rule && p[-1] != ' ') {
			p += 3;
			continue;
		}
		if (p >= rule + 2 && p[-2] == '!')
			return -1;
		p += 3;
		while (p[n] && p[n] != ' ' && n + 1 < sizeof name) {
			name[n] = p[n];
			n++;
		}
		name[n] = '\0';
		return nl_proto_number(name);
	}
	return -1;
}

/* A line number a page or a numbered paste put before the line ("1 TRACE:
 * 2 fc475095 ...", "03: PACKET: 2 ..."): skipped when a PACKET: or TRACE:
 * follows it. */
static void skip_number(struct nl_cur *c)
{
	struct nl_cur t = *c, u;
	uint64_t v;
	if (!cur_u64(&t, 99999999, &v))
		return;
	cur_char(&t, ':');
	if (!cur_spaces(&t))
		return;
	u = t;
	if (cur_lit(&u, "PACKET: ") || cur_lit(&u, "TRACE: "))
		*c = t;
}

/* A line that starts with a field of a PACKET line ("DST=127.0.0.1 LEN=84
 * TOS=0x0 TTL=64 ID=38349DF"): the rest of one a terminal, a mail or man
 * wrapped, whose packet would otherwise lack what it holds. */
static int packet_rest(const char *s, size_t n)
{
	static const char *const keys[] = { "IN", "OUT", "MACSRC", "MACDST", "MACPROTO", "SRC",
					    "DST", "LEN", "TOS", "TTL", "ID", "TC", "HOPLIMIT",
					    "FLOWLBL", "SPORT", "DPORT", "MARK", "NFPROTO", NULL };
	const char *eq = memchr(s, '=', n);
	size_t i, kn;
	if (!eq)
		return 0;
	kn = (size_t)(eq - s);
	for (i = 0; keys[i]; i++)
		if (strlen(keys[i]) == kn && !memcmp(keys[i], s, kn))
			return 1;
	return 0;
}

/* "PREROUTING -p icmp -j TRACE", "-j TRACE": what a rule's text in
 * iptables -S form goes on with, when a page or mail wrapped it. */
static int rule_rest(const char *s, size_t n)
{
	struct nl_cur c = cur_make(s, n);
	const char *w;
	size_t wn;
	if (!cur_word(&c, &w, &wn) || memchr(w, '=', wn) || memchr(w, ':', wn))
		return 0;
	if (wn >= 2 && w[0] == '-' && ((w[1] >= 'a' && w[1] <= 'z') || (w[1] >= 'A' && w[1] <= 'Z') ||
				       w[1] == '-'))
		return 1;
	cur_spaces(&c);
	return cur_left(&c) >= 2 && c.p[0] == '-' && c.p[1] != ' ';
}

static int xtmon_line(void *state, const char *s, size_t n, long lineno)
{
	struct xtmon *st = state;
	const struct nl_sink *k = st->sink;
	struct nl_event *ev = &st->ev;
	struct nl_cur c;
	struct nl_err err;
	const char *w, *id, *fam_name;
	size_t wn, idn;
	uint64_t fam;
	int packet;

	nl_unquote(&s, &n);	/* a trace indented or quoted in a mail */
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	c = cur_make(s, n);
	skip_number(&c);
	if (cur_lit(&c, "PACKET: "))
		packet = 1;
	else if (cur_lit(&c, "TRACE: "))
		packet = 0;
	else {
		struct nl_notice no;
		int rc;
		if (flush_held(st) || flush_pend(st))
			return -1;
		rc = nl_rsevent_parse(s, n, lineno, &no, &err);
		if (rc < 0)
			return k->error(k->ctx, lineno, err.msg, s, n);
		if (rc > 0 && k->notice)
			return k->notice(k->ctx, &no);
		if (packet_rest(s, n))
			return k->error(k->ctx, lineno, "the rest of an xtables-monitor PACKET line "
					"broken in two: its head is on a line before", s, n);
		if (st->rule_line > 0 && st->rule_line == lineno - 1 && rule_rest(s, n))
			return k->error(k->ctx, lineno, "the rest of an xtables-monitor TRACE line "
					"broken in two: the rule on the line before is cut here", s, n);
		k->skip(k->ctx, lineno);
		return 0;
	}
	if (packet && flush_held(st))
		return -1;
	reset(ev, s, n, lineno);
	cur_spaces(&c);	/* "1  TRACE:  2  fc475095": a man page's justified lines */
	if (!cur_u64(&c, 255, &fam) || !cur_spaces(&c) || !cur_word(&c, &id, &idn) ||
	    idn >= sizeof ev->trace_id || !nl_parse_hex(id, idn, 0xffffffffULL, &(uint64_t){ 0 }))
		return k->error(k->ctx, lineno, "xtables-monitor line without family and trace id", s, n);
	fam_name = family_name(fam);
	if (!fam_name && (fam != 0 || !packet))
		return k->error(k->ctx, lineno, "unknown address family number", s, n);
	if (fam_name)
		nl_strlcpy(ev->nft_family, fam_name, sizeof ev->nft_family);
	nl_strlcpyn(ev->trace_id, id, idn, sizeof ev->trace_id);
	cur_spaces(&c);
	if (packet) {
		ev->kind = NL_EV_NFPACKET;
		nl_strlcpy(ev->type, "packet", sizeof ev->type);
		if (parse_packet(&c, &ev->pkt, &err))
			return k->error(k->ctx, lineno, err.msg, s, n);
		/* the man page's "PACKET: 0 ...": the addresses tell the family */
		if (!fam_name && ev->pkt.family)
			nl_strlcpy(ev->nft_family, ev->pkt.family == 6 ? "ip6" : "ip", sizeof ev->nft_family);
		if (st->pending && !strcmp(st->pend.trace_id, ev->trace_id)) {
			/* the older order: the packet of the rule line just read */
			nl_strlcpy(ev->table, st->pend.table, sizeof ev->table);
			nl_strlcpy(ev->chain, st->pend.chain, sizeof ev->chain);
			if (ev->pkt.proto < 0 && ev->pkt.sport < 0)
				ev->pkt.proto = rule_proto(st->pend.rule);
			remember_chain(st, ev);
			follow_jump(st, &st->pend);
			if (k->event(k->ctx, ev))
				return -1;
			return flush_pend(st);
		}
		if (flush_pend(st))
			return -1;
		st->held = *ev;
		nl_strlcpyn(st->held_raw, s, n, sizeof st->held_raw);
		st->held.raw = st->held_raw;
		st->held.rawlen = strlen(st->held_raw);
		st->holding = 1;
		return 0;
	}
	/* table:chain:type:rest, then for rules two spaces and the rule */
	{
		const char *hdr, *p1, *p2, *p3, *end;
		size_t hn;
		ev->kind = NL_EV_NFTRACE;
		cur_word(&c, &hdr, &hn);
		end = hdr + hn;
		p1 = memchr(hdr, ':', hn);
		p2 = p1 ? memchr(p1 + 1, ':', (size_t)(end - p1 - 1)) : NULL;
		p3 = p2 ? memchr(p2 + 1, ':', (size_t)(end - p2 - 1)) : NULL;
		if (!p3 || (size_t)(p1 - hdr) >= sizeof ev->table ||
		    (size_t)(p2 - p1 - 1) >= sizeof ev->chain || p2 == p1 + 1 || p1 == hdr)
			return k->error(k->ctx, lineno, "TRACE header is not table:chain:type:...", s, n);
		nl_strlcpyn(ev->table, hdr, (size_t)(p1 - hdr), sizeof ev->table);
		nl_strlcpyn(ev->chain, p1 + 1, (size_t)(p2 - p1 - 1), sizeof ev->chain);
		w = p3 + 1;
		wn = (size_t)(end - w);
		if (p3 - p2 - 1 == 4 && !memcmp(p2 + 1, "rule", 4)) {
			/* 0x8:ACCEPT, 0x6:JUMP:web */
			const char *colon = memchr(w, ':', wn);
			uint64_t h;
			size_t i;
			nl_strlcpy(ev->type, "rule", sizeof ev->type);
			if (!colon || !nl_parse_hex(w, (size_t)(colon - w), INT64_MAX, &h))
				return k->error(k->ctx, lineno, "rule without a hex handle", s, n);
			ev->handle = (int64_t)h;
			nl_strlcpyn(ev->verdict, colon + 1, (size_t)(end - colon - 1), sizeof ev->verdict);
			for (i = 0; ev->verdict[i]; i++) {
				if (ev->verdict[i] == ':') {
					ev->verdict[i] = ' ';
					break;	/* JUMP:web -> jump web, keep the chain's case */
				}
				if (ev->verdict[i] >= 'A' && ev->verdict[i] <= 'Z')
					ev->verdict[i] = (char)(ev->verdict[i] + 32);
			}
			cur_spaces(&c);
			if (cur_left(&c) >= sizeof ev->rule)
				return k->error(k->ctx, lineno, "rule text longer than 1023 bytes", s, n);
			nl_strlcpyn(ev->rule, c.p, cur_left(&c), sizeof ev->rule);
			if (ev->rule[0])
				st->rule_line = lineno;
		} else if (p3 - p2 - 1 == 6 && !memcmp(p2 + 1, "policy", 6)) {
			size_t i;
			nl_strlcpy(ev->type, "policy", sizeof ev->type);
			nl_strlcpyn(ev->verdict, w, wn, sizeof ev->verdict);
			for (i = 0; ev->verdict[i]; i++)
				if (ev->verdict[i] >= 'A' && ev->verdict[i] <= 'Z')
					ev->verdict[i] = (char)(ev->verdict[i] + 32);
		} else if (p3 - p2 - 1 == 6 && !memcmp(p2 + 1, "return", 6)) {
			nl_strlcpy(ev->type, "return", sizeof ev->type);
			nl_strlcpy(ev->verdict, "continue", sizeof ev->verdict);
		} else {
			return k->error(k->ctx, lineno, "TRACE type is not rule, policy or return", s, n);
		}
		if (!ev->verdict[0] && strcmp(ev->type, "return") != 0)
			return k->error(k->ctx, lineno, "TRACE line without a verdict", s, n);
	}
	if (st->holding && !strcmp(st->held.trace_id, ev->trace_id)) {
		nl_strlcpy(st->held.table, ev->table, sizeof st->held.table);
		nl_strlcpy(st->held.chain, ev->chain, sizeof st->held.chain);
		if (st->held.pkt.proto < 0 && st->held.pkt.sport < 0 && ev->rule[0])
			st->held.pkt.proto = rule_proto(ev->rule);
		remember_chain(st, &st->held);
	}
	if (flush_held(st) || flush_pend(st))
		return -1;
	if (!strcmp(ev->type, "rule") && !covered(st, ev)) {
		st->pend = *ev;
		nl_strlcpyn(st->pend_raw, s, n, sizeof st->pend_raw);
		st->pend.raw = st->pend_raw;
		st->pend.rawlen = strlen(st->pend_raw);
		st->pending = 1;
		return 0;
	}
	follow_jump(st, ev);
	return k->event(k->ctx, ev);
}

static int xtmon_probe(const char *s, size_t n)
{
	struct nl_cur c;
	uint64_t f;
	nl_unquote(&s, &n);
	c = cur_make(s, n);
	skip_number(&c);
	if ((cur_lit(&c, "PACKET:") || cur_lit(&c, "TRACE:")) && cur_spaces(&c) &&
	    cur_u64(&c, 255, &f) && cur_spaces(&c))
		return 2;
	/* `xtables-monitor -e`: ruleset events */
	if (cur_lit(&c, "NEWGEN: GENID=") || cur_lit(&c, "EVENT: "))
		return 2;
	return 0;
}

static void *xtmon_open(const struct nl_sink *sink)
{
	struct xtmon *st = calloc(1, sizeof *st);
	if (st)
		st->sink = sink;
	return st;
}

static int xtmon_close(void *state)
{
	int rc = flush_held(state) || flush_pend(state) ? -1 : 0;
	free(state);
	return rc;
}

static const char *const xtmon_samples[] = {
	"PACKET: 2 a8180090 IN=eth0 MACSRC=b2:a6:6a:88:97:4 MACDST=c2:9a:e0:5:8b:de MACPROTO=0800 SRC=10.77.1.2 DST=10.77.1.1 LEN=60 TOS=0x0 TTL=64 ID=55445 DF SPORT=53164 DPORT=8080 SYN ",
	" TRACE: 2 a8180090 filter:FORWARD:rule:0x6:JUMP:web  -4 -t filter -A FORWARD -i eth0 -o eth1 -j web",
	NULL,
};

const struct nl_parser nl_parser_xtmon = {
	.name = "xtables-monitor",
	.probe = xtmon_probe,
	.open = xtmon_open,
	.line = xtmon_line,
	.close = xtmon_close,
	.samples = xtmon_samples,
	.events_only = 1,
};
