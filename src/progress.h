/*
 * progress.h - the import's progress line on stderr: the share of the
 * input files' bytes read (compressed bytes for compressed input), the
 * rate, an ETA only when one can be told, and the source being read.
 * Every other message on stderr clears the line first.
 */
#ifndef NL_PROGRESS_H
#define NL_PROGRESS_H

#include <stdint.h>

/* Starts drawing; total: the bytes of all inputs, -1 when some size is
 * unknown (stdin, a pipe). Until nl_progress_end, stderr is a stream that
 * clears the line before anything written to it. */
void nl_progress_begin(int64_t total);
/* Bytes read from an input file or pipe (not what they decoded to). */
void nl_progress_bytes(int64_t n);
/* An input ended: done is set to the sizes of the inputs so far, so that
 * what was not read (a file imported before) still counts. */
void nl_progress_file_end(int64_t size);
/* Redraws, at most ten times a second: name is the source being read
 * ("archive:member"), top the input it is in (its directory is not shown). */
void nl_progress_draw(const char *top, const char *name);
/* Says what is being done, without a bar (the work after a source's last
 * byte: storing and analysing what it held). */
void nl_progress_note(const char *what, const char *top, const char *name);
/* Clears the line and gives stderr back. */
void nl_progress_end(void);

#endif
