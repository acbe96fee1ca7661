/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/device.h - a device instance: a model's registers under a profile.
 *
 * A device is built once from the spec tables (model + profile + options);
 * after that no access allocates. Every access goes through the field-policy
 * engine and reports what it enforced as events to the sink. The engine
 * knows nothing about files or trace formats.
 */
#ifndef CXLEMU_DEVICE_H
#define CXLEMU_DEVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cxlemu/error.h"
#include "cxlemu/spec.h"
#include "cxlemu/trace.h"

struct cxl_device;

/* One thing the engine enforced or noticed. Strings live until the next event. */
struct cxl_event {
	unsigned long op;        /* op index set by cxl_device_set_op() */
	unsigned long line;      /* trace line of that op */
	const char *src;         /* recorded source "file:line" or "" */
	const char *device;
	const char *reg;         /* register display name ("HDM Decoder 0 Control"), or "" */
	const char *field;       /* field name, or "" */
	const char *reg_spec;    /* the register's spec section, or "" */
	unsigned rule;           /* enum cxl_rule (spec_tables.h) */
	unsigned severity;       /* enum cxl_severity */
	uint64_t old_value, new_value; /* field (or register) values the rule is about */
	const char *detail;      /* specifics, e.g. "0x0 -> 0x1 dropped" */
};

typedef void (*cxl_event_fn)(void *ctx, const struct cxl_event *ev);

struct cxl_device_opts {
	int hdm_decoders;        /* 0 = the model's count */
	bool fw_committed;       /* decoder 0 starts Committed with Lock-On-Commit */
	uint64_t fw_base, fw_size;
};

struct cxl_device_counters {
	unsigned long reads_checked, mismatches, unmodeled;
};

/*
 * Build device @name of @model under @profile. On failure returns an error
 * (CXL_ERR_UNKNOWN for an unknown model/profile, CXL_ERR_VALUE for a bad
 * option) with @err filled (no location; the caller adds it).
 */
enum cxl_err cxl_device_create(const char *name, const char *model, const char *profile,
			       const struct cxl_device_opts *opts,
			       struct cxl_device **out, struct cxl_error *err);
void cxl_device_destroy(struct cxl_device *d);

void cxl_device_set_sink(struct cxl_device *d, cxl_event_fn fn, void *ctx);
/* Context stamped on the events of the following accesses. */
void cxl_device_set_op(struct cxl_device *d, unsigned long op, unsigned long line,
		       const char *src);

/*
 * Perform one access. @space is CXL_SPACE_CONFIG or CXL_SPACE_COMPONENT.
 * For a read, @value is the recorded value when @has_value; the model's
 * value is compared on the bytes the model knows (read.mismatch), and
 * *@result receives the model's view (recorded bytes where unmodelled).
 * Returns false when the offset/size is outside the space (caller's input
 * error), true otherwise.
 */
bool cxl_device_access(struct cxl_device *d, unsigned space, bool write, uint64_t offset,
		       unsigned size, uint64_t value, bool has_value, uint64_t *result);

/* Apply a reset of @kind (enum cxl_reset_kind) per the structures' reset scopes. */
void cxl_device_reset(struct cxl_device *d, unsigned kind);

/* RAS error injection: set status @bit of the UE or CE status register. */
bool cxl_device_inject(struct cxl_device *d, unsigned kind, unsigned bit);

const struct cxl_device_counters *cxl_device_counters(const struct cxl_device *d);
const char *cxl_device_name(const struct cxl_device *d);
const struct cxl_model_spec *cxl_device_model(const struct cxl_device *d);
const struct cxl_profile_spec *cxl_device_profile(const struct cxl_device *d);

/* FNV-1a 64 over the name and every register value in layout order. */
uint64_t cxl_device_hash(const struct cxl_device *d, uint64_t seed);

/* Print every register (space, offset, name, value) in layout order. */
void cxl_device_dump(const struct cxl_device *d, FILE *out, bool json);

/* For each committed HDM decoder: its HPA window and where it routes (cxlemu/decode.h). */
void cxl_device_dump_decode(const struct cxl_device *d, FILE *out);

/* Register-level introspection for tests and reports. */
unsigned cxl_device_nregs(const struct cxl_device *d);
bool cxl_device_reg_info(const struct cxl_device *d, unsigned i, unsigned *space,
			 uint32_t *offset, const char **name, uint64_t *value);
/* Width in bits, reset value and spec section of register @i. */
bool cxl_device_reg_detail(const struct cxl_device *d, unsigned i, unsigned *width,
			   uint64_t *reset, const char **spec);
unsigned cxl_device_reg_nfields(const struct cxl_device *d, unsigned i);
/* Field @j of register @i as this device applies it (profile and capabilities resolved). */
bool cxl_device_field_info(const struct cxl_device *d, unsigned i, unsigned j, const char **name,
			   unsigned *lo, unsigned *hi, unsigned *access, unsigned *lock,
			   uint64_t *reset);
/* Find a register by display name ("HDM Decoder 0 Control"); -1 if none. */
int cxl_device_find_reg(const struct cxl_device *d, const char *name);

#endif
