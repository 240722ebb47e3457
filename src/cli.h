/*
 * cli.h - what every command's option parsing shares: getopt with one-line
 * errors that suggest the nearest option, "did you mean" for words, the
 * lists of values an option takes (for checks and shell completion), the
 * global --color and --no-pager, and a pager for long output on a terminal.
 */
#ifndef NL_CLI_H
#define NL_CLI_H

#include "natlog.h"

#include <getopt.h>

/* Edit distance (optimal string alignment: a swap of two neighbours is one
 * edit, as in most typos). Words longer than 64 bytes count as far away. */
int nl_edit_distance(const char *a, const char *b);
/* The candidate nearest to word, or NULL when none is near enough to be a
 * likely typo (a third of the longer word's letters, at least one). cands ends
 * with NULL. */
const char *nl_nearest(const char *word, const char *const *cands);

/* getopt_long() for a command whose name is argv[0]: an unknown,
 * ambiguous or malformed option prints one line naming it (and the nearest
 * long option), then "see 'natlog CMD --help'", and returns '?'. Callers
 * return NL_EXIT_USAGE on '?' without printing more. */
int nl_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);
/* The same for the top level: who is "" and the help is 'natlog --help'. */
int nl_getopt_as(const char *who, int argc, char **argv, const char *shortopts,
		 const struct option *longopts);

/* The values a long option takes ("--verdict" -> "accept drop ..."), or
 * NULL when it takes free text. One list for checks and completion. */
const char *nl_choices(const char *opt);
/* 0 when val is one of opt's values; else prints why (with the nearest
 * value) as "natlog CMD: ..." and returns -1. */
int nl_choice_arg(const char *cmd, const char *opt, const char *val);

/* What natlog reads, for `natlog --help` and `natlog import --help`. */
extern const char nl_input_kinds[];

/* --color: -1 auto (a terminal, NO_COLOR unset), 0 never, 1 always. */
extern int nl_color;
/* --no-pager */
extern int nl_no_pager;

/* Output to page: after nl_pager_begin() stdout collects what a command
 * prints when stdout is a terminal and paging is allowed; nl_pager_end()
 * shows it through $NATLOG_PAGER, else $PAGER, else `less -FRX` when it is
 * longer than the screen, and writes it straight out otherwise. Both are
 * no-ops when stdout is not a terminal. */
void nl_pager_begin(void);
void nl_pager_end(void);
/* Whether stdout is a terminal, even while nl_pager_begin() collects it. */
int nl_stdout_tty(void);

/* The hidden `natlog __complete` (cmd_complete.c) for shell completion. */
struct nl_cmd;
int cmd_complete(struct nl_cmd *c, int argc, char **argv);

#endif
