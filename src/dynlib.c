/*
 * dynlib.c - loads libarchive, libpcap, libcrypto and the decompressors on
 * first use (dynlib.h). The sonames of libarchive, libpcap and libcrypto
 * are those the build found (Makefile), so the loaded library is the one
 * the headers described; the decompressors' have been stable for over a
 * decade.
 */
#include <archive.h>
#include <archive_entry.h>
#include <pcap/pcap.h>
#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include <openssl/evp.h>

#include "natlog.h"
#define NL_DL_NO_REDIRECT
#include "dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#ifndef NL_ARCHIVE_SO
#define NL_ARCHIVE_SO "libarchive.so.13"
#endif
#define NL_Z_SO "libz.so.1"
#define NL_XZ_SO "liblzma.so.5"
#define NL_BZ_SO "libbz2.so.1.0"
#define NL_ZST_SO "libzstd.so.1"
#ifndef NL_PCAP_SO
#define NL_PCAP_SO "libpcap.so.0.8"
#endif
#ifndef NL_CRYPTO_SO
#define NL_CRYPTO_SO "libcrypto.so.3"
#endif

struct nl_dl_archive nl_ar;
struct nl_dl_pcap nl_pc;
struct nl_dl_z nl_z;
struct nl_dl_xz nl_xz;
struct nl_dl_bz nl_bz;
struct nl_dl_zst nl_zst;
struct nl_dl_crypto nl_cr;

struct sym {
	const char *name;
	void **slot;	/* a function pointer, filled the way POSIX dlsym() shows */
};

#define AR_SYM(f) { #f, (void **)&nl_ar.f##_ },
#define PC_SYM(f) { #f, (void **)&nl_pc.f##_ },
static const struct sym ar_syms[] = { NL_ARCHIVE_FUNCS(AR_SYM) { NULL, NULL } };
static const struct sym pc_syms[] = { NL_PCAP_FUNCS(PC_SYM) { NULL, NULL } };
#define Z_SYM(f) { #f, (void **)&nl_z.f##_ },
#define XZ_SYM(f) { #f, (void **)&nl_xz.f##_ },
#define BZ_SYM(f) { #f, (void **)&nl_bz.f##_ },
#define ZST_SYM(f) { #f, (void **)&nl_zst.f##_ },
static const struct sym z_syms[] = { NL_Z_FUNCS(Z_SYM) { NULL, NULL } };
static const struct sym xz_syms[] = { NL_XZ_FUNCS(XZ_SYM) { NULL, NULL } };
static const struct sym bz_syms[] = { NL_BZ_FUNCS(BZ_SYM) { NULL, NULL } };
static const struct sym zst_syms[] = { NL_ZST_FUNCS(ZST_SYM) { NULL, NULL } };
#define CR_SYM(f) { #f, (void **)&nl_cr.f##_ },
static const struct sym cr_syms[] = { NL_CRYPTO_FUNCS(CR_SYM) { NULL, NULL } };

struct lib {
	const char *so, *package;
	const struct sym *syms;
	int state;		/* 0 not tried, 1 loaded, -1 failed */
	char err[256];
};

static struct lib ar_lib = { NL_ARCHIVE_SO, "libarchive13", ar_syms, 0, "" };
static struct lib pc_lib = { NL_PCAP_SO, "libpcap0.8", pc_syms, 0, "" };
static struct lib z_lib = { NL_Z_SO, "zlib1g", z_syms, 0, "" };
static struct lib xz_lib = { NL_XZ_SO, "liblzma5", xz_syms, 0, "" };
static struct lib bz_lib = { NL_BZ_SO, "libbz2-1.0", bz_syms, 0, "" };
static struct lib zst_lib = { NL_ZST_SO, "libzstd1", zst_syms, 0, "" };
static struct lib cr_lib = { NL_CRYPTO_SO, "libssl3", cr_syms, 0, "" };
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static int load(struct lib *l, char *err, size_t n)
{
	pthread_mutex_lock(&mu);
	if (!l->state) {
		void *h = dlopen(l->so, RTLD_NOW | RTLD_LOCAL);
		const struct sym *s;
		l->state = 1;
		if (!h) {
			const char *e = dlerror();
			snprintf(l->err, sizeof l->err, "cannot load %s (%s): install the Debian package %s",
				 l->so, e ? e : "not found", l->package);
			l->state = -1;
		}
		for (s = l->syms; h && s->name; s++) {
			*s->slot = dlsym(h, s->name);
			if (!*s->slot) {
				snprintf(l->err, sizeof l->err, "%s has no %s: install the Debian package %s",
					 l->so, s->name, l->package);
				l->state = -1;
				break;
			}
		}
	}
	if (l->state < 0)
		nl_strlcpy(err, l->err, n);
	pthread_mutex_unlock(&mu);
	return l->state > 0 ? 0 : -1;
}

int nl_dl_archive(char *err, size_t n)
{
	return load(&ar_lib, err, n);
}

int nl_dl_pcap(char *err, size_t n)
{
	return load(&pc_lib, err, n);
}

int nl_dl_crypto(char *err, size_t n)
{
	return load(&cr_lib, err, n);
}

int nl_dl_decompressor(int which, char *err, size_t n)
{
	return load(which == 'g' ? &z_lib : which == 'x' ? &xz_lib : which == 'b' ? &bz_lib : &zst_lib,
		    err, n);
}
