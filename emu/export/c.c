/* SPDX-License-Identifier: MIT */
/*
 * c.c - `cxlemu export --to c`: a trace's accesses as one standalone C function, with the
 * recorded read values as checks, for a kernel selftest or a firmware unit test to adapt
 * (the accessor contract is in cxlemu/export.h and repeated in the file's own comment).
 *
 * The ops are written in one pass into a spool; what the trace uses (config or component
 * accesses, resets, injections) is known at the end, and only those accessors are required
 * (an #error names each one missing) before the function is copied out after them.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/export.h"
#include "export_priv.h"

enum { USE_CFG_READ, USE_CFG_WRITE, USE_MMIO_READ, USE_MMIO_WRITE, USE_RESET, USE_INJECT, USE__COUNT };

/* Each accessor: its name, its arguments and what it must do (the #error text). */
static const struct {
	const char *name, *args, *what;
} accessors[USE__COUNT] = {
	{ "CXL_CFG_READ", "(dev, off, size)",
	  "read size (1, 2, 4) bytes at config offset off of device dev (its name, a string) and yield them as uint64_t" },
	{ "CXL_CFG_WRITE", "(dev, off, size, val)", "write the size low bytes of val at config offset off of device dev" },
	{ "CXL_MMIO_READ", "(dev, off, size)",
	  "read size (1, 2, 4, 8) bytes at offset off of device dev's component registers (as the trace counts them) and yield them as uint64_t" },
	{ "CXL_MMIO_WRITE", "(dev, off, size, val)", "write size bytes of val at component register offset off of device dev" },
	{ "CXL_RESET", "(dev, kind)", "reset device dev: kind is \\\"conventional\\\", \\\"warm\\\", \\\"hot\\\", \\\"cold\\\", \\\"flr\\\", \\\"cxl\\\" or \\\"reopen\\\"" },
	{ "CXL_INJECT", "(dev, kind, bit)", "make device dev raise a RAS error, status bit or viral: kind \\\"ras-uncorrectable\\\", \\\"ras-correctable\\\", \\\"viral\\\" or \\\"status2\\\"" },
};

/* The value of a read of @size bytes as a C constant: the recorded value masked to the size. */
static uint64_t sized(uint64_t v, unsigned size)
{
	return size < 8 ? v & ((1ULL << (8 * size)) - 1) : v;
}

/* Writes op @n (statements and its comment) into @f; marks which accessor it needs in @used. */
static void op_c(FILE *f, const char *name, const struct cxl_trace_header *h,
		 const struct cxl_export_names *nm, unsigned long n, const struct cxl_op *op,
		 bool used[USE__COUNT], unsigned long *checks)
{
	const char *dev = op->dev < h->ndevices ? h->devices[op->dev].name : "?";
	unsigned space;
	bool write;

	fputs("\t/* ", f);
	cxl_export_op_where(f, name, h, nm, n, op);
	fputs(" */\n", f);
	if (cxl_op_kind_access(op->kind, &space, &write)) {
		bool cfg = space == CXL_SPACE_CONFIG;
		unsigned use = cfg ? (write ? USE_CFG_WRITE : USE_CFG_READ) : (write ? USE_MMIO_WRITE : USE_MMIO_READ);

		used[use] = true;
		if (write)
			fprintf(f, "\t%s(\"%s\", 0x%" PRIx64 ", %u, UINT64_C(0x%" PRIx64 "));\n",
				accessors[use].name, dev, op->offset, op->size, op->value);
		else if (!op->has_value)
			fprintf(f, "\t(void)%s(\"%s\", 0x%" PRIx64 ", %u);   /* not recorded: not checked */\n",
				accessors[use].name, dev, op->offset, op->size);
		else {
			fprintf(f, "\tv = %s(\"%s\", 0x%" PRIx64 ", %u);\n\tCXL_EXPECT(%lu, \"%s\", v, UINT64_C(0x%" PRIx64 "));\n",
				accessors[use].name, dev, op->offset, op->size, n, dev, sized(op->value, op->size));
			(*checks)++;
		}
	} else if (op->kind == CXL_OP_RESET) {
		used[USE_RESET] = true;
		fprintf(f, "\tCXL_RESET(\"%s\", \"%s\");\n", dev, cxl_reset_kind_name(op->reset));
	} else if (op->kind == CXL_OP_INJECT) {
		used[USE_INJECT] = true;
		fprintf(f, "\tCXL_INJECT(\"%s\", \"%s\", %u);\n", dev, cxl_inject_kind_name(op->inject), op->bit);
	}
}

/* The file's head: what it is, the contract, the devices and a check for each accessor in @used. */
static void head(FILE *f, const char *name, const struct cxl_trace_header *h, const bool used[USE__COUNT],
		 unsigned long n, unsigned long checks)
{
	const char *tp = h->profile[0] ? h->profile : cxl_default_profile();

	fputs("/*\n * ", f);
	cxl_export_text(f, name);
	if (h->description[0]) {
		fputs(" (\"", f);
		cxl_export_text(f, h->description);
		fputs("\")", f);
	}
	fprintf(f, ":\n * its %lu ops as C, written by `cxlemu export --to c`; %lu reads are checked against the\n"
		" * values the trace recorded.\n *\n"
		" * cxl_export_run() performs the accesses in order through macros you define before this file\n"
		" * is compiled (or #include it after defining them); dev is the trace's device name (a string):\n", n, checks);
	for (unsigned i = 0; i < USE__COUNT; i++)
		fprintf(f, " *   %s%s%s\n", accessors[i].name, accessors[i].args,
			i == USE_CFG_READ || i == USE_MMIO_READ ? " -> uint64_t" : "");
	fputs(" *   CXL_EXPECT(op, dev, got, want): a recorded read; default assert((got) == (want))\n"
	      " * Only the accessors the trace uses are required. Devices (name: model, profile):\n", f);
	for (unsigned i = 0; i < h->ndevices; i++) {
		const struct cxl_trace_device *td = &h->devices[i];

		fprintf(f, " *   %s: %s, %s%s%s\n", td->name, td->model, td->profile[0] ? td->profile : tp,
			td->view ? ", view " : "", td->view ? cxl_view_name(td->view) : "");
	}
	fputs(" */\n#include <stdint.h>\n\n", f);
	for (unsigned i = 0; i < USE__COUNT; i++)
		if (used[i])
			fprintf(f, "#ifndef %s\n#error \"define %s%s: %s\"\n#endif\n", accessors[i].name,
				accessors[i].name, accessors[i].args, accessors[i].what);
	fputs("#ifndef CXL_EXPECT\n#include <assert.h>\n#define CXL_EXPECT(op, dev, got, want) assert((got) == (want))\n#endif\n\n"
	      "/* X(name, model) for each device of the trace, in its order. */\n#define CXL_EXPORT_DEVICES(X)", f);
	for (unsigned i = 0; i < h->ndevices; i++)
		fprintf(f, " \\\n\tX(\"%s\", \"%s\")", h->devices[i].name, h->devices[i].model);
	fputs("\n\n/* Performs the trace's accesses in order, each recorded read checked by CXL_EXPECT; returns 0. */\n"
	      "int cxl_export_run(void);\n\nint cxl_export_run(void)\n{\n\tuint64_t v = 0;\n\n", f);
}

CXL_EXPORT
enum cxl_err cxl_export_c(struct cxl_trace_reader *r, FILE *out, struct cxl_error *err)
{
	const struct cxl_trace_header *h = cxl_trace_header(r);
	const char *name = cxl_trace_name(r);
	struct cxl_export_names nm;
	struct cxl_op *op = calloc(1, sizeof(*op));
	FILE *spool = tmpfile();
	bool used[USE__COUNT] = { false }, done = false;
	unsigned long n = 0, checks = 0;
	enum cxl_err rc = CXL_OK;

	if (!op || !spool) {
		free(op);
		if (spool)
			fclose(spool);
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory or no temporary file");
	}
	cxl_export_names_open(&nm, h);
	while (!rc) {
		rc = cxl_trace_next(r, op, &done, err);
		if (rc || done)
			break;
		op_c(spool, name, h, &nm, n++, op, used, &checks);
	}
	if (!rc)
		rc = cxl_trace_finish(r, NULL, err);
	if (!rc) {
		head(out, name, h, used, n, checks);
		if (!cxl_export_copy(spool, out))
			rc = cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot write the C file");
		fputs("\t(void)v;\n\treturn 0;\n}\n", out);
	}
	fclose(spool);
	cxl_export_names_close(&nm);
	free(op);
	return rc;
}
