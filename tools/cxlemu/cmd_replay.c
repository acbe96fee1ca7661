/* SPDX-License-Identifier: MIT */
/*
 * cmd_replay.c - "cxlemu replay": replay traces, print one report, exit 0/1/2.
 *
 * The report is spooled and only printed once every trace has been read
 * without an input error: bad input prints "file:line:col: error: ..." on
 * stderr, nothing on stdout, and exits 2.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cxlemu/catalog.h"
#include "cxlemu/html.h"
#include "cxlemu/observe.h"
#include "cxlemu/import.h"
#include "cxlemu/replay.h"
#include "cxlemu/report.h"

/* Imports log @path as @o says, in memory, and replays it. */
static enum cxl_err replay_log(const char *path, const struct cxl_import_opts *o,
			       const struct cxl_replay_opts *ro, const struct cxl_replay_observer *obs,
			       struct cxl_report *rep, bool *pass, struct cxl_error *err)
{
	struct cxl_trace_reader *r = NULL;
	enum cxl_err rc;

	rc = cxl_import_open(o, &path, 1, &r, err);
	if (!rc)
		rc = cxl_replay_reader_observed(r, ro, obs, rep, pass, err);
	cxl_trace_close(r);
	return rc;
}

/* Replays the native trace @path, watched by @obs (NULL: none; --html). */
static enum cxl_err replay_trace(const char *path, const struct cxl_replay_opts *ro,
				 const struct cxl_replay_observer *obs, struct cxl_report *rep,
				 bool *pass, struct cxl_error *err)
{
	struct cxl_trace_reader *r = NULL;
	enum cxl_err rc = cxl_trace_open(path, &r, err);

	if (!rc)
		rc = cxl_replay_reader_observed(r, ro, obs, rep, pass, err);
	cxl_trace_close(r);
	return rc;
}

enum { O_PROFILE = 'p', O_FORMAT = 'f', O_QUIET = 'q', O_VERBOSE = 'v', O_DUMP = 'd',
       O_FROM = 'F', O_HOST = 'H', O_EXIT = 'E', O_OUTPUT = 'o', O_HTML = 'W' };

static const struct cli_option replay_options[] = {
	{ "profile", 'p', O_PROFILE, CLI_V_PROFILE, "NAME",
	  NULL, "override the traces' profiles ({profiles})" },
	{ "format", 0, O_FORMAT, CLI_V_CHOICE, "FORMAT", "text json tap junit",
	  "text (default), json (one object per trace per line), tap or junit" },
	{ "output", 'o', O_OUTPUT, CLI_V_FILE, "FILE", NULL,
	  "write the report to FILE (atomically: complete or not at all) instead of\n"
	  "standard output; \"-\" is standard output" },
	{ "html", 0, O_HTML, CLI_V_FILE, "OUT.html", NULL,
	  "also write an HTML timeline of the traces to OUT.html (as cxlemu show;\n"
	  "atomically, and not at all on bad input)" },
	{ "quiet", 'q', O_QUIET, CLI_V_NONE, NULL, NULL,
	  "text: the summary line of each trace (and, with expect:, the lines saying\n"
	  "which expected events were not seen or which were not expected)" },
	{ "verbose", 'v', O_VERBOSE, CLI_V_NONE, NULL, NULL,
	  "also report notes (unmodelled accesses, read-only writes, marks)" },
	{ "dump-state", 0, O_DUMP, CLI_V_NONE, NULL, NULL,
	  "print every device's final register state and decoder routing" },
	{ "from", 0, O_FROM, CLI_V_CHOICE, "FORMAT", "qemu-log qtest mmiotrace fuzz-ops",
	  "each TRACE is a log to import in memory ({formats}) and replay,\n"
	  "without an intermediate file" },
	{ "host-decoder", 0, O_HOST, CLI_V_TEXT, "N=BASE,SIZE[,unlocked|,uncommitted]", NULL,
	  "with --from: how the host left decoder N of a vfio-cxl device\n"
	  "(as cxlemu import --host-decoder)" },
	{ "allow-truncated", 0, 'T', CLI_V_NONE, NULL, NULL,
	  "with --from: replay the complete lines of a gzip log whose stream ends early" },
	{ "exit-codes", 0, O_EXIT, CLI_V_CHOICE, "STYLE", "cxlemu automake",
	  "cxlemu (default): 0 pass, 1 fail, 2 bad input; automake (meson, automake,\n"
	  "CTest tests): 0 pass, 1 fail, 99 bad input, 77 nothing to check (no op)" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_replay = {
	"replay", "replay traces against the register model and report violations",
	"[OPTION]... TRACE...",
	"Replays each trace (a native YAML trace, traces/README.md, or its binary form .cxlt;\n"
	"\"-\" reads standard input) against the register model and reports every event, with\n"
	"the rule id, spec section, register and field, op and line. With expect: in a trace,\n"
	"it passes when the (op, rule) pairs of its warnings and errors are exactly the\n"
	"expected ones; without, when it raised no error.\n\n"
	"The report is printed only once every trace has been read: bad input prints\n"
	"file:line:col: error: ... on standard error, nothing on standard output.",
	replay_options, CLI_V_FILE,
	"0 every trace passes, 1 a trace fails, 2 bad input or usage (with\n"
	"--exit-codes=automake: 99 bad input or usage, 77 nothing to check)",
	cxlemu_cmd_replay,
};

int cxlemu_cmd_replay(int argc, char **argv)
{
	struct cxl_replay_opts ro = { 0 };
	enum cxl_report_format fmt = CXL_REPORT_TEXT;
	bool quiet = false, verbose = false, all_pass = true, automake = false;
	const char *out_path = NULL, *html_path = NULL;
	struct cxl_html *html = NULL;
	int from = -1, c, status;
	bool host_given = false;
	struct cxl_import_opts io;
	struct cxl_error herr;
	struct cxl_report *rep;
	struct cli_parser p;
	struct cxl_report_counts counts;
	bool to_file, bad = false;

	cxl_import_opts_init(&io);
	/* automake's codes apply to usage errors too: find --exit-codes=automake first */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--exit-codes=automake") ||
		    (!strcmp(argv[i], "--exit-codes") && i + 1 < argc && !strcmp(argv[i + 1], "automake")))
			automake = true;
#define BAD() (automake ? EXIT_AUTOMAKE_HARD : EXIT_BAD_INPUT)
	cli_parse_begin(&p, &cli_cmd_replay, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		switch (c) {
		case O_PROFILE:
			if (cli_profile("replay", p.arg) < 0)
				return BAD();
			ro.profile = p.arg;
			break;
		case O_FORMAT:
			if (cli_report_format("replay", p.arg, &fmt))
				return BAD();
			break;
		case O_OUTPUT: out_path = p.arg; break;
		case O_HTML: html_path = p.arg; break;
		case O_QUIET: quiet = true; break;
		case O_VERBOSE: verbose = true; break;
		case O_DUMP: ro.dump_state = true; break;
		case O_FROM:
			if (cli_import_format("replay", p.arg, &from))
				return BAD();
			io.format = (enum cxl_import_format)from;
			break;
		case O_HOST:
			if (cxl_import_add_host_decoder(&io, p.arg, &herr)) {
				cli_usage_error("replay", "%s", herr.msg);
				return BAD();
			}
			host_given = true;
			break;
		case 'T': io.allow_truncated = true; break;
		case O_EXIT:
			if (cli_choice("replay", "exit-code style", p.arg, "cxlemu automake") < 0)
				return BAD();
			break;
		}
	}
	if (c == CLI_STOP)
		return p.status == EXIT_PASS ? EXIT_PASS : BAD();
	if (!p.nops) {
		cli_usage_error("replay", "no trace given (see cxlemu help replay)");
		return BAD();
	}
	if (host_given && from < 0) {
		cli_usage_error("replay", "--host-decoder needs --from (a native trace names its host state)");
		return BAD();
	}
	if ((status = cli_single_stdin("replay", p.ops, p.nops)))
		return BAD();
	to_file = out_path && strcmp(out_path, "-");
	rep = cxl_report_new(fmt, verbose, quiet, (unsigned)p.nops);
	if (!rep) {
		cli_usage_error("replay", "cannot create a temporary file for the report");
		return BAD();
	}
	if (html_path && !(html = cxl_html_new(p.nops == 1 ? p.ops[0] : "cxlemu replay"))) {
		cxl_report_free(rep);
		cli_usage_error("replay", "out of memory");
		return BAD();
	}
	for (int i = 0; i < p.nops; i++) {
		struct cxl_error err = { 0 };
		bool pass = false;
		const struct cxl_replay_observer *obs = html ? cxl_html_observer(html) : NULL;

		enum cxl_err rc = from >= 0 ? replay_log(p.ops[i], &io, &ro, obs, rep, &pass, &err) :
				  replay_trace(p.ops[i], &ro, obs, rep, &pass, &err);

		if (rc && !to_file) {
			cxl_html_free(html);
			cxl_report_free(rep);
			cli_input_error(&err);
			return BAD();
		}
		if (rc) {
			/* a report file says which input could not be run (JUnit <error>, TAP
			 * Bail out!, a JSON error line), and the other traces still run */
			cxl_report_input_error(rep, err.file[0] ? err.file : p.ops[i], &err);
			cli_input_error(&err);
			bad = true;
			continue;
		}
		all_pass &= pass;
	}
	/* the page is written only when every input was read (bad input: no partial file) */
	if (html && !bad && cli_html_out("replay", html, html_path, (const char *const *)p.ops,
					 (unsigned)p.nops))
		bad = true;
	cxl_html_free(html);
	status = cli_report_out("replay", rep, out_path, (const char *const *)p.ops, (unsigned)p.nops);
	cxl_report_get_counts(rep, &counts);
	cxl_report_free(rep);
	if (status || bad)
		return BAD();
	if (automake && counts.traces && counts.skipped == counts.traces)
		return EXIT_AUTOMAKE_SKIP;   /* nothing was checked: no op reached a device */
	return all_pass ? EXIT_PASS : EXIT_CHECK_FAILED;
#undef BAD
}
