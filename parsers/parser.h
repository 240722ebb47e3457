/*
 * parser.h - the one interface every input format implements.
 * A parser is fed a file line by line and reports what it found through
 * a sink; it never touches the store. The table of parsers is in parsers.c.
 */
#ifndef NL_PARSER_H
#define NL_PARSER_H

#include "natlog.h"

/* Where parsers deliver results. Each callback returns 0, or -1 to stop
 * the import (store failure); a bad input line is never a reason to stop. */
struct nl_sink {
	void *ctx;
	const char *path;		/* the source's name, for hints such as the table */
	int (*event)(void *ctx, const struct nl_event *ev);
	int (*ruleset)(void *ctx, const char *kind, int family);
	int (*chain)(void *ctx, const struct nl_chain_info *c);
	int (*rule)(void *ctx, const struct nl_rule *r);
	int (*set)(void *ctx, const struct nl_set_info *s);
	int (*element)(void *ctx, const struct nl_set_elem *e);
	int (*flow)(void *ctx, const struct nl_flow *f);
	/* A line that looked like this format but could not be used. */
	int (*error)(void *ctx, long line, const char *reason, const char *text, size_t len);
	/* A line that is not this format's business (ordinary syslog noise). */
	void (*skip)(void *ctx, long line);
	/* An nft flowtable or stateful object; NULL when not kept. */
	int (*object)(void *ctx, const struct nl_object_info *o);
	/* Lost evidence and kernel health lines; sysctl values. Either may
	 * be NULL: the line is then skipped. */
	int (*notice)(void *ctx, const struct nl_notice *n);
	int (*sysctl)(void *ctx, long line, const char *name, const char *value);
	/* When the current ruleset was dumped, as the dump prints it ("Thu
	 * Nov 21 15:30:02 2024"); kind "generated" or "completed". May be NULL. */
	int (*dump_time)(void *ctx, long line, const char *time, const char *kind);
	/* The network namespace the dumps that follow were made in (a
	 * supportconfig section's "ip netns exec NS ..."), NULL for the
	 * host's or the file's own. May be NULL. */
	int (*netns)(void *ctx, const char *name);
	/* The host the file itself names as its own (pvereport's hostname
	 * section): what it reports from here on is that host's, unless the
	 * user named one. May be NULL. */
	int (*host)(void *ctx, const char *name);
};

struct nl_parser {
	const char *name;		/* also the source kind in the store */
	/* Cheap look at one early line: how sure we are that the file is ours
	 * (0 no, 1 maybe, 2 sure). */
	int (*probe)(const char *line, size_t len);
	void *(*open)(const struct nl_sink *sink);
	/* One line without its newline. Returns 0, or -1 when the sink said stop. */
	int (*line)(void *state, const char *line, size_t len, long lineno);
	int (*close)(void *state);	/* flush; returns 0 or -1 */
	/* The pieces of a line longer than the import's buffer (a one-line
	 * JSON dump), in order, before line() gets its last piece; NULL: such
	 * a line is taken whole up to max_line, else skipped. */
	int (*part)(void *state, const char *piece, size_t len, long lineno);
	const char *const *samples;	/* real lines this parser accepts */
	size_t max_line;		/* longest line it takes; 0: 1 MiB */
	/* Binary formats (captures) instead of lines: probe_bytes looks at the
	 * first bytes of the file (2 sure, 0 no); read_stream then reads the
	 * whole file from f, reporting packets as NL_EV_WIRE events with
	 * ev->line the packet's number. Returns 0, or -1 when the sink said
	 * stop; damage in the file is reported through sink->error. */
	int (*probe_bytes)(const unsigned char *buf, size_t n);
	int (*read_stream)(void *state, FILE *f);
	/* Reports events, notices, errors and skips only (never rulesets,
	 * flows or sysctls): the
	 * import may then parse in one thread and store in another. */
	int events_only;
};

extern const struct nl_parser nl_parser_klog;
extern const struct nl_parser nl_parser_iptsave;
extern const struct nl_parser nl_parser_iptlist;
extern const struct nl_parser nl_parser_nftrules;
extern const struct nl_parser nl_parser_nftjson;
extern const struct nl_parser nl_parser_nfttrace;
extern const struct nl_parser nl_parser_xtmon;
extern const struct nl_parser nl_parser_pcap;
extern const struct nl_parser nl_parser_conntrack;
extern const struct nl_parser nl_parser_ovsct;
extern const struct nl_parser nl_parser_ulogjson;
extern const struct nl_parser nl_parser_sysctl;
extern const struct nl_parser nl_parser_sections;
extern const struct nl_parser nl_parser_ebtables;

/* All parsers, the most specific first; NULL-terminated. */
extern const struct nl_parser *const nl_parsers[];

/* The kernel packet-log body (LOG, TRACE, conntrack invalid), shared by
 * every kernel-log container: fills ev->kind, table/chain/type/rulenum,
 * prefix or reason, and ev->pkt from the message text. Returns 0, 1 when
 * the message is not netfilter output, -1 with err set when it is but
 * cannot be used. */
int pktlog_parse(const char *msg, size_t n, struct nl_event *ev, struct nl_err *err);
/* The fields alone of a packet log another program formatted (Proxmox's
 * pvefw-logger prints IN= and OUT= only when set) as a LOG line whose
 * prefix the caller sets: 0, or -1 with err set. */
int pktlog_parse_fields(const char *s, size_t n, struct nl_event *ev, struct nl_err *err);
/* tok appended to p's unknown fields, as printed; dropped when full. */
void pktlog_extra_add(struct nl_pkt *p, const char *tok, size_t n);
/* The part of a TRACE prefix after "TRACE: " ("raw:PREROUTING:policy:3 "):
 * table, chain, type and rule number into ev; 0, or -1 with err set. */
int pktlog_trace_prefix(const char *s, size_t n, struct nl_event *ev, struct nl_err *err);
/* A kernel or logger line in a file of another format saying the kernel
 * dropped packets by itself or log lines were lost (klog.c): told to
 * sink->notice, 0; -1 when the sink failed; 1 when it is none. */
int nl_klog_notice(const struct nl_sink *sink, const char *s, size_t n, long lineno);

/* iptables rule-spec matches (-s -d -i -o -p --dport ... -j) into r: 0,
 * or 1 when a value could not be read (err says which; the match is left
 * out, so it cannot contradict a packet, and the rule keeps its place), or
 * -1 when the rule cannot be used at all. */
int iptrule_parse_spec(const char *spec, size_t n, struct nl_rule *r, struct nl_err *err);

/* One nft rule as `nft monitor` prints it ("tcp dport 80 accept", no
 * handle) into r->text and the matches and target a dumped rule gets; r's
 * place (family, table, chain, position, handle) is left alone: 0, or -1
 * when the text is too long or unbalanced (nftrules.c). */
int nft_rule_from_text(const char *s, size_t n, struct nl_rule *r);

/* A ruleset change an `nft monitor` or `xtables-monitor -e` printed
 * ("delete rule inet filter forward handle 5", "# new generation 3 by
 * process 23584 (nft)", " EVENT: -4 -t filter -A ...", "NEWGEN: GENID=5
 * ...") into no as a "ruleset-change" notice, or a monitor's word that it
 * lost events ("# ERROR: We lost some netlink events!") as a "loss"
 * notice: 1, or 0 when the line is none, or -1 with err set when it is one
 * but damaged (rsevent.c). */
int nl_rsevent_parse(const char *s, size_t n, long line, struct nl_notice *no,
		     struct nl_err *err);
/* One `nft -j monitor` event line ({"add": {"rule": {...}}}) as `nft -a
 * monitor` prints it ("add rule ip t c tcp dport 22 accept # handle 5")
 * into out: 1, 0 when the line is none, -1 with err set when its rule
 * cannot be written so (nftjson.c). */
int nl_nftjson_event(const char *s, size_t n, char *out, size_t outn, struct nl_err *err);
/* 1 when the line starts like an nft monitor ruleset event ("add rule "). */
int nl_rsevent_probe(const char *s, size_t n);

/* An ebtables table (the bridge layer's rules) in a listing or a save:
 * reported at line as not read, t its name (ebtables.c). Returns what
 * sink->error does. */
int nl_ebtables_table(const struct nl_sink *k, long line, const char *t, size_t tn,
		      const char *s, size_t n);

/* A line as a paste indents or quotes it ("    trace id ...", "> > [NEW]
 * tcp ..."): s and n past the blanks and '>' marks before its text, for
 * formats whose lines start with a fixed word (parsers.c). */
void nl_unquote(const char **s, size_t *n);
/* What a support bundle's tool writes around a command's output, s past
 * its quote marks (parsers.c): 1 for a Markdown code fence ("```", as
 * cilium-bugtool frames each command's output in Markdown and bug reports
 * paste it), 2 for cilium-bugtool's word that the command failed ("> Error
 * while running 'iptables-save -c':  exit status 1"), else 0. */
int nl_bundle_frame(const char *s, size_t n);
#define NL_BUNDLE_FAILED "cilium-bugtool's note that the command failed: the output " \
	"around it may be incomplete or missing"
/* An iptables-nft compat target by its iptables name into r->target, the
 * nat ones (and reject, log) as nft's own words: "DNAT" is dnat, "MARK"
 * stays MARK (parsers.c; nftrules.c, nftjson.c). */
void nl_xt_target(struct nl_rule *r, const char *name, size_t n);

/* The table a file's name gives ("iptables_-t_nat_-nvL", "iptables-S-nat.txt":
 * a table's name delimited by '_', '-', '/' or '.'), or NULL (parsers.c). */
const char *nl_table_from_path(const char *path);
/* The family a file's name gives: 6 for ip6tables' output ("ip6tables-save.txt",
 * sosreport's "ip6tables_-vnxL", calicoctl node diags' "ipv6_tables"), else 4
 * (parsers.c). */
int nl_family_from_path(const char *path);
/* A word that runs iptables ("iptables", "/sbin/ip6tables", "iptables-legacy",
 * "ip6tables-nft"): 1, with *v6 set for ip6tables; else 0 (parsers.c). */
int nl_ipt_command(const char *w, size_t wn, int *v6);
/* A pasted iptables command line ("# iptables -t nat -nvL", "iptables -S;
 * iptables -t nat -S"): the table each iptables command on it names (-t,
 * else filter), in order, at most NL_IPT_MAXCMDS; *v6 when one is
 * ip6tables; *listed when a word after a command is one is_list takes.
 * Returns how many commands it holds (0: it is no command line). */
#define NL_IPT_MAXCMDS 8
int nl_ipt_command_tables(const char *s, size_t n, int (*is_list)(const char *, size_t),
			  char tables[NL_IPT_MAXCMDS][32], int *v6, int *listed);

#endif
