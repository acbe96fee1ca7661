/* SPDX-License-Identifier: MIT */
/*
 * builder.c - a trace built in memory (importers, generators), read back as a trace.
 *
 * Ops are appended to an anonymous temporary file as fixed little-endian records followed by
 * their source and mark text (no struct padding reaches the file), so memory does not grow
 * with the number of ops; cxl_trace_builder_finish() rewinds the spool and hands out a
 * reader of it. The device table and expectations are kept in memory (bounded: 64 devices,
 * CXL_TRACE_MAX_EXPECT expectations).
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "trace_priv.h"


struct cxl_trace_builder {
	struct cxl_trace_header hdr;
	struct cxl_expect_list expect;
	FILE *spool;
	unsigned long nops;
	bool io_error;
	char *name;
};

/* The reader of a finished builder. */
struct brd {
	struct cxl_trace_reader base;  /* must be first */
	FILE *spool;
	unsigned long left;            /* ops not yet read */
};

CXL_EXPORT
enum cxl_err cxl_trace_builder_new(const char *name, struct cxl_trace_builder **out,
				   struct cxl_error *err)
{
	struct cxl_trace_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	b->spool = tmpfile();
	if (!b->spool) {
		free(b);
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot create a temporary file");
	}
	b->hdr.version = 1;
	b->name = strdup(name ? name : "");
	if (!b->name) {
		fclose(b->spool);
		free(b);
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	}
	*out = b;
	return CXL_OK;
}

CXL_EXPORT
struct cxl_trace_header *cxl_trace_builder_header(struct cxl_trace_builder *b)
{
	return &b->hdr;
}

CXL_EXPORT
int cxl_trace_builder_find(const struct cxl_trace_builder *b, const char *name)
{
	for (unsigned i = 0; i < b->hdr.ndevices; i++)
		if (!strcmp(b->hdr.devices[i].name, name))
			return (int)i;
	return -1;
}

CXL_EXPORT
int cxl_trace_builder_device(struct cxl_trace_builder *b, const char *name, const char *model,
			     const char *comment)
{
	struct cxl_trace_device *d;
	int i;

	/* what the YAML reader would refuse is refused here too */
	if (cxl_trace_name_problem(name) || cxl_trace_name_problem(model))
		return -1;
	i = cxl_trace_builder_find(b, name);
	if (i >= 0)
		return i;
	if (b->hdr.ndevices >= CXL_TRACE_MAX_DEVICES)
		return -1;
	d = &b->hdr.devices[b->hdr.ndevices];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->model, sizeof(d->model), "%s", model);
	snprintf(d->comment, sizeof(d->comment), "%s", comment ? comment : "");
	d->port = -1;
	return (int)b->hdr.ndevices++;
}

static void put64(unsigned char *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

void cxl_op_record_encode(const struct cxl_op *op, size_t sl, size_t tl,
			  unsigned char rec[CXL_OP_REC_SIZE])
{
	memset(rec, 0, CXL_OP_REC_SIZE);
	rec[0] = (unsigned char)op->kind;
	rec[1] = (unsigned char)op->size;
	rec[2] = op->has_value;
	rec[3] = (unsigned char)op->reset;
	rec[4] = (unsigned char)op->inject;
	rec[5] = (unsigned char)op->bit;
	rec[6] = op->kind == CXL_OP_MARK ? 0 : (unsigned char)op->dev;
	rec[7] = (unsigned char)op->flags;
	put64(rec + 8, op->offset);
	put64(rec + 16, op->value);
	put64(rec + 24, op->line);
	put64(rec + 32, op->col);
	rec[40] = (unsigned char)sl;
	rec[41] = (unsigned char)(sl >> 8);
	rec[42] = (unsigned char)tl;
	rec[43] = (unsigned char)(tl >> 8);
}

void cxl_op_record_decode(const unsigned char rec[CXL_OP_REC_SIZE], struct cxl_op *op,
			  size_t *sl, size_t *tl)
{
	op->kind = (enum cxl_op_kind)rec[0];
	op->size = rec[1];
	op->has_value = rec[2] != 0;
	op->reset = (enum cxl_reset_kind)rec[3];
	op->inject = (enum cxl_inject_kind)rec[4];
	op->bit = rec[5];
	op->dev = rec[6];
	op->flags = rec[7];
	op->offset = get64(rec + 8);
	op->value = get64(rec + 16);
	op->line = (unsigned long)get64(rec + 24);
	op->col = (unsigned long)get64(rec + 32);
	*sl = (size_t)rec[40] | (size_t)rec[41] << 8;
	*tl = (size_t)rec[42] | (size_t)rec[43] << 8;
}

enum cxl_err cxl_trace_check_op(const struct cxl_trace_header *h, const struct cxl_op *op,
				struct cxl_error *err)
{
	unsigned space;
	bool write, access = cxl_op_kind_access(op->kind, &space, &write);

	if ((unsigned)op->kind >= CXL_OP__COUNT)
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0, "op kind %u is not an op", op->kind);
	if (op->dev >= h->ndevices && op->kind != CXL_OP_MARK)
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "op names device %u of %u",
				     op->dev, h->ndevices);
	if (access && ((op->size != 1 && op->size != 2 && op->size != 4 && op->size != 8) ||
		       (space == CXL_SPACE_CONFIG && op->size == 8) ||
		       op->offset >= cxl_space_size(space) ||
		       op->offset + op->size > cxl_space_size(space) ||
		       ((write || op->has_value) && op->size < 8 && op->value >> (8 * op->size))))
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
				     "%s at 0x%llx size %u (value 0x%llx) is not an op a trace can hold",
				     cxl_op_kind_name(op->kind), (unsigned long long)op->offset, op->size,
				     (unsigned long long)op->value);
	if (op->flags & ~(CXL_OPF_VMM | CXL_OPF_FAILED) || (op->flags && !access))
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0, "%s: flags 0x%x are not flags a trace can hold",
				     cxl_op_kind_name(op->kind), op->flags);
	if ((op->kind == CXL_OP_RESET && (unsigned)op->reset >= CXL_RESET__COUNT) ||
	    (op->kind == CXL_OP_INJECT && ((unsigned)op->inject >= CXL_INJECT__COUNT || op->bit > 63)))
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0, "%s kind or bit out of range",
				     cxl_op_kind_name(op->kind));
	return CXL_OK;
}

CXL_EXPORT
enum cxl_err cxl_trace_builder_op(struct cxl_trace_builder *b, const struct cxl_op *op,
				  struct cxl_error *err)
{
	unsigned char rec[CXL_OP_REC_SIZE];
	/* cut to what the reader takes back once written (a byte that is not UTF-8 grows) */
	size_t sl = cxl_yaml_fit(op->src, strnlen(op->src, sizeof(op->src) - 1), sizeof(op->src) - 2);
	size_t tl = cxl_yaml_fit(op->text, strnlen(op->text, sizeof(op->text) - 1), sizeof(op->text) - 1);
	enum cxl_err e = cxl_trace_check_op(&b->hdr, op, err);

	if (e)
		return e;
	cxl_op_record_encode(op, sl, tl, rec);
	if (fwrite(rec, 1, sizeof(rec), b->spool) != sizeof(rec) ||
	    fwrite(op->src, 1, sl, b->spool) != sl || fwrite(op->text, 1, tl, b->spool) != tl) {
		b->io_error = true;
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot write the temporary op file");
	}
	b->nops++;
	return CXL_OK;
}

CXL_EXPORT
unsigned long cxl_trace_builder_nops(const struct cxl_trace_builder *b)
{
	return b->nops;
}

CXL_EXPORT
enum cxl_err cxl_trace_builder_expect(struct cxl_trace_builder *b, const struct cxl_expect_list *l,
				      struct cxl_error *err)
{
	b->expect.present |= l->present;
	for (unsigned long i = 0; i < l->n; i++)
		if (cxl_expect_push(&b->expect, &l->v[i], err))
			return err ? err->code : CXL_ERR_LIMIT;
	return CXL_OK;
}

/* Reads one spooled op back. */
static enum cxl_err brd_next(struct cxl_trace_reader *base, struct cxl_op *op, bool *done,
			     struct cxl_error *err)
{
	struct brd *r = (struct brd *)base;
	unsigned char rec[CXL_OP_REC_SIZE];
	size_t sl, tl;

	if (!r->left) {
		*done = true;
		return CXL_OK;
	}
	if (fread(rec, 1, sizeof(rec), r->spool) != sizeof(rec))
		return cxl_error_set(err, CXL_ERR_IO, r->base.name, 0, 0, "cannot read the temporary op file");
	cxl_op_record_decode(rec, op, &sl, &tl);
	if (sl >= sizeof(op->src) || tl >= sizeof(op->text) ||
	    fread(op->src, 1, sl, r->spool) != sl || fread(op->text, 1, tl, r->spool) != tl)
		return cxl_error_set(err, CXL_ERR_IO, r->base.name, 0, 0, "cannot read the temporary op file");
	op->src[sl] = op->text[tl] = '\0';
	r->left--;
	*done = false;
	return CXL_OK;
}

static enum cxl_err brd_finish(struct cxl_trace_reader *base, struct cxl_error *err)
{
	(void)base;
	(void)err;
	return CXL_OK;
}

static void brd_close(struct cxl_trace_reader *base)
{
	struct brd *r = (struct brd *)base;

	if (r->spool)
		fclose(r->spool);
	r->spool = NULL;
}

static const struct cxl_trace_reader_ops builder_ops = {
	.next = brd_next,
	.finish = brd_finish,
	.close = brd_close,
};

CXL_EXPORT
enum cxl_err cxl_trace_builder_finish(struct cxl_trace_builder *b, struct cxl_trace_reader **out,
				      struct cxl_error *err)
{
	struct brd *r;
	enum cxl_err e;

	if (b->io_error || fflush(b->spool) || ferror(b->spool) || fseek(b->spool, 0, SEEK_SET)) {
		cxl_trace_builder_free(b);
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot write the temporary op file");
	}
	/* a topology the YAML reader would refuse is refused here too (no location: none is known) */
	if ((e = cxl_trace_topology_check(&b->hdr, err))) {
		cxl_trace_builder_free(b);
		return e;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		cxl_trace_builder_free(b);
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	}
	r->base.ops = &builder_ops;
	r->base.hdr = b->hdr;
	r->base.expect = b->expect;
	r->base.name = b->name;
	b->name = NULL;
	r->spool = b->spool;
	r->left = b->nops;
	memset(&b->expect, 0, sizeof(b->expect));
	b->spool = NULL;
	cxl_trace_builder_free(b);
	*out = &r->base;
	return CXL_OK;
}

CXL_EXPORT
void cxl_trace_builder_free(struct cxl_trace_builder *b)
{
	if (!b)
		return;
	if (b->spool)
		fclose(b->spool);
	cxl_expect_list_free(&b->expect);
	free(b->name);
	free(b);
}
