/* SPDX-License-Identifier: MIT */
/*
 * field.c - the attribute engine: one register write, field by field.
 *
 * What a write does to a field is its attribute's write behaviour in the one attribute table
 * (cxl_spec_attrs, from spec/vocabulary.yaml; PCIe r6.0 §7.4, CXL r3.1 §8):
 *   keep        (RO, HwInit, ROS) keep; a write that would change them is field.ro-write
 *   take        (RW, RWS, RWL) take the written value; a lockable field (RWL) is dropped
 *               while its lock holds, with the lock's rule (field.rwl-locked, hdm.locked-write)
 *   one-clears  (RW1C, RW1CS) written 1s clear, 0s keep
 *   take-once   (RWO) take the written value once; after a write changed it, further changes
 *               are dropped (field.rwo-rewrite) until a reset clears the latch
 *   preserve    (RsvdP) keep; a changed value is a warning (field.rsvdp-changed)
 *   zero        (RsvdZ) keep 0; a non-zero write is a warning (field.rsvdz-nonzero)
 *   trigger     (Doorbell) reads 0; writing 1 runs the field's action after the write
 * plus field.rw1c-clobber when an access clears pending RW1C status while also changing
 * another field (the read-modify-write bug).
 *
 * Locks are data: a lock (spec/structures locks:, as the profile applies it) holds when its
 * register's bits match when-all/when-any. A lock with release bits lets a write of 0 to
 * them clear them while the lock holds, consuming that write (the vfio-cxl v2 "LOCK->0
 * reprogram path", spec/profiles/linux-vfio-cxl.yaml). No allocation; events go to the sink.
 */
#include "core_priv.h"

/* The register whose fields decide lock @lock for register @ri (same repeat instance), or -1. */
static int lock_reg(const struct cxl_device *d, int ri, int lock)
{
	const struct cxl_reg_inst *r = &d->regs[ri];

	return cxl_block_reg(r->blk, cxl_spec_locks[lock].reg, r->instance);
}

/* True when the predicate @lk holds on register value @v. */
static bool predicate(const struct cxl_lock_eff *lk, uint64_t v)
{
	return !lk->never && (v & lk->all) == lk->all && (!lk->any || (v & lk->any));
}

bool cxl_lock_held(const struct cxl_device *d, int ri, int lock)
{
	int li;

	if (lock < 0)
		return false;
#ifdef CXL_DEFECT_LOCK_ON_COMMIT
	/* a deliberate defect (meson -Ddefect=lock-on-commit, fuzzing demos only): Lock-On-Commit
	 * never holds, so a committed, locked decoder takes every write */
	if (d->prof->locks[lock].rule == CXL_RULE_HDM_LOCKED_WRITE)
		return false;
#endif
	li = lock_reg(d, ri, lock);
	return li >= 0 && predicate(&d->prof->locks[lock], d->regs[li].value);
}

/*
 * The release path: a write to a lock's own register that writes 0 to the lock's release
 * bits while the lock holds clears them and does nothing else. Returns true when it did.
 */
static bool released(struct cxl_device *d, int ri, uint64_t be, uint64_t wval)
{
	struct cxl_reg_inst *r = &d->regs[ri];
	const struct cxl_struct_spec *s = r->blk->st;

	for (unsigned k = s->lock0; k < s->lock0 + s->nlocks; k++) {
		const struct cxl_lock_eff *lk = &d->prof->locks[k];

		if (!lk->release || lock_reg(d, ri, (int)k) != ri || !predicate(lk, r->value))
			continue;
		if ((be & lk->release) != lk->release || (wval & lk->release))
			continue;
		cxl_set_r(d, r, r->value & (~lk->release));
		return true;
	}
	return false;
}

/* Emits an event about field @f of @r with the values shifted down to the field. */
static void field_event(struct cxl_device *d, unsigned rule, const struct cxl_reg_inst *r,
			const struct cxl_field_eff *f, uint64_t cur, uint64_t wr, unsigned kind,
			uint64_t a0, uint64_t a1, const char *text)
{
	unsigned sh = f->spec->lo;
	struct cxl_detail_args det = { kind, { a0 >> sh, a1 >> sh, 0, 0 }, text };

	cxl_emit(d, rule, -1, r, f->spec->name, cur >> sh, wr >> sh, &det);
}

void cxl_write_masks(struct cxl_device *d)
{
	for (unsigned ri = 0; ri < d->nregs; ri++) {
		struct cxl_reg_inst *r = &d->regs[ri];
		const struct cxl_struct_spec *s = r->blk->st;

		r->wm_take = r->wm_w1c = r->wm_trigger = r->wm_slow_change = r->wm_slow_set = 0;
		r->wm_locked[0] = r->wm_locked[1] = r->wm_any_take = 0;
		r->wm_lock[0] = r->wm_lock[1] = -1;
		for (uint32_t j = 0; j < r->nfields; j++) {
			const struct cxl_field_eff *f = &d->fields[r->field0 + j];
			unsigned k;

			switch (cxl_spec_attrs[f->access].write) {
			case CXL_WRITE_TAKE:
				r->wm_any_take |= f->mask;
				if (f->lock < 0) {
					r->wm_take |= f->mask;
					break;
				}
				for (k = 0; k < 2 && r->wm_lock[k] >= 0 && r->wm_lock[k] != f->lock; k++)
					;
				if (k == 2) {               /* a third lock: the field loop decides */
					r->wm_slow_change |= f->mask;
					break;
				}
				r->wm_lock[k] = f->lock;
				r->wm_locked[k] |= f->mask;
				break;
			case CXL_WRITE_ONE_CLEARS:
				r->wm_w1c |= f->mask;
				break;
			case CXL_WRITE_TRIGGER:
				r->wm_trigger |= f->mask;
				r->wm_slow_set |= f->mask;
				break;
			case CXL_WRITE_ZERO:
				r->wm_slow_set |= f->mask;
				break;
			default:   /* keep, preserve, take-once: a change is an event or a latch */
				r->wm_slow_change |= f->mask;
				break;
			}
		}
		r->release_reg = false;
		for (unsigned k = s->lock0; k < s->lock0 + s->nlocks; k++)
			if (d->prof->locks[k].release && lock_reg(d, (int)ri, (int)k) == (int)ri)
				r->release_reg = true;
	}
}

void cxl_reg_write(struct cxl_device *d, int ri, uint64_t be, uint64_t wval,
		   struct cxl_write_acc *acc)
{
	struct cxl_reg_inst *r = &d->regs[ri];
	uint64_t cur = r->value, nv = cur, cleared_pending = 0, changed_other = 0;
	unsigned actions[4], nact = 0;
	/* sizing a BAR (PCIe r6.0 §7.5.1.2.1): every address bit written 1 (SeaBIOS sizes the
	 * Expansion ROM with 0xfffffffe); the hardwired and reserved bits take no event */
	bool sizing = r->sizing && (wval & be & r->sizing) == r->sizing;

	if (r->hooked && r->blk->beh->writing)
		r->blk->beh->writing(d, ri, be, wval);
	if (r->release_reg && released(d, ri, be, wval))
		return;
	wval &= be;
	if (d->fast && !((wval ^ cur) & be & r->wm_slow_change) && !(wval & r->wm_slow_set) &&
	    (!((wval ^ cur) & be & r->wm_locked[0]) || !cxl_lock_held(d, ri, r->wm_lock[0])) &&
	    (!((wval ^ cur) & be & r->wm_locked[1]) || !cxl_lock_held(d, ri, r->wm_lock[1]))) {
		/* the common write: no field can raise an event or latch (a lockable field
		 * that changes has its lock open), so the masks decide what the field loop
		 * below would (same values, same pending status) */
		uint64_t take = (r->wm_take | r->wm_locked[0] | r->wm_locked[1]) & be;
		uint64_t ones = wval & r->wm_w1c;

		nv = (((cur & ~take) | (wval & take)) & ~ones) & ~(r->wm_trigger & be);
		cleared_pending = ones & cur;
		changed_other = (wval ^ cur) & take;
		goto store;
	}
	for (uint32_t j = 0; j < r->nfields; j++) {
		const struct cxl_field_eff *f = &d->fields[r->field0 + j];
		const struct cxl_attr_spec *a = &cxl_spec_attrs[f->access];
		uint64_t m = f->mask & be, wf = wval & m, cf = cur & m;

		if (!m)
			continue;
		/* the rule guarding the field, evaluated by this write (CXL_RULE__COUNT: none) */
		unsigned guard = CXL_RULE__COUNT;
		bool fired = false;

		switch (a->write) {
		case CXL_WRITE_KEEP:
			if (sizing)
				break;
			guard = CXL_RULE_FIELD_RO_WRITE;
			if ((fired = wf != cf))
				field_event(d, CXL_RULE_FIELD_RO_WRITE, r, f, cf, wf,
					    CXL_DETAIL_RO_WRITE, wf, cf, a->name);
			break;
		case CXL_WRITE_TAKE:
			if (f->lock >= 0)
				guard = d->prof->locks[f->lock].rule;
			if (wf == cf)
				break;
			if (f->lock >= 0 && cxl_lock_held(d, ri, f->lock)) {
				const struct cxl_lock_eff *lk = &d->prof->locks[f->lock];

				fired = true;
				field_event(d, lk->rule, r, f, cf, wf, CXL_DETAIL_LOCKED, cf, wf,
					    lk->reason);
				break;
			}
			nv = (nv & ~m) | wf;
			changed_other |= wf ^ cf;
			break;
		case CXL_WRITE_ONE_CLEARS:
			nv &= ~wf;
			cleared_pending |= wf & cf;
			acc->w1c_covered = true;
			break;
		case CXL_WRITE_TAKE_ONCE:
			guard = CXL_RULE_FIELD_RWO_REWRITE;
			if (wf == cf)
				break;
			if (r->latched & m) {
				fired = true;
				field_event(d, CXL_RULE_FIELD_RWO_REWRITE, r, f, cf, wf,
					    CXL_DETAIL_RWO_LATCHED, cf, wf, NULL);
				break;
			}
			nv = (nv & ~m) | wf;
			r->latched |= m;
			cxl_touch(d, (unsigned)ri);
			changed_other |= wf ^ cf;
			break;
		case CXL_WRITE_PRESERVE:
			if (sizing)
				break;
			guard = CXL_RULE_FIELD_RSVDP_CHANGED;
			if ((fired = wf != cf))
				field_event(d, CXL_RULE_FIELD_RSVDP_CHANGED, r, f, cf, wf,
					    CXL_DETAIL_RSVDP, cf, wf, NULL);
			break;
		case CXL_WRITE_ZERO:
			guard = CXL_RULE_FIELD_RSVDZ_NONZERO;
			if ((fired = wf != 0))
				field_event(d, CXL_RULE_FIELD_RSVDZ_NONZERO, r, f, cf, wf,
					    CXL_DETAIL_RSVDZ, wf, 0, NULL);
			break;
		case CXL_WRITE_TRIGGER:
			nv &= ~m;
			if (wf && nact < 4)
				actions[nact++] = f->action;
			else if (!wf && r->blk->beh && r->blk->beh->idle)
				r->blk->beh->idle(d, ri, f->action);
			break;
		default:
			break;
		}
		/* coverage (struct cxl_check_counts): the field's attribute and its rule */
		if (fired) {
			d->checks.attr_fired[f->access]++;
		} else {
			d->checks.attr_held[f->access]++;
			if (guard < CXL_RULE__COUNT)
				cxl_held(d, guard);
		}
	}
store:
	if (cleared_pending && acc->first_reg < 0)
		acc->first_reg = ri;
	acc->cleared_pending |= cleared_pending;
	acc->changed_other |= changed_other;
	cxl_set_r(d, r, nv);
	if (r->hooked && r->blk->beh->written)
		r->blk->beh->written(d, ri, cur, wval, be);
	for (unsigned i = 0; i < nact; i++)
		if (r->blk->beh && r->blk->beh->action)
			r->blk->beh->action(d, ri, actions[i]);
}

/*
 * A write that clears pending RW1C status (writes 1 over a 1) while changing another
 * writable field in the same access is the read-modify-write bug: software meant to update
 * the other field and silently acknowledged the status (PCIe r6.0 §7.4: RW1C).
 */
void cxl_write_acc_finish(struct cxl_device *d, const struct cxl_write_acc *acc)
{
	struct cxl_detail_args det = { CXL_DETAIL_CLOBBER,
		{ acc->cleared_pending, acc->changed_other, 0, 0 }, NULL };

	if (!acc->cleared_pending || !acc->changed_other) {
		if (acc->w1c_covered)
			cxl_held(d, CXL_RULE_FIELD_RW1C_CLOBBER);
		return;
	}
	cxl_emit(d, CXL_RULE_FIELD_RW1C_CLOBBER, -1, &d->regs[acc->first_reg], "",
		 acc->cleared_pending, acc->changed_other, &det);
}
