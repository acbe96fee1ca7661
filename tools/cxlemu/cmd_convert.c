/* SPDX-License-Identifier: MIT */
/*
 * cmd_convert.c - `cxlemu convert`: a trace from YAML to the binary form (.cxlt) and back,
 * losslessly (emu/trace/binary.c), or an imported log straight to either form.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cxlemu/cxlemu.h"
#include "cli.h"

static const char usage_text[] =
	"usage: cxlemu convert [--to yaml|binary] [--from FORMAT] TRACE [-o OUT]\n"
	"  Writes TRACE (native YAML or binary .cxlt, told apart by the binary magic; with --from\n"
	"  a log to import) in the other form, or the form --to names: binary when OUT ends in\n"
	"  .cxlt, else YAML. Both forms hold the same header, devices, ops (sources, marks, flags,\n"
	"  lines) and expect:, so replaying either gives the same report. An op keeps the line it\n"
	"  had: its YAML line, or with --from its log line (as replay --from reports it).\n"
	"  A binary trace is read from a regular file only (a pipe is read as YAML).\n"
	"  --to FORM        yaml or binary\n"
	"  --from FORMAT    TRACE is a log to import first (qemu-log, qtest, mmiotrace, fuzz-ops)\n"
	"  -o OUT           write OUT atomically (binary output needs -o)\n"
	"exit status: 0 written, 2 bad input or usage\n";

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcmp(s + n - t, tail);
}

int cxlemu_cmd_convert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cxl_trace_reader *in = NULL;
	struct cxl_error err = { 0 };
	struct cli_out out = { 0 };
	const char *out_path = NULL, *path, *to = NULL;
	int from = -1, c, rc;
	bool binary;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (strcmp(optarg, "yaml") && strcmp(optarg, "binary"))
				return cli_usage_error("convert", "--to is yaml or binary, not '%s'", optarg);
			to = optarg;
			break;
		case 'F':
			if (cli_import_format("convert", optarg, &from))
				return EXIT_BAD_INPUT;
			break;
		case 'o': out_path = optarg; break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_PASS;
		default:
			return cli_usage_error("convert", "unknown option '%s' (see cxlemu convert --help)",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("convert", "give one TRACE (see cxlemu convert --help)");
	path = argv[optind];
	binary = to ? !strcmp(to, "binary") : out_path && ends_with(out_path, ".cxlt");
	if (binary && !out_path)
		return cli_usage_error("convert", "binary output needs -o OUT");
	if ((rc = cli_open_trace(from, path, &in)))
		return rc;
	if (out_path && (rc = cli_out_open(&out, out_path, &path, 1))) {
		cxl_trace_close(in);
		return rc;
	}
	if ((binary ? cxl_trace_write_binary(in, out.f, &err) :
		      cxl_trace_write_yaml(in, out_path ? out.f : stdout, NULL, &err))) {
		if (out_path)
			cli_out_abort(&out);
		cxl_trace_close(in);
		return cli_input_error(&err);
	}
	cxl_trace_close(in);
	if (out_path)
		return cli_out_commit(&out);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "cxlemu convert: cannot write the standard output\n");
		return EXIT_BAD_INPUT;
	}
	return EXIT_PASS;
}
