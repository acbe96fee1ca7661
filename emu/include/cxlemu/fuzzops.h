/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/fuzzops.h - fuzz-ops: a compact binary encoding of ops on a fixed topology.
 *
 * The input a fuzzer mutates (tools/fuzz/fuzz_ops.c): two header bytes pick a topology
 * variant (the personality, ep0's HDM decoder count, acc0's host state), then every op is a
 * few bytes whose register index, not offset, says what it touches, so most mutations hit a
 * register. The topology is seven devices:
 *
 *   0 ep0  qemu72-type3 (1, 2, 4 or 8 HDM decoders)   4 hb0   qemu72-hb
 *   1 ep1  type3-interleave                           5 usp0  qemu72-usp
 *   2 acc0 type2-accel, host decoder 0 (optionally    6 dsp0  qemu72-dsp
 *          committed and locked, 1 GiB at 0x4_8000_0000), host CONFIG_LOCK / Mem_Enable
 *   3 rp0  qemu72-root-port
 *
 * Header: byte 0 = the profile (index mod cxl_profile_count()); byte 1 bits 1:0 = log2 of
 * ep0's decoder count, bit 2 = acc0's host decoder 0 committed and locked, bit 3 = host
 * CONFIG_LOCK, bit 4 = host Mem_Enable. An op starts with a byte H: kind = H & 7 (0 cfg-read,
 * 1 cfg-write, 2 mmio-read, 3 mmio-write, 4 reset, 5 inject, 6 cfg-write, 7 mmio-write),
 * device = (H >> 3) mod 7. An access then has a register byte R (the R mod n-th register of
 * the device in that space, layout order) and a shape byte S: bit 4 set = exactly that
 * register; else size 1 << (S & 3) (at most 4 in config space) at byte (S >> 2) & 3 of it;
 * bit 5 on a read = the read carries a recorded value. A write's value, or such a read's,
 * follows in size bytes, little endian. A reset has a kind byte (mod the reset kinds), an
 * inject a kind byte and a bit byte (mod 64). An op cut short by the end of the input ends
 * it. Decoding never fails: every input is a valid op stream, so a fuzzer wastes nothing.
 *
 * The encoding is part of the corpus format: changing it invalidates tools/fuzz/corpus.
 */
#ifndef CXLEMU_FUZZOPS_H
#define CXLEMU_FUZZOPS_H

#include <stddef.h>
#include <stdint.h>

#include "cxlemu/error.h"
#include "cxlemu/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CXL_FUZZOPS_HEADER 2      /* header bytes */
#define CXL_FUZZOPS_DEVICES 7
#define CXL_FUZZOPS_OP_MAX 11     /* the longest op: H R S and 8 value bytes */
#define CXL_FUZZOPS_INPUT_MAX (1u << 20) /* what cxl_fuzzops_reader() takes */

struct cxl_fuzzops;

/* Number of topology variants; the variant input @data selects (short inputs: 0). */
unsigned cxl_fuzzops_variants(void);
unsigned cxl_fuzzops_variant(const uint8_t *data, size_t len);
/* The header bytes that select @variant. */
void cxl_fuzzops_header_bytes(unsigned variant, uint8_t out[CXL_FUZZOPS_HEADER]);

/*
 * Builds topology @variant (< cxl_fuzzops_variants()): the trace header (devices, their
 * options, the profile) and the register maps the ops index. Returns CXL_OK with *@out set,
 * or an error with @err filled.
 */
enum cxl_err cxl_fuzzops_new(unsigned variant, struct cxl_fuzzops **out, struct cxl_error *err);
void cxl_fuzzops_free(struct cxl_fuzzops *t);
/* The topology as a trace header: what cxl_device_create() needs for each device. */
const struct cxl_trace_header *cxl_fuzzops_header(const struct cxl_fuzzops *t);

/*
 * Decodes the op of @data at *@pos (start at CXL_FUZZOPS_HEADER) into @op and moves *@pos
 * past it; false at the end of the input. @op->line is the op's byte offset plus 1.
 */
bool cxl_fuzzops_next(const struct cxl_fuzzops *t, const uint8_t *data, size_t len, size_t *pos,
		      struct cxl_op *op);

/*
 * Encodes @op (its dev an index of this topology) into @buf (CXL_FUZZOPS_OP_MAX bytes);
 * returns the length, 0 when the encoding cannot say it (an offset on no register, a mark).
 * cxl_fuzzops_next() of the bytes gives the same kind, device, offset, size and value.
 */
size_t cxl_fuzzops_encode(const struct cxl_fuzzops *t, const struct cxl_op *op, uint8_t *buf);

/*
 * A trace reader over fuzz-ops input @data (at most CXL_FUZZOPS_INPUT_MAX bytes; copied),
 * named @name: what `cxlemu import --from fuzz-ops` and `replay --from fuzz-ops` read.
 */
enum cxl_err cxl_fuzzops_reader(const uint8_t *data, size_t len, const char *name,
				struct cxl_trace_reader **out, struct cxl_error *err);
/* The same on topology @t, which the reader borrows (it must outlive it) and @data not copied. */
enum cxl_err cxl_fuzzops_reader_on(const struct cxl_fuzzops *t, const uint8_t *data, size_t len,
				   const char *name, struct cxl_trace_reader **out,
				   struct cxl_error *err);

#ifdef __cplusplus
}
#endif

#endif
