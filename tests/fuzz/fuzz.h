/*
 * fuzz.h - what every parser harness shares: a sink that checks what a
 * parser reports and aborts on the first broken invariant, and a feeder
 * that drives a parser through its real interface the way src/ingest.c
 * does (lines split at '\n', a trailing '\r' dropped, empty lines not
 * passed, each line in a heap block of exactly its length so ASan sees any
 * read past it), or read_stream over fmemopen() for binary formats.
 * Each input runs twice: once with a sink that accepts everything, once
 * with a sink that says stop at one callback, so the stop paths run too.
 */
#ifndef NL_FUZZ_H
#define NL_FUZZ_H

#include "natlog.h"
#include "parser.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
	long lineno;		/* the line being fed; packets for read_stream */
	size_t input;		/* bytes of input, a bound for everything reported */
	long calls;		/* callbacks so far */
	long stop_at;		/* the callback that says stop; 0 never */
	int stopped;		/* the sink said stop */
	int binary;
	int has_nul;		/* the input holds NUL bytes: names may read as empty */
	int events_only;	/* the parser promised events, errors and skips only */
	volatile unsigned sum;	/* keeps the reads of reported text */
};

static void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fz_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("fuzz invariant violated: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* Every reported byte is read, so ASan checks the whole range. */
static void fz_touch(struct fz *z, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;
	unsigned s = 0;
	for (i = 0; i < n; i++)
		s += b[i];
	z->sum += s;
}

#define FZ_STR(z, arr) fz_str(z, #arr, arr, sizeof arr)
static void fz_str(struct fz *z, const char *what, const char *s, size_t size)
{
	const char *nul = memchr(s, '\0', size);
	if (!nul)
		fz_fail("%s is not NUL-terminated within its %zu bytes", what, size);
	fz_touch(z, s, (size_t)(nul - s));
}

/* A string a parser hands over by pointer: readable, NUL-terminated, no
 * longer than the input could make it (plus a little for formatting). */
static void fz_ptr(struct fz *z, const char *what, const char *s, int may_be_null)
{
	size_t n;
	if (!s) {
		if (!may_be_null)
			fz_fail("%s is NULL", what);
		return;
	}
	n = strlen(s);
	if (n > z->input + 4096)
		fz_fail("%s is %zu bytes long, from %zu bytes of input", what, n, z->input);
	fz_touch(z, s, n);
}

#define FZ_RANGE(v, lo, hi) fz_range(#v, (long long)(v), lo, hi)
static void fz_range(const char *what, long long v, long long lo, long long hi)
{
	if (v < lo || v > hi)
		fz_fail("%s = %lld is outside %lld..%lld", what, v, lo, hi);
}

/* An address as stored: empty, or canonical inet_ntop text of `family`. */
static void fz_addr(const char *what, const char *a, int family)
{
	unsigned char bin[16];
	char canon[INET6_ADDRSTRLEN];
	int af;
	if (!a[0])
		return;
	af = strchr(a, ':') ? AF_INET6 : AF_INET;
	if (family != (af == AF_INET6 ? 6 : 4))
		fz_fail("%s '%s' is not of family %d", what, a, family);
	if (inet_pton(af, a, bin) != 1 || !inet_ntop(af, bin, canon, sizeof canon) ||
	    strcmp(canon, a) != 0)
		fz_fail("%s '%s' is not an address in canonical form", what, a);
}

/* Like the store: once it failed, every later callback fails too. */
static int fz_callback(struct fz *z)
{
	z->calls++;
	if (z->stop_at && z->calls >= z->stop_at) {
		z->stopped = 1;
		return -1;
	}
	return 0;
}

static void fz_check_pkt(struct fz *z, const struct nl_pkt *p)
{
	FZ_RANGE(p->family, 0, 6);
	if (p->family != 0 && p->family != 4 && p->family != 6)
		fz_fail("pkt.family = %d", p->family);
	FZ_STR(z, p->iif);
	FZ_STR(z, p->oif);
	FZ_STR(z, p->physin);
	FZ_STR(z, p->physout);
	FZ_STR(z, p->mac);
	FZ_STR(z, p->src);
	FZ_STR(z, p->dst);
	FZ_STR(z, p->ipflags);
	FZ_STR(z, p->inner);
	FZ_STR(z, p->extra);
	fz_addr("pkt.src", p->src, p->family);
	fz_addr("pkt.dst", p->dst, p->family);
	if ((p->src[0] || p->dst[0]) && !p->family)
		fz_fail("pkt has addresses but family 0");
	FZ_RANGE(p->len, -1, 0xffffffffLL + 40);	/* nft: IPv6 payload length + header */
	FZ_RANGE(p->tos, -1, 255);
	FZ_RANGE(p->ttl, -1, 255);
	FZ_RANGE(p->ip_id, -1, 0xffffffffLL);	/* IPv6 fragment ids are 32 bits */
	FZ_RANGE(p->proto, -1, 255);
	FZ_RANGE(p->sport, -1, 65535);
	FZ_RANGE(p->dport, -1, 65535);
	FZ_RANGE(p->seq, -1, 0xffffffffLL);
	FZ_RANGE(p->ack, -1, 0xffffffffLL);
	FZ_RANGE(p->window, -1, 65535);
	FZ_RANGE(p->tcp_flags, -1, 511);
	FZ_RANGE(p->icmp_type, -1, 255);
	FZ_RANGE(p->icmp_code, -1, 255);
	FZ_RANGE(p->icmp_id, -1, 65535);
	FZ_RANGE(p->icmp_seq, -1, 65535);
	FZ_RANGE(p->mark, -1, 0xffffffffLL);
	FZ_RANGE(p->uid, -1, 0xffffffffLL);
	FZ_RANGE(p->gid, -1, 0xffffffffLL);
}

static int fz_event(void *ctx, const struct nl_event *ev)
{
	struct fz *z = ctx;
	FZ_RANGE(ev->kind, NL_EV_TRACE, NL_EV_WIRE);
	if (ev->kind == NL_EV_WIRE && !z->binary)
		fz_fail("a text parser reported a capture packet");
	if (z->binary ? ev->line < 1 : (ev->line < 1 || ev->line > z->lineno))
		fz_fail("event line %ld, while feeding line %ld", ev->line, z->lineno);
	FZ_STR(z, ev->host);
	FZ_STR(z, ev->time);
	FZ_STR(z, ev->table);
	FZ_STR(z, ev->chain);
	FZ_STR(z, ev->type);
	FZ_STR(z, ev->prefix);
	FZ_STR(z, ev->reason);
	FZ_STR(z, ev->trace_id);
	FZ_STR(z, ev->nft_family);
	FZ_STR(z, ev->rule);
	FZ_STR(z, ev->verdict);
	if (isnan(ev->uptime) || isinf(ev->uptime) || (ev->uptime < 0 && ev->uptime != -1))
		fz_fail("uptime %g", ev->uptime);
	if (ev->wall_us < -1 && ev->wall_us < -62135596800000000LL)	/* before year 1 */
		fz_fail("wall_us %lld", (long long)ev->wall_us);
	if (ev->kind == NL_EV_TRACE) {
		if (strcmp(ev->type, "rule") && strcmp(ev->type, "return") && strcmp(ev->type, "policy"))
			fz_fail("TRACE type '%s'", ev->type);
		if ((!ev->table[0] || !ev->chain[0]) && !z->has_nul)
			fz_fail("TRACE without table or chain");
		FZ_RANGE(ev->rulenum, 0, 0x7fffffff);
	}
	FZ_RANGE(ev->handle, -1, INT64_MAX);
	FZ_RANGE(ev->xt, 0, 1);
	fz_check_pkt(z, &ev->pkt);
	if (ev->msg) {
		if (ev->msglen > z->input)
			fz_fail("message of %zu bytes from %zu bytes of input", ev->msglen, z->input);
		fz_touch(z, ev->msg, ev->msglen);
	}
	if (ev->raw) {
		if (ev->rawlen > z->input)
			fz_fail("raw line of %zu bytes from %zu bytes of input", ev->rawlen, z->input);
		fz_touch(z, ev->raw, ev->rawlen);
	}
	return fz_callback(z);
}

/* The import stores the events of an events_only parser in another thread
 * and has nowhere to put anything else. */
static void fz_not_events_only(const struct fz *z, const char *what)
{
	if (z->events_only)
		fz_fail("a parser marked events_only reported a %s", what);
}

static int fz_ruleset(void *ctx, const char *kind, int family)
{
	struct fz *z = ctx;
	fz_not_events_only(z, "ruleset");
	fz_ptr(z, "ruleset kind", kind, 0);
	if (family != 0 && family != 4 && family != 6)
		fz_fail("ruleset family %d", family);
	return fz_callback(z);
}

static int fz_chain(void *ctx, const struct nl_chain_info *c)
{
	struct fz *z = ctx;
	fz_not_events_only(z, "chain");
	fz_ptr(z, "chain family", c->family, 1);
	fz_ptr(z, "chain table", c->table, 0);
	fz_ptr(z, "chain name", c->name, 0);
	fz_ptr(z, "chain type", c->type, 1);
	fz_ptr(z, "chain hook", c->hook, 1);
	fz_ptr(z, "chain policy", c->policy, 1);
	if (!c->name[0] && !z->has_nul)
		fz_fail("a chain without a name");
	FZ_RANGE(c->has_prio, 0, 1);
	FZ_RANGE(c->builtin, 0, 1);
	FZ_RANGE(c->handle, -1, INT64_MAX);
	return fz_callback(z);
}

static void fz_port_range(const char *what, int lo, int hi)
{
	fz_range(what, lo, -1, 65535);
	fz_range(what, hi, -1, 65535);
	if ((lo < 0) != (hi < 0))
		fz_fail("%s %d-%d: one end unknown", what, lo, hi);
}

static int fz_rule(void *ctx, const struct nl_rule *r)
{
	struct fz *z = ctx;
	fz_not_events_only(z, "rule");
	FZ_STR(z, r->family);
	FZ_STR(z, r->table);
	FZ_STR(z, r->chain);
	FZ_STR(z, r->text);
	FZ_STR(z, r->target);
	FZ_STR(z, r->target_arg);
	FZ_STR(z, r->src);
	FZ_STR(z, r->dst);
	FZ_STR(z, r->iif);
	FZ_STR(z, r->oif);
	/* iptables-save's rule addresses are checked; listings and nft keep
	 * theirs as printed, and analysis treats unreadable ones as unknown */
	if (!r->chain[0] && !z->has_nul)
		fz_fail("a rule without a chain");
	FZ_RANGE(r->position, -1, 0x7fffffff);	/* -1: unknown, after a "..." line */
	FZ_RANGE(r->handle, -1, INT64_MAX);
	FZ_RANGE(r->proto, -1, 255);
	FZ_RANGE(r->is_goto, 0, 1);
	FZ_RANGE(r->uncond, 0, 2);	/* 2: a listing without -v shows no in/out */
	FZ_RANGE(r->proto_neg, 0, 1);
	FZ_RANGE(r->src_neg, 0, 1);
	FZ_RANGE(r->dst_neg, 0, 1);
	FZ_RANGE(r->iif_neg, 0, 1);
	FZ_RANGE(r->oif_neg, 0, 1);
	FZ_RANGE(r->sport_neg, 0, 1);
	FZ_RANGE(r->dport_neg, 0, 1);
	fz_port_range("rule sport", r->sport_lo, r->sport_hi);
	fz_port_range("rule dport", r->dport_lo, r->dport_hi);
	FZ_RANGE(r->pkts, -1, INT64_MAX);
	FZ_RANGE(r->bytes, -1, INT64_MAX);
	return fz_callback(z);
}

static int fz_set(void *ctx, const struct nl_set_info *s)
{
	struct fz *z = ctx;
	fz_not_events_only(z, "set");
	fz_ptr(z, "set family", s->family, 1);
	fz_ptr(z, "set table", s->table, 0);
	fz_ptr(z, "set name", s->name, 0);
	fz_ptr(z, "set type", s->type, 1);
	fz_ptr(z, "set map_type", s->map_type, 1);
	fz_ptr(z, "set flags", s->flags, 1);
	FZ_RANGE(s->handle, -1, INT64_MAX);
	return fz_callback(z);
}

static int fz_element(void *ctx, const struct nl_set_elem *e)
{
	struct fz *z = ctx;
	fz_not_events_only(z, "set element");
	fz_ptr(z, "element family", e->family, 1);
	fz_ptr(z, "element table", e->table, 0);
	fz_ptr(z, "element set", e->set, 0);
	fz_ptr(z, "element key", e->key, 0);
	fz_ptr(z, "element value", e->value, 1);
	return fz_callback(z);
}

static int fz_flow(void *ctx, const struct nl_flow *f)
{
	struct fz *z = ctx;
	fz_not_events_only(z, "flow");
	if (f->line < 1 || (!z->binary && f->line > z->lineno))
		fz_fail("flow line %ld, while feeding line %ld", f->line, z->lineno);
	FZ_STR(z, f->event);
	FZ_STR(z, f->time);
	FZ_STR(z, f->state);
	FZ_STR(z, f->osrc);
	FZ_STR(z, f->odst);
	FZ_STR(z, f->rsrc);
	FZ_STR(z, f->rdst);
	FZ_STR(z, f->host);
	if (f->family != 4 && f->family != 6)
		fz_fail("flow family %d", f->family);
	fz_addr("flow.osrc", f->osrc, f->family);
	fz_addr("flow.odst", f->odst, f->family);
	fz_addr("flow.rsrc", f->rsrc, f->family);
	fz_addr("flow.rdst", f->rdst, f->family);
	FZ_RANGE(f->proto, -1, 255);
	FZ_RANGE(f->osport, -1, 65535);
	FZ_RANGE(f->odport, -1, 65535);
	FZ_RANGE(f->rsport, -1, 65535);
	FZ_RANGE(f->rdport, -1, 65535);
	FZ_RANGE(f->icmp_type, -1, 255);
	FZ_RANGE(f->icmp_code, -1, 255);
	FZ_RANGE(f->icmp_id, -1, 65535);
	FZ_RANGE(f->opackets, -1, INT64_MAX);
	FZ_RANGE(f->obytes, -1, INT64_MAX);
	FZ_RANGE(f->rpackets, -1, INT64_MAX);
	FZ_RANGE(f->rbytes, -1, INT64_MAX);
	FZ_RANGE(f->unreplied, 0, 1);
	FZ_RANGE(f->assured, -1, 1);	/* -1: unknown ([OFFLOAD], VyOS) */
	FZ_RANGE(f->mark, -1, 0xffffffffLL);
	FZ_RANGE(f->zone, -1, 65535);
	FZ_RANGE(f->ct_id, -1, 0xffffffffLL);
	return fz_callback(z);
}

static int fz_error(void *ctx, long line, const char *reason, const char *text, size_t len)
{
	struct fz *z = ctx;
	if (line < 0 || (!z->binary && line > z->lineno + 1))
		fz_fail("error line %ld, while feeding line %ld", line, z->lineno);
	fz_ptr(z, "error reason", reason, 0);
	if (!reason[0])
		fz_fail("an error without a reason");
	if (text) {
		if (len > z->input)
			fz_fail("error text of %zu bytes from %zu bytes of input", len, z->input);
		fz_touch(z, text, len);
	}
	return fz_callback(z);
}

static void fz_skip(void *ctx, long line)
{
	struct fz *z = ctx;
	if (line < 1 || (!z->binary && line > z->lineno))
		fz_fail("skip line %ld, while feeding line %ld", line, z->lineno);
}

static int fz_notice(void *ctx, const struct nl_notice *n)
{
	struct fz *z = ctx;
	if (n->line < 1 || (!z->binary && n->line > z->lineno))
		fz_fail("notice line %ld, while feeding line %ld", n->line, z->lineno);
	FZ_STR(z, n->kind);
	FZ_STR(z, n->origin);
	FZ_STR(z, n->host);
	FZ_STR(z, n->time);
	FZ_STR(z, n->text);
	if (n->count < -1 || n->port < -1 || n->port > 65535)
		fz_fail("notice count %lld, port %d", (long long)n->count, n->port);
	return fz_callback(z);
}

static int fz_sysctl(void *ctx, long line, const char *name, const char *value)
{
	struct fz *z = ctx;
	if (line < 1 || (!z->binary && line > z->lineno))
		fz_fail("sysctl line %ld, while feeding line %ld", line, z->lineno);
	fz_not_events_only(z, "sysctl");
	fz_ptr(z, "sysctl name", name, 0);
	fz_ptr(z, "sysctl value", value, 0);
	if (!name[0])
		fz_fail("a sysctl without a name");
	return fz_callback(z);
}

/* One run of p over the input; returns the number of callbacks. */
static long fz_run(const struct nl_parser *p, const char *path, const uint8_t *data, size_t size,
		   long stop_at)
{
	struct fz z;
	struct nl_sink sink = { &z, path, fz_event, fz_ruleset, fz_chain, fz_rule, fz_set,
				fz_element, fz_flow, fz_error, fz_skip, NULL, fz_notice, fz_sysctl, NULL, NULL, NULL };
	/* a parser that takes pieces has no longest line */
	size_t off = 0, max = p->part ? SIZE_MAX : p->max_line ? p->max_line : (size_t)1 << 20;
	void *st;
	int rc = 0;

	memset(&z, 0, sizeof z);
	z.input = size;
	z.has_nul = size && memchr(data, '\0', size) != NULL;
	z.stop_at = stop_at;
	z.events_only = p->events_only;
	st = p->open(&sink);
	if (!st)
		fz_fail("%s: open failed", p->name);
	if (p->read_stream) {
		/* the harness gives fmemopen() a copy: a zero-length one is not allowed */
		char *copy = malloc(size ? size : 1);
		FILE *f;
		if (!copy)
			abort();
		if (size)
			memcpy(copy, data, size);
		f = fmemopen(copy, size ? size : 1, "rb");
		if (!f)
			abort();
		if (!size)
			(void)fgetc(f);
		z.binary = 1;
		rc = p->read_stream(st, f);
		fclose(f);
		if (z.stopped && rc == 0)
			fz_fail("%s: the sink said stop, but read_stream() returned 0", p->name);
		free(copy);
	} else {
		while (off < size && rc == 0) {
			const uint8_t *nl = memchr(data + off, '\n', size - off);
			size_t len = nl ? (size_t)(nl - (data + off)) : size - off;
			size_t next = off + len + (nl ? 1 : 0);
			z.lineno++;
			if (len > 0 && data[off + len - 1] == '\r')
				len--;
			if (len > max) {
				off = next;
				continue;
			}
			if (len > 0) {
				char *line = malloc(len);
				int sure, was = z.stopped;
				size_t k = 0;
				if (!line)
					abort();
				memcpy(line, data + off, len);
				/* the import probes early lines with at most 4096 bytes each */
				sure = p->probe(line, len < 4096 ? len : 4096);
				if (sure < 0 || sure > 2)
					fz_fail("%s: probe said %d", p->name, sure);
				/* a parser that takes long lines in pieces gets them so,
				 * 64 bytes a piece, as the import gives it a line that
				 * fills its buffer */
				for (k = 0; p->part && rc == 0 && len - k > 64; k += 64)
					rc = p->part(st, line + k, 64, z.lineno);
				if (rc == 0)
					rc = p->line(st, line + k, len - k, z.lineno);
				free(line);
				if (z.stopped && !was && rc == 0)
					fz_fail("%s: the sink said stop at line %ld, but line() returned 0",
						p->name, z.lineno);
			}
			off = next;
		}
		z.lineno++;	/* close may report what ends at end of file */
	}
	if (rc != 0 && rc != -1)
		fz_fail("%s: returned %d", p->name, rc);
	if (rc && !z.stopped)
		fz_fail("%s: returned -1 but the sink never said stop", p->name);
	if (p->close(st) && !z.stopped)
		fz_fail("%s: close failed but the sink never said stop", p->name);
	return z.calls;
}

/* The harness body: every input with the accepting sink, then again with
 * a sink that says stop at a callback chosen from the input. */
static void fz_parser(const struct nl_parser *p, const char *path, const uint8_t *data, size_t size)
{
	long calls;
	if (p->probe_bytes) {
		/* the import hands a file to read_stream only when this says 2 */
		unsigned char *copy = malloc(size ? size : 1);
		int sure;
		if (!copy)
			abort();
		if (size)
			memcpy(copy, data, size);
		sure = p->probe_bytes(copy, size);
		free(copy);
		if (sure < 0 || sure > 2)
			fz_fail("%s: probe_bytes said %d", p->name, sure);
		if (sure != 2)
			return;
	}
	calls = fz_run(p, path, data, size, 0);
	if (calls > 0)
		fz_run(p, path, data, size, 1 + (long)(nl_hash64(data, size, NL_HASH_INIT) % (uint64_t)calls));
}

/* A parser of nl_parsers[] by its name, so each format is fuzzed as the
 * table lists it. */
static const struct nl_parser *fz_find(const char *name)
{
	int k;
	for (k = 0; nl_parsers[k]; k++)
		if (strcmp(nl_parsers[k]->name, name) == 0)
			return nl_parsers[k];
	fprintf(stderr, "fuzz: no parser named '%s' in nl_parsers[]\n", name);
	abort();
}

#endif
