/* SPDX-License-Identifier: MIT */
/*
 * cmd_export.c - `cxlemu export --to qtest|c TRACE [-o OUT]`: a reproducer others can run
 * without cxlemu (the formats: cxlemu/export.h, emu/export/).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cxlemu/cxlemu.h"
#include "args.h"
#include "cli.h"

static const struct cli_option export_options[] = {
	{ "to", 0, 't', CLI_V_CHOICE, "FORM", "qtest c",
	  "qtest: a shell script running QEMU 7.2 under qtest with the trace's accesses;\n"
	  "c: a C function of the accesses with the recorded reads as checks (required)" },
	{ "from", 0, 'F', CLI_V_CHOICE, "FORMAT", "qemu-log qtest mmiotrace fuzz-ops",
	  "TRACE is a log to import first ({formats})" },
	{ "output", 'o', 'o', CLI_V_FILE, "OUT", NULL,
	  "write OUT atomically (a qtest script is made executable); \"-\": standard output" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_export = {
	"export", "write a trace as a reproducer: a QEMU qtest script or a standalone C file",
	"--to qtest|c [--from FORMAT] [-o OUT] TRACE",
	"--to qtest writes a POSIX shell script that starts qemu-system-x86_64 (Debian 12's QEMU\n"
	"7.2; $QEMU overrides it) with -qtest stdio and no guest, on the topology `cxlemu record\n"
	"--target qemu` builds for TRACE, and sends it the same bring-up and, per op, the same\n"
	"qtest commands: its replies (one line per command on standard output) are what record\n"
	"records. Each op is a comment with its trace line and, for a read, the recorded value;\n"
	"an op that target cannot perform is a comment saying why. A cold reset starts another\n"
	"QEMU run; each run ends with an ACPI power-off so QEMU exits.\n\n"
	"--to c writes one C function, cxl_export_run(), doing the accesses in order through\n"
	"macros you define (CXL_CFG_READ, CXL_CFG_WRITE, CXL_MMIO_READ, CXL_MMIO_WRITE, and\n"
	"CXL_RESET, CXL_INJECT when the trace resets or injects; a missing one is an #error\n"
	"naming it), each recorded read checked with CXL_EXPECT(op, dev, got, want) (default:\n"
	"assert); a read without a recorded value is not checked. Devices are named by their\n"
	"trace names. The output is deterministic; nothing is written on bad input.",
	export_options, CLI_V_FILE,
	"0 written, 2 bad input (a trace whose topology QEMU 7.2 cannot hold, for qtest) or usage",
	cxlemu_cmd_export,
};

int cxlemu_cmd_export(int argc, char **argv)
{
	struct cli_parser p;
	struct cxl_trace_reader *in = NULL;
	struct cxl_error err = { 0 };
	struct cli_out out = { 0 };
	const char *out_path = "-", *path, *to = NULL;
	int from = -1, c, rc;

	cli_parse_begin(&p, &cli_cmd_export, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		switch (c) {
		case 't':
			if (cli_choice("export", "form", p.arg, "qtest c") < 0)
				return EXIT_BAD_INPUT;
			to = p.arg;
			break;
		case 'F':
			if (cli_import_format("export", p.arg, &from))
				return EXIT_BAD_INPUT;
			break;
		case 'o': out_path = p.arg; break;
		}
	}
	if (c == CLI_STOP)
		return p.status;
	if (!to)
		return cli_usage_error("export", "--to is required: qtest or c (see cxlemu export --help)");
	if (p.nops != 1)
		return cli_usage_error("export", "give one TRACE (see cxlemu export --help)");
	path = p.ops[0];
	if ((rc = cli_open_trace(from, path, &in)))
		return rc;
	/* spooled even for standard output: nothing is written unless the whole trace was good */
	if ((rc = cli_out_open(&out, out_path, &path, 1))) {
		cxl_trace_close(in);
		return rc;
	}
	if (!strcmp(to, "qtest") ? cxl_export_qtest(in, out.f, &err) : cxl_export_c(in, out.f, &err)) {
		cli_out_abort(&out);
		cxl_trace_close(in);
		return cli_input_error(&err);
	}
	cxl_trace_close(in);
	rc = cli_out_commit(&out);
	if (!rc && strcmp(out_path, "-") && !strcmp(to, "qtest")) {
		mode_t um = umask(0);

		umask(um);
		if (chmod(out_path, 0777 & ~um)) {
			perror(out_path);
			return EXIT_BAD_INPUT;
		}
	}
	return rc;
}
