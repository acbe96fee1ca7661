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

#include "cli.h"
#include "cxlemu/import.h"

static const char usage_text[] =
	"usage: cxlemu import --from qemu-log|qtest|mmiotrace|fuzz-ops [--device SPEC]...\n"
	"                     [--ecam BASE] [--profile NAME] [--expect FILE]\n"
	"                     [--host-decoder N=BASE,SIZE[,unlocked|,uncommitted]]... [-o OUT] FILE...\n"
	"\n"
	"Turn QEMU trace logs, qtest streams or mmiotrace captures (plain or gzip),\n"
	"or a fuzz_ops finding, into one native cxl-trace (YAML) on stdout or in OUT.\n"
	"\n"
	"  --from FORMAT        input format: qemu-log, qtest, mmiotrace or fuzz-ops\n"
	"                       (the fuzz_ops harness's binary input; required)\n"
	"  --device SPEC        pin a device name: BB:DD.F=NAME[:MODEL] names a config\n"
	"                       function, ADDR=NAME:MODEL a component block base\n"
	"                       (repeatable)\n"
	"  --ecam BASE          ECAM base until the input programs PCIEXBAR\n"
	"                       (default 0xb0000000)\n"
	"  --profile NAME       write `profile: NAME` into the trace\n"
	"  --host-decoder N=BASE,SIZE[,unlocked|,uncommitted]\n"
	"                       how the host left decoder N of a vfio-cxl device (a QEMU\n"
	"                       log cannot tell; default: decoder 0 committed and locked,\n"
	"                       dpa_size bytes at base 0)\n"
	"  --expect FILE        append the expect: list of FILE (YAML)\n"
	"  -o, --output OUT     write OUT atomically instead of stdout\n"
	"  -h, --help           show this help\n"
	"\n"
	"Exit status: 0 success, 2 usage or input error (file:line:col: error: ...).\n";

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

/*
 * Matches option @name at argv[*i], as "--name VALUE" or "--name=VALUE".
 * Returns 1 with *@val set, 0 if argv[*i] is another option, -1 when the
 * value is missing.
 */
static int opt_value(int argc, char **argv, int *i, const char *name,
		     const char *alias, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if ((!strcmp(a, name)) || (alias && !strcmp(a, alias))) {
		if (*i + 1 >= argc)
			return -1;
		*val = argv[++*i];
		return 1;
	}
	if (!strncmp(a, name, n) && a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	return 0;
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
	const char *out_path = NULL, *val;
	unsigned nfiles = 0;
	bool have_from = false, opts_done = false;
	int rc = EXIT_BAD_INPUT;

	o = malloc(sizeof(*o));
	files = calloc((size_t)(argc > 0 ? argc : 1), sizeof(*files));
	if (!o || !files) {
		free(o);
		free(files);
		return usage_error("%s", "out of memory");
	}
	cxl_import_opts_init(o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int m;

		if (opts_done || a[0] != '-' || !a[1]) {
			files[nfiles++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			opts_done = true;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			rc = EXIT_PASS;
			goto out;
		}
		if ((m = opt_value(argc, argv, &i, "--from", NULL, &val))) {
			int f = m > 0 ? cxl_import_format_parse(val) : -1;

			if (m < 0)
				goto missing;
			if (f < 0) {
				rc = usage_error("unknown format '%s' (%s)", val, cli_format_list());
				goto out;
			}
			o->format = (enum cxl_import_format)f;
			have_from = true;
		} else if ((m = opt_value(argc, argv, &i, "--device", NULL, &val))) {
			if (m < 0)
				goto missing;
			if (cxl_import_add_pin(o, val, &err)) {
				rc = report(&err);
				goto out;
			}
		} else if ((m = opt_value(argc, argv, &i, "--host-decoder", NULL, &val))) {
			if (m < 0)
				goto missing;
			if (cxl_import_add_host_decoder(o, val, &err)) {
				rc = usage_error("%s", err.msg);
				goto out;
			}
		} else if ((m = opt_value(argc, argv, &i, "--ecam", NULL, &val))) {
			unsigned long long v;

			if (m < 0)
				goto missing;
			if (parse_u64(val, &v) || (v & 0xfffff)) {
				rc = usage_error("--ecam '%s': want a 1 MiB aligned address", val);
				goto out;
			}
			o->ecam_base = v;
		} else if ((m = opt_value(argc, argv, &i, "--profile", NULL, &val))) {
			if (m < 0)
				goto missing;
			if (!*val || strlen(val) >= sizeof(o->profile)) {
				rc = usage_error("bad --profile '%s'", val);
				goto out;
			}
			strcpy(o->profile, val);
		} else if ((m = opt_value(argc, argv, &i, "--expect", NULL, &val))) {
			if (m < 0)
				goto missing;
			o->expect_path = val;
		} else if ((m = opt_value(argc, argv, &i, "--output", "-o", &val))) {
			if (m < 0)
				goto missing;
			out_path = val;
		} else {
			rc = usage_error("unknown option '%s'", a);
			goto out;
		}
	}
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
	goto out;
missing:
	rc = usage_error("option '%s' needs a value", argv[argc - 1]);
out:
	free(o);
	free(files);
	return rc;
}
