/* SPDX-License-Identifier: MIT */
/*
 * fuzz_import.c - an importer as a fuzz target; built once per format with
 * -DFUZZ_FORMAT=CXL_IMPORT_QEMU_LOG (fuzz_import_qemu_log: QEMU logs, the vfio-cxl events
 * included), CXL_IMPORT_QTEST or CXL_IMPORT_MMIOTRACE. The input is a log, handed to the
 * importer through an in-memory file (memfd), never the disk. A finding aborts:
 *
 *   - what import accepts, replay accepts: the trace it writes must read back
 *     (cxl_trace_open_memory()) and replay without an input error;
 *   - the import is deterministic: the same log twice gives the same trace text.
 *
 * Import errors are no finding (a log of junk is expected); crashes, sanitizer reports and
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

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT CXL_IMPORT_QEMU_LOG
#endif
#define INPUT_MAX (256u * 1024)

static void finding(const char *what, const char *detail)
{
	char who[64];

	snprintf(who, sizeof(who), "fuzz_import_%s", cxl_import_format_name(FUZZ_FORMAT));
	cxl_fuzz_finding(who, what, detail);
}

/* Imports the log @data into *@text (malloc'd); the importer's return code. */
static enum cxl_err import(const uint8_t *data, size_t size, char **text, size_t *tlen,
			   struct cxl_error *err)
{
	struct cxl_import_opts o;
	char path[64];
	const char *p = path;
	enum cxl_err rc;
	FILE *out;
	int fd = cxl_fuzz_memfile("fuzz_import", data, size, path);

	cxl_import_opts_init(&o);
	o.format = FUZZ_FORMAT;
	*text = NULL;
	*tlen = 0;
	out = open_memstream(text, tlen);
	if (!out)
		finding("setup", "out of memory");
	rc = cxl_import_run(&o, &p, 1, out, err);
	fclose(out);
	close(fd);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxl_trace_reader *r = NULL;
	struct cxl_report *rep;
	struct cxl_error err;
	char *t1, *t2;
	size_t l1, l2;
	bool pass;

	if (size > INPUT_MAX)
		return 0;
	if (import(data, size, &t1, &l1, &err)) {
		free(t1);
		return 0;
	}
	if (cxl_fuzz_roundtrip_wanted(data, size, 16)) {
		if (import(data, size, &t2, &l2, &err))
			finding("determinism", "a log imported once fails the second time");
		if (l1 != l2 || memcmp(t1, t2, l1))
			finding("determinism", "the same log gave another trace");
		free(t2);
	}
	if (cxl_trace_open_memory(t1, l1, "imported.yaml", &r, &err))
		finding("import wrote what the reader refuses", err.msg);
	rep = cxl_report_new(CXL_REPORT_TEXT, false, true, 1);
	if (!rep)
		finding("setup", "cannot create a report");
	if (cxl_replay_reader(r, NULL, rep, &pass, &err))
		finding("import wrote what replay refuses", err.msg);
	cxl_report_free(rep);
	cxl_trace_close(r);
	free(t1);
	return 0;
}
