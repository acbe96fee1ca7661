/* SPDX-License-Identifier: MIT */
/*
 * trace_priv.h - the inside of a trace reader (private to emu/trace).
 *
 * A reader is a struct cxl_trace_reader followed by its kind's own state: yaml_reader.c
 * (native YAML files) and builder.c (traces built in memory) implement the ops below; the
 * public cxl_trace_* calls dispatch to them (reader.c).
 */
#ifndef CXLEMU_TRACE_PRIV_H
#define CXLEMU_TRACE_PRIV_H

#include "cxlemu/catalog.h"
#include "cxlemu/event.h"
#include "cxlemu/trace.h"

#define CXL_EXPORT __attribute__((visibility("default")))

struct cxl_trace_reader_ops {
	/* Next op; *done at the end of ops. */
	enum cxl_err (*next)(struct cxl_trace_reader *r, struct cxl_op *op, bool *done,
			     struct cxl_error *err);
	/* The rest after the ops: fills r->expect. */
	enum cxl_err (*finish)(struct cxl_trace_reader *r, struct cxl_error *err);
	/* Frees the kind's state (the reader itself is freed by the caller). */
	void (*close)(struct cxl_trace_reader *r);
};

struct cxl_trace_reader {
	const struct cxl_trace_reader_ops *ops;
	struct cxl_trace_header hdr;
	char *name;                /* what it reads (allocated; "" never NULL after open) */
	struct cxl_expect_list expect;
	bool finished;           /* finish() succeeded */
	bool failed;             /* an error was returned; it is repeated */
	struct cxl_error fail;
};

/* Sets @r->name to a copy of @name; false when out of memory. */
bool cxl_trace_set_name(struct cxl_trace_reader *r, const char *name);
/*
 * Checks @s as the YAML reader checks a name (device, model, profile, rule): 1 to
 * CXL_TRACE_NAME_MAX - 1 bytes of [A-Za-z0-9_.-]. Returns a message, or NULL when valid.
 */
const char *cxl_trace_name_problem(const char *s);

/* Writes "a, b, c or d" of the @n names @name(i) into @buf. */
void cxl_trace_choices(char *buf, size_t len, unsigned n, const char *(*name)(unsigned));

#endif
