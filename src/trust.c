/*
 * trust.c - what the evidence around a packet says about the packet's own
 * evidence and fate: log lines lost while it was traced (rate-limited
 * kernel, journald, rsyslog; a monitor's lost events), conntrack events
 * lost (its records in doubt, not its trace), the kernel dropping packets
 * by itself (conntrack table full, SYN flooding), and sysctls that decide what the
 * kernel does with it or logs of it. Explain only: each adds a diagnosis.
 */
#include "natlog.h"
#include "analyze.h"
#include "trust.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NEAR_S 60.0	/* "near that time": health lines are rate-limited too */

struct span {
	int clock;		/* 1 kernel uptime, 2 epoch, 0 none */
	double first, last;	/* seconds on that clock */
};

static void packet_span(const struct nl_analysis *a, struct span *sp)
{
	const struct nl_event *f = &a->steps[0].ev, *l = &a->steps[a->n - 1].ev;
	sp->clock = 0;
	if (f->uptime >= 0 && l->uptime >= 0) {
		sp->clock = 1;
		sp->first = f->uptime;
		sp->last = l->uptime;
	} else if (f->wall_us >= 0 && l->wall_us >= 0) {
		sp->clock = 2;
		sp->first = (double)f->wall_us / 1e6;
		sp->last = (double)l->wall_us / 1e6;
	}
}

/* The notice's time on the packet's clock, or NAN. */
static double notice_at(const struct span *sp, const struct nl_notice *n)
{
	if (sp->clock == 1 && n->uptime >= 0)
		return n->uptime;
	if (sp->clock == 2 && n->wall_us >= 0)
		return (double)n->wall_us / 1e6;
	return NAN;
}

struct notice_ctx {
	struct nl_analysis *a;
	const struct nl_packet_row *p;
	struct span sp;
	int cut;		/* the trace ends where nothing decides */
	int past_ct;		/* a step after conntrack's hook (nat, filter) */
};

static int first_last_port(const struct nl_analysis *a, int port)
{
	return a->steps[0].ev.pkt.dport == port || a->steps[a->n - 1].ev.pkt.dport == port;
}

static void add_loss(struct nl_loss *v, int *nv, const struct nl_notice *n, const char *file)
{
	struct nl_loss *l;
	if (*nv >= NL_MAXLOSS)
		return;
	l = &v[(*nv)++];
	nl_strlcpy(l->file, file, sizeof l->file);
	nl_strlcpy(l->time, n->time, sizeof l->time);
	nl_strlcpy(l->text, n->text, sizeof l->text);
	l->line = n->line;
	l->count = n->count;
}

/* What a loss notice's lines were, by who said it: the kernel's log
 * (rate-limited printk, journald, rsyslog) holds TRACE and LOG lines; a
 * monitor's ENOBUFS loses that monitor's own events (its traces and
 * ruleset events); conntrack -E's loses conntrack events, which are no
 * trace lines. */
enum loss_of { LOSS_KLOG, LOSS_NFT, LOSS_XT, LOSS_CT };

static enum loss_of loss_of_origin(const char *origin)
{
	if (!strcmp(origin, "nft-monitor"))
		return LOSS_NFT;
	if (!strcmp(origin, "xtables-monitor"))
		return LOSS_XT;
	if (!strcmp(origin, "conntrack"))
		return LOSS_CT;
	return LOSS_KLOG;
}

/* The lines a packet's trace was read from. */
static enum loss_of loss_of_packet(const struct nl_packet_row *p)
{
	if (!strcmp(p->source, "nft-trace"))
		return LOSS_NFT;
	if (!strcmp(p->source, "xtables-trace"))
		return LOSS_XT;
	return LOSS_KLOG;
}

/* Lines lost and said without a time (a monitor's ENOBUFS: nft monitor
 * trace prints none): placed by its line among the packet's lines of the
 * same file, within the trace or, for a trace that stops where nothing
 * decides, within NEAR_LINES after it. */
#define NEAR_LINES 200
static void loss_by_line(struct notice_ctx *c, const struct nl_notice *n, const char *file)
{
	struct nl_analysis *a = c->a;
	long lo = -1, hi = -1;
	size_t i;
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->steps[i].file, file)) {
			if (lo < 0 || a->steps[i].ev.line < lo)
				lo = a->steps[i].ev.line;
			if (a->steps[i].ev.line > hi)
				hi = a->steps[i].ev.line;
		}
	if (hi < 0)
		return;
	if (n->line > lo && n->line < hi) {
		add_loss(a->loss, &a->nloss, n, file);
		nl_diag(a, "events were lost while this packet was traced ('%s', %s line %ld, between "
			   "its lines %ld and %ld): its trace may be incomplete", n->text, file, n->line,
			lo, hi);
	} else if (c->cut && n->line > hi && n->line - hi <= NEAR_LINES) {
		add_loss(a->loss, &a->nloss, n, file);
		nl_diag(a, "the trace stops where nothing decides, and events were lost after it "
			   "('%s', %s line %ld): its trace may be incomplete", n->text, file, n->line);
	}
}

/* A loss of the lines the packet's trace was read from. */
static void trace_loss(struct notice_ctx *c, const struct nl_notice *n, const char *file, double t)
{
	struct nl_analysis *a = c->a;
	if (isnan(t)) {
		if (n->uptime < 0 && n->wall_us < 0)
			loss_by_line(c, n, file);
	} else if (t >= c->sp.first && t <= c->sp.last) {
		add_loss(a->loss, &a->nloss, n, file);
		nl_diag(a, "log lines were lost while this packet was traced ('%s', %s line %ld): "
			   "its trace may be incomplete", n->text, file, n->line);
	} else if (c->cut && t > c->sp.last && t <= c->sp.last + NEAR_S) {
		add_loss(a->loss, &a->nloss, n, file);
		nl_diag(a, "the trace stops where nothing decides, and log lines were lost just "
			   "after it ('%s', %s line %ld): its trace may be incomplete",
			n->text, file, n->line);
	}
}

/* conntrack -E's word that the kernel dropped its events: the records of
 * the packet's connection may be missing, its trace is whole. Said
 * without a time (on stderr), it bears on every connection of the host;
 * with one, on those near it. */
static void ct_loss(struct notice_ctx *c, const struct nl_notice *n, const char *file, double t)
{
	if (!isnan(t) ? fabs(t - c->sp.first) <= NEAR_S : n->uptime < 0 && n->wall_us < 0)
		add_loss(c->a->ctloss, &c->a->nctloss, n, file);
}

static int on_notice(void *ctx, const struct nl_notice *n, const char *file)
{
	struct notice_ctx *c = ctx;
	struct nl_analysis *a = c->a;
	double t = notice_at(&c->sp, n);
	/* a namespace's conntrack (its events lost, its counters) and its
	 * monitor are not the host's packets', nor the host's its packets';
	 * the kernel's lines are of one log for every namespace */
	if (strcmp(n->netns, c->p->netns) &&
	    (n->netns[0] || (strcmp(n->origin, "kernel") && strcmp(n->origin, "journald") &&
			     strcmp(n->origin, "rsyslog"))))
		return 0;
	if (!strcmp(n->kind, "loss")) {
		enum loss_of of = loss_of_origin(n->origin);
		if (of == LOSS_CT)
			ct_loss(c, n, file, t);
		else if (of == loss_of_packet(c->p))
			trace_loss(c, n, file, t);
		return 0;
	}
	if (isnan(t))
		return 0;
	if (fabs(t - c->sp.first) > NEAR_S)
		return 0;
	/* conntrack drops in prerouting right after the raw table, so a trace
	 * it ends looks cut; a full listen queue drops SYNs the rules let in */
	if (!strcmp(n->kind, "conntrack-full") && c->cut && !c->past_ct)
		nl_diag(a, "the conntrack table was full near this packet's time ('%s', %s line %ld): "
			   "the kernel drops new connections then, before any rule sees them "
			   "(net.netfilter.nf_conntrack_max)", n->text, file, n->line);
	else if (!strcmp(n->kind, "expect-full") && c->cut && !c->past_ct)
		nl_diag(a, "conntrack's expectation table was full near this packet's time ('%s', %s "
			   "line %ld): related connections (FTP, SIP data) were not expected then",
			n->text, file, n->line);
	else if (!strcmp(n->kind, "syn-flood") && c->p->proto == 6 && n->port >= 0 &&
		 (c->p->tcp_flags & (NL_TCP_SYN | NL_TCP_ACK)) == NL_TCP_SYN &&
		 strcmp(a->verdict, "drop") != 0 && strcmp(a->verdict, "reject") != 0 &&
		 first_last_port(a, n->port))
		nl_diag(a, "the kernel saw a possible SYN flood on port %d near this packet's time "
			   "('%s', %s line %ld): the listening socket's queue was full, so SYNs were "
			   "answered with cookies or dropped, whatever the rules said", n->port, n->text,
			file, n->line);
	return 0;
}

static int sysctl_get(struct nl_store *s, const char *host, const char *name,
		      struct nl_sysctl_row *r)
{
	return store_sysctl(s, host[0] ? host : NULL, name, r);
}

static int has_hook(const struct nl_analysis *a, int hook)
{
	size_t i;
	for (i = 0; i < a->n; i++)
		if (a->steps[i].hook == hook)
			return 1;
	return 0;
}

/* A trace that stops in prerouting, or where no step decides, is cut: a
 * packet that lives on goes to input or forward, and one that a rule
 * dropped shows that rule. */
static int looks_cut(const struct nl_analysis *a)
{
	return a->decided < 0 || (a->steps[a->n - 1].hook == 0 && !has_hook(a, 1) && !has_hook(a, 2));
}

static int ip_forward(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a)
{
	struct nl_sysctl_row r;
	const char *name = p->family == 6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward";
	int i, rc = sysctl_get(s, p->host, name, &r);
	if (rc <= 0 || strcmp(r.value, "0") != 0)
		return rc < 0 ? -1 : 0;
	if (has_hook(a, 2)) {
		nl_diag(a, "%s = 0 (%s line %ld), yet this packet was traced in the forward hook: that "
			   "listing is from another time than the trace", name, r.file, r.line);
		return 0;
	}
	for (i = 0; i < a->nnat; i++)
		if (!strcmp(a->nat[i].field, "dst") && !a->nat[i].after_trace) {
			nl_diag(a, "%s = 0 (%s line %ld): the kernel does not forward, so after DNAT to %s "
				   "the packet is dropped at routing, without a rule or a log line",
				name, r.file, r.line, a->nat[i].to);
			return 0;
		}
	/* a trace that stops at the DNAT rule itself shows no rewritten step */
	for (i = (int)a->n - 1; i >= 0 && looks_cut(a); i--) {
		const struct nl_vrule *d = a->steps[i].rule;
		if (d && !strcmp(d->target, "DNAT") && d->target_arg[0]) {
			nl_diag(a, "%s = 0 (%s line %ld): the kernel does not forward, so after DNAT to %s "
				   "(%s:%s:rule:%d) the packet is dropped at routing, without a rule or a "
				   "log line", name, r.file, r.line, d->target_arg, a->steps[i].ev.table,
				a->steps[i].ev.chain, a->steps[i].ev.rulenum);
			break;
		}
	}
	return 0;
}

/* A sysctl's value as a small number, or -1. */
static int small_num(const struct nl_sysctl_row *r)
{
	uint64_t v;
	return nl_parse_u64(r->value, strlen(r->value), 1000, &v) ? (int)v : -1;
}

/* Strict reverse-path filtering drops in routing after prerouting: no rule
 * decides and no later hook sees the packet. */
static int rp_filter(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a)
{
	struct nl_sysctl_row all, dev;
	const struct nl_sysctl_row *why;
	char name[96];
	const char *iif = a->steps[0].ev.pkt.iif;
	int ra, rd;
	if (p->family != 4 || !iif[0] || !looks_cut(a) || has_hook(a, 1) || has_hook(a, 2) ||
	    !strcmp(a->verdict, "drop"))
		return 0;
	ra = sysctl_get(s, p->host, "net.ipv4.conf.all.rp_filter", &all);
	snprintf(name, sizeof name, "net.ipv4.conf.%s.rp_filter", iif);
	rd = sysctl_get(s, p->host, name, &dev);
	if (ra < 0 || rd < 0)
		return -1;
	/* the kernel uses the larger of "all" and the interface's value; 2
	 * (loose) only wants a route back through any interface */
	if (rd > 0 && small_num(&dev) == 1 && (ra <= 0 || small_num(&all) <= 1))
		why = &dev;
	else if (ra > 0 && small_num(&all) == 1 && (rd <= 0 || small_num(&dev) <= 1))
		why = &all;
	else
		return 0;
	nl_diag(a, "strict reverse-path filtering is on for %s (%s = 1, %s line %ld): a packet "
		   "whose source is not routed back out of %s is dropped after prerouting, without "
		   "a rule or a log line", iif, why == &dev ? name : "net.ipv4.conf.all.rp_filter",
		why->file, why->line, iif);
	return 0;
}

static int invalid_involved(const struct nl_analysis *a, int *logged)
{
	size_t i;
	const struct nl_step *d;
	const char *t;
	*logged = 0;
	for (i = 0; i < a->nlogs; i++)
		*logged |= a->logs[i].ev.kind == NL_EV_CTINVALID;
	if (*logged)
		return 1;
	if (a->decided < 0 || strcmp(a->verdict, "drop") != 0)
		return 0;
	d = &a->steps[a->decided];
	t = d->rule_text ? d->rule_text : d->ev.rule;
	return t && (strstr(t, "INVALID") || strstr(t, "ct state invalid"));
}

static int conntrack_sysctls(struct nl_store *s, const struct nl_packet_row *p,
			     struct nl_analysis *a)
{
	struct nl_sysctl_row r;
	int logged, rc;
	if (!invalid_involved(a, &logged))
		return 0;
	if (!logged) {
		rc = sysctl_get(s, p->host, "net.netfilter.nf_conntrack_log_invalid", &r);
		if (rc < 0)
			return -1;
		if (rc > 0 && (!strcmp(r.value, "0") || !r.value[0]))
			nl_diag(a, "net.netfilter.nf_conntrack_log_invalid = %s (%s line %ld): that is why "
				   "no conntrack line says why this packet was invalid", r.value[0] ? r.value
				   : "(unset)", r.file, r.line);
	}
	if (p->proto != 6)
		return 0;
	rc = sysctl_get(s, p->host, "net.netfilter.nf_conntrack_tcp_be_liberal", &r);
	if (rc < 0)
		return -1;
	if (rc > 0 && !strcmp(r.value, "0"))
		nl_diag(a, "net.netfilter.nf_conntrack_tcp_be_liberal = 0 (%s line %ld): conntrack calls "
			   "TCP packets outside the window it tracks invalid; with 1 only RSTs and "
			   "malformed packets are", r.file, r.line);
	else if (rc > 0 && strcmp(r.value, "0") != 0)
		nl_diag(a, "net.netfilter.nf_conntrack_tcp_be_liberal = %s (%s line %ld): conntrack "
			   "accepts TCP packets outside the window, so this one was invalid for another "
			   "reason", r.value, r.file, r.line);
	return 0;
}

int trust_log_all_netns(struct nl_store *s, const char *host, struct nl_sysctl_row *r)
{
	int rc = sysctl_get(s, host ? host : "", "net.netfilter.nf_log_all_netns", r);
	if (rc <= 0)
		return rc;
	return strcmp(r->value, "0") != 0;
}

static int log_netns(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a)
{
	struct nl_sysctl_row r;
	int64_t ns;
	int rc = sysctl_get(s, p->host, "net.netfilter.nf_log_all_netns", &r);
	if (rc <= 0 || strcmp(r.value, "0") != 0)
		return rc < 0 ? -1 : 0;
	ns = store_count_sql(s, "SELECT count(*) FROM rulesets WHERE netns IS NOT NULL AND "
				"host IS ?1", p->host);
	if (ns < 0)
		return -1;
	if (ns > 0)
		nl_diag(a, "net.netfilter.nf_log_all_netns = 0 (%s line %ld): the kernel logs TRACE and "
			   "LOG lines of the host's own network namespace only, so the traces of the "
			   "namespaces (containers) whose rulesets were dumped are missing",
			r.file, r.line);
	return 0;
}

int analysis_trust(struct nl_store *s, const struct nl_packet_row *p, struct nl_analysis *a)
{
	struct notice_ctx c;
	if (a->n == 0)
		return 0;
	memset(&c, 0, sizeof c);
	c.a = a;
	c.p = p;
	packet_span(a, &c.sp);
	c.cut = looks_cut(a);
	{
		size_t i;
		for (i = 0; i < a->n; i++)
			c.past_ct |= strcmp(a->steps[i].ev.table, "raw") != 0 &&
				     strcmp(a->steps[i].ev.table, "mangle") != 0;
	}
	/* without a clock, only losses said without a time can be placed */
	if (store_notices(s, p->host[0] ? p->host : NULL, on_notice, &c))
		return -1;
	if (ip_forward(s, p, a) || rp_filter(s, p, a) || conntrack_sysctls(s, p, a) ||
	    log_netns(s, p, a))
		return -1;
	return 0;
}
