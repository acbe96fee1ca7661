/* SPDX-License-Identifier: MIT */
/*
 * spec_types.h - the shapes of the tables tools/specgen generates from spec/ (private).
 *
 * Register facts (offsets, widths, fields, attributes, reset values, locks, models, profiles,
 * rules, the trace vocabulary) live only in spec/. The X-macro lists below are the closed
 * words of the YAML schema that name C behaviour: the generator maps YAML words to them and
 * the engine switches on them. Nothing here holds a register fact.
 */
#ifndef CXLEMU_SPEC_TYPES_H
#define CXLEMU_SPEC_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include "cxlemu/spec_ids.h"
#include "spec_words.h"

/* One access attribute and what it means (the one attribute table). */
struct cxl_attr_spec {
	const char *name;        /* "RW1CS" */
	uint8_t write;           /* enum cxl_write_kind */
	bool sticky;             /* survives resets whose scope is non-sticky */
	bool lockable;           /* may name a lock */
};

struct cxl_op_spec {
	const char *name;        /* "mmio-write" */
	int8_t space;            /* enum cxl_space, -1: not a register access */
	bool write;
};

/* How a trace counts a device's mmio offsets (vocabulary views:). */
struct cxl_view_spec {
	const char *name;        /* "comp-regs-v2" */
	uint8_t base, end, access; /* enum cxl_view_base, cxl_view_end, cxl_view_access */
	const char *spec;
};

struct cxl_kind_spec {
	const char *name;        /* "root-port" */
	const char *prefix;      /* "rp": importers name devices rp0, rp1, ... */
};

struct cxl_field_spec {
	const char *name;
	uint8_t lo, hi;          /* bit range, inclusive */
	uint8_t access;          /* enum cxl_access */
	uint8_t else_access;     /* access when the if-capable field reads 0 */
	uint8_t action;          /* enum cxl_action (Doorbell only) */
	uint8_t variants;        /* bit per enum cxl_variant; 0 = every variant */
	int16_t lock;            /* global lock index (cxl_spec_locks), -1 none */
	int16_t cap_reg;         /* structure-local register index of the if-capable field, -1 none */
	uint8_t cap_lo, cap_hi;  /* bits of the if-capable field */
	uint8_t sized;           /* enum cxl_sized: a BAR's address bits, shaped per model */
	uint64_t reset;
};

struct cxl_reg_spec {
	const char *id;
	const char *name;        /* may contain "{n}" (instance number) */
	const char *spec;
	uint16_t structure;      /* index into cxl_spec_structs */
	uint16_t offset;         /* in the structure, or in the repeat instance */
	uint8_t width;           /* 8, 16, 32 or 64 bits */
	uint8_t variants;
	bool repeated;           /* part of the structure's repeat */
	uint16_t field0, nfields;
};

/* A lock source of a structure: which register's fields freeze its lockable fields. */
struct cxl_lock_spec {
	const char *name;        /* "decoder" */
	uint16_t structure;
	uint16_t reg;            /* global index of the register whose fields decide */
};

/* A lock as one profile applies it. */
struct cxl_lock_eff {
	uint64_t all, any;       /* held when (v & all) == all and (any == 0 or v & any) */
	uint64_t release;        /* while held, writing 0 to these bits clears them (and only that) */
	bool never;              /* never held */
	uint16_t rule;           /* enum cxl_rule of a dropped write */
	const char *reason;      /* "CONFIG_LOCK is set" */
};

struct cxl_struct_spec {
	const char *id;
	const char *name;
	const char *spec;
	uint8_t space;           /* enum cxl_space */
	bool opaque;             /* reads unchecked, writes ignored, counted unmodelled */
	uint32_t size;           /* fixed part; repeats add count * stride */
	uint8_t resets[CXL_RESET__COUNT]; /* enum cxl_scope per enum cxl_reset_kind */
	uint16_t reg0, nregs;        /* fixed registers (global indexes) */
	uint16_t rep_reg0, rep_nregs;/* repeated registers; rep_nregs == 0: no repeat */
	uint32_t rep_base, rep_stride;
	uint16_t rep_max;
	int16_t rep_count;           /* fixed count, or -1: given by the placement */
	bool rep_hdm;                /* count is the HDM decoder count (trace may override) */
	uint16_t lock0, nlocks;      /* its locks in cxl_spec_locks */
};

struct cxl_init_spec {
	uint16_t reg;            /* global register index */
	uint16_t instance;       /* repeat instance (0 for fixed registers) */
	uint64_t value;
};

struct cxl_place_spec {
	uint16_t structure;
	uint32_t at;             /* config offset or component block offset */
	uint32_t size;           /* truncate to this many bytes; 0 = whole structure */
	uint8_t variant;         /* enum cxl_variant */
	int16_t count;           /* repeat count; -1 = the structure's own */
	uint16_t init0, ninit;
};

struct cxl_bar_spec {
	uint8_t index;           /* BAR number 0..5 */
	uint8_t type;            /* enum cxl_bar_type */
	uint64_t size;
};

/* A protocol a model's DOE instance answers (model doe: protocols:, discovery index order). */
struct cxl_doe_proto_spec {
	uint16_t vendor;         /* Data Object Header 1: Vendor ID */
	uint8_t type;            /* Data Object Type */
	uint8_t serves;          /* enum cxl_doe_serves */
};

/* One CDAT entry (model doe: cdat:, entry handle = index): its dwords as read through DOE. */
struct cxl_cdat_spec {
	uint32_t dw0;            /* first dword in cxl_spec_cdat_dwords */
	uint16_t ndw;
};

struct cxl_model_spec {
	const char *name;
	const char *description;
	uint8_t kind;            /* enum cxl_kind */
	bool config_space;
	uint16_t place0, nplace;
	const char *qemu_type;   /* match: QEMU type name, or NULL */
	int32_t vendor, device;  /* match: PCI IDs, -1 when not given */
	uint16_t bar0, nbars;
	uint16_t proto0, nprotos;    /* its DOE protocols (cxl_spec_doe_protos) */
	uint16_t cdat0, ncdat;       /* its CDAT entries (cxl_spec_cdat) */
};

struct cxl_override_spec {
	uint16_t reg;            /* global register index */
	int16_t field;           /* register-local field index, -1 = every field */
	int8_t access;           /* enum cxl_access, -1 = unchanged */
	int16_t lock;            /* global lock index a lockable access takes, -1 = none given */
	bool drop_if_capable;    /* "if-capable: none": the field no longer depends on a capability */
	uint16_t kinds;          /* bit per enum cxl_kind that takes it; 0 = every device */
};

struct cxl_check_spec {
	uint16_t rule;           /* enum cxl_rule of the §8.2.4.20.12 check */
	uint8_t fails;           /* enum cxl_fails */
};

struct cxl_profile_spec {
	const char *name;
	const char *description;
	int16_t parent;          /* profile it inherits from, -1 = the root */
	uint16_t ovr0, novr;     /* field overrides, inherited ones first */
	const struct cxl_lock_eff *locks; /* one per cxl_spec_locks entry */
	uint16_t check0, ncheck; /* commit checks the device runs */
	bool recommit;           /* every Control write with Commit=1 commits, not only 0->1 */
	uint64_t on_commit_clear;   /* Decoder Control bits cleared when a commit completes */
	uint64_t on_uncommit_clear; /* Decoder Control bits Commit 1->0 clears (0: no uncommit) */
	uint8_t rejected_read;   /* enum cxl_rejected_read */
	const uint8_t (*resets)[CXL_RESET__COUNT]; /* enum cxl_scope per structure and reset kind */
	/* shadow: a kernel shadow's snapshots of the host device (none for a device seen as is) */
	uint32_t hdm_take, dvsec_take; /* bit per enum cxl_reset_kind after which it is taken again */
	uint8_t hdm_hide;        /* enum cxl_hide: what a snapshot does to committed decoders */
};

struct cxl_rule_spec {
	const char *id;
	uint8_t severity;        /* enum cxl_severity */
	const char *message;
	const char *spec;
	bool self_judged;        /* judge: self (spec/rules.yaml) */
};

/* The generated tables (spec_tables.c). */
extern const struct cxl_attr_spec cxl_spec_attrs[CXL_ACC__COUNT];
extern const char *const cxl_spec_space_names[CXL_SPACE__COUNT];
extern const uint32_t cxl_spec_space_sizes[CXL_SPACE__COUNT];
extern const char *const cxl_spec_reset_names[CXL_RESET__COUNT];
extern const struct cxl_op_spec cxl_spec_ops[CXL_OP__COUNT];
extern const char *const cxl_spec_inject_names[CXL_INJECT__COUNT];
extern const struct cxl_kind_spec cxl_spec_kinds[CXL_KIND__COUNT];
extern const struct cxl_view_spec cxl_spec_views[CXL_VIEW__COUNT];
extern const struct cxl_field_spec cxl_spec_fields[];
extern const struct cxl_reg_spec cxl_spec_regs[];
extern const struct cxl_lock_spec cxl_spec_locks[];
extern const struct cxl_struct_spec cxl_spec_structs[];
extern const struct cxl_init_spec cxl_spec_inits[];
extern const struct cxl_place_spec cxl_spec_places[];
extern const struct cxl_bar_spec cxl_spec_bars[];
extern const struct cxl_model_spec cxl_spec_models[];
extern const struct cxl_doe_proto_spec cxl_spec_doe_protos[];
extern const struct cxl_cdat_spec cxl_spec_cdat[];
extern const uint32_t cxl_spec_cdat_dwords[];
extern const struct cxl_override_spec cxl_spec_overrides[];
extern const struct cxl_check_spec cxl_spec_checks[];
extern const struct cxl_profile_spec cxl_spec_profiles[];
extern const struct cxl_rule_spec cxl_spec_rules[CXL_RULE__COUNT];
extern const unsigned cxl_spec_nstructs, cxl_spec_nmodels, cxl_spec_nprofiles, cxl_spec_nlocks;
extern const unsigned cxl_spec_default_profile;  /* index into cxl_spec_profiles */
extern const unsigned cxl_spec_default_block_model; /* index into cxl_spec_models */
extern const unsigned cxl_spec_default_vfio_model;  /* index into cxl_spec_models */

#endif
