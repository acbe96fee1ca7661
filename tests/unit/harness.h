/* SPDX-License-Identifier: MIT */
/*
 * harness.h - shared helpers of the tests/unit cmocka tests.
 *
 * A fixture (struct h) owns the devices a test builds and an event recorder
 * that every one of them reports to. The recorder copies rule, severity,
 * register, field and values of each event (the engine's strings live only
 * until the next event). cfg_* and mmio_* perform one access and fail the
 * test when the engine refuses it as caller input (outside the space or a
 * size other than 1/2/4/8).
 *
 * Offsets: config offsets are absolute in the function's config space;
 * mmio offsets are component-block offsets (CXL.cache/mem at +0x1000,
 * CXL r3.1 §8.2.3, the reference note cxl-registers.md §3.1).
 */
#ifndef CXLEMU_TESTS_UNIT_HARNESS_H
#define CXLEMU_TESTS_UNIT_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "cxlemu/device.h"
#include "cxlemu/catalog.h"
#include "cxlemu/event.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* "No rule" in expectation tables: the access must report nothing at all. */
#define NO_RULE (-1)

/*
 * PCIe DVSEC for CXL Devices register offsets (CXL r3.1 §8.1.3,
 * spec/structures/dvsec-cxl-device.yaml); both qemu72-type3 and type2-accel
 * place the DVSEC at config offset 0x100 (spec/models/<model>.yaml).
 */
#define DVSEC 0x100u
#define DV_ECAP (DVSEC + 0x00u)       /* PCIe extended capability header */
#define DV_HDR1 (DVSEC + 0x04u)       /* DVSEC Header 1 */
#define DV_HDR2 (DVSEC + 0x08u)       /* DVSEC Header 2 (DVSEC ID) */
#define DV_CAP (DVSEC + 0x0au)        /* §8.1.3.1 */
#define DV_CTRL (DVSEC + 0x0cu)       /* §8.1.3.2 */
#define DV_STATUS (DVSEC + 0x0eu)     /* §8.1.3.3 */
#define DV_CTRL2 (DVSEC + 0x10u)      /* §8.1.3.4 */
#define DV_STATUS2 (DVSEC + 0x12u)    /* §8.1.3.5 */
#define DV_LOCK (DVSEC + 0x14u)       /* §8.1.3.6 */
#define DV_CAP2 (DVSEC + 0x16u)       /* §8.1.3.7 */
#define DV_R1_SIZE_HI (DVSEC + 0x18u) /* §8.1.3.8.1 */
#define DV_R1_SIZE_LO (DVSEC + 0x1cu) /* §8.1.3.8.2 */
#define DV_R1_BASE_HI (DVSEC + 0x20u) /* §8.1.3.8.3 */
#define DV_R1_BASE_LO (DVSEC + 0x24u) /* §8.1.3.8.4 */
#define DV_R2_SIZE_HI (DVSEC + 0x28u) /* §8.1.3.8.5 */
#define DV_R2_SIZE_LO (DVSEC + 0x2cu) /* §8.1.3.8.6 */
#define DV_R2_BASE_HI (DVSEC + 0x30u) /* §8.1.3.8.7 */
#define DV_R2_BASE_LO (DVSEC + 0x34u) /* §8.1.3.8.8 */
#define DV_CAP3 (DVSEC + 0x38u)       /* §8.1.3.9 (type2-accel only: qemu72-type3's length is 0x38) */
#define DV_RSVD3A (DVSEC + 0x3au)

/*
 * Component registers of qemu72-type3 / type2-accel (spec/models/<model>.yaml, as
 * measured on QEMU 7.2: RAS @+0x80, Link @+0xd8, HDM @+0x110 from +0x1000).
 */
#define CM_CAP_HDR 0x1000u            /* CXL Capability Header, §8.2.4.1 */
#define RAS 0x1080u                   /* §8.2.4.17 */
#define RAS_UE_STATUS (RAS + 0x00u)   /* §8.2.4.17.1 */
#define RAS_UE_MASK (RAS + 0x04u)     /* §8.2.4.17.2 */
#define RAS_UE_SEV (RAS + 0x08u)      /* §8.2.4.17.3 */
#define RAS_CE_STATUS (RAS + 0x0cu)   /* §8.2.4.17.4 */
#define RAS_CE_MASK (RAS + 0x10u)     /* §8.2.4.17.5 */
#define RAS_CAP_CTRL (RAS + 0x14u)    /* §8.2.4.17.6 */
#define RAS_HLOG0 (RAS + 0x18u)       /* §8.2.4.17.7 */
#define LINK 0x10d8u                  /* §8.2.4.19 */
#define HDM 0x1110u                   /* §8.2.4.20 */
#define HDM_CAP (HDM + 0x00u)         /* §8.2.4.20.1 */
#define HDM_GCTL (HDM + 0x04u)        /* §8.2.4.20.2 */
#define DEC(n, r) (HDM + 0x10u + 0x20u * (unsigned)(n) + (r))
#define D_BASE_LO 0x00u               /* §8.2.4.20.3 */
#define D_BASE_HI 0x04u               /* §8.2.4.20.4 */
#define D_SIZE_LO 0x08u               /* §8.2.4.20.5 */
#define D_SIZE_HI 0x0cu               /* §8.2.4.20.6 */
#define D_CTRL 0x10u                  /* §8.2.4.20.7 */
#define D_TL_LO 0x14u                 /* §8.2.4.20.8 (ports) */
#define D_TL_HI 0x18u
#define D_SKIP_LO 0x14u               /* §8.2.4.20.9 (devices) */
#define D_SKIP_HI 0x18u               /* §8.2.4.20.10 */

#define H_MAX_EVENTS 128
#define H_MAX_DEVS 4

struct h_event {
	unsigned rule;                 /* enum cxl_rule */
	unsigned severity;             /* enum cxl_severity */
	char reg[72];
	char field[64];
	uint64_t old_value, new_value;
	char detail[192];
};

struct h {
	struct cxl_device *d;          /* the device h_open() built last */
	struct cxl_device *devs[H_MAX_DEVS];
	unsigned ndevs;
	struct h_event ev[H_MAX_EVENTS];
	unsigned nev, lost;
};

/* cmocka setup/teardown: allocate the fixture; destroy every device and free it. */
int h_setup(void **state);
int h_teardown(void **state);

/* Builds @model under @profile (NULL: cxl-3.1) with the recorder as sink; fails the test on error. */
struct cxl_device *h_open(struct h *h, const char *model, const char *profile);
struct cxl_device *h_open_opts(struct h *h, const char *model, const char *profile,
			       const struct cxl_device_opts *opts);
/* Destroys every device of the fixture (for loops that build one device per table row). */
void h_close_all(struct h *h);

/* Recorder. */
void h_clear(struct h *h);
unsigned h_count(const struct h *h, unsigned rule);
unsigned h_count_sev(const struct h *h, unsigned severity);
const struct h_event *h_find(const struct h *h, unsigned rule);
/* Prints the recorded events (cmocka print_message), for failure diagnostics. */
void h_dump(const struct h *h, const char *what);
/*
 * Asserts that exactly @n events were recorded and all of them are @rule
 * (@rule NO_RULE: none at all). @what names the case in the failure message.
 */
void h_expect(const struct h *h, int rule, unsigned n, const char *what);

/* One access; asserts cxl_device_access() accepted it as input. */
uint64_t cfg_read(struct cxl_device *d, uint32_t off, unsigned size);
uint64_t cfg_read_rec(struct cxl_device *d, uint32_t off, unsigned size, uint64_t recorded);
void cfg_write(struct cxl_device *d, uint32_t off, unsigned size, uint64_t value);
uint64_t mmio_read(struct cxl_device *d, uint32_t off, unsigned size);
uint64_t mmio_read_rec(struct cxl_device *d, uint32_t off, unsigned size, uint64_t recorded);
void mmio_write(struct cxl_device *d, uint32_t off, unsigned size, uint64_t value);

/*
 * One table row: build a fresh device, optionally run @prep, clear the
 * recorder, perform the write, check the events (exactly @n of @rule, the
 * first naming @field when set), then read back @rsize bytes at @roff
 * (rsize 0: the write's own offset and size) and compare with @expect, and
 * when @chk_reg is set compare that register's value with @chk_val.
 */
struct wcase {
	const char *what;
	unsigned space;                /* CXL_SPACE_CONFIG or CXL_SPACE_COMPONENT */
	uint32_t off;
	unsigned size;
	uint64_t wval;
	int rule;                      /* NO_RULE or enum cxl_rule */
	unsigned n;
	const char *field;
	uint32_t roff;
	unsigned rsize;
	uint64_t expect;
	const char *chk_reg;
	uint64_t chk_val;
	void (*prep)(struct cxl_device *d);
};

#define CFG CXL_SPACE_CONFIG
#define CM CXL_SPACE_COMPONENT

void run_wcases(struct h *h, const char *model, const char *profile, const struct wcase *c,
		size_t n);

/* Current value of the register with display name @name (fails the test when absent). */
uint64_t reg_value(const struct cxl_device *d, const char *name);

/* Asserts @got == @want with a message naming the case. */
#define expect_val(what, got, want)                                                          \
	do {                                                                                 \
		uint64_t got_ = (got), want_ = (want);                                       \
		if (got_ != want_)                                                           \
			fail_msg("%s: got 0x%llx, want 0x%llx", (what),                      \
				 (unsigned long long)got_, (unsigned long long)want_);       \
	} while (0)

#endif
