/*
 * communityid.h - Community ID v1 flow hashes
 * (https://github.com/corelight/community-id-spec), so a flow natlog shows
 * can be found in Zeek, Suricata or Elastic by the same string, and the
 * SHA-1 (FIPS 180-4) they are made of.
 */
#ifndef NL_COMMUNITYID_H
#define NL_COMMUNITYID_H

#include "natlog.h"

/* "1:" + 28 characters of base64 + NUL */
#define NL_COMMUNITY_ID_SIZE 32

/* SHA-1 of n bytes into out. */
void nl_sha1(const void *data, size_t n, unsigned char out[20]);

/* The Community ID v1 of a flow, written to out (at least
 * NL_COMMUNITY_ID_SIZE bytes). src and dst are IPv4 or IPv6 addresses as
 * text, of the same family. sport and dport are the ports for TCP, UDP and
 * SCTP, the ICMP type and code for ICMP and ICMPv6, and are not used for
 * other protocols (the spec hashes only addresses and protocol for them).
 * Returns 0, or -1 (out empty) when an address cannot be read, the families
 * differ, or a port is missing or out of range. */
int nl_community_id(unsigned seed, int proto, const char *src, int sport, const char *dst,
		    int dport, char *out, size_t n);

#endif
