/*
 * ingest.c - streams each input through its parser into the store.
 * Files are read in large blocks and split into lines in place; the
 * format is chosen by probing the first lines; every source is one
 * transaction, so an interrupted import leaves nothing half-written and
 * the same content (by SHA-256) is imported once.
 */
#include "natlog.h"
#include "ingest.h"
#include "correlate.h"
#include "relay.h"
#include "analyze.h"
#include "sha256.h"
#include "store.h"
#include "cursor.h"
#include "../parsers/parser.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <archive.h>
#include <archive_entry.h>
#include "dynlib.h"
#include <dirent.h>
#include <pcre2.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define BLOCK (1 << 20)
#define PROBE_LINES 64
#define PROBE_BYTES 4096

struct filelist {
	char **paths;
	int64_t *sizes;
	size_t n, cap;
};

struct import {
	struct nl_store *s;
	const struct nl_import_opts *o;
	struct nl_import_stats *st;
	const char *path;
	int64_t source_id;
	int64_t ruleset_id;
	struct nl_corr *corr;
	char bundle_host[128];		/* the host a sosreport was made on */
	int bundle_year;		/* and the year it was made, or 0 */
	pcre2_code *sos_re;
	int may_dup;			/* other sources hold fingerprinted events */
	int fp_index;			/* their index is known to exist */
	int64_t boot_us;		/* earliest wall - uptime seen in this source, or -1 */
	int64_t lines, events, errors, skipped, rulesets, bytes, dups;
	int64_t losses, lost, health;	/* notices (store thread) */
	int store_failed;
	struct nl_relay *relay;		/* events_only parsers: the store thread's queue */
	/* progress */
	int64_t total_bytes, done_bytes;
	double started, last_draw;
};

static double now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static int add_file(struct filelist *l, const char *path, int64_t size)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **p = realloc(l->paths, cap * sizeof *p);
		int64_t *z;
		if (!p)
			return -1;
		l->paths = p;
		z = realloc(l->sizes, cap * sizeof *z);
		if (!z)
			return -1;
		l->sizes = z;
		l->cap = cap;
	}
	l->paths[l->n] = strdup(path);
	if (!l->paths[l->n])
		return -1;
	l->sizes[l->n++] = size;
	return 0;
}

/* Rotated logs in the order they were written: messages.2.gz, messages.1,
 * messages; messages-20261119, messages-20261120, messages. Splits a name
 * into its base and rotation: -1 for the live file, else a number that
 * grows with age (".N") or shrinks with it ("-YYYYMMDD", negated). */
static long long rotation(const char *name, size_t *baselen)
{
	size_t n = strlen(name), e = n, d;
	static const char *const comp[] = { ".gz", ".xz", ".bz2", ".zst" };
	size_t i;
	uint64_t v;
	for (i = 0; i < sizeof comp / sizeof comp[0]; i++) {
		size_t k = strlen(comp[i]);
		if (e > k && !strcmp(name + e - k, comp[i])) {
			e -= k;
			break;
		}
	}
	d = e;
	while (d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9')
		d--;
	if (d < e && d > 0 && (name[d - 1] == '.' || name[d - 1] == '-') &&
	    nl_parse_u64(name + d, e - d, 99999999ULL, &v)) {
		*baselen = d - 1;
		return name[d - 1] == '.' ? (long long)v : 100000000LL - (long long)v;
	}
	*baselen = e;
	return -1;
}

static int cmp_str(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t bx, by;
	long long rx = rotation(x, &bx), ry = rotation(y, &by);
	if (bx == by && !strncmp(x, y, bx) && rx != ry)
		return rx > ry ? -1 : 1;	/* older first, the live file last */
	return strcmp(x, y);
}

/* Directories are walked in name order so imports are reproducible. */
static int walk(struct filelist *l, const char *path, int depth, struct nl_import_stats *st)
{
	struct stat sb;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (strcmp(path, "-") == 0)
		return add_file(l, path, -1);
	if (stat(path, &sb) != 0) {
		fprintf(stderr, "natlog: cannot open '%s': %s\n", nl_esc(path), strerror(errno));
		st->failed++;
		return 0;
	}
	if (S_ISREG(sb.st_mode))
		return add_file(l, path, (int64_t)sb.st_size);
	if (!S_ISDIR(sb.st_mode) || depth > 32)
		return 0;
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "natlog: cannot open '%s': %s\n", nl_esc(path), strerror(errno));
		st->failed++;
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **p;
			cap = cap ? cap * 2 : 32;
			p = realloc(names, cap * sizeof *p);
			if (!p) {
				rc = -1;
				break;
			}
			names = p;
		}
		if (asprintf(&names[n], "%s%s%s", path,
			     path[0] && path[strlen(path) - 1] == '/' ? "" : "/", e->d_name) < 0) {
			rc = -1;
			break;
		}
		n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n; i++) {
		if (rc == 0) {
			struct stat lb;
			/* links inside a tree are not followed: a bundle must not reach out */
			if (lstat(names[i], &lb) == 0 && !S_ISLNK(lb.st_mode))
				rc = walk(l, names[i], depth + 1, st);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static void draw_progress(struct import *im, int final)
{
	double t = now(), rate, eta;
	int width = 30, fill, i;
	char bar[64];
	double frac;
	const char *name;

	if (!im->o->progress || (!final && t - im->last_draw < 0.1))
		return;
	im->last_draw = t;
	if (final) {
		fputs("\r\033[K", stderr);
		return;
	}
	frac = im->total_bytes > 0 ? (double)im->done_bytes / (double)im->total_bytes : 0;
	if (frac > 1)
		frac = 1;
	fill = (int)(frac * width);
	for (i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	rate = t > im->started ? (double)im->done_bytes / (t - im->started) : 0;
	eta = rate > 0 ? (double)(im->total_bytes - im->done_bytes) / rate : 0;
	name = strrchr(im->path, '/');
	name = name ? name + 1 : im->path;
	fprintf(stderr, "\r\033[K[%s] %3d%% %6.1f MB/s ETA %3.0fs %s", bar, (int)(frac * 100),
		rate / 1e6, eta, nl_escn(name, 40));
	fflush(stderr);
}

/* --host, else the host a bundle was made on; NULL when unknown. */
static const char *default_host(const struct import *im)
{
	if (im->o->host)
		return im->o->host;
	return im->bundle_host[0] ? im->bundle_host : NULL;
}

/* Reads a number of at most `max` after optional blanks, as scanf's %d
 * would, but without a sign and bounded by the cursor. */
static int clock_num(struct nl_cur *c, uint64_t max, int *v)
{
	uint64_t x;
	cur_spaces(c);
	if (!cur_u64(c, max, &x))
		return 0;
	*v = (int)x;
	return 1;
}

/* "Mar  5 10:11:12" at the start of t: f[] gets month (0-11), day, hour,
 * minute and second, and the bytes read are returned; 0 when t does not
 * start so. Hand-written: it runs for every kernel line, where sscanf was
 * a tenth of the parsing thread. */
static size_t month_clock(const char *t, int f[5])
{
	struct nl_cur c = cur_make(t, strlen(t));
	if ((f[0] = nl_month_index(t, cur_left(&c))) < 0)
		return 0;
	c.p += 3;
	if (!clock_num(&c, 31, &f[1]) || !clock_num(&c, 23, &f[2]) || !cur_char(&c, ':') ||
	    !clock_num(&c, 59, &f[3]) || !cur_char(&c, ':') || !clock_num(&c, 60, &f[4]) || f[1] < 1)
		return 0;
	return (size_t)(c.p - t);
}

/* A syslog or journal time without a year ("Mar  5 10:11:12[.frac]") as
 * epoch microseconds, in the year given (--year, or the bundle's) and the
 * time zone natlog runs in (TZ); -1 when there is no year or no such time. */
static int64_t syslog_wall(const struct import *im, const char *t)
{
	int year = im->o->year ? im->o->year : im->bundle_year;
	int f[5];
	size_t consumed;
	const char *p;
	struct tm tm;
	time_t secs;
	double frac = 0;
	if (!year || !(consumed = month_clock(t, f)))
		return -1;
	if (t[consumed] == '.') {
		double scale = 0.1;
		for (p = t + consumed + 1; *p >= '0' && *p <= '9' && scale > 1e-9; p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = f[0];
	tm.tm_mday = f[1];
	tm.tm_hour = f[2];
	tm.tm_min = f[3];
	tm.tm_sec = f[4];
	tm.tm_isdst = -1;
	secs = mktime(&tm);
	if (secs == (time_t)-1)
		return -1;
	return (int64_t)secs * 1000000 + (int64_t)(frac * 1e6 + 0.5);
}

/* Sink callbacks: parsers report here. */
/* Local wall-clock time as the second of the year, from the time forms
 * syslog, dmesg -T and the journal print ("Mar  5 10:11:12", "Tue Mar  5
 * 10:11:12 2024", "2024-03-05T10:11:12+01:00"); -1 when it is none of them. */
static int64_t wall_second(const char *t)
{
	struct nl_cur c = cur_make(t, strlen(t));
	int f[5], y;
	if (t[0] >= '0' && t[0] <= '9') {
		if (!clock_num(&c, 9999, &y) || !cur_char(&c, '-') || !clock_num(&c, 12, &f[0]) ||
		    !cur_char(&c, '-') || !clock_num(&c, 31, &f[1]) || !cur_char(&c, 'T') ||
		    !clock_num(&c, 23, &f[2]) || !cur_char(&c, ':') || !clock_num(&c, 59, &f[3]) ||
		    !cur_char(&c, ':') || !clock_num(&c, 60, &f[4]) || f[0] < 1 || f[1] < 1)
			return -1;
		f[0]--;
	} else {
		if (cur_left(&c) > 7 && t[3] == ' ' && (t[0] >= 'A' && t[0] <= 'Z') && t[7] == ' ')
			t += 4;		/* weekday of dmesg -T */
		if (!month_clock(t, f))
			return -1;
	}
	return (((int64_t)f[0] * 31 + f[1]) * 24 + f[2]) * 3600 + f[3] * 60 + f[4];
}

/* A fingerprint: the message's hash (taken once per line) mixed with a key,
 * the kernel time stamp or a wall-clock second. */
static int64_t fp_hash(int64_t key, uint64_t msg)
{
	uint64_t h = nl_mix64(msg ^ nl_mix64((uint64_t)key + 0x632be59bd9b4e019ULL));
	return (int64_t)(h & 0x7fffffffffffffffULL) | 1;
}

/* The same kernel message with the same kernel time stamp is one event,
 * whichever file brought it; without a stamp, the same message in the same
 * wall-clock second, give or take one (syslog daemons stamp lines when they
 * get them). The fingerprints are taken where the line is parsed; wall[]
 * gets those of the second before, of and after the line when lookups will
 * need them. */
static void fingerprint(const struct import *im, struct nl_event *e, int64_t wall[3])
{
	int64_t sec;
	uint64_t msg;
	int i;
	e->fp = e->fp2 = 0;
	wall[0] = wall[1] = wall[2] = 0;
	if (!e->msg || (e->kind != NL_EV_TRACE && e->kind != NL_EV_LOG && e->kind != NL_EV_CTINVALID))
		return;
	msg = nl_hash_fast(e->msg, e->msglen);
	sec = e->time[0] ? wall_second(e->time) : -1;
	if (e->uptime >= 0)
		e->fp = fp_hash((int64_t)(e->uptime * 1e6 + 0.5), msg);
	if (sec >= 0) {
		/* apart from uptime keys */
		wall[1] = fp_hash(sec + ((int64_t)1 << 40), msg);
		if (e->fp)
			e->fp2 = wall[1];
		else
			e->fp = wall[1];
		if (im->may_dup)
			for (i = 0; i < 3; i += 2)
				wall[i] = fp_hash(sec - 1 + i + ((int64_t)1 << 40), msg);
	}
}

/* 1 when another source brought this line already, -1 on store failure. */
static int seen_before(struct import *im, const struct nl_event *e, const int64_t wall[3])
{
	int i;
	if (!e->fp || !im->may_dup)
		return 0;
	if (!im->fp_index) {
		if (store_ondemand(im->s, "fp_index"))
			return -1;
		im->fp_index = 1;
	}
	i = store_event_seen(im->s, im->source_id, e->uptime >= 0 ? e->fp : 0, wall);
	/* a duplicate that brings the wall time the stored line lacked (syslog
	 * after dmesg) passes it on, so a later dmesg -T finds it too */
	if (i == 1 && e->fp2 && store_event_fp2(im->s, e->fp, e->fp2))
		return -1;
	return i;
}

/* The store's part of an event: in the store thread when a relay runs. */
static int store_event(struct import *im, const struct nl_event *e, const int64_t wall[3])
{
	int seen = seen_before(im, e, wall);
	if (seen < 0) {
		im->store_failed = 1;
		return -1;
	}
	if (seen) {
		im->dups++;
		return 0;
	}
	im->events++;
	if (corr_event(im->corr, e)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

static int sink_event(void *ctx, const struct nl_event *ev)
{
	struct import *im = ctx;
	struct nl_event *e = (struct nl_event *)ev;
	struct nl_relay_item *it;
	int64_t wall[3];
	if (e->wall_us < 0 && e->time[0] && e->time[0] >= 'A' && e->time[0] <= 'Z')
		e->wall_us = syslog_wall(im, e->time);
	if (e->uptime >= 0) {
		int64_t up = (int64_t)(e->uptime * 1e6 + 0.5);
		if (e->wall_us >= 0) {
			/* a logger stamps a line after the kernel did: the smallest
			 * difference is the closest to the boot time */
			if (im->boot_us < 0 || e->wall_us - up < im->boot_us)
				im->boot_us = e->wall_us - up;
		} else if (im->o->boot_us >= 0) {
			e->wall_us = im->o->boot_us + up;
		}
	}
	if (!e->host[0] && default_host(im))
		nl_strlcpy(e->host, default_host(im), sizeof e->host);
	if (!im->relay) {
		fingerprint(im, e, wall);
		return store_event(im, e, wall);
	}
	if (!(it = relay_next(im->relay)))
		return -1;
	it->kind = NL_RELAY_EVENT;
	fingerprint(im, e, it->wall);
	if (relay_copy(it, e->raw ? e->raw : "", e->raw ? e->rawlen : 0)) {
		it->kind = -1;	/* skipped by the store thread */
		return -1;
	}
	it->ev = *e;
	it->ev.raw = e->raw ? it->buf : NULL;
	it->ev.msg = NULL;
	return 0;
}

static const char *netns_of(const char *path, char *buf, size_t n);

/* A notice on its way into the store, counted for the summary. */
static int store_notice(struct import *im, const struct nl_notice *n)
{
	if (!strcmp(n->kind, "loss")) {
		im->losses++;
		im->lost += n->count > 0 ? n->count : 0;
	} else {
		im->health++;
	}
	if (store_add_notice(im->s, im->source_id, n)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

static int sink_notice(void *ctx, const struct nl_notice *n)
{
	struct import *im = ctx;
	struct nl_notice c = *n;
	struct nl_relay_item *it;
	if (c.wall_us < 0 && c.time[0] >= 'A' && c.time[0] <= 'Z')
		c.wall_us = syslog_wall(im, c.time);
	if (c.wall_us < 0 && c.uptime >= 0 && im->o->boot_us >= 0)
		c.wall_us = im->o->boot_us + (int64_t)(c.uptime * 1e6 + 0.5);
	if (!c.host[0] && default_host(im))
		nl_strlcpy(c.host, default_host(im), sizeof c.host);
	if (!im->relay)
		return store_notice(im, &c);
	if (!(it = relay_next(im->relay)))
		return -1;
	it->kind = NL_RELAY_NOTICE;
	it->notice = c;
	return 0;
}

static int sink_sysctl(void *ctx, long line, const char *name, const char *value)
{
	struct import *im = ctx;
	char netns[128];
	im->events++;
	if (store_add_sysctl(im->s, im->source_id, line, default_host(im),
			     netns_of(im->path, netns, sizeof netns), name, value)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

/* What the store thread does with an item. */
static int relay_item(void *ctx, struct nl_relay_item *it)
{
	struct import *im = ctx;
	if (it->kind == NL_RELAY_NOTICE)
		return store_notice(im, &it->notice);
	if (it->kind == NL_RELAY_EVENT) {
		it->ev.raw = it->ev.raw ? it->buf : NULL;
		return store_event(im, &it->ev, it->wall);
	}
	if (it->kind == NL_RELAY_ERROR &&
	    store_add_error(im->s, im->source_id, it->line, it->reason, it->len ? it->buf : NULL,
			    it->len)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

/* sosreport: ".../namespaces/<ns>/ip_netns_exec_<ns>_iptables-save". */
static const char *netns_of(const char *path, char *buf, size_t n)
{
	const char *p = strstr(path, "/namespaces/"), *e;
	if (p) {
		p += strlen("/namespaces/");
		e = strchr(p, '/');
		if (e && e > p) {
			nl_strlcpyn(buf, p, (size_t)(e - p), n);
			return buf;
		}
	}
	p = strstr(path, "ip_netns_exec_");
	if (!p)
		return NULL;
	p += strlen("ip_netns_exec_");
	e = strchr(p, '_');
	if (!e || e == p)
		return NULL;
	nl_strlcpyn(buf, p, (size_t)(e - p), n);
	return buf;
}

static int sink_ruleset(void *ctx, const char *kind, int family)
{
	struct import *im = ctx;
	char netns[128];
	if (im->ruleset_id > 0 && store_ruleset_done(im->s, im->ruleset_id))
		goto bad;
	im->ruleset_id = store_add_ruleset(im->s, im->source_id, kind, family, default_host(im),
					   netns_of(im->path, netns, sizeof netns));
	if (im->ruleset_id < 0)
		goto bad;
	im->rulesets++;
	return 0;
bad:
	im->store_failed = 1;
	return -1;
}

static int sink_chain(void *ctx, const struct nl_chain_info *c)
{
	struct import *im = ctx;
	if (store_add_chain(im->s, im->ruleset_id, c)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

static int sink_rule(void *ctx, const struct nl_rule *r)
{
	struct import *im = ctx;
	im->events++;
	if (store_add_rule(im->s, im->ruleset_id, r)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

static int sink_set(void *ctx, const struct nl_set_info *si)
{
	struct import *im = ctx;
	if (store_add_set(im->s, im->ruleset_id, si)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

static int sink_element(void *ctx, const struct nl_set_elem *e)
{
	struct import *im = ctx;
	if (store_add_element(im->s, im->ruleset_id, e)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

static int sink_flow(void *ctx, const struct nl_flow *f)
{
	struct import *im = ctx;
	struct nl_flow copy = *f;
	if (!copy.host[0] && default_host(im))
		nl_strlcpy(copy.host, default_host(im), sizeof copy.host);
	im->events++;
	if (store_add_flow(im->s, im->source_id, &copy)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

static int sink_error(void *ctx, long line, const char *reason, const char *text, size_t len)
{
	struct import *im = ctx;
	im->errors++;
	if (im->st->errors + im->errors <= im->o->max_errors && !im->o->quiet) {
		if (im->o->progress)
			fputs("\r\033[K", stderr);
		if (line > 0)
			fprintf(stderr, "%s:%ld: error: %s\n", nl_esc(im->path), line, nl_esc(reason));
		else
			fprintf(stderr, "%s: error: %s\n", nl_esc(im->path), nl_esc(reason));
		if (text && len)
			fprintf(stderr, "    %s\n", nl_escn(text, len > 200 ? 200 : len));
	} else if (im->st->errors + im->errors == im->o->max_errors + 1 && !im->o->quiet) {
		fprintf(stderr, "natlog: more errors are not shown; 'natlog errors' lists them all\n");
	}
	if (im->relay) {
		struct nl_relay_item *it = relay_next(im->relay);
		if (!it)
			return -1;
		it->kind = NL_RELAY_ERROR;
		it->line = line;
		nl_strlcpy(it->reason, reason, sizeof it->reason);
		if (relay_copy(it, text ? text : "", text ? len : 0)) {
			it->kind = -1;
			return -1;
		}
		return 0;
	}
	if (store_add_error(im->s, im->source_id, line, reason, text, len)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

static void sink_skip(void *ctx, long line)
{
	struct import *im = ctx;
	(void)line;
	im->skipped++;
}

/* A line ends at LF, CR LF or a lone CR (old Mac files, some pastes and
 * serial consoles): the end of its text, or NULL when there is none. */
static const char *line_end(const char *p, size_t n)
{
	const char *nl = memchr(p, '\n', n);
	const char *cr = memchr(p, '\r', nl ? (size_t)(nl - p) : n);
	return cr ? cr : nl;
}

static const struct nl_parser *choose(const char *buf, size_t n)
{
	int score[32] = { 0 }, k, best = -1, lines = 0;
	const char *p = buf, *end = buf + n;
	while (p < end && lines < PROBE_LINES) {
		const char *nl = line_end(p, (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		/* probes look at a line's beginning: a one-line JSON dump is long */
		if (len > 0) {
			for (k = 0; k < 32 && nl_parsers[k]; k++)
				score[k] += nl_parsers[k]->probe(p, len < PROBE_BYTES ? len : PROBE_BYTES);
			lines++;
		}
		p = nl ? nl + 1 : end;
	}
	for (k = 0; k < 32 && nl_parsers[k]; k++)
		if (score[k] > 0 && (best < 0 || score[k] > score[best]))
			best = k;
	return best >= 0 ? nl_parsers[best] : &nl_parser_klog;
}

/* Where a source's bytes come from: a file descriptor or an archive entry. */
struct reader {
	ssize_t (*read)(void *ctx, void *buf, size_t n);
	void *ctx;
	const char *what;	/* for messages */
};

static ssize_t fd_read(void *ctx, void *buf, size_t n)
{
	ssize_t r;
	do
		r = read(*(int *)ctx, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

/* A capture is handed to its parser as a FILE that first gives back the
 * block already read for probing, then reads on, hashing as it goes. */
struct tee {
	struct import *im;
	struct reader *rd;
	const char *pre;
	size_t pren, preoff;
	struct nl_sha256 *sha;
};

static ssize_t tee_read(void *cookie, char *buf, size_t n)
{
	struct tee *t = cookie;
	ssize_t r;
	if (t->preoff < t->pren) {
		size_t k = t->pren - t->preoff < n ? t->pren - t->preoff : n;
		memcpy(buf, t->pre + t->preoff, k);
		t->preoff += k;
		return (ssize_t)k;
	}
	r = t->rd->read(t->rd->ctx, buf, n);
	if (r > 0) {
		sha256_update(t->sha, buf, (size_t)r);
		t->im->bytes += r;
		t->im->done_bytes += r;
		t->im->st->bytes += r;
		draw_progress(t->im, 0);
	}
	return r;
}

static const struct nl_parser *choose_binary(const char *buf, size_t n)
{
	int k;
	for (k = 0; nl_parsers[k]; k++)
		if (nl_parsers[k]->probe_bytes &&
		    nl_parsers[k]->probe_bytes((const unsigned char *)buf, n) == 2)
			return nl_parsers[k];
	return NULL;
}

static int import_binary(struct import *im, const struct nl_parser *parser, void *state,
			 struct reader *rd, const char *buf, size_t have, struct nl_sha256 *sha)
{
	struct tee t = { im, rd, buf, have, 0, sha };
	cookie_io_functions_t io = { tee_read, NULL, NULL, NULL };
	FILE *f = fopencookie(&t, "r", io);
	char drain[65536];
	int rc;
	if (!f)
		return -1;
	rc = parser->read_stream(state, f);
	fclose(f);
	/* the parser may stop at damage: the hash still covers the whole file */
	while (tee_read(&t, drain, sizeof drain) > 0)
		;
	return rc;
}

/* Reads one source and feeds its lines to the chosen parser. */
static int import_stream(struct import *im, struct reader *rd, char **bufp, size_t *capp,
			 char *sha_out, const char **kind)
{
	char *buf = *bufp;
	size_t cap = *capp;
	const struct nl_parser *parser = NULL;
	struct nl_sink sink = { im, im->path, sink_event, sink_ruleset, sink_chain, sink_rule,
				sink_set, sink_element, sink_flow, sink_error, sink_skip,
				sink_notice, sink_sysctl };
	struct nl_sha256 sha;
	void *state = NULL;
	size_t have = 0;
	int eof = 0, rc = 0, overlong = 0, skip_lf = 0;
	long lineno = 0;

	sha256_init(&sha);
	while (rc == 0) {
		size_t off = 0;
		if (!eof && have < cap) {
			ssize_t r = rd->read(rd->ctx, buf + have, cap - have < BLOCK ? cap - have : BLOCK);
			if (r < 0) {
				fprintf(stderr, "natlog: cannot read '%s': %s\n", nl_esc(im->path),
					rd->what ? nl_esc(rd->what) : strerror(errno));
				rc = -2;
				break;
			}
			if (r == 0)
				eof = 1;
			sha256_update(&sha, buf + have, (size_t)r);
			have += (size_t)r;
			im->bytes += r;
			im->done_bytes += r;
			im->st->bytes += r;
			if (!eof && have < cap)
				continue;
		}
		if (!parser) {
			const struct nl_parser *bin = choose_binary(buf, have);
			draw_progress(im, 0);	/* at once, so short files show up too */
			parser = bin ? bin : choose(buf, have);
			/* a /proc/sys file holds a bare value: only its path says what */
			if (!bin && strstr(im->path, "proc/sys/"))
				parser = &nl_parser_sysctl;
			*kind = parser->name;
			state = parser->open(&sink);
			if (!state) {
				rc = -1;
				break;
			}
			/* logs, monitors and captures are the big inputs: parse
			 * here, store there */
			if (parser->events_only)
				im->relay = relay_start(relay_item, im);
			if (bin) {
				rc = import_binary(im, bin, state, rd, buf, have, &sha);
				break;
			}
		}
		while (off < have && rc == 0) {
			const char *nl;
			size_t len, term;
			if (skip_lf) {	/* the LF of a CR LF that a block boundary split */
				skip_lf = 0;
				if (buf[off] == '\n') {
					off++;
					continue;
				}
			}
			nl = line_end(buf + off, have - off);
			if (!nl && !eof && off > 0)
				break;	/* move the partial line to the front, read more */
			if (!nl && !eof) {
				/* a line that fills the whole buffer: grow it as far as the
				 * format allows (one-line JSON dumps), else skip the line */
				size_t max = parser->max_line ? parser->max_line : BLOCK;
				if (!overlong && cap < max) {
					size_t ncap = cap * 2 < max ? cap * 2 : max;
					char *nb = realloc(buf, ncap);
					if (nb) {
						*bufp = buf = nb;
						*capp = cap = ncap;
						break;
					}
				}
				if (!overlong)
					rc = sink_error(im, lineno + 1, max > BLOCK
							? "line longer than this format's limit, skipped"
							: "line longer than 1 MiB, skipped", NULL, 0);
				overlong = 1;
				off = have;
				break;
			}
			len = nl ? (size_t)(nl - (buf + off)) : have - off;
			/* every pass consumes at least one byte: the line or its end */
			term = nl ? 1 : 0;
			if (nl && *nl == '\r') {
				if (off + len + 1 < have)
					term += buf[off + len + 1] == '\n';
				else if (!eof)
					skip_lf = 1;
			}
			if (overlong) {
				overlong = 0;	/* the tail of an overlong line */
				lineno++;
				off += len + term;
				continue;
			}
			lineno++;
			im->lines++;
			if (len > 0)
				rc = parser->line(state, buf + off, len, lineno);
			off += len + term;
			if ((lineno & 4095) == 0)
				draw_progress(im, 0);
		}
		if (off < have)
			memmove(buf, buf + off, have - off);
		have -= off < have ? off : have;
		if (eof && have == 0)
			break;
	}
	if (state && parser->close(state) && rc == 0)
		rc = -1;
	if (im->relay) {
		if (relay_finish(im->relay) && rc == 0)
			rc = -1;
		im->relay = NULL;
	}
	if (rc == 0 && im->ruleset_id > 0 && store_ruleset_done(im->s, im->ruleset_id))
		rc = -1;
	if (sha256_hex(&sha, sha_out) && rc == 0) {
		fprintf(stderr, "natlog: cannot hash '%s'\n", nl_esc(im->path));
		rc = -1;
	}
	return rc;
}

/* One source (a file, stdin, or an archive member) in one transaction. */
static int import_source(struct import *im, const char *path, struct reader *rd, char **buf,
			 size_t *cap)
{
	struct nl_source_counts c;
	char sha[65];
	const char *kind = "unknown";
	int rc;

	im->path = path;
	im->source_id = im->ruleset_id = 0;
	im->lines = im->events = im->errors = im->skipped = im->rulesets = im->bytes = im->dups = 0;
	im->losses = im->lost = im->health = 0;
	im->boot_us = im->o->boot_us;
	if (store_begin(im->s))
		goto store_bad;
	im->source_id = store_source_add(im->s, path, default_host(im));
	if (im->source_id < 0)
		goto store_bad_tx;
	im->may_dup = store_other_events(im->s, im->source_id);
	im->fp_index = 0;	/* a rolled-back source may have taken the index with it */
	if (im->may_dup < 0)
		goto store_bad_tx;
	im->corr = corr_new(im->s, im->source_id);
	if (!im->corr)
		goto store_bad_tx;
	rc = import_stream(im, rd, buf, cap, sha, &kind);
	if (rc == -2) {
		im->st->failed++;
		goto rollback;
	}
	if (rc < 0 || im->store_failed)
		goto store_bad_tx;
	memset(&c, 0, sizeof c);
	c.kind = kind;
	c.sha256 = sha;
	c.size = im->bytes;
	c.lines = im->lines;
	c.events = im->events;
	c.errors = im->errors;
	c.skipped = im->skipped;
	c.boot_us = im->boot_us;
	rc = store_source_finish(im->s, im->source_id, &c);
	if (rc < 0)
		goto store_bad_tx;
	if (rc == 1) {
		if (!im->o->quiet)
			fprintf(stderr, "natlog: '%s' was imported before (same content); nothing added\n",
				nl_esc(path));
		im->st->already++;
		goto rollback;
	}
	if (im->rulesets > 0 && store_reanalyze_source(im->s, im->source_id))
		goto store_bad_tx;
	if (store_commit(im->s))
		goto store_bad_tx;
	im->st->files++;
	im->st->lines += im->lines;
	im->st->events += im->events;
	im->st->errors += im->errors;
	im->st->skipped += im->skipped;
	im->st->rulesets += im->rulesets;
	im->st->dups += im->dups;
	im->st->losses += im->losses;
	im->st->lost += im->lost;
	im->st->health += im->health;
	im->st->packets += corr_packets(im->corr);
	corr_free(im->corr);
	im->corr = NULL;
	return 0;
rollback:
	corr_free(im->corr);
	im->corr = NULL;
	store_rollback(im->s);
	return 0;
store_bad_tx:
	fprintf(stderr, "natlog: store failure while importing '%s': %s\n", nl_esc(path),
		nl_esc(store_errmsg(im->s)));
	store_rollback(im->s);
	corr_free(im->corr);
	im->corr = NULL;
	im->st->store_failed = 1;
	return -1;
store_bad:
	fprintf(stderr, "natlog: store failure: %s\n", nl_esc(store_errmsg(im->s)));
	im->st->store_failed = 1;
	return -1;
}

/* Archives (tar, zip; compressed or not) and compressed single files are
 * read in memory through libarchive: each member is a source of its own,
 * named "archive:member", and nothing is written to disk. A member that is
 * itself compressed (messages.1.gz in a sosreport) is opened in turn. */
struct entry_reader {
	struct archive *a;
	int64_t left;		/* bytes the member may still expand to */
	int over;
	const unsigned char *pre;	/* bytes already read to look at the member */
	size_t pren, preoff;
	char msg[256];
};

static ssize_t entry_read(void *ctx, void *buf, size_t n)
{
	struct entry_reader *er = ctx;
	la_ssize_t r;
	if (er->preoff < er->pren) {
		size_t k = er->pren - er->preoff < n ? er->pren - er->preoff : n;
		memcpy(buf, er->pre + er->preoff, k);
		er->preoff += k;
		return (ssize_t)k;
	}
	if (er->left <= 0) {
		char probe[1];
		/* at the limit: only a member that really goes on is an error */
		if (archive_read_data(er->a, probe, 1) > 0)
			er->over = 1;
		return 0;
	}
	if ((int64_t)n > er->left)
		n = (size_t)er->left;
	r = archive_read_data(er->a, buf, n);
	if (r < 0) {
		snprintf(er->msg, sizeof er->msg, "%s", archive_error_string(er->a));
		return -1;
	}
	er->left -= r;
	return (ssize_t)r;
}

static int compressed_magic(const unsigned char *m, size_t n)
{
	if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
		return 1;			/* gzip */
	if (n >= 6 && !memcmp(m, "\xfd" "7zXZ\0", 6))
		return 1;			/* xz */
	if (n >= 3 && !memcmp(m, "BZh", 3))
		return 1;			/* bzip2 */
	if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
		return 1;			/* zstd */
	if (n >= 4 && !memcmp(m, "PK\3\4", 4))
		return 1;			/* zip */
	if (n >= 262 && !memcmp(m + 257, "ustar", 5))
		return 1;			/* tar */
	return 0;
}

static int is_compressed_or_archive(int fd)
{
	unsigned char m[512];
	ssize_t n = pread(fd, m, sizeof m, 0);
	return n > 0 && compressed_magic(m, (size_t)n);
}

/* "sosreport-node7-2026-11-20-abcdefg" (an optional case id before the
 * date): the host the bundle came from. */
/* "sosreport-node7-2026-11-20-abcdefg" (an optional case id before the
 * date): the host the bundle came from, and the year its syslog lines
 * (which print none) were written in. */
static void bundle_host(struct import *im, const char *member)
{
	static const char *pat = "^(?:[^/]*/)*sosreport-([A-Za-z0-9._-]+?)(?:-[0-9]+)?-([0-9]{4})-[0-9]{2}-[0-9]{2}-[a-z0-9]+(?:/|$)";
	pcre2_match_data *md;
	int err;
	PCRE2_SIZE off;
	if (im->bundle_host[0])
		return;
	if (!im->sos_re) {
		im->sos_re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
		if (!im->sos_re)
			return;
		pcre2_jit_compile(im->sos_re, PCRE2_JIT_COMPLETE);
	}
	md = pcre2_match_data_create_from_pattern(im->sos_re, NULL);
	if (md && pcre2_match(im->sos_re, (PCRE2_SPTR)member, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) > 2) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		uint64_t y;
		nl_strlcpyn(im->bundle_host, member + ov[2], ov[3] - ov[2], sizeof im->bundle_host);
		if (nl_parse_u64(member + ov[4], ov[5] - ov[4], 9999, &y))
			im->bundle_year = (int)y;
	}
	pcre2_match_data_free(md);
}

static int import_archive_open(struct import *im, const char *path, struct archive *a,
			       char **buf, size_t *cap, int depth);

/* A member that is compressed itself: read it (bounded) and open it too. */
static int import_nested(struct import *im, const char *name, struct entry_reader *er, char **buf,
			 size_t *cap, int depth)
{
	size_t n = 0, size = 1 << 16;
	unsigned char *data = malloc(size);
	struct archive *a;
	ssize_t r;
	int rc;
	if (!data)
		return -1;
	while ((r = entry_read(er, data + n, size - n)) > 0) {
		n += (size_t)r;
		if (n == size) {
			unsigned char *p = size < ((size_t)1 << 31) ? realloc(data, size * 2) : NULL;
			if (!p) {
				fprintf(stderr, "natlog: '%s' is too large to open in memory\n",
					nl_esc(name));
				im->st->failed++;
				free(data);
				return 0;
			}
			data = p;
			size *= 2;
		}
	}
	a = archive_read_new();
	if (!a) {
		free(data);
		return -1;
	}
	archive_read_support_filter_all(a);
	/* tar and zip only: other bidders (mtree) claim plain text */
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_memory(a, data, n) != ARCHIVE_OK) {
		fprintf(stderr, "natlog: cannot read '%s': %s\n", nl_esc(name),
			nl_esc(archive_error_string(a)));
		im->st->failed++;
		archive_read_free(a);
		free(data);
		return 0;
	}
	rc = import_archive_open(im, name, a, buf, cap, depth + 1);
	free(data);
	return rc;
}

/* Imports every regular member of an opened archive; frees it. */
static int import_archive_open(struct import *im, const char *path, struct archive *a,
			       char **buf, size_t *cap, int depth)
{
	struct archive_entry *e;
	int r, rc = 0;
	while (rc == 0 && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *member = archive_entry_pathname(e);
		int raw = archive_format(a) == ARCHIVE_FORMAT_RAW;
		struct entry_reader er;
		struct reader rd = { entry_read, &er, er.msg };
		unsigned char head[512];
		char *name;
		ssize_t hn;
		if (!raw && archive_entry_filetype(e) != AE_IFREG) {
			if (archive_entry_filetype(e) != AE_IFDIR)
				im->st->ignored++;	/* links and devices are never followed */
			continue;
		}
		if (!raw && member)
			bundle_host(im, member);
		if (raw)
			name = strdup(path);
		else if (asprintf(&name, "%s:%s", path, member ? member : "?") < 0)
			name = NULL;
		if (!name) {
			rc = -1;
			break;
		}
		memset(&er, 0, sizeof er);
		er.a = a;
		er.left = im->o->max_entry;
		hn = entry_read(&er, head, sizeof head);
		if (hn > 0 && depth < 4 && compressed_magic(head, (size_t)hn)) {
			er.pre = head;
			er.pren = (size_t)hn;
			rc = import_nested(im, name, &er, buf, cap, depth);
		} else if (hn >= 0) {
			er.pre = head;
			er.pren = (size_t)(hn > 0 ? hn : 0);
			rc = import_source(im, name, &rd, buf, cap);
		} else {
			fprintf(stderr, "natlog: cannot read '%s': %s\n", nl_esc(name), nl_esc(er.msg));
			im->st->failed++;
		}
		if (er.over) {
			fprintf(stderr, "natlog: '%s' expands beyond %lld bytes (decompression bomb?); "
					"the rest of it was not read\n", nl_esc(name), (long long)im->o->max_entry);
			im->st->failed++;
		}
		free(name);
	}
	if (rc == 0 && r != ARCHIVE_EOF && r != ARCHIVE_OK) {
		fprintf(stderr, "natlog: '%s' is damaged: %s\n", nl_esc(path),
			nl_esc(archive_error_string(a)));
		im->st->failed++;
	}
	archive_read_free(a);
	return rc;
}

static int import_archive(struct import *im, const char *path, int fd, char **buf, size_t *cap)
{
	struct archive *a;
	char why[256];
	if (nl_dl_archive(why, sizeof why)) {
		fprintf(stderr, "natlog: cannot read '%s': %s\n", nl_esc(path), nl_esc(why));
		im->st->failed++;
		return 0;
	}
	a = archive_read_new();
	if (!a)
		return -1;
	archive_read_support_filter_all(a);
	/* tar and zip only: other bidders (mtree) claim plain text */
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_raw(a);	/* a compressed single file */
	if (archive_read_open_fd(a, fd, 1 << 16) != ARCHIVE_OK) {
		fprintf(stderr, "natlog: cannot read '%s': %s\n", nl_esc(path),
			nl_esc(archive_error_string(a)));
		im->st->failed++;
		archive_read_free(a);
		return 0;
	}
	im->bundle_host[0] = '\0';
	return import_archive_open(im, path, a, buf, cap, 0);
}

/* A file imported before under this name and size is hashed first: when
 * the content is the same, it is not parsed again only to be rolled back.
 * Leaves fd at its start. */
static int imported_before(struct import *im, const char *path, int fd)
{
	struct stat sb;
	struct nl_sha256 sha;
	char hex[65], blk[1 << 16];
	ssize_t r;
	int known = 0;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || store_source_seen_as(im->s, path, sb.st_size) != 1)
		return 0;
	sha256_init(&sha);
	while ((r = read(fd, blk, sizeof blk)) > 0)
		sha256_update(&sha, blk, (size_t)r);
	if (r == 0 && sha256_hex(&sha, hex) == 0)
		known = store_source_known(im->s, hex) == 1;
	if (lseek(fd, 0, SEEK_SET) != 0)
		return 0;
	if (known) {
		if (!im->o->quiet)
			fprintf(stderr, "natlog: '%s' was imported before (same content); nothing added\n",
				nl_esc(path));
		im->st->already++;
		im->done_bytes += sb.st_size;
	}
	return known;
}

static int import_one(struct import *im, const char *path, char **buf, size_t *cap)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	struct reader rd = { fd_read, &fd, NULL };
	int rc;
	if (fd < 0) {
		fprintf(stderr, "natlog: cannot open '%s': %s\n", nl_esc(path), strerror(errno));
		im->st->failed++;
		return 0;
	}
	im->bundle_host[0] = '\0';
	if (fd != 0 && imported_before(im, path, fd)) {
		close(fd);
		return 0;
	}
	if (fd != 0 && is_compressed_or_archive(fd))
		rc = import_archive(im, path, fd, buf, cap);
	else
		rc = import_source(im, path, &rd, buf, cap);
	if (fd != 0)
		close(fd);
	return rc;
}

int ingest_paths(struct nl_store *s, char *const *paths, int n, const struct nl_import_opts *o,
		 struct nl_import_stats *st)
{
	struct filelist l = { 0 };
	struct import im;
	char *buf = NULL;
	size_t i, cap = BLOCK;
	int k, rc = 0;

	memset(&im, 0, sizeof im);
	im.s = s;
	im.o = o;
	im.st = st;
	for (k = 0; k < n && rc == 0; k++)
		rc = walk(&l, paths[k], 0, st);
	if (rc == 0)
		buf = malloc(BLOCK);
	if (rc != 0 || !buf) {
		fprintf(stderr, "natlog: out of memory\n");
		rc = -1;
		goto out;
	}
	for (i = 0; i < l.n; i++)
		im.total_bytes += l.sizes[i] > 0 ? l.sizes[i] : 0;
	im.started = now();
	/* packets left unanalyzed by an interrupted import are finished first */
	for (i = 0; i < l.n && rc == 0; i++)
		rc = import_one(&im, l.paths[i], &buf, &cap);
	draw_progress(&im, 1);
	if (rc == 0) {
		if (store_begin(s) || analyze_pending(s, &st->analyzed) || store_commit(s)) {
			fprintf(stderr, "natlog: store failure while analysing packets: %s\n",
				nl_esc(store_errmsg(s)));
			store_rollback(s);
			st->store_failed = 1;
			rc = -1;
		}
	}
out:
	if (im.sos_re)
		pcre2_code_free(im.sos_re);
	for (i = 0; i < l.n; i++)
		free(l.paths[i]);
	free(l.paths);
	free(l.sizes);
	free(buf);
	return rc;
}
