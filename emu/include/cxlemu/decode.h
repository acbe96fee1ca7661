/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/decode.h - HDM decoder address decode as pure functions.
 *
 * CXL r3.1 §8.2.4.20 (HDM Decoder Capability Structure): the IG/IW and
 * Decoder Count encodings (§8.2.4.20.1, §8.2.4.20.7), the Target List
 * and DPA Skip registers, and the decode flows for host bridges /
 * switch upstream ports and for devices (see
 * /work/shared/reference/cxl-registers.md §4 and §5.3).
 *
 * Every function here is pure: no allocation, no global state, no I/O.
 * The engine fills struct cxl_decoder_prog from its registers; these
 * functions only interpret it. Out-parameters are written only when the
 * function succeeds and may be NULL when the caller does not need them.
 *
 * Decisions (each is pinned by tests/decode/test_hdm_decode.c):
 *
 *  D1 Only committed decoders decode. A decoder that is not committed,
 *     has Size 0 (legal, §8.2.4.20.12: it commits and decodes nothing) or
 *     wraps never claims an address.
 *  D2 A decoder covers [Base, Base + Size - 1]. It "wraps" when that last
 *     byte does not fit in 64 bits (Base + Size - 1 > 2^64 - 1); a wrapping
 *     decoder decodes nothing. A decoder that ends exactly at 2^64 (last
 *     byte 0xFFFF_FFFF_FFFF_FFFF) does not wrap and decodes normally. All
 *     range tests are done as HPA - Base <= Size - 1, so nothing overflows.
 *  D3 Decoders are walked in index order 0..n-1 and the first decoder that
 *     claims the HPA (D1/D2) is the match. Overlapping committed decoders
 *     are undefined by the spec when Lock On Commit is clear (§8.2.4.20.12);
 *     we pin "lowest index wins". If the matching decoder cannot translate
 *     (reserved IG/IW, or an IW the port cannot route) the result is -1;
 *     we do not fall through to a later decoder.
 *  D4 Ports (host bridge / switch USP): only power-of-two IW
 *     encodings 0..3 (1, 2, 4, 8 ways) route. IW 4 (16 ways) needs 16
 *     targets but the Target List holds 8, and IW 8/9/Ah (3/6/12 ways) are
 *     device-only (HB/USP hardwire the 3/6/12-Way capability bit to 0), so
 *     cxl_decode_port() returns -1 for them, as for reserved encodings.
 *     The way is taken from the HPA itself, not from the offset to Base:
 *     way = HPA[IG+8+IW-1 : IG+8], target = Target List[way]. For any Base
 *     the registers can hold (256 MiB aligned) both readings agree, since
 *     IG+8+IW-1 <= 16 < 28.
 *  D5 Devices follow the spec flow literally:
 *         DPABase = 0
 *         for n in 0..N-1:
 *             DPABase += DPASkip[n]
 *             if decoder n claims HPA:      (D1/D2/D3)
 *                 HPAOffset = HPA - Base[n]
 *                 IW < 8:  DPAOffset = HPAOffset[IG+7:0] |
 *                                      HPAOffset[51:IG+8+IW] << (IG+8)
 *                 IW >= 8: DPAOffset = HPAOffset[IG+7:0] |
 *                                      (HPAOffset[51:IG+IW] / 3) << (IG+8)
 *                 DPA = DPABase + DPAOffset; stop
 *             else:
 *                 DPABase += Size[n] / ways(IW[n])
 *     HPAOffset bits 63:52 are discarded, as the formula says ([51:...]).
 *     This is the spec's /3 for 3/6/12 ways, not QEMU's shift by the
 *     encoded IW (reference §10 D-Q12).
 *  D6 Uncommitted decoders still consume DPA. The flow above walks every
 *     decoder and every one that does not decode the HPA adds its DPA Skip
 *     and Size/ways, whatever its Committed bit (and likewise for Size-0 and
 *     wrapping decoders). Reason: the literal reading of the flow, and it
 *     keeps the HPA->DPA map of a committed decoder independent of whether
 *     lower decoders are committed: committing or de-committing decoder 0
 *     (Lock On Commit clear, §8.2.4.20.13) must not silently move decoder
 *     1's data to other DPAs. (QEMU instead stops at the first uncommitted
 *     decoder, reference §10 D-Q8; Linux commits in order, so the two agree
 *     for Linux-programmed devices.)
 *  D7 Size[n] / ways is an integer division (truncating; Size need not be a
 *     multiple of 3 when Lock On Commit is clear). A decoder walked before
 *     the match with Size != 0 and a reserved IW makes the DPA layout
 *     undefined, so cxl_decode_device() returns -1; with Size 0 it adds
 *     only its DPA Skip. IG of a non-matching decoder is never used.
 *  D8 DPA arithmetic that overflows 64 bits (DPABase accumulation or
 *     DPABase + DPAOffset) returns -1.
 *  D9 At most INT_MAX decoders are walked, so every returned index fits in
 *     an int. Real counts are <= 32 (§8.2.4.20.1).
 *
 * Enable bits (Global Control HDM Decoder Enable, DVSEC Mem_Enable) and the
 * DVSEC Range fallback are the caller's business: these functions assume
 * the HDM decoders are in use.
 */
#ifndef CXLEMU_DECODE_H
#define CXLEMU_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One HDM decoder as programmed (CXL r3.1 §8.2.4.20, Decoder n registers). */
struct cxl_decoder_prog {
	bool committed;            /* Control.Committed */
	uint64_t base, size;       /* bytes; multiples of 256 MiB in practice */
	unsigned ig, iw;           /* raw encodings from the Control register */
	uint64_t dpa_skip;         /* devices: DPA Skip, bytes */
	uint8_t targets[8];        /* HB/USP: Target List, way 0..7 */
};

/*
 * Interleave Ways encoding (§8.2.4.20.7, Control[7:4]): 0..4 -> 1, 2, 4,
 * 8, 16 ways; 8, 9, Ah -> 3, 6, 12 ways. Returns false (and leaves *ways
 * untouched) for every other value, which is reserved.
 */
bool cxl_iw_ways(unsigned iw, unsigned *ways);

/*
 * Interleave Granularity encoding (§8.2.4.20.7, Control[3:0]): 0..6 ->
 * 2^(IG+8) = 256 B .. 16 KiB. Returns false (and leaves *bytes untouched)
 * for every other value, which is reserved.
 */
bool cxl_ig_bytes(unsigned ig, uint64_t *bytes);

/*
 * Decoder Count encoding (§8.2.4.20.1, Capability[3:0]): 0..Ch -> 1, 2,
 * 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32. Returns false (and leaves
 * *count untouched) for every other value, which is reserved.
 */
bool cxl_decoder_count(unsigned enc, unsigned *count);

/*
 * Inverse of cxl_decoder_count(): the encoding of @count. Returns false
 * (and leaves *enc untouched) when @count has no encoding.
 */
bool cxl_decoder_count_enc(unsigned count, unsigned *enc);

/*
 * Host bridge / switch upstream port decode (decisions D1-D4, D9): find
 * the decoder among d[0..n-1] that claims @hpa and select its target port
 * id. Returns that decoder's index and stores the target in *target, or
 * returns -1 (and leaves *target untouched) when no decoder claims @hpa
 * or the claiming decoder's IG/IW cannot be routed by a port.
 * @d may be NULL when @n is 0.
 */
int cxl_decode_port(const struct cxl_decoder_prog *d, unsigned n,
		    uint64_t hpa, uint8_t *target);

/*
 * Device decode (decisions D1-D3, D5-D9): translate @hpa to a DPA with
 * the spec flow and DPA Skip accumulation. Returns the index of the
 * decoder that claims @hpa and stores the DPA in *dpa, or returns -1 (and
 * leaves *dpa untouched) when no decoder claims @hpa, the claiming
 * decoder has a reserved IG/IW, the DPA layout before it is undefined
 * (D7) or the DPA overflows (D8). @d may be NULL when @n is 0.
 */
int cxl_decode_device(const struct cxl_decoder_prog *d, unsigned n,
		      uint64_t hpa, uint64_t *dpa);

struct cxl_device;

/*
 * The HDM decoders of device @d as programmed now (its first HDM Decoder Capability), up to
 * @max of them into @p. Returns how many were stored (0 without HDM decoders); *@port (may
 * be NULL) is true for a port (host bridge, switch USP) decoder block, which has Target
 * Lists instead of DPA Skip.
 */
unsigned cxl_device_decoders(const struct cxl_device *d, struct cxl_decoder_prog *p,
			     unsigned max, bool *port);

#ifdef __cplusplus
}
#endif

#endif
