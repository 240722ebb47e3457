/*
 * test_traces.c - `nft monitor trace` and `xtables-monitor --trace` lines,
 * as recorded on a 6.18 kernel with nftables 1.0.6 and iptables 1.8.9.
 */
#include "natlog.h"
#include "parser.h"
#include "unit.h"
#include "capture.h"

static const char *nft =
	"trace id 1fb99edd inet filter forward packet: iif \"g0\" oif \"g1\" ether saddr 42:72:7d:ee:af:c5 ether daddr 4a:b4:8b:a4:d7:d0 ip saddr 10.77.1.2 ip daddr 10.77.2.10 ip dscp cs0 ip ecn not-ect ip ttl 63 ip id 41973 ip protocol tcp ip length 60 tcp sport 51988 tcp dport 22 tcp flags == syn tcp window 64240 \n"
	"trace id 1fb99edd inet filter forward rule ct status dnat jump allowed_dnats # handle 4 (verdict jump allowed_dnats)\n"
	"trace id 1fb99edd inet filter allowed_dnats rule counter packets 0 bytes 0 drop # handle 6 (verdict drop)\n"
	"trace id 1fb99edd inet trace_debug trace_pre policy accept \n"
	"trace id 3b1c0a7e inet t foo rule ct status != dying return (verdict return)\n"
	"trace id 3b1c0a7e inet t pre policy accept meta mark 0x00000042 \n"
	"trace id 3b1c0a7e inet t input rule meta mark 0x00000042 jump foo (verdict jump foo)\n"
	"trace id 3b1c0a7e inet t input verdict continue \n"
	"trace id 3b1c0a7e inet t input unknown rule handle 9 (verdict accept)\n"
	"trace id zzzz inet t input policy accept\n"
	"trace id 3b1c0a7e inet t input rule tcp dport 22 comment \"(x) # y\" accept\n"
	"this is not a trace line\n";

static void test_nft(void)
{
	struct capture *c = feed(&nl_parser_nfttrace, "trace.txt", nft);
	const struct nl_event *e = c->ev;
	CHECK_INT(c->nev, 9);
	CHECK_INT(c->nerr, 2);
	CHECK_INT(c->errline[0], 10);
	CHECK_INT(c->errline[1], 11);
	CHECK_INT(c->nskip, 1);
	CHECK_INT(e[0].kind, NL_EV_NFPACKET);
	CHECK_STR(e[0].trace_id, "1fb99edd");
	CHECK_STR(e[0].nft_family, "inet");
	CHECK_STR(e[0].table, "filter");
	CHECK_STR(e[0].chain, "forward");
	CHECK_STR(e[0].pkt.iif, "g0");
	CHECK_STR(e[0].pkt.oif, "g1");
	CHECK_STR(e[0].pkt.src, "10.77.1.2");
	CHECK_STR(e[0].pkt.dst, "10.77.2.10");
	CHECK_INT(e[0].pkt.ttl, 63);
	CHECK_INT(e[0].pkt.ip_id, 41973);
	CHECK_INT(e[0].pkt.proto, 6);
	CHECK_INT(e[0].pkt.len, 60);
	CHECK_INT(e[0].pkt.sport, 51988);
	CHECK_INT(e[0].pkt.dport, 22);
	CHECK_INT(e[0].pkt.tcp_flags, NL_TCP_SYN);
	CHECK_INT(e[1].kind, NL_EV_NFTRACE);
	CHECK_STR(e[1].type, "rule");
	CHECK_STR(e[1].rule, "ct status dnat jump allowed_dnats");
	CHECK_INT(e[1].handle, 4);
	CHECK_STR(e[1].verdict, "jump allowed_dnats");
	CHECK_STR(e[2].rule, "counter packets 0 bytes 0 drop");
	CHECK_STR(e[2].verdict, "drop");
	CHECK_STR(e[3].type, "policy");
	CHECK_STR(e[3].verdict, "accept");
	CHECK_STR(e[4].rule, "ct status != dying return");
	CHECK_INT(e[4].handle, -1);
	CHECK_STR(e[4].verdict, "return");
	CHECK_INT(e[5].pkt.mark, 0x42);
	CHECK_STR(e[7].type, "return");
	CHECK_STR(e[7].verdict, "continue");
	CHECK_INT(e[8].handle, 9);
	CHECK_STR(e[8].rule, "");
	CHECK_STR(e[8].verdict, "accept");
}

/* nft 1.1.4+ (nftables tests/shell/testcases/trace/0001simple, ids filled in) */
static const char *nftct =
	"trace id 5e0d21f4 inet t output conntrack: ct direction reply ct state established ct status seen-reply,confirmed ct id 2641368242 \n"
	"trace id 5e0d21f4 inet t output packet: oif \"eth0\" ip saddr 10.23.42.1 ip daddr 10.23.42.2 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 5120 ip protocol icmp ip length 84 icmp type echo-reply icmp code 0 icmp id 4436 icmp sequence 1 \n"
	"trace id 5e0d21f4 inet t output rule icmp type echo-reply meta nftrace set 1 (verdict continue)\n"
	"trace id 5e0d21f4 inet t input conntrack: ct direction original ct state new ct id 7 \n"
	"trace id 5e0d21f4 inet t input rule tcp dport 22 accept (verdict accept)\n"
	"trace id 5e0d21f4 inet t input conntrack: ct direction ct state new \n"
	"trace id 5e0d21f4 inet t input packet: oif \"eth0\" ip saddr 10.23.42.1 ip daddr 10.23.42.2 \n"
	"trace id 5e0d21f4 inet t input conntrack: ct state untracked \n";

static void test_nft_ct(void)
{
	struct capture *c = feed(&nl_parser_nfttrace, "trace.txt", nftct);
	const struct nl_event *e = c->ev;
	CHECK_INT(c->nev, 4);
	CHECK_INT(c->nerr, 3);
	CHECK_INT(c->nskip, 0);
	CHECK_INT(e[0].kind, NL_EV_NFPACKET);
	CHECK_STR(e[0].pkt.ct_dir, "reply");
	CHECK_STR(e[0].pkt.ct_state, "established");
	CHECK_STR(e[0].pkt.ct_status, "seen-reply,confirmed");
	CHECK_INT(e[0].pkt.ct_id, 2641368242LL);
	CHECK_STR(e[0].pkt.src, "10.23.42.1");
	/* a conntrack line belongs to the packet line right after it only */
	CHECK_STR(e[1].pkt.ct_state, "");
	CHECK_INT(e[1].pkt.ct_id, -1);
	CHECK_INT(c->errline[0], 4);
	CHECK_STR(c->err[0], "conntrack line not followed by its packet line");
	CHECK_INT(c->errline[1], 6);
	CHECK_STR(c->err[1], "conntrack field without a value");
	CHECK_STR(e[3].pkt.ct_state, "");
	/* the input ends after a conntrack line */
	CHECK_INT(c->errline[2], 8);
}

static const char *xt =
	"PACKET: 2 a8180090 IN=eth0 OUT=eth1 MACSRC=b2:a6:6a:88:97:4 MACDST=c2:9a:e0:5:8b:de MACPROTO=0800 SRC=10.77.1.2 DST=10.77.2.10 LEN=60 TOS=0x0 TTL=63 ID=55445 DF SPORT=53164 DPORT=80 SYN \n"
	" TRACE: 2 a8180090 filter:FORWARD:rule:0x6:JUMP:web  -4 -t filter -A FORWARD -i eth0 -o eth1 -j web\n"
	" TRACE: 2 a8180090 filter:web:rule:0x8:ACCEPT  -4 -t filter -A web -p tcp -m tcp --dport 80 -m comment --comment \"web server\" -j ACCEPT\n"
	" TRACE: 2 fc475095 raw:PREROUTING:return:\n"
	" TRACE: 2 fc475095 raw:PREROUTING:policy:ACCEPT \n"
	"PACKET: 10 00000001 IN=eth0 SRC=fd00:77:1::2 DST=fd00:77:1::1 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=1 SPORT=1 DPORT=2 ACK \n"
	"PACKET: 2 0000000f IN=eth0 SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TOS=0x0 TTL=64 ID=38349DF SPORT=1 DPORT=2 SYN \n"
	" TRACE: 99 a8180090 filter:web:rule:0x8:ACCEPT  x\n";

static void test_xt(void)
{
	struct capture *c = feed(&nl_parser_xtmon, "xt.txt", xt);
	const struct nl_event *e = c->ev;
	CHECK_INT(c->nev, 7);
	CHECK_INT(c->nerr, 1);
	CHECK_INT(c->errline[0], 8);
	/* the PACKET line takes the table and chain of the TRACE line after it */
	CHECK_INT(e[0].kind, NL_EV_NFPACKET);
	CHECK_INT(e[0].xt, 1);
	CHECK_STR(e[0].table, "filter");
	CHECK_STR(e[0].chain, "FORWARD");
	CHECK_STR(e[0].nft_family, "ip");
	CHECK_INT(e[0].pkt.ip_id, 55445);
	CHECK_INT(e[0].pkt.proto, 6);
	CHECK_INT(e[0].pkt.dport, 80);
	CHECK_STR(e[0].pkt.oif, "eth1");
	CHECK_INT(e[1].handle, 6);
	CHECK_STR(e[1].verdict, "jump web");
	CHECK_STR(e[1].rule, "-4 -t filter -A FORWARD -i eth0 -o eth1 -j web");
	CHECK_INT(e[2].handle, 8);
	CHECK_STR(e[2].verdict, "accept");
	CHECK_STR(e[3].type, "return");
	CHECK_STR(e[4].type, "policy");
	CHECK_STR(e[4].verdict, "accept");
	CHECK_STR(e[5].nft_family, "ip6");
	CHECK_STR(e[5].pkt.src, "fd00:77:1::2");
	/* iptables before 1.8.9 printed no space after the IP ID */
	CHECK_INT(e[6].pkt.ip_id, 38349);
}

/* xtables-monitor as older versions print it: fields glued after ID= and
 * OPT (...) (before 1.8.9), family 0 on the man page's PACKET line, and
 * ICMP, whose PACKET line has no transport part at all. */
static const char *xt_old =
	"PACKET: 2 0000000a IN=eth0 SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TOS=0x0 TTL=64 ID=43007SPORT=80 DPORT=4000 SYN ACK \n"
	" TRACE: 2 0000000a filter:INPUT:rule:0x48:ACCEPT  -4 -t filter -A INPUT -p tcp -j ACCEPT\n"
	"PACKET: 2 0000000b IN=eth0 SRC=10.0.0.1 DST=10.0.0.2 LEN=64 TOS=0x0 TTL=64 ID=7DF OPT (07070400000000)SPORT=5 DPORT=6 \n"
	" TRACE: 2 0000000b filter:INPUT:policy:DROP \n"
	" TRACE: 2 fc475095 raw:PREROUTING:rule:0x3:CONTINUE -4 -t raw -A PREROUTING -p icmp -j TRACE\n"
	"PACKET: 0 fc475095 IN=lo LL=0x304 0000000000000000000000000800 SRC=127.0.0.1 DST=127.0.0.1 LEN=84 TOS=0x0 TTL=64 ID=38349DF\n"
	" TRACE: 2 fc475095 raw:PREROUTING:return:\n"
	"PACKET: 2 0000000c IN=eth0 SRC=10.0.0.1 DST=10.0.0.2 LEN=84 TOS=0x0 TTL=64 ID=9 DF \n"
	" TRACE: 2 0000000c filter:INPUT:rule:0x4:DROP  iptables -t filter -A INPUT -p icmp -m icmp --icmp-type 8 -j DROP\n";

static void test_xt_old(void)
{
	struct capture *c = feed(&nl_parser_xtmon, "xt.txt", xt_old);
	const struct nl_event *e = c->ev;
	CHECK_INT(c->nerr, 0);
	CHECK_INT(c->nev, 9);
	CHECK_INT(e[0].pkt.ip_id, 43007);
	CHECK_INT(e[0].pkt.sport, 80);
	CHECK_INT(e[0].pkt.dport, 4000);
	CHECK_INT(e[0].pkt.proto, 6);
	CHECK_INT(e[1].handle, 0x48);
	CHECK_INT(e[2].pkt.ip_id, 7);
	CHECK_STR(e[2].pkt.ipflags, "DF");
	CHECK_INT(e[2].pkt.sport, 5);
	CHECK_INT(e[2].pkt.proto, 17);
	/* before 1.8.7 the PACKET line followed its chain's first rule line:
	 * it is given first, in the rule's chain */
	CHECK_STR(e[4].type, "packet");
	CHECK_STR(e[4].chain, "PREROUTING");
	CHECK_STR(e[4].nft_family, "ip");
	CHECK_INT(e[4].pkt.ip_id, 38349);
	CHECK_STR(e[4].pkt.ipflags, "DF");
	CHECK_INT(e[4].pkt.proto, 1);	/* the rule before it says -p icmp */
	CHECK_INT(e[5].handle, 3);
	CHECK_STR(e[6].type, "return");
	CHECK_INT(e[7].pkt.proto, 1);	/* a matched rule says -p icmp */
	CHECK_INT(e[7].pkt.sport, -1);
}

/* Addresses blanked out before pasting, whole or in part: unknown and
 * kept as printed, the rest of the header read; anything else that is no
 * address stays an error. */
/* nftables 1.1.4's announcement left the family out ("trace id 32 t
 * PRE_RAW ..."); nft prints one of family2str()'s words there */
static void test_no_family(void)
{
	struct capture *c = feed(&nl_parser_nfttrace, "trace.txt",
		"trace id 32 t PRE_RAW policy accept\n"
		"trace id 0000000a foo t INPUT policy drop\n"
		"trace id 0000000b bridge t INPUT policy drop\n");
	CHECK_INT(c->nev, 1);
	CHECK_INT(c->nerr, 2);
	CHECK_INT(c->errline[0], 1);
	CHECK_INT(c->errline[1], 2);
	CHECK(strstr(c->err[0], "no family") != NULL);
	CHECK_STR(c->ev[0].nft_family, "bridge");
}

static void test_redacted(void)
{
	struct capture *c = feed(&nl_parser_nfttrace, "trace.txt",
		"trace id 1a2b3c4d ip filter input packet: iif \"eth0\" ip saddr 192.168.1.x ip daddr 10.0.0.5 ip ttl 64 ip id 4321 ip length 60 tcp sport 40000 tcp dport 22 tcp flags == syn\n"
		"trace id 1a2b3c4e ip6 filter input packet: iif \"eth0\" ip6 saddr 2001:db8:x::1 ip6 daddr XXXX::5 tcp sport 1 tcp dport 22\n"
		"trace id 1a2b3c4f ip filter input packet: iif \"eth0\" ip saddr 10.0.0.256 ip daddr 10.0.0.5 tcp dport 22\n");
	CHECK_INT(c->nev, 2);
	CHECK_INT(c->nerr, 1);
	CHECK_INT(c->errline[0], 3);
	CHECK_STR(c->ev[0].pkt.src, "");
	CHECK_STR(c->ev[0].pkt.dst, "10.0.0.5");
	CHECK_STR(c->ev[0].pkt.extra, "ip saddr 192.168.1.x");
	CHECK_INT(c->ev[0].pkt.family, 4);
	CHECK_INT(c->ev[0].pkt.ip_id, 4321);
	CHECK_INT(c->ev[0].pkt.dport, 22);
	CHECK_INT(c->ev[0].pkt.tcp_flags, NL_TCP_SYN);
	CHECK_STR(c->ev[1].pkt.src, "");
	CHECK_STR(c->ev[1].pkt.dst, "");
	CHECK_INT(c->ev[1].pkt.family, 6);
	CHECK_INT(c->ev[1].pkt.dport, 22);
	c = feed(&nl_parser_xtmon, "xt.txt",
		"PACKET: 2 2089bd8f IN=br0 SRC=172.20.0.x DST=40.89.244.232 LEN=84 TOS=0x0 TTL=64 ID=43751DF \n");
	CHECK_INT(c->nerr, 0);
	CHECK_INT(c->nev, 1);
	CHECK_STR(c->ev[0].pkt.src, "");
	CHECK_STR(c->ev[0].pkt.dst, "40.89.244.232");
	CHECK_STR(c->ev[0].pkt.extra, "SRC=172.20.0.x");
	CHECK_INT(c->ev[0].pkt.ip_id, 43751);
}

int main(void)
{
	test_nft();
	test_nft_ct();
	test_xt();
	test_xt_old();
	test_no_family();
	test_redacted();
	return unit_report("test_traces");
}
