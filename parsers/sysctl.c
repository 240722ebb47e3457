/*
 * sysctl.c - `sysctl -a` listings (sosreport's sos_commands/kernel/sysctl_-a,
 * procps sysctl.c prints "name = value", tabs between the words of a
 * multi-word value), e.g.
 *   net.ipv4.ip_forward = 0
 *   net.ipv4.conf.eth0.rp_filter = 1
 * and copies of single /proc/sys files (proc/sys/net/ipv4/ip_forward: "0").
 * The values that decide how netfilter and routing treat a packet
 * (ip_forward, rp_filter, nf_log_all_netns, ...) become evidence.
 */
#include "natlog.h"
#include "parser.h"

#include <stdlib.h>
#include <string.h>

struct sysctl {
	const struct nl_sink *sink;
};

static int name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c == '/' || c == '@' || c == ':' || c == '+';
}

/* The length of "name" in "name = value" (a dotted name of at least two
 * parts, starting with a lowercase letter), or 0. */
static size_t name_len(const char *s, size_t n)
{
	size_t i = 0;
	int dots = 0;
	if (n < 5 || s[0] < 'a' || s[0] > 'z')
		return 0;
	while (i < n && name_char(s[i])) {
		dots += s[i] == '.';
		i++;
	}
	if (!dots || s[i - 1] == '.' || i + 2 > n || s[i] != ' ' || s[i + 1] != '=')
		return 0;
	if (i + 2 < n && s[i + 2] != ' ')
		return 0;
	return i < 256 ? i : 0;
}

static int sysctl_probe(const char *s, size_t n)
{
	static const char *const tops[] = { "abi.", "crypto.", "debug.", "dev.", "fs.", "kernel.",
					    "net.", "sunrpc.", "user.", "vm.", NULL };
	int i;
	if (!name_len(s, n))
		return 0;
	for (i = 0; tops[i]; i++)
		if (!strncmp(s, tops[i], strlen(tops[i])))
			return 2;
	return 0;
}

static void *sysctl_open(const struct nl_sink *sink)
{
	struct sysctl *st = calloc(1, sizeof *st);
	if (st)
		st->sink = sink;
	return st;
}

/* A copy of /proc/sys/net/ipv4/ip_forward (sosreport, a bundle's
 * proc/sys/...): the name is the path after "proc/sys/", dotted. */
static int proc_value(const struct nl_sink *k, const char *s, size_t n, long lineno)
{
	const char *p = k->path ? strstr(k->path, "proc/sys/") : NULL;
	char name[256], value[512];
	size_t i;
	if (!p || lineno != 1 || !p[9] || strlen(p + 9) >= sizeof name || n >= sizeof value)
		return 1;
	nl_strlcpy(name, p + 9, sizeof name);
	for (i = 0; name[i]; i++)
		if (name[i] == '/')
			name[i] = '.';
	nl_strlcpyn(value, s, n, sizeof value);
	return k->sysctl(k->ctx, lineno, name, value);
}

static int sysctl_line(void *state, const char *s, size_t n, long lineno)
{
	struct sysctl *st = state;
	const struct nl_sink *k = st->sink;
	char name[256], value[512];
	size_t nl = name_len(s, n), vs;
	int rc;
	if (!nl && k->sysctl && (rc = proc_value(k, s, n, lineno)) <= 0)
		return rc;
	if (!nl || !k->sysctl) {
		/* "sysctl: permission denied on key ..." and the like */
		k->skip(k->ctx, lineno);
		return 0;
	}
	vs = nl + 3 <= n ? nl + 3 : n;
	if (n - vs >= sizeof value)
		return k->error(k->ctx, lineno, "sysctl value longer than 511 bytes", s, n);
	nl_strlcpyn(name, s, nl, sizeof name);
	nl_strlcpyn(value, s + vs, n - vs, sizeof value);
	return k->sysctl(k->ctx, lineno, name, value);
}

static int sysctl_close(void *state)
{
	free(state);
	return 0;
}

static const char *const sysctl_samples[] = {
	"net.ipv4.ip_forward = 0",
	"net.ipv4.conf.all.rp_filter = 1",
	NULL,
};

const struct nl_parser nl_parser_sysctl = {
	.name = "sysctl",
	.probe = sysctl_probe,
	.open = sysctl_open,
	.line = sysctl_line,
	.close = sysctl_close,
	.samples = sysctl_samples,
};
