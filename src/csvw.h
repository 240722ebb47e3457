/*
 * csvw.h - a minimal streaming CSV writer for `natlog export --csv`:
 * RFC 4180 quoting (a field with a comma, a double quote, CR or LF is
 * quoted, its quotes doubled), unknown values as empty fields, one record
 * per line ending in LF.
 */
#ifndef NL_CSVW_H
#define NL_CSVW_H

#include "natlog.h"

void cw_str(FILE *f, int *first, const char *s);	/* NULL or "" -> empty */
void cw_num(FILE *f, int *first, int64_t v);		/* negative -> empty */
void cw_bool(FILE *f, int *first, int v);		/* true / false; negative -> empty */
void cw_end(FILE *f);
/* The header line: names separated by commas in one string. */
void cw_header(FILE *f, const char *names);

#endif
