/*
 * sha256.h - SHA-256 of a stream: the content hash that makes importing
 * the same input again a no-op.
 */
#ifndef NL_SHA256_H
#define NL_SHA256_H

#include <stddef.h>

struct nl_sha256 {
	void *ctx;		/* libcrypto's EVP_MD_CTX; NULL after a failure */
};

void sha256_init(struct nl_sha256 *c);
void sha256_update(struct nl_sha256 *c, const void *data, size_t n);
/* Finishes c; returns -1 (and "") when libcrypto failed. */
int sha256_hex(struct nl_sha256 *c, char out[65]);
/* Why hashing failed: libcrypto could not be loaded (and which package
 * has it), or it failed. */
const char *sha256_why(void);

#endif
