/*
 * table.c - one writer for the queries' text tables. Cells are escaped,
 * then measured in display columns; the first rows are held to size the
 * columns; on a terminal the columns of lowest priority give up their
 * padding, then their text (cut with a marker), until a line fits.
 */
#include "natlog.h"
#include "table.h"

#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#define HOLD_ROWS 4096		/* rows measured before the widths are fixed */

struct cell {
	size_t whole, fitted;	/* offsets of the escaped texts in the arena */
	int ww, fw;		/* their display widths */
};

struct nl_table {
	FILE *out;
	struct nl_tcol *cols;
	int ncols, width, heading;
	char *arena;
	size_t an, acap;
	struct cell *cells;	/* held rows, then the row being printed */
	size_t ncells, ccap;
	int cur;		/* cells given in the current row */
	int64_t rows;
	int laid;		/* the widths are fixed: rows print as they come */
	int *w;
	char *hidden;		/* optional columns left out to fit */
	int failed;
};

/* ---- display width and cutting ---- */

static int utf8_state;		/* 0 unknown, 1 C.UTF-8 usable for wcwidth, -1 not */
static locale_t utf8_loc;

/* The code point at s (valid UTF-8, as nl_esc leaves it) and its length. */
static unsigned next_cp(const unsigned char *s, int *len)
{
	if (s[0] < 0x80 || !s[1]) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		*len = 2;
		return (s[0] & 0x1fu) << 6 | (s[1] & 0x3fu);
	}
	if ((s[0] & 0xf0) == 0xe0 && s[2]) {
		*len = 3;
		return (s[0] & 0x0fu) << 12 | (s[1] & 0x3fu) << 6 | (s[2] & 0x3fu);
	}
	if (s[2] && s[3]) {
		*len = 4;
		return (s[0] & 0x07u) << 18 | (s[1] & 0x3fu) << 12 | (s[2] & 0x3fu) << 6 |
		       (s[3] & 0x3fu);
	}
	*len = 1;
	return s[0];
}

/* Without a UTF-8 locale to ask: combining marks 0, East Asian wide 2. */
static int fallback_width(unsigned cp)
{
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || cp == 0xfeff)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

static int cp_width(unsigned cp)
{
	if (cp < 0x80)
		return cp >= 0x20 && cp != 0x7f;
	if (!utf8_state) {
		utf8_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		utf8_state = utf8_loc ? 1 : -1;
	}
	if (utf8_state > 0) {
		locale_t old = uselocale(utf8_loc);
		int w = wcwidth((wchar_t)cp);
		uselocale(old);
		return w < 0 ? 1 : w;
	}
	return fallback_width(cp);
}

int nl_display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int w = 0, len;
	while (*p) {
		w += cp_width(next_cp(p, &len));
		p += len;
	}
	return w;
}

const char *nl_cut_marker(void)
{
	static const char *marker;
	if (!marker) {
		locale_t l = newlocale(LC_CTYPE_MASK, "", (locale_t)0);
		const char *cs = l ? nl_langinfo_l(CODESET, l) : NULL;
		marker = cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8")) ? "\xe2\x80\xa6"
										      : "~";
		if (l)
			freelocale(l);
	}
	return marker;
}

/* s (escaped already) cut into out to at most width columns, marker included. */
static void cut_into(char *out, size_t n, const char *s, int width, int cut_start)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *m = nl_cut_marker();
	size_t ml = strlen(m), k = 0;
	int w = 0, len, cw;
	if (width <= 0 || n < ml + 1) {
		out[0] = '\0';
		return;
	}
	if (!cut_start) {
		while (p[k]) {
			cw = cp_width(next_cp(p + k, &len));
			if (w + cw > width - 1 || k + len + ml >= n)
				break;
			w += cw;
			k += (size_t)len;
		}
		memcpy(out, s, k);
		memcpy(out + k, m, ml + 1);
		return;
	}
	/* from the end: the widths of the code points, walking back */
	{
		size_t e = strlen(s), start = e;
		while (start > 0) {
			size_t b = start - 1;
			while (b > 0 && (p[b] & 0xc0) == 0x80)
				b--;
			cw = cp_width(next_cp(p + b, &len));
			if (w + cw > width - 1 || e - b + ml >= n)
				break;
			w += cw;
			start = b;
		}
		/* a word cut in two reads as another word: start after a blank
		 * ("Nov21 15:26:00" cut to 9 is "…15:26:00", not "…1 15:26") */
		if (start > 0 && p[start - 1] != ' ') {
			const char *sp = strchr(s + start, ' ');
			if (sp && sp[1])
				start = (size_t)(sp + 1 - s);
		}
		memcpy(out, m, ml);
		memcpy(out + ml, s + start, e - start + 1);
	}
}

const char *nl_fit(const char *s, int width, int cut_start)
{
	static _Thread_local char buf[8192 + 8];
	const char *e = nl_esc(s);
	if (width <= 0 || nl_display_width(e) <= width)
		return e;
	cut_into(buf, sizeof buf, e, width, cut_start);
	return buf;
}

/* ---- widths ---- */

int nl_term_width(int fd)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	uint64_t v;
	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (c && nl_parse_u64(c, strlen(c), 100000, &v) && v > 0)
		return (int)v;
	return 80;
}

int nl_table_width(int wide)
{
	if (wide || !isatty(STDOUT_FILENO))
		return 0;
	return nl_term_width(STDOUT_FILENO);
}

/* ---- the table ---- */

struct nl_table *nl_table_new(FILE *out, const struct nl_tcol *cols, int ncols, int width)
{
	struct nl_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->cols = malloc((size_t)ncols * sizeof *t->cols);
	t->w = calloc((size_t)ncols, sizeof *t->w);
	t->hidden = calloc((size_t)ncols, 1);
	if (!t->cols || !t->w || !t->hidden) {
		free(t->cols);
		free(t->w);
		free(t->hidden);
		free(t);
		return NULL;
	}
	memcpy(t->cols, cols, (size_t)ncols * sizeof *cols);
	t->out = out;
	t->ncols = ncols;
	t->width = width > 0 ? (width < 20 ? 20 : width) : 0;
	t->heading = cols[0].name != NULL;
	return t;
}

/* The blanks before column i: none before the first one shown. */
static int gap(const struct nl_table *t, int i)
{
	int j;
	for (j = 0; j < i && t->hidden[j]; j++)
		;
	return j == i ? 0 : t->cols[i].gap > 0 ? t->cols[i].gap : 1;
}

static int last_shown(const struct nl_table *t)
{
	int i = t->ncols - 1;
	while (i > 0 && t->hidden[i])
		i--;
	return i;
}

static int arena_add(struct nl_table *t, const char *s, size_t *off)
{
	size_t l = strlen(s) + 1;
	if (t->an + l > t->acap) {
		size_t cap = t->acap ? t->acap * 2 : 65536;
		char *a;
		while (cap < t->an + l)
			cap *= 2;
		if (!(a = realloc(t->arena, cap)))
			return -1;
		t->arena = a;
		t->acap = cap;
	}
	memcpy(t->arena + t->an, s, l);
	*off = t->an;
	t->an += l;
	return 0;
}

int nl_table_cell2(struct nl_table *t, const char *whole, const char *fitted)
{
	struct cell *c;
	if (t->failed)
		return -1;
	if (t->cur >= t->ncols)
		return 0;	/* a caller's slip: the extra cell is dropped, not printed askew */
	if (t->ncells == t->ccap) {
		size_t cap = t->ccap ? t->ccap * 2 : (size_t)t->ncols * 64;
		struct cell *v = realloc(t->cells, cap * sizeof *v);
		if (!v) {
			t->failed = 1;
			return -1;
		}
		t->cells = v;
		t->ccap = cap;
	}
	c = &t->cells[t->ncells];
	if (!whole || !*whole)
		whole = "-";
	if (!fitted || !*fitted)
		fitted = whole;
	if (arena_add(t, nl_esc(whole), &c->whole)) {
		t->failed = 1;
		return -1;
	}
	c->ww = nl_display_width(t->arena + c->whole);
	if (fitted == whole) {
		c->fitted = c->whole;
		c->fw = c->ww;
	} else {
		if (arena_add(t, nl_esc(fitted), &c->fitted)) {
			t->failed = 1;
			return -1;
		}
		c->fw = nl_display_width(t->arena + c->fitted);
	}
	t->ncells++;
	t->cur++;
	return 0;
}

int nl_table_cell(struct nl_table *t, const char *text)
{
	return nl_table_cell2(t, text, NULL);
}

int nl_table_cellf(struct nl_table *t, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return nl_table_cell(t, buf);
}

/* Takes up to `excess` columns from the columns of priority prio, widest
 * first, down to floor[]; returns what is left to take. */
static int take(struct nl_table *t, const int *floor, int prio, int excess)
{
	while (excess > 0) {
		int i, best = -1;
		for (i = 0; i < t->ncols; i++)
			if (t->cols[i].prio == prio && !t->hidden[i] && t->w[i] > floor[i] &&
			    (best < 0 || t->w[i] > t->w[best]))
				best = i;
		if (best < 0)
			break;
		t->w[best]--;
		excess--;
	}
	return excess;
}

/* Column widths from the held rows: whole, or fitted to t->width; the
 * excess over it, after taking every column's padding and cutting the
 * columns of priority up to upto to their min. */
static int fit_widths(struct nl_table *t, const int *nat, int *floor, int lo, int hi, int upto)
{
	int i, total = 0, excess;
	for (i = 0; i < t->ncols; i++) {
		t->w[i] = nat[i] > t->cols[i].pref ? nat[i] : t->cols[i].pref;
		if (!t->hidden[i])
			total += t->w[i] + gap(t, i);
	}
	excess = t->width ? total - t->width : 0;
	/* padding first, then text, the least important columns first */
	for (i = 0; i < t->ncols; i++)
		floor[i] = nat[i];
	for (i = lo; i <= hi && excess > 0; i++)
		excess = take(t, floor, i, excess);
	for (i = 0; i < t->ncols; i++)
		floor[i] = t->cols[i].flags & NL_TBL_RIGHT || t->cols[i].min > nat[i] ? nat[i]
										     : t->cols[i].min;
	for (i = lo; i <= upto && excess > 0; i++)
		excess = take(t, floor, i, excess);
	return excess;
}

static void layout(struct nl_table *t)
{
	int i, p, lo = 0, hi = 0;
	size_t r, nrows = t->ncells / (size_t)t->ncols;
	int *nat = calloc((size_t)t->ncols, sizeof *nat), *floor = calloc((size_t)t->ncols, sizeof *floor);
	t->laid = 1;
	if (!nat || !floor) {
		free(nat);
		free(floor);
		for (i = 0; i < t->ncols; i++)
			t->w[i] = t->cols[i].pref;
		return;
	}
	for (i = 0; i < t->ncols; i++) {
		nat[i] = t->heading ? nl_display_width(t->cols[i].name) : 0;
		for (r = 0; r < nrows; r++) {
			const struct cell *c = &t->cells[r * (size_t)t->ncols + (size_t)i];
			int cw = t->width ? c->fw : c->ww;
			if (cw > nat[i])
				nat[i] = cw;
		}
		if (t->cols[i].prio < lo)
			lo = t->cols[i].prio;
		if (t->cols[i].prio > hi)
			hi = t->cols[i].prio;
	}
	/* priority by priority: the columns are cut to their min, and when
	 * that is not enough the optional ones go (rightmost first), before
	 * any column of a higher priority is cut */
	for (p = lo; p <= hi; p++) {
		while (fit_widths(t, nat, floor, lo, hi, p) > 0) {
			int drop = -1;
			for (i = 0; i < t->ncols; i++)
				if (!t->hidden[i] && t->cols[i].flags & NL_TBL_OPTIONAL &&
				    t->cols[i].prio <= p &&
				    (drop < 0 || t->cols[i].prio <= t->cols[drop].prio))
					drop = i;
			if (drop < 0)
				break;
			t->hidden[drop] = 1;
		}
	}
	fit_widths(t, nat, floor, lo, hi, hi);
	free(nat);
	free(floor);
}

static void put_cell(struct nl_table *t, int i, const char *s, int sw, int last)
{
	char cut[8192 + 8];
	int w = t->w[i], pad;
	if (t->hidden[i])
		return;
	if (t->width && sw > w) {
		cut_into(cut, sizeof cut, s, w, t->cols[i].flags & NL_TBL_CUT_START);
		s = cut;
		sw = nl_display_width(cut);
	}
	pad = w > sw ? w - sw : 0;
	fprintf(t->out, "%*s", gap(t, i), "");
	if (t->cols[i].flags & NL_TBL_RIGHT)
		fprintf(t->out, "%*s%s", pad, "", s);
	else
		fprintf(t->out, "%s%*s", s, last ? 0 : pad, "");
}

static void print_heading(struct nl_table *t)
{
	int i;
	if (!t->heading)
		return;
	for (i = 0; i < t->ncols; i++)
		put_cell(t, i, t->cols[i].name, nl_display_width(t->cols[i].name), i == last_shown(t));
	fputc('\n', t->out);
}

static void print_rows(struct nl_table *t)
{
	size_t r, nrows = t->ncells / (size_t)t->ncols;
	int i;
	for (r = 0; r < nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			const struct cell *c = &t->cells[r * (size_t)t->ncols + (size_t)i];
			if (t->width)
				put_cell(t, i, t->arena + c->fitted, c->fw, i == last_shown(t));
			else
				put_cell(t, i, t->arena + c->whole, c->ww, i == last_shown(t));
		}
		fputc('\n', t->out);
	}
	t->ncells = 0;
	t->an = 0;
}

int nl_table_row(struct nl_table *t)
{
	if (t->failed)
		return -1;
	while (t->cur < t->ncols)
		if (nl_table_cell(t, NULL))
			return -1;
	t->cur = 0;
	t->rows++;
	if (t->laid) {
		print_rows(t);
	} else if (t->rows >= HOLD_ROWS) {
		layout(t);
		print_heading(t);
		print_rows(t);
	}
	return 0;
}

int nl_table_finish(struct nl_table *t)
{
	int rc;
	if (!t)
		return -1;
	rc = t->failed ? -1 : 0;
	if (!t->failed && t->rows && !t->laid) {
		layout(t);
		print_heading(t);
		print_rows(t);
	}
	free(t->arena);
	free(t->cells);
	free(t->cols);
	free(t->w);
	free(t->hidden);
	free(t);
	return rc;
}

int64_t nl_table_rows(const struct nl_table *t)
{
	return t->rows;
}
