/*
 * test_klog.c - kernel log containers and the packet-log body, on lines
 * from the seeds and from real recordings (testdata/).
 */
#include "natlog.h"
#include "parser.h"
#include "unit.h"
#include "capture.h"

/* seed 003, with imklog's uptime bracket and no date */
static const char *seed003 =
	"fedora kernel: [ 2631.979055] TRACE: nat:DOCKER:rule:3 IN=enp0s1 OUT= MAC=fa:f3:dc:b4:4e:ef:3a:f9:d3:9e:aa:64:08:00 SRC=192.168.64.1 DST=192.168.64.4 LEN=64 TOS=0x10 PREC=0x00 TTL=64 ID=0 PROTO=TCP SPT=52842 DPT=10000 SEQ=1184533180 ACK=0 WINDOW=65535 RES=0x00 CWR ECE SYN URGP=0 OPT (020405B4010303060101080A6EF8750A0000000004020000)";

static void test_seed003(void)
{
	struct capture *c = feed(&nl_parser_klog, "messages", seed003);
	const struct nl_event *e = &c->ev[0];
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->nerr, 0);
	CHECK_INT(e->kind, NL_EV_TRACE);
	CHECK_STR(e->host, "fedora");
	CHECK_STR(e->time, "2631.979055");
	CHECK(e->uptime > 2631.97905 && e->uptime < 2631.97906);
	CHECK_STR(e->table, "nat");
	CHECK_STR(e->chain, "DOCKER");
	CHECK_STR(e->type, "rule");
	CHECK_INT(e->rulenum, 3);
	CHECK_STR(e->pkt.iif, "enp0s1");
	CHECK_STR(e->pkt.oif, "");
	CHECK_STR(e->pkt.src, "192.168.64.1");
	CHECK_STR(e->pkt.dst, "192.168.64.4");
	CHECK_INT(e->pkt.family, 4);
	CHECK_INT(e->pkt.len, 64);
	CHECK_INT(e->pkt.tos, 0x10);
	CHECK_INT(e->pkt.ttl, 64);
	CHECK_INT(e->pkt.ip_id, 0);
	CHECK_INT(e->pkt.proto, 6);
	CHECK_INT(e->pkt.sport, 52842);
	CHECK_INT(e->pkt.dport, 10000);
	CHECK_INT(e->pkt.seq, 1184533180LL);
	CHECK_INT(e->pkt.ack, 0);
	CHECK_INT(e->pkt.window, 65535);
	CHECK_INT(e->pkt.tcp_flags, NL_TCP_CWR | NL_TCP_ECE | NL_TCP_SYN);
}

/* The same kernel text in every container natlog reads (formats.md 2.5). */
static void test_containers(void)
{
	static const struct {
		const char *line, *host, *time;
		double uptime;
		long long wall_s;
	} cases[] = {
		{ "[ 5678.901234] TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "", "5678.901234", 5678.901234, -1 },
		{ "Mar  5 10:11:12 fw1 kernel: TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "fw1", "Mar  5 10:11:12", -1, -1 },
		{ "Mar  5 10:11:12 fw1 kernel: [ 5678.901234] TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "fw1", "Mar  5 10:11:12", 5678.901234, -1 },
		{ "2024-03-05T10:11:12.345678+01:00 fw1 kernel: TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "fw1", "2024-03-05T10:11:12.345678+01:00", -1, 1709629872 },
		{ "Mar 05 10:11:12 fw1 kernel: TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "fw1", "Mar 05 10:11:12", -1, -1 },
		{ "Mar 05 10:11:12.345678 fw1 kernel: TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "fw1", "Mar 05 10:11:12.345678", -1, -1 },
		{ "2024-03-05T10:11:12+01:00 fw1 kernel: TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "fw1", "2024-03-05T10:11:12+01:00", -1, 1709629872 },
		{ "[ 5678.901234] fw1 kernel: TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "fw1", "5678.901234", 5678.901234, -1 },
		{ "1709629872.345678 fw1 kernel: TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "fw1", "1709629872.345678", -1, 1709629872 },
		{ "[Tue Mar  5 10:11:12 2024] TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "", "Tue Mar  5 10:11:12 2024", -1, -1 },
		{ "<4>[ 5678.901234] TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "", "5678.901234", 5678.901234, -1 },
		{ "kern  :warn  : [ 5678.901234] TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "", "5678.901234", 5678.901234, -1 },
		{ "2024-03-05T10:11:12,901234+01:00 TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "", "2024-03-05T10:11:12,901234+01:00", -1, 1709629872 },
		{ "4,1234,5678901234,-;TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 ",
		  "", "5678.901234", 5678.901234, -1 },
		{ "{\"__REALTIME_TIMESTAMP\":\"1709629872345678\",\"__MONOTONIC_TIMESTAMP\":\"5678901400\",\"_TRANSPORT\":\"kernel\",\"PRIORITY\":\"4\",\"SYSLOG_IDENTIFIER\":\"kernel\",\"_SOURCE_MONOTONIC_TIMESTAMP\":\"5678901234\",\"_HOSTNAME\":\"fw1\",\"MESSAGE\":\"TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 SEQ=123456789 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 \"}",
		  "fw1", "5678.901234", 5678.901234, 1709629872 },
	};
	size_t i;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct capture *c = feed(&nl_parser_klog, "log", cases[i].line);
		const struct nl_event *e = &c->ev[0];
		CHECK_INT(c->nev, 1);
		CHECK_INT(c->nerr, 0);
		if (c->nev != 1) {
			fprintf(stderr, "  case %zu: %s\n", i, cases[i].line);
			continue;
		}
		CHECK_STR(e->host, cases[i].host);
		CHECK_STR(e->time, cases[i].time);
		if (cases[i].uptime >= 0)
			CHECK(e->uptime > cases[i].uptime - 1e-6 && e->uptime < cases[i].uptime + 1e-6);
		else
			CHECK(e->uptime < 0);
		CHECK_INT(e->wall_us < 0 ? -1 : e->wall_us / 1000000, cases[i].wall_s);
		CHECK_STR(e->table, "raw");
		CHECK_STR(e->type, "policy");
		CHECK_INT(e->rulenum, 2);
		CHECK_INT(e->pkt.ip_id, 54321);
		CHECK_STR(e->pkt.ipflags, "DF");
		CHECK_INT(e->pkt.seq, 123456789);
	}
}

static void test_log_prefixes(void)
{
	struct capture *c;
	/* the prefix is glued to IN= by the kernel */
	c = feed(&nl_parser_klog, "log",
		 "[  100.000001] DROPIN=eth0 OUT= MAC= SRC=198.51.100.23 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=33120 DF PROTO=TCP SPT=51514 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0 ");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->ev[0].kind, NL_EV_LOG);
	CHECK_STR(c->ev[0].prefix, "DROP");
	CHECK_STR(c->ev[0].pkt.iif, "eth0");
	c = feed(&nl_parser_klog, "log",
		 "Jun 13 19:58:21 dev-slave-110 kernel: raw prerouting: IN=eth0 OUT= MAC=52:54:15:5d:39:58:02:54:d4:90:3a:57:08:00 SRC=8.8.8.8 DST=10.39.0.110 LEN=84 TOS=0x00 PREC=0x00 TTL=32 ID=0 PROTO=ICMP TYPE=0 CODE=0 ID=13629 SEQ=15");
	CHECK_INT(c->nev, 1);
	CHECK_STR(c->ev[0].prefix, "raw prerouting: ");
	CHECK_STR(c->ev[0].host, "dev-slave-110");
	CHECK_INT(c->ev[0].pkt.ip_id, 0);
	CHECK_INT(c->ev[0].pkt.proto, 1);
	CHECK_INT(c->ev[0].pkt.icmp_type, 0);
	CHECK_INT(c->ev[0].pkt.icmp_id, 13629);
	CHECK_INT(c->ev[0].pkt.icmp_seq, 15);
	CHECK_INT(c->ev[0].pkt.seq, -1);
	/* a paste that lost PROTO= (a Calico article's syslog): only the ICMP
	 * dumps print TYPE= and CODE=, so the ID= after them is the echo's,
	 * not a second IP ID, and SEQ= no TCP sequence */
	c = feed(&nl_parser_klog, "log",
		 "Dec  1 03:35:44 localhost kernel: TRACE: nat:cali-OUTPUT:rule:1 IN= OUT=calid55c454dfaa SRC=172.16.91.225 DST=172.20.219.80 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=45708 DF TYPE=8 CODE=0 ID=3584 SEQ=1 UID=0 GID=0 ");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->ev[0].pkt.ip_id, 45708);
	CHECK_INT(c->ev[0].pkt.proto, 1);
	CHECK_INT(c->ev[0].pkt.icmp_type, 8);
	CHECK_INT(c->ev[0].pkt.icmp_id, 3584);
	CHECK_INT(c->ev[0].pkt.icmp_seq, 1);
	CHECK_INT(c->ev[0].pkt.seq, -1);
	/* a 6in4 tunnel's link header (Ubuntu Forums, 2011) is longer than the
	 * MAC kept: cut after a whole byte, and marked so */
	{
		char line[900];
		int k, o = snprintf(line, sizeof line, "[ 100.0] IN=sit1 OUT= MAC=");
		for (k = 0; k < 148; k++)
			o += snprintf(line + o, sizeof line - (size_t)o, "%s%02x", k ? ":" : "", k);
		snprintf(line + o, sizeof line - (size_t)o, " TUNNEL=1.2.3.4->5.6.7.8 SRC=2001:db8::1 DST=2001:db8::2 LEN=104 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=ICMPv6 TYPE=128 CODE=0 ID=1 SEQ=1 ");
		c = feed(&nl_parser_klog, "log", line);
		CHECK_INT(c->nev, 1);
		CHECK_STR(c->ev[0].pkt.mac + strlen(c->ev[0].pkt.mac) - 6, ":28...");
		CHECK_STR(c->ev[0].pkt.dst, "2001:db8::2");
	}
	/* a mail wrapped a LOG line inside its flags (LKML, 2007): the piece
	 * that starts "YN URGP=0" is the rest of a line, not a skip; words
	 * alike that end in no URGP= stay skipped */
	c = feed(&nl_parser_klog, "log",
		 "YN URGP=0 OPT (020405B40402080AFFFC4A360000000001030302)\n"
		 "ACK PSH URGP=0 \n"
		 "OK GO HOME\n");
	CHECK_INT(c->nev, 0);
	CHECK_INT(c->nerr, 2);
	CHECK_INT(c->nskip, 1);
	/* an Ubuntu Forums paste whose syslog headers lost their date: the
	 * host stays the host, the clock its time (no wall-clock time) */
	c = feed(&nl_parser_klog, "log",
		 "19:51:54 virthost kernel: [7680097.631224] IN=br1 OUT=br1  PHYSIN=tap0 PHYSOUT=eth1 SRC=192.168.3.251 DST=10.8.3.6 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=TCP SPT=22 DPT=50614 WINDOW=14480 RES=0x00 ACK SYN URGP=0 ");
	CHECK_INT(c->nev, 1);
	CHECK_STR(c->ev[0].host, "virthost");
	CHECK_STR(c->ev[0].time, "19:51:54");
	CHECK_INT(c->ev[0].wall_us, -1);
	CHECK(c->ev[0].uptime > 7680097.6 && c->ev[0].uptime < 7680097.7);
	c = feed(&nl_parser_klog, "log",
		 "Dec  1 03:35:44 localhost kernel: TRACE: nat:OUTPUT:rule:1 IN= OUT=calid55c454dfaa SRC=172.16.91.225 DST=172.20.219.80 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=45708 DF PROTO8 CODE=0 ID=3584 SEQ=1 UID=0 GID=0 ");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->ev[0].pkt.ip_id, 45708);
	CHECK_INT(c->ev[0].pkt.icmp_id, 3584);
	c = feed(&nl_parser_klog, "log",
		 "[  100.5] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:ab:cd:ef:52:54:00:12:34:56:08:00 SRC=198.51.100.7 DST=192.0.2.10 LEN=76 TOS=0x00 PREC=0x00 TTL=57 ID=1 PROTO=UDP SPT=123 DPT=123 LEN=56 MARK=0x1f ");
	CHECK_INT(c->nev, 1);
	CHECK_STR(c->ev[0].prefix, "[UFW BLOCK] ");
	CHECK_INT(c->ev[0].pkt.len, 76);
	CHECK_INT(c->ev[0].pkt.mark, 0x1f);
}

static void test_ct_invalid_and_icmp(void)
{
	struct capture *c;
	c = feed(&nl_parser_klog, "log",
		 "[ 10.0] nf_ct_proto_6: SEQ is over upper bound 2717452012 (over the window of the receiver) IN=eth0 OUT= MAC=52:54:00:ab:cd:ef:52:54:00:12:34:56:08:00 SRC=203.0.113.9 DST=10.0.0.5 LEN=52 TOS=0x00 PREC=0x00 TTL=57 ID=0 DF PROTO=TCP SPT=443 DPT=51000 SEQ=2717455000 ACK=90211 WINDOW=501 RES=0x00 ACK FIN URGP=0 OPT (0101080A1B2C3D4E5F6A7B8C) ");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->ev[0].kind, NL_EV_CTINVALID);
	CHECK_STR(c->ev[0].reason, "SEQ is over upper bound 2717452012 (over the window of the receiver)");
	CHECK_INT(c->ev[0].pkt.tcp_flags, NL_TCP_ACK | NL_TCP_FIN);
	/* ICMP error with the quoted packet in brackets (a second set of keys) */
	c = feed(&nl_parser_klog, "log",
		 "[ 11.0] fw: IN=eth0 OUT= SRC=192.0.2.1 DST=10.0.0.5 LEN=88 TOS=0x00 PREC=0xC0 TTL=64 ID=4242 PROTO=ICMP TYPE=3 CODE=3 [SRC=10.0.0.5 DST=192.0.2.1 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=777 PROTO=UDP SPT=5353 DPT=53 LEN=40 ] ");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->ev[0].pkt.ip_id, 4242);
	CHECK_INT(c->ev[0].pkt.tos, 0xC0);
	CHECK_INT(c->ev[0].pkt.icmp_type, 3);
	CHECK_INT(c->ev[0].pkt.sport, -1);
	CHECK_STR(c->ev[0].pkt.inner,
		  "SRC=10.0.0.5 DST=192.0.2.1 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=777 PROTO=UDP SPT=5353 DPT=53 LEN=40");
	/* IPv6: uncompressed in the kernel log, canonical in natlog */
	c = feed(&nl_parser_klog, "log",
		 "out6: IN= OUT=eth0 SRC=2001:0db8:0000:0000:0000:0000:0000:0010 DST=2001:0db8:0000:0000:0000:0000:0000:0020 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=123456 PROTO=TCP SPT=45678 DPT=443 WINDOW=64800 RES=0x00 SYN URGP=0 UID=1000 GID=1000 ");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->ev[0].pkt.family, 6);
	CHECK_STR(c->ev[0].pkt.src, "2001:db8::10");
	CHECK_INT(c->ev[0].pkt.ttl, 64);
	CHECK_INT(c->ev[0].pkt.ip_id, -1);
	CHECK_INT(c->ev[0].pkt.uid, 1000);
}

static void test_bad_values(void)
{
	static const char *bad[] = {
		"TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=99999999 PROTO=TCP SPT=1 DPT=2 ",
		"TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=70000 DPT=2 ",
		"TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=1 DPT=2 SEQ=-1 ",
		"TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.300 DST=10.0.0.1 LEN=60 PROTO=TCP SPT=1 DPT=2 ",
		"TRACE: raw:PREROUTING:banana:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 PROTO=TCP SPT=1 DPT=2 ",
		"TRACE: raw:PREROUTING:policy:x IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 PROTO=TCP SPT=1 DPT=2 ",
		"TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 PROTO=banana SPT=1 DPT=2 ",
		/* a TRACE or conntrack prefix whose packet was cut off */
		"Feb 13 15:33:24 stop kernel: TRACE: filter:INPUT:rule:3",
		"[  5.1] nf_ct_proto_6: invalid tcp flag combination",
	};
	/* an application's own TRACE level, in the same syslog, is not netfilter's */
	static const char *other[] = {
		"Mar  5 10:11:12 host myapp[123]: TRACE: entering foo()",
		"Mar  5 10:11:12 host myapp[123]: TRACE: IN=memory",
	};
	size_t i;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct capture *c = feed(&nl_parser_klog, "log", bad[i]);
		CHECK_INT(c->nev, 0);
		CHECK_INT(c->nerr, 1);
		CHECK_INT(c->errline[0], 1);
	}
	for (i = 0; i < sizeof other / sizeof other[0]; i++) {
		struct capture *c = feed(&nl_parser_klog, "log", other[i]);
		CHECK_INT(c->nev + c->nerr, 0);
	}
}

/* What people paste: fields column-aligned, the tail cut, values blanked
 * out; each line stays an event with what it has, the rest unknown. */
static void test_pastes(void)
{
	struct capture *c;
	c = feed(&nl_parser_klog, "log",
		 "[90332.179725] TRACE: raw:PREROUTING:policy:2                  IN=cbr0 OUT=     PHYSIN=veth4a3719bc SRC=10.24.10.2 DST=10.27.240.10  LEN=82 TOS=0x00 PREC=0x00 TTL=64 ID=43592 PROTO=UDP SPT=36775 DPT=53 LEN=62");
	CHECK_INT(c->nev, 1);
	CHECK_STR(c->ev[0].chain, "PREROUTING");
	CHECK_STR(c->ev[0].pkt.iif, "cbr0");
	CHECK_STR(c->ev[0].pkt.physin, "veth4a3719bc");
	CHECK_INT(c->ev[0].pkt.dport, 53);
	/* the tail cut: no PROTO=, so no ports, but table:chain:type:N stays */
	c = feed(&nl_parser_klog, "log",
		 "[ 1288.684048] TRACE: filter:FORWARD:rule:1 IN=enp2s0 OUT=docker0 MAC=... SRC=192.168.30.252 DST=172.17.0.2 ...");
	CHECK_INT(c->nev, 1);
	CHECK_STR(c->ev[0].table, "filter");
	CHECK_INT(c->ev[0].rulenum, 1);
	CHECK_STR(c->ev[0].pkt.oif, "docker0");
	CHECK_STR(c->ev[0].pkt.dst, "172.17.0.2");
	CHECK_INT(c->ev[0].pkt.proto, -1);
	CHECK_INT(c->ev[0].pkt.family, 4);
	c = feed(&nl_parser_klog, "log", "TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3");
	CHECK_INT(c->nev, 1);
	CHECK_STR(c->ev[0].pkt.src, "10.1.2.3");
	CHECK_STR(c->ev[0].pkt.dst, "");
	c = feed(&nl_parser_klog, "log",
		 "TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=1");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->ev[0].pkt.sport, 1);
	CHECK_INT(c->ev[0].pkt.dport, -1);
	/* cut in the middle of the last value: that value is unknown */
	c = feed(&nl_parser_klog, "log",
		 "[ 1288.684104] TRACE: filter:FORWARD:rule:2 IN=enp2s0 OUT=docker0 MAC=... SRC=192.168.30.252 DST=172.1");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->nerr, 0);
	CHECK_STR(c->ev[0].pkt.src, "192.168.30.252");
	CHECK_STR(c->ev[0].pkt.dst, "");
	CHECK(strstr(c->ev[0].pkt.extra, "DST=172.1") != NULL);
	c = feed(&nl_parser_klog, "log", "TRACE: filter:INPUT:rule:3 IN=eth0 ...");
	CHECK_INT(c->nev, 1);
	CHECK_STR(c->ev[0].chain, "INPUT");
	CHECK_STR(c->ev[0].pkt.iif, "eth0");
	/* blanked-out values are unknown and kept as printed */
	c = feed(&nl_parser_klog, "log",
		 "[UFW DOCKER BLOCK] IN=eth0 OUT=docker_gwbridge MAC=xx:xx:xx:xx...  SRC=xx.xx.xx.xx DST=198.51.100.3 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=30439 DF PROTO=TCP SPT=28061 DPT=80 WINDOW=64240 RES=0x00 SYN URGP=0");
	CHECK_INT(c->nev, 1);
	CHECK_STR(c->ev[0].prefix, "[UFW DOCKER BLOCK] ");
	CHECK_STR(c->ev[0].pkt.src, "");
	CHECK_STR(c->ev[0].pkt.dst, "198.51.100.3");
	CHECK_STR(c->ev[0].pkt.extra, "SRC=xx.xx.xx.xx");
	CHECK_INT(c->ev[0].pkt.tcp_flags, NL_TCP_SYN);
	c = feed(&nl_parser_klog, "log",
		 "2020-08-12T19:43:13.020588+00:00 sys-01 kernel: [364817.332062] INVALID state -- DENY IN=br0 OUT=br0 PHYSIN=vnet1 PHYSOUT=eth0 MAC=xx SRC=XXXX:XXXX:0002:3063:0000:0000:0000:0145 DST=XXXX:XXXX:0002:9522:0000:0000:0000:0034 LEN=72 TC=0 HOPLIMIT=64 FLOWLBL=48765 PROTO=TCP SPT=22 DPT=52732 WINDOW=28800 RES=0x00 ACK SYN URGP=0");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->ev[0].pkt.family, 6);
	CHECK_STR(c->ev[0].pkt.src, "");
	CHECK_INT(c->ev[0].pkt.sport, 22);
	c = feed(&nl_parser_klog, "log",
		 "[UFW BLOCK] IN=eth0 OUT= MAC=<mac> SRC=a.b.c.d DST=<server-ip> LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=1 DF PROTO=TCP SPT=1 DPT=22 WINDOW=1 RES=0x00 SYN URGP=0 ");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->nerr, 0);
	CHECK_STR(c->ev[0].pkt.src, "");
	CHECK_STR(c->ev[0].pkt.dst, "");
	CHECK_INT(c->ev[0].pkt.dport, 22);
	/* blanked in part: some groups x, X or #; a real address has none */
	c = feed(&nl_parser_klog, "log",
		 "[UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=192.168.1.x DST=10.0.X.X LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=1234 DF PROTO=TCP SPT=40000 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->nerr, 0);
	CHECK_STR(c->ev[0].pkt.src, "");
	CHECK_STR(c->ev[0].pkt.dst, "");
	CHECK_STR(c->ev[0].pkt.extra, "SRC=192.168.1.x DST=10.0.X.X");
	CHECK_INT(c->ev[0].pkt.dport, 22);
	c = feed(&nl_parser_klog, "log",
		 "[UFW BLOCK] IN=eth0 OUT= SRC=2001:db8:#::1 DST=2001:db8::5 LEN=60 PROTO=TCP SPT=40000 DPT=22");
	CHECK_INT(c->nerr, 0);
	CHECK_INT(c->ev[0].pkt.family, 6);
	CHECK_STR(c->ev[0].pkt.src, "");
	/* a damaged address is no redaction: x only in some groups, a bad digit */
	c = feed(&nl_parser_klog, "log", "[UFW BLOCK] IN=eth0 OUT= SRC=192.168.1.1x DST=10.0.0.5 PROTO=TCP SPT=1 DPT=22");
	CHECK_INT(c->nerr, 1);
	c = feed(&nl_parser_klog, "log", "[UFW BLOCK] IN=eth0 OUT= SRC=192.168.1.300 DST=10.0.0.5 PROTO=TCP SPT=1 DPT=22");
	CHECK_INT(c->nerr, 1);
	/* conntrack lines without IN= and OUT=, and the pre-4.14 prefix */
	c = feed(&nl_parser_klog, "log",
		 "nf_ct_proto_6: invalid packet ignored in state ESTABLISHED SRC=10.47.217.34 DST=192.168.0.17 LEN=60 DF SPT=443 DPT=47832 SEQ=389276 ACK=3130 WINDOW=65160 ACK SYN");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->ev[0].kind, NL_EV_CTINVALID);
	CHECK_STR(c->ev[0].reason, "invalid packet ignored in state ESTABLISHED");
	CHECK_INT(c->ev[0].pkt.proto, 6);
	CHECK_INT(c->ev[0].pkt.sport, 443);
	CHECK_INT(c->ev[0].pkt.seq, 389276);
	CHECK_INT(c->ev[0].pkt.tcp_flags, NL_TCP_ACK | NL_TCP_SYN);
	c = feed(&nl_parser_klog, "log",
		 "Jan  3 10:00:00 gw kernel: nf_ct_tcp: invalid packet ignored IN= OUT= SRC=10.0.0.5 DST=203.0.113.9 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=TCP SPT=51000 DPT=443 SEQ=1 ACK=0 WINDOW=0 RES=0x00 RST URGP=0 ");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->ev[0].kind, NL_EV_CTINVALID);
	CHECK_STR(c->ev[0].reason, "invalid packet ignored");
	c = feed(&nl_parser_klog, "log",
		 "[  9.0] nf_ct_proto_6: invalid packet ignored in state ESTABLISHED  IN= OUT= SRC=10.0.0.5 DST=203.0.113.9 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=TCP SPT=51000 DPT=443 SEQ=1 ACK=0 WINDOW=0 RES=0x00 RST URGP=0 ");
	CHECK_INT(c->nev, 1);
	CHECK_STR(c->ev[0].reason, "invalid packet ignored in state ESTABLISHED");
	/* nf_conntrack_proto_tcp.c before 4.14: nf_log_packet with in and out
	 * NULL, the reason carries the tracker's prefix */
	c = feed(&nl_parser_klog, "log",
		 "[ 7.0] nf_ct_tcp: invalid packet ignored in state ESTABLISHED IN= OUT= SRC=192.0.2.1 DST=198.51.100.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=TCP SPT=80 DPT=40000 SEQ=5 ACK=6 WINDOW=0 RES=0x00 ACK RST URGP=0 ");
	CHECK_INT(c->nev, 1);
	CHECK_STR(c->ev[0].reason, "invalid packet ignored in state ESTABLISHED");
	c = feed(&nl_parser_klog, "log",
		 "[ 7.1] nf_ct_tcp: invalid RST IN= OUT= SRC=192.0.2.1 DST=198.51.100.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=TCP SPT=80 DPT=40000 SEQ=5 ACK=0 WINDOW=0 RES=0x00 RST URGP=0 ");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->ev[0].kind, NL_EV_CTINVALID);
	CHECK_STR(c->ev[0].reason, "invalid RST");
	CHECK_INT(c->ev[0].pkt.tcp_flags, NL_TCP_RST);
	/* a non-IP payload (bridge family ARP): interfaces only */
	c = feed(&nl_parser_klog, "log",
		 "[ 12.0] br-arp: IN=br0 OUT= MACSRC=52:54:00:12:34:56 MACDST=ff:ff:ff:ff:ff:ff MACPROTO=0806 ARP HTYPE=1 PTYPE=0x0800 OPCODE=1");
	CHECK_INT(c->nev, 1);
	CHECK_STR(c->ev[0].pkt.iif, "br0");
	CHECK_INT(c->ev[0].pkt.family, 0);
}

/* A kernel time near 2^64 (a damaged journal field, /dev/kmsg record or
 * bracket) is reported and left unknown, never converted. */
static void test_time_out_of_range(void)
{
	static const char *lines[] = {
		"{\"MESSAGE\":\"TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=UDP SPT=1 DPT=2 LEN=40\",\"_SOURCE_MONOTONIC_TIMESTAMP\":\"18446744073709551615\"}",
		"4,1234,18446744073709551615,-;TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=2 PROTO=UDP SPT=1 DPT=2 LEN=40",
		"[99999999999999999999.000000] TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=3 PROTO=UDP SPT=1 DPT=2 LEN=40",
		/* journalctl -o short-unix with a stamp beyond any time */
		"99999999999999999999.123456 host kernel: TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=4 PROTO=UDP SPT=1 DPT=2 LEN=40",
	};
	size_t i;
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct capture *c = feed(&nl_parser_klog, "log", lines[i]);
		CHECK_INT(c->nerr, i < 2);	/* the others are no time stamps at all */
		CHECK(c->nev == 0 || c->ev[0].wall_us < 0);
		CHECK_INT(c->nev, 1);
		if (c->nev) {
			CHECK(c->ev[0].uptime < 0);
			CHECK_STR(c->ev[0].time, "");
		}
	}
	/* the journal's wall time stays when only the monotonic one is bad */
	{
		struct capture *c = feed(&nl_parser_klog, "log",
			"{\"MESSAGE\":\"TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=UDP SPT=1 DPT=2 LEN=40\",\"_SOURCE_MONOTONIC_TIMESTAMP\":\"18446744073709551615\",\"__REALTIME_TIMESTAMP\":\"1709629872345678\"}");
		CHECK_INT(c->nerr, 1);
		CHECK_INT(c->nev, 1);
		if (c->nev) {
			CHECK(c->ev[0].uptime < 0);
			CHECK_INT(c->ev[0].wall_us, 1709629872345678LL);
			CHECK_STR(c->ev[0].time, "1709629872.345678");
		}
	}
}

/* A real TRACE line cut at every byte: never a crash, never a wrong kind. */
static void test_truncation(void)
{
	char buf[1024];
	size_t n = strlen(seed003), i;
	int events = 0, errors = 0, skips = 0;
	for (i = 0; i <= n; i++) {
		struct capture *c;
		memcpy(buf, seed003, i);
		buf[i] = '\0';
		c = feed(&nl_parser_klog, "log", buf);
		events += c->nev;
		errors += c->nerr;
		skips += c->nskip;
		CHECK(c->nev + c->nerr + c->nskip <= 1);
		if (c->nev)
			CHECK_STR(c->ev[0].chain, "DOCKER");
	}
	CHECK(events > 0 && errors > 0 && skips > 0);
}

int main(void)
{
	test_seed003();
	test_containers();
	test_log_prefixes();
	test_ct_invalid_and_icmp();
	test_bad_values();
	test_pastes();
	test_time_out_of_range();
	test_truncation();
	return unit_report("test_klog");
}
