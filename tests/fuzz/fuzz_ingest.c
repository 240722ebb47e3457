/*
 * fuzz_ingest.c - libFuzzer harness for the import loop itself: the input
 * is one file, imported through ingest_paths() into a fresh in-memory store
 * (format detection, block reading and line splitting with every line end,
 * the decoders of gzip/xz/bzip2/zstd, tar and zip, cuts and limits), then
 * again on standard input, then the file once more, which must add nothing.
 * The first byte picks the size of the read block (64 bytes to 16 KiB, or
 * 1 MiB) so that lines, CR LF pairs and NUL runs straddle its boundaries;
 * the rest is the file. Stored counts must match the import's summary.
 * The new store of each input is a copy of one made (and checked empty)
 * at the first input, which spares the schema's creation per input.
 */
#include "natlog.h"
#include "ingest.h"
#include "store.h"
#include "fuzzstore.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, long long a, long long b)
{
	fprintf(stderr, "fuzz invariant violated: %s (%lld, %lld)\n", what, a, b);
	abort();
}

struct sums {
	int64_t n, lines, errors;
};

static int add_row(void *ctx, const struct nl_source_row *r)
{
	struct sums *s = ctx;
	s->n++;
	s->lines += r->lines;
	s->errors += r->errors;
	return 0;
}

static void import(struct nl_store *s, char *path, const struct nl_import_opts *o,
		   struct nl_import_stats *st)
{
	char *paths[1] = { path };
	memset(st, 0, sizeof *st);
	if (ingest_paths(s, paths, 1, o, st) != 0 || st->store_failed)
		fail("import failed on the store", st->store_failed, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static const size_t blocks[8] = { 64, 65, 127, 512, 1000, 4096, 16384, 0 };
	struct nl_import_opts o;
	struct nl_import_stats a, b, c;
	struct nl_store *s;
	struct sums sum = { 0, 0, 0 };
	char dash[] = "-";
	int fd, in;

	if (!path[0]) {
		snprintf(path, sizeof path, "%s/natlog-fuzz-ingest.XXXXXX", fz_tmpdir());
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
	}
	if (size < 1)
		return 0;
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	close(fd);
	/* as `natlog import -q --max-errors 0`, with small limits: fuzzing is
	 * about paths, not volume */
	memset(&o, 0, sizeof o);
	o.quiet = 1;
	o.max_entry = (int64_t)8 << 20;
	o.max_expansion = (int64_t)32 << 20;
	o.boot_us = -1;
	o.block = blocks[data[0] & 7];
	s = fz_new_store();

	import(s, path, &o, &a);
	if (store_sources(s, add_row, &sum))
		fail("cannot list the sources", 0, 0);
	if (sum.n != a.files || sum.lines != a.lines || sum.errors != a.errors)
		fail("the store's sources and lines differ from the summary", sum.n * 1000000 + sum.lines,
		     a.files * 1000000 + a.lines);

	/* the same bytes on stdin: sniffed the same way, so nothing new */
	in = dup(0);
	fd = open(path, O_RDONLY);
	if (in < 0 || fd < 0 || dup2(fd, 0) < 0)
		abort();
	close(fd);
	import(s, dash, &o, &b);
	if (dup2(in, 0) < 0)
		abort();
	close(in);
	if (b.files > a.files)
		fail("stdin brought sources the file did not", b.files, a.files);

	/* the file once more: nothing to add */
	import(s, path, &o, &c);
	if (c.files != 0)
		fail("importing the same file again added sources", c.files, 0);
	store_close(s);
	return 0;
}
