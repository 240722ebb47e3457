/*
 * commands.h - one entry point per subcommand, each in src/cmd_<name>.c.
 * main.c opens the store as the command table says and hands it over.
 */
#ifndef NL_COMMANDS_H
#define NL_COMMANDS_H

#include "natlog.h"

struct nl_store;

/* argv[0] is the command's name; options are the command's own. */
int cmd_import(struct nl_store *s, int argc, char **argv);
int cmd_traces(struct nl_store *s, int argc, char **argv);
int cmd_explain(struct nl_store *s, int argc, char **argv);
int cmd_errors(struct nl_store *s, int argc, char **argv);
int cmd_sources(struct nl_store *s, int argc, char **argv);

/* Shared by the queries: the packet's tuple as text ("tcp a:1 -> b:2"). */
void nl_fmt_tuple(char *buf, size_t n, int proto, const char *src, int sport, const char *dst,
		  int dport, int family);
/* Writes the design.md packet object's common keys (no braces). */
struct nl_packet_row;
void nl_json_packet_keys(FILE *f, const struct nl_packet_row *p);

#endif
