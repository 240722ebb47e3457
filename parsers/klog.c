/*
 * klog.c - kernel log containers: dmesg (raw, -T, -r, -x, iso), /dev/kmsg,
 * syslog (traditional, RFC 3339 and RFC 5424, with or without imklog's
 * [uptime]), busybox logread, journalctl short, -precise, -iso, -monotonic,
 * -unix, -full, -o json, -o json-seq, -o json-pretty and -o export, and log
 * collectors' JSON ("message" or "log", one line or pretty-printed;
 * OpenTelemetry's OTLP/JSON), and the audit log's NETFILTER_PKT records.
 * The envelope is recognised per line (util-linux dmesg.c, systemd
 * logs-show.c, rsyslog templates), e.g.
 *   [ 2631.978281] TRACE: raw:PREROUTING:policy:2 IN=enp0s1 OUT= ...
 *   Jun 16 17:44:05 dev-slave-110 kernel: TRACE: raw:PREROUTING:rule:2 IN=eth0 ...
 * The message is handed to pktlog_parse(); other lines are skipped cheaply.
 */
#include "natlog.h"
#include "cursor.h"
#include "parser.h"
#include "timespec.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The fields of a `journalctl -o export` record seen before its MESSAGE=
 * line (systemd's journal-export format: "KEY=value" lines, a blank line
 * between records). */
struct export_rec {
	int open;		/* a __CURSOR= or __REALTIME_TIMESTAMP= line was seen */
	char host[128];
	int64_t wall_us;	/* -1: unknown */
	int64_t mono_us;	/* the kernel's time; -1: unknown, -2: out of range */
};

/* A journal record's MESSAGE is read when the record ends: the journal
 * keeps a record's fields in the order they came, and the kernel's
 * _HOSTNAME and _SOURCE_MONOTONIC_TIMESTAMP often follow its MESSAGE. The
 * line as printed, then the message, in one buffer. */
struct pending {
	int on;			/* 1: an export or verbose record's, 2: a JSON one's */
	char *buf;
	size_t cap, rawn, msgn;
	long line;
};

/* A binary field of an export record: its name alone on a line, then a
 * 64-bit little-endian length, the bytes and a newline (systemd's
 * "Journal Export Format"); the journal writes a value that way when it
 * holds a newline or another control character. Its bytes reach us as
 * lines: they are joined again with the newlines between them. */
struct export_bin {
	int on;			/* 1: the bytes of a binary field are being read */
	int is_msg;		/* the field is MESSAGE */
	long line;		/* the line of the field's name */
	long last;		/* the last line read of it */
	char *buf;		/* the length, then the bytes (MESSAGE's only) */
	size_t cap, got;	/* got: bytes read so far, the length's included */
};

/* The byte pairs of the line being read (pairs_may()) */
#define PAIRS 1024
struct pairtab {
	uint16_t gen;
	uint16_t seen[PAIRS];
};

struct klog {
	const struct nl_sink *sink;
	struct nl_event ev;
	struct export_rec xr;
	struct pending pm;
	struct export_bin xb;
	int verbose;		/* in a `journalctl -o verbose` record */
	int dump_said;		/* the error of a ruleset dump in the log was given */
	struct pairtab pairs;
};

/* No kernel runs for a century: a larger stamp (journal fields near 2^64,
 * a garbled bracket) is damage, and as a double it would not convert back
 * to microseconds. */
#define MAX_UPTIME_S 3155760000.0

/* A kernel time stamp that cannot be used: unknown (with the time as
 * printed when it came from that stamp), and the import says why.
 * Returns the sink's verdict. */
static int bad_time(struct klog *k, long lineno, const char *what, const char *s, size_t n)
{
	struct nl_event *ev = &k->ev;
	char msg[160];
	if (ev->uptime >= 0)
		ev->time[0] = '\0';
	ev->uptime = -1;
	snprintf(msg, sizeof msg, "%s is out of range; the line's kernel time is unknown", what);
	return k->sink->error(k->sink->ctx, lineno, msg, s, n);
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int digits(struct nl_cur *c, size_t n, int *out)
{
	int v = 0;
	size_t i;
	if (cur_left(c) < n)
		return 0;
	for (i = 0; i < n; i++) {
		if (!is_digit(c->p[i]))
			return 0;
		v = v * 10 + (c->p[i] - '0');
	}
	c->p += n;
	*out = v;
	return 1;
}

/* dmesg -d's time since the record before, "<    0.075392>": c past it. */
static int delta_stamp(struct nl_cur *c)
{
	struct nl_cur t = *c;
	const char *v;
	if (!cur_char(&t, '<'))
		return 0;
	cur_spaces(&t);
	v = t.p;
	while (t.p < t.end && (is_digit(*t.p) || *t.p == '.'))
		t.p++;
	if (t.p == v || !cur_char(&t, '>'))
		return 0;
	*c = t;
	return 1;
}

/* "[ 5678.901234]" : the kernel's seconds since boot; dmesg -d adds the
 * time since the record before, "[    1.991080 <    0.075392>]". The
 * kernel prints a fraction ("%5lu.%06lu"): a whole number is no stamp. */
static int uptime_bracket(struct nl_cur *c, double *up, const char **txt, size_t *tn)
{
	struct nl_cur t = *c;
	const char *s;
	size_t sn;
	if (!cur_char(&t, '['))
		return 0;
	cur_spaces(&t);
	s = t.p;
	while (t.p < t.end && (is_digit(*t.p) || *t.p == '.'))
		t.p++;
	sn = (size_t)(t.p - s);
	/* the kernel's six decimals first: one look, not a search */
	if (!(sn > 7 && s[sn - 7] == '.') && (sn == 0 || !memchr(s, '.', sn)))
		return 0;
	if (sn > 0 && cur_peek(&t) == ' ') {
		struct nl_cur u = t;
		cur_spaces(&u);
		if (delta_stamp(&u))
			t = u;
	}
	if (sn == 0 || !cur_char(&t, ']'))
		return 0;
	if (!nl_parse_decimal(s, sn, up))
		return 0;
	*txt = s;
	*tn = sn;
	*c = t;
	return 1;
}

/* A whole number in brackets where the kernel's stamp goes, "[00] ",
 * "[12345] ": a count, a task id or a stamp a paste blanked, never the
 * kernel's time (uptime_bracket). c past it and the blank after it. */
static int number_bracket(struct nl_cur *c)
{
	struct nl_cur t = *c;
	uint64_t v;
	if (!cur_char(&t, '['))
		return 0;
	cur_spaces(&t);
	if (!cur_u64(&t, UINT64_MAX, &v) || !cur_char(&t, ']') || cur_peek(&t) != ' ')
		return 0;
	cur_spaces(&t);
	*c = t;
	return 1;
}

/* MediaTek kernels' caller before each message: the CPU and the task,
 * "(0)[27829:sed]", after the level and a mark of the context ("<0>-",
 * "<1>.", "*"), maybe with the module's name after it, "[name:usb20_host&]":
 *   [ 1782.082073] <0>-(0)[0:swapper/0][name:usb20_host&][MUSB]mt_usb_...
 *   (0)[27829:sed][FW] IPTABLES [Pkt_Illegal] IN=br-lan OUT=ccmni2 ...
 * Returns 1 with c past it. */
static int mtk_caller(struct nl_cur *c)
{
	struct nl_cur t = *c;
	const char *close;
	uint64_t v;
	cur_spaces(&t);
	if (cur_char(&t, '<') && (!cur_u64(&t, 1023, &v) || !cur_char(&t, '>')))
		return 0;
	cur_spaces(&t);
	if (!cur_char(&t, '-') && !cur_char(&t, '*'))
		cur_char(&t, '.');
	if (!cur_char(&t, '(') || !cur_u64(&t, 0xffffULL, &v) || !cur_char(&t, ')') ||
	    !cur_char(&t, '[') || !cur_u64(&t, 0xffffffffULL, &v) || !cur_char(&t, ':'))
		return 0;
	/* the task's name: at most 15 bytes, a ':' or '/' in it allowed */
	close = memchr(t.p, ']', cur_left(&t) < 17 ? cur_left(&t) : 17);
	if (!close || close == t.p)
		return 0;
	t.p = close + 1;
	if (cur_left(&t) > 6 && !memcmp(t.p, "[name:", 6)) {
		close = memchr(t.p, ']', cur_left(&t) < 72 ? cur_left(&t) : 72);
		if (close && close[-1] == '&')
			t.p = close + 1;
	}
	*c = t;
	return 1;
}

/* "[    C3] " / "[  T123] " from CONFIG_PRINTK_CALLER, or a MediaTek
 * kernel's caller. */
static void caller_bracket(struct nl_cur *c)
{
	struct nl_cur t = *c;
	uint64_t v;
	if (mtk_caller(c))
		return;
	cur_spaces(&t);
	if (!cur_char(&t, '['))
		return;
	cur_spaces(&t);
	if (!cur_char(&t, 'C') && !cur_char(&t, 'T'))
		return;
	if (!cur_u64(&t, 0xffffffffULL, &v) || !cur_char(&t, ']'))
		return;
	*c = t;
}

/* "19:51:54 virthost kernel: ": a syslog header whose date a paste cut
 * off; the clock alone, when a host and the kernel's tag follow it. */
static int bare_clock(struct nl_cur *c)
{
	struct nl_cur t = *c;
	const char *w;
	size_t wn;
	int hh, mm, ss;
	if (!digits(&t, 2, &hh) || !cur_char(&t, ':') || !digits(&t, 2, &mm) ||
	    !cur_char(&t, ':') || !digits(&t, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
		return 0;
	if (cur_char(&t, '.'))
		while (t.p < t.end && is_digit(*t.p))
			t.p++;
	{
		struct nl_cur u = t;
		if (!cur_spaces(&u) || !cur_word(&u, &w, &wn) || !cur_spaces(&u) ||
		    !cur_lit(&u, "kernel:"))
			return 0;
	}
	*c = t;
	return 1;
}

/* "Mar  5 10:11:12[.345678]" (syslog, journal short and short-precise). */
static int syslog_time(struct nl_cur *c)
{
	struct nl_cur t = *c;
	int d, hh, mm, ss;
	if (nl_month_index(t.p, cur_left(&t)) < 0)
		return 0;
	t.p += 3;
	if (!cur_char(&t, ' '))
		return 0;
	cur_spaces(&t);
	if (!digits(&t, 2, &d) && !digits(&t, 1, &d))
		return 0;
	if (!cur_char(&t, ' ') || !digits(&t, 2, &hh) || !cur_char(&t, ':') ||
	    !digits(&t, 2, &mm) || !cur_char(&t, ':') || !digits(&t, 2, &ss))
		return 0;
	if (cur_char(&t, '.'))
		while (t.p < t.end && is_digit(*t.p))
			t.p++;
	if (d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60)
		return 0;
	*c = t;
	return 1;
}

/* Epoch microseconds of a civil time (month 1-12) at a UTC offset. */
static int64_t civil_us(int y, int mo, int d, int hh, int mm, int ss, int offset_s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	return ((int64_t)timegm(&tm) - offset_s) * 1000000;
}

/* "2024-03-05T10:11:12[.,]345678+01:00" (RFC 3339, short-iso, dmesg iso).
 * Sets *wall_us when an offset is given. */
static int iso_time(struct nl_cur *c, int64_t *wall_us)
{
	struct nl_cur t = *c;
	int y, mo, d, hh, mm, ss, oh = 0, om = 0, sign = 0;
	int64_t frac = 0, scale = 1000000;
	if (!digits(&t, 4, &y) || !cur_char(&t, '-') || !digits(&t, 2, &mo) ||
	    !cur_char(&t, '-') || !digits(&t, 2, &d) || (!cur_char(&t, 'T') && !cur_char(&t, ' ')) ||
	    !digits(&t, 2, &hh) || !cur_char(&t, ':') || !digits(&t, 2, &mm) ||
	    !cur_char(&t, ':') || !digits(&t, 2, &ss))
		return 0;
	if (cur_char(&t, '.') || cur_char(&t, ',')) {
		while (t.p < t.end && is_digit(*t.p)) {
			if (scale > 1) {
				frac = frac * 10 + (*t.p - '0');
				scale /= 10;
			}
			t.p++;
		}
		frac *= scale;
	}
	if (cur_char(&t, 'Z'))
		sign = 1;
	else if (cur_peek(&t) == '+' || cur_peek(&t) == '-') {
		sign = *t.p == '-' ? -1 : 1;
		t.p++;
		if (!digits(&t, 2, &oh))
			return 0;
		cur_char(&t, ':');
		if (!digits(&t, 2, &om))
			return 0;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60)
		return 0;
	if (sign)
		*wall_us = civil_us(y, mo, d, hh, mm, ss, sign * (oh * 3600 + om * 60)) + frac;
	*c = t;
	return 1;
}

/* "[Tue Mar  5 10:11:12 2024]" (dmesg -T). */
static int ctime_bracket(struct nl_cur *c)
{
	struct nl_cur t = *c;
	int y;
	if (!cur_char(&t, '[') || cur_left(&t) < 4)
		return 0;
	t.p += 3;		/* weekday */
	if (!cur_char(&t, ' ') || !syslog_time(&t) || !cur_char(&t, ' ') || !digits(&t, 4, &y) ||
	    !cur_char(&t, ']'))
		return 0;
	*c = t;
	return 1;
}

/* dmesg -H (--human, --reltime): "[Jan14 11:48]" when the minute changes,
 * "[  +0.000011]" for the time since the record before; --time-format delta
 * prints that time alone, "[<    0.000011>]". Neither is a
 * kernel time nor a wall time natlog could place (no year, no second),
 * so the stamp is kept as printed and nothing else. */
static int reltime_bracket(struct nl_cur *c, const char **txt, size_t *tn)
{
	struct nl_cur t = *c;
	const char *s;
	int d, hh, mm;
	if (!cur_char(&t, '['))
		return 0;
	cur_spaces(&t);
	s = t.p;
	if (delta_stamp(&t)) {
		;	/* dmesg --time-format delta: "[<    0.000011>]" */
	} else if (cur_char(&t, '+')) {
		const char *v = t.p;
		double sec;
		while (t.p < t.end && (is_digit(*t.p) || *t.p == '.'))
			t.p++;
		if (t.p == v || !nl_parse_decimal(v, (size_t)(t.p - v), &sec))
			return 0;
	} else {
		if (nl_month_index(t.p, cur_left(&t)) < 0)
			return 0;
		t.p += 3;
		if ((!digits(&t, 2, &d) && !digits(&t, 1, &d)) || !cur_char(&t, ' ') ||
		    !digits(&t, 2, &hh) || !cur_char(&t, ':') || !digits(&t, 2, &mm) || d < 1 ||
		    d > 31 || hh > 23 || mm > 59)
			return 0;
	}
	*tn = (size_t)(t.p - s);	/* the stamp without its brackets */
	if (!cur_char(&t, ']'))
		return 0;
	*txt = s;
	*c = t;
	return 1;
}

/* A weekday's three letters ("Mon"): t past them. */
static int weekday(struct nl_cur *t)
{
	static const char wdays[] = "SunMonTueWedThuFriSat";
	int i;
	if (cur_left(t) < 4)
		return 0;
	for (i = 0; i < 7 && memcmp(t->p, wdays + 3 * i, 3) != 0; i++)
		;
	if (i == 7)
		return 0;
	t->p += 3;
	return 1;
}

/* "Mon Dec 25 13:31:15 2017" (busybox and OpenWrt logread): the weekday,
 * a syslog time and the year, then a blank. */
static int logread_time(struct nl_cur *c)
{
	struct nl_cur t = *c;
	int y;
	if (!weekday(&t))
		return 0;
	if (!cur_char(&t, ' ') || !syslog_time(&t) || !cur_char(&t, ' ') || !digits(&t, 4, &y) ||
	    cur_peek(&t) != ' ')
		return 0;
	*c = t;
	return 1;
}

/* journalctl -o short-full (and -o with-unit): "Thu 2022-01-13 00:16:48
 * UTC", the weekday, a date and time with no offset, and the zone's
 * abbreviation (systemd's format_timestamp()). Only UTC places it on the
 * wall clock; *wall_us is set then. */
static int full_time(struct nl_cur *c, int64_t *wall_us)
{
	struct nl_cur t = *c;
	const char *z;
	size_t zn;
	int64_t wall = -1;
	if (!weekday(&t))
		return 0;
	if (!cur_char(&t, ' ') || !is_digit(cur_peek(&t)))
		return 0;
	{
		/* the date and time as iso_time() reads them, but no offset:
		 * the zone is the word after */
		struct nl_cur u = t;
		const char *sp;
		if (cur_left(&u) < 19 || u.p[10] != ' ')
			return 0;
		sp = memchr(u.p + 11, ' ', cur_left(&u) - 11);
		if (!sp)
			return 0;
		u.end = sp;
		if (!iso_time(&u, &wall) || u.p != sp)
			return 0;
		t.p = sp;
	}
	if (!cur_char(&t, ' ') || !cur_word(&t, &z, &zn) || zn > 6 || cur_peek(&t) != ' ')
		return 0;
	if (zn == 3 && !memcmp(z, "UTC", 3)) {
		struct nl_cur u = cur_make(c->p + 4, (size_t)(z - 1 - (c->p + 4)));
		char buf[40];
		struct nl_cur v;
		int n = snprintf(buf, sizeof buf, "%.*sZ", (int)cur_left(&u), u.p);
		if (n > 0 && (size_t)n < sizeof buf) {
			v = cur_make(buf, (size_t)n);
			if (iso_time(&v, &wall))
				*wall_us = wall;
		}
	}
	*c = t;
	return 1;
}

/* "1709629872.345678" (journalctl -o short-unix). */
static int unix_time(struct nl_cur *c, int64_t *wall_us)
{
	struct nl_cur t = *c;
	const char *s = t.p;
	double v;
	while (t.p < t.end && (is_digit(*t.p) || *t.p == '.'))
		t.p++;
	/* past the year 5000 it is no time stamp, and would not fit the
	 * microseconds (a double beyond 2^63 does not convert) */
	if (t.p - s < 10 || cur_peek(&t) != ' ' || !nl_parse_decimal(s, (size_t)(t.p - s), &v) ||
	    v > 1e11)
		return 0;
	*wall_us = (int64_t)(v * 1e6 + 0.5);
	*c = t;
	return 1;
}

static int word_is_tag(const char *w, size_t n)
{
	if (n < 2 || w[n - 1] != ':')
		return 0;
	if (n == 6 && memcmp(w, "TRACE:", 6) == 0)
		return 0;
	if (n > 6 && memcmp(w, "nf_ct_", 6) == 0)
		return 0;
	return 1;
}

static void set_time(struct nl_event *ev, const char *s, size_t n)
{
	nl_strlcpyn(ev->time, s, n, sizeof ev->time);
}

/* ulogd's LOGEMU writes "host PREFIX: IN=...": a tag of no pid right
 * before IN= (after is the cursor past the tag) is the packet's log
 * prefix, not a tag. */
static int tag_is_prefix(const char *w, size_t wn, struct nl_cur after)
{
	cur_spaces(&after);
	return cur_left(&after) >= 3 && !memcmp(after.p, "IN=", 3) && !memchr(w, '[', wn);
}

/* Whether w may be a syslog header's host: a name or an address, not a
 * tag ("DENY:"), a field or a bracketed prefix. */
static int host_word(const char *w, size_t n)
{
	size_t i;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= 'A' && w[i] <= 'Z') || is_digit(w[i]) ||
		      w[i] == '-' || w[i] == '.' || w[i] == '_'))
			return 0;
	return 1;
}

/* Whether a syslog, logread or RFC 3339 stamp starts at p. */
static int stamp_at(const char *p, const char *end)
{
	struct nl_cur u = cur_make(p, (size_t)(end - p));
	int64_t wall;
	return syslog_time(&u) || logread_time(&u) || iso_time(&u, &wall);
}

/* After logread's stamp: "kern.warn kernel: ", no host. */
static void logread_tag(struct nl_cur *c)
{
	struct nl_cur t = *c;
	const char *w;
	size_t wn;
	cur_spaces(&t);
	cur_word(&t, &w, &wn);
	if (wn > 2 && memchr(w, '.', wn) && w[wn - 1] != ':') {
		*c = t;		/* facility.level */
		cur_spaces(&t);
		cur_word(&t, &w, &wn);
	}
	if (word_is_tag(w, wn) && !tag_is_prefix(w, wn, t))
		*c = t;
}

/* Host and tag after a time stamp (syslogish: a syslog or journal one):
 * "fw1 kernel: ", busybox "fw1 kern.warn kernel: ". The host goes to
 * ev, c past the tag. */
static void host_tag(struct nl_cur *c, int syslogish, struct nl_event *ev)
{
	struct nl_cur t;
	const char *w1, *w2;
	size_t w1n, w2n;
	cur_spaces(c);
	t = *c;
	cur_word(&t, &w1, &w1n);
	cur_spaces(&t);
	cur_word(&t, &w2, &w2n);
	if (syslogish && w2n > 2 && memchr(w2, '.', w2n) && w2[w2n - 1] != ':') {
		const char *w3;
		size_t w3n;
		struct nl_cur u = t;
		cur_spaces(&u);
		cur_word(&u, &w3, &w3n);
		if (word_is_tag(w3, w3n)) {
			w2 = w3;	/* facility.level between host and tag */
			w2n = w3n;
		}
	}
	if (w1n > 0 && w2n >= 7 && memcmp(w2, "kernel", 6) == 0 && w2[w2n - 1] == ':') {
		/* rsyslog 8.2210 writes "[localhost]" before it learns the host
		 * name (rsyslog#4975): the name is inside the brackets */
		if (w1n > 2 && w1[0] == '[' && w1[w1n - 1] == ']' && host_word(w1 + 1, w1n - 2))
			nl_strlcpyn(ev->host, w1 + 1, w1n - 2, sizeof ev->host);
		else
			nl_strlcpyn(ev->host, w1, w1n, sizeof ev->host);
		c->p = w2 + w2n;
	} else if (w1n >= 7 && memcmp(w1, "kernel", 6) == 0 && w1[w1n - 1] == ':') {
		c->p = w1 + w1n;
	} else if (syslogish && w1n > 0 && word_is_tag(w2, w2n)) {
		nl_strlcpyn(ev->host, w1, w1n, sizeof ev->host);
		c->p = tag_is_prefix(w2, w2n, cur_make(w2 + w2n, (size_t)(c->end - w2 - w2n)))
			       ? w2 : w2 + w2n;
	} else if (syslogish && w2n > 0 && host_word(w1, w1n) && !stamp_at(w2, c->end)) {
		/* no tag: a router's syslog sends the message right after the
		 * host ("unifi-r1 [VPN_LAN-D-10004] DESCR=... IN="); a second
		 * stamp after it is a relay's header before the record's own */
		nl_strlcpyn(ev->host, w1, w1n, sizeof ev->host);
		c->p = w1 + w1n;
	}
}

/* RFC 5424's structured data after the MSGID: "-", or one or more
 * "[id name=\"value\" ...]" elements, a value's '"', '\\' and ']'
 * escaped with a backslash. */
static int sd_elements(struct nl_cur *c)
{
	struct nl_cur t = *c;
	if (cur_char(&t, '-')) {
		*c = t;
		return 1;
	}
	if (cur_peek(&t) != '[')
		return 0;
	while (cur_char(&t, '[')) {
		int quoted = 0;
		for (;;) {
			if (t.p >= t.end)
				return 0;
			if (*t.p == '\\' && quoted && t.p + 1 < t.end)
				t.p++;
			else if (*t.p == '"')
				quoted = !quoted;
			else if (*t.p == ']' && !quoted)
				break;
			t.p++;
		}
		t.p++;
	}
	*c = t;
	return 1;
}

/* An RFC 5424 header after its "<PRI>" (rsyslog's
 * RSYSLOG_SyslogProtocol23Format, syslog-ng's syslog() destination):
 *   1 2016-06-21T15:27:15.771223+08:00 host kernel - - - [ 3132.531409] [UFW BLOCK] IN=...
 * VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA, each
 * "-" when absent. Sets the time and host; c past the header. */
static int rfc5424_header(struct nl_cur *c, struct nl_event *ev)
{
	struct nl_cur t = *c;
	const char *ts = NULL, *w;
	size_t tn = 0, wn, host_n = 0;
	const char *host = NULL;
	uint64_t ver;
	int64_t wall = -1;
	int i;
	if (!cur_u64(&t, 99, &ver) || ver == 0 || !cur_char(&t, ' '))
		return 0;
	if (!cur_char(&t, '-')) {
		ts = t.p;
		if (!iso_time(&t, &wall))
			return 0;
		tn = (size_t)(t.p - ts);
	}
	if (!cur_char(&t, ' ') || !cur_word(&t, &host, &host_n))
		return 0;
	for (i = 0; i < 3; i++)	/* APP-NAME, PROCID, MSGID */
		if (!cur_char(&t, ' ') || !cur_word(&t, &w, &wn))
			return 0;
	if (!cur_char(&t, ' ') || !sd_elements(&t))
		return 0;
	if (!cur_eof(&t) && !cur_char(&t, ' '))
		return 0;
	if (cur_left(&t) >= 3 && !memcmp(t.p, "\xef\xbb\xbf", 3))
		t.p += 3;	/* the message's UTF-8 byte order mark */
	if (ts) {
		set_time(ev, ts, tn);
		ev->wall_us = wall;
	}
	if (!(host_n == 1 && host[0] == '-'))
		nl_strlcpyn(ev->host, host, host_n, sizeof ev->host);
	*c = t;
	return 1;
}

/* imklog keeps the kernel's own stamp inside the message: "[uptime]" and
 * a caller's bracket after it. Returns where the message starts. */
static const char *kernel_stamp(struct nl_cur c, struct nl_event *ev)
{
	const char *ut;
	size_t utn;
	double up;
	cur_spaces(&c);
	if (uptime_bracket(&c, &up, &ut, &utn)) {
		ev->uptime = up;
		if (!ev->time[0])
			set_time(ev, ut, utn);
		caller_bracket(&c);
		cur_spaces(&c);
	} else if (mtk_caller(&c)) {
		cur_spaces(&c);	/* a paste that kept the caller, not the stamp */
	} else if (cur_peek(&c) == '[') {
		number_bracket(&c);
	}
	return c.p;
}

/* Loki's logcli (default output) prints a stream's labels between the
 * time and the line: "2018-06-25T12:52:09Z {host=\"fw\", job=\"varlogs\"} ...".
 * The labels are skipped, a host= label kept as the host; c past them. */
static int loki_labels(struct nl_cur *c, struct nl_event *ev)
{
	struct nl_cur t = *c;
	const char *open, *h;
	int quoted = 0;
	cur_spaces(&t);
	open = t.p;
	if (!cur_char(&t, '{') || (cur_peek(&t) != '}' && !(cur_peek(&t) >= 'a' &&
							   cur_peek(&t) <= 'z') &&
				    cur_peek(&t) != '_'))
		return 0;
	for (; t.p < t.end; t.p++) {
		if (*t.p == '\\' && quoted && t.p + 1 < t.end)
			t.p++;
		else if (*t.p == '"')
			quoted = !quoted;
		else if (*t.p == '}' && !quoted)
			break;
	}
	if (t.p >= t.end || !memchr(open, '=', (size_t)(t.p - open)))
		return 0;
	h = memmem(open, (size_t)(t.p - open), "host=\"", 6);
	if (h && (h == open + 1 || h[-1] == ' ' || h[-1] == ',')) {
		const char *e = memchr(h + 6, '"', (size_t)(t.p - h - 6));
		if (e && !ev->host[0])
			nl_strlcpyn(ev->host, h + 6, (size_t)(e - h - 6), sizeof ev->host);
	}
	t.p++;
	cur_spaces(&t);
	*c = t;
	return 1;
}

/* The CRI log format, as containerd and CRI-O write a container's output
 * (/var/log/pods/<pod>/<container>/0.log and its links in
 * /var/log/containers; kubelet's
 * parseCRILog()): "2016-10-06T00:17:09.669794202Z stdout F content", the
 * stream and a tag after the time, F for a whole line, P for a part of one
 * longer than the runtime's buffer (16 KiB: never a kernel line, whose
 * rest would be a record of its own, its first word a field of the
 * packet). No host: the stream is none. 1, c past the tag, when it follows. */
static int cri_stream(struct nl_cur *c)
{
	struct nl_cur t = *c;
	if (!cur_lit(&t, " stdout ") && !cur_lit(&t, " stderr "))
		return 0;
	if (!cur_char(&t, 'F') && !cur_char(&t, 'P'))
		return 0;
	while (t.p < t.end && *t.p != ' ')	/* "F:more" kept forward compatible */
		t.p++;
	if (!cur_char(&t, ' '))
		return 0;
	*c = t;
	return 1;
}

/* Reads the envelope; returns where the message starts. depth: how many
 * envelopes this one is inside (a container's line in its runtime's, a
 * log file's line in Loki's), two at most, so that a line of nothing but
 * envelopes cannot exhaust the stack. */
static const char *envelope_in(const char *s, size_t n, struct nl_event *ev, int depth)
{
	struct nl_cur c = cur_make(s, n), t;
	const char *ts = NULL, *ut;
	size_t tn = 0, utn;
	int syslogish = 0, logread = 0;
	uint64_t v;
	double up;

	/* a paste indented as a code block, or quoted in a mail ("> kernel:
	 * [ 7018.727278] TRACE: ..."): no kernel line starts with '>', so the
	 * marks are no host before "kernel:" and no part of the stamp */
	while (c.p < c.end && (*c.p == ' ' || *c.p == '\t' || *c.p == '>'))
		c.p++;
	/* dmesg -r "<4>" and dmesg -x "kern  :warn  : " */
	t = c;
	if (cur_char(&t, '<') && cur_u64(&t, 1023, &v) && cur_char(&t, '>')) {
		c = t;
		cur_spaces(&t);
		if (rfc5424_header(&t, ev))
			return kernel_stamp(t, ev);
	}
	t = c;
	while (t.p < t.end && *t.p >= 'a' && *t.p <= 'z')
		t.p++;
	if (t.p > c.p && (cur_spaces(&t), cur_char(&t, ':'))) {
		while (t.p < t.end && *t.p >= 'a' && *t.p <= 'z')
			t.p++;
		cur_spaces(&t);
		if (cur_char(&t, ':') && cur_char(&t, ' '))
			c = t;
	}
	/* /dev/kmsg "4,1234,5678901234,-;" */
	t = c;
	{
		uint64_t lvl, seq, usec;
		if (cur_u64(&t, 1023, &lvl) && cur_char(&t, ',') && cur_u64(&t, UINT64_MAX, &seq) &&
		    cur_char(&t, ',') && cur_u64(&t, UINT64_MAX, &usec) && cur_char(&t, ',')) {
			const char *semi = memchr(t.p, ';', cur_left(&t));
			if (semi) {
				ev->uptime = (double)usec / 1e6;
				snprintf(ev->time, sizeof ev->time, "%.6f", ev->uptime);
				return semi + 1;
			}
		}
	}

	ts = c.p;
	if (uptime_bracket(&c, &up, &ut, &utn)) {
		ev->uptime = up;
		ts = ut;
		tn = utn;
		caller_bracket(&c);
	} else if (ctime_bracket(&c)) {
		tn = (size_t)(c.p - ts) - 2;
		ts++;
		caller_bracket(&c);
	} else if (reltime_bracket(&c, &ut, &utn)) {
		ts = ut;
		tn = utn;
		caller_bracket(&c);
	} else if (logread_time(&c)) {
		tn = (size_t)(c.p - ts);
		logread = 1;
	} else if (full_time(&c, &ev->wall_us)) {
		tn = (size_t)(c.p - ts);
		syslogish = 1;
	} else if (syslog_time(&c) || iso_time(&c, &ev->wall_us)) {
		tn = (size_t)(c.p - ts);
		syslogish = 1;
	} else if (unix_time(&c, &ev->wall_us)) {
		tn = (size_t)(c.p - ts);
		syslogish = 1;
	} else if (bare_clock(&c)) {
		tn = (size_t)(c.p - ts);	/* no date: no wall-clock time */
		syslogish = 1;
	} else {
		ts = NULL;
		if (cur_peek(&c) == '[')
			number_bracket(&c);
	}
	if (ts)
		set_time(ev, ts, tn);
	if (syslogish && depth < 2 && cri_stream(&c)) {
		/* the container's line, with its own envelope if it has one
		 * (a dmesg or syslog stamp, whose time is then the line's: the
		 * runtime's says when the container printed it) */
		int64_t wall = ev->wall_us;
		char was[sizeof ev->time];
		const char *m;
		memcpy(was, ev->time, sizeof was);
		ev->wall_us = -1;
		m = envelope_in(c.p, cur_left(&c), ev, depth + 1);
		if (!memcmp(was, ev->time, sizeof was))
			ev->wall_us = wall;
		return m;
	}
	if (syslogish && depth < 2 && loki_labels(&c, ev)) {
		/* the line Loki stored: a log file's line keeps its own envelope */
		if (stamp_at(c.p, c.end)) {
			int64_t wall = ev->wall_us;
			const char *m = envelope_in(c.p, cur_left(&c), ev, depth + 1);
			if (ev->wall_us < 0)
				ev->wall_us = wall;
			return m;
		}
		return kernel_stamp(c, ev);
	}
	if (logread) {
		/* the year is printed: the time is on the wall clock (local, as
		 * logread prints it and as the store reads that form) */
		ev->wall_us = nl_time_wall_us(ev->time);
		logread_tag(&c);
	} else {
		host_tag(&c, syslogish, ev);
	}
	return kernel_stamp(c, ev);
}

static const char *envelope(const char *s, size_t n, struct nl_event *ev)
{
	return envelope_in(s, n, ev, 0);
}

/* What pktlog_parse() made of a message (rc): an event, a line of no
 * interest, or an error at the line. */
static int deliver(struct klog *k, int rc, struct nl_event *ev, const char *msg, size_t mn,
		   long lineno, const struct nl_err *err, const char *s, size_t n)
{
	if (rc > 0) {
		k->sink->skip(k->sink->ctx, lineno);
		return 0;
	}
	if (rc < 0)
		return k->sink->error(k->sink->ctx, lineno, err->msg, s, n);
	ev->msg = msg;
	ev->msglen = mn;
	ev->line = lineno;
	return k->sink->event(k->sink->ctx, ev);
}

/* The time a collector put beside the line: an RFC 3339 or syslog stamp
 * in "timestamp" (Vector), "time" (Docker's json-file) or "date" (Fluent
 * Bit's json_lines, a string with json_date_format iso8601), or Fluent
 * Bit's default, "date" as epoch seconds (json_date_format double), as
 * GELF's "timestamp" is. */
static void collector_time(json_t *o, struct nl_event *ev)
{
	static const char *const keys[] = { "timestamp", "time", "date" };
	json_t *d = json_object_get(o, "date");
	size_t i;
	for (i = 0; i < sizeof keys / sizeof *keys; i++) {
		const char *str = json_string_value(json_object_get(o, keys[i]));
		struct nl_cur t;
		int64_t wall = -1;
		if (!str)
			continue;
		t = cur_make(str, strlen(str));
		if (iso_time(&t, &wall) || syslog_time(&t)) {
			set_time(ev, str, strlen(str));
			ev->wall_us = wall;
			return;
		}
	}
	if (!json_is_number(d))
		d = json_object_get(o, "timestamp");	/* GELF's */
	if (json_is_number(d) && json_number_value(d) > 0 && json_number_value(d) < 1e11) {
		ev->wall_us = (int64_t)(json_number_value(d) * 1e6 + 0.5);
		snprintf(ev->time, sizeof ev->time, "%.6f", (double)ev->wall_us / 1e6);
	}
}

/* A log collector's JSON record (Vector, Fluent Bit, Logstash): the line
 * in "message", or in "log" (Fluent Bit's tail input and Docker's json-file
 * driver keep the line there), read as a kernel log line would be, with
 * "host" or "hostname" and the collector's time where the line has none,
 * e.g.
 *   {"appname":"kernel","host":"fw","message":"[UFW BLOCK] IN=enp0s3 OUT= ...",
 *    "timestamp":"2021-09-06T08:00:26Z"}
 *   {"date":1642033008.518660,"log":"Jan 13 00:16:48 fw kernel: iptables DROP_INPUT: IN=..."} */
static int collector_json(struct klog *k, json_t *o, json_t *m, const char *s, size_t n,
			  long lineno)
{
	struct nl_event *ev = &k->ev;
	struct nl_err err;
	const char *msg = json_string_value(m), *body, *str;
	size_t mn = json_string_length(m);
	int rc;

	while (mn > 0 && (msg[mn - 1] == '\n' || msg[mn - 1] == '\r'))
		mn--;	/* Docker keeps the line's end */
	body = envelope(msg, mn, ev);
	mn -= (size_t)(body - msg);
	if (!ev->host[0] && ((str = json_string_value(json_object_get(o, "host"))) ||
			     (str = json_string_value(json_object_get(o, "hostname"))) ||
			     (str = json_string_value(json_object_get(
				      json_object_get(o, "labels"), "host")))))
		nl_strlcpy(ev->host, str, sizeof ev->host);	/* labels: logcli's jsonl */
	if (!ev->time[0])
		collector_time(o, ev);
	rc = pktlog_parse(body, mn, ev, &err);
	return deliver(k, rc, ev, body, mn, lineno, &err, s, n);
}

/* The value of the OTLP attribute key in a "key"/"value" list, as a
 * string ({"key": "host.name", "value": {"stringValue": "wally"}}), or
 * NULL. */
static json_t *otlp_attr(json_t *list, const char *key)
{
	size_t i;
	for (i = 0; i < json_array_size(list); i++) {
		json_t *kv = json_array_get(list, i);
		const char *k = json_string_value(json_object_get(kv, "key"));
		json_t *v = json_object_get(json_object_get(kv, "value"), "stringValue");
		if (k && !strcmp(k, key) && json_is_string(v))
			return v;
	}
	return NULL;
}

static void ev_reset(struct nl_event *ev);

/* An OpenTelemetry export (OTLP/JSON, as the collector's file exporter
 * writes it, one object a line):
 *   {"resourceLogs":[{"resource":{"attributes":[{"key":"host.name",...}]},
 *    "scopeLogs":[{"logRecords":[{"timeUnixNano":"1756401581000000000",
 *    "body":{"kvlistValue":{"values":[{"key":"message","value":
 *    {"stringValue":"[874004.146653] drop wan in: IN=eth0 ..."}}]}}}]}]}]}
 * Each log record's line (its body's string, or the body's "message") is
 * read as a collector's "message" is, with host.name and timeUnixNano
 * where the line has none. 0 or the sink's verdict; -2: o is no OTLP
 * export. */
static int otlp_json(struct klog *k, json_t *o, const char *s, size_t n, long lineno)
{
	json_t *rl = json_object_get(o, "resourceLogs");
	struct nl_event *ev = &k->ev;
	size_t i, j, r, events = 0;
	int rc;

	if (!json_is_array(rl))
		return -2;
	for (i = 0; i < json_array_size(rl); i++) {
		json_t *res = json_array_get(rl, i);
		json_t *host = otlp_attr(json_object_get(json_object_get(res, "resource"), "attributes"),
					 "host.name");
		json_t *sl = json_object_get(res, "scopeLogs");
		for (j = 0; j < json_array_size(sl); j++) {
			json_t *recs = json_object_get(json_array_get(sl, j), "logRecords");
			for (r = 0; r < json_array_size(recs); r++) {
				json_t *rec = json_array_get(recs, r), *body = json_object_get(rec, "body");
				json_t *m = json_object_get(body, "stringValue");
				const char *msg, *line, *ns;
				struct nl_err err;
				size_t mn;
				uint64_t v;
				if (!json_is_string(m))
					m = otlp_attr(json_object_get(json_object_get(body, "kvlistValue"),
								      "values"), "message");
				if (!m)
					continue;
				msg = json_string_value(m);
				mn = json_string_length(m);
				while (mn > 0 && (msg[mn - 1] == '\n' || msg[mn - 1] == '\r'))
					mn--;
				ev_reset(ev);
				ev->raw = s;
				ev->rawlen = n;
				line = envelope(msg, mn, ev);
				mn -= (size_t)(line - msg);
				if (!ev->host[0] && host)
					nl_strlcpy(ev->host, json_string_value(host), sizeof ev->host);
				ns = json_string_value(json_object_get(rec, "timeUnixNano"));
				if (ev->wall_us < 0 && ns && nl_parse_u64(ns, strlen(ns), INT64_MAX, &v) && v) {
					/* as the journal's __REALTIME_TIMESTAMP beside a kernel stamp */
					ev->wall_us = (int64_t)(v / 1000);
					if (!ev->time[0])
						snprintf(ev->time, sizeof ev->time, "%.6f",
							 (double)ev->wall_us / 1e6);
				}
				rc = pktlog_parse(line, mn, ev, &err);
				if (rc > 0)
					continue;	/* another program's record */
				if (rc < 0)
					rc = k->sink->error(k->sink->ctx, lineno, err.msg, s, n);
				else {
					ev->msg = line;
					ev->msglen = mn;
					ev->line = lineno;
					rc = k->sink->event(k->sink->ctx, ev);
				}
				if (rc)
					return rc;
				events++;
			}
		}
	}
	if (!events)
		return k->sink->error(k->sink->ctx, lineno, "OpenTelemetry line without a log record "
				      "whose body natlog reads: its netfilter fields are where natlog "
				      "does not look", s, n);
	return 0;
}

static int maybe_netfilter(const char *s, size_t n);

/* Graylog's GELF: the line in "short_message", or in "full_message" when
 * only that one holds netfilter's fields (a syslog input keeps the whole
 * line there), with "host" and "timestamp" (epoch seconds, a number):
 *   {"version":"1.1","host":"fw","short_message":" [46506.088085] DROP IN=...",
 *    "timestamp":1519131044,"level":4} */
static json_t *gelf_message(json_t *o)
{
	json_t *m = json_object_get(o, "short_message"), *f;
	if (json_is_string(m) && maybe_netfilter(json_string_value(m), json_string_length(m)) != 1 &&
	    json_is_string(f = json_object_get(o, "full_message")) &&
	    maybe_netfilter(json_string_value(f), json_string_length(f)) == 1)
		return f;
	return m;
}

static int journal_json(struct klog *k, const char *s, size_t n, long lineno);

/* GELF over TCP, as Graylog's input reads it and a capture of the stream
 * keeps it: each record ends with a NUL byte, not a newline, so the
 * records arrive as one line. Each is read as a line of its own (at the
 * stream's line number); blanks between them are no record. */
static int nul_records(struct klog *k, const char *s, size_t n, long lineno)
{
	const char *end = s + n, *e;
	int rc = 0;
	for (; s < end; s = e + 1) {
		while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
			s++;
		if (!(e = memchr(s, '\0', (size_t)(end - s))))
			e = end;
		if (e == s)
			continue;
		ev_reset(&k->ev);
		k->ev.raw = s;
		k->ev.rawlen = (size_t)(e - s);
		if (s[0] != '{' || memchr(s, '\0', (size_t)(e - s)))
			rc = k->sink->error(k->sink->ctx, lineno, "a NUL-separated record (GELF over "
					    "TCP) that is not a JSON object", s, (size_t)(e - s));
		else
			rc = journal_json(k, s, (size_t)(e - s), lineno);
		if (rc < 0)
			return rc;
	}
	return rc;
}

static int journal_json(struct klog *k, const char *s, size_t n, long lineno)
{
	struct nl_event *ev = &k->ev;
	json_error_t jerr;
	json_t *o = json_loadb(s, n, 0, &jerr), *m;
	const char *msg, *str;
	char buf[2048];
	size_t mn;
	struct nl_err err;
	int rc, mono_bad = 0;

	if (!o || !json_is_object(o)) {
		json_decref(o);
		if (memchr(s, '\0', n))
			return nul_records(k, s, n, lineno);
		return k->sink->error(k->sink->ctx, lineno, "journal JSON line does not parse", s, n);
	}
	if ((rc = otlp_json(k, o, s, n, lineno)) != -2) {
		json_decref(o);
		return rc;
	}
	if (!json_object_get(o, "MESSAGE")) {
		/* a collector's line: its key, or GELF's (json_is_string()
		 * evaluates its argument twice: no call inside it) */
		static const char *const keys[] = { "message", "log", "line" };
		size_t i;
		m = NULL;
		for (i = 0; i < sizeof keys / sizeof keys[0] && !json_is_string(m); i++)
			m = json_object_get(o, keys[i]);
		if (!json_is_string(m))
			m = gelf_message(o);
		if (json_is_string(m)) {
			rc = collector_json(k, o, m, s, n, lineno);
			json_decref(o);
			return rc;
		}
	}
	m = json_object_get(o, "MESSAGE");
	if (json_is_string(m)) {
		msg = json_string_value(m);
		mn = json_string_length(m);
	} else if (json_is_array(m)) {
		/* non-UTF-8 messages come as arrays of byte values */
		size_t i;
		mn = 0;
		for (i = 0; i < json_array_size(m) && mn < sizeof buf; i++) {
			json_int_t b = json_integer_value(json_array_get(m, i));
			buf[mn++] = (char)(b & 0xff);
		}
		msg = buf;
	} else {
		/* the line holds netfilter's fields (maybe_netfilter), in no
		 * key that is read: an error, never a silent skip */
		json_decref(o);
		return k->sink->error(k->sink->ctx, lineno, "JSON line has no MESSAGE, message, log "
				      "or line text: its netfilter fields are in a key natlog does "
				      "not read",
				      s, n);
	}
	str = json_string_value(json_object_get(o, "_HOSTNAME"));
	if (str)
		nl_strlcpy(ev->host, str, sizeof ev->host);
	str = json_string_value(json_object_get(o, "_SOURCE_MONOTONIC_TIMESTAMP"));
	if (str) {
		uint64_t us;
		if (nl_parse_u64(str, strlen(str), (uint64_t)(MAX_UPTIME_S * 1e6), &us)) {
			ev->uptime = (double)us / 1e6;
			snprintf(ev->time, sizeof ev->time, "%.6f", ev->uptime);
		} else {
			mono_bad = 1;
		}
	}
	str = json_string_value(json_object_get(o, "__REALTIME_TIMESTAMP"));
	if (str) {
		uint64_t us;
		if (nl_parse_u64(str, strlen(str), INT64_MAX, &us)) {
			ev->wall_us = (int64_t)us;
			if (!ev->time[0])
				snprintf(ev->time, sizeof ev->time, "%.6f", (double)us / 1e6);
		}
	}
	rc = pktlog_parse(msg, mn, ev, &err);
	if (rc == 0 && mono_bad && bad_time(k, lineno, "_SOURCE_MONOTONIC_TIMESTAMP", s, n)) {
		json_decref(o);
		return -1;
	}
	rc = deliver(k, rc, ev, msg, mn, lineno, &err, s, n);
	json_decref(o);
	return rc;
}

static void ev_reset(struct nl_event *ev)
{
	ev->host[0] = ev->time[0] = ev->table[0] = ev->chain[0] = ev->type[0] = '\0';
	ev->prefix[0] = ev->reason[0] = '\0';
	ev->trace_id[0] = ev->nft_family[0] = ev->rule[0] = ev->verdict[0] = '\0';
	ev->handle = -1;
	ev->msg = NULL;
	ev->msglen = 0;
	ev->fp = ev->fp2 = 0;
	ev->rulenum = 0;
	ev->uptime = -1;
	ev->wall_us = -1;
	nl_pkt_init(&ev->pkt);
}

/* Proxmox's pvefw-logger (/var/log/pve-firewall.log, or its lines sent on
 * to a syslog): "VMID LEVEL CHAIN DD/Mon/YYYY:HH:MM:SS +ZZZZ ACTION: fields"
 * with the fields it formats itself, IN= and OUT= only when set
 * (pve-firewall's pvefw-logger.c). The fields, with the time and a prefix
 * of chain and action ("PVEFW-HOST-IN policy DROP: ") set, or NULL. */
static const char *pvefw(const char *m, const char *end, struct nl_event *ev)
{
	struct nl_cur c = cur_make(m, (size_t)(end - m));
	const char *chain, *stamp, *act, *colon;
	size_t chainn;
	uint64_t vmid, lvl;
	int d, mo, y, hh, mm, ss, oh, om, sign;
	if (!cur_u64(&c, UINT32_MAX, &vmid) || !cur_char(&c, ' ') || !cur_u64(&c, 7, &lvl) ||
	    !cur_char(&c, ' ') || !cur_word(&c, &chain, &chainn) || !cur_char(&c, ' '))
		return NULL;
	stamp = c.p;
	if (!digits(&c, 2, &d) || !cur_char(&c, '/') || (mo = nl_month_index(c.p, cur_left(&c))) < 0)
		return NULL;
	c.p += 3;
	if (!cur_char(&c, '/') || !digits(&c, 4, &y) || !cur_char(&c, ':') || !digits(&c, 2, &hh) ||
	    !cur_char(&c, ':') || !digits(&c, 2, &mm) || !cur_char(&c, ':') || !digits(&c, 2, &ss) ||
	    !cur_char(&c, ' ') || (cur_peek(&c) != '+' && cur_peek(&c) != '-'))
		return NULL;
	sign = *c.p++ == '-' ? -1 : 1;
	if (!digits(&c, 2, &oh) || !digits(&c, 2, &om) || d < 1 || d > 31 || hh > 23 || mm > 59 ||
	    ss > 60 || !cur_char(&c, ' '))
		return NULL;
	act = c.p;
	colon = memmem(act, cur_left(&c), ": ", 2);
	if (!colon || colon == act || chainn + 1 + (size_t)(colon + 2 - act) >= sizeof ev->prefix)
		return NULL;
	ev->wall_us = civil_us(y, mo + 1, d, hh, mm, ss, sign * (oh * 3600 + om * 60));
	set_time(ev, stamp, (size_t)(act - 1 - stamp));
	snprintf(ev->prefix, sizeof ev->prefix, "%.*s %.*s", (int)chainn, chain,
		 (int)(colon + 2 - act), act);
	return colon + 2;
}

/* The byte pairs a line holds, noted on the first question asked of it:
 * a line that lacks one pair of a needle lacks the needle. A line that is
 * not netfilter's is searched for a dozen phrases (a conntrack event, an
 * audit record, the notices' words); one pass over it costs less than
 * three of those memmem calls, and most then need none. The table marks
 * a pair with the number of the line that last held it, so that it is
 * never cleared (but when the number wraps). */
#define PAIR(a, b) (((unsigned)(unsigned char)(a) * 31u + (unsigned char)(b)) & (PAIRS - 1))

struct pairs {
	struct pairtab *t;
	const char *s;
	size_t n;
	int built;
};

static void pairs_init(struct pairs *pr, struct pairtab *t, const char *s, size_t n)
{
	pr->t = t;
	pr->s = s;
	pr->n = n;
	pr->built = 0;
}

/* 0 when the line cannot hold needle, 1 when it may (always, without pr). */
static int pairs_may(struct pairs *pr, const char *needle, size_t len)
{
	const unsigned char *u;
	uint16_t g;
	size_t i;
	if (!pr)
		return 1;
	if (len > pr->n)
		return 0;
	if (!pr->built) {
		uint16_t *seen = pr->t->seen;
		size_t n = pr->n;
		unsigned a;
		if (++pr->t->gen == 0) {
			memset(seen, 0, sizeof pr->t->seen);
			pr->t->gen = 1;
		}
		g = pr->t->gen;
		u = (const unsigned char *)pr->s;
		a = n ? u[0] : 0;
		for (i = 1; i < n; i++) {	/* the byte before in a register */
			unsigned b = u[i];
			seen[PAIR(a, b)] = g;
			a = b;
		}
		pr->built = 1;
	}
	g = pr->t->gen;
	for (i = 0; i + 1 < len; i++)
		if (pr->t->seen[PAIR(needle[i], needle[i + 1])] != g)
			return 0;
	return 1;
}

/* memmem of the line pr describes, asked of its pairs first */
static const char *pairs_mem(struct pairs *pr, const char *s, size_t n, const char *needle,
			     size_t len)
{
	return pairs_may(pr, needle, len) ? memmem(s, n, needle, len) : NULL;
}

/* The first needle (of len bytes) in [p, end), or NULL, as memmem finds
 * it, but by memchr for its byte at rare: a byte the lines searched hold
 * few of ('k' of " kernel: " in a LOG line) is found by a vector scan
 * faster than memmem's search for the whole needle. */
static const char *find_by(const char *p, const char *end, const char *needle, size_t len,
			   size_t rare)
{
	const char *q;
	if (end - p < (ptrdiff_t)len)
		return NULL;
	q = p + rare;
	while ((q = memchr(q, needle[rare], (size_t)(end - q))) != NULL) {
		const char *at = q - rare;
		if (end - at < (ptrdiff_t)len)
			return NULL;
		if (!memcmp(at, needle, len))
			return at;
		q++;
	}
	return NULL;
}

/* Whether the line may be netfilter's: an "IN=" or "SRC=" field (memchr's
 * vector scan for '=' and a look back beat memmem's search for the bytes
 * on the 70 % of a syslog that is not netfilter's), or a TRACE or
 * conntrack prefix whose packet was cut off. */
static int maybe_netfilter_in(const char *s, size_t n, struct pairs *pr)
{
	const char *p = s, *end = s + n;
	int proto = 0;
	while ((p = memchr(p, '=', (size_t)(end - p))) != NULL) {
		if (p - s >= 2 && ((p[-1] == 'N' && p[-2] == 'I') ||
				   (p - s >= 3 && p[-1] == 'C' && p[-2] == 'R' && p[-3] == 'S')))
			return 1;
		if (p - s >= 5 && p[-1] == 'O' && !memcmp(p - 5, "PROTO", 5))
			proto = 1;
		p++;
	}
	if (pairs_mem(pr, s, n, "TRACE: ", 7) || pairs_mem(pr, s, n, "nf_ct_", 6))
		return 1;
	return proto ? 2 : 0;
}

static int maybe_netfilter(const char *s, size_t n)
{
	return maybe_netfilter_in(s, n, NULL);
}

/* The second half of a netfilter line broken in two ("PREC=0x00 TTL=64
 * ID=0 DF PROTO=UDP SPT=1900 ...", an ICMP packet's "| PROTO=ICMP TYPE=8
 * CODE=0 ID=56857 SEQ=1"): PROTO= and the fields around it, with no IN=
 * or SRC= (maybe_netfilter() said 2). */
static int wrapped_rest(const char *s, size_t n)
{
	static const char *const keys[] = { " TTL=", " SPT=", " DPT=", " LEN=", " ID=", " TYPE=",
					    " CODE=" };
	size_t i, hits = 0;
	for (i = 0; i < sizeof keys / sizeof *keys; i++)
		hits += memmem(s, n, keys[i], strlen(keys[i])) != NULL;
	return hits >= 2;
}

/* A line that starts with a field of the packet-log body ("GID=12",
 * "DST=2a00:... LEN=2928", "WINDOW=447 RES=0x00 ..."): the rest of a line
 * a mail or a terminal wrapped, whatever else it holds. IN= starts a LOG
 * line without a prefix, so it is not one of them. */
static int fragment_head(const char *s, size_t n)
{
	static const char *const keys[] = { "SRC", "DST", "LEN", "TOS", "PREC", "TTL", "ID",
					    "PROTO", "SPT", "DPT", "WINDOW", "RES", "URGP", "SEQ",
					    "ACK", "MAC", "MACSRC", "MACDST", "MACPROTO", "TC",
					    "HOPLIMIT", "FLOWLBL", "UID", "GID", "MARK", "PHYSIN",
					    "PHYSOUT", "TYPE", "CODE", "OUT", NULL };
	size_t i = 0, start, k, words = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	start = i;
	while (i < n && i - start < 9 && s[i] >= 'A' && s[i] <= 'Z')
		i++;
	/* "YN URGP=0 OPT (...)": TCP flag words (the first maybe cut), then
	 * URGP=, which the kernel prints after them */
	while (i < n && i > start && i - start <= 3 && s[i] == ' ' && words < 8) {
		words++;
		while (i < n && s[i] == ' ')
			i++;
		start = i;
		while (i < n && i - start < 9 && s[i] >= 'A' && s[i] <= 'Z')
			i++;
	}
	if (words && !(i - start == 4 && !memcmp(s + start, "URGP", 4)))
		return 0;
	if (i == start || i >= n || s[i] != '=')
		return 0;
	for (k = 0; keys[k]; k++)
		if (strlen(keys[k]) == i - start && !memcmp(keys[k], s + start, i - start))
			return 1;
	return 0;
}

/* A conntrack -E event carried in a syslog or journal line (VyOS's
 * conntrack logger, `conntrack -E | logger`), e.g.
 *   Jul 16 12:55:12 vyos-conntrack-logger[9387]: [NEW]     2800357913 tcp      6 120 SYN_SENT src=...
 *   fw1 conntrack: [NEW] tcp      6 120 SYN_SENT src=192.168.1.2 dst=...
 * "[NEW]", "[UPDATE]" or "[DESTROY]", an id the logger may put first, a
 * protocol name and number, then src= and dst=. Not read (the conntrack
 * parser takes conntrack's own lines), but not skipped as if it were not
 * netfilter's either. src= comes first: it is rare in other lines. */
static int conntrack_in_log(const char *s, size_t n, struct pairs *pr)
{
	static const char *const evs[] = { "[NEW] ", "[UPDATE] ", "[DESTROY] " };
	const char *src = pairs_mem(pr, s, n, " src=", 5);
	size_t i;
	if (!src || !memmem(src, (size_t)(s + n - src), " dst=", 5))
		return 0;
	for (i = 0; i < sizeof evs / sizeof *evs; i++) {
		const char *e = memmem(s, (size_t)(src - s), evs[i], strlen(evs[i])), *w;
		struct nl_cur c;
		size_t wn, k;
		uint64_t v;
		if (!e)
			continue;
		c = cur_make(e + strlen(evs[i]), (size_t)(src - e) - strlen(evs[i]));
		cur_spaces(&c);
		if (cur_u64(&c, UINT64_MAX, &v) && !cur_spaces(&c))
			continue;	/* the id, then a space */
		if (!cur_word(&c, &w, &wn) || w[0] < 'a' || w[0] > 'z' || wn > 16)
			continue;
		for (k = 0; k < wn && ((w[k] >= 'a' && w[k] <= 'z') || (w[k] >= '0' && w[k] <= '9')); k++)
			;
		if (k == wn && cur_spaces(&c) && cur_u64(&c, 255, &v))
			return 1;
	}
	return 0;
}

/* The first line of a ruleset dump pasted into a log, a section's head:
 *   Chain FORWARD (policy DROP)
 *   Chain DOCKER (2 references)
 *   *filter
 *   table inet filter {
 * (iptables -L, iptables-save, nft list ruleset). The parser chosen for a
 * file reads it all, so the dump is not read: said once, not skipped. */
static int dump_in_log(const char *s, size_t n)
{
	static const char *const tables[] = { "filter", "nat", "mangle", "raw", "security" };
	static const char *const fams[] = { "ip ", "ip6 ", "inet ", "arp ", "bridge ", "netdev " };
	size_t i;
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n > 6 && !memcmp(s, "Chain ", 6)) {
		const char *p = memchr(s + 6, ' ', n - 6);
		if (!p || (size_t)(s + n - p) < 3 || p[1] != '(')
			return 0;
		p += 2;
		if ((size_t)(s + n - p) > 7 && !memcmp(p, "policy ", 7))
			return 1;
		while (p < s + n && *p >= '0' && *p <= '9')
			p++;
		return p > s && p[-1] >= '0' && p[-1] <= '9' && (size_t)(s + n - p) > 10 &&
		       !memcmp(p, " reference", 10);
	}
	if (n > 1 && s[0] == '*') {
		for (i = 0; i < sizeof tables / sizeof *tables; i++)
			if (n - 1 == strlen(tables[i]) && !memcmp(s + 1, tables[i], n - 1))
				return 1;
		return 0;
	}
	if (n > 8 && !memcmp(s, "table ", 6) && s[n - 1] == '{')
		for (i = 0; i < sizeof fams / sizeof *fams; i++)
			if (n > 6 + strlen(fams[i]) && !memcmp(s + 6, fams[i], strlen(fams[i])))
				return 1;
	return 0;
}

#define DUMP_IN_LOG_MSG "a ruleset dump inside a log (iptables -L, iptables-save or nft list " \
			"ruleset output): natlog reads a dump only from a file of its own, so " \
			"this one is not read; save it apart and import that file"

#define CONNTRACK_IN_LOG_MSG "a conntrack event inside a syslog or journal line: natlog reads " \
			     "conntrack -E output only as conntrack prints it, in a file of its own " \
			     "(conntrack -E -o timestamp > FILE)"
#define CONNTRACK_TABLE_MSG "a conntrack table entry (conntrack -L, /proc/net/nf_conntrack) " \
			    "among kernel log lines: natlog reads a connection table only in a " \
			    "file of its own (conntrack -L > FILE)"

/* "udp      17 29 src=...", "ipv4     2 tcp      6 431999 ESTABLISHED
 * src=...": what conntrack -L and /proc/net/nf_conntrack print, from the
 * line's start (ct_seq_show). */
static int conntrack_table_line(const char *s, size_t n, struct pairs *pr)
{
	const char *src = pairs_mem(pr, s, n, " src=", 5), *w;
	struct nl_cur c;
	size_t wn, k;
	uint64_t v;
	if (!src || !memmem(src, (size_t)(s + n - src), " dst=", 5))
		return 0;
	c = cur_make(s, (size_t)(src - s));
	cur_spaces(&c);
	if (cur_lit(&c, "ipv4 ") || cur_lit(&c, "ipv6 ")) {
		cur_spaces(&c);
		if (!cur_u64(&c, 255, &v) || !cur_spaces(&c))
			return 0;
	}
	if (!cur_word(&c, &w, &wn) || wn > 16)
		return 0;
	for (k = 0; k < wn && ((w[k] >= 'a' && w[k] <= 'z') || (w[k] >= '0' && w[k] <= '9')); k++)
		;
	return k == wn && w[0] >= 'a' && w[0] <= 'z' && cur_spaces(&c) && cur_u64(&c, 255, &v) &&
	       cur_spaces(&c) && cur_u64(&c, UINT64_MAX, &v);
}

/* A connection ulogd's NFCT input logged through its PRINTFLOW filter
 * (ulogd's util/printflow.c: "something looking like an iptables LOG
 * message, but for flows"), e.g.
 *   Oct 16 14:15:54 lothlorien [DESTROY] ORIG: SRC=192.168.0.170 DST=255.255.255.255 PROTO=UDP SPT=17500 DPT=17500 PKTS=9 BYTES=1188 , REPLY: SRC=255.255.255.255 ...
 * It has the fields of a packet log but is no packet: read as one, its
 * ports would be the reply's. The kernel's LOG prints IN= before SRC=, so
 * "ORIG: SRC=" and "REPLY: SRC=" are ulogd's. */
static int ulogd_flow_in_log(const char *s, size_t n)
{
	/* by "SRC=", which a LOG line holds once or twice: memmem's search
	 * for each phrase cost every netfilter line 1 300 instructions */
	const char *p = s, *end = s + n;
	while ((p = find_by(p, end, "SRC=", 4, 0)) != NULL) {
		if ((p - s >= 6 && !memcmp(p - 6, "ORIG: ", 6)) ||
		    (p - s >= 7 && !memcmp(p - 7, "REPLY: ", 7)))
			return 1;
		p++;
	}
	return 0;
}

#define ULOGD_FLOW_MSG "a connection ulogd logged from conntrack (NFCT and PRINTFLOW: \"ORIG: SRC=... " \
		       "REPLY: SRC=...\"), not a packet: natlog reads connections from conntrack -L " \
		       "or -E output"

#define FRAGMENT_MSG "the rest of a netfilter line broken in parts (it starts with a field of the " \
		     "packet): its head is on a line before"

/* Lines that say evidence was lost or the kernel dropped packets by
 * itself (lib/ratelimit.c, kernel/printk, systemd journald-server.c,
 * rsyslog imjournal.c and ratelimit.c, nf_conntrack_core.c,
 * nf_conntrack_expect.c, tcp_input.c), e.g.
 *   [1737162.214084] __ratelimit: 83 callbacks suppressed
 *   pluto systemd-journald[26393]: Suppressed 4499764 messages from run-r73a.service
 *   kernel: [31617.809376] TCP: request_sock_TCP: Possible SYN flooding on port 5000. Sending cookies.
 * Each handler gets the message and where its phrase was found. */
struct notice_pat {
	const char *phrase;
	const char *kind, *origin;
	int (*fill)(const char *m, size_t n, const char *hit, const char *after,
		    struct nl_notice *o);
};

/* The decimal number that ends just before p (spaces skipped), or -1. */
static int64_t num_before(const char *m, const char *p)
{
	uint64_t v;
	const char *e;
	while (p > m && p[-1] == ' ')
		p--;
	e = p;
	while (p > m && is_digit(p[-1]) && e - p < 18)
		p--;
	return p < e && nl_parse_u64(p, (size_t)(e - p), INT64_MAX, &v) ? (int64_t)v : -1;
}

static int64_t num_at(const char *p, const char *end)
{
	const char *q = p;
	uint64_t v;
	while (q < end && is_digit(*q) && q - p < 18)
		q++;
	return q > p && nl_parse_u64(p, (size_t)(q - p), INT64_MAX, &v) ? (int64_t)v : -1;
}

static int fill_before(const char *m, size_t n, const char *hit, const char *after,
		       struct nl_notice *o)
{
	(void)n, (void)after;
	o->count = num_before(m, hit);
	return o->count >= 0;
}

/* "Suppressed 1234 messages" and "missed 12 messages": the number right
 * after the phrase, then " messages". */
static int fill_after(const char *m, size_t n, const char *hit, const char *after,
		      struct nl_notice *o)
{
	const char *p = after, *end = m + n;
	(void)hit;
	o->count = num_at(p, end);
	while (p < end && is_digit(*p))
		p++;
	return o->count >= 0 && (size_t)(end - p) >= 9 && !memcmp(p, " messages", 9);
}

static int fill_none(const char *m, size_t n, const char *hit, const char *after,
		     struct nl_notice *o)
{
	(void)m, (void)n, (void)hit, (void)after, (void)o;
	return 1;
}

/* Older kernels' conntrack helpers said a drop without the packet
 * ("nf_ct_q931: packet dropped", nf_conntrack_h323_main.c before 3.8;
 * newer ones log the packet, "nf_ct_h323: dropping packet ... IN=..."):
 * the phrase after a helper's "nf_ct_" name. */
static int fill_helper(const char *m, size_t n, const char *hit, const char *after,
		       struct nl_notice *o)
{
	const char *w = hit;
	(void)n, (void)after, (void)o;
	while (w > m && w[-1] != ' ')
		w--;
	return hit - w > 6 && !memcmp(w, "nf_ct_", 6);
}

/* "on port 80." or, from newer kernels, "on port [::]:443." / "on port 0.0.0.0:80." */
static int fill_port(const char *m, size_t n, const char *hit, const char *after,
		     struct nl_notice *o)
{
	const char *p = after, *end = m + n, *q, *num;
	int64_t v;
	(void)hit;
	for (q = p, num = p; q < end && *q != ' ' && !(*q == '.' && (q + 1 == end || q[1] == ' '));
	     q++)
		if (*q == ':')
			num = q + 1;
	v = num < q ? num_at(num, q) : -1;
	o->port = v >= 0 && v <= 65535 ? (int)v : -1;
	return 1;
}

static const struct notice_pat notice_pats[] = {
	{ " callbacks suppressed", "loss", "kernel", fill_before },
	{ " messages suppressed", "loss", "kernel", fill_before },
	{ "Forwarding to syslog missed ", "loss", "journald", fill_after },
	{ "Suppressed ", "loss", "journald", fill_after },
	{ " messages lost due to rate-limiting", "loss", "rsyslog", fill_before },
	{ "begin to drop messages due to rate-limiting", "loss", "rsyslog", fill_none },
	{ "expectation table full", "expect-full", "kernel", fill_none },
	{ "conntrack: table full", "conntrack-full", "kernel", fill_none },
	{ "Possible SYN flooding on port ", "syn-flood", "kernel", fill_port },
	/* conntrack -E's stderr behind another program's prefix (a syslog
	 * tag, a collector's "conntrack stderr:"): its word that events
	 * were lost, as the conntrack parser reads it bare */
	{ "WARNING: We have hit ENOBUFS! We are", "loss", "conntrack", fill_none },
	{ ": packet dropped", "helper-drop", "kernel", fill_helper },
};

/* A journal JSON entry's message, host and stamps into k->ev; the
 * message is copied to buf. Returns its length, or -1 when there is none. */
static long journal_notice_msg(struct klog *k, const char *s, size_t n, char *buf, size_t cap)
{
	json_t *o = json_loadb(s, n, 0, NULL), *m;
	const char *str;
	uint64_t us;
	long len = -1;
	if (json_is_object(o) && json_is_string(m = json_object_get(o, "MESSAGE"))) {
		len = (long)nl_strlcpyn(buf, json_string_value(m), json_string_length(m), cap);
		if ((size_t)len >= cap)
			len = (long)cap - 1;
		if ((str = json_string_value(json_object_get(o, "_HOSTNAME"))))
			nl_strlcpy(k->ev.host, str, sizeof k->ev.host);
		str = json_string_value(json_object_get(o, "_SOURCE_MONOTONIC_TIMESTAMP"));
		if (str && nl_parse_u64(str, strlen(str), UINT64_MAX, &us)) {
			k->ev.uptime = (double)us / 1e6;
			snprintf(k->ev.time, sizeof k->ev.time, "%.6f", k->ev.uptime);
		}
		str = json_string_value(json_object_get(o, "__REALTIME_TIMESTAMP"));
		if (str && nl_parse_u64(str, strlen(str), INT64_MAX, &us)) {
			k->ev.wall_us = (int64_t)us;
			if (!k->ev.time[0])
				snprintf(k->ev.time, sizeof k->ev.time, "%.6f", (double)us / 1e6);
		}
	}
	json_decref(o);
	return len;
}

/* 0 after reporting a notice (or the sink's failure as -1), 1 when the
 * line is none. Five scans of a line that is not one, and a memchr for
 * the rare '!' of ENOBUFS's warning: the phrases share these words. */
static int klog_notice(struct klog *k, const char *s, size_t n, long lineno, struct pairs *pr)
{
	struct nl_notice o;
	const char *msg, *hit = NULL;
	char jbuf[1024];
	size_t mn, i;
	if (!k->sink->notice ||
	    !(pairs_mem(pr, s, n, "uppressed", 9) || pairs_mem(pr, s, n, "messages", 8) ||
	      pairs_mem(pr, s, n, "table full", 10) || pairs_mem(pr, s, n, "SYN flooding", 12) ||
	      pairs_mem(pr, s, n, "packet dropped", 14) ||
	      (memchr(s, '!', n) && pairs_mem(pr, s, n, "hit ENOBUFS!", 12))))
		return 1;
	ev_reset(&k->ev);
	if (s[0] == '{') {
		long jn = journal_notice_msg(k, s, n, jbuf, sizeof jbuf);
		if (jn < 0)
			return 1;
		msg = jbuf;
		mn = (size_t)jn;
	} else {
		msg = envelope(s, n, &k->ev);
		mn = n - (size_t)(msg - s);
	}
	for (i = 0; i < sizeof notice_pats / sizeof notice_pats[0]; i++)
		if ((hit = memmem(msg, mn, notice_pats[i].phrase, strlen(notice_pats[i].phrase))))
			break;
	if (!hit)
		return 1;
	memset(&o, 0, sizeof o);
	o.count = -1;
	o.port = -1;
	if (!notice_pats[i].fill(msg, mn, hit, hit + strlen(notice_pats[i].phrase), &o))
		return 1;
	o.line = lineno;
	nl_strlcpy(o.kind, notice_pats[i].kind, sizeof o.kind);
	nl_strlcpy(o.origin, notice_pats[i].origin, sizeof o.origin);
	nl_strlcpy(o.host, k->ev.host, sizeof o.host);
	nl_strlcpy(o.time, k->ev.time, sizeof o.time);
	o.uptime = k->ev.uptime;
	o.wall_us = k->ev.wall_us;
	nl_strlcpyn(o.text, msg, mn, sizeof o.text);
	return k->sink->notice(k->sink->ctx, &o) ? -1 : 0;
}

int nl_klog_notice(const struct nl_sink *sink, const char *s, size_t n, long lineno)
{
	struct klog *k;
	int rc;
	if (!sink->notice || !(k = calloc(1, sizeof *k)))
		return sink->notice ? -1 : 1;
	k->sink = sink;
	rc = klog_notice(k, s, n, lineno, NULL);
	free(k);
	return rc;
}

/* A kernel time stamp ("[ 5281.737057] ") after the start of msg that
 * opens a netfilter record: dmesg records a paste flattened onto one
 * line. NULL when there is none. */
/* The start of the word that ends at e (at a blank or msg). */
static const char *word_back(const char *msg, const char *e)
{
	while (e > msg && e[-1] != ' ')
		e--;
	return e;
}

/* Where a syslog record run on after msg starts ("... URGP=0 Mar 19
 * 20:56:59 fw kernel: IPTABLES Dropped: IN=...", busybox's "fw kern.warn
 * kernel: "), or NULL. */
static const char *next_syslog_record(const char *msg, const char *end)
{
	const char *p = msg + (msg < end);
	while ((p = find_by(p, end, " kernel: ", 9, 1)) != NULL) {
		const char *h = word_back(msg, p), *t;
		struct nl_cur c;
		if (h > msg + 1 && memchr(h, '.', (size_t)(p - h)))
			h = word_back(msg, h - 1);	/* facility.level: the host is before it */
		t = h - 16;	/* "Mar 19 20:56:59 " */
		p += 9;
		if (h >= p - 9 || t <= msg || t[-1] != ' ')
			continue;
		c = cur_make(t, (size_t)(end - t));
		if (syslog_time(&c) && c.p == h - 1 && maybe_netfilter(p, (size_t)(end - p)) == 1)
			return t;
	}
	return NULL;
}

/* Where a syslog record with no "kernel:" tag run on after msg starts:
 * ulogd's syslogemu and UniFi gateways write "May 14 13:12:11 UDM-Pro
 * [LAN_LOCAL-RET-2147483647] DESCR=... IN=...", the host followed by the
 * LOG prefix. A syslog time at a word start, a host, then a netfilter
 * message; or NULL. */
/* The first "IN=" in [p, end), or NULL: by memchr, as a LOG line holds
 * few 'I's and memmem is slower with so short a needle. */
static const char *find_in(const char *p, const char *end)
{
	while (p < end && (p = memchr(p, 'I', (size_t)(end - p))) != NULL) {
		if (end - p >= 3 && p[1] == 'N' && p[2] == '=')
			return p;
		p++;
	}
	return NULL;
}

static const char *next_bare_syslog_record(const char *msg, const char *end)
{
	const char *p, *in = find_in(msg, end);
	/* each record has its IN=: a line of one is not searched (this runs
	 * on every line) */
	if (!in || !find_in(in + 3, end))
		return NULL;
	for (p = msg + 1; p < end && end - p > 16; p++) {
		struct nl_cur c;
		const char *h;
		/* a month's name ("May "), before the cost of reading a time:
		 * this runs on every line */
		if (p[-1] != ' ' || *p < 'A' || *p > 'S' || p[1] < 'a' || p[1] > 'u' || p[3] != ' ')
			continue;
		c = cur_make(p, (size_t)(end - p));
		if (!syslog_time(&c) || !cur_char(&c, ' '))
			continue;
		for (h = c.p; c.p < c.end && *c.p != ' ' && *c.p != '='; c.p++)
			;
		if (c.p == h || !cur_char(&c, ' ') || maybe_netfilter(c.p, cur_left(&c)) != 1)
			continue;
		/* "[Wed Sep  1 22:40:08 2021] ": dmesg -T's stamp, no syslog
		 * time and host; the record starts at its bracket */
		if (c.p[-2] == ']')
			return p - msg > 5 && p[-5] == '[' ? p - 5 : NULL;	/* after msg's start */
		return p;
	}
	return NULL;
}

static const char *next_record(const char *msg, const char *end)
{
	const char *p = msg + (msg < end);
	const char *sys = next_syslog_record(msg, end), *bare = next_bare_syslog_record(msg, end);
	if (bare && (!sys || bare < sys))
		sys = bare;
	if (sys)
		end = sys;	/* a dmesg record before it, or the syslog record */
	while ((p = memchr(p, '[', (size_t)(end - p))) != NULL) {
		const char *q = ++p;
		size_t digits = 0;
		while (q < end && *q == ' ')
			q++;
		while (q < end && *q >= '0' && *q <= '9')
			q++, digits++;
		if (!digits || q == end || *q++ != '.')
			continue;
		for (digits = 0; q < end && *q >= '0' && *q <= '9'; q++)
			digits++;
		if (digits && end - q > 2 && q[0] == ']' && q[1] == ' ' &&
		    maybe_netfilter(q + 2, (size_t)(end - q - 2)) == 1)
			return p - 1;
	}
	return sys;
}

/* A line of a `journalctl -o export` record: the fields natlog keeps are
 * remembered until the record's MESSAGE=, e.g.
 *   __REALTIME_TIMESTAMP=1642033008518660
 *   _HOSTNAME=compute04.hc.va.local.example.com
 *   _SOURCE_MONOTONIC_TIMESTAMP=1840789131578
 *   MESSAGE=iptables DROP_INPUT: IN=eth1 OUT= MAC=ff:ff:...
 * A blank line ends the record. Returns 1 when the line was such a field. */
static int export_field(struct export_rec *xr, const char *s, size_t n)
{
	static const char cursor[] = "__CURSOR=", real[] = "__REALTIME_TIMESTAMP=",
			  host[] = "_HOSTNAME=", mono[] = "_SOURCE_MONOTONIC_TIMESTAMP=";
	uint64_t v;
	if (n == 0) {
		xr->open = 0;
		return 0;
	}
	if (s[0] != '_')
		return 0;
	if (n >= sizeof cursor - 1 && !memcmp(s, cursor, sizeof cursor - 1)) {
		xr->open = 1;
		xr->host[0] = '\0';
		xr->wall_us = xr->mono_us = -1;
	} else if (n >= sizeof real - 1 && !memcmp(s, real, sizeof real - 1)) {
		if (!xr->open) {
			xr->host[0] = '\0';
			xr->mono_us = -1;
		}
		xr->open = 1;
		xr->wall_us = nl_parse_u64(s + sizeof real - 1, n - (sizeof real - 1), INT64_MAX, &v)
				      ? (int64_t)v : -1;
	} else if (xr->open && n >= sizeof host - 1 && !memcmp(s, host, sizeof host - 1)) {
		nl_strlcpyn(xr->host, s + sizeof host - 1, n - (sizeof host - 1), sizeof xr->host);
	} else if (xr->open && n >= sizeof mono - 1 && !memcmp(s, mono, sizeof mono - 1)) {
		xr->mono_us = nl_parse_u64(s + sizeof mono - 1, n - (sizeof mono - 1),
					   (uint64_t)(MAX_UPTIME_S * 1e6), &v) ? (int64_t)v : -2;
	} else {
		return 0;
	}
	return 1;
}

/* The message of an export record, or of a JSON record printed one member
 * a line: the kernel's message as journal_json() reads it, with the
 * record's host and times (s, n: the whole line). */
static int export_message(struct klog *k, const char *msg, size_t mn, const char *s, size_t n,
			  long lineno)
{
	struct nl_event *ev = &k->ev;
	struct export_rec *xr = &k->xr;
	struct nl_err err;
	int rc;

	ev_reset(ev);
	ev->raw = s;
	ev->rawlen = n;
	if (!xr->open) {
		/* a collector's record: the line keeps its own envelope */
		const char *body = envelope(msg, mn, ev);
		mn -= (size_t)(body - msg);
		msg = body;
	} else {
		nl_strlcpy(ev->host, xr->host, sizeof ev->host);
		if (xr->mono_us >= 0) {
			ev->uptime = (double)xr->mono_us / 1e6;
			snprintf(ev->time, sizeof ev->time, "%.6f", ev->uptime);
		}
		if (xr->wall_us >= 0) {
			ev->wall_us = xr->wall_us;
			if (!ev->time[0])
				snprintf(ev->time, sizeof ev->time, "%.6f", (double)xr->wall_us / 1e6);
		}
	}
	rc = pktlog_parse(msg, mn, ev, &err);
	if (rc == 0 && xr->open && xr->mono_us == -2 &&
	    bad_time(k, lineno, "_SOURCE_MONOTONIC_TIMESTAMP", s, n))
		return -1;
	return deliver(k, rc, ev, msg, mn, lineno, &err, s, n);
}

/* A record's message, kept until the record ends (export_message then). */
static int pend_message(struct klog *k, int kind, const char *msg, size_t mn, const char *s,
			size_t n, long lineno)
{
	struct pending *pm = &k->pm;
	if (n > SIZE_MAX / 2 - mn)
		return k->sink->error(k->sink->ctx, lineno, "a journal record too long to read", s, n);
	if (pm->cap < n + mn) {
		char *b = realloc(pm->buf, n + mn);
		if (!b)
			return k->sink->error(k->sink->ctx, lineno, "out of memory", s, n);
		pm->buf = b;
		pm->cap = n + mn;
	}
	memcpy(pm->buf, s, n);
	memcpy(pm->buf + n, msg, mn);
	pm->rawn = n;
	pm->msgn = mn;
	pm->line = lineno;
	pm->on = kind;
	return 0;
}

/* The record ended: its message is read with all its fields. */
static int pend_flush(struct klog *k)
{
	struct pending *pm = &k->pm;
	if (!pm->on)
		return 0;
	pm->on = 0;
	return export_message(k, pm->buf + pm->rawn, pm->msgn, pm->buf, pm->rawn, pm->line);
}

/* A line that is one member of a pretty-printed JSON object, as `journalctl
 * -o json-pretty` and log collectors' exports print a record:
 *   "_HOSTNAME" : "fw1",
 *   "MESSAGE" : "[UFW BLOCK] IN=eth0 OUT= ...",
 *   "message": "iptables DROP_INPUT: IN=eth0 OUT= MAC=... URGP=0 ",
 * The journal's fields feed the record as export_field() does; a message
 * holding netfilter output is read. Returns 1 when the line is none of
 * these (the caller reads it as a line), else 0 or -1 as the sink said. */
static int json_member_line(struct klog *k, const char *s, size_t n, long lineno)
{
	const char *t = s, *key, *val;
	size_t tn = n, kn, vn;
	char *buf;
	json_t *o, *v;
	int rc = 1;

	while (tn > 0 && (*t == ' ' || *t == '\t'))
		t++, tn--;
	while (tn > 0 && (t[tn - 1] == ' ' || t[tn - 1] == '\t' || t[tn - 1] == '\r'))
		tn--;
	if (tn == 1 && (*t == '{' || *t == '}')) {
		if (pend_flush(k))
			return -1;
		k->xr.open = 0;	/* a record's bounds */
		return 1;
	}
	if (tn > 0 && t[tn - 1] == ',')
		tn--;
	if (tn < 6 || t[0] != '"' || t[tn - 1] != '"')
		return 1;
	if (t[1] != '_' && !(tn >= 9 && (!memcmp(t, "\"MESSAGE\"", 9) ||
					 !memcmp(t, "\"message\"", 9))) && memcmp(t, "\"log\"", 5))
		return 1;
	if (t[1] != '_' && maybe_netfilter(t, tn) != 1)
		return 1;
	if ((buf = malloc(tn + 2)) == NULL)
		return 1;
	buf[0] = '{';
	memcpy(buf + 1, t, tn);
	buf[tn + 1] = '}';
	o = json_loadb(buf, tn + 2, 0, NULL);
	free(buf);
	if (!o || json_object_size(o) != 1 || !json_is_string(v = json_object_iter_value(
		    json_object_iter(o)))) {
		json_decref(o);
		return 1;
	}
	key = json_object_iter_key(json_object_iter(o));
	kn = strlen(key);
	val = json_string_value(v);
	vn = json_string_length(v);
	if (key[0] == '_') {
		char field[192];
		if (kn + 1 + vn < sizeof field) {
			memcpy(field, key, kn);
			field[kn] = '=';
			memcpy(field + kn + 1, val, vn);
			if (export_field(&k->xr, field, kn + 1 + vn)) {
				k->sink->skip(k->sink->ctx, lineno);
				rc = 0;
			}
		}
	} else {
		while (vn > 0 && (val[vn - 1] == '\n' || val[vn - 1] == '\r'))
			vn--;
		/* a journal record's: read when it ends, with all its fields */
		rc = k->xr.open ? pend_message(k, 2, val, vn, s, n, lineno)
				: export_message(k, val, vn, s, n, lineno);
	}
	json_decref(o);
	return rc;
}

/* A journal field's name alone on a line: a binary field's head. */
static int bin_field_name(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return n > 0 && n <= 64;
}

/* No kernel message is near this long; a larger length is bytes a copy
 * lost (a NUL or a line end inside the length) and cannot be trusted. */
#define BIN_MAX ((uint64_t)1 << 24)
#define BIN_BAD_MSG "journal export: a binary MESSAGE whose length does not match its " \
	"bytes (the copy lost or gained some): its message is unknown"

/* Appends m bytes of a binary field (c: a byte repeated, when p is
 * NULL): all of MESSAGE's, the length alone of another field's. 0 when
 * they do not fit. */
static int bin_put(struct export_bin *xb, const char *p, int c, size_t m)
{
	size_t keep = xb->is_msg ? m : (xb->got < 8 ? (m < 8 - xb->got ? m : 8 - xb->got) : 0);
	if (xb->got + keep > BIN_MAX + 8)
		return 0;
	if (!keep) {	/* past another field's length: counted, not kept */
		xb->got += m;
		return 1;
	}
	if (xb->cap < xb->got + keep) {
		size_t ncap = xb->got + keep + 256;
		char *b = realloc(xb->buf, ncap);
		if (!b)
			return 0;
		xb->buf = b;
		xb->cap = ncap;
	}
	if (p)
		memcpy(xb->buf + xb->got, p, keep);
	else
		memset(xb->buf + xb->got, c, keep);
	xb->got += m;
	return 1;
}

/* A line of a binary field's bytes (the first starts with the length):
 * the field ends when its length is read. MESSAGE's bytes are kept as
 * the record's message, read when the record ends. */
static int export_bin_line(struct klog *k, const char *s, size_t n, long lineno)
{
	struct export_bin *xb = &k->xb;
	/* the line ends between (blank lines never reach us) were bytes of
	 * the value, but for the name's own */
	size_t ends = (size_t)(lineno - xb->last) - (xb->got == 0 && xb->last == xb->line);
	uint64_t len = 0;
	int i;

	if (xb->got >= 8 && n > 9 && !memcmp(s, "__CURSOR=", 9)) {
		/* the next record: the value lost bytes on its way */
		xb->on = 0;
		if (xb->is_msg && k->sink->error(k->sink->ctx, xb->line, BIN_BAD_MSG, NULL, 0))
			return -1;
		return 1;	/* the caller reads the line */
	}
	xb->last = lineno;
	if (!bin_put(xb, NULL, '\n', ends) || !bin_put(xb, s, 0, n))
		goto bad;
	k->sink->skip(k->sink->ctx, lineno);
	if (xb->got < 8)
		return 0;
	for (i = 7; i >= 0; i--)
		len = len << 8 | (unsigned char)xb->buf[i];
	if (len > BIN_MAX || xb->got > 8 + len)
		goto bad;
	if (xb->got < 8 + len)
		return 0;
	xb->on = 0;
	if (!xb->is_msg || maybe_netfilter(xb->buf + 8, (size_t)len) != 1)
		return 0;
	return pend_message(k, 1, xb->buf + 8, (size_t)len, xb->buf + 8, (size_t)len, xb->line);
bad:
	xb->on = 0;
	if (!xb->is_msg)
		return 0;
	return k->sink->error(k->sink->ctx, xb->line, BIN_BAD_MSG, s, n);
}

/* "KEY=value" with a journal field's name (upper case, digits, '_'). */
static int field_line(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n && s[i] != '='; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return i > 0 && i < n;
}

/* The head of a `journalctl -o verbose` record, its time then its cursor
 * (a pager may cut the line, '>' at the cut):
 *   Tue 2017-10-24 10:37:50.315725 UTC [s=6bff...;i=524715a;b=0a16...;m=914ed6facb5;t=55c4887dc4ccd;x=98df...]
 * The fields follow, indented by four spaces. 1 with the record begun,
 * its wall time from t= (hex microseconds) when the line holds it whole. */
static int is_verbose_head(const char *s, size_t n)
{
	/* "Tue 2017-10-24 ": a weekday and a date before the search (this
	 * runs on every line) */
	const char *c = n > 24 && s[3] == ' ' && s[8] == '-' && s[11] == '-' ? memmem(s, n, " [s=", 4)
									      : NULL;
	return c && memmem(c, (size_t)(s + n - c), ";i=", 3) && memmem(c, (size_t)(s + n - c), ";b=", 3);
}

static void verbose_head(struct export_rec *xr, const char *s, size_t n)
{
	const char *c = memmem(s, n, " [s=", 4), *t, *e;
	uint64_t v;
	xr->open = 1;
	xr->host[0] = '\0';
	xr->wall_us = xr->mono_us = -1;
	if ((t = memmem(c, (size_t)(s + n - c), ";t=", 3)) != NULL) {
		t += 3;
		for (e = t; e < s + n && *e != ';' && *e != ']'; e++)
			;
		if (e < s + n && nl_parse_hex(t, (size_t)(e - t), INT64_MAX, &v))
			xr->wall_us = (int64_t)v;
	}
}

/* Whether the line ends the record whose message waits: a record's first
 * line, or a line of no record (a JSON record's members are its lines). */
static int ends_record(const struct klog *k, const char *s, size_t n)
{
	const char *t = s;
	size_t tn = n;
	if (k->pm.on == 2) {
		while (tn > 0 && (*t == ' ' || *t == '\t'))
			t++, tn--;
		return tn == 0 || *t != '"';
	}
	return !field_line(s, n) || (n > 9 && !memcmp(s, "__CURSOR=", 9)) ||
	       (n > 21 && !memcmp(s, "__REALTIME_TIMESTAMP=", 21));
}

static int klog_record(struct klog *k, const char *s, size_t n, long lineno, const char **next);

/* The audit record a LOG with `log level audit` (nft) or the AUDIT target
 * writes (audit_tg() in net/netfilter/xt_AUDIT.c, nft_log_eval_audit() in
 * nft_log.c), as auditd's log and ausearch print it:
 *   type=NETFILTER_PKT msg=audit(1606404287.984:174549): mark=0x15766399 saddr=127.0.0.1 daddr=127.0.0.1 proto=1
 *   type=NETFILTER_PKT msg=audit(03/15/2019 14:16:13.369:244) : mark=0x12345555 saddr=... proto=icmp
 * Kernels before 4.12 wrote "action=0 hook=1 len=76 inif=enp0s3 outif=?
 * smac=... saddr=... daddr=... ipid=31284 proto=17 sport=123 dport=58139".
 * No LOG prefix: the packet's fields only. 1 when s is none. */
static int audit_record(struct klog *k, const char *s, size_t n, long lineno, struct pairs *pr)
{
	static const char head[] = "type=NETFILTER_PKT msg=audit(", khead[] = "audit: type=1324 audit(";
	struct nl_event *ev = &k->ev;
	struct nl_pkt *p = &ev->pkt;
	const char *a = NULL, *ka = NULL, *t, *close, *colon, *x = s;
	char msg[96];
	struct nl_cur c;
	uint64_t v;

	/* one scan for "type=" (this runs on every line), then which record */
	if (!pairs_may(pr, "type=", 5))
		return 1;
	while (!a && !ka && (x = memmem(x, (size_t)(s + n - x), "type=", 5)) != NULL) {
		if ((size_t)(s + n - x) >= sizeof head - 1 && !memcmp(x, head, sizeof head - 1))
			a = x;
		else if (x - s >= 7 && !memcmp(x - 7, "audit: ", 7) &&
			 (size_t)(s + n - x) >= sizeof khead - 1 - 7 &&
			 !memcmp(x, khead + 7, sizeof khead - 1 - 7))
			ka = x - 7;
		x += 5;
	}
	if (!a && !ka)
		return 1;
	ev_reset(ev);
	ev->raw = s;
	ev->rawlen = n;
	if (ka) {
		/* no auditd: the kernel log has it (audit_printk_skb(), type
		 * 1324 is AUDIT_NETFILTER_PKT), under the log's own envelope */
		envelope(s, (size_t)(ka - s), ev);
		a = ka;
		t = ka + sizeof khead - 1;
	} else {
		t = a + sizeof head - 1;
	}
	ev->kind = NL_EV_LOG;
	close = memchr(t, ')', (size_t)(s + n - t));
	colon = close ? memrchr(t, ':', (size_t)(close - t)) : NULL;
	if (!colon)
		return k->sink->error(k->sink->ctx, lineno, "audit record without its "
				      "\"msg=audit(TIME:SERIAL)\"", s, n);
	if (!ev->time[0])
		set_time(ev, t, (size_t)(colon - t));
	{
		/* raw auditd: epoch seconds; ausearch -i: local time, as printed */
		const char *dot = memchr(t, '.', (size_t)(colon - t));
		uint64_t sec, ms;
		if (dot && nl_parse_u64(t, (size_t)(dot - t), 1ULL << 40, &sec) &&
		    nl_parse_u64(dot + 1, (size_t)(colon - dot - 1), 999, &ms) && colon - dot == 4)
			ev->wall_us = (int64_t)(sec * 1000000 + ms * 1000);
	}
	c = cur_make(close + 1, (size_t)(s + n - close - 1));
	cur_spaces(&c);
	cur_char(&c, ':');
	while (!cur_eof(&c)) {
		const char *w, *eq, *val;
		size_t wn, kn, vn;
		int fam = 0, bad = 0;
		cur_spaces(&c);
		if (!cur_word(&c, &w, &wn))
			break;
		eq = memchr(w, '=', wn);
		if (!eq) {
			bad = 1;
		} else {
			kn = (size_t)(eq - w);
			val = eq + 1;
			vn = wn - kn - 1;
#define AKEY(x) (kn == sizeof(x) - 1 && !memcmp(w, x, kn))
			if (AKEY("saddr") || AKEY("daddr")) {
				char *dst = AKEY("saddr") ? p->src : p->dst;
				if (vn && val[0] == '<') {
					pktlog_extra_add(p, w, wn);	/* "<ip>": blanked out by a poster */
				} else {
					bad = nl_addr_canon(val, vn, &fam, dst, NL_ADDRSIZ) != 0 ||
					      (p->family && p->family != fam);
					p->family = fam;
				}
			} else if (AKEY("proto")) {
				char name[16];
				nl_strlcpyn(name, val, vn, sizeof name);
				bad = vn >= sizeof name || (p->proto = nl_proto_number(name)) < 0;
			} else if (AKEY("sport") || AKEY("dport")) {
				bad = !nl_parse_u64(val, vn, 65535, &v);
				*(AKEY("sport") ? &p->sport : &p->dport) = (int)v;
			} else if (AKEY("ipid")) {
				bad = !nl_parse_u64(val, vn, 65535, &v);
				p->ip_id = (int64_t)v;
			} else if (AKEY("len")) {
				bad = !nl_parse_u64(val, vn, 0xffffffffULL, &v);
				p->len = (int64_t)v;
			} else if (AKEY("mark")) {
				bad = !nl_parse_hex(val, vn, 0xffffffffULL, &v);
				p->mark = (int64_t)v;
			} else if (AKEY("inif") || AKEY("outif")) {
				/* "?": none */
				if (!(vn == 1 && val[0] == '?'))
					nl_strlcpyn(AKEY("inif") ? p->iif : p->oif, val, vn, NL_IFNAMSIZ);
			} else if (!AKEY("record")) {
				pktlog_extra_add(p, w, wn);	/* action=, hook=, smac=, ...: as printed */
			}
#undef AKEY
		}
		if (bad) {
			snprintf(msg, sizeof msg, "audit record's field '%.*s' cannot be read",
				 (int)(wn > 40 ? 40 : wn), w);
			return k->sink->error(k->sink->ctx, lineno, msg, s, n);
		}
	}
	ev->msg = a;
	ev->msglen = (size_t)(s + n - a);
	ev->line = lineno;
	return k->sink->event(k->sink->ctx, ev);
}

/* A mail's quote marks of the "| " kind ("| IN= OUT=xfrm SRC=..."): no
 * kernel or syslog line starts with '|' and a blank, and a LOG line
 * without a prefix must not take the mark for one. s and n past them. */
static void pipe_quote(const char **s, size_t *n)
{
	size_t i = 0;
	for (;;) {
		size_t j = i;
		while (j < *n && ((*s)[j] == ' ' || (*s)[j] == '\t'))
			j++;
		if (j + 1 >= *n || (*s)[j] != '|' || ((*s)[j + 1] != ' ' && (*s)[j + 1] != '\t'))
			break;
		i = j + 2;
	}
	*s += i;
	*n -= i;
}

static int klog_line(void *state, const char *s, size_t n, long lineno)
{
	struct klog *k = state;
	struct pairs pr;
	int rc = 0;

	if (is_verbose_head(s, n) || (k->verbose && !(n > 4 && !memcmp(s, "    ", 4)))) {
		if (pend_flush(k))
			return -1;
		k->xr.open = 0;
		k->verbose = is_verbose_head(s, n);
		if (k->verbose) {
			verbose_head(&k->xr, s, n);
			k->sink->skip(k->sink->ctx, lineno);
			return 0;
		}
	}
	if (k->verbose) {
		s += 4;	/* a field of the record */
		n -= 4;
	}
	if (k->xb.on && (rc = export_bin_line(k, s, n, lineno)) != 1)
		return rc;
	if (k->xr.open && !k->verbose && s[0] >= 'A' && bin_field_name(s, n)) {
		k->xb.on = 1;	/* its bytes follow: the record goes on */
		k->xb.is_msg = n == 7 && !memcmp(s, "MESSAGE", 7);
		k->xb.line = k->xb.last = lineno;
		k->xb.got = 0;
		k->sink->skip(k->sink->ctx, lineno);
		return 0;
	}
	if (k->pm.on && ends_record(k, s, n) && pend_flush(k))
		return -1;
	pipe_quote(&s, &n);
	if (export_field(&k->xr, s, n)) {
		k->sink->skip(k->sink->ctx, lineno);
		return 0;
	}
	if (k->xr.open && n > 8 && !memcmp(s, "MESSAGE=", 8) && maybe_netfilter(s, n) == 1)
		return pend_message(k, 1, s + 8, n - 8, s, n, lineno);
	if ((rc = json_member_line(k, s, n, lineno)) != 1)
		return rc;
	rc = 0;
	pairs_init(&pr, &k->pairs, s, n);
	if (n < 8 || (rc = maybe_netfilter_in(s, n, &pr)) != 1) {
		if (rc == 2 && wrapped_rest(s, n))
			return k->sink->error(k->sink->ctx, lineno, "the rest of a netfilter line broken "
					      "in two (PROTO= without IN= or SRC=): its head is on a "
					      "line before", s, n);
		if (fragment_head(s, n))
			return k->sink->error(k->sink->ctx, lineno, FRAGMENT_MSG, s, n);
		if (conntrack_in_log(s, n, &pr))
			return k->sink->error(k->sink->ctx, lineno, CONNTRACK_IN_LOG_MSG, s, n);
		if (conntrack_table_line(s, n, &pr))
			return k->sink->error(k->sink->ctx, lineno, CONNTRACK_TABLE_MSG, s, n);
		if (!k->dump_said && dump_in_log(s, n)) {
			k->dump_said = 1;
			return k->sink->error(k->sink->ctx, lineno, DUMP_IN_LOG_MSG, s, n);
		}
		/* an audit record names no IN= or SRC=: asked of such lines only */
		if (rc != 2 && (rc = audit_record(k, s, n, lineno, &pr)) != 1)
			return rc;
		if ((rc = klog_notice(k, s, n, lineno, &pr)) <= 0)
			return rc;
		k->sink->skip(k->sink->ctx, lineno);
		return 0;
	}
	if (ulogd_flow_in_log(s, n))
		return k->sink->error(k->sink->ctx, lineno, ULOGD_FLOW_MSG, s, n);
	if (s[0] == '\x1e') {
		s++;	/* journalctl -o json-seq: RFC 7464's record separator */
		n--;
	}
	if (n > 0 && s[0] == '{') {
		ev_reset(&k->ev);
		k->ev.raw = s;
		k->ev.rawlen = n;
		return journal_json(k, s, n, lineno);
	}
	/* each record of a flattened line is read as a line of its own */
	for (;;) {
		const char *next = NULL, *end = s + n;
		if ((rc = klog_record(k, s, n, lineno, &next)) || !next)
			return rc;
		n = (size_t)(end - next);
		s = next;
	}
}

/* The record at s; *next: where another record of the line starts, or NULL. */
static int klog_record(struct klog *k, const char *s, size_t n, long lineno, const char **next)
{
	struct nl_event *ev = &k->ev;
	struct nl_err err;
	const char *msg, *fields;
	int rc;

	ev_reset(ev);
	ev->raw = s;
	msg = envelope(s, n, ev);
	if ((fields = pvefw(msg, s + n, ev)) != NULL) {
		*next = NULL;
		ev->rawlen = n;
		rc = pktlog_parse_fields(fields, n - (size_t)(fields - s), ev, &err);
	} else {
		if ((*next = next_record(msg, s + n)) != NULL)
			for (n = (size_t)(*next - s); n > (size_t)(msg - s) && s[n - 1] == ' ';)
				n--;
		ev->rawlen = n;
		rc = pktlog_parse(msg, n - (size_t)(msg - s), ev, &err);
	}
	if (rc > 0) {
		if (fragment_head(msg, n - (size_t)(msg - s)))
			return k->sink->error(k->sink->ctx, lineno, FRAGMENT_MSG, s, n);
		/* a conntrack helper's drop said without the packet */
		if (!*next && n - (size_t)(msg - s) > 6 && !memcmp(msg, "nf_ct_", 6) &&
		    (rc = klog_notice(k, s, n, lineno, NULL)) <= 0)
			return rc;
		/* text before a record run on after it ("Apr 1811:50:23 host
		 * kernel: [1038991.870882] TRACE: ..."): the line is that record's */
		if (!*next)
			k->sink->skip(k->sink->ctx, lineno);
		return 0;
	}
	if (rc < 0)
		return k->sink->error(k->sink->ctx, lineno, err.msg, s, n);
	/* "(over the window of the receiver) IN= OUT=bond0": a conntrack
	 * line's reason wrapped onto a line of its own, no time, no packet */
	if (ev->kind == NL_EV_LOG && !ev->time[0] && !ev->pkt.src[0] && !ev->pkt.dst[0] &&
	    !ev->pkt.mac[0] && ev->pkt.proto < 0 && ev->pkt.len < 0 && !ev->pkt.extra[0])
		return k->sink->error(k->sink->ctx, lineno, "a piece of a netfilter line broken in "
				      "parts: IN= and OUT= with no time before them and no packet "
				      "after them", s, n);
	if (ev->uptime > MAX_UPTIME_S && bad_time(k, lineno, "the kernel time stamp", s, n))
		return -1;
	ev->line = lineno;
	ev->msg = msg;
	ev->msglen = n - (size_t)(msg - s);
	return k->sink->event(k->sink->ctx, ev);
}

static int klog_probe(const char *s, size_t n)
{
	if (memmem(s, n, "type=NETFILTER_PKT msg=audit(", 29) ||
	    memmem(s, n, "audit: type=1324 audit(", 23))
		return 2;	/* auditd's log, ausearch, the kernel's log */
	if (memmem(s, n, "IN=", 3) && memmem(s, n, " OUT=", 5))
		return 2;
	if (memmem(s, n, " kernel: ", 9) || (n > 2 && s[0] == '[' && memchr(s, ']', n)))
		return 1;
	if (n > 11 && !memcmp(s, "__CURSOR=s=", 11))
		return 1;	/* journalctl -o export */
	return 0;
}

static void *klog_open(const struct nl_sink *sink)
{
	struct klog *k = calloc(1, sizeof *k);
	if (k)
		k->sink = sink;
	return k;
}

static int klog_close(void *state)
{
	struct klog *k = state;
	int rc = pend_flush(k);
	if (k->xb.on && k->xb.is_msg)
		rc = rc ? rc : k->sink->error(k->sink->ctx, k->xb.line, "journal export: a binary "
					      "MESSAGE cut short: its message is unknown", NULL, 0);
	free(k->xb.buf);
	free(k->pm.buf);
	free(k);
	return rc ? -1 : 0;
}

static const char *const klog_samples[] = {
	"[ 2631.978281] TRACE: raw:PREROUTING:policy:2 IN=enp0s1 OUT= MAC=fa:f3:dc:b4:4e:ef:3a:f9:d3:9e:aa:64:08:00 SRC=192.168.64.1 DST=192.168.64.4 LEN=64 TOS=0x10 PREC=0x00 TTL=64 ID=0 PROTO=TCP SPT=52842 DPT=10000 SEQ=1184533180 ACK=0 WINDOW=65535 RES=0x00 CWR ECE SYN URGP=0 OPT (020405B4010303060101080A6EF8750A0000000004020000)",
	"Jun 16 17:44:05 dev-slave-110 kernel: TRACE: raw:PREROUTING:rule:2 IN=eth0 OUT= MAC=52:54:15:5d:39:58:02:54:d4:90:3a:57:08:00 SRC=8.8.8.8 DST=10.39.0.110 LEN=84 TOS=0x00 PREC=0x00 TTL=32 ID=0 PROTO=ICMP TYPE=0 CODE=0 ID=4064 SEQ=24",
	NULL,
};

const struct nl_parser nl_parser_klog = {
	.name = "kernel-log",
	.probe = klog_probe,
	.open = klog_open,
	.line = klog_line,
	.close = klog_close,
	.samples = klog_samples,
	.events_only = 1,
};
