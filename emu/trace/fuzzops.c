/* SPDX-License-Identifier: MIT */
/*
 * fuzzops.c - the fuzz-ops encoding (cxlemu/fuzzops.h): topologies, decoding, encoding, and
 * a trace reader over an input.
 *
 * A topology's register maps come from the devices themselves: each device is created once
 * (as a replay would create it) and its registers, per space, listed in layout order. The
 * maps are all the encoding needs; the devices are not kept.
 */
#include <stdlib.h>
#include <string.h>

#include "cxlemu/fuzzops.h"
#include "trace_priv.h"

#define HOST_BASE 0x480000000ULL      /* acc0's host decoder 0: 1 GiB at 0x4_8000_0000 */
#define HOST_SIZE 0x40000000ULL
#define HDM_CONFIGS 4                 /* ep0: 1, 2, 4, 8 decoders */
#define HOST_CONFIGS 8                /* acc0: committed+locked, CONFIG_LOCK, Mem_Enable */

/* One device's registers in one space, in layout order. */
struct regmap {
	unsigned n;
	uint32_t *offset;
	uint8_t *bytes;
	/* register byte R -> the (R mod n)-th register, in one load: no division, no second
	 * array per op (the decoder's time is mostly cache misses) */
	struct { uint32_t offset; uint32_t bytes; } pick[256];
};

struct cxl_fuzzops {
	struct cxl_trace_header h;
	struct regmap map[CXL_FUZZOPS_DEVICES][CXL_SPACE__COUNT];
};

static const struct { const char *name, *model; } topo_devices[CXL_FUZZOPS_DEVICES] = {
	{ "ep0", "qemu72-type3" }, { "ep1", "type3-interleave" }, { "acc0", "type2-accel" },
	{ "rp0", "qemu72-root-port" }, { "hb0", "qemu72-hb" }, { "usp0", "qemu72-usp" },
	{ "dsp0", "qemu72-dsp" },
};

CXL_EXPORT
unsigned cxl_fuzzops_variants(void)
{
	return cxl_profile_count() * HDM_CONFIGS * HOST_CONFIGS;
}

CXL_EXPORT
unsigned cxl_fuzzops_variant(const uint8_t *data, size_t len)
{
	unsigned p = len > 0 ? data[0] % cxl_profile_count() : 0;
	unsigned c = len > 1 ? data[1] & (HDM_CONFIGS * HOST_CONFIGS - 1) : 0;

	return p * HDM_CONFIGS * HOST_CONFIGS + c;
}

CXL_EXPORT
void cxl_fuzzops_header_bytes(unsigned variant, uint8_t out[CXL_FUZZOPS_HEADER])
{
	out[0] = (uint8_t)(variant / (HDM_CONFIGS * HOST_CONFIGS));
	out[1] = (uint8_t)(variant % (HDM_CONFIGS * HOST_CONFIGS));
}

CXL_EXPORT
void cxl_fuzzops_free(struct cxl_fuzzops *t)
{
	if (!t)
		return;
	for (unsigned d = 0; d < CXL_FUZZOPS_DEVICES; d++)
		for (unsigned s = 0; s < CXL_SPACE__COUNT; s++) {
			free(t->map[d][s].offset);
			free(t->map[d][s].bytes);
		}
	free(t);
}

/* Lists @d's registers per space into @m; false when out of memory. */
static bool list_regs(const struct cxl_device *d, struct regmap m[CXL_SPACE__COUNT])
{
	unsigned n = cxl_device_nregs(d);

	for (unsigned s = 0; s < CXL_SPACE__COUNT; s++) {
		m[s].offset = calloc(n ? n : 1, sizeof(*m[s].offset));
		m[s].bytes = calloc(n ? n : 1, sizeof(*m[s].bytes));
		if (!m[s].offset || !m[s].bytes)
			return false;
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned space, width;
		uint32_t off;

		cxl_device_reg_info(d, i, &space, &off, NULL, NULL);
		cxl_device_reg_detail(d, i, &width, NULL, NULL);
		if (space >= CXL_SPACE__COUNT)
			continue;
		m[space].offset[m[space].n] = off;
		m[space].bytes[m[space].n++] = (uint8_t)(width / 8);
	}
	for (unsigned s = 0; s < CXL_SPACE__COUNT; s++)
		for (unsigned r = 0; r < 256; r++)
			if (m[s].n) {
				m[s].pick[r].offset = m[s].offset[r % m[s].n];
				m[s].pick[r].bytes = m[s].bytes[r % m[s].n];
			}
	return true;
}

CXL_EXPORT
enum cxl_err cxl_fuzzops_new(unsigned variant, struct cxl_fuzzops **out, struct cxl_error *err)
{
	struct cxl_fuzzops *t;
	unsigned cfg, host;

	if (variant >= cxl_fuzzops_variants())
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "fuzz-ops variant %u is out of range",
				     variant);
	t = calloc(1, sizeof(*t));
	if (!t)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	cfg = variant % (HDM_CONFIGS * HOST_CONFIGS);
	host = cfg / HDM_CONFIGS;
	t->h.version = 1;
	snprintf(t->h.description, sizeof(t->h.description), "fuzz-ops topology, variant %u", variant);
	snprintf(t->h.profile, sizeof(t->h.profile), "%s",
		 cxl_profile_name(variant / (HDM_CONFIGS * HOST_CONFIGS)));
	t->h.ndevices = CXL_FUZZOPS_DEVICES;
	for (unsigned i = 0; i < CXL_FUZZOPS_DEVICES; i++) {
		struct cxl_trace_device *td = &t->h.devices[i];
		struct cxl_device_opts o;
		struct cxl_device *d = NULL;
		enum cxl_err rc;

		snprintf(td->name, sizeof(td->name), "%s", topo_devices[i].name);
		snprintf(td->model, sizeof(td->model), "%s", topo_devices[i].model);
		td->line = 1;
		if (i == 0)
			td->hdm_decoders = 1 << (cfg % HDM_CONFIGS);
		if (i == 2) {
			td->host[0] = (struct cxl_host_decoder){ true, (host & 1) != 0, (host & 1) != 0,
				HOST_BASE, HOST_SIZE };
			td->host_config_lock = (host & 2) != 0;
			td->host_mem_enable = (host & 4) != 0;
		}
		cxl_trace_device_opts(td, &o);
		rc = cxl_device_create(td->name, td->model, t->h.profile, &o, &d, err);
		if (rc) {
			cxl_fuzzops_free(t);
			return rc;
		}
		if (!list_regs(d, t->map[i])) {
			cxl_device_destroy(d);
			cxl_fuzzops_free(t);
			return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
		}
		cxl_device_destroy(d);
	}
	*out = t;
	return CXL_OK;
}

CXL_EXPORT
const struct cxl_trace_header *cxl_fuzzops_header(const struct cxl_fuzzops *t)
{
	return &t->h;
}

/* @n little-endian bytes of @p. */
static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

CXL_EXPORT
bool cxl_fuzzops_next(const struct cxl_fuzzops *t, const uint8_t *data, size_t len, size_t *pos,
		      struct cxl_op *op)
{
	static const enum cxl_op_kind kinds[8] = {
		CXL_OP_CFG_READ, CXL_OP_CFG_WRITE, CXL_OP_MMIO_READ, CXL_OP_MMIO_WRITE,
		CXL_OP_RESET, CXL_OP_INJECT, CXL_OP_CFG_WRITE, CXL_OP_MMIO_WRITE,
	};

	while (*pos < len) {
		size_t p = *pos;
		uint8_t h = data[p];
		unsigned dev = (h >> 3) % CXL_FUZZOPS_DEVICES, space;
		enum cxl_op_kind kind = kinds[h & 7];
		bool write;

		op->kind = kind;
		op->dev = dev;
		op->line = p + 1;
		op->col = 0;
		op->flags = 0;
		op->has_value = false;
		op->value = 0;
		op->src[0] = op->text[0] = '\0';
		if (kind == CXL_OP_RESET) {
			if (p + 2 > len)
				break;
			op->reset = (enum cxl_reset_kind)(data[p + 1] % CXL_RESET__COUNT);
			*pos = p + 2;
			return true;
		}
		if (kind == CXL_OP_INJECT) {
			if (p + 3 > len)
				break;
			op->inject = (enum cxl_inject_kind)(data[p + 1] % CXL_INJECT__COUNT);
			op->bit = data[p + 2] % 64;
			*pos = p + 3;
			return true;
		}
		cxl_op_kind_access(kind, &space, &write);
		if (p + 3 > len)
			break;
		{
			const struct regmap *m = &t->map[dev][space];
			uint8_t r = data[p + 1], s = data[p + 2];
			unsigned size, room = space == CXL_SPACE_CONFIG ? CXL_SPACE_CONFIG_SIZE :
					      CXL_SPACE_COMPONENT_SIZE;
			uint64_t off;
			bool has_value;

			if (!m->n) {
				/* no register there (a host bridge's config space): the op is a no-op
				 * read of offset 0, which the model counts as unmodelled */
				*pos = p + 3;
				op->offset = 0;
				op->size = 4;
				op->kind = space == CXL_SPACE_CONFIG ? CXL_OP_CFG_READ : CXL_OP_MMIO_READ;
				return true;
			}
			if (s & 0x10) {
				off = m->pick[r].offset;
				size = m->pick[r].bytes;
			} else {
				size = 1u << (s & 3);
				if (space == CXL_SPACE_CONFIG && size > 4)
					size = 4;
				off = m->pick[r].offset + ((s >> 2) & 3);
			}
			if (off + size > room)
				off = room - size;
			has_value = write || (s & 0x20);
			if (has_value && p + 3 + size > len)
				break;
			op->offset = off;
			op->size = size;
			op->has_value = has_value;
			op->value = has_value ? le(data + p + 3, size) : 0;
			*pos = p + 3 + (has_value ? size : 0);
			return true;
		}
	}
	*pos = len;
	return false;
}

CXL_EXPORT
size_t cxl_fuzzops_encode(const struct cxl_fuzzops *t, const struct cxl_op *op, uint8_t *buf)
{
	unsigned space;
	bool write;

	if (op->dev >= CXL_FUZZOPS_DEVICES)
		return 0;
	if (op->kind == CXL_OP_RESET) {
		buf[0] = (uint8_t)(4 | op->dev << 3);
		buf[1] = (uint8_t)op->reset;
		return 2;
	}
	if (op->kind == CXL_OP_INJECT) {
		buf[0] = (uint8_t)(5 | op->dev << 3);
		buf[1] = (uint8_t)op->inject;
		buf[2] = (uint8_t)op->bit;
		return 3;
	}
	if (!cxl_op_kind_access(op->kind, &space, &write))
		return 0;
	{
		const struct regmap *m = &t->map[op->dev][space];
		unsigned kind = space == CXL_SPACE_CONFIG ? (write ? 1 : 0) : (write ? 3 : 2);
		size_t n = 3;

		for (unsigned i = 0; i < m->n && i < 256; i++) {
			uint64_t at = op->offset - m->offset[i];
			uint8_t s;

			if (op->offset < m->offset[i] || at >= m->bytes[i])
				continue;
			if (!at && op->size == m->bytes[i])
				s = 0x10;
			else if (at <= 3 && (op->size == 1 || op->size == 2 || op->size == 4 ||
					     (op->size == 8 && space != CXL_SPACE_CONFIG)))
				s = (uint8_t)((op->size == 1 ? 0 : op->size == 2 ? 1 : op->size == 4 ? 2 : 3) |
					      at << 2);
			else
				return 0;
			if (!write && op->has_value)
				s |= 0x20;
			buf[0] = (uint8_t)(kind | op->dev << 3);
			buf[1] = (uint8_t)i;
			buf[2] = s;
			if (write || op->has_value)
				for (unsigned k = 0; k < op->size; k++)
					buf[n++] = (uint8_t)(op->value >> (8 * k));
			return n;
		}
	}
	return 0;
}

/* ---- a trace reader over an input ---------------------------------------------------- */

struct fz {
	struct cxl_trace_reader base;  /* must be first */
	const struct cxl_fuzzops *t;
	struct cxl_fuzzops *own;       /* t when the reader built it, else NULL */
	const uint8_t *data;
	uint8_t *copy;                 /* data when the reader copied it, else NULL */
	size_t len, pos;
};

static enum cxl_err fz_next(struct cxl_trace_reader *r, struct cxl_op *op, bool *done,
			    struct cxl_error *err)
{
	struct fz *z = (struct fz *)r;

	(void)err;
	*done = !cxl_fuzzops_next(z->t, z->data, z->len, &z->pos, op);
	return CXL_OK;
}

static enum cxl_err fz_finish(struct cxl_trace_reader *r, struct cxl_error *err)
{
	(void)r;
	(void)err;
	return CXL_OK;
}

static void fz_close(struct cxl_trace_reader *r)
{
	struct fz *z = (struct fz *)r;

	cxl_fuzzops_free(z->own);
	free(z->copy);
}

static const struct cxl_trace_reader_ops fz_ops = { fz_next, fz_finish, fz_close };

/* A reader of @data on @t (borrowed, or owned when @own); @copy is freed with it. */
static enum cxl_err fz_new(const struct cxl_fuzzops *t, struct cxl_fuzzops *own, const uint8_t *data,
			   uint8_t *copy, size_t len, const char *name, struct cxl_trace_reader **out,
			   struct cxl_error *err)
{
	struct fz *z = calloc(1, sizeof(*z));

	if (!z || !cxl_trace_set_name(&z->base, name)) {
		free(z);
		cxl_fuzzops_free(own);
		free(copy);
		return cxl_error_set(err, CXL_ERR_LIMIT, name, 0, 0, "out of memory");
	}
	z->t = t;
	z->own = own;
	z->data = data;
	z->copy = copy;
	z->len = len;
	z->pos = CXL_FUZZOPS_HEADER;
	z->base.ops = &fz_ops;
	z->base.hdr = t->h;
	*out = &z->base;
	return CXL_OK;
}

CXL_EXPORT
enum cxl_err cxl_fuzzops_reader_on(const struct cxl_fuzzops *t, const uint8_t *data, size_t len,
				   const char *name, struct cxl_trace_reader **out,
				   struct cxl_error *err)
{
	return fz_new(t, NULL, data, NULL, len, name, out, err);
}

CXL_EXPORT
enum cxl_err cxl_fuzzops_reader(const uint8_t *data, size_t len, const char *name,
				struct cxl_trace_reader **out, struct cxl_error *err)
{
	struct cxl_fuzzops *t = NULL;
	uint8_t *copy;
	enum cxl_err rc;

	if (len > CXL_FUZZOPS_INPUT_MAX)
		return cxl_error_set(err, CXL_ERR_LIMIT, name, 0, 0,
				     "a fuzz-ops input is at most %u bytes", CXL_FUZZOPS_INPUT_MAX);
	copy = malloc(len ? len : 1);
	if (!copy)
		return cxl_error_set(err, CXL_ERR_LIMIT, name, 0, 0, "out of memory");
	memcpy(copy, data, len);
	rc = cxl_fuzzops_new(cxl_fuzzops_variant(data, len), &t, err);
	if (rc) {
		free(copy);
		return rc;
	}
	return fz_new(t, t, copy, copy, len, name, out, err);
}
