/*
 * test_store.c - the store's image (a new store copied per fuzz input,
 * tests/fuzz/fuzzstore.h) and the statements store_sql_params() keeps
 * prepared between calls, a query run again from its own callback too.
 */
#include "natlog.h"
#include "store.h"
#include "unit.h"

#include <stdlib.h>

static void test_image(void)
{
	struct nl_err err = { "" };
	struct nl_store *s, *a, *b, *r;
	unsigned char *image, junk[4096];
	size_t size = 0;

	CHECK(store_open(&s, ":memory:", NL_STORE_RW, &err) == 0);
	CHECK_INT(store_rows(s), 0);
	image = store_image(s, &size);
	CHECK(image != NULL && size >= 4096);
	store_close(s);
	if (!image)
		return;
	CHECK(store_open_image(&a, image, size, &err) == 0);
	CHECK(store_open_image(&b, image, size, &err) == 0);
	CHECK_INT(store_rows(a), 0);
	/* a source in one copy: counted there, and the other stays empty */
	CHECK(store_begin(a) == 0);
	CHECK(store_source_add(a, "/var/log/messages", "h1") > 0);
	CHECK(store_commit(a) == 0);
	CHECK_INT(store_rows(a), 1);
	CHECK_INT(store_rows(b), 0);
	/* its name is no file, so there is no second connection to it */
	CHECK(store_open_reader(a, &r) == -1);
	CHECK(r == NULL);
	store_close(a);
	store_close(b);
	/* what is not a natlog store's image is refused */
	memset(junk, 'x', sizeof junk);
	CHECK(store_open_image(&a, junk, sizeof junk, &err) == -1);
	CHECK(a == NULL);
	CHECK(strstr(err.msg, "store image") != NULL);
	free(image);
}

struct runs {
	struct nl_store *s;
	int depth, rows;
	long long sum;
};

static const char *const numbers = "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 "
				   "FROM n WHERE v < CAST(?1 AS INTEGER)) SELECT v FROM n";

/* Each row of the outer run runs the same query again, to its end. */
static int nested(void *ctx, int ncol, const char *const *names, const char *const *vals,
		  const int *types)
{
	struct runs *r = ctx;
	const char *const three[] = { "3" };
	(void)names;
	(void)types;
	CHECK_INT(ncol, 1);
	r->rows++;
	r->sum += atoll(vals[0]);
	if (r->depth == 0) {
		r->depth++;
		CHECK(store_sql_params(r->s, numbers, three, 1, nested, r) == 0);
		r->depth--;
	}
	return 0;
}

static int stop_at_two(void *ctx, int ncol, const char *const *names, const char *const *vals,
		       const int *types)
{
	struct runs *r = ctx;
	(void)ncol;
	(void)names;
	(void)types;
	r->rows++;
	return atoll(vals[0]) == 2;
}

static void test_kept_statements(void)
{
	struct nl_err err = { "" };
	const char *const four[] = { "4" }, *const five[] = { "5" };
	struct runs r = { NULL, 0, 0, 0 };
	int i;

	CHECK(store_open(&r.s, ":memory:", NL_STORE_RW, &err) == 0);
	if (!r.s)
		return;
	/* 4 outer rows (sum 10), each with 3 inner rows (sum 6) */
	CHECK(store_sql_params(r.s, numbers, four, 1, nested, &r) == 0);
	CHECK_INT(r.rows, 4 + 4 * 3);
	CHECK_INT(r.sum, 10 + 4 * 6);
	/* again, kept: new bindings, from its first row */
	r.rows = 0;
	r.sum = 0;
	CHECK(store_sql_params(r.s, numbers, five, 1, nested, &r) == 0);
	CHECK_INT(r.rows, 5 + 5 * 3);
	CHECK_INT(r.sum, 15 + 5 * 6);
	/* a run the callback stops, then a whole one */
	r.rows = 0;
	CHECK(store_sql_params(r.s, numbers, five, 1, stop_at_two, &r) == -1);
	CHECK_INT(r.rows, 2);
	r.rows = 0;
	CHECK(store_sql_params(r.s, numbers, five, 1, stop_at_two, &r) == -1);
	CHECK_INT(r.rows, 2);
	/* more queries than are kept, then the first once more */
	for (i = 0; i < 20; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "SELECT %d", 100 + i);
		r.rows = 0;
		CHECK(store_sql_params(r.s, sql, NULL, 0, stop_at_two, &r) == 0);
		CHECK_INT(r.rows, 1);
	}
	r.rows = 0;
	r.sum = 0;
	CHECK(store_sql_params(r.s, numbers, four, 1, nested, &r) == 0);
	CHECK_INT(r.sum, 10 + 4 * 6);
	/* what is refused stays refused */
	CHECK(store_sql(r.s, "DELETE FROM meta", stop_at_two, &r) == -1);
	CHECK(strstr(store_errmsg(r.s), "read-only") != NULL);
	CHECK(store_sql(r.s, "DELETE FROM meta", stop_at_two, &r) == -1);
	CHECK(store_sql(r.s, "SELECT no_such_column FROM meta", stop_at_two, &r) == -1);
	CHECK(strstr(store_errmsg(r.s), "does not compile") != NULL);
	store_close(r.s);
}

int main(void)
{
	test_image();
	test_kept_statements();
	return unit_report("test_store");
}
