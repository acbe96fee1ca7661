/* SPDX-License-Identifier: MIT */
/*
 * names.c - register names and comment-safe text for the exporters (export_priv.h).
 */
#include <inttypes.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "export_priv.h"

void cxl_export_names_open(struct cxl_export_names *nm, const struct cxl_trace_header *h)
{
	const char *tp = h->profile[0] ? h->profile : cxl_default_profile();

	memset(nm, 0, sizeof(*nm));
	for (unsigned i = 0; i < h->ndevices; i++) {
		const struct cxl_trace_device *td = &h->devices[i];
		struct cxl_device_opts o;
		struct cxl_error err = { 0 };

		cxl_trace_device_opts(td, &o);
		if (cxl_device_create(td->name, td->model, td->profile[0] ? td->profile : tp, &o,
				      &nm->dev[i], &err))
			nm->dev[i] = NULL;
	}
	nm->n = h->ndevices;
}

void cxl_export_names_close(struct cxl_export_names *nm)
{
	for (unsigned i = 0; i < nm->n; i++)
		cxl_device_destroy(nm->dev[i]);
	nm->n = 0;
}

const char *cxl_export_reg_name(const struct cxl_export_names *nm, const struct cxl_op *op)
{
	struct cxl_device *d = op->dev < nm->n ? nm->dev[op->dev] : NULL;
	unsigned space, n;
	int64_t base = 0;
	uint64_t at;
	bool write;

	if (!d || !cxl_op_kind_access(op->kind, &space, &write))
		return NULL;
	if (space == CXL_SPACE_COMPONENT && cxl_device_view(d) != CXL_VIEW_COMPONENT) {
		int mi = cxl_model_lookup(cxl_device_model_name(d));

		if (mi < 0 || !cxl_model_view_base((unsigned)mi, cxl_device_view(d), &base) || base < 0)
			return NULL;
	}
	at = op->offset + (uint64_t)base;
	n = cxl_device_nregs(d);
	for (unsigned i = 0; i < n; i++) {
		unsigned sp, width;
		uint32_t off;
		const char *name, *spec;
		uint64_t v, reset;

		if (!cxl_device_reg_info(d, i, &sp, &off, &name, &v) || sp != space ||
		    !cxl_device_reg_detail(d, i, &width, &reset, &spec))
			continue;
		if (at >= off && at < off + width / 8)
			return name;
	}
	return NULL;
}

void cxl_export_text(FILE *f, const char *s)
{
	char prev = 0;

	for (; *s; s++) {
		char c = *s;

		if (c < 0x20 || c > 0x7e || c == '\\' || (c == '*' && s[1] == '/') ||
		    (c == '?' && prev == '?'))
			c = '.';
		fputc(c, f);
		prev = c;
	}
}

void cxl_export_op_text(FILE *f, const struct cxl_trace_header *h, const struct cxl_op *op)
{
	const char *dev = op->dev < h->ndevices ? h->devices[op->dev].name : "?";
	unsigned space;
	bool write;

	if (cxl_op_kind_access(op->kind, &space, &write)) {
		fprintf(f, "%s %s 0x%" PRIx64 " %u", cxl_op_kind_name(op->kind), dev, op->offset, op->size);
		if (write)
			fprintf(f, " 0x%" PRIx64, op->value);
		if (op->flags & CXL_OPF_VMM)
			fputs(" vmm", f);
		if (op->flags & CXL_OPF_FAILED)
			fputs(" failed", f);
	} else if (op->kind == CXL_OP_RESET) {
		fprintf(f, "reset %s %s", dev, cxl_reset_kind_name(op->reset));
	} else if (op->kind == CXL_OP_INJECT) {
		fprintf(f, "inject %s %s %u", dev, cxl_inject_kind_name(op->inject), op->bit);
	} else {
		fputs("mark: ", f);
		cxl_export_text(f, op->text);
	}
}

void cxl_export_op_where(FILE *f, const char *name, const struct cxl_trace_header *h,
			 const struct cxl_export_names *nm, unsigned long n, const struct cxl_op *op)
{
	const char *reg = cxl_export_reg_name(nm, op);

	fprintf(f, "op %lu (", n);
	cxl_export_text(f, op->src[0] ? op->src : name);
	if (!op->src[0])
		fprintf(f, ":%lu", op->line);
	fputs("): ", f);
	cxl_export_op_text(f, h, op);
	if (reg) {
		fputs(": ", f);
		cxl_export_text(f, reg);
	}
}

/* Copies the spool @from (from its start) to @to; false on a read or write error. */
bool cxl_export_copy(FILE *from, FILE *to)
{
	char buf[8192];
	size_t k;

	if (fflush(from) || fseek(from, 0, SEEK_SET))
		return false;
	while ((k = fread(buf, 1, sizeof(buf), from)) > 0)
		if (fwrite(buf, 1, k, to) != k)
			return false;
	return !ferror(from) && !ferror(to);
}
