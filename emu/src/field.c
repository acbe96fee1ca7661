/* SPDX-License-Identifier: MIT */
/*
 * field.c - the field-policy engine: one register write, attribute by attribute.
 *
 * For every field the write touches (byte enables), the field's effective
 * access attribute decides the new value (PCIe r6.0 §7.4 attribute
 * definitions, CXL r3.1 §8):
 *   RO, HwInit, ROS   keep; a write that would change them is a note (field.ro-write)
 *   RW, RWS           take the written value
 *   RW1C, RW1CS       written 1s clear, 0s keep
 *   RWO               take the written value once; after a write changed it, further
 *                     changes are dropped (field.rwo-rewrite) until a reset clears it
 *   RWL               like RW unless its lock source holds; then dropped
 *                     (field.rwl-locked for CONFIG_LOCK, hdm.locked-write for decoders)
 *   RsvdP             keep; a changed value is a warning (field.rsvdp-changed)
 *   RsvdZ             keep 0; a non-zero write is a warning (field.rsvdz-nonzero)
 *   Doorbell          reads 0; writing 1 triggers the field's action after the write
 * plus field.rw1c-clobber when a write clears pending RW1C status while also
 * changing another field of the register (the read-modify-write bug).
 * No allocation; events go to the device's sink.
 */
#include "device_priv.h"

/* True when the lock source of field @f holds for register @ri. */
static bool locked(const struct cxl_device *d, int ri, const struct cxl_field_eff *f)
{
	int n;

	switch (f->lock) {
	case CXL_LOCK_CONFIG:
		return cxl_dvsec_config_locked(d);
	case CXL_LOCK_DECODER:
		n = cxl_hdm_decoder_of(d, ri);
		return n >= 0 && cxl_hdm_decoder_locked(d, (unsigned)n);
	default:
		return false;
	}
}

void cxl_reg_write(struct cxl_device *d, int ri, uint64_t be, uint64_t wval,
		   struct cxl_write_acc *acc)
{
	struct cxl_reg_inst *r = &d->regs[ri];
	uint64_t cur = r->value, nv = cur, cleared_pending = 0, changed_other = 0;
	unsigned actions[4], nact = 0;

	if (cxl_hdm_before_write(d, ri, be, wval))
		return;
	for (uint32_t j = 0; j < r->nfields; j++) {
		const struct cxl_field_eff *f = &d->fields[r->field0 + j];
		uint64_t m = f->mask & be, wf = wval & m, cf = cur & m;
		const char *fname = f->spec->name;
		unsigned sh = f->spec->lo;

		if (!m)
			continue;
		switch (f->access) {
		case CXL_ACC_RO:
		case CXL_ACC_HWINIT:
		case CXL_ACC_ROS:
			if (wf != cf)
				cxl_emit(d, CXL_RULE_FIELD_RO_WRITE, -1, r, fname, cf >> sh, wf >> sh,
					 "%s field: 0x%llx written over 0x%llx, ignored",
					 cxl_access_word(f->access), (unsigned long long)(wf >> sh),
					 (unsigned long long)(cf >> sh));
			break;
		case CXL_ACC_RW:
		case CXL_ACC_RWS:
			nv = (nv & ~m) | wf;
			changed_other |= wf ^ cf;
			break;
		case CXL_ACC_RW1C:
		case CXL_ACC_RW1CS:
			nv &= ~wf;
			cleared_pending |= wf & cf;
			break;
		case CXL_ACC_RWO:
			if (wf == cf)
				break;
			if (r->latched & m) {
				cxl_emit(d, CXL_RULE_FIELD_RWO_REWRITE, -1, r, fname, cf >> sh, wf >> sh,
					 "latched at 0x%llx; write of 0x%llx dropped",
					 (unsigned long long)(cf >> sh), (unsigned long long)(wf >> sh));
				break;
			}
			nv = (nv & ~m) | wf;
			r->latched |= m;
			changed_other |= wf ^ cf;
			break;
		case CXL_ACC_RWL:
			if (wf == cf)
				break;
			if (locked(d, ri, f)) {
				unsigned rule = f->lock == CXL_LOCK_DECODER ? CXL_RULE_HDM_LOCKED_WRITE :
									      CXL_RULE_FIELD_RWL_LOCKED;

				cxl_emit(d, rule, -1, r, fname, cf >> sh, wf >> sh,
					 "0x%llx -> 0x%llx dropped (%s)", (unsigned long long)(cf >> sh),
					 (unsigned long long)(wf >> sh),
					 f->lock == CXL_LOCK_DECODER ? "decoder committed with Lock On Commit" :
								       "CONFIG_LOCK is set");
				break;
			}
			nv = (nv & ~m) | wf;
			changed_other |= wf ^ cf;
			break;
		case CXL_ACC_RSVDP:
			if (wf != cf)
				cxl_emit(d, CXL_RULE_FIELD_RSVDP_CHANGED, -1, r, fname, cf >> sh, wf >> sh,
					 "read 0x%llx, wrote 0x%llx", (unsigned long long)(cf >> sh),
					 (unsigned long long)(wf >> sh));
			break;
		case CXL_ACC_RSVDZ:
			if (wf)
				cxl_emit(d, CXL_RULE_FIELD_RSVDZ_NONZERO, -1, r, fname, cf >> sh, wf >> sh,
					 "wrote 0x%llx", (unsigned long long)(wf >> sh));
			break;
		case CXL_ACC_DOORBELL:
			nv &= ~m;
			if (wf && nact < 4)
				actions[nact++] = f->action;
			break;
		default:
			break;
		}
	}
	if (cleared_pending && acc->first_reg < 0)
		acc->first_reg = ri;
	acc->cleared_pending |= cleared_pending;
	acc->changed_other |= changed_other;
	r->value = nv;
	cxl_hdm_after_write(d, ri, cur, wval, be);
	cxl_dvsec_after_write(d, ri, cur);
	for (unsigned i = 0; i < nact; i++)
		cxl_dvsec_action(d, ri, actions[i]);
}

/*
 * A write that clears pending RW1C status (writes 1 over a 1) while changing
 * another writable field in the same access is the read-modify-write bug:
 * software meant to update the other field and silently acknowledged the
 * status (PCIe r6.0 §7.4: RW1C).
 */
void cxl_write_acc_finish(struct cxl_device *d, const struct cxl_write_acc *acc)
{
	if (!acc->cleared_pending || !acc->changed_other)
		return;
	cxl_emit(d, CXL_RULE_FIELD_RW1C_CLOBBER, -1, &d->regs[acc->first_reg], "",
		 acc->cleared_pending, acc->changed_other,
		 "pending status 0x%llx cleared by a write that also changes 0x%llx",
		 (unsigned long long)acc->cleared_pending, (unsigned long long)acc->changed_other);
}
