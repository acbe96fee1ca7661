/* SPDX-License-Identifier: MIT */
/*
 * fuzz_trace_binary.c - the binary trace reader (.cxlt, emu/trace/binary.c) as a fuzz target.
 * The input is a binary trace, handed to cxl_trace_open() through an in-memory file (memfd);
 * the reader must know it by its magic. A finding aborts:
 *
 *   - what the binary reader accepts, the YAML writer renders, and that YAML reads back to
 *     the same number of ops (the two forms hold the same traces);
 *   - the YAML rendering converted to the binary form again gives the same YAML (lossless).
 *
 * Reader errors are no finding (a hostile file is expected); crashes, sanitizer reports and
 * the checks above are.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cxlemu/cxlemu.h"
#include "harness.h"

#define INPUT_MAX (256u * 1024)

static void finding(const char *what, const char *detail)
{
	cxl_fuzz_finding("fuzz_trace_binary", what, detail);
}

/* A memfd holding @data, its /proc path in @path (64 bytes); the fd. */
static int memfile(const void *data, size_t size, char *path)
{
	return cxl_fuzz_memfile("fuzz_trace_binary", data, size, path);
}

/* The YAML rendering of the trace at @path into *@text; the reader's error code. */
static enum cxl_err as_yaml(const char *path, char **text, size_t *len, struct cxl_error *err)
{
	struct cxl_trace_reader *r = NULL;
	enum cxl_err e;
	FILE *f;

	*text = NULL;
	*len = 0;
	if ((e = cxl_trace_open(path, &r, err)))
		return e;
	if (!(f = open_memstream(text, len)))
		finding("setup", "out of memory");
	e = cxl_trace_write_yaml(r, f, NULL, err);
	fclose(f);
	cxl_trace_close(r);
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxl_trace_reader *r = NULL;
	struct cxl_error err;
	char path[64], path2[64], *y1 = NULL, *y2 = NULL, *bin = NULL;
	size_t l1, l2, lb;
	int fd, fd2;
	FILE *f;

	if (size > INPUT_MAX)
		return 0;
	fd = memfile(data, size, path);
	if (as_yaml(path, &y1, &l1, &err)) {
		free(y1);
		close(fd);
		return 0;
	}
	close(fd);
	/* the YAML rendering reads back, and converts to a binary trace with the same YAML */
	if (cxl_trace_open_memory(y1, l1, "rendered.yaml", &r, &err))
		finding("the YAML rendering of an accepted binary trace does not read back", err.msg);
	if (!(f = open_memstream(&bin, &lb)))
		finding("setup", "out of memory");
	if (cxl_trace_write_binary(r, f, &err))
		finding("the YAML rendering does not convert back", err.msg);
	fclose(f);
	cxl_trace_close(r);
	fd2 = memfile(bin, lb, path2);
	if (as_yaml(path2, &y2, &l2, &err))
		finding("a binary trace the writer made does not read", err.msg);
	if (l1 != l2 || memcmp(y1, y2, l1))
		finding("round trip", "binary -> YAML -> binary -> YAML changed the trace");
	close(fd2);
	free(y1);
	free(y2);
	free(bin);
	return 0;
}
