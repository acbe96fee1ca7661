/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/spec.h - the shapes of the tables generated from spec/ YAML files.
 *
 * Register facts (offsets, widths, fields, attributes, reset values, models,
 * profiles, rules) live only in spec/. tools/specgen turns them into
 * spec_tables.c with these types; nothing here holds a register fact.
 * The X-macro lists below are the closed vocabularies of the YAML schema:
 * the generator maps YAML words to them and the engine switches on them.
 */
#ifndef CXLEMU_SPEC_H
#define CXLEMU_SPEC_H

#include <stdbool.h>
#include <stdint.h>

/* Access attributes (PCIe r6.0 §7.4, CXL r3.1 §8): enum name, YAML word. */
#define CXL_ACCESS_LIST(X) \
	X(RO, "RO") X(HWINIT, "HwInit") X(RW, "RW") X(RWS, "RWS") \
	X(RW1C, "RW1C") X(RW1CS, "RW1CS") X(RWO, "RWO") X(RWL, "RWL") \
	X(ROS, "ROS") X(RSVDP, "RsvdP") X(RSVDZ, "RsvdZ") X(DOORBELL, "Doorbell")

/* What makes an RWL field read-only. */
#define CXL_LOCK_LIST(X) \
	X(NONE, "none") X(CONFIG, "config-lock") X(DECODER, "decoder")

/* What writing 1 to a Doorbell field does. */
#define CXL_ACTION_LIST(X) \
	X(NONE, "none") X(CXL_RESET, "cxl-reset") X(CACHE_WBI, "cache-wbi")

/* Registers the engine attaches behaviour to. */
#define CXL_ROLE_LIST(X) \
	X(NONE, "none") X(DVSEC_LOCK, "dvsec-lock") X(DVSEC_STATUS2, "dvsec-status2") \
	X(DVSEC_RANGE_BASE, "dvsec-range-base") X(HDM_CAP, "hdm-cap") \
	X(HDM_GLOBAL_CONTROL, "hdm-global-control") X(HDM_BASE_LO, "hdm-base-lo") \
	X(HDM_BASE_HI, "hdm-base-hi") X(HDM_SIZE_LO, "hdm-size-lo") \
	X(HDM_SIZE_HI, "hdm-size-hi") X(HDM_CTRL, "hdm-ctrl") X(HDM_TL_LO, "hdm-tl-lo") \
	X(HDM_TL_HI, "hdm-tl-hi") X(HDM_SKIP_LO, "hdm-skip-lo") X(HDM_SKIP_HI, "hdm-skip-hi") \
	X(RAS_UE_STATUS, "ras-ue-status") X(RAS_UE_MASK, "ras-ue-mask") \
	X(RAS_CE_STATUS, "ras-ce-status") X(RAS_CE_MASK, "ras-ce-mask") \
	X(RAS_CAP_CONTROL, "ras-cap-control") X(RAS_HEADER_LOG, "ras-header-log")

/* How much of a structure a reset kind restores. */
#define CXL_SCOPE_LIST(X) X(ALL, "all") X(NON_STICKY, "non-sticky") X(NONE, "none")

#define CXL_SPACE_LIST(X) X(CONFIG, "config") X(COMPONENT, "component")

#define CXL_KIND_LIST(X) \
	X(DEVICE, "device") X(ROOT_PORT, "root-port") X(USP, "usp") X(DSP, "dsp") \
	X(HOST_BRIDGE, "host-bridge")

#define CXL_VARIANT_LIST(X) X(DEVICE, "device") X(PORT, "port")

/* Profile knobs: how the personality behaves where implementations differ. */
#define CXL_CONFIG_LOCK_MODE_LIST(X) X(ENFORCE, "enforce") X(IGNORE, "ignore")
#define CXL_DECODER_LOCK_MODE_LIST(X) \
	X(COMMITTED_AND_LOC, "committed-and-loc") X(LOC_BIT, "loc-bit") \
	X(COMMITTED_OR_LOC, "committed-or-loc") X(IGNORE, "ignore")
#define CXL_CHECKS_MODE_LIST(X) X(ENFORCE, "enforce") X(NONE, "none")
#define CXL_COMMIT_MODE_LIST(X) X(EDGE, "edge") X(LEVEL, "level")
#define CXL_REJECTED_READ_LIST(X) X(UNKNOWN, "unknown") X(ZERO, "zero")

#define CXL_SEVERITY_LIST(X) X(NOTE, "note") X(WARNING, "warning") X(ERROR, "error")

#define CXL__ENUM(prefix, name, word) prefix##name,
#define CXL_ENUM_ACC(n, w) CXL_ACC_##n,
#define CXL_ENUM_LOCK(n, w) CXL_LOCK_##n,
#define CXL_ENUM_ACTION(n, w) CXL_ACTION_##n,
#define CXL_ENUM_ROLE(n, w) CXL_ROLE_##n,
#define CXL_ENUM_SCOPE(n, w) CXL_SCOPE_##n,
#define CXL_ENUM_SPACE(n, w) CXL_SPACE_##n,
#define CXL_ENUM_KIND(n, w) CXL_KIND_##n,
#define CXL_ENUM_VARIANT(n, w) CXL_VARIANT_##n,
#define CXL_ENUM_CLM(n, w) CXL_CLM_##n,
#define CXL_ENUM_DLM(n, w) CXL_DLM_##n,
#define CXL_ENUM_CHK(n, w) CXL_CHECKS_##n,
#define CXL_ENUM_CMT(n, w) CXL_COMMIT_##n,
#define CXL_ENUM_RR(n, w) CXL_RREAD_##n,
#define CXL_ENUM_SEV(n, w) CXL_SEV_##n,

enum cxl_access { CXL_ACCESS_LIST(CXL_ENUM_ACC) CXL_ACC__COUNT };
enum cxl_lock { CXL_LOCK_LIST(CXL_ENUM_LOCK) CXL_LOCK__COUNT };
enum cxl_action { CXL_ACTION_LIST(CXL_ENUM_ACTION) CXL_ACTION__COUNT };
enum cxl_role { CXL_ROLE_LIST(CXL_ENUM_ROLE) CXL_ROLE__COUNT };
enum cxl_scope { CXL_SCOPE_LIST(CXL_ENUM_SCOPE) CXL_SCOPE__COUNT };
enum cxl_space { CXL_SPACE_LIST(CXL_ENUM_SPACE) CXL_SPACE__COUNT };
enum cxl_kind { CXL_KIND_LIST(CXL_ENUM_KIND) CXL_KIND__COUNT };
enum cxl_variant { CXL_VARIANT_LIST(CXL_ENUM_VARIANT) CXL_VARIANT__COUNT };
enum cxl_config_lock_mode { CXL_CONFIG_LOCK_MODE_LIST(CXL_ENUM_CLM) CXL_CLM__COUNT };
enum cxl_decoder_lock_mode { CXL_DECODER_LOCK_MODE_LIST(CXL_ENUM_DLM) CXL_DLM__COUNT };
enum cxl_checks_mode { CXL_CHECKS_MODE_LIST(CXL_ENUM_CHK) CXL_CHECKS__COUNT };
enum cxl_commit_mode { CXL_COMMIT_MODE_LIST(CXL_ENUM_CMT) CXL_COMMIT__COUNT };
enum cxl_rejected_read { CXL_REJECTED_READ_LIST(CXL_ENUM_RR) CXL_RREAD__COUNT };
enum cxl_severity { CXL_SEVERITY_LIST(CXL_ENUM_SEV) CXL_SEV__COUNT };

/* Reset kinds, in the order of enum cxl_reset_kind (cxlemu/trace.h). */
#define CXL_RESET_WORDS "conventional", "warm", "hot", "cold", "flr", "cxl"
#define CXL_NRESETS 6

struct cxl_field_spec {
	const char *name;
	uint8_t lo, hi;          /* bit range, inclusive */
	uint8_t access;          /* enum cxl_access */
	uint8_t else_access;     /* access when the if-capable field reads 0 */
	uint8_t lock;            /* enum cxl_lock (RWL only) */
	uint8_t action;          /* enum cxl_action (Doorbell only) */
	uint8_t variants;        /* bit per enum cxl_variant; 0 = every variant */
	int16_t cap_reg;         /* structure-local register index of the if-capable field, -1 none */
	uint8_t cap_lo, cap_hi;  /* bits of the if-capable field */
	uint64_t reset;
};

struct cxl_reg_spec {
	const char *id;
	const char *name;        /* may contain "{n}" (instance number) */
	const char *spec;
	uint16_t offset;         /* in the structure, or in the repeat instance */
	uint8_t width;           /* 8, 16, 32 or 64 bits */
	uint8_t role;            /* enum cxl_role */
	uint8_t variants;
	uint16_t field0, nfields;
};

struct cxl_struct_spec {
	const char *id;
	const char *name;
	const char *spec;
	uint8_t space;           /* enum cxl_space */
	bool opaque;             /* reads unchecked, writes ignored, counted unmodelled */
	uint32_t size;           /* fixed part; repeats add count * stride */
	uint8_t resets[CXL_NRESETS]; /* enum cxl_scope per enum cxl_reset_kind */
	uint16_t reg0, nregs;        /* fixed registers (global indexes) */
	uint16_t rep_reg0, rep_nregs;/* repeated registers; rep_nregs == 0: no repeat */
	uint32_t rep_base, rep_stride;
	uint16_t rep_max;
	int16_t rep_count;           /* fixed count, or -1: given by the placement */
	bool rep_hdm;                /* count is the HDM decoder count (trace may override) */
	uint8_t ncount_enc;          /* decoder-count-encoding table length */
	const uint8_t *count_enc;    /* decoder count per encoding */
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

struct cxl_model_spec {
	const char *name;
	const char *description;
	uint8_t kind;            /* enum cxl_kind */
	bool config_space;
	uint16_t place0, nplace;
};

struct cxl_override_spec {
	uint16_t reg;            /* global register index */
	int16_t field;           /* register-local field index, -1 = every field */
	int8_t access;           /* enum cxl_access, -1 = unchanged */
	bool drop_if_capable;    /* "if-capable: none": the field no longer depends on a capability */
};

struct cxl_profile_spec {
	const char *name;
	const char *description;
	uint8_t config_lock;     /* enum cxl_config_lock_mode */
	uint8_t decoder_lock;    /* enum cxl_decoder_lock_mode */
	uint8_t commit_checks;   /* enum cxl_checks_mode */
	uint8_t commit_mode;     /* enum cxl_commit_mode */
	bool uncommit;
	bool loc_clear_path;
	bool auto_clear_commit;  /* committing clears the Commit bit (QEMU 7.2) */
	uint8_t rejected_read;   /* enum cxl_rejected_read */
	uint16_t ovr0, novr;
};

struct cxl_rule_spec {
	const char *id;
	uint8_t severity;        /* enum cxl_severity */
	const char *message;
	const char *spec;
};

/* The generated tables (spec_tables.c). */
extern const struct cxl_field_spec cxl_spec_fields[];
extern const struct cxl_reg_spec cxl_spec_regs[];
extern const struct cxl_struct_spec cxl_spec_structs[];
extern const struct cxl_init_spec cxl_spec_inits[];
extern const struct cxl_place_spec cxl_spec_places[];
extern const struct cxl_model_spec cxl_spec_models[];
extern const struct cxl_override_spec cxl_spec_overrides[];
extern const struct cxl_profile_spec cxl_spec_profiles[];
extern const struct cxl_rule_spec cxl_spec_rules[];
extern const unsigned cxl_spec_nstructs, cxl_spec_nmodels, cxl_spec_nprofiles, cxl_spec_nrules;

/* Lookups by name; NULL when unknown. */
const struct cxl_model_spec *cxl_spec_model(const char *name);
const struct cxl_profile_spec *cxl_spec_profile(const char *name);
const struct cxl_rule_spec *cxl_spec_rule_by_id(const char *id);

/* Words of the vocabularies ("RW1CS", "config-lock", ...). */
const char *cxl_access_word(unsigned a);
const char *cxl_lock_word(unsigned l);
const char *cxl_severity_word(unsigned s);
const char *cxl_kind_word(unsigned k);
const char *cxl_space_word(unsigned s);
const char *cxl_variant_word(unsigned v);

#endif
