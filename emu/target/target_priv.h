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

struct cxl_target_ops {
	enum cxl_err (*start)(struct cxl_target *t, const struct cxl_trace_header *h,
			      struct cxl_error *err);
	enum cxl_err (*op)(struct cxl_target *t, const struct cxl_op *op,
			   struct cxl_target_reply *reply, struct cxl_error *err);
	void (*close)(struct cxl_target *t);
};

struct cxl_target {
	const struct cxl_target_ops *ops;
	const char *kind;
	struct cxl_target_opts opts;
	char arg[1024];                    /* the part of the spec after "model:", "qemu=", "exec:" */
	char provenance[CXL_PROVENANCE_MAX];
	void *impl;                        /* the kind's state */
};

extern const struct cxl_target_ops cxl_target_model_ops, cxl_target_exec_ops,
	cxl_target_qemu_ops;

/* Sets @r to "skipped" with a printf-style reason. */
void cxl_target_skip(struct cxl_target_reply *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
