/* SPDX-License-Identifier: MIT */
/*
 * test_hdm_decode.c - HDM address decode tables (CXL r3.1 §8.2.4.20).
 *
 * Encodings: CXL r3.1 §8.2.4.20.1 (Decoder Count) and §8.2.4.20.7 (IG,
 * IW), as summarised in the reference note cxl-registers.md §4.
 * Decode: CXL r3.1 §8.2.4.20 decode flows, reference §5.3; decisions
 * D1-D9 are documented in cxlemu/decode.h.
 *
 * Every expected value below was computed by hand; the arithmetic is in
 * the comment next to its row. Notation:
 *   off  = HPA - Base (the HPA offset)
 *   g    = off >> (IG+8), the granule index; low = off & (granule - 1)
 *   way  = g % ways (informational: a device decodes whatever it is sent)
 *   DPA offset = (g / ways) * granule + low, which is the spec's
 *   HPAOffset[IG+7:0] | HPAOffset[51:IG+8+IW] << (IG+8) for 2^IW ways and
 *   HPAOffset[IG+7:0] | (HPAOffset[51:IG+IW] / 3) << (IG+8) for 3/6/12.
 *   DPA = DPABase + DPA offset, DPABase = sum of DPA Skip of decoders
 *   0..n plus Size/ways of decoders 0..n-1.
 * Ports: way = HPA[IG+8+IW-1 : IG+8], target = TL[way].
 *
 * Addresses: B0 = 0x10_0000_0000 (64 GiB), B1 = 0x20_0000_0000,
 * B2 = 0x30_0000_0000. Their bits below 36 are 0, so HPA bits below 36
 * equal offset bits.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cxlemu/decode.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* A scenario: decoder array and its count. */
#define S(a) (a), (unsigned)ARRAY_SIZE(a)

#define B0 UINT64_C(0x1000000000)
#define B1 UINT64_C(0x2000000000)
#define B2 UINT64_C(0x3000000000)
#define SZ_256M UINT64_C(0x10000000)
#define SZ_512M UINT64_C(0x20000000)
#define SZ_768M UINT64_C(0x30000000)
#define SZ_1G UINT64_C(0x40000000)
#define SZ_1536M UINT64_C(0x60000000)
#define SZ_2G UINT64_C(0x80000000)
#define SZ_3G UINT64_C(0xC0000000)
#define SKIP SZ_512M
#define TOP UINT64_C(0xFFFFFFFFF0000000)      /* 2^64 - 256 MiB */

#define SENTINEL64 UINT64_C(0xDEADBEEFCAFEF00D)
#define SENTINEL8 0xA5

/* ------------------------------------------------------------------ */
/* Encodings                                                           */
/* ------------------------------------------------------------------ */

struct enc_row {
	unsigned enc;
	bool valid;
	uint64_t value;
};

/* IW, Control[7:4]: 0..4 = 2^IW ways, 8/9/Ah = 3/6/12 ways. */
static const struct enc_row iw_rows[] = {
	{ 0x0, true, 1 },    /* 2^0 */
	{ 0x1, true, 2 },    /* 2^1 */
	{ 0x2, true, 4 },    /* 2^2 */
	{ 0x3, true, 8 },    /* 2^3 */
	{ 0x4, true, 16 },   /* 2^4 (devices only) */
	{ 0x5, false, 0 },
	{ 0x6, false, 0 },
	{ 0x7, false, 0 },
	{ 0x8, true, 3 },    /* 3 * 2^0 */
	{ 0x9, true, 6 },    /* 3 * 2^1 */
	{ 0xA, true, 12 },   /* 3 * 2^2 */
	{ 0xB, false, 0 },
	{ 0xC, false, 0 },
	{ 0xD, false, 0 },
	{ 0xE, false, 0 },
	{ 0xF, false, 0 },
	{ 0x10, false, 0 },  /* does not fit the 4-bit field */
	{ UINT_MAX, false, 0 },
};

/* IG, Control[3:0]: granularity = 2^(IG+8), IG 0..6. */
static const struct enc_row ig_rows[] = {
	{ 0, true, 256 },    /* 2^8 */
	{ 1, true, 512 },    /* 2^9 */
	{ 2, true, 1024 },   /* 2^10 */
	{ 3, true, 2048 },   /* 2^11 */
	{ 4, true, 4096 },   /* 2^12 */
	{ 5, true, 8192 },   /* 2^13 */
	{ 6, true, 16384 },  /* 2^14 */
	{ 7, false, 0 },
	{ 8, false, 0 },
	{ 9, false, 0 },
	{ 10, false, 0 },
	{ 11, false, 0 },
	{ 12, false, 0 },
	{ 13, false, 0 },
	{ 14, false, 0 },
	{ 15, false, 0 },
	{ 16, false, 0 },
	{ UINT_MAX, false, 0 },
};

/* Decoder Count, Capability[3:0]. */
static const struct enc_row count_rows[] = {
	{ 0x0, true, 1 },
	{ 0x1, true, 2 },
	{ 0x2, true, 4 },
	{ 0x3, true, 6 },
	{ 0x4, true, 8 },
	{ 0x5, true, 10 },
	{ 0x6, true, 12 },
	{ 0x7, true, 14 },
	{ 0x8, true, 16 },
	{ 0x9, true, 20 },   /* not 18: Linux D-L1 gets this wrong */
	{ 0xA, true, 24 },
	{ 0xB, true, 28 },
	{ 0xC, true, 32 },
	{ 0xD, false, 0 },
	{ 0xE, false, 0 },
	{ 0xF, false, 0 },
	{ 0x10, false, 0 },
	{ UINT_MAX, false, 0 },
};

/* Counts with no encoding (cxl_decoder_count_enc must say false). */
static const unsigned count_no_enc[] = {
	0, 3, 5, 7, 9, 11, 13, 15, 17, 18, 19, 22, 26, 30, 31, 33, 64,
	UINT_MAX,
};

/* Every IW row: ways on success, *ways untouched on reserved. */
static void test_iw_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(iw_rows); i++) {
		unsigned ways = 0xA5A5u;
		bool ok = cxl_iw_ways(iw_rows[i].enc, &ways);

		if (ok != iw_rows[i].valid)
			fail_msg("IW 0x%x: valid %d, expected %d",
				 iw_rows[i].enc, ok, iw_rows[i].valid);
		if (ok && ways != iw_rows[i].value)
			fail_msg("IW 0x%x: %u ways, expected %u", iw_rows[i].enc,
				 ways, (unsigned)iw_rows[i].value);
		if (!ok && ways != 0xA5A5u)
			fail_msg("IW 0x%x: output written on failure",
				 iw_rows[i].enc);
		assert_int_equal(cxl_iw_ways(iw_rows[i].enc, NULL), ok);
	}
}

/* Every IG row: bytes on success, *bytes untouched on reserved. */
static void test_ig_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ig_rows); i++) {
		uint64_t bytes = SENTINEL64;
		bool ok = cxl_ig_bytes(ig_rows[i].enc, &bytes);

		if (ok != ig_rows[i].valid)
			fail_msg("IG %u: valid %d, expected %d", ig_rows[i].enc,
				 ok, ig_rows[i].valid);
		if (ok)
			assert_int_equal(bytes, ig_rows[i].value);
		else
			assert_int_equal(bytes, SENTINEL64);
		assert_int_equal(cxl_ig_bytes(ig_rows[i].enc, NULL), ok);
	}
}

/* Every Decoder Count row, forwards and back. */
static void test_count_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(count_rows); i++) {
		unsigned count = 0xA5A5u, enc = 0xA5A5u;
		bool ok = cxl_decoder_count(count_rows[i].enc, &count);

		if (ok != count_rows[i].valid)
			fail_msg("count enc 0x%x: valid %d, expected %d",
				 count_rows[i].enc, ok, count_rows[i].valid);
		if (!ok) {
			assert_int_equal(count, 0xA5A5u);
			continue;
		}
		assert_int_equal(count, count_rows[i].value);
		assert_true(cxl_decoder_count_enc((unsigned)count_rows[i].value,
						  &enc));
		assert_int_equal(enc, count_rows[i].enc);
		assert_true(cxl_decoder_count_enc((unsigned)count_rows[i].value,
						  NULL));
	}
	for (i = 0; i < ARRAY_SIZE(count_no_enc); i++) {
		unsigned enc = 0xA5A5u;

		if (cxl_decoder_count_enc(count_no_enc[i], &enc))
			fail_msg("count %u has no encoding", count_no_enc[i]);
		assert_int_equal(enc, 0xA5A5u);
	}
}

/* ------------------------------------------------------------------ */
/* Device decode                                                       */
/* ------------------------------------------------------------------ */

#define DEV(b, s, g, w, k) \
	{ .committed = true, .base = (b), .size = (s), .ig = (g), .iw = (w), \
	  .dpa_skip = (k) }

/* Single decoders at B0, one per way count, each without and with skip. */
static const struct cxl_decoder_prog dev_w1[] = { DEV(B0, SZ_1G, 0, 0, 0) };
static const struct cxl_decoder_prog dev_w1s[] = { DEV(B0, SZ_1G, 0, 0, SKIP) };
static const struct cxl_decoder_prog dev_w2[] = { DEV(B0, SZ_1G, 1, 1, 0) };
static const struct cxl_decoder_prog dev_w2s[] = { DEV(B0, SZ_1G, 1, 1, SKIP) };
static const struct cxl_decoder_prog dev_w4[] = { DEV(B0, SZ_1G, 2, 2, 0) };
static const struct cxl_decoder_prog dev_w4s[] = { DEV(B0, SZ_1G, 2, 2, SKIP) };
static const struct cxl_decoder_prog dev_w8[] = { DEV(B0, SZ_1G, 3, 3, 0) };
static const struct cxl_decoder_prog dev_w8s[] = { DEV(B0, SZ_1G, 3, 3, SKIP) };
static const struct cxl_decoder_prog dev_w16[] = { DEV(B0, SZ_1G, 4, 4, 0) };
static const struct cxl_decoder_prog dev_w16s[] = { DEV(B0, SZ_1G, 4, 4, SKIP) };
static const struct cxl_decoder_prog dev_w3[] = { DEV(B0, SZ_768M, 0, 8, 0) };
static const struct cxl_decoder_prog dev_w3s[] = { DEV(B0, SZ_768M, 0, 8, SKIP) };
static const struct cxl_decoder_prog dev_w6[] = { DEV(B0, SZ_1536M, 5, 9, 0) };
static const struct cxl_decoder_prog dev_w6s[] = { DEV(B0, SZ_1536M, 5, 9, SKIP) };
static const struct cxl_decoder_prog dev_w12[] = { DEV(B0, SZ_3G, 6, 0xA, 0) };
static const struct cxl_decoder_prog dev_w12s[] = { DEV(B0, SZ_3G, 6, 0xA, SKIP) };

/* d0 2-way IG 256 B, skip 256 MiB; d1 3-way IG 512 B, skip 512 MiB. */
static const struct cxl_decoder_prog dev_multi[] = {
	DEV(B0, SZ_1G, 0, 1, SZ_256M),
	DEV(B1, SZ_768M, 1, 8, SZ_512M),
};

/* d0 uncommitted but programmed: 4-way, 2 GiB, skip 256 MiB (D6). */
static const struct cxl_decoder_prog dev_uncommitted[] = {
	{ .committed = false, .base = B0, .size = SZ_2G, .ig = 0, .iw = 2,
	  .dpa_skip = SZ_256M },
	DEV(B1, SZ_1G, 0, 0, 0),
};

/* d0 committed, Size 0, skip 256 MiB; d1 at the same base, skip 256 MiB. */
static const struct cxl_decoder_prog dev_size0[] = {
	DEV(B0, 0, 0, 0, SZ_256M),
	DEV(B0, SZ_256M, 0, 0, SZ_256M),
};

/* d0 3-way 768 MiB; d1 12-way 3 GiB uncommitted; d2 1-way skip 256 MiB. */
static const struct cxl_decoder_prog dev_multi3[] = {
	DEV(B0, SZ_768M, 0, 8, 0),
	{ .committed = false, .base = B1, .size = SZ_3G, .ig = 6, .iw = 0xA },
	DEV(B2, SZ_256M, 0, 0, SZ_256M),
};

/* d0 3-way with Size 256 MiB (not a multiple of 3); d1 1-way (D7). */
static const struct cxl_decoder_prog dev_trunc3[] = {
	DEV(B0, SZ_256M, 0, 8, 0),
	DEV(B1, SZ_256M, 0, 0, 0),
};

/* d0 uncommitted with reserved IW 5 and Size 256 MiB; d1 1-way (D7). */
static const struct cxl_decoder_prog dev_res_iw_before[] = {
	{ .committed = false, .base = B0, .size = SZ_256M, .iw = 5 },
	DEV(B1, SZ_256M, 0, 0, 0),
};

/* d0 uncommitted with reserved IW 5 but Size 0, skip 256 MiB; d1 1-way. */
static const struct cxl_decoder_prog dev_res_iw_size0[] = {
	{ .committed = false, .base = B0, .size = 0, .iw = 5,
	  .dpa_skip = SZ_256M },
	DEV(B1, SZ_256M, 0, 0, 0),
};

/* A single decoder with reserved IW 0xB; one with reserved IG 7. */
static const struct cxl_decoder_prog dev_res_iw[] = { DEV(B0, SZ_256M, 0, 0xB, 0) };
static const struct cxl_decoder_prog dev_res_ig[] = { DEV(B0, SZ_256M, 7, 0, 0) };

/* Two committed decoders covering the same range (D3). */
static const struct cxl_decoder_prog dev_overlap[] = {
	DEV(B0, SZ_1G, 0, 0, 0),
	DEV(B0, SZ_1G, 0, 0, SZ_256M),
};

/* d0 wraps (TOP + 512 MiB > 2^64); d1 1-way at B0 (D2). */
static const struct cxl_decoder_prog dev_wrap[] = {
	DEV(TOP, SZ_512M, 0, 0, 0),
	DEV(B0, SZ_256M, 0, 0, 0),
};

/* d0 ends exactly at 2^64: does not wrap (D2). */
static const struct cxl_decoder_prog dev_top[] = { DEV(TOP, SZ_256M, 0, 0, 0) };

/* DPA Skip so large that DPABase + DPAOffset reaches 2^64 (D8). */
static const struct cxl_decoder_prog dev_ovf[] = { DEV(B0, SZ_512M, 0, 0, TOP) };

/* d0 uncommitted: skip TOP + Size 256 MiB = 2^64 overflows DPABase (D8). */
static const struct cxl_decoder_prog dev_ovf_acc[] = {
	{ .committed = false, .base = B0, .size = SZ_256M, .iw = 0,
	  .dpa_skip = TOP },
	DEV(B1, SZ_256M, 0, 0, 0),
};

/* Size 2^53 at Base 0: HPAOffset bits 63:52 are discarded (D5). */
static const struct cxl_decoder_prog dev_bit52[] = {
	DEV(0, UINT64_C(0x20000000000000), 0, 0, 0),
};

struct dev_row {
	const char *name;
	const struct cxl_decoder_prog *d;
	unsigned n;
	uint64_t hpa;
	int idx;          /* expected return */
	uint64_t dpa;     /* expected DPA when idx >= 0 */
};

static const struct dev_row dev_rows[] = {
	/*
	 * 1-way, IG 0 (256 B), Size 1 GiB: ways = 1 so DPA offset = off.
	 */
	{ "w1 below base", S(dev_w1), B0 - 1, -1, 0 },   /* HPA < Base */
	{ "w1 first", S(dev_w1), B0 + 0x0, 0, 0x0 },     /* off 0 -> 0 */
	{ "w1 granule last", S(dev_w1), B0 + 0xFF, 0, 0xFF },    /* g 0, low 0xFF */
	{ "w1 next granule", S(dev_w1), B0 + 0x100, 0, 0x100 },  /* g 1 -> 1*0x100 */
	{ "w1 mid", S(dev_w1), B0 + 0x12345, 0, 0x12345 },       /* g 0x123, low 0x45 -> 0x12300+0x45 */
	{ "w1 last", S(dev_w1), B0 + 0x3FFFFFFF, 0, 0x3FFFFFFF }, /* off = Size-1 */
	{ "w1 past end", S(dev_w1), B0 + 0x40000000, -1, 0 },    /* off = Size */
	/* same with DPA Skip 0x20000000: DPA = 0x20000000 + offset */
	{ "w1s first", S(dev_w1s), B0 + 0x0, 0, 0x20000000 },           /* 0x20000000 + 0 */
	{ "w1s granule last", S(dev_w1s), B0 + 0xFF, 0, 0x200000FF },   /* 0x20000000 + 0xFF */
	{ "w1s next granule", S(dev_w1s), B0 + 0x100, 0, 0x20000100 },  /* 0x20000000 + 0x100 */
	{ "w1s mid", S(dev_w1s), B0 + 0x12345, 0, 0x20012345 },         /* 0x20000000 + 0x12345 */
	{ "w1s last", S(dev_w1s), B0 + 0x3FFFFFFF, 0, 0x5FFFFFFF },     /* 0x20000000 + 0x3FFFFFFF */
	{ "w1s past end", S(dev_w1s), B0 + 0x40000000, -1, 0 },

	/*
	 * 2-way, IG 1 (512 B = 0x200, shift 9), Size 1 GiB.
	 */
	{ "w2 below base", S(dev_w2), B0 - 1, -1, 0 },
	{ "w2 first", S(dev_w2), B0 + 0x0, 0, 0x0 },     /* g 0, way 0 -> 0 */
	{ "w2 granule last", S(dev_w2), B0 + 0x1FF, 0, 0x1FF },  /* g 0, low 0x1FF -> 0x1FF */
	{ "w2 next granule", S(dev_w2), B0 + 0x200, 0, 0x0 },    /* g 1, way 1, 1/2 = 0 -> 0 */
	/* off 0x5A3: g = 0x5A3 >> 9 = 2, low = 0x5A3 - 0x400 = 0x1A3, way 0;
	 * 2/2 = 1 -> 1*0x200 + 0x1A3 = 0x3A3 */
	{ "w2 mid", S(dev_w2), B0 + 0x5A3, 0, 0x3A3 },
	/* off 0x3FFFFFFF: g = 0x1FFFFF, low 0x1FF, way 1; g/2 = 0xFFFFF ->
	 * 0xFFFFF*0x200 = 0x1FFFFE00, + 0x1FF = 0x1FFFFFFF (= Size/2 - 1) */
	{ "w2 last", S(dev_w2), B0 + 0x3FFFFFFF, 0, 0x1FFFFFFF },
	{ "w2 past end", S(dev_w2), B0 + 0x40000000, -1, 0 },
	{ "w2s first", S(dev_w2s), B0 + 0x0, 0, 0x20000000 },          /* 0x20000000 + 0 */
	{ "w2s granule last", S(dev_w2s), B0 + 0x1FF, 0, 0x200001FF }, /* 0x20000000 + 0x1FF */
	{ "w2s next granule", S(dev_w2s), B0 + 0x200, 0, 0x20000000 }, /* 0x20000000 + 0 */
	{ "w2s mid", S(dev_w2s), B0 + 0x5A3, 0, 0x200003A3 },          /* 0x20000000 + 0x3A3 */
	{ "w2s last", S(dev_w2s), B0 + 0x3FFFFFFF, 0, 0x3FFFFFFF },    /* 0x20000000 + 0x1FFFFFFF */
	{ "w2s past end", S(dev_w2s), B0 + 0x40000000, -1, 0 },

	/*
	 * 4-way, IG 2 (1 KiB = 0x400, shift 10), Size 1 GiB.
	 */
	{ "w4 below base", S(dev_w4), B0 - 1, -1, 0 },
	{ "w4 first", S(dev_w4), B0 + 0x0, 0, 0x0 },     /* g 0 -> 0 */
	{ "w4 granule last", S(dev_w4), B0 + 0x3FF, 0, 0x3FF },  /* g 0, low 0x3FF */
	{ "w4 next granule", S(dev_w4), B0 + 0x400, 0, 0x0 },    /* g 1, way 1, 1/4 = 0 -> 0 */
	/* off 0x1C10: g = 7 (7*0x400 = 0x1C00), low 0x10, way 3; 7/4 = 1 ->
	 * 0x400 + 0x10 = 0x410 */
	{ "w4 mid", S(dev_w4), B0 + 0x1C10, 0, 0x410 },
	/* off 0x3FFFFFFF: g = 0xFFFFF, low 0x3FF; g/4 = 0x3FFFF ->
	 * 0x3FFFF*0x400 = 0xFFFFC00, + 0x3FF = 0xFFFFFFF (= Size/4 - 1) */
	{ "w4 last", S(dev_w4), B0 + 0x3FFFFFFF, 0, 0xFFFFFFF },
	{ "w4 past end", S(dev_w4), B0 + 0x40000000, -1, 0 },
	{ "w4s first", S(dev_w4s), B0 + 0x0, 0, 0x20000000 },          /* 0x20000000 + 0 */
	{ "w4s granule last", S(dev_w4s), B0 + 0x3FF, 0, 0x200003FF }, /* 0x20000000 + 0x3FF */
	{ "w4s next granule", S(dev_w4s), B0 + 0x400, 0, 0x20000000 }, /* 0x20000000 + 0 */
	{ "w4s mid", S(dev_w4s), B0 + 0x1C10, 0, 0x20000410 },         /* 0x20000000 + 0x410 */
	{ "w4s last", S(dev_w4s), B0 + 0x3FFFFFFF, 0, 0x2FFFFFFF },    /* 0x20000000 + 0xFFFFFFF */
	{ "w4s past end", S(dev_w4s), B0 + 0x40000000, -1, 0 },

	/*
	 * 8-way, IG 3 (2 KiB = 0x800, shift 11), Size 1 GiB.
	 */
	{ "w8 below base", S(dev_w8), B0 - 1, -1, 0 },
	{ "w8 first", S(dev_w8), B0 + 0x0, 0, 0x0 },     /* g 0 -> 0 */
	{ "w8 granule last", S(dev_w8), B0 + 0x7FF, 0, 0x7FF },  /* g 0, low 0x7FF */
	{ "w8 next granule", S(dev_w8), B0 + 0x800, 0, 0x0 },    /* g 1, way 1, 1/8 = 0 -> 0 */
	/* off 0x4B2C: g = 9 (9*0x800 = 0x4800), low 0x32C, way 1; 9/8 = 1 ->
	 * 0x800 + 0x32C = 0xB2C */
	{ "w8 mid", S(dev_w8), B0 + 0x4B2C, 0, 0xB2C },
	/* off 0x3FFFFFFF: g = 0x7FFFF, low 0x7FF; g/8 = 0xFFFF ->
	 * 0xFFFF*0x800 = 0x7FFF800, + 0x7FF = 0x7FFFFFF (= Size/8 - 1) */
	{ "w8 last", S(dev_w8), B0 + 0x3FFFFFFF, 0, 0x7FFFFFF },
	{ "w8 past end", S(dev_w8), B0 + 0x40000000, -1, 0 },
	{ "w8s first", S(dev_w8s), B0 + 0x0, 0, 0x20000000 },          /* 0x20000000 + 0 */
	{ "w8s granule last", S(dev_w8s), B0 + 0x7FF, 0, 0x200007FF }, /* 0x20000000 + 0x7FF */
	{ "w8s next granule", S(dev_w8s), B0 + 0x800, 0, 0x20000000 }, /* 0x20000000 + 0 */
	{ "w8s mid", S(dev_w8s), B0 + 0x4B2C, 0, 0x20000B2C },         /* 0x20000000 + 0xB2C */
	{ "w8s last", S(dev_w8s), B0 + 0x3FFFFFFF, 0, 0x27FFFFFF },    /* 0x20000000 + 0x7FFFFFF */
	{ "w8s past end", S(dev_w8s), B0 + 0x40000000, -1, 0 },

	/*
	 * 16-way (device only), IG 4 (4 KiB = 0x1000, shift 12), Size 1 GiB.
	 */
	{ "w16 below base", S(dev_w16), B0 - 1, -1, 0 },
	{ "w16 first", S(dev_w16), B0 + 0x0, 0, 0x0 },   /* g 0 -> 0 */
	{ "w16 granule last", S(dev_w16), B0 + 0xFFF, 0, 0xFFF },  /* g 0, low 0xFFF */
	{ "w16 next granule", S(dev_w16), B0 + 0x1000, 0, 0x0 },   /* g 1, 1/16 = 0 -> 0 */
	/* off 0x2F5ABC: g = 0x2F5 = 757, low 0xABC; 757 = 47*16 + 5, way 5;
	 * 47 = 0x2F -> 0x2F*0x1000 + 0xABC = 0x2FABC */
	{ "w16 mid", S(dev_w16), B0 + 0x2F5ABC, 0, 0x2FABC },
	/* off 0x3FFFFFFF: g = 0x3FFFF, low 0xFFF; g/16 = 0x3FFF ->
	 * 0x3FFF000 + 0xFFF = 0x3FFFFFF (= Size/16 - 1) */
	{ "w16 last", S(dev_w16), B0 + 0x3FFFFFFF, 0, 0x3FFFFFF },
	{ "w16 past end", S(dev_w16), B0 + 0x40000000, -1, 0 },
	{ "w16s first", S(dev_w16s), B0 + 0x0, 0, 0x20000000 },           /* 0x20000000 + 0 */
	{ "w16s granule last", S(dev_w16s), B0 + 0xFFF, 0, 0x20000FFF },  /* 0x20000000 + 0xFFF */
	{ "w16s next granule", S(dev_w16s), B0 + 0x1000, 0, 0x20000000 }, /* 0x20000000 + 0 */
	{ "w16s mid", S(dev_w16s), B0 + 0x2F5ABC, 0, 0x2002FABC },        /* 0x20000000 + 0x2FABC */
	{ "w16s last", S(dev_w16s), B0 + 0x3FFFFFFF, 0, 0x23FFFFFF },     /* 0x20000000 + 0x3FFFFFF */
	{ "w16s past end", S(dev_w16s), B0 + 0x40000000, -1, 0 },

	/*
	 * 3-way, IG 0 (256 B = 0x100, shift 8), Size 768 MiB = 0x30000000.
	 * DPA offset = low | (HPAOffset[51:8] / 3) << 8 = (g/3)*0x100 + low.
	 */
	{ "w3 below base", S(dev_w3), B0 - 1, -1, 0 },
	{ "w3 first", S(dev_w3), B0 + 0x0, 0, 0x0 },     /* g 0 -> 0 */
	{ "w3 granule last", S(dev_w3), B0 + 0xFF, 0, 0xFF },    /* g 0, low 0xFF */
	{ "w3 next granule", S(dev_w3), B0 + 0x100, 0, 0x0 },    /* g 1, way 1, 1/3 = 0 -> 0 */
	/* off 0x1100: g = 0x11 = 17, low 0, way 17 % 3 = 2; 17/3 = 5 ->
	 * 5*0x100 = 0x500 */
	{ "w3 g17", S(dev_w3), B0 + 0x1100, 0, 0x500 },
	/* off 0x1234: g = 0x12 = 18, low 0x34, way 0; 18/3 = 6 -> 0x634 */
	{ "w3 g18", S(dev_w3), B0 + 0x1234, 0, 0x634 },
	/* off 0x2FFFFFFF: g = 0x2FFFFF = 3*0x100000 - 1 = 3*0xFFFFF + 2, so
	 * way 2, g/3 = 0xFFFFF; low 0xFF -> 0xFFFFF00 + 0xFF = 0xFFFFFFF
	 * (= Size/3 - 1 = 0x10000000 - 1) */
	{ "w3 last", S(dev_w3), B0 + 0x2FFFFFFF, 0, 0xFFFFFFF },
	{ "w3 past end", S(dev_w3), B0 + 0x30000000, -1, 0 },
	{ "w3s first", S(dev_w3s), B0 + 0x0, 0, 0x20000000 },          /* 0x20000000 + 0 */
	{ "w3s granule last", S(dev_w3s), B0 + 0xFF, 0, 0x200000FF },  /* 0x20000000 + 0xFF */
	{ "w3s next granule", S(dev_w3s), B0 + 0x100, 0, 0x20000000 }, /* 0x20000000 + 0 */
	{ "w3s g17", S(dev_w3s), B0 + 0x1100, 0, 0x20000500 },         /* 0x20000000 + 0x500 */
	{ "w3s last", S(dev_w3s), B0 + 0x2FFFFFFF, 0, 0x2FFFFFFF },    /* 0x20000000 + 0xFFFFFFF */
	{ "w3s past end", S(dev_w3s), B0 + 0x30000000, -1, 0 },

	/*
	 * 6-way, IG 5 (8 KiB = 0x2000, shift 13), Size 1536 MiB = 0x60000000.
	 * IW 9: HPAOffset[51:IG+IW] = off >> 14; /3; << 13. Same as g/6.
	 */
	{ "w6 below base", S(dev_w6), B0 - 1, -1, 0 },
	{ "w6 first", S(dev_w6), B0 + 0x0, 0, 0x0 },     /* g 0 -> 0 */
	{ "w6 granule last", S(dev_w6), B0 + 0x1FFF, 0, 0x1FFF },  /* g 0, low 0x1FFF */
	{ "w6 next granule", S(dev_w6), B0 + 0x2000, 0, 0x0 },     /* g 1, 1/6 = 0 -> 0 */
	/* off 0x1B234: g = 13 (13*0x2000 = 0x1A000), low 0x1234, way 1;
	 * 13/6 = 2 -> 0x4000 + 0x1234 = 0x5234. Spec form: off >> 14 = 6,
	 * 6/3 = 2, 2 << 13 = 0x4000 | 0x1234 */
	{ "w6 mid", S(dev_w6), B0 + 0x1B234, 0, 0x5234 },
	/* off 0x5FFFFFFF: g = 0x2FFFF = 6*0x8000 - 1, so way 5, g/6 = 0x7FFF;
	 * low 0x1FFF -> 0x7FFF*0x2000 = 0xFFFE000, + 0x1FFF = 0xFFFFFFF
	 * (= Size/6 - 1) */
	{ "w6 last", S(dev_w6), B0 + 0x5FFFFFFF, 0, 0xFFFFFFF },
	{ "w6 past end", S(dev_w6), B0 + 0x60000000, -1, 0 },
	{ "w6s first", S(dev_w6s), B0 + 0x0, 0, 0x20000000 },           /* 0x20000000 + 0 */
	{ "w6s granule last", S(dev_w6s), B0 + 0x1FFF, 0, 0x20001FFF }, /* 0x20000000 + 0x1FFF */
	{ "w6s next granule", S(dev_w6s), B0 + 0x2000, 0, 0x20000000 }, /* 0x20000000 + 0 */
	{ "w6s mid", S(dev_w6s), B0 + 0x1B234, 0, 0x20005234 },         /* 0x20000000 + 0x5234 */
	{ "w6s last", S(dev_w6s), B0 + 0x5FFFFFFF, 0, 0x2FFFFFFF },     /* 0x20000000 + 0xFFFFFFF */
	{ "w6s past end", S(dev_w6s), B0 + 0x60000000, -1, 0 },

	/*
	 * 12-way, IG 6 (16 KiB = 0x4000, shift 14), Size 3 GiB = 0xC0000000.
	 * IW Ah: HPAOffset[51:IG+IW] = off >> 16; /3; << 14. Same as g/12.
	 */
	{ "w12 below base", S(dev_w12), B0 - 1, -1, 0 },
	{ "w12 first", S(dev_w12), B0 + 0x0, 0, 0x0 },   /* g 0 -> 0 */
	{ "w12 granule last", S(dev_w12), B0 + 0x3FFF, 0, 0x3FFF }, /* g 0, low 0x3FFF */
	{ "w12 next granule", S(dev_w12), B0 + 0x4000, 0, 0x0 },    /* g 1, 1/12 = 0 -> 0 */
	/* off 0x64ABC: g = 25 (25*0x4000 = 0x64000), low 0xABC, way 1;
	 * 25/12 = 2 -> 0x8000 + 0xABC = 0x8ABC. Spec form: off >> 16 = 6,
	 * 6/3 = 2, 2 << 14 = 0x8000 | 0xABC */
	{ "w12 mid", S(dev_w12), B0 + 0x64ABC, 0, 0x8ABC },
	/* off 0xBFFFFFFF: g = 0x2FFFF = 12*0x4000 - 1, so way 11,
	 * g/12 = 0x3FFF; low 0x3FFF -> 0xFFFC000 + 0x3FFF = 0xFFFFFFF
	 * (= Size/12 - 1) */
	{ "w12 last", S(dev_w12), B0 + 0xBFFFFFFF, 0, 0xFFFFFFF },
	{ "w12 past end", S(dev_w12), B0 + 0xC0000000, -1, 0 },
	{ "w12s first", S(dev_w12s), B0 + 0x0, 0, 0x20000000 },           /* 0x20000000 + 0 */
	{ "w12s granule last", S(dev_w12s), B0 + 0x3FFF, 0, 0x20003FFF }, /* 0x20000000 + 0x3FFF */
	{ "w12s next granule", S(dev_w12s), B0 + 0x4000, 0, 0x20000000 }, /* 0x20000000 + 0 */
	{ "w12s mid", S(dev_w12s), B0 + 0x64ABC, 0, 0x20008ABC },         /* 0x20000000 + 0x8ABC */
	{ "w12s last", S(dev_w12s), B0 + 0xBFFFFFFF, 0, 0x2FFFFFFF },     /* 0x20000000 + 0xFFFFFFF */
	{ "w12s past end", S(dev_w12s), B0 + 0xC0000000, -1, 0 },

	/*
	 * Two decoders: d0 [B0, +1 GiB) 2-way IG 256 B skip 0x10000000;
	 * d1 [B1, +768 MiB) 3-way IG 512 B skip 0x20000000.
	 * DPABase(d1) = skip0 0x10000000 + Size0/2 0x20000000 + skip1
	 * 0x20000000 = 0x50000000.
	 */
	/* d0: off 0x300, g 3, way 1, 3/2 = 1 -> 0x100; DPABase = skip0 */
	{ "multi d0", S(dev_multi), B0 + 0x300, 0, 0x10000100 },
	{ "multi gap", S(dev_multi), B0 + 0x40000000, -1, 0 },   /* past d0, below d1 */
	/* d1 first byte: 0x50000000 + 0 */
	{ "multi d1 first", S(dev_multi), B1 + 0x0, 1, 0x50000000 },
	/* d1 off 0x1A00: g = 0x1A00 >> 9 = 13, low 0, 13/3 = 4 -> 4*0x200 =
	 * 0x800; 0x50000000 + 0x800 */
	{ "multi d1 g13", S(dev_multi), B1 + 0x1A00, 1, 0x50000800 },
	/* d1 off 0x2FFFFFFF: g = 0x17FFFF = 3*0x80000 - 1, g/3 = 0x7FFFF,
	 * low 0x1FF -> 0xFFFFE00 + 0x1FF = 0xFFFFFFF; + 0x50000000 */
	{ "multi d1 last", S(dev_multi), B1 + 0x2FFFFFFF, 1, 0x5FFFFFFF },
	{ "multi past d1", S(dev_multi), B1 + 0x30000000, -1, 0 },

	/*
	 * d0 uncommitted (4-way, 2 GiB, skip 0x10000000) still consumes DPA
	 * (D6); d1 [B1, +1 GiB) 1-way. DPABase(d1) = 0x10000000 +
	 * 0x80000000/4 = 0x30000000.
	 */
	{ "uncommitted d0 range", S(dev_uncommitted), B0 + 0x100, -1, 0 },
	/* 0x30000000 + off 0x1234 */
	{ "uncommitted d1", S(dev_uncommitted), B1 + 0x1234, 1, 0x30001234 },

	/*
	 * d0 committed Size 0 decodes nothing but its skip counts; d1 at the
	 * same base: DPABase = 0x10000000 + 0 + 0x10000000 = 0x20000000.
	 */
	{ "size0 -> d1", S(dev_size0), B0, 1, 0x20000000 },

	/*
	 * d0 3-way 768 MiB at B0; d1 12-way 3 GiB at B1, uncommitted; d2
	 * 1-way at B2 skip 0x10000000. DPABase(d2) = 0x30000000/3 +
	 * 0xC0000000/12 + 0x10000000 = 0x10000000 + 0x10000000 + 0x10000000
	 * = 0x30000000.
	 */
	{ "multi3 d0 g17", S(dev_multi3), B0 + 0x1100, 0, 0x500 },  /* as "w3 g17" */
	{ "multi3 d1 uncommitted", S(dev_multi3), B1 + 0x4000, -1, 0 },
	{ "multi3 d2", S(dev_multi3), B2 + 0x80, 2, 0x30000080 },   /* 0x30000000 + 0x80 */

	/*
	 * d0 3-way, Size 0x10000000 (not a multiple of 3): Size/3 truncates,
	 * 0x10000000/3 = 0x5555555 (3*0x5555555 = 0xFFFFFFF, remainder 1).
	 */
	{ "trunc3 d1", S(dev_trunc3), B1 + 0x10, 1, 0x5555565 },  /* 0x5555555 + 0x10 */

	/* Reserved IW 5 with Size != 0 before the match: undefined (D7). */
	{ "res iw before", S(dev_res_iw_before), B1, -1, 0 },
	/* Reserved IW 5 with Size 0: adds only its skip 0x10000000. */
	{ "res iw size0", S(dev_res_iw_size0), B1 + 0x20, 1, 0x10000020 },
	/* The matching decoder has a reserved IW / IG. */
	{ "res iw match", S(dev_res_iw), B0, -1, 0 },
	{ "res ig match", S(dev_res_ig), B0, -1, 0 },

	/* Overlap: d0 (lowest index) wins, DPA = off 0x10 (D3). */
	{ "overlap", S(dev_overlap), B0 + 0x10, 0, 0x10 },

	/*
	 * d0 [TOP, TOP + 512 MiB) wraps: decodes nothing but consumes
	 * 0x20000000/1; d1 1-way at B0 -> 0x20000000 + off 0x40.
	 */
	{ "wrap d0", S(dev_wrap), TOP, -1, 0 },
	{ "wrap d0 top byte", S(dev_wrap), UINT64_MAX, -1, 0 },
	{ "wrap d1", S(dev_wrap), B0 + 0x40, 1, 0x20000040 },
	/* [TOP, 2^64): last byte 0xFFFF_FFFF_FFFF_FFFF, off 0x0FFFFFFF */
	{ "top first", S(dev_top), TOP, 0, 0x0 },
	{ "top last", S(dev_top), UINT64_MAX, 0, 0x0FFFFFFF },

	/* skip TOP: TOP + 0x0FFFFFFF = 0xFFFFFFFFFFFFFFFF fits ... */
	{ "ovf fits", S(dev_ovf), B0 + 0x0FFFFFFF, 0, UINT64_C(0xFFFFFFFFFFFFFFFF) },
	/* ... TOP + 0x10000000 = 2^64 does not (D8). */
	{ "ovf", S(dev_ovf), B0 + 0x10000000, -1, 0 },
	/* DPABase = TOP + 0x10000000/1 = 2^64 overflows before d1 (D8). */
	{ "ovf acc", S(dev_ovf_acc), B1, -1, 0 },

	/* off 2^52 + 0x123: HPAOffset[51:0] = 0x123 (D5) */
	{ "bit52 alias", S(dev_bit52), UINT64_C(0x10000000000123), 0, 0x123 },
	/* off 2^52 - 1 keeps every bit */
	{ "bit52 below", S(dev_bit52), UINT64_C(0xFFFFFFFFFFFFF), 0,
	  UINT64_C(0xFFFFFFFFFFFFF) },

	/* No decoders at all. */
	{ "empty", NULL, 0, B0, -1, 0 },
};

/* Every device row: index, DPA, *dpa untouched on -1, NULL *dpa allowed. */
static void test_device_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(dev_rows); i++) {
		const struct dev_row *r = &dev_rows[i];
		uint64_t dpa = SENTINEL64;
		int idx = cxl_decode_device(r->d, r->n, r->hpa, &dpa);

		if (idx != r->idx)
			fail_msg("%s: HPA 0x%llx -> decoder %d, expected %d",
				 r->name, (unsigned long long)r->hpa, idx,
				 r->idx);
		if (idx >= 0 && dpa != r->dpa)
			fail_msg("%s: HPA 0x%llx -> DPA 0x%llx, expected 0x%llx",
				 r->name, (unsigned long long)r->hpa,
				 (unsigned long long)dpa,
				 (unsigned long long)r->dpa);
		if (idx < 0 && dpa != SENTINEL64)
			fail_msg("%s: DPA written on failure", r->name);
		if (cxl_decode_device(r->d, r->n, r->hpa, NULL) != r->idx)
			fail_msg("%s: NULL dpa changes the result", r->name);
	}
}

/* ------------------------------------------------------------------ */
/* Port decode                                                         */
/* ------------------------------------------------------------------ */

#define TL8 { 0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87 }
#define PORT(b, s, g, w) \
	{ .committed = true, .base = (b), .size = (s), .ig = (g), .iw = (w), \
	  .targets = TL8 }

static const struct cxl_decoder_prog port_w1[] = { PORT(B0, SZ_1G, 0, 0) };
static const struct cxl_decoder_prog port_w2[] = { PORT(B0, SZ_1G, 1, 1) };
static const struct cxl_decoder_prog port_w4[] = { PORT(B0, SZ_1G, 2, 2) };
static const struct cxl_decoder_prog port_w8[] = { PORT(B0, SZ_1G, 3, 3) };
static const struct cxl_decoder_prog port_ig0_w8[] = { PORT(B0, SZ_1G, 0, 3) };
static const struct cxl_decoder_prog port_ig4_w2[] = { PORT(B0, SZ_1G, 4, 1) };
static const struct cxl_decoder_prog port_ig5_w4[] = { PORT(B0, SZ_1G, 5, 2) };
static const struct cxl_decoder_prog port_ig6_w8[] = { PORT(B0, SZ_1G, 6, 3) };
/* Base 0x100 cannot be held by the registers; it shows D4 uses HPA bits. */
static const struct cxl_decoder_prog port_hpa_bits[] = { PORT(0x100, SZ_256M, 0, 1) };
static const struct cxl_decoder_prog port_iw16[] = { PORT(B0, SZ_1G, 0, 4) };
static const struct cxl_decoder_prog port_iw3[] = { PORT(B0, SZ_768M, 0, 8) };
static const struct cxl_decoder_prog port_iw6[] = { PORT(B0, SZ_1536M, 0, 9) };
static const struct cxl_decoder_prog port_iw12[] = { PORT(B0, SZ_3G, 0, 0xA) };
static const struct cxl_decoder_prog port_iw5[] = { PORT(B0, SZ_1G, 0, 5) };
static const struct cxl_decoder_prog port_iwf[] = { PORT(B0, SZ_1G, 0, 0xF) };
static const struct cxl_decoder_prog port_ig7[] = { PORT(B0, SZ_1G, 7, 0) };
static const struct cxl_decoder_prog port_uncommitted[] = {
	{ .committed = false, .base = B0, .size = SZ_1G, .targets = TL8 },
};
static const struct cxl_decoder_prog port_size0[] = { PORT(B0, 0, 0, 0) };
static const struct cxl_decoder_prog port_wrap[] = { PORT(TOP, SZ_512M, 0, 0) };
static const struct cxl_decoder_prog port_top[] = { PORT(TOP, SZ_256M, 0, 0) };
/* d0 [B0, +1 GiB) 1-way; d1 [B1, +1 GiB) 2-way IG 256 B, TL {0x54, 0x65}. */
static const struct cxl_decoder_prog port_multi[] = {
	PORT(B0, SZ_1G, 0, 0),
	{ .committed = true, .base = B1, .size = SZ_1G, .ig = 0, .iw = 1,
	  .targets = { 0x54, 0x65 } },
};
/* d0 uncommitted and d1 committed over the same range. */
static const struct cxl_decoder_prog port_uncommitted_overlap[] = {
	{ .committed = false, .base = B0, .size = SZ_1G, .targets = TL8 },
	{ .committed = true, .base = B0, .size = SZ_1G, .targets = { 0x99 } },
};
/* d0 and d1 committed over the same range: d0 wins (D3). */
static const struct cxl_decoder_prog port_overlap[] = {
	PORT(B0, SZ_1G, 0, 0),
	{ .committed = true, .base = B0, .size = SZ_1G, .targets = { 0x99 } },
};
/* d0 claims the range but is 16-way; d1 would route: no fall-through (D3). */
static const struct cxl_decoder_prog port_no_fallthrough[] = {
	PORT(B0, SZ_1G, 0, 4),
	{ .committed = true, .base = B0, .size = SZ_1G, .targets = { 0x99 } },
};

struct port_row {
	const char *name;
	const struct cxl_decoder_prog *d;
	unsigned n;
	uint64_t hpa;
	int idx;          /* expected return */
	uint8_t target;   /* expected target when idx >= 0 */
};

/* TL8 = way 0..7 -> 0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87. */
static const struct port_row port_rows[] = {
	/* 1-way: no way bits, always TL[0] */
	{ "w1 below base", S(port_w1), B0 - 1, -1, 0 },
	{ "w1 first", S(port_w1), B0, 0, 0x10 },
	{ "w1 next granule", S(port_w1), B0 + 0x100, 0, 0x10 },
	{ "w1 last", S(port_w1), B0 + 0x3FFFFFFF, 0, 0x10 },
	{ "w1 past end", S(port_w1), B0 + 0x40000000, -1, 0 },

	/* 2-way IG 512 B: way = HPA[9] */
	{ "w2 granule last", S(port_w2), B0 + 0x1FF, 0, 0x10 },  /* bit 9 of 0x1FF = 0 */
	{ "w2 next granule", S(port_w2), B0 + 0x200, 0, 0x21 },  /* bit 9 = 1 */
	{ "w2 granule 2", S(port_w2), B0 + 0x400, 0, 0x10 },     /* 0x400: bit 9 = 0 */
	{ "w2 last", S(port_w2), B0 + 0x3FFFFFFF, 0, 0x21 },     /* bit 9 = 1 */
	{ "w2 past end", S(port_w2), B0 + 0x40000000, -1, 0 },

	/* 4-way IG 1 KiB: way = HPA[11:10] */
	{ "w4 granule last", S(port_w4), B0 + 0x3FF, 0, 0x10 },  /* 0x3FF >> 10 = 0 */
	{ "w4 way1", S(port_w4), B0 + 0x400, 0, 0x21 },          /* 0x400 >> 10 = 1 */
	{ "w4 way2", S(port_w4), B0 + 0x800, 0, 0x32 },          /* 0x800 >> 10 = 2 */
	{ "w4 way3", S(port_w4), B0 + 0xC00, 0, 0x43 },          /* 0xC00 >> 10 = 3 */
	{ "w4 wrap to way0", S(port_w4), B0 + 0x1000, 0, 0x10 }, /* 0x1000 >> 10 = 4, & 3 = 0 */
	{ "w4 last", S(port_w4), B0 + 0x3FFFFFFF, 0, 0x43 },     /* bits 11:10 = 3 */
	{ "w4 past end", S(port_w4), B0 + 0x40000000, -1, 0 },

	/* 8-way IG 2 KiB: way = HPA[13:11] */
	{ "w8 granule last", S(port_w8), B0 + 0x7FF, 0, 0x10 },  /* 0x7FF >> 11 = 0 */
	{ "w8 way1", S(port_w8), B0 + 0x800, 0, 0x21 },          /* 0x800 >> 11 = 1 */
	{ "w8 way5", S(port_w8), B0 + 0x2A00, 0, 0x65 },         /* 0x2A00 >> 11 = 5 (0x2800 = 5*0x800) */
	{ "w8 way7", S(port_w8), B0 + 0x3800, 0, 0x87 },         /* 0x3800 >> 11 = 7 */
	{ "w8 wrap to way0", S(port_w8), B0 + 0x4000, 0, 0x10 }, /* 0x4000 >> 11 = 8, & 7 = 0 */
	{ "w8 last", S(port_w8), B0 + 0x3FFFFFFF, 0, 0x87 },     /* bits 13:11 = 7 */
	{ "w8 past end", S(port_w8), B0 + 0x40000000, -1, 0 },

	/* 8-way IG 256 B: way = HPA[10:8] */
	{ "ig0 w8 granule last", S(port_ig0_w8), B0 + 0xFF, 0, 0x10 },  /* 0xFF >> 8 = 0 */
	{ "ig0 w8 way5", S(port_ig0_w8), B0 + 0x500, 0, 0x65 },         /* 0x500 >> 8 = 5 */
	{ "ig0 w8 way7", S(port_ig0_w8), B0 + 0x7FF, 0, 0x87 },         /* 0x7FF >> 8 = 7 */
	{ "ig0 w8 wrap", S(port_ig0_w8), B0 + 0x800, 0, 0x10 },         /* 0x800 >> 8 = 8, & 7 = 0 */

	/* 2-way IG 4 KiB: way = HPA[12] */
	{ "ig4 w2 granule last", S(port_ig4_w2), B0 + 0xFFF, 0, 0x10 }, /* bit 12 = 0 */
	{ "ig4 w2 way1", S(port_ig4_w2), B0 + 0x1000, 0, 0x21 },        /* bit 12 = 1 */
	{ "ig4 w2 wrap", S(port_ig4_w2), B0 + 0x2000, 0, 0x10 },        /* bit 12 = 0 */

	/* 4-way IG 8 KiB: way = HPA[14:13] */
	{ "ig5 w4 granule last", S(port_ig5_w4), B0 + 0x1FFF, 0, 0x10 }, /* 0x1FFF >> 13 = 0 */
	{ "ig5 w4 way1", S(port_ig5_w4), B0 + 0x2000, 0, 0x21 },         /* 0x2000 >> 13 = 1 */
	{ "ig5 w4 way3", S(port_ig5_w4), B0 + 0x6000, 0, 0x43 },         /* 0x6000 >> 13 = 3 */
	{ "ig5 w4 wrap", S(port_ig5_w4), B0 + 0x8000, 0, 0x10 },         /* 0x8000 >> 13 = 4, & 3 = 0 */

	/* 8-way IG 16 KiB: way = HPA[16:14] */
	{ "ig6 w8 granule last", S(port_ig6_w8), B0 + 0x3FFF, 0, 0x10 }, /* 0x3FFF >> 14 = 0 */
	{ "ig6 w8 way1", S(port_ig6_w8), B0 + 0x4000, 0, 0x21 },         /* 0x4000 >> 14 = 1 */
	{ "ig6 w8 way5", S(port_ig6_w8), B0 + 0x14000, 0, 0x65 },        /* 0x14000 >> 14 = 5 */
	{ "ig6 w8 way7", S(port_ig6_w8), B0 + 0x1C000, 0, 0x87 },        /* 0x1C000 >> 14 = 7 */
	{ "ig6 w8 wrap", S(port_ig6_w8), B0 + 0x20000, 0, 0x10 },        /* 0x20000 >> 14 = 8, & 7 = 0 */

	/* Base 0x100, 2-way IG 256 B: way = HPA[8], not (HPA - Base)[8] */
	{ "hpa bits first", S(port_hpa_bits), 0x100, 0, 0x21 },  /* HPA bit 8 = 1 (offset 0 would be way 0) */
	{ "hpa bits 0x1FF", S(port_hpa_bits), 0x1FF, 0, 0x21 },  /* bit 8 = 1 */
	{ "hpa bits 0x200", S(port_hpa_bits), 0x200, 0, 0x10 },  /* bit 8 = 0 */
	{ "hpa bits below", S(port_hpa_bits), 0xFF, -1, 0 },     /* below Base */

	/* Encodings a port cannot route (D4) */
	{ "iw 16-way", S(port_iw16), B0, -1, 0 },
	{ "iw 3-way", S(port_iw3), B0, -1, 0 },
	{ "iw 6-way", S(port_iw6), B0, -1, 0 },
	{ "iw 12-way", S(port_iw12), B0, -1, 0 },
	{ "iw reserved 5", S(port_iw5), B0, -1, 0 },
	{ "iw reserved F", S(port_iwf), B0, -1, 0 },
	{ "ig reserved 7", S(port_ig7), B0, -1, 0 },

	/* D1, D2 */
	{ "uncommitted", S(port_uncommitted), B0, -1, 0 },
	{ "size 0", S(port_size0), B0, -1, 0 },
	{ "wrap", S(port_wrap), TOP, -1, 0 },
	{ "top last byte", S(port_top), UINT64_MAX, 0, 0x10 },

	/* Multiple decoders */
	{ "multi d0", S(port_multi), B0 + 0x100, 0, 0x10 },     /* 1-way -> TL[0] */
	{ "multi d1 way1", S(port_multi), B1 + 0x100, 1, 0x65 }, /* HPA[8] = 1 -> TL[1] */
	{ "multi d1 way0", S(port_multi), B1 + 0x200, 1, 0x54 }, /* HPA[8] = 0 -> TL[0] */
	{ "multi gap", S(port_multi), B0 + 0x40000000, -1, 0 },
	{ "uncommitted overlap", S(port_uncommitted_overlap), B0, 1, 0x99 },
	{ "overlap", S(port_overlap), B0, 0, 0x10 },
	{ "no fall-through", S(port_no_fallthrough), B0, -1, 0 },

	{ "empty", NULL, 0, B0, -1, 0 },
};

/* Every port row: index, target, *target untouched on -1, NULL allowed. */
static void test_port_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(port_rows); i++) {
		const struct port_row *r = &port_rows[i];
		uint8_t target = SENTINEL8;
		int idx = cxl_decode_port(r->d, r->n, r->hpa, &target);

		if (idx != r->idx)
			fail_msg("%s: HPA 0x%llx -> decoder %d, expected %d",
				 r->name, (unsigned long long)r->hpa, idx,
				 r->idx);
		if (idx >= 0 && target != r->target)
			fail_msg("%s: HPA 0x%llx -> target 0x%02x, expected 0x%02x",
				 r->name, (unsigned long long)r->hpa, target,
				 r->target);
		if (idx < 0 && target != SENTINEL8)
			fail_msg("%s: target written on failure", r->name);
		if (cxl_decode_port(r->d, r->n, r->hpa, NULL) != r->idx)
			fail_msg("%s: NULL target changes the result", r->name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iw_table),
		cmocka_unit_test(test_ig_table),
		cmocka_unit_test(test_count_table),
		cmocka_unit_test(test_device_table),
		cmocka_unit_test(test_port_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
