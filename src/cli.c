/*
 * cli.c - the command line habits every command shares: one-line option
 * errors with "did you mean", the values an option takes (checked here,
 * listed for shell completion), --color, and a pager for long output on a
 * terminal, as git does it.
 */
#include "natlog.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int nl_color = -1;
int nl_no_pager;

const char nl_input_kinds[] =
	"  kernel logs      dmesg (-T too), syslog, journalctl (text or -o json):\n"
	"                   iptables TRACE lines, LOG and nft log lines, conntrack\n"
	"                   invalid-packet lines (nf_ct_proto_N), lost-line notes\n"
	"  traces           nft monitor trace, xtables-monitor --trace\n"
	"  conntrack        conntrack -L (plain, -o extended, -o id),\n"
	"                   /proc/net/nf_conntrack, conntrack -E (-o timestamp)\n"
	"  captures         pcap and pcapng (tcpdump, NFLOG)\n"
	"  rulesets         iptables-save, iptables -L -n -v, nft list ruleset\n"
	"                   (text, -a handles) and nft -j list ruleset (JSON)\n"
	"  settings         sysctl -a\n"
	"  bundles          archives (.tar, .tar.gz/.xz/.bz2/.zst, .zip: a sosreport,\n"
	"                   supportconfig or must-gather) and compressed files (.gz,\n"
	"                   .xz, .bz2, .zst), read as streams in memory\n";

/* ------------------------------------------------------------ did you mean */

int nl_edit_distance(const char *a, const char *b)
{
	enum { MAX = 64 };
	int d[MAX + 1][MAX + 1];
	size_t n = strlen(a), m = strlen(b), i, j;
	if (n > MAX || m > MAX)
		return MAX * 2;
	for (i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			int cost = a[i - 1] != b[j - 1], v = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

const char *nl_nearest(const char *word, const char *const *cands)
{
	const char *best = NULL;
	size_t i, wl = strlen(word);
	int bd = 0;
	for (i = 0; cands[i]; i++) {
		size_t cl = strlen(cands[i]);
		/* a third of the longer word's letters, at least one */
		int dist = nl_edit_distance(word, cands[i]), limit = (int)((wl > cl ? wl : cl) / 3);
		if (limit < 1)
			limit = 1;
		if (dist <= limit && (!best || dist < bd)) {
			best = cands[i];
			bd = dist;
		}
	}
	return best;
}

/* ------------------------------------------------------------ options */

static void see_help(const char *who)
{
	fprintf(stderr, "see 'natlog%s%s --help'\n", *who ? " " : "", who);
}

/* The long option named (a prefix of) name[0..n): the only one, or NULL;
 * *count says how many there were. */
static const struct option *long_match(const struct option *lo, const char *name, size_t n,
				       int *count)
{
	const struct option *hit = NULL;
	*count = 0;
	for (; lo->name; lo++) {
		if (strncmp(lo->name, name, n) != 0)
			continue;
		if (strlen(lo->name) == n) {
			*count = 1;
			return lo;
		}
		hit = lo;
		++*count;
	}
	return *count == 1 ? hit : NULL;
}

static void bad_long(const char *who, const char *arg, const struct option *lo)
{
	const char *names[64];
	char name[80];
	size_t n = strcspn(arg, "="), k = 0;
	const struct option *o;
	int count;
	nl_strlcpyn(name, arg, n, sizeof name);
	o = long_match(lo, name, strlen(name), &count);
	if (o && arg[n] == '=' && o->has_arg == no_argument) {
		fprintf(stderr, "natlog%s%s: option '--%s' takes no value\n", *who ? " " : "", who,
			o->name);
		return;
	}
	if (count > 1) {
		int seen = 0;
		fprintf(stderr, "natlog%s%s: option '--%s' is ambiguous; it could be", *who ? " " : "",
			who, nl_esc(name));
		for (o = lo; o->name; o++)
			if (strncmp(o->name, name, strlen(name)) == 0)
				fprintf(stderr, "%s '--%s'", !seen++ ? "" : seen == count ? " or" : ",",
					o->name);
		fputc('\n', stderr);
		return;
	}
	for (o = lo; o->name && k + 1 < sizeof names / sizeof names[0]; o++)
		names[k++] = o->name;
	names[k] = NULL;
	{
		const char *near = nl_nearest(name, names);
		fprintf(stderr, "natlog%s%s: unknown option '--%s'", *who ? " " : "", who,
			nl_esc(name));
		if (near)
			fprintf(stderr, "; did you mean '--%s'?", near);
		fputc('\n', stderr);
	}
}

int nl_getopt_as(const char *who, int argc, char **argv, const char *shortopts,
		 const struct option *longopts)
{
	char so[64];
	const char *arg;
	int c, saved;
	/* a ':' first (after a '+' or '-' mode) tells a missing value from an
	 * unknown option */
	size_t m = shortopts[0] == '+' || shortopts[0] == '-';
	memcpy(so, shortopts, m);
	so[m] = ':';
	nl_strlcpy(so + m + 1, shortopts + m + (shortopts[m] == ':'), sizeof so - m - 1);
	/* quiet only here: a command still on getopt_long keeps its messages */
	saved = opterr;
	opterr = 0;
	c = getopt_long(argc, argv, so, longopts, NULL);
	opterr = saved;
	if (c != '?' && c != ':')
		return c;
	arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	if (c == ':') {
		int count;
		const struct option *o = strncmp(arg, "--", 2) == 0 ?
			long_match(longopts, arg + 2, strlen(arg + 2), &count) : NULL;
		if (o)	/* its whole name, also when abbreviated */
			fprintf(stderr, "natlog%s%s: option '--%s' wants a value\n", *who ? " " : "",
				who, o->name);
		else if (strncmp(arg, "--", 2) == 0)
			fprintf(stderr, "natlog%s%s: option '%s' wants a value\n", *who ? " " : "", who,
				nl_esc(arg));
		else
			fprintf(stderr, "natlog%s%s: option '-%c' wants a value\n", *who ? " " : "", who,
				optopt);
	} else if (optopt == 0 || (strncmp(arg, "--", 2) == 0 && strchr(arg, '='))) {
		bad_long(who, strncmp(arg, "--", 2) == 0 ? arg + 2 : arg, longopts);
	} else if (optopt > 32 && optopt < 127) {
		fprintf(stderr, "natlog%s%s: unknown option '-%c'\n", *who ? " " : "", who, optopt);
	} else {
		fprintf(stderr, "natlog%s%s: unknown option '%s'\n", *who ? " " : "", who, nl_esc(arg));
	}
	see_help(who);
	return '?';
}

int nl_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	return nl_getopt_as(argv[0], argc, argv, shortopts, longopts);
}

/* ------------------------------------------------------------ values */

/* One line per option that takes one of a few words. */
static const struct {
	const char *opt, *values;
} choices[] = {
	{ "--verdict", "accept drop reject queue unknown" },
	{ "--by", "drops dump" },
	{ "--color", "auto always never" },
	{ "--what", "packets steps flows errors" },
	/* completion only: --proto takes any protocol name or number too */
	{ "--proto", "tcp udp icmp icmpv6" },
};

const char *nl_choices(const char *opt)
{
	size_t i;
	for (i = 0; i < sizeof choices / sizeof choices[0]; i++)
		if (strcmp(choices[i].opt, opt) == 0)
			return choices[i].values;
	return NULL;
}

int nl_choice_arg(const char *cmd, const char *opt, const char *val)
{
	const char *vals = nl_choices(opt), *p, *names[16], *near;
	char words[256], *w, *save = NULL, list[300] = "";
	size_t k = 0;
	if (!vals)
		return 0;
	for (p = vals; *p;) {
		size_t n = strcspn(p, " ");
		if (n == strlen(val) && strncmp(p, val, n) == 0)
			return 0;
		p += n + (p[n] == ' ');
	}
	nl_strlcpy(words, vals, sizeof words);
	for (w = strtok_r(words, " ", &save); w && k + 1 < sizeof names / sizeof names[0];
	     w = strtok_r(NULL, " ", &save))
		names[k++] = w;
	names[k] = NULL;
	/* "a, b, c or d" */
	for (size_t i = 0; i < k; i++) {
		size_t used = strlen(list);
		snprintf(list + used, sizeof list - used, "%s%s", i == 0 ? "" : i + 1 == k ? " or " : ", ",
			 names[i]);
	}
	near = nl_nearest(val, names);
	fprintf(stderr, "natlog%s%s: %s is %s, not '%s'", *cmd ? " " : "", cmd, opt, list,
		nl_esc(val));
	if (near)
		fprintf(stderr, "; did you mean '%s'?", near);
	fputc('\n', stderr);
	return -1;
}

/* ------------------------------------------------------------ pager */

static int saved_out = -1, page_fd = -1;

int nl_stdout_tty(void)
{
	return saved_out >= 0 || isatty(STDOUT_FILENO);
}

void nl_pager_begin(void)
{
	if (nl_no_pager || saved_out >= 0 || !isatty(STDOUT_FILENO))
		return;
	fflush(stdout);
	if ((page_fd = memfd_create("natlog-page", MFD_CLOEXEC)) < 0)
		return;
	if ((saved_out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) < 0 ||
	    dup2(page_fd, STDOUT_FILENO) < 0) {
		if (saved_out >= 0)
			close(saved_out);
		close(page_fd);
		saved_out = page_fd = -1;
	}
}

/* Rows the text takes on a screen cols wide (escape sequences count as
 * wide; close enough to decide whether it fits). */
static size_t screen_rows(const char *p, size_t n, size_t cols)
{
	size_t rows = 0, w = 0, i;
	for (i = 0; i < n; i++) {
		if (p[i] == '\n') {
			rows += w ? (w + cols - 1) / cols : 1;
			w = 0;
		} else if (((unsigned char)p[i] & 0xc0) != 0x80) {
			w++;
		}
	}
	return rows + (w ? (w + cols - 1) / cols : 0);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;	/* the reader is gone, or the disk is full: as if printed */
		p += w;
		n -= (size_t)w;
	}
}

/* 0 when the pager showed the text; -1 when it could not run. The pager
 * is a shell command line, as git runs $PAGER. */
static int run_pager(const char *cmd, const char *text, size_t n)
{
	void (*old)(int), (*oldint)(int), (*oldquit)(int);
	int fds[2], st;
	pid_t pid;
	setenv("LESS", "FRX", 0);	/* what git sets: colour, and quit if it fits */
	setenv("LV", "-c", 0);
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		if (dup2(fds[0], STDIN_FILENO) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	old = signal(SIGPIPE, SIG_IGN);	/* quitting the pager early is no error */
	/* ^C is the pager's (less stops a search): natlog waits for it, as
	 * the C library does for a shell command, so the shell's prompt never
	 * comes back while the pager runs */
	oldint = signal(SIGINT, SIG_IGN);
	oldquit = signal(SIGQUIT, SIG_IGN);
	write_all(fds[1], text, n);
	close(fds[1]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			st = -1;
			break;
		}
	signal(SIGPIPE, old);
	signal(SIGINT, oldint);
	signal(SIGQUIT, oldquit);
	if (st == -1 || (WIFEXITED(st) && WEXITSTATUS(st) == 127))
		return -1;	/* sh: not found */
	return 0;
}

void nl_pager_end(void)
{
	struct winsize ws;
	struct stat sb;
	const char *pager = getenv("NATLOG_PAGER"), *text = MAP_FAILED;
	size_t rows = 24, cols = 80, n = 0;
	uint64_t v;
	char *env;
	if (saved_out < 0)
		return;
	fflush(stdout);
	dup2(saved_out, STDOUT_FILENO);
	close(saved_out);
	saved_out = -1;
	if (fstat(page_fd, &sb) == 0 && sb.st_size > 0) {
		n = (size_t)sb.st_size;
		text = mmap(NULL, n, PROT_READ, MAP_PRIVATE, page_fd, 0);
	}
	close(page_fd);
	page_fd = -1;
	if (text == MAP_FAILED)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) {
		rows = ws.ws_row;
		cols = ws.ws_col ? ws.ws_col : cols;
	} else if ((env = getenv("LINES")) && nl_parse_u64(env, strlen(env), 10000, &v) && v > 0) {
		rows = (size_t)v;
	}
	if (!pager)
		pager = getenv("PAGER");
	if (!pager)
		pager = "less -FRX";
	/* one line is left for the shell's prompt, as less -F leaves it */
	if (!*pager || strcmp(pager, "cat") == 0 || screen_rows(text, n, cols) < rows ||
	    run_pager(pager, text, n) != 0) {
		if (*pager && strcmp(pager, "cat") != 0 && screen_rows(text, n, cols) >= rows)
			fprintf(stderr, "natlog: cannot run the pager '%s'; printing without it\n",
				nl_esc(pager));
		write_all(STDOUT_FILENO, text, n);
	}
	munmap((void *)text, n);
}
