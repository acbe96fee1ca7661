/* SPDX-License-Identifier: MIT */
/*
 * qtest.c - QEMU qtest command streams and [R +t]/[S +t] logs -> ops.
 *
 * Accepted: raw request lines ("outl 0xcf8 0x80000060"), and the server's
 * echo "[R +0.001] request" / "[S +0.001] reply" / "[I ...]" lines, mixed
 * with bare reply lines. The first reply after a read request ("OK 0x...",
 * bare or [S]) gives the read's value; other replies, [I] lines, IRQ lines
 * and clock/irq/endianness commands carry no access.
 *
 * Config space: CF8/CFC (outl 0xcf8 V then in/out 0xcfc..0xcff; enable bit
 * 31, bus 23:16, device 15:11, function 10:8, register 7:2, byte from the
 * port) and ECAM (readX/writeX/read/write into the window). ECAM starts at
 * --ecam and follows PCIEXBAR writes (00:00.0 config 0x60..0x67). Device
 * identity comes from vendor/device ID reads anywhere in the input (a first
 * pass collects them) or from --device BB:DD.F=...
 */
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

#define MAX_BYTES (IMP_LINE_MAX / 2)

struct pend {
	bool valid;
	bool pio;
	bool bytes_reply;   /* `read ADDR SIZE`: the reply is a byte string */
	bool replied, failed, has_value;
	uint64_t addr;
	unsigned size;
	unsigned long line;
};

struct qt {
	struct imp_ctx *c;
	struct pend pend;
	uint32_t cf8;
	uint8_t bytes[MAX_BYTES];  /* data of the pending read or of a write */
};

/* Little-endian value of @n (<= 8) bytes. */
static uint64_t le(const uint8_t *b, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i-- > 0;)
		v = v << 8 | b[i];
	return v;
}

/* Stores @v as @n little-endian bytes. */
static void put_le(uint8_t *b, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

/* Combines piece classes: any op makes the line an op line. */
static enum imp_class merge(enum imp_class acc, enum imp_class cls, bool first)
{
	if (first || cls == IMP_C_OP)
		return cls;
	return acc;
}

/*
 * One config access of function @bdf. Learns identities (reads of 0..3)
 * and PCIEXBAR (writes to 00:00.0 0x60..0x67); returns the line class.
 * *@err is set when the import must stop.
 */
static enum imp_class cfg_access(struct qt *q, int bdf, unsigned off,
				 unsigned size, bool write, uint64_t value,
				 bool has_value, unsigned long line, bool *err)
{
	struct imp_ctx *c = q->c;
	const struct cxl_import_pin *pin;
	bool identified;
	int model, dev, rc;
	enum imp_kind kind = IMP_KIND_CFG;

	if (write && imp_ecam_mch_write(&c->topo->ecam, bdf, off, size, value))
		return IMP_C_CONTEXT;
	if (!write && has_value && c->dry)
		imp_ids_note(c->ids, bdf, off, size, value);
	if (c->dry)
		return IMP_C_OP;
	pin = imp_pin_for_bdf(c, bdf);
	model = imp_ids_model(c->ids, bdf, &identified);
	if (model < 0 && pin) {
		kind = IMP_KIND_PINNED;
		model = pin->model[0] ? cxl_model_lookup(pin->model) : -1;
	}
	if (model < 0 && kind != IMP_KIND_PINNED)
		return identified ? IMP_C_NON_CXL : IMP_C_UNIDENTIFIED;
	dev = imp_dev_for_bdf(c, bdf, kind, model, line);
	if (dev < 0) {
		*err = true;
		return IMP_C_OP;
	}
	rc = imp_op_cfg(c, dev, write, off, size, value, has_value, line);
	if (rc < 0) {
		*err = true;
		return IMP_C_OP;
	}
	if (rc && (write || has_value))
		imp_topo_cfg_access(c->topo, dev, write, off, size, value);
	return rc ? IMP_C_OP : IMP_C_OUT_OF_RANGE;
}

/* One memory access of 1/2/4/8 bytes: ECAM config, component block, or neither. */
static enum imp_class mem_piece(struct qt *q, uint64_t addr, unsigned size,
				bool write, uint64_t value, bool has_value,
				unsigned long line, bool *err)
{
	struct imp_ctx *c = q->c;
	const struct imp_ecam *e = &c->topo->ecam;
	uint64_t off;
	unsigned coff;
	int bdf, dev, rc;

	if (e->on && addr >= e->base && addr - e->base < e->size) {
		if (!imp_ecam_decode(e, addr, size, &bdf, &coff))
			return IMP_C_OUT_OF_RANGE;
		if (size == 8) {
			enum imp_class a, b;

			if (!c->dry)
				c->st.split++;
			a = cfg_access(q, bdf, coff, 4, write, value & 0xffffffff,
				       has_value, line, err);
			if (*err)
				return a;
			b = cfg_access(q, bdf, coff + 4, 4, write, value >> 32,
				       has_value, line, err);
			return merge(a, b, false);
		}
		return cfg_access(q, bdf, coff, size, write, value, has_value,
				  line, err);
	}
	if (c->dry)
		return IMP_C_NOT_COMPONENT;
	dev = imp_topo_block_lookup(c->topo, addr, size, &off);
	if (dev < 0)
		return IMP_C_NOT_COMPONENT;
	rc = imp_op_mmio(c, dev, write, off, size, value, has_value, line);
	if (rc < 0) {
		*err = true;
		return IMP_C_OP;
	}
	return rc ? IMP_C_OP : IMP_C_OUT_OF_RANGE;
}

/*
 * A memory access of @size bytes (q->bytes when @has_data): 1/2/4/8 is one
 * access; other sizes split into naturally aligned pieces of up to 8.
 */
static bool mem_access(struct qt *q, uint64_t addr, unsigned size, bool write,
		       bool has_data, unsigned long line)
{
	enum imp_class cls = IMP_C_OUT_OF_RANGE;
	bool err = false;

	if (size == 1 || size == 2 || size == 4 || size == 8) {
		cls = mem_piece(q, addr, size, write, le(q->bytes, size),
				has_data, line, &err);
	} else {
		if (!q->c->dry)
			q->c->st.split++;
		for (unsigned i = 0; i < size && !err;) {
			unsigned s = 8;

			while (s > size - i || (addr + i) % s)
				s >>= 1;
			cls = merge(cls, mem_piece(q, addr + i, s, write,
						   le(q->bytes + i, s),
						   has_data, line, &err), i == 0);
			i += s;
		}
	}
	if (err)
		return false;
	imp_class(q->c, cls);
	return true;
}

/* A port access: CF8 latch, CFC..CFF config data, or another port. */
static bool pio_access(struct qt *q, uint64_t port, unsigned size, bool write,
		       uint64_t value, bool has_value, unsigned long line)
{
	enum imp_class cls;
	bool err = false;

	if (port == 0xcf8 && size == 4) {
		if (write)
			q->cf8 = (uint32_t)value;
		cls = IMP_C_CONTEXT;
	} else if (port >= 0xcfc && port <= 0xcff) {
		unsigned lane = (unsigned)(port - 0xcfc);

		if (!(q->cf8 & 0x80000000u))
			cls = IMP_C_NO_DEVICE;
		else if (lane + size > 4)
			cls = IMP_C_OUT_OF_RANGE;
		else
			cls = cfg_access(q, (int)((q->cf8 >> 8) & 0xffff),
					 (q->cf8 & 0xfc) + lane, size, write,
					 value, has_value, line, &err);
	} else {
		cls = IMP_C_NOT_COMPONENT;
	}
	if (err)
		return false;
	imp_class(q->c, cls);
	return true;
}

/* Completes the pending read with whatever reply it got. */
static bool flush(struct qt *q)
{
	struct pend p = q->pend;

	if (!p.valid)
		return true;
	q->pend.valid = false;
	if (p.failed) {
		imp_class(q->c, IMP_C_FAILED);
		return true;
	}
	if (p.pio)
		return pio_access(q, p.addr, p.size, false,
				  le(q->bytes, p.size), p.has_value, p.line);
	return mem_access(q, p.addr, p.size, false, p.has_value, p.line);
}

/* Handles a reply line ("OK ...", "FAIL ...", "ERR ..."). */
static void on_reply(struct qt *q, struct imp_lex *lx, const char *w, size_t n)
{
	struct pend *p = &q->pend;
	const char *v;
	size_t vn;

	if (!p->valid || p->replied) {
		imp_class(q->c, IMP_C_IGNORED);
		return;
	}
	p->replied = true;
	if (!imp_word_is(w, n, "OK")) {
		p->failed = true;
		imp_class(q->c, IMP_C_CONTEXT);
		return;
	}
	if (!imp_lex_word(lx, &v, &vn)) {
		imp_class(q->c, IMP_C_IGNORED);
		return;
	}
	if (p->bytes_reply) {
		if (vn < 2 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X') ||
		    vn - 2 != 2 * (size_t)p->size) {
			imp_class(q->c, IMP_C_UNPARSEABLE);
			return;
		}
		for (unsigned i = 0; i < p->size; i++) {
			uint64_t b;

			if (!imp_parse_hex(v + 2 + 2 * i, 2, &b)) {
				imp_class(q->c, IMP_C_UNPARSEABLE);
				return;
			}
			q->bytes[i] = (uint8_t)b;
		}
	} else {
		uint64_t val;

		if (!imp_parse_num(v, vn, &val)) {
			imp_class(q->c, IMP_C_UNPARSEABLE);
			return;
		}
		put_le(q->bytes, p->size, val);
	}
	p->has_value = true;
	imp_class(q->c, IMP_C_CONTEXT);
}

/* Width of an in/out/read/write command from its suffix letter. */
static unsigned width(char suffix)
{
	switch (suffix) {
	case 'b': return 1;
	case 'w': return 2;
	case 'l': return 4;
	case 'q': return 8;
	default: return 0;
	}
}

/* Decodes "0xHEX" into q->bytes[0..size) as QEMU's `write` does (zero-filled). */
static bool data_bytes(struct qt *q, const char *s, size_t n, unsigned size)
{
	if (n < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return false;
	s += 2;
	n -= 2;
	memset(q->bytes, 0, size);
	for (size_t i = 0; i < n; i++) {
		uint64_t d;

		if (!imp_parse_hex(s + i, 1, &d))
			return false;
		if (i / 2 < size)
			q->bytes[i / 2] |= (uint8_t)(d << (i % 2 ? 0 : 4));
	}
	return true;
}

/* Starts a read that waits for its reply. */
static void start_read(struct qt *q, bool pio, bool bytes_reply,
		       uint64_t addr, unsigned size, unsigned long line)
{
	q->pend = (struct pend){ .valid = true, .pio = pio,
				 .bytes_reply = bytes_reply, .addr = addr,
				 .size = size, .line = line };
	memset(q->bytes, 0, size);
}

static const char *const ignored_cmds[] = {
	"clock_step", "clock_set", "endianness", "irq_intercept_in",
	"irq_intercept_out", "set_irq_in", "module_load", NULL,
};
static const char *const unsupported_cmds[] = {
	"b64read", "b64write", "memset", NULL,
};

/* True when @w[0..n) is in the NULL-terminated @list. */
static bool in_list(const char *const *list, const char *w, size_t n)
{
	for (; *list; list++)
		if (imp_word_is(w, n, *list))
			return true;
	return false;
}

/* Handles one request (the line after any [R +t] prefix). */
static bool on_command(struct qt *q, struct imp_lex *lx, const char *w,
		       size_t n, unsigned long line)
{
	struct imp_ctx *c = q->c;
	uint64_t addr, val, size;
	unsigned wd;

	if (!flush(q))
		return false;
	if (in_list(ignored_cmds, w, n)) {
		c->records++;
		imp_class(c, IMP_C_IGNORED);
		return true;
	}
	if (in_list(unsupported_cmds, w, n)) {
		c->records++;
		imp_class(c, IMP_C_UNSUPPORTED);
		return true;
	}
	if (n == 4 && !memcmp(w, "out", 3) && (wd = width(w[3])) && wd < 8) {
		if (!imp_lex_num(lx, &addr) || !imp_lex_num(lx, &val) ||
		    !imp_lex_at_end(lx) || addr > 0xffff)
			goto bad;
		c->records++;
		return pio_access(q, addr, wd, true,
				  wd < 8 ? val & ((1ull << (8 * wd)) - 1) : val,
				  true, line);
	}
	if (n == 3 && !memcmp(w, "in", 2) && (wd = width(w[2])) && wd < 8) {
		if (!imp_lex_num(lx, &addr) || !imp_lex_at_end(lx) || addr > 0xffff)
			goto bad;
		c->records++;
		start_read(q, true, false, addr, wd, line);
		return true;
	}
	if (n == 6 && !memcmp(w, "write", 5) && (wd = width(w[5]))) {
		if (!imp_lex_num(lx, &addr) || !imp_lex_num(lx, &val) ||
		    !imp_lex_at_end(lx))
			goto bad;
		c->records++;
		put_le(q->bytes, wd,
		       wd < 8 ? val & ((1ull << (8 * wd)) - 1) : val);
		return mem_access(q, addr, wd, true, true, line);
	}
	if (n == 5 && !memcmp(w, "read", 4) && (wd = width(w[4]))) {
		if (!imp_lex_num(lx, &addr) || !imp_lex_at_end(lx))
			goto bad;
		c->records++;
		start_read(q, false, false, addr, wd, line);
		return true;
	}
	if (imp_word_is(w, n, "read") || imp_word_is(w, n, "write")) {
		bool wr = n == 5;
		const char *d = NULL;
		size_t dn = 0;

		if (!imp_lex_num(lx, &addr) || !imp_lex_num(lx, &size) || !size ||
		    (wr && !imp_lex_word(lx, &d, &dn)) || !imp_lex_at_end(lx))
			goto bad;
		c->records++;
		if (size > MAX_BYTES || addr + size < addr) {
			imp_class(c, IMP_C_OUT_OF_RANGE);
			return true;
		}
		if (!wr) {
			start_read(q, false, true, addr, (unsigned)size, line);
			return true;
		}
		if (!data_bytes(q, d, dn, (unsigned)size))
			goto bad;
		return mem_access(q, addr, (unsigned)size, true, true, line);
	}
	imp_class(c, IMP_C_UNKNOWN);
	return true;
bad:
	imp_class(c, IMP_C_UNPARSEABLE);
	return true;
}

/* Classifies and handles one input line. */
static bool on_line(struct qt *q, const char *s, size_t len, unsigned flags,
		    unsigned long line)
{
	struct imp_ctx *c = q->c;
	struct imp_lex lx;
	const char *w;
	size_t n;

	if (imp_class_flagged(c, flags, line))
		return !c->failed;
	imp_lex_init(&lx, s, len);
	if (!imp_lex_word(&lx, &w, &n) || w[0] == '#') {
		imp_class(c, IMP_C_BLANK);
		return true;
	}
	if (w[0] == '[') {
		const char *close = memchr(s, ']', len);
		char tag = n > 1 ? w[1] : 0;

		if (!close || (tag != 'R' && tag != 'S' && tag != 'I')) {
			imp_class(c, IMP_C_UNKNOWN);
			return true;
		}
		if (tag == 'I') {
			c->records++;
			imp_class(c, IMP_C_IGNORED);
			return true;
		}
		imp_lex_init(&lx, close + 1, len - (size_t)(close + 1 - s));
		if (!imp_lex_word(&lx, &w, &n)) {
			imp_class(c, IMP_C_IGNORED);
			return true;
		}
		if (tag == 'S') {
			if (imp_word_is(w, n, "OK") || imp_word_is(w, n, "FAIL") ||
			    imp_word_is(w, n, "ERR"))
				on_reply(q, &lx, w, n);
			else
				imp_class(c, IMP_C_IGNORED);
			return true;
		}
	} else if (imp_word_is(w, n, "OK") || imp_word_is(w, n, "FAIL") ||
		   imp_word_is(w, n, "ERR")) {
		on_reply(q, &lx, w, n);
		return true;
	} else if (imp_word_is(w, n, "IRQ")) {
		imp_class(c, IMP_C_IGNORED);
		return true;
	}
	return on_command(q, &lx, w, n, line);
}

/* Imports one qtest stream or log; false with c->err set on failure. */
bool imp_qtest_file(struct imp_ctx *c, struct imp_lines *in)
{
	struct qt *q;
	const char *s;
	size_t len;
	unsigned flags;
	int rc = 0;
	bool ok = true;

	q = calloc(1, sizeof(*q));
	if (!q)
		return imp_fail(c, CXL_ERR_IO, 0, 0, "out of memory");
	q->c = c;
	while (ok && (rc = imp_lines_next(in, &s, &len, &flags, c->err)) > 0) {
		c->st.lines++;
		ok = on_line(q, s, len, flags, imp_lines_number(in)) && !c->failed;
	}
	if (ok && rc < 0) {
		c->failed = true;
		ok = false;
	}
	if (ok)
		ok = flush(q) && !c->failed;
	free(q);
	return ok;
}
