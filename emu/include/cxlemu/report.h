/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/report.h - turn events and per-trace summaries into text, JSON,
 * TAP or JUnit.
 *
 * Everything is written to a spool (an anonymous temporary file) and only
 * copied to the real output by cxl_report_flush(), so a run that hits bad
 * input can print nothing at all on stdout. Output is deterministic: no
 * addresses, no clock, no hash order.
 */
#ifndef CXLEMU_REPORT_H
#define CXLEMU_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cxlemu/device.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cxl_report_format { CXL_REPORT_TEXT, CXL_REPORT_JSON, CXL_REPORT_TAP, CXL_REPORT_JUNIT };

#define CXL_REPORT_MAX_DIFFS 64
/* Events written per trace; later ones are counted (summary, JSON events_dropped) only. */
#define CXL_REPORT_MAX_EVENTS 100000UL

struct cxl_expect_diff { unsigned long op; unsigned rule; char rule_id[64]; };

struct cxl_trace_summary {
	const char *path;
	const char *profile;
	unsigned long ops;
	unsigned long by_severity[3];      /* notes, warnings, errors */
	unsigned long reads_checked, mismatches, unmodeled;
	uint64_t state_hash;
	bool has_expect, pass;
	unsigned long nexpected, nmissing, nunexpected;  /* set sizes / differences */
	struct cxl_expect_diff missing[CXL_REPORT_MAX_DIFFS];    /* expected, not seen */
	struct cxl_expect_diff unexpected[CXL_REPORT_MAX_DIFFS]; /* seen, not expected */
};

struct cxl_report;

/* A report for @ntraces traces; NULL on allocation or temp-file failure. */
struct cxl_report *cxl_report_new(enum cxl_report_format fmt, bool verbose, bool quiet,
				  unsigned ntraces);
void cxl_report_trace_begin(struct cxl_report *r, const char *path, const char *description,
			    const char *profile);
void cxl_report_event(struct cxl_report *r, const struct cxl_event *ev);
void cxl_report_mark(struct cxl_report *r, unsigned long op, unsigned long line, const char *text);
/* Register state of one device (for --dump-state), after the trace's events. */
void cxl_report_state(struct cxl_report *r, const struct cxl_device *d);
void cxl_report_trace_end(struct cxl_report *r, const struct cxl_trace_summary *s);
/* Copy the whole report to @out; returns false on a write error. */
bool cxl_report_flush(struct cxl_report *r, FILE *out);
void cxl_report_free(struct cxl_report *r);

/* JSON string escaping (no quotes added). */
void cxl_json_escape(FILE *out, const char *s);

#ifdef __cplusplus
}
#endif

#endif
