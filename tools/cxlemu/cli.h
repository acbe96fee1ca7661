/* SPDX-License-Identifier: MIT */
/*
 * cli.h - what the cxlemu subcommands share: exit codes and the one-line
 * error convention ("cxlemu CMD: message" or "file:line:col: error: message"
 * on stderr).
 */
#ifndef CXLEMU_CLI_H
#define CXLEMU_CLI_H

#include "cxlemu/error.h"

#define EXIT_PASS 0
#define EXIT_CHECK_FAILED 1
#define EXIT_BAD_INPUT 2

/* Prints "cxlemu CMD: message" to stderr and returns EXIT_BAD_INPUT. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints @e as "file:line:col: error: message" to stderr and returns EXIT_BAD_INPUT. */
int cli_input_error(const struct cxl_error *e);

int cxlemu_cmd_spec(int argc, char **argv);
int cxlemu_cmd_replay(int argc, char **argv);
int cxlemu_cmd_import(int argc, char **argv);

#endif
