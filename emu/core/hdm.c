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

/*
 * Programs the decoders as the host left them (cxl_device_opts host, fw_committed): Base,
 * Size, Commit + Committed when committed, Lock On Commit when locked, and HDM Decoder Enable
 * when any is committed. The registers hold their reset values when this runs.
 */
static void host_program(struct cxl_device *d, struct cxl_block *b)
{
	int g = cxl_block_reg(b, CXL_R_HDM_DECODER_GLOBAL_CONTROL, 0);
	bool any = false;

	for (unsigned n = 0; n < b->ninst && n < CXL_HOST_DECODERS_MAX; n++) {
		const struct cxl_host_decoder *h = &d->host[n];
		int bl = cxl_block_reg(b, CXL_R_HDM_DECODER_BASE_LO, n);
		int bh = cxl_block_reg(b, CXL_R_HDM_DECODER_BASE_HI, n);
		int sl = cxl_block_reg(b, CXL_R_HDM_DECODER_SIZE_LO, n);
		int sh = cxl_block_reg(b, CXL_R_HDM_DECODER_SIZE_HI, n);
		int c = cxl_block_reg(b, CXL_R_HDM_DECODER_CONTROL, n);

		if (!h->set || c < 0)
			continue;
		cxl_set(d, (unsigned)bl, h->base & CXL_F_HDM_DECODER_BASE_LO_MEMORY_BASE_LOW_MASK);
		cxl_set(d, (unsigned)bh, h->base >> 32);
		cxl_set(d, (unsigned)sl, h->size & CXL_F_HDM_DECODER_SIZE_LO_MEMORY_SIZE_LOW_MASK);
		cxl_set(d, (unsigned)sh, h->size >> 32);
		if (h->committed)
			cxl_set(d, (unsigned)c, d->regs[c].value | (CTRL(COMMIT) | CTRL(COMMITTED)));
		if (h->locked)
			cxl_set(d, (unsigned)c, d->regs[c].value | (CTRL(LOCK_ON_COMMIT)));
		any |= h->committed;
	}
	if (any && g >= 0)
		cxl_set(d, (unsigned)g, d->regs[g].value | (CXL_F_HDM_DECODER_GLOBAL_CONTROL_HDM_DECODER_ENABLE_MASK));
}

/*
 * The snapshot a kernel shadow takes of the host's decoders (profile shadow: hdm). At
 * creation the registers are the host's; after a reset kind in hdm take: they are taken from
 * the host again (the host device keeps its decoders: writes through the shadow never reach
 * it). hide: locked hands a committed decoder with Lock On Commit over with Lock On Commit
 * clear and Base 0, hiding the host address (vfio-cxl v2 vfio_cxl_reinit_comp_regs(),
 * vfio-cxl-shadow.md §1.3).
 */
static void hdm_take(struct cxl_device *d, struct cxl_block *b, int kind)
{
	if (kind >= 0 && !(d->prof->hdm_take & (1u << kind)))
		return;
	if (kind >= 0)
		cxl_host_block_after_reset(d, b, (unsigned)kind);
	host_program(d, b);
	if (d->prof->hdm_hide != CXL_HIDE_LOCKED)
		return;
	for (unsigned n = 0; n < b->ninst; n++) {
		int c = cxl_block_reg(b, CXL_R_HDM_DECODER_CONTROL, n);
		int bl = cxl_block_reg(b, CXL_R_HDM_DECODER_BASE_LO, n);
		int bh = cxl_block_reg(b, CXL_R_HDM_DECODER_BASE_HI, n);

		if (c < 0 || !(d->regs[c].value & CTRL(COMMITTED)) ||
		    !(d->regs[c].value & CTRL(LOCK_ON_COMMIT)))
			continue;
		cxl_set(d, (unsigned)c, d->regs[c].value & (~CTRL(LOCK_ON_COMMIT)));
		cxl_set(d, (unsigned)bl, 0);
		cxl_set(d, (unsigned)bh, 0);
	}
}

/*
 * Fills Decoder Count with the encoding of the instantiated count (§8.2.4.20.1), watches
 * every decoder register, refuses host decoders the device does not have (hdm_take programs
 * the others).
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

			if (ri >= 0) {
				d->regs[ri].hooked = true;
				d->regs[ri].buddy = cxl_block_reg(b, CXL_R_HDM_DECODER_CONTROL, n);
			}
		}
	(void)opts;
	for (unsigned n = b->ninst; n < CXL_HOST_DECODERS_MAX; n++)
		if (d->host[n].set && cxl_dev_block(d, CXL_S_HDM_DECODER) == b)
			return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
					     "host decoder %u: the device has %u decoder%s", n, b->ninst,
					     b->ninst == 1 ? "" : "s");
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

/*
 * Runs the §8.2.4.20.12 checks for decoder @n; returns the number of failures in @out and
 * adds to @applied[*@napplied] every rule whose check applies to this commit (coverage: the
 * order and overlap checks need a decoder n-1, UIO a decoder with UIO set, mod3 a 3/6/12-way
 * decoder, dup-target a port decoder of 2 to 8 power-of-two ways).
 */
static unsigned commit_checks(const struct cxl_device *d, const struct cxl_block *b, unsigned n,
			      struct check *out, unsigned *applied, unsigned *napplied)
{
	uint64_t c = ctrl(d, b, n);
	uint64_t cap = cxl_reg_value(d, cxl_block_reg(b, CXL_R_HDM_DECODER_CAPABILITY, 0));
	uint64_t base = pair(d, b, CXL_R_HDM_DECODER_BASE_LO, CXL_R_HDM_DECODER_BASE_HI, n);
	uint64_t size = pair(d, b, CXL_R_HDM_DECODER_SIZE_LO, CXL_R_HDM_DECODER_SIZE_HI, n);
	unsigned ig = (unsigned)field(c, CTRL(IG)), iw = (unsigned)field(c, CTRL(IW));
	unsigned ways = 0, k = 0;
	bool port = is_port(b);

	applied[(*napplied)++] = CXL_RULE_HDM_COMMIT_ENCODING;
	applied[(*napplied)++] = CXL_RULE_HDM_COMMIT_WRAP;
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

		applied[(*napplied)++] = CXL_RULE_HDM_COMMIT_UIO_LIMIT;
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

		applied[(*napplied)++] = CXL_RULE_HDM_COMMIT_ORDER;
		applied[(*napplied)++] = CXL_RULE_HDM_COMMIT_OVERLAP;
		if (!(ctrl(d, b, n - 1) & CTRL(COMMITTED)))
			add(out, &k, CXL_RULE_HDM_COMMIT_ORDER, CXL_DETAIL_CHECK_ORDER, n - 1, 0, 0);
		if ((unsigned __int128)base < pend)
			add(out, &k, CXL_RULE_HDM_COMMIT_OVERLAP, CXL_DETAIL_CHECK_OVERLAP, base, n - 1,
			    pbase + psize);
	}
	if (size && (unsigned __int128)base + size > ((unsigned __int128)1 << 64))
		add(out, &k, CXL_RULE_HDM_COMMIT_WRAP, CXL_DETAIL_CHECK_WRAP, base, size, 0);
	if (ways && ways % 3 == 0)
		applied[(*napplied)++] = CXL_RULE_HDM_COMMIT_SIZE_MOD3;
	if (ways && ways % 3 == 0 && size % 3)
		add(out, &k, CXL_RULE_HDM_COMMIT_SIZE_MOD3, CXL_DETAIL_CHECK_MOD3, ways, size, 0);
	if (port && ways && ways <= 8 && !(ways % 3 == 0)) {
		uint64_t tl = pair(d, b, CXL_R_HDM_DECODER_TL_LO, CXL_R_HDM_DECODER_TL_HI, n);

		if (ways > 1)
			applied[(*napplied)++] = CXL_RULE_HDM_COMMIT_DUP_TARGET;
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
	unsigned applied[8], napplied = 0;
	unsigned k = commit_checks(d, b, n, chk, applied, &napplied);
	bool loc = (r->value & CTRL(LOCK_ON_COMMIT)) != 0, fail = false;

	/* coverage: the checks the profile runs that applied and passed */
	for (unsigned a = 0; a < napplied; a++) {
		bool failed = false;

		for (unsigned i = 0; i < k; i++)
			failed |= chk[i].rule == applied[a];
		if (!failed && profile_check(d->prof, applied[a]))
			cxl_held(d, applied[a]);
	}

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
		cxl_set_r(d, r, (r->value & ~CTRL(COMMITTED)) | CTRL(ERROR_NOT_COMMITTED));
	else
		cxl_set_r(d, r, (r->value & ~CTRL(ERROR_NOT_COMMITTED)) | CTRL(COMMITTED));
	cxl_set_r(d, r, r->value & (~d->prof->on_commit_clear));
}

/* Fields of a decoder register that "program" it: those that take writes, less Commit/LOC. */
static uint64_t programming_mask(const struct cxl_device *d, const struct cxl_reg_inst *r)
{
	uint64_t m = r->wm_any_take;   /* cxl_write_masks() */

	(void)d;
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
	int ci = r->buddy;        /* the decoder's Control (hdm_bind()) */
	uint64_t old_ctrl = ri == ci ? old_value : cxl_reg_value(d, ci);
	uint64_t pm = programming_mask(d, r), cm = CTRL(COMMIT);

	if (!((old_ctrl & CTRL(COMMITTED)) && ((old_value ^ r->value) & pm))) {
		if (pm & be)
			cxl_held(d, CXL_RULE_HDM_REPROGRAM_COMMITTED);
	} else {
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
		cxl_set_r(d, r, r->value & (~d->prof->on_uncommit_clear));
}

/* The bits of decoder register @r that map host addresses: Base, Size, and Control's programming. */
static uint64_t mapping_mask(const struct cxl_reg_inst *r)
{
	const struct cxl_reg_spec *s = r->spec;

	if (s == &cxl_spec_regs[CXL_R_HDM_DECODER_BASE_LO])
		return CXL_F_HDM_DECODER_BASE_LO_MEMORY_BASE_LOW_MASK;
	if (s == &cxl_spec_regs[CXL_R_HDM_DECODER_BASE_HI])
		return CXL_F_HDM_DECODER_BASE_HI_MEMORY_BASE_HIGH_MASK;
	if (s == &cxl_spec_regs[CXL_R_HDM_DECODER_SIZE_LO])
		return CXL_F_HDM_DECODER_SIZE_LO_MEMORY_SIZE_LOW_MASK;
	if (s == &cxl_spec_regs[CXL_R_HDM_DECODER_SIZE_HI])
		return CXL_F_HDM_DECODER_SIZE_HI_MEMORY_SIZE_HIGH_MASK;
	if (s == &cxl_spec_regs[CXL_R_HDM_DECODER_CONTROL])
		return CTRL(IG) | CTRL(IW) | CTRL(LOCK_ON_COMMIT) | CTRL(COMMIT) | CTRL(TARGET_RANGE_TYPE);
	return 0;
}

/* True when a host-safety rule watches decoder @n of @d for the current op (a guest's). */
static bool watched(const struct cxl_device *d, unsigned n)
{
	return d->passthrough && !(d->op_flags & CXL_OPF_VMM) && n < CXL_HOST_DECODERS_MAX &&
	       d->host[n].set && d->host[n].committed;
}

/*
 * host.decoder-remap (seed 004): a guest write that would change how a decoder the host
 * committed maps addresses, whatever the personality then does with it (drops it under
 * Lock On Commit, takes it into a shadow, clears the lock on the vfio-cxl v2 LOCK->0 path).
 */
static void hdm_writing(struct cxl_device *d, int ri, uint64_t be, uint64_t wval)
{
	struct cxl_reg_inst *r = &d->regs[ri];
	uint64_t m;

	if (!watched(d, r->instance))
		return;
	m = mapping_mask(r) & be;
	if (!((wval ^ r->value) & m)) {
		if (m)
			cxl_held(d, CXL_RULE_HOST_DECODER_REMAP);
		return;
	}
	struct cxl_detail_args det = { CXL_DETAIL_REMAP, { r->instance, r->value & m, wval & m, 0 }, NULL };

	cxl_emit(d, CXL_RULE_HOST_DECODER_REMAP, -1, r, "", r->value & m, wval & m, &det);
}

/*
 * host.hpa-visible: a guest read of Base Low/High returned the host's address bits. Judged on
 * @seen, what the guest got (the recording's value, or the model's when there is none), so
 * cxl_conform() judges the target and a replay judges the recorded implementation.
 */
static void hdm_read(struct cxl_device *d, int ri, uint64_t seen, uint64_t be)
{
	struct cxl_reg_inst *r = &d->regs[ri];
	unsigned n = r->instance;
	uint64_t host, m;

	if (!watched(d, n))
		return;
	if (r->spec == &cxl_spec_regs[CXL_R_HDM_DECODER_BASE_LO]) {
		m = CXL_F_HDM_DECODER_BASE_LO_MEMORY_BASE_LOW_MASK;
		host = d->host[n].base & m;
	} else if (r->spec == &cxl_spec_regs[CXL_R_HDM_DECODER_BASE_HI]) {
		m = CXL_F_HDM_DECODER_BASE_HI_MEMORY_BASE_HIGH_MASK;
		host = d->host[n].base >> 32;
	} else {
		return;
	}
	m &= be;
	host &= m;
	if (!host)
		return;
	d->rule_checks[CXL_RULE_HOST_HPA_VISIBLE]++;
	if ((seen & m) != host)
		cxl_held(d, CXL_RULE_HOST_HPA_VISIBLE);
	else {
		struct cxl_detail_args det = { CXL_DETAIL_HPA, { n, host, 0, 0 }, NULL };

		cxl_emit(d, CXL_RULE_HOST_HPA_VISIBLE, -1, r, "", host, seen & m, &det);
	}
}

const struct cxl_behaviour cxl_hdm_behaviour = {
	.bind = hdm_bind,
	.writing = hdm_writing,
	.written = hdm_written,
	.read = hdm_read,
	.take = hdm_take,
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
