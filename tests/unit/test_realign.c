/*
 * test_realign.c - the shift search of realign.c: the mapping of trace
 * positions under an insertion or deletion, a unique best found at the
 * right position, ties between shifts reported as such, and nothing
 * reported when no shift fits.
 */
#include "natlog.h"
#include "realign.h"
#include "unit.h"

/* A made-up chain: the dump's rule at each position is a letter; the
 * trace hit the positions in obs, and its rules were trace[n]. A shift
 * fits when every observed n maps to a dump position with the same letter
 * (or to none, for a deleted rule); the score counts the letters matched. */
struct toy {
	const char *dump;	/* dump[P-1] is the rule at position P */
	const char *trace;	/* trace[n-1] is the rule the trace hit as n */
	const int *obs;
	size_t nobs;
};

static int toy_fit(void *ctx, int k, int d)
{
	const struct toy *t = ctx;
	size_t i, dn = strlen(t->dump);
	int score = 0;
	for (i = 0; i < t->nobs; i++) {
		int n = t->obs[i], P = rl_map(n, k, d);
		if (P == 0)
			continue;
		if (P < 1 || (size_t)P > dn || t->dump[P - 1] != t->trace[n - 1])
			return -1;
		score++;
	}
	return score;
}

static void test_map(void)
{
	CHECK_INT(rl_map(2, 3, 1), 2);		/* before the insertion: unchanged */
	CHECK_INT(rl_map(3, 3, 1), 4);		/* from it on: moved down */
	CHECK_INT(rl_map(7, 3, 2), 9);
	CHECK_INT(rl_map(1, 1, -1), 0);		/* the deleted rule itself */
	CHECK_INT(rl_map(2, 1, -1), 1);
	CHECK_INT(rl_map(3, 2, -2), 0);
	CHECK_INT(rl_map(4, 2, -2), 2);
	CHECK_INT(rl_map(5, 1, 0), 5);
}

static void test_insert_found(void)
{
	/* the trace saw ABCDE; one rule X was inserted at position 3 */
	static const int obs[] = { 1, 2, 3, 4, 5 };
	struct toy t = { "ABXCDE", "ABCDE", obs, 5 };
	struct rl_best b;
	rl_search(obs, 5, toy_fit, &t, &b);
	CHECK_INT(b.status, 1);
	CHECK_INT(b.k_lo, 3);
	CHECK_INT(b.k_hi, 3);
	CHECK_INT(b.d, 1);
	CHECK_INT(b.score, 5);
}

static void test_delete_found(void)
{
	/* the trace saw ABCDE; A was deleted after it: the best keeps the
	 * most steps on dumped rules, so k = 1 over deleting B as well */
	static const int obs[] = { 1, 2, 3, 4, 5 };
	struct toy t = { "BCDE", "ABCDE", obs, 5 };
	struct rl_best b;
	rl_search(obs, 5, toy_fit, &t, &b);
	CHECK_INT(b.status, 1);
	CHECK_INT(b.k_lo, 1);
	CHECK_INT(b.d, -1);
	CHECK_INT(b.score, 4);
}

static void test_position_range(void)
{
	/* only 1, 2 and 5 observed: an insertion at 3, 4 or 5 maps them alike */
	static const int obs[] = { 1, 2, 5 };
	struct toy t = { "ABCDXXE", "ABCDE", obs, 3 };
	struct rl_best b;
	rl_search(obs, 3, toy_fit, &t, &b);
	CHECK_INT(b.status, 1);
	CHECK_INT(b.d, 2);
	CHECK_INT(b.k_lo, 3);
	CHECK_INT(b.k_hi, 5);
}

static void test_tie_and_none(void)
{
	/* the trace hit only its rule 3, an A; the dump has A at 2 and 4 */
	static const int one[] = { 3 };
	struct toy t = { "BACAD", "BBAB", one, 1 };
	static const int obs[] = { 1, 2 };
	struct toy u = { "QRST", "AB", obs, 2 };
	struct rl_best b;
	rl_search(one, 1, toy_fit, &t, &b);
	CHECK_INT(b.status, -1);
	rl_search(obs, 2, toy_fit, &u, &b);
	CHECK_INT(b.status, 0);
}

static void test_beyond_three(void)
{
	/* four rules inserted: no shift of at most three fits */
	static const int obs[] = { 1, 2 };
	struct toy t = { "WXYZAB", "AB", obs, 2 };
	struct rl_best b;
	rl_search(obs, 2, toy_fit, &t, &b);
	CHECK_INT(b.status, 0);
}

int main(void)
{
	test_map();
	test_insert_found();
	test_delete_found();
	test_position_range();
	test_tie_and_none();
	test_beyond_three();
	return unit_report("test_realign");
}
