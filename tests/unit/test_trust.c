/*
 * test_trust.c - the evidence about the evidence: rule counters against
 * traced hits, the kernel, journald and rsyslog lines that say lines were
 * lost or the kernel dropped packets, and sysctl listings.
 */
#include "natlog.h"
#include "parser.h"
#include "ruleset.h"
#include "unit.h"

#include <stdlib.h>

struct got {
	struct nl_notice n[16];
	int nn, nskip, nerr;
	char names[16][64], values[16][64];
	int ns;
};

static int g_notice(void *ctx, const struct nl_notice *n)
{
	struct got *g = ctx;
	if (g->nn < 16)
		g->n[g->nn++] = *n;
	return 0;
}

static int g_sysctl(void *ctx, long line, const char *name, const char *value)
{
	struct got *g = ctx;
	(void)line;
	if (g->ns < 16) {
		nl_strlcpy(g->names[g->ns], name, sizeof g->names[0]);
		nl_strlcpy(g->values[g->ns++], value, sizeof g->values[0]);
	}
	return 0;
}

static int g_event(void *ctx, const struct nl_event *ev)
{
	(void)ctx, (void)ev;
	return 0;
}

static int g_error(void *ctx, long line, const char *reason, const char *text, size_t len)
{
	struct got *g = ctx;
	(void)line, (void)reason, (void)text, (void)len;
	g->nerr++;
	return 0;
}

static void g_skip(void *ctx, long line)
{
	struct got *g = ctx;
	(void)line;
	g->nskip++;
}

static struct got *run(const struct nl_parser *p, const char *const *lines)
{
	static struct got g;
	struct nl_sink sink = { &g, "t", g_event, NULL, NULL, NULL, NULL, NULL, NULL, g_error,
				g_skip, NULL, g_notice, g_sysctl, NULL, NULL, NULL };
	void *st;
	long i;
	memset(&g, 0, sizeof g);
	st = p->open(&sink);
	for (i = 0; lines[i]; i++)
		p->line(st, lines[i], strlen(lines[i]), i + 1);
	p->close(st);
	return &g;
}

static void test_notices(void)
{
	static const char *const lines[] = {
		"[1737162.214084] __ratelimit: 83 callbacks suppressed",
		"Nov 20 10:00:00 fw1 kernel: [ 10.5] net_ratelimit: 312 callbacks suppressed",
		"[   12.000000] printk: 40 messages suppressed.",
		"Nov 29 20:10:51 pluto systemd-journald[26393]: Suppressed 4499764 messages from run-x.service",
		"Nov 29 20:10:52 pluto systemd-journald[26393]: Forwarding to syslog missed 12 messages.",
		"Nov 29 20:10:53 pluto rsyslogd: imjournal: 4410 messages lost due to rate-limiting",
		"Nov 29 20:10:54 pluto rsyslogd: imjournal: begin to drop messages due to rate-limiting",
		"kernel: nf_conntrack: nf_conntrack: table full, dropping packet",
		"[  99.1] nf_conntrack: expectation table full",
		"[  99.2] TCP: request_sock_TCP: Possible SYN flooding on port 80. Sending cookies.  Check SNMP counters.",
		"[  99.3] TCP: request_sock_TCPv6: Possible SYN flooding on port [::]:443. Sending cookies.",
		/* not notices */
		"Nov 29 20:10:55 pluto app[1]: Suppressed warnings about x",
		"Nov 29 20:10:56 pluto app[1]: 12 messages",
		"Nov 29 20:10:57 pluto sshd[2]: Accepted publickey for root",
		NULL,
	};
	struct got *g = run(&nl_parser_klog, lines);
	CHECK_INT(g->nn, 11);
	CHECK_INT(g->nskip, 3);
	CHECK_STR(g->n[0].kind, "loss");
	CHECK_STR(g->n[0].origin, "kernel");
	CHECK_INT(g->n[0].count, 83);
	CHECK(g->n[0].uptime > 1737162.2 && g->n[0].uptime < 1737162.3);
	CHECK_STR(g->n[1].host, "fw1");
	CHECK_INT(g->n[1].count, 312);
	CHECK_INT(g->n[2].count, 40);
	CHECK_STR(g->n[3].origin, "journald");
	CHECK_STR(g->n[3].host, "pluto");
	CHECK_INT(g->n[3].count, 4499764);
	CHECK_INT(g->n[4].count, 12);
	CHECK_STR(g->n[5].origin, "rsyslog");
	CHECK_INT(g->n[5].count, 4410);
	CHECK_INT(g->n[6].count, -1);
	CHECK_STR(g->n[7].kind, "conntrack-full");
	CHECK_STR(g->n[8].kind, "expect-full");
	CHECK_STR(g->n[9].kind, "syn-flood");
	CHECK_INT(g->n[9].port, 80);
	CHECK_INT(g->n[10].port, 443);
	CHECK_INT(g->n[10].line, 11);
}

static void test_journal_json(void)
{
	static const char *const lines[] = {
		"{\"__REALTIME_TIMESTAMP\":\"1700000000000000\",\"_HOSTNAME\":\"pluto\",\"SYSLOG_IDENTIFIER\":\"systemd-journald\",\"MESSAGE\":\"Suppressed 12 messages from foo.service\"}",
		"{\"_SOURCE_MONOTONIC_TIMESTAMP\":\"10500000\",\"_HOSTNAME\":\"fw1\",\"MESSAGE\":\"net_ratelimit: 5 callbacks suppressed\"}",
		"{\"MESSAGE\":\"12 messages\"}",
		"{\"MESSAGE\": [1, 2, 3], \"x\": \"messages\"}",
		NULL,
	};
	struct got *g = run(&nl_parser_klog, lines);
	CHECK_INT(g->nn, 2);
	CHECK_STR(g->n[0].origin, "journald");
	CHECK_STR(g->n[0].host, "pluto");
	CHECK_INT(g->n[0].count, 12);
	CHECK_INT(g->n[0].wall_us, 1700000000000000LL);
	CHECK_STR(g->n[1].host, "fw1");
	CHECK_INT(g->n[1].count, 5);
	CHECK(g->n[1].uptime > 10.49 && g->n[1].uptime < 10.51);
	CHECK_INT(g->nskip, 2);
}

static void test_sysctl(void)
{
	static const char *const lines[] = {
		"net.ipv4.ip_forward = 0",
		"sysctl: permission denied on key 'fs.protected_hardlinks'",
		"net.ipv4.tcp_rmem = 4096\t131072\t6291456",
		"dev.cdrom.info = ",
		"kernel.x=1",
		NULL,
	};
	struct got *g = run(&nl_parser_sysctl, lines);
	CHECK_INT(nl_parser_sysctl.probe(lines[0], strlen(lines[0])), 2);
	CHECK_INT(nl_parser_sysctl.probe(lines[1], strlen(lines[1])), 0);
	CHECK_INT(g->ns, 3);
	CHECK_STR(g->names[0], "net.ipv4.ip_forward");
	CHECK_STR(g->values[0], "0");
	CHECK_STR(g->values[1], "4096\t131072\t6291456");
	CHECK_STR(g->values[2], "");
	CHECK_INT(g->nskip, 2);
	CHECK_INT(g->nerr, 0);
}

static void test_counters(void)
{
	struct nl_vrule r;
	struct nl_rsview v;
	char why[160];
	memset(&r, 0, sizeof r);
	r.pkts = -1;
	CHECK(!counter_contradicts(&r, 5, why, sizeof why));	/* no counter */
	r.pkts = 0;
	CHECK(counter_contradicts(&r, 1, why, sizeof why));
	CHECK_STR(why, "the dump counts 0 packets for it, yet 1 traced packet hit it");
	r.pkts = 3;
	CHECK(!counter_contradicts(&r, 3, why, sizeof why));
	CHECK(counter_contradicts(&r, 4, why, sizeof why));
	r.pkts = 123000;	/* "123K" in iptables -L -v: 123000 to 123999 */
	CHECK(!counter_contradicts(&r, 123999, why, sizeof why));
	CHECK(counter_contradicts(&r, 124000, why, sizeof why));
	memset(&v, 0, sizeof v);
	CHECK_INT(rsview_add_hit(&v, 0, "filter", "FORWARD", 2, 8), 0);
	CHECK_INT(rsview_add_hit(&v, 0, "filter", "DOCKER", 1, 1), 0);
	CHECK_INT(rsview_add_hit(&v, 0, "ip6 filter", "forward", 3, 1), 0);
	rsview_sort_hits(&v);
	CHECK_INT(rsview_hits(&v, 0, "filter", "FORWARD", 2), 8);
	CHECK_INT(rsview_hits(&v, 0, "filter", "DOCKER", 1), 1);
	CHECK_INT(rsview_hits(&v, 0, "ip6 filter", "forward", 3), 1);
	CHECK_INT(rsview_hits(&v, 0, "filter", "FORWARD", 3), 0);
	rsview_free(&v);
}

int main(void)
{
	test_notices();
	test_journal_json();
	test_sysctl();
	test_counters();
	return unit_report("test_trust");
}
