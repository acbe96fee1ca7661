/* SPDX-License-Identifier: MIT */
/*
 * cli.h - what the cxlemu subcommands share: exit codes and the one-line
 * error convention ("cxlemu CMD: message" or "file:line:col: error: message"
 * on stderr).
 */
#ifndef CXLEMU_CLI_H
#define CXLEMU_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "cxlemu/error.h"
#include "cxlemu/report.h"
#include "cxlemu/trace.h"

#define EXIT_PASS 0
#define EXIT_CHECK_FAILED 1
#define EXIT_BAD_INPUT 2
/* --exit-codes=automake (the automake/meson/CTest test protocol) */
#define EXIT_AUTOMAKE_SKIP 77
#define EXIT_AUTOMAKE_HARD 99

/* Prints "cxlemu CMD: message" to stderr and returns EXIT_BAD_INPUT. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "qemu-log, qtest or mmiotrace": the import format table's names. */
const char *cli_format_list(void);
/* Parses a --format value (text, json, tap, junit); else a usage error for @cmd. */
int cli_report_format(const char *cmd, const char *name, enum cxl_report_format *fmt);
/* Parses a --timeout value (1..3600000 ms); else a usage error for @cmd. */
int cli_timeout(const char *cmd, const char *text, unsigned *ms);
/* Prints @e as "file:line:col: error: message" to stderr and returns EXIT_BAD_INPUT. */
int cli_input_error(const struct cxl_error *e);
/*
 * --from NAME of command @cmd: stores the import format in *@from and returns 0, or prints
 * a usage error and returns EXIT_BAD_INPUT.
 */
int cli_import_format(const char *cmd, const char *name, int *from);
/*
 * Opens @path as a trace (YAML or binary), or, when @from >= 0, as a log of that format to
 * import in memory. Returns 0 with *@out set, or prints the error line and returns
 * EXIT_BAD_INPUT.
 */
int cli_open_trace(int from, const char *path, struct cxl_trace_reader **out);

/* An output file written beside its target and renamed over it when complete (output.c). */
struct cli_out {
	const char *path;
	char tmp[4096];
	FILE *f;
};

/*
 * Opens @o for @path: refuses (message, EXIT_BAD_INPUT) a target that exists and is not a
 * regular file or is one of the @ninputs @inputs; else creates the temporary file.
 */
int cli_out_open(struct cli_out *o, const char *path, const char *const *inputs, unsigned ninputs);
/* Syncs, closes and renames; on failure removes the temporary file. Returns an exit status. */
int cli_out_commit(struct cli_out *o);
/* Removes the temporary file (after a failed run). */
void cli_out_abort(struct cli_out *o);
/*
 * Writes report @rep to @path atomically (cli_out_open(): never over one of the @ninputs
 * @inputs), or to standard output when @path is NULL or "-". Returns an exit status (a
 * message printed on failure).
 */
int cli_report_out(const char *cmd, struct cxl_report *rep, const char *path,
		   const char *const *inputs, unsigned ninputs);
/* EXIT_BAD_INPUT with a message when "-" (standard input) is among @args more than once. */
int cli_single_stdin(const char *cmd, char *const *args, int nargs);
/* Copies the spool @spool (from its start) to @to and flushes; false on a read or write error. */
bool cli_copy_out(FILE *spool, FILE *to);

/*
 * The scenarios of conform / diff --matrix into *@list (*@n paths, free with
 * cli_scenarios_free()): each of @args as a file, or a directory's *.yaml in name order;
 * without @args the bundled conformance suite, and then *@shown is how many leading bytes of
 * each path to replace by "conformance/" when showing it (0: show as is). Returns an exit
 * status (a message printed on failure).
 */
int cli_scenarios(const char *cmd, char **args, int nargs, char ***list, unsigned *n, size_t *shown);
void cli_scenarios_free(char **list, unsigned n);

int cxlemu_cmd_spec(int argc, char **argv);
int cxlemu_cmd_replay(int argc, char **argv);
int cxlemu_cmd_import(int argc, char **argv);
int cxlemu_cmd_record(int argc, char **argv);
int cxlemu_cmd_minimize(int argc, char **argv);
int cxlemu_cmd_bench(int argc, char **argv);
int cxlemu_cmd_convert(int argc, char **argv);
int cxlemu_cmd_conform(int argc, char **argv);
int cxlemu_cmd_generate(int argc, char **argv);
int cxlemu_cmd_diff(int argc, char **argv);
int cxlemu_cmd_explain(int argc, char **argv);
int cxlemu_cmd_export(int argc, char **argv);
int cxlemu_cmd_show(int argc, char **argv);
int cxlemu_cmd_coverage(int argc, char **argv);

struct cxl_html;
/*
 * Writes the HTML page of collector @h to @path atomically (cli_out_open(): never over one
 * of the @ninputs @inputs; "-" standard output). Returns an exit status (a message printed
 * on failure). cmd_show.c.
 */
int cli_html_out(const char *cmd, struct cxl_html *h, const char *path,
		 const char *const *inputs, unsigned ninputs);

#endif
