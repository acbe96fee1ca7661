/* SPDX-License-Identifier: MIT */
/*
 * helpers.h - run the importers in-process on small inputs and look at
 * the trace text they produce.
 */
#ifndef IMPORT_TEST_HELPERS_H
#define IMPORT_TEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>

#include "cxlemu/import.h"

struct run {
	enum cxl_err rc;
	struct cxl_error err;
	char *out;          /* the trace text ("" on error) */
	size_t len;
};

/* Creates the per-process scratch directory; returns its path. */
const char *tmp_dir(void);
/* Removes the scratch directory and everything in it. */
void tmp_cleanup(void);
/* Writes @len bytes to @name in the scratch directory; returns a static path. */
const char *tmp_file(const char *name, const void *data, size_t len);
/* Same for a NUL-terminated string. */
const char *tmp_text(const char *name, const char *text);

/*
 * Imports @paths (@n of them) as @format with --device @pins (NULL-ended,
 * may be NULL) and --expect @expect (may be NULL) into @r.
 */
/* cxl_import_opts.allow_truncated for the next run_import() calls (default false). */
extern bool allow_truncated;
void run_import(struct run *r, enum cxl_import_format format,
		const char *const *pins, const char *expect,
		const char *const *paths, unsigned n);
/* run_import() of one in-memory input written to a scratch file. */
void run_text(struct run *r, enum cxl_import_format format, const char *text,
	      const char *const *pins);
void run_free(struct run *r);

/* An input log built line by line, so tests know each line's number. */
struct test_log {
	char buf[65536];
	size_t len;
	unsigned lines;
};

/* Appends one line (printf @fmt, then "\n") to @l; returns its 1-based line number. */
unsigned log_line(struct test_log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True when @out has a line exactly equal to @line. */
bool has_line(const char *out, const char *line);
/* Number of lines of @out that start with @prefix. */
unsigned count_lines(const char *out, const char *prefix);
/* The number after the header comment "# ...@label" (e.g. "lines read:"). */
unsigned long header_num(const char *out, const char *label);
/* True when produced ops + context + skipped == lines read in @out's header. */
bool header_balanced(const char *out);

#endif
