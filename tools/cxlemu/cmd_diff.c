/* SPDX-License-Identifier: MIT */
/*
 * cmd_diff.c - "cxlemu diff --profile A --profile B TRACE...": where two personalities differ,
 * op by op; "cxlemu diff --matrix [--target T]... [TRACE|DIR...]": every rule against every
 * personality (and live target), judged by the conformance suite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

/* "read" or "reads" for @n. */
#define PL(n, one) ((n) == 1 ? (one) : one "s")

#include "cli.h"
#include "cxlemu/catalog.h"
#include "cxlemu/conform.h"
#include "cxlemu/target.h"
#include "cxlemu/trace.h"

#define MAX_COLUMNS 16

/* Everything a form prints goes here first and reaches stdout only when no input was bad. */
static FILE *out;

struct diff_ctx {
	const char *path, *a, *b;
	enum cxl_report_format fmt;
	bool first;
};

static void json_str(const char *s)
{
	cxl_json_escape(out, s ? s : "");
}

static void on_difference(void *vctx, const struct cxl_difference *d)
{
	struct diff_ctx *c = vctx;

	if (c->fmt == CXL_REPORT_JSON) {
		fprintf(out, "%s{\"op\": %lu, \"line\": %lu, \"device\": \"", c->first ? "" : ", ", d->op, d->line);
		json_str(d->device);
		if (d->is_read) {
			fputs("\", \"register\": \"", out);
			json_str(d->reg);
			fputs("\", \"fields\": \"", out);
			json_str(d->fields);
			fprintf(out, "\", \"a\": %llu, \"b\": %llu}", (unsigned long long)d->value_a,
			       (unsigned long long)d->value_b);
		} else {
			fputs("\", \"events_a\": \"", out);
			json_str(d->rules_a);
			fputs("\", \"events_b\": \"", out);
			json_str(d->rules_b);
			fputs("\"}", out);
		}
		c->first = false;
		return;
	}
	if (d->is_read)
		fprintf(out, "%s:%lu: op %lu: %s \"%s\"%s%s: %s reads 0x%llx, %s reads 0x%llx\n", c->path, d->line,
		       d->op, d->device, d->reg, d->fields[0] ? "." : "", d->fields, c->a,
		       (unsigned long long)d->value_a, c->b, (unsigned long long)d->value_b);
	else
		fprintf(out, "%s:%lu: op %lu: %s: events: %s %s; %s %s\n", c->path, d->line, d->op, d->device,
		       c->a, d->rules_a[0] ? d->rules_a : "none", c->b, d->rules_b[0] ? d->rules_b : "none");
}

/* The first form, into the spool: a bad trace anywhere leaves stdout empty (exit 2). */
static int two_profiles(const char *a, const char *b, enum cxl_report_format fmt, char **paths,
			int n)
{
	unsigned long total = 0;
	struct cxl_error err = { 0 };

	for (int i = 0; i < n; i++) {
		struct cxl_trace_reader *r = NULL;
		struct diff_ctx c = { cxl_path_display(paths[i]), a, b, fmt, true };
		struct cxl_diff_result res;

		if (cxl_trace_open(paths[i], &r, &err))
			return cli_input_error(&err);
		if (fmt == CXL_REPORT_JSON) {
			fputs("{\"trace\": \"", out);
			json_str(cxl_path_display(paths[i]));
			fprintf(out, "\", \"a\": \"%s\", \"b\": \"%s\", \"differences\": [", a, b);
		}
		if (cxl_diff(r, a, b, on_difference, &c, &res, &err)) {
			cxl_trace_close(r);
			return cli_input_error(&err);
		}
		cxl_trace_close(r);
		if (fmt == CXL_REPORT_JSON)
			fprintf(out, "], \"ops\": %lu, \"reads\": %lu, \"read_diffs\": %lu, \"event_diffs\": %lu}\n",
			       res.ops, res.reads, res.read_diffs, res.event_diffs);
		else
			fprintf(out, "%s: %s vs %s: %lu %s, %lu %s; %lu %s differ, %lu %s different "
			       "events: %s\n", cxl_path_display(paths[i]), a, b, res.ops, PL(res.ops, "op"),
			       res.reads, PL(res.reads, "read"), res.read_diffs, PL(res.read_diffs, "read"),
			       res.event_diffs, res.event_diffs == 1 ? "op raises" : "ops raise",
			       res.read_diffs + res.event_diffs ? "DIFFER" : "SAME");
		total += res.read_diffs + res.event_diffs;
	}
	return ferror(out) ? EXIT_BAD_INPUT : total ? EXIT_CHECK_FAILED : EXIT_PASS;
}

struct column {
	char name[64];
	int profile;             /* a personality's column: its index; a live target: -1 */
	struct cxl_target *t;
	unsigned long exercised[CXL_RULE__COUNT], deviated[CXL_RULE__COUNT];
};

/* The second form: the matrix as a Markdown table on stdout. */
static int matrix(char **targets, int ntargets, char **args, int nargs)
{
	struct column *col = calloc(MAX_COLUMNS, sizeof(*col));
	char **list = NULL;
	unsigned ncol = 0, n = 0;
	size_t shown = 0;
	struct cxl_error err = { 0 };
	int rc = EXIT_BAD_INPUT;

	if (!col)
		return cli_usage_error("diff", "out of memory");
	for (unsigned p = 0; p < cxl_profile_count() && ncol < MAX_COLUMNS; p++, ncol++) {
		char spec[80];

		snprintf(col[ncol].name, sizeof(col[ncol].name), "%s", cxl_profile_name(p));
		col[ncol].profile = (int)p;
		snprintf(spec, sizeof(spec), "model:%s", cxl_profile_name(p));
		if (cxl_target_open(spec, NULL, &col[ncol].t, &err)) {
			rc = cli_usage_error("diff", "%s", err.msg);
			goto out;
		}
	}
	for (int i = 0; i < ntargets && ncol < MAX_COLUMNS; i++, ncol++) {
		snprintf(col[ncol].name, sizeof(col[ncol].name), "%s", targets[i]);
		col[ncol].profile = -1;
		if (cxl_target_open(targets[i], NULL, &col[ncol].t, &err)) {
			rc = cli_usage_error("diff", "%s", err.msg);
			goto out;
		}
	}
	if ((rc = cli_scenarios("diff", args, nargs, &list, &n, &shown)))
		goto out;
	for (unsigned c = 0; c < ncol; c++)
		for (unsigned i = 0; i < n; i++) {
			struct cxl_trace_reader *r = NULL;
			struct cxl_conform_result res;

			if (cxl_trace_open(list[i], &r, &err)) {
				rc = cli_input_error(&err);
				goto out;
			}
			if (cxl_conform(r, col[c].t, cxl_default_profile(), NULL, NULL, NULL, &res, &err)) {
				cxl_trace_close(r);
				rc = cli_input_error(&err);
				goto out;
			}
			cxl_trace_close(r);
			for (unsigned k = 0; k < CXL_RULE__COUNT; k++) {
				col[c].exercised[k] += res.exercised[k];
				col[c].deviated[k] += res.deviated[k];
			}
		}
	for (unsigned c = 0; c < ncol; c++) {
		cxl_target_close(col[c].t);
		col[c].t = NULL;
	}
	fprintf(out, "| rule | spec |");
	for (unsigned c = 0; c < ncol; c++)
		fprintf(out, " %s |", col[c].name);
	fprintf(out, "\n|---|---|");
	for (unsigned c = 0; c < ncol; c++)
		fprintf(out, "---|");
	fputc('\n', out);
	for (unsigned k = 0; k < CXL_RULE__COUNT; k++) {
		/* comparisons of a recording with the model, not behaviours an implementation has */
		if (k == CXL_RULE_READ_MISMATCH || k == CXL_RULE_ACCESS_OUTCOME_MISMATCH)
			continue;
		fprintf(out, "| `%s` | %s |", cxl_rule_id(k), cxl_rule_spec(k));
		for (unsigned c = 0; c < ncol; c++) {
			/* observation rules (judge: self) come out the same way: cxl_conform() judges
			 * them on the column's own reads, so cxl-3.1, a bare device, fires them */
			if (col[c].deviated[k]) {
				fprintf(out, " fires (%lu) |", col[c].deviated[k]);
			} else {
				fprintf(out, " %s |", col[c].exercised[k] ? "holds" : "not exercised");
			}
		}
		fputc('\n', out);
	}
	rc = ferror(out) ? EXIT_BAD_INPUT : EXIT_PASS;
out:
	for (unsigned c = 0; c < ncol; c++)
		cxl_target_close(col[c].t);
	cli_scenarios_free(list, n);
	free(col);
	return rc;
}

/* The third form: scenario x personality, each against the scenario's own personality. */
static int scenarios(char **args, int nargs)
{
	char **list = NULL;
	unsigned n = 0;
	size_t shown = 0;
	struct cxl_error err = { 0 };
	int rc;

	if ((rc = cli_scenarios("diff", args, nargs, &list, &n, &shown)))
		goto out;
	fprintf(out, "| scenario | its personality |");
	for (unsigned p = 0; p < cxl_profile_count(); p++)
		fprintf(out, " %s |", cxl_profile_name(p));
	fprintf(out, "\n|---|---|");
	for (unsigned p = 0; p < cxl_profile_count(); p++)
		fprintf(out, "---|");
	fputc('\n', out);
	for (unsigned i = 0; i < n; i++) {
		struct cxl_trace_reader *r = NULL;
		const char *own, *name = shown ? list[i] + shown : list[i];
		char ownbuf[64];

		if (cxl_trace_open(list[i], &r, &err)) {
			rc = cli_input_error(&err);
			goto out;
		}
		snprintf(ownbuf, sizeof(ownbuf), "%s",
			 cxl_trace_header(r)->profile[0] ? cxl_trace_header(r)->profile : cxl_default_profile());
		own = ownbuf;
		cxl_trace_close(r);
		fprintf(out, "| %s | %s |", name, own);
		for (unsigned p = 0; p < cxl_profile_count(); p++) {
			struct cxl_diff_result res;

			if (cxl_trace_open(list[i], &r, &err)) {
				rc = cli_input_error(&err);
				goto out;
			}
			if (cxl_diff(r, own, cxl_profile_name(p), NULL, NULL, &res, &err)) {
				cxl_trace_close(r);
				rc = cli_input_error(&err);
				goto out;
			}
			cxl_trace_close(r);
			if (!res.read_diffs && !res.event_diffs)
				fprintf(out, " = |");
			else
				fprintf(out, " %lu %s, %lu %s |", res.read_diffs, PL(res.read_diffs, "read"),
					res.event_diffs, PL(res.event_diffs, "event"));
		}
		fputc('\n', out);
	}
	rc = ferror(out) ? EXIT_BAD_INPUT : EXIT_PASS;
out:
	cli_scenarios_free(list, n);
	return rc;
}

static const struct cli_option diff_options[] = {
	{ "profile", 0, 'p', CLI_V_PROFILE, "NAME", NULL,
	  "a personality to compare (give two)" },
	{ "target", 0, 't', CLI_V_TARGET, "TARGET", NULL,
	  "with --matrix: also a column for TARGET (repeatable)" },
	{ "matrix", 0, 'm', CLI_V_NONE, NULL, NULL,
	  "the rule x implementation table" },
	{ "scenarios", 0, 's', CLI_V_NONE, NULL, NULL,
	  "the scenario x personality table" },
	{ "format", 0, 'f', CLI_V_CHOICE, "FORMAT", "text json",
	  "text (default) or json" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_diff = {
	"diff", "where two personalities differ; the rule x implementation matrix",
	"--profile A --profile B [--format text|json] TRACE...\n"
	"       cxlemu diff --matrix [--target T]... [TRACE|DIR...]\n"
	"       cxlemu diff --scenarios [TRACE|DIR...]",
	"The first form runs each TRACE under personalities A and B side by side and prints\n"
	"every op where a read returns different values or the two raise different events.\n"
	"\n"
	"The second runs the conformance scenarios (default: the bundled suite) on every\n"
	"personality and on each --target, judged against cxl-3.1, and prints a Markdown table\n"
	"rule x implementation: holds (no scenario shows it broken), fires (n: the scenarios show\n"
	"it broken n times) or not exercised (no scenario that runs there exercises it). Host-\n"
	"safety observations (judge: self) are judged on the column's own reads: what the guest\n"
	"saw (cxl-3.1, a bare device with no shadow, fires them).\n"
	"\n"
	"The third runs each scenario (default: the bundled suite) under its own personality and\n"
	"under every other one side by side, and prints a Markdown table scenario x personality:\n"
	"= (the same reads and events) or how many reads and ops' events differ.",
	diff_options, CLI_V_FILE,
	"diff: 0 no difference, 1 differences; matrix, scenarios: 0; all: 2 bad input",
	cxlemu_cmd_diff,
};

int cxlemu_cmd_diff(int argc, char **argv)
{
	struct cli_parser p;
	enum cxl_report_format fmt = CXL_REPORT_TEXT;
	const char *prof[2] = { NULL, NULL };
	char *targets[MAX_COLUMNS];
	int nprof = 0, ntargets = 0, c, rc;
	bool want_matrix = false, want_scenarios = false;

	cli_parse_begin(&p, &cli_cmd_diff, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		switch (c) {
		case 'p':
			if (nprof == 2)
				return cli_usage_error("diff", "give two profiles, not more");
			if (cli_profile("diff", p.arg) < 0)
				return EXIT_BAD_INPUT;
			prof[nprof++] = p.arg;
			break;
		case 't':
			if (ntargets == MAX_COLUMNS / 2)
				return cli_usage_error("diff", "at most %d targets", MAX_COLUMNS / 2);
			targets[ntargets++] = p.arg;
			break;
		case 'm': want_matrix = true; break;
		case 's': want_scenarios = true; break;
		case 'f':
			if (cli_report_format("diff", p.arg, &fmt))
				return EXIT_BAD_INPUT;
			if (fmt != CXL_REPORT_TEXT && fmt != CXL_REPORT_JSON)
				return cli_usage_error("diff", "diff prints text or json");
			break;
		}
	}
	if (c == CLI_STOP)
		return p.status;
	if (want_scenarios && (nprof || ntargets || want_matrix))
		return cli_usage_error("diff", "--scenarios runs every profile on its own");
	if (want_matrix && nprof)
		return cli_usage_error("diff", "--matrix runs every profile; --profile is for the first form");
	if (!want_scenarios && !want_matrix) {
		if (ntargets)
			return cli_usage_error("diff", "--target goes with --matrix");
		if (nprof != 2)
			return cli_usage_error("diff", "give --profile A --profile B (see cxlemu diff --help)");
		if (p.nops == 0)
			return cli_usage_error("diff", "give at least one TRACE");
	}
	out = tmpfile();
	if (!out)
		return cli_usage_error("diff", "cannot create a temporary file for the output");
	rc = want_scenarios ? scenarios(p.ops, p.nops) :
	     want_matrix ? matrix(targets, ntargets, p.ops, p.nops) :
	     two_profiles(prof[0], prof[1], fmt, p.ops, p.nops);
	if (rc != EXIT_BAD_INPUT && !cli_copy_out(out, stdout))
		rc = cli_usage_error("diff", "cannot write the output");
	fclose(out);
	out = NULL;
	return rc;
}
