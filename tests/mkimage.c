/*
 * mkimage - a new store's image, for the build: opens an in-memory store
 * as an import does (every schema file applied in order) and prints its
 * pages as C (build/image.c), so that natlog makes a new store by copying
 * them in (store.c, new_from_image) rather than by running every
 * migration again. The schema files stay the only definition: the image
 * is made from them at each build.
 *
 * Most of a new store's pages are empty, so the bytes are run-length
 * coded: a byte other than 0 stands for itself, a 0 is followed by the
 * length of the run of zeros it starts (16 bits, little-endian, 1 to
 * 65535).
 */
#include "natlog.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	struct nl_err err = { "" };
	struct nl_store *s;
	unsigned char *img;
	size_t n, i, out = 0;
	if (store_open(&s, ":memory:", NL_STORE_RW, &err)) {
		fprintf(stderr, "mkimage: cannot make a store: %s\n", err.msg);
		return 1;
	}
	if (!(img = store_image(s, &n))) {
		fprintf(stderr, "mkimage: cannot take the store's image: %s\n", store_errmsg(s));
		return 1;
	}
	store_close(s);
	printf("/* made by tests/mkimage.c from the schema files: do not edit */\n"
	       "#include <stddef.h>\n\n"
	       "const size_t nl_store_image_size = %zu;\n"
	       "const unsigned char nl_store_image_rle[] = {", n);
	for (i = 0; i < n;) {
		size_t run = 0;
		if (img[i]) {
			printf("%s%u,", out++ % 20 ? "" : "\n\t", img[i++]);
			continue;
		}
		while (i + run < n && !img[i + run] && run < 65535)
			run++;
		printf("%s0,%zu,%zu,", out % 20 ? "" : "\n\t", run & 0xff, run >> 8);
		out += 3;
		i += run;
	}
	printf("\n};\nconst size_t nl_store_image_rle_len = %zu;\n", out);
	free(img);
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
