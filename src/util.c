/*
 * util.c - small shared helpers: errors, strings, numbers, addresses, and
 * the escaping of input text for a terminal. Everything here is bounded;
 * nothing exits or prints.
 */
#include "natlog.h"
#include "cli.h"
#include "cursor.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int nl_quiet;

int nl_err_set(struct nl_err *e, const char *fmt, ...)
{
	va_list ap;
	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

size_t nl_strlcpyn(char *dst, const char *src, size_t srclen, size_t n)
{
	size_t k;
	if (n == 0)
		return srclen;
	k = srclen < n - 1 ? srclen : n - 1;
	memcpy(dst, src, k);
	dst[k] = '\0';
	return srclen;
}

size_t nl_strlcpy(char *dst, const char *src, size_t n)
{
	return nl_strlcpyn(dst, src, strlen(src), n);
}

int nl_sqlite_head(const void *p, size_t n)
{
	static const char magic[16] = "SQLite format 3";
	return n >= sizeof magic && !memcmp(p, magic, sizeof magic);
}

/* Length of the valid UTF-8 sequence at p (at most n bytes) that a
 * terminal shows as text, or 0: C0 and C1 controls, DEL, the bidi
 * overrides that reorder what is shown (U+202A..E, U+2066..9), overlong
 * forms, surrogates and stray bytes are not. */
static size_t printable_utf8(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t len, i;
	if (p[0] >= 0x20 && p[0] < 0x7f)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return len;
}

/* A few results at once (several in one printf), per thread. */
#define ESC_RING 8
#define ESC_SIZE 8192

const char *nl_escn(const char *s, size_t n)
{
	static _Thread_local char ring[ESC_RING][ESC_SIZE];
	static _Thread_local unsigned next;
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char *out;
	size_t i = 0, o = 0;
	if (!s)
		return "";
	out = ring[next++ % ESC_RING];
	while (i < n && p[i]) {
		size_t k = printable_utf8(p + i, n - i);
		if (o + (k ? k : 4) + 4 >= ESC_SIZE) {
			memcpy(out + o, "...", 4);	/* cut, and says so */
			return out;
		}
		if (k) {
			memcpy(out + o, p + i, k);
			o += k;
			i += k;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[p[i] >> 4];
			out[o++] = hex[p[i] & 15];
			i++;
		}
	}
	out[o] = '\0';
	return out;
}

void nl_fputs_esc(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n = s ? strlen(s) : 0;
	while (i < n) {
		size_t k = printable_utf8(p + i, n - i);
		if (k) {
			fwrite(p + i, 1, k, f);
			i += k;
		} else {
			fprintf(f, "\\x%02x", p[i++]);
		}
	}
}

const char *nl_esc(const char *s)
{
	return nl_escn(s, s ? strlen(s) : 0);
}

void nl_pkt_init(struct nl_pkt *p)
{
	memset(p, 0, sizeof *p);
	p->len = -1;
	p->tos = p->ttl = -1;
	p->ip_id = -1;
	p->proto = -1;
	p->sport = p->dport = -1;
	p->seq = p->ack = -1;
	p->window = -1;
	p->tcp_flags = -1;
	p->icmp_type = p->icmp_code = p->icmp_id = p->icmp_seq = -1;
	p->mark = -1;
	p->ct_id = -1;
	p->uid = p->gid = -1;
}

void nl_flow_init(struct nl_flow *f)
{
	memset(f, 0, sizeof *f);
	f->wall_us = -1;
	f->proto = -1;
	f->osport = f->odport = f->rsport = f->rdport = -1;
	f->icmp_type = f->icmp_code = f->icmp_id = -1;
	f->opackets = f->obytes = f->rpackets = f->rbytes = -1;
	f->mark = f->zone = f->ct_id = -1;
}

const char *nl_ovs_userspace(const char *netns)
{
	size_t n = sizeof NL_OVS_USERSPACE - 1;
	return netns && !strncmp(netns, NL_OVS_USERSPACE, n) ? netns + n : NULL;
}

int nl_ovs_unknown(const char *netns)
{
	return netns && !strcmp(netns, NL_OVS_UNKNOWN);
}

void nl_rule_init(struct nl_rule *r)
{
	memset(r, 0, sizeof *r);
	r->handle = -1;
	r->proto = -1;
	r->sport_lo = r->sport_hi = -1;
	r->dport_lo = r->dport_hi = -1;
	r->pkts = r->bytes = -1;
}

const char *nl_ev_kind_name(enum nl_ev_kind k)
{
	switch (k) {
	case NL_EV_TRACE: return "trace";
	case NL_EV_LOG: return "log";
	case NL_EV_CTINVALID: return "ct-invalid";
	case NL_EV_NFTRACE: return "nft-trace";
	case NL_EV_NFPACKET: return "nft-packet";
	case NL_EV_WIRE: return "wire";
	}
	return "unknown";
}

/* The names iptables-save and nft print: libxtables' own (mh, ipv6-mh)
 * and netbase's /etc/protocols, whose "ipip" is 94 and 4 "ipencap". The
 * first name of a number is the one shown. */
static const struct { int num; const char *name; } protos[] = {
	{ 1, "icmp" }, { 2, "igmp" }, { 4, "ipencap" }, { 6, "tcp" }, { 17, "udp" },
	{ 41, "ipv6" }, { 47, "gre" }, { 50, "esp" }, { 51, "ah" },
	{ 58, "icmpv6" }, { 112, "vrrp" }, { 132, "sctp" }, { 136, "udplite" },
	{ 33, "dccp" }, { 94, "ipip" }, { 135, "mh" }, { 135, "ipv6-mh" },
	{ 135, "mobility-header" }, { 3, "ggp" }, { 8, "egp" }, { 9, "igp" },
	{ 12, "pup" }, { 27, "rdp" }, { 43, "ipv6-route" }, { 44, "ipv6-frag" },
	{ 46, "rsvp" }, { 59, "ipv6-nonxt" }, { 60, "ipv6-opts" }, { 88, "eigrp" },
	{ 89, "ospf" }, { 97, "etherip" }, { 98, "encap" }, { 103, "pim" },
	{ 108, "ipcomp" }, { 115, "l2tp" }, { 124, "isis" }, { 137, "mpls-in-ip" },
	{ 143, "ethernet" },
};

int nl_month_index(const char *p, size_t n)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;
	if (n < 3)
		return -1;
	for (i = 0; i < 12; i++)
		if (memcmp(p, months + 3 * i, 3) == 0)
			return i;
	return -1;
}

int nl_proto_number(const char *name)
{
	uint64_t v;
	size_t i;
	if (!name || !*name)
		return -1;
	if (nl_parse_u64(name, strlen(name), 255, &v))
		return (int)v;
	for (i = 0; i < sizeof protos / sizeof protos[0]; i++)
		if (strcasecmp(name, protos[i].name) == 0)
			return protos[i].num;
	if (strcasecmp(name, "ipv6-icmp") == 0 || strcasecmp(name, "icmp6") == 0)
		return 58;
	return -1;
}

/* The names nft prints for ports (nft -S, and older nft by default) and
 * for ICMP types and codes, as numbers. */
struct nl_named { const char *name; int num; };

static const struct nl_named services[] = {
	{ "ftp-data", 20 }, { "ftp", 21 }, { "ssh", 22 }, { "telnet", 23 }, { "smtp", 25 },
	{ "domain", 53 }, { "bootps", 67 }, { "bootpc", 68 }, { "tftp", 69 }, { "http", 80 },
	{ "kerberos", 88 }, { "pop3", 110 }, { "sunrpc", 111 }, { "ntp", 123 },
	{ "netbios-ns", 137 }, { "netbios-dgm", 138 }, { "netbios-ssn", 139 }, { "imap2", 143 },
	{ "imap", 143 }, { "snmp", 161 }, { "snmp-trap", 162 }, { "ldap", 389 }, { "https", 443 },
	{ "microsoft-ds", 445 }, { "isakmp", 500 }, { "syslog", 514 }, { "dhcpv6-client", 546 },
	{ "dhcpv6-server", 547 }, { "submission", 587 }, { "ldaps", 636 }, { "rsync", 873 },
	{ "imaps", 993 }, { "pop3s", 995 }, { "openvpn", 1194 }, { "nfs", 2049 },
	{ "mysql", 3306 }, { "ms-wbt-server", 3389 }, { "ipsec-nat-t", 4500 }, { "sip", 5060 },
	{ "mdns", 5353 }, { "postgresql", 5432 }, { "http-alt", 8080 }, { "www", 80 },
	{ "ms-sql-s", 1433 }, { "webcache", 8080 },
};

static const struct nl_named icmp_types[] = {
	{ "echo-reply", 0 }, { "destination-unreachable", 3 }, { "source-quench", 4 },
	{ "redirect", 5 }, { "echo-request", 8 }, { "router-advertisement", 9 },
	{ "router-solicitation", 10 }, { "time-exceeded", 11 }, { "parameter-problem", 12 },
	{ "timestamp-request", 13 }, { "timestamp-reply", 14 }, { "info-request", 15 },
	{ "info-reply", 16 }, { "address-mask-request", 17 }, { "address-mask-reply", 18 },
};

static const struct nl_named icmp6_types[] = {
	{ "destination-unreachable", 1 }, { "packet-too-big", 2 }, { "time-exceeded", 3 },
	{ "parameter-problem", 4 }, { "echo-request", 128 }, { "echo-reply", 129 },
	{ "mld-listener-query", 130 }, { "mld-listener-report", 131 }, { "mld-listener-done", 132 },
	{ "mld-listener-reduction", 132 }, { "nd-router-solicit", 133 }, { "nd-router-advert", 134 },
	{ "nd-neighbor-solicit", 135 }, { "nd-neighbor-advert", 136 }, { "nd-redirect", 137 },
	{ "router-renumbering", 138 }, { "ind-neighbor-solicit", 141 },
	{ "ind-neighbor-advert", 142 }, { "mld2-listener-report", 143 },
};

static const struct nl_named icmp_codes[] = {
	{ "net-unreachable", 0 }, { "host-unreachable", 1 }, { "prot-unreachable", 2 },
	{ "port-unreachable", 3 }, { "frag-needed", 4 }, { "net-prohibited", 9 },
	{ "host-prohibited", 10 }, { "admin-prohibited", 13 },
};

static const struct nl_named icmp6_codes[] = {
	{ "no-route", 0 }, { "admin-prohibited", 1 }, { "addr-unreachable", 3 },
	{ "port-unreachable", 4 }, { "policy-fail", 5 }, { "reject-route", 6 },
};

static int named(const struct nl_named *t, size_t nt, const char *s, size_t n, uint64_t max)
{
	uint64_t v;
	size_t i;
	if (nl_parse_u64(s, n, max, &v))
		return (int)v;
	for (i = 0; i < nt; i++)
		if (strlen(t[i].name) == n && memcmp(t[i].name, s, n) == 0)
			return t[i].num;
	return -1;
}

int nl_port_number(const char *s, size_t n)
{
	return named(services, sizeof services / sizeof services[0], s, n, 65535);
}

int nl_icmp_type_number(int proto, const char *s, size_t n)
{
	return proto == 58 ? named(icmp6_types, sizeof icmp6_types / sizeof icmp6_types[0], s, n, 255)
			   : named(icmp_types, sizeof icmp_types / sizeof icmp_types[0], s, n, 255);
}

int nl_icmp_code_number(int proto, const char *s, size_t n)
{
	return proto == 58 ? named(icmp6_codes, sizeof icmp6_codes / sizeof icmp6_codes[0], s, n, 255)
			   : named(icmp_codes, sizeof icmp_codes / sizeof icmp_codes[0], s, n, 255);
}

const char *nl_proto_name(int proto)
{
	size_t i;
	for (i = 0; i < sizeof protos / sizeof protos[0]; i++)
		if (protos[i].num == proto)
			return protos[i].name;
	return NULL;
}

void nl_tcp_flags_str(int flags, char *buf, size_t n)
{
	/* The kernel log's order, so text output reads like the input. */
	static const struct { int bit; const char *name; } f[] = {
		{ NL_TCP_AE, "AE" }, { NL_TCP_CWR, "CWR" }, { NL_TCP_ECE, "ECE" },
		{ NL_TCP_URG, "URG" }, { NL_TCP_ACK, "ACK" }, { NL_TCP_PSH, "PSH" },
		{ NL_TCP_RST, "RST" }, { NL_TCP_SYN, "SYN" }, { NL_TCP_FIN, "FIN" },
	};
	size_t i, used = 0;
	if (n == 0)
		return;
	buf[0] = '\0';
	if (flags < 0)
		return;
	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (!(flags & f[i].bit))
			continue;
		int w = snprintf(buf + used, n - used, "%s%s", used ? " " : "", f[i].name);
		if (w < 0 || (size_t)w >= n - used)
			return;
		used += (size_t)w;
	}
}

/* 1 when in[0..n) is a dotted quad as inet_pton() takes it (four decimal
 * numbers up to 255, none with a leading zero): then it is its own
 * canonical form, and inet_ntop()'s formatting, a twentieth of a busy
 * log's import, is not needed. */
static int ipv4_plain(const char *in, size_t n)
{
	size_t i = 0;
	int part;
	for (part = 0; part < 4; part++) {
		unsigned v = 0;
		size_t d = 0, at;
		if (part) {
			if (i >= n || in[i] != '.')
				return 0;
			i++;
		}
		at = i;
		while (i < n && d < 4 && in[i] >= '0' && in[i] <= '9') {
			v = v * 10 + (unsigned)(in[i] - '0');
			i++;
			d++;
		}
		if (d == 0 || d > 3 || v > 255 || (d > 1 && in[at] == '0'))
			return 0;
	}
	return i == n;
}

int nl_addr_canon(const char *in, size_t n, int *family, char *out, size_t outn)
{
	char tmp[NL_ADDRSIZ + 8];
	unsigned char bin[16];
	if (n == 0 || n >= sizeof tmp)
		return -1;
	if (n < outn && ipv4_plain(in, n)) {
		if (family)
			*family = 4;
		memcpy(out, in, n);
		out[n] = '\0';
		return 0;
	}
	memcpy(tmp, in, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET, tmp, bin) == 1) {
		if (family)
			*family = 4;
		return inet_ntop(AF_INET, bin, out, (socklen_t)outn) ? 0 : -1;
	}
	if (inet_pton(AF_INET6, tmp, bin) == 1) {
		if (family)
			*family = 6;
		return inet_ntop(AF_INET6, bin, out, (socklen_t)outn) ? 0 : -1;
	}
	return -1;
}

int nl_addr_in_prefix(const char *addr, const char *prefix)
{
	char net[NL_ADDRSIZ + 8];
	unsigned char a[16], p[16];
	const char *slash = strchr(prefix, '/');
	size_t nlen = slash ? (size_t)(slash - prefix) : strlen(prefix);
	uint64_t bits;
	int af, alen, i;

	if (nlen >= sizeof net)
		return -1;
	memcpy(net, prefix, nlen);
	net[nlen] = '\0';
	if (inet_pton(AF_INET, net, p) == 1) {
		af = AF_INET;
		alen = 4;
	} else if (inet_pton(AF_INET6, net, p) == 1) {
		af = AF_INET6;
		alen = 16;
	} else {
		return -1;
	}
	if (inet_pton(af, addr, a) != 1)
		return -1;
	bits = (uint64_t)alen * 8;
	if (slash) {
		const char *b = slash + 1;
		if (!nl_parse_u64(b, strlen(b), (uint64_t)alen * 8, &bits)) {
			/* iptables -L may print a dotted mask: 255.255.0.0 */
			unsigned char m[4];
			if (af != AF_INET || inet_pton(AF_INET, b, m) != 1)
				return -1;
			for (i = 0; i < 4; i++)
				if ((a[i] & m[i]) != (p[i] & m[i]))
					return 0;
			return 1;
		}
	}
	for (i = 0; i < alen && bits > 0; i++) {
		unsigned char mask = bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));
		if ((a[i] & mask) != (p[i] & mask))
			return 0;
		bits = bits >= 8 ? bits - 8 : 0;
	}
	return 1;
}

int nl_ifname_match(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);
	if (n > 0 && pattern[n - 1] == '+')
		return strncmp(pattern, name, n - 1) == 0;
	return strcmp(pattern, name) == 0;
}

/* An address with some of its groups blanked ("192.168.1.x", "10.0.X.X",
 * "2001:db8:#::1"): every group digits (hex for IPv6) or only x, X, #,
 * none of which a real address has. */
static int groups_blanked(const char *v, size_t vn)
{
	size_t i = 0, g;
	int blanked = 0;
	while (i <= vn) {
		int digits = 1, blank = 1;
		for (g = i; g < vn && v[g] != '.' && v[g] != ':'; g++) {
			digits &= isxdigit((unsigned char)v[g]) != 0;
			blank &= v[g] == 'x' || v[g] == 'X' || v[g] == '#';
		}
		if (g > i && blank)
			blanked = 1;
		else if (!digits)
			return 0;
		i = g + 1;
	}
	return blanked;
}

/* A value a person blanked out before pasting ("XXX.XXX.XXX.XXX",
 * "XXXX:XXXX:0002:...", "xx:xx", "...", "*", "<server-ip>", "a.b.c.d",
 * "192.168.1.x", or nothing): unknown, not damage. No address, port or
 * number contains "xx", and every one that failed to parse but was real
 * had digits. */
int nl_redacted(const char *v, size_t vn, int numeric)
{
	static const char *const words[] = { "xx", "...", "*", "?", "redact", "hidden", "removed", NULL };
	const char *const *w;
	size_t i;
	if (vn == 0)
		return 1;
	for (w = words; *w; w++) {
		size_t wl = strlen(*w);
		for (i = 0; i + wl <= vn; i++)
			if (strncasecmp(v + i, *w, wl) == 0)
				return 1;
	}
	if (v[0] == '<' || v[0] == '[' || v[0] == '{')
		return 1;	/* "<server-ip>", "[REDACTED]", "{ip}" */
	if (!numeric)
		return 0;	/* protocol names have no digits either */
	if (groups_blanked(v, vn))
		return 1;
	for (i = 0; i < vn; i++)
		if (v[i] >= '0' && v[i] <= '9')
			return 0;
	return 1;	/* no digit at all: "a.b.c.d", "x.x.x.x", "MY_IP" */
}

/* The time in the high bits, so that the keys of a log go into their
 * indexes nearly in order (a random key is a page read and written per
 * line once the indexes outgrow the cache), and bits of the message hash
 * below: two lines of one time stamp whose bits agree have the same key,
 * and are told apart by mh. Kernel times wrap after 4.4 years of uptime;
 * wall-clock keys have bit 62 set. */
int64_t nl_fp_key(int wall, int64_t t, int64_t mh)
{
	uint64_t h = (uint64_t)mh >> 1, u = (uint64_t)t;
	if (wall)
		return (int64_t)((1ULL << 62) | ((u & ((1ULL << 26) - 1)) << 36) |
				 (h & ((1ULL << 36) - 1)));
	return (int64_t)(((u & ((1ULL << 47) - 1)) << 15) | (h & 0x7fff) | 1);
}

/* murmur3's finalizer: every input bit reaches every output bit */
uint64_t nl_mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* Eight bytes a step, for hashing every kernel line of a big import; not
 * for the trace ids users see (nl_hash64 keeps those stable). */
uint64_t nl_hash_fast(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)n * 0xc2b2ae3d27d4eb4fULL), w;
	while (n >= 8) {
		memcpy(&w, p, 8);
		w *= 0x87c37b91114253d5ULL;
		w = (w << 31) | (w >> 33);
		h ^= w * 0x4cf5ad432745937fULL;
		h = ((h << 27) | (h >> 37)) * 5 + 0x52dce729;
		p += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, p, n);
	h ^= nl_mix64(w + 0x38495ab5);
	return nl_mix64(h);
}

uint64_t nl_hash64(const void *data, size_t n, uint64_t h)
{
	const unsigned char *p = data;
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

int nl_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	struct nl_cur c = cur_make(s, n);
	uint64_t v;
	if (!cur_u64(&c, max, &v) || !cur_eof(&c))
		return 0;
	*out = v;
	return 1;
}

int nl_parse_hex(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i >= n)
		return 0;
	for (; i < n; i++) {
		int d;
		char ch = s[i];
		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			d = ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			d = ch - 'A' + 10;
		else
			return 0;
		if (v > (max - (uint64_t)d) / 16)
			return 0;
		v = v * 16 + (uint64_t)d;
	}
	*out = v;
	return 1;
}

/* "5678.901234": digits, optional fraction; no sign, no exponent. */
int nl_parse_decimal(const char *s, size_t n, double *out)
{
	uint64_t ip = 0, fp = 0;
	double scale = 1.0;
	struct nl_cur c = cur_make(s, n);
	if (!cur_u64(&c, 1000000000000ULL, &ip))
		return 0;
	if (cur_char(&c, '.')) {
		const char *f = c.p;
		while (c.p < c.end && *c.p >= '0' && *c.p <= '9' && c.p - f < 12) {
			fp = fp * 10 + (uint64_t)(*c.p - '0');
			scale *= 10.0;
			c.p++;
		}
		if (c.p == f)
			return 0;
	}
	if (!cur_eof(&c))
		return 0;
	*out = (double)ip + (double)fp / scale;
	return 1;
}

/* --color=always|never wins over NO_COLOR; auto wants a terminal (stdout
 * stays one while a pager's text is collected). */
int nl_use_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	if (nl_color >= 0)
		return nl_color;
	if (nc && *nc)
		return 0;
	return f == stdout ? nl_stdout_tty() : isatty(fileno(f));
}
