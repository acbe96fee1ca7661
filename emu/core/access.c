/* SPDX-License-Identifier: MIT */
/*
 * access.c - route one access to the registers it touches.
 *
 * Config space (PCIe r6.0 §7.2.2): 1, 2 or 4 bytes, naturally aligned; an access may span
 * several registers (a 4-byte read at 0x10 covers Control2 and Status2) and is split per
 * register with byte enables. 8 bytes is access.width, a misaligned access access.align;
 * neither has an effect.
 *
 * Component registers (CXL r3.1 §8.2.2): a 32-bit register is accessed as 4 bytes and a
 * 64-bit one as 8, naturally aligned; anything else (partial, wider, spanning two
 * registers) is access.width or access.align and has no effect; what such a read returns is
 * the profile's access.rejected-read (unknown: the recorded value stands; zero: 0, checked).
 * Bytes outside every modelled register are "unmodelled": reads return the recorded value
 * (or 0), writes are ignored, both are counted.
 *
 * Views (vocabulary views:): a device seen through a register region of a vfio-cxl kernel
 * counts component offsets from elsewhere (COMP_REGS v2 from the cachemem range, v4 from the
 * HDM decoders, the bar view from the BAR start) and the region refuses accesses outside it or
 * of a shape it does not take (access.region-rejected; the VMM's pread fails and QEMU reads
 * all ones). A recorded failure the model does not predict, or the reverse, is
 * access.outcome-mismatch (cxl_device_set_op_flags(): CXL_OPF_FAILED).
 */
#include <string.h>

#include "core_priv.h"

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ULL : ((1ULL << (8 * size)) - 1);
}

/* Counts and reports an access that touches no modelled register. */
static void unmodeled(struct cxl_device *d, unsigned space, uint64_t offset, unsigned size,
		      bool write)
{
	struct cxl_detail_args det = { CXL_DETAIL_UNMODELED, { write, space, offset, size }, NULL };

	d->counters.unmodeled++;
	cxl_emit(d, CXL_RULE_ACCESS_UNMODELED, -1, NULL, NULL, 0, 0, &det);
}

/* Compares a recorded read with the model on the bytes in @known. */
static void check_read(struct cxl_device *d, const struct cxl_reg_inst *r, uint64_t model,
		       uint64_t recorded, uint64_t known, unsigned size)
{
	struct cxl_detail_args det = { CXL_DETAIL_MISMATCH,
		{ recorded & size_mask(size), model & size_mask(size), size, 0 }, NULL };

	d->counters.reads_checked++;
	if (!((model ^ recorded) & known)) {
		cxl_held(d, CXL_RULE_READ_MISMATCH);
		return;
	}
	d->counters.mismatches++;
	cxl_emit(d, CXL_RULE_READ_MISMATCH, -1, r, NULL, model & known, recorded & known, &det);
}

/* Config-space access, split per register with byte enables. */
__attribute__((noinline))
static void cfg_access(struct cxl_device *d, bool write, uint64_t offset, unsigned size,
		       uint64_t value, bool has_value, uint64_t *result)
{
	uint64_t model = 0, known = 0;
	const struct cxl_reg_inst *first = NULL, *differs = NULL;
	struct cxl_write_acc acc = { 0, 0, -1 };
	bool any = false, opaque = false;
	/* the hooked registers read, for their read hooks after the comparison (at most 4) */
	int hooked[4];
	uint64_t hooked_seen[4], hooked_be[4];
	unsigned nhooked = 0;

	if (size == 8) {
		struct cxl_detail_args det = { CXL_DETAIL_CFG_WIDTH, { offset, 0, 0, 0 }, NULL };

		cxl_emit(d, CXL_RULE_ACCESS_WIDTH, -1, NULL, NULL, 0, 0, &det);
		*result = has_value ? value : 0;
		return;
	}
	if (offset % size) {
		struct cxl_detail_args det = { CXL_DETAIL_CFG_ALIGN, { size, offset, 0, 0 }, NULL };

		cxl_emit(d, CXL_RULE_ACCESS_ALIGN, -1, NULL, NULL, 0, 0, &det);
		*result = has_value ? value : 0;
		return;
	}
	{
		/* the common access, exactly one whole register: what the loop below does for it */
		int ri = d->cfg_map[offset];
		struct cxl_reg_inst *r = ri >= 0 ? &d->regs[ri] : NULL;

		if (d->fast && r && r->offset == offset && r->bytes == size && !r->opaque) {
			uint64_t all = size_mask(size);

			if (write) {
				cxl_reg_write(d, ri, all, value & all, &acc);
				cxl_write_acc_finish(d, &acc);
				return;
			}
			*result = r->value;
			if (has_value)
				check_read(d, r, r->value, value, all, size);
			if (r->hooked && r->blk->beh->read)
				r->blk->beh->read(d, ri, has_value ? value & all : r->value, all);
			return;
		}
	}
	for (unsigned b = 0; b < size; ) {
		int ri = d->cfg_map[offset + b];
		struct cxl_reg_inst *r;
		unsigned rb, n;
		uint64_t be = 0, wv;

		if (ri < 0) {
			b++;
			continue;
		}
		any = true;
		r = &d->regs[ri];
		first = first ? first : r;
		opaque |= r->opaque;
		rb = (unsigned)(offset + b - r->offset);   /* first byte within the register */
		n = r->bytes - rb;
		if (n > size - b)
			n = size - b;
		for (unsigned k = 0; k < n; k++)
			be |= 0xffULL << (8 * (rb + k));
		if (write) {
			wv = ((value >> (8 * b)) << (8 * rb)) & be;
			cxl_reg_write(d, ri, be, wv, &acc);
		} else {
			uint64_t mine = ((r->value & be) >> (8 * rb)) << (8 * b);
			uint64_t mask = (be >> (8 * rb)) << (8 * b);

			model |= mine;
			/* a mismatch names the first register whose bytes differ */
			if (has_value && !differs && ((mine ^ value) & mask))
				differs = r;
			if (r->hooked && r->blk->beh->read && nhooked < 4) {
				uint64_t got = ((value >> (8 * b)) << (8 * rb)) & be;

				hooked[nhooked] = ri;
				hooked_seen[nhooked] = has_value ? (r->value & ~be) | got : r->value;
				hooked_be[nhooked++] = be;
			}
		}
		known |= ((be >> (8 * rb))) << (8 * b);
		b += n;
	}
	if (!any) {
		unmodeled(d, CXL_SPACE_CONFIG, offset, size, write);
		*result = has_value ? value : 0;
		return;
	}
	/* a modelled register took an access of a valid width and alignment */
	cxl_held(d, CXL_RULE_ACCESS_WIDTH);
	cxl_held(d, CXL_RULE_ACCESS_ALIGN);
	cxl_held(d, CXL_RULE_ACCESS_UNMODELED);
	if (known != size_mask(size))
		d->counters.unmodeled++;
	if (write)
		cxl_write_acc_finish(d, &acc);
	if (!write) {
		*result = (model & known) | ((has_value ? value : 0) & ~known & size_mask(size));
		if (has_value && !opaque)
			check_read(d, differs ? differs : first, model, value, known, size);
		for (unsigned i = 0; i < nhooked; i++)
			d->regs[hooked[i]].blk->beh->read(d, hooked[i], hooked_seen[i], hooked_be[i]);
	}
}

/* A read the register shape rejected: what the profile says such a read returns. */
static void rejected_read(struct cxl_device *d, const struct cxl_reg_inst *r, uint64_t value,
			  bool has_value, uint64_t *result)
{
	struct cxl_detail_args det = { CXL_DETAIL_MISMATCH_REJECTED, { value, 0, 0, 0 }, NULL };

	if (d->prof->rejected_read == CXL_RREAD_UNKNOWN) {
		*result = has_value ? value : 0;
		return;
	}
	*result = 0;
	if (!has_value)
		return;
	d->counters.reads_checked++;
	if (!value) {
		cxl_held(d, CXL_RULE_READ_MISMATCH);
		return;
	}
	d->counters.mismatches++;
	cxl_emit(d, CXL_RULE_READ_MISMATCH, -1, r, NULL, 0, value, &det);
}

/* Component-block access: exactly one whole register, or a width/alignment error. */
__attribute__((noinline))
static void cm_access(struct cxl_device *d, bool write, uint64_t offset, unsigned size,
		      uint64_t value, bool has_value, uint64_t *result)
{
	int ri = d->cm_map[offset];
	bool mapped = false, unmapped = false;
	struct cxl_reg_inst *r;

	if (d->fast && ri >= 0 && d->regs[ri].offset == offset && d->regs[ri].bytes == size) {
		r = &d->regs[ri];     /* the common access, exactly one whole register */
		goto whole;
	}
	ri = -1;
	for (unsigned b = 0; b < size; b++) {
		int x = d->cm_map[offset + b];

		if (x < 0)
			unmapped = true;
		else {
			mapped = true;
			if (ri < 0)
				ri = x;
		}
	}
	if (!mapped) {
		unmodeled(d, CXL_SPACE_COMPONENT, offset, size, write);
		*result = has_value ? value : 0;
		return;
	}
	r = &d->regs[ri];
	if (unmapped || r->offset != offset || r->bytes != size || d->cm_map[offset + size - 1] != ri) {
		bool misaligned = offset % size != 0;
		struct cxl_detail_args det = { CXL_DETAIL_CM_SHAPE,
			{ size, write, offset, (uint64_t)(r->bytes * 8u) << 32 | r->offset }, NULL };

		cxl_emit(d, misaligned ? CXL_RULE_ACCESS_ALIGN : CXL_RULE_ACCESS_WIDTH, -1, r, NULL,
			 0, 0, &det);
		if (!write)
			rejected_read(d, r, value, has_value, result);
		return;
	}
whole:
	if (r->opaque) {
		unmodeled(d, CXL_SPACE_COMPONENT, offset, size, write);
		*result = has_value ? value : 0;
		return;
	}
	cxl_held(d, CXL_RULE_ACCESS_WIDTH);
	cxl_held(d, CXL_RULE_ACCESS_ALIGN);
	cxl_held(d, CXL_RULE_ACCESS_UNMODELED);
	if (write) {
		struct cxl_write_acc acc = { 0, 0, -1 };

		cxl_reg_write(d, ri, size_mask(size), value & size_mask(size), &acc);
		cxl_write_acc_finish(d, &acc);
		return;
	}
	*result = r->value;
	if (has_value)
		check_read(d, r, r->value, value, size_mask(size), size);
	if (r->hooked && r->blk->beh->read)
		r->blk->beh->read(d, ri, has_value ? value & size_mask(size) : r->value, size_mask(size));
}

/*
 * Where offset 0 of the device's view is in the component block, and how many bytes the view
 * covers from there (vocabulary views:); for the bar view the base is minus the block's
 * offset in its BAR.
 */
static void view_window(const struct cxl_device *d, int64_t *base, uint64_t *len)
{
	const struct cxl_view_spec *v = &cxl_spec_views[d->view];
	struct cxl_block *h = cxl_dev_block((struct cxl_device *)d, CXL_S_HDM_DECODER);
	uint64_t hdm_end = h ? h->pl->at + h->st->size + (uint64_t)h->ninst * h->st->rep_stride : 0;

	if (!cxl_model_view_base((unsigned)(d->model - cxl_spec_models), d->view, base))
		*base = 0;   /* not reached: cxl_device_create() checked the view */
	if (v->end == CXL_VEND_HDM_END)
		*len = hdm_end > (uint64_t)*base ? hdm_end - (uint64_t)*base : 0;
	else
		*len = CXL_SPACE_COMPONENT_SIZE - (uint64_t)(*base > 0 ? *base : 0);
}

/*
 * A component access made through the device's view: refused (access.region-rejected, a
 * read gives all ones) when it leaves the view or has a shape the view does not take; else
 * translated to the block. Returns true when it went through, with *@block the offset in
 * the component block (or the block's size, for bar offsets outside the block).
 */
static bool through_view(struct cxl_device *d, bool write, uint64_t offset, unsigned size,
			 uint64_t value, bool has_value, uint64_t *result, uint64_t *block)
{
	const struct cxl_view_spec *v = &cxl_spec_views[d->view];
	int64_t base;
	uint64_t len;
	bool shape = true, inside;

	view_window(d, &base, &len);
	if (v->access == CXL_VACC_ONE_DWORD)
		shape = size == 4 && offset % 4 == 0;
	else if (v->access == CXL_VACC_DWORDS)
		shape = size % 4 == 0 && offset % 4 == 0;
	inside = offset + size <= len;
	if (!shape || !inside) {
		struct cxl_detail_args det = { CXL_DETAIL_REGION, { d->view, offset, size, !shape }, NULL };

		cxl_emit(d, CXL_RULE_ACCESS_REGION_REJECTED, -1, NULL, NULL, 0, 0, &det);
		*result = size_mask(size);   /* QEMU reads a failed pread as all ones (§3.1) */
		if (!write && has_value) {
			d->counters.reads_checked++;
			if (!((value ^ *result) & size_mask(size)))
				cxl_held(d, CXL_RULE_READ_MISMATCH);
			else {
				struct cxl_detail_args m = { CXL_DETAIL_MISMATCH,
					{ value & size_mask(size), *result, size, 0 }, NULL };

				d->counters.mismatches++;
				cxl_emit(d, CXL_RULE_READ_MISMATCH, -1, NULL, NULL, *result, value, &m);
			}
		}
		return false;
	}
	cxl_held(d, CXL_RULE_ACCESS_REGION_REJECTED);
	if (base < 0 && offset < (uint64_t)-base) {
		*block = CXL_SPACE_COMPONENT_SIZE;      /* BAR bytes before the block */
		return true;
	}
	*block = (uint64_t)((int64_t)offset + base);
	if (*block + size > CXL_SPACE_COMPONENT_SIZE)
		*block = CXL_SPACE_COMPONENT_SIZE;
	return true;
}

/* A recorded failure that the model does not see, or the reverse (access.outcome-mismatch). */
static void check_outcome(struct cxl_device *d, bool refused)
{
	bool recorded = (d->op_flags & CXL_OPF_FAILED) != 0;
	struct cxl_detail_args det = { CXL_DETAIL_OUTCOME, { recorded, 0, 0, 0 }, NULL };

	d->last_refused = refused;
	if (recorded != refused)
		cxl_emit(d, CXL_RULE_ACCESS_OUTCOME_MISMATCH, -1, NULL, NULL, recorded, refused, &det);
	else if (d->view != CXL_VIEW_COMPONENT || recorded)
		cxl_held(d, CXL_RULE_ACCESS_OUTCOME_MISMATCH);   /* a view can refuse: checked */
}

/*
 * Everything but the common access (access_fast()): bad arguments, partial, spanning,
 * misaligned, unmodelled and opaque accesses, views. Same contract as cxl_device_access().
 */
static bool access_general(struct cxl_device *d, unsigned space, bool write, uint64_t offset,
			   unsigned size, uint64_t value, bool has_value, uint64_t *result)
{
	uint32_t lim;

	*result = 0;
	if (space >= CXL_SPACE__COUNT || (size != 1 && size != 2 && size != 4 && size != 8))
		return false;
	lim = cxl_spec_space_sizes[space];
	if (offset >= lim || offset + size > lim)
		return false;
	if (space == CXL_SPACE_CONFIG && !d->model->config_space) {
		unmodeled(d, space, offset, size, write);
		*result = has_value ? value : 0;
		return true;
	}
	if (space == CXL_SPACE_CONFIG) {
		cfg_access(d, write, offset, size, value, has_value, result);
		check_outcome(d, false);
		return true;
	}
	if (d->view != CXL_VIEW_COMPONENT) {
		uint64_t block;

		if (!through_view(d, write, offset, size, value, has_value, result, &block)) {
			check_outcome(d, true);
			return true;
		}
		if (block >= CXL_SPACE_COMPONENT_SIZE) {
			unmodeled(d, space, offset, size, write);
			*result = has_value ? value : 0;
			check_outcome(d, false);
			return true;
		}
		offset = block;
	}
	cm_access(d, write, offset, size, value, has_value, result);
	check_outcome(d, false);
	return true;
}

/*
 * The common access, exactly one whole modelled register of a space the device's byte maps
 * address directly (config space of a model that has one; component space through the
 * component view): what access_general() does for it, with its checks in the order they
 * decide. Returns false, having done nothing, for any other access.
 */
static inline bool access_fast(struct cxl_device *d, unsigned space, bool write, uint64_t offset,
			       unsigned size, uint64_t value, bool has_value, uint64_t *result)
{
	const int16_t *map;
	struct cxl_reg_inst *r;
	uint64_t all;
	int ri;

	if (space == CXL_SPACE_CONFIG) {
		if (offset >= CXL_SPACE_CONFIG_SIZE || size == 8 || !d->model->config_space)
			return false;
		map = d->cfg_map;
	} else if (space == CXL_SPACE_COMPONENT && d->view == CXL_VIEW_COMPONENT) {
		if (offset >= CXL_SPACE_COMPONENT_SIZE)
			return false;
		map = d->cm_map;
	} else {
		return false;
	}
	if ((ri = map[offset]) < 0)
		return false;
	r = &d->regs[ri];
	/* bytes == size also rules out sizes other than 1, 2, 4, 8; offset == r->offset and
	 * the register's natural alignment (spec/: every register is) rule out misalignment */
	if (r->offset != offset || r->bytes != size || r->opaque || (offset & (size - 1)))
		return false;
	all = size_mask(size);
	if (write) {
		struct cxl_write_acc acc = { 0, 0, -1 };

		*result = 0;
		cxl_reg_write(d, ri, all, value & all, &acc);
		if (acc.cleared_pending && acc.changed_other)
			cxl_write_acc_finish(d, &acc);
	} else {
		*result = r->value;
		if (has_value)
			check_read(d, r, r->value, value, all, size);
		if (r->hooked && r->blk->beh->read)
			r->blk->beh->read(d, ri, has_value ? value & all : r->value, all);
	}
	if ((d->op_flags & CXL_OPF_FAILED) || d->last_refused)
		check_outcome(d, false);
	return true;
}

CXL_EXPORT
bool cxl_device_access(struct cxl_device *d, unsigned space, bool write, uint64_t offset,
		       unsigned size, uint64_t value, bool has_value, uint64_t *result)
{
	uint64_t dummy;

	if (!result)
		result = &dummy;
	if (d->fast && access_fast(d, space, write, offset, size, value, has_value, result))
		return true;
	return access_general(d, space, write, offset, size, value, has_value, result);
}

CXL_EXPORT
bool cxl_device_last_refused(const struct cxl_device *d)
{
	return d->last_refused;
}

CXL_EXPORT
bool cxl_device_read(struct cxl_device *d, unsigned space, uint64_t offset, unsigned size,
		     uint64_t *value)
{
	return cxl_device_access(d, space, false, offset, size, 0, false, value);
}

CXL_EXPORT
bool cxl_device_write(struct cxl_device *d, unsigned space, uint64_t offset, unsigned size,
		      uint64_t value)
{
	return cxl_device_access(d, space, true, offset, size, value, true, NULL);
}
