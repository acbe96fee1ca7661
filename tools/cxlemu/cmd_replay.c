/* SPDX-License-Identifier: MIT */
/*
 * cmd_replay.c - "cxlemu replay": replay traces, print one report, exit 0/1/2.
 *
 * The report is spooled and only printed once every trace has been read
 * without an input error: bad input prints "file:line:col: error: ..." on
 * stderr, nothing on stdout, and exits 2.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cxlemu/replay.h"
#include "cxlemu/report.h"
#include "spec_tables.h"

static const char usage_text[] =
	"usage: cxlemu replay [--profile NAME] [--format text|json|tap|junit] [--quiet]\n"
	"                     [--verbose] [--dump-state] TRACE...\n"
	"  Replays each native trace (traces/README.md) against the register model.\n"
	"  --profile NAME  override the traces' profiles (cxl-3.1, qemu-7.2, linux-vfio-cxl)\n"
	"  --format F      text (default), json (one object per trace per line), tap, junit\n"
	"  --quiet         text: only the summary line of each trace\n"
	"  --verbose       also report notes (unmodelled accesses, read-only writes, marks)\n"
	"  --dump-state    print every device's final register state and decoder routing\n"
	"exit status: 0 every trace passes, 1 a trace fails, 2 bad input\n";

int cxlemu_cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "dump-state", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const formats[] = { "text", "json", "tap", "junit" };
	struct cxl_replay_opts ro = { 0 };
	enum cxl_report_format fmt = CXL_REPORT_TEXT;
	bool quiet = false, verbose = false, all_pass = true;
	struct cxl_report *rep;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+hqv", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!cxl_spec_profile(optarg))
				return cli_usage_error("replay", "unknown profile '%s' (see cxlemu spec)", optarg);
			ro.profile = optarg;
			break;
		case 'f': {
			unsigned i;

			for (i = 0; i < 4 && strcmp(optarg, formats[i]); i++)
				;
			if (i == 4)
				return cli_usage_error("replay", "unknown format '%s' (text, json, tap or junit)", optarg);
			fmt = (enum cxl_report_format)i;
			break;
		}
		case 'q': quiet = true; break;
		case 'v': verbose = true; break;
		case 'd': ro.dump_state = true; break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_PASS;
		default:
			return cli_usage_error("replay", "unknown option '%s' (see cxlemu replay --help)", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("replay", "no trace given (see cxlemu replay --help)");
	rep = cxl_report_new(fmt, verbose, quiet, (unsigned)(argc - optind));
	if (!rep)
		return cli_usage_error("replay", "cannot create a temporary file for the report");
	for (int i = optind; i < argc; i++) {
		struct cxl_error err = { 0 };
		bool pass = false;

		if (cxl_replay_file(argv[i], &ro, rep, &pass, &err)) {
			cxl_report_free(rep);
			return cli_input_error(&err);
		}
		all_pass &= pass;
	}
	if (!cxl_report_flush(rep, stdout)) {
		cxl_report_free(rep);
		return cli_usage_error("replay", "cannot write the report");
	}
	cxl_report_free(rep);
	return all_pass ? EXIT_PASS : EXIT_CHECK_FAILED;
}
