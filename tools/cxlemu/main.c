/* SPDX-License-Identifier: MIT */
/*
 * main.c - the cxlemu command: git-style subcommands from a table.
 *
 * Exit codes (every subcommand): 0 success / all traces pass, 1 a check
 * failed, 2 bad input or usage.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cxlemu/import.h"
#include "cxlemu/target.h"

#ifndef CXLEMU_VERSION
#define CXLEMU_VERSION "unknown"
#endif

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "replay", cxlemu_cmd_replay, "replay traces against the register model and report violations" },
	{ "import", cxlemu_cmd_import, "turn a QEMU trace log, qtest stream or mmiotrace into a trace" },
	{ "spec", cxlemu_cmd_spec, "print the register map of a device model under a profile" },
	{ "record", cxlemu_cmd_record, "run a trace on a target (model, QEMU, a program) and write what it did" },
	{ "generate", cxlemu_cmd_generate, "write a seeded random stress trace for a device model" },
	{ "diff", cxlemu_cmd_diff, "where two personalities differ; the rule x implementation matrix" },
	{ "conform", cxlemu_cmd_conform, "judge a target against a personality, scenario by scenario and rule by rule" },
	{ "minimize", cxlemu_cmd_minimize, "shrink a trace to the fewest ops that still show a rule or an invariant failure" },
	{ "convert", cxlemu_cmd_convert, "a trace from YAML to the binary form (.cxlt) and back, losslessly" },
	{ "bench", cxlemu_cmd_bench, "measure each path (bare loop, engine, YAML file, QEMU) on one workload" },
	{ "explain", cxlemu_cmd_explain, "a rule: its spec section, what it checks, a passing and a failing example" },
};

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cxlemu %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_BAD_INPUT;
}

const char *cli_format_list(void)
{
	static char buf[256];
	size_t n = 0;

	if (buf[0])
		return buf;
	for (int f = 0; f < CXL_IMPORT__COUNT; f++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", f == 0 ? "" :
				      f + 1 == CXL_IMPORT__COUNT ? " or " : ", ",
				      cxl_import_format_name((enum cxl_import_format)f));
	return buf;
}

int cli_report_format(const char *cmd, const char *name, enum cxl_report_format *fmt)
{
	static const char *const names[] = { "text", "json", "tap", "junit" };

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i])) {
			*fmt = (enum cxl_report_format)i;
			return EXIT_PASS;
		}
	return cli_usage_error(cmd, "unknown format '%s' (text, json, tap or junit)", name);
}

int cli_timeout(const char *cmd, const char *text, unsigned *ms)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (!*text || *end || v < 1 || v > 3600000)
		return cli_usage_error(cmd, "--timeout takes 1..3600000 ms, got '%s'", text);
	*ms = (unsigned)v;
	return EXIT_PASS;
}

int cli_input_error(const struct cxl_error *e)
{
	char buf[1024];

	cxl_error_format(e, buf, sizeof(buf));
	fprintf(stderr, "%s\n", buf);
	return EXIT_BAD_INPUT;
}

int cli_import_format(const char *cmd, const char *name, int *from)
{
	*from = cxl_import_format_parse(name);
	if (*from < 0)
		return cli_usage_error(cmd, "unknown format '%s' (%s)", name, cli_format_list());
	return 0;
}

int cli_open_trace(int from, const char *path, struct cxl_trace_reader **out)
{
	struct cxl_error err = { 0 };

	if (from >= 0) {
		struct cxl_import_opts io;

		cxl_import_opts_init(&io);
		io.format = (enum cxl_import_format)from;
		if (cxl_import_open(&io, &path, 1, out, &err))
			return cli_input_error(&err);
	} else if (cxl_trace_open(path, out, &err)) {
		return cli_input_error(&err);
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: cxlemu [--version] [--help] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'cxlemu COMMAND --help' describes a command.\n"
		"exit status: 0 pass, 1 a check failed, 2 bad input or usage\n");
}

/* SIGINT/SIGTERM/SIGHUP: kill every target process group, then die of the signal. */
static void on_signal(int sig)
{
	cxl_target_kill_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Puts something on each of fds 0-2 that is closed, so that no file cxlemu opens lands on
 * one of them (a trace opened as fd 1 would receive the report): /dev/null on 0 and 2, an
 * anonymous temporary file on 1, which tells afterwards whether anything was written to
 * standard output. True when fd 1 was closed.
 */
static bool standard_fds(void)
{
	bool out_closed = false;

	for (int fd = 0; fd <= 2; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (fd == 1) {
			FILE *t = tmpfile();   /* takes the lowest free fd: 1, as 0 is open now */

			got = t ? fileno(t) : -1;
			out_closed = true;
		} else {
			got = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
		}
		if (got != fd)
			_exit(EXIT_BAD_INPUT);
	}
	return out_closed;
}

/* Whether anything reached fd 1 (a temporary file standing in for a closed stdout). */
static bool wrote_stdout(void)
{
	struct stat st;

	fflush(stdout);
	return fstat(1, &st) || st.st_size > 0;
}

int main(int argc, char **argv)
{
	bool out_closed = standard_fds();

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_PASS;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("cxlemu %s\n", CXLEMU_VERSION);
		return EXIT_PASS;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name)) {
			int rc = commands[i].fn(argc - 1, argv + 1);

			/* a report nobody got (stdout closed, disk full) is not a success */
			if (out_closed && rc != EXIT_BAD_INPUT && wrote_stdout()) {
				fprintf(stderr, "cxlemu %s: standard output is closed: what it printed is "
					"lost\n", argv[1]);
				rc = EXIT_BAD_INPUT;
			} else if ((fflush(stdout) || ferror(stdout)) && rc != EXIT_BAD_INPUT) {
				fprintf(stderr, "cxlemu %s: cannot write to standard output: %s\n",
					argv[1], strerror(errno ? errno : EIO));
				rc = EXIT_BAD_INPUT;
			}
			return rc;
		}
	if (argv[1][0] == '-')
		return cli_usage_error("", "unknown option '%s' (see cxlemu --help)", argv[1]);
	fprintf(stderr, "cxlemu: '%s' is not a command (see cxlemu --help)\n", argv[1]);
	return EXIT_BAD_INPUT;
}
