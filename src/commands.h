/*
 * commands.h - one entry point per subcommand, each in src/cmd_<name>.c.
 * main.c opens the store as the command table says and hands it over.
 */
#ifndef NL_COMMANDS_H
#define NL_COMMANDS_H

#include "natlog.h"

struct nl_store;

/* What main.c hands a command: the store is opened on first use, after the
 * command has read its options, so a usage error never touches the store. */
struct nl_cmd {
	const char *db;
	int mode;		/* NL_STORE_RO or NL_STORE_RW */
	struct nl_store *s;
};
/* The store, or NULL after printing why it could not be opened. */
struct nl_store *cmd_store(struct nl_cmd *c);

/* argv[0] is the command's name; options are the command's own. */
int cmd_import(struct nl_cmd *c, int argc, char **argv);
int cmd_merge(struct nl_cmd *c, int argc, char **argv);
int cmd_traces(struct nl_cmd *c, int argc, char **argv);
int cmd_summary(struct nl_cmd *c, int argc, char **argv);
int cmd_explain(struct nl_cmd *c, int argc, char **argv);
int cmd_errors(struct nl_cmd *c, int argc, char **argv);
int cmd_sources(struct nl_cmd *c, int argc, char **argv);
int cmd_invalid(struct nl_cmd *c, int argc, char **argv);
int cmd_rules(struct nl_cmd *c, int argc, char **argv);
int cmd_sql(struct nl_cmd *c, int argc, char **argv);
int cmd_flows(struct nl_cmd *c, int argc, char **argv);
int cmd_report(struct nl_cmd *c, int argc, char **argv);
int cmd_export(struct nl_cmd *c, int argc, char **argv);

/* How a query writes its rows: the text table, a JSON array, one JSON
 * object per line, or CSV with a header line. */
enum { NL_OUT_TEXT, NL_OUT_JSON, NL_OUT_NDJSON, NL_OUT_CSV };
struct nl_filter_opts;
/* `natlog flows` after its options, in any of those forms (export uses
 * the last two): says which filters do not apply (exit 2); returns an
 * exit status. */
int nl_flows_list(struct nl_cmd *c, struct nl_filter_opts *fo, int out, int wide);

/* Shared by the queries: the packet's tuple as text ("tcp a:1 -> b:2"). */
void nl_fmt_tuple(char *buf, size_t n, int proto, const char *src, int sport, const char *dst,
		  int dport, int family);
/* Writes the design.md packet object's common keys (no braces). */
struct nl_packet_row;
void nl_json_packet_keys(FILE *f, const struct nl_packet_row *p);
/* Whether packet log (source "log") is a LOG line of the traced packet
 * traced stored apart from it: traces leaves it out, explain shows it with
 * the traced packet, so both ask this one question. The caller's query
 * has matched the source address and IP ID already. */
int nl_log_of_traced(const struct nl_packet_row *traced, const struct nl_packet_row *log);
/* Whether packet p (source "log") is such a LOG line of a stored traced
 * packet: traces and export leave it out when any traced packet is listed. */
int nl_log_of_traced_stored(struct nl_store *s, const struct nl_packet_row *p);
/* The LOG prefix of a packet known only from its LOG line, trimmed ("" else). */
void nl_log_prefix(struct nl_store *s, const struct nl_packet_row *p, char buf[160]);
/* Writes the design.md step object's keys (no braces), as explain --json. */
struct nl_step;
void nl_json_step_keys(FILE *f, const struct nl_step *s);

#endif
