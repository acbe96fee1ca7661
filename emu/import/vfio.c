/* SPDX-License-Identifier: MIT */
/*
 * vfio.c - QEMU vfio trace events of a CXL device passed through by vfio-cxl -> ops (part of
 * the qemu-log format; line formats: ../shared/reference/vfio-cxl-shadow.md §3.2).
 *
 *   vfio_region_setup Device NAME, region N "cxl-comp-regs"|"cxl-dpa"|..., flags: ..., size: 0xS
 *   vfio_cxl_setup_params  (NAME) hdm_bar=B hdm_regs_offset=0xO hdm_regs_size=0xS dpa_size=0xD
 *   vfio_cxl_bar_subregion  (NAME) BARb comp_regs overlay at BAR offset 0xO
 *   vfio_region_read  (NAME:regionN+0xA, SIZE) = 0xV
 *   vfio_region_write  (NAME:regionN+0xA, 0xV, SIZE)
 *   vfio_pci_read_config  (NAME, @0xOFF, len=0xL) 0xV
 *   vfio_pci_write_config  (NAME, @0xOFF, 0xV, len=0xL)
 *   vfio_cxl_locked_hdm  (NAME) fmws_base=0xF wrote decoder0 base_lo=0xL base_hi=0xH ctrl=0xC
 * and QEMU's error lines "vfio-cxl: NAME COMP_REGS read|write at 0xA failed: ..." (the next
 * matching vfio_region_* line is then a failed access) and "vfio-cxl: COMMIT_LOCK set in HDM
 * decoder 0 CTRL at machine_done; clearing ..." (setup_locked_hdm's leftover-lock write).
 *
 * A vfio device becomes a trace device (vfio0, vfio1, ... of the vocabulary's vfio-model) once
 * it is shown to be CXL: a vfio_cxl_* line or a "cxl-*" region names it, or a config read finds
 * the CXL DVSEC (vendor 0x1E98 in a DVSEC Header 1). Its view follows from where QEMU overlays
 * COMP_REGS on the component BAR, matched against the views' bases (spec/vocabulary.yaml): the
 * cachemem range is comp-regs-v2 (the NVIDIA QEMU of §3.1, so also the default), the block
 * start comp-regs-v3, the HDM decoders comp-regs-v4. Accesses to a BAR region (the Sep 2024 RFC
 * traps the component BAR itself, §3.3) use the bar view on a device without COMP_REGS, and are
 * counted out of range on one with it. vfio_cxl_locked_hdm becomes setup_locked_hdm's writes
 * (VMM-made: the vmm flag): Base Low, Base High, Control (after the leftover-lock Control write
 * when the warning preceded it). The host state: QEMU takes only firmware-committed devices
 * (§3.1), so decoder 0 is committed and locked, of dpa_size, and DVSEC Mem_Enable set; its
 * base the log cannot tell (0; cxl_import_opts vfio_host, --host-decoder, says otherwise).
 */
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

#define VFIO_NAME_MAX 48
#define VFIO_DEVS 16
#define DVSEC_VENDOR_CXL 0x1e98u       /* CXL r3.1 §8.1.1: DVSEC Vendor ID of CXL */
#define CTRL_LOCK 0x100u               /* HDM Decoder Control Lock On Commit (§8.2.4.20.7) */

struct vdev {
	char name[VFIO_NAME_MAX];
	bool cxl;                /* shown to be CXL */
	int comp_region, dpa_region;
	bool has_overlay;
	uint64_t overlay;        /* BAR offset of COMP_REGS offset 0 */
	bool overlay_known;      /* the overlay is the base of a view */
	uint64_t dpa_size;
	int tdev;                /* trace device, -1 before its first op */
	unsigned view;           /* enum cxl_view */
	bool fail_pending, fail_write;
	uint64_t fail_addr;
};

struct imp_vfio {
	struct vdev dev[VFIO_DEVS];
	unsigned n;
	unsigned long lock_warned; /* line of the leftover-lock warning waiting for its
				    * vfio_cxl_locked_hdm, 0 when none */
};

void imp_vfio_free(struct imp_ctx *c)
{
	free(c->vfio);
	c->vfio = NULL;
}

/* The state of vfio device @name (created on first sight), or NULL past VFIO_DEVS CXL ones. */
static struct vdev *vdev_of(struct imp_ctx *c, const char *name, size_t n)
{
	struct imp_vfio *v = c->vfio;
	struct vdev *d;

	if (!v && !(v = c->vfio = calloc(1, sizeof(*v))))
		return NULL;
	if (n >= VFIO_NAME_MAX)
		return NULL;
	for (unsigned i = 0; i < v->n; i++)
		if (strlen(v->dev[i].name) == n && !memcmp(v->dev[i].name, name, n))
			return &v->dev[i];
	if (v->n == VFIO_DEVS) {
		/* full: forget the first device not shown to be CXL (it never made an op; a NIC's
		 * VFs must not exhaust the table); all CXL: the caller reports the limit */
		unsigned i = 0;

		while (i < v->n && v->dev[i].cxl)
			i++;
		if (i == v->n)
			return NULL;
		memmove(&v->dev[i], &v->dev[i + 1], (v->n - i - 1) * sizeof(v->dev[0]));
		v->n--;
	}
	d = &v->dev[v->n++];
	memset(d, 0, sizeof(*d));
	memcpy(d->name, name, n);
	d->comp_region = d->dpa_region = -1;
	d->tdev = -1;
	d->view = (unsigned)cxl_view_parse("comp-regs-v2");
	return d;
}

/*
 * Fails the import at @line because vdev_of() gave no state for the device name of @n bytes:
 * a name too long to keep, no memory, or more than VFIO_DEVS CXL devices. Returns true (the
 * line was taken, as imp_fail()).
 */
static bool vdev_fail(struct imp_ctx *c, unsigned long line, size_t n)
{
	if (n >= VFIO_NAME_MAX)
		return imp_fail(c, CXL_ERR_LIMIT, line, 1, "a vfio device name of %zu characters (at most %d)",
				n, VFIO_NAME_MAX - 1);
	if (!c->vfio)
		return imp_fail(c, CXL_ERR_LIMIT, line, 1, "out of memory");
	return imp_fail(c, CXL_ERR_LIMIT, line, 1, "more than %d vfio-cxl devices", VFIO_DEVS);
}

/*
 * The view whose base in the vfio model's block is @off (the COMP_REGS overlay); else
 * comp-regs-v2 (the NVIDIA QEMU's, §3.1) with *@known false.
 */
static unsigned view_at(int64_t off, bool *known)
{
	unsigned m = cxl_default_vfio_model();
	uint64_t bo = 0;
	unsigned bir;
	int64_t base;

	cxl_model_component_block(m, &bir, &bo);
	for (unsigned v = 1; v < CXL_VIEW__COUNT; v++)
		if (cxl_model_view_base(m, v, &base) && base >= 0 && base + (int64_t)bo == off &&
		    strncmp(cxl_view_name(v), "comp-regs", 9) == 0)
			return *known = true, v;
	*known = false;
	return (unsigned)cxl_view_parse("comp-regs-v2");
}

/* The trace device of @d, added with its view and host state on first use; -1 on failure. */
static int tdev_of(struct imp_ctx *c, struct vdev *d, unsigned long line)
{
	const uint64_t granule = 0x10000000ULL;
	struct cxl_trace_header *h;
	char comment[160];
	int k;

	if (d->tdev >= 0 || c->dry)
		return d->tdev;
	snprintf(comment, sizeof(comment), "vfio-cxl %s%s", d->name,
		 d->comp_region >= 0 || d->has_overlay ? ", COMP_REGS region" : ", component BAR");
	if (d->has_overlay && !d->overlay_known)
		snprintf(comment + strlen(comment), sizeof(comment) - strlen(comment),
			 "; overlay at BAR offset 0x%llx is no view's base, comp-regs-v2 assumed",
			 (unsigned long long)d->overlay);
	k = imp_new_device(c, "vfio", cxl_model_name(cxl_default_vfio_model()), comment);
	if (k < 0) {
		imp_fail(c, CXL_ERR_LIMIT, line, 1, "more than %d devices", CXL_TRACE_MAX_DEVICES);
		return -1;
	}
	h = cxl_trace_builder_header(c->tb);
	/* no COMP_REGS seen (no region setup, no overlay): the Sep 2024 RFC traps the BAR (§3.3) */
	if (d->comp_region < 0 && !d->has_overlay)
		d->view = (unsigned)cxl_view_parse("bar");
	h->devices[k].view = d->view;
	/* a firmware-committed memory device: firmware enabled CXL.mem too (an assumption, README) */
	h->devices[k].host_mem_enable = d->dpa_size != 0;
	if (d->dpa_size) {
		/* QEMU passes only firmware-committed devices through (§3.1): decoder 0 */
		h->devices[k].host[0] = (struct cxl_host_decoder){ true, true, true, 0,
			(d->dpa_size + granule - 1) / granule * granule };
	}
	for (unsigned n = 0; n < CXL_HOST_DECODERS_MAX; n++)
		if (c->o->vfio_host[n].set)
			h->devices[k].host[n] = c->o->vfio_host[n];
	d->tdev = k;
	return k;
}

/* Parses "(NAME" or "(NAME," or "(NAME)" of @w into the name; false if malformed. */
static bool paren_name(const char *w, size_t n, const char **name, size_t *len)
{
	if (n < 2 || w[0] != '(')
		return false;
	*name = w + 1;
	*len = n - 1;
	while (*len && ((*name)[*len - 1] == ',' || (*name)[*len - 1] == ')'))
		(*len)--;
	return *len > 0;
}

/* The value of "KEY=0xV" word @w when it starts with @key; false otherwise. */
static bool key_num(const char *w, size_t n, const char *key, uint64_t *v)
{
	size_t k = strlen(key);

	return n > k && !memcmp(w, key, k) && imp_parse_num(w + k, n - k, v);
}

/* Emits an access of @d at view offset @off; classifies the line. */
static bool access(struct imp_ctx *c, struct vdev *d, bool cfg, bool write, uint64_t off,
		   unsigned size, uint64_t val, unsigned flags, unsigned long line)
{
	int k = tdev_of(c, d, line);
	int rc;

	if (k < 0 && !c->dry)
		return !c->failed;
	rc = imp_emit_op(c, (unsigned)(k < 0 ? 0 : k),
			 cfg ? (write ? CXL_OP_CFG_WRITE : CXL_OP_CFG_READ) :
			 (write ? CXL_OP_MMIO_WRITE : CXL_OP_MMIO_READ), off, size, val, true, flags, line);
	if (rc < 0)
		return false;
	imp_class(c, rc ? IMP_C_OP : IMP_C_OUT_OF_RANGE);
	return true;
}

/* vfio_region_read / vfio_region_write. */
static bool region_rw(struct imp_ctx *c, struct imp_lex *lx, bool write, unsigned long line)
{
	const char *w, *name, *plus;
	size_t n, nl, name_len;
	uint64_t region, addr, val = 0, size;
	struct vdev *d;
	unsigned flags = 0;

	/* "(NAME:regionN+0xA," */
	if (!imp_lex_word(lx, &w, &n) || !paren_name(w, n, &name, &nl))
		return imp_class(c, IMP_C_UNPARSEABLE), true;
	plus = memchr(name, '+', nl);
	if (!plus)
		return imp_class(c, IMP_C_UNPARSEABLE), true;
	{
		const char *rg = plus;

		while (rg > name && rg[-1] != ':')
			rg--;
		if (rg == name || (size_t)(plus - rg) < 7 || memcmp(rg, "region", 6) ||
		    !imp_parse_num(rg + 6, (size_t)(plus - rg - 6), &region) ||
		    !imp_parse_num(plus + 1, nl - (size_t)(plus + 1 - name), &addr))
			return imp_class(c, IMP_C_UNPARSEABLE), true;
		name_len = (size_t)(rg - 1 - name);
		d = vdev_of(c, name, name_len);
	}
	if (write) {
		/* "0xV," "SIZE)" */
		if (!imp_lex_word(lx, &w, &n) || !n || !imp_parse_num(w, w[n - 1] == ',' ? n - 1 : n, &val) ||
		    !imp_lex_word(lx, &w, &n) || n < 2 || w[n - 1] != ')' || !imp_parse_num(w, n - 1, &size))
			return imp_class(c, IMP_C_UNPARSEABLE), true;
	} else {
		/* "SIZE)" "=" "0xV" */
		if (!imp_lex_word(lx, &w, &n) || n < 2 || w[n - 1] != ')' || !imp_parse_num(w, n - 1, &size) ||
		    !imp_lex_word(lx, &w, &n) || !imp_word_is(w, n, "=") || !imp_lex_num(lx, &val))
			return imp_class(c, IMP_C_UNPARSEABLE), true;
	}
	c->records++;
	if (!d)
		return vdev_fail(c, line, name_len);
	if (!d->cxl) {
		imp_class(c, IMP_C_NON_CXL);
		return true;
	}
	if (d->fail_pending && d->fail_write == write && d->fail_addr == addr) {
		flags |= CXL_OPF_FAILED;
		d->fail_pending = false;
	}
	if ((int64_t)region == d->comp_region)
		return access(c, d, false, write, addr, (unsigned)size, val, flags, line);
	if (region < 6 && d->comp_region < 0 && !d->has_overlay)
		/* the Sep 2024 RFC: the component BAR itself is trapped (bar view, set by tdev_of) */
		return access(c, d, false, write, addr, (unsigned)size, val, flags, line);
	imp_class(c, IMP_C_NOT_COMPONENT);
	return true;
}

/* vfio_pci_read_config / vfio_pci_write_config. */
static bool config_rw(struct imp_ctx *c, struct imp_lex *lx, bool write, unsigned long line)
{
	const char *w, *name;
	size_t n, nl;
	uint64_t off, val, len;
	struct vdev *d;

	if (!imp_lex_word(lx, &w, &n) || !paren_name(w, n, &name, &nl) ||
	    !imp_lex_word(lx, &w, &n) || n < 3 || w[0] != '@' || !imp_parse_num(w + 1, n - 2, &off))
		return imp_class(c, IMP_C_UNPARSEABLE), true;
	if (write) {
		if (!imp_lex_word(lx, &w, &n) || n < 2 || !imp_parse_num(w, n - 1, &val) ||
		    !imp_lex_word(lx, &w, &n) || n < 6 || w[n - 1] != ')' || !key_num(w, n - 1, "len=", &len))
			return imp_class(c, IMP_C_UNPARSEABLE), true;
	} else {
		if (!imp_lex_word(lx, &w, &n) || n < 6 || w[n - 1] != ')' || !key_num(w, n - 1, "len=", &len) ||
		    !imp_lex_num(lx, &val))
			return imp_class(c, IMP_C_UNPARSEABLE), true;
	}
	c->records++;
	d = vdev_of(c, name, nl);
	if (!d)
		return vdev_fail(c, line, nl);
	/* a DVSEC Header 1 read with the CXL vendor shows the device is CXL (CXL r3.1 §8.1.1) */
	if (!write && len == 4 && off >= 0x100 && (val & 0xffff) == DVSEC_VENDOR_CXL)
		d->cxl = true;
	if (!d->cxl) {
		imp_class(c, IMP_C_NON_CXL);
		return true;
	}
	return access(c, d, true, write, off, (unsigned)len, val, 0, line);
}

/* vfio_region_setup Device NAME, region N "LABEL", flags: ..., offset: ..., size: ... */
static bool region_setup(struct imp_ctx *c, struct imp_lex *lx, unsigned long line)
{
	const char *w, *name;
	size_t n, nl;
	uint64_t region;
	struct vdev *d;

	if (!imp_lex_word(lx, &w, &n) || !imp_word_is(w, n, "Device") || !imp_lex_word(lx, &name, &nl) ||
	    nl < 2 || name[nl - 1] != ',' || !imp_lex_word(lx, &w, &n) || !imp_word_is(w, n, "region") ||
	    !imp_lex_word(lx, &w, &n) || !n || !imp_parse_num(w, n, &region) || !imp_lex_word(lx, &w, &n))
		return imp_class(c, IMP_C_UNPARSEABLE), true;
	c->records++;
	d = vdev_of(c, name, nl - 1);
	if (!d)
		return vdev_fail(c, line, nl - 1);
	if (n >= 15 && !memcmp(w, "\"cxl-comp-regs\"", 15))
		d->comp_region = (int)region, d->cxl = true;
	else if (n >= 9 && !memcmp(w, "\"cxl-dpa\"", 9))
		d->dpa_region = (int)region, d->cxl = true;
	imp_class(c, IMP_C_CONTEXT);
	return true;
}

/* vfio_cxl_setup_params / vfio_cxl_bar_subregion / vfio_cxl_locked_hdm / vfio_cxl_put_device. */
static bool cxl_event(struct imp_ctx *c, const char *ev, size_t evn, struct imp_lex *lx,
		      unsigned long line)
{
	const char *w, *name;
	size_t n, nl;
	uint64_t v, base_lo = 0, base_hi = 0, ctrl = 0;
	unsigned got = 0;
	struct vdev *d;

	if (!imp_lex_word(lx, &w, &n) || !paren_name(w, n, &name, &nl))
		return imp_class(c, IMP_C_UNPARSEABLE), true;
	c->records++;
	d = vdev_of(c, name, nl);
	if (!d)
		return vdev_fail(c, line, nl);
	d->cxl = true;
	if (imp_word_is(ev, evn, "vfio_cxl_setup_params")) {
		while (imp_lex_word(lx, &w, &n))
			if (key_num(w, n, "hdm_regs_offset=", &v) && !d->has_overlay)
				d->overlay = v, d->has_overlay = true, d->view = view_at((int64_t)v, &d->overlay_known);
			else if (key_num(w, n, "dpa_size=", &v))
				d->dpa_size = v;
		imp_class(c, IMP_C_CONTEXT);
		return true;
	}
	if (imp_word_is(ev, evn, "vfio_cxl_bar_subregion")) {
		while (imp_lex_word(lx, &w, &n))
			if (imp_parse_num(w, n, &v))
				d->overlay = v, d->has_overlay = true, d->view = view_at((int64_t)v, &d->overlay_known);
		imp_class(c, IMP_C_CONTEXT);
		return true;
	}
	if (!imp_word_is(ev, evn, "vfio_cxl_locked_hdm")) {
		imp_class(c, IMP_C_IGNORED);
		return true;
	}
	while (imp_lex_word(lx, &w, &n)) {
		if (key_num(w, n, "base_lo=", &base_lo))
			got |= 1;
		else if (key_num(w, n, "base_hi=", &base_hi))
			got |= 2;
		else if (key_num(w, n, "ctrl=", &ctrl))
			got |= 4;
	}
	if (got != 7)
		return imp_class(c, IMP_C_UNPARSEABLE), true;
	{
		/* setup_locked_hdm(): decoder 0's Base Low (+0x10), Base High (+0x14), Control (+0x20) */
		uint64_t hdm = 0;
		int64_t vb = 0;
		unsigned m = cxl_default_vfio_model();
		uint64_t at;
		int k = tdev_of(c, d, line);

		if (k < 0 && !c->dry)
			return !c->failed;
		if (!cxl_model_hdm_block(m, &hdm) || !cxl_model_view_base(m, d->view, &vb))
			return imp_class(c, IMP_C_OUT_OF_RANGE), true;
		at = (uint64_t)((int64_t)hdm - vb);
		/* the leftover-lock write, at the warning's line: the Control QEMU read (Commit set:
		 * firmware committed) less LOCK */
		if (c->vfio->lock_warned &&
		    imp_emit_op(c, (unsigned)k, CXL_OP_MMIO_WRITE, at + 0x20, 4, ctrl & ~(uint64_t)CTRL_LOCK,
				true, CXL_OPF_VMM, c->vfio->lock_warned) < 0)
			return false;
		c->vfio->lock_warned = 0;
		if (imp_emit_op(c, (unsigned)k, CXL_OP_MMIO_WRITE, at + 0x10, 4, base_lo, true, CXL_OPF_VMM, line) < 0 ||
		    imp_emit_op(c, (unsigned)k, CXL_OP_MMIO_WRITE, at + 0x14, 4, base_hi, true, CXL_OPF_VMM, line) < 0 ||
		    imp_emit_op(c, (unsigned)k, CXL_OP_MMIO_WRITE, at + 0x20, 4, ctrl, true, CXL_OPF_VMM, line) < 0)
			return false;
	}
	imp_class(c, IMP_C_OP);
	return true;
}

/* The first @needle in @s[0..len), or NULL. */
static const char *find(const char *s, size_t len, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; k <= len && i <= len - k; i++)
		if (!memcmp(s + i, needle, k))
			return s + i;
	return NULL;
}

/* A QEMU message line about vfio-cxl (error_report / warn_report text). */
static bool message(struct imp_ctx *c, const char *s, size_t len, unsigned long lineno)
{
	const char *p = find(s, len, "vfio-cxl: "), *e = s + len;
	struct imp_lex lx;
	const char *w, *name;
	size_t n, nl;
	uint64_t addr;
	struct vdev *d;
	bool write;

	if (!p)
		return false;
	p += 10;
	if (find(p, (size_t)(e - p), "COMMIT_LOCK set in HDM decoder 0")) {
		if (!c->vfio && !(c->vfio = calloc(1, sizeof(*c->vfio))))
			return false;
		c->vfio->lock_warned = lineno;
		imp_class(c, IMP_C_CONTEXT);
		return true;
	}
	imp_lex_init(&lx, p, (size_t)(e - p));
	/* "NAME COMP_REGS read|write at 0xA failed: ..." */
	if (!imp_lex_word(&lx, &name, &nl) || !imp_lex_word(&lx, &w, &n) || !imp_word_is(w, n, "COMP_REGS") ||
	    !imp_lex_word(&lx, &w, &n) || !((write = imp_word_is(w, n, "write")) || imp_word_is(w, n, "read")) ||
	    !imp_lex_word(&lx, &w, &n) || !imp_word_is(w, n, "at") || !imp_lex_num(&lx, &addr))
		return false;
	d = vdev_of(c, name, nl);
	if (!d)
		return false;
	d->fail_pending = true;
	d->fail_write = write;
	d->fail_addr = addr;
	imp_class(c, IMP_C_CONTEXT);
	return true;
}

bool imp_vfio_line(struct imp_ctx *c, const char *w, size_t n, struct imp_lex *lx,
		   const char *line, size_t len, unsigned long lineno, bool *handled)
{
	*handled = true;
	if (imp_word_is(w, n, "vfio_region_read"))
		return region_rw(c, lx, false, lineno);
	if (imp_word_is(w, n, "vfio_region_write"))
		return region_rw(c, lx, true, lineno);
	if (imp_word_is(w, n, "vfio_pci_read_config"))
		return config_rw(c, lx, false, lineno);
	if (imp_word_is(w, n, "vfio_pci_write_config"))
		return config_rw(c, lx, true, lineno);
	if (imp_word_is(w, n, "vfio_region_setup"))
		return region_setup(c, lx, lineno);
	if (n > 9 && !memcmp(w, "vfio_cxl_", 9))
		return cxl_event(c, w, n, lx, lineno);
	if (message(c, line, len, lineno))
		return !c->failed;
	*handled = false;
	return true;
}
