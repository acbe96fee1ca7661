/* SPDX-License-Identifier: MIT */
/*
 * trace_names.c - the text names of op, reset and inject kinds.
 *
 * One table per enum, indexed by the enum value; the names are exactly
 * those of traces/README.md. Lookups are linear over at most seven
 * entries, case-sensitive, and never allocate.
 */
#include <string.h>

#include "cxlemu/trace.h"

static const char *const op_names[CXL_OP__COUNT] = {
	[CXL_OP_CFG_READ] = "cfg-read",
	[CXL_OP_CFG_WRITE] = "cfg-write",
	[CXL_OP_MMIO_READ] = "mmio-read",
	[CXL_OP_MMIO_WRITE] = "mmio-write",
	[CXL_OP_RESET] = "reset",
	[CXL_OP_INJECT] = "inject",
	[CXL_OP_MARK] = "mark",
};

static const char *const reset_names[CXL_RESET__COUNT] = {
	[CXL_RESET_CONVENTIONAL] = "conventional",
	[CXL_RESET_WARM] = "warm",
	[CXL_RESET_HOT] = "hot",
	[CXL_RESET_COLD] = "cold",
	[CXL_RESET_FLR] = "flr",
	[CXL_RESET_CXL] = "cxl",
};

static const char *const inject_names[CXL_INJECT__COUNT] = {
	[CXL_INJECT_RAS_UNCORRECTABLE] = "ras-uncorrectable",
	[CXL_INJECT_RAS_CORRECTABLE] = "ras-correctable",
	[CXL_INJECT_VIRAL] = "viral",
};

/* Returns @names[@k], or "invalid" when @k is outside the table; never NULL. */
static const char *table_name(const char *const *names, unsigned n,
			      unsigned k)
{
	if (k >= n || !names[k])
		return "invalid";
	return names[k];
}

/* Returns the index of @name in @names, or -1 (also for a NULL @name). */
static int table_parse(const char *const *names, unsigned n, const char *name)
{
	unsigned i;

	if (!name)
		return -1;
	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], name))
			return (int)i;
	return -1;
}

/* Returns the trace name of op kind @k ("cfg-read", ...); never NULL. */
const char *cxl_op_kind_name(enum cxl_op_kind k)
{
	return table_name(op_names, CXL_OP__COUNT, (unsigned)k);
}

/* Returns the trace name of reset kind @k ("flr", ...); never NULL. */
const char *cxl_reset_kind_name(enum cxl_reset_kind k)
{
	return table_name(reset_names, CXL_RESET__COUNT, (unsigned)k);
}

/* Returns the trace name of inject kind @k; never NULL. */
const char *cxl_inject_kind_name(enum cxl_inject_kind k)
{
	return table_name(inject_names, CXL_INJECT__COUNT, (unsigned)k);
}

/* Returns the enum cxl_op_kind named @name, or -1. */
int cxl_op_kind_parse(const char *name)
{
	return table_parse(op_names, CXL_OP__COUNT, name);
}

/* Returns the enum cxl_reset_kind named @name, or -1. */
int cxl_reset_kind_parse(const char *name)
{
	return table_parse(reset_names, CXL_RESET__COUNT, name);
}

/* Returns the enum cxl_inject_kind named @name, or -1. */
int cxl_inject_kind_parse(const char *name)
{
	return table_parse(inject_names, CXL_INJECT__COUNT, name);
}
