/* SPDX-License-Identifier: MIT */
/* stats.c - names of the line classes counted in a trace's header. */
#include "import_int.h"

static const char *const class_desc[IMP_C__COUNT] = {
	[IMP_C_OP] = "produced ops",
	[IMP_C_CONTEXT] = "context (size pairing, CF8 latch, replies, MAP, PCIEXBAR)",
	[IMP_C_IGNORED] = "records without a register access",
	[IMP_C_BLANK] = "blank or comment",
	[IMP_C_NON_CXL] = "non-CXL device",
	[IMP_C_UNIDENTIFIED] = "device never identified (no vendor/device ID read)",
	[IMP_C_NOT_COMPONENT] = "not a component register block",
	[IMP_C_NO_DEVICE] = "config access with no device behind it",
	[IMP_C_UNPAIRED] = "unpaired size (pci_cfg line without its size line)",
	[IMP_C_OUT_OF_RANGE] = "out of range (offset, size or value)",
	[IMP_C_FAILED] = "command failed (FAIL/ERR reply)",
	[IMP_C_UNSUPPORTED] = "unsupported command",
	[IMP_C_UNKNOWN] = "unknown event or record",
	[IMP_C_UNPARSEABLE] = "unparseable (bad fields or binary data)",
	[IMP_C_TOO_LONG] = "over-long line",
	[IMP_C_TRUNCATED] = "truncated last line (no newline)",
};

/* One-line description of @c for the header; never NULL. */
const char *imp_class_desc(enum imp_class c)
{
	if ((unsigned)c >= IMP_C__COUNT)
		return "?";
	return class_desc[c];
}

/* True for classes reported under "lines skipped". */
bool imp_class_is_skip(enum imp_class c)
{
	return c != IMP_C_OP && c != IMP_C_CONTEXT;
}

/* Sum of all skipped classes. */
unsigned long imp_stats_skipped(const struct imp_stats *st)
{
	unsigned long n = 0;

	for (unsigned c = 0; c < IMP_C__COUNT; c++)
		if (imp_class_is_skip((enum imp_class)c))
			n += st->cls[c];
	return n;
}
