/*
 * test_relay.c - the queue between the parsing and the store threads
 * (src/relay.c): every item arrives once, in order, with its own bytes,
 * however the batches fall; a failing store thread makes the producer stop
 * and relay_finish() report it; memory stays bounded by the batches.
 */
#include "natlog.h"
#include "relay.h"
#include "unit.h"

#include <stdlib.h>

struct sink {
	long seen;		/* items received */
	long bad_order, bad_bytes;
	long fail_at;		/* fail on this item (1-based); 0 never */
	long after_fail;	/* items handed over once it failed */
	int failed;
};

static int consume(void *ctx, struct nl_relay_item *it)
{
	struct sink *s = ctx;
	char want[64];
	int n;
	if (s->failed) {
		s->after_fail++;
		return -1;
	}
	s->seen++;
	if (it->line != s->seen)
		s->bad_order++;
	n = snprintf(want, sizeof want, "line %ld", it->line);
	if (it->kind == NL_RELAY_EVENT &&
	    (it->len != (size_t)n || memcmp(it->buf, want, (size_t)n) != 0 || it->ev.line != it->line))
		s->bad_bytes++;
	if (s->fail_at && s->seen == s->fail_at) {
		s->failed = 1;
		return -1;
	}
	return 0;
}

/* Feeds n items; returns how many the producer got to hand over. */
static long feed(struct nl_relay *r, long n)
{
	long i;
	for (i = 1; i <= n; i++) {
		struct nl_relay_item *it = relay_next(r);
		char text[64];
		int len;
		if (!it)
			return i - 1;
		len = snprintf(text, sizeof text, "line %ld", i);
		it->kind = i % 97 == 0 ? NL_RELAY_ERROR : NL_RELAY_EVENT;
		it->line = i;
		it->ev.line = i;
		if (relay_copy(it, text, (size_t)len))
			return -1;
	}
	return n;
}

static void test_order(long n)
{
	struct sink s = { 0 };
	struct nl_relay *r = relay_start(consume, &s);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_INT(feed(r, n), n);
	CHECK_INT(relay_finish(r), 0);
	CHECK_INT(s.seen, n);
	CHECK_INT(s.bad_order, 0);
	CHECK_INT(s.bad_bytes, 0);
}

static void test_failure(void)
{
	struct sink s = { 0 };
	struct nl_relay *r = relay_start(consume, &s);
	long handed;
	s.fail_at = 1000;
	CHECK(r != NULL);
	if (!r)
		return;
	handed = feed(r, 1000000);
	/* the producer learns of the failure within the batches in flight */
	CHECK(handed >= 1000);
	CHECK(handed < 1000 + (NL_RELAY_BATCHES + 1) * NL_RELAY_BATCH);
	CHECK_INT(relay_finish(r), -1);
	CHECK_INT(s.seen, 1000);
	CHECK_INT(s.after_fail, 0);	/* nothing after the failure reaches fn */
}

int main(void)
{
	test_order(0);
	test_order(1);
	test_order(127);
	test_order(128);
	test_order(129);
	test_order(100000);
	test_failure();
	return unit_report("relay");
}
