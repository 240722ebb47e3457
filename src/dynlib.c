/*
 * dynlib.c - loads libarchive and libpcap on first use (dynlib.h). The
 * sonames are those the build found (Makefile), so the loaded library is
 * the one the headers described.
 */
#include <archive.h>
#include <archive_entry.h>
#include <pcap/pcap.h>

#include "natlog.h"
#define NL_DL_NO_REDIRECT
#include "dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#ifndef NL_ARCHIVE_SO
#define NL_ARCHIVE_SO "libarchive.so.13"
#endif
#ifndef NL_PCAP_SO
#define NL_PCAP_SO "libpcap.so.0.8"
#endif

struct nl_dl_archive nl_ar;
struct nl_dl_pcap nl_pc;

struct sym {
	const char *name;
	void **slot;	/* a function pointer, filled the way POSIX dlsym() shows */
};

#define AR_SYM(f) { #f, (void **)&nl_ar.f##_ },
#define PC_SYM(f) { #f, (void **)&nl_pc.f##_ },
static const struct sym ar_syms[] = { NL_ARCHIVE_FUNCS(AR_SYM) { NULL, NULL } };
static const struct sym pc_syms[] = { NL_PCAP_FUNCS(PC_SYM) { NULL, NULL } };

struct lib {
	const char *so, *package;
	const struct sym *syms;
	int state;		/* 0 not tried, 1 loaded, -1 failed */
	char err[256];
};

static struct lib ar_lib = { NL_ARCHIVE_SO, "libarchive13", ar_syms, 0, "" };
static struct lib pc_lib = { NL_PCAP_SO, "libpcap0.8", pc_syms, 0, "" };
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
