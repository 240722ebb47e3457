/*
 * test_cli.c - the edit distance behind every "did you mean" and the
 * choice of the nearest word: typos find their word, unrelated words none.
 */
#include "natlog.h"
#include "cli.h"
#include "unit.h"

static void test_distance(void)
{
	CHECK_INT(nl_edit_distance("", ""), 0);
	CHECK_INT(nl_edit_distance("drop", "drop"), 0);
	CHECK_INT(nl_edit_distance("", "drop"), 4);
	CHECK_INT(nl_edit_distance("trace", "traces"), 1);	/* a letter left out */
	CHECK_INT(nl_edit_distance("verdit", "verdict"), 1);
	CHECK_INT(nl_edit_distance("explian", "explain"), 1);	/* two swapped: one edit */
	CHECK_INT(nl_edit_distance("dorp", "drop"), 1);
	CHECK_INT(nl_edit_distance("kitten", "sitting"), 3);
	CHECK_INT(nl_edit_distance("abc", "ca"), 3);	/* no edit twice on one letter */
	CHECK(nl_edit_distance("a", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") > 64);
}

static void test_nearest(void)
{
	static const char *const cmds[] = { "import", "summary", "traces", "explain", "invalid",
					    "rules", "sql", "flows", "errors", "sources", "report",
					    "help", NULL };
	static const char *const verdicts[] = { "accept", "drop", "reject", "queue", "unknown",
						NULL };
	CHECK_STR(nl_nearest("trace", cmds), "traces");
	CHECK_STR(nl_nearest("expalin", cmds), "explain");
	CHECK_STR(nl_nearest("sumary", cmds), "summary");
	CHECK_STR(nl_nearest("eror", cmds), "errors");
	CHECK(nl_nearest("frobnicate", cmds) == NULL);
	CHECK(nl_nearest("xyz", cmds) == NULL);	/* "sql" is three edits away */
	CHECK_STR(nl_nearest("acept", verdicts), "accept");
	CHECK_STR(nl_nearest("Drop", verdicts), "drop");
	CHECK(nl_nearest("maybe", verdicts) == NULL);
	CHECK(nl_nearest("anything", (const char *const[]){ NULL }) == NULL);
}

static void test_choices(void)
{
	CHECK_STR(nl_choices("--verdict"), "accept drop reject queue unknown");
	CHECK_STR(nl_choices("--color"), "auto always never");
	CHECK(nl_choices("--host") == NULL);	/* free text */
	CHECK_INT(nl_choice_arg("traces", "--verdict", "drop"), 0);
	CHECK_INT(nl_choice_arg("traces", "--host", "anything"), 0);
	CHECK_INT(nl_choice_arg("traces", "--verdict", "dro"), -1);
	CHECK_INT(nl_choice_arg("traces", "--verdict", ""), -1);
}

int main(void)
{
	test_distance();
	test_nearest();
	test_choices();
	return unit_report("test_cli");
}
