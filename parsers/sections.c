/*
 * sections.c - SUSE supportconfig's text files (network.txt, messages.txt,
 * boot.txt, ...) and Proxmox VE's pvereport: the output of many commands
 * and copies of log files in one file, each under a header that names what
 * follows (supportutils' bin/supportconfig.rc, _log_cmd() and log_files();
 * pve-manager's PVE/Report.pm), e.g.
 *   #==[ Command ]======================================#
 *   # /usr/sbin/iptables -t nat -nvL
 *   Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)
 * Each section is read by the parser of the format its command prints
 * (the listing, the save, nft's ruleset, sysctl, conntrack, journalctl and
 * dmesg, ebtables', a log file); other commands' output as a log, for any
 * netfilter line in it. A configuration file (conf_files(), pvereport's
 * "# cat FILE") is what loads at boot, not what ran: a ruleset in one is
 * reported, not read. A command run as "ip netns exec NS ..." dumped NS's
 * rules, not the host's; the output of pvereport's "# hostname" is the
 * host the file is about.
 */
#include "natlog.h"
#include "parser.h"
#include "cursor.h"

#include <stdlib.h>
#include <string.h>

#define HEAD "#==[ "
#define NOT_RUN "ERROR: Command not found or not executable"

struct sections {
	const struct nl_sink *sink;
	const struct nl_parser *sub;	/* the current section's parser, or NULL */
	void *state;			/* its state */
	int label;			/* a header was read: its "# what" line is next */
	int log;			/* and it is a log file's */
	int pve;			/* pvereport: "==== title ====", "# command" */
	long last;			/* the line before (empty lines are not given) */
	int conf;			/* in a configuration file's section */
	int conf_said;			/* and its ruleset was reported */
	char conf_path[256];		/* the file's name */
	int want_host;			/* pvereport's hostname: its output is next */
};

/* "#==[ Command ]=====#" (plugins' own scripts may leave out the last
 * '#'): 1 for a command's header, 2 for a log file's, 3 for another (a
 * configuration file, a note, a namespace); 0: none. */
static int header(const char *s, size_t n)
{
	const char *close;
	if (n < 10 || memcmp(s, HEAD, strlen(HEAD)))
		return 0;
	close = memchr(s, ']', n);
	if (!close || close + 1 >= s + n || close[1] != '=')
		return 0;
	s += strlen(HEAD);
	n = (size_t)(close - s);
	if (n == 8 && !memcmp(s, "Command ", 8))
		return 1;
	if (n == 9 && !memcmp(s, "Log File ", 9))
		return 2;
	return 3;
}

/* Proxmox VE's pvereport (pve-manager's PVE/Report.pm): "==== info about
 * firewall ====" before a group of commands, each after an empty line as
 * "# iptables-save -c | column -t -l4 -o\" \"". */
static int pve_title(const char *s, size_t n)
{
	return n > 10 && !memcmp(s, "==== ", 5) && !memcmp(s + n - 5, " ====", 5);
}

static int sections_probe(const char *s, size_t n)
{
	return header(s, n) || pve_title(s, n) ? 2 : 0;
}

/* A word is w (after its directory, "/usr/sbin/nft" is "nft"). */
static int is_word(const char *w, size_t wn, const char *name)
{
	const char *slash = memrchr(w, '/', wn);
	if (slash) {
		wn -= (size_t)(slash + 1 - w);
		w = slash + 1;
	}
	return strlen(name) == wn && !memcmp(w, name, wn);
}

static int is_save(const char *w, size_t wn)
{
	static const char *const names[] = { "iptables-save", "ip6tables-save",
					     "iptables-legacy-save", "ip6tables-legacy-save",
					     "iptables-nft-save", "ip6tables-nft-save", NULL };
	int i;
	for (i = 0; names[i]; i++)
		if (is_word(w, wn, names[i]))
			return 1;
	return 0;
}

/* An iptables option word that lists: -L, -nvL, --list; -S, --list-rules. */
static int opt_lists(const char *w, size_t wn, char opt, const char *long_opt)
{
	if (wn >= 2 && w[0] == '-' && w[1] == '-')
		return wn == strlen(long_opt) && !memcmp(w, long_opt, wn);
	return wn >= 2 && w[0] == '-' && memchr(w + 1, opt, wn - 1) != NULL;
}

/* The parser for what a command line prints ("/usr/sbin/ip netns exec ns1
 * iptables -t nat -nvL"), NULL when natlog reads none of it; the namespace
 * it ran in into ns (empty for the host's). */
static const struct nl_parser *command_parser(const char *s, size_t n, char *ns, size_t nsn)
{
	struct nl_cur c = cur_make(s, n);
	const char *w, *cmd;
	size_t wn, cn;
	int v6, list = 0, rules = 0, nft_list = 0, nft_what = 0, json = 0, nfct = 0, monitor = 0;
	ns[0] = '\0';
	cur_spaces(&c);
	if (!cur_word(&c, &cmd, &cn))
		return NULL;
	if (is_word(cmd, cn, "ip")) {
		const char *a, *b;
		size_t an, bn;
		cur_spaces(&c);
		if (!cur_word(&c, &a, &an) || !is_word(a, an, "netns"))
			return NULL;
		cur_spaces(&c);
		if (!cur_word(&c, &b, &bn) || !is_word(b, bn, "exec"))
			return NULL;
		cur_spaces(&c);
		if (!cur_word(&c, &w, &wn))
			return NULL;
		nl_strlcpyn(ns, w, wn, nsn);
		cur_spaces(&c);
		if (!cur_word(&c, &cmd, &cn))
			return NULL;
	}
	while (!cur_eof(&c)) {
		cur_spaces(&c);
		if (!cur_word(&c, &w, &wn))
			break;
		if (wn == 1 && (*w == '|' || *w == ';'))
			break;	/* "dmesg -T | grep taint": what follows is another's */
		list |= opt_lists(w, wn, 'L', "--list");
		rules |= opt_lists(w, wn, 'S', "--list-rules");
		nft_list |= is_word(w, wn, "list");
		nft_what |= is_word(w, wn, "ruleset") || is_word(w, wn, "table");
		monitor |= is_word(w, wn, "monitor");
		json |= is_word(w, wn, "-j") || is_word(w, wn, "--json");
		/* "cat /proc/net/nf_conntrack": the table as /proc shows it */
		nfct |= wn >= 12 && !memcmp(w + wn - 12, "nf_conntrack", 12);
	}
	if (nl_ipt_command(cmd, cn, &v6))
		return rules ? &nl_parser_iptsave : list ? &nl_parser_iptlist : NULL;
	if (is_save(cmd, cn))
		return &nl_parser_iptsave;
	/* ebtables-save is told apart where saves are read (iptsave.c) */
	if (is_word(cmd, cn, "ebtables") || is_word(cmd, cn, "ebtables-legacy") ||
	    is_word(cmd, cn, "ebtables-nft"))
		return list ? &nl_parser_ebtables : NULL;
	if (is_word(cmd, cn, "ebtables-save") || is_word(cmd, cn, "ebtables-legacy-save") ||
	    is_word(cmd, cn, "ebtables-nft-save"))
		return &nl_parser_iptsave;
	/* a monitor's trace, run in a namespace or not (its packets are
	 * that namespace's) */
	if (is_word(cmd, cn, "nft") && monitor && !json)
		return &nl_parser_nfttrace;
	if (is_word(cmd, cn, "nft"))
		return nft_list && nft_what ? json ? &nl_parser_nftjson : &nl_parser_nftrules : NULL;
	if (is_word(cmd, cn, "xtables-monitor") || is_word(cmd, cn, "xtables-nft-monitor"))
		return &nl_parser_xtmon;
	if (is_word(cmd, cn, "sysctl"))
		return &nl_parser_sysctl;
	if (is_word(cmd, cn, "conntrack") || (is_word(cmd, cn, "cat") && nfct))
		return &nl_parser_conntrack;
	if (is_word(cmd, cn, "journalctl") || is_word(cmd, cn, "dmesg"))
		return &nl_parser_klog;
	return NULL;
}

static void *sections_open(const struct nl_sink *sink)
{
	struct sections *st = calloc(1, sizeof *st);
	if (st)
		st->sink = sink;
	return st;
}

/* Ends the current section: its parser's last word. */
static int end_section(struct sections *st)
{
	int rc = 0;
	if (st->sub && st->state)
		rc = st->sub->close(st->state);
	st->sub = NULL;
	st->state = NULL;
	st->want_host = 0;
	st->conf = 0;
	return rc;
}

/* Opens p for the section's lines, dumps made in namespace ns ("": the
 * host's). */
static int open_sub(struct sections *st, const struct nl_parser *p, const char *ns)
{
	const struct nl_sink *k = st->sink;
	if (k->netns && k->netns(k->ctx, ns[0] ? ns : NULL))
		return -1;
	st->state = p->open(k);
	if (!st->state)
		return -1;
	st->sub = p;
	return 0;
}

static void conf_label(struct sections *st, const char *s, size_t n);

/* The "# what" line under a header: the section's parser is chosen and
 * given the command (the listing's and -S's table is on it). The output
 * of other commands is read as a log is: its netfilter lines, if any, are
 * still read, the rest skipped. */
static int begin_section(struct sections *st, const char *s, size_t n, long lineno)
{
	const struct nl_sink *k = st->sink;
	char ns[128] = "";
	const struct nl_parser *p = NULL;
	if (!st->log && n >= 2 && s[0] == '#')	/* "# /usr/sbin/iptables -t nat -nvL" */
		p = command_parser(s + 1, n - 1, ns, sizeof ns);
	st->want_host = st->pve && n == 10 && !memcmp(s, "# hostname", 10);
	if (!p && st->pve && n > 6 && !memcmp(s, "# cat ", 6)) {
		conf_label(st, s, n);	/* a configuration file's copy */
		k->skip(k->ctx, lineno);
		return 0;
	}
	if (!p)
		p = &nl_parser_klog;
	if (open_sub(st, p, ns))
		return -1;
	if (p == &nl_parser_iptlist || p == &nl_parser_iptsave)
		return p->line(st->state, s, n, lineno);
	k->skip(k->ctx, lineno);
	return 0;
}

/* The output of pvereport's "# hostname" ("pve1"): the host, when it is
 * one name as hostname(1) prints it. */
static int take_host(struct sections *st, const char *s, size_t n, long lineno)
{
	const struct nl_sink *k = st->sink;
	char name[128];
	size_t i;
	st->want_host = 0;
	k->skip(k->ctx, lineno);
	if (n == 0 || n >= sizeof name || !k->host)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '.' || s[i] == '_'))
			return 0;
	nl_strlcpyn(name, s, n, sizeof name);
	return k->host(k->ctx, name);
}

static int starts(const char *s, size_t n, const char *p)
{
	return n >= strlen(p) && !memcmp(s, p, strlen(p));
}

/* A ruleset's line in a configuration file: iptables-save's or -S's
 * ("*filter", ":INPUT ACCEPT [0:0]", "-A INPUT ...", "[0:0] -A ..."), nft's
 * ("table inet filter {"), a firewalld direct rule ("<rule ipv=...>-p tcp
 * --dport 22 -j ACCEPT</rule>"), or an iptables command with a target in
 * a script or /etc/network/interfaces ("post-up iptables -t nat -A
 * POSTROUTING -s '10.10.10.0/24' -o eno1 -j MASQUERADE"). */
static int conf_ruleset(const char *s, size_t n)
{
	static const char *const tables[] = { "*filter", "*nat", "*mangle", "*raw", "*security",
					      NULL };
	struct nl_cur c = cur_make(s, n);
	const char *w;
	size_t wn, i;
	int v6;
	cur_spaces(&c);
	s = c.p;
	n = cur_left(&c);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (i = 0; tables[i]; i++)
		if (n == strlen(tables[i]) && !memcmp(s, tables[i], n))
			return 1;
	if (n > 3 && s[0] == ':' && s[n - 1] == ']' && memmem(s, n, " [", 2))
		return 1;
	if (n > 3 && s[0] == '-' && (s[1] == 'A' || s[1] == 'I' || s[1] == 'N' || s[1] == 'P') &&
	    s[2] == ' ')
		return 1;
	if ((n > 4 && s[0] == '[' && memmem(s, n, "] -A ", 5)) || nl_parser_nftrules.probe(s, n) == 2 ||
	    (n == 13 && !memcmp(s, "flush ruleset", 13)))
		return 1;
	if ((starts(s, n, "<rule ") || starts(s, n, "<passthrough ")) && memmem(s, n, " -j ", 4))
		return 1;
	while (cur_word(&c, &w, &wn)) {
		if (nl_ipt_command(w, wn, &v6))
			return memmem(s, n, " -j ", 4) != NULL;
		cur_spaces(&c);
	}
	return 0;
}

/* conf_files()' "# /etc/sysconfig/iptables" (or "# FILE - File not found")
 * under a configuration file's header, or pvereport's "# cat FILE": the
 * file's name. */
static void conf_label(struct sections *st, const char *s, size_t n)
{
	static const char nf[] = " - File not found";
	const char *sp;
	if (starts(s, n, "# cat ")) {
		s += 6;
		n -= 6;
		if ((sp = memchr(s, ' ', n)))	/* "cat /etc/pve/corosync.conf 2>/dev/null" */
			n = (size_t)(sp - s);
	} else if (starts(s, n, "# ")) {
		s += 2;
		n -= 2;
	}
	if (n >= strlen(nf) && !memcmp(s + n - strlen(nf), nf, strlen(nf)))
		n -= strlen(nf);
	st->conf = 1;
	st->conf_said = 0;
	nl_strlcpyn(st->conf_path, s, n, sizeof st->conf_path);
}

/* A configuration file's line. A ruleset in it is what loads at boot, not
 * necessarily what the packets ran through: reported at its first line,
 * never read as a dump; the running one is in the command sections. */
static int conf_line(struct sections *st, const char *s, size_t n, long lineno)
{
	const struct nl_sink *k = st->sink;
	char why[512];
	if (st->conf_said || !conf_ruleset(s, n)) {
		k->skip(k->ctx, lineno);
		return 0;
	}
	st->conf_said = 1;
	snprintf(why, sizeof why, "a saved ruleset in the configuration file '%.200s' (what loads "
		 "at boot, not necessarily what the packets ran through) is not read as a dump: "
		 "the running rules are what iptables-save, iptables -L or nft list printed",
		 st->conf_path[0] ? st->conf_path : "?");
	return k->error(k->ctx, lineno, why, s, n);
}

/* A pvereport line: a title ends the section before it, and so does a
 * command's line; a title's own lines ("# output '...' file(s)") and a
 * file's copy are read as a log. */
static int pve_line(struct sections *st, const char *s, size_t n, long lineno)
{
	const struct nl_sink *k = st->sink;
	int blank = lineno > st->last + 1;
	st->last = lineno;
	if (pve_title(s, n)) {
		if (end_section(st))
			return -1;
		k->skip(k->ctx, lineno);
		return open_sub(st, &nl_parser_klog, "");
	}
	if (blank && n >= 2 && s[0] == '#' && s[1] == ' ') {
		if (end_section(st))
			return -1;
		return begin_section(st, s, n, lineno);
	}
	if (st->want_host)
		return take_host(st, s, n, lineno);
	if (st->conf)
		return conf_line(st, s, n, lineno);
	if (!st->sub) {
		k->skip(k->ctx, lineno);
		return 0;
	}
	return st->sub->line(st->state, s, n, lineno);
}

static int sections_line(void *state, const char *s, size_t n, long lineno)
{
	struct sections *st = state;
	const struct nl_sink *k = st->sink;
	int h;
	if (!st->sub && !st->label && !st->pve && pve_title(s, n))
		st->pve = 1;	/* the first header says which collector wrote it */
	if (st->pve)
		return pve_line(st, s, n, lineno);
	h = header(s, n);
	if (h) {
		if (end_section(st))
			return -1;
		/* a configuration file is no output of the running system */
		st->conf = h == 3 && memmem(s, n, "[ Configuration File ]", 22) != NULL;
		st->conf_path[0] = '\0';
		st->label = h == 1 || h == 2 || st->conf;
		st->log = h == 2;
		k->skip(k->ctx, lineno);
		if (h == 3 && !st->conf)	/* a note, a summary: read as a log */
			return open_sub(st, &nl_parser_klog, "");
		return 0;
	}
	if (st->label) {
		st->label = 0;
		if (!st->conf)
			return begin_section(st, s, n, lineno);
		conf_label(st, s, n);
		k->skip(k->ctx, lineno);
		return 0;
	}
	if (st->conf)
		return conf_line(st, s, n, lineno);
	/* _log_cmd()'s own word for a command it could not run: no output */
	if (!st->sub || (n == strlen(NOT_RUN) && !memcmp(s, NOT_RUN, n))) {
		k->skip(k->ctx, lineno);
		return 0;
	}
	return st->sub->line(st->state, s, n, lineno);
}

static int sections_close(void *state)
{
	struct sections *st = state;
	int rc = end_section(st);
	if (st->sink->netns && st->sink->netns(st->sink->ctx, NULL))
		rc = -1;
	free(st);
	return rc;
}

static const char *const sections_samples[] = {
	"#==[ Command ]======================================#",
	"#==[ Log File ]=====================================#",
	NULL,
};

const struct nl_parser nl_parser_sections = {
	.name = "sections",
	.probe = sections_probe,
	.open = sections_open,
	.line = sections_line,
	.close = sections_close,
	.samples = sections_samples,
};
