/*
 * rsevent.c - ruleset changes printed by the monitors, kept as notices of
 * kind "ruleset-change" so that a packet traced before a change can say
 * that a later dump may not show its ruleset. Formats (nftables
 * src/monitor.c, netlink_events_*_cb; iptables xtables-monitor.c):
 *   add rule inet filter forward tcp dport 8080 accept # handle 5
 *   delete rule inet filter forward handle 5
 *   # new generation 3 by process 23584 (nft)
 *    EVENT: -4 -t filter -A NATLOG_LAB -p tcp -m tcp --dport 7 -j ACCEPT
 *   NEWGEN: GENID=5 PID=24229 NAME=iptables-nft
 * and `nft -j monitor`'s {"add": {"rule": {...}}}, kept as the text the
 * same event has in `nft -a monitor` (nftjson.c writes it); and the
 * monitors' word that events were lost, a notice of kind "loss".
 */
#include "natlog.h"
#include "cursor.h"
#include "parser.h"

#include <string.h>

static const char *const verbs[] = { "add ", "delete ", "create ", "replace ", "insert ",
				     "destroy ", "flush ", "reset ", "update ", NULL };
static const char *const objects[] = { "table ", "chain ", "rule ", "set ", "map ", "element ",
				       "flowtable ", "counter ", "quota ", "limit ", "ct ",
				       "secmark ", "synproxy ", "tunnel ", "ruleset", NULL };

static int lit_of(struct nl_cur *c, const char *const *words)
{
	int i;
	for (i = 0; words[i]; i++)
		if (cur_lit(c, words[i]))
			return 1;
	return 0;
}

static void fill(struct nl_notice *no, long line, const char *origin, const char *s, size_t n,
		 int64_t gen)
{
	memset(no, 0, sizeof *no);
	no->line = line;
	nl_strlcpy(no->kind, "ruleset-change", sizeof no->kind);
	nl_strlcpy(no->origin, origin, sizeof no->origin);
	no->uptime = -1;
	no->wall_us = -1;
	no->count = gen;	/* the ruleset generation a commit made, or -1 */
	no->port = -1;
	/* the text is for the reader: a rule longer than it is cut */
	nl_strlcpyn(no->text, s, n, sizeof no->text);
}

/* `nft -j monitor`'s {"add": {"rule": ...}}: the verb and the kind of
 * object at the line's start, as jansson's compact dump prints them. */
static int json_event_start(const char *s, size_t n)
{
	static const char *const jverbs[] = { "{\"add\": {\"", "{\"insert\": {\"",
					      "{\"replace\": {\"", "{\"create\": {\"",
					      "{\"delete\": {\"", "{\"destroy\": {\"", NULL };
	static const char *const jkinds[] = { "table\"", "chain\"", "rule\"", "set\"", "map\"",
					      "element\"", "flowtable\"", "counter\"", "quota\"",
					      "limit\"", "ct helper\"", "ct timeout\"",
					      "ct expectation\"", "secmark\"", "synproxy\"",
					      "tunnel\"", NULL };
	struct nl_cur c = cur_make(s, n);
	return lit_of(&c, jverbs) && lit_of(&c, jkinds) && cur_lit(&c, ": {");
}

/* A monitor's word that the kernel dropped events for want of socket
 * buffer (ENOBUFS): nft monitor goes on after it (nftables src/mnl.c,
 * mnl_nft_event_listener), xtables-monitor stops (iptables
 * xtables-monitor.c, perror() and exit):
 *   # ERROR: We lost some netlink events!
 *   cannot receive from nfnetlink socket: No buffer space available
 * The origin, or NULL when the line is none. */
static const char *monitor_loss(const char *s, size_t n)
{
	static const char nft[] = "# ERROR: We lost some netlink events!",
			  xt[] = "cannot receive from nfnetlink socket: No buffer space available";
	if (n >= sizeof nft - 1 && !memcmp(s, nft, sizeof nft - 1))
		return "nft-monitor";
	if (n >= sizeof xt - 1 && !memcmp(s, xt, sizeof xt - 1))
		return "xtables-monitor";
	return NULL;
}

int nl_rsevent_parse(const char *s, size_t n, long line, struct nl_notice *no,
		     struct nl_err *err)
{
	struct nl_cur c = cur_make(s, n);
	uint64_t gen, pid;
	const struct nl_cur at = c;
	const char *t;
	if ((t = monitor_loss(s, n)) != NULL) {
		fill(no, line, t, s, n, -1);
		nl_strlcpy(no->kind, "loss", sizeof no->kind);	/* no count: not said */
		return 1;
	}
	if (json_event_start(s, n)) {
		/* read as the text `nft -a monitor` prints for the same event */
		char text[2048];
		int rc = nl_nftjson_event(s, n, text, sizeof text, err);
		if (rc > 0)
			fill(no, line, "nft-monitor", text, strlen(text), -1);
		return rc;
	}
	if (cur_lit(&c, "# new generation ")) {
		if (!cur_u64(&c, INT64_MAX, &gen) || !cur_lit(&c, " by process ") ||
		    !cur_u64(&c, INT64_MAX, &pid)) {
			nl_err_set(err, "nft monitor generation line without its number and process");
			return -1;
		}
		fill(no, line, "nft-monitor", s, n, (int64_t)gen);
		return 1;
	}
	if (lit_of(&c, verbs) && lit_of(&c, objects)) {
		fill(no, line, "nft-monitor", s, n, -1);
		return 1;
	}
	c = at;
	cur_spaces(&c);
	t = c.p;
	if (cur_lit(&c, "NEWGEN: ")) {
		if (!cur_lit(&c, "GENID=") || !cur_u64(&c, INT64_MAX, &gen)) {
			nl_err_set(err, "xtables-monitor NEWGEN line without GENID");
			return -1;
		}
		fill(no, line, "xtables-monitor", t, (size_t)(s + n - t), (int64_t)gen);
		return 1;
	}
	if (cur_lit(&c, "EVENT:")) {
		/* xtables-monitor prints an empty EVENT for a change outside
		 * the tables it knows: it is kept all the same */
		fill(no, line, "xtables-monitor", t, (size_t)(s + n - t), -1);
		return 1;
	}
	return 0;
}

int nl_rsevent_probe(const char *s, size_t n)
{
	struct nl_cur c = cur_make(s, n);
	return (lit_of(&c, verbs) && lit_of(&c, objects)) || json_event_start(s, n);
}
