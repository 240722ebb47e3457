/*
 * ovsct.c - Open vSwitch's conntrack dumps (`ovs-appctl dpctl/dump-conntrack
 * [-m] [-s] [dp] [zone=N]`, `ovs-dpctl dump-conntrack`): one nl_flow per
 * line. Defined by OVS lib/ct-dpif.c (ct_dpif_format_entry), e.g. (its
 * tests/system-traffic.at, and with -m -s as Antrea reads it):
 *   udp,orig=(src=10.1.1.2,dst=10.1.1.1,sport=2,dport=1),reply=(src=10.1.1.1,dst=10.1.1.2,sport=1,dport=2),zone=5,labels=0xaa00000000
 *   tcp,orig=(src=127.0.0.1,dst=8.7.6.5,sport=45170,dport=2379,packets=80743,bytes=5416239),reply=(...),start=2020-07-24T05:07:01.591,id=462801621,zone=4096,status=SEEN_REPLY|ASSURED|CONFIRMED|SRC_NAT_DONE|DST_NAT_DONE,timeout=86397,protoinfo=(state_orig=ESTABLISHED,state_reply=ESTABLISHED,...)
 * zone= is printed only when not 0; status= (-m) gives [ASSURED] and
 * SEEN_REPLY, without it assured is unknown. The kernel datapath's
 * entries (system@) are the kernel's table seen through OVS; a userspace
 * datapath's (netdev@, DPDK) are OVS's own, kept apart as the table of
 * NL_OVS_USERSPACE "<type@name>" in the flow's netns: the datapath comes
 * from a pasted command line above the entries or from the file's name
 * (sosreport's ovs-appctl_dpctl.dump-conntrack_-m_netdev_ovs-netdev).
 * Expectations (dpctl/dump-conntrack-exp) are errors that say so.
 */
#include "natlog.h"
#include "cursor.h"
#include "parser.h"

#include <stdlib.h>
#include <string.h>

#define SHOWN(p, n) (int)((n) > 60 ? 60 : (n)), (p)
#define KEY(k) (kn == sizeof(k) - 1 && !memcmp(key, k, kn))

struct ovsct {
	const struct nl_sink *sink;
	char dp[96];		/* the userspace datapath's netns marker, "" */
	int continued;		/* the line before ended with '\' */
	int counts;		/* under a command whose output is a count (| wc -l) */
};

/* OVS's protocol words (ct_dpif_format_ipproto), else a number. */
static int proto_of(const char *s, size_t n)
{
	static const struct { const char *name; int num; } names[] = {
		{ "icmp", 1 }, { "icmpv6", 58 }, { "tcp", 6 }, { "udp", 17 }, { "sctp", 132 },
		{ "udplite", 136 }, { "dccp", 33 }, { "igmp", 2 },
	};
	uint64_t v;
	size_t i;
	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i].name) == n && !memcmp(names[i].name, s, n))
			return names[i].num;
	return nl_parse_u64(s, n, 255, &v) ? (int)v : -1;
}

/* The next "key=value" of a comma-separated list at c, the value up to the
 * next ',' or, when it opens with '(', to its matching ')': 1, 0 at the
 * end, -1 when the text is not such a list. */
static int next_field(struct nl_cur *c, const char **key, size_t *kn, const char **v, size_t *vn)
{
	const char *eq;
	if (cur_eof(c))
		return 0;
	eq = memchr(c->p, '=', cur_left(c));
	if (!eq || eq == c->p || memchr(c->p, ',', (size_t)(eq - c->p)))
		return -1;
	*key = c->p;
	*kn = (size_t)(eq - c->p);
	c->p = eq + 1;
	if (cur_peek(c) == '(') {
		int depth = 0;
		const char *p = c->p;
		for (; p < c->end; p++) {
			depth += *p == '(';
			if (*p == ')' && --depth == 0)
				break;
		}
		if (p >= c->end)
			return -1;
		*v = c->p + 1;
		*vn = (size_t)(p - c->p - 1);
		c->p = p + 1;
	} else {
		cur_until(c, ',', v, vn);
	}
	if (!cur_eof(c) && !cur_char(c, ','))
		return -1;
	return 1;
}

static int num(const char *v, size_t vn, uint64_t max, int64_t *out)
{
	uint64_t x;
	if (!nl_parse_u64(v, vn, max, &x))
		return -1;
	*out = (int64_t)x;
	return 0;
}

/* One tuple's "src=..,dst=..,sport=..,dport=.." or ICMP's "id=..,type=..,
 * code=..", with -s's ",packets=..,bytes=..", into f (dir 0 orig, 1
 * reply): 0, or -1 with err set. */
static int tuple(const char *s, size_t n, int dir, struct nl_flow *f, int *fam, struct nl_err *err)
{
	static const char *const dirs[] = { "orig", "reply" };
	struct nl_cur c = cur_make(s, n);
	const char *key, *v;
	size_t kn, vn;
	int64_t id = -1, type = -1, code = -1, sp = -1, dp = -1;
	int have = 0, rc, af;
	while ((rc = next_field(&c, &key, &kn, &v, &vn)) > 0) {
		if (KEY("src") || KEY("dst")) {
			char *a = KEY("src") ? (dir ? f->rsrc : f->osrc) : (dir ? f->rdst : f->odst);
			if (nl_addr_canon(v, vn, &af, a, NL_ADDRSIZ))
				return nl_err_set(err, "%s's '%.*s' is not an IP address", dirs[dir],
						  SHOWN(v, vn));
			if (*fam && af != *fam)
				return nl_err_set(err, "IPv4 and IPv6 addresses in one entry");
			*fam = af;
			have |= KEY("src") ? 1 : 2;
			continue;
		}
		int64_t *p = KEY("sport") ? &sp : KEY("dport") ? &dp : KEY("id") ? &id :
			     KEY("type") ? &type : KEY("code") ? &code :
			     KEY("packets") ? (dir ? &f->rpackets : &f->opackets) :
			     KEY("bytes") ? (dir ? &f->rbytes : &f->obytes) : NULL;
		uint64_t max = KEY("type") || KEY("code") ? 255 : KEY("packets") || KEY("bytes") ?
			       INT64_MAX : 65535;
		if (!p)
			return nl_err_set(err, "unknown '%.*s' in the %s tuple", SHOWN(key, kn), dirs[dir]);
		if (num(v, vn, max, p))
			return nl_err_set(err, "bad '%.*s=%.*s' in the %s tuple", SHOWN(key, kn),
					  SHOWN(v, vn), dirs[dir]);
	}
	if (rc < 0 || have != 3)
		return nl_err_set(err, "the %s tuple is not src=,dst= and its ports", dirs[dir]);
	if (f->proto == 1 || f->proto == 58) {
		if (id < 0 || type < 0 || code < 0)
			return nl_err_set(err, "an ICMP %s tuple without id=, type= and code=", dirs[dir]);
		if (dir == 0) {
			f->icmp_id = (int)id;
			f->icmp_type = (int)type;
			f->icmp_code = (int)code;
		} else {
			f->rsport = (int)id;	/* as conntrack -L's: the reply's id */
		}
		return 0;
	}
	if (sp < 0 || dp < 0)
		return nl_err_set(err, "the %s tuple without sport= and dport=", dirs[dir]);
	*(dir ? &f->rsport : &f->osport) = (int)sp;
	*(dir ? &f->rdport : &f->odport) = (int)dp;
	return 0;
}

/* ct_dpif_tcp_state_string's order: OVS prints the greater of the two
 * directions' states, FIN_WAIT_2 as TIME_WAIT and SYN_RECV as
 * ESTABLISHED (coalesce_tcp_state); -m prints both as they are. */
static const char *const tcp_states[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "CLOSE_WAIT",
	"FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT",
};

static int tcp_state(const char *v, size_t vn)
{
	size_t i;
	for (i = 0; i < sizeof tcp_states / sizeof *tcp_states; i++)
		if (strlen(tcp_states[i]) == vn && !memcmp(tcp_states[i], v, vn))
			return (int)i;
	return -1;
}

/* protoinfo=(...) into f->state: 0, or -1 with err set. An unknown
 * state OVS prints as "[N]" leaves the state unknown. */
static int protoinfo(const char *s, size_t n, struct nl_flow *f, struct nl_err *err)
{
	struct nl_cur c = cur_make(s, n);
	const char *key, *v;
	size_t kn, vn;
	int rc, best = -1;
	while ((rc = next_field(&c, &key, &kn, &v, &vn)) > 0) {
		if (!(KEY("state") || KEY("state_orig") || KEY("state_reply")) || (vn && v[0] == '['))
			continue;	/* wscale, flags, vtags: not kept */
		if (f->proto == 6) {
			int st = tcp_state(v, vn);
			if (st < 0)
				return nl_err_set(err, "'%.*s' is no TCP state OVS prints", SHOWN(v, vn));
			best = st > best ? st : best;
		} else {
			size_t i;
			for (i = 0; i < vn; i++)
				if (!((v[i] >= 'A' && v[i] <= 'Z') || v[i] == '_'))
					return nl_err_set(err, "'%.*s' is no state", SHOWN(v, vn));
			nl_strlcpyn(f->state, v, vn, sizeof f->state);
		}
	}
	if (rc < 0)
		return nl_err_set(err, "a protoinfo=( ) that is no list of key=value");
	if (best >= 0)
		nl_strlcpy(f->state, tcp_states[best == 9 ? 10 : best == 3 ? 4 : best], sizeof f->state);
	return 0;
}

/* status=SEEN_REPLY|ASSURED|CONFIRMED (-m; "0" for none): assured and
 * unreplied. */
static void status(const char *v, size_t vn, struct nl_flow *f)
{
	const char *end = v + vn, *bar;
	int seen = 0;
	f->assured = 0;
	for (; v < end; v = bar + 1) {
		size_t wn;
		bar = memchr(v, '|', (size_t)(end - v));
		if (!bar)
			bar = end;
		wn = (size_t)(bar - v);
		f->assured |= wn == 7 && !memcmp(v, "ASSURED", 7);
		seen |= wn == 10 && !memcmp(v, "SEEN_REPLY", 10);
	}
	f->unreplied = !seen;
}

/* The fields after the reply tuple: 0, or -1 with err set. */
static int entry_rest(struct nl_cur *c, struct nl_flow *f, struct nl_err *err)
{
	const char *key, *v;
	size_t kn, vn;
	int rc;
	while ((rc = next_field(c, &key, &kn, &v, &vn)) > 0) {
		if (KEY("zone") || KEY("id") || KEY("mark")) {
			int64_t *p = KEY("zone") ? &f->zone : KEY("id") ? &f->ct_id : &f->mark;
			if (num(v, vn, KEY("zone") ? 65535 : 0xffffffffULL, p))
				return nl_err_set(err, "bad '%.*s=%.*s'", SHOWN(key, kn), SHOWN(v, vn));
		} else if (KEY("status")) {
			status(v, vn, f);
		} else if (KEY("protoinfo")) {
			if (protoinfo(v, vn, f, err))
				return -1;
		} else if (KEY("orig") || KEY("reply")) {
			return nl_err_set(err, "a second '%.*s=' tuple", SHOWN(key, kn));
		}
		/* start= stop= timeout= labels= helper= parent=(): not kept */
	}
	if (rc < 0)
		return nl_err_set(err, "'%.*s' is not a list of key=value", SHOWN(c->p, cur_left(c)));
	return 0;
}

/* One entry into f: 0, or -1 with err set. */
static int parse_entry(const char *s, size_t n, struct nl_flow *f, struct nl_err *err)
{
	struct nl_cur c = cur_make(s, n);
	const char *w, *key = "", *v;
	size_t wn, kn = 0, vn;
	int fam = 0, dir;
	if (!memmem(s, n, ",reply=(", 8) && memmem(s, n, ",parent=(", 9))
		return nl_err_set(err, "a conntrack expectation (dpctl/dump-conntrack-exp): natlog "
				  "reads connections, not expectations");
	cur_until(&c, ',', &w, &wn);
	if ((f->proto = proto_of(w, wn)) < 0 || !cur_char(&c, ','))
		return nl_err_set(err, "'%.*s' is no protocol OVS prints", SHOWN(w, wn));
	for (dir = 0; dir < 2; dir++) {
		if (next_field(&c, &key, &kn, &v, &vn) <= 0 || !(dir ? KEY("reply") : KEY("orig")) ||
		    (size_t)(s + n - key) <= kn + 1 || key[kn + 1] != '(')
			return nl_err_set(err, "no %s=( ) tuple where OVS prints it (an entry cut, or "
					  "broken over lines)", dir ? "reply" : "orig");
		if (tuple(v, vn, dir, f, &fam, err))
			return -1;
	}
	f->family = fam;
	if (!(f->proto == 1 || f->proto == 58 || f->proto == 6 || f->proto == 17 || f->proto == 132 ||
	      f->proto == 136 || f->proto == 33) && !f->osport && !f->odport && !f->rsport && !f->rdport)
		f->osport = f->odport = f->rsport = f->rdport = -1;	/* no ports, printed as 0 */
	f->zone = 0;		/* printed when not 0 */
	f->assured = -1;	/* unknown without -m's status= */
	return entry_rest(&c, f, err);
}

/* The datapath a dpctl command line names: "netdev@ovs-netdev" (its type
 * netdev: the userspace datapath), else a kernel one (system@, a bare name,
 * ovs-dpctl), into st->dp: the marker, or "" for the kernel's. Without
 * one (no command line, or none named) it is NL_OVS_UNKNOWN: OVS dumps
 * the only datapath there is (lib/dpctl.c, dpctl_dump_conntrack), which
 * may be the userspace one. */
static void dp_set(struct ovsct *st, const char *type, size_t tn, const char *name, size_t nn)
{
	st->dp[0] = '\0';
	if (tn == 6 && !memcmp(type, "netdev", 6))
		snprintf(st->dp, sizeof st->dp, "%snetdev@%.*s", NL_OVS_USERSPACE, (int)nn, name);
}

/* "... ovs-appctl dpctl/dump-conntrack -m netdev@ovs-netdev | grep ...":
 * 1 for a command line that dumps OVS's conntrack, with its datapath in
 * st; 2 when its output is a count (| wc -l); else 0. */
static int prompt_line(struct ovsct *st, const char *s, size_t n)
{
	const char *cmd = memmem(s, n, "dump-conntrack", 14), *w, *at;
	struct nl_cur c;
	size_t wn;
	if (!cmd || memmem(s, n, "orig=(", 6) || !(memmem(s, n, "dpctl/", 6) || memmem(s, n, "ovs-dpctl", 9)))
		return 0;
	/* ovs-dpctl opens kernel datapaths only */
	nl_strlcpy(st->dp, memmem(s, n, "ovs-dpctl", 9) ? "" : NL_OVS_UNKNOWN, sizeof st->dp);
	c = cur_make(cmd, (size_t)(s + n - cmd));
	cur_word(&c, &w, &wn);
	while (cur_spaces(&c), cur_word(&c, &w, &wn)) {
		if (w[0] == '|' || w[0] == ';' || w[0] == '>')
			break;
		if (w[0] == '-' || (wn > 5 && !memcmp(w, "zone=", 5)))
			continue;
		/* a name without a type is a kernel (system) datapath's */
		at = memchr(w, '@', wn);
		dp_set(st, w, at ? (size_t)(at - w) : 0, at ? at + 1 : w,
		       at ? (size_t)(w + wn - at - 1) : wn);
		break;
	}
	return memmem(s, n, "wc -l", 5) ? 2 : 1;
}

/* sosreport's openvswitch plugin runs "ovs-appctl dpctl/dump-conntrack -m
 * DP" for each datapath dpctl/dump-dps lists, and names the file after
 * the command with '@' and '=' made '_': "..._-m_netdev_ovs-netdev". */
static void dp_from_path(struct ovsct *st, const char *path)
{
	const char *b = path ? strrchr(path, '/') : NULL, *p, *e;
	b = b ? b + 1 : path;
	nl_strlcpy(st->dp, NL_OVS_UNKNOWN, sizeof st->dp);
	if (!b || !(p = strstr(b, "dump-conntrack")))
		return;
	if (strstr(p, "_system_") || strstr(b, "ovs-dpctl")) {
		st->dp[0] = '\0';
		return;
	}
	if (!(p = strstr(p, "_netdev_")))
		return;
	p += 8;
	e = strstr(p, "_zone_");
	dp_set(st, "netdev", 6, p, e ? (size_t)(e - p) : strlen(p));
}

static int is_count(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

static int ovs_line(void *state, const char *s, size_t n, long lineno)
{
	struct ovsct *st = state;
	const struct nl_sink *k = st->sink;
	struct nl_flow f;
	struct nl_err err;
	int was = st->continued, p;
	nl_unquote(&s, &n);	/* entries indented or quoted in a mail */
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\t'))
		n--;
	st->continued = n > 0 && s[n - 1] == '\\';
	if (was)
		return k->error(k->ctx, lineno, "the rest of an OVS conntrack entry continued with '\\' "
				"from the line before (entries broken over lines are not joined)", s, n);
	if (st->continued)
		return k->error(k->ctx, lineno, "an OVS conntrack entry continued with '\\' on the next "
				"line (entries broken over lines are not joined)", s, n);
	if (n == 0 || (st->counts && is_count(s, n))) {
		k->skip(k->ctx, lineno);
		return 0;
	}
	if ((p = prompt_line(st, s, n)) != 0) {
		st->counts = p == 2;
		k->skip(k->ctx, lineno);
		return 0;
	}
	st->counts = 0;
	nl_flow_init(&f);
	f.line = lineno;
	err.msg[0] = '\0';
	if (parse_entry(s, n, &f, &err))
		return k->error(k->ctx, lineno, err.msg, s, n);
	nl_strlcpy(f.netns, st->dp, sizeof f.netns);
	return k->flow(k->ctx, &f);
}

/* 2 for an entry's head ("tcp,orig=(src="), 1 for a command dumping it. */
static int ovs_probe(const char *s, size_t n)
{
	const char *o;
	nl_unquote(&s, &n);
	o = memmem(s, n < 24 ? n : 24, ",orig=(src=", 11);
	if (o && proto_of(s, (size_t)(o - s)) >= 0)
		return 2;
	return memmem(s, n, "dump-conntrack", 14) &&
	       (memmem(s, n, "dpctl/", 6) || memmem(s, n, "ovs-dpctl", 9));
}

static void *ovs_open(const struct nl_sink *sink)
{
	struct ovsct *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->sink = sink;
	dp_from_path(st, sink->path);
	return st;
}

static int ovs_close(void *state)
{
	free(state);
	return 0;
}

static const char *const ovs_samples[] = {
	"udp,orig=(src=10.1.1.2,dst=10.1.1.1,sport=2,dport=1),reply=(src=10.1.1.1,dst=10.1.1.2,sport=1,dport=2),zone=5,labels=0xaa00000000",
	"icmp,orig=(src=10.0.0.3,dst=10.0.0.2,id=500,type=8,code=0),reply=(src=10.0.0.2,dst=10.0.0.201,id=501,type=0,code=0)",
	"tcp,orig=(src=127.0.0.1,dst=8.7.6.5,sport=45170,dport=2379,packets=80743,bytes=5416239),reply=(src=8.7.6.5,dst=127.0.0.1,sport=2379,dport=45170,packets=63361,bytes=4811261),start=2020-07-24T05:07:01.591,id=462801621,zone=4096,status=SEEN_REPLY|ASSURED|CONFIRMED|SRC_NAT_DONE|DST_NAT_DONE,timeout=86397,protoinfo=(state_orig=ESTABLISHED,state_reply=ESTABLISHED,wscale_orig=7,wscale_reply=7,flags_orig=WINDOW_SCALE|SACK_PERM|MAXACK_SET,flags_reply=WINDOW_SCALE|SACK_PERM|MAXACK_SET)",
	NULL,
};

const struct nl_parser nl_parser_ovsct = {
	.name = "ovs-conntrack",
	.probe = ovs_probe,
	.open = ovs_open,
	.line = ovs_line,
	.close = ovs_close,
	.samples = ovs_samples,
};
