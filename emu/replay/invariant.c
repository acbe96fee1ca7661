/* SPDX-License-Identifier: MIT */
/*
 * invariant.c - the spec invariants of cxlemu/invariant.h.
 *
 * At creation the checker reads, per register, its fields' masks and attributes as the
 * device applies them, which fields CONFIG_LOCK locks, and which registers belong to which
 * HDM decoder (by display name, "HDM Decoder N ...": spec/structures/hdm-decoder.yaml).
 * Around an op it compares register values only; the engine's own decisions are not asked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/invariant.h"

#define CXL_EXPORT __attribute__((visibility("default")))
#define MAX_DECODERS 32

struct creg {
	unsigned space, bytes;
	uint32_t offset;
	const char *name;
	uint64_t rwo, reserved, sticky, config_locked;  /* field masks by property */
	int decoder;                                   /* HDM decoder instance, -1 none */
	unsigned keeps_sticky;                         /* resets (bit per kind) whose scope keeps them */
	bool moved;                                    /* listed in the checker's moved[] */
};

struct decoder {
	int control, base_lo, base_hi, size_lo, size_hi;   /* register indexes, -1 absent */
	uint64_t committed, loc, base_lo_mask, size_lo_mask;
};

struct cxl_checker {
	const char *device;
	int64_t view_base;         /* where the device's view puts mmio offset 0 in its block */
	unsigned n;
	struct creg *reg;
	uint64_t *before;
	uint64_t *pristine;        /* the creation state */
	unsigned *moved;           /* registers whose before[] may differ from pristine[] */
	unsigned nmoved;
	bool all_moved;            /* cxl_checker_before() took every register */
	bool spec;                 /* the device runs the spec personality */
	bool full;                 /* compare every register, and check the engine's change list */
	int lock_reg;              /* DVSEC CXL Lock, -1 none */
	uint64_t lock_bit;         /* its CONFIG_LOCK */
	unsigned ndec;
	struct decoder dec[MAX_DECODERS];
};

static const struct { const char *name, *spec; } inv_names[CXL_INV__COUNT] = {
	[CXL_INV_RWO] = { "rwo", "CXL r3.1 §8.1.3.6 (RWO)" },
	[CXL_INV_RESERVED] = { "reserved", "PCIe r6.0 §7.4 (RsvdP, RsvdZ, HwInit)" },
	[CXL_INV_STICKY] = { "sticky", "PCIe r6.0 §7.4 (RWS, RW1CS, ROS); the structure's reset scopes" },
	[CXL_INV_CONFIG_LOCK] = { "config-lock", "CXL r3.1 §8.1.3.6" },
	[CXL_INV_LOCK_ON_COMMIT] = { "lock-on-commit", "CXL r3.1 §8.2.4.20.13" },
	[CXL_INV_DECODER_ORDER] = { "decoder-order", "CXL r3.1 §8.2.4.20.12" },
	[CXL_INV_TRACKED] = { "tracked", "cxlemu/device.h (cxl_device_changes())" },
};

CXL_EXPORT
const char *cxl_invariant_name(enum cxl_invariant inv)
{
	return (unsigned)inv < CXL_INV__COUNT ? inv_names[inv].name : NULL;
}

CXL_EXPORT
const char *cxl_invariant_spec(enum cxl_invariant inv)
{
	return (unsigned)inv < CXL_INV__COUNT ? inv_names[inv].spec : "";
}

CXL_EXPORT
int cxl_invariant_lookup(const char *name)
{
	for (unsigned i = 0; i < CXL_INV__COUNT; i++)
		if (!strcmp(name, inv_names[i].name))
			return (int)i;
	return -1;
}

CXL_EXPORT
void cxl_checker_free(struct cxl_checker *c)
{
	if (!c)
		return;
	free(c->reg);
	free(c->before);
	free(c->pristine);
	free(c->moved);
	free(c);
}

/* The mask of field @fname of register @i of @d, 0 when it has none. */
static uint64_t field_mask(const struct cxl_device *d, unsigned i, const char *fname)
{
	for (unsigned j = 0; j < cxl_device_reg_nfields(d, i); j++) {
		const char *name;
		unsigned lo, hi;

		cxl_device_field_info(d, i, j, &name, &lo, &hi, NULL, NULL, NULL);
		if (!strcmp(name, fname))
			return (hi - lo + 1 >= 64 ? ~0ULL : ((1ULL << (hi - lo + 1)) - 1)) << lo;
	}
	return 0;
}

/* Records register @i of @d as decoder register @what ("Control", "Base Low", ...) of @k. */
static void decoder_reg(struct cxl_checker *c, const struct cxl_device *d, unsigned i, unsigned k,
			const char *what)
{
	struct decoder *x = &c->dec[k];

	if (!strcmp(what, "Control")) {
		x->control = (int)i;
		x->committed = field_mask(d, i, "Committed");
		x->loc = field_mask(d, i, "Lock_On_Commit");
	} else if (!strcmp(what, "Base Low")) {
		x->base_lo = (int)i;
		x->base_lo_mask = field_mask(d, i, "Memory_Base_Low");
	} else if (!strcmp(what, "Base High")) {
		x->base_hi = (int)i;
	} else if (!strcmp(what, "Size Low")) {
		x->size_lo = (int)i;
		x->size_lo_mask = field_mask(d, i, "Memory_Size_Low");
	} else if (!strcmp(what, "Size High")) {
		x->size_hi = (int)i;
	}
}

CXL_EXPORT
enum cxl_err cxl_checker_new(const struct cxl_device *d, struct cxl_checker **out,
			     struct cxl_error *err)
{
	struct cxl_checker *c = calloc(1, sizeof(*c));
	unsigned n = cxl_device_nregs(d);

	if (!c || !(c->reg = calloc(n ? n : 1, sizeof(*c->reg))) ||
	    !(c->before = calloc(n ? n : 1, sizeof(*c->before))) ||
	    !(c->pristine = calloc(n ? n : 1, sizeof(*c->pristine))) ||
	    !(c->moved = calloc(n ? n : 1, sizeof(*c->moved)))) {
		cxl_checker_free(c);
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	}
	c->device = cxl_device_name(d);
	c->n = n;
	{
		int m = cxl_model_lookup(cxl_device_model_name(d));

		if (m < 0 || !cxl_model_view_base((unsigned)m, cxl_device_view(d), &c->view_base))
			c->view_base = 0;
	}
	c->spec = !strcmp(cxl_device_profile_name(d), cxl_default_profile());
	c->lock_reg = -1;
	for (unsigned k = 0; k < MAX_DECODERS; k++)
		c->dec[k] = (struct decoder){ -1, -1, -1, -1, -1, 0, 0, 0, 0 };
	for (unsigned i = 0; i < n; i++) {
		struct creg *r = &c->reg[i];
		unsigned width, k;
		char what[32];
		int used = 0;

		cxl_device_reg_info(d, i, &r->space, &r->offset, &r->name, NULL);
		cxl_device_reg_detail(d, i, &width, NULL, NULL);
		r->bytes = width / 8;
		r->decoder = -1;
		/* the scopes the device claims, read now like the attributes: judged against them */
		for (unsigned kind = 0; kind < CXL_RESET__COUNT; kind++)
			if (cxl_device_reg_reset_scope(d, i, kind) == CXL_RESET_SCOPE_NON_STICKY)
				r->keeps_sticky |= 1u << kind;
		for (unsigned j = 0; j < cxl_device_reg_nfields(d, i); j++) {
			const char *fname, *lock;
			unsigned lo, hi, acc;
			uint64_t m;
			const char *w;

			cxl_device_field_info(d, i, j, &fname, &lo, &hi, &acc, &lock, NULL);
			m = (hi - lo + 1 >= 64 ? ~0ULL : ((1ULL << (hi - lo + 1)) - 1)) << lo;
			w = cxl_access_write_word(acc);
			if (!strcmp(w, "take-once"))
				r->rwo |= m;
			if (!strcmp(w, "preserve") || !strcmp(w, "zero") ||
			    !strcmp(cxl_access_word(acc), "HwInit"))
				r->reserved |= m;
			if (cxl_access_sticky(acc))
				r->sticky |= m;
			if (!strcmp(lock, "config-lock"))
				r->config_locked |= m;
		}
		if (!strcmp(r->name, "DVSEC CXL Lock")) {
			c->lock_reg = (int)i;
			c->lock_bit = field_mask(d, i, "CONFIG_LOCK");
		}
		if (sscanf(r->name, "HDM Decoder %u %n", &k, &used) == 1 && used && k < MAX_DECODERS) {
			snprintf(what, sizeof(what), "%s", r->name + used);
			r->decoder = (int)k;
			decoder_reg(c, d, i, k, what);
			if (k + 1 > c->ndec)
				c->ndec = k + 1;
		}
	}
	cxl_device_snapshot(d, c->pristine, n);
	memcpy(c->before, c->pristine, n * sizeof(*c->before));
	*out = c;
	return CXL_OK;
}

CXL_EXPORT
void cxl_checker_before(struct cxl_checker *c, struct cxl_device *d)
{
	cxl_device_snapshot(d, c->before, c->n);
	c->all_moved = true;
	cxl_device_clear_changes(d);
}

CXL_EXPORT
void cxl_checker_restarted(struct cxl_checker *c, struct cxl_device *d)
{
	if (c->all_moved)
		memcpy(c->before, c->pristine, c->n * sizeof(*c->before));
	else
		for (unsigned k = 0; k < c->nmoved; k++) {
			c->before[c->moved[k]] = c->pristine[c->moved[k]];
			c->reg[c->moved[k]].moved = false;
		}
	if (c->all_moved)
		for (unsigned k = 0; k < c->nmoved; k++)
			c->reg[c->moved[k]].moved = false;
	c->nmoved = 0;
	c->all_moved = false;
	cxl_device_clear_changes(d);
}

/* Fills @f; returns false (the violation). */
static bool violated(const struct cxl_checker *c, struct cxl_invariant_failure *f,
		     enum cxl_invariant inv, unsigned i, uint64_t after, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static bool violated(const struct cxl_checker *c, struct cxl_invariant_failure *f,
		     enum cxl_invariant inv, unsigned i, uint64_t after, const char *fmt, ...)
{
	va_list ap;

	f->inv = inv;
	f->device = c->device;
	f->reg = i < c->n ? c->reg[i].name : "";
	f->field = "";
	f->before = i < c->n ? c->before[i] : 0;
	f->after = after;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
	return false;
}

/* Decoder @k's base and size from register values @v (0 for absent registers). */
static void decoder_range(const struct cxl_checker *c, const uint64_t *v, unsigned k,
			  uint64_t *base, uint64_t *size)
{
	const struct decoder *x = &c->dec[k];

	*base = (x->base_hi >= 0 ? v[x->base_hi] << 32 : 0) |
		(x->base_lo >= 0 ? v[x->base_lo] & x->base_lo_mask : 0);
	*size = (x->size_hi >= 0 ? v[x->size_hi] << 32 : 0) |
		(x->size_lo >= 0 ? v[x->size_lo] & x->size_lo_mask : 0);
}

/* Register @i's value from the device. */
static uint64_t value_of(const struct cxl_device *d, unsigned i)
{
	uint64_t v = 0;

	cxl_device_reg_info(d, i, NULL, NULL, NULL, &v);
	return v;
}

/* The per-register invariants of changed register @i (@was -> @now) at op @op. */
static bool check_reg(const struct cxl_checker *c, const struct cxl_op *op,
		      unsigned i, uint64_t was, uint64_t now, struct cxl_invariant_failure *f)
{
	const struct creg *r = &c->reg[i];
	uint64_t changed = was ^ now;
	unsigned space = CXL_SPACE__COUNT;
	bool write = false, access = cxl_op_kind_access(op->kind, &space, &write);
	/* the op's offset in the device's own coordinates (a view counts from elsewhere) */
	uint64_t at = space == CXL_SPACE_COMPONENT ? op->offset + (uint64_t)c->view_base : op->offset;
	bool written = access && write && r->space == space &&
		       at < r->offset + r->bytes && r->offset < at + op->size;
	bool locked = c->spec && c->lock_reg >= 0 && (c->before[c->lock_reg] & c->lock_bit);

	if (write && (r->rwo & was & changed))
		return violated(c, f, CXL_INV_RWO, i, now, "RWO bits 0x%llx were 1 and changed",
				(unsigned long long)(r->rwo & was & changed));
	if (written && (r->reserved & changed))
		return violated(c, f, CXL_INV_RESERVED, i, now,
				"reserved or HwInit bits 0x%llx changed by a write",
				(unsigned long long)(r->reserved & changed));
	if (op->kind == CXL_OP_RESET && (r->sticky & changed) && (unsigned)op->reset < CXL_RESET__COUNT &&
	    (r->keeps_sticky >> op->reset & 1))
		return violated(c, f, CXL_INV_STICKY, i, now,
				"sticky bits 0x%llx changed by a %s reset, whose scope keeps them",
				(unsigned long long)(r->sticky & changed), cxl_reset_kind_name(op->reset));
	if (locked && write && space == CXL_SPACE_CONFIG && (r->config_locked & changed))
		return violated(c, f, CXL_INV_CONFIG_LOCK, i, now,
				"bits 0x%llx locked by CONFIG_LOCK changed by a write",
				(unsigned long long)(r->config_locked & changed));
	if (c->spec && write && space == CXL_SPACE_COMPONENT && r->decoder >= 0) {
		const struct decoder *x = &c->dec[r->decoder];
		uint64_t ctl = x->control >= 0 ? c->before[x->control] : 0;

		if (x->loc && (ctl & x->committed) && (ctl & x->loc))
			return violated(c, f, CXL_INV_LOCK_ON_COMMIT, i, now,
					"decoder %d was committed with Lock On Commit and changed", r->decoder);
	}
	return true;
}

/*
 * decoder-order over @v (the state after the op) against @was (the decoders' Control
 * before it): a decoder that commits at this op with Lock On Commit set must have passed
 * the commit checks, decoder m-1 committed and Base[m] >= its end. Only the commit itself
 * is judged: Lock On Commit set later on a decoder committed without it, or m-1 moved while
 * unlocked, is reprogramming a committed decoder, which the spec leaves undefined
 * (hdm.reprogram-committed), so a pair may end up out of order without a broken rule.
 */
static bool check_order(const struct cxl_checker *c, const uint64_t *v, const uint64_t *was_ctl,
			struct cxl_invariant_failure *f)
{
	for (unsigned k = 1; c->spec && k < c->ndec; k++) {
		const struct decoder *x = &c->dec[k], *p = &c->dec[k - 1];
		uint64_t base, size, pbase, psize;
		bool locked_now, was;

		if (x->control < 0 || p->control < 0 || !x->loc)
			continue;
		locked_now = (v[x->control] & x->committed) && (v[x->control] & x->loc);
		was = (was_ctl[k] & x->committed) != 0;
		if (!locked_now || was)
			continue;
		if (!(v[p->control] & p->committed)) {
			violated(c, f, CXL_INV_DECODER_ORDER, (unsigned)x->control, v[x->control],
				 "decoder %u committed with Lock On Commit while decoder %u is not "
				 "committed", k, k - 1);
			f->before = was_ctl[k];   /* before[] already holds the new value */
			return false;
		}
		decoder_range(c, v, k, &base, &size);
		decoder_range(c, v, k - 1, &pbase, &psize);
		if (base < pbase + psize) {
			violated(c, f, CXL_INV_DECODER_ORDER, (unsigned)x->control, v[x->control],
				 "decoder %u (base 0x%llx) starts below the end of decoder %u (0x%llx)",
				 k, (unsigned long long)base, k - 1, (unsigned long long)(pbase + psize));
			f->before = was_ctl[k];
			return false;
		}
	}
	return true;
}

CXL_EXPORT
void cxl_checker_set_full(struct cxl_checker *c, bool full)
{
	c->full = full;
}

CXL_EXPORT
bool cxl_checker_after(struct cxl_checker *c, struct cxl_device *d, const struct cxl_op *op,
		       struct cxl_invariant_failure *f)
{
	const unsigned *ch;
	unsigned nch = cxl_device_changes(d, &ch);
	uint64_t was_ctl[MAX_DECODERS];
	bool ok = true, decoders = false;

	for (unsigned k = 0; k < c->ndec; k++)
		was_ctl[k] = c->dec[k].control >= 0 ? c->before[c->dec[k].control] : 0;
	if (c->full) {
		/* every register, and the engine's list of changes against it */
		for (unsigned i = 0; ok && i < c->n; i++) {
			uint64_t v = value_of(d, i);
			bool listed = false;

			if (v == c->before[i])
				continue;
			for (unsigned k = 0; k < nch && !listed; k++)
				listed = ch[k] == i;
			if (!listed)
				ok = violated(c, f, CXL_INV_TRACKED, i, v,
					      "the value changed but cxl_device_changes() does not list it");
		}
	}
	for (unsigned k = 0; ok && k < nch; k++) {
		unsigned i = ch[k];
		uint64_t v;

		if (i >= c->n)
			continue;
		v = value_of(d, i);
		if (v == c->before[i])
			continue;
		ok = check_reg(c, op, i, c->before[i], v, f);
		decoders |= c->reg[i].decoder >= 0;
	}
	/* what was checked is the state before the next op */
	for (unsigned k = 0; k < nch; k++)
		if (ch[k] < c->n) {
			c->before[ch[k]] = value_of(d, ch[k]);
			if (!c->reg[ch[k]].moved) {
				c->reg[ch[k]].moved = true;
				c->moved[c->nmoved++] = ch[k];
			}
		}
	if (ok && decoders)
		ok = check_order(c, c->before, was_ctl, f);
	cxl_device_clear_changes(d);
	return ok;
}
