/* SPDX-License-Identifier: MIT */
/*
 * test_vfio_edge.c - edge cases of the vfio-cxl events of a QEMU log (emu/import/vfio.c)
 * beyond test_vfio.c: accesses to a region of a CXL device that is neither its COMP_REGS
 * region nor (with COMP_REGS present) its component BAR, words that are not "(NAME...",
 * config reads without their value, vfio-cxl message lines of another shape, and
 * setup_locked_hdm on a device that showed no COMP_REGS (the bar view).
 *
 * Line shapes: the NVIDIA QEMU trace-events formats (the reference note vfio-cxl-shadow.md
 * §3.2, quoted in vfio.c's top comment). Expected classes and offsets: vfio.c's top comment
 * (its contract) and the type2-accel layout of spec/ (HDM Decoder Capability 0x1110 from the
 * component block, which is at BAR offset 0; Base Low +0x10, Base High +0x14, Control +0x20).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"

#define DEV "0000:01:00.0"

/* Region setup of a device with a DPA region 9 and a COMP_REGS region 10 (§3.2). */
static void realize(struct test_log *l)
{
	log_line(l, "vfio_region_setup Device " DEV ", region 0 \"" DEV " BAR 0\", flags: 0x7, offset: 0x0, size: 0x10000");
	log_line(l, "vfio_region_setup Device " DEV ", region 9 \"cxl-dpa\", flags: 0x7, offset: 0x90000000000, size: 0x40000000");
	log_line(l, "vfio_region_setup Device " DEV ", region 10 \"cxl-comp-regs\", flags: 0x3, offset: 0xa0000000000, size: 0x140");
}

/* With a COMP_REGS region, accesses to the DPA region and to a BAR are not component
 * register accesses (counted, no op); the COMP_REGS access is an op. */
static void test_other_regions(void **state)
{
	struct test_log l = { .len = 0 };
	struct run r;

	(void)state;
	realize(&l);
	log_line(&l, "vfio_region_read  (" DEV ":region9+0x0, 4) = 0x12345678");
	log_line(&l, "vfio_region_write  (" DEV ":region9+0x40, 0x1, 4)");
	log_line(&l, "vfio_region_read  (" DEV ":region0+0x1110, 4) = 0x0");
	log_line(&l, "vfio_region_read  (" DEV ":region10+0x130, 4) = 0x700");
	run_text(&r, CXL_IMPORT_QEMU_LOG, l.buf, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_int_equal(header_num(r.out, "not a component register block:"), 3);
	assert_int_equal(count_lines(r.out, "  - ["), 1);
	assert_int_equal(count_lines(r.out, "  - [mmio-read, vfio0, 0x130, 4, 0x700,"), 1);
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* Event lines whose first word is not "(NAME..." and a config read without its value are
 * unparseable; a vfio-cxl message of another shape is not a vfio record (no op, no device). */
static void test_malformed_words(void **state)
{
	static const char *const bad[] = {
		"vfio_region_read  x",
		"vfio_region_read  [" DEV ":region10+0x0, 4) = 0x1",
		"vfio_region_write  (",
		"vfio_pci_read_config  (" DEV ", @0x10c, len=0x2)",
		"vfio_pci_read_config  " DEV ", @0x10c, len=0x2) 0x6",
		"vfio_cxl_setup_params  hdm_bar=0",
	};
	struct test_log l = { .len = 0 };
	struct run r;

	(void)state;
	realize(&l);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		log_line(&l, "%s", bad[i]);
	log_line(&l, "qemu-system-x86_64: vfio-cxl: " DEV " COMP_REGS poke at 0x30 failed: Invalid argument");
	log_line(&l, "qemu-system-x86_64: vfio-cxl: " DEV " COMP_REGS read near 0x30 failed");
	log_line(&l, "qemu-system-x86_64: vfio-cxl: " DEV " DPA read at 0x30 failed");
	log_line(&l, "vfio_region_read  (" DEV ":region10+0x30, 4) = 0xffffffff");
	run_text(&r, CXL_IMPORT_QEMU_LOG, l.buf, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_int_equal(header_num(r.out, "unparseable (bad fields or binary data):"),
			 sizeof(bad) / sizeof(bad[0]));
	/* the messages set no failure mark: the read is a plain op */
	assert_int_equal(count_lines(r.out, "  - ["), 1);
	assert_int_equal(count_lines(r.out, "  - [mmio-read, vfio0, 0x30, 4, 0xffffffff, \"@"), 1);
	assert_null(strstr(r.out, ", failed]"));
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* setup_locked_hdm on a device known CXL only from vfio_cxl_locked_hdm (no COMP_REGS region,
 * no overlay): the bar view, so the writes are at BAR offsets 0x1120, 0x1124, 0x1130; no
 * dpa_size logged, so no host decoder state. */
static void test_locked_hdm_bar_view(void **state)
{
	struct test_log l = { .len = 0 };
	struct run r;
	unsigned lh;
	char want[128];

	(void)state;
	lh = log_line(&l, "vfio_cxl_locked_hdm  (" DEV ") fmws_base=0x1000000000 wrote decoder0 base_lo=0x00000000 base_hi=0x00000010 ctrl=0x00000700");
	run_text(&r, CXL_IMPORT_QEMU_LOG, l.buf, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_non_null(strstr(r.out, "  vfio0: {model: type2-accel, view: bar} # vfio-cxl " DEV ", component BAR\n"));
	snprintf(want, sizeof(want), "  - [mmio-write, vfio0, 0x1120, 4, 0x0, \"@%u\", vmm]", lh);
	assert_true(has_line(r.out, want));
	snprintf(want, sizeof(want), "  - [mmio-write, vfio0, 0x1124, 4, 0x10, \"@%u\", vmm]", lh);
	assert_true(has_line(r.out, want));
	snprintf(want, sizeof(want), "  - [mmio-write, vfio0, 0x1130, 4, 0x700, \"@%u\", vmm]", lh);
	assert_true(has_line(r.out, want));
	assert_int_equal(count_lines(r.out, "  - ["), 3);
	run_free(&r);
}

/* Runs the tests; removes the scratch files. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other_regions),
		cmocka_unit_test(test_malformed_words),
		cmocka_unit_test(test_locked_hdm_bar_view),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tmp_cleanup();
	return rc;
}
