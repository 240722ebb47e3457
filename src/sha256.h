/*
 * sha256.h - SHA-256 (FIPS 180-4), streamed: the content hash that makes
 * re-importing the same input a no-op.
 */
#ifndef NL_SHA256_H
#define NL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct nl_sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct nl_sha256 *c);
void sha256_update(struct nl_sha256 *c, const void *data, size_t n);
void sha256_hex(struct nl_sha256 *c, char out[65]);	/* finishes c */

#endif
