/*
 * timespec.h - the times a person types after --since/--until, and the
 * times natlog stores as printed, turned into numbers that compare as
 * times: epoch microseconds, kernel uptime, or a year-less key.
 */
#ifndef NL_TIMESPEC_H
#define NL_TIMESPEC_H

#include <stddef.h>
#include <stdint.h>

enum nl_clock {
	NL_CLOCK_WALL = 1,	/* epoch microseconds */
	NL_CLOCK_UPTIME,	/* microseconds since the host booted */
	NL_CLOCK_YEARLESS,	/* syslog time without a year: nl_time_yearless() */
};

struct nl_timespec {
	enum nl_clock clock;
	int64_t us;
	int syslog;		/* given as "Nov 21 15:26:00": needs the store's year */
};

/* The forms accepted, one per line, for usage errors. */
extern const char nl_timespec_forms[];

/* Parses what the user typed; now_us is the current epoch time (relative
 * forms). A syslog time without a year comes back as NL_CLOCK_YEARLESS
 * with syslog set; nl_timespec_year() puts it in a year. 0 or -1. */
int nl_timespec_parse(const char *s, int64_t now_us, struct nl_timespec *out);
/* Places a year-less syslog time on the wall clock: in the year of ref_us
 * (the store's latest wall time), or the year before when that would put it
 * more than a month after ref_us. Local time zone (TZ), as imports use. */
int nl_timespec_year(struct nl_timespec *t, int64_t ref_us);

/* A printed time with a year (dmesg -T "Fri Nov 21 15:26:00 2025", ISO 8601
 * / RFC 3339) as epoch microseconds; -1 for anything else. */
int64_t nl_time_wall_us(const char *printed);
/* A printed time's month, day and clock as one number that sorts like the
 * time within a year (syslog, dmesg -T, ISO forms); -1 for anything else. */
int64_t nl_time_yearless(const char *printed);
/* Epoch microseconds of a printed time as nl_time_wall_us() reads it; a
 * syslog time without a year ("Dec  5 02:30:53") in the year that puts
 * it closest to ref_us (a dump's time, say: a log and a dump of one
 * bundle are months apart at most). -1 when neither reads. */
int64_t nl_time_near_us(const char *printed, int64_t ref_us);
/* At start, before any thread: without TZ, glibc's mktime() reads
 * /etc/localtime again and replaces its zone state on every call; TZ set
 * to that same file (what an unset TZ means) makes it read it once. */
void nl_time_init(void);

/* For the commands: parses option opt's value, or says what is accepted
 * on stderr and returns -1 (a usage error). */
int nl_time_opt(const char *cmd, const char *opt, const char *v, struct nl_timespec *t);
/* Puts the bounds given (clock 0: not given) on their clocks, year-less
 * ones in the store's year (ref_us: its latest wall time, -1 if none). */
/* 1 when since or until is a syslog time without a year: placing it
 * needs the store's latest time, which costs a read of every packet. */
int nl_time_needs_year(const struct nl_timespec *since, const struct nl_timespec *until);
void nl_time_bounds(const char *cmd, int64_t ref_us, struct nl_timespec *since,
		    struct nl_timespec *until, int *since_clock, int64_t *since_us, int *until_clock,
		    int64_t *until_us);
/* 1 when a time is within a bound on clock (since: at or after; until: at or
 * before), 0 when not, -1 when it has no time on that clock. */
int nl_time_within(int clock, int64_t bound, int until, int64_t wall_us, int64_t uptime_us,
		   const char *printed);
/* Says on stderr how many packets a bound's clock could not place, and why. */
void nl_time_left_out(const char *cmd, int64_t n, int since_clock, int until_clock);
/* The same for what is not packets: "conntrack invalid lines". */
void nl_time_left_out_what(const char *cmd, const char *what, int64_t n, int since_clock,
			   int until_clock);
/* A printed time as tables show it, into buf: epoch seconds as local
 * time; fitted: wall-clock forms short ("Nov21 15:25:58.96"). */
void nl_time_show(const char *printed, int fitted, char *buf, size_t n);

#endif
