/*
 * parsers.c - the table of input formats, most specific first.
 * A file's format is chosen by probing its first lines with each entry;
 * the kernel log is the fallback, as any log file may hold netfilter lines.
 */
#include "natlog.h"
#include "parser.h"
#include "cursor.h"

#include <string.h>

const struct nl_parser *const nl_parsers[] = {
	&nl_parser_pcap,
	&nl_parser_sections,
	&nl_parser_iptsave,
	&nl_parser_iptlist,
	&nl_parser_ebtables,
	&nl_parser_nfttrace,
	&nl_parser_xtmon,
	&nl_parser_nftrules,
	&nl_parser_nftjson,
	&nl_parser_ovsct,
	&nl_parser_conntrack,
	&nl_parser_ulogjson,
	&nl_parser_sysctl,
	&nl_parser_klog,
	NULL,
};

void nl_unquote(const char **s, size_t *n)
{
	const char *p = *s, *end = *s + *n;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '>'))
		p++;
	*n = (size_t)(end - p);
	*s = p;
}

int nl_bundle_frame(const char *s, size_t n)
{
	static const char failed[] = "Error while running '";
	size_t i;
	if (n >= 3 && !memcmp(s, "```", 3)) {
		for (i = 3; i < n; i++)	/* "```", "```console": one word at most */
			if (s[i] == ' ' || s[i] == '\t' || s[i] == '`')
				return 0;
		return 1;
	}
	return n > sizeof failed && !memcmp(s, failed, sizeof failed - 1) &&
	       memmem(s, n, "':  ", 4) ? 2 : 0;
}

void nl_xt_target(struct nl_rule *r, const char *p, size_t n)
{
	static const char *const own[][2] = {
		{ "DNAT", "dnat" }, { "SNAT", "snat" }, { "MASQUERADE", "masquerade" },
		{ "REDIRECT", "redirect" }, { "REJECT", "reject" }, { "LOG", "log" },
	};
	char name[32];
	size_t k;
	nl_strlcpyn(name, p, n, sizeof name);
	for (k = 0; k < sizeof own / sizeof *own; k++)
		if (!strcmp(name, own[k][0]))
			nl_strlcpy(name, own[k][1], sizeof name);
	nl_strlcpy(r->target, name, sizeof r->target);
	r->target_arg[0] = '\0';
}

const char *nl_table_from_path(const char *path)
{
	static const char *const t[] = { "filter", "nat", "mangle", "raw", "security" };
	size_t i;
	if (!path)
		return NULL;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		const char *p = strstr(path, t[i]);
		/* "-t_nat_", "-L-nat.txt", "_nat-": delimited on both sides */
		while (p) {
			char before = p > path ? p[-1] : '/';
			char after = p[strlen(t[i])];
			if ((before == '_' || before == '-' || before == '/' || before == '.') &&
			    (after == '_' || after == '-' || after == '.' || after == '\0'))
				return t[i];
			p = strstr(p + 1, t[i]);
		}
	}
	return NULL;
}

int nl_family_from_path(const char *path)
{
	return path && (strstr(path, "ip6tables") || strstr(path, "ipv6_tables")) ? 6 : 4;
}

int nl_ipt_command(const char *w, size_t wn, int *v6)
{
	static const char *const names[] = { "iptables", "iptables-legacy", "iptables-nft",
					     "ip6tables", "ip6tables-legacy", "ip6tables-nft", NULL };
	const char *slash = memrchr(w, '/', wn);
	size_t i;
	if (slash) {
		wn -= (size_t)(slash + 1 - w);
		w = slash + 1;
	}
	for (i = 0; names[i]; i++)
		if (strlen(names[i]) == wn && !memcmp(names[i], w, wn)) {
			*v6 = names[i][2] == '6';
			return 1;
		}
	return 0;
}

int nl_ipt_command_tables(const char *s, size_t n, int (*is_list)(const char *, size_t),
			  char tables[NL_IPT_MAXCMDS][32], int *v6, int *listed)
{
	struct nl_cur c = cur_make(s, n);
	const char *w;
	size_t wn;
	int ncmd = 0;
	*v6 = *listed = 0;
	while (!cur_eof(&c)) {
		cur_spaces(&c);
		if (!cur_word(&c, &w, &wn))
			break;
		if (nl_ipt_command(w, wn, v6)) {
			if (ncmd < NL_IPT_MAXCMDS)
				nl_strlcpy(tables[ncmd++], "filter", 32);
		} else if (ncmd && is_list(w, wn)) {
			*listed = 1;
		} else if (ncmd && ((wn == 2 && !memcmp(w, "-t", 2)) ||
				    (wn == 7 && !memcmp(w, "--table", 7)))) {
			cur_spaces(&c);
			if (cur_word(&c, &w, &wn)) {
				while (wn > 0 && (w[wn - 1] == ';' || w[wn - 1] == '&'))
					wn--;	/* "-t nat;" */
				if (wn > 0 && wn < 32)
					nl_strlcpyn(tables[ncmd - 1], w, wn, 32);
			}
		}
	}
	return ncmd;
}
