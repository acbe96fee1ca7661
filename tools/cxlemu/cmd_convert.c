/* SPDX-License-Identifier: MIT */
/*
 * cmd_convert.c - `cxlemu convert`: a trace from YAML to the binary form (.cxlt) and back,
 * losslessly (emu/trace/binary.c), or an imported log straight to either form.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cxlemu/cxlemu.h"
#include "args.h"
#include "cli.h"

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcmp(s + n - t, tail);
}

static const struct cli_option convert_options[] = {
	{ "to", 0, 't', CLI_V_CHOICE, "FORM", "yaml binary",
	  "write this form (default: binary when OUT ends in .cxlt, else YAML)" },
	{ "from", 0, 'F', CLI_V_CHOICE, "FORMAT", "qemu-log qtest mmiotrace fuzz-ops",
	  "TRACE is a log to import first ({formats})" },
	{ "output", 'o', 'o', CLI_V_FILE, "OUT", NULL,
	  "write OUT atomically (binary output needs a file); \"-\": standard output" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_convert = {
	"convert", "a trace from YAML to the binary form (.cxlt) and back, losslessly",
	"[--to yaml|binary] [--from FORMAT] [-o OUT] TRACE",
	"Writes TRACE (native YAML or binary .cxlt, told apart by the binary magic; with --from\n"
	"a log to import; \"-\": standard input) in the other form, or the form --to names. Both\n"
	"forms hold the same header, devices, ops (sources, marks, flags, lines) and expect:, so\n"
	"replaying either gives the same report. An op keeps the line it had: its YAML line, or\n"
	"with --from its log line (as replay --from reports it).",
	convert_options, CLI_V_FILE,
	"0 written, 2 bad input or usage",
	cxlemu_cmd_convert,
};

int cxlemu_cmd_convert(int argc, char **argv)
{
	struct cli_parser p;
	struct cxl_trace_reader *in = NULL;
	struct cxl_error err = { 0 };
	struct cli_out out = { 0 };
	const char *out_path = NULL, *path, *to = NULL;
	int from = -1, c, rc;
	bool binary;

	cli_parse_begin(&p, &cli_cmd_convert, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		switch (c) {
		case 't':
			if (strcmp(p.arg, "yaml") && strcmp(p.arg, "binary"))
				return cli_usage_error("convert", "--to is yaml or binary, not '%s'", p.arg);
			to = p.arg;
			break;
		case 'F':
			if (cli_import_format("convert", p.arg, &from))
				return EXIT_BAD_INPUT;
			break;
		case 'o': out_path = p.arg; break;
		}
	}
	if (c == CLI_STOP)
		return p.status;
	if (p.nops != 1)
		return cli_usage_error("convert", "give one TRACE (see cxlemu convert --help)");
	path = p.ops[0];
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
