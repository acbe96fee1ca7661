/* SPDX-License-Identifier: MIT */
/*
 * mmiotrace.c - Linux mmiotrace text (format 20070824) -> ops.
 *
 *   R|W width timestamp map-id phys value pc pid   -> mmio-read/mmio-write
 *   MAP timestamp map-id phys virt length pc pid    -> may define a block
 *   UNMAP timestamp map-id pc pid                   -> context
 *   MARK timestamp text                              -> mark op
 *   VERSION, LSPCI, PCIDEV, UNKNOWN                  -> ignored
 * mmiotrace sees MMIO only (no config space), so component blocks come
 * from --device PHYS=NAME:MODEL, or, when no address is pinned, from MAP
 * records that look like a whole component block: phys 64 KiB aligned and
 * length >= 0x2000 (covering CXL.cache/mem at +0x1000..+0x1fff).
 */
#include "import_int.h"

/* True when some --device pins a component block address. */
static bool have_addr_pins(const struct imp_ctx *c)
{
	for (unsigned i = 0; i < c->o->npins; i++)
		if (!c->o->pins[i].by_bdf)
			return true;
	return false;
}

/* R/W record: an op when the address is in a component block. */
static bool on_access(struct imp_ctx *c, struct imp_lex *lx, bool write,
		      unsigned long line)
{
	uint64_t width, mapid, phys, value, off;
	const char *w;
	size_t n;
	int dev, rc;

	if (!imp_lex_num(lx, &width) || !imp_lex_word(lx, &w, &n) ||
	    !imp_lex_num(lx, &mapid) || !imp_lex_word(lx, &w, &n) ||
	    !imp_parse_hex(w, n, &phys) || !imp_lex_word(lx, &w, &n) ||
	    !imp_parse_hex(w, n, &value) ||
	    (width != 1 && width != 2 && width != 4 && width != 8)) {
		imp_class(c, IMP_C_UNPARSEABLE);
		return true;
	}
	c->records++;
	dev = imp_topo_block_lookup(c->topo, phys, (unsigned)width, &off);
	if (dev < 0) {
		imp_class(c, IMP_C_NOT_COMPONENT);
		return true;
	}
	rc = imp_op_mmio(c, dev, write, off, (unsigned)width, value, true, line);
	if (rc < 0)
		return false;
	imp_class(c, rc ? IMP_C_OP : IMP_C_OUT_OF_RANGE);
	return true;
}

/* MAP record: remembered as a component block by the documented heuristic. */
static bool on_map(struct imp_ctx *c, struct imp_lex *lx, unsigned long line)
{
	uint64_t id, phys, virt, len;
	const char *w;
	size_t n;

	if (!imp_lex_word(lx, &w, &n) || !imp_lex_num(lx, &id) ||
	    !imp_lex_word(lx, &w, &n) || !imp_parse_hex(w, n, &phys) ||
	    !imp_lex_word(lx, &w, &n) || !imp_parse_hex(w, n, &virt) ||
	    !imp_lex_word(lx, &w, &n) || !imp_parse_hex(w, n, &len)) {
		imp_class(c, IMP_C_UNPARSEABLE);
		return true;
	}
	c->records++;
	if (!have_addr_pins(c) && phys && !(phys & (CXL_SPACE_COMPONENT_SIZE - 1)) &&
	    len >= CXL_RANGE_CACHEMEM_END &&
	    imp_topo_block_dev(c->topo, IMP_KIND_MAPPED, (int)cxl_default_block_model(), phys,
			       NULL, line) < 0)
		return imp_fail(c, CXL_ERR_LIMIT, line, 1, "more than %d devices",
				CXL_TRACE_MAX_DEVICES);
	imp_class(c, IMP_C_CONTEXT);
	return true;
}

/* MARK record: the text after the timestamp becomes a mark op. */
static bool on_mark(struct imp_ctx *c, struct imp_lex *lx, unsigned long line)
{
	const char *w;
	size_t n;

	if (!imp_lex_word(lx, &w, &n)) {
		imp_class(c, IMP_C_UNPARSEABLE);
		return true;
	}
	c->records++;
	imp_lex_at_end(lx);
	imp_op_mark(c, lx->p, (size_t)(lx->end - lx->p), line);
	imp_class(c, IMP_C_OP);
	return true;
}

/* Classifies and handles one input line. */
static bool on_line(struct imp_ctx *c, const char *s, size_t len,
		    unsigned flags, unsigned long line)
{
	struct imp_lex lx;
	const char *w;
	size_t n;

	if (imp_class_flagged(c, flags, line))
		return !c->failed;
	imp_lex_init(&lx, s, len);
	if (!imp_lex_word(&lx, &w, &n)) {
		imp_class(c, IMP_C_BLANK);
		return true;
	}
	if (imp_word_is(w, n, "R") || imp_word_is(w, n, "W"))
		return on_access(c, &lx, w[0] == 'W', line);
	if (imp_word_is(w, n, "MAP"))
		return on_map(c, &lx, line);
	if (imp_word_is(w, n, "MARK"))
		return on_mark(c, &lx, line);
	if (imp_word_is(w, n, "UNMAP")) {
		c->records++;
		imp_class(c, IMP_C_CONTEXT);
		return true;
	}
	if (imp_word_is(w, n, "VERSION") || imp_word_is(w, n, "LSPCI") ||
	    imp_word_is(w, n, "PCIDEV") || imp_word_is(w, n, "UNKNOWN")) {
		c->records++;
		imp_class(c, IMP_C_IGNORED);
		return true;
	}
	imp_class(c, IMP_C_UNKNOWN);
	return true;
}

/* Imports one mmiotrace; false with c->err set on failure. */
bool imp_mmiotrace_file(struct imp_ctx *c, struct imp_lines *in)
{
	const char *s;
	size_t len;
	unsigned flags;
	int rc;

	while ((rc = imp_lines_next(in, &s, &len, &flags, c->err)) > 0) {
		c->st.lines++;
		if (!on_line(c, s, len, flags, imp_lines_number(in)))
			return false;
	}
	if (rc < 0) {
		c->failed = true;
		return false;
	}
	return true;
}
