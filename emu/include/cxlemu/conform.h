/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/conform.h - run a trace on a target, record what it did, and judge it against a
 * personality of the model.
 *
 * cxl_record() runs every op of a trace on a target and builds the trace the target
 * produced: reads carry the values it answered, resets that hit other devices too are
 * written for each, and an op the target could not perform becomes a mark saying so.
 *
 * cxl_conform() runs every op on the target and on the model (under one profile) in
 * lockstep: each read the target answers is checked against the model's value, field by
 * field, and every field that differs is a deviation, attributed to its cause: the op that
 * last set the field in the model and what the model did there (the rule it enforced, a
 * plain write, a reset of some kind) or the power-on value. Skipped ops are skipped on both
 * sides. Rules the model exercised are tallied: a rule "holds" on the target when no
 * deviation is attributed to it.
 *
 * cxl_diff() runs a trace under two personalities and reports where they differ.
 */
#ifndef CXLEMU_CONFORM_H
#define CXLEMU_CONFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "cxlemu/error.h"
#include "cxlemu/report.h"
#include "cxlemu/target.h"
#include "cxlemu/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Runs @r on @t into @b (which gets @r's header; @b's devices are @r's). Returns an input
 * error of @r, or a target error with the op's location (file:line of the trace).
 */
enum cxl_err cxl_record(struct cxl_trace_reader *r, struct cxl_target *t,
			struct cxl_trace_builder *b, struct cxl_error *err);

/* What caused the model's value of a field that the target read differently. */
enum cxl_cause {
	CXL_CAUSE_POWER_ON,      /* no op set it: the reset (power-on) value */
	CXL_CAUSE_RULE,          /* the model enforced @rule at @cause_op */
	CXL_CAUSE_WRITE,         /* a write at @cause_op the model took as the field's attribute says */
	CXL_CAUSE_RESET,         /* a reset of kind @reset at @cause_op */
};

struct cxl_deviation {
	unsigned long op, line;  /* the read that showed it */
	const char *src;         /* its recorded source, or "" */
	const char *device, *reg, *field, *reg_spec;
	unsigned access;         /* the field's attribute under the profile (enum cxl_access) */
	uint64_t observed, expected; /* the field's value: the target's, the model's */
	unsigned cause;          /* enum cxl_cause */
	unsigned long cause_op;  /* for RULE, WRITE and RESET */
	unsigned rule;           /* for RULE */
	unsigned reset;          /* for RESET (enum cxl_reset_kind) */
};

typedef void (*cxl_deviation_fn)(void *ctx, const struct cxl_deviation *d);
/* Called for every op the target skipped (@op's index, the reason). */
typedef void (*cxl_skip_fn)(void *ctx, unsigned long op, const struct cxl_op *o, const char *reason);

struct cxl_conform_result {
	unsigned long ops, reads, skipped, deviations;
	/*
	 * Host-safety findings: events of observation rules (judge: self, spec/rules.yaml) that
	 * the model raised on the target's own reads (the guest saw the host's address, a Range
	 * Base write taken). Not deviations from the profile: a second verdict; each is also
	 * reported to @dev_fn, with cause CXL_CAUSE_RULE and observed = what the target returned.
	 */
	unsigned long findings;
	/* for rules: events the model raised (observation rules: checks it made) ... */
	unsigned long exercised[CXL_RULE__COUNT];
	/* ... and deviations attributed to each (observation rules: findings) */
	unsigned long deviated[CXL_RULE__COUNT];
};

/*
 * Runs @r on @t and on the model under @profile (NULL: each device's trace profile) in
 * lockstep, reporting deviations to @dev_fn and skipped ops to @skip_fn (either may be
 * NULL) and counting into @res. The verdict is yours: the target conforms iff
 * res->deviations == 0, and is safe to pass through iff res->findings == 0.
 */
enum cxl_err cxl_conform(struct cxl_trace_reader *r, struct cxl_target *t, const char *profile,
			 cxl_deviation_fn dev_fn, cxl_skip_fn skip_fn, void *ctx,
			 struct cxl_conform_result *res, struct cxl_error *err);

/*
 * Two personalities side by side: every device of @r is built under @profile_a and under
 * @profile_b, every op is applied to both, and each op where a read returns different values
 * or the two raise different events (rule and field) is reported to @fn. Recorded read values
 * are ignored. The personalities agree on the trace iff res->read_diffs + event_diffs == 0.
 */
struct cxl_difference {
	unsigned long op, line;
	const char *src, *device;
	bool is_read;                 /* a read whose values differ; else the events differ */
	uint64_t value_a, value_b;    /* the read's values under A and B */
	char reg[96], fields[256];    /* a read: the (first) register and the fields that differ */
	char rules_a[512], rules_b[512]; /* events only A / only B raised: "RULE (FIELD), ..." */
};
typedef void (*cxl_difference_fn)(void *ctx, const struct cxl_difference *d);
struct cxl_diff_result { unsigned long ops, reads, read_diffs, event_diffs; };
enum cxl_err cxl_diff(struct cxl_trace_reader *r, const char *profile_a, const char *profile_b,
		      cxl_difference_fn fn, void *ctx, struct cxl_diff_result *res,
		      struct cxl_error *err);

/*
 * The report of a conformance run over several scenarios (cxlemu conform), in @fmt:
 * deviations per scenario, then the rule table (holds / fails / not exercised) and the
 * table of distinct deviating fields. @target names the implementation ("qemu"); @profile
 * is the personality judged against. A scenario where no read could be compared (every op
 * skipped) is "not judged". Spooled: nothing is written until cxl_conform_report_flush().
 * NULL when out of memory.
 */
struct cxl_conform_report;
struct cxl_conform_report *cxl_conform_report_new(enum cxl_report_format fmt, bool verbose,
						  const char *target, const char *profile);
/* What the target says it is ("QEMU emulator version 7.2.22 ..."), for the verdict line. */
void cxl_conform_report_version(struct cxl_conform_report *r, const char *version);
/* Starts scenario @path; @h must stay valid until cxl_conform_report_end(). */
void cxl_conform_report_begin(struct cxl_conform_report *r, const char *path,
			      const struct cxl_trace_header *h);
/* One deviation of the current scenario (a cxl_deviation_fn with @r as context). */
void cxl_conform_report_deviation(struct cxl_conform_report *r, const struct cxl_deviation *d);
/* One skipped op (listed with @verbose, counted always). */
void cxl_conform_report_skip(struct cxl_conform_report *r, unsigned long op, unsigned long line,
			     const char *reason);
/* Ends the current scenario with its result. */
void cxl_conform_report_end(struct cxl_conform_report *r, const struct cxl_conform_result *res);
/* Writes the whole report to @out; false on a write error. */
bool cxl_conform_report_flush(struct cxl_conform_report *r, FILE *out);
/* Whether no scenario deviated, no host-safety finding was made, and something was judged. */
bool cxl_conform_report_conforms(const struct cxl_conform_report *r);
void cxl_conform_report_free(struct cxl_conform_report *r);

#ifdef __cplusplus
}
#endif

#endif
