/*
 * cmd_complete.c - `natlog __complete values NAME | traces [PREFIX]`, a
 * hidden command for completion/natlog.bash: the words the option --NAME
 * takes, one a line (NAME without dashes: --color would be taken as the
 * global option), and the trace ids in the store that start with PREFIX. It is
 * silent and quick: no store, no output, and it never creates one.
 */
#include "natlog.h"
#include "cli.h"
#include "commands.h"
#include "store.h"

#include <string.h>
#include <unistd.h>

static int print_id(void *ctx, int ncol, const char *const *names, const char *const *vals,
		    const int *types)
{
	(void)names;
	(void)types;
	if (ncol > 0 && vals[0])
		puts(vals[0]);
	++*(int *)ctx;
	return 0;
}

static int trace_ids(const char *db, const char *prefix)
{
	/* ids are hex, with ".2" for a reused nft id; '~' sorts after them all */
	static const char q[] = "SELECT trace FROM packets WHERE trace >= ?1 AND trace < ?1 || '~' "
				"ORDER BY trace LIMIT 200";
	const char *params[1] = { prefix };
	struct nl_store *s;
	struct nl_err err;
	int n = 0;
	if (prefix[strspn(prefix, "0123456789abcdef.")] != '\0' || access(db, R_OK) != 0)
		return NL_EXIT_NOMATCH;
	if (store_open(&s, db, NL_STORE_RO, &err))
		return NL_EXIT_NOMATCH;
	if (*prefix ? store_sql_params(s, q, params, 1, print_id, &n)
		    : store_sql(s, "SELECT trace FROM packets ORDER BY trace LIMIT 200", print_id, &n))
		n = 0;
	store_close(s);
	return n ? NL_EXIT_OK : NL_EXIT_NOMATCH;
}

int cmd_complete(struct nl_cmd *c, int argc, char **argv)
{
	const char *v;
	if (argc == 3 && strcmp(argv[1], "values") == 0) {
		char opt[64];
		size_t n;
		snprintf(opt, sizeof opt, "--%s", argv[2]);
		if (!(v = nl_choices(opt)))
			return NL_EXIT_NOMATCH;
		for (; *v; v += n + (v[n] == ' ')) {
			n = strcspn(v, " ");
			printf("%.*s\n", (int)n, v);
		}
		return NL_EXIT_OK;
	}
	if ((argc == 2 || argc == 3) && strcmp(argv[1], "traces") == 0)
		return trace_ids(c->db, argc == 3 ? argv[2] : "");
	return NL_EXIT_USAGE;
}
