/*
 * ingest.c - streams each input through its parser into the store.
 * Files are read in large blocks and split into lines in place, through
 * the decoders and archives they are in; the
 * format is chosen by probing the first lines; every source is kept
 * whole or not at all (a savepoint in a transaction small sources share),
 * so an interrupted import leaves nothing half-written, and the same
 * content (by SHA-256) is imported once.
 */
#include "natlog.h"
#include "ingest.h"
#include "dumps.h"
#include "timespec.h"
#include "correlate.h"
#include "progress.h"
#include "relay.h"
#include "analyze.h"
#include "prof.h"
#include "sha256.h"
#include "store.h"
#include "table.h"
#include "cursor.h"
#include "../parsers/parser.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <archive.h>
#include <archive_entry.h>
#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include "dynlib.h"
#include <dirent.h>
#include <pcre2.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* The last day a bundle's syslog lines (which print no year) can be of,
 * from the date in its name: the day after (the name's clock and the
 * log's may differ by a time zone, and lines go on being written while it
 * is collected). A later month and day is the year before's, as no log
 * holds lines from after it was collected. */
struct bundle_date {
	int last_year;			/* 0: no bundle date known */
	int last_md;			/* month (0-11) * 32 + day */
};

/* A bundle directory whose collector wrote the host's name in a file. */
struct named_host {
	char *dir;			/* the directory, with its '/' */
	char host[128];
};

struct import {
	struct nl_store *s;
	const struct nl_import_opts *o;
	struct nl_import_stats *st;
	struct nl_import_stats committed;	/* *st at the open transaction's start */
	struct nl_corr *prev_corr;	/* the last source kept: its open packets */
	const char *path;
	int64_t source_id;
	int64_t ruleset_id;
	struct nl_corr *corr;
	char bundle_host[128];		/* the host a sosreport or supportconfig was made on */
	struct bundle_date bdate;	/* and when it was made */
	struct named_host *named;	/* hosts that bundles' hostname files name */
	size_t nnamed;
	pcre2_code *sos_re;
	int may_dup;			/* other sources hold fingerprinted events */
	int fp_index;			/* their index is known to exist */
	int64_t boot_us;		/* earliest wall - uptime seen in this source, or -1 */
	int64_t lines, events, errors, skipped, rulesets, bytes, dups;
	int64_t losses, lost, health, ct_drops;	/* notices (store thread) */
	int64_t ct_drops_netns;		/* of them, rows of a namespace's counters */
	int64_t losses_netns;		/* losses a namespace's conntrack said */
	int64_t losses_ct, losses_mon;	/* the host's conntrack -E's, monitors' */
	char ct_drops_ns[256];		/* and those namespaces, ", " between */
	int64_t evidence;		/* captured frames and conntrack records */
	int store_failed;
	struct nl_relay *relay;		/* events_only parsers: the store thread's queue */
	int64_t expanded;		/* bytes out of decompression, for --max-expansion */
	int exp_over;			/* the limit was reached: no more is expanded */
	int64_t cuts;			/* sources cut short by a read failure */
	int64_t member_mtime;		/* the archive member's mtime (epoch s), or -1 */
	int unknown;			/* this source is in no format natlog reads */
	char **seen;			/* hashes of the nested archives opened */
	size_t nseen, seencap;
	const char *top;		/* the input file the source is in (progress) */
	char sect_ns[128];		/* the namespace a section's dumps were made in */
	int ns_told;			/* the source's namespace was said to be unsure */
	char path_ns[128];		/* the namespace its path names, for its traces */
	int path_ns_known;		/* path_ns looked up */
	char file_host[128];		/* the host the source names as its own (pvereport) */
};

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
	/* a pipe named on the command line (`<(zcat log.gz)`) is read like
	 * stdin; one met in a tree could block forever */
	if (S_ISFIFO(sb.st_mode) && depth == 0)
		return add_file(l, path, -1);
	if (!S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "natlog: '%s' is %s, not a file; not read\n", nl_esc(path),
			S_ISFIFO(sb.st_mode) ? "a pipe" : S_ISSOCK(sb.st_mode) ? "a socket"
			: S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode) ? "a device" : "no regular file");
		st->failed++;
		return 0;
	}
	if (depth > 32) {
		fprintf(stderr, "natlog: '%s' is more than 32 directories deep; not read\n",
			nl_esc(path));
		st->failed++;
		return 0;
	}
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

/* The progress line (progress.c) names the source being read. */
static void draw_progress(struct import *im, int final)
{
	if (!im->o->progress)
		return;
	if (final)
		nl_progress_end();
	else
		nl_progress_draw(im->top, im->path);
}

/* --host, else the host the source names as its own, else the host a
 * bundle was made on; NULL when unknown. */
static const char *default_host(const struct import *im)
{
	if (im->o->host)
		return im->o->host;
	if (im->file_host[0])
		return im->file_host;
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
 * epoch microseconds, in the year --year gives, else in the bundle's (the
 * year before for a day after the bundle was made), and in the time zone
 * natlog runs in (TZ); -1 when there is no year or no such time. */
static int64_t syslog_wall(const struct import *im, const char *t)
{
	int year = im->o->year ? im->o->year : im->bdate.last_year;
	int f[5];
	size_t consumed;
	const char *p;
	struct tm tm;
	time_t secs;
	double frac = 0;
	if (!year || !(consumed = month_clock(t, f)))
		return -1;
	if (!im->o->year && f[0] * 32 + f[1] > im->bdate.last_md)
		year--;		/* after the bundle was made: the year before's */
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
	e->fp = e->fp2 = e->mh = 0;
	e->wsec = -1;
	wall[0] = wall[1] = wall[2] = 0;
	if (!e->msg || (e->kind != NL_EV_TRACE && e->kind != NL_EV_LOG && e->kind != NL_EV_CTINVALID))
		return;
	msg = nl_hash_fast(e->msg, e->msglen);
	sec = e->time[0] ? wall_second(e->time) : -1;
	/* kept for aligning renderings that share no time key (store.c) */
	e->mh = (int64_t)(msg & 0x7fffffffffffffffULL) | 1;
	e->wsec = sec;
	if (e->uptime >= 0)
		e->fp = nl_fp_key(0, (int64_t)(e->uptime * 1e6 + 0.5), e->mh);
	if (sec >= 0) {
		wall[1] = nl_fp_key(1, sec, e->mh);
		if (e->fp)
			e->fp2 = wall[1];
		else
			e->fp = wall[1];
		if (im->may_dup)
			for (i = 0; i < 3; i += 2)
				wall[i] = nl_fp_key(1, sec - 1 + i, e->mh);
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
	i = store_event_seen(im->s, im->source_id, e, wall);
	/* a duplicate that brings the wall time the stored line lacked (syslog
	 * after dmesg) passes it on, so a later dmesg -T finds it too */
	if (i == 1 && e->fp2 && store_event_fp2(im->s, e->fp, e->fp2, e->mh, e->wsec))
		return -1;
	return i;
}

/* The store's part of an event: in the store thread when a relay runs. */
static int store_event(struct import *im, const struct nl_event *e, const int64_t wall[3])
{
	int64_t t0 = im->may_dup ? PROF_T0() : 0;
	int seen = seen_before(im, e, wall);
	if (im->may_dup)
		PROF_ADD(NL_P_DEDUP, t0);
	if (seen < 0) {
		im->store_failed = 1;
		return -1;
	}
	if (seen) {
		im->dups++;
		return 0;
	}
	im->events++;
	im->evidence += e->kind == NL_EV_WIRE;
	if (corr_event(im->corr, e)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

static void trace_netns(struct import *im, struct nl_event *e);

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
	/* a monitor run in a namespace traced that namespace's packets; the
	 * kernel's log is one for every namespace, and stays the host's */
	if (e->kind == NL_EV_NFTRACE || e->kind == NL_EV_NFPACKET)
		trace_netns(im, e);
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

static const char *netns_of(const char *path, char *buf, size_t n, int *unsure);

/* The namespace of the dump being read: a section's, else its path's. A
 * name whose namespace may be longer than what is taken is said once. */
static const char *dump_netns(struct import *im, char *buf, size_t n)
{
	const char *ns;
	int unsure;
	if (im->sect_ns[0]) {
		nl_strlcpy(buf, im->sect_ns, n);
		return buf;
	}
	ns = netns_of(im->path, buf, n, &unsure);
	if (ns && unsure && !im->ns_told++)
		fprintf(stderr, "natlog: warning: '%s': its namespace is taken as '%s', but what "
				"follows is no command sos runs: the name may go on past '_'\n",
			nl_esc(im->path), ns);
	return ns;
}

/* The namespace a monitor's trace line was printed in: the section's, or
 * the path's, looked up once per source. */
static void trace_netns(struct import *im, struct nl_event *e)
{
	if (im->sect_ns[0]) {
		nl_strlcpy(e->netns, im->sect_ns, sizeof e->netns);
		return;
	}
	if (!im->path_ns_known) {
		if (!dump_netns(im, im->path_ns, sizeof im->path_ns))
			im->path_ns[0] = '\0';
		im->path_ns_known = 1;
	}
	nl_strlcpy(e->netns, im->path_ns, sizeof e->netns);
}

/* Adds name to the comma-separated names in buf unless there already;
 * names that do not fit are left out. */
static void add_name(char *buf, size_t n, const char *name)
{
	size_t len = strlen(name), at = 0, used = strlen(buf);
	while (at < used) {
		const char *e = strchr(buf + at, ',');
		size_t wn = e ? (size_t)(e - (buf + at)) : used - at;
		if (wn == len && !memcmp(buf + at, name, len))
			return;
		at += wn + (e ? 2 : 0);
	}
	if (used + (used ? 2 : 0) + len < n)
		snprintf(buf + used, n - used, "%s%s", used ? ", " : "", name);
}

/* Adds the names of src (which it cuts up) to those of dst. */
static void merge_names(char *dst, size_t n, char *src)
{
	char *p = src, *e;
	for (; *p; p = e ? e + 2 : p + strlen(p)) {
		if ((e = strstr(p, ", ")))
			*e = '\0';
		add_name(dst, n, p);
	}
}

/* A notice on its way into the store, counted for the summary. */
static int store_notice(struct import *im, const struct nl_notice *n)
{
	if (!strcmp(n->kind, "loss")) {
		im->losses++;
		im->lost += n->count > 0 ? n->count : 0;
		/* what was lost: conntrack events (a namespace's apart), a
		 * monitor's events (of its own file, in a namespace or not),
		 * else kernel log lines */
		int mon = !strcmp(n->origin, "nft-monitor") || !strcmp(n->origin, "xtables-monitor");
		im->losses_netns += n->netns[0] && !mon;
		im->losses_ct += !n->netns[0] && !strcmp(n->origin, "conntrack");
		im->losses_mon += mon;
	} else if (!strcmp(n->kind, "ct-stats")) {
		/* a counter, not a line the kernel logged; a CPU that
		 * dropped nothing says nothing; a namespace's counters are
		 * its own table's */
		im->ct_drops += n->count > 0;
		if (n->count > 0 && n->netns[0]) {
			im->ct_drops_netns++;
			add_name(im->ct_drops_ns, sizeof im->ct_drops_ns, n->netns);
		}
	} else if (strcmp(n->kind, "ruleset-change")) {
		im->health++;	/* a monitor's ruleset events are no kernel health */
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
	char netns[128];
	if (c.wall_us < 0 && c.time[0] >= 'A' && c.time[0] <= 'Z')
		c.wall_us = syslog_wall(im, c.time);
	if (c.wall_us < 0 && c.uptime >= 0 && im->o->boot_us >= 0)
		c.wall_us = im->o->boot_us + (int64_t)(c.uptime * 1e6 + 0.5);
	if (!c.host[0] && default_host(im))
		nl_strlcpy(c.host, default_host(im), sizeof c.host);
	/* a command run in a namespace speaks of it (conntrack's counters and
	 * events, a monitor's ruleset), as its table does; the kernel has
	 * one log for every namespace, so its lines and the log daemons'
	 * are the host's wherever they were copied */
	if (!c.netns[0] && strcmp(c.origin, "kernel") && strcmp(c.origin, "journald") &&
	    strcmp(c.origin, "rsyslog") && dump_netns(im, netns, sizeof netns))
		nl_strlcpy(c.netns, netns, sizeof c.netns);
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
			     dump_netns(im, netns, sizeof netns), name, value)) {
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

/* The commands sos runs in each namespace (sos/report/plugins: networking,
 * conntrack, ebpf), as _mangle_command() names their files after
 * "ip_netns_exec_<ns>_" (and a monitor's file named so): the namespace is
 * what comes before one of them,
 * underscores and all ("my_ns"). */
static const char *const sos_ns_cmds[] = {
	"iptables-save", "ip6tables-save", "conntrack_-L_-o_extended", "conntrack_-S",
	"sysctl_-a", "nft_list_ruleset", "ip_-d_address_show", "ip_address_show",
	"ip_route_show_table_all", "ip_-s_-s_neigh_show", "ip_-4_rule_list", "ip_-6_rule_list",
	"ip_vrf_show", "netstat_-W_-neopa", "netstat_-T_-neopa", "netstat_-neopa", "netstat_-s",
	"netstat_-W_-agn", "netstat_-T_-agn", "netstat_-agn", "nstat_-zas", "ss_-peaonmi",
	"bpftool_net_list",
	/* and the monitors a namespace's trace is recorded with, its file
	 * named the same way */
	"nft_monitor_trace", "nft_monitor", "xtables-monitor_--trace", "xtables-monitor_-t",
	"conntrack_-E", "conntrack_-E_-o_timestamp",
};

/* The namespace in "ip_netns_exec_<ns>_<command>" (p after the prefix,
 * the name's end at e): before a command sos runs; else, as before, up to
 * the first '_', and *unsure set when more '_' follow, as then the
 * namespace's name may go on past it. */
static size_t netns_in_name(const char *p, const char *e, int *unsure)
{
	size_t i, n = (size_t)(e - p), k;
	const char *u;
	*unsure = 0;
	for (i = 0; i < sizeof sos_ns_cmds / sizeof sos_ns_cmds[0]; i++) {
		k = strlen(sos_ns_cmds[i]);
		if (n > k + 1 && p[n - k - 1] == '_' && !memcmp(p + n - k, sos_ns_cmds[i], k))
			return n - k - 1;
	}
	u = memchr(p, '_', n);
	if (!u)
		return 0;
	*unsure = memchr(u + 1, '_', (size_t)(e - u - 1)) != NULL;
	return (size_t)(u - p);
}

/* sosreport: ".../namespaces/<ns>/ip_netns_exec_<ns>_iptables-save", or
 * the file's name alone (".../conntrack/ip_netns_exec_<ns>_conntrack_-S").
 * *unsure as netns_in_name() says (0 when the directory names it). */
static const char *netns_of(const char *path, char *buf, size_t n, int *unsure)
{
	const char *p = strstr(path, "/namespaces/"), *e;
	size_t len;
	*unsure = 0;
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
	e = strchr(p, '/');
	if (!e)
		e = p + strlen(p);
	len = netns_in_name(p, e, unsure);
	if (!len)
		return NULL;
	nl_strlcpyn(buf, p, len, n);
	return buf;
}

static int sink_ruleset(void *ctx, const char *kind, int family)
{
	struct import *im = ctx;
	char netns[128];
	if (im->ruleset_id > 0 && store_ruleset_done(im->s, im->ruleset_id))
		goto bad;
	im->ruleset_id = store_add_ruleset(im->s, im->source_id, kind, family, default_host(im),
					   dump_netns(im, netns, sizeof netns));
	if (im->ruleset_id < 0)
		goto bad;
	im->rulesets++;
	if (dumps_member_time(im->s, im->ruleset_id, im->member_mtime))
		goto bad;
	return 0;
bad:
	im->store_failed = 1;
	return -1;
}

static int sink_dump_time(void *ctx, long line, const char *time, const char *kind)
{
	struct import *im = ctx;
	(void)line;
	if (im->ruleset_id > 0 &&
	    store_ruleset_time(im->s, im->ruleset_id, time, nl_time_wall_us(time), kind)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
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

static int sink_object(void *ctx, const struct nl_object_info *o)
{
	struct import *im = ctx;
	if (store_add_object(im->s, im->ruleset_id, o)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

static int sink_flow(void *ctx, const struct nl_flow *f)
{
	struct import *im = ctx;
	struct nl_flow copy = *f;
	char netns[128];
	if (!copy.host[0] && default_host(im))
		nl_strlcpy(copy.host, default_host(im), sizeof copy.host);
	/* a namespace's table, as its rulesets are: from the section or path */
	if (!copy.netns[0] && dump_netns(im, netns, sizeof netns))
		nl_strlcpy(copy.netns, netns, sizeof copy.netns);
	im->events++;
	im->evidence++;
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
		if (line > 0)
			fprintf(stderr, "%s:%ld: error: %s\n", nl_esc(im->path), line, nl_esc(reason));
		else
			fprintf(stderr, "%s: error: %s\n", nl_esc(im->path), nl_esc(reason));
		if (text && len && isatty(STDERR_FILENO)) {
			/* on a terminal the offending line is cut to its width */
			char *t = strndup(text, len > 200 ? 200 : len);
			if (t)
				fprintf(stderr, "    %s\n", nl_fit(t, nl_term_width(STDERR_FILENO) - 5, 0));
			free(t);
		} else if (text && len) {
			fprintf(stderr, "    %s\n", nl_escn(text, len > 200 ? 200 : len));
		}
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

static int sink_netns(void *ctx, const char *name)
{
	struct import *im = ctx;
	nl_strlcpy(im->sect_ns, name ? name : "", sizeof im->sect_ns);
	return 0;
}

/* The source names its host (pvereport's hostname): what follows, and the
 * source, are that host's; --host still wins. */
static int sink_host(void *ctx, const char *name)
{
	struct import *im = ctx;
	if (im->o->host || !name[0])
		return 0;
	nl_strlcpy(im->file_host, name, sizeof im->file_host);
	if (store_source_host(im->s, im->source_id, im->file_host)) {
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

/* 1 when a line starts as log lines do: a time stamp in one of the forms
 * syslog, dmesg, the journal and kmsg print, or a journal header. */
static int log_line(const char *p, size_t n)
{
	size_t i = 0;
	if (n >= 3 && p[0] == '<' && p[1] >= '0' && p[1] <= '9') {
		while (i < n && i < 5 && p[i] != '>')
			i++;
		if (i < n && p[i] == '>')
			p += i + 1, n -= i + 1;	/* a kmsg priority */
		i = 0;
	}
	if (n >= 3 && p[0] == '[' && memchr(p, ']', n < 40 ? n : 40))
		return 1;			/* dmesg, dmesg -T, short-monotonic */
	if (n >= 6 && nl_month_index(p, n) >= 0 && p[3] == ' ')
		return 1;			/* syslog, journalctl short */
	if (n >= 10 && p[4] == '-' && p[7] == '-') {
		for (i = 0; i < 10 && (i == 4 || i == 7 || (p[i] >= '0' && p[i] <= '9')); i++)
			;
		return i == 10;			/* RFC 3339, --time-format iso */
	}
	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++;
	if (i >= 9 && i + 1 < n && p[i] == '.')
		return 1;			/* short-unix */
	if (n >= 2 && p[0] == '{' && p[1] == '"' && memmem(p, n, "TIMESTAMP", 9))
		return 1;			/* journalctl -o json */
	return n >= 3 && !memcmp(p, "-- ", 3);	/* "-- Logs begin at ..." */
}

/* Whether most of the first lines look like log lines: a log without any
 * netfilter line is still a log, /etc/passwd or a binary is not. */
static int looks_like_log(const char *buf, size_t n)
{
	const char *p = buf, *end = buf + n;
	int lines = 0, logs = 0;
	while (p < end && lines < PROBE_LINES) {
		const char *nl = line_end(p, (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		while (len > 0 && (*p == '\0' || *p == ' ' || *p == '\t'))
			p++, len--;
		if (len > 0) {
			lines++;
			logs += log_line(p, len < PROBE_BYTES ? len : PROBE_BYTES);
		}
		p += len;
		p = p < end ? p + 1 : end;
	}
	return lines > 0 && logs * 2 >= lines;
}

static const struct nl_parser *choose(const char *buf, size_t n, int *known)
{
	int score[32] = { 0 }, k, best = -1, lines = 0, sure = 0;
	const char *p = buf, *end = buf + n;
	while (p < end && lines < PROBE_LINES) {
		const char *nl = line_end(p, (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		while (len > 0 && *p == '\0')	/* as the line loop skips them */
			p++, len--;
		/* probes look at a line's beginning: a one-line JSON dump is long */
		if (len > 0) {
			for (k = 0; k < 32 && nl_parsers[k]; k++) {
				int v = nl_parsers[k]->probe(p, len < PROBE_BYTES ? len : PROBE_BYTES);
				score[k] += v;
				sure |= v == 2;
			}
			lines++;
		}
		p = nl ? nl + 1 : end;
	}
	for (k = 0; k < 32 && nl_parsers[k]; k++)
		if (score[k] > 0 && (best < 0 || score[k] > score[best]))
			best = k;
	/* a "maybe" on a few lines of random bytes ('[' ... ']') is no format */
	*known = best >= 0 && (sure || score[best] * 2 >= lines);
	return best >= 0 ? nl_parsers[best] : &nl_parser_klog;
}

/* 1 when the first line that is not blank is a supportconfig section's
 * header: the file is read section by section, whatever the sections hold. */
static int sections_first(const char *buf, size_t n)
{
	const char *p = buf, *end = buf + n;
	while (p < end) {
		const char *nl = line_end(p, (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (len > 0)
			return nl_parser_sections.probe(p, len < PROBE_BYTES ? len : PROBE_BYTES) == 2;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

/* Where a source's bytes come from: a file descriptor or an archive entry. */
struct reader {
	ssize_t (*read)(void *ctx, void *buf, size_t n);
	void *ctx;
	const char *what;	/* for messages */
};

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

/* The network namespace a file's path names (sos's ip_netns_exec_<ns>_...),
 * NULL for the host's: the same bytes of two namespaces are two sources. */
static const char *file_netns(const char *path, char *buf, size_t n)
{
	int unsure;
	return netns_of(path, buf, n, &unsure);
}

/* A source whose whole content is in the first block: 1 when the store
 * has the same content already (it is then not parsed), -1 on failure. */
static int known_whole(struct import *im, const char *buf, size_t n)
{
	struct nl_sha256 sha;
	char hex[65], ns[128];
	sha256_init(&sha);
	sha256_update(&sha, buf, n);
	if (sha256_hex(&sha, hex))
		return 0;
	return store_source_known(im->s, hex, default_host(im), file_netns(im->path, ns, sizeof ns));
}

/* Reads one source and feeds its lines to the chosen parser. */
static int import_stream(struct import *im, struct reader *rd, char **bufp, size_t *capp,
			 char *sha_out, const char **kind)
{
	char *buf = *bufp;
	size_t cap = *capp;
	const struct nl_parser *parser = NULL;
	struct nl_sink sink = { im, im->path, sink_event, sink_ruleset, sink_chain, sink_rule,
				sink_set, sink_element, sink_flow, sink_error, sink_skip, sink_object,
				sink_notice, sink_sysctl, sink_dump_time, sink_netns, sink_host };
	struct nl_sha256 sha;
	void *state = NULL;
	size_t have = 0;
	int eof = 0, rc = 0, overlong = 0, skip_lf = 0, cut = 0;
	long lineno = 0;
	char why[320];
	int64_t t0 = PROF_T0(), cpu0 = PROF_CPU0();

	sha256_init(&sha);
	im->unknown = 0;
	while (rc == 0) {
		size_t off = 0;
		if (!eof && have < cap) {
			ssize_t r = rd->read(rd->ctx, buf + have, cap - have < BLOCK ? cap - have : BLOCK);
			if (r < 0 && im->bytes == 0) {
				fprintf(stderr, "natlog: cannot read '%s': %s\n", nl_esc(im->path),
					rd->what ? nl_esc(rd->what) : strerror(errno));
				rc = -2;
				break;
			}
			if (r < 0) {
				/* a truncated or damaged file: what was read is kept, and
				 * the cut is an error at its line */
				snprintf(why, sizeof why, "input cut short here (%s); the lines before "
					 "are kept", rd->what ? nl_esc(rd->what) : strerror(errno));
				cut = 1;
				r = 0;
			}
			if (r == 0)
				eof = 1;
			sha256_update(&sha, buf + have, (size_t)r);
			have += (size_t)r;
			im->bytes += r;
			im->st->bytes += r;
			if (!eof && have < cap)
				continue;
		}
		if (!parser && !eof) {
			size_t z = 0;
			while (z < have && buf[z] == '\0')
				z++;
			if (z == have) {
				have = 0;	/* NUL bytes only so far: the probes want text */
				continue;
			}
		}
		if (!parser) {
			const struct nl_parser *bin = choose_binary(buf, have);
			int known = 1;
			draw_progress(im, 0);	/* at once, so short files show up too */
			if (eof && !cut && !bin && have > 0 && (rc = known_whole(im, buf, have)) != 0)
				break;	/* the same content, whole in the first block: not parsed */
			parser = bin ? bin : choose(buf, have, &known);
			/* a supportconfig file begins with a section's header */
			if (!bin && sections_first(buf, have))
				parser = &nl_parser_sections;
			im->unknown = !known && !looks_like_log(buf, have);
			/* a /proc/sys file holds a bare value: only its path says what */
			if (!bin && strstr(im->path, "proc/sys/")) {
				parser = &nl_parser_sysctl;
				im->unknown = 0;
			}
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
			if (buf[off] == '\0' && !overlong) {
				/* NUL bytes an unclean shutdown left, however many: part
				 * of no line, and no reason to call the next one overlong */
				while (off < have && buf[off] == '\0')
					off++;
				continue;
			}
			nl = line_end(buf + off, have - off);
			if (!nl && !eof && off > 0)
				break;	/* move the partial line to the front, read more */
			if (!nl && cut) {
				/* the last line's end is lost: it may be cut too */
				im->cuts++;
				cut = 0;
				rc = sink_error(im, lineno + 1, why, buf + off, have - off);
				off = have;
				break;
			}
			if (!nl && !eof && parser->part && !overlong) {
				/* a line that fills the whole buffer, for a format that
				 * reads it piece by piece */
				rc = parser->part(state, buf + off, have - off, lineno + 1);
				off = have;
				break;
			}
			if (!nl && !eof) {
				/* a line that fills the whole buffer: grow it as far as the
				 * format allows, else skip the line */
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
			{
				/* NUL bytes an unclean shutdown left before a line */
				const char *t = buf + off;
				size_t tl = len;
				while (tl > 0 && *t == '\0')
					t++, tl--;
				if (tl > 0)
					rc = parser->line(state, t, tl, lineno);
			}
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
	if (cut && rc == 0) {	/* cut at a line's end */
		im->cuts++;
		rc = sink_error(im, lineno + 1, why, NULL, 0);
	}
	if (im->o->progress)
		nl_progress_note("storing and analysing", im->top, im->path);
	if (state && parser->close(state) && rc == 0)
		rc = -1;
	if (im->relay) {
		int64_t t1 = PROF_T0();
		if (relay_finish(im->relay) && rc == 0)
			rc = -1;
		PROF_ADD(NL_P_DRAIN, t1);
		im->relay = NULL;
	}
	PROF_CPU_ADD(NL_P_PARSE_CPU, cpu0);
	PROF_ADD(NL_P_STREAM, t0);
	if (rc == 0 && im->ruleset_id > 0 && store_ruleset_done(im->s, im->ruleset_id))
		rc = -1;
	if (sha256_hex(&sha, sha_out) && rc == 0) {
		fprintf(stderr, "natlog: cannot hash '%s': %s\n", nl_esc(im->path), sha256_why());
		rc = -1;
	}
	return rc;
}

/* A failed store took the open transaction with it: the sources it held
 * since the last commit are not in the store and no longer counted. */
static void group_lost(struct import *im)
{
	int64_t n = im->st->files - im->committed.files;
	if (n > 0)
		fprintf(stderr, "natlog: the %lld file%s imported before it since the last commit "
			"%s not kept either\n", (long long)n, n == 1 ? "" : "s",
			n == 1 ? "is" : "are");
	*im->st = im->committed;
	im->st->store_failed = 1;
	corr_free(im->prev_corr);	/* its packets went too */
	im->prev_corr = NULL;
}

/* One source (a file, stdin, or an archive member), kept whole or not at
 * all: a savepoint inside the transaction small sources share. */
static int import_source(struct import *im, const char *path, struct reader *rd, char **buf,
			 size_t *cap)
{
	struct nl_source_counts c;
	char sha[65], ns[128];
	const char *kind = "unknown";
	int rc;
	int64_t t0;

	im->path = path;
	im->sect_ns[0] = '\0';
	im->ns_told = 0;
	im->path_ns_known = 0;
	im->file_host[0] = '\0';
	im->source_id = im->ruleset_id = 0;
	im->lines = im->events = im->errors = im->skipped = im->rulesets = im->bytes = im->dups = 0;
	im->losses = im->lost = im->health = im->ct_drops = im->ct_drops_netns = 0;
	im->losses_netns = im->losses_ct = im->losses_mon = 0;
	im->ct_drops_ns[0] = '\0';
	im->boot_us = im->o->boot_us;
	if (!store_in_tx(im->s))
		im->committed = *im->st;	/* what a store failure leaves counted */
	if (store_source_begin(im->s))
		goto store_bad_tx;
	im->source_id = store_source_add(im->s, path, default_host(im),
					 file_netns(path, ns, sizeof ns));
	if (im->source_id < 0)
		goto store_bad_tx;
	im->may_dup = store_other_events(im->s, im->source_id);
	im->fp_index = 0;	/* a rolled-back source may have taken the index with it */
	if (im->may_dup < 0)
		goto store_bad_tx;
	im->corr = corr_new(im->s, im->source_id);
	if (!im->corr)
		goto store_bad_tx;
	corr_carry(im->corr, im->prev_corr);
	rc = import_stream(im, rd, buf, cap, sha, &kind);
	if (rc == -2) {
		im->st->failed++;
		goto rollback;
	}
	if (rc < 0 || im->store_failed)
		goto store_bad_tx;
	if (rc == 1)
		goto known;
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
known:
		if (!im->o->quiet)
			fprintf(stderr, "natlog: '%s' was imported before (same content); nothing added\n",
				nl_esc(path));
		im->st->already++;
		goto rollback;
	}
	if (im->rulesets > 0 && store_reanalyze_source(im->s, im->source_id))
		goto store_bad_tx;
	/* captures and conntrack may show an inferred drop went through */
	if (im->evidence > 0 && store_reanalyze_drops(im->s))
		goto store_bad_tx;
	t0 = PROF_T0();
	if (store_source_keep(im->s, im->bytes))
		goto store_bad_tx;
	PROF_ADD(NL_P_COMMIT, t0);
	im->st->files++;
	if (im->unknown && im->lines > 0 && !im->events && !im->rulesets && !im->errors &&
	    !im->losses && !im->health && !im->ct_drops) {
		if (!im->st->unknown++)
			nl_strlcpy(im->st->unknown_first, path, sizeof im->st->unknown_first);
	}
	im->st->lines += im->lines;
	im->st->events += im->events;
	im->st->errors += im->errors;
	im->st->skipped += im->skipped;
	im->st->rulesets += im->rulesets;
	im->st->dups += im->dups;
	im->st->losses += im->losses;
	im->st->lost += im->lost;
	im->st->health += im->health;
	im->st->ct_drops += im->ct_drops;
	im->st->ct_drops_netns += im->ct_drops_netns;
	im->st->losses_netns += im->losses_netns;
	im->st->losses_ct += im->losses_ct;
	im->st->losses_mon += im->losses_mon;
	merge_names(im->st->ct_drops_ns, sizeof im->st->ct_drops_ns, im->ct_drops_ns);
	im->st->packets += corr_packets(im->corr);
	corr_free(im->prev_corr);	/* what it left open, the next file may go on with */
	im->prev_corr = im->corr;
	im->corr = NULL;
	return 0;
rollback:
	corr_free(im->corr);
	im->corr = NULL;
	if (store_source_undo(im->s))
		goto store_bad_tx;
	return 0;
store_bad_tx:
	fprintf(stderr, "natlog: store failure while importing '%s': %s\n", nl_esc(path),
		nl_esc(store_errmsg(im->s)));
	store_rollback(im->s);
	corr_free(im->corr);
	im->corr = NULL;
	group_lost(im);
	return -1;
}

/* A bundle name's date, "2026-11-20" or supportconfig's "261120": the day
 * after it, the last its syslog lines can be of. A date that is none
 * leaves what was known. */
static void bundle_date(struct bundle_date *d, const char *s, int yymmdd)
{
	uint64_t y, m, day;
	struct tm tm;
	int ok = yymmdd ? nl_parse_u64(s, 2, 99, &y) && nl_parse_u64(s + 2, 2, 12, &m) &&
				  nl_parse_u64(s + 4, 2, 31, &day)
			: nl_parse_u64(s, 4, 9999, &y) && nl_parse_u64(s + 5, 2, 12, &m) &&
				  nl_parse_u64(s + 8, 2, 31, &day);
	if (!ok || m < 1 || day < 1 || (!yymmdd && y < 1000))
		return;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (yymmdd ? 2000 + (int)y : (int)y) - 1900;	/* scc's two digits */
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)day + 1;	/* timegm() carries it into the next month */
	tm.tm_hour = 12;
	if (timegm(&tm) == (time_t)-1)
		return;
	d->last_year = tm.tm_year + 1900;
	d->last_md = tm.tm_mon * 32 + tm.tm_mday;
}

/* "sosreport-node7-2026-11-20-abcdefg" (an optional case id before the
 * date), supportconfig's "scc_node7_261121_1530" (an optional SR number
 * before the host, a unique id after the time: supportutils'
 * normalize_base()), or the Rancher logs collector's
 * "node7-2026-11-21_15_30_00" (rancher2_logs_collector.sh's LOGNAME,
 * $(hostname)-$(date +'%Y-%m-%d_%H_%M_%S')): the host the bundle came
 * from, and the year its syslog lines (which print none) were written in.
 * eks-log-collector.sh's archive, "eks_i-0abc_2026-11-21_1530-UTC_0.7.9.tar.gz",
 * gives the year only: its instance id is not the host name the node's
 * syslog lines carry. A name nearer the member (a sosreport inside sos
 * collect's archive) is taken over one further out; a member's path
 * without such a name keeps what is set, until the archive that set it
 * ends. */
static void bundle_host(struct import *im, const char *member)
{
	static const char *pat = "^(?:[^/]*/)*(?:sosreport-([A-Za-z0-9._-]+?)(?:-[0-9]+)?-([0-9]{4}-[0-9]{2}-[0-9]{2})-[a-z0-9]+"
				 "|scc_(?:SR[0-9]+_)?([A-Za-z0-9._-]+?)_([0-9]{6})_[0-9]{4}(?:_[0-9A-Za-z-]+)?"
				 "|([A-Za-z0-9._-]+?)-([0-9]{4}-[0-9]{2}-[0-9]{2})_[0-9]{2}_[0-9]{2}_[0-9]{2}"
				 "|eks_(?:i-[0-9a-f]+)?_([0-9]{4}-[0-9]{2}-[0-9]{2})_[0-9]{4}-[A-Za-z]+_[0-9.]+\\.tar\\.gz$)(?:/|$)";
	pcre2_match_data *md;
	int err, g;
	PCRE2_SIZE off, *ov;
	if (!im->sos_re) {
		im->sos_re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
		if (!im->sos_re)
			return;
		pcre2_jit_compile(im->sos_re, PCRE2_JIT_COMPLETE);
	}
	md = pcre2_match_data_create_from_pattern(im->sos_re, NULL);
	if (!md || pcre2_match(im->sos_re, (PCRE2_SPTR)member, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) < 2)
		goto out;
	ov = pcre2_get_ovector_pointer(md);
	/* the first group set says which name it is: host and year, or year */
	for (g = 1; g < 7 && ov[2 * g] == PCRE2_UNSET; g += 2)
		;
	if (g == 7) {
		im->bundle_host[0] = '\0';
	} else {
		nl_strlcpyn(im->bundle_host, member + ov[2 * g], ov[2 * g + 1] - ov[2 * g],
			    sizeof im->bundle_host);
		g++;
	}
	bundle_date(&im->bdate, member + ov[2 * g], g == 4);
out:
	pcre2_match_data_free(md);
}

/* The files in which container platforms' collectors write hostname(1)'s
 * output: cilium-bugtool's "cmd/hostname.md" (bugtool/cmd/configuration.go
 * runs "hostname"; writeCmdToFile() names the file after the command and,
 * in Markdown mode, writes "# hostname", an empty line and the output
 * between ``` fences), calicoctl node diags' "diagnostics/hostname"
 * (commands/node/diags.go, the output alone). The length of the name's
 * collector part, or 0 when path is no such file. */
static size_t hostname_file(const char *path)
{
	static const char *const names[] = { "cmd/hostname.md", "diagnostics/hostname" };
	size_t n = strlen(path), i, k;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		k = strlen(names[i]);
		if (n >= k && !strcmp(path + n - k, names[i]) && (n == k || path[n - k - 1] == '/'))
			return k;
	}
	return 0;
}

/* The host name such a file holds, from its first bytes: the output's
 * first line (in cilium's Markdown, the line after the opening fence), a
 * name as hostname(1) prints it; 0 when it holds none (a command that
 * failed, an empty output). */
static int hostname_in(const unsigned char *b, size_t n, char *out, size_t outn)
{
	struct nl_cur c = cur_make((const char *)b, n);
	const char *l;
	size_t len, i;
	if (cur_left(&c) >= 2 && c.p[0] == '#' && c.p[1] == ' ') {
		while (cur_left(&c) >= 4 && memcmp(c.p, "```\n", 4)) {	/* to the fence */
			const char *e = memchr(c.p, '\n', cur_left(&c));
			if (!e)
				return 0;
			c.p = e + 1;
		}
		if (cur_left(&c) < 4)
			return 0;
		c.p += 4;
	}
	l = c.p;
	for (len = 0; len < cur_left(&c) && l[len] != '\n' && l[len] != '\r'; len++)
		;
	if (len == 0 || len >= outn || len == cur_left(&c))
		return 0;	/* none, too long, or cut off before its end */
	for (i = 0; i < len; i++)
		if (!((l[i] >= 'a' && l[i] <= 'z') || (l[i] >= 'A' && l[i] <= 'Z') ||
		      (l[i] >= '0' && l[i] <= '9') || l[i] == '-' || l[i] == '.' || l[i] == '_'))
			return 0;
	nl_strlcpyn(out, l, len, outn);
	return 1;
}

/* A hostname file of a directory read: its host for the files under the
 * directory that holds its collector part. The list of files is looked
 * through before any is read, so the name is known for all of them,
 * whatever their order. -1 without memory. */
static int note_hostname_file(struct import *im, const char *path, size_t k)
{
	unsigned char b[512];
	char host[128];
	struct named_host *p;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* said when it is imported */
	r = read(fd, b, sizeof b);
	close(fd);
	if (r <= 0 || !hostname_in(b, (size_t)r, host, sizeof host)) {
		fprintf(stderr, "natlog: warning: '%s' names no host; the files beside it "
				"keep none\n", nl_esc(path));
		return 0;
	}
	p = realloc(im->named, (im->nnamed + 1) * sizeof *p);
	if (!p)
		return -1;
	im->named = p;
	p += im->nnamed;
	if (!(p->dir = strndup(path, strlen(path) - k)))
		return -1;
	nl_strlcpy(p->host, host, sizeof p->host);
	im->nnamed++;
	return 0;
}

/* The host a hostname file gives the file at path, when its bundle's
 * name gave none: that of the deepest directory holding both. */
static void named_host_of(struct import *im, const char *path)
{
	size_t i, best = 0, k;
	const char *host = NULL;
	for (i = 0; i < im->nnamed; i++) {
		k = strlen(im->named[i].dir);
		if (k >= best && !strncmp(path, im->named[i].dir, k)) {
			best = k;
			host = im->named[i].host;
		}
	}
	if (host && !im->bundle_host[0])
		nl_strlcpy(im->bundle_host, host, sizeof im->bundle_host);
}

/* Compressed files and archives (tar, zip) are read as streams through
 * libarchive, never extracted and never held whole: each level reads the
 * entry of the level above through a callback, so a member of a member of
 * a .tar.zst costs a few buffers, whatever its size. Every member is a
 * source of its own, named "archive:member". What a stream holds is told
 * by its first bytes, on stdin and inside archives as for files. */
#define HEAD 512		/* enough for the tar magic at 257 */
#define MAX_NEST 8		/* levels of compression and archives */
#define LEVEL_BUF (1 << 16)
#define DUP_PEEK (1 << 20)	/* nested archives this small are hashed before they are opened */
#define XZ_MEMLIMIT ((uint64_t)256 << 20)

struct decoder;

struct stream {
	struct import *im;
	int fd;			/* read when a and dec are NULL */
	struct archive *a;	/* else the archive whose current entry this is */
	struct decoder *dec;	/* or the decoder of a compressed stream */
	int expands;		/* the entry's bytes count as expansion (not a tar member) */
	unsigned char *pre;	/* read ahead to see what it holds, given back first */
	size_t pren, preoff, precap;
	int eof, dead;		/* the end was read; a read failed, msg says why */
	int64_t left;		/* what the entry may still expand to */
	int over;		/* 1: past --max-entry-size, 2: past --max-expansion */
	const unsigned char *blk;	/* the archive's block being read: libarchive's */
	size_t blklen, blkoff;
	int64_t blkat, pos;	/* where the block goes in the entry; where the reading is */
	char msg[256];
};

static ssize_t dec_read(struct decoder *d, void *out, size_t n);
static const char *dec_msg(const struct decoder *d);

/* The bytes of an archive member, block by block (archive_read_data()
 * would drop what it had gathered when a later block fails), or of what
 * was compressed. */
static ssize_t entry_data(struct stream *s, void *buf, size_t n)
{
	size_t k;
	if (s->dec) {
		ssize_t r = dec_read(s->dec, buf, n);
		if (r < 0)
			snprintf(s->msg, sizeof s->msg, "%s", dec_msg(s->dec));
		return r;
	}
	while (s->blkoff == s->blklen) {
		const void *p;
		size_t len;
		la_int64_t at;
		int r = archive_read_data_block(s->a, &p, &len, &at);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			const char *e = archive_error_string(s->a);
			snprintf(s->msg, sizeof s->msg, "%s", e && *e ? e : "damaged archive");
			return -1;
		}
		s->blk = p;
		s->blklen = len;
		s->blkoff = 0;
		s->blkat = at;
	}
	if (s->pos < s->blkat) {	/* a hole of a sparse member */
		k = (int64_t)n < s->blkat - s->pos ? n : (size_t)(s->blkat - s->pos);
		memset(buf, 0, k);
	} else {
		k = s->blklen - s->blkoff < n ? s->blklen - s->blkoff : n;
		memcpy(buf, s->blk + s->blkoff, k);
		s->blkoff += k;
	}
	s->pos += (int64_t)k;
	return (ssize_t)k;
}

static ssize_t stream_raw(struct stream *s, void *buf, size_t n)
{
	struct import *im = s->im;
	int64_t room = im->o->max_expansion - im->expanded;
	la_ssize_t r;
	if (s->dead)
		return -1;
	if (s->eof)
		return 0;
	if (!s->a && !s->dec) {
		do
			r = read(s->fd, buf, n);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			snprintf(s->msg, sizeof s->msg, "%s", strerror(errno));
			s->dead = 1;
		}
		s->eof = r == 0;
		/* the file's own bytes, compressed or not, move the progress line */
		nl_progress_bytes(r);
		return r;
	}
	if (im->exp_over) {
		snprintf(s->msg, sizeof s->msg, "not read: the import reached --max-expansion (%lld bytes)",
			 (long long)im->o->max_expansion);
		s->dead = 1;
		return -1;
	}
	if (s->left <= 0 || (s->expands && room <= 0)) {
		char probe[1];
		/* at a limit: only an entry that really goes on is cut */
		r = entry_data(s, probe, 1);
		if (r > 0 && s->left <= 0) {
			s->over = 1;
			snprintf(s->msg, sizeof s->msg, "expands beyond %lld bytes (--max-entry-size)",
				 (long long)im->o->max_entry);
		} else if (r > 0) {
			s->over = 2;
			im->exp_over = 1;
			snprintf(s->msg, sizeof s->msg, "the import expands beyond %lld bytes here "
				 "(--max-expansion)", (long long)im->o->max_expansion);
		}
		if (r > 0)
			r = -1;
	} else {
		if ((int64_t)n > s->left)
			n = (size_t)s->left;
		if (s->expands && (int64_t)n > room)
			n = (size_t)room;
		r = entry_data(s, buf, n);
		if (r > 0) {
			s->left -= r;
			if (s->expands)
				im->expanded += r;
		}
	}
	s->dead = r < 0;
	s->eof = r == 0;
	return r < 0 ? -1 : (ssize_t)r;
}

static ssize_t stream_read(void *ctx, void *buf, size_t n)
{
	struct stream *s = ctx;
	if (s->preoff < s->pren) {
		size_t k = s->pren - s->preoff < n ? s->pren - s->preoff : n;
		memcpy(buf, s->pre + s->preoff, k);
		s->preoff += k;
		return (ssize_t)k;
	}
	return stream_raw(s, buf, n);
}

/* Reads ahead until `want` bytes, the end or a failure (kept for later). */
static int stream_fill(struct stream *s, size_t want)
{
	if (s->precap < want) {
		unsigned char *p = realloc(s->pre, want);
		if (!p)
			return -1;
		s->pre = p;
		s->precap = want;
	}
	while (s->pren < want && !s->eof && !s->dead) {
		ssize_t r = stream_raw(s, s->pre + s->pren, want - s->pren);
		if (r > 0)
			s->pren += (size_t)r;
	}
	return 0;
}

/* 'g' gzip, 'x' xz, 'b' bzip2, 'z' zstd, 'a' an archive, 0 anything
 * else (text led by NUL bytes, which an unclean shutdown leaves, too). */
static int container_of(const unsigned char *m, size_t n)
{
	if (n >= 3 && m[0] == 0x1f && m[1] == 0x8b && m[2] == 8)
		return 'g';
	if (n >= 6 && !memcmp(m, "\xfd" "7zXZ\0", 6))
		return 'x';
	if (n >= 10 && !memcmp(m, "BZh", 3) && m[3] >= '1' && m[3] <= '9' &&
	    (!memcmp(m + 4, "1AY&SY", 6) || !memcmp(m + 4, "\x17rE8P\x90", 6)))
		return 'b';			/* a block, or the end of an empty stream */
	if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
		return 'z';
	if (n >= 4 && !memcmp(m, "PK\3\4", 4))
		return 'a';			/* zip */
	if (n >= 262 && !memcmp(m + 257, "ustar", 5))
		return 'a';			/* tar */
	return 0;
}

/* Reading an archive from the stream of the level above. */
struct level {
	struct stream *up;
	unsigned char *buf;
};

static la_ssize_t level_read(struct archive *a, void *ctx, const void **out)
{
	struct level *lv = ctx;
	ssize_t r = stream_read(lv->up, lv->buf, LEVEL_BUF);
	*out = lv->buf;
	if (r < 0) {
		archive_set_error(a, EIO, "%s", lv->up->msg);
		return ARCHIVE_FATAL;
	}
	return (la_ssize_t)r;
}

/* A compressed stream (gzip, xz, bzip2, zstd, also several concatenated)
 * decoded here rather than by libarchive, which drops the block it was
 * decoding when the input is cut short: every byte that decodes reaches
 * the parsers, then the cut is an error. */
struct decoder {
	int kind;		/* 'g', 'x', 'b', 'z' */
	struct stream *up;
	unsigned char *in;
	size_t inn, inoff;
	int in_eof, ended, started;	/* a member ended; one was begun */
	z_stream z;
	lzma_stream x;
	bz_stream b;
	ZSTD_DStream *zs;
	char msg[256];
};

static const char *dec_name(int kind)
{
	return kind == 'g' ? "gzip" : kind == 'x' ? "xz" : kind == 'b' ? "bzip2" : "zstd";
}

static int dec_begin(struct decoder *d)
{
	d->ended = 0;
	switch (d->kind) {
	case 'g':
		memset(&d->z, 0, sizeof d->z);
		return inflateInit2(&d->z, 15 + 16) == Z_OK ? 0 : -1;
	case 'x':
		memset(&d->x, 0, sizeof d->x);
		/* xz -9 needs 65 MiB; a header may ask for gigabytes */
		return lzma_stream_decoder(&d->x, XZ_MEMLIMIT, LZMA_CONCATENATED) == LZMA_OK ? 0 : -1;
	case 'b':
		memset(&d->b, 0, sizeof d->b);
		return BZ2_bzDecompressInit(&d->b, 0, 0) == BZ_OK ? 0 : -1;
	default:
		return (d->zs = ZSTD_createDStream()) ? 0 : -1;
	}
}

static void dec_end(struct decoder *d)
{
	if (!d->started)
		return;
	d->started = 0;
	if (d->kind == 'g')
		inflateEnd(&d->z);
	else if (d->kind == 'x')
		lzma_end(&d->x);
	else if (d->kind == 'b')
		BZ2_bzDecompressEnd(&d->b);
	else
		ZSTD_freeDStream(d->zs);
}

/* One step: *used input bytes taken, *made output bytes given; 1 at the
 * end of a member, 0 to go on, -1 on damage (msg). */
static int dec_step(struct decoder *d, void *out, size_t n, size_t *used, size_t *made)
{
	const unsigned char *in = d->in + d->inoff;
	size_t avail = d->inn - d->inoff;
	int r;
	if (d->kind == 'g') {
		d->z.next_in = (unsigned char *)in;
		d->z.avail_in = (uInt)avail;
		d->z.next_out = out;
		d->z.avail_out = (uInt)n;
		r = inflate(&d->z, Z_NO_FLUSH);
		*used = avail - d->z.avail_in;
		*made = n - d->z.avail_out;
		if (r == Z_STREAM_END)
			return 1;
		if (r == Z_OK || r == Z_BUF_ERROR)
			return 0;
		snprintf(d->msg, sizeof d->msg, "damaged gzip data: %s", d->z.msg ? d->z.msg : "?");
		return -1;
	}
	if (d->kind == 'x') {
		lzma_ret x;
		d->x.next_in = in;
		d->x.avail_in = avail;
		d->x.next_out = out;
		d->x.avail_out = n;
		x = lzma_code(&d->x, d->in_eof ? LZMA_FINISH : LZMA_RUN);
		*used = avail - d->x.avail_in;
		*made = n - d->x.avail_out;
		if (x == LZMA_STREAM_END)
			return 1;
		if (x == LZMA_OK || (x == LZMA_BUF_ERROR && d->in_eof && !*used && !*made))
			return 0;	/* the caller tells a cut from the end */
		if (x == LZMA_MEMLIMIT_ERROR)
			snprintf(d->msg, sizeof d->msg, "the xz data needs more than %d MiB of memory to "
				 "decode", (int)(XZ_MEMLIMIT >> 20));
		else
			snprintf(d->msg, sizeof d->msg, "damaged xz data (liblzma error %d)", (int)x);
		return -1;
	}
	if (d->kind == 'b') {
		d->b.next_in = (char *)in;
		d->b.avail_in = (unsigned)avail;
		d->b.next_out = out;
		d->b.avail_out = (unsigned)n;
		r = BZ2_bzDecompress(&d->b);
		*used = avail - d->b.avail_in;
		*made = n - d->b.avail_out;
		if (r == BZ_STREAM_END)
			return 1;
		if (r == BZ_OK)
			return 0;
		snprintf(d->msg, sizeof d->msg, "damaged bzip2 data (libbz2 error %d)", r);
		return -1;
	}
	{
		ZSTD_inBuffer ib = { in, avail, 0 };
		ZSTD_outBuffer ob = { out, n, 0 };
		size_t z = ZSTD_decompressStream(d->zs, &ob, &ib);
		*used = ib.pos;
		*made = ob.pos;
		if (ZSTD_isError(z)) {
			snprintf(d->msg, sizeof d->msg, "damaged zstd data: %s", ZSTD_getErrorName(z));
			return -1;
		}
		return z == 0;	/* a frame is complete and flushed */
	}
}

/* Decoded bytes: up to n, 0 at the end, -1 on damage or a cut (msg). */
static ssize_t dec_read(struct decoder *d, void *out, size_t n)
{
	int idle = 0;
	for (;;) {
		size_t used = 0, made = 0;
		int r;
		if (d->inoff == d->inn && !d->in_eof) {
			ssize_t k = stream_read(d->up, d->in, LEVEL_BUF);
			if (k < 0) {
				memcpy(d->msg, d->up->msg, sizeof d->msg);
				return -1;
			}
			d->inn = (size_t)k;
			d->inoff = 0;
			d->in_eof = k == 0;
		}
		if (d->ended && d->inoff == d->inn && d->in_eof)
			return 0;
		if (d->ended && d->kind != 'z') {
			/* another member follows, or padding (NUL bytes after a
			 * gzip on tape), which ends the stream as gzip -d does */
			unsigned char c = d->in[d->inoff];
			if ((d->kind == 'g' && c != 0x1f) || (d->kind == 'b' && c != 'B') || d->kind == 'x')
				return 0;
			dec_end(d);
			if (dec_begin(d)) {
				snprintf(d->msg, sizeof d->msg, "cannot start the %s decoder", dec_name(d->kind));
				return -1;
			}
			d->started = 1;
		}
		r = dec_step(d, out, n, &used, &made);
		d->inoff += used;
		if (r < 0)
			return -1;
		if (r == 1)
			d->ended = 1;
		else if (used || made)
			d->ended = d->kind == 'z' ? 0 : d->ended;
		if (made)
			return (ssize_t)made;
		if (used || r == 1) {
			idle = 0;
			continue;
		}
		if (d->inoff == d->inn && d->in_eof) {
			snprintf(d->msg, sizeof d->msg, "truncated %s input", dec_name(d->kind));
			return -1;
		}
		if (d->inoff < d->inn && ++idle > 2) {
			snprintf(d->msg, sizeof d->msg, "damaged %s data", dec_name(d->kind));
			return -1;
		}
	}
}

static const char *dec_msg(const struct decoder *d)
{
	return d->msg;
}

/* 1 when an archive member with these bytes was opened before in this
 * import (a bundle of copies is opened once), 0 when not (it is noted),
 * -1 without memory. */
static int seen_member(struct import *im, const unsigned char *p, size_t n)
{
	struct nl_sha256 sha;
	char hex[65];
	size_t i, h;
	sha256_init(&sha);
	sha256_update(&sha, p, n);
	if (sha256_hex(&sha, hex))
		return 0;
	if (im->nseen * 2 >= im->seencap) {
		size_t cap = im->seencap ? im->seencap * 2 : 64;
		char **t = calloc(cap, sizeof *t);
		if (!t)
			return -1;
		for (i = 0; i < im->seencap; i++)
			if (im->seen[i]) {
				memcpy(&h, im->seen[i], sizeof h);
				for (h %= cap; t[h]; h = (h + 1) % cap)
					;
				t[h] = im->seen[i];
			}
		free(im->seen);
		im->seen = t;
		im->seencap = cap;
	}
	memcpy(&h, hex, sizeof h);
	for (h %= im->seencap; im->seen[h]; h = (h + 1) % im->seencap)
		if (!strcmp(im->seen[h], hex))
			return 1;
	if (!(im->seen[h] = strdup(hex)))
		return -1;
	im->nseen++;
	return 0;
}

static int import_container(struct import *im, const char *name, struct stream *s, char **buf,
			    size_t *cap, int depth);
static int import_compressed(struct import *im, const char *name, struct stream *s, int kind,
			     char **buf, size_t *cap, int depth);

/* A stream of any kind: a container is opened, anything else imported. */
static int import_any(struct import *im, const char *name, struct stream *s, char **buf,
		      size_t *cap, int depth)
{
	struct reader rd = { stream_read, s, s->msg };
	char why[256];
	int kind;
	if (stream_fill(s, HEAD))
		return -1;
	kind = container_of(s->pre, s->pren);
	if (!kind)
		return import_source(im, name, &rd, buf, cap);
	if (depth >= MAX_NEST) {
		fprintf(stderr, "natlog: '%s' is compressed or archived more than %d levels deep; "
				"not read\n", nl_esc(name), MAX_NEST);
		im->st->failed++;
		return 0;
	}
	if (kind == 'a' ? nl_dl_archive(why, sizeof why) : nl_dl_decompressor(kind, why, sizeof why)) {
		fprintf(stderr, "natlog: cannot read '%s': %s\n", nl_esc(name), nl_esc(why));
		im->st->failed++;
		return 0;
	}
	if (kind != 'a')
		return import_compressed(im, name, s, kind, buf, cap, depth);
	return import_container(im, name, s, buf, cap, depth);
}

/* One member (or the content of a compressed file). */
static int import_member(struct import *im, const char *name, struct stream *child, int decoded,
			 char **buf, size_t *cap, int depth)
{
	int seen;
	if (stream_fill(child, HEAD))
		return -1;
	/* (a decoded stream is one of a kind: its bytes were counted above) */
	if (!decoded && container_of(child->pre, child->pren)) {
		if (stream_fill(child, DUP_PEEK))
			return -1;
		if (child->eof && !child->dead) {
			if ((seen = seen_member(im, child->pre, child->pren)) < 0)
				return -1;
			if (seen) {
				if (!im->o->quiet)
					fprintf(stderr, "natlog: '%s' has the same bytes as an archive "
							"read before; not read again\n", nl_esc(name));
				im->st->already++;
				return 0;
			}
		}
	}
	return import_any(im, name, child, buf, cap, depth + 1);
}

/* After a member: what a limit cut. */
static void report_over(struct import *im, const char *name, const struct stream *child)
{
	if (child->over == 1) {
		fprintf(stderr, "natlog: '%s' expands beyond %lld bytes (decompression bomb?); "
				"the rest of it was not read\n", nl_esc(name), (long long)im->o->max_entry);
		im->st->failed++;
	} else if (child->over == 2) {
		fprintf(stderr, "natlog: '%s' takes the import beyond %lld expanded bytes "
				"(--max-expansion); the rest of it and of any compressed input "
				"after it is not read\n", nl_esc(name), (long long)im->o->max_expansion);
		im->st->failed++;
	}
}

/* The content of a compressed stream, whatever it is. */
static int import_compressed(struct import *im, const char *name, struct stream *s, int kind,
			     char **buf, size_t *cap, int depth)
{
	struct decoder d;
	struct stream child;
	int rc;
	memset(&d, 0, sizeof d);
	d.kind = kind;
	d.up = s;
	if (!(d.in = malloc(LEVEL_BUF)))
		return -1;
	if (dec_begin(&d)) {
		fprintf(stderr, "natlog: cannot read '%s': cannot start the %s decoder\n", nl_esc(name),
			dec_name(kind));
		im->st->failed++;
		free(d.in);
		return 0;
	}
	d.started = 1;
	memset(&child, 0, sizeof child);
	child.im = im;
	child.fd = -1;
	child.dec = &d;
	child.expands = 1;
	child.left = im->o->max_entry;
	rc = import_member(im, name, &child, 1, buf, cap, depth);
	report_over(im, name, &child);
	free(child.pre);
	dec_end(&d);
	free(d.in);
	return rc;
}

/* A hostname file met in an archive whose name gave no host: its host is
 * the bundle's from here on; the members read before it keep none, as an
 * archive is read once, which is said. */
static int member_hostname(struct import *im, const char *archive, const char *cname,
			   struct stream *child, long hostless)
{
	if (stream_fill(child, HEAD))
		return -1;
	if (!hostname_in(child->pre, child->pren, im->bundle_host, sizeof im->bundle_host)) {
		fprintf(stderr, "natlog: warning: '%s' names no host; the files beside it "
				"keep none\n", nl_esc(cname));
		return 0;
	}
	if (hostless && !im->o->host)
		fprintf(stderr, "natlog: warning: '%s' names its host '%s' after %ld members "
				"read without one; import with --host %s\n", nl_esc(archive),
			nl_esc(im->bundle_host), hostless, nl_esc(im->bundle_host));
	return 0;
}

/* Imports every regular member of an archive. */
static int import_container(struct import *im, const char *name, struct stream *s, char **buf,
			    size_t *cap, int depth)
{
	struct level lv = { s, malloc(LEVEL_BUF) };
	struct archive *a = lv.buf ? archive_read_new() : NULL;
	struct archive_entry *e;
	int64_t cuts = im->cuts;
	int r = ARCHIVE_OK, rc = 0;
	long hostless = 0;		/* members read without a host */
	char outer_host[sizeof im->bundle_host];
	struct bundle_date outer_date = im->bdate;
	/* each node's sosreport in one archive: its host ends with it */
	memcpy(outer_host, im->bundle_host, sizeof outer_host);
	if (!a) {
		free(lv.buf);
		return -1;
	}
	/* tar and zip only: other bidders (mtree) claim plain text; what
	 * was compressed was decoded above */
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	if (archive_read_open(a, &lv, NULL, level_read, NULL) != ARCHIVE_OK) {
		fprintf(stderr, "natlog: cannot read '%s': %s\n", nl_esc(name),
			nl_esc(archive_error_string(a)));
		im->st->failed++;
		goto out;
	}
	while (rc == 0 && ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		const char *member = archive_entry_pathname(e);
		int fmt = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
		struct stream child;
		char *cname;
		if (archive_entry_filetype(e) != AE_IFREG) {
			if (archive_entry_filetype(e) != AE_IFDIR)
				im->st->ignored++;	/* links and devices are never followed */
			continue;
		}
		if (member)
			bundle_host(im, member);
		im->member_mtime = archive_entry_mtime_is_set(e) ? (int64_t)archive_entry_mtime(e) : -1;
		if (asprintf(&cname, "%s:%s", name, member ? member : "?") < 0) {
			rc = -1;
			break;
		}
		memset(&child, 0, sizeof child);
		child.im = im;
		child.fd = -1;
		child.a = a;
		/* a tar member's bytes were counted when the tar was */
		child.expands = fmt != ARCHIVE_FORMAT_TAR;
		child.left = im->o->max_entry;
		cuts = im->cuts;
		if (member && hostname_file(member) && !im->bundle_host[0])
			rc = member_hostname(im, name, cname, &child, hostless);
		hostless += !default_host(im);
		if (rc == 0)
			rc = import_member(im, cname, &child, 0, buf, cap, depth);
		report_over(im, cname, &child);
		free(child.pre);
		free(cname);
	}
	im->member_mtime = -1;
	/* a cut the member's source reported (with its line) is not told twice */
	if (rc == 0 && r != ARCHIVE_EOF && r != ARCHIVE_OK && r != ARCHIVE_WARN &&
	    im->cuts == cuts && !im->exp_over) {
		fprintf(stderr, "natlog: '%s' is damaged: %s\n", nl_esc(name),
			nl_esc(archive_error_string(a)));
		im->st->failed++;
	}
out:
	memcpy(im->bundle_host, outer_host, sizeof outer_host);
	im->bdate = outer_date;
	archive_read_free(a);
	free(lv.buf);
	return rc;
}

/* A file imported before under this name and size is hashed first: when
 * the content is the same, it is not parsed again only to be rolled back.
 * Leaves fd at its start. */
static int imported_before(struct import *im, const char *path, int fd)
{
	struct stat sb;
	struct nl_sha256 sha;
	char hex[65], blk[1 << 16], ns[128];
	ssize_t r;
	int known = 0;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || store_source_seen_as(im->s, path, sb.st_size) != 1)
		return 0;
	sha256_init(&sha);
	while ((r = read(fd, blk, sizeof blk)) > 0)
		sha256_update(&sha, blk, (size_t)r);
	if (r == 0 && sha256_hex(&sha, hex) == 0)
		known = store_source_known(im->s, hex, default_host(im),
					   file_netns(path, ns, sizeof ns)) == 1;
	if (lseek(fd, 0, SEEK_SET) != 0)
		return 0;
	if (known) {
		if (!im->o->quiet)
			fprintf(stderr, "natlog: '%s' was imported before (same content); nothing added\n",
				nl_esc(path));
		im->st->already++;
	}
	return known;
}

/* A natlog store named on the command line (one per bundle, made where
 * the bundle was) is merged, as `natlog merge` does; any other SQLite
 * database is no input natlog reads. Not for archive members: a store is
 * read in place. */
static int import_store(struct import *im, const char *path, int fd)
{
	struct nl_merge_stats ms;
	struct nl_err err = { "" };
	char head[16];
	int version, rc;
	if (pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head || !nl_sqlite_head(head, sizeof head))
		return 0;
	memset(&ms, 0, sizeof ms);
	if (store_group_commit(im->s)) {	/* a merge is a transaction of its own */
		fprintf(stderr, "natlog: store failure: %s\n", nl_esc(store_errmsg(im->s)));
		store_rollback(im->s);
		group_lost(im);
		return -1;
	}
	corr_free(im->prev_corr);	/* no file goes on from another store's */
	im->prev_corr = NULL;
	rc = store_merge_check(path, NULL, &version, &err) ? -2
	     : store_merge(im->s, path, version, &ms, &err);
	if (rc == -1) {
		fprintf(stderr, "natlog: store failure while merging '%s': %s\n", nl_esc(path),
			nl_esc(store_errmsg(im->s)));
		im->st->store_failed = 1;
		return -1;
	}
	if (rc == -2) {
		fprintf(stderr, "natlog: %s; not read\n", nl_esc(err.msg));
		im->st->failed++;
		return 1;
	}
	if (ms.sources == 0) {
		if (!im->o->quiet)
			fprintf(stderr, "natlog: '%s' is a natlog store holding nothing new; nothing "
					"added\n", nl_esc(path));
		im->st->already++;
		return 1;
	}
	if (!im->o->quiet && im->o->host)
		fprintf(stderr, "natlog: '%s' is a natlog store: its sources keep their own hosts, "
				"not --host\n", nl_esc(path));
	im->st->files += ms.sources;
	im->st->already += ms.already;
	im->st->packets += ms.packets;
	im->st->events += ms.events;
	im->st->rulesets += ms.rulesets;
	im->st->errors += ms.errors;
	im->st->dups += ms.dropped;
	if (ms.dups)
		fprintf(stderr, "natlog: warning: %lld kernel lines of '%s' were in the store already, "
				"in packets only partly there: kept twice\n", (long long)ms.dups,
			nl_esc(path));
	return 1;
}

/* SQLite reads a store in place, so one on standard input cannot be
 * merged; read as text it would be one long error, unlike the same file
 * named. */
static int stdin_store(struct import *im, struct stream *st)
{
	if (stream_fill(st, HEAD))
		return -1;
	if (!nl_sqlite_head(st->pre, st->pren))
		return 0;
	fprintf(stderr, "natlog: '-' is an SQLite database: a natlog store is merged from its "
			"file, named on the command line; not read\n");
	im->st->failed++;
	return 1;
}

static int import_one(struct import *im, const char *path, char **buf, size_t *cap)
{
	struct stream st;
	/* by name, not by descriptor: with stdin closed, open() gives 0 */
	int in = strcmp(path, "-") == 0;
	int rc;
	memset(&st, 0, sizeof st);
	st.im = im;
	st.fd = in ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (st.fd < 0) {
		fprintf(stderr, "natlog: cannot open '%s': %s\n", nl_esc(path), strerror(errno));
		im->st->failed++;
		return 0;
	}
	im->bundle_host[0] = '\0';
	memset(&im->bdate, 0, sizeof im->bdate);
	if (!in) {
		bundle_host(im, path);	/* a file of an unpacked sosreport */
		named_host_of(im, path);
	}
	im->top = path;
	if (!in && imported_before(im, path, st.fd)) {
		close(st.fd);
		return 0;
	}
	if (!in && (rc = import_store(im, path, st.fd)) != 0) {
		close(st.fd);
		return rc < 0 ? -1 : 0;
	}
	if (in && (rc = stdin_store(im, &st)) != 0) {
		free(st.pre);
		return rc < 0 ? -1 : 0;
	}
	rc = import_any(im, path, &st, buf, cap, 0);
	free(st.pre);
	if (!in)
		close(st.fd);
	return rc;
}

/* 1 when the file at path is a ruleset dump by its first lines, as
 * import_one's choice of parser would say; 0 for anything else, a file
 * that is not a regular one, or one not readable now. */
static int is_dump(const char *path, char *buf, size_t cap)
{
	static const struct nl_parser *const dumps[] = { &nl_parser_iptsave, &nl_parser_iptlist,
							&nl_parser_ebtables, &nl_parser_nftrules,
							&nl_parser_nftjson };
	const struct nl_parser *p;
	struct stat sb;
	ssize_t r;
	size_t have = 0, i;
	int fd, known;
	if (!strcmp(path, "-") || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	while (have < cap && (r = read(fd, buf + have, cap - have)) > 0)
		have += (size_t)r;
	close(fd);
	if (have == 0 || choose_binary(buf, have) || sections_first(buf, have))
		return 0;
	p = choose(buf, have, &known);
	for (i = 0; i < sizeof dumps / sizeof dumps[0]; i++)
		if (p == dumps[i] && known)
			return 1;
	return 0;
}

/* The ruleset dumps of the list first, the rest after them, each in the
 * order it had: a packet only logged is then analysed as its row is
 * written, with its host's dumps in the store (analyze_logged), and not
 * again after the import because a dump came after it. Archives' members
 * stay in the order they come in. */
static void dumps_first(struct filelist *l)
{
	enum { PEEK = 65536 };
	char *buf, **paths;
	int64_t *sizes;
	unsigned char *dump;
	size_t i, n = 0, pass;
	if (l->n < 2)
		return;
	buf = malloc(PEEK);
	paths = malloc(l->n * sizeof *paths);
	sizes = malloc(l->n * sizeof *sizes);
	dump = malloc(l->n);
	if (buf && paths && sizes && dump) {	/* else the order given: slower, not wrong */
		for (i = 0; i < l->n; i++)
			dump[i] = (unsigned char)is_dump(l->paths[i], buf, PEEK);
		for (pass = 0; pass < 2; pass++)
			for (i = 0; i < l->n; i++)
				if (dump[i] == !pass) {
					paths[n] = l->paths[i];
					sizes[n++] = l->sizes[i];
				}
		memcpy(l->paths, paths, n * sizeof *paths);
		memcpy(l->sizes, sizes, n * sizeof *sizes);
	}
	free(buf);
	free(paths);
	free(sizes);
	free(dump);
}

int ingest_paths(struct nl_store *s, char *const *paths, int n, const struct nl_import_opts *o,
		 struct nl_import_stats *st)
{
	struct filelist l = { 0 };
	struct import im;
	char *buf = NULL;
	size_t i, cap = BLOCK;
	int k, rc = 0;

	prof_init();
	memset(&im, 0, sizeof im);
	im.member_mtime = -1;
	im.s = s;
	im.o = o;
	im.st = st;
	for (k = 0; k < n && rc == 0; k++)
		rc = walk(&l, paths[k], 0, st);
	if (rc == 0)
		dumps_first(&l);
	if (o->block >= 64 && o->block < BLOCK)
		cap = o->block;
	for (i = 0; i < l.n && rc == 0; i++) {
		size_t hk = hostname_file(l.paths[i]);
		if (hk)
			rc = note_hostname_file(&im, l.paths[i], hk);
	}
	if (rc == 0)
		buf = malloc(cap);
	if (rc != 0 || !buf) {
		fprintf(stderr, "natlog: out of memory\n");
		rc = -1;
		goto out;
	}
	if (o->progress) {
		int64_t total = 0;
		for (i = 0; i < l.n && total >= 0; i++)
			total = l.sizes[i] >= 0 ? total + l.sizes[i] : -1;	/* a pipe: unknown */
		nl_progress_begin(total);
	}
	/* packets left unanalyzed by an interrupted import are finished first */
	for (i = 0; i < l.n && rc == 0; i++) {
		rc = import_one(&im, l.paths[i], &buf, &cap);
		nl_progress_file_end(l.sizes[i]);
	}
	draw_progress(&im, 1);
	if (!st->store_failed && store_group_commit(s)) {
		fprintf(stderr, "natlog: store failure: %s\n", nl_esc(store_errmsg(s)));
		store_rollback(s);
		group_lost(&im);
		rc = -1;
	}
	if (rc == 0) {
		int64_t t0 = PROF_T0();
		int bad = store_analysis_indexes(s) || store_settle(s) || store_begin(s) ||
			  analyze_pending(s, &st->analyzed, &st->restate_cut);
		PROF_ADD(NL_P_ANALYZE, t0);
		t0 = PROF_T0();
		if (bad || store_commit(s)) {
			fprintf(stderr, "natlog: store failure while analysing packets: %s\n",
				nl_esc(store_errmsg(s)));
			store_rollback(s);
			st->store_failed = 1;
			rc = -1;
		}
		PROF_ADD(NL_P_AN_COMMIT, t0);
	}
	store_prof_steps(s);
	prof_report();
out:
	corr_free(im.prev_corr);
	if (im.sos_re)
		pcre2_code_free(im.sos_re);
	for (i = 0; i < im.seencap; i++)
		free(im.seen[i]);
	free(im.seen);
	for (i = 0; i < im.nnamed; i++)
		free(im.named[i].dir);
	free(im.named);
	for (i = 0; i < l.n; i++)
		free(l.paths[i]);
	free(l.paths);
	free(l.sizes);
	free(buf);
	return rc;
}
