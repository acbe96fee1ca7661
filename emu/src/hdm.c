/* SPDX-License-Identifier: MIT */
/*
 * hdm.c - HDM decoder behaviour: Lock-On-Commit and the commit protocol.
 *
 * CXL r3.1 §8.2.4.20.12 (Committing Decoder Programming) and §8.2.4.20.13
 * (Decoder Protection), with the profile deciding where implementations
 * differ (spec/profiles/). Choices, each tested:
 * - Commit 0->1 sets Committed or Error Not Committed within the write: the
 *   model has no clock, and the spec's 10 ms bound is met trivially.
 * - The §8.2.4.20.12 checks (address order against decoder m-1, no wrap,
 *   size multiple of 3 for 3/6/12-way, distinct targets, decoder m-1
 *   committed) are errors that fail the commit when Lock On Commit is set;
 *   with Lock On Commit clear the spec does not require them, so they are
 *   warnings and the decoder commits.
 * - Reserved or unsupported IG/IW encodings (hdm.commit-encoding) and the
 *   UIO decoder limit (hdm.commit-uio-limit) fail the commit whatever LOC
 *   says: the spec calls the former reserved and enforces the latter always.
 * - Size 0 commits (compliance test 14.13.10).
 * - Commit 1->0 on an unlocked decoder clears Committed and Error Not
 *   Committed (the reference leaves the ENC clearing point open; clearing it
 *   with Commit is what lets software "clear Commit, reprogram, retry").
 * - A changed Base/Size/Target List/DPA Skip/IG/IW of a committed unlocked
 *   decoder takes effect with hdm.reprogram-committed (undefined per spec).
 */
#include <string.h>

#include "cxlemu/decode.h"
#include "device_priv.h"

static bool is_decoder_role(unsigned role)
{
	return role >= CXL_ROLE_HDM_BASE_LO && role <= CXL_ROLE_HDM_SKIP_HI;
}

int cxl_hdm_decoder_of(const struct cxl_device *d, int ri)
{
	const struct cxl_reg_inst *r = &d->regs[ri];

	return is_decoder_role(r->role) ? (int)r->instance : -1;
}

static uint64_t val(const struct cxl_device *d, int ri)
{
	return ri >= 0 ? d->regs[ri].value : 0;
}

static uint64_t ctrl(const struct cxl_device *d, unsigned n)
{
	return val(d, d->dec[n].ctrl);
}

enum cxl_err cxl_hdm_bind(struct cxl_device *d, struct cxl_error *err)
{
	unsigned enc;

	d->hdm_cap = d->hdm_gctl = -1;
	d->ndec = 0;
	for (unsigned n = 0; n < CXL_MAX_DECODERS; n++)
		d->dec[n] = (struct cxl_decoder_regs){ -1, -1, -1, -1, -1, -1, -1, -1, -1 };
	for (unsigned i = 0; i < d->nregs; i++) {
		struct cxl_reg_inst *r = &d->regs[i];
		int *slot = NULL;
		struct cxl_decoder_regs *dr;

		if (r->role == CXL_ROLE_HDM_CAP)
			d->hdm_cap = (int)i;
		if (r->role == CXL_ROLE_HDM_GLOBAL_CONTROL)
			d->hdm_gctl = (int)i;
		if (!is_decoder_role(r->role) || r->instance >= CXL_MAX_DECODERS)
			continue;
		dr = &d->dec[r->instance];
		switch (r->role) {
		case CXL_ROLE_HDM_BASE_LO: slot = &dr->base_lo; break;
		case CXL_ROLE_HDM_BASE_HI: slot = &dr->base_hi; break;
		case CXL_ROLE_HDM_SIZE_LO: slot = &dr->size_lo; break;
		case CXL_ROLE_HDM_SIZE_HI: slot = &dr->size_hi; break;
		case CXL_ROLE_HDM_CTRL: slot = &dr->ctrl; break;
		case CXL_ROLE_HDM_TL_LO: slot = &dr->tl_lo; break;
		case CXL_ROLE_HDM_TL_HI: slot = &dr->tl_hi; break;
		case CXL_ROLE_HDM_SKIP_LO: slot = &dr->skip_lo; break;
		case CXL_ROLE_HDM_SKIP_HI: slot = &dr->skip_hi; break;
		default: break;
		}
		if (slot)
			*slot = (int)i;
		if (r->role == CXL_ROLE_HDM_CTRL && r->instance + 1u > d->ndec)
			d->ndec = r->instance + 1u;
	}
	if (d->hdm_cap < 0)
		return CXL_OK;
	d->hm.ig = cxl_reg_field_mask(d, d->dec[0].ctrl, "IG");
	d->hm.iw = cxl_reg_field_mask(d, d->dec[0].ctrl, "IW");
	d->hm.loc = cxl_reg_field_mask(d, d->dec[0].ctrl, "Lock_On_Commit");
	d->hm.commit = cxl_reg_field_mask(d, d->dec[0].ctrl, "Commit");
	d->hm.committed = cxl_reg_field_mask(d, d->dec[0].ctrl, "Committed");
	d->hm.enc = cxl_reg_field_mask(d, d->dec[0].ctrl, "Error_Not_Committed");
	d->hm.uio = cxl_reg_field_mask(d, d->dec[0].ctrl, "UIO");
	d->hm.cap_count = cxl_reg_field_mask(d, d->hdm_cap, "Decoder_Count");
	d->hm.cap_targets = cxl_reg_field_mask(d, d->hdm_cap, "Target_Count");
	d->hm.cap_3_6_12 = cxl_reg_field_mask(d, d->hdm_cap, "Interleave_3_6_12_Way_Capable");
	d->hm.cap_16 = cxl_reg_field_mask(d, d->hdm_cap, "Interleave_16_Way_Capable");
	d->hm.cap_uio = cxl_reg_field_mask(d, d->hdm_cap, "UIO_Capable");
	d->hm.cap_uio_count = cxl_reg_field_mask(d, d->hdm_cap, "UIO_Capable_Decoder_Count");
	d->hm.gctl_enable = cxl_reg_field_mask(d, d->hdm_gctl, "HDM_Decoder_Enable");
	if (!d->ndec || !d->hm.commit || !d->hm.committed || !d->hm.cap_count)
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
				     "model %s: HDM decoder registers incomplete", d->model->name);
	/* Decoder Count is the encoding of the instantiated count (§8.2.4.20.1). */
	if (!cxl_decoder_count_enc(d->ndec, &enc))
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
				     "hdm-decoders: %u is not an encodable decoder count (1, 2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28 or 32)",
				     d->ndec);
	{
		struct cxl_reg_inst *c = &d->regs[d->hdm_cap];
		unsigned sh = (unsigned)__builtin_ctzll(d->hm.cap_count);

		c->reset_value = (c->reset_value & ~d->hm.cap_count) | ((uint64_t)enc << sh);
	}
	return CXL_OK;
}

/* True when decoder @n's RWL fields are frozen under the profile's decoder lock mode. */
bool cxl_hdm_decoder_locked(const struct cxl_device *d, unsigned n)
{
	uint64_t c;

	if (n >= d->ndec)
		return false;
	c = ctrl(d, n);
	switch (d->prof->decoder_lock) {
	case CXL_DLM_COMMITTED_AND_LOC:
		return (c & d->hm.loc) && (c & d->hm.committed);
	case CXL_DLM_LOC_BIT:
		return (c & d->hm.loc) != 0;
	case CXL_DLM_COMMITTED_OR_LOC:
		return (c & (d->hm.loc | d->hm.committed)) != 0;
	default:
		return false;
	}
}

bool cxl_hdm_enabled(const struct cxl_device *d)
{
	return d->hdm_gctl >= 0 && (d->regs[d->hdm_gctl].value & d->hm.gctl_enable);
}

/*
 * The vfio-cxl v2 "LOCK->0 reprogram path" (profile loc-clear-path): a
 * Control write with Lock On Commit 0 on a locked decoder clears LOC and
 * ignores every other bit. Returns true when the write was consumed.
 */
bool cxl_hdm_before_write(struct cxl_device *d, int ri, uint64_t be, uint64_t wval)
{
	int n = cxl_hdm_decoder_of(d, ri);

	if (!d->prof->loc_clear_path || n < 0 || ri != d->dec[n].ctrl)
		return false;
	if (!cxl_hdm_decoder_locked(d, (unsigned)n) || !(be & d->hm.loc) || (wval & d->hm.loc))
		return false;
	d->regs[ri].value &= ~d->hm.loc;
	return true;
}

static uint64_t pair(const struct cxl_device *d, int lo, int hi)
{
	return (val(d, hi) << 32) | (val(d, lo) & 0xffffffffULL);
}

static uint64_t field(uint64_t v, uint64_t mask)
{
	return mask ? (v & mask) >> __builtin_ctzll(mask) : 0;
}

struct check { unsigned rule; bool hard; char why[128]; };

/* Runs the §8.2.4.20.12 checks for decoder @n; returns the number of failures in @out. */
static unsigned commit_checks(const struct cxl_device *d, unsigned n, struct check *out)
{
	uint64_t c = ctrl(d, n), cap = val(d, d->hdm_cap);
	uint64_t base = pair(d, d->dec[n].base_lo, d->dec[n].base_hi);
	uint64_t size = pair(d, d->dec[n].size_lo, d->dec[n].size_hi);
	unsigned ig = (unsigned)field(c, d->hm.ig), iw = (unsigned)field(c, d->hm.iw);
	unsigned ways = 0, k = 0;
	bool port = d->dec[n].tl_lo >= 0;

	/* Encodings (§8.2.4.20.7) decoded by cxlemu/decode.h; ways stays 0 when reserved. */
	if (!cxl_ig_bytes(ig, NULL) || !cxl_iw_ways(iw, &ways)) {
		ways = 0;
		out[k] = (struct check){ CXL_RULE_HDM_COMMIT_ENCODING, true, "" };
		snprintf(out[k++].why, sizeof(out[0].why), "IG %u / IW %u: reserved encoding", ig, iw);
	} else if ((iw == 4 && !(cap & d->hm.cap_16)) ||
		   (iw >= 8 && (port || !(cap & d->hm.cap_3_6_12))) ||
		   (port && ways > field(cap, d->hm.cap_targets))) {
		out[k] = (struct check){ CXL_RULE_HDM_COMMIT_ENCODING, true, "" };
		snprintf(out[k++].why, sizeof(out[0].why),
			 "%u-way interleave is not advertised by the HDM Decoder Capability", ways);
	}
	if (c & d->hm.uio) {
		unsigned used = 1;

		for (unsigned m = 0; m < d->ndec; m++)
			if (m != n && (ctrl(d, m) & d->hm.uio) && (ctrl(d, m) & d->hm.committed))
				used++;
		if (used > field(cap, d->hm.cap_uio_count)) {
			out[k] = (struct check){ CXL_RULE_HDM_COMMIT_UIO_LIMIT, true, "" };
			snprintf(out[k++].why, sizeof(out[0].why), "%u UIO decoders, capability allows %u",
				 used, (unsigned)field(cap, d->hm.cap_uio_count));
		}
	}
	if (n > 0) {
		uint64_t pbase = pair(d, d->dec[n - 1].base_lo, d->dec[n - 1].base_hi);
		uint64_t psize = pair(d, d->dec[n - 1].size_lo, d->dec[n - 1].size_hi);
		unsigned __int128 pend = (unsigned __int128)pbase + psize;

		if (!(ctrl(d, n - 1) & d->hm.committed)) {
			out[k] = (struct check){ CXL_RULE_HDM_COMMIT_ORDER, false, "" };
			snprintf(out[k++].why, sizeof(out[0].why), "decoder %u is not committed", n - 1);
		}
		if ((unsigned __int128)base < pend) {
			out[k] = (struct check){ CXL_RULE_HDM_COMMIT_OVERLAP, false, "" };
			snprintf(out[k++].why, sizeof(out[0].why),
				 "base 0x%llx < decoder %u end 0x%llx", (unsigned long long)base, n - 1,
				 (unsigned long long)(pbase + psize));
		}
	}
	if (size && (unsigned __int128)base + size > ((unsigned __int128)1 << 64)) {
		out[k] = (struct check){ CXL_RULE_HDM_COMMIT_WRAP, false, "" };
		snprintf(out[k++].why, sizeof(out[0].why), "base 0x%llx + size 0x%llx wraps",
			 (unsigned long long)base, (unsigned long long)size);
	}
	if (ways && ways % 3 == 0 && size % 3) {
		out[k] = (struct check){ CXL_RULE_HDM_COMMIT_SIZE_MOD3, false, "" };
		snprintf(out[k++].why, sizeof(out[0].why), "%u-way, size 0x%llx", ways,
			 (unsigned long long)size);
	}
	if (port && ways && ways <= 8 && !(ways % 3 == 0)) {
		uint64_t tl = pair(d, d->dec[n].tl_lo, d->dec[n].tl_hi);

		for (unsigned a = 0; a < ways; a++)
			for (unsigned b = a + 1; b < ways; b++)
				if (((tl >> (8 * a)) & 0xff) == ((tl >> (8 * b)) & 0xff) &&
				    !(k && out[k - 1].rule == CXL_RULE_HDM_COMMIT_DUP_TARGET)) {
					out[k] = (struct check){ CXL_RULE_HDM_COMMIT_DUP_TARGET, false, "" };
					snprintf(out[k++].why, sizeof(out[0].why),
						 "ways %u and %u both target port %llu", a, b,
						 (unsigned long long)((tl >> (8 * a)) & 0xff));
				}
	}
	return k;
}

/* Commit decoder @n: run the checks (if the profile does), then set Committed or ENC. */
static void commit(struct cxl_device *d, unsigned n)
{
	struct cxl_reg_inst *r = &d->regs[d->dec[n].ctrl];
	struct check chk[8];
	unsigned k = 0;
	bool loc = (r->value & d->hm.loc) != 0, fail = false;

	if (d->prof->commit_checks == CXL_CHECKS_ENFORCE)
		k = commit_checks(d, n, chk);
	for (unsigned i = 0; i < k; i++) {
		bool err = chk[i].hard || loc;

		fail |= err;
		cxl_emit(d, chk[i].rule, err ? CXL_SEV_ERROR : CXL_SEV_WARNING, r, "Commit", 0, 1,
			 "%s%s", chk[i].why,
			 err ? "; Error Not Committed set" :
			       "; committed anyway (Lock On Commit clear: hardware need not check)");
	}
	if (fail)
		r->value = (r->value & ~d->hm.committed) | d->hm.enc;
	else
		r->value = (r->value & ~d->hm.enc) | d->hm.committed;
	if (d->prof->auto_clear_commit)
		r->value &= ~d->hm.commit;
}

/* Fields of a decoder that "program" it: everything RWL except Commit and Lock On Commit. */
static uint64_t programming_mask(const struct cxl_device *d, const struct cxl_reg_inst *r)
{
	uint64_t m = 0;

	for (uint32_t j = 0; j < r->nfields; j++)
		if (d->fields[r->field0 + j].access == CXL_ACC_RWL ||
		    d->fields[r->field0 + j].access == CXL_ACC_RW)
			m |= d->fields[r->field0 + j].mask;
	if (r->role == CXL_ROLE_HDM_CTRL)
		m &= ~(d->hm.commit | d->hm.loc);
	return m;
}

void cxl_hdm_after_write(struct cxl_device *d, int ri, uint64_t old_value, uint64_t written,
			 uint64_t be)
{
	struct cxl_reg_inst *r = &d->regs[ri];
	int ni = cxl_hdm_decoder_of(d, ri);
	uint64_t old_ctrl, pm;
	unsigned n;

	if (ni < 0 || (unsigned)ni >= d->ndec)
		return;
	n = (unsigned)ni;
	old_ctrl = ri == d->dec[n].ctrl ? old_value : ctrl(d, n);
	pm = programming_mask(d, r);
	if ((old_ctrl & d->hm.committed) && ((old_value ^ r->value) & pm))
		cxl_emit(d, CXL_RULE_HDM_REPROGRAM_COMMITTED, -1, r, "", old_value & pm, r->value & pm,
			 "0x%llx -> 0x%llx while decoder %u is committed",
			 (unsigned long long)(old_value & pm), (unsigned long long)(r->value & pm), n);
	if (ri != d->dec[n].ctrl)
		return;
	if (d->prof->commit_mode == CXL_COMMIT_LEVEL) {
		/* Every write that leaves Commit set (re)commits: QEMU 7.2 (D-Q3). */
		if ((be & d->hm.commit) && (written & d->hm.commit) && (r->value & d->hm.commit))
			commit(d, n);
		else if ((old_value & d->hm.commit) && !(r->value & d->hm.commit) && d->prof->uncommit)
			r->value &= ~(d->hm.committed | d->hm.enc);
		return;
	}
	if (!(old_value & d->hm.commit) && (r->value & d->hm.commit))
		commit(d, n);
	else if ((old_value & d->hm.commit) && !(r->value & d->hm.commit) && d->prof->uncommit)
		r->value &= ~(d->hm.committed | d->hm.enc);
}

/* Firmware-committed start: decoder 0 at @base/@size, Commit+Committed+LOC, HDM enabled. */
void cxl_hdm_fw_commit(struct cxl_device *d, uint64_t base, uint64_t size)
{
	struct cxl_decoder_regs *dr = &d->dec[0];

	if (d->hdm_cap < 0 || dr->ctrl < 0)
		return;
	d->regs[dr->base_lo].value = base & cxl_reg_field_mask(d, dr->base_lo, "Memory_Base_Low");
	d->regs[dr->base_hi].value = base >> 32;
	d->regs[dr->size_lo].value = size & cxl_reg_field_mask(d, dr->size_lo, "Memory_Size_Low");
	d->regs[dr->size_hi].value = size >> 32;
	d->regs[dr->ctrl].value |= d->hm.loc | d->hm.commit | d->hm.committed;
	if (d->hdm_gctl >= 0)
		d->regs[d->hdm_gctl].value |= d->hm.gctl_enable;
}

/* Fills @p (CXL_MAX_DECODERS entries) from the decoder registers; returns the decoder count. */
static unsigned decoder_progs(const struct cxl_device *d, struct cxl_decoder_prog *p)
{
	for (unsigned n = 0; n < d->ndec; n++) {
		uint64_t c = ctrl(d, n), tl = pair(d, d->dec[n].tl_lo, d->dec[n].tl_hi);

		memset(&p[n], 0, sizeof(p[n]));
		p[n].committed = (c & d->hm.committed) != 0;
		p[n].base = pair(d, d->dec[n].base_lo, d->dec[n].base_hi);
		p[n].size = pair(d, d->dec[n].size_lo, d->dec[n].size_hi);
		p[n].ig = (unsigned)field(c, d->hm.ig);
		p[n].iw = (unsigned)field(c, d->hm.iw);
		p[n].dpa_skip = pair(d, d->dec[n].skip_lo, d->dec[n].skip_hi);
		for (unsigned w = 0; w < 8; w++)
			p[n].targets[w] = (uint8_t)(tl >> (8 * w));
	}
	return d->ndec;
}

/*
 * Prints, for every committed decoder, its HPA window and where it routes
 * (CXL r3.1 §8.2.4.20, decode flows): a port's target for each way, or the
 * DPA a device maps the window's first byte to (DPA Skip accumulated).
 */
void cxl_device_dump_decode(const struct cxl_device *d, FILE *out)
{
	struct cxl_decoder_prog p[CXL_MAX_DECODERS];
	unsigned n = d->hdm_cap >= 0 ? decoder_progs(d, p) : 0;
	bool port = n && d->dec[0].tl_lo >= 0;

	for (unsigned i = 0; i < n; i++) {
		unsigned ways = 0;
		uint64_t gran = 0, dpa;
		uint8_t t;

		if (!p[i].committed)
			continue;
		cxl_iw_ways(p[i].iw, &ways);
		cxl_ig_bytes(p[i].ig, &gran);
		fprintf(out, "  decode: decoder %u HPA [0x%llx, 0x%llx) %u-way, %llu-byte granules", i,
			(unsigned long long)p[i].base, (unsigned long long)(p[i].base + p[i].size),
			ways, (unsigned long long)gran);
		if (!p[i].size) {
			fputs(": size 0, decodes nothing\n", out);
		} else if (port) {
			fputs(": ways -> ports", out);
			for (unsigned w = 0; w < ways && w < 8; w++) {
				uint64_t hpa = p[i].base + (uint64_t)w * gran;

				if (cxl_decode_port(p, n, hpa, &t) == (int)i)
					fprintf(out, " %u", t);
				else
					fputs(" -", out);
			}
			fputc('\n', out);
		} else if (cxl_decode_device(p, n, p[i].base, &dpa) == (int)i) {
			fprintf(out, ": first byte -> DPA 0x%llx\n", (unsigned long long)dpa);
		} else {
			fputs(": not decodable (reserved encoding or overlap)\n", out);
		}
	}
}
