/* SPDX-License-Identifier: MIT */
/*
 * harness.h - shared helpers of the tests/hdm cmocka tests: a device under a
 * profile with an event recorder as its sink, and 32-bit component-register
 * accessors.
 *
 * Offsets are component-block offsets (CXL r3.1 Table 8-21: the
 * CXL.cache/mem registers start at +0x1000; cxl-registers.md §3.1). Every
 * model under test places its HDM Decoder Capability at +0x1110 (measured
 * on QEMU 7.2 cxl-type3, cxl-rp and cxl-upstream, qemu72-qtest.md:
 * "HDM v1 @+0x110") and its RAS Capability at +0x1080 ("RAS v2 @+0x80").
 */
#ifndef CXLEMU_TESTS_HDM_HARNESS_H
#define CXLEMU_TESTS_HDM_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cxlemu/catalog.h"
#include "cxlemu/device.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* HDM Decoder Capability structure, CXL r3.1 §8.2.4.20. */
#define HDM 0x1110u
#define HDM_CAP (HDM + 0x00u)          /* §8.2.4.20.1 */
#define HDM_GCTL (HDM + 0x04u)         /* §8.2.4.20.2 */
/* Decoder n registers at +0x10 + 0x20 * n (§8.2.4.20.3-.10). */
#define DEC(n, r) (HDM + 0x10u + 0x20u * (unsigned)(n) + (r))
#define BASE_LO 0x00u
#define BASE_HI 0x04u
#define SIZE_LO 0x08u
#define SIZE_HI 0x0cu
#define CTRL 0x10u
#define TL_LO 0x14u                    /* ports: Target List Low (§8.2.4.20.8) */
#define TL_HI 0x18u
#define SKIP_LO 0x14u                  /* devices: DPA Skip Low (§8.2.4.20.9) */
#define SKIP_HI 0x18u

/* Decoder n Control fields, CXL r3.1 §8.2.4.20.7. */
#define C_IG(x) ((uint32_t)(x) & 0xfu)             /* 3:0 */
#define C_IW(x) (((uint32_t)(x) & 0xfu) << 4)      /* 7:4 */
#define C_LOC (1u << 8)
#define C_COMMIT (1u << 9)
#define C_COMMITTED (1u << 10)
#define C_ENC (1u << 11)
#define C_TRT (1u << 12)
#define C_BI (1u << 13)
#define C_UIO (1u << 14)

/* RAS Capability structure, CXL r3.1 §8.2.4.17. */
#define RAS 0x1080u
#define RAS_UE_STATUS (RAS + 0x00u)    /* §8.2.4.17.1 */
#define RAS_UE_MASK (RAS + 0x04u)      /* §8.2.4.17.2 */
#define RAS_UE_SEV (RAS + 0x08u)       /* §8.2.4.17.3 */
#define RAS_CE_STATUS (RAS + 0x0cu)    /* §8.2.4.17.4 */
#define RAS_CE_MASK (RAS + 0x10u)      /* §8.2.4.17.5 */
#define RAS_CAP_CTRL (RAS + 0x14u)     /* §8.2.4.17.6 */

#define SZ_256M UINT64_C(0x10000000)

/* One recorded event; strings copied (the engine's live only until the next event). */
struct rec_event {
	char rule[40];
	unsigned severity;             /* enum cxl_severity */
	char reg[72];
	char field[48];
	uint64_t old_value, new_value;
};

#define REC_MAX 64

struct recorder {
	unsigned n, lost;
	struct rec_event ev[REC_MAX];
};

/* The recorder every device made by dev_open() reports to. */
extern struct recorder rec;

/* Builds @model under @profile with @ndec decoders (0 = model's count); fails the test on error. */
struct cxl_device *dev_open(const char *model, const char *profile, int ndec);
void dev_close(struct cxl_device *d);
/* cmocka group teardown: frees devices a failed test left open. */
int dev_close_all(void **state);

/* Component-register accesses; fail the test if the engine rejects the offset. */
uint32_t rd32(struct cxl_device *d, uint32_t off);
void wr32(struct cxl_device *d, uint32_t off, uint32_t v);
/* True when @off maps a modelled register (no access.unmodeled on a read). */
bool cm_modelled(struct cxl_device *d, uint32_t off);

/* Base and Size of decoder @n (Lo/Hi pairs, §8.2.4.20.3-.6). */
void dec_program(struct cxl_device *d, unsigned n, uint64_t base, uint64_t size);

void rec_clear(void);
/* Events of rule @id (any severity when @sev < 0). */
unsigned rec_count(const char *id, int sev);
/* Asserts no event was recorded, printing them if some were. */
void rec_assert_none(void);
/* Asserts exactly the events recorded are @n events of rule @id with severity @sev. */
void rec_assert_only(const char *id, int sev, unsigned n);
/* Asserts some event of rule @id on register @reg, field @field (NULL: any). */
void rec_assert_has(const char *id, int sev, const char *reg, const char *field);
void rec_dump(void);

#endif
