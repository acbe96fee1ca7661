/* SPDX-License-Identifier: MIT */
/*
 * cmd_coverage.c - `cxlemu coverage [TRACE|DIR]...`: which rules and field attributes the
 * scenarios (default: the bundled conformance suite) exercise holding and firing.
 *
 * Each scenario is replayed on the model under its own profile with every rule's checks
 * counted (cxl_replay_opts.checks); the tally and its report are the library's
 * (cxlemu/coverage.h). Nothing is written before every scenario has been read: bad input is
 * one file:line:col error, exit 2, and nothing on standard output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cxlemu/coverage.h"
#include "cxlemu/replay.h"
#include "cxlemu/report.h"

enum { O_FORMAT = 'f' };

static const struct cli_option coverage_options[] = {
	{ "format", 'f', O_FORMAT, CLI_V_CHOICE, "FORMAT", "text json",
	  "text (default: a table per rule and per attribute) or json (one object)" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_coverage = {
	"coverage", "which rules the scenarios exercise holding and firing",
	"[OPTION]... [TRACE|DIR]...",
	"Replays each scenario (default: the bundled conformance suite) on the model under its\n"
	"own profile, counting every rule's checks, and prints per rule id how many scenarios\n"
	"exercise it holding (the rule was evaluated and software behaved) and firing (an\n"
	"event), with the first scenario of each; then per field access attribute how many\n"
	"scenarios wrote a field of it without and with an event. A scenario that fails its\n"
	"own verdict (cxlemu replay) is listed and not counted.",
	coverage_options, CLI_V_FILE,
	"0 every rule is exercised holding and firing, 1 some rule is not (or a scenario fails),\n"
	"2 bad input or usage",
	cxlemu_cmd_coverage,
};

int cxlemu_cmd_coverage(int argc, char **argv)
{
	struct cli_parser p;
	struct cxl_coverage *cov = NULL;
	struct cxl_report *rep = NULL;
	char **list = NULL;
	unsigned n = 0;
	size_t shown = 0;
	bool json = false;
	int c, rc;

	cli_parse_begin(&p, &cli_cmd_coverage, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		if (c != O_FORMAT)
			continue;
		if (strcmp(p.arg, "text") && strcmp(p.arg, "json"))
			return cli_usage_error("coverage", "option '--format' takes text or json, not '%s'",
					       p.arg);
		json = !strcmp(p.arg, "json");
	}
	if (c == CLI_STOP)
		return p.status;
	if ((rc = cli_scenarios("coverage", p.ops, p.nops, &list, &n, &shown)))
		goto out;
	cov = cxl_coverage_new();
	/* the replays' own reports are not shown: a quiet text report, never flushed */
	rep = cxl_report_new(CXL_REPORT_TEXT, false, true, n);
	if (!cov || !rep) {
		rc = cli_usage_error("coverage", "out of memory or no temporary file");
		goto out;
	}
	for (unsigned i = 0; i < n; i++) {
		struct cxl_check_counts k;
		struct cxl_replay_opts ro = { 0 };
		struct cxl_error err = { 0 };
		char name[1024];
		bool pass = false;

		memset(&k, 0, sizeof(k));
		ro.checks = &k;
		if (cxl_replay_file(list[i], &ro, rep, &pass, &err)) {
			rc = cli_input_error(&err);
			goto out;
		}
		if (!shown || snprintf(name, sizeof(name), "conformance/%s", list[i] + shown) >= (int)sizeof(name))
			snprintf(name, sizeof(name), "%s", list[i]);
		if (!cxl_coverage_add(cov, name, &k, pass)) {
			rc = cli_usage_error("coverage", "out of memory");
			goto out;
		}
	}
	if (!cxl_coverage_write(cov, stdout, json)) {
		rc = cli_usage_error("coverage", "writing the report failed");
		goto out;
	}
	rc = cxl_coverage_complete(cov) ? EXIT_PASS : EXIT_CHECK_FAILED;
out:
	cxl_report_free(rep);
	cxl_coverage_free(cov);
	cli_scenarios_free(list, n);
	return rc;
}
