/*
 * jsonw.h - a minimal streaming JSON writer for query output: values are
 * written as they are produced, strings escaped, unknowns as null.
 */
#ifndef NL_JSONW_H
#define NL_JSONW_H

#include "natlog.h"

void jw_str(FILE *f, const char *s);		/* NULL or "" -> null */
void jw_str_always(FILE *f, const char *s);	/* "" stays "" */
void jw_num(FILE *f, int64_t v);		/* negative -> null */
void jw_key(FILE *f, int *first, const char *key);

#endif
