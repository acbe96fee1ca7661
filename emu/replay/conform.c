/* SPDX-License-Identifier: MIT */
/*
 * conform.c - record a trace on a target; judge a target against the model in lockstep
 * (cxlemu/conform.h).
 *
 * Attribution. For every register the model keeps the last op that touched or changed it
 * (a write to it, a write elsewhere that changed it, such as a commit or a CXL Reset, or a
 * reset) and the rules the model raised at that op on that register. A field the target
 * reads differently is blamed on that op: on a rule raised there on the same field, else on
 * the first warning or error raised there on the register, else on the write or reset
 * itself; with no such op, on the power-on value. Reads the model cannot judge (unmodelled
 * bytes, opaque registers, reads it rejected and does not know the answer of) are not
 * compared. Memory is bounded by the devices' register counts, not by the trace.
 *
 * Observation rules (judge: self, the host-safety rules) are no cause: the model raises them
 * on the target's reads (the read hooks judge the value the access carries), so each event is
 * a finding about the target, and the checks the model made are their exercise count.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/conform.h"
#include "cxlemu/device.h"

#define CXL_EXPORT __attribute__((visibility("default")))
#define OP_EVENTS 256   /* per op; one access raises at most one event per field it touches (<= 64) plus a few */
#define REG_RULES 6

/* Re-locates @err (a target failure) at op @op of trace @name. */
static enum cxl_err at_op(struct cxl_error *err, enum cxl_err rc, const char *name,
			  const struct cxl_op *op)
{
	char msg[sizeof(err->msg)];

	snprintf(msg, sizeof(msg), "%s", err->msg);
	return cxl_error_set(err, rc, name, op->line, op->col, "%s: %.400s", cxl_op_kind_name(op->kind), msg);
}

/* Re-locates @err (a target that failed to start) at trace @name. */
static enum cxl_err at_start(struct cxl_error *err, enum cxl_err rc, const char *name,
			     const struct cxl_target *t)
{
	char msg[sizeof(err->msg)];

	snprintf(msg, sizeof(msg), "%s", err->msg);
	return cxl_error_set(err, rc, name, 0, 0, "target %s: %.400s", cxl_target_kind(t), msg);
}

/*
 * Appends to @b the config writes target @t made on its own since the last call (its
 * bring-up, cxl_target_next_setup()), after a mark saying so: a replay of the recording makes
 * them too, so the model's header state is the target's.
 */
static enum cxl_err record_setup(struct cxl_target *t, struct cxl_trace_builder *b,
				 struct cxl_error *err)
{
	struct cxl_op w;
	bool first = true;
	enum cxl_err rc = CXL_OK;

	while (!rc && cxl_target_next_setup(t, &w)) {
		if (first) {
			struct cxl_op mark;

			memset(&mark, 0, sizeof(mark));
			mark.kind = CXL_OP_MARK;
			snprintf(mark.text, sizeof(mark.text), "set up by the %s target: its bring-up writes follow",
				 cxl_target_kind(t));
			rc = cxl_trace_builder_op(b, &mark, err);
			first = false;
		}
		if (!rc)
			rc = cxl_trace_builder_op(b, &w, err);
	}
	return rc;
}

/* The text of a skipped op's mark: "skipped on KIND: OP DEV ...: REASON". */
static void skip_text(char *buf, size_t len, const char *kind, const struct cxl_trace_header *h,
		      const struct cxl_op *op, const char *reason)
{
	const char *dev = op->dev < h->ndevices ? h->devices[op->dev].name : "?";
	unsigned space;
	bool write;

	if (cxl_op_kind_access(op->kind, &space, &write))
		snprintf(buf, len, "skipped on %s: %s %s 0x%llx %u: %s", kind, cxl_op_kind_name(op->kind),
			 dev, (unsigned long long)op->offset, op->size, reason);
	else if (op->kind == CXL_OP_RESET)
		snprintf(buf, len, "skipped on %s: reset %s %s: %s", kind, dev,
			 cxl_reset_kind_name(op->reset), reason);
	else
		snprintf(buf, len, "skipped on %s: inject %s %s %u: %s", kind, dev,
			 cxl_inject_kind_name(op->inject), op->bit, reason);
}

CXL_EXPORT
enum cxl_err cxl_record(struct cxl_trace_reader *r, struct cxl_target *t,
			struct cxl_trace_builder *b, struct cxl_error *err)
{
	const struct cxl_trace_header *h = cxl_trace_header(r);
	struct cxl_op *op = calloc(1, sizeof(*op));
	struct cxl_target_reply rep;
	bool done = false;
	enum cxl_err rc;

	if (!op)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	for (unsigned i = 0; i < h->ndevices; i++) {
		int k = cxl_trace_builder_device(b, h->devices[i].name, h->devices[i].model, "");

		if (k >= 0) {
			struct cxl_trace_device *bd = &cxl_trace_builder_header(b)->devices[k];
			char keep[sizeof(bd->comment)];

			snprintf(keep, sizeof(keep), "%s", bd->comment);
			*bd = h->devices[i];
			snprintf(bd->comment, sizeof(bd->comment), "%s", keep);
		}
	}
	rc = cxl_target_start(t, h, err);
	if (rc)
		rc = at_start(err, rc, cxl_trace_name(r), t);
	if (!rc)
		rc = record_setup(t, b, err);
	while (!rc) {
		rc = cxl_trace_next(r, op, &done, err);
		if (rc || done)
			break;
		rc = cxl_target_op(t, op, &rep, err);
		if (rc) {
			rc = at_op(err, rc, cxl_trace_name(r), op);
			break;
		}
		if (rep.skipped) {
			char text[sizeof(op->text)];

			skip_text(text, sizeof(text), cxl_target_kind(t), h, op, rep.reason);
			op->kind = CXL_OP_MARK;
			op->flags = 0;   /* a mark holds no access flags; its text names the op */
			memcpy(op->text, text, sizeof(text));
		} else if (rep.has_value) {
			op->value = rep.value;
			op->has_value = true;
		}
		if (!rep.skipped && cxl_op_kind_access(op->kind, NULL, NULL))
			op->flags = (op->flags & ~CXL_OPF_FAILED) | (rep.refused ? CXL_OPF_FAILED : 0);
		rc = cxl_trace_builder_op(b, op, err);
		for (unsigned i = 0; !rc && op->kind == CXL_OP_RESET && i < h->ndevices; i++)
			if (rep.also_reset & (1ULL << i)) {
				struct cxl_op also = *op;

				also.dev = i;
				rc = cxl_trace_builder_op(b, &also, err);
			}
		if (!rc)
			rc = record_setup(t, b, err);
	}
	if (!rc)
		rc = cxl_trace_finish(r, NULL, err);
	free(op);
	return rc;
}

/* ---- lockstep ---- */

/* The last op that wrote or changed one field in the model, and what the model raised there. */
struct fstate {
	unsigned long op;        /* ULONG_MAX: none since power-on */
	bool changed;            /* the op changed the field's bits */
	/* the first rule raised at that op on this field, and the first warning or error raised
	 * there on its register; CXL_RULE__COUNT when none */
	uint16_t field_rule, reg_rule;
	uint8_t field_sev;
	bool field_counted, reg_counted;  /* counted as a deviated (rule, op) already */
};

/* The last reset that touched a register, and the register around it. */
struct rstate {
	unsigned long op;        /* ULONG_MAX: none */
	uint8_t reset;           /* enum cxl_reset_kind */
	uint64_t before, after;
};

struct dstate {
	struct cxl_device *d;
	unsigned n;              /* registers */
	struct rstate *r;        /* per register */
	unsigned *fbase;         /* per register: its first field's index in f */
	struct fstate *f;        /* per field of every register */
	uint64_t *snap;
};

struct ev {
	unsigned dev, rule, severity;
	const char *reg, *field;  /* device-owned strings */
	uint64_t old_value, new_value;
};

struct lock {
	const struct cxl_trace_header *h;
	struct dstate dev[CXL_TRACE_MAX_DEVICES];
	struct ev ev[OP_EVENTS];
	unsigned nev, cur_dev;
	struct cxl_conform_result *res;
};

static void on_event(void *ctx, const struct cxl_event *e)
{
	struct lock *l = ctx;

	if (l->nev < OP_EVENTS)
		l->ev[l->nev++] = (struct ev){ l->cur_dev, e->rule, e->severity, e->reg, e->field,
					       e->old_value, e->new_value };
}

/*
 * Makes on the model the config writes target @t made on its own since the last call (its
 * bring-up, cxl_target_next_setup()), so both start from the same header state; what the
 * model says about them is not the trace's (no op, no event kept).
 */
static void model_setup(struct cxl_target *t, struct lock *l)
{
	struct cxl_op w;

	while (cxl_target_next_setup(t, &w))
		if (w.dev < l->h->ndevices && l->dev[w.dev].d)
			cxl_device_access(l->dev[w.dev].d, CXL_SPACE_CONFIG, true, w.offset, w.size,
					  w.value, true, NULL);
	l->nev = 0;
}

/* The bits of field @j of register @ri of @d. */
static uint64_t field_mask(struct cxl_device *d, unsigned ri, unsigned j, const char **name,
			   unsigned *lo)
{
	unsigned hi;

	cxl_device_field_info(d, ri, j, name, lo, &hi, NULL, NULL, NULL);
	return (hi - *lo + 1 >= 64 ? ~0ULL : ((1ULL << (hi - *lo + 1)) - 1)) << *lo;
}

/*
 * Op @opi wrote bits @written of register @ri of device @k (0: wrote none of it) and took it
 * from @before to @after: every field it wrote or changed records the op and the rules the
 * model raised there (observation rules judge the target: they are no cause).
 */
static void touch(struct lock *l, unsigned k, unsigned ri, unsigned long opi, uint64_t written,
		  uint64_t before, uint64_t after)
{
	struct dstate *dv = &l->dev[k];
	const char *rname;
	uint16_t reg_rule = CXL_RULE__COUNT;

	cxl_device_reg_info(dv->d, ri, NULL, NULL, &rname, NULL);
	for (unsigned i = 0; i < l->nev; i++) {
		const struct ev *e = &l->ev[i];

		if (e->dev == k && e->rule != CXL_RULE_READ_MISMATCH && !cxl_rule_self_judged(e->rule) &&
		    e->severity != CXL_SEV_NOTE && e->reg && !strcmp(e->reg, rname)) {
			reg_rule = (uint16_t)e->rule;
			break;
		}
	}
	for (unsigned j = 0; j < cxl_device_reg_nfields(dv->d, ri); j++) {
		struct fstate *f = &dv->f[dv->fbase[ri] + j];
		const char *fname;
		unsigned lo;
		uint64_t m = field_mask(dv->d, ri, j, &fname, &lo);

		struct fstate now = { opi, ((before ^ after) & m) != 0, CXL_RULE__COUNT, reg_rule, 0,
				      false, false };

		if (!(m & written) && !now.changed)
			continue;
		for (unsigned i = 0; i < l->nev; i++) {
			const struct ev *e = &l->ev[i];

			if (e->dev == k && e->rule != CXL_RULE_READ_MISMATCH &&
			    !cxl_rule_self_judged(e->rule) && e->reg && !strcmp(e->reg, rname) &&
			    e->field && !strcmp(e->field, fname)) {
				now.field_rule = (uint16_t)e->rule;
				now.field_sev = (uint8_t)e->severity;
				break;
			}
		}
		/* a write that left the field as it was and raised nothing keeps the rule that
		 * explains the field's value (a commit refused at op 3, then Commit cleared) */
		if (!now.changed && now.field_rule == CXL_RULE__COUNT && reg_rule == CXL_RULE__COUNT &&
		    (f->field_rule < CXL_RULE__COUNT || f->reg_rule < CXL_RULE__COUNT))
			continue;
		*f = now;
	}
}

/* Whether [a, a+n) and [b, b+m) overlap. */
static bool overlap(uint64_t a, unsigned n, uint64_t b, unsigned m)
{
	return a < b + m && b < a + n;
}

/*
 * The cause of field @j (bits @mask) of register @ri of device @k, into @d; *@counted is
 * the record's "already counted" flag of the rule it names (NULL for other causes).
 *   - A reset after the field's last write is the cause when it changed the field, or when
 *     the write raised no rule on it (the model kept the field across the reset).
 *   - Else a rule the write raised on the field, unless a note on a field that changed at
 *     that op anyway (the op's behaviour, a commit or an uncommit, changed it); else the
 *     first warning or error it raised on the register; else the write itself.
 *   - No op: the power-on value.
 */
static void cause(struct lock *l, unsigned k, unsigned ri, unsigned j, uint64_t mask,
		  struct cxl_deviation *d, bool **counted)
{
	struct dstate *dv = &l->dev[k];
	struct fstate *f = &dv->f[dv->fbase[ri] + j];
	const struct rstate *r = &dv->r[ri];
	bool has_w = f->op != ULONG_MAX, has_r = r->op != ULONG_MAX;
	bool field_rule = has_w && f->field_rule < CXL_RULE__COUNT &&
			  !(f->changed && f->field_sev == CXL_SEV_NOTE);

	*counted = NULL;
	d->cause = CXL_CAUSE_POWER_ON;
	if (has_r && (!has_w || r->op > f->op) && (((r->before ^ r->after) & mask) || !field_rule)) {
		d->cause = CXL_CAUSE_RESET;
		d->cause_op = r->op;
		d->reset = r->reset;
		return;
	}
	if (!has_w)
		return;
	d->cause_op = f->op;
	d->cause = CXL_CAUSE_WRITE;
	if (field_rule) {
		d->cause = CXL_CAUSE_RULE;
		d->rule = f->field_rule;
		*counted = &f->field_counted;
	} else if (f->reg_rule < CXL_RULE__COUNT) {
		d->cause = CXL_CAUSE_RULE;
		d->rule = f->reg_rule;
		*counted = &f->reg_counted;
	}
}

/* Marks (@rule, @op) counted in every field record of device @k that names it. */
static void mark_counted(struct lock *l, unsigned k, unsigned rule, unsigned long op)
{
	struct dstate *dv = &l->dev[k];
	unsigned nf = dv->n ? dv->fbase[dv->n - 1] + cxl_device_reg_nfields(dv->d, dv->n - 1) : 0;

	for (unsigned i = 0; i < nf; i++) {
		struct fstate *f = &dv->f[i];

		if (f->op != op)
			continue;
		if (f->field_rule == rule)
			f->field_counted = true;
		if (f->reg_rule == rule)
			f->reg_counted = true;
	}
}

/*
 * Compares the target's read @observed of op @op (index @opi) on device @k with the model,
 * field by field, and reports each differing field.
 */
static void compare(struct lock *l, unsigned k, unsigned long opi, const struct cxl_op *op,
		    unsigned space, uint64_t observed, cxl_deviation_fn fn, void *ctx)
{
	struct dstate *dv = &l->dev[k];

	for (unsigned ri = 0; ri < dv->n; ri++) {
		unsigned rspace, width;
		uint32_t roff;
		const char *rname, *rspec;
		uint64_t rval, obs = 0, bytes = 0;

		cxl_device_reg_info(dv->d, ri, &rspace, &roff, &rname, &rval);
		cxl_device_reg_detail(dv->d, ri, &width, NULL, &rspec);
		if (rspace != space || !overlap(op->offset, op->size, roff, width / 8) ||
		    cxl_device_reg_opaque(dv->d, ri))
			continue;
		for (unsigned b = 0; b < width / 8; b++) {
			uint64_t a = roff + b;

			if (a < op->offset || a >= op->offset + op->size)
				continue;
			obs |= ((observed >> (8 * (a - op->offset))) & 0xff) << (8 * b);
			bytes |= 0xffULL << (8 * b);
		}
		for (unsigned j = 0; j < cxl_device_reg_nfields(dv->d, ri); j++) {
			const char *fname, *lock;
			unsigned lo, hi, acc;
			uint64_t m;
			struct cxl_deviation d;
			bool *counted;

			cxl_device_field_info(dv->d, ri, j, &fname, &lo, &hi, &acc, &lock, NULL);
			m = (hi - lo + 1 >= 64 ? ~0ULL : ((1ULL << (hi - lo + 1)) - 1)) << lo;
			/* a read of part of a field compares the bits it read */
			m &= bytes;
			if (!m || !((obs ^ rval) & m))
				continue;
			memset(&d, 0, sizeof(d));
			d.op = opi;
			d.line = op->line;
			d.src = op->src;
			d.device = l->h->devices[k].name;
			d.reg = rname;
			d.field = fname;
			d.reg_spec = rspec;
			d.access = acc;
			d.observed = (obs & m) >> lo;
			d.expected = (rval & m) >> lo;
			cause(l, k, ri, j, m, &d, &counted);
			l->res->deviations++;
			/* a rule's deviations count once per op that raised it (on this device) */
			if (counted && !*counted) {
				mark_counted(l, k, d.rule, d.cause_op);
				l->res->deviated[d.rule]++;
			}
			if (fn)
				fn(ctx, &d);
		}
	}
}

/* After op @opi on device @k: the fields it wrote, and every field whose value changed. */
static void after_op(struct lock *l, unsigned k, unsigned long opi, const struct cxl_op *op,
		     unsigned space, bool write)
{
	struct dstate *dv = &l->dev[k];

	for (unsigned ri = 0; ri < dv->n; ri++) {
		unsigned rspace, width;
		uint32_t roff;
		uint64_t v, written = 0;

		cxl_device_reg_info(dv->d, ri, &rspace, &roff, NULL, &v);
		cxl_device_reg_detail(dv->d, ri, &width, NULL, NULL);
		if (write && rspace == space && overlap(op->offset, op->size, roff, width / 8))
			for (unsigned b = 0; b < width / 8; b++)
				if (roff + b >= op->offset && roff + b < op->offset + op->size)
					written |= 0xffULL << (8 * b);
		if (written || v != dv->snap[ri])
			touch(l, k, ri, opi, written, dv->snap[ri], v);
		dv->snap[ri] = v;
	}
}

/* Resets device @k in the model and records the reset on every register. */
static void reset_dev(struct lock *l, unsigned k, unsigned long opi, unsigned kind)
{
	struct dstate *dv = &l->dev[k];

	cxl_device_reset(dv->d, kind);
	for (unsigned ri = 0; ri < dv->n; ri++) {
		uint64_t before = dv->snap[ri];

		cxl_device_reg_info(dv->d, ri, NULL, NULL, NULL, &dv->snap[ri]);
		dv->r[ri] = (struct rstate){ opi, (uint8_t)kind, before, dv->snap[ri] };
	}
}

static void free_lock(struct lock *l)
{
	for (unsigned i = 0; i < CXL_TRACE_MAX_DEVICES; i++) {
		cxl_device_destroy(l->dev[i].d);
		free(l->dev[i].r);
		free(l->dev[i].fbase);
		free(l->dev[i].f);
		free(l->dev[i].snap);
	}
}

CXL_EXPORT
enum cxl_err cxl_conform(struct cxl_trace_reader *r, struct cxl_target *t, const char *profile,
			 cxl_deviation_fn dev_fn, cxl_skip_fn skip_fn, void *ctx,
			 struct cxl_conform_result *res, struct cxl_error *err)
{
	const struct cxl_trace_header *h = cxl_trace_header(r);
	const char *path = cxl_trace_name(r);
	struct lock *l = calloc(1, sizeof(*l));
	struct cxl_op *op = calloc(1, sizeof(*op));
	struct cxl_target_reply rep;
	enum cxl_err rc = CXL_OK;
	bool done = false;

	memset(res, 0, sizeof(*res));
	if (!l || !op) {
		free(l);
		free(op);
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	}
	l->h = h;
	l->res = res;
	for (unsigned i = 0; !rc && i < h->ndevices; i++) {
		const struct cxl_trace_device *td = &h->devices[i];
		struct cxl_device_opts o;
		const char *p = profile ? profile : td->profile[0] ? td->profile :
				h->profile[0] ? h->profile : cxl_default_profile();
		struct dstate *dv = &l->dev[i];

		cxl_trace_device_opts(td, &o);
		rc = cxl_device_create(td->name, td->model, p, &o, &dv->d, err);
		if (rc) {
			rc = cxl_error_set(err, rc, path, td->line, td->col, "device '%s': %.400s", td->name,
					   err->msg);
			break;
		}
		cxl_device_set_sink(dv->d, on_event, l);
		dv->n = cxl_device_nregs(dv->d);
		{
			unsigned nf = 0;

			dv->r = calloc(dv->n ? dv->n : 1, sizeof(*dv->r));
			dv->fbase = calloc(dv->n ? dv->n : 1, sizeof(*dv->fbase));
			dv->snap = calloc(dv->n ? dv->n : 1, sizeof(*dv->snap));
			for (unsigned ri = 0; dv->fbase && ri < dv->n; ri++) {
				dv->fbase[ri] = nf;
				nf += cxl_device_reg_nfields(dv->d, ri);
			}
			dv->f = calloc(nf ? nf : 1, sizeof(*dv->f));
			if (!dv->r || !dv->fbase || !dv->snap || !dv->f) {
				rc = cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
				break;
			}
			for (unsigned q = 0; q < nf; q++)
				dv->f[q].op = ULONG_MAX;
		}
		for (unsigned ri = 0; ri < dv->n; ri++) {
			dv->r[ri].op = ULONG_MAX;
			cxl_device_reg_info(dv->d, ri, NULL, NULL, NULL, &dv->snap[ri]);
		}
	}
	if (!rc) {
		rc = cxl_target_start(t, h, err);
		if (rc)
			rc = at_start(err, rc, path, t);
	}
	if (!rc)
		model_setup(t, l);
	for (unsigned long opi = 0; !rc; opi++) {
		struct dstate *dv;
		unsigned space;
		bool write;

		rc = cxl_trace_next(r, op, &done, err);
		if (rc || done)
			break;
		res->ops++;
		if (op->kind == CXL_OP_MARK)
			continue;
		rc = cxl_target_op(t, op, &rep, err);
		if (rc) {
			rc = at_op(err, rc, path, op);
			break;
		}
		if (rep.skipped) {
			res->skipped++;
			if (skip_fn)
				skip_fn(ctx, opi, op, rep.reason);
			continue;
		}
		dv = &l->dev[op->dev];
		l->nev = 0;
		l->cur_dev = op->dev;
		cxl_device_set_op(dv->d, opi, op->line, op->src);
		/* the model judges the target's outcome (refused or not), not the recording's */
		cxl_device_set_op_flags(dv->d, (op->flags & ~CXL_OPF_FAILED) | (rep.refused ? CXL_OPF_FAILED : 0));
		if (cxl_op_kind_access(op->kind, &space, &write)) {
			int rejected = -1;

			if (!cxl_device_access(dv->d, space, write, op->offset, op->size,
					       write ? op->value : rep.value, true, NULL)) {
				rc = cxl_error_set(err, CXL_ERR_VALUE, path, op->line, op->col,
						   "offset 0x%llx size %u is outside the %s space",
						   (unsigned long long)op->offset, op->size, cxl_space_word(space));
				break;
			}
			for (unsigned i = 0; i < l->nev; i++) {
				const struct ev *e = &l->ev[i];

				if (cxl_rule_self_judged(e->rule)) {
					/* an observation rule fired on what the target returned: its failure
					 * (the checks it passed are counted from the devices at the end) */
					struct cxl_deviation d = { opi, op->line, op->src, h->devices[op->dev].name,
						e->reg ? e->reg : "", e->field ? e->field : "", "", 0, e->new_value,
						e->old_value, CXL_CAUSE_RULE, opi, e->rule, 0 };

					res->findings++;
					res->deviated[e->rule]++;
					if (dev_fn)
						dev_fn(ctx, &d);
				} else if (e->rule != CXL_RULE_READ_MISMATCH) {
					res->exercised[e->rule]++;
				}
				if (l->ev[i].rule == CXL_RULE_ACCESS_WIDTH || l->ev[i].rule == CXL_RULE_ACCESS_ALIGN)
					rejected = (int)i;
			}
			if (!write) {
				bool mismatch = false;

				res->reads++;
				for (unsigned i = 0; i < l->nev; i++)
					mismatch |= l->ev[i].rule == CXL_RULE_READ_MISMATCH;
				if (mismatch && rejected >= 0) {
					/* a rejected read whose answer the profile knows (0) */
					struct cxl_deviation d = { opi, op->line, op->src, h->devices[op->dev].name,
						l->ev[rejected].reg, "", "", 0, rep.value, 0, CXL_CAUSE_RULE, opi,
						l->ev[rejected].rule, 0 };

					res->deviations++;
					res->deviated[d.rule]++;
					if (dev_fn)
						dev_fn(ctx, &d);
				} else if (mismatch) {
					compare(l, op->dev, opi, op, space, rep.value, dev_fn, ctx);
				}
			}
			/* the target refused an access the model takes, or took one it refuses */
			for (unsigned i = 0; i < l->nev; i++)
				if (l->ev[i].rule == CXL_RULE_ACCESS_OUTCOME_MISMATCH) {
					struct cxl_deviation d = { opi, op->line, op->src, h->devices[op->dev].name,
						"", "", "", 0, rep.refused, !rep.refused, CXL_CAUSE_RULE, opi,
						CXL_RULE_ACCESS_OUTCOME_MISMATCH, 0 };

					res->deviations++;
					res->deviated[d.rule]++;
					if (dev_fn)
						dev_fn(ctx, &d);
				}
			after_op(l, op->dev, opi, op, space, write);
		} else if (op->kind == CXL_OP_RESET) {
			reset_dev(l, op->dev, opi, op->reset);
			for (unsigned i = 0; i < h->ndevices; i++)
				if (rep.also_reset & (1ULL << i))
					reset_dev(l, i, opi, op->reset);
			model_setup(t, l);
		} else if (op->kind == CXL_OP_INJECT) {
			cxl_device_inject(dv->d, op->inject, op->bit);
			after_op(l, op->dev, opi, op, CXL_SPACE__COUNT, false);
		}
	}
	if (!rc)
		rc = cxl_trace_finish(r, NULL, err);
	/* no read compared: nothing was judged, so no rule was exercised either */
	if (!res->reads)
		memset(res->exercised, 0, sizeof(res->exercised));
	/* observation rules: every check the model made of what the target returned */
	for (unsigned i = 0; i < h->ndevices; i++)
		for (unsigned k = 0; l->dev[i].d && k < CXL_RULE__COUNT; k++)
			if (cxl_rule_self_judged(k))
				res->exercised[k] += cxl_device_rule_checks(l->dev[i].d, k);
	free_lock(l);
	free(l);
	free(op);
	return rc;
}
