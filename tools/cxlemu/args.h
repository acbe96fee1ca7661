/* SPDX-License-Identifier: MIT */
/*
 * args.h - the one option parser, help, man page and completion source of every subcommand.
 *
 * A subcommand describes itself once (struct cli_command: synopsis, description, options with
 * their help, operands, exit status); from that description args.c parses its arguments with
 * getopt_long semantics and prints `cxlemu help CMD` / `CMD --help`, the man page
 * cxlemu-CMD(1) and the bash completion. Nothing about an option is written twice.
 *
 * Parsing (as getopt_long, POSIXLY_CORRECT unset):
 *   --name, --name=VALUE, --name VALUE; a unique prefix of a long name (--prof); -x, -xVALUE,
 *   -x VALUE, bundled flags (-qv); options and operands in any order (permutation); "--" ends
 *   the options; "-" is an operand (standard input or output).
 * Errors (one line on stderr, exit status 2): "cxlemu CMD: unknown option '--quite' (did you
 * mean '--quiet'?)", "option '--format' requires an argument (text, json, tap or junit)",
 * "option '--quiet' takes no argument", "option '--p' is ambiguous (--profile, --pretty)".
 */
#ifndef CXLEMU_ARGS_H
#define CXLEMU_ARGS_H

#include <stdbool.h>
#include <stdio.h>

/* What an option's value or an operand is, for completion and help. */
enum cli_value {
	CLI_V_NONE,       /* a flag */
	CLI_V_TEXT,       /* anything */
	CLI_V_FILE,       /* a path ("-": standard input or output) */
	CLI_V_MODEL,      /* a device model (spec/devices) */
	CLI_V_PROFILE,    /* a personality (spec/profiles) */
	CLI_V_RULE,       /* a rule id (spec/rules.yaml) */
	CLI_V_CHOICE,     /* one of the words in cli_option.choices */
	CLI_V_TARGET,     /* model[:PROFILE], qemu[=PATH], exec:CMD */
};

struct cli_option {
	const char *name;     /* long name, without "--"; NULL ends the table */
	char short_name;      /* 0: none */
	int id;               /* what cli_next() returns for it (> 0) */
	enum cli_value value; /* CLI_V_NONE: takes no argument */
	const char *arg;      /* the argument's name in help ("NAME") */
	const char *choices;  /* CLI_V_CHOICE: the words, space-separated ("text json tap junit") */
	const char *help;     /* what it does; "\n" starts another help line */
};

struct cli_command {
	const char *name;          /* "replay" */
	const char *summary;       /* one line for `cxlemu --help` and the man page's NAME */
	const char *synopsis;      /* after "cxlemu NAME ": "[OPTION]... TRACE..." */
	const char *description;   /* paragraphs separated by "\n\n" */
	const struct cli_option *options;   /* --help is added by the parser */
	enum cli_value operands;   /* what the operands are (completion) */
	const char *exit_status;   /* "0 every trace passes, 1 ..., 2 bad input" */
	int (*run)(int argc, char **argv);
};

/* Values of the parser, for cli_next(). */
#define CLI_END 0          /* no more options: the operands are in ops[0 .. nops) */
#define CLI_STOP (-1)      /* help was printed or a usage error was: return status */

struct cli_parser {
	const struct cli_command *cmd;
	int argc, i;
	char **argv;
	char *bundle;          /* the rest of a short-option bundle being read */
	bool dashdash;         /* after "--": operands only */
	char *arg;             /* the current option's argument (NULL for a flag), in argv */
	const char *spelled;   /* the current option as written ("--prof", "-p") */
	char **ops;            /* the operands, in order */
	int nops;
	int status;            /* after CLI_STOP: the exit status to return */
};

/* Starts parsing argv[1 .. argc) of subcommand @cmd (argv[0] is the subcommand's name). */
void cli_parse_begin(struct cli_parser *p, const struct cli_command *cmd, int argc, char **argv);
/*
 * The next option's id (its argument in p->arg), CLI_END when all arguments are read (the
 * operands in p->ops), or CLI_STOP after printing the help (--help, -h; p->status 0) or a
 * usage error (p->status 2).
 */
int cli_next(struct cli_parser *p);
/* A usage error about the current option's value: prints it, sets p->status, CLI_STOP. */
int cli_bad_value(struct cli_parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Every subcommand, in `cxlemu --help` order; NULL-terminated (main.c). */
extern const struct cli_command *const cli_commands[];
/* The subcommand named @name, or NULL. */
const struct cli_command *cli_command_find(const char *name);

/* `CMD --help`: the usage, description, options and exit status. */
void cli_help(const struct cli_command *c, FILE *f);
/* The man page of @c (cxlemu-NAME(1)) in roff; @c NULL: cxlemu(1), the command list. */
void cli_man(const struct cli_command *c, FILE *f, const char *version);
/* A bash completion script for cxlemu (subcommands, options, models, profiles, rules). */
void cli_completion_bash(FILE *f);

/*
 * Value checks that name the valid choices or the nearest one: the index of model/profile/
 * rule @name, or -1 after printing "cxlemu CMD: unknown profile 'qemu-72' (did you mean
 * 'qemu-7.2'?)" (the choices listed when nothing is near and they are few).
 */
int cli_model(const char *cmd, const char *name);
int cli_profile(const char *cmd, const char *name);
int cli_rule(const char *cmd, const char *name);
/* The index of @word in space-separated @choices, or -1 after the same kind of message. */
int cli_choice(const char *cmd, const char *what, const char *word, const char *choices);

#endif
