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
#include "cxlemu/error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cxl_report_format { CXL_REPORT_TEXT, CXL_REPORT_JSON, CXL_REPORT_TAP, CXL_REPORT_JUNIT };

/*
 * The JSON Lines schema version: every line object of a JSON report (replay's and
 * conform's) has "schema_version": CXL_REPORT_SCHEMA_VERSION as its first key. The keys are
 * documented in doc/report.schema.json; the number changes when a key is removed or changes
 * meaning (adding a key does not change it). Reports before version 1 had no such key.
 */
#define CXL_REPORT_SCHEMA_VERSION 1

#define CXL_REPORT_MAX_DIFFS 64
/* Events written per trace; later ones are counted (summary, JSON events_dropped) only. */
#define CXL_REPORT_MAX_EVENTS 100000UL

/*
 * One (op, rule) pair that differs from expect:. @line/@col locate it in the trace: for a
 * pair expected but not seen, the expect: entry; for one seen but not expected, the op
 * (0 = unknown). @severity is the event's (seen) or the rule's default (not seen).
 */
struct cxl_expect_diff {
	unsigned long op;
	unsigned rule;
	char rule_id[64];
	unsigned long line, col;
	unsigned severity;
};

struct cxl_trace_summary {
	const char *path;
	const char *profile;
	unsigned long ops;                 /* every op, marks included */
	unsigned long device_ops;          /* ops applied to a device (all but marks) */
	unsigned long by_severity[3];      /* notes, warnings, errors */
	unsigned long reads_checked, mismatches, unmodeled;
	uint64_t state_hash;
	bool has_expect, pass;
	unsigned long nexpected, nmissing, nunexpected;  /* set sizes / differences */
	struct cxl_expect_diff missing[CXL_REPORT_MAX_DIFFS];    /* expected, not seen */
	struct cxl_expect_diff unexpected[CXL_REPORT_MAX_DIFFS]; /* seen, not expected */
};

/*
 * What a report holds so far: traces reported (cxl_report_trace_end()), of which passed
 * (with something checked), failed, skipped (nothing to check: no op reached a device; these
 * pass too), and inputs that could not be run (cxl_report_input_error()).
 */
struct cxl_report_counts { unsigned traces, passed, failed, skipped, errors; };

struct cxl_report;

/*
 * A report of @fmt; NULL on allocation or temp-file failure. @ntraces is the number of
 * traces the caller means to report (kept for compatibility: the TAP plan and the JUnit
 * counts are those of what was actually reported, known when the report is flushed).
 * @verbose adds notes and marks; @quiet (text) keeps only the summary, verdict and
 * expect: difference lines.
 *
 * Formats (doc/report.schema.json, doc/junit.xsd, README "Reports"):
 *  text   gcc-style lines "TRACE:LINE:COL: SEVERITY: op N: DEV "REG".FIELD: MESSAGE
 *         (DETAIL) (SPEC) [RULE]", a "FILE:LINE: note: op N was recorded here" line after
 *         an op imported from a log, the expect: differences as error lines, and one summary
 *         line per trace ending in its verdict (PASS, FAIL or SKIP and what was compared).
 *  json   one object per trace per line (JSON Lines, schema_version first).
 *  tap    TAP version 13: one test point per trace, "TRACE [PROFILE]", events as comments,
 *         a YAML diagnostics block under each "not ok", "# SKIP" when nothing was checked,
 *         "Bail out!" for an input error.
 *  junit  one <testcase> per (trace, profile), name "TRACE [PROFILE]", with file, time="0"
 *         (the output is deterministic: no clock is read), <failure>, <skipped> or <error>.
 */
struct cxl_report *cxl_report_new(enum cxl_report_format fmt, bool verbose, bool quiet,
				  unsigned ntraces);
/* Starts trace @path (replayed under @profile); everything until trace_end belongs to it. */
void cxl_report_trace_begin(struct cxl_report *r, const char *path, const char *description,
			    const char *profile);
/* One event of the current trace, at the line of its op (no column). */
void cxl_report_event(struct cxl_report *r, const struct cxl_event *ev);
/* One event of the current trace; @col is the column of its op in the trace (0 = unknown). */
void cxl_report_event_at(struct cxl_report *r, const struct cxl_event *ev, unsigned long col);
/* A mark op (index @op, at @line) of the current trace (text, with @verbose only). */
void cxl_report_mark(struct cxl_report *r, unsigned long op, unsigned long line, const char *text);
/* cxl_report_mark() with the column of the mark op (0 = unknown). */
void cxl_report_mark_at(struct cxl_report *r, unsigned long op, unsigned long line,
			unsigned long col, const char *text);
/* Register state of one device (for --dump-state), after the trace's events. */
void cxl_report_state(struct cxl_report *r, const struct cxl_device *d);
/* Ends the current trace with its summary and verdict. */
void cxl_report_trace_end(struct cxl_report *r, const struct cxl_trace_summary *s);
/*
 * Records that input @path could not be run: @err is the input error (as printed on
 * standard error, "file:line:col: error: msg"). Whatever the current trace wrote since
 * cxl_report_trace_begin() is discarded. JUnit gets a testcase "@path" with <error
 * message="file:line:col: error: msg" type="CODE">, JSON a line with "result": "error" and
 * an "error" object, text the error line, TAP "Bail out! file:line:col: error: msg" (after
 * which the TAP report records nothing more: a TAP consumer stops at a bail-out). For a
 * report written to a file (cxlemu replay -o): on bad input nothing goes to standard output.
 */
void cxl_report_input_error(struct cxl_report *r, const char *path, const struct cxl_error *err);
/* What @r holds so far (see struct cxl_report_counts). */
void cxl_report_get_counts(const struct cxl_report *r, struct cxl_report_counts *c);
/* Copy the whole report to @out; returns false on a write error. */
bool cxl_report_flush(struct cxl_report *r, FILE *out);
void cxl_report_free(struct cxl_report *r);

/* JSON string escaping (no quotes added); bytes that are not UTF-8 become \ufffd. */
void cxl_json_escape(FILE *out, const char *s);

#ifdef __cplusplus
}
#endif

#endif
