/* SPDX-License-Identifier: MIT */
/*
 * hdm.c - HDM decoder behaviour: the commit protocol and decoder reprogramming.
 *
 * CXL r3.1 §8.2.4.20.12 (Committing Decoder Programming); Lock-On-Commit (§8.2.4.20.13) is
 * data (the structure's decoder lock, evaluated by the attribute engine). Where
 * implementations differ the profile's hdm: knobs decide (spec/profiles/cxl-3.1.yaml gives
 * the spec's values):
 * - commit-checks: which §8.2.4.20.12 checks run when Commit is set and whether a failure
 *   fails the commit always or only with Lock On Commit set (else it is a warning and the
 *   decoder commits). The checks: address order against decoder m-1, no wrap, size multiple
 *   of 3 for 3/6/12-way, distinct targets, decoder m-1 committed, reserved or unadvertised
 *   IG/IW encodings, the UIO decoder limit.
 * - recommit: whether every Control write with Commit=1 commits again, not only 0->1.
 * - on-commit-clear / on-uncommit-clear: Control bits a completed commit, and Commit 1->0 on
 *   an unlocked decoder, clear.
 * Spec choices, each tested: Commit 0->1 sets Committed or Error Not Committed within the
 * write (the model has no clock; the spec's 10 ms bound is met trivially); size 0 commits
 * (compliance test 14.13.10); a changed Base/Size/Target List/DPA Skip/IG/IW of a committed
 * unlocked decoder takes effect with hdm.reprogram-committed (undefined per spec).
 */
#include <string.h>

#include "core_priv.h"

#define CTRL(field) CXL_F_HDM_DECODER_CONTROL_##field##_MASK
#define CAP(field) CXL_F_HDM_DECODER_CAPABILITY_##field##_MASK

/* The decoder registers a write to which may reprogram or commit the decoder. */
static const unsigned decoder_regs[] = {
	CXL_R_HDM_DECODER_BASE_LO, CXL_R_HDM_DECODER_BASE_HI, CXL_R_HDM_DECODER_SIZE_LO,
	CXL_R_HDM_DECODER_SIZE_HI, CXL_R_HDM_DECODER_CONTROL, CXL_R_HDM_DECODER_TL_LO,
	CXL_R_HDM_DECODER_TL_HI, CXL_R_HDM_DECODER_SKIP_LO, CXL_R_HDM_DECODER_SKIP_HI,
};

static uint64_t field(uint64_t v, uint64_t mask)
{
	return mask ? (v & mask) >> __builtin_ctzll(mask) : 0;
}

/* Value of decoder @n's register @reg (CXL_R_HDM_DECODER_...), 0 when absent. */
static uint64_t dval(const struct cxl_device *d, const struct cxl_block *b, unsigned reg, unsigned n)
{
	return cxl_reg_value(d, cxl_block_reg(b, reg, n));
}

/* A Low/High register pair of decoder @n as one 64-bit value. */
static uint64_t pair(const struct cxl_device *d, const struct cxl_block *b, unsigned lo,
		     unsigned hi, unsigned n)
{
	return (dval(d, b, hi, n) << 32) | (dval(d, b, lo, n) & 0xffffffffULL);
}

static uint64_t ctrl(const struct cxl_device *d, const struct cxl_block *b, unsigned n)
{
	return dval(d, b, CXL_R_HDM_DECODER_CONTROL, n);
}

/* True for the port variant (host bridge, switch USP): decoders have a Target List. */
static bool is_port(const struct cxl_block *b)
{
	return cxl_block_reg(b, CXL_R_HDM_DECODER_TL_LO, 0) >= 0;
}

/* Firmware-committed start: decoder 0 at @base/@size, Commit+Committed+LOC, HDM enabled. */
static void fw_commit(struct cxl_device *d, struct cxl_block *b, uint64_t base, uint64_t size)
{
	int bl = cxl_block_reg(b, CXL_R_HDM_DECODER_BASE_LO, 0);
	int bh = cxl_block_reg(b, CXL_R_HDM_DECODER_BASE_HI, 0);
	int sl = cxl_block_reg(b, CXL_R_HDM_DECODER_SIZE_LO, 0);
	int sh = cxl_block_reg(b, CXL_R_HDM_DECODER_SIZE_HI, 0);
	int c = cxl_block_reg(b, CXL_R_HDM_DECODER_CONTROL, 0);
	int g = cxl_block_reg(b, CXL_R_HDM_DECODER_GLOBAL_CONTROL, 0);

	if (c < 0)
		return;
	d->regs[bl].value = base & CXL_F_HDM_DECODER_BASE_LO_MEMORY_BASE_LOW_MASK;
	d->regs[bh].value = base >> 32;
	d->regs[sl].value = size & CXL_F_HDM_DECODER_SIZE_LO_MEMORY_SIZE_LOW_MASK;
	d->regs[sh].value = size >> 32;
	d->regs[c].value |= CTRL(LOCK_ON_COMMIT) | CTRL(COMMIT) | CTRL(COMMITTED);
	if (g >= 0)
		d->regs[g].value |= CXL_F_HDM_DECODER_GLOBAL_CONTROL_HDM_DECODER_ENABLE_MASK;
}

/*
 * Fills Decoder Count with the encoding of the instantiated count (§8.2.4.20.1), watches
 * every decoder register, applies a firmware-committed start.
 */
static enum cxl_err hdm_bind(struct cxl_device *d, struct cxl_block *b,
			     const struct cxl_device_opts *opts, struct cxl_error *err)
{
	int cap = cxl_block_reg(b, CXL_R_HDM_DECODER_CAPABILITY, 0);
	unsigned enc;

	if (!cxl_decoder_count_enc(b->ninst, &enc)) {
		char list[160] = "";
		size_t n = 0;
		unsigned c, k = 0;

		/* the encodable counts, from the Decoder Count decode: table (§8.2.4.20.1) */
		for (unsigned e = 0; e < 1u << CXL_F_HDM_DECODER_CAPABILITY_DECODER_COUNT_LENGTH && n < sizeof(list); e++)
			if (cxl_decoder_count(e, &c))
				n += cxl_fmt(list + n, sizeof(list) - n, "%s%u", k++ ? ", " : "", c);
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
				     "hdm-decoders: %u is not an encodable decoder count (%s)", b->ninst, list);
	}
	if (cap >= 0) {
		struct cxl_reg_inst *c = &d->regs[cap];
		uint64_t m = CAP(DECODER_COUNT);
		uint64_t v = (uint64_t)enc << CXL_F_HDM_DECODER_CAPABILITY_DECODER_COUNT_SHIFT;

		c->reset_value = (c->reset_value & ~m) | v;
		c->value = (c->value & ~m) | v;
	}
	for (unsigned n = 0; n < b->ninst; n++)
		for (unsigned k = 0; k < sizeof(decoder_regs) / sizeof(decoder_regs[0]); k++) {
			int ri = cxl_block_reg(b, decoder_regs[k], n);

			if (ri >= 0)
				d->regs[ri].hooked = true;
		}
	if (opts && opts->fw_committed && cxl_dev_block(d, CXL_S_HDM_DECODER) == b)
		fw_commit(d, b, opts->fw_base, opts->fw_size);
	return CXL_OK;
}

struct check {
	unsigned rule;
	struct cxl_detail_args det;
};

/* Appends a failed check to @out[*k] when the profile runs it. */
static void add(struct check *out, unsigned *k, unsigned rule, unsigned kind, uint64_t a0,
		uint64_t a1, uint64_t a2)
{
	out[*k] = (struct check){ rule, { kind, { a0, a1, a2, 0 }, NULL } };
	(*k)++;
}

/* Runs the §8.2.4.20.12 checks for decoder @n; returns the number of failures in @out. */
static unsigned commit_checks(const struct cxl_device *d, const struct cxl_block *b, unsigned n,
			      struct check *out)
{
	uint64_t c = ctrl(d, b, n);
	uint64_t cap = cxl_reg_value(d, cxl_block_reg(b, CXL_R_HDM_DECODER_CAPABILITY, 0));
	uint64_t base = pair(d, b, CXL_R_HDM_DECODER_BASE_LO, CXL_R_HDM_DECODER_BASE_HI, n);
	uint64_t size = pair(d, b, CXL_R_HDM_DECODER_SIZE_LO, CXL_R_HDM_DECODER_SIZE_HI, n);
	unsigned ig = (unsigned)field(c, CTRL(IG)), iw = (unsigned)field(c, CTRL(IW));
	unsigned ways = 0, k = 0;
	bool port = is_port(b);

	/* Encodings (§8.2.4.20.7) decoded by cxlemu/decode.h; ways stays 0 when reserved. */
	if (!cxl_ig_bytes(ig, NULL) || !cxl_iw_ways(iw, &ways)) {
		ways = 0;
		add(out, &k, CXL_RULE_HDM_COMMIT_ENCODING, CXL_DETAIL_CHECK_ENCODING, ig, iw, 0);
	} else if ((ways == 16 && !(cap & CAP(INTERLEAVE_16_WAY_CAPABLE))) ||
		   (ways % 3 == 0 && (port || !(cap & CAP(INTERLEAVE_3_6_12_WAY_CAPABLE)))) ||
		   (port && ways > field(cap, CAP(TARGET_COUNT)))) {
		add(out, &k, CXL_RULE_HDM_COMMIT_ENCODING, CXL_DETAIL_CHECK_WAYS, ways, 0, 0);
	}
	if (c & CTRL(UIO)) {
		unsigned used = 1;

		for (unsigned m = 0; m < b->ninst; m++)
			if (m != n && (ctrl(d, b, m) & CTRL(UIO)) && (ctrl(d, b, m) & CTRL(COMMITTED)))
				used++;
		if (used > field(cap, CAP(UIO_CAPABLE_DECODER_COUNT)))
			add(out, &k, CXL_RULE_HDM_COMMIT_UIO_LIMIT, CXL_DETAIL_CHECK_UIO, used,
			    field(cap, CAP(UIO_CAPABLE_DECODER_COUNT)), 0);
	}
	if (n > 0) {
		uint64_t pbase = pair(d, b, CXL_R_HDM_DECODER_BASE_LO, CXL_R_HDM_DECODER_BASE_HI, n - 1);
		uint64_t psize = pair(d, b, CXL_R_HDM_DECODER_SIZE_LO, CXL_R_HDM_DECODER_SIZE_HI, n - 1);
		unsigned __int128 pend = (unsigned __int128)pbase + psize;

		if (!(ctrl(d, b, n - 1) & CTRL(COMMITTED)))
			add(out, &k, CXL_RULE_HDM_COMMIT_ORDER, CXL_DETAIL_CHECK_ORDER, n - 1, 0, 0);
		if ((unsigned __int128)base < pend)
			add(out, &k, CXL_RULE_HDM_COMMIT_OVERLAP, CXL_DETAIL_CHECK_OVERLAP, base, n - 1,
			    pbase + psize);
	}
	if (size && (unsigned __int128)base + size > ((unsigned __int128)1 << 64))
		add(out, &k, CXL_RULE_HDM_COMMIT_WRAP, CXL_DETAIL_CHECK_WRAP, base, size, 0);
	if (ways && ways % 3 == 0 && size % 3)
		add(out, &k, CXL_RULE_HDM_COMMIT_SIZE_MOD3, CXL_DETAIL_CHECK_MOD3, ways, size, 0);
	if (port && ways && ways <= 8 && !(ways % 3 == 0)) {
		uint64_t tl = pair(d, b, CXL_R_HDM_DECODER_TL_LO, CXL_R_HDM_DECODER_TL_HI, n);

		for (unsigned x = 0; x < ways; x++)
			for (unsigned y = x + 1; y < ways; y++)
				if (((tl >> (8 * x)) & 0xff) == ((tl >> (8 * y)) & 0xff) &&
				    !(k && out[k - 1].rule == CXL_RULE_HDM_COMMIT_DUP_TARGET))
					add(out, &k, CXL_RULE_HDM_COMMIT_DUP_TARGET, CXL_DETAIL_CHECK_DUP,
					    x, y, (tl >> (8 * x)) & 0xff);
	}
	return k;
}

/* The profile's entry for commit check @rule, or NULL when its device does not run it. */
static const struct cxl_check_spec *profile_check(const struct cxl_profile_spec *p, unsigned rule)
{
	for (unsigned i = 0; i < p->ncheck; i++)
		if (cxl_spec_checks[p->check0 + i].rule == rule)
			return &cxl_spec_checks[p->check0 + i];
	return NULL;
}

/* Commit decoder @n (Control register @ri): run the checks, then set Committed or ENC. */
static void commit(struct cxl_device *d, const struct cxl_block *b, int ri, unsigned n)
{
	struct cxl_reg_inst *r = &d->regs[ri];
	struct check chk[16];
	unsigned k = commit_checks(d, b, n, chk);
	bool loc = (r->value & CTRL(LOCK_ON_COMMIT)) != 0, fail = false;

	for (unsigned i = 0; i < k; i++) {
		const struct cxl_check_spec *cs = profile_check(d->prof, chk[i].rule);
		bool err;

		if (!cs)
			continue;
		err = cs->fails == CXL_FAILS_ALWAYS || loc;
		fail |= err;
		chk[i].det.arg[3] = err;
		cxl_emit(d, chk[i].rule, err ? CXL_SEV_ERROR : CXL_SEV_WARNING, r,
			 CXL_F_HDM_DECODER_CONTROL_COMMIT_NAME, 0, 1, &chk[i].det);
	}
	if (fail)
		r->value = (r->value & ~CTRL(COMMITTED)) | CTRL(ERROR_NOT_COMMITTED);
	else
		r->value = (r->value & ~CTRL(ERROR_NOT_COMMITTED)) | CTRL(COMMITTED);
	r->value &= ~d->prof->on_commit_clear;
}

/* Fields of a decoder register that "program" it: those that take writes, less Commit/LOC. */
static uint64_t programming_mask(const struct cxl_device *d, const struct cxl_reg_inst *r)
{
	uint64_t m = 0;

	for (uint32_t j = 0; j < r->nfields; j++)
		if (cxl_spec_attrs[d->fields[r->field0 + j].access].write == CXL_WRITE_TAKE)
			m |= d->fields[r->field0 + j].mask;
	if (r->spec == &cxl_spec_regs[CXL_R_HDM_DECODER_CONTROL])
		m &= ~(CTRL(COMMIT) | CTRL(LOCK_ON_COMMIT));
	return m;
}

/* A decoder register of decoder r->instance was written. */
static void hdm_written(struct cxl_device *d, int ri, uint64_t old_value, uint64_t written,
			uint64_t be)
{
	struct cxl_reg_inst *r = &d->regs[ri];
	const struct cxl_block *b = r->blk;
	unsigned n = r->instance;
	int ci = cxl_block_reg(b, CXL_R_HDM_DECODER_CONTROL, n);
	uint64_t old_ctrl = ri == ci ? old_value : cxl_reg_value(d, ci);
	uint64_t pm = programming_mask(d, r), cm = CTRL(COMMIT);

	if ((old_ctrl & CTRL(COMMITTED)) && ((old_value ^ r->value) & pm)) {
		struct cxl_detail_args det = { CXL_DETAIL_REPROGRAM,
			{ old_value & pm, r->value & pm, n, 0 }, NULL };

		cxl_emit(d, CXL_RULE_HDM_REPROGRAM_COMMITTED, -1, r, "", old_value & pm,
			 r->value & pm, &det);
	}
	if (ri != ci)
		return;
	/* Commit on 0->1, or (recommit) on every write that writes Commit=1. */
	if ((r->value & cm) &&
	    (!(old_value & cm) || (d->prof->recommit && (be & cm) && (written & cm))))
		commit(d, b, ri, n);
	else if ((old_value & cm) && !(r->value & cm))
		r->value &= ~d->prof->on_uncommit_clear;
}

const struct cxl_behaviour cxl_hdm_behaviour = {
	.bind = hdm_bind,
	.written = hdm_written,
};

CXL_EXPORT
unsigned cxl_device_decoders(const struct cxl_device *dc, struct cxl_decoder_prog *p,
			     unsigned max, bool *port)
{
	struct cxl_device *d = (struct cxl_device *)dc;
	const struct cxl_block *b = cxl_dev_block(d, CXL_S_HDM_DECODER);
	unsigned n;

	if (port)
		*port = b && is_port(b);
	if (!b)
		return 0;
	n = b->ninst < max ? b->ninst : max;
	for (unsigned i = 0; i < n; i++) {
		uint64_t c = ctrl(d, b, i);
		uint64_t tl = pair(d, b, CXL_R_HDM_DECODER_TL_LO, CXL_R_HDM_DECODER_TL_HI, i);

		memset(&p[i], 0, sizeof(p[i]));
		p[i].committed = (c & CTRL(COMMITTED)) != 0;
		p[i].base = pair(d, b, CXL_R_HDM_DECODER_BASE_LO, CXL_R_HDM_DECODER_BASE_HI, i);
		p[i].size = pair(d, b, CXL_R_HDM_DECODER_SIZE_LO, CXL_R_HDM_DECODER_SIZE_HI, i);
		p[i].ig = (unsigned)field(c, CTRL(IG));
		p[i].iw = (unsigned)field(c, CTRL(IW));
		p[i].dpa_skip = pair(d, b, CXL_R_HDM_DECODER_SKIP_LO, CXL_R_HDM_DECODER_SKIP_HI, i);
		for (unsigned w = 0; w < 8; w++)
			p[i].targets[w] = (uint8_t)(tl >> (8 * w));
	}
	return n;
}
