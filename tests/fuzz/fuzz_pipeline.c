/*
 * fuzz_pipeline.c - libFuzzer harness for the whole pipeline: `natlog
 * import` of the input into a fresh in-memory store, then `natlog traces`
 * (text and --json) and `natlog explain` (text and --json) of every packet,
 * then errors, sources, invalid, flows and rules, through the commands' own
 * entry points. The --json output must parse
 * (Jansson, which checks UTF-8 too) and every listed trace must explain.
 * Every stored packet is listed, or is a LOG line of a listed traced
 * packet that traces leaves out because explain shows it with that packet.
 * --rule with each traced line's rule keeps that line's packet. The
 * cursor of last tuples (flows) agrees with each packet's own lookup.
 * An input may hold several files: a line "--8<-- NAME" starts the next
 * one, named NAME (the name matters: "ip6tables", "iptables_-t_nat_-nvL").
 * The store of each input is a fresh copy of a new one (fuzzstore.h).
 */
#include "natlog.h"
#include "analyze.h"
#include "commands.h"
#include "ingest.h"
#include "store.h"
#include "fuzzstore.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXFILES 8
#define SEP "--8<--"

static char dir[64];
static char outpath[96];
static int outfd = -1;
static char *paths[MAXFILES];	/* the current input's files */
static int npaths;

static void cleanup(void);

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;
	fputs("fuzz invariant violated: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cleanup();	/* abort() skips atexit */
	abort();
}

/* What main.c does for the commands: here the store is always open. */
struct nl_store *cmd_store(struct nl_cmd *c)
{
	return c->s;
}

static void cleanup(void)
{
	char p[128];
	int i;
	for (i = 0; i < npaths; i++)
		unlink(paths[i]);
	for (i = 0; i < MAXFILES; i++) {
		snprintf(p, sizeof p, "%s/%d", dir, i);
		rmdir(p);	/* each input's files are removed after it */
	}
	unlink(outpath);
	rmdir(dir);
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "%s/natlog-fuzz.XXXXXX", fz_tmpdir());
	if (!mkdtemp(dir))
		abort();
	snprintf(outpath, sizeof outpath, "%s/stdout", dir);
	/* the commands write to stdout: keep it in a file to read back */
	fflush(stdout);
	outfd = open(outpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (outfd < 0 || dup2(outfd, 1) < 0)
		abort();
	setenv("NO_COLOR", "1", 1);
	atexit(cleanup);
}

static void out_reset(void)
{
	fflush(stdout);
	if (ftruncate(1, 0) != 0 || lseek(1, 0, SEEK_SET) != 0)
		abort();
}

/* What the command printed; the caller frees it. */
static char *out_take(size_t *n)
{
	off_t end;
	char *b;
	fflush(stdout);
	end = lseek(1, 0, SEEK_END);
	if (end < 0)
		abort();
	b = malloc((size_t)end + 1);
	if (!b || pread(1, b, (size_t)end, 0) != end)
		abort();
	b[end] = '\0';
	*n = (size_t)end;
	return b;
}

static int run(struct nl_cmd *cmd, int (*fn)(struct nl_cmd *, int, char **), char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	optind = 0;	/* as main.c: re-initialise getopt for the command */
	out_reset();
	return fn(cmd, argc, argv);
}

static json_t *json_out(const char *what)
{
	size_t n;
	char *b = out_take(&n);
	json_error_t e;
	json_t *j = json_loadb(b, n, 0, &e);
	if (!j)
		fail("%s --json printed what is not JSON (%s at %d): %.300s", what, e.text, e.position,
		     b);
	free(b);
	return j;
}

static void discard_out(void)
{
	size_t n;
	free(out_take(&n));
}

/* One part of the input per file; returns how many were written. */
static int write_parts(const uint8_t *data, size_t size, char **out)
{
	size_t off = 0;
	int n = 0;
	char name[72] = "input";
	while (n < MAXFILES) {
		const uint8_t *end = data + size, *p = data + off, *cut = NULL, *next = NULL;
		char sub[128];
		FILE *f;
		/* the next line that is "--8<--" or "--8<-- NAME" */
		while (p < end) {
			const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
			const uint8_t *le = nl ? nl : end;
			if ((size_t)(le - p) >= strlen(SEP) && memcmp(p, SEP, strlen(SEP)) == 0 &&
			    (le - p == (ptrdiff_t)strlen(SEP) || p[strlen(SEP)] == ' ')) {
				cut = p;
				next = nl ? nl + 1 : end;
				break;
			}
			p = nl ? nl + 1 : end;
		}
		snprintf(sub, sizeof sub, "%s/%d", dir, n);
		if (mkdir(sub, 0700) != 0 && errno != EEXIST)
			abort();
		if (asprintf(&out[n], "%s/%s", sub, name) < 0)
			abort();
		f = fopen(out[n], "wb");
		if (!f)
			abort();
		if (fwrite(data + off, 1, (size_t)((cut ? cut : end) - (data + off)), f) !=
		    (size_t)((cut ? cut : end) - (data + off)))
			abort();
		fclose(f);
		n++;
		if (!cut)
			break;
		/* the next file's name: safe characters only, never a path */
		{
			const uint8_t *q = cut + strlen(SEP);
			size_t k = 0;
			while (q < next && (*q == ' '))
				q++;
			while (q < next && *q != '\n' && k < 64) {
				unsigned char ch = *q++;
				if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
				    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-')
					name[k++] = (char)ch;
			}
			name[k] = '\0';
			if (!k || name[0] == '.')
				snprintf(name, sizeof name, "input%d", n);
		}
		off = (size_t)(next - data);
	}
	return n;
}

struct ids {
	char (*id)[40];
	int64_t *row;		/* the packet's row id */
	int *from_log;		/* a packet of source "log" */
	size_t n, cap;
};

/* A LOG line of a packet traces left out: explain of a listed packet
 * must show it (same file and line) in its evidence. */
struct unlisted {
	char file[512];
	int64_t line;
	int shown;
};

struct unlisted_set {
	struct unlisted *v;
	size_t n, cap;
};

static int note_log_line(void *ctx, const struct nl_event_row *e)
{
	struct unlisted_set *u = ctx;
	if (e->ev.kind != NL_EV_LOG)
		return 0;
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 8;
		struct unlisted *v = realloc(u->v, cap * sizeof *v);
		if (!v)
			abort();
		u->v = v;
		u->cap = cap;
	}
	memset(&u->v[u->n], 0, sizeof u->v[u->n]);
	snprintf(u->v[u->n].file, sizeof u->v[u->n].file, "%s", e->file);
	u->v[u->n++].line = e->ev.line;
	return 0;
}

/* Marks the unlisted LOG lines that explain --json shows as evidence. */
static void mark_shown(struct unlisted_set *u, json_t *x)
{
	json_t *ev = json_object_get(x, "evidence"), *e;
	size_t i, k;
	json_array_foreach(ev, i, e) {
		const char *src = json_string_value(json_object_get(e, "source"));
		const char *file = json_string_value(json_object_get(e, "file"));
		json_t *line = json_object_get(e, "line");
		if (!src || strcmp(src, "log") || !file || !json_is_integer(line))
			continue;
		for (k = 0; k < u->n; k++)
			if (u->v[k].line == json_integer_value(line) && !strcmp(u->v[k].file, file))
				u->v[k].shown = 1;
	}
}

static int collect(void *ctx, const struct nl_packet_row *p)
{
	struct ids *l = ctx;
	if (!memchr(p->trace, '\0', sizeof p->trace))
		fail("packet trace id not NUL-terminated");
	if (!p->trace[0])
		fail("a packet without a trace id");
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char (*id)[40] = realloc(l->id, cap * sizeof *id);
		if (!id)
			abort();
		l->id = id;
		l->row = realloc(l->row, cap * sizeof *l->row);
		l->from_log = realloc(l->from_log, cap * sizeof *l->from_log);
		if (!l->row || !l->from_log)
			abort();
		l->cap = cap;
	}
	l->row[l->n] = p->id;
	l->from_log[l->n] = !strcmp(p->source, "log");
	memcpy(l->id[l->n++], p->trace, sizeof p->trace);
	return 0;
}

static int first_row(void *ctx, const struct nl_packet_row *p)
{
	struct nl_packet_row *row = ctx;
	if (row->trace[0])
		fail("more than one packet for trace '%s'", p->trace);
	*row = *p;
	return 0;
}

static void check_analysis(const struct nl_analysis *a)
{
	size_t i;
	if (a->n > a->cap || a->nlogs > a->caplogs)
		fail("analysis: %zu steps in %zu, %zu logs in %zu", a->n, a->cap, a->nlogs, a->caplogs);
	if (a->decided < -1 || (a->decided >= 0 && (size_t)a->decided >= a->n))
		fail("analysis: decided step %d of %zu", a->decided, a->n);
	if (a->nnat < 0 || a->nnat > (int)(sizeof a->nat / sizeof a->nat[0]))
		fail("analysis: %d NAT rewrites", a->nnat);
	for (i = 0; i < (size_t)a->nnat; i++)
		if (a->nat[i].step < 0 || (size_t)a->nat[i].step >= a->n)
			fail("analysis: NAT step %d of %zu", a->nat[i].step, a->n);
	if (a->ndiag < 0 || a->ndiag > NL_MAXDIAG)
		fail("analysis: %d diagnoses", a->ndiag);
	if (!memchr(a->verdict, '\0', sizeof a->verdict))
		fail("analysis: verdict not NUL-terminated");
	for (i = 0; i < (size_t)a->ndiag; i++)
		if (!memchr(a->diag[i], '\0', sizeof a->diag[i]))
			fail("analysis: diagnosis not NUL-terminated");
	for (i = 0; i < a->n; i++) {
		const struct nl_step *s = &a->steps[i];
		if (!memchr(s->effect, '\0', sizeof s->effect) || !memchr(s->base, '\0', sizeof s->base) ||
		    !memchr(s->file, '\0', sizeof s->file))
			fail("analysis: step %zu text not NUL-terminated", i);
		if (s->rule_text)
			(void)strlen(s->rule_text);
	}
}

/* --rule of each traced line of a packet keeps that packet, from the
 * packet's list of the rules its lines name (schema 39) or from its lines
 * (a packet without a list): the rules of its first lines, as the filter
 * takes them. */
struct line_rules {
	struct nl_rule_filter f[8];
	char s[8][4][NL_CHAINSIZ + 16];
	int n;
};

static int note_rule(void *ctx, const struct nl_event_row *e)
{
	struct line_rules *l = ctx;
	const struct nl_event *ev = &e->ev;
	struct nl_rule_filter *f;
	const char *v[4];
	int i;
	if ((ev->kind != NL_EV_TRACE && ev->kind != NL_EV_NFTRACE) || !ev->table[0] || !ev->chain[0] ||
	    l->n == 8)
		return 0;
	f = &l->f[l->n];
	v[0] = ev->kind == NL_EV_NFTRACE ? ev->nft_family : "";
	v[1] = ev->table;
	v[2] = ev->chain;
	v[3] = ev->type;
	for (i = 0; i < 4; i++)
		snprintf(l->s[l->n][i], sizeof l->s[0][0], "%s", v[i]);
	f->family = l->s[l->n][0][0] ? l->s[l->n][0] : NULL;
	f->table = l->s[l->n][1];
	f->chain = l->s[l->n][2];
	f->type = l->s[l->n][3][0] ? l->s[l->n][3] : NULL;
	f->num = ev->kind == NL_EV_TRACE && f->type ? ev->rulenum : -1;
	f->handle = ev->kind == NL_EV_NFTRACE ? ev->handle : -1;
	l->n++;
	return 0;
}

struct kept {
	int64_t want;
	int found;
};

static int note_kept(void *ctx, const struct nl_packet_row *p)
{
	struct kept *k = ctx;
	k->found |= p->id == k->want;
	return 0;
}

static void check_rules(struct nl_store *s, const struct ids *ids)
{
	size_t i;
	int r;
	for (i = 0; i < ids->n; i++) {
		struct line_rules l;
		l.n = 0;
		if (store_packet_events(s, ids->row[i], note_rule, &l))
			fail("store_packet_events: %s", store_errmsg(s));
		for (r = 0; r < l.n; r++) {
			struct nl_filter flt = { .port = -1, .seq = -1, .ip_id = -1, .rule = &l.f[r] };
			struct kept k = { ids->row[i], 0 };
			if (store_packets(s, &flt, note_kept, &k) < 0)
				fail("store_packets --rule: %s", store_errmsg(s));
			if (!k.found)
				fail("--rule %s:%s:%s:%s:%lld handle %lld does not keep packet '%s', whose line "
				     "names it", l.f[r].family ? l.f[r].family : "", l.f[r].table,
				     l.f[r].chain, l.f[r].type ? l.f[r].type : "", (long long)l.f[r].num,
				     (long long)l.f[r].handle, ids->id[i]);
		}
	}
}

/* The last tuples flows reads through one cursor, in id order, against
 * each packet's own lookup. */
static void check_tuples(struct nl_store *s, const struct ids *ids)
{
	struct nl_tuplecursor *c;
	size_t i;
	if (store_tuplecur_open(s, &c))
		fail("store_tuplecur_open: %s", store_errmsg(s));
	for (i = 0; i < ids->n; i++) {
		struct nl_pkt a, b;
		if (store_packet_last_tuple(s, ids->row[i], &a) || store_tuplecur_get(c, ids->row[i], &b))
			fail("last tuple: %s", store_errmsg(s));
		if (strcmp(a.src, b.src) || strcmp(a.dst, b.dst) || a.sport != b.sport ||
		    a.dport != b.dport)
			fail("packet '%s': the cursor's last tuple %s:%d -> %s:%d, its own %s:%d -> %s:%d",
			     ids->id[i], b.src, b.sport, b.dst, b.dport, a.src, a.sport, a.dst, a.dport);
	}
	store_tuplecur_close(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_import_opts o;
	struct nl_import_stats st;
	struct nl_filter all = { .port = -1, .seq = -1, .ip_id = -1 };
	struct nl_cmd cmd = { .db = ":memory:", .mode = NL_STORE_RW };
	struct ids ids = { NULL, NULL, NULL, 0, 0 };
	struct unlisted_set unl = { NULL, 0, 0 };
	char *listed = NULL;
	size_t nlisted = 0, left_out = 0;
	struct nl_rscache cache;
	char a_traces[] = "traces", a_explain[] = "explain", a_json[] = "--json", a_trace[] = "--trace";
	json_t *j;
	size_t i;
	int n, k, rc;

	if (outfd < 0)
		setup();
	/* as `natlog import -q --max-errors 0`, archive members up to 64 MiB */
	memset(&o, 0, sizeof o);
	o.quiet = 1;
	o.max_entry = (int64_t)64 << 20;
	o.max_expansion = (int64_t)256 << 20;
	o.boot_us = -1;
	npaths = n = write_parts(data, size, paths);
	cmd.s = fz_new_store();
	memset(&st, 0, sizeof st);
	rc = ingest_paths(cmd.s, paths, n, &o, &st);
	if (rc != 0 || st.store_failed)
		fail("import failed on the store (rc %d): %s", rc, store_errmsg(cmd.s));

	/* traces, text and JSON */
	{
		char *argv[] = { a_traces, NULL };
		rc = run(&cmd, cmd_traces, argv);
		if (rc != NL_EXIT_OK && rc != NL_EXIT_NOMATCH)
			fail("traces exited %d", rc);
		discard_out();
	}
	{
		char *argv[] = { a_traces, a_json, NULL };
		rc = run(&cmd, cmd_traces, argv);
		if (rc != NL_EXIT_OK && rc != NL_EXIT_NOMATCH)
			fail("traces --json exited %d", rc);
		j = json_out("traces");
		if (!json_is_array(j))
			fail("traces --json is not an array");
	}
	if (store_packets(cmd.s, &all, collect, &ids) < 0)
		fail("store_packets: %s", store_errmsg(cmd.s));
	/* each listed trace once; a packet left out must be a LOG line */
	listed = calloc(ids.n + 1, 1);
	if (!listed)
		abort();
	{
		json_t *e;
		json_array_foreach(j, i, e) {
			const char *t = json_string_value(json_object_get(e, "trace"));
			size_t q;
			for (q = 0; t && q < ids.n && strcmp(ids.id[q], t); q++)
				;
			if (!t || q == ids.n)
				fail("traces --json lists trace '%s' the store does not have", t ? t : "(none)");
			if (listed[q]++)
				fail("traces --json lists trace '%s' twice", t);
			nlisted++;
		}
	}
	for (i = 0; i < ids.n; i++) {
		if (listed[i])
			continue;
		if (!ids.from_log[i])
			fail("traces --json lists %zu packets, the store has %zu: traced packet '%s' is "
			     "not listed", nlisted, ids.n, ids.id[i]);
		if (store_packet_events(cmd.s, ids.row[i], note_log_line, &unl))
			fail("store_packet_events: %s", store_errmsg(cmd.s));
	}
	json_decref(j);

	/* explain every packet, text and JSON, and check the analysis itself */
	for (i = 0; i < ids.n; i++) {
		char *argv_t[] = { a_explain, a_trace, ids.id[i], NULL };
		char *argv_j[] = { a_explain, a_trace, ids.id[i], a_json, NULL };
		rc = run(&cmd, cmd_explain, argv_t);
		if (rc != NL_EXIT_OK)
			fail("explain --trace '%s' exited %d", ids.id[i], rc);
		discard_out();
		rc = run(&cmd, cmd_explain, argv_j);
		if (rc != NL_EXIT_OK)
			fail("explain --trace '%s' --json exited %d", ids.id[i], rc);
		j = json_out("explain");
		if (!json_is_object(j) || !json_is_array(json_object_get(j, "steps")))
			fail("explain --json is not an object with steps");
		if (listed[i] && !ids.from_log[i]) {
			mark_shown(&unl, j);
			left_out += (size_t)json_integer_value(json_object_get(j, "evidence_left_out"));
		}
		json_decref(j);
	}
	/* a LOG line neither listed nor shown is lost to the user */
	for (i = 0; i < unl.n; i++)
		if (!unl.v[i].shown && !left_out)
			fail("traces --json lists %zu packets, the store has %zu: the LOG line %s:%lld is "
			     "neither listed nor shown by explain of a listed packet", nlisted, ids.n,
			     unl.v[i].file, (long long)unl.v[i].line);
	/* analyze_packet straight on every packet, with one cache as import uses */
	memset(&cache, 0, sizeof cache);
	for (i = 0; i < ids.n; i++) {
		struct nl_packet_row row;
		struct nl_analysis a;
		memset(&row, 0, sizeof row);
		if (store_packets_by_trace(cmd.s, ids.id[i], first_row, &row) != 1)
			fail("trace '%s' is not exactly one packet", ids.id[i]);
		if (analyze_packet(cmd.s, &row, &cache, &a))
			fail("analyze_packet: %s", store_errmsg(cmd.s));
		check_analysis(&a);
		analysis_free(&a);
	}
	rscache_free(&cache);
	check_rules(cmd.s, &ids);
	check_tuples(cmd.s, &ids);
	/* the other queries print what the input brought too */
	{
		static const struct {
			const char *name;
			int (*fn)(struct nl_cmd *, int, char **);
		} q[] = {
			{ "errors", cmd_errors }, { "sources", cmd_sources }, { "invalid", cmd_invalid },
			{ "flows", cmd_flows }, { "rules", cmd_rules }, { "summary", cmd_summary },
		};
		size_t c;
		for (c = 0; c < sizeof q / sizeof q[0]; c++) {
			char name[16];
			char *argv_t[] = { name, NULL };
			char *argv_j[] = { name, a_json, NULL };
			snprintf(name, sizeof name, "%s", q[c].name);
			rc = run(&cmd, q[c].fn, argv_t);
			if (rc != NL_EXIT_OK && rc != NL_EXIT_NOMATCH)
				fail("%s exited %d", q[c].name, rc);
			discard_out();
			rc = run(&cmd, q[c].fn, argv_j);
			if (rc != NL_EXIT_OK && rc != NL_EXIT_NOMATCH)
				fail("%s --json exited %d", q[c].name, rc);
			json_decref(json_out(q[c].name));
		}
	}
	free(ids.id);
	free(ids.row);
	free(ids.from_log);
	free(unl.v);
	free(listed);
	store_close(cmd.s);
	for (k = 0; k < n; k++) {
		unlink(paths[k]);
		free(paths[k]);
	}
	npaths = 0;
	return 0;
}
