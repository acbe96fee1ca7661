/* SPDX-License-Identifier: MIT */
/*
 * device_priv.h - the inside of a device instance, shared by the engine files
 * (device.c builds it, access.c routes accesses, field.c applies attributes,
 * dvsec.c/hdm.c/ras.c attach behaviour to registers by role).
 */
#ifndef CXLEMU_DEVICE_PRIV_H
#define CXLEMU_DEVICE_PRIV_H

#include "cxlemu/device.h"
#include "spec_tables.h"

#define CXL_CFG_SIZE 0x1000u
#define CXL_CM_SIZE 0x10000u
#define CXL_MAX_DECODERS 32

/* A field as this device applies it: profile overrides and capabilities resolved. */
struct cxl_field_eff {
	const struct cxl_field_spec *spec;
	uint64_t mask;           /* bits in the register */
	uint8_t access;          /* enum cxl_access */
	uint8_t lock;            /* enum cxl_lock */
	uint8_t action;          /* enum cxl_action */
};

struct cxl_reg_inst {
	const struct cxl_reg_spec *spec;
	const struct cxl_struct_spec *st;
	uint8_t space, bytes, role;
	bool opaque;
	uint32_t offset;         /* absolute offset in its space */
	uint16_t place, instance;
	char name[72];           /* display name, "{n}" replaced */
	uint64_t value, reset_value;
	uint64_t latched;        /* RWO bits written since the last reset that cleared them */
	uint32_t field0, nfields;
};

/* Register indexes of one HDM decoder (-1 when absent for the variant). */
struct cxl_decoder_regs {
	int base_lo, base_hi, size_lo, size_hi, ctrl, tl_lo, tl_hi, skip_lo, skip_hi;
};

/* Masks of the HDM fields the commit protocol reads, looked up by name once. */
struct cxl_hdm_masks {
	uint64_t ig, iw, loc, commit, committed, enc, uio;
	uint64_t cap_count, cap_targets, cap_3_6_12, cap_16, cap_uio, cap_uio_count;
	uint64_t gctl_enable;
};

struct cxl_device {
	char name[CXL_TRACE_NAME_MAX];
	const struct cxl_model_spec *model;
	const struct cxl_profile_spec *prof;
	unsigned nregs, nfields;
	struct cxl_reg_inst *regs;
	struct cxl_field_eff *fields;
	int16_t cfg_map[CXL_CFG_SIZE];
	int16_t cm_map[CXL_CM_SIZE];

	/* role bindings */
	int dvsec_lock, dvsec_cap, dvsec_status2, dvsec_control2;
	int hdm_cap, hdm_gctl;
	unsigned hdm_variant, ndec;
	struct cxl_decoder_regs dec[CXL_MAX_DECODERS];
	struct cxl_hdm_masks hm;
	int ras_ue_status, ras_ue_mask, ras_ce_status, ras_cap_ctrl, ras_hlog0;

	cxl_event_fn sink;
	void *sink_ctx;
	unsigned long op, line;
	const char *src;
	struct cxl_device_counters counters;
	char detail[192];
};

/* device.c */
void cxl_emit(struct cxl_device *d, unsigned rule, int severity, const struct cxl_reg_inst *r,
	      const char *field, uint64_t old_value, uint64_t new_value, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
uint64_t cxl_field_value(const struct cxl_field_eff *f, uint64_t reg_value);
const struct cxl_field_eff *cxl_reg_field(const struct cxl_device *d, const struct cxl_reg_inst *r,
					  const char *name);
uint64_t cxl_reg_field_mask(const struct cxl_device *d, int reg, const char *name);
void cxl_reset_structures(struct cxl_device *d, unsigned kind);

/*
 * What one access did across the registers it touched, for rules that look
 * at the whole access (field.rw1c-clobber: a dword read-modify-write of
 * DVSEC Control+Status clears Viral_Status as surely as a same-register one).
 */
struct cxl_write_acc {
	uint64_t cleared_pending;  /* RW1C bits that were 1 and were written 1 */
	uint64_t changed_other;    /* bits of other writable fields that changed */
	int first_reg;             /* register of the first pending-status clear, -1 */
};

/* field.c: apply a write of @wval on the bytes in @be to register @ri. */
void cxl_reg_write(struct cxl_device *d, int ri, uint64_t be, uint64_t wval,
		   struct cxl_write_acc *acc);
/* field.c: report field.rw1c-clobber for a finished access, if it applies. */
void cxl_write_acc_finish(struct cxl_device *d, const struct cxl_write_acc *acc);

/* dvsec.c */
void cxl_dvsec_bind(struct cxl_device *d);
bool cxl_dvsec_config_locked(const struct cxl_device *d);
void cxl_dvsec_after_write(struct cxl_device *d, int ri, uint64_t old_value);
void cxl_dvsec_action(struct cxl_device *d, int ri, unsigned action);
bool cxl_dvsec_inject_viral(struct cxl_device *d);

/* hdm.c */
enum cxl_err cxl_hdm_bind(struct cxl_device *d, struct cxl_error *err);
int cxl_hdm_decoder_of(const struct cxl_device *d, int ri);
bool cxl_hdm_decoder_locked(const struct cxl_device *d, unsigned n);
bool cxl_hdm_before_write(struct cxl_device *d, int ri, uint64_t be, uint64_t wval);
void cxl_hdm_after_write(struct cxl_device *d, int ri, uint64_t old_value, uint64_t written,
			 uint64_t be);
void cxl_hdm_fw_commit(struct cxl_device *d, uint64_t base, uint64_t size);
bool cxl_hdm_enabled(const struct cxl_device *d);

/* ras.c */
void cxl_ras_bind(struct cxl_device *d);

#endif
