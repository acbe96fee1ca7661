/* SPDX-License-Identifier: MIT */
/*
 * hdm_decode.c - HDM decoder address decode (CXL r3.1 §8.2.4.20).
 *
 * Pure functions; the decisions D1-D9 they implement are documented in
 * cxlemu/decode.h.
 */
#include <limits.h>
#include <stddef.h>

#include "core_priv.h"

/* The device formula uses HPAOffset[51:...]: bits 63:52 are discarded. */
#define HPA_OFFSET_MASK ((UINT64_C(1) << 52) - 1)

/* The encoding tables are the decode: lists of spec/structures/hdm-decoder.yaml. */
#define IW_TABLE CXL_DECODE_HDM_DECODER_CONTROL_IW
#define IG_TABLE CXL_DECODE_HDM_DECODER_CONTROL_IG
#define COUNT_TABLE CXL_DECODE_HDM_DECODER_CAPABILITY_DECODER_COUNT
#define TABLE_LEN(t) (sizeof(t) / sizeof((t)[0]))

/* @table[@enc] when @enc is a listed encoding (non-zero entry); false for reserved. */
static bool decode(const uint32_t *table, size_t n, unsigned enc, uint32_t *out)
{
	if (enc >= n || !table[enc])
		return false;
	if (out)
		*out = table[enc];
	return true;
}

/* Ways for a valid IW encoding; false for reserved encodings. */
CXL_EXPORT
bool cxl_iw_ways(unsigned iw, unsigned *ways)
{
	uint32_t w;

	if (!decode(IW_TABLE, TABLE_LEN(IW_TABLE), iw, &w))
		return false;
	if (ways)
		*ways = w;
	return true;
}

/* Granularity in bytes for a valid IG encoding; false for reserved. */
CXL_EXPORT
bool cxl_ig_bytes(unsigned ig, uint64_t *bytes)
{
	uint32_t b;

	if (!decode(IG_TABLE, TABLE_LEN(IG_TABLE), ig, &b))
		return false;
	if (bytes)
		*bytes = b;
	return true;
}

/* Decoder count for a valid Decoder Count encoding; false for reserved. */
CXL_EXPORT
bool cxl_decoder_count(unsigned enc, unsigned *count)
{
	uint32_t c;

	if (!decode(COUNT_TABLE, TABLE_LEN(COUNT_TABLE), enc, &c))
		return false;
	if (count)
		*count = c;
	return true;
}

/* Encoding of a decoder count; false when the count has none. */
CXL_EXPORT
bool cxl_decoder_count_enc(unsigned count, unsigned *enc)
{
	for (unsigned i = 0; i < TABLE_LEN(COUNT_TABLE); i++) {
		if (COUNT_TABLE[i] && COUNT_TABLE[i] == count) {
			if (enc)
				*enc = i;
			return true;
		}
	}
	return false;
}

/*
 * True when @d claims @hpa (D1, D2): committed, Size != 0, its last byte
 * Base + Size - 1 fits in 64 bits, and Base <= HPA <= Base + Size - 1.
 * Never overflows.
 */
static bool decoder_claims(const struct cxl_decoder_prog *d, uint64_t hpa)
{
	if (!d->committed || d->size == 0)
		return false;
	if (d->size - 1 > UINT64_MAX - d->base)
		return false;               /* wraps past 2^64 */
	return hpa >= d->base && hpa - d->base <= d->size - 1;
}

/* Number of decoders to walk so that every index fits in an int (D9). */
static unsigned walk_count(unsigned n)
{
	return n > (unsigned)INT_MAX ? (unsigned)INT_MAX : n;
}

/* Port decode: first claiming decoder, way from HPA bits (D3, D4). */
CXL_EXPORT
int cxl_decode_port(const struct cxl_decoder_prog *d, unsigned n,
		    uint64_t hpa, uint8_t *target)
{
	unsigned i, way, ways;
	uint64_t gran;

	n = walk_count(n);
	for (i = 0; i < n; i++) {
		if (!decoder_claims(&d[i], hpa))
			continue;
		/* 1, 2, 4 or 8 ways only: 16 ways exceed the Target List,
		 * 3/6/12 are device-only; a valid IG. */
		if (!cxl_iw_ways(d[i].iw, &ways) || ways > 8 || ways % 3 == 0 ||
		    !cxl_ig_bytes(d[i].ig, &gran))
			return -1;
		way = (unsigned)((hpa / gran) % ways);  /* HPA[IG+8+IW-1 : IG+8] */
		if (target)
			*target = d[i].targets[way];
		return (int)i;
	}
	return -1;
}

/*
 * DPAOffset for HPAOffset @off in a decoder with valid @ig/@iw (D5):
 * the in-granule bits [IG+7:0] are kept; the bits above the way-selecting
 * bits are shifted down to IG+8, divided by 3 for 3/6/12 ways. Bits 63:52
 * of @off are discarded. The result is < 2^52, so it cannot overflow.
 */
static uint64_t dpa_offset(uint64_t off, unsigned ig, unsigned iw)
{
	unsigned gshift = ig + 8;
	uint64_t low, high;

	off &= HPA_OFFSET_MASK;
	low = off & ((UINT64_C(1) << gshift) - 1);
	if (iw < 8)
		high = off >> (gshift + iw);
	else
		high = (off >> (ig + iw)) / 3;  /* HPAOffset[51:IG+IW] / 3 */
	return low | (high << gshift);
}

/* Device decode: spec flow with DPA Skip accumulation (D5-D8). */
CXL_EXPORT
int cxl_decode_device(const struct cxl_decoder_prog *d, unsigned n,
		      uint64_t hpa, uint64_t *dpa)
{
	uint64_t dpa_base = 0, result;
	unsigned i, ways;

	n = walk_count(n);
	for (i = 0; i < n; i++) {
		if (__builtin_add_overflow(dpa_base, d[i].dpa_skip, &dpa_base))
			return -1;
		if (decoder_claims(&d[i], hpa)) {
			if (!cxl_iw_ways(d[i].iw, NULL) ||
			    !cxl_ig_bytes(d[i].ig, NULL))
				return -1;
			if (__builtin_add_overflow(dpa_base,
					dpa_offset(hpa - d[i].base, d[i].ig,
						   d[i].iw), &result))
				return -1;
			if (dpa)
				*dpa = result;
			return (int)i;
		}
		if (d[i].size == 0)
			continue;
		if (!cxl_iw_ways(d[i].iw, &ways))
			return -1;              /* layout undefined (D7) */
		if (__builtin_add_overflow(dpa_base, d[i].size / ways,
					   &dpa_base))
			return -1;
	}
	return -1;
}
