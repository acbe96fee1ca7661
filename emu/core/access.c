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
	if (!((model ^ recorded) & known))
		return;
	d->counters.mismatches++;
	cxl_emit(d, CXL_RULE_READ_MISMATCH, -1, r, NULL, model & known, recorded & known, &det);
}

/* Config-space access, split per register with byte enables. */
static void cfg_access(struct cxl_device *d, bool write, uint64_t offset, unsigned size,
		       uint64_t value, bool has_value, uint64_t *result)
{
	uint64_t model = 0, known = 0;
	const struct cxl_reg_inst *first = NULL, *differs = NULL;
	struct cxl_write_acc acc = { 0, 0, -1 };
	bool any = false, opaque = false;

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
		}
		known |= ((be >> (8 * rb))) << (8 * b);
		b += n;
	}
	if (!any) {
		unmodeled(d, CXL_SPACE_CONFIG, offset, size, write);
		*result = has_value ? value : 0;
		return;
	}
	if (known != size_mask(size))
		d->counters.unmodeled++;
	if (write)
		cxl_write_acc_finish(d, &acc);
	if (!write) {
		*result = (model & known) | ((has_value ? value : 0) & ~known & size_mask(size));
		if (has_value && !opaque)
			check_read(d, differs ? differs : first, model, value, known, size);
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
	if (!value)
		return;
	d->counters.mismatches++;
	cxl_emit(d, CXL_RULE_READ_MISMATCH, -1, r, NULL, 0, value, &det);
}

/* Component-block access: exactly one whole register, or a width/alignment error. */
static void cm_access(struct cxl_device *d, bool write, uint64_t offset, unsigned size,
		      uint64_t value, bool has_value, uint64_t *result)
{
	int ri = -1;
	bool mapped = false, unmapped = false;
	struct cxl_reg_inst *r;

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
	if (r->opaque) {
		unmodeled(d, CXL_SPACE_COMPONENT, offset, size, write);
		*result = has_value ? value : 0;
		return;
	}
	if (write) {
		struct cxl_write_acc acc = { 0, 0, -1 };

		cxl_reg_write(d, ri, size_mask(size), value & size_mask(size), &acc);
		cxl_write_acc_finish(d, &acc);
		return;
	}
	*result = r->value;
	if (has_value)
		check_read(d, r, r->value, value, size_mask(size), size);
}

CXL_EXPORT
bool cxl_device_access(struct cxl_device *d, unsigned space, bool write, uint64_t offset,
		       unsigned size, uint64_t value, bool has_value, uint64_t *result)
{
	uint64_t dummy;
	uint32_t lim;

	if (!result)
		result = &dummy;
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
	if (space == CXL_SPACE_CONFIG)
		cfg_access(d, write, offset, size, value, has_value, result);
	else
		cm_access(d, write, offset, size, value, has_value, result);
	return true;
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
