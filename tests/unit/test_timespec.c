/*
 * test_timespec.c - the --since/--until forms (timespec.c): each parses to
 * the right clock and time, year-less syslog times take a store's year, and
 * what is no time is refused. Runs in UTC.
 */
#include "natlog.h"
#include "timespec.h"
#include "unit.h"

#include <stdlib.h>
#include <time.h>

#define S 1000000LL
/* Sat 2026-11-21 15:26:00 UTC, the lab recordings' day */
#define T0 1795274760LL
#define NOW ((T0 + 86400 * 3 + 3600) * S)	/* three days and an hour later */

static int64_t wall(const char *s)
{
	struct nl_timespec t;
	if (nl_timespec_parse(s, NOW, &t) || t.clock != NL_CLOCK_WALL)
		return -1;
	return t.us;
}

static void test_wall_forms(void)
{
	CHECK_INT(wall("2026-11-21T15:26:00Z"), T0 * S);
	CHECK_INT(wall("2026-11-21T15:26Z"), T0 * S);
	CHECK_INT(wall("Sat Nov 21 15:26 2026"), T0 * S);
	CHECK_INT(wall("2026-11-21T16:26:00+01:00"), T0 * S);
	CHECK_INT(wall("2026-11-21T10:26:00-0500"), T0 * S);
	CHECK_INT(wall("2026-11-21 15:26:00.25"), T0 * S + 250000);
	CHECK_INT(wall("2026-11-21"), (T0 - 15 * 3600 - 26 * 60) * S);
	CHECK_INT(wall("Sat Nov 21 15:26:00 2026"), T0 * S);
	CHECK_INT(wall("[Sat Nov 21 15:26:00 2026]"), T0 * S);
	CHECK_INT(wall("@1795274760"), T0 * S);
	CHECK_INT(wall("@1795274760.5"), T0 * S + 500000);
	CHECK_INT(wall("1795274760"), T0 * S);
	CHECK_INT(wall("-10m"), NOW - 600 * S);
	CHECK_INT(wall("-2h"), NOW - 7200 * S);
	CHECK_INT(wall("-1w"), NOW - 604800 * S);
	CHECK_INT(wall("now"), NOW);
	CHECK_INT(wall("today"), (T0 + 86400 * 3 - 15 * 3600 - 26 * 60) * S);
	CHECK_INT(wall("yesterday"), (T0 + 86400 * 2 - 15 * 3600 - 26 * 60) * S);
}

static void test_uptime_and_syslog(void)
{
	struct nl_timespec t;
	CHECK(nl_timespec_parse("uptime:1569.5", NOW, &t) == 0 && t.clock == NL_CLOCK_UPTIME &&
	      t.us == 1569500000LL);
	CHECK(nl_timespec_parse("1569.5", NOW, &t) == 0 && t.clock == NL_CLOCK_UPTIME &&
	      t.us == 1569500000LL);
	CHECK(nl_timespec_parse("123456789", NOW, &t) == 0 && t.clock == NL_CLOCK_UPTIME);
	CHECK(nl_timespec_parse("Nov 21 15:26:00", NOW, &t) == 0 && t.clock == NL_CLOCK_YEARLESS &&
	      t.syslog);
	CHECK_INT(t.us, nl_time_yearless("Nov 21 15:26:00"));
	CHECK(nl_time_yearless("Nov 21 15:25:58") < t.us);
	CHECK(nl_time_yearless("Sat Nov 21 15:26:01 2026") > t.us);
	/* in the store's year; in the year before when that would be a month ahead */
	CHECK(nl_timespec_year(&t, T0 * S) == 0 && t.clock == NL_CLOCK_WALL && t.us == T0 * S);
	nl_timespec_parse("Dec 31 23:00:00", NOW, &t);
	CHECK(nl_timespec_year(&t, (T0 + 86400 * 60) * S) == 0 && t.us == 1798758000LL * S);
	nl_timespec_parse("Dec 31 23:00:00", NOW, &t);
	CHECK(nl_timespec_year(&t, T0 * S) == 0 && t.us == (1798758000LL - 365 * 86400) * S);
	CHECK(nl_timespec_parse("Nov  1 01:02:03", NOW, &t) == 0);
	CHECK(nl_timespec_parse("Nov 21 15:26", NOW, &t) == 0 &&
	      t.us == nl_time_yearless("Nov 21 15:26:00"));
}

static void test_printed(void)
{
	CHECK_INT(nl_time_wall_us("Sat Nov 21 15:26:00 2026"), T0 * S);
	CHECK_INT(nl_time_wall_us("2026-11-21T15:26:00.000001+00:00"), T0 * S + 1);
	CHECK_INT(nl_time_wall_us("Nov 21 15:26:00"), -1);	/* no year */
	CHECK_INT(nl_time_wall_us("2350.411619"), -1);
	CHECK_INT(nl_time_yearless("2350.411619"), -1);
	CHECK_INT(nl_time_yearless(""), -1);
	/* a syslog time takes the year that puts it closest to the reference */
	CHECK_INT(nl_time_near_us("Nov 21 15:26:00", T0 * S + 3600 * S), T0 * S);
	CHECK_INT(nl_time_near_us("Dec 31 23:59:59", 1798761600LL * S), 1798761599LL * S);
	CHECK_INT(nl_time_near_us("Jan  1 00:00:01", 1798761599LL * S), 1798761601LL * S);
	CHECK_INT(nl_time_near_us("Sat Nov 21 15:26:00 2026", 0), T0 * S);	/* has its year */
	CHECK_INT(nl_time_near_us("Nov 21 15:26:00", -1), -1);
	CHECK_INT(nl_time_near_us("2350.411619", T0 * S), -1);
}

static void test_refused(void)
{
	static const char *const bad[] = {
		"", "bogus", "Nov 21", "Nov 32 10:00:00", "Foo 21 10:00:00", "Nov 21 24:00:00",
		"2026-13-01", "2026-02-30", "2026-11-21T15:2", "2026-11-21T15:26:00+25:00",
		"Nov 21 15:26:", "Nov 21 15:26:0", "Nov 21 15:60",
		"-5x", "-m", "--10m", "12345678901", "uptime:", "uptime:-1", "@", "@x", "1.",
		"1.5.5", "Sat Nov 21 15:26:00", "Sat Nov 21 15:26:00 2026 x", "tomorrow",
	};
	struct nl_timespec t;
	size_t i;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (nl_timespec_parse(bad[i], NOW, &t) == 0) {
			fprintf(stderr, "'%s' was taken for a time\n", bad[i]);
			CHECK(0);
		} else {
			CHECK(1);
		}
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_wall_forms();
	test_uptime_and_syslog();
	test_printed();
	test_refused();
	return unit_report("test_timespec");
}
