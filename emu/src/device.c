/* SPDX-License-Identifier: MIT */
/*
 * device.c - build a device instance from the spec tables; reset, hash, dump.
 *
 * All allocation happens in cxl_device_create(). Registers are laid out in
 * (space, offset) order so dumps and hashes are stable and readable.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "device_priv.h"

static uint64_t mask_of(unsigned lo, unsigned hi)
{
	unsigned n = hi - lo + 1;

	return (n >= 64 ? ~0ULL : ((1ULL << n) - 1)) << lo;
}

/* Returns the value of field @f (shifted down) in @reg_value. */
uint64_t cxl_field_value(const struct cxl_field_eff *f, uint64_t reg_value)
{
	return (reg_value & f->mask) >> f->spec->lo;
}

/* Returns the effective field called @name of register @r, or NULL. */
const struct cxl_field_eff *cxl_reg_field(const struct cxl_device *d, const struct cxl_reg_inst *r,
					  const char *name)
{
	for (uint32_t i = 0; i < r->nfields; i++)
		if (!strcmp(d->fields[r->field0 + i].spec->name, name))
			return &d->fields[r->field0 + i];
	return NULL;
}

/* Returns the mask of field @name in register index @reg, 0 if either is absent. */
uint64_t cxl_reg_field_mask(const struct cxl_device *d, int reg, const char *name)
{
	const struct cxl_field_eff *f;

	if (reg < 0)
		return 0;
	f = cxl_reg_field(d, &d->regs[reg], name);
	return f ? f->mask : 0;
}

/* Delivers an event for register @r (may be NULL) to the sink, with a formatted detail. */
void cxl_emit(struct cxl_device *d, unsigned rule, int severity, const struct cxl_reg_inst *r,
	      const char *field, uint64_t old_value, uint64_t new_value, const char *fmt, ...)
{
	struct cxl_event ev;
	va_list ap;

	if (!d->sink)
		return;
	va_start(ap, fmt);
	vsnprintf(d->detail, sizeof(d->detail), fmt, ap);
	va_end(ap);
	ev.op = d->op;
	ev.line = d->line;
	ev.src = d->src ? d->src : "";
	ev.device = d->name;
	ev.reg = r ? r->name : "";
	ev.field = field ? field : "";
	ev.reg_spec = r ? r->spec->spec : "";
	ev.rule = rule;
	ev.severity = severity < 0 ? cxl_spec_rules[rule].severity : (unsigned)severity;
	ev.old_value = old_value;
	ev.new_value = new_value;
	ev.detail = d->detail;
	d->sink(d->sink_ctx, &ev);
}

/* Expands "{n}" in @tmpl with @n into @out. */
static void display_name(char *out, size_t len, const char *tmpl, unsigned n)
{
	const char *p = strstr(tmpl, "{n}");

	if (!p) {
		snprintf(out, len, "%s", tmpl);
		return;
	}
	snprintf(out, len, "%.*s%u%s", (int)(p - tmpl), tmpl, n, p + 3);
}

/* Number of repeat instances of placement @p given the options. */
static int place_count(const struct cxl_place_spec *p, const struct cxl_device_opts *o)
{
	const struct cxl_struct_spec *s = &cxl_spec_structs[p->structure];

	if (!s->rep_nregs)
		return 0;
	if (s->rep_hdm && o && o->hdm_decoders > 0)
		return o->hdm_decoders;
	return p->count;
}

static bool reg_in_variant(const struct cxl_reg_spec *r, unsigned variant)
{
	return !r->variants || (r->variants & (1u << variant));
}

/* Counts (or, with @d->regs set, fills) the register instances of the model. */
static unsigned layout(struct cxl_device *d, const struct cxl_device_opts *o, bool fill)
{
	unsigned n = 0, nf = 0;

	for (unsigned pi = 0; pi < d->model->nplace; pi++) {
		const struct cxl_place_spec *p = &cxl_spec_places[d->model->place0 + pi];
		const struct cxl_struct_spec *s = &cxl_spec_structs[p->structure];
		int count = place_count(p, o);

		for (int inst = -1; inst < count; inst++) {
			unsigned r0 = inst < 0 ? s->reg0 : s->rep_reg0;
			unsigned nr = inst < 0 ? s->nregs : s->rep_nregs;
			uint32_t base = inst < 0 ? 0 : s->rep_base + (uint32_t)inst * s->rep_stride;

			for (unsigned k = 0; k < nr; k++) {
				const struct cxl_reg_spec *rs = &cxl_spec_regs[r0 + k];
				uint32_t rel = base + rs->offset;
				struct cxl_reg_inst *r;

				if (!reg_in_variant(rs, p->variant))
					continue;
				if (p->size && rel + rs->width / 8u > p->size)
					continue;
				if (fill) {
					r = &d->regs[n];
					memset(r, 0, sizeof(*r));
					r->spec = rs;
					r->st = s;
					r->space = s->space;
					r->bytes = rs->width / 8;
					r->role = rs->role;
					r->opaque = s->opaque;
					r->offset = p->at + rel;
					r->place = (uint16_t)pi;
					r->instance = inst < 0 ? 0 : (uint16_t)inst;
					display_name(r->name, sizeof(r->name), rs->name, r->instance);
					r->field0 = nf;
					for (unsigned j = 0; j < rs->nfields; j++) {
						const struct cxl_field_spec *fs = &cxl_spec_fields[rs->field0 + j];

						if (fs->variants && !(fs->variants & (1u << p->variant)))
							continue;
						d->fields[nf].spec = fs;
						d->fields[nf].mask = mask_of(fs->lo, fs->hi);
						d->fields[nf].access = fs->access;
						d->fields[nf].lock = fs->lock;
						d->fields[nf].action = fs->action;
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

/* Index of register spec @rs in placement @pi instance @inst, or -1. */
static int find_inst(const struct cxl_device *d, unsigned pi, const struct cxl_reg_spec *rs,
		     unsigned inst)
{
	for (unsigned i = 0; i < d->nregs; i++)
		if (d->regs[i].place == pi && d->regs[i].spec == rs && d->regs[i].instance == inst)
			return (int)i;
	return -1;
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

				if (o->reg != gidx || (o->field >= 0 && o->field != local))
					continue;
				if (o->access >= 0)
					f->access = (uint8_t)o->access;
				drop_cap |= o->drop_if_capable;
			}
			if (f->spec->cap_reg >= 0 && !drop_cap) {
				const struct cxl_struct_spec *s = r->st;
				int ci = find_inst(d, r->place, &cxl_spec_regs[s->reg0 + f->spec->cap_reg], 0);
				uint64_t cap = 0;

				if (ci >= 0)
					cap = (d->regs[ci].reset_value & mask_of(f->spec->cap_lo, f->spec->cap_hi));
				if (!cap)
					f->access = f->spec->else_access;
			}
			if (f->access != CXL_ACC_RWL)
				f->lock = CXL_LOCK_NONE;
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
	for (unsigned pi = 0; pi < d->model->nplace; pi++) {
		const struct cxl_place_spec *p = &cxl_spec_places[d->model->place0 + pi];

		for (unsigned k = 0; k < p->ninit; k++) {
			const struct cxl_init_spec *in = &cxl_spec_inits[p->init0 + k];
			int ri = find_inst(d, pi, &cxl_spec_regs[in->reg], in->instance);

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
	for (unsigned i = 0; i < CXL_CFG_SIZE; i++)
		d->cfg_map[i] = -1;
	for (unsigned i = 0; i < CXL_CM_SIZE; i++)
		d->cm_map[i] = -1;
	for (unsigned i = 0; i < d->nregs; i++) {
		struct cxl_reg_inst *r = &d->regs[i];
		int16_t *map = r->space == CXL_SPACE_CONFIG ? d->cfg_map : d->cm_map;
		uint32_t lim = r->space == CXL_SPACE_CONFIG ? CXL_CFG_SIZE : CXL_CM_SIZE;

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

enum cxl_err cxl_device_create(const char *name, const char *model, const char *profile,
			       const struct cxl_device_opts *opts,
			       struct cxl_device **out, struct cxl_error *err)
{
	struct cxl_device *d;
	enum cxl_err rc;

	d = calloc(1, sizeof(*d));
	if (!d)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->model = cxl_spec_model(model);
	d->prof = cxl_spec_profile(profile ? profile : "cxl-3.1");
	if (!d->model || !d->prof) {
		rc = cxl_error_set(err, CXL_ERR_UNKNOWN, NULL, 0, 0, "unknown %s '%s'",
				   !d->model ? "model" : "profile", !d->model ? model : profile);
		free(d);
		return rc;
	}
	if (opts && opts->hdm_decoders && (opts->hdm_decoders < 1 || opts->hdm_decoders > CXL_MAX_DECODERS)) {
		free(d);
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
				     "hdm-decoders %d is outside 1..32", opts->hdm_decoders);
	}
	d->nregs = layout(d, opts, false);
	d->regs = calloc(d->nregs ? d->nregs : 1, sizeof(*d->regs));
	d->fields = calloc(d->nfields ? d->nfields : 1, sizeof(*d->fields));
	if (!d->regs || !d->fields) {
		cxl_device_destroy(d);
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	}
	d->nregs = layout(d, opts, true);
	reset_values(d);
	resolve_fields(d);
	qsort(d->regs, d->nregs, sizeof(*d->regs), cmp_reg);
	rc = build_maps(d, err);
	if (rc == CXL_OK)
		rc = cxl_hdm_bind(d, err);
	if (rc != CXL_OK) {
		cxl_device_destroy(d);
		return rc;
	}
	cxl_dvsec_bind(d);
	cxl_ras_bind(d);
	for (unsigned i = 0; i < d->nregs; i++)
		d->regs[i].value = d->regs[i].reset_value;
	if (opts && opts->fw_committed)
		cxl_hdm_fw_commit(d, opts->fw_base, opts->fw_size);
	*out = d;
	return CXL_OK;
}

void cxl_device_destroy(struct cxl_device *d)
{
	if (!d)
		return;
	free(d->regs);
	free(d->fields);
	free(d);
}

void cxl_device_set_sink(struct cxl_device *d, cxl_event_fn fn, void *ctx)
{
	d->sink = fn;
	d->sink_ctx = ctx;
}

void cxl_device_set_op(struct cxl_device *d, unsigned long op, unsigned long line, const char *src)
{
	d->op = op;
	d->line = line;
	d->src = src;
}

static bool field_sticky(uint8_t access)
{
	return access == CXL_ACC_RWS || access == CXL_ACC_RW1CS || access == CXL_ACC_ROS;
}

/*
 * Restores registers to their reset values as each structure's reset scope
 * for @kind says: all fields, non-sticky fields only (RWS/RW1CS/ROS keep
 * their value), or nothing. RWO latches reset with their field.
 */
void cxl_reset_structures(struct cxl_device *d, unsigned kind)
{
	for (unsigned i = 0; i < d->nregs; i++) {
		struct cxl_reg_inst *r = &d->regs[i];
		unsigned scope = r->st->resets[kind];
		uint64_t m = 0;

		if (scope == CXL_SCOPE_NONE)
			continue;
		for (uint32_t j = 0; j < r->nfields; j++) {
			const struct cxl_field_eff *f = &d->fields[r->field0 + j];

			if (scope == CXL_SCOPE_ALL || !field_sticky(f->access))
				m |= f->mask;
		}
		r->value = (r->value & ~m) | (r->reset_value & m);
		r->latched &= ~m;
	}
}

void cxl_device_reset(struct cxl_device *d, unsigned kind)
{
	if (kind < CXL_NRESETS)
		cxl_reset_structures(d, kind);
}

const struct cxl_device_counters *cxl_device_counters(const struct cxl_device *d)
{
	return &d->counters;
}

const char *cxl_device_name(const struct cxl_device *d)
{
	return d->name;
}

const struct cxl_model_spec *cxl_device_model(const struct cxl_device *d)
{
	return d->model;
}

const struct cxl_profile_spec *cxl_device_profile(const struct cxl_device *d)
{
	return d->prof;
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
	return h;
}

/* Prints every register; JSON as an array of objects (no trailing newline). */
void cxl_device_dump(const struct cxl_device *d, FILE *out, bool json)
{
	for (unsigned i = 0; i < d->nregs; i++) {
		const struct cxl_reg_inst *r = &d->regs[i];

		if (json)
			fprintf(out, "%s{\"space\": \"%s\", \"offset\": %u, \"register\": \"%s\", \"value\": %llu}",
				i ? ", " : "", cxl_space_word(r->space), r->offset, r->name,
				(unsigned long long)r->value);
		else
			fprintf(out, "  %-9s 0x%04x  %-48s 0x%0*llx\n", cxl_space_word(r->space),
				r->offset, r->name, r->bytes * 2, (unsigned long long)r->value);
	}
}

unsigned cxl_device_nregs(const struct cxl_device *d)
{
	return d->nregs;
}

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

int cxl_device_find_reg(const struct cxl_device *d, const char *name)
{
	for (unsigned i = 0; i < d->nregs; i++)
		if (!strcmp(d->regs[i].name, name))
			return (int)i;
	return -1;
}

bool cxl_device_reg_detail(const struct cxl_device *d, unsigned i, unsigned *width,
			   uint64_t *reset, const char **spec)
{
	if (i >= d->nregs)
		return false;
	*width = d->regs[i].spec->width;
	*reset = d->regs[i].reset_value;
	*spec = d->regs[i].spec->spec;
	return true;
}

unsigned cxl_device_reg_nfields(const struct cxl_device *d, unsigned i)
{
	return i < d->nregs ? d->regs[i].nfields : 0;
}

bool cxl_device_field_info(const struct cxl_device *d, unsigned i, unsigned j, const char **name,
			   unsigned *lo, unsigned *hi, unsigned *access, unsigned *lock,
			   uint64_t *reset)
{
	const struct cxl_field_eff *f;

	if (i >= d->nregs || j >= d->regs[i].nfields)
		return false;
	f = &d->fields[d->regs[i].field0 + j];
	*name = f->spec->name;
	*lo = f->spec->lo;
	*hi = f->spec->hi;
	*access = f->access;
	*lock = f->lock;
	*reset = (d->regs[i].reset_value & f->mask) >> f->spec->lo;
	return true;
}
