/*
 * store.h - the SQLite store. store.c is the only file that speaks SQL;
 * everyone else goes through these functions. Functions return 0 (or an
 * id > 0) on success and -1 on failure with the reason in store_errmsg().
 */
#ifndef NL_STORE_H
#define NL_STORE_H

#include "natlog.h"
#include "ruleset.h"
#include "hits.h"

struct nl_store;

enum { NL_STORE_RO, NL_STORE_RW };

/* RW opens (or creates) a natlog store and refuses any other file before
 * writing to it; RO opens for queries, even where SQLite cannot write. */
int store_open(struct nl_store **out, const char *path, int mode, struct nl_err *err);
/* A bound on SQLite's memory for the stores opened later (before the first
 * open; single-threaded use only): past it, queries fail as out of memory. */
void store_limit_memory(int64_t bytes);
/* A writer for finishing what an interrupted import left (packets not
 * analysed yet): -1 at once when an import is running or the store cannot
 * be written. Imports hold a shared lock on the store file for this. */
int store_open_idle_writer(struct nl_store **out, const char *path);
/* For the fuzz harnesses, which want a new store per input without
 * creating the schema each time: the bytes of a store (malloc()ed, NULL
 * on failure), and a new in-memory store on a copy of such bytes. */
unsigned char *store_image(struct nl_store *s, size_t *size);
int store_open_image(struct nl_store **out, const unsigned char *image, size_t size,
		     struct nl_err *err);
/* How many rows the store's tables hold, meta apart (0: a new store). */
int64_t store_rows(struct nl_store *s);
/* The store's schema version: a store read where nothing upgrades it may
 * be older than this natlog's, and lack the later columns. */
int store_version(const struct nl_store *s);
/* How many packets wait for their analysis; -1 on failure. */
int64_t store_unanalyzed_count(struct nl_store *s);
/* 1 when an import was killed after a commit that left indexes to
 * build (store_analysis_indexes builds them); -1 on failure. */
int store_indexes_left(struct nl_store *s);
/* A new store's first import, between two transactions: the file synced
 * and switched to WAL now rather than when it closes, so that a second
 * connection can read it beside the writer (store_open_reader). */
int store_settle(struct nl_store *s);
/* A second, read-only connection to the store s is open on (for another
 * thread); -1 when there is none to open (a temporary store). */
int store_open_reader(struct nl_store *s, struct nl_store **out);
/* The error message of one connection, into another. */
void store_copy_error(struct nl_store *to, const struct nl_store *from);
void store_close(struct nl_store *s);
/* With NATLOG_PROFILE: adds the virtual machine steps its prepared statements
 * ran since the last call to store.sql_steps. */
void store_prof_steps(struct nl_store *s);
const char *store_errmsg(struct nl_store *s);
/* What a query should say about how the store was read (NULL: nothing). */
const char *store_warning(struct nl_store *s);

int store_begin(struct nl_store *s);
int store_commit(struct nl_store *s);
int store_rollback(struct nl_store *s);
/* An imported source inside a transaction that several small ones share:
 * kept whole (keep, which may commit) or undone whole (undo); a failure of
 * the store takes store_rollback(), and with it every source since the
 * last commit. store_group_commit() commits what is open. */
int store_source_begin(struct nl_store *s);
int store_source_keep(struct nl_store *s, int64_t bytes);
int store_source_undo(struct nl_store *s);
int store_group_commit(struct nl_store *s);
int store_in_tx(const struct nl_store *s);
/* One snapshot for a query of many lookups: each lookup outside it takes
 * and drops the store's read locks (two system calls and a stat each). */
int store_read_begin(struct nl_store *s);
void store_read_end(struct nl_store *s);

/* Sources. */
/* 1 when a source of this path and size was imported (a cheap hint that a
 * file is imported again; its content hash decides). */
int store_source_seen_as(struct nl_store *s, const char *path, int64_t size);
/* 1 when this content was imported for this host (NULL: none named), 0, -1. */
/* netns: the network namespace the file's path names (NULL, "": the
 * host's); the same bytes of two namespaces are two sources. */
int store_source_known(struct nl_store *s, const char *sha256, const char *host, const char *netns);
int64_t store_source_add(struct nl_store *s, const char *path, const char *host, const char *netns);
struct nl_source_counts {
	const char *kind;
	const char *sha256;
	int64_t size, lines, events, errors, skipped;
	int64_t boot_us;	/* when the source's host booted, or -1 */
};
/* The host a source names as its own, found while it is read. */
int store_source_host(struct nl_store *s, int64_t id, const char *host);
/* Returns 1 when the same content was imported before (the caller rolls back). */
int store_source_finish(struct nl_store *s, int64_t id, const struct nl_source_counts *c);
int store_add_error(struct nl_store *s, int64_t source_id, long line, const char *reason,
		    const char *text, size_t len);

/* Packets and events. */
struct nl_packet_row {
	int64_t id;
	char trace[40];
	char source[24];
	int64_t source_id;
	char host[128];
	int family;
	char time[48];
	double uptime;
	int proto;
	char src[NL_ADDRSIZ], dst[NL_ADDRSIZ];
	int sport, dport;
	int64_t ip_id, tcp_seq;
	int tcp_flags;
	int icmp_type, icmp_id;
	/* the network namespace a monitor traced it in ("ip netns exec NS nft
	 * monitor trace"), whose dumps explain it; "" for the host's own */
	char netns[128];
	/* analysis */
	char verdict[12];
	int verdict_inferred;
	char decided_table[32], decided_chain[NL_CHAINSIZ], decided_type[8], decided_family[8];
	int decided_position;
	int64_t decided_handle;
	char decided_rule[1024];
	int has_decided;
	int has_decided_rule;
	int analyzed;		/* 0: the verdict and decided_* are not known yet */
	int64_t dump_id;	/* the ruleset that explained it (analysis only), or 0 */
	/* analysis only: when the host has several dumps, those the trace
	 * contradicts, and whether only their order chose dump_id */
	int dump_candidates, dump_tie, ncontra_dumps;
	int64_t contra_dumps[16];
	/* analysis, for the filters of traces (schema 29): the ports and
	 * addresses its lines show NAT rewrote it to (-1, ""), and every
	 * interface they name (" eth0 docker0 "); ifaces_ok 0 when these do
	 * not tell all its lines show (a cut trace, two rewritten values) */
	int nat_sport, nat_dport;
	char nat_src[NL_ADDRSIZ], nat_dst[NL_ADDRSIZ];
	char ifaces[256];
	int ifaces_ok;
};
/* Inserts p; p->trace is the wanted id, and gets ".2", ".3", ... when taken. */
int64_t store_add_packet(struct nl_store *s, struct nl_packet_row *p);
/* Inserts p with its analysis (analysis_summary's fields) and hits, its
 * list of rules hit (hits.h), as analyze_pending would have stored them. */
int64_t store_add_analysed(struct nl_store *s, struct nl_packet_row *p, const char *hits);
/* Packet packet_id is to be analysed again (after the import). */
int store_packet_pending(struct nl_store *s, int64_t packet_id);
/* Whether a LOG or conntrack line waits in the store to be joined to a
 * packet by identity (store_packet_joins): 1, 0, or -1 on error. */
int store_unclaimed(struct nl_store *s);
/* Whether packet id's first line (at uptime, or at its wall-clock second
 * when it has no kernel time; of host, in source_id) is one of the first
 * its host logged in that source: no packet of the host before it there
 * is more than NL_LOG_START_S older. The log may start inside its path.
 * 1, 0 (not, or not known: no time, another boot before it, too many
 * packets as early), -1 on error. */
#define NL_LOG_START_S 1.0
int store_first_in_source(struct nl_store *s, int64_t id, int64_t source_id, const char *host,
			  double uptime);
/* Packet p->id's headers (family, tuple, IP ID, flags, ICMP) from p: a
 * trace whose first line showed none. */
int store_packet_identity(struct nl_store *s, const struct nl_packet_row *p);
int store_add_event(struct nl_store *s, int64_t source_id, int64_t packet_id, int step,
		    const struct nl_event *ev);
/* Another trace id the same packet went by. */
int store_add_alias(struct nl_store *s, const char *trace, int64_t packet_id);
/* The packet's other trace ids, space-separated, into buf. */
int store_aliases(struct nl_store *s, int64_t packet_id, char *buf, size_t n);
/* 1 when another source of the same host (or of an unknown one) already
 * holds this event: by its kernel-stamp fingerprint e->fp (when it has an
 * uptime), by wall[], its wall-clock ones for the second before, of, and
 * after the line's time (0 when unknown), or, for a line with only one
 * kind of time, by aligning its message with another rendering's lines
 * that have only the other kind (the pairs also give the boot time, which
 * store_source_finish records). */
int store_event_seen(struct nl_store *s, int64_t source_id, const struct nl_event *e,
		     const int64_t wall[3]);
/* 1 when another source may have fingerprinted events (a kernel log with
 * events; else no line of this source can be a duplicate and lookups are
 * skipped). */
int store_other_events(struct nl_store *s, int64_t source_id);
/* Runs schema/ondemand/<name>.sql (idempotent DDL): "fp_index" before the
 * first fingerprint lookup. */
int store_ondemand(struct nl_store *s, const char *name);
/* Before the transaction that analyses packets (analyze_pending), when
 * there are packets to analyse: the index of captured TCP frames by ports
 * (schema/ondemand/wire_ports.sql) when there are such frames, and of
 * rules by handle (rules_handle.sql) when a chain is too long to read
 * whole; committed first, so that the analysis's second connection reads
 * through them too. */
int store_analysis_indexes(struct nl_store *s);
/* Gives the stored event with kernel-stamp fingerprint fp and message hash
 * mh its wall-clock one, fp2, by its wall-clock second wsec. */
int store_event_fp2(struct nl_store *s, int64_t fp, int64_t fp2, int64_t mh, int64_t wsec);

/* Rulesets. */
int64_t store_add_ruleset(struct nl_store *s, int64_t source_id, const char *kind, int family,
			  const char *host, const char *netns);
int store_add_chain(struct nl_store *s, int64_t ruleset_id, const struct nl_chain_info *c);
int store_add_set(struct nl_store *s, int64_t ruleset_id, const struct nl_set_info *si);
int store_add_object(struct nl_store *s, int64_t ruleset_id, const struct nl_object_info *o);
int store_add_element(struct nl_store *s, int64_t ruleset_id, const struct nl_set_elem *e);
int store_add_flow(struct nl_store *s, int64_t source_id, const struct nl_flow *f);
/* Every conntrack record in import order, as stored. */
int store_flows(struct nl_store *s, int (*cb)(void *, const struct nl_flow *), void *ctx);
/* The same grouped by connection key (host, family, proto, zone, both
 * tuples), in import order within a key; cb also gets the record's id. */
int store_flows_by_tuple(struct nl_store *s, int (*cb)(void *, int64_t, const struct nl_flow *),
			 void *ctx);
int store_add_rule(struct nl_store *s, int64_t ruleset_id, const struct nl_rule *r);
int store_ruleset_done(struct nl_store *s, int64_t ruleset_id);
int store_load_rules(struct nl_store *s, const char *host, int family, struct nl_rsview *v);
/* on: frees the import's pages (after a commit, all unused) and keeps
 * the cache to 4 MB, as the analysis reads what it does not reuse (the
 * rules of a 40 000-rule chain are 16 MB of pages); off: the import's
 * 32 MB again. */
int store_analysis_cache(struct nl_store *s, int on);
/* 1 when some ruleset dump names its host, 0 when none does. */
int store_rulesets_hosted(struct nl_store *s);
/* nft dumps (text or JSON) of this host, with their sets and elements:
 * of network namespace netns, or of the host's own when NULL. */
int store_load_nft(struct nl_store *s, const char *host, const char *netns, struct nl_rsview *v);
/* The views read the chains they look up (ruleset.c): chain (family, or
 * NULL: any, the first; table, name) of a dump without its rules (cap is
 * their count, rules NULL): 1, 0 when the dump has none, -1 on failure;
 * then its rules. */
struct nl_chain;
int store_find_chain(struct nl_store *s, int64_t ruleset_id, const char *family, const char *table,
		     const char *name, struct nl_chain *c);
int store_chain_rules(struct nl_store *s, struct nl_chain *c);
/* Rule at position (> 0) or of handle of chain c into r: 1, 0 none, -1. */
int store_chain_rule(struct nl_store *s, const struct nl_chain *c, int position, int64_t handle,
		     struct nl_rule *r);
/* 1 when a rule of the dump has a counter, 0 when none has, -1 failure. */
int store_dump_counted(struct nl_store *s, int64_t ruleset_id);
/* The chains of the dump that hold a LOG rule with a prefix, in the
 * dump's order: fn returns nonzero to stop (and that is returned). */
int store_log_chains(struct nl_store *s, int64_t ruleset_id,
		     int (*fn)(void *ctx, const char *family, const char *table, const char *name),
		     void *ctx);
/* How many traced packets of host (all hosts' when NULL) hit each rule,
 * into v->hits (rsview_sort_hits() after): legacy TRACE steps of that
 * family by table, chain and number, or (nft) nft trace rule lines by
 * "family table", chain and handle. ruleset 0: every packet; else the
 * counts of that dump, taken at until_us: packets whose first line is
 * known to be later (its wall clock, or boot_us plus its kernel time when
 * boot_us >= 0) are left out. nft: of the packets traced in network
 * namespace netns only (NULL: the host's own). */
int store_rule_hits(struct nl_store *s, const char *host, const char *netns, int family, int nft,
		    struct nl_rsview *v, int64_t ruleset, int64_t until_us, int64_t boot_us);

/* Queries. */
/* --rule: packets with a step at, or decided by, a rule or policy. NULL
 * strings and -1 numbers match anything. */
struct nl_rule_filter {
	const char *family, *table, *chain, *type;	/* family: nft's; type: rule, return, policy */
	int64_t num, handle;
};
/* Zero (and .port = .seq = .ip_id = -1) is no filter. src and dst are an
 * address or a CIDR prefix ("10.77.2.0/24"). */
struct nl_filter {
	const char *src, *dst, *host, *verdict;
	int port;
	int64_t seq, ip_id;
	int has_proto, proto;		/* --proto: an IP protocol number */
	const char *iface;		/* in or out interface (or bridge port) at any step */
	const struct nl_rule_filter *rule;
	/* time bounds, each on its clock (timespec.h's enum nl_clock, 0: none) */
	int since_clock, until_clock;
	int64_t since_us, until_us;
	int64_t left_out;	/* set by store_packets: packets no bound's clock places */
};
typedef int (*nl_packet_cb)(void *ctx, const struct nl_packet_row *p);
/* Packet rows gathered in memory: nl_packet_list_add is an nl_packet_cb
 * that appends a copy (-1 without memory); the caller frees v. */
struct nl_packet_list {
	struct nl_packet_row *v;
	size_t n, cap;
};
int nl_packet_list_add(void *ctx, const struct nl_packet_row *p);
int store_packets(struct nl_store *s, struct nl_filter *f, nl_packet_cb cb, void *ctx);
/* The SQL expression of a packet's time on a clock (timespec.h), for
 * statements on the packets table; NULL for no such clock. */
const char *store_packet_clock_sql(int clock);
/* The latest wall time of any stored kernel line or traced packet (epoch
 * us), -1 when none has one: the year syslog bounds are put in. */
int64_t store_latest_wall(struct nl_store *s);
int store_packets_unanalyzed(struct nl_store *s, int64_t after_id, int limit, nl_packet_cb cb,
			     void *ctx);
int store_packets_by_trace(struct nl_store *s, const char *id, nl_packet_cb cb, void *ctx);
/* hits: the rules its traced lines name (hits.h), for --rule (schema
 * 39); NULL when that list could not be made. */
int store_packet_analysis(struct nl_store *s, const struct nl_packet_row *p, const char *hits);
/* Marks for analysis only the packets the rulesets of source_id can change. */
int store_reanalyze_source(struct nl_store *s, int64_t source_id);
/* Marks for analysis the packets with an inferred drop or reject, which
 * new captures or conntrack records may contradict (realign.c). */
int store_reanalyze_drops(struct nl_store *s);

struct nl_event_row {
	struct nl_event ev;
	int64_t id;
	int64_t source_id;
	int step;
	char file[512];
};
typedef int (*nl_event_cb)(void *ctx, const struct nl_event_row *e);
int store_packet_events(struct nl_store *s, int64_t packet_id, nl_event_cb cb, void *ctx);
/* The same for many packets asked for in ascending id order within
 * lo..hi: both tables are read once, in one pass, rather than twice per
 * packet. A packet out of that order is read alone. Only reads may run on
 * the store while the cursor is open. */
struct nl_evcursor;
int store_evcursor_open(struct nl_store *s, int64_t lo, int64_t hi, struct nl_evcursor **out);
int store_evcursor_packet(struct nl_evcursor *c, int64_t packet_id, nl_event_cb cb, void *ctx);
void store_evcursor_close(struct nl_evcursor *c);
/* LOG and conntrack-invalid lines of other sources (a dmesg beside an nft
 * trace) that are this packet by identity: addresses, ports, IP ID,
 * length, SEQ/ACK, flags, ICMP id agreeing wherever both lines print
 * them; times only break ties between packets of the same identity. */
int store_packet_joins(struct nl_store *s, int64_t packet_id, nl_event_cb cb, void *ctx);

/* A conntrack invalid-packet line, with the traced packet it belongs to. */
struct nl_invalid_row {
	char time[48], host[128], src[NL_ADDRSIZ], dst[NL_ADDRSIZ], reason[200], trace[40];
	char file[512];
	long line;
	int proto, sport, dport;
	int64_t wall_us, uptime_us;	/* the line's time on each clock, -1 if none */
};
int store_invalid(struct nl_store *s, int (*cb)(void *, const struct nl_invalid_row *), void *ctx);
/* The same, the lines f's address, port, protocol, SEQ, IP ID, interface
 * and host filters keep (f's other filters are the caller's). */
int store_invalid_where(struct nl_store *s, const struct nl_filter *f,
			int (*cb)(void *, const struct nl_invalid_row *), void *ctx);

/* A dumped rule or built-in chain's policy, how many traced steps hit it
 * and how many dropped or rejected packets it decided. */
struct nl_rule_row {
	char kind[24], host[128], netns[128], family[8], table[32], chain[NL_CHAINSIZ], text[1024];
	int ruleset_family, position;	/* position -1 for a policy */
	int is_policy, is_trace;	/* is_trace: a -j TRACE / nftrace rule */
	int64_t handle, pkts, hits, drops, ruleset_id;
};
/* In dump order, or by drops then hits. */
int store_rules(struct nl_store *s, int by_drops, int (*cb)(void *, const struct nl_rule_row *),
		void *ctx);
/* Whose the dumps are: hosts, the distinct hosts they name; any_netns, 1
 * when one was dumped inside a network namespace; hostless, the traced
 * packets that name no host, whose hits count against every host's dumps. */
struct nl_rule_places {
	int64_t hosts, hostless;
	int unhosted, any_netns;	/* unhosted: a dump names no host */
};
int store_rule_places(struct nl_store *s, struct nl_rule_places *pl);

/* The SQLite type of each value store_sql() hands over. */
enum { NL_SQL_NULL, NL_SQL_INT, NL_SQL_REAL, NL_SQL_TEXT, NL_SQL_BLOB };
/* Runs one read-only statement; cb gets each row's column names, values
 * as SQLite prints them (NULL for SQL NULL, lowercase hex for a blob) and
 * their types. -2 when the statement needed more memory than
 * store_limit_memory() allows; -1 for any other failure. */
int store_sql(struct nl_store *s, const char *sql,
	      int (*cb)(void *, int ncol, const char *const *names, const char *const *vals,
			const int *types),
	      void *ctx);

/* The same with params bound as text to ?1..?nparams (NULL or "": SQL NULL). */
int store_sql_params(struct nl_store *s, const char *sql, const char *const *params, int nparams,
		     int (*cb)(void *, int ncol, const char *const *names,
			       const char *const *vals, const int *types),
		     void *ctx);

/* A packet seen in a capture. */
struct nl_wire_row {
	int64_t source_id;
	char file[1024];
	long frame;
	char time[48], iface[NL_IFNAMSIZ];
	char src[NL_ADDRSIZ], dst[NL_ADDRSIZ];
	int sport, dport, ttl;
	int ends;		/* how many of its addresses the trace showed: 2, or 1 after NAT */
};
/* Captured packets with this identity (IP ID, or TCP SEQ when the family
 * has no ID; and the length, when not -1) between the given addresses, in
 * either NAT form; or, when the IP ID is not 0 or the SEQ is known, with
 * one of them translated (SNAT, MASQUERADE, conntrack's reverse
 * translation of a reply). addrs[4] and [5] (or NULL) are the addresses
 * conntrack's NAT gave the connection. Frames with both addresses first. */
int store_wire_find(struct nl_store *s, int proto, int64_t ip_id, int64_t seq, int64_t len,
		    const char *const addrs[6], int (*cb)(void *, const struct nl_wire_row *),
		    void *ctx);
/* Conntrack records of the connection whose original tuple this is, or
 * whose translated one (a packet seen after the connection's NAT), of any
 * host: of the hosts' own namespaces only unless any_netns, when every
 * namespace's come (f->netns says whose); an OVS userspace datapath's
 * always, f->netns saying so (nl_ovs_userspace). netns (not NULL, not
 * ""): network namespace netns's table instead of the host's own (a
 * packet a monitor traced there). */
int store_conntrack_for(struct nl_store *s, int any_netns, const char *netns, int proto,
			const char *src, int sport, const char *dst, int dport,
			int (*cb)(void *, const struct nl_flow *, const char *file), void *ctx);
/* When this host last booted, from the sources that told (or -1). */
int64_t store_boot_time(struct nl_store *s, const char *host);
/* Captures that hold any packet to or from addr (so a packet to it would
 * have been caught there). */
int store_wire_covering(struct nl_store *s, const char *addr,
			int (*cb)(void *, int64_t source_id, const char *file, const char *iface),
			void *ctx);

struct nl_source_row {
	int64_t id;
	char path[1024], kind[24], host[128], imported_at[32], sha256[72];
	char netns[128];	/* the namespace its path names, "" the host's (schema 37) */
	int64_t size, lines, events, errors, skipped;
};
int store_sources(struct nl_store *s, int (*cb)(void *, const struct nl_source_row *), void *ctx);

struct nl_error_row {
	char file[1024];
	char host[128];		/* the source's host, "" when not named */
	long line;
	char reason[256];
	char text[1540];	/* 512 bytes of the line, a NUL byte as U+2400 */
};
int store_errors(struct nl_store *s, int64_t source_id,
		 int (*cb)(void *, const struct nl_error_row *), void *ctx);

/* A tuple to count traced packets of: proto, src, dst, and sport and
 * dport (-1: any); for ICMP and ICMPv6 (proto 1, 58) sport is the ICMP id
 * and dport the ICMP type. */
struct nl_tuple_count {
	int proto;
	const char *src, *dst;
	int sport, dport;
	const char *netns;	/* of the packets a monitor traced in this namespace ("",
				 * NULL: the host's own) */
	int64_t n;		/* out: how many traced packets (the packets table) have it */
};
/* The packet's tuple at its last traced step (after DNAT): 0, or -1. */
int store_packet_last_tuple(struct nl_store *s, int64_t packet_id, struct nl_pkt *out);
/* The same for many packets asked for in ascending id order (flows): the
 * lines are read in one pass rather than queried packet by packet. A
 * packet out of that order is looked up alone. Only reads may run on the
 * store while the cursor is open. */
struct nl_tuplecursor;
int store_tuplecur_open(struct nl_store *s, struct nl_tuplecursor **out);
int store_tuplecur_get(struct nl_tuplecursor *c, int64_t packet_id, struct nl_pkt *out);
void store_tuplecur_close(struct nl_tuplecursor *c);
/* Each distinct tuple seen in captures, with how many frames, the first
 * one's time and what identifies it (IP ID, SEQ, flags). */
struct nl_wire_tuple {
	int family, proto;
	char src[NL_ADDRSIZ], dst[NL_ADDRSIZ];
	int sport, dport, icmp_type, icmp_id, tcp_flags;
	int64_t frames, first_us, ip_id, seq;
	char first_time[48];
};
int store_wire_tuples(struct nl_store *s, int (*cb)(void *, const struct nl_wire_tuple *), void *ctx);
/* The one traced packet with this identity (a non-zero IP ID, or the TCP
 * SEQ), whatever NAT did to its addresses: its id, 0 when none or several. */
int64_t store_packet_by_identity(struct nl_store *s, int proto, int64_t ip_id, int64_t seq);
/* The same packet traced on another host: a packet that leaves one host
 * and enters the next keeps its IP ID, length, flags and SEQ whatever NAT
 * does to its addresses. One row per traced packet of another (named)
 * host with p's identity, and p's own (self), in hop order: by TTL, which
 * each router lowers, highest first. */
struct nl_hop {
	char trace[40], host[128], source[24], verdict[12];
	char src[NL_ADDRSIZ], dst[NL_ADDRSIZ];
	int sport, dport, ttl, self;
};
int store_packet_hops(struct nl_store *s, const struct nl_packet_row *p, int64_t len,
		      int (*cb)(void *, const struct nl_hop *), void *ctx);
/* Fills t[i].n for each of the n tuples, with one prepared statement. */
int store_count_packets_tuple(struct nl_store *s, struct nl_tuple_count *t, size_t n);

/* Notices (lost lines, kernel health) and sysctl values. */
int store_add_notice(struct nl_store *s, int64_t source_id, const struct nl_notice *n);
int store_add_sysctl(struct nl_store *s, int64_t source_id, long line, const char *host,
		     const char *netns, const char *name, const char *value);
/* The notices of host (of no host when NULL), in import order, those of
 * network namespaces too (n->netns says whose); cb returns nonzero to
 * stop. */
int store_notices(struct nl_store *s, const char *host,
		  int (*cb)(void *, const struct nl_notice *, const char *file), void *ctx);
/* The newest value of sysctl name on host outside any namespace: 1 and
 * r filled, 0 when no listing has it, -1 on failure. */
struct nl_sysctl_row {
	char value[512], file[1024];
	long line;
};
int store_sysctl(struct nl_store *s, const char *host, const char *name, struct nl_sysctl_row *r);
/* A count(*) query of natlog's own with at most one text parameter (?1,
 * NULL when arg is NULL or empty), or -1. */
int64_t store_count_sql(struct nl_store *s, const char *sql, const char *arg);

/* Ruleset dumps as evidence (dumps.c): when one was taken, from what
 * (time_kind generated, completed or mtime; a better kind replaces a
 * worse one, never the reverse), and where it came from. */
int store_ruleset_time(struct nl_store *s, int64_t ruleset_id, const char *time, int64_t us,
		       const char *kind);
struct nl_dump_info {
	int64_t id;
	char path[1024], kind[24], host[128], time[48], time_kind[16];
	int64_t time_us;		/* -1 when not known */
	int family;
};
/* The line of the "iptables-legacy tables present" warning iptables-nft
 * printed in the file of dump ruleset_id, 0 when there is none, -1 on
 * failure. */
long store_dump_legacy_line(struct nl_store *s, int64_t ruleset_id);
/* 1 when the trace of a packet other than packet_id contradicts the
 * dump, 0 when none does, -1 on failure. */
int store_dump_contradicted(struct nl_store *s, int64_t ruleset_id, int64_t packet_id);
/* Notes that a traced step of host/family in table:chain did not match
 * the dump it was read with; table NULL: every chain of every host. */
int store_doubt_add(struct nl_store *s, const char *host, int family, const char *table,
		    const char *chain);
/* 1 when a traced step of host/family in one of the chains of keys
 * ("\ntable:chain\n...") ever mismatched its dump, or natlog cannot
 * tell (an older store, packets not analysed yet); 0 when none did; -1. */
int store_doubted(struct nl_store *s, const char *host, int family, const char *keys);
/* Packets whose dump only the order chose, when another packet's trace
 * has since contradicted that dump, are marked for analysis again: how
 * many, or -1 on failure. */
int store_dumps_retie(struct nl_store *s);
/* 1 and d filled, 0 when there is no such ruleset, -1 on failure. */
int store_dump_info(struct nl_store *s, int64_t ruleset_id, struct nl_dump_info *d);
/* The ruleset-change notices of the source named file after line, in
 * order; cb returns nonzero to stop. */
int store_changes_after(struct nl_store *s, const char *file, long line,
			int (*cb)(void *, long line, const char *text), void *ctx);

/* Merging stores (natlog merge). */
struct nl_merge_stats {
	int64_t sources, already;	/* sources copied, and those this store had */
	int64_t packets, events, rulesets, flows, errors;
	int64_t renamed;		/* packets whose trace id was taken here, numbered on */
	int64_t dropped;		/* kernel lines another file of the host brought here before */
	int64_t dups;			/* such lines kept twice: their packet was only partly here */
};
/* 0 when the file at path is a natlog store of this natlog's schema or an
 * older one (its version into *version), and not the store target names;
 * else -1 with err saying why. Reads only. */
int store_merge_check(const char *path, const char *target, int *version, struct nl_err *err);
/* Copies into s, in one transaction, the sources of the store at path
 * that s lacks (by content and host) and every row that points at them,
 * and marks for analysis the packets copied and those the copied dumps
 * and captures concern. An older store is upgraded in a temporary copy.
 * 0; -1 with store_errmsg(s); -2 with err (the input could not be read). */
int store_merge(struct nl_store *s, const char *path, int version, struct nl_merge_stats *st,
		struct nl_err *err);

/* A scratch map for a command whose lookups would otherwise grow with the
 * store: text keys, and integer ids, to numbers (an unset key reads -1), in
 * a private temporary database on disk deleted on close. The calls return
 * -1 on a failure; add 1 when the key is new; get 1 when the key is there;
 * set 1 when a value changed (only_unset: only a key without one). */
struct nl_scratch;
int store_scratch_open(struct nl_scratch **out);
void store_scratch_close(struct nl_scratch *m);
int store_scratch_add(struct nl_scratch *m, const char *key);
int store_scratch_get(struct nl_scratch *m, const char *key, int64_t *val);
int store_scratch_set(struct nl_scratch *m, const char *key, int64_t val, int only_unset);
int store_scratch_put_id(struct nl_scratch *m, int64_t id, int64_t val);
int store_scratch_get_id(struct nl_scratch *m, int64_t id, int64_t *val);
/* Numbered rows of three numbers (an item's place in an output order,
 * say): put 0 (row n replaced), get 1 and its numbers or 0 when there is
 * none; the sorted walk gives one row a call, by v[0] with those below 0
 * last, then by v[1], 1 a row, 0 at the end (the next call starts again).
 * -1 a failure. */
int store_scratch_row_put(struct nl_scratch *m, int64_t n, const int64_t v[3]);
int store_scratch_row_get(struct nl_scratch *m, int64_t n, int64_t v[3]);
int store_scratch_rows_sorted(struct nl_scratch *m, int64_t v[3]);

#endif
