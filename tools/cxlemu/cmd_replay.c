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
#include "cxlemu/catalog.h"
#include "cxlemu/import.h"
#include "cxlemu/replay.h"
#include "cxlemu/report.h"

static const char usage_head[] =
	"usage: cxlemu replay [--profile NAME] [--format text|json|tap|junit] [--quiet]\n"
	"                     [--verbose] [--dump-state] [--from FORMAT]\n"
	"                     [--host-decoder N=BASE,SIZE[,unlocked|,uncommitted]]... TRACE...\n"
	"  Replays each native trace (traces/README.md) against the register model.\n";
static const char usage_text[] =
	"  --format F      text (default), json (one object per trace per line), tap, junit\n"
	"  --quiet         text: the summary line of each trace (and, with expect:, the lines\n"
	"                  saying which expected events were not seen or which were not expected)\n"
	"  --verbose       also report notes (unmodelled accesses, read-only writes, marks)\n"
	"  --dump-state    print every device's final register state and decoder routing\n"
	"  --from FORMAT   each TRACE is a log to import in memory (qemu-log, qtest,\n"
	"                  mmiotrace, fuzz-ops) and replay, without an intermediate file\n"
	"  --host-decoder N=BASE,SIZE[,unlocked|,uncommitted]\n"
	"                  with --from: how the host left decoder N of a vfio-cxl\n"
	"                  device (as cxlemu import --host-decoder)\n"
	"exit status: 0 every trace passes, 1 a trace fails, 2 bad input\n";

/* Prints the usage with the profiles of spec/profiles. */
static void usage(void)
{
	char names[512] = "";

	for (unsigned i = 0; i < cxl_profile_count(); i++) {
		strncat(names, cxl_profile_name(i), sizeof(names) - strlen(names) - 3);
		if (i + 1 < cxl_profile_count())
			strncat(names, ", ", sizeof(names) - strlen(names) - 1);
	}
	fputs(usage_head, stdout);
	printf("  --profile NAME  override the traces' profiles (%s)\n", names);
	fputs(usage_text, stdout);
}

/* Imports log @path as @o says, in memory, and replays it. */
static enum cxl_err replay_log(const char *path, const struct cxl_import_opts *o,
			       const struct cxl_replay_opts *ro, struct cxl_report *rep, bool *pass,
			       struct cxl_error *err)
{
	struct cxl_trace_reader *r = NULL;
	enum cxl_err rc;

	rc = cxl_import_open(o, &path, 1, &r, err);
	if (!rc)
		rc = cxl_replay_reader(r, ro, rep, pass, err);
	cxl_trace_close(r);
	return rc;
}

int cxlemu_cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "dump-state", no_argument, NULL, 'd' },
		{ "from", required_argument, NULL, 'F' },
		{ "host-decoder", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cxl_replay_opts ro = { 0 };
	enum cxl_report_format fmt = CXL_REPORT_TEXT;
	bool quiet = false, verbose = false, all_pass = true;
	int from = -1;
	bool host_given = false;
	struct cxl_import_opts io;
	struct cxl_error herr;
	struct cxl_report *rep;
	int c;

	cxl_import_opts_init(&io);

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (cxl_profile_lookup(optarg) < 0)
				return cli_usage_error("replay", "unknown profile '%s' (see cxlemu spec)", optarg);
			ro.profile = optarg;
			break;
		case 'f':
			if (cli_report_format("replay", optarg, &fmt))
				return EXIT_BAD_INPUT;
			break;
		case 'q': quiet = true; break;
		case 'v': verbose = true; break;
		case 'd': ro.dump_state = true; break;
		case 'F':
			from = cxl_import_format_parse(optarg);
			if (from < 0)
				return cli_usage_error("replay", "unknown format '%s' (%s)", optarg, cli_format_list());
			io.format = (enum cxl_import_format)from;
			break;
		case 'H':
			if (cxl_import_add_host_decoder(&io, optarg, &herr))
				return cli_usage_error("replay", "%s", herr.msg);
			host_given = true;
			break;
		case 'h':
			usage();
			return EXIT_PASS;
		default:
			return cli_usage_error("replay", "unknown option '%s' (see cxlemu replay --help)", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("replay", "no trace given (see cxlemu replay --help)");
	if (host_given && from < 0)
		return cli_usage_error("replay", "--host-decoder needs --from (a native trace names its host state)");
	rep = cxl_report_new(fmt, verbose, quiet, (unsigned)(argc - optind));
	if (!rep)
		return cli_usage_error("replay", "cannot create a temporary file for the report");
	for (int i = optind; i < argc; i++) {
		struct cxl_error err = { 0 };
		bool pass = false;

		enum cxl_err rc = from >= 0 ? replay_log(argv[i], &io, &ro, rep, &pass, &err) :
				  cxl_replay_file(argv[i], &ro, rep, &pass, &err);

		if (rc) {
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
