/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/coverage.h - which rules and field attributes a set of scenarios exercises, holding
 * and firing.
 *
 * A rule is exercised holding by a scenario when its replay evaluated the rule at least once
 * and the rule held there (software behaved: a write left a read-only field alone, a commit
 * passed the check); firing when the replay raised at least one event of the rule. The
 * counts come from replays with cxl_replay_opts.checks set (struct cxl_check_counts in
 * cxlemu/device.h says what "evaluated" means per rule). A conformance suite is complete
 * when every rule id has a passing scenario of each kind and no scenario fails its own
 * verdict (a failing scenario is listed, and its counts are not used).
 */
#ifndef CXLEMU_COVERAGE_H
#define CXLEMU_COVERAGE_H

#include <stdbool.h>
#include <stdio.h>

#include "cxlemu/device.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cxl_coverage;

/* A new, empty tally; NULL when out of memory. */
struct cxl_coverage *cxl_coverage_new(void);
/* Frees @c; NULL is a no-op. */
void cxl_coverage_free(struct cxl_coverage *c);

/*
 * Adds scenario @name (shown as given; copied) with the counts @k of its replay and its
 * verdict @passed. Returns false when out of memory (nothing added).
 */
bool cxl_coverage_add(struct cxl_coverage *c, const char *name, const struct cxl_check_counts *k,
		      bool passed);

/* True when every rule is exercised holding and firing by passing scenarios and none failed. */
bool cxl_coverage_complete(const struct cxl_coverage *c);

/*
 * Writes the tally to @out: per rule id and per field access attribute, how many scenarios
 * exercise it holding and firing (and how many checks), then a verdict line; as text, or as
 * one JSON object when @json (keys in doc/coverage.schema.json). Deterministic: rules in
 * spec/rules.yaml order, attributes in spec/vocabulary.yaml order, scenarios as added.
 * Returns false on a write error.
 */
bool cxl_coverage_write(const struct cxl_coverage *c, FILE *out, bool json);

#ifdef __cplusplus
}
#endif

#endif
