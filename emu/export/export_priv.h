/* SPDX-License-Identifier: MIT */
/*
 * export_priv.h - what the exporters (qtest.c, c.c) share: register names for comments and
 * comment-safe text (private to emu/export; names.c).
 */
#ifndef CXLEMU_EXPORT_PRIV_H
#define CXLEMU_EXPORT_PRIV_H

#include <stdio.h>

#include "cxlemu/device.h"
#include "cxlemu/trace.h"

#define CXL_EXPORT __attribute__((visibility("default")))

/* One model device per trace device, only to name the registers an op touches. */
struct cxl_export_names {
	unsigned n;
	struct cxl_device *dev[CXL_TRACE_MAX_DEVICES];
};

/*
 * Builds a device for each device of @h (as the trace declares it: model, profile, options);
 * a device that cannot be built (the reader has checked them) just gets no names.
 */
void cxl_export_names_open(struct cxl_export_names *nm, const struct cxl_trace_header *h);
void cxl_export_names_close(struct cxl_export_names *nm);
/*
 * The display name of the register that access @op starts in ("HDM Decoder 0 Control"),
 * its offset counted in the device's view; NULL for another op kind, an unmodelled offset,
 * or a view that does not count from the component block.
 */
const char *cxl_export_reg_name(const struct cxl_export_names *nm, const struct cxl_op *op);

/*
 * Writes @s to @f so that it stays inside one comment line of a shell script or of a C
 * block comment: printable ASCII only (anything else, '\\' included, becomes '.'; "*" before
 * "/" and a '?' after '?' too, so neither a comment end nor a trigraph can appear).
 */
void cxl_export_text(FILE *f, const char *s);

/* "cfg-write ep0 0x4 2 0x6" / "reset ep0 flr" / "mark": what @op is, for a comment. */
void cxl_export_op_text(FILE *f, const struct cxl_trace_header *h, const struct cxl_op *op);
/* Copies the spool @from (from its start) to @to; false on a read or write error. */
bool cxl_export_copy(FILE *from, FILE *to);
/*
 * The description of op @n of trace @name shared by the exporters' comments:
 * "op N (SOURCE or TRACE:LINE): OP[: REGISTER]", without the comment's opening or closing.
 */
void cxl_export_op_where(FILE *f, const char *name, const struct cxl_trace_header *h,
			 const struct cxl_export_names *nm, unsigned long n, const struct cxl_op *op);

#endif
