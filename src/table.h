/*
 * table.h - the text tables of the queries: columns that line up whatever
 * the input holds (escaped first, then measured in display columns), fitted
 * to the terminal by cutting the least important columns with a marker, or
 * printed whole (--wide, or when stdout is not a terminal).
 */
#ifndef NL_TABLE_H
#define NL_TABLE_H

#include <stdint.h>
#include <stdio.h>

enum {
	NL_TBL_RIGHT = 1,	/* numbers: aligned right, and never cut */
	NL_TBL_CUT_START = 2,	/* cut at the start, keeping the end (paths) */
	NL_TBL_OPTIONAL = 4,	/* left out on a terminal too narrow for it at min */
};

struct nl_tcol {
	const char *name;	/* heading; a table whose first name is NULL has none */
	int pref;		/* the width it takes when there is room, whatever it holds */
	int min;		/* the narrowest a terminal may cut it to */
	int prio;		/* columns of lower priority are cut first */
	int flags;
	int gap;		/* blanks before it; 0: one */
};

struct nl_table;

/* Columns to fit on stdout: 0 for whole values (wide set, or stdout not a
 * terminal), else the terminal's width (TIOCGWINSZ, else $COLUMNS, else 80). */
int nl_table_width(int wide);
/* The width of the terminal on fd (the progress line on stderr): its own,
 * else $COLUMNS, else 80. */
int nl_term_width(int fd);

/* A table printing to out; width 0: whole values. NULL without memory.
 * The first rows are held to measure the columns; later ones are printed
 * as they come, in those widths (cut to them, or whole). */
struct nl_table *nl_table_new(FILE *out, const struct nl_tcol *cols, int ncols, int width);
/* The next cell of the current row; text from the input is escaped here
 * (control bytes as \xNN). cell2 gives a shorter form used when fitting
 * (a time without its year); NULL or "" prints "-". -1 without memory. */
int nl_table_cell(struct nl_table *t, const char *text);
int nl_table_cell2(struct nl_table *t, const char *whole, const char *fitted);
int nl_table_cellf(struct nl_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int nl_table_row(struct nl_table *t);
/* Prints what is held (the heading first, when there is a row) and frees t. */
int nl_table_finish(struct nl_table *t);
int64_t nl_table_rows(const struct nl_table *t);

/* Display columns of valid UTF-8 text (wide characters count 2). */
int nl_display_width(const char *s);
/* s escaped and cut to width display columns with a marker (an ellipsis
 * in a UTF-8 locale, else '~'); at the start when cut_start. The result
 * lives until the next call. width <= 0: whole. */
const char *nl_fit(const char *s, int width, int cut_start);
/* The marker: "…" in a UTF-8 locale, else "~". */
const char *nl_cut_marker(void);

#endif
