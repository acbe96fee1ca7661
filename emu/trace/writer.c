/* SPDX-License-Identifier: MIT */
/*
 * writer.c - any trace reader -> native YAML (`cxl-trace: 1`, traces/README.md).
 *
 * Streams: one op is read and written at a time. The output always reads back as the same
 * trace (cxl_yaml_quote() keeps every string a valid YAML scalar whatever its bytes), and
 * depends only on what the reader yields: no pointers, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "trace_priv.h"

/*
 * Length of the UTF-8 character at @s[0..n) if it is one a YAML stream may hold (printable,
 * not C1, not a surrogate, not U+FFFE/U+FFFF); else 0.
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
 * Writes @s[0..len) as a YAML double-quoted scalar: quote and backslash escaped, valid
 * printable UTF-8 kept, except U+0085, U+2028 and U+2029, which YAML folds as line breaks
 * and so are written as \N, \L and \P; control characters as \xNN; a byte that is not
 * UTF-8 as the visible text "\xNN" (an escaped backslash), which reads back as that text.
 */
CXL_EXPORT
void cxl_yaml_quote(FILE *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		size_t n;

		if (u[i] == '"' || u[i] == '\\') {
			fprintf(out, "\\%c", u[i]);
		} else if (u[i] >= 0x20 && u[i] <= 0x7e) {
			fputc(u[i], out);
		} else if (i + 1 < len && u[i] == 0xc2 && u[i + 1] == 0x85) {
			fputs("\\N", out);
			i++;
		} else if (i + 2 < len && u[i] == 0xe2 && u[i + 1] == 0x80 &&
			   (u[i + 2] == 0xa8 || u[i + 2] == 0xa9)) {
			fputs(u[i + 2] == 0xa8 ? "\\L" : "\\P", out);
			i += 2;
		} else if (u[i] >= 0x80 && (n = utf8_char(u + i, len - i))) {
			fwrite(u + i, 1, n, out);
			i += n - 1;
		} else if (u[i] >= 0x80) {
			/* not UTF-8: YAML's \\xNN would mean the code point U+00NN, another text;
			 * the byte is written as the four characters \\xNN instead */
			fprintf(out, "\\\\x%02x", u[i]);
		} else {
			fprintf(out, "\\x%02x", u[i]);   /* a control character: U+00NN is the byte */
		}
	}
	fputc('"', out);
}

CXL_EXPORT
size_t cxl_yaml_fit(const char *s, size_t len, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, got = 0;

	while (i < len) {
		size_t n = u[i] >= 0x80 ? utf8_char(u + i, len - i) : 1;
		size_t grows = n ? n : 4;   /* not UTF-8: the text \\xNN */

		if (got + grows > max)
			break;
		got += grows;
		i += n ? n : 1;
	}
	return i;
}

/* Writes @s as comment text: printable ASCII as it is, anything else '?' (one line, valid UTF-8). */
static void comment(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s >= 0x20 && *s <= 0x7e ? *s : '?', out);
}

static void quote(FILE *out, const char *s)
{
	cxl_yaml_quote(out, s, strlen(s));
}

/* Writes ", SOURCE" for @src: "@LINE" when it is in the header's source:, else "@FILE:LINE". */
static void source(FILE *out, const struct cxl_trace_header *h, const char *src)
{
	size_t sl = strlen(h->source);
	char buf[CXL_TRACE_TEXT_MAX + 2];

	if (!src[0])
		return;
	if (sl && !strncmp(src, h->source, sl) && src[sl] == ':' && !strchr(src + sl + 1, ':'))
		snprintf(buf, sizeof(buf), "@%s", src + sl + 1);
	else
		snprintf(buf, sizeof(buf), "@%s", src);
	fputs(", ", out);
	quote(out, buf);
}

/* One op as a flow sequence line. */
static void write_op(FILE *out, const struct cxl_trace_header *h, const struct cxl_op *op)
{
	const char *dev = op->dev < h->ndevices ? h->devices[op->dev].name : "?";
	unsigned space;
	bool write;

	fprintf(out, "  - [%s", cxl_op_kind_name(op->kind));
	if (cxl_op_kind_access(op->kind, &space, &write)) {
		fprintf(out, ", %s, 0x%llx, %u", dev, (unsigned long long)op->offset, op->size);
		if (write || op->has_value)
			fprintf(out, ", 0x%llx", (unsigned long long)op->value);
		else if (op->src[0] || op->flags)
			fputs(", ~", out);
	} else if (op->kind == CXL_OP_RESET) {
		fprintf(out, ", %s, %s", dev, cxl_reset_kind_name(op->reset));
	} else if (op->kind == CXL_OP_INJECT) {
		fprintf(out, ", %s, %s, %u", dev, cxl_inject_kind_name(op->inject), op->bit);
	} else {
		fputs(", ", out);
		quote(out, op->text);
	}
	source(out, h, op->src);
	if (op->flags & CXL_OPF_VMM)
		fputs(", vmm", out);
	if (op->flags & CXL_OPF_FAILED)
		fputs(", failed", out);
	fputs("]\n", out);
}

/* ", host: {...}" of @d when it has host state; returns the bytes written. */
static int write_host(FILE *out, const struct cxl_trace_device *d)
{
	bool any = d->host_config_lock || d->host_mem_enable;
	unsigned ndec = 0;
	int w;

	for (unsigned n = 0; n < CXL_HOST_DECODERS_MAX; n++)
		ndec += d->host[n].set;
	if (!any && !ndec)
		return 0;
	w = fprintf(out, ", host: {config-lock: %s, mem-enable: %s",
		    d->host_config_lock ? "true" : "false", d->host_mem_enable ? "true" : "false");
	if (ndec)
		w += fprintf(out, ", decoders: [");
	for (unsigned n = 0, k = 0; n < CXL_HOST_DECODERS_MAX; n++) {
		const struct cxl_host_decoder *x = &d->host[n];

		if (!x->set)
			continue;
		w += fprintf(out, "%s{decoder: %u, base: 0x%llx, size: 0x%llx, committed: %s, locked: %s}",
			     k++ ? ", " : "", n, (unsigned long long)x->base, (unsigned long long)x->size,
			     x->committed ? "true" : "false", x->locked ? "true" : "false");
	}
	w += fprintf(out, "%s}", ndec ? "]" : "");
	return w;
}

/*
 * The topology: mapping of @h when it has windows or nodes (traces/README.md "Topology"): one
 * flow mapping per window (granularity always, name and base when given) and per node.
 */
static void write_topology(FILE *out, const struct cxl_trace_header *h)
{
	if (!h->nwindows && !h->nnodes)
		return;
	fputs("topology:\n", out);
	if (h->nwindows)
		fputs("  windows:\n", out);
	for (unsigned i = 0; i < h->nwindows; i++) {
		const struct cxl_trace_window *w = &h->windows[i];

		fputs("    - {", out);
		if (w->name[0])
			fprintf(out, "name: %s, ", w->name);
		if (w->has_base)
			fprintf(out, "base: 0x%llx, ", (unsigned long long)w->base);
		fprintf(out, "size: 0x%llx, granularity: %u, targets: [", (unsigned long long)w->size,
			w->granularity);
		for (unsigned t = 0; t < w->ntargets; t++)
			fprintf(out, "%s%s", t ? ", " : "", w->targets[t]);
		fputs("]}\n", out);
	}
	if (h->nnodes)
		fputs("  nodes:\n", out);
	for (unsigned i = 0; i < h->nnodes; i++) {
		const struct cxl_trace_node *x = &h->nodes[i];
		const char *kind = cxl_topo_kind_name(x->kind);

		fprintf(out, "    %s: {kind: %s", x->name, kind ? kind : "?");
		if (x->parent[0])
			fprintf(out, ", parent: %s", x->parent);
		if (x->parent[0] && x->port >= 0)
			fprintf(out, ", port: %d", x->port);
		fputs("}\n", out);
	}
}

/* The devices: mapping, one flow mapping per device with its comment. */
static void write_devices(FILE *out, const struct cxl_trace_header *h)
{
	fputs(h->ndevices ? "devices:\n" : "devices: {}\n", out);
	for (unsigned i = 0; i < h->ndevices; i++) {
		const struct cxl_trace_device *d = &h->devices[i];
		int w = fprintf(out, "  %s: {model: %s", d->name, d->model);

		if (d->profile[0])
			w += fprintf(out, ", profile: %s", d->profile);
		if (d->hdm_decoders)
			w += fprintf(out, ", hdm-decoders: %d", d->hdm_decoders);
		if (d->fw_committed)
			w += fprintf(out, ", fw-committed: {base: 0x%llx, size: 0x%llx}",
				     (unsigned long long)d->fw_base, (unsigned long long)d->fw_size);
		if (d->view)
			w += fprintf(out, ", view: %s", cxl_view_name(d->view));
		w += write_host(out, d);
		if (d->parent[0])
			w += fprintf(out, ", parent: %s", d->parent);
		if (d->parent[0] && d->port >= 0)
			w += fprintf(out, ", port: %d", d->port);
		w += fprintf(out, "}");
		if (d->comment[0]) {
			fprintf(out, "%*s# ", w < 40 ? 40 - w : 1, "");
			comment(out, d->comment);
		}
		fputc('\n', out);
	}
}

CXL_EXPORT
enum cxl_err cxl_trace_write_yaml(struct cxl_trace_reader *r, FILE *out, const char *preamble,
				  struct cxl_error *err)
{
	const struct cxl_trace_header *h = cxl_trace_header(r);
	struct cxl_op *op = calloc(1, sizeof(*op));
	const struct cxl_expect *x;
	bool done = false, has_expect = false, any = false;
	enum cxl_err rc;

	if (!op)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	if (preamble)
		fputs(preamble, out);
	fputs("cxl-trace: 1", out);
	if (h->description[0]) {
		fputs("\ndescription: ", out);
		quote(out, h->description);
	}
	if (h->profile[0])
		fprintf(out, "\nprofile: %s", h->profile);
	if (h->source[0]) {
		fputs("\nsource: ", out);
		quote(out, h->source);
	}
	fputc('\n', out);
	write_topology(out, h);
	write_devices(out, h);
	for (;;) {
		rc = cxl_trace_next(r, op, &done, err);
		if (rc || done)
			break;
		if (!any)
			fputs("ops:\n", out);
		any = true;
		write_op(out, h, op);
	}
	free(op);
	if (!rc && !any)
		fputs("ops: []\n", out);
	if (!rc)
		rc = cxl_trace_finish(r, &has_expect, err);
	if (rc)
		return rc;
	if (has_expect) {
		fputs(cxl_trace_expect(r, 0) ? "expect:\n" : "expect: []\n", out);
		for (unsigned long i = 0; (x = cxl_trace_expect(r, i)); i++) {
			fprintf(out, "  - {op: %lu, rule: %s", x->op, x->rule);
			if (x->why[0]) {
				fputs(", why: ", out);
				quote(out, x->why);
			}
			fputs("}\n", out);
		}
	}
	if (fflush(out) || ferror(out))
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot write the output");
	return CXL_OK;
}
