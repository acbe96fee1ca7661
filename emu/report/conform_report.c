/* SPDX-License-Identifier: MIT */
/*
 * conform_report.c - the report of a conformance run (cxlemu conform): per scenario, per
 * rule and per deviating field, as text, JSON, TAP or JUnit.
 *
 * text   a line per deviation "FILE:LINE: op N: DEV "REG".FIELD: TARGET reads 0x.., PROFILE
 *        0x..: CAUSE (SPEC)", a summary line per scenario, then the rule table, the table of
 *        deviating fields (each distinct model/register/field/cause once) and a verdict line.
 *        Host-safety findings (observation rules) are listed the same way, "TARGET reads 0x..:
 *        RULE", and give the second verdict word UNSAFE.
 * json   one object per scenario per line, then one {"summary": ...} line.
 * tap    one test point per scenario, then one per rule (SKIP when no scenario exercised it).
 * junit  a testsuite of scenarios and a testsuite of rules.
 *
 * Everything goes to a spool first (cxl_conform_report_flush() copies it), so a run that
 * meets bad input prints nothing. Output is deterministic: tables keep first-seen order.
 */
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/conform.h"
#include "report_priv.h"

#define CXL_EXPORT __attribute__((visibility("default")))
#define FIELD_ROWS 512           /* distinct deviating fields kept; the rest are counted */
#define TRACE_LINES 200          /* deviation / skip lines kept per scenario */


/* "op" or "ops" for @n: the word @one, with an "s" unless @n is 1 (static storage). */
#define PL(n, one) ((n) == 1 ? (one) : one "s")
/* One distinct deviation: model, register and cause, with the fields it showed in. */
struct field_row {
	char model[64], reg[96], spec[192], cause[96];
	char fields[256];             /* "A, B, C" (first ones) */
	unsigned nfields;
	const char *access;           /* of the fields: one attribute word, or "mixed" */
	uint64_t observed, expected;  /* of the first field's first occurrence */
	bool observed_only;           /* an observation rule: there is no expected value */
	char first_field[64];
	char first[1100];             /* FILE:LINE of the first occurrence */
	unsigned long count, traces, last_trace;
};

struct cxl_conform_report {
	enum cxl_report_format fmt;
	bool verbose;
	char target[64], profile[64], version[256];
	FILE *spool;
	/* the current scenario */
	char *body;                   /* its deviation / skip lines (text, TAP, JUnit) or JSON items */
	size_t body_len;
	FILE *bodyf;
	unsigned long lines, dropped, nskip_json;
	char path[1024];
	const struct cxl_trace_header *h;
	/* the whole run */
	unsigned long ntraces, nconform, nunjudged, ndeviations, nskipped;
	unsigned long nunsafe, nfindings;  /* scenarios with findings and no deviation; findings */
	unsigned long exercised[CXL_RULE__COUNT], deviated[CXL_RULE__COUNT];
	struct field_row *rows;
	unsigned nrows;
	unsigned long rows_dropped;
	bool oom;
};

/* JSON string body (no quotes). */
static void js(FILE *f, const char *s)
{
	cxl_json_escape(f, s ? s : "");
}

CXL_EXPORT
struct cxl_conform_report *cxl_conform_report_new(enum cxl_report_format fmt, bool verbose,
						  const char *target, const char *profile)
{
	struct cxl_conform_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->fmt = fmt;
	r->verbose = verbose;
	snprintf(r->target, sizeof(r->target), "%s", target);
	snprintf(r->profile, sizeof(r->profile), "%s", profile);
	r->spool = tmpfile();
	r->rows = calloc(FIELD_ROWS, sizeof(*r->rows));
	if (!r->spool || !r->rows) {
		if (r->spool)
			fclose(r->spool);
		free(r->rows);
		free(r);
		return NULL;
	}
	if (fmt == CXL_REPORT_TAP)
		fputs("TAP version 13\n", r->spool);
	return r;
}

CXL_EXPORT
void cxl_conform_report_version(struct cxl_conform_report *r, const char *version)
{
	snprintf(r->version, sizeof(r->version), "%s", version ? version : "");
}

CXL_EXPORT
void cxl_conform_report_begin(struct cxl_conform_report *r, const char *path,
			      const struct cxl_trace_header *h)
{
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->h = h;
	r->lines = r->dropped = r->nskip_json = 0;
	r->ntraces++;
	free(r->body);
	r->body = NULL;
	r->body_len = 0;
	r->bodyf = open_memstream(&r->body, &r->body_len);
	if (!r->bodyf)
		r->oom = true;
}

/* The model of device @name in the current scenario. */
static const char *model_of(const struct cxl_conform_report *r, const char *name)
{
	for (unsigned i = 0; r->h && i < r->h->ndevices; i++)
		if (!strcmp(r->h->devices[i].name, name))
			return r->h->devices[i].model;
	return "?";
}

/* Whether @rule is an observation rule (judge: self): the target's read is the finding. */
static bool observed_only(unsigned cause, unsigned rule)
{
	return cause == CXL_CAUSE_RULE && cxl_rule_self_judged(rule);
}

/* The cause of @d in words, into @buf: "rule field.rwl-locked (op 5)". */
static void cause_words(const struct cxl_deviation *d, char *buf, size_t len, bool with_op)
{
	char at[40] = "";

	if (with_op)
		snprintf(at, sizeof(at), " (op %lu)", d->cause_op);
	switch (d->cause) {
	case CXL_CAUSE_RULE:
		snprintf(buf, len, "%s%s", cxl_rule_id(d->rule), at);
		break;
	case CXL_CAUSE_WRITE:
		snprintf(buf, len, "after the write%s", at);
		break;
	case CXL_CAUSE_RESET:
		snprintf(buf, len, "%s reset%s", cxl_reset_kind_name(d->reset), at);
		break;
	default:
		snprintf(buf, len, "power-on value");
		break;
	}
}

/* The spec section that says what the model did: the rule's, else the register's. */
static const char *spec_of(const struct cxl_deviation *d)
{
	const char *s = d->cause == CXL_CAUSE_RULE ? cxl_rule_spec(d->rule) : "-";

	return strcmp(s, "-") ? s : d->reg_spec ? d->reg_spec : "";
}

/* Whether the comma list @list holds @name. */
static bool has_name(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* Adds @d to the table of distinct deviations (model, register, cause). */
static void add_row(struct cxl_conform_report *r, const struct cxl_deviation *d)
{
	const char *model = model_of(r, d->device);
	const char *acc = d->field[0] ? cxl_access_word(d->access) : "-";
	char cause[96];
	struct field_row *f = NULL;

	cause_words(d, cause, sizeof(cause), false);
	for (unsigned i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].model, model) && !strcmp(r->rows[i].reg, d->reg) &&
		    !strcmp(r->rows[i].cause, cause)) {
			f = &r->rows[i];
			break;
		}
	if (!f) {
		if (r->nrows == FIELD_ROWS) {
			r->rows_dropped++;
			return;
		}
		f = &r->rows[r->nrows++];
		snprintf(f->model, sizeof(f->model), "%s", model);
		snprintf(f->reg, sizeof(f->reg), "%s", d->reg);
		snprintf(f->spec, sizeof(f->spec), "%s", spec_of(d));
		snprintf(f->cause, sizeof(f->cause), "%s", cause);
		snprintf(f->first, sizeof(f->first), "%s:%lu", r->path, d->line);
		snprintf(f->first_field, sizeof(f->first_field), "%s", d->field);
		f->access = acc;
		f->observed = d->observed;
		f->expected = d->expected;
		f->observed_only = observed_only(d->cause, d->rule);
	}
	if (!has_name(f->fields, d->field)) {
		size_t n = strlen(f->fields);

		if (n + strlen(d->field) + 8 < sizeof(f->fields))
			snprintf(f->fields + n, sizeof(f->fields) - n, "%s%s", n ? ", " : "", d->field);
		else if (!strstr(f->fields, "..."))
			snprintf(f->fields + n, sizeof(f->fields) - n, ", ...");
		f->nfields++;
		if (strcmp(f->access, acc))
			f->access = "mixed";
	}
	f->count++;
	if (f->last_trace != r->ntraces) {
		f->last_trace = r->ntraces;
		f->traces++;
	}
}

/* Whether another line fits the current scenario's body. */
static bool room(struct cxl_conform_report *r)
{
	if (!r->bodyf)
		return false;
	if (r->lines >= TRACE_LINES) {
		r->dropped++;
		return false;
	}
	r->lines++;
	return true;
}

CXL_EXPORT
void cxl_conform_report_deviation(struct cxl_conform_report *r, const struct cxl_deviation *d)
{
	char cause[128];
	FILE *f = r->bodyf;

	add_row(r, d);
	if (!room(r))
		return;
	cause_words(d, cause, sizeof(cause), true);
	if (r->fmt == CXL_REPORT_JSON) {
		fprintf(f, "%s{\"op\": %lu, \"line\": %lu, \"source\": \"", r->lines > 1 ? ", " : "",
			d->op, d->line);
		js(f, d->src);
		fputs("\", \"device\": \"", f);
		js(f, d->device);
		fputs("\", \"register\": \"", f);
		js(f, d->reg);
		fputs("\", \"field\": \"", f);
		js(f, d->field);
		fprintf(f, "\", \"access\": \"%s\", \"observed\": %llu, \"expected\": %llu, \"cause\": \"",
			d->field[0] ? cxl_access_word(d->access) : "", (unsigned long long)d->observed,
			(unsigned long long)d->expected);
		js(f, cause);
		fputs("\", \"spec\": \"", f);
		js(f, spec_of(d));
		fputs("\"}", f);
		return;
	}
	if (r->fmt == CXL_REPORT_TAP)
		fputs("# ", f);
	if (observed_only(d->cause, d->rule))
		fprintf(f, "%s:%lu: op %lu: %s \"%s\"%s%s: %s reads 0x%llx: %s (%s)\n", r->path, d->line,
			d->op, d->device, d->reg, d->field[0] ? "." : "", d->field, r->target,
			(unsigned long long)d->observed, cause, spec_of(d));
	else
		fprintf(f, "%s:%lu: op %lu: %s \"%s\"%s%s: %s reads 0x%llx, %s 0x%llx: %s (%s)\n",
			r->path, d->line, d->op, d->device, d->reg, d->field[0] ? "." : "", d->field,
			r->target, (unsigned long long)d->observed, r->profile,
			(unsigned long long)d->expected, cause, spec_of(d));
}

CXL_EXPORT
void cxl_conform_report_skip(struct cxl_conform_report *r, unsigned long op, unsigned long line,
			     const char *reason)
{
	r->nskipped++;
	if (!r->verbose || r->fmt == CXL_REPORT_JSON || !room(r))
		return;
	fprintf(r->bodyf, "%s%s:%lu: op %lu: skipped: %s\n", r->fmt == CXL_REPORT_TAP ? "# " : "",
		r->path, line, op, reason);
}

CXL_EXPORT
void cxl_conform_report_end(struct cxl_conform_report *r, const struct cxl_conform_result *res)
{
	bool conf = res->deviations == 0, safe = res->findings == 0, ok = conf && safe;
	bool unjudged = ok && res->reads == 0;
	const char *desc = r->h ? r->h->description : "";
	const char *word = !conf ? "deviates" : !safe ? "unsafe" : unjudged ? "not judged" : "conforms";
	const char *caps = !conf ? (safe ? "DEVIATES" : "DEVIATES, UNSAFE") : !safe ? "UNSAFE" :
			   unjudged ? "NOT JUDGED (no read compared)" : "CONFORMS";
	char found[64] = "";
	FILE *s = r->spool;

	if (res->findings)
		snprintf(found, sizeof(found), ", %lu host-safety finding%s", res->findings,
			 res->findings == 1 ? "" : "s");
	if (r->bodyf && fclose(r->bodyf))
		r->oom = true;
	r->bodyf = NULL;
	r->nconform += ok && !unjudged;
	r->nunjudged += unjudged;
	r->nunsafe += conf && !safe;
	r->ndeviations += res->deviations;
	r->nfindings += res->findings;
	for (unsigned i = 0; i < CXL_RULE__COUNT; i++) {
		r->exercised[i] += res->exercised[i];
		r->deviated[i] += res->deviated[i];
	}
	switch (r->fmt) {
	case CXL_REPORT_JSON:
		fprintf(s, "{\"schema_version\": %d, \"trace\": \"", CXL_REPORT_SCHEMA_VERSION);
		js(s, r->path);
		fputs("\", \"description\": \"", s);
		js(s, desc);
		fputs("\", \"target\": \"", s);
		js(s, r->target);
		fputs("\", \"profile\": \"", s);
		js(s, r->profile);
		fprintf(s, "\", \"ops\": %lu, \"reads\": %lu, "
			"\"skipped\": %lu, \"deviations\": %lu, \"findings\": %lu, \"items\": [%s], "
			"\"items_dropped\": %lu, \"result\": \"%s\"}\n", res->ops,
			res->reads, res->skipped, res->deviations, res->findings, r->body ? r->body : "",
			r->dropped, word);
		break;
	case CXL_REPORT_TAP:
		fprintf(s, "%s %lu - ", ok ? "ok" : "not ok", r->ntraces);
		cxl_tap_escape(s, r->path);
		fputs(desc[0] ? ": " : "", s);
		cxl_tap_escape(s, desc);
		fprintf(s, "%s\n", unjudged ? " # SKIP no read could be compared" : "");
		if (!ok) {
			/* TAP 13 diagnostics of the failed point */
			fprintf(s, "  ---\n  message: \"%lu deviations from %s%s\"\n  severity: fail\n"
				"  file: ", res->deviations, r->profile, found);
			cxl_tap_yaml_quote(s, r->path);
			fputs("\n  target: ", s);
			cxl_tap_yaml_quote(s, r->target);
			fprintf(s, "\n  deviations: %lu\n  findings: %lu\n  ...\n", res->deviations,
				res->findings);
		}
		fprintf(s, "# %lu ops, %lu reads compared, %lu skipped, %lu deviations%s\n", res->ops,
			res->reads, res->skipped, res->deviations, found);
		fputs(r->body ? r->body : "", s);
		break;
	case CXL_REPORT_JUNIT:
		fputs("    <testcase classname=\"cxlemu.conform.scenario\" name=\"", s);
		cxl_xml_attr_escape(s, r->path);
		fputs("\" file=\"", s);
		cxl_xml_attr_escape(s, r->path);
		fputs("\" time=\"0\">\n", s);
		if (!ok) {
			fprintf(s, "      <failure message=\"%lu deviations from %s%s\" type=\"deviation\">",
				res->deviations, r->profile, found);
			cxl_xml_escape(s, r->body ? r->body : "");
			fputs("</failure>\n", s);
		} else if (unjudged) {
			fputs("      <skipped message=\"no read could be compared\"/>\n", s);
		} else if (r->body && r->body[0]) {
			fputs("      <system-out>", s);
			cxl_xml_escape(s, r->body ? r->body : "");
			fputs("</system-out>\n", s);
		}
		fputs("    </testcase>\n", s);
		break;
	default:
		fputs(r->body ? r->body : "", s);
		fprintf(s, "%s: %lu %s, %lu %s compared, %lu skipped on %s; %lu %s from %s%s: %s\n",
			r->path, res->ops, PL(res->ops, "op"), res->reads, PL(res->reads, "read"),
			res->skipped, r->target, res->deviations, PL(res->deviations, "deviation"),
			r->profile, found, caps);
		break;
	}
	if (r->dropped && r->fmt != CXL_REPORT_JSON)
		fprintf(s, "%s%s: ... and %lu more lines\n", r->fmt == CXL_REPORT_TAP ? "# " : "",
			r->path, r->dropped);
	free(r->body);
	r->body = NULL;
	r->h = NULL;
}

/* A rule's verdict word. */
static const char *verdict(const struct cxl_conform_report *r, unsigned i)
{
	return r->deviated[i] ? "fails" : r->exercised[i] ? "holds" : "not exercised";
}

/* Whether rule @i belongs in the rule table (read.mismatch is the comparison itself). */
static bool listed(unsigned i)
{
	return i != CXL_RULE_READ_MISMATCH;
}

/* One row of the deviation table: MODEL "REG" FIELD(S) [ACCESS]: 0xOBS, not 0xEXP: CAUSE (SPEC); ... */
static void row_line(const struct cxl_conform_report *r, FILE *s, const char *prefix,
		     const struct field_row *f)
{
	char names[sizeof(f->fields)];

	/* at most three field names, then how many there are */
	snprintf(names, sizeof(names), "%s", f->fields[0] ? f->fields : "(register)");
	if (f->nfields > 3) {
		char *p = names;

		for (int k = 0; k < 3 && p; k++)
			p = strstr(p + 1, ", ");
		if (p)
			snprintf(p, sizeof(names) - (size_t)(p - names), " ... (%u fields)", f->nfields);
	}
	fprintf(s, "%s%s \"%s\" %s [%s]: ", prefix, f->model, f->reg, names, f->access);
	if (f->observed_only)
		fprintf(s, "0x%llx seen", (unsigned long long)f->observed);
	else if (f->nfields > 1)
		fprintf(s, "%s 0x%llx, not 0x%llx, ...", f->first_field, (unsigned long long)f->observed,
			(unsigned long long)f->expected);
	else
		fprintf(s, "0x%llx, not 0x%llx", (unsigned long long)f->observed,
			(unsigned long long)f->expected);
	fprintf(s, ": %s (%s); %lu in %lu scenario%s, first %s\n", f->cause, f->spec, f->count,
		f->traces, f->traces == 1 ? "" : "s", f->first);
	(void)r;
}

/* The closing tables, in the report's format. */
static void tables(struct cxl_conform_report *r)
{
	unsigned long hold = 0, fail = 0, none = 0;
	FILE *s = r->spool;
	unsigned n = 0;

	for (unsigned i = 0; i < CXL_RULE__COUNT; i++)
		if (listed(i)) {
			hold += r->exercised[i] && !r->deviated[i];
			fail += r->deviated[i] != 0;
			none += !r->exercised[i] && !r->deviated[i];
		}
	switch (r->fmt) {
	case CXL_REPORT_JSON:
		fprintf(s, "{\"schema_version\": %d, \"summary\": {\"target\": \"",
			CXL_REPORT_SCHEMA_VERSION);
		js(s, r->target);
		fputs("\", \"version\": \"", s);
		js(s, r->version);
		fputs("\", \"profile\": \"", s);
		js(s, r->profile);
		fprintf(s, "\", \"scenarios\": %lu, \"conform\": %lu, \"deviate\": %lu, "
			"\"not_judged\": %lu, \"unsafe\": %lu, \"deviations\": %lu, \"findings\": %lu, "
			"\"skipped\": %lu, \"rules\": [",
			r->ntraces, r->nconform,
			r->ntraces - r->nconform - r->nunjudged - r->nunsafe,   /* as the text summary */
			r->nunjudged, r->nunsafe, r->ndeviations, r->nfindings, r->nskipped);
		for (unsigned i = 0; i < CXL_RULE__COUNT; i++)
			if (listed(i)) {
				fprintf(s, "%s{\"rule\": \"%s\", \"spec\": \"", n++ ? ", " : "", cxl_rule_id(i));
				js(s, cxl_rule_spec(i));
				fprintf(s, "\", \"exercised\": %lu, \"deviated\": %lu, \"verdict\": \"%s\"}",
					r->exercised[i], r->deviated[i], verdict(r, i));
			}
		fputs("], \"deviating\": [", s);
		for (unsigned i = 0; i < r->nrows; i++) {
			const struct field_row *f = &r->rows[i];

			fprintf(s, "%s{\"model\": \"", i ? ", " : "");
			js(s, f->model);
			fputs("\", \"register\": \"", s);
			js(s, f->reg);
			fputs("\", \"fields\": \"", s);
			js(s, f->fields);
			fprintf(s, "\", \"nfields\": %u, \"access\": \"%s\", \"cause\": \"", f->nfields, f->access);
			js(s, f->cause);
			fputs("\", \"first_field\": \"", s);
			js(s, f->first_field);
			fprintf(s, "\", \"observed\": %llu, \"expected\": %llu, \"count\": %lu, \"scenarios\": %lu, "
				"\"first\": \"", (unsigned long long)f->observed, (unsigned long long)f->expected,
				f->count, f->traces);
			js(s, f->first);
			fputs("\", \"spec\": \"", s);
			js(s, f->spec);
			fputs("\"}", s);
		}
		fprintf(s, "], \"rows_dropped\": %lu, \"rules_hold\": %lu, \"rules_fail\": %lu, "
			"\"rules_not_exercised\": %lu, \"result\": \"%s\"}}\n", r->rows_dropped, hold, fail,
			none, r->ndeviations ? "deviates" : r->nfindings ? "unsafe" :
			r->nunjudged == r->ntraces ? "not judged" : "conforms");
		return;
	case CXL_REPORT_TAP:
		for (unsigned i = 0; i < CXL_RULE__COUNT; i++) {
			if (!listed(i))
				continue;
			n++;
			if (r->deviated[i]) {
				fprintf(s, "not ok %lu - rule %s (", r->ntraces + n, cxl_rule_id(i));
				cxl_tap_escape(s, cxl_rule_spec(i));
				fprintf(s, "): %lu of %lu deviated\n  ---\n  message: \"%lu of %lu deviated\"\n"
					"  severity: fail\n  rule: \"%s\"\n  spec: ", r->deviated[i],
					r->exercised[i], r->deviated[i], r->exercised[i], cxl_rule_id(i));
				cxl_tap_yaml_quote(s, cxl_rule_spec(i));
				fputs("\n  ...\n", s);
			} else if (r->exercised[i]) {
				fprintf(s, "ok %lu - rule %s (", r->ntraces + n, cxl_rule_id(i));
				cxl_tap_escape(s, cxl_rule_spec(i));
				fprintf(s, ") holds: exercised %lu\n", r->exercised[i]);
			} else {
				fprintf(s, "ok %lu - rule %s # SKIP not exercised\n", r->ntraces + n,
					cxl_rule_id(i));
			}
		}
		for (unsigned i = 0; i < r->nrows; i++)
			row_line(r, s, "# deviation: ", &r->rows[i]);
		fprintf(s, "1..%lu\n", r->ntraces + n);
		return;
	case CXL_REPORT_JUNIT:
		return;  /* written by flush around the scenarios */
	default:
		break;
	}
	fprintf(s, "\nrules (%s, on %s):\n", r->profile, r->target);
	for (unsigned i = 0; i < CXL_RULE__COUNT; i++)
		if (listed(i) && (r->exercised[i] || r->deviated[i]))
			fprintf(s, "  %-6s %-28s exercised %lu, deviated %lu (%s)\n",
				r->deviated[i] ? "FAILS" : "holds", cxl_rule_id(i), r->exercised[i],
				r->deviated[i], cxl_rule_spec(i));
	fputs("  not exercised:", s);
	for (unsigned i = 0; i < CXL_RULE__COUNT; i++)
		if (listed(i) && !r->exercised[i] && !r->deviated[i])
			fprintf(s, " %s", cxl_rule_id(i));
	fputs(none ? "\n" : " none\n", s);
	if (r->nrows) {
		fprintf(s, "\ndeviations (%s reads, %s expects) and host-safety findings, by register and "
			"cause:\n", r->target, r->profile);
		for (unsigned i = 0; i < r->nrows; i++)
			row_line(r, s, "  ", &r->rows[i]);
		if (r->rows_dropped)
			fprintf(s, "  ... and %lu more\n", r->rows_dropped);
	}
	fprintf(s, "\nconform: %s%s%s%s, profile %s: %lu %s, %lu conform, %lu deviate, %lu unsafe, "
		"%lu not judged; %lu %s, %lu host-safety %s, %lu %s skipped; rules: %lu hold, "
		"%lu fail, %lu not exercised: %s\n",
		r->target, r->version[0] ? " (" : "", r->version, r->version[0] ? ")" : "", r->profile,
		r->ntraces, PL(r->ntraces, "scenario"), r->nconform, r->ntraces - r->nconform - r->nunjudged - r->nunsafe, r->nunsafe,
		r->nunjudged, r->ndeviations, PL(r->ndeviations, "deviation"), r->nfindings,
		PL(r->nfindings, "finding"), r->nskipped, PL(r->nskipped, "op"), hold, fail, none,
		!r->ndeviations ? (r->nfindings ? "UNSAFE" : r->nunjudged == r->ntraces ?
				   "NOT JUDGED (no scenario had a read to compare)" : "CONFORMS") :
		r->nfindings ? "DEVIATES, UNSAFE" : "DEVIATES");
}

/* JUnit: the scenarios' testcases (already spooled) and the rules' suite around them. */
static bool flush_junit(struct cxl_conform_report *r, FILE *out)
{
	unsigned long nrules = 0, rfail = 0, rskip = 0;
	char buf[8192];
	size_t n;

	for (unsigned i = 0; i < CXL_RULE__COUNT; i++)
		if (listed(i)) {
			nrules++;
			rfail += r->deviated[i] != 0;
			rskip += !r->exercised[i] && !r->deviated[i];
		}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cxlemu.conform\">\n", out);
	fprintf(out, "  <testsuite name=\"cxlemu.conform.scenarios\" tests=\"%lu\" failures=\"%lu\" "
		"errors=\"0\" skipped=\"%lu\" time=\"0\">\n", r->ntraces,
		r->ntraces - r->nconform - r->nunjudged, r->nunjudged);
	rewind(r->spool);
	while ((n = fread(buf, 1, sizeof(buf), r->spool)) > 0)
		fwrite(buf, 1, n, out);
	fputs("  </testsuite>\n", out);
	fprintf(out, "  <testsuite name=\"cxlemu.conform.rules\" tests=\"%lu\" failures=\"%lu\" "
		"errors=\"0\" skipped=\"%lu\" time=\"0\">\n", nrules, rfail, rskip);
	for (unsigned i = 0; i < CXL_RULE__COUNT; i++) {
		if (!listed(i))
			continue;
		fprintf(out, "    <testcase classname=\"cxlemu.conform.rule\" name=\"%s\" time=\"0\">",
			cxl_rule_id(i));
		if (r->deviated[i]) {
			fprintf(out, "<failure message=\"%lu of %lu deviated (", r->deviated[i], r->exercised[i]);
			cxl_xml_attr_escape(out, cxl_rule_spec(i));
			fputs(")\" type=\"deviation\"/>", out);
		}
		else if (!r->exercised[i])
			fputs("<skipped message=\"not exercised\"/>", out);
		fputs("</testcase>\n", out);
	}
	fputs("  </testsuite>\n</testsuites>\n", out);
	return !ferror(out);
}

CXL_EXPORT
bool cxl_conform_report_flush(struct cxl_conform_report *r, FILE *out)
{
	char buf[8192];
	size_t n;

	if (r->oom)
		return false;
	if (r->fmt == CXL_REPORT_JUNIT)
		return flush_junit(r, out) && fflush(out) == 0;
	tables(r);
	rewind(r->spool);
	while ((n = fread(buf, 1, sizeof(buf), r->spool)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return false;
	return !ferror(r->spool) && fflush(out) == 0;
}

CXL_EXPORT
bool cxl_conform_report_conforms(const struct cxl_conform_report *r)
{
	/* a run that judged nothing (every scenario skipped or without a compared read) passes
	 * nothing either */
	return r->ndeviations == 0 && r->nfindings == 0 && r->nunjudged < r->ntraces;
}

CXL_EXPORT
void cxl_conform_report_free(struct cxl_conform_report *r)
{
	if (!r)
		return;
	if (r->bodyf)
		fclose(r->bodyf);
	free(r->body);
	free(r->rows);
	if (r->spool)
		fclose(r->spool);
	free(r);
}
