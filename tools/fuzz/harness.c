/* SPDX-License-Identifier: MIT */
/*
 * harness.c - helpers the fuzz harnesses share (harness.h).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"

bool cxl_fuzz_roundtrip_wanted(const uint8_t *data, size_t size, unsigned every)
{
	static int forced = -1;
	uint64_t h = 0xcbf29ce484222325ULL;

	if (forced < 0)
		forced = getenv("CXLEMU_FUZZ_ROUNDTRIP") != NULL;
	if (forced)
		return true;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ULL;
	return every && h % every == 0;
}

bool cxl_fuzz_full_checks(void)
{
	return getenv("CXLEMU_FUZZ_ROUNDTRIP") != NULL;
}

void cxl_fuzz_finding(const char *harness, const char *what, const char *detail)
{
	fprintf(stderr, "%s: FINDING: %s: %s\n", harness, what, detail);
	fflush(stderr);
	abort();
}

int cxl_fuzz_memfile(const char *harness, const void *data, size_t size, char path[64])
{
	int fd = memfd_create("fuzz-input", 0);

	if (fd < 0)
		cxl_fuzz_finding(harness, "setup", "memfd_create failed");
	for (size_t done = 0; done < size;) {
		ssize_t n = write(fd, (const char *)data + done, size - done);

		if (n <= 0)
			cxl_fuzz_finding(harness, "setup", "cannot write the memfd");
		done += (size_t)n;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}
