/* SPDX-License-Identifier: MIT */
/*
 * device.c - build a device instance from the spec tables; reset, hash, introspection.
 *
 * All allocation happens in cxl_device_create(). Registers are laid out in (space, offset)
 * order so dumps and hashes are stable and readable. Each placement of a structure is a
 * block with an index from (register spec, instance) to register, so behaviours find
 * registers by generated constant in O(1). device.c knows no behaviour's internals: it
 * calls the behaviour table (behaviour.c).
 */
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

static uint64_t mask_of(unsigned lo, unsigned hi)
{
	unsigned n = hi - lo + 1;

	return (n >= 64 ? ~0ULL : ((1ULL << n) - 1)) << lo;
}

/* Expands "{n}" in @tmpl with @n into @out (@len bytes). */
static void display_name(char *out, size_t len, const char *tmpl, unsigned n)
{
	const char *p = strstr(tmpl, "{n}");

	if (!p)
		cxl_fmt(out, len, "%s", tmpl);
	else
		cxl_fmt(out, len, "%.*s%u%s", (int)(p - tmpl), tmpl, n, p + 3);
}

/* Number of repeat instances of placement @p given the options. */
static unsigned place_count(const struct cxl_place_spec *p, const struct cxl_device_opts *o)
{
	const struct cxl_struct_spec *s = &cxl_spec_structs[p->structure];

	if (!s->rep_nregs)
		return 0;
	if (s->rep_hdm && o && o->hdm_decoders > 0)
		return (unsigned)o->hdm_decoders;
	return p->count > 0 ? (unsigned)p->count : 0;
}

static bool in_variant(unsigned variants, unsigned variant)
{
	return !variants || (variants & (1u << variant));
}

/* Counts (or, with @fill, fills) the register instances and fields of the model. */
static unsigned layout(struct cxl_device *d, const struct cxl_device_opts *o, bool fill)
{
	unsigned n = 0, nf = 0;

	for (unsigned pi = 0; pi < d->model->nplace; pi++) {
		const struct cxl_place_spec *p = &cxl_spec_places[d->model->place0 + pi];
		const struct cxl_struct_spec *s = &cxl_spec_structs[p->structure];
		int count = (int)place_count(p, o);

		for (int inst = -1; inst < count; inst++) {
			unsigned r0 = inst < 0 ? s->reg0 : s->rep_reg0;
			unsigned nr = inst < 0 ? s->nregs : s->rep_nregs;
			uint32_t base = inst < 0 ? 0 : s->rep_base + (uint32_t)inst * s->rep_stride;

			for (unsigned k = 0; k < nr; k++) {
				const struct cxl_reg_spec *rs = &cxl_spec_regs[r0 + k];
				uint32_t rel = base + rs->offset;
				struct cxl_reg_inst *r;

				if (!in_variant(rs->variants, p->variant))
					continue;
				if (p->size && rel + rs->width / 8u > p->size)
					continue;
				if (fill) {
					r = &d->regs[n];
					memset(r, 0, sizeof(*r));
					r->buddy = -1;
					r->spec = rs;
					r->blk = &d->blocks[pi];
					r->space = s->space;
					r->bytes = rs->width / 8;
					r->opaque = s->opaque;
					r->offset = p->at + rel;
					r->instance = inst < 0 ? 0 : (uint16_t)inst;
					display_name(d->names + (size_t)n * CXL_REG_NAME_MAX, CXL_REG_NAME_MAX,
						     rs->name, r->instance);
					r->name = d->names + (size_t)n * CXL_REG_NAME_MAX;
					r->field0 = nf;
					for (unsigned j = 0; j < rs->nfields; j++) {
						const struct cxl_field_spec *fs = &cxl_spec_fields[rs->field0 + j];

						if (!in_variant(fs->variants, p->variant))
							continue;
						d->fields[nf].spec = fs;
						d->fields[nf].mask = mask_of(fs->lo, fs->hi);
						d->fields[nf].access = fs->access;
						d->fields[nf].action = fs->action;
						d->fields[nf].lock = fs->lock;
						nf++;
					}
					r->nfields = nf - r->field0;
				} else {
					nf += rs->nfields;
				}
				n++;
			}
		}
	}
	if (!fill)
		d->nfields = nf;
	return n;
}

/* Sizes the blocks (one per placement) and their register indexes; false when out of memory. */
static bool make_blocks(struct cxl_device *d, const struct cxl_device_opts *o)
{
	size_t total = 0;
	int32_t *p;

	d->nblocks = d->model->nplace;
	d->blocks = calloc(d->nblocks ? d->nblocks : 1, sizeof(*d->blocks));
	if (!d->blocks)
		return false;
	for (unsigned s = 0; s < CXL_SPEC_NSTRUCTS; s++)
		d->first_block[s] = -1;
	for (unsigned pi = 0; pi < d->nblocks; pi++) {
		struct cxl_block *b = &d->blocks[pi];

		b->pl = &cxl_spec_places[d->model->place0 + pi];
		b->sidx = b->pl->structure;
		b->st = &cxl_spec_structs[b->sidx];
		b->beh = cxl_behaviour_of(b->sidx);
		b->ninst = place_count(b->pl, o);
		total += b->st->nregs + (size_t)b->ninst * b->st->rep_nregs;
		if (d->first_block[b->sidx] < 0)
			d->first_block[b->sidx] = (int)pi;
	}
	d->index = malloc((total ? total : 1) * sizeof(*d->index));
	if (!d->index)
		return false;
	p = d->index;
	for (unsigned pi = 0; pi < d->nblocks; pi++) {
		struct cxl_block *b = &d->blocks[pi];

		b->fixed = p;
		p += b->st->nregs;
		b->rep = p;
		p += (size_t)b->ninst * b->st->rep_nregs;
	}
	for (size_t i = 0; i < total; i++)
		d->index[i] = -1;
	return true;
}

/* Fills the blocks' indexes from the (sorted) registers. */
static void index_blocks(struct cxl_device *d)
{
	for (unsigned i = 0; i < d->nregs; i++) {
		struct cxl_reg_inst *r = &d->regs[i];
		const struct cxl_struct_spec *s = r->blk->st;
		unsigned g = (unsigned)(r->spec - cxl_spec_regs);

		if (r->spec->repeated)
			r->blk->rep[(size_t)r->instance * s->rep_nregs + (g - s->rep_reg0)] = (int32_t)i;
		else
			r->blk->fixed[g - s->reg0] = (int32_t)i;
	}
}

struct cxl_block *cxl_dev_block(struct cxl_device *d, unsigned sidx)
{
	return sidx < CXL_SPEC_NSTRUCTS && d->first_block[sidx] >= 0 ?
	       &d->blocks[d->first_block[sidx]] : NULL;
}

/* Applies profile overrides and if-capable rules to every field. */
static void resolve_fields(struct cxl_device *d)
{
	for (unsigned i = 0; i < d->nregs; i++) {
		struct cxl_reg_inst *r = &d->regs[i];
		unsigned gidx = (unsigned)(r->spec - cxl_spec_regs);

		for (uint32_t j = 0; j < r->nfields; j++) {
			struct cxl_field_eff *f = &d->fields[r->field0 + j];
			int local = (int)(f->spec - &cxl_spec_fields[r->spec->field0]);
			bool drop_cap = false;

			for (unsigned k = 0; k < d->prof->novr; k++) {
				const struct cxl_override_spec *o = &cxl_spec_overrides[d->prof->ovr0 + k];

				if (o->reg != gidx || (o->field >= 0 && o->field != local) ||
				    (o->kinds && !(o->kinds & (1u << d->model->kind))))
					continue;
				if (o->access >= 0)
					f->access = (uint8_t)o->access;
				if (o->lock >= 0)
					f->lock = o->lock;
				drop_cap |= o->drop_if_capable;
			}
			if (f->spec->cap_reg >= 0 && !drop_cap) {
				int ci = cxl_block_reg(r->blk, r->blk->st->reg0 + (unsigned)f->spec->cap_reg, 0);
				uint64_t cap = 0;

				if (ci >= 0)
					cap = d->regs[ci].reset_value & mask_of(f->spec->cap_lo, f->spec->cap_hi);
				if (!cap)
					f->access = f->spec->else_access;
			}
			if (!cxl_spec_attrs[f->access].lockable)
				f->lock = -1;
		}
	}
}

/* The model's BAR @index, or NULL when it has none there. */
static const struct cxl_bar_spec *model_bar(const struct cxl_device *d, unsigned index)
{
	for (unsigned i = 0; i < d->model->nbars; i++)
		if (cxl_spec_bars[d->model->bar0 + i].index == index)
			return &cxl_spec_bars[d->model->bar0 + i];
	return NULL;
}

/*
 * Shapes every register with a sized-by field to the model's bars: (PCIe r6.0 §7.5.1.2.1:
 * a BAR's address bits below its size are hardwired to 0, which is how software sizes it by
 * writing all 1s). BAR n of the model keeps the address bits at and above log2(size); the
 * upper dword of a 64-bit BAR n - 1 takes every bit (each field takes writes as the sized
 * field does); a BAR the model lacks, and the Expansion ROM BAR (no model has a ROM), take
 * none. The type bits are reset values (specgen writes them from the bars: types).
 */
static void shape_bars(struct cxl_device *d)
{
	for (unsigned i = 0; i < d->nregs; i++) {
		struct cxl_reg_inst *r = &d->regs[i];
		const struct cxl_bar_spec *bar = NULL, *lower = NULL;
		int sized = -1;

		for (uint32_t j = 0; j < r->nfields; j++)
			if (d->fields[r->field0 + j].spec->sized != CXL_SIZED_NONE)
				sized = (int)j;
		if (sized < 0)
			continue;
		/* the address bits: the widest sized field (the ROM's Enable is sized too) */
		for (uint32_t j = 0; j < r->nfields; j++) {
			const struct cxl_field_spec *fs = d->fields[r->field0 + j].spec;

			if (fs->sized != CXL_SIZED_NONE &&
			    __builtin_popcountll(mask_of(fs->lo, fs->hi)) > __builtin_popcountll(r->sizing))
				r->sizing = mask_of(fs->lo, fs->hi);
		}
		if (d->fields[r->field0 + (unsigned)sized].spec->sized == CXL_SIZED_BAR) {
			bar = model_bar(d, r->instance);
			lower = r->instance ? model_bar(d, r->instance - 1u) : NULL;
			if (lower && lower->type != CXL_BAR_MEM64)
				lower = NULL;
		}
		for (uint32_t j = 0; j < r->nfields; j++) {
			struct cxl_field_eff *f = &d->fields[r->field0 + j];

			if (lower) {
				/* the upper half of a 64-bit BAR (sizes below 4 GiB: every bit) */
				f->access = d->fields[r->field0 + (unsigned)sized].access;
				f->lock = -1;
			} else if (f->spec->sized != CXL_SIZED_NONE) {
				f->mask &= bar ? ~(bar->size - 1) : 0;
			}
		}
	}
}

/* Sets the reset value of every register: field resets, then model init values. */
static void reset_values(struct cxl_device *d)
{
	for (unsigned i = 0; i < d->nregs; i++) {
		struct cxl_reg_inst *r = &d->regs[i];
		uint64_t v = 0;

		for (uint32_t j = 0; j < r->nfields; j++)
			v |= d->fields[r->field0 + j].spec->reset << d->fields[r->field0 + j].spec->lo;
		r->reset_value = v;
	}
	for (unsigned pi = 0; pi < d->nblocks; pi++) {
		const struct cxl_place_spec *p = d->blocks[pi].pl;

		for (unsigned k = 0; k < p->ninit; k++) {
			const struct cxl_init_spec *in = &cxl_spec_inits[p->init0 + k];
			int ri = cxl_block_reg(&d->blocks[pi], in->reg, in->instance);

			if (ri >= 0)
				d->regs[ri].reset_value = in->value;
		}
	}
}

static int cmp_reg(const void *a, const void *b)
{
	const struct cxl_reg_inst *x = a, *y = b;

	if (x->space != y->space)
		return (int)x->space - (int)y->space;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Builds the byte-offset maps; fails if two registers claim one byte. */
static enum cxl_err build_maps(struct cxl_device *d, struct cxl_error *err)
{
	for (unsigned i = 0; i < CXL_SPACE_CONFIG_SIZE; i++)
		d->cfg_map[i] = -1;
	for (unsigned i = 0; i < CXL_SPACE_COMPONENT_SIZE; i++)
		d->cm_map[i] = -1;
	for (unsigned i = 0; i < d->nregs; i++) {
		struct cxl_reg_inst *r = &d->regs[i];
		int16_t *map = r->space == CXL_SPACE_CONFIG ? d->cfg_map : d->cm_map;
		uint32_t lim = cxl_spec_space_sizes[r->space];

		for (unsigned b = 0; b < r->bytes; b++) {
			if (r->offset + b >= lim || map[r->offset + b] >= 0)
				return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
						     "model %s: register '%s' at 0x%x overlaps another or leaves the space",
						     d->model->name, r->name, r->offset);
			map[r->offset + b] = (int16_t)i;
		}
	}
	return CXL_OK;
}

/*
 * Copies the host state of @opts into @d (fw_committed is host decoder 0 committed and
 * locked) and checks it: decoders within CXL_HOST_DECODERS_MAX, a base and size in 256 MiB
 * granules, a locked decoder also committed.
 */
static enum cxl_err host_state(struct cxl_device *d, const struct cxl_device_opts *o,
			       struct cxl_error *err)
{
	const uint64_t granule = 0x10000000ULL;   /* CXL r3.1 §8.2.4.20.3-.6: bits 31:28 */

	if (!o)
		return CXL_OK;
	memcpy(d->host, o->host, sizeof(d->host));
	if (o->fw_committed)
		d->host[0] = (struct cxl_host_decoder){ true, true, true, o->fw_base, o->fw_size };
	d->host_config_lock = o->host_config_lock;
	d->host_mem_enable = o->host_mem_enable;
	d->view = o->view;
	d->passthrough = o->host_config_lock || o->host_mem_enable;
	for (unsigned n = 0; n < CXL_HOST_DECODERS_MAX; n++) {
		const struct cxl_host_decoder *h = &d->host[n];

		if (!h->set)
			continue;
		d->passthrough = true;
		if ((h->base | h->size) % granule)
			return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
					     "host decoder %u: base 0x%llx and size 0x%llx must be multiples of 256 MiB",
					     n, (unsigned long long)h->base, (unsigned long long)h->size);
		if (h->locked && !h->committed)
			return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
					     "host decoder %u: locked but not committed", n);
	}
	if (d->view >= CXL_VIEW__COUNT)
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0, "view %u does not exist", d->view);
	return CXL_OK;
}

/* A view other than the block needs what it is counted from: the HDM block, a Register Locator. */
static enum cxl_err check_view(struct cxl_device *d, struct cxl_error *err)
{
	const struct cxl_view_spec *v = &cxl_spec_views[d->view];
	bool hdm = v->base == CXL_VBASE_HDM || v->end == CXL_VEND_HDM_END;
	unsigned bir;
	uint64_t off;

	if (hdm && !cxl_dev_block(d, CXL_S_HDM_DECODER))
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
				     "view %s counts from the HDM decoders; model %s has none", v->name,
				     d->model->name);
	if (v->base == CXL_VBASE_BAR &&
	    !cxl_model_component_block((unsigned)(d->model - cxl_spec_models), &bir, &off))
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
				     "view bar needs a Register Locator entry for the component block; model %s has none",
				     d->model->name);
	return CXL_OK;
}

/* Tells every behaviour its registers were reset (@kind) or restarted (@kind < 0). */
static void behaviours_reset(struct cxl_device *d, int kind)
{
	for (unsigned b = 0; b < d->nblocks; b++)
		if (d->blocks[b].beh && d->blocks[b].beh->reset)
			d->blocks[b].beh->reset(d, &d->blocks[b], kind);
}

/* Lets every structure's shadow be taken again after a reset of @kind (< 0: at creation). */
static void take(struct cxl_device *d, int kind)
{
	/* the first take copies the host state; with none given there is nothing to copy */
	if (kind < 0 && !d->passthrough)
		return;
	for (unsigned b = 0; b < d->nblocks; b++)
		if (d->blocks[b].beh && d->blocks[b].beh->take)
			d->blocks[b].beh->take(d, &d->blocks[b], kind);
}

CXL_EXPORT
enum cxl_err cxl_device_create(const char *name, const char *model, const char *profile,
			       const struct cxl_device_opts *opts,
			       struct cxl_device **out, struct cxl_error *err)
{
	struct cxl_device *d;
	enum cxl_err rc;
	int mi, pi;

	if (!name || !model || !out)
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
				     "cxl_device_create() needs a name, a model and a result pointer");
	mi = cxl_model_lookup(model);
	pi = profile ? cxl_profile_lookup(profile) : (int)cxl_spec_default_profile;
	if (mi < 0 || pi < 0)
		return cxl_error_set(err, CXL_ERR_UNKNOWN, NULL, 0, 0, "unknown %s '%s'",
				     mi < 0 ? "model" : "profile", mi < 0 ? model : profile);
	if (opts && opts->hdm_decoders && (opts->hdm_decoders < 1 || opts->hdm_decoders > (int)CXL_MAX_DECODERS))
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
				     "hdm-decoders %d is outside 1..%u", opts->hdm_decoders, CXL_MAX_DECODERS);
	d = calloc(1, sizeof(*d));
	if (!d)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	cxl_fmt(d->name, sizeof(d->name), "%s", name);
	d->model = &cxl_spec_models[mi];
	d->prof = &cxl_spec_profiles[pi];
	d->doe.block = -1;
	rc = host_state(d, opts, err);
	if (rc) {
		free(d);
		return rc;
	}
	if (!make_blocks(d, opts)) {
		cxl_device_destroy(d);
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	}
	d->nregs = layout(d, opts, false);
	d->regs = calloc(d->nregs ? d->nregs : 1, sizeof(*d->regs));
	d->names = calloc(d->nregs ? d->nregs : 1, CXL_REG_NAME_MAX);
	d->changes = calloc(d->nregs ? d->nregs : 1, sizeof(*d->changes));
	d->touched = calloc(d->nregs ? d->nregs : 1, sizeof(*d->touched));
	d->reset_masks = calloc((d->nregs ? d->nregs : 1) * CXL_RESET__COUNT, sizeof(*d->reset_masks));
	d->fields = calloc(d->nfields ? d->nfields : 1, sizeof(*d->fields));
	if (!d->regs || !d->names || !d->changes || !d->touched || !d->reset_masks || !d->fields) {
		cxl_device_destroy(d);
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	}
	d->nregs = layout(d, opts, true);
	qsort(d->regs, d->nregs, sizeof(*d->regs), cmp_reg);
	index_blocks(d);
	reset_values(d);
	resolve_fields(d);
	shape_bars(d);
	rc = build_maps(d, err);
	for (unsigned i = 0; i < d->nregs; i++)
		d->regs[i].value = d->regs[i].reset_value;
	for (unsigned b = 0; rc == CXL_OK && b < d->nblocks; b++)
		if (d->blocks[b].beh && d->blocks[b].beh->bind)
			rc = d->blocks[b].beh->bind(d, &d->blocks[b], opts, err);
	if (rc == CXL_OK)
		rc = check_view(d, err);
	if (rc != CXL_OK) {
		cxl_device_destroy(d);
		return rc;
	}
	cxl_reset_masks(d);
	cxl_write_masks(d);
	/* a debugging aid: the field loop for every write, to check the fast paths against it */
	d->fast = !getenv("CXLEMU_ENGINE_SLOW") && !(opts && opts->count_checks);
	take(d, -1);
	*out = d;
	return CXL_OK;
}

CXL_EXPORT
void cxl_device_destroy(struct cxl_device *d)
{
	if (!d)
		return;
	free(d->regs);
	free(d->names);
	free(d->changes);
	free(d->touched);
	free(d->reset_masks);
	free(d->fields);
	free(d->blocks);
	free(d->index);
	free(d);
}

CXL_EXPORT
void cxl_device_set_sink(struct cxl_device *d, cxl_event_fn fn, void *ctx)
{
	d->sink = fn;
	d->sink_ctx = ctx;
}

CXL_EXPORT
void cxl_device_set_op(struct cxl_device *d, unsigned long op, unsigned long line, const char *src)
{
	d->op = op;
	d->line = line;
	d->src = src;
	d->op_flags = 0;
}

CXL_EXPORT
void cxl_device_set_op_flags(struct cxl_device *d, unsigned flags)
{
	d->op_flags = flags;
}

/*
 * Restores registers to their reset values as each structure's reset scope for @kind
 * says: all fields, non-sticky fields only (sticky attributes keep their value), or
 * nothing. RWO latches reset with their field.
 */
void cxl_reset_structures(struct cxl_device *d, unsigned kind)
{
	/* an untouched register is at its reset value already */
	for (unsigned t = 0; t < d->ntouched; t++) {
		unsigned i = d->touched[t];
		struct cxl_reg_inst *r = &d->regs[i];
		uint64_t m = d->reset_masks[(size_t)i * CXL_RESET__COUNT + kind];

		cxl_set_r(d, r, (r->value & ~m) | (r->reset_value & m));
		r->latched &= ~m;
	}
}

void cxl_reset_masks(struct cxl_device *d)
{
	for (unsigned i = 0; i < d->nregs; i++) {
		const struct cxl_reg_inst *r = &d->regs[i];

		for (unsigned kind = 0; kind < CXL_RESET__COUNT; kind++) {
			unsigned scope = d->prof->resets[r->blk->sidx][kind];
			uint64_t m = 0;

			for (uint32_t j = 0; scope != CXL_SCOPE_NONE && j < r->nfields; j++) {
				const struct cxl_field_eff *f = &d->fields[r->field0 + j];
				bool sticky = cxl_spec_attrs[f->access].sticky;
#ifdef CXL_DEFECT_RW1CS_STICKY
				/* a deliberate defect (meson -Ddefect=rw1cs-sticky, fuzzing demos only):
				 * RW1CS status is lost on every reset */
				sticky &= f->access != CXL_ACC_RW1CS;
#endif
				if (scope == CXL_SCOPE_ALL || !sticky)
					m |= f->mask;
			}
			d->reset_masks[(size_t)i * CXL_RESET__COUNT + kind] = m;
		}
	}
}

void cxl_host_block_after_reset(struct cxl_device *d, struct cxl_block *b, unsigned kind)
{
	unsigned scope = b->st->resets[kind];

	for (unsigned t = 0; t < d->ntouched; t++) {   /* the others are at reset values */
		unsigned i = d->touched[t];
		struct cxl_reg_inst *r = &d->regs[i];
		uint64_t keep = 0;

		if (r->blk != b)
			continue;
		for (uint32_t j = 0; j < r->nfields; j++) {
			const struct cxl_field_eff *f = &d->fields[r->field0 + j];

			if (scope != CXL_SCOPE_ALL && cxl_spec_attrs[f->access].sticky)
				keep |= f->mask;
		}
		cxl_set_r(d, r, (r->value & keep) | (r->reset_value & ~keep));
		r->latched &= keep;
	}
}

CXL_EXPORT
void cxl_device_reset(struct cxl_device *d, unsigned kind)
{
	if (kind >= CXL_RESET__COUNT)
		return;
	cxl_reset_structures(d, kind);
	behaviours_reset(d, (int)kind);
	take(d, (int)kind);
	/* a write before the reset is no longer what a read would show */
	for (unsigned t = 0; t < d->ntouched; t++)
		d->regs[d->touched[t]].pending = false;
}

CXL_EXPORT
bool cxl_device_inject(struct cxl_device *d, unsigned kind, unsigned bit)
{
	if (kind >= CXL_INJECT__COUNT)
		return false;
	for (unsigned b = 0; b < d->nblocks; b++) {
		const struct cxl_behaviour *beh = d->blocks[b].beh;

		if (beh && beh->inject && d->first_block[d->blocks[b].sidx] == (int)b &&
		    beh->inject(d, &d->blocks[b], kind, bit))
			return true;
	}
	return false;
}

CXL_EXPORT
const struct cxl_device_counters *cxl_device_counters(const struct cxl_device *d)
{
	return &d->counters;
}

CXL_EXPORT
void cxl_device_restart(struct cxl_device *d)
{
	/* only touched registers can differ from their reset state */
	for (unsigned t = 0; t < d->ntouched; t++) {
		unsigned i = d->touched[t];

		cxl_set(d, i, d->regs[i].reset_value);
		d->regs[i].latched = 0;
		d->regs[i].pending = false;
	}
	for (unsigned t = 0; t < d->ntouched; t++)
		d->regs[d->touched[t]].touched = false;
	d->ntouched = 0;
	memset(&d->counters, 0, sizeof(d->counters));
	memset(d->rule_checks, 0, sizeof(d->rule_checks));
	memset(&d->checks, 0, sizeof(d->checks));
	d->op = d->line = 0;
	d->src = NULL;
	d->op_flags = 0;
	d->last_refused = false;
	behaviours_reset(d, -1);
	take(d, -1);   /* the shadow a kernel personality takes at creation */
}

CXL_EXPORT
unsigned cxl_device_changes(const struct cxl_device *d, const unsigned **regs)
{
	*regs = d->changes;
	return d->nchanges;
}

CXL_EXPORT
unsigned cxl_device_touched(const struct cxl_device *d, const unsigned **regs)
{
	*regs = d->touched;
	return d->ntouched;
}

CXL_EXPORT
void cxl_device_clear_changes(struct cxl_device *d)
{
	for (unsigned i = 0; i < d->nchanges; i++)
		d->regs[d->changes[i]].noted = false;
	d->nchanges = 0;
}

CXL_EXPORT
unsigned cxl_device_snapshot(const struct cxl_device *d, uint64_t *values, unsigned n)
{
	if (n > d->nregs)
		n = d->nregs;
	for (unsigned i = 0; i < n; i++)
		values[i] = d->regs[i].value;
	return n;
}

CXL_EXPORT
enum cxl_reset_scope cxl_device_reg_reset_scope(const struct cxl_device *d, unsigned i, unsigned kind)
{
	unsigned s;

	if (i >= d->nregs || kind >= CXL_RESET__COUNT)
		return CXL_RESET_SCOPE_NONE;
	s = d->prof->resets[d->regs[i].blk->sidx][kind];
	return s == CXL_SCOPE_ALL ? CXL_RESET_SCOPE_ALL :
	       s == CXL_SCOPE_NON_STICKY ? CXL_RESET_SCOPE_NON_STICKY : CXL_RESET_SCOPE_NONE;
}

CXL_EXPORT
unsigned long cxl_device_rule_checks(const struct cxl_device *d, unsigned rule)
{
	return rule < CXL_RULE__COUNT ? d->rule_checks[rule] : 0;
}

CXL_EXPORT
const struct cxl_check_counts *cxl_device_check_counts(const struct cxl_device *d)
{
	return &d->checks;
}

CXL_EXPORT
const char *cxl_device_name(const struct cxl_device *d)
{
	return d->name;
}

CXL_EXPORT
const char *cxl_device_model_name(const struct cxl_device *d)
{
	return d->model->name;
}

CXL_EXPORT
const char *cxl_device_profile_name(const struct cxl_device *d)
{
	return d->prof->name;
}

CXL_EXPORT
unsigned cxl_device_view(const struct cxl_device *d)
{
	return d->view;
}

CXL_EXPORT
unsigned cxl_device_kind(const struct cxl_device *d)
{
	return d->model->kind;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Hashes name, then (space, offset, value little-endian) of every register in layout order. */
CXL_EXPORT
uint64_t cxl_device_hash(const struct cxl_device *d, uint64_t seed)
{
	uint64_t h = seed ? seed : 0xcbf29ce484222325ULL;

	h = fnv(h, d->name, strlen(d->name) + 1);
	for (unsigned i = 0; i < d->nregs; i++) {
		unsigned char b[13];
		const struct cxl_reg_inst *r = &d->regs[i];

		b[0] = r->space;
		for (int k = 0; k < 4; k++)
			b[1 + k] = (unsigned char)(r->offset >> (8 * k));
		for (int k = 0; k < 8; k++)
			b[5 + k] = (unsigned char)(r->value >> (8 * k));
		h = fnv(h, b, sizeof(b));
	}
	if (d->doe.block >= 0 && (d->doe.nreq || d->doe.nresp)) {
		/* a DOE mailbox mid-exchange: the request so far and where the response is read */
		unsigned kept = d->doe.nreq < CXL_DOE_REQ_MAX ? d->doe.nreq : CXL_DOE_REQ_MAX;
		uint32_t w[3] = { d->doe.nreq, d->doe.nresp, d->doe.pos };

		for (unsigned i = 0; i < 3 + kept; i++) {
			uint32_t v = i < 3 ? w[i] : d->doe.req[i - 3];
			unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8),
					       (unsigned char)(v >> 16), (unsigned char)(v >> 24) };

			h = fnv(h, b, sizeof(b));
		}
	}
	return h;
}

CXL_EXPORT
unsigned cxl_device_nregs(const struct cxl_device *d)
{
	return d->nregs;
}

CXL_EXPORT
bool cxl_device_reg_info(const struct cxl_device *d, unsigned i, unsigned *space,
			 uint32_t *offset, const char **name, uint64_t *value)
{
	if (i >= d->nregs)
		return false;
	if (space)
		*space = d->regs[i].space;
	if (offset)
		*offset = d->regs[i].offset;
	if (name)
		*name = d->regs[i].name;
	if (value)
		*value = d->regs[i].value;
	return true;
}

CXL_EXPORT
int cxl_device_find_reg(const struct cxl_device *d, const char *name)
{
	for (unsigned i = 0; i < d->nregs; i++)
		if (!strcmp(d->regs[i].name, name))
			return (int)i;
	return -1;
}

CXL_EXPORT
bool cxl_device_reg_detail(const struct cxl_device *d, unsigned i, unsigned *width,
			   uint64_t *reset, const char **spec)
{
	if (i >= d->nregs)
		return false;
	if (width)
		*width = d->regs[i].spec->width;
	if (reset)
		*reset = d->regs[i].reset_value;
	if (spec)
		*spec = d->regs[i].spec->spec;
	return true;
}

CXL_EXPORT
bool cxl_device_reg_opaque(const struct cxl_device *d, unsigned i)
{
	return i < d->nregs && d->regs[i].opaque;
}

CXL_EXPORT
unsigned cxl_device_reg_nfields(const struct cxl_device *d, unsigned i)
{
	return i < d->nregs ? d->regs[i].nfields : 0;
}

CXL_EXPORT
bool cxl_device_field_info(const struct cxl_device *d, unsigned i, unsigned j, const char **name,
			   unsigned *lo, unsigned *hi, unsigned *access, const char **lock,
			   uint64_t *reset)
{
	const struct cxl_field_eff *f;

	if (i >= d->nregs || j >= d->regs[i].nfields)
		return false;
	f = &d->fields[d->regs[i].field0 + j];
	if (name)
		*name = f->spec->name;
	if (lo)
		*lo = f->spec->lo;
	if (hi)
		*hi = f->spec->hi;
	if (access)
		*access = f->access;
	if (lock)
		*lock = f->lock >= 0 ? cxl_spec_locks[f->lock].name : "none";
	if (reset)
		*reset = (d->regs[i].reset_value & f->mask) >> f->spec->lo;
	return true;
}
