/*
 * timespec.c - parsing of --since/--until times (syslog, dmesg -T, ISO 8601,
 * epoch, uptime, relative) and of the time forms the store keeps as printed,
 * so that filters compare times, not text. Local times use the time zone
 * natlog runs in (TZ), as imports do.
 */
#include "natlog.h"
#include "timespec.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

const char nl_timespec_forms[] =
	"  Nov 21 15:26[:00]          syslog (year from the store)\n"
	"  Fri Nov 21 15:26:00 2025   dmesg -T\n"
	"  2025-11-21T15:26:00[.f][Z|+01:00], 2025-11-21 15:26:00, 2025-11-21\n"
	"                             ISO 8601 / RFC 3339 (local time without a zone)\n"
	"  @1763738760, 1763738760    epoch seconds (ten digits)\n"
	"  uptime:1569.5, 1569.5      kernel seconds since boot (fewer than ten digits)\n"
	"  -10m, -2h, -30s, -3d, -1w  relative to now\n"
	"  now, today, yesterday      (today and yesterday: local midnight)\n";

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
static const char wdays[] = "SunMonTueWedThuFriSat";

/* A cursor over a NUL-terminated string: each reader advances only on success. */
static int digits(const char **p, int min, int max, int64_t *v)
{
	const char *q = *p;
	int64_t n = 0;
	int k = 0;
	while (*q >= '0' && *q <= '9' && k < max) {
		n = n * 10 + (*q++ - '0');
		k++;
	}
	if (k < min || (*q >= '0' && *q <= '9'))
		return 0;
	*v = n;
	*p = q;
	return 1;
}

static int lit(const char **p, char c)
{
	if (**p != c)
		return 0;
	(*p)++;
	return 1;
}

/* ".123456" after seconds: microseconds (more digits are cut), 0 if none */
static int64_t frac_us(const char **p)
{
	int64_t us = 0, scale = 100000;
	if (**p != '.' || (*p)[1] < '0' || (*p)[1] > '9')
		return 0;
	for ((*p)++; **p >= '0' && **p <= '9'; (*p)++, scale /= 10)
		if (scale)
			us += (**p - '0') * scale;
	return us;
}

static int name3(const char **p, const char *table, int n)
{
	int i;
	for (i = 0; i < n; i++)
		if (!strncmp(*p, table + 3 * i, 3)) {
			*p += 3;
			return i;
		}
	return -1;
}

/* "hh:mm[:ss[.frac]]" into f[2..4] and *us (people leave the seconds out) */
static int clock_part(const char **p, int64_t f[5], int64_t *us)
{
	const char *q = *p;
	f[4] = 0;
	*us = 0;
	if (!digits(&q, 1, 2, &f[2]) || !lit(&q, ':') || !digits(&q, 2, 2, &f[3]) || f[2] > 23 ||
	    f[3] > 59)
		return 0;
	if (lit(&q, ':')) {
		if (!digits(&q, 2, 2, &f[4]) || f[4] > 60)
			return 0;
		*us = frac_us(&q);
	}
	*p = q;
	return 1;
}

/* "Nov 21 15:26:00[.frac]" (day may be space-padded): month 0-11 in f[0] */
static int syslog_part(const char **p, int64_t f[5], int64_t *us)
{
	const char *q = *p;
	if ((f[0] = name3(&q, months, 12)) < 0 || !lit(&q, ' '))
		return 0;
	if (*q == ' ')
		q++;
	if (!digits(&q, 1, 2, &f[1]) || f[1] < 1 || f[1] > 31 || !lit(&q, ' ') ||
	    !clock_part(&q, f, us))
		return 0;
	*p = q;
	return 1;
}

static int64_t local_us(int64_t year, const int64_t f[5], int64_t us)
{
	struct tm tm;
	time_t t;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (int)(year - 1900);
	tm.tm_mon = (int)f[0];
	tm.tm_mday = (int)f[1];
	tm.tm_hour = (int)f[2];
	tm.tm_min = (int)f[3];
	tm.tm_sec = (int)f[4];
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1 || tm.tm_mon != f[0])	/* Feb 30 is no day */
		return -1;
	return (int64_t)t * 1000000 + us;
}

static int64_t yearless_key(const int64_t f[5], int64_t us)
{
	return (((f[0] * 32 + f[1]) * 24 + f[2]) * 3600 + f[3] * 60 + f[4]) * 1000000 + us;
}

/* "Fri Nov 21 15:26:00 2025", optionally in dmesg's brackets */
static int dmesg_t(const char *s, int64_t f[5], int64_t *us, int64_t *year)
{
	const char *p = s;
	int br = lit(&p, '[');
	if (name3(&p, wdays, 7) < 0 || !lit(&p, ' ') || !syslog_part(&p, f, us) || !lit(&p, ' ') ||
	    !digits(&p, 4, 4, year) || (br && !lit(&p, ']')) || *p)
		return 0;
	return 1;
}

/* ISO 8601 / RFC 3339: date, then optional [T ]clock, optional Z or offset.
 * *zone_s is the offset east of UTC in seconds, or INT32_MIN for local. */
static int iso(const char *s, int64_t f[5], int64_t *us, int64_t *year, int64_t *zone_s)
{
	const char *p = s;
	int64_t zh, zm;
	f[2] = f[3] = f[4] = 0;
	*us = 0;
	*zone_s = INT32_MIN;
	if (!digits(&p, 4, 4, year) || !lit(&p, '-') || !digits(&p, 2, 2, &f[0]) || !lit(&p, '-') ||
	    !digits(&p, 2, 2, &f[1]) || f[0] < 1 || f[0] > 12 || f[1] < 1 || f[1] > 31)
		return 0;
	f[0]--;
	if (!*p)
		return 1;
	if ((*p != 'T' && *p != ' ') || (p++, !clock_part(&p, f, us)))
		return 0;
	if (lit(&p, 'Z'))
		*zone_s = 0;
	else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;
		/* +01:00 or +0100 */
		if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
			return 0;
		zh = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		lit(&p, ':');
		if (!digits(&p, 2, 2, &zm) || zh > 23 || zm > 59)
			return 0;
		*zone_s = sign * (zh * 3600 + zm * 60);
	}
	return *p == 0;
}

static int64_t iso_us(int64_t year, const int64_t f[5], int64_t us, int64_t zone_s)
{
	struct tm tm;
	time_t t;
	if (zone_s == INT32_MIN)
		return local_us(year, f, us);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (int)(year - 1900);
	tm.tm_mon = (int)f[0];
	tm.tm_mday = (int)f[1];
	tm.tm_hour = (int)f[2];
	tm.tm_min = (int)f[3];
	tm.tm_sec = (int)f[4];
	t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_mon != f[0])
		return -1;
	return ((int64_t)t - zone_s) * 1000000 + us;
}

/* "1569.5": integer digits in *ndig, microseconds in *us */
static int number(const char *s, int64_t *us, int *ndig)
{
	const char *p = s, *q;
	int64_t n;
	if (!digits(&p, 1, 12, &n))
		return 0;
	*ndig = (int)(p - s);
	q = p;
	*us = n * 1000000 + frac_us(&p);
	if (*q == '.' && p == q)
		return 0;
	return *p == 0;
}

static int64_t midnight_us(int64_t now_us, int days_back)
{
	time_t t = (time_t)(now_us / 1000000);
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return -1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday -= days_back;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	return t == (time_t)-1 ? -1 : (int64_t)t * 1000000;
}

int nl_timespec_parse(const char *s, int64_t now_us, struct nl_timespec *out)
{
	int64_t f[5], us, year, zone, n;
	const char *p = s;
	int ndig;
	memset(out, 0, sizeof *out);
	out->clock = NL_CLOCK_WALL;
	if (!strcmp(s, "now")) {
		out->us = now_us;
		return 0;
	}
	if (!strcmp(s, "today") || !strcmp(s, "yesterday")) {
		out->us = midnight_us(now_us, s[0] == 'y');
		return out->us < 0 ? -1 : 0;
	}
	if (*s == '-' && (p = s + 1, digits(&p, 1, 6, &n)) && p[0] && !p[1]) {
		static const struct { char c; int64_t s; } units[] = {
			{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 },
		};
		size_t i;
		for (i = 0; i < sizeof units / sizeof units[0]; i++)
			if (p[0] == units[i].c) {
				out->us = now_us - n * units[i].s * 1000000;
				return 0;
			}
		return -1;
	}
	if (*s == '@')
		return number(s + 1, &out->us, &ndig) ? 0 : -1;
	if (!strncmp(s, "uptime:", 7)) {
		out->clock = NL_CLOCK_UPTIME;
		return number(s + 7, &out->us, &ndig) ? 0 : -1;
	}
	if (number(s, &us, &ndig)) {
		/* ten digits are an epoch (2001-2286); fewer are seconds since
		 * boot (up to 31 years); more are neither */
		if (ndig > 10)
			return -1;
		out->clock = ndig == 10 ? NL_CLOCK_WALL : NL_CLOCK_UPTIME;
		out->us = us;
		return 0;
	}
	p = s;
	if (syslog_part(&p, f, &us) && !*p) {
		out->clock = NL_CLOCK_YEARLESS;
		out->syslog = 1;
		out->us = yearless_key(f, us);
		return 0;
	}
	if (dmesg_t(s, f, &us, &year))
		return (out->us = local_us(year, f, us)) < 0 ? -1 : 0;
	if (iso(s, f, &us, &year, &zone))
		return (out->us = iso_us(year, f, us, zone)) < 0 ? -1 : 0;
	return -1;
}

int nl_timespec_year(struct nl_timespec *t, int64_t ref_us)
{
	time_t r = (time_t)(ref_us / 1000000);
	struct tm tm;
	int64_t k = t->us, f[5], us, w;
	if (t->clock != NL_CLOCK_YEARLESS || !localtime_r(&r, &tm))
		return -1;
	us = k % 1000000;
	k /= 1000000;
	f[4] = k % 60;
	f[3] = k / 60 % 60;
	f[2] = k / 3600 % 24;
	k /= 86400;
	f[1] = k % 32;
	f[0] = k / 32;
	w = local_us(tm.tm_year + 1900, f, us);
	if (w > ref_us + (int64_t)31 * 86400 * 1000000)
		w = local_us(tm.tm_year + 1899, f, us);
	if (w < 0)
		return -1;
	t->clock = NL_CLOCK_WALL;
	t->us = w;
	return 0;
}

int64_t nl_time_wall_us(const char *printed)
{
	int64_t f[5], us, year, zone;
	if (!printed || !*printed)
		return -1;
	if (dmesg_t(printed, f, &us, &year))
		return local_us(year, f, us);
	if (iso(printed, f, &us, &year, &zone))
		return iso_us(year, f, us, zone);
	return -1;
}

void nl_time_init(void)
{
	if (!getenv("TZ"))
		setenv("TZ", ":/etc/localtime", 0);
	tzset();
}

int64_t nl_time_near_us(const char *printed, int64_t ref_us)
{
	int64_t f[5], us, best = nl_time_wall_us(printed), y, t;
	const char *p = printed;
	time_t r = (time_t)(ref_us / 1000000);
	struct tm tm;
	if (best >= 0 || ref_us < 0 || !printed || !syslog_part(&p, f, &us) || (*p && *p != ' ') ||
	    !localtime_r(&r, &tm))
		return best;
	for (y = tm.tm_year + 1900 - 1; y <= tm.tm_year + 1900 + 1; y++) {
		t = local_us(y, f, us);
		if (t >= 0 && (best < 0 || llabs(t - ref_us) < llabs(best - ref_us)))
			best = t;
	}
	return best;
}

int64_t nl_time_yearless(const char *printed)
{
	int64_t f[5], us, year, zone;
	const char *p = printed;
	if (!printed || !*printed)
		return -1;
	if (syslog_part(&p, f, &us) && (!*p || *p == ' '))
		return yearless_key(f, us);
	if (dmesg_t(printed, f, &us, &year) || iso(printed, f, &us, &year, &zone))
		return yearless_key(f, us);
	return -1;
}

int nl_time_opt(const char *cmd, const char *opt, const char *v, struct nl_timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	if (!nl_timespec_parse(v, (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000, t))
		return 0;
	fprintf(stderr, "natlog %s: %s '%s' is not a time; the forms are:\n%s", cmd, opt, nl_esc(v),
		nl_timespec_forms);
	return -1;
}

/* A year-less bound goes on the wall clock when the store knows years. */
static void place(const char *cmd, int64_t ref_us, struct nl_timespec *t, int *clock, int64_t *us,
		  int *noted)
{
	if (!t->clock)
		return;
	if (t->clock == NL_CLOCK_YEARLESS && ref_us >= 0)
		nl_timespec_year(t, ref_us);
	else if (t->clock == NL_CLOCK_YEARLESS && !(*noted)++)
		fprintf(stderr, "natlog %s: the store has no years (import with --year): syslog "
				"times compare within one year\n", cmd);
	*clock = (int)t->clock;
	*us = t->us;
}

int nl_time_needs_year(const struct nl_timespec *since, const struct nl_timespec *until)
{
	return since->clock == NL_CLOCK_YEARLESS || until->clock == NL_CLOCK_YEARLESS;
}

void nl_time_bounds(const char *cmd, int64_t ref_us, struct nl_timespec *since,
		    struct nl_timespec *until, int *since_clock, int64_t *since_us, int *until_clock,
		    int64_t *until_us)
{
	int noted = 0;
	place(cmd, ref_us, since, since_clock, since_us, &noted);
	place(cmd, ref_us, until, until_clock, until_us, &noted);
}

int nl_time_within(int clock, int64_t bound, int until, int64_t wall_us, int64_t uptime_us,
		   const char *printed)
{
	int64_t v = clock == NL_CLOCK_WALL ? wall_us : clock == NL_CLOCK_UPTIME ? uptime_us :
		    nl_time_yearless(printed);
	if (!clock)
		return 1;
	if (clock == NL_CLOCK_YEARLESS && v < 0 && wall_us >= 0) {
		/* a wall time read as the syslog time it would print */
		time_t t = (time_t)(wall_us / 1000000);
		struct tm tm;
		int64_t f[5];
		if (localtime_r(&t, &tm)) {
			f[0] = tm.tm_mon;
			f[1] = tm.tm_mday;
			f[2] = tm.tm_hour;
			f[3] = tm.tm_min;
			f[4] = tm.tm_sec;
			v = yearless_key(f, wall_us % 1000000);
		}
	}
	if (v < 0)
		return -1;
	return until ? v <= bound : v >= bound;
}

void nl_time_left_out(const char *cmd, int64_t n, int since_clock, int until_clock)
{
	nl_time_left_out_what(cmd, "packet", n, since_clock, until_clock);
}

void nl_time_left_out_what(const char *cmd, const char *what, int64_t n, int since_clock,
			   int until_clock)
{
	static const char *const why[] = {
		[NL_CLOCK_WALL] = "no wall-clock time is known for them (no time with a year in "
				  "their lines, no boot time for their input: import with --year "
				  "or --boot-time)",
		[NL_CLOCK_UPTIME] = "their lines print no kernel uptime",
		[NL_CLOCK_YEARLESS] = "their printed time is no syslog, dmesg -T or ISO time",
	};
	int c = since_clock ? since_clock : until_clock;
	if (n <= 0)
		return;
	fprintf(stderr, "natlog %s: %lld %s%s left out: %s\n", cmd, (long long)n, what,
		n == 1 ? "" : "s", why[c]);
	if (since_clock && until_clock && since_clock != until_clock)
		fprintf(stderr, "natlog %s: (or: %s)\n", cmd, why[until_clock]);
}

/* For tables: epoch seconds (ten digits or more, as pcap and conntrack -o
 * timestamp print them) become local time; with fitted, the wall-clock
 * forms become "Nov21 15:25:58.96" (month and day, the clock to the
 * hundredth when printed with a fraction). Kernel uptime and what is no
 * time stay as printed. */
void nl_time_show(const char *printed, int fitted, char *buf, size_t n)
{
	int64_t f[5], us, year, zone;
	const char *p = printed;
	int nd, frac = printed && strchr(printed, '.') != NULL;
	if (!printed || !*printed) {
		snprintf(buf, n, "-");
		return;
	}
	if (number(printed, &us, &nd) && nd >= 10) {
		time_t t = (time_t)(us / 1000000);
		struct tm tm;
		if (!localtime_r(&t, &tm)) {
			snprintf(buf, n, "%s", printed);
			return;
		}
		f[0] = tm.tm_mon;
		f[1] = tm.tm_mday;
		f[2] = tm.tm_hour;
		f[3] = tm.tm_min;
		f[4] = tm.tm_sec;
		us %= 1000000;
		if (!fitted) {
			snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
				 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
			if (frac)
				snprintf(buf + strlen(buf), n - strlen(buf), ".%06lld", (long long)us);
			return;
		}
	} else if (fitted && number(printed, &us, &nd)) {
		/* uptime to the hundredth, as the wall clock */
		snprintf(buf, n, frac ? "%lld.%02d" : "%lld", (long long)(us / 1000000),
			 (int)(us % 1000000 / 10000));
		return;
	} else if (!fitted || !((syslog_part(&p, f, &us) && (!*p || *p == ' ')) ||
				dmesg_t(printed, f, &us, &year) ||
				iso(printed, f, &us, &year, &zone))) {
		snprintf(buf, n, "%s", printed);
		return;
	}
	snprintf(buf, n, "%.3s%02d %02d:%02d:%02d", months + 3 * f[0], (int)f[1], (int)f[2],
		 (int)f[3], (int)f[4]);
	if (frac)
		snprintf(buf + strlen(buf), n - strlen(buf), ".%02d", (int)(us / 10000));
}
