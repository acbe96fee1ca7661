/* SPDX-License-Identifier: MIT */
/*
 * main.c - the cxlemu command: git-style subcommands from a table.
 *
 * Exit codes (every subcommand): 0 success / all traces pass, 1 a check
 * failed, 2 bad input or usage. Each subcommand describes itself (struct cli_command, in
 * its cmd_*.c); args.c parses, helps and writes man pages and completion from that.
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

#include "args.h"
#include "cli.h"
#include "cxlemu/catalog.h"
#include "cxlemu/import.h"
#include "cxlemu/target.h"

#ifndef CXLEMU_VERSION
#define CXLEMU_VERSION "unknown"
#endif

extern const struct cli_command cli_cmd_replay, cli_cmd_import, cli_cmd_spec, cli_cmd_record,
	cli_cmd_generate, cli_cmd_diff, cli_cmd_conform, cli_cmd_minimize, cli_cmd_convert,
	cli_cmd_bench, cli_cmd_explain, cli_cmd_topo, cli_cmd_export, cli_cmd_show,
	cli_cmd_coverage;

const struct cli_command *const cli_commands[] = {
	&cli_cmd_replay, &cli_cmd_import, &cli_cmd_spec, &cli_cmd_explain, &cli_cmd_record,
	&cli_cmd_generate, &cli_cmd_diff, &cli_cmd_conform, &cli_cmd_minimize, &cli_cmd_convert,
	&cli_cmd_bench, &cli_cmd_topo, &cli_cmd_export, &cli_cmd_show, &cli_cmd_coverage, NULL,
};

const struct cli_command *cli_command_find(const char *name)
{
	for (unsigned i = 0; cli_commands[i]; i++)
		if (!strcmp(cli_commands[i]->name, name))
			return cli_commands[i];
	return NULL;
}

/* The name of command @i (cxl_nearest_name's callback). */
static const char *command_name_at(unsigned i)
{
	return cli_commands[i]->name;
}

static unsigned command_count(void)
{
	unsigned n = 0;

	while (cli_commands[n])
		n++;
	return n;
}

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
	int i = cli_choice(cmd, "format", name, "text json tap junit");   /* enum order */

	if (i < 0)
		return EXIT_BAD_INPUT;
	*fmt = (enum cxl_report_format)i;
	return EXIT_PASS;
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
	char words[256] = "";

	*from = cxl_import_format_parse(name);
	if (*from >= 0)
		return 0;
	for (int f = 0; f < CXL_IMPORT__COUNT; f++)
		snprintf(words + strlen(words), sizeof(words) - strlen(words), "%s%s", f ? " " : "",
			 cxl_import_format_name((enum cxl_import_format)f));
	cli_choice(cmd, "format", name, words);
	return EXIT_BAD_INPUT;
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
	fprintf(f, "usage: cxlemu [--version] [--help] COMMAND [ARGS]\n"
		"       cxlemu help [COMMAND | --man [COMMAND] | --completion bash]\n\ncommands:\n");
	for (size_t i = 0; cli_commands[i]; i++)
		fprintf(f, "  %-9s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
	fprintf(f, "\n'cxlemu help COMMAND' (or 'cxlemu COMMAND --help') describes a command.\n"
		"exit status: 0 pass, 1 a check failed, 2 bad input or usage\n");
}

/* "cxlemu: 'repaly' is not a command (did you mean 'replay'?)"; EXIT_BAD_INPUT. */
static int not_a_command(const char *word)
{
	const char *near = cxl_nearest_name(word, command_name_at, command_count());

	if (near)
		fprintf(stderr, "cxlemu: '%s' is not a command (did you mean '%s'?)\n", word, near);
	else
		fprintf(stderr, "cxlemu: '%s' is not a command (see cxlemu --help)\n", word);
	return EXIT_BAD_INPUT;
}

/*
 * `cxlemu help [COMMAND]`, `cxlemu help --man [COMMAND]` (roff on standard output) and
 * `cxlemu help --completion bash`.
 */
static int help(int argc, char **argv)
{
	const struct cli_command *c;

	if (argc < 2) {
		usage(stdout);
		return EXIT_PASS;
	}
	if (!strcmp(argv[1], "--man")) {
		if (argc > 3)
			return cli_usage_error("help", "--man takes at most one command");
		if (argc == 2) {
			cli_man(NULL, stdout, CXLEMU_VERSION);
			return EXIT_PASS;
		}
		if (!(c = cli_command_find(argv[2])))
			return not_a_command(argv[2]);
		cli_man(c, stdout, CXLEMU_VERSION);
		return EXIT_PASS;
	}
	if (!strcmp(argv[1], "--completion")) {
		if (argc != 3 || strcmp(argv[2], "bash"))
			return cli_usage_error("help", "--completion takes 'bash'");
		cli_completion_bash(stdout);
		return EXIT_PASS;
	}
	if (!strcmp(argv[1], "--commands")) {   /* one per line, for meson and scripts */
		for (unsigned i = 0; cli_commands[i]; i++)
			puts(cli_commands[i]->name);
		return EXIT_PASS;
	}
	if (argc > 2)
		return cli_usage_error("help", "takes one command (see cxlemu --help)");
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("usage: cxlemu help [COMMAND | --man [COMMAND] | --completion bash | --commands]\n"
		       "  Describes COMMAND (as COMMAND --help does); --man prints the man page\n"
		       "  cxlemu(1) or cxlemu-COMMAND(1) in roff, --completion bash a bash completion\n"
		       "  script, --commands the subcommands one per line.\n"
		       "exit status: 0 printed, 2 usage\n");
		return EXIT_PASS;
	}
	if (argv[1][0] == '-')
		return cli_usage_error("help", "unknown option '%s' (--man, --completion bash)", argv[1]);
	if (!(c = cli_command_find(argv[1])))
		return not_a_command(argv[1]);
	cli_help(c, stdout);
	return EXIT_PASS;
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
	const struct cli_command *cmd;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(stdout), EXIT_PASS;
	if (!strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		if (argc > 2) {
			fprintf(stderr, "cxlemu: %s takes no argument (got '%s')\n", argv[1], argv[2]);
			return EXIT_BAD_INPUT;
		}
		printf("cxlemu %s\n", CXLEMU_VERSION);
		return EXIT_PASS;
	}
	if ((cmd = cli_command_find(argv[1]))) {
		int rc = cmd->run(argc - 1, argv + 1);

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
	if (argv[1][0] == '-') {
		const char *const top[] = { "--help", "--version" };
		const char *near = NULL;

		for (unsigned i = 0; i < 2 && !near; i++)
			if (!strncmp(argv[1], top[i], strlen(argv[1])) && argv[1][1] == '-')
				near = top[i];   /* a prefix, as getopt_long takes one */
		if (near && !strcmp(near, "--help"))
			return usage(stdout), EXIT_PASS;
		if (near) {
			printf("cxlemu %s\n", CXLEMU_VERSION);
			return EXIT_PASS;
		}
		fprintf(stderr, "cxlemu: unknown option '%s' (--help, --version, -V)\n", argv[1]);
		return EXIT_BAD_INPUT;
	}
	return not_a_command(argv[1]);
}
