/* SPDX-License-Identifier: MIT */
/*
 * dvsec.c - behaviour of the PCIe DVSEC for CXL Devices beyond field attributes.
 *
 * - CONFIG_LOCK (CXL r3.1 §8.1.3.6) is the lock source "config-lock": while
 *   it reads 1 (and the profile enforces it) every RWL field gated by it is
 *   read-only.
 * - Initiate CXL Reset (§8.1.3.4, §9.7): on a CXL Reset capable device,
 *   writing 1 clears CXL Reset Complete, performs a CXL Reset of the model
 *   (each structure's "cxl" reset scope) and sets CXL Reset Complete with
 *   CXL Reset Error clear. The model has no clock, so this completes within
 *   the write. A device that is not CXL Reset capable ignores the bit.
 * - Initiate Cache Write Back and Invalidation completes at once: Cache
 *   Invalid is set in Status2. A device that is not Cache Writeback and
 *   Invalidate Capable (§8.1.3.1: the capability says the device implements
 *   the control and status bits) ignores it.
 * - A Range Base write while HDM Decoder Enable is 1 has no effect on decode
 *   (§8.1.3.8): reported as the note dvsec.range-base-ignored.
 */
#include <string.h>

#include "device_priv.h"

/* Index of register @reg_id of the first placement of structure @st_id, or -1. */
static int find(const struct cxl_device *d, const char *st_id, const char *reg_id)
{
	for (unsigned i = 0; i < d->nregs; i++)
		if (!strcmp(d->regs[i].st->id, st_id) && !strcmp(d->regs[i].spec->id, reg_id))
			return (int)i;
	return -1;
}

void cxl_dvsec_bind(struct cxl_device *d)
{
	d->dvsec_lock = d->dvsec_status2 = -1;
	for (unsigned i = 0; i < d->nregs; i++) {
		if (d->regs[i].role == CXL_ROLE_DVSEC_LOCK && d->dvsec_lock < 0)
			d->dvsec_lock = (int)i;
		if (d->regs[i].role == CXL_ROLE_DVSEC_STATUS2 && d->dvsec_status2 < 0)
			d->dvsec_status2 = (int)i;
	}
	d->dvsec_cap = find(d, "dvsec-cxl-device", "capability");
	d->dvsec_control2 = find(d, "dvsec-cxl-device", "control2");
}

bool cxl_dvsec_config_locked(const struct cxl_device *d)
{
	uint64_t m;

	if (d->prof->config_lock != CXL_CLM_ENFORCE || d->dvsec_lock < 0)
		return false;
	m = cxl_reg_field_mask(d, d->dvsec_lock, "CONFIG_LOCK");
	return (d->regs[d->dvsec_lock].value & m) != 0;
}

void cxl_dvsec_after_write(struct cxl_device *d, int ri, uint64_t old_value)
{
	struct cxl_reg_inst *r = &d->regs[ri];

	if (r->role != CXL_ROLE_DVSEC_RANGE_BASE || !cxl_hdm_enabled(d))
		return;
	cxl_emit(d, CXL_RULE_DVSEC_RANGE_BASE_IGNORED, -1, r, "", old_value, r->value,
		 "HDM Decoder Enable is 1; decode uses the HDM decoders");
}

/* Sets (@set) or clears the Status2 field @name. */
static void status2(struct cxl_device *d, const char *name, bool set)
{
	uint64_t m = cxl_reg_field_mask(d, d->dvsec_status2, name);

	if (!m)
		return;
	if (set)
		d->regs[d->dvsec_status2].value |= m;
	else
		d->regs[d->dvsec_status2].value &= ~m;
}

/* True when DVSEC Capability field @name reads non-zero. */
static bool capable(const struct cxl_device *d, const char *name)
{
	return d->dvsec_cap >= 0 &&
	       (d->regs[d->dvsec_cap].value & cxl_reg_field_mask(d, d->dvsec_cap, name)) != 0;
}

void cxl_dvsec_action(struct cxl_device *d, int ri, unsigned action)
{
	struct cxl_reg_inst *r = &d->regs[ri];

	switch (action) {
	case CXL_ACTION_CXL_RESET:
		if (!capable(d, "CXL_Reset_Capable"))
			return;
		status2(d, "CXL_Reset_Complete", false);
		cxl_reset_structures(d, CXL_RESET_CXL);
		status2(d, "CXL_Reset_Complete", true);
		status2(d, "CXL_Reset_Error", false);
		cxl_emit(d, CXL_RULE_DVSEC_CXL_RESET, -1, r, "Initiate_CXL_Reset", 0, 1,
			 "CXL Reset performed; CXL Reset Complete set");
		break;
	case CXL_ACTION_CACHE_WBI:
		/* §8.1.3.1: only a Cache Writeback and Invalidate Capable device implements it. */
		if (!capable(d, "Cache_Writeback_and_Invalidate_Capable"))
			return;
		status2(d, "Cache_Invalid", true);
		break;
	default:
		break;
	}
}

/*
 * The device entered viral (CXL r3.1 §12.4): hardware sets DVSEC
 * Status.Viral_Status (RW1CS, §8.1.3.3). Returns false on a device without
 * the PCIe DVSEC for CXL Devices.
 */
bool cxl_dvsec_inject_viral(struct cxl_device *d)
{
	for (unsigned i = 0; i < d->nregs; i++) {
		uint64_t m;

		if (strcmp(d->regs[i].st->id, "dvsec-cxl-device") || strcmp(d->regs[i].spec->id, "status"))
			continue;
		m = cxl_reg_field_mask(d, (int)i, "Viral_Status");
		if (!m)
			return false;
		d->regs[i].value |= m;
		return true;
	}
	return false;
}
