/* SPDX-License-Identifier: MIT */
/*
 * fuzz_trace_yaml.c - the native trace reader as a fuzz target: the input is trace text,
 * read in memory (cxl_trace_open_memory()). A finding aborts:
 *
 *   - round trip: a trace the reader accepts, written back (cxl_trace_write_yaml()) and read
 *     again, must give the same header and the same ops, field for field;
 *   - the fast path: read from a file (cxl_trace_open() of a memfd), with and without the
 *     YAML reader's fast path (CXLEMU_YAML_SLOW), every outcome is the same: the error and
 *     its position, the header, every op with its line and column, the expect list;
 *   - invariants: when its devices can be built (known models and profiles, at most
 *     OPS_MAX ops), the trace runs on them with the invariants of cxlemu/invariant.h checked
 *     around every op, as fuzz_ops does; the traces of traces/regress go through here.
 *
 * Errors of the reader are no finding (bad input is expected); crashes, sanitizer reports
 * and the checks above are.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cxlemu/cxlemu.h"
#include "harness.h"

#define INPUT_MAX (256u * 1024)
#define OPS_MAX 100000UL

static void finding(const char *what, const char *detail)
{
	cxl_fuzz_finding("fuzz_trace_yaml", what, detail);
}

/* FNV-1a over @n bytes. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

/* A digest of everything a reader says about a trace, but where it says it (lines). */
static uint64_t header_digest(const struct cxl_trace_header *h)
{
	uint64_t d = mix(0xcbf29ce484222325ULL, h->description, strlen(h->description));

	d = mix(d, h->profile, strlen(h->profile));
	d = mix(d, h->source, strlen(h->source));
	d = mix(d, &h->ndevices, sizeof(h->ndevices));
	for (unsigned i = 0; i < h->ndevices; i++) {
		const struct cxl_trace_device *t = &h->devices[i];

		d = mix(d, t->name, strlen(t->name));
		d = mix(d, t->model, strlen(t->model));
		d = mix(d, t->profile, strlen(t->profile));
		d = mix(d, &t->hdm_decoders, sizeof(t->hdm_decoders));
		d = mix(d, &t->fw_committed, sizeof(t->fw_committed));
		d = mix(d, &t->fw_base, sizeof(t->fw_base));
		d = mix(d, &t->fw_size, sizeof(t->fw_size));
		for (unsigned k = 0; k < CXL_HOST_DECODERS_MAX; k++) {
			const struct cxl_host_decoder *x = &t->host[k];

			d = mix(d, &x->set, sizeof(x->set));
			d = mix(d, &x->committed, sizeof(x->committed));
			d = mix(d, &x->locked, sizeof(x->locked));
			d = mix(d, &x->base, sizeof(x->base));
			d = mix(d, &x->size, sizeof(x->size));
		}
		d = mix(d, &t->host_config_lock, sizeof(t->host_config_lock));
		d = mix(d, &t->host_mem_enable, sizeof(t->host_mem_enable));
		d = mix(d, &t->view, sizeof(t->view));
	}
	return d;
}

static uint64_t op_digest(uint64_t d, const struct cxl_op *op)
{
	d = mix(d, &op->kind, sizeof(op->kind));
	d = mix(d, &op->dev, sizeof(op->dev));
	d = mix(d, &op->offset, sizeof(op->offset));
	d = mix(d, &op->size, sizeof(op->size));
	d = mix(d, &op->value, sizeof(op->value));
	d = mix(d, &op->has_value, sizeof(op->has_value));
	d = mix(d, &op->reset, sizeof(op->reset));
	d = mix(d, &op->inject, sizeof(op->inject));
	d = mix(d, &op->bit, sizeof(op->bit));
	d = mix(d, &op->flags, sizeof(op->flags));
	d = mix(d, op->text, strlen(op->text));
	return mix(d, op->src, strlen(op->src));
}

/* Reads all of @r: the digest of its ops into *@d and their count; false on a reader error. */
static bool read_ops(struct cxl_trace_reader *r, uint64_t *d, unsigned long *n)
{
	struct cxl_error err;
	struct cxl_op op;
	bool done = false;

	*d = 0;
	*n = 0;
	while (!cxl_trace_next(r, &op, &done, &err) && !done) {
		*d = op_digest(*d, &op);
		(*n)++;
	}
	return done && !cxl_trace_finish(r, NULL, &err);
}

/* Runs @r's ops on its own devices with the invariant checkers; aborts on a violation. */
static void run_checked(struct cxl_trace_reader *r)
{
	const struct cxl_trace_header *h = cxl_trace_header(r);
	struct cxl_device *dev[CXL_TRACE_MAX_DEVICES] = { 0 };
	struct cxl_checker *chk[CXL_TRACE_MAX_DEVICES] = { 0 };
	struct cxl_error err;
	struct cxl_op op;
	unsigned long opi = 0;
	bool done = false, ok = true;

	for (unsigned i = 0; ok && i < h->ndevices; i++) {
		const struct cxl_trace_device *td = &h->devices[i];
		const char *p = td->profile[0] ? td->profile : h->profile[0] ? h->profile : NULL;
		struct cxl_device_opts o;

		cxl_trace_device_opts(td, &o);
		ok = !cxl_device_create(td->name, td->model, p, &o, &dev[i], &err) &&
		     !cxl_checker_new(dev[i], &chk[i], &err);
		if (ok)
			cxl_checker_set_full(chk[i], true);   /* traces are few: check everything */
	}
	while (ok && opi < OPS_MAX && !cxl_trace_next(r, &op, &done, &err) && !done) {
		struct cxl_device *d;
		struct cxl_invariant_failure f;
		unsigned space;
		bool write;
		uint64_t result;

		if (op.kind == CXL_OP_MARK || op.dev >= h->ndevices) {   /* a mark names no device */
			opi++;
			continue;
		}
		d = dev[op.dev];

		cxl_checker_before(chk[op.dev], d);
		cxl_device_set_op(d, opi, op.line, "");
		cxl_device_set_op_flags(d, op.flags);
		if (cxl_op_kind_access(op.kind, &space, &write))
			cxl_device_access(d, space, write, op.offset, op.size, op.value, op.has_value,
					  &result);
		else if (op.kind == CXL_OP_RESET)
			cxl_device_reset(d, op.reset);
		else if (op.kind == CXL_OP_INJECT)
			cxl_device_inject(d, op.inject, op.bit);
		if (!cxl_checker_after(chk[op.dev], d, &op, &f)) {
			char msg[512];

			snprintf(msg, sizeof(msg), "op %lu (line %lu): %s \"%s\": %s (%s)", opi, op.line,
				 f.device, f.reg, f.detail, cxl_invariant_spec(f.inv));
			finding(cxl_invariant_name(f.inv), msg);
		}
		opi++;
	}
	for (unsigned i = 0; i < h->ndevices; i++) {
		cxl_checker_free(chk[i]);
		cxl_device_destroy(dev[i]);
	}
}

/* Everything a reader of @path says (errors with their positions, ops with theirs). */
static uint64_t outcome(const char *path, bool slow)
{
	struct cxl_trace_reader *r = NULL;
	struct cxl_error err;
	struct cxl_op op;
	bool done = false, has_expect = false;
	enum cxl_err e;
	uint64_t d;

	if (slow)
		setenv("CXLEMU_YAML_SLOW", "1", 1);
	else
		unsetenv("CXLEMU_YAML_SLOW");
	memset(&err, 0, sizeof(err));
	e = cxl_trace_open(path, &r, &err);
	unsetenv("CXLEMU_YAML_SLOW");
	d = mix(0xcbf29ce484222325ULL, &e, sizeof(e));
	if (e)
		goto error;
	d = mix(d, &(uint64_t){ header_digest(cxl_trace_header(r)) }, 8);
	while (!(e = cxl_trace_next(r, &op, &done, &err)) && !done) {
		d = op_digest(d, &op);
		d = mix(d, &op.line, sizeof(op.line));
		d = mix(d, &op.col, sizeof(op.col));
	}
	if (!e)
		e = cxl_trace_finish(r, &has_expect, &err);
	d = mix(d, &e, sizeof(e));
	if (!e) {
		d = mix(d, &has_expect, sizeof(has_expect));
		const struct cxl_expect *x;

		for (unsigned long i = 0; (x = cxl_trace_expect(r, i)); i++) {
			d = mix(d, &x->op, sizeof(x->op));
			d = mix(d, x->rule, strlen(x->rule));
			d = mix(d, x->why, strlen(x->why));
		}
	}
	cxl_trace_close(r);
	if (!e)
		return d;
error:
	d = mix(d, err.msg, strlen(err.msg));
	d = mix(d, &err.line, sizeof(err.line));
	return mix(d, &err.col, sizeof(err.col));
}

/* The fast path and the YAML reader agree on @data, read from a file. */
static void check_fast_path(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = cxl_fuzz_memfile("fuzz_trace_yaml", data, size, path);

	if (outcome(path, false) != outcome(path, true))
		finding("fast path", "the YAML fast path and libyaml read the trace differently");
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxl_trace_reader *r = NULL, *back = NULL;
	struct cxl_error err;
	uint64_t d1, d2, h1;
	unsigned long n1, n2;
	char *text = NULL;
	size_t tlen = 0;
	FILE *f;

	if (size > INPUT_MAX)
		return 0;
	check_fast_path(data, size);
	if (cxl_trace_open_memory(data, size, "input.yaml", &r, &err))
		return 0;
	h1 = header_digest(cxl_trace_header(r));
	if (!read_ops(r, &d1, &n1)) {
		cxl_trace_close(r);
		return 0;
	}
	cxl_trace_close(r);
	/* accepted: written back and read again, the same trace */
	if (cxl_trace_open_memory(data, size, "input.yaml", &r, &err))
		finding("reader", "a trace read once does not open again");
	f = open_memstream(&text, &tlen);
	if (!f)
		finding("setup", "out of memory");
	if (cxl_trace_write_yaml(r, f, NULL, &err))
		finding("roundtrip: an accepted trace cannot be written", err.msg);
	cxl_trace_close(r);
	fclose(f);
	if (cxl_trace_open_memory(text, tlen, "rewritten.yaml", &back, &err))
		finding("roundtrip: the rewritten trace does not read", err.msg);
	if (header_digest(cxl_trace_header(back)) != h1)
		finding("roundtrip", "the rewritten trace has another header");
	if (!read_ops(back, &d2, &n2))
		finding("roundtrip", "the rewritten trace's ops do not read");
	if (d1 != d2 || n1 != n2)
		finding("roundtrip", "the rewritten trace has other ops");
	cxl_trace_close(back);
	free(text);
	/* and run on its devices with the invariants */
	if (n1 <= OPS_MAX && !cxl_trace_open_memory(data, size, "input.yaml", &r, &err)) {
		run_checked(r);
		cxl_trace_close(r);
	}
	return 0;
}
