/* SPDX-License-Identifier: MIT */
/*
 * ras.c - RAS error injection (CXL r3.1 §8.2.4.17), the model's stand-in for
 * hardware detecting an error.
 *
 * Injecting status bit B of the Uncorrectable (or Correctable) Error Status
 * register sets it, like hardware logging an error. For an uncorrectable
 * error that is not masked, when no unmasked uncorrectable error was pending
 * before, First Error Pointer becomes B (§8.2.4.17.6: it identifies the
 * first error recorded) and the header log is left as it is (the model
 * records no TLP header). Bits outside the status register's defined
 * (RW1CS) fields cannot be injected.
 */
#include "device_priv.h"

void cxl_ras_bind(struct cxl_device *d)
{
	d->ras_ue_status = d->ras_ue_mask = d->ras_ce_status = d->ras_cap_ctrl = d->ras_hlog0 = -1;
	for (unsigned i = 0; i < d->nregs; i++) {
		switch (d->regs[i].role) {
		case CXL_ROLE_RAS_UE_STATUS: if (d->ras_ue_status < 0) d->ras_ue_status = (int)i; break;
		case CXL_ROLE_RAS_UE_MASK: if (d->ras_ue_mask < 0) d->ras_ue_mask = (int)i; break;
		case CXL_ROLE_RAS_CE_STATUS: if (d->ras_ce_status < 0) d->ras_ce_status = (int)i; break;
		case CXL_ROLE_RAS_CAP_CONTROL: if (d->ras_cap_ctrl < 0) d->ras_cap_ctrl = (int)i; break;
		case CXL_ROLE_RAS_HEADER_LOG: if (d->ras_hlog0 < 0) d->ras_hlog0 = (int)i; break;
		default: break;
		}
	}
}

/* True when bit @bit of register @ri belongs to a write-1-to-clear status field. */
static bool status_bit(const struct cxl_device *d, int ri, unsigned bit)
{
	const struct cxl_reg_inst *r = &d->regs[ri];

	for (uint32_t j = 0; j < r->nfields; j++) {
		const struct cxl_field_eff *f = &d->fields[r->field0 + j];

		if ((f->mask >> bit) & 1)
			return f->spec->access == CXL_ACC_RW1CS || f->spec->access == CXL_ACC_RW1C;
	}
	return false;
}

bool cxl_device_inject(struct cxl_device *d, unsigned kind, unsigned bit)
{
	if (kind == CXL_INJECT_VIRAL)
		return cxl_dvsec_inject_viral(d);

	int ri = kind == CXL_INJECT_RAS_UNCORRECTABLE ? d->ras_ue_status : d->ras_ce_status;
	struct cxl_reg_inst *r;
	uint64_t mask = 0, pending;

	if (ri < 0 || bit >= 64 || !status_bit(d, ri, bit))
		return false;
	r = &d->regs[ri];
	if (kind == CXL_INJECT_RAS_UNCORRECTABLE) {
		mask = d->ras_ue_mask >= 0 ? d->regs[d->ras_ue_mask].value : 0;
		pending = r->value & ~mask;
		if (!((mask >> bit) & 1) && !pending && d->ras_cap_ctrl >= 0) {
			uint64_t fe = cxl_reg_field_mask(d, d->ras_cap_ctrl, "First_Error_Pointer");
			struct cxl_reg_inst *c = &d->regs[d->ras_cap_ctrl];

			if (fe)
				c->value = (c->value & ~fe) | (((uint64_t)bit << __builtin_ctzll(fe)) & fe);
		}
	}
	r->value |= 1ULL << bit;
	return true;
}
