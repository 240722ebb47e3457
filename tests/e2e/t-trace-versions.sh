#!/bin/sh
# Legacy TRACE lines, xtables-monitor --trace and the iptables dumps beside
# them, as people pasted them: quoted in mails, under the prompt that ran
# the command, cut by the tools of the page they were posted on.
. "$(dirname "$0")/lib.sh"
R=$TD/real
use() { export NATLOG_DB="$TMP/$1.db"; }
first() { "$NATLOG" traces --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["trace"])'; }

# netdev 2022 (Pablo Neira Ayuso's reply to kai zhang's TRACE patch): the
# five TRACE lines of an ssh SYN quoted with "> ", each "kernel: [uptime]"
# and cut after IN=. The quote mark is no host name; the one packet goes
# through raw, mangle, filter and security.
use quoted
"$NATLOG" import -q "$R/netdev-2022-trace-security-quoted.txt"
"$NATLOG" explain --json --trace "$(first)" > "$TMP/x.json"
check_json "no host is made of the quote mark; the five tables' policies are the steps" \
	'j["host"] is None and j["time"] == "7018.727278" and [(s["table"], s["chain"], s["type"], s["position"]) for s in j["steps"]] == [("raw", "PREROUTING", "policy", 2), ("mangle", "PREROUTING", "policy", 1), ("mangle", "INPUT", "policy", 1), ("filter", "INPUT", "policy", 1), ("security", "INPUT", "policy", 1)]' < "$TMP/x.json"

# Kubernetes notes (a CentOS 7 node): `sudo iptables-save` under the shell
# prompt that ran it. The prompt is the paste's, not a line of the dump.
use saveprompt
check "iptables-save under its prompt imports without an error" \
	"$NATLOG" import -q "$R/k8s-notes-iptables-save-sudo-prompt.txt"

# Kubernetes notes (flannel SNAT): `iptables-save | grep -i postrouting`
# under its prompt, and the bare prompt after it. grep left lines out, so
# natlog says the dump is filtered rather than that a line is misplaced;
# the closing prompt is no error.
use savegrep
"$NATLOG" import -q "$R/k8s-notes-iptables-save-grep-prompt.txt" 2>/dev/null
"$NATLOG" errors --json > "$TMP/e.json"
check_json "the prompt says the output was piped through another command" \
	'"piped through another command" in j[0]["reason"] and j[0]["line"] == 1' < "$TMP/e.json"
check_json "the bare prompt at the end is no error" \
	'[e["line"] for e in j] == [1, 2, 3, 4, 5, 6, 7]' < "$TMP/e.json"

finish
