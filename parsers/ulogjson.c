/*
 * ulogjson.c - ulogd2's JSON output (ulogd_output_JSON.c, ulogd 2.0.4 and
 * later): one object a line for each packet an NFLOG rule sent, with the
 * keys of the stack's plugins (NFLOG, BASE, IFINDEX, IP2STR, HWHDR), the
 * address and port keys under their CIM names, e.g.
 *   {"timestamp": "2023-05-21T10:54:05.058650", "dvc": "Netfilter", "oob.prefix": "[NFTABLES HTTP PKT]", "oob.time.sec": 1684666445, "oob.time.usec": 58650, "oob.family": 10, "ip.protocol": 6, "ip6.payloadlen": 40, "ip6.hoplimit": 64, "src_port": 52938, "dest_port": 80, "tcp.syn": 1, "oob.in": "eth2", "oob.out": "", "src_ip": "fde4:8dba:82e1:1006::1001", "dest_ip": "fde4:8dba:82e1:1006::1002", ...}
 * Each packet is a LOG event, as the kernel's LOG line of the same rule
 * would be: its prefix, interfaces and header fields; one whose prefix is
 * TRACE's ("TRACE: raw:PREROUTING:policy:3 ") a step of a legacy trace. ulogd's conntrack
 * records (NFCT: "ct.event", "orig.ip.protocol") and other lines are
 * errors: natlog reads conntrack -E for connections.
 */
#include "natlog.h"
#include "parser.h"
#include "timespec.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct ulj {
	const struct nl_sink *sink;
	struct nl_event ev;
};

/* An integer member within [0, max]: 1 with it in *v, 0 when absent, -1
 * when present but no such integer. */
static int get_int(json_t *o, const char *key, int64_t max, int64_t *v)
{
	json_t *m = json_object_get(o, key);
	json_int_t x;
	if (!m)
		return 0;
	if (!json_is_integer(m) || (x = json_integer_value(m)) < 0 || x > max)
		return -1;
	*v = (int64_t)x;
	return 1;
}

/* The first of two keys a plugin may name a field by (the CIM name the
 * JSON plugin prefers, then the key's own name). */
static json_t *get2(json_t *o, const char *a, const char *b)
{
	json_t *m = json_object_get(o, a);
	return m ? m : b ? json_object_get(o, b) : NULL;
}

static int get_str(json_t *o, const char *key, char *out, size_t n)
{
	json_t *m = json_object_get(o, key);
	if (!m)
		return 0;
	if (!json_is_string(m) || json_string_length(m) >= n)
		return -1;
	nl_strlcpyn(out, json_string_value(m), json_string_length(m), n);
	return 1;
}

static const struct {
	const char *key;
	int bit;
} tcp_flags[] = {
	{ "tcp.fin", NL_TCP_FIN }, { "tcp.syn", NL_TCP_SYN }, { "tcp.rst", NL_TCP_RST },
	{ "tcp.psh", NL_TCP_PSH }, { "tcp.ack", NL_TCP_ACK }, { "tcp.urg", NL_TCP_URG },
};

/* Integer fields of the packet: key, limit, where. */
struct ifield {
	const char *key;
	int64_t max;
	int which;
};
enum { F_LEN4, F_LEN6, F_TOS, F_TTL, F_ID, F_MARK, F_UID, F_GID, F_SEQ, F_WIN, F_ITYPE,
       F_ICODE, F_IID, F_ISEQ };
static const struct ifield ifields[] = {
	{ "ip.totlen", 65535, F_LEN4 }, { "ip6.payloadlen", 65535, F_LEN6 },
	{ "ip.tos", 255, F_TOS }, { "ip.ttl", 255, F_TTL }, { "ip6.hoplimit", 255, F_TTL },
	{ "ip.id", 65535, F_ID }, { "oob.mark", 0xffffffffLL, F_MARK },
	{ "oob.uid", 0xffffffffLL, F_UID }, { "oob.gid", 0xffffffffLL, F_GID },
	{ "tcp.seq", 0xffffffffLL, F_SEQ }, { "tcp.window", 65535, F_WIN },
	{ "icmp.type", 255, F_ITYPE }, { "icmpv6.type", 255, F_ITYPE },
	{ "icmp.code", 255, F_ICODE }, { "icmpv6.code", 255, F_ICODE },
	{ "icmp.echoid", 65535, F_IID }, { "icmpv6.echoid", 65535, F_IID },
	{ "icmp.echoseq", 65535, F_ISEQ }, { "icmpv6.echoseq", 65535, F_ISEQ },
};

static void set_ifield(struct nl_pkt *p, int which, int64_t v)
{
	switch (which) {
	case F_LEN4: p->len = v; break;
	case F_LEN6: p->len = v + 40; break;	/* LOG's LEN= counts the IPv6 header */
	case F_TOS: p->tos = (int)v; break;
	case F_TTL: p->ttl = (int)v; break;
	case F_ID: p->ip_id = v; break;
	case F_MARK: p->mark = v; break;
	case F_UID: p->uid = v; break;
	case F_GID: p->gid = v; break;
	case F_SEQ: p->seq = v; break;
	case F_WIN: p->window = (int)v; break;
	case F_ITYPE: p->icmp_type = (int)v; break;
	case F_ICODE: p->icmp_code = (int)v; break;
	case F_IID: p->icmp_id = (int)v; break;
	case F_ISEQ: p->icmp_seq = (int)v; break;
	}
}

/* The record o into ev: 0, or -1 with err set. */
static int record(json_t *o, struct nl_event *ev, struct nl_err *err)
{
	struct nl_pkt *p = &ev->pkt;
	static const char *const ports[][3] = {
		{ "src_port", "tcp.sport", "udp.sport" }, { "dest_port", "tcp.dport", "udp.dport" },
	};
	const char *addr[2] = { "src_ip", "dest_ip" }, *addr2[2] = { "ip.saddr.str", "ip.daddr.str" };
	char *addr_out[2] = { p->src, p->dst };
	int *port_out[2] = { &p->sport, &p->dport };
	int64_t v, sec, usec;
	json_t *m;
	size_t i, j;
	int fam = 0, rc;

	if (get_str(o, "oob.prefix", ev->prefix, sizeof ev->prefix) < 0)
		return nl_err_set(err, "\"oob.prefix\" is not a string of at most %zu bytes",
				  sizeof ev->prefix - 1);
	if (get_str(o, "oob.in", p->iif, sizeof p->iif) < 0 ||
	    get_str(o, "oob.out", p->oif, sizeof p->oif) < 0)
		return nl_err_set(err, "\"oob.in\" or \"oob.out\" is not an interface name");
	if ((rc = get_int(o, "oob.family", 255, &v)) < 0)
		return nl_err_set(err, "\"oob.family\" is not a number");
	if (rc > 0)
		p->family = v == 2 ? 4 : v == 10 ? 6 : 0;
	for (i = 0; i < 2; i++) {
		if (!(m = get2(o, addr[i], addr2[i])))
			return nl_err_set(err, "a packet without \"%s\" (the stack needs IP2STR)", addr[i]);
		if (!json_is_string(m) ||
		    nl_addr_canon(json_string_value(m), json_string_length(m), &fam, addr_out[i],
				  NL_ADDRSIZ))
			return nl_err_set(err, "\"%s\" is not an IP address", addr[i]);
		if (p->family && p->family != fam)
			return nl_err_set(err, "\"%s\" is not of the family \"oob.family\" says", addr[i]);
		p->family = fam;
		for (j = 0; j < 3; j++)
			if ((rc = get_int(o, ports[i][j], 65535, &v)) != 0)
				break;
		if (rc < 0)
			return nl_err_set(err, "\"%s\" is not a port", ports[i][j]);
		if (rc > 0)
			*port_out[i] = (int)v;
	}
	if ((rc = get_int(o, "ip.protocol", 255, &v)) < 0)
		return nl_err_set(err, "\"ip.protocol\" is not a protocol number");
	if (rc > 0)
		p->proto = (int)v;
	for (i = 0; i < sizeof ifields / sizeof *ifields; i++) {
		if ((rc = get_int(o, ifields[i].key, ifields[i].max, &v)) < 0)
			return nl_err_set(err, "\"%s\" is not a number up to %lld", ifields[i].key,
					  (long long)ifields[i].max);
		if (rc > 0)
			set_ifield(p, ifields[i].which, v);
	}
	if ((rc = get_int(o, "ip.fragoff", 65535, &v)) < 0)
		return nl_err_set(err, "\"ip.fragoff\" is not a number");
	if (rc > 0)	/* the flags and offset as the header holds them */
		snprintf(p->ipflags, sizeof p->ipflags, "%s%s%s", v & 0x8000 ? "CE" : "",
			 v & 0x8000 && v & 0x4000 ? " " : "", v & 0x4000 ? "DF" : "");
	if (p->proto == 6) {
		p->tcp_flags = 0;
		for (i = 0; i < sizeof tcp_flags / sizeof *tcp_flags; i++) {
			if ((rc = get_int(o, tcp_flags[i].key, 1, &v)) < 0)
				return nl_err_set(err, "\"%s\" is not 0 or 1", tcp_flags[i].key);
			if (rc > 0 && v)
				p->tcp_flags |= tcp_flags[i].bit;
		}
		/* the kernel's LOG prints ACK= only with the ACK flag */
		if (p->tcp_flags & NL_TCP_ACK &&
		    (rc = get_int(o, "tcp.ackseq", 0xffffffffLL, &v)) != 0) {
			if (rc < 0)
				return nl_err_set(err, "\"tcp.ackseq\" is not a number");
			p->ack = v;
		}
	}
	if (get_str(o, "mac.str", p->mac, sizeof p->mac) < 0)
		return nl_err_set(err, "\"mac.str\" is not a MAC header");
	/* the time: the packet's own stamp when the stack has it, else the
	 * one ulogd wrote (local time, or with its zone) */
	if (get_str(o, "timestamp", ev->time, sizeof ev->time) < 0)
		return nl_err_set(err, "\"timestamp\" is not a time");
	if (get_int(o, "oob.time.sec", INT64_MAX / 1000000 - 1, &sec) > 0) {
		if (get_int(o, "oob.time.usec", 999999, &usec) <= 0)
			usec = 0;
		ev->wall_us = sec * 1000000 + usec;
	} else if (ev->time[0]) {
		ev->wall_us = nl_time_wall_us(ev->time);
	}
	return 0;
}

/* What a line that is no packet record is, for its error. */
static const char *not_packet(json_t *o)
{
	if (json_object_get(o, "ct.event") || json_object_get(o, "orig.ip.protocol") ||
	    json_object_get(o, "flow.start.sec"))
		return "a ulogd conntrack record (NFCT): natlog reads connections from "
		       "conntrack -L or -E output";
	if (json_object_get(o, "sum.name"))
		return "a ulogd accounting record (NFACCT): natlog does not read counters";
	return "a JSON object that is not a ulogd packet record (no \"oob.prefix\", "
	       "\"oob.family\" or \"src_ip\")";
}

static int ulj_line(void *state, const char *s, size_t n, long lineno)
{
	struct ulj *u = state;
	const struct nl_sink *k = u->sink;
	struct nl_event *ev = &u->ev;
	struct nl_err err;
	json_t *o;
	int rc;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\t'))
		n--;
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	if (n == 0) {
		k->skip(k->ctx, lineno);
		return 0;
	}
	if (!(o = json_loadb(s, n, 0, NULL)) || !json_is_object(o)) {
		json_decref(o);
		return k->error(k->ctx, lineno, "not a JSON object, as ulogd's JSON output "
				"writes one a line", s, n);
	}
	if (!json_object_get(o, "oob.prefix") && !json_object_get(o, "oob.family") &&
	    !json_object_get(o, "src_ip")) {
		rc = k->error(k->ctx, lineno, not_packet(o), s, n);
		json_decref(o);
		return rc;
	}
	memset(ev, 0, sizeof *ev);
	ev->kind = NL_EV_LOG;
	ev->handle = -1;
	ev->uptime = -1;
	ev->wall_us = -1;
	ev->wsec = -1;
	nl_pkt_init(&ev->pkt);
	if (record(o, ev, &err)) {
		json_decref(o);
		return k->error(k->ctx, lineno, err.msg, s, n);
	}
	json_decref(o);
	/* TRACE through the nfnetlink_log backend: the record is a step of
	 * the packet's trace ("oob.prefix": "TRACE: raw:PREROUTING:policy:3 "),
	 * not a LOG rule's line */
	if (!strncmp(ev->prefix, "TRACE: ", 7)) {
		if (pktlog_trace_prefix(ev->prefix + 7, strlen(ev->prefix + 7), ev, &err))
			return k->error(k->ctx, lineno, err.msg, s, n);
		ev->kind = NL_EV_TRACE;
		ev->prefix[0] = '\0';
	}
	ev->line = lineno;
	ev->raw = s;
	ev->rawlen = n;
	return k->event(k->ctx, ev);
}

/* 2 for a line that is a ulogd packet record: a JSON object with NFLOG's
 * keys ("oob.prefix", or "oob.family" beside IP2STR's "src_ip"). */
static int ulj_probe(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	if (n < 2 || s[0] != '{' || s[1] != '"')
		return 0;
	if (memmem(s, n, "\"oob.prefix\": ", 14) ||
	    (memmem(s, n, "\"oob.family\": ", 14) && memmem(s, n, "\"src_ip\": ", 10)))
		return 2;
	return 0;
}

static void *ulj_open(const struct nl_sink *sink)
{
	struct ulj *u = calloc(1, sizeof *u);
	if (u)
		u->sink = sink;
	return u;
}

static int ulj_close(void *state)
{
	free(state);
	return 0;
}

static const char *const ulj_samples[] = {
	"{\"timestamp\": \"2022-07-25T15:01:58.947620+0200\", \"dvc\": \"spr\", \"raw.pktlen\": 64, \"raw.pktcount\": 1, \"oob.prefix\": \"DRP:INP \", \"oob.time.sec\": 1658754118, \"oob.time.usec\": 947620, \"oob.mark\": 0, \"oob.ifindex_in\": 3, \"oob.hook\": 1, \"raw.mac_len\": 14, \"oob.family\": 10, \"oob.protocol\": 34525, \"action\": \"blocked\", \"raw.type\": 1, \"raw.mac.addrlen\": 6, \"ip.protocol\": 58, \"ip6.payloadlen\": 24, \"ip6.priority\": 0, \"ip6.flowlabel\": 0, \"ip6.hoplimit\": 255, \"ip6.nexthdr\": 58, \"icmpv6.type\": 134, \"icmpv6.code\": 0, \"icmpv6.csum\": 57001, \"oob.in\": \"wlan0\", \"oob.out\": \"\", \"src_ip\": \"fe80::dad7:75ff:fef2:f959\", \"dest_ip\": \"ff02::1\", \"mac.saddr.str\": \"d8:d7:75:f2:f9:59\", \"mac.daddr.str\": \"33:33:00:00:00:01\", \"mac.str\": \"33:33:00:00:00:01:d8:d7:75:f2:f9:59:86:dd\"}",
	NULL,
};

const struct nl_parser nl_parser_ulogjson = {
	.name = "ulogd-json",
	.probe = ulj_probe,
	.open = ulj_open,
	.line = ulj_line,
	.close = ulj_close,
	.samples = ulj_samples,
	.events_only = 1,
};
