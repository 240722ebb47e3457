/*
 * fuzzstore.h - a new store per input for the harnesses that import
 * (fuzz_ingest, fuzz_pipeline), without creating the schema each time:
 * the first call opens a store as the import does and keeps its image;
 * every call gives a fresh in-memory copy of it, checked empty.
 */
#ifndef NL_FUZZSTORE_H
#define NL_FUZZSTORE_H

#include "natlog.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where the harnesses write each input's files: memory when it can be,
 * since rewriting a file per input on a disk (a truncate, a discard)
 * cost more than importing it. */
static const char *fz_tmpdir(void)
{
	const char *tmp = getenv("TMPDIR");
	if (tmp && *tmp && strlen(tmp) < 24)
		return tmp;
	return access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
}

static struct nl_store *fz_new_store(void)
{
	static unsigned char *image;
	static size_t size;
	struct nl_err err = { "" };
	struct nl_store *s;
	int64_t rows;
	if (!image) {
		if (store_open(&s, ":memory:", NL_STORE_RW, &err)) {
			fprintf(stderr, "fuzz: cannot open an in-memory store: %s\n", err.msg);
			abort();
		}
		image = store_image(s, &size);
		if (!image) {
			fprintf(stderr, "fuzz: cannot take the new store's image: %s\n",
				store_errmsg(s));
			abort();
		}
		store_close(s);
	}
	if (store_open_image(&s, image, size, &err)) {
		fprintf(stderr, "fuzz: cannot open a copy of the new store: %s\n", err.msg);
		abort();
	}
	rows = store_rows(s);
	if (rows != 0) {
		fprintf(stderr, "fuzz invariant violated: the new store holds %lld rows (%s)\n",
			(long long)rows, rows < 0 ? store_errmsg(s) : "not empty");
		abort();
	}
	return s;
}

#endif
