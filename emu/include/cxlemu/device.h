/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/device.h - a device instance: a model's registers under a profile.
 *
 * A device is built once from the spec tables (model + profile + options); after that no
 * access allocates, formats or does I/O. Every access goes through the attribute engine and
 * reports what it enforced as events to the sink (cxlemu/event.h). The model knows nothing
 * about files or trace formats. A device is not thread-safe; separate devices are
 * independent.
 *
 * Offsets: config space offsets are absolute in the function's 4 KiB config space;
 * component offsets are relative to the 64 KiB component register block (CXL.cache/mem
 * registers start at +0x1000, CXL r3.1 §8.2.3).
 */
#ifndef CXLEMU_DEVICE_H
#define CXLEMU_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "cxlemu/error.h"
#include "cxlemu/event.h"
#include "cxlemu/spec_ids.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cxl_device;

/* How the host (its firmware, its kernel) left one HDM decoder before a guest sees the device. */
struct cxl_host_decoder {
	bool set;                /* this decoder is described */
	bool committed;          /* Commit and Committed set */
	bool locked;             /* Lock On Commit set */
	uint64_t base, size;     /* its programming (256 MiB granules) */
};

#define CXL_HOST_DECODERS_MAX 8

/* Origins of an access (cxl_device_set_op_flags()). */
#define CXL_OPF_VMM 0x1u         /* the VMM made the access, not the guest (host-safety rules skip it) */
#define CXL_OPF_FAILED 0x2u      /* the recorded access failed (a pread/pwrite error) */

struct cxl_device_opts {
	int hdm_decoders;        /* 0 = the model's count; else 1..32 (an encodable count) */
	bool fw_committed;       /* decoder 0 starts Committed with Lock-On-Commit: host[0] */
	uint64_t fw_base, fw_size;
	/*
	 * The host device before a guest sees it (the device's state under cxl-3.1; under a
	 * kernel personality what its shadow is taken from). A device with any of these, or
	 * fw_committed, is passed through, and the host-safety rules watch it.
	 */
	struct cxl_host_decoder host[CXL_HOST_DECODERS_MAX];
	bool host_config_lock;   /* DVSEC CONFIG_LOCK set by firmware */
	bool host_mem_enable;    /* DVSEC Mem_Enable set by firmware */
	unsigned view;           /* enum cxl_view: how component offsets are counted (0: the block) */
	/*
	 * Count every rule's checks (cxl_device_check_counts()): the device runs the field loop
	 * for every access, as CXLEMU_ENGINE_SLOW does, since the fast paths decide without
	 * evaluating the rules one by one. Same events and state; slower per access.
	 */
	bool count_checks;
};

/*
 * What a device's rules saw (complete when created with count_checks): per rule id, how
 * often it was evaluated and held (software behaved) and how often it fired (an event); per
 * field access attribute (enum cxl_access), how many fields of that attribute writes covered
 * without an event on the field (held) and with one (fired). "Evaluated" is per rule:
 * field rules on every write covering a field they guard, access rules on every access,
 * read.mismatch on every recorded read, commit checks on every commit attempt the check
 * applies to (spec/rules.yaml and README "Coverage" say which).
 */
struct cxl_check_counts {
	unsigned long rule_held[CXL_RULE__COUNT];
	unsigned long rule_fired[CXL_RULE__COUNT];
	unsigned long attr_held[CXL_ACC__COUNT];
	unsigned long attr_fired[CXL_ACC__COUNT];
};

struct cxl_device_counters {
	unsigned long reads_checked, mismatches, unmodeled;
};

/*
 * Build device @name of @model under @profile (NULL: the default profile); @opts may be
 * NULL. On success stores the device in *@out and returns CXL_OK; on failure returns an
 * error (CXL_ERR_UNKNOWN for an unknown model or profile, CXL_ERR_VALUE for a bad option,
 * CXL_ERR_LIMIT when out of memory) with @err filled (no location; the caller adds it)
 * and *@out untouched.
 */
enum cxl_err cxl_device_create(const char *name, const char *model, const char *profile,
			       const struct cxl_device_opts *opts,
			       struct cxl_device **out, struct cxl_error *err);
/* Frees @d; NULL is a no-op. */
void cxl_device_destroy(struct cxl_device *d);

/* Events of the following accesses go to @fn(@ctx, event); NULL drops them. */
void cxl_device_set_sink(struct cxl_device *d, cxl_event_fn fn, void *ctx);
/* Context stamped on the events of the following accesses (@src is kept, not copied). */
void cxl_device_set_op(struct cxl_device *d, unsigned long op, unsigned long line,
		       const char *src);
/*
 * Flags of the following accesses (CXL_OPF_*; cxl_device_set_op() clears them): who made
 * them and whether the recording says they failed.
 */
void cxl_device_set_op_flags(struct cxl_device *d, unsigned flags);

/*
 * Perform one access. @space is CXL_SPACE_CONFIG or CXL_SPACE_COMPONENT. For a read,
 * @value is the recorded value when @has_value; the model's value is compared on the bytes
 * the model knows (read.mismatch), and *@result (may be NULL) receives the model's view
 * (recorded bytes where unmodelled). Returns false when @size is not 1, 2, 4 or 8 or the
 * access leaves the space (the caller's input error; nothing happened), true otherwise.
 */
bool cxl_device_access(struct cxl_device *d, unsigned space, bool write, uint64_t offset,
		       unsigned size, uint64_t value, bool has_value, uint64_t *result);
/*
 * True when the last access was refused by the device's view (access.region-rejected: the
 * register region of a vfio-cxl kernel refuses it, the VMM's pread/pwrite fails).
 */
bool cxl_device_last_refused(const struct cxl_device *d);
/* Shorthands: an unchecked read into *@value, a write. Same return value. */
bool cxl_device_read(struct cxl_device *d, unsigned space, uint64_t offset, unsigned size,
		     uint64_t *value);
bool cxl_device_write(struct cxl_device *d, unsigned space, uint64_t offset, unsigned size,
		      uint64_t value);

/* Apply a reset of @kind (enum cxl_reset_kind) per the structures' reset scopes. */
void cxl_device_reset(struct cxl_device *d, unsigned kind);

/*
 * Hardware event injection (enum cxl_inject_kind): set status bit @bit of the RAS
 * uncorrectable or correctable error status register, or put the device into viral.
 * Returns false when the device has no such register or @bit is not a status bit.
 */
bool cxl_device_inject(struct cxl_device *d, unsigned kind, unsigned bit);

const struct cxl_device_counters *cxl_device_counters(const struct cxl_device *d);
/*
 * How often the device checked observation rule @rule (judge: self in spec/rules.yaml: a
 * host-safety rule judged on what the guest saw), whether or not it fired; 0 for other rules.
 * With the rule's events this says holds (checked, never fired) or not exercised.
 */
unsigned long cxl_device_rule_checks(const struct cxl_device *d, unsigned rule);
/* The device's check counts since creation or cxl_device_restart() (struct cxl_check_counts). */
const struct cxl_check_counts *cxl_device_check_counts(const struct cxl_device *d);
const char *cxl_device_name(const struct cxl_device *d);
const char *cxl_device_model_name(const struct cxl_device *d);
const char *cxl_device_profile_name(const struct cxl_device *d);
unsigned cxl_device_kind(const struct cxl_device *d);        /* enum cxl_kind */
unsigned cxl_device_view(const struct cxl_device *d);        /* enum cxl_view of its accesses */

/*
 * FNV-1a 64 over the name and every register (space, offset, value) in layout order, then,
 * while a DOE mailbox is mid-exchange, its request dwords so far and response position (each
 * 32-bit little-endian), continuing from @seed (0 = the FNV offset basis). Equal hashes mean
 * equal states.
 */
uint64_t cxl_device_hash(const struct cxl_device *d, uint64_t seed);

/*
 * Puts @d back exactly where cxl_device_create() left it (register values, latches, the host
 * state's kernel shadow, counters, pending observations), much cheaper than creating it
 * again: for fuzzers and oracles that run many sequences on one topology. The sink stays.
 */
void cxl_device_restart(struct cxl_device *d);

/* Register-level introspection, in layout order (space, then offset). */
unsigned cxl_device_nregs(const struct cxl_device *d);
/*
 * The registers whose value changed since the last cxl_device_clear_changes() (or since
 * creation), each once, in the order they first changed: their count, and their indexes in
 * *@regs (valid until the device changes again). For checkers that look only at what an op
 * changed (cxlemu/invariant.h).
 */
unsigned cxl_device_changes(const struct cxl_device *d, const unsigned **regs);
void cxl_device_clear_changes(struct cxl_device *d);
/*
 * The registers whose state may differ from the creation state: touched since creation or
 * the last cxl_device_restart(). Every other register holds its creation value, so two
 * runs of the same ops can be compared on these alone.
 */
unsigned cxl_device_touched(const struct cxl_device *d, const unsigned **regs);
/* Copies the values of the first @n registers (layout order) to @values; returns how many. */
unsigned cxl_device_snapshot(const struct cxl_device *d, uint64_t *values, unsigned n);

/* What a reset of some kind restores of a register's structure (spec/structures resets:). */
enum cxl_reset_scope {
	CXL_RESET_SCOPE_ALL,         /* every field to its reset value */
	CXL_RESET_SCOPE_NON_STICKY,  /* all but sticky fields (cxl_access_sticky()) */
	CXL_RESET_SCOPE_NONE,        /* nothing */
};
/* The scope of a reset of @kind (enum cxl_reset_kind) for register @i under @d's profile. */
enum cxl_reset_scope cxl_device_reg_reset_scope(const struct cxl_device *d, unsigned i, unsigned kind);
/* Register @i: space, offset, display name, current value. False past the end. */
bool cxl_device_reg_info(const struct cxl_device *d, unsigned i, unsigned *space,
			 uint32_t *offset, const char **name, uint64_t *value);
/* Width in bits, reset value and spec section of register @i. */
bool cxl_device_reg_detail(const struct cxl_device *d, unsigned i, unsigned *width,
			   uint64_t *reset, const char **spec);
/* Whether register @i is opaque (reads unchecked, writes ignored). */
bool cxl_device_reg_opaque(const struct cxl_device *d, unsigned i);
unsigned cxl_device_reg_nfields(const struct cxl_device *d, unsigned i);
/*
 * Field @j of register @i as this device applies it (profile and capabilities resolved):
 * name, bits, effective attribute (enum cxl_access), lock name ("none" when unlocked) and
 * reset value (shifted down).
 */
bool cxl_device_field_info(const struct cxl_device *d, unsigned i, unsigned j, const char **name,
			   unsigned *lo, unsigned *hi, unsigned *access, const char **lock,
			   uint64_t *reset);
/* Find a register by display name ("HDM Decoder 0 Control"); -1 if none. */
int cxl_device_find_reg(const struct cxl_device *d, const char *name);

#ifdef __cplusplus
}
#endif

#endif
