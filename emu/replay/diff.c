/* SPDX-License-Identifier: MIT */
/*
 * diff.c - two personalities side by side on one trace (cxl_diff(), cxlemu/conform.h).
 *
 * Every device of the trace is built twice, under profile A and under profile B, and every op
 * is applied to both. After each op the two are compared where software could see it: a read
 * returns the same value on both, and the op raised the same events (rule and field) on both.
 * Each difference is reported with the register and fields a read differs in, or the rules
 * only one side raised. Recorded read values are ignored: this compares the personalities
 * with each other, not with a recording. Memory is bounded by the devices, not the trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/conform.h"
#include "cxlemu/device.h"

#define CXL_EXPORT __attribute__((visibility("default")))
#define OP_EVENTS 256   /* per op; one access raises at most one event per field it touches (<= 64) plus a few */

struct side {
	struct cxl_device *dev[CXL_TRACE_MAX_DEVICES];
	struct { unsigned rule; const char *field; } ev[OP_EVENTS];
	unsigned nev;
};

static void on_event(void *ctx, const struct cxl_event *e)
{
	struct side *s = ctx;

	if (s->nev < OP_EVENTS)
		s->ev[s->nev++] = (typeof(s->ev[0])){ e->rule, e->field };
}

/* Appends "RULE (FIELD)" of every event of @x that @y lacks to @buf. */
static void only_in(const struct side *x, const struct side *y, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < x->nev; i++) {
		bool found = false;

		for (unsigned j = 0; j < y->nev && !found; j++)
			found = x->ev[i].rule == y->ev[j].rule && !strcmp(x->ev[i].field, y->ev[j].field);
		/* the same rule and field twice in @x counts once */
		for (unsigned j = 0; j < i && !found; j++)
			found = x->ev[i].rule == x->ev[j].rule && !strcmp(x->ev[i].field, x->ev[j].field);
		if (!found && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s%s%s%s", n ? ", " : "",
					      cxl_rule_id(x->ev[i].rule), x->ev[i].field[0] ? " (" : "",
					      x->ev[i].field, x->ev[i].field[0] ? ")" : "");
	}
}

/* Names the registers and fields of @d where the read values @va and @vb differ. */
static void differing(const struct cxl_device *d, unsigned space, uint64_t off, unsigned size,
		      uint64_t va, uint64_t vb, char *reg, size_t rlen, char *fields, size_t flen)
{
	size_t nf = 0;

	reg[0] = fields[0] = '\0';
	for (unsigned ri = 0; ri < cxl_device_nregs(d); ri++) {
		unsigned rspace, width;
		uint32_t roff;
		const char *rname;
		uint64_t a = 0, b = 0, bytes = 0;

		cxl_device_reg_info(d, ri, &rspace, &roff, &rname, NULL);
		cxl_device_reg_detail(d, ri, &width, NULL, NULL);
		if (rspace != space || roff + width / 8 <= off || roff >= off + size)
			continue;
		for (unsigned k = 0; k < width / 8; k++) {
			uint64_t at = roff + k;

			if (at < off || at >= off + size)
				continue;
			a |= ((va >> (8 * (at - off))) & 0xff) << (8 * k);
			b |= ((vb >> (8 * (at - off))) & 0xff) << (8 * k);
			bytes |= 0xffULL << (8 * k);
		}
		if (!((a ^ b) & bytes))
			continue;
		if (!reg[0])
			snprintf(reg, rlen, "%s", rname);
		for (unsigned j = 0; j < cxl_device_reg_nfields(d, ri); j++) {
			const char *fname;
			unsigned lo, hi;
			uint64_t m;

			cxl_device_field_info(d, ri, j, &fname, &lo, &hi, NULL, NULL, NULL);
			m = (hi - lo + 1 >= 64 ? ~0ULL : ((1ULL << (hi - lo + 1)) - 1)) << lo;
			if (((a ^ b) & m & bytes) && nf < flen)
				nf += (size_t)snprintf(fields + nf, flen - nf, "%s%s", nf ? ", " : "", fname);
		}
	}
}

static void free_side(struct side *s)
{
	for (unsigned i = 0; i < CXL_TRACE_MAX_DEVICES; i++)
		cxl_device_destroy(s->dev[i]);
}

CXL_EXPORT
enum cxl_err cxl_diff(struct cxl_trace_reader *r, const char *profile_a, const char *profile_b,
		      cxl_difference_fn fn, void *ctx, struct cxl_diff_result *res,
		      struct cxl_error *err)
{
	const struct cxl_trace_header *h = cxl_trace_header(r);
	const char *path = cxl_trace_name(r);
	struct side *s = calloc(2, sizeof(*s));
	struct cxl_op *op = calloc(1, sizeof(*op));
	const char *prof[2] = { profile_a, profile_b };
	enum cxl_err rc = CXL_OK;
	bool done = false;

	memset(res, 0, sizeof(*res));
	if (!s || !op) {
		free(s);
		free(op);
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	}
	for (unsigned k = 0; k < 2 && !rc; k++)
		for (unsigned i = 0; i < h->ndevices && !rc; i++) {
			const struct cxl_trace_device *td = &h->devices[i];
			struct cxl_device_opts o;

			cxl_trace_device_opts(td, &o);
			rc = cxl_device_create(td->name, td->model, prof[k], &o, &s[k].dev[i], err);
			if (rc)
				rc = cxl_error_set(err, rc, path, td->line, td->col, "device '%s': %.400s",
						   td->name, err->msg);
			else
				cxl_device_set_sink(s[k].dev[i], on_event, &s[k]);
		}
	for (unsigned long opi = 0; !rc; opi++) {
		struct cxl_difference d;
		uint64_t v[2] = { 0, 0 };
		unsigned space;
		bool write, access;

		rc = cxl_trace_next(r, op, &done, err);
		if (rc || done)
			break;
		res->ops++;
		if (op->kind == CXL_OP_MARK)
			continue;
		access = cxl_op_kind_access(op->kind, &space, &write);
		for (unsigned k = 0; k < 2; k++) {
			struct cxl_device *dv = s[k].dev[op->dev];

			s[k].nev = 0;
			cxl_device_set_op(dv, opi, op->line, op->src);
			cxl_device_set_op_flags(dv, op->flags);
			if (access && !cxl_device_access(dv, space, write, op->offset, op->size, op->value,
							 false, &v[k])) {
				rc = cxl_error_set(err, CXL_ERR_VALUE, path, op->line, op->col,
						   "offset 0x%llx size %u is outside the %s space",
						   (unsigned long long)op->offset, op->size, cxl_space_word(space));
				break;
			}
			if (op->kind == CXL_OP_RESET)
				cxl_device_reset(dv, op->reset);
			else if (op->kind == CXL_OP_INJECT)
				cxl_device_inject(dv, op->inject, op->bit);
		}
		if (rc)
			break;
		memset(&d, 0, sizeof(d));
		d.op = opi;
		d.line = op->line;
		d.src = op->src;
		d.device = h->devices[op->dev].name;
		if (access && !write) {
			res->reads++;
			if (v[0] != v[1]) {
				d.is_read = true;
				d.value_a = v[0];
				d.value_b = v[1];
				differing(s[0].dev[op->dev], space, op->offset, op->size, v[0], v[1], d.reg,
					  sizeof(d.reg), d.fields, sizeof(d.fields));
				res->read_diffs++;
				if (fn)
					fn(ctx, &d);
			}
		}
		only_in(&s[0], &s[1], d.rules_a, sizeof(d.rules_a));
		only_in(&s[1], &s[0], d.rules_b, sizeof(d.rules_b));
		if (d.rules_a[0] || d.rules_b[0]) {
			d.is_read = false;
			d.reg[0] = d.fields[0] = '\0';
			res->event_diffs++;
			if (fn)
				fn(ctx, &d);
		}
	}
	if (!rc)
		rc = cxl_trace_finish(r, NULL, err);
	free_side(&s[0]);
	free_side(&s[1]);
	free(s);
	free(op);
	return rc;
}
