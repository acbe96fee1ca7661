/* SPDX-License-Identifier: MIT */
/*
 * generate.c - seeded random stress traces for one device model (cxl_trace_generate()).
 *
 * The differential suite runs these on a live implementation and replays the recording
 * under a personality: every read must match. So the generator covers what a personality
 * can get wrong: writes of random, all-ones, zero and single-bit values to every modelled
 * register (config accesses also as single bytes and words), reads of them, commits and
 * uncommits of every HDM decoder, and every reset kind the caller allows, then reads every
 * register once more at the end. Reads carry no value: a recording fills them in. Writes
 * to registers the model does not model (opaque) are left out, since nothing can judge
 * what they do. The stream depends on the seed and the model's layout only (a 64-bit
 * SplitMix generator, no clock), so the same seed gives the same trace everywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/device.h"
#include "cxlemu/trace.h"

#define CXL_EXPORT __attribute__((visibility("default")))

/* SplitMix64 (Steele, Lea, Flood 2014): a full-period 64-bit generator, state += gamma. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform number in [0, n). */
static unsigned below(uint64_t *s, unsigned n)
{
	return n ? (unsigned)(next(s) % n) : 0;
}

struct reg {
	unsigned space, width;   /* bytes */
	uint32_t offset;
	bool opaque;
};

struct gen {
	uint64_t seed;
	struct reg *regs;
	unsigned nregs;
	int ctrl[32];            /* register index of HDM Decoder n Control */
	unsigned ndec;
	unsigned resets[CXL_RESET__COUNT], nresets;
	struct cxl_trace_builder *b;
	struct cxl_op op;
	struct cxl_error *err;
};

/* A value worth writing to a @width-byte register. */
static uint64_t value(struct gen *g, unsigned width)
{
	uint64_t mask = width >= 8 ? ~0ULL : (1ULL << (8 * width)) - 1;

	switch (below(&g->seed, 8)) {
	case 0: return 0;
	case 1: return mask;
	case 2:
	case 3: return (1ULL << below(&g->seed, 8 * width)) & mask;
	default: return next(&g->seed) & mask;
	}
}

static enum cxl_err emit(struct gen *g)
{
	return cxl_trace_builder_op(g->b, &g->op, g->err);
}

/* An access op: @write of @size bytes at @offset of @space (value for writes). */
static enum cxl_err access(struct gen *g, unsigned space, bool write, uint64_t offset,
			   unsigned size, uint64_t v)
{
	memset(&g->op, 0, sizeof(g->op));
	g->op.kind = space == CXL_SPACE_CONFIG ? (write ? CXL_OP_CFG_WRITE : CXL_OP_CFG_READ) :
		     (write ? CXL_OP_MMIO_WRITE : CXL_OP_MMIO_READ);
	g->op.offset = offset;
	g->op.size = size;
	g->op.value = write ? v : 0;
	return emit(g);
}

/* One access to register @r: whole, or (config) one aligned byte or word of it. */
static enum cxl_err touch(struct gen *g, const struct reg *r, bool write)
{
	unsigned size = r->width, at = 0;

	if (r->space == CXL_SPACE_CONFIG && below(&g->seed, 4) == 0) {
		size = r->width >= 2 && below(&g->seed, 2) ? 2 : 1;
		if (size > r->width)
			size = r->width;
		at = below(&g->seed, r->width / size) * size;
	}
	if (r->space == CXL_SPACE_CONFIG && size == 8) {
		/* config accesses are at most 4 bytes: one half */
		size = 4;
		at = 4 * below(&g->seed, 2);
	}
	return access(g, r->space, write, r->offset + at, size, value(g, size));
}

/* A commit or uncommit of a random decoder: Control with Commit set (IG/IW mostly valid) or clear. */
static enum cxl_err commit(struct gen *g)
{
	const struct reg *r = &g->regs[g->ctrl[below(&g->seed, g->ndec)]];
	uint64_t v = below(&g->seed, 3) ? CXL_F_HDM_DECODER_CONTROL_COMMIT_MASK : 0;

	v |= below(&g->seed, 7) << CXL_F_HDM_DECODER_CONTROL_IG_SHIFT;      /* 256 B .. 16 KiB */
	if (below(&g->seed, 4) == 0)
		v |= (uint64_t)below(&g->seed, 16) << CXL_F_HDM_DECODER_CONTROL_IW_SHIFT;
	if (below(&g->seed, 3) == 0)
		v |= CXL_F_HDM_DECODER_CONTROL_LOCK_ON_COMMIT_MASK;
	return access(g, r->space, true, r->offset, r->width, v);
}

static enum cxl_err reset(struct gen *g)
{
	memset(&g->op, 0, sizeof(g->op));
	g->op.kind = CXL_OP_RESET;
	g->op.reset = (enum cxl_reset_kind)g->resets[below(&g->seed, g->nresets)];
	return emit(g);
}

/* Lists the model's registers and decoder Control registers from a throwaway instance. */
static enum cxl_err scan(struct gen *g, const char *model, struct cxl_error *err)
{
	struct cxl_device *d;
	enum cxl_err rc = cxl_device_create("gen", model, cxl_default_profile(), NULL, &d, err);

	if (rc)
		return rc;
	g->nregs = cxl_device_nregs(d);
	g->regs = calloc(g->nregs ? g->nregs : 1, sizeof(*g->regs));
	if (!g->regs) {
		cxl_device_destroy(d);
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	}
	for (unsigned i = 0; i < g->nregs; i++) {
		unsigned bits;

		cxl_device_reg_info(d, i, &g->regs[i].space, &g->regs[i].offset, NULL, NULL);
		cxl_device_reg_detail(d, i, &bits, NULL, NULL);
		g->regs[i].width = bits / 8;
		g->regs[i].opaque = cxl_device_reg_opaque(d, i);
	}
	for (unsigned n = 0; n < 32; n++) {
		char name[64];
		int ri;

		snprintf(name, sizeof(name), "HDM Decoder %u Control", n);
		ri = cxl_device_find_reg(d, name);
		if (ri < 0)
			break;
		g->ctrl[g->ndec++] = ri;
	}
	cxl_device_destroy(d);
	return CXL_OK;
}

CXL_EXPORT
enum cxl_err cxl_trace_generate(const struct cxl_generate_opts *o, struct cxl_trace_reader **out,
				struct cxl_error *err)
{
	struct gen g = { .seed = o->seed, .err = err };
	unsigned long sweep, body;
	unsigned writable = 0;
	enum cxl_err rc;
	struct cxl_trace_header *h;
	int k;

	if (cxl_model_lookup(o->model) < 0)
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "unknown model '%s'", o->model);
	if (o->ops < 1 || o->ops > 100000000UL)
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "ops must be 1..100000000");
	for (unsigned i = 0; i < CXL_RESET__COUNT; i++)
		if (o->resets & (1u << i))
			g.resets[g.nresets++] = i;
	rc = scan(&g, o->model, err);
	if (rc)
		return rc;
	for (unsigned i = 0; i < g.nregs; i++)
		writable += !g.regs[i].opaque;
	rc = cxl_trace_builder_new("generated", &g.b, err);
	if (rc) {
		free(g.regs);
		return rc;
	}
	h = cxl_trace_builder_header(g.b);
	snprintf(h->description, sizeof(h->description),
		 "random stress of %s: seed %llu, %lu ops (cxlemu generate)", o->model,
		 (unsigned long long)o->seed, o->ops);
	k = cxl_trace_builder_device(g.b, "dut", o->model, "");
	if (k < 0) {
		rc = cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "cannot add the device");
		goto out;
	}
	/* the body, then one read of every register (as much of it as the budget allows) */
	sweep = g.nregs < o->ops / 2 ? g.nregs : o->ops / 2;
	body = o->ops - sweep;
	for (unsigned long i = 0; !rc && i < body; i++) {
		unsigned pick = below(&g.seed, 100);
		const struct reg *r = &g.regs[below(&g.seed, g.nregs)];

		if (pick < 4 && g.nresets)
			rc = reset(&g);
		else if (pick < 12 && g.ndec)
			rc = commit(&g);
		else if (pick < 55 && writable) {
			while (r->opaque)
				r = &g.regs[below(&g.seed, g.nregs)];
			rc = touch(&g, r, true);
		} else {
			rc = touch(&g, r, false);
		}
	}
	for (unsigned long i = 0; !rc && i < sweep; i++)
		rc = access(&g, g.regs[i].space, false, g.regs[i].offset,
			    g.regs[i].space == CXL_SPACE_CONFIG && g.regs[i].width > 4 ? 4 : g.regs[i].width, 0);
	if (!rc) {
		rc = cxl_trace_builder_finish(g.b, out, err);
		g.b = NULL;
	}
out:
	cxl_trace_builder_free(g.b);
	free(g.regs);
	return rc;
}
