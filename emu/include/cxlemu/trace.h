/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/trace.h - the trace model: what a trace says happened.
 *
 * A trace is a header (description, profile, devices) followed by a stream
 * of ops. Importers produce it, the native YAML reader streams it, the
 * replayer feeds it to the device model. Nothing here knows about rules.
 */
#ifndef CXLEMU_TRACE_H
#define CXLEMU_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "cxlemu/error.h"

#define CXL_TRACE_MAX_DEVICES 64
#define CXL_TRACE_NAME_MAX 64
#define CXL_TRACE_TEXT_MAX 512
/* Reader limits (documented in traces/README.md). */
#define CXL_TRACE_MAX_EXPECT 1000000UL  /* expect: entries; more is CXL_ERR_LIMIT */
#define CXL_TRACE_MAX_HDM_DECODERS 32   /* hdm-decoders: 1..32 */

enum cxl_op_kind {
	CXL_OP_CFG_READ,
	CXL_OP_CFG_WRITE,
	CXL_OP_MMIO_READ,   /* offset relative to the component block */
	CXL_OP_MMIO_WRITE,
	CXL_OP_RESET,
	CXL_OP_INJECT,      /* hardware event injection (RAS errors, viral) */
	CXL_OP_MARK,        /* comment/marker: no effect, shows in reports */
	CXL_OP__COUNT
};

enum cxl_reset_kind {
	CXL_RESET_CONVENTIONAL, /* hot/warm: sticky bits survive */
	CXL_RESET_WARM,
	CXL_RESET_HOT,
	CXL_RESET_COLD,
	CXL_RESET_FLR,
	CXL_RESET_CXL,
	CXL_RESET__COUNT
};

enum cxl_inject_kind {
	CXL_INJECT_RAS_UNCORRECTABLE,
	CXL_INJECT_RAS_CORRECTABLE,
	CXL_INJECT_VIRAL,   /* the device entered viral: DVSEC Status.Viral_Status set */
	CXL_INJECT__COUNT
};

struct cxl_op {
	enum cxl_op_kind kind;
	unsigned dev;             /* index into the trace's device table */
	uint64_t offset;          /* cfg or mmio offset */
	unsigned size;            /* 1, 2, 4 or 8 as written in the trace */
	uint64_t value;           /* write value, or observed read value */
	bool has_value;           /* reads: false = not checked */
	enum cxl_reset_kind reset;
	enum cxl_inject_kind inject;
	unsigned bit;             /* inject: status bit to set */
	unsigned long line;       /* line of the op in the trace file */
	unsigned long col;
	char src[CXL_TRACE_TEXT_MAX]; /* "file:line" of the recorded source, or "" */
	char text[CXL_TRACE_TEXT_MAX]; /* mark text */
};

struct cxl_trace_device {
	char name[CXL_TRACE_NAME_MAX];
	char model[CXL_TRACE_NAME_MAX];
	char profile[CXL_TRACE_NAME_MAX]; /* "" = the trace's profile */
	int hdm_decoders;                 /* 0 = model default */
	bool fw_committed;                /* type2-accel: start committed+locked */
	uint64_t fw_base, fw_size;
	unsigned long line;
	unsigned long col;                /* of the device name */
};

struct cxl_trace_header {
	int version;
	char description[CXL_TRACE_TEXT_MAX];
	char profile[CXL_TRACE_NAME_MAX];
	char source[CXL_TRACE_TEXT_MAX];
	unsigned ndevices;
	struct cxl_trace_device devices[CXL_TRACE_MAX_DEVICES];
};

struct cxl_expect {
	unsigned long op;
	char rule[CXL_TRACE_NAME_MAX];
	char why[CXL_TRACE_TEXT_MAX];
	unsigned long line;
	unsigned long col;        /* of the entry */
};

struct cxl_trace_reader;

/*
 * Open @path and parse the header up to the first op. On failure returns
 * an error code with @err filled (file:line:col) and *@out untouched.
 * The reader streams: memory use does not grow with the number of ops.
 */
enum cxl_err cxl_trace_open(const char *path, struct cxl_trace_reader **out,
			    struct cxl_error *err);

/*
 * The header parsed by cxl_trace_open(); valid until cxl_trace_close().
 * Its profile is "cxl-3.1" when the trace names none.
 */
const struct cxl_trace_header *cxl_trace_header(const struct cxl_trace_reader *r);

/*
 * Read the next op into @op. Returns CXL_OK with *@done = false for an op,
 * CXL_OK with *@done = true at the end of ops (expectations then readable),
 * or an error (then *@op is unspecified, and every later call returns the
 * same error).
 */
enum cxl_err cxl_trace_next(struct cxl_trace_reader *r, struct cxl_op *op,
			    bool *done, struct cxl_error *err);

/*
 * After cxl_trace_next() reported done: parse the rest of the file
 * (expect:) and the end of the document. *@has_expect tells whether an
 * expect: key was present; the entries are then available through
 * cxl_trace_expect().
 */
enum cxl_err cxl_trace_finish(struct cxl_trace_reader *r, bool *has_expect,
			      struct cxl_error *err);

/* Expectation @i (0-based) after cxl_trace_finish(); NULL past the end. */
const struct cxl_expect *cxl_trace_expect(const struct cxl_trace_reader *r,
					  unsigned long i);

void cxl_trace_close(struct cxl_trace_reader *r);

/* Names used by the text formats ("cfg-read", "flr", ...). */
const char *cxl_op_kind_name(enum cxl_op_kind k);
const char *cxl_reset_kind_name(enum cxl_reset_kind k);
const char *cxl_inject_kind_name(enum cxl_inject_kind k);
/* Reverse lookups; return -1 when @name is unknown. */
int cxl_op_kind_parse(const char *name);
int cxl_reset_kind_parse(const char *name);
int cxl_inject_kind_parse(const char *name);

#endif
