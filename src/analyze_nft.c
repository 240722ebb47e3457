/*
 * analyze_nft.c - explains a packet followed by `nft monitor trace`: maps
 * each traced rule to the dumped ruleset (by handle, else by its text),
 * takes the printed verdicts, and when a packet is dropped after a set
 * lookup that did not match, computes the lookup key from the packet as
 * it was at that hook and looks it up in the dumped set.
 */
#include "natlog.h"
#include "analyze.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/* "counter packets 3 bytes 180" prints the counts of when the monitor or
 * the dump ran: compare rules without them, and with white space folded. */
static void normalize(const char *in, char *out, size_t n)
{
	size_t o = 0;
	const char *p = in;
	while (*p && o + 1 < n) {
		if (!strncmp(p, "counter packets ", 16)) {
			const char *q = p + 16;
			while (*q >= '0' && *q <= '9')
				q++;
			if (!strncmp(q, " bytes ", 7)) {
				q += 7;
				while (*q >= '0' && *q <= '9')
					q++;
				memcpy(out + o, "counter", o + 7 < n ? 7 : 0);
				o += o + 7 < n ? 7 : 0;
				p = q;
				continue;
			}
		}
		if (*p == ' ' && (o == 0 || out[o - 1] == ' ')) {
			p++;
			continue;
		}
		out[o++] = *p++;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/* The rule of the step, by handle or else by text; *unread: a chain too
 * long to read whole could not tell. */
static const struct nl_vrule *find_rule(const struct nl_rsview *v, const struct nl_chain *ch,
					const struct nl_event *ev, int *unread)
{
	char a[1024], b[1024];
	int i;
	*unread = 0;
	if (ev->handle >= 0)
		return rsview_rule_at(v, ch, 0, ev->handle, unread);
	if (ch->sparse) {
		*unread = 1;
		return NULL;
	}
	normalize(ev->rule, a, sizeof a);
	for (i = 0; i < ch->nrules; i++) {
		normalize(ch->rules[i].text, b, sizeof b);
		if (!strcmp(a, b))
			return &ch->rules[i];
	}
	return NULL;
}

static int is_final(const char *v)
{
	return !strcmp(v, "accept") || !strcmp(v, "drop") || !strcmp(v, "queue") ||
	       !strcmp(v, "stolen");
}

static int nft_nat_step(const struct nl_step *s)
{
	const char *t = s->rule_text ? s->rule_text : s->ev.rule;
	const char *g = s->rule ? s->rule->target : "";	/* nftrules.c's, xt targets too */
	if (!strcmp(g, "dnat") || !strcmp(g, "snat") || !strcmp(g, "masquerade") ||
	    !strcmp(g, "redirect"))
		return 1;
	return nl_nat_stmt(t, "dnat") || nl_nat_stmt(t, "snat") || nl_nat_stmt(t, "masquerade") ||
	       nl_nat_stmt(t, "redirect") || strstr(t, "-j DNAT") || strstr(t, "-j SNAT") ||
	       strstr(t, "-j MASQUERADE") || strstr(t, "-j REDIRECT");
}

/* ---- set lookups ---- */

/* A value of the packet for one selector ("ip daddr", "tcp dport"). */
static int selector_value(const char *proto, const char *field, const struct nl_pkt *p, char *out,
			  size_t n)
{
	if ((!strcmp(proto, "ip") || !strcmp(proto, "ip6")) && !strcmp(field, "saddr") && p->src[0])
		return snprintf(out, n, "%s", p->src), 0;
	if ((!strcmp(proto, "ip") || !strcmp(proto, "ip6")) && !strcmp(field, "daddr") && p->dst[0])
		return snprintf(out, n, "%s", p->dst), 0;
	if ((!strcmp(proto, "tcp") || !strcmp(proto, "udp") || !strcmp(proto, "th") ||
	     !strcmp(proto, "sctp")) && !strcmp(field, "dport") && p->dport >= 0)
		return snprintf(out, n, "%d", p->dport), 0;
	if ((!strcmp(proto, "tcp") || !strcmp(proto, "udp") || !strcmp(proto, "th") ||
	     !strcmp(proto, "sctp")) && !strcmp(field, "sport") && p->sport >= 0)
		return snprintf(out, n, "%d", p->sport), 0;
	if (!strcmp(proto, "meta") && !strcmp(field, "l4proto") && nl_proto_name(p->proto))
		return snprintf(out, n, "%s", nl_proto_name(p->proto)), 0;
	if (!strcmp(proto, "ip") && !strcmp(field, "protocol") && nl_proto_name(p->proto))
		return snprintf(out, n, "%s", nl_proto_name(p->proto)), 0;
	/* element keys are stored without nft's quotes */
	if (!strcmp(field, "iifname") && p->iif[0])
		return snprintf(out, n, "%s", p->iif), 0;
	if (!strcmp(field, "oifname") && p->oif[0])
		return snprintf(out, n, "%s", p->oif), 0;
	return -1;
}

static long port_of(const char *s)
{
	return nl_port_number(s, strlen(s));
}

static int addr_cmp(const char *a, const char *b, int *res)
{
	unsigned char x[16], y[16];
	int af = strchr(a, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(af, a, x) != 1 || inet_pton(af, b, y) != 1)
		return -1;
	*res = memcmp(x, y, af == AF_INET ? 4 : 16);
	return 0;
}

/* Does one component of an element ("10.0.0.0/8", "80-90", "22", "\"eth0\"")
 * hold the value? */
static int component_holds(const char *comp, const char *val)
{
	const char *dash = strchr(comp, '-');
	char lo[64], hi[64];
	long pv;
	int c1, c2;
	if (strchr(comp, '/'))
		return nl_addr_in_prefix(val, comp) == 1;
	if (dash && dash != comp) {
		nl_strlcpyn(lo, comp, (size_t)(dash - comp), sizeof lo);
		nl_strlcpy(hi, dash + 1, sizeof hi);
		pv = port_of(val);
		if (pv >= 0 && port_of(lo) >= 0 && port_of(hi) >= 0)
			return pv >= port_of(lo) && pv <= port_of(hi);
		if (addr_cmp(lo, val, &c1) == 0 && addr_cmp(val, hi, &c2) == 0)
			return c1 <= 0 && c2 <= 0;
	}
	pv = port_of(val);
	if (pv >= 0 && port_of(comp) >= 0)
		return pv == port_of(comp);
	if (addr_cmp(comp, val, &c1) == 0)
		return c1 == 0;
	return !strcmp(comp, val);
}

static int element_holds(const char *elem, char vals[][64], int nvals)
{
	char key[512];
	char *tab, *p, *q;
	int i = 0;
	nl_strlcpy(key, elem, sizeof key);
	tab = strchr(key, '\t');
	if (tab)
		*tab = '\0';
	p = key;
	while (p && i < nvals) {
		char *sp;
		q = strstr(p, " . ");
		if (q)
			*q = '\0';
		/* a key never holds a space: words after one are the element's
		 * statements (counter, ct count over 5), not part of its key */
		if ((sp = strchr(p, ' ')) != NULL) {
			*sp = '\0';
			q = NULL;
		}
		if (!component_holds(p, vals[i]))
			return 0;
		i++;
		p = q ? q + 3 : NULL;
	}
	return i == nvals && !p;
}

#define MAXSEL 6

/* Looks at one rule with "<selectors> @set": can the packet's key be in it? */
static void check_lookup(struct nl_analysis *a, const struct nl_rsview *v, const struct nl_chain *ch,
			 const struct nl_vrule *r, const struct nl_pkt *pkt)
{
	char words[64][64];
	char vals[MAXSEL][64], keytext[512];
	int nw = 0, at = -1, i, nsel = 0, j;
	const char *p = r->text;
	const struct nl_set *set;
	size_t used = 0;

	while (*p && nw < 64) {
		const char *b;
		while (*p == ' ')
			p++;
		b = p;
		while (*p && *p != ' ')
			p++;
		if (p > b)
			nl_strlcpyn(words[nw++], b, (size_t)(p - b), sizeof words[0]);
	}
	for (i = 0; i < nw; i++)
		if (words[i][0] == '@') {
			at = i;
			break;
		}
	if (at < 2)
		return;
	i = at - 1;
	if (!strcmp(words[i], "!="))
		return;		/* a negated lookup is not a missing element */
	if (!strcmp(words[i], "=="))
		i--;
	/* selectors right to left: "ip daddr . tcp dport" */
	while (i >= 0 && nsel < MAXSEL) {
		const char *field = words[i], *proto = i > 0 ? words[i - 1] : "";
		char val[64];
		int two = i > 0 && (strcmp(proto, "ip") == 0 || !strcmp(proto, "ip6") ||
				    !strcmp(proto, "tcp") || !strcmp(proto, "udp") ||
				    !strcmp(proto, "th") || !strcmp(proto, "meta") ||
				    !strcmp(proto, "sctp"));
		if (selector_value(two ? proto : "", field, pkt, val, sizeof val)) {
			nl_diag(a, "%s %s %s rule %d looks the packet up in @%s, but natlog cannot compute "
				   "'%s%s%s' from the trace", ch->family, ch->table, ch->name,
				r->position, words[at] + 1, two ? proto : "", two ? " " : "", field);
			return;
		}
		for (j = nsel; j > 0; j--)
			memcpy(vals[j], vals[j - 1], sizeof vals[0]);
		nl_strlcpy(vals[0], val, sizeof vals[0]);
		nsel++;
		i -= two ? 2 : 1;
		if (i >= 0 && !strcmp(words[i], "."))
			i--;
		else
			break;
	}
	for (j = 0; j < nsel; j++) {
		int w = snprintf(keytext + used, sizeof keytext - used, "%s%s", j ? " . " : "", vals[j]);
		if (w < 0 || (size_t)w >= sizeof keytext - used)
			break;
		used += (size_t)w;
	}
	set = rsview_find_set(v, ch->ruleset_id, ch->family, ch->table, words[at] + 1);
	if (!set) {
		nl_diag(a, "%s %s %s rule %d looks %s up in @%s, which the dump does not contain",
			ch->family, ch->table, ch->name, r->position, keytext, words[at] + 1);
		return;
	}
	for (j = 0; j < (int)set->nelems; j++)
		if (element_holds(set->elems[j], vals, nsel))
			break;
	if (j == (int)set->nelems) {
		for (j = 0; j < (int)set->nelems; j++)
			if (!strncmp(set->elems[j], "...", 3)) {
				/* a trimmed paste: the missing elements may hold it */
				nl_diag(a, "natlog cannot tell whether %s is in set %s %s %s: the dump's "
					   "element list was cut ('...')", keytext, set->family, set->table,
					set->name);
				return;
			}
		nl_diag(a, "%s is not in set %s %s %s", keytext, set->family, set->table, set->name);
		nl_diag(a, "so rule %d of %s %s %s (%s) did not match; to let the packet through: "
			   "nft add element %s %s %s { %s }", r->position, ch->family, ch->table,
			ch->name, r->text, set->family, set->table, set->name, keytext);
	} else {
		char e[256];
		nl_strlcpy(e, set->elems[j], sizeof e);
		if (strchr(e, '\t'))
			*strchr(e, '\t') = '\0';
		nl_diag(a, "%s is in set %s %s %s (element %s), yet rule %d did not match: another "
			   "match of that rule failed, or the set changed after the trace", keytext,
			set->family, set->table, set->name, e, r->position);
	}
}

/* Whether packets of a trace step's family (and IP version, 0 when not
 * known) pass the base chains of a table of family fam: 1 yes, 0 no, -1
 * natlog cannot tell (bridge, netdev and arp traces). */
static int family_applies(const char *step_fam, int ipver, const char *fam)
{
	int ver;
	if (strcmp(step_fam, "ip") && strcmp(step_fam, "ip6") && strcmp(step_fam, "inet"))
		return -1;
	ver = !strcmp(step_fam, "ip") ? 4 : !strcmp(step_fam, "ip6") ? 6 : ipver;
	if (!strcmp(fam, "inet"))
		return 1;
	if (!strcmp(fam, "ip") || !strcmp(fam, "ip6"))
		return ver == 0 ? -1 : ver == (fam[2] == '6' ? 6 : 4);
	return 0;
}

/* The trace ends with the accept of step d in base chain b, yet base
 * chains of the dump see every packet that chain accepts: why, into buf,
 * and 1; 0 when the accept may be the packet's last. An accept only ends
 * its base chain: the next base chain of the hook runs (by priority),
 * and after prerouting the packet is routed to input or forward. */
static int went_on(const struct nl_rsview *v, const struct nl_step *d, const struct nl_chain *b,
		   char *buf, size_t n)
{
	const struct nl_rsview *r = v->base ? v->base : v;
	int hook = nl_hook_from_name(b->hook), ipver = d->seen.family;
	const struct nl_rstable *in = NULL, *fwd = NULL;
	size_t i;
	int k;
	if (hook < 0)
		return 0;
	for (i = 0; i < r->ntables; i++) {
		const struct nl_rstable *t = &r->tables[i];
		if (t->ruleset_id != b->ruleset_id || t->bases_more ||
		    family_applies(d->ev.nft_family, ipver, t->family) != 1)
			continue;
		for (k = 0; k < t->nbases; k++) {
			if (t->base_hook[k] == hook && t->base_prio[k] > b->prio) {
				snprintf(buf, n, "table %s %s has a base chain at %s with priority %d, "
					 "after %s's %d, which every packet it accepts passes",
					 t->family, t->table, b->hook, t->base_prio[k], b->name, b->prio);
				return 1;
			}
			if (hook == 0 && t->base_hook[k] == 1)
				in = t;
			if (hook == 0 && t->base_hook[k] == 2)
				fwd = t;
		}
	}
	if (!in || !fwd)
		return 0;
	snprintf(buf, n, "a packet that goes on from prerouting passes input (table %s %s) or "
		 "forward (table %s %s), whose base chains would have traced it: it was dropped "
		 "after prerouting outside nftables (no route, rp_filter, forwarding off), or",
		 in->family, in->table, fwd->family, fwd->table);
	return 1;
}

/* Whether an nft rule's statement is a reject ("... reject", "reject with
 * tcp reset"), a word of the rule, not of a comment or a name in it. */
static int rejects(const char *rule)
{
	const char *p = rule, *q = strstr(rule, " comment \"");
	while ((p = strstr(p, "reject")) != NULL && (!q || p < q)) {
		if ((p == rule || p[-1] == ' ') && (p[6] == '\0' || p[6] == ' '))
			return 1;
		p += 6;
	}
	return 0;
}

/* A rule that turns tracing on and decides nothing: "meta nftrace set 1",
 * not "tcp dport ssh nftrace set 1 accept" (RHEL's documented way), whose
 * accept is the packet's verdict at that chain like any other. */
static int only_sets_nftrace(const char *rule)
{
	static const char *const verdicts[] = { " accept", " drop", " reject", " queue", NULL };
	const char *at = strstr(rule, "nftrace set 1");
	size_t i;
	if (!at)
		return 0;
	for (i = 0; verdicts[i]; i++)
		if (strstr(at, verdicts[i]))
			return 0;
	return 1;
}

/* The trace shows one chain, whose rules only turn tracing on: its
 * accept hands the packet to the base chains after it. */
static int only_tracing_chain(const struct nl_analysis *a)
{
	size_t i;
	for (i = 0; i < a->n; i++) {
		const struct nl_event *e = &a->steps[i].ev;
		if (strcmp(e->table, a->steps[0].ev.table) || strcmp(e->chain, a->steps[0].ev.chain) ||
		    strcmp(e->nft_family, a->steps[0].ev.nft_family) ||
		    (!strcmp(e->type, "rule") && !only_sets_nftrace(e->rule)))
			return 0;
	}
	return a->n > 0;
}

/* Why was the packet not accepted before the deciding step? */
static void root_cause(struct nl_analysis *a, const struct nl_rsview *v)
{
	const struct nl_step *d;
	const struct nl_chain *ch;
	int i, upto;

	if (a->decided < 0 || strcmp(a->verdict, "drop") != 0)
		return;
	d = &a->steps[a->decided];
	ch = rsview_find_nft(v, d->ev.nft_family, d->ev.table, d->ev.chain, NULL);
	if (!ch)
		return;
	if (ch->sparse) {
		nl_sparse_diag(a, ch, "look in its rules for the set lookup that dropped the packet");
		return;
	}
	/* a trace's position past the dump's rules: another dump, all of them */
	upto = d->position > 0 && d->position - 1 < ch->nrules ? d->position - 1 : ch->nrules;
	for (i = 0; i < upto; i++)
		if (strchr(ch->rules[i].text, '@'))
			check_lookup(a, v, ch, &ch->rules[i], &d->ev.pkt);
	if (!strcmp(d->ev.type, "policy"))
		nl_diag(a, "no rule of base chain %s %s %s accepted the packet, so its policy drop "
			   "applied", ch->family, ch->table, ch->name);
}

/* A drop after an accept of another base chain: nft's accept ends only
 * the base chain it is in, and a later base chain (of that hook or the
 * next) may still drop the packet. A nat chain's accept is not one:
 * without a dump, a table named nat or a rule with a nat statement. */
static void overruled_accept(struct nl_analysis *a, const struct nl_rsview *v)
{
	const struct nl_step *d, *acc = NULL;
	const char *dbase;
	int j;
	if (a->decided < 0 || strcmp(a->verdict, "drop") != 0)
		return;
	d = &a->steps[a->decided];
	dbase = d->base[0] ? d->base : d->ev.chain;
	for (j = a->decided - 1; j >= 0 && !acc; j--) {
		const struct nl_step *st = &a->steps[j];
		const char *base = st->base[0] ? st->base : st->ev.chain;
		const struct nl_chain *b = rsview_find_nft(v, st->ev.nft_family, st->ev.table,
							   base, NULL);
		int filter = b ? !strcmp(b->type, "filter")
			       : !strstr(st->ev.table, "nat") && !nft_nat_step(st);
		if (filter && !strcmp(st->ev.type, "rule") && !strcmp(st->ev.verdict, "accept") &&
		    !only_sets_nftrace(st->ev.rule) &&
		    (strcmp(base, dbase) || strcmp(st->ev.table, d->ev.table) ||
		     strcmp(st->ev.nft_family, d->ev.nft_family)))
			acc = st;
	}
	if (acc)
		nl_diag(a, "%s %s %s's rule accepted the packet, but an accept ends only its base "
			   "chain (%s); base chain %s %s %s, which the packet went through after it, "
			   "dropped it", acc->ev.nft_family, acc->ev.table, acc->ev.chain,
			acc->base[0] ? acc->base : acc->ev.chain, d->ev.nft_family, d->ev.table, dbase);
}

void analyze_nft(struct nl_analysis *a, const struct nl_rsview *v)
{
	size_t i;
	int lastfinal = -1;

	a->inferred = 0;
	a->decided = -1;
	snprintf(a->verdict, sizeof a->verdict, "unknown");
	if (v->ndumps == 0 && a->n > 0 && a->dump.netns[0])
		nl_diag(a, "no ruleset dump of network namespace %s was imported: rule positions are "
			   "unknown (the host's ruleset is not the one this packet met)", a->dump.netns);
	else if (v->ndumps == 0 && a->n > 0)
		nl_diag(a, "no nft ruleset dump was imported: rule positions are unknown");
	for (i = 0; i < a->n; i++) {
		struct nl_step *st = &a->steps[i];
		const struct nl_event *ev = &st->ev;
		int known = 0;
		const struct nl_chain *ch = rsview_find_nft(v, ev->nft_family, ev->table, ev->chain, &known);
		const struct nl_chain *base = rsview_find_nft(v, ev->nft_family, ev->table,
							      st->base[0] ? st->base : ev->chain, NULL);
		nl_strlcpy(st->effect, ev->verdict, sizeof st->effect);
		/* the kernel traces a reject as a drop; the rule says which */
		if (!strcmp(ev->type, "rule") && !strcmp(ev->verdict, "drop") && rejects(ev->rule))
			nl_strlcpy(st->effect, "reject", sizeof st->effect);
		st->chain = ch;
		st->hook = base && base->hook[0] ? nl_hook_from_name(base->hook) : -1;
		/* iptables-nft's base chains are named after their hooks */
		if (st->hook < 0 && ev->xt)
			st->hook = nl_hook_from_name(st->base[0] ? st->base : ev->chain);
		if (!strcmp(ev->type, "policy")) {
			snprintf(st->policy_text, sizeof st->policy_text, "policy %.32s", ev->verdict);
			st->rule_text = st->policy_text;
			st->chain_policy = 1;
			if (ch)
				st->position = !ch->sparse && ch->nrules > 0 &&
					       ch->rules[ch->nrules - 1].position < 0
					       ? -1	/* a '...' hid rules: the count is unknown */
					       : ch->nrules + 1;
			/* the kernel printed the policy it applied: a dump that
			 * says another is of another time */
			if (ch && ch->policy[0] && strcmp(ch->policy, ev->verdict) != 0) {
				st->mismatch = 1;
				nl_diag(a, "the dump gives %s %s %s policy %s, the trace printed policy "
					   "%s; the dump does not match this trace", ev->nft_family,
					ev->table, ev->chain, ch->policy, ev->verdict);
			}
		} else if (!strcmp(ev->type, "rule")) {
			int unread = 0;
			const struct nl_vrule *r = ch ? find_rule(v, ch, ev, &unread) : NULL;
			char why[256];
			st->rule_text = ev->rule[0] ? ev->rule : NULL;
			/* the rule a handle names now may not be the one that ran */
			if (r && st->seen.src[0] && rule_contradicts(r, &st->seen, why, sizeof why)) {
				st->mismatch = 1;
				st->position = r->position;
				nl_diag(a, "%s %s %s rule with handle %lld (%s) cannot have matched this "
					   "packet: %s; the dump does not match this trace", ev->nft_family,
					ev->table, ev->chain, (long long)ev->handle, r->text, why);
			} else if (r && nl_check_counter(a, v, st, r)) {
				st->rule_text = NULL;
				st->position = r->position;
			} else if (r) {
				st->rule = r;
				/* xtables-monitor prints the rule in iptables syntax: keep it */
				st->rule_text = ev->xt && ev->rule[0] ? ev->rule : r->text;
				st->position = r->position;
			} else if (ch && unread) {
				rsview_sparse_why(ch, why, sizeof why);
				if (ev->handle >= 0)
					nl_diag(a, "the dump's %s: its rule with handle %lld was not read, "
						   "so the step is shown as the trace printed it", why,
						(long long)ev->handle);
				else
					nl_diag(a, "the dump's %s: natlog did not look in it for the rule "
						   "'%s', so the step is shown as the trace printed it", why,
						ev->rule);
			} else if (ch) {
				st->mismatch = 1;
				if (ev->handle >= 0)
					nl_diag(a, "%s %s %s has no rule with handle %lld in the dump; the dump "
						   "does not match this trace", ev->nft_family, ev->table,
						ev->chain, (long long)ev->handle);
				else
					nl_diag(a, "%s %s %s has no rule '%s' in the dump; the dump does not "
						   "match this trace", ev->nft_family, ev->table, ev->chain,
						ev->rule);
			} else if (known) {
				st->mismatch = 1;
				nl_diag(a, "the dump of %s %s has no chain %s; the dump does not match this "
					   "trace", ev->nft_family, ev->table, ev->chain);
			} else if (v->ndumps) {
				nl_diag(a, "no dump covers table %s %s", ev->nft_family, ev->table);
			}
		} else if (strcmp(ev->type, "packet") != 0) {	/* packet: entered, no more */
			st->chain_end = 1;
		} else if (i + 1 < a->n) {
			nl_diag(a, "the trace shows the packet entering %s %s %s (line %ld) and no line "
				   "of what happened there: those lines were cut; it went on, so that "
				   "chain let it pass", ev->nft_family, ev->table, ev->chain, ev->line);
		}
		if (is_final(ev->verdict))
			lastfinal = (int)i;
	}
	nl_find_nat(a, nft_nat_step);
	if (a->n == 0)
		return;
	if (!strcmp(a->steps[a->n - 1].ev.type, "packet")) {
		const struct nl_event *e = &a->steps[a->n - 1].ev;
		nl_diag(a, "the verdict is unknown: the trace ends as the packet enters %s %s %s "
			   "(line %ld), without the line of what happened there: the rest of the "
			   "trace was cut%s", e->nft_family, e->table, e->chain, e->line,
			lastfinal >= 0 ? ", so the verdict before it was not the last" : "");
		return;
	}
	if (!is_final(a->steps[a->n - 1].ev.verdict)) {
		nl_diag(a, "the trace ends without a final verdict (%s): the monitor may have stopped",
			a->steps[a->n - 1].ev.verdict);
		return;
	}
	snprintf(a->verdict, sizeof a->verdict, "%.11s", a->steps[lastfinal].ev.verdict);
	if (!strcmp(a->steps[lastfinal].effect, "reject"))
		snprintf(a->verdict, sizeof a->verdict, "reject");
	if (!strcmp(a->verdict, "stolen"))
		snprintf(a->verdict, sizeof a->verdict, "unknown");
	a->decided = lastfinal;
	if (!strcmp(a->verdict, "accept")) {
		/* the accept of a filter-type base chain at the last hook where one ran */
		int j;
		for (j = lastfinal; j >= 0; j--) {
			const struct nl_step *st = &a->steps[j];
			const struct nl_chain *base = rsview_find_nft(v, st->ev.nft_family, st->ev.table,
								      st->base[0] ? st->base : st->ev.chain,
								      NULL);
			int filter = base ? !strcmp(base->type, "filter")
					  : strstr(st->ev.table, "nat") == NULL;
			if (filter && !strcmp(st->ev.verdict, "accept")) {
				a->decided = j;
				break;
			}
		}
	}
	if (!strcmp(a->verdict, "accept") && lastfinal == (int)a->n - 1) {
		const struct nl_step *d = &a->steps[lastfinal];
		const struct nl_chain *b = rsview_find_nft(v, d->ev.nft_family, d->ev.table,
							   d->base[0] ? d->base : d->ev.chain, NULL);
		char why[512];
		if (b && b->hook[0] && went_on(v, d, b, why, sizeof why)) {
			nl_diag(a, "the verdict is unknown: the trace ends with the accept of %s %s %s "
				   "at %s, yet %s the rest of the trace was cut", d->ev.nft_family,
				d->ev.table, b->name, b->hook, why);
			snprintf(a->verdict, sizeof a->verdict, "unknown");
			a->decided = -1;
		} else if (!b && only_tracing_chain(a)) {
			nl_diag(a, "the verdict is unknown: the trace shows only %s %s %s, whose rules "
				   "turn tracing on; its accept hands the packet to the base chains after "
				   "it, whose lines are missing", d->ev.nft_family, d->ev.table,
				d->ev.chain);
			snprintf(a->verdict, sizeof a->verdict, "unknown");
			a->decided = -1;
		} else if (!b && !v->ndumps) {
			nl_diag(a, "the accept of %s %s %s is the last the trace shows; without a dump "
				   "natlog cannot tell whether base chains after it would have traced the "
				   "packet, so a trace cut there would read the same", d->ev.nft_family,
				d->ev.table, d->ev.chain);
		}
	}
	a->decided_rule_known = a->decided >= 0 && a->steps[a->decided].rule_text != NULL &&
				!a->steps[a->decided].mismatch;
	root_cause(a, v);
	overruled_accept(a, v);
	nl_explain_common(a);
}
