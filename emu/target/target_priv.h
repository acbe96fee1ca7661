/* SPDX-License-Identifier: MIT */
/*
 * target_priv.h - the inside of a target (private to emu/target).
 *
 * target.c dispatches the public calls and holds the model target; target_exec.c and
 * target_qemu.c are the process targets, both on child.c.
 */
#ifndef CXLEMU_TARGET_PRIV_H
#define CXLEMU_TARGET_PRIV_H

#include "cxlemu/catalog.h"
#include "cxlemu/target.h"

#define CXL_EXPORT __attribute__((visibility("default")))
#define CXL_PROVENANCE_MAX 8192

/*
 * Where a dry qemu target sends its qtest commands (one line each, without the newline);
 * @cmd NULL: a fresh QEMU process starts here (the start, a cold reset); @cmd "": QEMU must
 * go round its main loop before it reads the next command (a system reset it was asked for is
 * performed there, after every command it has already read).
 */
typedef void (*cxl_qtest_sink)(void *ctx, const char *cmd);

struct cxl_target_ops {
	enum cxl_err (*start)(struct cxl_target *t, const struct cxl_trace_header *h,
			      struct cxl_error *err);
	enum cxl_err (*op)(struct cxl_target *t, const struct cxl_op *op,
			   struct cxl_target_reply *reply, struct cxl_error *err);
	void (*close)(struct cxl_target *t);
	/* The next config write the target made itself (cxl_target_next_setup()); NULL: none. */
	bool (*next_setup)(struct cxl_target *t, struct cxl_op *op);
};

struct cxl_target {
	const struct cxl_target_ops *ops;
	const char *kind;
	struct cxl_target_opts opts;
	char arg[1024];                    /* the part of the spec after "model:", "qemu=", "exec:" */
	char provenance[CXL_PROVENANCE_MAX];
	void *impl;                        /* the kind's state */
	cxl_qtest_sink qtest_sink;         /* qemu: dry when set (cxl_target_qemu_dry()) */
	void *qtest_sink_ctx;
};

extern const struct cxl_target_ops cxl_target_model_ops, cxl_target_exec_ops,
	cxl_target_qemu_ops;

/*
 * Makes the qemu target @t (opened, not started) dry: cxl_target_start() and cxl_target_op()
 * then plan exactly what a live QEMU would be sent (topology, command line, bring-up, every
 * op and reset, the same skips and also_reset) and hand each qtest command to @fn(@ctx, cmd)
 * instead; no process runs. Reads answer no value (has_value is set, value 0). For
 * `cxlemu export --to qtest` (emu/export/qtest.c).
 */
void cxl_target_qemu_dry(struct cxl_target *t, cxl_qtest_sink fn, void *ctx);
/*
 * The command line of a started qemu target (live or dry): its word count, and the words in
 * *@argv (NULL-terminated, valid until the target is closed or started again); 0 and NULL for
 * another kind of target or before a start.
 */
unsigned cxl_target_qemu_argv(const struct cxl_target *t, char *const **argv);

/* Sets @r to "skipped" with a printf-style reason. */
void cxl_target_skip(struct cxl_target_reply *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
