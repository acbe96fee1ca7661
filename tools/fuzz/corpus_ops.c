/* SPDX-License-Identifier: MIT */
/*
 * corpus_ops.c - seeds for fuzz_ops from native traces: each trace's ops encoded as fuzz-ops
 * (cxlemu/fuzzops.h) on the fuzz topology. Its devices map onto the topology's by model
 * (the first free topology device of the same model); ep0's decoder count and acc0's host
 * state pick the variant, the trace's profile the personality. Ops of devices with no place
 * in the topology, and ops the encoding cannot say, are left out (counted on stderr).
 *
 * usage: fuzz-corpus-ops TRACE OUT    (exit 0 written, 1 nothing to encode, 2 bad input)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxlemu/cxlemu.h"

/* The variant that fits the devices of @h mapped by @map (topology index per device). */
static unsigned variant_of(const struct cxl_trace_header *h, const int *map)
{
	unsigned profile = 0, cfg = 0;
	int p = h->profile[0] ? cxl_profile_lookup(h->profile) : -1;

	if (p >= 0)
		profile = (unsigned)p;
	for (unsigned i = 0; i < h->ndevices; i++) {
		const struct cxl_trace_device *td = &h->devices[i];

		if (map[i] == 0 && td->hdm_decoders > 1)
			cfg |= td->hdm_decoders >= 8 ? 3 : td->hdm_decoders >= 4 ? 2 : 1;
		if (map[i] == 2) {
			if ((td->host[0].set && td->host[0].committed) || td->fw_committed)
				cfg |= 1u << 2;
			if (td->host_config_lock)
				cfg |= 1u << 3;
			if (td->host_mem_enable)
				cfg |= 1u << 4;
		}
	}
	return profile * 32 + cfg;
}

int main(int argc, char **argv)
{
	struct cxl_trace_reader *r = NULL;
	struct cxl_fuzzops *t = NULL, *probe = NULL;
	const struct cxl_trace_header *h, *th;
	struct cxl_error err;
	struct cxl_op op;
	int map[CXL_TRACE_MAX_DEVICES];
	bool used[CXL_FUZZOPS_DEVICES] = { false }, done = false;
	unsigned long kept = 0, left = 0;
	uint8_t hdr[CXL_FUZZOPS_HEADER];
	FILE *out;

	if (argc != 3) {
		fprintf(stderr, "usage: fuzz-corpus-ops TRACE OUT\n");
		return 2;
	}
	if (cxl_trace_open(argv[1], &r, &err) || cxl_fuzzops_new(0, &probe, &err)) {
		fprintf(stderr, "%s:%lu:%lu: error: %s\n", err.file, err.line, err.col, err.msg);
		return 2;
	}
	h = cxl_trace_header(r);
	th = cxl_fuzzops_header(probe);
	for (unsigned i = 0; i < h->ndevices; i++) {
		map[i] = -1;
		for (unsigned k = 0; k < CXL_FUZZOPS_DEVICES && map[i] < 0; k++)
			if (!used[k] && !strcmp(th->devices[k].model, h->devices[i].model))
				map[i] = (int)k, used[k] = true;
	}
	cxl_fuzzops_free(probe);
	if (cxl_fuzzops_new(variant_of(h, map), &t, &err)) {
		fprintf(stderr, "%s: error: %s\n", argv[1], err.msg);
		return 2;
	}
	out = fopen(argv[2], "wb");
	if (!out) {
		perror(argv[2]);
		return 2;
	}
	cxl_fuzzops_header_bytes(variant_of(h, map), hdr);
	fwrite(hdr, 1, sizeof(hdr), out);
	while (!cxl_trace_next(r, &op, &done, &err) && !done) {
		uint8_t buf[CXL_FUZZOPS_OP_MAX];
		size_t n;

		if (op.kind == CXL_OP_MARK || map[op.dev] < 0) {
			left += op.kind != CXL_OP_MARK;
			continue;
		}
		{
			/* a trace counting mmio offsets in a view: the topology counts from the block */
			const struct cxl_trace_device *td = &h->devices[op.dev];
			int m = cxl_model_lookup(td->model);
			int64_t base = 0;
			unsigned space;
			bool write;

			if (cxl_op_kind_access(op.kind, &space, &write) && space == CXL_SPACE_COMPONENT &&
			    m >= 0 && cxl_model_view_base((unsigned)m, td->view, &base))
				op.offset = (uint64_t)((int64_t)op.offset + base);
		}
		op.dev = (unsigned)map[op.dev];
		n = cxl_fuzzops_encode(t, &op, buf);
		if (!n) {
			left++;
			continue;
		}
		fwrite(buf, 1, n, out);
		kept++;
	}
	if (!done) {
		fprintf(stderr, "%s:%lu:%lu: error: %s\n", err.file, err.line, err.col, err.msg);
		return 2;
	}
	if (fclose(out))
		return 2;
	fprintf(stderr, "%s: %lu ops encoded, %lu left out\n", argv[1], kept, left);
	cxl_fuzzops_free(t);
	cxl_trace_close(r);
	return kept ? 0 : 1;
}
