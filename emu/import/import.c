/* SPDX-License-Identifier: MIT */
/*
 * import.c - the import driver: options, inputs, device naming, output.
 *
 * Parsers report what each line became (imp_class) and hand accesses to
 * imp_op_cfg/imp_op_mmio/imp_op_mark, which check that a native op can
 * express them, name the device on its first op and append the op to the
 * trace builder. When every input is read the trace is either written as
 * YAML (with the header comment saying what every line became) or handed
 * out as a reader.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cxlemu/fuzzops.h"
#include "import_int.h"

/* The one table of input formats: name, parser, and whether it needs a learning pass. */
static const struct {
	const char *name;
	bool (*parse)(struct imp_ctx *c, struct imp_lines *in);
	bool two_pass;           /* pass 1 learns device identities from ID reads anywhere */
} formats[CXL_IMPORT__COUNT] = {
	[CXL_IMPORT_QEMU_LOG] = { "qemu-log", imp_qemu_log_file, false },
	[CXL_IMPORT_QTEST] = { "qtest", imp_qtest_file, true },
	[CXL_IMPORT_MMIOTRACE] = { "mmiotrace", imp_mmiotrace_file, false },
	[CXL_IMPORT_FUZZ_OPS] = { "fuzz-ops", NULL, false },   /* binary: fuzz_reader() */
};

/*
 * fuzz-ops input (one file, not lines): the whole file, at most CXL_FUZZOPS_INPUT_MAX
 * bytes, decoded by the fuzz-ops reader on its fixed topology.
 */
static enum cxl_err fuzz_reader(const char *const *paths, unsigned npaths,
				struct cxl_trace_reader **out, struct cxl_error *err)
{
	uint8_t *buf;
	size_t n;
	enum cxl_err rc;
	FILE *f;

	const char *name;
	bool in;

	if (npaths != 1)
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "fuzz-ops imports one file");
	in = cxl_path_is_stdin(paths[0]);
	name = cxl_path_display(paths[0]);
	if (in && !cxl_stdin_take(err))
		return CXL_ERR_USAGE;
	f = in ? stdin : fopen(paths[0], "rb");
	if (!f)
		return cxl_error_set(err, CXL_ERR_IO, name, 0, 0, "cannot open: %s", strerror(errno));
	buf = malloc(CXL_FUZZOPS_INPUT_MAX + 1);
	if (!buf) {
		if (!in)
			fclose(f);
		return cxl_error_set(err, CXL_ERR_LIMIT, name, 0, 0, "out of memory");
	}
	n = fread(buf, 1, CXL_FUZZOPS_INPUT_MAX + 1, f);
	rc = ferror(f) ? cxl_error_set(err, CXL_ERR_IO, name, 0, 0, "read error") :
	     n > CXL_FUZZOPS_INPUT_MAX ? cxl_error_set(err, CXL_ERR_LIMIT, name, 1, 1,
						       "a fuzz-ops input is at most %u bytes",
						       CXL_FUZZOPS_INPUT_MAX) :
	     cxl_fuzzops_reader(buf, n, name, out, err);
	if (!in)
		fclose(f);
	free(buf);
	return rc;
}

/* Defaults: qemu-log, ECAM at 0xb0000000, no profile, no pins. */
CXL_EXPORT
void cxl_import_opts_init(struct cxl_import_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = CXL_IMPORT_QEMU_LOG;
	o->ecam_base = CXL_IMPORT_DEFAULT_ECAM;
}

CXL_EXPORT
enum cxl_err cxl_import_add_host_decoder(struct cxl_import_opts *o, const char *spec,
					 struct cxl_error *err)
{
	const uint64_t granule = 0x10000000ULL;
	struct cxl_host_decoder h = { true, true, true, 0, 0 };
	char buf[128], *save = NULL, *w;
	uint64_t n, v[2];

	if (strlen(spec) >= sizeof(buf))
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "--host-decoder '%.40s...' is too long", spec);
	strcpy(buf, spec);
	w = strchr(buf, '=');
	if (!w)
		goto bad;
	*w++ = '\0';
	if (!imp_parse_num(buf, strlen(buf), &n) || n >= CXL_HOST_DECODERS_MAX)
		goto bad;
	for (int k = 0; k < 2; k++) {
		char *t = strtok_r(k ? NULL : w, ",", &save);

		/* CXL r3.1 §8.2.4.20.5/6: base and size are in 256 MiB units; a decoder has a size */
		if (!t || !imp_parse_num(t, strlen(t), &v[k]) || v[k] % granule || (k == 1 && !v[k]))
			goto bad;
	}
	for (char *t = strtok_r(NULL, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!strcmp(t, "unlocked"))
			h.locked = false;
		else if (!strcmp(t, "uncommitted"))
			h.committed = h.locked = false;
		else
			goto bad;
	}
	if (v[0] + v[1] < v[0])  /* the window must end inside the address space */
		goto bad;
	h.base = v[0];
	h.size = v[1];
	o->vfio_host[n] = h;
	return CXL_OK;
bad:
	return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
			     "--host-decoder '%s': want N=BASE,SIZE[,unlocked|,uncommitted] (N 0..%d, "
			     "BASE and SIZE multiples of 256 MiB, SIZE not 0)", spec, CXL_HOST_DECODERS_MAX - 1);
}

/* Command-line name -> format, -1 when unknown. */
CXL_EXPORT
int cxl_import_format_parse(const char *name)
{
	for (int f = 0; f < CXL_IMPORT__COUNT; f++)
		if (!strcmp(name, formats[f].name))
			return f;
	return -1;
}

/* Format -> command-line name ("?" when out of range). */
CXL_EXPORT
const char *cxl_import_format_name(enum cxl_import_format f)
{
	return (unsigned)f < CXL_IMPORT__COUNT ? formats[f].name : "?";
}

/* True when @s[0..n) is a trace device/model name: [A-Za-z0-9_.-]{1,63}, alnum or _ first. */
static bool name_ok(const char *s, size_t n)
{
	if (!n || n >= CXL_TRACE_NAME_MAX || s[0] == '-' || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') && !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && !strchr("_.-", s[i]))
			return false;
	return true;
}

/* Parses "BB:DD.F" (hex; an optional "DDDD:" domain 0 is accepted). */
static bool parse_bdf(const char *s, size_t n, unsigned *bdf)
{
	const char *c1 = memchr(s, ':', n), *dot;
	uint64_t bus, dev, fn;

	if (!c1)
		return false;
	if (memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - s))) {
		uint64_t dom;

		if (!imp_parse_hex(s, (size_t)(c1 - s), &dom) || dom)
			return false;
		n -= (size_t)(c1 + 1 - s);
		s = c1 + 1;
		c1 = memchr(s, ':', n);
	}
	dot = memchr(c1, '.', n - (size_t)(c1 - s));
	if (!dot || !imp_parse_hex(s, (size_t)(c1 - s), &bus) ||
	    !imp_parse_hex(c1 + 1, (size_t)(dot - c1 - 1), &dev) ||
	    !imp_parse_hex(dot + 1, n - (size_t)(dot + 1 - s), &fn) ||
	    bus > 0xff || dev > 0x1f || fn > 7)
		return false;
	*bdf = (unsigned)(bus << 8 | dev << 3 | fn);
	return true;
}

/* Parses and records one --device SPEC; see import.h. */
CXL_EXPORT
enum cxl_err cxl_import_add_pin(struct cxl_import_opts *o, const char *spec,
				struct cxl_error *err)
{
	struct cxl_import_pin p = { 0 };
	const char *eq = strchr(spec, '='), *name, *colon;
	size_t nlen;

	if (!eq)
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
				     "--device '%s': expected ADDR=NAME:MODEL or BB:DD.F=NAME[:MODEL]",
				     spec);
	if (parse_bdf(spec, (size_t)(eq - spec), &p.bdf)) {
		p.by_bdf = true;
	} else if (!imp_parse_num(spec, (size_t)(eq - spec), &p.addr) ||
		   !p.addr) {
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
				     "--device '%s': '%.*s' is neither a BB:DD.F nor a non-zero address",
				     spec, (int)(eq - spec), spec);
	} else if (p.addr % CXL_SPACE_COMPONENT_SIZE || p.addr + CXL_SPACE_COMPONENT_SIZE < p.addr) {
		/* a component register block is 64 KiB and 64 KiB aligned (CXL r3.1 §8.2.3: the
		 * Register Locator gives its offset in 64 KiB units; a CHBS block likewise) */
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
				     "--device '%s': a component block address is 64 KiB aligned and its "
				     "64 KiB end inside the address space", spec);
	}
	name = eq + 1;
	colon = strchr(name, ':');
	nlen = colon ? (size_t)(colon - name) : strlen(name);
	if (!name_ok(name, nlen))
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
				     "--device '%s': bad device name (want [A-Za-z0-9_.-], at most 63)",
				     spec);
	memcpy(p.name, name, nlen);
	if (colon) {
		if (!name_ok(colon + 1, strlen(colon + 1)))
			return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
					     "--device '%s': bad model name", spec);
		strcpy(p.model, colon + 1);
	} else if (!p.by_bdf) {
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
				     "--device '%s': an address pin needs :MODEL", spec);
	}
	for (unsigned i = 0; i < o->npins; i++) {
		const struct cxl_import_pin *q = &o->pins[i];

		if (q->by_bdf == p.by_bdf &&
		    (p.by_bdf ? q->bdf == p.bdf : q->addr == p.addr))
			return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
					     "--device '%s': pinned twice", spec);
		if (!strcmp(q->name, p.name) && q->model[0] && p.model[0] &&
		    strcmp(q->model, p.model))
			return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
					     "--device '%s': %s already has model %s",
					     spec, p.name, q->model);
	}
	if (o->npins >= CXL_TRACE_MAX_DEVICES)
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
				     "more than %d --device options",
				     CXL_TRACE_MAX_DEVICES);
	o->pins[o->npins++] = p;
	return CXL_OK;
}

/* Counts the line (or pending line) just classified; nothing in pass 1. */
void imp_class(struct imp_ctx *c, enum imp_class cls)
{
	if (!c->dry)
		c->st.cls[cls]++;
}

/*
 * Counts a line the line reader flagged (over-long, unterminated last line,
 * binary bytes) in its skip class; returns true when the line was flagged and
 * must not be parsed. An input that has given no record yet and then
 * IMP_BAD_RUN_MAX binary or over-long lines in a row (/dev/urandom, a core
 * file) is given up on: the error is set (c->failed) at line @line.
 */
bool imp_class_flagged(struct imp_ctx *c, unsigned flags, unsigned long line)
{
	if (!(flags & (IMP_LF_TOO_LONG | IMP_LF_UNTERMINATED | IMP_LF_BINARY))) {
		c->bad_run = 0;
		return false;
	}
	imp_class(c, flags & IMP_LF_TOO_LONG ? IMP_C_TOO_LONG :
		  flags & IMP_LF_UNTERMINATED ? IMP_C_TRUNCATED : IMP_C_UNPARSEABLE);
	if (++c->bad_run >= IMP_BAD_RUN_MAX && !c->records)
		imp_fail(c, CXL_ERR_SYNTAX, line - c->bad_run + 1, 1,
			 "not a %s: %lu lines in a row of binary data or longer than the line limit",
			 cxl_import_format_name(c->o->format), c->bad_run);
	return true;
}

/* Records an error at @line:@col of the current input; returns false. */
bool imp_fail(struct imp_ctx *c, enum cxl_err code, unsigned long line,
	      unsigned long col, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof(c->err->msg)];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cxl_error_set(c->err, code, c->path, line, col, "%s", msg);
	c->failed = true;
	return false;
}

/* The --device BB:DD.F pin for @bdf, or NULL. */
const struct cxl_import_pin *imp_pin_for_bdf(const struct imp_ctx *c, int bdf)
{
	for (unsigned i = 0; i < c->o->npins; i++)
		if (c->o->pins[i].by_bdf && (int)c->o->pins[i].bdf == bdf)
			return &c->o->pins[i];
	return NULL;
}

/* Topology device of config function @bdf; -1 (and failed) past 64. */
int imp_dev_for_bdf(struct imp_ctx *c, int bdf, enum imp_kind kind, int model,
		    unsigned long line)
{
	int i = imp_topo_cfg_dev(c->topo, bdf, kind, model, imp_pin_for_bdf(c, bdf));

	if (i < 0)
		imp_fail(c, CXL_ERR_LIMIT, line, 1, "more than %d CXL devices",
			 CXL_TRACE_MAX_DEVICES);
	return i;
}

/* "BB:DD.F" of @bdf into @buf. */
static void bdf_str(int bdf, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x.%x", (unsigned)bdf >> 8,
		 ((unsigned)bdf >> 3) & 0x1f, (unsigned)bdf & 7);
}

/* The YAML comment put on a device's line: BDF and QEMU type, or its block. */
static void describe(const struct imp_dev *d, char *buf, size_t len)
{
	char bdf[16];

	if (d->bdf >= 0) {
		const char *type = d->model >= 0 ? cxl_model_qemu_type((unsigned)d->model) : NULL;

		bdf_str(d->bdf, bdf, sizeof(bdf));
		snprintf(buf, len, "%s %s", bdf, d->kind == IMP_KIND_PINNED ? "--device" :
			 type ? type : cxl_model_name((unsigned)d->model));
	} else if (d->kind == IMP_KIND_HB) {
		snprintf(buf, len, "host bridge component block 0x%llx",
			 (unsigned long long)d->fixed_base);
	} else if (d->kind == IMP_KIND_MAPPED) {
		snprintf(buf, len, "component block 0x%llx (guessed from MAP at line %lu)",
			 (unsigned long long)d->fixed_base, d->origin_line);
	} else {
		snprintf(buf, len, "component block 0x%llx (--device)",
			 (unsigned long long)d->fixed_base);
	}
}

/* True when a --device pin uses @name (automatic names avoid it). */
static bool reserved(const struct imp_ctx *c, const char *name)
{
	for (unsigned i = 0; i < c->o->npins; i++)
		if (!strcmp(c->o->pins[i].name, name))
			return true;
	return false;
}

/*
 * Adds a device named @prefix<N> with the smallest N neither in use nor pinned, so devices
 * of one kind are numbered in order of first appearance. -1 when 64 devices exist already.
 */
static int auto_device(struct imp_ctx *c, const char *prefix, const char *model,
		       const char *comment)
{
	char name[CXL_TRACE_NAME_MAX];

	for (unsigned n = 0; n <= CXL_TRACE_MAX_DEVICES * 2; n++) {
		snprintf(name, sizeof(name), "%s%u", prefix, n);
		if (cxl_trace_builder_find(c->tb, name) < 0 && !reserved(c, name))
			return cxl_trace_builder_device(c->tb, name, model, comment);
	}
	return -1;
}

/* Trace device index of topology device @i, naming it on first use; -1 on failure. */
static int emit_index(struct imp_ctx *c, int i, unsigned long line)
{
	struct imp_dev *d = &c->topo->dev[i];
	const char *model = d->model >= 0 ? cxl_model_name((unsigned)d->model) : "";
	char comment[160];
	int e;

	if (d->emit >= 0)
		return d->emit;
	describe(d, comment, sizeof(comment));
	if (d->pin) {
		if (d->pin->model[0])
			model = d->pin->model;
		if (!model[0]) {
			imp_fail(c, CXL_ERR_USAGE, line, 1,
				 "--device for %s needs :MODEL (device type unknown)",
				 d->pin->name);
			return -1;
		}
		e = cxl_trace_builder_device(c->tb, d->pin->name, model, comment);
	} else {
		e = auto_device(c, cxl_kind_prefix(cxl_model_kind((unsigned)d->model)), model, comment);
	}
	if (e < 0) {
		imp_fail(c, CXL_ERR_LIMIT, line, 1, "more than %d devices",
			 CXL_TRACE_MAX_DEVICES);
		return -1;
	}
	d->emit = e;
	return e;
}

/* The op's recorded source, "FILE:LINE" (the basename of the input). */
static void source(const struct imp_ctx *c, unsigned long line, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%lu", c->base, line);
}

/* Appends @op with its source and line; -1 (failed) when the builder cannot. */
static int add_op(struct imp_ctx *c, struct cxl_op *op, unsigned long line)
{
	source(c, line, op->src, sizeof(op->src));
	op->line = line;
	op->col = 1;
	if (cxl_trace_builder_op(c->tb, op, c->err)) {
		c->failed = true;
		return -1;
	}
	return 1;
}

/* True when @value fits in @size bytes. */
static bool fits(uint64_t value, unsigned size)
{
	return size >= 8 || !(value >> (8 * size));
}

/* Emits one validated access op of @kind for device @dev; returns 1, or -1 on error. */
static int emit_access(struct imp_ctx *c, int dev, enum cxl_op_kind kind, uint64_t off,
		       unsigned size, uint64_t value, bool has_value, unsigned long line)
{
	int e;

	if (c->dry)
		return 1;
	e = emit_index(c, dev, line);
	if (e < 0)
		return -1;
	return imp_emit_op(c, (unsigned)e, kind, off, size, value, has_value, 0, line);
}

int imp_emit_op(struct imp_ctx *c, unsigned tdev, enum cxl_op_kind kind, uint64_t off,
		unsigned size, uint64_t value, bool has_value, unsigned flags, unsigned long line)
{
	struct cxl_op op;
	unsigned space;
	bool write;

	if (c->dry)
		return 1;
	cxl_op_kind_access(kind, &space, &write);
	if ((size != 1 && size != 2 && size != 4 && size != 8) || (space == CXL_SPACE_CONFIG && size == 8) ||
	    off + size > cxl_space_size(space) || (has_value && !fits(value, size)))
		return 0;
	memset(&op, 0, sizeof(op));
	op.kind = kind;
	op.dev = tdev;
	op.offset = off;
	op.size = size;
	op.value = has_value ? value : 0;
	op.has_value = has_value || write;
	op.flags = flags;
	return add_op(c, &op, line);
}

int imp_new_device(struct imp_ctx *c, const char *prefix, const char *model, const char *comment)
{
	return auto_device(c, prefix, model, comment);
}

/*
 * Emits a cfg-read/cfg-write of topology device @dev. Returns 1 when the op
 * was emitted (or would be, in pass 1), 0 when no native op can express it
 * (size not 1/2/4, beyond 0xfff, value too wide), -1 on failure.
 */
int imp_op_cfg(struct imp_ctx *c, int dev, bool write, unsigned off,
	       unsigned size, uint64_t value, bool has_value,
	       unsigned long line)
{
	if ((size != 1 && size != 2 && size != 4) || off + size > CXL_SPACE_CONFIG_SIZE ||
	    (has_value && !fits(value, size)))
		return 0;
	return emit_access(c, dev, write ? CXL_OP_CFG_WRITE : CXL_OP_CFG_READ, off, size,
			   value, has_value || write, line);
}

/* Emits an mmio-read/mmio-write at block offset @off; returns as imp_op_cfg. */
int imp_op_mmio(struct imp_ctx *c, int dev, bool write, uint64_t off,
		unsigned size, uint64_t value, bool has_value,
		unsigned long line)
{
	if ((size != 1 && size != 2 && size != 4 && size != 8) ||
	    off + size > CXL_SPACE_COMPONENT_SIZE || (has_value && !fits(value, size)))
		return 0;
	return emit_access(c, dev, write ? CXL_OP_MMIO_WRITE : CXL_OP_MMIO_READ, off, size,
			   value, has_value || write, line);
}

/* Emits a mark op with at most 400 bytes of @text; returns 1. */
int imp_op_mark(struct imp_ctx *c, const char *text, size_t len,
		unsigned long line)
{
	struct cxl_op op;

	if (c->dry)
		return 1;
	memset(&op, 0, sizeof(op));
	op.kind = CXL_OP_MARK;
	if (len > 400)
		len = 400;
	memcpy(op.text, text, len);
	return add_op(c, &op, line);
}

/* Writes @s into a comment: printable ASCII kept, anything else '?' (one valid UTF-8 line). */
static void comment_text(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s >= 0x20 && *s <= 0x7e ? *s : '?', out);
}

/* Basename of @path. */
static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* How device @d found its component block, for the header. */
static void block_note(FILE *out, const struct imp_dev *d, const char *name)
{
	fprintf(out, "#   %s: ", name);
	switch (d->used_src) {
	case IMP_BASE_LOCATOR:
		fprintf(out, "BAR%u + 0x%llx = 0x%llx (Register Locator DVSEC as read in the input)\n",
			d->used_bir, (unsigned long long)d->used_off,
			(unsigned long long)d->used_base);
		break;
	case IMP_BASE_FALLBACK:
		fprintf(out, "BAR%u + 0x%llx = 0x%llx (fallback: Register Locator not read; the one of model %s)\n",
			d->used_bir, (unsigned long long)d->used_off, (unsigned long long)d->used_base,
			d->model >= 0 ? cxl_model_name((unsigned)d->model) : "?");
		break;
	default:
		if (d->kind == IMP_KIND_HB)
			fprintf(out, "0x%llx (host bridge: '.cache_mem' outside every BAR, 64 KiB aligned)\n",
				(unsigned long long)d->used_base);
		else if (d->kind == IMP_KIND_MAPPED)
			fprintf(out, "0x%llx (MAP at line %lu: 64 KiB aligned, covers +0x%x..+0x%x)\n",
				(unsigned long long)d->used_base, d->origin_line, CXL_RANGE_CACHEMEM_START,
				CXL_RANGE_CACHEMEM_END - 1);
		else
			fprintf(out, "0x%llx (--device)\n",
				(unsigned long long)d->used_base);
		break;
	}
}

static void topology_note(const struct imp_ctx *c, FILE *out);

/* The comment block at the top: inputs, counters, how blocks were found, the topology. */
static void write_header(struct imp_ctx *c, FILE *out,
			 const char *const *paths, unsigned npaths,
			 const unsigned long *lines)
{
	const struct imp_stats *st = &c->st;
	bool any_block = false;

	fprintf(out, "# Imported by `cxlemu import --from %s`; re-import rather than edit.\n",
		cxl_import_format_name(c->o->format));
	for (unsigned i = 0; i < npaths; i++) {
		fputs("# input: ", out);
		comment_text(out, base_name(cxl_path_display(paths[i])));
		fprintf(out, " (%lu lines)\n", lines[i]);
	}
	fprintf(out, "# lines read: %lu\n", st->lines);
	fprintf(out, "#   %-56s %lu\n", "produced ops:", st->cls[IMP_C_OP]);
	fprintf(out, "#   %-56s %lu\n", "context (size pairing, latches, replies, MAP):",
		st->cls[IMP_C_CONTEXT]);
	fprintf(out, "#   %-56s %lu\n", "skipped:", imp_stats_skipped(st));
	for (unsigned k = 0; k < IMP_C__COUNT; k++) {
		char label[80];

		if (!imp_class_is_skip((enum imp_class)k))
			continue;
		snprintf(label, sizeof(label), "%s:", imp_class_desc((enum imp_class)k));
		fprintf(out, "#     %-54s %lu\n", label, st->cls[k]);
	}
	fprintf(out, "# ops emitted: %lu\n", cxl_trace_builder_nops(c->tb));
	if (st->split)
		fprintf(out, "# accesses split into naturally aligned pieces: %lu\n",
			st->split);
	if (st->gz_truncated)
		fprintf(out, "# inputs whose gzip stream ended early (truncated file): %lu\n",
			st->gz_truncated);
	for (unsigned e = 0; e < cxl_trace_builder_header(c->tb)->ndevices; e++) {
		for (unsigned i = 0; i < c->topo->ndev; i++) {
			const struct imp_dev *d = &c->topo->dev[i];

			if (d->emit != (int)e || !d->used)
				continue;
			if (!any_block)
				fputs("# component blocks:\n", out);
			any_block = true;
			block_note(out, d, cxl_trace_builder_header(c->tb)->devices[e].name);
		}
	}
	if (c->o->format == CXL_IMPORT_QTEST)
		fprintf(out, "# ECAM at the end: %s0x%llx, %llu MiB%s\n",
			c->topo->ecam.on ? "" : "off, was ",
			(unsigned long long)c->topo->ecam.base,
			(unsigned long long)(c->topo->ecam.size >> 20),
			c->topo->ecam.programmed ? " (PCIEXBAR programmed by the input)" :
			" (--ecam)");
	topology_note(c, out);
}

/* Name @buf for host bridge node @h: hb<N>, the smallest N no device, pin or earlier node uses. */
static bool node_name(struct imp_ctx *c, unsigned h, char *buf, size_t len)
{
	for (unsigned n = 0; n <= CXL_TRACE_MAX_DEVICES + CXL_TRACE_MAX_NODES; n++) {
		bool used = false;

		snprintf(buf, len, "%s%u", cxl_kind_prefix(CXL_KIND_HOST_BRIDGE), n);
		for (unsigned k = 0; k < h && !used; k++)
			used = !strcmp(c->hb_names[k], buf);
		if (!used && cxl_trace_builder_find(c->tb, buf) < 0 && !reserved(c, buf))
			return true;
	}
	return false;
}

/*
 * Gives the trace its topology (traces/README.md "Topology") from what the last pass learnt:
 * each placed device's parent: and port:, and a topology node for each host bridge that has
 * no registers in the trace. No windows: the CFMWS are in ACPI (CEDT), which no input shows.
 */
static bool add_topology(struct imp_ctx *c)
{
	struct cxl_trace_header *h = cxl_trace_builder_header(c->tb);
	int kind[CXL_TRACE_MAX_DEVICES];
	struct imp_layout *l;

	c->layout = l = calloc(1, sizeof(*l));
	c->hb_names = calloc(CXL_TRACE_MAX_NODES, sizeof(*c->hb_names));
	if (!l || !c->hb_names)
		return imp_fail(c, CXL_ERR_IO, 0, 0, "out of memory");
	for (unsigned i = 0; i < c->topo->ndev; i++) {
		const struct imp_dev *d = &c->topo->dev[i];
		int m = d->emit >= 0 ? cxl_model_lookup(h->devices[d->emit].model) : -1;

		kind[i] = m >= 0 ? (int)cxl_model_kind((unsigned)m) : -1;
	}
	imp_topo_layout(c->topo, kind, l);
	for (unsigned k = 0; k < l->nhb; k++) {
		if (l->hb[k].dev >= 0) {
			snprintf(c->hb_names[k], sizeof(c->hb_names[k]), "%s",
				 h->devices[c->topo->dev[l->hb[k].dev].emit].name);
			continue;
		}
		if (h->nnodes >= CXL_TRACE_MAX_NODES ||
		    !node_name(c, k, c->hb_names[k], sizeof(c->hb_names[k])))
			return imp_fail(c, CXL_ERR_LIMIT, 0, 0, "more than %d topology nodes",
					CXL_TRACE_MAX_NODES);
		memset(&h->nodes[h->nnodes], 0, sizeof(h->nodes[0]));
		snprintf(h->nodes[h->nnodes].name, sizeof(h->nodes[0].name), "%s", c->hb_names[k]);
		h->nodes[h->nnodes].kind = CXL_TOPO_HOST_BRIDGE;
		h->nodes[h->nnodes].port = -1;
		h->nnodes++;
	}
	for (unsigned i = 0; i < c->topo->ndev; i++) {
		const struct imp_place *p = &l->place[i];
		struct cxl_trace_device *td;

		if (p->why != IMP_WHY_PLACED)
			continue;
		td = &h->devices[c->topo->dev[i].emit];
		snprintf(td->parent, sizeof(td->parent), "%s", p->hb >= 0 ? c->hb_names[p->hb] :
			 h->devices[c->topo->dev[p->parent].emit].name);
		td->port = p->port;
	}
	return true;
}

/* The header's account of the topology: where each device sits and why, or why not. */
static void topology_note(const struct imp_ctx *c, FILE *out)
{
	const struct imp_layout *l = c->layout;
	const struct cxl_trace_header *h = cxl_trace_builder_header(c->tb);

	if (!l || !l->any)
		return;
	fputs("# topology (bus numbers and Port Numbers the guest read or wrote; no windows: the\n"
	      "# CFMWS are in ACPI, which the input does not show):\n", out);
	for (unsigned k = 0; k < l->nhb; k++) {
		fprintf(out, "#   %s: host bridge of root bus %02x", c->hb_names[k], l->hb[k].bus);
		if (l->hb[k].dev >= 0)
			fputs(" (the one host-bridge component block, the one root bus)\n", out);
		else
			fputs(", a node (no component register access in the input)\n", out);
	}
	for (unsigned e = 0; e < h->ndevices; e++) {
		for (unsigned i = 0; i < c->topo->ndev; i++) {
			const struct imp_dev *d = &c->topo->dev[i];
			const struct imp_place *p = &l->place[i];
			const char *name = h->devices[e].name;

			if (d->emit != (int)e)
				continue;
			if (p->why == IMP_WHY_NONE) {
				if (p->host_bridge && l->no_hb)
					fprintf(out, "#   %s: root bus not known (%s)\n", name, l->no_hb);
				continue;
			}
			fprintf(out, "#   %s: ", name);
			switch (p->why) {
			case IMP_WHY_PLACED:
				if (p->hb >= 0)
					fprintf(out, "parent %s (root port on bus %02x)", h->devices[e].parent,
						l->hb[p->hb].bus);
				else
					fprintf(out, "parent %s (its Secondary Bus Number is %02x, this bus)",
						h->devices[e].parent, (unsigned)d->bdf >> 8);
				break;
			case IMP_WHY_NO_BRIDGE:
				fprintf(out, "no parent (no bridge's Secondary Bus Number is %02x)",
					(unsigned)d->bdf >> 8);
				break;
			case IMP_WHY_TWO_BRIDGES:
				fprintf(out, "no parent (more than one bridge's Secondary Bus Number is %02x)",
					(unsigned)d->bdf >> 8);
				break;
			case IMP_WHY_WRONG_KIND:
				fprintf(out, "no parent (%s above it cannot be its parent)",
					h->devices[c->topo->dev[p->bridge].emit].name);
				break;
			case IMP_WHY_NO_HB:
				fprintf(out, "no parent (host bridge of bus %02x not known: %s)",
					(unsigned)d->bdf >> 8, l->no_hb ? l->no_hb : "?");
				break;
			default:
				fprintf(out, "no parent (%s above it has no place)",
					h->devices[c->topo->dev[p->bridge].emit].name);
				break;
			}
			if (p->why == IMP_WHY_PLACED && p->port >= 0)
				fprintf(out, ", port %d (Link Capabilities Port Number)", p->port);
			else if (p->why == IMP_WHY_PLACED && p->port_unread)
				fputs(", no port (Link Capabilities Port Number not read)", out);
			fputc('\n', out);
		}
	}
}

/* Runs the parser of the selected format over one opened input. */
static bool run_parser(struct imp_ctx *c, struct imp_lines *in)
{
	if ((unsigned)c->o->format >= CXL_IMPORT__COUNT)
		return imp_fail(c, CXL_ERR_USAGE, 0, 0, "unknown input format");
	return formats[c->o->format].parse(c, in);
}

/* (Re)initialises the topology for a pass, with the --device ADDR blocks. */
static bool topo_start(struct imp_ctx *c)
{
	imp_topo_free(c->topo);
	imp_topo_init(c->topo, c->o->ecam_base);
	for (unsigned i = 0; i < c->o->npins; i++) {
		const struct cxl_import_pin *p = &c->o->pins[i];

		if (!p->by_bdf &&
		    imp_topo_block_dev(c->topo, IMP_KIND_PINNED, cxl_model_lookup(p->model), p->addr,
				       p, 0) < 0)
			return imp_fail(c, CXL_ERR_LIMIT, 0, 0, "too many devices");
	}
	return true;
}

/*
 * Copies every input of @paths that is not a regular file into an anonymous temporary file
 * and names it by its /dev/fd path in c->open_as; false with the error set on failure.
 */
static bool spool_inputs(struct imp_ctx *c, const char *const *paths, unsigned npaths)
{
	c->open_as = calloc(npaths, sizeof(*c->open_as));
	c->spools = calloc(npaths, sizeof(*c->spools));
	c->spool_names = calloc(npaths, sizeof(*c->spool_names));
	c->nspools = npaths;
	if (!c->open_as || !c->spools || !c->spool_names)
		return imp_fail(c, CXL_ERR_IO, 0, 0, "out of memory");
	for (unsigned i = 0; i < npaths; i++) {
		struct stat st;
		char buf[65536];
		size_t n;
		FILE *in;

		bool is_stdin = cxl_path_is_stdin(paths[i]);

		if (!is_stdin && !stat(paths[i], &st) && S_ISREG(st.st_mode))
			continue;
		c->path = cxl_path_display(paths[i]);
		if (is_stdin && !cxl_stdin_take(c->err)) {
			c->failed = true;
			return false;
		}
		in = is_stdin ? stdin : fopen(paths[i], "rb");
		if (!in)
			return imp_fail(c, CXL_ERR_IO, 0, 0, "cannot open: %s", strerror(errno));
		c->spools[i] = tmpfile();
		if (!c->spools[i]) {
			if (!is_stdin)
				fclose(in);
			return imp_fail(c, CXL_ERR_IO, 0, 0, "cannot create a temporary file: %s",
					strerror(errno));
		}
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			if (fwrite(buf, 1, n, c->spools[i]) != n)
				break;
		if (ferror(in) || fflush(c->spools[i]) || ferror(c->spools[i])) {
			if (!is_stdin)
				fclose(in);
			return imp_fail(c, CXL_ERR_IO, 0, 0, "cannot copy the input to a temporary file");
		}
		if (!is_stdin)
			fclose(in);
		snprintf(c->spool_names[i], sizeof(c->spool_names[i]), "/dev/fd/%d", fileno(c->spools[i]));
		c->open_as[i] = c->spool_names[i];
	}
	return true;
}

/*
 * The basename of @path in @out, cut so that it reads back from a trace as at most
 * IMP_BASE_MAX bytes (cxl_yaml_fit()): sources "BASE:LINE" and the header's source: then
 * always fit, and always agree.
 */
static void short_base(char out[IMP_BASE_MAX + 1], const char *path)
{
	const char *b = base_name(path);
	size_t n = cxl_yaml_fit(b, strlen(b), IMP_BASE_MAX);

	memcpy(out, b, n);
	out[n] = '\0';
}

/* One pass over all inputs; @lines gets each input's line count. */
static bool pass(struct imp_ctx *c, const char *const *paths, unsigned npaths,
		 unsigned long *lines)
{
	for (unsigned i = 0; i < npaths; i++) {
		struct imp_lines *in = NULL;
		bool ok;

		c->path = cxl_path_display(paths[i]);
		short_base(c->base, c->path);
		c->file_idx = i;
		c->records = 0;
		if (imp_lines_open(c->open_as && c->open_as[i] ? c->open_as[i] : paths[i], &in, c->err)) {
			if (c->open_as && c->open_as[i])
				snprintf(c->err->file, sizeof(c->err->file), "%s", c->path);
			c->failed = true;
			return false;
		}
		ok = run_parser(c, in);
		if (ok && !c->records)
			ok = imp_fail(c, CXL_ERR_SYNTAX, 1, 1, "no %s records found",
				      cxl_import_format_name(c->o->format));
		if (ok && imp_lines_gz_truncated(in)) {
			if (!c->o->allow_truncated)
				ok = imp_fail(c, CXL_ERR_SYNTAX, imp_lines_number(in) + 1, 1,
					      "the gzip stream ends early: the file is truncated (its "
					      "first %lu lines are complete; --allow-truncated imports them)",
					      imp_lines_number(in));
			else if (!c->dry)
				c->st.gz_truncated++;
		}
		if (lines)
			lines[i] = imp_lines_number(in);
		imp_lines_close(in);
		if (!ok)
			return false;
	}
	return true;
}

/*
 * Runs the import of @paths into a new builder in @c; on success the builder holds the
 * trace (header, devices, ops, carried expectations) and *@lines each input's line count.
 */
static enum cxl_err build(struct imp_ctx *c, const struct cxl_import_opts *o,
			  const char *const *paths, unsigned npaths, unsigned long *lines,
			  struct cxl_error *err)
{
	struct cxl_expect_list ex = { 0 };
	struct cxl_trace_header *h;
	enum cxl_err rc = CXL_OK;

	memset(c, 0, sizeof(*c));
	c->o = o;
	c->err = err;
	if (!npaths)
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "no input file");
	if (o->profile[0] && !name_ok(o->profile, strlen(o->profile)))
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
				     "bad profile name '%s'", o->profile);
	/* standard input is one stream: one reader of it */
	for (unsigned i = 0; i < npaths; i++)
		for (unsigned j = i + 1; j < npaths; j++)
			if (cxl_path_is_stdin(paths[i]) && cxl_path_is_stdin(paths[j]))
				return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
						     "inputs %u and %u are both '-': standard input "
						     "is read once", i + 1, j + 1);
	for (unsigned i = 0; o->expect_path && i < npaths; i++)
		if (cxl_path_is_stdin(o->expect_path) && cxl_path_is_stdin(paths[i]))
			return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
					     "--expect and input %u are both '-': standard input is "
					     "read once", i + 1);
	if (o->expect_path && cxl_expect_load(o->expect_path, &ex, err))
		return err->code;
	if (cxl_trace_builder_new(cxl_path_display(paths[0]), &c->tb, err)) {
		cxl_expect_list_free(&ex);
		return err->code;
	}
	c->topo = calloc(1, sizeof(*c->topo));
	if (formats[o->format].two_pass)
		c->ids = calloc(1, sizeof(*c->ids));
	if (!c->topo || (formats[o->format].two_pass && !c->ids)) {
		rc = cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "out of memory");
		goto out;
	}
	/* Two-pass formats: pass 1 learns device identities from ID reads anywhere; an input
	 * that cannot be read twice (a pipe, a FIFO) is copied to a temporary file first */
	if (c->ids && !spool_inputs(c, paths, npaths))
		goto fail;
	if (c->ids) {
		c->dry = true;
		if (!topo_start(c) || !pass(c, paths, npaths, NULL))
			goto fail;
		c->dry = false;
		memset(&c->st, 0, sizeof(c->st));
	}
	if (!topo_start(c) || !pass(c, paths, npaths, lines) || !add_topology(c))
		goto fail;
	if (o->expect_path &&
	    (cxl_expect_check_ops(&ex, o->expect_path, cxl_trace_builder_nops(c->tb), err) ||
	     cxl_trace_builder_expect(c->tb, &ex, err)))
		goto fail;
	h = cxl_trace_builder_header(c->tb);
	short_base(c->base, cxl_path_display(paths[0]));
	snprintf(h->source, sizeof(h->source), "%s", c->base);
	/* IMP_BASE_MAX leaves room: the description reads back within the reader's limit */
	snprintf(h->description, sizeof(h->description), "imported from %s (%s)", c->base,
		 cxl_import_format_name(o->format));
	snprintf(h->profile, sizeof(h->profile), "%s", o->profile);
	goto out;
fail:
	rc = err->code;
out:
	cxl_expect_list_free(&ex);
	return rc;
}

/* Frees what build() allocated besides the builder. */
static void build_free(struct imp_ctx *c)
{
	for (unsigned i = 0; c->spools && i < c->nspools; i++)
		if (c->spools[i])
			fclose(c->spools[i]);
	free(c->spools);
	free(c->open_as);
	free(c->spool_names);
	c->spools = NULL;
	c->open_as = NULL;
	c->spool_names = NULL;
	imp_vfio_free(c);
	free(c->layout);
	free(c->hb_names);
	c->layout = NULL;
	c->hb_names = NULL;
	if (c->topo)
		imp_topo_free(c->topo);
	free(c->topo);
	free(c->ids);
	c->topo = NULL;
	c->ids = NULL;
}

/* Imports @paths into one trace on @out; see import.h. */
CXL_EXPORT
enum cxl_err cxl_import_run(const struct cxl_import_opts *o,
			    const char *const *paths, unsigned npaths,
			    FILE *out, struct cxl_error *err)
{
	struct imp_ctx c;
	struct cxl_trace_reader *r = NULL;
	unsigned long *lines = calloc(npaths ? npaths : 1, sizeof(*lines));
	char *pre = NULL;
	size_t prelen = 0;
	FILE *pf = NULL;
	enum cxl_err rc;

	if (!lines)
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "out of memory");
	if (o->format == CXL_IMPORT_FUZZ_OPS) {
		rc = o->npins || o->expect_path || o->profile[0] ?
		     cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "fuzz-ops input names its topology "
				   "and personality itself: no --device, --expect or --profile") :
		     fuzz_reader(paths, npaths, &r, err);
		if (!rc) {
			char head[CXL_TRACE_TEXT_MAX + 160];

			snprintf(head, sizeof(head), "# Imported by `cxlemu import --from fuzz-ops` from %s:\n"
				 "# the fuzz topology (cxlemu/fuzzops.h); an op's line is its byte offset + 1.\n",
				 base_name(cxl_path_display(paths[0])));
			rc = cxl_trace_write_yaml(r, out, head, err);
		}
		cxl_trace_close(r);
		free(lines);
		return rc;
	}
	rc = build(&c, o, paths, npaths, lines, err);
	if (!rc) {
		pf = open_memstream(&pre, &prelen);
		if (!pf)
			rc = cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "out of memory");
	}
	if (!rc) {
		write_header(&c, pf, paths, npaths, lines);
		if (fclose(pf))
			rc = cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "out of memory");
	}
	build_free(&c);
	if (!rc) {
		rc = cxl_trace_builder_finish(c.tb, &r, err);
		c.tb = NULL;
	}
	if (!rc)
		rc = cxl_trace_write_yaml(r, out, pre, err);
	cxl_trace_close(r);
	cxl_trace_builder_free(c.tb);
	free(pre);
	free(lines);
	return rc;
}

CXL_EXPORT
enum cxl_err cxl_import_open(const struct cxl_import_opts *o,
			     const char *const *paths, unsigned npaths,
			     struct cxl_trace_reader **out, struct cxl_error *err)
{
	struct imp_ctx c;
	enum cxl_err rc;

	if (o->format == CXL_IMPORT_FUZZ_OPS)
		return fuzz_reader(paths, npaths, out, err);
	rc = build(&c, o, paths, npaths, NULL, err);
	build_free(&c);
	if (!rc) {
		rc = cxl_trace_builder_finish(c.tb, out, err);
		c.tb = NULL;
	}
	cxl_trace_builder_free(c.tb);
	return rc;
}
