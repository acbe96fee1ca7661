/* SPDX-License-Identifier: MIT */
/*
 * coverage_report.c - the rule and attribute coverage of a set of scenarios (cxlemu/coverage.h):
 * the tally and its text and JSON reports. Knows nothing of files or replays: it is given each
 * scenario's counts (struct cxl_check_counts) and verdict.
 */
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/coverage.h"
#include "cxlemu/event.h"
#include "cxlemu/report.h"

#define CXL_EXPORT __attribute__((visibility("default")))

/* One rule's or attribute's tally over the passing scenarios. */
struct tally {
	unsigned long held_scen, fired_scen;   /* scenarios exercising it holding / firing */
	unsigned long held, fired;             /* checks that held / events, summed */
	long first_held, first_fired;          /* the first such scenario (index), -1 none */
};

struct cxl_coverage {
	char **names;
	bool *passed;
	size_t n, cap;
	unsigned long failed;
	struct tally rule[CXL_RULE__COUNT];
	struct tally attr[CXL_ACC__COUNT];
};

CXL_EXPORT
struct cxl_coverage *cxl_coverage_new(void)
{
	struct cxl_coverage *c = calloc(1, sizeof(*c));

	for (unsigned i = 0; c && i < CXL_RULE__COUNT; i++)
		c->rule[i].first_held = c->rule[i].first_fired = -1;
	for (unsigned i = 0; c && i < CXL_ACC__COUNT; i++)
		c->attr[i].first_held = c->attr[i].first_fired = -1;
	return c;
}

CXL_EXPORT
void cxl_coverage_free(struct cxl_coverage *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	free(c->passed);
	free(c);
}

/* Adds one scenario's (index @s) counts @held / @fired to @t. */
static void count(struct tally *t, long s, unsigned long held, unsigned long fired)
{
	t->held += held;
	t->fired += fired;
	if (held) {
		t->held_scen++;
		if (t->first_held < 0)
			t->first_held = s;
	}
	if (fired) {
		t->fired_scen++;
		if (t->first_fired < 0)
			t->first_fired = s;
	}
}

CXL_EXPORT
bool cxl_coverage_add(struct cxl_coverage *c, const char *name, const struct cxl_check_counts *k,
		      bool passed)
{
	char *copy;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		char **names = realloc(c->names, cap * sizeof(*names));
		bool *p;

		if (!names)
			return false;
		c->names = names;
		if (!(p = realloc(c->passed, cap * sizeof(*p))))
			return false;
		c->passed = p;
		c->cap = cap;
	}
	if (!(copy = strdup(name)))
		return false;
	c->names[c->n] = copy;
	c->passed[c->n] = passed;
	if (!passed) {
		c->failed++;
		c->n++;
		return true;
	}
	for (unsigned i = 0; i < CXL_RULE__COUNT; i++)
		count(&c->rule[i], (long)c->n, k->rule_held[i], k->rule_fired[i]);
	for (unsigned i = 0; i < CXL_ACC__COUNT; i++)
		count(&c->attr[i], (long)c->n, k->attr_held[i], k->attr_fired[i]);
	c->n++;
	return true;
}

CXL_EXPORT
bool cxl_coverage_complete(const struct cxl_coverage *c)
{
	if (c->failed || !c->n)
		return false;
	for (unsigned i = 0; i < CXL_RULE__COUNT; i++)
		if (!c->rule[i].held_scen || !c->rule[i].fired_scen)
			return false;
	return true;
}

/* What rule @i lacks: "", "holding", "firing" or "holding, firing". */
static const char *lacks(const struct tally *t)
{
	return !t->held_scen && !t->fired_scen ? "holding, firing" :
	       !t->held_scen ? "holding" : !t->fired_scen ? "firing" : "";
}

/* The name of scenario @s, or "-". */
static const char *sname(const struct cxl_coverage *c, long s)
{
	return s >= 0 ? c->names[s] : "-";
}

static void write_text(const struct cxl_coverage *c, FILE *out)
{
	unsigned long nh = 0, nf = 0;

	fprintf(out, "coverage of %zu scenarios (%lu failed their verdict and are not counted)\n\n",
		c->n, c->failed);
	fprintf(out, "%-28s %-7s %7s %7s  %s\n", "rule", "sev", "holds", "fires",
		"first scenario where it fires / holds");
	for (unsigned i = 0; i < CXL_RULE__COUNT; i++) {
		const struct tally *t = &c->rule[i];

		nh += t->held_scen != 0;
		nf += t->fired_scen != 0;
		fprintf(out, "%-28s %-7s %7lu %7lu  %s / %s%s%s\n", cxl_rule_id(i),
			cxl_severity_word(cxl_rule_severity(i)), t->held_scen, t->fired_scen,
			sname(c, t->first_fired), sname(c, t->first_held),
			*lacks(t) ? "  MISSING " : "", lacks(t));
	}
	fprintf(out, "\n%-10s %7s %7s %12s %12s\n", "attribute", "holds", "fires", "fields held",
		"fields fired");
	for (unsigned a = 0; a < CXL_ACC__COUNT; a++) {
		const struct tally *t = &c->attr[a];

		fprintf(out, "%-10s %7lu %7lu %12lu %12lu\n", cxl_access_word(a), t->held_scen,
			t->fired_scen, t->held, t->fired);
	}
	fprintf(out, "\n(holds / fires: scenarios exercising it holding / firing; for an attribute,"
		" writes covering a field of it)\n");
	for (size_t s = 0; s < c->n; s++)
		if (!c->passed[s])
			fprintf(out, "FAIL %s: fails its own verdict (cxlemu replay %s)\n", c->names[s],
				c->names[s]);
	fprintf(out, "coverage: %lu of %u rules exercised holding, %lu of %u firing: %s\n", nh,
		(unsigned)CXL_RULE__COUNT, nf, (unsigned)CXL_RULE__COUNT,
		cxl_coverage_complete(c) ? "complete" : "incomplete");
}

/* @s as a JSON string, quoted. */
static void jstr(FILE *out, const char *s)
{
	fputc('"', out);
	cxl_json_escape(out, s);
	fputc('"', out);
}

/* One JSON tally object's members. */
static void write_tally(const struct cxl_coverage *c, const struct tally *t, FILE *out)
{
	fprintf(out, "\"holds\": %lu, \"fires\": %lu, \"checks_held\": %lu, \"events\": %lu, "
		"\"first_holding\": ", t->held_scen, t->fired_scen, t->held, t->fired);
	if (t->first_held >= 0)
		jstr(out, c->names[t->first_held]);
	else
		fputs("null", out);
	fputs(", \"first_firing\": ", out);
	if (t->first_fired >= 0)
		jstr(out, c->names[t->first_fired]);
	else
		fputs("null", out);
}

static void write_json(const struct cxl_coverage *c, FILE *out)
{
	fprintf(out, "{\"schema_version\": %d, \"scenarios\": %zu, \"failed\": [", CXL_REPORT_SCHEMA_VERSION,
		c->n);
	for (size_t s = 0, k = 0; s < c->n; s++)
		if (!c->passed[s]) {
			fputs(k++ ? ", " : "", out);
			jstr(out, c->names[s]);
		}
	fputs("],\n \"rules\": [\n", out);
	for (unsigned i = 0; i < CXL_RULE__COUNT; i++) {
		fputs("  {\"id\": ", out);
		jstr(out, cxl_rule_id(i));
		fprintf(out, ", \"severity\": \"%s\", \"spec\": ", cxl_severity_word(cxl_rule_severity(i)));
		jstr(out, cxl_rule_spec(i));
		fputs(", ", out);
		write_tally(c, &c->rule[i], out);
		fputs(i + 1 < CXL_RULE__COUNT ? "},\n" : "}\n", out);
	}
	fputs(" ],\n \"attributes\": [\n", out);
	for (unsigned a = 0; a < CXL_ACC__COUNT; a++) {
		fputs("  {\"attribute\": ", out);
		jstr(out, cxl_access_word(a));
		fputs(", ", out);
		write_tally(c, &c->attr[a], out);
		fputs(a + 1 < CXL_ACC__COUNT ? "},\n" : "}\n", out);
	}
	fprintf(out, " ],\n \"result\": \"%s\"}\n", cxl_coverage_complete(c) ? "complete" : "incomplete");
}

CXL_EXPORT
bool cxl_coverage_write(const struct cxl_coverage *c, FILE *out, bool json)
{
	if (json)
		write_json(c, out);
	else
		write_text(c, out);
	return !ferror(out) && !fflush(out);
}
