# shellcheck shell=bash disable=SC2034 # globals (LAB_R, LAB_SPORT, ...) are read by the scenarios
# lib.sh: common library of the natlog real-kernel lab.
#
# Every tests/lab/scenario-*.sh sources this file, calls `lab_init OUTDIR`,
# builds network namespaces (lab_ns, lab_link, lab_addr, ...), starts the
# recorders (lab_pcap, lab_bg ...), makes its connection attempts, records
# one expected.tsv row per attempt (lab_expect), dumps the rulesets
# (lab_dump_*) and ends with `lab_finish`.
#
# What it guarantees:
#  * namespaces are named nlab-<pid>-<role>; the EXIT/INT/TERM trap deletes
#    only those, and stops only the processes this run started (by pid);
#  * the only root-namespace setting touched is net.netfilter.nf_log_all_netns
#    (set to 1 so namespaced TRACE/LOG lines reach the kernel log).  Runs
#    register in a machine-wide state dir (default /run/natlog-lab) under a
#    flock; the first run saves the old value, the last one restores it;
#  * each concurrent run gets its own "slot" of addresses inside
#    10.77.0.0/16 and fd00:77::/32 (slot s uses 10.77.(16s+k).0/24 and
#    fd00:77:(16s+k)::/64, k = 1..15), so the shared kernel log can be
#    filtered per run;
#  * kernel-log output keeps only lines that carry this run's addresses and
#    were logged after the run started;
#  * every wait is bounded (timeout, loops with a maximum count).

set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_TOOL="$LAB_DIR/labtool.py"
LAB_STATE=${NATLOG_LAB_STATE:-/run/natlog-lab}
LAB_SYSCTL=/proc/sys/net/netfilter/nf_log_all_netns   # also the machine-wide lock file
LAB_RUN="nlab-$$"
LAB_BG_MAX=${NATLOG_LAB_BG_MAX:-300}     # upper bound for every background process (s)

LAB_NS=()            # namespaces created by this run (full names)
LAB_BG_ORDER=()      # background processes started by this run (names)
declare -A LAB_BG=() # name -> pid
LAB_CHECKS=()        # deferred checks: "file<TAB>ERE<TAB>description"
LAB_MON_FILES=" "    # files the monitors write (lab_monitor), blank-separated
LAB_SLOT=""
LAB_REGISTERED=""
LAB_FAIL=0
LAB_OUT=""
LAB_TMP=""
LAB_DEST=""
LAB_T0=0
LAB_V6=0
LAB_PY=""

lab_log() { printf '[%s] %s\n' "${LAB_SCENARIO:-lab}" "$*" >&2; }
lab_die() { lab_log "error: $*"; exit 1; }
lab_fail() { lab_log "FAIL: $*"; LAB_FAIL=1; }

# ------------------------------------------------------------------ setup

_lab_need() {
	local t missing=()
	for t in "$@"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
	[ ${#missing[@]} -eq 0 ] || lab_die "missing tools: ${missing[*]} (see tests/lab/README.md)"
}

_lab_pick_python() {
	local py
	for py in "${NATLOG_LAB_PYTHON:-}" /usr/bin/python3 python3; do
		[ -n "$py" ] || continue
		command -v "$py" >/dev/null 2>&1 || continue
		if "$py" -c 'import scapy' >/dev/null 2>&1; then LAB_PY=$py; return 0; fi
	done
	lab_die "no python3 with scapy (apt-get install python3-scapy)"
}

# lab_init OUTDIR: checks, temp dir, traps, slot, kernel-log recorders.
lab_init() {
	[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
	LAB_SCENARIO=$(basename "$0" .sh)
	LAB_SCENARIO=${LAB_SCENARIO#scenario-}
	[ "$(id -u)" = 0 ] || lab_die "must run as root"
	_lab_need ip iptables-legacy iptables-legacy-save ip6tables-legacy ip6tables-legacy-save \
		iptables-nft iptables-nft-save nft xtables-monitor conntrack tcpdump busybox dmesg \
		unshare setsid flock timeout stdbuf ethtool awk sed grep
	_lab_pick_python
	[ -w "$LAB_SYSCTL" ] || lab_die "$LAB_SYSCTL not writable"

	LAB_DEST=$1
	if [ -d "$LAB_DEST" ] && [ -n "$(ls -A "$LAB_DEST")" ] && [ ! -f "$LAB_DEST/expected.tsv" ]; then
		lab_die "'$LAB_DEST' is not empty and is not a previous lab recording; refusing to overwrite"
	fi
	LAB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/natlog-lab.XXXXXX")
	LAB_OUT=$LAB_TMP/out
	mkdir -p "$LAB_OUT"

	set -E
	trap '_lab_err $? "$BASH_COMMAND" "${BASH_SOURCE[0]##*/}:$LINENO"' ERR
	trap '_lab_signal INT' INT
	trap '_lab_signal TERM' TERM
	trap '_lab_signal HUP' HUP
	trap '_lab_cleanup' EXIT

	_lab_locked _lab_register
	lab_log "run $LAB_RUN, slot $LAB_SLOT ($(lab_net 1).0/24 ... $(lab_net 15).0/24)"
	_lab_build_filter
	printf '# attempt\tfamily\tproto\tsrc\tdst\tdport\tverdict\ttable\tchain\ttype\tposition\tobserved\thandle\tsport\tsource\tip_id\n' \
		>"$LAB_OUT/expected.tsv"
	_lab_kernel_log_start
}

_lab_err() { # status command location: report what set -e is about to exit for
	[ -n "${_LAB_CLEANED:-}" ] && return 0
	lab_log "error: '$2' failed with status $1 at $3"
}

_lab_signal() {
	lab_log "interrupted by SIG$1"
	exit 130
}

# Run "$@" while holding the machine-wide lab lock (flock on the sysctl file).
_lab_locked() {
	local rc=0
	exec {LAB_LOCK_FD}<"$LAB_SYSCTL"
	if ! flock -w 60 "$LAB_LOCK_FD"; then
		exec {LAB_LOCK_FD}<&-
		lab_log "could not get the lab lock within 60 s"
		return 1
	fi
	"$@" || rc=$?
	exec {LAB_LOCK_FD}<&-
	return $rc
}

_lab_starttime() { # pid -> start time in ticks (to detect pid reuse)
	sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'
}

_lab_alive() { # pid starttime
	[ -n "$1" ] && [ -n "$2" ] && [ "$(_lab_starttime "$1")" = "$2" ]
}

_lab_prune_runs() {
	local f pid slot st
	for f in "$LAB_STATE"/runs/*; do
		[ -f "$f" ] || continue
		pid=${f##*/}
		read -r slot st <"$f" || true
		_lab_alive "$pid" "$st" || rm -f "$f"
	done
}

_lab_register() {
	local f s used slot st
	mkdir -p "$LAB_STATE/runs"
	chmod 700 "$LAB_STATE"
	_lab_prune_runs
	if [ -z "$(ls -A "$LAB_STATE/runs")" ] && [ ! -f "$LAB_STATE/nf_log_all_netns.orig" ]; then
		cat "$LAB_SYSCTL" >"$LAB_STATE/nf_log_all_netns.orig"
	fi
	used=" "
	for f in "$LAB_STATE"/runs/*; do
		[ -f "$f" ] || continue
		read -r slot st <"$f" || true
		used+="$slot "
	done
	LAB_SLOT=""
	for s in $(seq 0 14); do
		case "$used" in *" $s "*) ;; *) LAB_SLOT=$s; break ;; esac
	done
	[ -n "$LAB_SLOT" ] || { lab_log "all 15 address slots are in use"; return 1; }
	echo "$LAB_SLOT $(_lab_starttime $$)" >"$LAB_STATE/runs/$$"
	LAB_REGISTERED=1
	echo 1 >"$LAB_SYSCTL"
	_lab_syslog_acquire
}

_lab_unregister() {
	rm -f "$LAB_STATE/runs/$$"
	_lab_prune_runs
	if [ -z "$(ls -A "$LAB_STATE/runs" 2>/dev/null)" ]; then
		_lab_syslog_stop
		if [ -f "$LAB_STATE/nf_log_all_netns.orig" ]; then
			cat "$LAB_STATE/nf_log_all_netns.orig" >"$LAB_SYSCTL"
		fi
		rm -rf "$LAB_STATE"
	fi
}

# --------------------------------------------- shared syslog daemon (busybox)
#
# busybox klogd reads the kernel log with syslog(2) READ, which consumes
# messages from one machine-wide cursor; two klogds would split the lines
# between them.  So all concurrent lab runs share one syslogd+klogd pair,
# started by the first run and stopped by the last (under the lab lock).
# It runs in private mount and UTS namespaces: its /dev/log lives on a
# private tmpfs (the machine's /dev is untouched) and its hostname is
# "natlog-lab".  Each run later extracts its own lines (by address and time).

_lab_syslog_alive() {
	local d=$LAB_STATE/syslog pid st n
	for n in syslogd klogd; do
		[ -f "$d/$n.pid" ] || return 1
		read -r pid st <"$d/$n.pid" || return 1
		_lab_alive "$pid" "$st" || return 1
	done
}

_lab_syslog_acquire() {
	local d=$LAB_STATE/syslog i
	_lab_syslog_alive && return 0
	_lab_syslog_stop
	mkdir -p "$d"
	: >"$d/messages"
	# shellcheck disable=SC2016
	setsid unshare -m -u --propagation private bash -c '
		d=$1
		st() { sed -E "s/^.*\) //" "/proc/$1/stat" | awk "{print \$20}"; }
		hostname natlog-lab
		mount -t tmpfs -o size=64k,mode=755 natlog-lab-dev /dev
		mknod -m 666 /dev/null c 1 3
		busybox syslogd -n -O "$d/messages" &
		echo "$! $(st $!)" >"$d/syslogd.pid.tmp"; mv "$d/syslogd.pid.tmp" "$d/syslogd.pid"
		i=0; while [ ! -S /dev/log ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
		busybox klogd -n &
		echo "$! $(st $!)" >"$d/klogd.pid.tmp"; mv "$d/klogd.pid.tmp" "$d/klogd.pid"
		wait
	' natlog-lab-syslog "$d" </dev/null >"$d/daemon.log" 2>&1 {LAB_LOCK_FD}<&- &
	for i in $(seq 1 50); do
		_lab_syslog_alive && return 0
		sleep 0.1
	done
	lab_log "warning: could not start busybox syslogd/klogd: $(cat "$d/daemon.log" 2>/dev/null)"
	return 0
}

_lab_syslog_stop() {
	local d=$LAB_STATE/syslog n pid st i
	for n in klogd syslogd; do
		[ -f "$d/$n.pid" ] || continue
		read -r pid st <"$d/$n.pid" || continue
		if _lab_alive "$pid" "$st"; then
			kill -TERM "$pid" 2>/dev/null || true
			for i in $(seq 1 30); do _lab_alive "$pid" "$st" || break; sleep 0.1; done
			_lab_alive "$pid" "$st" && kill -KILL "$pid" 2>/dev/null
		fi
		rm -f "$d/$n.pid"
	done
	return 0
}

# ------------------------------------------------------------ addressing

# lab_net K -> "10.77.X" (K = 1..15 within this run's slot)
lab_net() { echo "10.77.$((LAB_SLOT * 16 + $1))"; }
# lab_net6 K -> "fd00:77:X" (hex group)
lab_net6() { printf 'fd00:77:%x' $((LAB_SLOT * 16 + $1)); }

_lab_build_filter() {
	local k v4="" v6=""
	for k in $(seq 1 15); do
		v4+="${v4:+|}$((LAB_SLOT * 16 + k))"
		v6+="${v6:+|}$(printf '%x' $((LAB_SLOT * 16 + k)))"
	done
	# IPv4 dotted quads; IPv6 full (kernel log) and compressed (others) forms.
	LAB_ADDR_ERE="10\\.77\\.($v4)\\.|fd00:0*77:0*($v6):"
}

# ------------------------------------------------------------ namespaces

lab_nsname() { echo "$LAB_RUN-$1"; }

# lab_ns ROLE... : create namespaces. IPv6 is disabled unless LAB_V6=1.
lab_ns() {
	local r n
	for r in "$@"; do
		n=$(lab_nsname "$r")
		ip netns add "$n"
		LAB_NS+=("$n")
		ip -n "$n" link set lo up
		if [ "$LAB_V6" = 1 ]; then
			ip netns exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
				net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.all.accept_ra=0
		else
			ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
		fi
	done
}

# lab_x ROLE CMD... : run CMD in ROLE's namespace (bounded by timeout).
lab_x() {
	local r=$1
	shift
	timeout --foreground -k 2 60 ip netns exec "$(lab_nsname "$r")" "$@"
}

# lab_link ROLE1 IF1 ROLE2 IF2 : veth pair between two namespaces, both up.
lab_link() {
	ip -n "$(lab_nsname "$1")" link add "$2" type veth peer name "$4" netns "$(lab_nsname "$3")"
	ip -n "$(lab_nsname "$1")" link set "$2" up
	ip -n "$(lab_nsname "$3")" link set "$4" up
}

# lab_bridge ROLE BR : a bridge in ROLE, up.
lab_bridge() {
	ip -n "$(lab_nsname "$1")" link add "$2" type bridge
	ip -n "$(lab_nsname "$1")" link set "$2" up
}

# lab_addr ROLE IF CIDR
lab_addr() {
	case "$3" in
	*:*) ip -n "$(lab_nsname "$1")" addr add "$3" dev "$2" nodad ;;
	*) ip -n "$(lab_nsname "$1")" addr add "$3" dev "$2" ;;
	esac
}

# lab_route ROLE ARGS... : ip route add ARGS (family follows the prefix)
lab_route() {
	local r=$1
	shift
	ip -n "$(lab_nsname "$r")" route add "$@"
}

# lab_sysctl ROLE key=value... (inside ROLE's namespace only)
lab_sysctl() {
	local r=$1
	shift
	ip netns exec "$(lab_nsname "$r")" sysctl -qw "$@"
}

# --------------------------------------------------- background processes

# lab_bg NAME ROLE|- OUTFILE CMD... : start CMD (in ROLE's netns, or "-" for
# the root netns) with stdout to OUTFILE, bounded by LAB_BG_MAX seconds.
lab_bg() {
	local name=$1 role=$2 outf=$3
	shift 3
	if [ "$role" = - ]; then
		timeout -k 2 "$LAB_BG_MAX" "$@" >"$outf" 2>"$LAB_TMP/stderr-$name.txt" </dev/null &
	else
		timeout -k 2 "$LAB_BG_MAX" ip netns exec "$(lab_nsname "$role")" "$@" \
			>"$outf" 2>"$LAB_TMP/stderr-$name.txt" </dev/null &
	fi
	LAB_BG[$name]=$!
	LAB_BG_ORDER+=("$name")
}

_lab_wait_gone() { # pid tenths
	local i
	for ((i = 0; i < $2; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$1" 2>/dev/null
}

# lab_stop NAME : SIGINT, then SIGTERM, then SIGKILL; each bounded.
lab_stop() {
	local name=$1 pid
	pid=${LAB_BG[$name]:-}
	[ -n "$pid" ] || return 0
	if kill -0 "$pid" 2>/dev/null; then
		kill -INT "$pid" 2>/dev/null || true
		_lab_wait_gone "$pid" 30 || { kill -TERM "$pid" 2>/dev/null || true; _lab_wait_gone "$pid" 30; } ||
			{ kill -KILL "$pid" 2>/dev/null || true; _lab_wait_gone "$pid" 20; } || true
	fi
	wait "$pid" 2>/dev/null || true
	LAB_BG[$name]=""
}

# lab_wait_file FILE PATTERN TENTHS : wait until FILE contains PATTERN.
lab_wait_file() {
	local i
	for ((i = 0; i < $3; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# lab_server NAME ROLE labtool-args... : start a labtool server and wait
# until its (first) port listens.
lab_server() {
	local name=$1 role=$2 port proto=tcp
	shift 2
	[ "$1" = serve-udp ] && proto=udp
	port=$(printf '%s\n' "$@" | awk 'p{print; exit} /^--port$/{p=1}')
	lab_bg "$name" "$role" "$LAB_TMP/$name.out" "$LAB_PY" "$LAB_TOOL" "$@" --lifetime "$LAB_BG_MAX"
	lab_x "$role" "$LAB_PY" "$LAB_TOOL" wait-port "$port" --proto "$proto" --timeout 10 ||
		lab_die "server $name did not start: $(cat "$LAB_TMP/stderr-$name.txt")"
}

# lab_pcap NAME ROLE IF FILE [nano] : tcpdump -w on IF inside ROLE.
lab_pcap() {
	local name=$1 role=$2 ifc=$3 file=$4 extra=()
	[ "${5:-}" = nano ] && extra=(--time-stamp-precision=nano)
	lab_bg "$name" "$role" /dev/null tcpdump -i "$ifc" -n -U -Z root "${extra[@]}" -w "$LAB_OUT/$file"
	lab_wait_file "$LAB_TMP/stderr-$name.txt" "listening on" 50 ||
		lab_die "tcpdump $name did not start: $(cat "$LAB_TMP/stderr-$name.txt")"
}

# lab_pcapng NAME ROLE IF FILE : dumpcap (pcapng) if installed, else skipped.
lab_pcapng() {
	local name=$1 role=$2 ifc=$3 file=$4
	if ! command -v dumpcap >/dev/null 2>&1; then
		lab_log "note: dumpcap not installed, no $file (apt-get install wireshark-common)"
		return 0
	fi
	lab_bg "$name" "$role" /dev/null dumpcap -q -i "$ifc" -w "$LAB_OUT/$file"
	lab_wait_file "$LAB_TMP/stderr-$name.txt" "Capturing on" 50 ||
		lab_die "dumpcap $name did not start: $(cat "$LAB_TMP/stderr-$name.txt")"
}

# lab_monitor NAME ROLE FILE CMD... : line-buffered monitor into OUT/FILE.
lab_monitor() {
	local name=$1 role=$2 file=$3
	shift 3
	LAB_MON_FILES+="$file "
	lab_bg "$name" "$role" "$LAB_OUT/$file" stdbuf -oL -eL "$@"
}

# lab_ct_events ROLE [FILE] : conntrack -E -o timestamp (default conntrack-E.txt)
lab_ct_events() {
	lab_monitor "ctevents-$1" "$1" "${2:-conntrack-E.txt}" conntrack -E -o timestamp
}

# lab_v6full ADDR : the kernel log's uncompressed IPv6 form
lab_v6full() {
	"$LAB_PY" -c 'import ipaddress, sys; print(ipaddress.ip_address(sys.argv[1]).exploded)' "$1"
}

lab_settle() { sleep "${1:-0.7}"; }

# ------------------------------------------------------------- attempts

# lab_tcp ROLE HOST PORT [TIMEOUT] : TCP connect (+ tiny HTTP request).
# Sets LAB_R (connected|timeout|refused|unreachable|error) and LAB_SPORT.
lab_tcp() {
	local line t=${4:-2.5}
	line=$(timeout --foreground -k 2 "$(awk -v t="$t" 'BEGIN{print int(t)+10}')" ip netns exec "$(lab_nsname "$1")" \
		"$LAB_PY" "$LAB_TOOL" connect "$2" "$3" --timeout "$t") || line="error -"
	read -r LAB_R LAB_SPORT <<<"$line"
}

# lab_udp ROLE HOST PORT [SPORT] : one UDP datagram; LAB_R = replied|refused|no-reply.
lab_udp() {
	local line args=()
	[ -n "${4:-}" ] && args=(--sport "$4")
	line=$(timeout --foreground -k 2 15 ip netns exec "$(lab_nsname "$1")" \
		"$LAB_PY" "$LAB_TOOL" udp "$2" "$3" "${args[@]}") || line="error -"
	read -r LAB_R LAB_SPORT <<<"$line"
}

# lab_ping ROLE HOST ID : ICMP(v6) echo with identifier ID; LAB_R = replied|unreachable|no-reply.
lab_ping() {
	local line
	line=$(timeout --foreground -k 2 15 ip netns exec "$(lab_nsname "$1")" \
		"$LAB_PY" "$LAB_TOOL" ping "$2" --id "$3") || line="error -"
	read -r LAB_R LAB_SPORT <<<"$line"
}

# lab_expect ATTEMPT FAMILY PROTO SRC DST DPORT VERDICT TABLE CHAIN TYPE POS
#            WANT OBSERVED [HANDLE] [SPORT] [SOURCE] [IP_ID]
# Appends one expected.tsv row (with the real OBSERVED) and fails the run
# when OBSERVED differs from WANT (the design).  SOURCE names the recording
# that shows the decision (iptables-trace, nft-trace, xtables-trace; default
# $LAB_SOURCE); IP_ID is the first packet's IP ID when known, else "-".
lab_expect() {
	[ $# -ge 13 ] || lab_die "lab_expect: need 13+ arguments, got $#"
	local want=${12} got=${13} handle=${14:--} sport=${15:--} source=${16:-${LAB_SOURCE:--}} ipid=${17:--}
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}" "${11}" "$got" "$handle" "$sport" "$source" "$ipid" \
		>>"$LAB_OUT/expected.tsv"
	if [ "$want" = "$got" ]; then
		lab_log "attempt $1: $got (as designed)"
	else
		lab_fail "attempt $1 ($3 $4 -> $5:$6): designed '$want', observed '$got'"
	fi
}

# lab_check FILE ERE DESCRIPTION : after recording, FILE must contain a line
# matching ERE (checked by lab_finish).
lab_check() {
	LAB_CHECKS+=("$1"$'\t'"$2"$'\t'"$3")
}

# lab_check_absent FILE ERE DESCRIPTION : FILE must NOT contain ERE.
lab_check_absent() {
	LAB_CHECKS+=("!$1"$'\t'"$2"$'\t'"$3")
}

# lab_check_nft_trace FILE PROTO SPORT "FAMILY TABLE CHAIN" WHAT DESCRIPTION
# After recording: some trace id whose packet: line has "PROTO sport SPORT"
# must also have a line "<FAMILY TABLE CHAIN> WHAT" (WHAT is an ERE such as
# 'rule .* # handle 7 \(verdict drop\)' or 'policy drop').
lab_check_nft_trace() {
	LAB_CHECKS+=("@nft"$'\t'"$1|$2|$3|$4|$5"$'\t'"$6")
}

# lab_check_xt_trace FILE SPORT WHAT DESCRIPTION : the same for
# xtables-monitor --trace output (PACKET: ... SPORT=N, then " TRACE: f id WHAT").
lab_check_xt_trace() {
	LAB_CHECKS+=("@xt"$'\t'"$1|$2|$3"$'\t'"$4")
}

_lab_nft_trace_has() { # file proto sport where what
	awk -v p="$2 sport $3 " -v w="$4 $5" '
		/ packet: / && index($0, p) { ids[$3] = 1; next }
		($3 in ids) { s = $0; sub(/^trace id [0-9a-f]+ /, "", s); if (s ~ ("^" w)) { found = 1; exit } }
		END { exit !found }' "$1"
}

_lab_xt_trace_has() { # file sport what
	awk -v p="SPORT=$2 " -v w="$3" '
		/^PACKET: / && index($0, p) { ids[$3] = 1; next }
		/^ TRACE: / && ($3 in ids) { s = $0; sub(/^ TRACE: [0-9]+ [0-9a-f]+ /, "", s); if (s ~ ("^" w)) { found = 1; exit } }
		END { exit !found }' "$1"
}

# ---------------------------------------------------------------- dumps

lab_dump_legacy() { # ROLE : iptables-legacy dumps
	local r=$1 t
	lab_x "$r" iptables-legacy-save >"$LAB_OUT/iptables-save.txt"
	lab_x "$r" iptables-legacy-save -c >"$LAB_OUT/iptables-save-c.txt"
	for t in $(lab_x "$r" cat /proc/net/ip_tables_names | sort); do
		lab_x "$r" iptables-legacy -w 10 -t "$t" -L -n -v --line-numbers >"$LAB_OUT/iptables-L-$t.txt"
	done
}

lab_dump_legacy6() { # ROLE : ip6tables-legacy dumps
	local r=$1 t
	lab_x "$r" ip6tables-legacy-save >"$LAB_OUT/ip6tables-save.txt"
	lab_x "$r" ip6tables-legacy-save -c >"$LAB_OUT/ip6tables-save-c.txt"
	for t in $(lab_x "$r" cat /proc/net/ip6_tables_names | sort); do
		lab_x "$r" ip6tables-legacy -w 10 -t "$t" -L -n -v --line-numbers >"$LAB_OUT/ip6tables-L-$t.txt"
	done
}

lab_dump_xtnft() { # ROLE : iptables-nft dumps (the nft-backed variant)
	local r=$1 t
	lab_x "$r" iptables-nft-save >"$LAB_OUT/iptables-save.txt" 2>"$LAB_TMP/xtnft-save.err"
	lab_x "$r" iptables-nft-save -c >"$LAB_OUT/iptables-save-c.txt" 2>>"$LAB_TMP/xtnft-save.err"
	for t in raw nat filter; do
		lab_x "$r" iptables-nft -t "$t" -L -n -v --line-numbers >"$LAB_OUT/iptables-L-$t.txt"
	done
}

lab_dump_nft() { # ROLE [SUFFIX] : nft -a list ruleset / nft -j list ruleset
	local r=$1 sfx=${2:-}
	lab_x "$r" nft -a list ruleset >"$LAB_OUT/nft-ruleset$sfx.txt" 2>"$LAB_TMP/nft-list.err"
	lab_x "$r" nft -j list ruleset >"$LAB_OUT/nft-ruleset$sfx.json" 2>>"$LAB_TMP/nft-list.err"
	echo >>"$LAB_OUT/nft-ruleset$sfx.json"
}

# lab_nft_handle ROLE FAMILY TABLE CHAIN POS : handle of the POS-th rule.
lab_nft_handle() {
	lab_x "$1" nft -a list chain "$2" "$3" "$4" 2>/dev/null |
		awk -v n="$5" '/^\t\t[^\t].*# handle [0-9]+$/ { if (++i == n) { print $NF; exit } }'
}

lab_ct_list() { # ROLE [FILE] : conntrack -L -o extended (IPv4, then IPv6 entries)
	local r=$1
	{
		lab_x "$r" conntrack -L -o extended -f ipv4 2>/dev/null
		lab_x "$r" conntrack -L -o extended -f ipv6 2>/dev/null
	} >"$LAB_OUT/${2:-conntrack-L.txt}" || true
}

lab_topology() { # ROLE... : addresses, links and routes per namespace
	local r
	for r in "$@"; do
		echo "### namespace: $r"
		ip -n "$(lab_nsname "$r")" -br link
		ip -n "$(lab_nsname "$r")" -br addr
		ip -n "$(lab_nsname "$r")" route
		if [ "$LAB_V6" = 1 ]; then ip -n "$(lab_nsname "$r")" -6 route | grep -v '^fe80\|^multicast\|^ff00' || true; fi
		echo
	done >"$LAB_OUT/topology.txt"
}

# ------------------------------------------------------------ kernel log

_lab_kernel_log_start() {
	local last
	last=$(dmesg 2>/dev/null | tail -n 1 || true)
	LAB_T0=$(printf '%s\n' "$last" | sed -n 's/^\[ *\([0-9][0-9]*\.[0-9]*\)\].*/\1/p')
	[ -n "$LAB_T0" ] || LAB_T0=0
	lab_bg dmesg-raw - "$LAB_TMP/dmesg.stream" stdbuf -oL dmesg -w
	lab_bg dmesg-T - "$LAB_TMP/dmesg-T.stream" stdbuf -oL dmesg -w -T
}

# Keep stream lines after T0 that carry this run's addresses.
_lab_filter_uptime() { # file -> stdout ; lines "...[ uptime] text"
	awk -v t0="$LAB_T0" -v ere="$LAB_ADDR_ERE" '
		{
			s = $0
			i = index(s, "[")
			if (i == 0) next
			rest = substr(s, i + 1)
			j = index(rest, "]")
			if (j == 0) next
			ts = rest; ts = substr(ts, 1, j - 1); gsub(/ /, "", ts)
			if (ts !~ /^[0-9]+\.[0-9]+$/) next
			if (ts + 0 <= t0 + 0) next
			if (s !~ ere) next
			print
		}' "$1"
}

# Under load a follower may lag behind the kernel: wait (bounded) until
# both have printed the kernel's last line with our addresses.
_lab_kernel_log_drain() {
	local last i
	last=$(dmesg | grep -E -- "$LAB_ADDR_ERE" | tail -n 1 | sed 's/^\[[^]]*\] //')
	[ -n "$last" ] || return 0
	for i in $(seq 1 100); do
		if grep -qF -- "$last" "$LAB_TMP/dmesg.stream" &&
			grep -qF -- "$last" "$LAB_TMP/dmesg-T.stream"; then
			return 0
		fi
		sleep 0.1
	done
}

_lab_kernel_log_collect() {
	local n nt k last i
	_lab_filter_uptime "$LAB_TMP/dmesg.stream" >"$LAB_TMP/dmesg.ours"
	n=$(wc -l <"$LAB_TMP/dmesg.ours")
	# dmesg -T has no sub-second times: take the same records (those with
	# our addresses after the k both followers printed before the
	# scenario: they started together, before it) and check that the
	# texts agree. A line the kernel printed as the followers stopped (an
	# ARP probe of log-dnat) may be in one of them only: both end at the
	# shorter.
	k=$(grep -cE -- "$LAB_ADDR_ERE" "$LAB_TMP/dmesg.stream" || true)
	k=$((k - n))
	grep -E -- "$LAB_ADDR_ERE" "$LAB_TMP/dmesg-T.stream" | tail -n +$((k + 1)) >"$LAB_TMP/dmesg-T.ours" || true
	nt=$(wc -l <"$LAB_TMP/dmesg-T.ours")
	[ "$nt" -lt "$n" ] && n=$nt
	head -n "$n" "$LAB_TMP/dmesg.ours" >"$LAB_OUT/dmesg.txt"
	head -n "$n" "$LAB_TMP/dmesg-T.ours" >"$LAB_OUT/dmesg-T.txt"
	if ! diff <(sed 's/^\[[^]]*\] //' "$LAB_OUT/dmesg.txt") <(sed 's/^\[[^]]*\] //' "$LAB_OUT/dmesg-T.txt") >/dev/null; then
		lab_fail "dmesg -T stream does not match the dmesg stream"
	fi
	# messages: wait (bounded) until syslogd has written our last line.
	if [ -f "$LAB_STATE/syslog/messages" ]; then
		last=$(tail -n 1 "$LAB_OUT/dmesg.txt")
		if [ -n "$last" ]; then
			for i in $(seq 1 50); do
				grep -qF -- "$last" "$LAB_STATE/syslog/messages" && break
				sleep 0.1
			done
		fi
		_lab_filter_uptime "$LAB_STATE/syslog/messages" >"$LAB_OUT/messages"
	else
		lab_fail "no syslog daemon output"
	fi
}

# ----------------------------------------------------------------- finish

_lab_stop_all() {
	local i name
	for ((i = ${#LAB_BG_ORDER[@]} - 1; i >= 0; i--)); do
		name=${LAB_BG_ORDER[$i]}
		case "$name" in dmesg-*) continue ;; esac
		lab_stop "$name"
	done
}

# _lab_run_checks [monitors] : run the deferred checks; with "monitors",
# only the checks that a monitor's file holds a line, quietly, and fail
# (status 1) at the first not yet met.
_lab_run_checks() {
	local c file ere desc neg f1 f2 f3 f4 f5 mon=${1:-}
	for c in "${LAB_CHECKS[@]}"; do
		IFS=$'\t' read -r file ere desc <<<"$c"
		case "$file" in
		@nft)
			IFS='|' read -r f1 f2 f3 f4 f5 <<<"$ere"
			[ -z "$mon" ] || case "$LAB_MON_FILES" in *" $f1 "*) ;; *) continue ;; esac
			if ! _lab_nft_trace_has "$LAB_OUT/$f1" "$f2" "$f3" "$f4" "$f5"; then
				[ -z "$mon" ] || return 1
				lab_fail "$f1: no trace for: $desc"
			fi
			continue ;;
		@xt)
			IFS='|' read -r f1 f2 f3 <<<"$ere"
			[ -z "$mon" ] || case "$LAB_MON_FILES" in *" $f1 "*) ;; *) continue ;; esac
			if ! _lab_xt_trace_has "$LAB_OUT/$f1" "$f2" "$f3"; then
				[ -z "$mon" ] || return 1
				lab_fail "$f1: no trace for: $desc"
			fi
			continue ;;
		esac
		neg=""
		case "$file" in '!'*) neg=1; file=${file#!} ;; esac
		if [ -n "$mon" ]; then
			case "$LAB_MON_FILES" in *" $file "*) ;; *) continue ;; esac
			[ -n "$neg" ] || grep -Eq -- "$ere" "$LAB_OUT/$file" 2>/dev/null || return 1
			continue
		fi
		if [ -n "$neg" ]; then
			if grep -Eq -- "$ere" "$LAB_OUT/$file" 2>/dev/null; then
				lab_fail "$file: unexpected line for: $desc"
			fi
		elif ! grep -Eq -- "$ere" "$LAB_OUT/$file" 2>/dev/null; then
			lab_fail "$file: no line for: $desc (/$ere/)"
		fi
	done
}

# lab_finish : stop recorders, collect the kernel log, run the checks,
# publish OUT to the destination directory, exit 0 (or 1 on any failure).
lab_finish() {
	local i
	lab_settle 1
	# Under load a monitor (conntrack -E, nft monitor trace) may lag
	# behind the kernel: wait (bounded) until what it must hold is there.
	for i in $(seq 1 100); do
		_lab_run_checks monitors && break
		sleep 0.1
	done
	_lab_stop_all
	_lab_kernel_log_drain
	lab_stop dmesg-raw
	lab_stop dmesg-T
	_lab_kernel_log_collect
	# a scenario may define lab_post_checks (runs with the final recordings)
	if declare -F lab_post_checks >/dev/null; then lab_post_checks; fi
	_lab_run_checks
	local f
	for f in "$LAB_OUT"/*; do
		if [ ! -s "$f" ]; then
			lab_log "note: $(basename "$f") is empty, not kept"
			rm -f "$f"
		fi
	done
	if [ "$LAB_FAIL" != 0 ]; then
		if [ "${NATLOG_LAB_KEEP:-0}" = 1 ]; then
			lab_log "recording kept in $LAB_OUT (not published)"
			LAB_TMP_KEEP=1
		fi
		lab_log "FAILED (previous recording in '$LAB_DEST' left as it was)"
		exit 1
	fi
	mkdir -p "$LAB_DEST"
	find "$LAB_DEST" -maxdepth 1 -type f -delete
	cp "$LAB_OUT"/* "$LAB_DEST"/
	chmod 644 "$LAB_DEST"/*
	lab_log "ok: $(ls "$LAB_DEST" | wc -l) files in $LAB_DEST"
	exit 0
}

_lab_cleanup() {
	local rc=$? i n
	[ -n "${_LAB_CLEANED:-}" ] && return 0
	_LAB_CLEANED=1
	trap '' INT TERM HUP
	set +e
	# processes we started, newest first (recorders, servers, dmesg)
	for ((i = ${#LAB_BG_ORDER[@]} - 1; i >= 0; i--)); do
		lab_stop "${LAB_BG_ORDER[$i]}"
	done
	# namespaces we created (and anything still running inside them: only
	# processes of this run can be there)
	for ((i = ${#LAB_NS[@]} - 1; i >= 0; i--)); do
		n=${LAB_NS[$i]}
		for pid in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
		ip netns del "$n" 2>/dev/null || lab_log "warning: could not delete netns $n"
	done
	if [ -n "$LAB_REGISTERED" ]; then
		_lab_locked _lab_unregister || lab_log "warning: could not unregister (lock)"
	fi
	if [ -n "$LAB_TMP" ] && [ -z "${LAB_TMP_KEEP:-}" ]; then rm -rf "$LAB_TMP"; fi
	if ip netns list 2>/dev/null | grep -q "^$LAB_RUN-"; then
		lab_log "warning: namespaces left: $(ip netns list | grep "^$LAB_RUN-" | tr '\n' ' ')"
	fi
	exit "$rc"
}

# ------------------------------------------------- shared scenario pieces

# lab_docker_topology : client "cl" -- eth0 [gw: docker0 bridge] veth -- "ct"
#   cl eth0 NET1.2/24 ; gw eth0 NET1.1/24 ; gw docker0 NET2.1/24 ;
#   gw veth<id> (bridge port) <-> ct eth0 NET2.2/24 (default via NET2.1)
lab_docker_topology() {
	lab_ns cl gw ct
	lab_link cl eth0 gw eth0
	lab_bridge gw docker0
	lab_link gw veth4d1f0a2 ct eth0
	ip -n "$(lab_nsname gw)" link set veth4d1f0a2 master docker0
	lab_addr cl eth0 "$(lab_net 1).2/24"
	lab_addr gw eth0 "$(lab_net 1).1/24"
	lab_addr gw docker0 "$(lab_net 2).1/24"
	lab_addr ct eth0 "$(lab_net 2).2/24"
	lab_route ct default via "$(lab_net 2).1"
	lab_sysctl gw net.ipv4.ip_forward=1
}

# lab_docker_rules : iptables-legacy ruleset shaped like Docker's, in gw.
#   host port 8080 -> container :80 (allowed by filter DOCKER rule 1)
#   host port 9090 -> container :8081 (not allowed: FORWARD policy DROP)
lab_docker_rules() {
	local c h ct net2
	c=$(lab_net 1).2 h=$(lab_net 1).1 ct=$(lab_net 2).2 net2=$(lab_net 2).0/24
	lab_x gw iptables-legacy-restore -w 10 <<EOF
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -s $c/32 -d $h/32 -p tcp -m multiport --dports 8080,9090 -j TRACE
-A OUTPUT -d $ct/32 -p tcp -m tcp --dport 80 -j TRACE
-A OUTPUT -d $h/32 -p tcp -m tcp --dport 8080 -j TRACE
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s $net2 ! -o docker0 -j MASQUERADE
-A POSTROUTING -s $ct/32 -d $ct/32 -p tcp -m tcp --dport 80 -j MASQUERADE
-A POSTROUTING -s $ct/32 -d $ct/32 -p tcp -m tcp --dport 8081 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination $ct:80
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 9090 -j DNAT --to-destination $ct:8081
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER -d $ct/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
EOF
}
