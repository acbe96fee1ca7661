/* SPDX-License-Identifier: MIT */
/*
 * child.h - a child process spoken to line by line over its stdin/stdout (private).
 *
 * The child runs in its own process group, so closing the channel (or any error) kills it
 * and everything it started; no process outlives the channel. Reads wait at most a
 * timeout. Its stderr goes to an anonymous file whose tail error messages can quote.
 */
#ifndef CXLEMU_TARGET_CHILD_H
#define CXLEMU_TARGET_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cxlemu/error.h"

#define CXL_CHILD_LINE_MAX 4096
#define CXL_TARGET_EXEC_WORDS 63   /* words of an exec:COMMAND (argv without its NULL) */

struct cxl_child {
	pid_t pid;               /* 0 when not running (or reaped) */
	pid_t pgid;              /* its process group, killed on stop even after pid exited */
	int in, out;             /* our ends: write to the child's stdin, read its stdout */
	int errfd;               /* the child's stderr (an unlinked temporary file), -1 none */
	char buf[CXL_CHILD_LINE_MAX * 2];
	size_t len;              /* bytes buffered from the child's stdout */
	unsigned timeout_ms;
	int status;              /* exit status once reaped, -1 before */
	char what[64];           /* "qemu", "exec target": for messages */
};

/*
 * Starts @argv (argv[0] looked up in PATH) with pipes on stdin/stdout. Fails with
 * CXL_ERR_IO and a message naming the program when it cannot be started (the exec failure
 * is reported back from the child, so a missing binary is an error here, not a dead child).
 */
enum cxl_err cxl_child_start(struct cxl_child *c, char *const argv[], const char *what,
			     unsigned timeout_ms, struct cxl_error *err);
/* Writes @s (a whole line without its newline) and a newline. */
enum cxl_err cxl_child_send(struct cxl_child *c, const char *s, struct cxl_error *err);
/*
 * Reads one line into @line (@len bytes, NUL-terminated, newline removed). Fails with
 * CXL_ERR_IO on a timeout, on end of output (the child exited: its status and the last line
 * of its stderr are in the message) or on a line longer than CXL_CHILD_LINE_MAX.
 */
enum cxl_err cxl_child_recv(struct cxl_child *c, char *line, size_t len, struct cxl_error *err);
/* The last line the child wrote to stderr (for messages), or "". */
void cxl_child_stderr_tail(struct cxl_child *c, char *buf, size_t len);
/* Kills the process group of every running child; async-signal-safe (for signal handlers). */
void cxl_child_kill_all(void);
/* Kills the child's process group (SIGKILL), reaps it and closes the pipes. Idempotent. */
void cxl_child_stop(struct cxl_child *c);

#endif
