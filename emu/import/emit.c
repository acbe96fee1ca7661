/* SPDX-License-Identifier: MIT */
/*
 * emit.c - the devices: and ops: sections of a native trace.
 *
 * Ops are appended to an anonymous temporary file as they are found (the
 * device table must precede them in the trace, and only the end of the
 * input knows all devices); imp_emit_body() then writes the device table
 * and copies the ops. Output depends only on the calls made: no pointers,
 * no clocks.
 */
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

/* Opens the op buffer; on failure @em holds nothing to free. */
enum cxl_err imp_emit_init(struct imp_emit *em,
			   const struct cxl_import_opts *o,
			   struct cxl_error *err)
{
	memset(em, 0, sizeof(*em));
	em->opts = o;
	em->ops = tmpfile();
	if (!em->ops)
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0,
				     "cannot create a temporary file");
	return CXL_OK;
}

/* Closes the op buffer (the temporary file disappears). */
void imp_emit_free(struct imp_emit *em)
{
	if (em->ops)
		fclose(em->ops);
	em->ops = NULL;
}

/* Index of device @name, or -1. */
static int find(const struct imp_emit *em, const char *name)
{
	for (unsigned i = 0; i < em->ndev; i++)
		if (!strcmp(em->dev[i].name, name))
			return (int)i;
	return -1;
}

/*
 * Index of device @name, added with @model and @comment on first use
 * (later calls keep the first model). -1 when 64 devices exist already.
 */
int imp_emit_device(struct imp_emit *em, const char *name, const char *model,
		    const char *comment)
{
	struct imp_emit_dev *d;
	int i = find(em, name);

	if (i >= 0)
		return i;
	if (em->ndev >= CXL_TRACE_MAX_DEVICES)
		return -1;
	d = &em->dev[em->ndev];
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->model, sizeof(d->model), "%s", model);
	snprintf(d->comment, sizeof(d->comment), "%s", comment ? comment : "");
	return (int)em->ndev++;
}

/* True when a --device pin uses @name (automatic names avoid it). */
static bool reserved(const struct imp_emit *em, const char *name)
{
	if (!em->opts)
		return false;
	for (unsigned i = 0; i < em->opts->npins; i++)
		if (!strcmp(em->opts->pins[i].name, name))
			return true;
	return false;
}

/*
 * Adds a device named @prefix<N> with the smallest N neither in use nor
 * pinned, so devices of one kind are numbered in order of first appearance.
 * -1 when 64 devices exist already.
 */
int imp_emit_auto_device(struct imp_emit *em, const char *prefix,
			 const char *model, const char *comment)
{
	char name[CXL_TRACE_NAME_MAX];

	for (unsigned n = 0; n <= CXL_TRACE_MAX_DEVICES * 2; n++) {
		snprintf(name, sizeof(name), "%s%u", prefix, n);
		if (find(em, name) < 0 && !reserved(em, name))
			return imp_emit_device(em, name, model, comment);
	}
	return -1;
}

/* Text-format name of an access op kind (trace_names.c has the full set). */
static const char *access_name(enum cxl_op_kind kind)
{
	switch (kind) {
	case CXL_OP_CFG_READ: return "cfg-read";
	case CXL_OP_CFG_WRITE: return "cfg-write";
	case CXL_OP_MMIO_READ: return "mmio-read";
	case CXL_OP_MMIO_WRITE: return "mmio-write";
	default: return "?";
	}
}

/* Appends one cfg-/mmio- op; @has_value false writes `~` for a read. */
void imp_emit_access(struct imp_emit *em, enum cxl_op_kind kind, int dev,
		     uint64_t off, unsigned size, uint64_t value,
		     bool has_value, const char *src)
{
	fprintf(em->ops, "  - [%s, %s, 0x%llx, %u, ", access_name(kind),
		em->dev[dev].name, (unsigned long long)off, size);
	if (has_value)
		fprintf(em->ops, "0x%llx", (unsigned long long)value);
	else
		fputc('~', em->ops);
	fputs(", ", em->ops);
	imp_yaml_quote(em->ops, src, strlen(src));
	fputs("]\n", em->ops);
	em->nops++;
}

/* Appends a mark op with @text[0..len) quoted. */
void imp_emit_mark(struct imp_emit *em, const char *text, size_t len,
		   const char *src)
{
	fputs("  - [mark, ", em->ops);
	imp_yaml_quote(em->ops, text, len);
	fputs(", ", em->ops);
	imp_yaml_quote(em->ops, src, strlen(src));
	fputs("]\n", em->ops);
	em->nops++;
}

/*
 * Length of the UTF-8 character at @s[0..n) if it is one a YAML stream may
 * hold (printable, not C1, not a surrogate, not U+FFFE/U+FFFF); else 0.
 */
static size_t utf8_char(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	if ((cp < 0xa0 && cp != 0x85) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

/*
 * Writes @s[0..len) as a YAML double-quoted scalar: quote and backslash
 * escaped, valid printable UTF-8 kept, every other byte as \xNN, so the
 * result is always a valid YAML scalar whatever the input bytes.
 */
void imp_yaml_quote(FILE *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		size_t n;

		if (u[i] == '"' || u[i] == '\\') {
			fprintf(out, "\\%c", u[i]);
		} else if (u[i] >= 0x20 && u[i] <= 0x7e) {
			fputc(u[i], out);
		} else if (u[i] >= 0x80 && (n = utf8_char(u + i, len - i))) {
			fwrite(u + i, 1, n, out);
			i += n - 1;
		} else {
			fprintf(out, "\\x%02x", u[i]);
		}
	}
	fputc('"', out);
}

/* Writes devices: and ops: to @out; CXL_ERR_IO if the op buffer failed. */
enum cxl_err imp_emit_body(struct imp_emit *em, FILE *out,
			   struct cxl_error *err)
{
	char buf[65536];
	size_t n;

	if (fflush(em->ops) || ferror(em->ops))
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0,
				     "cannot write the temporary op file");
	fputs(em->ndev ? "devices:\n" : "devices: {}\n", out);
	for (unsigned i = 0; i < em->ndev; i++) {
		const struct imp_emit_dev *d = &em->dev[i];
		int w = fprintf(out, "  %s: {model: %s}", d->name, d->model);

		if (d->comment[0])
			fprintf(out, "%*s# %s", w < 40 ? 40 - w : 1, "",
				d->comment);
		fputc('\n', out);
	}
	fputs(em->nops ? "ops:\n" : "ops: []\n", out);
	rewind(em->ops);
	while ((n = fread(buf, 1, sizeof(buf), em->ops)) > 0)
		fwrite(buf, 1, n, out);
	if (ferror(em->ops))
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0,
				     "cannot read the temporary op file");
	return CXL_OK;
}
