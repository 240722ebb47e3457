/*
 * parsers.c - the table of input formats, most specific first.
 * A file's format is chosen by probing its first lines with each entry;
 * the kernel log is the fallback, as any log file may hold netfilter lines.
 */
#include "natlog.h"
#include "parser.h"

#include <string.h>

const struct nl_parser *const nl_parsers[] = {
	&nl_parser_pcap,
	&nl_parser_iptsave,
	&nl_parser_iptlist,
	&nl_parser_nfttrace,
	&nl_parser_xtmon,
	&nl_parser_nftrules,
	&nl_parser_nftjson,
	&nl_parser_conntrack,
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
