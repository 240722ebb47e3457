/*
 * sha256.c - SHA-256 through libcrypto, which uses the CPU's SHA
 * instructions where there are some: hashing every input is on the import
 * path, and a hand-written SHA-256 cost a tenth of the import time.
 * libcrypto is loaded at the first hash (dynlib.c).
 */
#include <openssl/evp.h>

#include "natlog.h"
#include "sha256.h"
#include "dynlib.h"

#include <stdio.h>

static char why[256];

void sha256_init(struct nl_sha256 *c)
{
	c->ctx = NULL;
	if (nl_dl_crypto(why, sizeof why))
		return;
	c->ctx = EVP_MD_CTX_new();
	if (c->ctx && !EVP_DigestInit_ex(c->ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(c->ctx);
		c->ctx = NULL;
	}
}

void sha256_update(struct nl_sha256 *c, const void *data, size_t n)
{
	if (c->ctx && !EVP_DigestUpdate(c->ctx, data, n)) {
		EVP_MD_CTX_free(c->ctx);
		c->ctx = NULL;
	}
}

int sha256_hex(struct nl_sha256 *c, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;
	int i, ok = c->ctx && EVP_DigestFinal_ex(c->ctx, md, &n) && n == 32;
	EVP_MD_CTX_free(c->ctx);
	c->ctx = NULL;
	out[0] = '\0';
	if (!ok)
		return -1;
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

const char *sha256_why(void)
{
	return why[0] ? why : "libcrypto failed";
}
