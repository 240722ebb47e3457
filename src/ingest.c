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
#include "analyze.h"
#include "sha256.h"
#include "store.h"
#include "../parsers/parser.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
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
	int64_t lines, events, errors, skipped, rulesets, bytes;
	int store_failed;
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
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
		fprintf(stderr, "natlog: cannot open '%s': %s\n", path, strerror(errno));
		st->failed++;
		return 0;
	}
	if (S_ISREG(sb.st_mode))
		return add_file(l, path, (int64_t)sb.st_size);
	if (!S_ISDIR(sb.st_mode) || depth > 32)
		return 0;
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "natlog: cannot open '%s': %s\n", path, strerror(errno));
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
	fprintf(stderr, "\r\033[K[%s] %3d%% %6.1f MB/s ETA %3.0fs %.40s", bar, (int)(frac * 100),
		rate / 1e6, eta, name);
	fflush(stderr);
}

/* Sink callbacks: parsers report here. */
static int sink_event(void *ctx, const struct nl_event *ev)
{
	struct import *im = ctx;
	struct nl_event *e = (struct nl_event *)ev;
	if (!e->host[0] && im->o->host)
		nl_strlcpy(e->host, im->o->host, sizeof e->host);
	im->events++;
	if (corr_event(im->corr, e)) {
		im->store_failed = 1;
		return -1;
	}
	return 0;
}

static int sink_ruleset(void *ctx, const char *kind, int family)
{
	struct import *im = ctx;
	if (im->ruleset_id > 0 && store_ruleset_done(im->s, im->ruleset_id))
		goto bad;
	im->ruleset_id = store_add_ruleset(im->s, im->source_id, kind, family, im->o->host);
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
	if (!copy.host[0] && im->o->host)
		nl_strlcpy(copy.host, im->o->host, sizeof copy.host);
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
			fprintf(stderr, "%s:%ld: error: %s\n", im->path, line, reason);
		else
			fprintf(stderr, "%s: error: %s\n", im->path, reason);
		if (text && len)
			fprintf(stderr, "    %.*s\n", (int)(len > 200 ? 200 : len), text);
	} else if (im->st->errors + im->errors == im->o->max_errors + 1 && !im->o->quiet) {
		fprintf(stderr, "natlog: more errors are not shown; 'natlog errors' lists them all\n");
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

static const struct nl_parser *choose(const char *buf, size_t n)
{
	int score[32] = { 0 }, k, best = -1, lines = 0;
	const char *p = buf, *end = buf + n;
	while (p < end && lines < PROBE_LINES) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		/* probes look at a line's beginning: a one-line JSON dump is long */
		if (len > 0) {
			for (k = 0; nl_parsers[k] && k < 32; k++)
				score[k] += nl_parsers[k]->probe(p, len < PROBE_BYTES ? len : PROBE_BYTES);
			lines++;
		}
		p = nl ? nl + 1 : end;
	}
	for (k = 0; nl_parsers[k] && k < 32; k++)
		if (score[k] > 0 && (best < 0 || score[k] > score[best]))
			best = k;
	return best >= 0 ? nl_parsers[best] : &nl_parser_klog;
}

/* A capture is handed to its parser as a FILE that first gives back the
 * block already read for probing, then reads on, hashing as it goes. */
struct tee {
	struct import *im;
	int fd;
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
	do
		r = read(t->fd, buf, n);
	while (r < 0 && errno == EINTR);
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

static int import_binary(struct import *im, const struct nl_parser *parser, void *state, int fd,
			 const char *buf, size_t have, struct nl_sha256 *sha)
{
	struct tee t = { im, fd, buf, have, 0, sha };
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
static int import_fd(struct import *im, int fd, char **bufp, size_t *capp, char *sha_out,
		     const char **kind)
{
	char *buf = *bufp;
	size_t cap = *capp;
	const struct nl_parser *parser = NULL;
	struct nl_sink sink = { im, im->path, sink_event, sink_ruleset, sink_chain, sink_rule,
				sink_set, sink_element, sink_flow, sink_error, sink_skip };
	struct nl_sha256 sha;
	void *state = NULL;
	size_t have = 0;
	int eof = 0, rc = 0, overlong = 0;
	long lineno = 0;

	sha256_init(&sha);
	while (rc == 0) {
		size_t off = 0;
		if (!eof && have < cap) {
			ssize_t r = read(fd, buf + have, cap - have < BLOCK ? cap - have : BLOCK);
			if (r < 0) {
				if (errno == EINTR)
					continue;
				fprintf(stderr, "natlog: cannot read '%s': %s\n", im->path, strerror(errno));
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
			parser = bin ? bin : choose(buf, have);
			*kind = parser->name;
			state = parser->open(&sink);
			if (!state) {
				rc = -1;
				break;
			}
			if (bin) {
				rc = import_binary(im, bin, state, fd, buf, have, &sha);
				have = 0;
				break;
			}
		}
		while (off < have && rc == 0) {
			char *nl = memchr(buf + off, '\n', have - off);
			size_t len;
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
			if (overlong) {
				overlong = 0;	/* the tail of an overlong line */
				lineno++;
				off += len + 1;
				continue;
			}
			lineno++;
			im->lines++;
			if (len > 0 && buf[off + len - 1] == '\r')
				len--;
			if (len > 0)
				rc = parser->line(state, buf + off, len, lineno);
			off += nl ? len + 1 + (buf[off + len] == '\r') : len;
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
	if (rc == 0 && im->ruleset_id > 0 && store_ruleset_done(im->s, im->ruleset_id))
		rc = -1;
	sha256_hex(&sha, sha_out);
	return rc;
}

static int import_one(struct import *im, const char *path, char **buf, size_t *cap)
{
	struct nl_source_counts c;
	char sha[65];
	const char *kind = "unknown";
	int fd, rc;

	im->path = path;
	im->source_id = im->ruleset_id = 0;
	im->lines = im->events = im->errors = im->skipped = im->rulesets = im->bytes = 0;
	fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "natlog: cannot open '%s': %s\n", path, strerror(errno));
		im->st->failed++;
		return 0;
	}
	if (store_begin(im->s))
		goto store_bad;
	im->source_id = store_source_add(im->s, path, im->o->host);
	if (im->source_id < 0)
		goto store_bad_tx;
	im->corr = corr_new(im->s, im->source_id);
	if (!im->corr)
		goto store_bad_tx;
	rc = import_fd(im, fd, buf, cap, sha, &kind);
	if (fd != 0)
		close(fd);
	fd = -1;
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
	rc = store_source_finish(im->s, im->source_id, &c);
	if (rc < 0)
		goto store_bad_tx;
	if (rc == 1) {
		if (!im->o->quiet)
			fprintf(stderr, "natlog: '%s' was imported before (same content); nothing added\n",
				path);
		im->st->already++;
		goto rollback;
	}
	if (im->rulesets > 0 && store_reanalyze_all(im->s))
		goto store_bad_tx;
	if (store_commit(im->s))
		goto store_bad_tx;
	im->st->files++;
	im->st->lines += im->lines;
	im->st->events += im->events;
	im->st->errors += im->errors;
	im->st->skipped += im->skipped;
	im->st->rulesets += im->rulesets;
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
	fprintf(stderr, "natlog: store failure while importing '%s': %s\n", path,
		store_errmsg(im->s));
	store_rollback(im->s);
	corr_free(im->corr);
	im->corr = NULL;
	if (fd > 0)
		close(fd);
	im->st->store_failed = 1;
	return -1;
store_bad:
	fprintf(stderr, "natlog: store failure: %s\n", store_errmsg(im->s));
	if (fd > 0)
		close(fd);
	im->st->store_failed = 1;
	return -1;
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
				store_errmsg(s));
			store_rollback(s);
			st->store_failed = 1;
			rc = -1;
		}
	}
out:
	for (i = 0; i < l.n; i++)
		free(l.paths[i]);
	free(l.paths);
	free(l.sizes);
	free(buf);
	return rc;
}
