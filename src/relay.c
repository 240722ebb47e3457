/*
 * relay.c - the bounded queue between the parsing thread and the store
 * thread (relay.h). Items travel in batches, so the lock is taken once per
 * batch, not per line; the producer fills one batch while the store thread
 * works through the ones before it, and waits when all are taken, which
 * keeps memory flat however fast the parser runs ahead.
 */
#include "relay.h"
#include "prof.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NBATCH NL_RELAY_BATCHES
#define BATCH NL_RELAY_BATCH

struct batch {
	struct nl_relay_item item[BATCH];
	int n;
	int used;	/* items ever handed out: the rest are not initialised */
};

struct nl_relay {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	nl_relay_fn fn;
	void *ctx;
	struct batch *b;	/* NBATCH of them */
	int head, count;	/* queued batches, head the one being stored */
	int fill;		/* the batch the producer fills */
	int done, failed, rc;
};

static void *store_thread(void *arg)
{
	struct nl_relay *r = arg;
	int64_t cpu0 = PROF_CPU0();
	pthread_mutex_lock(&r->mu);
	for (;;) {
		struct batch *b;
		int i, failed;
		if (r->count == 0 && !r->done) {
			int64_t t0 = PROF_T0();
			while (r->count == 0 && !r->done)
				pthread_cond_wait(&r->changed, &r->mu);
			PROF_ADD(NL_P_STORE_IDLE, t0);
		}
		if (r->count == 0)
			break;
		b = &r->b[r->head];
		failed = r->failed;
		pthread_mutex_unlock(&r->mu);
		/* after a failure the rest is drained unread, so the producer
		 * never waits for good */
		for (i = 0; i < b->n && !failed; i++)
			if (r->fn(r->ctx, &b->item[i]))
				failed = 1;
		pthread_mutex_lock(&r->mu);
		if (failed && !r->failed) {
			r->failed = 1;
			r->rc = -1;
		}
		b->n = 0;
		r->head = (r->head + 1) % NBATCH;
		r->count--;
		pthread_cond_broadcast(&r->changed);
	}
	pthread_mutex_unlock(&r->mu);
	PROF_CPU_ADD(NL_P_STORE_CPU, cpu0);
	return NULL;
}

struct nl_relay *relay_start(nl_relay_fn fn, void *ctx)
{
	struct nl_relay *r = calloc(1, sizeof *r);
	int i;
	if (!r)
		return NULL;
	/* not zeroed: 2 MB cleared for each source made small files slow */
	r->b = malloc(NBATCH * sizeof *r->b);
	if (!r->b) {
		free(r);
		return NULL;
	}
	for (i = 0; i < NBATCH; i++)
		r->b[i].n = r->b[i].used = 0;
	r->fn = fn;
	r->ctx = ctx;
	if (pthread_mutex_init(&r->mu, NULL)) {
		free(r->b);
		free(r);
		return NULL;
	}
	if (pthread_cond_init(&r->changed, NULL)) {
		pthread_mutex_destroy(&r->mu);
		free(r->b);
		free(r);
		return NULL;
	}
	if (pthread_create(&r->thread, NULL, store_thread, r)) {
		pthread_cond_destroy(&r->changed);
		pthread_mutex_destroy(&r->mu);
		free(r->b);
		free(r);
		return NULL;
	}
	return r;
}

/* Queues the batch being filled and waits for a free one. */
static int push(struct nl_relay *r)
{
	int failed;
	pthread_mutex_lock(&r->mu);
	r->count++;
	pthread_cond_broadcast(&r->changed);
	if (r->count == NBATCH) {
		int64_t t0 = PROF_T0();
		while (r->count == NBATCH)
			pthread_cond_wait(&r->changed, &r->mu);
		PROF_ADD(NL_P_PARSE_WAIT, t0);
	}
	r->fill = (r->head + r->count) % NBATCH;
	failed = r->failed;
	pthread_mutex_unlock(&r->mu);
	return failed ? -1 : 0;
}

struct nl_relay_item *relay_next(struct nl_relay *r)
{
	struct batch *b = &r->b[r->fill];
	if (b->n == BATCH) {
		if (push(r))
			return NULL;
		b = &r->b[r->fill];
	}
	if (b->n == b->used) {
		memset(&b->item[b->n], 0, sizeof b->item[b->n]);
		b->used++;
	}
	return &b->item[b->n++];
}

int relay_copy(struct nl_relay_item *it, const char *p, size_t n)
{
	if (n + 1 > it->cap) {
		size_t cap = n + 1 > 512 ? n + 1 : 512;
		char *nb = realloc(it->buf, cap);
		if (!nb)
			return -1;
		it->buf = nb;
		it->cap = cap;
	}
	if (n)
		memcpy(it->buf, p, n);
	it->buf[n] = '\0';
	it->len = n;
	return 0;
}

int relay_finish(struct nl_relay *r)
{
	int i, k, rc;
	pthread_mutex_lock(&r->mu);
	if (r->b[r->fill].n > 0)
		r->count++;
	r->done = 1;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	rc = r->rc;
	for (k = 0; k < NBATCH; k++)
		for (i = 0; i < r->b[k].used; i++)
			free(r->b[k].item[i].buf);
	pthread_cond_destroy(&r->changed);
	pthread_mutex_destroy(&r->mu);
	free(r->b);
	free(r);
	return rc;
}
