/* SPDX-License-Identifier: MIT */
/*
 * bench_main.c - the speed benchmark of a harness: loads a corpus into memory, then calls
 * the harness's LLVMFuzzerTestOneInput() on mutated copies of its inputs for a while and
 * prints executions per second. The mutations (a few byte flips, a cut, a splice, from a
 * fixed-seed generator) stand in for a fuzzer's, so the inputs are not only the seeds; no
 * fuzzer and no coverage instrumentation is involved, so the figure is the harness's own
 * cost per input on one core (libFuzzer and AFL++ add their bookkeeping, see tools/fuzz/run).
 *
 * usage: fuzz-bench-HARNESS SECONDS FILE|DIR...
 * prints: "HARNESS: N inputs (avg B bytes), E executions in S s: X exec/s" (one line)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "harness.h"

#ifndef BENCH_NAME
#define BENCH_NAME "harness"
#endif
#define FILE_MAX 4096               /* the harnesses cut longer inputs anyway */
#define CORPUS_MAX 100000

struct input {
	unsigned char *data;
	size_t len;
};

static struct input corpus[CORPUS_MAX];
static size_t ncorpus;

/* Adds the first FILE_MAX bytes of regular file @path to the corpus; false when unreadable. */
static bool load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	size_t n;

	if (!f)
		return false;
	buf = malloc(FILE_MAX);
	n = buf ? fread(buf, 1, FILE_MAX, f) : 0;
	fclose(f);
	if (!buf || ncorpus == CORPUS_MAX) {
		free(buf);
		return false;
	}
	corpus[ncorpus].data = buf;
	corpus[ncorpus++].len = n;
	return true;
}

/* Loads every regular file of directory @dir (any order: the figure is an average). */
static bool load_dir(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	char path[4096];

	if (!d)
		return false;
	while ((e = readdir(d))) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!stat(path, &st) && S_ISREG(st.st_mode))
			load_file(path);
	}
	closedir(d);
	return true;
}

/* xorshift64: the fixed-seed generator of the mutations. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Writes into @out (FILE_MAX bytes) a mutation of corpus input @i; its length. */
static size_t mutate(size_t i, unsigned char *out)
{
	const struct input *in = &corpus[i];
	size_t len = in->len;
	unsigned flips = (unsigned)(next_random() % 4);

	memcpy(out, in->data, len);
	if (len && next_random() % 4 == 0) {            /* a splice with another input's tail */
		const struct input *o = &corpus[next_random() % ncorpus];
		size_t at = next_random() % len, from = o->len ? next_random() % o->len : 0;
		size_t n = o->len - from;

		if (at + n > FILE_MAX)
			n = FILE_MAX - at;
		memcpy(out + at, o->data + from, n);
		len = at + n;
	}
	for (unsigned k = 0; len && k < flips; k++)
		out[next_random() % len] ^= (unsigned char)(1u << (next_random() % 8));
	if (len > 8 && next_random() % 8 == 0)          /* a cut */
		len -= next_random() % (len / 2);
	return len;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static unsigned char buf[FILE_MAX];
	double seconds, start, elapsed;
	unsigned long long execs = 0, bytes = 0;
	size_t total = 0;

	if (argc < 3 || (seconds = atof(argv[1])) <= 0) {
		fprintf(stderr, "usage: %s SECONDS FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) || !(S_ISDIR(st.st_mode) ? load_dir(argv[i]) : load_file(argv[i]))) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 2;
		}
	}
	if (!ncorpus) {
		fprintf(stderr, "%s: no inputs\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < ncorpus; i++) {
		total += corpus[i].len;
		LLVMFuzzerTestOneInput(corpus[i].data, corpus[i].len);   /* warm up: topologies */
	}
	start = now();
	do {
		for (unsigned k = 0; k < 1000; k++) {
			size_t len = mutate(next_random() % ncorpus, buf);

			LLVMFuzzerTestOneInput(buf, len);
			bytes += len;
		}
		execs += 1000;
	} while ((elapsed = now() - start) < seconds);
	printf("%s: %zu inputs (avg %zu bytes), %llu executions (avg %llu bytes) in %.1f s: "
	       "%.0f exec/s\n", BENCH_NAME, ncorpus, total / ncorpus, execs, bytes / execs, elapsed,
	       execs / elapsed);
	return 0;
}
