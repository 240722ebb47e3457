/*
 * filter.h - the filter options the packet queries share (traces, invalid,
 * flows, export): one option table, one parser, one help text, so that
 * `--dst 10.77.2.0/24` means the same wherever it is accepted. Each
 * command says which filters do not apply to it, and why.
 */
#ifndef NL_FILTER_H
#define NL_FILTER_H

#include "natlog.h"
#include "store.h"
#include "timespec.h"

#include <getopt.h>

/* getopt values of the shared options (above any short option letter). */
enum {
	NL_FOPT_SRC = 0x1000, NL_FOPT_DST, NL_FOPT_PORT, NL_FOPT_PROTO, NL_FOPT_SEQ,
	NL_FOPT_IPID, NL_FOPT_VERDICT, NL_FOPT_HOST, NL_FOPT_RULE, NL_FOPT_IFACE,
	NL_FOPT_SINCE, NL_FOPT_UNTIL,
	NL_FOPT_END
};
#define NL_FILTER_LONGOPTS                                           \
	{ "src", required_argument, NULL, NL_FOPT_SRC },             \
	{ "dst", required_argument, NULL, NL_FOPT_DST },             \
	{ "port", required_argument, NULL, NL_FOPT_PORT },           \
	{ "proto", required_argument, NULL, NL_FOPT_PROTO },         \
	{ "seq", required_argument, NULL, NL_FOPT_SEQ },             \
	{ "ip-id", required_argument, NULL, NL_FOPT_IPID },          \
	{ "verdict", required_argument, NULL, NL_FOPT_VERDICT },     \
	{ "host", required_argument, NULL, NL_FOPT_HOST },           \
	{ "rule", required_argument, NULL, NL_FOPT_RULE },           \
	{ "iface", required_argument, NULL, NL_FOPT_IFACE },         \
	{ "since", required_argument, NULL, NL_FOPT_SINCE },         \
	{ "until", required_argument, NULL, NL_FOPT_UNTIL }

/* What the options filled in; f points into the buffers here. */
struct nl_filter_opts {
	struct nl_filter f;
	struct nl_timespec since, until;
	struct nl_rule_filter rule;
	char src[NL_ADDRSIZ + 8], dst[NL_ADDRSIZ + 8];
	char rule_buf[256];
	unsigned given;			/* 1 << (NL_FOPT_x - NL_FOPT_SRC) per option seen */
};
#define NL_FGIVEN(o, opt) (((o)->given >> ((opt) - NL_FOPT_SRC)) & 1u)

/* An option that does not apply to a command, and why. */
struct nl_filter_na {
	int opt;
	const char *why;
};

void nl_filter_opts_init(struct nl_filter_opts *o);
/* 1 when opt is not a filter option, 0 when it was read, -1 after saying
 * on stderr why arg cannot be read (a usage error). */
int nl_filter_opt(const char *cmd, int opt, const char *arg, struct nl_filter_opts *o);
/* -1 after naming the first option given that the command cannot apply
 * (na, ended by {0, NULL}), else 0. */
int nl_filter_check(const char *cmd, const struct nl_filter_opts *o,
		    const struct nl_filter_na *na);
/* Puts --since/--until on their clocks once the store is open. */
void nl_filter_times(const char *cmd, struct nl_store *s, struct nl_filter_opts *o);

/* Parsers behind the options, for tests: 0 or -1. */
int nl_filter_parse_addr(const char *arg, char *out, size_t n);	/* address or CIDR prefix */
int nl_filter_parse_rule(const char *arg, char *buf, size_t n, struct nl_rule_filter *r);
/* 1 when addr matches the --src/--dst value v (an address or a prefix). */
int nl_filter_addr_match(const char *v, const char *addr);

/* The options' help lines, for a command's usage. */
extern const char nl_filter_help[];

#endif
