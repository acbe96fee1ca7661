/* SPDX-License-Identifier: MIT */
/*
 * ras.c - RAS error injection (CXL r3.1 §8.2.4.17), the model's stand-in for hardware
 * detecting an error.
 *
 * Injecting status bit B of the Uncorrectable (or Correctable) Error Status register sets it,
 * like hardware logging an error. For an uncorrectable error that is not masked, when no
 * unmasked uncorrectable error was pending before, First Error Pointer becomes B
 * (§8.2.4.17.6: it identifies the first error recorded) and the header log is left as it is
 * (the model records no TLP header). Bits outside the status register's write-1-to-clear
 * fields cannot be injected.
 */
#include "core_priv.h"

/* True when bit @bit of register @ri belongs to a write-1-to-clear (status) field. */
static bool status_bit(const struct cxl_device *d, int ri, unsigned bit)
{
	const struct cxl_reg_inst *r = &d->regs[ri];

	for (uint32_t j = 0; j < r->nfields; j++) {
		const struct cxl_field_eff *f = &d->fields[r->field0 + j];

		if ((f->mask >> bit) & 1)
			return cxl_spec_attrs[f->access].write == CXL_WRITE_ONE_CLEARS;
	}
	return false;
}

static bool ras_inject(struct cxl_device *d, struct cxl_block *b, unsigned kind, unsigned bit)
{
	bool ue = kind == CXL_INJECT_RAS_UNCORRECTABLE;
	int ri, mi, ci;
	struct cxl_reg_inst *r;

	if (kind != CXL_INJECT_RAS_UNCORRECTABLE && kind != CXL_INJECT_RAS_CORRECTABLE)
		return false;
	ri = cxl_block_reg(b, ue ? CXL_R_RAS_UE_STATUS : CXL_R_RAS_CE_STATUS, 0);
	if (ri < 0 || bit >= 64 || !status_bit(d, ri, bit))
		return false;
	r = &d->regs[ri];
	if (ue) {
		uint64_t mask, pending;

		mi = cxl_block_reg(b, CXL_R_RAS_UE_MASK, 0);
		ci = cxl_block_reg(b, CXL_R_RAS_CAP_CONTROL, 0);
		mask = cxl_reg_value(d, mi);
		pending = r->value & ~mask;
		if (!((mask >> bit) & 1) && !pending && ci >= 0) {
			struct cxl_reg_inst *c = &d->regs[ci];
			uint64_t fe = CXL_F_RAS_CAP_CONTROL_FIRST_ERROR_POINTER_MASK;

			cxl_set_r(d, c, (c->value & ~fe) |
				  (((uint64_t)bit << CXL_F_RAS_CAP_CONTROL_FIRST_ERROR_POINTER_SHIFT) & fe));
		}
	}
	cxl_set_r(d, r, r->value | (1ULL << bit));
	return true;
}

const struct cxl_behaviour cxl_ras_behaviour = {
	.inject = ras_inject,
};
