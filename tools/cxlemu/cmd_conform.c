/* SPDX-License-Identifier: MIT */
/*
 * cmd_conform.c - "cxlemu conform --target T [TRACE|DIR...]": run scenarios on a live
 * implementation and on the model in lockstep, and report where the implementation deviates
 * from a personality (cxl-3.1 unless told), per scenario, per rule and per field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cxlemu/catalog.h"
#include "cxlemu/conform.h"
#include "cxlemu/target.h"
#include "cxlemu/trace.h"

static void on_deviation(void *ctx, const struct cxl_deviation *d)
{
	cxl_conform_report_deviation(ctx, d);
}

static void on_skip(void *ctx, unsigned long op, const struct cxl_op *o, const char *reason)
{
	cxl_conform_report_skip(ctx, op, o->line, reason);
}

/* The "version: ..." line of @prov into @buf ("" if none). */
static void version_of(const char *prov, char *buf, size_t len)
{
	const char *v = prov ? strstr(prov, "version: ") : NULL;
	size_t k;

	buf[0] = '\0';
	if (!v)
		return;
	v += 9;
	k = strcspn(v, "\n");
	snprintf(buf, len, "%.*s", (int)k, v);
}

static const struct cli_option conform_options[] = {
	{ "target", 0, 't', CLI_V_TARGET, "TARGET", NULL,
	  "model[:PROFILE], qemu[=PATH] or exec:COMMAND (required; see cxlemu(1))" },
	{ "profile", 0, 'p', CLI_V_PROFILE, "NAME", NULL,
	  "the personality to judge against (default cxl-3.1)" },
	{ "format", 0, 'f', CLI_V_CHOICE, "FORMAT", "text json tap junit",
	  "text (default), json (a line per scenario, then a summary), tap or junit" },
	{ "timeout", 0, 'T', CLI_V_TEXT, "MS", NULL,
	  "how long a process target may take to answer (default 10000)" },
	{ "verbose", 'v', 'v', CLI_V_NONE, NULL, NULL,
	  "list skipped ops too" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_conform = {
	"conform", "judge a target against a personality, scenario by scenario and rule by rule",
	"--target TARGET [OPTION]... [TRACE|DIR]...",
	"Runs each scenario on TARGET and on the model under NAME (default cxl-3.1) in lockstep\n"
	"and reports every field TARGET reads differently, with the rule, write, reset or\n"
	"power-on value that set the model's value; then which rules hold, fail or were not\n"
	"exercised, and the distinct deviating fields. Ops TARGET cannot perform are skipped\n"
	"on both sides, never guessed. Without TRACE: the bundled conformance suite.",
	conform_options, CLI_V_FILE,
	"0 every scenario conforms (or cannot run there), 1 a deviation, a host-safety\n"
	"finding, or nothing judged at all, 2 bad input or a target failure",
	cxlemu_cmd_conform,
};

int cxlemu_cmd_conform(int argc, char **argv)
{
	struct cli_parser p;
	enum cxl_report_format fmt = CXL_REPORT_TEXT;
	struct cxl_target_opts to = { 0 };
	const char *spec = NULL, *profile = cxl_default_profile();
	struct cxl_conform_report *rep = NULL;
	struct cxl_target *t = NULL;
	struct cxl_error err = { 0 };
	char **list = NULL;
	unsigned n = 0;
	size_t shown = 0;
	bool verbose = false;
	int c, rc = EXIT_BAD_INPUT;

	cli_parse_begin(&p, &cli_cmd_conform, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		switch (c) {
		case 't': spec = p.arg; break;
		case 'p':
			if (cli_profile("conform", p.arg) < 0)
				return EXIT_BAD_INPUT;
			profile = p.arg;
			break;
		case 'f':
			if (cli_report_format("conform", p.arg, &fmt))
				return EXIT_BAD_INPUT;
			break;
		case 'T':
			if (cli_timeout("conform", p.arg, &to.timeout_ms))
				return EXIT_BAD_INPUT;
			break;
		case 'v': verbose = true; break;
		}
	}
	if (c == CLI_STOP)
		return p.status;
	if (!spec)
		return cli_usage_error("conform", "--target is required (see cxlemu conform --help)");
	if (cxl_target_open(spec, &to, &t, &err))
		return cli_usage_error("conform", "%s", err.msg);
	if ((rc = cli_scenarios("conform", p.ops, p.nops, &list, &n, &shown)))
		goto out;
	/* a model target is named with its personality ("model:qemu-7.2"): runs stay apart */
	rep = cxl_conform_report_new(fmt, verbose, strcmp(cxl_target_kind(t), "model") ||
				     !strchr(spec, ':') ? cxl_target_kind(t) : spec, profile);
	if (!rep) {
		rc = cli_usage_error("conform", "out of memory or no temporary file");
		goto out;
	}
	for (unsigned i = 0; i < n; i++) {
		struct cxl_trace_reader *r = NULL;
		struct cxl_conform_result res;
		char version[256], name[1024];
		enum cxl_err e;

		if (cxl_trace_open(list[i], &r, &err)) {
			rc = cli_input_error(&err);
			goto out;
		}
		if (shown && snprintf(name, sizeof(name), "conformance/%s", list[i] + shown) < (int)sizeof(name))
			cxl_conform_report_begin(rep, name, cxl_trace_header(r));
		else
			cxl_conform_report_begin(rep, list[i], cxl_trace_header(r));
		e = cxl_conform(r, t, profile, on_deviation, on_skip, rep, &res, &err);
		if (e) {
			cxl_trace_close(r);
			rc = cli_input_error(&err);
			goto out;
		}
		cxl_conform_report_end(rep, &res);
		version_of(cxl_target_provenance(t), version, sizeof(version));
		cxl_conform_report_version(rep, version);
		cxl_trace_close(r);
	}
	cxl_target_close(t);   /* no process left running while the report is written */
	t = NULL;
	if (!cxl_conform_report_flush(rep, stdout)) {
		rc = cli_usage_error("conform", "writing the report failed");
		goto out;
	}
	rc = cxl_conform_report_conforms(rep) ? EXIT_PASS : EXIT_CHECK_FAILED;
out:
	cxl_conform_report_free(rep);
	cxl_target_close(t);
	cli_scenarios_free(list, n);
	return rc;
}
