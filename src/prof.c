/*
 * prof.c - stage timers of an import (prof.h): sums in nanoseconds and
 * call counts, added atomically since the parse, store and analysis
 * threads all report, printed once at the end of the import.
 */
#include "natlog.h"
#include "prof.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

int nl_prof_on;

static int64_t sums[NL_P_COUNT], calls[NL_P_COUNT];
static int64_t started;

static const char *const names[NL_P_COUNT] = {
	[NL_P_STREAM] = "parse.wall", [NL_P_PARSE_CPU] = "parse.cpu",
	[NL_P_PARSE_WAIT] = "parse.wait_store", [NL_P_DRAIN] = "parse.wait_drain",
	[NL_P_STORE_CPU] = "store.cpu", [NL_P_STORE_IDLE] = "store.idle",
	[NL_P_DEDUP] = "store.dedup", [NL_P_EV_INSERT] = "store.event_insert",
	[NL_P_PKT_INSERT] = "store.packet_insert", [NL_P_COMMIT] = "store.commit",
	[NL_P_INDEX] = "store.index", [NL_P_LOGGED] = "store.analyse_logged",
	[NL_P_ANALYZE] = "analyse.wall", [NL_P_AN_LIST] = "analyse.list",
	[NL_P_AN_EVENTS] = "analyse.read_events", [NL_P_AN_JOINS] = "analyse.read_joins",
	[NL_P_AN_RULES] = "analyse.load_rules", [NL_P_AN_CPU] = "analyse.cpu",
	[NL_P_AN_WRITE] = "analyse.write", [NL_P_AN_COMMIT] = "analyse.commit",
	[NL_P_SCAN_ROWS] = "store.scan_rows", [NL_P_SQL_STEPS] = "store.sql_steps",
};

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t prof_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

int64_t prof_cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

void prof_init(void)
{
	const char *v = getenv("NATLOG_PROFILE");
	nl_prof_on = v && *v && strcmp(v, "0") != 0;
	started = prof_ns();
}

void prof_add(int key, int64_t ns)
{
	if (key < 0 || key >= NL_P_COUNT)
		return;
	__atomic_fetch_add(&sums[key], ns, __ATOMIC_RELAXED);
	__atomic_fetch_add(&calls[key], 1, __ATOMIC_RELAXED);
}

void prof_count(int key, int64_t n)
{
	if (key >= 0 && key < NL_P_COUNT && n > 0)
		__atomic_fetch_add(&calls[key], n, __ATOMIC_RELAXED);
}

static double secs(const struct timeval *tv)
{
	return (double)tv->tv_sec + tv->tv_usec / 1e6;
}

void prof_report(void)
{
	struct rusage ru;
	int k;
	if (!nl_prof_on)
		return;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "natlog profile: total.wall %.3f s\n", (double)(prof_ns() - started) / 1e9);
	fprintf(stderr, "natlog profile: total.cpu %.3f s\n", secs(&ru.ru_utime) + secs(&ru.ru_stime));
	fprintf(stderr, "natlog profile: total.sys %.3f s\n", secs(&ru.ru_stime));
	for (k = 0; k < NL_P_COUNT; k++)
		fprintf(stderr, "natlog profile: %s %.3f s %lld\n", names[k], (double)sums[k] / 1e9,
			(long long)calls[k]);
}
