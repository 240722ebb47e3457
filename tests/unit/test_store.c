/*
 * test_store.c - the store's image (a new store copied per fuzz input,
 * tests/fuzz/fuzzstore.h), the statements store_sql_params() keeps
 * prepared between calls, a query run again from its own callback too,
 * and the steps an import writes in batches: read back before the batch
 * is full, dropped with a rollback; the cursor of packets' last tuples
 * (flows) against the lookup of one packet's, on lab recordings.
 */
#include "natlog.h"
#include "ingest.h"
#include "store.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static void test_image(void)
{
	struct nl_err err = { "" };
	struct nl_store *s, *a, *b, *r;
	unsigned char *image, junk[4096];
	size_t size = 0;

	CHECK(store_open(&s, ":memory:", NL_STORE_RW, &err) == 0);
	CHECK_INT(store_rows(s), 0);
	image = store_image(s, &size);
	CHECK(image != NULL && size >= 4096);
	store_close(s);
	if (!image)
		return;
	CHECK(store_open_image(&a, image, size, &err) == 0);
	CHECK(store_open_image(&b, image, size, &err) == 0);
	CHECK_INT(store_rows(a), 0);
	/* a source in one copy: counted there, and the other stays empty */
	CHECK(store_begin(a) == 0);
	CHECK(store_source_add(a, "/var/log/messages", "h1", NULL) > 0);
	CHECK(store_commit(a) == 0);
	CHECK_INT(store_rows(a), 1);
	CHECK_INT(store_rows(b), 0);
	/* its name is no file, so there is no second connection to it */
	CHECK(store_open_reader(a, &r) == -1);
	CHECK(r == NULL);
	store_close(a);
	store_close(b);
	/* what is not a natlog store's image is refused */
	memset(junk, 'x', sizeof junk);
	CHECK(store_open_image(&a, junk, sizeof junk, &err) == -1);
	CHECK(a == NULL);
	CHECK(strstr(err.msg, "store image") != NULL);
	free(image);
}

struct runs {
	struct nl_store *s;
	int depth, rows;
	long long sum;
};

static const char *const numbers = "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 "
				   "FROM n WHERE v < CAST(?1 AS INTEGER)) SELECT v FROM n";

/* Each row of the outer run runs the same query again, to its end. */
static int nested(void *ctx, int ncol, const char *const *names, const char *const *vals,
		  const int *types)
{
	struct runs *r = ctx;
	const char *const three[] = { "3" };
	(void)names;
	(void)types;
	CHECK_INT(ncol, 1);
	r->rows++;
	r->sum += atoll(vals[0]);
	if (r->depth == 0) {
		r->depth++;
		CHECK(store_sql_params(r->s, numbers, three, 1, nested, r) == 0);
		r->depth--;
	}
	return 0;
}

static int stop_at_two(void *ctx, int ncol, const char *const *names, const char *const *vals,
		       const int *types)
{
	struct runs *r = ctx;
	(void)ncol;
	(void)names;
	(void)types;
	r->rows++;
	return atoll(vals[0]) == 2;
}

static void test_kept_statements(void)
{
	struct nl_err err = { "" };
	const char *const four[] = { "4" }, *const five[] = { "5" };
	struct runs r = { NULL, 0, 0, 0 };
	int i;

	CHECK(store_open(&r.s, ":memory:", NL_STORE_RW, &err) == 0);
	if (!r.s)
		return;
	/* 4 outer rows (sum 10), each with 3 inner rows (sum 6) */
	CHECK(store_sql_params(r.s, numbers, four, 1, nested, &r) == 0);
	CHECK_INT(r.rows, 4 + 4 * 3);
	CHECK_INT(r.sum, 10 + 4 * 6);
	/* again, kept: new bindings, from its first row */
	r.rows = 0;
	r.sum = 0;
	CHECK(store_sql_params(r.s, numbers, five, 1, nested, &r) == 0);
	CHECK_INT(r.rows, 5 + 5 * 3);
	CHECK_INT(r.sum, 15 + 5 * 6);
	/* a run the callback stops, then a whole one */
	r.rows = 0;
	CHECK(store_sql_params(r.s, numbers, five, 1, stop_at_two, &r) == -1);
	CHECK_INT(r.rows, 2);
	r.rows = 0;
	CHECK(store_sql_params(r.s, numbers, five, 1, stop_at_two, &r) == -1);
	CHECK_INT(r.rows, 2);
	/* more queries than are kept, then the first once more */
	for (i = 0; i < 20; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "SELECT %d", 100 + i);
		r.rows = 0;
		CHECK(store_sql_params(r.s, sql, NULL, 0, stop_at_two, &r) == 0);
		CHECK_INT(r.rows, 1);
	}
	r.rows = 0;
	r.sum = 0;
	CHECK(store_sql_params(r.s, numbers, four, 1, nested, &r) == 0);
	CHECK_INT(r.sum, 10 + 4 * 6);
	/* what is refused stays refused */
	CHECK(store_sql(r.s, "DELETE FROM meta", stop_at_two, &r) == -1);
	CHECK(strstr(store_errmsg(r.s), "read-only") != NULL);
	CHECK(store_sql(r.s, "DELETE FROM meta", stop_at_two, &r) == -1);
	CHECK(store_sql(r.s, "SELECT no_such_column FROM meta", stop_at_two, &r) == -1);
	CHECK(strstr(store_errmsg(r.s), "does not compile") != NULL);
	store_close(r.s);
}

static int count_cb(void *ctx, int ncol, const char *const *names, const char *const *vals,
		    const int *types)
{
	(void)ncol;
	(void)names;
	(void)types;
	*(long long *)ctx = vals[0] ? atoll(vals[0]) : -1;
	return 0;
}

static long long count(struct nl_store *s, const char *sql)
{
	long long n = -2;
	CHECK(store_sql(s, sql, count_cb, &n) == 0);
	return n;
}

static int line_cb(void *ctx, const struct nl_event_row *r)
{
	int *lines = ctx;
	CHECK_INT(r->ev.line, *lines + 1);	/* in order, none missing */
	CHECK_INT(r->step, *lines + 1);
	(*lines)++;
	return 0;
}

/* One traced packet of nlines lines: its first line a whole row, the
 * others (same headers) narrow steps. */
static int64_t add_traced(struct nl_store *s, int64_t source_id, const char *trace, int nlines)
{
	struct nl_packet_row p;
	struct nl_event ev;
	int64_t id;
	int i;
	memset(&p, 0, sizeof p);
	snprintf(p.trace, sizeof p.trace, "%s", trace);
	snprintf(p.source, sizeof p.source, "iptables-trace");
	p.source_id = source_id;
	p.family = 4;
	p.uptime = -1;
	p.proto = 6;
	snprintf(p.src, sizeof p.src, "10.0.0.1");
	snprintf(p.dst, sizeof p.dst, "10.0.0.2");
	p.sport = 40000, p.dport = 80;
	p.ip_id = 7, p.tcp_seq = 1, p.tcp_flags = 2, p.icmp_type = p.icmp_id = -1;
	if ((id = store_add_packet(s, &p)) <= 0)
		return -1;
	memset(&ev, 0, sizeof ev);
	nl_pkt_init(&ev.pkt);
	ev.kind = NL_EV_TRACE;
	snprintf(ev.host, sizeof ev.host, "h1");
	snprintf(ev.time, sizeof ev.time, "Mar  1 00:00:00");
	ev.wall_us = ev.handle = ev.wsec = -1;
	snprintf(ev.table, sizeof ev.table, "filter");
	snprintf(ev.type, sizeof ev.type, "rule");
	ev.pkt.family = 4;
	ev.pkt.proto = 6;
	snprintf(ev.pkt.src, sizeof ev.pkt.src, "10.0.0.1");
	snprintf(ev.pkt.dst, sizeof ev.pkt.dst, "10.0.0.2");
	ev.pkt.sport = 40000, ev.pkt.dport = 80, ev.pkt.ip_id = 7, ev.pkt.seq = 1;
	for (i = 1; i <= nlines; i++) {
		ev.line = i;
		ev.uptime = 100 + i;
		ev.rulenum = i;
		ev.pkt.ttl = 64 - i % 3;
		snprintf(ev.chain, sizeof ev.chain, i % 2 ? "FORWARD" : "DOCKER");
		if (store_add_event(s, source_id, id, i, &ev))
			return -1;
	}
	return id;
}

static void test_waiting_steps(void)
{
	struct nl_err err = { "" };
	struct nl_store *s = NULL;
	int64_t src, pid;
	int lines = 0;
	CHECK(store_open(&s, ":memory:", NL_STORE_RW, &err) == 0);
	if (!s)
		return;
	/* 40 steps: a batch of 32 written, 8 waiting, which every read sees */
	CHECK(store_begin(s) == 0);
	CHECK((src = store_source_add(s, "messages", "h1", NULL)) > 0);
	CHECK((pid = add_traced(s, src, "aaaa", 41)) > 0);
	CHECK(count(s, "SELECT count(*) FROM steps") == 40);
	CHECK(count(s, "SELECT count(*) FROM events WHERE chain = 'DOCKER'") == 20);
	CHECK(store_packet_events(s, pid, line_cb, &lines) == 0);
	CHECK_INT(lines, 41);
	CHECK(store_commit(s) == 0);
	/* the 5 steps of a transaction rolled back go with it */
	CHECK(store_begin(s) == 0);
	CHECK(add_traced(s, src, "bbbb", 6) > 0);
	CHECK(store_rollback(s) == 0);
	CHECK(store_begin(s) == 0);
	CHECK(add_traced(s, src, "cccc", 3) > 0);
	CHECK(store_commit(s) == 0);
	CHECK(count(s, "SELECT count(*) FROM steps") == 42);
	CHECK(count(s, "SELECT count(*) FROM steps s JOIN packets p ON p.id = s.packet_id "
		       "WHERE p.trace = 'bbbb'") == 0);
	/* ids are one sequence over both tables, and the view gives every line back */
	CHECK(count(s, "SELECT count(DISTINCT id) FROM events") == 44);
	CHECK(count(s, "SELECT sum(rulenum) FROM events") == 41 * 42 / 2 + 6);
	store_close(s);
}

struct pids {
	int64_t id[4096];
	char dst[4096][NL_ADDRSIZ];	/* the first tuple's */
	int dport[4096];
	size_t n;
};

static int note_pid(void *ctx, const struct nl_packet_row *p)
{
	struct pids *l = ctx;
	if (l->n < sizeof l->id / sizeof l->id[0]) {
		snprintf(l->dst[l->n], sizeof l->dst[0], "%s", p->dst);
		l->dport[l->n] = p->dport;
		l->id[l->n++] = p->id;
	}
	return 0;
}

/* Packets i, i + stride, ... through one cursor, each against the lookup
 * of its own; how many of them NAT rewrote (their last tuple is not
 * their first). */
static int tuples_agree(struct nl_store *s, const struct pids *l, size_t stride, int twice)
{
	struct nl_tuplecursor *c;
	struct nl_pkt first;
	int rewritten = 0;
	size_t i;
	CHECK(store_tuplecur_open(s, &c) == 0);
	CHECK(store_packet_last_tuple(s, l->id[0], &first) == 0);
	if (!c)
		return 0;
	for (i = 0; i < l->n; i += stride) {
		struct nl_pkt a, b, back;
		int k;
		memset(&b, 0, sizeof b);
		CHECK(store_packet_last_tuple(s, l->id[i], &a) == 0);
		for (k = 0; k < 1 + twice; k++) {	/* again: the cursor went past it */
			CHECK(store_tuplecur_get(c, l->id[i], &b) == 0);
			CHECK_STR(b.src, a.src);
			CHECK_STR(b.dst, a.dst);
			CHECK_INT(b.sport, a.sport);
			CHECK_INT(b.dport, a.dport);
		}
		/* out of order: looked up alone, and the cursor goes on after it */
		CHECK(store_tuplecur_get(c, l->id[0], &back) == 0);
		CHECK_STR(back.dst, first.dst);
		CHECK_INT(back.dport, first.dport);
		rewritten += a.dst[0] && (strcmp(a.dst, l->dst[i]) || a.dport != l->dport[i]);
	}
	store_tuplecur_close(c);
	return rewritten;
}

/* paths imported into s, as `natlog import -q` would, and its packets
 * noted in l. */
static void import_noting(struct nl_store *s, char **paths, int n, struct pids *l)
{
	struct nl_import_opts o;
	struct nl_import_stats st;
	struct nl_filter all = { .port = -1, .seq = -1, .ip_id = -1 };
	memset(&o, 0, sizeof o);
	memset(&st, 0, sizeof st);
	o.quiet = 1;
	o.boot_us = -1;
	CHECK(ingest_paths(s, paths, n, &o, &st) == 0);
	CHECK(store_packets(s, &all, note_pid, l) > 0);
}

static void test_last_tuples(void)
{
	static const char *const labs[] = { "docker-legacy", "interleaved", "three-hosts",
					    "nft-set-drop", "udp-icmp", "log-dnat" };
	size_t k;
	for (k = 0; k < sizeof labs / sizeof labs[0]; k++) {
		struct nl_err err = { "" };
		struct nl_store *s;
		struct pids *l = calloc(1, sizeof *l);
		char *paths[2];
		char a[128], b[128];
		int n = 0;
		snprintf(a, sizeof a, "testdata/lab/%s/messages", labs[k]);
		snprintf(b, sizeof b, "testdata/lab/%s/nft-monitor-trace.txt", labs[k]);
		if (access(a, R_OK) == 0)
			paths[n++] = a;
		if (access(b, R_OK) == 0)
			paths[n++] = b;
		CHECK(n > 0 && l != NULL);
		if (!n || !l || store_open(&s, ":memory:", NL_STORE_RW, &err) != 0) {
			free(l);
			continue;
		}
		import_noting(s, paths, n, l);
		/* in order (three-hosts' gateway routes without NAT), sparse
		 * (sought, not stepped to), each packet asked for twice */
		CHECK(tuples_agree(s, l, 1, 0) > 0 || !strcmp(labs[k], "three-hosts"));
		tuples_agree(s, l, 3, 0);
		tuples_agree(s, l, 7, 1);
		store_close(s);
		free(l);
	}
}

/* A packet's lines as a cursor reads them: their ids and line numbers. */
struct lines {
	long v[256];
	size_t n;
};

static int note_line(void *ctx, const struct nl_event_row *e)
{
	struct lines *l = ctx;
	if (l->n < sizeof l->v / sizeof l->v[0])
		l->v[l->n++] = (long)e->id * 100000 + e->ev.line;
	return 0;
}

static int same_lines(struct nl_evcursor *c, struct nl_store *s, int64_t id)
{
	struct lines a = { { 0 }, 0 }, b = { { 0 }, 0 };
	if (store_evcursor_packet(c, id, note_line, &a) || store_packet_events(s, id, note_line, &b))
		return 0;
	return a.n > 0 && a.n == b.n && !memcmp(a.v, b.v, a.n * sizeof a.v[0]);
}

/* Cursors keep their statements on the store; a second one opened while
 * the first is reading has its own, and neither disturbs the other. */
static void test_cursors(void)
{
	struct nl_err err = { "" };
	struct nl_evcursor *a = NULL, *b = NULL, *c = NULL;
	struct nl_store *s;
	struct pids *l = calloc(1, sizeof *l);
	char path[] = "testdata/lab/docker-legacy/messages", *paths[] = { path };
	size_t i, half;
	CHECK(l != NULL);
	if (!l || store_open(&s, ":memory:", NL_STORE_RW, &err) != 0) {
		free(l);
		return;
	}
	import_noting(s, paths, 1, l);
	CHECK(l->n >= 8);
	if (l->n < 8)
		goto out;
	half = l->n / 2;
	CHECK(store_evcursor_open(s, l->id[0], l->id[l->n - 1], &a) == 0);
	for (i = 0; a && i < half; i++)
		CHECK(same_lines(a, s, l->id[i]));
	/* opened while a reads, over other packets: its own statements */
	CHECK(store_evcursor_open(s, l->id[0], l->id[half - 1], &b) == 0);
	for (i = 0; b && i < half; i++)
		CHECK(same_lines(b, s, l->id[i]));
	store_evcursor_close(b);
	for (i = half; a && i < l->n; i++)
		CHECK(same_lines(a, s, l->id[i]));
	store_evcursor_close(a);
	/* the kept statements again, from the start */
	CHECK(store_evcursor_open(s, l->id[1], l->id[l->n - 2], &c) == 0);
	for (i = 1; c && i + 1 < l->n; i++)
		CHECK(same_lines(c, s, l->id[i]));
	store_evcursor_close(c);
out:
	store_close(s);
	free(l);
}

int main(void)
{
	test_image();
	test_kept_statements();
	test_waiting_steps();
	test_last_tuples();
	test_cursors();
	return unit_report("test_store");
}
