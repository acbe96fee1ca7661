/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/event.h - what the model reports: one event per rule an access exercised.
 *
 * The model emits events to a sink the caller sets (cxl_device_set_sink()). An event names
 * its rule (spec/rules.yaml), severity, device, register and field, and carries the values
 * the rule is about; its human-readable detail is only formatted on request
 * (cxl_event_detail()), never on the access path. Pointers in an event are valid until the
 * device is destroyed, except @src, which is the caller's (cxl_device_set_op()).
 */
#ifndef CXLEMU_EVENT_H
#define CXLEMU_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxlemu/spec_ids.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which detail text an event carries and what its arguments mean (see cxl_event_detail()). */
enum cxl_detail {
	CXL_DETAIL_NONE,
	CXL_DETAIL_RO_WRITE,        /* arg0 written, arg1 kept, text: the attribute */
	CXL_DETAIL_RWO_LATCHED,     /* arg0 latched value, arg1 written */
	CXL_DETAIL_LOCKED,          /* arg0 kept, arg1 written, text: why the lock holds */
	CXL_DETAIL_RSVDP,           /* arg0 read, arg1 written */
	CXL_DETAIL_RSVDZ,           /* arg0 written */
	CXL_DETAIL_CLOBBER,         /* arg0 pending status cleared, arg1 other bits changed */
	CXL_DETAIL_UNMODELED,       /* arg0 1 = write, arg1 enum cxl_space, arg2 offset, arg3 size */
	CXL_DETAIL_MISMATCH,        /* arg0 recorded, arg1 model, arg2 access size */
	CXL_DETAIL_MISMATCH_REJECTED, /* arg0 recorded (the model reads 0) */
	CXL_DETAIL_CFG_WIDTH,       /* arg0 offset of an 8-byte config access */
	CXL_DETAIL_CFG_ALIGN,       /* arg0 size, arg1 offset */
	CXL_DETAIL_CM_SHAPE,        /* arg0 size, arg1 1 = write, arg2 offset, arg3 register bits << 32 | offset */
	CXL_DETAIL_RANGE_BASE_IGNORED,
	CXL_DETAIL_CXL_RESET,
	CXL_DETAIL_CHECK_ENCODING,  /* arg0 IG, arg1 IW, arg3 1 = the commit failed */
	CXL_DETAIL_CHECK_WAYS,      /* arg0 ways, arg3 failed */
	CXL_DETAIL_CHECK_UIO,       /* arg0 UIO decoders, arg1 allowed, arg3 failed */
	CXL_DETAIL_CHECK_ORDER,     /* arg0 decoder m-1, arg3 failed */
	CXL_DETAIL_CHECK_OVERLAP,   /* arg0 base, arg1 decoder m-1, arg2 its end, arg3 failed */
	CXL_DETAIL_CHECK_WRAP,      /* arg0 base, arg1 size, arg3 failed */
	CXL_DETAIL_CHECK_MOD3,      /* arg0 ways, arg1 size, arg3 failed */
	CXL_DETAIL_CHECK_DUP,       /* arg0 way a, arg1 way b, arg2 port, arg3 failed */
	CXL_DETAIL_REPROGRAM,       /* arg0 old, arg1 new, arg2 decoder */
	CXL_DETAIL_REGION,          /* arg0 enum cxl_view, arg1 offset in it, arg2 size, arg3 1 = shape (0 = range) */
	CXL_DETAIL_OUTCOME,         /* arg0 1 = the recorded access failed */
	CXL_DETAIL_REMAP,           /* arg0 decoder, arg1 current, arg2 attempted */
	CXL_DETAIL_RANGE_BASE_TAKEN, /* arg0 the written Memory Base bits read back, arg1 the write's op */
	CXL_DETAIL_HPA,             /* arg0 decoder, arg1 the host address bits read */
	CXL_DETAIL_TEXT,            /* the event's text itself (checks outside the core: topo.*) */
	CXL_DETAIL_DOE_LENGTH,      /* arg0 dwords written, arg1 the header's Length (0: none) */
	CXL_DETAIL_DOE_UNSUPPORTED, /* arg0 vendor, arg1 type, arg2 index or entry handle, arg3 enum below */
	CXL_DETAIL_DOE_NOT_READY,   /* arg0 1 = a write (advance), 0 = a read */
	CXL_DETAIL__COUNT
};

/* Why a DOE request is unsupported (CXL_DETAIL_DOE_UNSUPPORTED arg3). */
enum cxl_doe_why {
	CXL_DOE_WHY_PROTOCOL,    /* arg0 vendor, arg1 type: no such protocol */
	CXL_DOE_WHY_INDEX,       /* arg2 discovery index, arg1 the number of protocols */
	CXL_DOE_WHY_ENTRY,       /* arg2 entry handle, arg1 the number of CDAT entries */
	CXL_DOE_WHY_REQUEST      /* arg0 request code, arg1 table type */
};

/* One thing the model enforced or noticed. */
struct cxl_event {
	unsigned long op;        /* op index given by cxl_device_set_op() */
	unsigned long line;      /* trace line of that op */
	const char *src;         /* recorded source "file:line", or "" */
	const char *device;      /* device name */
	const char *reg;         /* register display name ("HDM Decoder 0 Control"), or "" */
	const char *field;       /* field name, or "" */
	const char *reg_spec;    /* the register's spec section, or "" */
	unsigned rule;           /* enum cxl_rule */
	unsigned severity;       /* enum cxl_severity */
	uint64_t old_value, new_value; /* field (or register) values the rule is about */
	unsigned detail;         /* enum cxl_detail */
	uint64_t arg[4];         /* the detail's arguments */
	const char *text;        /* the detail's text argument, or "" */
};

typedef void (*cxl_event_fn)(void *ctx, const struct cxl_event *ev);

/*
 * Formats the specifics of @ev ("0x1 -> 0x2 dropped (CONFIG_LOCK is set)") into @buf
 * (@len bytes, NUL-terminated when @len > 0). Returns the length of the full text, like
 * snprintf; "" for CXL_DETAIL_NONE.
 */
size_t cxl_event_detail(const struct cxl_event *ev, char *buf, size_t len);

/* Rules: id ("hdm.locked-write"), default severity, one-line message, spec section. */
const char *cxl_rule_id(unsigned rule);
unsigned cxl_rule_severity(unsigned rule);
const char *cxl_rule_message(unsigned rule);
const char *cxl_rule_spec(unsigned rule);
/*
 * True for a rule an implementation is judged on by raising it itself (spec/rules.yaml judge:
 * self, the host-safety rules), not by reading differently from cxl-3.1.
 */
bool cxl_rule_self_judged(unsigned rule);
/* The rule with id @id, or -1. */
int cxl_rule_lookup(const char *id);

/* "note", "warning" or "error"; "?" for other values. */
const char *cxl_severity_word(unsigned severity);

#ifdef __cplusplus
}
#endif

#endif
