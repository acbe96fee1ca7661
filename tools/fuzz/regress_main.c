/* SPDX-License-Identifier: MIT */
/*
 * regress_main.c - the regression driver: runs a harness's LLVMFuzzerTestOneInput() on every
 * file named on the command line (a directory: its files in name order), with the expensive
 * checks on for every input (CXLEMU_FUZZ_ROUNDTRIP). Built with the default compiler, no
 * clang needed: meson suite fuzz-regress runs it on tools/fuzz/corpus and traces/regress.
 * A finding aborts the process (the test fails) after naming the input on stderr.
 *
 * usage: fuzz-regress-HARNESS FILE|DIR...     prints "N inputs" and exits 0
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

#define FILE_MAX (1u << 20)

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs the harness on file @path; returns false when it cannot be read. */
static bool run_file(const char *path)
{
	static unsigned char buf[FILE_MAX];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	fprintf(stderr, "%s\n", path);   /* a finding's abort follows the input's name */
	LLVMFuzzerTestOneInput(buf, n);
	return true;
}

/* Runs every regular file of @dir, in name order; the number run, -1 when unreadable. */
static long run_dir(const char *dir)
{
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	long done = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **m = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*names));

			if (!m)
				return -1;
			names = m;
		}
		if (!(names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2)))
			return -1;
		sprintf(names[n++], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (!stat(names[i], &st) && S_ISREG(st.st_mode) && run_file(names[i]))
			done++;
		free(names[i]);
	}
	free(names);
	return done;
}

int main(int argc, char **argv)
{
	long total = 0;

	setenv("CXLEMU_FUZZ_ROUNDTRIP", "1", 1);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		long n;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 2;
		}
		n = S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i]) ? 1 : -1;
		if (n < 0) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 2;
		}
		total += n;
	}
	printf("%ld inputs\n", total);
	return 0;
}
