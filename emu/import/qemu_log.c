/* SPDX-License-Identifier: MIT */
/*
 * qemu_log.c - QEMU "log" trace backend lines -> ops.
 *
 * Events used (optionally prefixed "PID@SEC.USEC:"):
 *   pci_cfg_read TYPE BB:DD.F @0xOFF -> 0xVAL
 *   pci_cfg_write TYPE BB:DD.F @0xOFF <- 0xVAL
 *   memory_region_ops_read|write [cpu N] [mr 0xP] addr 0xA value 0xV size N [name 'R']
 * pci_cfg_* lines carry no size: it comes from the adjacent access of the
 * config mechanism (region 'pcie-mmcfg-mmio' or 'pci-conf-data'): for a
 * read the pci_cfg_read line comes first, for a write the mr line does.
 * "Adjacent" means no other pci_cfg_* or memory_region_ops_* line between
 * them (other events do not break a pair). The pair must agree on the value
 * and on the offset bits the mechanism shows (ECAM: 11:0; CF8/CFC: 1:0).
 * vfio events (a CXL device passed through by vfio-cxl) are vfio.c's.
 */
#include <string.h>

#include "import_int.h"

enum region { R_MMCFG, R_DATA, R_IDX, R_CACHE_MEM, R_OTHER };

struct cfg_rec {
	bool valid, write;
	int model;            /* model matching the QEMU type, -1 = not CXL */
	bool host_bridge;     /* the QEMU type is a host bridge's (pxb-cxl: no config-space model) */
	int bdf;
	unsigned off;
	uint64_t val;
	unsigned long line;
};

struct mr_rec {
	bool valid, write;
	uint64_t addr, val;
	unsigned size;
	enum region region;
	unsigned long line;
};

struct ql {
	struct imp_ctx *c;
	struct cfg_rec pend_read;  /* pci_cfg_read waiting for its mr read */
	struct mr_rec pend_write;  /* config mr write waiting for pci_cfg_write */
};

/* Resolves pending lines that found no partner. */
static void flush(struct ql *q)
{
	if (q->pend_read.valid)
		imp_class(q->c, IMP_C_UNPAIRED);
	if (q->pend_write.valid)
		imp_class(q->c, IMP_C_NO_DEVICE);
	q->pend_read.valid = q->pend_write.valid = false;
}

/* Skips a "PID@SEC.USEC:" prefix glued to the event name; returns the name. */
static void strip_prefix(const char **w, size_t *n)
{
	const char *s = *w, *e = *w + *n, *p = s;

	while (p < e && *p >= '0' && *p <= '9')
		p++;
	if (p == s || p == e || *p != '@')
		return;
	p++;
	while (p < e && ((*p >= '0' && *p <= '9') || *p == '.'))
		p++;
	if (p == e || *p != ':')
		return;
	p++;
	*w = p;
	*n = (size_t)(e - p);
}

/*
 * Parses "BB:DD.F" as printed by pci_cfg_* ("BB:DD" = function 0; a
 * leading "DDDD:" domain 0 is accepted).
 */
static bool parse_bdf(const char *s, size_t n, int *bdf)
{
	const char *colon = memchr(s, ':', n), *dot;
	uint64_t bus, dev, fn = 0, dom;

	if (colon && memchr(colon + 1, ':', n - (size_t)(colon + 1 - s))) {
		if (!imp_parse_hex(s, (size_t)(colon - s), &dom) || dom)
			return false;
		n -= (size_t)(colon + 1 - s);
		s = colon + 1;
		colon = memchr(s, ':', n);
	}
	if (!colon || !imp_parse_hex(s, (size_t)(colon - s), &bus))
		return false;
	dot = memchr(colon, '.', n - (size_t)(colon - s));
	if (dot) {
		if (!imp_parse_hex(colon + 1, (size_t)(dot - colon - 1), &dev) ||
		    !imp_parse_hex(dot + 1, n - (size_t)(dot + 1 - s), &fn))
			return false;
	} else if (!imp_parse_hex(colon + 1, n - (size_t)(colon + 1 - s), &dev)) {
		return false;
	}
	if (bus > 0xff || dev > 0x1f || fn > 7)
		return false;
	*bdf = (int)(bus << 8 | dev << 3 | fn);
	return true;
}

/* Parses the fields of a pci_cfg_* line; false if malformed. */
static bool parse_cfg(struct imp_lex *lx, bool write, struct cfg_rec *r)
{
	const char *w;
	size_t n;
	uint64_t off;
	int hb;

	if (!imp_lex_word(lx, &w, &n))
		return false;
	r->model = imp_model_for_qemu_type(w, n);
	hb = cxl_model_by_qemu_type(w, n);
	r->host_bridge = hb >= 0 && cxl_model_kind((unsigned)hb) == CXL_KIND_HOST_BRIDGE;
	if (!imp_lex_word(lx, &w, &n) || !parse_bdf(w, n, &r->bdf))
		return false;
	if (!imp_lex_word(lx, &w, &n) || n < 2 || w[0] != '@' ||
	    !imp_parse_num(w + 1, n - 1, &off) || off >= CXL_SPACE_CONFIG_SIZE)
		return false;
	r->off = (unsigned)off;
	if (!imp_lex_word(lx, &w, &n) || !imp_word_is(w, n, write ? "<-" : "->"))
		return false;
	if (!imp_lex_num(lx, &r->val) || !imp_lex_at_end(lx))
		return false;
	r->write = write;
	r->valid = true;
	return true;
}

/* Region of an mr line: by name, or by address when the name is absent. */
static enum region classify(const struct imp_ctx *c, const char *name,
			    size_t n, bool has_name, uint64_t addr)
{
	int bdf;
	unsigned off;

	if (has_name) {
		if (imp_word_is(name, n, "pcie-mmcfg-mmio"))
			return R_MMCFG;
		if (imp_word_is(name, n, "pci-conf-data"))
			return R_DATA;
		if (imp_word_is(name, n, "pci-conf-idx"))
			return R_IDX;
		if (imp_word_is(name, n, ".cache_mem"))
			return R_CACHE_MEM;
		return R_OTHER;
	}
	if (addr == 0xcf8)
		return R_IDX;
	if (addr >= 0xcfc && addr <= 0xcff)
		return R_DATA;
	if (imp_ecam_decode(&c->topo->ecam, addr, 1, &bdf, &off))
		return R_MMCFG;
	return R_OTHER;
}

/* Parses the key/value fields of a memory_region_ops_* line. */
static bool parse_mr(const struct imp_ctx *c, struct imp_lex *lx, bool write,
		     struct mr_rec *r)
{
	const char *w, *name = NULL;
	size_t n, nlen = 0;
	bool has_addr = false, has_val = false, has_size = false;
	uint64_t v, size = 0;

	while (imp_lex_word(lx, &w, &n)) {
		if (imp_word_is(w, n, "name")) {
			const char *e = lx->end;

			while (lx->p < e && (*lx->p == ' ' || *lx->p == '\t'))
				lx->p++;
			while (e > lx->p && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			if (e - lx->p < 2 || *lx->p != '\'' || e[-1] != '\'')
				return false;
			name = lx->p + 1;
			nlen = (size_t)(e - 1 - name);
			lx->p = lx->end;
			break;
		}
		if (!imp_lex_num(lx, &v))
			return false;
		if (imp_word_is(w, n, "addr"))
			r->addr = v, has_addr = true;
		else if (imp_word_is(w, n, "value"))
			r->val = v, has_val = true;
		else if (imp_word_is(w, n, "size"))
			size = v, has_size = true;
	}
	if (!has_addr || !has_val || !has_size || size < 1 || size > 8)
		return false;
	r->size = (unsigned)size;
	r->write = write;
	r->region = classify(c, name, nlen, name != NULL, r->addr);
	r->valid = true;
	return true;
}

/* True when mr access @m is the size line of config access @cfg. */
static bool pairs(const struct mr_rec *m, const struct cfg_rec *cfg)
{
	if (m->write != cfg->write || m->val != cfg->val)
		return false;
	if (m->region == R_MMCFG)
		return (m->addr & (CXL_SPACE_CONFIG_SIZE - 1)) == cfg->off;
	return (m->addr & 3) == (cfg->off & 3);
}

/* A sized config access: an op for a CXL function, counted otherwise. */
static bool cfg_access(struct ql *q, const struct cfg_rec *r, unsigned size)
{
	struct imp_ctx *c = q->c;
	int dev, rc;

	if (r->model < 0) {
		if (r->host_bridge && !c->dry)
			imp_topo_note_hb_fn(c->topo, r->bdf);
		if (r->write)
			imp_ecam_mch_write(&c->topo->ecam, r->bdf, r->off, size,
					   r->val);
		imp_class(c, IMP_C_NON_CXL);
		return true;
	}
	dev = imp_dev_for_bdf(c, r->bdf, IMP_KIND_CFG, r->model, r->line);
	if (dev < 0)
		return false;
	rc = imp_op_cfg(c, dev, r->write, r->off, size, r->val, true, r->line);
	if (rc < 0)
		return false;
	if (rc)
		imp_topo_cfg_access(c->topo, dev, r->write, r->off, size, r->val);
	imp_class(c, rc ? IMP_C_OP : IMP_C_OUT_OF_RANGE);
	return true;
}

/* An access outside the config mechanism: an mmio op if in a component block. */
static bool mmio_access(struct ql *q, const struct mr_rec *m)
{
	struct imp_ctx *c = q->c;
	uint64_t off;
	int dev, rc;

	dev = imp_topo_block_lookup(c->topo, m->addr, m->size, &off);
	if (dev < 0 && m->region == R_CACHE_MEM) {
		if (imp_topo_block_dev(c->topo, IMP_KIND_HB, imp_model_host_bridge(),
				       m->addr & ~(uint64_t)(CXL_SPACE_COMPONENT_SIZE - 1),
				       NULL, m->line) < 0)
			return imp_fail(c, CXL_ERR_LIMIT, m->line, 1,
					"more than %d devices",
					CXL_TRACE_MAX_DEVICES);
		dev = imp_topo_block_lookup(c->topo, m->addr, m->size, &off);
		if (dev < 0) {
			imp_class(c, IMP_C_OUT_OF_RANGE);
			return true;
		}
	}
	if (dev < 0) {
		imp_class(c, IMP_C_NOT_COMPONENT);
		return true;
	}
	rc = imp_op_mmio(c, dev, m->write, off, m->size, m->val, true, m->line);
	if (rc < 0)
		return false;
	imp_class(c, rc ? IMP_C_OP : IMP_C_OUT_OF_RANGE);
	return true;
}

/* Handles one memory_region_ops_* record. */
static bool on_mr(struct ql *q, const struct mr_rec *m)
{
	struct imp_ctx *c = q->c;
	bool ok = true;

	switch (m->region) {
	case R_MMCFG:
	case R_DATA:
		if (!m->write && q->pend_read.valid &&
		    pairs(m, &q->pend_read)) {
			struct cfg_rec r = q->pend_read;

			q->pend_read.valid = false;
			flush(q);
			ok = cfg_access(q, &r, m->size);
			imp_class(c, IMP_C_CONTEXT);
			return ok;
		}
		flush(q);
		if (m->write)
			q->pend_write = *m;
		else
			imp_class(c, IMP_C_NO_DEVICE);
		return true;
	case R_IDX:
		flush(q);
		imp_class(c, IMP_C_CONTEXT);
		return true;
	default:
		flush(q);
		return mmio_access(q, m);
	}
}

/* Handles one pci_cfg_* record. */
static bool on_cfg(struct ql *q, const struct cfg_rec *r)
{
	struct imp_ctx *c = q->c;

	if (!r->write) {
		flush(q);
		q->pend_read = *r;
		return true;
	}
	if (q->pend_write.valid && pairs(&q->pend_write, r)) {
		unsigned size = q->pend_write.size;

		q->pend_write.valid = false;
		flush(q);
		imp_class(c, IMP_C_CONTEXT);
		return cfg_access(q, r, size);
	}
	flush(q);
	imp_class(c, IMP_C_UNPAIRED);
	return true;
}

/* Classifies and handles one input line. */
static bool on_line(struct ql *q, const char *s, size_t len, unsigned flags,
		    unsigned long lineno)
{
	struct imp_ctx *c = q->c;
	struct imp_lex lx;
	const char *w;
	size_t n;
	bool read;

	if (imp_class_flagged(c, flags, lineno))
		return !c->failed;
	imp_lex_init(&lx, s, len);
	if (!imp_lex_word(&lx, &w, &n)) {
		imp_class(c, IMP_C_BLANK);
		return true;
	}
	strip_prefix(&w, &n);
	if ((read = imp_word_is(w, n, "pci_cfg_read")) ||
	    imp_word_is(w, n, "pci_cfg_write")) {
		struct cfg_rec r = { .line = lineno };

		if (!parse_cfg(&lx, !read, &r)) {
			imp_class(c, IMP_C_UNPARSEABLE);
			return true;
		}
		c->records++;
		return on_cfg(q, &r);
	}
	if ((read = imp_word_is(w, n, "memory_region_ops_read")) ||
	    imp_word_is(w, n, "memory_region_ops_write")) {
		struct mr_rec m = { .line = lineno };

		if (!parse_mr(c, &lx, !read, &m)) {
			imp_class(c, IMP_C_UNPARSEABLE);
			return true;
		}
		c->records++;
		return on_mr(q, &m);
	}
	{
		bool handled;

		if (!imp_vfio_line(c, w, n, &lx, s, len, lineno, &handled))
			return false;
		if (handled)
			return true;
	}
	imp_class(c, IMP_C_UNKNOWN);
	return true;
}

/* Imports one QEMU log; false with c->err set on failure. */
bool imp_qemu_log_file(struct imp_ctx *c, struct imp_lines *in)
{
	struct ql q = { .c = c };
	const char *s;
	size_t len;
	unsigned flags;
	int rc;

	while ((rc = imp_lines_next(in, &s, &len, &flags, c->err)) > 0) {
		c->st.lines++;
		if (!on_line(&q, s, len, flags, imp_lines_number(in)))
			return false;
	}
	flush(&q);
	if (rc < 0) {
		c->failed = true;
		return false;
	}
	return true;
}
