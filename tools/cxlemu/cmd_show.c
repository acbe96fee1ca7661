/* SPDX-License-Identifier: MIT */
/*
 * cmd_show.c - "cxlemu show": replay traces and write one self-contained HTML page of them
 * (cxlemu/html.h): a timeline per device and HDM decoder, every event with its register
 * before and after, the host physical address map at a chosen op, one run per (trace,
 * profile). Also the page writer of "cxlemu replay --html" (cli_html_out()).
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cxlemu/html.h"
#include "cxlemu/observe.h"
#include "cxlemu/replay.h"
#include "cxlemu/report.h"

#define SHOW_MAX_PROFILES 16

int cli_html_out(const char *cmd, struct cxl_html *h, const char *path,
		 const char *const *inputs, unsigned ninputs)
{
	struct cli_out o;
	int status = cli_out_open(&o, path, inputs, ninputs);

	if (status)
		return status;
	if (!cxl_html_write(h, o.f)) {
		cli_out_abort(&o);
		return cli_usage_error(cmd, "cannot write the HTML page (out of memory or a write error)");
	}
	return cli_out_commit(&o);
}

enum { O_PROFILE = 'p', O_OUTPUT = 'o', O_FROM = 'F' };

static const struct cli_option show_options[] = {
	{ "output", 'o', O_OUTPUT, CLI_V_FILE, "FILE", NULL,
	  "write the page to FILE (atomically: complete or not at all); default and \"-\":\n"
	  "standard output" },
	{ "profile", 'p', O_PROFILE, CLI_V_PROFILE, "NAME", NULL,
	  "replay under NAME instead of the traces' profiles ({profiles}); given more than\n"
	  "once, each trace is replayed under each, and the page toggles between them" },
	{ "from", 0, O_FROM, CLI_V_CHOICE, "FORMAT", "qemu-log qtest mmiotrace fuzz-ops",
	  "each TRACE is a log to import in memory ({formats}) and show" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_show = {
	"show", "write an HTML timeline of traces: decoders, locks, events, address map",
	"[OPTION]... TRACE... [-o OUT.html]",
	"Replays each trace as cxlemu replay does and writes one self-contained HTML page (no\n"
	"network, no external file: it works offline and as a mail attachment): per device\n"
	"and HDM decoder the programmed / committed / locked / error-not-committed states as\n"
	"bands over op number, CONFIG_LOCK and RWO latches, resets and the trace's marks; every\n"
	"event at its op, coloured by severity, with rule, field, spec section and source line,\n"
	"and on a click the register's value before and after the op; the host physical\n"
	"address map after any op (committed decoders' windows, interleave, targets, overlaps\n"
	"highlighted). Each (trace, profile) is one run of the page, chosen with its buttons;\n"
	"devices of different profiles in one trace can be hidden by profile. The page is\n"
	"deterministic: the same input gives the same bytes. OUT.html#op=N opens it at op N\n"
	"(the address map after N, N's first event in the details).\n\n"
	"The page is written only when every trace was read: bad input prints\n"
	"file:line:col: error: ... on standard error, writes nothing and exits 2.",
	show_options, CLI_V_FILE,
	"0 the page was written (whatever the traces' verdicts), 2 bad input or usage",
	cxlemu_cmd_show,
};

int cxlemu_cmd_show(int argc, char **argv)
{
	const char *profiles[SHOW_MAX_PROFILES];
	const char *out_path = "-";
	unsigned nprof = 0;
	int from = -1, c, status;
	struct cxl_report *rep;
	struct cxl_html *h;
	struct cli_parser p;

	cli_parse_begin(&p, &cli_cmd_show, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		switch (c) {
		case O_PROFILE:
			if (cli_profile("show", p.arg) < 0)
				return EXIT_BAD_INPUT;
			if (nprof == SHOW_MAX_PROFILES)
				return cli_usage_error("show", "at most %d --profile options", SHOW_MAX_PROFILES);
			profiles[nprof++] = p.arg;
			break;
		case O_OUTPUT: out_path = p.arg; break;
		case O_FROM:
			if (cli_import_format("show", p.arg, &from))
				return EXIT_BAD_INPUT;
			break;
		}
	}
	if (c == CLI_STOP)
		return p.status;
	if (!p.nops)
		return cli_usage_error("show", "no trace given (see cxlemu help show)");
	if ((status = cli_single_stdin("show", p.ops, p.nops)))
		return status;
	for (int i = 0; i < p.nops; i++)
		if (nprof > 1 && !strcmp(p.ops[i], "-"))
			return cli_usage_error("show", "standard input is read once: with several --profile, give a file");
	rep = cxl_report_new(CXL_REPORT_TEXT, false, true, (unsigned)p.nops);
	h = cxl_html_new(p.nops == 1 ? p.ops[0] : "cxlemu show");
	if (!rep || !h) {
		cxl_report_free(rep);
		cxl_html_free(h);
		return cli_usage_error("show", "out of memory or no temporary file");
	}
	for (int i = 0; i < p.nops; i++) {
		for (unsigned k = 0; k < (nprof ? nprof : 1); k++) {
			struct cxl_replay_opts ro = { .profile = nprof ? profiles[k] : NULL };
			struct cxl_trace_reader *r = NULL;
			struct cxl_error err = { 0 };
			bool pass = false;

			status = cli_open_trace(from, p.ops[i], &r);
			if (!status && cxl_replay_reader_observed(r, &ro, cxl_html_observer(h), rep, &pass, &err))
				status = cli_input_error(&err);
			cxl_trace_close(r);
			if (status) {
				cxl_report_free(rep);
				cxl_html_free(h);
				return status;
			}
		}
	}
	status = cli_html_out("show", h, out_path, (const char *const *)p.ops, (unsigned)p.nops);
	cxl_report_free(rep);
	cxl_html_free(h);
	return status;
}
