/* SPDX-License-Identifier: MIT */
/*
 * cmd_import.c - `cxlemu import`: recorded logs -> one native trace.
 *
 * Option parsing and output handling only; the importers live in
 * emu/import/. With -o OUT the trace is written beside OUT and renamed
 * over it only when the import succeeded (output.c), so bad input never
 * leaves a half-written trace behind and no input is ever replaced. Without -o the trace goes to stdout, and
 * only once it is complete.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "cxlemu/import.h"

static const struct cli_option import_options[] = {
	{ "from", 0, 'F', CLI_V_CHOICE, "FORMAT", "qemu-log qtest mmiotrace fuzz-ops",
	  "the input format (required): {formats} (fuzz-ops: the fuzz_ops\n"
	  "harness's binary input)" },
	{ "device", 0, 'D', CLI_V_TEXT, "SPEC", NULL,
	  "pin a device name: BB:DD.F=NAME[:MODEL] names a config function,\n"
	  "ADDR=NAME:MODEL a component block base (repeatable)" },
	{ "ecam", 0, 'e', CLI_V_TEXT, "BASE", NULL,
	  "ECAM base until the input programs PCIEXBAR (default 0xb0000000)" },
	{ "profile", 0, 'p', CLI_V_PROFILE, "NAME", NULL, "write `profile: NAME` into the trace" },
	{ "host-decoder", 0, 'H', CLI_V_TEXT, "N=BASE,SIZE[,unlocked|,uncommitted]", NULL,
	  "how the host left decoder N of a vfio-cxl device (a QEMU log cannot\n"
	  "tell; default: decoder 0 committed and locked, dpa_size bytes at base 0)" },
	{ "allow-truncated", 0, 'T', CLI_V_NONE, NULL, NULL,
	  "import the complete lines of a gzip file whose stream ends early (a\n"
	  "truncated download) instead of refusing it" },
	{ "expect", 0, 'x', CLI_V_FILE, "FILE", NULL, "append the expect: list of FILE (YAML)" },
	{ "output", 'o', 'o', CLI_V_FILE, "OUT", NULL,
	  "write OUT atomically instead of standard output (\"-\": standard output)" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_import = {
	"import", "turn a QEMU trace log, qtest stream or mmiotrace into a trace",
	"--from FORMAT [OPTION]... FILE...",
	"Turns QEMU trace logs, qtest streams or mmiotrace captures (plain or gzip; \"-\" reads\n"
	"standard input), or a fuzz_ops finding, into one native cxl-trace (YAML) on standard\n"
	"output or in OUT. The trace is written only once complete: bad input leaves nothing\n"
	"half-written, and no input is ever replaced.",
	import_options, CLI_V_FILE,
	"0 success, 2 usage or input error (file:line:col: error: ...)",
	cxlemu_cmd_import,
};

/* Prints "cxlemu import: MESSAGE" and a hint; returns EXIT_BAD_INPUT. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_usage_error("import", "%s (see cxlemu import --help)", msg);
	return EXIT_BAD_INPUT;
}

/* Prints @err as "file:line:col: error: msg"; returns EXIT_BAD_INPUT. */
static int report(const struct cxl_error *err)
{
	if (!err->file[0])
		return cli_usage_error("import", "%s", err->msg);
	return cli_input_error(err);
}

/* Parses a 64-bit number the way strtoull(s, NULL, 0) does, exactly. */
static int parse_u64(const char *s, unsigned long long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

/* Writes the trace to @out_path atomically (output.c); exit status. */
static int run_to_file(const struct cxl_import_opts *o, const char *const *files,
		       unsigned nfiles, const char *out_path)
{
	struct cxl_error err = { 0 };
	struct cli_out out;
	int rc;

	/* The logs may not be the output; the --expect file may (it is read before the rename). */
	if ((rc = cli_out_open(&out, out_path, files, nfiles)))
		return rc;
	if (cxl_import_run(o, files, nfiles, out.f, &err)) {
		cli_out_abort(&out);
		return report(&err);
	}
	return cli_out_commit(&out);
}

/*
 * `cxlemu import ...`: @argv[0] is "import", options follow. Returns
 * EXIT_PASS (also for --help) or EXIT_BAD_INPUT with a message on stderr.
 */
int cxlemu_cmd_import(int argc, char **argv)
{
	struct cxl_import_opts *o;
	struct cxl_error err = { 0 };
	const char **files;
	const char *out_path = NULL;
	unsigned nfiles = 0;
	bool have_from = false;
	int rc = EXIT_BAD_INPUT, c;
	struct cli_parser p;

	o = malloc(sizeof(*o));
	files = calloc((size_t)(argc > 0 ? argc : 1), sizeof(*files));
	if (!o || !files) {
		free(o);
		free(files);
		return usage_error("%s", "out of memory");
	}
	cxl_import_opts_init(o);
	cli_parse_begin(&p, &cli_cmd_import, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		const char *val = p.arg;

		switch (c) {
		case 'F': {
			int f;

			if (cli_import_format("import", val, &f))
				goto out;
			o->format = (enum cxl_import_format)f;
			have_from = true;
			break;
		}
		case 'D': {
			const char *colon = strchr(val, '=') ? strchr(strchr(val, '='), ':') : NULL;

			/* the model of NAME:MODEL, named the way --profile is: "did you mean" */
			if (colon && colon[1] && cli_model("import", colon + 1) < 0)
				goto out;
			if (cxl_import_add_pin(o, val, &err)) {
				rc = report(&err);
				goto out;
			}
			break;
		}
		case 'H':
			if (cxl_import_add_host_decoder(o, val, &err)) {
				rc = usage_error("%s", err.msg);
				goto out;
			}
			break;
		case 'e': {
			unsigned long long v;

			if (parse_u64(val, &v) || (v & 0xfffff)) {
				rc = usage_error("--ecam '%s': want a 1 MiB aligned address", val);
				goto out;
			}
			o->ecam_base = v;
			break;
		}
		case 'p':
			if (cli_profile("import", val) < 0)
				goto out;
			if (strlen(val) >= sizeof(o->profile)) {
				rc = usage_error("bad --profile '%s'", val);
				goto out;
			}
			strcpy(o->profile, val);
			break;
		case 'x': o->expect_path = val; break;
		case 'T': o->allow_truncated = true; break;
		case 'o': out_path = val; break;
		}
	}
	if (c == CLI_STOP) {
		rc = p.status;
		goto out;
	}
	for (int i = 0; i < p.nops; i++)
		files[nfiles++] = p.ops[i];
	if (cli_single_stdin("import", p.ops, p.nops))
		goto out;
	if (!have_from) {
		rc = usage_error("%s", "--from FORMAT is required");
		goto out;
	}
	if (!nfiles) {
		rc = usage_error("%s", "no input FILE");
		goto out;
	}
	if (out_path) {
		rc = run_to_file(o, files, nfiles, out_path);
	} else if (cxl_import_run(o, files, nfiles, stdout, &err)) {
		rc = report(&err);
	} else {
		rc = fflush(stdout) ? EXIT_BAD_INPUT : EXIT_PASS;
	}
out:
	free(o);
	free(files);
	return rc;
}
