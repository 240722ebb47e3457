/*
 * natlog.h - the project header, included first by every file.
 * Normalized records that parsers produce (events, rules) and the small
 * helpers shared by all modules. Third-party headers stay out of here.
 */
#ifndef NATLOG_H
#define NATLOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define NL_VERSION "0.1.0"

/* Exit statuses: part of the command-line contract (design.md). */
enum {
	NL_EXIT_OK = 0,
	NL_EXIT_NOMATCH = 1,
	NL_EXIT_USAGE = 2,
	NL_EXIT_INPUT = 3,
	NL_EXIT_STORE = 4,
};

/* An error message a caller can report with its own location. */
struct nl_err {
	char msg[256];
};
int nl_err_set(struct nl_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* iptables-nft's warning that iptables-legacy tables are present, which the
 * dump or listing does not show ("# Warning: iptables-legacy tables
 * present, use iptables-legacy-save to see them"): an error of the dump,
 * whose rules are not all in it (parsers.c); the analysis looks for it
 * among a dump's errors (dumps.c). */
#define NL_LEGACY_PRESENT "iptables-legacy tables present"
#define NL_LEGACY_MSG "iptables-nft says iptables-legacy tables are present, which this dump does " \
		      "not show: their rules are not in it (import iptables-legacy-save too)"

/* TCP flag bits as stored (tcp_flags column). */
enum {
	NL_TCP_FIN = 1, NL_TCP_SYN = 2, NL_TCP_RST = 4, NL_TCP_PSH = 8,
	NL_TCP_ACK = 16, NL_TCP_URG = 32, NL_TCP_ECE = 64, NL_TCP_CWR = 128,
	NL_TCP_AE = 256,
};

#define NL_IFNAMSIZ 64		/* pcapng names: Windows NPF device names are 50 bytes */
#define NL_ADDRSIZ 48
#define NL_CHAINSIZ 256		/* nft chain names: NFT_CHAIN_MAXNAMELEN (kube-proxy's are long) */
#define NL_LOCSIZ (2 * NL_CHAINSIZ)	/* a step's or rule's place as text, its chain's name in it */

/* Packet header fields as one log line, trace line or capture shows them.
 * Unknown numbers are -1, unknown strings empty. */
struct nl_pkt {
	int family;			/* 4, 6, or 0 unknown */
	char iif[NL_IFNAMSIZ], oif[NL_IFNAMSIZ];
	char physin[NL_IFNAMSIZ], physout[NL_IFNAMSIZ];
	char mac[128];
	char src[NL_ADDRSIZ], dst[NL_ADDRSIZ];	/* canonical inet_ntop form */
	int64_t len;
	int tos, ttl;
	int64_t ip_id;
	char ipflags[16];		/* "DF", "MF", "CE DF", ... */
	int proto;			/* IP protocol number */
	int sport, dport;
	int64_t seq, ack;
	int window;
	int tcp_flags;
	int icmp_type, icmp_code, icmp_id, icmp_seq;
	char inner[256];		/* ICMP error's quoted packet, as printed */
	int64_t mark;
	int64_t uid, gid;
	char extra[256];		/* unknown fields, as printed */
	/* nft monitor trace's `conntrack:` line (nft 1.1.4+), as printed:
	 * "original", "new", "confirmed,dnat-done"; "" and -1 when absent */
	char ct_dir[12], ct_state[48], ct_status[128];
	int64_t ct_id;
};
void nl_pkt_init(struct nl_pkt *p);

enum nl_ev_kind {
	NL_EV_TRACE,		/* legacy TRACE: table:chain:type:N */
	NL_EV_LOG,		/* LOG target / nft log */
	NL_EV_CTINVALID,	/* nf_ct_proto_N: reason */
	NL_EV_NFTRACE,		/* nft monitor trace rule, verdict or policy line */
	NL_EV_NFPACKET,		/* nft monitor trace packet: line (headers at a base chain) */
	NL_EV_WIRE,		/* a packet in a capture (pcap, pcapng) */
};
const char *nl_ev_kind_name(enum nl_ev_kind k);

/* One netfilter line from a kernel log, after the envelope was read. */
struct nl_event {
	enum nl_ev_kind kind;
	long line;			/* 1-based line number in its source */
	char host[128];
	char time[48];			/* the line's time as printed */
	double uptime;			/* kernel seconds since boot, or -1 */
	int64_t wall_us;		/* epoch microseconds when known, or -1 */
	char table[32];
	char chain[NL_CHAINSIZ];
	char type[8];			/* rule, return, policy */
	int rulenum;
	char prefix[160];		/* LOG prefix as printed */
	char reason[200];		/* conntrack invalid reason */
	/* nft monitor trace */
	char trace_id[16];		/* "9c01f8d2" */
	char nft_family[8];		/* ip ip6 inet bridge netdev arp */
	char rule[1024];		/* rule text as the trace prints it */
	int64_t handle;			/* -1 when not printed */
	char verdict[NL_CHAINSIZ + 16];	/* accept, drop, continue, jump x, ... */
	int xt;				/* from xtables-monitor (iptables-nft) */
	/* nft and xtables traces only: the network namespace the monitor ran in (set by
	 * the import from the section or path), "" for the host's */
	char netns[128];
	struct nl_pkt pkt;
	const char *raw;		/* the whole input line, valid during the callback */
	size_t rawlen;
	const char *msg;		/* the kernel's message without its envelope, or NULL */
	size_t msglen;
	int64_t fp, fp2;		/* fingerprints for cross-source duplicates, 0 if none */
	int64_t mh;			/* hash of msg (kernel logs), 0 if none */
	int64_t wsec;			/* the wall-clock second as a yearless key, or -1 */
};

/* A rule of a ruleset dump with the matches natlog can check against a
 * packet. Absent matches: empty strings, proto -1, port ranges -1. */
struct nl_rule {
	char family[8];			/* nft: ip ip6 inet arp bridge netdev; "" for iptables */
	char table[32];
	char chain[NL_CHAINSIZ];
	int position;
	int64_t handle;
	char text[1024];
	char target[64];
	char target_arg[NL_CHAINSIZ + 16];
	int is_goto;
	int uncond;
	int proto, proto_neg;
	char src[NL_ADDRSIZ + 4], dst[NL_ADDRSIZ + 4];
	int src_neg, dst_neg;
	char iif[NL_IFNAMSIZ], oif[NL_IFNAMSIZ];
	int iif_neg, oif_neg;
	int sport_lo, sport_hi, sport_neg;
	int dport_lo, dport_hi, dport_neg;
	int64_t pkts, bytes;
};
void nl_rule_init(struct nl_rule *r);

/* A conntrack entry or event (conntrack -L / -E, /proc/net/nf_conntrack).
 * The original tuple is the packet as first seen; the reply tuple is what
 * the answer looks like, so NAT shows as a reply that is not the mirror. */
struct nl_flow {
	long line;
	char event[12];			/* NEW, UPDATE, DESTROY; "" for a table dump */
	char time[40];			/* -E -o timestamp, as printed; "" when absent */
	int64_t wall_us;		/* that time as epoch microseconds, or -1 */
	int family;			/* 4 or 6 */
	int proto;
	char state[20];			/* ESTABLISHED, SHUTDOWN_ACK_SENT, ...; "" for udp/icmp */
	char osrc[NL_ADDRSIZ], odst[NL_ADDRSIZ];
	int osport, odport;		/* ICMP: type and code go in icmp_* below */
	char rsrc[NL_ADDRSIZ], rdst[NL_ADDRSIZ];
	int rsport, rdport;
	int icmp_type, icmp_code, icmp_id;
	int64_t opackets, obytes, rpackets, rbytes;
	int unreplied;
	/* 1 [ASSURED], 0 not, -1 unknown: [OFFLOAD] or [HW_OFFLOAD] printed
	 * in its place */
	int assured;
	int64_t mark, zone, ct_id;
	char host[128];
	/* the network namespace whose table it is (a listing run with "ip
	 * netns exec NS"), "" for the host's own; or a table no kernel's,
	 * NL_OVS_USERSPACE and its datapath */
	char netns[128];
};
void nl_flow_init(struct nl_flow *f);

/* The netns of Open vSwitch's userspace datapath's own conntrack table
 * ("ovs-userspace/netdev@ovs-netdev"): no namespace's name holds a '/'. */
#define NL_OVS_USERSPACE "ovs-userspace/"
/* That datapath ("netdev@ovs-netdev") when netns is such a table, else NULL. */
const char *nl_ovs_userspace(const char *netns);
/* The netns of an Open vSwitch conntrack dump that names no datapath: OVS
 * then dumps the only one there is, the kernel's (system@) or its own
 * userspace one (netdev@), and which is not known. */
#define NL_OVS_UNKNOWN "ovs-datapath/unknown"
int nl_ovs_unknown(const char *netns);

/* A log line that says evidence was lost (rate-limited kernel, journald
 * or rsyslog lines) or that the kernel itself dropped packets (conntrack
 * table full, SYN flooding). Unknown numbers are -1. */
struct nl_notice {
	long line;
	char kind[16];			/* loss, conntrack-full, expect-full, syn-flood */
	char origin[16];		/* kernel, journald, rsyslog */
	char host[128];
	char time[48];			/* as printed */
	double uptime;			/* kernel seconds since boot, or -1 */
	int64_t wall_us;		/* epoch microseconds when known, or -1 */
	int64_t count;			/* lines lost; -1 when not said */
	int port;			/* syn-flood: the listening port, or -1 */
	char text[256];			/* the message without its envelope */
	/* the network namespace a command that printed it ran in ("ip netns
	 * exec NS conntrack -S"), "" for the host's own and for the kernel's
	 * log, which is one for every namespace */
	char netns[128];
};

/* A chain of a ruleset dump. Strings may be empty when the dump does not say. */
struct nl_chain_info {
	const char *family;		/* nft family; "" for iptables */
	const char *table;
	const char *name;
	const char *type;		/* nft: filter, nat, route */
	const char *hook;		/* nft: prerouting, input, ...; iptables: built-in name */
	int prio;			/* nft priority as a number; 0 when none */
	int has_prio;
	const char *policy;		/* ACCEPT/DROP (iptables), accept/drop (nft), or NULL */
	int builtin;			/* a base chain (nft) or built-in chain (iptables) */
	int64_t handle;			/* nft handle, -1 when not printed */
};

/* A named nft set or map. */
struct nl_set_info {
	const char *family, *table, *name;
	const char *type;		/* "ipv4_addr . inet_service", or "typeof ..." as printed */
	const char *map_type;		/* a map's value type, NULL for a set */
	const char *flags;		/* "interval,timeout", or "" */
	int64_t handle;
};

/* A named object of an nft table other than a chain or set: a flowtable
 * or a stateful object (counter, quota, limit, ct helper, ct timeout, ct
 * expectation, secmark, synproxy, tunnel). */
struct nl_object_info {
	const char *family, *table, *kind, *name;
	const char *spec;		/* text: its lines joined by "; "; JSON: the object */
	int64_t handle;
};

/* One element of a set or map, as nft prints it: components of a
 * concatenation joined by " . ", intervals as "10.0.0.0/8" or "80-90",
 * map values after " : " in `value`. */
struct nl_set_elem {
	const char *family, *table, *set;
	const char *key;
	const char *value;		/* NULL for sets */
};

/* Strict whole-token number parsers (util.c): the token must be all digits. */
int nl_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out);
int nl_parse_hex(const char *s, size_t n, uint64_t max, uint64_t *out);
int nl_parse_decimal(const char *s, size_t n, double *out);

/* Small helpers (util.c). */
int nl_month_index(const char *p, size_t n);	/* "Mar..." -> 2, -1 if no month */
int nl_proto_number(const char *name);	/* "tcp" -> 6, "47" -> 47, -1 */
/* nft's names as numbers, or -1: "ssh" -> 22, "echo-reply" -> 0 (proto 1)
 * or 129 (proto 58), "port-unreachable" -> 3 or 4; digits as they are */
int nl_port_number(const char *s, size_t n);
int nl_icmp_type_number(int proto, const char *s, size_t n);
int nl_icmp_code_number(int proto, const char *s, size_t n);
const char *nl_proto_name(int proto);	/* 6 -> "tcp", NULL if unnamed */
void nl_tcp_flags_str(int flags, char *buf, size_t n);	/* "SYN ACK" */
int nl_addr_canon(const char *in, size_t n, int *family, char *out, size_t outn);
/* 1 if addr is inside "a.b.c.d/len" (or equal to a bare address), 0 if not,
 * -1 when either cannot be read. */
int nl_addr_in_prefix(const char *addr, const char *prefix);
int nl_ifname_match(const char *pattern, const char *name);	/* "eth+" */
uint64_t nl_hash64(const void *data, size_t n, uint64_t h);
uint64_t nl_hash_fast(const void *data, size_t n);
uint64_t nl_mix64(uint64_t h);
/* A kernel line's fingerprint key (ingest.c): t is its kernel time in
 * microseconds (wall 0) or its wall-clock second (wall 1), mh its message
 * hash; never 0. */
int64_t nl_fp_key(int wall, int64_t t, int64_t mh);
/* 1 when the n bytes at v are a value a person blanked out before pasting
 * ("x.x.x.x", "XXX", "<server-ip>", "..."); numeric: a value that has
 * digits when real (an address, a port), so one without any is blanked. */
int nl_redacted(const char *v, size_t vn, int numeric);
#define NL_HASH_INIT 1469598103934665603ULL
size_t nl_strlcpy(char *dst, const char *src, size_t n);
size_t nl_strlcpyn(char *dst, const char *src, size_t srclen, size_t n);
/* 1 when the n bytes at p begin with SQLite's file header. */
int nl_sqlite_head(const void *p, size_t n);
/* Text from input, safe to print on a terminal: control bytes, DEL, C1
 * controls, bidi overrides and invalid UTF-8 become \xNN, valid UTF-8
 * stays. The result lives until eight more calls in the same thread (so a
 * printf may take several); past 8 KiB it is cut and ends in "...". */
const char *nl_esc(const char *s);
const char *nl_escn(const char *s, size_t n);
void nl_fputs_esc(FILE *f, const char *s);	/* the same, whole, however long */

/* Colour and terminal helpers for human output (out.c). */
int nl_use_color(FILE *f);
extern int nl_quiet;

#endif
