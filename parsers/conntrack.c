/*
 * conntrack.c - conntrack-tools' `conntrack -L` and `conntrack -E` output and
 * the kernel's /proc/net/nf_conntrack: one nl_flow per line. Defined by
 * libnetfilter_conntrack src/conntrack/snprintf_default.c
 * (__snprintf_conntrack_default), conntrack-tools src/conntrack.c (event_cb:
 * the -o timestamp prefix and -o userspace suffix) and the kernel's
 * nf_conntrack_standalone.c (ct_seq_show), e.g. (testdata/conntrack/):
 *   ipv4     2 tcp      6 117 TIME_WAIT src=10.77.241.2 dst=10.77.241.1 sport=42998 dport=8080 packets=5 bytes=297 src=10.77.242.10 dst=10.77.241.2 sport=80 dport=42998 packets=5 bytes=338 [ASSURED] mark=42 delta-time=4 use=1 id=98242178
 *   [1795274827.075291]	    [NEW] icmp     1 30 src=10.77.1.2 dst=10.77.1.1 type=8 code=0 id=5151 [UNREPLIED] src=10.77.1.1 dst=10.77.1.2 type=0 code=0 id=5151
 * ICMP: the original tuple's type, code and id go in icmp_*; the reply
 * tuple's id, which SNAT may remap, goes in rsport (the kernel keeps the
 * id in the tuple's source part); the other ports stay -1. GRE: srckey and
 * dstkey go in the ports; both print 16-bit keys (ntohs() in the kernel's
 * print_tuple and in libnetfilter_conntrack), so a wider one is an error.
 * The summary line conntrack prints on stderr (`conntrack v1.4.7
 * (conntrack-tools): 16 flow entries have been shown.`, after an echoed
 * `^C` when Ctrl-C stopped -E) is skipped, and so is watch(1)'s header;
 * a glog header in front of an entry (a CI log's dump) is passed over;
 * the number under a pasted `conntrack -C` (or a cat of
 * nf_conntrack_count or _max) is skipped; `conntrack -S`'s per-CPU
 * counters are notices (kind ct-stats, count its drop=), and so is the
 * drop line of the totals older versions printed; `-o xml`'s
 * <flow> lines, `-o save`'s option lines and the rows of VyOS's `show
 * conntrack table` are entries too, and so are conntrackd -i's and -e's;
 * conntrackd -s's statistics and conntrackd's log lines are skipped;
 * expectations (conntrack -L expect, /proc/net/nf_conntrack_expect) are
 * errors that say so; -E's warning that it lost events (ENOBUFS) is a
 * notice of kind loss; any other line that is not an entry is an error.
 */
#include "natlog.h"
#include "cursor.h"
#include "parser.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define VY_MAXCOL 24

struct ct {
	const struct nl_sink *sink;
	struct nl_flow f;
	char cmd_event[12];	/* DESTROY under a pasted "conntrack -D", UPDATE under -U */
	int cd_stats;		/* within conntrackd -s's sections */
	int counts;		/* under a command that prints a count (conntrack -C) */
	int continued;		/* the line before ended with '\' */
	/* VyOS's `show conntrack table`: its header, then the columns its
	 * rule of dashes marks (vy_state 1 after the header, 2 after the rule) */
	int vy_state, vy_ncol;
	/* /proc/net/stat/nf_conntrack: its header's columns, 0 before one,
	 * and which is drop */
	int ps_ncol, ps_drop;
	char vy_head[1024];
	size_t vy_headn;
	struct { size_t at; int kind; } vy_col[VY_MAXCOL];
};

#define KEY(k) (kn == sizeof(k) - 1 && !memcmp(t, k, kn))
#define SHOWN(p, n) (int)((n) > 60 ? 60 : (n)), (p)

static int is_digits(const char *s, size_t n)
{
	size_t i;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* A TCP/SCTP/DCCP state word: SYN_SENT, ESTABLISHED, COOKIE_WAIT, ... */
static int is_state(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || s[0] < 'A' || s[0] > 'Z')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* A protocol name as conntrack prints it: tcp, icmpv6, udplite, unknown. */
static int is_name(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || n > 16)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return s[0] >= 'a' && s[0] <= 'z';
}

/* `[1709629872.345678]` then a TAB (conntrack -E -o timestamp):
 * "[%ld.%06ld]" since conntrack-tools 1.4.2, "[%-8ld.%-6ld]" before it
 * (and still in its expectation events), where `[1300000000.12345 ]` is
 * 12345 us: a fraction of fewer than 6 digits is that older format, its
 * digits microseconds, not a decimal fraction; its time is kept as the
 * current format prints the same instant. */
static int read_stamp(struct nl_cur *c, struct nl_flow *f)
{
	struct nl_cur u = *c;
	const char *d;
	uint64_t sec, frac;
	size_t nd;
	if (!cur_char(&u, '[') || !cur_u64(&u, 99999999999ULL, &sec) || !cur_char(&u, '.'))
		return 0;
	d = u.p;
	if (!cur_u64(&u, 999999999ULL, &frac))
		return 0;
	nd = (size_t)(u.p - d);
	if (nd < 6) {
		cur_spaces(&u);	/* %-6ld pads the short fraction on the right */
		if (!cur_char(&u, ']'))
			return 0;
		snprintf(f->time, sizeof f->time, "%llu.%06llu", (unsigned long long)sec,
			 (unsigned long long)frac);
	} else {
		if (!cur_char(&u, ']') || (size_t)(u.p - c->p - 2) >= sizeof f->time)
			return 0;
		nl_strlcpyn(f->time, c->p + 1, (size_t)(u.p - c->p - 2), sizeof f->time);
		for (; nd > 6; nd--)
			frac /= 10;	/* finer than microseconds: cut */
	}
	f->wall_us = (int64_t)(sec * 1000000ULL + frac);
	*c = u;
	return 1;
}

/* The header glog/klog writes in front of each line of a log
 * ("I0812 15:31:25.778224   12345 conntrack.go:77] "), and the shorter one
 * of Kubernetes' CI build logs, where its e2e tests dump the table
 * ("I0812 15:31:25.778] udp      17 175 src=..."): s and n past it when the
 * line has one. Its time has no year and is the log's, not conntrack's:
 * not kept. */
static void skip_glog(const char **s, size_t *n)
{
	struct nl_cur c = cur_make(*s, *n);
	uint64_t v;
	const char *w;
	size_t wn;
	if (*n < 16 || ((*s)[0] != 'I' && (*s)[0] != 'W' && (*s)[0] != 'E' && (*s)[0] != 'F'))
		return;
	c.p++;
	if (!cur_u64(&c, 1231, &v) || c.p - *s != 5 || !cur_char(&c, ' ') ||
	    !cur_u64(&c, 23, &v) || !cur_char(&c, ':') || !cur_u64(&c, 59, &v) ||
	    !cur_char(&c, ':') || !cur_u64(&c, 60, &v))
		return;
	if (cur_char(&c, '.') && !cur_u64(&c, 999999999, &v))
		return;
	if (!cur_char(&c, ']')) {
		/* glog's: the thread id, then file:line] */
		if (!cur_spaces(&c) || !cur_u64(&c, UINT32_MAX, &v) || !cur_spaces(&c) ||
		    !cur_word(&c, &w, &wn) || wn < 2 || w[wn - 1] != ']')
			return;
	}
	if (!cur_char(&c, ' '))
		return;
	*n -= (size_t)(c.p - *s);
	*s = c.p;
}

/* `    [NEW] `, ` [UPDATE] `, `[DESTROY] ` (%9s). */
static int read_event(struct nl_cur *c, struct nl_flow *f)
{
	static const char *const ev[] = { "NEW", "UPDATE", "DESTROY" };
	struct nl_cur u = *c;
	size_t i;
	cur_spaces(&u);
	if (!cur_char(&u, '['))
		return 0;
	for (i = 0; i < 3; i++) {
		struct nl_cur v = u;
		if (cur_lit(&v, ev[i]) && cur_char(&v, ']')) {
			nl_strlcpy(f->event, ev[i], sizeof f->event);
			*c = v;
			return 1;
		}
	}
	return 0;
}

/* conntrack's summary on stderr; -E prints it when Ctrl-C stops it, so a
 * paste of a terminal has the "^C" the terminal echoed in front. */
static int summary_line(const char *s, size_t n)
{
	if (n > 2 && s[0] == '^' && s[1] == 'C') {
		s += 2;
		n -= 2;
	}
	return n > 12 && !memcmp(s, "conntrack v", 11) && memmem(s, n, "(conntrack-tools)", 17);
}

/* `conntrack -S` (conntrack-tools src/conntrack.c nfct_stats_cb: the
 * kernel's per-CPU counters, ctnetlink's CTA_STATS_*, "cpu=%-4u\t" then
 * name=value):
 *   cpu=7   	found=109 invalid=336 ignore=2373314 insert=0 insert_failed=0 drop=0 early_drop=0 error=0 search_restart=3938
 * cpu= then key=number fields; a kernel may add or drop counters, so only
 * drop= is required. 1 with the line's drop counter in *drop (packets
 * conntrack dropped for want of an entry: table full, or a clash it could
 * not resolve), 0 when the line is none. */
static int stats_line(const char *s, size_t n, int64_t *drop)
{
	struct nl_cur c = cur_make(s, n);
	uint64_t v;
	int have_drop = 0;
	if (!cur_lit(&c, "cpu=") || !cur_u64(&c, 65535, &v) || !cur_spaces(&c))
		return 0;
	while (!cur_eof(&c)) {
		const char *t, *eq;
		size_t tn;
		cur_word(&c, &t, &tn);
		eq = memchr(t, '=', tn);
		if (!eq || eq == t || !nl_parse_u64(eq + 1, tn - (size_t)(eq + 1 - t), INT64_MAX, &v))
			return 0;
		if (eq - t == 4 && !memcmp(t, "drop", 4)) {
			*drop = (int64_t)v;
			have_drop = 1;
		}
		cur_spaces(&c);
	}
	return have_drop;
}

/* conntrack -S when ctnetlink's statistics fail (no CAP_NET_ADMIN in a
 * pod, kubernetes#56903) falls back to /proc/net/stat/nf_conntrack, and
 * older conntrack-tools printed its counters summed over the CPUs, one a
 * line ("drop      \t\t0"):
 * 1 for such a line, with the value of its drop line in *drop and
 * *is_drop set, 0 when the line is none. */
static int old_stats_line(const char *s, size_t n, int64_t *drop, int *is_drop)
{
	static const char *const names[] = {
		"entries", "searched", "found", "new", "invalid", "ignore", "delete",
		"delete_list", "insert", "insert_failed", "drop", "early_drop", "icmp_error",
		"expect_new", "expect_create", "expect_delete", "search_restart", NULL,
	};
	struct nl_cur c = cur_make(s, n);
	const char *w;
	size_t wn, i;
	uint64_t v;
	if (!cur_word(&c, &w, &wn) || !cur_spaces(&c) || !cur_u64(&c, INT64_MAX, &v))
		return 0;
	cur_spaces(&c);
	if (!cur_eof(&c))
		return 0;
	for (i = 0; names[i]; i++)
		if (strlen(names[i]) == wn && !memcmp(names[i], w, wn)) {
			*is_drop = wn == 4;
			*drop = (int64_t)v;
			return 1;
		}
	return 0;
}

/* /proc/net/stat/nf_conntrack (nf_conntrack_standalone.c ct_cpu_seq_show,
 * what sosreport copies and conntrack -S reads without ctnetlink): a
 * header naming the counters, then one row of hex numbers per CPU:
 *   entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart
 *   0000002a  00000000 00000000 00000000 00000003 00000000 00000000 00000000 ...
 * (older kernels name searched and delete_list where newer ones name
 * clashres and chainlength). The header's column of drop with the number
 * of columns in *ncol, or -1 when the line is no such header. */
static int proc_stat_head(const char *s, size_t n, int *ncol)
{
	struct nl_cur c = cur_make(s, n);
	const char *w;
	size_t wn, i;
	int col = 0, drop = -1;
	while (cur_spaces(&c), cur_word(&c, &w, &wn)) {
		for (i = 0; i < wn; i++)
			if (!((w[i] >= 'a' && w[i] <= 'z') || w[i] == '_'))
				return -1;
		if (col == 0 && !(wn == 7 && !memcmp(w, "entries", 7)))
			return -1;
		if (wn == 4 && !memcmp(w, "drop", 4))
			drop = col;
		if (++col > 64)
			return -1;
	}
	*ncol = col;
	return drop;
}

/* A row under that header: ncol hex numbers; 1 with the drop column's in
 * *drop, 0 when the line is none. */
static int proc_stat_row(const char *s, size_t n, int ncol, int dropcol, int64_t *drop)
{
	struct nl_cur c = cur_make(s, n);
	const char *w;
	size_t wn;
	uint64_t v;
	int col = 0;
	while (cur_spaces(&c), cur_word(&c, &w, &wn)) {
		if (col >= ncol || wn > 16 || !nl_parse_hex(w, wn, UINT64_MAX, &v))
			return 0;
		if (col == dropcol)
			*drop = (int64_t)(v > INT64_MAX ? INT64_MAX : v);
		col++;
	}
	return col == ncol;
}

/* VyOS's `show conntrack statistics` prints conntrack -S's lines under a
 * table's header and rule (vyos-1x op_mode/conntrack.py):
 *   CPU    Found    Invalid    Insert    Insert fail      Drop    Early drop    Errors    Search restart
 *   -----  -------  ---------  --------  ---------------  ------  ------------  --------  -----------------
 * 1 for either line. */
static int stats_table_head(const char *s, size_t n)
{
	size_t i, dashes = 0;
	if (n > 4 && !memcmp(s, "CPU ", 4) && memmem(s, n, " Found ", 7) && memmem(s, n, " Drop ", 6))
		return 1;
	for (i = 0; i < n; i++) {
		if (s[i] == '-')
			dashes++;
		else if (s[i] != ' ')
			return 0;
	}
	return dashes >= 3;
}

/* What conntrack -E prints on stderr when the kernel dropped events for
 * want of socket buffer (conntrack-tools src/conntrack.c, on ENOBUFS):
 *   WARNING: We have hit ENOBUFS! We are losing events.
 *   This message means that the current netlink socket buffer size is too small.
 *   Please, check --buffer-size in conntrack(8) manpage.
 * and, with -b, "NOTICE: Netlink socket buffer size has been set to N
 * bytes.". 2 for the first line (events were lost), 1 for the others, 0
 * for any other line. */
static int enobufs_line(const char *s, size_t n)
{
	static const char *const rest[] = {
		"This message means that the current netlink socket buffer size is too small.",
		"Please, check --buffer-size in conntrack(8) manpage.",
		"NOTICE: Netlink socket buffer size has been set to ",
	};
	size_t i;
	if (n >= 37 && !memcmp(s, "WARNING: We have hit ENOBUFS! We are", 36))
		return 2;
	for (i = 0; i < sizeof rest / sizeof *rest; i++)
		if (n >= strlen(rest[i]) && !memcmp(s, rest[i], strlen(rest[i])))
			return 1;
	return 0;
}

/* A line of conntrack's own as a notice: its word that events were lost
 * (kind loss, no count), or a `conntrack -S` line (kind ct-stats, its
 * drop counter), with the line as printed. */
static int ct_notice(const struct nl_sink *k, const char *s, size_t n, long lineno,
		     const char *kind, int64_t count)
{
	struct nl_notice o;
	if (!k->notice) {
		k->skip(k->ctx, lineno);
		return 0;
	}
	memset(&o, 0, sizeof o);
	o.line = lineno;
	nl_strlcpy(o.kind, kind, sizeof o.kind);
	nl_strlcpy(o.origin, "conntrack", sizeof o.origin);
	o.uptime = -1;
	o.wall_us = -1;
	o.count = count;
	o.port = -1;
	nl_strlcpyn(o.text, s, n, sizeof o.text);
	return k->notice(k->ctx, &o);
}

/* The shell prompt and command a paste shows above the entries
 * ("HOSTNAME ~ # conntrack -L -p udp", "$ sudo cat /proc/net/nf_conntrack"),
 * or the header a collector writes there (eks-log-collector.sh's
 * "*** Output of conntrack -L ***"): 1, with what the entries under it are
 * (conntrack -D prints the entries it deleted, -U those it changed) in ev;
 * 2 for "conntrackd -s", whose statistics follow; 3 for a command that
 * prints a number ("conntrack -C", "cat
 * /proc/sys/net/netfilter/nf_conntrack_max"); else 0. */
static int prompt_line(const char *s, size_t n, char ev[12])
{
	static const char *const marks[] = { "# ", "$ ", "*** Output of ", NULL };
	size_t i;
	if (memmem(s, n, "src=", 4))
		return 0;
	for (i = 0; marks[i]; i++) {
		const char *m = memmem(s, n, marks[i], strlen(marks[i])), *cmd;
		size_t cn, mn;
		if (!m || !(cmd = memmem(m, (size_t)(s + n - m), "conntrack", 9)))
			continue;
		cn = (size_t)(s + n - cmd);
		ev[0] = '\0';
		if (cn > 10 && cmd[9] == 'd')
			return memmem(cmd, cn, " -s", 3) || memmem(cmd, cn, " --stats", 8) ? 2 : 1;
		mn = (size_t)(s + n - m);
		if (memmem(cmd, cn, " -C", 3) || memmem(cmd, cn, " --count", 8) ||
		    memmem(m, mn, "_conntrack_count", 16) || memmem(m, mn, "_conntrack_max", 14) ||
		    memmem(m, mn, "_conntrack_buckets", 18))
			return 3;
		if (memmem(cmd, cn, " -D", 3) || memmem(cmd, cn, " --delete", 9))
			nl_strlcpy(ev, "DESTROY", 12);
		else if (memmem(cmd, cn, " -U", 3) || memmem(cmd, cn, " --update", 9))
			nl_strlcpy(ev, "UPDATE", 12);
		return 1;
	}
	return 0;
}

/* The header watch(1) prints above each refresh of the command it runs
 * ("Every 2.0s: conntrack -L 2>&1 | egrep ...   host: Fri Feb 10
 * 06:45:02 2023"): 1 for it, else 0. */
static int watch_header(const char *s, size_t n)
{
	struct nl_cur c = cur_make(s, n);
	uint64_t v;
	if (!cur_lit(&c, "Every ") || !cur_u64(&c, 999999, &v))
		return 0;
	if (cur_char(&c, '.') && !cur_u64(&c, 999999, &v))
		return 0;
	return cur_lit(&c, "s: ");
}

/* A time alone on its line, as a loop that lists the table prints before
 * each listing ("17:14:30", date +%T); the entries carry no time of it. */
static int time_line(const char *s, size_t n)
{
	struct nl_cur c = cur_make(s, n);
	uint64_t h, m, sec;
	if (!cur_u64(&c, 23, &h) || !cur_char(&c, ':') || cur_left(&c) < 5 ||
	    !cur_u64(&c, 59, &m) || !cur_char(&c, ':') || !cur_u64(&c, 60, &sec))
		return 0;
	if (cur_char(&c, '.') && !cur_u64(&c, 999999999, &sec))
		return 0;
	return cur_eof(&c);
}

/* A row of MediaTek's hardware flow table (the PPE's debugfs "entries":
 * "0252a BND IPv4 5T orig=a:p->b:q new=... eth=..."), which routers with
 * hardware offload are asked for beside conntrack's [HW_OFFLOAD] entries:
 * the hash, the state and the packet type, then orig= and new=. */
static int ppe_row(const char *s, size_t n)
{
	static const char *const states[] = { " INV ", " UNB ", " BND ", " FIN " };
	size_t i = 0, k;
	while (i < n && i < 6 && isxdigit((unsigned char)s[i]))
		i++;
	if (i < 4 || i + 9 > n)
		return 0;
	for (k = 0; k < 4; k++)
		if (!memcmp(s + i, states[k], 5))
			break;
	return k < 4 && (!memcmp(s + i + 5, "IPv4", 4) || !memcmp(s + i + 5, "IPv6", 4)) &&
	       memmem(s, n, " orig=", 6) != NULL;
}

/* A shell prompt alone, as a paste ends ("tw:/home/bor #", "user@fw:~$",
 * "#"): one word or none, then '#' or '$' and nothing after it; and what
 * kubectl adds after a command it ran in a pod failed ("command terminated
 * with exit code 1"). */
static int bare_prompt(const char *s, size_t n)
{
	size_t i;
	if (n > 34 && !memcmp(s, "command terminated with exit code ", 34))
		return 1;
	if (n < 1 || (s[n - 1] != '#' && s[n - 1] != '$'))
		return 0;
	n--;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0)
		return 1;	/* "# " alone: root's prompt without its host */
	for (i = 0; i < n; i++)
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '=')
			return 0;
	return 1;
}

/* A line of conntrackd's own log (conntrack-tools src/log.c: the ctime,
 * the pid, the level), as pasted next to its caches:
 *   [Thu Sep 18 18:03:02 2008] (pid=9759) [notice] Committed 1545 new entries
 * 1 for one, else 0. */
static int cd_log_line(const char *s, size_t n)
{
	struct nl_cur c = cur_make(s, n);
	const char *w;
	size_t wn;
	uint64_t v;
	if (n < 40 || s[0] != '[' || s[25] != ']')
		return 0;
	c.p += 26;
	if (!cur_lit(&c, " (pid=") || !cur_u64(&c, UINT32_MAX, &v) || !cur_lit(&c, ") [") ||
	    !cur_until(&c, ']', &w, &wn) || wn > 16 || !cur_char(&c, ']'))
		return 0;
	return 1;
}

/* conntrackd -s (conntrack-tools src/stats-mode.c, cache.c, network.c,
 * run.c), in sections under a heading that ends with ':':
 *   cache internal:
 *   connections created:                       4    failed:            0
 *                     352 Bytes sent                    0 Bytes recv
 *   cache:internal  active objects:                    0
 *           active/total entries:                      0/           0
 * 1 for a line that starts such a section, 0 for any other. */
static int cd_stats_head(const char *s, size_t n)
{
	return (n >= 14 && (!memcmp(s, "cache internal", 14) || !memcmp(s, "cache external", 14) ||
			    !memcmp(s, "cache:internal", 14) || !memcmp(s, "cache:external", 14)));
}

/* Within its sections, a heading ("multicast traffic (active
 * device=eth3):") or a line of counters: words, labels and numbers, at
 * least one number, no key=value. 1 for either, 0 for any other line. */
static int cd_stats_line(const char *s, size_t n)
{
	size_t i;
	int digits = 0, eq = 0;
	if (memmem(s, n, "src=", 4))
		return 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		if (ch >= '0' && ch <= '9')
			digits = 1;
		else if (ch == '=')
			eq = 1;
		else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == ' ' ||
			   ch == '\t' || ch == ':' || ch == '/' || ch == '(' || ch == ')' || ch == '_' ||
			   ch == '-' || ch == '.'))
			return 0;
	}
	if (n > 0 && s[n - 1] == ':')
		return 1;
	return digits && !eq;
}

/* An expectation, as `conntrack -L expect` and `-E expect` print them
 * (libnetfilter_conntrack's __snprintf_expect_default): the timeout, then
 * "proto=N src=... mask-src=... master-src=... helper=...", or a piece of
 * one a mail broke over lines (its mask- or master- tuple, its flags); or
 * as /proc/net/nf_conntrack_expect lists them (the kernel's
 * exp_seq_show): the timeout or "-", then "l3proto = 2 proto=47 src=...
 * srckey=0xa9a0 dstkey=0x6bd8 pptp". */
static int expect_line(const char *s, size_t n)
{
	struct nl_cur c = cur_make(s, n);
	uint64_t v;
	const char *w;
	size_t wn;
	if (memmem(s, n, "mask-src=", 9) || memmem(s, n, "master-src=", 11))
		return 1;
	cur_spaces(&c);
	if ((cur_char(&c, '-') || cur_u64(&c, UINT32_MAX, &v)) && cur_spaces(&c) &&
	    (cur_lit(&c, "proto=") || cur_lit(&c, "l3proto = ")))
		return 1;
	c = cur_make(s, n);
	return cur_word(&c, &w, &wn) &&
	       ((wn == 9 && !memcmp(w, "PERMANENT", 9)) || (wn == 8 && !memcmp(w, "INACTIVE", 8))) &&
	       memmem(s, n, "helper=", 7);
}

/* What a vendor's kernel adds to /proc/net/nf_conntrack after the reply
 * tuple (Keenetic: "[ASSURED] [FASTNAT] [RTCACHE o33/r11] mark=0 nmark=0
 * ... slan attrs= use=2", "nomac swan no_if"): a flag of capitals, with
 * words after a space, and bare lowercase words. Accepted there and
 * dropped like the key=value fields natlog does not know; a number or
 * anything else stays an error (a mail that broke "dport=3881" as
 * "dport=388 1"). */
static int vendor_flag(const char *b, size_t bn)
{
	size_t i;
	if (bn < 3 || b[1] < 'A' || b[1] > 'Z')
		return 0;
	for (i = 2; i < bn - 1 && b[i] != ' '; i++)
		if (!((b[i] >= 'A' && b[i] <= 'Z') || (b[i] >= '0' && b[i] <= '9') || b[i] == '_'))
			return 0;
	return 1;
}

static int vendor_word(const char *t, size_t tn)
{
	size_t i;
	if (tn == 0 || tn > 32 || t[0] < 'a' || t[0] > 'z')
		return 0;
	for (i = 1; i < tn; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '_'))
			return 0;
	return 1;
}

/* conntrackd -i and -e print their caches' entries as conntrack does,
 * with how long each has been in the cache after them (conntrack-tools
 * src/cache.c, its lifetime feature: " [active since %lds]"). */
static int active_since(const char *b, size_t bn)
{
	return bn > 16 && !memcmp(b, "[active since ", 14) && b[bn - 2] == 's' &&
	       is_digits(b + 14, bn - 16);
}

/* Whether a line starts where no entry starts but its rest does: a tuple's
 * later field or what follows the reply tuple, as a mail wrapped it:
 * "dst=1.1.1.17 sport=5001 dport=56408 [HW_OFFLOAD] mark=0 use=2",
 * "zone=0 use=3". */
static const char rest_msg[] = "a conntrack tuple without the entry's protocol before it: "
	"the rest of an entry broken over lines (its head is on the line before)";

static int entry_tail(const char *p, size_t n)
{
	static const char *const heads[] = {
		"dst=", "sport=", "dport=", "packets=", "bytes=", "mark=", "zone=",
		"use=", "secctx=", "labels=", "[ASSURED]", "[OFFLOAD]", "[HW_OFFLOAD]",
	};
	size_t i, hn;

	for (i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		hn = strlen(heads[i]);
		if (n > hn && !memcmp(p, heads[i], hn))
			return 1;
	}
	return 0;
}

/* Where a tuple's fields go: orig (dir 0) or reply (dir 1). */
struct tuple {
	char *src, *dst;
	int *sport, *dport;
	int64_t *packets, *bytes;
	int have_src, have_dst, have_ports, have_type, have_code, have_id, have_keys;
	int have_packets, have_bytes;
};

static int set_u64(const char *v, size_t vn, uint64_t max, int64_t *out)
{
	uint64_t x;
	if (!nl_parse_u64(v, vn, max, &x))
		return -1;
	*out = (int64_t)x;
	return 0;
}

static int set_int(const char *v, size_t vn, uint64_t max, int *out)
{
	uint64_t x;
	if (!nl_parse_u64(v, vn, max, &x))
		return -1;
	*out = (int)x;
	return 0;
}

/* Parses one entry into f; returns 0, or -1 with err set. */
static int parse_entry(struct nl_cur *c, struct nl_flow *f, struct nl_err *err)
{
	struct tuple tu[2] = {
		{ f->osrc, f->odst, &f->osport, &f->odport, &f->opackets, &f->obytes, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ f->rsrc, f->rdst, &f->rsport, &f->rdport, &f->rpackets, &f->rbytes, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	};
	const char *w1, *w2, *prev = "";
	size_t n1, n2;
	uint64_t num1, num2;
	int dir = -1, after = 0, l3 = 0, fam = 0, rtype = -1, rcode = -1;
	struct nl_cur u;

	/* [l3name l3num] l4name l4num */
	cur_spaces(c);
	if (!cur_word(c, &w1, &n1) || !is_name(w1, n1))
		return nl_err_set(err, "no protocol name where conntrack prints one");
	cur_spaces(c);
	if (!cur_u64(c, 255, &num1) || (!cur_eof(c) && cur_peek(c) != ' ' && cur_peek(c) != '\t'))
		return nl_err_set(err, "protocol '%.*s' without its number", SHOWN(w1, n1));
	u = *c;
	cur_spaces(&u);
	if ((n1 == 4 && (!memcmp(w1, "ipv4", 4) || !memcmp(w1, "ipv6", 4))) ||
	    (n1 == 7 && !memcmp(w1, "unknown", 7))) {
		struct nl_cur v = u;
		if (cur_word(&v, &w2, &n2) && is_name(w2, n2) && (cur_spaces(&v), cur_u64(&v, 255, &num2))) {
			l3 = (int)num1;	/* -o extended and /proc: "ipv4     2 tcp      6 " */
			num1 = num2;
			*c = v;
		}
	}
	f->proto = (int)num1;
	if (l3 == 2)
		f->family = 4;
	else if (l3 == 10)
		f->family = 6;
	else if (l3)
		return nl_err_set(err, "address family %d is not IPv4 or IPv6", l3);

	/* [timeout] [state] until the first src= */
	while (!cur_eof(c)) {
		const char *t;
		size_t tn;
		cur_spaces(c);
		u = *c;
		if (!cur_word(&u, &t, &tn))
			break;
		if (tn > 4 && !memcmp(t, "src=", 4))
			break;
		*c = u;
		if (is_digits(t, tn)) {
			continue;	/* seconds left; natlog keeps no timeout */
		} else if (is_state(t, tn)) {
			if (f->state[0])
				return nl_err_set(err, "two state words ('%s' and '%.*s')", f->state,
						  SHOWN(t, tn));
			/* SCTP's SHUTDOWN_ACK_SENT is longer than the field: kept cut */
			nl_strlcpyn(f->state, t, tn, sizeof f->state);
		} else if ((tn > 8 && !memcmp(t, "timeout=", 8)) ||
			   (tn > 15 && !memcmp(t, "stream_timeout=", 15))) {
			continue;	/* /proc's GRE: "timeout=30, stream_timeout=180" */
		} else {
			return nl_err_set(err, "unexpected '%.*s' before the original tuple", SHOWN(t, tn));
		}
	}

	while (!cur_eof(c)) {
		const char *t, *eq, *v;
		size_t tn, kn, vn;
		struct tuple *tp;
		cur_spaces(c);
		if (cur_eof(c))
			break;
		if (cur_peek(c) == '[') {
			/* [UNREPLIED] [ASSURED] [OFFLOAD] [HW_OFFLOAD] [USERSPACE]
			 * [start=Sat Nov 21 15:46:14 2026] (spaces inside) */
			const char *b = c->p, *e = memchr(c->p, ']', cur_left(c));
			size_t bn;
			if (!e)
				return nl_err_set(err, "'[' without ']'");
			bn = (size_t)(e - b + 1);
			c->p = e + 1;
			prev = "";
			if (bn == 11 && !memcmp(b, "[UNREPLIED]", 11)) {
				if (dir != 0)
					return nl_err_set(err, "[UNREPLIED] outside the original tuple");
				f->unreplied = 1;
				continue;
			}
			if (dir != 1)
				return nl_err_set(err, "'%.*s' before the reply tuple", SHOWN(b, bn));
			after = 1;
			if (bn == 11 && !memcmp(b, "[USERSPACE]", 11))
				break;	/* -o userspace: portid= progname=, nothing natlog keeps */
			if (bn == 9 && !memcmp(b, "[ASSURED]", 9)) {
				f->assured = 1;
			} else if ((bn == 9 && !memcmp(b, "[OFFLOAD]", 9)) ||
				   (bn == 12 && !memcmp(b, "[HW_OFFLOAD]", 12))) {
				/* printed instead of [ASSURED] (ct_seq_show, and
				 * libnetfilter_conntrack: one of the three) */
				if (!f->assured)
					f->assured = -1;
			} else if (!((bn > 7 && !memcmp(b, "[start=", 7)) ||
				   active_since(b, bn) ||
				   (bn > 6 && !memcmp(b, "[stop=", 6)) ||
				   (tu[1].have_dst && vendor_flag(b, bn))))
				return nl_err_set(err, "unknown flag '%.*s'", SHOWN(b, bn));
			continue;
		}
		cur_word(c, &t, &tn);
		eq = memchr(t, '=', tn);
		if (!eq && dir == 1 && tu[1].have_dst && vendor_word(t, tn)) {
			after = 1;
			prev = "";
			continue;
		}
		if (!eq || eq == t)
			return nl_err_set(err, "unexpected '%.*s'", SHOWN(t, tn));
		kn = (size_t)(eq - t);
		v = eq + 1;
		vn = tn - kn - 1;
		if (KEY("src")) {
			if (dir == 1 || after)
				return nl_err_set(err, "a third tuple");
			dir++;
		}
		tp = dir >= 0 ? &tu[dir] : NULL;
		if (!tp)
			return nl_err_set(err, "'%.*s' before the original tuple", SHOWN(t, tn));
		if (KEY("src") || KEY("dst")) {
			int af;
			char *dst = KEY("src") ? tp->src : tp->dst;
			int *have = KEY("src") ? &tp->have_src : &tp->have_dst;
			if (after || *have || (KEY("dst") && !tp->have_src))
				return nl_err_set(err, "'%.*s' out of place", SHOWN(t, tn));
			if (nl_addr_canon(v, vn, &af, dst, NL_ADDRSIZ)) {
				if (nl_redacted(v, vn, 1))
					return nl_err_set(err, "'%.*s' blanked out before pasting: an "
							  "entry is kept only with its addresses",
							  SHOWN(t, tn));
				return nl_err_set(err, "'%.*s' is not an IP address", SHOWN(t, tn));
			}
			if (fam && af != fam)
				return nl_err_set(err, "IPv4 and IPv6 addresses in one entry");
			fam = af;
			*have = 1;
		} else if (KEY("sport") || KEY("dport")) {
			int *p = KEY("sport") ? tp->sport : tp->dport;
			if (after || !tp->have_dst || *p >= 0 || set_int(v, vn, 65535, p))
				return nl_err_set(err, "bad or misplaced '%.*s'", SHOWN(t, tn));
			tp->have_ports++;
		} else if (KEY("type") || KEY("code")) {
			int *p = dir == 0 ? (KEY("type") ? &f->icmp_type : &f->icmp_code)
					  : (KEY("type") ? &rtype : &rcode);
			if (after || !tp->have_dst || *p >= 0 || set_int(v, vn, 255, p))
				return nl_err_set(err, "bad or misplaced '%.*s'", SHOWN(t, tn));
			if (KEY("type"))
				tp->have_type = 1;
			else
				tp->have_code = 1;
		} else if (KEY("id") && !strcmp(prev, "code") && !tp->have_id) {
			/* the ICMP id follows code=; a later id= is conntrack's (-o id) */
			int *p = dir == 0 ? &f->icmp_id : &f->rsport;
			if (set_int(v, vn, 65535, p))
				return nl_err_set(err, "bad ICMP '%.*s'", SHOWN(t, tn));
			tp->have_id = 1;
		} else if (KEY("srckey") || KEY("dstkey")) {
			uint64_t k;
			int *p = KEY("srckey") ? tp->sport : tp->dport;
			if (after || !tp->have_dst || *p >= 0 || !nl_parse_hex(v, vn, 0xffffULL, &k))
				return nl_err_set(err, "bad or misplaced '%.*s'", SHOWN(t, tn));
			*p = (int)k;
			tp->have_keys++;
		} else if (KEY("packets") || KEY("bytes")) {
			int64_t *p = KEY("packets") ? tp->packets : tp->bytes;
			int *have = KEY("packets") ? &tp->have_packets : &tp->have_bytes;
			if (after || *have || set_u64(v, vn, INT64_MAX, p))
				return nl_err_set(err, "bad or repeated '%.*s'", SHOWN(t, tn));
			*have = 1;
		} else if (KEY("zone-orig") || KEY("zone-reply")) {
			int64_t z;
			if (set_u64(v, vn, 65535, &z))
				return nl_err_set(err, "bad '%.*s'", SHOWN(t, tn));
			if (KEY("zone-orig") && f->zone < 0)
				f->zone = z;	/* zone= (both directions), printed later, wins */
		} else {
			/* after the reply tuple: mark= secmark= secctx= zone=
			 * delta-time= helper= use= id= labels=, and keys a newer
			 * conntrack may add */
			if (dir != 1)
				return nl_err_set(err, "'%.*s' before the reply tuple", SHOWN(t, tn));
			after = 1;
			if (KEY("mark")) {
				if (set_u64(v, vn, 0xffffffffULL, &f->mark))
					return nl_err_set(err, "bad '%.*s'", SHOWN(t, tn));
			} else if (KEY("zone")) {
				if (set_u64(v, vn, 65535, &f->zone))
					return nl_err_set(err, "bad '%.*s'", SHOWN(t, tn));
			} else if (KEY("id")) {
				if (set_u64(v, vn, 0xffffffffULL, &f->ct_id))
					return nl_err_set(err, "bad '%.*s'", SHOWN(t, tn));
			}
		}
		prev = KEY("code") ? "code" : "";
	}

	if (dir == 0 && tu[0].have_dst && !after)
		return nl_err_set(err, "an entry cut after its original tuple (its reply tuple, src= "
				  "dst=, may be on the next line)");
	if (dir == 1 && tu[1].have_src && !tu[1].have_dst && !after)
		return nl_err_set(err, "an entry cut inside its reply tuple (its rest, dst=, may be "
				  "on the next line)");
	if (dir != 1 || !tu[0].have_dst || !tu[1].have_dst)
		return nl_err_set(err, "an entry needs an original and a reply tuple (src= dst= twice)");
	if (!f->family)
		f->family = fam == 6 ? 6 : 4;
	else if (f->family != fam)
		return nl_err_set(err, "the addresses are not of the family the line names");
	switch (f->proto) {
	case 6: case 17: case 132: case 136:
		if (tu[0].have_ports != 2 || tu[1].have_ports != 2)
			return nl_err_set(err, "%s entry without sport= and dport=",
					  nl_proto_name(f->proto));
		break;
	case 1: case 58:
		if (!tu[0].have_type || !tu[0].have_code || !tu[0].have_id || !tu[1].have_id)
			return nl_err_set(err, "ICMP entry without type=, code= and id=");
		break;
	case 47:
		if (tu[0].have_keys && (tu[0].have_keys != 2 || tu[1].have_keys != 2))
			return nl_err_set(err, "GRE entry with an incomplete srckey=/dstkey=");
		break;
	default:
		/* protocols conntrack tracks generically, and DCCP */
		if (tu[0].have_ports % 2 || tu[1].have_ports % 2 || tu[0].have_ports != tu[1].have_ports)
			return nl_err_set(err, "entry with only one of sport= and dport=");
		/* a kernel without a DCCP tracker (6.16 and later) sends no ports;
		 * conntrack prints "sport=0 dport=0" anyway, /proc nothing */
		if (f->proto == 33 && !f->osport && !f->odport && !f->rsport && !f->rdport)
			f->osport = f->odport = f->rsport = f->rdport = -1;
		break;
	}
	return 0;
}

/* conntrack -o xml (libnetfilter_conntrack's snprintf_xml.c): one
 * <flow> a line between "<?xml ...?>", "<conntrack>" and "</conntrack>",
 * -E's with type="new|update|destroy":
 *   <flow><meta direction="original"><layer3 protonum="2" protoname="ipv4"><src>192.168.50.4</src><dst>192.168.50.4</dst></layer3><layer4 protonum="6" protoname="tcp"><sport>53922</sport><dport>5000</dport></layer4></meta><meta direction="reply">...</meta><meta direction="independent"><state>ESTABLISHED</state><timeout>431985</timeout><mark>0</mark><use>1</use><id>907490432</id><assured/></meta></flow>
 * The text of <tag> within [*s, end): 1 with it in v/vn, 0 when absent. */
static int xml_text(const char *s, const char *end, const char *tag, const char **v, size_t *vn)
{
	char open[24], close[24];
	const char *a, *b;
	int on = snprintf(open, sizeof open, "<%s>", tag), cn = snprintf(close, sizeof close, "</%s>", tag);
	if (on <= 0 || cn <= 0 || (size_t)on >= sizeof open || (size_t)cn >= sizeof close)
		return 0;
	if (!(a = memmem(s, (size_t)(end - s), open, (size_t)on)))
		return 0;
	a += on;
	if (!(b = memmem(a, (size_t)(end - a), close, (size_t)cn)))
		return 0;
	*v = a;
	*vn = (size_t)(b - a);
	return 1;
}

/* A number in <tag>: 1 and *out, 0 when absent, -1 when no number. */
static int xml_num(const char *s, const char *end, const char *tag, uint64_t max, int64_t *out)
{
	const char *v;
	size_t vn;
	uint64_t x;
	if (!xml_text(s, end, tag, &v, &vn))
		return 0;
	if (!nl_parse_u64(v, vn, max, &x))
		return -1;
	*out = (int64_t)x;
	return 1;
}

/* The <meta direction="..."> section's extent, or 0. */
static int xml_meta(const char *s, const char *end, const char *dir, const char **a, const char **b)
{
	char open[48];
	int on = snprintf(open, sizeof open, "<meta direction=\"%s\">", dir);
	if (on <= 0 || (size_t)on >= sizeof open || !(*a = memmem(s, (size_t)(end - s), open, (size_t)on)))
		return 0;
	*a += on;
	return (*b = memmem(*a, (size_t)(end - *a), "</meta>", 7)) != NULL;
}

/* A protonum="N" attribute after <layerN in [s, end). */
static int xml_protonum(const char *s, const char *end, const char *layer, int *out)
{
	const char *a = memmem(s, (size_t)(end - s), layer, strlen(layer)), *q;
	uint64_t x;
	if (!a || !(a = memmem(a, (size_t)(end - a), "protonum=\"", 10)))
		return 0;
	a += 10;
	if (!(q = memchr(a, '"', (size_t)(end - a))) || !nl_parse_u64(a, (size_t)(q - a), 255, &x))
		return 0;
	*out = (int)x;
	return 1;
}

/* One tuple's meta section into f (dir 0 original, 1 reply): 0 or -1 with err. */
static int xml_tuple(const char *a, const char *b, int dir, struct nl_flow *f, int *l3,
		     struct nl_err *err)
{
	static const char *const dirs[] = { "original", "reply" };
	char *addr[2] = { dir ? f->rsrc : f->osrc, dir ? f->rdst : f->odst };
	int *port[2] = { dir ? &f->rsport : &f->osport, dir ? &f->rdport : &f->odport };
	int64_t *cnt[2] = { dir ? &f->rpackets : &f->opackets, dir ? &f->rbytes : &f->obytes };
	static const char *const at[] = { "src", "dst" }, *const pt[] = { "sport", "dport" },
		*const ct[] = { "packets", "bytes" };
	const char *v;
	size_t vn, i;
	int64_t x;
	int fam, proto = -1, rc;
	if (!xml_protonum(a, b, "<layer3", l3) || !xml_protonum(a, b, "<layer4", &proto))
		return nl_err_set(err, "the %s tuple without layer3 and layer4 protonum=", dirs[dir]);
	if (dir == 0)
		f->proto = proto;
	else if (proto != f->proto)
		return nl_err_set(err, "the reply tuple's protocol is not the original's");
	for (i = 0; i < 2; i++) {
		if (!xml_text(a, b, at[i], &v, &vn) || nl_addr_canon(v, vn, &fam, addr[i], NL_ADDRSIZ))
			return nl_err_set(err, "the %s tuple's <%s> is not an IP address", dirs[dir], at[i]);
		if (f->family && f->family != fam)
			return nl_err_set(err, "IPv4 and IPv6 addresses in one flow");
		f->family = fam;
		if ((rc = xml_num(a, b, pt[i], 65535, &x)) < 0)
			return nl_err_set(err, "the %s tuple's <%s> is not a port", dirs[dir], pt[i]);
		if (rc > 0)
			*port[i] = (int)x;
		if (xml_num(a, b, ct[i], INT64_MAX, &x) > 0)
			*cnt[i] = x;
	}
	if (proto == 1 || proto == 58) {
		int64_t t = -1, c = -1, id = -1;
		if (xml_num(a, b, "type", 255, &t) < 0 || xml_num(a, b, "code", 255, &c) < 0 ||
		    xml_num(a, b, "id", 65535, &id) < 0)
			return nl_err_set(err, "the %s tuple's ICMP type, code or id is no number", dirs[dir]);
		if (dir == 0) {
			f->icmp_type = (int)t;
			f->icmp_code = (int)c;
			f->icmp_id = (int)id;
		} else {
			f->rsport = (int)id;	/* as in the text form: the reply's id */
		}
	} else if ((proto == 6 || proto == 17 || proto == 132 || proto == 136) &&
		   (*port[0] < 0 || *port[1] < 0)) {
		return nl_err_set(err, "the %s tuple without <sport> and <dport>", dirs[dir]);
	}
	return 0;
}

/* One <flow> line into f: 0, or -1 with err set. */
static int xml_flow(const char *s, size_t n, struct nl_flow *f, struct nl_err *err)
{
	const char *end = s + n, *a, *b, *v;
	size_t vn;
	int l3o = 0, l3r = 0;
	int64_t x;
	if (n < 7 || memcmp(s + n - 7, "</flow>", 7))
		return nl_err_set(err, "a <flow> without its </flow> on the same line (cut, or "
				  "broken over lines, which are not joined)");
	if (n > 12 && !memcmp(s, "<flow type=\"", 12)) {
		static const char *const ev[][2] = { { "new", "NEW" }, { "update", "UPDATE" },
						     { "destroy", "DESTROY" } };
		size_t i;
		for (i = 0; i < 3; i++) {
			size_t k = strlen(ev[i][0]);
			if (n > 12 + k + 1 && !memcmp(s + 12, ev[i][0], k) && s[12 + k] == '"')
				nl_strlcpy(f->event, ev[i][1], sizeof f->event);
		}
		if (!f->event[0])
			return nl_err_set(err, "a <flow type=...> of no event conntrack prints");
	}
	if (!xml_meta(s, end, "original", &a, &b) || xml_tuple(a, b, 0, f, &l3o, err))
		return err->msg[0] ? -1 : nl_err_set(err, "a <flow> without its original tuple");
	if (!xml_meta(s, end, "reply", &a, &b) || xml_tuple(a, b, 1, f, &l3r, err))
		return err->msg[0] ? -1 : nl_err_set(err, "a <flow> without its reply tuple");
	if ((l3o != 2 && l3o != 10) || l3o != l3r || (l3o == 2) != (f->family == 4))
		return nl_err_set(err, "a <flow> whose layer3 protonum is not its addresses' family");
	if (xml_meta(s, end, "independent", &a, &b)) {
		if (xml_text(a, b, "state", &v, &vn)) {
			if (!is_state(v, vn))
				return nl_err_set(err, "'%.*s' is no state", SHOWN(v, vn));
			nl_strlcpyn(f->state, v, vn, sizeof f->state);
		}
		if (xml_num(a, b, "mark", 0xffffffffULL, &x) > 0)
			f->mark = x;
		if (xml_num(a, b, "zone", 65535, &x) > 0)
			f->zone = x;
		if (xml_num(a, b, "id", 0xffffffffULL, &x) > 0)
			f->ct_id = x;
		f->assured = memmem(a, (size_t)(b - a), "<assured/>", 10) != NULL;
		f->unreplied = memmem(a, (size_t)(b - a), "<unreplied/>", 12) != NULL;
	}
	return 0;
}

/* conntrack -o save (conntrack-tools 1.4.6 and later, src/conntrack.c
 * ct_save_snprintf): each entry as the options that would add it, e.g.
 *   -A -t 431996 -u SEEN_REPLY,ASSURED -s 71.34.64.4 -d 172.31.26.253 -g 10.88.0.18 -q 71.34.64.4 -p tcp --sport 47202 --dport 8080 --reply-port-src 80 --reply-port-dst 47202 --state ESTABLISHED
 * "-A" (a listed entry, or -E's NEW), "-U" or "-D"; the reply tuple's
 * source as -g (DNAT) or -r, its destination as -n (SNAT) or -q; no
 * SEEN_REPLY in -u is conntrack's [UNREPLIED]. */
static int save_line(const char *s, size_t n)
{
	if (n < 8 || s[0] != '-' || (s[1] != 'A' && s[1] != 'U' && s[1] != 'D') || s[2] != ' ')
		return 0;
	return (n > 6 && !memcmp(s + 3, "-t ", 3) && memmem(s, n, " -s ", 4)) ||
	       memmem(s, n, " --reply-port-src ", 18) != NULL;
}

static int save_addr(const char *v, size_t vn, char *out, int *fam, struct nl_err *err)
{
	int af;
	if (nl_addr_canon(v, vn, &af, out, NL_ADDRSIZ))
		return nl_err_set(err, "'%.*s' is not an IP address", SHOWN(v, vn));
	if (*fam && af != *fam)
		return nl_err_set(err, "IPv4 and IPv6 addresses in one entry");
	*fam = af;
	return 0;
}

/* One -o save line into f: 0, or -1 with err set. */
static int save_entry(const char *s, size_t n, struct nl_flow *f, struct nl_err *err)
{
	struct nl_cur c = cur_make(s, n);
	const char *o, *v;
	size_t on, vn;
	int fam = 0, have = 0, status = 0;
	int64_t x;
	if (s[1] == 'U')
		nl_strlcpy(f->event, "UPDATE", sizeof f->event);
	else if (s[1] == 'D')
		nl_strlcpy(f->event, "DESTROY", sizeof f->event);
	c.p += 3;
	while (!cur_eof(&c)) {
		cur_spaces(&c);
		if (!cur_word(&c, &o, &on))
			break;
		cur_spaces(&c);
		if (on < 2 || o[0] != '-' || !cur_word(&c, &v, &vn))
			return nl_err_set(err, "'%.*s' is not an option with its value", SHOWN(o, on));
#define OPT(k) (on == sizeof(k) - 1 && !memcmp(o, k, on))
		if (OPT("-s") || OPT("-d") || OPT("-g") || OPT("-r") || OPT("-n") || OPT("-q")) {
			char *dst = OPT("-s") ? f->osrc : OPT("-d") ? f->odst :
				    OPT("-g") || OPT("-r") ? f->rsrc : f->rdst;
			int bit = OPT("-s") ? 1 : OPT("-d") ? 2 : OPT("-g") || OPT("-r") ? 4 : 8;
			if (have & bit)
				return nl_err_set(err, "'%.*s' twice", SHOWN(o, on));
			if (save_addr(v, vn, dst, &fam, err))
				return -1;
			have |= bit;
		} else if (OPT("-p")) {
			char name[16];
			nl_strlcpyn(name, v, vn, sizeof name);
			if (vn >= sizeof name || (f->proto = nl_proto_number(name)) < 0)
				return nl_err_set(err, "'%.*s' is no protocol", SHOWN(v, vn));
		} else if (OPT("-u")) {
			status = 1;
			f->assured = memmem(v, vn, "ASSURED", 7) != NULL;
			f->unreplied = !memmem(v, vn, "SEEN_REPLY", 10);
		} else if (OPT("--state")) {
			if (!is_state(v, vn))
				return nl_err_set(err, "'%.*s' is no state", SHOWN(v, vn));
			nl_strlcpyn(f->state, v, vn, sizeof f->state);
		} else if (OPT("--sport") || OPT("--dport") || OPT("--reply-port-src") ||
			   OPT("--reply-port-dst") || OPT("--icmp-type") || OPT("--icmp-code") ||
			   OPT("--icmp-id") || OPT("-w") || OPT("--orig-zone")) {
			if (set_u64(v, vn, 65535, &x))
				return nl_err_set(err, "bad '%.*s %.*s'", SHOWN(o, on), SHOWN(v, vn));
			if (OPT("--sport"))
				f->osport = (int)x;
			else if (OPT("--dport"))
				f->odport = (int)x;
			else if (OPT("--reply-port-src"))
				f->rsport = (int)x;
			else if (OPT("--reply-port-dst"))
				f->rdport = (int)x;
			else if (OPT("--icmp-type"))
				f->icmp_type = (int)x;
			else if (OPT("--icmp-code"))
				f->icmp_code = (int)x;
			else if (OPT("--icmp-id"))
				f->icmp_id = (int)x;
			else if (OPT("-w") || f->zone < 0)
				f->zone = x;	/* -w (both directions) is printed first */
		}
		/* -t, -c, --reply-zone, SCTP's vtags, DCCP's role: not kept */
#undef OPT
	}
	if ((have & 15) != 15)
		return nl_err_set(err, "an entry needs both tuples' addresses (-s, -d, -r or -g, -q or -n)");
	if (f->proto < 0)
		return nl_err_set(err, "an entry without -p");
	f->family = fam;
	if ((f->proto == 6 || f->proto == 17 || f->proto == 132 || f->proto == 136) &&
	    (f->osport < 0 || f->odport < 0 || f->rsport < 0 || f->rdport < 0))
		return nl_err_set(err, "%s entry without --sport, --dport and the reply ports",
				  nl_proto_name(f->proto));
	if (f->proto == 1 || f->proto == 58) {
		if (f->icmp_type < 0 || f->icmp_code < 0)
			return nl_err_set(err, "ICMP entry without --icmp-type and --icmp-code");
		f->rsport = f->icmp_id;	/* the reply's id, as in the text form */
	}
	if (!status)
		f->unreplied = 0;
	return 0;
}

/* The lines around conntrack -o xml's flows. */
static int xml_frame(const char *s, size_t n)
{
	return (n > 5 && !memcmp(s, "<?xml", 5)) || (n == 11 && !memcmp(s, "<conntrack>", 11)) ||
	       (n == 12 && !memcmp(s, "</conntrack>", 12));
}

/* VyOS's `show conntrack table ipv4|ipv6` (vyos-1x op_mode/conntrack.py,
 * 1.4 and later: a table of conntrack -L -o xml's entries):
 *   Id          Original src         Original dst        Reply src           Reply dst            Protocol    State        Timeout    Mark    Zone
 *   ----------  -------------------  ------------------  ------------------  -------------------  ----------  -----------  ---------  ------  ------
 *   1584867853  192.168.122.1:52992  192.168.122.14:22   192.168.122.14:22   192.168.122.1:52992  tcp         ESTABLISHED  430105     0
 * The rule of dashes gives the columns (a cell may be empty: a UDP
 * entry's State); "address:port", the port appended even to an IPv6
 * address. No [ASSURED] or [UNREPLIED] is shown: assured is unknown. */
enum { VY_SKIP, VY_ID, VY_OSRC, VY_ODST, VY_RSRC, VY_RDST, VY_PROTO, VY_STATE, VY_MARK,
       VY_ZONE, VY_OPK, VY_OBY, VY_RPK, VY_RBY };

static int vy_table_head(const char *s, size_t n)
{
	return memmem(s, n, "Original src", 12) && memmem(s, n, "Reply src", 9) &&
	       memmem(s, n, "Protocol", 8);
}

static int vy_kind(const char *h, size_t hn)
{
	static const struct { const char *name; int kind; } names[] = {
		{ "Id", VY_ID }, { "Original src", VY_OSRC }, { "Original dst", VY_ODST },
		{ "Reply src", VY_RSRC }, { "Reply dst", VY_RDST }, { "Protocol", VY_PROTO },
		{ "State", VY_STATE }, { "Mark", VY_MARK }, { "Zone", VY_ZONE },
		{ "Original packets", VY_OPK }, { "Original bytes", VY_OBY },
		{ "Reply packets", VY_RPK }, { "Reply bytes", VY_RBY },
	};
	size_t i;
	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i].name) == hn && !memcmp(names[i].name, h, hn))
			return names[i].kind;
	return VY_SKIP;
}

/* The cell of column i in a line of n bytes, blanks trimmed. */
static void vy_cell(const struct ct *st, int i, const char *s, size_t n, const char **v, size_t *vn)
{
	size_t a = st->vy_col[i].at, b = i + 1 < st->vy_ncol ? st->vy_col[i + 1].at : n;
	if (b > n)
		b = n;
	if (a >= b) {
		*v = s;
		*vn = 0;
		return;
	}
	while (a < b && s[a] == ' ')
		a++;
	while (b > a && s[b - 1] == ' ')
		b--;
	*v = s + a;
	*vn = b - a;
}

/* The rule under the header: its runs of dashes are the columns. 1, or 0
 * when the line is no such rule. */
static int vy_columns(struct ct *st, const char *s, size_t n)
{
	size_t i = 0;
	st->vy_ncol = 0;
	while (i < n) {
		if (s[i] == ' ') {
			i++;
			continue;
		}
		if (s[i] != '-' || st->vy_ncol == VY_MAXCOL)
			return 0;
		st->vy_col[st->vy_ncol++].at = i;
		while (i < n && s[i] == '-')
			i++;
	}
	for (i = 0; i < (size_t)st->vy_ncol; i++) {
		const char *h;
		size_t hn;
		vy_cell(st, (int)i, st->vy_head, st->vy_headn, &h, &hn);
		st->vy_col[i].kind = vy_kind(h, hn);
	}
	return st->vy_ncol > 0;
}

/* "192.168.122.1:52992", "192.168.50.1", or an IPv6 address with the
 * port after its last ':'. */
static int vy_endpoint(const char *v, size_t vn, int ports, char *addr, int *port, int *fam,
		       struct nl_err *err)
{
	const char *colon = vn ? memrchr(v, ':', vn) : NULL;
	size_t an = vn;
	int af;
	uint64_t p;
	if (ports) {
		if (!colon || !nl_parse_u64(colon + 1, (size_t)(v + vn - colon - 1), 65535, &p))
			return nl_err_set(err, "'%.*s' is not an address and port", SHOWN(v, vn));
		an = (size_t)(colon - v);
		*port = (int)p;
	}
	if (nl_addr_canon(v, an, &af, addr, NL_ADDRSIZ))
		return nl_err_set(err, "'%.*s' is not an IP address", SHOWN(v, an));
	if (*fam && af != *fam)
		return nl_err_set(err, "IPv4 and IPv6 addresses in one entry");
	*fam = af;
	return 0;
}

/* One row of the table into f: 0, or -1 with err set. */
static int vy_row(const struct ct *st, const char *s, size_t n, struct nl_flow *f, struct nl_err *err)
{
	const char *v, *ep[4] = { NULL, NULL, NULL, NULL };
	size_t vn, epn[4] = { 0, 0, 0, 0 };
	char name[16];
	int i, fam = 0, ports;
	int64_t x;
	for (i = 0; i < st->vy_ncol; i++) {
		int k = st->vy_col[i].kind;
		vy_cell(st, i, s, n, &v, &vn);
		if (k >= VY_OSRC && k <= VY_RDST) {
			ep[k - VY_OSRC] = v;
			epn[k - VY_OSRC] = vn;
		} else if (k == VY_PROTO) {
			nl_strlcpyn(name, v, vn, sizeof name);
			if (vn == 0 || vn >= sizeof name || (f->proto = nl_proto_number(name)) < 0)
				return nl_err_set(err, "'%.*s' is no protocol", SHOWN(v, vn));
		} else if (k == VY_STATE && vn) {
			if (!is_state(v, vn))
				return nl_err_set(err, "'%.*s' is no state", SHOWN(v, vn));
			nl_strlcpyn(f->state, v, vn, sizeof f->state);
		} else if (k != VY_SKIP && vn) {
			int64_t *out = k == VY_ID ? &f->ct_id : k == VY_MARK ? &f->mark :
				       k == VY_ZONE ? &f->zone : k == VY_OPK ? &f->opackets :
				       k == VY_OBY ? &f->obytes : k == VY_RPK ? &f->rpackets : &f->rbytes;
			if (set_u64(v, vn, k == VY_ZONE ? 65535 : k == VY_ID || k == VY_MARK ?
				    0xffffffffULL : INT64_MAX, &x))
				return nl_err_set(err, "'%.*s' is not a number", SHOWN(v, vn));
			*out = x;
		}
	}
	if (f->proto < 0)
		return nl_err_set(err, "a row without its protocol");
	ports = f->proto == 6 || f->proto == 17 || f->proto == 132 || f->proto == 136 ||
		f->proto == 33;
	for (i = 0; i < 4; i++) {
		char *addr[4] = { f->osrc, f->odst, f->rsrc, f->rdst };
		int *port[4] = { &f->osport, &f->odport, &f->rsport, &f->rdport };
		if (!ep[i] || !epn[i])
			return nl_err_set(err, "a row without both tuples' addresses");
		if (vy_endpoint(ep[i], epn[i], ports, addr[i], port[i], &fam, err))
			return -1;
	}
	f->family = fam;
	f->assured = -1;
	return 0;
}

static int ct_line(void *state, const char *s, size_t n, long lineno)
{
	struct ct *st = state;
	const struct nl_sink *k = st->sink;
	struct nl_flow *f = &st->f;
	struct nl_cur c;
	struct nl_err err;

	nl_unquote(&s, &n);	/* entries indented or quoted in a mail */
	skip_glog(&s, &n);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\t'))
		n--;
	{
		/* an entry a shell or a mail broke with '\': not joined, said so */
		int was = st->continued;
		st->continued = n > 0 && s[n - 1] == '\\';
		if (was)
			return k->error(k->ctx, lineno, "the rest of a conntrack entry continued with '\\' "
					"from the line before (entries broken over lines are not joined)",
					s, n);
		if (st->continued)
			return k->error(k->ctx, lineno, "a conntrack entry continued with '\\' on the next "
					"line (entries broken over lines are not joined)", s, n);
	}
	c = cur_make(s, n);
	cur_spaces(&c);
	if (cur_eof(&c) || summary_line(c.p, cur_left(&c)) || watch_header(c.p, cur_left(&c)) ||
	    cd_log_line(c.p, cur_left(&c)) || time_line(c.p, cur_left(&c))) {
		k->skip(k->ctx, lineno);
		return 0;
	}
	if (ppe_row(c.p, cur_left(&c)))
		return k->error(k->ctx, lineno, "a row of a hardware flow table (MediaTek PPE: "
				"orig= new=), not a conntrack entry: natlog does not read these",
				s, n);
	{
		int p = prompt_line(c.p, cur_left(&c), st->cmd_event);
		if (st->counts && is_digits(c.p, cur_left(&c))) {
			/* the count conntrack -C (or the sysctl) printed */
			k->skip(k->ctx, lineno);
			return 0;
		}
		st->counts = p == 3;
		if (p || cd_stats_head(c.p, cur_left(&c)) ||
		    (st->cd_stats && cd_stats_line(c.p, cur_left(&c)))) {
			/* conntrackd's statistics say nothing of any one
			 * connection: their lines are skipped */
			if (p)
				st->cd_stats = p == 2;
			else
				st->cd_stats = 1;
			k->skip(k->ctx, lineno);
			return 0;
		}
		st->cd_stats = 0;
	}
	switch (enobufs_line(c.p, cur_left(&c))) {
	case 2:
		return ct_notice(k, c.p, cur_left(&c), lineno, "loss", -1);
	case 1:
		k->skip(k->ctx, lineno);
		return 0;
	}
	{
		int64_t drop;
		int is_drop;
		if (stats_line(c.p, cur_left(&c), &drop))
			return ct_notice(k, c.p, cur_left(&c), lineno, "ct-stats", drop);
		int ncol, col;
		if (old_stats_line(c.p, cur_left(&c), &drop, &is_drop)) {
			if (is_drop)
				return ct_notice(k, c.p, cur_left(&c), lineno, "ct-stats", drop);
			k->skip(k->ctx, lineno);
			return 0;
		}
		if ((col = proc_stat_head(c.p, cur_left(&c), &ncol)) >= 0) {
			st->ps_ncol = ncol;
			st->ps_drop = col;
			k->skip(k->ctx, lineno);
			return 0;
		}
		if (st->ps_ncol && proc_stat_row(c.p, cur_left(&c), st->ps_ncol, st->ps_drop, &drop))
			return ct_notice(k, c.p, cur_left(&c), lineno, "ct-stats", drop);
	}
	nl_flow_init(f);
	f->line = lineno;
	if (vy_table_head(c.p, cur_left(&c))) {
		st->vy_headn = nl_strlcpyn(st->vy_head, s, n, sizeof st->vy_head);
		if (st->vy_headn >= sizeof st->vy_head)
			st->vy_headn = sizeof st->vy_head - 1;
		st->vy_state = 1;
		k->skip(k->ctx, lineno);
		return 0;
	}
	if (st->vy_state == 1) {
		st->vy_state = vy_columns(st, s, n) ? 2 : 0;
		if (st->vy_state == 2) {
			k->skip(k->ctx, lineno);
			return 0;
		}
	}
	if (st->vy_state == 2 && !bare_prompt(c.p, cur_left(&c)) && !memmem(s, n, "src=", 4)) {
		err.msg[0] = '\0';
		if (vy_row(st, s, n, f, &err))
			return k->error(k->ctx, lineno, err.msg, s, n);
		return k->flow(k->ctx, f);
	}
	if (xml_frame(c.p, cur_left(&c)) || bare_prompt(c.p, cur_left(&c)) ||
	    stats_table_head(c.p, cur_left(&c))) {
		k->skip(k->ctx, lineno);
		return 0;
	}
	if (save_line(c.p, cur_left(&c))) {
		err.msg[0] = '\0';
		if (save_entry(c.p, cur_left(&c), f, &err))
			return k->error(k->ctx, lineno, err.msg, s, n);
		return k->flow(k->ctx, f);
	}
	if (cur_left(&c) >= 7 && !memcmp(c.p + cur_left(&c) - 7, "</flow>", 7) &&
	    !memmem(c.p, cur_left(&c), "<flow", 5))
		return k->error(k->ctx, lineno, "the rest of a conntrack -o xml <flow> broken over "
				"lines (its head is on the line before; flows broken over lines are "
				"not joined)", s, n);
	if (cur_left(&c) > 5 && !memcmp(c.p, "<flow", 5)) {
		err.msg[0] = '\0';
		if (xml_flow(c.p, cur_left(&c), f, &err))
			return k->error(k->ctx, lineno, err.msg, s, n);
		return k->flow(k->ctx, f);
	}
	read_stamp(&c, f);
	if (!read_event(&c, f) && st->cmd_event[0])
		nl_strlcpy(f->event, st->cmd_event, sizeof f->event);
	{
		/* "[UNREPLIED] src=..." or "src=..." alone: the reply tuple of
		 * an entry a paste broke in two ("... bytes=241" ending the line
		 * before) */
		struct nl_cur u = c;
		cur_spaces(&u);
		if (cur_lit(&u, "[UNREPLIED]"))
			cur_spaces(&u);
		if (cur_lit(&u, "src="))
			return k->error(k->ctx, lineno, rest_msg, s, n);
	}
	if (expect_line(c.p, cur_left(&c)))
		return k->error(k->ctx, lineno, "a conntrack expectation (conntrack -L expect, -E "
				"expect or /proc/net/nf_conntrack_expect): natlog reads connections, not "
				"expectations", s, n);
	{
		/* "dst=... [HW_OFFLOAD] mark=0 use=2", "zone=0 use=3": the rest of
		 * an entry a mail wrapped (an expectation's pieces are named above) */
		struct nl_cur u = c;
		cur_spaces(&u);
		if (entry_tail(u.p, cur_left(&u)))
			return k->error(k->ctx, lineno, rest_msg, s, n);
	}
	if (parse_entry(&c, f, &err)) {
		/* a ticket pastes dmesg next to the table: "table full" and the
		 * rest are notices as in a kernel log */
		int rc = nl_klog_notice(k, s, n, lineno);
		if (rc > 0 && memmem(s, n, " SRC=", 5) &&
		    (memmem(s, n, "IN=", 3) || memmem(s, n, "OUT=", 4)))
			return k->error(k->ctx, lineno, "a kernel log line (IN=, OUT=, SRC=) among "
					"conntrack entries: natlog reads it only in a file of kernel log "
					"lines", s, n);
		return rc <= 0 ? rc : k->error(k->ctx, lineno, err.msg, s, n);
	}
	return k->flow(k->ctx, f);
}

/* 2 for a line shaped like an entry, 1 for conntrack's summary line. */
static int ct_probe(const char *s, size_t n)
{
	struct nl_cur c;
	nl_unquote(&s, &n);
	skip_glog(&s, &n);
	c = cur_make(s, n);
	struct nl_flow f;
	const char *w;
	size_t wn;
	uint64_t num;
	cur_spaces(&c);
	if (summary_line(c.p, cur_left(&c)))
		return 1;
	if (enobufs_line(c.p, cur_left(&c)))
		return enobufs_line(c.p, cur_left(&c));
	{
		int64_t drop;
		int is_drop;
		if (stats_line(c.p, cur_left(&c), &drop))
			return 2;
		int ncol;
		if (old_stats_line(c.p, cur_left(&c), &drop, &is_drop))
			return 1;
		if (proc_stat_head(c.p, cur_left(&c), &ncol) >= 0)
			return 2;
	}
	if (cur_left(&c) > 5 && !memcmp(c.p, "<flow", 5) &&
	    memmem(c.p, cur_left(&c), "<meta direction=\"original\">", 27))
		return 2;
	if (save_line(c.p, cur_left(&c)))
		return 2;
	if (vy_table_head(c.p, cur_left(&c)))
		return 2;
	nl_flow_init(&f);
	read_stamp(&c, &f);
	cur_spaces(&c);
	read_event(&c, &f);
	cur_spaces(&c);
	if (!cur_word(&c, &w, &wn) || !is_name(w, wn) || !cur_spaces(&c) || !cur_u64(&c, 255, &num) ||
	    !cur_char(&c, ' '))
		return 0;
	if (memmem(c.p, cur_left(&c), "src=", 4) && memmem(c.p, cur_left(&c), " dst=", 5))
		return 2;
	return 0;
}

static void *ct_open(const struct nl_sink *sink)
{
	struct ct *st = calloc(1, sizeof *st);
	if (st)
		st->sink = sink;
	return st;
}

static int ct_close(void *state)
{
	free(state);
	return 0;
}

static const char *const ct_samples[] = {
	"ipv4     2 tcp      6 117 TIME_WAIT src=10.77.241.2 dst=10.77.241.1 sport=42998 dport=8080 packets=5 bytes=297 src=10.77.242.10 dst=10.77.241.2 sport=80 dport=42998 packets=5 bytes=338 [ASSURED] mark=42 delta-time=4 use=1 id=98242178",
	"[1795274827.075291]\t    [NEW] icmp     1 30 src=10.77.1.2 dst=10.77.1.1 type=8 code=0 id=5151 [UNREPLIED] src=10.77.1.1 dst=10.77.1.2 type=0 code=0 id=5151",
	NULL,
};

const struct nl_parser nl_parser_conntrack = {
	.name = "conntrack",
	.probe = ct_probe,
	.open = ct_open,
	.line = ct_line,
	.close = ct_close,
	.samples = ct_samples,
};
