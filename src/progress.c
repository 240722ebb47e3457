/*
 * progress.c - the progress line of `natlog import`. It counts the bytes
 * read from the input files themselves, so compressed files and archives
 * move the bar as they are consumed; messages written to stderr meanwhile
 * (from any thread) go through a stream that clears the line first, and
 * the line is drawn again after them.
 */
#include "natlog.h"
#include "progress.h"
#include "table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define BAR 20

static struct {
	int on;
	int64_t total, done, base;	/* base: the sizes of the inputs finished */
	double started, last;
	FILE *real, *wrap;
	int shown;			/* the line is on the screen (under wrap's lock;
					 * the rest is the reading thread's own) */
} P;

static double now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void write_all(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t r = write(STDERR_FILENO, s, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		s += r;
		n -= (size_t)r;
	}
}

/* stderr while the line is drawn: clears it before a message */
static ssize_t wrap_write(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	if (P.shown) {
		write_all("\r\033[K", 4);
		P.shown = 0;	/* drawn again at the next tick */
	}
	write_all(buf, n);
	return (ssize_t)n;
}

void nl_progress_begin(int64_t total)
{
	cookie_io_functions_t io = { NULL, wrap_write, NULL, NULL };
	memset(&P, 0, sizeof P);
	P.on = 1;
	P.total = total;
	P.started = now();
	fflush(stderr);
	P.real = stderr;
	if ((P.wrap = fopencookie(NULL, "w", io)) != NULL) {
		setvbuf(P.wrap, NULL, _IOLBF, 4096);
		stderr = P.wrap;	/* glibc: stderr may be assigned */
	}
}

void nl_progress_bytes(int64_t n)
{
	if (P.on && n > 0)
		P.done += n;
}

void nl_progress_file_end(int64_t size)
{
	if (!P.on)
		return;
	if (size > 0)
		P.base += size;
	if (P.total >= 0 && P.done < P.base)
		P.done = P.base;
}

static void fmt_secs(char *buf, size_t n, double s)
{
	long v = (long)s + (s > (double)(long)s);	/* up: never "0s" while reading */
	if (v < 60)
		snprintf(buf, n, "%lds", v);
	else if (v < 3600)
		snprintf(buf, n, "%ldm%02lds", v / 60, v % 60);
	else
		snprintf(buf, n, "%ldh%02ldm", v / 3600, v % 3600 / 60);
}

/* line, then the source's name in what is left of the terminal's width */
static void put_line(const char *line, const char *top, const char *name)
{
	char shown[1024];
	const char *base;
	int width, k = (int)strlen(line), room;
	/* the source without its input's directory: "bundle.tar.xz:var/log/messages" */
	base = top ? strrchr(top, '/') : NULL;
	if (base && name && !strncmp(name, top, strlen(top)))
		snprintf(shown, sizeof shown, "%s%s", base + 1, name + strlen(top));
	else
		snprintf(shown, sizeof shown, "%s", name ? name : "");
	/* one column spare: a line that reaches the margin wraps on some terminals */
	width = nl_term_width(STDERR_FILENO) - 1;
	room = width - k;
	flockfile(stderr);
	fflush(stderr);
	write_all("\r\033[K", 4);
	write_all(line, (size_t)(k < width ? k : width > 0 ? width : 0));
	if (room > 8) {
		const char *s = nl_fit(shown, room, 1);
		write_all(s, strlen(s));
	}
	P.shown = 1;
	funlockfile(stderr);
}

void nl_progress_note(const char *what, const char *top, const char *name)
{
	char line[256];
	/* (a bundle of small files would flash one per file) */
	if (!P.on || now() - P.last < 0.02)
		return;
	snprintf(line, sizeof line, "%s ", what);
	put_line(line, top, name);
	P.last = now();
}

void nl_progress_draw(const char *top, const char *name)
{
	double t = now(), rate, secs;
	char line[512], eta[32] = "";
	if (!P.on || t - P.last < 0.1)
		return;
	P.last = t;
	secs = t - P.started;
	rate = secs > 0 ? (double)P.done / secs : 0;
	if (P.total > 0) {
		double frac = (double)P.done / (double)P.total;
		char bar[BAR + 1];
		int i, fill;
		if (frac > 1)
			frac = 1;
		fill = (int)(frac * BAR);
		for (i = 0; i < BAR; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[BAR] = '\0';
		/* an ETA only once the rate means something, and never past the end */
		if (secs >= 1 && rate > 0 && P.done < P.total) {
			double left = (double)(P.total - P.done) / rate;
			if (left < 100 * 3600) {
				nl_strlcpy(eta, " ETA ", sizeof eta);
				fmt_secs(eta + 5, sizeof eta - 5, left);
			}
		}
		snprintf(line, sizeof line, "[%s] %3d%% %6.1f MB/s%s  ", bar, (int)(frac * 100),
			 rate / 1e6, eta);
	} else {
		snprintf(line, sizeof line, "%8.1f MB read %6.1f MB/s  ", (double)P.done / 1e6,
			 rate / 1e6);
	}
	put_line(line, top, name);
}

void nl_progress_end(void)
{
	if (!P.on)
		return;
	flockfile(stderr);
	fflush(stderr);
	if (P.shown)
		write_all("\r\033[K", 4);
	P.shown = 0;
	funlockfile(stderr);
	if (P.wrap) {
		stderr = P.real;
		fclose(P.wrap);
	}
	P.on = 0;
}
