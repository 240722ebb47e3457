/*
 * cmd_summary.c - `natlog summary [--json] [--host H] [--since T] [--until T]`:
 * one screen on a store: inputs and hosts, time span, verdicts, what dropped
 * most, conntrack's invalid reasons, NAT, dumps that do not match, errors, and
 * the commands to run next. Read-only queries through store_sql_params();
 * failed set lookups and steps a dump contradicts come from analysing the
 * dropped and unknown packets again, as explain does (diagnoses are not
 * stored).
 */
#include "natlog.h"
#include "analyze.h"
#include "cli.h"
#include "realign.h"
#include "commands.h"
#include "jsonw.h"
#include "store.h"
#include "table.h"
#include "timespec.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXROWS 8
#define MAXCOLS 12

/* A small query result, values as SQLite prints them (NULL stays NULL). */
struct tab {
	int n, ncol;
	int seen;		/* rows, kept or not */
	int64_t sum;		/* of the second column, over every row, kept or not */
	char *v[MAXROWS][MAXCOLS];
};

struct sum {
	struct nl_store *s;
	const char *params[3];	/* ?1 host, ?2 since, ?3 until (epoch or uptime us) */
	char pw[2048];		/* the packets' WHERE condition */
	int json, failed;
	int width;		/* the terminal's, or 0: whole values */
};

/* The lists: a count and a text, or a count, a rule and its text; on a
 * terminal the text is cut first. */
static const struct nl_tcol count_cols[] = {
	{ NULL, 6, 0, 9, NL_TBL_RIGHT, 0 },
	{ NULL, 0, 16, 1, 0, 2 },
};
static const struct nl_tcol drop_cols[] = {
	{ NULL, 6, 0, 9, NL_TBL_RIGHT, 0 },
	{ NULL, 32, 16, 2, 0, 2 },
	{ NULL, 0, 12, 1, 0, 0 },
};

static void count_row(struct nl_table *t, int64_t n, const char *text)
{
	nl_table_cellf(t, "%lld", (long long)n);
	nl_table_cell(t, text);
	nl_table_row(t);
}

static int collect(void *ctx, int ncol, const char *const *names, const char *const *vals,
		   const int *types)
{
	struct tab *t = ctx;
	int i;
	(void)names;
	(void)types;
	if (ncol > 1 && vals[1])
		t->sum += strtoll(vals[1], NULL, 10);
	t->seen++;
	if (t->n >= MAXROWS)
		return 0;
	t->ncol = ncol < MAXCOLS ? ncol : MAXCOLS;
	for (i = 0; i < t->ncol; i++)
		t->v[t->n][i] = vals[i] ? strdup(vals[i]) : NULL;
	t->n++;
	return 0;
}

static void tab_free(struct tab *t)
{
	int r, c;
	for (r = 0; r < t->n; r++)
		for (c = 0; c < t->ncol; c++)
			free(t->v[r][c]);
	memset(t, 0, sizeof *t);
}

/* Runs sql with "%s" replaced by the packets' condition; t gets the rows. */
static void run(struct sum *S, struct tab *t, const char *fmt)
{
	char sql[8192];
	memset(t, 0, sizeof *t);
	if (S->failed)
		return;
	/* every fmt of this file has two "%s": the packets' condition, twice */
	// cppcheck-suppress wrongPrintfScanfArgNum
	snprintf(sql, sizeof sql, fmt, S->pw, S->pw);
	if (store_sql_params(S->s, sql, S->params, 3, collect, t))
		S->failed = 1;
}

static const char *cell(const struct tab *t, int r, int c)
{
	return r < t->n && c < t->ncol ? t->v[r][c] : NULL;
}

static int64_t num(const struct tab *t, int r, int c)
{
	const char *v = cell(t, r, c);
	return v ? strtoll(v, NULL, 10) : 0;
}

/* Epoch microseconds as local time, as the imports read syslog times. */
static void fmt_wall(char *buf, size_t n, const char *us)
{
	time_t t = (time_t)(strtoll(us, NULL, 10) / 1000000);
	struct tm tm;
	if (!localtime_r(&t, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, n, "?");
}

/* Do the drops listed come from more than one host or namespace? */
static int drops_apart(const struct tab *d)
{
	int r;
	for (r = 1; r < d->n; r++) {
		const char *h0 = cell(d, 0, 10), *h = cell(d, r, 10);
		const char *n0 = cell(d, 0, 11), *n = cell(d, r, 11);
		if (!h0 != !h || (h && strcmp(h0, h)) || !n0 != !n || (n && strcmp(n0, n)))
			return 1;
	}
	return 0;
}

/* where: name the row's host and namespace (the drops are of several) */
static void deciding(char *buf, size_t n, const struct tab *t, int r, int where)
{
	const char *fam = cell(t, r, 0), *tbl = cell(t, r, 1), *pos = cell(t, r, 4),
		   *handle = cell(t, r, 5), *host = cell(t, r, 10), *ns = cell(t, r, 11);
	char at[320] = "";
	if (where)
		snprintf(at, sizeof at, " (%s%s%s)", host ? nl_esc(host) : "host unknown",
			 ns ? ", netns " : "", ns ? nl_esc(ns) : "");
	if (!tbl) {
		snprintf(buf, n, "(no deciding rule known)%s", at);
		return;
	}
	snprintf(buf, n, "%s%s%s:%s:%s%s%s%s", fam && *fam ? fam : "", fam && *fam ? " " : "", tbl,
		 cell(t, r, 2) ? cell(t, r, 2) : "?", cell(t, r, 3) ? cell(t, r, 3) : "?",
		 pos ? ":" : handle ? " #" : "", pos ? pos : handle ? handle : "", at);
}

/* The sections, in the order they print. Lines of a host's sources and
 * conntrack lines are in event_rows: a packet's steps share its first
 * line's source and host, and conntrack lines are never steps (schema 20);
 * a captured frame's host is its capture's (frames, schema 28). */
static const char Q_INPUTS[] =
	"SELECT kind, count(*) FROM sources WHERE ?1 IS NULL OR host = ?1 OR id IN "
	"(SELECT source_id FROM event_rows WHERE host = ?1) OR id IN (SELECT source_id FROM "
	"conntrack WHERE host = ?1) GROUP BY kind ORDER BY 2 DESC, 1";
static const char Q_HOSTS[] =
	"SELECT coalesce(host, '(unknown)'), count(*) FROM packets WHERE %s GROUP BY host "
	"ORDER BY 2 DESC, 1";
static const char Q_VERDICTS[] =
	"SELECT CASE WHEN analyzed = 0 THEN 'not analysed' WHEN coalesce(verdict, '') = '' "
	"THEN 'unknown' ELSE verdict END AS v, count(*) FROM packets WHERE %s GROUP BY v "
	"ORDER BY 2 DESC, 1";
/* SQLite takes a bare column (trace, rule) from the row min() picked */
/* by host and namespace too: rule 3 of one host's FORWARD is not another
 * host's; "%%s" the packets' netns (a store before schema 36 has none) */
static const char Q_DROPS[] =
	"SELECT coalesce(decided_family, ''), decided_table, decided_chain, decided_type, "
	"decided_position, decided_handle, decided_rule, count(*), min(id), trace, host, %s "
	"FROM packets WHERE %%s AND verdict IN ('drop', 'reject') "
	"GROUP BY 1, 2, 3, 4, 5, 6, 11, 12 ORDER BY 8 DESC, 9 LIMIT 5";
static const char Q_INVALID[] =
	"SELECT coalesce(reason, '(no reason printed)'), count(*) FROM event_rows WHERE "
	"kind = 'ct-invalid' AND (?1 IS NULL OR host = ?1) GROUP BY 1 ORDER BY 2 DESC, 1";
/* Lines that say the kernel dropped packets by itself, or log lines were
 * lost: the host's own namespace's (NS_HOST, "%%s" the condition
 * notices_host() puts there). */
static const char Q_NOTICES[] =
	"SELECT kind, count(*), sum(count) FROM notices WHERE (?1 IS NULL OR host = ?1)%s "
	"GROUP BY 1 ORDER BY 1";
/* a step keeps an address only where NAT changed it, else its packet's
 * first line (a whole row) has it; both addresses in one pass over the
 * lines (a pass each took twice as long); conntrack's records are the
 * host's own table's, "%%s" the condition */
static const char Q_NAT[] =
	"WITH pd AS (SELECT id FROM packets WHERE %%s), "
	"n AS (SELECT count(CASE WHEN d THEN 1 END) AS nd, "
	"count(CASE WHEN s THEN 1 END) AS ns FROM (SELECT min(dst) <> max(dst) AS d, "
	"min(src) <> max(src) AS s FROM (SELECT packet_id, src, dst FROM event_rows "
	"WHERE packet_id IN (SELECT id FROM pd) UNION ALL SELECT packet_id, src, dst FROM steps "
	"WHERE packet_id IN (SELECT id FROM pd) AND (dst IS NOT NULL OR src IS NOT NULL)) "
	"GROUP BY packet_id)), "
	"ct AS (SELECT * FROM conntrack WHERE (?1 IS NULL OR host = ?1)%s) "
	"SELECT n.nd, n.ns, "
	"(SELECT count(*) FROM ct), (SELECT count(*) FROM ct WHERE rsrc != odst), "
	"(SELECT count(*) FROM ct WHERE rdst != osrc), "
	/* never answered: [UNREPLIED] in a table dump, or when it was destroyed */
	"(SELECT count(*) FROM ct WHERE unreplied AND (event IS NULL OR event = 'DESTROY')) "
	"FROM n";
/* Each network namespace whose conntrack table was listed, or whose
 * commands printed notices (conntrack -S in it): its records as Q_NAT
 * counts the host's, its conntrack -S lines and drops, its lines saying
 * events were lost, its monitored ruleset changes. "%%s": the notices (an
 * empty table in a store before schema 35). */
static const char Q_NETNS[] =
	"WITH ct AS (SELECT * FROM conntrack WHERE netns IS NOT NULL AND (?1 IS NULL OR host = ?1)), "
	"nt AS (SELECT netns, kind, count FROM %s WHERE netns IS NOT NULL AND "
	"(?1 IS NULL OR host = ?1)), ns AS (SELECT netns FROM ct UNION SELECT netns FROM nt) "
	"SELECT ns.netns, (SELECT count(*) FROM ct WHERE ct.netns = ns.netns), "
	"(SELECT count(*) FROM ct WHERE ct.netns = ns.netns AND rsrc != odst), "
	"(SELECT count(*) FROM ct WHERE ct.netns = ns.netns AND rdst != osrc), "
	"(SELECT count(*) FROM ct WHERE ct.netns = ns.netns AND unreplied AND "
	"(event IS NULL OR event = 'DESTROY')), "
	"(SELECT count(*) FROM nt WHERE nt.netns = ns.netns AND kind = 'ct-stats'), "
	"(SELECT sum(count) FROM nt WHERE nt.netns = ns.netns AND kind = 'ct-stats'), "
	"(SELECT count(*) FROM nt WHERE nt.netns = ns.netns AND kind = 'loss'), "
	"(SELECT sum(count) FROM nt WHERE nt.netns = ns.netns AND kind = 'loss'), "
	"(SELECT count(*) FROM nt WHERE nt.netns = ns.netns AND kind = 'ruleset-change') "
	"FROM ns ORDER BY 1";
static const char Q_DUMPS[] =
	"SELECT (SELECT count(*) FROM rulesets), count(*), min(id), trace FROM packets WHERE %s "
	"AND decided_table IS NOT NULL AND decided_rule IS NULL";
static const char Q_PRINTED[] =
	"SELECT (SELECT time FROM packets WHERE %s AND natlog_yearless(time) IS NOT NULL "
	"ORDER BY natlog_yearless(time) LIMIT 1), (SELECT time FROM packets WHERE %s AND "
	"natlog_yearless(time) IS NOT NULL ORDER BY natlog_yearless(time) DESC LIMIT 1)";
static const char Q_ERRORS[] =
	"SELECT reason, count(*) FROM errors WHERE source_id IN (SELECT id FROM sources WHERE "
	"?1 IS NULL OR host = ?1 OR host IS NULL) GROUP BY reason ORDER BY 2 DESC, 1";

/* What analysing the dropped, rejected and unknown packets again found. */
#define MAXANALYSE 1000
struct lookup {
	char set[160];
	int64_t n;
};
struct deep {
	struct nl_store *s;
	struct nl_rscache rc;
	struct nl_analysis *a;
	int64_t analysed, unanalysed, mismatch;
	int64_t contradicted;	/* drops later evidence contradicts (realign.c) */
	char mismatch_trace[40];
	struct lookup sets[MAXROWS];
	int nsets;
	int failed;
};

struct report {
	struct tab inputs, hosts, span, printed, verdicts, drops, invalid, nat, dumps, errors, left;
	struct tab notices;
	struct tab netns;	/* Q_NETNS: the network namespaces' own */
	int64_t packets, invalid_n, errors_n;
	struct deep d;
};

static void count_lookup(struct deep *d, const char *set)
{
	int i;
	for (i = 0; i < d->nsets; i++)
		if (!strcmp(d->sets[i].set, set)) {
			d->sets[i].n++;
			return;
		}
	if (d->nsets < MAXROWS) {
		nl_strlcpy(d->sets[d->nsets].set, set, sizeof d->sets[0].set);
		d->sets[d->nsets++].n = 1;
	}
}

/* analyze_nft.c's words for a lookup that found nothing */
static void read_diag(struct deep *d, const char *t)
{
	const char *p;
	char set[160];
	size_t k;
	if ((p = strstr(t, " is not in set "))) {
		snprintf(set, sizeof set, "%s", p + 15);
		count_lookup(d, set);
	} else if (strstr(t, "which the dump does not contain") && (p = strstr(t, " up in @"))) {
		for (k = 0; p[8 + k] && p[8 + k] != ',' && k < 100; k++)
			;
		snprintf(set, sizeof set, "@%.*s (not in the dump)", (int)k, p + 8);
		count_lookup(d, set);
	}
}

static int deep_packet(void *ctx, const struct nl_packet_row *p)
{
	struct deep *d = ctx;
	size_t i;
	int bad = 0;
	if (!p->analyzed || (p->verdict[0] && strcmp(p->verdict, "drop") &&
			     strcmp(p->verdict, "reject") && strcmp(p->verdict, "unknown")))
		return 0;
	if (d->analysed >= MAXANALYSE) {
		d->unanalysed++;
		return 0;
	}
	d->analysed++;
	rscache_trim(&d->rc);
	if (analyze_packet(d->s, p, &d->rc, d->a)) {
		analysis_free(d->a);
		d->failed = 1;
		return -1;
	}
	for (i = 0; i < d->a->n; i++)
		bad |= d->a->steps[i].mismatch;
	if (bad && !d->mismatch++)
		nl_strlcpy(d->mismatch_trace, p->trace, sizeof d->mismatch_trace);
	d->contradicted += d->a->rl && d->a->rl->ncontra;
	for (i = 0; i < (size_t)d->a->ndiag; i++)
		read_diag(d, d->a->diag[i]);
	analysis_free(d->a);
	return 0;
}

static int64_t total(const struct tab *t)
{
	return t->sum;
}

/* The next commands, as text lines into next[] (at most 9, each at most 80 bytes). */
/* a command with a whole --host name (hosts are up to 79 bytes) */
enum { NEXT_LEN = 160 };

static int next_steps(const struct report *R, const char *host, char next[][NEXT_LEN])
{
	int k = 0, r;
	char h[80] = "";
	if (host)
		snprintf(h, sizeof h, " --host %s", host);
	if (R->drops.n && cell(&R->drops, 0, 9))
		snprintf(next[k++], NEXT_LEN, "natlog explain --trace %s", cell(&R->drops, 0, 9));
	if (R->drops.n)
		snprintf(next[k++], NEXT_LEN, "natlog traces --verdict drop%s", h);
	if (R->d.mismatch)
		snprintf(next[k++], NEXT_LEN, "natlog explain --trace %s", R->d.mismatch_trace);
	else if (num(&R->dumps, 0, 1) && cell(&R->dumps, 0, 3))
		snprintf(next[k++], NEXT_LEN, "natlog explain --trace %s", cell(&R->dumps, 0, 3));
	for (r = 0; r < R->verdicts.n; r++)
		if (cell(&R->verdicts, r, 0) && !strcmp(cell(&R->verdicts, r, 0), "unknown"))
			snprintf(next[k++], NEXT_LEN, "natlog traces --verdict unknown%s", h);
	if (R->invalid_n)
		snprintf(next[k++], NEXT_LEN, "natlog invalid");
	if (num(&R->nat, 0, 2) || R->netns.n)
		snprintf(next[k++], NEXT_LEN, "natlog flows");
	if (R->errors_n)
		snprintf(next[k++], NEXT_LEN, "natlog errors");
	if (R->packets && !num(&R->dumps, 0, 0))
		snprintf(next[k++], NEXT_LEN, "natlog import iptables-save.txt   (or nft list ruleset)");
	if (!R->packets)
		snprintf(next[k++], NEXT_LEN, "natlog import /var/log/messages   (a log with TRACE lines)");
	return k;
}

/* The notices of a kind: lines, and the lines lost they add up to (-1:
 * none said how many). */
static int64_t notice_lines(const struct report *R, const char *kind, int64_t *count)
{
	int r;
	for (r = 0; r < R->notices.n; r++)
		if (cell(&R->notices, r, 0) && !strcmp(cell(&R->notices, r, 0), kind)) {
			if (count)
				*count = cell(&R->notices, r, 2) ? num(&R->notices, r, 2) : -1;
			return num(&R->notices, r, 1);
		}
	if (count)
		*count = -1;
	return 0;
}

static const struct {
	const char *kind, *words, *key;
} kernel_drops[] = {
	{ "conntrack-full", "conntrack table full", "conntrack_full" },
	{ "expect-full", "expectation table full", "expect_full" },
	{ "syn-flood", "SYN flooding", "syn_flood" },
	{ "helper-drop", "conntrack helper dropped", "helper_drop" },
};

static void print_notices(const struct report *R)
{
	int64_t all = 0, n, lost;
	size_t i;
	const char *sep = "";
	for (i = 0; i < sizeof kernel_drops / sizeof *kernel_drops; i++)
		all += notice_lines(R, kernel_drops[i].kind, NULL);
	if (all) {
		printf("\nkernel:   %lld line%s the kernel dropped packets by itself\n          ",
		       (long long)all, all == 1 ? " says" : "s say");
		for (i = 0; i < sizeof kernel_drops / sizeof *kernel_drops; i++)
			if ((n = notice_lines(R, kernel_drops[i].kind, NULL))) {
				printf("%s%s %lld", sep, kernel_drops[i].words, (long long)n);
				sep = ", ";
			}
		putchar('\n');
	}
	if ((n = notice_lines(R, "loss", &lost))) {
		char counted[48] = "";	/* none when no line said how many */
		if (lost >= 0)
			snprintf(counted, sizeof counted, " (%lld lines counted)", (long long)lost);
		/* a kernel log's, a monitor's or conntrack -E's: lines or events */
		printf("%slost:     %lld line%s lines or events were lost%s\n", all ? "" : "\n",
		       (long long)n, n == 1 ? " says" : "s say", counted);
	}
	if ((n = notice_lines(R, "ct-stats", &lost)))
		printf("%sconntrack: -S says %lld packet%s dropped (drop= on %lld line%s)\n",
		       all || notice_lines(R, "loss", NULL) ? "" : "\n", (long long)(lost > 0 ? lost : 0),
		       lost == 1 ? "" : "s", (long long)n, n == 1 ? "" : "s");
	if ((n = notice_lines(R, "ruleset-change", NULL)))
		printf("%schanges:  %lld ruleset change%s monitored (nft monitor, xtables-monitor -e)\n",
		       all || notice_lines(R, "loss", NULL) || notice_lines(R, "ct-stats", NULL) ? "" : "\n",
		       (long long)n, n == 1 ? "" : "s");
}

/* Each network namespace's own conntrack records and notices, apart
 * from the host's: a line each that says something. */
static void print_netns(const struct report *R)
{
	const struct tab *t = &R->netns;
	const char *label = "netns:    ";
	int r;
	for (r = 0; r < t->n; r++) {
		const char *ns = nl_esc(cell(t, r, 0));
		int64_t n;
		if ((n = num(t, r, 1))) {
			printf("%s%s: conntrack: %lld record%s, %lld with DNAT, %lld with SNAT%s%.0lld%s\n",
			       label, ns, (long long)n, n == 1 ? "" : "s", (long long)num(t, r, 2),
			       (long long)num(t, r, 3), num(t, r, 4) ? ", " : "", (long long)num(t, r, 4),
			       num(t, r, 4) ? " never answered" : "");
			label = "          ";
		}
		if ((n = num(t, r, 5))) {
			printf("%s%s: conntrack -S says %lld packet%s dropped (drop= on %lld line%s)\n",
			       label, ns, (long long)num(t, r, 6), num(t, r, 6) == 1 ? "" : "s",
			       (long long)n, n == 1 ? "" : "s");
			label = "          ";
		}
		if ((n = num(t, r, 7))) {
			printf("%s%s: %lld line%s events were lost\n", label, ns, (long long)n,
			       n == 1 ? " says" : "s say");
			label = "          ";
		}
		if ((n = num(t, r, 9))) {
			printf("%s%s: %lld ruleset change%s monitored\n", label, ns, (long long)n,
			       n == 1 ? "" : "s");
			label = "          ";
		}
	}
	if (t->seen > t->n)
		printf("          and %d network namespace%s more\n", t->seen - t->n,
		       t->seen - t->n == 1 ? "" : "s");
}

static void print_text(const struct report *R, const struct sum *S, const char *host)
{
	char buf[256], next[10][NEXT_LEN];
	int r, k, n;
	const char *sep;
	struct nl_table *t;
	printf("inputs:   %lld", (long long)total(&R->inputs));
	for (r = 0, sep = " ("; r < R->inputs.n; r++, sep = ", ")
		printf("%s%lld %s", sep, (long long)num(&R->inputs, r, 1), cell(&R->inputs, r, 0));
	puts(R->inputs.n ? ")" : "");
	printf("hosts:    ");
	for (r = 0, n = 10; r < R->hosts.n && r < 4; r++) {
		snprintf(buf, sizeof buf, "%s%s (%lld)", r ? ", " : "", nl_esc(cell(&R->hosts, r, 0)),
			 (long long)num(&R->hosts, r, 1));
		n += (int)strlen(buf);
		if (n > 78)
			break;
		fputs(buf, stdout);
	}
	puts(R->hosts.n ? (r < R->hosts.n ? ", ..." : "") : "none with traced packets");
	if (cell(&R->span, 0, 0)) {
		char a[32], b[32];
		fmt_wall(a, sizeof a, cell(&R->span, 0, 0));
		fmt_wall(b, sizeof b, cell(&R->span, 0, 1));
		printf("time:     %s .. %s (%lld of %lld packets)\n", a, b,
		       (long long)num(&R->span, 0, 5), (long long)R->packets);
	} else if (cell(&R->printed, 0, 0)) {
		printf("time:     %s .. %s as printed, no year\n", nl_esc(cell(&R->printed, 0, 0)),
		       nl_esc(cell(&R->printed, 0, 1)));
	}
	if (cell(&R->span, 0, 2))
		printf("uptime:   %s .. %s s (%lld of %lld packets)\n", cell(&R->span, 0, 2),
		       cell(&R->span, 0, 3), (long long)num(&R->span, 0, 6), (long long)R->packets);
	printf("packets:  %lld traced", (long long)R->packets);
	for (r = 0, sep = ": "; r < R->verdicts.n; r++, sep = ", ")
		printf("%s%lld %s", sep, (long long)num(&R->verdicts, r, 1), cell(&R->verdicts, r, 0));
	putchar('\n');
	if (R->drops.n) {
		printf("\ndropped most by:\n");
		t = nl_table_new(stdout, drop_cols, 3, S->width);
		for (r = 0; t && r < R->drops.n; r++) {
			deciding(buf, sizeof buf, &R->drops, r, drops_apart(&R->drops));
			nl_table_cellf(t, "%lld", (long long)num(&R->drops, r, 7));
			nl_table_cell(t, buf);
			nl_table_cell(t, cell(&R->drops, r, 6) ? cell(&R->drops, r, 6) :
				      cell(&R->drops, r, 1) ? "(rule not known)" : " ");
			nl_table_row(t);
		}
		nl_table_finish(t);
	}
	if (R->d.nsets) {
		printf("\nset lookups that found nothing:\n");
		t = nl_table_new(stdout, count_cols, 2, S->width);
		for (r = 0; t && r < R->d.nsets; r++)
			count_row(t, R->d.sets[r].n, R->d.sets[r].set);
		nl_table_finish(t);
	}
	if (R->invalid_n) {
		printf("\ninvalid (conntrack): %lld\n", (long long)R->invalid_n);
		t = nl_table_new(stdout, count_cols, 2, S->width);
		for (r = 0; t && r < R->invalid.n && r < 5; r++)
			count_row(t, num(&R->invalid, r, 1), cell(&R->invalid, r, 0));
		nl_table_finish(t);
	}
	print_notices(R);
	printf("\nnat:      %lld traced packets changed destination, %lld source on the way\n",
	       (long long)num(&R->nat, 0, 0), (long long)num(&R->nat, 0, 1));
	if (num(&R->nat, 0, 2))
		printf("          %sconntrack: %lld records, %lld with DNAT, %lld with SNAT%s%.0lld%s\n",
		       R->netns.seen ? "host: " : "", (long long)num(&R->nat, 0, 2),
		       (long long)num(&R->nat, 0, 3), (long long)num(&R->nat, 0, 4),
		       num(&R->nat, 0, 5) ? ", " : "", (long long)num(&R->nat, 0, 5),
		       num(&R->nat, 0, 5) ? " never answered" : "");
	print_netns(R);
	if (!num(&R->dumps, 0, 0))
		printf("dumps:    none imported: rules show as positions without text\n");
	else if (num(&R->dumps, 0, 1))
		printf("dumps:    %lld packet%s decided by a rule no dump has (stale dump?)\n",
		       (long long)num(&R->dumps, 0, 1), num(&R->dumps, 0, 1) == 1 ? "" : "s");
	else
		printf("dumps:    %lld, every deciding rule found in one\n",
		       (long long)num(&R->dumps, 0, 0));
	if (R->d.mismatch)
		printf("          %lld dropped or unknown packet%s the dump contradicts (stale or "
		       "edited?)\n", (long long)R->d.mismatch, R->d.mismatch == 1 ? "" : "s");
	if (R->d.contradicted)
		printf("          %lld of them the dump says were dropped, yet later packets, captures "
		       "or conntrack show them through\n", (long long)R->d.contradicted);
	if (R->d.unanalysed)
		printf("          (lookups and contradictions: the first %d of %lld packets)\n",
		       MAXANALYSE, (long long)R->d.analysed + (long long)R->d.unanalysed);
	printf("errors:   %lld\n", (long long)R->errors_n);
	t = nl_table_new(stdout, count_cols, 2, S->width);
	for (r = 0; t && r < R->errors.n && r < 5; r++)
		count_row(t, num(&R->errors, r, 1), cell(&R->errors, r, 0));
	nl_table_finish(t);
	k = next_steps(R, host, next);
	if (k) {
		printf("\nnext:\n");
		for (r = 0; r < k; r++)
			printf("  %s\n", nl_esc(next[r]));
	}
	(void)S;
}

static void json_rows(FILE *f, const struct tab *t, const char *kname, const char *cname)
{
	int r;
	fputc('[', f);
	for (r = 0; r < t->n; r++) {
		int first = 1;
		fputs(r ? ", {" : "{", f);
		jw_key(f, &first, kname);
		jw_str_always(f, cell(t, r, 0) ? cell(t, r, 0) : "");
		jw_key(f, &first, cname);
		jw_num(f, num(t, r, 1));
		fputc('}', f);
	}
	fputc(']', f);
}

static void json_int_or_null(FILE *f, const char *v)
{
	if (v)
		fprintf(f, "%lld", (long long)strtoll(v, NULL, 10));
	else
		fputs("null", f);
}

/* Q_NETNS's rows as objects: the namespace, its conntrack records as
 * "nat" counts the host's, and its notices as the host's are counted. */
static void json_netns(FILE *f, const struct tab *t)
{
	int r;
	fputc('[', f);
	for (r = 0; r < t->n; r++) {
		int f2 = 1, f3 = 1;
		fputs(r ? ", {" : "{", f);
		jw_key(f, &f2, "netns");
		jw_str_always(f, cell(t, r, 0) ? cell(t, r, 0) : "");
		jw_key(f, &f2, "conntrack_records");
		jw_num(f, num(t, r, 1));
		jw_key(f, &f2, "conntrack_dnat");
		jw_num(f, num(t, r, 2));
		jw_key(f, &f2, "conntrack_snat");
		jw_num(f, num(t, r, 3));
		jw_key(f, &f2, "conntrack_unanswered");
		jw_num(f, num(t, r, 4));
		jw_key(f, &f2, "conntrack_stats");
		fputc('{', f);
		jw_key(f, &f3, "lines");
		jw_num(f, num(t, r, 5));
		jw_key(f, &f3, "drop");
		jw_num(f, num(t, r, 6) > 0 ? num(t, r, 6) : 0);
		fputc('}', f);
		jw_key(f, &f2, "log_losses");
		f3 = 1;
		fputc('{', f);
		jw_key(f, &f3, "notices");
		jw_num(f, num(t, r, 7));
		jw_key(f, &f3, "lines_counted");
		jw_num(f, cell(t, r, 8) ? num(t, r, 8) : -1);
		fputc('}', f);
		jw_key(f, &f2, "ruleset_changes");
		jw_num(f, num(t, r, 9));
		fputc('}', f);
	}
	fputc(']', f);
}

static void print_json(const struct report *R, const char *host)
{
	FILE *f = stdout;
	char next[10][NEXT_LEN];
	int first = 1, r, k;
	fputc('{', f);
	jw_key(f, &first, "inputs");
	json_rows(f, &R->inputs, "kind", "count");
	jw_key(f, &first, "hosts");
	json_rows(f, &R->hosts, "host", "packets");
	jw_key(f, &first, "packets");
	jw_num(f, R->packets);
	jw_key(f, &first, "span");
	{
		int f2 = 1;
		fputc('{', f);
		jw_key(f, &f2, "first_wall_us");
		json_int_or_null(f, cell(&R->span, 0, 0));
		jw_key(f, &f2, "last_wall_us");
		json_int_or_null(f, cell(&R->span, 0, 1));
		jw_key(f, &f2, "first_uptime");
		fputs(cell(&R->span, 0, 2) ? cell(&R->span, 0, 2) : "null", f);
		jw_key(f, &f2, "last_uptime");
		fputs(cell(&R->span, 0, 3) ? cell(&R->span, 0, 3) : "null", f);
		fputc('}', f);
	}
	jw_key(f, &first, "verdicts");
	json_rows(f, &R->verdicts, "verdict", "packets");
	jw_key(f, &first, "dropped_by");
	fputc('[', f);
	for (r = 0; r < R->drops.n; r++) {
		int f2 = 1;
		fputs(r ? ", {" : "{", f);
		jw_key(f, &f2, "family");
		jw_str(f, cell(&R->drops, r, 0));
		jw_key(f, &f2, "table");
		jw_str(f, cell(&R->drops, r, 1));
		jw_key(f, &f2, "chain");
		jw_str(f, cell(&R->drops, r, 2));
		jw_key(f, &f2, "type");
		jw_str(f, cell(&R->drops, r, 3));
		jw_key(f, &f2, "position");
		json_int_or_null(f, cell(&R->drops, r, 4));
		jw_key(f, &f2, "handle");
		json_int_or_null(f, cell(&R->drops, r, 5));
		jw_key(f, &f2, "rule");
		jw_str(f, cell(&R->drops, r, 6));
		jw_key(f, &f2, "packets");
		jw_num(f, num(&R->drops, r, 7));
		jw_key(f, &f2, "example_trace");
		jw_str(f, cell(&R->drops, r, 9));
		jw_key(f, &f2, "host");
		jw_str(f, cell(&R->drops, r, 10));
		jw_key(f, &f2, "netns");
		jw_str(f, cell(&R->drops, r, 11));
		fputc('}', f);
	}
	fputc(']', f);
	jw_key(f, &first, "failed_lookups");
	fputc('[', f);
	for (r = 0; r < R->d.nsets; r++) {
		int f2 = 1;
		fputs(r ? ", {" : "{", f);
		jw_key(f, &f2, "set");
		jw_str_always(f, R->d.sets[r].set);
		jw_key(f, &f2, "packets");
		jw_num(f, R->d.sets[r].n);
		fputc('}', f);
	}
	fputc(']', f);
	jw_key(f, &first, "invalid");
	jw_num(f, R->invalid_n);
	jw_key(f, &first, "invalid_reasons");
	json_rows(f, &R->invalid, "reason", "count");
	jw_key(f, &first, "kernel_drops");
	{
		int f2 = 1;
		size_t i;
		fputc('{', f);
		for (i = 0; i < sizeof kernel_drops / sizeof *kernel_drops; i++) {
			jw_key(f, &f2, kernel_drops[i].key);
			jw_num(f, notice_lines(R, kernel_drops[i].kind, NULL));
		}
		fputc('}', f);
	}
	jw_key(f, &first, "log_losses");
	{
		int f2 = 1;
		int64_t lost;
		fputc('{', f);
		jw_key(f, &f2, "notices");
		jw_num(f, notice_lines(R, "loss", &lost));
		jw_key(f, &f2, "lines_counted");
		jw_num(f, lost);
		fputc('}', f);
	}
	jw_key(f, &first, "conntrack_stats");
	{
		int f2 = 1;
		int64_t drop;
		fputc('{', f);
		jw_key(f, &f2, "lines");
		jw_num(f, notice_lines(R, "ct-stats", &drop));
		jw_key(f, &f2, "drop");
		jw_num(f, drop > 0 ? drop : 0);
		fputc('}', f);
	}
	jw_key(f, &first, "ruleset_changes");
	jw_num(f, notice_lines(R, "ruleset-change", NULL));
	jw_key(f, &first, "nat");
	{
		int f2 = 1;
		fputc('{', f);
		jw_key(f, &f2, "traced_dst_changed");
		jw_num(f, num(&R->nat, 0, 0));
		jw_key(f, &f2, "traced_src_changed");
		jw_num(f, num(&R->nat, 0, 1));
		jw_key(f, &f2, "conntrack_records");
		jw_num(f, num(&R->nat, 0, 2));
		jw_key(f, &f2, "conntrack_dnat");
		jw_num(f, num(&R->nat, 0, 3));
		jw_key(f, &f2, "conntrack_snat");
		jw_num(f, num(&R->nat, 0, 4));
		jw_key(f, &f2, "conntrack_unanswered");
		jw_num(f, num(&R->nat, 0, 5));
		fputc('}', f);
	}
	jw_key(f, &first, "netns");
	json_netns(f, &R->netns);
	jw_key(f, &first, "netns_more");
	jw_num(f, R->netns.seen - R->netns.n);
	jw_key(f, &first, "dumps");
	jw_num(f, num(&R->dumps, 0, 0));
	jw_key(f, &first, "decided_not_in_dump");
	jw_num(f, num(&R->dumps, 0, 1));
	jw_key(f, &first, "dump_contradicted");
	jw_num(f, R->d.mismatch);
	jw_key(f, &first, "evidence_contradicted");
	jw_num(f, R->d.contradicted);
	jw_key(f, &first, "analysed");
	jw_num(f, R->d.analysed);
	jw_key(f, &first, "errors");
	jw_num(f, R->errors_n);
	jw_key(f, &first, "error_reasons");
	json_rows(f, &R->errors, "reason", "count");
	jw_key(f, &first, "next");
	k = next_steps(R, host, next);
	fputc('[', f);
	for (r = 0; r < k; r++) {
		if (r)
			fputs(", ", f);
		jw_str_always(f, next[r]);
	}
	fputs("]}\n", f);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: natlog summary [--json] [--wide] [--host NAME] [--since T] [--until T]\n"
		"\n"
		"One screen on the store: inputs and hosts, time span, packets by verdict,\n"
		"the rules and policies that dropped most, nft set lookups that found\n"
		"nothing, conntrack's invalid reasons, NAT, dumps that lack a deciding rule\n"
		"or contradict a trace, errors by reason, and what to run next. Lookups and\n"
		"contradictions come from analysing the first %d dropped, rejected and\n"
		"unknown packets again, as explain does.\n"
		"Conntrack's records and conntrack -S drops are the host's own table's; each\n"
		"network namespace's (ip netns exec NS) are counted apart.\n"
		"--since and --until choose traced packets (the times as in `natlog traces\n"
		"--help`); --host chooses packets, events, conntrack records and inputs;\n"
		"--wide prints the lists' texts whole on a terminal too.\n"
		"exit status: 0, or 1 when the store holds no input.\n", MAXANALYSE);
}

/* The notices and conntrack records of the host's own namespace, then
 * each namespace's: a store read as it is may predate their netns
 * columns (conntrack's schema 34, notices' 35), and then holds the host's
 * only. */
static void run_netns(struct sum *S, struct report *R)
{
	int v = store_version(S->s);
	char q[4096];
	snprintf(q, sizeof q, Q_NOTICES, v >= 35 ? " AND netns IS NULL" : "");
	run(S, &R->notices, q);
	snprintf(q, sizeof q, Q_NAT, v >= 34 ? " AND netns IS NULL" : "");
	run(S, &R->nat, q);
	memset(&R->netns, 0, sizeof R->netns);
	if (v < 34)
		return;
	snprintf(q, sizeof q, Q_NETNS, v >= 35 ? "notices" : "(SELECT NULL AS netns, NULL AS kind, "
			      "NULL AS count, NULL AS host WHERE 0)");
	run(S, &R->netns, q);
}

int cmd_summary(struct nl_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "wide", no_argument, NULL, 'w' },
		{ "host", required_argument, NULL, 'H' },
		{ "since", required_argument, NULL, 'a' },
		{ "until", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nl_timespec since = { 0, 0, 0 }, until = { 0, 0, 0 };
	struct sum S;
	struct report *R;
	char sus[32] = "", uus[32] = "", span[4096], drops[1024];
	int sc = 0, uc = 0, c, rc, wide = 0;
	int64_t s_us = 0, u_us = 0;
	const char *host = NULL;

	memset(&S, 0, sizeof S);
	while ((c = nl_getopt(argc, argv, "h", opts)) != -1) {
		switch (c) {
		case 'j': S.json = 1; break;
		case 'w': wide = 1; break;
		case 'H': host = optarg; break;
		case 'a':
		case 'b':
			if (nl_time_opt("summary", c == 'a' ? "--since" : "--until", optarg,
					c == 'a' ? &since : &until))
				return NL_EXIT_USAGE;
			break;
		case 'h':
			usage(stdout);
			return NL_EXIT_OK;
		default:
			return NL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "natlog summary: unexpected argument '%s'\n", argv[optind]);
		return NL_EXIT_USAGE;
	}
	S.width = nl_table_width(wide);
	if (!(S.s = cmd_store(cmd)))
		return NL_EXIT_STORE;
	nl_time_bounds("summary", nl_time_needs_year(&since, &until) ? store_latest_wall(S.s) : -1,
		       &since, &until, &sc, &s_us, &uc, &u_us);
	if (sc)
		snprintf(sus, sizeof sus, "%lld", (long long)s_us);
	if (uc)
		snprintf(uus, sizeof uus, "%lld", (long long)u_us);
	S.params[0] = host;
	S.params[1] = sus;
	S.params[2] = uus;
	snprintf(S.pw, sizeof S.pw, "(?1 IS NULL OR packets.host = ?1)%s%s%s%s%s%s",
		 sc ? " AND " : "", sc ? store_packet_clock_sql(sc) : "",
		 sc ? " >= CAST(?2 AS INTEGER)" : "", uc ? " AND " : "",
		 uc ? store_packet_clock_sql(uc) : "", uc ? " <= CAST(?3 AS INTEGER)" : "");
	if (!(R = calloc(1, sizeof *R))) {
		fprintf(stderr, "natlog summary: out of memory\n");
		return NL_EXIT_STORE;
	}
	run(&S, &R->inputs, Q_INPUTS);
	run(&S, &R->hosts, Q_HOSTS);
	snprintf(span, sizeof span,
		 "SELECT min(w), max(w), min(uptime), max(uptime), count(*), count(w), "
		 "count(uptime) FROM (SELECT %s AS w, uptime FROM packets WHERE %%s)",
		 store_packet_clock_sql(1));
	run(&S, &R->span, span);
	run(&S, &R->printed, Q_PRINTED);
	run(&S, &R->verdicts, Q_VERDICTS);
	snprintf(drops, sizeof drops, Q_DROPS, store_version(S.s) >= 36 ? "netns" : "NULL");
	run(&S, &R->drops, drops);
	run(&S, &R->invalid, Q_INVALID);
	run_netns(&S, R);
	run(&S, &R->dumps, Q_DUMPS);
	run(&S, &R->errors, Q_ERRORS);
	if (sc || uc) {
		/* the packets --host keeps that a bound's clock cannot place */
		char q[4096];
		snprintf(q, sizeof q, "SELECT count(*) FROM packets WHERE (?1 IS NULL OR host = ?1) "
				      "AND (%s IS NULL OR %s IS NULL)",
			 store_packet_clock_sql(sc ? sc : uc), store_packet_clock_sql(uc ? uc : sc));
		run(&S, &R->left, q);
	}
	if (!S.failed) {
		struct nl_filter f = { .host = host, .port = -1, .seq = -1, .ip_id = -1, .since_clock = sc,
				       .until_clock = uc, .since_us = s_us, .until_us = u_us };
		R->d.s = S.s;
		if (!(R->d.a = malloc(sizeof *R->d.a)) ||
		    store_packets(S.s, &f, deep_packet, &R->d) < 0)
			S.failed = 1;
		rscache_free(&R->d.rc);
		free(R->d.a);
	}
	if (S.failed) {
		fprintf(stderr, "natlog summary: %s\n", nl_esc(store_errmsg(S.s)));
		rc = NL_EXIT_STORE;
		goto out;
	}
	R->packets = num(&R->span, 0, 4);
	R->invalid_n = total(&R->invalid);
	R->errors_n = total(&R->errors);
	if (S.json)
		print_json(R, host);
	else
		print_text(R, &S, host);
	nl_time_left_out("summary", num(&R->left, 0, 0), sc, uc);
	rc = R->inputs.n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
	if (!R->inputs.n)
		fprintf(stderr, "natlog summary: the store holds no input%s\n",
			host ? " of that host" : "");
out:
	tab_free(&R->inputs);
	tab_free(&R->hosts);
	tab_free(&R->span);
	tab_free(&R->printed);
	tab_free(&R->verdicts);
	tab_free(&R->drops);
	tab_free(&R->invalid);
	tab_free(&R->notices);
	tab_free(&R->netns);
	tab_free(&R->nat);
	tab_free(&R->dumps);
	tab_free(&R->errors);
	tab_free(&R->left);
	free(R);
	return rc;
}
