/*
 * pktlog.c - the kernel's packet-log line: LOG target, TRACE, conntrack invalid,
 * and ebtables' log target.
 * Produced by nf_log_dump_packet_common, dump_ipv4_packet, dump_ipv6_packet
 * and nf_log_dump_tcp_header in net/netfilter/nf_log_syslog.c, e.g.
 *   TRACE: nat:DOCKER:rule:3 IN=enp0s1 OUT= MAC=fa:f3:...:08:00 SRC=192.168.64.1
 *     DST=192.168.64.4 LEN=64 TOS=0x10 PREC=0x00 TTL=64 ID=0 PROTO=TCP SPT=52842
 *     DPT=10000 SEQ=1184533180 ACK=0 WINDOW=65535 RES=0x00 CWR ECE SYN URGP=0
 *   nf_ct_proto_6: invalid tcp flag combination IN=veth0 OUT= ... PROTO=TCP ...
 * The prefix is glued to IN=, so the body is found by `IN=<dev> OUT=`.
 */
#include "natlog.h"
#include "cursor.h"
#include "parser.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Whether the packet-log body starts at in: "IN=<word> OUT=", with any
 * run of blanks between (pastes get column-aligned), or with the bridge's
 * "PHYSIN=<word>" between them as the 2.4 bridge-netfilter patch printed
 * it. */
static int body_at(const char *in, const char *end)
{
	const char *q = in + 3;
	int phys = 0;
	for (;;) {
		while (q < end && *q != ' ' && *q != '\t')
			q++;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if ((size_t)(end - q) >= 4 && memcmp(q, "OUT=", 4) == 0)
			return 1;
		if (phys++ || (size_t)(end - q) < 7 || memcmp(q, "PHYSIN=", 7) != 0)
			return 0;
		q += 7;
	}
}

/* Start of the body: the first "IN=" that body_at() accepts at a word
 * boundary ("INBOUND TCP: IN=br0 PHYSIN=eth0 OUT=": not the IN= inside
 * PHYSIN=), else the first one glued to its prefix ("REJECT(src
 * wan)IN=br-wan OUT="). Else, for lines that lack IN= and OUT= (old
 * conntrack lines, cut pastes), the first " SRC=" that a "DST=" follows. */
static const char *find_body(const char *s, size_t n)
{
	const char *p, *end = s + n, *src, *in;
	int glued;
	for (glued = 0; glued < 2; glued++)
		for (p = s; (in = memmem(p, (size_t)(end - p), "IN=", 3)) != NULL; p = in + 3) {
			int boundary = in == s || in[-1] == ' ' || in[-1] == '\t';
			if (boundary == !glued && !(in - s >= 4 && !memcmp(in - 4, "PHYS", 4)) &&
			    body_at(in, end))
				return in;
		}
	for (p = s; p < end && (src = memmem(p, (size_t)(end - p), "SRC=", 4)) != NULL; p = src + 4)
		if ((src == s || src[-1] == ' ' || src[-1] == '\t') &&
		    memmem(src + 4, (size_t)(end - src - 4), "DST=", 4))
			return src;
	return NULL;
}

/* "TRACE: table:chain:type:num " - chain names may hold ':' in principle,
 * so type and number are split from the right. */
int pktlog_trace_prefix(const char *s, size_t n, struct nl_event *ev, struct nl_err *err)
{
	const char *c1, *c3, *c2, *end;
	uint64_t num;

	while (n > 0 && s[n - 1] == ' ')
		n--;
	end = s + n;
	c1 = memchr(s, ':', n);
	c3 = memrchr(s, ':', n);
	if (!c1 || c3 == c1)
		return nl_err_set(err, "TRACE prefix is not table:chain:type:number");
	c2 = memrchr(s, ':', (size_t)(c3 - s));
	if (!c2 || c2 == c1)
		return nl_err_set(err, "TRACE prefix is not table:chain:type:number");
	if (!nl_parse_u64(c3 + 1, (size_t)(end - c3 - 1), 0xffffffffULL, &num))
		return nl_err_set(err, "TRACE rule number is not a number");
	if ((size_t)(c1 - s) >= sizeof ev->table || (size_t)(c2 - c1 - 1) >= sizeof ev->chain ||
	    c1 == s || c2 == c1 + 1)
		return nl_err_set(err, "TRACE table or chain name is empty or too long");
	nl_strlcpyn(ev->table, s, (size_t)(c1 - s), sizeof ev->table);
	nl_strlcpyn(ev->chain, c1 + 1, (size_t)(c2 - c1 - 1), sizeof ev->chain);
	nl_strlcpyn(ev->type, c2 + 1, (size_t)(c3 - c2 - 1), sizeof ev->type);
	if (strcmp(ev->type, "rule") != 0 && strcmp(ev->type, "return") != 0 &&
	    strcmp(ev->type, "policy") != 0)
		return nl_err_set(err, "TRACE type '%s' is not rule, return or policy", ev->type);
	ev->rulenum = (int)(num > 0x7fffffff ? 0x7fffffff : num);
	return 0;
}

/* Conntrack's own prefixes: "nf_ct_proto_6: " (4.14 and later, the
 * number is the tracker's protocol), the older per-tracker "nf_ct_tcp: ",
 * "nf_ct_udp: ", ... (nf_conntrack_proto_tcp.c before 4.14, which SCTP
 * still embeds) and the helpers' "nf_ct_ftp: dropping packet: ...". The
 * protocol, when the prefix names one, or -1. */
static int ct_prefix(struct nl_cur *c)
{
	static const struct { const char *name; int proto; } old[] = {
		{ "tcp", 6 }, { "udp", 17 }, { "udplite", 136 }, { "icmp", 1 },
		{ "icmpv6", 58 }, { "sctp", 132 }, { "dccp", 33 }, { "gre", 47 },
	};
	struct nl_cur t = *c;
	const char *name;
	size_t i, nn;
	uint64_t proto;

	if (!cur_lit(&t, "nf_ct_"))
		return -2;
	if (cur_lit(&t, "proto_")) {
		if (!cur_u64(&t, 255, &proto) || !cur_lit(&t, ": "))
			return -2;
		*c = t;
		return (int)proto;
	}
	name = t.p;
	while (t.p < t.end && ((*t.p >= 'a' && *t.p <= 'z') || (*t.p >= '0' && *t.p <= '9') || *t.p == '_'))
		t.p++;
	nn = (size_t)(t.p - name);
	if (nn == 0 || !cur_lit(&t, ": "))
		return -2;
	*c = t;
	for (i = 0; i < sizeof old / sizeof old[0]; i++)
		if (strlen(old[i].name) == nn && memcmp(old[i].name, name, nn) == 0)
			return old[i].proto;
	return -1;
}

/* A TRACE line whose "TRACE: " a post cut to shorten it, e.g.
 *   nat:DOCKER:rule:2               IN=enp0s8 OUT= MAC=... SRC=10.0.3.122 ...
 * the whole prefix table:chain:type:number, the table one of iptables'
 * (no LOG prefix of a person's reads so). 1 when s is one, read into ev. */
static int trace_cut_word(const char *s, size_t n, struct nl_event *ev)
{
	static const char *const tables[] = { "raw", "mangle", "nat", "filter", "security" };
	const char *colon;
	struct nl_err err;
	size_t i;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || memchr(s, ' ', n) || memchr(s, '\t', n) || !(colon = memchr(s, ':', n)))
		return 0;
	for (i = 0; i < sizeof tables / sizeof *tables; i++)
		if ((size_t)(colon - s) == strlen(tables[i]) && !memcmp(s, tables[i], (size_t)(colon - s)))
			break;
	if (i == sizeof tables / sizeof *tables)
		return 0;
	if (pktlog_trace_prefix(s, n, ev, &err) == 0)
		return 1;
	ev->table[0] = ev->chain[0] = ev->type[0] = '\0';
	ev->rulenum = 0;
	return 0;
}

static int classify(const char *s, size_t n, struct nl_event *ev, int *ct_proto, struct nl_err *err)
{
	struct nl_cur c = cur_make(s, n);
	int proto;

	cur_spaces(&c);
	if (cur_lit(&c, "TRACE: ")) {
		ev->kind = NL_EV_TRACE;
		return pktlog_trace_prefix(c.p, cur_left(&c), ev, err);
	}
	if ((proto = ct_prefix(&c)) > -2) {
		ev->kind = NL_EV_CTINVALID;
		*ct_proto = proto;
		n = cur_left(&c);
		while (n > 0 && (c.p[n - 1] == ' ' || c.p[n - 1] == '\t'))
			n--;
		nl_strlcpyn(ev->reason, c.p, n, sizeof ev->reason);
		return 0;
	}
	if (trace_cut_word(s, n, ev)) {
		ev->kind = NL_EV_TRACE;
		return 0;
	}
	ev->kind = NL_EV_LOG;
	nl_strlcpyn(ev->prefix, s, n, sizeof ev->prefix);
	return 0;
}

void pktlog_extra_add(struct nl_pkt *p, const char *tok, size_t n)
{
	size_t used = strlen(p->extra);
	if (used + n + 2 >= sizeof p->extra)
		return;
	if (used)
		p->extra[used++] = ' ';
	memcpy(p->extra + used, tok, n);
	p->extra[used + n] = '\0';
}

static void word_add(char *buf, size_t size, const char *w, size_t n)
{
	size_t used = strlen(buf);
	if (used + n + 2 >= size)
		return;
	if (used)
		buf[used++] = ' ';
	memcpy(buf + used, w, n);
	buf[used + n] = '\0';
}

/* Skip a bracketed or parenthesised group starting at c->p, depth-aware
 * ("INCOMPLETE [8 bytes]" can sit inside an ICMP error's "[...]"). */
static int skip_group(struct nl_cur *c, char open, char close, const char **start, size_t *len)
{
	int depth = 0;
	const char *s = c->p;
	const char *p = c->p;
	while (p < c->end) {
		if (*p == open)
			depth++;
		else if (*p == close && --depth == 0) {
			p++;
			*start = s;
			*len = (size_t)(p - s);
			c->p = p;
			return 1;
		}
		p++;
	}
	return 0;
}

static int tcp_flag_bit(const char *w, size_t n)
{
	static const struct { const char *name; int bit; } f[] = {
		{ "FIN", NL_TCP_FIN }, { "SYN", NL_TCP_SYN }, { "RST", NL_TCP_RST },
		{ "PSH", NL_TCP_PSH }, { "ACK", NL_TCP_ACK }, { "URG", NL_TCP_URG },
		{ "ECE", NL_TCP_ECE }, { "CWR", NL_TCP_CWR }, { "AE", NL_TCP_AE },
	};
	size_t i;
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if (strlen(f[i].name) == n && memcmp(f[i].name, w, n) == 0)
			return f[i].bit;
	return 0;
}

/* The IPv6 fragment header as dump_ipv6_packet() prints it, bare or
 * inside "OPT ( ... )" with --log-ip-options: "FRAG:1232 ID:5efa507c",
 * "INCOMPLETE" between them when more fragments follow. Its
 * identification is the packet's IP ID (as a capture gives it), its
 * INCOMPLETE the MF flag; *seen: 1 after FRAG:, 2 after ID:. 1 when the
 * word was one of them. */
static int frag6_word(struct nl_pkt *p, const char *w, size_t n, int *seen)
{
	uint64_t id;
	if (n > 5 && !memcmp(w, "FRAG:", 5)) {
		pktlog_extra_add(p, w, n);	/* the offset, as the pcap reader keeps it */
		*seen = 1;
		return 1;
	}
	if (*seen == 1 && n == 10 && !memcmp(w, "INCOMPLETE", 10)) {
		word_add(p->ipflags, sizeof p->ipflags, "MF", 2);
		return 1;
	}
	if (*seen == 1 && n > 3 && !memcmp(w, "ID:", 3) &&
	    nl_parse_hex(w + 3, n - 3, 0xffffffffULL, &id)) {
		p->ip_id = (int64_t)id;
		*seen = 2;
		return 1;
	}
	return 0;
}

/* The words of an IPv6 "OPT ( ... )" group (g, n, its parentheses
 * included): the fragment header's are read, the other headers' (AH,
 * ESP and their SPI=) are no identity and are skipped as before. */
static void opt6_group(struct nl_pkt *p, const char *g, size_t n, int *seen)
{
	struct nl_cur c = cur_make(g + 1, n > 2 ? n - 2 : 0);
	const char *w;
	size_t wn;
	while (!cur_eof(&c)) {
		cur_spaces(&c);
		if (!cur_word(&c, &w, &wn))
			break;
		frag6_word(p, w, wn, seen);
	}
}

#define KEY(k) (klen == sizeof(k) - 1 && memcmp(key, k, klen) == 0)

/* The value of key cannot be used: a redacted one is kept as printed
 * among the unknown fields, anything else is an error. */
static int unreadable(struct nl_pkt *p, const char *key, size_t klen, const char *v, size_t vn,
		      const char *what, struct nl_err *err)
{
	if (nl_redacted(v, vn, !(klen == 5 && memcmp(key, "PROTO", 5) == 0))) {
		pktlog_extra_add(p, key, klen + 1 + vn);
		return 0;
	}
	return nl_err_set(err, "%.*s=%.*s %s", (int)klen, key, (int)(vn > 48 ? 48 : vn), v, what);
}

static int num(struct nl_pkt *p, const char *key, size_t klen, const char *v, size_t vn,
	       uint64_t max, int hex, uint64_t *out, struct nl_err *err)
{
	int ok = hex ? nl_parse_hex(v, vn, max, out) : nl_parse_u64(v, vn, max, out);
	if (!ok)
		return unreadable(p, key, klen, v, vn, "is not a valid value", err) ? -1 : 1;
	return 0;
}

static int set_ifname(char *dst, const char *key, size_t klen, const char *v, size_t vn,
		      struct nl_err *err)
{
	if (vn >= NL_IFNAMSIZ)
		return nl_err_set(err, "%.*s= interface name is too long", (int)klen, key);
	nl_strlcpyn(dst, v, vn, NL_IFNAMSIZ);
	return 0;
}

static int set_addr(struct nl_pkt *p, char *dst, const char *key, size_t klen,
		    const char *v, size_t vn, struct nl_err *err)
{
	int fam = 0;
	if (nl_addr_canon(v, vn, &fam, dst, NL_ADDRSIZ) != 0) {
		dst[0] = '\0';
		return unreadable(p, key, klen, v, vn, "is not an IP address", err);
	}
	if (p->family && p->family != fam) {
		dst[0] = '\0';	/* the line may still be kept: not with this address */
		return nl_err_set(err, "SRC= and DST= are of different families");
	}
	p->family = fam;
	return 0;
}

enum { ST_LINK, ST_NET, ST_TRANSPORT, ST_DONE };

static int key_in(const char *key, size_t klen, const char *const *set)
{
	for (; *set; set++)
		if (strlen(*set) == klen && memcmp(*set, key, klen) == 0)
			return 1;
	return 0;
}

/* Keys of the IP header dump, and the keys only a transport dump prints. */
static int net_key(const char *key, size_t klen)
{
	static const char *const k[] = { "DST", "LEN", "TOS", "PREC", "TTL", "ID", "TC",
					 "HOPLIMIT", "FLOWLBL", "PROTO", NULL };
	return key_in(key, klen, k);
}

static int transport_key(const char *key, size_t klen)
{
	static const char *const k[] = { "SPT", "DPT", "SEQ", "ACK", "WINDOW", "RES", "URGP", NULL };
	return key_in(key, klen, k);
}

/* The names nf_log_syslog.c prints before '=', and the words it prints
 * alone (IP and TCP flags). */
static int field_name(const char *w, size_t n)
{
	static const char *const k[] = { "IN", "OUT", "PHYSIN", "PHYSOUT", "MAC", "SRC", "DST",
					 "LEN", "TOS", "PREC", "TTL", "ID", "TC", "HOPLIMIT",
					 "FLOWLBL", "PROTO", "SPT", "DPT", "SEQ", "ACK", "WINDOW",
					 "RES", "URGP", "TYPE", "CODE", "MTU", "PARAMETER",
					 "GATEWAY", "UID", "GID", "MARK", NULL };
	return key_in(w, n, k);
}

static int flag_word(const char *w, size_t n)
{
	static const char *const k[] = { "DF", "MF", "CE", "CWR", "ECE", "URG", "ACK", "PSH",
					 "RST", "SYN", "FIN", NULL };
	return key_in(w, n, k);
}

/* The longest suffix of the capitals ending at e (not before b) that ok()
 * accepts: its length, or 0. */
static size_t name_suffix(const char *b, const char *e, int (*ok)(const char *, size_t))
{
	const char *q = e;
	while (q > b && q[-1] >= 'A' && q[-1] <= 'Z')
		q--;
	for (; q < e; q++)
		if (ok(q, (size_t)(e - q)))
			return (size_t)(e - q);
	return 0;
}

/* Two fields a paste or a logger ran together, the space the kernel ends
 * every field with lost: "TTL=49ID=32077", "PROTO=TCPSPT=46764",
 * "OUT=eth0SRC=10.0.2.15", "DFPROTO=UDP", "SYNURGP=0", "ID=0DF". The
 * length of the first field when what follows it starts with a name the
 * kernel prints (the longest that fits: "0GID=" is "0" and GID), else 0
 * and the token stays as it is. Only called for a token that cannot be
 * read, or a link-layer value that holds an '='. */
static size_t glued_len(const char *tok, size_t tn, const char *eq)
{
	const char *end = tok + tn, *e2 = memchr(eq + 1, '=', (size_t)(end - eq - 1));
	size_t k;
	if (e2 && (k = name_suffix(eq + 1, e2, field_name)) > 0)
		return (size_t)(e2 - k - tok);
	if (!field_name(tok, (size_t)(eq - tok))) {
		/* a flag before a name: "DFPROTO", "SYNURGP", "ACKURGP" */
		for (k = 2; k < (size_t)(eq - tok); k++)
			if (flag_word(tok, k) && field_name(tok + k, (size_t)(eq - tok) - k))
				return k;
		return 0;
	}
	/* a flag after a number: "ID=0DF" */
	if (!e2 && (k = name_suffix(eq + 1, end, flag_word)) > 0 && end - k > eq + 1 &&
	    end[-(ptrdiff_t)k - 1] >= '0' && end[-(ptrdiff_t)k - 1] <= '9')
		return tn - k;
	return 0;
}

/* A token run together with the next field: read the first here, the
 * rest as the next token, in the state the token began in. */
#define UNGLUE                                                                 \
	{                                                                      \
		size_t g_ = glued_len(tok, tn, eq);                            \
		if (g_) {                                                      \
			c.p = tok + g_;                                        \
			tn = g_;                                               \
			st = st0;                                              \
			goto token;                                            \
		}                                                              \
	}

/* The last field of a line that cannot be read was cut by the paste: it
 * is kept as printed and the line ends there; anywhere else, an error. */
#define CUT_OR_FAIL                                                            \
	{                                                                      \
		TRY_GLUE;                                                      \
		if (!last)                                                     \
			return -1;                                             \
		pktlog_extra_add(p, tok, tn);                                  \
		break;                                                         \
	}

/* A number into v; an unreadable but redacted one skips the field. */
#define NUM(max, hex)                                                          \
	{                                                                      \
		int r_ = num(p, key, klen, val, vn, (max), (hex), &v, err);   \
		if (r_ < 0)                                                    \
			CUT_OR_FAIL;                                           \
		if (r_ > 0)                                                    \
			continue;                                              \
	}

#define TRY_GLUE UNGLUE
static int parse_body(const char *s, size_t n, struct nl_pkt *p, struct nl_err *err)
{
	struct nl_cur c = cur_make(s, n);
	int st = ST_LINK, st0, v4 = 0, v6 = 0, last = 0, frag6 = 0;
	uint64_t v;

	while (!cur_eof(&c)) {
		const char *tok, *key, *val, *eq;
		size_t tn, klen, vn;

		cur_spaces(&c);
		if (cur_eof(&c))
			break;
		if (cur_peek(&c) == '[') {
			const char *g;
			size_t gn;
			if (!skip_group(&c, '[', ']', &g, &gn)) {
				/* a quoted packet cut short: kept as far as it goes */
				g = c.p;
				gn = cur_left(&c) + 1;
				c.p = c.end;
			}
			if (st == ST_TRANSPORT && gn > 2 && p->inner[0] == '\0') {
				/* ICMP error: keep the quoted packet as printed, trimmed */
				const char *b = g + 1, *e = g + gn - 1;
				while (b < e && *b == ' ')
					b++;
				while (e > b && e[-1] == ' ')
					e--;
				nl_strlcpyn(p->inner, b, (size_t)(e - b), sizeof p->inner);
			}
			continue;
		}
		cur_word(&c, &tok, &tn);
		st0 = st;
token:
		/* the kernel ends every field with a space: a last field without
		 * one may have been cut */
		last = cur_eof(&c);
		eq = memchr(tok, '=', tn);
		if (!eq) {
			if (tn == 3 && memcmp(tok, "OPT", 3) == 0) {
				const char *g;
				size_t gn;
				cur_spaces(&c);
				if (cur_peek(&c) == '(') {
					if (!skip_group(&c, '(', ')', &g, &gn))
						break;	/* options cut short: the line ends there */
					if (st == ST_NET && (v6 || p->family == 6))
						opt6_group(p, g, gn, &frag6);
				}
				continue;
			}
			if (st == ST_NET && (v6 || p->family == 6) && frag6_word(p, tok, tn, &frag6))
				continue;
			if (tn == 9 && memcmp(tok, "TRUNCATED", 9) == 0) {
				/* the kernel could not read further; what came before stands */
				pktlog_extra_add(p, tok, tn);
				break;
			}
			if (tn == 10 && memcmp(tok, "INCOMPLETE", 10) == 0)
				continue;	/* "[n bytes]" follows and is skipped */
			if (st == ST_NET && (tn == 2 && (!memcmp(tok, "DF", 2) || !memcmp(tok, "MF", 2) ||
							  !memcmp(tok, "CE", 2)))) {
				word_add(p->ipflags, sizeof p->ipflags, tok, tn);
				continue;
			}
			if (st >= ST_NET && p->proto == 6 && tcp_flag_bit(tok, tn)) {
				p->tcp_flags = (p->tcp_flags < 0 ? 0 : p->tcp_flags) | tcp_flag_bit(tok, tn);
				continue;
			}
			pktlog_extra_add(p, tok, tn);	/* FRAG:n, ID:hex, ARP, ... */
			continue;
		}
		key = tok;
		klen = (size_t)(eq - tok);
		val = eq + 1;
		vn = tn - klen - 1;

		/* the kernel prints IN= and SRC= once, outside an ICMP error's
		 * brackets: another is a record run on after this one, not
		 * fields to keep as unknown */
		if (st != ST_LINK && (KEY("IN") || (KEY("SRC") && st != ST_NET)))
			return nl_err_set(err, "a second %.*s= after the packet's fields: another "
					  "record run on in this line", (int)klen, key);

		if (st == ST_LINK) {
			if (memchr(val, '=', vn))
				UNGLUE;	/* "OUT=eth0SRC=", "MAC=...:08:00SRC=" */
			if (KEY("IN")) {
				if (set_ifname(p->iif, key, klen, val, vn, err))
					return -1;
			} else if (KEY("OUT")) {
				if (set_ifname(p->oif, key, klen, val, vn, err))
					return -1;
			} else if (KEY("PHYSIN")) {
				if (set_ifname(p->physin, key, klen, val, vn, err))
					return -1;
			} else if (KEY("PHYSOUT")) {
				if (set_ifname(p->physout, key, klen, val, vn, err))
					return -1;
			} else if (KEY("MAC")) {
				nl_strlcpyn(p->mac, val, vn, sizeof p->mac);
				if (vn >= sizeof p->mac) {
					/* a tunnel's link header (6in4: 148 bytes) is
					 * longer than kept: whole bytes, then "..." */
					size_t keep = sizeof p->mac - 4;
					while (keep > 0 && val[keep] != ':')
						keep--;
					memcpy(p->mac + keep, "...", 4);
				}
			} else if (KEY("MACSRC") || KEY("MACDST") || KEY("MACPROTO") ||
				   KEY("VPROTO") || KEY("VID") || KEY("TUNNEL")) {
				pktlog_extra_add(p, tok, tn);

			} else if (KEY("SRC")) {
				st = ST_NET;
				if (set_addr(p, p->src, key, klen, val, vn, err))
					CUT_OR_FAIL;
				continue;
			} else if (!net_key(key, klen)) {
				UNGLUE;
				pktlog_extra_add(p, tok, tn);
			}
			/* SRC= cut or blanked out: the network part starts here */
			if (!net_key(key, klen))
				continue;
			st = ST_NET;
		}
		if (st == ST_NET && transport_key(key, klen)) {
			st = ST_TRANSPORT;	/* PROTO= cut or blanked out */
			if (p->proto < 0 && (KEY("WINDOW") || KEY("URGP") || KEY("RES")))
				p->proto = 6;	/* fields only the TCP dump prints */
		}
		if ((st == ST_NET || st == ST_TRANSPORT) && p->proto < 0 && (KEY("TYPE") || KEY("CODE"))) {
			/* PROTO= cut or blanked out: only the ICMP dumps print
			 * TYPE= and CODE=, and the ID= and SEQ= after them are the
			 * echo's */
			st = ST_TRANSPORT;
			p->proto = v6 || p->family == 6 ? 58 : 1;
		}
		if (st == ST_NET) {
			if (KEY("DST")) {
				if (set_addr(p, p->dst, key, klen, val, vn, err))
					CUT_OR_FAIL;
			} else if (KEY("LEN")) {
				NUM(0xffffffffULL, 0);
				p->len = (int64_t)v;
			} else if (KEY("TOS") || KEY("PREC")) {
				v4 = 1;
				NUM(0xff, 1);
				p->tos = (p->tos < 0 ? 0 : p->tos) | (int)v;
			} else if (KEY("TC")) {
				v6 = 1;
				NUM(0xff, 0);
				p->tos = (int)v;
			} else if (KEY("TTL") || KEY("HOPLIMIT")) {
				v4 |= KEY("TTL");
				v6 |= KEY("HOPLIMIT");
				NUM(255, 0);
				p->ttl = (int)v;
			} else if (KEY("ID")) {
				NUM(65535, 0);
				p->ip_id = (int64_t)v;
			} else if (KEY("PROTO")) {
				int pr;
				char name[16];
				st = ST_TRANSPORT;
				nl_strlcpyn(name, val, vn, sizeof name);
				pr = vn && vn < sizeof name ? nl_proto_number(name) : -1;
				if (pr < 0) {
					if (unreadable(p, key, klen, val, vn, "is not a protocol", err))
						CUT_OR_FAIL;
					p->proto = -1;
					continue;
				}
				p->proto = pr;
			} else if (KEY("FLOWLBL")) {
				v6 = 1;
				NUM(0xfffff, 0);
			} else if (KEY("UID") || KEY("GID") || KEY("MARK")) {
				st = ST_DONE;
				goto trailer;
			} else {
				UNGLUE;	/* "DFPROTO=UDP", "SYNURGP=0" */
				pktlog_extra_add(p, tok, tn);
			}
			continue;
		}
		if (st == ST_TRANSPORT) {
			int icmp = p->proto == 1 || p->proto == 58;
			if (KEY("SPT")) {
				NUM(65535, 0);
				p->sport = (int)v;
			} else if (KEY("DPT")) {
				NUM(65535, 0);
				p->dport = (int)v;
			} else if (KEY("SEQ") && !icmp) {
				NUM(0xffffffffULL, 0);
				p->seq = (int64_t)v;
			} else if (KEY("ACK")) {
				NUM(0xffffffffULL, 0);
				p->ack = (int64_t)v;
			} else if (KEY("WINDOW")) {
				NUM(65535, 0);
				p->window = (int)v;
				if (p->tcp_flags < 0)
					p->tcp_flags = 0;
			} else if (KEY("RES") || KEY("URGP") || KEY("LEN") || KEY("MTU") ||
				   KEY("PARAMETER") || KEY("POINTER") || KEY("SPI") || KEY("GATEWAY")) {
				/* not identity: parse-checked where numeric, then dropped */
				if (KEY("URGP"))
					NUM(65535, 0);
			} else if (KEY("TYPE") && icmp) {
				NUM(255, 0);
				p->icmp_type = (int)v;
			} else if (KEY("CODE") && icmp) {
				NUM(255, 0);
				p->icmp_code = (int)v;
			} else if (KEY("ID") && icmp) {
				NUM(65535, 0);
				p->icmp_id = (int)v;
			} else if (KEY("SEQ") && icmp) {
				NUM(65535, 0);
				p->icmp_seq = (int)v;
			} else if (KEY("UID") || KEY("GID") || KEY("MARK")) {
				st = ST_DONE;
				goto trailer;
			} else {
				UNGLUE;	/* "DFPROTO=UDP", "SYNURGP=0" */
				pktlog_extra_add(p, tok, tn);
			}
			continue;
		}
trailer:
		if (KEY("UID") || KEY("GID")) {
			NUM(0xffffffffULL, 0);
			if (KEY("UID"))
				p->uid = (int64_t)v;
			else
				p->gid = (int64_t)v;
		} else if (KEY("MARK")) {
			NUM(0xffffffffULL, 1);
			p->mark = (int64_t)v;
		} else {
			UNGLUE;
			pktlog_extra_add(p, tok, tn);
		}
	}

	/* A line without PROTO= (non-IP payload, a paste cut short or blanked
	 * out) or without ports keeps what it has; the rest is unknown. */
	if (!p->family && v4 != v6)
		p->family = v4 ? 4 : 6;
	return 0;
}

#undef TRY_GLUE
#define TRY_GLUE	/* ebt_log prints its own fields */

/* ebtables' log target (ebt_log_packet() in net/bridge/netfilter/ebt_log.c):
 *   PREFIX IN=veth0594f4b OUT=veth57a3dec MAC source = 02:42:c0:a8:00:02
 *     MAC dest = 02:42:c0:a8:00:03 proto = 0x0800 IP SRC=192.168.0.2
 *     IP DST=192.168.0.3, IP tos=0x00, IP proto=1 SPT=n DPT=n
 * --log-ip6 prints "IPv6 SRC=a IPv6 DST=b, IPv6 priority=0x0, Next
 * Header=n", --log-arp "ARP HTYPE=1, PTYPE=0x0800, OPCODE=1" and ARP's
 * addresses. Where the body at s (IN=) is one: its "MAC source = ", after
 * IN= and OUT=; else NULL. */
static const char *ebt_macs(const char *s, const char *end)
{
	const char *q = s;
	int k;
	for (k = 0; k < 2; k++) {
		while (q < end && *q != ' ')
			q++;
		while (q < end && *q == ' ')
			q++;
	}
	return (size_t)(end - q) >= 13 && !memcmp(q, "MAC source = ", 13) ? q : NULL;
}

static int ebt_body(const char *s, const char *end, const char *macs, struct nl_pkt *p,
		    struct nl_err *err)
{
	struct nl_cur c = cur_make(s, (size_t)(macs - s));
	const char *tok, *m1, *m2, *et;
	size_t tn, n1, n2, en;
	int ip = 0, last;
	uint64_t v;

	cur_word(&c, &tok, &tn);	/* IN= */
	if (set_ifname(p->iif, "IN", 2, tok + 3, tn - 3, err))
		return -1;
	cur_spaces(&c);
	cur_word(&c, &tok, &tn);
	if (tn < 4 || memcmp(tok, "OUT=", 4) || set_ifname(p->oif, "OUT", 3, tok + 4, tn - 4, err))
		return tn < 4 || memcmp(tok, "OUT=", 4) ? nl_err_set(err, "no OUT= in the ebtables "
								       "log line") : -1;
	c = cur_make(macs + 13, (size_t)(end - macs - 13));
	cur_word(&c, &m1, &n1);
	cur_spaces(&c);
	if (!cur_lit(&c, "MAC dest = "))
		return nl_err_set(err, "an ebtables log line without \"MAC dest = \" after its source");
	cur_word(&c, &m2, &n2);
	cur_spaces(&c);
	if (!cur_lit(&c, "proto = 0x"))
		return nl_err_set(err, "an ebtables log line without \"proto = 0x\" after its MACs");
	cur_word(&c, &et, &en);
	if (n1 != 17 || n2 != 17 || en != 4)
		return nl_err_set(err, "an ebtables log line whose MAC addresses or protocol are "
				  "not as ebt_log prints them");
	/* as the LOG target prints it: destination, source, ethertype */
	snprintf(p->mac, sizeof p->mac, "%.17s:%.17s:%.2s:%.2s", m2, m1, et, et + 2);
	while (!cur_eof(&c)) {
		const char *key, *val, *eq;
		size_t klen, vn;
		cur_spaces(&c);
		if (cur_eof(&c))
			break;
		cur_word(&c, &tok, &tn);
		last = cur_eof(&c);
		if (tn > 0 && tok[tn - 1] == ',')
			tn--;
		if (tn == 3 && !memcmp(tok, "ARP", 3)) {
			/* ARP's header and addresses: kept as printed */
			pktlog_extra_add(p, tok, (size_t)(end - tok));
			break;
		}
		if ((tn == 2 && !memcmp(tok, "IP", 2)) || (tn == 4 && !memcmp(tok, "IPv6", 4))) {
			ip = tn == 2 ? 4 : 6;
			continue;
		}
		eq = memchr(tok, '=', tn);
		if (!eq) {
			if (!(ip == 6 && tn == 4 && !memcmp(tok, "Next", 4)))
				pktlog_extra_add(p, tok, tn);	/* "INCOMPLETE IP header" */
			continue;
		}
		key = tok;
		klen = (size_t)(eq - tok);
		val = eq + 1;
		vn = tn - klen - 1;
		if (ip && (KEY("SRC") || KEY("DST"))) {
			if (set_addr(p, KEY("SRC") ? p->src : p->dst, key, klen, val, vn, err))
				CUT_OR_FAIL;
		} else if (ip == 4 && KEY("tos")) {
			NUM(0xff, 1);
			p->tos = (int)v;
		} else if ((ip == 4 && KEY("proto")) || (ip == 6 && KEY("Header"))) {
			NUM(255, 0);
			p->proto = (int)v;
		} else if (KEY("SPT")) {
			NUM(65535, 0);
			p->sport = (int)v;
		} else if (KEY("DPT")) {
			NUM(65535, 0);
			p->dport = (int)v;
		} else if (!(ip == 6 && KEY("priority"))) {
			pktlog_extra_add(p, tok, tn);
		}
	}
	return 0;
}

/* Whether msg starts like a TRACE line ("TRACE: table:chain:type:N") or a
 * conntrack tracker's line, whatever follows; an application's own
 * "TRACE: entering foo" in the same syslog is not netfilter's. */
static int looks_netfilter(const char *s, size_t n)
{
	struct nl_cur c = cur_make(s, n);
	cur_spaces(&c);
	if (cur_lit(&c, "TRACE: ")) {
		struct nl_event *ev = calloc(1, sizeof *ev);
		struct nl_err err;
		const char *w;
		size_t wn;
		int ok;
		if (!ev)
			return 0;
		cur_word(&c, &w, &wn);
		ok = pktlog_trace_prefix(w, wn, ev, &err) == 0;
		free(ev);
		return ok;
	}
	return ct_prefix(&c) >= 0;
}

int pktlog_parse(const char *msg, size_t n, struct nl_event *ev, struct nl_err *err)
{
	const char *body = find_body(msg, n), *macs;
	int ct_proto = -1;
	if (!body && looks_netfilter(msg, n)) {
		/* a TRACE line cut after IN= ("IN=eth0 ..."): what there is */
		const char *in = memmem(msg, n, " IN=", 4);
		if (in && memmem(msg, n, "TRACE: ", 7))
			body = in + 1;
	}
	if (!body) {
		if (looks_netfilter(msg, n))
			return nl_err_set(err, "no packet after the %s prefix (IN=, OUT=, SRC= are missing: line cut short?)",
					  memmem(msg, n, "TRACE: ", 7) ? "TRACE" : "conntrack");
		return 1;
	}
	if ((macs = ebt_macs(body, msg + n)) != NULL) {
		/* ebtables has no TRACE: a "TRACE: eb:filter:FORWARD" before
		 * it is a LOG prefix that imitates one */
		ev->kind = NL_EV_LOG;
		nl_strlcpyn(ev->prefix, msg, (size_t)(body - msg), sizeof ev->prefix);
		return ebt_body(body, msg + n, macs, &ev->pkt, err);
	}
	if (classify(msg, (size_t)(body - msg), ev, &ct_proto, err))
		return -1;
	/* LOG prints its prefix, then IN= and OUT=: without them, what comes
	 * before SRC= is no prefix ("MAC=..." or nothing) but the rest of a
	 * line a paste or a syslog broke in two */
	if (ev->kind == NL_EV_LOG && memcmp(body, "IN=", 3) != 0 &&
	    (!ev->prefix[0] || strchr(ev->prefix, '='))) {
		const char *out = strstr(ev->prefix, "OUT=");
		size_t wn = strcspn(ev->prefix, " ");
		if (out && out > ev->prefix && out[-1] == ' ')
			/* "XX=enp1s0 OUT= ...": the field before OUT= is not IN= */
			return nl_err_set(err, "'%.*s' where the kernel prints IN= before OUT=: the "
					  "line was altered or cut inside", (int)(wn > 40 ? 40 : wn),
					  ev->prefix);
		return nl_err_set(err, "the rest of a netfilter line broken in two (no prefix, IN= "
				  "or OUT= before SRC=): its head is on a line before");
	}
	if (ct_proto >= 0)
		ev->pkt.proto = ct_proto;	/* PROTO= may be cut; the tracker says */
	return parse_body(body, n - (size_t)(body - msg), &ev->pkt, err);
}

int pktlog_parse_fields(const char *s, size_t n, struct nl_event *ev, struct nl_err *err)
{
	ev->kind = NL_EV_LOG;
	return parse_body(s, n, &ev->pkt, err);
}
