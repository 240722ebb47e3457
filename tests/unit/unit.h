/*
 * unit.h - the smallest test harness that does the job: CHECK records a
 * failure with file and line and goes on; main() of each test file runs
 * its cases and prints "N passed, N failed".
 */
#ifndef NL_UNIT_H
#define NL_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_pass, unit_fail;

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (cond) {                                                           \
			unit_pass++;                                                  \
		} else {                                                              \
			unit_fail++;                                                  \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#cond);                                               \
		}                                                                     \
	} while (0)

#define CHECK_STR(a, b)                                                               \
	do {                                                                          \
		const char *a_ = (a), *b_ = (b);                                      \
		if (a_ && b_ && strcmp(a_, b_) == 0) {                                \
			unit_pass++;                                                  \
		} else {                                                              \
			unit_fail++;                                                  \
			fprintf(stderr, "%s:%d: '%s' is \"%s\", expected \"%s\"\n",   \
				__FILE__, __LINE__, #a, a_ ? a_ : "(null)",           \
				b_ ? b_ : "(null)");                                  \
		}                                                                     \
	} while (0)

#define CHECK_INT(a, b)                                                               \
	do {                                                                          \
		long long a_ = (long long)(a), b_ = (long long)(b);                   \
		if (a_ == b_) {                                                       \
			unit_pass++;                                                  \
		} else {                                                              \
			unit_fail++;                                                  \
			fprintf(stderr, "%s:%d: '%s' is %lld, expected %lld\n",       \
				__FILE__, __LINE__, #a, a_, b_);                      \
		}                                                                     \
	} while (0)

static int unit_report(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, unit_pass, unit_fail);
	return unit_fail ? 1 : 0;
}

#endif
