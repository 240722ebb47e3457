/*
 * filter.c - the filter options of traces, invalid, flows and export: one
 * parser for `--src 10.77.1.0/24`, `--proto udp`, `--rule
 * filter:FORWARD:policy:7`, `--iface eth0`, ... so each means the same in
 * every command, and an option a command cannot apply is a usage error
 * that says why, never silently ignored.
 */
#include "natlog.h"
#include "cli.h"
#include "filter.h"

#include <arpa/inet.h>
#include <string.h>

const char nl_filter_help[] =
	"  --src ADDR[/LEN]  source address, or a CIDR prefix (10.77.1.0/24, fd00:77::/32)\n"
	"  --dst ADDR[/LEN]  destination address or prefix, before or after NAT\n"
	"  --port N          source or destination port, before or after NAT\n"
	"  --proto P         tcp, udp, icmp, icmpv6, another name, or a number 0-255\n"
	"  --seq N           TCP sequence number\n"
	"  --ip-id N         IP identification\n"
	"  --verdict V       accept, drop, reject, queue or unknown\n"
	"  --host NAME       host that logged it\n"
	"  --rule R          hit (or decided by) rule R, as natlog prints it:\n"
	"                    TABLE:CHAIN[:TYPE[:N]] (filter:FORWARD:policy:7,\n"
	"                    nat:DOCKER:rule:3), FAMILY:TABLE:CHAIN[:TYPE[:N]] for nft\n"
	"                    (inet:filter:forward:rule:2), FAMILY:TABLE:CHAIN:handle:N,\n"
	"                    or handle:N\n"
	"  --iface NAME      in or out interface (or bridge port) at any step\n"
	"  --since T, --until T   at or after, at or before T (the forms below)\n";

static const char *const opt_names[] = {
	"--src", "--dst", "--port", "--proto", "--seq", "--ip-id", "--verdict", "--host",
	"--rule", "--iface", "--since", "--until",
};

void nl_filter_opts_init(struct nl_filter_opts *o)
{
	memset(o, 0, sizeof *o);
	o->f.port = -1;
	o->f.seq = -1;
	o->f.ip_id = -1;
}

/* An address, or a prefix whose address and length are both read: the
 * address is stored canonical, the length as a plain number. */
int nl_filter_parse_addr(const char *arg, char *out, size_t n)
{
	const char *slash = strchr(arg, '/');
	size_t alen = slash ? (size_t)(slash - arg) : strlen(arg), l;
	uint64_t bits;
	int fam = 0;
	if (nl_addr_canon(arg, alen, &fam, out, n) || !out[0])
		return -1;
	if (!slash)
		return 0;
	if (!nl_parse_u64(slash + 1, strlen(slash + 1), fam == 6 ? 128 : 32, &bits))
		return -1;
	if (bits == (fam == 6 ? 128u : 32u))
		return 0;	/* a whole address: compared as one (and by index) */
	l = strlen(out);
	if ((size_t)snprintf(out + l, n - l, "/%u", (unsigned)bits) >= n - l)
		return -1;
	return 0;
}

int nl_filter_addr_match(const char *v, const char *addr)
{
	if (!v)
		return 1;
	if (!addr || !addr[0])
		return 0;
	if (!strchr(v, '/'))
		return strcmp(v, addr) == 0;
	return nl_addr_in_prefix(addr, v) == 1;
}

static int is_family(const char *s)
{
	static const char *const fams[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev" };
	size_t i;
	for (i = 0; i < sizeof fams / sizeof fams[0]; i++)
		if (!strcmp(s, fams[i]))
			return 1;
	return 0;
}

static int is_type(const char *s)
{
	return !strcmp(s, "rule") || !strcmp(s, "return") || !strcmp(s, "policy");
}

/* TABLE:CHAIN[:TYPE[:N]], "FAMILY TABLE:..." as traces prints nft rules,
 * FAMILY:TABLE:CHAIN[:...], ...:handle:N and handle:N. The strings point
 * into buf. */
int nl_filter_parse_rule(const char *arg, char *buf, size_t n, struct nl_rule_filter *r)
{
	char *tok[6], *sp;
	size_t k = 0, i;
	uint64_t v;
	r->family = r->table = r->chain = r->type = NULL;
	r->num = r->handle = -1;
	if (nl_strlcpy(buf, arg, n) >= n || !buf[0])
		return -1;
	tok[k++] = buf;
	for (sp = buf; *sp; sp++)
		if (*sp == ':') {
			if (k == 6)
				return -1;
			*sp = '\0';
			tok[k++] = sp + 1;
		}
	for (i = 0; i < k; i++)
		if (!tok[i][0])
			return -1;
	if (k == 2 && !strcmp(tok[0], "handle"))
		return nl_parse_u64(tok[1], strlen(tok[1]), INT64_MAX, &v) ? (r->handle = (int64_t)v, 0)
									   : -1;
	i = 0;
	if ((sp = strchr(tok[0], ' ')) != NULL) {	/* "inet filter:forward:..." */
		*sp = '\0';
		if (!is_family(tok[0]) || !sp[1] || strchr(sp + 1, ' '))
			return -1;
		r->family = tok[0];
		tok[0] = sp + 1;
	} else if (k >= 3 && is_family(tok[0]) && !is_type(tok[2]) && strcmp(tok[2], "handle")) {
		r->family = tok[i++];
	}
	if (k - i < 2)
		return -1;
	r->table = tok[i++];
	r->chain = tok[i++];
	if (i == k)
		return 0;
	if (!strcmp(tok[i], "handle")) {
		if (k - i != 2 || !nl_parse_u64(tok[i + 1], strlen(tok[i + 1]), INT64_MAX, &v))
			return -1;
		r->handle = (int64_t)v;
		return 0;
	}
	if (!is_type(tok[i]))
		return -1;
	r->type = tok[i++];
	if (i == k)
		return 0;
	if (k - i != 1 || !nl_parse_u64(tok[i], strlen(tok[i]), INT32_MAX, &v))
		return -1;
	r->num = (int64_t)v;
	return 0;
}

static int num_arg(const char *cmd, const char *opt, const char *v, int64_t max, int64_t *out)
{
	uint64_t n;
	if (!nl_parse_u64(v, strlen(v), (uint64_t)max, &n)) {
		fprintf(stderr, "natlog %s: %s wants a number up to %lld, not '%s'\n", cmd, opt,
			(long long)max, nl_esc(v));
		return -1;
	}
	*out = (int64_t)n;
	return 0;
}

int nl_filter_opt(const char *cmd, int opt, const char *arg, struct nl_filter_opts *o)
{
	struct nl_filter *f = &o->f;
	int64_t v;
	if (opt < NL_FOPT_SRC || opt >= NL_FOPT_END)
		return 1;
	o->given |= 1u << (opt - NL_FOPT_SRC);
	switch (opt) {
	case NL_FOPT_SRC:
	case NL_FOPT_DST: {
		char *buf = opt == NL_FOPT_SRC ? o->src : o->dst;
		if (nl_filter_parse_addr(arg, buf, sizeof o->src)) {
			fprintf(stderr, "natlog %s: %s takes an IPv4 or IPv6 address or a CIDR prefix "
					"(10.77.2.2, 10.77.2.0/24, fd00:77::/32), not '%s'\n", cmd,
				opt_names[opt - NL_FOPT_SRC], nl_esc(arg));
			return -1;
		}
		if (opt == NL_FOPT_SRC)
			f->src = o->src;
		else
			f->dst = o->dst;
		return 0;
	}
	case NL_FOPT_PORT:
		if (num_arg(cmd, "--port", arg, 65535, &v))
			return -1;
		f->port = (int)v;
		return 0;
	case NL_FOPT_PROTO:
		f->proto = nl_proto_number(arg);
		if (f->proto < 0) {
			fprintf(stderr, "natlog %s: --proto takes tcp, udp, icmp, icmpv6, another "
					"protocol name (sctp, gre, esp, ...) or a number 0-255, not '%s'\n",
				cmd, nl_esc(arg));
			return -1;
		}
		f->has_proto = 1;
		return 0;
	case NL_FOPT_SEQ:
		return num_arg(cmd, "--seq", arg, 0xffffffffLL, &f->seq);
	case NL_FOPT_IPID:
		return num_arg(cmd, "--ip-id", arg, 65535, &f->ip_id);
	case NL_FOPT_VERDICT:
		if (nl_choice_arg(cmd, "--verdict", arg))
			return -1;
		f->verdict = arg;
		return 0;
	case NL_FOPT_HOST:
		f->host = arg;
		return 0;
	case NL_FOPT_RULE:
		if (nl_filter_parse_rule(arg, o->rule_buf, sizeof o->rule_buf, &o->rule)) {
			fprintf(stderr, "natlog %s: --rule takes a rule as natlog prints it: "
					"TABLE:CHAIN[:TYPE[:N]] (filter:FORWARD:policy:7, "
					"nat:DOCKER:rule:3), FAMILY:TABLE:CHAIN[:TYPE[:N]] "
					"(inet:filter:forward:rule:2), FAMILY:TABLE:CHAIN:handle:N or "
					"handle:N, TYPE being rule, return or policy; not '%s'\n", cmd,
				nl_esc(arg));
			return -1;
		}
		f->rule = &o->rule;
		return 0;
	case NL_FOPT_IFACE:
		if (!arg[0] || strlen(arg) >= NL_IFNAMSIZ) {
			fprintf(stderr, "natlog %s: --iface takes an interface name (eth0, docker0), "
					"not '%s'\n", cmd, nl_esc(arg));
			return -1;
		}
		f->iface = arg;
		return 0;
	case NL_FOPT_SINCE:
		return nl_time_opt(cmd, "--since", arg, &o->since);
	case NL_FOPT_UNTIL:
		return nl_time_opt(cmd, "--until", arg, &o->until);
	}
	return 1;
}

int nl_filter_check(const char *cmd, const struct nl_filter_opts *o, const struct nl_filter_na *na)
{
	for (; na && na->why; na++)
		if (NL_FGIVEN(o, na->opt)) {
			fprintf(stderr, "natlog %s: %s does not apply: %s\n", cmd,
				opt_names[na->opt - NL_FOPT_SRC], na->why);
			return -1;
		}
	return 0;
}

void nl_filter_times(const char *cmd, struct nl_store *s, struct nl_filter_opts *o)
{
	nl_time_bounds(cmd, nl_time_needs_year(&o->since, &o->until) ? store_latest_wall(s) : -1,
		       &o->since, &o->until, &o->f.since_clock,
		       &o->f.since_us, &o->f.until_clock, &o->f.until_us);
}
