/*
 * cmd_flows.c - `natlog flows [--json]`: one line (or object) per
 * connection, whatever the sources that saw it. Conntrack records are
 * grouped by host, network namespace (each has a table of its own),
 * protocol, zone, original and reply tuple; a NEW event
 * after a NEW or DESTROY of the same tuples, an UPDATE after a DESTROY, or
 * another conntrack id starts a new connection. The translated tuple (the
 * packet as it leaves after NAT) is the reply tuple turned around. Traced
 * packets and captured frames join the connection one of whose tuples
 * (either direction, before or after NAT) they have, or, after a NAT no
 * tuple shows, whose traced packet has their identity (IP ID, SEQ): the
 * host's own namespace's only, as the kernel log and the monitors hold
 * that namespace's packets (a namespace's connections take none); the
 * others make connections of their own, NAT learned from the trace's last
 * step and from the frames that are its packets after NAT.
 * Memory stays small whatever the number of connections: conntrack's
 * records come sorted by key from the store, so only one connection is
 * open at a time; every connection, conntrack's or not, is a record of a
 * scratch file (numbers updated in place); the tuples packets and frames
 * look up, and each connection's place in the output order, are rows of a
 * scratch database on disk, which sorts them. Only bounded buffers stay.
 */
#include "natlog.h"
#include "cli.h"
#include "commands.h"
#include "communityid.h"
#include "csvw.h"
#include "filter.h"
#include "jsonw.h"
#include "store.h"
#include "table.h"
#include "timespec.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct flow {
	struct nl_flow k;		/* the tuples, from the first record */
	int64_t order;			/* first record's place in import order */
	int64_t first_us, last_us;
	char first_time[40], last_time[40];
	long records, nnew, nupdate, ndestroy, nlisted;
	char state[16];
	int assured, unreplied, closed, seen_new;
	int64_t opackets, obytes, rpackets, rbytes, mark, zone, ct_id;
	int from_ct;			/* conntrack listed or reported it */
	int64_t ntraced, ntraced_reply, ncaptured;
	int64_t where;			/* its record's offset in the scratch file */
};

/* The tuples packets and frames look up, each with the connection that
 * claimed it (2 * index + dir, dir 1 for the reply's direction), and the
 * connection each traced packet went to, in a scratch database. The first
 * pass over packets and frames puts every key any of them will look up;
 * a connection only claims keys among those (a key no packet or frame
 * has is never asked for). */
struct tmap {
	struct nl_scratch *db;
	size_t n;			/* keys */
};

static int is_icmp(int proto)
{
	return proto == 1 || proto == 58;
}

/* s after the k bytes of b (size n), as much of it as fits. */
static void key_put(char *b, size_t n, size_t *k, const char *s)
{
	while (*s && *k + 1 < n)
		b[(*k)++] = *s++;
}

static void key_num(char *b, size_t n, size_t *k, int v)
{
	char t[16];
	size_t i = sizeof t - 1;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	t[i] = '\0';
	do
		t[--i] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		t[--i] = '-';
	key_put(b, n, k, t + i);
}

/* A tuple as a lookup key: "proto|src|sport|dst|dport" (ICMP: the id);
 * of a network namespace ns (a monitor's packets there, its table's
 * connections) "ns|" before it: another stack's, never the host's. What
 * snprintf() would write, cut where it would cut; built by hand, since
 * every packet makes a few and snprintf() was 12 % of flows on a log of
 * LOG lines (a packet a line). */
static void tkey_make(char *buf, size_t n, const char *ns, int proto, const char *src, int sport,
		      const char *dst, int dport, int icmp_id)
{
	size_t k = 0;
	if (!n)
		return;
	key_put(buf, n, &k, ns);
	key_put(buf, n, &k, ns[0] ? "|" : "");
	key_num(buf, n, &k, proto);
	key_put(buf, n, &k, "|");
	key_put(buf, n, &k, src);
	key_put(buf, n, &k, "|");
	key_num(buf, n, &k, is_icmp(proto) ? icmp_id : sport);
	key_put(buf, n, &k, "|");
	key_put(buf, n, &k, dst);
	key_put(buf, n, &k, "|");
	if (!is_icmp(proto))
		key_num(buf, n, &k, dport);
	buf[k] = '\0';
}

static int tkey_valid(const char *key)
{
	return key[0] && !strstr(key, "||");	/* an address left out: no key */
}

/* A key packets or frames will look up, yet claimed by none. */
static int tmap_want(struct tmap *m, const char *key)
{
	int r;
	if (!tkey_valid(key))
		return 0;
	if ((r = store_scratch_add(m->db, key)) < 0)
		return -1;
	m->n += (size_t)r;
	return 0;
}

/* 1 and the connection that claimed key, 0 when none did, -1 a failure. */
static int tmap_get(struct tmap *m, const char *key, size_t *flow, int *dir)
{
	int64_t v;
	int r = store_scratch_get(m->db, key, &v);
	if (r <= 0 || v < 0)
		return r < 0 ? -1 : 0;
	*flow = (size_t)(v >> 1);
	*dir = (int)(v & 1);
	return 1;
}

/* The first connection to claim a tuple keeps it. */
static int tmap_claim(struct tmap *m, const char *key, size_t flow, int dir)
{
	if (!tkey_valid(key))
		return 0;
	return store_scratch_set(m->db, key, 2 * (int64_t)flow + dir, 1) < 0 ? -1 : 0;
}

static void make_key(const struct nl_flow *f, char *buf, size_t n)
{
	snprintf(buf, n, "%s|%s|%d|%d|%lld|%s|%s|%d|%d|%d|%d|%d|%s|%s|%d|%d", f->host, f->netns,
		 f->family, f->proto, (long long)(f->zone > 0 ? f->zone : 0), f->osrc, f->odst, f->osport,
		 f->odport, f->icmp_type, f->icmp_code, f->icmp_id, f->rsrc, f->rdst, f->rsport,
		 f->rdport);
}

static int starts_new(const struct flow *w, const struct nl_flow *r)
{
	if (!strcmp(r->event, "NEW") && (w->seen_new || w->closed))
		return 1;
	if (!strcmp(r->event, "UPDATE") && w->closed)
		return 1;
	return r->ct_id >= 0 && w->ct_id >= 0 && r->ct_id != w->ct_id;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* A tuple as natlog shows it: ports for TCP/UDP/SCTP/..., ICMP's type,
 * code and id, GRE's keys; -1 is unknown. */
struct tuple {
	const char *src, *dst;
	int sport, dport;		/* -1 for ICMP and GRE */
	int type, code, id;		/* ICMP */
	int srckey, dstkey;		/* GRE */
};

static void tuples(const struct flow *w, struct tuple *orig, struct tuple *reply,
		   struct tuple *tr)
{
	const struct nl_flow *k = &w->k;
	int gre = k->proto == 47, icmp = is_icmp(k->proto);
	struct tuple none = { "", "", -1, -1, -1, -1, -1, -1, -1 };
	*orig = *reply = *tr = none;
	orig->src = k->osrc;
	orig->dst = k->odst;
	reply->src = k->rsrc;
	reply->dst = k->rdst;
	if (icmp) {
		orig->type = k->icmp_type;
		orig->code = k->icmp_code;
		orig->id = k->icmp_id;
		reply->id = k->rsport;	/* the parser keeps the reply's id there */
	} else if (gre) {
		orig->srckey = k->osport;
		orig->dstkey = k->odport;
		reply->srckey = k->rsport;
		reply->dstkey = k->rdport;
	} else {
		orig->sport = k->osport;
		orig->dport = k->odport;
		reply->sport = k->rsport;
		reply->dport = k->rdport;
	}
	/* the packet as it leaves: the reply tuple turned around */
	tr->src = reply->dst;
	tr->dst = reply->src;
	tr->sport = reply->dport;
	tr->dport = reply->sport;
	tr->srckey = reply->dstkey;
	tr->dstkey = reply->srckey;
	if (icmp) {
		tr->type = orig->type;	/* NAT never changes ICMP type and code */
		tr->code = orig->code;
		tr->id = reply->id;	/* SNAT may remap the id */
	}
}

/* "dnat", "snat", "both", or NULL. */
static const char *nat_kind(int proto, const struct tuple *o, const struct tuple *t)
{
	int d = strcmp(o->dst, t->dst) != 0 || o->dport != t->dport;
	int s = strcmp(o->src, t->src) != 0 || o->sport != t->sport ||
		(is_icmp(proto) && o->id != t->id);
	return d && s ? "both" : d ? "dnat" : s ? "snat" : NULL;
}

static void community(int proto, const struct tuple *t, char *out, size_t n)
{
	int sp = is_icmp(proto) ? t->type : t->sport, dp = is_icmp(proto) ? t->code : t->dport;
	if (nl_community_id(0, proto, t->src, sp, t->dst, dp, out, n))
		out[0] = '\0';
}

static int same(const struct tuple *a, const struct tuple *b)
{
	return !strcmp(a->src, b->src) && !strcmp(a->dst, b->dst) && a->sport == b->sport &&
	       a->dport == b->dport && a->id == b->id && a->type == b->type;
}

static void query(struct nl_tuple_count *q, int proto, const struct tuple *t)
{
	int icmp = is_icmp(proto);
	q->proto = proto;
	q->src = t->src;
	q->dst = t->dst;
	q->sport = icmp ? t->id : t->sport;
	q->dport = icmp ? t->type : t->dport;
	q->n = 0;
}

/* The reply as it arrives (r) and after NAT is undone (rin). */
static void reply_tuples(const struct tuple *o, const struct tuple *r, struct tuple *rin,
			 struct tuple *rr)
{
	*rin = *o;
	rin->src = o->dst;
	rin->dst = o->src;
	rin->sport = o->dport;
	rin->dport = o->sport;
	rin->type = -1;		/* the reply's type is not kept */
	*rr = *r;
	rr->type = -1;
}

/* Traced packets per conntrack connection (the others count theirs as
 * they are built): of the original direction as it came in or left
 * after NAT, and of the reply as it came in or after NAT was undone (each
 * packet once: a second tuple equal to the first is not asked). Four
 * queries per connection, in one call. */
static int count_traced(struct nl_store *s, const struct flow *v, size_t n, int64_t *traced,
			int64_t *traced_reply)
{
	struct nl_tuple_count *q = calloc(n * 4 + 1, sizeof *q);
	size_t *of = calloc(n + 1, sizeof *of);
	size_t i, k = 0;
	if (!q || !of) {
		free(q);
		free(of);
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct tuple o, r, t, rin, rr;
		int proto = v[i].k.proto;
		if (!v[i].from_ct)
			continue;
		tuples(&v[i], &o, &r, &t);
		reply_tuples(&o, &r, &rin, &rr);
		query(&q[4 * k], proto, &o);
		query(&q[4 * k + 1], proto, &t);
		query(&q[4 * k + 2], proto, &rr);
		query(&q[4 * k + 3], proto, &rin);
		if (same(&o, &t))
			q[4 * k + 1].src = NULL;	/* matches nothing */
		if (same(&rr, &rin))
			q[4 * k + 3].src = NULL;
		/* a namespace's table counts the packets a monitor traced there */
		q[4 * k].netns = q[4 * k + 1].netns = q[4 * k + 2].netns = q[4 * k + 3].netns =
			v[i].k.netns;
		of[k++] = i;
	}
	if (k && store_count_packets_tuple(s, q, k * 4)) {
		free(q);
		free(of);
		return -1;
	}
	for (i = 0; i < k; i++) {
		traced[of[i]] = q[4 * i].n + q[4 * i + 1].n;
		traced_reply[of[i]] = q[4 * i + 2].n + q[4 * i + 3].n;
	}
	free(q);
	free(of);
	return 0;
}

static void json_tuple(FILE *f, int proto, const struct tuple *t)
{
	int first = 1;
	fputc('{', f);
	jw_key(f, &first, "src");
	jw_str(f, t->src);
	jw_key(f, &first, "sport");
	jw_num(f, t->sport);
	jw_key(f, &first, "dst");
	jw_str(f, t->dst);
	jw_key(f, &first, "dport");
	jw_num(f, t->dport);
	if (is_icmp(proto)) {
		jw_key(f, &first, "type");
		jw_num(f, t->type);
		jw_key(f, &first, "code");
		jw_num(f, t->code);
		jw_key(f, &first, "id");
		jw_num(f, t->id);
	} else if (proto == 47) {
		jw_key(f, &first, "srckey");
		jw_num(f, t->srckey);
		jw_key(f, &first, "dstkey");
		jw_num(f, t->dstkey);
	}
	fputc('}', f);
}

static void text_tuple(char *buf, size_t n, int proto, int family, const struct tuple *t)
{
	if (is_icmp(proto)) {
		char ty[48] = "", id[24] = "";
		if (t->type >= 0)
			snprintf(ty, sizeof ty, " type %d", t->type);
		if (t->id >= 0)	/* VyOS's conntrack table shows neither */
			snprintf(id, sizeof id, " id %d", t->id);
		snprintf(buf, n, "%s %s -> %s%s%s", nl_proto_name(proto), t->src, t->dst, ty, id);
	} else {
		nl_fmt_tuple(buf, n, proto, t->src, t->sport, t->dst, t->dport, family);
	}
}

static void endpoint(char *buf, size_t n, int family, const char *addr, int port)
{
	if (port >= 0)
		snprintf(buf, n, family == 6 ? "[%s]:%d" : "%s:%d", addr, port);
	else
		snprintf(buf, n, "%s", addr);
}

/* ---- conntrack's connections, streamed ---- */

/* A connection in the scratch file: these numbers, then its strings, each
 * a length byte and its bytes. */
struct ctnum {
	int64_t first_us, last_us, opackets, obytes, rpackets, rbytes, mark, zone, ct_id;
	int64_t order, ncaptured, ntraced, ntraced_reply;
	long records, nnew, nupdate, ndestroy, nlisted;
	int family, proto, osport, odport, rsport, rdport, icmp_type, icmp_code, icmp_id;
	int assured, unreplied, from_ct;
};
#define CT_STRINGS 9
#define CT_MAXREC (sizeof(struct ctnum) + CT_STRINGS * 256)
#define CT_STR(w) { (w)->k.host, (w)->k.osrc, (w)->k.odst, (w)->k.rsrc, (w)->k.rdst, \
		    (w)->state, (w)->first_time, (w)->last_time, (w)->k.netns }
#define CT_STRSIZE(w) { sizeof (w)->k.host, sizeof (w)->k.osrc, sizeof (w)->k.odst, \
			sizeof (w)->k.rsrc, sizeof (w)->k.rdst, sizeof (w)->state, \
			sizeof (w)->first_time, sizeof (w)->last_time, sizeof (w)->k.netns }

/* Conntrack's records, read grouped by key: the open connection, the
 * scratch file the finished ones (and then the others) go to, and how
 * many there are. Connection i's place in the output is row i of the
 * scratch database: its first time (-1 none), its order and its record's
 * offset; flows with a time come first, by time, then the others in
 * import order (orders are unique). */
struct ctpass {
	struct flow cur;
	char key[512];
	int open;
	FILE *f;
	int64_t end;			/* bytes written to f */
	size_t n;			/* conntrack's connections, then the others */
	size_t nns;			/* conntrack's connections of a namespace's table */
	size_t ntns;			/* the others of a namespace (its monitor's packets) */
	struct tmap *tm;		/* the tuples packets and frames look up */
	const char *why;		/* a failure that is not the store's */
};

/* Connection w as a record in buf: its length, or 0 when a string is too
 * long for one. */
static size_t ct_pack(const struct flow *w, unsigned char *buf)
{
	struct ctnum c;
	const char *str[CT_STRINGS] = CT_STR(w);
	size_t at = sizeof c;
	int i;
	memset(&c, 0, sizeof c);
	c.first_us = w->first_us;
	c.last_us = w->last_us;
	c.opackets = w->opackets;
	c.obytes = w->obytes;
	c.rpackets = w->rpackets;
	c.rbytes = w->rbytes;
	c.mark = w->mark;
	c.zone = w->zone;
	c.ct_id = w->ct_id;
	c.order = w->order;
	c.ncaptured = w->ncaptured;
	c.ntraced = w->ntraced;
	c.ntraced_reply = w->ntraced_reply;
	c.records = w->records;
	c.nnew = w->nnew;
	c.nupdate = w->nupdate;
	c.ndestroy = w->ndestroy;
	c.nlisted = w->nlisted;
	c.family = w->k.family;
	c.proto = w->k.proto;
	c.osport = w->k.osport;
	c.odport = w->k.odport;
	c.rsport = w->k.rsport;
	c.rdport = w->k.rdport;
	c.icmp_type = w->k.icmp_type;
	c.icmp_code = w->k.icmp_code;
	c.icmp_id = w->k.icmp_id;
	c.assured = w->assured;
	c.unreplied = w->unreplied;
	c.from_ct = w->from_ct;
	memcpy(buf, &c, sizeof c);
	for (i = 0; i < CT_STRINGS; i++) {
		size_t n = strlen(str[i]);
		if (n > 255)
			return 0;
		buf[at++] = (unsigned char)n;
		memcpy(buf + at, str[i], n);
		at += n;
	}
	return at;
}

static int ct_save(FILE *f, const struct flow *w)
{
	unsigned char buf[CT_MAXREC];
	size_t n = ct_pack(w, buf);
	return n && fwrite(buf, 1, n, f) == n ? 0 : -1;
}

static int ct_load(FILE *f, int64_t off, struct flow *w)
{
	unsigned char buf[CT_MAXREC];
	struct ctnum c;
	char *str[CT_STRINGS] = CT_STR(w);
	size_t size[CT_STRINGS] = CT_STRSIZE(w);
	ssize_t got = pread(fileno(f), buf, sizeof buf, (off_t)off);
	size_t at = sizeof c, len = got > 0 ? (size_t)got : 0;
	int i;
	if (len < sizeof c)
		return -1;
	memcpy(&c, buf, sizeof c);
	memset(w, 0, sizeof *w);
	nl_flow_init(&w->k);
	w->where = off;
	for (i = 0; i < CT_STRINGS; i++) {
		size_t n;
		if (at >= len || (n = buf[at++]) >= size[i] || at + n > len)
			return -1;
		memcpy(str[i], buf + at, n);
		str[i][n] = '\0';
		at += n;
	}
	w->first_us = c.first_us;
	w->last_us = c.last_us;
	w->opackets = c.opackets;
	w->obytes = c.obytes;
	w->rpackets = c.rpackets;
	w->rbytes = c.rbytes;
	w->mark = c.mark;
	w->zone = c.zone;
	w->ct_id = c.ct_id;
	w->order = c.order;
	w->ncaptured = c.ncaptured;
	w->ntraced = c.ntraced;
	w->ntraced_reply = c.ntraced_reply;
	w->records = c.records;
	w->nnew = c.nnew;
	w->nupdate = c.nupdate;
	w->ndestroy = c.ndestroy;
	w->nlisted = c.nlisted;
	w->k.family = c.family;
	w->k.proto = c.proto;
	w->k.osport = c.osport;
	w->k.odport = c.odport;
	w->k.rsport = c.rsport;
	w->k.rdport = c.rdport;
	w->k.icmp_type = c.icmp_type;
	w->k.icmp_code = c.icmp_code;
	w->k.icmp_id = c.icmp_id;
	w->assured = c.assured;
	w->unreplied = c.unreplied;
	w->from_ct = c.from_ct;
	return 0;
}

/* Read and written, never seen: unlinked at once, in $TMPDIR or /tmp. */
static FILE *scratch_file(const char *dir)
{
	char path[4096];
	FILE *f;
	int fd;
	snprintf(path, sizeof path, "%s/natlog-flows.XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0)
		return NULL;
	unlink(path);
	if (!(f = fdopen(fd, "w+b")))
		close(fd);
	return f;
}

/* Connection i's place in the output, its record at where. */
static int ord_put(struct ctpass *cp, size_t i, const struct flow *w, int64_t where)
{
	int64_t v[3];
	v[0] = w->first_us;
	v[1] = w->order;
	v[2] = where;
	if (store_scratch_row_put(cp->tm->db, (int64_t)i, v)) {
		cp->why = "cannot use the scratch database of connections";
		return -1;
	}
	return 0;
}

/* Connection i's order and its record's offset: 0, or -1 a failure. */
static int ord_get(struct ctpass *cp, size_t i, int64_t *order, int64_t *where)
{
	int64_t v[3];
	if (store_scratch_row_get(cp->tm->db, (int64_t)i, v) != 1) {
		cp->why = "cannot use the scratch database of connections";
		return -1;
	}
	*order = v[1];
	*where = v[2];
	return 0;
}

/* Every tuple of a connection: as it comes and leaves, and its reply's. */
static void all_tuples(const struct flow *w, struct tuple t[4])
{
	struct tuple r, rr;
	tuples(w, &t[0], &r, &t[1]);
	reply_tuples(&t[0], &r, &t[3], &rr);
	t[2] = r;
	if (is_icmp(w->k.proto))
		t[3].id = t[0].id;
}

/* Connection c takes those of its tuples packets and frames look up,
 * unless one before it in import order has them: as if every connection
 * had claimed its tuples in that order, first come first served. A
 * namespace's connection takes its namespace's keys: the packets a
 * monitor traced there (the kernel log and captures are the host's). */
static int ct_claim(struct ctpass *cp, size_t c)
{
	static const int dir[4] = { 0, 0, 1, 1 };
	struct tuple t[4];
	char key[256];
	int i;
	if (!cp->tm->n)
		return 0;
	all_tuples(&cp->cur, t);
	for (i = 0; i < 4; i++) {
		int64_t v, order = -1, where;
		int r;
		tkey_make(key, sizeof key, cp->cur.k.netns, cp->cur.k.proto, t[i].src, t[i].sport,
			  t[i].dst, t[i].dport, t[i].id);
		if (!tkey_valid(key) || (r = store_scratch_get(cp->tm->db, key, &v)) == 0)
			continue;
		if (r < 0 || (v >= 0 && ord_get(cp, (size_t)(v >> 1), &order, &where)))
			return -1;
		if ((v < 0 || order > cp->cur.order) &&
		    store_scratch_set(cp->tm->db, key, 2 * (int64_t)c + dir[i], 0) < 0)
			return -1;
	}
	return 0;
}

static int ct_finish(struct ctpass *cp)
{
	if (!cp->open)
		return 0;
	cp->open = 0;
	cp->nns += cp->cur.k.netns[0] != 0;
	if (ord_put(cp, cp->n, &cp->cur, cp->end))
		return -1;
	if (ct_claim(cp, cp->n++)) {
		if (!cp->why)
			cp->why = "cannot use the scratch database of tuples";
		return -1;
	}
	if (ct_save(cp->f, &cp->cur) || (cp->end = ftello(cp->f)) < 0) {
		cp->why = "cannot write the scratch file of connections";
		return -1;
	}
	return 0;
}

static int add_record(void *ctx, int64_t id, const struct nl_flow *r)
{
	struct ctpass *cp = ctx;
	struct flow *w = &cp->cur;
	char key[512];

	make_key(r, key, sizeof key);
	if (!cp->open || strcmp(key, cp->key) != 0 || starts_new(w, r)) {
		if (ct_finish(cp))
			return -1;
		memset(w, 0, sizeof *w);
		w->k = *r;
		nl_strlcpy(cp->key, key, sizeof cp->key);
		cp->open = 1;
		w->order = id;
		w->first_us = w->last_us = -1;
		w->opackets = w->obytes = w->rpackets = w->rbytes = -1;
		w->mark = w->zone = w->ct_id = -1;
		w->unreplied = r->unreplied;
		w->from_ct = 1;
	}
	w->records++;
	if (!strcmp(r->event, "NEW")) {
		w->nnew++;
		w->seen_new = 1;
	} else if (!strcmp(r->event, "UPDATE")) {
		w->nupdate++;
	} else if (!strcmp(r->event, "DESTROY")) {
		w->ndestroy++;
		w->closed = 1;
	} else {
		w->nlisted++;
	}
	if (r->wall_us >= 0) {
		if (w->first_us < 0 || r->wall_us < w->first_us) {
			w->first_us = r->wall_us;
			nl_strlcpy(w->first_time, r->time, sizeof w->first_time);
		}
		if (r->wall_us > w->last_us) {
			w->last_us = r->wall_us;
			nl_strlcpy(w->last_time, r->time, sizeof w->last_time);
		}
	}
	if (r->state[0])
		nl_strlcpy(w->state, r->state, sizeof w->state);
	/* ASSURED is never cleared: one record that shows it says so; one
	 * whose offload flag hid it leaves the others' "no" in doubt */
	if (r->assured > 0 || (r->assured < 0 && w->assured == 0))
		w->assured = r->assured;
	w->unreplied = r->unreplied;
	w->opackets = max64(w->opackets, r->opackets);
	w->obytes = max64(w->obytes, r->obytes);
	w->rpackets = max64(w->rpackets, r->rpackets);
	w->rbytes = max64(w->rbytes, r->rbytes);
	if (r->mark >= 0)
		w->mark = r->mark;	/* events leave out mark=0: keep the last printed */
	w->zone = max64(w->zone, r->zone);
	if (r->ct_id >= 0)
		w->ct_id = r->ct_id;
	return 0;
}


/* ---- connections from traces and captures ---- */

/* Connection i is conntrack's for i < nct; every one is a record of the
 * scratch file, where row i of the scratch database says. */
struct build {
	struct nl_store *s;
	struct ctpass *ct;
	size_t nct;
	struct tmap tm;
	int64_t npackets, nwire;	/* in the store */
	struct nl_filter f;	/* --host and the time bounds */
	int64_t ct_left_out, others_left_out;	/* what no bound's clock places */
	struct nl_tuplecursor *lt;	/* the packets' last tuples, in id order */
};

static int flow_get(struct build *b, size_t i, struct flow *w)
{
	int64_t order, where;
	if (ord_get(b->ct, i, &order, &where))
		return -1;
	if (ct_load(b->ct->f, where, w)) {
		b->ct->why = "cannot read the scratch file of connections";
		return -1;
	}
	return 0;
}

/* Connection i (as flow_get read it) back to the scratch file: its
 * numbers in place, or, when a string changed (and with it perhaps the
 * length, and the first time), the whole record at the end, where its
 * place in the order then points. */
static int flow_put(struct build *b, size_t i, const struct flow *w, int strings)
{
	struct ctpass *cp = b->ct;
	unsigned char buf[CT_MAXREC];
	size_t n = ct_pack(w, buf);
	int64_t at = strings ? cp->end : w->where;
	if (n && !strings)
		n = sizeof(struct ctnum);
	if (!n || pwrite(fileno(cp->f), buf, n, (off_t)at) != (ssize_t)n) {
		cp->why = "cannot write the scratch file of connections";
		return -1;
	}
	if (!strings)
		return 0;
	cp->end += (int64_t)n;
	return ord_put(cp, i, w, at);
}

/* Every tuple of connection i (not conntrack's: ct_claim did those), each
 * key once. */
static int register_flow(struct build *b, size_t i, const struct flow *w)
{
	static const int dir[4] = { 0, 0, 1, 1 };
	struct tuple t[4];
	char key[4][256];
	int j, k;
	all_tuples(w, t);
	for (j = 0; j < 4; j++) {
		tkey_make(key[j], sizeof key[j], w->k.netns, w->k.proto, t[j].src, t[j].sport,
			  t[j].dst, t[j].dport, t[j].id);
		for (k = 0; k < j && strcmp(key[k], key[j]); k++)
			;
		if (k == j && tmap_claim(&b->tm, key[j], i, dir[j])) {
			b->ct->why = "cannot use the scratch database of tuples";
			return -1;
		}
	}
	return 0;
}

/* A connection no conntrack record has: orig and translated as seen. Its
 * index, or -1. */
static long new_flow(struct build *b, int family, int proto, const char *host, const char *netns,
		     const char *osrc, int osport, const char *odst, int odport, const char *tsrc,
		     int tsport, const char *tdst, int tdport, int icmp_type, int icmp_id,
		     const char *first_time)
{
	struct ctpass *cp = b->ct;
	struct flow w;
	struct nl_flow *k = &w.k;
	size_t i = cp->n;
	memset(&w, 0, sizeof w);
	nl_flow_init(k);
	k->family = family;
	k->proto = proto;
	nl_strlcpy(k->host, host, sizeof k->host);
	nl_strlcpy(k->netns, netns, sizeof k->netns);
	cp->ntns += netns[0] != 0;
	nl_strlcpy(k->osrc, osrc, sizeof k->osrc);
	nl_strlcpy(k->odst, odst, sizeof k->odst);
	/* the reply tuple is the translated one turned around */
	nl_strlcpy(k->rsrc, tdst, sizeof k->rsrc);
	nl_strlcpy(k->rdst, tsrc, sizeof k->rdst);
	if (is_icmp(proto)) {
		k->icmp_type = icmp_type;
		k->icmp_code = icmp_type >= 0 ? 0 : -1;
		k->icmp_id = k->rsport = icmp_id;
		k->osport = k->odport = k->rdport = -1;
	} else {
		k->osport = osport;
		k->odport = odport;
		k->rsport = tdport;
		k->rdport = tsport;
	}
	w.order = INT64_MAX / 2 + (int64_t)(i - b->nct);	/* after conntrack's */
	w.first_us = w.last_us = -1;
	w.opackets = w.obytes = w.rpackets = w.rbytes = -1;
	w.mark = w.zone = w.ct_id = -1;
	if (first_time)
		nl_strlcpy(w.first_time, first_time, sizeof w.first_time);
	cp->n++;
	return flow_put(b, i, &w, 1) || register_flow(b, i, &w) ? -1 : (long)i;
}

static int is_reply(int proto, int tcp_flags, int icmp_type)
{
	if (proto == 6)
		return tcp_flags >= 0 && (tcp_flags & (NL_TCP_SYN | NL_TCP_ACK)) == (NL_TCP_SYN | NL_TCP_ACK);
	return (proto == 1 && icmp_type == 0) || (proto == 58 && icmp_type == 129);
}

static int add_packet(void *ctx, const struct nl_packet_row *p)
{
	struct build *b = ctx;
	char key[256];
	struct nl_pkt last;
	struct flow w;
	size_t i;
	long n;
	int dir, r;
	if (is_icmp(p->proto) && p->icmp_id < 0)
		return 0;	/* an ICMP error belongs to the connection it quotes */
	tkey_make(key, sizeof key, p->netns, p->proto, p->src, p->sport, p->dst, p->dport,
		  p->icmp_id);
	if ((r = tmap_get(&b->tm, key, &i, &dir)) < 0)
		goto scratch;
	if (!r) {
		char lkey[256];
		if (store_tuplecur_get(b->lt, p->id, &last))
			return -1;
		if (!last.src[0]) {
			nl_strlcpy(last.src, p->src, sizeof last.src);
			nl_strlcpy(last.dst, p->dst, sizeof last.dst);
			last.sport = p->sport;
			last.dport = p->dport;
		}
		/* a reply conntrack translated back: known by its tuple after that
		 * (a packet only logged: the same key, looked up just above) */
		tkey_make(lkey, sizeof lkey, p->netns, p->proto, last.src, last.sport, last.dst,
			  last.dport, p->icmp_id);
		if (strcmp(lkey, key) && (r = tmap_get(&b->tm, lkey, &i, &dir)) < 0)
			goto scratch;
		if (r) {
			if (tmap_claim(&b->tm, key, i, dir))
				goto scratch;
			goto counted;
		}
		dir = is_reply(p->proto, p->tcp_flags, p->icmp_type);
		/* a reply traced first: the connection is its last tuple turned around */
		n = dir ? new_flow(b, p->family, p->proto, p->host, p->netns, last.dst, last.dport, last.src,
				   last.sport, p->dst, p->dport, p->src, p->sport, -1, p->icmp_id, p->time)
			: new_flow(b, p->family, p->proto, p->host, p->netns, p->src, p->sport, p->dst, p->dport,
				   last.src, last.sport, last.dst, last.dport, p->icmp_type, p->icmp_id,
				   p->time);
		if (n < 0)
			return -1;
		i = (size_t)n;
	}
counted:
	if (i >= b->nct) {
		if (flow_get(b, i, &w))
			return -1;
		if (dir)
			w.ntraced_reply++;
		else
			w.ntraced++;
		if (flow_put(b, i, &w, 0))
			return -1;
	}
	if (store_scratch_put_id(b->tm.db, p->id, 2 * (int64_t)i + dir) >= 0)
		return 0;
scratch:
	b->ct->why = "cannot use the scratch database of tuples";
	return -1;
}

/* A frame that is a traced packet after a NAT no tuple showed: what the
 * NAT made of the connection. */
static void learn_nat(struct flow *w, int dir, const struct nl_wire_tuple *t)
{
	struct nl_flow *k = &w->k;
	if (w->from_ct)
		return;
	if (is_icmp(k->proto)) {
		/* the querying end may be rewritten, and its id with it */
		const char *a = dir ? t->dst : t->src;
		if (strcmp(a, k->osrc) != 0) {
			nl_strlcpy(k->rdst, a, sizeof k->rdst);
			k->rsport = t->icmp_id;
		}
		return;
	}
	if (!dir) {
		if (strcmp(t->src, k->osrc) != 0) {
			nl_strlcpy(k->rdst, t->src, sizeof k->rdst);
			k->rdport = t->sport;
		}
		if (strcmp(t->dst, k->odst) != 0) {
			nl_strlcpy(k->rsrc, t->dst, sizeof k->rsrc);
			k->rsport = t->dport;
		}
	} else {
		if (strcmp(t->dst, k->osrc) != 0) {
			nl_strlcpy(k->rdst, t->dst, sizeof k->rdst);
			k->rdport = t->dport;
		}
		if (strcmp(t->src, k->odst) != 0) {
			nl_strlcpy(k->rsrc, t->src, sizeof k->rsrc);
			k->rsport = t->sport;
		}
	}
}

static int add_wire(void *ctx, const struct nl_wire_tuple *t)
{
	struct build *b = ctx;
	char key[256];
	struct flow w;
	size_t i = 0;
	long n;
	int dir = 0, r, learned = 0, strings = 0;
	int64_t pid, v;
	if (is_icmp(t->proto) && t->icmp_id < 0)
		return 0;	/* an ICMP error belongs to the connection it quotes */
	tkey_make(key, sizeof key, "", t->proto, t->src, t->sport, t->dst, t->dport, t->icmp_id);
	if ((r = tmap_get(&b->tm, key, &i, &dir)) < 0)
		goto scratch;
	if (!r) {
		pid = store_packet_by_identity(b->s, t->proto, t->family == 4 ? t->ip_id : -1,
					       t->proto == 6 ? t->seq : -1);
		if (pid < 0)
			return -1;
		if (pid > 0 && (r = store_scratch_get_id(b->tm.db, pid, &v)) != 0) {
			if (r < 0)
				goto scratch;
			i = (size_t)(v >> 1);
			dir = (int)(v & 1);
			learned = 1;
		}
	}
	if (!r) {
		int a = nl_time_within(b->f.since_clock, b->f.since_us, 0, t->first_us, -1, t->first_time);
		int z = nl_time_within(b->f.until_clock, b->f.until_us, 1, t->first_us, -1, t->first_time);
		/* a capture names no host: its own connections answer no --host */
		if (b->f.host || a <= 0 || z <= 0) {
			b->others_left_out += !b->f.host && (a < 0 || z < 0);
			return 0;
		}
		dir = is_reply(t->proto, t->tcp_flags, t->icmp_type);
		n = dir ? new_flow(b, t->family, t->proto, "", "", t->dst, t->dport, t->src, t->sport,
				   t->dst, t->dport, t->src, t->sport, -1, t->icmp_id, NULL)
			: new_flow(b, t->family, t->proto, "", "", t->src, t->sport, t->dst, t->dport,
				   t->src, t->sport, t->dst, t->dport, t->icmp_type, t->icmp_id, NULL);
		if (n < 0)
			return -1;
		i = (size_t)n;
	}
	if (flow_get(b, i, &w))
		return -1;
	if (learned && i >= b->nct) {
		learn_nat(&w, dir, t);
		strings = 1;
		if (register_flow(b, i, &w))
			goto scratch;
	}
	if (learned && tmap_claim(&b->tm, key, i, dir))
		goto scratch;
	w.ncaptured += t->frames;
	/* conntrack's connections take only the count */
	if (i >= b->nct && t->first_us >= 0 && (w.first_us < 0 || t->first_us < w.first_us)) {
		w.first_us = t->first_us;
		nl_strlcpy(w.first_time, t->first_time, sizeof w.first_time);
		strings = 1;
	}
	return flow_put(b, i, &w, strings);
scratch:
	b->ct->why = "cannot use the scratch database of tuples";
	return -1;
}

/* The first pass over packets and frames: the tuples they will look up,
 * so that conntrack's connections keep only those. */
static int want_packet(void *ctx, const struct nl_packet_row *p)
{
	struct build *b = ctx;
	char key[256], lkey[256];
	struct nl_pkt last;
	b->npackets++;
	if (is_icmp(p->proto) && p->icmp_id < 0)
		return 0;
	tkey_make(key, sizeof key, p->netns, p->proto, p->src, p->sport, p->dst, p->dport,
		  p->icmp_id);
	if (tmap_want(&b->tm, key)) {
		b->ct->why = "cannot use the scratch database of tuples";
		return -1;
	}
	if (store_tuplecur_get(b->lt, p->id, &last))
		return -1;
	if (!last.src[0])
		return 0;
	tkey_make(lkey, sizeof lkey, p->netns, p->proto, last.src, last.sport, last.dst, last.dport,
		  p->icmp_id);
	if (strcmp(lkey, key) && tmap_want(&b->tm, lkey)) {
		b->ct->why = "cannot use the scratch database of tuples";
		return -1;
	}
	return 0;
}

static int want_wire(void *ctx, const struct nl_wire_tuple *t)
{
	struct build *b = ctx;
	char key[256];
	b->nwire++;
	if (is_icmp(t->proto) && t->icmp_id < 0)
		return 0;
	tkey_make(key, sizeof key, "", t->proto, t->src, t->sport, t->dst, t->dport, t->icmp_id);
	if (tmap_want(&b->tm, key)) {
		b->ct->why = "cannot use the scratch database of tuples";
		return -1;
	}
	return 0;
}

/* --host, --since and --until choose conntrack records before they are
 * grouped: a record without a time (a table dump) cannot be placed. */
static int pick_record(void *ctx, int64_t id, const struct nl_flow *r)
{
	struct build *b = ctx;
	int a, z;
	if (b->f.host && strcmp(b->f.host, r->host))
		return 0;
	a = nl_time_within(b->f.since_clock, b->f.since_us, 0, r->wall_us, -1, r->time);
	z = nl_time_within(b->f.until_clock, b->f.until_us, 1, r->wall_us, -1, r->time);
	if (a < 0 || z < 0)
		b->ct_left_out++;
	return a > 0 && z > 0 ? add_record(b->ct, id, r) : 0;
}

/* The packets in id order, each with its last tuple. */
static int read_packets(struct nl_store *s, struct build *b, nl_packet_cb cb)
{
	struct nl_filter all = b->f;
	int64_t n;
	if (store_tuplecur_open(s, &b->lt))
		return -1;
	n = store_packets(s, &all, cb, b);
	store_tuplecur_close(b->lt);
	b->lt = NULL;
	b->others_left_out += cb == add_packet ? all.left_out : 0;
	return n < 0 ? -1 : 0;
}

/* Conntrack's connections first, then those of traces, then of captures;
 * traced packets are chosen by the same bounds as in `traces`. */
static int build_flows(struct nl_store *s, struct build *b)
{
	if (read_packets(s, b, want_packet) || store_wire_tuples(s, want_wire, b))
		return -1;
	if (store_flows_by_tuple(s, pick_record, b) || ct_finish(b->ct))
		return -1;
	b->nct = b->ct->n;
	if (!b->npackets && !b->nwire)
		return 0;
	/* from here on the scratch file is read and written in place */
	if (fflush(b->ct->f)) {
		b->ct->why = "cannot write the scratch file of connections";
		return -1;
	}
	if (read_packets(s, b, add_packet) || store_wire_tuples(s, add_wire, b))
		return -1;
	return 0;
}

static void sources_of(const struct flow *w, int64_t traced, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s%s", w->from_ct ? "conntrack" : "",
		 w->from_ct && traced ? "," : "", traced ? "trace" : "",
		 (w->from_ct || traced) && w->ncaptured ? "," : "", w->ncaptured ? "capture" : "");
}

/* --src (the original source), --dst (the original or translated
 * destination), --port (any port of either), --proto; --host and the
 * time bounds chose the records the connection was built from. */
static int flow_wanted(const struct flow *w, const struct nl_filter *f)
{
	struct tuple o, r, t;
	tuples(w, &o, &r, &t);
	if (f->has_proto && w->k.proto != f->proto)
		return 0;
	if (f->src && !nl_filter_addr_match(f->src, o.src))
		return 0;
	if (f->dst && !nl_filter_addr_match(f->dst, o.dst) && !nl_filter_addr_match(f->dst, t.dst))
		return 0;
	return f->port < 0 || o.sport == f->port || o.dport == f->port || t.sport == f->port ||
	       t.dport == f->port;
}

static const char flow_csv_header[] =
	"host,proto,family,orig_src,orig_sport,orig_dst,orig_dport,reply_src,reply_sport,"
	"reply_dst,reply_dport,translated_src,translated_sport,translated_dst,translated_dport,"
	"icmp_type,icmp_code,icmp_id,nat,community_id,community_id_translated,state,assured,"
	"unreplied,mark,zone,ct_id,first,last,events_new,events_update,events_destroy,"
	"events_listed,orig_packets,orig_bytes,reply_packets,reply_bytes,conntrack_records,"
	"traced,traced_reply,captured,sources,netns";

static void csv_tuple(FILE *f, int *first, const struct tuple *t)
{
	cw_str(f, first, t->src);
	cw_num(f, first, t->sport);
	cw_str(f, first, t->dst);
	cw_num(f, first, t->dport);
}

/* One connection as a CSV record of flow_csv_header's columns. */
static void csv_flow(const struct flow *w, int64_t traced, int64_t traced_reply)
{
	const struct nl_flow *k = &w->k;
	struct tuple o, r, t;
	char cid[NL_COMMUNITY_ID_SIZE], cidt[NL_COMMUNITY_ID_SIZE], src[40], pnum[8];
	const char *pn = nl_proto_name(k->proto);
	FILE *f = stdout;
	int first = 1, icmp = is_icmp(k->proto);
	tuples(w, &o, &r, &t);
	community(k->proto, &o, cid, sizeof cid);
	community(k->proto, &t, cidt, sizeof cidt);
	snprintf(pnum, sizeof pnum, "%d", k->proto);
	cw_str(f, &first, k->host);
	cw_str(f, &first, pn ? pn : pnum);
	cw_str(f, &first, k->family == 6 ? "ip6" : "ip");
	csv_tuple(f, &first, &o);
	csv_tuple(f, &first, &r);
	csv_tuple(f, &first, &t);
	cw_num(f, &first, icmp ? o.type : -1);
	cw_num(f, &first, icmp ? o.code : -1);
	cw_num(f, &first, icmp ? o.id : -1);
	cw_str(f, &first, nat_kind(k->proto, &o, &t));
	cw_str(f, &first, cid);
	cw_str(f, &first, cidt);
	cw_str(f, &first, w->state);
	cw_bool(f, &first, w->assured);
	cw_bool(f, &first, w->unreplied);
	cw_num(f, &first, w->mark);
	cw_num(f, &first, w->zone);
	cw_num(f, &first, w->ct_id);
	cw_str(f, &first, w->first_time);
	cw_str(f, &first, w->last_time);
	cw_num(f, &first, w->nnew);
	cw_num(f, &first, w->nupdate);
	cw_num(f, &first, w->ndestroy);
	cw_num(f, &first, w->nlisted);
	cw_num(f, &first, w->opackets);
	cw_num(f, &first, w->obytes);
	cw_num(f, &first, w->rpackets);
	cw_num(f, &first, w->rbytes);
	cw_num(f, &first, w->records);
	cw_num(f, &first, traced);
	cw_num(f, &first, traced_reply);
	cw_num(f, &first, w->ncaptured);
	sources_of(w, traced + traced_reply, src, sizeof src);
	cw_str(f, &first, src);
	cw_str(f, &first, k->netns);
	cw_end(f);
}

/* On a narrow terminal the sources and the Community ID (whole in --json)
 * are left out before the tuple is cut. */
static const struct nl_tcol flow_columns[] = {
	{ "FIRST", 17, 12, 3, NL_TBL_CUT_START, 0 },	/* the clock, to the hundredth */
	{ "FLOW", 50, 30, 5, 0, 0 },
	{ "NAT", 28, 12, 4, 0, 0 },
	{ "STATE", 20, 6, 2, 0, 0 },
	{ "RECORDS", 7, 0, 1, NL_TBL_RIGHT | NL_TBL_OPTIONAL, 0 },
	{ "TRACED", 6, 0, 1, NL_TBL_RIGHT | NL_TBL_OPTIONAL, 0 },
	{ "COMMUNITY ID", 31, 99, 0, NL_TBL_OPTIONAL, 2 },
	{ "SOURCES", 0, 9, 0, NL_TBL_OPTIONAL, 0 },
};

/* The same with the namespace whose table listed the connection, when
 * one did ("-": the host's own). */
static const struct nl_tcol flow_ns_columns[] = {
	{ "FIRST", 17, 12, 3, NL_TBL_CUT_START, 0 },
	{ "NETNS", 16, 6, 4, 0, 0 },
	{ "FLOW", 50, 30, 5, 0, 0 },
	{ "NAT", 28, 12, 4, 0, 0 },
	{ "STATE", 20, 6, 2, 0, 0 },
	{ "RECORDS", 7, 0, 1, NL_TBL_RIGHT | NL_TBL_OPTIONAL, 0 },
	{ "TRACED", 6, 0, 1, NL_TBL_RIGHT | NL_TBL_OPTIONAL, 0 },
	{ "COMMUNITY ID", 31, 99, 0, NL_TBL_OPTIONAL, 2 },
	{ "SOURCES", 0, 9, 0, NL_TBL_OPTIONAL, 0 },
};

static void print_flow(const struct flow *w, int64_t traced, int64_t traced_reply, int json, int n,
		       struct nl_table *tb, int ns)
{
	const struct nl_flow *k = &w->k;
	struct tuple o, r, t;
	char cid[NL_COMMUNITY_ID_SIZE], cidt[NL_COMMUNITY_ID_SIZE];
	const char *nat, *pn = nl_proto_name(k->proto);

	if (json == NL_OUT_CSV) {
		csv_flow(w, traced, traced_reply);
		return;
	}
	tuples(w, &o, &r, &t);
	nat = nat_kind(k->proto, &o, &t);
	community(k->proto, &o, cid, sizeof cid);
	community(k->proto, &t, cidt, sizeof cidt);
	if (json) {
		FILE *f = stdout;
		int first = 1, f2;
		fputs(json == NL_OUT_NDJSON ? "{" : n ? ",\n {" : "[{", f);
		jw_key(f, &first, "proto");
		if (pn)
			jw_str(f, pn);
		else
			jw_num(f, k->proto);
		jw_key(f, &first, "family");
		jw_str(f, k->family == 6 ? "ip6" : "ip");
		jw_key(f, &first, "host");
		jw_str(f, k->host);
		jw_key(f, &first, "netns");	/* null: the host's own table */
		jw_str(f, k->netns);
		jw_key(f, &first, "orig");
		json_tuple(f, k->proto, &o);
		jw_key(f, &first, "reply");
		json_tuple(f, k->proto, &r);
		jw_key(f, &first, "translated");
		json_tuple(f, k->proto, &t);
		jw_key(f, &first, "nat");
		jw_str(f, nat);
		jw_key(f, &first, "community_id");
		jw_str(f, cid);
		jw_key(f, &first, "community_id_translated");
		jw_str(f, cidt);
		jw_key(f, &first, "state");
		jw_str(f, w->state);
		jw_key(f, &first, "assured");
		/* null: conntrack showed [OFFLOAD] or [HW_OFFLOAD] in its place */
		fputs(w->assured < 0 ? "null" : w->assured ? "true" : "false", f);
		jw_key(f, &first, "unreplied");
		fputs(w->unreplied ? "true" : "false", f);
		jw_key(f, &first, "mark");
		jw_num(f, w->mark);
		jw_key(f, &first, "zone");
		jw_num(f, w->zone);
		jw_key(f, &first, "ct_id");
		jw_num(f, w->ct_id);
		jw_key(f, &first, "first");
		jw_str(f, w->first_time);
		jw_key(f, &first, "last");
		jw_str(f, w->last_time);
		jw_key(f, &first, "events");
		fprintf(f, "{\"new\": %ld, \"update\": %ld, \"destroy\": %ld, \"listed\": %ld}", w->nnew,
			w->nupdate, w->ndestroy, w->nlisted);
		jw_key(f, &first, "counters");
		if (w->opackets < 0 && w->obytes < 0 && w->rpackets < 0 && w->rbytes < 0) {
			fputs("null", f);
		} else {
			f2 = 1;
			fputc('{', f);
			jw_key(f, &f2, "orig_packets");
			jw_num(f, w->opackets);
			jw_key(f, &f2, "orig_bytes");
			jw_num(f, w->obytes);
			jw_key(f, &f2, "reply_packets");
			jw_num(f, w->rpackets);
			jw_key(f, &f2, "reply_bytes");
			jw_num(f, w->rbytes);
			fputc('}', f);
		}
		jw_key(f, &first, "packets");
		fprintf(f, "{\"conntrack\": %ld, \"traced\": %lld, \"traced_reply\": %lld, "
			"\"captured\": %lld}", w->records, (long long)traced, (long long)traced_reply,
			(long long)w->ncaptured);
		jw_key(f, &first, "sources");
		fprintf(f, "[%s%s%s%s%s]", w->from_ct ? "\"conntrack\"" : "",
			w->from_ct && (traced || traced_reply) ? ", " : "",
			traced || traced_reply ? "\"trace\"" : "",
			(w->from_ct || traced || traced_reply) && w->ncaptured ? ", " : "",
			w->ncaptured ? "\"capture\"" : "");
		fputs(json == NL_OUT_NDJSON ? "}\n" : "}", f);
	} else {
		char tuple[200], natb[200], a[80], b[80];
		text_tuple(tuple, sizeof tuple, k->proto, k->family, &o);
		endpoint(a, sizeof a, k->family, t.src, t.sport);
		endpoint(b, sizeof b, k->family, t.dst, t.dport);
		if (is_icmp(k->proto) && t.id != o.id) {
			size_t l = strlen(a);
			snprintf(a + l, sizeof a - l, " id %d", t.id);
		}
		if (!nat)
			snprintf(natb, sizeof natb, "-");
		else if (!strcmp(nat, "dnat"))
			snprintf(natb, sizeof natb, "dnat to %s", b);
		else if (!strcmp(nat, "snat"))
			snprintf(natb, sizeof natb, "snat to %s", a);
		else
			snprintf(natb, sizeof natb, "snat to %s, dnat to %s", a, b);
		char src[40], when[64], short_when[64];
		sources_of(w, traced + traced_reply, src, sizeof src);
		nl_time_show(w->first_time, 0, when, sizeof when);
		nl_time_show(w->first_time, 1, short_when, sizeof short_when);
		nl_table_cell2(tb, when, short_when);
		if (ns)
			nl_table_cell(tb, k->netns);	/* "" prints "-": the host's */
		nl_table_cell(tb, tuple);
		nl_table_cell(tb, natb);
		/* conntrack's own mark for a connection never answered */
		nl_table_cellf(tb, "%s%s%s", w->state,
			       w->state[0] && w->unreplied ? " " : "",
			       w->unreplied ? "[UNREPLIED]" : "");
		nl_table_cellf(tb, "%ld", w->records);
		nl_table_cellf(tb, "%lld", (long long)traced);
		nl_table_cell(tb, cid);
		nl_table_cell(tb, src);
		nl_table_row(tb);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: natlog flows [--json] [--wide] [FILTERS]\n"
		"\n"
		"Lists the connections conntrack listed (conntrack -L, /proc/net/nf_conntrack)\n"
		"or reported (conntrack -E), and those seen only in traces and captures, one\n"
		"per line in time order: the original tuple, what NAT made of it (from the\n"
		"reply tuple, or the trace and the captures), the last state, how many\n"
		"conntrack records and traced packets belong to it, its Community ID, and\n"
		"the sources that saw it. A network namespace's table (conntrack run with\n"
		"ip netns exec NS) lists that namespace's connections, shown with it\n"
		"(NETNS; \"netns\" in --json, null for the host's own), and so does an Open\n"
		"vSwitch userspace datapath's (ovs-userspace/netdev@NAME), and an OVS dump\n"
		"that names no datapath (" NL_OVS_UNKNOWN ": the kernel's or OVS's own); a\n"
		"packet a monitor traced in a namespace (ip netns exec NS nft monitor trace)\n"
		"joins that namespace's connections, other traced packets and captures the\n"
		"host's own.\n"
		"\n"
		"options:\n"
		"  --json       a JSON array of flow objects\n"
		"  --src ADDR[/LEN]  original source address or prefix\n"
		"  --dst ADDR[/LEN]  original or translated destination address or prefix\n"
		"  --port N     any port of the original or translated tuple\n"
		"  --proto P    tcp, udp, icmp, icmpv6, another name, or a number 0-255\n"
		"  --wide       whole values on a terminal too, not cut to its width\n"
		"  --host NAME  records and packets of this host\n"
		"  --since T, --until T   records stamped at or after, at or before T\n"
		"               (conntrack -E -o timestamp; the forms of `natlog traces\n"
		"               --help`); what cannot be placed is left out and counted\n"
		"  -h, --help   this help\n"
		"--rule, --iface, --verdict, --seq and --ip-id do not apply: a connection\n"
		"has no one rule, interface, verdict or packet identity; `natlog traces`\n"
		"takes them.\n"
		"\n"
		"exit status: 0 flows listed, 1 none.\n");
}

/* What a connection cannot answer: conntrack records name no rule,
 * interface or verdict, and a connection is many packets. */
static const struct nl_filter_na not_here[] = {
	{ NL_FOPT_RULE, "a connection has no rule: conntrack records name none, and its "
			"packets may each hit others; 'natlog traces --rule' lists the traced "
			"packets that hit it" },
	{ NL_FOPT_IFACE, "conntrack records name no interface; 'natlog traces --iface' lists "
			 "the traced packets that crossed it" },
	{ NL_FOPT_VERDICT, "a connection has no verdict, its packets each have one; 'natlog "
			   "traces --verdict' lists them" },
	{ NL_FOPT_SEQ, "a connection is many packets; 'natlog traces --seq' finds one" },
	{ NL_FOPT_IPID, "a connection is many packets; 'natlog traces --ip-id' finds one" },
	{ 0, NULL },
};

int cmd_flows(struct nl_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		NL_FILTER_LONGOPTS,
		{ "wide", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_filter_opts fo;
	int c, rc, json = 0, wide = 0;

	nl_filter_opts_init(&fo);
	while ((c = nl_getopt(argc, argv, "h", opts)) != -1) {
		if ((rc = nl_filter_opt("flows", c, optarg, &fo)) <= 0) {
			if (rc < 0)
				return NL_EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'w':
			wide = 1;
			break;
		case 'h':
			usage(stdout);
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "natlog flows: unexpected '%s'\n", argv[optind]);
		return NL_EXIT_USAGE;
	}
	return nl_flows_list(cmd, &fo, json ? NL_OUT_JSON : NL_OUT_TEXT, wide);
}

/* Whether a host (host, else any) whose namespaces' tables were listed
 * logs every namespace's packets (nf_log_all_netns in its own namespace):
 * its traced packets may be of any of them. */
static int any_netns_logged(struct nl_store *s, const char *host)
{
	return store_count_sql(s, "SELECT count(*) FROM sysctls y WHERE y.name = "
				  "'net.netfilter.nf_log_all_netns' AND y.value <> '0' AND y.netns IS NULL "
				  "AND (?1 IS NULL OR y.host IS ?1) AND EXISTS (SELECT 1 FROM conntrack c "
				  "WHERE c.netns IS NOT NULL AND c.host IS y.host)", host) > 0;
}

/* What the listed records cannot say of themselves: conntrack -E's lost
 * events (connections missing, or their events incomplete), and OVS dumps
 * whose datapath is not known. */
static void ct_doubt_notes(struct nl_store *s, const char *host)
{
	int64_t lost = store_count_sql(s, "SELECT count(*) FROM notices WHERE kind = 'loss' AND "
				       "origin = 'conntrack' AND netns IS NULL AND (?1 IS NULL OR "
				       "host IS ?1)", host);
	int64_t ovs = store_count_sql(s, "SELECT count(*) FROM conntrack WHERE netns = '"
				      NL_OVS_UNKNOWN "' AND (?1 IS NULL OR host IS ?1)", host);
	if (lost > 0)
		fprintf(stderr, "natlog flows: %lld line%s of conntrack say%s that its events were "
				"lost: connections may be missing, or their events incomplete\n",
			(long long)lost, lost == 1 ? "" : "s", lost == 1 ? "s" : "");
	if (ovs > 0)
		fprintf(stderr, "natlog flows: %lld conntrack record%s of Open vSwitch dumps that name "
				"no datapath (NETNS " NL_OVS_UNKNOWN "): OVS dumps the only datapath "
				"there is, which may be its userspace one, whose table is OVS's own, not "
				"the kernel's; traced packets are not counted with them\n",
			(long long)ovs, ovs == 1 ? "" : "s");
}

int nl_flows_list(struct nl_cmd *cmd, struct nl_filter_opts *fo, int json, int wide)
{
	struct nl_table *tb = NULL;
	const char *host = fo->f.host;
	enum { CHUNK = 512 };	/* connections read back and counted at a time */
	struct ctpass ct;
	struct build b;
	struct nl_store *s;
	struct flow *chunk = NULL;
	int64_t traced[CHUNK], traced_reply[CHUNK];
	size_t m, j, shown = 0;
	const char *tmpdir;
	int rc = NL_EXIT_OK;

	const char *name = json == NL_OUT_TEXT || json == NL_OUT_JSON ? "flows" : "export";

	if (nl_filter_check(name, fo, not_here))
		return NL_EXIT_USAGE;
	if (!(s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	memset(&ct, 0, sizeof ct);
	memset(&b, 0, sizeof b);
	b.s = s;
	b.ct = &ct;
	ct.tm = &b.tm;
	nl_filter_times(name, s, fo);
	/* only --host and the time bounds choose records and packets */
	b.f.host = host;
	b.f.port = -1;
	b.f.seq = b.f.ip_id = -1;
	b.f.since_clock = fo->f.since_clock;
	b.f.since_us = fo->f.since_us;
	b.f.until_clock = fo->f.until_clock;
	b.f.until_us = fo->f.until_us;
	tmpdir = getenv("TMPDIR");
	if (!tmpdir || !tmpdir[0])
		tmpdir = "/tmp";
	if (!(ct.f = scratch_file(tmpdir))) {
		fprintf(stderr, "natlog flows: cannot make a scratch file in '%s': %s\n", tmpdir,
			strerror(errno));
		return NL_EXIT_STORE;
	}
	if (store_scratch_open(&b.tm.db)) {
		fprintf(stderr, "natlog flows: cannot make a scratch database of tuples in '%s'\n",
			tmpdir);
		fclose(ct.f);
		return NL_EXIT_STORE;
	}
	if (store_read_begin(s) || build_flows(s, &b)) {
		fprintf(stderr, "natlog: %s\n", ct.why ? ct.why : store_errmsg(s)[0] ? store_errmsg(s)
										  : "out of memory");
		rc = NL_EXIT_STORE;
		goto out;
	}
	if (fflush(ct.f) || !(chunk = calloc(CHUNK, sizeof *chunk))) {
		fprintf(stderr, "natlog: %s\n", chunk ? "cannot write the scratch file of connections"
						      : "out of memory");
		rc = NL_EXIT_STORE;
		goto out;
	}
	if (json == NL_OUT_CSV)
		cw_header(stdout, flow_csv_header);
	if (json == NL_OUT_TEXT &&
	    !(tb = ct.nns || ct.ntns ? nl_table_new(stdout, flow_ns_columns, 9, nl_table_width(wide))
			  : nl_table_new(stdout, flow_columns, 8, nl_table_width(wide)))) {
		fprintf(stderr, "natlog: out of memory\n");
		rc = NL_EXIT_STORE;
		goto out;
	}
	for (;;) {
		int64_t v[3];
		int r = 0;
		/* the next CHUNK connections in the output order */
		for (m = 0; m < CHUNK && (r = store_scratch_rows_sorted(b.tm.db, v)) == 1; m++) {
			if (ct_load(ct.f, v[2], &chunk[m])) {
				fprintf(stderr, "natlog: cannot read the scratch file of connections\n");
				rc = NL_EXIT_STORE;
				goto out;
			}
			traced[m] = traced_reply[m] = 0;
		}
		if (r < 0) {
			fprintf(stderr, "natlog: cannot use the scratch database of connections\n");
			rc = NL_EXIT_STORE;
			goto out;
		}
		if (!m)
			break;
		/* conntrack's connections count their packets by tuple, the others
		 * were counted as they were built */
		if (b.npackets && count_traced(s, chunk, m, traced, traced_reply)) {
			fprintf(stderr, "natlog: %s\n", store_errmsg(s));
			rc = NL_EXIT_STORE;
			goto out;
		}
		for (j = 0; j < m; j++) {
			if (!chunk[j].from_ct) {
				traced[j] = chunk[j].ntraced;
				traced_reply[j] = chunk[j].ntraced_reply;
			}
			if (!flow_wanted(&chunk[j], &fo->f))
				continue;
			print_flow(&chunk[j], traced[j], traced_reply[j], json, shown++ != 0, tb,
				   ct.nns || ct.ntns);
		}
		if (r == 0)
			break;
	}
	if (json == NL_OUT_JSON)
		puts(shown ? "]" : "[]");
	else if (json == NL_OUT_TEXT && nl_table_finish(tb)) {
		tb = NULL;
		fprintf(stderr, "natlog: out of memory\n");
		rc = NL_EXIT_STORE;
		goto out;
	}
	tb = NULL;
	nl_time_left_out_what("flows", "conntrack record", b.ct_left_out, b.f.since_clock,
			      b.f.until_clock);
	nl_time_left_out_what("flows", "traced or captured packet", b.others_left_out,
			      b.f.since_clock, b.f.until_clock);
	if (ct.nns && any_netns_logged(s, host))
		fprintf(stderr, "natlog flows: net.netfilter.nf_log_all_netns is set on a host whose "
				"network namespaces' conntrack tables were listed: its kernel log holds "
				"every namespace's packets, which are counted with the host's own "
				"connections, as no line says its namespace\n");
	ct_doubt_notes(s, host);
	if (!shown && (ct.n || fo->given)) {
		fprintf(stderr, "natlog flows: no flows match\n");
		rc = NL_EXIT_NOMATCH;
	} else if (!shown) {
		fprintf(stderr, "natlog flows: no flows (no conntrack output, traced packet or capture "
				"imported)\n");
		rc = NL_EXIT_NOMATCH;
	}
out:
	if (tb)
		nl_table_finish(tb);	/* a failure: what was held is printed */
	store_read_end(s);
	free(chunk);
	fclose(ct.f);
	store_scratch_close(b.tm.db);
	return rc;
}
